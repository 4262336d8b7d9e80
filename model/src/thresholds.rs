//! Which metadata keys of a KEDA trigger hold its target and its activation threshold, per
//! scaler type, with KEDA's defaults — read from each scaler's struct tags
//! (`keda:"name=listLength, order=triggerMetadata, default=5"`) in kedacore/keda
//! `pkg/scalers/<scaler>_scaler.go` (main of 2026-08-20, KEDA 2.21). A key KEDA marks
//! `optional` without a default reads as Go's zero value, so its activation is 0.
//!
//! Scalers not in the table (custom `external` scalers, new ones) fall back to the common key
//! names, so a value is shown whenever the metadata says it plainly.

use crate::keda::Trigger;
use crate::quantity::Quantity;
use serde::{Deserialize, Serialize};

/// One scaler type's keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScalerKeys {
    /// Trigger `type`s this entry covers.
    pub types: &'static [&'static str],
    /// Keys of the target, first present wins (aliases, or one per mode).
    pub target: &'static [&'static str],
    /// KEDA's default target when no key is set.
    pub target_default: Option<f64>,
    /// Keys of the activation threshold, first present wins.
    pub activation: &'static [&'static str],
    /// KEDA's default activation when no key is set (0 for optional keys without a default).
    pub activation_default: Option<f64>,
    /// The KEDA file the keys were read from.
    pub source: &'static str,
}

const fn keys(
    types: &'static [&'static str],
    target: &'static [&'static str],
    target_default: Option<f64>,
    activation: &'static [&'static str],
    activation_default: Option<f64>,
    source: &'static str,
) -> ScalerKeys {
    ScalerKeys { types, target, target_default, activation, activation_default, source }
}

/// The table, by scaler type.
#[rustfmt::skip]
pub const SCALERS: &[ScalerKeys] = &[
    keys(&["activemq"], &["targetQueueSize"], Some(10.0), &["activationTargetQueueSize"], Some(0.0), "activemq_scaler.go"),
    keys(&["apache-kafka"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], Some(0.0), "apache_kafka_scaler.go"),
    keys(&["arangodb"], &["queryValue"], Some(0.0), &["activationQueryValue"], Some(0.0), "arangodb_scaler.go"),
    keys(&["artemis-queue"], &["queueLength"], Some(10.0), &["activationQueueLength"], Some(10.0), "artemis_scaler.go"),
    keys(&["aws-cloudwatch"], &["targetMetricValue"], None, &["activationTargetMetricValue"], Some(0.0), "aws_cloudwatch_scaler.go"),
    keys(&["aws-dynamodb"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "aws_dynamodb_scaler.go"),
    keys(&["aws-dynamodb-streams"], &["shardCount"], Some(2.0), &["activationShardCount"], Some(0.0), "aws_dynamodb_streams_scaler.go"),
    keys(&["aws-kinesis-stream"], &["shardCount"], Some(2.0), &["activationShardCount"], Some(0.0), "aws_kinesis_stream_scaler.go"),
    keys(&["aws-sqs-queue"], &["queueLength"], Some(5.0), &["activationQueueLength"], Some(0.0), "aws_sqs_queue_scaler.go"),
    keys(&["azure-app-insights"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "azure_app_insights_scaler.go"),
    keys(&["azure-blob"], &["blobCount"], Some(5.0), &["activationBlobCount"], Some(0.0), "azure_blob_scaler.go"),
    keys(&["azure-data-explorer"], &["threshold"], None, &["activationThreshold"], Some(0.0), "azure_data_explorer_scaler.go"),
    keys(&["azure-eventhub"], &["unprocessedEventThreshold"], Some(64.0), &["activationUnprocessedEventThreshold"], Some(0.0), "azure_eventhub_scaler.go"),
    keys(&["azure-log-analytics"], &["threshold"], None, &["activationThreshold"], Some(0.0), "azure_log_analytics_scaler.go"),
    keys(&["azure-monitor"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "azure_monitor_scaler.go"),
    keys(&["azure-pipelines"], &["targetPipelinesQueueLength"], Some(1.0), &["activationTargetPipelinesQueueLength"], Some(0.0), "azure_pipelines_scaler.go"),
    keys(&["azure-queue"], &["queueLength"], Some(5.0), &["activationQueueLength"], Some(0.0), "azure_queue_scaler.go"),
    keys(&["azure-servicebus"], &["messageCount"], Some(5.0), &["activationMessageCount"], Some(0.0), "azure_servicebus_scaler.go"),
    keys(&["beanstalkd"], &["value"], None, &["activationValue"], Some(0.0), "beanstalkd_scaler.go"),
    keys(&["cassandra"], &["targetQueryValue"], None, &["activationTargetQueryValue"], Some(0.0), "cassandra_scaler.go"),
    keys(&["clickhouse"], &["targetQueryValue"], None, &["activationTargetQueryValue"], Some(0.0), "clickhouse_scaler.go"),
    keys(&["couchdb"], &["queryValue"], None, &["activationQueryValue"], Some(0.0), "couchdb_scaler.go"),
    // cpu/memory: `value` is a utilization % or an average quantity (metricType); no activation.
    keys(&["cpu", "memory"], &["value"], None, &[], None, "cpu_memory_scaler.go"),
    // cron: the replicas wanted inside the window; active inside it, no threshold.
    keys(&["cron"], &["desiredReplicas"], None, &[], None, "cron_scaler.go"),
    keys(&["datadog"], &["targetValue", "queryValue"], None, &["activationQueryValue", "activationTargetValue"], Some(0.0), "datadog_scaler.go"),
    keys(&["dynatrace"], &["threshold"], None, &["activationThreshold"], Some(0.0), "dynatrace_scaler.go"),
    keys(&["elastic-forecast"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "elastic_forecast_scaler.go"),
    keys(&["elasticsearch"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "elasticsearch_scaler.go"),
    keys(&["etcd"], &["value"], None, &["activationValue"], Some(0.0), "etcd_scaler.go"),
    keys(&["gcp-cloudtasks"], &["value"], Some(100.0), &["activationValue"], Some(0.0), "gcp_cloud_tasks_scaler.go"),
    keys(&["gcp-pubsub"], &["value"], Some(10.0), &["activationValue"], Some(0.0), "gcp_pubsub_scaler.go"),
    keys(&["gcp-spanner"], &["targetValue"], Some(5.0), &["activationValue"], Some(0.0), "gcp_spanner_scaler.go"),
    keys(&["gcp-stackdriver"], &["targetValue"], Some(5.0), &["activationTargetValue"], Some(0.0), "gcp_stackdriver_scaler.go"),
    keys(&["gcp-storage"], &["targetObjectCount"], Some(100.0), &["activationTargetObjectCount"], Some(0.0), "gcp_storage_scaler.go"),
    keys(&["github-runner"], &["targetWorkflowQueueLength"], Some(1.0), &[], None, "github_runner_scaler.go"),
    keys(&["graphite"], &["threshold"], Some(100.0), &["activationThreshold"], Some(0.0), "graphite_scaler.go"),
    keys(&["huawei-cloudeye"], &["targetMetricValue"], None, &["activationTargetMetricValue"], Some(0.0), "huawei_cloudeye_scaler.go"),
    keys(&["ibmmq"], &["queueDepth"], Some(20.0), &["activationQueueDepth"], Some(0.0), "ibmmq_scaler.go"),
    keys(&["influxdb"], &["thresholdValue"], None, &["activationThresholdValue"], Some(0.0), "influxdb_scaler.go"),
    keys(&["kafka"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], Some(0.0), "kafka_scaler.go"),
    keys(&["kubernetes-resource"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "kubernetes_resource_scaler.go"),
    keys(&["kubernetes-workload"], &["value"], Some(0.0), &["activationValue"], Some(0.0), "kubernetes_workload_scaler.go"),
    keys(&["liiklus"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], Some(0.0), "liiklus_scaler.go"),
    keys(&["loki"], &["threshold"], None, &["activationThreshold"], Some(0.0), "loki_scaler.go"),
    keys(&["metrics-api"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "metrics_api_scaler.go"),
    keys(&["mongodb"], &["queryValue"], None, &["activationQueryValue"], Some(0.0), "mongo_scaler.go"),
    keys(&["mssql"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "mssql_scaler.go"),
    keys(&["mysql"], &["queryValue"], None, &["activationQueryValue"], Some(0.0), "mysql_scaler.go"),
    keys(&["nats-jetstream"], &["lagThreshold"], Some(10.0), &["activationLagThreshold"], Some(0.0), "nats_jetstream_scaler.go"),
    keys(&["new-relic"], &["threshold"], None, &["activationThreshold"], Some(0.0), "newrelic_scaler.go"),
    keys(&["nsq"], &["depthThreshold"], Some(10.0), &["activationDepthThreshold"], Some(0.0), "nsq_scaler.go"),
    keys(&["openstack-metric"], &["threshold"], None, &["activationThreshold"], Some(0.0), "openstack_metrics_scaler.go"),
    keys(&["openstack-swift"], &["objectCount"], Some(2.0), &["activationObjectCount"], Some(0.0), "openstack_swift_scaler.go"),
    keys(&["opensearch"], &["targetValue"], None, &["activationTargetValue"], Some(0.0), "opensearch_scaler.go"),
    keys(&["postgresql"], &["targetQueryValue"], None, &["activationTargetQueryValue"], Some(0.0), "postgresql_scaler.go"),
    keys(&["predictkube"], &["threshold"], None, &["activationThreshold"], Some(0.0), "predictkube_scaler.go"),
    keys(&["prometheus"], &["threshold"], None, &["activationThreshold"], Some(0.0), "prometheus_scaler.go"),
    keys(&["pulsar"], &["msgBacklogThreshold"], Some(10.0), &["activationMsgBacklogThreshold"], Some(0.0), "pulsar_scaler.go"),
    // rabbitmq: `value` (with `mode`), or the older `queueLength`; 20 messages when neither is set.
    keys(&["rabbitmq"], &["value", "queueLength"], Some(20.0), &["activationValue"], Some(0.0), "rabbitmq_scaler.go"),
    keys(&["redis", "redis-cluster", "redis-sentinel"], &["listLength"], Some(5.0), &["activationListLength"], Some(0.0), "redis_scaler.go"),
    // redis streams: the target depends on the mode (see `redis_streams_target`).
    keys(&["redis-streams", "redis-cluster-streams", "redis-sentinel-streams"], &["streamLength"], Some(5.0), &["activationLagCount"], Some(0.0), "redis_streams_scaler.go"),
    // selenium-grid: one session per replica (target fixed at 1 in code).
    keys(&["selenium-grid"], &[], Some(1.0), &["activationThreshold"], Some(0.0), "selenium_grid_scaler.go"),
    keys(&["solace-event-queue"], &["messageCountTarget", "messageSpoolUsageTarget", "messageReceiveRateTarget"], None, &["activationMessageCountTarget", "activationMessageSpoolUsageTarget", "activationMessageReceiveRateTarget"], Some(0.0), "solace_scaler.go"),
    keys(&["solarwinds"], &["targetValue"], None, &["activationValue"], Some(0.0), "solarwinds_scaler.go"),
    keys(&["solr"], &["targetQueryValue"], None, &["activationTargetQueryValue"], Some(0.0), "solr_scaler.go"),
    keys(&["splunk"], &["targetValue"], None, &["activationValue"], None, "splunk_scaler.go"),
    keys(&["splunk-observability"], &["targetValue"], None, &["activationTargetValue"], None, "splunk_observability_scaler.go"),
    keys(&["sumologic"], &["threshold"], None, &["activationThreshold"], Some(0.0), "sumologic_scaler.go"),
    keys(&["temporal"], &["targetQueueSize"], Some(5.0), &["activationTargetQueueSize"], Some(0.0), "temporal_scaler.go"),
];

/// Keys tried, in order, for scaler types not in [`SCALERS`].
const FALLBACK_TARGET_KEYS: &[&str] = &[
    "threshold",
    "targetValue",
    "value",
    "listLength",
    "queueLength",
    "lagThreshold",
    "targetQueryValue",
    "queryValue",
    "messageCount",
    "desiredReplicas",
];

/// A trigger's thresholds and where they came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Thresholds {
    /// Metadata key of the target (set even when KEDA's default applies).
    pub target_key: Option<String>,
    /// Target.
    pub target: Option<f64>,
    /// The target is KEDA's default (the key is not in the trigger's metadata).
    pub target_defaulted: bool,
    /// Metadata key of the activation threshold.
    pub activation_key: Option<String>,
    /// Activation threshold.
    pub activation: Option<f64>,
    /// The activation is KEDA's default.
    pub activation_defaulted: bool,
}

/// The table entry of a scaler type.
pub fn keys_of(scaler_type: &str) -> Option<&'static ScalerKeys> {
    SCALERS.iter().find(|k| k.types.contains(&scaler_type))
}

fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    s.parse::<f64>().ok().filter(|v| v.is_finite()).or_else(|| Quantity::parse(s).ok().map(|q| q.as_f64()))
}

fn first<'t>(t: &'t Trigger, keys: &[&'static str]) -> Option<(&'static str, &'t str)> {
    keys.iter().find_map(|k| t.metadata.get(*k).map(|v| (*k, v.as_str())))
}

fn present(t: &Trigger, key: &str) -> bool {
    t.metadata.get(key).is_some_and(|v| !v.trim().is_empty())
}

/// Redis streams pick their target by mode: no consumer group → `streamLength`; a consumer
/// group with `lagCount` → `lagCount`; else `pendingEntriesCount` (`Validate()` in
/// redis_streams_scaler.go).
fn redis_streams_target(t: &Trigger) -> (&'static str, Option<f64>) {
    if !present(t, "consumerGroup") {
        ("streamLength", Some(5.0))
    } else if present(t, "lagCount") {
        ("lagCount", None)
    } else {
        ("pendingEntriesCount", Some(5.0))
    }
}

/// The target and activation threshold of a trigger.
pub fn thresholds(t: &Trigger) -> Thresholds {
    let Some(k) = keys_of(&t.type_) else {
        // Unknown scaler: the common names, and `activation<Key>` next to the target's key.
        let target = first(t, FALLBACK_TARGET_KEYS);
        let activation = target.and_then(|(key, _)| {
            let mut c = key.chars();
            let cap: String =
                c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default();
            let name = format!("activation{cap}");
            t.metadata.get(&name).map(|v| (name, v.as_str()))
        });
        let activation = activation.or_else(|| {
            first(t, &["activationThreshold", "activationValue", "activationTargetValue"])
                .map(|(k, v)| (k.to_owned(), v))
        });
        return Thresholds {
            target_key: target.map(|(k, _)| k.to_owned()),
            target: target.and_then(|(_, v)| number(v)),
            activation_key: activation.as_ref().map(|(k, _)| k.clone()),
            activation: activation.and_then(|(_, v)| number(v)),
            ..Default::default()
        };
    };
    let streams = k.source == "redis_streams_scaler.go";
    let (target_key, target, target_defaulted) = if streams {
        let (key, default) = redis_streams_target(t);
        match t.metadata.get(key) {
            Some(v) => (Some(key), number(v), false),
            None => (Some(key), default, default.is_some()),
        }
    } else {
        match first(t, k.target) {
            Some((key, v)) => (Some(key), number(v), false),
            None => (k.target.first().copied(), k.target_default, k.target_default.is_some()),
        }
    };
    let (activation_key, activation, activation_defaulted) = match first(t, k.activation) {
        Some((key, v)) => (Some(key), number(v), false),
        None => (k.activation.first().copied(), k.activation_default, k.activation_default.is_some()),
    };
    Thresholds {
        target_key: target_key.map(str::to_owned),
        target,
        target_defaulted,
        activation_key: activation_key.map(str::to_owned),
        activation,
        activation_defaulted,
    }
}
