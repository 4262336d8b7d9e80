//! On a Node page: its NodeClaim (and lifecycle phase), NodePool, instance and capacity type,
//! price, disruption state (cordoned, deleting, drifted, consolidatable, do-not-disrupt) and
//! requests vs allocatable.

use super::{TITLE, do_not_disrupt};
use crate::actions::{ActionBar, Target};
use crate::components::quantity::money_per_hour;
use crate::components::usage::UsageBar;
use crate::components::{ErrorPanel, GapNotes, LoadingPanel, NameValue, SectionBox};
use crate::data::{Data, Load, use_live};
use crate::views::nodeclaims::list::disruption;
use crate::views::nodeclaims::{capacity_chip, claim_link, phase_chip, pool_link};
use crate::views::nodes::status;
use crate::views::time::{age, now};
use yew::prelude::*;

/// Props of [`NodeSection`].
#[derive(Properties, PartialEq)]
pub struct NodeProps {
    /// Node name.
    pub name: AttrValue,
}

fn dim(text: &str) -> Html {
    html! { <span class="ai-dim">{ text.to_owned() }</span> }
}

/// The section.
#[function_component]
pub fn NodeSection(props: &NodeProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let node =
        use_live((data.clone(), props.name.clone()), |(data, name)| async move { data.node(&name).await });
    let claim_name = match &node {
        Load::Ready(a) => a.value.node_claim.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let claim = use_live((data, claim_name), |(data, name)| async move {
        if name.is_empty() { Ok(None) } else { data.node_claim(&name).await.map(Some) }
    });
    let answer = match node {
        Load::Loading => {
            return html! { <SectionBox title={TITLE} main={false}><LoadingPanel what="the node" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox title={TITLE} main={false}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(a) => a,
    };
    let n = &answer.value;
    let (claim_row, claim_gap) = match (&n.node_claim, &claim) {
        (None, _) => (dim("not launched by Karpenter"), None),
        (Some(c), Load::Ready(found)) => match found.as_ref() {
            Some(a) => (
                html! { <>{ claim_link(c) }{ " " }{ phase_chip(a.value.phase) }{ " " }{ disruption(&a.value) }</> },
                None,
            ),
            None => (claim_link(c), None),
        },
        (Some(c), Load::Failed(e)) => (claim_link(c), Some(e.clone())),
        (Some(c), Load::Loading) => (claim_link(c), None),
    };
    let mut rows: Vec<(AttrValue, Html)> = vec![
        ("State".into(), status(n)),
        ("NodeClaim".into(), claim_row),
        ("NodePool".into(), n.node_pool.as_deref().map(pool_link).unwrap_or_else(|| dim("-"))),
        ("Instance type".into(), n.instance_type.clone().map(|t| html! { t }).unwrap_or_else(|| dim("-"))),
        ("Capacity type".into(), capacity_chip(n.capacity_type.as_deref())),
        ("Zone".into(), n.zone.clone().map(|z| html! { z }).unwrap_or_else(|| dim("-"))),
        (
            "Price".into(),
            n.price.map(|p| html! { money_per_hour(p.per_hour) }).unwrap_or_else(|| dim("no price known")),
        ),
        (
            "Pods".into(),
            html! { format!("{}{}", n.pods, n.pods_max.map(|m| format!(" / {m}")).unwrap_or_default()) },
        ),
    ];
    for r in &n.resources {
        rows.push((
            format!("{} requested", r.name).into(),
            html! { <UsageBar usage={r.clone()} unbounded="no allocatable" /> },
        ));
    }
    rows.push(("Age".into(), age(n.metadata.creation_timestamp, now())));
    let target = Target::new("", "v1", "nodes", "Node", None, &n.metadata.name);
    let actions = html! { <ActionBar actions={vec![do_not_disrupt(target, n.do_not_disrupt)]} /> };
    html! {
        <SectionBox title={TITLE} main={false} {actions}>
            <GapNotes gaps={answer.gaps.clone()} />
            <NameValue {rows} />
            if let Some(error) = claim_gap {
                <ErrorPanel {error} />
            }
        </SectionBox>
    }
}
