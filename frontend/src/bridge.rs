//! The only way the UI talks to a cluster: the host's `request` function.
//!
//! Inside Headlamp the host is the plugin entry (`frontend/js/bridge.js`), which goes through
//! `ApiProxy.clusterRequest` so the desktop app's backend token and Headlamp's auth headers are
//! added.

use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An HTTP answer as the bridge reports it. `status` 0 means the request never got an answer
/// (network error, timeout, Headlamp backend down); `body` then carries the browser's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// HTTP status, or 0 when there was no HTTP answer.
    pub status: u16,
    /// Response body (JSON for Kubernetes), or the error message when `status` is 0.
    pub body: String,
}

/// A request the bridge could not even report as a `Response` (the host broke its contract).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractError(pub String);

/// Where requests go. Cheap to clone; equal when it is the same host (so it can be a Yew prop).
#[derive(Clone)]
pub enum Bridge {
    /// The plugin entry's `request(cluster, method, path, body) -> Promise<{status, body}>`.
    Host(Rc<js_sys::Function>),
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Bridge::Host(a), Bridge::Host(b)) => Rc::ptr_eq(a, b),
        }
    }
}

impl Bridge {
    /// Wraps the host's request function.
    pub fn host(request: js_sys::Function) -> Self {
        Bridge::Host(Rc::new(request))
    }

    /// `GET` of a Kubernetes API path (`/apis/...`) in `cluster`.
    pub async fn get(&self, cluster: &str, path: &str) -> Result<Response, ContractError> {
        self.request(cluster, "GET", path, None).await
    }

    /// Sends one request and waits for its answer.
    pub async fn request(
        &self,
        cluster: &str,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<Response, ContractError> {
        self.request_as(cluster, method, path, body, "application/json").await
    }

    /// Sends one request whose body has `content_type` (a PATCH needs
    /// `application/merge-patch+json` or another patch type).
    pub async fn request_as(
        &self,
        cluster: &str,
        method: &str,
        path: &str,
        body: Option<&str>,
        content_type: &str,
    ) -> Result<Response, ContractError> {
        match self {
            Bridge::Host(f) => call_host(f, cluster, method, path, body, content_type).await,
        }
    }
}

async fn call_host(
    f: &js_sys::Function,
    cluster: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    content_type: &str,
) -> Result<Response, ContractError> {
    let args = js_sys::Array::of5(
        &JsValue::from_str(cluster),
        &JsValue::from_str(method),
        &JsValue::from_str(path),
        &body.map(JsValue::from_str).unwrap_or(JsValue::NULL),
        &JsValue::from_str(content_type),
    );
    let promise = f.apply(&JsValue::NULL, &args).map_err(|e| ContractError(describe(&e)))?;
    let promise: js_sys::Promise =
        promise.dyn_into().map_err(|_| ContractError("bridge did not return a Promise".into()))?;
    let answer = JsFuture::from(promise).await.map_err(|e| ContractError(describe(&e)))?;
    parse_answer(&answer)
}

/// Reads `{status, body}` from the host's answer.
fn parse_answer(answer: &JsValue) -> Result<Response, ContractError> {
    let status = js_sys::Reflect::get(answer, &JsValue::from_str("status"))
        .ok()
        .and_then(|v| v.as_f64())
        .ok_or_else(|| ContractError("bridge answer has no numeric `status`".into()))?;
    let body = js_sys::Reflect::get(answer, &JsValue::from_str("body"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    if !(0.0..=999.0).contains(&status) {
        return Err(ContractError(format!("bridge answered with status {status}")));
    }
    Ok(Response { status: status as u16, body })
}

/// A readable message from a thrown JS value.
fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
