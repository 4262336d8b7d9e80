//! `cargo xtask test`: sets up everything and runs every test, in the order CI needs, and ends with a
//! table of the phases and their times.
//!
//! Each step is one line below; the step's code lives in the module that owns the thing tested.
//! Two rules keep a fresh machine inside CI's time:
//! - the Go components of the local cluster build in the background from the first second (at low
//!   priority), so they compile while Rust, npm and the browser tests leave a core idle;
//! - every host `cargo` call uses one package selection and one feature set ([`HOST`] and
//!   [`HOST_CLUSTER`], which only adds a feature of our own crate), so dependencies compile once for
//!   the unit tests, the cluster tests and the cluster's server (the same binary the tests run).

use crate::{cmd, paths, phase, phase::Phase};
use anyhow::Result;
use std::process::Command;

/// Host tests without a cluster: the whole workspace but the crate of cluster tests.
const HOST: &[&str] = &["--workspace", "--exclude", "testenv"];
/// Host builds and tests with the cluster: the same dependency features as [`HOST`] (testenv adds none).
pub const HOST_CLUSTER: &[&str] = &["--workspace", "--features", "autoscaling-insights/integration"];

/// Entry point of `cargo xtask test`.
pub fn run(_args: &[String]) -> Result<()> {
    let total = Phase::start("cargo xtask test");
    let result = (|| -> Result<()> {
        let go = crate::cluster::binaries::Background::start(&[], false)?;
        crate::setup::run(&[])?;
        lint()?;
        unit_tests()?;
        fuzz_smoke()?;
        crate::plugin::test()?;
        crate::package::test()?;
        go.wait()?;
        cluster_steps()
    })();
    drop(total);
    eprintln!("\n{}", phase::table());
    result
}

/// `cargo fmt --check` and `cargo clippy -D warnings` on native and wasm code.
fn lint() -> Result<()> {
    let _p = Phase::start("fmt + clippy (host, wasm32)");
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args(["fmt", "--all", "--check"]))?;
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args(["clippy"]).args(HOST_CLUSTER).args([
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args([
        "clippy",
        "--package",
        "frontend",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Host unit tests of every crate that needs no cluster (the UI's host tests included).
fn unit_tests() -> Result<()> {
    let _p = Phase::start("unit tests (host)");
    cmd::run(Command::new("cargo").current_dir(paths::repo()).arg("test").args(HOST))
}

/// A bounded fuzzing pass over every reader of cluster data (the long runs: `cargo xtask fuzz`).
fn fuzz_smoke() -> Result<()> {
    let targets: Vec<String> = crate::fuzz::TARGETS.iter().map(|t| (*t).to_owned()).collect();
    let outcomes = crate::fuzz::fuzz(&targets, crate::fuzz::Budget::Runs(crate::fuzz::TEST_RUNS))?;
    let runs: u64 = outcomes.iter().map(|o| o.runs).sum();
    eprintln!("    fuzzing: {runs} executions over {} targets, no crash", outcomes.len());
    Ok(())
}

/// Steps that need the local cluster: started with the demo scenario and stopped afterwards even on
/// failure; a cluster that was already running (an engineer's demo) is used and left running.
fn cluster_steps() -> Result<()> {
    let was_running = crate::cluster::is_running();
    let result = (|| -> Result<()> {
        let cluster = crate::cluster::up(Some("demo"))?;
        cargo_test("cluster integration tests (testenv)", &["--test", "local_cluster"])?;
        cargo_test(
            "server tests (helm chart, aggregated API on the demo cluster, authorization matrix)",
            &["--test", "chart", "--test", "cluster", "--test", "authz"],
        )?;
        crate::e2e::run_against(&cluster)?;
        // Last: it stops and restarts the shared kube-apiserver under the server.
        cargo_test("server test: watches recover after a kube-apiserver restart", &["--test", "restart"])
    })();
    if was_running {
        eprintln!(
            "    the cluster was running before the tests: left running (`cargo xtask cluster down` stops it)"
        );
        return result;
    }
    let down = crate::cluster::down(false);
    result.and(down)
}

/// `cargo test` of the cluster test targets `targets` (with [`HOST_CLUSTER`]), as one phase.
fn cargo_test(phase: &str, targets: &[&str]) -> Result<()> {
    let _p = Phase::start(phase);
    cmd::run(Command::new("cargo").current_dir(paths::repo()).arg("test").args(HOST_CLUSTER).args(targets))
}
