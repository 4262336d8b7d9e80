//! `cargo xtask cluster build|up|down|status|kubeconfig`: a real Kubernetes control plane, kwok
//! nodes, the real KEDA and Karpenter, Prometheus and Redis on 127.0.0.1, built from Go modules.
//!
//! For other parts of xtask (the server's `insights.rs`): [`Cluster`] is the running cluster
//! (its `info` is what `cluster.json` holds), [`Cluster::ensure_running`] starts a process with
//! pid and log files, [`pki::Ca`] signs certificates, [`kubectl::Kubectl::apply`] applies YAML.

pub mod binaries;
mod control_plane;
pub mod info;
pub mod insights;
mod karpenter;
mod keda;
pub mod kubectl;
mod kwok;
pub mod layout;
mod load_driver;
mod observability;
pub mod pki;
pub mod process;
pub mod redis;
mod scenario;

use crate::phase::Phase;
use anyhow::{Context, Result, bail};
use info::ClusterInfo;
use kubectl::Kubectl;
use layout::{Layout, Ports};
use process::Managed;
use std::process::Command;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo xtask cluster <command>

  build [COMPONENT...|all] [--with-server]
                             build the Go binaries (cached in ~/.cache/autoscaling-insights/bin),
                             and then our server (the tests' build) with --with-server
  up [--scenario demo]       start the cluster (idempotent); with the demo scenario's workloads
  down [--purge]             stop every process `up` started (by pid); --purge also deletes the state
  status                     what runs, its pid, RSS and log file
  kubeconfig                 print the kubeconfig path (contexts: admin, alice, bob)
  load-driver                run the demo's load driver in the foreground (`up` starts it)
";

/// Every process `up` may start, in start order (`down` stops them in reverse).
pub const PROCESSES: &[&str] = &[
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
    "redis",
    "keda-operator",
    "keda-adapter",
    "karpenter",
    "kube-state-metrics",
    "prometheus",
    "load-driver",
];

/// The running (or starting) local cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Where its state lives.
    pub layout: Layout,
    /// What `cluster.json` says.
    pub info: ClusterInfo,
    /// kubectl as admin.
    pub kubectl: Kubectl,
}

impl Cluster {
    /// The cluster described by `cluster.json` (written by `up`).
    pub fn load() -> Result<Self> {
        let layout = Layout::default_dir();
        let path = layout.cluster_json();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{} missing: run `cargo xtask cluster up`", path.display()))?;
        let info: ClusterInfo =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        Ok(Self { kubectl: Kubectl::admin(info.kubeconfig.clone())?, layout, info })
    }

    /// Writes `cluster.json`.
    pub fn save(&self) -> Result<()> {
        let text = serde_json::to_string_pretty(&self.info)?;
        std::fs::write(self.layout.cluster_json(), text + "\n")?;
        Ok(())
    }

    /// The port plan.
    pub fn ports(&self) -> Ports {
        self.info.ports
    }

    /// Pid and log files of process `name`.
    pub fn process(&self, name: &str) -> Managed {
        Managed::new(&self.layout, name)
    }

    /// Starts process `name` unless its pid file names a live process, then waits (bounded by
    /// `timeout`) until `ready` says so (see [`process::ensure_running`]).
    pub fn ensure_running(
        &self,
        name: &str,
        timeout: Duration,
        command: impl FnOnce() -> Result<Command>,
        ready: impl FnMut() -> Result<bool>,
    ) -> Result<()> {
        process::ensure_running(&self.process(name), timeout, command, ready)
    }
}

/// Entry point of `cargo xtask cluster`.
pub fn run(args: &[String]) -> Result<()> {
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            print!("{USAGE}");
            return Ok(());
        }
    };
    match command {
        "build" => binaries::run(rest),
        "up" => {
            let scenario = flag_value(rest, "--scenario")?;
            up(scenario.as_deref()).map(|_| ())
        }
        "down" => down(rest.iter().any(|a| a == "--purge")),
        "status" => status(),
        "kubeconfig" => {
            println!("{}", Layout::default_dir().kubeconfig().display());
            Ok(())
        }
        "load-driver" => load_driver::run(),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown cluster command `{other}`\n{USAGE}"),
    }
}

fn flag_value(args: &[String], name: &str) -> Result<Option<String>> {
    match args {
        [] => Ok(None),
        [flag, value] if flag == name => Ok(Some(value.clone())),
        [flag] if flag == name => bail!("{name} needs a value"),
        [flag] if flag.starts_with(&format!("{name}=")) => Ok(Some(flag[name.len() + 1..].to_string())),
        other => bail!("unknown arguments {other:?}\n{USAGE}"),
    }
}

/// The Debian packages the cluster runs (Prometheus, Redis) and its scripts use (openssl, curl).
pub fn setup() -> Result<()> {
    crate::setup::debian_packages(&[
        ("prometheus", "prometheus"),
        ("redis-server", "redis-server"),
        ("openssl", "openssl"),
        ("curl", "curl"),
    ])
}

/// `cargo xtask cluster up`: builds what is missing, starts every component, applies the scenario.
/// Idempotent: running components are kept. Returns the cluster.
pub fn up(scenario: Option<&str>) -> Result<Cluster> {
    if let Some(s) = scenario
        && s != "demo"
    {
        bail!("unknown scenario `{s}` (known: demo)");
    }
    let total = Phase::start(format!(
        "cluster up{}",
        scenario.map(|s| format!(" --scenario {s}")).unwrap_or_default()
    ));
    setup()?;
    binaries::build(&[])?;
    let started = Instant::now();
    let layout = Layout::default_dir();
    let mut info = {
        let _p = Phase::start("PKI, tokens, kubeconfig");
        control_plane::prepare(&layout, scenario)?
    };
    // Keep the scenario of a running cluster when `up` is re-run without one.
    if scenario.is_none()
        && let Ok(old) = Cluster::load()
    {
        info.scenario = old.info.scenario;
    }
    let cluster = Cluster { kubectl: Kubectl::admin(info.kubeconfig.clone())?, layout, info };
    cluster.save()?;
    {
        let _p = Phase::start("control plane");
        control_plane::start_etcd(&cluster)?;
        control_plane::start_apiserver(&cluster)?;
        control_plane::apply_bootstrap(&cluster)?;
        control_plane::start_controller_manager(&cluster)?;
        control_plane::start_scheduler(&cluster)?;
    }
    {
        let _p = Phase::start("CRDs (from the Go modules' zips)");
        let mut names = karpenter::apply_crds(&cluster)?;
        names.extend(keda::apply_crds(&cluster)?);
        control_plane::wait_crds_established(&cluster, &names)?;
    }
    {
        let _p = Phase::start("nodes and autoscalers");
        kwok::start(&cluster)?;
        redis::start(&cluster)?;
        keda::start(&cluster)?;
        karpenter::start(&cluster)?;
        observability::start_kube_state_metrics(&cluster)?;
        observability::start_prometheus(&cluster)?;
    }
    if cluster.info.scenario.as_deref() == Some("demo") {
        let _p = Phase::start("demo scenario");
        // The driver first: it is the CloudEventSource's destination.
        load_driver::start(&cluster)?;
        scenario::apply_demo(&cluster)?;
    }
    let ready_after = started.elapsed().as_secs_f64();
    insights::start(&cluster)?;
    drop(total);
    let rss: u64 = PROCESSES.iter().filter_map(|n| cluster.process(n).rss_kib()).sum();
    eprintln!(
        "cluster ready in {ready_after:.1}s (after builds, before the Insights server); RSS of its processes {} MiB\n  export KUBECONFIG={}   # contexts: admin, alice, bob\n  description: {}",
        rss / 1024,
        cluster.info.kubeconfig.display(),
        cluster.layout.cluster_json().display()
    );
    Ok(cluster)
}

/// True when a cluster is already running here (its API server's pid file names a live process).
pub fn is_running() -> bool {
    Managed::new(&Layout::default_dir(), "kube-apiserver").running().is_some()
}

/// `cargo xtask cluster down`: stops the processes `up` started, by their pid files, newest first.
pub fn down(purge: bool) -> Result<()> {
    let _p = Phase::start(if purge { "cluster down --purge" } else { "cluster down" });
    let layout = Layout::default_dir();
    let _lock = StateLock::acquire(&layout)?;
    if let Ok(cluster) = Cluster::load()
        && let Err(e) = insights::stop(&cluster)
    {
        eprintln!("    insights: {e:#}");
    }
    let mut errors = Vec::new();
    for name in PROCESSES.iter().rev() {
        let p = Managed::new(&layout, name);
        match p.stop(Duration::from_secs(15)) {
            Ok(true) => eprintln!("    stopped {name}"),
            Ok(false) => {}
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    if !errors.is_empty() {
        bail!("some processes did not stop: {}", errors.join("; "));
    }
    if purge {
        let root = layout.root();
        if root.exists() {
            std::fs::remove_dir_all(&root).with_context(|| format!("removing {}", root.display()))?;
            eprintln!("    removed {}", root.display());
        }
    }
    Ok(())
}

/// An exclusive lock on the state directory, held by `up` and `down` so that two of them (e.g. two
/// engineers' terminals, or parallel test binaries) never start the same component twice.
struct StateLock(std::fs::File);

impl StateLock {
    fn acquire(layout: &Layout) -> Result<StateLock> {
        use std::os::fd::AsRawFd;
        std::fs::create_dir_all(layout.root())?;
        let path = layout.root().join("cluster.lock");
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
        // SAFETY: flock(2) on a descriptor owned by `file`, which outlives the lock.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            eprintln!("    waiting for another `cluster up/down` to finish ({})", path.display());
            // SAFETY: as above, now blocking.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                bail!("locking {}: {}", path.display(), std::io::Error::last_os_error());
            }
        }
        Ok(StateLock(file))
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // SAFETY: unlocking the descriptor locked in `acquire`.
        unsafe {
            libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

/// `cargo xtask cluster status`.
fn status() -> Result<()> {
    let layout = Layout::default_dir();
    let mut total = 0;
    println!("{:<24} {:>8} {:>9}  log", "component", "pid", "RSS MiB");
    for name in PROCESSES {
        let p = Managed::new(&layout, name);
        match p.running() {
            Some(pid) => {
                let rss = p.rss_kib().unwrap_or(0);
                total += rss;
                println!("{name:<24} {pid:>8} {:>9}  {}", rss / 1024, p.log_file.display());
            }
            None => println!("{name:<24} {:>8} {:>9}  {}", "-", "-", p.log_file.display()),
        }
    }
    println!("{:<24} {:>8} {:>9}", "total", "", total / 1024);
    if let Ok(c) = Cluster::load() {
        let ready = c.kubectl.raw("/readyz").map(|b| b.trim() == "ok").unwrap_or(false);
        println!("apiserver {} readyz: {}", c.info.apiserver, if ready { "ok" } else { "not ready" });
        println!("cluster.json: {}", c.layout.cluster_json().display());
    }
    Ok(())
}
