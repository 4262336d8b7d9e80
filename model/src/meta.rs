//! What every object shares: trimmed `ObjectMeta`, owner references, conditions, label
//! selectors, the [`Resource`] constants (group, version, kind, plural, scope) and tolerant
//! parsing of `{items: [...]}` lists.

use crate::time::Time;
use crate::tolerant::{Tolerant, tolerant_struct};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// String→string map (labels, annotations, selectors).
pub type Labels = BTreeMap<String, String>;

tolerant_struct! {
    /// Trimmed `metadata`: only what joins and views read.
    pub struct ObjectMeta {
        /// `metadata.name`.
        pub name: String,
        /// `metadata.namespace` (absent for cluster-scoped objects).
        pub namespace: Option<String>,
        /// `metadata.uid`.
        pub uid: Option<String>,
        /// `metadata.labels`.
        pub labels: Labels,
        /// `metadata.annotations`.
        pub annotations: Labels,
        /// `metadata.ownerReferences`.
        pub owner_references: Vec<OwnerReference>,
        /// `metadata.creationTimestamp`.
        pub creation_timestamp: Option<Time>,
        /// `metadata.deletionTimestamp`: set while the object is being deleted.
        pub deletion_timestamp: Option<Time>,
        /// `metadata.resourceVersion`.
        pub resource_version: Option<String>,
        /// `metadata.generation`.
        pub generation: Option<i64>,
    }
}

/// The annotations any join reads. The server's caches keep only these: every other annotation is
/// the tenant's to size (up to 256 KB per object), and none of them changes an answer.
pub const READ_ANNOTATIONS: &[&str] = &[
    crate::keda::annotations::PAUSED,
    crate::keda::annotations::PAUSED_REPLICAS,
    crate::keda::annotations::PAUSED_SCALE_IN,
    crate::keda::annotations::PAUSED_SCALE_OUT,
    crate::keda::annotations::FORCE_ACTIVATION,
    crate::karpenter::annotations::DO_NOT_DISRUPT,
];

/// Longest annotation value kept (the ones in [`READ_ANNOTATIONS`] are numbers and booleans).
pub const MAX_ANNOTATION_BYTES: usize = 256;

impl ObjectMeta {
    /// The namespace or `""` for cluster-scoped objects.
    pub fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    /// The uid or `""`.
    pub fn uid(&self) -> &str {
        self.uid.as_deref().unwrap_or("")
    }

    /// One label.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.get(key).map(String::as_str)
    }

    /// One annotation.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }

    /// The owner reference marked `controller: true`, else the first one.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.owner_references.iter().find(|o| o.controller == Some(true)).or(self.owner_references.first())
    }

    /// Keeps only the annotations a join reads ([`READ_ANNOTATIONS`], short values): what the server's
    /// caches hold of an object's annotations.
    pub fn trim(&mut self) {
        self.annotations
            .retain(|k, v| READ_ANNOTATIONS.contains(&k.as_str()) && v.len() <= MAX_ANNOTATION_BYTES);
    }
}

tolerant_struct! {
    /// `metadata.ownerReferences[]`.
    pub struct OwnerReference {
        /// `apiVersion` of the owner.
        pub api_version: String,
        /// Kind of the owner.
        pub kind: String,
        /// Name of the owner.
        pub name: String,
        /// Uid of the owner.
        pub uid: String,
        /// Whether the owner is the managing controller.
        pub controller: Option<bool>,
    }
}

tolerant_struct! {
    /// A status condition (Kubernetes `metav1.Condition` and the older per-kind shapes).
    pub struct Condition {
        /// `type`, e.g. `Ready`.
        #[serde(rename = "type")]
        pub type_: String,
        /// `True`, `False` or `Unknown`.
        pub status: String,
        /// Machine-readable reason.
        pub reason: Option<String>,
        /// Human-readable message.
        pub message: Option<String>,
        /// When the status last changed.
        pub last_transition_time: Option<Time>,
        /// Last probe (Node conditions).
        pub last_heartbeat_time: Option<Time>,
        /// Generation the condition was computed for.
        pub observed_generation: Option<i64>,
    }
}

impl Condition {
    /// `status == "True"`.
    pub fn is_true(&self) -> bool {
        self.status.eq_ignore_ascii_case("true")
    }
    /// `status == "False"`.
    pub fn is_false(&self) -> bool {
        self.status.eq_ignore_ascii_case("false")
    }
}

/// Finds a condition by type.
pub fn condition<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

/// `Some(true/false)` for a condition that is True/False, `None` when absent or Unknown.
pub fn condition_status(conditions: &[Condition], type_: &str) -> Option<bool> {
    condition(conditions, type_).and_then(|c| {
        if c.is_true() {
            Some(true)
        } else if c.is_false() {
            Some(false)
        } else {
            None
        }
    })
}

tolerant_struct! {
    /// `metav1.LabelSelector`.
    pub struct LabelSelector {
        /// Exact label matches.
        pub match_labels: Labels,
        /// Set-based requirements.
        pub match_expressions: Vec<SelectorRequirement>,
    }
}

tolerant_struct! {
    /// One set-based selector requirement (also used by node selector terms).
    pub struct SelectorRequirement {
        /// Label key.
        pub key: String,
        /// `In`, `NotIn`, `Exists`, `DoesNotExist` (`Gt`/`Lt` for node requirements).
        pub operator: String,
        /// Values.
        pub values: Vec<String>,
    }
}

impl SelectorRequirement {
    /// Whether `labels` satisfy this requirement (unknown operators never match).
    pub fn matches(&self, labels: &Labels) -> bool {
        let v = labels.get(&self.key);
        match self.operator.as_str() {
            "In" => v.is_some_and(|v| self.values.contains(v)),
            "NotIn" => v.is_none_or(|v| !self.values.contains(v)),
            "Exists" => v.is_some(),
            "DoesNotExist" => v.is_none(),
            "Gt" | "Lt" => {
                let (Some(have), Some(bound)) = (
                    v.and_then(|v| v.parse::<i64>().ok()),
                    self.values.first().and_then(|b| b.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if self.operator == "Gt" { have > bound } else { have < bound }
            }
            _ => false,
        }
    }
}

impl LabelSelector {
    /// Whether `labels` match. An empty selector matches everything, like Kubernetes.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    /// Parses the string form (`app=web,tier in (a,b),!canary`) used by `/scale`
    /// `status.selector` and by `labelSelector` query parameters.
    pub fn parse(input: &str) -> Result<LabelSelector, SelectorError> {
        let err = || SelectorError(input.to_owned());
        let mut sel = LabelSelector::default();
        // Split on commas outside parentheses.
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0i32, 0usize);
        for (i, c) in input.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&input[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
            if depth < 0 {
                return Err(err());
            }
        }
        parts.push(&input[start..]);
        for raw in parts {
            let p = raw.trim();
            if p.is_empty() {
                continue;
            }
            if let Some(key) = p.strip_prefix('!') {
                sel.match_expressions.push(requirement(key.trim(), "DoesNotExist", vec![]));
            } else if let Some((k, v)) = p.split_once("!=") {
                sel.match_expressions.push(requirement(k.trim(), "NotIn", vec![v.trim().to_owned()]));
            } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                sel.match_labels.insert(k.trim().to_owned(), v.trim().to_owned());
            } else if let Some(open) = p.find('(') {
                let close = p.rfind(')').filter(|c| *c == p.len() - 1).ok_or_else(err)?;
                let head: Vec<&str> = p[..open].split_whitespace().collect();
                let [key, op] = head.as_slice() else { return Err(err()) };
                let op = match *op {
                    "in" => "In",
                    "notin" => "NotIn",
                    _ => return Err(err()),
                };
                let values = p[open + 1..close]
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect();
                sel.match_expressions.push(requirement(key, op, values));
            } else if p.split_whitespace().count() == 1 {
                sel.match_expressions.push(requirement(p, "Exists", vec![]));
            } else {
                return Err(err());
            }
        }
        Ok(sel)
    }

    /// True when the selector has no terms at all.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

fn requirement(key: &str, op: &str, values: Vec<String>) -> SelectorRequirement {
    SelectorRequirement { key: key.to_owned(), operator: op.to_owned(), values }
}

/// A label selector string that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid label selector {0:?}")]
pub struct SelectorError(pub String);

/// A reference to an object by kind, namespace and name (and uid when known).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectRef {
    /// `apiVersion` (`group/version` or `v1`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Namespace, empty for cluster-scoped objects.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Uid, when known.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// Static facts about a kind: where it lives in the API and how it is scoped.
pub trait Resource {
    /// API group (`""` for the core group).
    const GROUP: &'static str;
    /// API version.
    const VERSION: &'static str;
    /// Kind.
    const KIND: &'static str;
    /// Plural resource name used in URLs.
    const PLURAL: &'static str;
    /// Whether objects live in namespaces.
    const NAMESPACED: bool;
    /// The object's metadata.
    fn meta(&self) -> &ObjectMeta;

    /// `group/version`, or `version` for the core group.
    fn api_version() -> String {
        api_version(Self::GROUP, Self::VERSION)
    }

    /// URL path of the collection, in one namespace or across all.
    fn list_path(namespace: Option<&str>) -> String {
        list_path(Self::GROUP, Self::VERSION, Self::PLURAL, if Self::NAMESPACED { namespace } else { None })
    }

    /// A reference to this object.
    fn object_ref(&self) -> ObjectRef {
        let m = self.meta();
        ObjectRef {
            api_version: Self::api_version(),
            kind: Self::KIND.to_owned(),
            namespace: m.ns().to_owned(),
            name: m.name.clone(),
            uid: m.uid().to_owned(),
        }
    }
}

/// `group/version`, or `version` for the core group.
pub fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") }
}

/// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (`""`, `v1`).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// URL path of a collection: `/api/v1/...` for the core group, `/apis/<group>/<version>/...`.
pub fn list_path(group: &str, version: &str, plural: &str, namespace: Option<&str>) -> String {
    let root = if group.is_empty() { format!("/api/{version}") } else { format!("/apis/{group}/{version}") };
    match namespace {
        Some(ns) if !ns.is_empty() => format!("{root}/namespaces/{ns}/{plural}"),
        _ => format!("{root}/{plural}"),
    }
}

/// Declares a `Resource` impl for a kind struct with a `metadata` field.
macro_rules! resource {
    ($ty:ty, group = $g:expr, version = $v:expr, kind = $k:expr, plural = $p:expr, namespaced = $n:expr) => {
        impl crate::meta::Resource for $ty {
            const GROUP: &'static str = $g;
            const VERSION: &'static str = $v;
            const KIND: &'static str = $k;
            const PLURAL: &'static str = $p;
            const NAMESPACED: bool = $n;
            fn meta(&self) -> &crate::meta::ObjectMeta {
                &self.metadata
            }
        }
    };
}
pub(crate) use resource;

/// An item of a list that could not be read as an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejected {
    /// Position in `items`.
    pub index: usize,
    /// The item's name when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Why it was rejected.
    pub reason: String,
}

/// A parsed list: the good items and a report of the bad ones.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectList<T> {
    /// Items that were read (odd fields inside them became defaults).
    pub items: Vec<T>,
    /// Items that were dropped, and why.
    pub rejected: Vec<Rejected>,
    /// `metadata.resourceVersion` of the list, for watches.
    pub resource_version: Option<String>,
    /// `metadata.continue`, for paging.
    pub continue_token: Option<String>,
}

impl<T> Default for ObjectList<T> {
    fn default() -> Self {
        ObjectList { items: Vec::new(), rejected: Vec::new(), resource_version: None, continue_token: None }
    }
}

/// Why a list body could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The body is not JSON (or is truncated).
    #[error("list is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

struct ItemSeed<T>(PhantomData<T>);
enum Item<T> {
    Good(T),
    Bad(String),
}

impl<'de, T: Tolerant> de::DeserializeSeed<'de> for ItemSeed<T> {
    type Value = Item<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item<T>, D::Error> {
        match T::read(d)? {
            Some(t) => Ok(Item::Good(t)),
            None => Ok(Item::Bad("item is not an object".to_owned())),
        }
    }
}

struct ItemsVisitor<T>(PhantomData<T>);
impl<'de, T: Tolerant> Visitor<'de> for ItemsVisitor<T> {
    type Value = Vec<Item<T>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(65_536));
        while let Some(item) = seq.next_element_seed(ItemSeed(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

tolerant_struct! {
    struct ListMeta {
        resource_version: Option<String>,
        #[serde(rename = "continue")]
        continue_token: Option<String>,
    }
}

struct ListVisitor<T>(PhantomData<T>);
impl<'de, T: Tolerant> Visitor<'de> for ListVisitor<T> {
    type Value = (Vec<Item<T>>, ListMeta);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes list object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        let mut meta = ListMeta::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "items" => items = map.next_value_seed(ItemsSeed(PhantomData))?,
                "metadata" => {
                    meta = map.next_value_seed(crate::tolerant::Seed::default())?.unwrap_or_default()
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok((items, meta))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        // A bare array of objects is accepted too.
        Ok((ItemsVisitor(PhantomData).visit_seq(seq)?, ListMeta::default()))
    }
}

struct ItemsSeed<T>(PhantomData<T>);
impl<'de, T: Tolerant> de::DeserializeSeed<'de> for ItemsSeed<T> {
    type Value = Vec<Item<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ItemsVisitor(PhantomData))
    }
}

/// Objects that have metadata and can be checked for identity.
pub trait HasMeta {
    /// The metadata.
    fn metadata(&self) -> &ObjectMeta;
}

impl<T: Resource> HasMeta for T {
    fn metadata(&self) -> &ObjectMeta {
        self.meta()
    }
}

fn finish<T: HasMeta>(parsed: (Vec<Item<T>>, ListMeta)) -> ObjectList<T> {
    let (raw, meta) = parsed;
    let mut list = ObjectList {
        items: Vec::with_capacity(raw.len()),
        rejected: Vec::new(),
        resource_version: meta.resource_version,
        continue_token: meta.continue_token,
    };
    for (index, item) in raw.into_iter().enumerate() {
        match item {
            Item::Good(t) if t.metadata().name.is_empty() => list.rejected.push(Rejected {
                index,
                name: None,
                reason: "metadata.name is missing".to_owned(),
            }),
            Item::Good(t) => list.items.push(t),
            Item::Bad(reason) => list.rejected.push(Rejected { index, name: None, reason }),
        }
    }
    list
}

/// Parses a list body (`{"items": [...]}` or a bare array). Items that are not objects or
/// have no name are reported in `rejected`; the others are kept.
pub fn parse_list<T: Tolerant + HasMeta>(json: &str) -> Result<ObjectList<T>, ListError> {
    let mut d = serde_json::Deserializer::from_str(json);
    let parsed = de::Deserializer::deserialize_any(&mut d, ListVisitor::<T>(PhantomData))?;
    d.end()?;
    Ok(finish(parsed))
}

/// Same as [`parse_list`] from an already-parsed JSON value.
pub fn parse_list_value<T: Tolerant + HasMeta>(value: serde_json::Value) -> Result<ObjectList<T>, ListError> {
    let parsed = de::Deserializer::deserialize_any(value, ListVisitor::<T>(PhantomData))?;
    Ok(finish(parsed))
}

/// Parses one object tolerantly; `None` when the body is not a JSON object.
pub fn parse_object<T: Tolerant>(json: &str) -> Result<Option<T>, serde_json::Error> {
    let mut d = serde_json::Deserializer::from_str(json);
    let v = T::read(&mut d)?;
    d.end()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    tolerant_struct! {
        struct Thing {
            metadata: ObjectMeta,
            spec: Option<Labels>,
        }
    }
    resource!(
        Thing,
        group = "example.com",
        version = "v1",
        kind = "Thing",
        plural = "things",
        namespaced = true
    );

    #[test]
    fn list_keeps_good_items_and_reports_bad_ones() {
        let body = r#"{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":"42"},"items":[
            {"metadata":{"name":"a","namespace":"ns","labels":{"x":"1"}}},
            "garbage",
            {"metadata":{"labels":{"x":"2"}}},
            {"metadata":{"name":"b","creationTimestamp":"not a time","generation":"x"},"spec":[1]}
        ]}"#;
        let list: ObjectList<Thing> = parse_list(body).expect("parses");
        assert_eq!(list.items.len(), 2);
        assert_eq!(list.items[0].metadata.name, "a");
        assert_eq!(list.items[1].metadata.name, "b");
        assert_eq!(list.items[1].metadata.creation_timestamp, None);
        assert_eq!(list.resource_version.as_deref(), Some("42"));
        assert_eq!(list.rejected.len(), 2);
        assert_eq!(list.rejected[0].index, 1);
        assert_eq!(list.rejected[1].index, 2);
        assert!(list.rejected[1].reason.contains("name"));
    }

    #[test]
    fn truncated_body_is_an_error() {
        assert!(parse_list::<Thing>(r#"{"items":[{"metadata":{"name":"a"}}"#).is_err());
    }

    #[test]
    fn paths() {
        assert_eq!(Thing::list_path(Some("ns")), "/apis/example.com/v1/namespaces/ns/things");
        assert_eq!(Thing::list_path(None), "/apis/example.com/v1/things");
        assert_eq!(list_path("", "v1", "pods", Some("a")), "/api/v1/namespaces/a/pods");
        assert_eq!(split_api_version("apps/v1"), ("apps", "v1"));
        assert_eq!(split_api_version("v1"), ("", "v1"));
    }

    #[test]
    fn selectors() {
        let labels: Labels =
            [("app".to_owned(), "web".to_owned()), ("gen".to_owned(), "5".to_owned())].into();
        let sel: LabelSelector = serde_json::from_str(
            r#"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"gen","operator":"Gt","values":["2"]},{"key":"tier","operator":"DoesNotExist"}]}"#,
        )
        .expect("ok");
        assert!(sel.matches(&labels));
        let sel: LabelSelector = serde_json::from_str(
            r#"{"matchExpressions":[{"key":"app","operator":"NotIn","values":["web"]}]}"#,
        )
        .expect("ok");
        assert!(!sel.matches(&labels));
        assert!(LabelSelector::default().matches(&labels));
        let parsed = LabelSelector::parse("app=web, gen in (4,5) ,!tier,env!=prod").expect("ok");
        assert_eq!(parsed.match_labels.len(), 1);
        assert_eq!(parsed.match_expressions.len(), 3);
        assert!(parsed.matches(&labels));
        assert!(!LabelSelector::parse("app==db").expect("ok").matches(&labels));
        assert!(LabelSelector::parse("gen").expect("ok").matches(&labels));
        assert!(LabelSelector::parse("").expect("ok").is_empty());
        assert!(LabelSelector::parse("a b c").is_err());
        assert!(LabelSelector::parse("a in (x").is_err());
    }
}
