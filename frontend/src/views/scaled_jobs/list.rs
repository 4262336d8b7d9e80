//! All ScaledJobs: what Headlamp's KEDA plugin lists (min, max, Ready, Active, Paused,
//! triggers) plus the state, running jobs, scaler health and last active time.

use crate::app::Scope;
use crate::components::{Column, EmptyPanel, ErrorPanel, Link, LoadingPanel, SearchBox, SectionBox, Table};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::scaled_objects::list::{gap_notes, scope_notice};
use crate::views::scaled_objects::sections::{
    active_cell, health_cell, health_order, in_state, paused_chip, ready_cell, state_chip, state_label,
    state_notice, state_order, trigger_tags, when,
};
use crate::views::time::{age, now};
use model::scaler::Scaler;
use yew::prelude::*;

fn link(s: &Scaler) -> Html {
    let route = Route::ScaledJob { namespace: s.metadata.ns().to_owned(), name: s.source.name.clone() };
    html! { <Link {route}>{ s.source.name.clone() }</Link> }
}

fn bool_order(v: Option<bool>) -> u8 {
    match v {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }
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

fn namespace_of(s: &Scaler) -> &str {
    s.metadata.ns()
}

/// The ScaledJobs list page.
#[function_component]
pub fn ScaledJobList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let scope = use_context::<Scope>().unwrap_or_default();
    // An overview link (`?state=erroring`) narrows the list.
    let state = scope.param("state");
    let load = use_live(data, |data| async move { data.keda_scalers("ScaledJob").await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter ScaledJobs" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="ScaledJobs" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                { gap_notes(&answer.gaps) }
                <EmptyPanel title="No ScaledJobs">
                    { "There is no ScaledJob in the namespaces you can see. " }
                    { "A ScaledJob runs one Kubernetes Job per event (queue message) instead of scaling a Deployment." }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => html! {
            <>
                { gap_notes(&answer.gaps) }
                { scope_notice(&scope) }
                { state_notice(state, "ScaledJobs", Route::ScaledJobs) }
                <Table<Scaler> rows={in_state(&answer.value, state)} columns={COLUMNS} row_key={row_key as fn(&Scaler) -> String}
                    filter={AttrValue::from((*filter).clone())} namespaces={scope.namespaces.clone()}
                    namespace_of={Some(namespace_of as fn(&Scaler) -> &str)} label="ScaledJobs" />
            </>
        },
    };
    html! { <SectionBox title="ScaledJobs" {actions}>{ body }</SectionBox> }
}
