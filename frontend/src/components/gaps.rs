//! What an answer lacks, said next to what is shown: parts that could not be read (and why:
//! "no permission" is not "not installed") and lists read only in some namespaces.

use crate::data::Gap;
use yew::prelude::*;

/// Props of [`GapNotes`].
#[derive(Properties, PartialEq)]
pub struct GapProps {
    /// The answer's gaps.
    pub gaps: Vec<Gap>,
}

/// One note per gap; nothing when the answer is complete.
#[function_component]
pub fn GapNotes(props: &GapProps) -> Html {
    if props.gaps.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ai-gaps" role="note">
            { for props.gaps.iter().map(|g| {
                let kind = match g {
                    Gap::Missing { error: crate::data::DataError::NoPermission { .. }, .. } => "forbidden",
                    Gap::Missing { error: crate::data::DataError::NotInstalled { .. }, .. } => "not-installed",
                    Gap::Missing { .. } => "failed",
                    Gap::Namespaces { .. } => "namespaces",
                };
                html! { <div class="ai-notice" data-gap={kind}>{ g.text() }</div> }
            }) }
        </div>
    }
}
