//! The NodeClaim view: Launched → Registered → Initialized with times, node link,
//! drifted/consolidatable, instance type, capacity type, zone.

use crate::cost::{Price, price_of};
use crate::k8s::labels;
use crate::karpenter::NodeClaim;
use crate::meta::{Condition, ObjectMeta, condition};
use crate::quantity::ResourceList;
use crate::snapshot::Index;
use crate::time::Time;
use serde::{Deserialize, Serialize};

/// Where a NodeClaim is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NodeClaimPhase {
    /// Waiting for the cloud to launch the instance.
    #[default]
    Launching,
    /// Launched; waiting for the node to register.
    Registering,
    /// Registered; waiting for the node to become ready and initialized.
    Initializing,
    /// Initialized: capacity is usable.
    Ready,
    /// Launch failed (Launched=False with a reason).
    Failed,
    /// Being deleted.
    Deleting,
}

/// One lifecycle step with when it happened and how long it took after the previous one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LifecycleStep {
    /// `Created`, `Launched`, `Registered`, `Initialized`.
    pub name: String,
    /// When it became true.
    pub at: Option<Time>,
    /// Seconds since the previous step.
    pub after_seconds: Option<f64>,
    /// Reason or message when the step failed or is pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A NodeClaim as the API serves it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeClaimView {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `NodeClaimInsight`.
    pub kind: String,
    /// Name, uid, creation time.
    pub metadata: ObjectMeta,
    /// Lifecycle phase.
    pub phase: NodeClaimPhase,
    /// Created → Launched → Registered → Initialized.
    pub steps: Vec<LifecycleStep>,
    /// NodePool.
    pub node_pool: Option<String>,
    /// NodeClass `group/kind/name`.
    pub node_class: Option<String>,
    /// Instance type.
    pub instance_type: Option<String>,
    /// Capacity type.
    pub capacity_type: Option<String>,
    /// Zone.
    pub zone: Option<String>,
    /// Node name (status.nodeName).
    pub node_name: Option<String>,
    /// Whether that node exists in the snapshot.
    pub node_found: bool,
    /// Provider id.
    #[serde(rename = "providerID")]
    pub provider_id: Option<String>,
    /// Drifted condition is True.
    pub drifted: bool,
    /// Consolidatable condition is True.
    pub consolidatable: bool,
    /// Why Karpenter is disrupting it (DisruptionReason condition).
    pub disruption_reason: Option<String>,
    /// Conditions as written.
    pub conditions: Vec<Condition>,
    /// Requested resources.
    pub requests: ResourceList,
    /// Allocatable.
    pub allocatable: ResourceList,
    /// Age in seconds.
    pub age_seconds: Option<f64>,
    /// Price.
    pub price: Option<Price>,
}

fn step(claim: &NodeClaim, name: &str, prev: Option<Time>) -> LifecycleStep {
    let c = condition(&claim.status.conditions, name);
    let at = c.filter(|c| c.is_true()).and_then(|c| c.last_transition_time);
    let message = c.filter(|c| !c.is_true()).and_then(|c| c.message.clone().or_else(|| c.reason.clone()));
    LifecycleStep {
        name: name.to_owned(),
        at,
        after_seconds: match (at, prev) {
            (Some(a), Some(p)) => Some(a.seconds_since(p).max(0.0)),
            _ => None,
        },
        message,
    }
}

/// Phase from conditions.
pub fn phase(claim: &NodeClaim) -> NodeClaimPhase {
    if claim.metadata.deletion_timestamp.is_some() {
        return NodeClaimPhase::Deleting;
    }
    let launched = condition(&claim.status.conditions, "Launched");
    if launched.is_some_and(|c| {
        c.is_false() && c.reason.as_deref().is_some_and(|r| r != "NotLaunched" && !r.is_empty())
    }) {
        return NodeClaimPhase::Failed;
    }
    match (claim.condition("Launched"), claim.condition("Registered"), claim.condition("Initialized")) {
        (_, _, Some(true)) => NodeClaimPhase::Ready,
        (_, Some(true), _) => NodeClaimPhase::Initializing,
        (Some(true), _, _) => NodeClaimPhase::Registering,
        _ => NodeClaimPhase::Launching,
    }
}

/// Builds the view of one NodeClaim.
pub fn node_claim_view(ix: &Index, claim: &NodeClaim, now: Time) -> NodeClaimView {
    let l = &claim.metadata.labels;
    let created = claim.metadata.creation_timestamp;
    let launched = step(claim, "Launched", created);
    let registered = step(claim, "Registered", launched.at);
    let initialized = step(claim, "Initialized", registered.at);
    let created_step =
        LifecycleStep { name: "Created".to_owned(), at: created, after_seconds: None, message: None };
    let node = ix.node_of(claim);
    NodeClaimView {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::NODECLAIMS.kind.to_owned(),
        metadata: crate::api::view_meta(&claim.metadata, false),
        phase: phase(claim),
        steps: vec![created_step, launched, registered, initialized],
        node_pool: claim.nodepool().map(str::to_owned),
        node_class: claim.spec.node_class_ref.as_ref().map(|r| {
            format!("{}/{}/{}", r.group.as_deref().unwrap_or(""), r.kind.as_deref().unwrap_or(""), r.name)
        }),
        instance_type: l.get(labels::INSTANCE_TYPE).cloned(),
        capacity_type: crate::node::capacity_type(l),
        zone: l.get(labels::ZONE).cloned(),
        node_name: claim.status.node_name.clone().filter(|n| !n.is_empty()),
        node_found: node.is_some(),
        provider_id: claim.status.provider_id.clone(),
        drifted: claim.condition("Drifted") == Some(true),
        consolidatable: claim.condition("Consolidatable") == Some(true),
        disruption_reason: condition(&claim.status.conditions, "DisruptionReason")
            .filter(|c| c.is_true())
            .map(|c| c.reason.clone().unwrap_or_default()),
        conditions: claim.status.conditions.clone(),
        requests: claim.spec.resources.requests.clone(),
        allocatable: claim.status.allocatable.clone(),
        age_seconds: created.map(|t| now.seconds_since(t).max(0.0)),
        price: node
            .and_then(|n| price_of(&n.metadata.labels, ix.snap.pricing))
            .or_else(|| price_of(l, ix.snap.pricing)),
    }
}

/// Views of every NodeClaim, by name.
pub fn node_claim_views(ix: &Index, now: Time) -> Vec<NodeClaimView> {
    let mut v: Vec<NodeClaimView> = ix.snap.node_claims.iter().map(|c| node_claim_view(ix, c, now)).collect();
    v.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    v
}
