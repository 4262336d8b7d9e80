//! The TLS listener: accepts connections, hands each request its connection's client certificates,
//! serves HTTP/1.1 and HTTP/2, and drains in-flight requests on shutdown.

use crate::authn::ClientCertificates;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use rustls::ServerConfig;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How long a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Streams one HTTP/2 connection may have open (kube-apiserver multiplexes every user over a few).
const MAX_STREAMS_PER_CONNECTION: u32 = 250;
/// HTTP/2 pings find peers that vanished without closing (a node gone, a NAT entry dropped).
const KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(30);
/// A ping unanswered for this long closes the connection.
const KEEP_ALIVE_TIMEOUT: Duration = Duration::from_secs(20);

/// Serves `app` on `listener` until `shutdown` resolves, then waits up to `grace` for open requests.
/// At most `max_connections` are open at once; further clients wait in the listen queue.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
    grace: Duration,
    max_connections: usize,
) {
    let acceptor = TlsAcceptor::from(tls);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(s) => s,
                Err(_) => break,
            },
        };
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // EMFILE and friends: back off briefly instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // Held until the connection ends.
            let _slot = slot;
            let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%peer, "TLS handshake timed out");
                    return;
                }
            };
            let certs = ClientCertificates::new(
                stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .map(|c| c.iter().map(|c| c.clone().into_owned()).collect())
                    .unwrap_or_default(),
            );
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(certs.clone());
                app.clone().oneshot(req.map(axum::body::Body::new))
            });
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder.http1().timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(30));
            builder
                .http2()
                .timer(TokioTimer::new())
                .max_concurrent_streams(MAX_STREAMS_PER_CONNECTION)
                .keep_alive_interval(KEEP_ALIVE_INTERVAL)
                .keep_alive_timeout(KEEP_ALIVE_TIMEOUT);
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            if let Err(e) = watcher.watch(conn.into_owned()).await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down: draining open connections");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(grace) => tracing::warn!(?grace, "grace period over; closing remaining connections"),
    }
}

#[cfg(test)]
mod tests {
    //! The whole HTTP stack over real TLS on loopback: listener, client-certificate capture,
    //! front-proxy authentication, routing, Table negotiation. Only the data is a stand-in.
    use super::*;
    use crate::api::{ApiError, AppState, Item, ListQuery, Source};
    use crate::authn::{FrontProxyTrust, Trust, UserInfo};
    use model::api::ResourceDef;
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, SanType,
    };
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use std::collections::BTreeMap;

    struct Ca {
        cert: CertificateDer<'static>,
        pem: String,
        issuer: Issuer<'static, KeyPair>,
    }

    fn ca(cn: &str) -> Ca {
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("key");
        let cert = p.self_signed(&key).expect("self-signed");
        Ca { cert: cert.der().clone(), pem: cert.pem(), issuer: Issuer::new(p, key) }
    }

    fn leaf(
        ca: &Ca,
        cn: &str,
        usage: ExtendedKeyUsagePurpose,
        sans: &[&str],
    ) -> (String, String, CertificateDer<'static>, PrivateKeyDer<'static>) {
        let mut p =
            CertificateParams::new(sans.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).expect("params");
        p.distinguished_name.push(DnType::CommonName, cn);
        p.extended_key_usages = vec![usage];
        if sans.contains(&"127.0.0.1") {
            p.subject_alt_names.push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
        }
        let key = KeyPair::generate().expect("key");
        let cert = p.signed_by(&key, &ca.issuer).expect("signed");
        let der_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        (cert.pem(), key.serialize_pem(), cert.der().clone(), der_key)
    }

    struct Fixed;

    #[async_trait::async_trait]
    impl Source for Fixed {
        fn ready(&self) -> Result<(), String> {
            Ok(())
        }
        async fn list(
            &self,
            _def: &'static ResourceDef,
            user: &UserInfo,
            _namespace: Option<&str>,
            _name: Option<&str>,
            _query: &ListQuery,
        ) -> Result<Vec<Item>, ApiError> {
            // Echo who asked, so the test sees what authentication produced.
            let object = serde_json::json!({"metadata": {"name": "w", "namespace": "team-a"}, "user": user.username, "groups": user.groups});
            Ok(vec![Item { object, cells: vec![serde_json::json!("w")] }])
        }
    }

    struct Server {
        addr: std::net::SocketAddr,
        internal: std::net::SocketAddr,
        server_ca: Ca,
        proxy_ca: Ca,
        stop: Option<tokio::sync::oneshot::Sender<()>>,
    }

    async fn start() -> Server {
        start_with(64).await
    }

    async fn start_with(max_connections: usize) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let server_ca = ca("insights-ca");
        let (cert_pem, key_pem, _, _) =
            leaf(&server_ca, "insights", ExtendedKeyUsagePurpose::ServerAuth, &["localhost", "127.0.0.1"]);
        std::fs::write(dir.path().join("tls.crt"), cert_pem).expect("write");
        std::fs::write(dir.path().join("tls.key"), key_pem).expect("write");
        let provider = crate::tls::provider();
        let serving = crate::tls::ServingCert::load(
            &dir.path().join("tls.crt"),
            &dir.path().join("tls.key"),
            provider.clone(),
        )
        .expect("cert");
        let tls = crate::tls::server_config(serving, provider.clone()).expect("tls");
        let proxy_ca = ca("front-proxy-ca");
        let trust = Arc::new(Trust::default());
        let data = BTreeMap::from([
            ("requestheader-client-ca-file".to_owned(), proxy_ca.pem.clone()),
            ("requestheader-allowed-names".to_owned(), r#"["front-proxy-client"]"#.to_owned()),
            ("requestheader-username-headers".to_owned(), r#"["X-Remote-User"]"#.to_owned()),
            ("requestheader-group-headers".to_owned(), r#"["X-Remote-Group"]"#.to_owned()),
            ("requestheader-extra-headers-prefix".to_owned(), r#"["X-Remote-Extra-"]"#.to_owned()),
        ]);
        trust.set(FrontProxyTrust::from_configmap(&data, provider).expect("trust"));
        let state = AppState { trust, source: Arc::new(Fixed), metrics: Default::default() };
        let internal_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind internal");
        let internal = internal_listener.local_addr().expect("addr");
        let internal_app = crate::api::internal_router(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(internal_listener, internal_app).await;
        });
        let app = crate::api::router(state);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            serve(
                listener,
                tls,
                app,
                async {
                    let _ = rx.await;
                },
                Duration::from_secs(2),
                max_connections,
            )
            .await;
            drop(dir);
        });
        Server { addr, internal, server_ca, proxy_ca, stop: Some(tx) }
    }

    fn client(
        s: &Server,
        identity: Option<(CertificateDer<'static>, PrivateKeyDer<'static>)>,
    ) -> reqwest::Client {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(s.server_ca.cert.clone()).expect("root");
        let b = rustls::ClientConfig::builder_with_provider(crate::tls::provider())
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots);
        let config = match identity {
            Some((cert, key)) => b.with_client_auth_cert(vec![cert], key).expect("client cert"),
            None => b.with_no_client_auth(),
        };
        reqwest::Client::builder().tls_backend_preconfigured(config).build().expect("client")
    }

    const DISCOVERY: &str = "/apis/insights.autoscaling.dev/v1alpha1";

    async fn get(
        c: &reqwest::Client,
        s: &Server,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let mut r = c.get(format!("https://localhost:{}{path}", s.addr.port()));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let resp = r.send().await.expect("response");
        let code = resp.status().as_u16();
        let body = resp.text().await.expect("body");
        (code, serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)))
    }

    /// Connections beyond the limit wait in the listen queue until one closes (nothing is refused,
    /// nothing grows without bound).
    #[tokio::test]
    async fn connections_beyond_the_limit_wait_for_a_free_slot() {
        let s = start_with(1).await;
        let (_, _, cert, key) =
            leaf(&s.proxy_ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth, &[]);
        let identity = || Some((cert.clone(), key.clone_key()));
        let first = client(&s, identity());
        assert_eq!(
            get(&first, &s, "/healthz", &[]).await.0,
            200,
            "the first connection is served and kept open"
        );
        let second = client(&s, identity());
        let waiting = tokio::time::timeout(Duration::from_secs(1), get(&second, &s, "/healthz", &[])).await;
        assert!(waiting.is_err(), "a second connection is not served while the only slot is taken");
        drop(first);
        let served = tokio::time::timeout(Duration::from_secs(30), get(&second, &s, "/healthz", &[])).await;
        assert_eq!(served.map(|r| r.0).ok(), Some(200), "served once the slot is free");
    }

    #[tokio::test]
    async fn front_proxy_certificate_is_required() {
        let s = start().await;
        let forged = [("X-Remote-User", "system:admin"), ("X-Remote-Group", "system:masters")];
        let (code, body) = get(&client(&s, None), &s, DISCOVERY, &forged).await;
        assert_eq!(code, 401, "forged headers without a certificate");
        assert_eq!((body["kind"].as_str(), body["reason"].as_str()), (Some("Status"), Some("Unauthorized")));

        let evil = ca("front-proxy-ca");
        let (_, _, cert, key) = leaf(&evil, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth, &[]);
        assert_eq!(get(&client(&s, Some((cert, key))), &s, DISCOVERY, &forged).await.0, 401, "wrong CA");

        let (_, _, cert, key) = leaf(&s.proxy_ca, "not-the-proxy", ExtendedKeyUsagePurpose::ClientAuth, &[]);
        assert_eq!(get(&client(&s, Some((cert, key))), &s, DISCOVERY, &forged).await.0, 401, "wrong CN");

        let (_, _, cert, key) =
            leaf(&s.proxy_ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth, &[]);
        let proxy = client(&s, Some((cert, key)));
        let (code, body) = get(&proxy, &s, DISCOVERY, &forged).await;
        assert_eq!(code, 200);
        assert_eq!(body["kind"], "APIResourceList");
        let (code, body) = get(
            &proxy,
            &s,
            "/apis/insights.autoscaling.dev/v1alpha1/scalers",
            &[
                ("X-Remote-User", "alice"),
                ("X-Remote-Group", "team-a"),
                ("X-Remote-Group", "system:authenticated"),
            ],
        )
        .await;
        assert_eq!(code, 200);
        assert_eq!(body["kind"], "ScalerList");
        assert_eq!(body["items"][0]["user"], "alice");
        assert_eq!(body["items"][0]["groups"], serde_json::json!(["team-a", "system:authenticated"]));
        let _ = s.stop.map(|tx| tx.send(()));
    }

    #[tokio::test]
    async fn health_needs_no_certificate_and_kubectl_gets_a_table() {
        let s = start().await;
        let anonymous = client(&s, None);
        assert_eq!(get(&anonymous, &s, "/healthz", &[]).await.0, 200);
        assert_eq!(get(&anonymous, &s, "/readyz", &[]).await, (200, serde_json::json!("ok")));
        // Details and metrics are on the internal port only.
        assert_eq!(get(&anonymous, &s, "/readyz?verbose", &[]).await, (200, serde_json::json!("ok")));
        assert_eq!(get(&anonymous, &s, "/metrics", &[]).await.0, 401);
        let _ = rustls::crypto::ring::default_provider().install_default();
        let plain = reqwest::Client::new();
        let metrics = plain.get(format!("http://{}/metrics", s.internal)).send().await.expect("internal");
        assert_eq!(metrics.status().as_u16(), 200);
        assert!(metrics.text().await.expect("body").contains("autoscaling_insights_requests_total"));
        let verbose =
            plain.get(format!("http://{}/readyz?verbose", s.internal)).send().await.expect("internal");
        assert!(verbose.text().await.expect("body").starts_with("[+]front-proxy-trust"));

        let (_, _, cert, key) =
            leaf(&s.proxy_ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth, &[]);
        let proxy = client(&s, Some((cert, key)));
        let kubectl = [
            ("X-Remote-User", "admin"),
            (
                "Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
            ),
        ];
        let (code, table) =
            get(&proxy, &s, "/apis/insights.autoscaling.dev/v1alpha1/namespaces/team-a/scalers", &kubectl)
                .await;
        assert_eq!(code, 200);
        assert_eq!(table["kind"], "Table");
        assert_eq!(table["rows"][0]["cells"][0], "w");
        let (code, one) = get(
            &proxy,
            &s,
            "/apis/insights.autoscaling.dev/v1alpha1/namespaces/team-a/scalers/w",
            &[("X-Remote-User", "admin")],
        )
        .await;
        assert_eq!((code, one["metadata"]["name"].as_str()), (200, Some("w")));
        let (code, _) = get(
            &proxy,
            &s,
            "/apis/insights.autoscaling.dev/v1alpha1/namespaces/team-a/scalers/missing",
            &[("X-Remote-User", "admin")],
        )
        .await;
        assert_eq!(code, 404);
        let (code, _) = get(
            &proxy,
            &s,
            "/apis/insights.autoscaling.dev/v1alpha1/nosuchthings",
            &[("X-Remote-User", "admin")],
        )
        .await;
        assert_eq!(code, 404);
        let resp = proxy
            .delete(format!(
                "https://localhost:{}/apis/insights.autoscaling.dev/v1alpha1/namespaces/team-a/scalers/w",
                s.addr.port()
            ))
            .header("X-Remote-User", "admin")
            .send()
            .await
            .expect("response");
        assert_eq!(resp.status().as_u16(), 405, "read-only API");
        let _ = s.stop.map(|tx| tx.send(()));
    }

    /// A client that revalidates gets a 304 without a body while the answer is unchanged, and the full
    /// answer when its tag is stale.
    #[tokio::test]
    async fn unchanged_answers_are_revalidated_with_a_304() {
        let s = start().await;
        let (_, _, cert, key) =
            leaf(&s.proxy_ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth, &[]);
        let proxy = client(&s, Some((cert, key)));
        let url =
            format!("https://localhost:{}/apis/insights.autoscaling.dev/v1alpha1/scalers", s.addr.port());
        let first = proxy.get(&url).header("X-Remote-User", "admin").send().await.expect("response");
        assert_eq!(first.status().as_u16(), 200);
        let etag = first.headers().get("etag").and_then(|v| v.to_str().ok()).expect("an ETag").to_owned();
        assert_eq!(
            first.headers().get("cache-control").and_then(|v| v.to_str().ok()),
            Some("private, no-cache")
        );
        let again = proxy
            .get(&url)
            .header("X-Remote-User", "admin")
            .header("If-None-Match", &etag)
            .send()
            .await
            .expect("response");
        assert_eq!(again.status().as_u16(), 304);
        assert!(again.text().await.expect("body").is_empty(), "a 304 has no body");
        // Another user's answer differs (the source echoes the user), so its tag does too.
        let other = proxy
            .get(&url)
            .header("X-Remote-User", "bob")
            .header("If-None-Match", &etag)
            .send()
            .await
            .expect("response");
        assert_eq!(other.status().as_u16(), 200, "a stale tag gets the answer");
        assert_ne!(other.headers().get("etag").and_then(|v| v.to_str().ok()), Some(etag.as_str()));
        let _ = s.stop.map(|tx| tx.send(()));
    }
}
