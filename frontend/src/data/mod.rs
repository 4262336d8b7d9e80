//! The data layer: the one interface views read from, with two sources behind it.
//!
//! Views ask [`Data`] (a Yew context) for what they show and render the answer; they never
//! fetch or join. Every answer is an [`Answer`]: the value, where it came from ([`Origin`]: the
//! Autoscaling Insights server, or *direct* — raw objects read through Headlamp and joined in the
//! browser with the same `model` functions the server runs), and the [`Gap`]s: parts that could
//! not be read and why (403 "no permission" is never "not installed"), and lists that could only
//! be read in some namespaces.
//!
//! Which source answers is decided per cluster ([`source`]): the plugin settings
//! (auto / on / off), then discovery of `insights.autoscaling.dev/v1alpha1` (404 → not
//! installed, 403 → no permission, no answer → unreachable). A server that stops answering is
//! left for direct mode on the spot, said so in the mode indicator, and tried again a minute later.
//!
//! # Adding a data method for a view (the pattern)
//!
//! Put it in your area's file, `data/<area>.rs`, as an `impl Data` block, and add `mod <area>;`
//! below. Pick the helper that matches what the view shows:
//!
//! ```text
//! impl Data {
//!     /// A served view (the server's resource, or the same join in the browser): one line.
//!     pub async fn node_pools(&self) -> Result<Answer<Vec<NodePoolView>>, DataError> {
//!         self.view(Within::All, model::nodepool::node_pool_views).await
//!     }
//!     /// One item of a served view (server: GET by name; direct: the join over its namespace).
//!     pub async fn scaler(&self, ns: &str, name: &str) -> Result<Answer<Scaler>, DataError> {
//!         self.view_one(Some(ns), name, model::scaler::scalers).await
//!     }
//!     /// Raw objects the server does not serve (any `Resource` kind; per-namespace fallback
//!     /// for restricted users is built in).
//!     pub async fn trigger_authentications(&self) -> Result<Answer<Listed<TriggerAuthentication>>, DataError> {
//!         self.objects(Within::All).await
//!     }
//!     /// Anything else computed in the browser: fetch the parts, borrow a `model::Snapshot`,
//!     /// run any `model` join (never join here or in a component: joins belong in `model`).
//!     pub async fn something(&self) -> Result<Answer<Thing>, DataError> {
//!         let fetched = self.snapshot(&[Part::ScaledObjects, Part::Pods], &Within::All).await?;
//!         let snap = fetched.value.snapshot();
//!         Ok(fetched.map(|_| model::thing::join(&model::Index::new(&snap), self.now())))
//!     }
//! }
//! ```
//!
//! In a view, poll it at the user's refresh interval and render the three states:
//!
//! ```text
//! let data = use_context::<Data>().expect("the app provides Data");
//! let load = use_live(data, |data| async move { data.node_pools().await });
//! match load {
//!     Load::Loading => html! { <LoadingPanel what="NodePools" /> },
//!     Load::Failed(error) => html! { <ErrorPanel {error} /> },
//!     Load::Ready(answer) => html! { <><GapNotes gaps={answer.gaps.clone()} />{ table(&answer.value) }</> },
//! }
//! ```
//!
//! `use_live` keeps the last answer on screen while refreshing and when a refresh fails (the mode
//! indicator in every page title then says what failed); `use_load` fetches once. Writes (actions)
//! go through [`Data::request`] (see `crate::actions`), which also drops cached answers.

pub mod cache;
mod checks;
mod direct;
pub mod error;
mod karpenter;
pub mod keda;
mod lists;
mod load;
mod overview;
pub mod parts;
pub mod prometheus;
mod server;
pub mod settings;
pub mod source;

pub use direct::{component_of, kind_of};
pub use error::DataError;
pub use load::{Load, use_live, use_load};
pub use parts::{Fetched, Part};
pub use settings::Settings;
pub use source::{DirectWhy, Origin};

use crate::bridge::{Bridge, Response};
use model::Time;
use model::api::ApiView;
use model::keda::ScaledObject;
use model::meta::{HasMeta, Rejected, Resource};
use model::snapshot::Index;
use model::tolerant::Tolerant;
use serde::de::DeserializeOwned;
use source::ClusterState;
use std::rc::Rc;

/// Items of a list, the items that could not be read (shown, not silently dropped), and how much
/// of the cluster the list covers.
#[derive(Debug, PartialEq)]
pub struct Listed<T> {
    /// Objects read (shared: views and tables hold the same slice), sorted by namespace and name.
    pub items: Rc<[T]>,
    /// Objects that could not be read, with the reason.
    pub rejected: Vec<Rejected>,
    /// All namespaces, or only some (restricted users).
    pub coverage: Coverage,
}

// By hand: cloning shares the items (`Rc`), so `T` need not be `Clone`.
impl<T> Clone for Listed<T> {
    fn clone(&self) -> Self {
        Listed { items: self.items.clone(), rejected: self.rejected.clone(), coverage: self.coverage.clone() }
    }
}

impl<T> Listed<T> {
    /// A list that covers everything.
    pub fn complete(items: Vec<T>, rejected: Vec<Rejected>) -> Self {
        Listed { items: items.into(), rejected, coverage: Coverage::Complete }
    }
}

/// Which namespaces to read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Within {
    /// Every namespace the user may read.
    All,
    /// One namespace.
    Namespace(String),
}

impl Within {
    /// The namespace, if one.
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Within::All => None,
            Within::Namespace(ns) => Some(ns),
        }
    }
}

/// How much of the cluster a list covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Coverage {
    /// Everything asked for.
    #[default]
    Complete,
    /// The cluster-wide list was refused (403), so it was read namespace by namespace.
    Namespaces {
        /// Namespaces read.
        read: Vec<String>,
        /// Namespaces tried and refused.
        denied: Vec<String>,
    },
}

/// Something an answer lacks, said to the user next to what is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Gap {
    /// A part could not be read at all.
    Missing {
        /// What ("NodePools", "Events").
        what: String,
        /// Why.
        error: DataError,
    },
    /// A part was read only in some namespaces.
    Namespaces {
        /// What ("ScaledObjects").
        what: String,
        /// Namespaces read.
        read: Vec<String>,
        /// Namespaces refused.
        denied: Vec<String>,
    },
}

impl Gap {
    /// The gap a list's coverage implies, if any.
    pub fn of_coverage(what: &str, coverage: &Coverage) -> Option<Gap> {
        match coverage {
            Coverage::Complete => None,
            Coverage::Namespaces { read, denied } => {
                Some(Gap::Namespaces { what: what.to_owned(), read: read.clone(), denied: denied.clone() })
            }
        }
    }

    /// One sentence for the user.
    pub fn text(&self) -> String {
        match self {
            Gap::Missing { what, error } => format!("{what}: {} — {}", error.title(), error.explanation()),
            Gap::Namespaces { what, read, denied } => {
                let mut s = format!("{what}: you may not list them in all namespaces; ");
                match read.len() {
                    0 => s.push_str("no namespace could be read."),
                    1 => s.push_str(&format!("showing namespace {}.", read[0])),
                    _ => s.push_str(&format!("showing namespaces {}.", read.join(", "))),
                }
                if !denied.is_empty() {
                    s.push_str(&format!(" Refused in {}.", denied.join(", ")));
                }
                s
            }
        }
    }
}

/// A value, where it came from, and what it lacks.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer<T> {
    /// The value.
    pub value: T,
    /// Server or direct (and why).
    pub origin: Origin,
    /// Parts missing or limited to some namespaces.
    pub gaps: Vec<Gap>,
}

impl<T> Answer<T> {
    /// The same origin and gaps around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer { value: f(self.value), origin: self.origin, gaps: self.gaps }
    }
}

/// Namespaces Headlamp knows the user works in (used when a cluster-wide list is refused).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NamespaceHints {
    /// Headlamp's per-cluster "Allowed namespaces" setting.
    pub allowed: Rc<[String]>,
    /// Headlamp's namespace filter.
    pub selected: Rc<[String]>,
}

/// Where the data of one cluster comes from. Cheap to clone; a Yew context value. Equal when it
/// would answer the same (same cluster, host, settings and namespace hints).
#[derive(Clone, PartialEq)]
pub struct Data {
    cluster: Rc<str>,
    direct: direct::Direct,
    settings: Rc<Settings>,
    hints: NamespaceHints,
    store: Option<settings::SettingsStore>,
}

impl Data {
    /// Data of `cluster` through `bridge`, as the user's settings say.
    pub fn new(bridge: Bridge, cluster: &str, settings: Settings, hints: NamespaceHints) -> Self {
        Data {
            cluster: cluster.into(),
            direct: direct::Direct::new(bridge),
            settings: Rc::new(settings),
            hints,
            store: None,
        }
    }

    /// The same data, able to read and write the plugin settings (the host's ConfigStore).
    pub fn with_store(self, store: Option<settings::SettingsStore>) -> Self {
        Data { store, ..self }
    }

    /// The plugin settings store, when the host has one.
    pub fn settings_store(&self) -> Option<&settings::SettingsStore> {
        self.store.as_ref()
    }

    /// The same host and store for another cluster and settings (the settings page tests a
    /// cluster's connection with the settings being edited).
    pub fn for_cluster(&self, cluster: &str, settings: Settings) -> Self {
        Data {
            cluster: cluster.into(),
            direct: self.direct.clone(),
            settings: Rc::new(settings),
            hints: NamespaceHints::default(),
            store: self.store.clone(),
        }
    }

    /// Default settings and no namespace hints (tests, the standalone page).
    pub fn direct(bridge: Bridge, cluster: &str) -> Self {
        Data::new(bridge, cluster, Settings::default(), NamespaceHints::default())
    }

    /// The cluster this data is about.
    pub fn cluster(&self) -> &str {
        &self.cluster
    }

    /// The user's settings for this cluster.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Headlamp's namespace hints.
    pub fn hints(&self) -> &NamespaceHints {
        &self.hints
    }

    /// The bridge (actions and settings probes send their own requests).
    pub fn bridge(&self) -> &Bridge {
        self.direct.bridge()
    }

    /// The clock of the imperative shell (the joins take `now` as an argument).
    pub fn now(&self) -> Time {
        Time(now_ms() as i64)
    }

    /// This cluster's shared state (origin, staleness, cache).
    pub fn state(&self) -> Rc<ClusterState> {
        source::cluster_state(&self.cluster)
    }

    /// Which source answers now (asks discovery when there is no fresh decision).
    pub async fn origin(&self) -> Origin {
        self.state().resolve(self.bridge(), &self.cluster, self.settings.server, now_ms()).await
    }

    /// How old a cached answer may be when a view asks again: half the refresh interval, so views
    /// of one page share their requests while every refresh still reads fresh data.
    fn max_age_ms(&self) -> f64 {
        match self.settings.refresh_ms() {
            Some(ms) => (f64::from(ms) / 2.0).clamp(1_000.0, 5_000.0),
            None => 5_000.0,
        }
    }

    /// One request as it is (actions, probes). Writes drop every cached answer of the cluster.
    pub async fn request(&self, method: &str, path: &str, body: Option<&str>) -> Result<Response, DataError> {
        let r = self.bridge().request(&self.cluster, method, path, body).await?;
        if method != "GET" {
            self.state().cache.clear();
        }
        Ok(r)
    }

    /// A served view: the server's list of `T::DEF`, or `join` over the raw objects it reads.
    pub async fn view<T>(
        &self,
        within: Within,
        join: fn(&Index, Time) -> Vec<T>,
    ) -> Result<Answer<Vec<T>>, DataError>
    where
        T: ApiView + DeserializeOwned + PartialEq + 'static,
    {
        let origin = self.origin().await;
        let origin = if origin == Origin::Server {
            match server::list::<T>(self, T::DEF, within.namespace()).await {
                Ok(items) => return Ok(items),
                Err(server::Failure::Error(e)) => return Err(e),
                Err(server::Failure::Gone(why)) => {
                    self.state().server_failed(why.clone(), now_ms());
                    Origin::Direct(why)
                }
            }
        } else {
            origin
        };
        let fetched = self.snapshot(&Part::for_resource(T::DEF), &within).await?;
        fetched.fatal(T::DEF)?;
        let snap = fetched.value.snapshot();
        let ix = Index::new(&snap);
        let mut items = join(&ix, self.now());
        if let Some(ns) = within.namespace() {
            items.retain(|i| i.metadata().ns() == ns);
        }
        Ok(Answer { value: items, origin, gaps: fetched.gaps.clone() })
    }

    /// One item of a served view, by namespace (namespaced views) and name.
    pub async fn view_one<T>(
        &self,
        namespace: Option<&str>,
        name: &str,
        join: fn(&Index, Time) -> Vec<T>,
    ) -> Result<Answer<T>, DataError>
    where
        T: ApiView + DeserializeOwned + PartialEq + 'static,
    {
        let origin = self.origin().await;
        let origin = if origin == Origin::Server {
            match server::get::<T>(self, T::DEF, namespace, name).await {
                Ok(item) => return Ok(item),
                Err(server::Failure::Error(e)) => return Err(e),
                Err(server::Failure::Gone(why)) => {
                    self.state().server_failed(why.clone(), now_ms());
                    Origin::Direct(why)
                }
            }
        } else {
            origin
        };
        let within = match namespace {
            Some(ns) if T::DEF.namespaced => Within::Namespace(ns.to_owned()),
            _ => Within::All,
        };
        let fetched = self.snapshot(&Part::for_resource(T::DEF), &within).await?;
        fetched.fatal(T::DEF)?;
        let snap = fetched.value.snapshot();
        let ix = Index::new(&snap);
        let found = join(&ix, self.now()).into_iter().find(|i| {
            i.metadata().name == name && (!T::DEF.namespaced || Some(i.metadata().ns()) == namespace)
        });
        match found {
            Some(value) => Ok(Answer { value, origin, gaps: fetched.gaps.clone() }),
            None => Err(DataError::NotFound {
                what: match namespace {
                    Some(ns) => format!("{} {ns}/{name}", T::DEF.kind),
                    None => format!("{} {name}", T::DEF.kind),
                },
            }),
        }
    }

    /// Raw objects of any kind, read through Headlamp whatever the mode (the server serves joined
    /// views, not raw objects). A refused cluster-wide list is read namespace by namespace.
    pub async fn objects<T>(&self, within: Within) -> Result<Answer<Listed<T>>, DataError>
    where
        T: Resource + Tolerant + HasMeta + PartialEq + 'static,
    {
        let listed = self.list::<T>(&kind_of::<T>(), &within).await?;
        let gaps = Gap::of_coverage(&format!("{}s", T::KIND), &listed.coverage).into_iter().collect();
        let origin = self.state().origin().unwrap_or(Origin::Direct(DirectWhy::NotInstalled));
        Ok(Answer { value: (*listed).clone(), origin, gaps })
    }

    /// One raw object.
    pub async fn object<T: Resource + Tolerant>(&self, namespace: &str, name: &str) -> Result<T, DataError> {
        self.direct.get::<T>(&self.cluster, namespace, name).await
    }

    /// All ScaledObjects the user may list, sorted by namespace and name.
    pub async fn scaled_objects(&self) -> Result<Listed<ScaledObject>, DataError> {
        Ok(self.objects::<ScaledObject>(Within::All).await?.value)
    }

    /// One ScaledObject.
    pub async fn scaled_object(&self, namespace: &str, name: &str) -> Result<ScaledObject, DataError> {
        self.object::<ScaledObject>(namespace, name).await
    }
}

/// Milliseconds since the epoch (the browser's clock; the host's clock in host tests).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_say_what_is_missing_and_why() {
        let g = Gap::Namespaces { what: "ScaledObjects".into(), read: vec!["team-a".into()], denied: vec![] };
        assert_eq!(
            g.text(),
            "ScaledObjects: you may not list them in all namespaces; showing namespace team-a."
        );
        let g = Gap::Namespaces { what: "Pods".into(), read: vec![], denied: vec!["x".into(), "y".into()] };
        assert_eq!(
            g.text(),
            "Pods: you may not list them in all namespaces; no namespace could be read. Refused in x, y."
        );
        let g = Gap::Missing {
            what: "NodePools".into(),
            error: DataError::NoPermission {
                action: "list NodePools (karpenter.sh/v1)".into(),
                message: "forbidden".into(),
            },
        };
        assert!(g.text().starts_with("NodePools: No permission"), "{}", g.text());
    }
}
