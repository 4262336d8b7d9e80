//! History charts of a scaler: one chart per trigger (every series KEDA reports for it) with the
//! target and activation thresholds drawn in, and the replicas underneath on the same time axis.
//! A time-range picker sets the window. When Prometheus is absent or failing, the chart area
//! says why instead of staying blank.

use crate::components::chart::{Chart, Dash, Ink, Line, Rule};
use crate::components::{LoadingPanel, SectionBox};
use crate::data::prometheus::{HistoryKey, MetricPanel, metric_panels, replica_series, series_of};
use crate::data::{Data, Load, use_live};
use model::history::{History, Series};
use model::scaler::Scaler;
use std::rc::Rc;
use yew::prelude::*;

/// Time windows of the picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryRange {
    /// 15 minutes.
    Minutes15,
    /// 1 hour.
    Hour,
    /// 6 hours.
    Hours6,
    /// 24 hours.
    Day,
    /// 7 days.
    Week,
}

impl HistoryRange {
    /// Every choice, shortest first.
    pub const ALL: [HistoryRange; 5] = [
        HistoryRange::Minutes15,
        HistoryRange::Hour,
        HistoryRange::Hours6,
        HistoryRange::Day,
        HistoryRange::Week,
    ];

    /// Button text.
    pub fn label(self) -> &'static str {
        match self {
            HistoryRange::Minutes15 => "15m",
            HistoryRange::Hour => "1h",
            HistoryRange::Hours6 => "6h",
            HistoryRange::Day => "24h",
            HistoryRange::Week => "7d",
        }
    }

    /// Length in seconds.
    pub fn seconds(self) -> u32 {
        match self {
            HistoryRange::Minutes15 => 900,
            HistoryRange::Hour => 3600,
            HistoryRange::Hours6 => 21_600,
            HistoryRange::Day => 86_400,
            HistoryRange::Week => 604_800,
        }
    }
}

/// Props of [`RangePicker`].
#[derive(Properties, PartialEq)]
pub struct RangePickerProps {
    /// The chosen window.
    pub value: HistoryRange,
    /// Called with a new window.
    pub on_change: Callback<HistoryRange>,
}

/// A row of toggle buttons (one pressed), like MUI's ToggleButtonGroup.
#[function_component]
pub fn RangePicker(props: &RangePickerProps) -> Html {
    html! {
        <div class="ai-toggle-group" role="group" aria-label="Time range">
            { for HistoryRange::ALL.iter().map(|r| {
                let r = *r;
                let pressed = r == props.value;
                let onclick = props.on_change.reform(move |_: MouseEvent| r);
                html! {
                    <button type="button" class={classes!("ai-toggle", pressed.then_some("ai-toggle-on"))}
                        aria-pressed={pressed.to_string()} {onclick}>{ r.label() }</button>
                }
            }) }
        </div>
    }
}

fn lines_of(series: &[(String, Series)], step: bool, first: usize) -> Vec<Line> {
    series
        .iter()
        .enumerate()
        .map(|(i, (label, s))| {
            let (ink, dash) = Ink::series(first + i);
            Line { label: label.clone(), points: s.points.clone().into(), ink, dash, step }
        })
        .collect()
}

/// `target × current replicas` over time (what an `AverageValue` metric is compared with).
fn capacity_line(target: f64, replicas: &[(String, Series)]) -> Option<Line> {
    let current = replicas.iter().find(|(l, _)| l == "current").or_else(|| replicas.first())?;
    let points: Rc<[(f64, f64)]> = current.1.points.iter().map(|(t, r)| (*t, target * r.max(1.0))).collect();
    Some(Line {
        label: format!("target × replicas ({} each)", crate::components::chart::format_value(target)),
        points,
        ink: Ink::Error,
        dash: Dash::Dashed,
        step: true,
    })
}

fn metric_chart(
    panel: &MetricPanel,
    history: &History,
    replicas: &[(String, Series)],
    scaled_job: bool,
) -> Html {
    let mut lines = lines_of(&panel.series, false, 0);
    let mut rules = Vec::new();
    let title = match &panel.trigger {
        Some(t) => {
            let per_replica = t.metric_type == "AverageValue" && !scaled_job;
            if let Some(target) = t.target {
                match capacity_line(target, replicas).filter(|_| per_replica) {
                    Some(line) => lines.push(line),
                    None => rules.push(Rule {
                        label: if per_replica {
                            "target per replica".into()
                        } else if scaled_job {
                            "target per job".into()
                        } else {
                            "target".into()
                        },
                        value: target,
                        ink: Ink::Error,
                        dash: Dash::Dashed,
                    }),
                }
            }
            if let Some(a) = t.activation {
                rules.push(Rule {
                    label: "activation".into(),
                    value: a,
                    ink: Ink::Muted,
                    dash: Dash::Dotted,
                });
            }
            format!(
                "{} · {}{}",
                t.name.clone().unwrap_or_else(|| format!("trigger #{}", t.index)),
                t.type_,
                t.metric_name.as_deref().map(|m| format!(" · {m}")).unwrap_or_default()
            )
        }
        None => "Other series of this scaler".to_owned(),
    };
    let empty = panel.series.is_empty();
    html! {
        <div class="ai-chart-panel">
            <h3 class="ai-subtitle">{ title.clone() }</h3>
            if empty {
                <div class="ai-dim ai-empty-line">{ "Prometheus has no values for this trigger in this window." }</div>
            }
            <Chart label={format!("{title}: metric value over time")} start={history.start} end={history.end}
                lines={Rc::<[Line]>::from(lines)} rules={Rc::<[Rule]>::from(rules)} />
        </div>
    }
}

fn replicas_chart(s: &Scaler, history: &History, replicas: &[(String, Series)]) -> Html {
    let scaled_job = s.source.kind == "ScaledJob";
    let lines = lines_of(replicas, true, 0);
    let rules = vec![
        Rule { label: "min".into(), value: f64::from(s.min_replicas), ink: Ink::Muted, dash: Dash::Dotted },
        Rule { label: "max".into(), value: f64::from(s.max_replicas), ink: Ink::Muted, dash: Dash::Dashed },
    ];
    let title = if scaled_job { "Running jobs" } else { "Replicas" };
    html! {
        <div class="ai-chart-panel">
            <h3 class="ai-subtitle">{ title }</h3>
            if replicas.is_empty() {
                <div class="ai-dim ai-empty-line">
                    { if scaled_job { "No job history (kube-state-metrics' kube_job_status_active and kube_job_owner)." }
                      else { "No replica history (kube-state-metrics' kube_horizontalpodautoscaler_status_*_replicas)." } }
                </div>
            }
            <Chart label={format!("{title} over time")} start={history.start} end={history.end} height={120.0}
                integer={true} lines={Rc::<[Line]>::from(lines)} rules={Rc::<[Rule]>::from(rules)} />
        </div>
    }
}

/// Props of [`ScalerHistory`].
#[derive(Properties, PartialEq)]
pub struct ScalerHistoryProps {
    /// The scaler (its triggers give the thresholds).
    pub scaler: Rc<Scaler>,
}

/// The "History" section of a ScaledObject or ScaledJob page.
#[function_component]
pub fn ScalerHistory(props: &ScalerHistoryProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let range = use_state(|| HistoryRange::Hour);
    let key = HistoryKey::of(&props.scaler);
    let load = use_live((data, key, range.seconds()), |(data, key, seconds)| async move {
        Ok::<_, crate::data::DataError>(data.scaler_history(&key, f64::from(seconds)).await)
    });
    let on_change = {
        let range = range.clone();
        Callback::from(move |r: HistoryRange| range.set(r))
    };
    let actions = html! { <RangePicker value={*range} {on_change} /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="history from Prometheus" /> },
        Load::Failed(error) => html! { <crate::components::ErrorPanel {error} /> },
        Load::Ready(history) => history_body(&props.scaler, &history),
    };
    html! { <SectionBox title="History" main={false} {actions}><div class="ai-history">{ body }</div></SectionBox> }
}

fn history_body(s: &Scaler, history: &History) -> Html {
    let scaled_job = s.source.kind == "ScaledJob";
    let nothing = history.series.values().all(Vec::is_empty);
    if let (Some(why), true) = (&history.degraded, nothing) {
        return html! {
            <div class="ai-panel ai-chart-unavailable" role="status" data-testid="chart-unavailable">
                <div class="ai-panel-title">{ "No history to chart" }</div>
                <div class="ai-panel-text">{ format!("Charts need Prometheus: {why}.") }</div>
            </div>
        };
    }
    let panels = metric_panels(history, &s.triggers);
    let replicas = replica_series(history, if scaled_job { "running jobs" } else { "replicas" });
    let no_metric = series_of(history, "metric").is_empty();
    html! {
        <>
            if let Some(why) = &history.degraded {
                <div class="ai-notice" role="note" data-testid="chart-degraded">{ format!("Part of the history is missing: {why}.") }</div>
            }
            if no_metric {
                <div class="ai-notice" role="note" data-testid="chart-no-metric">
                    { format!("Prometheus has no keda_scaler_metrics_value for {} {} in this window: is KEDA's operator scraped (its metrics port, /metrics)?",
                        s.source.kind, s.source.name) }
                </div>
            }
            { for panels.iter().map(|p| metric_chart(p, history, &replicas, scaled_job)) }
            { replicas_chart(s, history, &replicas) }
            if let Some(source) = &history.source {
                <div class="ai-dim ai-chart-source" data-testid="chart-source">{ format!("From {source}.") }</div>
            }
        </>
    }
}
