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

/// The Stage files (from the kwok module's zip) the run uses: the fast node and pod lifecycles, plus
/// node status heartbeats (leases alone leave `lastHeartbeatTime` stale). Second and third: a delay
/// (ms) and its jitter bound added to the stage, so that a new node takes 15-25 s to become Ready and a
/// pod 2-5 s, as real ones take some time: Pending pods and launched-but-not-ready NodeClaims last
/// long enough to be seen (and the cold-start timeline has durations).
const STAGES: &[(&str, Option<(u32, u32)>)] = &[
    ("kustomize/stage/node/fast/node-initialize.yaml", Some((15_000, 25_000))),
    ("kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml", None),
    ("kustomize/stage/pod/fast/pod-ready.yaml", Some((2_000, 5_000))),
    ("kustomize/stage/pod/fast/pod-complete.yaml", None),
    ("kustomize/stage/pod/fast/pod-delete.yaml", None),
];

/// Starts kwok and waits for its /healthz.
pub fn start(c: &Cluster) -> Result<()> {
    let component = Component::get("kwok")?;
    let src = component.module_source("sigs.k8s.io/kwok")?;
    let mut stages = String::new();
    for (file, delay) in STAGES {
        let path = src.join(file);
        let stage = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let stage = match delay {
            Some((ms, jitter)) => with_delay(&stage, *ms, *jitter)
                .with_context(|| format!("{} has no `  next:` to put a delay before", path.display()))?,
            None => stage,
        };
        stages.push_str(&stage);
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

/// Adds `spec.delay` to a Stage manifest that has none (before its `  next:` key).
fn with_delay(stage: &str, ms: u32, jitter_ms: u32) -> Option<String> {
    if stage.contains("\n  delay:") {
        return Some(stage.to_string());
    }
    let at = stage.find("\n  next:")?;
    let delay =
        format!("\n  delay:\n    durationMilliseconds: {ms}\n    jitterDurationMilliseconds: {jitter_ms}");
    Some(format!("{}{delay}{}", &stage[..at], &stage[at..]))
}

#[cfg(test)]
mod tests {
    use super::with_delay;

    #[test]
    fn delay_goes_into_spec_before_next() {
        let stage = "kind: Stage\nspec:\n  selector: {}\n  next:\n    delete: false\n";
        let out = with_delay(stage, 1000, 2000).expect("has next");
        assert_eq!(
            out,
            "kind: Stage\nspec:\n  selector: {}\n  delay:\n    durationMilliseconds: 1000\n    jitterDurationMilliseconds: 2000\n  next:\n    delete: false\n"
        );
        assert_eq!(with_delay(&out, 5, 6).as_deref(), Some(out.as_str()));
        assert_eq!(with_delay("kind: Stage\n", 1, 2), None);
    }
}
