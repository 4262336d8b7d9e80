//! The data layer in a real browser (wasm-bindgen-test, headless Chromium), on answers the real
//! bridge gave against the demo cluster (recorded by `frontend/tests/data/capture.mjs`): which
//! source answers (server / direct) and why, the fallback when the server stops, restricted users
//! read namespace by namespace, and parts a user may not read reported as gaps.
//! Run by `cargo xtask test`; alone: `cargo test -p frontend --target wasm32-unknown-unknown --test data`
//! with the runner and CHROMEDRIVER set as xtask sets them.
#![cfg(target_arch = "wasm32")]

use frontend::bridge::Bridge;
use frontend::data::settings::{ServerMode, Settings};
use frontend::data::{Data, DataError, DirectWhy, Gap, NamespaceHints, Origin, Within};
use model::keda::ScaledObject;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(serde::Deserialize)]
struct Recording {
    responses: Vec<Recorded>,
}

#[derive(serde::Deserialize, Clone)]
struct Recorded {
    user: String,
    path: String,
    status: u16,
    body: String,
}

fn recorded() -> Vec<Recorded> {
    let r: Recording = serde_json::from_str(include_str!("data/bridge-responses.json"))
        .expect("bridge-responses.json is valid");
    r.responses
}

const DISCOVERY: &str = "/apis/insights.autoscaling.dev/v1alpha1";
const NOT_SERVED: &str = "/apis/insights.autoscaling.dev/v1alpha0";
const OVERVIEW: &str = "/apis/insights.autoscaling.dev/v1alpha1/overviews/cluster";

/// A host that answers as `user` did, with some paths answered as another recording said
/// (`(path, user, recorded path)`), and records what was asked.
struct Host {
    answers: BTreeMap<String, (u16, String)>,
    asked: Rc<RefCell<Vec<String>>>,
}

impl Host {
    fn of(user: &str) -> Host {
        let answers =
            recorded().into_iter().filter(|r| r.user == user).map(|r| (r.path, (r.status, r.body))).collect();
        Host { answers, asked: Rc::default() }
    }

    /// Answers `path` with what `user` got for `as_path`.
    fn answer(mut self, path: &str, user: &str, as_path: &str) -> Host {
        let r = recorded()
            .into_iter()
            .find(|r| r.user == user && r.path == as_path)
            .unwrap_or_else(|| panic!("no recording of {as_path} as {user}"));
        self.answers.insert(path.to_owned(), (r.status, r.body));
        self
    }

    fn bridge(&self) -> Bridge {
        let answers = self.answers.clone();
        let asked = self.asked.clone();
        let f = Closure::<dyn Fn(String, String, String) -> js_sys::Promise>::new(
            move |_cluster: String, method: String, path: String| {
                asked.borrow_mut().push(format!("{method} {path}"));
                let (status, body) = answers
                    .get(&path)
                    .cloned()
                    .unwrap_or_else(|| (0, format!("not recorded: {method} {path}")));
                let answer = js_sys::Object::new();
                js_sys::Reflect::set(&answer, &"status".into(), &JsValue::from(status)).unwrap();
                js_sys::Reflect::set(&answer, &"body".into(), &JsValue::from_str(&body)).unwrap();
                let answer: JsValue = answer.into();
                js_sys::Promise::resolve(&answer)
            },
        );
        let f: js_sys::Function = f.into_js_value().into();
        Bridge::host(f)
    }

    fn asked(&self) -> Vec<String> {
        self.asked.borrow().clone()
    }
}

/// Each test its own cluster name: the per-cluster state (origin, cache) is page-wide.
fn data(host: &Host, cluster: &str, server: ServerMode, allowed: &[&str]) -> Data {
    let settings = Settings { server, ..Settings::default() };
    let hints = NamespaceHints {
        allowed: allowed.iter().map(|s| s.to_string()).collect::<Vec<_>>().into(),
        selected: Rc::from(Vec::new()),
    };
    Data::new(host.bridge(), cluster, settings, hints)
}

/// `namespace/name` of the ScaledObjects the admin's list holds (in `namespace`, or all).
fn scaled_objects_of(namespace: Option<&str>) -> Vec<String> {
    let body = &Host::of("admin").answers["/apis/keda.sh/v1alpha1/scaledobjects"].1;
    let list = model::meta::parse_list::<ScaledObject>(body).unwrap();
    let mut v: Vec<String> = list
        .items
        .iter()
        .filter(|o| namespace.is_none_or(|ns| o.metadata.ns() == ns))
        .map(|o| format!("{}/{}", o.metadata.ns(), o.metadata.name))
        .collect();
    v.sort();
    v
}

fn scaler_count() -> i64 {
    let admin = Host::of("admin");
    let n = |p: &str| {
        serde_json::from_str::<serde_json::Value>(&admin.answers[p].1).unwrap()["items"]
            .as_array()
            .map(|a| a.len())
            .unwrap_or(0)
    };
    (n("/apis/keda.sh/v1alpha1/scaledobjects") + n("/apis/keda.sh/v1alpha1/scaledjobs")) as i64
}

#[wasm_bindgen_test]
async fn with_the_server_the_overview_is_served_not_computed() {
    let host = Host::of("admin");
    let d = data(&host, "t-server", ServerMode::Auto, &[]);
    let o = d.overview().await.expect("served overview");
    assert_eq!(o.origin, Origin::Server);
    assert_eq!(o.value.scalers.total, scaler_count());
    assert_eq!(host.asked(), [format!("GET {DISCOVERY}"), format!("GET {OVERVIEW}")], "no raw lists read");
}

#[wasm_bindgen_test]
async fn a_server_that_stops_answering_is_left_for_direct_mode_and_said_so() {
    // Discovery still says yes, then the server's answers are the aggregator's while it is down.
    let host = Host::of("admin").answer(OVERVIEW, "admin-server-down", OVERVIEW);
    let d = data(&host, "t-fallback", ServerMode::Auto, &[]);
    let heard = Rc::new(RefCell::new(Vec::new()));
    let _sub = {
        let (state, heard) = (d.state(), heard.clone());
        let s = state.clone();
        state.subscribe(Rc::new(move || heard.borrow_mut().push(s.origin().map(|o| o.token()))))
    };
    let o = d.overview().await.expect("computed in the browser");
    match &o.origin {
        Origin::Direct(DirectWhy::Unreachable(m)) => assert!(m.starts_with("503"), "{m}"),
        other => panic!("expected direct mode because the server is unreachable, got {other:?}"),
    }
    assert_eq!(o.value.scalers.total, scaler_count(), "the same scalers, joined in the browser");
    assert!(host.asked().contains(&"GET /apis/keda.sh/v1alpha1/scaledobjects".to_owned()));
    // The mode indicator heard: first the server, then direct because it stopped answering.
    assert_eq!(*heard.borrow(), [Some("server"), Some("direct-unreachable")]);
    // The next view does not ask the server again (until the re-probe a minute later).
    let before = host.asked().len();
    d.objects::<ScaledObject>(Within::All).await.unwrap();
    assert!(host.asked()[before..].iter().all(|p| !p.contains("insights.autoscaling.dev")));
}

#[wasm_bindgen_test]
async fn the_server_refusing_a_kind_is_no_permission_and_stays_the_source() {
    // bob may not list karpenter.sh: the server refuses its NodePools (recorded 403), the rest it serves.
    let host = Host::of("bob");
    let d = data(&host, "t-bob-pools", ServerMode::Auto, &[]);
    match d.node_pools().await {
        Err(e @ DataError::NoPermission { .. }) => {
            assert!(e.explanation().contains("nodepools.karpenter.sh"), "{}", e.explanation())
        }
        other => panic!("expected no permission, got {:?}", other.map(|a| a.value.len())),
    }
    assert_eq!(d.origin().await, Origin::Server, "one refused kind does not leave the server");
    assert!(!host.asked().iter().any(|p| p.contains("/apis/karpenter.sh/")), "{:?}", host.asked());
}

#[wasm_bindgen_test]
async fn with_the_server_down_from_the_start_discovery_says_unreachable() {
    let host = Host::of("admin").answer(DISCOVERY, "admin-server-down", DISCOVERY);
    let d = data(&host, "t-down", ServerMode::Auto, &[]);
    let origin = d.origin().await;
    assert_eq!(origin.token(), "direct-unreachable", "{origin:?}");
    assert_eq!(origin.label(), "Direct mode: server unreachable — computed in your browser");
}

#[wasm_bindgen_test]
async fn a_cluster_without_the_server_is_direct_mode_not_installed() {
    let host = Host::of("admin").answer(DISCOVERY, "admin", NOT_SERVED);
    let d = data(&host, "t-absent", ServerMode::Auto, &[]);
    let o = d.overview().await.unwrap();
    assert_eq!(o.origin, Origin::Direct(DirectWhy::NotInstalled));
    assert_eq!(o.value.scalers.total, scaler_count());
    assert!(!o.value.node_pools.is_empty(), "the admin sees Karpenter's NodePools");
}

#[wasm_bindgen_test]
async fn server_off_in_the_settings_never_asks_for_it() {
    let host = Host::of("admin");
    let d = data(&host, "t-off", ServerMode::Off, &[]);
    let o = d.overview().await.unwrap();
    assert_eq!(o.origin, Origin::Direct(DirectWhy::TurnedOff));
    assert!(host.asked().iter().all(|p| !p.contains("insights.autoscaling.dev")), "{:?}", host.asked());
}

#[wasm_bindgen_test]
async fn alice_reads_her_allowed_namespaces_one_by_one() {
    let host = Host::of("alice");
    let d = data(&host, "t-alice", ServerMode::Off, &["team-a", "team-b"]);
    let a = d.objects::<ScaledObject>(Within::All).await.expect("per-namespace lists");
    let shown: Vec<String> =
        a.value.items.iter().map(|o| format!("{}/{}", o.metadata.ns(), o.metadata.name)).collect();
    assert_eq!(shown, scaled_objects_of(Some("team-a")));
    assert_eq!(
        a.gaps,
        [Gap::Namespaces {
            what: "ScaledObjects".into(),
            read: vec!["team-a".into()],
            denied: vec!["team-b".into()]
        }]
    );
    // Cluster-wide refused once: the next read goes per namespace straight away.
    d.state().cache.clear();
    d.objects::<ScaledObject>(Within::All).await.unwrap();
    let asked = host.asked();
    assert_eq!(
        asked.iter().filter(|p| p.ends_with("/apis/keda.sh/v1alpha1/scaledobjects")).count(),
        1,
        "{asked:?}"
    );
}

#[wasm_bindgen_test]
async fn alice_without_allowed_namespaces_is_told_what_to_set() {
    let host = Host::of("alice");
    let d = data(&host, "t-alice-none", ServerMode::Off, &[]);
    match d.objects::<ScaledObject>(Within::All).await {
        Err(e @ DataError::NoPermission { .. }) => {
            let text = e.explanation();
            assert!(text.contains("alice"), "the API server's message: {text}");
            assert!(text.contains("Allowed namespaces"), "what to do: {text}");
        }
        other => panic!("expected no permission, got {:?}", other.map(|a| a.value.items.len())),
    }
    // She may not list namespaces either: that was tried, and nothing else.
    assert!(host.asked().contains(&"GET /api/v1/namespaces".to_owned()));
}

#[wasm_bindgen_test]
async fn the_server_shows_alice_her_namespace_without_any_setting() {
    let host = Host::of("alice");
    let d = data(&host, "t-alice-server", ServerMode::Auto, &[]);
    let o = d.overview().await.unwrap();
    assert_eq!(o.origin, Origin::Server);
    assert_eq!(o.value.scalers.total as usize, scaled_objects_of(Some("team-a")).len());
}

#[wasm_bindgen_test]
async fn bob_sees_keda_and_is_told_karpenter_is_not_his() {
    let host = Host::of("bob");
    let d = data(&host, "t-bob", ServerMode::Off, &[]);
    let o = d.overview().await.unwrap();
    assert_eq!(o.value.scalers.total, scaler_count());
    assert!(o.value.node_pools.is_empty());
    let refused: Vec<&str> = o
        .gaps
        .iter()
        .filter_map(|g| match g {
            Gap::Missing { what, error: DataError::NoPermission { .. } } => Some(what.as_str()),
            _ => None,
        })
        .collect();
    assert!(refused.contains(&"NodePools") && refused.contains(&"NodeClaims"), "{:?}", o.gaps);
    // 403 is "no permission", never "not installed".
    assert!(o.gaps.iter().all(|g| !matches!(g, Gap::Missing { error: DataError::NotInstalled { .. }, .. })));
}

#[wasm_bindgen_test]
async fn views_of_one_page_share_their_requests() {
    let host = Host::of("admin");
    let d = data(&host, "t-cache", ServerMode::Off, &[]);
    let (a, b) =
        futures::join!(d.objects::<ScaledObject>(Within::All), d.objects::<ScaledObject>(Within::All));
    assert_eq!(a.unwrap().value.items.len(), b.unwrap().value.items.len());
    assert_eq!(host.asked(), ["GET /apis/keda.sh/v1alpha1/scaledobjects"]);
}
