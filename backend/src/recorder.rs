//! Feeds the journal: scaling events and condition transitions seen in the watch caches.
//!
//! Runs every few seconds over a snapshot; the journal's uid key makes every pass idempotent, so
//! restarts and relists never duplicate an entry.

use crate::caches::{Caches, Snapshot};
use crate::journal::{Entry, Journal};
use crate::metrics::Metrics;
use model::journal::{condition_changes, from_event};
use model::{Condition, ObjectMeta, Time};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Turns snapshots into journal entries, remembering each object's last conditions so only changes
/// are recorded.
#[derive(Debug, Default)]
pub struct Recorder {
    previous: HashMap<String, Vec<Condition>>,
}

impl Recorder {
    /// Scaling events and condition changes since the previous call.
    pub fn entries(&mut self, snap: &Snapshot, now: Time) -> Vec<Entry> {
        let mut out: Vec<Entry> = snap.events.iter().filter_map(|e| from_event(&e.object)).collect();
        let mut seen = HashMap::with_capacity(self.previous.len());
        let mut observe = |api_version: &str, kind: &str, meta: &ObjectMeta, conditions: &[Condition]| {
            let uid = meta.uid();
            if uid.is_empty() {
                return;
            }
            let old = self.previous.get(uid);
            let mut changes =
                condition_changes(api_version, kind, meta, old.map_or(&[], Vec::as_slice), conditions, now);
            if old.is_none() {
                // First sight (also after a restart): only transitions with their own time; a guessed
                // `now` would add a new entry on every restart.
                changes.retain(|e| e.first_time != now);
            }
            out.extend(changes);
            seen.insert(uid.to_owned(), conditions.to_vec());
        };
        for o in &snap.scaledobjects {
            observe("keda.sh/v1alpha1", "ScaledObject", &o.object.metadata, &o.object.status.conditions);
        }
        for o in &snap.scaledjobs {
            observe("keda.sh/v1alpha1", "ScaledJob", &o.object.metadata, &o.object.status.conditions);
        }
        for o in &snap.cloudeventsources {
            observe(
                "eventing.keda.sh/v1alpha1",
                "CloudEventSource",
                &o.object.metadata,
                &o.object.status.conditions,
            );
        }
        for o in &snap.clustercloudeventsources {
            observe(
                "eventing.keda.sh/v1alpha1",
                "ClusterCloudEventSource",
                &o.object.metadata,
                &o.object.status.conditions,
            );
        }
        for o in &snap.hpas {
            observe(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                &o.object.metadata,
                &o.object.status.conditions,
            );
        }
        for o in &snap.nodepools {
            observe("karpenter.sh/v1", "NodePool", &o.object.metadata, &o.object.status.conditions);
        }
        for o in &snap.nodeclaims {
            observe("karpenter.sh/v1", "NodeClaim", &o.object.metadata, &o.object.status.conditions);
        }
        self.previous = seen;
        out
    }
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
    let mut recorder = Recorder::default();
    loop {
        tick.tick().await;
        let generation = caches.changes.generation();
        let now = Time(jiff::Timestamp::now().as_millisecond());
        let entries = (generation != seen_generation).then(|| recorder.entries(&caches.snapshot(), now));
        seen_generation = generation;
        let max_age = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        let budget = i64::try_from(max_bytes).unwrap_or(i64::MAX);
        let result = journal
            .run(move |j| {
                let new = match entries {
                    Some(e) => j.record(&e)?,
                    None => 0,
                };
                Ok((new, j.enforce_retention(now.0, max_age, budget)?))
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
    use crate::watch::Watched;

    fn so(conditions: &str) -> Arc<Watched<model::keda::ScaledObject>> {
        let json = format!(
            r#"{{"metadata":{{"name":"w","namespace":"team-a","uid":"so-1"}},"status":{{"conditions":{conditions}}}}}"#
        );
        Arc::new(serde_json::from_str(&json).expect("scaled object"))
    }

    fn snapshot(scaledobjects: Vec<Arc<Watched<model::keda::ScaledObject>>>) -> Snapshot {
        Snapshot { scaledobjects, ..Snapshot::default() }
    }

    #[test]
    fn only_condition_changes_are_recorded() {
        let mut r = Recorder::default();
        let now = Time::parse("2026-11-30T06:00:00Z").expect("time");
        let first = snapshot(vec![so(
            r#"[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-30T05:00:00Z"},{"type":"Active","status":"False"}]"#,
        )]);
        let e = r.entries(&first, now);
        assert_eq!(
            e.iter().map(|e| e.reason.as_str()).collect::<Vec<_>>(),
            ["Ready"],
            "no guessed times on first sight"
        );
        assert!(r.entries(&first, now).is_empty(), "nothing changed");
        let later = snapshot(vec![so(
            r#"[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-30T05:00:00Z"},{"type":"Active","status":"True","lastTransitionTime":"2026-11-30T05:59:00Z"}]"#,
        )]);
        let e = r.entries(&later, now);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].reason.as_str(), e[0].type_.as_str()), ("Active", "True"));
    }
}
