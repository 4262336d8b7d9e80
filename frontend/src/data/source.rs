//! Which source answers for a cluster — the Autoscaling Insights server or the browser (direct) —
//! and why. One state per cluster for the whole page (it outlives mounts: navigating between
//! views does not probe again), with listeners so the mode indicator follows every change.
//!
//! Auto mode: discovery of `insights.autoscaling.dev/v1alpha1` decides. 404 → not installed;
//! 403 → no permission (never "not installed"); no answer / 5xx → unreachable. A server that
//! stops answering later is left for direct mode on the next request, and probed again after
//! [`REPROBE_MS`].

use super::settings::ServerMode;
use crate::bridge::{Bridge, Response};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// Discovery path of our API.
pub const DISCOVERY: &str = "/apis/insights.autoscaling.dev/v1alpha1";

/// How long a "direct" decision stands before discovery is asked again.
pub const REPROBE_MS: f64 = 60_000.0;

/// Where an answer came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The Autoscaling Insights server (aggregated API).
    Server,
    /// Raw objects read through Headlamp and joined in the browser.
    Direct(DirectWhy),
}

/// Why the browser computes the views itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectWhy {
    /// The user chose direct mode in the plugin settings.
    TurnedOff,
    /// Discovery says the API group is not served (the server is not installed).
    NotInstalled,
    /// The server is registered but does not answer (or answers with server errors).
    Unreachable(String),
    /// The user may not use the server's API (403): not the same as "not installed".
    NoPermission(String),
}

impl Origin {
    /// A stable token for tests and CSS (`server`, `direct-off`, `direct-not-installed`, ...).
    pub fn token(&self) -> &'static str {
        match self {
            Origin::Server => "server",
            Origin::Direct(DirectWhy::TurnedOff) => "direct-off",
            Origin::Direct(DirectWhy::NotInstalled) => "direct-not-installed",
            Origin::Direct(DirectWhy::Unreachable(_)) => "direct-unreachable",
            Origin::Direct(DirectWhy::NoPermission(_)) => "direct-no-permission",
        }
    }

    /// The indicator's text.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::Server => "Live from Autoscaling Insights server",
            Origin::Direct(DirectWhy::TurnedOff) => {
                "Direct mode: server turned off in settings — computed in your browser"
            }
            Origin::Direct(DirectWhy::NotInstalled) => {
                "Direct mode: server not installed — computed in your browser"
            }
            Origin::Direct(DirectWhy::Unreachable(_)) => {
                "Direct mode: server unreachable — computed in your browser"
            }
            Origin::Direct(DirectWhy::NoPermission(_)) => {
                "Direct mode: no permission to use the server — computed in your browser"
            }
        }
    }

    /// The longer explanation (tooltip / details).
    pub fn detail(&self) -> String {
        match self {
            Origin::Server => "Views are joined by the Autoscaling Insights server in the cluster \
                               (insights.autoscaling.dev/v1alpha1), with its scaling journal and live trigger values."
                .to_owned(),
            Origin::Direct(DirectWhy::TurnedOff) => {
                "The plugin settings say not to use the server; objects are read through Headlamp \
                 and joined in the browser."
                    .to_owned()
            }
            Origin::Direct(DirectWhy::NotInstalled) => {
                "insights.autoscaling.dev/v1alpha1 is not served by this cluster. Install the server \
                 (Helm chart autoscaling-insights) for history beyond one hour and faster pages."
                    .to_owned()
            }
            Origin::Direct(DirectWhy::Unreachable(m)) => {
                format!("The server is registered but did not answer: {m}. Retrying every minute.")
            }
            Origin::Direct(DirectWhy::NoPermission(m)) => {
                format!("The cluster refused the server's API for your user: {m}")
            }
        }
    }
}

/// What discovery said.
pub fn classify_discovery(r: &Response) -> Origin {
    match r.status {
        200..=299 => Origin::Server,
        404 => Origin::Direct(DirectWhy::NotInstalled),
        403 => Origin::Direct(DirectWhy::NoPermission(super::error::status_message(&r.body))),
        0 => Origin::Direct(DirectWhy::Unreachable(format!(
            "no answer ({})",
            super::error::status_message(&r.body)
        ))),
        s => Origin::Direct(DirectWhy::Unreachable(format!("{s} {}", super::error::status_message(&r.body)))),
    }
}

/// Whether a failed server request means "leave the server for now" (vs. an error to show).
pub fn server_gone(r: &Response) -> Option<DirectWhy> {
    match r.status {
        0 => Some(DirectWhy::Unreachable(format!("no answer ({})", super::error::status_message(&r.body)))),
        // The aggregator answers 503 when the APIService's backend is down; 502/504 from proxies.
        500..=599 => {
            Some(DirectWhy::Unreachable(format!("{} {}", r.status, super::error::status_message(&r.body))))
        }
        // The APIService was removed since discovery (uninstalled).
        404 => Some(DirectWhy::NotInstalled),
        403 => Some(DirectWhy::NoPermission(super::error::status_message(&r.body))),
        _ => None,
    }
}

/// A refresh that failed while older data stays on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Stale {
    /// What went wrong.
    pub error: super::DataError,
    /// When the shown data was last refreshed (ms since epoch).
    pub since_ms: f64,
}

/// Called after a change of a cluster's state.
type Listener = Rc<dyn Fn()>;

/// A discovery request in flight, shared by every caller.
type Probe = futures::future::Shared<futures::future::LocalBoxFuture<'static, Origin>>;

/// The shared state of one cluster.
#[derive(Default)]
pub struct ClusterState {
    origin: RefCell<Option<Origin>>,
    decided_ms: Cell<f64>,
    decided_for: Cell<Option<ServerMode>>,
    probing: RefCell<Option<Probe>>,
    stale: RefCell<Option<Stale>>,
    listeners: RefCell<Vec<(u64, Listener)>>,
    next_listener: Cell<u64>,
    generation: Cell<u64>,
    /// Per-cluster request cache of the data layer (see `cache.rs`).
    pub cache: super::cache::Cache,
    /// List paths whose cluster-wide list answered 403 (go per namespace straight away).
    pub(super) cluster_wide_denied: RefCell<std::collections::BTreeSet<String>>,
}

thread_local! {
    static CLUSTERS: RefCell<HashMap<String, Rc<ClusterState>>> = RefCell::new(HashMap::new());
}

/// The state of `cluster` (created on first use).
pub fn cluster_state(cluster: &str) -> Rc<ClusterState> {
    CLUSTERS.with(|c| c.borrow_mut().entry(cluster.to_owned()).or_default().clone())
}

/// Forgets every cluster's state (tests).
pub fn reset_all() {
    CLUSTERS.with(|c| c.borrow_mut().clear());
}

/// Unsubscribes when dropped.
pub struct Subscription {
    state: Rc<ClusterState>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.state.listeners.borrow_mut().retain(|(id, _)| *id != self.id);
    }
}

impl ClusterState {
    /// The current decision, if any.
    pub fn origin(&self) -> Option<Origin> {
        self.origin.borrow().clone()
    }

    /// The last failed refresh, while older data is shown.
    pub fn stale(&self) -> Option<Stale> {
        self.stale.borrow().clone()
    }

    /// Calls `f` after every change of origin or staleness.
    pub fn subscribe(self: &Rc<Self>, f: Rc<dyn Fn()>) -> Subscription {
        let id = self.next_listener.get() + 1;
        self.next_listener.set(id);
        self.listeners.borrow_mut().push((id, f));
        Subscription { state: self.clone(), id }
    }

    fn notify(&self) {
        // Listeners may (un)subscribe while called: call a copy.
        let listeners: Vec<Rc<dyn Fn()>> = self.listeners.borrow().iter().map(|(_, f)| f.clone()).collect();
        for f in listeners {
            f();
        }
    }

    /// Records a decision (notifies when it changed).
    pub fn set_origin(&self, origin: Origin, now_ms: f64, mode: ServerMode) {
        self.decided_ms.set(now_ms);
        self.decided_for.set(Some(mode));
        let changed = self.origin.borrow().as_ref() != Some(&origin);
        *self.origin.borrow_mut() = Some(origin);
        if changed {
            self.notify();
        }
    }

    /// Records a failed refresh (`None`: refreshed fine).
    pub fn set_stale(&self, stale: Option<Stale>) {
        let changed = *self.stale.borrow() != stale;
        *self.stale.borrow_mut() = stale;
        if changed {
            self.notify();
        }
    }

    /// Decides which source answers now, asking discovery when there is no fresh decision.
    pub async fn resolve(
        self: &Rc<Self>,
        bridge: &Bridge,
        cluster: &str,
        mode: ServerMode,
        now_ms: f64,
    ) -> Origin {
        match mode {
            ServerMode::Off => {
                self.set_origin(Origin::Direct(DirectWhy::TurnedOff), now_ms, mode);
                return Origin::Direct(DirectWhy::TurnedOff);
            }
            ServerMode::On => {
                self.set_origin(Origin::Server, now_ms, mode);
                return Origin::Server;
            }
            ServerMode::Auto => {}
        }
        let fresh = self.decided_for.get() == Some(mode)
            && match &*self.origin.borrow() {
                Some(Origin::Server) => true,
                Some(Origin::Direct(_)) => now_ms - self.decided_ms.get() < REPROBE_MS,
                None => false,
            };
        if fresh && let Some(o) = self.origin() {
            return o;
        }
        // One probe at a time per cluster; concurrent callers share its answer.
        let probe = {
            let mut slot = self.probing.borrow_mut();
            match slot.as_ref() {
                Some(p) => p.clone(),
                None => {
                    use futures::FutureExt;
                    let bridge = bridge.clone();
                    let cluster = cluster.to_owned();
                    let p = async move {
                        match bridge.get(&cluster, DISCOVERY).await {
                            Ok(r) => classify_discovery(&r),
                            Err(e) => Origin::Direct(DirectWhy::Unreachable(e.0)),
                        }
                    }
                    .boxed_local()
                    .shared();
                    *slot = Some(p.clone());
                    p
                }
            }
        };
        let origin = probe.await;
        *self.probing.borrow_mut() = None;
        self.set_origin(origin.clone(), now_ms, mode);
        origin
    }

    /// Objects were changed from this page (an action): live views refresh now.
    pub fn changed(&self) {
        self.generation.set(self.generation.get() + 1);
        self.notify();
    }

    /// Counts [`ClusterState::changed`] calls.
    pub fn generation(&self) -> u64 {
        self.generation.get()
    }

    /// The server failed a request: remember why, so the next requests go direct (auto mode).
    pub fn server_failed(&self, why: DirectWhy, now_ms: f64) {
        let mode = self.decided_for.get().unwrap_or(ServerMode::Auto);
        self.set_origin(Origin::Direct(why), now_ms, mode);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Response {
        Response { status, body: body.to_owned() }
    }

    #[test]
    fn discovery_answers_decide_the_source() {
        assert_eq!(classify_discovery(&answer(200, "{}")), Origin::Server);
        assert_eq!(
            classify_discovery(&answer(404, "404 page not found")),
            Origin::Direct(DirectWhy::NotInstalled)
        );
        let forbidden = classify_discovery(&answer(
            403,
            r#"{"kind":"Status","message":"forbidden: User \"alice\" cannot get path \"/apis/insights.autoscaling.dev/v1alpha1\"","code":403}"#,
        ));
        assert_eq!(forbidden.token(), "direct-no-permission");
        assert!(forbidden.detail().contains("alice"), "{}", forbidden.detail());
        assert_eq!(classify_discovery(&answer(503, "service unavailable")).token(), "direct-unreachable");
        assert_eq!(classify_discovery(&answer(0, "Failed to fetch")).token(), "direct-unreachable");
    }

    #[test]
    fn only_a_missing_or_failing_server_is_left() {
        assert_eq!(
            server_gone(&answer(503, "")).map(|w| Origin::Direct(w).token()),
            Some("direct-unreachable")
        );
        assert_eq!(server_gone(&answer(404, "")), Some(DirectWhy::NotInstalled));
        assert!(matches!(server_gone(&answer(403, "")), Some(DirectWhy::NoPermission(_))));
        // 401 and 400 are errors of this request, shown as they are.
        assert_eq!(server_gone(&answer(401, "")), None);
        assert_eq!(server_gone(&answer(400, "")), None);
    }

    #[test]
    fn listeners_hear_changes_once_and_unsubscribe_on_drop() {
        let state = Rc::new(ClusterState::default());
        let heard = Rc::new(Cell::new(0));
        let sub = {
            let heard = heard.clone();
            state.subscribe(Rc::new(move || heard.set(heard.get() + 1)))
        };
        state.set_origin(Origin::Server, 0.0, ServerMode::Auto);
        state.set_origin(Origin::Server, 1.0, ServerMode::Auto);
        assert_eq!(heard.get(), 1, "same origin again is not a change");
        state.server_failed(DirectWhy::Unreachable("503".into()), 2.0);
        assert_eq!(heard.get(), 2);
        drop(sub);
        state.set_origin(Origin::Server, 3.0, ServerMode::Auto);
        assert_eq!(heard.get(), 2);
    }
}
