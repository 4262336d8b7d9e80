//! Command-line flags (every flag can also be set through the environment variable it names).

use clap::{Parser, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The in-cluster server of Autoscaling Insights: an aggregated API `insights.autoscaling.dev/v1alpha1`.
#[derive(Debug, Clone, Parser)]
#[command(name = "autoscaling-insights", version, about)]
pub struct Args {
    /// Address of the TLS listener (the aggregated API, health and metrics).
    #[arg(long, env = "AI_LISTEN", default_value = "0.0.0.0:8443")]
    pub listen: SocketAddr,

    /// Address of the internal plain-HTTP listener: `/healthz`, `/livez`, `/readyz?verbose` and
    /// `/metrics` (for kubelet probes and Prometheus; not for users). Empty: not served.
    #[arg(long, env = "AI_INTERNAL_LISTEN", default_value = "0.0.0.0:8080")]
    pub internal_listen: String,

    /// PEM serving certificate (chain). Its SANs must include `<service>.<namespace>.svc`.
    /// Re-read when the file changes (cert-manager / Secret rotation).
    #[arg(long, env = "AI_TLS_CERT_FILE")]
    pub tls_cert_file: PathBuf,

    /// PEM private key of the serving certificate.
    #[arg(long, env = "AI_TLS_KEY_FILE")]
    pub tls_key_file: PathBuf,

    /// Namespace of the `extension-apiserver-authentication` ConfigMap (front-proxy trust).
    #[arg(long, env = "AI_AUTH_CONFIG_NAMESPACE", default_value = "kube-system")]
    pub auth_config_namespace: String,

    /// How long a SubjectAccessReview answer is reused (allowed and denied alike).
    #[arg(long, env = "AI_SAR_CACHE_TTL", default_value = "10s", value_parser = humantime::parse_duration)]
    pub sar_cache_ttl: Duration,

    /// SubjectAccessReviews one user may cause at once; beyond, requests answer 429 with Retry-After
    /// (answers already reviewed stay cached, so the retry goes further).
    #[arg(long, env = "AI_SAR_BURST", default_value_t = 3000.0)]
    pub sar_burst: f64,

    /// SubjectAccessReviews one user may cause per second, sustained.
    #[arg(long, env = "AI_SAR_RATE", default_value_t = 200.0)]
    pub sar_rate: f64,

    /// SQLite file of the scaling journal. Put it on a volume to keep history across restarts.
    #[arg(long, env = "AI_JOURNAL_PATH", default_value = "/var/lib/autoscaling-insights/journal.sqlite")]
    pub journal_path: PathBuf,

    /// Journal entries older than this are deleted.
    #[arg(long, env = "AI_JOURNAL_RETENTION", default_value = "14d", value_parser = humantime::parse_duration)]
    pub journal_retention: Duration,

    /// The journal is trimmed (oldest first) to stay below this many bytes.
    #[arg(long, env = "AI_JOURNAL_MAX_BYTES", default_value_t = 256 * 1024 * 1024)]
    pub journal_max_bytes: u64,

    /// How often optional API groups (KEDA, Karpenter, NodeClasses, scale targets) are re-discovered,
    /// so CRDs installed after start are picked up.
    #[arg(long, env = "AI_DISCOVERY_INTERVAL", default_value = "60s", value_parser = humantime::parse_duration)]
    pub discovery_interval: Duration,

    /// Custom scale-target kinds (named by ScaledObjects' `scaleTargetRef`) the server may watch, as
    /// `Kind.group` (`Rollout.argoproj.io`; a core kind without a group). Empty: every kind with a
    /// `/scale` subresource. Deployments and StatefulSets are always watched; the server's own API
    /// never is. Comma-separated.
    #[arg(long, env = "AI_SCALE_TARGET_KINDS", value_delimiter = ',')]
    pub scale_target_kinds: Vec<String>,

    /// Prometheus base URL for history (optional; without it history is reported as not configured).
    #[arg(long, env = "AI_PROMETHEUS_URL")]
    pub prometheus_url: Option<String>,

    /// File holding a bearer token sent to Prometheus.
    #[arg(long, env = "AI_PROMETHEUS_BEARER_TOKEN_FILE")]
    pub prometheus_bearer_token_file: Option<PathBuf>,

    /// Basic-auth user name for Prometheus (password from `--prometheus-password-file`).
    #[arg(long, env = "AI_PROMETHEUS_USERNAME")]
    pub prometheus_username: Option<String>,

    /// File holding the basic-auth password for Prometheus.
    #[arg(long, env = "AI_PROMETHEUS_PASSWORD_FILE")]
    pub prometheus_password_file: Option<PathBuf>,

    /// Tenant sent as `X-Scope-OrgID` (Cortex, Mimir, Thanos receive).
    #[arg(long, env = "AI_PROMETHEUS_TENANT")]
    pub prometheus_tenant: Option<String>,

    /// PEM CA bundle for an https Prometheus (default: the system roots).
    #[arg(long, env = "AI_PROMETHEUS_CA_FILE")]
    pub prometheus_ca_file: Option<PathBuf>,

    /// Upper bound of one Prometheus query.
    #[arg(long, env = "AI_PROMETHEUS_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
    pub prometheus_timeout: Duration,

    /// Node label holding the node's price in $/h, read first (empty: do not read labels).
    /// Karpenter's kwok provider and eks-node-viewer write this one.
    #[arg(long, env = "AI_PRICE_LABEL", default_value = "eks-node-viewer/instance-price")]
    pub price_label: String,

    /// JSON price table: `{"prices": {"m5.large": 0.096, "m5.large/spot": 0.035},
    /// "capacityTypeMultipliers": {"spot": 0.35}}` (e.g. a mounted ConfigMap; re-read when it changes).
    #[arg(long, env = "AI_PRICE_TABLE_FILE")]
    pub price_table_file: Option<PathBuf>,

    /// PromQL returning $/h per offering, with labels `instance_type`, `capacity_type`, `zone`
    /// (e.g. Karpenter's `karpenter_cloudprovider_instance_type_offering_price_estimate`). Needs
    /// `--prometheus-url`.
    #[arg(long, env = "AI_PRICE_QUERY")]
    pub price_query: Option<String>,

    /// How often the price query runs and the price table file is re-read.
    #[arg(long, env = "AI_PRICE_REFRESH", default_value = "5m", value_parser = humantime::parse_duration)]
    pub price_refresh: Duration,

    /// How often live trigger values are read from the External Metrics API.
    #[arg(long, env = "AI_EXTERNAL_METRICS_INTERVAL", default_value = "15s", value_parser = humantime::parse_duration)]
    pub external_metrics_interval: Duration,

    /// Upper bound of one External Metrics API request (live trigger values).
    #[arg(long, env = "AI_EXTERNAL_METRICS_TIMEOUT", default_value = "3s", value_parser = humantime::parse_duration)]
    pub external_metrics_timeout: Duration,

    /// Other replicas, as `host:port` of their API port, resolved every round (the chart gives a
    /// headless Service's name: every replica's address). Each replica pulls the others' journal
    /// changes, so all answer the same history. Peers prove themselves with the serving key.
    #[arg(long, env = "AI_PEERS", value_delimiter = ',')]
    pub peers: Vec<String>,

    /// This replica's pod IP (downward API), so it never asks itself.
    #[arg(long, env = "AI_POD_IP")]
    pub pod_ip: Option<std::net::IpAddr>,

    /// How often peers' journal changes are pulled.
    #[arg(long, env = "AI_PEER_SYNC_INTERVAL", default_value = "10s", value_parser = humantime::parse_duration)]
    pub peer_sync_interval: Duration,

    /// Open connections at most on the API port (kube-apiserver keeps a few; more wait in the queue).
    #[arg(long, env = "AI_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// How long in-flight requests may finish after SIGTERM.
    #[arg(long, env = "AI_SHUTDOWN_GRACE", default_value = "20s", value_parser = humantime::parse_duration)]
    pub shutdown_grace: Duration,

    /// Log format.
    #[arg(long, env = "AI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Json)]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line (for log collectors).
    Json,
    /// Human-readable lines.
    Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let a = Args::try_parse_from([
            "autoscaling-insights",
            "--tls-cert-file",
            "c.pem",
            "--tls-key-file",
            "k.pem",
        ])
        .expect("required flags given");
        assert_eq!(a.listen.port(), 8443);
        assert_eq!(a.sar_cache_ttl, Duration::from_secs(10));
        assert_eq!(a.journal_retention, Duration::from_secs(14 * 86400));
        assert!(a.prometheus_url.is_none());
    }

    #[test]
    fn serving_cert_is_required() {
        assert!(Args::try_parse_from(["autoscaling-insights"]).is_err());
    }
}
