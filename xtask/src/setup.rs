//! `cargo xtask setup`: installs what the build and tests need. Idempotent: skips what is present,
//! so a second run takes seconds. Safe on a fresh Debian machine (we run as root there).

use crate::{cmd, paths, phase::Phase};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate exactly (Cargo.toml pins `=0.2.130`).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// Debian packages: the browser for tests, and Node.js for the JS tools when the machine has none.
const APT_TOOLS: &[(&str, &[&str])] =
    &[("/usr/bin/chromium", &["chromium"]), ("/usr/bin/chromedriver", &["chromium-driver"])];

/// Entry point of `cargo xtask setup`.
pub fn run(_args: &[String]) -> Result<()> {
    let _p = Phase::start("setup");
    debian_packages()?;
    rust_target()?;
    wasm_bindgen_cli()?;
    node_packages()?;
    crate::cluster::setup()?;
    Ok(())
}

/// `apt-get install` of whatever is missing (one `apt-get update` first, only when needed).
fn debian_packages() -> Result<()> {
    let _p = Phase::start("debian packages (chromium, chromium-driver, nodejs)");
    let mut missing: Vec<&str> = APT_TOOLS
        .iter()
        .filter(|(file, _)| !Path::new(file).exists())
        .flat_map(|(_, pkgs)| pkgs.iter().copied())
        .collect();
    if !cmd::exists("npm") {
        missing.extend(["nodejs", "npm"]);
    }
    if missing.is_empty() {
        eprintln!("    present");
        return Ok(());
    }
    if !cmd::exists("apt-get") {
        bail!("missing {missing:?} and no apt-get: install them by hand");
    }
    eprintln!("    installing {}", missing.join(" "));
    cmd::run(Command::new("apt-get").arg("update").arg("-q"))?;
    cmd::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing),
    )
}

/// The wasm32 target of the pinned toolchain (rust-toolchain.toml also lists it).
fn rust_target() -> Result<()> {
    let _p = Phase::start("rust target wasm32-unknown-unknown");
    let installed = cmd::output(Command::new("rustup").current_dir(paths::repo()).args([
        "target",
        "list",
        "--installed",
    ]))?;
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        eprintln!("    present");
        return Ok(());
    }
    cmd::run(Command::new("rustup").current_dir(paths::repo()).args([
        "target",
        "add",
        "wasm32-unknown-unknown",
    ]))
}

/// Path of a tool installed by [`wasm_bindgen_cli`].
pub fn tool(name: &str) -> std::path::PathBuf {
    paths::tools_bin().join(name)
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` of the pinned version, built from crates.io into
/// the cache (without `--locked`: the CLI's lockfile names a crate version the registry lacks).
fn wasm_bindgen_cli() -> Result<()> {
    let _p = Phase::start(format!("wasm-bindgen-cli {WASM_BINDGEN_VERSION}"));
    let wanted = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    let have = cmd::output(Command::new(tool("wasm-bindgen")).arg("--version")).unwrap_or_default();
    if have.trim() == wanted && tool("wasm-bindgen-test-runner").exists() {
        eprintln!("    present ({})", tool("wasm-bindgen").display());
        return Ok(());
    }
    cmd::run(
        Command::new("cargo")
            .args(["install", "wasm-bindgen-cli", "--version"])
            .arg(format!("={WASM_BINDGEN_VERSION}"))
            .arg("--root")
            .arg(paths::cache().join("tools")),
    )
}

/// `npm ci` when package-lock.json changed since the last install.
fn node_packages() -> Result<()> {
    let _p = Phase::start("npm ci (binaryen, playwright-core, @kinvolk/headlamp-plugin, react)");
    let repo = paths::repo();
    let lock = std::fs::read(repo.join("package-lock.json")).context("reading package-lock.json")?;
    let stamp = repo.join("node_modules").join(".autoscaling-insights-installed-lock.json");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        eprintln!("    up to date with package-lock.json");
        return Ok(());
    }
    cmd::run(Command::new("npm").current_dir(&repo).args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).context("writing the npm stamp")?;
    Ok(())
}
