//! The server's own metrics (`/metrics`, OpenMetrics text via `prometheus-client`).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// Labels of API requests.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The resource (`overviews`, ..., `discovery`, `other`).
    pub resource: String,
    /// HTTP status code.
    pub code: u16,
}

/// Labels naming a watched kind.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    /// `group/version/kind`.
    pub kind: String,
}

/// Labels of cache lookups.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    /// `hit` or `miss`.
    pub result: &'static str,
}

/// Every metric the server exports.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    /// Requests by resource and code.
    pub requests: Family<RequestLabels, Counter>,
    /// Request latency by resource.
    pub request_seconds: Family<KindLabels, Histogram>,
    /// SubjectAccessReview cache hits and misses.
    pub sar_lookups: Family<ResultLabels, Counter>,
    /// Reviews refused because a user spent their budget (the request answered 429).
    pub sar_throttled: Counter,
    /// Objects held per watched kind.
    pub watch_objects: Family<KindLabels, Gauge>,
    /// Watch errors per kind (relists, 403s, ...).
    pub watch_errors: Family<KindLabels, Counter>,
    /// Seconds from start until every watch had listed once.
    pub initial_sync_seconds: Gauge<f64, AtomicU64>,
    /// Journal rows.
    pub journal_entries: Gauge,
    /// Journal file size in bytes.
    pub journal_bytes: Gauge,
    /// 1 when the last Prometheus query succeeded, 0 when it failed.
    pub prometheus_up: Gauge,
    /// External Metrics API request failures.
    pub external_metrics_errors: Counter,
    /// Journal entries received from peer replicas.
    pub peer_entries: Counter,
    /// Failed rounds with a peer replica.
    pub peer_errors: Counter,
}

fn latency_buckets() -> Histogram {
    Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
}

impl Default for Metrics {
    fn default() -> Self {
        let mut r = Registry::with_prefix("autoscaling_insights");
        let requests = Family::<RequestLabels, Counter>::default();
        r.register("requests", "API requests by resource and status code", requests.clone());
        let request_seconds =
            Family::<KindLabels, Histogram>::new_with_constructor(latency_buckets as fn() -> Histogram);
        r.register("request_duration_seconds", "API request latency by resource", request_seconds.clone());
        let sar_lookups = Family::<ResultLabels, Counter>::default();
        r.register("sar_cache_lookups", "SubjectAccessReview cache lookups", sar_lookups.clone());
        let sar_throttled = Counter::default();
        r.register(
            "sar_throttled",
            "SubjectAccessReviews refused by a user's review budget (answered 429)",
            sar_throttled.clone(),
        );
        let watch_objects = Family::<KindLabels, Gauge>::default();
        r.register("watch_objects", "Objects held in the watch cache per kind", watch_objects.clone());
        let watch_errors = Family::<KindLabels, Counter>::default();
        r.register("watch_errors", "Watch errors per kind", watch_errors.clone());
        let watch_rejected = Family::<KindLabels, Counter>::default();
        r.register(
            "watch_rejected_objects",
            "Objects that could not be read, per kind",
            watch_rejected.clone(),
        );
        let initial_sync_seconds = Gauge::<f64, AtomicU64>::default();
        r.register(
            "initial_sync_seconds",
            "Seconds from start until every watch had listed once",
            initial_sync_seconds.clone(),
        );
        let journal_entries = Gauge::default();
        r.register("journal_entries", "Rows in the scaling journal", journal_entries.clone());
        let journal_bytes = Gauge::default();
        r.register("journal_bytes", "Size of the scaling journal file", journal_bytes.clone());
        let prometheus_up = Gauge::default();
        r.register("prometheus_up", "1 if the last Prometheus query succeeded", prometheus_up.clone());
        let external_metrics_errors = Counter::default();
        r.register(
            "external_metrics_errors",
            "External Metrics API failures",
            external_metrics_errors.clone(),
        );
        let peer_entries = Counter::default();
        r.register(
            "peer_journal_entries",
            "Journal entries received from peer replicas",
            peer_entries.clone(),
        );
        let peer_errors = Counter::default();
        r.register("peer_errors", "Failed journal rounds with a peer replica", peer_errors.clone());
        Self {
            registry: Arc::new(r),
            requests,
            request_seconds,
            sar_lookups,
            sar_throttled,
            watch_objects,
            watch_errors,
            initial_sync_seconds,
            journal_entries,
            journal_bytes,
            prometheus_up,
            external_metrics_errors,
            peer_entries,
            peer_errors,
        }
    }
}

impl Metrics {
    /// Counts one SubjectAccessReview cache lookup.
    pub fn sar(&self, hit: bool) {
        self.sar_lookups.get_or_create(&ResultLabels { result: if hit { "hit" } else { "miss" } }).inc();
    }

    /// Records one answered request.
    pub fn request(&self, resource: &str, code: u16, seconds: f64) {
        self.requests.get_or_create(&RequestLabels { resource: resource.to_owned(), code }).inc();
        self.request_seconds.get_or_create(&KindLabels { kind: resource.to_owned() }).observe(seconds);
    }

    /// The OpenMetrics text of every metric.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "encoding metrics");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_registered_metrics() {
        let m = Metrics::default();
        m.request("overviews", 200, 0.004);
        m.sar(true);
        let text = m.encode();
        assert!(
            text.contains("autoscaling_insights_requests_total{resource=\"overviews\",code=\"200\"} 1"),
            "{text}"
        );
        assert!(text.contains("autoscaling_insights_sar_cache_lookups_total{result=\"hit\"} 1"), "{text}");
        assert!(text.ends_with("# EOF\n"));
    }
}
