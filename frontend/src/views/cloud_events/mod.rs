//! KEDA CloudEventSources and ClusterCloudEventSources (`eventing.keda.sh/v1alpha1`): where KEDA
//! sends its CloudEvents (scaler failures, ScaledObject ready/paused, ...), filtered by type.

pub mod detail;
pub mod list;

use model::keda::{AuthenticationRef, CloudEventSource, CloudEventSourceSpec, ClusterCloudEventSource};
use model::meta::{Condition, ObjectMeta, condition_status};

/// Either kind, as the pages show it (the two share spec and status).
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    /// `CloudEventSource` or `ClusterCloudEventSource`.
    pub kind: &'static str,
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Spec.
    pub spec: CloudEventSourceSpec,
    /// Conditions.
    pub conditions: Vec<Condition>,
}

impl From<&CloudEventSource> for SourceRow {
    fn from(c: &CloudEventSource) -> Self {
        SourceRow {
            kind: "CloudEventSource",
            metadata: c.metadata.clone(),
            spec: c.spec.clone(),
            conditions: c.status.conditions.clone(),
        }
    }
}

impl From<&ClusterCloudEventSource> for SourceRow {
    fn from(c: &ClusterCloudEventSource) -> Self {
        SourceRow {
            kind: "ClusterCloudEventSource",
            metadata: c.metadata.clone(),
            spec: c.spec.clone(),
            conditions: c.status.conditions.clone(),
        }
    }
}

impl SourceRow {
    /// Cluster-scoped.
    pub fn cluster(&self) -> bool {
        self.kind == "ClusterCloudEventSource"
    }

    /// Where events go, in words.
    pub fn destination(&self) -> String {
        let d = &self.spec.destination;
        match (&d.http, &d.azure_event_grid_topic) {
            (Some(h), _) => format!("HTTP {}", h.uri),
            (None, Some(a)) => format!("Azure Event Grid {}", a.endpoint),
            (None, None) => "none".to_owned(),
        }
    }

    /// The `Active` condition.
    pub fn active(&self) -> Option<bool> {
        condition_status(&self.conditions, "Active")
    }

    /// The authentication reference, if any.
    pub fn authentication(&self) -> Option<&AuthenticationRef> {
        self.spec.authentication_ref.as_ref()
    }
}
