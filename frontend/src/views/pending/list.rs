//! The Pending page: blocked scale-outs first (what KEDA wants vs what runs, and why), then
//! every pending pod grouped by ScaledObject / workload with its parsed reason.

use super::{cause_chip, cause_text, object_link};
use crate::components::{Column, ErrorPanel, GapNotes, Link, LoadingPanel, SearchBox, SectionBox, Table};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::{claim_link, pool_link};
use crate::views::time::{age, now};
use model::chain::Chain;
use model::pending::{BlockedScaleOut, PendingPod};
use model::time::human_duration;
use std::rc::Rc;
use yew::prelude::*;

fn dim(text: &str) -> Html {
    html! { <span class="ai-dim">{ text.to_owned() }</span> }
}

/// The causes of a blocked scale-out, most pods first: `3 × NodePool limit reached (capped)`.
pub fn causes(b: &BlockedScaleOut) -> Html {
    html! {
        <ul class="ai-plain-list">
            { for b.causes.iter().map(|c| html! {
                <li title={c.message.clone()}>
                    { format!("{} × ", c.pods) }{ cause_chip(c.cause) }
                    if let Some(np) = &c.node_pool { <span class="ai-dim">{ " NodePool " }</span>{ pool_link(np) } }
                </li>
            }) }
        </ul>
    }
}

fn scale_out_state(b: &BlockedScaleOut) -> Html {
    if b.blocked {
        html! { <crate::components::Chip label="Blocked" tone={crate::components::Tone::Error} /> }
    } else {
        html! { <crate::components::Chip label="Scaling out" tone={crate::components::Tone::Info} /> }
    }
}

/// Columns of blocked scale-outs (also on the NodePool page).
pub static SCALE_OUT_COLUMNS: &[Column<BlockedScaleOut>] = &[
    Column {
        label: "ScaledObject",
        cell: |b| {
            let route = Route::Chain { namespace: b.scaler.namespace.clone(), name: b.scaler.name.clone() };
            html! { <Link {route}>{ b.scaler.name.clone() }</Link> }
        },
        sort: Some(|a, b| a.scaler.name.cmp(&b.scaler.name)),
        text: Some(|b| b.scaler.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |b| html! { b.scaler.namespace.clone() },
        sort: Some(|a, b| a.scaler.namespace.cmp(&b.scaler.namespace)),
        text: Some(|b| b.scaler.namespace.clone()),
    },
    Column {
        label: "Workload",
        cell: |b| b.workload.as_ref().map(object_link).unwrap_or_else(|| dim("-")),
        sort: None,
        text: Some(|b| b.workload.as_ref().map(|w| w.name.clone()).unwrap_or_default()),
    },
    Column {
        label: "State",
        cell: scale_out_state,
        sort: Some(|a, b| b.blocked.cmp(&a.blocked)),
        text: None,
    },
    Column {
        label: "Wants",
        cell: |b| html! { b.wants },
        sort: Some(|a, b| a.wants.cmp(&b.wants)),
        text: None,
    },
    Column { label: "Ready", cell: |b| html! { b.has }, sort: Some(|a, b| a.has.cmp(&b.has)), text: None },
    Column {
        label: "Pending",
        cell: |b| html! { b.pending },
        sort: Some(|a, b| a.pending.cmp(&b.pending)),
        text: None,
    },
    Column {
        label: "Why",
        cell: causes,
        sort: None,
        text: Some(|b| b.causes.iter().map(|c| cause_text(c.cause)).collect::<Vec<_>>().join(" ")),
    },
    Column {
        label: "Since",
        cell: |b| age(b.since, now()),
        sort: Some(|a, b| a.since.cmp(&b.since)),
        text: None,
    },
];

/// The newest reason, with the scheduler's per-node summary when it has one.
pub fn reason(p: &PendingPod) -> Html {
    let Some(r) = p.reasons.iter().rev().find(|r| r.cause == p.cause).or(p.reasons.last()) else {
        return dim("No scheduling event yet");
    };
    html! {
        <div class="ai-reason">
            <div class="ai-wrap" title={format!("{} from {} ({}×)", r.reason, r.source, r.count)}>{ r.message.clone() }</div>
            if !r.node_reasons.is_empty() {
                <span class="ai-tags">
                    { for r.node_reasons.iter().map(|n| html! { <span class="ai-tag ai-tag-long">{ format!("{} × {}", n.nodes, n.reason) }</span> }) }
                </span>
            }
        </div>
    }
}

fn pod_link(p: &PendingPod) -> Html {
    match Route::headlamp("Pod", Some(p.metadata.ns()), &p.metadata.name) {
        Some(route) => html! { <Link {route}>{ p.metadata.name.clone() }</Link> },
        None => html! { p.metadata.name.clone() },
    }
}

static POD_COLUMNS: &[Column<PendingPod>] = &[
    Column {
        label: "Pod",
        cell: pod_link,
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|p| p.metadata.name.clone()),
    },
    Column {
        label: "Cause",
        cell: |p| cause_chip(p.cause),
        sort: Some(|a, b| a.cause.cmp(&b.cause)),
        text: Some(|p| cause_text(p.cause).to_owned()),
    },
    Column {
        label: "Reason",
        cell: reason,
        sort: None,
        text: Some(|p| p.reasons.last().map(|r| r.message.clone()).unwrap_or_default()),
    },
    Column {
        label: "NodeClaim",
        cell: |p| p.node_claim.as_deref().map(claim_link).unwrap_or_else(|| dim("-")),
        sort: Some(|a, b| a.node_claim.cmp(&b.node_claim)),
        text: Some(|p| p.node_claim.clone().unwrap_or_default()),
    },
    Column {
        label: "Pending for",
        cell: |p| p.pending_seconds.map(|s| html! { human_duration(s) }).unwrap_or_else(|| dim("-")),
        sort: Some(|a, b| a.pending_seconds.unwrap_or(0.0).total_cmp(&b.pending_seconds.unwrap_or(0.0))),
        text: None,
    },
];

/// Pods of one ScaledObject / workload / owner.
struct Group {
    key: String,
    scaler: Option<model::meta::ObjectRef>,
    workload: Option<model::meta::ObjectRef>,
    namespace: String,
    pods: Vec<PendingPod>,
}

/// Groups pods by scaler, then workload, then controller (in namespace order), keeping pod order.
fn groups(pods: &[PendingPod], filter: &str) -> Vec<Group> {
    let needle = filter.trim().to_lowercase();
    let mut out: Vec<Group> = Vec::new();
    for p in pods {
        if !needle.is_empty() {
            let haystack = format!(
                "{} {} {} {} {}",
                p.metadata.ns(),
                p.metadata.name,
                p.workload.as_ref().map(|w| w.name.as_str()).unwrap_or(""),
                p.scaler.as_ref().map(|s| s.name.as_str()).unwrap_or(""),
                cause_text(p.cause)
            )
            .to_lowercase();
            if !haystack.contains(&needle) {
                continue;
            }
        }
        let by = p.scaler.as_ref().or(p.workload.as_ref()).or(p.owner.as_ref());
        let key = match by {
            Some(r) => format!("{}/{}/{}", r.namespace, r.kind, r.name),
            None => format!("{}/Pod/{}", p.metadata.ns(), p.metadata.name),
        };
        match out.iter_mut().find(|g| g.key == key) {
            Some(g) => g.pods.push(p.clone()),
            None => out.push(Group {
                key,
                scaler: p.scaler.clone(),
                workload: p.workload.clone().or_else(|| p.owner.clone()),
                namespace: p.metadata.ns().to_owned(),
                pods: vec![p.clone()],
            }),
        }
    }
    out
}

fn group_view(g: &Group) -> Html {
    let rows: Rc<[PendingPod]> = g.pods.clone().into();
    html! {
        <div class="ai-group" key={g.key.clone()}>
            <div class="ai-group-title">
                if let Some(s) = &g.scaler {
                    { object_link(s) }<span class="ai-dim">{ " scales " }</span>
                }
                { g.workload.as_ref().map(object_link).unwrap_or_else(|| dim("no owner")) }
                <span class="ai-dim">{ format!(" · {} · {} pending", g.namespace, g.pods.len()) }</span>
            </div>
            <Table<PendingPod> {rows} columns={POD_COLUMNS}
                row_key={(|p: &PendingPod| format!("{}/{}", p.metadata.ns(), p.metadata.name)) as fn(&PendingPod) -> String}
                label={format!("Pending pods of {}", g.key)} />
        </div>
    }
}

/// The Pending page.
#[function_component]
pub fn PendingList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let pending = use_live(data.clone(), |data| async move { data.pending_pods().await });
    let chains = use_live(data, |data| async move { data.chains().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter pending pods" /> };

    let scale_outs = match chains {
        Load::Loading => html! { <LoadingPanel what="scale-outs" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) => {
            let rows: Rc<[BlockedScaleOut]> =
                answer.value.iter().filter_map(|c: &Chain| c.blocked.clone()).collect();
            if rows.is_empty() {
                html! {
                    <>
                        <GapNotes gaps={answer.gaps.clone()} />
                        <div class="ai-dim ai-empty-line">{ "No scale-out is waiting: every ScaledObject has the replicas it wants." }</div>
                    </>
                }
            } else {
                html! {
                    <>
                        <GapNotes gaps={answer.gaps.clone()} />
                        <Table<BlockedScaleOut> {rows} columns={SCALE_OUT_COLUMNS}
                            row_key={(|b: &BlockedScaleOut| format!("{}/{}", b.scaler.namespace, b.scaler.name)) as fn(&BlockedScaleOut) -> String}
                            filter={AttrValue::from((*filter).clone())} label="Scale-outs" />
                    </>
                }
            }
        }
    };
    let pods = match pending {
        Load::Loading => html! { <LoadingPanel what="pending pods" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) => {
            let gs = groups(&answer.value, &filter);
            let body = if answer.value.is_empty() {
                html! { <div class="ai-dim ai-empty-line">{ "No pod is pending." }</div> }
            } else if gs.is_empty() {
                html! { <div class="ai-dim ai-empty-line">{ "No pending pod matches the filter." }</div> }
            } else {
                html! { <>{ for gs.iter().map(group_view) }</> }
            };
            html! { <><GapNotes gaps={answer.gaps.clone()} />{ body }</> }
        }
    };
    html! {
        <>
            <SectionBox title="Pending pods" {actions}>
                <h2 class="ai-subtitle-main">{ "Scale-outs" }</h2>
                { scale_outs }
            </SectionBox>
            <SectionBox title="By ScaledObject and workload" main={false}>{ pods }</SectionBox>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::meta::{ObjectMeta, ObjectRef};

    fn pod(ns: &str, name: &str, scaler: Option<&str>) -> PendingPod {
        PendingPod {
            metadata: ObjectMeta { name: name.into(), namespace: Some(ns.into()), ..Default::default() },
            scaler: scaler.map(|s| ObjectRef {
                kind: "ScaledObject".into(),
                namespace: ns.into(),
                name: s.into(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn pods_group_by_scaler_and_namespace_not_name_alone() {
        let pods =
            [pod("a", "web-1", Some("web")), pod("b", "web-1", Some("web")), pod("a", "web-2", Some("web"))];
        let g = groups(&pods, "");
        assert_eq!(g.len(), 2, "same ScaledObject name in two namespaces is two groups");
        assert_eq!(g[0].pods.len(), 2);
        assert_eq!(groups(&pods, "web-2").len(), 1);
    }
}
