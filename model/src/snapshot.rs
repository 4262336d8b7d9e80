//! The joins' input: every list they read ([`Snapshot`], borrowed so the server's watch caches
//! are never cloned), plus the lookup tables built once per snapshot ([`Index`]).

use crate::journal::JournalEntry;
use crate::k8s::{Event, HorizontalPodAutoscaler, Job, Node, Pod, Workload};
use crate::karpenter::{NodeClaim, NodePool};
use crate::keda::{ClusterTriggerAuthentication, ScaledJob, ScaledObject, TriggerAuthentication};
use crate::meta::{LabelSelector, Resource, split_api_version};
use crate::nodeclass::AnyNodeClass;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Live trigger values from the External Metrics API, keyed by
/// (namespace, ScaledObject name, external metric name such as `s0-redis-orders`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveMetrics {
    /// Values in base units.
    pub values: BTreeMap<(String, String, String), f64>,
    /// Why a value could not be read, by the same key (the server's poller fills it).
    pub errors: BTreeMap<(String, String, String), String>,
}

impl LiveMetrics {
    /// An empty set.
    pub const EMPTY: LiveMetrics = LiveMetrics { values: BTreeMap::new(), errors: BTreeMap::new() };

    /// Records why one value could not be read.
    pub fn insert_error(&mut self, namespace: &str, scaled_object: &str, metric: &str, error: &str) {
        self.errors
            .insert((namespace.to_owned(), scaled_object.to_owned(), metric.to_owned()), error.to_owned());
    }

    /// The External Metrics API's state as seen through `scaled_objects` only: an error when every
    /// value of theirs failed, naming at most three of them (never another namespace's).
    pub fn state_of(&self, scaled_objects: &[&ScaledObject]) -> SourceState {
        let mut read = 0;
        let mut failed = Vec::new();
        for so in scaled_objects {
            let (ns, name) = (so.metadata.ns(), so.metadata.name.as_str());
            for metric in &so.status.external_metric_names {
                let key = (ns.to_owned(), name.to_owned(), metric.clone());
                if self.values.contains_key(&key) {
                    read += 1;
                } else if let Some(e) = self.errors.get(&key) {
                    failed.push(format!("{ns}/{name} {metric}: {e}"));
                }
            }
        }
        if read > 0 || failed.is_empty() {
            SourceState::Ok
        } else {
            SourceState::Error(failed.into_iter().take(3).collect::<Vec<_>>().join("; "))
        }
    }

    /// Records one value.
    pub fn insert(&mut self, namespace: &str, scaled_object: &str, metric: &str, value: f64) {
        self.values.insert((namespace.to_owned(), scaled_object.to_owned(), metric.to_owned()), value);
    }

    /// Records the value of an External Metrics API answer (`ExternalMetricValueList` JSON) for
    /// `metric` of ScaledObject `scaled_object`; the sum of every series, as the HPA uses it.
    /// Returns whether a value was recorded.
    pub fn insert_response(
        &mut self,
        namespace: &str,
        scaled_object: &str,
        metric: &str,
        body: &str,
    ) -> bool {
        let value = crate::meta::parse_object::<crate::k8s::ExternalMetricValueList>(body)
            .ok()
            .flatten()
            .and_then(|l| l.total());
        if let Some(v) = value {
            self.insert(namespace, scaled_object, metric, v);
        }
        value.is_some()
    }

    /// Looks one value up.
    pub fn get(&self, namespace: &str, scaled_object: &str, metric: &str) -> Option<f64> {
        // BTreeMap lookups need owned tuples; values are few (one per trigger), so scan-free
        // lookup cost is one small allocation.
        self.values.get(&(namespace.to_owned(), scaled_object.to_owned(), metric.to_owned())).copied()
    }
}

/// Where node prices come from (see [`crate::cost`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Pricing {
    /// Read `$/h` from this node label first (eks-node-viewer's `eks-node-viewer/instance-price`).
    pub label: Option<String>,
    /// Configured table: instance type (or `type/capacity-type`) → $/h.
    pub table: BTreeMap<String, f64>,
    /// Offerings from a metric (`karpenter_cloudprovider_instance_type_offering_price_estimate`):
    /// `type/capacity-type/zone` → $/h.
    pub offerings: BTreeMap<String, f64>,
}

impl Pricing {
    /// An empty configuration (prices come from the default label only).
    pub const EMPTY: Pricing = Pricing { label: None, table: BTreeMap::new(), offerings: BTreeMap::new() };
}

/// What could be read of each part (shown instead of guessing "not installed").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "message")]
pub enum SourceState {
    /// Not reported by the caller.
    #[default]
    Unknown,
    /// Read fine.
    Ok,
    /// The API group is not served (CRDs absent).
    NotInstalled,
    /// The user (or the server's account) may not read it: 403, not "not installed".
    Forbidden,
    /// Something else failed.
    Error(String),
}

/// State of each data source, reported by the shell (server or browser data layer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Sources {
    /// KEDA CRDs.
    pub keda: SourceState,
    /// Karpenter CRDs.
    pub karpenter: SourceState,
    /// External Metrics API (live trigger values).
    pub external_metrics: SourceState,
    /// Prometheus (history).
    pub prometheus: SourceState,
}

static EMPTY_LIVE: LiveMetrics = LiveMetrics::EMPTY;
static EMPTY_PRICING: Pricing = Pricing::EMPTY;

/// Every list the joins read, borrowed.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    /// ScaledObjects.
    pub scaled_objects: Vec<&'a ScaledObject>,
    /// ScaledJobs.
    pub scaled_jobs: Vec<&'a ScaledJob>,
    /// TriggerAuthentications.
    pub trigger_authentications: Vec<&'a TriggerAuthentication>,
    /// ClusterTriggerAuthentications.
    pub cluster_trigger_authentications: Vec<&'a ClusterTriggerAuthentication>,
    /// HPAs.
    pub hpas: Vec<&'a HorizontalPodAutoscaler>,
    /// Scale targets of any kind (Deployments, StatefulSets, `/scale` resources).
    pub workloads: Vec<&'a Workload>,
    /// Jobs (of ScaledJobs).
    pub jobs: Vec<&'a Job>,
    /// Pods.
    pub pods: Vec<&'a Pod>,
    /// Nodes.
    pub nodes: Vec<&'a Node>,
    /// NodePools.
    pub node_pools: Vec<&'a NodePool>,
    /// NodeClaims.
    pub node_claims: Vec<&'a NodeClaim>,
    /// NodeClasses of any provider.
    pub node_classes: Vec<&'a AnyNodeClass>,
    /// Events (core/v1 or events.k8s.io/v1).
    pub events: Vec<&'a Event>,
    /// Journal entries kept beyond the event TTL (server only; empty in direct mode).
    pub journal: Vec<&'a JournalEntry>,
    /// Live trigger values.
    pub live: &'a LiveMetrics,
    /// Price sources.
    pub pricing: &'a Pricing,
    /// What could be read.
    pub sources: Sources,
}

impl Default for Snapshot<'_> {
    fn default() -> Self {
        Snapshot {
            scaled_objects: Vec::new(),
            scaled_jobs: Vec::new(),
            trigger_authentications: Vec::new(),
            cluster_trigger_authentications: Vec::new(),
            hpas: Vec::new(),
            workloads: Vec::new(),
            jobs: Vec::new(),
            pods: Vec::new(),
            nodes: Vec::new(),
            node_pools: Vec::new(),
            node_claims: Vec::new(),
            node_classes: Vec::new(),
            events: Vec::new(),
            journal: Vec::new(),
            live: &EMPTY_LIVE,
            pricing: &EMPTY_PRICING,
            sources: Sources::default(),
        }
    }
}

/// An owning snapshot (tests, benchmarks, the browser's direct mode).
#[derive(Debug, Clone, Default)]
pub struct OwnedSnapshot {
    /// ScaledObjects.
    pub scaled_objects: Vec<ScaledObject>,
    /// ScaledJobs.
    pub scaled_jobs: Vec<ScaledJob>,
    /// TriggerAuthentications.
    pub trigger_authentications: Vec<TriggerAuthentication>,
    /// ClusterTriggerAuthentications.
    pub cluster_trigger_authentications: Vec<ClusterTriggerAuthentication>,
    /// HPAs.
    pub hpas: Vec<HorizontalPodAutoscaler>,
    /// Scale targets.
    pub workloads: Vec<Workload>,
    /// Jobs.
    pub jobs: Vec<Job>,
    /// Pods.
    pub pods: Vec<Pod>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// NodePools.
    pub node_pools: Vec<NodePool>,
    /// NodeClaims.
    pub node_claims: Vec<NodeClaim>,
    /// NodeClasses.
    pub node_classes: Vec<AnyNodeClass>,
    /// Events.
    pub events: Vec<Event>,
    /// Journal.
    pub journal: Vec<JournalEntry>,
    /// Live values.
    pub live: LiveMetrics,
    /// Prices.
    pub pricing: Pricing,
    /// Sources.
    pub sources: Sources,
}

impl OwnedSnapshot {
    /// Borrows everything as a [`Snapshot`].
    pub fn view(&self) -> Snapshot<'_> {
        Snapshot {
            scaled_objects: self.scaled_objects.iter().collect(),
            scaled_jobs: self.scaled_jobs.iter().collect(),
            trigger_authentications: self.trigger_authentications.iter().collect(),
            cluster_trigger_authentications: self.cluster_trigger_authentications.iter().collect(),
            hpas: self.hpas.iter().collect(),
            workloads: self.workloads.iter().collect(),
            jobs: self.jobs.iter().collect(),
            pods: self.pods.iter().collect(),
            nodes: self.nodes.iter().collect(),
            node_pools: self.node_pools.iter().collect(),
            node_claims: self.node_claims.iter().collect(),
            node_classes: self.node_classes.iter().collect(),
            events: self.events.iter().collect(),
            journal: self.journal.iter().collect(),
            live: &self.live,
            pricing: &self.pricing,
            sources: self.sources.clone(),
        }
    }
}

/// Lookup tables over a [`Snapshot`], built once (O(n)) so every join is O(n) overall.
pub struct Index<'a> {
    /// The snapshot.
    pub snap: &'a Snapshot<'a>,
    pods_by_ns: HashMap<&'a str, Vec<&'a Pod>>,
    pods_by_node: HashMap<&'a str, Vec<&'a Pod>>,
    pods_by_label: HashMap<(&'a str, &'a str, &'a str), Vec<&'a Pod>>,
    nodes: HashMap<&'a str, &'a Node>,
    node_claims: HashMap<&'a str, &'a NodeClaim>,
    node_claim_by_node: HashMap<&'a str, &'a NodeClaim>,
    node_claim_by_provider: HashMap<&'a str, &'a NodeClaim>,
    node_pools: HashMap<&'a str, &'a NodePool>,
    hpas: HashMap<(&'a str, &'a str), &'a HorizontalPodAutoscaler>,
    workloads: HashMap<(&'a str, &'a str, &'a str), Vec<&'a Workload>>,
    events_by_uid: HashMap<&'a str, Vec<&'a Event>>,
    events_by_name: HashMap<(&'a str, &'a str, &'a str), Vec<&'a Event>>,
    jobs_by_scaled_job: HashMap<(&'a str, &'a str), Vec<&'a Job>>,
    scaled_object_by_target: HashMap<(&'a str, &'a str, &'a str), &'a ScaledObject>,
    journal_by_uid: HashMap<&'a str, Vec<&'a JournalEntry>>,
    claims_by_pool: HashMap<&'a str, Vec<&'a NodeClaim>>,
    nodes_by_pool: HashMap<&'a str, Vec<&'a Node>>,
    /// Average prices per CPU and GiB over priced nodes (estimates for pods not running).
    pub unit_prices: Option<crate::cost::UnitPrices>,
}

impl<'a> Index<'a> {
    /// Builds the lookup tables.
    pub fn new(snap: &'a Snapshot<'a>) -> Index<'a> {
        let mut ix = Index {
            snap,
            pods_by_ns: HashMap::new(),
            pods_by_node: HashMap::new(),
            pods_by_label: HashMap::new(),
            nodes: HashMap::with_capacity(snap.nodes.len()),
            node_claims: HashMap::with_capacity(snap.node_claims.len()),
            node_claim_by_node: HashMap::new(),
            node_claim_by_provider: HashMap::new(),
            node_pools: HashMap::new(),
            hpas: HashMap::with_capacity(snap.hpas.len()),
            workloads: HashMap::with_capacity(snap.workloads.len()),
            events_by_uid: HashMap::new(),
            events_by_name: HashMap::new(),
            jobs_by_scaled_job: HashMap::new(),
            scaled_object_by_target: HashMap::new(),
            journal_by_uid: HashMap::new(),
            claims_by_pool: HashMap::new(),
            nodes_by_pool: HashMap::new(),
            unit_prices: crate::cost::unit_prices(snap.nodes.iter().filter_map(|n| {
                crate::cost::price_of(&n.metadata.labels, snap.pricing)
                    .map(|p| (p.per_hour, &n.status.allocatable))
            })),
        };
        for p in &snap.pods {
            ix.pods_by_ns.entry(p.metadata.ns()).or_default().push(p);
            for (k, v) in &p.metadata.labels {
                ix.pods_by_label.entry((p.metadata.ns(), k.as_str(), v.as_str())).or_default().push(p);
            }
            if let Some(n) = p.spec.node_name.as_deref().filter(|n| !n.is_empty()) {
                ix.pods_by_node.entry(n).or_default().push(p);
            }
        }
        for n in &snap.nodes {
            ix.nodes.insert(n.metadata.name.as_str(), n);
            if let Some(p) = n.metadata.label(crate::karpenter::labels::NODEPOOL) {
                ix.nodes_by_pool.entry(p).or_default().push(n);
            }
        }
        for c in &snap.node_claims {
            ix.node_claims.insert(c.metadata.name.as_str(), c);
            if let Some(p) = c.nodepool() {
                ix.claims_by_pool.entry(p).or_default().push(c);
            }
            if let Some(n) = c.status.node_name.as_deref().filter(|n| !n.is_empty()) {
                ix.node_claim_by_node.insert(n, c);
            }
            if let Some(p) = c.status.provider_id.as_deref().filter(|p| !p.is_empty()) {
                ix.node_claim_by_provider.insert(p, c);
            }
        }
        for p in &snap.node_pools {
            ix.node_pools.insert(p.metadata.name.as_str(), p);
        }
        for h in &snap.hpas {
            ix.hpas.insert((h.metadata.ns(), h.metadata.name.as_str()), h);
        }
        for w in &snap.workloads {
            ix.workloads
                .entry((w.metadata.ns(), w.kind.as_str(), w.metadata.name.as_str()))
                .or_default()
                .push(w);
        }
        for e in &snap.events {
            // An event whose namespace does not vouch for its subject joins nothing.
            let Some(s) = e.trusted_subject() else { continue };
            match s.uid.as_deref().filter(|u| !u.is_empty()) {
                Some(uid) => ix.events_by_uid.entry(uid).or_default().push(e),
                None => ix
                    .events_by_name
                    .entry((s.kind.as_str(), s.namespace.as_deref().unwrap_or(""), s.name.as_str()))
                    .or_default()
                    .push(e),
            }
        }
        for j in &snap.jobs {
            let owner = j
                .metadata
                .owner_references
                .iter()
                .find(|o| o.kind == ScaledJob::KIND)
                .map(|o| o.name.as_str())
                .or_else(|| j.metadata.label(crate::keda::labels::SCALED_JOB_NAME));
            if let Some(sj) = owner {
                ix.jobs_by_scaled_job.entry((j.metadata.ns(), sj)).or_default().push(j);
            }
        }
        for so in &snap.scaled_objects {
            let t = &so.spec.scale_target_ref;
            ix.scaled_object_by_target.insert((so.metadata.ns(), t.kind(), t.name.as_str()), so);
        }
        for j in &snap.journal {
            ix.journal_by_uid.entry(j.object_uid.as_str()).or_default().push(j);
        }
        ix
    }

    /// Pods of a namespace.
    pub fn pods_in(&self, ns: &str) -> &[&'a Pod] {
        self.pods_by_ns.get(ns).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Pods bound to a node.
    pub fn pods_on(&self, node: &str) -> &[&'a Pod] {
        self.pods_by_node.get(node).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A node by name.
    pub fn node(&self, name: &str) -> Option<&'a Node> {
        self.nodes.get(name).copied()
    }

    /// A NodeClaim by name.
    pub fn node_claim(&self, name: &str) -> Option<&'a NodeClaim> {
        self.node_claims.get(name).copied()
    }

    /// The NodeClaim of a node: by `status.nodeName`, provider id, or the node's owner reference.
    pub fn node_claim_of(&self, node: &Node) -> Option<&'a NodeClaim> {
        self.node_claim_by_node
            .get(node.metadata.name.as_str())
            .copied()
            .or_else(|| {
                node.spec
                    .provider_id
                    .as_deref()
                    .filter(|p| !p.is_empty())
                    .and_then(|p| self.node_claim_by_provider.get(p).copied())
            })
            .or_else(|| {
                node.metadata
                    .owner_references
                    .iter()
                    .find(|o| o.kind == NodeClaim::KIND)
                    .and_then(|o| self.node_claims.get(o.name.as_str()).copied())
            })
    }

    /// The node of a NodeClaim.
    pub fn node_of(&self, claim: &NodeClaim) -> Option<&'a Node> {
        claim.status.node_name.as_deref().and_then(|n| self.node(n))
    }

    /// NodeClaims of a NodePool.
    pub fn claims_in_pool(&self, pool: &str) -> &[&'a NodeClaim] {
        self.claims_by_pool.get(pool).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Nodes of a NodePool (by label).
    pub fn nodes_in_pool(&self, pool: &str) -> &[&'a Node] {
        self.nodes_by_pool.get(pool).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A NodePool by name.
    pub fn node_pool(&self, name: &str) -> Option<&'a NodePool> {
        self.node_pools.get(name).copied()
    }

    /// The NodeClass a NodePool/NodeClaim refers to (by group, kind and name when given).
    pub fn node_class(&self, r: &crate::karpenter::NodeClassRef) -> Option<&'a AnyNodeClass> {
        let group = r.group.as_deref().filter(|g| !g.is_empty());
        let kind = r.kind.as_deref().filter(|k| !k.is_empty());
        self.snap.node_classes.iter().copied().find(|c| {
            c.meta().name == r.name
                && group.is_none_or(|g| g == c.group())
                && kind.is_none_or(|k| k == c.kind())
        })
    }

    /// An HPA by namespace and name.
    pub fn hpa(&self, ns: &str, name: &str) -> Option<&'a HorizontalPodAutoscaler> {
        self.hpas.get(&(ns, name)).copied()
    }

    /// The scale target `apiVersion`/`kind`/`name` in `ns` (the group must match, the version may not).
    pub fn workload(&self, ns: &str, api_version: &str, kind: &str, name: &str) -> Option<&'a Workload> {
        if name.is_empty() {
            return None;
        }
        let (group, _) = split_api_version(api_version);
        self.workloads
            .get(&(ns, kind, name))
            .and_then(|ws| ws.iter().copied().find(|w| split_api_version(&w.api_version).0 == group))
    }

    /// Pods selected by a workload's selector (none when it has no usable selector).
    pub fn pods_of(&self, w: &Workload) -> Vec<&'a Pod> {
        match w.pod_selector() {
            Some(sel) if !sel.is_empty() => self.pods_matching(w.metadata.ns(), &sel),
            _ => Vec::new(),
        }
    }

    /// Pods of a namespace matching a selector.
    pub fn pods_matching(&self, ns: &str, sel: &LabelSelector) -> Vec<&'a Pod> {
        // Start from the smallest exact-label bucket instead of every pod of the namespace.
        let candidates: &[&'a Pod] = match sel
            .match_labels
            .iter()
            .map(|(k, v)| {
                self.pods_by_label.get(&(ns, k.as_str(), v.as_str())).map(Vec::as_slice).unwrap_or(&[])
            })
            .min_by_key(|b| b.len())
        {
            Some(bucket) => bucket,
            None => self.pods_in(ns),
        };
        candidates.iter().copied().filter(|p| sel.matches(&p.metadata.labels)).collect()
    }

    /// Events about an object: by its uid, plus events that name it without a uid.
    pub fn events_about(&self, kind: &str, ns: &str, name: &str, uid: &str) -> Vec<&'a Event> {
        let mut out: Vec<&Event> = Vec::new();
        if !uid.is_empty()
            && let Some(v) = self.events_by_uid.get(uid)
        {
            // Same uid, and the kind must agree (uids are unique, this guards hostile data).
            out.extend(v.iter().copied().filter(|e| e.subject().kind == kind));
        }
        if let Some(v) = self.events_by_name.get(&(kind, ns, name)) {
            out.extend(v.iter().copied());
        }
        out.sort_by_key(|e| e.last_seen());
        out
    }

    /// Jobs created by a ScaledJob.
    pub fn jobs_of(&self, ns: &str, scaled_job: &str) -> Vec<&'a Job> {
        self.jobs_by_scaled_job.get(&(ns, scaled_job)).cloned().unwrap_or_default()
    }

    /// The ScaledObject scaling a workload.
    pub fn scaled_object_for(&self, ns: &str, kind: &str, name: &str) -> Option<&'a ScaledObject> {
        self.scaled_object_by_target.get(&(ns, kind, name)).copied()
    }

    /// Journal entries about an object uid.
    pub fn journal_about(&self, uid: &str) -> &[&'a JournalEntry] {
        self.journal_by_uid.get(uid).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The workload that owns a pod: its controller (StatefulSet, ...) directly, or the
    /// Deployment-like owner of its ReplicaSet (`<workload>-<hash>`), checked by selector.
    pub fn workload_of_pod(&self, pod: &Pod) -> Option<&'a Workload> {
        let owner = pod.metadata.controller()?;
        let ns = pod.metadata.ns();
        let matches = |w: &&Workload| {
            w.pod_selector().is_some_and(|s| !s.is_empty() && s.matches(&pod.metadata.labels))
        };
        if let Some(ws) = self.workloads.get(&(ns, owner.kind.as_str(), owner.name.as_str())) {
            return ws.first().copied();
        }
        if owner.kind == "ReplicaSet"
            && let Some((base, _hash)) = owner.name.rsplit_once('-')
        {
            for kind in ["Deployment", "Rollout"] {
                if let Some(w) =
                    self.workloads.get(&(ns, kind, base)).and_then(|ws| ws.iter().copied().find(matches))
                {
                    return Some(w);
                }
            }
            // Any other kind that owns ReplicaSets named after it.
            return self
                .snap
                .workloads
                .iter()
                .copied()
                .find(|w| w.metadata.ns() == ns && w.metadata.name == base && matches(w));
        }
        None
    }
}

/// A list body that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Not a resource the joins read.
    #[error("unknown resource {0:?}")]
    UnknownResource(String),
    /// Not JSON.
    #[error(transparent)]
    List(#[from] crate::meta::ListError),
}

fn stamp(items: &mut [Workload], api_version: &str, kind: &str) {
    for w in items {
        w.stamp(api_version, kind);
    }
}

impl OwnedSnapshot {
    /// Adds the items of a list body (`kubectl get --raw` of a collection) by resource plural:
    /// `scaledobjects`, `scaledjobs`, `triggerauthentications`, `clustertriggerauthentications`,
    /// `horizontalpodautoscalers`, `deployments`, `statefulsets`, `jobs`, `pods`, `nodes`,
    /// `events`, `nodepools`, `nodeclaims`, and any NodeClass plural. Returns the rejected items.
    pub fn add_list(
        &mut self,
        resource: &str,
        body: &str,
    ) -> Result<Vec<crate::meta::Rejected>, IngestError> {
        use crate::meta::parse_list;
        macro_rules! take {
            ($field:ident) => {{
                let l = parse_list(body)?;
                self.$field.extend(l.items);
                l.rejected
            }};
        }
        Ok(match resource {
            "scaledobjects" => take!(scaled_objects),
            "scaledjobs" => take!(scaled_jobs),
            "triggerauthentications" => take!(trigger_authentications),
            "clustertriggerauthentications" => take!(cluster_trigger_authentications),
            "horizontalpodautoscalers" => take!(hpas),
            "jobs" => take!(jobs),
            "pods" => take!(pods),
            "nodes" => take!(nodes),
            "events" => take!(events),
            "nodepools" => take!(node_pools),
            "nodeclaims" => take!(node_claims),
            "deployments" | "statefulsets" => {
                let mut l = parse_list::<Workload>(body)?;
                let kind = if resource == "deployments" { "Deployment" } else { "StatefulSet" };
                stamp(&mut l.items, "apps/v1", kind);
                self.workloads.extend(l.items);
                l.rejected
            }
            plural => {
                let Some((group, version, kind, _)) =
                    crate::nodeclass::KNOWN_NODE_CLASSES.iter().find(|(_, _, _, p)| *p == plural)
                else {
                    return Err(IngestError::UnknownResource(plural.to_owned()));
                };
                // Lists of custom resources carry apiVersion/kind per item; fill them if absent.
                let mut value: serde_json::Value =
                    serde_json::from_str(body).map_err(crate::meta::ListError::from)?;
                if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
                    for item in items.iter_mut().filter_map(|i| i.as_object_mut()) {
                        item.entry("apiVersion")
                            .or_insert_with(|| crate::meta::api_version(group, version).into());
                        item.entry("kind").or_insert_with(|| (*kind).into());
                    }
                }
                let l = crate::meta::parse_list_value::<AnyNodeClass>(value)?;
                self.node_classes.extend(l.items);
                l.rejected
            }
        })
    }
}
