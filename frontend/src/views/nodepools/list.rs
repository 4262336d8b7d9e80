//! All NodePools: readiness, NodeClass, nodes, CPU and memory against their limits (exact:
//! `1500m` is 1.5 cores), weight, consolidation, cost per hour, age.

use super::{consolidation, node_class_link, ready_chip, usage_of};
use crate::components::quantity::money_per_hour;
use crate::components::usage::UsageBar;
use crate::components::{
    Column, EmptyPanel, ErrorPanel, GapNotes, Link, LoadingPanel, SearchBox, SectionBox, Table,
};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::time::{age, now};
use model::nodepool::NodePoolView;
use std::cmp::Ordering;
use std::rc::Rc;
use yew::prelude::*;

fn name(p: &NodePoolView) -> Html {
    let route = Route::NodePool { name: p.metadata.name.clone() };
    html! { <Link {route}>{ p.metadata.name.clone() }</Link> }
}

fn nodes(p: &NodePoolView) -> Html {
    let mut extra = Vec::new();
    if p.launching > 0 {
        extra.push(format!("{} launching", p.launching));
    }
    if p.drifted > 0 {
        extra.push(format!("{} drifted", p.drifted));
    }
    let replicas = p.replicas.map(|r| format!(" of {r} (static)")).unwrap_or_default();
    html! {
        <span class="ai-nowrap">
            { format!("{}{replicas}", p.node_count) }
            if !extra.is_empty() { <span class="ai-dim">{ format!(" · {}", extra.join(" · ")) }</span> }
        </span>
    }
}

fn ratio_order(a: &NodePoolView, b: &NodePoolView, resource: &str) -> Ordering {
    let r = |p: &NodePoolView| usage_of(p, resource).ratio.unwrap_or(-1.0);
    r(a).total_cmp(&r(b))
}

fn cost(p: &NodePoolView) -> Html {
    match p.cost_per_hour {
        Some(c) => {
            let title = (p.unpriced_nodes > 0)
                .then(|| format!("{} node(s) without a price are not counted", p.unpriced_nodes));
            html! { <span class="ai-nowrap" {title}>{ money_per_hour(c) }</span> }
        }
        None => html! { <span class="ai-dim" title="No node of this NodePool has a price">{ "-" }</span> },
    }
}

/// The columns (the NodePool detail page reuses none; the overview links here).
pub static COLUMNS: &[Column<NodePoolView>] = &[
    Column {
        label: "Name",
        cell: name,
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|p| p.metadata.name.clone()),
    },
    Column {
        label: "Ready",
        cell: |p| ready_chip(p.ready),
        sort: Some(|a, b| a.ready.cmp(&b.ready).reverse()),
        text: None,
    },
    Column {
        label: "NodeClass",
        cell: |p| p.node_class.as_ref().map(node_class_link).unwrap_or_else(|| html! { "-" }),
        sort: Some(|a, b| {
            a.node_class.as_ref().map(|c| &c.name).cmp(&b.node_class.as_ref().map(|c| &c.name))
        }),
        text: Some(|p| p.node_class.as_ref().map(|c| format!("{} {}", c.kind, c.name)).unwrap_or_default()),
    },
    Column { label: "Nodes", cell: nodes, sort: Some(|a, b| a.node_count.cmp(&b.node_count)), text: None },
    Column {
        label: "CPU",
        cell: |p| html! { <UsageBar usage={usage_of(p, "cpu")} /> },
        sort: Some(|a, b| ratio_order(a, b, "cpu")),
        text: None,
    },
    Column {
        label: "Memory",
        cell: |p| html! { <UsageBar usage={usage_of(p, "memory")} /> },
        sort: Some(|a, b| ratio_order(a, b, "memory")),
        text: None,
    },
    Column {
        label: "Weight",
        cell: |p| {
            p.weight.map(|w| html! { w }).unwrap_or_else(|| html! { <span class="ai-dim">{ "-" }</span> })
        },
        sort: Some(|a, b| a.weight.cmp(&b.weight)),
        text: None,
    },
    Column {
        label: "Consolidation",
        cell: |p| html! { <span class="ai-wrap">{ consolidation(p) }</span> },
        sort: Some(|a, b| consolidation(a).cmp(&consolidation(b))),
        text: Some(consolidation),
    },
    Column {
        label: "$/h",
        cell: cost,
        sort: Some(|a, b| a.cost_per_hour.unwrap_or(-1.0).total_cmp(&b.cost_per_hour.unwrap_or(-1.0))),
        text: None,
    },
    Column {
        label: "Age",
        cell: |p| age(p.metadata.creation_timestamp, now()),
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn key(p: &NodePoolView) -> String {
    p.metadata.name.clone()
}

/// The NodePools page.
#[function_component]
pub fn NodePoolList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(data, |data| async move { data.node_pools().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter NodePools" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="NodePools" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                <EmptyPanel title="No NodePools">
                    { "Karpenter is installed, but no NodePool exists. A NodePool says which nodes Karpenter may " }
                    { "create (requirements, limits, disruption); without one, pending pods get no new nodes." }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[NodePoolView]> = answer.value.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    <Table<NodePoolView> {rows} columns={COLUMNS} row_key={key as fn(&NodePoolView) -> String}
                        filter={AttrValue::from((*filter).clone())} label="NodePools" />
                </>
            }
        }
    };
    html! { <SectionBox title="NodePools" {actions}>{ body }</SectionBox> }
}
