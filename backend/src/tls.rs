//! TLS of the listener: the serving certificate (re-read when its files change) and a client-certificate
//! request that lets every certificate through the handshake.
//!
//! Why accept any client certificate at the TLS layer: the front-proxy CA lives in a ConfigMap that can
//! rotate, and a client with a wrong certificate must get an HTTP 401 like from kube-apiserver, not a
//! handshake failure. The handshake still proves the client holds the certificate's key (its
//! CertificateVerify signature is checked here); the chain and the CN are checked per request in
//! [`crate::authn`].

use arc_swap::ArcSwap;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime, pem::PemObject};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Why the serving certificate could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// The certificate file holds no PEM certificate.
    #[error("{0}: no PEM certificate found")]
    NoCertificate(PathBuf),
    /// The key file holds no usable PEM private key.
    #[error("{path}: no usable private key: {reason}")]
    Key {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The crypto provider of the whole process (ring: no C toolchain needed beyond what kube-rs uses).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads a PEM certificate chain.
pub fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = std::fs::read(path).map_err(|source| TlsError::Read { path: path.to_owned(), source })?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes).filter_map(Result::ok).collect();
    if certs.is_empty() {
        return Err(TlsError::NoCertificate(path.to_owned()));
    }
    Ok(certs)
}

/// Parses PEM certificates from memory (the ConfigMap's CA bundles); unreadable blocks are skipped.
pub fn parse_pem_certs(pem: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_slice_iter(pem.as_bytes()).filter_map(Result::ok).collect()
}

/// Loads the serving certificate and key into a signing key for rustls.
pub fn load_certified_key(
    cert_file: &Path,
    key_file: &Path,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, TlsError> {
    let certs = read_certs(cert_file)?;
    let key_bytes =
        std::fs::read(key_file).map_err(|source| TlsError::Read { path: key_file.to_owned(), source })?;
    let key = PrivateKeyDer::from_pem_slice(&key_bytes)
        .map_err(|e| TlsError::Key { path: key_file.to_owned(), reason: e.to_string() })?;
    let signing = provider
        .key_provider
        .load_private_key(key)
        .map_err(|e| TlsError::Key { path: key_file.to_owned(), reason: e.to_string() })?;
    Ok(CertifiedKey::new(certs, signing))
}

/// The serving certificate, swapped in place when its files change.
#[derive(Debug)]
pub struct ServingCert {
    current: ArcSwap<CertifiedKey>,
    cert_file: PathBuf,
    key_file: PathBuf,
    provider: Arc<CryptoProvider>,
    stamp: std::sync::Mutex<Option<(SystemTime, SystemTime)>>,
}

impl ServingCert {
    /// Loads the certificate once; fails when it cannot be used.
    pub fn load(
        cert_file: &Path,
        key_file: &Path,
        provider: Arc<CryptoProvider>,
    ) -> Result<Arc<Self>, TlsError> {
        let key = load_certified_key(cert_file, key_file, &provider)?;
        Ok(Arc::new(Self {
            current: ArcSwap::from_pointee(key),
            cert_file: cert_file.to_owned(),
            key_file: key_file.to_owned(),
            stamp: std::sync::Mutex::new(mtimes(cert_file, key_file)),
            provider,
        }))
    }

    /// The certificate and key in use now.
    pub fn current(&self) -> Arc<CertifiedKey> {
        self.current.load_full()
    }

    /// Re-reads the files if their modification times changed. A broken new pair keeps the old one.
    pub fn reload_if_changed(&self) {
        let now = mtimes(&self.cert_file, &self.key_file);
        let mut stamp = self.stamp.lock().unwrap_or_else(|p| p.into_inner());
        if now == *stamp {
            return;
        }
        match load_certified_key(&self.cert_file, &self.key_file, &self.provider) {
            Ok(key) => {
                self.current.store(Arc::new(key));
                *stamp = now;
                tracing::info!(cert = %self.cert_file.display(), "serving certificate reloaded");
            }
            Err(e) => {
                tracing::warn!(error = %e, "serving certificate changed but cannot be used; keeping the old one")
            }
        }
    }

    /// Checks the files every `period` until the process ends.
    pub fn spawn_reloader(self: &Arc<Self>, period: Duration) {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                this.reload_if_changed();
            }
        });
    }
}

fn mtimes(a: &Path, b: &Path) -> Option<(SystemTime, SystemTime)> {
    let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    Some((m(a)?, m(b)?))
}

impl ResolvesServerCert for ServingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.load_full())
    }
}

/// Asks every client for a certificate, accepts any (or none), and checks only the handshake signature.
#[derive(Debug)]
struct RequestAnyClientCert {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for RequestAnyClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        // Health probes and scrapers connect without a certificate.
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
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

/// The listener's rustls configuration: HTTP/2 and HTTP/1.1, the reloadable serving certificate and
/// an optional client certificate.
pub fn server_config(
    cert: Arc<ServingCert>,
    provider: Arc<CryptoProvider>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let verifier = Arc::new(RequestAnyClientCert { algorithms: provider.signature_verification_algorithms });
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(cert);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
