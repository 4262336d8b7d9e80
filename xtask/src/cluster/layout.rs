//! Where the local cluster keeps its state, and the loopback ports it listens on.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The cluster's state directory, `~/.cache/autoscaling-insights/cluster/` (never committed).
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The default state directory.
    pub fn default_dir() -> Self {
        Self { root: crate::paths::cache().join("cluster") }
    }

    /// The state directory itself.
    pub fn root(&self) -> PathBuf {
        self.root.clone()
    }
    /// Generated certificates and keys.
    pub fn pki_dir(&self) -> PathBuf {
        self.root.join("pki")
    }
    /// One pid file per process.
    pub fn run_dir(&self) -> PathBuf {
        self.root.join("run")
    }
    /// One log file per process.
    pub fn logs_dir(&self) -> PathBuf {
        self.root.join("logs")
    }
    /// Data of etcd, Prometheus, Redis.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }
    /// Generated configuration files (Prometheus, kwok stages, rendered manifests).
    pub fn config_dir(&self) -> PathBuf {
        self.root.join("config")
    }
    /// The kubeconfig with the contexts `admin`, `alice` and `bob`.
    pub fn kubeconfig(&self) -> PathBuf {
        self.root.join("kubeconfig")
    }
    /// The machine-readable description of the running cluster.
    pub fn cluster_json(&self) -> PathBuf {
        self.root.join("cluster.json")
    }
}

/// Every loopback port of the cluster (all listeners bind 127.0.0.1 unless noted).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Ports {
    /// etcd client port (http).
    pub etcd: u16,
    /// etcd peer port.
    pub etcd_peer: u16,
    /// kube-apiserver secure port.
    pub apiserver: u16,
    /// kube-controller-manager secure port (/healthz).
    pub controller_manager: u16,
    /// kube-scheduler secure port (/healthz).
    pub scheduler: u16,
    /// kwok's server (/healthz, /metrics).
    pub kwok: u16,
    /// Karpenter metrics (binds all interfaces: Karpenter has no bind-address option).
    pub karpenter_metrics: u16,
    /// Karpenter health probes (binds all interfaces, as above).
    pub karpenter_health: u16,
    /// KEDA operator metrics.
    pub keda_operator_metrics: u16,
    /// KEDA operator health probes.
    pub keda_operator_health: u16,
    /// KEDA operator gRPC metrics service (the adapter's upstream, mTLS).
    pub keda_operator_grpc: u16,
    /// KEDA metrics adapter secure port (the External Metrics API).
    pub keda_adapter: u16,
    /// KEDA adapter's own Prometheus metrics (binds all interfaces: no bind-address option).
    pub keda_adapter_metrics: u16,
    /// kube-state-metrics metrics.
    pub kube_state_metrics: u16,
    /// kube-state-metrics telemetry.
    pub kube_state_metrics_telemetry: u16,
    /// Prometheus web/API.
    pub prometheus: u16,
    /// Redis.
    pub redis: u16,
    /// The demo load driver (/metrics, POST /cloudevents).
    pub load_driver: u16,
    /// Nothing listens here, ever: triggers that must fail point at it.
    pub dead: u16,
    /// The Autoscaling Insights server's https aggregated API.
    pub insights: u16,
    /// The Autoscaling Insights server's internal port (plain http: health details, /metrics).
    #[serde(default = "insights_internal")]
    pub insights_internal: u16,
}

fn insights_internal() -> u16 {
    Ports::DEFAULT.insights_internal
}

impl Ports {
    /// The fixed port plan: a block in 26xxx, away from common defaults.
    pub const DEFAULT: Ports = Ports {
        etcd: 23799,
        etcd_peer: 23800,
        apiserver: 26443,
        controller_manager: 26257,
        scheduler: 26259,
        kwok: 26247,
        karpenter_metrics: 26080,
        karpenter_health: 26081,
        keda_operator_metrics: 26090,
        keda_operator_health: 26091,
        keda_operator_grpc: 26666,
        keda_adapter: 26444,
        keda_adapter_metrics: 26092,
        kube_state_metrics: 26800,
        kube_state_metrics_telemetry: 26801,
        prometheus: 26900,
        redis: 26379,
        load_driver: 26910,
        dead: 26399,
        insights: 26543,
        insights_internal: 26544,
    };
}

/// `127.0.0.1:<port>`.
pub fn local(port: u16) -> String {
    format!("127.0.0.1:{port}")
}
