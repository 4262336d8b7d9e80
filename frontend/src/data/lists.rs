//! Lists for restricted users: a cluster-wide list that answers 403 is read namespace by
//! namespace, over the namespaces the user works in — Headlamp's per-cluster "Allowed
//! namespaces" setting first (as Headlamp's own lists do), else the namespaces the user may
//! list, else Headlamp's namespace filter. The answer says which namespaces it covers.

use super::direct::{describe, sorted};
use super::{Coverage, Data, DataError, Listed, Within, now_ms};
use model::k8s::{KindInfo, Namespace};
use model::meta::HasMeta;
use model::tolerant::Tolerant;
use std::rc::Rc;

/// More namespaces than this are not tried one by one (it would flood the API server on every
/// refresh); the user is asked to set Headlamp's allowed namespaces instead.
pub const MAX_NAMESPACES_TRIED: usize = 64;

impl Data {
    /// Lists `kind` in `within`, cached for the page (see `cache.rs`), sorted by namespace and name.
    pub async fn list<T>(&self, kind: &KindInfo, within: &Within) -> Result<Rc<Listed<T>>, DataError>
    where
        T: Tolerant + HasMeta + PartialEq + 'static,
    {
        let key = format!("list:{}:{}", kind.list_path(None), within.namespace().unwrap_or("*"));
        let this = self.clone();
        let kind = *kind;
        let within = within.clone();
        let state = self.state();
        state
            .cache
            .get(
                &key,
                self.max_age_ms(),
                now_ms(),
                async move { this.list_uncached::<T>(&kind, &within).await },
            )
            .await
    }

    async fn list_uncached<T: Tolerant + HasMeta>(
        &self,
        kind: &KindInfo,
        within: &Within,
    ) -> Result<Listed<T>, DataError> {
        let namespace = if kind.namespaced { within.namespace() } else { None };
        let cluster_wide = kind.namespaced && namespace.is_none();
        let path = kind.list_path(None);
        let state = self.state();
        let known_denied = cluster_wide && state.cluster_wide_denied.borrow().contains(&path);
        let refusal = if known_denied {
            None
        } else {
            match self.direct.list::<T>(&self.cluster, kind, namespace).await {
                Ok(list) => return Ok(Listed::complete(sorted(list.items), list.rejected)),
                Err(e @ DataError::NoPermission { .. }) if cluster_wide => {
                    state.cluster_wide_denied.borrow_mut().insert(path.clone());
                    Some(e)
                }
                Err(e) => return Err(e),
            }
        };
        let candidates = self.namespace_candidates().await;
        let action = format!("list {} in all namespaces", describe(kind));
        if candidates.is_empty() || candidates.len() > MAX_NAMESPACES_TRIED {
            let message = match refusal {
                Some(DataError::NoPermission { message, .. }) => message,
                _ => format!("{path} is forbidden cluster-wide"),
            };
            let hint = if candidates.is_empty() {
                "If you may list them in some namespaces, add those under Settings → Cluster → Allowed namespaces"
            } else {
                "Too many namespaces to try one by one: add yours under Settings → Cluster → Allowed namespaces"
            };
            return Err(DataError::NoPermission { action, message: format!("{message}. {hint}.") });
        }
        let lists = futures::future::join_all(candidates.iter().map(|ns| {
            let ns = ns.clone();
            async move {
                let r = self.direct.list::<T>(&self.cluster, kind, Some(&ns)).await;
                (ns, r)
            }
        }))
        .await;
        let (mut items, mut rejected, mut read, mut denied) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (ns, r) in lists {
            match r {
                Ok(list) => {
                    items.extend(list.items);
                    rejected.extend(list.rejected);
                    read.push(ns);
                }
                Err(DataError::NoPermission { .. }) => denied.push(ns),
                // Not installed, unreachable, malformed: the same for every namespace; say it once.
                Err(e) => return Err(e),
            }
        }
        Ok(Listed { items: sorted(items).into(), rejected, coverage: Coverage::Namespaces { read, denied } })
    }

    /// Namespaces to try one by one when a cluster-wide list is refused.
    pub fn namespace_candidates(&self) -> futures::future::LocalBoxFuture<'static, Vec<String>> {
        // Boxed: listing namespaces is itself a list (never a namespaced one, so no real recursion).
        use futures::FutureExt;
        let this = self.clone();
        async move { this.namespace_candidates_now().await }.boxed_local()
    }

    async fn namespace_candidates_now(&self) -> Vec<String> {
        let mut out: Vec<String> = self.hints.allowed.iter().filter(|n| !n.is_empty()).cloned().collect();
        if out.is_empty() {
            let all = self.list::<Namespace>(&super::kind_of::<Namespace>(), &Within::All).await;
            if let Ok(list) = all {
                out = list.items.iter().map(|n| n.metadata().name.clone()).collect();
            }
        }
        if out.is_empty() {
            out = self.hints.selected.iter().filter(|n| !n.is_empty()).cloned().collect();
        }
        out.sort();
        out.dedup();
        out
    }
}
