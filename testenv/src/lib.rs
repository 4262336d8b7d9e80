//! Test helper: starts or reuses the local cluster (`cargo xtask cluster up --scenario demo`) and
//! hands out `kube::Client`s per user.
//!
//! ```no_run
//! # async fn t() -> Result<(), testenv::Error> {
//! let env = testenv::TestEnv::get()?;
//! let alice = env.client(testenv::User::Alice).await?;
//! # Ok(()) }
//! ```
//!
//! The cluster is described by `cluster.json` (written by xtask: see README "Local cluster").
//! Reuse: if `cluster.json` exists and the apiserver's `/readyz` answers, nothing is started.
//! Otherwise `cargo xtask cluster up --scenario demo` runs once (under a file lock, so parallel test
//! binaries don't race); it is left running for the next test binary (`cargo xtask test` stops it).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What can go wrong getting a cluster or a client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `cargo xtask cluster up` failed.
    #[error("starting the local cluster failed ({status}); see the output above and the logs in {logs}")]
    Start {
        /// Exit status of the xtask.
        status: String,
        /// The cluster's logs directory.
        logs: String,
    },
    /// An IO error with context.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
    /// `cluster.json` could not be parsed.
    #[error("parsing {path}: {source}")]
    Description {
        /// Its path.
        path: String,
        /// The error.
        source: serde_json::Error,
    },
    /// The kubeconfig could not be turned into a client.
    #[error("kube client for {user}: {message}")]
    Client {
        /// The user.
        user: &'static str,
        /// The error.
        message: String,
    },
    /// The cluster is not ready after starting it.
    #[error("the local cluster is not ready: {0}")]
    NotReady(String),
    /// [`poll_until`] ran out of time.
    #[error("timed out after {after:?} waiting for {what}; last seen: {last}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// The deadline.
        after: Duration,
        /// The last observation or error.
        last: String,
    },
}

/// A user of the local cluster (a context of its kubeconfig).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    /// Cluster admin (client certificate, group system:masters).
    Admin,
    /// Token user with read/write in namespace `team-a` only.
    Alice,
    /// Token user with read-only rights cluster-wide, without karpenter.sh / karpenter.kwok.sh.
    Bob,
}

impl User {
    /// The kubeconfig context name.
    pub fn context(self) -> &'static str {
        match self {
            User::Admin => "admin",
            User::Alice => "alice",
            User::Bob => "bob",
        }
    }
}

/// The subset of `cluster.json` tests use.
#[derive(Debug, Clone, Deserialize)]
pub struct ClusterInfo {
    /// Kubeconfig with contexts admin, alice, bob.
    pub kubeconfig: PathBuf,
    /// `https://127.0.0.1:<port>`.
    pub apiserver: String,
    /// Prometheus base URL.
    pub prometheus_url: String,
    /// Redis of the demo.
    pub redis: Redis,
    /// Every port, by name.
    pub ports: BTreeMap<String, u16>,
    /// Directory of the components' log files.
    pub logs_dir: PathBuf,
    /// The scenario applied, if any.
    pub scenario: Option<String>,
    /// Component versions.
    pub versions: BTreeMap<String, String>,
}

/// Redis address and password.
#[derive(Debug, Clone, Deserialize)]
pub struct Redis {
    /// `127.0.0.1:<port>`.
    pub addr: String,
    /// Its password.
    pub password: String,
}

/// A running local cluster.
#[derive(Debug)]
pub struct TestEnv {
    /// What `cluster.json` says.
    pub info: ClusterInfo,
}

static ENV: OnceLock<Result<TestEnv, String>> = OnceLock::new();

impl TestEnv {
    /// The local cluster, started with the demo scenario unless it already runs. Blocking; the
    /// first call may take minutes (builds are cached).
    pub fn get() -> Result<&'static TestEnv, Error> {
        ENV.get_or_init(|| Self::start_or_reuse().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::NotReady(e.clone()))
    }

    fn start_or_reuse() -> Result<TestEnv, Error> {
        let state = state_dir();
        std::fs::create_dir_all(&state).map_err(|e| io(e, "creating the state directory"))?;
        let _lock = FileLock::acquire(&state.join("testenv.lock"))?;
        if let Ok(env) = Self::load(&state)
            && env.ready()
            && env.info.scenario.as_deref() == Some("demo")
        {
            return Ok(env);
        }
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf();
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&repo)
            .args(["xtask", "cluster", "up", "--scenario", "demo"])
            .status()
            .map_err(|e| io(e, "running `cargo xtask cluster up`"))?;
        if !status.success() {
            return Err(Error::Start {
                status: status.to_string(),
                logs: state.join("logs").display().to_string(),
            });
        }
        let env = Self::load(&state)?;
        if !env.ready() {
            return Err(Error::NotReady(format!("{} /readyz does not answer ok", env.info.apiserver)));
        }
        Ok(env)
    }

    fn load(state: &Path) -> Result<TestEnv, Error> {
        let path = state.join("cluster.json");
        let text =
            std::fs::read_to_string(&path).map_err(|e| io(e, &format!("reading {}", path.display())))?;
        let info = serde_json::from_str(&text)
            .map_err(|source| Error::Description { path: path.display().to_string(), source })?;
        Ok(TestEnv { info })
    }

    /// `/readyz` of the apiserver answers `ok` (checked with the kubectl the cluster was built with).
    fn ready(&self) -> bool {
        let kubectl = self.kubectl();
        std::process::Command::new(kubectl)
            .arg("--kubeconfig")
            .arg(&self.info.kubeconfig)
            .args(["--context", "admin", "--request-timeout=5s", "get", "--raw", "/readyz"])
            .output()
            .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "ok")
            .unwrap_or(false)
    }

    /// Path of the cluster's kubectl (built from `k8s.io/kubernetes`).
    pub fn kubectl(&self) -> PathBuf {
        let version = self.info.versions.get("kubernetes").cloned().unwrap_or_default();
        cache_dir().join("bin").join(format!("kubernetes-{version}")).join("kubectl")
    }

    /// A client acting as `user`. Each call builds a new client (clients belong to the tokio
    /// runtime that created them, and every `#[tokio::test]` has its own).
    pub async fn client(&self, user: User) -> Result<kube::Client, Error> {
        let err = |message: String| Error::Client { user: user.context(), message };
        let kubeconfig =
            kube::config::Kubeconfig::read_from(&self.info.kubeconfig).map_err(|e| err(e.to_string()))?;
        let options = kube::config::KubeConfigOptions {
            context: Some(user.context().to_string()),
            ..Default::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| err(e.to_string()))?;
        kube::Client::try_from(config).map_err(|e| err(e.to_string()))
    }

    /// A client that authenticates with a bearer `token` (a ServiceAccount's, from a TokenRequest),
    /// against the same API server and CA as the kubeconfig's contexts.
    pub async fn client_with_token(&self, token: &str) -> Result<kube::Client, Error> {
        let err = |message: String| Error::Client { user: "token", message };
        let kubeconfig =
            kube::config::Kubeconfig::read_from(&self.info.kubeconfig).map_err(|e| err(e.to_string()))?;
        let options = kube::config::KubeConfigOptions {
            context: Some(User::Admin.context().to_string()),
            ..Default::default()
        };
        let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| err(e.to_string()))?;
        config.auth_info =
            kube::config::AuthInfo { token: Some(token.to_owned().into()), ..Default::default() };
        kube::Client::try_from(config).map_err(|e| err(e.to_string()))
    }

    /// The log file of a component (`kube-apiserver`, `keda-operator`, ...), for failure messages.
    pub fn log_file(&self, component: &str) -> PathBuf {
        self.info.logs_dir.join(format!("{component}.log"))
    }
}

/// Sends `method path` as `client`'s user (with a JSON `body` when given); the answer's text, or the
/// error as text (the tools print it, tests assert on it).
pub async fn send(
    client: &kube::Client,
    method: http::Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<String, String> {
    let mut req = http::Request::builder().method(method).uri(path);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req =
        req.body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default()).map_err(|e| e.to_string())?;
    client.request_text(req).await.map_err(|e| e.to_string())
}

/// Polls `check` every `every` until it returns `Ok(Some(value))`, or fails after `deadline` with
/// the last observation (`Ok(None)` carries none; return `Err(description)` to record what was seen).
pub async fn poll_until<T, F, Fut>(
    what: &str,
    deadline: Duration,
    every: Duration,
    mut check: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, String>>,
{
    let start = Instant::now();
    let mut last = String::from("nothing yet");
    loop {
        match check().await {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(seen) => last = seen,
        }
        if start.elapsed() >= deadline {
            return Err(Error::Timeout { what: what.to_string(), after: deadline, last });
        }
        tokio::time::sleep(every).await;
    }
}

/// `~/.cache/autoscaling-insights` (or `$AUTOSCALING_INSIGHTS_CACHE`), as xtask computes it.
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AUTOSCALING_INSIGHTS_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp"));
    home.join(".cache").join("autoscaling-insights")
}

fn state_dir() -> PathBuf {
    cache_dir().join("cluster")
}

fn io(source: std::io::Error, context: &str) -> Error {
    Error::Io { context: context.to_string(), source }
}

/// An exclusive `flock` held until dropped.
struct FileLock(std::fs::File);

impl FileLock {
    fn acquire(path: &Path) -> Result<FileLock, Error> {
        use std::os::fd::AsRawFd;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| io(e, &format!("opening {}", path.display())))?;
        // SAFETY: flock on a file descriptor we own for the lifetime of `f`.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
        if rc != 0 {
            return Err(io(std::io::Error::last_os_error(), &format!("locking {}", path.display())));
        }
        Ok(FileLock(f))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // SAFETY: unlocking the descriptor we locked.
        unsafe {
            libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
        }
    }
}
