//! The aggregated API `insights.autoscaling.dev/v1alpha1` in one place: resources (plural,
//! kind, scope, the underlying kinds each reads, for authorization), printer columns with the
//! function producing their cells, lists, kubectl `Table`s and the discovery document. The
//! server's discovery and Table output and the UI's lists all come from here.

use crate::chain::Chain;
use crate::cold_start::Timeline;
use crate::journal::JournalEntry;
use crate::meta::ObjectMeta;
use crate::node::NodeView;
use crate::nodeclaim::NodeClaimView;
use crate::nodepool::NodePoolView;
use crate::overview::Overview;
use crate::pending::PendingPod;
use crate::scaler::Scaler;
use crate::time::{Time, human_duration};
use serde::Serialize;
use serde_json::{Value, json};

/// API group.
pub const GROUP: &str = "insights.autoscaling.dev";
/// API version.
pub const VERSION: &str = "v1alpha1";
/// `group/version`.
pub const API_VERSION: &str = "insights.autoscaling.dev/v1alpha1";

/// A Kubernetes (group, resource) pair, e.g. (`keda.sh`, `scaledobjects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupResource {
    /// Group (`""` for core).
    pub group: &'static str,
    /// Plural resource.
    pub resource: &'static str,
}

const fn gr(group: &'static str, resource: &'static str) -> GroupResource {
    GroupResource { group, resource }
}

/// Underlying kinds.
pub mod kinds {
    use super::{GroupResource, gr};
    /// ScaledObjects.
    pub const SCALEDOBJECTS: GroupResource = gr("keda.sh", "scaledobjects");
    /// ScaledJobs.
    pub const SCALEDJOBS: GroupResource = gr("keda.sh", "scaledjobs");
    /// HPAs.
    pub const HPAS: GroupResource = gr("autoscaling", "horizontalpodautoscalers");
    /// Pods.
    pub const PODS: GroupResource = gr("", "pods");
    /// Events.
    pub const EVENTS: GroupResource = gr("", "events");
    /// Deployments.
    pub const DEPLOYMENTS: GroupResource = gr("apps", "deployments");
    /// StatefulSets.
    pub const STATEFULSETS: GroupResource = gr("apps", "statefulsets");
    /// Jobs.
    pub const JOBS: GroupResource = gr("batch", "jobs");
    /// Nodes.
    pub const NODES: GroupResource = gr("", "nodes");
    /// NodePools.
    pub const NODEPOOLS: GroupResource = gr("karpenter.sh", "nodepools");
    /// NodeClaims.
    pub const NODECLAIMS: GroupResource = gr("karpenter.sh", "nodeclaims");
}

/// A printer column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header.
    pub name: &'static str,
    /// OpenAPI type: `string`, `integer`, `number`, `boolean`.
    pub type_: &'static str,
    /// OpenAPI format (`name` for the first column).
    pub format: &'static str,
    /// Description.
    pub description: &'static str,
    /// 0 = shown by default, 1 = `-o wide`.
    pub priority: i32,
}

const fn col(name: &'static str, type_: &'static str, description: &'static str, priority: i32) -> Column {
    Column { name, type_, format: "", description, priority }
}
const NAME: Column =
    Column { name: "Name", type_: "string", format: "name", description: "Name", priority: 0 };
const AGE: Column = col("Age", "string", "Time since creation", 0);

/// One served resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceDef {
    /// Plural (URL segment).
    pub plural: &'static str,
    /// Singular.
    pub singular: &'static str,
    /// Kind of items.
    pub kind: &'static str,
    /// Kind of lists.
    pub list_kind: &'static str,
    /// Namespaced.
    pub namespaced: bool,
    /// Short names for kubectl.
    pub short_names: &'static [&'static str],
    /// The kind whose `list` right decides whether a user sees an item (per namespace for
    /// namespaced resources, cluster-wide otherwise).
    pub primary: GroupResource,
    /// Every underlying kind the view reads.
    pub reads: &'static [GroupResource],
    /// Printer columns.
    pub columns: &'static [Column],
}

use kinds::*;

/// `overviews` (cluster-scoped, one item `cluster`).
pub const OVERVIEWS: ResourceDef = ResourceDef {
    plural: "overviews",
    singular: "overview",
    kind: "Overview",
    list_kind: "OverviewList",
    namespaced: false,
    short_names: &["aio"],
    primary: SCALEDOBJECTS,
    // The overview counts blocked scale-outs from the chains, which need the scale targets.
    reads: &[
        SCALEDOBJECTS,
        SCALEDJOBS,
        HPAS,
        PODS,
        EVENTS,
        DEPLOYMENTS,
        STATEFULSETS,
        kinds::NODES,
        kinds::NODEPOOLS,
        kinds::NODECLAIMS,
    ],
    columns: &[
        NAME,
        col("Scalers", "integer", "ScaledObjects and ScaledJobs", 0),
        col("Active", "integer", "Scalers with an active trigger", 0),
        col("At-Zero", "integer", "Scalers idle at zero replicas", 0),
        col("Erroring", "integer", "Scalers not ready or failing", 0),
        col("Paused", "integer", "Paused scalers", 0),
        col("Pending", "integer", "Pending pods", 0),
        col("Blocked", "integer", "Blocked scale-outs", 0),
        col("Nodes", "integer", "Nodes", 1),
        col("Cost/h", "string", "Cluster price per hour (priced nodes)", 1),
    ],
};

/// `scalers`.
pub const SCALERS: ResourceDef = ResourceDef {
    plural: "scalers",
    singular: "scaler",
    kind: "Scaler",
    list_kind: "ScalerList",
    namespaced: true,
    short_names: &["aisc"],
    primary: SCALEDOBJECTS,
    reads: &[SCALEDOBJECTS, SCALEDJOBS, HPAS, PODS, EVENTS, DEPLOYMENTS, STATEFULSETS, JOBS],
    columns: &[
        NAME,
        col("Source", "string", "ScaledObject or ScaledJob", 1),
        col("Target", "string", "Scale target kind/name", 0),
        col("State", "string", "Active, AtZero, Idle, Paused, Fallback, Error", 0),
        col("Replicas", "string", "Current/desired (min-max)", 0),
        col("Triggers", "string", "Trigger types", 0),
        col("Last-Active", "string", "Time since a trigger was last active", 1),
        col("Cost/h", "string", "Share of node prices", 1),
        AGE,
    ],
};

/// `nodepools`.
pub const NODEPOOLS: ResourceDef = ResourceDef {
    plural: "nodepools",
    singular: "nodepool",
    kind: "NodePoolInsight",
    list_kind: "NodePoolInsightList",
    namespaced: false,
    short_names: &["ainp"],
    primary: kinds::NODEPOOLS,
    reads: &[kinds::NODEPOOLS, kinds::NODECLAIMS, kinds::NODES],
    columns: &[
        NAME,
        col("Ready", "string", "Ready condition", 0),
        col("Nodes", "integer", "Nodes", 0),
        col("CPU", "string", "Provisioned / limit", 0),
        col("Memory", "string", "Provisioned / limit", 0),
        col("Weight", "integer", "Weight", 1),
        col("Consolidation", "string", "Consolidation policy", 1),
        col("Cost/h", "string", "Sum of node prices", 1),
        AGE,
    ],
};

/// `nodeclaims`.
pub const NODECLAIMS: ResourceDef = ResourceDef {
    plural: "nodeclaims",
    singular: "nodeclaim",
    kind: "NodeClaimInsight",
    list_kind: "NodeClaimInsightList",
    namespaced: false,
    short_names: &["ainc"],
    primary: kinds::NODECLAIMS,
    reads: &[kinds::NODECLAIMS, kinds::NODES],
    columns: &[
        NAME,
        col("Phase", "string", "Launching, Registering, Initializing, Ready, Failed, Deleting", 0),
        col("Type", "string", "Instance type", 0),
        col("Capacity", "string", "Capacity type", 0),
        col("Zone", "string", "Zone", 0),
        col("Node", "string", "Node", 0),
        col("NodePool", "string", "NodePool", 1),
        col("Drifted", "string", "Drifted condition", 1),
        AGE,
    ],
};

/// `nodes`.
pub const NODES: ResourceDef = ResourceDef {
    plural: "nodes",
    singular: "node",
    kind: "NodeInsight",
    list_kind: "NodeInsightList",
    namespaced: false,
    short_names: &["aino"],
    primary: kinds::NODES,
    reads: &[kinds::NODES, PODS, kinds::NODECLAIMS],
    columns: &[
        NAME,
        col("Status", "string", "Ready/NotReady for how long, cordoned, deleting", 0),
        col("Type", "string", "Instance type", 0),
        col("Capacity", "string", "Capacity type", 0),
        col("CPU", "string", "Requests / allocatable", 0),
        col("Memory", "string", "Requests / allocatable", 0),
        col("Pods", "string", "Pods / max", 0),
        col("Price/h", "string", "Price per hour", 0),
        col("NodePool", "string", "NodePool", 1),
        AGE,
    ],
};

/// `chains`.
pub const CHAINS: ResourceDef = ResourceDef {
    plural: "chains",
    singular: "chain",
    kind: "Chain",
    list_kind: "ChainList",
    namespaced: true,
    short_names: &["aich"],
    primary: SCALEDOBJECTS,
    reads: &[
        SCALEDOBJECTS,
        HPAS,
        PODS,
        EVENTS,
        DEPLOYMENTS,
        STATEFULSETS,
        kinds::NODES,
        kinds::NODECLAIMS,
        kinds::NODEPOOLS,
    ],
    columns: &[
        NAME,
        col("Workload", "string", "Workload kind/name", 0),
        col("State", "string", "Scaler state", 0),
        col("Ready", "string", "Ready/desired pods", 0),
        col("Pending", "integer", "Pending pods", 0),
        col("Nodes", "integer", "Nodes running the pods", 0),
        col("Blocked", "string", "Why the scale-out cannot complete", 0),
    ],
};

/// `pendingpods`.
pub const PENDINGPODS: ResourceDef = ResourceDef {
    plural: "pendingpods",
    singular: "pendingpod",
    kind: "PendingPod",
    list_kind: "PendingPodList",
    namespaced: true,
    short_names: &["aipp"],
    primary: PODS,
    reads: &[PODS, EVENTS, SCALEDOBJECTS, DEPLOYMENTS, STATEFULSETS, JOBS, kinds::NODECLAIMS],
    columns: &[
        NAME,
        col("Cause", "string", "Why it is pending", 0),
        col("Workload", "string", "Workload kind/name", 0),
        col("Scaler", "string", "ScaledObject/ScaledJob", 0),
        col("NodeClaim", "string", "NodeClaim launching for it", 1),
        col("Pending-For", "string", "Time since creation", 0),
    ],
};

/// `timelines`.
pub const TIMELINES: ResourceDef = ResourceDef {
    plural: "timelines",
    singular: "timeline",
    kind: "Timeline",
    list_kind: "TimelineList",
    namespaced: true,
    short_names: &["aitl"],
    primary: SCALEDOBJECTS,
    reads: &[SCALEDOBJECTS, PODS, EVENTS, DEPLOYMENTS, STATEFULSETS, kinds::NODECLAIMS, kinds::NODES],
    columns: &[
        NAME,
        col("Scaler", "string", "ScaledObject", 0),
        col("Activated", "string", "Time since activation", 0),
        col("Total", "string", "Activation to last step", 0),
        col("Slowest", "string", "Slowest step", 0),
        col("Complete", "boolean", "Pod became Ready", 0),
    ],
};

/// `journal`.
pub const JOURNAL: ResourceDef = ResourceDef {
    plural: "journal",
    singular: "journalentry",
    kind: "JournalEntry",
    list_kind: "JournalEntryList",
    namespaced: true,
    short_names: &["aij"],
    primary: EVENTS,
    reads: &[EVENTS],
    columns: &[
        NAME,
        col("Last", "string", "Time since last occurrence", 0),
        col("Object", "string", "Kind/name", 0),
        col("Reason", "string", "Reason or condition", 0),
        col("Type", "string", "Normal/Warning or new status", 0),
        col("Count", "integer", "Occurrences", 1),
        col("Message", "string", "Message", 0),
    ],
};

/// Every served resource.
pub const RESOURCES: &[&ResourceDef] =
    &[&OVERVIEWS, &SCALERS, &NODEPOOLS, &NODECLAIMS, &NODES, &CHAINS, &PENDINGPODS, &TIMELINES, &JOURNAL];

/// A resource definition by plural.
pub fn resource(plural: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().copied().find(|r| r.plural == plural)
}

/// A served view: its resource and its printer-column cells.
pub trait ApiView: Serialize {
    /// The resource it is served as.
    const DEF: &'static ResourceDef;
    /// Metadata.
    fn metadata(&self) -> &ObjectMeta;
    /// One cell per column of `DEF.columns`, in order.
    fn cells(&self, now: Time) -> Vec<Value>;
}

/// Metadata of a view from the object it is about: name, namespace, uid, creation time.
pub fn view_meta(meta: &ObjectMeta, namespaced: bool) -> ObjectMeta {
    ObjectMeta {
        name: meta.name.clone(),
        namespace: if namespaced { meta.namespace.clone() } else { None },
        uid: meta.uid.clone(),
        creation_timestamp: meta.creation_timestamp,
        ..Default::default()
    }
}

fn age(meta: &ObjectMeta, now: Time) -> Value {
    match meta.creation_timestamp {
        Some(t) => Value::from(human_duration(now.seconds_since(t))),
        None => Value::from("<unknown>"),
    }
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or_else(|| Value::from("<none>"))
}

fn money(v: Option<f64>) -> Value {
    Value::from(v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "<none>".to_owned()))
}

fn usage(rows: &[crate::usage::ResourceUsage], name: &str) -> Value {
    match rows.iter().find(|r| r.name == name) {
        Some(r) => match (&r.bound, r.ratio) {
            (Some(b), Some(ratio)) => Value::from(format!("{}/{} ({:.0}%)", r.used, b, ratio * 100.0)),
            (Some(b), None) => Value::from(format!("{}/{}", r.used, b)),
            (None, _) => Value::from(r.used.to_string()),
        },
        None => Value::from("<none>"),
    }
}

fn ready_word(r: Option<bool>) -> &'static str {
    match r {
        Some(true) => "True",
        Some(false) => "False",
        None => "Unknown",
    }
}

impl ApiView for Overview {
    const DEF: &'static ResourceDef = &OVERVIEWS;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, _now: Time) -> Vec<Value> {
        let s = &self.scalers;
        vec![
            json!(self.metadata.name),
            json!(s.total),
            json!(s.active),
            json!(s.at_zero),
            json!(s.erroring),
            json!(s.paused),
            json!(self.pending_pods),
            json!(self.scale_outs.iter().filter(|b| b.blocked).count()),
            json!(self.nodes),
            money(self.cost_per_hour),
        ]
    }
}

impl ApiView for Scaler {
    const DEF: &'static ResourceDef = &SCALERS;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, now: Time) -> Vec<Value> {
        let replicas = format!(
            "{}/{} ({}-{})",
            self.current_replicas.map(|v| v.to_string()).unwrap_or_else(|| "?".into()),
            self.desired_replicas.map(|v| v.to_string()).unwrap_or_else(|| "?".into()),
            self.min_replicas,
            self.max_replicas
        );
        vec![
            json!(self.metadata.name),
            json!(self.source.kind),
            opt(self.target.as_ref().map(|t| format!("{}/{}", t.kind, t.name))),
            json!(format!("{:?}", self.state)),
            json!(replicas),
            json!(self.trigger_types.join(",")),
            opt(self.last_active.map(|t| human_duration(now.seconds_since(t)))),
            money(self.cost_per_hour),
            age(&self.metadata, now),
        ]
    }
}

impl ApiView for NodePoolView {
    const DEF: &'static ResourceDef = &NODEPOOLS;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(ready_word(self.ready)),
            json!(self.node_count),
            usage(&self.resources, "cpu"),
            usage(&self.resources, "memory"),
            opt(self.weight),
            opt(self.consolidation_policy.clone()),
            money(self.cost_per_hour),
            age(&self.metadata, now),
        ]
    }
}

impl ApiView for NodeClaimView {
    const DEF: &'static ResourceDef = &NODECLAIMS;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(format!("{:?}", self.phase)),
            opt(self.instance_type.clone()),
            opt(self.capacity_type.clone()),
            opt(self.zone.clone()),
            opt(self.node_name.clone()),
            opt(self.node_pool.clone()),
            json!(if self.drifted { "True" } else { "False" }),
            age(&self.metadata, now),
        ]
    }
}

impl NodeView {
    /// `Ready`, `NotReady/5m`, with `,Cordoned` / `,Deleting`.
    pub fn status_text(&self) -> String {
        let mut s = match (self.ready, self.ready_for_seconds) {
            (Some(true), _) => "Ready".to_owned(),
            (Some(false), Some(f)) => format!("NotReady/{}", human_duration(f)),
            (Some(false), None) => "NotReady".to_owned(),
            (None, _) => "Unknown".to_owned(),
        };
        if self.cordoned {
            s.push_str(",Cordoned");
        }
        if self.deleting {
            s.push_str(",Deleting");
        }
        s
    }
}

impl ApiView for NodeView {
    const DEF: &'static ResourceDef = &NODES;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(self.status_text()),
            opt(self.instance_type.clone()),
            opt(self.capacity_type.clone()),
            usage(&self.resources, "cpu"),
            usage(&self.resources, "memory"),
            json!(match self.pods_max {
                Some(m) => format!("{}/{m}", self.pods),
                None => self.pods.to_string(),
            }),
            money(self.price.map(|p| p.per_hour)),
            opt(self.node_pool.clone()),
            age(&self.metadata, now),
        ]
    }
}

impl ApiView for Chain {
    const DEF: &'static ResourceDef = &CHAINS;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, _now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(format!("{}/{}", self.workload.kind, self.workload.name)),
            json!(format!("{:?}", self.state)),
            json!(format!(
                "{}/{}",
                self.ready_replicas,
                self.desired_replicas.map(|d| d.to_string()).unwrap_or_else(|| "?".into())
            )),
            json!(self.pods.iter().filter(|p| p.pending_cause.is_some()).count()),
            json!(self.nodes.len()),
            opt(self.blocked.as_ref().and_then(|b| b.causes.first()).map(|c| format!("{:?}", c.cause))),
        ]
    }
}

impl ApiView for PendingPod {
    const DEF: &'static ResourceDef = &PENDINGPODS;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, _now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(format!("{:?}", self.cause)),
            opt(self.workload.as_ref().map(|w| format!("{}/{}", w.kind, w.name))),
            opt(self.scaler.as_ref().map(|s| format!("{}/{}", s.kind, s.name))),
            opt(self.node_claim.clone()),
            opt(self.pending_seconds.map(human_duration)),
        ]
    }
}

impl ApiView for Timeline {
    const DEF: &'static ResourceDef = &TIMELINES;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(self.scaler.name),
            json!(human_duration(now.seconds_since(self.activated_at))),
            opt(self.total_seconds.map(human_duration)),
            opt(self.slowest_step.clone()),
            json!(self.complete),
        ]
    }
}

impl ApiView for JournalEntry {
    const DEF: &'static ResourceDef = &JOURNAL;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self, now: Time) -> Vec<Value> {
        vec![
            json!(self.metadata.name),
            json!(human_duration(now.seconds_since(self.last_time))),
            json!(format!("{}/{}", self.object_kind, self.object_name)),
            json!(self.reason),
            json!(self.type_),
            json!(self.count),
            json!(self.message),
        ]
    }
}

/// A served list (`{apiVersion, kind: <ListKind>, metadata, items}`).
pub fn list<V: ApiView>(items: &[V], resource_version: &str) -> Value {
    json!({
        "apiVersion": API_VERSION,
        "kind": V::DEF.list_kind,
        "metadata": {"resourceVersion": resource_version},
        "items": items,
    })
}

/// Column definitions in `meta.k8s.io/v1` Table form.
pub fn column_definitions(def: &ResourceDef) -> Value {
    Value::Array(
        def.columns
            .iter()
            .map(|c| json!({"name": c.name, "type": c.type_, "format": c.format, "description": c.description, "priority": c.priority}))
            .collect(),
    )
}

/// A `meta.k8s.io/v1` Table of items (what kubectl asks for), each row carrying the item's
/// metadata as a `PartialObjectMetadata`.
pub fn table<V: ApiView>(items: &[V], now: Time, resource_version: &str) -> Value {
    let rows: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "cells": i.cells(now),
                "object": {
                    "apiVersion": "meta.k8s.io/v1",
                    "kind": "PartialObjectMetadata",
                    "metadata": i.metadata(),
                },
            })
        })
        .collect();
    json!({
        "apiVersion": "meta.k8s.io/v1",
        "kind": "Table",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": column_definitions(V::DEF),
        "rows": rows,
    })
}

/// The discovery document `GET /apis/insights.autoscaling.dev/v1alpha1` (APIResourceList).
pub fn discovery() -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|r| {
            json!({
                "name": r.plural,
                "singularName": r.singular,
                "namespaced": r.namespaced,
                "kind": r.kind,
                "verbs": ["get", "list"],
                "shortNames": r.short_names,
                "categories": ["autoscaling-insights"],
            })
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": API_VERSION, "resources": resources})
}
