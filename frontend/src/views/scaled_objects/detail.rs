//! One ScaledObject: its settings, triggers and conditions.

use super::{active_chip, paused_chip, ready_chip, target};
use crate::components::{Column, ErrorPanel, LoadingPanel, NameValue, SectionBox, Table};
use crate::data::{Data, Load, use_load};
use crate::route::Route;
use crate::views::time::{age, now};
use model::keda::{ScaledObject, Trigger};
use model::meta::Condition;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ScaledObjectDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace of the ScaledObject.
    pub namespace: AttrValue,
    /// Name of the ScaledObject.
    pub name: AttrValue,
}

static TRIGGER_COLUMNS: &[Column<Trigger>] = &[
    Column {
        label: "Type",
        cell: |t| html! { <span class="ai-nowrap">{ t.type_.clone() }</span> },
        sort: None,
        text: None,
    },
    Column {
        label: "Name",
        cell: |t| html! { t.name.clone().unwrap_or_else(|| "-".into()) },
        sort: None,
        text: None,
    },
    Column {
        label: "Metadata",
        cell: |t| {
            html! {
                <span class="ai-tags">
                    { for t.metadata.iter().map(|(k, v)| html! { <span class="ai-tag ai-tag-long">{ format!("{k}: {v}") }</span> }) }
                </span>
            }
        },
        sort: None,
        text: None,
    },
    Column {
        label: "Authentication",
        cell: |t| match &t.authentication_ref {
            Some(a) => {
                html! { format!("{} {}", a.kind.as_deref().unwrap_or("TriggerAuthentication"), a.name) }
            }
            None => html! { "-" },
        },
        sort: None,
        text: None,
    },
];

static CONDITION_COLUMNS: &[Column<Condition>] = &[
    Column { label: "Type", cell: |c| html! { c.type_.clone() }, sort: None, text: None },
    Column { label: "Status", cell: |c| html! { c.status.clone() }, sort: None, text: None },
    Column {
        label: "Reason",
        cell: |c| html! { c.reason.clone().unwrap_or_default() },
        sort: None,
        text: None,
    },
    Column {
        label: "Message",
        cell: |c| html! { c.message.clone().unwrap_or_default() },
        sort: None,
        text: None,
    },
    Column { label: "Last transition", cell: |c| age(c.last_transition_time, now()), sort: None, text: None },
];

fn trigger_key(t: &Trigger) -> String {
    format!("{}/{}", t.type_, t.name.as_deref().unwrap_or_default())
}

fn condition_key(c: &Condition) -> String {
    c.type_.clone()
}

fn settings(so: &ScaledObject) -> Html {
    let number = |v: i32| html! { v };
    let mut rows: Vec<(AttrValue, Html)> = vec![
        ("Namespace".into(), html! { so.metadata.ns().to_owned() }),
        ("Target".into(), html! { format!("{} ({})", target(so), so.spec.scale_target_ref.api_version()) }),
        ("Replicas".into(), html! { format!("min {} / max {}", so.min_replicas(), so.max_replicas()) }),
        ("Polling interval".into(), html! { format!("{}s", so.polling_interval()) }),
        ("Cooldown period".into(), html! { format!("{}s", so.cooldown_period()) }),
        ("Ready".into(), ready_chip(so)),
        ("Active".into(), active_chip(so)),
        ("Paused".into(), paused_chip(so)),
        ("HPA".into(), html! { so.hpa_name().unwrap_or("-").to_owned() }),
        ("Last active".into(), age(so.status.last_active_time, now())),
        ("Age".into(), age(so.metadata.creation_timestamp, now())),
    ];
    if let Some(idle) = so.spec.idle_replica_count {
        rows.push(("Idle replicas".into(), number(idle)));
    }
    html! { <NameValue {rows} /> }
}

/// The page of one ScaledObject.
#[function_component]
pub fn ScaledObjectDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load =
        use_load((data, props.namespace.clone(), props.name.clone()), |(data, namespace, name)| async move {
            data.scaled_object(&namespace, &name).await
        });
    let title = format!("ScaledObject: {}", props.name);
    let back = Some(Route::ScaledObjects);
    match load {
        Load::Loading => {
            html! { <SectionBox {title} {back}><LoadingPanel what="the ScaledObject" /></SectionBox> }
        }
        Load::Failed(error) => html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> },
        Load::Ready(so) => {
            let triggers: Rc<[Trigger]> = so.spec.triggers.clone().into();
            let conditions: Rc<[Condition]> = so.status.conditions.clone().into();
            html! {
                <>
                    <SectionBox {title} {back}>{ settings(&so) }</SectionBox>
                    <SectionBox title="Triggers" main={false}>
                        <Table<Trigger> rows={triggers} columns={TRIGGER_COLUMNS}
                            row_key={trigger_key as fn(&Trigger) -> String} label="Triggers" />
                    </SectionBox>
                    <SectionBox title="Conditions" main={false}>
                        <Table<Condition> rows={conditions} columns={CONDITION_COLUMNS}
                            row_key={condition_key as fn(&Condition) -> String} label="Conditions" />
                    </SectionBox>
                </>
            }
        }
    }
}
