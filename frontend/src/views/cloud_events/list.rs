//! CloudEventSources and ClusterCloudEventSources on one page: destination, authentication,
//! event-type filters, Active.

use super::SourceRow;
use crate::app::Scope;
use crate::components::{
    Column, EmptyPanel, ErrorPanel, Link, LoadingPanel, SearchBox, SectionBox, Table, Tone,
};
use crate::data::{Data, DataError, Gap, Load, use_live};
use crate::route::Route;
use crate::views::scaled_objects::list::{gap_notes, scope_notice};
use crate::views::scaled_objects::sections::condition_chip;
use crate::views::time::{age, now};
use std::rc::Rc;
use yew::prelude::*;

fn link(c: &SourceRow) -> Html {
    let route = if c.cluster() {
        Route::ClusterCloudEventSource { name: c.metadata.name.clone() }
    } else {
        Route::CloudEventSource { namespace: c.metadata.ns().to_owned(), name: c.metadata.name.clone() }
    };
    html! { <Link {route}>{ c.metadata.name.clone() }</Link> }
}

fn types(v: &[String]) -> Html {
    if v.is_empty() {
        return html! { <span class="ai-dim">{ "-" }</span> };
    }
    html! { <span class="ai-tags">{ for v.iter().map(|t| html! { <span class="ai-tag">{ t.clone() }</span> }) }</span> }
}

fn included(c: &SourceRow) -> &[String] {
    c.spec.event_subscription.as_ref().map(|s| s.included_event_types.as_slice()).unwrap_or(&[])
}

fn excluded(c: &SourceRow) -> &[String] {
    c.spec.event_subscription.as_ref().map(|s| s.excluded_event_types.as_slice()).unwrap_or(&[])
}

fn auth_text(c: &SourceRow) -> String {
    c.authentication()
        .map(|a| format!("{} {}", a.kind.as_deref().unwrap_or("TriggerAuthentication"), a.name))
        .unwrap_or_default()
}

static COLUMNS: &[Column<SourceRow>] = &[
    Column {
        label: "Name",
        cell: link,
        sort: Some(|a, b| a.metadata.name.cmp(&b.metadata.name)),
        text: Some(|c| c.metadata.name.clone()),
    },
    Column {
        label: "Namespace",
        cell: |c| html! { { if c.cluster() { "cluster".to_owned() } else { c.metadata.ns().to_owned() } } },
        sort: Some(|a, b| a.metadata.ns().cmp(b.metadata.ns())),
        text: Some(|c| c.metadata.ns().to_owned()),
    },
    Column {
        label: "Destination",
        cell: |c| html! { <span class="ai-wrap">{ c.destination() }</span> },
        sort: Some(|a, b| a.destination().cmp(&b.destination())),
        text: Some(SourceRow::destination),
    },
    Column {
        label: "Authentication",
        cell: |c| html! { { if auth_text(c).is_empty() { "-".to_owned() } else { auth_text(c) } } },
        sort: None,
        text: Some(auth_text),
    },
    Column {
        label: "Included types",
        cell: |c| types(included(c)),
        sort: None,
        text: Some(|c| included(c).join(" ")),
    },
    Column {
        label: "Excluded types",
        cell: |c| types(excluded(c)),
        sort: None,
        text: Some(|c| excluded(c).join(" ")),
    },
    Column {
        label: "Active",
        cell: |c| condition_chip(c.active(), ("Active", Tone::Success), ("Inactive", Tone::Warning)),
        sort: Some(|a, b| a.active().cmp(&b.active())),
        text: None,
    },
    Column {
        label: "Age",
        cell: |c| age(c.metadata.creation_timestamp, now()),
        sort: Some(|a, b| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
        text: None,
    },
];

fn row_key(c: &SourceRow) -> String {
    format!("{}/{}", c.metadata.ns(), c.metadata.name)
}

fn namespace_of(c: &SourceRow) -> &str {
    c.metadata.ns()
}

type Rows = (Rc<[SourceRow]>, Vec<Gap>);

fn body(load: &Load<Rows>, what: &'static str, filter: &str, scope: Option<&Scope>, empty: Html) -> Html {
    match load {
        Load::Loading => html! { <LoadingPanel what={what} /> },
        Load::Failed(error) => html! { <ErrorPanel error={error.clone()} /> },
        Load::Ready(r) if r.0.is_empty() => html! { <>{ gap_notes(&r.1) }{ empty }</> },
        Load::Ready(r) => html! {
            <>
                { gap_notes(&r.1) }
                <Table<SourceRow> rows={r.0.clone()} columns={COLUMNS} row_key={row_key as fn(&SourceRow) -> String}
                    filter={AttrValue::from(filter.to_owned())}
                    namespaces={scope.map(|s| s.namespaces.clone()).unwrap_or_else(|| Rc::from([]))}
                    namespace_of={scope.is_some().then_some(namespace_of as fn(&SourceRow) -> &str)} label={what} />
            </>
        },
    }
}

/// The page of both kinds.
#[function_component]
pub fn CloudEventSourceList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let scope = use_context::<Scope>().unwrap_or_default();
    let namespaced = use_live(data.clone(), |data| async move {
        let a = data.cloud_event_sources().await?;
        Ok::<_, DataError>((a.value.items.iter().map(SourceRow::from).collect::<Rc<[SourceRow]>>(), a.gaps))
    });
    let cluster = use_live(data, |data| async move {
        let a = data.cluster_cloud_event_sources().await?;
        Ok::<_, DataError>((a.value.items.iter().map(SourceRow::from).collect::<Rc<[SourceRow]>>(), a.gaps))
    });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions =
        html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter CloudEvent sources" /> };
    html! {
        <>
            <SectionBox title="CloudEventSources" {actions}>
                { scope_notice(&scope) }
                { body(&namespaced, "CloudEventSources", &filter, Some(&scope), html! {
                    <EmptyPanel title="No CloudEventSources">
                        { "No CloudEventSource in the namespaces you can see. A CloudEventSource sends KEDA's events \
                           (scaler failures, ScaledObject ready, paused, ...) as CloudEvents to an HTTP endpoint or Azure Event Grid." }
                    </EmptyPanel>
                }) }
            </SectionBox>
            <SectionBox title="ClusterCloudEventSources" main={false}>
                { body(&cluster, "ClusterCloudEventSources", &filter, None, html! {
                    <EmptyPanel title="No ClusterCloudEventSources">{ "None in this cluster." }</EmptyPanel>
                }) }
            </SectionBox>
        </>
    }
}
