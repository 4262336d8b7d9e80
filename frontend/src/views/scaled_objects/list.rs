//! All ScaledObjects: what Headlamp's KEDA plugin lists (target, min/max, Ready, Active,
//! Fallback, Paused, triggers, age) plus the state, current/desired replicas, scaler health and
//! since when the target is at zero. Sortable, filterable by text and by Headlamp's namespace
//! filter, and virtualized (only the rows in view are in the DOM) for clusters with thousands.

use super::sections::{
    active_cell, at_zero_cell, bool_order, fallback_chip, health_cell, health_order, in_state, paused_chip,
    ready_cell, replicas_cell, replicas_text, state_chip, state_label, state_notice, state_order,
    trigger_tags,
};
use crate::app::Scope;
use crate::components::{Column, EmptyPanel, ErrorPanel, Link, LoadingPanel, SearchBox, SectionBox, Table};
use crate::data::{Data, Gap, Load, use_live};
use crate::route::Route;
use crate::views::time::{age, now};
use model::scaler::Scaler;
use yew::prelude::*;

/// The scale target: a link to Headlamp's page for built-in kinds, text for other `/scale` kinds.
pub fn target_cell(s: &Scaler) -> Html {
    let Some(t) = &s.target else { return html! { <span class="ai-dim">{ "-" }</span> } };
    let text = format!("{}/{}", t.kind, t.name);
    let title =
        if s.target_found { t.api_version.clone() } else { format!("{} — not found", t.api_version) };
    match Route::headlamp(&t.kind, Some(&t.namespace), &t.name) {
        Some(route) if s.target_found => html! { <span {title}><Link {route}>{ text }</Link></span> },
        _ => {
            html! { <span {title} class={classes!((!s.target_found).then_some("ai-missing"))}>{ text }</span> }
        }
    }
}

fn target_text(s: &Scaler) -> String {
    s.target.as_ref().map(|t| format!("{}/{}", t.kind, t.name)).unwrap_or_default()
}

fn link(s: &Scaler) -> Html {
    let route = Route::ScaledObject { namespace: s.metadata.ns().to_owned(), name: s.metadata.name.clone() };
    html! { <Link {route}>{ s.metadata.name.clone() }</Link> }
}

static COLUMNS: &[Column<Scaler>] = &[
    Column {
        label: "Name",
        cell: link,
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|s| s.metadata.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |s| html! { s.metadata.ns().to_owned() },
        sort: Some(|a, b| a.metadata.ns().cmp(b.metadata.ns())),
        text: Some(|s| s.metadata.ns().to_owned()),
    },
    Column {
        label: "Target",
        cell: target_cell,
        sort: Some(|a, b| target_text(a).cmp(&target_text(b))),
        text: Some(target_text),
    },
    Column {
        label: "State",
        cell: state_chip,
        sort: Some(|a, b| state_order(a).cmp(&state_order(b))),
        text: Some(|s| state_label(s.state).0.to_owned()),
    },
    Column {
        label: "Replicas",
        cell: replicas_cell,
        sort: Some(|a, b| {
            a.current_replicas.cmp(&b.current_replicas).then(a.desired_replicas.cmp(&b.desired_replicas))
        }),
        text: Some(replicas_text),
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
        label: "Fallback",
        cell: fallback_chip,
        sort: Some(|a, b| {
            let on = |s: &Scaler| s.fallback.as_ref().is_some_and(|f| f.active);
            on(b).cmp(&on(a))
        }),
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
        label: "At zero",
        cell: at_zero_cell,
        // Longest at zero first.
        sort: Some(|a, b| match (a.at_zero_since, b.at_zero_since) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }),
        text: None,
    },
    Column {
        label: "Age",
        cell: |s| age(s.metadata.creation_timestamp, now()),
        // Newest first when ascending, like Headlamp's Age column.
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn row_key(s: &Scaler) -> String {
    format!("{}/{}", s.metadata.ns(), s.metadata.name)
}

/// The namespace of a scaler row (Headlamp's namespace filter).
pub fn namespace_of(s: &Scaler) -> &str {
    s.metadata.ns()
}

/// Parts an answer lacks (namespaces not readable, parts missing), said above the table.
pub fn gap_notes(gaps: &[Gap]) -> Html {
    html! {
        { for gaps.iter().map(|g| html! { <div class="ai-notice" role="note">{ g.text() }</div> }) }
    }
}

/// Says that Headlamp's namespace filter hides rows (it is set on Headlamp's own list pages).
pub fn scope_notice(scope: &Scope) -> Html {
    if scope.namespaces.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ai-scope" role="note">
            { format!("Namespaces: {} (Headlamp's namespace filter)", scope.namespaces.join(", ")) }
        </div>
    }
}

/// What differs between the ScaledObjects and the ScaledJobs list pages.
pub struct ScalerListKind {
    /// `ScaledObject` or `ScaledJob` (what the data layer lists).
    pub kind: &'static str,
    /// The page's title and the items' plural.
    pub plural: &'static str,
    /// The page's route (for "show all").
    pub route: Route,
    /// The table's columns.
    pub columns: &'static [Column<Scaler>],
    /// The row's key.
    pub row_key: fn(&Scaler) -> String,
    /// What the empty page says, sentence by sentence.
    pub empty: [&'static str; 2],
}

/// Props of [`ScalerList`].
#[derive(Properties)]
pub struct ScalerListProps {
    /// Which list.
    pub of: &'static ScalerListKind,
}

impl PartialEq for ScalerListProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.of, other.of)
    }
}

/// A list page of KEDA scalers (ScaledObjects or ScaledJobs): filter, `?state=`, gaps, table.
#[function_component]
pub fn ScalerList(props: &ScalerListProps) -> Html {
    let of = props.of;
    let data = use_context::<Data>().expect("the app provides Data");
    let scope = use_context::<Scope>().unwrap_or_default();
    // An overview link (`?state=erroring`) narrows the list.
    let state = scope.param("state");
    let kind = of.kind;
    let load = use_live(data, move |data| async move { data.keda_scalers(kind).await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let label = format!("Filter {}", of.plural);
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} {label} /> };

    let body = match load {
        Load::Loading => html! { <LoadingPanel what={of.plural} /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.is_empty() => html! {
            <>
                { gap_notes(&answer.gaps) }
                <EmptyPanel title={format!("No {}", of.plural)}>
                    { of.empty[0] }{ " " }{ of.empty[1] }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => html! {
            <>
                { gap_notes(&answer.gaps) }
                { scope_notice(&scope) }
                { state_notice(state, of.plural, of.route.clone()) }
                <Table<Scaler> rows={in_state(&answer.value, state)} columns={of.columns}
                    row_key={of.row_key}
                    filter={AttrValue::from((*filter).clone())} namespaces={scope.namespaces.clone()}
                    namespace_of={Some(namespace_of as fn(&Scaler) -> &str)} label={of.plural} />
            </>
        },
    };
    html! { <SectionBox title={of.plural} {actions}>{ body }</SectionBox> }
}

static SCALED_OBJECTS: ScalerListKind = ScalerListKind {
    kind: "ScaledObject",
    plural: "ScaledObjects",
    route: Route::ScaledObjects,
    columns: COLUMNS,
    row_key,
    empty: [
        "KEDA is installed, but there is no ScaledObject in the namespaces you can see.",
        "A ScaledObject scales a Deployment, StatefulSet or any /scale resource on events.",
    ],
};

/// The ScaledObjects list page.
#[function_component]
pub fn ScaledObjectList() -> Html {
    html! { <ScalerList of={&SCALED_OBJECTS} /> }
}
