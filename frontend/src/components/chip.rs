//! Status chips: a short word with a colour from the theme's status palette.

use yew::prelude::*;

/// Which theme colour a chip or bar takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Healthy / true.
    Success,
    /// Needs attention (paused, fallback).
    Warning,
    /// Failing.
    Error,
    /// Informational (active).
    Info,
    /// Unknown / false / not applicable.
    Neutral,
}

impl Tone {
    /// The CSS class carrying this tone.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Success => "ai-tone-success",
            Tone::Warning => "ai-tone-warning",
            Tone::Error => "ai-tone-error",
            Tone::Info => "ai-tone-info",
            Tone::Neutral => "ai-tone-neutral",
        }
    }
}

/// Props of [`Chip`].
#[derive(Properties, PartialEq)]
pub struct ChipProps {
    /// The text.
    pub label: AttrValue,
    /// The colour.
    pub tone: Tone,
    /// Tooltip, e.g. a condition's message.
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

/// A small outlined label.
#[function_component]
pub fn Chip(props: &ChipProps) -> Html {
    html! {
        <span class={classes!("ai-chip", props.tone.class())} title={props.title.clone()}>{ props.label.clone() }</span>
    }
}
