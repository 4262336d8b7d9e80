//! The NodePool view: usage vs limits per resource, nodes, weight, budgets, consolidation
//! policy, conditions, members (NodeClaims and Nodes), NodeClass and cost.

use crate::karpenter::{Budget, NodePool};
use crate::meta::{Condition, ObjectMeta};
use crate::quantity::{Quantity, add_into};
use crate::snapshot::Index;
use crate::time::Time;
use crate::usage::{ResourceUsage, rows};
use serde::{Deserialize, Serialize};

/// A link to a NodeClass and what we know of it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeClassLink {
    /// Group.
    pub group: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Whether it exists in the snapshot.
    pub found: bool,
    /// Its Ready condition.
    pub ready: Option<bool>,
    /// Provider (`AWS`, `Azure`, `EKS Auto Mode`, `KWOK`, `unknown`).
    pub provider: Option<String>,
}

/// A NodePool as the API serves it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodePoolView {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `NodePoolInsight`.
    pub kind: String,
    /// Name, uid, creation time.
    pub metadata: ObjectMeta,
    /// Ready condition.
    pub ready: Option<bool>,
    /// Weight.
    pub weight: Option<i32>,
    /// Static NodePool replicas.
    pub replicas: Option<i64>,
    /// Provisioned resources vs limits (cpu, memory, then every limited or used resource).
    pub resources: Vec<ResourceUsage>,
    /// Resources at or over their limit.
    pub at_limit: Vec<String>,
    /// Node count (status, else counted).
    pub node_count: i64,
    /// Member NodeClaims.
    pub node_claims: Vec<String>,
    /// Member Nodes.
    pub nodes: Vec<String>,
    /// NodeClaims not yet initialized.
    pub launching: i64,
    /// Drifted NodeClaims.
    pub drifted: i64,
    /// Consolidation policy.
    pub consolidation_policy: Option<String>,
    /// Consolidate after.
    pub consolidate_after: Option<String>,
    /// Expire after (v1 or v1beta1 location).
    pub expire_after: Option<String>,
    /// Disruption budgets.
    pub budgets: Vec<Budget>,
    /// NodeClass.
    pub node_class: Option<NodeClassLink>,
    /// Scheduling requirements of the template.
    pub requirements: Vec<crate::karpenter::Requirement>,
    /// Taints of the template.
    pub taints: Vec<crate::k8s::Taint>,
    /// Startup taints of the template.
    pub startup_taints: Vec<crate::k8s::Taint>,
    /// Labels put on nodes.
    pub template_labels: crate::meta::Labels,
    /// Termination grace period.
    pub termination_grace_period: Option<String>,
    /// Conditions.
    pub conditions: Vec<Condition>,
    /// Sum of the members' prices per hour (priced members only).
    pub cost_per_hour: Option<f64>,
    /// Members without a price.
    pub unpriced_nodes: i64,
}

/// Builds the view of one NodePool.
pub fn node_pool_view(ix: &Index, pool: &NodePool, _now: Time) -> NodePoolView {
    let name = pool.metadata.name.as_str();
    let claims = ix.claims_in_pool(name);
    let nodes = ix.nodes_in_pool(name);
    // Karpenter's own accounting first; counted from members when status is empty (old versions).
    let mut used = pool.status.resources.clone();
    if used.is_empty() {
        for c in claims {
            add_into(&mut used, &c.status.capacity);
        }
        used.insert("nodes".to_owned(), Quantity::from_units(claims.len() as i64));
    }
    let resources = rows(&used, &pool.spec.limits, &["cpu", "memory"]);
    let at_limit = resources.iter().filter(|r| r.is_full()).map(|r| r.name.clone()).collect();
    let (mut cost, mut unpriced) = (0.0, 0i64);
    for n in nodes {
        match crate::cost::price_of(&n.metadata.labels, ix.snap.pricing) {
            Some(p) => cost += p.per_hour,
            None => unpriced += 1,
        }
    }
    let node_class = node_class_link(ix, pool);
    let mut claim_names: Vec<String> = claims.iter().map(|c| c.metadata.name.clone()).collect();
    claim_names.sort();
    let mut node_names: Vec<String> = nodes.iter().map(|n| n.metadata.name.clone()).collect();
    node_names.sort();
    NodePoolView {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::NODEPOOLS.kind.to_owned(),
        metadata: crate::api::view_meta(&pool.metadata, false),
        ready: pool.ready(),
        weight: pool.spec.weight,
        replicas: pool.spec.replicas,
        resources,
        at_limit,
        node_count: pool.status.nodes.unwrap_or(nodes.len() as i64),
        launching: claims.iter().filter(|c| c.condition("Initialized") != Some(true)).count() as i64,
        drifted: claims.iter().filter(|c| c.condition("Drifted") == Some(true)).count() as i64,
        node_claims: claim_names,
        nodes: node_names,
        consolidation_policy: pool.spec.disruption.consolidation_policy.clone(),
        consolidate_after: pool.spec.disruption.consolidate_after.clone(),
        expire_after: pool.expire_after().map(str::to_owned),
        budgets: pool.spec.disruption.budgets.clone(),
        node_class,
        requirements: pool.spec.template.spec.requirements.clone(),
        taints: pool.spec.template.spec.taints.clone(),
        startup_taints: pool.spec.template.spec.startup_taints.clone(),
        template_labels: pool.spec.template.metadata.labels.clone(),
        termination_grace_period: pool.spec.template.spec.termination_grace_period.clone(),
        conditions: pool.status.conditions.clone(),
        cost_per_hour: (!nodes.is_empty() && unpriced < nodes.len() as i64)
            .then_some(crate::quantity::round6(cost)),
        unpriced_nodes: unpriced,
    }
}

/// The NodeClass a NodePool uses.
pub fn node_class_link(ix: &Index, pool: &NodePool) -> Option<NodeClassLink> {
    pool.spec.template.spec.node_class_ref.as_ref().map(|r| {
        let found = ix.node_class(r);
        NodeClassLink {
            group: r.group.clone().or_else(|| found.map(|c| c.group().to_owned())).unwrap_or_default(),
            kind: r.kind.clone().or_else(|| found.map(|c| c.kind().to_owned())).unwrap_or_default(),
            name: r.name.clone(),
            found: found.is_some(),
            ready: found.and_then(|c| c.ready()),
            provider: found.map(|c| c.provider().to_owned()),
        }
    })
}

/// Limited resources a NodePool has reached, from Karpenter's own accounting.
pub fn at_limit(pool: &NodePool) -> Vec<String> {
    pool.spec
        .limits
        .iter()
        .filter(|(k, limit)| pool.status.resources.get(*k).is_some_and(|used| used >= *limit))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Views of every NodePool, by name.
pub fn node_pool_views(ix: &Index, now: Time) -> Vec<NodePoolView> {
    let mut v: Vec<NodePoolView> = ix.snap.node_pools.iter().map(|p| node_pool_view(ix, p, now)).collect();
    v.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    v
}
