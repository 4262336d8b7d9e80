//! One CloudEventSource or ClusterCloudEventSource: destination, authentication, the event
//! types it sends or filters out, conditions and events.

use super::SourceRow;
use crate::components::conditions::ConditionsTable;
use crate::components::{ErrorPanel, Link, LoadingPanel, NameValue, SectionBox};
use crate::data::{Data, DataError, Load, use_live};
use crate::route::Route;
use crate::views::scaled_objects::sections::EventsSection;
use crate::views::time::{age, now};
use model::keda::{CloudEventSource, ClusterCloudEventSource};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`CloudEventSourceDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace (`None`: a ClusterCloudEventSource).
    pub namespace: Option<AttrValue>,
    /// Name.
    pub name: AttrValue,
}

fn list_or_all(v: &[String], none: &'static str) -> Html {
    if v.is_empty() {
        return html! { <span class="ai-dim">{ none }</span> };
    }
    html! { <span class="ai-tags">{ for v.iter().map(|t| html! { <span class="ai-tag">{ t.clone() }</span> }) }</span> }
}

fn page(c: &SourceRow) -> Html {
    let mut rows: Vec<(AttrValue, Html)> = vec![("Kind".into(), html! { c.kind })];
    if !c.cluster() {
        rows.push(("Namespace".into(), html! { c.metadata.ns().to_owned() }));
    }
    rows.push(("Destination".into(), html! { <span class="ai-wrap">{ c.destination() }</span> }));
    if let Some(n) = &c.spec.cluster_name {
        rows.push(("Cluster name in events".into(), html! { n.clone() }));
    }
    let auth = match c.authentication() {
        Some(a) => {
            let cluster = a.kind.as_deref() == Some("ClusterTriggerAuthentication");
            let route = if cluster {
                Route::ClusterTriggerAuthentication { name: a.name.clone() }
            } else {
                Route::TriggerAuthentication { namespace: c.metadata.ns().to_owned(), name: a.name.clone() }
            };
            html! { <Link {route}>{ format!("{} {}", a.kind.as_deref().unwrap_or("TriggerAuthentication"), a.name) }</Link> }
        }
        None => html! { <span class="ai-dim">{ "none" }</span> },
    };
    rows.push(("Authentication".into(), auth));
    let sub = c.spec.event_subscription.clone().unwrap_or_default();
    rows.push(("Included event types".into(), list_or_all(&sub.included_event_types, "all")));
    rows.push(("Excluded event types".into(), list_or_all(&sub.excluded_event_types, "none")));
    rows.push(("Age".into(), age(c.metadata.creation_timestamp, now())));
    html! { <NameValue {rows} /> }
}

/// The page of one (Cluster)CloudEventSource.
#[function_component]
pub fn CloudEventSourceDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live((data, props.namespace.clone(), props.name.clone()), |(data, ns, name)| async move {
        match ns {
            Some(ns) => {
                Ok::<_, DataError>(SourceRow::from(&data.object::<CloudEventSource>(&ns, &name).await?))
            }
            None => Ok(SourceRow::from(&data.object::<ClusterCloudEventSource>("", &name).await?)),
        }
    });
    let kind = if props.namespace.is_some() { "CloudEventSource" } else { "ClusterCloudEventSource" };
    let title = format!("{kind}: {}", props.name);
    let back = Some(Route::CloudEventSources);
    match load {
        Load::Loading => {
            html! { <SectionBox {title} {back}><LoadingPanel what={format!("the {kind}")} /></SectionBox> }
        }
        Load::Failed(error) => html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> },
        Load::Ready(c) => html! {
            <div class="ai-detail" data-testid="cloudeventsource-detail">
                <SectionBox {title} {back}>{ page(&c) }</SectionBox>
                <SectionBox title="Conditions" main={false}>
                    <ConditionsTable conditions={Rc::<[_]>::from(c.conditions.clone())} />
                </SectionBox>
                <EventsSection kind={kind} namespace={props.namespace.clone()} uid={AttrValue::from(c.metadata.uid().to_owned())} />
            </div>
        },
    }
}
