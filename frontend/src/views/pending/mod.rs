//! Pending pods, grouped by the ScaledObject and workload they belong to, with the reason parsed
//! from scheduler and Karpenter events; and blocked scale-outs: a scaler wants N replicas, M run,
//! and why the rest cannot (NodePool limit, insufficient capacity, no compatible instance type,
//! NodeClaim still launching).

pub mod list;

use crate::components::{Chip, Link, Tone};
use crate::route::Route;
use model::meta::ObjectRef;
use model::pending::PendingCause;
use yew::prelude::*;

/// What a cause means, in words.
pub fn cause_text(cause: PendingCause) -> &'static str {
    match cause {
        PendingCause::NodePoolLimit => "NodePool limit reached",
        PendingCause::InsufficientCapacity => "Insufficient capacity",
        PendingCause::NoCompatibleInstanceTypes => "No compatible instance type",
        PendingCause::NodeClassNotReady => "NodeClass not ready",
        PendingCause::IncompatibleNodePools => "No NodePool accepts the pod",
        PendingCause::NodeClaimLaunching => "NodeClaim launching",
        PendingCause::NodeNominated => "Nominated to a node",
        PendingCause::Unschedulable => "Unschedulable",
        PendingCause::Starting => "Starting",
        PendingCause::Waiting => "Waiting for the scheduler",
    }
}

/// The cause as a chip: blocking causes in the error colour, progress in the info colour.
pub fn cause_chip(cause: PendingCause) -> Html {
    let tone = if cause.is_blocking() {
        Tone::Error
    } else if cause == PendingCause::Waiting {
        Tone::Neutral
    } else {
        Tone::Info
    };
    html! { <Chip label={cause_text(cause)} {tone} /> }
}

/// A link to an object: our ScaledObject page, Headlamp's page of a built-in kind, or its name.
pub fn object_link(r: &ObjectRef) -> Html {
    let text = format!("{}/{}", r.kind, r.name);
    let route = match r.kind.as_str() {
        "ScaledObject" => Some(Route::ScaledObject { namespace: r.namespace.clone(), name: r.name.clone() }),
        kind => Route::headlamp(kind, Some(&r.namespace), &r.name),
    };
    match route {
        Some(route) => html! { <Link {route}>{ text }</Link> },
        None => html! { text },
    }
}
