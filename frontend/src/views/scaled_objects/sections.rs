//! What the ScaledObject and ScaledJob pages share (both are scalers): state and replica cells,
//! the triggers with their live values against target and activation, the HPA, the pods, the
//! events, the scaling journal, and spec rows.

use crate::components::chart::format_value;
use crate::components::conditions::ConditionsTable;
use crate::components::events::EventsTable;
use crate::components::threshold_bar::ThresholdBar;
use crate::components::{Chip, Column, ErrorPanel, Link, LoadingPanel, NameValue, SectionBox, Table, Tone};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::time::{age, now};
use model::journal::JournalEntry;
use model::keda::Trigger;
use model::scaler::{HpaView, PodSummary, Scaler, ScalerState, TriggerView};
use model::time::{Time, human_duration};
use std::rc::Rc;
use yew::prelude::*;

/// The one-word state as a chip (same words as the server's `State` column).
pub fn state_chip(s: &Scaler) -> Html {
    let (label, tone) = state_label(s.state);
    let title = s.problems.first().cloned().map(AttrValue::from);
    html! { <Chip {label} {tone} {title} /> }
}

/// Label and tone of a state.
pub fn state_label(state: ScalerState) -> (&'static str, Tone) {
    match state {
        ScalerState::Active => ("Active", Tone::Info),
        ScalerState::AtZero => ("At zero", Tone::Neutral),
        ScalerState::Idle => ("Idle", Tone::Neutral),
        ScalerState::Paused => ("Paused", Tone::Warning),
        ScalerState::Fallback => ("Fallback", Tone::Warning),
        ScalerState::Error => ("Error", Tone::Error),
        ScalerState::Unknown => ("Unknown", Tone::Neutral),
    }
}

/// Sort order of states: problems first.
pub fn state_order(s: &Scaler) -> u8 {
    match s.state {
        ScalerState::Error => 0,
        ScalerState::Fallback => 1,
        ScalerState::Paused => 2,
        ScalerState::Active => 3,
        ScalerState::Idle => 4,
        ScalerState::AtZero => 5,
        ScalerState::Unknown => 6,
    }
}

/// Whether a scaler is in the state an overview link names (`?state=`): the same definitions as
/// the overview's counts. An unknown state matches everything.
pub fn state_matches(s: &Scaler, state: &str) -> bool {
    match state {
        "active" => s.state == ScalerState::Active,
        "at-zero" => s.state == ScalerState::AtZero,
        "idle" => s.state == ScalerState::Idle,
        "erroring" => s.erroring,
        "paused" => s.pause.paused,
        "fallback" => s.fallback.as_ref().is_some_and(|f| f.active),
        _ => true,
    }
}

/// Words for a `?state=` filter.
pub fn state_words(state: &str) -> &'static str {
    match state {
        "active" => "active",
        "at-zero" => "idle at zero replicas",
        "idle" => "idle above zero",
        "erroring" => "not ready or with a failing trigger",
        "paused" => "paused",
        "fallback" => "serving fallback replicas",
        _ => "",
    }
}

/// The rows in the `?state=` of the URL (all rows without one); shared, not copied, when unfiltered.
pub fn in_state(rows: &Rc<[Scaler]>, state: Option<&str>) -> Rc<[Scaler]> {
    match state.filter(|s| !state_words(s).is_empty()) {
        Some(state) => rows.iter().filter(|s| state_matches(s, state)).cloned().collect(),
        None => rows.clone(),
    }
}

/// Says that an overview link narrowed the list, with a link back to all of it.
pub fn state_notice(state: Option<&str>, kind_plural: &str, all: Route) -> Html {
    let Some(state) = state.filter(|s| !state_words(s).is_empty()) else { return Html::default() };
    html! {
        <div class="ai-scope" role="note" data-testid="state-filter">
            { format!("Showing {kind_plural} that are {} · ", state_words(state)) }
            <Link route={all}>{ format!("show all {kind_plural}") }</Link>
        </div>
    }
}

/// `3 / 5`: current / desired replicas (ScaledJobs: running jobs).
pub fn replicas_text(s: &Scaler) -> String {
    let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
    match s.desired_replicas {
        Some(_) => format!("{} / {}", n(s.current_replicas), n(s.desired_replicas)),
        None => n(s.current_replicas),
    }
}

/// The replicas cell, with ready replicas in the tooltip.
pub fn replicas_cell(s: &Scaler) -> Html {
    let title = format!(
        "current {} · desired {} · ready {}",
        s.current_replicas.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into()),
        s.desired_replicas.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into()),
        s.ready_replicas.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into()),
    );
    html! { <span class="ai-nowrap" {title}>{ replicas_text(s) }</span> }
}

/// Health of the scalers: "OK", or how many triggers fail and how often.
pub fn health_cell(s: &Scaler) -> Html {
    let failing: Vec<&TriggerView> =
        s.triggers.iter().filter(|t| t.health.as_deref() == Some("Failing")).collect();
    if failing.is_empty() {
        if s.triggers.iter().any(|t| t.health.is_some()) {
            return html! { <Chip label="Happy" tone={Tone::Success} /> };
        }
        return html! { <span class="ai-dim">{ "-" }</span> };
    }
    let failures: i32 = failing.iter().filter_map(|t| t.failures).sum();
    let title = failing
        .iter()
        .map(|t| {
            format!("{}: {} failures", t.metric_name.as_deref().unwrap_or(&t.type_), t.failures.unwrap_or(0))
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! { <Chip label={format!("Failing ({failures})")} tone={Tone::Error} title={AttrValue::from(title)} /> }
}

/// Health sort key: failing first, by number of failures.
pub fn health_order(s: &Scaler) -> i64 {
    -(s.triggers
        .iter()
        .filter(|t| t.health.as_deref() == Some("Failing"))
        .map(|t| i64::from(t.failures.unwrap_or(1).max(1)))
        .sum::<i64>())
}

/// "At zero since": an age ("~" when estimated from lastActiveTime + cooldown), "-" when not at zero.
pub fn at_zero_cell(s: &Scaler) -> Html {
    match s.at_zero_since {
        Some(t) if s.at_zero_since_estimated => html! {
            <span title="estimated: last active time + cooldown period">{ "~" }{ age(Some(t), now()) }</span>
        },
        Some(t) => age(Some(t), now()),
        None => html! { <span class="ai-dim">{ "-" }</span> },
    }
}

/// A condition as a chip ("Unknown" when absent).
pub fn condition_chip(value: Option<bool>, yes: (&'static str, Tone), no: (&'static str, Tone)) -> Html {
    let (label, tone) = match value {
        Some(true) => yes,
        Some(false) => no,
        None => ("Unknown", Tone::Neutral),
    };
    html! { <Chip {label} {tone} /> }
}

/// Fallback chip: "Active" (warning) only when the Fallback condition is True.
pub fn fallback_chip(s: &Scaler) -> Html {
    match &s.fallback {
        Some(f) if f.active => html! { <Chip label="Active" tone={Tone::Warning} /> },
        Some(_) => html! { <span class="ai-dim" title="fallback configured, not active">{ "No" }</span> },
        None => html! { <span class="ai-dim" title="no fallback configured">{ "-" }</span> },
    }
}

/// A list cell for Ready, like kubectl's printer column: plain "Yes", a chip only when not ready.
pub fn ready_cell(v: Option<bool>) -> Html {
    match v {
        Some(true) => html! { { "Yes" } },
        Some(false) => html! { <Chip label="Not ready" tone={Tone::Error} /> },
        None => html! { <span class="ai-dim">{ "-" }</span> },
    }
}

/// A list cell for Active: "Yes" / dim "No" (idle is ordinary).
pub fn active_cell(v: Option<bool>) -> Html {
    match v {
        Some(true) => html! { { "Yes" } },
        Some(false) => html! { <span class="ai-dim">{ "No" }</span> },
        None => html! { <span class="ai-dim">{ "-" }</span> },
    }
}

/// Paused chip, with which kind of pause in the tooltip.
pub fn paused_chip(s: &Scaler) -> Html {
    let p = &s.pause;
    let mut what = Vec::new();
    if let Some(n) = p.paused_replicas {
        what.push(format!("at {n} replicas"));
    }
    if p.scale_in_paused {
        what.push("scale-in paused".to_owned());
    }
    if p.scale_out_paused {
        what.push("scale-out paused".to_owned());
    }
    if p.force_activation {
        what.push("force-activated".to_owned());
    }
    if p.paused {
        let title = AttrValue::from(if what.is_empty() { "paused".to_owned() } else { what.join(", ") });
        html! { <Chip label="Paused" tone={Tone::Warning} {title} /> }
    } else if !what.is_empty() {
        html! { <Chip label="Partly" tone={Tone::Warning} title={AttrValue::from(what.join(", "))} /> }
    } else {
        html! { <span class="ai-dim">{ "No" }</span> }
    }
}

/// Trigger types as tags.
pub fn trigger_tags(s: &Scaler) -> Html {
    let mut types: Vec<&str> = Vec::new();
    for t in &s.trigger_types {
        if !types.contains(&t.as_str()) {
            types.push(t);
        }
    }
    html! {
        <span class="ai-tags">{ for types.into_iter().map(|t| html! { <span class="ai-tag">{ t.to_owned() }</span> }) }</span>
    }
}

/// A link to the page of a trigger's authentication (`TriggerAuthentication/name` as the view has it).
pub fn authentication_link(namespace: &str, reference: &str) -> Html {
    let (kind, name) = reference.split_once('/').unwrap_or(("TriggerAuthentication", reference));
    let route = match kind {
        "ClusterTriggerAuthentication" => Route::ClusterTriggerAuthentication { name: name.to_owned() },
        _ => Route::TriggerAuthentication { namespace: namespace.to_owned(), name: name.to_owned() },
    };
    html! { <Link {route}>{ reference.to_owned() }</Link> }
}

/// What a trigger's bar compares. KEDA activates on the raw value; the HPA divides an
/// `AverageValue` metric by the current replicas before comparing it with the target, so the
/// bar shows the raw value against target × replicas (both thresholds on one scale).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The value on the bar.
    pub value: Option<f64>,
    /// The target mark.
    pub target: Option<f64>,
    /// The activation mark.
    pub activation: Option<f64>,
    /// The numbers in words.
    pub text: String,
}

/// The comparison of one trigger (`replicas`: the target's current replicas).
pub fn comparison(t: &TriggerView, replicas: Option<i32>, scaled_job: bool) -> Comparison {
    let per_replica = t.metric_type == "AverageValue" && !scaled_job;
    let n = replicas.unwrap_or(0).max(1);
    let value_text = match (t.value, t.value_source.as_deref()) {
        (None, _) => "no value".to_owned(),
        (Some(v), Some("hpa")) if per_replica => {
            format!("{} per replica (HPA's last reading)", format_value(v))
        }
        (Some(v), Some("hpa")) => format!("{} (HPA's last reading)", format_value(v)),
        (Some(v), _) => format_value(v),
    };
    let mut parts = vec![value_text];
    match (t.target, per_replica) {
        (Some(target), true) => parts.push(format!(
            "target {} per replica ({} at {n} replica{})",
            format_value(target),
            format_value(target * f64::from(n)),
            if n == 1 { "" } else { "s" }
        )),
        (Some(target), false) if scaled_job => parts.push(format!("target {} per job", format_value(target))),
        (Some(target), false) => parts.push(format!("target {}", format_value(target))),
        (None, _) => parts.push("no target in the trigger's metadata".to_owned()),
    }
    if let Some(a) = t.activation {
        parts.push(format!("activation above {}", format_value(a)));
    }
    let text = parts.join(" · ");
    match (t.value_source.as_deref(), per_replica) {
        // The HPA's reading is already per replica: compare with the target per replica; the
        // activation threshold (on the raw value) does not fit that scale.
        (Some("hpa"), true) => Comparison { value: t.value, target: t.target, activation: None, text },
        (_, true) => Comparison {
            value: t.value,
            target: t.target.map(|x| x * f64::from(n)),
            activation: t.activation,
            text,
        },
        _ => Comparison { value: t.value, target: t.target, activation: t.activation, text },
    }
}

/// Props of [`TriggersSection`].
#[derive(Properties, PartialEq)]
pub struct TriggersProps {
    /// The scaler.
    pub scaler: Rc<Scaler>,
    /// The triggers as written in the spec (metadata), when known.
    #[prop_or_default]
    pub spec: Rc<[Trigger]>,
}

/// Each trigger: type and name, its live value on a bar against target and activation, whether
/// it is active, its health, its authentication and its settings.
#[function_component]
pub fn TriggersSection(props: &TriggersProps) -> Html {
    let s = &props.scaler;
    let scaled_job = s.source.kind == "ScaledJob";
    if s.triggers.is_empty() {
        return html! { <SectionBox title="Triggers" main={false}><div class="ai-dim ai-empty-line">{ "No triggers." }</div></SectionBox> };
    }
    let rows = s.triggers.iter().map(|t| {
        let c = comparison(t, s.current_replicas, scaled_job);
        let name = t.name.clone().unwrap_or_else(|| format!("#{}", t.index));
        let label = format!("{name}: {}", c.text);
        let active = match t.active {
            Some(true) => html! { <Chip label="Active" tone={Tone::Info} /> },
            Some(false) => html! { <Chip label="Inactive" tone={Tone::Neutral} /> },
            None => html! { <span class="ai-dim">{ "-" }</span> },
        };
        let health = match (t.health.as_deref(), t.failures) {
            (Some("Failing"), f) => html! { <Chip label={format!("Failing ({})", f.unwrap_or(0))} tone={Tone::Error} /> },
            (Some(h), _) => html! { <Chip label={h.to_owned()} tone={Tone::Success} /> },
            (None, _) => Html::default(),
        };
        let metadata = props.spec.get(t.index).map(|spec| {
            html! {
                <span class="ai-tags">
                    { for spec.metadata.iter().map(|(k, v)| html! { <span class="ai-tag ai-tag-long">{ format!("{k}: {v}") }</span> }) }
                </span>
            }
        });
        html! {
            <div class="ai-trigger" key={t.index}>
                <div class="ai-trigger-head">
                    <span class="ai-trigger-name">{ name }</span>
                    <span class="ai-tag">{ t.type_.clone() }</span>
                    { active }
                    { health }
                    if let Some(a) = &t.authentication {
                        <span class="ai-trigger-auth">{ "auth: " }{ authentication_link(s.metadata.ns(), a) }</span>
                    }
                </div>
                <div class="ai-trigger-value">
                    <ThresholdBar value={c.value} target={c.target} activation={c.activation} label={label} />
                    <span class="ai-trigger-text">{ c.text.clone() }</span>
                </div>
                <div class="ai-trigger-meta">
                    <span class="ai-dim">{ format!("metric {} · {}", t.metric_name.clone().unwrap_or_else(|| "-".into()), t.metric_type) }</span>
                    { metadata.unwrap_or_default() }
                </div>
            </div>
        }
    });
    html! {
        <SectionBox title="Triggers" main={false}>
            <div class="ai-triggers">{ for rows }</div>
        </SectionBox>
    }
}

/// Props of [`HpaSection`].
#[derive(Properties, PartialEq)]
pub struct HpaProps {
    /// The HPA as the scaler view has it (found by `status.hpaName`).
    pub hpa: HpaView,
    /// Its namespace.
    pub namespace: AttrValue,
}

/// The HPA KEDA manages: replicas and every condition.
#[function_component]
pub fn HpaSection(props: &HpaProps) -> Html {
    let h = &props.hpa;
    let n = |v: Option<i32>| html! { v.map(|v| v.to_string()).unwrap_or_else(|| "-".into()) };
    let name = match Route::headlamp("HorizontalPodAutoscaler", Some(&props.namespace), &h.name) {
        Some(route) if h.found => html! { <Link {route}>{ h.name.clone() }</Link> },
        _ => html! { h.name.clone() },
    };
    if !h.found {
        return html! {
            <SectionBox title="Horizontal Pod Autoscaler" main={false}>
                <NameValue rows={vec![("Name".into(), name)]} />
                <div class="ai-notice" role="note">
                    { format!("status.hpaName names {}, but no such HPA exists in {} (or you may not read HPAs).", h.name, props.namespace) }
                </div>
            </SectionBox>
        };
    }
    let rows = vec![
        (AttrValue::from("Name"), name),
        ("Current replicas".into(), n(h.current_replicas)),
        ("Desired replicas".into(), n(h.desired_replicas)),
        (
            "Min / max".into(),
            html! { format!("{} / {}", h.min_replicas.map(|v| v.to_string()).unwrap_or_else(|| "-".into()), h.max_replicas.map(|v| v.to_string()).unwrap_or_else(|| "-".into())) },
        ),
        ("Last scale".into(), age(h.last_scale_time, now())),
    ];
    html! {
        <SectionBox title="Horizontal Pod Autoscaler" main={false}>
            <NameValue {rows} />
            <h3 class="ai-subtitle">{ "HPA conditions" }</h3>
            <ConditionsTable conditions={Rc::<[_]>::from(h.conditions.clone())} />
        </SectionBox>
    }
}

static POD_COLUMNS: &[Column<(String, PodSummary)>] = &[
    Column {
        label: "Name",
        cell: |(ns, p)| match Route::headlamp("Pod", Some(ns), &p.name) {
            Some(route) => html! { <Link {route}>{ p.name.clone() }</Link> },
            None => html! { p.name.clone() },
        },
        sort: Some(|a, b| a.1.name.cmp(&b.1.name)),
        text: Some(|(_, p)| p.name.clone()),
    },
    Column {
        label: "Phase",
        cell: |(_, p)| {
            let tone = match p.phase.as_str() {
                "Running" => Tone::Success,
                "Pending" => Tone::Warning,
                "Failed" => Tone::Error,
                _ => Tone::Neutral,
            };
            html! { <Chip label={p.phase.clone()} {tone} /> }
        },
        sort: Some(|a, b| a.1.phase.cmp(&b.1.phase)),
        text: Some(|(_, p)| p.phase.clone()),
    },
    Column {
        label: "Ready",
        cell: |(_, p)| html! { if p.ready { { "Yes" } } else { <span class="ai-dim">{ "No" }</span> } },
        sort: Some(|a, b| a.1.ready.cmp(&b.1.ready)),
        text: None,
    },
    Column {
        label: "Node",
        cell: |(_, p)| match p.node.as_deref().and_then(|n| Route::headlamp("Node", None, n).map(|r| (n, r)))
        {
            Some((n, route)) => html! { <Link {route}>{ n.to_owned() }</Link> },
            None => html! { <span class="ai-dim">{ "not scheduled" }</span> },
        },
        sort: Some(|a, b| a.1.node.cmp(&b.1.node)),
        text: Some(|(_, p)| p.node.clone().unwrap_or_default()),
    },
    Column {
        label: "Age",
        cell: |(_, p)| age(p.created, now()),
        sort: Some(|a, b| b.1.created.cmp(&a.1.created)),
        text: None,
    },
];

fn pod_key(p: &(String, PodSummary)) -> String {
    p.1.name.clone()
}

/// Props of [`PodsSection`].
#[derive(Properties, PartialEq)]
pub struct PodsProps {
    /// The scaler (its pods and namespace).
    pub scaler: Rc<Scaler>,
}

/// Pods of the scale target (any `/scale` kind) or of a ScaledJob's Jobs.
#[function_component]
pub fn PodsSection(props: &PodsProps) -> Html {
    let s = &props.scaler;
    let ns = s.metadata.ns().to_owned();
    let rows: Rc<[(String, PodSummary)]> = s.pods.iter().map(|p| (ns.clone(), p.clone())).collect();
    let body = if rows.is_empty() {
        let why = if s.source.kind == "ScaledJob" {
            "No pods: no Job of this ScaledJob is running."
        } else if !s.target_found {
            "No pods: the scale target was not found."
        } else {
            "No pods: the target is at zero replicas."
        };
        html! { <div class="ai-dim ai-empty-line">{ why }</div> }
    } else {
        html! {
            <Table<(String, PodSummary)> {rows} columns={POD_COLUMNS}
                row_key={pod_key as fn(&(String, PodSummary)) -> String} label="Pods" />
        }
    };
    let title = format!(
        "Pods ({}{})",
        s.pods.len(),
        if s.pending_pods > 0 { format!(", {} pending", s.pending_pods) } else { String::new() }
    );
    html! { <SectionBox {title} main={false}>{ body }</SectionBox> }
}

/// Props of [`EventsSection`].
#[derive(Properties, PartialEq)]
pub struct EventsProps {
    /// Kind of the object.
    pub kind: AttrValue,
    /// Its namespace (`None`: cluster-scoped).
    #[prop_or_default]
    pub namespace: Option<AttrValue>,
    /// Its uid (events are asked for by `involvedObject.uid`).
    pub uid: AttrValue,
}

/// The events of one object (by its uid, never all events of a namespace).
#[function_component]
pub fn EventsSection(props: &EventsProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let deps = (data, props.namespace.clone(), props.uid.clone());
    let load = use_live(deps, |(data, ns, uid)| async move { data.events_of(ns.as_deref(), &uid).await });
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="events" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(events) => {
            let events: Rc<[model::k8s::Event]> = events.iter().cloned().collect();
            html! { <EventsTable {events} about={format!("this {}", props.kind)} /> }
        }
    };
    html! { <SectionBox title="Events" main={false}>{ body }</SectionBox> }
}

static JOURNAL_COLUMNS: &[Column<JournalEntry>] = &[
    Column {
        label: "When",
        cell: |e| age(Some(e.last_time), now()),
        sort: Some(|a, b| b.last_time.cmp(&a.last_time)),
        text: None,
    },
    Column {
        label: "Reason",
        cell: |e| html! { <span class="ai-nowrap">{ e.reason.clone() }</span> },
        sort: Some(|a, b| a.reason.cmp(&b.reason)),
        text: Some(|e| e.reason.clone()),
    },
    Column {
        label: "Type",
        cell: |e| {
            let tone = if e.type_ == "Warning" { Tone::Warning } else { Tone::Neutral };
            html! { <Chip label={e.type_.clone()} {tone} /> }
        },
        sort: Some(|a, b| a.type_.cmp(&b.type_)),
        text: None,
    },
    Column {
        label: "Message",
        cell: |e| html! { <span class="ai-wrap">{ e.message.clone() }</span> },
        sort: None,
        text: Some(|e| e.message.clone()),
    },
    Column {
        label: "Count",
        cell: |e| html! { e.count },
        sort: Some(|a, b| a.count.cmp(&b.count)),
        text: None,
    },
    Column {
        label: "Span",
        cell: |e| html! { human_duration((e.last_time.0 - e.first_time.0) as f64 / 1000.0) },
        sort: None,
        text: None,
    },
    Column {
        label: "Source",
        cell: |e| html! { e.source.clone() },
        sort: Some(|a, b| a.source.cmp(&b.source)),
        text: Some(|e| e.source.clone()),
    },
];

fn journal_key(e: &JournalEntry) -> String {
    e.uid.clone()
}

/// Props of [`JournalSection`].
#[derive(Properties, PartialEq)]
pub struct JournalProps {
    /// Namespace of the object.
    pub namespace: AttrValue,
    /// Its uid.
    pub uid: AttrValue,
}

/// Scaling history kept by the server beyond the one-hour life of events.
#[function_component]
pub fn JournalSection(props: &JournalProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live((data, props.namespace.clone(), props.uid.clone()), |(data, ns, uid)| async move {
        data.journal_about(&ns, &uid).await
    });
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="the scaling journal" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(journal) => match journal.as_ref() {
            None => html! {
                <div class="ai-dim ai-empty-line" data-testid="journal-needs-server">
                    { "The scaling journal is kept by the Autoscaling Insights server, which this cluster does not use: \
                       only the last hour of events is shown above." }
                </div>
            },
            Some(entries) if entries.is_empty() => html! {
                <div class="ai-dim ai-empty-line">{ "No journal entries for this object in the last 7 days." }</div>
            },
            Some(entries) => {
                let rows: Rc<[JournalEntry]> = entries.iter().cloned().collect();
                html! {
                    <Table<JournalEntry> {rows} columns={JOURNAL_COLUMNS}
                        row_key={journal_key as fn(&JournalEntry) -> String} label="Scaling journal" />
                }
            }
        },
    };
    html! { <SectionBox title="Scaling journal" main={false}>{ body }</SectionBox> }
}

/// `30s (default)` for a setting left to KEDA's default.
pub fn seconds(value: Option<i32>, default: i32) -> Html {
    match value {
        Some(v) => html! { format!("{v}s") },
        None => html! { <>{ format!("{default}s ") }<span class="ai-dim">{ "(default)" }</span></> },
    }
}

/// A time as an age with the exact time on hover, or "never".
pub fn when(t: Option<Time>) -> Html {
    match t {
        Some(_) => html! { <>{ age(t, now()) }{ " ago" }</> },
        None => html! { <span class="ai-dim">{ "never" }</span> },
    }
}

/// Sort order of a yes / no / unknown column: yes first, unknown last.
pub fn bool_order(v: Option<bool>) -> u8 {
    match v {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(metric_type: &str, value: f64, source: &str) -> TriggerView {
        TriggerView {
            metric_type: metric_type.to_owned(),
            value: Some(value),
            value_source: Some(source.to_owned()),
            target: Some(10.0),
            activation: Some(1.0),
            ..TriggerView::default()
        }
    }

    #[test]
    fn state_filters_match_the_overview_counts() {
        let mut s = Scaler { state: ScalerState::AtZero, ..Scaler::default() };
        assert!(state_matches(&s, "at-zero") && !state_matches(&s, "active"));
        s.erroring = true;
        s.state = ScalerState::Fallback;
        s.fallback = Some(model::scaler::FallbackView { active: true, ..Default::default() });
        // A scaler in fallback is also erroring: counted (and listed) under both.
        assert!(state_matches(&s, "erroring") && state_matches(&s, "fallback"));
        assert!(state_matches(&s, "no-such-state"));
        let rows: Rc<[Scaler]> = vec![s.clone(), Scaler::default()].into();
        assert_eq!(in_state(&rows, Some("erroring")).len(), 1);
        assert!(Rc::ptr_eq(&in_state(&rows, None), &rows));
    }

    #[test]
    fn average_value_compares_the_raw_value_with_target_times_replicas() {
        let c = comparison(&trigger("AverageValue", 42.0, "externalMetrics"), Some(5), false);
        assert_eq!((c.value, c.target, c.activation), (Some(42.0), Some(50.0), Some(1.0)));
        assert_eq!(c.text, "42 · target 10 per replica (50 at 5 replicas) · activation above 1");
        // At zero replicas the first replica's target applies.
        assert_eq!(
            comparison(&trigger("AverageValue", 3.0, "externalMetrics"), Some(0), false).target,
            Some(10.0)
        );
    }

    #[test]
    fn the_hpas_reading_is_already_per_replica() {
        let c = comparison(&trigger("AverageValue", 8.4, "hpa"), Some(5), false);
        assert_eq!((c.value, c.target, c.activation), (Some(8.4), Some(10.0), None));
        assert!(c.text.starts_with("8.4 per replica (HPA's last reading)"), "{}", c.text);
    }

    #[test]
    fn value_metrics_and_scaled_jobs_compare_directly() {
        let c = comparison(&trigger("Value", 7.0, "externalMetrics"), Some(3), false);
        assert_eq!((c.value, c.target), (Some(7.0), Some(10.0)));
        assert_eq!(c.text, "7 · target 10 · activation above 1");
        let c = comparison(&trigger("AverageValue", 7.0, "externalMetrics"), Some(3), true);
        assert_eq!(c.target, Some(10.0));
        assert!(c.text.contains("per job"), "{}", c.text);
        let none = TriggerView { metric_type: "AverageValue".into(), ..TriggerView::default() };
        assert_eq!(comparison(&none, None, false).text, "no value · no target in the trigger's metadata");
    }
}
