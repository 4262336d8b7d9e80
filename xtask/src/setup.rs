//! `cargo xtask setup`: installs what the build and tests need. Idempotent: skips what is present,
//! so a second run takes seconds. Safe on a fresh Debian machine (we run as root there).
//!
//! The one place that installs things: Debian packages ([`debian_packages`]), the wasm32 target, the
//! wasm-bindgen CLI ([`wasm_bindgen_cli`]) and the npm packages of the one `package-lock.json`
//! ([`node_packages`]). Other commands call these instead of installing on their own.

use crate::{cmd, paths, phase::Phase};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// Held while npm or cargo installs tools, so that two threads (the plugin build and the harness
/// build run side by side) never install into the same place at once.
static INSTALLING_NPM: Mutex<()> = Mutex::new(());
static INSTALLING_CLI: Mutex<()> = Mutex::new(());

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate exactly (Cargo.toml pins `=0.2.130`).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// Every Debian package the project uses, with the file or program whose absence means "install it".
pub const DEBIAN: &[(&str, &str)] = &[
    // Browser tests (wasm-bindgen-test, contract, e2e).
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    // The local cluster.
    ("prometheus", "prometheus"),
    ("redis-server", "redis-server"),
    ("openssl", "openssl"),
    ("curl", "curl"),
    // The Helm chart's plugin init container downloads with wget (alpine's in the pod, Debian's here).
    ("wget", "wget"),
    // JS tools, when the machine has no Node.js.
    ("npm", "npm"),
    ("node", "nodejs"),
];

/// Entry point of `cargo xtask setup`.
pub fn run(_args: &[String]) -> Result<()> {
    let _p = Phase::start("setup");
    debian_packages(DEBIAN)?;
    rust_target()?;
    node_packages()?;
    wasm_bindgen_cli()?;
    Ok(())
}

/// `apt-get install` of the packages in `wanted` whose file or program is missing (one `apt-get
/// update` first, only when something is missing). `RUNLEVEL=1`: package scripts must not start
/// system-wide services (Redis, Prometheus): the cluster runs its own.
pub fn debian_packages(wanted: &[(&str, &str)]) -> Result<()> {
    let present =
        |probe: &str| if probe.starts_with('/') { Path::new(probe).exists() } else { cmd::exists(probe) };
    let mut missing: Vec<&str> =
        wanted.iter().filter(|(probe, _)| !present(probe)).map(|(_, package)| *package).collect();
    missing.dedup();
    if missing.is_empty() {
        return Ok(());
    }
    let _p = Phase::start(format!("apt-get install {}", missing.join(" ")));
    if !cmd::exists("apt-get") {
        bail!("missing Debian packages {missing:?} and no apt-get: install them by hand");
    }
    cmd::run(Command::new("apt-get").args(["update", "-qq"]))?;
    cmd::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .env("RUNLEVEL", "1")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(&missing),
    )
}

/// The wasm32 target of the pinned toolchain (rust-toolchain.toml also lists it).
pub fn rust_target() -> Result<()> {
    let installed = cmd::output(Command::new("rustup").current_dir(paths::repo()).args([
        "target",
        "list",
        "--installed",
    ]))?;
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    let _p = Phase::start("rustup target add wasm32-unknown-unknown");
    cmd::run(Command::new("rustup").current_dir(paths::repo()).args([
        "target",
        "add",
        "wasm32-unknown-unknown",
    ]))
}

/// The wasm-bindgen CLI's crates that do the work at run time (optimised even in our quick build).
const WASM_CRATES: &[&str] = &["walrus", "wasmparser", "wasm-bindgen-cli-support", "id-arena", "hashbrown"];

/// Path of a tool installed by [`wasm_bindgen_cli`].
pub fn tool(name: &str) -> std::path::PathBuf {
    paths::tools_bin().join(name)
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` of the pinned version, built from crates.io into
/// the cache (without `--locked`: the CLI's lockfile names a crate version the registry lacks).
///
/// Built for build speed: no TLS (the test runner only talks to chromedriver on loopback), no
/// debuginfo, and optimisation only for the crates that parse and rewrite wasm. Measured on 2 cores:
/// 145 s of CPU against 227 s at `opt-level=1` everywhere and about 700 s for a default `cargo
/// install`; binding a 53 MB test wasm takes 4.1 s (2.8 s fully optimised, 8.5 s unoptimised).
pub fn wasm_bindgen_cli() -> Result<()> {
    let _one_at_a_time = INSTALLING_CLI.lock().unwrap_or_else(|p| p.into_inner());
    let wanted = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    let have = cmd::output(Command::new(tool("wasm-bindgen")).arg("--version")).unwrap_or_default();
    if have.trim() == wanted && tool("wasm-bindgen-test-runner").exists() {
        return Ok(());
    }
    let _p = Phase::start(format!("cargo install wasm-bindgen-cli {WASM_BINDGEN_VERSION}"));
    cmd::run(
        Command::new("cargo")
            .args(["install", "wasm-bindgen-cli", "--version"])
            .arg(format!("={WASM_BINDGEN_VERSION}"))
            .args(["--no-default-features", "--bin", "wasm-bindgen", "--bin", "wasm-bindgen-test-runner"])
            .args(["--config", "profile.release.opt-level=0", "--config", "profile.release.debug=0"])
            .args(["--config", "profile.release.codegen-units=256", "--config", "profile.release.lto=false"])
            .args(
                WASM_CRATES.iter().flat_map(|c| {
                    ["--config".to_string(), format!("profile.release.package.{c}.opt-level=1")]
                }),
            )
            .arg("--root")
            .arg(paths::cache().join("tools")),
    )
}

/// `npm ci` of the repository's one `package-lock.json` (build tools, the Headlamp harness, the
/// browser and install tests), skipped while `node_modules` matches the lockfile.
pub fn node_packages() -> Result<()> {
    let _one_at_a_time = INSTALLING_NPM.lock().unwrap_or_else(|p| p.into_inner());
    let repo = paths::repo();
    let lock = std::fs::read(repo.join("package-lock.json")).context("reading package-lock.json")?;
    let stamp = repo.join("node_modules").join(".autoscaling-insights-installed-lock.json");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    let _p = Phase::start("npm ci (binaryen, playwright-core, @kinvolk/headlamp-plugin, pluginctl)");
    cmd::run(Command::new("npm").current_dir(&repo).args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).context("writing the npm stamp")?;
    Ok(())
}
