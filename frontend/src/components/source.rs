//! The mode indicator every page title carries: whether the page is live from the Autoscaling
//! Insights server or computed in the browser (and why), and when a refresh failed while older
//! data stays on screen. A `<details>` element: the summary is one short line, the explanation
//! opens with the keyboard (Enter/Space) or a click.

use crate::data::{Data, Origin, now_ms};
use std::rc::Rc;
use yew::prelude::*;

fn dot_class(origin: Option<&Origin>, stale: bool) -> &'static str {
    if stale {
        return "ai-source-dot ai-source-error";
    }
    match origin {
        Some(Origin::Server) => "ai-source-dot ai-source-success",
        Some(Origin::Direct(
            crate::data::DirectWhy::Unreachable(_) | crate::data::DirectWhy::NoPermission(_),
        )) => "ai-source-dot ai-source-warning",
        _ => "ai-source-dot ai-source-neutral",
    }
}

/// "12s ago" for the stale note.
fn ago(since_ms: f64) -> String {
    let secs = ((now_ms() - since_ms) / 1000.0).max(0.0).round();
    format!("{} ago", model::time::human_duration(secs))
}

/// Where this page's data comes from; nothing outside a cluster.
#[function_component]
pub fn SourceIndicator() -> Html {
    let data = use_context::<Data>();
    let refresh = use_force_update();
    let cluster = data.as_ref().map(|d| d.cluster().to_owned()).unwrap_or_default();
    {
        // Follow changes of the cluster's state (origin decided or changed, refresh failures).
        let refresh = refresh.clone();
        use_effect_with(cluster.clone(), move |cluster| {
            let sub = (!cluster.is_empty()).then(|| {
                crate::data::source::cluster_state(cluster).subscribe(Rc::new(move || refresh.force_update()))
            });
            move || drop(sub)
        });
    }
    {
        // Ask once per data change, so the indicator says something even before a view asked.
        use_effect_with(data.clone(), move |data| {
            if let Some(data) = data.clone().filter(|d| !d.cluster().is_empty()) {
                wasm_bindgen_futures::spawn_local(async move {
                    data.origin().await;
                });
            }
        });
    }
    let Some(data) = data.filter(|d| !d.cluster().is_empty()) else {
        return Html::default();
    };
    let state = data.state();
    let origin = state.origin();
    let stale = state.stale();
    let (token, label, detail) = match &origin {
        Some(o) => (o.token(), o.label().to_owned(), o.detail()),
        None => ("checking", "Checking for the Autoscaling Insights server…".to_owned(), String::new()),
    };
    html! {
        <details class="ai-source" data-testid="ai-source" data-origin={token}>
            <summary aria-live="polite">
                <span class={dot_class(origin.as_ref(), stale.is_some())} aria-hidden="true"></span>
                <span class="ai-source-label">{ label }</span>
                if let Some(s) = &stale {
                    <span class="ai-source-stale" data-testid="ai-source-stale">
                        { format!(" · refresh failed, showing data from {}", ago(s.since_ms)) }
                    </span>
                }
            </summary>
            <div class="ai-source-detail">
                <p>{ detail }</p>
                if let Some(s) = &stale {
                    <p>{ format!("Last refresh: {} — {}", s.error.title(), s.error.explanation()) }</p>
                }
            </div>
        </details>
    }
}
