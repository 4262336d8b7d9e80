//! The control plane: PKI, users, kubeconfig, etcd, kube-apiserver, kube-controller-manager,
//! kube-scheduler, and the cluster-wide objects every run needs (namespaces, users' RBAC, CRDs).

use super::info::{ClusterInfo, PkiInfo, RedisInfo, UserInfo};
use super::layout::{Layout, Ports, local};
use super::pki::{self, Ca, Usage, dns, ip};
use super::process::http_get;
use super::{Cluster, binaries::bin};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Creates (or reuses) the PKI, the static tokens and the kubeconfig; returns the cluster description.
pub fn prepare(layout: &Layout, scenario: Option<&str>) -> Result<ClusterInfo> {
    let ports = Ports::DEFAULT;
    let dir = layout.pki_dir();
    fs::create_dir_all(&dir)?;
    for d in [layout.run_dir(), layout.logs_dir(), layout.data_dir(), layout.config_dir()] {
        fs::create_dir_all(d)?;
    }
    let ca = Ca::ensure(&dir, "ca", "autoscaling-insights-local-ca")?;
    // A separate CA for the front proxy: with the cluster CA any client certificate could assert X-Remote-User.
    let fp_ca = Ca::ensure(&dir, "front-proxy-ca", "autoscaling-insights-front-proxy-ca")?;
    ca.issue(
        &dir,
        "apiserver",
        "kube-apiserver",
        &[],
        &[
            dns("localhost"),
            dns("kubernetes"),
            dns("kubernetes.default"),
            dns("kubernetes.default.svc"),
            dns("kubernetes.default.svc.cluster.local"),
            ip("127.0.0.1"),
            ip("10.0.0.1"),
        ],
        Usage::Server,
    )?;
    let admin = ca.issue(&dir, "admin", "local-admin", &["system:masters"], &[], Usage::Client)?;
    let kcm =
        ca.issue(&dir, "controller-manager", "system:kube-controller-manager", &[], &[], Usage::Client)?;
    let sched = ca.issue(&dir, "scheduler", "system:kube-scheduler", &[], &[], Usage::Client)?;
    let fp_client = fp_ca.issue(&dir, "front-proxy-client", "front-proxy-client", &[], &[], Usage::Client)?;
    let (sa_key, sa_pub) = pki::ensure_service_account_keys(&dir)?;

    // Static bearer tokens for the restricted users, random per state directory.
    let tokens_file = dir.join("tokens.csv");
    let tokens = ensure_tokens(&tokens_file)?;
    let redis_password_file = dir.join("redis-password");
    if !redis_password_file.exists() {
        fs::write(&redis_password_file, pki::random_hex(16)?)?;
    }
    let redis_password = fs::read_to_string(&redis_password_file)?.trim().to_string();

    let server = format!("https://{}", local(ports.apiserver));
    let mut users = BTreeMap::new();
    users.insert(
        "admin".to_string(),
        UserInfo {
            context: "admin".into(),
            username: "local-admin".into(),
            groups: vec!["system:masters".into()],
            token: None,
            client_cert: Some(admin.cert.clone()),
            client_key: Some(admin.key.clone()),
            rights: "cluster-admin (group system:masters)".into(),
        },
    );
    users.insert(
        "alice".to_string(),
        UserInfo {
            context: "alice".into(),
            username: "alice".into(),
            groups: vec!["team-a".into()],
            token: Some(tokens["alice"].clone()),
            client_cert: None,
            client_key: None,
            rights: "read/write in namespace team-a only (ClusterRole edit + keda-edit via RoleBindings)"
                .into(),
        },
    );
    users.insert(
        "bob".to_string(),
        UserInfo {
            context: "bob".into(),
            username: "bob".into(),
            groups: vec!["readers".into()],
            token: Some(tokens["bob"].clone()),
            client_cert: None,
            client_key: None,
            rights: "read-only cluster-wide (ClusterRole autoscaling-insights-demo-reader), no karpenter.sh / karpenter.kwok.sh".into(),
        },
    );

    write_kubeconfig(&layout.kubeconfig(), &server, &ca, &users, "admin")?;
    write_kubeconfig(
        &layout.config_dir().join("controller-manager.kubeconfig"),
        &server,
        &ca,
        &one_cert_user(&kcm),
        "admin",
    )?;
    write_kubeconfig(
        &layout.config_dir().join("scheduler.kubeconfig"),
        &server,
        &ca,
        &one_cert_user(&sched),
        "admin",
    )?;

    let mut versions = BTreeMap::new();
    for c in super::binaries::COMPONENTS {
        versions.insert(c.name.to_string(), c.version()?);
    }
    versions.insert("prometheus".into(), debian_version("prometheus"));
    versions.insert("redis".into(), debian_version("redis-server"));

    Ok(ClusterInfo {
        schema: 1,
        state_dir: layout.root(),
        kubeconfig: layout.kubeconfig(),
        contexts: vec!["admin".into(), "alice".into(), "bob".into()],
        apiserver: server,
        ports,
        prometheus_url: format!("http://{}", local(ports.prometheus)),
        redis: RedisInfo { addr: local(ports.redis), password: redis_password },
        load_driver_url: format!("http://{}", local(ports.load_driver)),
        dead_addr: local(ports.dead),
        pki: PkiInfo {
            dir: dir.clone(),
            ca_cert: ca.cert.clone(),
            ca_key: ca.key.clone(),
            front_proxy_ca_cert: fp_ca.cert.clone(),
            front_proxy_ca_key: fp_ca.key.clone(),
            front_proxy_client_cert: fp_client.cert,
            front_proxy_client_key: fp_client.key,
            admin_cert: admin.cert,
            admin_key: admin.key,
            service_account_key: sa_key,
            service_account_pub: sa_pub,
            tokens_csv: tokens_file,
        },
        users,
        versions,
        scenario: scenario.map(str::to_string),
        logs_dir: layout.logs_dir(),
        run_dir: layout.run_dir(),
    })
}

fn one_cert_user(leaf: &pki::Leaf) -> BTreeMap<String, UserInfo> {
    let mut m = BTreeMap::new();
    m.insert(
        "admin".into(),
        UserInfo {
            context: "admin".into(),
            username: String::new(),
            groups: vec![],
            token: None,
            client_cert: Some(leaf.cert.clone()),
            client_key: Some(leaf.key.clone()),
            rights: String::new(),
        },
    );
    m
}

fn ensure_tokens(path: &Path) -> Result<BTreeMap<String, String>> {
    if !path.exists() {
        let alice = pki::random_hex(20)?;
        let bob = pki::random_hex(20)?;
        // token,user,uid,"group1,group2"
        fs::write(path, format!("{alice},alice,uid-alice,\"team-a\"\n{bob},bob,uid-bob,\"readers\"\n"))?;
    }
    let mut tokens = BTreeMap::new();
    for line in fs::read_to_string(path)?.lines() {
        let mut f = line.split(',');
        if let (Some(token), Some(user)) = (f.next(), f.next()) {
            tokens.insert(user.to_string(), token.to_string());
        }
    }
    for u in ["alice", "bob"] {
        if !tokens.contains_key(u) {
            anyhow::bail!("{} has no token for {u}; delete it and run `cluster up` again", path.display());
        }
    }
    Ok(tokens)
}

/// Writes a kubeconfig with one context per user (certificates embedded so the file stands alone).
fn write_kubeconfig(
    path: &Path,
    server: &str,
    ca: &Ca,
    users: &BTreeMap<String, UserInfo>,
    current: &str,
) -> Result<()> {
    let ca_data = pki::base64(&fs::read(&ca.cert)?);
    let mut y = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca_data}\nusers:\n"
    );
    for (name, u) in users {
        y.push_str(&format!("- name: {name}\n  user:\n"));
        if let Some(t) = &u.token {
            y.push_str(&format!("    token: {t}\n"));
        }
        if let (Some(c), Some(k)) = (&u.client_cert, &u.client_key) {
            y.push_str(&format!(
                "    client-certificate-data: {}\n    client-key-data: {}\n",
                pki::base64(&fs::read(c)?),
                pki::base64(&fs::read(k)?)
            ));
        }
    }
    y.push_str("contexts:\n");
    for name in users.keys() {
        y.push_str(&format!("- name: {name}\n  context:\n    cluster: local\n    user: {name}\n"));
    }
    y.push_str(&format!("current-context: {current}\n"));
    fs::write(path, y)?;
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    Ok(())
}

fn debian_version(package: &str) -> String {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", package])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_else(|| "not installed".into())
}

/// etcd on loopback, data in `data/etcd`.
pub fn start_etcd(c: &Cluster) -> Result<()> {
    let p = c.ports();
    let client = format!("http://{}", local(p.etcd));
    let peer = format!("http://{}", local(p.etcd_peer));
    let data = c.layout.data_dir().join("etcd");
    c.ensure_running(
        "etcd",
        Duration::from_secs(60),
        || {
            let mut cmd = Command::new(bin("etcd", "etcd")?);
            cmd.arg(format!("--data-dir={}", data.display()))
                .arg("--name=local")
                .arg(format!("--listen-client-urls={client}"))
                .arg(format!("--advertise-client-urls={client}"))
                .arg(format!("--listen-peer-urls={peer}"))
                .arg(format!("--initial-advertise-peer-urls={peer}"))
                .arg(format!("--initial-cluster=local={peer}"))
                .arg("--listen-metrics-urls=")
                // A test cluster: durability is not worth the fsync latency on a shared disk.
                .arg("--unsafe-no-fsync=true")
                .arg("--quota-backend-bytes=2147483648")
                .arg("--log-level=warn");
            Ok(cmd)
        },
        || {
            Ok(http_get(&local(p.etcd), "/health")
                .map(|(s, b)| s == 200 && b.contains("true"))
                .unwrap_or(false))
        },
    )
}

/// kube-apiserver: RBAC, client certs + static tokens + service-account tokens, front-proxy
/// (requestheader) flags for aggregated APIs, everything on 127.0.0.1.
pub fn start_apiserver(c: &Cluster) -> Result<()> {
    let p = c.ports();
    let pki = &c.info.pki;
    let dir = pki.dir.clone();
    c.ensure_running(
        "kube-apiserver",
        Duration::from_secs(120),
        || {
            let mut cmd = Command::new(bin("kubernetes", "kube-apiserver")?);
            cmd.arg(format!("--etcd-servers=http://{}", local(p.etcd)))
                .arg("--bind-address=127.0.0.1")
                .arg(format!("--secure-port={}", p.apiserver))
                .arg("--advertise-address=127.0.0.1")
                // A loopback advertise address is refused by the endpoints reconciler.
                .arg("--endpoint-reconciler-type=none")
                .arg(format!("--tls-cert-file={}", dir.join("apiserver.crt").display()))
                .arg(format!("--tls-private-key-file={}", dir.join("apiserver.key").display()))
                .arg(format!("--client-ca-file={}", pki.ca_cert.display()))
                .arg(format!("--token-auth-file={}", pki.tokens_csv.display()))
                .arg("--service-account-issuer=https://kubernetes.default.svc.cluster.local")
                .arg(format!("--service-account-key-file={}", pki.service_account_pub.display()))
                .arg(format!("--service-account-signing-key-file={}", pki.service_account_key.display()))
                .arg("--service-cluster-ip-range=10.0.0.0/24")
                .arg("--authorization-mode=Node,RBAC")
                .arg("--allow-privileged=true")
                .arg(format!("--requestheader-client-ca-file={}", pki.front_proxy_ca_cert.display()))
                .arg("--requestheader-allowed-names=front-proxy-client")
                .arg("--requestheader-username-headers=X-Remote-User")
                .arg("--requestheader-group-headers=X-Remote-Group")
                .arg("--requestheader-uid-headers=X-Remote-Uid")
                .arg("--requestheader-extra-headers-prefix=X-Remote-Extra-")
                .arg(format!("--proxy-client-cert-file={}", pki.front_proxy_client_cert.display()))
                .arg(format!("--proxy-client-key-file={}", pki.front_proxy_client_key.display()))
                // Events live 1h by default; the demo and fixtures want the whole run.
                .arg("--event-ttl=6h")
                .arg("--profiling=false")
                .arg("--v=1");
            Ok(cmd)
        },
        || Ok(c.kubectl.raw("/readyz").map(|b| b.trim() == "ok").unwrap_or(false)),
    )
}

/// kube-controller-manager with its own identity and per-controller service accounts (as kubeadm runs it).
pub fn start_controller_manager(c: &Cluster) -> Result<()> {
    let p = c.ports();
    let kubeconfig = c.layout.config_dir().join("controller-manager.kubeconfig");
    let pki = c.info.pki.clone();
    c.ensure_running(
        "kube-controller-manager",
        Duration::from_secs(90),
        || {
            let mut cmd = Command::new(bin("kubernetes", "kube-controller-manager")?);
            cmd.arg(format!("--kubeconfig={}", kubeconfig.display()))
                .arg(format!("--authentication-kubeconfig={}", kubeconfig.display()))
                .arg(format!("--authorization-kubeconfig={}", kubeconfig.display()))
                .arg("--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics")
                .arg("--bind-address=127.0.0.1")
                .arg(format!("--secure-port={}", p.controller_manager))
                .arg("--leader-elect=false")
                .arg(format!("--root-ca-file={}", pki.ca_cert.display()))
                .arg(format!("--service-account-private-key-file={}", pki.service_account_key.display()))
                .arg("--use-service-account-credentials=true")
                .arg(format!("--cluster-signing-cert-file={}", pki.ca_cert.display()))
                .arg(format!("--cluster-signing-key-file={}", pki.ca_key.display()))
                // Client rate limits as large clusters raise them: at the default 20/s, the ReplicaSet
                // controller needs 40 min to create the L fleet's 50,000 pods (`cargo xtask fleet`).
                .arg("--kube-api-qps=300")
                .arg("--kube-api-burst=600")
                .arg("--profiling=false")
                .arg("--v=1");
            Ok(cmd)
        },
        || Ok(https_ok(p.controller_manager, "/healthz")),
    )
}

/// kube-scheduler with its own identity.
pub fn start_scheduler(c: &Cluster) -> Result<()> {
    let p = c.ports();
    let kubeconfig = c.layout.config_dir().join("scheduler.kubeconfig");
    c.ensure_running(
        "kube-scheduler",
        Duration::from_secs(60),
        || {
            let mut cmd = Command::new(bin("kubernetes", "kube-scheduler")?);
            cmd.arg(format!("--kubeconfig={}", kubeconfig.display()))
                .arg(format!("--authentication-kubeconfig={}", kubeconfig.display()))
                .arg(format!("--authorization-kubeconfig={}", kubeconfig.display()))
                .arg("--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics")
                .arg("--bind-address=127.0.0.1")
                .arg(format!("--secure-port={}", p.scheduler))
                .arg("--leader-elect=false")
                // Bindings of a large fleet: the default 50/s takes 17 min for 50,000 pods.
                .arg("--kube-api-qps=300")
                .arg("--kube-api-burst=600")
                .arg("--profiling=false")
                .arg("--v=1");
            Ok(cmd)
        },
        || Ok(https_ok(p.scheduler, "/healthz")),
    )
}

/// GET https://127.0.0.1:<port><path> answers 200 (curl, certificate not verified: self-signed
/// serving certificates of KCM and the scheduler).
pub fn https_ok(port: u16, path: &str) -> bool {
    Command::new("curl")
        .args(["-sk", "--max-time", "3", "-o", "/dev/null", "-w", "%{http_code}"])
        .arg(format!("https://127.0.0.1:{port}{path}"))
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "200")
        .unwrap_or(false)
}

/// Namespaces, the users' RBAC and the demo reader role: applied on every `up` (idempotent).
pub fn apply_bootstrap(c: &Cluster) -> Result<()> {
    let yaml = fs::read_to_string(manifest("bootstrap.yaml"))?;
    c.kubectl.apply("namespaces and users' RBAC", &yaml)
}

/// A manifest under `tools/cluster/manifests/`.
pub fn manifest(name: &str) -> PathBuf {
    crate::paths::repo().join("tools").join("cluster").join("manifests").join(name)
}

/// Waits until the CRDs named in `names` are Established.
pub fn wait_crds_established(c: &Cluster, names: &[String]) -> Result<()> {
    let mut args = vec!["wait", "--for=condition=Established", "--timeout=60s"];
    let refs: Vec<String> = names.iter().map(|n| format!("crd/{n}")).collect();
    args.extend(refs.iter().map(String::as_str));
    c.kubectl.run(&args).context("waiting for CRDs to be Established")?;
    Ok(())
}
