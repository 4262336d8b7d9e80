//! One cold start: the waterfall of its steps with durations, the slowest marked, and the pod,
//! NodeClaim and node involved.

use super::{step_label, steps};
use crate::components::steps::{Steps, duration};
use crate::components::{ErrorPanel, GapNotes, Link, LoadingPanel, NameValue, SectionBox};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::{claim_link, node_link};
use crate::views::pending::object_link;
use crate::views::time::{age, now};
use yew::prelude::*;

/// Props of [`ColdStartDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// Namespace of the ScaledObject.
    pub namespace: AttrValue,
    /// `<scaledobject>-<activation unix seconds>`.
    pub name: AttrValue,
}

fn dash(text: &str) -> Html {
    html! { <span class="ai-dim">{ text.to_owned() }</span> }
}

/// The page of one cold start.
#[function_component]
pub fn ColdStartDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live((data, props.namespace.clone(), props.name.clone()), |(data, ns, name)| async move {
        data.timeline(&ns, &name).await
    });
    let back = Some(Route::ColdStarts);
    let title = format!("Cold start: {}", props.name);
    let answer = match load {
        Load::Loading => {
            return html! { <SectionBox {title} {back}><LoadingPanel what="the cold start" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(a) => a,
    };
    let t = &answer.value;
    let title = format!("Cold start of {}", t.scaler.name);
    let pod = match &t.pod {
        Some(p) => match Route::headlamp("Pod", Some(t.metadata.ns()), p) {
            Some(route) => html! { <Link {route}>{ p.clone() }</Link> },
            None => html! { p.clone() },
        },
        None => dash("no pod created after this activation"),
    };
    let rows: Vec<(AttrValue, Html)> = vec![
        ("ScaledObject".into(), object_link(&t.scaler)),
        ("Workload".into(), t.workload.as_ref().map(object_link).unwrap_or_else(|| dash("-"))),
        ("Activated".into(), html! { <>{ age(Some(t.activated_at), now()) }{ " ago" }</> }),
        (
            "Time to ready".into(),
            match (t.total_seconds, t.complete) {
                (Some(s), true) => html! { duration(s) },
                (Some(s), false) => html! { format!("{} so far (not ready yet)", duration(s)) },
                (None, _) => dash("-"),
            },
        ),
        (
            "Slowest step".into(),
            t.slowest_step.as_deref().map(|s| html! { step_label(s) }).unwrap_or_else(|| dash("-")),
        ),
        ("First pod".into(), pod),
        (
            "NodeClaim".into(),
            t.node_claim
                .as_deref()
                .map(claim_link)
                .unwrap_or_else(|| dash("none: the pod fit on an existing node")),
        ),
        ("Node".into(), t.node.as_deref().map(node_link).unwrap_or_else(|| dash("-"))),
    ];
    html! {
        <>
            <SectionBox {title} {back}>
                <GapNotes gaps={answer.gaps.clone()} />
                <NameValue {rows} />
            </SectionBox>
            <SectionBox title="Steps" main={false}>
                <Steps steps={steps(t)} start={Some(t.activated_at)} label="Cold start steps" />
            </SectionBox>
        </>
    }
}
