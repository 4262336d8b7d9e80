//! A trigger's live value against its target and activation threshold: a bar with two marks.
//!
//! The scale runs from 0 to a bit past the largest of value, target and activation, so the
//! target mark sits inside the bar and a value far above target fills it; the text says the
//! numbers, so nothing depends on colour alone.

use super::chart::format_value;
use super::chip::Tone;
use yew::prelude::*;

/// Props of [`ThresholdBar`].
#[derive(Properties, PartialEq)]
pub struct ThresholdBarProps {
    /// The compared value (per replica for `AverageValue` metrics); `None`: no value yet.
    pub value: Option<f64>,
    /// Target threshold.
    pub target: Option<f64>,
    /// Activation threshold.
    pub activation: Option<f64>,
    /// Accessible name, e.g. "orders-queue: 8.4 per replica, target 10".
    pub label: AttrValue,
}

/// The full scale of the bar: 25% headroom over the largest number, at least 1.
pub fn bar_max(value: Option<f64>, target: Option<f64>, activation: Option<f64>) -> f64 {
    let top =
        [value, target, activation].into_iter().flatten().filter(|v| v.is_finite()).fold(0.0f64, f64::max);
    // The target should sit at 80% of the bar when the value is below it.
    (top * 1.25).max(1.0)
}

/// Colour: above target (scaling out) is info, active below target success, under activation
/// neutral. Scaling out is the scaler doing its job, not a warning.
pub fn tone(value: Option<f64>, target: Option<f64>, activation: Option<f64>) -> Tone {
    match (value, target, activation) {
        (None, _, _) => Tone::Neutral,
        (Some(v), _, Some(a)) if v <= a => Tone::Neutral,
        (Some(v), Some(t), _) if v > t => Tone::Info,
        _ => Tone::Success,
    }
}

fn pct(v: f64, max: f64) -> f64 {
    if v.is_finite() && max > 0.0 { (v / max * 100.0).clamp(0.0, 100.0) } else { 0.0 }
}

/// The bar.
#[function_component]
pub fn ThresholdBar(props: &ThresholdBarProps) -> Html {
    let max = bar_max(props.value, props.target, props.activation);
    let fill = props.value.map(|v| pct(v, max)).unwrap_or(0.0);
    let mark = |v: Option<f64>, class: &'static str, what: &'static str| {
        v.filter(|v| v.is_finite()).map(|v| {
            html! {
                <span class={classes!("ai-tbar-mark", class)} style={format!("left:{:.1}%", pct(v, max))}
                    title={format!("{what} {}", format_value(v))}></span>
            }
        })
    };
    html! {
        <span class="ai-tbar" role="meter" aria-label={props.label.clone()} aria-valuemin="0"
            aria-valuemax={format!("{max}")} aria-valuenow={props.value.map(|v| v.to_string())}>
            <span class="ai-tbar-track">
                <span class={classes!("ai-tbar-fill", tone(props.value, props.target, props.activation).class())}
                    style={format!("width:{fill:.1}%")}></span>
                { mark(props.activation, "ai-tbar-activation", "activation").unwrap_or_default() }
                { mark(props.target, "ai-tbar-target", "target").unwrap_or_default() }
            </span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_leaves_room_above_the_largest_number() {
        assert_eq!(bar_max(Some(8.0), Some(10.0), Some(1.0)), 12.5);
        assert_eq!(bar_max(Some(40.0), Some(10.0), None), 50.0);
        assert_eq!(bar_max(None, None, None), 1.0);
        assert_eq!(bar_max(Some(f64::NAN), Some(2.0), None), 2.5);
    }

    #[test]
    fn tone_follows_the_thresholds() {
        assert_eq!(tone(None, Some(10.0), None), Tone::Neutral);
        assert_eq!(tone(Some(0.5), Some(10.0), Some(1.0)), Tone::Neutral, "not active");
        assert_eq!(tone(Some(5.0), Some(10.0), Some(1.0)), Tone::Success);
        assert_eq!(tone(Some(15.0), Some(10.0), Some(1.0)), Tone::Info, "above target: scaling out");
    }
}
