//! Every join on one small cluster state.
//!
//! Until captures of the demo scenario land in testdata/demo/ (then these tests move onto
//! them), the state is written here as the API objects Kubernetes, KEDA and Karpenter
//! return, with event messages in the exact formats their code emits (scheduler:
//! `0/N nodes are available: ...`; Karpenter: `Pod should schedule on: nodeclaim/<name>`,
//! `Failed to schedule pod, all available instance types exceed limits for nodepool: "<np>"`).

use model::access::{Access, restrict_snapshot, views_for};
use model::api::{self, ApiView, kinds};
use model::journal;
use model::nodeclaim::NodeClaimPhase;
use model::pending::{PendingCause, parse_scheduler_message};
use model::scaler::ScalerState;
use model::snapshot::{Index, OwnedSnapshot};
use model::{Quantity, Time, Views};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const T0: &str = "2026-08-20T10:00:00Z";

fn t(offset_s: i64) -> String {
    Time(Time::parse(T0).expect("t0").0 + offset_s * 1000).to_string()
}

fn now() -> Time {
    Time::parse(&t(120)).expect("now")
}

fn read<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("object")
}

#[allow(clippy::too_many_arguments)] // test fixture builder: one argument per field it sets
fn pod(
    ns: &str,
    name: &str,
    uid: &str,
    labels: Value,
    owner_rs: &str,
    node: Option<&str>,
    phase: &str,
    created: i64,
) -> Value {
    let mut conditions = vec![];
    if let Some(_n) = node {
        conditions
            .push(json!({"type": "PodScheduled", "status": "True", "lastTransitionTime": t(created + 59)}));
        conditions.push(json!({"type": "Ready", "status": if phase == "Running" {"True"} else {"False"}, "lastTransitionTime": t(created + 68)}));
    } else {
        conditions.push(json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "lastTransitionTime": t(created)}));
    }
    json!({
        "metadata": {"name": name, "namespace": ns, "uid": uid, "labels": labels, "creationTimestamp": t(created),
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner_rs, "uid": format!("rs-{owner_rs}"), "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"name": "app", "resources": {"requests": {"cpu": "1500m", "memory": "1.5Gi"}}}]},
        "status": {"phase": phase, "conditions": conditions}
    })
}

#[allow(clippy::too_many_arguments)] // test fixture builder: one argument per field it sets
fn event(
    ns: &str,
    uid: &str,
    kind: &str,
    name: &str,
    obj_uid: Option<&str>,
    reason: &str,
    msg: &str,
    source: &str,
    at: i64,
) -> Value {
    json!({
        "metadata": {"name": format!("{name}.{uid}"), "namespace": ns, "uid": uid, "creationTimestamp": t(at)},
        "involvedObject": {"kind": kind, "namespace": if ns == "default" && kind != "Pod" && kind != "ScaledObject" { Value::Null } else { json!(ns) }, "name": name, "uid": obj_uid},
        "reason": reason, "message": msg, "type": if reason == "FailedScheduling" { "Warning" } else { "Normal" },
        "count": 1, "firstTimestamp": t(at), "lastTimestamp": t(at), "source": {"component": source}
    })
}

fn scenario() -> OwnedSnapshot {
    let mut s = OwnedSnapshot::default();
    // team-a/orders: Deployment scaled by a ScaledObject whose HPA has a custom name.
    s.workloads.push(read(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "orders", "namespace": "team-a", "uid": "dep-orders"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "orders"}},
                 "template": {"metadata": {"labels": {"app": "orders"}}, "spec": {"containers": [{"name": "app", "resources": {"requests": {"cpu": "1500m", "memory": "1.5Gi"}}}]}}},
        "status": {"replicas": 2, "readyReplicas": 1}
    })));
    s.scaled_objects.push(read(json!({
        "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
        "metadata": {"name": "orders", "namespace": "team-a", "uid": "so-orders", "creationTimestamp": t(-3600)},
        "spec": {"scaleTargetRef": {"name": "orders"}, "minReplicaCount": 0, "maxReplicaCount": 10,
                 "triggers": [{"type": "redis", "name": "orders-list", "metadata": {"listName": "orders", "listLength": "5", "activationListLength": "1"},
                               "authenticationRef": {"name": "redis-auth"}}]},
        "status": {"hpaName": "orders-custom-hpa", "externalMetricNames": ["s0-redis-orders"], "lastActiveTime": t(100),
                   "health": {"s0-redis-orders": {"numberOfFailures": 0, "status": "Happy"}},
                   "conditions": [{"type": "Ready", "status": "True"}, {"type": "Active", "status": "True"}, {"type": "Fallback", "status": "False"}]}
    })));
    s.hpas.push(read(json!({
        "metadata": {"name": "orders-custom-hpa", "namespace": "team-a"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "orders"}, "minReplicas": 1, "maxReplicas": 10},
        "status": {"currentReplicas": 2, "desiredReplicas": 3,
                   "currentMetrics": [{"type": "External", "external": {"metric": {"name": "s0-redis-orders"}, "current": {"averageValue": "7500m"}}}]}
    })));
    // A decoy HPA with the name KEDA would use by default: must be ignored.
    s.hpas.push(read(json!({"metadata": {"name": "keda-hpa-orders", "namespace": "team-a"}, "status": {"currentReplicas": 99, "desiredReplicas": 99}})));
    s.pods.push(read(pod(
        "team-a",
        "orders-7d9f-aaaaa",
        "pod-a1",
        json!({"app": "orders"}),
        "orders-7d9f",
        Some("node-1"),
        "Running",
        -300,
    )));
    s.pods.push(read(pod(
        "team-a",
        "orders-7d9f-bbbbb",
        "pod-a2",
        json!({"app": "orders"}),
        "orders-7d9f",
        None,
        "Pending",
        2,
    )));
    // team-b: a pod with the SAME name as a team-a pod, blocked by the NodePool limit.
    s.workloads.push(read(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "team-b", "uid": "dep-web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}}, "status": {"replicas": 1}
    })));
    s.scaled_objects.push(read(json!({
        "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
        "metadata": {"name": "web", "namespace": "team-b", "uid": "so-web", "annotations": {"autoscaling.keda.sh/paused-replicas": "1"}},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                 "triggers": [{"type": "prometheus", "metadata": {"threshold": "100", "query": "sum(x)"}}]},
        "status": {"externalMetricNames": ["s0-prometheus"], "health": {"s0-prometheus": {"numberOfFailures": 4, "status": "Failing"}},
                   "conditions": [{"type": "Ready", "status": "True"}, {"type": "Paused", "status": "True"}]}
    })));
    s.pods.push(read(pod(
        "team-b",
        "orders-7d9f-bbbbb",
        "pod-b1",
        json!({"app": "web"}),
        "web-5c6d",
        None,
        "Pending",
        5,
    )));
    // A custom /scale kind (Argo Rollout) known only through its Scale subresource.
    let scale: model::k8s::Scale =
        read(json!({"metadata": {"name": "canary", "namespace": "team-c", "uid": "ro-1"},
        "spec": {"replicas": 1}, "status": {"replicas": 1, "selector": "app=canary,track in (stable)"}}));
    s.workloads.push(scale.into_workload("argoproj.io/v1alpha1", "Rollout"));
    s.scaled_objects.push(read(json!({
        "metadata": {"name": "canary", "namespace": "team-c", "uid": "so-canary"},
        "spec": {"scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "canary"}, "triggers": []},
        "status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "Active", "status": "False"}]}
    })));
    let mut canary_pod = pod(
        "team-c",
        "canary-6f-xyz",
        "pod-c1",
        json!({"app": "canary", "track": "stable"}),
        "canary-6f",
        Some("node-1"),
        "Running",
        -50,
    );
    canary_pod["spec"]["containers"][0]["resources"]["requests"] = json!({"cpu": "500m"});
    s.pods.push(read(canary_pod));
    // Karpenter: NodePools, NodeClaims, a node.
    s.node_pools.push(read(json!({
        "metadata": {"name": "general", "uid": "np-general"},
        "spec": {"template": {"spec": {"nodeClassRef": {"group": "karpenter.kwok.sh", "kind": "KWOKNodeClass", "name": "default"}}},
                 "limits": {"cpu": "64", "memory": "256Gi"}, "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "30s", "budgets": [{"nodes": "10%"}]}},
        "status": {"resources": {"cpu": "4", "memory": "16Gi", "nodes": "1", "pods": "110"},
                   "conditions": [{"type": "Ready", "status": "True"}]}
    })));
    s.node_pools.push(read(json!({
        "metadata": {"name": "capped", "uid": "np-capped"},
        "spec": {"template": {"spec": {"nodeClassRef": {"group": "karpenter.kwok.sh", "kind": "KWOKNodeClass", "name": "default"}}}, "limits": {"cpu": "4"}},
        "status": {"resources": {"cpu": "4", "memory": "16Gi"}, "conditions": [{"type": "Ready", "status": "True"}]}
    })));
    s.node_classes.push(
        model::nodeclass::AnyNodeClass::from_value(json!({"apiVersion": "karpenter.kwok.sh/v1alpha1", "kind": "KWOKNodeClass",
            "metadata": {"name": "default"}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}))
        .expect("nodeclass"),
    );
    let claim_labels = json!({"karpenter.sh/nodepool": "general", "node.kubernetes.io/instance-type": "c-4x-amd64-linux",
        "karpenter.sh/capacity-type": "on-demand", "topology.kubernetes.io/zone": "test-zone-a"});
    s.node_claims.push(read(json!({
        "metadata": {"name": "general-abcde", "uid": "nc-1", "labels": claim_labels, "creationTimestamp": t(-600)},
        "spec": {"nodeClassRef": {"group": "karpenter.kwok.sh", "kind": "KWOKNodeClass", "name": "default"}},
        "status": {"nodeName": "node-1", "providerID": "kwok://node-1",
                   "conditions": [{"type": "Launched", "status": "True", "lastTransitionTime": t(-590)},
                                  {"type": "Registered", "status": "True", "lastTransitionTime": t(-560)},
                                  {"type": "Initialized", "status": "True", "lastTransitionTime": t(-550)},
                                  {"type": "Drifted", "status": "True", "reason": "NodePoolDrifted"}]}
    })));
    s.node_claims.push(read(json!({
        "metadata": {"name": "general-fghij", "uid": "nc-2", "labels": {"karpenter.sh/nodepool": "general"}, "creationTimestamp": t(3)},
        "status": {"conditions": [{"type": "Launched", "status": "True", "lastTransitionTime": t(20)},
                                  {"type": "Registered", "status": "Unknown", "reason": "AwaitingReconciliation"}]}
    })));
    let mut node_labels = claim_labels.clone();
    node_labels["eks-node-viewer/instance-price"] = json!("0.17");
    s.nodes.push(read(json!({
        "metadata": {"name": "node-1", "uid": "node-uid-1", "labels": node_labels, "creationTimestamp": t(-560)},
        "spec": {"providerID": "kwok://node-1", "unschedulable": true},
        "status": {"allocatable": {"cpu": "3920m", "memory": "15Gi", "pods": "110"}, "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                   "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": t(-550)}]}
    })));
    // Events.
    let sched = "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    s.events.push(read(event(
        "team-a",
        "ev-1",
        "Pod",
        "orders-7d9f-bbbbb",
        Some("pod-a2"),
        "FailedScheduling",
        sched,
        "default-scheduler",
        2,
    )));
    s.events.push(read(event(
        "team-a",
        "ev-2",
        "Pod",
        "orders-7d9f-bbbbb",
        Some("pod-a2"),
        "Nominated",
        "Pod should schedule on: nodeclaim/general-fghij",
        "karpenter",
        3,
    )));
    s.events.push(read(event(
        "team-b",
        "ev-3",
        "Pod",
        "orders-7d9f-bbbbb",
        Some("pod-b1"),
        "FailedScheduling",
        "Failed to schedule pod, all available instance types exceed limits for nodepool: \"capped\"",
        "karpenter",
        6,
    )));
    // An old event about a previous pod of the same name in team-b (other uid): not this pod.
    s.events.push(read(event(
        "team-b",
        "ev-4",
        "Pod",
        "orders-7d9f-bbbbb",
        Some("old-pod"),
        "Nominated",
        "Pod should schedule on: node/node-1",
        "karpenter",
        -900,
    )));
    s.events.push(read(event(
        "team-a",
        "ev-5",
        "ScaledObject",
        "orders",
        Some("so-orders"),
        "KEDAScaleTargetActivated",
        "Scaled apps/v1.Deployment team-a/orders from 0 to 1, triggered by redisScaler",
        "keda-operator",
        1,
    )));
    s.events.push(read(event(
        "default",
        "ev-6",
        "NodeClaim",
        "general-fghij",
        Some("nc-2"),
        "DisruptionBlocked",
        "Nominated for a pending pod",
        "karpenter",
        30,
    )));
    s.live.insert("team-a", "orders", "s0-redis-orders", 15.0);
    s
}

#[test]
fn scheduler_messages_parse_into_parts() {
    let r = parse_scheduler_message(
        "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
    );
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].nodes, r[0].reason.as_str()), (2, "Insufficient cpu"));
    assert_eq!(
        (r[1].nodes, r[1].reason.as_str()),
        (3, "node(s) had untolerated taint {node.kubernetes.io/not-ready: }")
    );
    let r = parse_scheduler_message(
        "0/2 nodes are available: 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    assert_eq!(
        r,
        vec![model::pending::NodeReason { nodes: 2, reason: "node(s) had untolerated taint(s)".into() }]
    );
    assert!(parse_scheduler_message("something else").is_empty());
}

#[test]
fn pending_pods_join_events_by_namespace_name_and_uid() {
    let s = scenario();
    let snap = s.view();
    let ix = Index::new(&snap);
    let pending = model::pending::pending_pods(&ix, now());
    assert_eq!(pending.len(), 2);
    let a = pending.iter().find(|p| p.metadata.ns() == "team-a").expect("team-a pod");
    let b = pending.iter().find(|p| p.metadata.ns() == "team-b").expect("team-b pod");
    assert_eq!(a.metadata.name, b.metadata.name, "same name in two namespaces");
    assert_eq!(a.cause, PendingCause::NodeClaimLaunching);
    assert_eq!(a.node_claim.as_deref(), Some("general-fghij"));
    assert_eq!(a.reasons.len(), 2, "team-a's own events only");
    assert_eq!(a.reasons[0].node_reasons[0].reason, "node(s) were unschedulable");
    assert_eq!(a.scaler.as_ref().map(|s| s.name.as_str()), Some("orders"));
    assert_eq!(a.workload.as_ref().map(|w| w.name.as_str()), Some("orders"));
    assert_eq!(a.requests["cpu"], Quantity::parse("1500m").expect("q"));
    assert_eq!(b.cause, PendingCause::NodePoolLimit);
    assert_eq!(b.reasons.len(), 1, "the old pod's Nominated event (other uid) is not this pod's");
    assert_eq!(b.reasons[0].node_pool.as_deref(), Some("capped"));
    assert_eq!(b.nominated_node, None);
    assert_eq!(b.scaler.as_ref().map(|s| s.name.as_str()), Some("web"));
}

#[test]
fn scaler_view_reads_hpa_by_status_name_and_live_values() {
    let s = scenario();
    let snap = s.view();
    let ix = Index::new(&snap);
    let scalers = model::scaler::scalers(&ix, now());
    let orders = scalers.iter().find(|x| x.metadata.name == "orders").expect("orders");
    let hpa = orders.hpa.as_ref().expect("hpa");
    assert_eq!(hpa.name, "orders-custom-hpa");
    assert!(hpa.found);
    assert_eq!((orders.current_replicas, orders.desired_replicas), (Some(2), Some(3)), "not the decoy's 99");
    assert_eq!(orders.state, ScalerState::Active);
    let tr = &orders.triggers[0];
    assert_eq!(tr.metric_name.as_deref(), Some("s0-redis-orders"));
    assert_eq!(
        (tr.target_key.as_deref(), tr.target, tr.activation),
        (Some("listLength"), Some(5.0), Some(1.0))
    );
    assert_eq!((tr.value, tr.value_source.as_deref()), (Some(15.0), Some("externalMetrics")));
    assert_eq!(tr.ratio, Some(1.5), "15 over 2 replicas = 7.5 per replica vs 5");
    assert_eq!(tr.active, Some(true));
    assert_eq!(tr.authentication.as_deref(), Some("TriggerAuthentication/redis-auth"));
    assert_eq!(orders.pods.len(), 2);
    assert_eq!(orders.pending_pods, 1);
    let cost = orders.cost_per_hour.expect("priced node");
    assert!(
        (cost - 0.17 * 1.5 / 3.92).abs() < 1e-6,
        "1.5 of 3.92 cpu beats 1.5Gi of 15Gi; the pending pod costs nothing: {cost}"
    );

    let web = scalers.iter().find(|x| x.metadata.name == "web").expect("web");
    assert_eq!(web.state, ScalerState::Paused);
    assert_eq!(web.pause.paused_replicas, Some(1));
    assert!(web.erroring, "a Failing trigger is an error even while paused");
    assert_eq!(web.triggers[0].failures, Some(4));
    assert!(web.problems.is_empty() || web.hpa.is_none());

    let canary = scalers.iter().find(|x| x.metadata.name == "canary").expect("canary");
    assert!(canary.target_found, "Rollout resolved through its /scale selector");
    assert_eq!(canary.pods.len(), 1);
    assert_eq!(canary.state, ScalerState::Idle);
}

#[test]
fn node_and_nodeclaim_and_nodepool_views() {
    let s = scenario();
    let snap = s.view();
    let ix = Index::new(&snap);
    let nodes = model::node::node_views(&ix, now());
    let n = &nodes[0];
    assert_eq!(n.node_claim.as_deref(), Some("general-abcde"));
    assert_eq!(n.node_pool.as_deref(), Some("general"));
    assert_eq!(n.pods, 2);
    assert_eq!(n.pods_max, Some(110));
    let cpu = n.resources.iter().find(|r| r.name == "cpu").expect("cpu");
    assert_eq!(cpu.used, Quantity::parse("2").expect("q"), "1500m + 500m");
    assert!((cpu.ratio.expect("ratio") - 2.0 / 3.92).abs() < 1e-6, "rounded to 6 decimals");
    assert!(n.cordoned);
    assert_eq!(n.status_text(), "Ready,Cordoned");
    assert_eq!(n.price.map(|p| p.per_hour), Some(0.17));

    let claims = model::nodeclaim::node_claim_views(&ix, now());
    let c1 = claims.iter().find(|c| c.metadata.name == "general-abcde").expect("c1");
    assert_eq!(c1.phase, NodeClaimPhase::Ready);
    assert!(c1.drifted && c1.node_found);
    assert_eq!(
        c1.steps.iter().map(|s| s.after_seconds).collect::<Vec<_>>(),
        vec![None, Some(10.0), Some(30.0), Some(10.0)]
    );
    let c2 = claims.iter().find(|c| c.metadata.name == "general-fghij").expect("c2");
    assert_eq!(c2.phase, NodeClaimPhase::Registering);
    assert_eq!(c2.steps[2].message.as_deref(), Some("AwaitingReconciliation"));

    let pools = model::nodepool::node_pool_views(&ix, now());
    let capped = pools.iter().find(|p| p.metadata.name == "capped").expect("capped");
    assert_eq!(capped.at_limit, vec!["cpu".to_owned()]);
    let general = pools.iter().find(|p| p.metadata.name == "general").expect("general");
    assert!(general.at_limit.is_empty());
    assert_eq!(general.node_claims.len(), 2);
    assert_eq!(general.launching, 1);
    assert_eq!(general.drifted, 1);
    assert_eq!(general.cost_per_hour, Some(0.17));
    let nc = general.node_class.as_ref().expect("class");
    assert!(nc.found && nc.ready == Some(true) && nc.provider.as_deref() == Some("KWOK"));
}

#[test]
fn chain_links_scaler_to_nodeclass_and_explains_the_block() {
    let s = scenario();
    let snap = s.view();
    let ix = Index::new(&snap);
    let chains = model::chain::chains(&ix, now());
    let orders = chains.iter().find(|c| c.metadata.name == "orders").expect("orders");
    assert_eq!(orders.nodes.len(), 1);
    assert_eq!(orders.nodes[0].node_claim.as_deref(), Some("general-abcde"));
    assert_eq!(orders.node_claims.len(), 2, "the running one and the one launching for the pending pod");
    assert_eq!(orders.node_pools.len(), 1);
    assert_eq!(orders.node_pools[0].node_class.as_ref().map(|c| c.kind.as_str()), Some("KWOKNodeClass"));
    let b = orders.blocked.as_ref().expect("scale-out in progress");
    assert_eq!((b.wants, b.has, b.pending), (3, 1, 1));
    assert!(!b.blocked, "a NodeClaim is launching: in progress, not blocked");
    let web = chains.iter().find(|c| c.metadata.name == "web").expect("web");
    let b = web.blocked.as_ref().expect("blocked");
    assert!(b.blocked);
    assert_eq!(b.causes[0].cause, PendingCause::NodePoolLimit);
    assert_eq!(b.causes[0].node_pool.as_deref(), Some("capped"));
    assert_eq!(web.node_pools[0].at_limit, vec!["cpu".to_owned()]);
    assert!(model::chain::chain_for_workload(&chains, "team-b", "Deployment", "web").is_some());
}

#[test]
fn cold_start_timeline_has_every_step_and_the_slowest() {
    let mut s = scenario();
    // The pending pod got its node: it landed on a NodeClaim launched for this activation.
    s.node_claims[1].status.node_name = Some("node-2".into());
    for (ty, at) in [("Registered", 50), ("Initialized", 60)] {
        let c = s.node_claims[1].status.conditions.iter_mut().find(|c| c.type_ == ty);
        let cond: model::Condition = read(json!({"type": ty, "status": "True", "lastTransitionTime": t(at)}));
        match c {
            Some(c) => *c = cond,
            None => s.node_claims[1].status.conditions.push(cond),
        }
    }
    let snap = s.view();
    let ix = Index::new(&snap);
    let tls = model::cold_start::timelines(&ix, now());
    let tl = tls.iter().find(|t| t.scaler.name == "orders").expect("timeline");
    assert_eq!(tl.pod.as_deref(), Some("orders-7d9f-bbbbb"));
    assert_eq!(tl.node_claim.as_deref(), Some("general-fghij"));
    let names: Vec<&str> = tl.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Activated",
            "PodCreated",
            "FailedScheduling",
            "Nominated",
            "Launched",
            "Registered",
            "Initialized",
            "PodScheduled",
            "PodReady"
        ]
    );
    assert_eq!(tl.slowest_step.as_deref(), Some("Registered"));
    assert_eq!(tl.steps[5].after_seconds, Some(30.0));
    assert!(!tl.complete, "the pod is not Ready yet");
    assert_eq!(tl.metadata.name, format!("orders-{}", Time::parse(&t(1)).expect("t").unix_seconds()));
}

#[test]
fn journal_entries_are_idempotent() {
    let s = scenario();
    let e = &s.events[4];
    let a = journal::from_event(e).expect("scaling event");
    let b = journal::from_event(e).expect("scaling event");
    assert_eq!(a, b);
    assert_eq!(a.reason, "KEDAScaleTargetActivated");
    assert_eq!(a.object_uid, "so-orders");
    assert!(
        journal::from_event(&read::<model::k8s::Event>(
            json!({"metadata": {"uid": "x"}, "reason": "Pulled"})
        ))
        .is_none()
    );
    let so = &s.scaled_objects[0];
    let old = so.status.conditions.clone();
    let mut new = old.clone();
    new[1].status = "False".into();
    new[1].last_transition_time = Some(now());
    let changes =
        journal::condition_changes("keda.sh/v1alpha1", "ScaledObject", &so.metadata, &old, &new, now());
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].reason.as_str(), changes[0].type_.as_str()), ("Active", "False"));
    assert_eq!(
        changes,
        journal::condition_changes("keda.sh/v1alpha1", "ScaledObject", &so.metadata, &old, &new, Time(0))
    );
}

#[test]
fn alice_sees_only_team_a() {
    let s = scenario();
    let snap = s.view();
    let mut alice = Access::default();
    for k in [kinds::SCALEDOBJECTS, kinds::PODS, kinds::EVENTS, kinds::HPAS, kinds::DEPLOYMENTS] {
        alice.grant("team-a", k);
    }
    // Exact: joins over what she may see.
    let hers = restrict_snapshot(&snap, &alice);
    let v = Views::build(&hers, now());
    assert_eq!(v.scalers.iter().map(|s| s.metadata.name.as_str()).collect::<Vec<_>>(), ["orders"]);
    assert!(v.nodes.is_empty() && v.node_pools.is_empty() && v.node_claims.is_empty());
    assert_eq!(v.pending_pods.len(), 1);
    assert_eq!(v.overview.scalers.total, 1);
    assert!(v.overview.recent.iter().all(|r| r.namespace == "team-a"));
    // The one entry point: the same joins, and chains name what she may not see.
    assert_eq!(Views::build(&snap, now()).scalers.len(), 3);
    let all = views_for(&snap, &alice, now());
    assert_eq!(all, Views { chains: all.chains.clone(), ..v.clone() });
    assert_eq!(all.scalers.len(), 1);
    assert!(all.chains[0].nodes.is_empty());
    assert_eq!(all.chains[0].redacted, ["nodes", "nodeclaims", "nodepools"]);
    assert!(all.overview.recent.iter().all(|r| r.object_kind != "NodeClaim"));
}

#[test]
fn api_registry_tables_and_round_trips() {
    let s = scenario();
    let v = Views::build(&s.view(), now());
    assert_eq!(api::RESOURCES.len(), 9);
    let d = api::discovery();
    assert_eq!(d["resources"].as_array().map(Vec::len), Some(9));
    fn check<V: ApiView>(items: &[V]) {
        for i in items {
            assert_eq!(i.cells(Time(0)).len(), V::DEF.columns.len(), "{}", V::DEF.plural);
        }
        let table = api::table(items, Time(0), "1");
        assert_eq!(table["rows"].as_array().map(Vec::len), Some(items.len()));
    }
    check(std::slice::from_ref(&v.overview));
    check(&v.scalers);
    check(&v.node_pools);
    check(&v.node_claims);
    check(&v.nodes);
    check(&v.chains);
    check(&v.pending_pods);
    check(&v.timelines);
    check(&v.overview.recent);
    for sc in &v.scalers {
        assert_eq!(sc.api_version, api::API_VERSION);
        assert_eq!(sc.kind, "Scaler");
    }
    let text = serde_json::to_string(&v).expect("ser");
    let back: Views = serde_json::from_str(&text).expect("de");
    assert_eq!(back, v);
    let list = api::list(&v.scalers, "7");
    assert_eq!(list["kind"], "ScalerList");
    assert_eq!(list["items"][0]["metadata"]["namespace"], "team-a");
}

#[test]
fn hostile_and_empty_inputs_never_panic() {
    let mut s = scenario();
    // Objects with nothing in them, names with markup, a selector that selects everything.
    s.pods.push(read(json!({})));
    s.pods.push(read(json!({"metadata": {"name": "<script>alert(1)</script>", "namespace": "team-a"}, "status": {"phase": "Pending"}})));
    s.nodes.push(read(json!({"metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "0"}}})));
    s.node_claims.push(read(json!({"status": {"conditions": "nope"}})));
    s.scaled_objects.push(read(json!({"metadata": {"name": "x", "namespace": "team-a"}, "spec": {"scaleTargetRef": {"name": ""}, "triggers": [{"metadata": {"threshold": "NaN"}}]}})));
    s.workloads.push(read(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "", "namespace": "team-a"}, "spec": {"selector": {}}})));
    s.events.push(read(json!({"reason": "FailedScheduling", "message": "nodes are available: , , {{{"})));
    let v = Views::build(&s.view(), now());
    assert!(v.pending_pods.iter().any(|p| p.metadata.name == "<script>alert(1)</script>"));
    let x = v.scalers.iter().find(|s| s.metadata.name == "x").expect("x");
    assert!(!x.target_found);
    assert!(x.pods.is_empty(), "an empty selector must not select every pod");
    assert_eq!(x.triggers[0].target, None);
    let empty = Views::build(&OwnedSnapshot::default().view(), now());
    assert_eq!(empty.overview.scalers.total, 0);
}
