//! One NodeClass: what its provider resolved (subnets, security groups, images, instance
//! profile, Kubernetes version), its selector terms, and every condition. Unknown kinds show
//! their spec as written.

use crate::components::conditions::ConditionsTable;
use crate::components::{Column, ErrorPanel, GapNotes, LoadingPanel, NameValue, SectionBox, Table};
use crate::data::{Data, Load, use_live};
use crate::route::Route;
use crate::views::nodeclaims::pool_link;
use crate::views::nodepools::ready_chip;
use crate::views::time::{age, now};
use model::meta::Labels;
use model::nodeclass::{AnyNodeClass, Image, SecurityGroup, SelectorTerm, Subnet};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`NodeClassDetail`].
#[derive(Properties, PartialEq)]
pub struct DetailProps {
    /// API group.
    pub group: AttrValue,
    /// Kind.
    pub kind: AttrValue,
    /// Name.
    pub name: AttrValue,
}

fn dash() -> Html {
    html! { <span class="ai-dim">{ "-" }</span> }
}

fn text(v: &Option<String>) -> Html {
    v.clone().map(|v| html! { v }).unwrap_or_else(dash)
}

fn tags(labels: &Labels) -> Html {
    if labels.is_empty() {
        return dash();
    }
    html! {
        <span class="ai-tags">
            { for labels.iter().map(|(k, v)| html! { <span class="ai-tag ai-tag-long">{ format!("{k}={v}") }</span> }) }
        </span>
    }
}

/// One selector term: `id: subnet-1`, `tags: karpenter.sh/discovery=demo`, ...
fn term(t: &SelectorTerm) -> Html {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in [("id", &t.id), ("name", &t.name), ("alias", &t.alias), ("owner", &t.owner)] {
        if let Some(v) = v {
            parts.push(format!("{k}: {v}"));
        }
    }
    for (k, v) in &t.tags {
        parts.push(format!("tag {k}={v}"));
    }
    html! {
        <span class="ai-tags">{ for parts.into_iter().map(|p| html! { <span class="ai-tag ai-tag-long">{ p }</span> }) }</span>
    }
}

fn terms(ts: &[SelectorTerm]) -> Html {
    if ts.is_empty() {
        return dash();
    }
    html! { <div class="ai-terms">{ for ts.iter().map(|t| html! { <div>{ term(t) }</div> }) }</div> }
}

static SUBNET_COLUMNS: &[Column<Subnet>] = &[
    Column {
        label: "Subnet",
        cell: |s| html! { <span class="ai-mono">{ s.id.clone() }</span> },
        sort: None,
        text: None,
    },
    Column { label: "Zone", cell: |s| text(&s.zone), sort: None, text: None },
    Column { label: "Zone ID", cell: |s| text(&s.zone_id), sort: None, text: None },
];

static GROUP_COLUMNS: &[Column<SecurityGroup>] = &[
    Column {
        label: "Security group",
        cell: |g| html! { <span class="ai-mono">{ g.id.clone() }</span> },
        sort: None,
        text: None,
    },
    Column { label: "Name", cell: |g| text(&g.name), sort: None, text: None },
];

fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

static IMAGE_COLUMNS: &[Column<Image>] = &[
    Column {
        label: "Image",
        cell: |i| html! { <span class="ai-mono ai-wrap">{ i.id.clone() }</span> },
        sort: None,
        text: None,
    },
    Column { label: "Name", cell: |i| text(&i.name), sort: None, text: None },
    Column {
        label: "Deprecated",
        cell: |i| html! { yes_no(i.deprecated == Some(true)) },
        sort: None,
        text: None,
    },
];

fn subnets(list: &[Subnet]) -> Html {
    if list.is_empty() {
        return html! { <div class="ai-dim ai-empty-line">{ "No subnet resolved yet." }</div> };
    }
    html! { <Table<Subnet> rows={Rc::<[Subnet]>::from(list)} columns={SUBNET_COLUMNS} row_key={(|s: &Subnet| s.id.clone()) as fn(&Subnet) -> String} label="Subnets" /> }
}

fn groups(list: &[SecurityGroup]) -> Html {
    if list.is_empty() {
        return html! { <div class="ai-dim ai-empty-line">{ "No security group resolved yet." }</div> };
    }
    html! { <Table<SecurityGroup> rows={Rc::<[SecurityGroup]>::from(list)} columns={GROUP_COLUMNS} row_key={(|g: &SecurityGroup| g.id.clone()) as fn(&SecurityGroup) -> String} label="Security groups" /> }
}

fn images(list: &[Image]) -> Html {
    if list.is_empty() {
        return html! { <div class="ai-dim ai-empty-line">{ "No image resolved yet." }</div> };
    }
    html! { <Table<Image> rows={Rc::<[Image]>::from(list)} columns={IMAGE_COLUMNS} row_key={(|i: &Image| i.id.clone()) as fn(&Image) -> String} label="Images" /> }
}

/// Provider-specific settings and what the provider resolved.
fn provider_sections(c: &AnyNodeClass) -> (Vec<(AttrValue, Html)>, Html) {
    match c {
        AnyNodeClass::Ec2(x) => (
            vec![
                ("Role".into(), text(&x.spec.role)),
                (
                    "Instance profile".into(),
                    text(&x.status.instance_profile.clone().or_else(|| x.spec.instance_profile.clone())),
                ),
                ("AMI family".into(), text(&x.spec.ami_family)),
                ("AMI selector".into(), terms(&x.spec.ami_selector_terms)),
                ("Subnet selector".into(), terms(&x.spec.subnet_selector_terms)),
                ("Security group selector".into(), terms(&x.spec.security_group_selector_terms)),
                ("Tags".into(), tags(&x.spec.tags)),
            ],
            html! {
                <>
                    <SectionBox title="Subnets" main={false}>{ subnets(&x.status.subnets) }</SectionBox>
                    <SectionBox title="Security groups" main={false}>{ groups(&x.status.security_groups) }</SectionBox>
                    <SectionBox title="AMIs" main={false}>{ images(&x.status.amis) }</SectionBox>
                    if !x.status.capacity_reservations.is_empty() {
                        <SectionBox title="Capacity reservations" main={false}>
                            <ul class="ai-plain-list">
                                { for x.status.capacity_reservations.iter().map(|r| html! {
                                    <li>
                                        <span class="ai-mono">{ r.id.clone() }</span>
                                        { format!(" · {} · {} · {} · {}",
                                            r.instance_type.as_deref().unwrap_or("-"),
                                            r.availability_zone.as_deref().unwrap_or("-"),
                                            r.reservation_type.as_deref().unwrap_or("-"),
                                            r.state.as_deref().unwrap_or("-")) }
                                    </li>
                                }) }
                            </ul>
                        </SectionBox>
                    }
                </>
            },
        ),
        AnyNodeClass::Eks(x) => (
            vec![
                ("Role".into(), text(&x.spec.role)),
                ("Instance profile".into(), text(&x.status.instance_profile)),
                ("Subnet selector".into(), terms(&x.spec.subnet_selector_terms)),
                ("Security group selector".into(), terms(&x.spec.security_group_selector_terms)),
                ("Network policy".into(), text(&x.spec.network_policy)),
                ("SNAT policy".into(), text(&x.spec.snat_policy)),
                (
                    "Ephemeral storage".into(),
                    match &x.spec.ephemeral_storage {
                        Some(e) => html! { format!("{} · {} IOPS · {} MiB/s",
                        e.size.as_deref().unwrap_or("-"),
                        e.iops.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                        e.throughput.map(|v| v.to_string()).unwrap_or_else(|| "-".into())) },
                        None => dash(),
                    },
                ),
                ("Tags".into(), tags(&x.spec.tags)),
            ],
            html! {
                <>
                    <SectionBox title="Subnets" main={false}>{ subnets(&x.status.subnets) }</SectionBox>
                    <SectionBox title="Security groups" main={false}>{ groups(&x.status.security_groups) }</SectionBox>
                </>
            },
        ),
        AnyNodeClass::Aks(x) => (
            vec![
                ("Image family".into(), text(&x.spec.image_family)),
                ("Kubernetes version".into(), text(&x.status.kubernetes_version)),
                (
                    "Subnet".into(),
                    x.spec
                        .vnet_subnet_id
                        .clone()
                        .map(|s| html! { <span class="ai-mono ai-wrap">{ s }</span> })
                        .unwrap_or_else(dash),
                ),
                (
                    "OS disk".into(),
                    x.spec.os_disk_size_gb.map(|g| html! { format!("{g} GB") }).unwrap_or_else(dash),
                ),
                ("Max pods".into(), x.spec.max_pods.map(|m| html! { m }).unwrap_or_else(dash)),
                ("Tags".into(), tags(&x.spec.tags)),
            ],
            html! { <SectionBox title="Images" main={false}>{ images(&x.status.images) }</SectionBox> },
        ),
        AnyNodeClass::Kwok(_) => (
            vec![(
                "Settings".into(),
                html! { <span class="ai-dim">{ "KWOK NodeClasses have no settings (simulated nodes)." }</span> },
            )],
            Html::default(),
        ),
        AnyNodeClass::Generic(x) => {
            let spec = x
                .spec
                .as_ref()
                .and_then(|s| serde_json::to_string_pretty(s).ok())
                .unwrap_or_else(|| "(no spec)".to_owned());
            (
                vec![("API version".into(), html! { x.api_version.clone() })],
                html! {
                    <SectionBox title="Spec" main={false}>
                        <div class="ai-dim ai-empty-line">{ "This provider is not known to the plugin; its spec is shown as written." }</div>
                        <pre class="ai-pre">{ spec }</pre>
                    </SectionBox>
                },
            )
        }
    }
}

/// The page of one NodeClass.
#[function_component]
pub fn NodeClassDetail(props: &DetailProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let load = use_live(
        (data, (props.group.clone(), props.kind.clone()), props.name.clone()),
        |(data, (group, kind), name)| async move { data.node_class(&group, &kind, &name).await },
    );
    let title = format!("{}: {}", props.kind, props.name);
    let back = Some(Route::NodeClasses);
    match load {
        Load::Loading => {
            html! { <SectionBox {title} {back}><LoadingPanel what="the NodeClass" /></SectionBox> }
        }
        Load::Failed(error) => html! { <SectionBox {title} {back}><ErrorPanel {error} /></SectionBox> },
        Load::Ready(answer) => {
            let (c, view) = &answer.value;
            let (provider_rows, sections) = provider_sections(c);
            let mut rows: Vec<(AttrValue, Html)> = vec![
                ("Kind".into(), html! { format!("{} ({})", c.kind(), c.group()) }),
                ("Provider".into(), html! { c.provider() }),
                ("Ready".into(), ready_chip(c.ready())),
            ];
            if let Some(v) = view {
                let pools = if v.node_pools.is_empty() {
                    html! { <span class="ai-dim">{ "no NodePool uses it" }</span> }
                } else {
                    html! { <span class="ai-tags">{ for v.node_pools.iter().map(|p| html! { <span>{ pool_link(p) }</span> }) }</span> }
                };
                rows.push(("Used by NodePools".into(), pools));
                rows.push((
                    "Launched".into(),
                    html! { format!("{} NodeClaim(s), {} node(s)", v.node_claims, v.nodes) },
                ));
            }
            rows.extend(provider_rows);
            rows.push(("Age".into(), age(c.meta().creation_timestamp, now())));
            let conditions: Rc<[_]> = c.conditions().into();
            html! {
                <>
                    <SectionBox {title} {back}>
                        <GapNotes gaps={answer.gaps.clone()} />
                        <NameValue {rows} />
                    </SectionBox>
                    { sections }
                    <SectionBox title="Conditions" main={false}><ConditionsTable {conditions} /></SectionBox>
                </>
            }
        }
    }
}
