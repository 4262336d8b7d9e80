//! KEDA ScaledObjects: the list of all of them and the page of one.

pub mod detail;
pub mod list;

use crate::components::{Chip, Tone};
use model::keda::ScaledObject;
use yew::prelude::*;

/// `Deployment/web`: the scale target (any `/scale` resource; KEDA's defaults when kind is omitted).
/// From the spec: `status.scaleTargetKind` is `apps/v1.Deployment`, a different format.
pub fn target(so: &ScaledObject) -> String {
    let t = &so.spec.scale_target_ref;
    format!("{}/{}", t.kind(), t.name)
}

/// The scaler types of its triggers, in order, without repeats.
pub fn trigger_types(so: &ScaledObject) -> Vec<&str> {
    let mut types: Vec<&str> = Vec::new();
    for t in &so.spec.triggers {
        if !types.contains(&t.type_.as_str()) {
            types.push(&t.type_);
        }
    }
    types
}

/// A chip for a condition: `yes` when True, `no` when False, "Unknown" otherwise.
fn condition_chip(
    so: &ScaledObject,
    type_: &str,
    yes: (&'static str, Tone),
    no: (&'static str, Tone),
) -> Html {
    let condition = model::meta::condition(&so.status.conditions, type_);
    let message = condition.and_then(|c| c.message.clone().or_else(|| c.reason.clone())).map(AttrValue::from);
    let (label, tone) = match so.condition(type_) {
        Some(true) => yes,
        Some(false) => no,
        None => ("Unknown", Tone::Neutral),
    };
    html! { <Chip label={label} {tone} title={message} /> }
}

/// `Ready` condition.
pub fn ready_chip(so: &ScaledObject) -> Html {
    condition_chip(so, "Ready", ("Ready", Tone::Success), ("Not ready", Tone::Error))
}

/// `Active` condition (some trigger is above its activation threshold).
pub fn active_chip(so: &ScaledObject) -> Html {
    condition_chip(so, "Active", ("Active", Tone::Success), ("Idle", Tone::Neutral))
}

/// `Paused` condition.
pub fn paused_chip(so: &ScaledObject) -> Html {
    match so.condition("Paused") {
        Some(true) => condition_chip(so, "Paused", ("Paused", Tone::Warning), ("No", Tone::Neutral)),
        _ => html! { <span class="ai-dim">{ "No" }</span> },
    }
}
