//! Connection checks for the settings page: is the server there (and usable by this user), and
//! does Prometheus answer where the settings point. Each says in one sentence what worked or
//! what failed and why.

use super::prometheus::PromService;
use super::settings::PrometheusMode;
use super::source::{DISCOVERY, Origin, classify_discovery};
use super::{Data, DataError, error::status_message, now_ms};
use model::snapshot::SourceState;
use wasm_bindgen::{JsCast, JsValue};

/// What a Prometheus `query?query=up` answer says.
pub fn read_up(body: &str) -> Result<String, String> {
    #[derive(serde::Deserialize)]
    struct Answer {
        status: String,
        #[serde(default)]
        data: Option<Data>,
        #[serde(default)]
        error: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        #[serde(default)]
        result: Vec<serde_json::Value>,
    }
    let a: Answer = serde_json::from_str(body).map_err(|_| {
        let start: String = body.trim().chars().take(80).collect();
        format!("the answer is not Prometheus's API (it starts with {start:?})")
    })?;
    if a.status != "success" {
        return Err(format!("Prometheus refused the query: {}", a.error.unwrap_or(a.status)));
    }
    let n = a.data.map(|d| d.result.len()).unwrap_or(0);
    Ok(format!("Prometheus answered: {n} target{} up", if n == 1 { "" } else { "s" }))
}

fn proxy_failure(s: &PromService, status: u16, body: &str) -> String {
    let m = status_message(body);
    match status {
        0 => format!("the cluster did not answer: {m}"),
        403 => format!(
            "no permission to use the service proxy in namespace {} (services/proxy): {m}",
            s.namespace
        ),
        404 => format!(
            "service {} or path {} was not found: {m}",
            s.spec(),
            if s.sub_path.is_empty() { "/" } else { &s.sub_path }
        ),
        503 => format!("service {} has no ready endpoints: {m}", s.spec()),
        other => format!("the service proxy answered {other}: {m}"),
    }
}

/// A GET of a URL outside the cluster, straight from the browser (Prometheus allows any origin by
/// default). Only for the user's external Prometheus URL — cluster requests always go through Headlamp.
async fn fetch_external(url: &str) -> Result<(u16, String), String> {
    let describe = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"))
    };
    let window = web_sys::window().ok_or("no browser window")?;
    let fetch: js_sys::Function = js_sys::Reflect::get(&window, &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this browser has no fetch")?;
    let promise: js_sys::Promise =
        fetch.call1(&window, &JsValue::from_str(url)).map_err(describe)?.dyn_into().map_err(describe)?;
    let response = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(describe)?;
    let status =
        js_sys::Reflect::get(&response, &"status".into()).ok().and_then(|s| s.as_f64()).unwrap_or(0.0);
    let text: js_sys::Function = js_sys::Reflect::get(&response, &"text".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("the answer has no body")?;
    let body: js_sys::Promise = text.call0(&response).map_err(describe)?.dyn_into().map_err(describe)?;
    let body = wasm_bindgen_futures::JsFuture::from(body).await.map_err(describe)?;
    Ok((status as u16, body.as_string().unwrap_or_default()))
}

impl Data {
    /// Asks discovery now (whatever was decided before) and, when the server is there, whether
    /// this user may read from it.
    pub async fn check_server(&self) -> Result<Origin, DataError> {
        let r = self.bridge().get(self.cluster(), DISCOVERY).await?;
        let origin = classify_discovery(&r);
        if origin != Origin::Server {
            return Ok(origin);
        }
        let path = format!("/apis/{}/overviews/{}", model::api::API_VERSION, super::overview::OVERVIEW_NAME);
        let r = self.bridge().get(self.cluster(), &path).await?;
        let origin = match super::source::server_gone(&r) {
            Some(why) if !(200..300).contains(&r.status) => Origin::Direct(why),
            _ => Origin::Server,
        };
        // What the page uses from now on.
        self.state().set_origin(origin.clone(), now_ms(), self.settings().server);
        Ok(origin)
    }

    /// Whether Prometheus answers where the settings point (the server's, a service, or a URL).
    pub async fn check_prometheus(&self) -> Result<String, String> {
        let p = &self.settings().prometheus;
        match p.mode {
            PrometheusMode::Off => Err("Prometheus is off: charts are not drawn".to_owned()),
            PrometheusMode::External => {
                let base = p.url.trim().trim_end_matches('/');
                let (status, body) = fetch_external(&format!("{base}/api/v1/query?query=up"))
                    .await
                    .map_err(|e| format!("your browser could not reach {base} ({e}); check the URL, and that it allows this page's origin (CORS)"))?;
                match status {
                    200..=299 => read_up(&body),
                    s => Err(format!("{base} answered {s}: {}", status_message(&body))),
                }
            }
            PrometheusMode::Auto if self.origin().await == Origin::Server => {
                let path =
                    format!("/apis/{}/overviews/{}", model::api::API_VERSION, super::overview::OVERVIEW_NAME);
                let r = self.bridge().get(self.cluster(), &path).await.map_err(|e| e.0)?;
                if !(200..300).contains(&r.status) {
                    return Err(format!("the server answered {}: {}", r.status, status_message(&r.body)));
                }
                let o: model::overview::Overview = serde_json::from_str(&r.body)
                    .map_err(|e| format!("the server's overview could not be read: {e}"))?;
                match o.sources.prometheus {
                    SourceState::Ok => Ok("The Autoscaling Insights server queries Prometheus for the charts".to_owned()),
                    SourceState::NotInstalled => Err(
                        "the server has no Prometheus configured (its --prometheus-url); choose a service here instead".to_owned(),
                    ),
                    SourceState::Forbidden => Err("the server may not query its Prometheus".to_owned()),
                    SourceState::Error(m) => Err(format!("the server's Prometheus fails: {m}")),
                    SourceState::Unknown => Err("the server does not say whether it has Prometheus".to_owned()),
                }
            }
            PrometheusMode::Auto | PrometheusMode::Service => {
                let service = self.prometheus_service().await?;
                let path = format!(
                    "/api/v1/namespaces/{}/services/{}:{}/proxy{}/api/v1/query?query=up",
                    service.namespace, service.name, service.port, service.sub_path
                );
                let r = self.bridge().get(self.cluster(), &path).await.map_err(|e| e.0)?;
                match r.status {
                    200..=299 => read_up(&r.body).map(|m| format!("{m} (service {})", service.spec())),
                    s => Err(proxy_failure(&service, s, &r.body)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_answers_are_read_or_explained() {
        let up = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1,"1"]},{"metric":{},"value":[1,"1"]}]}}"#;
        assert_eq!(read_up(up).unwrap(), "Prometheus answered: 2 targets up");
        let bad = r#"{"status":"error","errorType":"bad_data","error":"parse error"}"#;
        assert_eq!(read_up(bad).unwrap_err(), "Prometheus refused the query: parse error");
        assert!(read_up("<html>login</html>").unwrap_err().contains("not Prometheus's API"));
    }
}
