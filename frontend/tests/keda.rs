//! The KEDA pages and the chart in a real browser (headless Chromium through wasm-bindgen-test),
//! mounted like the plugin entry mounts them, on objects captured from the demo cluster
//! (testdata/demo/, `cargo xtask fixtures`) served by a small in-test API server, and on real
//! Prometheus answers (frontend/tests/fixtures/). Run by `cargo xtask test` with the other
//! browser tests; alone: `cargo test -p frontend --target wasm32-unknown-unknown --test keda`.
#![cfg(target_arch = "wasm32")]

use frontend::components::chart::{Chart, Dash, Ink, Line, Rule};
use frontend::components::{Column, Link, Table};
use frontend::route::Route;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{count, eventually, host_element, texts};

/// A `keydown` event for `key` (built through the page's own constructor).
fn keydown(key: &str) -> web_sys::Event {
    let window = web_sys::window().unwrap();
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&window, &"KeyboardEvent".into()).unwrap().dyn_into().unwrap();
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &key.into()).unwrap();
    js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).unwrap();
    js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&"keydown".into(), &init))
        .unwrap()
        .dyn_into()
        .unwrap()
}

// --- an API server over captured lists ---------------------------------------------------------------

/// The demo cluster at one moment: `testdata/demo/<moment>/` lists by their API path.
fn demo(moment: &str) -> BTreeMap<String, Value> {
    macro_rules! moment_files {
        ($m:literal) => {
            [
                (
                    "/apis/keda.sh/v1alpha1/scaledobjects",
                    include_str!(concat!("../../testdata/demo/", $m, "/scaledobjects.json")),
                ),
                (
                    "/apis/keda.sh/v1alpha1/scaledjobs",
                    include_str!(concat!("../../testdata/demo/", $m, "/scaledjobs.json")),
                ),
                (
                    "/apis/keda.sh/v1alpha1/triggerauthentications",
                    include_str!(concat!("../../testdata/demo/", $m, "/triggerauthentications.json")),
                ),
                (
                    "/apis/keda.sh/v1alpha1/clustertriggerauthentications",
                    include_str!(concat!("../../testdata/demo/", $m, "/clustertriggerauthentications.json")),
                ),
                (
                    "/apis/eventing.keda.sh/v1alpha1/cloudeventsources",
                    include_str!(concat!("../../testdata/demo/", $m, "/cloudeventsources.json")),
                ),
                (
                    "/apis/autoscaling/v2/horizontalpodautoscalers",
                    include_str!(concat!("../../testdata/demo/", $m, "/horizontalpodautoscalers.json")),
                ),
                (
                    "/apis/apps/v1/deployments",
                    include_str!(concat!("../../testdata/demo/", $m, "/deployments.json")),
                ),
                (
                    "/apis/apps/v1/statefulsets",
                    include_str!(concat!("../../testdata/demo/", $m, "/statefulsets.json")),
                ),
                (
                    "/apis/apps/v1/replicasets",
                    include_str!(concat!("../../testdata/demo/", $m, "/replicasets.json")),
                ),
                ("/apis/batch/v1/jobs", include_str!(concat!("../../testdata/demo/", $m, "/jobs.json"))),
                ("/api/v1/pods", include_str!(concat!("../../testdata/demo/", $m, "/pods.json"))),
                ("/api/v1/nodes", include_str!(concat!("../../testdata/demo/", $m, "/nodes.json"))),
                ("/api/v1/events", include_str!(concat!("../../testdata/demo/", $m, "/events.json"))),
                (
                    "/apis/karpenter.sh/v1/nodepools",
                    include_str!(concat!("../../testdata/demo/", $m, "/nodepools.json")),
                ),
                (
                    "/apis/karpenter.sh/v1/nodeclaims",
                    include_str!(concat!("../../testdata/demo/", $m, "/nodeclaims.json")),
                ),
                (
                    "/apis/karpenter.kwok.sh/v1alpha1/kwoknodeclasses",
                    include_str!(concat!("../../testdata/demo/", $m, "/kwoknodeclasses.json")),
                ),
                (
                    "external-metrics",
                    include_str!(concat!("../../testdata/demo/", $m, "/external-metrics.json")),
                ),
            ]
        };
    }
    let files = match moment {
        "idle" => moment_files!("idle"),
        "scaling-out" => moment_files!("scaling-out"),
        _ => moment_files!("blocked"),
    };
    files.into_iter().map(|(p, s)| (p.to_owned(), serde_json::from_str(s).expect("captured JSON"))).collect()
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(&s.replace('+', " ")).map(String::from).unwrap_or_else(|_| s.to_owned())
}

/// `k=v,k2=v2` selectors (equality only: all the UI sends).
fn selector_matches(selector: &str, get: impl Fn(&str) -> Option<String>) -> bool {
    selector.split(',').filter(|s| !s.is_empty()).all(|term| match term.split_once('=') {
        Some((k, v)) => get(k.trim()).as_deref() == Some(v.trim()),
        None => true,
    })
}

fn field(item: &Value, path: &str) -> Option<String> {
    let pointer = format!("/{}", path.replace('.', "/"));
    item.pointer(&pointer).and_then(|v| v.as_str()).map(str::to_owned)
}

/// What a Kubernetes API server would answer for `path` over `lists` (404 for anything unknown,
/// including our server's discovery: these tests run in direct mode unless told otherwise).
struct FakeCluster {
    lists: BTreeMap<String, Value>,
    extra: BTreeMap<String, (u16, String)>,
    seen: RefCell<Vec<String>>,
}

impl FakeCluster {
    fn new(lists: BTreeMap<String, Value>) -> Rc<Self> {
        Rc::new(FakeCluster { lists, extra: BTreeMap::new(), seen: RefCell::new(Vec::new()) })
    }

    fn with(lists: BTreeMap<String, Value>, extra: BTreeMap<String, (u16, String)>) -> Rc<Self> {
        Rc::new(FakeCluster { lists, extra, seen: RefCell::new(Vec::new()) })
    }

    fn answer(&self, full: &str) -> (u16, String) {
        self.seen.borrow_mut().push(full.to_owned());
        let (path, query) = full.split_once('?').unwrap_or((full, ""));
        let params: BTreeMap<String, String> = query
            .split('&')
            .filter_map(|kv| kv.split_once('=').map(|(k, v)| (decode(k), decode(v))))
            .collect();
        // Registered answers win (by path prefix), e.g. Prometheus through the service proxy.
        for (prefix, answer) in &self.extra {
            if full.starts_with(prefix.as_str()) || decode(full).contains(prefix.as_str()) {
                return answer.clone();
            }
        }
        if path.starts_with("/apis/external.metrics.k8s.io/") {
            let wanted = decode(full);
            let requests = self.lists["external-metrics"]["requests"].as_array().cloned().unwrap_or_default();
            for r in requests {
                if r["path"].as_str().map(decode).as_deref() == Some(wanted.as_str()) {
                    if r["response"].get("error").is_some() {
                        return (
                            503,
                            json!({"kind": "Status", "message": r["response"]["error"], "code": 503})
                                .to_string(),
                        );
                    }
                    return (200, r["response"].to_string());
                }
            }
            return (404, r#"{"kind":"Status","code":404,"message":"not found"}"#.to_owned());
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        for (list_path, list) in &self.lists {
            let Some((root, plural)) = list_path.rsplit_once('/') else { continue };
            let rest = match path.strip_prefix(root) {
                Some(r) => r.trim_start_matches('/'),
                None => continue,
            };
            let rest: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
            let (ns, tail): (Option<&str>, &[&str]) = match rest.as_slice() {
                ["namespaces", ns, p, tail @ ..] if *p == plural => (Some(*ns), tail),
                [p, tail @ ..] if *p == plural => (None, tail),
                _ => continue,
            };
            let items: Vec<&Value> = list["items"]
                .as_array()
                .map(|a| a.iter().collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .filter(|i| ns.is_none_or(|ns| field(i, "metadata.namespace").as_deref() == Some(ns)))
                .collect();
            return match tail {
                [] => {
                    let items: Vec<&Value> = items
                        .into_iter()
                        .filter(|i| {
                            params.get("labelSelector").is_none_or(|s| {
                                selector_matches(s, |k| {
                                    i["metadata"]["labels"][k].as_str().map(str::to_owned)
                                })
                            })
                        })
                        .filter(|i| {
                            params.get("fieldSelector").is_none_or(|s| selector_matches(s, |k| field(i, k)))
                        })
                        .collect();
                    let mut l = list.clone();
                    l["items"] = json!(items);
                    (200, l.to_string())
                }
                [name] => {
                    match items.into_iter().find(|i| field(i, "metadata.name").as_deref() == Some(*name)) {
                        Some(i) => (200, i.to_string()),
                        None => (
                            404,
                            r#"{"kind":"Status","code":404,"reason":"NotFound","message":"not found"}"#
                                .to_owned(),
                        ),
                    }
                }
                _ => (404, "{}".to_owned()),
            };
        }
        // Discovery of the groups we hold; our server's group is absent (direct mode).
        if segments.first() == Some(&"apis") && segments.len() == 3 {
            let prefix = format!("/apis/{}/{}/", segments[1], segments[2]);
            if self.lists.keys().any(|k| k.starts_with(&prefix)) {
                return (200, json!({"kind": "APIResourceList", "groupVersion": format!("{}/{}", segments[1], segments[2]), "resources": []}).to_string());
            }
        }
        if path == "/api/v1/services" || path == "/api/v1/namespaces" {
            return (200, r#"{"kind":"List","items":[]}"#.to_owned());
        }
        (404, r#"{"kind":"Status","code":404,"reason":"NotFound","message":"the server could not find the requested resource"}"#.to_owned())
    }

    /// A host like frontend/js/host.js whose requests this cluster answers.
    fn host(self: &Rc<Self>) -> JsValue {
        let me = self.clone();
        let request = Closure::<dyn Fn(JsValue, JsValue, JsValue, JsValue) -> js_sys::Promise>::new(
            move |_cluster: JsValue, _method: JsValue, path: JsValue, _body: JsValue| {
                let (status, body) = me.answer(&path.as_string().unwrap_or_default());
                let answer = js_sys::Object::new();
                js_sys::Reflect::set(&answer, &"status".into(), &JsValue::from(status)).unwrap();
                js_sys::Reflect::set(&answer, &"body".into(), &JsValue::from_str(&body)).unwrap();
                js_sys::Promise::resolve(&JsValue::from(answer))
            },
        );
        let host = js_sys::Object::new();
        js_sys::Reflect::set(&host, &"request".into(), request.as_ref()).unwrap();
        request.forget();
        let href = js_sys::Function::new_with_args(
            "json",
            "const p = JSON.parse(json); return '/c/' + p.params.cluster + '/' + p.route + '/' + Object.keys(p.params).filter(k => k !== 'cluster').sort().map(k => p.params[k]).join('/');",
        );
        js_sys::Reflect::set(&host, &"href".into(), &href).unwrap();
        js_sys::Reflect::set(&host, &"navigate".into(), &js_sys::Function::new_no_args("")).unwrap();
        host.into()
    }

    fn requested(&self, part: &str) -> bool {
        self.seen.borrow().iter().any(|p| decode(p).contains(part))
    }
}

fn props(route: &str, params: Value, settings: Value) -> String {
    json!({"route": route, "params": params, "cluster": "demo", "settings": settings}).to_string()
}

/// The page text once `selector` shows up.
async fn mount_and_wait(
    cluster: &Rc<FakeCluster>,
    route: &str,
    params: Value,
    settings: Value,
    selector: &str,
) -> (web_sys::Element, frontend::Handle) {
    // Each test's cluster starts with an empty data cache: another test's answers must not leak in.
    frontend::data::source::reset_all();
    let el = host_element();
    let handle = frontend::mount(el.clone(), &props(route, params, settings), &cluster.host()).unwrap();
    let what = format!("{selector} on {route}");
    eventually(&what, || el.query_selector(selector).unwrap()).await;
    (el, handle)
}

// --- lists -----------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn scaled_objects_list_shows_state_replicas_and_health_from_the_capture() {
    let cluster = FakeCluster::new(demo("idle"));
    let (el, mut handle) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobjects",
        json!({}),
        json!({}),
        ".ai-table tbody tr td a",
    )
    .await;
    let headers = texts(&el, ".ai-table thead th");
    for h in [
        "Name",
        "Namespace",
        "Target",
        "State",
        "Replicas",
        "Min",
        "Max",
        "Triggers",
        "Ready",
        "Active",
        "Fallback",
        "Paused",
        "Health",
        "At zero",
        "Age",
    ] {
        assert!(headers.iter().any(|t| t.starts_with(h)), "column {h} in {headers:?}");
    }
    let rows: Vec<String> = texts(&el, ".ai-table tbody tr");
    let row = |name: &str| {
        rows.iter().find(|r| r.starts_with(name)).cloned().unwrap_or_else(|| panic!("row {name} in {rows:?}"))
    };
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert!(row("emails").contains("Paused"), "{}", row("emails"));
    assert!(row("payments").contains("Not ready"), "{}", row("payments"));
    assert!(row("legacy-api").contains("Fallback"), "{}", row("legacy-api"));
    assert!(row("reports").contains("StatefulSet/reports"), "{}", row("reports"));
    // The idle moment: orders is at zero, and the list says since when.
    assert!(row("orders").contains("At zero"), "{}", row("orders"));
    // Targets link to Headlamp's own Deployment page.
    let link = el.query_selector(".ai-table a[href*='Deployment']").unwrap();
    assert!(link.is_some(), "a target links to Headlamp's Deployment page");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn scaled_jobs_authentications_and_cloudevent_sources_are_listed() {
    let cluster = FakeCluster::new(demo("idle"));
    let (el, mut h) =
        mount_and_wait(&cluster, "autoscaling-scaledjobs", json!({}), json!({}), ".ai-table tbody tr td a")
            .await;
    assert_eq!(texts(&el, ".ai-table tbody tr td:first-child"), ["thumbnails"]);
    h.destroy();

    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-triggerauthentications",
        json!({}),
        json!({}),
        ".ai-table tbody tr td a",
    )
    .await;
    eventually("both tables", || (count(&el, ".ai-table") == 2).then_some(())).await;
    let all = el.text_content().unwrap();
    assert!(all.contains("redis-auth") && all.contains("shared-redis"), "{all}");
    h.destroy();

    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-cloudeventsources",
        json!({}),
        json!({}),
        ".ai-table tbody tr td a",
    )
    .await;
    let row = texts(&el, ".ai-table tbody tr").join(" ");
    assert!(row.contains("team-a-events") && row.contains("HTTP"), "{row}");
    h.destroy();
}

// --- details ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn scaled_object_page_shows_live_values_hpa_events_and_says_what_needs_the_server() {
    let cluster = FakeCluster::new(demo("scaling-out"));
    let (el, mut handle) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobject",
        json!({"namespace": "team-a", "name": "orders"}),
        json!({}),
        ".ai-trigger",
    )
    .await;
    let trigger = texts(&el, ".ai-trigger").join(" ");
    assert!(trigger.contains("orders-queue") && trigger.contains("redis"), "{trigger}");
    assert!(trigger.contains("target 10 per replica"), "{trigger}");
    assert!(trigger.contains("activation above 1"), "{trigger}");
    // The live value came from the External Metrics API (as the HPA asks for it).
    assert!(cluster.requested("/apis/external.metrics.k8s.io/v1beta1/namespaces/team-a/s0-redis-orders"));
    let meter = el.query_selector(".ai-trigger [role=meter]").unwrap().expect("a meter per trigger");
    assert!(meter.get_attribute("aria-valuenow").is_some(), "the bar has the live value");
    // The HPA is the one KEDA named in status.hpaName.
    let hpa = eventually("the HPA section", || {
        texts(&el, "section").into_iter().find(|t| t.starts_with("Horizontal Pod Autoscaler"))
    })
    .await;
    assert!(hpa.contains("keda-hpa-orders"), "{hpa}");
    // Events were asked for by this object's uid only.
    eventually("events asked by uid", || cluster.requested("involvedObject.uid=").then_some(())).await;
    // Direct mode: no journal, and the page says why; no Prometheus found, and the chart says why.
    eventually("the journal note", || el.query_selector("[data-testid=journal-needs-server]").unwrap()).await;
    let chart =
        eventually("the chart's reason", || el.query_selector("[data-testid=chart-unavailable]").unwrap())
            .await;
    assert!(chart.text_content().unwrap().contains("Prometheus"), "{:?}", chart.text_content());
    // Spec details: polling 5s, cooldown 45s, HPA behavior from advanced.
    let settings = eventually("the settings", || {
        texts(&el, "section").into_iter().find(|t| t.starts_with("Scaling settings") && t.contains("Polling"))
    })
    .await;
    assert!(settings.contains("5s") && settings.contains("45s"), "{settings}");
    assert!(settings.contains("stabilization window 30s"), "{settings}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn failing_and_paused_scalers_say_so() {
    let cluster = FakeCluster::new(demo("idle"));
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobject",
        json!({"namespace": "team-c", "name": "payments"}),
        json!({}),
        ".ai-trigger",
    )
    .await;
    let page = el.text_content().unwrap();
    assert!(page.contains("Failing") || page.contains("Not ready"), "{page}");
    h.destroy();
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobject",
        json!({"namespace": "team-a", "name": "emails"}),
        json!({}),
        ".ai-trigger, .ai-name-value",
    )
    .await;
    eventually("paused state", || el.text_content().unwrap().contains("Paused").then_some(())).await;
    eventually("the paused-replicas annotation", || {
        el.text_content().unwrap().contains("autoscaling.keda.sh/paused-replicas").then_some(())
    })
    .await;
    h.destroy();
}

#[wasm_bindgen_test]
async fn scaled_job_page_counts_succeeded_over_completions() {
    let cluster = FakeCluster::new(demo("idle"));
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledjob",
        json!({"namespace": "team-c", "name": "thumbnails"}),
        json!({}),
        "[data-testid=scaledjob-detail]",
    )
    .await;
    let jobs = eventually("the Jobs table", || {
        let t = texts(&el, "table[aria-label=Jobs] tbody tr");
        (!t.is_empty()).then_some(t)
    })
    .await;
    // Every completed Job of the demo has 1 completion of 1: "1/1", never parallelism.
    assert!(jobs.iter().any(|r| r.contains("1/1")), "{jobs:?}");
    let page = el.text_content().unwrap();
    assert!(page.contains("Job settings") && page.contains("Polling interval"), "{page}");
    h.destroy();
}

#[wasm_bindgen_test]
async fn authentication_pages_name_secrets_and_never_read_them() {
    let cluster = FakeCluster::new(demo("idle"));
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-triggerauthentication",
        json!({"namespace": "team-a", "name": "redis-auth"}),
        json!({}),
        "[data-testid=triggerauthentication-detail]",
    )
    .await;
    let secrets = eventually("the Secrets table", || {
        let t = texts(&el, "table[aria-label=Secrets] tbody tr");
        (!t.is_empty()).then_some(t)
    })
    .await;
    assert!(secrets.iter().any(|r| r.contains("redis-auth")), "{secrets:?}");
    let link = el
        .query_selector("table[aria-label=Secrets] a")
        .unwrap()
        .expect("the Secret links to Headlamp's page");
    assert!(link.get_attribute("href").unwrap().contains("/secret/"), "{:?}", link.get_attribute("href"));
    assert!(!cluster.requested("/secrets"), "no Secret was read: {:?}", cluster.seen.borrow());
    h.destroy();

    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-clustertriggerauthentication",
        json!({"name": "shared-redis"}),
        json!({}),
        "[data-testid=triggerauthentication-detail]",
    )
    .await;
    let page = el.text_content().unwrap();
    assert!(page.contains("ClusterTriggerAuthentication") && page.contains("KEDA's namespace"), "{page}");
    assert!(!cluster.requested("/secrets"));
    h.destroy();

    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-cloudeventsource",
        json!({"namespace": "team-a", "name": "team-a-events"}),
        json!({}),
        "[data-testid=cloudeventsource-detail]",
    )
    .await;
    let page = el.text_content().unwrap();
    assert!(page.contains("Destination") && page.contains("HTTP"), "{page}");
    h.destroy();
}

// --- charts ----------------------------------------------------------------------------------------------

fn prometheus_answers(metric_status: u16) -> BTreeMap<String, (u16, String)> {
    let proxy = "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query_range?query=keda_scaler_metrics_value";
    let replicas = "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query_range?query=label_replace(kube_horizontalpodautoscaler";
    let metric_body = if metric_status == 200 {
        include_str!("fixtures/prometheus-orders-metric.json").to_owned()
    } else {
        r#"{"kind":"Status","code":503,"message":"no endpoints available for service \"prometheus\""}"#
            .to_owned()
    };
    BTreeMap::from([
        (proxy.to_owned(), (metric_status, metric_body)),
        (
            replicas.to_owned(),
            (metric_status, include_str!("fixtures/prometheus-orders-replicas.json").to_owned()),
        ),
    ])
}

#[wasm_bindgen_test]
async fn history_charts_every_series_with_target_and_activation_and_replicas_beneath() {
    let cluster = FakeCluster::with(demo("scaling-out"), prometheus_answers(200));
    let settings = json!({"prometheus": {"mode": "service", "service": "monitoring/prometheus:9090"}});
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobject",
        json!({"namespace": "team-a", "name": "orders"}),
        settings,
        ".ai-chart-svg",
    )
    .await;
    let charts = eventually("the metric and the replicas chart", || {
        let n = count(&el, ".ai-chart-svg");
        (n >= 2).then_some(n)
    })
    .await;
    assert_eq!(charts, 2, "one chart per trigger, one of replicas");
    // The metric chart: the series and target × replicas as lines, activation as a rule.
    let legend = el.query_selector(".ai-chart-panel .ai-legend").unwrap().unwrap().text_content().unwrap();
    assert!(
        legend.contains("orders-queue")
            && legend.contains("target × replicas")
            && legend.contains("activation"),
        "{legend}"
    );
    let first = el.query_selector(".ai-chart-svg").unwrap().unwrap();
    assert_eq!(count(&first, "path.ai-chart-line"), 2);
    assert_eq!(count(&first, "line.ai-chart-rule"), 1);
    // Replicas: current and desired (every series) with min and max.
    let replicas = el
        .query_selector_all(".ai-chart-svg")
        .unwrap()
        .item(1)
        .unwrap()
        .dyn_into::<web_sys::Element>()
        .unwrap();
    assert_eq!(count(&replicas, "path.ai-chart-line"), 2);
    assert_eq!(count(&replicas, "line.ai-chart-rule"), 2);
    // Lines are drawn with theme variables only.
    let stroke =
        first.query_selector("path.ai-chart-line").unwrap().unwrap().get_attribute("stroke").unwrap();
    assert!(stroke.starts_with("var(--ai-"), "{stroke}");
    // The range picker asks again for 6 hours (step 180 s).
    let six: web_sys::HtmlElement =
        el.query_selector_all(".ai-toggle").unwrap().item(2).unwrap().dyn_into().unwrap();
    assert_eq!(six.text_content().unwrap(), "6h");
    six.click();
    eventually("a 6 h query", || cluster.requested("step=180").then_some(())).await;
    h.destroy();
}

#[wasm_bindgen_test]
async fn an_unreachable_prometheus_is_said_not_blank() {
    let cluster = FakeCluster::with(demo("idle"), prometheus_answers(503));
    let settings = json!({"prometheus": {"mode": "service", "service": "monitoring/prometheus:9090"}});
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobject",
        json!({"namespace": "team-a", "name": "orders"}),
        settings,
        "[data-testid=chart-unavailable]",
    )
    .await;
    let text = el.query_selector("[data-testid=chart-unavailable]").unwrap().unwrap().text_content().unwrap();
    assert!(text.contains("unreachable") && text.contains("monitoring/prometheus:9090"), "{text}");
    h.destroy();
}

#[derive(Properties, PartialEq)]
struct ChartHarness {
    lines: Rc<[Line]>,
    rules: Rc<[Rule]>,
}

#[function_component]
fn ChartHost(p: &ChartHarness) -> Html {
    html! { <Chart label="test chart" start={0.0} end={100.0} lines={p.lines.clone()} rules={p.rules.clone()} /> }
}

#[wasm_bindgen_test]
async fn the_chart_draws_each_series_and_moves_its_cursor_by_keyboard() {
    let el = host_element();
    let line = |label: &str, i: usize| {
        let (ink, dash) = Ink::series(i);
        Line {
            label: label.to_owned(),
            points: vec![(0.0, 1.0), (50.0, 5.0), (100.0, 2.0)].into(),
            ink,
            dash,
            step: false,
        }
    };
    let lines: Rc<[Line]> = vec![line("<img src=x onerror=alert(1)>", 0), line("b", 1), line("c", 5)].into();
    let rules: Rc<[Rule]> =
        vec![Rule { label: "target".into(), value: 4.0, ink: Ink::Error, dash: Dash::Dashed }].into();
    let app =
        yew::Renderer::<ChartHost>::with_root_and_props(el.clone(), ChartHarness { lines, rules }).render();
    eventually("three lines", || (count(&el, "path.ai-chart-line") == 3).then_some(())).await;
    assert_eq!(count(&el, "img"), 0, "labels are text");
    assert!(texts(&el, ".ai-legend").join("").contains("<img src=x onerror=alert(1)>"));
    // The sixth series differs from the second by its dash pattern.
    let dashes: Vec<Option<String>> = (0..3)
        .map(|i| {
            el.query_selector_all("path.ai-chart-line")
                .unwrap()
                .item(i)
                .unwrap()
                .dyn_into::<web_sys::Element>()
                .unwrap()
                .get_attribute("stroke-dasharray")
        })
        .collect();
    assert_eq!(dashes[0], None);
    assert!(dashes[2].is_some());
    // Keyboard: Home puts the cursor at the start; the legend shows the values there.
    let svg = el.query_selector(".ai-chart-svg").unwrap().unwrap();
    svg.dispatch_event(&keydown("Home")).unwrap();
    eventually("the cursor", || (count(&el, ".ai-chart-cursor") == 1).then_some(())).await;
    assert!(
        texts(&el, ".ai-legend-value").iter().all(|v| v == "1" || v == "4"),
        "{:?}",
        texts(&el, ".ai-legend-value")
    );
    app.destroy();
}

// --- a long list is windowed -----------------------------------------------------------------------------

#[derive(Clone, PartialEq)]
struct Item {
    name: String,
    n: usize,
}

static ITEM_COLUMNS: &[Column<Item>] = &[
    Column {
        label: "Name",
        cell: |r| html! { <Link route={Route::ScaledObject { namespace: "ns".into(), name: r.name.clone() }}>{ r.name.clone() }</Link> },
        sort: Some(|a, b| a.name.cmp(&b.name)),
        text: Some(|r| r.name.clone()),
    },
    Column { label: "N", cell: |r| html! { r.n }, sort: Some(|a, b| a.n.cmp(&b.n)), text: None },
];

fn item_key(r: &Item) -> String {
    r.name.clone()
}

#[derive(Properties, PartialEq)]
struct ManyRows {
    rows: Rc<[Item]>,
}

#[function_component]
fn ManyHost(p: &ManyRows) -> Html {
    html! { <Table<Item> rows={p.rows.clone()} columns={ITEM_COLUMNS} row_key={item_key as fn(&Item) -> String} label="many" /> }
}

#[wasm_bindgen_test]
async fn five_thousand_rows_keep_only_the_rows_in_view_in_the_dom() {
    let el = host_element();
    // The plugin's stylesheet (mount() adds it; this test renders the Table alone): it gives the
    // scrolling box its height.
    let document = web_sys::window().unwrap().document().unwrap();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../src/style.css")));
    document.head().unwrap().append_child(&style).unwrap();
    let rows: Rc<[Item]> = (0..5000).map(|n| Item { name: format!("so-{n:05}"), n }).collect();
    let app = yew::Renderer::<ManyHost>::with_root_and_props(el.clone(), ManyRows { rows }).render();
    let first = eventually("the first rows", || {
        let t = texts(&el, "tbody tr:not(.ai-table-spacer) td:first-child");
        (!t.is_empty()).then_some(t)
    })
    .await;
    assert_eq!(first[0], "so-00000");
    let in_dom = count(&el, "tbody tr:not(.ai-table-spacer)");
    assert!(in_dom < 60, "{in_dom} rows in the DOM");
    assert_eq!(
        el.query_selector("table").unwrap().unwrap().get_attribute("aria-rowcount").as_deref(),
        Some("5001")
    );

    // Scrolling to row 2,500 renders that row (and not the first ones).
    let scroller = el.query_selector(".ai-table-scroll").unwrap().expect("a scrolling box");
    scroller.set_scroll_top((2500.0 * frontend::components::table::ROW_PX) as i32);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    eventually("row 2500", || {
        texts(&el, "tbody td:first-child").contains(&"so-02500".to_owned()).then_some(())
    })
    .await;
    assert!(!texts(&el, "tbody td:first-child").contains(&"so-00000".to_owned()));

    // Keyboard: End highlights the last row and brings it into the DOM.
    scroller.dispatch_event(&keydown("End")).unwrap();
    let last =
        eventually("the last row highlighted", || el.query_selector("tr.ai-row-active").unwrap()).await;
    assert_eq!(last.get_attribute("aria-rowindex").as_deref(), Some("5001"));
    assert!(last.text_content().unwrap().contains("so-04999"));
    assert!(count(&el, "tbody tr:not(.ai-table-spacer)") < 60);

    // Sorting 5,000 rows descending puts so-04999 first.
    let name: web_sys::HtmlElement = el.query_selector("th button").unwrap().unwrap().dyn_into().unwrap();
    name.click();
    name.click();
    scroller.set_scroll_top(0);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    eventually("descending", || {
        (texts(&el, "tbody tr:not(.ai-table-spacer) td:first-child").first().map(String::as_str)
            == Some("so-04999"))
        .then_some(())
    })
    .await;
    app.destroy();
    style.remove();
}

// --- hostile data ----------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn hostile_names_labels_annotations_and_missing_fields_render_as_text() {
    let mut lists = demo("idle");
    let so = lists.get_mut("/apis/keda.sh/v1alpha1/scaledobjects").unwrap();
    let items = so["items"].as_array_mut().unwrap();
    let evil = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    // One object with hostile text everywhere the page shows text, a huge annotation...
    items[0]["metadata"]["annotations"]["note"] = json!(format!("{evil}{}", "x".repeat(200_000)));
    items[0]["metadata"]["labels"] = json!({"app": evil});
    items[0]["spec"]["triggers"][0]["metadata"]["evil"] = json!(evil);
    items[0]["spec"]["triggers"][0]["name"] = json!(evil);
    // ...one without status or triggers, one with odd shapes.
    items[1].as_object_mut().unwrap().remove("status");
    items[1]["spec"].as_object_mut().unwrap().remove("triggers");
    items[2]["spec"]["minReplicaCount"] = json!("three");
    items[2]["status"]["conditions"] = json!("not a list");
    // A link built from cluster data must stay a path, whatever the data says.
    items[3]["spec"]["scaleTargetRef"]["name"] = json!("javascript:alert(3)");
    items[3]["metadata"]["annotations"]["link"] = json!("javascript:alert(4)");
    let first = items[0]["metadata"]["name"].as_str().unwrap().to_owned();
    let ns = items[0]["metadata"]["namespace"].as_str().unwrap().to_owned();
    let cluster = FakeCluster::new(lists);
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobjects",
        json!({}),
        json!({}),
        ".ai-table tbody tr td a",
    )
    .await;
    assert_eq!(
        count(&el, "tbody tr:not(.ai-table-spacer)"),
        7,
        "every object is a row: {:?}",
        texts(&el, "tbody tr")
    );
    assert_eq!(count(&el, "img, script:not(style)"), 0);
    let rows = texts(&el, "tbody tr").join(" | ");
    assert!(rows.contains("javascript:alert(3)"), "the hostile target is listed: {rows}");
    let anchors = el.query_selector_all("a").unwrap();
    for i in 0..anchors.length() {
        let a: web_sys::Element = anchors.item(i).unwrap().dyn_into().unwrap();
        let href = a.get_attribute("href").unwrap_or_default();
        assert!(!href.trim().to_ascii_lowercase().starts_with("javascript:"), "a link runs script: {href}");
    }
    h.destroy();
    let (el, mut h) = mount_and_wait(
        &cluster,
        "autoscaling-scaledobject",
        json!({"namespace": ns, "name": first}),
        json!({}),
        ".ai-trigger",
    )
    .await;
    assert_eq!(count(&el, "img"), 0);
    assert_eq!(count(&el, ".ai-root script"), 0);
    assert!(el.text_content().unwrap().contains(evil), "hostile text is shown as text");
    h.destroy();
}
