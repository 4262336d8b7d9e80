//! KEDA objects: `keda.sh/v1alpha1` ScaledObject, ScaledJob, TriggerAuthentication,
//! ClusterTriggerAuthentication; `eventing.keda.sh/v1alpha1` CloudEventSource,
//! ClusterCloudEventSource. Field names follow KEDA's Go types (kedacore/keda `apis/`).

use crate::k8s::CrossVersionObjectReference;
use crate::meta::{Condition, ObjectMeta, condition_status, resource};
use crate::time::Time;
use crate::tolerant::tolerant_struct;
use std::collections::BTreeMap;

/// Annotations KEDA reads on ScaledObjects and ScaledJobs.
pub mod annotations {
    /// `true` pauses scaling (at the current replica count).
    pub const PAUSED: &str = "autoscaling.keda.sh/paused";
    /// Pauses scaling at this replica count.
    pub const PAUSED_REPLICAS: &str = "autoscaling.keda.sh/paused-replicas";
    /// `true` blocks scale-in only.
    pub const PAUSED_SCALE_IN: &str = "autoscaling.keda.sh/paused-scale-in";
    /// `true` blocks scale-out only.
    pub const PAUSED_SCALE_OUT: &str = "autoscaling.keda.sh/paused-scale-out";
    /// `true` forces the scale target active.
    pub const FORCE_ACTIVATION: &str = "autoscaling.keda.sh/force-activation";
    /// Lets a ScaledObject adopt an existing HPA.
    pub const TRANSFER_HPA_OWNERSHIP: &str = "scaledobject.keda.sh/transfer-hpa-ownership";
}

/// Labels KEDA sets.
pub mod labels {
    /// On the HPA and on External Metrics queries: the owning ScaledObject.
    pub const SCALED_OBJECT_NAME: &str = "scaledobject.keda.sh/name";
    /// On Jobs created by a ScaledJob.
    pub const SCALED_JOB_NAME: &str = "scaledjob.keda.sh/name";
}

/// KEDA's event reasons (kedacore/keda `pkg/eventreason`).
pub mod reasons {
    /// The scale target went from 0 to active.
    pub const ACTIVATED: &str = "KEDAScaleTargetActivated";
    /// The scale target went to 0.
    pub const DEACTIVATED: &str = "KEDAScaleTargetDeactivated";
    /// Activation failed.
    pub const ACTIVATION_FAILED: &str = "KEDAScaleTargetActivationFailed";
    /// Deactivation failed.
    pub const DEACTIVATION_FAILED: &str = "KEDAScaleTargetDeactivationFailed";
    /// A scaler failed.
    pub const SCALER_FAILED: &str = "KEDAScalerFailed";
    /// A metric source failed.
    pub const METRIC_SOURCE_FAILED: &str = "KEDAMetricSourceFailed";
    /// Scalers started.
    pub const SCALERS_STARTED: &str = "KEDAScalersStarted";
    /// ScaledObject is ready.
    pub const SO_READY: &str = "ScaledObjectReady";
    /// ScaledObject check failed.
    pub const SO_CHECK_FAILED: &str = "ScaledObjectCheckFailed";
    /// Paused.
    pub const SO_PAUSED: &str = "ScaledObjectPaused";
    /// Unpaused.
    pub const SO_UNPAUSED: &str = "ScaledObjectUnpaused";
    /// Fallback activated.
    pub const FALLBACK_ACTIVATED: &str = "ScaledObjectFallbackActivated";
    /// Fallback deactivated.
    pub const FALLBACK_DEACTIVATED: &str = "ScaledObjectFallbackDeactivated";
    /// ScaledJob active.
    pub const SJ_ACTIVE: &str = "ScaledJobActive";
    /// ScaledJob inactive.
    pub const SJ_INACTIVE: &str = "ScaledJobInactive";
    /// Jobs created.
    pub const JOBS_CREATED: &str = "KEDAJobsCreated";
    /// Job creation failed.
    pub const JOB_CREATE_FAILED: &str = "KEDAJobCreateFailed";
}

tolerant_struct! {
    /// `ScaledObject`.
    pub struct ScaledObject {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata (annotations carry pause state).
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: ScaledObjectSpec,
        /// Status.
        pub status: ScaledObjectStatus,
    }
}
resource!(
    ScaledObject,
    group = "keda.sh",
    version = "v1alpha1",
    kind = "ScaledObject",
    plural = "scaledobjects",
    namespaced = true
);

tolerant_struct! {
    /// `ScaledObject.spec`.
    pub struct ScaledObjectSpec {
        /// Target (any `/scale` resource; `apiVersion` defaults to `apps/v1`, kind to `Deployment`).
        pub scale_target_ref: ScaleTargetRef,
        /// Seconds between trigger checks (default 30).
        pub polling_interval: Option<i32>,
        /// Seconds after the last active trigger before scaling to 0 (default 300).
        pub cooldown_period: Option<i32>,
        /// Seconds after creation before the first scale-in (default 0).
        pub initial_cooldown_period: Option<i32>,
        /// Replicas while idle (instead of 0).
        pub idle_replica_count: Option<i32>,
        /// Minimum (default 0).
        pub min_replica_count: Option<i32>,
        /// Maximum (default 100).
        pub max_replica_count: Option<i32>,
        /// Fallback on scaler failure.
        pub fallback: Option<Fallback>,
        /// Advanced options.
        pub advanced: Option<Advanced>,
        /// Triggers.
        pub triggers: Vec<Trigger>,
    }
}

tolerant_struct! {
    /// `scaleTargetRef`.
    pub struct ScaleTargetRef {
        /// `apiVersion` of the target.
        pub api_version: Option<String>,
        /// Kind of the target.
        pub kind: Option<String>,
        /// Name of the target.
        pub name: String,
        /// Container whose env triggers may read.
        pub env_source_container_name: Option<String>,
    }
}

impl ScaleTargetRef {
    /// `apiVersion`, with KEDA's default `apps/v1`.
    pub fn api_version(&self) -> &str {
        self.api_version.as_deref().filter(|s| !s.is_empty()).unwrap_or("apps/v1")
    }
    /// Kind, with KEDA's default `Deployment`.
    pub fn kind(&self) -> &str {
        self.kind.as_deref().filter(|s| !s.is_empty()).unwrap_or("Deployment")
    }
}

impl From<&CrossVersionObjectReference> for ScaleTargetRef {
    fn from(r: &CrossVersionObjectReference) -> Self {
        ScaleTargetRef {
            api_version: r.api_version.clone(),
            kind: r.kind.clone(),
            name: r.name.clone(),
            env_source_container_name: None,
        }
    }
}

tolerant_struct! {
    /// `fallback`.
    pub struct Fallback {
        /// Failures before fallback.
        pub failure_threshold: Option<i32>,
        /// Replicas during fallback.
        pub replicas: Option<i32>,
        /// `static`, `currentReplicas`, `currentReplicasIfHigher`, `currentReplicasIfLower`.
        pub behavior: Option<String>,
    }
}

tolerant_struct! {
    /// `advanced`.
    pub struct Advanced {
        /// Restore the original replica count when the ScaledObject is deleted.
        pub restore_to_original_replica_count: Option<bool>,
        /// HPA name and behavior.
        pub horizontal_pod_autoscaler_config: Option<HpaConfig>,
        /// Composite metric.
        pub scaling_modifiers: Option<ScalingModifiers>,
    }
}

tolerant_struct! {
    /// `advanced.horizontalPodAutoscalerConfig`.
    pub struct HpaConfig {
        /// Custom HPA name (default `keda-hpa-<so>`).
        pub name: Option<String>,
        /// HPA `behavior`, kept as written for display.
        pub behavior: Option<serde_json::Value>,
    }
}

tolerant_struct! {
    /// `advanced.scalingModifiers`.
    pub struct ScalingModifiers {
        /// Formula over trigger names.
        pub formula: Option<String>,
        /// Target of the composite metric.
        pub target: Option<String>,
        /// Activation target of the composite metric.
        pub activation_target: Option<String>,
        /// `AverageValue` or `Value`.
        pub metric_type: Option<String>,
    }
}

tolerant_struct! {
    /// One trigger (scaler).
    pub struct Trigger {
        /// Scaler type (`prometheus`, `redis`, `cron`, `cpu`, ...).
        #[serde(rename = "type")]
        pub type_: String,
        /// Optional name (used in `triggersActivity` and formulas).
        pub name: Option<String>,
        /// Scaler-specific settings (`threshold`, `activationThreshold`, `query`, ...).
        pub metadata: BTreeMap<String, String>,
        /// Authentication reference.
        pub authentication_ref: Option<AuthenticationRef>,
        /// `AverageValue` (default), `Value`, `Utilization`.
        pub metric_type: Option<String>,
        /// Serve cached metric values.
        pub use_cached_metrics: Option<bool>,
    }
}

tolerant_struct! {
    /// `authenticationRef`.
    pub struct AuthenticationRef {
        /// Name.
        pub name: String,
        /// `TriggerAuthentication` (default) or `ClusterTriggerAuthentication`.
        pub kind: Option<String>,
    }
}

tolerant_struct! {
    /// `ScaledObject.status`.
    pub struct ScaledObjectStatus {
        /// Kind of the target as KEDA resolved it.
        pub scale_target_kind: Option<String>,
        /// Group/version/kind/resource of the target.
        #[serde(rename = "scaleTargetGVKR")]
        pub scale_target_gvkr: Option<GroupVersionKindResource>,
        /// Replicas before KEDA took over.
        pub original_replica_count: Option<i32>,
        /// Last time a trigger was active.
        pub last_active_time: Option<Time>,
        /// External metric names, one per non-resource trigger (`s0-redis-mylist`).
        pub external_metric_names: Vec<String>,
        /// Resource metric names (cpu/memory triggers).
        pub resource_metric_names: Vec<String>,
        /// Composite scaler metric name (scalingModifiers).
        pub composite_scaler_name: Option<String>,
        /// Conditions: `Ready`, `Active`, `Fallback`, `Paused`, `HPAActive`.
        pub conditions: Vec<Condition>,
        /// Per external metric: failures and `Happy`/`Failing`.
        pub health: BTreeMap<String, HealthStatus>,
        /// Per trigger name: whether it is active (KEDA ≥ 2.19).
        pub triggers_activity: BTreeMap<String, TriggerActivity>,
        /// Replica count while paused.
        pub paused_replica_count: Option<i32>,
        /// Name of the HPA KEDA manages.
        pub hpa_name: Option<String>,
        /// Comma-separated trigger types.
        pub triggers_types: Option<String>,
        /// Comma-separated authentication names.
        pub authentications_types: Option<String>,
    }
}

tolerant_struct! {
    /// `status.scaleTargetGVKR`.
    pub struct GroupVersionKindResource {
        /// Group.
        pub group: String,
        /// Version.
        pub version: String,
        /// Kind.
        pub kind: String,
        /// Resource (plural).
        pub resource: String,
    }
}

tolerant_struct! {
    /// `status.health[<metric>]`.
    pub struct HealthStatus {
        /// Consecutive failures.
        pub number_of_failures: Option<i32>,
        /// `Happy` or `Failing`.
        pub status: Option<String>,
    }
}

tolerant_struct! {
    /// `status.triggersActivity[<trigger>]`.
    pub struct TriggerActivity {
        /// Whether this trigger is active.
        pub is_active: Option<bool>,
    }
}

impl ScaledObject {
    /// The HPA's name: `status.hpaName` (never assumed from the ScaledObject's name).
    pub fn hpa_name(&self) -> Option<&str> {
        self.status.hpa_name.as_deref().filter(|s| !s.is_empty())
    }

    /// A condition's status.
    pub fn condition(&self, type_: &str) -> Option<bool> {
        condition_status(&self.status.conditions, type_)
    }

    /// Minimum replicas with KEDA's default (0).
    pub fn min_replicas(&self) -> i32 {
        self.spec.min_replica_count.unwrap_or(0)
    }

    /// Maximum replicas with KEDA's default (100).
    pub fn max_replicas(&self) -> i32 {
        self.spec.max_replica_count.unwrap_or(100)
    }

    /// Polling interval in seconds with KEDA's default (30).
    pub fn polling_interval(&self) -> i32 {
        self.spec.polling_interval.unwrap_or(30)
    }

    /// Cooldown in seconds with KEDA's default (300).
    pub fn cooldown_period(&self) -> i32 {
        self.spec.cooldown_period.unwrap_or(300)
    }
}

tolerant_struct! {
    /// `ScaledJob`.
    pub struct ScaledJob {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: ScaledJobSpec,
        /// Status.
        pub status: ScaledJobStatus,
    }
}
resource!(
    ScaledJob,
    group = "keda.sh",
    version = "v1alpha1",
    kind = "ScaledJob",
    plural = "scaledjobs",
    namespaced = true
);

tolerant_struct! {
    /// `ScaledJob.spec`.
    pub struct ScaledJobSpec {
        /// Job template settings (the pod template is not kept).
        pub job_target_ref: Option<JobTargetRef>,
        /// Seconds between checks.
        pub polling_interval: Option<i32>,
        /// Successful jobs kept.
        pub successful_jobs_history_limit: Option<i32>,
        /// Failed jobs kept.
        pub failed_jobs_history_limit: Option<i32>,
        /// Container whose env triggers may read.
        pub env_source_container_name: Option<String>,
        /// Minimum jobs.
        pub min_replica_count: Option<i32>,
        /// Maximum jobs (default 100).
        pub max_replica_count: Option<i32>,
        /// Rollout settings.
        pub rollout: Option<Rollout>,
        /// Deprecated `rolloutStrategy`.
        pub rollout_strategy: Option<String>,
        /// Scaling strategy.
        pub scaling_strategy: Option<ScalingStrategy>,
        /// Triggers.
        pub triggers: Vec<Trigger>,
    }
}

tolerant_struct! {
    /// `jobTargetRef`, trimmed.
    pub struct JobTargetRef {
        /// Parallelism.
        pub parallelism: Option<i32>,
        /// Completions.
        pub completions: Option<i32>,
        /// Deadline.
        pub active_deadline_seconds: Option<i64>,
        /// Retries.
        pub backoff_limit: Option<i32>,
    }
}

tolerant_struct! {
    /// `rollout`.
    pub struct Rollout {
        /// `default` or `gradual`.
        pub strategy: Option<String>,
        /// `foreground` or `background`.
        pub propagation_policy: Option<String>,
    }
}

tolerant_struct! {
    /// `scalingStrategy`.
    pub struct ScalingStrategy {
        /// `default`, `custom`, `accurate`, `eager`.
        pub strategy: Option<String>,
        /// Custom deduction.
        pub custom_scaling_queue_length_deduction: Option<i32>,
        /// Custom running-job percentage (a string in KEDA's API).
        pub custom_scaling_running_job_percentage: Option<String>,
        /// Pod conditions counted as pending.
        pub pending_pod_conditions: Vec<String>,
        /// `max`, `min`, `avg`, `sum`.
        pub multiple_scalers_calculation: Option<String>,
    }
}

tolerant_struct! {
    /// `ScaledJob.status`.
    pub struct ScaledJobStatus {
        /// Last time a trigger was active.
        pub last_active_time: Option<Time>,
        /// Conditions: `Ready`, `Active`, `Paused`.
        pub conditions: Vec<Condition>,
        /// Paused (KEDA writes this field with a capital P).
        #[serde(rename = "Paused")]
        pub paused: Option<String>,
        /// Comma-separated trigger types.
        pub triggers_types: Option<String>,
        /// Comma-separated authentication names.
        pub authentications_types: Option<String>,
        /// External metric names.
        pub external_metric_names: Vec<String>,
        /// Per trigger name: whether it is active.
        pub triggers_activity: BTreeMap<String, TriggerActivity>,
    }
}

impl ScaledJob {
    /// A condition's status.
    pub fn condition(&self, type_: &str) -> Option<bool> {
        condition_status(&self.status.conditions, type_)
    }
}

tolerant_struct! {
    /// `TriggerAuthentication` / `ClusterTriggerAuthentication` spec (secrets are named, never read).
    pub struct TriggerAuthenticationSpec {
        /// Pod identity provider.
        pub pod_identity: Option<PodIdentity>,
        /// Kubernetes Secrets referenced.
        pub secret_target_ref: Vec<TargetRef>,
        /// ConfigMaps referenced.
        pub config_map_target_ref: Vec<TargetRef>,
        /// Env variables of the scale target's container.
        pub env: Vec<EnvRef>,
        /// File path (ClusterTriggerAuthentication).
        pub file_path: Option<String>,
        /// HashiCorp Vault.
        pub hashi_corp_vault: Option<HashiCorpVault>,
        /// Azure Key Vault.
        pub azure_key_vault: Option<ExternalSecrets>,
        /// GCP Secret Manager.
        pub gcp_secret_manager: Option<ExternalSecrets>,
        /// AWS Secrets Manager.
        pub aws_secret_manager: Option<ExternalSecrets>,
        /// Bound service account tokens.
        pub bound_service_account_token: Vec<BoundServiceAccountToken>,
    }
}

tolerant_struct! {
    /// `podIdentity`.
    pub struct PodIdentity {
        /// `azure-workload`, `aws`, `aws-eks`, `gcp`, `none`.
        pub provider: String,
        /// Identity id.
        pub identity_id: Option<String>,
        /// AWS role ARN.
        pub role_arn: Option<String>,
    }
}

tolerant_struct! {
    /// `secretTargetRef[]` / `configMapTargetRef[]`.
    pub struct TargetRef {
        /// Trigger parameter filled.
        pub parameter: String,
        /// Secret or ConfigMap name.
        pub name: String,
        /// Key.
        pub key: String,
    }
}

tolerant_struct! {
    /// `env[]`.
    pub struct EnvRef {
        /// Trigger parameter filled.
        pub parameter: String,
        /// Env variable.
        pub name: String,
        /// Container.
        pub container_name: Option<String>,
    }
}

tolerant_struct! {
    /// `hashiCorpVault`.
    pub struct HashiCorpVault {
        /// Vault address.
        pub address: String,
        /// `token`, `kubernetes`.
        pub authentication: Option<String>,
        /// Role.
        pub role: Option<String>,
        /// Mount.
        pub mount: Option<String>,
        /// Secrets read.
        pub secrets: Vec<ExternalSecret>,
    }
}

tolerant_struct! {
    /// A secret store (Azure Key Vault, GCP, AWS): where and which secrets.
    pub struct ExternalSecrets {
        /// Azure vault URI.
        pub vault_uri: Option<String>,
        /// AWS region.
        pub region: Option<String>,
        /// Secrets read.
        pub secrets: Vec<ExternalSecret>,
    }
}

tolerant_struct! {
    /// One secret of an external store.
    pub struct ExternalSecret {
        /// Trigger parameter filled.
        pub parameter: String,
        /// Name (Azure, AWS).
        pub name: Option<String>,
        /// Id (GCP).
        pub id: Option<String>,
        /// Path (Vault).
        pub path: Option<String>,
        /// Key (Vault).
        pub key: Option<String>,
    }
}

tolerant_struct! {
    /// `boundServiceAccountToken[]`.
    pub struct BoundServiceAccountToken {
        /// Trigger parameter filled.
        pub parameter: String,
        /// Service account.
        pub service_account_name: String,
    }
}

tolerant_struct! {
    /// Status of (Cluster)TriggerAuthentication.
    pub struct TriggerAuthenticationStatus {
        /// Comma-separated ScaledObject names using it.
        pub scaledobjects: Option<String>,
        /// Comma-separated ScaledJob names using it.
        pub scaledjobs: Option<String>,
    }
}

impl TriggerAuthenticationStatus {
    /// ScaledObject names from the comma-separated status string.
    pub fn scaled_objects(&self) -> Vec<&str> {
        split_names(self.scaledobjects.as_deref())
    }
    /// ScaledJob names from the comma-separated status string.
    pub fn scaled_jobs(&self) -> Vec<&str> {
        split_names(self.scaledjobs.as_deref())
    }
}

fn split_names(s: Option<&str>) -> Vec<&str> {
    s.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

tolerant_struct! {
    /// `TriggerAuthentication`.
    pub struct TriggerAuthentication {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: TriggerAuthenticationSpec,
        /// Status.
        pub status: TriggerAuthenticationStatus,
    }
}
resource!(
    TriggerAuthentication,
    group = "keda.sh",
    version = "v1alpha1",
    kind = "TriggerAuthentication",
    plural = "triggerauthentications",
    namespaced = true
);

tolerant_struct! {
    /// `ClusterTriggerAuthentication`.
    pub struct ClusterTriggerAuthentication {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: TriggerAuthenticationSpec,
        /// Status.
        pub status: TriggerAuthenticationStatus,
    }
}
resource!(
    ClusterTriggerAuthentication,
    group = "keda.sh",
    version = "v1alpha1",
    kind = "ClusterTriggerAuthentication",
    plural = "clustertriggerauthentications",
    namespaced = false
);

tolerant_struct! {
    /// CloudEventSource spec.
    pub struct CloudEventSourceSpec {
        /// Cluster name put into events.
        pub cluster_name: Option<String>,
        /// Where events go.
        pub destination: CloudEventDestination,
        /// Authentication.
        pub authentication_ref: Option<AuthenticationRef>,
        /// Filter.
        pub event_subscription: Option<EventSubscription>,
    }
}

tolerant_struct! {
    /// `destination`.
    pub struct CloudEventDestination {
        /// HTTP sink.
        pub http: Option<HttpDestination>,
        /// Azure Event Grid topic.
        pub azure_event_grid_topic: Option<AzureEventGridTopic>,
    }
}

tolerant_struct! {
    /// `destination.http`.
    pub struct HttpDestination {
        /// URI.
        pub uri: String,
    }
}

tolerant_struct! {
    /// `destination.azureEventGridTopic`.
    pub struct AzureEventGridTopic {
        /// Endpoint.
        pub endpoint: String,
    }
}

tolerant_struct! {
    /// `eventSubscription`.
    pub struct EventSubscription {
        /// Included types.
        pub included_event_types: Vec<String>,
        /// Excluded types.
        pub excluded_event_types: Vec<String>,
    }
}

tolerant_struct! {
    /// CloudEventSource status.
    pub struct CloudEventSourceStatus {
        /// Conditions (`Active`).
        pub conditions: Vec<Condition>,
    }
}

tolerant_struct! {
    /// `CloudEventSource`.
    pub struct CloudEventSource {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: CloudEventSourceSpec,
        /// Status.
        pub status: CloudEventSourceStatus,
    }
}
resource!(
    CloudEventSource,
    group = "eventing.keda.sh",
    version = "v1alpha1",
    kind = "CloudEventSource",
    plural = "cloudeventsources",
    namespaced = true
);

tolerant_struct! {
    /// `ClusterCloudEventSource`.
    pub struct ClusterCloudEventSource {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: CloudEventSourceSpec,
        /// Status.
        pub status: CloudEventSourceStatus,
    }
}
resource!(
    ClusterCloudEventSource,
    group = "eventing.keda.sh",
    version = "v1alpha1",
    kind = "ClusterCloudEventSource",
    plural = "clustercloudeventsources",
    namespaced = false
);

/// Who uses a (Cluster)TriggerAuthentication: ScaledObjects and ScaledJobs whose triggers
/// reference it (`authenticationRef.kind` defaults to TriggerAuthentication in the same
/// namespace; a ClusterTriggerAuthentication is usable from any namespace), united with the
/// names KEDA writes in its status (older KEDA versions leave those empty).
pub fn auth_users(
    scaled_objects: &[&ScaledObject],
    scaled_jobs: &[&ScaledJob],
    kind: &str,
    namespace: &str,
    name: &str,
    status: &TriggerAuthenticationStatus,
) -> Vec<crate::meta::ObjectRef> {
    use crate::meta::Resource;
    let cluster = kind == ClusterTriggerAuthentication::KIND;
    let uses = |triggers: &[Trigger], ns: &str| {
        triggers.iter().any(|t| {
            t.authentication_ref.as_ref().is_some_and(|a| {
                let k = a.kind.as_deref().filter(|k| !k.is_empty()).unwrap_or(TriggerAuthentication::KIND);
                a.name == name && k == kind && (cluster || ns == namespace)
            })
        })
    };
    let mut out: Vec<crate::meta::ObjectRef> = scaled_objects
        .iter()
        .filter(|so| uses(&so.spec.triggers, so.metadata.ns()))
        .map(|so| so.object_ref())
        .chain(
            scaled_jobs
                .iter()
                .filter(|sj| uses(&sj.spec.triggers, sj.metadata.ns()))
                .map(|sj| sj.object_ref()),
        )
        .collect();
    let known_ns = if cluster { "" } else { namespace };
    for (names, k, api) in [
        (status.scaled_objects(), ScaledObject::KIND, ScaledObject::api_version()),
        (status.scaled_jobs(), ScaledJob::KIND, ScaledJob::api_version()),
    ] {
        for n in names {
            if !out.iter().any(|r| r.kind == k && r.name == n && (cluster || r.namespace == namespace)) {
                out.push(crate::meta::ObjectRef {
                    api_version: api.clone(),
                    kind: k.to_owned(),
                    namespace: known_ns.to_owned(),
                    name: n.to_owned(),
                    uid: String::new(),
                });
            }
        }
    }
    out.sort();
    out
}
