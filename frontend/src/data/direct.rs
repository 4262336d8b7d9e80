//! Direct source: raw objects through the bridge, parsed with `model`'s tolerant types (an odd
//! field never loses the object; an unreadable item is reported, not dropped). One request each;
//! the per-namespace fallback for restricted users lives in `lists.rs`.

use super::error::{Attempt, DataError, classify};
use crate::bridge::Bridge;
use model::k8s::KindInfo;
use model::meta::{HasMeta, ObjectList, Resource, parse_list, parse_object};
use model::tolerant::Tolerant;

/// Raw API access through the bridge.
#[derive(Clone, PartialEq)]
pub struct Direct {
    bridge: Bridge,
}

/// The product an API group belongs to, for "not installed" messages.
pub fn component_of(group: &str) -> &str {
    match group {
        "keda.sh" | "eventing.keda.sh" => "KEDA",
        "external.metrics.k8s.io" => "an External Metrics API server (KEDA's metrics server)",
        "karpenter.sh" => "Karpenter",
        "karpenter.k8s.aws" => "Karpenter (AWS provider)",
        "karpenter.azure.com" => "Karpenter (Azure provider)",
        "karpenter.kwok.sh" => "Karpenter (kwok provider)",
        "eks.amazonaws.com" => "EKS Auto Mode",
        "insights.autoscaling.dev" => "The Autoscaling Insights server",
        "" => "Kubernetes",
        other => other,
    }
}

/// The static description of a kind that implements [`Resource`].
pub fn kind_of<T: Resource>() -> KindInfo {
    KindInfo {
        group: T::GROUP,
        version: T::VERSION,
        kind: T::KIND,
        plural: T::PLURAL,
        namespaced: T::NAMESPACED,
    }
}

/// "ScaledObjects (keda.sh/v1alpha1)".
pub fn describe(kind: &KindInfo) -> String {
    format!("{}s ({})", kind.kind, kind.api_version())
}

impl Direct {
    /// Requests through `bridge`.
    pub fn new(bridge: Bridge) -> Self {
        Direct { bridge }
    }

    /// The bridge.
    pub fn bridge(&self) -> &Bridge {
        &self.bridge
    }

    /// Lists `kind` in one namespace, or everywhere (`None`, or a cluster-scoped kind).
    pub async fn list<T: Tolerant + HasMeta>(
        &self,
        cluster: &str,
        kind: &KindInfo,
        namespace: Option<&str>,
    ) -> Result<ObjectList<T>, DataError> {
        let path = kind.list_path(namespace);
        let action = match (kind.namespaced, namespace) {
            (false, _) => format!("list {}", describe(kind)),
            (true, None) => format!("list {} in all namespaces", describe(kind)),
            (true, Some(ns)) => format!("list {} in namespace {ns}", describe(kind)),
        };
        let attempt = Attempt {
            path: &path,
            action: &action,
            installs: Some(component_of(kind.group)),
            what: kind.kind,
        };
        let response = self.bridge.get(cluster, &path).await?;
        if !(200..300).contains(&response.status) {
            return Err(classify(&response, &attempt));
        }
        parse_list::<T>(&response.body).map_err(|e| DataError::Malformed { path, error: e.to_string() })
    }

    /// Gets one `T`; 404 becomes "not installed" when `T`'s API is missing, else "not found".
    pub async fn get<T: Resource + Tolerant>(
        &self,
        cluster: &str,
        namespace: &str,
        name: &str,
    ) -> Result<T, DataError> {
        self.get_kind(cluster, &kind_of::<T>(), namespace, name).await
    }

    /// Gets one object of `kind` (`namespace` ignored for cluster-scoped kinds).
    pub async fn get_kind<T: Tolerant>(
        &self,
        cluster: &str,
        kind: &KindInfo,
        namespace: &str,
        name: &str,
    ) -> Result<T, DataError> {
        let path = format!("{}/{name}", kind.list_path(Some(namespace)));
        let what = if kind.namespaced {
            format!("{} {namespace}/{name}", kind.kind)
        } else {
            format!("{} {name}", kind.kind)
        };
        let action = format!("get {what}");
        let response = self.bridge.get(cluster, &path).await?;
        if response.status == 404 {
            // The object or its whole API? Discovery of the group version tells them apart.
            let discovery = if kind.group.is_empty() {
                format!("/api/{}", kind.version)
            } else {
                format!("/apis/{}", kind.api_version())
            };
            let api = self.bridge.get(cluster, &discovery).await?;
            let installs = (api.status == 404).then(|| component_of(kind.group));
            return Err(classify(
                &response,
                &Attempt { path: &path, action: &action, installs, what: &what },
            ));
        }
        if !(200..300).contains(&response.status) {
            return Err(classify(
                &response,
                &Attempt { path: &path, action: &action, installs: None, what: &what },
            ));
        }
        match parse_object::<T>(&response.body) {
            Ok(Some(object)) => Ok(object),
            Ok(None) => Err(DataError::Malformed { path, error: "the answer is not a JSON object".into() }),
            Err(e) => Err(DataError::Malformed { path, error: e.to_string() }),
        }
    }
}

/// Sorts by namespace, then name.
pub fn sorted<T: HasMeta>(mut items: Vec<T>) -> Vec<T> {
    items.sort_by(|a, b| {
        (a.metadata().ns(), a.metadata().name.as_str()).cmp(&(b.metadata().ns(), b.metadata().name.as_str()))
    });
    items
}
