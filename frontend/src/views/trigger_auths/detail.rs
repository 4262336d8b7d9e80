//! One TriggerAuthentication or ClusterTriggerAuthentication: every source of credentials it
//! names (Secrets and ConfigMaps linked, never read; env; pod identity; Vault, Azure Key Vault,
//! GCP and AWS secret stores; bound service account tokens), who uses it, and its events.

use super::AuthRow;
use crate::components::{Column, ErrorPanel, Link, LoadingPanel, NameValue, SectionBox, Table};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::scaled_objects::list::gap_notes;
use crate::views::scaled_objects::sections::EventsSection;
use crate::views::time::{age, now};
use model::keda::ExternalSecret;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`TriggerAuthDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace (`None`: a ClusterTriggerAuthentication).
    pub namespace: Option<AttrValue>,
    /// Name.
    pub name: AttrValue,
}

/// One reference: `(parameter, object name or value, key or detail)`, with where a link goes.
#[derive(Clone, Debug, PartialEq)]
struct Reference {
    parameter: String,
    name: String,
    detail: String,
    link: Option<Route>,
}

static REFERENCE_COLUMNS: &[Column<Reference>] = &[
    Column {
        label: "Parameter",
        cell: |r| html! { <code>{ r.parameter.clone() }</code> },
        sort: Some(|a, b| a.parameter.cmp(&b.parameter)),
        text: None,
    },
    Column {
        label: "From",
        cell: |r| match &r.link {
            Some(route) => html! { <Link route={route.clone()}>{ r.name.clone() }</Link> },
            None => html! { r.name.clone() },
        },
        sort: Some(|a, b| a.name.cmp(&b.name)),
        text: None,
    },
    Column { label: "Key / detail", cell: |r| html! { r.detail.clone() }, sort: None, text: None },
];

fn reference_key(r: &Reference) -> String {
    format!("{}|{}|{}", r.parameter, r.name, r.detail)
}

fn references(title: &'static str, rows: Vec<Reference>, note: Option<&'static str>) -> Html {
    if rows.is_empty() {
        return Html::default();
    }
    html! {
        <SectionBox {title} main={false}>
            if let Some(n) = note {
                <div class="ai-dim ai-section-note">{ n }</div>
            }
            <Table<Reference> rows={Rc::<[Reference]>::from(rows)} columns={REFERENCE_COLUMNS}
                row_key={reference_key as fn(&Reference) -> String} label={title} />
        </SectionBox>
    }
}

fn external(secrets: &[ExternalSecret], what: fn(&ExternalSecret) -> (String, String)) -> Vec<Reference> {
    secrets
        .iter()
        .map(|s| {
            let (name, detail) = what(s);
            Reference { parameter: s.parameter.clone(), name, detail, link: None }
        })
        .collect()
}

fn users(a: &AuthRow) -> Html {
    if a.users.is_empty() {
        return html! { <span class="ai-dim">{ "none" }</span> };
    }
    // Names from KEDA's status carry no namespace for a ClusterTriggerAuthentication: not linked.
    let item = |u: &model::meta::ObjectRef| {
        let text = if u.namespace.is_empty() {
            format!("{} {}", u.kind, u.name)
        } else {
            format!("{} {}/{}", u.kind, u.namespace, u.name)
        };
        let route = match (u.kind.as_str(), u.namespace.is_empty()) {
            ("ScaledObject", false) => {
                Some(Route::ScaledObject { namespace: u.namespace.clone(), name: u.name.clone() })
            }
            ("ScaledJob", false) => {
                Some(Route::ScaledJob { namespace: u.namespace.clone(), name: u.name.clone() })
            }
            _ => None,
        };
        match route {
            Some(route) => html! { <span class="ai-tag"><Link {route}>{ text }</Link></span> },
            None => html! { <span class="ai-tag">{ text }</span> },
        }
    };
    html! { <span class="ai-tags">{ for a.users.iter().map(item) }</span> }
}

fn page(a: &AuthRow) -> Html {
    let s = &a.spec;
    let ns = a.metadata.ns();
    // A ClusterTriggerAuthentication reads Secrets and ConfigMaps from KEDA's own namespace,
    // which the UI does not know: name them, do not link a guess.
    let link_to =
        |kind: &str, name: &str| if a.cluster() { None } else { Route::headlamp(kind, Some(ns), name) };
    let mut rows: Vec<(AttrValue, Html)> = vec![("Kind".into(), html! { a.kind })];
    if !a.cluster() {
        rows.push(("Namespace".into(), html! { ns.to_owned() }));
    }
    if let Some(p) = &s.pod_identity {
        let mut text = p.provider.clone();
        if let Some(id) = &p.identity_id {
            text.push_str(&format!(" · identity {id}"));
        }
        if let Some(r) = &p.role_arn {
            text.push_str(&format!(" · role {r}"));
        }
        rows.push(("Pod identity".into(), html! { text }));
    }
    if let Some(f) = &s.file_path {
        rows.push(("File path".into(), html! { <code>{ f.clone() }</code> }));
    }
    rows.push(("Used by".into(), users(a)));
    rows.push(("Age".into(), age(a.metadata.creation_timestamp, now())));

    let secrets: Vec<Reference> = s
        .secret_target_ref
        .iter()
        .map(|r| Reference {
            parameter: r.parameter.clone(),
            name: r.name.clone(),
            detail: format!("key {}", r.key),
            link: link_to("Secret", &r.name),
        })
        .collect();
    let config_maps: Vec<Reference> = s
        .config_map_target_ref
        .iter()
        .map(|r| Reference {
            parameter: r.parameter.clone(),
            name: r.name.clone(),
            detail: format!("key {}", r.key),
            link: link_to("ConfigMap", &r.name),
        })
        .collect();
    let env: Vec<Reference> = s
        .env
        .iter()
        .map(|e| Reference {
            parameter: e.parameter.clone(),
            name: e.name.clone(),
            detail: e
                .container_name
                .as_deref()
                .map(|c| format!("container {c}"))
                .unwrap_or_else(|| "the scale target's container".into()),
            link: None,
        })
        .collect();
    let tokens: Vec<Reference> = s
        .bound_service_account_token
        .iter()
        .map(|t| Reference {
            parameter: t.parameter.clone(),
            name: t.service_account_name.clone(),
            detail: "ServiceAccount token".into(),
            link: link_to("ServiceAccount", &t.service_account_name),
        })
        .collect();
    let cluster_note = a.cluster().then_some(
        "A ClusterTriggerAuthentication reads these from KEDA's namespace (KEDA_CLUSTER_OBJECT_NAMESPACE, usually keda).",
    );
    html! {
        <>
            <NameValue {rows} />
            { references("Secrets", secrets, Some(cluster_note.unwrap_or("Named only: the plugin never reads Secret values."))) }
            { references("ConfigMaps", config_maps, cluster_note) }
            { references("Environment variables", env, None) }
            { references("Bound service account tokens", tokens, cluster_note) }
            if let Some(v) = &s.hashi_corp_vault {
                <SectionBox title="HashiCorp Vault" main={false}>
                    <NameValue rows={vec![
                        (AttrValue::from("Address"), html! { v.address.clone() }),
                        ("Authentication".into(), html! { v.authentication.clone().unwrap_or_else(|| "-".into()) }),
                        ("Role".into(), html! { v.role.clone().unwrap_or_else(|| "-".into()) }),
                        ("Mount".into(), html! { v.mount.clone().unwrap_or_else(|| "-".into()) }),
                    ]} />
                </SectionBox>
                { references("Vault secrets", external(&v.secrets, |x| (x.path.clone().unwrap_or_default(), x.key.clone().map(|k| format!("key {k}")).unwrap_or_default())), None) }
            }
            if let Some(az) = &s.azure_key_vault {
                { references("Azure Key Vault secrets", external(&az.secrets, |x| (x.name.clone().unwrap_or_default(), String::new())),
                    None) }
                <div class="ai-dim ai-section-note">{ format!("Vault {}", az.vault_uri.clone().unwrap_or_default()) }</div>
            }
            if let Some(g) = &s.gcp_secret_manager {
                { references("GCP Secret Manager secrets", external(&g.secrets, |x| (x.id.clone().unwrap_or_default(), String::new())), None) }
            }
            if let Some(aws) = &s.aws_secret_manager {
                { references("AWS Secrets Manager secrets", external(&aws.secrets, |x| (x.name.clone().unwrap_or_default(), String::new())), None) }
                <div class="ai-dim ai-section-note">{ format!("Region {}", aws.region.clone().unwrap_or_default()) }</div>
            }
        </>
    }
}

/// The page of one (Cluster)TriggerAuthentication.
#[function_component]
pub fn TriggerAuthDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live((data, props.namespace.clone(), props.name.clone()), |(data, ns, name)| async move {
        data.authentication(ns.as_deref(), &name).await
    });
    let kind =
        if props.namespace.is_some() { "TriggerAuthentication" } else { "ClusterTriggerAuthentication" };
    let title = format!("{kind}: {}", props.name);
    let back = Some(Route::TriggerAuthentications);
    match load {
        Load::Loading => {
            html! { <SectionBox {title} {back}><LoadingPanel what={format!("the {kind}")} /></SectionBox> }
        }
        Load::Failed(error) => html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> },
        Load::Ready(answer) => html! {
            <div class="ai-detail" data-testid="triggerauthentication-detail">
                <SectionBox {title} {back}>{ gap_notes(&answer.gaps) }{ page(&answer.value) }</SectionBox>
                <EventsSection kind={kind} namespace={props.namespace.clone()} uid={AttrValue::from(answer.value.metadata.uid().to_owned())} />
            </div>
        },
    }
}
