//! Where things live: the repository, the build cache outside it, the plugin output.

use std::path::PathBuf;

/// Root of the repository (the workspace).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Cache for built tools and binaries: `~/.cache/autoscaling-insights` (never committed).
pub fn cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("AUTOSCALING_INSIGHTS_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp"));
    home.join(".cache").join("autoscaling-insights")
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (`.ci/run` points it into the cache, so that a clean
/// clone reuses compiled dependencies) or `target/` in the repository.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target"))
}

/// Directory of cached tool binaries (`wasm-bindgen`, ...).
pub fn tools_bin() -> PathBuf {
    cache().join("tools").join("bin")
}

/// The built plugin folder, laid out as Headlamp expects it.
pub fn plugin_dist() -> PathBuf {
    repo().join("dist").join("autoscaling-insights")
}
