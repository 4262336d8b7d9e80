//! NodeClasses of every provider: `karpenter.k8s.aws/v1` EC2NodeClass, `eks.amazonaws.com/v1`
//! NodeClass (EKS Auto Mode), `karpenter.azure.com/v1beta1` AKSNodeClass,
//! `karpenter.kwok.sh/v1alpha1` KWOKNodeClass, and [`GenericNodeClass`] for any other kind.
//! [`AnyNodeClass`] holds one of them, chosen by `apiVersion`/`kind`.

use crate::meta::{Condition, Labels, ObjectMeta, Resource, condition_status, resource, split_api_version};
use crate::tolerant::{Tolerant, tolerant_struct};
use serde::{Deserialize, Deserializer, Serialize};

tolerant_struct! {
    /// A subnet/security-group/AMI selector term.
    pub struct SelectorTerm {
        /// By id.
        pub id: Option<String>,
        /// By name.
        pub name: Option<String>,
        /// By tags.
        pub tags: Labels,
        /// AMI alias (`al2023@latest`).
        pub alias: Option<String>,
        /// AMI owner.
        pub owner: Option<String>,
    }
}

tolerant_struct! {
    /// A resolved subnet.
    pub struct Subnet {
        /// Id.
        pub id: String,
        /// Zone.
        pub zone: Option<String>,
        /// Zone id.
        #[serde(rename = "zoneID")]
        pub zone_id: Option<String>,
    }
}

tolerant_struct! {
    /// A resolved security group.
    pub struct SecurityGroup {
        /// Id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
    }
}

tolerant_struct! {
    /// A resolved AMI / image.
    pub struct Image {
        /// Id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Deprecated.
        pub deprecated: Option<bool>,
    }
}

tolerant_struct! {
    /// A resolved capacity reservation.
    pub struct CapacityReservation {
        /// Id.
        pub id: String,
        /// Zone.
        pub availability_zone: Option<String>,
        /// Instance type.
        pub instance_type: Option<String>,
        /// `default` or `capacity-block`.
        pub reservation_type: Option<String>,
        /// `active`, `expiring`.
        pub state: Option<String>,
    }
}

tolerant_struct! {
    /// `EC2NodeClass.spec`, trimmed.
    pub struct Ec2NodeClassSpec {
        /// IAM role.
        pub role: Option<String>,
        /// Instance profile.
        pub instance_profile: Option<String>,
        /// AMI family (v1beta1, or derived from the alias).
        pub ami_family: Option<String>,
        /// AMI selection.
        pub ami_selector_terms: Vec<SelectorTerm>,
        /// Subnet selection.
        pub subnet_selector_terms: Vec<SelectorTerm>,
        /// Security group selection.
        pub security_group_selector_terms: Vec<SelectorTerm>,
        /// Tags.
        pub tags: Labels,
    }
}

tolerant_struct! {
    /// `EC2NodeClass.status`.
    pub struct Ec2NodeClassStatus {
        /// Subnets.
        pub subnets: Vec<Subnet>,
        /// Security groups.
        pub security_groups: Vec<SecurityGroup>,
        /// AMIs.
        pub amis: Vec<Image>,
        /// Instance profile.
        pub instance_profile: Option<String>,
        /// Capacity reservations.
        pub capacity_reservations: Vec<CapacityReservation>,
        /// Conditions: `AMIsReady`, `SubnetsReady`, `SecurityGroupsReady`, `InstanceProfileReady`, `Ready`.
        pub conditions: Vec<Condition>,
    }
}

tolerant_struct! {
    /// `EC2NodeClass`.
    pub struct Ec2NodeClass {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: Ec2NodeClassSpec,
        /// Status.
        pub status: Ec2NodeClassStatus,
    }
}
resource!(
    Ec2NodeClass,
    group = "karpenter.k8s.aws",
    version = "v1",
    kind = "EC2NodeClass",
    plural = "ec2nodeclasses",
    namespaced = false
);

tolerant_struct! {
    /// `NodeClass.spec` of EKS Auto Mode, trimmed.
    pub struct EksNodeClassSpec {
        /// IAM role.
        pub role: Option<String>,
        /// Subnet selection.
        pub subnet_selector_terms: Vec<SelectorTerm>,
        /// Security group selection.
        pub security_group_selector_terms: Vec<SelectorTerm>,
        /// `DefaultAllow`, `DefaultDeny`.
        pub network_policy: Option<String>,
        /// `Random`, `Disabled`.
        pub snat_policy: Option<String>,
        /// Ephemeral storage settings.
        pub ephemeral_storage: Option<EphemeralStorage>,
        /// Tags.
        pub tags: Labels,
    }
}

tolerant_struct! {
    /// `ephemeralStorage`.
    pub struct EphemeralStorage {
        /// Size (quantity string).
        pub size: Option<String>,
        /// IOPS.
        pub iops: Option<i64>,
        /// Throughput.
        pub throughput: Option<i64>,
    }
}

tolerant_struct! {
    /// `NodeClass.status` of EKS Auto Mode.
    pub struct EksNodeClassStatus {
        /// Subnets.
        pub subnets: Vec<Subnet>,
        /// Security groups.
        pub security_groups: Vec<SecurityGroup>,
        /// Instance profile.
        pub instance_profile: Option<String>,
        /// Conditions.
        pub conditions: Vec<Condition>,
    }
}

tolerant_struct! {
    /// `eks.amazonaws.com/v1` NodeClass (EKS Auto Mode).
    pub struct EksNodeClass {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: EksNodeClassSpec,
        /// Status.
        pub status: EksNodeClassStatus,
    }
}
resource!(
    EksNodeClass,
    group = "eks.amazonaws.com",
    version = "v1",
    kind = "NodeClass",
    plural = "nodeclasses",
    namespaced = false
);

tolerant_struct! {
    /// `AKSNodeClass.spec`, trimmed.
    pub struct AksNodeClassSpec {
        /// Subnet.
        #[serde(rename = "vnetSubnetID")]
        pub vnet_subnet_id: Option<String>,
        /// OS disk size.
        #[serde(rename = "osDiskSizeGB")]
        pub os_disk_size_gb: Option<i64>,
        /// `Ubuntu2204`, `AzureLinux`, ...
        pub image_family: Option<String>,
        /// Max pods per node.
        pub max_pods: Option<i32>,
        /// Tags.
        pub tags: Labels,
    }
}

tolerant_struct! {
    /// `AKSNodeClass.status`.
    pub struct AksNodeClassStatus {
        /// Images.
        pub images: Vec<Image>,
        /// Kubernetes version.
        pub kubernetes_version: Option<String>,
        /// Conditions: `ImagesReady`, `KubernetesVersionReady`, `SubnetsReady`, `Ready`.
        pub conditions: Vec<Condition>,
    }
}

tolerant_struct! {
    /// `karpenter.azure.com/v1beta1` AKSNodeClass.
    pub struct AksNodeClass {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec.
        pub spec: AksNodeClassSpec,
        /// Status.
        pub status: AksNodeClassStatus,
    }
}
resource!(
    AksNodeClass,
    group = "karpenter.azure.com",
    version = "v1beta1",
    kind = "AKSNodeClass",
    plural = "aksnodeclasses",
    namespaced = false
);

tolerant_struct! {
    /// Status holding only conditions (KWOK and unknown NodeClasses).
    pub struct ConditionsStatus {
        /// Conditions.
        pub conditions: Vec<Condition>,
    }
}

tolerant_struct! {
    /// `karpenter.kwok.sh/v1alpha1` KWOKNodeClass (test clusters).
    pub struct KwokNodeClass {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Status.
        pub status: ConditionsStatus,
    }
}
resource!(
    KwokNodeClass,
    group = "karpenter.kwok.sh",
    version = "v1alpha1",
    kind = "KWOKNodeClass",
    plural = "kwoknodeclasses",
    namespaced = false
);

tolerant_struct! {
    /// A NodeClass of a provider we do not know: spec kept as written, conditions read.
    pub struct GenericNodeClass {
        /// `apiVersion`.
        pub api_version: String,
        /// `kind`.
        pub kind: String,
        /// Metadata.
        pub metadata: ObjectMeta,
        /// Spec as written.
        pub spec: Option<serde_json::Value>,
        /// Status conditions.
        pub status: ConditionsStatus,
    }
}

/// A NodeClass of any provider (serialized as the object itself).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnyNodeClass {
    /// AWS.
    Ec2(Ec2NodeClass),
    /// EKS Auto Mode.
    Eks(EksNodeClass),
    /// Azure.
    Aks(AksNodeClass),
    /// KWOK.
    Kwok(KwokNodeClass),
    /// Anything else.
    Generic(GenericNodeClass),
}

impl AnyNodeClass {
    /// Reads a NodeClass of any provider, choosing the type by `apiVersion` group and kind.
    pub fn from_value(value: serde_json::Value) -> Option<AnyNodeClass> {
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let (api_version, kind) = (text("apiVersion"), text("kind"));
        let (group, _) = split_api_version(&api_version);
        let read = |v: serde_json::Value| -> Option<AnyNodeClass> {
            Some(match (group, kind.as_str()) {
                (Ec2NodeClass::GROUP, Ec2NodeClass::KIND) => AnyNodeClass::Ec2(Ec2NodeClass::read(v).ok()??),
                (EksNodeClass::GROUP, EksNodeClass::KIND) => AnyNodeClass::Eks(EksNodeClass::read(v).ok()??),
                (AksNodeClass::GROUP, AksNodeClass::KIND) => AnyNodeClass::Aks(AksNodeClass::read(v).ok()??),
                (KwokNodeClass::GROUP, KwokNodeClass::KIND) => {
                    AnyNodeClass::Kwok(KwokNodeClass::read(v).ok()??)
                }
                _ => AnyNodeClass::Generic(GenericNodeClass::read(v).ok()??),
            })
        };
        read(value)
    }

    /// Metadata.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            AnyNodeClass::Ec2(x) => &x.metadata,
            AnyNodeClass::Eks(x) => &x.metadata,
            AnyNodeClass::Aks(x) => &x.metadata,
            AnyNodeClass::Kwok(x) => &x.metadata,
            AnyNodeClass::Generic(x) => &x.metadata,
        }
    }

    /// API group.
    pub fn group(&self) -> &str {
        match self {
            AnyNodeClass::Ec2(_) => Ec2NodeClass::GROUP,
            AnyNodeClass::Eks(_) => EksNodeClass::GROUP,
            AnyNodeClass::Aks(_) => AksNodeClass::GROUP,
            AnyNodeClass::Kwok(_) => KwokNodeClass::GROUP,
            AnyNodeClass::Generic(x) => split_api_version(&x.api_version).0,
        }
    }

    /// Kind.
    pub fn kind(&self) -> &str {
        match self {
            AnyNodeClass::Ec2(_) => Ec2NodeClass::KIND,
            AnyNodeClass::Eks(_) => EksNodeClass::KIND,
            AnyNodeClass::Aks(_) => AksNodeClass::KIND,
            AnyNodeClass::Kwok(_) => KwokNodeClass::KIND,
            AnyNodeClass::Generic(x) => &x.kind,
        }
    }

    /// Provider name for display.
    pub fn provider(&self) -> &'static str {
        match self {
            AnyNodeClass::Ec2(_) => "AWS",
            AnyNodeClass::Eks(_) => "EKS Auto Mode",
            AnyNodeClass::Aks(_) => "Azure",
            AnyNodeClass::Kwok(_) => "KWOK",
            AnyNodeClass::Generic(_) => "unknown",
        }
    }

    /// Conditions.
    pub fn conditions(&self) -> &[Condition] {
        match self {
            AnyNodeClass::Ec2(x) => &x.status.conditions,
            AnyNodeClass::Eks(x) => &x.status.conditions,
            AnyNodeClass::Aks(x) => &x.status.conditions,
            AnyNodeClass::Kwok(x) => &x.status.conditions,
            AnyNodeClass::Generic(x) => &x.status.conditions,
        }
    }

    /// `Ready` condition.
    pub fn ready(&self) -> Option<bool> {
        condition_status(self.conditions(), "Ready")
    }
}

/// Every NodeClass kind we know: (group, version, kind, plural).
pub const KNOWN_NODE_CLASSES: &[(&str, &str, &str, &str)] = &[
    (Ec2NodeClass::GROUP, Ec2NodeClass::VERSION, Ec2NodeClass::KIND, Ec2NodeClass::PLURAL),
    (EksNodeClass::GROUP, EksNodeClass::VERSION, EksNodeClass::KIND, EksNodeClass::PLURAL),
    (AksNodeClass::GROUP, AksNodeClass::VERSION, AksNodeClass::KIND, AksNodeClass::PLURAL),
    (KwokNodeClass::GROUP, KwokNodeClass::VERSION, KwokNodeClass::KIND, KwokNodeClass::PLURAL),
];

impl<'de> Deserialize<'de> for AnyNodeClass {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The kind decides the type, so the object is buffered once (NodeClasses are few).
        let value = serde_json::Value::deserialize(d)?;
        AnyNodeClass::from_value(value)
            .ok_or_else(|| serde::de::Error::custom("a NodeClass must be an object"))
    }
}

impl Tolerant for AnyNodeClass {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(AnyNodeClass::from_value(value))
    }
}

impl crate::meta::HasMeta for AnyNodeClass {
    fn metadata(&self) -> &ObjectMeta {
        self.meta()
    }
}

/// A NodeClass with what uses it (the NodeClasses page; computed in the UI, not served).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeClassView {
    /// Group.
    pub group: String,
    /// Kind.
    pub kind: String,
    /// Version (from `apiVersion`).
    pub version: String,
    /// Name.
    pub name: String,
    /// Uid.
    pub uid: Option<String>,
    /// Created.
    pub created: Option<crate::time::Time>,
    /// Provider (`AWS`, `EKS Auto Mode`, `Azure`, `KWOK`, `unknown`).
    pub provider: String,
    /// Ready condition.
    pub ready: Option<bool>,
    /// Every condition.
    pub conditions: Vec<Condition>,
    /// NodePools whose `nodeClassRef` points at it.
    pub node_pools: Vec<String>,
    /// NodeClaims referring to it.
    pub node_claims: i64,
    /// Nodes of those NodeClaims.
    pub nodes: i64,
}

/// A NodePool whose NodeClass does not exist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MissingNodeClass {
    /// The NodePool.
    pub node_pool: String,
    /// What it refers to.
    pub reference: crate::nodepool::NodeClassLink,
}

fn refers_to(r: &crate::karpenter::NodeClassRef, c: &AnyNodeClass) -> bool {
    r.name == c.meta().name
        && r.group.as_deref().filter(|g| !g.is_empty()).is_none_or(|g| g == c.group())
        && r.kind.as_deref().filter(|k| !k.is_empty()).is_none_or(|k| k == c.kind())
}

/// Every NodeClass with its NodePools, NodeClaims and nodes, by kind and name.
pub fn node_class_views(ix: &crate::snapshot::Index) -> Vec<NodeClassView> {
    let mut out: Vec<NodeClassView> = ix
        .snap
        .node_classes
        .iter()
        .map(|c| {
            let api_version = match c {
                AnyNodeClass::Ec2(x) => &x.api_version,
                AnyNodeClass::Eks(x) => &x.api_version,
                AnyNodeClass::Aks(x) => &x.api_version,
                AnyNodeClass::Kwok(x) => &x.api_version,
                AnyNodeClass::Generic(x) => &x.api_version,
            };
            let mut pools: Vec<String> = ix
                .snap
                .node_pools
                .iter()
                .filter(|p| p.spec.template.spec.node_class_ref.as_ref().is_some_and(|r| refers_to(r, c)))
                .map(|p| p.metadata.name.clone())
                .collect();
            pools.sort();
            let claims: Vec<_> = ix
                .snap
                .node_claims
                .iter()
                .filter(|nc| nc.spec.node_class_ref.as_ref().is_some_and(|r| refers_to(r, c)))
                .collect();
            NodeClassView {
                group: c.group().to_owned(),
                kind: c.kind().to_owned(),
                version: split_api_version(api_version).1.to_owned(),
                name: c.meta().name.clone(),
                uid: c.meta().uid.clone(),
                created: c.meta().creation_timestamp,
                provider: c.provider().to_owned(),
                ready: c.ready(),
                conditions: c.conditions().to_vec(),
                node_pools: pools,
                node_claims: claims.len() as i64,
                nodes: claims.iter().filter(|nc| ix.node_of(nc).is_some()).count() as i64,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    out
}

/// NodePools whose `nodeClassRef` names a NodeClass that is not in the snapshot.
pub fn missing_node_classes(ix: &crate::snapshot::Index) -> Vec<MissingNodeClass> {
    ix.snap
        .node_pools
        .iter()
        .filter_map(|p| {
            let link = crate::nodepool::node_class_link(ix, p)?;
            (!link.found).then(|| MissingNodeClass { node_pool: p.metadata.name.clone(), reference: link })
        })
        .collect()
}
