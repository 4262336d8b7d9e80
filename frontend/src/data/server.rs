//! The server source: the aggregated API `insights.autoscaling.dev/v1alpha1`, whose items are
//! `model`'s view models as JSON. A request that shows the server gone (no answer, 5xx, the API
//! removed, the user refused) is a [`Failure::Gone`] — the caller leaves for direct mode in auto
//! mode — unless the user forced the server on, where it is an error to show.

use super::error::{Attempt, classify};
use super::settings::ServerMode;
use super::source::{DirectWhy, Origin, server_gone};
use super::{Answer, Data, DataError, Gap, now_ms};
use model::api::{API_VERSION, ResourceDef};
use model::meta::Rejected;
use model::snapshot::{SourceState, Sources};
use serde::de::DeserializeOwned;
use std::rc::Rc;

/// Why the server did not answer.
pub enum Failure {
    /// Leave it for direct mode (auto mode).
    Gone(DirectWhy),
    /// Show this error.
    Error(DataError),
}

fn path(def: &ResourceDef, namespace: Option<&str>, name: Option<&str>) -> String {
    let mut p = format!("/apis/{API_VERSION}");
    if def.namespaced
        && let Some(ns) = namespace
    {
        p.push_str(&format!("/namespaces/{ns}"));
    }
    p.push('/');
    p.push_str(def.plural);
    if let Some(n) = name {
        p.push('/');
        p.push_str(n);
    }
    p
}

async fn fetch(data: &Data, path: &str, def: &ResourceDef, what: &str) -> Result<Rc<String>, Failure> {
    let bridge = data.bridge().clone();
    let cluster = data.cluster().to_owned();
    let p = path.to_owned();
    // The body is cached as text; parsing is per caller (it is cheap next to the request).
    let answer = data
        .state()
        .cache
        .get(&format!("server:{path}"), data.max_age_ms(), now_ms(), async move {
            let r = bridge.get(&cluster, &p).await?;
            Ok::<_, DataError>(r)
        })
        .await
        .map_err(Failure::Error)?;
    if (200..300).contains(&answer.status) {
        return Ok(Rc::new(answer.body.clone()));
    }
    let forced = data.settings().server == ServerMode::On;
    // The server refusing one resource because the user may not list its underlying kind is an
    // answer, not a server gone.
    let refused_kind = answer.status == 403 && refuses_underlying_kind(&answer.body);
    if !forced
        && !refused_kind
        && let Some(why) = server_gone(&answer)
    {
        // Not-found of one object is an answer, not a missing server.
        let object_missing = answer.status == 404 && what.contains('/');
        if !object_missing {
            return Err(Failure::Gone(why));
        }
    }
    let action = format!("read {} from the Autoscaling Insights server", def.plural);
    let installs = (answer.status == 404 && !what.contains('/')).then_some("The Autoscaling Insights server");
    Err(Failure::Error(classify(&answer, &Attempt { path, action: &action, installs, what })))
}

/// Whether a 403 is our server refusing a kind the user may not list (`details.group` of its
/// Status is that kind's group), not kube-apiserver refusing our API group. Headlamp's bridge may
/// pass only the Status message: kube-apiserver's names `API group "insights.autoscaling.dev"`.
fn refuses_underlying_kind(body: &str) -> bool {
    let group = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.pointer("/details/group").and_then(|g| g.as_str()).map(str::to_owned));
    match group {
        Some(g) => g != model::api::GROUP,
        None => !body.contains(&format!("API group \"{}\"", model::api::GROUP)),
    }
}

#[derive(serde::Deserialize)]
struct ServedList {
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

/// Gaps the server reports in `sources` (parts it could not read, for everyone).
pub fn gaps_of_sources(sources: &Sources) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for (what, state, component) in [
        ("KEDA objects", &sources.keda, "KEDA"),
        ("Karpenter objects", &sources.karpenter, "Karpenter"),
        ("Live trigger values", &sources.external_metrics, "KEDA's metrics server"),
    ] {
        let error = match state {
            SourceState::NotInstalled => {
                DataError::NotInstalled { component: component.to_owned(), api: what.to_lowercase() }
            }
            SourceState::Forbidden => DataError::NoPermission {
                action: format!("read {}", what.to_lowercase()),
                message: "the server reports no permission".to_owned(),
            },
            SourceState::Error(m) => DataError::Failing { what: what.to_owned(), message: m.clone() },
            SourceState::Ok | SourceState::Unknown => continue,
        };
        gaps.push(Gap::Missing { what: what.to_owned(), error });
    }
    gaps
}

/// The items of a served list (an unreadable item is reported, never the whole page lost).
pub async fn list<T: DeserializeOwned>(
    data: &Data,
    def: &'static ResourceDef,
    namespace: Option<&str>,
) -> Result<Answer<Vec<T>>, Failure> {
    let path = path(def, namespace, None);
    let body = fetch(data, &path, def, def.plural).await?;
    let list: ServedList = serde_json::from_str(&body)
        .map_err(|e| Failure::Error(DataError::Malformed { path: path.clone(), error: e.to_string() }))?;
    let mut items = Vec::with_capacity(list.items.len());
    let mut rejected: Vec<Rejected> = Vec::new();
    for (index, item) in list.items.into_iter().enumerate() {
        let name = item.pointer("/metadata/name").and_then(|n| n.as_str()).map(str::to_owned);
        match serde_json::from_value::<T>(item) {
            Ok(v) => items.push(v),
            Err(e) => rejected.push(Rejected { index, name, reason: e.to_string() }),
        }
    }
    let gaps = if rejected.is_empty() {
        Vec::new()
    } else {
        vec![Gap::Missing {
            what: format!("{} of {} {}", rejected.len(), rejected.len() + items.len(), def.plural),
            error: DataError::Malformed {
                path,
                error: rejected.iter().map(|r| r.reason.as_str()).take(3).collect::<Vec<_>>().join("; "),
            },
        }]
    };
    Ok(Answer { value: items, origin: Origin::Server, gaps })
}

/// One served item.
pub async fn get<T: DeserializeOwned>(
    data: &Data,
    def: &'static ResourceDef,
    namespace: Option<&str>,
    name: &str,
) -> Result<Answer<T>, Failure> {
    let path = path(def, namespace, Some(name));
    let what = match namespace {
        Some(ns) if def.namespaced => format!("{} {ns}/{name}", def.kind),
        _ => format!("{}/{name}", def.kind),
    };
    let body = fetch(data, &path, def, &what).await?;
    let value = serde_json::from_str::<T>(&body)
        .map_err(|e| Failure::Error(DataError::Malformed { path, error: e.to_string() }))?;
    Ok(Answer { value, origin: Origin::Server, gaps: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_resource_scope() {
        assert_eq!(path(&model::api::SCALERS, None, None), "/apis/insights.autoscaling.dev/v1alpha1/scalers");
        assert_eq!(
            path(&model::api::SCALERS, Some("team-a"), Some("orders")),
            "/apis/insights.autoscaling.dev/v1alpha1/namespaces/team-a/scalers/orders"
        );
        // Cluster-scoped resources ignore a namespace.
        assert_eq!(
            path(&model::api::OVERVIEWS, Some("team-a"), Some("cluster")),
            "/apis/insights.autoscaling.dev/v1alpha1/overviews/cluster"
        );
    }

    #[test]
    fn server_sources_become_gaps() {
        let s = Sources { karpenter: SourceState::NotInstalled, keda: SourceState::Ok, ..Default::default() };
        let g = gaps_of_sources(&s);
        assert_eq!(g.len(), 1);
        assert!(g[0].text().starts_with("Karpenter objects: Not installed"), "{}", g[0].text());
    }
}
