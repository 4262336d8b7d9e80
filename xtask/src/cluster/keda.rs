//! The real KEDA operator and metrics adapter, out of cluster. The adapter serves the External
//! Metrics API, registered as APIService `v1beta1.external.metrics.k8s.io` through an ExternalName
//! Service pointing at 127.0.0.1 (the aggregator dials `https://127.0.0.1:<APIService port>`).

use super::Cluster;
use super::binaries::{Component, bin};
use super::layout::local;
use super::pki::{self, Ca, Usage, dns, ip};
use super::process::http_get;
use anyhow::Result;
use std::fs;
use std::process::Command;
use std::time::Duration;

/// KEDA's own namespace (`KEDA_CLUSTER_OBJECT_NAMESPACE`: ClusterTriggerAuthentication secrets live here).
pub const NAMESPACE: &str = "keda";

/// Applies KEDA's CRDs from the module zip; returns their names.
pub fn apply_crds(c: &Cluster) -> Result<Vec<String>> {
    let src = Component::get("keda")?.module_source("github.com/kedacore/keda/v2")?;
    super::karpenter::apply_crd_dir(c, &src.join("config/crd/bases"))
}

/// Starts the operator and the adapter, registers the External Metrics API and waits until the
/// APIService is Available.
pub fn start(c: &Cluster) -> Result<()> {
    let p = c.ports();
    // One CA and one certificate for both ends of the operator<->adapter gRPC (mutual TLS) and for
    // the adapter's serving certificate (the aggregator checks SAN keda-metrics-apiserver.keda.svc).
    let dir = c.info.pki.dir.join("keda");
    let ca = Ca::ensure(&dir, "ca", "keda-local-ca")?;
    ca.issue(
        &dir,
        "tls",
        "keda",
        &[],
        &[
            dns("keda-operator.keda.svc.cluster.local"),
            dns("keda-operator.keda.svc"),
            dns("keda-metrics-apiserver.keda.svc"),
            dns("keda-metrics-apiserver.keda.svc.cluster.local"),
            dns("localhost"),
            ip("127.0.0.1"),
        ],
        Usage::ServerAndClient,
    )?;
    // KEDA reads <cert-dir>/ca.crt, tls.crt and tls.key: the names above match.
    let kubeconfig = c.info.kubeconfig.clone();
    let ca_dirs = dir.join("scaler-cas");
    fs::create_dir_all(&ca_dirs)?;

    c.ensure_running(
        "keda-operator",
        Duration::from_secs(90),
        || {
            let mut cmd = Command::new(bin("keda", "keda-operator")?);
            keda_env(&mut cmd, &kubeconfig);
            cmd.arg("--leader-elect=false")
                .arg("--enable-cert-rotation=false")
                .arg("--enable-webhook-patching=false")
                .arg("--enable-apiservice-patching=false")
                .arg(format!("--cert-dir={}", dir.display()))
                .arg(format!("--ca-dir={}", ca_dirs.display()))
                .arg(format!("--metrics-bind-address={}", local(p.keda_operator_metrics)))
                .arg(format!("--health-probe-bind-address={}", local(p.keda_operator_health)))
                .arg(format!("--metrics-service-bind-address={}", local(p.keda_operator_grpc)))
                // Status and HPA writes of a large fleet (the default 20/s: minutes per thousand scalers).
                .arg("--kube-api-qps=200")
                .arg("--kube-api-burst=400")
                .arg("--zap-log-level=info")
                .arg("--zap-encoder=console");
            Ok(cmd)
        },
        || Ok(http_get(&local(p.keda_operator_health), "/readyz").map(|(s, _)| s == 200).unwrap_or(false)),
    )?;

    c.ensure_running(
        "keda-adapter",
        Duration::from_secs(90),
        || {
            let mut cmd = Command::new(bin("keda", "keda-adapter")?);
            keda_env(&mut cmd, &kubeconfig);
            cmd.arg(format!("--secure-port={}", p.keda_adapter))
                .arg("--bind-address=127.0.0.1")
                .arg(format!("--cert-dir={}", dir.display()))
                .arg(format!("--tls-cert-file={}", dir.join("tls.crt").display()))
                .arg(format!("--tls-private-key-file={}", dir.join("tls.key").display()))
                .arg(format!("--lister-kubeconfig={}", kubeconfig.display()))
                .arg(format!("--authentication-kubeconfig={}", kubeconfig.display()))
                .arg(format!("--authorization-kubeconfig={}", kubeconfig.display()))
                .arg(format!("--metrics-service-address={}", local(p.keda_operator_grpc)))
                .arg("--metrics-service-grpc-authority=keda-operator.keda.svc.cluster.local")
                // The adapter's own Prometheus metrics; binds every interface (no bind-address option).
                .arg(format!("--port={}", p.keda_adapter_metrics))
                .arg("--v=0");
            Ok(cmd)
        },
        || Ok(super::process::port_open(&local(p.keda_adapter))),
    )?;

    let ca_bundle = pki::base64(ca.cert_pem()?.as_bytes());
    c.kubectl.apply(
        "External Metrics APIService",
        &format!(
            "apiVersion: v1
kind: Service
metadata: {{name: keda-metrics-apiserver, namespace: {NAMESPACE}}}
spec: {{type: ExternalName, externalName: 127.0.0.1}}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {{name: v1beta1.external.metrics.k8s.io}}
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service: {{name: keda-metrics-apiserver, namespace: {NAMESPACE}, port: {port}}}
  caBundle: {ca_bundle}
",
            port = p.keda_adapter
        ),
    )?;
    let adapter = c.process("keda-adapter");
    super::process::wait_ready(&adapter, Duration::from_secs(90), || {
        let v = c.kubectl.get_json(&["apiservice", "v1beta1.external.metrics.k8s.io"])?;
        Ok(super::kubectl::condition_true(&v, "Available"))
    })?;
    eprintln!("    APIService v1beta1.external.metrics.k8s.io Available");
    Ok(())
}

fn keda_env(cmd: &mut Command, kubeconfig: &std::path::Path) {
    cmd.env("KUBECONFIG", kubeconfig)
        // Set and empty: every namespace.
        .env("WATCH_NAMESPACE", "")
        .env("KEDA_CLUSTER_OBJECT_NAMESPACE", NAMESPACE)
        .env("POD_NAMESPACE", NAMESPACE)
        .env("OPERATOR_NAME", "keda-operator");
}
