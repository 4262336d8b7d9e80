//! One chain, left to right: ScaledObject → workload → pods → NodeClaims → nodes → NodePools →
//! NodeClasses, each stage with its state, and the blocked scale-out (if any) said first.

use super::state_chip;
use crate::components::quantity::money_per_hour;
use crate::components::{Chip, ErrorPanel, GapNotes, Link, LoadingPanel, SectionBox, Tone};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::{claim_link, node_link, phase_chip, pool_link};
use crate::views::nodepools::{node_class_link, ready_chip};
use crate::views::pending::list::causes;
use crate::views::pending::{cause_chip, object_link};
use model::chain::{Chain, ChainPod};
use yew::prelude::*;

/// Props of [`ChainDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace of the ScaledObject.
    pub namespace: AttrValue,
    /// Name of the ScaledObject.
    pub name: AttrValue,
}

fn stage(title: &str, count: Option<usize>, body: Html) -> Html {
    html! {
        <li class="ai-stage">
            <div class="ai-stage-title">
                { title.to_owned() }
                if let Some(n) = count { <span class="ai-dim">{ format!(" ({n})") }</span> }
            </div>
            <div class="ai-stage-body">{ body }</div>
        </li>
    }
}

fn none(text: &str) -> Html {
    html! { <div class="ai-dim">{ text.to_owned() }</div> }
}

fn pod_line(p: &ChainPod, namespace: &str) -> Html {
    let link = match Route::headlamp("Pod", Some(namespace), &p.name) {
        Some(route) => html! { <Link {route}>{ p.name.clone() }</Link> },
        None => html! { p.name.clone() },
    };
    let state = match (p.pending_cause, p.ready) {
        (Some(cause), _) => cause_chip(cause),
        (None, true) => html! { <Chip label="Ready" tone={Tone::Success} /> },
        (None, false) => html! { <Chip label={p.phase.clone()} tone={Tone::Neutral} /> },
    };
    html! {
        <li title={p.pending_message.clone().unwrap_or_default()}>
            <div class="ai-item-name">{ link }</div>
            <div class="ai-item-meta">{ state }</div>
        </li>
    }
}

/// Why parts of the chain are not shown (no rights on nodes, NodeClaims, NodePools).
fn redacted(c: &Chain) -> Html {
    if c.redacted.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ai-notice" role="note">
            { format!("Not shown because you may not list them: {}.", c.redacted.join(", ")) }
        </div>
    }
}

/// The chain, stage by stage (also used by the section on Headlamp's workload pages).
#[derive(Properties, PartialEq)]
pub struct ChainViewProps {
    /// The chain.
    pub chain: Chain,
}

/// Stages of one chain.
#[function_component]
pub fn ChainView(props: &ChainViewProps) -> Html {
    let c = &props.chain;
    let ns = c.metadata.ns();
    let pods_ready = c.pods.iter().filter(|p| p.ready).count();
    let pending: Vec<&ChainPod> = c.pods.iter().filter(|p| p.pending_cause.is_some()).collect();
    let desired = c.desired_replicas.map(|d| d.to_string()).unwrap_or_else(|| "?".to_owned());
    let banner = match &c.blocked {
        Some(b) => html! {
            <div class={classes!("ai-banner", if b.blocked { "ai-banner-error" } else { "ai-banner-info" })} role="status">
                <div class="ai-banner-title">
                    { if b.blocked { "Scale-out blocked" } else { "Scaling out" } }
                    { format!(": wants {}, {} ready, {} pending", b.wants, b.has, b.pending) }
                </div>
                { causes(b) }
            </div>
        },
        None => Html::default(),
    };
    let scaler = html! {
        <ul class="ai-items">
            <li>
                <div class="ai-item-name">{ object_link(&c.scaler) }</div>
                <div class="ai-item-meta">{ state_chip(c.state) }</div>
            </li>
        </ul>
    };
    let workload = html! {
        <ul class="ai-items">
            <li>
                <div class="ai-item-name">{ object_link(&c.workload) }</div>
                <div class="ai-item-meta">
                    if c.workload_found {
                        { format!("{} ready of {desired} desired", c.ready_replicas) }
                    } else {
                        <Chip label="not found" tone={Tone::Error} />
                    }
                </div>
            </li>
        </ul>
    };
    let pods = if c.pods.is_empty() {
        none("No pods (scaled to zero?)")
    } else {
        html! {
            <>
                <div class="ai-item-meta">{ format!("{pods_ready} ready · {} pending", pending.len()) }</div>
                <ul class="ai-items ai-items-scroll">{ for c.pods.iter().map(|p| pod_line(p, ns)) }</ul>
            </>
        }
    };
    let claims = if c.node_claims.is_empty() {
        none("None")
    } else {
        html! {
            <ul class="ai-items">
                { for c.node_claims.iter().map(|nc| html! {
                    <li>
                        <div class="ai-item-name">{ claim_link(&nc.name) }</div>
                        <div class="ai-item-meta">
                            { phase_chip(nc.phase) }
                            if let Some(t) = &nc.instance_type { <span class="ai-dim">{ format!(" {t}") }</span> }
                        </div>
                    </li>
                }) }
            </ul>
        }
    };
    let nodes = if c.nodes.is_empty() {
        none("None")
    } else {
        html! {
            <ul class="ai-items">
                { for c.nodes.iter().map(|n| html! {
                    <li>
                        <div class="ai-item-name">{ node_link(&n.name) }</div>
                        <div class="ai-item-meta">
                            { ready_chip(n.ready) }
                            <span class="ai-dim">
                                { format!(" {} pod(s)", n.pods) }
                                { n.instance_type.as_ref().map(|t| format!(" · {t}")).unwrap_or_default() }
                                { n.capacity_type.as_ref().map(|t| format!(" · {t}")).unwrap_or_default() }
                                { n.price_per_hour.map(|p| format!(" · {}", money_per_hour(p))).unwrap_or_default() }
                            </span>
                        </div>
                    </li>
                }) }
            </ul>
        }
    };
    let pools = if c.node_pools.is_empty() {
        none("None")
    } else {
        html! {
            <ul class="ai-items">
                { for c.node_pools.iter().map(|p| html! {
                    <li>
                        <div class="ai-item-name">{ pool_link(&p.name) }</div>
                        <div class="ai-item-meta">
                            if p.found { { ready_chip(p.ready) } } else { <Chip label="not found" tone={Tone::Error} /> }
                            if !p.at_limit.is_empty() {
                                { " " }<Chip label={format!("at limit: {}", p.at_limit.join(", "))} tone={Tone::Error} />
                            }
                        </div>
                    </li>
                }) }
            </ul>
        }
    };
    let classes: Vec<_> = c.node_pools.iter().filter_map(|p| p.node_class.clone()).collect();
    let node_classes = if classes.is_empty() {
        none("None")
    } else {
        html! {
            <ul class="ai-items">
                { for classes.iter().map(|k| html! {
                    <li>
                        <div class="ai-item-name">{ node_class_link(k) }</div>
                        <div class="ai-item-meta">{ ready_chip(k.ready) }<span class="ai-dim">{ format!(" {}", k.kind) }</span></div>
                    </li>
                }) }
            </ul>
        }
    };
    html! {
        <div class="ai-chain">
            { banner }
            { redacted(c) }
            <ol class="ai-stages" aria-label="Scaling chain">
                { stage("ScaledObject", None, scaler) }
                { stage("Workload", None, workload) }
                { stage("Pods", Some(c.pods.len()), pods) }
                { stage("NodeClaims", Some(c.node_claims.len()), claims) }
                { stage("Nodes", Some(c.nodes.len()), nodes) }
                { stage("NodePools", Some(c.node_pools.len()), pools) }
                { stage("NodeClasses", Some(classes.len()), node_classes) }
            </ol>
        </div>
    }
}

/// The page of one chain.
#[function_component]
pub fn ChainDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live((data, props.namespace.clone(), props.name.clone()), |(data, ns, name)| async move {
        data.chain(&ns, &name).await
    });
    let title = format!("Scaling chain: {}", props.name);
    let back = Some(Route::Chains);
    match load {
        Load::Loading => html! { <SectionBox {title} {back}><LoadingPanel what="the chain" /></SectionBox> },
        Load::Failed(error) => html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> },
        Load::Ready(answer) => html! {
            <SectionBox {title} {back}>
                <GapNotes gaps={answer.gaps.clone()} />
                <ChainView chain={answer.value.clone()} />
            </SectionBox>
        },
    }
}
