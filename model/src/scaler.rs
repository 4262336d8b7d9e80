//! The scaler view: a ScaledObject (or ScaledJob) with its triggers' live values against
//! target and activation, the HPA it owns (found by `status.hpaName`, never an assumed name),
//! health, fallback, pause state, at-zero-since, and the pods of its target resolved through
//! `scaleTargetRef` (any `/scale` kind).

use crate::cost::{Savings, share_of};
use crate::k8s::{HorizontalPodAutoscaler, Pod, Workload};
use crate::keda::{ScaledJob, ScaledObject, Trigger, annotations, reasons};
use crate::meta::{Condition, ObjectMeta, ObjectRef, Resource, condition};
use crate::quantity::round6;
use crate::snapshot::Index;
use crate::time::Time;
use serde::{Deserialize, Serialize};

/// The one-word state of a scaler (precedence: Paused, Fallback, Error, Active, AtZero, Idle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ScalerState {
    /// Paused by annotation.
    Paused,
    /// Serving fallback replicas because its scalers fail.
    Fallback,
    /// Not ready or a scaler is failing.
    Error,
    /// A trigger is active.
    Active,
    /// Idle with the target at zero replicas.
    AtZero,
    /// Idle at its minimum (> 0).
    Idle,
    /// No status yet.
    #[default]
    Unknown,
}

/// Pause state from the `Paused` condition and the annotations, in one definition.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PauseState {
    /// Scaling is paused (condition, `paused: "true"` or `paused-replicas`).
    pub paused: bool,
    /// Paused at this replica count.
    pub paused_replicas: Option<i32>,
    /// Scale-in blocked.
    pub scale_in_paused: bool,
    /// Scale-out blocked.
    pub scale_out_paused: bool,
    /// Force-activation requested.
    pub force_activation: bool,
}

fn truthy(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Reads the pause state of a ScaledObject or ScaledJob.
pub fn pause_state(meta: &ObjectMeta, conditions: &[Condition]) -> PauseState {
    let paused_replicas =
        meta.annotation(annotations::PAUSED_REPLICAS).and_then(|v| v.trim().parse::<i32>().ok());
    PauseState {
        paused: truthy(meta.annotation(annotations::PAUSED))
            || paused_replicas.is_some()
            || condition(conditions, "Paused").is_some_and(|c| c.is_true()),
        paused_replicas,
        scale_in_paused: truthy(meta.annotation(annotations::PAUSED_SCALE_IN)),
        scale_out_paused: truthy(meta.annotation(annotations::PAUSED_SCALE_OUT)),
        force_activation: truthy(meta.annotation(annotations::FORCE_ACTIVATION)),
    }
}

impl ScaledObject {
    /// Pause state (condition and annotations).
    pub fn pause_state(&self) -> PauseState {
        pause_state(&self.metadata, &self.status.conditions)
    }
}

impl ScaledJob {
    /// Pause state (condition and annotations).
    pub fn pause_state(&self) -> PauseState {
        pause_state(&self.metadata, &self.status.conditions)
    }
}

/// One trigger with its live value against target and activation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerView {
    /// Position in `spec.triggers`.
    pub index: usize,
    /// Trigger name, if set.
    pub name: Option<String>,
    /// Scaler type.
    #[serde(rename = "type")]
    pub type_: String,
    /// External (or resource) metric name (`s0-redis-orders`).
    pub metric_name: Option<String>,
    /// `AverageValue`, `Value`, `Utilization`.
    pub metric_type: String,
    /// Target threshold (metadata key given in `target_key`).
    pub target: Option<f64>,
    /// Metadata key the target came from.
    pub target_key: Option<String>,
    /// The target is KEDA's default for this scaler (its key is not set).
    pub target_defaulted: bool,
    /// Activation threshold.
    pub activation: Option<f64>,
    /// Metadata key of the activation threshold.
    pub activation_key: Option<String>,
    /// The activation is KEDA's default (0 for most scalers).
    pub activation_defaulted: bool,
    /// Live value.
    pub value: Option<f64>,
    /// Where the value came from: `externalMetrics` (live) or `hpa` (last read by the HPA).
    pub value_source: Option<String>,
    /// Value relative to the target (for `AverageValue`: per current replica). 1.0 = at target.
    pub ratio: Option<f64>,
    /// Active (triggersActivity, or value > activation).
    pub active: Option<bool>,
    /// `Happy` / `Failing` from `status.health`.
    pub health: Option<String>,
    /// Consecutive failures.
    pub failures: Option<i32>,
    /// Authentication reference (`kind/name`).
    pub authentication: Option<String>,
}

/// The HPA KEDA manages, as the scaler view shows it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HpaView {
    /// Name (from `status.hpaName`).
    pub name: String,
    /// Found in the snapshot.
    pub found: bool,
    /// Min replicas.
    pub min_replicas: Option<i32>,
    /// Max replicas.
    pub max_replicas: Option<i32>,
    /// Current replicas.
    pub current_replicas: Option<i32>,
    /// Desired replicas.
    pub desired_replicas: Option<i32>,
    /// Last scale time.
    pub last_scale_time: Option<Time>,
    /// Conditions.
    pub conditions: Vec<Condition>,
}

/// Fallback settings and whether fallback is on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FallbackView {
    /// Fallback condition is True.
    pub active: bool,
    /// Failures before fallback.
    pub failure_threshold: Option<i32>,
    /// Fallback replicas.
    pub replicas: Option<i32>,
    /// Behavior.
    pub behavior: Option<String>,
}

/// A pod of the target, short.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSummary {
    /// Name.
    pub name: String,
    /// Phase.
    pub phase: String,
    /// Ready.
    pub ready: bool,
    /// Node.
    pub node: Option<String>,
    /// Created.
    pub created: Option<Time>,
}

/// A Job of a ScaledJob, short (completions = `spec.completions`, succeeded = `status.succeeded`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JobSummary {
    /// Name.
    pub name: String,
    /// Running pods.
    pub active: i32,
    /// Succeeded pods.
    pub succeeded: i32,
    /// Failed pods.
    pub failed: i32,
    /// Wanted completions.
    pub completions: Option<i32>,
    /// Parallelism.
    pub parallelism: Option<i32>,
    /// Started.
    pub started: Option<Time>,
    /// Finished.
    pub finished: Option<Time>,
    /// `Running`, `Succeeded`, `Failed`, `Suspended`.
    pub state: String,
}

/// Summarizes a Job.
pub fn job_summary(j: &crate::k8s::Job) -> JobSummary {
    let cond = |t: &str| condition(&j.status.conditions, t).is_some_and(|c| c.is_true());
    let state = if cond("Failed") {
        "Failed"
    } else if cond("Complete") || (j.status.completion_time.is_some() && j.status.active.unwrap_or(0) == 0) {
        "Succeeded"
    } else if cond("Suspended") {
        "Suspended"
    } else {
        "Running"
    };
    JobSummary {
        name: j.metadata.name.clone(),
        active: j.status.active.unwrap_or(0),
        succeeded: j.status.succeeded.unwrap_or(0),
        failed: j.status.failed.unwrap_or(0),
        completions: j.spec.completions,
        parallelism: j.spec.parallelism,
        started: j.status.start_time,
        finished: j.status.completion_time,
        state: state.to_owned(),
    }
}

/// A scaler as the API serves it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Scaler {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `Scaler`.
    pub kind: String,
    /// Name (ScaledJobs: `<name>.scaledjob`), namespace, uid, creation time of the KEDA object.
    pub metadata: ObjectMeta,
    /// The KEDA object.
    pub source: ObjectRef,
    /// The scale target (ScaledJobs: none).
    pub target: Option<ObjectRef>,
    /// Whether the target exists in the snapshot.
    pub target_found: bool,
    /// One-word state.
    pub state: ScalerState,
    /// Ready condition.
    pub ready: Option<bool>,
    /// Active condition.
    pub active: Option<bool>,
    /// A scaler is failing or Ready is False.
    pub erroring: bool,
    /// Pause state.
    pub pause: PauseState,
    /// Fallback.
    pub fallback: Option<FallbackView>,
    /// Min replicas (KEDA default 0).
    pub min_replicas: i32,
    /// Max replicas (KEDA default 100).
    pub max_replicas: i32,
    /// Idle replicas.
    pub idle_replicas: Option<i32>,
    /// Current replicas of the target (ScaledJobs: running jobs).
    pub current_replicas: Option<i32>,
    /// Desired replicas (HPA desired, else the target's spec).
    pub desired_replicas: Option<i32>,
    /// Ready replicas.
    pub ready_replicas: Option<i32>,
    /// Trigger types, in order.
    pub trigger_types: Vec<String>,
    /// Triggers.
    pub triggers: Vec<TriggerView>,
    /// The HPA.
    pub hpa: Option<HpaView>,
    /// Conditions as written.
    pub conditions: Vec<Condition>,
    /// Last time a trigger was active.
    pub last_active: Option<Time>,
    /// Since when the target is at zero.
    pub at_zero_since: Option<Time>,
    /// `at_zero_since` is estimated (lastActiveTime + cooldown) rather than seen in an event.
    pub at_zero_since_estimated: bool,
    /// Pods of the target.
    pub pods: Vec<PodSummary>,
    /// Pending pods of the target.
    pub pending_pods: i32,
    /// Jobs (ScaledJobs only), newest first.
    pub jobs: Vec<JobSummary>,
    /// Cost per hour of its pods (share of their nodes' prices).
    pub cost_per_hour: Option<f64>,
    /// Savings while at zero.
    pub savings: Option<Savings>,
    /// Things that look wrong (missing HPA, missing target, ...).
    pub problems: Vec<String>,
}

/// (key, target, activation) of a trigger's thresholds (see [`crate::thresholds`]).
pub fn thresholds(t: &Trigger) -> (Option<String>, Option<f64>, Option<f64>) {
    let th = crate::thresholds::thresholds(t);
    (th.target_key, th.target, th.activation)
}

/// The external metric name KEDA gave trigger `index` (`s<index>-...`).
fn metric_name_of(names: &[String], index: usize) -> Option<String> {
    let prefix = format!("s{index}-");
    names.iter().find(|n| n.starts_with(&prefix)).cloned()
}

fn hpa_value(hpa: Option<&HorizontalPodAutoscaler>, metric: &str) -> Option<f64> {
    let m = hpa?.status.current_metrics.iter().find(|m| m.name() == metric)?;
    let cur = m.source()?.current.as_ref()?;
    cur.value.or(cur.average_value).map(|q| q.as_f64())
}

#[allow(clippy::too_many_arguments)]
fn trigger_views(
    triggers: &[Trigger],
    external_names: &[String],
    health: &std::collections::BTreeMap<String, crate::keda::HealthStatus>,
    activity: &std::collections::BTreeMap<String, crate::keda::TriggerActivity>,
    ns: &str,
    name: &str,
    ix: &Index,
    hpa: Option<&HorizontalPodAutoscaler>,
    replicas: Option<i32>,
) -> Vec<TriggerView> {
    triggers
        .iter()
        .enumerate()
        .map(|(index, t)| {
            let th = crate::thresholds::thresholds(t);
            let (target, activation) = (th.target, th.activation);
            let metric_name = metric_name_of(external_names, index);
            let live = metric_name.as_deref().and_then(|m| ix.snap.live.get(ns, name, m));
            let from_hpa = metric_name.as_deref().and_then(|m| hpa_value(hpa, m));
            let metric_type = t.metric_type.clone().unwrap_or_else(|| "AverageValue".to_owned());
            let (value, value_source) = match (live, from_hpa) {
                (Some(v), _) => (Some(v), Some("externalMetrics".to_owned())),
                (None, Some(v)) => (Some(v), Some("hpa".to_owned())),
                _ => (None, None),
            };
            // The HPA reports AverageValue metrics already divided by replicas.
            let per_replica = match (value, value_source.as_deref(), metric_type.as_str()) {
                (Some(v), Some("externalMetrics"), "AverageValue") => {
                    Some(v / f64::from(replicas.unwrap_or(1).max(1)))
                }
                (v, _, _) => v,
            };
            let ratio = match (per_replica, target) {
                (Some(v), Some(t)) if t != 0.0 => Some(round6(v / t)),
                _ => None,
            };
            let activity_key =
                t.name.as_deref().filter(|n| activity.contains_key(*n)).or(metric_name.as_deref());
            let active = activity_key.and_then(|k| activity.get(k)).and_then(|a| a.is_active).or(
                match (live, activation) {
                    (Some(v), Some(a)) => Some(v > a),
                    (Some(v), None) => Some(v > 0.0),
                    _ => None,
                },
            );
            let h = metric_name.as_deref().and_then(|m| health.get(m));
            TriggerView {
                index,
                name: t.name.clone(),
                type_: t.type_.clone(),
                metric_name,
                metric_type,
                target,
                target_key: th.target_key,
                target_defaulted: th.target_defaulted,
                activation,
                activation_key: th.activation_key,
                activation_defaulted: th.activation_defaulted,
                value: value.map(round6),
                value_source,
                ratio,
                active,
                health: h.and_then(|h| h.status.clone()),
                failures: h.and_then(|h| h.number_of_failures),
                authentication: t
                    .authentication_ref
                    .as_ref()
                    .map(|a| format!("{}/{}", a.kind.as_deref().unwrap_or("TriggerAuthentication"), a.name)),
            }
        })
        .collect()
}

fn pod_summary(p: &Pod) -> PodSummary {
    PodSummary {
        name: p.metadata.name.clone(),
        phase: p.phase().to_owned(),
        ready: p.is_ready(),
        node: p.spec.node_name.clone().filter(|n| !n.is_empty()),
        created: p.metadata.creation_timestamp,
    }
}

fn state(
    pause: &PauseState,
    fallback: bool,
    erroring: bool,
    active: Option<bool>,
    current: Option<i32>,
) -> ScalerState {
    if pause.paused {
        ScalerState::Paused
    } else if fallback {
        ScalerState::Fallback
    } else if erroring {
        ScalerState::Error
    } else if active == Some(true) {
        ScalerState::Active
    } else if active == Some(false) && current == Some(0) {
        ScalerState::AtZero
    } else if active == Some(false) {
        ScalerState::Idle
    } else {
        ScalerState::Unknown
    }
}

/// The state of a ScaledObject given its target's current replicas (same rule as the view).
pub fn state_of(so: &ScaledObject, current: Option<i32>) -> ScalerState {
    state(
        &so.pause_state(),
        so.condition("Fallback") == Some(true),
        erroring(so),
        so.condition("Active"),
        current,
    )
}

/// Ready is False or a scaler reports `Failing`.
fn erroring(so: &ScaledObject) -> bool {
    so.condition("Ready") == Some(false)
        || so.status.health.values().any(|h| h.status.as_deref() == Some("Failing"))
}

/// Cost of pods: each pod's share of its node's price.
fn pods_cost(ix: &Index, pods: &[&Pod]) -> Option<f64> {
    let mut total = None;
    for p in pods.iter().filter(|p| !p.is_terminal()) {
        let Some(node) = p.spec.node_name.as_deref().and_then(|n| ix.node(n)) else { continue };
        let Some(price) = crate::cost::price_of(&node.metadata.labels, ix.snap.pricing) else { continue };
        *total.get_or_insert(0.0) += price.per_hour * share_of(&p.requests(), &node.status.allocatable);
    }
    total.map(round6)
}

fn savings(
    ix: &Index,
    so: &ScaledObject,
    w: Option<&Workload>,
    at_zero_since: Option<Time>,
    now: Time,
) -> Option<Savings> {
    let since = at_zero_since?;
    let requests = w?.pod_requests();
    let units = ix.unit_prices?;
    let per_replica = units.pod_per_hour(&requests);
    let baseline = so.status.original_replica_count.unwrap_or(1).max(1);
    let at_zero_seconds = now.seconds_since(since).max(0.0);
    let per_hour = per_replica * f64::from(baseline);
    Some(Savings {
        baseline_replicas: baseline,
        per_replica_per_hour: round6(per_replica),
        per_hour: round6(per_hour),
        at_zero_seconds,
        saved: round6(per_hour * at_zero_seconds / 3600.0),
    })
}

/// Builds the view of one ScaledObject.
pub fn scaled_object_view(ix: &Index, so: &ScaledObject, now: Time) -> Scaler {
    let ns = so.metadata.ns();
    let name = so.metadata.name.as_str();
    let tref = &so.spec.scale_target_ref;
    let workload = ix.workload(ns, tref.api_version(), tref.kind(), &tref.name);
    let mut problems = Vec::new();
    let hpa_name = so.hpa_name();
    let hpa = hpa_name.and_then(|h| ix.hpa(ns, h));
    if let Some(h) = hpa_name
        && hpa.is_none()
    {
        problems.push(format!("HPA {h} (status.hpaName) was not found"));
    }
    if workload.is_none() {
        problems.push(format!("scale target {}/{} was not found", tref.kind(), tref.name));
    }
    let pods: Vec<&Pod> = workload.map(|w| ix.pods_of(w)).unwrap_or_default();
    let current =
        workload.map(Workload::current_replicas).or_else(|| hpa.and_then(|h| h.status.current_replicas));
    let desired =
        hpa.and_then(|h| h.status.desired_replicas).or_else(|| workload.and_then(|w| w.spec.replicas));
    let ready_replicas = workload
        .and_then(|w| w.status.ready_replicas)
        .or(Some(pods.iter().filter(|p| p.is_ready()).count() as i32));
    let triggers = trigger_views(
        &so.spec.triggers,
        &so.status.external_metric_names,
        &so.status.health,
        &so.status.triggers_activity,
        ns,
        name,
        ix,
        hpa,
        current,
    );
    let pause = so.pause_state();
    let fallback_on = so.condition("Fallback") == Some(true);
    let erroring = so.condition("Ready") == Some(false)
        || triggers.iter().any(|t| t.health.as_deref() == Some("Failing"));
    let active = so.condition("Active");
    // At zero since: the last deactivation event (by uid), else estimated.
    let events = ix.events_about(ScaledObject::KIND, ns, name, so.metadata.uid());
    let (mut at_zero_since, mut estimated) = (None, false);
    if current == Some(0) {
        let deactivated =
            events.iter().filter(|e| e.reason() == reasons::DEACTIVATED).filter_map(|e| e.last_seen()).max();
        let journaled = ix
            .journal_about(so.metadata.uid())
            .iter()
            .filter(|j| j.reason == reasons::DEACTIVATED)
            .map(|j| j.last_time)
            .max();
        at_zero_since = deactivated.max(journaled);
        if at_zero_since.is_none()
            && let Some(last) = so.status.last_active_time
        {
            at_zero_since = Some(Time(last.0 + i64::from(so.cooldown_period()) * 1000));
            estimated = true;
        }
    }
    let savings = savings(ix, so, workload, at_zero_since, now);
    let fallback = so.spec.fallback.as_ref().map(|f| FallbackView {
        active: fallback_on,
        failure_threshold: f.failure_threshold,
        replicas: f.replicas,
        behavior: f.behavior.clone(),
    });
    Scaler {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::SCALERS.kind.to_owned(),
        metadata: crate::api::view_meta(&so.metadata, true),
        source: so.object_ref(),
        target: Some(ObjectRef {
            api_version: tref.api_version().to_owned(),
            kind: tref.kind().to_owned(),
            namespace: ns.to_owned(),
            name: tref.name.clone(),
            uid: workload.map(|w| w.metadata.uid().to_owned()).unwrap_or_default(),
        }),
        target_found: workload.is_some(),
        state: state(&pause, fallback_on, erroring, active, current),
        ready: so.condition("Ready"),
        active,
        erroring,
        pause,
        fallback,
        min_replicas: so.min_replicas(),
        max_replicas: so.max_replicas(),
        idle_replicas: so.spec.idle_replica_count,
        current_replicas: current,
        desired_replicas: desired,
        ready_replicas,
        trigger_types: so.spec.triggers.iter().map(|t| t.type_.clone()).collect(),
        triggers,
        hpa: hpa_name.map(|h| HpaView {
            name: h.to_owned(),
            found: hpa.is_some(),
            min_replicas: hpa.and_then(|h| h.spec.min_replicas),
            max_replicas: hpa.and_then(|h| h.spec.max_replicas),
            current_replicas: hpa.and_then(|h| h.status.current_replicas),
            desired_replicas: hpa.and_then(|h| h.status.desired_replicas),
            last_scale_time: hpa.and_then(|h| h.status.last_scale_time),
            conditions: hpa.map(|h| h.status.conditions.clone()).unwrap_or_default(),
        }),
        conditions: so.status.conditions.clone(),
        last_active: so.status.last_active_time,
        at_zero_since,
        at_zero_since_estimated: estimated,
        pending_pods: pods.iter().filter(|p| p.phase() == "Pending").count() as i32,
        jobs: Vec::new(),
        cost_per_hour: pods_cost(ix, &pods),
        pods: pods.iter().map(|p| pod_summary(p)).collect(),
        savings,
        problems,
    }
}

/// Builds the view of one ScaledJob (named `<name>.scaledjob`).
pub fn scaled_job_view(ix: &Index, sj: &ScaledJob, _now: Time) -> Scaler {
    let ns = sj.metadata.ns();
    let jobs = ix.jobs_of(ns, &sj.metadata.name);
    let running: Vec<_> = jobs
        .iter()
        .filter(|j| j.status.completion_time.is_none() && j.status.active.unwrap_or(0) > 0)
        .collect();
    let job_names: std::collections::HashSet<&str> = jobs.iter().map(|j| j.metadata.name.as_str()).collect();
    let pods: Vec<&Pod> = ix
        .pods_in(ns)
        .iter()
        .copied()
        .filter(|p| {
            p.metadata.controller().is_some_and(|o| o.kind == "Job" && job_names.contains(o.name.as_str()))
        })
        .collect();
    let triggers = trigger_views(
        &sj.spec.triggers,
        &sj.status.external_metric_names,
        &Default::default(),
        &sj.status.triggers_activity,
        ns,
        &sj.metadata.name,
        ix,
        None,
        None,
    );
    let pause = sj.pause_state();
    let erroring = sj.condition("Ready") == Some(false);
    let active = sj.condition("Active");
    let current = Some(running.len() as i32);
    let mut metadata = crate::api::view_meta(&sj.metadata, true);
    metadata.name = format!("{}.scaledjob", sj.metadata.name);
    Scaler {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::SCALERS.kind.to_owned(),
        metadata,
        source: sj.object_ref(),
        target: None,
        target_found: true,
        state: state(&pause, false, erroring, active, current),
        ready: sj.condition("Ready"),
        active,
        erroring,
        pause,
        fallback: None,
        min_replicas: sj.spec.min_replica_count.unwrap_or(0),
        max_replicas: sj.spec.max_replica_count.unwrap_or(100),
        idle_replicas: None,
        current_replicas: current,
        desired_replicas: None,
        ready_replicas: Some(pods.iter().filter(|p| p.is_ready()).count() as i32),
        trigger_types: sj.spec.triggers.iter().map(|t| t.type_.clone()).collect(),
        triggers,
        hpa: None,
        conditions: sj.status.conditions.clone(),
        last_active: sj.status.last_active_time,
        at_zero_since: None,
        at_zero_since_estimated: false,
        pending_pods: pods.iter().filter(|p| p.phase() == "Pending").count() as i32,
        jobs: {
            let mut js: Vec<JobSummary> = jobs.iter().map(|j| job_summary(j)).collect();
            js.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.name.cmp(&b.name)));
            js
        },
        cost_per_hour: pods_cost(ix, &pods),
        pods: pods.iter().map(|p| pod_summary(p)).collect(),
        savings: None,
        problems: Vec::new(),
    }
}

/// Views of every ScaledObject and ScaledJob, by namespace and name.
pub fn scalers(ix: &Index, now: Time) -> Vec<Scaler> {
    let mut v: Vec<Scaler> =
        ix.snap.scaled_objects.iter().map(|so| scaled_object_view(ix, so, now)).collect();
    v.extend(ix.snap.scaled_jobs.iter().map(|sj| scaled_job_view(ix, sj, now)));
    v.sort_by(|a, b| (a.metadata.ns(), &a.metadata.name).cmp(&(b.metadata.ns(), &b.metadata.name)));
    v
}
