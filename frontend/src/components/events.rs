//! Events of one object (found by its uid by the data layer), newest first, like Headlamp's
//! Events section.

use super::chip::{Chip, Tone};
use super::table::{Column, Table};
use crate::views::time::{age, now};
use model::k8s::Event;
use std::rc::Rc;
use yew::prelude::*;

static COLUMNS: &[Column<Event>] = &[
    Column {
        label: "Type",
        cell: |e| {
            let tone = if e.is_warning() { Tone::Warning } else { Tone::Neutral };
            html! { <Chip label={e.type_.clone().unwrap_or_else(|| "Normal".into())} {tone} /> }
        },
        sort: Some(|a, b| a.is_warning().cmp(&b.is_warning()).reverse()),
        text: None,
    },
    Column {
        label: "Reason",
        cell: |e| html! { <span class="ai-nowrap">{ e.reason().to_owned() }</span> },
        sort: Some(|a, b| a.reason().cmp(b.reason())),
        text: Some(|e| e.reason().to_owned()),
    },
    Column {
        label: "Message",
        cell: |e| html! { <span class="ai-wrap">{ e.text().to_owned() }</span> },
        sort: None,
        text: Some(|e| e.text().to_owned()),
    },
    Column {
        label: "From",
        cell: |e| html! { e.reporter().to_owned() },
        sort: Some(|a, b| a.reporter().cmp(b.reporter())),
        text: Some(|e| e.reporter().to_owned()),
    },
    Column {
        label: "Count",
        cell: |e| html! { e.occurrences() },
        sort: Some(|a, b| a.occurrences().cmp(&b.occurrences())),
        text: None,
    },
    Column {
        label: "Last seen",
        cell: |e| age(e.last_seen(), now()),
        sort: Some(|a, b| b.last_seen().cmp(&a.last_seen())),
        text: None,
    },
];

fn key(e: &Event) -> String {
    e.metadata.uid().to_owned()
}

/// Props of [`EventsTable`].
#[derive(Properties, PartialEq)]
pub struct EventsProps {
    /// The events, oldest first (shown newest first).
    pub events: Rc<[Event]>,
    /// What the events are about, for the empty state ("this NodeClaim").
    pub about: AttrValue,
}

/// The events table, or a line saying there are none (events expire after an hour).
#[function_component]
pub fn EventsTable(props: &EventsProps) -> Html {
    if props.events.is_empty() {
        return html! {
            <div class="ai-dim ai-empty-line">
                { format!("No events about {} (Kubernetes keeps events for about an hour).", props.about) }
            </div>
        };
    }
    let newest_first: Rc<[Event]> = props.events.iter().rev().cloned().collect();
    html! {
        <Table<Event> rows={newest_first} columns={COLUMNS} row_key={key as fn(&Event) -> String} label="Events" />
    }
}
