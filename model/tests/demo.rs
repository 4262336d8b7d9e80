//! The joins on objects captured from the real demo cluster (testdata/demo/{idle,blocked}, written by
//! kube-apiserver, KEDA, Karpenter and kwok; see testdata/demo/README.md for each moment).
//! Counts that vary between captures are checked against the raw objects, not hard-coded.

use model::access::{Access, views_for};
use model::api::{self, ApiView, kinds};
use model::nodeclaim::NodeClaimPhase;
use model::pending::PendingCause;
use model::scaler::{Scaler, ScalerState};
use model::snapshot::OwnedSnapshot;
use model::{Time, Views};
use serde_json::Value;
use std::path::PathBuf;

fn dir(moment: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/demo").join(moment)
}

fn raw(moment: &str, file: &str) -> Value {
    let path = dir(moment).join(format!("{file}.json"));
    serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("json")
}

/// Every list of a moment, the live values the External Metrics API answered, and the capture time.
fn load(moment: &str) -> (OwnedSnapshot, Time) {
    let mut s = OwnedSnapshot::default();
    for file in [
        "scaledobjects",
        "scaledjobs",
        "triggerauthentications",
        "clustertriggerauthentications",
        "horizontalpodautoscalers",
        "deployments",
        "statefulsets",
        "jobs",
        "pods",
        "nodes",
        "events",
        "nodepools",
        "nodeclaims",
        "kwoknodeclasses",
    ] {
        let body = std::fs::read_to_string(dir(moment).join(format!("{file}.json"))).expect("capture file");
        let rejected = s.add_list(file, &body).unwrap_or_else(|e| panic!("{moment}/{file}: {e}"));
        assert!(rejected.is_empty(), "{moment}/{file}: real objects must all read: {rejected:?}");
    }
    for r in raw(moment, "external-metrics")["requests"].as_array().expect("requests") {
        let path = r["path"].as_str().expect("path");
        // /apis/external.metrics.k8s.io/v1beta1/namespaces/<ns>/<metric>?labelSelector=scaledobject.keda.sh%2Fname%3D<so>
        let (p, query) = path.split_once('?').expect("query");
        let mut parts = p.rsplit('/');
        let metric = parts.next().expect("metric");
        let ns = parts.next().expect("ns");
        let so = query.rsplit("%3D").next().expect("so");
        s.live.insert_response(ns, so, metric, &r["response"].to_string());
    }
    let now = Time::parse(raw(moment, "capture")["captured_at"].as_str().expect("time")).expect("time");
    (s, now)
}

fn scaler<'v>(v: &'v Views, ns: &str, name: &str) -> &'v Scaler {
    v.scalers
        .iter()
        .find(|s| s.metadata.ns() == ns && s.metadata.name == name)
        .unwrap_or_else(|| panic!("{ns}/{name}"))
}

#[test]
fn scalers_show_the_scenarios_fixed_states() {
    for moment in ["idle", "blocked"] {
        let (s, now) = load(moment);
        let v = Views::build(&s.view(), now);
        assert_eq!(v.scalers.len(), s.scaled_objects.len() + s.scaled_jobs.len());
        let emails = scaler(&v, "team-a", "emails");
        assert_eq!(emails.state, ScalerState::Paused, "{moment}");
        assert_eq!(emails.pause.paused_replicas, Some(1));
        let legacy = scaler(&v, "team-b", "legacy-api");
        assert_eq!(legacy.state, ScalerState::Fallback, "{moment}");
        let fb = legacy.fallback.as_ref().expect("fallback");
        assert!(fb.active && fb.replicas == Some(2));
        assert!(legacy.erroring, "its trigger is Failing");
        assert_eq!(legacy.triggers[0].health.as_deref(), Some("Failing"));
        let payments = scaler(&v, "team-c", "payments");
        assert_eq!(payments.state, ScalerState::Error, "{moment}");
        assert_eq!(payments.ready, Some(false));
        let reports = scaler(&v, "team-b", "reports");
        assert!(reports.target_found, "StatefulSet target resolved through scaleTargetRef");
        assert_eq!(reports.target.as_ref().map(|t| t.kind.as_str()), Some("StatefulSet"));
        assert_eq!(reports.triggers[0].target_key.as_deref(), Some("desiredReplicas"));
        let orders = scaler(&v, "team-a", "orders");
        let raw_so = raw(moment, "scaledobjects");
        let hpa_name = raw_so["items"]
            .as_array()
            .and_then(|i| i.iter().find(|o| o["metadata"]["name"] == "orders"))
            .and_then(|o| o["status"]["hpaName"].as_str())
            .expect("status.hpaName");
        let hpa = orders.hpa.as_ref().expect("hpa");
        assert_eq!(hpa.name, hpa_name);
        assert!(hpa.found);
        assert_eq!(orders.triggers[0].name.as_deref(), Some("orders-queue"));
        assert_eq!((orders.triggers[0].target, orders.triggers[0].activation), (Some(10.0), Some(1.0)));
        let thumbnails = scaler(&v, "team-c", "thumbnails.scaledjob");
        assert_eq!(thumbnails.source.kind, "ScaledJob");
        assert_eq!(
            thumbnails.triggers[0].authentication.as_deref(),
            Some("ClusterTriggerAuthentication/shared-redis")
        );
        for sc in &v.scalers {
            assert!(sc.problems.is_empty(), "{moment} {}: {:?}", sc.metadata.name, sc.problems);
        }
    }
}

#[test]
fn idle_scalers_know_since_when_they_are_at_zero_and_what_it_saves() {
    let (s, now) = load("idle");
    let v = Views::build(&s.view(), now);
    for name in ["orders", "inbox"] {
        let sc = scaler(&v, "team-a", name);
        assert_eq!(sc.state, ScalerState::AtZero, "{name}");
        assert_eq!(sc.current_replicas, Some(0));
        let since = sc.at_zero_since.expect("at zero since");
        assert!(!sc.at_zero_since_estimated, "{name}: taken from its KEDAScaleTargetDeactivated event");
        let newest_deactivation = s
            .events
            .iter()
            .filter(|e| e.reason() == "KEDAScaleTargetDeactivated" && e.subject().name == name)
            .filter(|e| e.subject().uid.as_deref() == Some(sc.source.uid.as_str()))
            .filter_map(|e| e.last_seen())
            .max();
        assert_eq!(Some(since), newest_deactivation);
        let savings = sc.savings.as_ref().expect("priced nodes give an estimate");
        assert!(savings.per_hour > 0.0 && savings.saved >= 0.0);
        assert!((savings.at_zero_seconds - now.seconds_since(since)).abs() < 1e-9);
    }
}

#[test]
fn live_values_come_from_the_external_metrics_api() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    let web = scaler(&v, "team-b", "web");
    let t = &web.triggers[0];
    assert_eq!(t.value_source.as_deref(), Some("externalMetrics"));
    assert_eq!(t.value, s.live.get("team-b", "web", "s0-prometheus"));
    assert_eq!((t.target, t.activation), (Some(50.0), Some(5.0)));
    // Active as KEDA says (status.triggersActivity, KEDA >= 2.19), else value above activation.
    let raw_so = raw("blocked", "scaledobjects");
    let web_status = raw_so["items"]
        .as_array()
        .and_then(|i| i.iter().find(|o| o["metadata"]["name"] == "web"))
        .expect("web");
    let keda_says = web_status["status"]["triggersActivity"]["s0-prometheus"]["isActive"].as_bool();
    assert_eq!(t.active, keda_says.or(Some(t.value.expect("value") > 5.0)));
    let replicas = f64::from(web.current_replicas.expect("replicas"));
    let ratio = t.ratio.expect("ratio");
    assert!((ratio - t.value.expect("value") / replicas / 50.0).abs() < 1e-6, "rounded to 6 decimals");
}

#[test]
fn blocked_scale_out_names_the_nodepool_limit() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    let raw_pods = raw("blocked", "pods");
    let pending_web: Vec<&Value> = raw_pods["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| p["status"]["phase"] == "Pending" && p["metadata"]["namespace"] == "team-b")
        .filter(|p| p["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("web-")))
        .filter(|p| p["spec"]["nodeName"].is_null())
        .collect();
    assert!(!pending_web.is_empty());
    let chain =
        v.chains.iter().find(|c| c.metadata.ns() == "team-b" && c.metadata.name == "web").expect("chain");
    let b = chain.blocked.as_ref().expect("blocked");
    assert!(b.blocked);
    assert_eq!(b.pending as usize, pending_web.len());
    assert!(b.wants > b.has);
    assert_eq!(b.causes[0].cause, PendingCause::NodePoolLimit);
    assert_eq!(b.causes[0].node_pool.as_deref(), Some("capped"));
    assert!(b.causes[0].message.contains("exceed limits"));
    let capped = chain.node_pools.iter().find(|p| p.name == "capped").expect("capped in chain");
    assert_eq!(capped.limit_blocked_pods as usize, pending_web.len());
    assert!(capped.at_limit.is_empty(), "not full by Karpenter's accounting, yet no next node fits");
    let nc = capped.node_class.as_ref().expect("class");
    assert_eq!((nc.kind.as_str(), nc.found, nc.ready), ("KWOKNodeClass", true, Some(true)));
    assert!(chain.nodes.iter().all(|n| n.node_pool.as_deref() == Some("capped") && n.node_claim.is_some()));
    assert_eq!(v.overview.scale_outs.iter().filter(|b| b.blocked).count(), 1);
    let pool = v.overview.node_pools.iter().find(|p| p.name == "capped").expect("pool");
    assert_eq!(pool.limit_blocked_pods as usize, pending_web.len());
}

#[test]
fn pending_reasons_come_only_from_each_pods_own_events() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    let raw_events = raw("blocked", "events");
    let mut web_seen = 0;
    for p in &v.pending_pods {
        let own: Vec<&Value> = raw_events["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|e| e["involvedObject"]["uid"].as_str() == p.metadata.uid.as_deref())
            .filter(|e| matches!(e["reason"].as_str(), Some("FailedScheduling" | "Nominated")))
            .collect();
        assert_eq!(p.reasons.len(), own.len(), "{}", p.metadata.name);
        let bound = s.pods.iter().any(|x| x.metadata.uid == p.metadata.uid && x.spec.node_name.is_some());
        if bound {
            assert_eq!(p.cause, PendingCause::Starting, "{}: bound, containers starting", p.metadata.name);
            continue;
        }
        if p.metadata.ns() != "team-b" || !p.metadata.name.starts_with("web-") {
            continue;
        }
        assert_eq!(
            p.cause,
            PendingCause::NodePoolLimit,
            "{}: Karpenter's reason beats the scheduler's",
            p.metadata.name
        );
        let sched = p.reasons.iter().find(|r| r.source == "default-scheduler").expect("scheduler reason");
        assert!(
            sched.node_reasons.iter().any(|n| n.reason == "Insufficient cpu" && n.nodes > 0),
            "{sched:?}"
        );
        assert_eq!(p.scaler.as_ref().map(|s| s.name.as_str()), Some("web"));
        assert_eq!(
            p.workload.as_ref().map(|w| (w.kind.as_str(), w.name.as_str())),
            Some(("Deployment", "web"))
        );
        web_seen += 1;
    }
    assert!(web_seen > 0, "the blocked moment has team-b/web pods pending on the NodePool limit");
}

#[test]
fn nodes_nodeclaims_and_nodepools() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    assert_eq!(v.nodes.len(), s.nodes.len());
    for n in &v.nodes {
        assert!(n.node_claim.is_some() && n.node_pool.is_some(), "{}", n.metadata.name);
        assert!(n.price.is_some(), "kwok nodes carry eks-node-viewer's price label");
        let cpu = n.resources.iter().find(|r| r.name == "cpu").expect("cpu");
        let node = s.nodes.iter().find(|x| x.metadata.name == n.metadata.name).expect("node");
        assert_eq!(cpu.bound, node.status.allocatable.get("cpu").copied());
        assert!(cpu.ratio.expect("ratio") <= 1.0);
    }
    for c in &v.node_claims {
        assert_eq!(c.phase, NodeClaimPhase::Ready);
        assert!(c.node_found);
        assert!(c.steps.iter().skip(1).all(|s| s.at.is_some()), "{}: every step has a time", c.metadata.name);
    }
    let capped = v.node_pools.iter().find(|p| p.metadata.name == "capped").expect("capped");
    let cpu = capped.resources.iter().find(|r| r.name == "cpu").expect("cpu");
    assert_eq!(cpu.bound.map(|q| q.to_string()), Some("4".to_owned()));
    assert_eq!(
        capped.node_count as usize,
        s.nodes.iter().filter(|n| n.metadata.label("karpenter.sh/nodepool") == Some("capped")).count()
    );
    let total: f64 = v.nodes.iter().filter_map(|n| n.price.map(|p| p.per_hour)).sum();
    assert!((v.overview.cost_per_hour.expect("cost") - total).abs() < 1e-9);
}

#[test]
fn cold_start_timelines_follow_activations() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    let activations = s.events.iter().filter(|e| e.reason() == "KEDAScaleTargetActivated").count();
    assert!(v.timelines.len() >= activations);
    let complete: Vec<_> = v.timelines.iter().filter(|t| t.complete).collect();
    assert!(!complete.is_empty());
    for t in complete {
        let names: Vec<&str> = t.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"Activated"));
        assert_eq!(names.last(), Some(&"PodReady"));
        let pod = t.pod.as_deref().expect("pod");
        let created = s
            .pods
            .iter()
            .find(|p| p.metadata.name == pod)
            .and_then(|p| p.metadata.creation_timestamp)
            .expect("pod");
        assert!(created.0 >= t.activated_at.0 - 5_000, "{}: pod created after activation", t.metadata.name);
        assert!(t.total_seconds.expect("total") >= 0.0);
    }
}

#[test]
fn recent_scaling_is_newest_first_and_unique() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    let r = &v.overview.recent;
    assert!(!r.is_empty());
    assert!(r.windows(2).all(|w| w[0].last_time >= w[1].last_time));
    let mut uids: Vec<&str> = r.iter().map(|e| e.uid.as_str()).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), r.len());
    assert!(r.iter().all(|e| model::journal::SCALING_REASONS.contains(&e.reason.as_str())));
}

#[test]
fn alice_sees_team_a_only() {
    let (s, now) = load("blocked");
    let mut alice = Access::default();
    for k in [kinds::SCALEDOBJECTS, kinds::PODS, kinds::EVENTS, kinds::HPAS, kinds::DEPLOYMENTS] {
        alice.grant("team-a", k);
    }
    let v = views_for(&s.view(), &alice, now);
    assert!(v.scalers.iter().all(|s| s.metadata.ns() == "team-a"));
    assert!(!v.scalers.is_empty());
    assert!(v.nodes.is_empty() && v.node_pools.is_empty() && v.node_claims.is_empty());
    assert!(v.pending_pods.iter().all(|p| p.metadata.ns() == "team-a"), "team-b's pending pods are hidden");
    assert_eq!(v.overview.scalers.total as usize, v.scalers.len());
    assert!(v.overview.scale_outs.iter().all(|b| b.scaler.namespace == "team-a"));
    assert!(v.chains.iter().all(|c| c.nodes.is_empty() && c.redacted.contains(&"nodes".to_owned())));
    // Nothing of another namespace anywhere in her answer: not a name, not a message.
    let text = serde_json::to_string(&v).expect("json");
    for other in ["team-b", "team-c"] {
        assert!(!text.contains(other), "{other} leaks into alice's views");
    }
}

#[test]
fn every_view_serves_as_list_and_table() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    fn rows<V: ApiView>(items: &[V], now: Time) -> usize {
        let t = api::table(items, now, "1");
        for row in t["rows"].as_array().expect("rows") {
            assert_eq!(row["cells"].as_array().map(Vec::len), Some(V::DEF.columns.len()));
            assert!(row["object"]["metadata"]["name"].as_str().is_some_and(|n| !n.is_empty()));
        }
        t["rows"].as_array().map(Vec::len).unwrap_or(0)
    }
    assert_eq!(rows(std::slice::from_ref(&v.overview), now), 1);
    assert_eq!(rows(&v.scalers, now), v.scalers.len());
    assert_eq!(rows(&v.node_pools, now), 2);
    assert_eq!(rows(&v.node_claims, now), s.node_claims.len());
    assert_eq!(rows(&v.nodes, now), s.nodes.len());
    assert_eq!(rows(&v.chains, now), s.scaled_objects.len());
    assert_eq!(rows(&v.pending_pods, now), v.pending_pods.len());
    assert_eq!(rows(&v.timelines, now), v.timelines.len());
    let text = serde_json::to_string(&v).expect("ser");
    let back: Views = serde_json::from_str(&text).expect("de");
    if back != v {
        let again = serde_json::to_string(&back).expect("ser");
        let at = text.bytes().zip(again.bytes()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "round trip differs at {at}: {:?} vs {:?}",
            &text[at.saturating_sub(200)..(at + 100).min(text.len())],
            &again[at.saturating_sub(200)..(at + 100).min(again.len())]
        );
    }
}

#[test]
fn node_classes_and_what_uses_them() {
    let (mut s, _now) = load("blocked");
    let snap = s.view();
    let ix = model::Index::new(&snap);
    let classes = model::nodeclass::node_class_views(&ix);
    assert_eq!(classes.len(), 1);
    let c = &classes[0];
    assert_eq!(
        (c.group.as_str(), c.kind.as_str(), c.version.as_str(), c.name.as_str()),
        ("karpenter.kwok.sh", "KWOKNodeClass", "v1alpha1", "default")
    );
    assert_eq!(c.node_pools, ["capped", "general"]);
    assert_eq!(c.node_claims as usize, s.node_claims.len());
    assert_eq!(c.nodes as usize, s.nodes.len());
    assert!(model::nodeclass::missing_node_classes(&ix).is_empty());
    drop(ix);
    // A NodePool pointing at a class that does not exist is reported, not silently linked.
    s.node_pools[0].spec.template.spec.node_class_ref.as_mut().expect("ref").name = "gone".into();
    let snap = s.view();
    let ix = model::Index::new(&snap);
    let missing = model::nodeclass::missing_node_classes(&ix);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].reference.name, "gone");
    assert!(!missing[0].reference.found);
}

#[test]
fn scaled_job_lists_its_jobs_with_real_completions() {
    let (s, now) = load("blocked");
    let v = Views::build(&s.view(), now);
    let sj = scaler(&v, "team-c", "thumbnails.scaledjob");
    let raw_jobs = raw("blocked", "jobs");
    let items = raw_jobs["items"].as_array().expect("items");
    assert_eq!(sj.jobs.len(), items.len());
    for j in &sj.jobs {
        let r = items.iter().find(|i| i["metadata"]["name"] == j.name.as_str()).expect("job");
        assert_eq!(j.completions.map(i64::from), r["spec"]["completions"].as_i64());
        assert_eq!(i64::from(j.succeeded), r["status"]["succeeded"].as_i64().unwrap_or(0));
        let complete = r["status"]["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["type"] == "Complete" && c["status"] == "True"));
        assert_eq!(j.state == "Succeeded", complete, "{}", j.name);
    }
    assert!(sj.jobs.windows(2).all(|w| w[0].started >= w[1].started));
}

#[test]
fn trigger_authentications_know_their_users() {
    let (s, _now) = load("blocked");
    let snap = s.view();
    let ta = &s.trigger_authentications[0];
    let users = model::keda::auth_users(
        &snap.scaled_objects,
        &snap.scaled_jobs,
        "TriggerAuthentication",
        ta.metadata.ns(),
        &ta.metadata.name,
        &ta.status,
    );
    let expected: Vec<&str> = s
        .scaled_objects
        .iter()
        .filter(|so| so.metadata.ns() == ta.metadata.ns())
        .filter(|so| {
            so.spec
                .triggers
                .iter()
                .any(|t| t.authentication_ref.as_ref().is_some_and(|a| a.name == ta.metadata.name))
        })
        .map(|so| so.metadata.name.as_str())
        .collect();
    assert!(!expected.is_empty());
    let mut got: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
    got.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(got, want);
    let cta = &s.cluster_trigger_authentications[0];
    let users = model::keda::auth_users(
        &snap.scaled_objects,
        &snap.scaled_jobs,
        "ClusterTriggerAuthentication",
        "",
        &cta.metadata.name,
        &cta.status,
    );
    assert!(
        users.iter().any(|u| u.kind == "ScaledJob" && u.name == "thumbnails" && u.namespace == "team-c"),
        "{users:?}"
    );
    assert!(users.iter().all(|u| u.kind != "ScaledObject" || !u.namespace.is_empty()));
}

/// Anyone who may create Events in one namespace must not be able to plant pending causes,
/// activations or journal rows on another namespace's objects. The attack, built from real captured
/// events: a copy of a FailedScheduling event about a team-b pod and of a KEDA activation of a team-b
/// ScaledObject, each created in team-a (the attacker's namespace) with its own uid and message.
#[test]
fn events_planted_from_another_namespace_join_nothing() {
    let (mut s, now) = load("blocked");
    let before = Views::build(&s.view(), now);
    let events = raw("blocked", "events");
    let pick = |reason: &str, kind: &str| -> Value {
        events["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|e| {
                e["reason"] == reason
                    && e["involvedObject"]["kind"] == kind
                    && e["metadata"]["namespace"] == "team-b"
            })
            .unwrap_or_else(|| panic!("a captured {reason} event about a team-b {kind}"))
            .clone()
    };
    let mut planted = Vec::new();
    for (i, mut e) in [pick("FailedScheduling", "Pod"), pick("KEDAScaleTargetActivated", "ScaledObject")]
        .into_iter()
        .enumerate()
    {
        e["metadata"]["namespace"] = "team-a".into();
        e["metadata"]["name"] = format!("planted-{i}").into();
        e["metadata"]["uid"] = format!("planted-uid-{i}").into();
        e["message"] = "PLANTED by team-a".into();
        planted.push(e);
    }
    let body = serde_json::json!({"kind": "EventList", "apiVersion": "v1", "items": planted}).to_string();
    assert!(s.add_list("events", &body).expect("list").is_empty());
    let after = Views::build(&s.view(), now);
    let text = serde_json::to_string(&after).expect("views serialize");
    assert!(!text.contains("PLANTED"), "a planted event reached a view");
    assert_eq!(
        serde_json::to_value(&before.pending_pods).expect("json"),
        serde_json::to_value(&after.pending_pods).expect("json")
    );
    assert_eq!(
        serde_json::to_value(&before.timelines).expect("json"),
        serde_json::to_value(&after.timelines).expect("json")
    );
    for e in s.events.iter().filter(|e| e.metadata.name.starts_with("planted-")) {
        assert!(model::journal::from_event(e).is_none(), "no journal row for {}", e.metadata.name);
    }
    // The genuine events still join: their namespace vouches for their subject.
    assert!(before.pending_pods.iter().any(|p| !p.reasons.is_empty()));
}
