//! kwok out of cluster: it makes the Nodes that Karpenter's kwok provider creates (annotation
//! `kwok.x-k8s.io/node=fake`) Ready, keeps their leases, and runs their pods (fake: nothing executes).

use super::Cluster;
use super::binaries::{Component, bin};
use super::layout::local;
use super::process::http_get;
use anyhow::{Context, Result};
use std::fs;
use std::process::Command;
use std::time::Duration;

/// The Stage files (from the kwok module's zip) the run uses: fast node and pod lifecycles, plus
/// node status heartbeats (leases alone leave `lastHeartbeatTime` stale).
const STAGES: &[&str] = &[
    "kustomize/stage/node/fast/node-initialize.yaml",
    "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "kustomize/stage/pod/fast/pod-ready.yaml",
    "kustomize/stage/pod/fast/pod-complete.yaml",
    "kustomize/stage/pod/fast/pod-delete.yaml",
];

/// Starts kwok and waits for its /healthz.
pub fn start(c: &Cluster) -> Result<()> {
    let component = Component::get("kwok")?;
    let src = component.module_source("sigs.k8s.io/kwok")?;
    let mut stages = String::new();
    for s in STAGES {
        let path = src.join(s);
        stages.push_str(&fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?);
        stages.push_str("\n---\n");
    }
    let config = c.layout.config_dir().join("kwok-stages.yaml");
    fs::write(&config, stages)?;
    let addr = local(c.ports().kwok);
    let kubeconfig = c.info.kubeconfig.clone();
    c.ensure_running(
        "kwok",
        Duration::from_secs(60),
        || {
            let mut cmd = Command::new(bin("kwok", "kwok")?);
            cmd.arg(format!("--kubeconfig={}", kubeconfig.display()))
                .arg("--manage-all-nodes=false")
                .arg("--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake")
                .arg("--node-lease-duration-seconds=40")
                // Strings written into pod/node status; nothing ever dials them.
                .arg("--cidr=10.64.0.0/12")
                .arg("--node-ip=10.63.255.1")
                .arg(format!("--server-address={addr}"))
                .arg(format!("--config={}", config.display()));
            Ok(cmd)
        },
        || Ok(http_get(&addr, "/healthz").map(|(s, _)| s == 200).unwrap_or(false)),
    )
}
