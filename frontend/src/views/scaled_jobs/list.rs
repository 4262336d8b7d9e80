//! All ScaledJobs: what Headlamp's KEDA plugin lists (min, max, Ready, Active, Paused,
//! triggers) plus the state, running jobs, scaler health and last active time.

use crate::components::{Column, Link};
use crate::route::Route;
use crate::views::scaled_objects::list::{ScalerList, ScalerListKind};
use crate::views::scaled_objects::sections::{
    active_cell, bool_order, health_cell, health_order, paused_chip, ready_cell, state_chip, state_label,
    state_order, trigger_tags, when,
};
use crate::views::time::{age, now};
use model::scaler::Scaler;
use yew::prelude::*;

fn link(s: &Scaler) -> Html {
    let route = Route::ScaledJob { namespace: s.metadata.ns().to_owned(), name: s.source.name.clone() };
    html! { <Link {route}>{ s.source.name.clone() }</Link> }
}

static COLUMNS: &[Column<Scaler>] = &[
    Column {
        label: "Name",
        cell: link,
        sort: Some(|a, b| a.source.name.cmp(&b.source.name)),
        text: Some(|s| s.source.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |s| html! { s.metadata.ns().to_owned() },
        sort: Some(|a, b| a.metadata.ns().cmp(b.metadata.ns())),
        text: Some(|s| s.metadata.ns().to_owned()),
    },
    Column {
        label: "State",
        cell: state_chip,
        sort: Some(|a, b| state_order(a).cmp(&state_order(b))),
        text: Some(|s| state_label(s.state).0.to_owned()),
    },
    Column {
        label: "Running jobs",
        cell: |s| html! { s.current_replicas.map(|v| v.to_string()).unwrap_or_else(|| "-".into()) },
        sort: Some(|a, b| a.current_replicas.cmp(&b.current_replicas)),
        text: None,
    },
    Column {
        label: "Min",
        cell: |s| html! { s.min_replicas },
        sort: Some(|a, b| a.min_replicas.cmp(&b.min_replicas)),
        text: None,
    },
    Column {
        label: "Max",
        cell: |s| html! { s.max_replicas },
        sort: Some(|a, b| a.max_replicas.cmp(&b.max_replicas)),
        text: None,
    },
    Column {
        label: "Triggers",
        cell: trigger_tags,
        sort: Some(|a, b| a.trigger_types.cmp(&b.trigger_types)),
        text: Some(|s| s.trigger_types.join(" ")),
    },
    Column {
        label: "Ready",
        cell: |s| ready_cell(s.ready),
        sort: Some(|a, b| bool_order(a.ready).cmp(&bool_order(b.ready))),
        text: None,
    },
    Column {
        label: "Active",
        cell: |s| active_cell(s.active),
        sort: Some(|a, b| bool_order(a.active).cmp(&bool_order(b.active))),
        text: None,
    },
    Column {
        label: "Paused",
        cell: paused_chip,
        sort: Some(|a, b| b.pause.paused.cmp(&a.pause.paused)),
        text: None,
    },
    Column {
        label: "Health",
        cell: health_cell,
        sort: Some(|a, b| health_order(a).cmp(&health_order(b))),
        text: None,
    },
    Column {
        label: "Last active",
        cell: |s| when(s.last_active),
        sort: Some(|a, b| b.last_active.cmp(&a.last_active)),
        text: None,
    },
    Column {
        label: "Age",
        cell: |s| age(s.metadata.creation_timestamp, now()),
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn row_key(s: &Scaler) -> String {
    format!("{}/{}", s.metadata.ns(), s.source.name)
}

static SCALED_JOBS: ScalerListKind = ScalerListKind {
    kind: "ScaledJob",
    plural: "ScaledJobs",
    route: Route::ScaledJobs,
    columns: COLUMNS,
    row_key,
    empty: [
        "There is no ScaledJob in the namespaces you can see.",
        "A ScaledJob runs one Kubernetes Job per event (queue message) instead of scaling a Deployment.",
    ],
};

/// The ScaledJobs list page.
#[function_component]
pub fn ScaledJobList() -> Html {
    html! { <ScalerList of={&SCALED_JOBS} /> }
}
