//! Scheduling constraints of a NodePool template or a NodeClaim: requirements (key, operator,
//! values, minValues) and taints (key, value, effect).

use super::table::{Column, Table};
use model::k8s::Taint;
use model::karpenter::Requirement;
use std::rc::Rc;
use yew::prelude::*;

fn values(r: &Requirement) -> Html {
    if r.values.is_empty() {
        return html! { <span class="ai-dim">{ "-" }</span> };
    }
    html! {
        <span class="ai-tags">
            { for r.values.iter().map(|v| html! { <span class="ai-tag ai-tag-long">{ v.clone() }</span> }) }
        </span>
    }
}

static REQUIREMENT_COLUMNS: &[Column<Requirement>] = &[
    Column {
        label: "Key",
        cell: |r| html! { <span class="ai-mono">{ r.key.clone() }</span> },
        sort: Some(|a, b| a.key.cmp(&b.key)),
        text: Some(|r| r.key.clone()),
    },
    Column { label: "Operator", cell: |r| html! { r.operator.clone() }, sort: None, text: None },
    Column { label: "Values", cell: values, sort: None, text: Some(|r| r.values.join(" ")) },
    Column {
        label: "Min values",
        cell: |r| {
            r.min_values.map(|m| html! { m }).unwrap_or_else(|| html! { <span class="ai-dim">{ "-" }</span> })
        },
        sort: None,
        text: None,
    },
];

static TAINT_COLUMNS: &[Column<Taint>] = &[
    Column {
        label: "Key",
        cell: |t| html! { <span class="ai-mono">{ t.key.clone() }</span> },
        sort: None,
        text: None,
    },
    Column {
        label: "Value",
        cell: |t| html! { t.value.clone().unwrap_or_default() },
        sort: None,
        text: None,
    },
    Column { label: "Effect", cell: |t| html! { t.effect.clone() }, sort: None, text: None },
];

/// Props of [`RequirementsTable`].
#[derive(Properties, PartialEq)]
pub struct RequirementsProps {
    /// The requirements.
    pub requirements: Rc<[Requirement]>,
}

/// Requirements, or a line saying there are none (any instance type the NodeClass offers).
#[function_component]
pub fn RequirementsTable(props: &RequirementsProps) -> Html {
    if props.requirements.is_empty() {
        return html! { <div class="ai-dim ai-empty-line">{ "No requirements: any instance type the NodeClass offers." }</div> };
    }
    html! {
        <Table<Requirement> rows={props.requirements.clone()} columns={REQUIREMENT_COLUMNS}
            row_key={(|r: &Requirement| format!("{}{}", r.key, r.operator)) as fn(&Requirement) -> String} label="Requirements" />
    }
}

/// Props of [`TaintsTable`].
#[derive(Properties, PartialEq)]
pub struct TaintsProps {
    /// The taints.
    pub taints: Rc<[Taint]>,
    /// Accessible name ("Taints", "Startup taints").
    pub label: AttrValue,
}

/// Taints, or a line saying there are none.
#[function_component]
pub fn TaintsTable(props: &TaintsProps) -> Html {
    if props.taints.is_empty() {
        return html! { <div class="ai-dim ai-empty-line">{ format!("No {}.", props.label.to_lowercase()) }</div> };
    }
    html! {
        <Table<Taint> rows={props.taints.clone()} columns={TAINT_COLUMNS}
            row_key={(|t: &Taint| format!("{}:{}", t.key, t.effect)) as fn(&Taint) -> String} label={props.label.clone()} />
    }
}
