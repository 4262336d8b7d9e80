//! `cluster.json`: the machine-readable description of the running local cluster that tests
//! (`testenv`), the server's `insights.rs` and other tools read. Schema documented in README.md
//! ("Local cluster") and /work/notes/cluster.md; bump `schema` on incompatible changes.

use super::layout::Ports;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Contents of `cluster.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClusterInfo {
    /// Schema version of this file.
    pub schema: u32,
    /// The state directory (pki/, logs/, run/, data/, config/).
    pub state_dir: PathBuf,
    /// Kubeconfig with the contexts in `contexts`.
    pub kubeconfig: PathBuf,
    /// Context names (one per user).
    pub contexts: Vec<String>,
    /// `https://127.0.0.1:<port>`.
    pub apiserver: String,
    /// Every port of the cluster.
    pub ports: Ports,
    /// `http://127.0.0.1:<port>` of Prometheus.
    pub prometheus_url: String,
    /// The Redis used as the demo's queue.
    pub redis: RedisInfo,
    /// `http://127.0.0.1:<port>` of the demo load driver (`/metrics`, `POST /cloudevents`).
    pub load_driver_url: String,
    /// A loopback address where nothing listens (failing triggers point here).
    pub dead_addr: String,
    /// Certificates and keys.
    pub pki: PkiInfo,
    /// Users by name (`admin`, `alice`, `bob`).
    pub users: BTreeMap<String, UserInfo>,
    /// Version of every component (Go modules and Debian packages).
    pub versions: BTreeMap<String, String>,
    /// The scenario applied by `up --scenario`, if any.
    pub scenario: Option<String>,
    /// One log file per component: `<logs_dir>/<component>.log`.
    pub logs_dir: PathBuf,
    /// One pid file per component: `<run_dir>/<component>.pid`.
    pub run_dir: PathBuf,
}

/// Redis address and password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RedisInfo {
    /// `127.0.0.1:<port>`.
    pub addr: String,
    /// `requirepass` of this Redis.
    pub password: String,
}

/// Paths of the generated PKI.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PkiInfo {
    /// Directory of everything below.
    pub dir: PathBuf,
    /// Cluster CA (serving cert of the apiserver, client certs).
    pub ca_cert: PathBuf,
    /// Cluster CA key.
    pub ca_key: PathBuf,
    /// Front-proxy CA (`--requestheader-client-ca-file`); separate from the cluster CA.
    pub front_proxy_ca_cert: PathBuf,
    /// Front-proxy CA key.
    pub front_proxy_ca_key: PathBuf,
    /// The apiserver's client certificate towards aggregated APIs (CN `front-proxy-client`).
    pub front_proxy_client_cert: PathBuf,
    /// Its key.
    pub front_proxy_client_key: PathBuf,
    /// Admin client certificate (group system:masters).
    pub admin_cert: PathBuf,
    /// Admin client key.
    pub admin_key: PathBuf,
    /// Service-account token signing key.
    pub service_account_key: PathBuf,
    /// Its public key.
    pub service_account_pub: PathBuf,
    /// Static tokens of alice and bob (`--token-auth-file`).
    pub tokens_csv: PathBuf,
}

/// One user of the kubeconfig.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserInfo {
    /// Kubeconfig context of this user.
    pub context: String,
    /// Kubernetes user name.
    pub username: String,
    /// Kubernetes groups.
    pub groups: Vec<String>,
    /// Bearer token, for token users.
    pub token: Option<String>,
    /// Client certificate, for certificate users.
    pub client_cert: Option<PathBuf>,
    /// Client key, for certificate users.
    pub client_key: Option<PathBuf>,
    /// What this user may do, in words.
    pub rights: String,
}
