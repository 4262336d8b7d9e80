//! Sections on Headlamp's own pages (Deployment, StatefulSet, HPA, Pod, Node), mounted by
//! `js/registry.js` (`registerDetailsViewSection`) through the same mount API as the pages.
//! Each is one `Autoscaling` box; when there is nothing to say it says so in one line.

pub mod columns;
pub mod hpa;
pub mod node;
pub mod pod;
pub mod workload;

use crate::components::SectionBox;
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
