//! A resource's use against its bound (requests vs allocatable, provisioned vs NodePool limit) as
//! a bar with exact amounts; without a bound, the amount alone and "no limit".

use super::bar::Bar;
use super::chip::Tone;
use super::quantity::{amount, unit, used_of};
use model::usage::ResourceUsage;
use yew::prelude::*;

/// The colour of a bar at `ratio`: full is an error, 80% a warning.
pub fn tone_of(ratio: Option<f64>) -> Tone {
    match ratio {
        Some(r) if r >= 1.0 => Tone::Error,
        Some(r) if r >= 0.8 => Tone::Warning,
        _ => Tone::Info,
    }
}

/// `52%` of a ratio, `-` without one.
pub fn percent(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r.is_finite() => format!("{:.0}%", r * 100.0),
        _ => "-".to_owned(),
    }
}

/// Props of [`UsageBar`].
#[derive(Properties, PartialEq)]
pub struct UsageProps {
    /// The row.
    pub usage: ResourceUsage,
    /// What the bound is called when there is none ("no limit").
    #[prop_or(AttrValue::Static("no limit"))]
    pub unbounded: AttrValue,
    /// Show the percentage after the amounts.
    #[prop_or(true)]
    pub show_percent: bool,
    /// Only the percentage next to the bar, the amounts as a tooltip (dense tables).
    #[prop_or(false)]
    pub compact: bool,
}

/// `[████░░] 2.1 / 4 cores (52%)`.
#[function_component]
pub fn UsageBar(props: &UsageProps) -> Html {
    let u = &props.usage;
    match &u.bound {
        Some(bound) => {
            let exact = used_of(&u.name, &u.used, Some(bound));
            let label = if props.compact {
                percent(u.ratio)
            } else if props.show_percent && u.ratio.is_some() {
                format!("{exact} ({})", percent(u.ratio))
            } else {
                exact.clone()
            };
            html! {
                <span class="ai-usage" title={exact}>
                    <Bar value={u.used.as_f64()} max={bound.as_f64()} label={label} tone={tone_of(u.ratio)} />
                </span>
            }
        }
        None => html! {
            <span class="ai-usage-unbounded">
                { format!("{}{}", amount(&u.name, &u.used), unit(&u.name)) }
                <span class="ai-dim">{ format!(" ({})", props.unbounded) }</span>
            </span>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_follow_how_full_it_is() {
        assert_eq!(tone_of(Some(1.0)), Tone::Error);
        assert_eq!(tone_of(Some(0.85)), Tone::Warning);
        assert_eq!(tone_of(Some(0.1)), Tone::Info);
        assert_eq!(tone_of(None), Tone::Info);
        assert_eq!(percent(Some(0.52)), "52%");
        assert_eq!(percent(None), "-");
    }
}
