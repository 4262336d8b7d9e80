//! The plugin's settings, one set per cluster, as the user saves them on Headlamp's plugin
//! settings page (`registerPluginSettings`, stored in Headlamp's `ConfigStore` under the package
//! name, shaped `{ "<cluster>": Settings }` like Headlamp's Prometheus plugin does).
//!
//! Every field reads tolerantly: an old or hand-edited value never stops the plugin; what cannot
//! be read falls back to its default.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Whether to use the Autoscaling Insights server (the aggregated API).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ServerMode {
    /// Use it when discovery shows it; fall back to direct mode when it is absent or stops answering.
    #[default]
    Auto,
    /// Always use it; its errors are shown, never hidden by a fallback.
    On,
    /// Never use it: everything is computed in the browser.
    Off,
}

/// Where Prometheus (history for charts) is found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PrometheusSettings {
    /// How it is found.
    pub mode: PrometheusMode,
    /// `namespace/service:port` for [`PrometheusMode::Service`] (port name or number).
    pub service: String,
    /// Path prefix under the service (e.g. `/prometheus` behind a path-based ingress).
    pub sub_path: String,
    /// Base URL for [`PrometheusMode::External`], reached directly by the browser.
    pub url: String,
}

/// How Prometheus is found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PrometheusMode {
    /// The server's Prometheus when the server is used; else search the cluster the way Headlamp's
    /// Prometheus plugin does (labelled pods and services, reached through the service proxy).
    #[default]
    Auto,
    /// A service, through the API server's service proxy.
    Service,
    /// A URL outside the cluster.
    External,
    /// No charts.
    Off,
}

/// Where node prices come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriceSettings {
    /// Which source.
    pub mode: PriceMode,
    /// Node label holding `$/h` for [`PriceMode::Label`].
    pub label: String,
    /// Instance type (or `type/capacity-type`) → `$/h` for [`PriceMode::Table`].
    pub table: BTreeMap<String, f64>,
}

impl Default for PriceSettings {
    fn default() -> Self {
        PriceSettings {
            mode: PriceMode::Label,
            label: DEFAULT_PRICE_LABEL.to_owned(),
            table: BTreeMap::new(),
        }
    }
}

/// eks-node-viewer's label; Karpenter's kwok provider writes it too.
pub const DEFAULT_PRICE_LABEL: &str = "eks-node-viewer/instance-price";

/// Where node prices come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PriceMode {
    /// A node label.
    #[default]
    Label,
    /// A table the user typed.
    Table,
    /// No prices.
    Off,
}

/// Settings of one cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Server or direct.
    pub server: ServerMode,
    /// Prometheus.
    pub prometheus: PrometheusSettings,
    /// Prices.
    pub prices: PriceSettings,
    /// Seconds between refreshes of an open page; 0 turns live updates off.
    pub refresh_seconds: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            server: ServerMode::Auto,
            prometheus: PrometheusSettings::default(),
            prices: PriceSettings::default(),
            refresh_seconds: DEFAULT_REFRESH_SECONDS,
        }
    }
}

/// Default refresh interval.
pub const DEFAULT_REFRESH_SECONDS: u32 = 10;
/// Shortest refresh interval accepted (faster polling would load the API server for little gain).
pub const MIN_REFRESH_SECONDS: u32 = 2;
/// Longest refresh interval accepted.
pub const MAX_REFRESH_SECONDS: u32 = 3600;

impl Settings {
    /// The settings of `cluster` from the whole stored config (`{ "<cluster>": {...} }`); defaults
    /// for anything absent or unreadable.
    pub fn for_cluster(config: &serde_json::Value, cluster: &str) -> Settings {
        config.get(cluster).map(Settings::from_value).unwrap_or_default()
    }

    /// Reads one cluster's settings field by field, so one bad field keeps the others.
    pub fn from_value(v: &serde_json::Value) -> Settings {
        fn field<T: serde::de::DeserializeOwned + Default>(v: &serde_json::Value, key: &str) -> T {
            v.get(key).and_then(|f| serde_json::from_value(f.clone()).ok()).unwrap_or_default()
        }
        let d = Settings::default();
        let prices = match v.get("prices") {
            Some(p) => PriceSettings {
                mode: field(p, "mode"),
                label: p
                    .get("label")
                    .and_then(|l| l.as_str())
                    .map(str::to_owned)
                    .unwrap_or(d.prices.label.clone()),
                table: p
                    .get("table")
                    .and_then(|t| t.as_object())
                    .map(|t| {
                        t.iter()
                            .filter_map(|(k, v)| {
                                v.as_f64().filter(|f| f.is_finite() && *f >= 0.0).map(|f| (k.clone(), f))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            None => d.prices.clone(),
        };
        Settings {
            server: field(v, "server"),
            prometheus: v
                .get("prometheus")
                .map(|p| PrometheusSettings {
                    mode: field(p, "mode"),
                    service: field(p, "service"),
                    sub_path: field(p, "subPath"),
                    url: field(p, "url"),
                })
                .unwrap_or_default(),
            prices,
            refresh_seconds: v
                .get("refreshSeconds")
                .and_then(|r| r.as_u64())
                .map(|r| clamp_refresh(r.min(u64::from(u32::MAX)) as u32))
                .unwrap_or(d.refresh_seconds),
        }
    }

    /// The refresh interval in milliseconds, `None` when live updates are off.
    pub fn refresh_ms(&self) -> Option<u32> {
        (self.refresh_seconds > 0).then(|| clamp_refresh(self.refresh_seconds) * 1000)
    }

    /// The model's price configuration.
    pub fn pricing(&self) -> model::snapshot::Pricing {
        match self.prices.mode {
            PriceMode::Off => model::snapshot::Pricing { label: Some(String::new()), ..Default::default() },
            PriceMode::Label => model::snapshot::Pricing {
                label: Some(self.prices.label.trim().to_owned()).filter(|l| !l.is_empty()),
                ..Default::default()
            },
            PriceMode::Table => model::snapshot::Pricing {
                label: Some(String::new()),
                table: self.prices.table.clone(),
                ..Default::default()
            },
        }
    }
}

/// 0 stays 0 (off); anything else is kept within the accepted range.
pub fn clamp_refresh(seconds: u32) -> u32 {
    if seconds == 0 { 0 } else { seconds.clamp(MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS) }
}

/// Headlamp's store of the plugin's settings (`ConfigStore`), through the host: read the whole
/// `{ "<cluster>": Settings }` object, write one cluster's settings back. Every open view
/// re-renders with the new settings (the host passes them on), so the data layer follows at once.
#[derive(Clone)]
pub struct SettingsStore {
    get: Rc<js_sys::Function>,
    set: Rc<js_sys::Function>,
    clusters: Rc<[String]>,
}

impl PartialEq for SettingsStore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.get, &other.get)
            && Rc::ptr_eq(&self.set, &other.set)
            && self.clusters == other.clusters
    }
}

impl std::fmt::Debug for SettingsStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsStore").field("clusters", &self.clusters).finish()
    }
}

impl SettingsStore {
    /// Wraps the host's `settingsGet() -> json` and `settingsSet(json)`.
    pub fn new(get: js_sys::Function, set: js_sys::Function) -> Self {
        SettingsStore { get: Rc::new(get), set: Rc::new(set), clusters: Rc::from(Vec::new()) }
    }

    /// The same store, knowing Headlamp's clusters.
    pub fn with_clusters(self, clusters: Vec<String>) -> Self {
        SettingsStore { clusters: clusters.into(), ..self }
    }

    /// Every cluster Headlamp knows.
    pub fn clusters(&self) -> &[String] {
        &self.clusters
    }

    /// The stored object (`{}` when empty or unreadable).
    pub fn load(&self) -> serde_json::Value {
        self.get
            .call0(&wasm_bindgen::JsValue::NULL)
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|s| serde_json::from_str(&s).ok())
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}))
    }

    /// The settings of `cluster`.
    pub fn settings(&self, cluster: &str) -> Settings {
        Settings::for_cluster(&self.load(), cluster)
    }

    /// Stores `settings` for `cluster`, keeping every other cluster's.
    pub fn save(&self, cluster: &str, settings: &Settings) -> Result<(), String> {
        let mut all = self.load();
        let value = serde_json::to_value(settings).map_err(|e| e.to_string())?;
        if let Some(map) = all.as_object_mut() {
            map.insert(cluster.to_owned(), value);
        }
        self.set
            .call1(&wasm_bindgen::JsValue::NULL, &wasm_bindgen::JsValue::from_str(&all.to_string()))
            .map(|_| ())
            .map_err(|e| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "the settings could not be saved".to_owned())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_settings_are_the_defaults() {
        assert_eq!(Settings::for_cluster(&json!(null), "demo"), Settings::default());
        assert_eq!(Settings::for_cluster(&json!({"other": {"server": "off"}}), "demo"), Settings::default());
        assert_eq!(Settings::default().refresh_ms(), Some(10_000));
    }

    #[test]
    fn settings_are_per_cluster_and_round_trip() {
        let mut s = Settings { server: ServerMode::Off, refresh_seconds: 30, ..Default::default() };
        s.prometheus = PrometheusSettings {
            mode: PrometheusMode::Service,
            service: "monitoring/prometheus:9090".into(),
            sub_path: "/prom".into(),
            url: String::new(),
        };
        s.prices.mode = PriceMode::Table;
        s.prices.table.insert("m5.large".into(), 0.096);
        let config = json!({ "demo": serde_json::to_value(&s).unwrap(), "prod": {} });
        assert_eq!(Settings::for_cluster(&config, "demo"), s);
        assert_eq!(Settings::for_cluster(&config, "prod"), Settings::default());
    }

    #[test]
    fn one_bad_field_keeps_the_others() {
        let v = json!({"server": "sideways", "refreshSeconds": 1, "prices": {"mode": "table", "table": {"a": 1.5, "b": "x", "c": -1}}});
        let s = Settings::from_value(&v);
        assert_eq!(s.server, ServerMode::Auto);
        // Below the minimum is raised to it; 0 would mean off.
        assert_eq!(s.refresh_seconds, MIN_REFRESH_SECONDS);
        assert_eq!(s.prices.table.into_iter().collect::<Vec<_>>(), vec![("a".to_owned(), 1.5)]);
        assert_eq!(Settings::from_value(&json!({"refreshSeconds": 0})).refresh_ms(), None);
    }

    #[test]
    fn price_modes_map_to_the_model() {
        let mut s = Settings::default();
        assert_eq!(s.pricing().label.as_deref(), Some(DEFAULT_PRICE_LABEL));
        s.prices.mode = PriceMode::Off;
        assert_eq!(s.pricing().label.as_deref(), Some(""));
        assert!(s.pricing().table.is_empty());
    }
}
