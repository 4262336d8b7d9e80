//! A waterfall of steps in time: each step's bar starts where the previous one ended and is as
//! long as the step took, so the slow step stands out (and is marked). Used for NodeClaim
//! lifecycles (Created → Launched → Registered → Initialized) and cold starts.

use super::chip::{Chip, Tone};
use super::quantity::decimal;
use crate::views::time::{age, now};
use model::time::{Time, human_duration};
use std::rc::Rc;
use yew::prelude::*;

/// One step to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What happened ("NodeClaim launched").
    pub label: String,
    /// When (`None`: not yet, or unknown).
    pub at: Option<Time>,
    /// Seconds since the previous step that has a time.
    pub after_seconds: Option<f64>,
    /// Detail: the event message, the object involved, why it is pending.
    pub detail: Option<String>,
    /// The slowest step of the sequence.
    pub slowest: bool,
    /// A failure (e.g. FailedScheduling): drawn in the error colour.
    pub failed: bool,
}

/// Where each bar starts and how wide it is, in percent of the whole span.
pub fn geometry(steps: &[Step], start: Option<Time>) -> Vec<Option<(f64, f64)>> {
    let start = start.or_else(|| steps.iter().filter_map(|s| s.at).min());
    let end = steps.iter().filter_map(|s| s.at).max();
    let (Some(start), Some(end)) = (start, end) else { return vec![None; steps.len()] };
    let span = end.seconds_since(start).max(0.0);
    steps
        .iter()
        .map(|s| {
            let at = s.at?;
            if span <= 0.0 {
                return Some((0.0, 0.0));
            }
            let took = s.after_seconds.unwrap_or(0.0).max(0.0);
            let end_pct = (at.seconds_since(start) / span * 100.0).clamp(0.0, 100.0);
            let width = (took / span * 100.0).clamp(0.0, end_pct);
            Some((end_pct - width, width))
        })
        .collect()
}

/// Marks the step that took longest (when any took more than zero seconds).
pub fn mark_slowest(steps: &mut [Step]) {
    let slowest = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.after_seconds.filter(|_| s.at.is_some())?)))
        .filter(|(_, secs)| *secs > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    for (i, s) in steps.iter_mut().enumerate() {
        s.slowest = Some(i) == slowest;
    }
}

/// `12s`, `1.5s`, `3m4s`.
pub fn duration(seconds: f64) -> String {
    if seconds < 10.0 {
        format!("{}s", decimal((seconds * 10.0).round() / 10.0))
    } else {
        human_duration(seconds)
    }
}

/// Props of [`Steps`].
#[derive(Properties, PartialEq)]
pub struct StepsProps {
    /// The steps, in causal order.
    pub steps: Rc<[Step]>,
    /// Time zero of the bars (activation, creation); default: the first step's time.
    #[prop_or_default]
    pub start: Option<Time>,
    /// Accessible name.
    pub label: AttrValue,
}

/// The waterfall: step, bar, how long it took, when it happened.
#[function_component]
pub fn Steps(props: &StepsProps) -> Html {
    let geometry = geometry(&props.steps, props.start);
    let now = now();
    let rows = props.steps.iter().zip(geometry).enumerate().map(|(i, (s, g))| {
        let state = if s.failed {
            "failed"
        } else if s.at.is_none() {
            "pending"
        } else if s.slowest {
            "slowest"
        } else {
            "done"
        };
        let bar = match g {
            Some((left, width)) => html! {
                <span class="ai-wf-track" aria-hidden="true">
                    <span class="ai-wf-seg" style={format!("left:{left:.2}%;width:{width:.2}%")}></span>
                </span>
            },
            None => html! { <span class="ai-wf-track ai-wf-track-empty" aria-hidden="true"></span> },
        };
        let took = match (s.at, s.after_seconds) {
            (Some(_), Some(secs)) => html! { <>{ "+" }{ duration(secs) }</> },
            (Some(_), None) => html! { <span class="ai-dim">{ "start" }</span> },
            (None, _) => html! { <span class="ai-dim">{ "not yet" }</span> },
        };
        html! {
            <li class="ai-wf-row" data-state={state} key={i}>
                <span class="ai-wf-label">
                    <span class="ai-wf-dot" aria-hidden="true"></span>
                    <span>{ s.label.clone() }</span>
                    if s.slowest {
                        <Chip label="slowest" tone={Tone::Warning} />
                    }
                </span>
                { bar }
                <span class="ai-wf-took">{ took }</span>
                <span class="ai-wf-at">{ s.at.map(|t| html! { <>{ age(Some(t), now) }{ " ago" }</> }).unwrap_or_default() }</span>
                if let Some(d) = &s.detail {
                    <span class="ai-wf-detail">{ d.clone() }</span>
                }
            </li>
        }
    });
    html! { <ol class="ai-wf" aria-label={props.label.clone()}>{ for rows }</ol> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(at: Option<i64>, after: Option<f64>) -> Step {
        Step {
            label: String::new(),
            at: at.map(Time::from_unix_seconds),
            after_seconds: after,
            detail: None,
            slowest: false,
            failed: false,
        }
    }

    #[test]
    fn bars_start_where_the_previous_step_ended() {
        let steps = [
            step(Some(100), None),
            step(Some(110), Some(10.0)),
            step(Some(140), Some(30.0)),
            step(None, None),
        ];
        let g = geometry(&steps, None);
        assert_eq!(g[0], Some((0.0, 0.0)));
        assert_eq!(g[1], Some((0.0, 25.0)));
        assert_eq!(g[2], Some((25.0, 75.0)));
        assert_eq!(g[3], None);
    }

    #[test]
    fn the_longest_step_is_marked() {
        let mut steps = [step(Some(100), None), step(Some(130), Some(30.0)), step(Some(140), Some(10.0))];
        mark_slowest(&mut steps);
        assert_eq!(steps.iter().map(|s| s.slowest).collect::<Vec<_>>(), [false, true, false]);
        let mut none = [step(Some(1), None), step(Some(1), Some(0.0))];
        mark_slowest(&mut none);
        assert!(none.iter().all(|s| !s.slowest));
    }

    #[test]
    fn no_times_and_zero_spans_draw_nothing_wrong() {
        assert_eq!(geometry(&[step(None, None)], None), vec![None]);
        assert_eq!(geometry(&[step(Some(5), None), step(Some(5), Some(0.0))], None)[1], Some((0.0, 0.0)));
        assert_eq!(duration(1.25), "1.3s");
        assert_eq!(duration(75.0), "75s");
    }
}
