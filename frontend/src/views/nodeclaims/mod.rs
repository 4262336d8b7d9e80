//! Karpenter NodeClaims: the list (phase, instance and capacity type, zone, node, NodePool,
//! drift) and the page of one (Launched → Registered → Initialized with times, node link,
//! disruption state, requirements, conditions, and the events of this claim only).

pub mod detail;
pub mod list;

use crate::components::{Chip, Link, Tone};
use crate::route::Route;
use model::nodeclaim::NodeClaimPhase;
use yew::prelude::*;

/// The phase as a word and a colour.
pub fn phase_chip(phase: NodeClaimPhase) -> Html {
    let (label, tone) = match phase {
        NodeClaimPhase::Launching => ("Launching", Tone::Info),
        NodeClaimPhase::Registering => ("Registering", Tone::Info),
        NodeClaimPhase::Initializing => ("Initializing", Tone::Info),
        NodeClaimPhase::Ready => ("Ready", Tone::Success),
        NodeClaimPhase::Failed => ("Failed", Tone::Error),
        NodeClaimPhase::Deleting => ("Deleting", Tone::Warning),
    };
    html! { <Chip {label} {tone} /> }
}

/// Sort order of phases: problems first, then in-flight, then ready.
pub fn phase_rank(phase: NodeClaimPhase) -> u8 {
    match phase {
        NodeClaimPhase::Failed => 0,
        NodeClaimPhase::Deleting => 1,
        NodeClaimPhase::Launching => 2,
        NodeClaimPhase::Registering => 3,
        NodeClaimPhase::Initializing => 4,
        NodeClaimPhase::Ready => 5,
    }
}

/// A link to the NodeClaim page.
pub fn claim_link(name: &str) -> Html {
    html! { <Link route={Route::NodeClaim { name: name.to_owned() }}>{ name.to_owned() }</Link> }
}

/// A link to Headlamp's own Node page.
pub fn node_link(name: &str) -> Html {
    match Route::headlamp("Node", None, name) {
        Some(route) => html! { <Link {route}>{ name.to_owned() }</Link> },
        None => html! { name.to_owned() },
    }
}

/// A link to the NodePool page.
pub fn pool_link(name: &str) -> Html {
    html! { <Link route={Route::NodePool { name: name.to_owned() }}>{ name.to_owned() }</Link> }
}

/// `spot` / `on-demand` / `reserved` as a chip (spot can be interrupted).
pub fn capacity_chip(capacity: Option<&str>) -> Html {
    match capacity {
        Some(c) => {
            let tone = if c == "spot" { Tone::Warning } else { Tone::Neutral };
            html! { <Chip label={c.to_owned()} {tone} /> }
        }
        None => html! { <span class="ai-dim">{ "-" }</span> },
    }
}
