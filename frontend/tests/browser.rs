//! Components and the mount API in a real browser (headless Chromium through wasm-bindgen-test).
//! Run by `cargo xtask test`; alone: `cargo test -p frontend --target wasm32-unknown-unknown --test browser`
//! with the runner and CHROMEDRIVER set as xtask sets them.
#![cfg(target_arch = "wasm32")]

use frontend::components::{Column, Table};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{eventually, host_element, texts};

// --- Table -----------------------------------------------------------------------------------------

#[derive(Clone, PartialEq)]
struct Row {
    name: &'static str,
    replicas: u32,
}

static COLUMNS: &[Column<Row>] = &[
    Column {
        label: "Name",
        cell: |r| html! { r.name },
        sort: Some(|a, b| a.name.cmp(b.name)),
        text: Some(|r| r.name.to_owned()),
    },
    Column {
        label: "Replicas",
        cell: |r| html! { r.replicas },
        sort: Some(|a, b| a.replicas.cmp(&b.replicas)),
        text: None,
    },
];

fn row_key(r: &Row) -> String {
    r.name.to_owned()
}

#[derive(Properties, PartialEq)]
struct Harness {
    rows: Rc<[Row]>,
    filter: AttrValue,
}

#[function_component]
fn TableHarness(p: &Harness) -> Html {
    html! { <Table<Row> rows={p.rows.clone()} columns={COLUMNS} row_key={row_key as fn(&Row) -> String} filter={p.filter.clone()} label="rows" /> }
}

fn rows() -> Rc<[Row]> {
    Rc::from(vec![
        Row { name: "web", replicas: 3 },
        Row { name: "api", replicas: 1 },
        Row { name: "<script>alert(1)</script>", replicas: 2 },
    ])
}

#[wasm_bindgen_test]
async fn table_sorts_filters_and_renders_text_never_html() {
    let el = host_element();
    let mut app = yew::Renderer::<TableHarness>::with_root_and_props(
        el.clone(),
        Harness { rows: rows(), filter: "".into() },
    )
    .render();
    eventually("three rows", || (texts(&el, "tbody tr").len() == 3).then_some(())).await;
    // Hostile data is text: no <script> element was created.
    assert_eq!(el.query_selector_all("tbody script").unwrap().length(), 0);
    assert_eq!(texts(&el, "tbody tr td:first-child")[2], "<script>alert(1)</script>");

    // Click "Replicas": ascending, then descending.
    let header = |i: u32| -> web_sys::HtmlElement {
        el.query_selector_all("th button").unwrap().item(i).unwrap().dyn_into().unwrap()
    };
    header(1).click();
    eventually("ascending by replicas", || {
        (texts(&el, "tbody tr td:last-child") == ["1", "2", "3"]).then_some(())
    })
    .await;
    assert_eq!(
        el.query_selector("th[aria-sort=ascending]").unwrap().unwrap().text_content().unwrap(),
        "Replicas"
    );
    header(1).click();
    eventually("descending by replicas", || {
        (texts(&el, "tbody tr td:last-child") == ["3", "2", "1"]).then_some(())
    })
    .await;

    // The filter searches the Name column, case-insensitively, and says how many rows it hides.
    app.update(Harness { rows: rows(), filter: "WE".into() });
    eventually("filtered to web", || (texts(&el, "tbody tr td:first-child") == ["web"]).then_some(())).await;
    assert_eq!(texts(&el, ".ai-table-count"), ["1 of 3 shown"]);
    app.update(Harness { rows: rows(), filter: "nothing-matches".into() });
    eventually("the no-match row", || {
        (texts(&el, "tbody tr") == ["No results match the filter."]).then_some(())
    })
    .await;

    // Destroy is scheduled (Yew runs it on the microtask queue), then the element is empty.
    app.destroy();
    eventually("destroy to empty the element", || (el.child_element_count() == 0).then_some(())).await;
}

// --- mount / update / destroy with a bridge ----------------------------------------------------------

/// The ScaledObjects KEDA wrote (an upstream example with a real operator's status) as a list body.
fn scaled_object_list() -> String {
    let yaml = include_str!("../../testdata/examples/keda/scaledobject-list-status-2024.yaml");
    let value: serde_json::Value = serde_yaml::from_str(yaml).expect("fixture is YAML");
    value.to_string()
}

/// A host like frontend/js/host.js that records the paths asked for and answers like an API server
/// holding only ScaledObjects: the ScaledObject list with `status` and `body`, KEDA's discovery (absent
/// when `status` is 404), every other list empty, anything else 404 (so no Insights server: direct mode).
fn host(status: u16, body: &str, seen: &js_sys::Array) -> JsValue {
    let request = js_sys::Function::new_with_args(
        "cluster, method, path, body",
        &format!(
            r#"this.push(cluster + ' ' + method + ' ' + path);
            const p = path.split('?')[0];
            if (/^\/apis\/keda\.sh\/v1alpha1(\/namespaces\/[^/]+)?\/scaledobjects$/.test(p))
              return Promise.resolve({{status: {status}, body: {body}}});
            if (p === '/apis/keda.sh/v1alpha1' && {status} !== 404)
              return Promise.resolve({{status: 200, body: JSON.stringify({{kind: 'APIResourceList', groupVersion: 'keda.sh/v1alpha1', resources: []}})}});
            if (/^\/(api\/v1|apis\/[^/]+\/[^/]+)(\/namespaces\/[^/]+)?\/[a-z]+$/.test(p) && !p.startsWith('/apis/insights.'))
              return Promise.resolve({{status: 200, body: JSON.stringify({{kind: 'List', items: []}})}});
            return Promise.resolve({{status: 404, body: '404 page not found'}});"#,
            body = serde_json::to_string(body).unwrap()
        ),
    )
    .bind0(seen);
    let host = js_sys::Object::new();
    js_sys::Reflect::set(&host, &"request".into(), &request).unwrap();
    let href = js_sys::Function::new_with_args(
        "json",
        "const p = JSON.parse(json); return '/c/' + p.params.cluster + '/' + p.route;",
    );
    js_sys::Reflect::set(&host, &"href".into(), &href).unwrap();
    js_sys::Reflect::set(&host, &"navigate".into(), &js_sys::Function::new_no_args("")).unwrap();
    host.into()
}

/// Whether `seen` holds a request starting with `prefix`.
fn asked(seen: &js_sys::Array, prefix: &str) -> bool {
    seen.to_vec().iter().filter_map(JsValue::as_string).any(|p| p.starts_with(prefix))
}

const LIST_PROPS: &str = r#"{"route":"autoscaling-scaledobjects","params":{},"cluster":"prod"}"#;

/// The list's props for cluster `cluster` (answers are cached per cluster for the whole page, so each
/// test that counts requests or expects an error uses a cluster of its own).
fn list_props(cluster: &str) -> String {
    format!(r#"{{"route":"autoscaling-scaledobjects","params":{{}},"cluster":"{cluster}"}}"#)
}

#[wasm_bindgen_test]
async fn scaled_object_list_renders_rows_from_the_bridge() {
    let el = host_element();
    let seen = js_sys::Array::new();
    let mut handle =
        frontend::mount(el.clone(), &list_props("rows"), &host(200, &scaled_object_list(), &seen)).unwrap();
    let names = eventually("a row per object", || {
        let names = texts(&el, ".ai-table tbody tr td:first-child");
        (!names.is_empty()).then_some(names)
    })
    .await;
    assert_eq!(names, ["cfos7210250-deployment-new-scaler"]);
    assert!(asked(&seen, "rows GET /apis/keda.sh/v1alpha1/scaledobjects"), "{:?}", seen.to_vec());
    let row = texts(&el, ".ai-table tbody tr").join("");
    for expected in ["default", "Deployment/cfos7210250-deployment-new", "metrics-api", "Active", "Yes"] {
        assert!(row.contains(expected), "row shows {expected}: {row}");
    }
    // Links carry the host's URL of the detail route, for middle-click and copy-link.
    let link = el.query_selector(".ai-table a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").unwrap(), "/c/rows/autoscaling-scaledobject");

    // The style lives inside the mounted root; destroy removes it with everything else.
    assert!(el.query_selector("style").unwrap().is_some());
    handle.destroy();
    eventually("destroy to empty the element", || (el.child_element_count() == 0).then_some(())).await;
    handle.destroy(); // twice is harmless
}

#[wasm_bindgen_test]
async fn update_switches_the_view_and_cluster() {
    let el = host_element();
    let seen = js_sys::Array::new();
    let mut handle =
        frontend::mount(el.clone(), LIST_PROPS, &host(200, &scaled_object_list(), &seen)).unwrap();
    eventually("the list", || (!texts(&el, ".ai-table tbody tr").is_empty()).then_some(())).await;
    handle.update(r#"{"route":"autoscaling-scaledobjects","params":{},"cluster":"staging"}"#).unwrap();
    eventually("a fetch for the other cluster", || {
        asked(&seen, "staging GET /apis/keda.sh/v1alpha1/scaledobjects").then_some(())
    })
    .await;
    handle
        .update(r#"{"route":"autoscaling-scaledobject","params":{"namespace":"default","name":"web"},"cluster":"staging"}"#)
        .unwrap();
    eventually("the detail fetch", || {
        asked(&seen, "staging GET /apis/keda.sh/v1alpha1/namespaces/default/scaledobjects").then_some(())
    })
    .await;
    assert!(handle.update("not json").is_err(), "bad props are an error, not a panic");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn headlamp_namespace_filter_scopes_the_list() {
    let el = host_element();
    let props =
        r#"{"route":"autoscaling-scaledobjects","params":{},"cluster":"prod","namespaces":["team-a"]}"#;
    let mut handle =
        frontend::mount(el.clone(), props, &host(200, &scaled_object_list(), &js_sys::Array::new())).unwrap();
    // The only object is in `default`: the table says nothing matches, and why.
    eventually("the scoped table", || {
        (texts(&el, ".ai-table tbody tr") == ["No results match the filter."]).then_some(())
    })
    .await;
    assert_eq!(texts(&el, ".ai-scope"), ["Namespaces: team-a (Headlamp's namespace filter)"]);
    handle.update(LIST_PROPS).unwrap();
    eventually("all namespaces again", || {
        (texts(&el, ".ai-table tbody tr td:first-child") == ["cfos7210250-deployment-new-scaler"])
            .then_some(())
    })
    .await;
    assert!(texts(&el, ".ai-scope").is_empty());
    handle.destroy();
}

#[wasm_bindgen_test]
async fn forbidden_is_no_permission_and_missing_api_is_not_installed() {
    for (status, body, kind, title) in [
        (
            403,
            r#"{"kind":"Status","message":"scaledobjects.keda.sh is forbidden: User \"bob\" cannot list","reason":"Forbidden","code":403}"#,
            "forbidden",
            "No permission",
        ),
        (404, "404 page not found", "not-installed", "Not installed"),
        (0, "Failed to fetch", "failed", "Cluster not reachable"),
        (200, "{not json", "failed", "Unexpected answer"),
    ] {
        let el = host_element();
        let mut handle = frontend::mount(
            el.clone(),
            &list_props(&format!("err-{kind}-{status}")),
            &host(status, body, &js_sys::Array::new()),
        )
        .unwrap();
        let panel = eventually("the error panel", || el.query_selector(".ai-panel-error").unwrap()).await;
        assert_eq!(panel.get_attribute("data-error").as_deref(), Some(kind), "status {status}");
        assert!(
            panel.text_content().unwrap().starts_with(title),
            "status {status}: {:?}",
            panel.text_content()
        );
        handle.destroy();
    }
}

#[wasm_bindgen_test]
fn mount_rejects_a_host_without_its_functions() {
    let el = host_element();
    let err = frontend::mount(el, LIST_PROPS, &js_sys::Object::new().into()).err().expect("an error");
    let message: js_sys::Error = JsValue::from(err).dyn_into().unwrap();
    assert!(String::from(message.message()).contains("request"));
}
