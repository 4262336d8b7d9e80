//! Benchmarks of the heavy joins on a generated cluster of 5,000 pods, 500 nodes and 1,000
//! ScaledObjects (`cargo bench -p model`). Numbers go to BENCHMARKS.md with the machine.

use criterion::{Criterion, criterion_group, criterion_main};
use model::k8s::{Event, HorizontalPodAutoscaler, Node, Pod, Workload};
use model::karpenter::{NodeClaim, NodePool};
use model::keda::ScaledObject;
use model::snapshot::{Index, OwnedSnapshot};
use model::{Time, Views};
use serde_json::{Value, json};
use std::hint::black_box;

const NAMESPACES: usize = 50;
const SCALERS: usize = 1_000;
const PODS_PER_SCALER: usize = 5;
const NODES: usize = 500;
const POOLS: usize = 5;

fn ts(s: i64) -> String {
    Time(1_787_220_000_000 + s * 1000).to_string()
}

fn read<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("generated object")
}

/// A cluster shaped like the demo scenario, scaled up: every 10th pod pending with a
/// scheduler and a Karpenter event, one activation event per ScaledObject.
fn cluster() -> OwnedSnapshot {
    let mut s = OwnedSnapshot::default();
    for p in 0..POOLS {
        s.node_pools.push(read(json!({
            "metadata": {"name": format!("pool-{p}"), "uid": format!("np-{p}")},
            "spec": {"limits": {"cpu": "1000", "memory": "4000Gi"}, "template": {"spec": {"nodeClassRef": {"group": "karpenter.kwok.sh", "kind": "KWOKNodeClass", "name": "default"}}}},
            "status": {"resources": {"cpu": "800", "memory": "3200Gi", "nodes": "100"}, "conditions": [{"type": "Ready", "status": "True"}]}
        })));
    }
    for n in 0..NODES {
        let labels = json!({"karpenter.sh/nodepool": format!("pool-{}", n % POOLS), "node.kubernetes.io/instance-type": "c-8x-amd64-linux",
            "karpenter.sh/capacity-type": if n % 3 == 0 {"spot"} else {"on-demand"}, "topology.kubernetes.io/zone": "zone-a",
            "eks-node-viewer/instance-price": "0.34"});
        s.nodes.push(read(json!({
            "metadata": {"name": format!("node-{n}"), "uid": format!("node-uid-{n}"), "labels": labels, "creationTimestamp": ts(-86_400)},
            "spec": {"providerID": format!("kwok://node-{n}")},
            "status": {"allocatable": {"cpu": "7910m", "memory": "31Gi", "pods": "110"}, "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": ts(-86_000)}]}
        })));
        s.node_claims.push(read(json!({
            "metadata": {"name": format!("claim-{n}"), "uid": format!("claim-uid-{n}"), "labels": labels, "creationTimestamp": ts(-86_500)},
            "status": {"nodeName": format!("node-{n}"), "providerID": format!("kwok://node-{n}"),
                "conditions": [{"type": "Launched", "status": "True", "lastTransitionTime": ts(-86_490)},
                               {"type": "Registered", "status": "True", "lastTransitionTime": ts(-86_450)},
                               {"type": "Initialized", "status": "True", "lastTransitionTime": ts(-86_440)}]}
        })));
    }
    let mut pod_n = 0usize;
    for i in 0..SCALERS {
        let ns = format!("ns-{}", i % NAMESPACES);
        let name = format!("app-{i}");
        s.workloads.push(read::<Workload>(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "uid": format!("dep-{i}")},
            "spec": {"replicas": PODS_PER_SCALER, "selector": {"matchLabels": {"app": name}},
                     "template": {"spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}]}}},
            "status": {"replicas": PODS_PER_SCALER, "readyReplicas": PODS_PER_SCALER - 1}
        })));
        s.scaled_objects.push(read::<ScaledObject>(json!({
            "metadata": {"name": name, "namespace": ns, "uid": format!("so-{i}")},
            "spec": {"scaleTargetRef": {"name": name}, "maxReplicaCount": 20,
                     "triggers": [{"type": "redis", "metadata": {"listLength": "5", "activationListLength": "1"}}]},
            "status": {"hpaName": format!("keda-hpa-{name}"), "externalMetricNames": [format!("s0-redis-{name}")],
                       "health": {format!("s0-redis-{name}"): {"numberOfFailures": 0, "status": "Happy"}},
                       "conditions": [{"type": "Ready", "status": "True"}, {"type": "Active", "status": "True"}]}
        })));
        s.hpas.push(read::<HorizontalPodAutoscaler>(json!({
            "metadata": {"name": format!("keda-hpa-{name}"), "namespace": ns},
            "status": {"currentReplicas": PODS_PER_SCALER, "desiredReplicas": PODS_PER_SCALER + 1}
        })));
        s.events.push(read::<Event>(json!({
            "metadata": {"name": format!("{name}.act"), "namespace": ns, "uid": format!("ev-act-{i}")},
            "involvedObject": {"kind": "ScaledObject", "namespace": ns, "name": name, "uid": format!("so-{i}")},
            "reason": "KEDAScaleTargetActivated", "message": "Scaled", "firstTimestamp": ts(-600), "lastTimestamp": ts(-600), "count": 1,
            "source": {"component": "keda-operator"}
        })));
        s.live.insert(&ns, &name, &format!("s0-redis-{name}"), (i % 40) as f64);
        for r in 0..PODS_PER_SCALER {
            let pending = pod_n.is_multiple_of(10);
            let pname = format!("{name}-rs-{r}");
            let uid = format!("pod-{pod_n}");
            s.pods.push(read::<Pod>(json!({
                "metadata": {"name": pname, "namespace": ns, "uid": uid, "labels": {"app": name}, "creationTimestamp": ts(-590 + r as i64),
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{name}-rs"), "uid": "x", "controller": true}]},
                "spec": {"nodeName": if pending { Value::Null } else { json!(format!("node-{}", pod_n % NODES)) },
                         "containers": [{"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}]},
                "status": {"phase": if pending {"Pending"} else {"Running"},
                           "conditions": [{"type": "Ready", "status": if pending {"False"} else {"True"}, "lastTransitionTime": ts(-560)}]}
            })));
            if pending {
                for (k, (reason, msg, src)) in [
                    ("FailedScheduling", "0/500 nodes are available: 500 Insufficient cpu. preemption: 0/500 nodes are available: 500 No preemption victims found for incoming pod.", "default-scheduler"),
                    ("FailedScheduling", "Failed to schedule pod, all available instance types exceed limits for nodepool: \"pool-1\"", "karpenter"),
                ]
                .into_iter()
                .enumerate()
                {
                    s.events.push(read::<Event>(json!({
                        "metadata": {"name": format!("{pname}.{k}"), "namespace": ns, "uid": format!("ev-{pod_n}-{k}")},
                        "involvedObject": {"kind": "Pod", "namespace": ns, "name": pname, "uid": uid},
                        "reason": reason, "message": msg, "type": "Warning", "count": 3,
                        "firstTimestamp": ts(-580), "lastTimestamp": ts(-10), "source": {"component": src}
                    })));
                }
            }
            pod_n += 1;
        }
    }
    s
}

fn pods_json(s: &OwnedSnapshot) -> String {
    serde_json::to_string(&json!({"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"}, "items": s.pods}))
        .expect("json")
}

fn benches(c: &mut Criterion) {
    let owned = cluster();
    let snap = owned.view();
    let now = Time(1_787_220_000_000);
    println!(
        "cluster: {} pods, {} nodes, {} ScaledObjects, {} events",
        owned.pods.len(),
        owned.nodes.len(),
        owned.scaled_objects.len(),
        owned.events.len()
    );
    let body = pods_json(&owned);
    println!("PodList JSON: {} bytes", body.len());
    c.bench_function("parse PodList (5,000 pods)", |b| {
        b.iter(|| model::parse_list::<Pod>(black_box(&body)).expect("list").items.len())
    });
    c.bench_function("index", |b| b.iter(|| Index::new(black_box(&snap)).snap.pods.len()));
    let ix = Index::new(&snap);
    c.bench_function("scalers (1,000)", |b| b.iter(|| model::scaler::scalers(&ix, now).len()));
    c.bench_function("chains (1,000)", |b| b.iter(|| model::chain::chains(&ix, now).len()));
    c.bench_function("pending pods (500)", |b| b.iter(|| model::pending::pending_pods(&ix, now).len()));
    c.bench_function("nodes (500)", |b| b.iter(|| model::node::node_views(&ix, now).len()));
    c.bench_function("nodepools (5)", |b| b.iter(|| model::nodepool::node_pool_views(&ix, now).len()));
    c.bench_function("timelines (1,000)", |b| b.iter(|| model::cold_start::timelines(&ix, now).len()));
    c.bench_function("all views incl. overview", |b| {
        b.iter(|| Views::build(black_box(&snap), now).scalers.len())
    });
    let views = Views::build(&snap, now);
    let json = serde_json::to_string(&views).expect("json");
    println!("all views JSON: {} bytes", json.len());
    let mut alice = model::access::Access::default();
    for k in [model::api::kinds::SCALEDOBJECTS, model::api::kinds::PODS, model::api::kinds::EVENTS] {
        alice.grant("ns-1", k);
    }
    c.bench_function("views for a user of one namespace", |b| {
        b.iter(|| model::access::views_for(black_box(&snap), &alice, now).scalers.len())
    });
    let _: (&[NodePool], &[NodeClaim], &[Node]) = (&owned.node_pools, &owned.node_claims, &owned.nodes);
}

criterion_group! {
    name = joins;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(joins);
