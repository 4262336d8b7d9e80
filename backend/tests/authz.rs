//! The authorization matrix on the real cluster: six users with different rights × every served
//! resource × every scope (all namespaces, and each demo namespace). Whatever a user receives must be
//! made only of objects RBAC lets them list. Two oracles, both from kube-apiserver:
//! - each user's rights, asked as that user (SelfSubjectAccessReview);
//! - the uids (and, where nothing else could reveal them, names) of every object the user may not
//!   list, read as admin: none of them may appear anywhere in the user's answers.
//!
//! Plus the rows themselves: a row of a namespace where the user may not list its kind, a chain's
//! nodes without the right to list nodes, a cluster-scoped resource answered without the right.
//!
//! Users: admin; alice (edit in team-a); bob (read-only, no Karpenter); and three ServiceAccounts this
//! test makes: carol (pods and events in team-b, no ScaledObjects), dave (ScaledObjects, HPAs and
//! workloads in team-b, no pods or events) and eve (nothing at all).

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use testenv::{TestEnv, User, poll_until};

const BASE: &str = "/apis/insights.autoscaling.dev/v1alpha1";
const DEMO: &[&str] = &["team-a", "team-b", "team-c"];
const HOME: &str = "authz-matrix";
const DEADLINE: Duration = Duration::from_secs(180);
const EVERY: Duration = Duration::from_secs(2);

/// (API group, resource) of every kind a view reads.
const NAMESPACED: &[(&str, &str)] = &[
    ("keda.sh", "scaledobjects"),
    ("keda.sh", "scaledjobs"),
    ("autoscaling", "horizontalpodautoscalers"),
    ("", "pods"),
    ("", "events"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("batch", "jobs"),
];
const CLUSTER: &[(&str, &str)] =
    &[("", "nodes"), ("karpenter.sh", "nodepools"), ("karpenter.sh", "nodeclaims")];

async fn admin() -> kube::Client {
    TestEnv::get().expect("cluster").client(User::Admin).await.expect("admin")
}

async fn apply(client: &kube::Client, v: Value) {
    use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams};
    let gvk = kube::api::GroupVersionKind::try_from(&kube::api::TypeMeta {
        api_version: v["apiVersion"].as_str().expect("apiVersion").to_owned(),
        kind: v["kind"].as_str().expect("kind").to_owned(),
    })
    .expect("gvk");
    let plural = match gvk.kind.as_str() {
        "Namespace" => "namespaces",
        "ServiceAccount" => "serviceaccounts",
        "Role" => "roles",
        "RoleBinding" => "rolebindings",
        k => panic!("no plural for {k}"),
    };
    let ar = ApiResource::from_gvk_with_plural(&gvk, plural);
    let name = v["metadata"]["name"].as_str().expect("name").to_owned();
    let api: Api<DynamicObject> = match v["metadata"]["namespace"].as_str() {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
        None => Api::all_with(client.clone(), &ar),
    };
    let pp = PatchParams::apply("autoscaling-insights-authz-test").force();
    api.patch(&name, &pp, &Patch::Apply(&v)).await.unwrap_or_else(|e| panic!("apply {name}: {e}"));
}

/// A ServiceAccount in [`HOME`] bound to `rules` in team-b (none: no binding at all), and its token.
async fn service_account(admin: &kube::Client, name: &str, rules: Value) -> String {
    apply(
        admin,
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": HOME}}),
    )
    .await;
    if rules.as_array().is_some_and(|r| !r.is_empty()) {
        let role = format!("authz-matrix-{name}");
        apply(
            admin,
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                   "metadata": {"name": role, "namespace": "team-b"}, "rules": rules}),
        )
        .await;
        apply(
            admin,
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                   "metadata": {"name": role, "namespace": "team-b"},
                   "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role},
                   "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": HOME}]}),
        )
        .await;
    }
    let api: kube::Api<k8s_openapi::api::core::v1::ServiceAccount> =
        kube::Api::namespaced(admin.clone(), HOME);
    let request = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                         "spec": {"expirationSeconds": 3600}});
    let answer: Value =
        api.create_subresource("token", name, &Default::default(), &request).await.expect("token request");
    answer["status"]["token"].as_str().expect("token").to_owned()
}

struct Principal {
    name: &'static str,
    client: kube::Client,
}

async fn principals() -> Vec<Principal> {
    let env = TestEnv::get().expect("cluster");
    let admin = admin().await;
    apply(&admin, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": HOME}})).await;
    let read = json!(["get", "list", "watch"]);
    let carol = service_account(
        &admin,
        "carol",
        json!([{"apiGroups": [""], "resources": ["pods", "events"], "verbs": read}]),
    )
    .await;
    let dave = service_account(
        &admin,
        "dave",
        json!([
            {"apiGroups": ["keda.sh"], "resources": ["scaledobjects", "scaledjobs"], "verbs": read},
            {"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": read},
            {"apiGroups": ["apps"], "resources": ["deployments", "statefulsets"], "verbs": read},
            {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": read},
        ]),
    )
    .await;
    let eve = service_account(&admin, "eve", json!([])).await;
    let token = |t: String| async move { env.client_with_token(&t).await.expect("token client") };
    vec![
        Principal { name: "admin", client: admin },
        Principal { name: "alice", client: env.client(User::Alice).await.expect("alice") },
        Principal { name: "bob", client: env.client(User::Bob).await.expect("bob") },
        Principal { name: "carol", client: token(carol).await },
        Principal { name: "dave", client: token(dave).await },
        Principal { name: "eve", client: token(eve).await },
    ]
}

/// What a user may list, asked of kube-apiserver as that user (SelfSubjectAccessReview): every kind
/// cluster-wide and in each demo namespace and `default`.
struct Rights(BTreeMap<(String, String, String), bool>);

impl Rights {
    async fn of(client: &kube::Client) -> Rights {
        let mut out = BTreeMap::new();
        for &(g, r) in NAMESPACED.iter().chain(CLUSTER) {
            let scopes: Vec<&str> = if NAMESPACED.contains(&(g, r)) {
                [""].into_iter().chain(DEMO.iter().copied()).chain(["default"]).collect()
            } else {
                vec![""]
            };
            for ns in scopes {
                let review = json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                    "spec": {"resourceAttributes": {"group": g, "resource": r, "verb": "list", "namespace": ns}}});
                let req = http::Request::post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                    .header("content-type", "application/json")
                    .body(serde_json::to_vec(&review).expect("json"))
                    .expect("request");
                let answer: Value =
                    serde_json::from_str(&client.request_text(req).await.expect("SSAR")).expect("json");
                out.insert((g.to_owned(), r.to_owned(), ns.to_owned()), answer["status"]["allowed"] == true);
            }
        }
        Rights(out)
    }

    /// May list `resource` (of `group`) in `ns` (`""`: cluster-wide, which covers every namespace).
    fn can(&self, group: &str, resource: &str, ns: &str) -> bool {
        let get = |n: &str| {
            self.0.get(&(group.to_owned(), resource.to_owned(), n.to_owned())).copied().unwrap_or(false)
        };
        get(ns) || get("")
    }
}

/// Tokens of objects a user may not list (uids, and names where nothing they may list names them).
fn forbidden(rights: &Rights, raw: &BTreeMap<&'static str, Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let items = |k: &str| raw[k]["items"].as_array().cloned().unwrap_or_default();
    for &(g, r) in NAMESPACED {
        for o in items(r) {
            let ns = o["metadata"]["namespace"].as_str().unwrap_or("");
            // Events about an object name it legitimately; an HPA names the ScaledObject that owns it.
            let revealed = rights.can(g, r, ns)
                || rights.can("", "events", ns)
                || (r == "scaledobjects" && rights.can("autoscaling", "horizontalpodautoscalers", ns));
            if !revealed {
                let uid = o["metadata"]["uid"].as_str().unwrap_or_default().to_owned();
                out.insert(uid, format!("{r} {ns}/{}", o["metadata"]["name"].as_str().unwrap_or("")));
                if r == "pods" {
                    // Generated names (web-5d8f7c9b4-abcde) appear only with the pod or its events.
                    let name = o["metadata"]["name"].as_str().unwrap_or_default().to_owned();
                    out.insert(name.clone(), format!("pod name {ns}/{name}"));
                }
            }
        }
    }
    let sees_pods_anywhere = DEMO.iter().any(|ns| rights.can("", "pods", ns) || rights.can("", "events", ns));
    for &(g, r) in CLUSTER {
        for o in items(r) {
            // Cluster-scoped objects' events live in default.
            if !rights.can(g, r, "") && !rights.can("", "events", "default") {
                let uid = o["metadata"]["uid"].as_str().unwrap_or_default().to_owned();
                let name = o["metadata"]["name"].as_str().unwrap_or_default().to_owned();
                out.insert(uid, format!("{r} {name}"));
                // Node and NodeClaim names are in pods' spec and Karpenter's pod events too.
                if r != "nodepools" && !sees_pods_anywhere {
                    out.insert(name.clone(), format!("{r} name {name}"));
                }
            }
        }
    }
    out.retain(|k, _| k.len() >= 8);
    out
}

async fn admin_raw(admin: &kube::Client) -> BTreeMap<&'static str, Value> {
    let mut raw = BTreeMap::new();
    for &(g, r) in NAMESPACED.iter().chain(CLUSTER) {
        let version = match g {
            "" | "apps" | "batch" => "v1",
            "autoscaling" => "v2",
            "keda.sh" => "v1alpha1",
            _ => "v1",
        };
        let path =
            if g.is_empty() { format!("/api/{version}/{r}") } else { format!("/apis/{g}/{version}/{r}") };
        let req = http::Request::get(path).body(Vec::new()).expect("request");
        raw.insert(
            r,
            serde_json::from_str(&admin.request_text(req).await.expect("admin list")).expect("json"),
        );
    }
    raw
}

/// GET as a user: `Ok(body)`, or `Err(code)` when the server refused. A 429 (the user's review
/// budget) is retried after the seconds it names.
async fn get(client: &kube::Client, path: &str) -> Result<Value, u16> {
    let attempt = || async {
        let req = http::Request::get(path.to_owned()).body(Vec::new()).expect("request");
        match client.request_text(req).await {
            Ok(text) => Ok(Some(Ok(serde_json::from_str::<Value>(&text).expect("json")))),
            Err(kube::Error::Api(s)) if s.code == 429 => Err(format!("429: {}", s.message)),
            Err(kube::Error::Api(s)) => Ok(Some(Err(s.code))),
            Err(e) => Err(e.to_string()),
        }
    };
    poll_until(&format!("GET {path}"), DEADLINE, EVERY, attempt).await.expect("an answer")
}

/// The gate kind of a row: what the user must be able to list in the row's namespace to see it.
fn gate(resource: &str, item: &Value) -> Option<(&'static str, &'static str)> {
    match resource {
        "scalers" if item["source"]["kind"] == "ScaledJob" => Some(("keda.sh", "scaledjobs")),
        "scalers" | "chains" | "timelines" => Some(("keda.sh", "scaledobjects")),
        "pendingpods" => Some(("", "pods")),
        "journal" => Some(("", "events")),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_user_receives_what_rbac_forbids() {
    // The server answers once its caches are in (the registered APIService is Available).
    let admin_client = admin().await;
    poll_until("the aggregated API to answer", DEADLINE, EVERY, || async {
        let req = http::Request::get(format!("{BASE}/scalers")).body(Vec::new()).expect("request");
        admin_client.request_text(req).await.map(|_| Some(())).map_err(|e| e.to_string())
    })
    .await
    .expect("served");
    let users = principals().await;
    let raw = admin_raw(&admin_client).await;
    let mut leaks = Vec::new();
    let (mut requests, mut rows) = (0, 0);
    for p in &users {
        let rights = Rights::of(&p.client).await;
        let tokens = forbidden(&rights, &raw);
        for def in model::api::RESOURCES {
            let mut paths = vec![(None, format!("{BASE}/{}", def.plural))];
            if def.namespaced {
                paths.extend(
                    DEMO.iter().map(|ns| (Some(*ns), format!("{BASE}/namespaces/{ns}/{}", def.plural))),
                );
            }
            for (scope, path) in paths {
                requests += 1;
                let answer = get(&p.client, &path).await;
                let body = match answer {
                    Ok(b) => b,
                    Err(403) => continue,
                    Err(code) => {
                        leaks.push(format!("{}: GET {path} answered {code}", p.name));
                        continue;
                    }
                };
                let text = body.to_string();
                for (token, what) in &tokens {
                    if text.contains(token.as_str()) {
                        leaks.push(format!("{}: GET {path} carries {what}", p.name));
                    }
                }
                if !def.namespaced
                    && def.plural != "overviews"
                    && !rights.can(def.primary.group, def.primary.resource, "")
                {
                    leaks.push(format!(
                        "{}: GET {path} answered without the right to list {}",
                        p.name, def.primary.resource
                    ));
                }
                for item in body["items"].as_array().into_iter().flatten() {
                    rows += 1;
                    let ns = item["metadata"]["namespace"].as_str().unwrap_or("");
                    if let (Some(asked), false) = (scope, ns.is_empty())
                        && asked != ns
                    {
                        leaks.push(format!("{}: GET {path} returned a row of {ns}", p.name));
                    }
                    if let Some((g, r)) = gate(def.plural, item)
                        && !ns.is_empty()
                        && !rights.can(g, r, ns)
                    {
                        leaks.push(format!(
                            "{}: {} row {ns}/{} without the right to list {r} there",
                            p.name, def.plural, item["metadata"]["name"]
                        ));
                    }
                    if def.plural == "chains" {
                        for (field, r, g) in [
                            ("nodes", "nodes", ""),
                            ("nodeClaims", "nodeclaims", "karpenter.sh"),
                            ("nodePools", "nodepools", "karpenter.sh"),
                        ] {
                            if item[field].as_array().is_some_and(|a| !a.is_empty()) && !rights.can(g, r, "")
                            {
                                leaks.push(format!(
                                    "{}: chain {ns}/{} shows {field}",
                                    p.name, item["metadata"]["name"]
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    println!(
        "authz matrix: {} users x {} resources: {requests} requests, {rows} rows, {} leaks",
        users.len(),
        model::api::RESOURCES.len(),
        leaks.len()
    );
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
    assert!(rows > 0, "the matrix saw rows");
}
