//! Line charts drawn as SVG by us: series over time, horizontal rules (target, activation,
//! min/max) and a time axis. Colours are theme variables only, so light and dark both read well;
//! a second channel (dash pattern) tells series apart where two theme colours look alike.
//!
//! The geometry (scales, ticks, paths) is plain functions tested on the host; the component
//! only lays them out and tracks the hovered time.

use model::time::Time;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Theme colour of a line or rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    /// `--ai-primary`.
    Primary,
    /// `--ai-success`.
    Success,
    /// `--ai-warning`.
    Warning,
    /// `--ai-error`.
    Error,
    /// `--ai-info`.
    Info,
    /// `--ai-text2` (secondary text).
    Muted,
    /// `--ai-text` (primary text).
    Text,
}

impl Ink {
    /// The CSS colour.
    pub fn css(self) -> &'static str {
        match self {
            Ink::Primary => "var(--ai-primary)",
            Ink::Success => "var(--ai-success)",
            Ink::Warning => "var(--ai-warning)",
            Ink::Error => "var(--ai-error)",
            Ink::Info => "var(--ai-info)",
            Ink::Muted => "var(--ai-text2)",
            Ink::Text => "var(--ai-text)",
        }
    }

    /// Colour and dash of the `i`-th data series: four colours, then the same with dashes.
    pub fn series(i: usize) -> (Ink, Dash) {
        // Headlamp's primary is near-black in its light theme: data series start with the info blue.
        const INKS: [Ink; 4] = [Ink::Info, Ink::Success, Ink::Warning, Ink::Text];
        const DASHES: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];
        (INKS[i % INKS.len()], DASHES[(i / INKS.len()) % DASHES.len()])
    }
}

/// Stroke pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// Continuous.
    Solid,
    /// Long dashes.
    Dashed,
    /// Dots.
    Dotted,
}

impl Dash {
    fn array(self) -> Option<&'static str> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some("6 4"),
            Dash::Dotted => Some("2 3"),
        }
    }
}

/// One series: `(unix seconds, value)` points in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Legend text.
    pub label: String,
    /// Points; NaN/infinite values leave a gap.
    pub points: Rc<[(f64, f64)]>,
    /// Colour.
    pub ink: Ink,
    /// Pattern.
    pub dash: Dash,
    /// Drawn as steps (a count that holds until the next sample, e.g. replicas).
    pub step: bool,
}

/// A horizontal line at a fixed value (target, activation threshold, min, max).
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Legend text.
    pub label: String,
    /// The value.
    pub value: f64,
    /// Colour.
    pub ink: Ink,
    /// Pattern.
    pub dash: Dash,
}

/// A linear map from a domain to a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    /// Maps `[d0, d1]` onto `[r0, r1]` (an empty domain maps to the middle of the range).
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        Scale { d0, d1, r0, r1 }
    }

    /// Where `v` lands.
    pub fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// The domain value at range position `r`.
    pub fn invert(&self, r: f64) -> f64 {
        let span = self.r1 - self.r0;
        if span == 0.0 {
            return self.d0;
        }
        self.d0 + (r - self.r0) / span * (self.d1 - self.d0)
    }
}

/// Round tick values covering `[min, max]`: about `count` steps of 1, 2 or 5 × 10ⁿ. The last
/// tick is at or above `max`, the first at or below `min`.
pub fn nice_ticks(min: f64, max: f64, count: usize, integer: bool) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() || count == 0 {
        return vec![0.0, 1.0];
    }
    let (min, max) =
        if max > min { (min, max) } else { (min, min + if integer { 1.0 } else { 1.0f64.max(min.abs()) }) };
    let rough = (max - min) / count as f64;
    let magnitude = 10f64.powf(rough.log10().floor());
    let mut step =
        [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= rough).unwrap_or(10.0 * magnitude);
    if integer {
        step = step.max(1.0).round();
    }
    let first = (min / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = first;
    // Bounded: `count` is small and step >= rough, so this ends within count + 2 iterations.
    while ticks.len() <= count + 2 {
        // Avoid "-0" and float fuzz like 0.30000000000000004: round to the step's decimals.
        let decimals = (-step.log10().floor()).clamp(0.0, 12.0) as i32;
        let scale = 10f64.powi(decimals);
        let clean = ((v / step).round() * step * scale).round() / scale;
        ticks.push(if clean == 0.0 { 0.0 } else { clean });
        if v >= max {
            break;
        }
        v += step;
    }
    ticks
}

/// Tick intervals for time axes, in seconds.
const TIME_STEPS: &[f64] = &[
    15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0, 86400.0,
    172800.0, 604800.0,
];

/// Time ticks `(unix seconds, label)` for `[start, end]`, about `count` of them, aligned to
/// round local times. `utc_offset_s` is local time minus UTC in seconds.
pub fn time_ticks(start: f64, end: f64, count: usize, utc_offset_s: i64) -> Vec<(f64, String)> {
    if !start.is_finite() || !end.is_finite() || end <= start || count == 0 {
        return Vec::new();
    }
    let rough = (end - start) / count as f64;
    let step = TIME_STEPS.iter().copied().find(|s| *s >= rough).unwrap_or(604800.0);
    let offset = utc_offset_s as f64;
    let mut t = ((start + offset) / step).ceil() * step - offset;
    let mut out = Vec::new();
    while t <= end && out.len() <= count * 2 {
        let local = Time::from_unix_seconds((t + offset).round() as i64).to_rfc3339();
        // RFC 3339 "2026-11-30T06:22:04Z": date at 5..10, time at 11..16 (19 with seconds).
        let label = if step >= 86400.0 {
            local.get(5..10).unwrap_or_default().to_owned()
        } else if step < 60.0 {
            local.get(11..19).unwrap_or_default().to_owned()
        } else {
            local.get(11..16).unwrap_or_default().to_owned()
        };
        out.push((t, label));
        t += step;
    }
    out
}

/// A short number: `12`, `0.25`, `1.5k`, `3.2M`; NaN as "-".
pub fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_owned();
    }
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e12 {
        (v / 1e12, "T")
    } else if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = if scaled.fract() == 0.0 || scaled.abs() >= 100.0 {
        format!("{scaled:.0}")
    } else if scaled.abs() >= 10.0 {
        format!("{scaled:.1}")
    } else if scaled.abs() >= 0.01 {
        format!("{scaled:.2}")
    } else {
        format!("{scaled:.2e}")
    };
    // "1.50" → "1.5", "2.00" → "2"
    let text = if text.contains('.') && !text.contains('e') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    format!("{text}{suffix}")
}

/// The usual spacing of a series (median gap between samples), for telling a gap from a step.
fn typical_gap(points: &[(f64, f64)]) -> Option<f64> {
    let mut gaps: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).filter(|g| *g > 0.0).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    Some(gaps[gaps.len() / 2])
}

/// An SVG path through `points`. A missing value (NaN) or a hole of more than 2.5 usual gaps
/// starts a new segment, so absent data is not drawn as a straight line; `step` holds each value
/// until the next sample.
pub fn path(points: &[(f64, f64)], x: &Scale, y: &Scale, step: bool) -> String {
    let gap = typical_gap(points).map(|g| g * 2.5);
    let mut d = String::new();
    let mut prev: Option<(f64, f64)> = None;
    for &(t, v) in points {
        if !v.is_finite() || !t.is_finite() {
            prev = None;
            continue;
        }
        let (px, py) = (x.at(t), y.at(v));
        let broken = match (prev, gap) {
            (Some((pt, _)), Some(g)) => t - pt > g,
            (None, _) => true,
            _ => false,
        };
        if broken {
            d.push_str(&format!("M{px:.1},{py:.1}"));
        } else if step {
            d.push_str(&format!("H{px:.1}V{py:.1}"));
        } else {
            d.push_str(&format!("L{px:.1},{py:.1}"));
        }
        prev = Some((t, v));
    }
    d
}

/// The value of a series at time `t`: the last sample at or before `t` (within 2.5 usual gaps).
pub fn value_at(points: &[(f64, f64)], t: f64) -> Option<f64> {
    let i = points.partition_point(|p| p.0 <= t);
    let (pt, v) = *points.get(i.checked_sub(1)?)?;
    let limit = typical_gap(points).map(|g| g * 2.5).unwrap_or(f64::INFINITY);
    (t - pt <= limit && v.is_finite()).then_some(v)
}

/// The y domain: from 0 (or the lowest value when negative) to the highest value or rule.
pub fn y_domain(lines: &[Line], rules: &[Rule], start: f64, end: f64) -> (f64, f64) {
    let values = lines
        .iter()
        .flat_map(|l| l.points.iter().filter(|p| p.0 >= start && p.0 <= end).map(|p| p.1))
        .chain(rules.iter().map(|r| r.value))
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((0.0f64, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if hi == f64::NEG_INFINITY { (0.0, 1.0) } else { (lo, hi) }
}

// Layout of the SVG's coordinate space (it scales to the element's width).
const WIDTH: f64 = 800.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 24.0;

/// Props of [`Chart`].
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// Accessible name ("Metric s0-redis-orders, last hour").
    pub label: AttrValue,
    /// Start of the time axis (unix seconds).
    pub start: f64,
    /// End of the time axis (unix seconds).
    pub end: f64,
    /// Series.
    pub lines: Rc<[Line]>,
    /// Horizontal rules.
    #[prop_or_default]
    pub rules: Rc<[Rule]>,
    /// Height in SVG units (the width is 800 units scaled to the element).
    #[prop_or(170.0)]
    pub height: f64,
    /// Whole-number axis (replica counts).
    #[prop_or_default]
    pub integer: bool,
}

thread_local! {
    static NEXT_CHART: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Local time minus UTC, in seconds, from the browser.
fn utc_offset_s() -> i64 {
    // getTimezoneOffset is UTC minus local, in minutes.
    -(js_sys::Date::new_0().get_timezone_offset() as i64) * 60
}

/// A time-series chart with a legend; hover or arrow keys show the values at one time.
#[function_component]
pub fn Chart(props: &ChartProps) -> Html {
    let hover = use_state(|| None::<f64>);
    let svg_ref = use_node_ref();
    // A clip path per chart: lines never leave the plot area (samples before the window start).
    let clip = use_state(|| {
        NEXT_CHART.with(|n| {
            n.set(n.get() + 1);
            format!("ai-chart-clip-{}", n.get())
        })
    });
    let h = props.height.max(60.0);
    let x = Scale::new(props.start, props.end, LEFT, WIDTH - RIGHT);
    let (lo, hi) = y_domain(&props.lines, &props.rules, props.start, props.end);
    let ticks = nice_ticks(lo, hi, 4, props.integer);
    let (y0, y1) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
    let y = Scale::new(y0, y1, h - BOTTOM, TOP);
    let offset = utc_offset_s();

    let grid = ticks.iter().map(|v| {
        let py = y.at(*v);
        html! {
            <g>
                <line class="ai-chart-grid" x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()}
                    y1={format!("{py:.1}")} y2={format!("{py:.1}")} />
                <text class="ai-chart-tick" x={(LEFT - 6.0).to_string()} y={format!("{:.1}", py + 4.0)} text-anchor="end">
                    { format_value(*v) }
                </text>
            </g>
        }
    });
    let time_axis = time_ticks(props.start, props.end, 6, offset).into_iter().map(|(t, label)| {
        let px = x.at(t);
        html! {
            <g>
                <line class="ai-chart-grid ai-chart-grid-v" x1={format!("{px:.1}")} x2={format!("{px:.1}")}
                    y1={TOP.to_string()} y2={(h - BOTTOM).to_string()} />
                <text class="ai-chart-tick" x={format!("{px:.1}")} y={(h - 6.0).to_string()} text-anchor="middle">{ label }</text>
            </g>
        }
    });
    let rules = props.rules.iter().filter(|r| r.value.is_finite()).map(|r| {
        let py = y.at(r.value);
        html! {
            <line class="ai-chart-rule" x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()}
                y1={format!("{py:.1}")} y2={format!("{py:.1}")} stroke={r.ink.css()}
                stroke-dasharray={r.dash.array()}>
                <title>{ format!("{}: {}", r.label, format_value(r.value)) }</title>
            </line>
        }
    });
    let lines = props.lines.iter().map(|l| {
        html! {
            <path class="ai-chart-line" d={path(&l.points, &x, &y, l.step)} stroke={l.ink.css()}
                stroke-dasharray={l.dash.array()} />
        }
    });

    // Hover: the pointer's x in SVG units → a time; arrow keys move it by 1/60 of the range.
    let onmousemove = {
        let hover = hover.clone();
        let svg = svg_ref.clone();
        Callback::from(move |e: MouseEvent| {
            // Measured on the <svg> itself (Yew delegates events, so currentTarget is not it).
            let Some((left, width)) = svg.get().and_then(|el| bounding_left_width(&el)) else { return };
            if width <= 0.0 {
                return;
            }
            let svg_x = (f64::from(e.client_x()) - left) / width * WIDTH;
            if (LEFT..=WIDTH - RIGHT).contains(&svg_x) {
                hover.set(Some(x.invert(svg_x)));
            } else {
                hover.set(None);
            }
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let (start, end) = (props.start, props.end);
    let onkeydown = {
        let hover = hover.clone();
        Callback::from(move |e: KeyboardEvent| {
            let nudge = (end - start) / 60.0;
            let current = (*hover).unwrap_or(end);
            let next = match e.key().as_str() {
                "ArrowLeft" => current - nudge,
                "ArrowRight" => current + nudge,
                "Home" => start,
                "End" => end,
                "Escape" => {
                    hover.set(None);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            hover.set(Some(next.clamp(start, end)));
        })
    };
    let onblur = {
        let hover = hover.clone();
        Callback::from(move |_: FocusEvent| hover.set(None))
    };

    let cursor = hover.map(|t| {
        let px = x.at(t);
        html! { <line class="ai-chart-cursor" x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1={TOP.to_string()} y2={(h - BOTTOM).to_string()} /> }
    });
    // The legend shows the values at the hovered time, else the latest ones.
    let legend = props.lines.iter().map(|l| {
        let v = match *hover {
            Some(t) => value_at(&l.points, t),
            None => l.points.iter().rev().find(|p| p.1.is_finite()).map(|p| p.1),
        };
        html! {
            <span class="ai-legend-item">
                { swatch(l.ink, l.dash) }
                <span class="ai-legend-label">{ l.label.clone() }</span>
                <span class="ai-legend-value">{ v.map(format_value).unwrap_or_else(|| "-".into()) }</span>
            </span>
        }
    });
    let rule_legend = props.rules.iter().map(|r| {
        html! {
            <span class="ai-legend-item">
                { swatch(r.ink, r.dash) }
                <span class="ai-legend-label">{ r.label.clone() }</span>
                <span class="ai-legend-value">{ format_value(r.value) }</span>
            </span>
        }
    });
    let at = match *hover {
        Some(t) => {
            let iso = Time::from_unix_seconds((t + offset as f64) as i64).to_rfc3339();
            format!("at {}", iso.get(11..19).unwrap_or_default())
        }
        None => "latest".to_owned(),
    };
    html! {
        <figure class="ai-chart">
            <svg ref={svg_ref} class="ai-chart-svg" viewBox={format!("0 0 {WIDTH} {h}")} role="img" aria-label={props.label.clone()}
                tabindex="0" {onmousemove} {onmouseleave} {onkeydown} {onblur} preserveAspectRatio="xMidYMid meet">
                <title>{ props.label.clone() }</title>
                <defs>
                    <clipPath id={(*clip).clone()}>
                        <rect x={LEFT.to_string()} y={(TOP - 2.0).to_string()} width={(WIDTH - RIGHT - LEFT).to_string()}
                            height={(h - BOTTOM - TOP + 4.0).to_string()} />
                    </clipPath>
                </defs>
                { for grid }
                { for time_axis }
                <line class="ai-chart-axis" x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()}
                    y1={(h - BOTTOM).to_string()} y2={(h - BOTTOM).to_string()} />
                <g clip-path={format!("url(#{})", *clip)}>
                    { for rules }
                    { for lines }
                </g>
                { cursor.unwrap_or_default() }
            </svg>
            <figcaption class="ai-legend" aria-live="polite">
                <span class="ai-legend-at">{ at }</span>
                { for legend }
                { for rule_legend }
            </figcaption>
        </figure>
    }
}

/// `left` and `width` of an element's box on screen (getBoundingClientRect, read dynamically).
fn bounding_left_width(el: &web_sys::Node) -> Option<(f64, f64)> {
    let f: js_sys::Function =
        js_sys::Reflect::get(el, &"getBoundingClientRect".into()).ok()?.dyn_into().ok()?;
    let rect = f.call0(el).ok()?;
    let num = |k: &str| js_sys::Reflect::get(&rect, &k.into()).ok().and_then(|v| v.as_f64());
    Some((num("left")?, num("width")?))
}

/// A short sample of a line's colour and pattern for legends.
pub fn swatch(ink: Ink, dash: Dash) -> Html {
    html! {
        <svg class="ai-swatch" viewBox="0 0 24 8" width="24" height="8" aria-hidden="true">
            <line x1="0" x2="24" y1="4" y2="4" stroke={ink.css()} stroke-width="2.5" stroke-dasharray={dash.array()} />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 100.0, 4, false), vec![0.0, 50.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 94.0, 4, false), vec![0.0, 50.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 7.0, 4, true), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(0.0, 0.3, 3, false), vec![0.0, 0.1, 0.2, 0.3]);
        // A flat series still gets an axis.
        assert_eq!(nice_ticks(0.0, 0.0, 4, true), vec![0.0, 1.0]);
        // Whole-number axes never get fractional steps.
        assert!(nice_ticks(0.0, 2.0, 8, true).iter().all(|t| t.fract() == 0.0));
        assert_eq!(nice_ticks(f64::NAN, 1.0, 4, false), vec![0.0, 1.0]);
    }

    #[test]
    fn time_ticks_align_to_round_local_times() {
        // 06:00:10Z .. 07:00:10Z, UTC: ticks every 10 minutes from 06:10.
        let start = 1_796_018_410.0;
        let ticks = time_ticks(start, start + 3600.0, 6, 0);
        assert_eq!(ticks.first().map(|t| t.1.as_str()), Some("06:10"));
        assert_eq!(ticks.len(), 6);
        // Two hours ahead of UTC: labels move, positions stay round in local time.
        let ticks = time_ticks(start, start + 3600.0, 6, 7200);
        assert_eq!(ticks.first().map(|t| t.1.as_str()), Some("08:10"));
        // A week: dates.
        let ticks = time_ticks(start, start + 7.0 * 86400.0, 6, 0);
        assert!(ticks.iter().all(|t| t.1.len() == 5 && t.1.contains('-')), "{ticks:?}");
        assert!(time_ticks(10.0, 5.0, 6, 0).is_empty());
    }

    #[test]
    fn values_are_short() {
        assert_eq!(format_value(42.0), "42");
        assert_eq!(format_value(0.25), "0.25");
        assert_eq!(format_value(1.5), "1.5");
        assert_eq!(format_value(12_345.0), "12.3k");
        assert_eq!(format_value(3_200_000.0), "3.2M");
        assert_eq!(format_value(f64::NAN), "-");
        assert_eq!(format_value(-2.0), "-2");
    }

    #[test]
    fn paths_break_at_gaps_and_missing_values() {
        let x = Scale::new(0.0, 100.0, 0.0, 100.0);
        let y = Scale::new(0.0, 10.0, 10.0, 0.0);
        let pts = [(0.0, 0.0), (10.0, 5.0), (20.0, f64::NAN), (30.0, 10.0), (40.0, 10.0), (90.0, 0.0)];
        let d = path(&pts, &x, &y, false);
        assert_eq!(d, "M0.0,10.0L10.0,5.0M30.0,0.0L40.0,0.0M90.0,10.0");
        let d = path(&[(0.0, 1.0), (10.0, 2.0), (20.0, 2.0)], &x, &y, true);
        assert_eq!(d, "M0.0,9.0H10.0V8.0H20.0V8.0");
        assert_eq!(path(&[], &x, &y, false), "");
    }

    #[test]
    fn value_at_takes_the_last_sample_and_respects_gaps() {
        let pts = [(0.0, 1.0), (10.0, 2.0), (20.0, 3.0)];
        assert_eq!(value_at(&pts, 15.0), Some(2.0));
        assert_eq!(value_at(&pts, 20.0), Some(3.0));
        assert_eq!(value_at(&pts, -1.0), None);
        assert_eq!(value_at(&pts, 100.0), None, "far past the last sample");
    }

    #[test]
    fn y_domain_includes_rules_and_zero() {
        let line = Line {
            label: "v".into(),
            points: vec![(0.0, 3.0), (1.0, 5.0), (50.0, 999.0)].into(),
            ink: Ink::Primary,
            dash: Dash::Solid,
            step: false,
        };
        let rule = Rule { label: "target".into(), value: 10.0, ink: Ink::Error, dash: Dash::Dashed };
        // The sample at t=50 is outside the window and does not stretch the axis.
        assert_eq!(y_domain(&[line], &[rule], 0.0, 10.0), (0.0, 10.0));
        assert_eq!(y_domain(&[], &[], 0.0, 10.0), (0.0, 1.0));
    }

    #[test]
    fn scales_map_and_invert() {
        let s = Scale::new(100.0, 200.0, 0.0, 800.0);
        assert_eq!(s.at(150.0), 400.0);
        assert_eq!(s.invert(400.0), 150.0);
        assert_eq!(Scale::new(5.0, 5.0, 0.0, 10.0).at(5.0), 5.0);
    }
}
