//! `cargo xtask setup`: installs what the build and tests need. Idempotent: skips what is present.

use anyhow::Result;

/// Entry point of `cargo xtask setup`.
pub fn run(_args: &[String]) -> Result<()> {
    crate::cluster::setup()?;
    Ok(())
}
