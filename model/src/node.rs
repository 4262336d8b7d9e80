//! The node view (eks-node-viewer parity): requests vs allocatable per resource, pods n/max,
//! instance type, capacity type, price, age, Ready/NotReady for how long, cordoned/deleting,
//! NodePool and NodeClaim.

use crate::cost::{Price, price_of};
use crate::k8s::{Node, labels};
use crate::karpenter::{self, taints};
use crate::meta::{ObjectMeta, condition};
use crate::quantity::{ResourceList, add_into};
use crate::snapshot::Index;
use crate::time::Time;
use crate::usage::{ResourceUsage, rows};
use serde::{Deserialize, Serialize};

/// A node as the API serves it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeView {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `NodeInsight`.
    pub kind: String,
    /// Name, uid and creation time of the node.
    pub metadata: ObjectMeta,
    /// Instance type.
    pub instance_type: Option<String>,
    /// `spot`, `on-demand`, `reserved`, `fargate`, ...
    pub capacity_type: Option<String>,
    /// Zone.
    pub zone: Option<String>,
    /// NodePool (Karpenter label).
    pub node_pool: Option<String>,
    /// NodeClaim (by nodeName, providerID or owner).
    pub node_claim: Option<String>,
    /// Ready condition (`None`: unknown).
    pub ready: Option<bool>,
    /// Since when the Ready condition has its current value.
    pub ready_since: Option<Time>,
    /// Seconds in the current Ready/NotReady state.
    pub ready_for_seconds: Option<f64>,
    /// `spec.unschedulable`.
    pub cordoned: bool,
    /// Being deleted or disrupted by Karpenter.
    pub deleting: bool,
    /// `karpenter.sh/do-not-disrupt` is set.
    pub do_not_disrupt: bool,
    /// Age in seconds.
    pub age_seconds: Option<f64>,
    /// Requests vs allocatable: cpu, memory, ephemeral-storage, then extended resources.
    pub resources: Vec<ResourceUsage>,
    /// Non-terminal pods on the node.
    pub pods: i64,
    /// Allocatable pods.
    pub pods_max: Option<i64>,
    /// Price.
    pub price: Option<Price>,
}

/// Capacity type from Karpenter's label or EKS' own labels.
pub fn capacity_type(l: &crate::meta::Labels) -> Option<String> {
    if let Some(ct) = l.get(karpenter::labels::CAPACITY_TYPE) {
        return Some(ct.clone());
    }
    if l.get(labels::EKS_COMPUTE_TYPE).map(String::as_str) == Some("fargate") {
        return Some("fargate".to_owned());
    }
    l.get(labels::EKS_CAPACITY_TYPE).map(|c| c.to_ascii_lowercase().replace('_', "-"))
}

/// Builds the view of one node.
pub fn node_view(ix: &Index, node: &Node, now: Time) -> NodeView {
    let l = &node.metadata.labels;
    let mut requests = ResourceList::new();
    let mut pods = 0i64;
    for p in ix.pods_on(&node.metadata.name) {
        if p.is_terminal() {
            continue;
        }
        pods += 1;
        add_into(&mut requests, &p.requests());
    }
    let ready_cond = condition(&node.status.conditions, "Ready");
    let ready_since = ready_cond.and_then(|c| c.last_transition_time);
    let deleting = node.metadata.deletion_timestamp.is_some()
        || node.spec.taints.iter().any(|t| t.key == taints::DISRUPTED);
    let resources = rows(&requests, &node.status.allocatable, &["cpu", "memory", "ephemeral-storage"])
        .into_iter()
        .filter(|r| r.name != "pods")
        .collect();
    NodeView {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::NODES.kind.to_owned(),
        metadata: crate::api::view_meta(&node.metadata, false),
        instance_type: l.get(labels::INSTANCE_TYPE).or_else(|| l.get(labels::INSTANCE_TYPE_BETA)).cloned(),
        capacity_type: capacity_type(l),
        zone: l.get(labels::ZONE).cloned(),
        node_pool: l.get(karpenter::labels::NODEPOOL).cloned(),
        node_claim: ix.node_claim_of(node).map(|c| c.metadata.name.clone()),
        ready: node.ready(),
        ready_since,
        ready_for_seconds: ready_since.map(|t| now.seconds_since(t).max(0.0)),
        cordoned: node.spec.unschedulable,
        deleting,
        do_not_disrupt: node.metadata.annotation(karpenter::annotations::DO_NOT_DISRUPT) == Some("true"),
        age_seconds: node.metadata.creation_timestamp.map(|t| now.seconds_since(t).max(0.0)),
        resources,
        pods,
        pods_max: node.status.allocatable.get("pods").map(|q| q.units() as i64),
        price: price_of(l, ix.snap.pricing),
    }
}

/// Views of every node, by name.
pub fn node_views(ix: &Index, now: Time) -> Vec<NodeView> {
    let mut v: Vec<NodeView> = ix.snap.nodes.iter().map(|n| node_view(ix, n, now)).collect();
    v.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    v
}
