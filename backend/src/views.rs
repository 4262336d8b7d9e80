//! The real [`Source`]: `model`'s joins over the watch caches (built once per change, shared by every
//! request), restricted per user with `model::access` from SubjectAccessReview answers, plus the
//! journal's time-range query.

use crate::api::{Answer, ApiError, Item, ListQuery, Representation, Source};
use crate::authn::UserInfo;
use crate::authz::Authorizer;
use crate::caches::{Availability, Caches, objects};
use crate::external_metrics::LiveValues;
use crate::journal::{Journal, Query};
use crate::pricing::Prices;
use crate::prometheus::{self, Prometheus};
use model::Time;
use model::access::{Access, restrict_snapshot};
use model::api::{ApiView, GroupResource, ResourceDef};
use model::history::{self, History};
use model::snapshot::{LiveMetrics, SourceState, Sources};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How old the joined views may get before a request rebuilds them even without a cache change
/// (ages, "at zero since" and live values move with time).
const MAX_VIEW_AGE: Duration = Duration::from_secs(5);
/// Views are rebuilt at most this often, however fast the caches change (busy clusters change
/// every few milliseconds; a join per request would make latency grow with churn).
const MIN_REBUILD_INTERVAL: Duration = Duration::from_secs(1);
/// ... and at most once per this many times the last build took: a large cluster changes every second
/// and a build of its views takes a good part of a second, so rebuilding as often as it changes would
/// keep a core busy joining and every answer re-encoded. Builds then take at most a tenth of a core.
const REBUILD_COST_FACTOR: u32 = 10;
/// The longest the views wait for a rebuild however slow builds get.
const MAX_REBUILD_INTERVAL: Duration = Duration::from_secs(15);

/// How long views built in `took` are reused while the caches change.
fn rebuild_interval(took: Duration) -> Duration {
    (took * REBUILD_COST_FACTOR).clamp(MIN_REBUILD_INTERVAL, MAX_REBUILD_INTERVAL)
}
/// How far back the journal feeds the joins (cold-start timelines, recent scaling).
const JOURNAL_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// How many restricted users' views one build keeps (users with the same rights share an entry).
const RESTRICTED_CACHE: usize = 32;
/// Encoded answers one build keeps (per rights and request), and their bytes: a build lives a few
/// seconds, and every request in that time for the same rights reuses one encoding.
const ANSWERS: usize = 256;
const ANSWER_BYTES: usize = 48 << 20;

/// Runs CPU-heavy work (a join, encoding thousands of items) without stalling the other requests queued on
/// this runtime worker: tokio hands them to another worker meanwhile.
fn cpu<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// What an encoded answer depends on within one build.
#[derive(PartialEq, Eq)]
struct AnswerKey {
    access: Access,
    plural: &'static str,
    namespace: Option<String>,
    name: Option<String>,
    repr: Representation,
}

/// Encoded answers of one build. A cell is shared by concurrent requests for the same key: one of them
/// encodes, the others wait for it.
#[derive(Default)]
struct Answers {
    entries: Vec<(AnswerKey, Arc<tokio::sync::OnceCell<Answer>>)>,
    bytes: usize,
}

/// What the joins read at one moment, owned so that restricted users' views can be built from it later.
struct Inputs {
    snap: crate::caches::Snapshot,
    journal: Vec<crate::journal::Entry>,
    live: LiveMetrics,
    pricing: Arc<model::snapshot::Pricing>,
    sources: Sources,
}

impl Inputs {
    fn model(&self) -> model::Snapshot<'_> {
        let snap = &self.snap;
        let mut workloads: Vec<&model::k8s::Workload> = snap.workloads.iter().map(|w| &w.object).collect();
        workloads
            .sort_by(|a, b| (a.metadata.ns(), &a.metadata.name).cmp(&(b.metadata.ns(), &b.metadata.name)));
        model::Snapshot {
            scaled_objects: objects(&snap.scaledobjects),
            scaled_jobs: objects(&snap.scaledjobs),
            // Not watched: no join reads them (the UI lists them with the user's own rights).
            trigger_authentications: Vec::new(),
            cluster_trigger_authentications: Vec::new(),
            hpas: objects(&snap.hpas),
            workloads,
            jobs: objects(&snap.jobs),
            pods: objects(&snap.pods),
            nodes: objects(&snap.nodes),
            node_pools: objects(&snap.nodepools),
            node_claims: objects(&snap.nodeclaims),
            node_classes: snap.nodeclasses.iter().collect(),
            events: objects(&snap.events),
            journal: self.journal.iter().collect(),
            live: &self.live,
            pricing: &self.pricing,
            sources: self.sources.clone(),
        }
    }
}

/// The joined views at one moment.
pub struct Built {
    generation: u64,
    at: Instant,
    /// How long the join took.
    took: Duration,
    /// When they were computed.
    pub now: Time,
    /// Every view, unrestricted.
    pub views: Arc<model::Views>,
    /// Namespaces that hold data (the candidates for per-namespace reviews).
    pub namespaces: BTreeSet<String>,
    inputs: Inputs,
    /// Restricted users' views, by their rights (most recent last).
    restricted: std::sync::Mutex<Vec<(Access, Arc<model::Views>)>>,
    answers: std::sync::Mutex<Answers>,
}

impl Built {
    /// The views a user with `access` may see: joins over what they may list (cached per rights).
    pub fn views_for(&self, access: &Access) -> Arc<model::Views> {
        if access.all {
            return Arc::clone(&self.views);
        }
        let lock = || self.restricted.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, v)) = lock().iter().find(|(a, _)| a == access) {
            return Arc::clone(v);
        }
        // Built outside the lock: other users' requests do not wait for this join.
        let v = Arc::new(cpu(|| model::access::views_for(&self.inputs.model(), access, self.now)));
        let mut cache = lock();
        cache.retain(|(a, _)| a != access);
        cache.push((access.clone(), Arc::clone(&v)));
        if cache.len() > RESTRICTED_CACHE {
            cache.remove(0);
        }
        v
    }

    /// The shared cell of an answer, or `None` when this build keeps no more answers (then the caller
    /// encodes its own).
    fn answer_cell(&self, key: AnswerKey) -> Option<Arc<tokio::sync::OnceCell<Answer>>> {
        let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, cell)) = answers.entries.iter().find(|(k, _)| *k == key) {
            return Some(Arc::clone(cell));
        }
        if answers.entries.len() >= ANSWERS || answers.bytes >= ANSWER_BYTES {
            return None;
        }
        let cell = Arc::new(tokio::sync::OnceCell::new());
        answers.entries.push((key, Arc::clone(&cell)));
        Some(cell)
    }

    fn count_answer(&self, bytes: usize) {
        self.answers.lock().unwrap_or_else(|p| p.into_inner()).bytes += bytes;
    }
}

/// Served resources and where their data comes from.
pub struct Views {
    caches: Arc<Caches>,
    journal: Journal,
    authorizer: Authorizer,
    live: Arc<LiveValues>,
    prometheus: Option<Prometheus>,
    prices: Arc<Prices>,
    built: Mutex<Option<Arc<Built>>>,
}

fn source_state(a: &Availability) -> SourceState {
    match a {
        Availability::Unknown => SourceState::Unknown,
        Availability::Installed => SourceState::Ok,
        Availability::NotInstalled => SourceState::NotInstalled,
        Availability::NoPermission(_) => SourceState::Forbidden,
        Availability::Failing(m) => SourceState::Error(m.clone()),
    }
}

fn now() -> Time {
    Time(jiff::Timestamp::now().as_millisecond())
}

impl Views {
    /// Views over `caches`, `journal`, live metric values, prices and (optionally) Prometheus,
    /// filtered by `authorizer`.
    pub fn new(
        caches: Arc<Caches>,
        journal: Journal,
        authorizer: Authorizer,
        live: Arc<LiveValues>,
        prometheus: Option<Prometheus>,
        prices: Arc<Prices>,
    ) -> Self {
        Self { caches, journal, authorizer, live, prometheus, prices, built: Mutex::new(None) }
    }

    /// The joined views, rebuilt when a cache changed or they got old (one build at a time).
    pub async fn built(&self) -> Result<Arc<Built>, ApiError> {
        let mut slot = self.built.lock().await;
        let generation = self.caches.changes.generation();
        if let Some(b) = slot.as_ref()
            && (b.at.elapsed() < rebuild_interval(b.took)
                || (b.generation == generation && b.at.elapsed() < MAX_VIEW_AGE))
        {
            return Ok(Arc::clone(b));
        }
        let now = now();
        let since = now.0 - JOURNAL_WINDOW_MS;
        let journal = self
            .journal
            .run(move |j| {
                j.query(&Query { since_ms: Some(since), until_ms: None, namespace: None, limit: 5_000 })
            })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "journal query failed");
                ApiError::unavailable(format!("journal unavailable: {e}"))
            })?;
        let (live, external_metrics) = self.live_metrics();
        let snap = self.caches.snapshot();
        let sources = Sources {
            keda: source_state(&snap.keda),
            karpenter: source_state(&snap.karpenter),
            external_metrics,
            prometheus: match &self.prometheus {
                None => SourceState::NotInstalled,
                Some(_) => SourceState::Ok,
            },
        };
        let inputs = Inputs { snap, journal, live, pricing: self.prices.pricing(), sources };
        let msnap = inputs.model();
        let started = Instant::now();
        let views = cpu(|| model::Views::build(&msnap, now));
        let took = started.elapsed();
        tracing::debug!(ms = took.as_secs_f64() * 1000.0, "views built");
        let mut namespaces = BTreeSet::new();
        for ns in msnap
            .pods
            .iter()
            .map(|p| p.metadata.ns())
            .chain(msnap.scaled_objects.iter().map(|o| o.metadata.ns()))
            .chain(msnap.scaled_jobs.iter().map(|o| o.metadata.ns()))
            .chain(msnap.events.iter().map(|o| o.metadata.ns()))
        {
            if !ns.is_empty() && !namespaces.contains(ns) {
                namespaces.insert(ns.to_owned());
            }
        }
        drop(msnap);
        let b = Arc::new(Built {
            generation,
            at: Instant::now(),
            took,
            now,
            views: Arc::new(views),
            namespaces,
            inputs,
            restricted: std::sync::Mutex::default(),
            answers: std::sync::Mutex::default(),
        });
        *slot = Some(Arc::clone(&b));
        Ok(b)
    }

    /// What `user` may list for `def` (reviewed only in `namespace` when the request names one); a
    /// cluster-scoped resource the user may not list is refused as kube-apiserver refuses it.
    async fn access_for(
        &self,
        built: &Built,
        def: &'static ResourceDef,
        user: &UserInfo,
        namespace: Option<&str>,
    ) -> Result<Access, ApiError> {
        let mut kinds: Vec<GroupResource> = def.reads.to_vec();
        kinds.push(def.primary);
        // A namespaced request needs no review of any other namespace.
        let scope: BTreeSet<String> = match namespace {
            Some(ns) => built.namespaces.iter().filter(|n| n.as_str() == ns).cloned().collect(),
            None => built.namespaces.clone(),
        };
        let access = self.access(user, &kinds, model::access::gates(def), &scope).await?;
        // A cluster-scoped resource (NodePools, NodeClaims, nodes) the user may not list is refused as
        // the API server refuses it, so the UI says "no permission" rather than showing an empty list.
        if !def.namespaced && def.plural != model::api::OVERVIEWS.plural && !access.can_see(def, None) {
            let p = def.primary;
            let kind = if p.group.is_empty() {
                p.resource.to_owned()
            } else {
                format!("{}.{}", p.resource, p.group)
            };
            return Err(ApiError::forbidden(
                format!(
                    "{}.{} is forbidden: User {:?} cannot list resource {kind:?} at the cluster scope",
                    def.plural,
                    model::api::GROUP,
                    user.username
                ),
                p.group,
                p.resource,
            ));
        }
        Ok(access)
    }

    /// The items of `def` a user with `access` sees in `namespace` (all when `None`), only `name` for a get.
    fn items(
        &self,
        built: &Built,
        access: &Access,
        def: &'static ResourceDef,
        namespace: Option<&str>,
        name: Option<&str>,
    ) -> Result<Vec<Item>, ApiError> {
        let views = built.views_for(access);
        let v: &model::Views = &views;
        let now = built.now;
        Ok(match def.plural {
            "overviews" => {
                let mut o = item(&v.overview, now);
                // Where node prices come from, for the UI's price setting (not per user: configuration).
                if let Some(map) = o.object.as_object_mut() {
                    map.insert(
                        "pricing".to_owned(),
                        serde_json::to_value(self.prices.source()).unwrap_or_default(),
                    );
                }
                if name.is_some_and(|n| n != v.overview.metadata.name) {
                    return Ok(Vec::new());
                }
                vec![o]
            }
            "scalers" => items(&v.scalers, now, namespace, name),
            "nodepools" => items(&v.node_pools, now, None, name),
            "nodeclaims" => items(&v.node_claims, now, None, name),
            "nodes" => items(&v.nodes, now, None, name),
            "chains" => items(&v.chains, now, namespace, name),
            "pendingpods" => items(&v.pending_pods, now, namespace, name),
            "timelines" => items(&v.timelines, now, namespace, name),
            other => return Err(ApiError::not_found(format!("{other} is not served"))),
        })
    }

    fn live_metrics(&self) -> (LiveMetrics, SourceState) {
        let mut live = LiveMetrics::default();
        let all = self.live.all();
        let mut errors = Vec::new();
        for ((ns, so, metric), v) in &all {
            match v.value {
                Some(value) => live.insert(ns, so, metric, value),
                None => {
                    let e = v.error.as_deref().unwrap_or("no value");
                    live.insert_error(ns, so, metric, e);
                    errors.push(format!("{ns}/{so} {metric}: {e}"));
                }
            }
        }
        let state = if all.is_empty() || errors.len() < all.len() {
            SourceState::Ok
        } else {
            SourceState::Error(errors.into_iter().take(3).collect::<Vec<_>>().join("; "))
        };
        (live, state)
    }

    /// What `user` may list among `kinds` (see [`Authorizer::access`]: cluster-wide first, then the
    /// `gates` per namespace holding data, the rest only where a gate is allowed).
    async fn access(
        &self,
        user: &UserInfo,
        kinds: &[GroupResource],
        gates: &[GroupResource],
        namespaces: &BTreeSet<String>,
    ) -> Result<Access, ApiError> {
        self.authorizer.access(user, kinds, gates, namespaces).await.map_err(authz_failed)
    }

    async fn journal(
        &self,
        user: &UserInfo,
        namespace: Option<&str>,
        q: &ListQuery,
    ) -> Result<Vec<Item>, ApiError> {
        let query = Query {
            since_ms: time_param(q, "since")?,
            until_ms: time_param(q, "until")?,
            namespace: namespace.map(str::to_owned),
            limit: q.get("limit").and_then(|l| l.parse().ok()).filter(|l| *l > 0).unwrap_or(1000).min(10_000),
        };
        let entries = self.journal.run(move |j| j.query(&query)).await.map_err(|e| {
            tracing::error!(error = %e, "journal query failed");
            ApiError::unavailable(format!("journal unavailable: {e}"))
        })?;
        let namespaces: BTreeSet<String> =
            entries.iter().map(|e| e.namespace.clone()).filter(|n| !n.is_empty()).collect();
        let access = self
            .access(
                user,
                &[
                    model::api::kinds::EVENTS,
                    model::api::kinds::NODES,
                    model::api::kinds::NODEPOOLS,
                    model::api::kinds::NODECLAIMS,
                ],
                model::access::gates(&model::api::JOURNAL),
                &namespaces,
            )
            .await?;
        let snap = model::Snapshot { journal: entries.iter().collect(), ..model::Snapshot::default() };
        let visible = restrict_snapshot(&snap, &access);
        let now = now();
        Ok(visible.journal.into_iter().map(|e| item(e, now)).collect())
    }

    /// Prometheus history for one item (`?history=1h` on a get): the queries of `model::history`.
    async fn history(&self, def: &ResourceDef, object: &serde_json::Value, range: Duration) -> History {
        let text = |p: &str| object.pointer(p).and_then(|v| v.as_str()).unwrap_or_default();
        let ns = text("/metadata/namespace");
        let queries: Vec<(&str, String)> = match def.plural {
            // A ScaledJob's item is named `<name>.scaledjob`; KEDA's metrics name the ScaledJob itself.
            "scalers" if text("/source/kind") == "ScaledJob" => {
                let sj = text("/source/name");
                vec![
                    ("metric", history::keda_scaled_job_metric_query(ns, sj)),
                    ("replicas", history::scaled_job_replicas_query(ns, sj)),
                ]
            }
            "scalers" => {
                let mut q = vec![("metric", history::keda_metric_query(ns, text("/metadata/name")))];
                if let Some(hpa) = object.pointer("/hpa/name").and_then(|v| v.as_str()) {
                    q.push(("replicas", history::hpa_replicas_query(ns, hpa)));
                }
                q
            }
            "nodepools" => vec![("usage", history::nodepool_usage_query(text("/metadata/name")))],
            _ => Vec::new(),
        };
        let now = jiff::Timestamp::now().as_millisecond() as f64 / 1000.0;
        prometheus::collect(self.prometheus.as_ref(), &queries, History::window(now, range.as_secs_f64()))
            .await
    }
}

fn item<V: ApiView>(v: &V, now: Time) -> Item {
    Item { object: serde_json::to_value(v).unwrap_or_default(), cells: v.cells(now) }
}

/// The views in `namespace` (all when `None`) named `name` (all when `None`), encoded. Filtered before
/// encoding: a get on a 5,000-item resource encodes one item, not 5,000.
fn items<V: ApiView>(vs: &[V], now: Time, namespace: Option<&str>, name: Option<&str>) -> Vec<Item> {
    vs.iter()
        .filter(|v| namespace.is_none_or(|ns| v.metadata().ns() == ns))
        .filter(|v| name.is_none_or(|n| v.metadata().name == n))
        .map(|v| item(v, now))
        .collect()
}

fn authz_failed(e: crate::authz::AuthzError) -> ApiError {
    match e {
        crate::authz::AuthzError::Throttled { retry_after, .. } => {
            tracing::info!(error = %e, "permission checks over budget");
            ApiError::too_many_requests(e.to_string(), retry_after.as_secs_f64().ceil() as u64)
        }
        crate::authz::AuthzError::Review(_) => {
            tracing::error!(error = %e, "authorization failed");
            ApiError::unavailable(format!("authorization unavailable: {e}"))
        }
    }
}

/// `since`/`until`: RFC 3339 (`2026-11-30T05:00:00Z`) or a duration before now (`1h`, `7d`).
fn time_param(q: &ListQuery, key: &str) -> Result<Option<i64>, ApiError> {
    let Some(raw) = q.get(key).filter(|s| !s.is_empty()) else { return Ok(None) };
    if let Ok(t) = raw.parse::<jiff::Timestamp>() {
        return Ok(Some(t.as_millisecond()));
    }
    if let Ok(d) = humantime::parse_duration(raw) {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        return Ok(Some(jiff::Timestamp::now().as_millisecond().saturating_sub(ms)));
    }
    Err(ApiError::bad_request(format!("{key}={raw:?}: expected RFC 3339 time or a duration like 1h")))
}

#[async_trait::async_trait]
impl Source for Views {
    fn ready(&self) -> Result<(), String> {
        if self.caches.ready() {
            return Ok(());
        }
        let waiting: Vec<String> = self
            .caches
            .states()
            .into_iter()
            .filter(|(_, s)| *s == crate::watch::WatchState::Listing)
            .map(|(k, _)| k)
            .collect();
        Err(if waiting.is_empty() { "API discovery".to_owned() } else { waiting.join(", ") })
    }

    fn status(&self) -> Vec<(String, String, bool)> {
        let snap = self.caches.snapshot();
        let part = |name: &str, a: &Availability| {
            let text = serde_json::to_value(a)
                .ok()
                .and_then(|v| v["state"].as_str().map(str::to_owned))
                .unwrap_or_default();
            (format!("part {name}"), text, matches!(a, Availability::Installed | Availability::NotInstalled))
        };
        let mut out = vec![part("keda", &snap.keda), part("karpenter", &snap.karpenter)];
        for (kind, state) in self.caches.states() {
            let ok =
                matches!(state, crate::watch::WatchState::Synced | crate::watch::WatchState::NotInstalled);
            let text = match state {
                crate::watch::WatchState::Listing => "listing".to_owned(),
                crate::watch::WatchState::Synced => "synced".to_owned(),
                crate::watch::WatchState::NotInstalled => "not installed".to_owned(),
                crate::watch::WatchState::NoPermission(m) => format!("no permission: {m}"),
                crate::watch::WatchState::Failing(m) => format!("failing: {m}"),
            };
            out.push((format!("watch {kind}"), text, ok));
        }
        // Reported, never a reason to be unready (see Caches::ready).
        let o = self.caches.optional();
        for (kind, why) in &o.refused_targets {
            out.push((format!("scale target {kind}"), format!("not watched: {why}"), true));
        }
        for (group, e) in &o.failing_groups {
            out.push((format!("discovery {group}"), format!("failing: {e}"), true));
        }
        out
    }

    /// Answers from the views build's cache: one encoding per build, rights and request, shared by
    /// concurrent requests. The journal and `?history=` (Prometheus per request) are encoded each time.
    async fn answer(
        &self,
        def: &'static ResourceDef,
        user: &UserInfo,
        namespace: Option<&str>,
        name: Option<&str>,
        query: &ListQuery,
        repr: Representation,
    ) -> Result<Answer, ApiError> {
        if def.plural == model::api::JOURNAL.plural || query.get("history").is_some() {
            let items = self.list(def, user, namespace, name, query).await?;
            return cpu(|| Answer::encode(def, name, items, repr));
        }
        let built = self.built().await?;
        let access = self.access_for(&built, def, user, namespace).await?;
        let encode = || {
            cpu(|| {
                let items = self.items(&built, &access, def, namespace, name)?;
                Answer::encode(def, name, items, repr)
            })
        };
        let key = AnswerKey {
            access: access.clone(),
            plural: def.plural,
            namespace: namespace.map(str::to_owned),
            name: name.map(str::to_owned),
            repr,
        };
        match built.answer_cell(key) {
            Some(cell) => {
                let answer = cell
                    .get_or_try_init(|| async {
                        let a = encode()?;
                        built.count_answer(a.body.len());
                        Ok::<_, ApiError>(a)
                    })
                    .await?;
                Ok(answer.clone())
            }
            None => encode(),
        }
    }

    async fn list(
        &self,
        def: &'static ResourceDef,
        user: &UserInfo,
        namespace: Option<&str>,
        name: Option<&str>,
        query: &ListQuery,
    ) -> Result<Vec<Item>, ApiError> {
        if def.plural == model::api::JOURNAL.plural {
            let mut out = self.journal(user, namespace, query).await?;
            if let Some(n) = name {
                out.retain(|i| i.name() == n);
            }
            return Ok(out);
        }
        let built = self.built().await?;
        let access = self.access_for(&built, def, user, namespace).await?;
        let mut out = cpu(|| self.items(&built, &access, def, namespace, name))?;
        if let Some(range) = query.get("history") {
            let range = humantime::parse_duration(range)
                .map_err(|e| ApiError::bad_request(format!("history={range:?}: {e}")))?
                .min(Duration::from_secs(31 * 86400));
            // History is per item: only for a get, or the first few of a list.
            for i in out.iter_mut().take(20) {
                let h = self.history(def, &i.object, range).await;
                if let Some(o) = i.object.as_object_mut() {
                    o.insert("history".to_owned(), serde_json::to_value(h).unwrap_or_default());
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small clusters rebuild every second; a build of 400 ms is reused for 4 s (builds take a tenth of
    /// a core at most), and nothing waits longer than 15 s.
    #[test]
    fn rebuilds_are_spaced_by_their_cost() {
        assert_eq!(rebuild_interval(Duration::from_millis(5)), Duration::from_secs(1));
        assert_eq!(rebuild_interval(Duration::from_millis(400)), Duration::from_secs(4));
        assert_eq!(rebuild_interval(Duration::from_secs(30)), Duration::from_secs(15));
    }
}
