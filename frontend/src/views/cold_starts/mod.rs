//! Cold-start timelines: per activation of a ScaledObject, every step from
//! `KEDAScaleTargetActivated` to the first new pod Ready, how long each took, the slowest marked.

pub mod detail;
pub mod list;

use crate::components::steps::Step;
use model::cold_start::Timeline;
use std::rc::Rc;

/// A step's name in words.
pub fn step_label(name: &str) -> String {
    match name {
        "Activated" => "KEDA activated the target",
        "PodCreated" => "Pod created",
        "FailedScheduling" => "No node fits (FailedScheduling)",
        "Nominated" => "Karpenter nominated a node",
        "Launched" => "NodeClaim launched",
        "Registered" => "Node registered",
        "Initialized" => "Node initialized",
        "PodScheduled" => "Pod scheduled",
        "PodReady" => "Pod ready",
        other => other,
    }
    .to_owned()
}

/// The timeline's steps for the waterfall, the slowest as the model found it.
pub fn steps(t: &Timeline) -> Rc<[Step]> {
    t.steps
        .iter()
        .map(|s| Step {
            label: step_label(&s.name),
            at: s.at,
            after_seconds: s.after_seconds,
            detail: s.detail.clone(),
            slowest: t.slowest_step.as_deref() == Some(s.name.as_str()),
            failed: s.name == "FailedScheduling",
        })
        .collect()
}
