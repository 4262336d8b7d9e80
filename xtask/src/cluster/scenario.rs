//! Scenarios: manifests under `tools/cluster/scenarios/` whose `{{PLACEHOLDERS}}` are filled from
//! `cluster.json`, then server-side applied.

use super::Cluster;
use anyhow::{Context, Result, bail};

/// Fills the placeholders of a scenario manifest.
pub fn render(template: &str, c: &Cluster) -> Result<String> {
    let out = template
        .replace("{{REDIS_ADDR}}", &c.info.redis.addr)
        .replace("{{REDIS_PASSWORD}}", &c.info.redis.password)
        .replace("{{PROMETHEUS_URL}}", &c.info.prometheus_url)
        .replace("{{LOAD_DRIVER_URL}}", &c.info.load_driver_url)
        .replace("{{DEAD_ADDR}}", &c.info.dead_addr);
    if let Some(i) = out.find("{{") {
        let end = out[i..].find("}}").map_or(out.len(), |e| i + e + 2);
        bail!("unknown placeholder {} in scenario", &out[i..end]);
    }
    Ok(out)
}

/// Applies the demo scenario (idempotent).
pub fn apply_demo(c: &Cluster) -> Result<()> {
    let path = crate::paths::repo().join("tools/cluster/scenarios/demo.yaml");
    let template = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let yaml = render(&template, c)?;
    c.kubectl.apply("demo scenario", &yaml)?;
    eprintln!("    applied {}", path.display());
    Ok(())
}
