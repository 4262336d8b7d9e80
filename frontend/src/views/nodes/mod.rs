//! Nodes with Karpenter context, eks-node-viewer style: requests vs allocatable per resource,
//! pods, instance and capacity type, price, age, Ready/NotReady for how long, cordoned /
//! deleting, NodePool and NodeClaim, with cluster totals. A node's own page is Headlamp's, with
//! our section on it.

pub mod list;

use crate::components::{Chip, Tone};
use model::node::NodeView;
use model::time::human_duration;
use yew::prelude::*;

/// `Ready`, `NotReady 5m`, plus `Cordoned` / `Deleting` / `do-not-disrupt` chips.
pub fn status(n: &NodeView) -> Html {
    let ready = match (n.ready, n.ready_for_seconds) {
        (Some(true), _) => html! { <Chip label="Ready" tone={Tone::Success} /> },
        (Some(false), Some(s)) => {
            html! { <Chip label={format!("NotReady {}", human_duration(s))} tone={Tone::Error} /> }
        }
        (Some(false), None) => html! { <Chip label="NotReady" tone={Tone::Error} /> },
        (None, _) => html! { <Chip label="Unknown" tone={Tone::Neutral} /> },
    };
    html! {
        <span class="ai-tags">
            { ready }
            if n.cordoned { <Chip label="Cordoned" tone={Tone::Warning} /> }
            if n.deleting { <Chip label="Deleting" tone={Tone::Warning} /> }
            if n.do_not_disrupt {
                <Chip label="do-not-disrupt" tone={Tone::Info}
                    title={Some(AttrValue::from("karpenter.sh/do-not-disrupt: Karpenter will not disrupt this node"))} />
            }
        </span>
    }
}

/// Sort order of a node's state: problems first.
pub fn status_rank(n: &NodeView) -> u8 {
    match n.ready {
        Some(false) => 0,
        None => 1,
        Some(true) if n.deleting || n.cordoned => 2,
        Some(true) => 3,
    }
}
