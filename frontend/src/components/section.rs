//! Section boxes and name/value lists, laid out like Headlamp's `SectionBox` and `NameValueTable`.

use crate::route::Route;
use yew::prelude::*;

use super::link::Link;

/// Props of [`SectionBox`].
#[derive(Properties, PartialEq)]
pub struct SectionProps {
    /// Heading.
    pub title: AttrValue,
    /// A page's title (`h1`, Headlamp's "main" header) or a section inside a page (`h2`).
    #[prop_or(true)]
    pub main: bool,
    /// Controls on the right of the heading (filter box, actions).
    #[prop_or_default]
    pub actions: Html,
    /// A "back" link above the heading.
    #[prop_or_default]
    pub back: Option<Route>,
    /// The section's content.
    #[prop_or_default]
    pub children: Html,
}

/// A titled section.
#[function_component]
pub fn SectionBox(props: &SectionProps) -> Html {
    html! {
        <section class="ai-section">
            if let Some(back) = &props.back {
                <div class="ai-back"><Link route={back.clone()}>{ "‹ Back" }</Link></div>
            }
            <div class="ai-section-header">
                if props.main {
                    <h1 class="ai-section-title">{ props.title.clone() }</h1>
                } else {
                    <h2 class="ai-section-title">{ props.title.clone() }</h2>
                }
                <div class="ai-section-actions">
                    { props.actions.clone() }
                    // Every page title says where its data comes from.
                    if props.main { <super::source::SourceIndicator /> }
                </div>
            </div>
            <div class="ai-section-body">{ props.children.clone() }</div>
        </section>
    }
}

/// Props of [`NameValue`].
#[derive(Properties, PartialEq)]
pub struct NameValueProps {
    /// Rows of (name, value).
    pub rows: Vec<(AttrValue, Html)>,
}

/// A two-column list of properties (Headlamp's details pages).
#[function_component]
pub fn NameValue(props: &NameValueProps) -> Html {
    html! {
        <dl class="ai-name-value">
            { for props.rows.iter().map(|(name, value)| html! {
                <>
                    <dt>{ name.clone() }</dt>
                    <dd>{ value.clone() }</dd>
                </>
            }) }
        </dl>
    }
}

/// Props of [`SearchBox`].
#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// Current text.
    pub value: AttrValue,
    /// Called with the new text on every keystroke.
    pub on_change: Callback<String>,
    /// Placeholder and accessible name.
    #[prop_or(AttrValue::Static("Filter"))]
    pub label: AttrValue,
}

/// A text filter box (MUI "standard" text field look).
#[function_component]
pub fn SearchBox(props: &SearchProps) -> Html {
    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                on_change.emit(input.value());
            }
        })
    };
    html! {
        <input class="ai-search" type="search" value={props.value.clone()} {oninput}
            placeholder={props.label.clone()} aria-label={props.label.clone()} />
    }
}
