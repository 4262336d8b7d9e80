//! `cargo xtask setup`.

use anyhow::Result;

/// Entry point of `cargo xtask setup`.
pub fn run(_args: &[String]) -> Result<()> {
    anyhow::bail!("`cargo xtask setup` is not built yet")
}
