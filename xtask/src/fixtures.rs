//! `cargo xtask fixtures`: captures real objects from the running demo scenario into
//! `testdata/demo/<moment>/` — each file is a list exactly as the API server returns it
//! (`kubectl get --raw`), with only `metadata.managedFields` removed.
//!
//! Moments (each captured once, when the cluster is seen in that state):
//! - `scaling-out`: team-a/orders has Pending pods and a NodeClaim is not yet initialized (the command
//!   pushes a burst of 200 items to `orders` once `idle` is captured, so that the scale-out outgrows the
//!   existing nodes);
//! - `blocked`: team-b/web has Pending pods and Karpenter reports NodePool `capped` over its limits;
//! - `idle`: team-a/orders is at zero replicas with nothing Pending and its queue empty.
//!
//! `cargo xtask fixtures --now NAME` captures the current state once into `testdata/demo/NAME/`.

use crate::cluster::{Cluster, process::poll_until};
use crate::phase::Phase;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// (file name, API path) of every list captured.
const LISTS: &[(&str, &str)] = &[
    ("scaledobjects", "/apis/keda.sh/v1alpha1/scaledobjects"),
    ("scaledjobs", "/apis/keda.sh/v1alpha1/scaledjobs"),
    ("triggerauthentications", "/apis/keda.sh/v1alpha1/triggerauthentications"),
    ("clustertriggerauthentications", "/apis/keda.sh/v1alpha1/clustertriggerauthentications"),
    ("cloudeventsources", "/apis/eventing.keda.sh/v1alpha1/cloudeventsources"),
    ("horizontalpodautoscalers", "/apis/autoscaling/v2/horizontalpodautoscalers"),
    ("deployments", "/apis/apps/v1/deployments"),
    ("statefulsets", "/apis/apps/v1/statefulsets"),
    ("replicasets", "/apis/apps/v1/replicasets"),
    ("jobs", "/apis/batch/v1/jobs"),
    ("pods", "/api/v1/pods"),
    ("nodes", "/api/v1/nodes"),
    ("events", "/api/v1/events"),
    ("nodepools", "/apis/karpenter.sh/v1/nodepools"),
    ("nodeclaims", "/apis/karpenter.sh/v1/nodeclaims"),
    ("kwoknodeclasses", "/apis/karpenter.kwok.sh/v1alpha1/kwoknodeclasses"),
];

/// Entry point of `cargo xtask fixtures`.
pub fn run(args: &[String]) -> Result<()> {
    let cluster = Cluster::load()?;
    if cluster.info.scenario.as_deref() != Some("demo") {
        bail!("the running cluster has no demo scenario: run `cargo xtask cluster up --scenario demo`");
    }
    let out = crate::paths::repo().join("testdata").join("demo");
    match args {
        [flag, name] if flag == "--now" => capture(&cluster, &out.join(name), name),
        [] => capture_moments(&cluster, &out),
        _ => bail!("usage: cargo xtask fixtures [--now NAME]"),
    }
}

fn capture_moments(c: &Cluster, out: &Path) -> Result<()> {
    let _p = Phase::start("capture fixtures (idle, blocked, scaling-out; up to 15 minutes)");
    let mut pending: Vec<&str> = vec!["idle", "blocked", "scaling-out"];
    let mut pushed = false;
    poll_until("every moment of the demo scenario", Duration::from_secs(900), Duration::from_secs(2), || {
        let state = State::read(c)?;
        let mut i = 0;
        while i < pending.len() {
            let moment = pending[i];
            // `scaling-out` only after `idle`, which must not see the burst below in its queue.
            if state.is(moment) && (moment != "scaling-out" || pushed) {
                capture(c, &out.join(moment), moment)?;
                pending.remove(i);
            } else {
                i += 1;
            }
        }
        if !pushed && !pending.contains(&"idle") {
            push_burst(c)?;
            pushed = true;
        }
        Ok(pending.is_empty())
    })
}

/// A burst on top of the load driver's, so that KEDA wants more replicas than the nodes left from the
/// previous cycle can hold: the scale-out then needs new NodeClaims (the moment `scaling-out` shows).
fn push_burst(c: &Cluster) -> Result<()> {
    let mut redis = crate::cluster::redis::Redis::connect(&c.info.redis.addr, &c.info.redis.password)?;
    let burst: Vec<String> = (0..200).map(|i| format!("fixtures-burst-{i}")).collect();
    let mut args = vec!["RPUSH", "orders"];
    args.extend(burst.iter().map(String::as_str));
    redis.cmd(&args)?;
    eprintln!("    pushed {} items to the Redis list `orders`", burst.len());
    Ok(())
}

/// What the fixture moments are recognised by.
struct State {
    orders_pending: usize,
    orders_replicas: u64,
    web_pending: usize,
    nodeclaim_initializing: bool,
    web_blocked_by_limit: bool,
    orders_queue: i64,
}

impl State {
    fn read(c: &Cluster) -> Result<State> {
        let pods = c.kubectl.get_json(&["pods", "-A"])?;
        let pending = |ns: &str, app: &str| {
            items(&pods)
                .filter(|p| p["metadata"]["namespace"] == ns && p["metadata"]["labels"]["app"] == app)
                .filter(|p| p["status"]["phase"] == "Pending")
                .count()
        };
        let claims = c.kubectl.get_json(&["nodeclaims.karpenter.sh"])?;
        let nodeclaim_initializing =
            items(&claims).any(|nc| !crate::cluster::kubectl::condition_true(nc, "Initialized"));
        // Karpenter says so on the pod: "... all available instance types exceed limits for nodepool".
        let events =
            c.kubectl.get_json(&["events", "-n", "team-b", "--field-selector", "reason=FailedScheduling"])?;
        let web_blocked_by_limit = items(&events).any(|e| {
            e["involvedObject"]["name"].as_str().is_some_and(|n| n.starts_with("web-"))
                && e["message"].as_str().is_some_and(|m| m.contains("exceed limits for nodepool"))
        });
        let orders = c.kubectl.get_json(&["deployment", "orders", "-n", "team-a"])?;
        Ok(State {
            orders_pending: pending("team-a", "orders"),
            orders_replicas: orders["spec"]["replicas"].as_u64().unwrap_or(0),
            web_pending: pending("team-b", "web"),
            nodeclaim_initializing,
            web_blocked_by_limit,
            orders_queue: crate::cluster::redis::Redis::connect(&c.info.redis.addr, &c.info.redis.password)?
                .llen("orders")?,
        })
    }

    fn is(&self, moment: &str) -> bool {
        match moment {
            "scaling-out" => self.orders_pending > 0 && self.nodeclaim_initializing,
            "blocked" => self.web_pending > 0 && self.web_blocked_by_limit,
            "idle" => self.orders_replicas == 0 && self.orders_pending == 0 && self.orders_queue == 0,
            _ => false,
        }
    }
}

fn items(list: &Value) -> impl Iterator<Item = &Value> {
    list["items"].as_array().into_iter().flatten()
}

/// Captures every list (and the External Metrics API's answers) into `dir`.
fn capture(c: &Cluster, dir: &Path, moment: &str) -> Result<()> {
    let _p = Phase::start(format!("capture `{moment}` into {}", dir.display()));
    std::fs::create_dir_all(dir)?;
    // All lists at once: a moment such as `scaling-out` lasts seconds, one GET after another would smear it.
    let lists: Vec<Result<(&str, Value)>> = std::thread::scope(|s| {
        let handles: Vec<_> = LISTS
            .iter()
            .map(|(name, path)| {
                s.spawn(move || -> Result<(&str, Value)> {
                    let text = c.kubectl.raw(path).with_context(|| format!("GET {path}"))?;
                    let list = serde_json::from_str(&text).with_context(|| format!("parsing GET {path}"))?;
                    Ok((*name, list))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("capture thread panicked"))))
            .collect()
    });
    for list in lists {
        let (name, mut list) = list?;
        strip_managed_fields(&mut list);
        write_json(&dir.join(format!("{name}.json")), &list)?;
    }
    // The External Metrics API, asked the way the HPA controller asks it, for every ScaledObject.
    let sos: Value = serde_json::from_str(&c.kubectl.raw("/apis/keda.sh/v1alpha1/scaledobjects")?)?;
    let mut answers = Vec::new();
    for so in items(&sos) {
        let ns = so["metadata"]["namespace"].as_str().unwrap_or_default();
        let name = so["metadata"]["name"].as_str().unwrap_or_default();
        for metric in so["status"]["externalMetricNames"].as_array().into_iter().flatten() {
            let metric = metric.as_str().unwrap_or_default();
            let path = format!(
                "/apis/external.metrics.k8s.io/v1beta1/namespaces/{ns}/{metric}?labelSelector=scaledobject.keda.sh%2Fname%3D{name}"
            );
            let response = match c.kubectl.raw(&path) {
                Ok(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                // Failing triggers answer with an error: keep it, it is a real answer too.
                Err(e) => json!({"error": format!("{e:#}")}),
            };
            answers.push(json!({"path": path, "response": response}));
        }
    }
    write_json(&dir.join("external-metrics.json"), &json!({"requests": answers}))?;
    let discovery: Value = serde_json::from_str(&c.kubectl.raw("/apis/external.metrics.k8s.io/v1beta1")?)?;
    write_json(&dir.join("external-metrics-discovery.json"), &discovery)?;
    let meta = json!({
        "moment": moment,
        "captured_at": now_rfc3339(),
        "versions": c.info.versions,
    });
    write_json(&dir.join("capture.json"), &meta)?;
    Ok(())
}

fn now_rfc3339() -> Option<String> {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

fn strip_managed_fields(list: &mut Value) {
    if let Some(items) = list["items"].as_array_mut() {
        for item in items {
            if let Some(meta) = item["metadata"].as_object_mut() {
                meta.remove("managedFields");
            }
        }
    }
}

fn write_json(path: &Path, v: &Value) -> Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(v)? + "\n")
        .with_context(|| format!("writing {}", path.display()))
}
