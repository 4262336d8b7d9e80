//! `cargo xtask plugin`.

use anyhow::Result;

/// Entry point of `cargo xtask plugin`.
pub fn run(_args: &[String]) -> Result<()> {
    anyhow::bail!("`cargo xtask plugin` is not built yet")
}
