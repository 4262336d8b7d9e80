//! The root component: provides the data layer and the router to the view of the current route.

use crate::data::Data;
use crate::route::{Navigator, Route, UnknownRoute};
use crate::views;
use yew::prelude::*;

/// The stylesheet; colours come only from the `--ai-*` variables the plugin entry sets from
/// Headlamp's theme.
pub const STYLE: &str = include_str!("style.css");

/// Props of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The route Headlamp matched.
    pub route: Result<Route, UnknownRoute>,
    /// Where the data comes from.
    pub data: Data,
    /// Links and navigation.
    pub navigator: Navigator,
}

/// The mounted view. The `<style>` lives inside the root so unmounting leaves nothing behind.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    html! {
        <ContextProvider<Data> context={props.data.clone()}>
            <ContextProvider<Navigator> context={props.navigator.clone()}>
                <div class="ai-root">
                    <style>{ STYLE }</style>
                    { views::view(&props.route) }
                </div>
            </ContextProvider<Navigator>>
        </ContextProvider<Data>>
    }
}
