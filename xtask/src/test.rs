//! `cargo xtask test`.

use anyhow::Result;

/// Entry point of `cargo xtask test`.
pub fn run(_args: &[String]) -> Result<()> {
    anyhow::bail!("`cargo xtask test` is not built yet")
}
