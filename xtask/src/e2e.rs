//! `cargo xtask e2e`: the product end to end in a real browser. The local cluster with the demo
//! scenario, Headlamp serving its own frontend code (the harness, e2e/harness) with our plugin from a
//! plugins folder, and the Playwright tests of e2e/tests in Debian's Chromium.
//!
//! Also the pieces `cargo xtask demo` runs: [`prepare`], [`plugins_dir`], [`Headlamp`].

use crate::cluster::{self, Cluster, layout::Layout, process};
use crate::{cmd, paths, phase::Phase};
use anyhow::{Context, Result, bail};
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Loopback port of Headlamp (in the cluster's 26xxx block; Headlamp's own default 4466 is often taken
/// by the desktop app).
pub const HEADLAMP_PORT: u16 = 26466;
/// Headlamp's name for the admin context (client certificate: no login).
pub const ADMIN_CLUSTER: &str = "demo";
/// Headlamp's name for the same cluster without credentials: Headlamp asks for a token, as in-cluster.
pub const LOGIN_CLUSTER: &str = "demo-login";
/// Headlamp's name for the recorded demo cluster (`cargo xtask demo` shows it while the live one builds).
pub const RECORDED_CLUSTER: &str = "recorded-demo";
/// Loopback port of the recorded demo cluster's API.
const RECORDED_PORT: u16 = 26467;
/// The plugin's folder name, as the desktop app and the Helm chart lay it out.
pub const PLUGIN_NAME: &str = "autoscaling-insights";
const CHROMIUM: &str = "/usr/bin/chromium";
const PROCESS: &str = "headlamp";

const USAGE: &str = "\
usage: cargo xtask e2e [--running] [TEST-FILE...]

  Starts the cluster (demo scenario), Headlamp with the plugin, and runs the browser tests of
  e2e/tests/ (or only the named files, e.g. `scaledobjects.test.mjs`). Screenshots go to e2e/out/.
  --running: use the cluster that runs now (no `cluster up`), for quick iterations.

  cargo xtask e2e harness           build the Headlamp harness only (cached)
  cargo xtask e2e ctl <part> <stop|start>
                                    stop/start `insights` (our server) or `prometheus` (used by tests)
";

/// Entry point of `cargo xtask e2e`.
pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some("harness") => prepare().map(|_| ()),
        Some("ctl") => ctl(&args[1..]),
        _ => {
            let total = Phase::start("cargo xtask e2e");
            let running = args.iter().any(|a| a == "--running");
            let files: Vec<String> = args.iter().filter(|a| *a != "--running").cloned().collect();
            let prepared = prepare()?;
            let plugins = plugins_dir()?;
            let cluster = if running { Cluster::load()? } else { cluster::up(Some("demo"))? };
            let result = run_tests(&cluster, &prepared, &plugins, &files);
            drop(total);
            result
        }
    }
}

/// Runs the browser tests against a running cluster (also the e2e step of `cargo xtask test`).
pub fn run_against(cluster: &Cluster) -> Result<()> {
    let prepared = prepare()?;
    let plugins = plugins_dir()?;
    run_tests(cluster, &prepared, &plugins, &[])
}

fn run_tests(cluster: &Cluster, prepared: &Prepared, plugins: &Path, files: &[String]) -> Result<()> {
    let kubeconfig = write_kubeconfig(Some(cluster), None)?;
    let headlamp = Headlamp::start(&cluster.layout, &kubeconfig, &prepared.harness, plugins)?;
    let result = (|| {
        let screenshots = paths::repo().join("e2e").join("out").join("screenshots");
        // Only this run's pictures: a stale one would look like a page that still renders.
        if screenshots.exists() {
            fs::remove_dir_all(&screenshots)?;
        }
        fs::create_dir_all(&screenshots)?;
        let context = write_context(cluster, &headlamp, &screenshots)?;
        let _p = Phase::start("browser tests (node --test e2e/tests, Chromium)");
        eprintln!("    screenshots: {}", screenshots.display());
        let tests = paths::repo().join("e2e").join("tests");
        let mut node = Command::new("node");
        node.current_dir(paths::repo().join("e2e")).env("E2E_CONTEXT", &context).args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
        ]);
        if files.is_empty() {
            node.arg(&tests);
        } else {
            node.args(files.iter().map(|f| tests.join(f)));
        }
        let r = cmd::run(&mut node);
        eprintln!("    screenshots: {}", screenshots.display());
        r
    })();
    let stopped = headlamp.stop();
    result.and(stopped)
}

/// What the browser side needs, built and cached.
pub struct Prepared {
    /// The built harness (Headlamp's web app), served with `-html-static-dir`.
    pub harness: PathBuf,
}

/// Installs the npm packages and Chromium if missing and builds the harness unless cached.
pub fn prepare() -> Result<Prepared> {
    crate::setup::node_packages()?;
    crate::setup::debian_packages(&[(CHROMIUM, "chromium")])?;
    Ok(Prepared { harness: harness()? })
}

fn e2e_dir() -> PathBuf {
    paths::repo().join("e2e")
}

/// The harness build, cached under `~/.cache/autoscaling-insights/headlamp-harness/<hash of inputs>`.
fn harness() -> Result<PathBuf> {
    let dir = e2e_dir().join("harness");
    let mut inputs =
        vec![dir.join("index.html"), dir.join("vite.config.mjs"), paths::repo().join("package-lock.json")];
    collect_files(&dir.join("src"), &mut inputs)?;
    inputs.sort();
    let mut key = Vec::new();
    for f in &inputs {
        key.extend_from_slice(f.strip_prefix(paths::repo()).unwrap_or(f).to_string_lossy().as_bytes());
        key.extend(fs::read(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let root = paths::cache().join("headlamp-harness");
    let out = root.join(format!("{:016x}", fnv1a(&key)));
    if out.join("index.html").exists() {
        eprintln!("    headlamp harness: cached {}", out.display());
        return Ok(out);
    }
    let _p = Phase::start(
        "build the Headlamp harness (vite build of @kinvolk/headlamp-plugin lib + e2e/harness/src)",
    );
    // Older builds are of no use once the inputs changed.
    if root.exists() {
        fs::remove_dir_all(&root).with_context(|| format!("removing {}", root.display()))?;
    }
    let tmp = root.join("building");
    let mut vite = Command::new(paths::repo().join("node_modules").join(".bin").join("vite"));
    vite.current_dir(&dir).env("HARNESS_OUT_DIR", &tmp).args(["build", "--config", "vite.config.mjs"]);
    run_quietly(&mut vite, |line| !line.contains(" kB"))?;
    fs::rename(&tmp, &out)?;
    Ok(out)
}

/// Runs a command, passing on the stdout lines `keep` accepts (progress) and all of stderr.
fn run_quietly(command: &mut Command, keep: impl Fn(&str) -> bool) -> Result<()> {
    use std::io::{BufRead, BufReader};
    let mut child = command.stdout(std::process::Stdio::piped()).spawn().context("starting vite")?;
    let stdout = child.stdout.take().context("vite's stdout")?;
    let mut skipped = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if keep(&line) {
            eprintln!("    {line}");
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        eprintln!("    ({skipped} lines listing output files left out)");
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("vite build failed with {status}");
    }
    Ok(())
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// FNV-1a: a stable cache key (std's hasher may change between Rust releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Builds the plugin and lays it out as the desktop app and the Helm chart do:
/// `<plugins-dir>/autoscaling-insights/{main.js,package.json}`. Returns the plugins dir.
pub fn plugins_dir() -> Result<PathBuf> {
    plugins_dir_with(crate::plugin::Optimize::Full)
}

/// [`plugins_dir`] with the plugin built as `optimize` says (the demo's first build is quick).
pub fn plugins_dir_with(optimize: crate::plugin::Optimize) -> Result<PathBuf> {
    crate::plugin::build_with(optimize)?;
    let dist = paths::plugin_dist();
    let plugins = paths::cache().join("e2e").join("plugins");
    let target = plugins.join(PLUGIN_NAME);
    if target.exists() {
        fs::remove_dir_all(&target)?;
    }
    fs::create_dir_all(&target)?;
    for file in ["main.js", "package.json"] {
        fs::copy(dist.join(file), target.join(file)).with_context(|| {
            format!("copying {} (built by `cargo xtask plugin`)", dist.join(file).display())
        })?;
    }
    Ok(plugins)
}

/// Headlamp's backend serving the harness and the plugins folder, as a cluster process with pid and log
/// files (`headlamp`). The real `headlamp-server` when `$HEADLAMP_SERVER` names one; otherwise the
/// stand-in e2e/harness/backend.mjs, because the Go module proxy refuses Headlamp's backend module.
pub struct Headlamp {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// Which backend serves: `headlamp-server (path)` or `stand-in`.
    pub backend: String,
    managed: process::Managed,
}

impl Headlamp {
    /// (Re)starts Headlamp with the clusters of `kubeconfig` (see [`write_kubeconfig`]) and waits until
    /// it serves `/config` and `/plugins`. Its pid and log files live in `layout`.
    pub fn start(layout: &Layout, kubeconfig: &Path, harness: &Path, plugins: &Path) -> Result<Self> {
        let managed = process::Managed::new(layout, PROCESS);
        // A Headlamp left from an earlier run may serve an older harness or plugin.
        managed.stop(Duration::from_secs(10))?;
        let addr = format!("127.0.0.1:{HEADLAMP_PORT}");
        let real = std::env::var_os("HEADLAMP_SERVER").map(PathBuf::from);
        let backend = match &real {
            Some(bin) => format!("headlamp-server ({})", bin.display()),
            None => "stand-in (e2e/harness/backend.mjs)".to_string(),
        };
        let flags = [
            "-html-static-dir".to_string(),
            harness.display().to_string(),
            "-plugins-dir".to_string(),
            plugins.display().to_string(),
            "-kubeconfig".to_string(),
            kubeconfig.display().to_string(),
            "-listen-addr".to_string(),
            "127.0.0.1".to_string(),
            "-port".to_string(),
            HEADLAMP_PORT.to_string(),
        ];
        process::ensure_running(
            &managed,
            Duration::from_secs(30),
            || {
                let mut c = match &real {
                    Some(bin) => Command::new(bin),
                    None => {
                        let mut c = Command::new(node()?);
                        c.arg(e2e_dir().join("harness").join("backend.mjs"));
                        c
                    }
                };
                c.args(&flags).current_dir(e2e_dir());
                Ok(c)
            },
            || {
                let (config, _) = process::http_get(&addr, "/config")?;
                let (plugins, body) = process::http_get(&addr, "/plugins")?;
                Ok(config == 200 && plugins == 200 && body.contains(PLUGIN_NAME))
            },
        )?;
        eprintln!("    headlamp backend: {backend}");
        Ok(Self { url: format!("http://{addr}"), backend, managed })
    }

    /// Its pid and log files.
    pub fn managed(&self) -> &process::Managed {
        &self.managed
    }

    /// Stops Headlamp by its pid file.
    pub fn stop(&self) -> Result<()> {
        self.managed.stop(Duration::from_secs(10)).map(|_| ())
    }
}

/// Absolute path of `node` (the managed process records its program path to recognise its pid).
fn node() -> Result<PathBuf> {
    let out = cmd::output(Command::new("sh").args(["-c", "command -v node"]))?;
    let path = PathBuf::from(out.trim());
    if !path.is_absolute() {
        bail!("node not found on PATH");
    }
    Ok(path)
}

/// Headlamp's kubeconfig. The live cluster twice, as [`ADMIN_CLUSTER`] with the admin's client
/// certificate and as [`LOGIN_CLUSTER`] without credentials (Headlamp then asks for a token, kept in a
/// cookie); and the recorded demo cluster as [`RECORDED_CLUSTER`] when its URL is given.
pub fn write_kubeconfig(live: Option<&Cluster>, recorded: Option<&str>) -> Result<PathBuf> {
    let mut clusters = Vec::new();
    let mut users = Vec::new();
    let mut contexts = Vec::new();
    if let Some(cluster) = live {
        let info = &cluster.info;
        let admin = info.users.get("admin").context("cluster.json has no admin user")?;
        let (cert, key) = match (&admin.client_cert, &admin.client_key) {
            (Some(c), Some(k)) => (c, k),
            _ => bail!("cluster.json: the admin user has no client certificate"),
        };
        clusters.push(json!({"name": "local", "cluster": {
            "server": info.apiserver,
            "certificate-authority": info.pki.ca_cert,
        }}));
        users.push(json!({"name": "admin", "user": {"client-certificate": cert, "client-key": key}}));
        users.push(json!({"name": "token-login", "user": {}}));
        contexts.push(json!({"name": ADMIN_CLUSTER, "context": {"cluster": "local", "user": "admin"}}));
        contexts.push(json!({"name": LOGIN_CLUSTER, "context": {"cluster": "local", "user": "token-login"}}));
    }
    if let Some(url) = recorded {
        clusters.push(json!({"name": "recorded", "cluster": {"server": url}}));
        users.push(json!({"name": "recorded", "user": {}}));
        contexts
            .push(json!({"name": RECORDED_CLUSTER, "context": {"cluster": "recorded", "user": "recorded"}}));
    }
    let current = contexts.first().and_then(|c| c["name"].as_str()).unwrap_or(ADMIN_CLUSTER).to_string();
    let config = json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": clusters,
        "users": users,
        "contexts": contexts,
        "current-context": current,
    });
    let dir = paths::cache().join("e2e");
    fs::create_dir_all(&dir)?;
    let path = dir.join("headlamp-kubeconfig.json");
    fs::write(&path, serde_json::to_string_pretty(&config)?)?;
    Ok(path)
}

/// The recorded demo cluster (e2e/harness/recorded-cluster.mjs): the captured moments of
/// testdata/demo served read-only on loopback, timestamps moved to now. Started by `cargo xtask demo`
/// so that the product shows at once while the live cluster builds.
pub struct Recorded {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    managed: process::Managed,
}

impl Recorded {
    /// (Re)starts the recorded cluster and waits until it answers.
    pub fn start(layout: &Layout) -> Result<Self> {
        let managed = process::Managed::new(layout, "recorded-cluster");
        managed.stop(Duration::from_secs(10))?;
        let addr = format!("127.0.0.1:{RECORDED_PORT}");
        process::ensure_running(
            &managed,
            Duration::from_secs(30),
            || {
                let mut c = Command::new(node()?);
                c.arg(e2e_dir().join("harness").join("recorded-cluster.mjs"))
                    .args(["-port", &RECORDED_PORT.to_string(), "-listen-addr", "127.0.0.1"])
                    .current_dir(e2e_dir());
                Ok(c)
            },
            || Ok(process::http_get(&addr, "/api/v1/namespaces")?.0 == 200),
        )?;
        Ok(Self { url: format!("http://{addr}"), managed })
    }

    /// Stops it by its pid file.
    pub fn stop(&self) -> Result<()> {
        self.managed.stop(Duration::from_secs(10)).map(|_| ())
    }
}

/// The tests' context file (see e2e/tests/lib/context.mjs for its fields).
fn write_context(cluster: &Cluster, headlamp: &Headlamp, screenshots: &Path) -> Result<PathBuf> {
    let info = &cluster.info;
    let users: serde_json::Map<String, serde_json::Value> = info
        .users
        .iter()
        .filter_map(|(name, u)| {
            u.token.as_ref().map(|t| {
                (
                    name.clone(),
                    json!({"token": t, "context": u.context, "username": u.username, "rights": u.rights}),
                )
            })
        })
        .collect();
    let xtask = std::env::current_exe()?;
    let ctl = |part: &str, verb: &str| json!([xtask, "e2e", "ctl", part, verb]);
    let context = json!({
        "headlampUrl": headlamp.url,
        "headlampBackend": headlamp.backend,
        "cluster": ADMIN_CLUSTER,
        "tokenCluster": LOGIN_CLUSTER,
        "kubeconfig": info.kubeconfig,
        "kubectl": cluster::binaries::bin("kubernetes", "kubectl")?,
        "users": users,
        "screenshotDir": screenshots,
        "chromium": CHROMIUM,
        "pluginName": PLUGIN_NAME,
        "prometheusUrl": info.prometheus_url,
        "insightsServer": {"stop": ctl("insights", "stop"), "start": ctl("insights", "start")},
        "prometheus": {"stop": ctl("prometheus", "stop"), "start": ctl("prometheus", "start")},
    });
    let path = paths::cache().join("e2e").join("context.json");
    fs::write(&path, serde_json::to_string_pretty(&context)?)?;
    Ok(path)
}

/// `cargo xtask e2e ctl <insights|prometheus> <stop|start>`: faults the tests provoke on purpose.
fn ctl(args: &[String]) -> Result<()> {
    let cluster = Cluster::load()?;
    match (args.first().map(String::as_str), args.get(1).map(String::as_str)) {
        (Some("insights"), Some("stop")) => cluster::insights::stop(&cluster),
        (Some("insights"), Some("start")) => cluster::insights::start(&cluster),
        (Some("prometheus"), Some("stop")) => {
            cluster.process("prometheus").stop(Duration::from_secs(15)).map(|_| ())
        }
        // `up` is idempotent: it starts what is not running and keeps the rest.
        (Some("prometheus"), Some("start")) => cluster::up(None).map(|_| ()),
        _ => bail!("usage: cargo xtask e2e ctl <insights|prometheus> <stop|start>"),
    }
}
