//! The landing page: how the cluster scales right now. Scalers by state (active, idle at zero,
//! erroring, paused, in fallback), NodePools against their limits, pending pods by cause, blocked
//! scale-outs, nodes and cost, and recent scaling from the journal. Every number links to the
//! list it counts, pre-filtered. Computed by `model::overview` (server or browser); this view
//! only renders.

use super::pending::{cause_chip, object_link};
use super::time::age;
use crate::components::quantity::money_per_hour;
use crate::components::usage::UsageBar;
use crate::components::{Chip, EmptyPanel, ErrorPanel, GapNotes, Link, LoadingPanel, SectionBox, Tone};
use crate::data::{Data, Gap, Load, use_live};
use crate::route::{Navigator, Route};
use model::Time;
use model::journal::{EntryKind, JournalEntry};
use model::overview::{Overview as OverviewView, PoolSummary};
use model::pending::BlockedScaleOut;
use yew::prelude::*;

/// How many recent scaling entries the page lists.
const RECENT_SHOWN: usize = 15;

/// Props of [`CountLink`].
#[derive(Properties, PartialEq)]
struct CountLinkProps {
    route: Route,
    #[prop_or_default]
    query: Vec<(&'static str, &'static str)>,
    children: Html,
}

/// A link to a list, pre-filtered by a query (`?state=erroring`), through Headlamp's router.
#[function_component]
fn CountLink(props: &CountLinkProps) -> Html {
    let nav = use_context::<Navigator>();
    let href = nav.as_ref().map(|n| n.href_with(&props.route, &props.query)).unwrap_or_default();
    let onclick = {
        let (route, query) = (props.route.clone(), props.query.clone());
        Callback::from(move |e: MouseEvent| {
            if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
                return;
            }
            if let Some(nav) = &nav {
                e.prevent_default();
                nav.go_with(&route, &query);
            }
        })
    };
    html! { <a class="ai-link" {href} {onclick}>{ props.children.clone() }</a> }
}

/// One counted state of the scalers tile: label, count, query value, tone when non-zero.
fn scaler_rows(o: &OverviewView) -> Vec<(&'static str, i64, &'static str, Tone)> {
    let s = &o.scalers;
    vec![
        ("Active", s.active, "active", Tone::Success),
        ("Idle at zero", s.at_zero, "at-zero", Tone::Neutral),
        ("Idle above zero", s.idle, "idle", Tone::Neutral),
        ("Erroring", s.erroring, "erroring", Tone::Error),
        ("Paused", s.paused, "paused", Tone::Warning),
        ("In fallback", s.fallback, "fallback", Tone::Warning),
    ]
}

fn tile(title: &'static str, test_id: &'static str, body: Html) -> Html {
    html! {
        <section class="ai-tile" data-testid={test_id} aria-label={title}>
            <h2 class="ai-tile-title">{ title }</h2>
            { body }
        </section>
    }
}

fn scalers_tile(o: &OverviewView) -> Html {
    let total = o.scalers.total;
    let rows = scaler_rows(o).into_iter().map(|(label, n, state, tone)| {
        let tone = if n > 0 { tone } else { Tone::Neutral };
        html! {
            <li class="ai-tile-row" data-state={state}>
                <span class={classes!("ai-tile-dot", tone.class())} aria-hidden="true"></span>
                <span class="ai-tile-label">{ label }</span>
                <span class="ai-tile-count">
                    <CountLink route={Route::ScaledObjects} query={vec![("state", state)]}>{ n }</CountLink>
                </span>
            </li>
        }
    });
    tile(
        "Scalers",
        "ai-overview-scalers",
        html! {
            <>
                <div class="ai-tile-big">
                    <CountLink route={Route::ScaledObjects}>{ total }</CountLink>
                    <span class="ai-tile-unit">{ "ScaledObjects and ScaledJobs" }</span>
                </div>
                <ul class="ai-tile-rows">{ for rows }</ul>
            </>
        },
    )
}

fn pending_tile(o: &OverviewView) -> Html {
    let blocked = o.scale_outs.iter().filter(|b| b.blocked).count();
    let causes = o.pending_by_cause.iter().map(|c| {
        html! {
            <li class="ai-tile-row">
                { cause_chip(c.cause) }
                <span class="ai-tile-count">{ c.pods }</span>
            </li>
        }
    });
    tile(
        "Pending pods",
        "ai-overview-pending",
        html! {
            <>
                <div class="ai-tile-big">
                    <Link route={Route::Pending}>{ o.pending_pods }</Link>
                    <span class="ai-tile-unit">{ "pods not running yet" }</span>
                </div>
                <ul class="ai-tile-rows">
                    <li class="ai-tile-row">
                        <span class={classes!("ai-tile-dot", if blocked > 0 { Tone::Error.class() } else { Tone::Neutral.class() })}
                            aria-hidden="true"></span>
                        <span class="ai-tile-label">{ "Blocked scale-outs" }</span>
                        <span class="ai-tile-count"><Link route={Route::Pending}>{ blocked }</Link></span>
                    </li>
                    { for causes }
                </ul>
            </>
        },
    )
}

fn capacity_tile(o: &OverviewView) -> Html {
    let money = |v: Option<f64>| v.map(money_per_hour).unwrap_or_else(|| "-".to_owned());
    tile(
        "Capacity",
        "ai-overview-capacity",
        html! {
            <>
                <div class="ai-tile-big">
                    <Link route={Route::Nodes}>{ o.nodes }</Link>
                    <span class="ai-tile-unit">{ "nodes" }</span>
                </div>
                <ul class="ai-tile-rows">
                    <li class="ai-tile-row">
                        <span class={classes!("ai-tile-dot", if o.nodes_not_ready > 0 { Tone::Error.class() } else { Tone::Neutral.class() })}
                            aria-hidden="true"></span>
                        <span class="ai-tile-label">{ "Not ready" }</span>
                        <span class="ai-tile-count">{ o.nodes_not_ready }</span>
                    </li>
                    <li class="ai-tile-row">
                        <span class={classes!("ai-tile-dot", if o.node_claims_launching > 0 { Tone::Info.class() } else { Tone::Neutral.class() })}
                            aria-hidden="true"></span>
                        <span class="ai-tile-label">{ "NodeClaims launching" }</span>
                        <span class="ai-tile-count"><Link route={Route::NodeClaims}>{ o.node_claims_launching }</Link></span>
                    </li>
                    <li class="ai-tile-row">
                        <span class="ai-tile-dot ai-tone-neutral" aria-hidden="true"></span>
                        <span class="ai-tile-label">{ "Cost of priced nodes" }</span>
                        <span class="ai-tile-count">{ money(o.cost_per_hour) }</span>
                    </li>
                    <li class="ai-tile-row">
                        <span class="ai-tile-dot ai-tone-neutral" aria-hidden="true"></span>
                        <span class="ai-tile-label">{ "Saved by scalers at zero" }</span>
                        <span class="ai-tile-count">{ money(o.saved_per_hour) }</span>
                    </li>
                </ul>
            </>
        },
    )
}

fn ready_chip(ready: Option<bool>) -> Html {
    match ready {
        Some(true) => html! { <Chip label="Ready" tone={Tone::Success} /> },
        Some(false) => html! { <Chip label="Not ready" tone={Tone::Error} /> },
        None => html! { <Chip label="Unknown" tone={Tone::Neutral} /> },
    }
}

fn pool_row(p: &PoolSummary) -> Html {
    let bars = p.resources.iter().map(|r| {
        html! {
            <div class="ai-overview-usage">
                <span class="ai-overview-resource">{ r.name.clone() }</span>
                <UsageBar usage={r.clone()} />
            </div>
        }
    });
    html! {
        <tr key={p.name.clone()}>
            <td><Link route={Route::NodePool { name: p.name.clone() }}>{ p.name.clone() }</Link></td>
            <td>{ ready_chip(p.ready) }</td>
            <td>{ p.node_count }</td>
            <td>{ for bars }</td>
            <td>
                if p.at_limit.is_empty() {
                    <span class="ai-dim">{ "-" }</span>
                } else {
                    <Chip label={format!("At limit: {}", p.at_limit.join(", "))} tone={Tone::Error} />
                }
            </td>
            <td>{ p.cost_per_hour.map(money_per_hour).unwrap_or_else(|| "-".to_owned()) }</td>
        </tr>
    }
}

/// Why a section is empty: Karpenter/KEDA missing or refused (from the gaps), or simply none.
fn empty_because(gaps: &[Gap], part: &str) -> Option<String> {
    gaps.iter().find_map(|g| match g {
        Gap::Missing { what, error } if what.contains(part) => {
            Some(format!("{} — {}", error.title(), error.explanation()))
        }
        _ => None,
    })
}

fn node_pools(o: &OverviewView, gaps: &[Gap]) -> Html {
    let body = if o.node_pools.is_empty() {
        match empty_because(gaps, "NodePools").or_else(|| empty_because(gaps, "Karpenter")) {
            Some(why) => html! { <EmptyPanel title="NodePools unavailable">{ why }</EmptyPanel> },
            None => html! {
                <EmptyPanel title="No NodePools">
                    { "Karpenter has no NodePools here. Nodes are not provisioned automatically until one is created (karpenter.sh/v1 NodePool)." }
                </EmptyPanel>
            },
        }
    } else {
        html! {
            <div class="ai-table-wrap">
                <table class="ai-table" aria-label="NodePools">
                    <thead><tr>
                        <th>{ "Name" }</th><th>{ "Ready" }</th><th>{ "Nodes" }</th>
                        <th>{ "Provisioned / limit" }</th><th>{ "Limits" }</th><th>{ "Cost" }</th>
                    </tr></thead>
                    <tbody>{ for o.node_pools.iter().map(pool_row) }</tbody>
                </table>
            </div>
        }
    };
    html! { <SectionBox title="NodePools" main={false}>{ body }</SectionBox> }
}

fn scale_out_row(b: &BlockedScaleOut, now: Time) -> Html {
    let why = b.causes.iter().map(|c| {
        let pool = c.node_pool.as_ref().map(|p| format!(" ({p})")).unwrap_or_default();
        html! {
            <div class="ai-overview-cause" title={c.message.clone()}>
                { cause_chip(c.cause) }
                <span>{ format!(" {} pod{}{pool}", c.pods, if c.pods == 1 { "" } else { "s" }) }</span>
            </div>
        }
    });
    html! {
        <tr key={format!("{}/{}/{}", b.scaler.kind, b.scaler.namespace, b.scaler.name)}>
            <td>{ object_link(&b.scaler) }</td>
            <td>{ b.scaler.namespace.clone() }</td>
            <td>{ format!("{} / {}", b.has, b.wants) }</td>
            <td>{ b.pending }</td>
            <td>
                if b.blocked {
                    <Chip label="Blocked" tone={Tone::Error} />
                } else {
                    <Chip label="In progress" tone={Tone::Info} />
                }
            </td>
            <td>{ for why }</td>
            <td>{ age(b.since, now) }</td>
        </tr>
    }
}

fn scale_outs(o: &OverviewView, now: Time) -> Html {
    let body = if o.scale_outs.is_empty() {
        html! {
            <EmptyPanel title="No scale-out waiting">
                { "Every scaler that wants more replicas has them running, or is waiting for nothing." }
            </EmptyPanel>
        }
    } else {
        let mut rows: Vec<&BlockedScaleOut> = o.scale_outs.iter().collect();
        // Blocked first, then the longest waiting.
        rows.sort_by(|a, b| b.blocked.cmp(&a.blocked).then(a.since.cmp(&b.since)));
        html! {
            <div class="ai-table-wrap">
                <table class="ai-table" aria-label="Scale-outs waiting for capacity">
                    <thead><tr>
                        <th>{ "Scaler" }</th><th>{ "Namespace" }</th><th>{ "Ready / wanted" }</th>
                        <th>{ "Pending" }</th><th>{ "State" }</th><th>{ "Why" }</th><th>{ "Waiting" }</th>
                    </tr></thead>
                    <tbody>{ for rows.into_iter().map(|b| scale_out_row(b, now)) }</tbody>
                </table>
            </div>
        }
    };
    html! { <SectionBox title="Scale-outs waiting for capacity" main={false}>{ body }</SectionBox> }
}

/// The page of the object an entry is about: ours for KEDA and Karpenter kinds, Headlamp's for the rest.
fn object_route(kind: &str, namespace: &str, name: &str) -> Option<Route> {
    let (ns, name) = (namespace.to_owned(), name.to_owned());
    match kind {
        "ScaledObject" => Some(Route::ScaledObject { namespace: ns, name }),
        "ScaledJob" => Some(Route::ScaledJob { namespace: ns, name }),
        "NodeClaim" => Some(Route::NodeClaim { name }),
        "NodePool" => Some(Route::NodePool { name }),
        other => Route::headlamp(other, Some(namespace), &name),
    }
}

fn recent_row(e: &JournalEntry, now: Time) -> Html {
    let object = format!("{}/{}", e.object_kind, e.object_name);
    let object = match object_route(&e.object_kind, &e.namespace, &e.object_name) {
        Some(route) => html! { <Link {route}>{ object }</Link> },
        None => html! { object },
    };
    // Events: reason, in the warning colour for Warning events. Condition changes: `Ready → False`.
    let (label, tone) = match e.entry_kind {
        EntryKind::Event => {
            (e.reason.clone(), if e.type_ == "Warning" { Tone::Warning } else { Tone::Neutral })
        }
        EntryKind::Condition => (format!("{} → {}", e.reason, e.type_), Tone::Neutral),
    };
    html! {
        <tr key={e.uid.clone()}>
            <td>{ age(Some(e.last_time), now) }</td>
            <td>{ if e.namespace.is_empty() { "-".to_owned() } else { e.namespace.clone() } }</td>
            <td>{ object }</td>
            <td><Chip {label} {tone} /></td>
            <td class="ai-overview-message">{ e.message.clone() }</td>
            <td>{ if e.count > 1 { e.count.to_string() } else { String::new() } }</td>
        </tr>
    }
}

fn recent(o: &OverviewView, now: Time) -> Html {
    let body = if o.recent.is_empty() {
        html! {
            <EmptyPanel title="No recent scaling">
                { "No scaling events in the last hour (Kubernetes keeps events for one hour; the Autoscaling Insights server keeps them longer)." }
            </EmptyPanel>
        }
    } else {
        html! {
            <div class="ai-table-wrap">
                <table class="ai-table" aria-label="Recent scaling">
                    <thead><tr>
                        <th>{ "Last seen" }</th><th>{ "Namespace" }</th><th>{ "Object" }</th>
                        <th>{ "Reason" }</th><th>{ "Message" }</th><th>{ "Count" }</th>
                    </tr></thead>
                    <tbody>{ for o.recent.iter().take(RECENT_SHOWN).map(|e| recent_row(e, now)) }</tbody>
                </table>
            </div>
        }
    };
    html! { <SectionBox title="Recent scaling" main={false}>{ body }</SectionBox> }
}

/// The overview page.
#[function_component]
pub fn Overview() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let now = data.now();
    let load = use_live(data, |data| async move { data.overview().await });
    // The summary is the page's title box; its sections follow as siblings, like Headlamp's details pages.
    let (summary, sections) = match load {
        Load::Loading => (html! { <LoadingPanel what="the autoscaling overview" /> }, Html::default()),
        Load::Failed(error) => (html! { <ErrorPanel {error} /> }, Html::default()),
        Load::Ready(answer) => {
            let o = &answer.value;
            let nothing = o.scalers.total == 0 && o.node_pools.is_empty() && o.nodes == 0;
            (
                html! {
                    <>
                        <GapNotes gaps={answer.gaps.clone()} />
                        if nothing && answer.gaps.is_empty() {
                            <EmptyPanel title="Nothing autoscales here yet">
                                { "No KEDA ScaledObjects or ScaledJobs and no Karpenter NodePools were found. \
                                   Install KEDA (keda.sh) to scale workloads on events and Karpenter (karpenter.sh) \
                                   to add nodes when pods do not fit." }
                            </EmptyPanel>
                        }
                        <div class="ai-overview-tiles">
                            { scalers_tile(o) }
                            { pending_tile(o) }
                            { capacity_tile(o) }
                        </div>
                    </>
                },
                html! {
                    <>
                        { scale_outs(o, now) }
                        { node_pools(o, &answer.gaps) }
                        { recent(o, now) }
                    </>
                },
            )
        }
    };
    html! {
        <>
            <SectionBox title="Autoscaling Overview">{ summary }</SectionBox>
            { sections }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataError;

    #[test]
    fn every_scaler_state_has_a_row_and_a_filter() {
        let o = OverviewView::default();
        let states: Vec<&str> = scaler_rows(&o).into_iter().map(|r| r.2).collect();
        assert_eq!(states, ["active", "at-zero", "idle", "erroring", "paused", "fallback"]);
    }

    #[test]
    fn empty_sections_say_why_when_a_part_is_missing() {
        let gaps = vec![Gap::Missing {
            what: "NodePools".into(),
            error: DataError::NoPermission {
                action: "list NodePools (karpenter.sh/v1)".into(),
                message: "forbidden".into(),
            },
        }];
        let why = empty_because(&gaps, "NodePools").unwrap();
        assert!(why.starts_with("No permission"), "{why}");
        assert_eq!(empty_because(&gaps, "Events"), None);
    }
}
