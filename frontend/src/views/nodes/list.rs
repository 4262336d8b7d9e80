//! All nodes (eks-node-viewer parity) with a totals line: requested vs allocatable CPU and
//! memory, pods, and the cluster's price per hour and month.

use super::{status, status_rank};
use crate::components::quantity::{money_per_hour, used_of};
use crate::components::usage::{UsageBar, percent};
use crate::components::{
    Bar, Column, EmptyPanel, ErrorPanel, GapNotes, LoadingPanel, SearchBox, SectionBox, Table,
};
use crate::data::{Data, Load, use_live};
use crate::views::nodeclaims::{capacity_chip, claim_link, node_link, pool_link};
use crate::views::time::{age, now};
use model::node::NodeView;
use model::quantity::Quantity;
use model::usage::ResourceUsage;
use std::rc::Rc;
use yew::prelude::*;

fn usage_of(n: &NodeView, resource: &str) -> ResourceUsage {
    n.resources
        .iter()
        .find(|r| r.name == resource)
        .cloned()
        .unwrap_or_else(|| ResourceUsage::new(resource, Quantity::default(), None))
}

fn ratio(n: &NodeView, resource: &str) -> f64 {
    usage_of(n, resource).ratio.unwrap_or(-1.0)
}

fn pods(n: &NodeView) -> Html {
    match n.pods_max {
        Some(max) => {
            let r = (max > 0).then(|| n.pods as f64 / max as f64);
            html! { <Bar value={n.pods as f64} max={max as f64} label={format!("{} / {max}", n.pods)} tone={crate::components::usage::tone_of(r)} /> }
        }
        None => html! { n.pods },
    }
}

fn dim(text: &str) -> Html {
    html! { <span class="ai-dim">{ text.to_owned() }</span> }
}

/// Columns, also used by the NodePool page's member list.
pub static COLUMNS: &[Column<NodeView>] = &[
    Column {
        label: "Name",
        cell: |n| html! { <span class="ai-node-name">{ node_link(&n.metadata.name) }</span> },
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|n| n.metadata.name.clone()),
    },
    Column {
        label: "Status",
        cell: status,
        sort: Some(|a, b| status_rank(a).cmp(&status_rank(b))),
        text: Some(|n| n.status_text()),
    },
    Column {
        label: "CPU req.",
        cell: |n| html! { <UsageBar usage={usage_of(n, "cpu")} unbounded="no allocatable" compact=true /> },
        sort: Some(|a, b| ratio(a, "cpu").total_cmp(&ratio(b, "cpu"))),
        text: None,
    },
    Column {
        label: "Memory req.",
        cell: |n| html! { <UsageBar usage={usage_of(n, "memory")} unbounded="no allocatable" compact=true /> },
        sort: Some(|a, b| ratio(a, "memory").total_cmp(&ratio(b, "memory"))),
        text: None,
    },
    Column { label: "Pods", cell: pods, sort: Some(|a, b| a.pods.cmp(&b.pods)), text: None },
    Column {
        label: "Instance",
        cell: |n| {
            html! {
                <span class="ai-stack">
                    { n.instance_type.clone().map(|t| html! { <span class="ai-nowrap">{ t }</span> }).unwrap_or_else(|| dim("-")) }
                    { capacity_chip(n.capacity_type.as_deref()) }
                </span>
            }
        },
        sort: Some(|a, b| (&a.instance_type, &a.capacity_type).cmp(&(&b.instance_type, &b.capacity_type))),
        text: Some(|n| {
            format!(
                "{} {}",
                n.instance_type.as_deref().unwrap_or(""),
                n.capacity_type.as_deref().unwrap_or("")
            )
        }),
    },
    Column {
        label: "NodePool / NodeClaim",
        cell: |n| {
            html! {
                <span class="ai-stack">
                    { n.node_pool.as_deref().map(pool_link).unwrap_or_else(|| dim("-")) }
                    { n.node_claim.as_deref().map(claim_link).unwrap_or_else(|| dim("not from Karpenter")) }
                </span>
            }
        },
        sort: Some(|a, b| (&a.node_pool, &a.node_claim).cmp(&(&b.node_pool, &b.node_claim))),
        text: Some(|n| {
            format!("{} {}", n.node_pool.as_deref().unwrap_or(""), n.node_claim.as_deref().unwrap_or(""))
        }),
    },
    Column {
        label: "$/h",
        cell: |n| match n.price {
            Some(p) => html! { <span class="ai-nowrap">{ money_per_hour(p.per_hour) }</span> },
            None => dim("-"),
        },
        sort: Some(|a, b| {
            let p = |n: &NodeView| n.price.map(|p| p.per_hour).unwrap_or(-1.0);
            p(a).total_cmp(&p(b))
        }),
        text: None,
    },
    Column {
        label: "Age",
        cell: |n| age(n.metadata.creation_timestamp, now()),
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn key(n: &NodeView) -> String {
    n.metadata.name.clone()
}

/// Sums of a resource over nodes (a footer line, like eks-node-viewer's cluster summary).
fn total(nodes: &[NodeView], resource: &str) -> ResourceUsage {
    let (mut used, mut bound) = (Quantity::default(), Quantity::default());
    for n in nodes {
        let u = usage_of(n, resource);
        used = used.saturating_add(&u.used);
        if let Some(b) = u.bound {
            bound = bound.saturating_add(&b);
        }
    }
    ResourceUsage::new(resource, used, (!bound.is_zero()).then_some(bound))
}

fn totals(nodes: &[NodeView]) -> Html {
    let cpu = total(nodes, "cpu");
    let memory = total(nodes, "memory");
    let pods: i64 = nodes.iter().map(|n| n.pods).sum();
    let pods_max: i64 = nodes.iter().filter_map(|n| n.pods_max).sum();
    let priced: Vec<f64> = nodes.iter().filter_map(|n| n.price.map(|p| p.per_hour)).collect();
    let cost: f64 = priced.iter().sum();
    let ready = nodes.iter().filter(|n| n.ready == Some(true)).count();
    let line =
        |u: &ResourceUsage| format!("{} ({})", used_of(&u.name, &u.used, u.bound.as_ref()), percent(u.ratio));
    html! {
        <div class="ai-totals" role="group" aria-label="Cluster totals">
            <span><strong>{ format!("{} nodes", nodes.len()) }</strong>{ format!(" ({ready} ready)") }</span>
            <span><span class="ai-dim">{ "CPU " }</span>{ line(&cpu) }</span>
            <span><span class="ai-dim">{ "Memory " }</span>{ line(&memory) }</span>
            <span><span class="ai-dim">{ "Pods " }</span>{ format!("{pods} / {pods_max}") }</span>
            if priced.is_empty() {
                <span class="ai-dim">{ "No node has a price" }</span>
            } else {
                <span>
                    <strong>{ money_per_hour(cost) }</strong>
                    <span class="ai-dim">{ format!(" · ${:.0}/month", cost * 730.0) }</span>
                    if priced.len() < nodes.len() {
                        <span class="ai-dim">{ format!(" · {} node(s) without a price", nodes.len() - priced.len()) }</span>
                    }
                </span>
            }
        </div>
    }
}

/// The Nodes page.
#[function_component]
pub fn NodeList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(data, |data| async move { data.nodes().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter nodes" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="nodes" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                <EmptyPanel title="No nodes">{ "The cluster has no nodes you may list." }</EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[NodeView]> = answer.value.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    { totals(&answer.value) }
                    <Table<NodeView> {rows} columns={COLUMNS} row_key={key as fn(&NodeView) -> String}
                        filter={AttrValue::from((*filter).clone())} label="Nodes" />
                </>
            }
        }
    };
    html! { <SectionBox title="Nodes" {actions}>{ body }</SectionBox> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(cpu_used: &str, cpu_alloc: &str) -> NodeView {
        let q = |s: &str| Quantity::parse(s).expect("quantity");
        NodeView {
            resources: vec![ResourceUsage::new("cpu", q(cpu_used), Some(q(cpu_alloc)))],
            ..Default::default()
        }
    }

    #[test]
    fn totals_add_exact_quantities() {
        let t = total(&[node("1500m", "2"), node("700m", "2")], "cpu");
        assert_eq!(used_of("cpu", &t.used, t.bound.as_ref()), "2.2 / 4 cores");
        let none = total(&[], "memory");
        assert!(none.bound.is_none());
    }
}
