//! Every condition of an object (not only Ready), as Headlamp's Conditions section shows them.

use super::chip::{Chip, Tone};
use super::table::{Column, Table};
use crate::views::time::{age, now};
use model::meta::Condition;
use std::rc::Rc;
use yew::prelude::*;

/// The chip of a condition's status. Most condition types are good when True; the ones listed
/// in `bad_when_true` (Drifted, Consolidatable, ...) are shown as warnings instead.
pub fn status_chip(c: &Condition, bad_when_true: &[&str]) -> Html {
    let inverted = bad_when_true.contains(&c.type_.as_str());
    let tone = match (c.status.as_str(), inverted) {
        ("True", false) => Tone::Success,
        ("True", true) => Tone::Warning,
        ("False", false) if NORMAL_WHEN_FALSE.contains(&c.type_.as_str()) => Tone::Neutral,
        ("False", false) => Tone::Error,
        ("False", true) => Tone::Neutral,
        _ => Tone::Neutral,
    };
    let title = c.message.clone().or_else(|| c.reason.clone()).map(AttrValue::from);
    html! { <Chip label={c.status.clone()} {tone} {title} /> }
}

/// Condition types that are a concern when True: Karpenter's disruption conditions, KEDA's
/// fallback and pause, an HPA held at its min or max.
pub const KARPENTER_CONCERNS: &[&str] = &[
    "Drifted",
    "Consolidatable",
    "DisruptionReason",
    "InstanceTerminating",
    "Fallback",
    "Paused",
    "ScalingLimited",
];

/// Condition types whose False is an ordinary state, shown neutral rather than as an error: an
/// idle scaler (`Active`), an HPA not scaled to zero or not scaling while the target is at zero.
pub const NORMAL_WHEN_FALSE: &[&str] = &["Active", "ScaledToZero", "HPAActive"];

static COLUMNS: &[Column<Condition>] = &[
    Column {
        label: "Type",
        cell: |c| html! { c.type_.clone() },
        sort: Some(|a, b| a.type_.cmp(&b.type_)),
        text: Some(|c| c.type_.clone()),
    },
    Column { label: "Status", cell: |c| status_chip(c, KARPENTER_CONCERNS), sort: None, text: None },
    Column {
        label: "Reason",
        cell: |c| html! { c.reason.clone().unwrap_or_default() },
        sort: None,
        text: Some(|c| c.reason.clone().unwrap_or_default()),
    },
    Column {
        label: "Message",
        cell: |c| html! { <span class="ai-wrap">{ c.message.clone().unwrap_or_default() }</span> },
        sort: None,
        text: Some(|c| c.message.clone().unwrap_or_default()),
    },
    Column {
        label: "Last transition",
        cell: |c| age(c.last_transition_time, now()),
        sort: Some(|a, b| b.last_transition_time.cmp(&a.last_transition_time)),
        text: None,
    },
];

fn key(c: &Condition) -> String {
    c.type_.clone()
}

/// Props of [`ConditionsTable`].
#[derive(Properties, PartialEq)]
pub struct ConditionsProps {
    /// Conditions as written (all of them).
    pub conditions: Rc<[Condition]>,
}

/// All conditions with status, reason, message and when they last changed.
#[function_component]
pub fn ConditionsTable(props: &ConditionsProps) -> Html {
    if props.conditions.is_empty() {
        return html! { <div class="ai-dim ai-empty-line">{ "No conditions reported yet." }</div> };
    }
    html! {
        <Table<Condition> rows={props.conditions.clone()} columns={COLUMNS}
            row_key={key as fn(&Condition) -> String} label="Conditions" />
    }
}
