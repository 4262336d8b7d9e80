//! Optional Prometheus client: the IO half of history (scaler metric values, replicas, NodePool usage)
//! and of metric-based node prices.
//!
//! The queries, the response parser (every series, never `series[0]`) and the `History` type are
//! `model::history`, shared with the UI; this module only does HTTP: auth headers, TLS, timeouts, and
//! turning failures into a `degraded` marker instead of an error (the live views never depend on it).

use model::history::{self, History, Series};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why a query failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromError {
    /// No answer within the timeout.
    #[error("Prometheus did not answer within {0:?}")]
    Timeout(Duration),
    /// Connection or protocol failure.
    #[error("Prometheus unreachable: {0}")]
    Transport(String),
    /// Non-success HTTP status.
    #[error("Prometheus answered HTTP {status}: {body}")]
    Http {
        /// Status code.
        status: u16,
        /// Start of the body.
        body: String,
    },
    /// The answer was not a Prometheus API response.
    #[error("unexpected Prometheus response: {0}")]
    BadResponse(String),
    /// A credentials file could not be read.
    #[error("reading {path}: {message}")]
    Credentials {
        /// File.
        path: String,
        /// Error.
        message: String,
    },
}

/// Why the client could not be configured.
#[derive(Debug, thiserror::Error)]
pub enum PromConfigError {
    /// The CA file is unusable.
    #[error(transparent)]
    Ca(#[from] crate::tls::TlsError),
    /// The URL is not a URL.
    #[error("--prometheus-url {0:?} is not an http(s) URL")]
    Url(String),
    /// reqwest refused the settings.
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// How to authenticate to Prometheus.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// Bearer token file (re-read on every query, so rotated tokens work).
    pub bearer_token_file: Option<PathBuf>,
    /// Basic-auth user.
    pub username: Option<String>,
    /// Basic-auth password file.
    pub password_file: Option<PathBuf>,
    /// `X-Scope-OrgID`.
    pub tenant: Option<String>,
}

/// A Prometheus HTTP API client.
#[derive(Clone)]
pub struct Prometheus {
    http: reqwest::Client,
    base: String,
    auth: Arc<Auth>,
    timeout: Duration,
    metrics: crate::metrics::Metrics,
}

impl Prometheus {
    /// A client for `base` (e.g. `http://prometheus.monitoring.svc:9090`).
    pub fn new(
        base: &str,
        auth: Auth,
        ca_file: Option<&std::path::Path>,
        timeout: Duration,
        metrics: crate::metrics::Metrics,
    ) -> Result<Self, PromConfigError> {
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(PromConfigError::Url(base.to_owned()));
        }
        let mut roots = rustls::RootCertStore::empty();
        match ca_file {
            Some(f) => {
                for c in crate::tls::read_certs(f)? {
                    let _ = roots.add(c);
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let tls = rustls::ClientConfig::builder_with_provider(crate::tls::provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| PromConfigError::Ca(crate::tls::TlsError::Rustls(e)))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let http = reqwest::Client::builder().tls_backend_preconfigured(tls).timeout(timeout).build()?;
        Ok(Self { http, base: base.trim_end_matches('/').to_owned(), auth: Arc::new(auth), timeout, metrics })
    }

    fn read(path: &std::path::Path) -> Result<String, PromError> {
        std::fs::read_to_string(path)
            .map(|s| s.trim().to_owned())
            .map_err(|e| PromError::Credentials { path: path.display().to_string(), message: e.to_string() })
    }

    async fn get(&self, path: &str, params: &[(&str, String)]) -> Result<Vec<Series>, PromError> {
        let mut req = self.http.get(format!("{}{path}", self.base)).query(params);
        if let Some(f) = &self.auth.bearer_token_file
            && f.exists()
        {
            req = req.bearer_auth(Self::read(f)?);
        }
        if let Some(user) = self.auth.username.as_deref().filter(|u| !u.is_empty()) {
            let password = match &self.auth.password_file {
                Some(f) => Some(Self::read(f)?),
                None => None,
            };
            req = req.basic_auth(user, password);
        }
        if let Some(t) = &self.auth.tenant {
            req = req.header("X-Scope-OrgID", t);
        }
        let result = async {
            let resp = req.send().await.map_err(|e| {
                if e.is_timeout() {
                    PromError::Timeout(self.timeout)
                } else {
                    PromError::Transport(e.to_string())
                }
            })?;
            let status = resp.status();
            let body = resp.bytes().await.map_err(|e| PromError::Transport(e.to_string()))?;
            if !status.is_success() {
                let text = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
                return Err(PromError::Http { status: status.as_u16(), body: text });
            }
            history::parse_response(&body).map_err(|e| PromError::BadResponse(e.to_string()))
        }
        .await;
        self.metrics.prometheus_up.set(i64::from(result.is_ok()));
        result
    }

    /// A range query: every series with its points.
    pub async fn query_range(
        &self,
        promql: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> Result<Vec<Series>, PromError> {
        let p = [
            ("query", promql.to_owned()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("step", step.to_string()),
        ];
        self.get("/api/v1/query_range", &p).await
    }

    /// An instant query: every series with its current value.
    pub async fn query(&self, promql: &str) -> Result<Vec<Series>, PromError> {
        self.get("/api/v1/query", &[("query", promql.to_owned())]).await
    }
}

/// Fills `window` (from `model::history::History::window`) with every series of each named query,
/// or marks it degraded: not configured, unreachable, timeout, bad answer.
pub async fn collect(prom: Option<&Prometheus>, queries: &[(&str, String)], mut window: History) -> History {
    let Some(prom) = prom else {
        window.degraded = Some("Prometheus is not configured (--prometheus-url)".to_owned());
        return window;
    };
    let (start, end, step) = (window.start, window.end, window.step);
    // Not its URL: every user reads this, and a URL may carry credentials.
    window.source = Some("the Autoscaling Insights server's Prometheus (--prometheus-url)".to_owned());
    let results = futures::future::join_all(
        queries.iter().map(|(name, q)| async move { (*name, prom.query_range(q, start, end, step).await) }),
    )
    .await;
    let mut failures = Vec::new();
    for (name, r) in results {
        match r {
            Ok(s) => {
                window.series.insert(name.to_owned(), s);
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    if !failures.is_empty() {
        window.degraded = Some(failures.join("; "));
    }
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unreachable_prometheus_degrades() {
        // Port 9 on loopback: nothing listens (connection refused), a fault a real Prometheus cannot
        // produce on demand; the integration test points a second server at a dead address instead.
        let p = Prometheus::new(
            "http://127.0.0.1:9",
            Auth::default(),
            None,
            Duration::from_secs(2),
            Default::default(),
        )
        .expect("client");
        let h = collect(Some(&p), &[("value", "up".to_owned())], History::window(1.7e9, 3600.0)).await;
        assert!(h.degraded.as_deref().is_some_and(|d| d.contains("unreachable")), "{:?}", h.degraded);
        assert!(h.series.is_empty());
        assert_eq!((h.start, h.end, h.step), (1.7e9 - 3600.0, 1.7e9, 30.0), "the window is kept");
        let none = collect(None, &[], History::window(1.7e9, 3600.0)).await;
        assert!(none.degraded.as_deref().is_some_and(|d| d.contains("not configured")));
    }

    #[test]
    fn a_url_is_required() {
        let e = Prometheus::new(
            "prometheus:9090",
            Auth::default(),
            None,
            Duration::from_secs(1),
            Default::default(),
        );
        assert!(matches!(e, Err(PromConfigError::Url(_))));
    }
}
