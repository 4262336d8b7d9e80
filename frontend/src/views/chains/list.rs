//! Every ScaledObject's chain in one line: workload, state, replicas, pending pods, nodes,
//! NodePools, and what blocks the scale-out.

use super::{state_chip, state_rank};
use crate::components::{
    Chip, Column, EmptyPanel, ErrorPanel, GapNotes, Link, LoadingPanel, SearchBox, SectionBox, Table, Tone,
};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::pool_link;
use crate::views::pending::{cause_text, object_link};
use model::chain::Chain;
use std::rc::Rc;
use yew::prelude::*;

fn pending(c: &Chain) -> usize {
    c.pods.iter().filter(|p| p.pending_cause.is_some()).count()
}

fn replicas(c: &Chain) -> String {
    match c.desired_replicas {
        Some(d) => format!("{} / {d}", c.ready_replicas),
        None => format!("{} / ?", c.ready_replicas),
    }
}

fn blocked(c: &Chain) -> Html {
    match &c.blocked {
        Some(b) if b.blocked => {
            let why = b.causes.first().map(|c| cause_text(c.cause)).unwrap_or("blocked");
            html! { <Chip label={format!("Blocked: {why}")} tone={Tone::Error} /> }
        }
        Some(_) => html! { <Chip label="Scaling out" tone={Tone::Info} /> },
        None => html! { <span class="ai-dim">{ "-" }</span> },
    }
}

static COLUMNS: &[Column<Chain>] = &[
    Column {
        label: "ScaledObject",
        cell: |c| {
            let route = Route::Chain { namespace: c.metadata.ns().to_owned(), name: c.metadata.name.clone() };
            html! { <Link {route}>{ c.metadata.name.clone() }</Link> }
        },
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|c| c.metadata.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |c| html! { c.metadata.ns().to_owned() },
        sort: Some(|a, b| a.metadata.ns().cmp(b.metadata.ns())),
        text: Some(|c| c.metadata.ns().to_owned()),
    },
    Column {
        label: "Workload",
        cell: |c| object_link(&c.workload),
        sort: Some(|a, b| a.workload.name.cmp(&b.workload.name)),
        text: Some(|c| format!("{}/{}", c.workload.kind, c.workload.name)),
    },
    Column {
        label: "State",
        cell: |c| state_chip(c.state),
        sort: Some(|a, b| state_rank(a.state).cmp(&state_rank(b.state))),
        text: Some(|c| format!("{:?}", c.state)),
    },
    Column {
        label: "Ready / desired",
        cell: |c| html! { replicas(c) },
        sort: Some(|a, b| a.desired_replicas.cmp(&b.desired_replicas)),
        text: None,
    },
    Column {
        label: "Pending",
        cell: |c| html! { pending(c) },
        sort: Some(|a, b| pending(a).cmp(&pending(b))),
        text: None,
    },
    Column {
        label: "Nodes",
        cell: |c| html! { c.nodes.len() },
        sort: Some(|a, b| a.nodes.len().cmp(&b.nodes.len())),
        text: None,
    },
    Column {
        label: "NodePools",
        cell: |c| {
            html! {
                <span class="ai-tags">{ for c.node_pools.iter().map(|p| html! { <span>{ pool_link(&p.name) }</span> }) }</span>
            }
        },
        sort: None,
        text: Some(|c| c.node_pools.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(" ")),
    },
    Column {
        label: "Scale-out",
        cell: blocked,
        sort: Some(|a, b| {
            let rank = |c: &Chain| c.blocked.as_ref().map(|b| if b.blocked { 0 } else { 1 }).unwrap_or(2);
            rank(a).cmp(&rank(b))
        }),
        text: None,
    },
];

fn key(c: &Chain) -> String {
    format!("{}/{}", c.metadata.ns(), c.metadata.name)
}

/// The chains page.
#[function_component]
pub fn ChainList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(data, |data| async move { data.chains().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter chains" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="scaling chains" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                <EmptyPanel title="No ScaledObjects">{ "A chain starts at a KEDA ScaledObject; there is none you may see." }</EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[Chain]> = answer.value.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    <Table<Chain> {rows} columns={COLUMNS} row_key={key as fn(&Chain) -> String}
                        filter={AttrValue::from((*filter).clone())} label="Scaling chains" />
                </>
            }
        }
    };
    html! { <SectionBox title="Scaling chains" {actions}>{ body }</SectionBox> }
}
