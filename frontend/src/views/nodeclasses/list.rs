//! All NodeClasses of every provider: name, kind, provider, Ready, the NodePools using each and
//! how many NodeClaims and nodes it launched; NodePools whose NodeClass is missing are named.

use crate::components::{
    Column, EmptyPanel, ErrorPanel, GapNotes, Link, LoadingPanel, SearchBox, SectionBox, Table,
};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::pool_link;
use crate::views::nodepools::ready_chip;
use crate::views::time::{age, now};
use model::nodeclass::{MissingNodeClass, NodeClassView};
use std::rc::Rc;
use yew::prelude::*;

fn name(c: &NodeClassView) -> Html {
    let route = Route::NodeClass { group: c.group.clone(), kind: c.kind.clone(), name: c.name.clone() };
    html! { <Link {route}>{ c.name.clone() }</Link> }
}

fn pools(c: &NodeClassView) -> Html {
    if c.node_pools.is_empty() {
        return html! { <span class="ai-dim">{ "none" }</span> };
    }
    html! { <span class="ai-tags">{ for c.node_pools.iter().map(|p| html! { <span>{ pool_link(p) }</span> }) }</span> }
}

static COLUMNS: &[Column<NodeClassView>] = &[
    Column {
        label: "Name",
        cell: name,
        sort: Some(|a, b| a.name.cmp(&b.name)),
        text: Some(|c| c.name.clone()),
    },
    Column {
        label: "Kind",
        cell: |c| html! { <span title={format!("{}/{}", c.group, c.version)}>{ c.kind.clone() }</span> },
        sort: Some(|a, b| a.kind.cmp(&b.kind)),
        text: Some(|c| format!("{} {}", c.kind, c.group)),
    },
    Column {
        label: "Provider",
        cell: |c| html! { c.provider.clone() },
        sort: Some(|a, b| a.provider.cmp(&b.provider)),
        text: Some(|c| c.provider.clone()),
    },
    Column {
        label: "Ready",
        cell: |c| ready_chip(c.ready),
        sort: Some(|a, b| a.ready.cmp(&b.ready).reverse()),
        text: None,
    },
    Column {
        label: "NodePools",
        cell: pools,
        sort: Some(|a, b| a.node_pools.len().cmp(&b.node_pools.len())),
        text: Some(|c| c.node_pools.join(" ")),
    },
    Column {
        label: "NodeClaims",
        cell: |c| html! { c.node_claims },
        sort: Some(|a, b| a.node_claims.cmp(&b.node_claims)),
        text: None,
    },
    Column {
        label: "Nodes",
        cell: |c| html! { c.nodes },
        sort: Some(|a, b| a.nodes.cmp(&b.nodes)),
        text: None,
    },
    Column {
        label: "Age",
        cell: |c| age(c.created, now()),
        sort: Some(|a, b| b.created.cmp(&a.created)),
        text: None,
    },
];

fn key(c: &NodeClassView) -> String {
    format!("{}/{}/{}", c.group, c.kind, c.name)
}

/// NodePools that refer to a NodeClass that does not exist: Karpenter launches nothing for them.
fn missing_notice(missing: &[MissingNodeClass]) -> Html {
    if missing.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ai-notice" role="note" data-testid="missing-nodeclasses">
            { for missing.iter().map(|m| {
                let kind = if m.reference.kind.is_empty() { "NodeClass" } else { m.reference.kind.as_str() };
                html! {
                    <div>
                        { "NodePool " }{ pool_link(&m.node_pool) }
                        { format!(" refers to {kind} {} which does not exist: Karpenter cannot launch nodes for it.", m.reference.name) }
                    </div>
                }
            }) }
        </div>
    }
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
        Load::Ready(answer) if answer.value.views.is_empty() => html! {
            <>
                <GapNotes gaps={answer.gaps.clone()} />
                { missing_notice(&answer.value.missing) }
                <EmptyPanel title="No NodeClasses">
                    { "No EC2NodeClass, EKS NodeClass, AKSNodeClass or KWOKNodeClass exists. A NodeClass holds the " }
                    { "cloud settings (image, subnets, role) that a NodePool's nodes are launched with." }
                </EmptyPanel>
            </>
        },
        Load::Ready(answer) => {
            let rows: Rc<[NodeClassView]> = answer.value.views.clone().into();
            html! {
                <>
                    <GapNotes gaps={answer.gaps.clone()} />
                    { missing_notice(&answer.value.missing) }
                    <Table<NodeClassView> {rows} columns={COLUMNS} row_key={key as fn(&NodeClassView) -> String}
                        filter={AttrValue::from((*filter).clone())} label="NodeClasses" />
                </>
            }
        }
    };
    html! { <SectionBox title="NodeClasses" {actions}>{ body }</SectionBox> }
}
