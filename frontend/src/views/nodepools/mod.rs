//! Karpenter NodePools: the list (usage vs limits per resource, nodes, weight, consolidation,
//! cost) and the page of one (limits, budgets, template, conditions, members).

pub mod detail;
pub mod list;

use crate::components::{Chip, Link, Tone};
use crate::route::Route;
use model::nodepool::{NodeClassLink, NodePoolView};
use model::usage::ResourceUsage;
use yew::prelude::*;

/// `Ready` / `Not ready` / `Unknown` from a Ready condition.
pub fn ready_chip(ready: Option<bool>) -> Html {
    match ready {
        Some(true) => html! { <Chip label="Ready" tone={Tone::Success} /> },
        Some(false) => html! { <Chip label="Not ready" tone={Tone::Error} /> },
        None => html! { <Chip label="Unknown" tone={Tone::Neutral} /> },
    }
}

/// A link to the NodeClass page, or the reference with a warning when it does not exist.
pub fn node_class_link(link: &NodeClassLink) -> Html {
    let text = link.name.clone();
    if !link.found {
        return html! {
            <span class="ai-nowrap">
                { text }{ " " }
                <Chip label="missing" tone={Tone::Error}
                    title={Some(AttrValue::from(format!("No {} named {} exists", if link.kind.is_empty() { "NodeClass" } else { &link.kind }, link.name)))} />
            </span>
        };
    }
    let route =
        Route::NodeClass { group: link.group.clone(), kind: link.kind.clone(), name: link.name.clone() };
    let title = format!("{} ({})", link.kind, link.provider.as_deref().unwrap_or(&link.group));
    html! { <span title={title}><Link {route}>{ text }</Link></span> }
}

/// The row of `resource`, or an empty one (0 used, no limit).
pub fn usage_of(view: &NodePoolView, resource: &str) -> ResourceUsage {
    view.resources
        .iter()
        .find(|r| r.name == resource)
        .cloned()
        .unwrap_or_else(|| ResourceUsage::new(resource, Default::default(), None))
}

/// `WhenEmptyOrUnderutilized after 30s`.
pub fn consolidation(view: &NodePoolView) -> String {
    match (&view.consolidation_policy, &view.consolidate_after) {
        (Some(p), Some(a)) => format!("{p} after {a}"),
        (Some(p), None) => p.clone(),
        (None, Some(a)) => format!("after {a}"),
        (None, None) => "-".to_owned(),
    }
}
