//! One ScaledObject: its state and replicas, each trigger's live value against target and
//! activation, history charts, the HPA KEDA manages, the spec (polling, cooldown, fallback,
//! advanced HPA behavior, scaling modifiers), the pods of its target, the scaling chain,
//! conditions, events (of this object only) and the scaling journal.

use super::list::{gap_notes, target_cell};
use super::sections::{
    EventsSection, HpaSection, JournalSection, PodsSection, TriggersSection, at_zero_cell, condition_chip,
    fallback_chip, health_cell, paused_chip, replicas_text, seconds, state_chip, when,
};
use crate::actions::ActionBar;
use crate::actions::keda::scaler_actions;
use crate::components::conditions::ConditionsTable;
use crate::components::{ErrorPanel, Link, LoadingPanel, NameValue, SectionBox, Tone};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::charts::ScalerHistory;
use crate::views::time::{age, now};
use model::chain::Chain;
use model::keda::{ScaledObject, Trigger};
use model::scaler::Scaler;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ScaledObjectDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace of the ScaledObject.
    pub namespace: AttrValue,
    /// Name of the ScaledObject.
    pub name: AttrValue,
}

fn summary(s: &Scaler) -> Html {
    let mut rows: Vec<(AttrValue, Html)> = vec![
        ("Namespace".into(), html! { s.metadata.ns().to_owned() }),
        ("Target".into(), target_cell(s)),
        ("State".into(), state_chip(s)),
        (
            "Replicas".into(),
            html! {
                <>
                    { replicas_text(s) }
                    <span class="ai-dim">{ format!(" current / desired · min {} · max {}{}", s.min_replicas, s.max_replicas,
                        s.idle_replicas.map(|i| format!(" · idle {i}")).unwrap_or_default()) }</span>
                </>
            },
        ),
        ("Ready".into(), condition_chip(s.ready, ("Ready", Tone::Success), ("Not ready", Tone::Error))),
        ("Active".into(), condition_chip(s.active, ("Active", Tone::Info), ("Idle", Tone::Neutral))),
        ("Health".into(), health_cell(s)),
        ("Paused".into(), paused_chip(s)),
        ("Fallback".into(), fallback_chip(s)),
        ("Last active".into(), when(s.last_active)),
        ("At zero since".into(), at_zero_cell(s)),
    ];
    if let Some(c) = s.cost_per_hour {
        rows.push(("Cost".into(), html! { format!("${c:.3}/h (share of its nodes' prices)") }));
    }
    if let Some(sv) = &s.savings {
        rows.push((
            "Saved while at zero".into(),
            html! { format!("${:.2} so far (${:.3}/h for {} replica(s))", sv.saved, sv.per_hour, sv.baseline_replicas) },
        ));
    }
    rows.push(("Age".into(), age(s.metadata.creation_timestamp, now())));
    html! {
        <>
            <NameValue {rows} />
            { for s.problems.iter().map(|p| html! { <div class="ai-notice" role="note">{ p.clone() }</div> }) }
        </>
    }
}

/// HPA `behavior` (scaleUp / scaleDown) as KEDA passes it to the HPA: windows and policies.
/// A `Pods` policy value is a pod count; only `Percent` is a percentage.
pub fn behavior_rows(behavior: &serde_json::Value) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (key, label) in [("scaleUp", "Scale up"), ("scaleDown", "Scale down")] {
        let Some(rule) = behavior.get(key) else { continue };
        let mut parts = Vec::new();
        if let Some(w) = rule.get("stabilizationWindowSeconds").and_then(|v| v.as_i64()) {
            parts.push(format!("stabilization window {w}s"));
        }
        if let Some(p) = rule.get("selectPolicy").and_then(|v| v.as_str()) {
            parts.push(format!("select {p}"));
        }
        if let Some(t) = rule.get("tolerance") {
            parts.push(format!(
                "tolerance {}",
                t.as_str().map(str::to_owned).unwrap_or_else(|| t.to_string())
            ));
        }
        for policy in rule.get("policies").and_then(|v| v.as_array()).into_iter().flatten() {
            let kind = policy.get("type").and_then(|v| v.as_str()).unwrap_or("?");
            let value = policy.get("value").map(|v| v.to_string()).unwrap_or_else(|| "?".into());
            let period = policy.get("periodSeconds").map(|v| v.to_string()).unwrap_or_else(|| "?".into());
            let amount = match kind {
                "Percent" => format!("{value}%"),
                "Pods" => format!("{value} pod(s)"),
                other => format!("{value} ({other})"),
            };
            parts.push(format!("{amount} per {period}s"));
        }
        if parts.is_empty() {
            parts.push("Kubernetes defaults".to_owned());
        }
        rows.push((label.to_owned(), parts.join(" · ")));
    }
    rows
}

fn spec_section(so: &ScaledObject) -> Html {
    let spec = &so.spec;
    let t = &spec.scale_target_ref;
    let mut rows: Vec<(AttrValue, Html)> = vec![
        ("Scale target".into(), html! { format!("{} {} ({})", t.kind(), t.name, t.api_version()) }),
        ("Polling interval".into(), seconds(spec.polling_interval, 30)),
        ("Cooldown period".into(), seconds(spec.cooldown_period, 300)),
        ("Initial cooldown".into(), seconds(spec.initial_cooldown_period, 0)),
        ("Min replicas".into(), html! { so.min_replicas() }),
        ("Max replicas".into(), html! { so.max_replicas() }),
    ];
    if let Some(i) = spec.idle_replica_count {
        rows.push(("Idle replicas".into(), html! { i }));
    }
    if let Some(c) = &t.env_source_container_name {
        rows.push(("Env source container".into(), html! { c.clone() }));
    }
    match &spec.fallback {
        Some(f) => rows.push((
            "Fallback".into(),
            html! { format!("{} replicas after {} failures{}",
            f.replicas.map(|r| r.to_string()).unwrap_or_else(|| "?".into()),
            f.failure_threshold.map(|r| r.to_string()).unwrap_or_else(|| "?".into()),
            f.behavior.as_deref().map(|b| format!(" (behavior {b})")).unwrap_or_default()) },
        )),
        None => rows.push(("Fallback".into(), html! { <span class="ai-dim">{ "none" }</span> })),
    }
    if let Some(a) = &spec.advanced {
        if let Some(r) = a.restore_to_original_replica_count {
            rows.push(("Restore original replicas".into(), html! { { if r { "Yes" } else { "No" } } }));
        }
        if let Some(h) = &a.horizontal_pod_autoscaler_config {
            if let Some(n) = h.name.as_deref().filter(|n| !n.is_empty()) {
                rows.push(("HPA name (custom)".into(), html! { n.to_owned() }));
            }
            if let Some(b) = &h.behavior {
                for (label, text) in behavior_rows(b) {
                    rows.push((format!("HPA {}", label.to_lowercase()).into(), html! { text }));
                }
            }
        }
        // `scalingModifiers: {}` (KEDA writes it empty) shows nothing rather than failing.
        if let Some(m) = &a.scaling_modifiers
            && (m.formula.is_some() || m.target.is_some())
        {
            rows.push((
                "Scaling modifiers".into(),
                html! { format!("formula {} · target {} · activation {} · {}",
                    m.formula.as_deref().unwrap_or("-"), m.target.as_deref().unwrap_or("-"),
                    m.activation_target.as_deref().unwrap_or("-"), m.metric_type.as_deref().unwrap_or("AverageValue")) },
            ));
        }
    }
    for (key, value) in &so.metadata.annotations {
        if key.starts_with("autoscaling.keda.sh/") || key.starts_with("scaledobject.keda.sh/") {
            rows.push((key.clone().into(), html! { value.clone() }));
        }
    }
    html! { <SectionBox title="Scaling settings" main={false}><NameValue {rows} /></SectionBox> }
}

/// Props of [`ChainSection`].
#[derive(Properties, PartialEq)]
pub struct ChainProps {
    /// Namespace of the ScaledObject.
    pub namespace: AttrValue,
    /// Its name.
    pub name: AttrValue,
}

/// A summary of the scaling chain (pods → nodes → NodePools, a blocked scale-out) with a link
/// to the whole chain.
#[function_component]
pub fn ChainSection(props: &ChainProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live((data, props.namespace.clone(), props.name.clone()), |(data, ns, name)| async move {
        data.chain(&ns, &name).await
    });
    let route = Route::Chain { namespace: props.namespace.to_string(), name: props.name.to_string() };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="the scaling chain" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) => chain_summary(&answer.value),
    };
    let actions = html! { <Link {route}>{ "Open the whole chain" }</Link> };
    html! { <SectionBox title="Scaling chain" main={false} {actions}>{ body }</SectionBox> }
}

fn chain_summary(c: &Chain) -> Html {
    let pending = c.pods.iter().filter(|p| p.pending_cause.is_some()).count();
    let pools: Vec<String> = c.node_pools.iter().map(|p| p.name.clone()).collect();
    let mut rows: Vec<(AttrValue, Html)> = vec![
        (
            "Pods".into(),
            html! { format!("{} ({} ready, {pending} pending)", c.pods.len(), c.ready_replicas) },
        ),
        ("Nodes".into(), html! { c.nodes.len() }),
        ("NodeClaims".into(), html! { c.node_claims.len() }),
        ("NodePools".into(), html! { { if pools.is_empty() { "-".to_owned() } else { pools.join(", ") } } }),
    ];
    if let Some(b) = &c.blocked {
        let causes: Vec<String> = b
            .causes
            .iter()
            .map(|cc| {
                format!(
                    "{} ({} pods{})",
                    crate::views::pending::cause_text(cc.cause),
                    cc.pods,
                    cc.node_pool.as_deref().map(|p| format!(", NodePool {p}")).unwrap_or_default()
                )
            })
            .collect();
        rows.push((
            "Scale-out".into(),
            html! {
                <span class={classes!(b.blocked.then_some("ai-text-error"))}>
                    { format!("wants {}, has {}, {} pending{}{}", b.wants, b.has, b.pending,
                        if b.blocked { " — blocked: " } else { " — in progress: " }, causes.join("; ")) }
                </span>
            },
        ));
    }
    if !c.redacted.is_empty() {
        rows.push(("Hidden".into(), html! { format!("you may not see {}", c.redacted.join(", ")) }));
    }
    html! { <NameValue {rows} /> }
}

/// The page of one ScaledObject.
#[function_component]
pub fn ScaledObjectDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let deps = (data.clone(), props.namespace.clone(), props.name.clone());
    let view =
        use_live(deps.clone(), |(data, ns, name)| async move { data.scaled_object_scaler(&ns, &name).await });
    let spec = use_live(deps, |(data, ns, name)| async move { data.scaled_object_spec(&ns, &name).await });
    let title = format!("ScaledObject: {}", props.name);
    let back = Some(Route::ScaledObjects);
    let scaler = match view {
        Load::Loading => {
            return html! { <SectionBox {title} {back}><LoadingPanel what="the ScaledObject" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(answer) => answer,
    };
    let s: Rc<Scaler> = Rc::new(scaler.value.clone());
    let triggers: Rc<[Trigger]> = match &spec {
        Load::Ready(so) => so.spec.triggers.clone().into(),
        _ => Rc::from([]),
    };
    let spec_html = match &spec {
        Load::Loading => {
            html! { <SectionBox title="Scaling settings" main={false}><LoadingPanel what="the spec" /></SectionBox> }
        }
        Load::Failed(error) => {
            html! { <SectionBox title="Scaling settings" main={false}><ErrorPanel error={error.clone()} /></SectionBox> }
        }
        Load::Ready(so) => spec_section(so),
    };
    let ns = AttrValue::from(s.metadata.ns().to_owned());
    let uid = AttrValue::from(s.metadata.uid().to_owned());
    // Pause, resume, paused replicas, scale-in/-out, force activation: each shown only when RBAC allows.
    let actions = html! {
        <ActionBar actions={scaler_actions("ScaledObject", s.metadata.ns(), &s.source.name, &s.pause, s.current_replicas)} />
    };
    html! {
        <div class="ai-detail" data-testid="scaledobject-detail">
            <SectionBox {title} {back} {actions}>
                { gap_notes(&scaler.gaps) }
                { summary(&s) }
            </SectionBox>
            <TriggersSection scaler={s.clone()} spec={triggers} />
            <ScalerHistory scaler={s.clone()} />
            if let Some(hpa) = &s.hpa {
                <HpaSection hpa={hpa.clone()} namespace={ns.clone()} />
            } else {
                <SectionBox title="Horizontal Pod Autoscaler" main={false}>
                    <div class="ai-dim ai-empty-line">{ "KEDA has not named an HPA in status.hpaName yet." }</div>
                </SectionBox>
            }
            { spec_html }
            <PodsSection scaler={s.clone()} />
            <ChainSection namespace={ns.clone()} name={props.name.clone()} />
            <SectionBox title="Conditions" main={false}>
                <ConditionsTable conditions={Rc::<[_]>::from(s.conditions.clone())} />
            </SectionBox>
            <EventsSection kind="ScaledObject" namespace={Some(ns.clone())} uid={uid.clone()} />
            <JournalSection namespace={ns} {uid} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::behavior_rows;

    #[test]
    fn hpa_policies_say_pods_or_percent() {
        let b = serde_json::json!({
            "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                        "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]},
            "scaleDown": {"stabilizationWindowSeconds": 30}
        });
        let rows = behavior_rows(&b);
        assert_eq!(rows[0].1, "stabilization window 0s · select Max · 4 pod(s) per 15s · 100% per 15s");
        assert_eq!(rows[1], ("Scale down".to_owned(), "stabilization window 30s".to_owned()));
        assert!(behavior_rows(&serde_json::json!("odd")).is_empty());
        assert_eq!(behavior_rows(&serde_json::json!({"scaleUp": {}}))[0].1, "Kubernetes defaults");
    }
}
