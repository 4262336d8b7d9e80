//! Per-user filtering, shared by the server and the browser's direct mode: given what a user
//! may `list` (per namespace and cluster-wide), keep only what they may see.
//!
//! Two ways, same rule: [`restrict_snapshot`] drops objects before the joins (exact: nothing
//! of a hidden namespace can leak into any view or count), [`restrict_views`] filters views
//! computed for everyone (cheaper) and redacts cluster-scoped parts of namespaced views.

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

/// Filters views computed for everyone down to what a user may see, redacts cluster-scoped
/// parts of chains, and recomputes the overview from what is left.
pub fn restrict_views(views: &mut Views, access: &Access) {
    if access.all {
        return;
    }
    use crate::api::{CHAINS, NODECLAIMS, NODEPOOLS, NODES, PENDINGPODS, SCALERS, TIMELINES};
    views.scalers.retain(|v| {
        let primary = if v.source.kind == "ScaledJob" { kinds::SCALEDJOBS } else { SCALERS.primary };
        access.can_list(primary, v.metadata.namespace.as_deref())
    });
    if !access.can_list(kinds::PODS, None) {
        for s in &mut views.scalers {
            if !access.can_list(kinds::PODS, s.metadata.namespace.as_deref()) {
                s.pods.clear();
            }
        }
    }
    views.node_pools.retain(|_| access.can_see(&NODEPOOLS, None));
    views.node_claims.retain(|_| access.can_see(&NODECLAIMS, None));
    views.nodes.retain(|_| access.can_see(&NODES, None));
    views.pending_pods.retain(|v| access.can_see(&PENDINGPODS, v.metadata.namespace.as_deref()));
    views.timelines.retain(|v| access.can_see(&TIMELINES, v.metadata.namespace.as_deref()));
    views.chains.retain(|v| access.can_see(&CHAINS, v.metadata.namespace.as_deref()));
    let (see_nodes, see_claims, see_pools) = (
        access.can_list(kinds::NODES, None),
        access.can_list(kinds::NODECLAIMS, None),
        access.can_list(kinds::NODEPOOLS, None),
    );
    for c in &mut views.chains {
        if !see_nodes {
            c.nodes.clear();
            c.redacted.push("nodes".to_owned());
        }
        if !see_claims {
            c.node_claims.clear();
            for p in &mut c.pods {
                p.node_claim = None;
            }
            c.redacted.push("nodeclaims".to_owned());
        }
        if !see_pools {
            c.node_pools.clear();
            c.redacted.push("nodepools".to_owned());
        }
    }
    let recent: Vec<_> = std::mem::take(&mut views.overview.recent)
        .into_iter()
        .filter(|j| match j.object_kind.as_str() {
            "NodeClaim" => see_claims,
            "NodePool" => see_pools,
            "Node" => see_nodes,
            _ => !j.namespace.is_empty() && access.can_list(kinds::EVENTS, Some(&j.namespace)),
        })
        .collect();
    let sources = views.overview.sources.clone();
    views.refresh_overview(recent, sources);
}
