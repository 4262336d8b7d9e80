//! Direct mode's input: the raw lists a view reads ([`Part`]s), fetched concurrently through
//! the page cache and borrowed as one `model::Snapshot` — the same input the server gives the
//! same joins. A part that cannot be read leaves a [`Gap`] (and its model source state), never
//! a blank page; only the view's own primary kind is fatal.

use super::direct::kind_of;
use super::{Answer, Coverage, Data, DataError, Gap, Listed, Within};
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use model::api::{GroupResource, ResourceDef, kinds};
use model::k8s::{
    DEPLOYMENT, Event, HorizontalPodAutoscaler, Job, KindInfo, Node, Pod, STATEFULSET, Scale, Workload,
};
use model::karpenter::{NodeClaim, NodePool};
use model::keda::{ClusterTriggerAuthentication, ScaledJob, ScaledObject, TriggerAuthentication};
use model::meta::{HasMeta, ObjectMeta, split_api_version};
use model::nodeclass::{AnyNodeClass, KNOWN_NODE_CLASSES};
use model::snapshot::{LiveMetrics, Pricing, Snapshot, SourceState, Sources};
use model::tolerant::Tolerant;
use std::marker::PhantomData;
use std::rc::Rc;

/// A raw list direct mode can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// `keda.sh` ScaledObjects.
    ScaledObjects,
    /// `keda.sh` ScaledJobs.
    ScaledJobs,
    /// `keda.sh` TriggerAuthentications.
    TriggerAuthentications,
    /// `keda.sh` ClusterTriggerAuthentications.
    ClusterTriggerAuthentications,
    /// HPAs (`autoscaling/v2`).
    Hpas,
    /// Scale targets: Deployments, StatefulSets, and any other `/scale` kind a ScaledObject names.
    Workloads,
    /// Jobs (of ScaledJobs).
    Jobs,
    /// Pods.
    Pods,
    /// Nodes.
    Nodes,
    /// Karpenter NodePools.
    NodePools,
    /// Karpenter NodeClaims.
    NodeClaims,
    /// NodeClasses of every known provider.
    NodeClasses,
    /// Events (`core/v1`).
    Events,
    /// Live trigger values from the External Metrics API (one request per trigger: details only).
    LiveMetrics,
}

impl Part {
    /// What the user reads in a gap ("NodePools").
    pub fn label(self) -> &'static str {
        match self {
            Part::ScaledObjects => "ScaledObjects",
            Part::ScaledJobs => "ScaledJobs",
            Part::TriggerAuthentications => "TriggerAuthentications",
            Part::ClusterTriggerAuthentications => "ClusterTriggerAuthentications",
            Part::Hpas => "HorizontalPodAutoscalers",
            Part::Workloads => "Scale targets (Deployments, StatefulSets, ...)",
            Part::Jobs => "Jobs",
            Part::Pods => "Pods",
            Part::Nodes => "Nodes",
            Part::NodePools => "NodePools",
            Part::NodeClaims => "NodeClaims",
            Part::NodeClasses => "NodeClasses",
            Part::Events => "Events",
            Part::LiveMetrics => "Live trigger values",
        }
    }

    /// The part holding a kind the API registry names.
    pub fn of(gr: GroupResource) -> Option<Part> {
        Some(match gr {
            kinds::SCALEDOBJECTS => Part::ScaledObjects,
            kinds::SCALEDJOBS => Part::ScaledJobs,
            kinds::HPAS => Part::Hpas,
            kinds::PODS => Part::Pods,
            kinds::EVENTS => Part::Events,
            kinds::DEPLOYMENTS | kinds::STATEFULSETS => Part::Workloads,
            kinds::JOBS => Part::Jobs,
            kinds::NODES => Part::Nodes,
            kinds::NODEPOOLS => Part::NodePools,
            kinds::NODECLAIMS => Part::NodeClaims,
            _ => return None,
        })
    }

    /// The parts a served resource reads (`ResourceDef::reads`), plus NodeClasses with NodePools.
    pub fn for_resource(def: &ResourceDef) -> Vec<Part> {
        let mut parts: Vec<Part> = def.reads.iter().filter_map(|gr| Part::of(*gr)).collect();
        if parts.contains(&Part::NodePools) {
            parts.push(Part::NodeClasses);
        }
        parts.sort();
        parts.dedup();
        parts
    }
}

/// A static kind for [`Typed`].
pub trait StaticKind {
    /// The kind.
    const INFO: KindInfo;
}

/// `apps/v1` Deployments as scale targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployments;
impl StaticKind for Deployments {
    const INFO: KindInfo = DEPLOYMENT;
}
/// `apps/v1` StatefulSets as scale targets.
#[derive(Clone, Debug, PartialEq)]
pub struct StatefulSets;
impl StaticKind for StatefulSets {
    const INFO: KindInfo = STATEFULSET;
}

/// A [`Workload`] read from a list of kind `K`: list items carry no `apiVersion`/`kind`, so they
/// are set from `K` while reading.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed<K>(pub Workload, PhantomData<K>);

impl<K: StaticKind> Tolerant for Typed<K> {
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(Workload::read(d)?.map(|mut w| {
            w.api_version = K::INFO.api_version();
            w.kind = K::INFO.kind.to_owned();
            Typed(w, PhantomData)
        }))
    }
}

impl<K> HasMeta for Typed<K> {
    fn metadata(&self) -> &ObjectMeta {
        &self.0.metadata
    }
}

fn empty<T>() -> Rc<Listed<T>> {
    Rc::new(Listed { items: Rc::from(Vec::new()), rejected: Vec::new(), coverage: Coverage::Complete })
}

/// The raw lists read for a view, ready to be borrowed as a `model::Snapshot`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    /// ScaledObjects.
    pub scaled_objects: Rc<Listed<ScaledObject>>,
    /// ScaledJobs.
    pub scaled_jobs: Rc<Listed<ScaledJob>>,
    /// TriggerAuthentications.
    pub trigger_authentications: Rc<Listed<TriggerAuthentication>>,
    /// ClusterTriggerAuthentications.
    pub cluster_trigger_authentications: Rc<Listed<ClusterTriggerAuthentication>>,
    /// HPAs.
    pub hpas: Rc<Listed<HorizontalPodAutoscaler>>,
    /// Deployments.
    pub deployments: Rc<Listed<Typed<Deployments>>>,
    /// StatefulSets.
    pub statefulsets: Rc<Listed<Typed<StatefulSets>>>,
    /// Scale targets of other kinds (one request each).
    pub custom_targets: Vec<Workload>,
    /// Jobs.
    pub jobs: Rc<Listed<Job>>,
    /// Pods.
    pub pods: Rc<Listed<Pod>>,
    /// Nodes.
    pub nodes: Rc<Listed<Node>>,
    /// NodePools.
    pub node_pools: Rc<Listed<NodePool>>,
    /// NodeClaims.
    pub node_claims: Rc<Listed<NodeClaim>>,
    /// NodeClasses of every provider.
    pub node_classes: Vec<Rc<Listed<AnyNodeClass>>>,
    /// Events.
    pub events: Rc<Listed<Event>>,
    /// Live trigger values.
    pub live: LiveMetrics,
    /// Price sources (from the settings).
    pub pricing: Pricing,
    /// What could be read.
    pub sources: Sources,
    /// Parts that could not be read.
    pub failed: Vec<(Part, DataError)>,
}

impl Default for Fetched {
    fn default() -> Self {
        Fetched {
            scaled_objects: empty(),
            scaled_jobs: empty(),
            trigger_authentications: empty(),
            cluster_trigger_authentications: empty(),
            hpas: empty(),
            deployments: empty(),
            statefulsets: empty(),
            custom_targets: Vec::new(),
            jobs: empty(),
            pods: empty(),
            nodes: empty(),
            node_pools: empty(),
            node_claims: empty(),
            node_classes: Vec::new(),
            events: empty(),
            live: LiveMetrics::default(),
            pricing: Pricing::default(),
            sources: Sources::default(),
            failed: Vec::new(),
        }
    }
}

impl Fetched {
    /// Everything, borrowed, as the joins' input.
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            scaled_objects: self.scaled_objects.items.iter().collect(),
            scaled_jobs: self.scaled_jobs.items.iter().collect(),
            trigger_authentications: self.trigger_authentications.items.iter().collect(),
            cluster_trigger_authentications: self.cluster_trigger_authentications.items.iter().collect(),
            hpas: self.hpas.items.iter().collect(),
            workloads: self
                .deployments
                .items
                .iter()
                .map(|t| &t.0)
                .chain(self.statefulsets.items.iter().map(|t| &t.0))
                .chain(self.custom_targets.iter())
                .collect(),
            jobs: self.jobs.items.iter().collect(),
            pods: self.pods.items.iter().collect(),
            nodes: self.nodes.items.iter().collect(),
            node_pools: self.node_pools.items.iter().collect(),
            node_claims: self.node_claims.items.iter().collect(),
            node_classes: self.node_classes.iter().flat_map(|l| l.items.iter()).collect(),
            events: self.events.items.iter().collect(),
            journal: Vec::new(),
            live: &self.live,
            pricing: &self.pricing,
            sources: self.sources.clone(),
        }
    }

    /// The error of `part`, if it failed.
    pub fn error(&self, part: Part) -> Option<&DataError> {
        self.failed.iter().find(|(p, _)| *p == part).map(|(_, e)| e)
    }
}

impl Answer<Rc<Fetched>> {
    /// The view cannot be shown without its primary kind (except the overview, which shows
    /// whatever parts it has).
    pub fn fatal(&self, def: &ResourceDef) -> Result<(), DataError> {
        if def.plural == model::api::OVERVIEWS.plural {
            return Ok(());
        }
        match Part::of(def.primary).and_then(|p| self.value.error(p)) {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}

/// Sets one part's list into a [`Fetched`].
type Setter = Box<dyn FnOnce(&mut Fetched)>;

fn source_state(r: Option<&DataError>) -> SourceState {
    match r {
        None => SourceState::Ok,
        Some(DataError::NotInstalled { .. }) => SourceState::NotInstalled,
        Some(DataError::NoPermission { .. }) => SourceState::Forbidden,
        Some(e) => SourceState::Error(e.explanation()),
    }
}

impl Data {
    fn part_list<T, F>(
        &self,
        kind: KindInfo,
        within: &Within,
        set: F,
    ) -> LocalBoxFuture<'static, Result<Setter, DataError>>
    where
        T: Tolerant + HasMeta + PartialEq + 'static,
        F: FnOnce(&mut Fetched, Rc<Listed<T>>) + 'static,
    {
        let this = self.clone();
        let within = within.clone();
        async move {
            let list = this.list::<T>(&kind, &within).await?;
            Ok(Box::new(move |f: &mut Fetched| set(f, list)) as Setter)
        }
        .boxed_local()
    }

    fn fetch_part(&self, part: Part, within: &Within) -> LocalBoxFuture<'static, Result<Setter, DataError>> {
        match part {
            Part::ScaledObjects => {
                self.part_list(kind_of::<ScaledObject>(), within, |f, l| f.scaled_objects = l)
            }
            Part::ScaledJobs => self.part_list(kind_of::<ScaledJob>(), within, |f, l| f.scaled_jobs = l),
            Part::TriggerAuthentications => {
                self.part_list(kind_of::<TriggerAuthentication>(), within, |f, l| {
                    f.trigger_authentications = l
                })
            }
            Part::ClusterTriggerAuthentications => {
                self.part_list(kind_of::<ClusterTriggerAuthentication>(), within, |f, l| {
                    f.cluster_trigger_authentications = l
                })
            }
            Part::Hpas => self.part_list(kind_of::<HorizontalPodAutoscaler>(), within, |f, l| f.hpas = l),
            Part::Workloads => {
                let deployments = self.part_list(DEPLOYMENT, within, |f, l| f.deployments = l);
                let statefulsets = self.part_list(STATEFULSET, within, |f, l| f.statefulsets = l);
                async move {
                    let (d, s) = futures::join!(deployments, statefulsets);
                    let (d, s) = (d?, s?);
                    Ok(Box::new(move |f: &mut Fetched| {
                        d(f);
                        s(f);
                    }) as Setter)
                }
                .boxed_local()
            }
            Part::Jobs => self.part_list(kind_of::<Job>(), within, |f, l| f.jobs = l),
            Part::Pods => self.part_list(kind_of::<Pod>(), within, |f, l| f.pods = l),
            Part::Nodes => self.part_list(kind_of::<Node>(), within, |f, l| f.nodes = l),
            Part::NodePools => self.part_list(kind_of::<NodePool>(), within, |f, l| f.node_pools = l),
            Part::NodeClaims => self.part_list(kind_of::<NodeClaim>(), within, |f, l| f.node_claims = l),
            Part::NodeClasses => {
                let this = self.clone();
                async move {
                    // Every provider's kind; those not installed are simply absent.
                    let lists = futures::future::join_all(KNOWN_NODE_CLASSES.iter().map(|(g, v, k, p)| {
                        let kind = KindInfo { group: g, version: v, kind: k, plural: p, namespaced: false };
                        let this = this.clone();
                        async move { this.list::<AnyNodeClass>(&kind, &Within::All).await }
                    }))
                    .await;
                    let mut ok = Vec::new();
                    let mut refused = None;
                    for l in lists {
                        match l {
                            Ok(l) => ok.push(l),
                            Err(DataError::NotInstalled { .. }) => {}
                            Err(e) => refused = Some(e),
                        }
                    }
                    if ok.is_empty()
                        && let Some(e) = refused
                    {
                        return Err(e);
                    }
                    Ok(Box::new(move |f: &mut Fetched| f.node_classes = ok) as Setter)
                }
                .boxed_local()
            }
            Part::Events => self.part_list(kind_of::<Event>(), within, |f, l| f.events = l),
            // Read after ScaledObjects (they name the metrics): see `snapshot`.
            Part::LiveMetrics => async { Ok(Box::new(|_: &mut Fetched| {}) as Setter) }.boxed_local(),
        }
    }

    /// Reads `parts` (concurrently) in `within` for a join in the browser.
    pub async fn snapshot(&self, parts: &[Part], within: &Within) -> Result<Answer<Rc<Fetched>>, DataError> {
        let mut parts: Vec<Part> = parts.to_vec();
        // Scale targets of other kinds and live values are found through the ScaledObjects.
        if (parts.contains(&Part::Workloads) || parts.contains(&Part::LiveMetrics))
            && !parts.contains(&Part::ScaledObjects)
        {
            parts.push(Part::ScaledObjects);
        }
        parts.sort();
        parts.dedup();
        let results = futures::future::join_all(parts.iter().map(|p| {
            let part = *p;
            self.fetch_part(part, within).map(move |r| (part, r))
        }))
        .await;
        let mut fetched = Fetched { pricing: self.settings().pricing(), ..Fetched::default() };
        for (part, r) in results {
            match r {
                Ok(set) => set(&mut fetched),
                Err(e) => fetched.failed.push((part, e)),
            }
        }
        if parts.contains(&Part::Workloads) && fetched.error(Part::ScaledObjects).is_none() {
            let (targets, failures) = self.custom_targets(&fetched.scaled_objects.items).await;
            fetched.custom_targets = targets;
            fetched.failed.extend(failures.into_iter().map(|e| (Part::Workloads, e)));
        }
        if parts.contains(&Part::LiveMetrics) && fetched.error(Part::ScaledObjects).is_none() {
            match self.live_metrics(&fetched.scaled_objects.items).await {
                Ok(live) => fetched.live = live,
                Err(e) => fetched.failed.push((Part::LiveMetrics, e)),
            }
        }
        fetched.sources = Sources {
            keda: if parts.contains(&Part::ScaledObjects) {
                source_state(fetched.error(Part::ScaledObjects))
            } else {
                SourceState::Unknown
            },
            karpenter: if parts.contains(&Part::NodePools) {
                source_state(fetched.error(Part::NodePools))
            } else {
                SourceState::Unknown
            },
            external_metrics: if parts.contains(&Part::LiveMetrics) {
                source_state(fetched.error(Part::LiveMetrics))
            } else {
                SourceState::Unknown
            },
            prometheus: SourceState::Unknown,
        };
        let gaps = gaps_of(&fetched);
        let origin = self.state().origin().unwrap_or(super::Origin::Direct(super::DirectWhy::NotInstalled));
        Ok(Answer { value: Rc::new(fetched), origin, gaps })
    }

    /// Scale targets that are neither Deployments nor StatefulSets (Argo Rollouts, custom `/scale`
    /// kinds): each read by name, its `/scale` when the object has no selector.
    async fn custom_targets(&self, scaled_objects: &[ScaledObject]) -> (Vec<Workload>, Vec<DataError>) {
        let wanted: Vec<(String, String, String, String)> = scaled_objects
            .iter()
            .map(|so| {
                let t = &so.spec.scale_target_ref;
                (t.api_version().to_owned(), t.kind().to_owned(), so.metadata.ns().to_owned(), t.name.clone())
            })
            .filter(|(av, k, _, name)| {
                let (group, _) = split_api_version(av);
                !name.is_empty() && !(group == "apps" && (k == "Deployment" || k == "StatefulSet"))
            })
            .collect();
        let results = futures::future::join_all(
            wanted
                .into_iter()
                .map(|(av, k, ns, name)| async move { self.custom_target(&av, &k, &ns, &name).await }),
        )
        .await;
        let mut targets = Vec::new();
        let mut failures = Vec::new();
        for r in results {
            match r {
                Ok(Some(w)) => targets.push(w),
                Ok(None) => {}
                Err(e) => failures.push(e),
            }
        }
        (targets, failures)
    }

    async fn custom_target(
        &self,
        api_version: &str,
        kind: &str,
        ns: &str,
        name: &str,
    ) -> Result<Option<Workload>, DataError> {
        let Some(plural) = self.plural_of(api_version, kind).await? else {
            return Ok(None);
        };
        let (group, version) = split_api_version(api_version);
        let base = model::meta::list_path(group, version, &plural, Some(ns));
        let object = self.direct.bridge().get(self.cluster(), &format!("{base}/{name}")).await?;
        let mut workload = match object.status {
            200..=299 => model::meta::parse_object::<Workload>(&object.body).ok().flatten(),
            404 => return Ok(None),
            _ => {
                return Err(super::error::classify(
                    &object,
                    &super::error::Attempt {
                        path: &format!("{base}/{name}"),
                        action: &format!("get {kind} {ns}/{name}"),
                        installs: None,
                        what: &format!("{kind} {ns}/{name}"),
                    },
                ));
            }
        };
        if workload.as_ref().is_none_or(|w| w.pod_selector().is_none()) {
            let scale = self.direct.bridge().get(self.cluster(), &format!("{base}/{name}/scale")).await?;
            if (200..300).contains(&scale.status)
                && let Ok(Some(s)) = model::meta::parse_object::<Scale>(&scale.body)
            {
                let from_scale = s.into_workload(api_version, kind);
                workload = Some(match workload {
                    Some(mut w) => {
                        w.status.selector = from_scale.status.selector;
                        w
                    }
                    None => from_scale,
                });
            }
        }
        Ok(workload.map(|mut w| {
            w.api_version = api_version.to_owned();
            w.kind = kind.to_owned();
            w
        }))
    }

    /// The plural of `kind` in `api_version`, from discovery (cached for the page).
    async fn plural_of(&self, api_version: &str, kind: &str) -> Result<Option<String>, DataError> {
        #[derive(serde::Deserialize, PartialEq)]
        struct Resources {
            #[serde(default)]
            resources: Vec<ApiResource>,
        }
        #[derive(serde::Deserialize, PartialEq)]
        struct ApiResource {
            name: String,
            kind: String,
        }
        let (group, version) = split_api_version(api_version);
        let path =
            if group.is_empty() { format!("/api/{version}") } else { format!("/apis/{group}/{version}") };
        let bridge = self.direct.bridge().clone();
        let cluster = self.cluster().to_owned();
        let p = path.clone();
        let found = self
            .state()
            .cache
            .get(&format!("discovery:{path}"), 300_000.0, super::now_ms(), async move {
                let r = bridge.get(&cluster, &p).await?;
                if !(200..300).contains(&r.status) {
                    return Ok(None);
                }
                Ok(serde_json::from_str::<Resources>(&r.body).ok())
            })
            .await?;
        Ok(found.as_ref().as_ref().and_then(|r| {
            r.resources
                .iter()
                .find(|res| res.kind == kind && !res.name.contains('/'))
                .map(|res| res.name.clone())
        }))
    }

    /// Every trigger's current value from the External Metrics API (what the HPA acts on).
    async fn live_metrics(&self, scaled_objects: &[ScaledObject]) -> Result<LiveMetrics, DataError> {
        let keys: Vec<(String, String, String)> = scaled_objects
            .iter()
            .flat_map(|so| {
                so.status
                    .external_metric_names
                    .iter()
                    .map(move |m| (so.metadata.ns().to_owned(), so.metadata.name.clone(), m.clone()))
            })
            .collect();
        let answers = futures::future::join_all(keys.into_iter().map(|(ns, so, metric)| async move {
            let path = model::paths::external_metric(&ns, &metric, &so);
            let r = self.direct.bridge().get(self.cluster(), &path).await;
            (ns, so, metric, path, r)
        }))
        .await;
        let mut live = LiveMetrics::default();
        let mut last_error = None;
        let total = answers.len();
        for (ns, so, metric, path, r) in answers {
            let r = r?;
            if (200..300).contains(&r.status) {
                match external_metric_value(&r.body) {
                    Some(v) => live.insert(&ns, &so, &metric, v),
                    None => {
                        last_error = Some(DataError::Malformed {
                            path,
                            error: "no value in ExternalMetricValueList".into(),
                        })
                    }
                }
            } else {
                last_error = Some(super::error::classify(
                    &r,
                    &super::error::Attempt {
                        path: &path,
                        action: &format!("read external metric {metric} of {ns}/{so}"),
                        installs: Some("KEDA's metrics server (external.metrics.k8s.io)"),
                        what: &metric,
                    },
                ));
            }
        }
        match last_error {
            // Some values read: show them; all failed: say why.
            Some(e) if live.values.is_empty() && total > 0 => Err(e),
            _ => Ok(live),
        }
    }
}

/// The value of an `ExternalMetricValueList` (the sum of its series, as the HPA adds them), in
/// base units: `model::k8s`'s one reader.
pub fn external_metric_value(body: &str) -> Option<f64> {
    serde_json::from_str::<model::k8s::ExternalMetricValueList>(body).ok()?.total()
}

/// The gaps of a fetch: failed parts, parts read only in some namespaces, unreadable items.
fn gaps_of(f: &Fetched) -> Vec<Gap> {
    let mut gaps: Vec<Gap> =
        f.failed.iter().map(|(p, e)| Gap::Missing { what: p.label().to_owned(), error: e.clone() }).collect();
    let mut coverage = |what: &str, c: &Coverage, rejected: usize, total: usize| {
        if let Some(g) = Gap::of_coverage(what, c) {
            gaps.push(g);
        }
        if rejected > 0 {
            gaps.push(Gap::Missing {
                what: format!("{rejected} of {} {what}", rejected + total),
                error: DataError::Malformed {
                    path: what.to_owned(),
                    error: "objects that could not be read".into(),
                },
            });
        }
    };
    macro_rules! cover {
        ($($field:ident => $what:expr),*) => {
            $( coverage($what, &f.$field.coverage, f.$field.rejected.len(), f.$field.items.len()); )*
        };
    }
    cover!(
        scaled_objects => "ScaledObjects",
        scaled_jobs => "ScaledJobs",
        trigger_authentications => "TriggerAuthentications",
        hpas => "HorizontalPodAutoscalers",
        deployments => "Deployments",
        statefulsets => "StatefulSets",
        jobs => "Jobs",
        pods => "Pods",
        events => "Events"
    );
    // Several lists of one part (Deployments and StatefulSets) refused in the same namespaces say it once.
    gaps.dedup();
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_follow_the_api_registry() {
        assert_eq!(
            Part::for_resource(&model::api::NODEPOOLS),
            vec![Part::Nodes, Part::NodePools, Part::NodeClaims, Part::NodeClasses]
        );
        let scalers = Part::for_resource(&model::api::SCALERS);
        assert!(scalers.contains(&Part::Workloads) && scalers.contains(&Part::Hpas), "{scalers:?}");
    }

    #[test]
    fn typed_workloads_get_their_kind_from_the_list() {
        let list = model::meta::parse_list::<Typed<StatefulSets>>(
            r#"{"kind":"StatefulSetList","items":[{"metadata":{"name":"reports","namespace":"team-b"},"spec":{"replicas":0}}]}"#,
        )
        .unwrap();
        let w = &list.items[0].0;
        assert_eq!((w.api_version.as_str(), w.kind.as_str()), ("apps/v1", "StatefulSet"));
        assert!(w.is("apps/v1", "StatefulSet", "team-b", "reports"));
    }

    #[test]
    fn external_metric_values_read_like_the_hpa() {
        assert_eq!(
            model::paths::external_metric("team-a", "s0-redis-orders", "orders"),
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/team-a/s0-redis-orders?labelSelector=scaledobject.keda.sh%2Fname%3Dorders"
        );
        let body = r#"{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[{"metricName":"s0-redis-orders","metricLabels":null,"timestamp":"2026-11-30T06:20:00Z","value":"1500m"}]}"#;
        assert_eq!(external_metric_value(body), Some(1.5));
        assert_eq!(external_metric_value(r#"{"items":[]}"#), None);
    }
}
