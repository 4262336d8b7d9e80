//! Live trigger values from the External Metrics API (`external.metrics.k8s.io/v1beta1`, served by
//! KEDA's metrics server): the same numbers the HPA acts on, without Prometheus.
//!
//! Polled in the background (like the HPA, every few seconds) so requests never wait on it; each
//! value carries when it was read, or why it could not be.

use crate::caches::Caches;
use crate::metrics::Metrics;
use futures::StreamExt;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// `(namespace, ScaledObject, metric name)`.
pub type MetricKey = (String, String, String);

/// One trigger's live value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveValue {
    /// The value in base units (the sum of every series, as the HPA adds them), when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When it was read or tried (RFC 3339).
    pub at: String,
}

/// Latest values of every trigger.
#[derive(Debug, Default)]
pub struct LiveValues(RwLock<BTreeMap<MetricKey, LiveValue>>);

impl LiveValues {
    /// Every value.
    pub fn all(&self) -> BTreeMap<MetricKey, LiveValue> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn replace(&self, values: BTreeMap<MetricKey, LiveValue>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = values;
    }
}

/// Reads an `ExternalMetricValueList` body: the sum of its series (`model::k8s`'s one reader).
pub fn parse_value_list(body: &str) -> Result<f64, String> {
    let list: model::k8s::ExternalMetricValueList =
        serde_json::from_str(body).map_err(|e| format!("not an ExternalMetricValueList: {e}"))?;
    list.total().ok_or_else(|| "no value returned".to_owned())
}

async fn read_one(client: &kube::Client, key: &MetricKey, timeout: Duration) -> Result<f64, String> {
    let (ns, so, metric) = key;
    let req = http::Request::get(model::paths::external_metric(ns, metric, so))
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    match tokio::time::timeout(timeout, client.request_text(req)).await {
        Err(_) => Err(format!("no answer within {timeout:?}")),
        Ok(Err(kube::Error::Api(s))) if s.code == 404 => Err(format!(
            "external metrics API has no {metric} (is KEDA's metrics server registered?): {}",
            s.message
        )),
        Ok(Err(kube::Error::Api(s))) if s.code == 403 => {
            Err(format!("no permission to read external metrics: {}", s.message))
        }
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(body)) => parse_value_list(&body),
    }
}

/// Polls every ScaledObject's external metrics every `period` until the process ends.
pub async fn run(
    client: kube::Client,
    caches: Arc<Caches>,
    live: Arc<LiveValues>,
    metrics: Metrics,
    period: Duration,
    timeout: Duration,
) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let keys: Vec<MetricKey> = caches
            .snapshot()
            .scaledobjects
            .iter()
            .flat_map(|so| {
                let m = &so.object.metadata;
                so.object
                    .status
                    .external_metric_names
                    .iter()
                    .map(|metric| (m.ns().to_owned(), m.name.clone(), metric.clone()))
            })
            .collect();
        let results: Vec<(MetricKey, Result<f64, String>)> = futures::stream::iter(keys)
            .map(|k| {
                let client = client.clone();
                async move {
                    let r = read_one(&client, &k, timeout).await;
                    (k, r)
                }
            })
            .buffer_unordered(4)
            .collect()
            .await;
        let at = jiff::Timestamp::now().to_string();
        let values = results
            .into_iter()
            .map(|(k, r)| {
                let v = match r {
                    Ok(v) => LiveValue { value: Some(v), error: None, at: at.clone() },
                    Err(e) => {
                        metrics.external_metrics_errors.inc();
                        tracing::debug!(namespace = %k.0, scaled_object = %k.1, metric = %k.2, error = %e, "external metric");
                        LiveValue { value: None, error: Some(e), at: at.clone() }
                    }
                };
                (k, v)
            })
            .collect();
        live.replace(values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keda_value_list() {
        let body = r#"{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},
            "items":[{"metricName":"s0-redis-jobs","metricLabels":null,"timestamp":"2026-11-30T05:00:00Z","value":"1500m"}]}"#;
        assert_eq!(parse_value_list(body), Ok(1.5));
        assert!(parse_value_list(r#"{"items":[]}"#).is_err());
        assert!(parse_value_list("garbage").is_err());
    }
}
