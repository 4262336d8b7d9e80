//! History for charts: a scaler's metric values and replicas over time, from Prometheus.
//!
//! Where it comes from, by the plugin settings (`Settings::prometheus`):
//! - auto + server in use: the server's `?history=` on the scaler (it runs the queries);
//! - auto in direct mode: a Prometheus service found in the cluster (labels as Headlamp's own
//!   Prometheus plugin looks for them), queried through the API server's service proxy;
//! - service: that `namespace/service:port`, through the service proxy;
//! - off: none.
//!
//! The answer is always a [`History`]; when there is nothing to draw, `degraded` says why
//! (not configured, no permission, unreachable, query refused), so the chart area is never blank.
//! Every series is kept (never `series[0]`); KEDA's `namespace` label may arrive as
//! `exported_namespace`, so the queries ask for both.
//!
//! The query texts, `History` and the response parser are `model::history`'s: the server runs
//! the same queries and serves the same `History`.

use super::settings::PrometheusMode;
use super::source::Origin;
use super::{Data, now_ms};
use model::history::{
    History, Series, hpa_replicas_query, keda_metric_query, keda_scaled_job_metric_query, parse_response,
    scaled_job_replicas_query, step_for,
};
use model::scaler::{Scaler, TriggerView};
use serde::Deserialize;
use std::collections::BTreeMap;

/// An empty history over the last `range_s` seconds, with the reason.
fn unavailable(range_s: f64, why: impl Into<String>) -> History {
    History { degraded: Some(why.into()), ..History::window(now_ms() / 1000.0, range_s) }
}

/// The series of one query of a history.
pub fn series_of<'h>(history: &'h History, query: &str) -> &'h [Series] {
    history.series.get(query).map(Vec::as_slice).unwrap_or(&[])
}

/// Reads the server's `history`: like `model::history::History`, except that a point's value may
/// be `null` (JSON has no NaN; the server writes NaN samples so), read as a gap.
fn read_server_history(value: serde_json::Value) -> Result<History, serde_json::Error> {
    #[derive(Deserialize)]
    struct RawSeries {
        #[serde(default)]
        labels: BTreeMap<String, String>,
        #[serde(default)]
        points: Vec<(f64, Option<f64>)>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Raw {
        #[serde(default)]
        start: f64,
        #[serde(default)]
        end: f64,
        #[serde(default)]
        step: f64,
        #[serde(default)]
        series: BTreeMap<String, Vec<RawSeries>>,
        #[serde(default)]
        degraded: Option<String>,
        #[serde(default)]
        source: Option<String>,
    }
    let r: Raw = serde_json::from_value(value)?;
    Ok(History {
        start: r.start,
        end: r.end,
        step: r.step,
        series: r
            .series
            .into_iter()
            .map(|(k, v)| {
                let series = v
                    .into_iter()
                    .map(|s| Series {
                        labels: s.labels,
                        points: s.points.into_iter().map(|(t, v)| (t, v.unwrap_or(f64::NAN))).collect(),
                    })
                    .collect();
                (k, series)
            })
            .collect(),
        degraded: r.degraded,
        source: Some(r.source.unwrap_or_else(|| "the Autoscaling Insights server's Prometheus".to_owned())),
    })
}

pub use model::paths::encode;

/// A Prometheus service reached through the API server's service proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromService {
    /// Namespace.
    pub namespace: String,
    /// Service name.
    pub name: String,
    /// Port name or number.
    pub port: String,
    /// Path prefix (`/prometheus`), empty for none.
    pub sub_path: String,
    /// The label selector it was found by (`None`: named in the settings).
    pub found_by: Option<String>,
}

impl PromService {
    /// Reads `namespace/service:port` (the setting's format); the port may be a name.
    pub fn parse(spec: &str, sub_path: &str) -> Result<PromService, String> {
        let spec = spec.trim();
        let (namespace, rest) =
            spec.split_once('/').ok_or_else(|| format!("{spec:?} is not namespace/service:port"))?;
        let (name, port) = rest.split_once(':').ok_or_else(|| format!("{spec:?} has no :port"))?;
        let ok =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !ok(namespace) || !ok(name) || !ok(port) {
            return Err(format!("{spec:?} is not namespace/service:port"));
        }
        let sub = sub_path.trim().trim_end_matches('/');
        let sub_path =
            if sub.is_empty() || sub.starts_with('/') { sub.to_owned() } else { format!("/{sub}") };
        Ok(PromService {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            port: port.to_owned(),
            sub_path,
            found_by: None,
        })
    }

    /// `namespace/service:port`.
    pub fn spec(&self) -> String {
        format!("{}/{}:{}", self.namespace, self.name, self.port)
    }

    /// The service and how it was chosen, for the line under the charts.
    pub fn described(&self) -> String {
        match &self.found_by {
            Some(selector) => format!("Prometheus {} (found by its labels {selector})", self.spec()),
            None => format!("Prometheus {} (from the plugin settings)", self.spec()),
        }
    }

    /// The proxy path of a range query.
    pub fn query_range_path(&self, promql: &str, start: f64, end: f64, step: f64) -> String {
        format!(
            "/api/v1/namespaces/{}/services/{}:{}/proxy{}/api/v1/query_range?query={}&start={start:.3}&end={end:.3}&step={step}",
            self.namespace,
            self.name,
            self.port,
            self.sub_path,
            encode(promql)
        )
    }
}

/// Namespaces where a Prometheus is looked for automatically, besides the ones Headlamp's cluster
/// settings allow: those monitoring stacks install into. A Service labelled like Prometheus in any
/// other namespace is a tenant's, and a tenant's Service must not receive an admin's queries.
pub const TRUSTED_NAMESPACES: &[&str] = &[
    "monitoring",
    "prometheus",
    "observability",
    "kube-prometheus-stack",
    "prometheus-system",
    "cattle-monitoring-system",
    "openshift-monitoring",
    "kube-system",
];

/// Label selectors that mark a Prometheus service, in the order Headlamp's Prometheus plugin and
/// the common charts use them.
const SERVICE_SELECTORS: &[&str] = &[
    "headlamp-prometheus=true",
    "app.kubernetes.io/name=prometheus,app.kubernetes.io/component=server",
    "app.kubernetes.io/name=prometheus",
    "operated-prometheus=true",
    "app=prometheus,component=server",
];

#[derive(Deserialize, Default)]
#[serde(default)]
struct ServiceList {
    items: Vec<ServiceItem>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ServiceItem {
    metadata: model::meta::ObjectMeta,
    spec: ServiceSpec,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ServiceSpec {
    ports: Vec<ServicePort>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ServicePort {
    name: Option<String>,
    port: i64,
}

/// The service to use from a list answer: the first, by its web port (`web`, `http`, 9090, else the first).
/// The first service with a port in a namespace `trusted` accepts (see [`TRUSTED_NAMESPACES`]).
fn pick_service(body: &str, selector: &str, trusted: impl Fn(&str) -> bool) -> Option<PromService> {
    let list: ServiceList = serde_json::from_str(body).ok()?;
    let svc = list.items.into_iter().find(|s| !s.spec.ports.is_empty() && trusted(s.metadata.ns()))?;
    let ports = &svc.spec.ports;
    let port = ports
        .iter()
        .find(|p| matches!(p.name.as_deref(), Some("web" | "http" | "http-web")))
        .or_else(|| ports.iter().find(|p| p.port == 9090))
        .or_else(|| ports.first())?;
    Some(PromService {
        namespace: svc.metadata.ns().to_owned(),
        name: svc.metadata.name.clone(),
        port: port.port.to_string(),
        sub_path: String::new(),
        found_by: Some(selector.to_owned()),
    })
}

/// Why a Prometheus request failed, for the chart area.
fn failure(service: &PromService, status: u16, body: &str) -> String {
    let message = super::error::status_message(body);
    let spec = service.spec();
    match status {
        0 => format!("Prometheus ({spec}) did not answer: {message}"),
        401 => "the cluster did not accept your credentials for the service proxy".to_owned(),
        403 => format!(
            "no permission to reach Prometheus through the service proxy (services/proxy in namespace {}): {message}",
            service.namespace
        ),
        404 => format!(
            "Prometheus service {spec} was not found (or the path{} is wrong): {message}",
            service.sub_path
        ),
        502 | 503 => format!("Prometheus ({spec}) is unreachable: {message}"),
        400 | 422 => format!("Prometheus rejected the query: {message}"),
        s => format!("Prometheus ({spec}) answered {s}: {message}"),
    }
}

/// What a scaler's history is asked for by (stable while live values change).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryKey {
    /// Namespace.
    pub namespace: String,
    /// Name of the served scaler view (`<name>.scaledjob` for ScaledJobs).
    pub view_name: String,
    /// Name of the KEDA object (KEDA's `scaledObject` metric label).
    pub name: String,
    /// A ScaledJob (KEDA's `type="scaledjob"`; replicas are running jobs).
    pub scaled_job: bool,
    /// The HPA (`status.hpaName`), for replica history.
    pub hpa: Option<String>,
}

impl HistoryKey {
    /// The key of a scaler view.
    pub fn of(s: &Scaler) -> HistoryKey {
        HistoryKey {
            namespace: s.metadata.ns().to_owned(),
            view_name: s.metadata.name.clone(),
            name: s.source.name.clone(),
            scaled_job: s.source.kind == "ScaledJob",
            hpa: s.hpa.as_ref().map(|h| h.name.clone()),
        }
    }
}

impl Data {
    /// The Prometheus service the settings point at, or the one found in the cluster (auto).
    pub(crate) async fn prometheus_service(&self) -> Result<PromService, String> {
        let p = &self.settings().prometheus;
        if p.mode == PrometheusMode::Service {
            return PromService::parse(&p.service, &p.sub_path)
                .map_err(|e| format!("the Prometheus setting: {e}"));
        }
        let mut refused = None;
        for selector in SERVICE_SELECTORS {
            let path = format!("/api/v1/services?labelSelector={}", encode(selector));
            let r = self
                .bridge()
                .get(self.cluster(), &path)
                .await
                .map_err(|e| format!("the plugin's bridge failed: {}", e.0))?;
            match r.status {
                200..=299 => {
                    let allowed = &self.hints.allowed;
                    let trusted =
                        |ns: &str| TRUSTED_NAMESPACES.contains(&ns) || allowed.iter().any(|a| a == ns);
                    if let Some(s) = pick_service(&r.body, selector, trusted) {
                        return Ok(s);
                    }
                }
                403 => refused = Some(super::error::status_message(&r.body)),
                0 => {
                    return Err(format!(
                        "the cluster did not answer: {}",
                        super::error::status_message(&r.body)
                    ));
                }
                _ => {}
            }
        }
        Err(match refused {
            Some(m) => format!(
                "no Prometheus was found: you may not list services to look for one ({m}); set its service in the plugin settings"
            ),
            None => format!(
                "no Prometheus service was found (labels app.kubernetes.io/name=prometheus, headlamp-prometheus=true, \
                 ... in the namespaces {} or Headlamp's allowed namespaces); set its service in the plugin settings",
                TRUSTED_NAMESPACES.join(", ")
            ),
        })
    }

    /// History of a scaler over the last `range_s` seconds: its metric values (query `metric`) and
    /// replicas (`replicas`; ScaledJobs: running jobs). Never fails: `degraded` says what is missing.
    pub async fn scaler_history(&self, key: &HistoryKey, range_s: f64) -> History {
        let mode = self.settings().prometheus.mode;
        if mode == PrometheusMode::Off {
            return unavailable(range_s, "charts are turned off in the plugin settings (Prometheus: off)");
        }
        if mode == PrometheusMode::External {
            return unavailable(
                range_s,
                "an external Prometheus URL is not supported for charts yet; choose a service in the plugin settings",
            );
        }
        let (ns, name, scaled_job) = (key.namespace.as_str(), key.name.as_str(), key.scaled_job);
        if mode == PrometheusMode::Auto && self.origin().await == Origin::Server {
            return self.server_history(ns, &key.view_name, range_s).await;
        }
        let service = match self.prometheus_service().await {
            Ok(s) => s,
            Err(why) => return unavailable(range_s, why),
        };
        let metric =
            if scaled_job { keda_scaled_job_metric_query(ns, name) } else { keda_metric_query(ns, name) };
        let mut queries = vec![("metric", metric)];
        if scaled_job {
            queries.push(("replicas", scaled_job_replicas_query(ns, name)));
        } else if let Some(hpa) = &key.hpa {
            queries.push(("replicas", hpa_replicas_query(ns, hpa)));
        }
        self.run_queries(&service, &queries, range_s).await
    }

    async fn run_queries(&self, service: &PromService, queries: &[(&str, String)], range_s: f64) -> History {
        let end = now_ms() / 1000.0;
        let step = step_for(range_s);
        let mut h = History {
            start: end - range_s,
            end,
            step,
            series: BTreeMap::new(),
            degraded: None,
            source: Some(service.described()),
        };
        let mut failures = Vec::new();
        for (name, q) in queries {
            let path = service.query_range_path(q, h.start, end, step);
            match self.bridge().get(self.cluster(), &path).await {
                Ok(r) if (200..300).contains(&r.status) => match parse_response(r.body.as_bytes()) {
                    Ok(series) => {
                        h.series.insert((*name).to_owned(), series);
                    }
                    Err(e) => failures.push(format!("{name}: {e}")),
                },
                Ok(r) => failures.push(failure(service, r.status, &r.body)),
                Err(e) => failures.push(format!("the plugin's bridge failed: {}", e.0)),
            }
        }
        failures.dedup();
        if !failures.is_empty() {
            h.degraded = Some(failures.join("; "));
        }
        h
    }

    async fn server_history(&self, ns: &str, name: &str, range_s: f64) -> History {
        #[derive(Deserialize)]
        struct WithHistory {
            history: Option<serde_json::Value>,
        }
        let path = format!(
            "/apis/{}/namespaces/{ns}/scalers/{name}?history={}s",
            model::api::API_VERSION,
            range_s.round() as i64
        );
        match self.bridge().get(self.cluster(), &path).await {
            Ok(r) if (200..300).contains(&r.status) => match serde_json::from_str::<WithHistory>(&r.body) {
                Ok(WithHistory { history: Some(h) }) => read_server_history(h).unwrap_or_else(|e| {
                    unavailable(range_s, format!("the server's history could not be read: {e}"))
                }),
                Ok(WithHistory { history: None }) => {
                    unavailable(range_s, "this server version does not serve history")
                }
                Err(e) => unavailable(range_s, format!("the server's history could not be read: {e}")),
            },
            Ok(r) => unavailable(
                range_s,
                format!(
                    "the server answered {} for history: {}",
                    r.status,
                    super::error::status_message(&r.body)
                ),
            ),
            Err(e) => unavailable(range_s, format!("the plugin's bridge failed: {}", e.0)),
        }
    }
}

/// One chart of metric values: a trigger (with its thresholds) and the series that belong to it.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricPanel {
    /// The trigger, when the series could be matched to one.
    pub trigger: Option<TriggerView>,
    /// Its series, each with a legend label.
    pub series: Vec<(String, Series)>,
}

/// Labels that never tell two series of one trigger apart in a useful way.
const BORING: &[&str] =
    &["__name__", "job", "metric", "scaledObject", "type", "triggerIndex", "namespace", "exported_namespace"];

/// The legend text of each series: the labels in which the series differ (e.g. the operator
/// `instance` when two KEDA replicas report), else `fallback`.
fn legend_labels(series: &[Series], fallback: &str) -> Vec<String> {
    let keys: Vec<&String> = {
        let mut keys: Vec<&String> = series.iter().flat_map(|s| s.labels.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| !BORING.contains(&k.as_str()))
            .filter(|k| {
                let first = series.first().and_then(|s| s.labels.get(*k));
                series.iter().any(|s| s.labels.get(*k) != first)
            })
            .collect()
    };
    series
        .iter()
        .map(|s| {
            let parts: Vec<String> =
                keys.iter().filter_map(|k| s.labels.get(*k).map(|v| format!("{k}={v}"))).collect();
            if parts.is_empty() { fallback.to_owned() } else { format!("{fallback} {}", parts.join(", ")) }
        })
        .collect()
}

/// Groups the `metric` series by trigger (label `triggerIndex`, else the metric name), one panel
/// per trigger in spec order, plus one for series that match no trigger. Every series is kept.
pub fn metric_panels(history: &History, triggers: &[TriggerView]) -> Vec<MetricPanel> {
    let series = series_of(history, "metric");
    let trigger_of = |s: &Series| -> Option<usize> {
        if let Some(i) = s.labels.get("triggerIndex").and_then(|i| i.parse::<usize>().ok())
            && triggers.iter().any(|t| t.index == i)
        {
            return triggers.iter().position(|t| t.index == i);
        }
        let metric = s.labels.get("metric")?;
        triggers.iter().position(|t| t.metric_name.as_deref() == Some(metric.as_str()))
    };
    let mut groups: Vec<Vec<Series>> = vec![Vec::new(); triggers.len()];
    let mut other = Vec::new();
    for s in series {
        match trigger_of(s) {
            Some(i) => groups[i].push(s.clone()),
            None => other.push(s.clone()),
        }
    }
    let mut panels: Vec<MetricPanel> = triggers
        .iter()
        .zip(groups)
        .map(|(t, group)| {
            let name = t.name.clone().or_else(|| t.metric_name.clone()).unwrap_or_else(|| t.type_.clone());
            let labels = legend_labels(&group, &name);
            MetricPanel { trigger: Some(t.clone()), series: labels.into_iter().zip(group).collect() }
        })
        .collect();
    if !other.is_empty() {
        let labels: Vec<String> = other
            .iter()
            .map(|s| s.labels.get("metric").cloned().unwrap_or_else(|| "series".to_owned()))
            .collect();
        let mut series = Vec::new();
        for (label, s) in labels.into_iter().zip(other) {
            series.push((label, s));
        }
        panels.push(MetricPanel { trigger: None, series });
    }
    panels
}

/// The replica series with their legend labels (`current`, `desired`; else `fallback`, e.g.
/// "running jobs").
pub fn replica_series(history: &History, fallback: &str) -> Vec<(String, Series)> {
    let series = series_of(history, "replicas");
    let labels = legend_labels(series, fallback);
    series
        .iter()
        .zip(labels)
        .map(|(s, fallback)| (s.labels.get("series").cloned().unwrap_or(fallback), s.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(labels: &[(&str, &str)], points: &[(f64, f64)]) -> Series {
        Series {
            labels: labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn the_servers_history_reads_with_nulls_as_gaps() {
        let h = read_server_history(serde_json::json!({
            "start": 1, "end": 2, "step": 15,
            "series": {"metric": [{"labels": {"triggerIndex": "0"}, "points": [[1, 2.0], [2, null]]}]}
        }))
        .expect("history");
        assert_eq!(series_of(&h, "metric")[0].points[0], (1.0, 2.0));
        assert!(series_of(&h, "metric")[0].points[1].1.is_nan());
        assert!(series_of(&h, "replicas").is_empty());
        let degraded =
            read_server_history(serde_json::json!({"start": 1, "end": 2, "step": 15, "series": {},
            "degraded": "Prometheus is not configured (--prometheus-url)"}))
            .expect("history");
        assert!(degraded.degraded.is_some());
    }

    #[test]
    fn the_service_setting_is_parsed_strictly() {
        let s = PromService::parse("monitoring/prometheus-server:web", "prometheus/").expect("valid");
        assert_eq!(s.sub_path, "/prometheus");
        let p = s.query_range_path("up{a=\"b\"}", 10.0, 20.0, 15.0);
        assert_eq!(
            p,
            "/api/v1/namespaces/monitoring/services/prometheus-server:web/proxy/prometheus/api/v1/query_range?query=up%7Ba%3D%22b%22%7D&start=10.000&end=20.000&step=15"
        );
        assert!(PromService::parse("prometheus:9090", "").is_err());
        assert!(PromService::parse("ns/svc", "").is_err());
        assert!(PromService::parse("ns/s vc:80", "").is_err());
    }

    #[test]
    fn services_are_picked_by_their_web_port() {
        let body = r#"{"items":[{"metadata":{"name":"prometheus","namespace":"monitoring"},
            "spec":{"ports":[{"name":"grpc","port":10901},{"name":"web","port":9090}]}}]}"#;
        let trusted = |ns: &str| TRUSTED_NAMESPACES.contains(&ns);
        let s = pick_service(body, "app.kubernetes.io/name=prometheus", trusted).expect("found");
        assert_eq!(s.spec(), "monitoring/prometheus:9090");
        assert!(
            s.described().contains("found by its labels app.kubernetes.io/name=prometheus"),
            "{}",
            s.described()
        );
        assert_eq!(pick_service(r#"{"items":[]}"#, "x", trusted), None);
    }

    /// A tenant who labels a Service like Prometheus in their own namespace does not receive an
    /// admin's queries: only monitoring namespaces and Headlamp's allowed namespaces are searched.
    #[test]
    fn a_tenants_service_is_never_picked_automatically() {
        let body = r#"{"items":[
            {"metadata":{"name":"prometheus","namespace":"team-a"},"spec":{"ports":[{"name":"web","port":9090}]}},
            {"metadata":{"name":"prometheus-server","namespace":"monitoring"},"spec":{"ports":[{"name":"http","port":80}]}}]}"#;
        let trusted = |ns: &str| TRUSTED_NAMESPACES.contains(&ns);
        let s = pick_service(body, "headlamp-prometheus=true", trusted).expect("found");
        assert_eq!(s.spec(), "monitoring/prometheus-server:80");
        let only_tenant = r#"{"items":[
            {"metadata":{"name":"prometheus","namespace":"team-a"},"spec":{"ports":[{"name":"web","port":9090}]}}]}"#;
        assert_eq!(pick_service(only_tenant, "headlamp-prometheus=true", trusted), None);
        let allowed = |ns: &str| ns == "team-a";
        assert!(
            pick_service(only_tenant, "headlamp-prometheus=true", allowed).is_some(),
            "allowed namespaces count"
        );
    }

    fn trigger(index: usize, name: &str, metric: &str) -> TriggerView {
        TriggerView {
            index,
            name: Some(name.to_owned()),
            type_: "redis".to_owned(),
            metric_name: Some(metric.to_owned()),
            ..TriggerView::default()
        }
    }

    #[test]
    fn series_are_grouped_by_trigger_and_none_is_dropped() {
        let mut h = History::default();
        h.series.insert(
            "metric".to_owned(),
            vec![
                series(
                    &[("triggerIndex", "0"), ("instance", "a:8080"), ("metric", "s0-redis-orders")],
                    &[(1.0, 1.0)],
                ),
                series(
                    &[("triggerIndex", "0"), ("instance", "b:8080"), ("metric", "s0-redis-orders")],
                    &[(1.0, 2.0)],
                ),
                series(&[("metric", "s1-cron")], &[(1.0, 3.0)]),
                series(&[("metric", "s9-unknown")], &[(1.0, 4.0)]),
            ],
        );
        let triggers = [trigger(0, "orders", "s0-redis-orders"), trigger(1, "nightly", "s1-cron")];
        let panels = metric_panels(&h, &triggers);
        assert_eq!(panels.len(), 3);
        assert_eq!(panels[0].series.len(), 2, "both operator instances are drawn");
        assert_eq!(panels[0].series[0].0, "orders instance=a:8080");
        assert_eq!(panels[1].series[0].0, "nightly");
        assert!(panels[2].trigger.is_none());
        assert_eq!(panels[2].series[0].0, "s9-unknown");
        let total: usize = panels.iter().map(|p| p.series.len()).sum();
        assert_eq!(total, 4);
    }

    #[test]
    fn replica_series_are_named_by_their_series_label() {
        let mut h = History::default();
        h.series.insert(
            "replicas".to_owned(),
            vec![
                series(&[("series", "current")], &[(1.0, 1.0)]),
                series(&[("series", "desired")], &[(1.0, 2.0)]),
            ],
        );
        let r = replica_series(&h, "replicas");
        assert_eq!(r.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), vec!["current", "desired"]);
    }

    #[test]
    fn encoding_keeps_unreserved_characters() {
        assert_eq!(encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode("x=1,y in (a b)"), "x%3D1%2Cy%20in%20%28a%20b%29");
        assert_eq!(encode("é"), "%C3%A9");
    }
}
