//! Integration tests of the local cluster itself: users' rights, KEDA, Karpenter, the External Metrics API.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kube::core::{ApiResource, DynamicObject, GroupVersionKind};
use std::time::Duration;
use testenv::{TestEnv, User, poll_until};

fn nodeclaims(client: kube::Client) -> Api<DynamicObject> {
    let ar = ApiResource::from_gvk(&GroupVersionKind::gvk("karpenter.sh", "v1", "NodeClaim"));
    Api::all_with(client, &ar)
}

fn status_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

#[tokio::test]
async fn alice_sees_team_a_only_and_bob_reads_without_karpenter() {
    let env = TestEnv::get().expect("local cluster");
    let alice = env.client(User::Alice).await.expect("alice client");
    let bob = env.client(User::Bob).await.expect("bob client");

    Api::<Pod>::namespaced(alice.clone(), "team-a")
        .list(&ListParams::default())
        .await
        .expect("alice lists pods in team-a");
    let denied = Api::<Pod>::namespaced(alice.clone(), "team-b").list(&ListParams::default()).await;
    assert_eq!(denied.as_ref().err().and_then(status_code), Some(403), "alice in team-b: {denied:?}");
    let denied = Api::<Node>::all(alice).list(&ListParams::default()).await;
    assert_eq!(denied.as_ref().err().and_then(status_code), Some(403), "alice lists nodes: {denied:?}");

    Api::<Pod>::all(bob.clone()).list(&ListParams::default()).await.expect("bob lists pods cluster-wide");
    Api::<Node>::all(bob.clone()).list(&ListParams::default()).await.expect("bob lists nodes");
    let denied = nodeclaims(bob.clone()).list(&ListParams::default()).await;
    assert_eq!(denied.as_ref().err().and_then(status_code), Some(403), "bob lists NodeClaims: {denied:?}");
    let denied = Api::<Deployment>::namespaced(bob, "team-a")
        .patch_scale(
            "orders",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(serde_json::json!({"spec": {"replicas": 3}})),
        )
        .await;
    assert_eq!(denied.as_ref().err().and_then(status_code), Some(403), "bob scales a Deployment: {denied:?}");
}

#[tokio::test]
async fn external_metrics_api_answers_for_a_scaled_object() {
    let env = TestEnv::get().expect("local cluster");
    let admin = env.client(User::Admin).await.expect("admin client");
    let so_api = ApiResource::from_gvk(&GroupVersionKind::gvk("keda.sh", "v1alpha1", "ScaledObject"));
    let sos: Api<DynamicObject> = Api::namespaced_with(admin.clone(), "team-a", &so_api);
    // KEDA writes the metric names into the status once it has set up the scaler.
    let metric = poll_until(
        "ScaledObject team-a/orders to list its external metric",
        Duration::from_secs(120),
        Duration::from_secs(2),
        || {
            let sos = sos.clone();
            async move {
                let so = sos.get("orders").await.map_err(|e| e.to_string())?;
                Ok(so.data["status"]["externalMetricNames"][0].as_str().map(str::to_string))
            }
        },
    )
    .await
    .expect("metric name");
    let path = format!(
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/team-a/{metric}?labelSelector=scaledobject.keda.sh%2Fname%3Dorders"
    );
    let answer: serde_json::Value = poll_until(
        "the External Metrics API to answer",
        Duration::from_secs(60),
        Duration::from_secs(2),
        || {
            let admin = admin.clone();
            let req = http::Request::get(&path).body(Vec::new()).expect("request");
            async move { admin.request::<serde_json::Value>(req).await.map(Some).map_err(|e| e.to_string()) }
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e} (adapter log: {})", env.log_file("keda-adapter").display()));
    assert_eq!(answer["kind"], "ExternalMetricValueList", "{answer}");
    assert_eq!(answer["items"][0]["metricName"], metric.as_str(), "{answer}");
}

#[tokio::test]
async fn keda_scales_the_inbox_worker_from_zero_when_its_queue_fills() {
    let env = TestEnv::get().expect("local cluster");
    let admin = env.client(User::Admin).await.expect("admin client");
    let deployments: Api<Deployment> = Api::namespaced(admin, "team-a");
    let redis = |args: &[&str]| {
        let (host, port) = env.info.redis.addr.rsplit_once(':').expect("redis addr host:port");
        let out = std::process::Command::new("redis-cli")
            .args(["-h", host, "-p", port, "--no-auth-warning", "-a", &env.info.redis.password])
            .args(args)
            .output()
            .expect("redis-cli runs");
        // redis-cli exits 0 on a server error and prints it: check the reply too.
        let reply = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && !reply.contains("ERR") && !reply.contains("NOAUTH"),
            "redis-cli {args:?}: {reply}"
        );
    };
    redis(&["DEL", "inbox"]);
    poll_until(
        "team-a/inbox at 0 replicas before the test",
        Duration::from_secs(180),
        Duration::from_secs(2),
        || {
            let deployments = deployments.clone();
            async move {
                let d = deployments.get("inbox").await.map_err(|e| e.to_string())?;
                let replicas = d.spec.and_then(|s| s.replicas).unwrap_or(0);
                if replicas == 0 { Ok(Some(())) } else { Err(format!("replicas {replicas}")) }
            }
        },
    )
    .await
    .expect("inbox idle");

    let items: Vec<String> = (0..12).map(|i| format!("mail-{i}")).collect();
    let mut args = vec!["RPUSH", "inbox"];
    args.extend(items.iter().map(String::as_str));
    redis(&args);
    let ready = poll_until(
        "KEDA to scale team-a/inbox from 0 and a pod to be Ready",
        Duration::from_secs(180),
        Duration::from_secs(2),
        || {
            let deployments = deployments.clone();
            async move {
                let d = deployments.get("inbox").await.map_err(|e| e.to_string())?;
                let status = d.status.unwrap_or_default();
                let ready = status.ready_replicas.unwrap_or(0);
                if ready >= 1 {
                    Ok(Some(ready))
                } else {
                    Err(format!("replicas {:?}, ready {ready}", status.replicas))
                }
            }
        },
    )
    .await;
    redis(&["DEL", "inbox"]);
    let ready =
        ready.unwrap_or_else(|e| panic!("{e} (keda log: {})", env.log_file("keda-operator").display()));
    assert!(ready >= 1);
}

#[tokio::test]
async fn karpenter_launches_a_nodeclaim_for_pending_pods() {
    let env = TestEnv::get().expect("local cluster");
    let admin = env.client(User::Admin).await.expect("admin client");
    let deployments: Api<Deployment> = Api::namespaced(admin.clone(), "team-c");
    let pods: Api<Pod> = Api::namespaced(admin.clone(), "team-c");
    let name = "testenv-burst";
    let _ = deployments.delete(name, &DeleteParams::default()).await;
    // 7 CPUs each: only an 8-CPU node holds one, so at least one of them needs a node Karpenter launches
    // for it (an empty 8-CPU node may be left over from the demo's last burst, two are not).
    let deployment: Deployment = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "nodeSelector": {"demo.autoscaling.dev/pool": "general"},
                    "containers": [{"name": "burst", "image": "demo.invalid/burst:1", "resources": {"requests": {"cpu": "7", "memory": "1Gi"}}}]
                }
            }
        }
    }))
    .expect("deployment JSON");
    poll_until("the previous testenv-burst to be gone", Duration::from_secs(60), Duration::from_secs(1), || {
        let deployments = deployments.clone();
        async move { Ok(deployments.get_opt(name).await.map_err(|e| e.to_string())?.is_none().then_some(())) }
    })
    .await
    .expect("clean start");
    let claims = nodeclaims(admin.clone());
    let before: Vec<String> = claims
        .list(&ListParams::default())
        .await
        .expect("list NodeClaims")
        .items
        .into_iter()
        .filter_map(|c| c.metadata.name)
        .collect();
    deployments.create(&PostParams::default(), &deployment).await.expect("create deployment");

    let result = poll_until(
        "pods of testenv-burst Running on nodes launched by Karpenter",
        Duration::from_secs(240),
        Duration::from_secs(2),
        || {
            let (pods, claims, before) = (pods.clone(), claims.clone(), before.clone());
            async move {
                let list = pods
                    .list(&ListParams::default().labels(&format!("app={name}")))
                    .await
                    .map_err(|e| e.to_string())?;
                let nodes: Vec<String> = list
                    .items
                    .iter()
                    .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
                    .filter_map(|p| p.spec.as_ref().and_then(|s| s.node_name.clone()))
                    .collect();
                if nodes.len() < 2 {
                    return Err(format!("{} of {} pods running", nodes.len(), list.items.len()));
                }
                let claims = claims.list(&ListParams::default()).await.map_err(|e| e.to_string())?;
                let launched: Vec<&str> =
                    claims.items.iter().filter_map(|c| c.data["status"]["nodeName"].as_str()).collect();
                let new_nodes: Vec<&str> = claims
                    .items
                    .iter()
                    .filter(|c| c.metadata.name.as_ref().is_some_and(|n| !before.contains(n)))
                    .filter_map(|c| c.data["status"]["nodeName"].as_str())
                    .collect();
                let on_launched = nodes.iter().all(|n| launched.contains(&n.as_str()));
                if on_launched && nodes.iter().any(|n| new_nodes.contains(&n.as_str())) {
                    Ok(Some(nodes))
                } else {
                    Err(format!(
                        "pods on {nodes:?}, NodeClaims' nodes {launched:?}, of new NodeClaims {new_nodes:?}"
                    ))
                }
            }
        },
    )
    .await;
    let _ = deployments.delete(name, &DeleteParams::default()).await;
    let nodes =
        result.unwrap_or_else(|e| panic!("{e} (karpenter log: {})", env.log_file("karpenter").display()));
    assert_eq!(nodes.len(), 2);
}
