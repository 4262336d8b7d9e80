//! `cargo xtask plugin`: builds the Headlamp plugin folder `dist/autoscaling-insights/`.
//!
//! release wasm (`wasm-release` profile) → `wasm-bindgen --target no-modules` → `wasm-opt -Oz`
//! (npm binaryen) → gzip + base64, inlined with the JS entry (`frontend/js/`) into one `main.js`
//! → `package.json` from `plugin-manifest/`. Headlamp runs `main.js` with `new Function`, so the
//! whole file is one classic script wrapped in a function scope; the wasm is decoded lazily.

use crate::{cmd, paths, phase::Phase, setup};
use anyhow::{Context, Result, bail};
use base64::Engine;
use flate2::{Compression, write::GzEncoder};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// JS files of the plugin entry, in the order they are concatenated (later ones use earlier ones).
const JS_PARTS: &[&str] = &["wasm.js", "bridge.js", "theme.js", "host.js", "registry.js"];

/// Post-MVP wasm features that Rust 1.95 emits for wasm32-unknown-unknown; wasm-opt must accept them.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
    "--enable-mutable-globals",
];

/// What a build produced.
pub struct Built {
    /// `dist/autoscaling-insights/`.
    pub dir: PathBuf,
    /// `main.js` size in bytes.
    pub main_js: usize,
    /// `main.js` size after gzip -9.
    pub main_js_gzip: usize,
}

/// Entry point of `cargo xtask plugin` (build) and `cargo xtask plugin test` (the plugin's tests alone).
pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        None => build().map(|_| ()),
        Some("test") => test(),
        Some(a) => bail!("usage: cargo xtask plugin [test] (got `{a}`)"),
    }
}

/// Builds the plugin folder and prints sizes and timings.
pub fn build() -> Result<Built> {
    build_with(Optimize::Full)
}

/// How much the wasm is optimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimize {
    /// `wasm-opt -Oz`: what the plugin ships (about 40 % smaller; 80-90 s on this machine's kind).
    Full,
    /// No wasm-opt: the same code, larger, built sooner (`cargo xtask demo` shows it first on a
    /// machine that has nothing built, then swaps in the full build). Reused when a full build of the
    /// same wasm exists.
    Quick,
}

/// Builds the plugin folder with `optimize` and prints sizes and timings.
pub fn build_with(optimize: Optimize) -> Result<Built> {
    let total = Phase::start(match optimize {
        Optimize::Full => "plugin build",
        Optimize::Quick => "plugin build (quick: without wasm-opt unless cached)",
    });
    let work = paths::target_dir().join("plugin");
    std::fs::create_dir_all(&work)?;
    // The tools install while the wasm compiles (no-ops once installed).
    let tools = std::thread::spawn(|| setup::wasm_bindgen_cli().and_then(|()| setup::node_packages()));
    setup::rust_target()?;

    let raw_wasm = {
        let _p = Phase::start("cargo build frontend (wasm32, profile wasm-release)");
        // Panic locations name crates by path: without this the builder's CARGO_HOME would be inside
        // main.js, so two machines would not build the same (reproducible) tarball.
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .unwrap_or_default();
        let remap = format!("--remap-path-prefix={}=/cargo", cargo_home.display());
        cmd::run(
            Command::new("cargo").current_dir(paths::repo()).env("CARGO_ENCODED_RUSTFLAGS", remap).args([
                "build",
                "--package",
                "frontend",
                "--lib",
                "--target",
                "wasm32-unknown-unknown",
                "--profile",
                "wasm-release",
            ]),
        )?;
        paths::target_dir().join("wasm32-unknown-unknown/wasm-release/frontend.wasm")
    };

    tools.join().map_err(|_| anyhow::anyhow!("installing the wasm tools panicked"))??;
    let bindgen = work.join("bindgen");
    {
        let _p = Phase::start("wasm-bindgen --target no-modules");
        cmd::run(
            Command::new(setup::tool("wasm-bindgen"))
                .args(["--target", "no-modules", "--no-typescript", "--out-name", "frontend", "--out-dir"])
                .arg(&bindgen)
                .arg(&raw_wasm),
        )?;
    }
    let bound_wasm = bindgen.join("frontend_bg.wasm");
    let glue =
        std::fs::read_to_string(bindgen.join("frontend.js")).context("reading the wasm-bindgen glue")?;

    let optimized = work.join("frontend.opt.wasm");
    let last_input = work.join("frontend.opt.input.wasm");
    let cached = optimized.exists() && std::fs::read(&last_input).ok() == Some(std::fs::read(&bound_wasm)?);
    let wasm = if optimize == Optimize::Quick && !cached {
        eprintln!("    wasm-opt skipped (quick build)");
        std::fs::read(&bound_wasm)?
    } else {
        wasm_opt(&bound_wasm, &optimized, &last_input)?;
        std::fs::read(&optimized)?
    };

    let _assemble = Phase::start("assemble main.js + package.json");
    let wasm_gz = gzip(&wasm)?;
    let dir = paths::plugin_dist();
    std::fs::create_dir_all(&dir)?;
    let main_js = main_js(&glue, &wasm_gz)?;
    std::fs::write(dir.join("main.js"), &main_js)?;
    std::fs::write(dir.join("package.json"), package_json()?)?;
    if cmd::exists("node") {
        cmd::run(Command::new("node").arg("--check").arg(dir.join("main.js")))?;
    }
    drop(_assemble);

    let built = Built { dir, main_js: main_js.len(), main_js_gzip: gzip(main_js.as_bytes())?.len() };
    eprintln!(
        "    wasm: {} from wasm-bindgen, {} after wasm-opt, {} gzip (inlined as {} base64)",
        kb(std::fs::metadata(&bound_wasm)?.len() as usize),
        kb(wasm.len()),
        kb(wasm_gz.len()),
        kb(base64::engine::general_purpose::STANDARD.encode(&wasm_gz).len()),
    );
    eprintln!("    main.js: {} raw, {} gzip", kb(built.main_js), kb(built.main_js_gzip));
    eprintln!("    plugin folder: {}", built.dir.display());
    drop(total);
    Ok(built)
}

/// `wasm-opt -Oz`, skipped when its input is byte-identical to the last run's.
fn wasm_opt(input: &Path, output: &Path, last_input: &Path) -> Result<()> {
    let _p = Phase::start("wasm-opt -Oz (npm binaryen)");
    let bytes = std::fs::read(input)?;
    if output.exists() && std::fs::read(last_input).ok().as_deref() == Some(bytes.as_slice()) {
        eprintln!("    unchanged input, reusing {}", output.display());
        return Ok(());
    }
    let wasm_opt = paths::repo().join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        bail!("{} is missing: run `cargo xtask setup`", wasm_opt.display());
    }
    cmd::run(Command::new(wasm_opt).arg("-Oz").args(WASM_OPT_FEATURES).arg(input).arg("-o").arg(output))?;
    std::fs::copy(input, last_input)?;
    Ok(())
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes)?;
    Ok(e.finish()?)
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// One classic script: the wasm-bindgen glue, the wasm, the route table and the JS entry, all
/// inside a function scope so nothing leaks to `window` even if loaded with a `<script>` tag.
fn main_js(glue: &str, wasm_gz: &[u8]) -> Result<String> {
    let js_dir = paths::repo().join("frontend/js");
    let routes =
        std::fs::read_to_string(js_dir.join("routes.json")).context("reading frontend/js/routes.json")?;
    serde_json::from_str::<serde_json::Value>(&routes).context("frontend/js/routes.json is not JSON")?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(wasm_gz);

    let mut out = String::with_capacity(b64.len() + glue.len() + 64 * 1024);
    out.push_str(&format!(
        "/* Autoscaling Insights for Headlamp {} (Apache-2.0). Built by `cargo xtask plugin`: the UI is Rust\n   compiled to WebAssembly (Yew), inlined below; frontend/js/ is the source of the entry code. */\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str("(function () {\n'use strict';\n");
    out.push_str(glue.trim_end());
    out.push_str("\n\nconst WASM_GZ_B64 = '");
    out.push_str(&b64);
    out.push_str("';\n\nconst ROUTES = ");
    out.push_str(routes.trim());
    out.push_str(";\n");
    for part in JS_PARTS {
        let text = std::fs::read_to_string(js_dir.join(part))
            .with_context(|| format!("reading frontend/js/{part}"))?;
        out.push('\n');
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out.push_str("})();\n");
    Ok(out)
}

/// The served package.json: `plugin-manifest/package.json` with the workspace version (the text is
/// kept as written, only the version changes). Headlamp refuses a plugin whose devDependencies lack
/// `@kinvolk/headlamp-plugin`.
fn package_json() -> Result<String> {
    let path = paths::repo().join("plugin-manifest/package.json");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: serde_json::Value = serde_json::from_str(&text).context("plugin-manifest/package.json")?;
    if manifest.pointer("/devDependencies/@kinvolk~1headlamp-plugin").and_then(|v| v.as_str()).is_none() {
        bail!("plugin-manifest/package.json must list @kinvolk/headlamp-plugin in devDependencies");
    }
    let placeholder = "\"version\": \"0.0.0\"";
    if text.matches(placeholder).count() != 1 {
        bail!(
            "plugin-manifest/package.json must contain `{placeholder}` once (replaced by the workspace version)"
        );
    }
    Ok(text.replace(placeholder, &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"))))
}

/// The plugin's tests, in the order `cargo xtask test` runs them: the release build, components in
/// headless Chromium (wasm-bindgen-test), and the browser contract with Headlamp's own frontend code
/// (e2e/contract). The UI's host tests and clippy run with the workspace's (xtask/src/test.rs).
pub fn test() -> Result<()> {
    setup::debian_packages(&[
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
    ])?;
    let built = build()?;
    {
        let _p = Phase::start("frontend: wasm-bindgen-test in headless Chromium");
        cmd::run(
            Command::new("cargo")
                .current_dir(paths::repo())
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", setup::tool("wasm-bindgen-test-runner"))
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", paths::repo().join("webdriver.json"))
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                .args([
                    "test",
                    "--package",
                    "frontend",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--test",
                    "browser",
                    "--test",
                    "data",
                    "--test",
                    "keda",
                    "--test",
                    "karpenter",
                ]),
        )?;
    }
    let harness = crate::e2e::prepare()?.harness;
    let _p = Phase::start("plugin contract: main.js in Headlamp's frontend code (Playwright, Chromium)");
    let out = paths::repo().join("e2e/out/contract");
    let result = cmd::run(
        Command::new("node")
            .current_dir(paths::repo().join("e2e"))
            .env("CONTRACT_HARNESS", &harness)
            .env("CONTRACT_PLUGIN_DIST", &built.dir)
            .args(["--test", "--test-concurrency=2", "--test-reporter=spec", "contract/"]),
    );
    eprintln!("    screenshots: {}", out.display());
    result
}
