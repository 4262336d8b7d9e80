//! The scaling chain per ScaledObject: ScaledObject → workload → pods → (Pending? why) →
//! NodeClaim → Node → NodePool → NodeClass, with the blocked scale-out if there is one.

use crate::keda::ScaledObject;
use crate::meta::{ObjectMeta, ObjectRef, Resource};
use crate::node::capacity_type;
use crate::nodeclaim::{NodeClaimPhase, phase};
use crate::nodepool::NodeClassLink;
use crate::pending::{BlockedScaleOut, PendingCause, blocked_scale_out, pending_pod};
use crate::scaler::ScalerState;
use crate::snapshot::Index;
use crate::time::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A pod in the chain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChainPod {
    /// Name.
    pub name: String,
    /// Phase.
    pub phase: String,
    /// Ready.
    pub ready: bool,
    /// Node it runs on.
    pub node: Option<String>,
    /// NodeClaim it runs on or was nominated to.
    pub node_claim: Option<String>,
    /// Why it is pending.
    pub pending_cause: Option<PendingCause>,
    /// The message behind that cause.
    pub pending_message: Option<String>,
}

/// A NodeClaim in the chain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChainNodeClaim {
    /// Name.
    pub name: String,
    /// Phase.
    pub phase: NodeClaimPhase,
    /// Node.
    pub node: Option<String>,
    /// NodePool.
    pub node_pool: Option<String>,
    /// Instance type.
    pub instance_type: Option<String>,
}

/// A node in the chain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChainNode {
    /// Name.
    pub name: String,
    /// Ready.
    pub ready: Option<bool>,
    /// NodeClaim.
    pub node_claim: Option<String>,
    /// NodePool.
    pub node_pool: Option<String>,
    /// Instance type.
    pub instance_type: Option<String>,
    /// Capacity type.
    pub capacity_type: Option<String>,
    /// $/h.
    pub price_per_hour: Option<f64>,
    /// Pods of this workload on it.
    pub pods: i32,
}

/// A NodePool in the chain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChainNodePool {
    /// Name.
    pub name: String,
    /// Found in the snapshot.
    pub found: bool,
    /// Ready.
    pub ready: Option<bool>,
    /// Resources at or over the limit.
    pub at_limit: Vec<String>,
    /// Pending pods of this workload that Karpenter says exceed this NodePool's limits
    /// (a pool can block before it is full: the next node would not fit).
    pub limit_blocked_pods: i32,
    /// NodeClass.
    pub node_class: Option<NodeClassLink>,
}

/// A chain as the API serves it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Chain {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `Chain`.
    pub kind: String,
    /// Name and namespace of the ScaledObject.
    pub metadata: ObjectMeta,
    /// The ScaledObject.
    pub scaler: ObjectRef,
    /// Its state.
    pub state: ScalerState,
    /// The workload.
    pub workload: ObjectRef,
    /// Whether the workload exists.
    pub workload_found: bool,
    /// Desired replicas.
    pub desired_replicas: Option<i32>,
    /// Current replicas.
    pub current_replicas: Option<i32>,
    /// Ready pods.
    pub ready_replicas: i32,
    /// Pods.
    pub pods: Vec<ChainPod>,
    /// NodeClaims (running the pods or launching for them).
    pub node_claims: Vec<ChainNodeClaim>,
    /// Nodes running the pods.
    pub nodes: Vec<ChainNode>,
    /// NodePools involved (of nodes, NodeClaims, or named by pending reasons).
    pub node_pools: Vec<ChainNodePool>,
    /// The scale-out that cannot complete, if any.
    pub blocked: Option<BlockedScaleOut>,
    /// Parts left out because the user may not see them (`nodes`, `nodeclaims`, `nodepools`).
    pub redacted: Vec<String>,
}

/// Builds the chain of one ScaledObject.
pub fn chain(ix: &Index, so: &ScaledObject, now: Time) -> Chain {
    let ns = so.metadata.ns();
    let tref = &so.spec.scale_target_ref;
    let w = ix.workload(ns, tref.api_version(), tref.kind(), &tref.name);
    let pods = w.map(|w| ix.pods_of(w)).unwrap_or_default();
    let hpa = so.hpa_name().and_then(|h| ix.hpa(ns, h));
    let desired = hpa.and_then(|h| h.status.desired_replicas).or_else(|| w.and_then(|w| w.spec.replicas));
    let current =
        w.map(crate::k8s::Workload::current_replicas).or_else(|| hpa.and_then(|h| h.status.current_replicas));
    let ready = pods.iter().filter(|p| p.is_ready()).count() as i32;

    let mut chain_pods = Vec::with_capacity(pods.len());
    let mut pending_views = Vec::new();
    let mut claims: BTreeMap<String, ChainNodeClaim> = BTreeMap::new();
    let mut nodes: BTreeMap<String, ChainNode> = BTreeMap::new();
    let mut pools: BTreeMap<String, ()> = BTreeMap::new();
    for p in &pods {
        let node = p.spec.node_name.as_deref().filter(|n| !n.is_empty());
        let mut cp = ChainPod {
            name: p.metadata.name.clone(),
            phase: p.phase().to_owned(),
            ready: p.is_ready(),
            node: node.map(str::to_owned),
            ..Default::default()
        };
        if let Some(n) = node.and_then(|n| ix.node(n)) {
            let claim = ix.node_claim_of(n);
            cp.node_claim = claim.map(|c| c.metadata.name.clone());
            let entry = nodes.entry(n.metadata.name.clone()).or_insert_with(|| ChainNode {
                name: n.metadata.name.clone(),
                ready: n.ready(),
                node_claim: claim.map(|c| c.metadata.name.clone()),
                node_pool: n.metadata.label(crate::karpenter::labels::NODEPOOL).map(str::to_owned),
                instance_type: n.metadata.label(crate::k8s::labels::INSTANCE_TYPE).map(str::to_owned),
                capacity_type: capacity_type(&n.metadata.labels),
                price_per_hour: crate::cost::price_of(&n.metadata.labels, ix.snap.pricing)
                    .map(|p| p.per_hour),
                pods: 0,
            });
            entry.pods += 1;
            if let Some(c) = claim {
                claims.entry(c.metadata.name.clone()).or_insert_with(|| claim_of(c));
            }
        }
        if p.phase() == "Pending" {
            let pv = pending_pod(ix, p, now);
            cp.pending_cause = Some(pv.cause);
            cp.pending_message = pv.reasons.last().map(|r| r.message.clone());
            if let Some(c) = pv.node_claim.as_deref().and_then(|c| ix.node_claim(c)) {
                cp.node_claim = Some(c.metadata.name.clone());
                claims.entry(c.metadata.name.clone()).or_insert_with(|| claim_of(c));
            }
            for r in &pv.reasons {
                if let Some(np) = &r.node_pool {
                    pools.insert(np.clone(), ());
                }
            }
            pending_views.push(pv);
        }
        chain_pods.push(cp);
    }
    for c in claims.values() {
        if let Some(np) = &c.node_pool {
            pools.insert(np.clone(), ());
        }
    }
    for n in nodes.values() {
        if let Some(np) = &n.node_pool {
            pools.insert(np.clone(), ());
        }
    }
    let node_pools = pools
        .into_keys()
        .map(|name| {
            let pool = ix.node_pool(&name);
            ChainNodePool {
                found: pool.is_some(),
                ready: pool.and_then(|p| p.ready()),
                at_limit: pool.map(crate::nodepool::at_limit).unwrap_or_default(),
                limit_blocked_pods: pending_views
                    .iter()
                    .filter(|p| {
                        p.cause == PendingCause::NodePoolLimit
                            && p.reasons
                                .iter()
                                .rev()
                                .find(|r| r.cause == p.cause)
                                .and_then(|r| r.node_pool.as_deref())
                                == Some(name.as_str())
                    })
                    .count() as i32,
                node_class: pool.and_then(|p| crate::nodepool::node_class_link(ix, p)),
                name,
            }
        })
        .collect();
    let workload = ObjectRef {
        api_version: tref.api_version().to_owned(),
        kind: tref.kind().to_owned(),
        namespace: ns.to_owned(),
        name: tref.name.clone(),
        uid: w.map(|w| w.metadata.uid().to_owned()).unwrap_or_default(),
    };
    let pending_refs: Vec<_> = pending_views.iter().collect();
    let blocked = blocked_scale_out(
        so.object_ref(),
        Some(workload.clone()),
        desired.unwrap_or(0),
        ready,
        &pending_refs,
    );
    let scaler_state = crate::scaler::state_of(so, current);
    Chain {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::CHAINS.kind.to_owned(),
        metadata: crate::api::view_meta(&so.metadata, true),
        scaler: so.object_ref(),
        state: scaler_state,
        workload,
        workload_found: w.is_some(),
        desired_replicas: desired,
        current_replicas: current,
        ready_replicas: ready,
        pods: chain_pods,
        node_claims: claims.into_values().collect(),
        nodes: nodes.into_values().collect(),
        node_pools,
        blocked,
        redacted: Vec::new(),
    }
}

fn claim_of(c: &crate::karpenter::NodeClaim) -> ChainNodeClaim {
    ChainNodeClaim {
        name: c.metadata.name.clone(),
        phase: phase(c),
        node: c.status.node_name.clone().filter(|n| !n.is_empty()),
        node_pool: c.nodepool().map(str::to_owned),
        instance_type: c.metadata.label(crate::k8s::labels::INSTANCE_TYPE).map(str::to_owned),
    }
}

/// Chains of every ScaledObject, by namespace and name.
pub fn chains(ix: &Index, now: Time) -> Vec<Chain> {
    let mut v: Vec<Chain> = ix.snap.scaled_objects.iter().map(|so| chain(ix, so, now)).collect();
    v.sort_by(|a, b| (a.metadata.ns(), &a.metadata.name).cmp(&(b.metadata.ns(), &b.metadata.name)));
    v
}

/// The chain whose workload is `kind/name` in `ns` (for sections on Headlamp's own pages).
pub fn chain_for_workload<'c>(chains: &'c [Chain], ns: &str, kind: &str, name: &str) -> Option<&'c Chain> {
    chains.iter().find(|c| c.workload.namespace == ns && c.workload.kind == kind && c.workload.name == name)
}
