//! On an HPA page: whether a KEDA ScaledObject owns it (then edits belong on the ScaledObject),
//! and that ScaledObject's state.

use super::{TITLE, line};
use crate::components::{ErrorPanel, GapNotes, Link, LoadingPanel, NameValue, SectionBox};
use crate::data::{Data, DataError, Load, use_live};
use crate::route::Route;
use crate::views::chains::state_chip;
use crate::views::pending::object_link;
use yew::prelude::*;

/// Props of [`HpaSection`].
#[derive(Properties, PartialEq)]
pub struct HpaProps {
    /// Namespace.
    pub namespace: AttrValue,
    /// HPA name.
    pub name: AttrValue,
    /// The owning ScaledObject's name (empty: not owned by KEDA).
    pub owner: AttrValue,
}

/// The section.
#[function_component]
pub fn HpaSection(props: &HpaProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load =
        use_live((data, props.namespace.clone(), props.owner.clone()), |(data, ns, owner)| async move {
            if owner.is_empty() {
                return Err(DataError::NotFound { what: String::new() });
            }
            data.chain(&ns, &owner).await
        });
    if props.owner.is_empty() {
        return line("Not created by KEDA: no ScaledObject owns this HorizontalPodAutoscaler.");
    }
    let so = Route::ScaledObject { namespace: props.namespace.to_string(), name: props.owner.to_string() };
    let owner_row = (
        AttrValue::from("Owned by"),
        html! { <Link route={so}>{ format!("ScaledObject {}", props.owner) }</Link> },
    );
    let note = html! {
        <div class="ai-dim ai-empty-line">
            { "KEDA creates and updates this HPA from the ScaledObject: change the ScaledObject, not the HPA (edits here are overwritten)." }
        </div>
    };
    match load {
        Load::Loading => {
            html! { <SectionBox title={TITLE} main={false}><LoadingPanel what="the ScaledObject" /></SectionBox> }
        }
        Load::Failed(error) => html! {
            <SectionBox title={TITLE} main={false}>
                <NameValue rows={vec![owner_row]} />
                { note }
                <ErrorPanel {error} />
            </SectionBox>
        },
        Load::Ready(answer) => {
            let c = &answer.value;
            let desired = c.desired_replicas.map(|d| d.to_string()).unwrap_or_else(|| "?".to_owned());
            let rows = vec![
                owner_row,
                ("State".into(), state_chip(c.state)),
                ("Target".into(), object_link(&c.workload)),
                ("Replicas".into(), html! { format!("{} ready of {desired} desired", c.ready_replicas) }),
            ];
            html! {
                <SectionBox title={TITLE} main={false}>
                    <GapNotes gaps={answer.gaps.clone()} />
                    <NameValue {rows} />
                    { note }
                </SectionBox>
            }
        }
    }
}
