//! On a Pod page: why it is pending (scheduler and Karpenter reasons, the NodeClaim launched for
//! it, the ScaledObject behind it) or, once running, which node, NodeClaim and NodePool run it.

use super::{TITLE, do_not_disrupt, line};
use crate::actions::{ActionBar, Target};
use crate::components::quantity::money_per_hour;
use crate::components::{ErrorPanel, GapNotes, LoadingPanel, NameValue, SectionBox};
use crate::data::{Data, DataError, Load, use_live};
use crate::views::nodeclaims::{capacity_chip, claim_link, node_link, pool_link};
use crate::views::pending::list::reason;
use crate::views::pending::{cause_chip, object_link};
use model::time::human_duration;
use yew::prelude::*;

/// Props of [`PodSection`].
#[derive(Properties, PartialEq)]
pub struct PodProps {
    /// Namespace.
    pub namespace: AttrValue,
    /// Name.
    pub name: AttrValue,
    /// `spec.nodeName` (empty: not scheduled).
    pub node: AttrValue,
    /// The pod has `karpenter.sh/do-not-disrupt: "true"` (read by the host from the page's object).
    pub protected: bool,
}

fn dim(text: &str) -> Html {
    html! { <span class="ai-dim">{ text.to_owned() }</span> }
}

/// The section.
#[function_component]
pub fn PodSection(props: &PodProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let target = Target::new("", "v1", "pods", "Pod", Some(&props.namespace), &props.name);
    let actions = html! { <ActionBar actions={vec![do_not_disrupt(target, props.protected)]} /> };
    let pending = use_live(
        (data.clone(), props.namespace.clone(), props.name.clone()),
        |(data, ns, name)| async move {
            match data.pending_pod(&ns, &name).await {
                Ok(p) => Ok(Some(p)),
                // Not pending: the pod runs (or is gone); the node part says where.
                Err(DataError::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        },
    );
    let node = use_live((data, props.node.clone()), |(data, node)| async move {
        if node.is_empty() { Ok(None) } else { data.node(&node).await.map(Some) }
    });
    match pending {
        Load::Loading => {
            html! { <SectionBox title={TITLE} main={false}><LoadingPanel what="scheduling" /></SectionBox> }
        }
        Load::Failed(error) => {
            html! { <SectionBox title={TITLE} main={false}><ErrorPanel {error} /></SectionBox> }
        }
        Load::Ready(p) => match p.as_ref() {
            Some(answer) => {
                let p = &answer.value;
                let rows: Vec<(AttrValue, Html)> = vec![
                    ("Pending".into(), cause_chip(p.cause)),
                    ("Why".into(), reason(p)),
                    (
                        "NodeClaim".into(),
                        p.node_claim
                            .as_deref()
                            .map(claim_link)
                            .unwrap_or_else(|| dim("none launched for it")),
                    ),
                    (
                        "Nominated node".into(),
                        p.nominated_node.as_deref().map(node_link).unwrap_or_else(|| dim("-")),
                    ),
                    ("Workload".into(), p.workload.as_ref().map(object_link).unwrap_or_else(|| dim("-"))),
                    (
                        "Scaled by".into(),
                        p.scaler.as_ref().map(object_link).unwrap_or_else(|| dim("no ScaledObject")),
                    ),
                    (
                        "Pending for".into(),
                        p.pending_seconds.map(|s| html! { human_duration(s) }).unwrap_or_else(|| dim("-")),
                    ),
                ];
                html! {
                    <SectionBox title={TITLE} main={false} actions={actions.clone()}>
                        <GapNotes gaps={answer.gaps.clone()} />
                        <NameValue {rows} />
                    </SectionBox>
                }
            }
            None => match node {
                Load::Loading => {
                    html! { <SectionBox title={TITLE} main={false}><LoadingPanel what="the node" /></SectionBox> }
                }
                Load::Failed(error) => {
                    html! { <SectionBox title={TITLE} main={false}><ErrorPanel {error} /></SectionBox> }
                }
                Load::Ready(n) => match n.as_ref() {
                    None => line("Not pending, and not scheduled on a node."),
                    Some(answer) => {
                        let n = &answer.value;
                        let rows: Vec<(AttrValue, Html)> = vec![
                            ("Node".into(), node_link(&n.metadata.name)),
                            (
                                "NodeClaim".into(),
                                n.node_claim
                                    .as_deref()
                                    .map(claim_link)
                                    .unwrap_or_else(|| dim("not launched by Karpenter")),
                            ),
                            (
                                "NodePool".into(),
                                n.node_pool.as_deref().map(pool_link).unwrap_or_else(|| dim("-")),
                            ),
                            (
                                "Instance type".into(),
                                n.instance_type.clone().map(|t| html! { t }).unwrap_or_else(|| dim("-")),
                            ),
                            ("Capacity type".into(), capacity_chip(n.capacity_type.as_deref())),
                            (
                                "Node price".into(),
                                n.price
                                    .map(|p| html! { money_per_hour(p.per_hour) })
                                    .unwrap_or_else(|| dim("-")),
                            ),
                        ];
                        html! {
                            <SectionBox title={TITLE} main={false} {actions}>
                                <GapNotes gaps={answer.gaps.clone()} />
                                <NameValue {rows} />
                            </SectionBox>
                        }
                    }
                },
            },
        },
    }
}
