//! Journal replication between replicas. kube-apiserver spreads requests over every replica, so each
//! must answer the same journal: every replica pulls the entries its peers recorded or changed since it
//! last asked (the journal's `seq` cursor) and merges them (a join: order and repeats do not matter). A
//! replica that was down backfills what happened meanwhile, events that expired included.
//!
//! Who is a peer: whoever holds the serving key. Both ends of the connection present the serving
//! certificate and accept only that certificate (the handshake's signature proves the key): no token
//! travels, no RBAC is needed, and kube-apiserver, which proxies only `/apis/...`, cannot reach it.

use crate::authn::ClientCertificates;
use crate::journal::{Changes, Journal};
use crate::metrics::Metrics;
use crate::tls::ServingCert;
use axum::extract::{Extension, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rustls::client::ResolvesClientCert;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The path a replica serves its journal's changes on (API port, peers only).
pub const PATH: &str = "/peer/v1/journal";
/// Entries per page.
const PAGE: usize = 1_000;
/// Pages read from one peer per round (a backfill of more continues in the next round).
const PAGES_PER_ROUND: usize = 50;
/// Upper bound of one request to a peer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a round with a peer failed.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// The peer did not answer, or the TLS handshake failed (not holding the serving key).
    #[error("request: {0}")]
    Request(#[from] reqwest::Error),
    /// The peer answered with an error status.
    #[error("answered {status}: {body}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// The local journal refused the entries.
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
}

/// Query of [`PATH`].
#[derive(Debug, serde::Deserialize)]
struct ChangesQuery {
    #[serde(default = "before_all")]
    after: i64,
    #[serde(default)]
    limit: Option<usize>,
}

fn before_all() -> i64 {
    -1
}

#[derive(Clone)]
struct Served {
    journal: Journal,
    cert: Arc<ServingCert>,
}

/// The peer endpoint, to be merged into the API port's router.
pub fn router(journal: Journal, cert: Arc<ServingCert>) -> Router {
    Router::new().route(PATH, get(changes)).with_state(Served { journal, cert })
}

/// Whether a client's chain starts with the serving certificate (the handshake proved its key).
fn holds_serving_key(chain: &[CertificateDer<'_>], cert: &ServingCert) -> bool {
    let current = cert.current();
    matches!((chain.first(), current.cert.first()), (Some(a), Some(b)) if a.as_ref() == b.as_ref())
}

async fn changes(
    State(s): State<Served>,
    certs: Option<Extension<ClientCertificates>>,
    Query(q): Query<ChangesQuery>,
) -> Response {
    let chain = certs.map(|Extension(c)| c.0).unwrap_or_default();
    if !holds_serving_key(&chain, &s.cert) {
        return (StatusCode::FORBIDDEN, "peers only: present the serving certificate\n").into_response();
    }
    let limit = q.limit.unwrap_or(PAGE).clamp(1, PAGE);
    match s.journal.run(move |j| j.changes(q.after, limit)).await {
        Ok(page) => Json(page).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading journal changes for a peer");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("journal: {e}\n")).into_response()
        }
    }
}

/// Accepts exactly the serving certificate from a peer, whatever address it was reached at.
#[derive(Debug)]
struct PinnedPeer {
    cert: Arc<ServingCert>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedPeer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if holds_serving_key(std::slice::from_ref(end_entity), &self.cert) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Presents the (current) serving certificate as the client certificate.
#[derive(Debug)]
struct ServingIdentity(Arc<ServingCert>);

impl ResolvesClientCert for ServingIdentity {
    fn resolve(&self, _hints: &[&[u8]], _schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        Some(self.0.current())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// An HTTP client that talks to peers only: it shows the serving certificate and wants it back.
pub fn client(cert: Arc<ServingCert>, provider: Arc<CryptoProvider>) -> Result<reqwest::Client, PeerError> {
    let verifier = Arc::new(PinnedPeer {
        cert: Arc::clone(&cert),
        algorithms: provider.signature_verification_algorithms,
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| PeerError::Status { status: 0, body: e.to_string() })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(Arc::new(ServingIdentity(cert)));
    Ok(reqwest::Client::builder().tls_backend_preconfigured(config).timeout(TIMEOUT).build()?)
}

/// Where a peer's journal stands for us.
#[derive(Debug, Default)]
struct Cursor {
    journal: String,
    next: i64,
}

/// Reads one peer's changes after `cursor` (up to [`PAGES_PER_ROUND`] pages) into `journal`; returns the
/// entries received.
async fn pull(
    client: &reqwest::Client,
    journal: &Journal,
    addr: SocketAddr,
    cursor: &mut Cursor,
) -> Result<usize, PeerError> {
    let mut received = 0;
    for _ in 0..PAGES_PER_ROUND {
        let url = format!("https://{addr}{PATH}?after={}&limit={PAGE}", cursor.next);
        let resp = client.get(url).send().await?;
        let status = resp.status();
        if !status.is_success() {
            let body: String = resp.text().await.unwrap_or_default().chars().take(200).collect();
            return Err(PeerError::Status { status: status.as_u16(), body });
        }
        let page: Changes = resp.json().await?;
        if page.journal != cursor.journal {
            // A journal we have not read (first contact, or the peer's volume was replaced): from the start.
            let fresh = cursor.journal.is_empty() && cursor.next < 0;
            *cursor = Cursor { journal: page.journal.clone(), next: -1 };
            if !fresh {
                continue;
            }
        }
        received += page.entries.len();
        let (more, next) = (page.more, page.next);
        if !page.entries.is_empty() {
            journal.run(move |j| j.record(&page.entries)).await?;
        }
        cursor.next = next;
        if !more {
            break;
        }
    }
    Ok(received)
}

/// Where the peers are: `host:port` names resolved on every round (a headless Service's name gives
/// every replica's address), minus this replica's own addresses.
#[derive(Debug, Clone)]
pub struct PeerSet {
    /// `host:port` names.
    pub names: Vec<String>,
    /// This replica's addresses (its pod IP and listen address), never asked.
    pub own: Vec<SocketAddr>,
}

impl PeerSet {
    async fn resolve(&self) -> Vec<SocketAddr> {
        let mut out = Vec::new();
        for name in &self.names {
            match tokio::net::lookup_host(name.as_str()).await {
                Ok(addrs) => out.extend(addrs.filter(|a| !self.own.contains(a))),
                Err(e) => tracing::debug!(peer = %name, error = %e, "peer name does not resolve"),
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Pulls every peer's changes every `period` until the process ends.
pub async fn run(
    client: reqwest::Client,
    journal: Journal,
    peers: PeerSet,
    period: Duration,
    metrics: Metrics,
) {
    let mut cursors: HashMap<SocketAddr, Cursor> = HashMap::new();
    let mut failing: HashMap<SocketAddr, String> = HashMap::new();
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let addrs = peers.resolve().await;
        cursors.retain(|a, _| addrs.contains(a));
        for addr in addrs {
            let cursor = cursors.entry(addr).or_insert(Cursor { journal: String::new(), next: -1 });
            match pull(&client, &journal, addr, cursor).await {
                Ok(n) => {
                    metrics.peer_entries.inc_by(n as u64);
                    if failing.remove(&addr).is_some() || n > 0 {
                        tracing::info!(%addr, entries = n, "journal entries pulled from a peer");
                    }
                }
                Err(e) => {
                    metrics.peer_errors.inc();
                    let text = e.to_string();
                    // Said once per kind of failure (a peer being replaced is normal during a rollout).
                    if failing.get(&addr) != Some(&text) {
                        tracing::warn!(%addr, error = %text, "cannot pull journal entries from a peer");
                        failing.insert(addr, text);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Two journals and the real TLS stack on loopback; the "peers" are this process's own listeners.
    use super::*;
    use crate::journal::Query;
    use crate::journal::tests::event;

    #[test]
    fn changes_page_in_seq_order_and_merge_to_the_same_journal_in_any_order() {
        let a = Journal::in_memory().expect("a");
        let b = Journal::in_memory().expect("b");
        a.record(&[event("e1", "team-a", 1_000, 1_000, 1), event("e2", "team-a", 2_000, 2_000, 1)])
            .expect("a");
        b.record(&[event("e2", "team-a", 2_000, 9_000, 4), event("e3", "team-b", 3_000, 3_000, 1)])
            .expect("b");
        // Re-recording what is known does not count as a change.
        let before = a.changes(-1, 10).expect("changes").next;
        a.record(&[event("e1", "team-a", 1_000, 1_000, 1)]).expect("again");
        assert!(a.changes(before, 10).expect("changes").entries.is_empty(), "no change, no new seq");
        // Pages of one entry, then everything: each side merges the other's changes.
        let mut cursor = -1;
        loop {
            let page = a.changes(cursor, 1).expect("page");
            assert!(page.entries.len() <= 1);
            b.record(&page.entries).expect("b merges");
            cursor = page.next;
            if !page.more {
                break;
            }
        }
        a.record(&b.changes(-1, 1_000).expect("b's").entries).expect("a merges");
        let all = |j: &Journal| j.query(&Query { limit: 100, ..Default::default() }).expect("query");
        assert_eq!(all(&a), all(&b), "both replicas answer the same journal");
        let e2 = all(&a).into_iter().find(|e| e.uid == "e2").expect("e2");
        assert_eq!((e2.count, e2.last_time.0), (4, 9_000), "the merge keeps the latest");
    }
}
