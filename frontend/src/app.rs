//! The root component: provides the data layer and the router to the view of the current route.

use crate::data::Data;
use crate::route::{Navigator, Route, UnknownRoute};
use crate::views;
use std::rc::Rc;
use yew::prelude::*;

/// The stylesheet; colours come only from the `--ai-*` variables the plugin entry sets from
/// Headlamp's theme.
pub const STYLE: &str = include_str!("style.css");

/// What the user has narrowed Headlamp to; views show only this.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// Headlamp's namespace filter (empty: all namespaces).
    pub namespaces: Rc<[String]>,
    /// The URL query (`?state=erroring` from an overview link pre-filters a list).
    pub query: Rc<std::collections::BTreeMap<String, String>>,
}

impl Scope {
    /// One query parameter, if given and not empty.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }
}

/// Props of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The route Headlamp matched.
    pub route: Result<Route, UnknownRoute>,
    /// Where the data comes from.
    pub data: Data,
    /// Links and navigation.
    pub navigator: Navigator,
    /// Headlamp's namespace filter.
    pub scope: Scope,
}

/// The mounted view. The `<style>` lives inside the root so unmounting leaves nothing behind.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    html! {
        <ContextProvider<Data> context={props.data.clone()}>
            <ContextProvider<Navigator> context={props.navigator.clone()}>
                <ContextProvider<Scope> context={props.scope.clone()}>
                    <div class="ai-root">
                        <style>{ STYLE }</style>
                        { views::view(&props.route) }
                    </div>
                </ContextProvider<Scope>>
            </ContextProvider<Navigator>>
        </ContextProvider<Data>>
    }
}
