//! One NodePool: settings, every resource against its limit, disruption budgets, the template
//! (requirements, taints, labels), all conditions, member NodeClaims and Nodes, events.

use super::{consolidation, node_class_link, ready_chip};
use crate::components::conditions::ConditionsTable;
use crate::components::events::EventsTable;
use crate::components::quantity::money_per_hour;
use crate::components::requirements::{RequirementsTable, TaintsTable};
use crate::components::usage::UsageBar;
use crate::components::{Column, ErrorPanel, GapNotes, LoadingPanel, NameValue, SectionBox, Table};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::list::COLUMNS as CLAIM_COLUMNS;
use crate::views::nodes::list::COLUMNS as NODE_COLUMNS;
use crate::views::pending::list::SCALE_OUT_COLUMNS;
use crate::views::time::{age, now};
use model::karpenter::Budget;
use model::node::NodeView;
use model::nodeclaim::NodeClaimView;
use model::nodepool::NodePoolView;
use model::pending::BlockedScaleOut;
use model::usage::ResourceUsage;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`NodePoolDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// The NodePool's name.
    pub name: AttrValue,
}

fn dash() -> Html {
    html! { <span class="ai-dim">{ "-" }</span> }
}

fn settings(p: &NodePoolView) -> Html {
    let mut rows: Vec<(AttrValue, Html)> = vec![
        ("Ready".into(), ready_chip(p.ready)),
        ("NodeClass".into(), p.node_class.as_ref().map(node_class_link).unwrap_or_else(dash)),
        ("Nodes".into(), html! { p.node_count }),
    ];
    if let Some(r) = p.replicas {
        rows.push(("Replicas (static)".into(), html! { r }));
    }
    if p.launching > 0 {
        rows.push((
            "Launching".into(),
            html! { format!("{} NodeClaim(s) not initialized yet", p.launching) },
        ));
    }
    rows.push(("Drifted".into(), html! { p.drifted }));
    rows.push(("Weight".into(), p.weight.map(|w| html! { w }).unwrap_or_else(dash)));
    rows.push(("Consolidation".into(), html! { consolidation(p) }));
    rows.push(("Expire after".into(), p.expire_after.clone().map(|e| html! { e }).unwrap_or_else(dash)));
    if let Some(grace) = p.termination_grace_period.clone() {
        rows.push(("Termination grace period".into(), html! { grace }));
    }
    let cost = match p.cost_per_hour {
        Some(c) if p.unpriced_nodes > 0 => {
            html! { <>{ money_per_hour(c) }<span class="ai-dim">{ format!(" ({} node(s) without a price)", p.unpriced_nodes) }</span></> }
        }
        Some(c) => html! { money_per_hour(c) },
        None => html! { <span class="ai-dim">{ "no priced nodes" }</span> },
    };
    rows.push(("Cost".into(), cost));
    rows.push(("Age".into(), age(p.metadata.creation_timestamp, now())));
    html! { <NameValue {rows} /> }
}

static USAGE_COLUMNS: &[Column<ResourceUsage>] = &[
    Column { label: "Resource", cell: |r| html! { r.name.clone() }, sort: None, text: None },
    Column {
        label: "Provisioned / limit",
        cell: |r| html! { <UsageBar usage={r.clone()} /> },
        sort: None,
        text: None,
    },
];

fn budget_nodes(b: &Budget) -> String {
    b.nodes.clone().unwrap_or_else(|| "10%".to_owned())
}

fn reasons(b: &Budget) -> String {
    if b.reasons.is_empty() { "all".to_owned() } else { b.reasons.join(", ") }
}

static BUDGET_COLUMNS: &[Column<Budget>] = &[
    Column { label: "Nodes", cell: |b| html! { budget_nodes(b) }, sort: None, text: None },
    Column { label: "Reasons", cell: |b| html! { reasons(b) }, sort: None, text: None },
    Column {
        label: "Schedule",
        cell: |b| {
            b.schedule
                .clone()
                .map(|s| html! { <span class="ai-mono">{ s }</span> })
                .unwrap_or_else(|| html! { "always" })
        },
        sort: None,
        text: None,
    },
    Column {
        label: "Duration",
        cell: |b| b.duration.clone().map(|d| html! { d }).unwrap_or_else(dash),
        sort: None,
        text: None,
    },
];

fn budgets(p: &NodePoolView) -> Html {
    if p.budgets.is_empty() {
        return html! {
            <div class="ai-dim ai-empty-line">{ "No budgets set: Karpenter's default allows disrupting 10% of the nodes at a time." }</div>
        };
    }
    let rows: Rc<[Budget]> = p.budgets.clone().into();
    html! {
        <Table<Budget> {rows} columns={BUDGET_COLUMNS}
            row_key={(|b: &Budget| format!("{}{:?}{:?}", budget_nodes(b), b.schedule, b.reasons)) as fn(&Budget) -> String}
            label="Disruption budgets" />
    }
}

fn template(p: &NodePoolView) -> Html {
    html! {
        <>
            <h3 class="ai-subtitle">{ "Requirements" }</h3>
            <RequirementsTable requirements={Rc::<[_]>::from(p.requirements.clone())} />
            <h3 class="ai-subtitle">{ "Taints" }</h3>
            <TaintsTable taints={Rc::<[_]>::from(p.taints.clone())} label="Taints" />
            if !p.startup_taints.is_empty() {
                <h3 class="ai-subtitle">{ "Startup taints" }</h3>
                <TaintsTable taints={Rc::<[_]>::from(p.startup_taints.clone())} label="Startup taints" />
            }
            if !p.template_labels.is_empty() {
                <h3 class="ai-subtitle">{ "Node labels" }</h3>
                <span class="ai-tags">
                    { for p.template_labels.iter().map(|(k, v)| html! { <span class="ai-tag ai-tag-long">{ format!("{k}={v}") }</span> }) }
                </span>
            }
        </>
    }
}

/// Scale-outs held up by this NodePool (its limit, or its nodes not fitting), from the chains.
fn waiting_on(rows: Rc<[BlockedScaleOut]>) -> Html {
    if rows.is_empty() {
        return Html::default();
    }
    html! {
        <SectionBox title="Scale-outs waiting on this NodePool" main={false}>
            <Table<BlockedScaleOut> {rows} columns={SCALE_OUT_COLUMNS}
                row_key={(|b: &BlockedScaleOut| format!("{}/{}", b.scaler.namespace, b.scaler.name)) as fn(&BlockedScaleOut) -> String}
                label="Scale-outs waiting on this NodePool" />
        </SectionBox>
    }
}

fn key_of_claim(c: &NodeClaimView) -> String {
    c.metadata.name.clone()
}

fn key_of_node(n: &NodeView) -> String {
    n.metadata.name.clone()
}

/// The page of one NodePool.
#[function_component]
pub fn NodePoolDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let view =
        use_live(
            (data.clone(), props.name.clone()),
            |(data, name)| async move { data.node_pool(&name).await },
        );
    let claims = use_live(data.clone(), |data| async move { data.node_claims().await });
    let nodes = use_live(data.clone(), |data| async move { data.nodes().await });
    let chains = use_live(data.clone(), |data| async move { data.chains().await });
    let uid = match &view {
        Load::Ready(a) => a.value.metadata.uid.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let events = use_live((data, uid), |(data, uid)| async move { data.events_of(None, &uid).await });

    let title = format!("NodePool: {}", props.name);
    let back = Some(Route::NodePools);
    let answer = match view {
        Load::Loading => {
            return html! { <SectionBox {title} {back}><LoadingPanel what="the NodePool" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(a) => a,
    };
    let p = &answer.value;
    let usage: Rc<[ResourceUsage]> = p.resources.clone().into();
    let claim_names = &p.node_claims;
    let node_names = &p.nodes;
    let claims_section = match claims {
        Load::Loading => html! { <LoadingPanel what="NodeClaims" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(all) => {
            let rows: Rc<[NodeClaimView]> =
                all.value.iter().filter(|c| claim_names.contains(&c.metadata.name)).cloned().collect();
            if rows.is_empty() {
                html! { <div class="ai-dim ai-empty-line">{ "No NodeClaims: this NodePool has launched no node." }</div> }
            } else {
                html! { <Table<NodeClaimView> {rows} columns={CLAIM_COLUMNS} row_key={key_of_claim as fn(&NodeClaimView) -> String} label="NodeClaims of this NodePool" /> }
            }
        }
    };
    let nodes_section = match nodes {
        Load::Loading => html! { <LoadingPanel what="nodes" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(all) => {
            let rows: Rc<[NodeView]> =
                all.value.iter().filter(|n| node_names.contains(&n.metadata.name)).cloned().collect();
            if rows.is_empty() {
                html! { <div class="ai-dim ai-empty-line">{ "No nodes belong to this NodePool." }</div> }
            } else {
                html! { <Table<NodeView> {rows} columns={NODE_COLUMNS} row_key={key_of_node as fn(&NodeView) -> String} label="Nodes of this NodePool" /> }
            }
        }
    };
    let template_section = template(p);
    let events_section = match events {
        Load::Loading => html! { <LoadingPanel what="events" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(list) => {
            html! { <EventsTable events={Rc::<[_]>::from(list.as_slice())} about="this NodePool" /> }
        }
    };
    let waiting = match chains {
        Load::Ready(all) => {
            let name = p.metadata.name.as_str();
            let rows: Rc<[BlockedScaleOut]> = all
                .value
                .iter()
                .filter_map(|c| c.blocked.clone())
                .filter(|b| b.causes.iter().any(|c| c.node_pool.as_deref() == Some(name)))
                .collect();
            waiting_on(rows)
        }
        // The chains need more rights than the NodePool; without them this part is left out.
        _ => Html::default(),
    };
    let conditions: Rc<[_]> = p.conditions.clone().into();
    html! {
        <>
            <SectionBox {title} {back}>
                <GapNotes gaps={answer.gaps.clone()} />
                { settings(p) }
            </SectionBox>
            <SectionBox title="Usage vs limits" main={false}>
                if !p.at_limit.is_empty() {
                    <div class="ai-notice" role="note">
                        { format!("At its limit for {}: Karpenter launches no more nodes for this NodePool, so pods that only fit here stay Pending.", p.at_limit.join(", ")) }
                    </div>
                }
                <Table<ResourceUsage> rows={usage} columns={USAGE_COLUMNS}
                    row_key={(|r: &ResourceUsage| r.name.clone()) as fn(&ResourceUsage) -> String} label="Usage vs limits" />
            </SectionBox>
            { waiting }
            <SectionBox title="Disruption budgets" main={false}>{ budgets(p) }</SectionBox>
            <SectionBox title="Template" main={false}>{ template_section }</SectionBox>
            <SectionBox title="Conditions" main={false}><ConditionsTable {conditions} /></SectionBox>
            <SectionBox title="NodeClaims" main={false}>{ claims_section }</SectionBox>
            <SectionBox title="Nodes" main={false}>{ nodes_section }</SectionBox>
            <SectionBox title="Events" main={false}>{ events_section }</SectionBox>
        </>
    }
}
