//! Feeds the journal: scaling events and condition transitions seen in the watch caches.
//!
//! Runs every few seconds over a snapshot; the journal's uid key makes every pass idempotent, so
//! restarts and relists never duplicate an entry.

use crate::caches::{Caches, Snapshot};
use crate::journal::{Entry, EntryKind, Journal};
use crate::metrics::Metrics;
use model::Condition;
use model::k8s::Event;
use std::sync::Arc;
use std::time::Duration;

/// Event reasons that belong to scaling (KEDA, the HPA, the scheduler, Karpenter, workload controllers).
pub const SCALING_REASONS: &[&str] = &[
    // HPA
    "SuccessfulRescale",
    "FailedRescale",
    "FailedGetExternalMetric",
    "FailedComputeMetricsReplicas",
    "FailedGetScale",
    // scheduler and Karpenter
    "FailedScheduling",
    "Nominated",
    "InsufficientCapacityError",
    "NoCompatibleInstanceTypes",
    "Unconsolidatable",
    "Launched",
    "Registered",
    "Initialized",
    "TerminationGracePeriodExpiring",
    // Deployments, StatefulSets, Jobs
    "ScalingReplicaSet",
];

/// Reason prefixes that always belong to scaling (KEDA's and Karpenter's disruption family).
pub const SCALING_REASON_PREFIXES: &[&str] = &["KEDA", "ScaledObject", "ScaledJob", "Disruption"];

/// True if an event with this reason goes into the journal.
pub fn is_scaling_reason(reason: &str) -> bool {
    SCALING_REASONS.contains(&reason) || SCALING_REASON_PREFIXES.iter().any(|p| reason.starts_with(p))
}

/// A journal entry for a scaling event (None for other events or events without a uid).
pub fn event_entry(e: &Event) -> Option<Entry> {
    if !is_scaling_reason(e.reason()) || e.metadata.uid().is_empty() {
        return None;
    }
    let s = e.subject();
    let first = e.first_seen()?.unix_millis();
    let last = e.last_seen().map(|t| t.unix_millis()).unwrap_or(first);
    let (group, _) = model::meta::split_api_version(s.api_version.as_deref().unwrap_or(""));
    Some(Entry {
        uid: e.metadata.uid().to_owned(),
        kind: EntryKind::Event,
        first_ms: first.min(last),
        last_ms: last,
        count: i64::from(e.occurrences()),
        namespace: s.namespace.clone().unwrap_or_else(|| e.metadata.ns().to_owned()),
        object_group: group.to_owned(),
        object_kind: s.kind.clone(),
        object_name: s.name.clone(),
        object_uid: s.uid.clone().unwrap_or_default(),
        reason: e.reason().to_owned(),
        r#type: e.type_.clone().unwrap_or_default(),
        message: e.text().to_owned(),
        source: e.reporter().to_owned(),
    })
}

/// Who an entry is about.
pub struct Subject<'a> {
    /// API group.
    pub group: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// Namespace (`""` for cluster-scoped).
    pub namespace: &'a str,
    /// Name.
    pub name: &'a str,
    /// Uid.
    pub uid: &'a str,
}

/// Journal entries for the condition transitions of one object.
pub fn condition_entries(subject: &Subject<'_>, conditions: &[Condition]) -> Vec<Entry> {
    conditions
        .iter()
        .filter_map(|c| {
            let at = c.last_transition_time?.unix_millis();
            Some(Entry {
                uid: format!("condition/{}/{}/{}/{at}", subject.uid, c.type_, c.status),
                kind: EntryKind::Condition,
                first_ms: at,
                last_ms: at,
                count: 1,
                namespace: subject.namespace.to_owned(),
                object_group: subject.group.to_owned(),
                object_kind: subject.kind.to_owned(),
                object_name: subject.name.to_owned(),
                object_uid: subject.uid.to_owned(),
                reason: c.type_.clone(),
                r#type: c.status.clone(),
                message: c.message.clone().unwrap_or_default(),
                source: String::new(),
            })
        })
        .collect()
}

/// Every entry a snapshot yields.
pub fn entries(snap: &Snapshot) -> Vec<Entry> {
    let mut out: Vec<Entry> = snap.events.iter().filter_map(|e| event_entry(&e.object)).collect();
    let mut add = |group: &str, kind: &str, meta: &model::ObjectMeta, conditions: &[Condition]| {
        if meta.uid().is_empty() {
            return;
        }
        let s = Subject { group, kind, namespace: meta.ns(), name: &meta.name, uid: meta.uid() };
        out.extend(condition_entries(&s, conditions));
    };
    for o in &snap.scaledobjects {
        add("keda.sh", "ScaledObject", &o.object.metadata, &o.object.status.conditions);
    }
    for o in &snap.scaledjobs {
        add("keda.sh", "ScaledJob", &o.object.metadata, &o.object.status.conditions);
    }
    for o in &snap.hpas {
        add("autoscaling", "HorizontalPodAutoscaler", &o.object.metadata, &o.object.status.conditions);
    }
    for o in &snap.nodepools {
        add("karpenter.sh", "NodePool", &o.object.metadata, &o.object.status.conditions);
    }
    for o in &snap.nodeclaims {
        add("karpenter.sh", "NodeClaim", &o.object.metadata, &o.object.status.conditions);
    }
    out
}

/// Records what the caches hold every `period`, and enforces retention every pass.
pub async fn run(
    caches: Arc<Caches>,
    journal: Journal,
    metrics: Metrics,
    period: Duration,
    retention: Duration,
    max_bytes: u64,
) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seen_generation = u64::MAX;
    loop {
        tick.tick().await;
        let generation = caches.changes.generation();
        let snap = (generation != seen_generation).then(|| caches.snapshot());
        seen_generation = generation;
        let max_age = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        let budget = i64::try_from(max_bytes).unwrap_or(i64::MAX);
        let result = journal
            .run(move |j| {
                let new = match snap {
                    Some(s) => j.record(&entries(&s))?,
                    None => 0,
                };
                let now = jiff::Timestamp::now().as_millisecond();
                Ok((new, j.enforce_retention(now, max_age, budget)?))
            })
            .await;
        match result {
            Ok((new, stats)) => {
                if new > 0 {
                    tracing::debug!(new, entries = stats.entries, "journal updated");
                }
                metrics.journal_entries.set(stats.entries);
                metrics.journal_bytes.set(stats.bytes);
            }
            Err(e) => tracing::error!(error = %e, "journal update failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> Event {
        model::meta::parse_object::<Event>(json).expect("json").expect("object")
    }

    #[test]
    fn scaling_event_becomes_an_entry() {
        let e = event(
            r#"{"metadata":{"name":"worker.1","namespace":"team-a","uid":"ev-1"},
                "involvedObject":{"apiVersion":"keda.sh/v1alpha1","kind":"ScaledObject","namespace":"team-a","name":"worker","uid":"so-1"},
                "reason":"KEDAScaleTargetActivated","message":"Scaled apps/v1.Deployment team-a/worker from 0 to 1",
                "type":"Normal","count":2,"firstTimestamp":"2026-11-30T05:00:00Z","lastTimestamp":"2026-11-30T05:10:00Z",
                "source":{"component":"keda-operator"}}"#,
        );
        let entry = event_entry(&e).expect("scaling event");
        assert_eq!(entry.uid, "ev-1");
        assert_eq!((entry.object_group.as_str(), entry.object_kind.as_str()), ("keda.sh", "ScaledObject"));
        assert_eq!(entry.count, 2);
        assert_eq!(entry.last_ms - entry.first_ms, 600_000);
        assert_eq!(entry.source, "keda-operator");
    }

    #[test]
    fn other_events_are_skipped() {
        let e = event(
            r#"{"metadata":{"name":"p.1","namespace":"a","uid":"ev-2"},"reason":"Pulled","firstTimestamp":"2026-11-30T05:00:00Z"}"#,
        );
        assert!(event_entry(&e).is_none());
        assert!(is_scaling_reason("DisruptionBlocked"));
        assert!(is_scaling_reason("KEDAScalerFailed"));
        assert!(!is_scaling_reason("Pulled"));
    }

    #[test]
    fn condition_transition_key_is_stable() {
        let c: Vec<Condition> = serde_json::from_str(
            r#"[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-30T05:00:00Z","message":"ok"},
                {"type":"Active","status":"False"}]"#,
        )
        .expect("conditions");
        let s =
            Subject { group: "keda.sh", kind: "ScaledObject", namespace: "team-a", name: "w", uid: "so-1" };
        let e = condition_entries(&s, &c);
        assert_eq!(e.len(), 1, "a condition without transition time has no moment to record");
        assert_eq!(e[0].uid, format!("condition/so-1/Ready/True/{}", e[0].first_ms));
    }
}
