//! The object types read KEDA's, Karpenter's and Kubernetes' own published objects
//! (testdata/examples/README.md says where each comes from), and survive odd variants of them.

use model::k8s::Workload;
use model::karpenter::NodePool;
use model::keda::{
    CloudEventSource, ClusterCloudEventSource, ClusterTriggerAuthentication, ScaledJob, ScaledObject,
    TriggerAuthentication,
};
use model::meta::{Resource, parse_list, parse_object};
use model::nodeclass::AnyNodeClass;
use model::tolerant::Tolerant;
use model::{Quantity, Time};
use serde_json::{Value, json};
use std::path::PathBuf;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/examples").join(rel)
}

/// Every YAML document of a file, as JSON text (the form the server and UI parse).
fn documents(rel: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_yaml::Deserializer::from_str(&text)
        .map(|doc| {
            let v = <Value as serde::Deserialize>::deserialize(doc).unwrap_or_else(|e| panic!("{rel}: {e}"));
            serde_json::to_string(&v).expect("json")
        })
        .filter(|s| s != "null")
        .collect()
}

fn one<T: Tolerant>(rel: &str) -> T {
    let docs = documents(rel);
    parse_object::<T>(&docs[0]).expect("json").unwrap_or_else(|| panic!("{rel} is not an object"))
}

fn q(s: &str) -> Quantity {
    Quantity::parse(s).expect("quantity")
}

#[test]
fn keda_sample_scaledobject_uses_keda_defaults() {
    let so: ScaledObject = one("keda/scaledobject-sample.yaml");
    assert_eq!(so.metadata.name, "example-scaledobject");
    assert_eq!(so.spec.scale_target_ref.name, "example-deployment");
    assert_eq!(so.spec.scale_target_ref.kind(), "Deployment");
    assert_eq!(so.spec.scale_target_ref.api_version(), "apps/v1");
    assert_eq!((so.min_replicas(), so.max_replicas()), (0, 100));
    assert_eq!(so.polling_interval(), 30);
    assert_eq!(so.spec.triggers.len(), 1);
    assert_eq!(so.spec.triggers[0].type_, "example-trigger");
    assert_eq!(so.spec.triggers[0].metadata["property"], "examle-property");
    assert_eq!(so.hpa_name(), None, "no status yet: no HPA name is assumed");
}

#[test]
fn keda_sample_scaledjob_with_null_template() {
    let sj: ScaledJob = one("keda/scaledjob-sample.yaml");
    let jt = sj.spec.job_target_ref.as_ref().expect("jobTargetRef");
    assert_eq!(
        (jt.parallelism, jt.completions, jt.active_deadline_seconds, jt.backoff_limit),
        (Some(1), Some(1), Some(600), Some(6))
    );
    assert_eq!(sj.spec.successful_jobs_history_limit, Some(5));
    assert_eq!(sj.spec.max_replica_count, Some(100));
}

#[test]
fn trigger_authentications_name_their_secrets() {
    // The sample still carries KEDA v1's group; the object reads all the same.
    let ta: TriggerAuthentication = one("keda/triggerauthentication-keda-k8s-io.yaml");
    assert_eq!(ta.api_version, "keda.k8s.io/v1alpha1");
    assert_eq!(ta.spec.secret_target_ref[0].name, "example-secret-name");
    assert_eq!(ta.spec.secret_target_ref[0].key, "example-role-key");
    let cta: ClusterTriggerAuthentication = one("keda/clustertriggerauthentication-sample.yaml");
    assert_eq!(cta.spec.secret_target_ref[0].parameter, "example-secret-parameter");
    const { assert!(!ClusterTriggerAuthentication::NAMESPACED) };
    assert_eq!(
        ClusterTriggerAuthentication::list_path(Some("x")),
        "/apis/keda.sh/v1alpha1/clustertriggerauthentications"
    );
}

#[test]
fn cloud_event_sources() {
    let ces: CloudEventSource = one("keda/cloudeventsource-sample.yaml");
    assert_eq!(ces.metadata.name, "cloudeventsource-sample");
    assert_eq!(ces.metadata.label("app.kubernetes.io/part-of"), Some("keda"));
    assert_eq!(ces.spec.destination.http, None, "null spec reads as empty");
    let cces: ClusterCloudEventSource = one("keda/clustercloudeventsource-sample.yaml");
    assert_eq!(cces.spec.destination.http.as_ref().map(|h| h.uri.as_str()), Some("http://foo.bar"));
    assert_eq!(cces.spec.cluster_name.as_deref(), Some("clustercluster-sample"));
    assert_eq!(
        CloudEventSource::list_path(Some("ns")),
        "/apis/eventing.keda.sh/v1alpha1/namespaces/ns/cloudeventsources"
    );
}

#[test]
fn scaledobject_list_with_a_status_written_by_keda() {
    let docs = documents("keda/scaledobject-list-status-2024.yaml");
    let list = parse_list::<ScaledObject>(&docs[0]).expect("list");
    assert!(list.rejected.is_empty());
    let so = &list.items[0];
    assert_eq!(so.metadata.uid(), "336e00fa-a4c7-4c8b-91a9-93033da7b095");
    assert_eq!(so.hpa_name(), Some("keda-hpa-cfos7210250-deployment-new-scaler"));
    assert_eq!(so.condition("Ready"), Some(true));
    assert_eq!(so.condition("Active"), Some(true));
    assert_eq!(so.condition("Fallback"), Some(false));
    assert_eq!(so.condition("Paused"), None, "Unknown is neither paused nor unpaused");
    assert_eq!(so.status.last_active_time, Some(Time::parse("2024-12-09T02:14:14Z").expect("time")));
    assert_eq!(so.status.external_metric_names.len(), 3);
    assert_eq!(so.status.scale_target_gvkr.as_ref().map(|g| g.resource.as_str()), Some("deployments"));
    assert_eq!(so.status.original_replica_count, Some(1));
    assert_eq!(so.spec.triggers[1].metadata["targetValue"], "400000000");
    assert!(
        so.status.health.is_empty() && so.status.triggers_activity.is_empty(),
        "older KEDA: no health map"
    );
}

#[test]
fn odd_fields_cost_only_themselves() {
    let docs = documents("keda/scaledobject-list-status-2024.yaml");
    let mut v: Value = serde_json::from_str(&docs[0]).expect("json");
    let item = v["items"][0].clone();
    let mut odd = item.clone();
    odd["status"]["conditions"] = json!("garbage");
    odd["spec"]["maxReplicaCount"] = json!("lots");
    odd["metadata"]["labels"] = json!(["not", "a", "map"]);
    odd["status"]["lastActiveTime"] = json!("yesterday");
    odd["status"]["health"] =
        json!({"s0-metric-api-value": {"numberOfFailures": "3", "status": "Failing"}, "bad": 7});
    odd["spec"]["triggers"][1] = json!(42);
    let mut nameless = item.clone();
    nameless["metadata"].as_object_mut().expect("meta").remove("name");
    v["items"] = json!([odd, "a string", nameless, item]);
    let list = parse_list::<ScaledObject>(&v.to_string()).expect("list");
    assert_eq!(list.items.len(), 2);
    assert_eq!(list.rejected.iter().map(|r| r.index).collect::<Vec<_>>(), vec![1, 2]);
    let so = &list.items[0];
    assert!(so.status.conditions.is_empty());
    assert_eq!(so.spec.max_replica_count, None);
    assert_eq!(so.max_replicas(), 100);
    assert!(so.metadata.labels.is_empty());
    assert_eq!(so.status.last_active_time, None);
    assert_eq!(so.status.health["s0-metric-api-value"].number_of_failures, Some(3));
    assert_eq!(so.status.health.len(), 1);
    assert_eq!(so.spec.triggers.len(), 2, "the odd trigger is dropped, its neighbours kept");
    assert_eq!(so.hpa_name(), Some("keda-hpa-cfos7210250-deployment-new-scaler"), "the rest is intact");
    assert_eq!(list.items[1], parse_list::<ScaledObject>(&docs[0]).expect("list").items[0]);
}

#[test]
fn karpenter_v1beta1_nodepool_still_reads() {
    let np: NodePool = one("karpenter/kwok-default-nodepool-v1beta1.yaml");
    assert_eq!(np.spec.limits["cpu"], q("1000"), "a YAML number is a quantity");
    assert_eq!(np.spec.disruption.consolidation_policy.as_deref(), Some("WhenUnderutilized"));
    assert_eq!(np.expire_after(), Some("720h"), "v1beta1 kept expireAfter under disruption");
    assert_eq!(np.spec.template.spec.requirements.len(), 3);
    assert_eq!(np.spec.template.spec.node_class_ref.as_ref().map(|r| r.name.as_str()), Some("nil"));
}

#[test]
fn karpenter_v1_nodepool_and_ec2nodeclass() {
    let docs = documents("karpenter/aws-100-cpu-limit-v1.yaml");
    assert_eq!(docs.len(), 2);
    let np = parse_object::<NodePool>(&docs[0]).expect("json").expect("object");
    assert_eq!(np.spec.limits["cpu"], q("100"));
    let gt = &np.spec.template.spec.requirements[4];
    assert_eq!(
        (gt.key.as_str(), gt.operator.as_str(), gt.values[0].as_str()),
        ("karpenter.k8s.aws/instance-generation", "Gt", "2")
    );
    let ncr = np.spec.template.spec.node_class_ref.as_ref().expect("ref");
    assert_eq!(
        (ncr.group.as_deref(), ncr.kind.as_deref()),
        (Some("karpenter.k8s.aws"), Some("EC2NodeClass"))
    );
    let nc = AnyNodeClass::from_value(serde_json::from_str(&docs[1]).expect("json")).expect("nodeclass");
    let AnyNodeClass::Ec2(ec2) = &nc else { panic!("expected EC2NodeClass, got {nc:?}") };
    assert_eq!(ec2.spec.ami_selector_terms[0].alias.as_deref(), Some("al2023@latest"));
    assert_eq!(ec2.spec.subnet_selector_terms[0].tags["karpenter.sh/discovery"], "${CLUSTER_NAME}");
    assert_eq!((nc.group(), nc.kind(), nc.provider()), ("karpenter.k8s.aws", "EC2NodeClass", "AWS"));
}

#[test]
fn karpenter_v1beta1_ec2nodeclass_and_unknown_kinds() {
    let docs = documents("karpenter/aws-general-purpose-v1beta1.yaml");
    let nc = AnyNodeClass::from_value(serde_json::from_str(&docs[1]).expect("json")).expect("nodeclass");
    let AnyNodeClass::Ec2(ec2) = &nc else { panic!("expected EC2NodeClass") };
    assert_eq!(ec2.spec.ami_family.as_deref(), Some("AL2"));
    // A provider we do not know is kept generically, spec and all.
    let mut other: Value = serde_json::from_str(&docs[1]).expect("json");
    other["apiVersion"] = json!("karpenter.example.com/v1");
    other["kind"] = json!("ExampleNodeClass");
    other["status"] = json!({"conditions": [{"type": "Ready", "status": "False", "reason": "NotFound"}]});
    let generic = AnyNodeClass::from_value(other).expect("nodeclass");
    assert!(matches!(generic, AnyNodeClass::Generic(_)));
    assert_eq!(
        (generic.group(), generic.kind(), generic.ready()),
        ("karpenter.example.com", "ExampleNodeClass", Some(false))
    );
    let AnyNodeClass::Generic(g) = &generic else { unreachable!() };
    assert_eq!(g.spec.as_ref().and_then(|s| s.get("amiFamily")), Some(&json!("AL2")));
}

#[test]
fn inflate_workload_requests_and_selector() {
    let w: Workload = one("k8s/inflate-deployment.yaml");
    let req = w.pod_requests();
    assert_eq!(req["cpu"], q("1"));
    assert_eq!(req["memory"].units(), 256_000_000, "256M is decimal megabytes");
    let sel = w.pod_selector().expect("selector");
    let labels = w.spec.template.as_ref().expect("template").metadata.labels.clone();
    assert!(sel.matches(&labels));
    assert_eq!(w.desired_replicas(), 1, "absent replicas means 1");
    assert!(w.is("apps/v1", "Deployment", "", "inflate"));
}

#[test]
fn objects_round_trip_through_serialization() {
    let docs = documents("keda/scaledobject-list-status-2024.yaml");
    let so = parse_list::<ScaledObject>(&docs[0]).expect("list").items.remove(0);
    let text = serde_json::to_string(&so).expect("ser");
    assert!(text.contains(r#""lastActiveTime":"2024-12-09T02:14:14Z""#));
    let back = parse_object::<ScaledObject>(&text).expect("json").expect("object");
    assert_eq!(back, so);
}
