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

/// Records `entries` and enforces retention. A full volume does not stop the journal: the oldest
/// tenth is dropped and the entries are recorded again (once per pass; if the volume is still full the
/// next pass drops more).
fn record(
    j: &Journal,
    entries: Option<&[Entry]>,
    now_ms: i64,
    max_age_ms: i64,
    max_bytes: i64,
) -> Result<(usize, crate::journal::Stats), crate::journal::JournalError> {
    let recorded = entries.map_or(Ok(0), |e| j.record(e));
    let stats = j.enforce_retention(now_ms, max_age_ms, max_bytes)?;
    match recorded {
        Ok(new) => Ok((new, stats)),
        Err(e) if e.is_full() => {
            tracing::warn!(error = %e, bytes = stats.bytes, "journal volume full: dropping the oldest tenth");
            let stats = j.enforce_retention(now_ms, max_age_ms, stats.bytes - stats.bytes / 10)?;
            let new = entries.map_or(Ok(0), |e| j.record(e))?;
            Ok((new, stats))
        }
        Err(e) => Err(e),
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
        let result = journal.run(move |j| record(j, entries.as_deref(), now.0, max_age, budget)).await;
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
    use crate::journal::tests::event;
    use crate::watch::Watched;

    /// A full volume (SQLite's real "database or disk is full", from a page cap): the oldest entries
    /// go, the new ones are recorded, and the journal keeps working.
    #[test]
    fn a_full_volume_drops_the_oldest_and_keeps_recording() {
        let j = Journal::in_memory().expect("open");
        j.limit_pages(40).expect("cap");
        let batch = |from: i64| -> Vec<Entry> {
            (from..from + 100)
                .map(|i| event(&format!("e{i:05}"), "team-a", i * 1_000, i * 1_000, 1))
                .collect()
        };
        let mut from = 0;
        let full = loop {
            match j.record(&batch(from)) {
                Ok(_) => from += 100,
                Err(e) => break e,
            }
            assert!(from < 100_000, "the cap never filled the journal");
        };
        assert!(full.is_full(), "the fault is the real one: {full}");
        let newest = batch(from);
        let (new, stats) =
            record(&j, Some(&newest), 0, i64::MAX, i64::MAX).expect("recorded despite the full volume");
        assert_eq!(new, 100);
        assert!(stats.entries > 0);
        let kept = j.query(&crate::journal::Query { limit: 100_000, ..Default::default() }).expect("query");
        assert!(kept.iter().any(|e| e.uid == format!("e{:05}", from + 99)), "the newest entry is kept");
        assert!(!kept.iter().any(|e| e.uid == "e00000"), "the oldest entry was dropped");
    }

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
