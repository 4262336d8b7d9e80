//! Prometheus history, the pure half: the queries (KEDA metric values, HPA replicas, running
//! Jobs of a ScaledJob, NodePool usage vs limits), the response parser (every series, never
//! `series[0]`) and the `History` the server serves and the UI's direct mode builds alike.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One time series.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Series {
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// `(unix seconds, value)` points.
    pub points: Vec<(f64, f64)>,
}

/// History attached to an item: every series per query name, or why there is none.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct History {
    /// Start (unix seconds).
    pub start: f64,
    /// End (unix seconds).
    pub end: f64,
    /// Step (seconds).
    pub step: f64,
    /// Series by query name (`metric`, `replicas`, `usage`).
    pub series: BTreeMap<String, Vec<Series>>,
    /// Set when some or all queries failed (Prometheus down, timeout, not configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degraded: Option<String>,
    /// Which Prometheus answered, said under the charts (`monitoring/prometheus-server:9090, found by
    /// its labels`, or the server's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl History {
    /// An empty history over the last `range_s` seconds before `now` (unix seconds).
    pub fn window(now: f64, range_s: f64) -> History {
        let range_s = range_s.max(60.0);
        History { start: now - range_s, end: now, step: step_for(range_s), ..Default::default() }
    }
}

/// The step giving about 120 points over a range, at least 15 s.
pub fn step_for(range_s: f64) -> f64 {
    (range_s / 120.0).max(15.0).round()
}

/// Why a Prometheus answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// Not the Prometheus API's JSON, or an error status.
    #[error("unexpected Prometheus response: {0}")]
    BadResponse(String),
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
    #[serde(default)]
    result: Vec<RawSeries>,
}

#[derive(Deserialize)]
struct RawSeries {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    #[serde(default)]
    values: Vec<(f64, String)>,
    #[serde(default)]
    value: Option<(f64, String)>,
}

/// Parses a `/api/v1/query` or `/api/v1/query_range` body into every series it holds.
pub fn parse_response(body: &[u8]) -> Result<Vec<Series>, HistoryError> {
    let r: ApiResponse =
        serde_json::from_slice(body).map_err(|e| HistoryError::BadResponse(e.to_string()))?;
    if r.status != "success" {
        return Err(HistoryError::BadResponse(r.error.unwrap_or_else(|| format!("status {}", r.status))));
    }
    let data = r.data.ok_or_else(|| HistoryError::BadResponse("no data".to_owned()))?;
    if data.result_type != "matrix" && data.result_type != "vector" {
        return Err(HistoryError::BadResponse(format!("result type {}", data.result_type)));
    }
    Ok(data
        .result
        .into_iter()
        .map(|s| Series {
            labels: s.metric,
            // "NaN" and "+Inf" parse as floats; anything else is skipped, not fatal.
            points: s
                .values
                .into_iter()
                .chain(s.value)
                .filter_map(|(t, v)| v.parse::<f64>().ok().map(|v| (t, v)))
                .collect(),
        })
        .collect())
}

/// Escapes a label value as a PromQL string literal.
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

/// KEDA's per-trigger metric values of one ScaledObject. KEDA's `namespace` label becomes
/// `exported_namespace` when Prometheus adds the target's own, so both are asked for;
/// `type!="scaledjob"` keeps a ScaledJob of the same name out (and matches KEDA versions
/// without the label).
pub fn keda_metric_query(namespace: &str, scaled_object: &str) -> String {
    let (ns, so) = (quote(namespace), quote(scaled_object));
    format!(
        "keda_scaler_metrics_value{{exported_namespace={ns},scaledObject={so},type!=\"scaledjob\"}} or keda_scaler_metrics_value{{namespace={ns},scaledObject={so},type!=\"scaledjob\"}}"
    )
}

/// KEDA's per-trigger metric values of one ScaledJob (KEDA puts the ScaledJob's name in the
/// `scaledObject` label, with `type="scaledjob"`).
pub fn keda_scaled_job_metric_query(namespace: &str, scaled_job: &str) -> String {
    let (ns, sj) = (quote(namespace), quote(scaled_job));
    format!(
        "keda_scaler_metrics_value{{exported_namespace={ns},scaledObject={sj},type=\"scaledjob\"}} or keda_scaler_metrics_value{{namespace={ns},scaledObject={sj},type=\"scaledjob\"}}"
    )
}

/// Current and desired replicas of the HPA KEDA manages (kube-state-metrics), as series
/// labelled `series="current"` / `"desired"`.
pub fn hpa_replicas_query(namespace: &str, hpa: &str) -> String {
    let (ns, h) = (quote(namespace), quote(hpa));
    format!(
        "label_replace(kube_horizontalpodautoscaler_status_current_replicas{{namespace={ns},horizontalpodautoscaler={h}}}, \"series\", \"current\", \"\", \"\") or label_replace(kube_horizontalpodautoscaler_status_desired_replicas{{namespace={ns},horizontalpodautoscaler={h}}}, \"series\", \"desired\", \"\", \"\")"
    )
}

/// Running Jobs of a ScaledJob (kube-state-metrics `kube_job_owner` joins Jobs to their owner).
pub fn scaled_job_replicas_query(namespace: &str, scaled_job: &str) -> String {
    let (ns, sj) = (quote(namespace), quote(scaled_job));
    format!(
        "sum(kube_job_status_active{{namespace={ns}}} * on(job_name, namespace) group_left kube_job_owner{{namespace={ns},owner_kind=\"ScaledJob\",owner_name={sj}}})"
    )
}

/// A NodePool's usage and limits by resource (Karpenter's metrics), labelled
/// `series="usage"` / `"limit"`; every `resource_type` is its own series.
pub fn nodepool_usage_query(nodepool: &str) -> String {
    let np = quote(nodepool);
    format!(
        "label_replace(karpenter_nodepools_usage{{nodepool={np}}}, \"series\", \"usage\", \"\", \"\") or label_replace(karpenter_nodepools_limit{{nodepool={np}}}, \"series\", \"limit\", \"\", \"\")"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_kept() {
        let body = br#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"resource_type":"cpu"},"values":[[1,"1"],[2,"NaN"],[3,"x"]]},
            {"metric":{"resource_type":"memory"},"values":[[1,"1024"]]}]}}"#;
        let s = parse_response(body).expect("ok");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].points.len(), 2, "junk value skipped, NaN kept");
        assert_eq!(s[1].labels["resource_type"], "memory");
        let v = parse_response(br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[5,"2.5"]}]}}"#)
            .expect("ok");
        assert_eq!(v[0].points, vec![(5.0, 2.5)]);
    }

    #[test]
    fn errors_are_errors() {
        assert!(parse_response(br#"{"status":"error","error":"bad query"}"#).is_err());
        assert!(parse_response(b"<html>").is_err());
        assert!(
            parse_response(br#"{"status":"success","data":{"resultType":"scalar","result":[]}}"#).is_err()
        );
    }

    #[test]
    fn label_values_are_quoted() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        let q = keda_metric_query("team-a", "x\"y");
        assert!(
            q.contains(r#"scaledObject="x\"y""#) && q.contains("exported_namespace=") && q.contains(" or ")
        );
        assert!(keda_scaled_job_metric_query("n", "s").contains(r#"type="scaledjob""#));
        assert!(scaled_job_replicas_query("n", "s").contains(r#"owner_name="s""#));
        assert_eq!(step_for(3600.0), 30.0);
        assert_eq!(History::window(1000.0, 10.0).start, 940.0);
    }
}
