//! Karpenter objects: `karpenter.sh/v1` NodePool and NodeClaim, `karpenter.sh/v1alpha1`
//! NodeOverlay. Field names follow kubernetes-sigs/karpenter `pkg/apis/v1`. Older
//! (`v1beta1`) objects read too: their extra fields are ignored, shared ones are kept.

use crate::k8s::Taint;
use crate::meta::{Condition, Labels, ObjectMeta, condition, condition_status, resource};
use crate::quantity::ResourceList;
use crate::time::Time;
use crate::tolerant::tolerant_struct;

/// Well-known Karpenter labels.
pub mod labels {
    /// NodePool of a Node or NodeClaim.
    pub const NODEPOOL: &str = "karpenter.sh/nodepool";
    /// `spot`, `on-demand`, `reserved`.
    pub const CAPACITY_TYPE: &str = "karpenter.sh/capacity-type";
    /// Set once the node is initialized.
    pub const INITIALIZED: &str = "karpenter.sh/initialized";
    /// Set once the node registered.
    pub const REGISTERED: &str = "karpenter.sh/registered";
}

/// Well-known Karpenter annotations.
pub mod annotations {
    /// On pods and nodes: blocks voluntary disruption.
    pub const DO_NOT_DISRUPT: &str = "karpenter.sh/do-not-disrupt";
    /// On NodeClaims: when termination must complete.
    pub const TERMINATION_TIMESTAMP: &str = "karpenter.sh/nodeclaim-termination-timestamp";
}

/// Karpenter taints.
pub mod taints {
    /// Node is being disrupted.
    pub const DISRUPTED: &str = "karpenter.sh/disrupted";
    /// Node has not registered yet.
    pub const UNREGISTERED: &str = "karpenter.sh/unregistered";
}

/// Karpenter's event reasons (kubernetes-sigs/karpenter `pkg/events/reason.go`).
pub mod reasons {
    /// Pod nominated to a NodeClaim or Node.
    pub const NOMINATED: &str = "Nominated";
    /// Karpenter (or the scheduler) could not schedule the pod.
    pub const FAILED_SCHEDULING: &str = "FailedScheduling";
    /// No instance type fits the requirements.
    pub const NO_COMPATIBLE_INSTANCE_TYPES: &str = "NoCompatibleInstanceTypes";
    /// The cloud had no capacity.
    pub const INSUFFICIENT_CAPACITY: &str = "InsufficientCapacityError";
    /// The NodeClass is not ready.
    pub const NODECLASS_NOT_READY: &str = "NodeClassNotReady";
    /// Disruption blocked.
    pub const DISRUPTION_BLOCKED: &str = "DisruptionBlocked";
    /// Disruption launching replacements.
    pub const DISRUPTION_LAUNCHING: &str = "DisruptionLaunching";
    /// Disruption terminating.
    pub const DISRUPTION_TERMINATING: &str = "DisruptionTerminating";
    /// Disruption waiting for readiness.
    pub const DISRUPTION_WAITING_READINESS: &str = "DisruptionWaitingReadiness";
    /// Node cannot be consolidated.
    pub const UNCONSOLIDATABLE: &str = "Unconsolidatable";
    /// Node was disrupted.
    pub const DISRUPTED: &str = "Disrupted";
    /// Pod evicted.
    pub const EVICTED: &str = "Evicted";
    /// Draining failed.
    pub const FAILED_DRAINING: &str = "FailedDraining";
}

tolerant_struct! {
    /// `nodeClassRef`.
    pub struct NodeClassRef {
        /// Group (`karpenter.k8s.aws`, `karpenter.azure.com`, `karpenter.kwok.sh`, `eks.amazonaws.com`).
        pub group: Option<String>,
        /// Kind.
        pub kind: Option<String>,
        /// Name.
        pub name: String,
    }
}

tolerant_struct! {
    /// A scheduling requirement (`NodeSelectorRequirementWithMinValues`).
    pub struct Requirement {
        /// Label key.
        pub key: String,
        /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
        pub operator: String,
        /// Values.
        pub values: Vec<String>,
        /// Minimum distinct values (flexibility).
        pub min_values: Option<i32>,
    }
}

tolerant_struct! {
    /// `NodePool`.
    pub struct NodePool {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: NodePoolSpec,
        /// Status.
        pub status: NodePoolStatus,
    }
}
resource!(
    NodePool,
    group = "karpenter.sh",
    version = "v1",
    kind = "NodePool",
    plural = "nodepools",
    namespaced = false
);

tolerant_struct! {
    /// `NodePool.spec`.
    pub struct NodePoolSpec {
        /// NodeClaim template.
        pub template: NodeClaimTemplate,
        /// Disruption settings.
        pub disruption: Disruption,
        /// Resource limits (`cpu`, `memory`, `nodes`, ...).
        pub limits: ResourceList,
        /// Priority among NodePools (higher first).
        pub weight: Option<i32>,
        /// Static NodePool: fixed node count.
        pub replicas: Option<i64>,
    }
}

tolerant_struct! {
    /// `spec.template`.
    pub struct NodeClaimTemplate {
        /// Labels and annotations put on nodes.
        pub metadata: TemplateMetadata,
        /// NodeClaim spec.
        pub spec: NodeClaimSpec,
    }
}

tolerant_struct! {
    /// `spec.template.metadata`.
    pub struct TemplateMetadata {
        /// Labels.
        pub labels: Labels,
        /// Annotations.
        pub annotations: Labels,
    }
}

tolerant_struct! {
    /// `spec.disruption`.
    pub struct Disruption {
        /// `WhenEmpty` or `WhenEmptyOrUnderutilized` (v1beta1: `WhenUnderutilized`).
        pub consolidation_policy: Option<String>,
        /// Duration or `Never`.
        pub consolidate_after: Option<String>,
        /// Budgets.
        pub budgets: Vec<Budget>,
        /// v1beta1 location of `expireAfter`.
        pub expire_after: Option<String>,
    }
}

tolerant_struct! {
    /// A disruption budget.
    pub struct Budget {
        /// Count (`"10"`) or percentage (`"20%"`).
        pub nodes: Option<String>,
        /// Cron schedule when the budget applies.
        pub schedule: Option<String>,
        /// How long it applies after each schedule hit.
        pub duration: Option<String>,
        /// `Underutilized`, `Empty`, `Drifted` (all when empty).
        pub reasons: Vec<String>,
    }
}

tolerant_struct! {
    /// `NodePool.status`.
    pub struct NodePoolStatus {
        /// Resources provisioned (includes a `nodes` key).
        pub resources: ResourceList,
        /// Node count.
        pub nodes: Option<i64>,
        /// NodeClass generation seen.
        pub node_class_observed_generation: Option<i64>,
        /// Conditions: `Ready`, `ValidationSucceeded`, `NodeClassReady`, `NodeRegistrationHealthy`.
        pub conditions: Vec<Condition>,
    }
}

impl NodePool {
    /// `Ready` condition.
    pub fn ready(&self) -> Option<bool> {
        condition_status(&self.status.conditions, "Ready")
    }
    /// `expireAfter` from v1 (`template.spec`) or v1beta1 (`disruption`).
    pub fn expire_after(&self) -> Option<&str> {
        self.spec.template.spec.expire_after.as_deref().or(self.spec.disruption.expire_after.as_deref())
    }
}

tolerant_struct! {
    /// `NodeClaim`.
    pub struct NodeClaim {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata (labels: instance type, capacity type, zone, NodePool).
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: NodeClaimSpec,
        /// Status.
        pub status: NodeClaimStatus,
    }
}
resource!(
    NodeClaim,
    group = "karpenter.sh",
    version = "v1",
    kind = "NodeClaim",
    plural = "nodeclaims",
    namespaced = false
);

tolerant_struct! {
    /// `NodeClaim.spec` (also the NodePool template spec).
    pub struct NodeClaimSpec {
        /// Taints.
        pub taints: Vec<Taint>,
        /// Taints removed once initialized.
        pub startup_taints: Vec<Taint>,
        /// Requirements.
        pub requirements: Vec<Requirement>,
        /// Requested resources.
        pub resources: NodeClaimResources,
        /// NodeClass.
        pub node_class_ref: Option<NodeClassRef>,
        /// Grace period for draining.
        pub termination_grace_period: Option<String>,
        /// Lifetime.
        pub expire_after: Option<String>,
    }
}

tolerant_struct! {
    /// `spec.resources`.
    pub struct NodeClaimResources {
        /// Requests.
        pub requests: ResourceList,
    }
}

tolerant_struct! {
    /// `NodeClaim.status`.
    pub struct NodeClaimStatus {
        /// Node name once registered.
        pub node_name: Option<String>,
        /// Cloud provider id.
        #[serde(rename = "providerID")]
        pub provider_id: Option<String>,
        /// Image.
        #[serde(rename = "imageID")]
        pub image_id: Option<String>,
        /// Capacity.
        pub capacity: ResourceList,
        /// Allocatable.
        pub allocatable: ResourceList,
        /// Conditions: `Launched`, `Registered`, `Initialized`, `Ready`, `Drifted`, `Consolidatable`, ...
        pub conditions: Vec<Condition>,
        /// Last pod scheduling event on the node.
        pub last_pod_event_time: Option<Time>,
    }
}

impl NodeClaim {
    /// A condition's status.
    pub fn condition(&self, type_: &str) -> Option<bool> {
        condition_status(&self.status.conditions, type_)
    }

    /// When a condition became True.
    pub fn condition_true_since(&self, type_: &str) -> Option<Time> {
        condition(&self.status.conditions, type_).filter(|c| c.is_true()).and_then(|c| c.last_transition_time)
    }

    /// The NodePool from the label, else from the owner reference.
    pub fn nodepool(&self) -> Option<&str> {
        self.metadata.label(labels::NODEPOOL).or_else(|| {
            self.metadata.owner_references.iter().find(|o| o.kind == "NodePool").map(|o| o.name.as_str())
        })
    }
}

tolerant_struct! {
    /// `NodeOverlay` (price and capacity overrides).
    pub struct NodeOverlay {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: NodeOverlaySpec,
        /// Status.
        pub status: NodeOverlayStatus,
    }
}
resource!(
    NodeOverlay,
    group = "karpenter.sh",
    version = "v1alpha1",
    kind = "NodeOverlay",
    plural = "nodeoverlays",
    namespaced = false
);

tolerant_struct! {
    /// `NodeOverlay.spec`.
    pub struct NodeOverlaySpec {
        /// Which instance types it applies to.
        pub requirements: Vec<Requirement>,
        /// Relative (`-10%`) or absolute (`+0.05`) price change.
        pub price_adjustment: Option<String>,
        /// Absolute price.
        pub price: Option<String>,
        /// Extra capacity.
        pub capacity: ResourceList,
        /// Priority.
        pub weight: Option<i32>,
    }
}

tolerant_struct! {
    /// `NodeOverlay.status`.
    pub struct NodeOverlayStatus {
        /// Conditions.
        pub conditions: Vec<Condition>,
    }
}
