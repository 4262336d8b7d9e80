//! The real Karpenter controller with its kwok cloud provider, out of cluster. It creates NodeClaims
//! and Nodes (annotated for kwok) for pending pods, and disrupts (consolidates) them.

use super::Cluster;
use super::binaries::{Component, bin};
use super::layout::local;
use super::process::http_get;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Applies Karpenter's CRDs (NodePool, NodeClaim, NodeOverlay, KWOKNodeClass, ...) from the module zip;
/// returns their names.
pub fn apply_crds(c: &Cluster) -> Result<Vec<String>> {
    let src = Component::get("karpenter")?.module_source("sigs.k8s.io/karpenter")?;
    let mut names = apply_crd_dir(c, &src.join("kwok/charts/crds"))?;
    names.extend(apply_crd_dir(c, &src.join("kwok/apis/crds"))?);
    Ok(names)
}

/// Applies every `<group>_<plural>.yaml` CRD file of `dir`; returns the CRD names (`<plural>.<group>`).
pub fn apply_crd_dir(c: &Cluster, dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut yaml = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if let Some((group, plural)) = stem.split_once('_') {
            names.push(format!("{plural}.{group}"));
        }
        yaml.push_str(&std::fs::read_to_string(&path)?);
        yaml.push_str("\n---\n");
    }
    c.kubectl.apply(&format!("CRDs from {}", dir.display()), &yaml)?;
    Ok(names)
}

/// Starts Karpenter and waits for its /readyz.
pub fn start(c: &Cluster) -> Result<()> {
    let p = c.ports();
    let health = local(p.karpenter_health);
    let kubeconfig = c.info.kubeconfig.clone();
    c.ensure_running(
        "karpenter",
        Duration::from_secs(90),
        || {
            let mut cmd = Command::new(bin("karpenter", "karpenter-kwok")?);
            cmd.env("KUBECONFIG", &kubeconfig)
                .env("SYSTEM_NAMESPACE", "karpenter")
                .env("DISABLE_LEADER_ELECTION", "true")
                // Karpenter binds these on every interface (it has no bind-address option).
                .env("METRICS_PORT", p.karpenter_metrics.to_string())
                .env("HEALTH_PROBE_PORT", p.karpenter_health.to_string())
                .env("LOG_LEVEL", "info")
                // The defaults (200/300) would starve the rest of a 2-core machine in bursts.
                .env("KUBE_CLIENT_QPS", "50")
                .env("KUBE_CLIENT_BURST", "100")
                .env("MEMORY_LIMIT", "1073741824");
            Ok(cmd)
        },
        || Ok(http_get(&health, "/readyz").map(|(s, _)| s == 200).unwrap_or(false)),
    )
}
