//! Node prices for the cost views: which node label to read, a configured price table (a JSON file,
//! typically a mounted ConfigMap, re-read when it changes) with capacity-type multipliers, and
//! optionally a Prometheus query for offering prices (Karpenter's
//! `karpenter_cloudprovider_instance_type_offering_price_estimate`).
//!
//! This module only reads configuration and Prometheus into `model::snapshot::Pricing`;
//! `model::cost::price_of` decides each node's price (label, then offering, then table). What is
//! configured is served as [`PriceSource`] so the UI can say where prices come from.

use crate::prometheus::Prometheus;
use crate::watch::Changes;
use model::history::Series;
use model::snapshot::Pricing;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Why a price table could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceTableError {
    /// The file could not be read.
    #[error("reading {path}: {message}")]
    Read {
        /// File.
        path: String,
        /// Error.
        message: String,
    },
    /// Not the expected JSON.
    #[error("{path}: {message}")]
    Parse {
        /// File.
        path: String,
        /// Error.
        message: String,
    },
    /// A price or multiplier that is negative or not a number.
    #[error("{path}: {key} = {value} is not a price (dollars per hour, 0 or more)")]
    Value {
        /// File.
        path: String,
        /// Entry.
        key: String,
        /// Value.
        value: f64,
    },
}

/// The price table file: `{"prices": {"m5.large": 0.096, "m5.large/spot": 0.035},
/// "capacityTypeMultipliers": {"spot": 0.35}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceTable {
    /// Instance type (or `type/capacity-type`) → $/h.
    #[serde(default)]
    pub prices: BTreeMap<String, f64>,
    /// Capacity type (`spot`, `reserved`, ...) → factor applied to a type's plain price when no
    /// `type/capacity-type` entry exists.
    #[serde(default)]
    pub capacity_type_multipliers: BTreeMap<String, f64>,
}

impl PriceTable {
    /// Reads and checks a table file.
    pub fn read(path: &Path) -> Result<PriceTable, PriceTableError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| PriceTableError::Read { path: p.clone(), message: e.to_string() })?;
        Self::parse(&p, &text)
    }

    /// Parses and checks a table (`path` names it in errors).
    pub fn parse(path: &str, text: &str) -> Result<PriceTable, PriceTableError> {
        let t: PriceTable = serde_json::from_str(text)
            .map_err(|e| PriceTableError::Parse { path: path.to_owned(), message: e.to_string() })?;
        for (key, value) in t.prices.iter().chain(&t.capacity_type_multipliers) {
            if !value.is_finite() || *value < 0.0 {
                return Err(PriceTableError::Value {
                    path: path.to_owned(),
                    key: key.clone(),
                    value: *value,
                });
            }
        }
        Ok(t)
    }

    /// The entries `model::cost::price_of` reads: the prices as given, plus `type/capacity-type`
    /// for every plain type and multiplier where no explicit entry exists.
    pub fn entries(&self) -> BTreeMap<String, f64> {
        let mut out = self.prices.clone();
        for (it, price) in self.prices.iter().filter(|(k, _)| !k.contains('/')) {
            for (ct, factor) in &self.capacity_type_multipliers {
                out.entry(format!("{it}/{ct}")).or_insert(model::quantity::round6(price * factor));
            }
        }
        out
    }
}

/// Offering prices (`instance_type/capacity_type/zone` → $/h) from a Prometheus answer; series
/// without an instance type or zone are skipped (counted in the second value).
pub fn offerings(series: &[Series]) -> (BTreeMap<String, f64>, usize) {
    let mut out = BTreeMap::new();
    let mut skipped = 0;
    for s in series {
        let label = |k: &str| s.labels.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let value = s.points.last().map(|(_, v)| *v).filter(|v| v.is_finite() && *v >= 0.0);
        match (label("instance_type"), label("zone"), value) {
            (Some(it), Some(zone), Some(v)) => {
                let ct = label("capacity_type").unwrap_or("on-demand");
                out.insert(format!("{it}/{ct}/{zone}"), v);
            }
            _ => skipped += 1,
        }
    }
    (out, skipped)
}

/// Where node prices come from, as configured (served on the overview as `pricing`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceSource {
    /// Node label read first (`None`: labels are not read).
    pub label: Option<String>,
    /// The price table file, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_file: Option<String>,
    /// The table as configured.
    pub table: BTreeMap<String, f64>,
    /// Capacity-type multipliers as configured.
    pub capacity_type_multipliers: BTreeMap<String, f64>,
    /// Why the table file is not used (the previous good table stays in force).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_error: Option<String>,
    /// PromQL for offering prices, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Offerings the query returned last time.
    pub offerings: usize,
    /// Why the query failed last time (the previous offerings stay in force).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_error: Option<String>,
    /// The order `model::cost::price_of` tries them in.
    pub order: [&'static str; 3],
}

/// Price settings from the command line.
#[derive(Debug, Clone)]
pub struct PriceConfig {
    /// Node label (`""` disables it).
    pub label: String,
    /// Table file.
    pub table_file: Option<PathBuf>,
    /// PromQL for offering prices.
    pub query: Option<String>,
    /// How often the query runs and the table file is re-read.
    pub refresh: Duration,
}

/// The current prices and what they come from; the views read [`Prices::pricing`].
pub struct Prices {
    config: PriceConfig,
    pricing: RwLock<Arc<Pricing>>,
    source: RwLock<PriceSource>,
    table: RwLock<PriceTable>,
    changes: Arc<Changes>,
}

impl Prices {
    /// Prices as configured; the table file is read once now (its error, if any, is reported).
    pub fn new(config: PriceConfig, changes: Arc<Changes>) -> Arc<Self> {
        let label = Some(config.label.trim().to_owned()).filter(|l| !l.is_empty());
        let source = PriceSource {
            label: label.clone(),
            table_file: config.table_file.as_ref().map(|p| p.display().to_string()),
            query: config.query.clone(),
            order: ["label", "offering", "table"],
            ..PriceSource::default()
        };
        // `Some("")` makes `price_of` skip labels; `None` would mean its default label.
        let pricing = Pricing { label: Some(label.unwrap_or_default()), ..Pricing::default() };
        let p = Arc::new(Self {
            config,
            pricing: RwLock::new(Arc::new(pricing)),
            source: RwLock::new(source),
            table: RwLock::default(),
            changes,
        });
        p.reload_table();
        p
    }

    /// The prices the joins use now.
    pub fn pricing(&self) -> Arc<Pricing> {
        Arc::clone(&self.pricing.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// What is configured, and the last errors.
    pub fn source(&self) -> PriceSource {
        self.source.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn update(&self, f: impl FnOnce(&mut Pricing)) {
        let mut slot = self.pricing.write().unwrap_or_else(|e| e.into_inner());
        let mut next = (**slot).clone();
        f(&mut next);
        if next != **slot {
            *slot = Arc::new(next);
            self.changes.bump();
        }
    }

    /// Re-reads the table file; a bad file keeps the previous table and reports why.
    fn reload_table(&self) {
        let Some(path) = &self.config.table_file else { return };
        let result = PriceTable::read(path);
        let mut source = self.source.write().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(t) => {
                source.table_error = None;
                let mut current = self.table.write().unwrap_or_else(|e| e.into_inner());
                if *current != t {
                    tracing::info!(path = %path.display(), prices = t.prices.len(), "price table loaded");
                    source.table = t.prices.clone();
                    source.capacity_type_multipliers = t.capacity_type_multipliers.clone();
                    let entries = t.entries();
                    *current = t;
                    drop(current);
                    self.update(|p| p.table = entries);
                }
            }
            Err(e) => {
                if source.table_error.as_deref() != Some(&e.to_string()) {
                    tracing::warn!(error = %e, "price table not used");
                }
                source.table_error = Some(e.to_string());
            }
        }
    }

    async fn refresh_offerings(&self, prometheus: Option<&Prometheus>) {
        let Some(query) = &self.config.query else { return };
        let result = match prometheus {
            None => Err("needs --prometheus-url".to_owned()),
            Some(p) => p.query(query).await.map_err(|e| e.to_string()),
        };
        let mut source = self.source.write().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(series) => {
                let (found, skipped) = offerings(&series);
                source.offerings = found.len();
                source.query_error = (skipped > 0 && found.is_empty())
                    .then(|| format!("{skipped} series without instance_type and zone labels"));
                drop(source);
                self.update(|p| p.offerings = found);
            }
            Err(e) => {
                tracing::warn!(error = %e, "price query failed; keeping the previous offerings");
                source.query_error = Some(e);
            }
        }
    }

    /// Re-reads the table file and runs the price query every `refresh` until the process ends.
    pub async fn run(self: Arc<Self>, prometheus: Option<Prometheus>) {
        let mut tick = tokio::time::interval(self.config.refresh);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.reload_table();
            self.refresh_offerings(prometheus.as_ref()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_fill_missing_capacity_types_only() {
        let t = PriceTable::parse(
            "t",
            r#"{"prices": {"m5.large": 0.1, "m5.large/spot": 0.03, "c5.large": 0.2},
                "capacityTypeMultipliers": {"spot": 0.5}}"#,
        )
        .expect("table");
        let e = t.entries();
        assert_eq!(e["m5.large/spot"], 0.03, "an explicit entry wins");
        assert_eq!(e["c5.large/spot"], 0.1);
        assert_eq!(e["c5.large"], 0.2);
        assert_eq!(e.len(), 4);
    }

    #[test]
    fn bad_tables_say_why() {
        assert!(matches!(PriceTable::parse("t", "m5.large = 1"), Err(PriceTableError::Parse { .. })));
        assert!(matches!(
            PriceTable::parse("t", r#"{"prices": {"a": -1}}"#),
            Err(PriceTableError::Value { .. })
        ));
        let typo = PriceTable::parse("t", r#"{"price": {"a": 1}}"#).expect_err("unknown key");
        assert!(typo.to_string().contains("unknown field"), "{typo}");
    }

    #[test]
    fn offerings_need_type_and_zone() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"instance_type":"m5.large","capacity_type":"spot","zone":"eu-west-1a"},"value":[1,"0.04"]},
            {"metric":{"instance_type":"m5.large","zone":"eu-west-1a"},"value":[1,"0.1"]},
            {"metric":{"instance_type":"m5.large"},"value":[1,"0.1"]}]}}"#;
        let series = model::history::parse_response(body).expect("answer");
        let (o, skipped) = offerings(&series);
        assert_eq!(o["m5.large/spot/eu-west-1a"], 0.04);
        assert_eq!(o["m5.large/on-demand/eu-west-1a"], 0.1, "no capacity type: on-demand");
        assert_eq!(skipped, 1);
    }

    #[test]
    fn a_table_file_prices_nodes_without_the_label() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("prices.json");
        std::fs::write(&file, r#"{"prices": {"m5.large": 0.1}, "capacityTypeMultipliers": {"spot": 0.3}}"#)
            .expect("write");
        let changes = Arc::new(Changes::default());
        let prices = Prices::new(
            PriceConfig {
                label: String::new(),
                table_file: Some(file.clone()),
                query: None,
                refresh: Duration::from_secs(60),
            },
            Arc::clone(&changes),
        );
        let labels: model::meta::Labels = [
            ("eks-node-viewer/instance-price", "9"),
            ("node.kubernetes.io/instance-type", "m5.large"),
            ("karpenter.sh/capacity-type", "spot"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let p = model::cost::price_of(&labels, &prices.pricing()).expect("priced");
        assert_eq!((p.per_hour, p.source), (0.03, model::cost::PriceSource::Table), "label disabled");
        assert!(changes.generation() > 0, "views are rebuilt with the new prices");

        std::fs::write(&file, "{").expect("write");
        prices.reload_table();
        let s = prices.source();
        assert!(s.table_error.is_some());
        assert_eq!(s.table.len(), 1, "the last good table stays");
        assert_eq!(model::cost::price_of(&labels, &prices.pricing()).map(|p| p.per_hour), Some(0.03));
    }
}
