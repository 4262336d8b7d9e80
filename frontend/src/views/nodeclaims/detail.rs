//! One NodeClaim: Created → Launched → Registered → Initialized with times and how long each
//! took, its node, NodePool and NodeClass, disruption state, requests vs allocatable,
//! requirements, all conditions, and the events about this claim (by uid) — never all of
//! Karpenter's events.

use super::list::disruption;
use super::{capacity_chip, node_link, phase_chip, pool_link};
use crate::components::conditions::ConditionsTable;
use crate::components::events::EventsTable;
use crate::components::quantity::{money_per_hour, used_of};
use crate::components::requirements::{RequirementsTable, TaintsTable};
use crate::components::steps::{Step, Steps, mark_slowest};
use crate::components::{Column, ErrorPanel, GapNotes, Link, LoadingPanel, NameValue, SectionBox, Table};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::time::{age, now};
use model::nodeclaim::NodeClaimView;
use model::quantity::Quantity;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`NodeClaimDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// The NodeClaim's name.
    pub name: AttrValue,
}

fn dash() -> Html {
    html! { <span class="ai-dim">{ "-" }</span> }
}

fn text(v: &Option<String>) -> Html {
    v.clone().map(|v| html! { v }).unwrap_or_else(dash)
}

/// `group/kind/name` → a link to the NodeClass page.
fn node_class(reference: &str) -> Html {
    let mut parts = reference.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(group), Some(kind), Some(name)) if !name.is_empty() => {
            let route =
                Route::NodeClass { group: group.to_owned(), kind: kind.to_owned(), name: name.to_owned() };
            html! { <span title={format!("{kind} ({group})")}><Link {route}>{ name.to_owned() }</Link></span> }
        }
        _ => html! { reference.to_owned() },
    }
}

fn label(name: &str) -> &str {
    match name {
        "Created" => "Created",
        "Launched" => "Launched (instance running)",
        "Registered" => "Registered (node joined)",
        "Initialized" => "Initialized (node ready)",
        other => other,
    }
}

fn lifecycle(c: &NodeClaimView) -> Rc<[Step]> {
    let mut steps: Vec<Step> = c
        .steps
        .iter()
        .map(|s| Step {
            label: label(&s.name).to_owned(),
            at: s.at,
            after_seconds: s.after_seconds,
            detail: s.message.clone(),
            slowest: false,
            failed: false,
        })
        .collect();
    mark_slowest(&mut steps);
    steps.into()
}

fn settings(c: &NodeClaimView, image: Option<String>) -> Html {
    let node = match &c.node_name {
        Some(n) if c.node_found => node_link(n),
        Some(n) => html! { <>{ n.clone() }<span class="ai-dim">{ " (not a node of the cluster)" }</span></> },
        None => html! { <span class="ai-dim">{ "not registered yet" }</span> },
    };
    let rows: Vec<(AttrValue, Html)> = vec![
        ("Status".into(), phase_chip(c.phase)),
        ("Node".into(), node),
        ("NodePool".into(), c.node_pool.as_deref().map(pool_link).unwrap_or_else(dash)),
        ("NodeClass".into(), c.node_class.as_deref().map(node_class).unwrap_or_else(dash)),
        ("Instance type".into(), text(&c.instance_type)),
        ("Capacity type".into(), capacity_chip(c.capacity_type.as_deref())),
        ("Zone".into(), text(&c.zone)),
        ("Disruption".into(), disruption(c)),
        ("Price".into(), c.price.map(|p| html! { money_per_hour(p.per_hour) }).unwrap_or_else(dash)),
        (
            "Provider ID".into(),
            c.provider_id.clone().map(|p| html! { <span class="ai-mono">{ p }</span> }).unwrap_or_else(dash),
        ),
        ("Image".into(), image.map(|i| html! { <span class="ai-mono">{ i }</span> }).unwrap_or_else(dash)),
        ("Age".into(), age(c.metadata.creation_timestamp, now())),
    ];
    html! { <NameValue {rows} /> }
}

/// One resource: requested by the pods Karpenter launched it for, and allocatable on the node.
#[derive(Clone, PartialEq)]
struct Capacity {
    resource: String,
    requested: Option<Quantity>,
    allocatable: Option<Quantity>,
}

fn quantity(resource: &str, q: &Option<Quantity>) -> Html {
    match q {
        Some(q) => html! { used_of(resource, q, None) },
        None => dash(),
    }
}

static CAPACITY_COLUMNS: &[Column<Capacity>] = &[
    Column { label: "Resource", cell: |r| html! { r.resource.clone() }, sort: None, text: None },
    Column { label: "Requested", cell: |r| quantity(&r.resource, &r.requested), sort: None, text: None },
    Column { label: "Allocatable", cell: |r| quantity(&r.resource, &r.allocatable), sort: None, text: None },
];

fn capacity(c: &NodeClaimView) -> Rc<[Capacity]> {
    let mut names: Vec<&String> = c.requests.keys().chain(c.allocatable.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|n| Capacity {
            resource: n.clone(),
            requested: c.requests.get(n).copied(),
            allocatable: c.allocatable.get(n).copied(),
        })
        .collect()
}

/// The page of one NodeClaim.
#[function_component]
pub fn NodeClaimDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let view =
        use_live(
            (data.clone(), props.name.clone()),
            |(data, name)| async move { data.node_claim(&name).await },
        );
    let spec = use_live((data.clone(), props.name.clone()), |(data, name)| async move {
        data.node_claim_object(&name).await
    });
    let uid = match &view {
        Load::Ready(a) => a.value.metadata.uid.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let events = use_live((data, uid), |(data, uid)| async move { data.events_of(None, &uid).await });

    let title = format!("NodeClaim: {}", props.name);
    let back = Some(Route::NodeClaims);
    let answer = match view {
        Load::Loading => {
            return html! { <SectionBox {title} {back}><LoadingPanel what="the NodeClaim" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(a) => a,
    };
    let c = &answer.value;
    let image = match &spec {
        Load::Ready(s) => s.status.image_id.clone(),
        _ => None,
    };
    let scheduling = match &spec {
        Load::Loading => html! { <LoadingPanel what="the NodeClaim's requirements" /> },
        Load::Failed(error) => html! { <ErrorPanel error={error.clone()} /> },
        Load::Ready(s) => html! {
            <>
                <h3 class="ai-subtitle">{ "Requirements" }</h3>
                <RequirementsTable requirements={Rc::<[_]>::from(s.spec.requirements.clone())} />
                <h3 class="ai-subtitle">{ "Taints" }</h3>
                <TaintsTable taints={Rc::<[_]>::from(s.spec.taints.clone())} label="Taints" />
                if !s.spec.startup_taints.is_empty() {
                    <h3 class="ai-subtitle">{ "Startup taints" }</h3>
                    <TaintsTable taints={Rc::<[_]>::from(s.spec.startup_taints.clone())} label="Startup taints" />
                }
            </>
        },
    };
    let events_section = match events {
        Load::Loading => html! { <LoadingPanel what="events" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(list) => {
            html! { <EventsTable events={Rc::<[_]>::from(list.as_slice())} about="this NodeClaim" /> }
        }
    };
    let conditions: Rc<[_]> = c.conditions.clone().into();
    html! {
        <>
            <SectionBox {title} {back}>
                <GapNotes gaps={answer.gaps.clone()} />
                { settings(c, image) }
            </SectionBox>
            <SectionBox title="Lifecycle" main={false}>
                <Steps steps={lifecycle(c)} start={c.metadata.creation_timestamp} label="NodeClaim lifecycle" />
            </SectionBox>
            <SectionBox title="Capacity" main={false}>
                <Table<Capacity> rows={capacity(c)} columns={CAPACITY_COLUMNS}
                    row_key={(|r: &Capacity| r.resource.clone()) as fn(&Capacity) -> String} label="Requested and allocatable" />
            </SectionBox>
            <SectionBox title="Scheduling" main={false}>{ scheduling }</SectionBox>
            <SectionBox title="Conditions" main={false}><ConditionsTable {conditions} /></SectionBox>
            <SectionBox title="Events" main={false}>{ events_section }</SectionBox>
        </>
    }
}
