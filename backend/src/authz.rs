//! Authorization by SubjectAccessReview, with a short cache.
//!
//! The API serves joins over other objects, so access follows those objects: a user sees a namespace's
//! rows only if they may `list` the underlying kind there, and cluster-scoped data (Nodes, NodePools,
//! NodeClaims, NodeClasses) only if they may list that kind cluster-wide. Denials and errors both hide
//! data (fail closed).

use crate::authn::UserInfo;
use futures::{StreamExt, stream};
use k8s_openapi::api::authorization::v1::{ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec};
use kube::api::PostParams;
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

/// Where a user may list a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allowed {
    /// Every namespace (a cluster-wide `list` is allowed).
    All,
    /// Only these namespaces (possibly none).
    Namespaces(BTreeSet<String>),
}

/// Why a review could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AuthzError {
    /// The SubjectAccessReview call failed.
    #[error("SubjectAccessReview failed: {0}")]
    Review(#[from] kube::Error),
}

/// One question asked of the authorizer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Question {
    user: UserInfo,
    verb: &'static str,
    kind: Kind,
    namespace: String,
}

/// Asks kube-apiserver (SubjectAccessReview) and remembers answers for `ttl`.
#[derive(Clone)]
pub struct Authorizer {
    reviewer: Arc<dyn Reviewer>,
    cache: Arc<Mutex<HashMap<Question, (Instant, bool)>>>,
    ttl: Duration,
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
    /// An authorizer over `reviewer` that caches answers for `ttl`.
    pub fn new(reviewer: Arc<dyn Reviewer>, ttl: Duration, metrics: crate::metrics::Metrics) -> Self {
        Self { reviewer, cache: Arc::default(), ttl, metrics }
    }

    /// May `user` `verb` `kind` in `namespace` (`""` = cluster-wide)?
    pub async fn allowed(
        &self,
        user: &UserInfo,
        verb: &'static str,
        kind: Kind,
        namespace: &str,
    ) -> Result<bool, AuthzError> {
        let q = Question { user: user.clone(), verb, kind, namespace: namespace.to_owned() };
        let now = Instant::now();
        if let Some(&(at, answer)) = self.lock().get(&q)
            && now.duration_since(at) < self.ttl
        {
            self.metrics.sar(true);
            return Ok(answer);
        }
        self.metrics.sar(false);
        let answer = self.reviewer.review(user, verb, kind, namespace).await?;
        let mut cache = self.lock();
        if cache.len() > 50_000 {
            let ttl = self.ttl;
            cache.retain(|_, (at, _)| now.duration_since(*at) < ttl);
        }
        cache.insert(q, (Instant::now(), answer));
        Ok(answer)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Question, (Instant, bool)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where `user` may list `kind`: everywhere if a cluster-wide list is allowed, otherwise the subset
    /// of `candidates` (the namespaces that hold data) where a namespaced list is allowed.
    pub async fn list_scope<'a>(
        &self,
        user: &UserInfo,
        kind: Kind,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Result<Allowed, AuthzError> {
        if self.allowed(user, "list", kind, "").await? {
            return Ok(Allowed::All);
        }
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
        Ok(Allowed::Namespaces(set))
    }
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

    #[tokio::test]
    async fn namespaced_user_gets_only_her_namespaces() {
        let a = Authorizer::new(
            Arc::new(Rbac { calls: AtomicUsize::new(0) }),
            Duration::from_secs(10),
            Default::default(),
        );
        let scope = a.list_scope(&user("alice"), PODS, ["team-a", "team-b", ""]).await.expect("reviewed");
        assert_eq!(scope, Allowed::Namespaces(BTreeSet::from(["team-a".to_owned()])));
        let admin = a.list_scope(&user("admin"), PODS, ["team-a"]).await.expect("reviewed");
        assert_eq!(admin, Allowed::All);
    }

    #[tokio::test(start_paused = true)]
    async fn answers_are_cached_until_ttl() {
        let rbac = Arc::new(Rbac { calls: AtomicUsize::new(0) });
        let a = Authorizer::new(rbac.clone(), Duration::from_millis(200), Default::default());
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
}
