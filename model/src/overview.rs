//! The overview: scalers active / idle at zero / erroring / paused / in fallback; NodePools
//! usage vs limits; pending pods; blocked scale-outs; recent scaling; cost. Computed from the
//! other views, so a per-user restricted set of views gives a consistent per-user overview.

use crate::chain::Chain;
use crate::journal::{self, JournalEntry};
use crate::meta::ObjectMeta;
use crate::node::NodeView;
use crate::nodeclaim::{NodeClaimPhase, NodeClaimView};
use crate::nodepool::NodePoolView;
use crate::pending::{BlockedScaleOut, PendingCause, PendingPod};
use crate::scaler::{Scaler, ScalerState};
use crate::snapshot::{Index, Sources};
use crate::time::Time;
use crate::usage::ResourceUsage;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counts of scalers by state (a scaler can be erroring and in fallback at once).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScalerCounts {
    /// All scalers.
    pub total: i64,
    /// A trigger is active.
    pub active: i64,
    /// Idle with the target at zero.
    pub at_zero: i64,
    /// Idle above zero.
    pub idle: i64,
    /// Not ready or a trigger failing.
    pub erroring: i64,
    /// Paused.
    pub paused: i64,
    /// In fallback.
    pub fallback: i64,
    /// No status yet.
    pub unknown: i64,
}

/// A NodePool line of the overview.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolSummary {
    /// Name.
    pub name: String,
    /// Ready.
    pub ready: Option<bool>,
    /// Usage vs limits.
    pub resources: Vec<ResourceUsage>,
    /// Nodes.
    pub node_count: i64,
    /// Resources at limit.
    pub at_limit: Vec<String>,
    /// Pending pods Karpenter says exceed this pool's limits.
    pub limit_blocked_pods: i64,
    /// $/h.
    pub cost_per_hour: Option<f64>,
}

/// Pods per cause.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CausePods {
    /// Cause.
    pub cause: PendingCause,
    /// Pods.
    pub pods: i64,
}

/// The overview as the API serves it (one object named `cluster`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Overview {
    /// `insights.autoscaling.dev/v1alpha1`.
    pub api_version: String,
    /// `Overview`.
    pub kind: String,
    /// Name `cluster`.
    pub metadata: ObjectMeta,
    /// Scaler counts.
    pub scalers: ScalerCounts,
    /// NodePools.
    pub node_pools: Vec<PoolSummary>,
    /// Nodes.
    pub nodes: i64,
    /// Nodes not Ready.
    pub nodes_not_ready: i64,
    /// NodeClaims not yet initialized.
    pub node_claims_launching: i64,
    /// Pending pods.
    pub pending_pods: i64,
    /// Pending pods per cause.
    pub pending_by_cause: Vec<CausePods>,
    /// Blocked (or still launching) scale-outs.
    pub scale_outs: Vec<BlockedScaleOut>,
    /// Recent scaling events and transitions, newest first.
    pub recent: Vec<JournalEntry>,
    /// Cluster $/h (priced nodes).
    pub cost_per_hour: Option<f64>,
    /// Saved per hour by scalers at zero (estimate).
    pub saved_per_hour: Option<f64>,
    /// What could be read.
    pub sources: Sources,
}

/// Recent scaling: scaling events now in the cluster merged (by uid) with journal entries,
/// newest first, at most `limit`.
pub fn recent_scaling(ix: &Index, limit: usize) -> Vec<JournalEntry> {
    let mut by_uid: BTreeMap<String, JournalEntry> = BTreeMap::new();
    for j in &ix.snap.journal {
        by_uid.insert(j.uid.clone(), (*j).clone());
    }
    for e in &ix.snap.events {
        if let Some(entry) = journal::from_event(e) {
            match by_uid.get_mut(&entry.uid) {
                Some(existing) => journal::merge(existing, &entry),
                None => {
                    by_uid.insert(entry.uid.clone(), entry);
                }
            }
        }
    }
    let mut v: Vec<JournalEntry> = by_uid.into_values().collect();
    v.sort_by(|a, b| b.last_time.cmp(&a.last_time).then_with(|| a.uid.cmp(&b.uid)));
    v.truncate(limit);
    v
}

/// The parts the overview is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'v> {
    /// Scalers.
    pub scalers: &'v [Scaler],
    /// NodePools.
    pub node_pools: &'v [NodePoolView],
    /// NodeClaims.
    pub node_claims: &'v [NodeClaimView],
    /// Nodes.
    pub nodes: &'v [NodeView],
    /// Pending pods.
    pub pending: &'v [PendingPod],
    /// Chains (for scale-outs).
    pub chains: &'v [Chain],
}

/// Builds the overview from the other views.
pub fn overview(parts: Parts<'_>, recent: Vec<JournalEntry>, sources: Sources) -> Overview {
    let mut c = ScalerCounts { total: parts.scalers.len() as i64, ..Default::default() };
    let mut saved = None;
    for s in parts.scalers {
        match s.state {
            ScalerState::Active => c.active += 1,
            ScalerState::AtZero => c.at_zero += 1,
            ScalerState::Idle => c.idle += 1,
            ScalerState::Unknown => c.unknown += 1,
            _ => {}
        }
        c.erroring += i64::from(s.erroring);
        c.paused += i64::from(s.pause.paused);
        c.fallback += i64::from(s.fallback.as_ref().is_some_and(|f| f.active));
        if let Some(sv) = &s.savings {
            *saved.get_or_insert(0.0) += sv.per_hour;
        }
    }
    let mut by_cause: BTreeMap<PendingCause, i64> = BTreeMap::new();
    for p in parts.pending {
        *by_cause.entry(p.cause).or_default() += 1;
    }
    let priced: Vec<f64> = parts.nodes.iter().filter_map(|n| n.price.map(|p| p.per_hour)).collect();
    Overview {
        api_version: crate::api::API_VERSION.to_owned(),
        kind: crate::api::OVERVIEWS.kind.to_owned(),
        metadata: ObjectMeta { name: "cluster".to_owned(), ..Default::default() },
        scalers: c,
        node_pools: parts
            .node_pools
            .iter()
            .map(|p| PoolSummary {
                name: p.metadata.name.clone(),
                ready: p.ready,
                resources: p
                    .resources
                    .iter()
                    .filter(|r| r.bound.is_some() || r.name == "cpu" || r.name == "memory")
                    .cloned()
                    .collect(),
                node_count: p.node_count,
                at_limit: p.at_limit.clone(),
                limit_blocked_pods: parts
                    .pending
                    .iter()
                    .filter(|pp| {
                        pp.cause == PendingCause::NodePoolLimit
                            && pp
                                .reasons
                                .iter()
                                .rev()
                                .find(|r| r.cause == pp.cause)
                                .and_then(|r| r.node_pool.as_deref())
                                == Some(p.metadata.name.as_str())
                    })
                    .count() as i64,
                cost_per_hour: p.cost_per_hour,
            })
            .collect(),
        nodes: parts.nodes.len() as i64,
        nodes_not_ready: parts.nodes.iter().filter(|n| n.ready != Some(true)).count() as i64,
        node_claims_launching: parts
            .node_claims
            .iter()
            .filter(|c| {
                matches!(
                    c.phase,
                    NodeClaimPhase::Launching | NodeClaimPhase::Registering | NodeClaimPhase::Initializing
                )
            })
            .count() as i64,
        pending_pods: parts.pending.len() as i64,
        pending_by_cause: by_cause.into_iter().map(|(cause, pods)| CausePods { cause, pods }).collect(),
        scale_outs: parts.chains.iter().filter_map(|ch| ch.blocked.clone()).collect(),
        recent,
        cost_per_hour: (!priced.is_empty()).then(|| crate::quantity::round6(priced.iter().sum())),
        saved_per_hour: saved.map(crate::quantity::round6),
        sources,
    }
}

/// Every view of a snapshot, computed once.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Views {
    /// The overview.
    pub overview: Overview,
    /// Scalers.
    pub scalers: Vec<Scaler>,
    /// NodePools.
    pub node_pools: Vec<NodePoolView>,
    /// NodeClaims.
    pub node_claims: Vec<NodeClaimView>,
    /// Nodes.
    pub nodes: Vec<NodeView>,
    /// Chains.
    pub chains: Vec<Chain>,
    /// Pending pods.
    pub pending_pods: Vec<PendingPod>,
    /// Cold-start timelines.
    pub timelines: Vec<crate::cold_start::Timeline>,
}

/// How many recent entries the overview carries.
pub const RECENT_LIMIT: usize = 50;

impl Views {
    /// Runs every join over a snapshot.
    pub fn build(snap: &crate::snapshot::Snapshot<'_>, now: Time) -> Views {
        let ix = Index::new(snap);
        let mut v = Views {
            overview: Overview::default(),
            scalers: crate::scaler::scalers(&ix, now),
            node_pools: crate::nodepool::node_pool_views(&ix, now),
            node_claims: crate::nodeclaim::node_claim_views(&ix, now),
            nodes: crate::node::node_views(&ix, now),
            chains: crate::chain::chains(&ix, now),
            pending_pods: crate::pending::pending_pods(&ix, now),
            timelines: crate::cold_start::timelines(&ix, now),
        };
        v.refresh_overview(recent_scaling(&ix, RECENT_LIMIT), snap.sources.clone());
        v
    }

    /// Recomputes the overview from the current parts.
    fn refresh_overview(&mut self, recent: Vec<JournalEntry>, sources: Sources) {
        self.overview = overview(
            Parts {
                scalers: &self.scalers,
                node_pools: &self.node_pools,
                node_claims: &self.node_claims,
                nodes: &self.nodes,
                pending: &self.pending_pods,
                chains: &self.chains,
            },
            recent,
            sources,
        );
    }
}
