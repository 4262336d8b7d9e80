//! Faults of the real local cluster under the server: kube-apiserver and etcd restarted, KEDA's metrics
//! adapter down, Prometheus hanging. Each: the server does not crash (same process before and after),
//! answers what it can meanwhile, holds no ghost afterwards (its caches equal fresh lists), and recovers
//! within a bound; the times are printed (`--nocapture`) for RELIABILITY.md.
//!
//! Runs alone (its own test binary), because it stops shared components: `cargo xtask test` runs it last;
//! by hand: `cargo test --workspace --features autoscaling-insights/integration --test restart -- --nocapture`
//! on a running demo cluster. The tests take turns (one fault at a time).

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

/// One fault at a time: every test here stops a shared component.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const DEADLINE: Duration = Duration::from_secs(180);

/// The pid in a cluster process's pid file (`run/<name>.pid`).
fn pid(name: &str) -> i32 {
    let env = TestEnv::get().expect("cluster");
    let run_dir = env.info.logs_dir.parent().expect("state dir").join("run");
    let text = std::fs::read_to_string(run_dir.join(format!("{name}.pid")))
        .unwrap_or_else(|e| panic!("{name} pid: {e}"));
    text.lines().next().and_then(|l| l.trim().parse().ok()).expect("pid")
}

/// Sends `signal` (`TERM`, `STOP`, `CONT`) to a cluster process, by its pid.
fn signal(name: &str, signal: &str) -> i32 {
    let pid = pid(name);
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{signal} {name} (pid {pid})");
    pid
}

fn alive(pid: i32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| !c.is_empty())
}

async fn until_gone(pid: i32) {
    poll_until("the process to stop", DEADLINE, Duration::from_millis(500), || async move {
        if alive(pid) { Err("still running".to_owned()) } else { Ok(Some(())) }
    })
    .await
    .expect("stopped");
}

/// `cargo xtask cluster up`: starts whatever is not running.
fn up() {
    let up = std::process::Command::new("cargo")
        .current_dir(repo())
        .args(["xtask", "cluster", "up", "--scenario", "demo"])
        .status()
        .expect("cargo xtask cluster up");
    assert!(up.success(), "restarting the cluster");
}

#[tokio::test(flavor = "multi_thread")]
async fn watches_recover_after_an_apiserver_restart() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let env = TestEnv::get().expect("cluster");
    poll_until(
        "server matches fresh lists before the restart",
        Duration::from_secs(180),
        Duration::from_secs(2),
        matches_fresh_lists,
    )
    .await
    .expect("in sync before");

    // The server's log from here on: the restarted apiserver's watch cache starts after the server's
    // resourceVersions, so the watches resume into 410 Expired and must relist.
    let log = env.log_file("autoscaling-insights");
    let log_from = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
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
    let started = std::time::Instant::now();

    // Watches re-list after their backoff; then the caches must equal fresh lists again.
    poll_until(
        "server matches fresh lists after the restart",
        Duration::from_secs(180),
        Duration::from_secs(2),
        matches_fresh_lists,
    )
    .await
    .expect("in sync after");
    let text = std::fs::read(&log)
        .map(|b| String::from_utf8_lossy(&b[(log_from as usize).min(b.len())..]).into_owned());
    let expired: std::collections::BTreeSet<String> = text
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("too old resource version") && l.contains("watch error"))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["kind"].as_str().map(str::to_owned))
        .collect();
    assert!(
        !expired.is_empty(),
        "the restart should have expired some watch (410): nothing in {}",
        log.display()
    );
    // Every watch reports itself healthy again: a refusal while the new kube-apiserver loaded its RBAC
    // caches once stuck as "no permission" on quiet kinds.
    let verbose = poll_until(
        "every watch to report synced again",
        Duration::from_secs(180),
        Duration::from_secs(2),
        || async {
            let text = internal_readyz_verbose().await?;
            if text.contains("[-]") { Err(text) } else { Ok(Some(text)) }
        },
    )
    .await
    .expect("healthy again");
    assert!(verbose.contains("[+]watch v1/Event synced"), "{verbose}");
    println!(
        "fault kube-apiserver restart: {} kinds' watches expired (410) and relisted; caches equal fresh lists {:.1} s after `up`",
        expired.len(),
        started.elapsed().as_secs_f64()
    );
}

/// The server's `/readyz?verbose` from its internal port.
async fn internal_readyz_verbose() -> Result<String, String> {
    let env = TestEnv::get().map_err(|e| e.to_string())?;
    let path = env.info.kubeconfig.parent().ok_or("state dir")?.join("cluster.json");
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let port = c["ports"]["insights_internal"].as_u64().ok_or("no internal port")?;
    // reqwest is built without a default TLS provider (plain http here, but the builder wants one).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/readyz?verbose"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    r.text().await.map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn etcd_stopped_and_restarted() {
    let _turn = ONE_AT_A_TIME.lock().await;
    poll_until("in sync before", DEADLINE, Duration::from_secs(2), matches_fresh_lists)
        .await
        .expect("in sync before");
    let server = pid("autoscaling-insights");
    let etcd = signal("etcd", "TERM");
    until_gone(etcd).await;
    let started = std::time::Instant::now();
    up();
    poll_until("in sync after etcd's restart", DEADLINE, Duration::from_secs(1), matches_fresh_lists)
        .await
        .expect("in sync after");
    println!(
        "fault etcd restart: caches equal fresh lists {:.1} s after `up`",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(pid("autoscaling-insights"), server, "the server kept running");
    assert!(alive(server));
}

async fn external_metrics_state() -> Result<String, String> {
    let v = get(User::Admin, &format!("{BASE}/overviews/cluster")).await?;
    Ok(v["sources"]["externalMetrics"]["state"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn keda_metrics_adapter_down_and_back() {
    let _turn = ONE_AT_A_TIME.lock().await;
    poll_until("live values before", DEADLINE, Duration::from_secs(2), || async {
        let s = external_metrics_state().await?;
        if s == "ok" { Ok(Some(())) } else { Err(s) }
    })
    .await
    .expect("live values before");
    let server = pid("autoscaling-insights");
    let adapter = signal("keda-adapter", "TERM");
    until_gone(adapter).await;
    let stopped = std::time::Instant::now();
    poll_until("the server to say live values fail", DEADLINE, Duration::from_secs(1), || async {
        let s = external_metrics_state().await?;
        if s == "error" { Ok(Some(())) } else { Err(s) }
    })
    .await
    .expect("reported");
    let reported = stopped.elapsed().as_secs_f64();
    // Everything else still answers.
    let scalers = get(User::Admin, &format!("{BASE}/scalers")).await.expect("scalers without live values");
    assert!(scalers["items"].as_array().is_some_and(|i| !i.is_empty()));
    let restarted = std::time::Instant::now();
    up();
    poll_until("live values again", DEADLINE, Duration::from_secs(1), || async {
        let s = external_metrics_state().await?;
        if s == "ok" { Ok(Some(())) } else { Err(s) }
    })
    .await
    .expect("recovered");
    println!(
        "fault KEDA metrics adapter down: reported after {reported:.1} s; live values back {:.1} s after `up`",
        restarted.elapsed().as_secs_f64()
    );
    assert_eq!(pid("autoscaling-insights"), server, "the server kept running");
}

#[tokio::test(flavor = "multi_thread")]
async fn prometheus_hanging_degrades_history_only() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let path = format!("{BASE}/namespaces/team-a/scalers/orders?history=30m");
    poll_until("history before", DEADLINE, Duration::from_secs(2), || async {
        let v = get(User::Admin, &path).await?;
        if v["history"]["degraded"].is_null() {
            Ok(Some(()))
        } else {
            Err(v["history"]["degraded"].to_string())
        }
    })
    .await
    .expect("history before");
    let server = pid("autoscaling-insights");
    // A stopped process keeps its socket open and never answers: a Prometheus that hangs.
    signal("prometheus", "STOP");
    let asked = std::time::Instant::now();
    let during = get(User::Admin, &path).await;
    let took = asked.elapsed().as_secs_f64();
    signal("prometheus", "CONT");
    let during = during.expect("the scaler still answers while Prometheus hangs");
    assert_eq!(during["metadata"]["name"], "orders");
    let degraded = during["history"]["degraded"].as_str().unwrap_or_default().to_owned();
    assert!(!degraded.is_empty(), "history says it is incomplete: {}", during["history"]);
    poll_until("history after", DEADLINE, Duration::from_secs(2), || async {
        let v = get(User::Admin, &path).await?;
        if v["history"]["degraded"].is_null() {
            Ok(Some(()))
        } else {
            Err(v["history"]["degraded"].to_string())
        }
    })
    .await
    .expect("history after");
    println!(
        "fault Prometheus hanging: the scaler answered in {took:.1} s with history degraded ({degraded})"
    );
    assert_eq!(pid("autoscaling-insights"), server, "the server kept running");
}
