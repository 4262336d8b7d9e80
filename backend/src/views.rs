//! The real [`Source`]: the served resources, computed from the watch caches with `model`'s joins,
//! filtered per user by [`crate::authz`], plus the journal.

use crate::api::{ApiError, Item, ListQuery, Source};
use crate::authn::UserInfo;
use crate::authz::{Allowed, Authorizer, Kind};
use crate::caches::Caches;
use crate::discovery::{GROUP_VERSION, ResourceInfo};
use crate::external_metrics::LiveValues;
use crate::journal::{Entry, Journal, Query};
use crate::prometheus::Prometheus;
use crate::table::Column;
use serde_json::{Value, json};
use std::sync::Arc;

/// The journal resource.
pub const JOURNAL: ResourceInfo = ResourceInfo {
    name: "journal",
    singular: "journalentry",
    kind: "JournalEntry",
    namespaced: true,
    short_names: &[],
};

/// Core events: who may list them in a namespace may read that namespace's journal.
const EVENTS: Kind = Kind { group: "", resource: "events" };

/// The plural resource of a cluster-scoped kind whose journal entries need a cluster-wide grant.
fn cluster_kind(group: &str, kind: &str) -> Kind {
    match (group, kind) {
        ("karpenter.sh", "NodePool") => Kind { group: "karpenter.sh", resource: "nodepools" },
        ("karpenter.sh", "NodeClaim") => Kind { group: "karpenter.sh", resource: "nodeclaims" },
        ("", "Node") => Kind { group: "", resource: "nodes" },
        // Anything else cluster-scoped: only who may list events everywhere.
        _ => EVENTS,
    }
}

/// Served resources and where their data comes from.
pub struct Views {
    caches: Arc<Caches>,
    journal: Journal,
    authorizer: Authorizer,
    live: Arc<LiveValues>,
    prometheus: Option<Prometheus>,
}

impl Views {
    /// Views over `caches`, `journal`, live metric values and (optionally) Prometheus, filtered by `authorizer`.
    pub fn new(
        caches: Arc<Caches>,
        journal: Journal,
        authorizer: Authorizer,
        live: Arc<LiveValues>,
        prometheus: Option<Prometheus>,
    ) -> Self {
        Self { caches, journal, authorizer, live, prometheus }
    }

    async fn journal(
        &self,
        user: &UserInfo,
        namespace: Option<&str>,
        q: &ListQuery,
    ) -> Result<Vec<Item>, ApiError> {
        let query = Query {
            since_ms: time_param(q, "since")?,
            until_ms: time_param(q, "until")?,
            namespace: namespace.map(str::to_owned),
            limit: q.get("limit").and_then(|l| l.parse().ok()).filter(|l| *l > 0).unwrap_or(1000).min(10_000),
        };
        let entries = self.journal.run(move |j| j.query(&query)).await.map_err(|e| {
            tracing::error!(error = %e, "journal query failed");
            ApiError::unavailable(format!("journal unavailable: {e}"))
        })?;
        let namespaces: Vec<&str> = entries.iter().map(|e| e.namespace.as_str()).collect();
        let events = self.authorizer.list_scope(user, EVENTS, namespaces).await.map_err(authz_failed)?;
        let mut cluster: std::collections::BTreeMap<Kind, bool> = Default::default();
        for e in entries.iter().filter(|e| e.namespace.is_empty()) {
            let k = cluster_kind(&e.object_group, &e.object_kind);
            if let std::collections::btree_map::Entry::Vacant(slot) = cluster.entry(k) {
                slot.insert(self.authorizer.allowed(user, "list", k, "").await.map_err(authz_failed)?);
            }
        }
        Ok(entries
            .into_iter()
            .filter(|e| {
                if e.namespace.is_empty() {
                    cluster.get(&cluster_kind(&e.object_group, &e.object_kind)).copied().unwrap_or(false)
                } else {
                    events.permits(&e.namespace)
                }
            })
            .map(journal_item)
            .collect())
    }
}

fn authz_failed(e: crate::authz::AuthzError) -> ApiError {
    tracing::error!(error = %e, "authorization failed");
    ApiError::unavailable(format!("authorization unavailable: {e}"))
}

/// `since`/`until`: RFC 3339 (`2026-11-30T05:00:00Z`) or a duration before now (`1h`, `7d`).
fn time_param(q: &ListQuery, key: &str) -> Result<Option<i64>, ApiError> {
    let Some(raw) = q.get(key).filter(|s| !s.is_empty()) else { return Ok(None) };
    if let Ok(t) = raw.parse::<jiff::Timestamp>() {
        return Ok(Some(t.as_millisecond()));
    }
    if let Ok(d) = humantime::parse_duration(raw) {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        return Ok(Some(jiff::Timestamp::now().as_millisecond().saturating_sub(ms)));
    }
    Err(ApiError::bad_request(format!("{key}={raw:?}: expected RFC 3339 time or a duration like 1h")))
}

fn millis_rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default()
}

fn journal_item(e: Entry) -> Item {
    let name = e.uid.replace('/', ".");
    let last = millis_rfc3339(e.last_ms);
    let object = format!("{}/{}", e.object_kind, e.object_name);
    let cells = vec![
        json!(name),
        json!(last),
        json!(e.r#type),
        json!(e.reason),
        json!(object),
        json!(e.count),
        json!(e.message),
    ];
    let mut v = serde_json::to_value(&e).unwrap_or_else(|_| json!({}));
    if let Some(o) = v.as_object_mut() {
        o.insert("apiVersion".into(), GROUP_VERSION.into());
        o.insert("kind".into(), JOURNAL.kind.into());
        o.insert("metadata".into(), json!({ "name": name, "namespace": e.namespace }));
        o.insert("firstTime".into(), millis_rfc3339(e.first_ms).into());
        o.insert("lastTime".into(), last.into());
    }
    Item { object: v, cells }
}

fn col(name: &str, type_: &str, description: &str, priority: i32) -> Column {
    Column {
        name: name.to_owned(),
        type_: type_.to_owned(),
        format: if name == "Name" { "name".to_owned() } else { String::new() },
        description: description.to_owned(),
        priority,
    }
}

#[async_trait::async_trait]
impl Source for Views {
    fn resources(&self) -> Vec<ResourceInfo> {
        vec![JOURNAL]
    }

    fn columns(&self, resource: &str) -> Vec<Column> {
        match resource {
            "journal" => vec![
                col("Name", "string", "Entry key", 0),
                col("Last Seen", "date", "When it last happened", 0),
                col("Type", "string", "Normal/Warning, or the condition status", 0),
                col("Reason", "string", "Event reason or condition type", 0),
                col("Object", "string", "What it is about", 0),
                col("Count", "integer", "How many times", 1),
                col("Message", "string", "Message", 0),
            ],
            _ => vec![col("Name", "string", "Name", 0)],
        }
    }

    fn ready(&self) -> Result<(), String> {
        if self.caches.synced() {
            return Ok(());
        }
        let waiting: Vec<String> = self
            .caches
            .states()
            .into_iter()
            .filter(|(_, s)| *s == crate::watch::WatchState::Listing)
            .map(|(k, _)| k)
            .collect();
        Err(if waiting.is_empty() { "API discovery".to_owned() } else { waiting.join(", ") })
    }

    async fn list(
        &self,
        resource: &ResourceInfo,
        user: &UserInfo,
        namespace: Option<&str>,
        query: &ListQuery,
    ) -> Result<Vec<Item>, ApiError> {
        match resource.name {
            "journal" => self.journal(user, namespace, query).await,
            other => Err(ApiError::not_found(format!("{other} is not served yet"))),
        }
    }
}

/// Keeps only the items whose namespace `allowed` permits.
pub fn filter_items(items: Vec<Item>, allowed: &Allowed) -> Vec<Item> {
    items
        .into_iter()
        .filter(|i| {
            allowed.permits(i.object.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or(""))
        })
        .collect()
}
