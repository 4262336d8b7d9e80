//! The Autoscaling Insights server in the local cluster (owned by the server's engineer, issue 4).
//!
//! `cluster up` calls [`start`] last, after every other component is ready and `cluster.json` is
//! written; `cluster down` calls [`stop`] first. What is available here through `cluster: &Cluster`:
//! - `cluster.info` (= `cluster.json`): `ports.insights` (the port reserved for this server, 26543),
//!   `pki.front_proxy_ca_cert` (verify the aggregator's client certificate against it), `kubeconfig`,
//!   `apiserver`, `prometheus_url`, `logs_dir`, `run_dir`;
//! - `cluster.kubectl.apply(what, yaml)`: server-side apply of multi-document YAML as admin;
//! - `super::pki::Ca::ensure(dir, name, cn)` and `ca.issue(dir, name, cn, orgs, sans, Usage::Server)`:
//!   a CA of your own and the serving certificate (SAN `<svc>.<ns>.svc`), e.g. under `cluster.info.pki.dir`;
//! - `cluster.ensure_running(name, timeout, || Ok(command), || ready)`: starts a process with
//!   `run/<name>.pid` and `logs/<name>.log` unless it already runs, and waits until ready;
//! - `cluster.process(name).stop(grace)`: stops it by its pid file.

use super::Cluster;
use anyhow::Result;

/// Starts the server and registers its APIService (not built yet: does nothing).
pub fn start(_cluster: &Cluster) -> Result<()> {
    Ok(())
}

/// Stops the server started by [`start`] (not built yet: does nothing).
pub fn stop(_cluster: &Cluster) -> Result<()> {
    Ok(())
}
