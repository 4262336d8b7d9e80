//! The Yew UI, mounted into elements that the Headlamp plugin entry (`frontend/js`) renders.
//!
//! JS calls [`mount`] with an empty element, the view's props as JSON and the host's functions;
//! it keeps the returned [`Handle`] to [`Handle::update`] on prop changes and
//! [`Handle::destroy`] on unmount.

pub mod actions;
pub mod app;
pub mod bridge;
pub mod components;
pub mod data;
pub mod route;
pub mod views;

use app::{App, AppProps, Scope};
use bridge::Bridge;
use data::Data;
use route::{Navigator, Route};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// What the host passes on mount and update, as JSON: `{route, params, cluster, namespaces}`.
#[derive(Deserialize)]
struct HostProps {
    route: String,
    #[serde(default)]
    params: BTreeMap<String, String>,
    #[serde(default)]
    cluster: String,
    /// Headlamp's namespace filter (empty: all namespaces).
    #[serde(default)]
    namespaces: Vec<String>,
    /// Headlamp's per-cluster "Allowed namespaces" setting.
    #[serde(default, rename = "allowedNamespaces")]
    allowed_namespaces: Vec<String>,
    /// This cluster's plugin settings (`data::Settings` as JSON; absent: defaults).
    #[serde(default)]
    settings: serde_json::Value,
    /// The URL query (`?state=erroring`), for links that pre-filter a list.
    #[serde(default)]
    query: BTreeMap<String, String>,
    /// Every cluster Headlamp knows (the settings page picks one).
    #[serde(default)]
    clusters: Vec<String>,
}

/// The host's functions (see `frontend/js/host.js`).
struct HostFns {
    request: js_sys::Function,
    href: js_sys::Function,
    navigate: js_sys::Function,
    /// The plugin settings store (absent in hosts older than the settings page).
    settings: Option<data::settings::SettingsStore>,
}

fn function(host: &JsValue, name: &str) -> Result<js_sys::Function, JsError> {
    js_sys::Reflect::get(host, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| JsError::new(&format!("host has no function `{name}`")))
}

impl HostFns {
    fn read(host: &JsValue) -> Result<Self, JsError> {
        Ok(HostFns {
            request: function(host, "request")?,
            href: function(host, "href")?,
            navigate: function(host, "navigate")?,
            settings: match (function(host, "settingsGet"), function(host, "settingsSet")) {
                (Ok(get), Ok(set)) => Some(data::settings::SettingsStore::new(get, set)),
                _ => None,
            },
        })
    }
}

/// A mounted view.
#[wasm_bindgen]
pub struct Handle {
    app: Option<yew::AppHandle<App>>,
    bridge: Bridge,
    navigator: Navigator,
    settings: Option<data::settings::SettingsStore>,
}

impl Handle {
    fn props(&self, json: &str) -> Result<AppProps, JsError> {
        let p: HostProps =
            serde_json::from_str(json).map_err(|e| JsError::new(&format!("bad view props: {e}")))?;
        Ok(AppProps {
            route: Route::from_name(&p.route, &p.params),
            data: Data::new(
                self.bridge.clone(),
                &p.cluster,
                data::Settings::from_value(&p.settings),
                data::NamespaceHints {
                    allowed: p.allowed_namespaces.into(),
                    selected: p.namespaces.clone().into(),
                },
            )
            .with_store(self.settings.clone().map(|s| s.with_clusters(p.clusters))),
            navigator: self.navigator.for_cluster(&p.cluster),
            scope: Scope { namespaces: p.namespaces.into(), query: Rc::new(p.query) },
        })
    }
}

#[wasm_bindgen]
impl Handle {
    /// Re-renders with new props (route parameters, cluster).
    pub fn update(&mut self, props: &str) -> Result<(), JsError> {
        let props = self.props(props)?;
        if let Some(app) = self.app.as_mut() {
            app.update(props);
        }
        Ok(())
    }

    /// Unmounts the view; the element is left empty. Safe to call twice.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Mounts the view described by `props` (JSON `{route, params, cluster}`) into `element`.
/// `host` is `{request, href, navigate}` (see `frontend/js/host.js`).
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, props: &str, host: &JsValue) -> Result<Handle, JsError> {
    let fns = HostFns::read(host)?;
    mount_with(
        element,
        props,
        Bridge::host(fns.request),
        Navigator::new(fns.href, fns.navigate, ""),
        fns.settings,
    )
}

fn mount_with(
    element: web_sys::Element,
    props: &str,
    bridge: Bridge,
    navigator: Navigator,
    settings: Option<data::settings::SettingsStore>,
) -> Result<Handle, JsError> {
    let mut handle = Handle { app: None, bridge, navigator, settings };
    let props = handle.props(props)?;
    handle.app = Some(yew::Renderer::<App>::with_root_and_props(element, props).render());
    Ok(handle)
}

/// Values of our columns in one of Headlamp's own tables (`params.table`: `workloads` or
/// `nodes`), for every row at once: one shared fetch per table, never one per row. `props` is
/// shaped like a view's (`{params: {table}, cluster, settings, ...}`); `host` needs `request`.
/// Resolves to JSON `{rows, gaps}`; rejects with the reason when nothing could be read.
#[wasm_bindgen]
pub fn column_values(props: &str, host: &JsValue) -> Result<js_sys::Promise, JsError> {
    let request = function(host, "request")?;
    let p: HostProps =
        serde_json::from_str(props).map_err(|e| JsError::new(&format!("bad column props: {e}")))?;
    let table = p.params.get("table").map(String::as_str).unwrap_or_default();
    let table = views::sections::columns::ColumnTable::parse(table)
        .ok_or_else(|| JsError::new(&format!("no columns for table `{table}`")))?;
    let data = Data::new(
        Bridge::host(request),
        &p.cluster,
        data::Settings::from_value(&p.settings),
        data::NamespaceHints { allowed: p.allowed_namespaces.into(), selected: p.namespaces.into() },
    );
    Ok(wasm_bindgen_futures::future_to_promise(async move {
        match views::sections::columns::values(&data, table).await {
            Ok(v) => Ok(JsValue::from_str(&v.to_string())),
            Err(e) => Err(JsValue::from_str(&format!("{}: {}", e.title(), e.explanation()))),
        }
    }))
}
