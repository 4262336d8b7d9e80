//! Authorization by SubjectAccessReview, with a short cache.
//!
//! The API serves joins over other objects, so access follows those objects: a user sees a namespace's
//! rows only if they may `list` the underlying kind there, and cluster-scoped data (Nodes, NodePools,
//! NodeClaims, NodeClasses) only if they may list that kind cluster-wide. Denials and errors both hide
//! data (fail closed).
//!
//! Every user of the cluster can call the API, so reviews are bounded: identical reviews in flight
//! are asked once ([`Authorizer::allowed`] coalesces them), answers are cached for a short time in a
//! cache bounded by entries and bytes, and each user has a budget of reviews (a token bucket): a
//! request that would exceed it is answered 429 with the seconds to wait, and the reviews already
//! made stay cached, so the retry goes further.

use crate::authn::UserInfo;
use futures::future::{BoxFuture, FutureExt, Shared};
use futures::{StreamExt, stream};
use k8s_openapi::api::authorization::v1::{ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec};
use kube::api::PostParams;
use model::access::Access;
use model::api::GroupResource;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// A kind whose access decides what a user sees: API group and plural resource name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kind {
    /// API group (`""` for core).
    pub group: &'static str,
    /// Plural resource.
    pub resource: &'static str,
}

/// Why a review could not be made.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthzError {
    /// The SubjectAccessReview call failed.
    #[error("SubjectAccessReview failed: {0}")]
    Review(String),
    /// The user spent their review budget; the answer is worth retrying after `retry_after`.
    #[error("too many permission checks for user {user:?}: retry in {} s", retry_after.as_secs().max(1))]
    Throttled {
        /// Who.
        user: String,
        /// When the budget allows the next review.
        retry_after: Duration,
    },
}

impl From<kube::Error> for AuthzError {
    fn from(e: kube::Error) -> Self {
        AuthzError::Review(e.to_string())
    }
}

/// One question asked of the authorizer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Question {
    user: UserInfo,
    verb: &'static str,
    kind: Kind,
    namespace: String,
}

impl Question {
    /// Bytes it holds in the cache (strings plus a fixed overhead), for the cache's byte bound.
    fn bytes(&self) -> usize {
        let u = &self.user;
        96 + u.username.len()
            + u.uid.as_ref().map_or(0, String::len)
            + u.groups.iter().map(String::len).sum::<usize>()
            + u.extra.iter().map(|(k, v)| k.len() + v.iter().map(String::len).sum::<usize>()).sum::<usize>()
            + self.namespace.len()
    }
}

/// Bounds of the review machinery.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long an answer is reused (allowed and denied alike).
    pub ttl: Duration,
    /// Cached answers at most.
    pub max_entries: usize,
    /// Bytes of cached questions at most.
    pub max_bytes: usize,
    /// Reviews a user may cause at once (bucket size).
    pub burst: f64,
    /// Reviews a user may cause per second, sustained (refill rate).
    pub per_second: f64,
}

impl Limits {
    /// The defaults, with the answers' time to live.
    pub fn with_ttl(ttl: Duration) -> Self {
        Limits { ttl, max_entries: 100_000, max_bytes: 32 << 20, burst: 3_000.0, per_second: 200.0 }
    }
}

#[derive(Default)]
struct Cache {
    answers: HashMap<Question, (Instant, bool)>,
    bytes: usize,
}

impl Cache {
    fn insert(&mut self, q: Question, answer: bool, now: Instant, limits: &Limits) {
        if self.answers.len() >= limits.max_entries || self.bytes + q.bytes() > limits.max_bytes {
            let ttl = limits.ttl;
            self.answers.retain(|_, (at, _)| now.duration_since(*at) < ttl);
            if self.answers.len() >= limits.max_entries || self.bytes + q.bytes() > limits.max_bytes {
                // Still full of fresh answers: start over (they are cheap to ask again, the bound is not).
                self.answers.clear();
            }
            self.bytes = self.answers.keys().map(Question::bytes).sum();
        }
        self.bytes += q.bytes();
        if let Some((q, _)) = self.answers.remove_entry(&q) {
            self.bytes -= q.bytes();
        }
        self.answers.insert(q, (now, answer));
    }
}

/// A user's review budget.
struct Bucket {
    tokens: f64,
    at: Instant,
}

type Pending = Shared<BoxFuture<'static, Result<bool, AuthzError>>>;

/// Asks kube-apiserver (SubjectAccessReview) and remembers answers for `ttl`.
#[derive(Clone)]
pub struct Authorizer {
    reviewer: Arc<dyn Reviewer>,
    cache: Arc<Mutex<Cache>>,
    inflight: Arc<Mutex<HashMap<Question, Pending>>>,
    budgets: Arc<Mutex<HashMap<String, Bucket>>>,
    limits: Limits,
    metrics: crate::metrics::Metrics,
}

/// Makes one access review (the real one posts a SubjectAccessReview).
#[async_trait::async_trait]
pub trait Reviewer: Send + Sync {
    /// True if `user` may `verb` `kind` in `namespace` (`""` = cluster-wide).
    async fn review(
        &self,
        user: &UserInfo,
        verb: &str,
        kind: Kind,
        namespace: &str,
    ) -> Result<bool, AuthzError>;
}

/// The SubjectAccessReview reviewer.
pub struct SubjectAccessReviewer(pub kube::Client);

#[async_trait::async_trait]
impl Reviewer for SubjectAccessReviewer {
    async fn review(
        &self,
        user: &UserInfo,
        verb: &str,
        kind: Kind,
        namespace: &str,
    ) -> Result<bool, AuthzError> {
        let sar = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: Some(user.username.clone()),
                uid: user.uid.clone(),
                groups: Some(user.groups.clone()),
                extra: (!user.extra.is_empty()).then(|| user.extra.clone().into_iter().collect()),
                resource_attributes: Some(ResourceAttributes {
                    group: Some(kind.group.to_owned()),
                    resource: Some(kind.resource.to_owned()),
                    verb: Some(verb.to_owned()),
                    namespace: (!namespace.is_empty()).then(|| namespace.to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let api: kube::Api<SubjectAccessReview> = kube::Api::all(self.0.clone());
        let answer = api.create(&PostParams::default(), &sar).await?;
        Ok(answer.status.is_some_and(|s| s.allowed && !s.denied.unwrap_or(false)))
    }
}

/// Concurrent reviews per request when many namespaces must be checked one by one.
const CONCURRENCY: usize = 16;

impl Authorizer {
    /// An authorizer over `reviewer` within `limits`.
    pub fn new(reviewer: Arc<dyn Reviewer>, limits: Limits, metrics: crate::metrics::Metrics) -> Self {
        Self {
            reviewer,
            cache: Arc::default(),
            inflight: Arc::default(),
            budgets: Arc::default(),
            limits,
            metrics,
        }
    }

    /// May `user` `verb` `kind` in `namespace` (`""` = cluster-wide)? Cached; identical questions in
    /// flight are asked once; a new review spends one of the user's tokens.
    pub async fn allowed(
        &self,
        user: &UserInfo,
        verb: &'static str,
        kind: Kind,
        namespace: &str,
    ) -> Result<bool, AuthzError> {
        let q = Question { user: user.clone(), verb, kind, namespace: namespace.to_owned() };
        let now = Instant::now();
        if let Some(&(at, answer)) = lock(&self.cache).answers.get(&q)
            && now.duration_since(at) < self.limits.ttl
        {
            self.metrics.sar(true);
            return Ok(answer);
        }
        let pending = {
            let mut inflight = lock(&self.inflight);
            match inflight.get(&q) {
                Some(p) => p.clone(),
                None => {
                    self.spend(&user.username, now)?;
                    self.metrics.sar(false);
                    let (reviewer, u, ns) = (Arc::clone(&self.reviewer), user.clone(), namespace.to_owned());
                    let p = async move { reviewer.review(&u, verb, kind, &ns).await }.boxed().shared();
                    inflight.insert(q.clone(), p.clone());
                    p
                }
            }
        };
        let answer = pending.await;
        if let Ok(allowed) = answer {
            lock(&self.cache).insert(q.clone(), allowed, Instant::now(), &self.limits);
        }
        lock(&self.inflight).remove(&q);
        answer
    }

    /// Takes one review from `user`'s budget, or says when the next one is allowed.
    fn spend(&self, user: &str, now: Instant) -> Result<(), AuthzError> {
        let Limits { burst, per_second, .. } = self.limits;
        let mut budgets = lock(&self.budgets);
        if budgets.len() > 10_000 {
            // Full buckets are the default: dropping them forgets nothing.
            budgets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < burst);
        }
        let b = budgets.entry(user.to_owned()).or_insert(Bucket { tokens: burst, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_second).min(burst);
        b.at = now;
        if b.tokens < 1.0 {
            self.metrics.sar_throttled.inc();
            let retry_after = Duration::from_secs_f64((1.0 - b.tokens) / per_second);
            return Err(AuthzError::Throttled { user: user.to_owned(), retry_after });
        }
        b.tokens -= 1.0;
        Ok(())
    }

    /// The subset of `candidates` where `user` may list `kind` (namespaced reviews only).
    pub async fn namespaces_allowed<'a>(
        &self,
        user: &UserInfo,
        kind: Kind,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeSet<String>, AuthzError> {
        let candidates: BTreeSet<String> =
            candidates.into_iter().filter(|ns| !ns.is_empty()).map(str::to_owned).collect();
        let answers: Vec<(String, Result<bool, AuthzError>)> = stream::iter(candidates)
            .map(|ns| async move {
                let answer = self.allowed(user, "list", kind, &ns).await;
                (ns, answer)
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut set = BTreeSet::new();
        for (ns, answer) in answers {
            if answer? {
                set.insert(ns);
            }
        }
        Ok(set)
    }
}

impl Authorizer {
    /// What `user` may list among `kinds`, as `model::access::Access`. Cluster-wide reviews first,
    /// one per kind. Then, for the kinds refused cluster-wide, namespaced reviews: the `gates` (the
    /// kinds whose rows a resource shows) over every namespace holding data, the other kinds only
    /// over the namespaces where a gate is allowed — a namespace whose rows the user may not see needs
    /// no further question. A user allowed everything costs `kinds.len()` reviews; one allowed nothing
    /// in N namespaces costs `kinds.len() + gates.len() × N`, once per cache lifetime.
    pub async fn access(
        &self,
        user: &UserInfo,
        kinds: &[GroupResource],
        gates: &[GroupResource],
        namespaces: &BTreeSet<String>,
    ) -> Result<Access, AuthzError> {
        let kinds: BTreeSet<GroupResource> = kinds.iter().chain(gates).copied().collect();
        let mut access = Access::default();
        let mut refused = Vec::new();
        for gr in &kinds {
            if self.allowed(user, "list", as_kind(*gr), "").await? {
                access.grant_cluster(*gr);
            } else {
                refused.push(*gr);
            }
        }
        access.all = refused.is_empty();
        if access.all {
            return Ok(access);
        }
        let mut visible: BTreeSet<String> = if gates.iter().any(|g| access.cluster.contains(g)) {
            namespaces.clone()
        } else {
            BTreeSet::new()
        };
        for g in refused.iter().filter(|k| gates.contains(k)) {
            for ns in
                self.namespaces_allowed(user, as_kind(*g), namespaces.iter().map(String::as_str)).await?
            {
                access.grant(&ns, *g);
                visible.insert(ns);
            }
        }
        for k in refused.iter().filter(|k| !gates.contains(k)) {
            for ns in self.namespaces_allowed(user, as_kind(*k), visible.iter().map(String::as_str)).await? {
                access.grant(&ns, *k);
            }
        }
        Ok(access)
    }
}

/// The authorizer's name of a `model` kind.
pub fn as_kind(gr: GroupResource) -> Kind {
    Kind { group: gr.group, resource: gr.resource }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Stands in for kube-apiserver's RBAC in unit tests only (the integration tests use the real one).
    struct Rbac {
        calls: AtomicUsize,
    }

    #[async_trait::async_trait]
    impl Reviewer for Rbac {
        async fn review(
            &self,
            user: &UserInfo,
            _verb: &str,
            _kind: Kind,
            namespace: &str,
        ) -> Result<bool, AuthzError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Ok(user.username == "admin" || (user.username == "alice" && namespace == "team-a"))
        }
    }

    const PODS: Kind = Kind { group: "", resource: "pods" };

    fn user(name: &str) -> UserInfo {
        UserInfo { username: name.to_owned(), ..Default::default() }
    }

    fn limits(ttl: Duration) -> Limits {
        Limits::with_ttl(ttl)
    }

    #[tokio::test]
    async fn namespaced_user_gets_only_her_namespaces() {
        let a = Authorizer::new(
            Arc::new(Rbac { calls: AtomicUsize::new(0) }),
            limits(Duration::from_secs(10)),
            Default::default(),
        );
        assert!(!a.allowed(&user("alice"), "list", PODS, "").await.expect("reviewed"));
        let scope =
            a.namespaces_allowed(&user("alice"), PODS, ["team-a", "team-b", ""]).await.expect("reviewed");
        assert_eq!(scope, BTreeSet::from(["team-a".to_owned()]));
        assert!(a.allowed(&user("admin"), "list", PODS, "").await.expect("reviewed"));
    }

    #[tokio::test(start_paused = true)]
    async fn answers_are_cached_until_ttl() {
        let rbac = Arc::new(Rbac { calls: AtomicUsize::new(0) });
        let a = Authorizer::new(rbac.clone(), limits(Duration::from_millis(200)), Default::default());
        for _ in 0..3 {
            assert!(a.allowed(&user("alice"), "list", PODS, "team-a").await.expect("reviewed"));
        }
        assert_eq!(rbac.calls.load(Ordering::SeqCst), 1);
        let other_groups = UserInfo { groups: vec!["x".to_owned()], ..user("alice") };
        a.allowed(&other_groups, "list", PODS, "team-a").await.expect("reviewed");
        assert_eq!(rbac.calls.load(Ordering::SeqCst), 2, "groups are part of the cache key");
        tokio::time::advance(Duration::from_millis(250)).await;
        a.allowed(&user("alice"), "list", PODS, "team-a").await.expect("reviewed");
        assert_eq!(rbac.calls.load(Ordering::SeqCst), 3);
    }

    /// A reviewer that answers only when told, to hold reviews in flight.
    struct Slow {
        calls: AtomicUsize,
        go: tokio::sync::Notify,
    }

    #[async_trait::async_trait]
    impl Reviewer for Slow {
        async fn review(&self, _: &UserInfo, _: &str, _: Kind, _: &str) -> Result<bool, AuthzError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.go.notified().await;
            Ok(true)
        }
    }

    #[tokio::test]
    async fn identical_reviews_in_flight_are_asked_once() {
        let slow = Arc::new(Slow { calls: AtomicUsize::new(0), go: tokio::sync::Notify::new() });
        let a = Authorizer::new(slow.clone(), limits(Duration::from_secs(10)), Default::default());
        let bob = user("bob");
        let asks: Vec<_> = (0..50).map(|_| a.allowed(&bob, "list", PODS, "team-a")).collect();
        let all = tokio::spawn({
            let slow = Arc::clone(&slow);
            async move {
                // Let every ask reach the in-flight map, then answer the one review.
                while slow.calls.load(Ordering::SeqCst) == 0 {
                    tokio::task::yield_now().await;
                }
                slow.go.notify_waiters();
                slow.go.notify_one();
            }
        });
        let answers = futures::future::join_all(asks).await;
        all.await.expect("answered");
        assert!(answers.iter().all(|r| matches!(r, Ok(true))));
        assert_eq!(slow.calls.load(Ordering::SeqCst), 1, "50 identical questions, one review");
    }

    #[tokio::test(start_paused = true)]
    async fn a_user_who_spent_the_budget_waits_and_others_do_not() {
        let rbac = Arc::new(Rbac { calls: AtomicUsize::new(0) });
        let l = Limits { burst: 5.0, per_second: 1.0, ..limits(Duration::from_secs(60)) };
        let a = Authorizer::new(rbac.clone(), l, Default::default());
        let eve = user("eve");
        for ns in 0..5 {
            a.allowed(&eve, "list", PODS, &format!("ns-{ns}")).await.expect("within the budget");
        }
        match a.allowed(&eve, "list", PODS, "ns-5").await {
            Err(AuthzError::Throttled { retry_after, .. }) => assert!(retry_after <= Duration::from_secs(1)),
            other => panic!("expected a throttle, got {other:?}"),
        }
        // Cached answers cost nothing; other users have their own budget.
        assert!(a.allowed(&eve, "list", PODS, "ns-0").await.is_ok());
        assert!(a.allowed(&user("alice"), "list", PODS, "team-a").await.is_ok());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(a.allowed(&eve, "list", PODS, "ns-5").await.is_ok(), "the budget refills");
        assert_eq!(rbac.calls.load(Ordering::SeqCst), 7);
    }

    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let l = Limits { max_bytes: 64 * 1024, ..limits(Duration::from_secs(60)) };
        let mut c = Cache::default();
        let now = Instant::now();
        for i in 0..10_000 {
            let q = Question {
                user: UserInfo {
                    username: format!("user-{i}"),
                    groups: vec!["g".repeat(200)],
                    ..Default::default()
                },
                verb: "list",
                kind: PODS,
                namespace: "team-a".to_owned(),
            };
            c.insert(q, true, now, &l);
            assert!(c.bytes <= l.max_bytes, "{} bytes after {i}", c.bytes);
        }
        assert_eq!(c.bytes, c.answers.keys().map(Question::bytes).sum::<usize>());
    }

    /// Kube-apiserver's answers for a user who may list nothing anywhere.
    struct Nothing(AtomicUsize);

    #[async_trait::async_trait]
    impl Reviewer for Nothing {
        async fn review(&self, _: &UserInfo, _: &str, _: Kind, _: &str) -> Result<bool, AuthzError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(false)
        }
    }

    /// The figure of RELIABILITY.md: reviews one request of a user with no rights costs in a cluster of
    /// 1,000 namespaces, and that a second request within the cache lifetime costs none.
    #[tokio::test]
    async fn reviews_for_a_user_with_no_rights_in_1000_namespaces() {
        use model::api::{CHAINS, SCALERS, kinds};
        let namespaces: BTreeSet<String> = (0..1_000).map(|i| format!("ns-{i:04}")).collect();
        for def in [&SCALERS, &CHAINS] {
            let nothing = Arc::new(Nothing(AtomicUsize::new(0)));
            let a = Authorizer::new(nothing.clone(), limits(Duration::from_secs(10)), Default::default());
            let kinds: Vec<GroupResource> = def.reads.iter().copied().chain([def.primary]).collect();
            let gates = model::access::gates(def);
            let sa = user("system:serviceaccount:x:nobody");
            let access = a.access(&sa, &kinds, gates, &namespaces).await.expect("reviewed");
            assert!(!access.all && access.namespaces.is_empty() && access.cluster.is_empty());
            let first = nothing.0.load(Ordering::SeqCst);
            let distinct: BTreeSet<GroupResource> = kinds.iter().copied().collect();
            // Before: every kind in every namespace.
            let before = distinct.len() * (1 + namespaces.len());
            assert_eq!(first, distinct.len() + gates.len() * namespaces.len(), "{}", def.plural);
            println!("{}: {first} reviews (every kind in every namespace: {before})", def.plural);
            a.access(&sa, &kinds, gates, &namespaces).await.expect("reviewed");
            assert_eq!(
                nothing.0.load(Ordering::SeqCst),
                first,
                "the second request is answered from the cache"
            );
            let _ = kinds::PODS;
        }
    }
}
