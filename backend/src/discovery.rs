//! Group discovery documents of the aggregated API: `/apis` and `/apis/<group>`. The version document
//! (`/apis/<group>/<version>`, APIResourceList) comes from `model::api::discovery`, next to the
//! resource definitions it lists.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIGroup, APIGroupList, GroupVersionForDiscovery};
pub use model::api::{API_VERSION as GROUP_VERSION, GROUP, VERSION};

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
    fn group_document() {
        let v = with_type_meta(&group_list());
        assert_eq!(v["kind"], "APIGroupList");
        assert_eq!(v["groups"][0]["preferredVersion"]["groupVersion"], GROUP_VERSION);
    }

    #[test]
    fn version_document_lists_every_resource() {
        let v = model::api::discovery();
        assert_eq!(v["kind"], "APIResourceList");
        let names: Vec<&str> =
            v["resources"].as_array().expect("resources").iter().filter_map(|r| r["name"].as_str()).collect();
        for r in [
            "overviews",
            "scalers",
            "nodepools",
            "nodeclaims",
            "nodes",
            "chains",
            "pendingpods",
            "timelines",
            "journal",
        ] {
            assert!(names.contains(&r), "{r} missing from {names:?}");
        }
    }
}
