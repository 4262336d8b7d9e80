//! All NodeClaims: phase, instance type, capacity type, zone, node, NodePool, drifted /
//! consolidatable, price, age.

use super::{capacity_chip, claim_link, node_link, phase_chip, phase_rank, pool_link};
use crate::components::quantity::money_per_hour;
use crate::components::{
    Chip, Column, EmptyPanel, ErrorPanel, GapNotes, LoadingPanel, SearchBox, SectionBox, Table, Tone,
};
use crate::data::{Data, Load, use_live};
use crate::views::time::{age, now};
use model::nodeclaim::NodeClaimView;
use std::rc::Rc;
use yew::prelude::*;

fn opt(v: &Option<String>) -> Html {
    match v {
        Some(v) => html! { <span class="ai-nowrap">{ v.clone() }</span> },
        None => html! { <span class="ai-dim">{ "-" }</span> },
    }
}

fn node(c: &NodeClaimView) -> Html {
    match &c.node_name {
        Some(n) if c.node_found => node_link(n),
        Some(n) => html! { <span title="Not (or no longer) a node of the cluster">{ n.clone() }</span> },
        None => html! { <span class="ai-dim">{ "not registered yet" }</span> },
    }
}

/// Drifted / consolidatable / being disrupted, as chips.
pub fn disruption(c: &NodeClaimView) -> Html {
    let mut chips = Vec::new();
    if c.drifted {
        chips.push(html! { <Chip label="Drifted" tone={Tone::Warning} /> });
    }
    if c.consolidatable {
        chips.push(html! { <Chip label="Consolidatable" tone={Tone::Info} /> });
    }
    if let Some(r) = &c.disruption_reason {
        chips.push(html! { <Chip label={format!("Disrupting: {r}")} tone={Tone::Warning} /> });
    }
    if chips.is_empty() {
        return html! { <span class="ai-dim">{ "-" }</span> };
    }
    html! { <span class="ai-tags">{ for chips }</span> }
}

fn disruption_rank(c: &NodeClaimView) -> u8 {
    u8::from(c.disruption_reason.is_some()) * 4 + u8::from(c.drifted) * 2 + u8::from(c.consolidatable)
}

/// Columns, also used by the NodePool page's member list.
pub static COLUMNS: &[Column<NodeClaimView>] = &[
    Column {
        label: "Name",
        cell: |c| claim_link(&c.metadata.name),
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|c| c.metadata.name.clone()),
    },
    Column {
        label: "Status",
        cell: |c| phase_chip(c.phase),
        sort: Some(|a, b| phase_rank(a.phase).cmp(&phase_rank(b.phase))),
        text: Some(|c| format!("{:?}", c.phase)),
    },
    Column {
        label: "Instance type",
        cell: |c| opt(&c.instance_type),
        sort: Some(|a, b| a.instance_type.cmp(&b.instance_type)),
        text: Some(|c| c.instance_type.clone().unwrap_or_default()),
    },
    Column {
        label: "Capacity",
        cell: |c| capacity_chip(c.capacity_type.as_deref()),
        sort: Some(|a, b| a.capacity_type.cmp(&b.capacity_type)),
        text: Some(|c| c.capacity_type.clone().unwrap_or_default()),
    },
    Column {
        label: "Zone",
        cell: |c| opt(&c.zone),
        sort: Some(|a, b| a.zone.cmp(&b.zone)),
        text: Some(|c| c.zone.clone().unwrap_or_default()),
    },
    Column {
        label: "Node",
        cell: node,
        sort: Some(|a, b| a.node_name.cmp(&b.node_name)),
        text: Some(|c| c.node_name.clone().unwrap_or_default()),
    },
    Column {
        label: "NodePool",
        cell: |c| {
            c.node_pool
                .as_deref()
                .map(pool_link)
                .unwrap_or_else(|| html! { <span class="ai-dim">{ "-" }</span> })
        },
        sort: Some(|a, b| a.node_pool.cmp(&b.node_pool)),
        text: Some(|c| c.node_pool.clone().unwrap_or_default()),
    },
    Column {
        label: "Disruption",
        cell: disruption,
        sort: Some(|a, b| disruption_rank(b).cmp(&disruption_rank(a))),
        text: Some(|c| {
            [(c.drifted, "drifted"), (c.consolidatable, "consolidatable")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join(" ")
        }),
    },
    Column {
        label: "$/h",
        cell: |c| match c.price {
            Some(p) => html! { <span class="ai-nowrap">{ money_per_hour(p.per_hour) }</span> },
            None => html! { <span class="ai-dim">{ "-" }</span> },
        },
        sort: Some(|a, b| {
            let p = |c: &NodeClaimView| c.price.map(|p| p.per_hour).unwrap_or(-1.0);
            p(a).total_cmp(&p(b))
        }),
        text: None,
    },
    Column {
        label: "Age",
        cell: |c| age(c.metadata.creation_timestamp, now()),
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn key(c: &NodeClaimView) -> String {
    c.metadata.name.clone()
}

/// The NodeClaims page.
#[function_component]
pub fn NodeClaimList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(data, |data| async move { data.node_claims().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter NodeClaims" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="NodeClaims" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                <EmptyPanel title="No NodeClaims">
                    { "Karpenter has launched no node right now. A NodeClaim appears when pending pods need a node " }
                    { "and disappears when Karpenter removes that node." }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[NodeClaimView]> = answer.value.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    <Table<NodeClaimView> {rows} columns={COLUMNS} row_key={key as fn(&NodeClaimView) -> String}
                        filter={AttrValue::from((*filter).clone())} label="NodeClaims" />
                </>
            }
        }
    };
    html! { <SectionBox title="NodeClaims" {actions}>{ body }</SectionBox> }
}
