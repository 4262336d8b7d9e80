//! Watch caches: one kube-rs reflector per watched kind, holding `model`'s trimmed types.
//!
//! Objects are deserialized straight into the trimmed `model` structs (serde skips every field the
//! joins do not name: managedFields, full pod specs, ...), so the cache never holds a full object.
//! Each watch reports its state: listing, synced, not installed (404), no permission (403) or failing.

use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, ApiResource};
use kube::core::DynamicResourceScope;
use kube::runtime::WatchStreamExt;
use kube::runtime::reflector::{self, Store};
use kube::runtime::watcher::{self, Event};
use model::ObjectMeta;
use model::tolerant::Tolerant;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

/// A trimmed `model` type the server watches.
pub trait Object: Tolerant + Clone + Debug + Send + Sync + 'static {
    /// Its metadata.
    fn object_meta(&self) -> &ObjectMeta;
    /// Its metadata, to trim.
    fn object_meta_mut(&mut self) -> &mut ObjectMeta;
    /// Fills what list items lack and the joins need from the watched resource (a no-op but for
    /// scale targets, whose kind is only known at run time).
    fn stamp(&mut self, _resource: &ApiResource) {}
    /// Drops what no join reads and tenants may make big (see `model::meta::READ_ANNOTATIONS`).
    fn trim(&mut self) {
        self.object_meta_mut().trim();
    }
    /// Whether the cache keeps it at all (everything but the events no join reads).
    fn keep(&self) -> bool {
        true
    }
}

/// Longest event message kept (the scheduler's and Karpenter's are well below; the parsers read the start).
pub const MAX_EVENT_MESSAGE_BYTES: usize = 4096;

fn truncate(s: &mut Option<String>, max: usize) {
    if let Some(text) = s
        && text.len() > max
    {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

macro_rules! objects {
    ($($t:ty),* $(,)?) => {$(
        impl Object for $t {
            fn object_meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn object_meta_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    )*};
}
objects!(
    model::k8s::Pod,
    model::k8s::Node,
    model::k8s::HorizontalPodAutoscaler,
    model::k8s::Job,
    model::k8s::Namespace,
    model::keda::ScaledObject,
    model::keda::ScaledJob,
    model::keda::TriggerAuthentication,
    model::keda::ClusterTriggerAuthentication,
    model::keda::CloudEventSource,
    model::keda::ClusterCloudEventSource,
    model::karpenter::NodePool,
    model::karpenter::NodeClaim,
    model::nodeclass::Ec2NodeClass,
    model::nodeclass::EksNodeClass,
    model::nodeclass::AksNodeClass,
    model::nodeclass::KwokNodeClass,
    model::nodeclass::GenericNodeClass,
);

impl Object for model::k8s::Event {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn object_meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn trim(&mut self) {
        self.metadata.trim();
        truncate(&mut self.message, MAX_EVENT_MESSAGE_BYTES);
        truncate(&mut self.note, MAX_EVENT_MESSAGE_BYTES);
    }
    /// Only scaling events (`model::journal::SCALING_REASONS`: every reason a join or the journal reads).
    /// A large cluster's events are mostly `Scheduled`, `SuccessfulCreate`, `Pulled`...: on the S fleet
    /// 74 % of 18,500 events, which the server would otherwise hold for their whole hour.
    fn keep(&self) -> bool {
        model::journal::is_scaling_event(self)
    }
}

impl Object for model::k8s::Workload {
    fn object_meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn object_meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn stamp(&mut self, resource: &ApiResource) {
        model::k8s::Workload::stamp(self, &resource.api_version, &resource.kind);
    }
}

/// A cached object: the trimmed `model` value plus the identity kube-rs needs.
#[derive(Debug, Clone)]
pub struct Watched<T> {
    meta: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    /// The trimmed object.
    pub object: T,
}

impl<'de, T: Object> Deserialize<'de> for Watched<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Tolerant: only a non-object item is an error; odd fields become defaults.
        let mut object =
            T::read(d)?.ok_or_else(|| serde::de::Error::custom("watched item is not an object"))?;
        object.trim();
        let m = object.object_meta();
        let meta = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(m.name.clone()),
            namespace: m.namespace.clone(),
            uid: m.uid.clone(),
            resource_version: m.resource_version.clone(),
            ..Default::default()
        };
        Ok(Watched { meta, object })
    }
}

impl<T: Object> kube::Resource for Watched<T> {
    type DynamicType = ApiResource;
    type Scope = DynamicResourceScope;

    fn kind(dt: &ApiResource) -> Cow<'_, str> {
        dt.kind.as_str().into()
    }
    fn group(dt: &ApiResource) -> Cow<'_, str> {
        dt.group.as_str().into()
    }
    fn version(dt: &ApiResource) -> Cow<'_, str> {
        dt.version.as_str().into()
    }
    fn api_version(dt: &ApiResource) -> Cow<'_, str> {
        dt.api_version.as_str().into()
    }
    fn plural(dt: &ApiResource) -> Cow<'_, str> {
        dt.plural.as_str().into()
    }
    fn meta(&self) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        &mut self.meta
    }
}

/// What a watch is doing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", content = "message", rename_all = "camelCase")]
pub enum WatchState {
    /// Listing for the first time.
    Listing,
    /// Listed at least once; following changes.
    Synced,
    /// The API answered 404: the kind is not served (CRD not installed).
    NotInstalled,
    /// The API answered 403: the server's account may not list it.
    NoPermission(String),
    /// Another error; the watch retries with backoff.
    Failing(String),
}

/// How long after its last error a watch that had listed counts as following changes again. kube-runtime's
/// watcher retries a failing watch at least every 30 s (its default backoff's cap) and says nothing when
/// a retry succeeds, so a quiet kind would otherwise keep its last error forever (a 403 while a restarted
/// kube-apiserver loads its RBAC caches was reported as "no permission" for hours).
const RECOVERED_AFTER: std::time::Duration = std::time::Duration::from_secs(75);

/// A running watch of one kind.
pub struct Watch<T: Object> {
    /// Where it lives in the API.
    pub resource: ApiResource,
    store: Store<Watched<T>>,
    state: Arc<Mutex<(WatchState, Option<std::time::Instant>)>>,
    synced_once: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

impl<T: Object> Drop for Watch<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Counts every change of every cache, so derived views know when to recompute.
#[derive(Debug, Default)]
pub struct Changes(AtomicU64);

impl Changes {
    /// Something changed.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    /// The current generation.
    pub fn generation(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The error's HTTP status when the API answered with one.
fn api_code(e: &watcher::Error) -> Option<u16> {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => Some(s.code),
        watcher::Error::WatchError(s) => Some(s.code),
        _ => None,
    }
}

impl<T: Object> Watch<T> {
    /// Starts watching `resource` across all namespaces (or cluster-wide).
    pub fn spawn(
        client: kube::Client,
        resource: ApiResource,
        config: watcher::Config,
        changes: Arc<Changes>,
        metrics: crate::metrics::Metrics,
    ) -> Self {
        let writer = reflector::store::Writer::new(resource.clone());
        let store = writer.as_reader();
        let state = Arc::new(Mutex::new((WatchState::Listing, None)));
        let synced_once = Arc::new(AtomicBool::new(false));
        let api: Api<Watched<T>> = Api::all_with(client, &resource);
        let label =
            crate::metrics::KindLabels { kind: format!("{}/{}", resource.api_version, resource.kind) };
        let task = {
            let (state, synced_once, store) = (Arc::clone(&state), Arc::clone(&synced_once), store.clone());
            let stamp_as = resource.clone();
            tokio::spawn(async move {
                // Items of the initial list carry no kind: stamp them before they are stored.
                let stamped = watcher::watcher(api, config)
                    .default_backoff()
                    // Objects the cache does not keep never reach it (an event's reason never changes,
                    // so one dropped was never stored), and do not count as changes.
                    .try_filter(|ev| {
                        let keep = match ev {
                            Event::Apply(o) | Event::InitApply(o) => o.object.keep(),
                            _ => true,
                        };
                        std::future::ready(keep)
                    })
                    .map_ok(move |ev| ev.modify(|o| o.object.stamp(&stamp_as)));
                let stream = reflector::reflector(writer, stamped);
                let mut stream = std::pin::pin!(stream);
                while let Some(event) = stream.next().await {
                    let set = |s: WatchState| {
                        let failed = if matches!(s, WatchState::Synced | WatchState::Listing) {
                            None
                        } else {
                            Some(std::time::Instant::now())
                        };
                        *state.lock().unwrap_or_else(|p| p.into_inner()) = (s, failed);
                    };
                    match event {
                        Ok(Event::InitDone) => {
                            set(WatchState::Synced);
                            synced_once.store(true, Ordering::Release);
                            changes.bump();
                            metrics.watch_objects.get_or_create(&label).set(store.len() as i64);
                        }
                        Ok(Event::Apply(_) | Event::Delete(_)) => {
                            // A change arrived: the watch is back, whatever it said before.
                            if synced_once.load(Ordering::Acquire) {
                                set(WatchState::Synced);
                            }
                            changes.bump();
                            metrics.watch_objects.get_or_create(&label).set(store.len() as i64);
                        }
                        Ok(Event::Init | Event::InitApply(_)) => {}
                        Err(e) => {
                            metrics.watch_errors.get_or_create(&label).inc();
                            let s = match api_code(&e) {
                                Some(404) => WatchState::NotInstalled,
                                Some(403) => WatchState::NoPermission(e.to_string()),
                                _ => WatchState::Failing(e.to_string()),
                            };
                            tracing::warn!(kind = %label.kind, error = %e, "watch error");
                            set(s);
                        }
                    }
                }
            })
        };
        Self { resource, store, state, synced_once, task }
    }

    /// Every cached object.
    pub fn objects(&self) -> Vec<Arc<Watched<T>>> {
        self.store.state()
    }

    /// What the watch is doing (an error is reported while errors keep coming; see [`RECOVERED_AFTER`]).
    pub fn state(&self) -> WatchState {
        let (state, failed) = self.state.lock().unwrap_or_else(|p| p.into_inner()).clone();
        match failed {
            Some(at) if self.synced_once.load(Ordering::Acquire) && at.elapsed() > RECOVERED_AFTER => {
                WatchState::Synced
            }
            _ => state,
        }
    }

    /// True once the first list completed (or the kind turned out absent/forbidden: nothing to wait for).
    pub fn settled(&self) -> bool {
        self.synced_once.load(Ordering::Acquire)
            || matches!(self.state(), WatchState::NotInstalled | WatchState::NoPermission(_))
    }
}

/// Starts a watch with the default configuration (all namespaces, no selectors).
pub fn all<T: Object>(
    client: &kube::Client,
    resource: ApiResource,
    changes: &Arc<Changes>,
    metrics: &crate::metrics::Metrics,
) -> Watch<T> {
    Watch::spawn(client.clone(), resource, watcher::Config::default(), Arc::clone(changes), metrics.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn captured(file: &str) -> serde_json::Value {
        let path = format!("{}/../testdata/demo/blocked/{file}.json", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(&path).expect("capture")).expect("json")
    }

    /// A tenant controls annotations (up to 256 KB per object) and event messages: the cache keeps
    /// only what the joins read, whatever the tenant writes. 1,000 real pods, each given 200 KB of
    /// annotations (next to the one a join reads), keep 0 bytes of them.
    #[test]
    fn tenant_sized_fields_do_not_reach_the_cache() {
        let pods = captured("pods");
        let pod = pods["items"][0].clone();
        let big = "x".repeat(200 * 1024);
        let mut kept_bytes = 0;
        for i in 0..1_000 {
            let mut p = pod.clone();
            p["metadata"]["name"] = format!("p-{i}").into();
            p["metadata"]["annotations"] = serde_json::json!({
                "tenant.example.com/blob": big,
                "karpenter.sh/do-not-disrupt": "true",
            });
            let w: Watched<model::k8s::Pod> = serde_json::from_value(p).expect("pod reads");
            assert_eq!(w.object.metadata.annotation("karpenter.sh/do-not-disrupt"), Some("true"));
            kept_bytes += w.object.metadata.annotations.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
        }
        assert_eq!(kept_bytes, 1_000 * ("karpenter.sh/do-not-disrupt".len() + 4));

        let events = captured("events");
        let mut e = events["items"][0].clone();
        e["message"] = format!("{big}é").into();
        let w: Watched<model::k8s::Event> = serde_json::from_value(e).expect("event reads");
        assert!(w.object.message.as_deref().is_some_and(|m| m.len() <= MAX_EVENT_MESSAGE_BYTES));
    }

    /// The events cache keeps what a join or the journal reads (FailedScheduling, Nominated, KEDA's and
    /// Karpenter's decisions) and none of the rest, on the real events of the demo's blocked moment.
    #[test]
    fn only_events_a_join_reads_are_kept() {
        let events = captured("events");
        let (mut kept, mut dropped) = (BTreeSet::new(), BTreeSet::new());
        for e in events["items"].as_array().expect("items") {
            let w: Watched<model::k8s::Event> = serde_json::from_value(e.clone()).expect("event reads");
            let reason = w.object.reason().to_owned();
            if w.object.keep() {
                kept.insert(reason)
            } else {
                dropped.insert(reason)
            };
        }
        for r in ["FailedScheduling", "Nominated", "KEDAJobsCreated", "DisruptionBlocked"] {
            assert!(kept.contains(r), "{r} is read by the joins or the journal: {kept:?}");
        }
        for r in ["Scheduled", "SuccessfulCreate", "ScalingReplicaSet", "Completed"] {
            assert!(dropped.contains(r), "{r} is read by nothing: {dropped:?}");
        }
        assert!(kept.is_disjoint(&dropped));
    }
}
