//! Resource usage rows (used vs allocatable or vs limit), shared by the node and NodePool views.

use crate::quantity::{Quantity, ResourceList};
use serde::{Deserialize, Serialize};

/// One resource: how much is used against a bound.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceUsage {
    /// Resource name (`cpu`, `memory`, `pods`, `nvidia.com/gpu`, ...).
    pub name: String,
    /// Used (requests, or provisioned capacity for NodePools), canonical quantity.
    pub used: Quantity,
    /// The bound (allocatable or limit), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Quantity>,
    /// `used / bound` (1.0 = full), when the bound is known and non-zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
}

impl ResourceUsage {
    /// Builds a row.
    pub fn new(name: &str, used: Quantity, bound: Option<Quantity>) -> ResourceUsage {
        let ratio = bound.as_ref().and_then(|b| used.ratio(b)).map(crate::quantity::round6);
        ResourceUsage { name: name.to_owned(), used, bound, ratio }
    }

    /// At or over the bound.
    pub fn is_full(&self) -> bool {
        self.ratio.is_some_and(|r| r >= 1.0)
    }
}

/// Rows for `first` resources (always, in that order) then every other resource that has a
/// bound or a non-zero use, sorted by name.
pub fn rows(used: &ResourceList, bound: &ResourceList, first: &[&str]) -> Vec<ResourceUsage> {
    let mut out: Vec<ResourceUsage> = first
        .iter()
        .map(|k| ResourceUsage::new(k, used.get(*k).copied().unwrap_or_default(), bound.get(*k).copied()))
        .collect();
    let mut rest: Vec<&String> =
        used.keys().chain(bound.keys()).filter(|k| !first.contains(&k.as_str())).collect();
    rest.sort();
    rest.dedup();
    for k in rest {
        let u = used.get(k).copied().unwrap_or_default();
        let b = bound.get(k).copied();
        if !u.is_zero() || b.is_some_and(|b| !b.is_zero()) {
            out.push(ResourceUsage::new(k, u, b));
        }
    }
    out
}
