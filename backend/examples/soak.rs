//! Soak of the aggregated API on the local cluster: `clients` concurrent readers for `seconds`, while pods
//! churn (created and deleted every second) and ScaledObjects change. Prints requests, errors, p50/p99 and
//! the server's memory at the start, peak and end; exits 1 when any request failed.
//!
//! `cargo run -p autoscaling-insights --example soak -- [seconds] [clients] [churn-per-second]`
//! (`cargo xtask soak` runs it). Bounded: a fixed time, loopback only, everything it creates lives in the
//! namespace `soak`, which it deletes at the end.

use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use testenv::{TestEnv, User, send};

const BASE: &str = "/apis/insights.autoscaling.dev/v1alpha1";
const PATHS: &[&str] =
    &["overviews/cluster", "scalers", "chains", "nodes", "pendingpods", "journal?since=30m&limit=200"];
const NS: &str = "soak";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

/// VmRSS of the registered server (from its pid file), in KiB.
fn server_rss_kib(env: &TestEnv) -> Option<u64> {
    let run = env.info.logs_dir.parent()?.join("run").join("autoscaling-insights.pid");
    let pid: u32 = std::fs::read_to_string(run).ok()?.lines().next()?.trim().parse().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(600);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50).max(1);
    let churn: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(25).max(1);
    let env = TestEnv::get()?;
    let admin = env.client(User::Admin).await?;

    // The namespace, a target Deployment with no replicas and ten ScaledObjects on it.
    let _ = send(&admin, http::Method::POST, "/api/v1/namespaces", Some(&json!({"metadata": {"name": NS}})))
        .await;
    let _ = send(
        &admin,
        http::Method::POST,
        &format!("/apis/apps/v1/namespaces/{NS}/deployments"),
        Some(&json!({"metadata": {"name": "target"}, "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "soak"}},
            "template": {"metadata": {"labels": {"app": "soak"}}, "spec": {"containers": [{"name": "c", "image": "soak"}]}}}})),
    )
    .await;
    for i in 0..10 {
        let _ = send(
            &admin,
            http::Method::POST,
            &format!("/apis/keda.sh/v1alpha1/namespaces/{NS}/scaledobjects"),
            Some(&json!({"metadata": {"name": format!("so-{i}")}, "spec": {"scaleTargetRef": {"name": "target"},
                "minReplicaCount": 0, "maxReplicaCount": 1,
                "triggers": [{"type": "cron", "metadata": {"timezone": "UTC", "start": "0 0 1 1 *", "end": "1 0 1 1 *", "desiredReplicas": "1"}}]}})),
        )
        .await;
    }
    let nodes: Value = serde_json::from_str(&send(&admin, http::Method::GET, "/api/v1/nodes", None).await?)?;
    let node = nodes["items"][0]["metadata"]["name"].as_str().ok_or("no node to place pods on")?.to_owned();

    // Warm-up: caches and reviews.
    for p in PATHS {
        send(&admin, http::Method::GET, &format!("{BASE}/{p}"), None).await?;
    }
    let rss_start = server_rss_kib(env);
    let stop = Arc::new(AtomicBool::new(false));
    let churned = Arc::new(AtomicU64::new(0));

    // Pods bound straight to a node (no scheduling, so Karpenter is not disturbed): `churn` created and
    // `churn` deleted every second.
    let churner = {
        let (client, stop, churned, node) =
            (admin.clone(), Arc::clone(&stop), Arc::clone(&churned), node.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                for _ in 0..churn {
                    let pod = json!({"metadata": {"name": format!("p-{n}"), "labels": {"app": "soak-churn"}},
                        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "soak", "resources": {"requests": {"cpu": "1m"}}}],
                                 "tolerations": [{"operator": "Exists"}]}});
                    if send(&client, http::Method::POST, &format!("/api/v1/namespaces/{NS}/pods"), Some(&pod))
                        .await
                        .is_ok()
                    {
                        churned.fetch_add(1, Ordering::Relaxed);
                    }
                    if n >= 100 {
                        let old = format!("/api/v1/namespaces/{NS}/pods/p-{}?gracePeriodSeconds=0", n - 100);
                        if send(&client, http::Method::DELETE, &old, None).await.is_ok() {
                            churned.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    n += 1;
                }
            }
        })
    };
    // A ScaledObject changes every 2 s (an annotation).
    let changer = {
        let (client, stop) = (admin.clone(), Arc::clone(&stop));
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_secs(2)).await;
                let path = format!("/apis/keda.sh/v1alpha1/namespaces/{NS}/scaledobjects/so-{}", n % 10);
                let patch = json!({"metadata": {"annotations": {"soak/generation": n.to_string()}}});
                let req = http::Request::patch(path)
                    .header("content-type", "application/merge-patch+json")
                    .body(patch.to_string().into_bytes())
                    .expect("request");
                let _ = client.request_text(req).await;
                n += 1;
            }
        })
    };
    let peak = Arc::new(AtomicU64::new(rss_start.unwrap_or(0)));
    // RSS every 5 s: a leak grows through the run, a working set levels off after the first minute.
    let samples = Arc::new(std::sync::Mutex::new(Vec::<u64>::new()));
    let sampler = {
        let (stop, peak, samples) = (Arc::clone(&stop), Arc::clone(&peak), Arc::clone(&samples));
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if let Some(r) = server_rss_kib(env) {
                    peak.fetch_max(r, Ordering::Relaxed);
                    samples.lock().unwrap_or_else(|p| p.into_inner()).push(r);
                }
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        })
    };

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut readers = Vec::new();
    for i in 0..clients {
        // One reader in five is alice (restricted: per-namespace reviews and restricted views).
        let client = if i % 5 == 4 { env.client(User::Alice).await? } else { admin.clone() };
        readers.push(tokio::spawn(async move {
            let (mut times, mut errors) = (Vec::new(), Vec::new());
            let mut k = i;
            while Instant::now() < deadline {
                let path = format!("{BASE}/{}", PATHS[k % PATHS.len()]);
                k += 1;
                let start = Instant::now();
                match send(&client, http::Method::GET, &path, None).await {
                    Ok(_) => times.push(start.elapsed()),
                    // Alice may not list nodes: refused as kube-apiserver refuses it, not an error.
                    Err(e) if e.contains("403") || e.to_lowercase().contains("forbidden") => {
                        times.push(start.elapsed())
                    }
                    Err(e) => errors.push(format!("{path}: {e}")),
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::new();
    let mut errors = Vec::new();
    for r in readers {
        let (t, e) = r.await?;
        times.extend(t);
        errors.extend(e);
    }
    stop.store(true, Ordering::Relaxed);
    let _ = churner.await;
    let _ = changer.await;
    let _ = sampler.await;
    let rss_end = server_rss_kib(env);
    let _ = send(&admin, http::Method::DELETE, &format!("/api/v1/namespaces/{NS}"), None).await;

    times.sort();
    let metrics = std::fs::read_to_string(
        env.info.logs_dir.parent().map(|p| p.join("cluster.json")).unwrap_or_default(),
    )
    .ok()
    .and_then(|c| serde_json::from_str::<Value>(&c).ok())
    .and_then(|c| c["ports"]["insights_internal"].as_u64());
    let journal_bytes = match metrics {
        Some(port) => {
            let out = std::process::Command::new("curl")
                .args(["-s", &format!("http://127.0.0.1:{port}/metrics")])
                .output()?;
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find(|l| l.starts_with("autoscaling_insights_journal_bytes "))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
                .unwrap_or_else(|| "?".into())
        }
        None => "?".into(),
    };
    let growth = match (rss_start, rss_end) {
        (Some(a), Some(b)) if a > 0 => format!("{:+.1} %", (b as f64 - a as f64) * 100.0 / a as f64),
        _ => "unknown".into(),
    };
    println!(
        "soak: {seconds} s, {clients} clients, {} pod creates+deletes ({:.0}/s)",
        churned.load(Ordering::Relaxed),
        churned.load(Ordering::Relaxed) as f64 / seconds as f64
    );
    println!(
        "requests: {}, errors: {}, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len() + errors.len(),
        errors.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );
    println!(
        "server RSS: start {} MiB, peak {} MiB, end {} MiB (growth {growth}); journal {journal_bytes} bytes",
        rss_start.unwrap_or(0) / 1024,
        peak.load(Ordering::Relaxed) / 1024,
        rss_end.unwrap_or(0) / 1024
    );
    let samples = samples.lock().unwrap_or_else(|p| p.into_inner()).clone();
    // The highest sample of each minute, in MiB.
    let minutes: Vec<u64> = samples.chunks(12).map(|m| m.iter().max().copied().unwrap_or(0) / 1024).collect();
    if let (Some(first), Some(last)) = (minutes.first(), minutes.last())
        && *first > 0
    {
        println!(
            "server RSS per minute (MiB, highest sample): {minutes:?}; after the first minute under load {:+.1} %",
            (*last as f64 - *first as f64) * 100.0 / *first as f64
        );
    }
    for e in errors.iter().take(10) {
        println!("error: {e}");
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
