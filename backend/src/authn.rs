//! Front-proxy (requestheader) authentication, as kube-apiserver's aggregator speaks it.
//!
//! Trust comes from `kube-system/extension-apiserver-authentication`: the requestheader CA, the allowed
//! client-certificate CNs and the header names. A request is authenticated only if its TLS client
//! certificate chains to that CA (client-auth usage) and its CN is allowed; only then are
//! `X-Remote-User`, every `X-Remote-Group` and `X-Remote-Extra-*` believed. Anything else is a 401.

use arc_swap::ArcSwapOption;
use axum::http::HeaderMap;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::ClientCertVerifier;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Name of the ConfigMap kube-apiserver writes its front-proxy trust into.
pub const CONFIGMAP: &str = "extension-apiserver-authentication";

/// The TLS client certificates of a connection (leaf first), put into every request's extensions,
/// with the connection's last chain verification (see [`ClientCertificates::verified`]).
#[derive(Debug, Clone, Default)]
pub struct ClientCertificates(pub Arc<Vec<CertificateDer<'static>>>, Memo);

/// A connection's last verification: which trust verified it, when, and the outcome.
type Memo = Arc<std::sync::Mutex<Option<(u64, std::time::Instant, Result<(), String>)>>>;

/// How long a connection's verified chain is reused before it is verified again (expiry, rotation).
const VERIFIED_FOR: std::time::Duration = std::time::Duration::from_secs(60);

impl ClientCertificates {
    /// The certificates of a new connection.
    pub fn new(chain: Vec<CertificateDer<'static>>) -> Self {
        Self(Arc::new(chain), Memo::default())
    }

    /// `verify`'s outcome, reused for the connection's later requests while the same trust (`serial`)
    /// holds and for at most [`VERIFIED_FOR`]: kube-apiserver keeps a few long-lived connections, so
    /// the signature checks are not paid on every request.
    fn verified(&self, serial: u64, verify: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
        let mut memo = self.1.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, at, outcome)) = memo.as_ref()
            && *s == serial
            && at.elapsed() < VERIFIED_FOR
        {
            return outcome.clone();
        }
        let outcome = verify();
        *memo = Some((serial, std::time::Instant::now(), outcome.clone()));
        outcome
    }
}

/// Numbers each trust read from the ConfigMap, so a connection's memo never outlives a rotation.
static TRUST_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Who is asking, as the front proxy vouched.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct UserInfo {
    /// User name.
    pub username: String,
    /// Uid, when the proxy sends one.
    pub uid: Option<String>,
    /// Every group, in header order.
    pub groups: Vec<String>,
    /// Extra attributes (keys lower-cased and unescaped).
    pub extra: BTreeMap<String, Vec<String>>,
}

/// Why the ConfigMap could not be turned into trust.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The ConfigMap has no requestheader CA: front-proxy authentication is not configured.
    #[error(
        "{CONFIGMAP} has no requestheader-client-ca-file: kube-apiserver runs without --requestheader-client-ca-file"
    )]
    NoRequestHeaderCa,
    /// A key holds something other than a JSON array of strings.
    #[error("{CONFIGMAP}: {key} is not a JSON array of strings: {source}")]
    BadList {
        /// The key.
        key: &'static str,
        /// Parse error.
        source: serde_json::Error,
    },
    /// The CA bundle could not be used.
    #[error("{CONFIGMAP}: requestheader CA unusable: {0}")]
    Ca(String),
}

/// Why a request is not authenticated (all answered with 401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthnError {
    /// No client certificate on the connection.
    #[error("no client certificate")]
    NoCertificate,
    /// The certificate does not chain to the requestheader CA (or is expired, or lacks client-auth usage).
    #[error("client certificate not signed by the requestheader CA: {0}")]
    Untrusted(String),
    /// The certificate's CN is not in requestheader-allowed-names.
    #[error("client certificate CN {0:?} is not an allowed front-proxy name")]
    NameNotAllowed(String),
    /// A trusted proxy sent no user name.
    #[error("no user name header")]
    NoUser,
    /// The trust ConfigMap has not been read yet (or is invalid).
    #[error("front-proxy trust not loaded yet")]
    NotReady,
    /// A user header's value is not UTF-8: refused rather than dropped (a group that silently
    /// vanished would change what the SubjectAccessReview decides).
    #[error("header {0} is not valid UTF-8")]
    BadHeader(String),
}

/// A header value as kube-apiserver sent it: its bytes as UTF-8 (Go writes user and group names
/// unencoded, so anything beyond ASCII arrives raw).
fn header_text(name: &str, value: &axum::http::HeaderValue) -> Result<String, AuthnError> {
    std::str::from_utf8(value.as_bytes())
        .map(str::to_owned)
        .map_err(|_| AuthnError::BadHeader(name.to_owned()))
}

/// The front-proxy trust read from the ConfigMap.
#[derive(Debug)]
pub struct FrontProxyTrust {
    serial: u64,
    verifier: Arc<dyn ClientCertVerifier>,
    allowed_names: Vec<String>,
    username_headers: Vec<String>,
    uid_headers: Vec<String>,
    group_headers: Vec<String>,
    extra_prefixes: Vec<String>,
}

fn list(
    data: &BTreeMap<String, String>,
    key: &'static str,
    default: &[&str],
) -> Result<Vec<String>, TrustError> {
    match data.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default.iter().map(|s| (*s).to_owned()).collect()),
        Some(s) => serde_json::from_str(s).map_err(|source| TrustError::BadList { key, source }),
    }
}

impl FrontProxyTrust {
    /// Reads the ConfigMap's `data`. Header names default to the kube-apiserver defaults when absent.
    pub fn from_configmap(
        data: &BTreeMap<String, String>,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, TrustError> {
        let pem = data.get("requestheader-client-ca-file").ok_or(TrustError::NoRequestHeaderCa)?;
        let mut roots = rustls::RootCertStore::empty();
        for cert in crate::tls::parse_pem_certs(pem) {
            roots.add(cert).map_err(|e| TrustError::Ca(e.to_string()))?;
        }
        if roots.is_empty() {
            return Err(TrustError::NoRequestHeaderCa);
        }
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| TrustError::Ca(e.to_string()))?;
        let lower = |v: Vec<String>| v.into_iter().map(|s| s.to_ascii_lowercase()).collect::<Vec<_>>();
        Ok(Self {
            serial: TRUST_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            verifier,
            allowed_names: list(data, "requestheader-allowed-names", &[])?,
            username_headers: lower(list(data, "requestheader-username-headers", &["X-Remote-User"])?),
            uid_headers: lower(list(data, "requestheader-uid-headers", &[])?),
            group_headers: lower(list(data, "requestheader-group-headers", &["X-Remote-Group"])?),
            extra_prefixes: lower(list(data, "requestheader-extra-headers-prefix", &["X-Remote-Extra-"])?),
        })
    }

    /// Authenticates one request from its connection's client certificates and its headers.
    pub fn authenticate(
        &self,
        certs: Option<&ClientCertificates>,
        headers: &HeaderMap,
        now: UnixTime,
    ) -> Result<UserInfo, AuthnError> {
        let certs = certs.ok_or(AuthnError::NoCertificate)?;
        let (leaf, intermediates) = certs.0.split_first().ok_or(AuthnError::NoCertificate)?;
        certs
            .verified(self.serial, || {
                self.verifier
                    .verify_client_cert(leaf, intermediates, now)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
            .map_err(AuthnError::Untrusted)?;
        if !self.allowed_names.is_empty() {
            let cn = common_name(leaf).unwrap_or_default();
            if !self.allowed_names.contains(&cn) {
                return Err(AuthnError::NameNotAllowed(cn));
            }
        }
        let first = |names: &[String]| -> Result<Option<String>, AuthnError> {
            for n in names {
                for v in headers.get_all(n.as_str()) {
                    let v = header_text(n, v)?;
                    if !v.is_empty() {
                        return Ok(Some(v));
                    }
                }
            }
            Ok(None)
        };
        let username = first(&self.username_headers)?.ok_or(AuthnError::NoUser)?;
        let uid = first(&self.uid_headers)?;
        let mut groups = Vec::new();
        for n in &self.group_headers {
            for v in headers.get_all(n.as_str()) {
                groups.push(header_text(n, v)?);
            }
        }
        let mut extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in headers {
            let name = name.as_str(); // http lower-cases header names
            let Some(key) = self.extra_prefixes.iter().find_map(|p| name.strip_prefix(p.as_str())) else {
                continue;
            };
            extra.entry(unescape(key).to_ascii_lowercase()).or_default().push(header_text(name, value)?);
        }
        Ok(UserInfo { username, uid, groups, extra })
    }
}

/// The subject CN of a DER certificate.
pub fn common_name(der: &CertificateDer<'_>) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let cn = cert.subject().iter_common_name().next()?.as_str().ok()?.to_owned();
    Some(cn)
}

/// Percent-decoding of extra keys (kube-apiserver escapes them with `url.PathEscape`).
fn unescape(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex =
                std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The current trust, replaced whenever the ConfigMap changes.
#[derive(Debug, Default)]
pub struct Trust(ArcSwapOption<FrontProxyTrust>);

impl Trust {
    /// Installs a new trust.
    pub fn set(&self, trust: FrontProxyTrust) {
        self.0.store(Some(Arc::new(trust)));
    }

    /// True once a valid ConfigMap was read.
    pub fn is_loaded(&self) -> bool {
        self.0.load().is_some()
    }

    /// Authenticates with the current trust.
    pub fn authenticate(
        &self,
        certs: Option<&ClientCertificates>,
        headers: &HeaderMap,
    ) -> Result<UserInfo, AuthnError> {
        let guard = self.0.load();
        let trust = guard.as_ref().ok_or(AuthnError::NotReady)?;
        trust.authenticate(certs, headers, UnixTime::now())
    }
}

/// Keeps `trust` in step with the ConfigMap until the process ends.
pub async fn watch_trust(
    client: kube::Client,
    namespace: String,
    trust: Arc<Trust>,
    provider: Arc<CryptoProvider>,
) {
    use futures::StreamExt;
    use k8s_openapi::api::core::v1::ConfigMap;
    use kube::runtime::{WatchStreamExt, watcher};
    let api: kube::Api<ConfigMap> = kube::Api::namespaced(client, &namespace);
    let cfg = watcher::Config::default().fields(&format!("metadata.name={CONFIGMAP}"));
    let mut stream = watcher(api, cfg).default_backoff().applied_objects().boxed();
    while let Some(item) = stream.next().await {
        match item {
            Ok(cm) => {
                match FrontProxyTrust::from_configmap(&cm.data.unwrap_or_default(), Arc::clone(&provider)) {
                    Ok(t) => {
                        trust.set(t);
                        tracing::info!(namespace, "front-proxy trust loaded from {CONFIGMAP}");
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "front-proxy trust unusable; keeping the previous one")
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "watching {namespace}/{CONFIGMAP}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    };

    struct Ca {
        pem: String,
        issuer: Issuer<'static, KeyPair>,
    }

    fn ca(cn: &str) -> Ca {
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("key");
        let cert = p.self_signed(&key).expect("self-signed");
        Ca { pem: cert.pem(), issuer: Issuer::new(p, key) }
    }

    fn client(ca: &Ca, cn: &str, usage: ExtendedKeyUsagePurpose) -> ClientCertificates {
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
        p.distinguished_name.push(DnType::CommonName, cn);
        p.extended_key_usages = vec![usage];
        let key = KeyPair::generate().expect("key");
        let cert = p.signed_by(&key, &ca.issuer).expect("signed");
        ClientCertificates::new(vec![cert.der().clone()])
    }

    fn trust(ca: &Ca, allowed: &str) -> FrontProxyTrust {
        let data = BTreeMap::from([
            ("requestheader-client-ca-file".to_owned(), ca.pem.clone()),
            ("requestheader-allowed-names".to_owned(), allowed.to_owned()),
            ("requestheader-username-headers".to_owned(), r#"["X-Remote-User"]"#.to_owned()),
            ("requestheader-group-headers".to_owned(), r#"["X-Remote-Group"]"#.to_owned()),
            ("requestheader-extra-headers-prefix".to_owned(), r#"["X-Remote-Extra-"]"#.to_owned()),
        ]);
        FrontProxyTrust::from_configmap(&data, crate::tls::provider()).expect("trust")
    }

    fn headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-remote-user", HeaderValue::from_static("alice"));
        h.append("x-remote-group", HeaderValue::from_static("team-a"));
        h.append("x-remote-group", HeaderValue::from_static("system:authenticated"));
        h.append("x-remote-extra-scopes%2Fread", HeaderValue::from_static("one"));
        h.append("x-remote-extra-scopes%2Fread", HeaderValue::from_static("two"));
        h
    }

    #[test]
    fn trusted_proxy_gives_user_all_groups_and_extra() {
        let ca = ca("front-proxy-ca");
        let t = trust(&ca, r#"["front-proxy-client"]"#);
        let cert = client(&ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth);
        let u = t.authenticate(Some(&cert), &headers(), UnixTime::now()).expect("authenticated");
        assert_eq!(u.username, "alice");
        assert_eq!(u.groups, ["team-a", "system:authenticated"]);
        assert_eq!(
            u.extra.get("scopes/read").map(Vec::as_slice),
            Some(&["one".to_owned(), "two".to_owned()][..])
        );
    }

    #[test]
    fn names_beyond_ascii_arrive_whole_and_undecodable_ones_are_refused() {
        let ca = ca("front-proxy-ca");
        let t = trust(&ca, r#"["front-proxy-client"]"#);
        let cert = client(&ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth);
        // kube-apiserver (Go) writes UTF-8 names unencoded.
        let mut h = headers();
        h.append("x-remote-group", HeaderValue::from_bytes("équipe-é".as_bytes()).expect("header bytes"));
        let u = t.authenticate(Some(&cert), &h, UnixTime::now()).expect("authenticated");
        assert_eq!(u.groups, ["team-a", "system:authenticated", "équipe-é"], "no group dropped");
        let mut bad = headers();
        bad.append("x-remote-group", HeaderValue::from_bytes(&[0xff, 0xfe]).expect("header bytes"));
        assert_eq!(
            t.authenticate(Some(&cert), &bad, UnixTime::now()),
            Err(AuthnError::BadHeader("x-remote-group".to_owned()))
        );
    }

    #[test]
    fn forged_headers_without_certificate_are_rejected() {
        let ca = ca("front-proxy-ca");
        let t = trust(&ca, r#"["front-proxy-client"]"#);
        assert_eq!(t.authenticate(None, &headers(), UnixTime::now()), Err(AuthnError::NoCertificate));
    }

    #[test]
    fn certificate_from_another_ca_is_rejected() {
        let good = ca("front-proxy-ca");
        let evil = ca("front-proxy-ca");
        let t = trust(&good, r#"["front-proxy-client"]"#);
        let cert = client(&evil, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth);
        assert!(matches!(
            t.authenticate(Some(&cert), &headers(), UnixTime::now()),
            Err(AuthnError::Untrusted(_))
        ));
    }

    #[test]
    fn wrong_cn_is_rejected_but_empty_allowed_list_accepts_any_cn() {
        let ca = ca("front-proxy-ca");
        let cert = client(&ca, "someone-else", ExtendedKeyUsagePurpose::ClientAuth);
        let strict = trust(&ca, r#"["front-proxy-client"]"#);
        assert_eq!(
            strict.authenticate(Some(&cert), &headers(), UnixTime::now()),
            Err(AuthnError::NameNotAllowed("someone-else".to_owned()))
        );
        let open = trust(&ca, "[]");
        assert!(open.authenticate(Some(&cert), &headers(), UnixTime::now()).is_ok());
    }

    #[test]
    fn server_auth_only_certificate_is_rejected() {
        let ca = ca("front-proxy-ca");
        let t = trust(&ca, "[]");
        let cert = client(&ca, "front-proxy-client", ExtendedKeyUsagePurpose::ServerAuth);
        assert!(matches!(
            t.authenticate(Some(&cert), &headers(), UnixTime::now()),
            Err(AuthnError::Untrusted(_))
        ));
    }

    #[test]
    fn trusted_proxy_without_user_is_rejected() {
        let ca = ca("front-proxy-ca");
        let t = trust(&ca, "[]");
        let cert = client(&ca, "front-proxy-client", ExtendedKeyUsagePurpose::ClientAuth);
        assert_eq!(t.authenticate(Some(&cert), &HeaderMap::new(), UnixTime::now()), Err(AuthnError::NoUser));
    }

    #[test]
    fn configmap_without_requestheader_ca_is_an_error() {
        let data = BTreeMap::from([("client-ca-file".to_owned(), "x".to_owned())]);
        assert!(matches!(
            FrontProxyTrust::from_configmap(&data, crate::tls::provider()),
            Err(TrustError::NoRequestHeaderCa)
        ));
    }

    #[test]
    fn bad_header_list_is_an_error() {
        let ca = ca("front-proxy-ca");
        let data = BTreeMap::from([
            ("requestheader-client-ca-file".to_owned(), ca.pem.clone()),
            ("requestheader-allowed-names".to_owned(), "front-proxy-client".to_owned()),
        ]);
        assert!(matches!(
            FrontProxyTrust::from_configmap(&data, crate::tls::provider()),
            Err(TrustError::BadList { key: "requestheader-allowed-names", .. })
        ));
    }

    #[test]
    fn unescape_extra_keys() {
        assert_eq!(unescape("scopes%2Fread"), "scopes/read");
        assert_eq!(unescape("a%zz"), "a%zz");
        assert_eq!(unescape("tail%2"), "tail%2");
    }
}
