//! The server at scale, side by side in one run, on whatever fleet the local cluster holds
//! (`cargo xtask fleet S|M|L` first; `cargo xtask bench scale` runs both):
//! - the server's RSS and CPU seconds, idle and under load (from /proc, by its pid file);
//! - p50/p99 and bytes of every resource at 1, 10 and 50 concurrent clients through kube-apiserver, as
//!   admin and as a ServiceAccount that may read 10 of the fleet's namespaces;
//! - SubjectAccessReviews the server sent per request (its `sar_cache_lookups{result="miss"}`);
//! - what the official plugins make the browser download instead: the full lists of pods, nodes,
//!   NodeClaims, ScaledObjects, HPAs and events, next to our one answer per page.
//!
//! `cargo run -p autoscaling-insights --example scale -- [requests per client]`. Bounded: a fixed number of
//! requests to 127.0.0.1; the tenant's ServiceAccount and RoleBindings stay (re-runs reuse them).

use futures::future::join_all;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use testenv::{TestEnv, User, send};

const BASE: &str = "/apis/insights.autoscaling.dev/v1alpha1";
/// Every page's one call.
const RESOURCES: &[&str] = &[
    "overviews/cluster",
    "scalers",
    "chains",
    "nodes",
    "nodepools",
    "pendingpods",
    "journal?since=1h&limit=200",
];
/// What the official KEDA and Karpenter plugins list in the browser for their pages.
const LISTS: &[&str] = &[
    "/api/v1/pods",
    "/api/v1/nodes",
    "/apis/karpenter.sh/v1/nodeclaims",
    "/apis/keda.sh/v1alpha1/scaledobjects",
    "/apis/autoscaling/v2/horizontalpodautoscalers",
    "/api/v1/events",
];
const TENANT_NS: usize = 10;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The server's pid, from the cluster's pid file.
fn server_pid(env: &TestEnv) -> Option<u32> {
    let run = env.info.logs_dir.parent()?.join("run").join("autoscaling-insights.pid");
    std::fs::read_to_string(run).ok()?.lines().next()?.trim().parse().ok()
}

/// (VmRSS, VmHWM) in MiB.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |name: &str| -> Option<u64> {
        status.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()
    };
    Some((kib("VmRSS:")? / 1024, kib("VmHWM:")? / 1024))
}

/// User + system CPU seconds of a process so far.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// A metric's value from the server's internal port (`name` with its labels, as exported).
fn metric(env: &TestEnv, name: &str) -> Option<f64> {
    let cluster: Value = serde_json::from_str(
        &std::fs::read_to_string(env.info.logs_dir.parent()?.join("cluster.json")).ok()?,
    )
    .ok()?;
    let port = cluster["ports"]["insights_internal"].as_u64()?;
    let out = std::process::Command::new("curl")
        .args(["-s", &format!("http://127.0.0.1:{port}/metrics")])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.split_whitespace().last()?.parse().ok())
}

fn sars_sent(env: &TestEnv) -> f64 {
    metric(env, "autoscaling_insights_sar_cache_lookups_total{result=\"miss\"}").unwrap_or(f64::NAN)
}

/// A ServiceAccount bound to `view` and KEDA's reader role in the fleet's first ten namespaces; its token.
async fn tenant(admin: &kube::Client) -> Result<String, String> {
    let ns = "fleet-000";
    let _ = send(
        admin,
        http::Method::POST,
        &format!("/api/v1/namespaces/{ns}/serviceaccounts"),
        Some(&json!({"metadata": {"name": "scale-tenant"}})),
    )
    .await;
    for i in 0..TENANT_NS {
        for (name, role) in
            [("scale-tenant-view", "view"), ("scale-tenant-keda", "autoscaling-insights-demo-keda-edit")]
        {
            let _ = send(
                admin,
                http::Method::POST,
                &format!("/apis/rbac.authorization.k8s.io/v1/namespaces/fleet-{i:03}/rolebindings"),
                Some(&json!({"metadata": {"name": name},
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                    "subjects": [{"kind": "ServiceAccount", "name": "scale-tenant", "namespace": ns}]})),
            )
            .await;
        }
    }
    let answer: Value = serde_json::from_str(
        &send(
            admin,
            http::Method::POST,
            &format!("/api/v1/namespaces/{ns}/serviceaccounts/scale-tenant/token"),
            Some(&json!({"spec": {"expirationSeconds": 3600}})),
        )
        .await?,
    )
    .map_err(|e| e.to_string())?;
    answer["status"]["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "no token in the TokenRequest answer".into())
}

/// `clients` concurrent clients, `per_client` requests each: sorted latencies and the last body's bytes.
async fn load(
    client: &kube::Client,
    path: &str,
    clients: usize,
    per_client: usize,
) -> Result<(Vec<Duration>, usize), String> {
    let tasks = (0..clients).map(|_| {
        let (client, path) = (client.clone(), path.to_owned());
        async move {
            let mut t = Vec::with_capacity(per_client);
            let mut bytes = 0;
            for _ in 0..per_client {
                let start = Instant::now();
                let body = send(&client, http::Method::GET, &path, None).await?;
                t.push(start.elapsed());
                bytes = body.len();
            }
            Ok::<_, String>((t, bytes))
        }
    });
    let mut all = Vec::new();
    let mut bytes = 0;
    for r in join_all(tasks).await {
        let (t, b) = r?;
        all.extend(t);
        bytes = b;
    }
    all.sort();
    Ok((all, bytes))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let per_client: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let env = TestEnv::get()?;
    let admin = env.client(User::Admin).await?;
    let pid = server_pid(env).ok_or("the server's pid file: is the cluster up?")?;

    let count = |v: &Value| v["items"].as_array().map(Vec::len).unwrap_or(0);
    if let Some(s) = metric(env, "autoscaling_insights_initial_sync_seconds") {
        println!("server: initial sync {s:.2} s (its last start)");
    }

    // Idle: 30 s without a request.
    let (cpu0, t0) = (cpu_seconds(pid), Instant::now());
    tokio::time::sleep(Duration::from_secs(30)).await;
    if let (Some(a), Some(b), Some((rss, hwm))) = (cpu0, cpu_seconds(pid), memory(pid)) {
        println!(
            "server idle: RSS {rss} MiB (peak {hwm} MiB), CPU {:.2} s over {:.0} s ({:.1} %)",
            b - a,
            t0.elapsed().as_secs_f64(),
            (b - a) * 100.0 / t0.elapsed().as_secs_f64()
        );
    }

    let token = tenant(&admin).await?;
    let restricted = env.client_with_token(&token).await?;
    let users: [(&str, &kube::Client); 2] = [("admin", &admin), ("tenant", &restricted)];
    println!("\n| user | resource | clients | requests | p50 ms | p99 ms | bytes | SARs/request |");
    println!("|---|---|---|---|---|---|---|---|");
    let (cpu_load0, load_start) = (cpu_seconds(pid), Instant::now());
    for (who, client) in users {
        for r in RESOURCES {
            let path = format!("{BASE}/{r}");
            // Warm-up: the first answer builds the views and fills the review cache; its reviews are
            // reported on their own.
            let sar0 = sars_sent(env);
            let first = Instant::now();
            match send(client, http::Method::GET, &path, None).await {
                Ok(_) => {}
                Err(e) if e.contains("403") || e.contains("orbidden") => {
                    println!("| {who} | {r} | - | - | refused (403) | | | |");
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            let first_ms = ms(first.elapsed());
            let first_sars = sars_sent(env) - sar0;
            for clients in [1usize, 10, 50] {
                let sar0 = sars_sent(env);
                let (times, bytes) = load(client, &path, clients, per_client).await?;
                let sars = (sars_sent(env) - sar0) / times.len().max(1) as f64;
                println!(
                    "| {who} | {r} | {clients} | {} | {:.1} | {:.1} | {bytes} | {sars:.2} |",
                    times.len(),
                    ms(percentile(&times, 0.5)),
                    ms(percentile(&times, 0.99)),
                );
            }
            println!("| {who} | {r} (first, cold) | 1 | 1 | {first_ms:.1} | | | {first_sars:.0} |");
        }
    }
    if let (Some(a), Some(b), Some((rss, hwm))) = (cpu_load0, cpu_seconds(pid), memory(pid)) {
        println!(
            "\nserver under load: CPU {:.1} s over {:.0} s ({:.0} % of a core); RSS {rss} MiB, peak {hwm} MiB",
            b - a,
            load_start.elapsed().as_secs_f64(),
            (b - a) * 100.0 / load_start.elapsed().as_secs_f64()
        );
    }

    // What the browser downloads without us: every list the official plugins read, in full.
    println!("\n| the official plugins' lists (admin) | items | bytes | ms |");
    println!("|---|---|---|---|");
    let (mut list_bytes, mut list_ms) = (0usize, 0.0);
    for path in LISTS {
        let start = Instant::now();
        let body = send(&admin, http::Method::GET, path, None).await?;
        let took = ms(start.elapsed());
        let items = serde_json::from_str::<Value>(&body).map(|v| count(&v)).unwrap_or(0);
        println!("| {path} | {items} | {} | {took:.0} |", body.len());
        list_bytes += body.len();
        list_ms += took;
    }
    let (mut ours, mut ours_ms) = (0usize, 0.0);
    for r in ["overviews/cluster", "scalers", "nodes", "nodepools"] {
        let start = Instant::now();
        ours += send(&admin, http::Method::GET, &format!("{BASE}/{r}"), None).await?.len();
        ours_ms += ms(start.elapsed());
    }
    println!(
        "lists: {list_bytes} bytes in {list_ms:.0} ms; ours (overview + scalers + nodes + nodepools): {ours} bytes in {ours_ms:.0} ms; ratio {:.1}x fewer bytes",
        list_bytes as f64 / ours.max(1) as f64
    );
    Ok(())
}
