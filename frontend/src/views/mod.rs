//! One folder per view; each has a `list` and a `detail`. Views read from [`crate::data::Data`]
//! and render; they never fetch by themselves or join objects.

pub mod scaled_objects;
mod time;

use crate::components::ErrorPanel;
use crate::data::DataError;
use crate::route::{Route, UnknownRoute};
use yew::prelude::*;

/// The view of a route.
pub fn view(route: &Result<Route, UnknownRoute>) -> Html {
    match route {
        Ok(Route::ScaledObjects) => html! { <scaled_objects::list::ScaledObjectList /> },
        Ok(Route::ScaledObject { namespace, name }) => html! {
            <scaled_objects::detail::ScaledObjectDetail namespace={namespace.clone()} name={name.clone()} />
        },
        Err(UnknownRoute(name)) => {
            let error =
                DataError::Bridge { message: format!("this version of the plugin has no view `{name}`") };
            html! { <ErrorPanel {error} /> }
        }
    }
}
