//! Links to other views: a real `href` (middle-click, copy link) and in-app navigation on click.

use crate::route::{Navigator, Route};
use yew::prelude::*;

/// Props of [`Link`].
#[derive(Properties, PartialEq)]
pub struct LinkProps {
    /// Where the link goes.
    pub route: Route,
    /// The link text.
    #[prop_or_default]
    pub children: Html,
}

/// A link to a view of this plugin, through Headlamp's router.
#[function_component]
pub fn Link(props: &LinkProps) -> Html {
    let nav = use_context::<Navigator>();
    let href = nav.as_ref().map(|n| n.href(&props.route)).unwrap_or_default();
    let onclick = {
        let route = props.route.clone();
        Callback::from(move |e: MouseEvent| {
            // Let the browser handle modified clicks (new tab, new window).
            if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
                return;
            }
            if let Some(nav) = &nav {
                e.prevent_default();
                nav.go(&route);
            }
        })
    };
    html! { <a class="ai-link" {href} {onclick}>{ props.children.clone() }</a> }
}
