//! All ScaledObjects: name, namespace, target, replica range, triggers, Ready/Active/Paused, age.

use super::{active_chip, paused_chip, ready_chip, target, trigger_types};
use crate::app::Scope;
use crate::components::{Column, EmptyPanel, ErrorPanel, Link, LoadingPanel, SearchBox, SectionBox, Table};
use crate::data::{Data, Load, use_load};
use crate::route::Route;
use crate::views::time::{age, now};
use model::keda::ScaledObject;
use model::meta::Rejected;
use yew::prelude::*;

fn link(so: &ScaledObject) -> Html {
    let route =
        Route::ScaledObject { namespace: so.metadata.ns().to_owned(), name: so.metadata.name.clone() };
    html! { <Link {route}>{ so.metadata.name.clone() }</Link> }
}

fn triggers(so: &ScaledObject) -> Html {
    html! {
        <span class="ai-tags">
            { for trigger_types(so).into_iter().map(|t| html! { <span class="ai-tag">{ t.to_owned() }</span> }) }
        </span>
    }
}

fn condition_order(so: &ScaledObject, type_: &str) -> u8 {
    match so.condition(type_) {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }
}

static COLUMNS: &[Column<ScaledObject>] = &[
    Column {
        label: "Name",
        cell: link,
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|so| so.metadata.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |so| html! { so.metadata.ns().to_owned() },
        sort: Some(|a, b| a.metadata.ns().cmp(b.metadata.ns())),
        text: Some(|so| so.metadata.ns().to_owned()),
    },
    Column {
        label: "Target",
        cell: |so| html! { <span title={so.spec.scale_target_ref.api_version().to_owned()}>{ target(so) }</span> },
        sort: Some(|a, b| target(a).cmp(&target(b))),
        text: Some(target),
    },
    Column {
        label: "Min",
        cell: |so| html! { so.min_replicas() },
        sort: Some(|a, b| a.min_replicas().cmp(&b.min_replicas())),
        text: None,
    },
    Column {
        label: "Max",
        cell: |so| html! { so.max_replicas() },
        sort: Some(|a, b| a.max_replicas().cmp(&b.max_replicas())),
        text: None,
    },
    Column {
        label: "Triggers",
        cell: triggers,
        sort: Some(|a, b| trigger_types(a).cmp(&trigger_types(b))),
        text: Some(|so| trigger_types(so).join(" ")),
    },
    Column {
        label: "Ready",
        cell: ready_chip,
        sort: Some(|a, b| condition_order(a, "Ready").cmp(&condition_order(b, "Ready"))),
        text: None,
    },
    Column {
        label: "Active",
        cell: active_chip,
        sort: Some(|a, b| condition_order(a, "Active").cmp(&condition_order(b, "Active"))),
        text: None,
    },
    Column {
        label: "Paused",
        cell: paused_chip,
        sort: Some(|a, b| condition_order(a, "Paused").cmp(&condition_order(b, "Paused"))),
        text: None,
    },
    Column {
        label: "Age",
        cell: |so| age(so.metadata.creation_timestamp, now()),
        // Newest first when ascending, like Headlamp's Age column.
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn row_key(so: &ScaledObject) -> String {
    format!("{}/{}", so.metadata.ns(), so.metadata.name)
}

/// Items KEDA returned that could not be read: named, so nothing disappears silently.
fn rejected_notice(rejected: &[Rejected]) -> Html {
    if rejected.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ai-notice" role="note">
            { format!("{} ScaledObject(s) could not be read and are not shown: ", rejected.len()) }
            { rejected.iter().map(|r| format!("#{} {} ({})", r.index, r.name.as_deref().unwrap_or("unnamed"), r.reason)).collect::<Vec<_>>().join("; ") }
        </div>
    }
}

fn namespace_of(so: &ScaledObject) -> &str {
    so.metadata.ns()
}

/// Says that Headlamp's namespace filter hides rows (it is set on Headlamp's own list pages).
fn scope_notice(scope: &Scope) -> Html {
    if scope.namespaces.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ai-scope" role="note">
            { format!("Namespaces: {} (Headlamp's namespace filter)", scope.namespaces.join(", ")) }
        </div>
    }
}

/// The ScaledObjects list page.
#[function_component]
pub fn ScaledObjectList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let scope = use_context::<Scope>().unwrap_or_default();
    let load = use_load(data, |data| async move { data.scaled_objects().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter ScaledObjects" /> };

    let body = match load {
        Load::Loading => html! { <LoadingPanel what="ScaledObjects" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(list) if list.items.is_empty() && list.rejected.is_empty() => html! {
            <EmptyPanel title="No ScaledObjects">
                { "KEDA is installed, but there is no ScaledObject in the namespaces you can see. " }
                { "A ScaledObject scales a Deployment, StatefulSet or any /scale resource on events." }
            </EmptyPanel>
        },
        Load::Ready(list) => html! {
            <>
                { rejected_notice(&list.rejected) }
                { scope_notice(&scope) }
                <Table<ScaledObject> rows={list.items.clone()} columns={COLUMNS} row_key={row_key as fn(&ScaledObject) -> String}
                    filter={AttrValue::from((*filter).clone())} namespaces={scope.namespaces.clone()}
                    namespace_of={Some(namespace_of as fn(&ScaledObject) -> &str)} label="ScaledObjects" />
            </>
        },
    };
    html! { <SectionBox title="ScaledObjects" {actions}>{ body }</SectionBox> }
}
