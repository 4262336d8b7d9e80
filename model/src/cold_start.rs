//! Cold-start timelines: per activation of a ScaledObject, the steps from
//! `KEDAScaleTargetActivated` to the first new pod being Ready — pod created, Nominated /
//! FailedScheduling, NodeClaim Launched → Registered → Initialized, pod scheduled, pod Ready —
//! with the duration of every step and the slowest one.

use crate::k8s::Pod;
use crate::karpenter::{NodeClaim, reasons as kreasons};
use crate::keda::{ScaledObject, reasons};
use crate::meta::{ObjectMeta, ObjectRef, Resource, condition};
use crate::pending::nominated_targets;
use crate::snapshot::Index;
use crate::time::Time;
use serde::{Deserialize, Serialize};

/// Pods created this long before the activation event still count (clock skew, event batching).
const SLACK_MS: i64 = 5_000;

/// One step.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TimelineStep {
    /// `Activated`, `PodCreated`, `Nominated`, `FailedScheduling`, `Launched`, `Registered`,
    /// `Initialized`, `PodScheduled`, `PodReady`.
    pub name: String,
    /// When.
    pub at: Option<Time>,
    /// Seconds since the previous step that has a time.
    pub after_seconds: Option<f64>,
    /// Detail (event message, NodeClaim name, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A cold start as the API serves it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Timeline {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `Timeline`.
    pub kind: String,
    /// Name `<scaledobject>-<activation unix seconds>`, namespace of the ScaledObject.
    pub metadata: ObjectMeta,
    /// The ScaledObject.
    pub scaler: ObjectRef,
    /// The workload.
    pub workload: Option<ObjectRef>,
    /// When KEDA activated the target.
    pub activated_at: Time,
    /// The first pod created for this activation.
    pub pod: Option<String>,
    /// The NodeClaim launched for it, if one was.
    pub node_claim: Option<String>,
    /// The node it ran on.
    pub node: Option<String>,
    /// Steps in causal order.
    pub steps: Vec<TimelineStep>,
    /// Seconds from activation to the last step seen.
    pub total_seconds: Option<f64>,
    /// The step that took longest.
    pub slowest_step: Option<String>,
    /// The pod became Ready.
    pub complete: bool,
}

fn first_event(ix: &Index, pod: &Pod, reason: &str) -> Option<(Time, String)> {
    ix.events_about(Pod::KIND, pod.metadata.ns(), &pod.metadata.name, pod.metadata.uid())
        .into_iter()
        .filter(|e| e.reason() == reason)
        .filter_map(|e| Some((e.first_seen()?, e.text().to_owned())))
        .min_by_key(|(t, _)| *t)
}

fn true_since(conds: &[crate::meta::Condition], type_: &str) -> Option<Time> {
    condition(conds, type_).filter(|c| c.is_true()).and_then(|c| c.last_transition_time)
}

/// Activation times of a ScaledObject from its events (by uid) and the journal, oldest first.
pub fn activations(ix: &Index, so: &ScaledObject) -> Vec<Time> {
    let mut v: Vec<Time> = ix
        .events_about(ScaledObject::KIND, so.metadata.ns(), &so.metadata.name, so.metadata.uid())
        .into_iter()
        .filter(|e| e.reason() == reasons::ACTIVATED)
        .flat_map(|e| [e.first_seen(), e.last_seen()])
        .flatten()
        .chain(
            ix.journal_about(so.metadata.uid())
                .iter()
                .filter(|j| j.reason == reasons::ACTIVATED)
                .flat_map(|j| [j.first_time, j.last_time]),
        )
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The timeline of one activation, with `until` the next activation (or `None`).
pub fn timeline(ix: &Index, so: &ScaledObject, at: Time, until: Option<Time>) -> Timeline {
    let ns = so.metadata.ns();
    let tref = &so.spec.scale_target_ref;
    let workload = ix.workload(ns, tref.api_version(), tref.kind(), &tref.name);
    let pod = workload.and_then(|w| {
        ix.pods_of(w)
            .into_iter()
            .filter(|p| {
                p.metadata
                    .creation_timestamp
                    .is_some_and(|c| c.0 >= at.0 - SLACK_MS && until.is_none_or(|u| c.0 < u.0 - SLACK_MS))
            })
            .min_by_key(|p| p.metadata.creation_timestamp)
    });
    let mut steps = vec![TimelineStep { name: "Activated".to_owned(), at: Some(at), ..Default::default() }];
    let mut claim: Option<&NodeClaim> = None;
    let mut node = None;
    if let Some(p) = pod {
        steps.push(TimelineStep {
            name: "PodCreated".to_owned(),
            at: p.metadata.creation_timestamp,
            ..Default::default()
        });
        let nominated = first_event(ix, p, kreasons::NOMINATED);
        let failed = first_event(ix, p, kreasons::FAILED_SCHEDULING);
        if let Some((t, msg)) = &failed {
            steps.push(TimelineStep {
                name: "FailedScheduling".to_owned(),
                at: Some(*t),
                detail: Some(msg.clone()),
                ..Default::default()
            });
        }
        if let Some((t, msg)) = &nominated {
            steps.push(TimelineStep {
                name: "Nominated".to_owned(),
                at: Some(*t),
                detail: Some(msg.clone()),
                ..Default::default()
            });
            claim = nominated_targets(msg).0.and_then(|c| ix.node_claim(&c));
        }
        node = p.spec.node_name.as_deref().filter(|n| !n.is_empty()).and_then(|n| ix.node(n));
        if claim.is_none() {
            // A NodeClaim created after the activation and before the pod was scheduled, on
            // which the pod landed: it was launched for this scale-out.
            let scheduled = true_since(&p.status.conditions, "PodScheduled");
            claim = node.and_then(|n| ix.node_claim_of(n)).filter(|c| {
                c.metadata
                    .creation_timestamp
                    .is_some_and(|t| t.0 >= at.0 - SLACK_MS && scheduled.is_none_or(|s| t <= s))
            });
        }
        if let Some(c) = claim {
            for cond in ["Launched", "Registered", "Initialized"] {
                steps.push(TimelineStep {
                    name: cond.to_owned(),
                    at: c.condition_true_since(cond),
                    detail: (cond == "Launched").then(|| c.metadata.name.clone()),
                    ..Default::default()
                });
            }
        }
        steps.push(TimelineStep {
            name: "PodScheduled".to_owned(),
            at: true_since(&p.status.conditions, "PodScheduled"),
            ..Default::default()
        });
        steps.push(TimelineStep {
            name: "PodReady".to_owned(),
            at: true_since(&p.status.conditions, "Ready"),
            ..Default::default()
        });
    }
    // Durations: from the previous step that has a time; causal order is kept even if clocks disagree.
    let mut prev: Option<Time> = None;
    for s in &mut steps {
        if let Some(t) = s.at {
            s.after_seconds = prev.map(|p| t.seconds_since(p).max(0.0));
            prev = Some(t);
        }
    }
    let slowest_step = steps
        .iter()
        .filter_map(|s| Some((s.after_seconds?, &s.name)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.clone());
    let last = steps.iter().filter_map(|s| s.at).max();
    let complete = steps.iter().any(|s| s.name == "PodReady" && s.at.is_some());
    let mut metadata = ObjectMeta {
        name: format!("{}-{}", so.metadata.name, at.unix_seconds()),
        namespace: so.metadata.namespace.clone(),
        ..Default::default()
    };
    metadata.creation_timestamp = Some(at);
    Timeline {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::TIMELINES.kind.to_owned(),
        metadata,
        scaler: so.object_ref(),
        workload: workload.map(|w| ObjectRef {
            api_version: w.api_version.clone(),
            kind: w.kind.clone(),
            namespace: ns.to_owned(),
            name: w.metadata.name.clone(),
            uid: w.metadata.uid().to_owned(),
        }),
        activated_at: at,
        pod: pod.map(|p| p.metadata.name.clone()),
        node_claim: claim.map(|c| c.metadata.name.clone()),
        node: node.map(|n| n.metadata.name.clone()),
        total_seconds: last.map(|l| l.seconds_since(at).max(0.0)),
        slowest_step,
        complete,
        steps,
    }
}

/// Timelines of every activation of every ScaledObject, newest first.
pub fn timelines(ix: &Index, _now: Time) -> Vec<Timeline> {
    let mut out = Vec::new();
    for so in &ix.snap.scaled_objects {
        let acts = activations(ix, so);
        for (i, at) in acts.iter().enumerate() {
            out.push(timeline(ix, so, *at, acts.get(i + 1).copied()));
        }
    }
    out.sort_by(|a, b| {
        b.activated_at.cmp(&a.activated_at).then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    out
}
