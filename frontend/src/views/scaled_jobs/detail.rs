//! One ScaledJob: state, triggers with live values, history, the job template settings and the
//! scaling strategy, the Jobs it created (succeeded / completions, not parallelism), their pods,
//! conditions, events and the scaling journal.

use crate::actions::ActionBar;
use crate::actions::keda::scaler_actions;
use crate::components::conditions::ConditionsTable;
use crate::components::{Chip, Column, ErrorPanel, Link, LoadingPanel, NameValue, SectionBox, Table, Tone};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::charts::ScalerHistory;
use crate::views::scaled_objects::list::gap_notes;
use crate::views::scaled_objects::sections::{
    EventsSection, JournalSection, PodsSection, TriggersSection, condition_chip, health_cell, paused_chip,
    seconds, state_chip, when,
};
use crate::views::time::{age, now};
use model::keda::{ScaledJob, Trigger};
use model::scaler::{JobSummary, Scaler};
use model::time::human_duration;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ScaledJobDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace of the ScaledJob.
    pub namespace: AttrValue,
    /// Name of the ScaledJob.
    pub name: AttrValue,
}

fn state_cell(j: &JobSummary) -> Html {
    let tone = match j.state.as_str() {
        "Succeeded" => Tone::Success,
        "Failed" => Tone::Error,
        "Suspended" => Tone::Warning,
        "Running" => Tone::Info,
        _ => Tone::Neutral,
    };
    html! { <Chip label={j.state.clone()} {tone} /> }
}

/// `succeeded/completions` as Kubernetes' Completions column counts them (a Job without
/// `completions` is done after one success) — never parallelism.
fn completions_text(j: &JobSummary) -> String {
    format!("{}/{}", j.succeeded, j.completions.unwrap_or(1))
}

fn completion_ratio(j: &JobSummary) -> f64 {
    f64::from(j.succeeded) / f64::from(j.completions.unwrap_or(1).max(1))
}

fn duration(j: &JobSummary) -> Option<f64> {
    let start = j.started?;
    Some(j.finished.unwrap_or_else(now).seconds_since(start))
}

static JOB_COLUMNS: &[Column<(String, JobSummary)>] = &[
    Column {
        label: "Name",
        cell: |(ns, j)| match Route::headlamp("Job", Some(ns), &j.name) {
            Some(route) => html! { <Link {route}>{ j.name.clone() }</Link> },
            None => html! { j.name.clone() },
        },
        sort: Some(|a, b| a.1.name.cmp(&b.1.name)),
        text: Some(|(_, j)| j.name.clone()),
    },
    Column {
        label: "Status",
        cell: |(_, j)| state_cell(j),
        sort: Some(|a, b| a.1.state.cmp(&b.1.state)),
        text: Some(|(_, j)| j.state.clone()),
    },
    Column {
        label: "Completions",
        cell: |(_, j)| html! { completions_text(j) },
        sort: Some(|a, b| completion_ratio(&a.1).total_cmp(&completion_ratio(&b.1))),
        text: None,
    },
    Column {
        label: "Active",
        cell: |(_, j)| html! { j.active },
        sort: Some(|a, b| a.1.active.cmp(&b.1.active)),
        text: None,
    },
    Column {
        label: "Failed pods",
        cell: |(_, j)| html! { j.failed },
        sort: Some(|a, b| a.1.failed.cmp(&b.1.failed)),
        text: None,
    },
    Column {
        label: "Duration",
        cell: |(_, j)| html! { duration(j).map(human_duration).unwrap_or_else(|| "-".into()) },
        sort: Some(|a, b| duration(&a.1).unwrap_or(0.0).total_cmp(&duration(&b.1).unwrap_or(0.0))),
        text: None,
    },
    Column {
        label: "Started",
        cell: |(_, j)| age(j.started, now()),
        sort: Some(|a, b| b.1.started.cmp(&a.1.started)),
        text: None,
    },
];

fn job_key(j: &(String, JobSummary)) -> String {
    j.1.name.clone()
}

/// The Jobs a ScaledJob created (owner reference or label `scaledjob.keda.sh/name`).
fn jobs_section(s: &Scaler) -> Html {
    let ns = s.metadata.ns().to_owned();
    let running = s.jobs.iter().filter(|j| j.state == "Running").count();
    let title = format!("Jobs ({}, {running} running)", s.jobs.len());
    let body = if s.jobs.is_empty() {
        html! { <div class="ai-dim ai-empty-line">{ "No Jobs: none created yet, or all cleaned up by the history limits." }</div> }
    } else {
        let rows: Rc<[(String, JobSummary)]> = s.jobs.iter().map(|j| (ns.clone(), j.clone())).collect();
        html! {
            <Table<(String, JobSummary)> {rows} columns={JOB_COLUMNS}
                row_key={job_key as fn(&(String, JobSummary)) -> String} label="Jobs" />
        }
    };
    html! { <SectionBox {title} main={false}>{ body }</SectionBox> }
}

fn summary(s: &Scaler) -> Html {
    let rows: Vec<(AttrValue, Html)> = vec![
        ("Namespace".into(), html! { s.metadata.ns().to_owned() }),
        ("State".into(), state_chip(s)),
        (
            "Running jobs".into(),
            html! { <>{ s.current_replicas.map(|v| v.to_string()).unwrap_or_else(|| "-".into()) }
            <span class="ai-dim">{ format!(" · min {} · max {}", s.min_replicas, s.max_replicas) }</span></> },
        ),
        ("Ready".into(), condition_chip(s.ready, ("Ready", Tone::Success), ("Not ready", Tone::Error))),
        ("Active".into(), condition_chip(s.active, ("Active", Tone::Info), ("Idle", Tone::Neutral))),
        ("Health".into(), health_cell(s)),
        ("Paused".into(), paused_chip(s)),
        ("Last active".into(), when(s.last_active)),
        ("Age".into(), age(s.metadata.creation_timestamp, now())),
    ];
    html! { <NameValue {rows} /> }
}

fn spec_section(sj: &ScaledJob) -> Html {
    let spec = &sj.spec;
    let opt = |v: Option<i64>| html! { v.map(|v| v.to_string()).unwrap_or_else(|| "-".into()) };
    let mut rows: Vec<(AttrValue, Html)> =
        vec![("Polling interval".into(), seconds(spec.polling_interval, 30))];
    if let Some(j) = &spec.job_target_ref {
        rows.push(("Parallelism".into(), opt(j.parallelism.map(i64::from))));
        rows.push(("Completions".into(), opt(j.completions.map(i64::from))));
        rows.push((
            "Active deadline".into(),
            html! { j.active_deadline_seconds.map(|s| format!("{s}s")).unwrap_or_else(|| "-".into()) },
        ));
        rows.push(("Backoff limit".into(), opt(j.backoff_limit.map(i64::from))));
    }
    rows.push(("Successful jobs kept".into(), html! { spec.successful_jobs_history_limit.unwrap_or(100) }));
    rows.push(("Failed jobs kept".into(), html! { spec.failed_jobs_history_limit.unwrap_or(100) }));
    let rollout = spec
        .rollout
        .as_ref()
        .map(|r| {
            format!(
                "{} (propagation {})",
                r.strategy.as_deref().unwrap_or("default"),
                r.propagation_policy.as_deref().unwrap_or("background")
            )
        })
        .or_else(|| spec.rollout_strategy.as_ref().map(|r| format!("{r} (rolloutStrategy, deprecated)")))
        .unwrap_or_else(|| "default".into());
    rows.push(("Rollout".into(), html! { rollout }));
    if let Some(s) = &spec.scaling_strategy {
        let mut parts = vec![s.strategy.clone().unwrap_or_else(|| "default".into())];
        if let Some(d) = s.custom_scaling_queue_length_deduction {
            parts.push(format!("queue length deduction {d}"));
        }
        if let Some(p) = &s.custom_scaling_running_job_percentage {
            parts.push(format!("running job percentage {p}"));
        }
        if !s.pending_pod_conditions.is_empty() {
            parts.push(format!("pending pod conditions {}", s.pending_pod_conditions.join(", ")));
        }
        if let Some(m) = &s.multiple_scalers_calculation {
            parts.push(format!("multiple scalers: {m}"));
        }
        rows.push(("Scaling strategy".into(), html! { parts.join(" · ") }));
    }
    if let Some(c) = &spec.env_source_container_name {
        rows.push(("Env source container".into(), html! { c.clone() }));
    }
    html! { <SectionBox title="Job settings" main={false}><NameValue {rows} /></SectionBox> }
}

/// The page of one ScaledJob.
#[function_component]
pub fn ScaledJobDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let deps = (data.clone(), props.namespace.clone(), props.name.clone());
    let view =
        use_live(deps.clone(), |(data, ns, name)| async move { data.scaled_job_scaler(&ns, &name).await });
    let spec = use_live(deps, |(data, ns, name)| async move { data.scaled_job(&ns, &name).await });
    let title = format!("ScaledJob: {}", props.name);
    let back = Some(Route::ScaledJobs);
    let answer = match view {
        Load::Loading => {
            return html! { <SectionBox {title} {back}><LoadingPanel what="the ScaledJob" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(a) => a,
    };
    let s: Rc<Scaler> = Rc::new(answer.value.clone());
    let triggers: Rc<[Trigger]> = match &spec {
        Load::Ready(sj) => sj.spec.triggers.clone().into(),
        _ => Rc::from([]),
    };
    let spec_html = match &spec {
        Load::Loading => {
            html! { <SectionBox title="Job settings" main={false}><LoadingPanel what="the spec" /></SectionBox> }
        }
        Load::Failed(error) => {
            html! { <SectionBox title="Job settings" main={false}><ErrorPanel error={error.clone()} /></SectionBox> }
        }
        Load::Ready(sj) => spec_section(sj),
    };
    let ns = AttrValue::from(s.metadata.ns().to_owned());
    let uid = AttrValue::from(s.metadata.uid().to_owned());
    let actions = html! {
        <ActionBar actions={scaler_actions("ScaledJob", s.metadata.ns(), &s.source.name, &s.pause, s.current_replicas)} />
    };
    html! {
        <div class="ai-detail" data-testid="scaledjob-detail">
            <SectionBox {title} {back} {actions}>
                { gap_notes(&answer.gaps) }
                { summary(&s) }
            </SectionBox>
            <TriggersSection scaler={s.clone()} spec={triggers} />
            <ScalerHistory scaler={s.clone()} />
            { spec_html }
            { jobs_section(&s) }
            <PodsSection scaler={s.clone()} />
            <SectionBox title="Conditions" main={false}>
                <ConditionsTable conditions={Rc::<[_]>::from(s.conditions.clone())} />
            </SectionBox>
            <EventsSection kind="ScaledJob" namespace={Some(ns.clone())} uid={uid.clone()} />
            <JournalSection namespace={ns} {uid} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_are_succeeded_over_completions_not_parallelism() {
        let j =
            JobSummary { succeeded: 1, completions: Some(2), parallelism: Some(4), ..JobSummary::default() };
        assert_eq!(completions_text(&j), "1/2");
        let j = JobSummary { succeeded: 1, completions: None, parallelism: Some(1), ..JobSummary::default() };
        assert_eq!(completions_text(&j), "1/1");
        assert_eq!(
            completion_ratio(&JobSummary { succeeded: 0, completions: Some(0), ..JobSummary::default() }),
            0.0
        );
    }
}
