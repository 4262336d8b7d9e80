//! The Autoscaling Insights server in the local cluster (owned by the server's engineer, issue 4).
//!
//! `cluster up` calls [`start`] last, after every other component is ready and `cluster.json` is
//! written; `cluster down` calls [`stop`] first.
//!
//! The server runs as a local process but is registered exactly as the Helm chart registers it: the
//! chart is rendered with `helm template` (Service type ExternalName -> 127.0.0.1, serving-cert mode
//! `provided` with a CA made here) and its ServiceAccount, RBAC, Service and APIService are applied.
//! The process then authenticates as that ServiceAccount (a TokenRequest token), so every test runs
//! with the chart's least-privilege RBAC, not as admin.

use super::Cluster;
use super::pki::{self, Ca, Usage};
use crate::{cmd, paths, phase::Phase};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// Namespace of the release (and of the ServiceAccount the server runs as).
pub const NAMESPACE: &str = "autoscaling-insights";
/// Release name; the chart's full name equals it, so the Service is `autoscaling-insights`.
pub const RELEASE: &str = "autoscaling-insights";
/// Process name (pid and log files).
pub const PROCESS: &str = "autoscaling-insights";
/// The APIService the chart creates.
pub const API_SERVICE: &str = "v1alpha1.insights.autoscaling.dev";

/// The chart in the repository.
pub fn chart_dir() -> PathBuf {
    paths::repo().join("deploy").join("helm").join("autoscaling-insights")
}

/// The server binary (built by [`build`]): the tests' build, or the release build when
/// `AI_SERVER_PROFILE=release` (the scale benchmarks: figures of the binary users run).
pub fn server_binary() -> PathBuf {
    paths::target_dir().join(if release() { "release" } else { "debug" }).join("autoscaling-insights")
}

fn release() -> bool {
    std::env::var("AI_SERVER_PROFILE").is_ok_and(|p| p == "release")
}

/// Builds the server as `cargo test` builds it for the cluster tests (same profile, packages and
/// features; see xtask/src/test.rs): one build serves the tests, the local cluster and the demo.
/// With `AI_SERVER_PROFILE=release`, the release binary instead (`cargo xtask bench scale`).
pub fn build() -> Result<PathBuf> {
    if release() {
        let _p = Phase::start("build autoscaling-insights (release)");
        cmd::run(Command::new("cargo").current_dir(paths::repo()).args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "autoscaling-insights",
            "--bin",
            "autoscaling-insights",
        ]))?;
        return Ok(server_binary());
    }
    let _p = Phase::start("build autoscaling-insights (the tests' build)");
    cmd::run(
        Command::new("cargo")
            .current_dir(paths::repo())
            .args(["test", "--no-run", "--quiet"])
            .args(crate::test::HOST_CLUSTER),
    )?;
    Ok(server_binary())
}

/// The helm binary, built from its Go module when missing.
pub fn helm() -> Result<PathBuf> {
    let c = super::binaries::Component::get("helm")?;
    if !c.is_built()? {
        c.build()?;
    }
    super::binaries::bin("helm", "helm")
}

/// `helm template` of the chart with the values the local cluster needs; `only` limits it to some templates.
pub fn render(cluster: &Cluster, ca_pem: &str, only: &[&str]) -> Result<String> {
    let helm = helm()?;
    let mut c = Command::new(helm);
    c.arg("template").arg(RELEASE).arg(chart_dir()).args(["--namespace", NAMESPACE]);
    // Without a cluster connection helm assumes Kubernetes v1.20; the chart needs >= 1.29.
    c.args(["--kube-version", "1.33.0"]);
    c.args(["--set", "service.type=ExternalName", "--set", "service.externalName=127.0.0.1"]);
    c.arg("--set").arg(format!("service.port={}", cluster.info.ports.insights));
    c.args(["--set", "servingCert.mode=provided"]);
    c.arg("--set-string").arg(format!("apiService.caBundle={ca_pem}"));
    for t in only {
        c.args(["--show-only", &format!("templates/{t}")]);
    }
    cmd::output(&mut c)
}

/// Registers the server (chart RBAC, ExternalName Service, APIService) and starts it.
pub fn start(cluster: &Cluster) -> Result<()> {
    let _p = Phase::start("autoscaling-insights server");
    // Always: a no-op when up to date, and never a stale server after a code change.
    let binary = build()?;
    let dir = cluster.info.pki.dir.join("insights");
    let ca = Ca::ensure(&dir, "insights-ca", "autoscaling-insights-ca")?;
    let service_dns = format!("{RELEASE}.{NAMESPACE}.svc");
    let serving = ca.issue(
        &dir,
        "insights-serving",
        "autoscaling-insights",
        &[],
        &[pki::dns(&service_dns), pki::dns("localhost"), pki::ip("127.0.0.1")],
        Usage::Server,
    )?;
    let ca_pem = ca.cert_pem()?;

    cluster
        .kubectl
        .apply("namespace", &format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {NAMESPACE}\n"))?;
    let manifests =
        render(cluster, &ca_pem, &["serviceaccount.yaml", "rbac.yaml", "service.yaml", "apiservice.yaml"])?;
    cluster.kubectl.apply("autoscaling-insights chart (RBAC, Service, APIService)", &manifests)?;

    let kubeconfig = service_account_kubeconfig(cluster)?;
    let data = cluster.info.state_dir.join("data").join("insights");
    std::fs::create_dir_all(&data)?;
    let port = cluster.info.ports.insights;
    let internal = cluster.info.ports.insights_internal;
    let prometheus = cluster.info.prometheus_url.clone();
    cluster.ensure_running(
        PROCESS,
        Duration::from_secs(90),
        || {
            let mut c = Command::new(&binary);
            c.env("KUBECONFIG", &kubeconfig)
                .env("RUST_LOG", std::env::var("AI_SERVER_LOG").unwrap_or_else(|_| "info".to_owned()))
                .arg(format!("--listen=127.0.0.1:{port}"))
                .arg(format!("--internal-listen=127.0.0.1:{internal}"))
                .arg("--tls-cert-file")
                .arg(&serving.cert)
                .arg("--tls-key-file")
                .arg(&serving.key)
                .arg("--journal-path")
                .arg(data.join("journal.sqlite"))
                .arg(format!("--prometheus-url={prometheus}"))
                .arg("--discovery-interval=15s");
            Ok(c)
        },
        || api_service_available(cluster),
    )
}

/// A kubeconfig that authenticates as the chart's ServiceAccount (TokenRequest, 48 h).
fn service_account_kubeconfig(cluster: &Cluster) -> Result<PathBuf> {
    let token = cluster
        .kubectl
        .run(&["create", "token", RELEASE, "-n", NAMESPACE, "--duration=48h"])
        .context("requesting a token for the server's ServiceAccount")?;
    let path = cluster.info.state_dir.join("config").join("insights.kubeconfig");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
         users:\n- name: {RELEASE}\n  user:\n    token: {token}\ncontexts:\n- name: {RELEASE}\n  context:\n    cluster: local\n    user: {RELEASE}\n\
         current-context: {RELEASE}\n",
        server = cluster.info.apiserver,
        ca = cluster.info.pki.ca_cert.display(),
        token = token.trim(),
    );
    std::fs::write(&path, text)?;
    Ok(path)
}

/// True once the aggregator reports the APIService Available (it probed `/apis/<g>/<v>` through TLS
/// with its front-proxy certificate, so the whole chain works).
pub fn api_service_available(cluster: &Cluster) -> Result<bool> {
    let obj = cluster.kubectl.get_json(&["apiservice", API_SERVICE])?;
    Ok(super::kubectl::condition_true(&obj, "Available"))
}

/// Stops the server started by [`start`] (by its pid file) and leaves the registration in place.
pub fn stop(cluster: &Cluster) -> Result<()> {
    cluster.process(PROCESS).stop(Duration::from_secs(25))?;
    Ok(())
}
