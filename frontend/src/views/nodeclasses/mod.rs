//! NodeClasses of every provider — EC2NodeClass (AWS), NodeClass (EKS Auto Mode), AKSNodeClass
//! (Azure), KWOKNodeClass — and any other kind a NodePool refers to, shown generically.

pub mod detail;
pub mod list;

use crate::components::Link;
use crate::route::Route;
use model::nodeclass::AnyNodeClass;
use yew::prelude::*;

/// The route of a NodeClass page.
pub fn route_of(c: &AnyNodeClass) -> Route {
    Route::NodeClass { group: c.group().to_owned(), kind: c.kind().to_owned(), name: c.meta().name.clone() }
}

/// A link to a NodeClass page.
pub fn link(c: &AnyNodeClass) -> Html {
    html! { <Link route={route_of(c)}>{ c.meta().name.clone() }</Link> }
}
