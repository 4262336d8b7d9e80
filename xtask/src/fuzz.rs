//! `cargo xtask fuzz`: the cargo fuzz targets of `fuzz/` over every reader of cluster data, seeded
//! from the objects captured from the real cluster (testdata/).
//!
//! `cargo xtask fuzz` runs each target for `--seconds` (default 60) or `--runs`; `cargo xtask test`
//! runs a bounded pass (see [`TEST_RUNS`]). Crashes land in `fuzz/artifacts/<target>/` and fail the
//! command. Needs the nightly toolchain (installed by rustup when missing) and cargo-fuzz (built into
//! the cache).

use crate::{cmd, paths, phase::Phase};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The targets of fuzz/Cargo.toml.
pub const TARGETS: &[&str] = &["lists", "values", "messages", "answers"];
/// Executions per target in `cargo xtask test` (a bounded smoke run; the long runs are in RELIABILITY.md).
pub const TEST_RUNS: u64 = 20_000;
const CARGO_FUZZ_VERSION: &str = "0.13.2";
const NIGHTLY: &str = "nightly";

const USAGE: &str = "\
usage: cargo xtask fuzz [--seconds N | --runs N] [TARGET...]

  Runs the cargo fuzz targets of fuzz/ (all when none is named) seeded from testdata/, each for
  N seconds (default 60) or N executions, and prints executions and crashes per target.
  Targets: lists, values, messages, answers.
";

/// How long each target runs.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    /// Wall-clock seconds.
    Seconds(u64),
    /// Executions.
    Runs(u64),
}

/// Entry point of `cargo xtask fuzz`.
pub fn run(args: &[String]) -> Result<()> {
    let mut budget = Budget::Seconds(60);
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => budget = Budget::Seconds(number(it.next())?),
            "--runs" => budget = Budget::Runs(number(it.next())?),
            "-h" | "--help" | "help" => {
                print!("{USAGE}");
                return Ok(());
            }
            t if TARGETS.contains(&t) => targets.push(t.to_owned()),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    fuzz(&targets, budget).map(|_| ())
}

fn number(v: Option<&String>) -> Result<u64> {
    v.context("a number is needed")?.parse().context("not a number")
}

/// What one target did.
#[derive(Debug)]
pub struct Outcome {
    /// Target name.
    pub target: String,
    /// Executions libFuzzer reported.
    pub runs: u64,
    /// Crashing inputs found (files in fuzz/artifacts/<target>/).
    pub crashes: usize,
}

/// Runs `targets` within `budget`; fails when any target crashed.
pub fn fuzz(targets: &[String], budget: Budget) -> Result<Vec<Outcome>> {
    let _p = Phase::start(format!("fuzz {} ({budget:?} each)", targets.join(", ")));
    let cargo_fuzz = install()?;
    let dir = paths::repo().join("fuzz");
    let mut outcomes = Vec::new();
    for target in targets {
        let corpus = seed(&dir, target)?;
        let artifacts = dir.join("artifacts").join(target);
        let before = count(&artifacts);
        let limit = match budget {
            Budget::Seconds(s) => format!("-max_total_time={s}"),
            Budget::Runs(r) => format!("-runs={r}"),
        };
        let _t = Phase::start(format!("fuzz {target}"));
        let out = Command::new(&cargo_fuzz)
            .current_dir(&dir)
            .env("RUSTUP_TOOLCHAIN", NIGHTLY)
            // The fuzz build shares nothing with the workspace's: keep it out of its target dir.
            .env("CARGO_TARGET_DIR", paths::cache().join("fuzz-target"))
            .args(["fuzz", "run", target])
            .arg(&corpus)
            .args(["--", &limit, "-max_len=1048576", "-print_final_stats=1"])
            .output()
            .context("running cargo fuzz")?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let runs = stderr
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        let crashes = count(&artifacts).saturating_sub(before);
        eprintln!("    {target}: {runs} executions, {crashes} crashes");
        if !out.status.success() && crashes == 0 {
            let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
            bail!(
                "cargo fuzz run {target} failed:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        outcomes.push(Outcome { target: target.clone(), runs, crashes });
    }
    let crashed: Vec<&Outcome> = outcomes.iter().filter(|o| o.crashes > 0).collect();
    if !crashed.is_empty() {
        bail!(
            "fuzzing found crashes: {} (inputs in fuzz/artifacts/)",
            crashed.iter().map(|o| format!("{} ({})", o.target, o.crashes)).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(outcomes)
}

fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.filter_map(Result::ok).count()).unwrap_or(0)
}

/// The nightly toolchain and cargo-fuzz (built into the cache once).
fn install() -> Result<PathBuf> {
    let installed = cmd::output(Command::new("rustup").args(["toolchain", "list"]))?;
    if !installed.lines().any(|l| l.starts_with("nightly")) {
        let _p = Phase::start("rustup toolchain install nightly (cargo fuzz needs it)");
        cmd::run(Command::new("rustup").args(["toolchain", "install", NIGHTLY, "--profile", "minimal"]))?;
    }
    let bin = paths::tools_bin().join("cargo-fuzz");
    let version = cmd::output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if !version.contains(CARGO_FUZZ_VERSION) {
        let _p = Phase::start(format!("cargo install cargo-fuzz {CARGO_FUZZ_VERSION}"));
        cmd::run(
            Command::new("cargo")
                .args(["install", "cargo-fuzz", "--locked", "--version", CARGO_FUZZ_VERSION, "--root"])
                .arg(paths::cache().join("tools")),
        )?;
    }
    Ok(bin)
}

/// The target's corpus directory, seeded with real captured objects (once).
fn seed(dir: &Path, target: &str) -> Result<PathBuf> {
    let corpus = dir.join("corpus").join(target);
    std::fs::create_dir_all(&corpus)?;
    if count(&corpus) > 0 {
        return Ok(corpus);
    }
    let demo = paths::repo().join("testdata").join("demo");
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for moment in ["idle", "blocked", "scaling-out"] {
        let moment_dir = demo.join(moment);
        for (i, kind) in LIST_SEEDS.iter().enumerate() {
            let Ok(body) = std::fs::read(moment_dir.join(format!("{kind}.json"))) else { continue };
            match target {
                // The first byte picks the kind in fuzz_targets/lists.rs (same order).
                "lists" => {
                    let mut s = vec![i as u8];
                    s.extend(&body);
                    seeds.push(s);
                }
                "values" if *kind == "pods" => seeds.extend(values_of(&body)),
                "messages" if *kind == "events" => seeds.extend(messages_of(&body)),
                _ => {}
            }
        }
        if target == "answers" {
            for f in ["external-metrics.json"] {
                if let Ok(body) = std::fs::read(moment_dir.join(f)) {
                    let v: serde_json::Value = serde_json::from_slice(&body)?;
                    for r in v["requests"].as_array().into_iter().flatten() {
                        seeds.push(r["response"].to_string().into_bytes());
                    }
                }
            }
        }
    }
    let fixtures = paths::repo().join("frontend/tests/fixtures");
    if target == "answers"
        && let Ok(entries) = std::fs::read_dir(&fixtures)
    {
        for e in entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("prometheus"))
        {
            seeds.push(std::fs::read(e.path())?);
        }
    }
    for (i, s) in seeds.iter().enumerate() {
        std::fs::write(corpus.join(format!("seed-{i:04}")), s)?;
    }
    eprintln!("    {target}: {} seeds from testdata/", seeds.len());
    Ok(corpus)
}

/// Kinds in the order fuzz_targets/lists.rs picks them by the first byte.
const LIST_SEEDS: &[&str] = &[
    "scaledobjects",
    "scaledjobs",
    "triggerauthentications",
    "clustertriggerauthentications",
    "horizontalpodautoscalers",
    "deployments",
    "statefulsets",
    "jobs",
    "pods",
    "nodes",
    "events",
    "nodepools",
    "nodeclaims",
    "kwoknodeclasses",
];

/// Quantities, times and selectors as real pods carry them.
fn values_of(pods: &[u8]) -> Vec<Vec<u8>> {
    let v: serde_json::Value = serde_json::from_slice(pods).unwrap_or_default();
    let mut out = Vec::new();
    for p in v["items"].as_array().into_iter().flatten().take(20) {
        for c in p["spec"]["containers"].as_array().into_iter().flatten() {
            for q in c["resources"]["requests"].as_object().into_iter().flatten() {
                out.push(q.1.as_str().unwrap_or_default().as_bytes().to_vec());
            }
        }
        out.push(p["metadata"]["creationTimestamp"].as_str().unwrap_or_default().as_bytes().to_vec());
        let labels: Vec<String> = p["metadata"]["labels"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        out.push(labels.join(",").into_bytes());
    }
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// Messages of real scheduler and Karpenter events.
fn messages_of(events: &[u8]) -> Vec<Vec<u8>> {
    let v: serde_json::Value = serde_json::from_slice(events).unwrap_or_default();
    let mut out: Vec<Vec<u8>> = v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["reason"] == "FailedScheduling" || e["reason"] == "Nominated")
        .filter_map(|e| e["message"].as_str().map(|m| m.as_bytes().to_vec()))
        .collect();
    out.sort();
    out.dedup();
    out
}
