//! Every activation of every ScaledObject, newest first: how long until the first new pod was
//! ready, and which step took longest.

use super::step_label;
use crate::components::steps::duration;
use crate::components::{
    Chip, Column, EmptyPanel, ErrorPanel, GapNotes, Link, LoadingPanel, SearchBox, SectionBox, Table, Tone,
};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::time::{age, now};
use model::cold_start::Timeline;
use std::rc::Rc;
use yew::prelude::*;

static COLUMNS: &[Column<Timeline>] = &[
    Column {
        label: "Activation",
        cell: |t| {
            let route =
                Route::ColdStart { namespace: t.metadata.ns().to_owned(), name: t.metadata.name.clone() };
            html! { <Link {route}>{ age(Some(t.activated_at), now()) }{ " ago" }</Link> }
        },
        sort: Some(|a, b| b.activated_at.cmp(&a.activated_at)),
        text: None,
    },
    Column {
        label: "ScaledObject",
        cell: |t| {
            let route =
                Route::ScaledObject { namespace: t.scaler.namespace.clone(), name: t.scaler.name.clone() };
            html! { <Link {route}>{ t.scaler.name.clone() }</Link> }
        },
        sort: Some(|a, b| a.scaler.name.cmp(&b.scaler.name)),
        text: Some(|t| t.scaler.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |t| html! { t.metadata.ns().to_owned() },
        sort: Some(|a, b| a.metadata.ns().cmp(b.metadata.ns())),
        text: Some(|t| t.metadata.ns().to_owned()),
    },
    Column {
        label: "Time to ready",
        cell: |t| match (t.total_seconds, t.complete) {
            (Some(s), true) => html! { duration(s) },
            (Some(s), false) => {
                html! { <span>{ duration(s) }<span class="ai-dim">{ " so far" }</span></span> }
            }
            (None, _) => html! { <span class="ai-dim">{ "-" }</span> },
        },
        sort: Some(|a, b| a.total_seconds.unwrap_or(0.0).total_cmp(&b.total_seconds.unwrap_or(0.0))),
        text: None,
    },
    Column {
        label: "Slowest step",
        cell: |t| match &t.slowest_step {
            Some(s) => html! { step_label(s) },
            None => html! { <span class="ai-dim">{ "-" }</span> },
        },
        sort: Some(|a, b| a.slowest_step.cmp(&b.slowest_step)),
        text: Some(|t| t.slowest_step.as_deref().map(step_label).unwrap_or_default()),
    },
    Column {
        label: "New node",
        cell: |t| match (&t.node_claim, &t.pod) {
            (Some(c), _) => html! { <Link route={Route::NodeClaim { name: c.clone() }}>{ c.clone() }</Link> },
            (None, Some(_)) => html! { <span class="ai-dim">{ "no (fit on existing nodes)" }</span> },
            (None, None) => html! { <span class="ai-dim">{ "-" }</span> },
        },
        sort: Some(|a, b| a.node_claim.cmp(&b.node_claim)),
        text: Some(|t| t.node_claim.clone().unwrap_or_default()),
    },
    Column {
        label: "State",
        cell: |t| {
            if t.complete {
                html! { <Chip label="Ready" tone={Tone::Success} /> }
            } else if t.pod.is_none() {
                let title = Some(AttrValue::from(
                    "No pod of the target was created after this activation, or its pods no longer exist",
                ));
                html! { <Chip label="No pod found" tone={Tone::Neutral} {title} /> }
            } else {
                html! { <Chip label="In progress" tone={Tone::Info} /> }
            }
        },
        sort: Some(|a, b| a.complete.cmp(&b.complete)),
        text: None,
    },
];

fn key(t: &Timeline) -> String {
    format!("{}/{}", t.metadata.ns(), t.metadata.name)
}

/// The cold starts page.
#[function_component]
pub fn ColdStartList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(data, |data| async move { data.timelines().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter cold starts" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="cold starts" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                <EmptyPanel title="No activations seen">
                    { "A cold start begins when KEDA activates a target (event KEDAScaleTargetActivated). " }
                    { "Kubernetes keeps events for about an hour; the Autoscaling Insights server keeps them longer." }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[Timeline]> = answer.value.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    <Table<Timeline> {rows} columns={COLUMNS} row_key={key as fn(&Timeline) -> String}
                        filter={AttrValue::from((*filter).clone())} label="Cold starts" />
                </>
            }
        }
    };
    html! { <SectionBox title="Cold starts" {actions}>{ body }</SectionBox> }
}
