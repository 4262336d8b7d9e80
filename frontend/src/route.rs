//! Every view has a URL. `js/routes.json` is the table Headlamp registers (the plugin entry reads
//! it before the wasm loads); [`Route`] is the same table as a Rust type, and a test keeps the two
//! equal.

use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// A view of the plugin and its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The landing page: scalers by state, NodePools vs limits, pending pods, blocked scale-outs,
    /// recent scaling.
    Overview,
    /// The plugin settings (mounted on Headlamp's plugin settings page, not registered as a route).
    Settings,
    /// All ScaledObjects the user may list.
    ScaledObjects,
    /// One ScaledObject.
    ScaledObject {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// All NodePools.
    NodePools,
    /// One NodePool.
    NodePool {
        /// Its name.
        name: String,
    },
    /// All NodeClaims.
    NodeClaims,
    /// One NodeClaim.
    NodeClaim {
        /// Its name.
        name: String,
    },
    /// NodeClasses of every provider.
    NodeClasses,
    /// One NodeClass.
    NodeClass {
        /// API group (`karpenter.k8s.aws`, `karpenter.kwok.sh`, ...).
        group: String,
        /// Kind (`EC2NodeClass`, `KWOKNodeClass`, ...).
        kind: String,
        /// Its name.
        name: String,
    },
    /// Nodes with requests vs allocatable, price, NodePool (eks-node-viewer parity).
    Nodes,
    /// Pending pods and blocked scale-outs.
    Pending,
    /// Scaling chains of every ScaledObject.
    Chains,
    /// The chain of one ScaledObject.
    Chain {
        /// Namespace of the ScaledObject.
        namespace: String,
        /// Name of the ScaledObject.
        name: String,
    },
    /// Cold-start timelines of every activation.
    ColdStarts,
    /// One cold start.
    ColdStart {
        /// Namespace of the ScaledObject.
        namespace: String,
        /// `<scaledobject>-<activation unix seconds>`.
        name: String,
    },
    /// All ScaledJobs.
    ScaledJobs,
    /// One ScaledJob.
    ScaledJob {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// TriggerAuthentications and ClusterTriggerAuthentications.
    TriggerAuthentications,
    /// One TriggerAuthentication.
    TriggerAuthentication {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// One ClusterTriggerAuthentication.
    ClusterTriggerAuthentication {
        /// Its name.
        name: String,
    },
    /// CloudEventSources and ClusterCloudEventSources.
    CloudEventSources,
    /// One CloudEventSource.
    CloudEventSource {
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// One ClusterCloudEventSource.
    ClusterCloudEventSource {
        /// Its name.
        name: String,
    },
    /// Section on Headlamp's Deployment / StatefulSet page: which ScaledObject scales it, its chain.
    SectionWorkload {
        /// `Deployment`, `StatefulSet`.
        kind: String,
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// Section on Headlamp's HPA page: the ScaledObject that owns it.
    SectionHpa {
        /// Namespace.
        namespace: String,
        /// Name of the HPA.
        name: String,
        /// Name of the owning ScaledObject (from the HPA's owner references; empty: none).
        owner: String,
    },
    /// Section on Headlamp's Pod page: why it is pending, or which NodeClaim/NodePool runs it.
    SectionPod {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// `spec.nodeName` (empty: not scheduled).
        node: String,
        /// `true` when the pod has `karpenter.sh/do-not-disrupt: "true"`.
        protected: bool,
    },
    /// Section on Headlamp's Node page: NodeClaim, NodePool, capacity type, price, disruption.
    SectionNode {
        /// Node name.
        name: String,
    },
    /// A page of Headlamp itself (Pod, Deployment, Secret, custom resource, ...): only linked to,
    /// never mounted by this plugin. Build it with [`Route::headlamp`] or [`Route::custom_resource`].
    Headlamp {
        /// Headlamp's route name (`Pod`, `Deployment`, `secret`, `customresource`, ...).
        route: &'static str,
        /// Its URL parameters.
        params: Vec<(&'static str, String)>,
    },
}

/// A route the host asked for that this build does not know (a newer entry, an older wasm).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRoute(pub String);

impl Route {
    /// Route names, in the order of `js/routes.json`.
    pub const NAMES: &'static [&'static str] = &[
        "autoscaling-scaledobjects",
        "autoscaling-scaledobject",
        "autoscaling-nodepools",
        "autoscaling-nodepool",
        "autoscaling-nodeclaims",
        "autoscaling-nodeclaim",
        "autoscaling-nodeclasses",
        "autoscaling-nodeclass",
        "autoscaling-nodes",
        "autoscaling-pending",
        "autoscaling-chains",
        "autoscaling-chain",
        "autoscaling-coldstarts",
        "autoscaling-coldstart",
        "autoscaling-scaledjobs",
        "autoscaling-scaledjob",
        "autoscaling-triggerauthentications",
        "autoscaling-triggerauthentication",
        "autoscaling-clustertriggerauthentication",
        "autoscaling-cloudeventsources",
        "autoscaling-cloudeventsource",
        "autoscaling-clustercloudeventsource",
        "autoscaling-overview",
    ];

    /// The route's name as registered with Headlamp (`registerRoute({name})`).
    pub fn name(&self) -> &'static str {
        match self {
            Route::Overview => "autoscaling-overview",
            Route::Settings => "plugin-settings",
            Route::ScaledObjects => Self::NAMES[0],
            Route::ScaledObject { .. } => Self::NAMES[1],
            Route::NodePools => "autoscaling-nodepools",
            Route::NodePool { .. } => "autoscaling-nodepool",
            Route::NodeClaims => "autoscaling-nodeclaims",
            Route::NodeClaim { .. } => "autoscaling-nodeclaim",
            Route::NodeClasses => "autoscaling-nodeclasses",
            Route::NodeClass { .. } => "autoscaling-nodeclass",
            Route::Nodes => "autoscaling-nodes",
            Route::Pending => "autoscaling-pending",
            Route::Chains => "autoscaling-chains",
            Route::Chain { .. } => "autoscaling-chain",
            Route::ColdStarts => "autoscaling-coldstarts",
            Route::ColdStart { .. } => "autoscaling-coldstart",
            Route::ScaledJobs => "autoscaling-scaledjobs",
            Route::ScaledJob { .. } => "autoscaling-scaledjob",
            Route::TriggerAuthentications => "autoscaling-triggerauthentications",
            Route::TriggerAuthentication { .. } => "autoscaling-triggerauthentication",
            Route::ClusterTriggerAuthentication { .. } => "autoscaling-clustertriggerauthentication",
            Route::CloudEventSources => "autoscaling-cloudeventsources",
            Route::CloudEventSource { .. } => "autoscaling-cloudeventsource",
            Route::ClusterCloudEventSource { .. } => "autoscaling-clustercloudeventsource",
            Route::SectionWorkload { .. } => "section-workload",
            Route::SectionHpa { .. } => "section-hpa",
            Route::SectionPod { .. } => "section-pod",
            Route::SectionNode { .. } => "section-node",
            Route::Headlamp { route, .. } => route,
        }
    }

    /// The URL parameters Headlamp fills into the route's path.
    pub fn params(&self) -> BTreeMap<&'static str, String> {
        match self {
            Route::Overview | Route::Settings => BTreeMap::new(),
            Route::ScaledObjects => BTreeMap::new(),
            Route::ScaledObject { namespace, name } => {
                BTreeMap::from([("namespace", namespace.clone()), ("name", name.clone())])
            }
            Route::NodePools | Route::NodeClaims | Route::NodeClasses | Route::Nodes | Route::Pending => {
                BTreeMap::new()
            }
            Route::Chains | Route::ColdStarts => BTreeMap::new(),
            Route::NodePool { name } | Route::NodeClaim { name } => BTreeMap::from([("name", name.clone())]),
            Route::NodeClass { group, kind, name } => {
                BTreeMap::from([("group", group.clone()), ("kind", kind.clone()), ("name", name.clone())])
            }
            Route::Chain { namespace, name } | Route::ColdStart { namespace, name } => {
                BTreeMap::from([("namespace", namespace.clone()), ("name", name.clone())])
            }
            Route::ScaledJobs | Route::TriggerAuthentications | Route::CloudEventSources => BTreeMap::new(),
            Route::ScaledJob { namespace, name }
            | Route::TriggerAuthentication { namespace, name }
            | Route::CloudEventSource { namespace, name } => {
                BTreeMap::from([("namespace", namespace.clone()), ("name", name.clone())])
            }
            Route::ClusterTriggerAuthentication { name } | Route::ClusterCloudEventSource { name } => {
                BTreeMap::from([("name", name.clone())])
            }
            Route::SectionWorkload { kind, namespace, name } => BTreeMap::from([
                ("kind", kind.clone()),
                ("namespace", namespace.clone()),
                ("name", name.clone()),
            ]),
            Route::SectionHpa { namespace, name, owner } => BTreeMap::from([
                ("namespace", namespace.clone()),
                ("name", name.clone()),
                ("owner", owner.clone()),
            ]),
            Route::SectionPod { namespace, name, node, protected } => BTreeMap::from([
                ("namespace", namespace.clone()),
                ("name", name.clone()),
                ("node", node.clone()),
                ("protected", protected.to_string()),
            ]),
            Route::SectionNode { name } => BTreeMap::from([("name", name.clone())]),
            Route::Headlamp { params, .. } => params.iter().cloned().collect(),
        }
    }

    /// Headlamp's own details page of a built-in kind, or `None` when Headlamp has none for it
    /// (then link a custom resource with [`Route::custom_resource`]). Route names are Headlamp's
    /// (`@kinvolk/headlamp-plugin` lib/router), which mix cases.
    pub fn headlamp(kind: &str, namespace: Option<&str>, name: &str) -> Option<Route> {
        let route = match kind {
            "Pod" => "Pod",
            "Deployment" => "Deployment",
            "StatefulSet" => "StatefulSet",
            "DaemonSet" => "DaemonSet",
            "ReplicaSet" => "ReplicaSet",
            "Job" => "Job",
            "CronJob" => "CronJob",
            "HorizontalPodAutoscaler" => "horizontalPodAutoscaler",
            "Secret" => "secret",
            "ConfigMap" => "configMap",
            "ServiceAccount" => "serviceAccount",
            "Service" => "service",
            "Node" => "node",
            "Namespace" => "namespace",
            _ => return None,
        };
        let mut params = vec![("name", name.to_owned())];
        if let Some(ns) = namespace.filter(|ns| !ns.is_empty()) {
            params.push(("namespace", ns.to_owned()));
        }
        Some(Route::Headlamp { route, params })
    }

    /// Headlamp's generic page of a custom resource: `crd` is `<plural>.<group>`
    /// (`rollouts.argoproj.io`). Cluster-scoped resources are not routable there.
    pub fn custom_resource(crd: &str, namespace: &str, name: &str) -> Route {
        Route::Headlamp {
            route: "customresource",
            params: vec![
                ("crd", crd.to_owned()),
                ("namespace", namespace.to_owned()),
                ("crName", name.to_owned()),
            ],
        }
    }

    /// Builds a route from its registered name and the URL parameters React Router matched.
    pub fn from_name(name: &str, params: &BTreeMap<String, String>) -> Result<Self, UnknownRoute> {
        let param = |key: &str| params.get(key).cloned().unwrap_or_default();
        match name {
            "autoscaling-overview" => Ok(Route::Overview),
            // Mounted by registry.js on Headlamp's plugin settings page, not registered as a route.
            "plugin-settings" => Ok(Route::Settings),
            "autoscaling-scaledobjects" => Ok(Route::ScaledObjects),
            "autoscaling-scaledobject" => {
                Ok(Route::ScaledObject { namespace: param("namespace"), name: param("name") })
            }
            "autoscaling-nodepools" => Ok(Route::NodePools),
            "autoscaling-nodepool" => Ok(Route::NodePool { name: param("name") }),
            "autoscaling-nodeclaims" => Ok(Route::NodeClaims),
            "autoscaling-nodeclaim" => Ok(Route::NodeClaim { name: param("name") }),
            "autoscaling-nodeclasses" => Ok(Route::NodeClasses),
            "autoscaling-nodeclass" => {
                Ok(Route::NodeClass { group: param("group"), kind: param("kind"), name: param("name") })
            }
            "autoscaling-nodes" => Ok(Route::Nodes),
            "autoscaling-pending" => Ok(Route::Pending),
            "autoscaling-chains" => Ok(Route::Chains),
            "autoscaling-chain" => Ok(Route::Chain { namespace: param("namespace"), name: param("name") }),
            "autoscaling-coldstarts" => Ok(Route::ColdStarts),
            "autoscaling-coldstart" => {
                Ok(Route::ColdStart { namespace: param("namespace"), name: param("name") })
            }
            "autoscaling-scaledjobs" => Ok(Route::ScaledJobs),
            "autoscaling-scaledjob" => {
                Ok(Route::ScaledJob { namespace: param("namespace"), name: param("name") })
            }
            "autoscaling-triggerauthentications" => Ok(Route::TriggerAuthentications),
            "autoscaling-triggerauthentication" => {
                Ok(Route::TriggerAuthentication { namespace: param("namespace"), name: param("name") })
            }
            "autoscaling-clustertriggerauthentication" => {
                Ok(Route::ClusterTriggerAuthentication { name: param("name") })
            }
            "autoscaling-cloudeventsources" => Ok(Route::CloudEventSources),
            "autoscaling-cloudeventsource" => {
                Ok(Route::CloudEventSource { namespace: param("namespace"), name: param("name") })
            }
            "autoscaling-clustercloudeventsource" => {
                Ok(Route::ClusterCloudEventSource { name: param("name") })
            }
            // Sections on Headlamp's own pages: mounted by registry.js, not registered as routes.
            "section-workload" => Ok(Route::SectionWorkload {
                kind: param("kind"),
                namespace: param("namespace"),
                name: param("name"),
            }),
            "section-hpa" => Ok(Route::SectionHpa {
                namespace: param("namespace"),
                name: param("name"),
                owner: param("owner"),
            }),
            "section-pod" => Ok(Route::SectionPod {
                namespace: param("namespace"),
                name: param("name"),
                node: param("node"),
                protected: param("protected") == "true",
            }),
            "section-node" => Ok(Route::SectionNode { name: param("name") }),
            other => Err(UnknownRoute(other.to_owned())),
        }
    }
}

/// Turns routes into links and navigates, through the host's router (Headlamp's React Router:
/// a hash URL on desktop, the base URL on the web). Equal when it is the same host.
#[derive(Clone)]
pub struct Navigator {
    href: Rc<js_sys::Function>,
    navigate: Rc<js_sys::Function>,
    cluster: Rc<str>,
}

impl PartialEq for Navigator {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.href, &other.href)
            && Rc::ptr_eq(&self.navigate, &other.navigate)
            && self.cluster == other.cluster
    }
}

impl Navigator {
    /// Wraps the host's `href(json)` and `navigate(json)` for routes of `cluster`.
    pub fn new(href: js_sys::Function, navigate: js_sys::Function, cluster: &str) -> Self {
        Navigator { href: Rc::new(href), navigate: Rc::new(navigate), cluster: cluster.into() }
    }

    /// The same host for another cluster.
    pub fn for_cluster(&self, cluster: &str) -> Self {
        Navigator { cluster: cluster.into(), ..self.clone() }
    }

    fn target(&self, route: &Route) -> JsValue {
        let mut params: BTreeMap<&str, String> = route.params();
        params.insert("cluster", self.cluster.to_string());
        let json = serde_json::json!({ "route": route.name(), "params": params });
        JsValue::from_str(&json.to_string())
    }

    /// The URL of `route`, for `<a href>` (so middle-click and "copy link" work).
    pub fn href(&self, route: &Route) -> String {
        self.href
            .call1(&JsValue::NULL, &self.target(route))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// Goes to `route` inside Headlamp without reloading the page.
    pub fn go(&self, route: &Route) {
        // A failing router call leaves the user on the current page, which is all we could do anyway.
        let _ = self.navigate.call1(&JsValue::NULL, &self.target(route));
    }

    /// The URL of `route` with a query (`state=erroring`): links that open a list pre-filtered.
    pub fn href_with(&self, route: &Route, query: &[(&str, &str)]) -> String {
        self.href
            .call1(&JsValue::NULL, &with_search(self.target(route), query))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// Goes to `route` with a query.
    pub fn go_with(&self, route: &Route, query: &[(&str, &str)]) {
        let _ = self.navigate.call1(&JsValue::NULL, &with_search(self.target(route), query));
    }
}

/// Adds `search` (`?k=v&...`, URL-encoded) to a navigation target.
fn with_search(target: JsValue, query: &[(&str, &str)]) -> JsValue {
    let Some(mut json) = target.as_string().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return target;
    };
    let search: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                String::from(js_sys::encode_uri_component(k)),
                String::from(js_sys::encode_uri_component(v))
            )
        })
        .collect();
    if let Some(o) = json.as_object_mut() {
        o.insert("search".to_owned(), serde_json::Value::from(format!("?{}", search.join("&"))));
    }
    JsValue::from_str(&json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Entry {
        name: String,
        params: Vec<String>,
    }

    fn table() -> Vec<Entry> {
        serde_json::from_str(include_str!("../js/routes.json")).expect("js/routes.json is valid")
    }

    #[test]
    fn route_table_and_enum_agree() {
        let names: Vec<String> = table().into_iter().map(|e| e.name).collect();
        assert_eq!(names, Route::NAMES);
    }

    #[test]
    fn every_route_round_trips_through_its_name_and_params() {
        for entry in table() {
            let params: BTreeMap<String, String> =
                entry.params.iter().map(|p| (p.clone(), format!("value-of-{p}"))).collect();
            let route = Route::from_name(&entry.name, &params).expect("known route");
            assert_eq!(route.name(), entry.name);
            let back: Vec<&str> = route.params().keys().copied().collect();
            let mut declared: Vec<&str> = entry.params.iter().map(String::as_str).collect();
            declared.sort_unstable();
            assert_eq!(back, declared, "params of {}", entry.name);
            for (k, v) in route.params() {
                assert_eq!(v, format!("value-of-{k}"));
            }
        }
    }

    #[test]
    fn headlamp_routes_use_headlamps_names_and_params() {
        let r = Route::headlamp("Secret", Some("team-a"), "redis").expect("secrets have a page");
        assert_eq!(r.name(), "secret");
        assert_eq!(r.params(), BTreeMap::from([("name", "redis".into()), ("namespace", "team-a".into())]));
        let node = Route::headlamp("Node", None, "n1").expect("nodes have a page");
        assert_eq!(node.params(), BTreeMap::from([("name", "n1".into())]));
        assert_eq!(Route::headlamp("Rollout", Some("a"), "b"), None);
        let cr = Route::custom_resource("rollouts.argoproj.io", "a", "b");
        assert_eq!(cr.name(), "customresource");
        assert_eq!(cr.params()["crName"], "b");
    }

    #[test]
    fn unknown_route_is_reported_not_guessed() {
        assert_eq!(Route::from_name("nope", &BTreeMap::new()), Err(UnknownRoute("nope".into())));
    }
}
