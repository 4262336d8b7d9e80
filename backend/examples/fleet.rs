//! A large cluster for the scale benchmarks, written into the running local cluster's real control plane:
//! `cargo run -p autoscaling-insights --example fleet -- S|M|L|delete` (`cargo xtask fleet` runs it).
//!
//! | size | nodes (NodeClaims) | pods | ScaledObjects | ScaledJobs | namespaces |
//! |---|---|---|---|---|---|
//! | S | 500 | 5,000 | 500 | 25 | 50 |
//! | M | 2,000 | 20,000 | 2,000 | 100 | 200 |
//! | L | 5,000 | 50,000 | 5,000 | 250 | 500 |
//!
//! Nothing here writes a status or invents an object's shape: the generator writes what a user writes
//! (NodePools, NodeClaims, Deployments, ScaledObjects, ScaledJobs, TriggerAuthentications, Secrets) and the
//! real components do the rest, as in a real cluster. Karpenter launches each NodeClaim through its kwok
//! provider (which writes the Node), kwok makes the Nodes Ready and runs the pods, kube-controller-manager
//! creates ReplicaSets and pods, kube-scheduler binds them (or leaves them Pending with its own reasons),
//! KEDA reads every trigger and creates the HPAs. The fleet's NodePools never disrupt (budget `nodes: "0"`),
//! so the cluster stays the size that was asked for.
//!
//! Every ScaledObject has `minReplicaCount` = its share of the pods, so the pod count holds whatever its
//! triggers say. The trigger mix: Prometheus (the real Prometheus, steady at the minimum), cron, Redis lists
//! (the real Redis, empty), a failing Prometheus address (half of them with fallback), paused, and `cpu`
//! (no metrics-server: the HPA reports it cannot read the metric). 2 % of the Deployments ask for a node
//! label no NodePool offers: Pending, with the scheduler's and Karpenter's reasons.
//!
//! Objects are created by `PARALLEL` concurrent requests; phases print their progress and time.

use futures::{StreamExt, stream};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use testenv::{TestEnv, User, send};

/// Concurrent creates: enough to keep kube-apiserver busy on 2 cores without its priority and fairness
/// queueing refusing them.
const PARALLEL: usize = 48;
/// Label on every object of the fleet (and `fleet-` prefixed namespaces), for `delete`.
const LABEL: &str = "fleet.autoscaling.dev/size";
/// NodePools of the fleet: name, instance types (Karpenter's kwok provider's real names).
const POOLS: &[(&str, &[&str])] = &[
    ("fleet-compute", &["c-4x-amd64-linux", "c-8x-amd64-linux", "c-4x-arm64-linux", "c-8x-arm64-linux"]),
    ("fleet-general", &["m-4x-amd64-linux", "m-8x-amd64-linux", "m-4x-arm64-linux"]),
    ("fleet-memory", &["s-4x-amd64-linux", "s-8x-amd64-linux"]),
];
const ZONES: &[&str] = &["test-zone-a", "test-zone-b", "test-zone-c", "test-zone-d"];

/// The sizes the scale issue names.
#[derive(Clone, Copy, Debug)]
struct Size {
    name: &'static str,
    nodes: usize,
    pods: usize,
    scaled_objects: usize,
    scaled_jobs: usize,
    namespaces: usize,
}

const SIZES: &[Size] = &[
    Size { name: "S", nodes: 500, pods: 5_000, scaled_objects: 500, scaled_jobs: 25, namespaces: 50 },
    Size { name: "M", nodes: 2_000, pods: 20_000, scaled_objects: 2_000, scaled_jobs: 100, namespaces: 200 },
    Size { name: "L", nodes: 5_000, pods: 50_000, scaled_objects: 5_000, scaled_jobs: 250, namespaces: 500 },
];

/// A deterministic pseudo-random sequence (SplitMix64): the same fleet on every run.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn namespace(i: usize) -> String {
    format!("fleet-{i:03}")
}

/// Where the generated objects point: the demo cluster's Redis and Prometheus.
struct Targets {
    redis_addr: String,
    redis_password: String,
    prometheus: String,
}

/// Every object of the fleet but the NodeClaims and the pods (which the controllers create), in the order
/// they must be created. Pure: the same size gives the same list.
fn workloads(size: Size, t: &Targets) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let label = json!({ LABEL: size.name });
    for ns in 0..size.namespaces {
        let ns = namespace(ns);
        out.push((
            "/api/v1/namespaces".into(),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": label}}),
        ));
        out.push((
            format!("/api/v1/namespaces/{ns}/secrets"),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "redis-auth", "labels": label}, "stringData": {"password": t.redis_password}}),
        ));
        out.push((
            format!("/apis/keda.sh/v1alpha1/namespaces/{ns}/triggerauthentications"),
            json!({"apiVersion": "keda.sh/v1alpha1", "kind": "TriggerAuthentication",
                   "metadata": {"name": "redis-auth", "labels": label},
                   "spec": {"secretTargetRef": [{"parameter": "password", "name": "redis-auth", "key": "password"}]}}),
        ));
    }
    let per_scaler = (size.pods / size.scaled_objects).max(1);
    let mut seq = Seq(7);
    for i in 0..size.scaled_objects {
        let ns = namespace(i % size.namespaces);
        let name = format!("svc-{i:05}");
        let pending = i % 50 == 49;
        let cpu = *seq.pick(&["50m", "100m", "250m"]);
        let mut selector = json!({"fleet.autoscaling.dev/fleet": "true"});
        if pending {
            // No NodePool offers this label: the scheduler says so, and Karpenter cannot help.
            selector["fleet.autoscaling.dev/accelerator"] = json!("tpu-v9");
        }
        out.push((
            format!("/apis/apps/v1/namespaces/{ns}/deployments"),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": label},
                "spec": {"replicas": per_scaler, "selector": {"matchLabels": {"app": name}},
                    "template": {"metadata": {"labels": {"app": name}},
                        "spec": {"nodeSelector": selector, "terminationGracePeriodSeconds": 0,
                            "containers": [{"name": "app", "image": format!("registry.invalid/{name}:1.0.0"),
                                "resources": {"requests": {"cpu": cpu, "memory": "128Mi"}}}]}}}}),
        ));
        let (triggers, extra): (Value, Value) = match i % 20 {
            0..=7 => (
                json!([{"type": "prometheus", "metadata": {"serverAddress": t.prometheus,
                    "query": format!("vector({})", per_scaler * 10), "threshold": "10"}}]),
                json!({}),
            ),
            8..=11 => (
                json!([{"type": "cron", "metadata": {"timezone": "UTC", "start": "0 * * * *", "end": "55 * * * *",
                    "desiredReplicas": per_scaler.to_string()}}]),
                json!({}),
            ),
            12..=14 => (
                json!([{"type": "redis", "metadata": {"address": t.redis_addr, "listName": format!("queue-{i}"),
                    "listLength": "10", "activationListLength": "1"}, "authenticationRef": {"name": "redis-auth"}}]),
                json!({}),
            ),
            15 => (
                json!([{"type": "prometheus", "metadata": {"serverAddress": "http://127.0.0.1:1",
                    "query": "sum(rate(http_requests_total[1m]))", "threshold": "100"}}]),
                json!({"fallback": {"failureThreshold": 3, "replicas": per_scaler}}),
            ),
            16 => (
                json!([{"type": "prometheus", "metadata": {"serverAddress": "http://127.0.0.1:1",
                    "query": "sum(rate(http_requests_total[1m]))", "threshold": "100"}}]),
                json!({}),
            ),
            17 => (
                json!([{"type": "cpu", "metricType": "Utilization", "metadata": {"value": "70"}}]),
                json!({}),
            ),
            _ => (
                json!([{"type": "prometheus", "metadata": {"serverAddress": t.prometheus,
                    "query": format!("vector({})", per_scaler * 10), "threshold": "10"}}]),
                json!({}),
            ),
        };
        let mut annotations = json!({});
        if i % 20 == 18 {
            annotations["autoscaling.keda.sh/paused-replicas"] = json!(per_scaler.to_string());
        }
        let mut spec = json!({"scaleTargetRef": {"name": name}, "pollingInterval": *seq.pick(&[30, 60, 120]),
            "minReplicaCount": per_scaler, "maxReplicaCount": per_scaler * 3, "triggers": triggers});
        if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra.as_object()) {
            spec.extend(extra.clone());
        }
        out.push((
            format!("/apis/keda.sh/v1alpha1/namespaces/{ns}/scaledobjects"),
            json!({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
                "metadata": {"name": name, "labels": label, "annotations": annotations}, "spec": spec}),
        ));
    }
    for i in 0..size.scaled_jobs {
        let ns = namespace(i % size.namespaces);
        out.push((
            format!("/apis/keda.sh/v1alpha1/namespaces/{ns}/scaledjobs"),
            json!({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob",
                "metadata": {"name": format!("batch-{i:04}"), "labels": label},
                "spec": {"pollingInterval": 60, "maxReplicaCount": 10,
                    "jobTargetRef": {"backoffLimit": 2, "template": {"spec": {"restartPolicy": "Never",
                        "nodeSelector": {"fleet.autoscaling.dev/fleet": "true"},
                        "containers": [{"name": "job", "image": "registry.invalid/batch:2.3.1",
                            "resources": {"requests": {"cpu": "500m", "memory": "256Mi"}}}]}}},
                    "triggers": [{"type": "redis", "metadata": {"address": t.redis_addr, "listName": format!("jobs-{i}"),
                        "listLength": "1"}, "authenticationRef": {"name": "redis-auth"}}]}}),
        ));
    }
    out
}

/// The fleet's NodePools: they never disrupt, so the fleet keeps its size.
fn node_pools(size: Size) -> Vec<Value> {
    POOLS
        .iter()
        .map(|(name, types)| {
            json!({"apiVersion": "karpenter.sh/v1", "kind": "NodePool",
                "metadata": {"name": name, "labels": {LABEL: size.name}},
                "spec": {"template": {"metadata": {"labels": {"fleet.autoscaling.dev/fleet": "true"}},
                    "spec": {"expireAfter": "Never",
                        "nodeClassRef": {"group": "karpenter.kwok.sh", "kind": "KWOKNodeClass", "name": "default"},
                        "requirements": [
                            {"key": "node.kubernetes.io/instance-type", "operator": "In", "values": types},
                            {"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["on-demand", "spot"]}]}},
                    "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "Never",
                        "budgets": [{"nodes": "0"}]}}})
        })
        .collect()
}

/// A NodeClaim as Karpenter's provisioner writes one for `pool` (one instance type, one zone, one
/// capacity type); Karpenter's lifecycle controller launches it.
fn node_claim(size: Size, i: usize, pool: &Value, seq: &mut Seq) -> Value {
    let pool_name = pool["metadata"]["name"].as_str().unwrap_or_default();
    let types: Vec<&str> =
        POOLS.iter().find(|(n, _)| *n == pool_name).map(|(_, t)| t.to_vec()).unwrap_or_default();
    let ty = *seq.pick(&types);
    let zone = *seq.pick(ZONES);
    let capacity = if seq.next().is_multiple_of(3) { "spot" } else { "on-demand" };
    let arch = if ty.contains("arm64") { "arm64" } else { "amd64" };
    json!({"apiVersion": "karpenter.sh/v1", "kind": "NodeClaim",
        "metadata": {"name": format!("{pool_name}-{i:05}"),
            "labels": {LABEL: size.name, "karpenter.sh/nodepool": pool_name, "fleet.autoscaling.dev/fleet": "true"},
            "annotations": {"karpenter.sh/nodepool-hash": pool["metadata"]["annotations"]["karpenter.sh/nodepool-hash"],
                "karpenter.sh/nodepool-hash-version": pool["metadata"]["annotations"]["karpenter.sh/nodepool-hash-version"]},
            "ownerReferences": [{"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "name": pool_name,
                "uid": pool["metadata"]["uid"], "blockOwnerDeletion": true}]},
        "spec": {"expireAfter": "Never",
            "nodeClassRef": {"group": "karpenter.kwok.sh", "kind": "KWOKNodeClass", "name": "default"},
            "requirements": [
                {"key": "karpenter.sh/nodepool", "operator": "In", "values": [pool_name]},
                {"key": "fleet.autoscaling.dev/fleet", "operator": "In", "values": ["true"]},
                {"key": "node.kubernetes.io/instance-type", "operator": "In", "values": [ty]},
                {"key": "topology.kubernetes.io/zone", "operator": "In", "values": [zone]},
                {"key": "karpenter.sh/capacity-type", "operator": "In", "values": [capacity]},
                {"key": "kubernetes.io/arch", "operator": "In", "values": [arch]},
                {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}],
            "resources": {"requests": {"cpu": "100m", "pods": "1"}}}})
}

/// Creates every object, `PARALLEL` at a time; an object that exists already counts as created (re-runs
/// complete a fleet). Prints progress every 10 %.
async fn create_all(client: &kube::Client, what: &str, items: Vec<(String, Value)>) -> Result<(), String> {
    let total = items.len();
    let start = Instant::now();
    let mut done = 0usize;
    let mut failed = Vec::new();
    let mut results = stream::iter(items)
        .map(|(path, body)| async move {
            let mut last = String::new();
            // kube-apiserver's priority and fairness may answer 429 under this load: retried.
            for attempt in 0..8u32 {
                match send(client, http::Method::POST, &path, Some(&body)).await {
                    Ok(_) => return Ok(()),
                    Err(e) if e.contains("AlreadyExists") || e.contains("already exists") => return Ok(()),
                    Err(e) if e.contains("429") || e.contains("TooManyRequests") || e.contains("timeout") => {
                        last = e;
                        tokio::time::sleep(Duration::from_millis(250 << attempt.min(4))).await;
                    }
                    Err(e) => return Err(format!("{path}: {e}")),
                }
            }
            Err(format!("{path}: {last}"))
        })
        .buffer_unordered(PARALLEL);
    let mut next_report = total / 10;
    while let Some(r) = results.next().await {
        done += 1;
        if let Err(e) = r {
            failed.push(e);
        }
        if done >= next_report && total >= 10 {
            eprintln!("    {what}: {done}/{total} ({:.0} s)", start.elapsed().as_secs_f64());
            next_report += total / 10;
        }
    }
    eprintln!(
        "    {what}: {total} in {:.1} s ({:.0}/s)",
        start.elapsed().as_secs_f64(),
        total as f64 / start.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} of {total} {what} failed; first: {}", failed.len(), failed[0]))
    }
}

/// Counts the items of a list, a page of 500 at a time (`limit`/`continue`, as clients of large clusters
/// list), filtered by `query` (a label or field selector).
async fn count(
    client: &kube::Client,
    path: &str,
    query: &str,
    matches: impl Fn(&Value) -> bool,
) -> Result<usize, String> {
    let mut n = 0;
    let mut cont = String::new();
    loop {
        let url = format!(
            "{path}?limit=500{query}{}",
            if cont.is_empty() { String::new() } else { format!("&continue={cont}") }
        );
        let page: Value = serde_json::from_str(&send(client, http::Method::GET, &url, None).await?)
            .map_err(|e| e.to_string())?;
        n += page["items"].as_array().map(|a| a.iter().filter(|i| matches(i)).count()).unwrap_or(0);
        match page["metadata"]["continue"].as_str() {
            Some(c) if !c.is_empty() => cont = c.to_owned(),
            _ => return Ok(n),
        }
    }
}

/// Polls until `count` reaches `want` (or stops moving for `stall`), printing progress every 10 s.
async fn wait_for<F, Fut>(what: &str, want: usize, stall: Duration, mut count: F) -> Result<usize, String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<usize, String>>,
{
    let start = Instant::now();
    let (mut last, mut moved) = (0usize, Instant::now());
    loop {
        let n = count().await?;
        if n != last {
            moved = Instant::now();
            last = n;
        }
        eprintln!("    {what}: {n}/{want} ({:.0} s)", start.elapsed().as_secs_f64());
        if n >= want {
            return Ok(n);
        }
        if moved.elapsed() > stall {
            return Err(format!("{what}: {n} of {want}, unchanged for {} s", stall.as_secs()));
        }
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

fn is_ready(node: &Value) -> bool {
    node["status"]["conditions"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
}

/// Deletes the fleet: its namespaces (and everything in them), NodeClaims (Karpenter terminates their
/// Nodes) and NodePools; waits until the fleet's Nodes are gone.
async fn delete(client: &kube::Client) -> Result<(), String> {
    let selector = format!("labelSelector={LABEL}");
    let list: Value = serde_json::from_str(
        &send(client, http::Method::GET, &format!("/api/v1/namespaces?{selector}"), None).await?,
    )
    .map_err(|e| e.to_string())?;
    let names: Vec<String> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["metadata"]["name"].as_str().map(str::to_owned))
        .collect();
    eprintln!("    deleting {} namespaces, the fleet's NodeClaims and NodePools", names.len());
    stream::iter(names)
        .for_each_concurrent(PARALLEL, |n| async move {
            let _ = send(client, http::Method::DELETE, &format!("/api/v1/namespaces/{n}"), None).await;
        })
        .await;
    send(client, http::Method::DELETE, &format!("/apis/karpenter.sh/v1/nodeclaims?{selector}"), None).await?;
    send(client, http::Method::DELETE, &format!("/apis/karpenter.sh/v1/nodepools?{selector}"), None).await?;
    let start = Instant::now();
    testenv::poll_until(
        "the fleet's Nodes are gone",
        Duration::from_secs(600),
        Duration::from_secs(5),
        || async {
            let left = count(client, "/api/v1/nodes", "&labelSelector=fleet.autoscaling.dev/fleet", |_| true)
                .await?;
            eprintln!("    fleet nodes left: {left}");
            Ok((left == 0).then_some(()))
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    eprintln!("    fleet deleted in {:.0} s", start.elapsed().as_secs_f64());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args().nth(1).unwrap_or_default().to_uppercase();
    let env = TestEnv::get()?;
    let admin = env.client(User::Admin).await?;
    if arg == "DELETE" {
        return Ok(delete(&admin).await?);
    }
    let size = *SIZES
        .iter()
        .find(|s| s.name == arg)
        .ok_or_else(|| format!("usage: fleet S|M|L|delete (got `{arg}`)"))?;
    let all = Instant::now();
    eprintln!(
        "fleet {}: {} nodes, {} pods, {} ScaledObjects, {} ScaledJobs in {} namespaces",
        size.name, size.nodes, size.pods, size.scaled_objects, size.scaled_jobs, size.namespaces
    );
    let targets = Targets {
        redis_addr: env.info.redis.addr.clone(),
        redis_password: env.info.redis.password.clone(),
        prometheus: env.info.prometheus_url.clone(),
    };

    // 1. NodePools, then (once Karpenter has hashed them) their NodeClaims.
    let phase = Instant::now();
    create_all(
        &admin,
        "NodePools",
        node_pools(size).into_iter().map(|p| ("/apis/karpenter.sh/v1/nodepools".to_owned(), p)).collect(),
    )
    .await?;
    let mut pools = Vec::new();
    for (name, _) in POOLS {
        let pool = testenv::poll_until(
            "Karpenter hashes the NodePool",
            Duration::from_secs(60),
            Duration::from_millis(500),
            || async {
                let p: Value = serde_json::from_str(
                    &send(
                        &admin,
                        http::Method::GET,
                        &format!("/apis/karpenter.sh/v1/nodepools/{name}"),
                        None,
                    )
                    .await?,
                )
                .map_err(|e| e.to_string())?;
                Ok(p["metadata"]["annotations"]["karpenter.sh/nodepool-hash"].is_string().then_some(p))
            },
        )
        .await?;
        pools.push(pool);
    }
    let mut seq = Seq(11);
    let claims: Vec<(String, Value)> = (0..size.nodes)
        .map(|i| {
            (
                "/apis/karpenter.sh/v1/nodeclaims".to_owned(),
                node_claim(size, i, &pools[i % pools.len()], &mut seq),
            )
        })
        .collect();
    create_all(&admin, "NodeClaims", claims).await?;
    wait_for(
        "nodes Ready (launched by Karpenter, made Ready by kwok)",
        size.nodes,
        Duration::from_secs(180),
        || count(&admin, "/api/v1/nodes", "&labelSelector=fleet.autoscaling.dev/fleet", is_ready),
    )
    .await?;
    eprintln!("  nodes: {:.0} s", phase.elapsed().as_secs_f64());

    // 2. Namespaces, Secrets, TriggerAuthentications, Deployments, ScaledObjects, ScaledJobs.
    let phase = Instant::now();
    create_all(&admin, "workload objects", workloads(size, &targets)).await?;
    let pending_share = size.scaled_objects / 50 * (size.pods / size.scaled_objects);
    wait_for(
        "pods Running (created by kube-controller-manager, bound by kube-scheduler)",
        size.pods - pending_share,
        Duration::from_secs(180),
        || {
            count(&admin, "/api/v1/pods", "&labelSelector=app&fieldSelector=status.phase%3DRunning", |p| {
                p["metadata"]["namespace"].as_str().is_some_and(|n| n.starts_with("fleet-"))
            })
        },
    )
    .await?;
    eprintln!("  workloads: {:.0} s", phase.elapsed().as_secs_f64());
    eprintln!("fleet {} complete in {:.0} s", size.name, all.elapsed().as_secs_f64());
    Ok(())
}
