//! Direct source: lists raw objects through the bridge and parses them with `model`'s tolerant
//! types (an odd field never loses the object; an unreadable item is reported, not dropped).

use super::Listed;
use super::error::{Attempt, DataError, classify};
use crate::bridge::Bridge;
use model::meta::{HasMeta, Resource, parse_list, parse_object};
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
        "karpenter.sh" => "Karpenter",
        "karpenter.k8s.aws" => "Karpenter (AWS provider)",
        "karpenter.azure.com" => "Karpenter (Azure provider)",
        "karpenter.kwok.sh" => "Karpenter (kwok provider)",
        "eks.amazonaws.com" => "EKS Auto Mode",
        "" => "Kubernetes",
        other => other,
    }
}

impl Direct {
    pub fn new(bridge: Bridge) -> Self {
        Direct { bridge }
    }

    /// Lists `T` in all namespaces.
    pub async fn list_all<T: Resource + Tolerant + HasMeta>(
        &self,
        cluster: &str,
    ) -> Result<Listed<T>, DataError> {
        let path = T::list_path(None);
        let action = if T::NAMESPACED {
            format!("list {}s ({}) in all namespaces", T::KIND, T::api_version())
        } else {
            format!("list {}s ({})", T::KIND, T::api_version())
        };
        let attempt =
            Attempt { path: &path, action: &action, installs: Some(component_of(T::GROUP)), what: T::KIND };
        let response = self.bridge.get(cluster, &path).await?;
        if !(200..300).contains(&response.status) {
            return Err(classify(&response, &attempt));
        }
        let list = parse_list::<T>(&response.body)
            .map_err(|e| DataError::Malformed { path: path.clone(), error: e.to_string() })?;
        let mut items = list.items;
        items.sort_by(|a, b| {
            (a.metadata().ns(), a.metadata().name.as_str())
                .cmp(&(b.metadata().ns(), b.metadata().name.as_str()))
        });
        Ok(Listed { items: items.into(), rejected: list.rejected })
    }

    /// Gets one `T`; 404 becomes "not installed" when `T`'s API is missing, else "not found".
    pub async fn get<T: Resource + Tolerant>(
        &self,
        cluster: &str,
        namespace: &str,
        name: &str,
    ) -> Result<T, DataError> {
        let path = format!("{}/{name}", T::list_path(Some(namespace)));
        let what = format!("{} {namespace}/{name}", T::KIND);
        let action = format!("get {what}");
        let response = self.bridge.get(cluster, &path).await?;
        if response.status == 404 {
            // The object or its whole API? Discovery of the group version tells them apart.
            let discovery = format!("/apis/{}", T::api_version());
            let api = self.bridge.get(cluster, &discovery).await?;
            let installs = (api.status == 404).then(|| component_of(T::GROUP));
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
