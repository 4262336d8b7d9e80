//! HTTP routes: health, metrics, discovery and the read-only resources of
//! `insights.autoscaling.dev/v1alpha1`, behind front-proxy authentication.
//!
//! What each resource contains comes from a [`Source`] (the real one is [`crate::views`]); this module
//! only routes, authenticates, negotiates JSON vs Table and writes Kubernetes `Status` errors.

use crate::authn::{AuthnError, ClientCertificates, Trust, UserInfo};
use crate::discovery::{self, GROUP, VERSION};
use crate::metrics::Metrics;
use crate::table::{self, IncludeObject};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use model::api::ResourceDef;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

/// An error answered as a Kubernetes `Status`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// HTTP status.
    pub code: StatusCode,
    /// `Status.reason`.
    pub reason: &'static str,
    /// Human text.
    pub message: String,
    /// `Status.details`: the group and kind refused (403 of an underlying kind, not of our API).
    pub details: Option<(String, String)>,
    /// `Retry-After` (and `Status.details.retryAfterSeconds`) of a 429.
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    /// 401.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self {
            code: StatusCode::UNAUTHORIZED,
            reason: "Unauthorized",
            message: message.into(),
            details: None,
            retry_after_seconds: None,
        }
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            code: StatusCode::NOT_FOUND,
            reason: "NotFound",
            message: message.into(),
            details: None,
            retry_after_seconds: None,
        }
    }
    /// 403 for a kind the user may not list (`group`, `resource`: the refused kind, as
    /// kube-apiserver names it in `Status.details`).
    pub fn forbidden(message: impl Into<String>, group: &str, resource: &str) -> Self {
        Self {
            code: StatusCode::FORBIDDEN,
            reason: "Forbidden",
            message: message.into(),
            details: Some((group.to_owned(), resource.to_owned())),
            retry_after_seconds: None,
        }
    }
    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            code: StatusCode::BAD_REQUEST,
            reason: "BadRequest",
            message: message.into(),
            details: None,
            retry_after_seconds: None,
        }
    }
    /// 503.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            code: StatusCode::SERVICE_UNAVAILABLE,
            reason: "ServiceUnavailable",
            message: message.into(),
            details: None,
            retry_after_seconds: None,
        }
    }
    /// 405.
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self {
            code: StatusCode::METHOD_NOT_ALLOWED,
            reason: "MethodNotAllowed",
            message: message.into(),
            details: None,
            retry_after_seconds: None,
        }
    }
    /// 429: the user's permission checks are over budget; worth retrying after `seconds`.
    pub fn too_many_requests(message: impl Into<String>, seconds: u64) -> Self {
        Self {
            code: StatusCode::TOO_MANY_REQUESTS,
            reason: "TooManyRequests",
            message: message.into(),
            details: None,
            retry_after_seconds: Some(seconds.max(1)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code.as_u16(),
        });
        if let Some((group, kind)) = self.details {
            body["details"] = json!({"group": group, "kind": kind});
        }
        if let Some(secs) = self.retry_after_seconds {
            body["details"] = json!({"retryAfterSeconds": secs});
            return (self.code, [(header::RETRY_AFTER, secs.to_string())], Json(body)).into_response();
        }
        (self.code, Json(body)).into_response()
    }
}

/// One served item: the object (with `apiVersion`, `kind`, `metadata`) and its Table cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The object as JSON.
    pub object: Value,
    /// Cells in the order of the resource's columns.
    pub cells: Vec<Value>,
}

impl Item {
    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default()
    }
}

/// Query parameters of a list or get (kubectl's `limit` etc. are accepted and ignored).
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Every parameter as given.
    pub params: BTreeMap<String, String>,
}

impl ListQuery {
    /// One parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }
}

/// How an answer is encoded: JSON, or a Table of one version with what its rows carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Representation {
    /// The Table version the client accepts, or `None` for plain JSON.
    pub table: Option<table::TableVersion>,
    /// What Table rows carry (`?includeObject=`).
    pub include: IncludeObject,
}

/// An encoded answer (a list, or one item for a get) and its entity tag.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The JSON body.
    pub body: axum::body::Bytes,
    /// A strong entity tag of the body (a hash of it, quoted): equal bodies get equal tags, so a client
    /// revalidating with `If-None-Match` gets a 304 while nothing it sees changed.
    pub etag: Arc<str>,
}

impl Answer {
    /// Encodes `items` of `def` as the answer to a list (`name` is `None`) or a get: 404 when a get
    /// finds no item of that name.
    pub fn encode(
        def: &ResourceDef,
        name: Option<&str>,
        items: Vec<Item>,
        repr: Representation,
    ) -> Result<Answer, ApiError> {
        let value = match name {
            Some(name) => {
                let item = items
                    .into_iter()
                    .find(|i| i.name() == name)
                    .ok_or_else(|| ApiError::not_found(format!("{} \"{name}\" not found", def.plural)))?;
                match repr.table {
                    Some(v) => table::render(
                        v,
                        model::api::column_definitions(def),
                        &[(item.object, item.cells)],
                        repr.include,
                    ),
                    None => item.object,
                }
            }
            None => match repr.table {
                Some(v) => {
                    let rows: Vec<(Value, Vec<Value>)> =
                        items.into_iter().map(|i| (i.object, i.cells)).collect();
                    table::render(v, model::api::column_definitions(def), &rows, repr.include)
                }
                None => {
                    let items: Vec<Value> = items.into_iter().map(|i| i.object).collect();
                    json!({
                        "apiVersion": discovery::GROUP_VERSION,
                        "kind": def.list_kind,
                        "metadata": {},
                        "items": items,
                    })
                }
            },
        };
        let body = serde_json::to_vec(&value)
            .map_err(|e| ApiError::unavailable(format!("encoding the answer failed: {e}")))?;
        Ok(Answer::new(body))
    }

    /// An answer of `body`, tagged by its hash.
    pub fn new(body: Vec<u8>) -> Answer {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut h);
        let etag = format!("\"{:016x}-{:x}\"", h.finish(), body.len());
        Answer { body: body.into(), etag: etag.into() }
    }

    fn respond(&self, headers: &HeaderMap) -> Response {
        let revalidated = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| tags.split(',').any(|t| t.trim() == &*self.etag || t.trim() == "*"));
        let common = [
            (header::ETAG, self.etag.to_string()),
            // Stored, but revalidated on every use: the browser sends If-None-Match and reuses its copy
            // on a 304 (answers are per user: never in a shared cache).
            (header::CACHE_CONTROL, "private, no-cache".to_owned()),
        ];
        if revalidated {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        (StatusCode::OK, [(header::CONTENT_TYPE, "application/json".to_owned())], common, self.body.clone())
            .into_response()
    }
}

/// The data behind the resources.
#[async_trait::async_trait]
pub trait Source: Send + Sync {
    /// `Ok` once the caches are synced; otherwise what is still missing.
    fn ready(&self) -> Result<(), String>;
    /// Every watched kind and optional part: (name, state, healthy).
    fn status(&self) -> Vec<(String, String, bool)> {
        Vec::new()
    }
    /// The items of `resource` that `user` may see, in `namespace` or everywhere (only `name` for a get).
    async fn list(
        &self,
        resource: &'static ResourceDef,
        user: &UserInfo,
        namespace: Option<&str>,
        name: Option<&str>,
        query: &ListQuery,
    ) -> Result<Vec<Item>, ApiError>;

    /// The encoded answer to a list (`name` is `None`) or a get. Sources that can reuse answers
    /// (the real one, per views build and user rights) override this; by default it encodes [`Self::list`].
    async fn answer(
        &self,
        resource: &'static ResourceDef,
        user: &UserInfo,
        namespace: Option<&str>,
        name: Option<&str>,
        query: &ListQuery,
        repr: Representation,
    ) -> Result<Answer, ApiError> {
        let items = self.list(resource, user, namespace, name, query).await?;
        Answer::encode(resource, name, items, repr)
    }
}

/// Shared state of the routes.
#[derive(Clone)]
pub struct AppState {
    /// Front-proxy trust.
    pub trust: Arc<Trust>,
    /// The data.
    pub source: Arc<dyn Source>,
    /// Own metrics.
    pub metrics: Metrics,
}

/// All routes.
pub fn router(state: AppState) -> Router {
    let apis = Router::new()
        .route("/apis", get(group_list))
        .route(&format!("/apis/{GROUP}"), get(group))
        .route(&format!("/apis/{GROUP}/{VERSION}"), get(resource_list))
        .route(&format!("/apis/{GROUP}/{VERSION}/{{resource}}"), get(list_all))
        .route(&format!("/apis/{GROUP}/{VERSION}/{{resource}}/{{name}}"), get(get_cluster))
        .route(&format!("/apis/{GROUP}/{VERSION}/namespaces/{{ns}}/{{resource}}"), get(list_ns))
        .route(&format!("/apis/{GROUP}/{VERSION}/namespaces/{{ns}}/{{resource}}/{{name}}"), get(get_ns))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), authenticate));
    // Health without details on the API port (every user of the cluster reaches it); the details and
    // the metrics are on the internal port (see [`internal_router`]).
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/livez", get(|| async { "ok" }))
        .route("/readyz", get(readyz_brief))
        .merge(apis)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// The internal port's routes (plain HTTP, for kubelet probes and Prometheus): `/healthz`, `/livez`,
/// `/readyz` (`?verbose` lists every watch, refused scale-target kind and failing API group) and
/// `/metrics`. They name tenants' kinds and watch errors, so they are not on the API port; the
/// chart's NetworkPolicy limits who reaches this one.
pub fn internal_router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/livez", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// `/readyz` on the API port: the verdict only, whatever the query.
async fn readyz_brief(State(state): State<AppState>) -> Response {
    match (state.trust.is_loaded(), state.source.ready()) {
        (true, Ok(())) => (StatusCode::OK, "ok").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response(),
    }
}

async fn not_found(req: Request) -> ApiError {
    if req.method() != axum::http::Method::GET {
        return ApiError::method_not_allowed(format!(
            "{} is not supported: this API is read-only",
            req.method()
        ));
    }
    ApiError::not_found(format!("the server could not find the requested resource: {}", req.uri().path()))
}

/// Records every request in the metrics and the log.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let path = req.uri().path().to_owned();
    let label = metric_label(&path);
    let span = tracing::info_span!("request", method = %req.method(), path = %path);
    let resp = {
        let _e = span.enter();
        next.run(req)
    }
    .await;
    let secs = start.elapsed().as_secs_f64();
    state.metrics.request(&label, resp.status().as_u16(), secs);
    if label != "health" && label != "metrics" {
        tracing::info!(parent: &span, status = resp.status().as_u16(), ms = secs * 1000.0, "served");
    }
    resp
}

fn metric_label(path: &str) -> String {
    match path {
        "/healthz" | "/livez" | "/readyz" => return "health".to_owned(),
        "/metrics" => return "metrics".to_owned(),
        _ => {}
    }
    let Some(rest) = path.strip_prefix(&format!("/apis/{GROUP}/{VERSION}")) else {
        return if path.starts_with("/apis") { "discovery".to_owned() } else { "other".to_owned() };
    };
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let name = match segs.as_slice() {
        [] => return "discovery".to_owned(),
        ["namespaces", _, r, ..] | [r, ..] => *r,
    };
    if model::api::resource(name).is_some() { name.to_owned() } else { "other".to_owned() }
}

/// Front-proxy authentication of everything under `/apis`.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let certs = req.extensions().get::<ClientCertificates>().cloned();
    match state.trust.authenticate(certs.as_ref(), req.headers()) {
        Ok(user) => {
            tracing::debug!(user = %user.username, groups = ?user.groups, "authenticated");
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Err(AuthnError::NotReady) => {
            ApiError::unavailable("front-proxy trust not loaded yet").into_response()
        }
        Err(e) => {
            tracing::info!(error = %e, path = %req.uri().path(), "unauthenticated request");
            ApiError::unauthorized("Unauthorized").into_response()
        }
    }
}

async fn readyz(State(state): State<AppState>, Query(q): Q) -> Response {
    let trust = state.trust.is_loaded();
    if q.contains_key("verbose") {
        // Like kube-apiserver's `/readyz?verbose`: one line per check, here per watched kind and part.
        let mut body = format!("[{}]front-proxy-trust\n", if trust { "+" } else { "-" });
        for (what, state_text, ok) in state.source.status() {
            body.push_str(&format!("[{}]{what} {state_text}\n", if ok { "+" } else { "-" }));
        }
        let code = if trust && state.source.ready().is_ok() {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        return (code, body).into_response();
    }
    match (trust, state.source.ready()) {
        (true, Ok(())) => (StatusCode::OK, "ok").into_response(),
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "front-proxy trust not loaded\n").into_response(),
        (true, Err(missing)) => {
            (StatusCode::SERVICE_UNAVAILABLE, format!("not synced: {missing}\n")).into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.encode(),
    )
        .into_response()
}

async fn group_list() -> Json<Value> {
    Json(discovery::with_type_meta(&discovery::group_list()))
}

async fn group() -> Json<Value> {
    Json(discovery::with_type_meta(&discovery::group()))
}

async fn resource_list() -> Json<Value> {
    Json(model::api::discovery())
}

struct Call<'a> {
    state: &'a AppState,
    user: &'a UserInfo,
    headers: &'a HeaderMap,
    query: ListQuery,
}

impl Call<'_> {
    fn resource(&self, name: &str, namespaced_path: bool) -> Result<&'static ResourceDef, ApiError> {
        let r = model::api::resource(name).ok_or_else(|| {
            ApiError::not_found(format!("the server could not find the requested resource {name}"))
        })?;
        if namespaced_path && !r.namespaced {
            return Err(ApiError::not_found(format!("{name} is cluster-scoped")));
        }
        if self.query.get("watch").is_some_and(|w| w == "true" || w == "1") {
            return Err(ApiError::method_not_allowed("watch is not supported; poll with list"));
        }
        Ok(r)
    }

    async fn list(self, resource: &str, ns: Option<&str>) -> Result<Response, ApiError> {
        let r = self.resource(resource, ns.is_some())?;
        let answer =
            self.state.source.answer(r, self.user, ns, None, &self.query, self.representation()).await?;
        Ok(answer.respond(self.headers))
    }

    async fn get(self, resource: &str, ns: Option<&str>, name: &str) -> Result<Response, ApiError> {
        let r = self.resource(resource, ns.is_some())?;
        if r.namespaced && ns.is_none() {
            return Err(ApiError::not_found(format!(
                "{resource} is namespaced: use /namespaces/<ns>/{resource}/{name}"
            )));
        }
        let answer = self
            .state
            .source
            .answer(r, self.user, ns, Some(name), &self.query, self.representation())
            .await?;
        Ok(answer.respond(self.headers))
    }

    fn representation(&self) -> Representation {
        let accept = self.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
        Representation {
            table: table::negotiate(accept),
            include: IncludeObject::parse(self.query.get("includeObject")),
        }
    }
}

fn call<'a>(
    state: &'a AppState,
    user: &'a UserInfo,
    headers: &'a HeaderMap,
    q: BTreeMap<String, String>,
) -> Call<'a> {
    Call { state, user, headers, query: ListQuery { params: q } }
}

type Q = Query<BTreeMap<String, String>>;

async fn list_all(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<UserInfo>,
    headers: HeaderMap,
    Path(resource): Path<String>,
    Query(q): Q,
) -> Result<Response, ApiError> {
    call(&state, &user, &headers, q).list(&resource, None).await
}

async fn list_ns(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<UserInfo>,
    headers: HeaderMap,
    Path((ns, resource)): Path<(String, String)>,
    Query(q): Q,
) -> Result<Response, ApiError> {
    call(&state, &user, &headers, q).list(&resource, Some(&ns)).await
}

async fn get_cluster(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<UserInfo>,
    headers: HeaderMap,
    Path((resource, name)): Path<(String, String)>,
    Query(q): Q,
) -> Result<Response, ApiError> {
    call(&state, &user, &headers, q).get(&resource, None, &name).await
}

async fn get_ns(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<UserInfo>,
    headers: HeaderMap,
    Path((ns, resource, name)): Path<(String, String, String)>,
    Query(q): Q,
) -> Result<Response, ApiError> {
    call(&state, &user, &headers, q).get(&resource, Some(&ns), &name).await
}
