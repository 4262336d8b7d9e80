//! `cargo xtask bench`: prints the numbers BENCHMARKS.md records. Benchmarks measure; they never
//! assert a time. Each part compares variants side by side in one run, because these machines are noisy.
//!
//! Parts: `model` (criterion: the joins on a generated 5,000-pod cluster), `ui` (the ScaledObjects list
//! with 50 and 5,000 rows in headless Chromium, inside Headlamp's frontend code), `server` (latency of the
//! aggregated API through kube-apiserver on the demo cluster, and the server's memory), `scale` (the server
//! on the fleet the cluster holds — `cargo xtask fleet S|M|L` first —, next to eks-node-viewer).

use crate::{cmd, paths, phase::Phase};
use anyhow::{Result, bail};
use std::process::Command;

const PARTS: &[&str] = &["model", "ui", "server", "scale"];

/// Entry point of `cargo xtask bench [model|ui|server ...]` (all parts when none is named).
pub fn run(args: &[String]) -> Result<()> {
    let parts: Vec<&str> =
        if args.is_empty() { PARTS.to_vec() } else { args.iter().map(String::as_str).collect() };
    if let Some(bad) = parts.iter().find(|p| !PARTS.contains(p)) {
        bail!("unknown benchmark `{bad}`; parts: {}", PARTS.join(", "));
    }
    let _total = Phase::start("cargo xtask bench");
    machine();
    for part in parts {
        match part {
            "model" => model()?,
            "ui" => ui()?,
            "server" => server()?,
            "scale" => scale()?,
            _ => unreachable!("checked above"),
        }
    }
    Ok(())
}

/// Prints what the numbers were measured on (BENCHMARKS.md names the machine).
fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine: {cpu}, {cores} cores; load average at start: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
}

/// Criterion benchmarks of the pure joins.
fn model() -> Result<()> {
    let _p = Phase::start("bench model: joins (criterion)");
    cmd::run(
        Command::new("cargo").current_dir(paths::repo()).args(["bench", "-p", "model", "--bench", "joins"]),
    )
}

/// The 5,000-row list next to the 50-row list, rendered by the built plugin in Chromium.
fn ui() -> Result<()> {
    let _p = Phase::start("bench ui: ScaledObjects list, 50 vs 5,000 rows (Chromium)");
    let built = crate::plugin::build()?;
    let prepared = crate::e2e::prepare()?;
    cmd::run(
        Command::new("node")
            .current_dir(paths::repo().join("e2e"))
            .arg("bench/scaledobjects-list.mjs")
            .env("CONTRACT_HARNESS", &prepared.harness)
            .env("CONTRACT_PLUGIN_DIST", &built.dir),
    )
}

/// Latency percentiles of the aggregated API and the server's resident memory, on the demo cluster.
fn server() -> Result<()> {
    let _p = Phase::start("bench server: aggregated API latency and memory (demo cluster)");
    let cluster = crate::cluster::up(Some("demo"))?;
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "autoscaling-insights",
        "--example",
        "latency",
        "--",
        "400",
        "4",
    ]))?;
    let server = cluster.process("autoscaling-insights");
    match server.running() {
        Some(pid) => println!("autoscaling-insights rss: {}", rss(pid).unwrap_or_else(|| "unknown".into())),
        None => println!("autoscaling-insights rss: not running"),
    }
    match last_sync_seconds(&server.log_file) {
        Some(s) => println!("autoscaling-insights initial sync (its last start): {s:.3} s"),
        None => println!("autoscaling-insights initial sync: not in its log"),
    }
    Ok(())
}

/// The server on whatever fleet the local cluster holds (`cargo xtask fleet S|M|L`), next to
/// eks-node-viewer on the same cluster: initial sync after a restart, memory, CPU, latency at 1/10/50
/// clients as admin and as a tenant of 10 namespaces, reviews per request, bytes against the lists the
/// official plugins read (backend/examples/scale.rs).
fn scale() -> Result<()> {
    let _p = Phase::start("bench scale: the server on the fleet, next to eks-node-viewer");
    let cluster = crate::cluster::up(Some("demo"))?;
    {
        // A restart with the release binary (what users run), so the initial sync is measured on the fleet.
        let _p = Phase::start("restart autoscaling-insights, release build (initial sync on the fleet)");
        // SAFETY: set before any thread of this process starts; xtask is single-threaded here.
        unsafe { std::env::set_var("AI_SERVER_PROFILE", "release") };
        crate::cluster::insights::build()?;
        cluster.process("autoscaling-insights").stop(std::time::Duration::from_secs(10))?;
        crate::cluster::up(Some("demo"))?;
        match last_sync_seconds(&cluster.process("autoscaling-insights").log_file) {
            Some(s) => println!("autoscaling-insights initial sync on the fleet: {s:.3} s"),
            None => println!("autoscaling-insights initial sync: not in its log"),
        }
    }
    eks_node_viewer(&cluster)?;
    let _p = Phase::start("latency, bytes, reviews (backend/examples/scale.rs)");
    run_example("scale", &[])
}

/// eks-node-viewer (`--disable-pricing`) in a detached tmux session on the same cluster: its RSS and CPU
/// once its initial list is done (RSS steady for 10 s), then over 30 s of watching. Stopped by its pid.
fn eks_node_viewer(cluster: &crate::cluster::Cluster) -> Result<()> {
    let _p = Phase::start("eks-node-viewer on the same cluster (anchor)");
    crate::cluster::binaries::build(&["eks-node-viewer".to_string()])?;
    let bin = crate::cluster::binaries::bin("eks-node-viewer", "eks-node-viewer")?;
    let session = format!("ai-bench-{}", std::process::id());
    let command = format!(
        "exec env KUBECONFIG={} {} --context admin --disable-pricing",
        cluster.info.kubeconfig.display(),
        bin.display()
    );
    cmd::run(Command::new("tmux").args([
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "200",
        "-y",
        "60",
        &command,
    ]))?;
    let pane = Command::new("tmux").args(["list-panes", "-t", &session, "-F", "#{pane_pid}"]).output()?;
    let pid: u32 = String::from_utf8_lossy(&pane.stdout).trim().parse()?;
    let result = measure_viewer(pid);
    // Stopped by its pid; the session ends with it.
    // SAFETY: kill(2) on a pid this function started; no memory is involved.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let _ = Command::new("tmux").args(["kill-session", "-t", &session]).status();
    result
}

/// eks-node-viewer's figures once its initial list is done (RSS steady for 10 s, at most 5 min).
fn measure_viewer(pid: u32) -> Result<()> {
    let start = std::time::Instant::now();
    let (mut last, mut steady_since) = (0u64, std::time::Instant::now());
    // The initial list is done when RSS holds for 10 s (at most 5 min).
    while start.elapsed() < std::time::Duration::from_secs(300) {
        let now = proc_kib(pid, "VmRSS:").unwrap_or(0);
        if now.abs_diff(last) > last / 50 {
            (last, steady_since) = (now, std::time::Instant::now());
        } else if steady_since.elapsed() > std::time::Duration::from_secs(10) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    println!("eks-node-viewer: initial list done after {:.0} s", start.elapsed().as_secs_f64());
    let cpu0 = proc_cpu_seconds(pid).unwrap_or(0.0);
    std::thread::sleep(std::time::Duration::from_secs(30));
    let cpu1 = proc_cpu_seconds(pid).unwrap_or(0.0);
    println!(
        "eks-node-viewer: RSS {} MiB (peak {} MiB), CPU {:.2} s over 30 s of watching, {:.2} s since start",
        proc_kib(pid, "VmRSS:").unwrap_or(0) / 1024,
        proc_kib(pid, "VmHWM:").unwrap_or(0) / 1024,
        cpu1 - cpu0,
        cpu1
    );
    Ok(())
}

/// A `/proc/<pid>/status` field in KiB.
fn proc_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds of a process (clock ticks of 1/100 s).
fn proc_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
}

/// `seconds` of the server's last "initial sync complete" log line (JSON lines).
fn last_sync_seconds(log: &std::path::Path) -> Option<f64> {
    let text = std::fs::read_to_string(log).ok()?;
    text.lines()
        .rev()
        .filter(|l| l.contains("initial sync complete"))
        .find_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?.get("seconds")?.as_f64())
}

/// VmRSS and VmHWM of a process, from /proc.
fn rss(pid: u32) -> Option<String> {
    Some(format!("{} kB (peak {} kB)", proc_kib(pid, "VmRSS:")?, proc_kib(pid, "VmHWM:")?))
}

/// `cargo xtask soak [--minutes N] [--clients N] [--churn N]`: the aggregated API under load on the demo
/// cluster while pods churn and ScaledObjects change (backend/examples/soak.rs); figures for RELIABILITY.md.
pub fn soak(args: &[String]) -> Result<()> {
    let (mut minutes, mut clients, mut churn) = (10u64, 50u64, 25u64);
    for pair in args.chunks(2) {
        let number = |v: Option<&String>| -> Result<u64> {
            Ok(v.ok_or_else(|| anyhow::anyhow!("{} needs a number", pair[0]))?.parse()?)
        };
        match pair[0].as_str() {
            "--minutes" => minutes = number(pair.get(1))?,
            "--clients" => clients = number(pair.get(1))?,
            "--churn" => churn = number(pair.get(1))?,
            other => bail!("usage: cargo xtask soak [--minutes N] [--clients N] [--churn N] (got `{other}`)"),
        }
    }
    let _p = Phase::start(format!("soak: {minutes} min, {clients} clients, {churn} pod creates + deletes/s"));
    machine();
    crate::cluster::up(Some("demo"))?;
    run_example("soak", &[(minutes * 60).to_string(), clients.to_string(), churn.to_string()])
}

/// `cargo xtask fleet S|M|L|delete`: writes a large fleet into the running local cluster (started with the
/// demo scenario when none runs) through the real controllers (backend/examples/fleet.rs).
pub fn fleet(args: &[String]) -> Result<()> {
    let size = match args {
        [s] if ["S", "M", "L", "delete"].contains(&s.as_str()) => s.clone(),
        _ => bail!("usage: cargo xtask fleet S|M|L|delete"),
    };
    let _p = Phase::start(format!("fleet {size}"));
    machine();
    crate::cluster::up(Some("demo"))?;
    run_example("fleet", &[size])
}

/// Builds an example of the server crate with the tests' package selection and features (so no
/// dependency compiles again) and runs it from the target directory.
fn run_example(name: &str, args: &[String]) -> Result<()> {
    cmd::run(
        Command::new("cargo")
            .current_dir(paths::repo())
            .arg("build")
            .args(crate::test::HOST_CLUSTER)
            .args(["--example", name]),
    )?;
    cmd::run(Command::new(paths::target_dir().join("debug").join("examples").join(name)).args(args))
}
