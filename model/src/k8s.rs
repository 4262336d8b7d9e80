//! Trimmed Kubernetes core kinds: only the fields the joins read (DESIGN.md "Bundle size").
//!
//! Pod, Node, HorizontalPodAutoscaler (autoscaling/v2), Event (core/v1 and events.k8s.io/v1
//! in one type), scale targets (Deployment, StatefulSet and any `/scale` resource as a
//! [`Workload`]), Job and Namespace.

use crate::meta::{Condition, LabelSelector, Labels, ObjectMeta, SelectorRequirement, resource};
use crate::quantity::{Quantity, ResourceList, add_into};
use crate::time::Time;
use crate::tolerant::tolerant_struct;

/// Static facts about a kind known only at run time (scale targets of any kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// API group.
    pub group: &'static str,
    /// Version.
    pub version: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Plural.
    pub plural: &'static str,
    /// Namespaced.
    pub namespaced: bool,
}

impl KindInfo {
    /// URL path of the collection.
    pub fn list_path(&self, namespace: Option<&str>) -> String {
        crate::meta::list_path(
            self.group,
            self.version,
            self.plural,
            if self.namespaced { namespace } else { None },
        )
    }
    /// `group/version`.
    pub fn api_version(&self) -> String {
        crate::meta::api_version(self.group, self.version)
    }
}

/// `apps/v1` Deployment.
pub const DEPLOYMENT: KindInfo =
    KindInfo { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true };
/// `apps/v1` StatefulSet.
pub const STATEFULSET: KindInfo =
    KindInfo { group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true };
/// `apps/v1` ReplicaSet (the link between a Deployment and its pods).
pub const REPLICASET: KindInfo =
    KindInfo { group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true };

// ---------------------------------------------------------------- Pod

tolerant_struct! {
    /// A Pod, trimmed to ownership, scheduling, requests and status.
    pub struct Pod {
        /// `apiVersion` as written (often absent in list items).
        pub api_version: String,
        /// `kind` as written.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: PodSpec,
        /// Status.
        pub status: PodStatus,
    }
}
resource!(Pod, group = "", version = "v1", kind = "Pod", plural = "pods", namespaced = true);

tolerant_struct! {
    /// `Pod.spec`, trimmed.
    pub struct PodSpec {
        /// The node the pod is bound to.
        pub node_name: Option<String>,
        /// `nodeSelector`.
        pub node_selector: Labels,
        /// Tolerations.
        pub tolerations: Vec<Toleration>,
        /// Affinity (node affinity only).
        pub affinity: Option<Affinity>,
        /// Containers (name and resources only).
        pub containers: Vec<Container>,
        /// Init containers (name and resources only).
        pub init_containers: Vec<Container>,
        /// Pod overhead (RuntimeClass).
        pub overhead: ResourceList,
        /// Priority class.
        pub priority_class_name: Option<String>,
        /// Scheduler.
        pub scheduler_name: Option<String>,
    }
}

tolerant_struct! {
    /// A container, trimmed to its resources.
    pub struct Container {
        /// Name.
        pub name: String,
        /// Requests and limits.
        pub resources: ResourceRequirements,
        /// `Always` marks a sidecar init container.
        pub restart_policy: Option<String>,
    }
}

tolerant_struct! {
    /// `resources`.
    pub struct ResourceRequirements {
        /// Requests.
        pub requests: ResourceList,
        /// Limits.
        pub limits: ResourceList,
    }
}

tolerant_struct! {
    /// A toleration.
    pub struct Toleration {
        /// Key (empty with `Exists` tolerates everything).
        pub key: Option<String>,
        /// `Equal` (default) or `Exists`.
        pub operator: Option<String>,
        /// Value.
        pub value: Option<String>,
        /// Effect (empty = all).
        pub effect: Option<String>,
    }
}

tolerant_struct! {
    /// `affinity`, trimmed to node affinity.
    pub struct Affinity {
        /// Node affinity.
        pub node_affinity: Option<NodeAffinity>,
    }
}

tolerant_struct! {
    /// `nodeAffinity`.
    pub struct NodeAffinity {
        /// Hard requirements.
        pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    }
}

tolerant_struct! {
    /// `nodeSelector` of node affinity: ORed terms.
    pub struct NodeSelector {
        /// Terms.
        pub node_selector_terms: Vec<NodeSelectorTerm>,
    }
}

tolerant_struct! {
    /// One term: ANDed expressions.
    pub struct NodeSelectorTerm {
        /// Label expressions.
        pub match_expressions: Vec<SelectorRequirement>,
    }
}

tolerant_struct! {
    /// `Pod.status`, trimmed.
    pub struct PodStatus {
        /// `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
        pub phase: Option<String>,
        /// Conditions (`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`).
        pub conditions: Vec<Condition>,
        /// Node the scheduler nominated for preemption.
        pub nominated_node_name: Option<String>,
        /// When the kubelet acknowledged the pod.
        pub start_time: Option<Time>,
        /// Reason (e.g. `Evicted`).
        pub reason: Option<String>,
        /// Message.
        pub message: Option<String>,
    }
}

impl Toleration {
    /// Whether this toleration tolerates `taint`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if let Some(effect) = self.effect.as_deref().filter(|e| !e.is_empty())
            && effect != taint.effect
        {
            return false;
        }
        let key = self.key.as_deref().unwrap_or("");
        match self.operator.as_deref().unwrap_or("Equal") {
            "Exists" => key.is_empty() || key == taint.key,
            _ => {
                key == taint.key
                    && self.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
            }
        }
    }
}

impl Pod {
    /// The pod's phase or `""`.
    pub fn phase(&self) -> &str {
        self.status.phase.as_deref().unwrap_or("")
    }

    /// Effective resource requests the scheduler uses: max(sum of containers (+ sidecars),
    /// each init container) + overhead.
    pub fn requests(&self) -> ResourceList {
        let mut sum = ResourceList::new();
        for c in &self.spec.containers {
            add_into(&mut sum, &c.resources.requests);
        }
        let mut sidecars = ResourceList::new();
        for c in &self.spec.init_containers {
            if c.restart_policy.as_deref() == Some("Always") {
                add_into(&mut sum, &c.resources.requests);
                add_into(&mut sidecars, &c.resources.requests);
            } else {
                // A regular init container runs alone next to the sidecars started before it.
                let mut need = sidecars.clone();
                add_into(&mut need, &c.resources.requests);
                for (k, v) in need {
                    let e = sum.entry(k).or_insert(Quantity::ZERO);
                    if v > *e {
                        *e = v;
                    }
                }
            }
        }
        add_into(&mut sum, &self.spec.overhead);
        sum
    }

    /// `Ready` condition is True.
    pub fn is_ready(&self) -> bool {
        crate::meta::condition_status(&self.status.conditions, "Ready") == Some(true)
    }

    /// Not yet bound to a node and not finished.
    pub fn is_pending(&self) -> bool {
        self.phase() == "Pending" && self.spec.node_name.as_deref().unwrap_or("").is_empty()
    }

    /// Finished (Succeeded or Failed): no longer uses node resources.
    pub fn is_terminal(&self) -> bool {
        matches!(self.phase(), "Succeeded" | "Failed")
    }

    /// The `PodScheduled=False` condition, when the scheduler could not place the pod.
    pub fn unschedulable(&self) -> Option<&Condition> {
        crate::meta::condition(&self.status.conditions, "PodScheduled").filter(|c| c.is_false())
    }
}

// ---------------------------------------------------------------- Node

tolerant_struct! {
    /// A Node, trimmed.
    pub struct Node {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata (labels carry instance type, zone, capacity type, NodePool).
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: NodeSpec,
        /// Status.
        pub status: NodeStatus,
    }
}
resource!(Node, group = "", version = "v1", kind = "Node", plural = "nodes", namespaced = false);

tolerant_struct! {
    /// `Node.spec`.
    pub struct NodeSpec {
        /// Cordoned.
        pub unschedulable: bool,
        /// Taints.
        pub taints: Vec<Taint>,
        /// Cloud provider id (joins to `NodeClaim.status.providerID`).
        #[serde(rename = "providerID")]
        pub provider_id: Option<String>,
    }
}

tolerant_struct! {
    /// A taint.
    pub struct Taint {
        /// Key.
        pub key: String,
        /// Value.
        pub value: Option<String>,
        /// `NoSchedule`, `PreferNoSchedule`, `NoExecute`.
        pub effect: String,
        /// When added (NoExecute).
        pub time_added: Option<Time>,
    }
}

tolerant_struct! {
    /// `Node.status`, trimmed.
    pub struct NodeStatus {
        /// Capacity.
        pub capacity: ResourceList,
        /// Allocatable.
        pub allocatable: ResourceList,
        /// Conditions (`Ready`, pressure conditions).
        pub conditions: Vec<Condition>,
    }
}

impl Node {
    /// `Ready` condition: `Some(true)` Ready, `Some(false)` NotReady, `None` unknown.
    pub fn ready(&self) -> Option<bool> {
        crate::meta::condition_status(&self.status.conditions, "Ready")
    }
}

// ---------------------------------------------------------------- HPA

tolerant_struct! {
    /// `autoscaling/v2` HorizontalPodAutoscaler.
    pub struct HorizontalPodAutoscaler {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: HpaSpec,
        /// Status.
        pub status: HpaStatus,
    }
}
resource!(
    HorizontalPodAutoscaler,
    group = "autoscaling",
    version = "v2",
    kind = "HorizontalPodAutoscaler",
    plural = "horizontalpodautoscalers",
    namespaced = true
);

tolerant_struct! {
    /// A reference to a scale target (`scaleTargetRef`).
    pub struct CrossVersionObjectReference {
        /// `apiVersion` of the target.
        pub api_version: Option<String>,
        /// Kind of the target.
        pub kind: Option<String>,
        /// Name of the target.
        pub name: String,
    }
}

tolerant_struct! {
    /// `HPA.spec`.
    pub struct HpaSpec {
        /// Target.
        pub scale_target_ref: CrossVersionObjectReference,
        /// Minimum replicas.
        pub min_replicas: Option<i32>,
        /// Maximum replicas.
        pub max_replicas: Option<i32>,
        /// Metrics.
        pub metrics: Vec<MetricSpec>,
    }
}

tolerant_struct! {
    /// One metric of an HPA: spec (target) or status (current).
    pub struct MetricSpec {
        /// `External`, `Resource`, `Pods`, `Object`, `ContainerResource`.
        #[serde(rename = "type")]
        pub type_: String,
        /// External metric.
        pub external: Option<MetricSource>,
        /// Resource metric.
        pub resource: Option<MetricSource>,
        /// Pods metric.
        pub pods: Option<MetricSource>,
        /// Object metric.
        pub object: Option<MetricSource>,
        /// Container resource metric.
        pub container_resource: Option<MetricSource>,
    }
}

impl MetricSpec {
    /// The source of whichever type is set.
    pub fn source(&self) -> Option<&MetricSource> {
        self.external
            .as_ref()
            .or(self.resource.as_ref())
            .or(self.pods.as_ref())
            .or(self.object.as_ref())
            .or(self.container_resource.as_ref())
    }

    /// The metric name (`metric.name`, or the resource name for Resource metrics).
    pub fn name(&self) -> &str {
        match self.source() {
            Some(s) if !s.metric.name.is_empty() => &s.metric.name,
            Some(s) => s.name.as_deref().unwrap_or(""),
            None => "",
        }
    }
}

tolerant_struct! {
    /// Body of any metric type (fields unused by a type stay empty).
    pub struct MetricSource {
        /// Metric identifier (External, Pods, Object).
        pub metric: MetricIdentifier,
        /// Resource name (Resource, ContainerResource).
        pub name: Option<String>,
        /// Container (ContainerResource).
        pub container: Option<String>,
        /// Target (spec).
        pub target: Option<MetricValue>,
        /// Current (status).
        pub current: Option<MetricValue>,
    }
}

tolerant_struct! {
    /// `metric: {name, selector}`.
    pub struct MetricIdentifier {
        /// Metric name (KEDA: `s0-redis-mylist`).
        pub name: String,
        /// Selector (KEDA: `scaledobject.keda.sh/name`).
        pub selector: LabelSelector,
    }
}

tolerant_struct! {
    /// A target or current value.
    pub struct MetricValue {
        /// `Value`, `AverageValue`, `Utilization` (targets only).
        #[serde(rename = "type")]
        pub type_: Option<String>,
        /// Total value.
        pub value: Option<Quantity>,
        /// Per-pod value.
        pub average_value: Option<Quantity>,
        /// Percent of requests.
        pub average_utilization: Option<i32>,
    }
}

tolerant_struct! {
    /// `HPA.status`.
    pub struct HpaStatus {
        /// Current replicas.
        pub current_replicas: Option<i32>,
        /// Desired replicas.
        pub desired_replicas: Option<i32>,
        /// Last time it scaled.
        pub last_scale_time: Option<Time>,
        /// Conditions (`AbleToScale`, `ScalingActive`, `ScalingLimited`).
        pub conditions: Vec<Condition>,
        /// Last read metric values.
        pub current_metrics: Vec<MetricSpec>,
    }
}

// ---------------------------------------------------------------- Event

tolerant_struct! {
    /// Reference to the object an event is about (`involvedObject` / `regarding`).
    pub struct ObjectReference {
        /// Kind.
        pub kind: String,
        /// Namespace.
        pub namespace: Option<String>,
        /// Name.
        pub name: String,
        /// Uid.
        pub uid: Option<String>,
        /// `apiVersion`.
        pub api_version: Option<String>,
        /// Field path.
        pub field_path: Option<String>,
    }
}

tolerant_struct! {
    /// `source` of a core/v1 event.
    pub struct EventSource {
        /// Component.
        pub component: Option<String>,
        /// Host.
        pub host: Option<String>,
    }
}

tolerant_struct! {
    /// `series` of a repeated event.
    pub struct EventSeries {
        /// Occurrences.
        pub count: Option<i32>,
        /// Last occurrence.
        pub last_observed_time: Option<Time>,
    }
}

tolerant_struct! {
    /// An Event in either API (`v1` or `events.k8s.io/v1`): both field sets are read.
    pub struct Event {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata (the uid makes journal entries idempotent).
        pub metadata: ObjectMeta,
        /// core/v1 subject.
        pub involved_object: Option<ObjectReference>,
        /// events.k8s.io/v1 subject.
        pub regarding: Option<ObjectReference>,
        /// events.k8s.io/v1 secondary object (e.g. the NodeClaim a pod was nominated to).
        pub related: Option<ObjectReference>,
        /// Reason (`KEDAScaleTargetActivated`, `FailedScheduling`, `Nominated`, ...).
        pub reason: Option<String>,
        /// core/v1 message.
        pub message: Option<String>,
        /// events.k8s.io/v1 message.
        pub note: Option<String>,
        /// `Normal` or `Warning`.
        #[serde(rename = "type")]
        pub type_: Option<String>,
        /// core/v1 count.
        pub count: Option<i32>,
        /// core/v1 first seen.
        pub first_timestamp: Option<Time>,
        /// core/v1 last seen.
        pub last_timestamp: Option<Time>,
        /// Both APIs: when first observed (MicroTime).
        pub event_time: Option<Time>,
        /// Both APIs: repetition.
        pub series: Option<EventSeries>,
        /// core/v1 source.
        pub source: Option<EventSource>,
        /// core/v1 reporting component.
        pub reporting_component: Option<String>,
        /// events.k8s.io/v1 reporting controller.
        pub reporting_controller: Option<String>,
        /// events.k8s.io/v1 copies of the old fields.
        pub deprecated_first_timestamp: Option<Time>,
        /// events.k8s.io/v1 copies of the old fields.
        pub deprecated_last_timestamp: Option<Time>,
        /// events.k8s.io/v1 copies of the old fields.
        pub deprecated_count: Option<i32>,
        /// events.k8s.io/v1 copies of the old fields.
        pub deprecated_source: Option<EventSource>,
    }
}
resource!(Event, group = "", version = "v1", kind = "Event", plural = "events", namespaced = true);

/// `events.k8s.io/v1` Event (same struct, other URL).
pub const EVENTS_V1: KindInfo =
    KindInfo { group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true };

static EMPTY_REF: ObjectReference = ObjectReference {
    kind: String::new(),
    namespace: None,
    name: String::new(),
    uid: None,
    api_version: None,
    field_path: None,
};

/// Namespaces whose events may be about cluster-scoped objects (kube-apiserver's clients record
/// events of Nodes, NodePools and NodeClaims in `default`).
pub const CLUSTER_EVENT_NAMESPACES: &[&str] = &["default", "kube-system"];

impl Event {
    /// The object the event says it is about (see [`Event::trusted_subject`] before joining on it).
    pub fn subject(&self) -> &ObjectReference {
        self.regarding.as_ref().or(self.involved_object.as_ref()).unwrap_or(&EMPTY_REF)
    }

    /// The object the event is about, when the event's own namespace vouches for it: a namespaced
    /// object's events live in its namespace, a cluster-scoped object's in [`CLUSTER_EVENT_NAMESPACES`].
    /// Anyone who may create Events in one namespace could otherwise plant them on the objects of
    /// another (pending reasons, activations, journal rows). Every join goes through this.
    pub fn trusted_subject(&self) -> Option<&ObjectReference> {
        let s = self.subject();
        let own = self.metadata.ns();
        match s.namespace.as_deref().filter(|n| !n.is_empty()) {
            Some(ns) => (ns == own).then_some(s),
            None => CLUSTER_EVENT_NAMESPACES.contains(&own).then_some(s),
        }
    }

    /// Reason or `""`.
    pub fn reason(&self) -> &str {
        self.reason.as_deref().unwrap_or("")
    }

    /// Message text (`note` or `message`).
    pub fn text(&self) -> &str {
        self.note.as_deref().or(self.message.as_deref()).unwrap_or("")
    }

    /// `Warning` events.
    pub fn is_warning(&self) -> bool {
        self.type_.as_deref() == Some("Warning")
    }

    /// When it first happened.
    pub fn first_seen(&self) -> Option<Time> {
        self.event_time
            .or(self.first_timestamp)
            .or(self.deprecated_first_timestamp)
            .or(self.last_timestamp)
            .or(self.metadata.creation_timestamp)
    }

    /// When it last happened.
    pub fn last_seen(&self) -> Option<Time> {
        self.series
            .as_ref()
            .and_then(|s| s.last_observed_time)
            .or(self.last_timestamp)
            .or(self.deprecated_last_timestamp)
            .or(self.event_time)
            .or(self.first_timestamp)
            .or(self.metadata.creation_timestamp)
    }

    /// How many times it happened.
    pub fn occurrences(&self) -> i32 {
        self.series
            .as_ref()
            .and_then(|s| s.count)
            .or(self.count)
            .or(self.deprecated_count)
            .unwrap_or(1)
            .max(1)
    }

    /// Who reported it (`keda-operator`, `karpenter`, `default-scheduler`, ...).
    pub fn reporter(&self) -> &str {
        self.reporting_controller
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.reporting_component.as_deref().filter(|s| !s.is_empty()))
            .or(self.source.as_ref().and_then(|s| s.component.as_deref()))
            .or(self.deprecated_source.as_ref().and_then(|s| s.component.as_deref()))
            .unwrap_or("")
    }
}

// ---------------------------------------------------------------- Workloads

tolerant_struct! {
    /// A scale target of any kind: Deployment, StatefulSet, or any resource with a `/scale`
    /// subresource (read from the object or from its `autoscaling/v1` Scale).
    pub struct Workload {
        /// `apiVersion` (needed: the kind is only known at run time).
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: WorkloadSpec,
        /// Status.
        pub status: WorkloadStatus,
    }
}

tolerant_struct! {
    /// Spec of a scale target.
    pub struct WorkloadSpec {
        /// Desired replicas (absent means 1 for Deployments and StatefulSets).
        pub replicas: Option<i32>,
        /// Pod selector (Deployment, StatefulSet, most CRDs).
        pub selector: Option<LabelSelector>,
        /// Pod template (for requests of pods not created yet).
        pub template: Option<PodTemplate>,
    }
}

tolerant_struct! {
    /// `spec.template`, trimmed.
    pub struct PodTemplate {
        /// Template metadata.
        pub metadata: ObjectMeta,
        /// Template spec.
        pub spec: PodSpec,
    }
}

tolerant_struct! {
    /// Status of a scale target.
    pub struct WorkloadStatus {
        /// Current replicas.
        pub replicas: Option<i32>,
        /// Ready replicas.
        pub ready_replicas: Option<i32>,
        /// Available replicas.
        pub available_replicas: Option<i32>,
        /// Updated replicas.
        pub updated_replicas: Option<i32>,
        /// Selector as a string (`/scale` subresource, Argo Rollouts).
        pub selector: Option<String>,
    }
}

impl crate::meta::HasMeta for Workload {
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Workload {
    /// Sets `apiVersion` and `kind` when the object lacks them: items of a list carry neither, and
    /// the joins match scale targets on them.
    pub fn stamp(&mut self, api_version: &str, kind: &str) {
        if self.api_version.is_empty() {
            self.api_version = api_version.to_owned();
        }
        if self.kind.is_empty() {
            self.kind = kind.to_owned();
        }
    }

    /// The pod selector: `spec.selector`, else the parsed `status.selector` string.
    pub fn pod_selector(&self) -> Option<LabelSelector> {
        if let Some(s) = &self.spec.selector {
            return Some(s.clone());
        }
        self.status.selector.as_deref().and_then(|s| LabelSelector::parse(s).ok())
    }

    /// Replicas that exist now (`status.replicas`; Kubernetes omits it when zero).
    pub fn current_replicas(&self) -> i32 {
        self.status.replicas.unwrap_or(0)
    }

    /// `spec.replicas`, defaulting to 1 like Deployments and StatefulSets.
    pub fn desired_replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    /// Requests of one pod of the template.
    pub fn pod_requests(&self) -> ResourceList {
        match &self.spec.template {
            Some(t) => Pod { spec: t.spec.clone(), ..Default::default() }.requests(),
            None => ResourceList::new(),
        }
    }

    /// Whether this workload is the target `apiVersion`/`kind`/`name` in `namespace`.
    /// The group must match; the version may differ (same object, other version).
    pub fn is(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> bool {
        let (g1, _) = crate::meta::split_api_version(&self.api_version);
        let (g2, _) = crate::meta::split_api_version(api_version);
        g1 == g2 && self.kind == kind && self.metadata.name == name && self.metadata.ns() == namespace
    }
}

tolerant_struct! {
    /// `autoscaling/v1` Scale (the `/scale` subresource of any scalable kind).
    pub struct Scale {
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: ScaleSpec,
        /// Status.
        pub status: ScaleStatus,
    }
}

tolerant_struct! {
    /// `Scale.spec`.
    pub struct ScaleSpec {
        /// Desired replicas.
        pub replicas: Option<i32>,
    }
}

tolerant_struct! {
    /// `Scale.status`.
    pub struct ScaleStatus {
        /// Current replicas.
        pub replicas: Option<i32>,
        /// Pod selector string.
        pub selector: Option<String>,
    }
}

impl Scale {
    /// Turns a Scale read from `<kind>/<name>/scale` into a [`Workload`] of that kind.
    pub fn into_workload(self, api_version: &str, kind: &str) -> Workload {
        Workload {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            metadata: self.metadata,
            spec: WorkloadSpec { replicas: self.spec.replicas, ..Default::default() },
            status: WorkloadStatus {
                replicas: self.status.replicas,
                selector: self.status.selector,
                ..Default::default()
            },
        }
    }
}

// ---------------------------------------------------------------- Job, Namespace

tolerant_struct! {
    /// `batch/v1` Job (ScaledJobs create them).
    pub struct Job {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata (label `scaledjob.keda.sh/name`).
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: JobSpec,
        /// Status.
        pub status: JobStatus,
    }
}
resource!(Job, group = "batch", version = "v1", kind = "Job", plural = "jobs", namespaced = true);

tolerant_struct! {
    /// `Job.spec`.
    pub struct JobSpec {
        /// Parallelism.
        pub parallelism: Option<i32>,
        /// Completions.
        pub completions: Option<i32>,
        /// Deadline.
        pub active_deadline_seconds: Option<i64>,
        /// Retries.
        pub backoff_limit: Option<i32>,
        /// Pod selector.
        pub selector: Option<LabelSelector>,
    }
}

tolerant_struct! {
    /// `Job.status`.
    pub struct JobStatus {
        /// Running pods.
        pub active: Option<i32>,
        /// Succeeded pods.
        pub succeeded: Option<i32>,
        /// Failed pods.
        pub failed: Option<i32>,
        /// Start.
        pub start_time: Option<Time>,
        /// Completion.
        pub completion_time: Option<Time>,
        /// Conditions (`Complete`, `Failed`, `Suspended`).
        pub conditions: Vec<Condition>,
    }
}

tolerant_struct! {
    /// A Namespace.
    pub struct Namespace {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Status.
        pub status: NamespaceStatus,
    }
}
resource!(
    Namespace,
    group = "",
    version = "v1",
    kind = "Namespace",
    plural = "namespaces",
    namespaced = false
);

tolerant_struct! {
    /// `Namespace.status`.
    pub struct NamespaceStatus {
        /// `Active` or `Terminating`.
        pub phase: Option<String>,
    }
}

/// Well-known node labels.
pub mod labels {
    /// Instance type.
    pub const INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
    /// Instance type (deprecated beta label).
    pub const INSTANCE_TYPE_BETA: &str = "beta.kubernetes.io/instance-type";
    /// Zone.
    pub const ZONE: &str = "topology.kubernetes.io/zone";
    /// Region.
    pub const REGION: &str = "topology.kubernetes.io/region";
    /// Architecture.
    pub const ARCH: &str = "kubernetes.io/arch";
    /// Hostname.
    pub const HOSTNAME: &str = "kubernetes.io/hostname";
    /// eks-node-viewer's price label.
    pub const INSTANCE_PRICE: &str = "eks-node-viewer/instance-price";
    /// EKS compute type (`auto`, `fargate`).
    pub const EKS_COMPUTE_TYPE: &str = "eks.amazonaws.com/compute-type";
    /// EKS managed node group capacity type (`ON_DEMAND`, `SPOT`).
    pub const EKS_CAPACITY_TYPE: &str = "eks.amazonaws.com/capacityType";
}

tolerant_struct! {
    /// `external.metrics.k8s.io/v1beta1` ExternalMetricValueList (what KEDA's metrics server returns).
    pub struct ExternalMetricValueList {
        /// Values (one per series).
        pub items: Vec<ExternalMetricValue>,
    }
}

tolerant_struct! {
    /// One external metric value.
    pub struct ExternalMetricValue {
        /// Metric name (`s0-redis-orders`).
        pub metric_name: String,
        /// Value.
        pub value: Option<Quantity>,
        /// When it was read.
        pub timestamp: Option<Time>,
    }
}

impl ExternalMetricValueList {
    /// The value the HPA uses: the sum of every series (`None` when there is none).
    pub fn total(&self) -> Option<f64> {
        let values: Vec<f64> = self.items.iter().filter_map(|i| i.value.map(|q| q.as_f64())).collect();
        (!values.is_empty()).then(|| values.iter().sum())
    }
}
