//! Per-user filtering, shared by the server and the browser's direct mode: given what a user
//! may `list` (per namespace and cluster-wide), keep only what they may see.
//!
//! One way: [`restrict_snapshot`] drops the objects a user may not list before the joins, and
//! [`views_for`] runs the joins over what is left, so nothing of a hidden namespace or kind can leak
//! into any view, count or message.

use crate::api::{GroupResource, ResourceDef, kinds};
use crate::k8s::Workload;
use crate::overview::Views;
use crate::snapshot::Snapshot;
use std::collections::{BTreeMap, BTreeSet};

/// What a user may list. The shell fills it from SubjectAccessReviews (server) or
/// SelfSubjectAccessReviews (browser).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// Everything (cluster admins; skips all checks).
    pub all: bool,
    /// Kinds listable cluster-wide (which also means in every namespace).
    pub cluster: BTreeSet<GroupResource>,
    /// Kinds listable per namespace.
    pub namespaces: BTreeMap<String, BTreeSet<GroupResource>>,
}

impl Access {
    /// Full access.
    pub fn all() -> Access {
        Access { all: true, ..Default::default() }
    }

    /// Grants `kind` cluster-wide.
    pub fn grant_cluster(&mut self, kind: GroupResource) -> &mut Self {
        self.cluster.insert(kind);
        self
    }

    /// Grants `kind` in `namespace`.
    pub fn grant(&mut self, namespace: &str, kind: GroupResource) -> &mut Self {
        self.namespaces.entry(namespace.to_owned()).or_default().insert(kind);
        self
    }

    /// May list `kind` in `namespace` (`None`: cluster-wide).
    pub fn can_list(&self, kind: GroupResource, namespace: Option<&str>) -> bool {
        if self.all || self.cluster.contains(&kind) {
            return true;
        }
        match namespace {
            Some(ns) => self.namespaces.get(ns).is_some_and(|k| k.contains(&kind)),
            None => false,
        }
    }

    /// May see an item of a served resource in `namespace`.
    pub fn can_see(&self, def: &ResourceDef, namespace: Option<&str>) -> bool {
        self.can_list(def.primary, if def.namespaced { namespace } else { None })
    }
}

/// The kinds whose rows a resource shows: in a namespace where a user may list none of them the
/// resource shows nothing, so no other kind needs a permission check there. Cluster-scoped
/// resources have none (their namespaced inputs count only where granted cluster-wide).
pub fn gates(def: &ResourceDef) -> &'static [GroupResource] {
    match def.plural {
        "scalers" => &[kinds::SCALEDOBJECTS, kinds::SCALEDJOBS],
        "overviews" => &[kinds::SCALEDOBJECTS, kinds::SCALEDJOBS, kinds::PODS],
        "chains" | "timelines" => &[kinds::SCALEDOBJECTS],
        "pendingpods" => &[kinds::PODS],
        "journal" => &[kinds::EVENTS],
        _ => &[],
    }
}

fn workload_kind(w: &Workload) -> GroupResource {
    match (crate::meta::split_api_version(&w.api_version).0, w.kind.as_str()) {
        ("apps", "Deployment") => kinds::DEPLOYMENTS,
        ("apps", "StatefulSet") => kinds::STATEFULSETS,
        // Other /scale kinds are read by the server through the scale subresource; seeing
        // the ScaledObject that targets them is the right they need.
        _ => kinds::SCALEDOBJECTS,
    }
}

/// The part of a snapshot a user may see (objects of kinds/namespaces they may not list are dropped).
pub fn restrict_snapshot<'a>(snap: &Snapshot<'a>, access: &Access) -> Snapshot<'a> {
    if access.all {
        return snap.clone();
    }
    let ns = |k: GroupResource, m: &crate::meta::ObjectMeta| access.can_list(k, Some(m.ns()));
    let cluster = |k: GroupResource| access.can_list(k, None);
    Snapshot {
        scaled_objects: snap
            .scaled_objects
            .iter()
            .copied()
            .filter(|o| ns(kinds::SCALEDOBJECTS, &o.metadata))
            .collect(),
        scaled_jobs: snap
            .scaled_jobs
            .iter()
            .copied()
            .filter(|o| ns(kinds::SCALEDJOBS, &o.metadata))
            .collect(),
        trigger_authentications: snap
            .trigger_authentications
            .iter()
            .copied()
            .filter(|o| {
                ns(GroupResource { group: "keda.sh", resource: "triggerauthentications" }, &o.metadata)
            })
            .collect(),
        cluster_trigger_authentications: if cluster(GroupResource {
            group: "keda.sh",
            resource: "clustertriggerauthentications",
        }) {
            snap.cluster_trigger_authentications.clone()
        } else {
            Vec::new()
        },
        hpas: snap.hpas.iter().copied().filter(|o| ns(kinds::HPAS, &o.metadata)).collect(),
        workloads: snap.workloads.iter().copied().filter(|w| ns(workload_kind(w), &w.metadata)).collect(),
        jobs: snap.jobs.iter().copied().filter(|o| ns(kinds::JOBS, &o.metadata)).collect(),
        pods: snap.pods.iter().copied().filter(|o| ns(kinds::PODS, &o.metadata)).collect(),
        nodes: if cluster(kinds::NODES) { snap.nodes.clone() } else { Vec::new() },
        node_pools: if cluster(kinds::NODEPOOLS) { snap.node_pools.clone() } else { Vec::new() },
        node_claims: if cluster(kinds::NODECLAIMS) { snap.node_claims.clone() } else { Vec::new() },
        // NodeClasses come with NodePools: a user who may list NodePools sees their classes.
        node_classes: if cluster(kinds::NODEPOOLS) { snap.node_classes.clone() } else { Vec::new() },
        events: snap
            .events
            .iter()
            .copied()
            .filter(|e| access.can_list(kinds::EVENTS, Some(e.metadata.ns())))
            .filter(|e| {
                // Events about cluster-scoped Karpenter objects need the right to see those objects.
                match e.subject().kind.as_str() {
                    "NodeClaim" => cluster(kinds::NODECLAIMS),
                    "NodePool" => cluster(kinds::NODEPOOLS),
                    "Node" => cluster(kinds::NODES),
                    _ => true,
                }
            })
            .collect(),
        journal: snap
            .journal
            .iter()
            .copied()
            .filter(|j| j.namespace.is_empty() || access.can_list(kinds::EVENTS, Some(&j.namespace)))
            .filter(|j| match j.object_kind.as_str() {
                "NodeClaim" => cluster(kinds::NODECLAIMS),
                "NodePool" => cluster(kinds::NODEPOOLS),
                "Node" => cluster(kinds::NODES),
                _ => !j.namespace.is_empty() || access.all,
            })
            .collect(),
        live: snap.live,
        pricing: snap.pricing,
        sources: snap.sources.clone(),
    }
}

/// The views a user may see: every join over the part of the snapshot they may list
/// ([`restrict_snapshot`]), so nothing of a namespace or kind they may not list reaches any view,
/// count or message — a pod name in a chain, a node's requests summed over other teams' pods, an
/// error text about another namespace's trigger. Chains name what was left out (`redacted`).
///
/// ```
/// use model::access::{Access, views_for};
/// use model::api::kinds;
/// let mut alice = Access::default();
/// alice.grant("team-a", kinds::SCALEDOBJECTS);
/// let v = views_for(&model::Snapshot::default(), &alice, model::Time(0));
/// assert!(v.scalers.is_empty() && v.nodes.is_empty());
/// ```
pub fn views_for(snap: &Snapshot<'_>, access: &Access, now: crate::Time) -> Views {
    if access.all {
        return Views::build(snap, now);
    }
    let mut restricted = restrict_snapshot(snap, access);
    // An error text names other namespaces' triggers: recomputed from the visible ones only.
    if matches!(restricted.sources.external_metrics, crate::snapshot::SourceState::Error(_)) {
        restricted.sources.external_metrics = snap.live.state_of(&restricted.scaled_objects);
    }
    let mut v = Views::build(&restricted, now);
    let hidden: Vec<String> =
        [(kinds::NODES, "nodes"), (kinds::NODECLAIMS, "nodeclaims"), (kinds::NODEPOOLS, "nodepools")]
            .into_iter()
            .filter(|(k, _)| !access.can_list(*k, None))
            .map(|(_, name)| name.to_owned())
            .collect();
    let (nodes, claims, pools) = (
        access.can_list(kinds::NODES, None),
        access.can_list(kinds::NODECLAIMS, None),
        access.can_list(kinds::NODEPOOLS, None),
    );
    for c in &mut v.chains {
        let ns = c.metadata.namespace.as_deref();
        // Parts of a kind the user may not list stay out even when other objects name them (a node's
        // NodePool label, a pending reason naming the pool): what a chain shows of a kind, it shows only
        // to those who may list that kind.
        if !nodes {
            c.nodes.clear();
        }
        if !claims {
            c.node_claims.clear();
            for p in &mut c.pods {
                p.node_claim = None;
            }
        }
        if !pools {
            c.node_pools.clear();
        }
        c.redacted = hidden.clone();
        for (k, name) in
            [(kinds::PODS, "pods"), (kinds::EVENTS, "events"), (kinds::HPAS, "horizontalpodautoscalers")]
        {
            if !access.can_list(k, ns) {
                c.redacted.push(name.to_owned());
            }
        }
    }
    v
}
