//! Every watch cache of the server, and a consistent read of all of them ([`Snapshot`]).
//!
//! Core kinds are watched from the start. KEDA, Karpenter, NodeClasses of every provider and scale
//! targets other than Deployments/StatefulSets are watched when [`crate::catalog`] finds them served,
//! and dropped when their CRD goes away.

use crate::metrics::Metrics;
use crate::watch::{self, Changes, Object, Watch, WatchState, Watched};
use kube::api::ApiResource;
use model::k8s::{Event, HorizontalPodAutoscaler, Job, Node, Pod, Workload};
use model::karpenter::{NodeClaim, NodePool};
use model::keda::{CloudEventSource, ClusterCloudEventSource, ScaledJob, ScaledObject};
use model::nodeclass::{
    AksNodeClass, AnyNodeClass, Ec2NodeClass, EksNodeClass, GenericNodeClass, KwokNodeClass,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

/// Whether an optional part (KEDA, Karpenter) can be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "message", rename_all = "camelCase")]
pub enum Availability {
    /// Not discovered yet.
    #[default]
    Unknown,
    /// Served and readable.
    Installed,
    /// The API group is not served (CRDs not installed).
    NotInstalled,
    /// Served, but the server's account may not list it.
    NoPermission(String),
    /// Discovery or the watch fails for another reason.
    Failing(String),
}

/// `(group, kind)`.
pub type GroupKind = (String, String);

/// A NodeClass watch of whichever provider type fits the kind.
pub enum NodeClassWatch {
    /// `karpenter.k8s.aws` EC2NodeClass.
    Ec2(Watch<Ec2NodeClass>),
    /// `eks.amazonaws.com` NodeClass.
    Eks(Watch<EksNodeClass>),
    /// `karpenter.azure.com` AKSNodeClass.
    Aks(Watch<AksNodeClass>),
    /// `karpenter.kwok.sh` KWOKNodeClass.
    Kwok(Watch<KwokNodeClass>),
    /// A provider we do not know.
    Generic(Watch<GenericNodeClass>),
}

impl NodeClassWatch {
    /// Starts the right watch for `resource`.
    pub fn spawn(
        client: &kube::Client,
        resource: ApiResource,
        changes: &Arc<Changes>,
        metrics: &Metrics,
    ) -> Self {
        match (resource.group.as_str(), resource.kind.as_str()) {
            ("karpenter.k8s.aws", "EC2NodeClass") => {
                Self::Ec2(watch::all(client, resource, changes, metrics))
            }
            ("eks.amazonaws.com", "NodeClass") => Self::Eks(watch::all(client, resource, changes, metrics)),
            ("karpenter.azure.com", "AKSNodeClass") => {
                Self::Aks(watch::all(client, resource, changes, metrics))
            }
            ("karpenter.kwok.sh", "KWOKNodeClass") => {
                Self::Kwok(watch::all(client, resource, changes, metrics))
            }
            _ => Self::Generic(watch::all(client, resource, changes, metrics)),
        }
    }

    fn objects(&self) -> Vec<AnyNodeClass> {
        fn each<T: Object>(w: &Watch<T>, f: fn(T) -> AnyNodeClass) -> Vec<AnyNodeClass> {
            w.objects().iter().map(|o| f(o.object.clone())).collect()
        }
        match self {
            Self::Ec2(w) => each(w, AnyNodeClass::Ec2),
            Self::Eks(w) => each(w, AnyNodeClass::Eks),
            Self::Aks(w) => each(w, AnyNodeClass::Aks),
            Self::Kwok(w) => each(w, AnyNodeClass::Kwok),
            Self::Generic(w) => each(w, AnyNodeClass::Generic),
        }
    }

    fn state(&self) -> WatchState {
        match self {
            Self::Ec2(w) => w.state(),
            Self::Eks(w) => w.state(),
            Self::Aks(w) => w.state(),
            Self::Kwok(w) => w.state(),
            Self::Generic(w) => w.state(),
        }
    }

    fn settled(&self) -> bool {
        match self {
            Self::Ec2(w) => w.settled(),
            Self::Eks(w) => w.settled(),
            Self::Aks(w) => w.settled(),
            Self::Kwok(w) => w.settled(),
            Self::Generic(w) => w.settled(),
        }
    }

    /// The watched resource.
    pub fn resource(&self) -> &ApiResource {
        match self {
            Self::Ec2(w) => &w.resource,
            Self::Eks(w) => &w.resource,
            Self::Aks(w) => &w.resource,
            Self::Kwok(w) => &w.resource,
            Self::Generic(w) => &w.resource,
        }
    }
}

/// Watches that come and go with CRDs (managed by [`crate::catalog`]).
#[derive(Default)]
pub struct Optional {
    /// Whether `keda.sh` is served.
    pub keda: Availability,
    /// Whether `karpenter.sh` is served.
    pub karpenter: Availability,
    /// ScaledObjects.
    pub scaledobjects: Option<Watch<ScaledObject>>,
    /// ScaledJobs.
    pub scaledjobs: Option<Watch<ScaledJob>>,
    /// CloudEventSources (`eventing.keda.sh`).
    pub cloudeventsources: Option<Watch<CloudEventSource>>,
    /// ClusterCloudEventSources (`eventing.keda.sh`).
    pub clustercloudeventsources: Option<Watch<ClusterCloudEventSource>>,
    /// NodePools.
    pub nodepools: Option<Watch<NodePool>>,
    /// NodeClaims.
    pub nodeclaims: Option<Watch<NodeClaim>>,
    /// NodeClasses by (group, kind).
    pub nodeclasses: BTreeMap<GroupKind, NodeClassWatch>,
    /// Scale targets other than Deployments and StatefulSets, by (group, kind).
    pub scale_targets: BTreeMap<GroupKind, Watch<Workload>>,
    /// Kinds we would watch whose API is not served (`apiVersion/Kind` or `group/Kind`), so
    /// `/readyz?verbose` can say "not installed" instead of staying silent.
    pub absent: std::collections::BTreeSet<String>,
    /// Scale-target kinds that ScaledObjects name but the server does not watch (`group/Kind`), and why.
    pub refused_targets: BTreeMap<String, String>,
    /// API groups listed by kube-apiserver whose resources could not be discovered, and the error.
    pub failing_groups: BTreeMap<String, String>,
    /// True after the first discovery pass.
    pub discovered: bool,
}

/// The watches of kinds that are always served.
pub struct Core {
    /// Pods.
    pub pods: Watch<Pod>,
    /// Nodes.
    pub nodes: Watch<Node>,
    /// HorizontalPodAutoscalers (autoscaling/v2).
    pub hpas: Watch<HorizontalPodAutoscaler>,
    /// Events (core/v1).
    pub events: Watch<Event>,
    /// Deployments.
    pub deployments: Watch<Workload>,
    /// StatefulSets.
    pub statefulsets: Watch<Workload>,
    /// Jobs (ScaledJobs' runs).
    pub jobs: Watch<Job>,
}

/// Every cache.
pub struct Caches {
    /// Always-served kinds.
    pub core: Core,
    /// CRD-backed kinds.
    pub optional: RwLock<Optional>,
    /// Bumped on every change of every cache.
    pub changes: Arc<Changes>,
}

fn core_resource(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.to_owned(),
        version: version.to_owned(),
        api_version: model::meta::api_version(group, version),
        kind: kind.to_owned(),
        plural: plural.to_owned(),
    }
}

impl Caches {
    /// Starts the core watches; the optional ones start when the catalog finds them.
    pub fn start(client: &kube::Client, metrics: &Metrics) -> Arc<Self> {
        let changes = Arc::new(Changes::default());
        let c = &changes;
        let core = Core {
            pods: watch::all(client, core_resource("", "v1", "Pod", "pods"), c, metrics),
            nodes: watch::all(client, core_resource("", "v1", "Node", "nodes"), c, metrics),
            hpas: watch::all(
                client,
                core_resource("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
                c,
                metrics,
            ),
            events: watch::all(client, core_resource("", "v1", "Event", "events"), c, metrics),
            deployments: watch::all(
                client,
                core_resource("apps", "v1", "Deployment", "deployments"),
                c,
                metrics,
            ),
            statefulsets: watch::all(
                client,
                core_resource("apps", "v1", "StatefulSet", "statefulsets"),
                c,
                metrics,
            ),
            jobs: watch::all(client, core_resource("batch", "v1", "Job", "jobs"), c, metrics),
        };
        Arc::new(Self { core, optional: RwLock::default(), changes })
    }

    /// Read access to the optional watches.
    pub fn optional(&self) -> std::sync::RwLockReadGuard<'_, Optional> {
        self.optional.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Write access to the optional watches (the catalog only).
    pub fn optional_mut(&self) -> std::sync::RwLockWriteGuard<'_, Optional> {
        self.optional.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Every watch's state, by `apiVersion/Kind` (for `/readyz` and the views' "what is missing").
    pub fn states(&self) -> BTreeMap<String, WatchState> {
        let mut out = BTreeMap::new();
        fn put<T: Object>(out: &mut BTreeMap<String, WatchState>, w: &Watch<T>) {
            out.insert(format!("{}/{}", w.resource.api_version, w.resource.kind), w.state());
        }
        let c = &self.core;
        put(&mut out, &c.pods);
        put(&mut out, &c.nodes);
        put(&mut out, &c.hpas);
        put(&mut out, &c.events);
        put(&mut out, &c.deployments);
        put(&mut out, &c.statefulsets);
        put(&mut out, &c.jobs);
        let o = self.optional();
        for w in o.scaledobjects.iter() {
            put(&mut out, w);
        }
        for w in o.scaledjobs.iter() {
            put(&mut out, w);
        }
        for w in o.cloudeventsources.iter() {
            put(&mut out, w);
        }
        for w in o.clustercloudeventsources.iter() {
            put(&mut out, w);
        }
        for w in o.nodepools.iter() {
            put(&mut out, w);
        }
        for w in o.nodeclaims.iter() {
            put(&mut out, w);
        }
        for w in o.scale_targets.values() {
            put(&mut out, w);
        }
        for w in o.nodeclasses.values() {
            let r = w.resource();
            out.insert(format!("{}/{}", r.api_version, r.kind), w.state());
        }
        for kind in &o.absent {
            out.entry(kind.clone()).or_insert(WatchState::NotInstalled);
        }
        out
    }

    /// Ready to serve: every core watch listed once (or found its kind forbidden) and one discovery
    /// pass was tried. Optional watches (KEDA, Karpenter, NodeClasses, scale targets) never decide it:
    /// their kinds are chosen by CRDs and tenants' objects, and an aggregated API that is not ready
    /// breaks discovery for the whole cluster. They report their own state (see [`Caches::states`]).
    pub fn ready(&self) -> bool {
        let c = &self.core;
        c.pods.settled()
            && c.nodes.settled()
            && c.hpas.settled()
            && c.events.settled()
            && c.deployments.settled()
            && c.statefulsets.settled()
            && c.jobs.settled()
            && self.optional().discovered
    }

    /// True when the optional watches listed once too (the start-up log says when everything is in).
    pub fn all_listed(&self) -> bool {
        let o = self.optional();
        o.scaledobjects.as_ref().is_none_or(Watch::settled)
            && o.scaledjobs.as_ref().is_none_or(Watch::settled)
            && o.cloudeventsources.as_ref().is_none_or(Watch::settled)
            && o.clustercloudeventsources.as_ref().is_none_or(Watch::settled)
            && o.nodepools.as_ref().is_none_or(Watch::settled)
            && o.nodeclaims.as_ref().is_none_or(Watch::settled)
            && o.scale_targets.values().all(Watch::settled)
            && o.nodeclasses.values().all(NodeClassWatch::settled)
    }

    /// A read of every cache at one moment (objects are shared, not copied).
    pub fn snapshot(&self) -> Snapshot {
        let c = &self.core;
        let o = self.optional();
        let mut workloads = Vec::new();
        workloads.extend(c.deployments.objects());
        workloads.extend(c.statefulsets.objects());
        for w in o.scale_targets.values() {
            workloads.extend(w.objects());
        }
        Snapshot {
            pods: c.pods.objects(),
            nodes: c.nodes.objects(),
            hpas: c.hpas.objects(),
            events: c.events.objects(),
            workloads,
            jobs: c.jobs.objects(),
            scaledobjects: o.scaledobjects.as_ref().map(Watch::objects).unwrap_or_default(),
            scaledjobs: o.scaledjobs.as_ref().map(Watch::objects).unwrap_or_default(),
            cloudeventsources: o.cloudeventsources.as_ref().map(Watch::objects).unwrap_or_default(),
            clustercloudeventsources: o
                .clustercloudeventsources
                .as_ref()
                .map(Watch::objects)
                .unwrap_or_default(),
            nodepools: o.nodepools.as_ref().map(Watch::objects).unwrap_or_default(),
            nodeclaims: o.nodeclaims.as_ref().map(Watch::objects).unwrap_or_default(),
            nodeclasses: o.nodeclasses.values().flat_map(NodeClassWatch::objects).collect(),
            keda: part(
                &o.keda,
                [o.scaledobjects.as_ref().map(Watch::state), o.scaledjobs.as_ref().map(Watch::state)],
            ),
            karpenter: part(
                &o.karpenter,
                [o.nodepools.as_ref().map(Watch::state), o.nodeclaims.as_ref().map(Watch::state)],
            ),
        }
    }
}

/// A part's availability: the group's, unless a watch of it is forbidden or failing.
fn part(group: &Availability, watches: [Option<WatchState>; 2]) -> Availability {
    if *group != Availability::Installed {
        return group.clone();
    }
    for s in watches.into_iter().flatten() {
        match s {
            WatchState::NoPermission(m) => return Availability::NoPermission(m),
            WatchState::NotInstalled => return Availability::NotInstalled,
            WatchState::Failing(m) => return Availability::Failing(m),
            WatchState::Listing | WatchState::Synced => {}
        }
    }
    Availability::Installed
}

/// Every cache's objects at one moment.
#[derive(Default)]
pub struct Snapshot {
    /// Pods.
    pub pods: Vec<Arc<Watched<Pod>>>,
    /// Nodes.
    pub nodes: Vec<Arc<Watched<Node>>>,
    /// HPAs.
    pub hpas: Vec<Arc<Watched<HorizontalPodAutoscaler>>>,
    /// Events.
    pub events: Vec<Arc<Watched<Event>>>,
    /// Scale targets of every kind (Deployments, StatefulSets, custom).
    pub workloads: Vec<Arc<Watched<Workload>>>,
    /// Jobs.
    pub jobs: Vec<Arc<Watched<Job>>>,
    /// ScaledObjects.
    pub scaledobjects: Vec<Arc<Watched<ScaledObject>>>,
    /// ScaledJobs.
    pub scaledjobs: Vec<Arc<Watched<ScaledJob>>>,
    /// CloudEventSources.
    pub cloudeventsources: Vec<Arc<Watched<CloudEventSource>>>,
    /// ClusterCloudEventSources.
    pub clustercloudeventsources: Vec<Arc<Watched<ClusterCloudEventSource>>>,
    /// NodePools.
    pub nodepools: Vec<Arc<Watched<NodePool>>>,
    /// NodeClaims.
    pub nodeclaims: Vec<Arc<Watched<NodeClaim>>>,
    /// NodeClasses of every provider.
    pub nodeclasses: Vec<AnyNodeClass>,
    /// KEDA availability.
    pub keda: Availability,
    /// Karpenter availability.
    pub karpenter: Availability,
}

/// Borrows the trimmed objects out of cached entries.
pub fn objects<T>(entries: &[Arc<Watched<T>>]) -> Vec<&T> {
    entries.iter().map(|e| &e.object).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_is_not_not_installed() {
        let installed = Availability::Installed;
        assert_eq!(part(&installed, [Some(WatchState::Synced), None]), Availability::Installed);
        assert_eq!(
            part(&installed, [Some(WatchState::Synced), Some(WatchState::NoPermission("403".into()))]),
            Availability::NoPermission("403".into())
        );
        assert_eq!(part(&Availability::NotInstalled, [None, None]), Availability::NotInstalled);
        // A CRD deleted between discovery and the watch's list: the watch's 404 wins.
        assert_eq!(part(&installed, [Some(WatchState::NotInstalled), None]), Availability::NotInstalled);
    }
}
