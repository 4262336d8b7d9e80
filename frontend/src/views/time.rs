//! Times as Headlamp shows them: a short age ("5m", "3d") with the exact time as a tooltip.

use model::time::Time;
use yew::prelude::*;

/// Now, from the browser's clock (the view layer reads the clock; `model` never does).
pub fn now() -> Time {
    Time::from_unix_seconds((js_sys::Date::now() / 1000.0) as i64)
}

/// "45s", "12m", "5h", "3d", "2y": the largest unit, like `kubectl get`.
pub fn short_age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h", s / 3_600),
        86_400..31_536_000 => format!("{}d", s / 86_400),
        _ => format!("{}y", s / 31_536_000),
    }
}

/// An age cell: short text, exact timestamp on hover; "-" when unknown.
pub fn age(time: Option<Time>, now: Time) -> Html {
    match time {
        Some(t) => html! {
            <time datetime={t.to_rfc3339()} title={t.to_rfc3339()}>{ short_age(now.unix_seconds() - t.unix_seconds()) }</time>
        },
        None => html! { "-" },
    }
}

#[cfg(test)]
mod tests {
    use super::short_age;

    #[test]
    fn ages_use_the_largest_whole_unit() {
        assert_eq!(short_age(-5), "0s");
        assert_eq!(short_age(59), "59s");
        assert_eq!(short_age(60), "1m");
        assert_eq!(short_age(3_599), "59m");
        assert_eq!(short_age(86_399), "23h");
        assert_eq!(short_age(86_400 * 400), "1y");
    }
}
