//! A horizontal bar: a value against a maximum (usage vs limit, replicas vs max, metric vs target).

use super::chip::Tone;
use yew::prelude::*;

/// Props of [`Bar`].
#[derive(Properties, PartialEq)]
pub struct BarProps {
    /// The measured value.
    pub value: f64,
    /// The full scale; a bar with `max <= 0` shows empty.
    pub max: f64,
    /// Text next to the bar, e.g. "3 / 10".
    pub label: AttrValue,
    /// Colour of the filled part.
    #[prop_or(Tone::Info)]
    pub tone: Tone,
}

/// The filled fraction, clamped to 0..=1 (a value above the maximum fills the bar).
pub fn fraction(value: f64, max: f64) -> f64 {
    // NaN is neither > 0 nor finite: such bars show empty.
    if max.is_nan() || max <= 0.0 || !value.is_finite() { 0.0 } else { (value / max).clamp(0.0, 1.0) }
}

/// A bar with its label; accessible as a meter.
#[function_component]
pub fn Bar(props: &BarProps) -> Html {
    let pct = fraction(props.value, props.max) * 100.0;
    html! {
        <span class="ai-bar" role="meter" aria-valuemin="0" aria-valuemax={props.max.to_string()}
            aria-valuenow={props.value.to_string()} aria-label={props.label.clone()}>
            <span class="ai-bar-track">
                <span class={classes!("ai-bar-fill", props.tone.class())} style={format!("width:{pct:.1}%")}></span>
            </span>
            <span class="ai-bar-label">{ props.label.clone() }</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::fraction;

    #[test]
    fn fraction_is_clamped_and_safe() {
        assert_eq!(fraction(5.0, 10.0), 0.5);
        assert_eq!(fraction(15.0, 10.0), 1.0);
        assert_eq!(fraction(-1.0, 10.0), 0.0);
        assert_eq!(fraction(1.0, 0.0), 0.0);
        assert_eq!(fraction(f64::NAN, 10.0), 0.0);
        assert_eq!(fraction(1.0, f64::NAN), 0.0);
    }
}
