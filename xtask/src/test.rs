//! `cargo xtask test`: sets up everything and runs every test, in the order CI needs.
//!
//! Each step is one line below; the step's code lives in the module that owns the thing tested.

use crate::{cmd, paths, phase::Phase};
use anyhow::Result;
use std::process::Command;

/// Entry point of `cargo xtask test`.
pub fn run(_args: &[String]) -> Result<()> {
    let total = Phase::start("cargo xtask test");
    crate::setup::run(&[])?;
    lint()?;
    unit_tests()?;
    crate::plugin::test()?;
    crate::package::test()?;
    cluster_steps()?;
    drop(total);
    Ok(())
}

/// `cargo fmt --check` and `cargo clippy -D warnings` on native and wasm code.
fn lint() -> Result<()> {
    let _p = Phase::start("fmt + clippy");
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args(["fmt", "--all", "--check"]))?;
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    Ok(())
}

/// Host unit tests of every crate that needs no cluster.
fn unit_tests() -> Result<()> {
    let _p = Phase::start("unit tests (host)");
    cmd::run(Command::new("cargo").current_dir(paths::repo()).args([
        "test",
        "--workspace",
        "--exclude",
        "frontend",
        "--exclude",
        "testenv",
    ]))
}

/// Steps that need the local cluster: started with the demo scenario and stopped afterwards even on
/// failure; a cluster that was already running (an engineer's demo) is used and left running.
fn cluster_steps() -> Result<()> {
    let was_running = crate::cluster::is_running();
    let result = (|| -> Result<()> {
        let cluster = crate::cluster::up(Some("demo"))?;
        cargo_test("cluster integration tests (testenv)", &["-p", "testenv"])?;
        cargo_test(
            "server tests (helm chart, aggregated API on the demo cluster)",
            &[
                "-p",
                "autoscaling-insights",
                "--features",
                "integration",
                "--test",
                "chart",
                "--test",
                "cluster",
            ],
        )?;
        crate::e2e::run_against(&cluster)?;
        // Last: it stops and restarts the shared kube-apiserver under the server.
        cargo_test(
            "server test: watches recover after a kube-apiserver restart",
            &["-p", "autoscaling-insights", "--features", "integration", "--test", "restart"],
        )
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

/// `cargo test <args>` in the repository, as one phase.
fn cargo_test(phase: &str, args: &[&str]) -> Result<()> {
    let _p = Phase::start(phase);
    cmd::run(Command::new("cargo").current_dir(paths::repo()).arg("test").args(args))
}
