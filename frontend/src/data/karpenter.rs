//! What the Karpenter, node, pending-pod, chain and cold-start views read: the served views
//! (server, or the same `model` joins in the browser), the raw objects the server does not serve
//! (NodeClasses of every provider, a NodePool's or NodeClaim's spec) and the events of one object,
//! found by its uid (never "all Karpenter events").

use super::error::{Attempt, classify};
use super::{Answer, Data, DataError, Gap, Part, Within, component_of};
use model::chain::{Chain, chains};
use model::cold_start::{Timeline, timelines};
use model::k8s::{Event, HorizontalPodAutoscaler, Node};
use model::karpenter::NodeClaim;
use model::keda::ScaledObject;
use model::meta::parse_list;
use model::node::{NodeView, node_views};
use model::nodeclaim::{NodeClaimView, node_claim_views};
use model::nodeclass::{
    AnyNodeClass, KNOWN_NODE_CLASSES, MissingNodeClass, NodeClassView, missing_node_classes, node_class_views,
};
use model::nodepool::{NodePoolView, node_pool_views};
use model::paths::encode;
use model::pending::{PendingPod, pending_pods};
use model::snapshot::Index;

/// One NodeClass kind the cluster may serve: where to list it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ClassKind {
    group: String,
    version: String,
    kind: String,
    plural: String,
}

impl ClassKind {
    fn path(&self) -> String {
        format!("/apis/{}/{}/{}", self.group, self.version, self.plural)
    }
}

/// The NodeClasses found (refused providers are the answer's gaps).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeClasses {
    /// Every NodeClass of every provider, sorted by kind and name.
    pub items: Vec<AnyNodeClass>,
    /// The same, with the NodePools, NodeClaims and nodes using each (model's join), same order.
    pub views: Vec<NodeClassView>,
    /// NodePools whose NodeClass does not exist.
    pub missing: Vec<MissingNodeClass>,
}

impl Data {
    /// Every NodePool: usage vs limits, members, disruption settings, cost.
    pub async fn node_pools(&self) -> Result<Answer<Vec<NodePoolView>>, DataError> {
        self.view(Within::All, node_pool_views).await
    }

    /// One NodePool's view.
    pub async fn node_pool(&self, name: &str) -> Result<Answer<NodePoolView>, DataError> {
        self.view_one(None, name, node_pool_views).await
    }

    /// Every NodeClaim: lifecycle, node, NodePool, instance and capacity type, zone.
    pub async fn node_claims(&self) -> Result<Answer<Vec<NodeClaimView>>, DataError> {
        self.view(Within::All, node_claim_views).await
    }

    /// One NodeClaim's view.
    pub async fn node_claim(&self, name: &str) -> Result<Answer<NodeClaimView>, DataError> {
        self.view_one(None, name, node_claim_views).await
    }

    /// One NodeClaim as written (requirements, taints, image).
    pub async fn node_claim_object(&self, name: &str) -> Result<NodeClaim, DataError> {
        self.object::<NodeClaim>("", name).await
    }

    /// Every node with requests vs allocatable, pods, price, NodePool and NodeClaim.
    pub async fn nodes(&self) -> Result<Answer<Vec<NodeView>>, DataError> {
        self.view(Within::All, node_views).await
    }

    /// One node's view.
    pub async fn node(&self, name: &str) -> Result<Answer<NodeView>, DataError> {
        self.view_one(None, name, node_views).await
    }

    /// Pending pods with the reasons parsed from scheduler and Karpenter events.
    pub async fn pending_pods(&self) -> Result<Answer<Vec<PendingPod>>, DataError> {
        self.view(Within::All, pending_pods).await
    }

    /// One pending pod (`NotFound` when it is not pending).
    pub async fn pending_pod(&self, namespace: &str, name: &str) -> Result<Answer<PendingPod>, DataError> {
        self.view_one(Some(namespace), name, pending_pods).await
    }

    /// The scaling chain of every ScaledObject.
    pub async fn chains(&self) -> Result<Answer<Vec<Chain>>, DataError> {
        self.view(Within::All, chains).await
    }

    /// The chains of one namespace (sections on Headlamp's workload pages).
    pub async fn chains_in(&self, namespace: &str) -> Result<Answer<Vec<Chain>>, DataError> {
        self.view(Within::Namespace(namespace.to_owned()), chains).await
    }

    /// The chain of one ScaledObject.
    pub async fn chain(&self, namespace: &str, name: &str) -> Result<Answer<Chain>, DataError> {
        self.view_one(Some(namespace), name, chains).await
    }

    /// Cold-start timelines of every activation, newest first.
    pub async fn timelines(&self) -> Result<Answer<Vec<Timeline>>, DataError> {
        self.view(Within::All, timelines).await
    }

    /// One cold-start timeline (`<scaledobject>-<activation unix seconds>`).
    pub async fn timeline(&self, namespace: &str, name: &str) -> Result<Answer<Timeline>, DataError> {
        self.view_one(Some(namespace), name, timelines).await
    }

    /// Events about exactly one object, by its uid, oldest first. Events of cluster-scoped
    /// objects live in `default`; when the cluster-wide list is refused that namespace is read.
    pub async fn events_of(&self, namespace: Option<&str>, uid: &str) -> Result<Vec<Event>, DataError> {
        if uid.is_empty() {
            return Ok(Vec::new());
        }
        let selector = format!("?fieldSelector=involvedObject.uid%3D{}", encode(uid));
        let first = match namespace {
            Some(ns) => format!("/api/v1/namespaces/{}/events{selector}", encode(ns)),
            None => format!("/api/v1/events{selector}"),
        };
        let mut events = match self.events_at(&first).await {
            Err(DataError::NoPermission { .. }) if namespace.is_none() => {
                self.events_at(&format!("/api/v1/namespaces/default/events{selector}")).await?
            }
            other => other?,
        };
        // The field selector already filters; this guards against a server that ignores it.
        events.retain(|e| e.subject().uid.as_deref() == Some(uid));
        events.sort_by_key(|e| e.last_seen());
        Ok(events)
    }

    async fn events_at(&self, path: &str) -> Result<Vec<Event>, DataError> {
        let response = self.request("GET", path, None).await?;
        if !(200..300).contains(&response.status) {
            let attempt = Attempt { path, action: "list Events", installs: None, what: "Events" };
            return Err(classify(&response, &attempt));
        }
        let list = parse_list::<Event>(&response.body)
            .map_err(|e| DataError::Malformed { path: path.to_owned(), error: e.to_string() })?;
        Ok(list.items)
    }

    /// NodeClasses of every provider: EC2NodeClass, EKS Auto Mode NodeClass, AKSNodeClass,
    /// KWOKNodeClass, and any other kind a NodePool refers to (read generically, found through
    /// discovery). Providers not installed are skipped; refused ones are reported as gaps.
    pub async fn node_classes(&self) -> Result<Answer<NodeClasses>, DataError> {
        let parts = [Part::NodeClasses, Part::NodePools, Part::NodeClaims, Part::Nodes];
        let fetched = self.snapshot(&parts, &Within::All).await?;
        let mut gaps = fetched.gaps.clone();
        if let Some(e) = fetched.value.error(Part::NodeClasses) {
            return Err(e.clone());
        }
        let mut out = NodeClasses::default();
        for list in &fetched.value.node_classes {
            out.items.extend(list.items.iter().cloned());
        }
        let mut kinds: Vec<ClassKind> = KNOWN_NODE_CLASSES
            .iter()
            .map(|(g, v, k, p)| ClassKind {
                group: (*g).into(),
                version: (*v).into(),
                kind: (*k).into(),
                plural: (*p).into(),
            })
            .collect();
        // Kinds the NodePools refer to that we do not know (another provider, another version).
        let mut tried: Vec<(String, String)> = Vec::new();
        for pool in fetched.value.node_pools.items.iter() {
            let Some(r) = &pool.spec.template.spec.node_class_ref else { continue };
            let (Some(group), Some(kind)) = (r.group.as_deref(), r.kind.as_deref()) else { continue };
            let listed = out.items.iter().any(|c| c.group() == group && c.kind() == kind);
            let pair = (group.to_owned(), kind.to_owned());
            if listed || tried.contains(&pair) {
                continue;
            }
            tried.push(pair);
            let Some(k) = self.discover_kind(group, kind).await else { continue };
            if kinds.iter().any(|x| x == &k) {
                continue;
            }
            match self.list_classes(&k).await {
                Ok(items) => out.items.extend(items),
                Err(error) => gaps.push(Gap::Missing { what: format!("{}s ({})", k.kind, k.group), error }),
            }
            kinds.push(k);
        }
        out.items.sort_by(|a, b| (a.kind(), &a.meta().name).cmp(&(b.kind(), &b.meta().name)));
        out.items.dedup_by(|a, b| {
            a.group() == b.group() && a.kind() == b.kind() && a.meta().name == b.meta().name
        });
        // The join runs over every class found, those read through discovery included.
        let (views, missing) = {
            let mut snap = fetched.value.snapshot();
            snap.node_classes = out.items.iter().collect();
            let ix = Index::new(&snap);
            (node_class_views(&ix), missing_node_classes(&ix))
        };
        out.views = views;
        out.missing = missing;
        // Same order as the views (kind, then name).
        out.items.sort_by_key(|c| (c.kind().to_owned(), c.meta().name.clone()));
        Ok(Answer { value: out, origin: fetched.origin.clone(), gaps })
    }

    /// One NodeClass by group, kind and name, with what uses it.
    pub async fn node_class(
        &self,
        group: &str,
        kind: &str,
        name: &str,
    ) -> Result<Answer<(AnyNodeClass, Option<NodeClassView>)>, DataError> {
        let all = self.node_classes().await?;
        let found = all
            .value
            .items
            .iter()
            .find(|c| c.group() == group && c.kind() == kind && c.meta().name == name)
            .cloned();
        let view =
            all.value.views.iter().find(|v| v.group == group && v.kind == kind && v.name == name).cloned();
        match found {
            Some(c) => Ok(Answer { value: (c, view), origin: all.origin, gaps: all.gaps }),
            None => {
                let refused = all.gaps.iter().find_map(|g| match g {
                    Gap::Missing { what, error } if what.contains(group) => Some(error.clone()),
                    _ => None,
                });
                Err(refused.unwrap_or(DataError::NotFound { what: format!("{kind} {name} ({group})") }))
            }
        }
    }

    async fn list_classes(&self, k: &ClassKind) -> Result<Vec<AnyNodeClass>, DataError> {
        let path = k.path();
        let response = self.request("GET", &path, None).await?;
        if !(200..300).contains(&response.status) {
            let action = format!("list {}s ({}/{})", k.kind, k.group, k.version);
            let attempt = Attempt {
                path: &path,
                action: &action,
                installs: Some(component_of(&k.group)),
                what: &k.kind,
            };
            return Err(classify(&response, &attempt));
        }
        let list = parse_list::<AnyNodeClass>(&response.body)
            .map_err(|e| DataError::Malformed { path: path.clone(), error: e.to_string() })?;
        Ok(list.items)
    }

    /// Finds version and plural of `group`/`kind` through discovery (preferred version first).
    async fn discover_kind(&self, group: &str, kind: &str) -> Option<ClassKind> {
        #[derive(serde::Deserialize)]
        struct GroupDoc {
            #[serde(default)]
            versions: Vec<Version>,
            #[serde(rename = "preferredVersion")]
            preferred: Option<Version>,
        }
        #[derive(serde::Deserialize)]
        struct Version {
            version: String,
        }
        #[derive(serde::Deserialize)]
        struct Resources {
            #[serde(default)]
            resources: Vec<ApiResource>,
        }
        #[derive(serde::Deserialize)]
        struct ApiResource {
            name: String,
            kind: String,
        }
        if group.is_empty() || group.contains('/') {
            return None;
        }
        let doc = self.request("GET", &format!("/apis/{group}"), None).await.ok()?;
        let doc: GroupDoc = serde_json::from_str(&doc.body).ok()?;
        let mut versions: Vec<String> = doc.preferred.into_iter().map(|v| v.version).collect();
        versions.extend(doc.versions.into_iter().map(|v| v.version));
        versions.dedup();
        for version in versions {
            let Ok(r) = self.request("GET", &format!("/apis/{group}/{version}"), None).await else {
                continue;
            };
            let Ok(res) = serde_json::from_str::<Resources>(&r.body) else { continue };
            if let Some(found) = res.resources.into_iter().find(|x| x.kind == kind && !x.name.contains('/')) {
                return Some(ClassKind {
                    group: group.to_owned(),
                    version,
                    kind: kind.to_owned(),
                    plural: found.name,
                });
            }
        }
        None
    }
}

/// What scales a workload: a KEDA ScaledObject, or a plain HPA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Autoscaler {
    /// `ScaledObject` or `HorizontalPodAutoscaler`.
    pub kind: &'static str,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The workload's kind (`Deployment`, `StatefulSet`, ...).
    pub target_kind: String,
    /// The workload's name.
    pub target_name: String,
}

/// Who scales which workload, from the objects' own `scaleTargetRef`s. HPAs that KEDA created
/// (owned by a ScaledObject) are the ScaledObject's, not a second autoscaler.
pub fn autoscalers(scaled_objects: &[ScaledObject], hpas: &[HorizontalPodAutoscaler]) -> Vec<Autoscaler> {
    let mut out: Vec<Autoscaler> = scaled_objects
        .iter()
        .map(|so| Autoscaler {
            kind: "ScaledObject",
            namespace: so.metadata.ns().to_owned(),
            name: so.metadata.name.clone(),
            target_kind: so.spec.scale_target_ref.kind().to_owned(),
            target_name: so.spec.scale_target_ref.name.clone(),
        })
        .collect();
    for h in hpas {
        if h.metadata.owner_references.iter().any(|o| o.kind == "ScaledObject") {
            continue;
        }
        let t = &h.spec.scale_target_ref;
        out.push(Autoscaler {
            kind: "HorizontalPodAutoscaler",
            namespace: h.metadata.ns().to_owned(),
            name: h.metadata.name.clone(),
            target_kind: t.kind.clone().unwrap_or_default(),
            target_name: t.name.clone(),
        });
    }
    out
}

/// A node's NodePool and price, for the columns on Headlamp's Nodes table.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeColumns {
    /// Node name.
    pub name: String,
    /// `karpenter.sh/nodepool`.
    pub node_pool: Option<String>,
    /// `$/h` from the configured price source.
    pub price: Option<f64>,
}

impl Data {
    /// Autoscalers of every workload, for the "Autoscaler" column of Headlamp's workload tables:
    /// two lists (ScaledObjects, HPAs) per table, never one request per row.
    pub async fn workload_autoscalers(&self) -> Result<Answer<Vec<Autoscaler>>, DataError> {
        let fetched = self.snapshot(&[Part::ScaledObjects, Part::Hpas], &Within::All).await?;
        let f = &fetched.value;
        let value = autoscalers(&f.scaled_objects.items, &f.hpas.items);
        Ok(Answer { value, origin: fetched.origin.clone(), gaps: fetched.gaps.clone() })
    }

    /// NodePool and price of every node, for the columns of Headlamp's Nodes table (one list).
    pub async fn node_columns(&self) -> Result<Answer<Vec<NodeColumns>>, DataError> {
        let nodes = self.objects::<Node>(Within::All).await?;
        let pricing = self.settings().pricing();
        Ok(nodes.map(|l| {
            l.items
                .iter()
                .map(|n| NodeColumns {
                    name: n.metadata.name.clone(),
                    node_pool: n.metadata.label(model::karpenter::labels::NODEPOOL).map(str::to_owned),
                    price: model::cost::price_of(&n.metadata.labels, &pricing).map(|p| p.per_hour),
                })
                .collect()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keda_owned_hpas_are_not_a_second_autoscaler() {
        let so: ScaledObject = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "team-b"},
            "spec": {"scaleTargetRef": {"name": "web"}}
        }))
        .expect("ScaledObject");
        let hpa = |name: &str, owner: Option<&str>| -> HorizontalPodAutoscaler {
            let owners = owner.map(|o| serde_json::json!([{"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "name": o, "uid": "u"}]));
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": name, "namespace": "team-b", "ownerReferences": owners.unwrap_or_default()},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}}
            }))
            .expect("HPA")
        };
        let all = autoscalers(&[so], &[hpa("keda-hpa-web", Some("web")), hpa("api", None)]);
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].kind, all[0].target_kind.as_str(), all[0].target_name.as_str()),
            ("ScaledObject", "Deployment", "web")
        );
        assert_eq!(
            (all[1].kind, all[1].name.as_str(), all[1].target_name.as_str()),
            ("HorizontalPodAutoscaler", "api", "api")
        );
    }

    #[test]
    fn encoding_keeps_names_and_escapes_the_rest() {
        assert_eq!(encode("capped-clq5d"), "capped-clq5d");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
    }
}
