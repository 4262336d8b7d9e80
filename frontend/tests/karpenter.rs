//! The Karpenter and node components in a real browser (headless Chromium through
//! wasm-bindgen-test): usage bars with exact quantities, the step waterfall, events and conditions
//! tables, gap notes, and the scaling chain rendered from `model`'s join over objects captured from
//! the demo scenario (testdata/demo/blocked). Hostile text stays text.
//! Alone: `cargo test -p frontend --target wasm32-unknown-unknown --test karpenter` (runner and
//! CHROMEDRIVER as `cargo xtask` sets them).
#![cfg(target_arch = "wasm32")]

use frontend::components::conditions::ConditionsTable;
use frontend::components::events::EventsTable;
use frontend::components::requirements::RequirementsTable;
use frontend::components::steps::{Step, Steps, mark_slowest};
use frontend::components::usage::UsageBar;
use frontend::views::chains::detail::ChainView;
use model::chain::{Chain, chains};
use model::k8s::{Event, Pod, Workload};
use model::karpenter::{NodeClaim, NodePool, Requirement};
use model::keda::ScaledObject;
use model::meta::{Condition, parse_list};
use model::quantity::Quantity;
use model::snapshot::{Index, OwnedSnapshot};
use model::time::Time;
use model::usage::ResourceUsage;
use std::rc::Rc;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{count, eventually, host_element, texts};

/// Renders `html` (a closure, so each test builds its own props) into a fresh element.
#[derive(Properties)]
struct Render {
    view: Rc<dyn Fn() -> Html>,
}

impl PartialEq for Render {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[function_component]
fn Harness(p: &Render) -> Html {
    (p.view)()
}

async fn render(what: &str, view: impl Fn() -> Html + 'static) -> web_sys::Element {
    let el = host_element();
    yew::Renderer::<Harness>::with_root_and_props(el.clone(), Render { view: Rc::new(view) }).render();
    eventually(what, || el.first_element_child().map(|_| ())).await;
    el
}

fn q(s: &str) -> Quantity {
    Quantity::parse(s).expect("quantity")
}

#[wasm_bindgen_test]
async fn usage_bars_say_exact_cores_and_bytes() {
    let cpu = ResourceUsage::new("cpu", q("1500m"), Some(q("4")));
    let el = render("a CPU bar", move || html! { <UsageBar usage={cpu.clone()} /> }).await;
    assert_eq!(texts(&el, ".ai-bar-label"), ["1.5 / 4 cores (38%)"]);
    let meter = el.query_selector("[role=meter]").unwrap().unwrap();
    assert_eq!(meter.get_attribute("aria-valuenow").as_deref(), Some("1.5"));

    let memory = ResourceUsage::new("memory", q("1.5Gi"), None);
    let el =
        render("an unbounded memory amount", move || html! { <UsageBar usage={memory.clone()} /> }).await;
    assert_eq!(el.text_content().unwrap(), "1.5Gi (no limit)", "1.5Gi is not 0");
    assert_eq!(count(&el, "[role=meter]"), 0, "no bar without a bound");

    let full = ResourceUsage::new("cpu", q("2100m"), Some(q("2")));
    let el =
        render("a compact full bar", move || html! { <UsageBar usage={full.clone()} compact=true /> }).await;
    assert_eq!(texts(&el, ".ai-bar-label"), ["105%"]);
    assert_eq!(
        el.query_selector(".ai-usage").unwrap().unwrap().get_attribute("title").as_deref(),
        Some("2.1 / 2 cores")
    );
    assert_eq!(count(&el, ".ai-bar-fill.ai-tone-error"), 1, "over the bound is an error");
}

fn step(label: &str, at: Option<i64>, after: Option<f64>) -> Step {
    Step {
        label: label.to_owned(),
        at: at.map(Time::from_unix_seconds),
        after_seconds: after,
        detail: None,
        slowest: false,
        failed: false,
    }
}

#[wasm_bindgen_test]
async fn the_waterfall_marks_the_slowest_step_and_what_has_not_happened() {
    let mut steps = vec![
        step("Created", Some(1000), None),
        step("Launched", Some(1002), Some(2.0)),
        step("Registered", Some(1032), Some(30.0)),
    ];
    steps.push(step("Initialized", None, None));
    mark_slowest(&mut steps);
    let steps: Rc<[Step]> = steps.into();
    let el =
        render("the waterfall", move || html! { <Steps steps={steps.clone()} label="lifecycle" /> }).await;
    let states: Vec<String> = {
        let rows = el.query_selector_all(".ai-wf-row").unwrap();
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .map(|n| {
                wasm_bindgen::JsCast::unchecked_into::<web_sys::Element>(n)
                    .get_attribute("data-state")
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(states, ["done", "done", "slowest", "pending"]);
    assert_eq!(texts(&el, ".ai-wf-took"), ["start", "+2s", "+30s", "not yet"]);
    assert!(el.text_content().unwrap().contains("slowest"));
}

fn event(uid: &str, reason: &str, message: &str, at: i64) -> Event {
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": uid, "namespace": "default", "uid": uid},
        "involvedObject": {"kind": "NodeClaim", "name": "c", "uid": "claim"},
        "reason": reason, "message": message, "type": "Normal", "count": 1,
        "lastTimestamp": Time::from_unix_seconds(at).to_rfc3339(),
        "source": {"component": "karpenter"}
    }))
    .expect("event")
}

#[wasm_bindgen_test]
async fn events_show_newest_first_and_say_when_there_are_none() {
    let events: Rc<[Event]> = vec![
        event("a", "Launched", "first", 1000),
        event("b", "Registered", "<img src=x onerror=alert(1)>", 2000),
    ]
    .into();
    let el =
        render("events", move || html! { <EventsTable events={events.clone()} about="this NodeClaim" /> })
            .await;
    let reasons = texts(&el, "tbody tr td:nth-child(2)");
    assert_eq!(reasons, ["Registered", "Launched"], "newest first");
    assert_eq!(count(&el, "img"), 0, "messages are text");
    assert!(el.text_content().unwrap().contains("<img src=x onerror=alert(1)>"));

    let none: Rc<[Event]> = Vec::new().into();
    let el =
        render("no events", move || html! { <EventsTable events={none.clone()} about="this NodeClaim" /> })
            .await;
    assert!(el.text_content().unwrap().contains("No events about this NodeClaim"));
}

#[wasm_bindgen_test]
async fn every_condition_is_shown_with_a_tone_that_reads_right() {
    let c = |t: &str, s: &str| Condition { type_: t.into(), status: s.into(), ..Default::default() };
    let conditions: Rc<[Condition]> =
        vec![c("Ready", "True"), c("Drifted", "True"), c("Launched", "False")].into();
    let el =
        render("conditions", move || html! { <ConditionsTable conditions={conditions.clone()} /> }).await;
    assert_eq!(texts(&el, "tbody tr td:first-child"), ["Ready", "Drifted", "Launched"]);
    assert_eq!(count(&el, ".ai-chip.ai-tone-success"), 1);
    assert_eq!(count(&el, ".ai-chip.ai-tone-warning"), 1, "Drifted=True is a concern, not health");
    assert_eq!(count(&el, ".ai-chip.ai-tone-error"), 1);
}

#[wasm_bindgen_test]
async fn requirement_values_are_text() {
    let reqs: Rc<[Requirement]> = vec![Requirement {
        key: "example.com/x".into(),
        operator: "In".into(),
        values: vec!["<script>window.__pwned=1</script>".into()],
        min_values: Some(2),
    }]
    .into();
    let el =
        render("requirements", move || html! { <RequirementsTable requirements={reqs.clone()} /> }).await;
    assert_eq!(count(&el, "script"), 0);
    assert!(el.text_content().unwrap().contains("<script>window.__pwned=1</script>"));
}

// --- the chain of team-b/web, joined by `model` over the captured demo objects ------------------------

fn items<T: model::tolerant::Tolerant + model::meta::HasMeta>(json: &str) -> Vec<T> {
    parse_list::<T>(json).expect("captured list").items
}

fn workloads(json: &str, api_version: &str, kind: &str) -> Vec<Workload> {
    items::<Workload>(json)
        .into_iter()
        .map(|mut w| {
            w.api_version = api_version.to_owned();
            w.kind = kind.to_owned();
            w
        })
        .collect()
}

fn blocked_chain() -> Chain {
    let mut snap = OwnedSnapshot {
        scaled_objects: items::<ScaledObject>(include_str!("../../testdata/demo/blocked/scaledobjects.json")),
        hpas: items(include_str!("../../testdata/demo/blocked/horizontalpodautoscalers.json")),
        pods: items::<Pod>(include_str!("../../testdata/demo/blocked/pods.json")),
        nodes: items(include_str!("../../testdata/demo/blocked/nodes.json")),
        node_pools: items::<NodePool>(include_str!("../../testdata/demo/blocked/nodepools.json")),
        node_claims: items::<NodeClaim>(include_str!("../../testdata/demo/blocked/nodeclaims.json")),
        events: items::<Event>(include_str!("../../testdata/demo/blocked/events.json")),
        ..Default::default()
    };
    snap.workloads =
        workloads(include_str!("../../testdata/demo/blocked/deployments.json"), "apps/v1", "Deployment");
    snap.workloads.extend(workloads(
        include_str!("../../testdata/demo/blocked/statefulsets.json"),
        "apps/v1",
        "StatefulSet",
    ));
    let view = snap.view();
    let ix = Index::new(&view);
    let now = Time::parse("2026-11-30T07:22:23Z").expect("capture time");
    chains(&ix, now).into_iter().find(|c| c.metadata.name == "web").expect("the demo's web chain")
}

#[wasm_bindgen_test]
async fn the_chain_of_a_blocked_scale_out_reads_left_to_right() {
    let chain = blocked_chain();
    let pending = chain.pods.iter().filter(|p| p.pending_cause.is_some()).count();
    assert!(pending > 0, "the blocked moment has pending web pods");
    let c = chain.clone();
    let el = render("the chain", move || html! { <ChainView chain={c.clone()} /> }).await;
    let stages: Vec<String> = texts(&el, ".ai-stage-title")
        .into_iter()
        .map(|t| t.split(" (").next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        stages,
        ["ScaledObject", "Workload", "Pods", "NodeClaims", "Nodes", "NodePools", "NodeClasses"]
    );
    let banner = texts(&el, ".ai-banner-title").join("");
    assert!(banner.starts_with("Scale-out blocked"), "{banner}");
    assert!(banner.contains(&format!("{pending} pending")), "{banner}");
    assert!(el.text_content().unwrap().contains("NodePool limit reached"));
    assert!(
        texts(&el, ".ai-stage:nth-child(6) .ai-item-name").iter().any(|n| n == "capped"),
        "NodePool capped"
    );
}
