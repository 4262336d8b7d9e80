//! All NodeClasses of every provider: name, kind, provider, Ready, age.

use super::link;
use crate::components::{
    Column, EmptyPanel, ErrorPanel, GapNotes, LoadingPanel, SearchBox, SectionBox, Table,
};
use crate::data::{Data, Load, use_live};
use crate::views::nodepools::ready_chip;
use crate::views::time::{age, now};
use model::nodeclass::AnyNodeClass;
use std::rc::Rc;
use yew::prelude::*;

static COLUMNS: &[Column<AnyNodeClass>] = &[
    Column {
        label: "Name",
        cell: link,
        sort: Some(|a, b| a.meta().name.cmp(&b.meta().name)),
        text: Some(|c| c.meta().name.clone()),
    },
    Column {
        label: "Kind",
        cell: |c| html! { <span title={c.group().to_owned()}>{ c.kind().to_owned() }</span> },
        sort: Some(|a, b| a.kind().cmp(b.kind())),
        text: Some(|c| format!("{} {}", c.kind(), c.group())),
    },
    Column {
        label: "Provider",
        cell: |c| html! { c.provider() },
        sort: Some(|a, b| a.provider().cmp(b.provider())),
        text: Some(|c| c.provider().to_owned()),
    },
    Column {
        label: "Ready",
        cell: |c| ready_chip(c.ready()),
        sort: Some(|a, b| a.ready().cmp(&b.ready()).reverse()),
        text: None,
    },
    Column {
        label: "Age",
        cell: |c| age(c.meta().creation_timestamp, now()),
        sort: Some(|a, b| b.meta().creation_timestamp.cmp(&a.meta().creation_timestamp)),
        text: None,
    },
];

fn key(c: &AnyNodeClass) -> String {
    format!("{}/{}/{}", c.group(), c.kind(), c.meta().name)
}

/// The NodeClasses page.
#[function_component]
pub fn NodeClassList() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(data, |data| async move { data.node_classes().await });
    let filter = use_state(String::new);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |text: String| filter.set(text))
    };
    let actions = html! { <SearchBox value={(*filter).clone()} {on_change} label="Filter NodeClasses" /> };
    let body = match load {
        Load::Loading => html! { <LoadingPanel what="NodeClasses" /> },
        Load::Failed(error) => html! { <ErrorPanel {error} /> },
        Load::Ready(answer) if answer.value.items.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                <EmptyPanel title="No NodeClasses">
                    { "No EC2NodeClass, EKS NodeClass, AKSNodeClass or KWOKNodeClass exists. A NodeClass holds the " }
                    { "cloud settings (image, subnets, role) that a NodePool's nodes are launched with." }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[AnyNodeClass]> = answer.value.items.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    <Table<AnyNodeClass> {rows} columns={COLUMNS} row_key={key as fn(&AnyNodeClass) -> String}
                        filter={AttrValue::from((*filter).clone())} label="NodeClasses" />
                </>
            }
        }
    };
    html! { <SectionBox title="NodeClasses" {actions}>{ body }</SectionBox> }
}
