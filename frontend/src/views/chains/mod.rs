//! The scaling chain per ScaledObject: ScaledObject → workload → pods → (Pending? why) →
//! NodeClaim → Node → NodePool → NodeClass, as one readable view; and the list of all chains.

pub mod detail;
pub mod list;

use crate::components::{Chip, Tone};
use model::scaler::ScalerState;
use yew::prelude::*;

/// The scaler's state as a chip.
pub fn state_chip(state: ScalerState) -> Html {
    let (label, tone) = match state {
        ScalerState::Active => ("Active", Tone::Success),
        ScalerState::AtZero => ("At zero", Tone::Neutral),
        ScalerState::Idle => ("Idle", Tone::Neutral),
        ScalerState::Paused => ("Paused", Tone::Warning),
        ScalerState::Fallback => ("Fallback", Tone::Warning),
        ScalerState::Error => ("Error", Tone::Error),
        ScalerState::Unknown => ("Unknown", Tone::Neutral),
    };
    html! { <Chip {label} {tone} /> }
}

/// Sort order of states: problems first.
pub fn state_rank(state: ScalerState) -> u8 {
    match state {
        ScalerState::Error => 0,
        ScalerState::Fallback => 1,
        ScalerState::Paused => 2,
        ScalerState::Active => 3,
        ScalerState::Idle => 4,
        ScalerState::AtZero => 5,
        ScalerState::Unknown => 6,
    }
}
