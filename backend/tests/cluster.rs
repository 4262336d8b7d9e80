//! The server against the real local cluster (`cargo xtask cluster up --scenario demo`, which starts
//! and registers it, see xtask/src/cluster/insights.rs). Requests go through kube-apiserver's
//! aggregator as each user, or straight to the server's TLS port to check authentication.

use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, pem::PemObject};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use testenv::{TestEnv, User, poll_until};

const BASE: &str = "/apis/insights.autoscaling.dev/v1alpha1";
const DEADLINE: Duration = Duration::from_secs(180);
const EVERY: Duration = Duration::from_secs(2);

/// `cluster.json` as a whole (testenv keeps a subset; these tests also need the PKI paths).
fn cluster_json() -> Value {
    let env = TestEnv::get().expect("local cluster");
    let path = env.info.kubeconfig.parent().expect("state dir").join("cluster.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("cluster.json"))
        .expect("cluster.json is JSON")
}

fn path_of(v: &Value, pointer: &str) -> PathBuf {
    PathBuf::from(
        v.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("cluster.json has no {pointer}")),
    )
}

/// GET through the apiserver as `user`; the body as JSON.
async fn get(user: User, path: &str) -> Result<Value, String> {
    let env = TestEnv::get().map_err(|e| e.to_string())?;
    let client = env.client(user).await.map_err(|e| e.to_string())?;
    let req = http::Request::get(path).body(Vec::new()).map_err(|e| e.to_string())?;
    let text = client.request_text(req).await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
}

/// Waits until the aggregated API answers through the apiserver (the server may still be syncing).
async fn served() {
    poll_until("the aggregated API to answer through kube-apiserver", DEADLINE, EVERY, || async {
        match get(User::Admin, &format!("{BASE}/overviews")).await {
            Ok(v) if v["kind"] == model::api::OVERVIEWS.list_kind => Ok(Some(())),
            Ok(v) => Err(v.to_string()),
            Err(e) => Err(e),
        }
    })
    .await
    .expect("aggregated API served");
}

fn items(v: &Value) -> &[Value] {
    v["items"].as_array().map(Vec::as_slice).unwrap_or_default()
}

fn names(v: &Value) -> Vec<String> {
    items(v)
        .iter()
        .map(|i| {
            let m = &i["metadata"];
            match m["namespace"].as_str() {
                Some(ns) => format!("{ns}/{}", m["name"].as_str().unwrap_or_default()),
                None => m["name"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn discovery_lists_every_resource_for_kubectl() {
    served().await;
    let list = get(User::Admin, BASE).await.expect("discovery");
    assert_eq!(list["kind"], "APIResourceList");
    let resources: Vec<&str> =
        list["resources"].as_array().expect("resources").iter().filter_map(|r| r["name"].as_str()).collect();
    for r in [
        "overviews",
        "scalers",
        "nodepools",
        "nodeclaims",
        "nodes",
        "chains",
        "pendingpods",
        "timelines",
        "journal",
    ] {
        assert!(resources.contains(&r), "{r} missing: {resources:?}");
    }
    // `kubectl api-resources` reads aggregated discovery from the apiserver, which lists our group.
    let apis = get(User::Alice, "/apis").await.expect("/apis");
    assert!(apis.to_string().contains("insights.autoscaling.dev"), "group not in /apis");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_resource_shows_the_demo_scenario() {
    served().await;
    // Scalers of every demo namespace, ScaledJob included, with the states the scenario sets up.
    let scalers = poll_until("every demo scaler", DEADLINE, EVERY, || async {
        let v = get(User::Admin, &format!("{BASE}/scalers")).await?;
        let n = names(&v);
        let want = [
            "team-a/orders",
            "team-a/emails",
            "team-b/web",
            "team-b/legacy-api",
            "team-c/payments",
            "team-c/thumbnails.scaledjob",
        ];
        if want.iter().all(|w| n.iter().any(|x| x == w)) { Ok(Some(v)) } else { Err(format!("{n:?}")) }
    })
    .await
    .expect("scalers");
    let by =
        |name: &str| items(&scalers).iter().find(|i| i["metadata"]["name"] == name).cloned().expect(name);
    assert_eq!(by("thumbnails.scaledjob")["source"]["kind"], "ScaledJob");
    assert_eq!(by("orders")["source"]["kind"], "ScaledObject");
    assert_eq!(by("orders")["target"]["kind"], "Deployment");
    assert!(by("orders")["hpa"]["name"].is_string(), "the HPA KEDA made is found: {}", by("orders")["hpa"]);
    assert!(
        by("emails")["pause"]["paused"].as_bool() == Some(true),
        "emails is paused: {}",
        by("emails")["pause"]
    );

    // The failing trigger (redis at a dead address) shows as an error.
    poll_until("payments erroring", DEADLINE, EVERY, || async {
        let v = get(User::Admin, &format!("{BASE}/namespaces/team-c/scalers/payments")).await?;
        if v["erroring"] == true { Ok(Some(())) } else { Err(v["state"].to_string()) }
    })
    .await
    .expect("payments erroring");

    let overview = get(User::Admin, &format!("{BASE}/overviews/cluster")).await.expect("overview");
    assert!(overview["scalers"]["total"].as_i64().unwrap_or(0) >= 6, "{}", overview["scalers"]);
    assert_eq!(overview["sources"]["keda"]["state"], "ok", "{}", overview["sources"]);
    assert_eq!(overview["sources"]["karpenter"]["state"], "ok", "{}", overview["sources"]);

    let pools = get(User::Admin, &format!("{BASE}/nodepools")).await.expect("nodepools");
    let n = names(&pools);
    assert!(n.contains(&"general".to_owned()) && n.contains(&"capped".to_owned()), "{n:?}");

    let nodes = get(User::Admin, &format!("{BASE}/nodes")).await.expect("nodes");
    assert!(!items(&nodes).is_empty(), "nodes");

    let chains = get(User::Admin, &format!("{BASE}/namespaces/team-a/chains")).await.expect("chains");
    assert!(names(&chains).iter().any(|n| n == "team-a/orders"), "{:?}", names(&chains));

    // Lists that may be empty at a given moment still answer with their list kind.
    for r in ["nodeclaims", "pendingpods", "timelines"] {
        let v = get(User::Admin, &format!("{BASE}/{r}")).await.expect(r);
        let def = model::api::resource(r).expect("served resource");
        assert_eq!(v["kind"], def.list_kind, "{r}");
    }

    // The journal fills from scaling events and condition changes.
    poll_until("journal entries", DEADLINE, EVERY, || async {
        let v = get(User::Admin, &format!("{BASE}/journal?since=2h")).await?;
        if items(&v).iter().any(|e| e["objectKind"] == "ScaledObject") {
            Ok(Some(()))
        } else {
            Err(format!("{} entries", items(&v).len()))
        }
    })
    .await
    .expect("journal");
}

/// kubectl resolves a bare plural (`kubectl get nodepools`) to the first group in discovery order that
/// serves it; the APIService's groupPriorityMinimum (100, below the CRDs' 1000) keeps ours after Karpenter's.
#[tokio::test(flavor = "multi_thread")]
async fn karpenter_keeps_the_bare_nodepools_and_nodeclaims_names() {
    served().await;
    let apis = get(User::Admin, "/apis").await.expect("discovery");
    let groups: Vec<&str> =
        apis["groups"].as_array().expect("groups").iter().filter_map(|g| g["name"].as_str()).collect();
    let position =
        |g: &str| groups.iter().position(|n| *n == g).unwrap_or_else(|| panic!("{g} in {groups:?}"));
    assert!(
        position("karpenter.sh") < position("insights.autoscaling.dev"),
        "karpenter.sh must come first in discovery: {groups:?}"
    );
}

/// List items carry no kind: the server stamps scale targets with theirs, or no chain finds its workload.
#[tokio::test(flavor = "multi_thread")]
async fn chains_find_their_workloads() {
    served().await;
    let chains = get(User::Admin, &format!("{BASE}/chains")).await.expect("chains");
    let found: Vec<String> = items(&chains)
        .iter()
        .filter(|c| c["workloadFound"] == true)
        .map(|c| format!("{}/{}", c["workload"]["kind"], c["workload"]["name"]))
        .collect();
    let web = items(&chains).iter().find(|c| c["metadata"]["name"] == "web").expect("chain team-b/web");
    assert_eq!(web["workloadFound"], true, "{web}");
    assert!(found.len() >= 5, "{found:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_gets_a_table() {
    served().await;
    let env = TestEnv::get().expect("cluster");
    let client = env.client(User::Admin).await.expect("client");
    let req = http::Request::get(format!("{BASE}/scalers"))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
        .body(Vec::new())
        .expect("request");
    let v: Value = serde_json::from_str(&client.request_text(req).await.expect("table")).expect("json");
    assert_eq!(v["kind"], "Table");
    assert_eq!(v["columnDefinitions"][0]["format"], "name");
    assert!(!v["rows"].as_array().expect("rows").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_sees_only_team_a() {
    served().await;
    let admin = get(User::Admin, &format!("{BASE}/scalers")).await.expect("admin");
    assert!(names(&admin).iter().any(|n| !n.starts_with("team-a/")), "admin sees other namespaces");
    for r in ["scalers", "chains", "pendingpods", "timelines", "journal"] {
        let v = get(User::Alice, &format!("{BASE}/{r}")).await.unwrap_or_else(|e| panic!("{r}: {e}"));
        for n in names(&v) {
            assert!(n.starts_with("team-a/"), "alice sees {n} in {r}");
        }
    }
    let mine = get(User::Alice, &format!("{BASE}/scalers")).await.expect("alice");
    assert!(!items(&mine).is_empty(), "alice sees her own scalers");
    // No Karpenter or Node rights: cluster-scoped data is hidden, and redacted in chains.
    for r in ["nodepools", "nodeclaims", "nodes"] {
        let refused = get(User::Alice, &format!("{BASE}/{r}")).await.expect_err(r);
        assert!(
            refused.to_lowercase().contains("forbidden"),
            "alice is refused {r}, not shown an empty list: {refused}"
        );
    }
    let chains = get(User::Alice, &format!("{BASE}/namespaces/team-a/chains")).await.expect("chains");
    for c in items(&chains) {
        assert!(c["nodes"].as_array().is_none_or(Vec::is_empty), "nodes leak into alice's chain");
    }
    // Another namespace asked for directly: empty, not an error and not someone else's data.
    let other = get(User::Alice, &format!("{BASE}/namespaces/team-b/scalers")).await.expect("team-b");
    assert!(items(&other).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn bob_reads_everything_except_karpenter() {
    served().await;
    let scalers = get(User::Bob, &format!("{BASE}/scalers")).await.expect("bob scalers");
    assert!(
        names(&scalers).iter().any(|n| n.starts_with("team-b/"))
            && names(&scalers).iter().any(|n| n.starts_with("team-c/"))
    );
    // No karpenter.sh rights: refused as kube-apiserver refuses it (the UI then says "no permission").
    let refused = get(User::Bob, &format!("{BASE}/nodepools")).await.expect_err("bob nodepools");
    assert!(refused.to_lowercase().contains("forbidden"), "{refused}");
    let nodes = get(User::Bob, &format!("{BASE}/nodes")).await.expect("bob nodes");
    assert!(!items(&nodes).is_empty(), "bob may list nodes");
}

// ---------------------------------------------------------------- straight to the server's port

struct Pki {
    insights_ca: CertificateDer<'static>,
    proxy_ca_pem: String,
    proxy_ca_key: String,
    proxy_client: (CertificateDer<'static>, PrivateKeyDer<'static>),
    port: u16,
    /// The internal plain-http port (health details, metrics).
    internal: u16,
}

fn pki() -> Pki {
    let c = cluster_json();
    let read = |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let dir = path_of(&c, "/pki/dir");
    let insights_ca =
        CertificateDer::from_pem_slice(read(dir.join("insights").join("insights-ca.crt")).as_bytes())
            .expect("insights CA");
    let client_cert =
        CertificateDer::from_pem_slice(read(path_of(&c, "/pki/front_proxy_client_cert")).as_bytes())
            .expect("cert");
    let client_key =
        PrivateKeyDer::from_pem_slice(read(path_of(&c, "/pki/front_proxy_client_key")).as_bytes())
            .expect("key");
    Pki {
        insights_ca,
        proxy_ca_pem: read(path_of(&c, "/pki/front_proxy_ca_cert")),
        proxy_ca_key: read(path_of(&c, "/pki/front_proxy_ca_key")),
        proxy_client: (client_cert, client_key),
        port: c["ports"]["insights"].as_u64().expect("insights port") as u16,
        internal: c["ports"]["insights_internal"].as_u64().expect("insights internal port") as u16,
    }
}

/// `/readyz?verbose` (or `/readyz`) from the internal port: (status, body).
async fn internal_readyz(p: &Pki, verbose: bool) -> Result<(u16, String), String> {
    let url = format!("http://127.0.0.1:{}/readyz{}", p.internal, if verbose { "?verbose" } else { "" });
    // reqwest is built without a default TLS provider (plain http here, but the builder wants one).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::Client::new().get(url).send().await.map_err(|e| e.to_string())?;
    let code = r.status().as_u16();
    Ok((code, r.text().await.map_err(|e| e.to_string())?))
}

fn https(p: &Pki, identity: Option<(CertificateDer<'static>, PrivateKeyDer<'static>)>) -> reqwest::Client {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(p.insights_ca.clone()).expect("root");
    let b = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("tls")
        .with_root_certificates(roots);
    let config = match identity {
        Some((c, k)) => b.with_client_auth_cert(vec![c], k).expect("identity"),
        None => b.with_no_client_auth(),
    };
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn client_cert(issuer: &Issuer<'_, KeyPair>, cn: &str) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name.push(DnType::CommonName, cn);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let key = KeyPair::generate().expect("key");
    let cert = params.signed_by(&key, issuer).expect("sign");
    (cert.der().clone(), PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
}

async fn status(c: &reqwest::Client, p: &Pki, path: &str) -> u16 {
    c.get(format!("https://localhost:{}{path}", p.port))
        .header("X-Remote-User", "system:admin")
        .header("X-Remote-Group", "system:masters")
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or_else(|e| panic!("request to the server failed: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_front_proxy_certificate_authenticates() {
    served().await;
    let p = pki();
    let path = format!("{BASE}/scalers");
    assert_eq!(status(&https(&p, None), &p, &path).await, 401, "forged X-Remote-User without a certificate");

    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name.push(DnType::CommonName, "front-proxy-ca");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let other_key = KeyPair::generate().expect("key");
    params.self_signed(&other_key).expect("self-signed");
    let other_ca = Issuer::new(params, other_key);
    assert_eq!(
        status(&https(&p, Some(client_cert(&other_ca, "front-proxy-client"))), &p, &path).await,
        401,
        "wrong CA"
    );

    let real_ca =
        Issuer::from_ca_cert_pem(&p.proxy_ca_pem, KeyPair::from_pem(&p.proxy_ca_key).expect("CA key"))
            .expect("CA");
    assert_eq!(status(&https(&p, Some(client_cert(&real_ca, "intruder"))), &p, &path).await, 401, "wrong CN");

    // The apiserver's own front-proxy certificate is accepted (the control that makes the 401s mean something).
    let (cert, key) = &p.proxy_client;
    assert_eq!(status(&https(&p, Some((cert.clone(), key.clone_key()))), &p, &path).await, 200);
    // Probes need no certificate; details and metrics are not on the API port.
    assert_eq!(status(&https(&p, None), &p, "/healthz").await, 200);
    let anonymous = https(&p, None);
    let verbose =
        anonymous.get(format!("https://localhost:{}/readyz?verbose", p.port)).send().await.expect("readyz");
    assert_eq!(verbose.text().await.expect("body"), "ok", "no details on the API port");
    assert_eq!(status(&anonymous, &p, "/metrics").await, 401, "no metrics on the API port");
    let (code, body) = internal_readyz(&p, true).await.expect("internal port");
    assert_eq!(code, 200);
    assert!(body.contains("[+]watch v1/Pod synced"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_account_has_exactly_what_it_needs() {
    // The server runs as the chart's ServiceAccount (insights.rs); the other tests passing shows its
    // rights suffice. Here: nothing more than reading.
    served().await;
    use k8s_openapi::api::authorization::v1::{
        ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec,
    };
    let env = TestEnv::get().expect("cluster");
    let api: kube::Api<SubjectAccessReview> = kube::Api::all(env.client(User::Admin).await.expect("admin"));
    let can = |verb: &str, group: &str, resource: &str, ns: Option<&str>, name: Option<&str>| {
        let sar = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: Some("system:serviceaccount:autoscaling-insights:autoscaling-insights".to_owned()),
                groups: Some(vec!["system:serviceaccounts".to_owned(), "system:authenticated".to_owned()]),
                resource_attributes: Some(ResourceAttributes {
                    verb: Some(verb.to_owned()),
                    group: Some(group.to_owned()),
                    resource: Some(resource.to_owned()),
                    namespace: ns.map(str::to_owned),
                    name: name.map(str::to_owned),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let api = api.clone();
        async move {
            api.create(&Default::default(), &sar).await.expect("review").status.is_some_and(|s| s.allowed)
        }
    };
    assert!(can("watch", "", "pods", None, None).await);
    assert!(can("list", "karpenter.sh", "nodeclaims", None, None).await);
    assert!(can("create", "authorization.k8s.io", "subjectaccessreviews", None, None).await);
    assert!(
        can("get", "", "configmaps", Some("kube-system"), Some("extension-apiserver-authentication")).await,
        "extension-apiserver-authentication"
    );
    assert!(
        !can("get", "", "configmaps", Some("kube-system"), Some("kubeadm-config")).await,
        "only that ConfigMap"
    );
    assert!(!can("list", "", "secrets", None, None).await, "no secrets");
    assert!(!can("list", "", "configmaps", Some("team-a"), None).await, "no other configmaps");
    assert!(!can("update", "keda.sh", "scaledobjects", Some("team-a"), None).await, "read-only");
    assert!(!can("delete", "", "pods", Some("team-a"), None).await, "read-only");
    assert!(!can("patch", "", "nodes", None, None).await, "read-only");
}

/// A second server process (this crate's binary) next to the registered one, with its own flags.
struct SecondServer {
    child: std::process::Child,
    port: u16,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for SecondServer {
    fn drop(&mut self) {
        // Started by this test: stopped by its own handle (SIGKILL: no chance to say goodbye).
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn second_server(extra: &[String]) -> SecondServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = server_in(dir.path(), free_port(), extra);
    server._dir = Some(dir);
    server
}

/// A server on `port` whose journal and log live in `dir` (kept by the caller: a restart finds them).
fn server_in(dir: &std::path::Path, port: u16, extra: &[String]) -> SecondServer {
    let c = cluster_json();
    let state = path_of(&c, "/state_dir");
    let pki = path_of(&c, "/pki/dir").join("insights");
    let log =
        std::fs::OpenOptions::new().create(true).append(true).open(dir.join("server.log")).expect("log");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_autoscaling-insights"))
        .env("KUBECONFIG", state.join("config").join("insights.kubeconfig"))
        .arg(format!("--listen=127.0.0.1:{port}"))
        .arg(format!("--internal-listen=127.0.0.1:{}", free_port()))
        .arg("--tls-cert-file")
        .arg(pki.join("insights-serving.crt"))
        .arg("--tls-key-file")
        .arg(pki.join("insights-serving.key"))
        .arg("--journal-path")
        .arg(dir.join("journal.sqlite"))
        .args(extra)
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("server starts");
    SecondServer { child, port, _dir: None }
}

async fn direct_json(p: &Pki, port: u16, path: &str) -> Result<(u16, Value), String> {
    let (cert, key) = &p.proxy_client;
    let c = https(p, Some((cert.clone(), key.clone_key())));
    let r = c
        .get(format!("https://localhost:{port}{path}"))
        .header("X-Remote-User", "system:admin")
        .header("X-Remote-Group", "system:masters")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let code = r.status().as_u16();
    let text = r.text().await.map_err(|e| e.to_string())?;
    Ok((code, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}

#[tokio::test(flavor = "multi_thread")]
async fn prometheus_down_degrades_history_but_answers() {
    served().await;
    let p = pki();
    let path = format!("{BASE}/namespaces/team-a/scalers/orders?history=30m");
    // The registered server has the real Prometheus: history without a degraded marker.
    let (code, ok) = direct_json(&p, p.port, &path).await.expect("registered server");
    assert_eq!(code, 200);
    assert!(ok["history"]["degraded"].is_null(), "real Prometheus: {}", ok["history"]["degraded"]);
    assert!(ok["history"]["series"]["metric"].is_array(), "{}", ok["history"]);

    // A second server whose Prometheus address has nothing listening (the demo's dead address).
    let dead = cluster_json()["dead_addr"].as_str().expect("dead_addr").to_owned();
    let server =
        second_server(&[format!("--prometheus-url=http://{dead}"), "--prometheus-timeout=2s".to_owned()]);
    let (code, v) = poll_until("second server ready", DEADLINE, EVERY, || async {
        match direct_json(&p, server.port, &path).await {
            Ok((200, v)) => Ok(Some((200, v))),
            Ok((code, v)) => Err(format!("{code}: {v}")),
            Err(e) => Err(e),
        }
    })
    .await
    .expect("second server answers");
    assert_eq!(code, 200, "Prometheus down is not an error of the API");
    let degraded = v["history"]["degraded"].as_str().unwrap_or_default();
    assert!(degraded.contains("unreachable") || degraded.contains("did not answer"), "{}", v["history"]);
    assert_eq!(v["metadata"]["name"], "orders", "the live view is still there");
}

#[tokio::test(flavor = "multi_thread")]
async fn crds_installed_later_are_picked_up_and_dropped_when_removed() {
    // A NodeClass kind the demo does not serve (Azure's), installed and removed while the server runs.
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    served().await;
    let p = pki();
    let env = TestEnv::get().expect("cluster");
    let crds: kube::Api<CustomResourceDefinition> =
        kube::Api::all(env.client(User::Admin).await.expect("admin"));
    let crd: CustomResourceDefinition = serde_json::from_value(serde_json::json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "aksnodeclasses.karpenter.azure.com"},
        "spec": {
            "group": "karpenter.azure.com",
            "scope": "Cluster",
            "names": {"plural": "aksnodeclasses", "singular": "aksnodeclass", "kind": "AKSNodeClass", "listKind": "AKSNodeClassList"},
            "versions": [{"name": "v1beta1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]
        }
    }))
    .expect("crd");
    let line = "watch karpenter.azure.com/v1beta1/AKSNodeClass synced";
    let verbose = || async { internal_readyz(&p, true).await.map(|(_, text)| text) };
    assert!(!verbose().await.expect("readyz").contains(line), "not watched before the CRD exists");
    let _ = crds.delete("aksnodeclasses.karpenter.azure.com", &Default::default()).await;
    poll_until("old CRD gone", DEADLINE, EVERY, || async {
        match crds.get_opt("aksnodeclasses.karpenter.azure.com").await {
            Ok(None) => Ok(Some(())),
            other => Err(format!("{other:?}")),
        }
    })
    .await
    .expect("no leftover CRD");
    crds.create(&Default::default(), &crd).await.expect("create CRD");
    let picked = poll_until("the server to watch the new kind", DEADLINE, EVERY, || async {
        let text = verbose().await?;
        if text.contains(line) { Ok(Some(text)) } else { Err(text) }
    })
    .await;
    let _ = crds.delete("aksnodeclasses.karpenter.azure.com", &Default::default()).await;
    picked.expect("picked up");
    poll_until("the server to stop watching the removed kind", DEADLINE, EVERY, || async {
        let text = verbose().await?;
        if text.contains("karpenter.azure.com") { Err(text) } else { Ok(Some(())) }
    })
    .await
    .expect("dropped");
}

/// A tenant chooses what the server watches through a ScaledObject's `scaleTargetRef`. None of those
/// kinds may make the server unready (an unready aggregated API breaks discovery and namespace
/// deletion for the whole cluster): not our own API (its watch can never list), not kinds without a
/// `/scale` subresource. Alice, who may only edit team-a, tries both.
#[tokio::test(flavor = "multi_thread")]
async fn tenant_scale_targets_never_make_the_server_unready() {
    use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
    served().await;
    let p = pki();
    let env = TestEnv::get().expect("cluster");
    let ar = ApiResource::from_gvk(&GroupVersionKind::gvk("keda.sh", "v1alpha1", "ScaledObject"));
    let api: kube::Api<DynamicObject> =
        kube::Api::namespaced_with(env.client(User::Alice).await.expect("alice"), "team-a", &ar);
    let hostile =
        [("hostile-own-api", "insights.autoscaling.dev/v1alpha1", "Overview"), ("hostile-pod", "v1", "Pod")];
    struct Cleanup(kube::Api<DynamicObject>, Vec<&'static str>);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let (api, names) = (self.0.clone(), self.1.clone());
            // Best effort, on a fresh runtime: Drop cannot await.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Runtime::new().map(|rt| {
                    rt.block_on(async {
                        for n in names {
                            let _ = api.delete(n, &Default::default()).await;
                        }
                    })
                })
            })
            .join();
        }
    }
    let _cleanup = Cleanup(api.clone(), hostile.iter().map(|(n, _, _)| *n).collect());
    for (name, api_version, kind) in hostile {
        let so: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "keda.sh/v1alpha1",
            "kind": "ScaledObject",
            "metadata": {"name": name, "namespace": "team-a"},
            "spec": {
                "scaleTargetRef": {"apiVersion": api_version, "kind": kind, "name": "cluster"},
                "triggers": [{"type": "cron", "metadata": {"timezone": "UTC", "start": "0 * * * *", "end": "30 * * * *", "desiredReplicas": "1"}}]
            }
        }))
        .expect("scaled object");
        let _ = api.delete(name, &Default::default()).await;
        poll_until("no leftover hostile ScaledObject", DEADLINE, EVERY, || async {
            match api.get_opt(name).await {
                Ok(None) => Ok(Some(())),
                other => Err(format!("{other:?}")),
            }
        })
        .await
        .expect("clean start");
        api.create(&Default::default(), &so).await.unwrap_or_else(|e| panic!("alice creates {name}: {e}"));
    }
    let readyz = |verbose: bool| internal_readyz(&p, verbose);
    // The server saw both and refused to watch them, saying why.
    let text = poll_until("the server to refuse both target kinds", DEADLINE, EVERY, || async {
        let (_, text) = readyz(true).await?;
        let own = text.contains("scale target insights.autoscaling.dev/Overview not watched");
        let pod = text.contains("scale target Pod not watched: has no /scale subresource");
        if own && pod { Ok(Some(text)) } else { Err(text) }
    })
    .await
    .expect("refused");
    assert!(!text.contains("[-]"), "every check passes:\n{text}");
    let (code, body) = readyz(false).await.expect("readyz");
    assert_eq!((code, body.as_str()), (200, "ok"), "still ready");
    // And the scalers stay served, the tenant's own included.
    let mine = get(User::Alice, &format!("{BASE}/namespaces/team-a/scalers")).await.expect("alice's scalers");
    assert!(names(&mine).iter().any(|n| n == "team-a/hostile-pod"), "{:?}", names(&mine));
}

// ---------------------------------------------------------------- two replicas, one journal

/// uid → (count, last time, message) of every journal entry a replica answers.
async fn journal_of(p: &Pki, port: u16) -> Result<std::collections::BTreeMap<String, String>, String> {
    let (code, v) = direct_json(p, port, &format!("{BASE}/journal?since=2h&limit=5000")).await?;
    if code != 200 {
        return Err(format!("{code}: {v}"));
    }
    Ok(items(&v)
        .iter()
        .map(|e| {
            let key = e["uid"].as_str().unwrap_or_default().to_owned();
            (key, format!("{} {} {}", e["count"], e["lastTime"], e["message"]))
        })
        .collect())
}

/// A scaling event (as the HPA controller writes it) on a team-a HPA; returns its server-given uid.
async fn scaling_event(events: &kube::Api<k8s_openapi::api::core::v1::Event>, name: &str) -> String {
    let now = jiff::Timestamp::now().to_string();
    let e: k8s_openapi::api::core::v1::Event = serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "namespace": "team-a"},
        "involvedObject": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                           "name": "keda-hpa-orders", "namespace": "team-a"},
        "reason": "SuccessfulRescale", "type": "Normal", "count": 1,
        "message": format!("New size: 3; reason: {name}"),
        "firstTimestamp": now, "lastTimestamp": now,
        "source": {"component": "horizontal-pod-autoscaler"}
    }))
    .expect("event");
    let _ = events.delete(name, &Default::default()).await;
    let created = events.create(&Default::default(), &e).await.expect("create event");
    created.metadata.uid.expect("uid")
}

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_answer_one_journal_and_a_restarted_one_backfills_what_it_missed() {
    served().await;
    let p = pki();
    let env = TestEnv::get().expect("cluster");
    let events: kube::Api<k8s_openapi::api::core::v1::Event> =
        kube::Api::namespaced(env.client(User::Admin).await.expect("admin"), "team-a");
    let (dir_a, dir_b) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"));
    let (port_a, port_b) = (free_port(), free_port());
    let flags = |peer: u16| vec![format!("--peers=127.0.0.1:{peer}"), "--peer-sync-interval=1s".to_owned()];
    let a = server_in(dir_a.path(), port_a, &flags(port_b));
    let b = server_in(dir_b.path(), port_b, &flags(port_a));
    let converged = |want: Option<String>| {
        let p = &p;
        async move {
            poll_until("both replicas to answer the same journal", DEADLINE, EVERY, || {
                let want = want.clone();
                async move {
                    let (ja, jb) = (journal_of(p, port_a).await?, journal_of(p, port_b).await?);
                    let has = |j: &std::collections::BTreeMap<String, String>| {
                        want.as_ref().is_none_or(|w| j.contains_key(w))
                    };
                    if ja == jb && has(&ja) {
                        Ok(Some(ja))
                    } else {
                        Err(format!("{} vs {} entries", ja.len(), jb.len()))
                    }
                }
            })
            .await
        }
    };
    let first = scaling_event(&events, "replica-test-1").await;
    converged(Some(first)).await.expect("two replicas agree");

    // B goes down; while it is down an event happens and expires (deleted) before B is back: B can
    // learn it only from A.
    drop(b);
    let missed = scaling_event(&events, "replica-test-2").await;
    poll_until("A records the event", DEADLINE, EVERY, || async {
        let j = journal_of(&p, port_a).await?;
        if j.contains_key(&missed) { Ok(Some(())) } else { Err(format!("{} entries", j.len())) }
    })
    .await
    .expect("A has it");
    events.delete("replica-test-2", &Default::default()).await.expect("delete event");
    let restarted = std::time::Instant::now();
    let b = server_in(dir_b.path(), port_b, &flags(port_a));
    let agreed = converged(Some(missed.clone())).await.expect("B backfilled from A");
    println!(
        "replicas: B restarted and answered the same journal as A ({} entries, including the event it \
         never saw) after {:.1} s",
        agreed.len(),
        restarted.elapsed().as_secs_f64()
    );

    // The peer endpoint: only the serving key opens it (the front-proxy certificate does not, nor none).
    let (cert, key) = &p.proxy_client;
    for (who, client) in [
        ("front-proxy certificate", https(&p, Some((cert.clone(), key.clone_key())))),
        ("no certificate", https(&p, None)),
    ] {
        let code = client
            .get(format!("https://localhost:{port_a}/peer/v1/journal"))
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or_else(|e| panic!("{who}: {e}"));
        assert_eq!(code, 403, "{who} reads no peer journal");
    }
    let _ = events.delete("replica-test-1", &Default::default()).await;
    drop((a, b));
}
