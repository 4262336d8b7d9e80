//! Values of our columns in Headlamp's own tables — "Autoscaler" on Deployments and
//! StatefulSets, "NodePool" and "$/h" on Nodes — computed once per table (one shared fetch), as
//! JSON rows that `js/registry.js` keys by object and renders in every row's cell.

use crate::components::quantity::money_per_hour;
use crate::data::{Data, DataError};
use serde_json::{Value, json};

/// The table a column belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnTable {
    /// Deployments and StatefulSets: who scales each.
    Workloads,
    /// Nodes: NodePool and price.
    Nodes,
}

impl ColumnTable {
    /// From the name JS passes (`workloads`, `nodes`).
    pub fn parse(name: &str) -> Option<ColumnTable> {
        match name {
            "workloads" => Some(ColumnTable::Workloads),
            "nodes" => Some(ColumnTable::Nodes),
            _ => None,
        }
    }
}

/// The rows of `table` as JSON: `{rows: [...], gaps: ["..."]}`.
pub async fn values(data: &Data, table: ColumnTable) -> Result<Value, DataError> {
    match table {
        ColumnTable::Workloads => {
            let answer = data.workload_autoscalers().await?;
            let rows: Vec<Value> = answer
                .value
                .iter()
                .map(|a| {
                    json!({
                        "namespace": a.namespace,
                        "kind": a.target_kind,
                        "name": a.target_name,
                        "autoscalerKind": a.kind,
                        "autoscaler": a.name,
                        "text": if a.kind == "ScaledObject" { format!("KEDA: {}", a.name) } else { format!("HPA: {}", a.name) },
                    })
                })
                .collect();
            Ok(json!({ "rows": rows, "gaps": answer.gaps.iter().map(|g| g.text()).collect::<Vec<_>>() }))
        }
        ColumnTable::Nodes => {
            let answer = data.node_columns().await?;
            let rows: Vec<Value> = answer
                .value
                .iter()
                .map(|n| {
                    json!({
                        "name": n.name,
                        "nodePool": n.node_pool,
                        "price": n.price,
                        "priceText": n.price.map(money_per_hour),
                    })
                })
                .collect();
            Ok(json!({ "rows": rows, "gaps": answer.gaps.iter().map(|g| g.text()).collect::<Vec<_>>() }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ColumnTable;

    #[test]
    fn only_known_tables_are_served() {
        assert_eq!(ColumnTable::parse("workloads"), Some(ColumnTable::Workloads));
        assert_eq!(ColumnTable::parse("nodes"), Some(ColumnTable::Nodes));
        assert_eq!(ColumnTable::parse("pods"), None);
    }
}
