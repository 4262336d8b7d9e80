//! `cargo xtask bench`: prints the numbers BENCHMARKS.md records. Benchmarks measure; they never
//! assert a time. Each part compares variants side by side in one run, because these machines are noisy.
//!
//! Parts: `model` (criterion: the joins on a generated 5,000-pod cluster), `ui` (the ScaledObjects list
//! with 50 and 5,000 rows in headless Chromium, inside Headlamp's frontend code), `server` (latency of the
//! aggregated API through kube-apiserver on the demo cluster, and the server's memory).

use crate::{cmd, paths, phase::Phase};
use anyhow::{Result, bail};
use std::process::Command;

const PARTS: &[&str] = &["model", "ui", "server"];

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
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field =
        |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_string());
    Some(format!("{} (peak {})", field("VmRSS:")?, field("VmHWM:")?))
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
    // Built with the tests' package selection and features, so no dependency compiles again.
    cmd::run(
        Command::new("cargo")
            .current_dir(paths::repo())
            .arg("build")
            .args(crate::test::HOST_CLUSTER)
            .args(["--example", "soak"]),
    )?;
    cmd::run(Command::new(paths::target_dir().join("debug").join("examples").join("soak")).args([
        (minutes * 60).to_string(),
        clients.to_string(),
        churn.to_string(),
    ]))
}
