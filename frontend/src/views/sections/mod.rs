//! Sections on Headlamp's own pages (Deployment, StatefulSet, HPA, Pod, Node), mounted by
//! `js/registry.js` (`registerDetailsViewSection`) through the same mount API as the pages.
//! Each is one `Autoscaling` box; when there is nothing to say it says so in one line.

pub mod columns;
pub mod hpa;
pub mod node;
pub mod pod;
pub mod workload;

use crate::actions::{Action, Target, annotation_patch};
use crate::components::SectionBox;
use model::karpenter::annotations::DO_NOT_DISRUPT;
use yew::prelude::*;

/// The title of every section.
pub const TITLE: &str = "Autoscaling";

/// A section box with one dim line (nothing to show, or still loading).
pub fn line(text: impl Into<String>) -> Html {
    html! {
        <SectionBox title={TITLE} main={false}>
            <div class="ai-dim ai-empty-line">{ text.into() }</div>
        </SectionBox>
    }
}

/// `karpenter.sh/do-not-disrupt` on a pod or node: set it ("protect") or remove it ("allow").
/// Shown only when a SelfSubjectAccessReview allows `patch` on that object (the action framework
/// asks), confirmed, and reported.
pub fn do_not_disrupt(target: Target, protected: bool) -> Action {
    if protected {
        Action::new("allow-disruption", "Allow disruption", target, annotation_patch(DO_NOT_DISRUPT, None))
            .described(
                "Removes karpenter.sh/do-not-disrupt: Karpenter may again consolidate, drift or expire it.",
            )
    } else {
        Action::new(
            "do-not-disrupt",
            "Protect from disruption",
            target,
            annotation_patch(DO_NOT_DISRUPT, Some("true")),
        )
        .described(
            "Sets karpenter.sh/do-not-disrupt=true: Karpenter will not voluntarily disrupt it \
                 (consolidation, drift, expiry) while the annotation is set.",
        )
    }
}
