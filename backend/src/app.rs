//! Starts every part of the server and runs it until SIGTERM/SIGINT.

use crate::api::{self, AppState};
use crate::authn::{self, Trust};
use crate::authz::{Authorizer, SubjectAccessReviewer};
use crate::caches::Caches;
use crate::cli::Args;
use crate::external_metrics::{self, LiveValues};
use crate::journal::Journal;
use crate::metrics::Metrics;
use crate::pricing::{PriceConfig, Prices};
use crate::prometheus::{self, Prometheus};
use crate::views::Views;
use crate::{catalog, peers, recorder, serve, tls};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The serving certificate is unusable.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    /// No Kubernetes client configuration (in-cluster or KUBECONFIG).
    #[error("kubernetes client: {0}")]
    Kube(#[from] kube::Error),
    /// The journal cannot be opened.
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
    /// The Prometheus settings are unusable.
    #[error(transparent)]
    Prometheus(#[from] prometheus::PromConfigError),
    /// A flag's value is unusable.
    #[error("{0}")]
    Flag(String),
    /// The listener cannot bind.
    #[error("listening on {addr}: {source}")]
    Bind {
        /// Address.
        addr: std::net::SocketAddr,
        /// IO error.
        source: std::io::Error,
    },
}

/// Runs the server until a termination signal.
pub async fn run(args: Args) -> Result<(), StartError> {
    let started = Instant::now();
    let provider = tls::provider();
    // One process-wide provider, so every rustls user (kube, reqwest) agrees.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = tls::ServingCert::load(&args.tls_cert_file, &args.tls_key_file, Arc::clone(&provider))?;
    cert.spawn_reloader(Duration::from_secs(30));
    let tls_config = tls::server_config(Arc::clone(&cert), Arc::clone(&provider))?;
    let peer_client = peers::client(Arc::clone(&cert), Arc::clone(&provider))
        .map_err(|e| StartError::Flag(format!("peer client: {e}")))?;

    let client = kube::Client::try_default().await?;
    let metrics = Metrics::default();

    let trust = Arc::new(Trust::default());
    tokio::spawn(authn::watch_trust(
        client.clone(),
        args.auth_config_namespace.clone(),
        Arc::clone(&trust),
        provider,
    ));

    let journal = Journal::open(&args.journal_path)?;
    let caches = Caches::start(&client, &metrics);
    let policy = catalog::TargetPolicy::parse(&args.scale_target_kinds)
        .map_err(|e| StartError::Flag(format!("--scale-target-kinds: {e}")))?;
    tokio::spawn(catalog::run(
        client.clone(),
        Arc::clone(&caches),
        metrics.clone(),
        args.discovery_interval,
        policy,
    ));
    tokio::spawn(recorder::run(
        Arc::clone(&caches),
        journal.clone(),
        metrics.clone(),
        Duration::from_secs(5),
        args.journal_retention,
        args.journal_max_bytes,
    ));
    {
        let (caches, metrics) = (Arc::clone(&caches), metrics.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            while !(caches.ready() && caches.all_listed()) {
                tick.tick().await;
            }
            let secs = started.elapsed().as_secs_f64();
            metrics.initial_sync_seconds.set(secs);
            tracing::info!(seconds = secs, "initial sync complete");
        });
    }

    if !args.peers.is_empty() {
        let mut own = vec![args.listen];
        own.extend(args.pod_ip.map(|ip| std::net::SocketAddr::new(ip, args.listen.port())));
        let set = peers::PeerSet { names: args.peers.clone(), own };
        tokio::spawn(peers::run(peer_client, journal.clone(), set, args.peer_sync_interval, metrics.clone()));
    }

    let live = Arc::new(LiveValues::default());
    tokio::spawn(external_metrics::run(
        client.clone(),
        Arc::clone(&caches),
        Arc::clone(&live),
        metrics.clone(),
        args.external_metrics_interval,
        args.external_metrics_timeout,
    ));
    let prometheus = match &args.prometheus_url {
        Some(url) => {
            let auth = prometheus::Auth {
                bearer_token_file: args.prometheus_bearer_token_file.clone(),
                username: args.prometheus_username.clone(),
                password_file: args.prometheus_password_file.clone(),
                tenant: args.prometheus_tenant.clone(),
            };
            Some(Prometheus::new(
                url,
                auth,
                args.prometheus_ca_file.as_deref(),
                args.prometheus_timeout,
                metrics.clone(),
            )?)
        }
        None => None,
    };

    let prices = Prices::new(
        PriceConfig {
            label: args.price_label.clone(),
            table_file: args.price_table_file.clone(),
            query: args.price_query.clone(),
            refresh: args.price_refresh,
        },
        Arc::clone(&caches.changes),
    );
    tokio::spawn(Arc::clone(&prices).run(prometheus.clone()));

    let limits = crate::authz::Limits {
        burst: args.sar_burst,
        per_second: args.sar_rate,
        ..crate::authz::Limits::with_ttl(args.sar_cache_ttl)
    };
    let authorizer =
        Authorizer::new(Arc::new(SubjectAccessReviewer(client.clone())), limits, metrics.clone());
    let peer_routes = peers::router(journal.clone(), Arc::clone(&cert));
    let views = Views::new(Arc::clone(&caches), journal, authorizer, live, prometheus, prices);
    let state = AppState { trust, source: Arc::new(views), metrics };
    if !args.internal_listen.is_empty() {
        let addr: std::net::SocketAddr =
            args.internal_listen.parse().map_err(|e| StartError::Flag(format!("--internal-listen: {e}")))?;
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })?;
        tracing::info!(%addr, "serving health and metrics (internal)");
        let internal = api::internal_router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, internal).await {
                tracing::error!(error = %e, "internal listener failed");
            }
        });
    }
    let app = api::router(state).merge(peer_routes);

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| StartError::Bind { addr: args.listen, source })?;
    tracing::info!(addr = %args.listen, "serving insights.autoscaling.dev/v1alpha1");
    serve::serve(listener, tls_config, app, shutdown_signal(), args.shutdown_grace, args.max_connections)
        .await;
    Ok(())
}

/// Resolves on SIGTERM or SIGINT.
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}
