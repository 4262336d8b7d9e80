//! The scaling journal: scaling events and condition transitions kept beyond the one-hour
//! life of Kubernetes events. Entries are idempotent by `uid` (an event's uid, or a derived
//! key for a condition transition), so re-reading the same event or status never duplicates.

use crate::k8s::Event;
use crate::meta::{Condition, ObjectMeta, split_api_version};
use crate::time::Time;
use crate::{karpenter, keda};
use serde::{Deserialize, Serialize};

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum EntryKind {
    /// A Kubernetes Event.
    #[default]
    Event,
    /// A condition that changed status.
    Condition,
}

/// One journal entry (mirrors the server's stored row; times as RFC 3339 in JSON).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JournalEntry {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `JournalEntry`.
    pub kind: String,
    /// Served metadata: name = uid, namespace = the object's namespace.
    pub metadata: ObjectMeta,
    /// Idempotency key: the event uid, or `<object uid>/<condition>/<status>/<transition ms>`.
    pub uid: String,
    /// Event or condition change.
    pub entry_kind: EntryKind,
    /// First occurrence.
    pub first_time: Time,
    /// Last occurrence.
    pub last_time: Time,
    /// Occurrences.
    pub count: i32,
    /// Namespace of the object ("" for cluster-scoped).
    pub namespace: String,
    /// API group of the object.
    pub object_group: String,
    /// Kind of the object.
    pub object_kind: String,
    /// Name of the object.
    pub object_name: String,
    /// Uid of the object.
    pub object_uid: String,
    /// Event reason, or the condition type for transitions.
    pub reason: String,
    /// `Normal`/`Warning` for events; the new status (`True`/`False`/`Unknown`) for transitions.
    #[serde(rename = "type")]
    pub type_: String,
    /// Message.
    pub message: String,
    /// Reporter (`keda-operator`, `karpenter`, `horizontal-pod-autoscaler`, ...) or `status`.
    pub source: String,
}

/// Event reasons worth keeping: KEDA, HPA and Karpenter scaling decisions and failures.
pub const SCALING_REASONS: &[&str] = &[
    keda::reasons::ACTIVATED,
    keda::reasons::DEACTIVATED,
    keda::reasons::ACTIVATION_FAILED,
    keda::reasons::DEACTIVATION_FAILED,
    keda::reasons::SCALER_FAILED,
    keda::reasons::METRIC_SOURCE_FAILED,
    keda::reasons::SO_CHECK_FAILED,
    keda::reasons::SO_PAUSED,
    keda::reasons::SO_UNPAUSED,
    keda::reasons::FALLBACK_ACTIVATED,
    keda::reasons::FALLBACK_DEACTIVATED,
    keda::reasons::SJ_ACTIVE,
    keda::reasons::SJ_INACTIVE,
    keda::reasons::JOBS_CREATED,
    keda::reasons::JOB_CREATE_FAILED,
    "SuccessfulRescale",
    "FailedGetExternalMetric",
    "FailedComputeMetricsReplicas",
    karpenter::reasons::NOMINATED,
    karpenter::reasons::FAILED_SCHEDULING,
    karpenter::reasons::NO_COMPATIBLE_INSTANCE_TYPES,
    karpenter::reasons::INSUFFICIENT_CAPACITY,
    karpenter::reasons::NODECLASS_NOT_READY,
    karpenter::reasons::DISRUPTION_BLOCKED,
    karpenter::reasons::DISRUPTION_LAUNCHING,
    karpenter::reasons::DISRUPTION_TERMINATING,
    karpenter::reasons::DISRUPTION_WAITING_READINESS,
    karpenter::reasons::UNCONSOLIDATABLE,
    karpenter::reasons::DISRUPTED,
    karpenter::reasons::EVICTED,
    karpenter::reasons::FAILED_DRAINING,
];

/// Whether an event is a scaling event the journal keeps.
pub fn is_scaling_event(e: &Event) -> bool {
    SCALING_REASONS.contains(&e.reason())
}

fn served_meta(uid: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: uid.replace('/', "."),
        namespace: (!namespace.is_empty()).then(|| namespace.to_owned()),
        ..Default::default()
    }
}

/// The journal entry of a scaling event (`None` for other events or events without uid/time).
pub fn from_event(e: &Event) -> Option<JournalEntry> {
    if !is_scaling_event(e) {
        return None;
    }
    let uid = e.metadata.uid.clone().filter(|u| !u.is_empty())?;
    let first = e.first_seen()?;
    let last = e.last_seen().unwrap_or(first);
    // Not recorded under an object its namespace does not vouch for (see Event::trusted_subject).
    let s = e.trusted_subject()?;
    let ns = s.namespace.clone().unwrap_or_default();
    Some(JournalEntry {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::JOURNAL.kind.to_owned(),
        metadata: served_meta(&uid, &ns),
        uid,
        entry_kind: EntryKind::Event,
        first_time: first,
        last_time: last.max(first),
        count: e.occurrences(),
        namespace: ns,
        object_group: split_api_version(s.api_version.as_deref().unwrap_or("")).0.to_owned(),
        object_kind: s.kind.clone(),
        object_name: s.name.clone(),
        object_uid: s.uid.clone().unwrap_or_default(),
        reason: e.reason().to_owned(),
        type_: e.type_.clone().unwrap_or_default(),
        message: e.text().to_owned(),
        source: e.reporter().to_owned(),
    })
}

/// Entries for conditions whose status changed between two versions of an object's status.
/// A condition seen for the first time is recorded too (its transition time tells when).
/// `now` stands in for a missing `lastTransitionTime`.
pub fn condition_changes(
    api_version: &str,
    kind: &str,
    meta: &ObjectMeta,
    old: &[Condition],
    new: &[Condition],
    now: Time,
) -> Vec<JournalEntry> {
    let object_uid = meta.uid().to_owned();
    new.iter()
        .filter(|c| old.iter().find(|o| o.type_ == c.type_).is_none_or(|o| o.status != c.status))
        .map(|c| {
            let at = c.last_transition_time.unwrap_or(now);
            let uid = format!("{object_uid}/{}/{}/{}", c.type_, c.status, at.0);
            JournalEntry {
                api_version: crate::api::API_VERSION.to_owned(),
                kind: crate::api::JOURNAL.kind.to_owned(),
                metadata: served_meta(&uid, meta.ns()),
                uid,
                entry_kind: EntryKind::Condition,
                first_time: at,
                last_time: at,
                count: 1,
                namespace: meta.ns().to_owned(),
                object_group: split_api_version(api_version).0.to_owned(),
                object_kind: kind.to_owned(),
                object_name: meta.name.clone(),
                object_uid: object_uid.clone(),
                reason: c.type_.clone(),
                type_: c.status.clone(),
                message: c.message.clone().or_else(|| c.reason.clone()).unwrap_or_default(),
                source: "status".to_owned(),
            }
        })
        .collect()
}

/// Merges another observation of the same entry (same uid): the earliest first time, the latest last
/// time, the highest count, and the message of the latest observation (on a tie, the larger text). A
/// join: the order of merges never changes the result (replicas and the server's journal agree).
pub fn merge(into: &mut JournalEntry, other: &JournalEntry) {
    into.first_time = into.first_time.min(other.first_time);
    if other.last_time > into.last_time || (other.last_time == into.last_time && other.message > into.message)
    {
        into.message.clone_from(&other.message);
    }
    into.last_time = into.last_time.max(other.last_time);
    into.count = into.count.max(other.count);
}

/// Entries in `[from, to)` by last time, newest first (the `journal` resource's time-range query).
pub fn in_range<'a>(
    entries: impl Iterator<Item = &'a JournalEntry>,
    from: Time,
    to: Time,
) -> Vec<&'a JournalEntry> {
    let mut v: Vec<&JournalEntry> = entries.filter(|e| e.last_time >= from && e.last_time < to).collect();
    v.sort_by(|a, b| b.last_time.cmp(&a.last_time).then_with(|| a.uid.cmp(&b.uid)));
    v
}
