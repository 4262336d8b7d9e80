//! Discovery documents of the aggregated API: `/apis/<group>/<version>` (APIResourceList, what the
//! aggregator's availability probe and legacy discovery read), `/apis/<group>` and `/apis`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    APIGroup, APIGroupList, APIResource, APIResourceList, GroupVersionForDiscovery,
};

/// API group served.
pub const GROUP: &str = "insights.autoscaling.dev";
/// API version served.
pub const VERSION: &str = "v1alpha1";
/// `group/version`.
pub const GROUP_VERSION: &str = "insights.autoscaling.dev/v1alpha1";

/// What discovery says about one served resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceInfo {
    /// Plural name used in URLs.
    pub name: &'static str,
    /// Singular name.
    pub singular: &'static str,
    /// Kind of the items.
    pub kind: &'static str,
    /// Whether items live in namespaces.
    pub namespaced: bool,
    /// kubectl short names.
    pub short_names: &'static [&'static str],
}

/// Verbs every resource supports (read-only API).
const VERBS: [&str; 2] = ["get", "list"];

/// The APIResourceList of our group/version.
pub fn resource_list(resources: &[ResourceInfo]) -> APIResourceList {
    APIResourceList {
        group_version: GROUP_VERSION.to_owned(),
        resources: resources
            .iter()
            .map(|r| APIResource {
                name: r.name.to_owned(),
                singular_name: r.singular.to_owned(),
                kind: r.kind.to_owned(),
                namespaced: r.namespaced,
                verbs: VERBS.iter().map(|v| (*v).to_owned()).collect(),
                short_names: (!r.short_names.is_empty())
                    .then(|| r.short_names.iter().map(|s| (*s).to_owned()).collect()),
                categories: Some(vec!["autoscaling-insights".to_owned()]),
                ..Default::default()
            })
            .collect(),
    }
}

/// The APIGroup of our group.
pub fn group() -> APIGroup {
    let v = GroupVersionForDiscovery { group_version: GROUP_VERSION.to_owned(), version: VERSION.to_owned() };
    APIGroup {
        name: GROUP.to_owned(),
        versions: vec![v.clone()],
        preferred_version: Some(v),
        server_address_by_client_cidrs: None,
    }
}

/// `/apis`: only our group.
pub fn group_list() -> APIGroupList {
    APIGroupList { groups: vec![group()] }
}

/// Serializes a k8s-openapi list/group type with its `kind` and `apiVersion` filled in.
pub fn with_type_meta<T: k8s_openapi::Resource + serde::Serialize>(value: &T) -> serde_json::Value {
    let mut v = serde_json::to_value(value).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("kind".to_owned(), T::KIND.into());
        o.insert("apiVersion".to_owned(), T::API_VERSION.into());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_list_is_what_kubectl_reads() {
        let list = resource_list(&[ResourceInfo {
            name: "scalers",
            singular: "scaler",
            kind: "Scaler",
            namespaced: true,
            short_names: &["sc"],
        }]);
        let v = with_type_meta(&list);
        assert_eq!(v["kind"], "APIResourceList");
        assert_eq!(v["apiVersion"], "v1");
        assert_eq!(v["groupVersion"], GROUP_VERSION);
        assert_eq!(v["resources"][0]["name"], "scalers");
        assert_eq!(v["resources"][0]["namespaced"], true);
        assert_eq!(v["resources"][0]["verbs"], serde_json::json!(["get", "list"]));
        assert_eq!(v["resources"][0]["shortNames"], serde_json::json!(["sc"]));
    }

    #[test]
    fn group_document() {
        let v = with_type_meta(&group_list());
        assert_eq!(v["kind"], "APIGroupList");
        assert_eq!(v["groups"][0]["preferredVersion"]["groupVersion"], GROUP_VERSION);
    }
}
