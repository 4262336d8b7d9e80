//! kube-apiserver restarts under the server: its watches must recover and again match a fresh list.
//! Runs alone (its own test binary), because it stops the shared apiserver: `cargo xtask test` runs it
//! last; by hand: `cargo test --workspace --features autoscaling-insights/integration --test restart` on a
//! running demo cluster.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;
use testenv::{TestEnv, User, poll_until};

const BASE: &str = "/apis/insights.autoscaling.dev/v1alpha1";

async fn get(user: User, path: &str) -> Result<Value, String> {
    let env = TestEnv::get().map_err(|e| e.to_string())?;
    let client = env.client(user).await.map_err(|e| e.to_string())?;
    let req = http::Request::get(path).body(Vec::new()).map_err(|e| e.to_string())?;
    let text = client.request_text(req).await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
}

fn names(v: &Value) -> BTreeSet<String> {
    v["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    format!(
                        "{}/{}",
                        i["metadata"]["namespace"].as_str().unwrap_or(""),
                        i["metadata"]["name"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `Kind/namespace/name` of the object each scaler view is about.
fn sources(v: &Value) -> BTreeSet<String> {
    v["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    let s = &i["source"];
                    format!("{}/{}", s["kind"].as_str().unwrap_or(""), s["namespace"].as_str().unwrap_or(""))
                        + "/"
                        + s["name"].as_str().unwrap_or("")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The server's scalers and nodes equal what the apiserver lists right now.
async fn matches_fresh_lists() -> Result<Option<()>, String> {
    let served_scalers = sources(&get(User::Admin, &format!("{BASE}/scalers")).await?);
    let mut fresh_scalers: BTreeSet<String> =
        names(&get(User::Admin, "/apis/keda.sh/v1alpha1/scaledobjects").await?)
            .into_iter()
            .map(|n| format!("ScaledObject/{n}"))
            .collect();
    fresh_scalers.extend(
        names(&get(User::Admin, "/apis/keda.sh/v1alpha1/scaledjobs").await?)
            .into_iter()
            .map(|n| format!("ScaledJob/{n}")),
    );
    let served_nodes = names(&get(User::Admin, &format!("{BASE}/nodes")).await?);
    let fresh_nodes = names(&get(User::Admin, "/api/v1/nodes").await?);
    if served_scalers == fresh_scalers && served_nodes == fresh_nodes && !fresh_scalers.is_empty() {
        Ok(Some(()))
    } else {
        Err(format!(
            "scalers {served_scalers:?} vs {fresh_scalers:?}; nodes {served_nodes:?} vs {fresh_nodes:?}"
        ))
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::test(flavor = "multi_thread")]
async fn watches_recover_after_an_apiserver_restart() {
    let env = TestEnv::get().expect("cluster");
    poll_until(
        "server matches fresh lists before the restart",
        Duration::from_secs(180),
        Duration::from_secs(2),
        matches_fresh_lists,
    )
    .await
    .expect("in sync before");

    // Stop kube-apiserver by its pid file (the cluster's own process), then bring it back with `up`.
    let run_dir = env.info.logs_dir.parent().expect("state dir").join("run");
    let pid_text =
        std::fs::read_to_string(run_dir.join("kube-apiserver.pid")).expect("kube-apiserver pid file");
    let pid = pid_text.lines().next().and_then(|l| l.trim().parse::<i32>().ok()).expect("pid");
    let status = std::process::Command::new("kill").arg("-TERM").arg(pid.to_string()).status().expect("kill");
    assert!(status.success(), "stopping kube-apiserver (pid {pid})");
    // Gone, or a zombie nobody reaps yet (empty cmdline): either way it no longer serves.
    poll_until(
        "kube-apiserver to stop",
        Duration::from_secs(180),
        Duration::from_millis(500),
        || async move {
            match std::fs::read(format!("/proc/{pid}/cmdline")) {
                Ok(c) if !c.is_empty() => Err("still running".to_owned()),
                _ => Ok(Some(())),
            }
        },
    )
    .await
    .expect("apiserver stopped");
    let up = std::process::Command::new("cargo")
        .current_dir(repo())
        .args(["xtask", "cluster", "up", "--scenario", "demo"])
        .status()
        .expect("cargo xtask cluster up");
    assert!(up.success(), "restarting the cluster");

    // Watches re-list after their backoff; then the caches must equal fresh lists again.
    poll_until(
        "server matches fresh lists after the restart",
        Duration::from_secs(180),
        Duration::from_secs(2),
        matches_fresh_lists,
    )
    .await
    .expect("in sync after");
}
