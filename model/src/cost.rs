//! Cost: node prices (label, configured table, or offering metric), a pod's share of its
//! node, and what a ScaledObject saves while at zero. Estimates, never billing.

use crate::k8s::labels;
use crate::meta::Labels;
use crate::quantity::ResourceList;
use crate::snapshot::Pricing;
use serde::{Deserialize, Serialize};

/// Where a price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PriceSource {
    /// A node label (eks-node-viewer's `eks-node-viewer/instance-price` or a configured one).
    #[default]
    Label,
    /// The offering-price metric for this type, capacity type and zone.
    Offering,
    /// The configured price table.
    Table,
}

/// A price per hour and its source.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Price {
    /// Dollars (or the configured currency) per hour.
    pub per_hour: f64,
    /// Source.
    pub source: PriceSource,
}

/// The price of a node or NodeClaim from its labels.
pub fn price_of(node_labels: &Labels, pricing: &Pricing) -> Option<Price> {
    let label = pricing.label.as_deref().unwrap_or(labels::INSTANCE_PRICE);
    if let Some(p) = node_labels
        .get(label)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|p| p.is_finite() && *p >= 0.0)
    {
        return Some(Price { per_hour: p, source: PriceSource::Label });
    }
    let it =
        node_labels.get(labels::INSTANCE_TYPE).or_else(|| node_labels.get(labels::INSTANCE_TYPE_BETA))?;
    let ct =
        node_labels.get(crate::karpenter::labels::CAPACITY_TYPE).map(String::as_str).unwrap_or("on-demand");
    if let Some(zone) = node_labels.get(labels::ZONE)
        && let Some(p) = pricing.offerings.get(&format!("{it}/{ct}/{zone}"))
    {
        return Some(Price { per_hour: *p, source: PriceSource::Offering });
    }
    pricing
        .table
        .get(&format!("{it}/{ct}"))
        .or_else(|| pricing.table.get(it.as_str()))
        .map(|p| Price { per_hour: *p, source: PriceSource::Table })
}

/// The share of a node a pod takes: the larger of its CPU and memory share, at most 1.
pub fn share_of(requests: &ResourceList, allocatable: &ResourceList) -> f64 {
    ["cpu", "memory"]
        .iter()
        .filter_map(|k| requests.get(*k)?.ratio(allocatable.get(*k)?))
        .fold(0.0f64, f64::max)
        .clamp(0.0, 1.0)
}

/// Average prices per allocatable CPU and GiB across priced nodes (to estimate pods not running).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UnitPrices {
    /// Per CPU-hour.
    pub per_cpu_hour: f64,
    /// Per GiB-hour.
    pub per_gib_hour: f64,
}

impl UnitPrices {
    /// Estimated $/h of one pod with these requests (the larger of its CPU and memory cost).
    pub fn pod_per_hour(&self, requests: &ResourceList) -> f64 {
        let cpu = requests.get("cpu").map(|q| q.as_f64()).unwrap_or(0.0) * self.per_cpu_hour;
        let mem =
            requests.get("memory").map(|q| q.as_f64() / 1_073_741_824.0).unwrap_or(0.0) * self.per_gib_hour;
        cpu.max(mem)
    }
}

/// Unit prices from (price, allocatable) of nodes.
pub fn unit_prices<'a>(nodes: impl Iterator<Item = (f64, &'a ResourceList)>) -> Option<UnitPrices> {
    let (mut price, mut cpu, mut gib) = (0.0, 0.0, 0.0);
    for (p, alloc) in nodes {
        price += p;
        cpu += alloc.get("cpu").map(|q| q.as_f64()).unwrap_or(0.0);
        gib += alloc.get("memory").map(|q| q.as_f64() / 1_073_741_824.0).unwrap_or(0.0);
    }
    (price > 0.0 && cpu > 0.0 && gib > 0.0)
        .then(|| UnitPrices { per_cpu_hour: price / cpu, per_gib_hour: price / gib })
}

/// What a ScaledObject saves while its target is at zero (an estimate).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Savings {
    /// Replicas that would run without scale-to-zero (`originalReplicaCount`, at least 1).
    pub baseline_replicas: i32,
    /// Estimated cost of one replica per hour.
    pub per_replica_per_hour: f64,
    /// Saved per hour while at zero.
    pub per_hour: f64,
    /// Seconds at zero so far.
    pub at_zero_seconds: f64,
    /// Saved during the current stretch at zero.
    pub saved: f64,
}
