//! Optional Prometheus client for history: scaler metric values, replicas, NodePool usage.
//!
//! Every series of a result is kept (never `series[0]`), every query has a timeout, and failures turn
//! into a `degraded` marker on the response instead of an error: the live views never depend on it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why a query failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromError {
    /// No answer within the timeout.
    #[error("Prometheus did not answer within {0:?}")]
    Timeout(Duration),
    /// Connection or protocol failure.
    #[error("Prometheus unreachable: {0}")]
    Transport(String),
    /// Non-success HTTP status.
    #[error("Prometheus answered HTTP {status}: {body}")]
    Http {
        /// Status code.
        status: u16,
        /// Start of the body.
        body: String,
    },
    /// The answer was not a Prometheus API response.
    #[error("unexpected Prometheus response: {0}")]
    BadResponse(String),
    /// A credentials file could not be read.
    #[error("reading {path}: {message}")]
    Credentials {
        /// File.
        path: String,
        /// Error.
        message: String,
    },
}

/// Why the client could not be configured.
#[derive(Debug, thiserror::Error)]
pub enum PromConfigError {
    /// The CA file is unusable.
    #[error(transparent)]
    Ca(#[from] crate::tls::TlsError),
    /// The URL is not a URL.
    #[error("--prometheus-url {0:?} is not an http(s) URL")]
    Url(String),
    /// reqwest refused the settings.
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// How to authenticate to Prometheus.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// Bearer token file (re-read on every query, so rotated tokens work).
    pub bearer_token_file: Option<PathBuf>,
    /// Basic-auth user.
    pub username: Option<String>,
    /// Basic-auth password file.
    pub password_file: Option<PathBuf>,
    /// `X-Scope-OrgID`.
    pub tenant: Option<String>,
}

/// One time series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// `(unix seconds, value)` points.
    pub points: Vec<(f64, f64)>,
}

/// A Prometheus HTTP API client.
#[derive(Clone)]
pub struct Prometheus {
    http: reqwest::Client,
    base: String,
    auth: Arc<Auth>,
    timeout: Duration,
    metrics: crate::metrics::Metrics,
}

#[derive(Deserialize)]
struct ApiResponse {
    status: String,
    #[serde(default)]
    data: Option<ApiData>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct ApiData {
    #[serde(rename = "resultType")]
    result_type: String,
    result: Vec<RawSeries>,
}

#[derive(Deserialize)]
struct RawSeries {
    metric: BTreeMap<String, String>,
    #[serde(default)]
    values: Vec<(f64, String)>,
    #[serde(default)]
    value: Option<(f64, String)>,
}

/// Parses a `/api/v1/query` or `/api/v1/query_range` body into every series it holds.
pub fn parse_response(body: &[u8]) -> Result<Vec<Series>, PromError> {
    let r: ApiResponse = serde_json::from_slice(body).map_err(|e| PromError::BadResponse(e.to_string()))?;
    if r.status != "success" {
        return Err(PromError::BadResponse(r.error.unwrap_or_else(|| format!("status {}", r.status))));
    }
    let data = r.data.ok_or_else(|| PromError::BadResponse("no data".to_owned()))?;
    if data.result_type != "matrix" && data.result_type != "vector" {
        return Err(PromError::BadResponse(format!("result type {}", data.result_type)));
    }
    Ok(data
        .result
        .into_iter()
        .map(|s| {
            let points = s
                .values
                .into_iter()
                .chain(s.value)
                // "NaN", "+Inf" parse as floats; anything else is skipped rather than failing the series.
                .filter_map(|(t, v)| v.parse::<f64>().ok().map(|v| (t, v)))
                .collect();
            Series { labels: s.metric, points }
        })
        .collect())
}

impl Prometheus {
    /// A client for `base` (e.g. `http://prometheus.monitoring.svc:9090`).
    pub fn new(
        base: &str,
        auth: Auth,
        ca_file: Option<&std::path::Path>,
        timeout: Duration,
        metrics: crate::metrics::Metrics,
    ) -> Result<Self, PromConfigError> {
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(PromConfigError::Url(base.to_owned()));
        }
        let mut roots = rustls::RootCertStore::empty();
        match ca_file {
            Some(f) => {
                for c in crate::tls::read_certs(f)? {
                    let _ = roots.add(c);
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let tls = rustls::ClientConfig::builder_with_provider(crate::tls::provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| PromConfigError::Ca(crate::tls::TlsError::Rustls(e)))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let http = reqwest::Client::builder().tls_backend_preconfigured(tls).timeout(timeout).build()?;
        Ok(Self { http, base: base.trim_end_matches('/').to_owned(), auth: Arc::new(auth), timeout, metrics })
    }

    fn read(path: &std::path::Path) -> Result<String, PromError> {
        std::fs::read_to_string(path)
            .map(|s| s.trim().to_owned())
            .map_err(|e| PromError::Credentials { path: path.display().to_string(), message: e.to_string() })
    }

    async fn get(&self, path: &str, params: &[(&str, String)]) -> Result<Vec<Series>, PromError> {
        let mut req = self.http.get(format!("{}{path}", self.base)).query(params);
        if let Some(f) = &self.auth.bearer_token_file
            && f.exists()
        {
            req = req.bearer_auth(Self::read(f)?);
        }
        if let Some(user) = self.auth.username.as_deref().filter(|u| !u.is_empty()) {
            let password = match &self.auth.password_file {
                Some(f) => Some(Self::read(f)?),
                None => None,
            };
            req = req.basic_auth(user, password);
        }
        if let Some(t) = &self.auth.tenant {
            req = req.header("X-Scope-OrgID", t);
        }
        let result = async {
            let resp = req.send().await.map_err(|e| {
                if e.is_timeout() {
                    PromError::Timeout(self.timeout)
                } else {
                    PromError::Transport(e.to_string())
                }
            })?;
            let status = resp.status();
            let body = resp.bytes().await.map_err(|e| PromError::Transport(e.to_string()))?;
            if !status.is_success() {
                let text = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
                return Err(PromError::Http { status: status.as_u16(), body: text });
            }
            parse_response(&body)
        }
        .await;
        self.metrics.prometheus_up.set(i64::from(result.is_ok()));
        result
    }

    /// A range query: every series with its points.
    pub async fn query_range(
        &self,
        promql: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> Result<Vec<Series>, PromError> {
        let p = [
            ("query", promql.to_owned()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("step", step.to_string()),
        ];
        self.get("/api/v1/query_range", &p).await
    }
}

/// Escapes a label value for a PromQL string literal.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// KEDA's per-trigger metric value of one ScaledObject. KEDA's own `namespace` label becomes
/// `exported_namespace` when Prometheus adds the target's namespace, so both are asked for.
pub fn keda_metric_query(namespace: &str, scaled_object: &str) -> String {
    let (ns, so) = (quote(namespace), quote(scaled_object));
    format!(
        "keda_scaler_metrics_value{{exported_namespace={ns},scaledObject={so}}} or keda_scaler_metrics_value{{namespace={ns},scaledObject={so}}}"
    )
}

/// Current and desired replicas of the HPA that KEDA manages (kube-state-metrics).
pub fn hpa_replicas_query(namespace: &str, hpa: &str) -> String {
    let (ns, h) = (quote(namespace), quote(hpa));
    format!(
        "label_replace(kube_horizontalpodautoscaler_status_current_replicas{{namespace={ns},horizontalpodautoscaler={h}}}, \"series\", \"current\", \"\", \"\") or label_replace(kube_horizontalpodautoscaler_status_desired_replicas{{namespace={ns},horizontalpodautoscaler={h}}}, \"series\", \"desired\", \"\", \"\")"
    )
}

/// A NodePool's usage and limits by resource (Karpenter's own metrics).
pub fn nodepool_usage_query(nodepool: &str) -> String {
    let np = quote(nodepool);
    format!(
        "label_replace(karpenter_nodepools_usage{{nodepool={np}}}, \"series\", \"usage\", \"\", \"\") or label_replace(karpenter_nodepools_limit{{nodepool={np}}}, \"series\", \"limit\", \"\", \"\")"
    )
}

/// History attached to an item: every series, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    /// Start (unix seconds).
    pub start: f64,
    /// End (unix seconds).
    pub end: f64,
    /// Step (seconds).
    pub step: f64,
    /// Series by query name.
    pub series: BTreeMap<String, Vec<Series>>,
    /// Set when some or all queries failed (Prometheus down, timeout, not configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degraded: Option<String>,
}

impl History {
    /// Runs `queries` over the last `range` (about 120 points) with a client, or marks it degraded.
    pub async fn collect(
        prom: Option<&Prometheus>,
        queries: &[(&str, String)],
        range: Duration,
        now: f64,
    ) -> History {
        let range_s = range.as_secs_f64().max(60.0);
        let step = (range_s / 120.0).max(15.0).round();
        let mut h = History { start: now - range_s, end: now, step, series: BTreeMap::new(), degraded: None };
        let Some(prom) = prom else {
            h.degraded = Some("Prometheus is not configured (--prometheus-url)".to_owned());
            return h;
        };
        let results = futures::future::join_all(
            queries
                .iter()
                .map(|(name, q)| async move { (*name, prom.query_range(q, h.start, now, step).await) }),
        )
        .await;
        let mut failures = Vec::new();
        for (name, r) in results {
            match r {
                Ok(s) => {
                    h.series.insert(name.to_owned(), s);
                }
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        if !failures.is_empty() {
            h.degraded = Some(failures.join("; "));
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_kept() {
        let body = br#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"scaledObject":"w","triggerIndex":"0"},"values":[[1700000000,"3"],[1700000015,"NaN"]]},
            {"metric":{"scaledObject":"w","triggerIndex":"1"},"values":[[1700000000,"7.5"],[1700000015,"x"]]}]}}"#;
        let s = parse_response(body).expect("parsed");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].labels["triggerIndex"], "1");
        assert_eq!(s[1].points, vec![(1_700_000_000.0, 7.5)], "an unparsable sample is skipped, not fatal");
        assert!(s[0].points[1].1.is_nan());
    }

    #[test]
    fn error_response_is_an_error() {
        let body = br#"{"status":"error","errorType":"bad_data","error":"parse error at char 3"}"#;
        assert_eq!(parse_response(body), Err(PromError::BadResponse("parse error at char 3".to_owned())));
        assert!(matches!(parse_response(b"<html>"), Err(PromError::BadResponse(_))));
    }

    #[test]
    fn queries_quote_label_values() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        let q = keda_metric_query("team-a", "worker");
        assert!(q.contains(r#"exported_namespace="team-a""#) && q.contains(r#"namespace="team-a""#));
    }

    #[tokio::test]
    async fn unreachable_prometheus_degrades() {
        // Port 9 on loopback: nothing listens (connection refused), a fault a real Prometheus cannot
        // produce on demand; the integration test stops the real one instead.
        let p = Prometheus::new(
            "http://127.0.0.1:9",
            Auth::default(),
            None,
            Duration::from_secs(2),
            Default::default(),
        )
        .expect("client");
        let h =
            History::collect(Some(&p), &[("value", "up".to_owned())], Duration::from_secs(3600), 1.7e9).await;
        assert!(h.degraded.as_deref().is_some_and(|d| d.contains("unreachable")), "{:?}", h.degraded);
        assert!(h.series.is_empty());
        let none = History::collect(None, &[], Duration::from_secs(3600), 1.7e9).await;
        assert!(none.degraded.is_some());
    }
}
