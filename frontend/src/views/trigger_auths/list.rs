//! TriggerAuthentications and ClusterTriggerAuthentications on one page: pod identity, every
//! Secret and ConfigMap referenced (not only the first), env, external stores, who uses them.

use super::AuthRow;
use crate::app::Scope;
use crate::components::{Column, EmptyPanel, ErrorPanel, Link, LoadingPanel, SearchBox, SectionBox, Table};
use crate::data::{Data, DataError, Load, use_live};
use crate::route::Route;
use crate::views::scaled_objects::list::{gap_notes, scope_notice};
use crate::views::time::{age, now};
use std::rc::Rc;
use yew::prelude::*;

fn link(a: &AuthRow) -> Html {
    let route = if a.cluster() {
        Route::ClusterTriggerAuthentication { name: a.metadata.name.clone() }
    } else {
        Route::TriggerAuthentication { namespace: a.metadata.ns().to_owned(), name: a.metadata.name.clone() }
    };
    html! { <Link {route}>{ a.metadata.name.clone() }</Link> }
}

fn tags(items: Vec<String>) -> Html {
    if items.is_empty() {
        return html! { <span class="ai-dim">{ "-" }</span> };
    }
    html! { <span class="ai-tags">{ for items.into_iter().map(|t| html! { <span class="ai-tag ai-tag-long">{ t }</span> }) }</span> }
}

fn env_text(a: &AuthRow) -> Vec<String> {
    a.spec.env.iter().map(|e| e.name.clone()).collect()
}

fn users_text(a: &AuthRow) -> String {
    a.users
        .iter()
        .map(|u| {
            if u.namespace.is_empty() {
                format!("{} {}", u.kind, u.name)
            } else {
                format!("{} {}/{}", u.kind, u.namespace, u.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

macro_rules! auth_columns {
    ($with_namespace:expr) => {
        &[
            Column {
                label: "Name",
                cell: link,
                sort: Some(|a: &AuthRow, b: &AuthRow| a.metadata.name.cmp(&b.metadata.name)),
                text: Some(|a: &AuthRow| a.metadata.name.clone()),
            },
            Column {
                label: if $with_namespace { "Namespace" } else { "Scope" },
                cell: |a: &AuthRow| html! { { if a.cluster() { "cluster".to_owned() } else { a.metadata.ns().to_owned() } } },
                sort: Some(|a: &AuthRow, b: &AuthRow| a.metadata.ns().cmp(b.metadata.ns())),
                text: Some(|a: &AuthRow| a.metadata.ns().to_owned()),
            },
            Column {
                label: "Pod identity",
                cell: |a: &AuthRow| html! { a.spec.pod_identity.as_ref().map(|p| p.provider.clone()).unwrap_or_else(|| "-".into()) },
                sort: None,
                text: Some(|a: &AuthRow| a.spec.pod_identity.as_ref().map(|p| p.provider.clone()).unwrap_or_default()),
            },
            Column {
                label: "Secrets",
                cell: |a: &AuthRow| tags(a.secrets().into_iter().map(str::to_owned).collect()),
                sort: None,
                text: Some(|a: &AuthRow| a.secrets().join(" ")),
            },
            Column {
                label: "ConfigMaps",
                cell: |a: &AuthRow| tags(a.config_maps().into_iter().map(str::to_owned).collect()),
                sort: None,
                text: Some(|a: &AuthRow| a.config_maps().join(" ")),
            },
            Column {
                label: "Env",
                cell: |a: &AuthRow| tags(env_text(a)),
                sort: None,
                text: Some(|a: &AuthRow| env_text(a).join(" ")),
            },
            Column {
                label: "Secret stores",
                cell: |a: &AuthRow| tags(a.stores()),
                sort: None,
                text: Some(|a: &AuthRow| a.stores().join(" ")),
            },
            Column {
                label: "Used by",
                cell: |a: &AuthRow| {
                    let n = a.users.len();
                    if n == 0 {
                        html! { <span class="ai-dim">{ "none" }</span> }
                    } else {
                        html! { <span title={users_text(a)}>{ n }</span> }
                    }
                },
                sort: Some(|a: &AuthRow, b: &AuthRow| a.users.len().cmp(&b.users.len())),
                text: Some(users_text),
            },
            Column {
                label: "Age",
                cell: |a: &AuthRow| age(a.metadata.creation_timestamp, now()),
                sort: Some(|a: &AuthRow, b: &AuthRow| b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp)),
                text: None,
            },
        ]
    };
}

static NAMESPACED: &[Column<AuthRow>] = auth_columns!(true);
static CLUSTER: &[Column<AuthRow>] = auth_columns!(false);

fn row_key(a: &AuthRow) -> String {
    format!("{}/{}", a.metadata.ns(), a.metadata.name)
}

fn namespace_of(a: &AuthRow) -> &str {
    a.metadata.ns()
}

fn table(
    rows: Result<(Rc<[AuthRow]>, Vec<crate::data::Gap>), DataError>,
    columns: &'static [Column<AuthRow>],
    filter: &str,
    scope: &Scope,
    label: &'static str,
    empty: Html,
) -> Html {
    match rows {
        Err(error) => html! { <ErrorPanel {error} /> },
        Ok((rows, gaps)) if rows.is_empty() => html! { <>{ gap_notes(&gaps) }{ empty }</> },
        Ok((rows, gaps)) => {
            let namespaced = std::ptr::eq(columns, NAMESPACED);
            html! {
                <>
                    { gap_notes(&gaps) }
                    <Table<AuthRow> {rows} {columns} row_key={row_key as fn(&AuthRow) -> String} filter={AttrValue::from(filter.to_owned())}
                        namespaces={if namespaced { scope.namespaces.clone() } else { Rc::from([]) }}
                        namespace_of={namespaced.then_some(namespace_of as fn(&AuthRow) -> &str)} {label} />
                </>
            }
        }
    }
}

/// The page of both kinds.
#[function_component]
pub fn TriggerAuthList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let scope = use_context::<Scope>().unwrap_or_default();
    let namespaced = use_live(data.clone(), |data| async move {
        let a = data.authentications(false).await?;
        Ok::<_, DataError>((a.value, a.gaps))
    });
    let cluster = use_live(data, |data| async move {
        let a = data.authentications(true).await?;
        Ok::<_, DataError>((a.value, a.gaps))
    });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions =
        html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter authentications" /> };
    let ready = |l: &Load<(Rc<[AuthRow]>, Vec<crate::data::Gap>)>| match l {
        Load::Loading => None,
        Load::Failed(e) => Some(Err(e.clone())),
        Load::Ready(v) => Some(Ok((v.0.clone(), v.1.clone()))),
    };
    let ns_body = match ready(&namespaced) {
        None => html! { <LoadingPanel what="TriggerAuthentications" /> },
        Some(rows) => table(
            rows,
            NAMESPACED,
            &filter,
            &scope,
            "TriggerAuthentications",
            html! {
                <EmptyPanel title="No TriggerAuthentications">
                    { "No TriggerAuthentication in the namespaces you can see. Triggers that need credentials refer to one (authenticationRef)." }
                </EmptyPanel>
            },
        ),
    };
    let cluster_body = match ready(&cluster) {
        None => html! { <LoadingPanel what="ClusterTriggerAuthentications" /> },
        Some(rows) => table(
            rows,
            CLUSTER,
            &filter,
            &scope,
            "ClusterTriggerAuthentications",
            html! {
                <EmptyPanel title="No ClusterTriggerAuthentications">
                    { "None in this cluster. A ClusterTriggerAuthentication can be used by triggers in every namespace." }
                </EmptyPanel>
            },
        ),
    };
    html! {
        <>
            <SectionBox title="TriggerAuthentications" {actions}>
                { scope_notice(&scope) }
                { ns_body }
            </SectionBox>
            <SectionBox title="ClusterTriggerAuthentications" main={false}>{ cluster_body }</SectionBox>
        </>
    }
}
