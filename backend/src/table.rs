//! `meta.k8s.io/v1` Table output, when the client asks for it (`kubectl get` does:
//! `Accept: application/json;as=Table;v=v1;g=meta.k8s.io, ...`).

use serde_json::{Value, json};

/// Which Table version the client accepts, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableVersion {
    /// `meta.k8s.io/v1`.
    V1,
    /// `meta.k8s.io/v1beta1`.
    V1beta1,
}

impl TableVersion {
    fn api_version(self) -> &'static str {
        match self {
            TableVersion::V1 => "meta.k8s.io/v1",
            TableVersion::V1beta1 => "meta.k8s.io/v1beta1",
        }
    }
}

/// Reads the Accept header: the first acceptable media type decides (clients list their preference first).
pub fn negotiate(accept: Option<&str>) -> Option<TableVersion> {
    for media in accept?.split(',') {
        let mut parts = media.split(';').map(str::trim);
        let mime = parts.next().unwrap_or_default();
        if mime != "application/json" && mime != "*/*" && mime != "application/*" {
            continue;
        }
        let (mut as_, mut v, mut g) = (None, None, None);
        for p in parts {
            match p.split_once('=') {
                Some(("as", x)) => as_ = Some(x),
                Some(("v", x)) => v = Some(x),
                Some(("g", x)) => g = Some(x),
                _ => {}
            }
        }
        match (as_, g, v) {
            (None, _, _) => return None, // plain JSON preferred
            (Some("Table"), Some("meta.k8s.io"), Some("v1")) => return Some(TableVersion::V1),
            (Some("Table"), Some("meta.k8s.io"), Some("v1beta1")) => return Some(TableVersion::V1beta1),
            _ => continue, // e.g. PartialObjectMetadata: not offered, try the next
        }
    }
    None
}

/// What rows carry in `object` (`?includeObject=`; kubectl's default is `Metadata`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncludeObject {
    /// Nothing.
    None,
    /// `PartialObjectMetadata`.
    Metadata,
    /// The whole item.
    Object,
}

impl IncludeObject {
    /// From the query parameter.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("None") => IncludeObject::None,
            Some("Object") => IncludeObject::Object,
            _ => IncludeObject::Metadata,
        }
    }
}

/// Builds the Table of `items` (each a served object with `metadata`) with one row of cells per item.
pub fn render(
    version: TableVersion,
    columns: Value,
    items: &[(Value, Vec<Value>)],
    include: IncludeObject,
) -> Value {
    let rows: Vec<Value> = items
        .iter()
        .map(|(item, cells)| {
            let mut row = json!({ "cells": cells });
            let object = match include {
                IncludeObject::None => None,
                IncludeObject::Metadata => Some(json!({
                    "kind": "PartialObjectMetadata",
                    "apiVersion": version.api_version(),
                    "metadata": item.get("metadata").cloned().unwrap_or_else(|| json!({})),
                })),
                IncludeObject::Object => Some(item.clone()),
            };
            if let (Some(o), Some(map)) = (object, row.as_object_mut()) {
                map.insert("object".to_owned(), o);
            }
            row
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": version.api_version(),
        "metadata": {},
        "columnDefinitions": columns,
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBECTL: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    #[test]
    fn kubectl_gets_a_v1_table() {
        assert_eq!(negotiate(Some(KUBECTL)), Some(TableVersion::V1));
        assert_eq!(
            negotiate(Some("application/json;as=Table;v=v1beta1;g=meta.k8s.io")),
            Some(TableVersion::V1beta1)
        );
    }

    #[test]
    fn plain_json_and_other_shapes_get_json() {
        assert_eq!(negotiate(None), None);
        assert_eq!(negotiate(Some("application/json")), None);
        assert_eq!(negotiate(Some("application/vnd.kubernetes.protobuf,application/json")), None);
        assert_eq!(
            negotiate(Some(
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"
            )),
            None
        );
    }

    #[test]
    fn rows_carry_partial_metadata_by_default() {
        let cols = model::api::column_definitions(&model::api::SCALERS);
        let item = json!({"kind": "Scaler", "metadata": {"name": "w", "namespace": "team-a"}, "spec": {}});
        let t =
            render(TableVersion::V1, cols.clone(), &[(item, vec![json!("w")])], IncludeObject::parse(None));
        assert_eq!(t["kind"], "Table");
        assert_eq!(t["columnDefinitions"][0]["format"], "name");
        assert_eq!(t["rows"][0]["cells"][0], "w");
        assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
        assert_eq!(t["rows"][0]["object"]["metadata"]["namespace"], "team-a");
        let t = render(TableVersion::V1, cols.clone(), &[(json!({}), vec![json!("w")])], IncludeObject::None);
        assert!(t["rows"][0].get("object").is_none());
    }
}
