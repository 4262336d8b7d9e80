//! Loading, empty and error panels: every view says what it is waiting for, what is missing and why.

use crate::data::DataError;
use yew::prelude::*;

/// Props of [`LoadingPanel`].
#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    /// What is being loaded, e.g. "ScaledObjects".
    pub what: AttrValue,
}

/// Shown while a request is in flight.
#[function_component]
pub fn LoadingPanel(props: &LoadingProps) -> Html {
    html! {
        <div class="ai-panel ai-panel-loading" role="status" aria-live="polite">
            <span class="ai-spinner" aria-hidden="true"></span>
            <span>{ format!("Loading {}…", props.what) }</span>
        </div>
    }
}

/// Props of [`ErrorPanel`].
#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    /// The failure to explain.
    pub error: DataError,
}

/// Says what failed and why (403 "no permission" is not 404 "not installed").
#[function_component]
pub fn ErrorPanel(props: &ErrorProps) -> Html {
    let kind = match props.error {
        DataError::NoPermission { .. } => "forbidden",
        DataError::NotInstalled { .. } => "not-installed",
        DataError::NotFound { .. } => "not-found",
        _ => "failed",
    };
    html! {
        <div class={classes!("ai-panel", "ai-panel-error")} role="alert" data-error={kind}>
            <div class="ai-panel-title">{ props.error.title() }</div>
            <div class="ai-panel-text">{ props.error.explanation() }</div>
        </div>
    }
}

/// Props of [`EmptyPanel`].
#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    /// Headline, e.g. "No ScaledObjects".
    pub title: AttrValue,
    /// What it means or what to install.
    #[prop_or_default]
    pub children: Html,
}

/// Shown when a list is empty: says what would appear here and how to get it.
#[function_component]
pub fn EmptyPanel(props: &EmptyProps) -> Html {
    html! {
        <div class="ai-panel ai-panel-empty">
            <div class="ai-panel-title">{ props.title.clone() }</div>
            <div class="ai-panel-text">{ props.children.clone() }</div>
        </div>
    }
}
