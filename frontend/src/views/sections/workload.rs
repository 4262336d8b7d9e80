//! On a Deployment / StatefulSet page: the ScaledObject that scales it, its live state, the
//! scale-out if one is waiting, and the whole chain down to nodes and NodePools.

use super::{TITLE, line};
use crate::components::{ErrorPanel, GapNotes, Link, LoadingPanel, NameValue, SectionBox};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::chains::detail::ChainView;
use crate::views::chains::state_chip;
use model::chain::chain_for_workload;
use yew::prelude::*;

/// Props of [`WorkloadSection`].
#[derive(Properties, PartialEq)]
pub struct WorkloadProps {
    /// `Deployment` or `StatefulSet`.
    pub kind: AttrValue,
    /// Namespace.
    pub namespace: AttrValue,
    /// Name.
    pub name: AttrValue,
}

/// The section.
#[function_component]
pub fn WorkloadSection(props: &WorkloadProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load =
        use_live((data, props.namespace.clone()), |(data, ns)| async move { data.chains_in(&ns).await });
    let answer = match load {
        Load::Loading => {
            return html! { <SectionBox title={TITLE} main={false}><LoadingPanel what="autoscaling" /></SectionBox> };
        }
        Load::Failed(error) => {
            return html! { <SectionBox title={TITLE} main={false}><ErrorPanel {error} /></SectionBox> };
        }
        Load::Ready(a) => a,
    };
    let Some(chain) = chain_for_workload(&answer.value, &props.namespace, &props.kind, &props.name) else {
        return line(format!("No KEDA ScaledObject scales this {}.", props.kind));
    };
    let route =
        Route::ScaledObject { namespace: chain.metadata.ns().to_owned(), name: chain.metadata.name.clone() };
    let desired = chain.desired_replicas.map(|d| d.to_string()).unwrap_or_else(|| "?".to_owned());
    let rows: Vec<(AttrValue, Html)> = vec![
        (
            "Scaled by".into(),
            html! { <><Link {route}>{ format!("ScaledObject {}", chain.metadata.name) }</Link>{ " " }{ state_chip(chain.state) }</> },
        ),
        ("Replicas".into(), html! { format!("{} ready of {desired} desired", chain.ready_replicas) }),
        (
            "Chain".into(),
            html! {
                <Link route={Route::Chain { namespace: chain.metadata.ns().to_owned(), name: chain.metadata.name.clone() }}>
                    { "Open the scaling chain" }
                </Link>
            },
        ),
    ];
    html! {
        <SectionBox title={TITLE} main={false}>
            <GapNotes gaps={answer.gaps.clone()} />
            <NameValue {rows} />
            <ChainView chain={chain.clone()} />
        </SectionBox>
    }
}
