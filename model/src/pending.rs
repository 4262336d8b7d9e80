//! Pending pods and why: scheduler `FailedScheduling` messages and Karpenter's events, joined
//! to the pod by namespace, name and uid (never "all Karpenter events"); and blocked
//! scale-outs (a scaler wants N replicas, M run, and why the rest cannot).

use crate::k8s::{Event, Pod};
use crate::karpenter::{self, reasons};
use crate::meta::{ObjectMeta, ObjectRef, Resource};
use crate::quantity::ResourceList;
use crate::snapshot::Index;
use crate::time::Time;
use serde::{Deserialize, Serialize};

/// Why a pod is not running yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub enum PendingCause {
    /// The NodePool's limits are reached.
    NodePoolLimit,
    /// The cloud had no capacity for the chosen offerings.
    InsufficientCapacity,
    /// No instance type satisfies the pod's requirements and resources.
    NoCompatibleInstanceTypes,
    /// The pod's NodeClass is not ready.
    NodeClassNotReady,
    /// No NodePool accepts the pod (taints, requirements, affinity).
    IncompatibleNodePools,
    /// A NodeClaim is being launched for it.
    NodeClaimLaunching,
    /// Nominated to an existing node; binding pending.
    NodeNominated,
    /// The scheduler found no node (and no provisioner explained why).
    Unschedulable,
    /// Scheduled; containers starting.
    Starting,
    /// No event yet.
    #[default]
    Waiting,
}

impl PendingCause {
    /// Blocks the scale-out (as opposed to "in progress").
    pub fn is_blocking(self) -> bool {
        matches!(
            self,
            PendingCause::NodePoolLimit
                | PendingCause::InsufficientCapacity
                | PendingCause::NoCompatibleInstanceTypes
                | PendingCause::NodeClassNotReady
                | PendingCause::IncompatibleNodePools
                | PendingCause::Unschedulable
        )
    }
}

/// One reason with its evidence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PendingReason {
    /// Category.
    pub cause: PendingCause,
    /// Who said it (`default-scheduler`, `karpenter`).
    pub source: String,
    /// Event reason.
    pub reason: String,
    /// Message as written.
    pub message: String,
    /// Occurrences.
    pub count: i32,
    /// Last seen.
    pub last_seen: Option<Time>,
    /// NodePool named in the message, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_pool: Option<String>,
    /// Parsed scheduler summary (`0/3 nodes are available: 2 Insufficient cpu, ...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub node_reasons: Vec<NodeReason>,
}

/// One `N <reason>` part of a scheduler message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeReason {
    /// How many nodes.
    pub nodes: i64,
    /// Why.
    pub reason: String,
}

/// A pending pod as the API serves it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PendingPod {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `PendingPod`.
    pub kind: String,
    /// The pod's name, namespace, uid and creation time.
    pub metadata: ObjectMeta,
    /// The pod's controller (ReplicaSet, Job, ...).
    pub owner: Option<ObjectRef>,
    /// The workload it belongs to.
    pub workload: Option<ObjectRef>,
    /// The ScaledObject/ScaledJob scaling that workload.
    pub scaler: Option<ObjectRef>,
    /// Seconds since the pod was created.
    pub pending_seconds: Option<f64>,
    /// The most telling cause (the provisioner's newest reason, else the scheduler's).
    pub cause: PendingCause,
    /// Every reason seen, newest last.
    pub reasons: Vec<PendingReason>,
    /// NodeClaim Karpenter nominated the pod to.
    pub node_claim: Option<String>,
    /// Node nominated (Karpenter event or `status.nominatedNodeName`).
    pub nominated_node: Option<String>,
    /// The pod's effective requests.
    pub requests: ResourceList,
}

/// Parses the scheduler's `0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had
/// untolerated taint {k: v}. preemption: ...` into its parts.
pub fn parse_scheduler_message(msg: &str) -> Vec<NodeReason> {
    let Some((_, rest)) = msg.split_once("nodes are available:") else { return Vec::new() };
    let rest = rest.split("preemption:").next().unwrap_or(rest);
    // The summary is the first sentence; later ones ("no new claims to deallocate") are not
    // per-node reasons. Dots inside {taints} or [values] do not end it.
    let mut depth = 0i32;
    let mut end = rest.len();
    let bytes = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            '.' if depth <= 0 && bytes.get(i + 1).is_none_or(|b| *b == b' ') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let summary = rest[..end].trim();
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut parts = Vec::new();
    for (i, c) in summary.char_indices() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            ',' if depth <= 0 => {
                parts.push(&summary[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&summary[start..]);
    for p in parts {
        let p = p.trim();
        let (n, reason) = p.split_once(' ').unwrap_or(("", p));
        match n.parse::<i64>() {
            Ok(nodes) => out.push(NodeReason { nodes, reason: reason.trim().to_owned() }),
            Err(_) if !p.is_empty() => out.push(NodeReason { nodes: 0, reason: p.to_owned() }),
            Err(_) => {}
        }
    }
    out
}

/// The first `"quoted"` word after any occurrence of `marker` (skipping `:` and spaces).
fn quoted_after<'m>(msg: &'m str, marker: &str) -> Option<&'m str> {
    msg.match_indices(marker).find_map(|(i, _)| {
        let rest = msg[i + marker.len()..].trim_start().trim_start_matches(':').trim_start();
        let rest = rest.strip_prefix('"')?;
        rest.split('"').next().filter(|n| !n.is_empty())
    })
}

/// The NodePool a Karpenter message names: `(NodePool=capped)` (Karpenter ≥ 1.x logs-style),
/// `nodepool: "capped"` or `nodepool "capped"`. For messages naming several, the one next to
/// "exceed limits" wins.
pub fn node_pool_named(msg: &str) -> Option<&str> {
    fn keyed(m: &str) -> Option<(usize, &str)> {
        m.match_indices("NodePool=").next().map(|(i, _)| {
            let rest = &m[i + "NodePool=".len()..];
            let end = rest.find([')', ',', ' ', ';']).unwrap_or(rest.len());
            (i, &rest[..end])
        })
    }
    // Prefer the clause about limits when there are several (`...; all available instance types exceed limits for nodepool (NodePool=capped)`).
    if let Some(i) = msg.find("exceed limits") {
        let clause = &msg[i..];
        if let Some((_, n)) = keyed(clause).filter(|(_, n)| !n.is_empty()) {
            return Some(n);
        }
        if let Some(n) = quoted_after(clause, "nodepool") {
            return Some(n);
        }
    }
    keyed(msg)
        .map(|(_, n)| n)
        .filter(|n| !n.is_empty())
        .or_else(|| quoted_after(msg, "nodepool"))
        .or_else(|| quoted_after(msg, "NodePool"))
}

/// Classifies one event about a pod.
pub fn classify(e: &Event) -> Option<PendingReason> {
    let msg = e.text();
    let lower = msg.to_ascii_lowercase();
    let reporter = e.reporter();
    let karpenter_said = reporter.contains("karpenter");
    let cause = match e.reason() {
        reasons::NOMINATED => {
            if lower.contains("nodeclaim/") {
                PendingCause::NodeClaimLaunching
            } else {
                PendingCause::NodeNominated
            }
        }
        reasons::INSUFFICIENT_CAPACITY => PendingCause::InsufficientCapacity,
        reasons::NO_COMPATIBLE_INSTANCE_TYPES => PendingCause::NoCompatibleInstanceTypes,
        reasons::NODECLASS_NOT_READY => PendingCause::NodeClassNotReady,
        reasons::FAILED_SCHEDULING => {
            if lower.contains("exceed limits")
                || lower.contains("limits exceeded")
                || lower.contains("exceeds limit")
            {
                PendingCause::NodePoolLimit
            } else if lower.contains("insufficient capacity") || lower.contains("insufficientcapacity") {
                PendingCause::InsufficientCapacity
            } else if lower.contains("no instance type") || lower.contains("nocompatibleinstancetypes") {
                PendingCause::NoCompatibleInstanceTypes
            } else if lower.contains("nodeclass") && lower.contains("not ready") {
                PendingCause::NodeClassNotReady
            } else if karpenter_said
                || lower.contains("incompatible with nodepool")
                || lower.contains("did not tolerate")
            {
                PendingCause::IncompatibleNodePools
            } else {
                PendingCause::Unschedulable
            }
        }
        _ => return None,
    };
    let node_pool = node_pool_named(msg).map(str::to_owned);
    Some(PendingReason {
        cause,
        source: reporter.to_owned(),
        reason: e.reason().to_owned(),
        message: msg.to_owned(),
        count: e.occurrences(),
        last_seen: e.last_seen(),
        node_pool,
        node_reasons: if e.reason() == reasons::FAILED_SCHEDULING && !karpenter_said {
            parse_scheduler_message(msg)
        } else {
            Vec::new()
        },
    })
}

/// `nodeclaim/<name>` and `node/<name>` from a Nominated message (`Pod should schedule on: nodeclaim/x, node/y`).
pub fn nominated_targets(msg: &str) -> (Option<String>, Option<String>) {
    let token = |prefix: &str| {
        msg.split([' ', ','])
            .find_map(|w| w.trim().strip_prefix(prefix))
            .map(|n| n.trim_end_matches(['.', ')', '"']).to_owned())
            .filter(|n| !n.is_empty())
    };
    (token("nodeclaim/"), token("node/"))
}

fn object_ref(api_version: &str, kind: &str, ns: &str, name: &str, uid: &str) -> ObjectRef {
    ObjectRef {
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        namespace: ns.to_owned(),
        name: name.to_owned(),
        uid: uid.to_owned(),
    }
}

/// The workload and scaler of a pod.
pub fn owners(ix: &Index, pod: &Pod) -> (Option<ObjectRef>, Option<ObjectRef>, Option<ObjectRef>) {
    let ns = pod.metadata.ns();
    let owner = pod.metadata.controller().map(|o| object_ref(&o.api_version, &o.kind, ns, &o.name, &o.uid));
    if let Some(w) = ix.workload_of_pod(pod) {
        let wref = object_ref(&w.api_version, &w.kind, ns, &w.metadata.name, w.metadata.uid());
        let scaler = ix.scaled_object_for(ns, &w.kind, &w.metadata.name).map(|so| {
            object_ref(
                &crate::keda::ScaledObject::api_version(),
                "ScaledObject",
                ns,
                &so.metadata.name,
                so.metadata.uid(),
            )
        });
        return (owner, Some(wref), scaler);
    }
    // Jobs of a ScaledJob: Job → ScaledJob.
    if let Some(o) = pod.metadata.controller().filter(|o| o.kind == "Job")
        && let Some(job) = ix.snap.jobs.iter().find(|j| j.metadata.ns() == ns && j.metadata.name == o.name)
    {
        let wref = object_ref("batch/v1", "Job", ns, &job.metadata.name, job.metadata.uid());
        let sj = job
            .metadata
            .owner_references
            .iter()
            .find(|r| r.kind == crate::keda::ScaledJob::KIND)
            .map(|r| object_ref(&r.api_version, &r.kind, ns, &r.name, &r.uid));
        return (owner, Some(wref), sj);
    }
    (owner, None, None)
}

/// Builds the view of one pending pod (any pod not yet running is accepted).
pub fn pending_pod(ix: &Index, pod: &Pod, now: Time) -> PendingPod {
    let ns = pod.metadata.ns();
    let events = ix.events_about(Pod::KIND, ns, &pod.metadata.name, pod.metadata.uid());
    let mut reasons: Vec<PendingReason> = events.iter().filter_map(|e| classify(e)).collect();
    reasons.sort_by_key(|r| r.last_seen);
    let (mut node_claim, mut nominated_node) =
        (None, pod.status.nominated_node_name.clone().filter(|n| !n.is_empty()));
    for e in events.iter().filter(|e| e.reason() == reasons::NOMINATED) {
        let (c, n) = nominated_targets(e.text());
        node_claim = c.or(node_claim);
        nominated_node = n.or(nominated_node);
    }
    let scheduled = pod.spec.node_name.as_deref().is_some_and(|n| !n.is_empty());
    let cause =
        if scheduled { PendingCause::Starting } else { primary_cause(ix, &reasons, node_claim.as_deref()) };
    let (owner, workload, scaler) = owners(ix, pod);
    PendingPod {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::PENDINGPODS.kind.to_owned(),
        metadata: crate::api::view_meta(&pod.metadata, true),
        owner,
        workload,
        scaler,
        pending_seconds: pod.metadata.creation_timestamp.map(|t| now.seconds_since(t).max(0.0)),
        cause,
        reasons,
        node_claim,
        nominated_node,
        requests: pod.requests(),
    }
}

/// The cause that best explains the pod's state now: the newest event decides, except that a
/// NodeClaim it was nominated to that is failing (or gone) turns "launching" into that failure.
fn primary_cause(ix: &Index, reasons: &[PendingReason], node_claim: Option<&str>) -> PendingCause {
    // The scheduler only says no current node fits; the provisioner says why no new node
    // comes, so its newest word wins over the scheduler's.
    let provisioner =
        reasons.iter().rev().find(|r| r.source.contains("karpenter") || r.reason == reasons::NOMINATED);
    let Some(last) = provisioner.or(reasons.last()) else { return PendingCause::Waiting };
    if last.cause == PendingCause::NodeClaimLaunching
        && let Some(claim) = node_claim.and_then(|c| ix.node_claim(c))
    {
        let claim_events =
            ix.events_about(karpenter::NodeClaim::KIND, "", &claim.metadata.name, claim.metadata.uid());
        if claim_events.iter().any(|e| e.reason() == reasons::INSUFFICIENT_CAPACITY) {
            return PendingCause::InsufficientCapacity;
        }
    }
    last.cause
}

/// Every pod that is Pending and unbound (or bound but not started), by namespace and name.
pub fn pending_pods(ix: &Index, now: Time) -> Vec<PendingPod> {
    let mut v: Vec<PendingPod> = ix
        .snap
        .pods
        .iter()
        .filter(|p| p.phase() == "Pending" && p.metadata.deletion_timestamp.is_none())
        .map(|p| pending_pod(ix, p, now))
        .collect();
    v.sort_by(|a, b| (a.metadata.ns(), &a.metadata.name).cmp(&(b.metadata.ns(), &b.metadata.name)));
    v
}

/// A scale-out that cannot complete: the scaler wants N replicas, M run, and why.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BlockedScaleOut {
    /// The scaler (ScaledObject or ScaledJob).
    pub scaler: ObjectRef,
    /// The workload.
    pub workload: Option<ObjectRef>,
    /// Replicas wanted (HPA desired, else the target's spec).
    pub wants: i32,
    /// Replicas running and ready.
    pub has: i32,
    /// Pending pods.
    pub pending: i32,
    /// Causes with how many pods each, most pods first.
    pub causes: Vec<CauseCount>,
    /// Whether a cause blocks (vs. capacity still being launched).
    pub blocked: bool,
    /// Since the oldest pending pod was created.
    pub since: Option<Time>,
}

/// How many pods share a cause.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CauseCount {
    /// Cause.
    pub cause: PendingCause,
    /// Pods.
    pub pods: i32,
    /// NodePool named, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_pool: Option<String>,
    /// One message as an example.
    pub message: String,
}

/// Groups the pending pods of one scaler into a [`BlockedScaleOut`] (`None` when nothing is pending).
pub fn blocked_scale_out(
    scaler: ObjectRef,
    workload: Option<ObjectRef>,
    wants: i32,
    has: i32,
    pending: &[&PendingPod],
) -> Option<BlockedScaleOut> {
    if pending.is_empty() || wants <= has {
        return None;
    }
    let mut causes: Vec<CauseCount> = Vec::new();
    for p in pending {
        let last = p.reasons.iter().rev().find(|r| r.cause == p.cause);
        let node_pool = last.and_then(|r| r.node_pool.clone());
        match causes.iter_mut().find(|c| c.cause == p.cause && c.node_pool == node_pool) {
            Some(c) => c.pods += 1,
            None => causes.push(CauseCount {
                cause: p.cause,
                pods: 1,
                node_pool,
                message: last.map(|r| r.message.clone()).unwrap_or_default(),
            }),
        }
    }
    causes.sort_by(|a, b| b.pods.cmp(&a.pods).then(a.cause.cmp(&b.cause)));
    Some(BlockedScaleOut {
        scaler,
        workload,
        wants,
        has,
        pending: pending.len() as i32,
        blocked: causes.iter().any(|c| c.cause.is_blocking()),
        causes,
        since: pending.iter().filter_map(|p| p.metadata.creation_timestamp).min(),
    })
}
