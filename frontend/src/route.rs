//! Every view has a URL. `js/routes.json` is the table Headlamp registers (the plugin entry reads
//! it before the wasm loads); [`Route`] is the same table as a Rust type, and a test keeps the two
//! equal.

use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// A view of the plugin and its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// All ScaledObjects the user may list.
    ScaledObjects,
    /// One ScaledObject.
    ScaledObject {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
}

/// A route the host asked for that this build does not know (a newer entry, an older wasm).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRoute(pub String);

impl Route {
    /// Route names, in the order of `js/routes.json`.
    pub const NAMES: &'static [&'static str] = &["autoscaling-scaledobjects", "autoscaling-scaledobject"];

    /// The route's name as registered with Headlamp (`registerRoute({name})`).
    pub fn name(&self) -> &'static str {
        match self {
            Route::ScaledObjects => Self::NAMES[0],
            Route::ScaledObject { .. } => Self::NAMES[1],
        }
    }

    /// The URL parameters Headlamp fills into the route's path.
    pub fn params(&self) -> BTreeMap<&'static str, String> {
        match self {
            Route::ScaledObjects => BTreeMap::new(),
            Route::ScaledObject { namespace, name } => {
                BTreeMap::from([("namespace", namespace.clone()), ("name", name.clone())])
            }
        }
    }

    /// Builds a route from its registered name and the URL parameters React Router matched.
    pub fn from_name(name: &str, params: &BTreeMap<String, String>) -> Result<Self, UnknownRoute> {
        let param = |key: &str| params.get(key).cloned().unwrap_or_default();
        match name {
            "autoscaling-scaledobjects" => Ok(Route::ScaledObjects),
            "autoscaling-scaledobject" => {
                Ok(Route::ScaledObject { namespace: param("namespace"), name: param("name") })
            }
            other => Err(UnknownRoute(other.to_owned())),
        }
    }
}

/// Turns routes into links and navigates, through the host's router (Headlamp's React Router:
/// a hash URL on desktop, the base URL on the web). Equal when it is the same host.
#[derive(Clone)]
pub struct Navigator {
    href: Rc<js_sys::Function>,
    navigate: Rc<js_sys::Function>,
    cluster: Rc<str>,
}

impl PartialEq for Navigator {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.href, &other.href)
            && Rc::ptr_eq(&self.navigate, &other.navigate)
            && self.cluster == other.cluster
    }
}

impl Navigator {
    /// Wraps the host's `href(json)` and `navigate(json)` for routes of `cluster`.
    pub fn new(href: js_sys::Function, navigate: js_sys::Function, cluster: &str) -> Self {
        Navigator { href: Rc::new(href), navigate: Rc::new(navigate), cluster: cluster.into() }
    }

    /// The same host for another cluster.
    pub fn for_cluster(&self, cluster: &str) -> Self {
        Navigator { cluster: cluster.into(), ..self.clone() }
    }

    fn target(&self, route: &Route) -> JsValue {
        let mut params: BTreeMap<&str, String> = route.params();
        params.insert("cluster", self.cluster.to_string());
        let json = serde_json::json!({ "route": route.name(), "params": params });
        JsValue::from_str(&json.to_string())
    }

    /// The URL of `route`, for `<a href>` (so middle-click and "copy link" work).
    pub fn href(&self, route: &Route) -> String {
        self.href
            .call1(&JsValue::NULL, &self.target(route))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// Goes to `route` inside Headlamp without reloading the page.
    pub fn go(&self, route: &Route) {
        // A failing router call leaves the user on the current page, which is all we could do anyway.
        let _ = self.navigate.call1(&JsValue::NULL, &self.target(route));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Entry {
        name: String,
        params: Vec<String>,
    }

    fn table() -> Vec<Entry> {
        serde_json::from_str(include_str!("../js/routes.json")).expect("js/routes.json is valid")
    }

    #[test]
    fn route_table_and_enum_agree() {
        let names: Vec<String> = table().into_iter().map(|e| e.name).collect();
        assert_eq!(names, Route::NAMES);
    }

    #[test]
    fn every_route_round_trips_through_its_name_and_params() {
        for entry in table() {
            let params: BTreeMap<String, String> =
                entry.params.iter().map(|p| (p.clone(), format!("value-of-{p}"))).collect();
            let route = Route::from_name(&entry.name, &params).expect("known route");
            assert_eq!(route.name(), entry.name);
            let back: Vec<&str> = route.params().keys().copied().collect();
            let mut declared: Vec<&str> = entry.params.iter().map(String::as_str).collect();
            declared.sort_unstable();
            assert_eq!(back, declared, "params of {}", entry.name);
            for (k, v) in route.params() {
                assert_eq!(v, format!("value-of-{k}"));
            }
        }
    }

    #[test]
    fn unknown_route_is_reported_not_guessed() {
        assert_eq!(Route::from_name("nope", &BTreeMap::new()), Err(UnknownRoute("nope".into())));
    }
}
