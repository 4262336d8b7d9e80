//! What can go wrong when fetching, said so the user knows what failed and why.

use crate::bridge::{ContractError, Response};

/// Why data could not be shown. Each variant is a different thing for the user to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataError {
    /// 403: the user may not do this (RBAC). Not the same as "not installed".
    NoPermission {
        /// What was attempted, e.g. "list ScaledObjects (keda.sh/v1alpha1) in all namespaces".
        action: String,
        /// The API server's message.
        message: String,
    },
    /// The API group or resource is not served by the cluster (404 of the collection).
    NotInstalled {
        /// What is missing, e.g. "KEDA".
        component: String,
        /// The API that answered 404.
        api: String,
    },
    /// The object does not exist (404 of one object whose API exists).
    NotFound {
        /// What was looked up.
        what: String,
    },
    /// 401: the cluster did not accept the user's credentials.
    Unauthenticated {
        /// The API server's message.
        message: String,
    },
    /// No HTTP answer at all: network, timeout, Headlamp's backend unreachable.
    Network {
        /// The request that failed.
        path: String,
        /// The browser's or Headlamp's message.
        message: String,
    },
    /// Any other HTTP failure (5xx, 429, ...).
    Http {
        /// The request that failed.
        path: String,
        /// HTTP status.
        status: u16,
        /// The API server's message.
        message: String,
    },
    /// The answer was not the JSON we expected.
    Malformed {
        /// The request whose answer could not be read.
        path: String,
        /// The parser's message.
        error: String,
    },
    /// A part the server (or a metrics source) reports as failing, with its reason.
    Failing {
        /// What could not be read ("Live trigger values").
        what: String,
        /// Why.
        message: String,
    },
    /// The host's bridge broke its contract (a bug in the plugin entry).
    Bridge {
        /// What went wrong.
        message: String,
    },
}

impl DataError {
    /// A short headline for an error panel.
    pub fn title(&self) -> &'static str {
        match self {
            DataError::NoPermission { .. } => "No permission",
            DataError::NotInstalled { .. } => "Not installed",
            DataError::NotFound { .. } => "Not found",
            DataError::Unauthenticated { .. } => "Not signed in",
            DataError::Network { .. } => "Cluster not reachable",
            DataError::Http { .. } => "Request failed",
            DataError::Malformed { .. } => "Unexpected answer",
            DataError::Failing { .. } => "Failing",
            DataError::Bridge { .. } => "Plugin error",
        }
    }

    /// One or two sentences: what failed and why, and what to do when we know it.
    pub fn explanation(&self) -> String {
        match self {
            DataError::NoPermission { action, message } => {
                format!(
                    "You are not allowed to {action}. Ask a cluster admin for this permission. ({message})"
                )
            }
            DataError::NotInstalled { component, api } => {
                format!("{component} is not installed in this cluster: {api} is not served.")
            }
            DataError::NotFound { what } => format!("{what} does not exist (it may have been deleted)."),
            DataError::Unauthenticated { message } => {
                format!("The cluster did not accept your credentials. Sign in again. ({message})")
            }
            DataError::Network { path, message } => format!("No answer for {path}: {message}"),
            DataError::Http { path, status, message } => format!("{path} answered {status}: {message}"),
            DataError::Malformed { path, error } => format!("Could not read the answer of {path}: {error}"),
            DataError::Failing { what, message } => format!("{what} could not be read: {message}"),
            DataError::Bridge { message } => format!("The plugin's bridge to Headlamp failed: {message}"),
        }
    }
}

impl From<ContractError> for DataError {
    fn from(e: ContractError) -> Self {
        DataError::Bridge { message: e.0 }
    }
}

/// What a failed request was for, so its status can be turned into the right [`DataError`].
pub struct Attempt<'a> {
    /// The path requested.
    pub path: &'a str,
    /// For 403: "list ScaledObjects (keda.sh/v1alpha1) in all namespaces".
    pub action: &'a str,
    /// For 404: the component whose API is missing ("KEDA"); `None` when 404 means the object is gone.
    pub installs: Option<&'a str>,
    /// For 404 of one object: "ScaledObject default/web".
    pub what: &'a str,
}

/// Turns a non-2xx answer into the error the user should see.
pub fn classify(response: &Response, attempt: &Attempt<'_>) -> DataError {
    let message = status_message(&response.body);
    match response.status {
        0 => DataError::Network { path: attempt.path.to_owned(), message },
        401 => DataError::Unauthenticated { message },
        403 => DataError::NoPermission { action: attempt.action.to_owned(), message },
        404 => match attempt.installs {
            Some(component) => {
                DataError::NotInstalled { component: component.to_owned(), api: api_of(attempt.path) }
            }
            None => DataError::NotFound { what: attempt.what.to_owned() },
        },
        status => DataError::Http { path: attempt.path.to_owned(), status, message },
    }
}

/// The `message` of a Kubernetes `Status` body, or the body itself (shortened) when it is not one.
pub fn status_message(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Status {
        message: Option<String>,
    }
    if let Ok(Status { message: Some(m) }) = serde_json::from_str::<Status>(body) {
        return m;
    }
    let trimmed = body.trim();
    if trimmed.chars().count() > 300 {
        let short: String = trimmed.chars().take(300).collect();
        format!("{short}…")
    } else {
        trimmed.to_owned()
    }
}

/// `/apis/keda.sh/v1alpha1/...` → `keda.sh/v1alpha1`; `/api/v1/...` → `v1`.
fn api_of(path: &str) -> String {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("apis"), Some(group), Some(version)) => format!("{group}/{version}"),
        (Some("api"), Some(version), _) => version.to_owned(),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: Attempt<'static> = Attempt {
        path: "/apis/keda.sh/v1alpha1/scaledobjects",
        action: "list ScaledObjects",
        installs: Some("KEDA"),
        what: "ScaledObjects",
    };

    fn answer(status: u16, body: &str) -> Response {
        Response { status, body: body.to_owned() }
    }

    #[test]
    fn forbidden_is_no_permission_not_missing() {
        let body = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"scaledobjects.keda.sh is forbidden: User \"bob\" cannot list resource \"scaledobjects\" in API group \"keda.sh\" at the cluster scope","reason":"Forbidden","code":403}"#;
        let e = classify(&answer(403, body), &LIST);
        assert_eq!(e.title(), "No permission");
        assert!(e.explanation().contains("User \"bob\" cannot list"), "{}", e.explanation());
    }

    #[test]
    fn missing_collection_is_not_installed() {
        let e = classify(&answer(404, "404 page not found"), &LIST);
        assert_eq!(e, DataError::NotInstalled { component: "KEDA".into(), api: "keda.sh/v1alpha1".into() });
    }

    #[test]
    fn missing_object_is_not_found() {
        let one = Attempt { installs: None, what: "ScaledObject default/web", ..LIST };
        assert_eq!(
            classify(&answer(404, ""), &one),
            DataError::NotFound { what: "ScaledObject default/web".into() }
        );
    }

    #[test]
    fn no_answer_is_a_network_error() {
        let e = classify(&answer(0, "Failed to fetch"), &LIST);
        assert_eq!(e.title(), "Cluster not reachable");
        assert!(e.explanation().contains("Failed to fetch"));
    }

    #[test]
    fn long_non_status_bodies_are_shortened() {
        let body = "x".repeat(1000);
        assert_eq!(status_message(&body).chars().count(), 301);
    }
}
