//! Data of the KEDA pages: scaler views of ScaledObjects and ScaledJobs (the server's `scalers`,
//! or the same `model` join in the browser), the raw objects their spec sections show, the
//! events and journal entries of one object, the Jobs of a ScaledJob, and the authentication and
//! CloudEvent objects (raw: the server does not serve them).

use super::error::{Attempt, classify};
use super::prometheus::encode;
use super::source::Origin;
use super::{Answer, Data, DataError, Gap, Listed, Part, Within, now_ms};
use model::journal::JournalEntry;
use model::keda::{
    CloudEventSource, ClusterCloudEventSource, ClusterTriggerAuthentication, ScaledJob, ScaledObject,
    TriggerAuthentication, TriggerAuthenticationSpec, TriggerAuthenticationStatus,
};
use model::meta::{ObjectMeta, ObjectRef, Resource};
use model::scaler::Scaler;
use model::snapshot::Index;
use std::rc::Rc;

/// The served name of a ScaledJob's scaler view (`<name>.scaledjob`; ScaledObjects keep theirs).
pub fn scaled_job_view_name(name: &str) -> String {
    format!("{name}.scaledjob")
}

/// A TriggerAuthentication or ClusterTriggerAuthentication, and who uses it.
#[derive(Clone, Debug, PartialEq)]
pub struct Authentication {
    /// `TriggerAuthentication` or `ClusterTriggerAuthentication`.
    pub kind: &'static str,
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Spec (Secrets and ConfigMaps are named there, never read).
    pub spec: TriggerAuthenticationSpec,
    /// Status (KEDA's "used by" names).
    pub status: TriggerAuthenticationStatus,
    /// ScaledObjects and ScaledJobs whose triggers reference it, with KEDA's status names.
    pub users: Vec<ObjectRef>,
}

impl From<&TriggerAuthentication> for Authentication {
    fn from(t: &TriggerAuthentication) -> Self {
        Authentication {
            kind: TriggerAuthentication::KIND,
            metadata: t.metadata.clone(),
            spec: t.spec.clone(),
            status: t.status.clone(),
            users: Vec::new(),
        }
    }
}

impl From<&ClusterTriggerAuthentication> for Authentication {
    fn from(t: &ClusterTriggerAuthentication) -> Self {
        Authentication {
            kind: ClusterTriggerAuthentication::KIND,
            metadata: t.metadata.clone(),
            spec: t.spec.clone(),
            status: t.status.clone(),
            users: Vec::new(),
        }
    }
}

/// What the server adds to the direct mode: the journal keeps entries past the one-hour life of
/// events. `None` in direct mode (there is no journal to read).
pub type Journal = Option<Vec<JournalEntry>>;

impl Data {
    /// Scaler views of every ScaledObject (`kind` = `ScaledObject`) or ScaledJob the user may list.
    /// Shared (`Rc`) so tables and re-renders hold the same slice.
    pub async fn keda_scalers(&self, kind: &'static str) -> Result<Answer<Rc<[Scaler]>>, DataError> {
        let all = self.view(Within::All, model::scaler::scalers).await?;
        Ok(all.map(|v| v.into_iter().filter(|s| s.source.kind == kind).collect()))
    }

    /// The scaler view of one ScaledObject, with its triggers' live values.
    pub async fn scaled_object_scaler(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Answer<Scaler>, DataError> {
        self.scaler_with_live_values(namespace, name).await
    }

    /// The scaler view of one ScaledJob, with its triggers' live values.
    pub async fn scaled_job_scaler(&self, namespace: &str, name: &str) -> Result<Answer<Scaler>, DataError> {
        self.scaler_with_live_values(namespace, &scaled_job_view_name(name)).await
    }

    /// One scaler: the server's (it polls the External Metrics API itself), or in the browser the
    /// join over its namespace plus one External Metrics request per trigger (the values the HPA
    /// reads, no Prometheus needed).
    async fn scaler_with_live_values(
        &self,
        namespace: &str,
        view_name: &str,
    ) -> Result<Answer<Scaler>, DataError> {
        if self.origin().await == Origin::Server {
            return self.view_one(Some(namespace), view_name, model::scaler::scalers).await;
        }
        let mut parts = Part::for_resource(&model::api::SCALERS);
        parts.push(Part::LiveMetrics);
        let fetched = self.snapshot(&parts, &Within::Namespace(namespace.to_owned())).await?;
        fetched.fatal(&model::api::SCALERS)?;
        let snap = fetched.value.snapshot();
        let ix = Index::new(&snap);
        let found = model::scaler::scalers(&ix, self.now())
            .into_iter()
            .find(|s| s.metadata.name == view_name && s.metadata.ns() == namespace);
        match found {
            Some(value) => Ok(Answer { value, origin: fetched.origin.clone(), gaps: fetched.gaps.clone() }),
            None => Err(DataError::NotFound {
                what: format!("{} {namespace}/{view_name}", model::api::SCALERS.kind),
            }),
        }
    }

    /// One ScaledObject as KEDA has it (spec details).
    pub async fn scaled_object_spec(&self, namespace: &str, name: &str) -> Result<ScaledObject, DataError> {
        self.object::<ScaledObject>(namespace, name).await
    }

    /// One ScaledJob as KEDA has it.
    pub async fn scaled_job(&self, namespace: &str, name: &str) -> Result<ScaledJob, DataError> {
        self.object::<ScaledJob>(namespace, name).await
    }

    /// A GET through the bridge, cached for the page like lists are; non-2xx becomes the error
    /// the user should see.
    async fn cached_get(&self, path: String, action: String, what: String) -> Result<Rc<String>, DataError> {
        let bridge = self.bridge().clone();
        let cluster = self.cluster().to_owned();
        let key = format!("get:{path}");
        let state = self.state();
        state
            .cache
            .get(&key, 5_000.0, now_ms(), async move {
                let r = bridge.get(&cluster, &path).await?;
                if (200..300).contains(&r.status) {
                    Ok(r.body)
                } else {
                    Err(classify(&r, &Attempt { path: &path, action: &action, installs: None, what: &what }))
                }
            })
            .await
    }

    /// Journal entries about one object (server only; `None` in direct mode), newest first.
    pub async fn journal_about(&self, namespace: &str, uid: &str) -> Result<Journal, DataError> {
        if self.origin().await != Origin::Server {
            return Ok(None);
        }
        #[derive(serde::Deserialize)]
        struct Entries {
            #[serde(default)]
            items: Vec<JournalEntry>,
        }
        let path = format!(
            "/apis/{}/namespaces/{namespace}/journal?since=168h&limit=1000&objectUid={}",
            model::api::API_VERSION,
            encode(uid)
        );
        let what = format!("the journal of namespace {namespace}");
        let body = self.cached_get(path.clone(), format!("read {what}"), what).await?;
        let entries: Entries =
            serde_json::from_str(&body).map_err(|e| DataError::Malformed { path, error: e.to_string() })?;
        // The server may not filter by object yet: keep this object's entries only.
        let mut mine: Vec<JournalEntry> = entries.items.into_iter().filter(|e| e.object_uid == uid).collect();
        mine.sort_by_key(|e| std::cmp::Reverse(e.last_time));
        Ok(Some(mine))
    }

    /// TriggerAuthentications (`cluster` false) or ClusterTriggerAuthentications, each with the
    /// ScaledObjects and ScaledJobs using it.
    pub async fn authentications(&self, cluster: bool) -> Result<Answer<Rc<[Authentication]>>, DataError> {
        let (items, answer_gaps, origin): (Vec<Authentication>, _, _) = if cluster {
            let a = self.objects::<ClusterTriggerAuthentication>(Within::All).await?;
            (a.value.items.iter().map(Authentication::from).collect(), a.gaps, a.origin)
        } else {
            let a = self.objects::<TriggerAuthentication>(Within::All).await?;
            (a.value.items.iter().map(Authentication::from).collect(), a.gaps, a.origin)
        };
        let (users, mut gaps) = self.auth_users_of(items, Within::All).await;
        gaps.splice(0..0, answer_gaps);
        Ok(Answer { value: users.into(), origin, gaps })
    }

    /// One TriggerAuthentication (`namespace` given) or ClusterTriggerAuthentication, with its users.
    pub async fn authentication(
        &self,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Answer<Authentication>, DataError> {
        let (one, within) = match namespace {
            Some(ns) => (
                Authentication::from(&self.object::<TriggerAuthentication>(ns, name).await?),
                Within::Namespace(ns.to_owned()),
            ),
            None => (
                Authentication::from(&self.object::<ClusterTriggerAuthentication>("", name).await?),
                Within::All,
            ),
        };
        let (mut users, gaps) = self.auth_users_of(vec![one], within).await;
        let origin = self.state().origin().unwrap_or(Origin::Direct(super::DirectWhy::NotInstalled));
        Ok(Answer { value: users.remove(0), origin, gaps })
    }

    /// Fills `users` with `model::keda::auth_users` over the ScaledObjects and ScaledJobs in
    /// `within`; when those cannot be read, KEDA's status names remain and the gap says why.
    async fn auth_users_of(
        &self,
        mut items: Vec<Authentication>,
        within: Within,
    ) -> (Vec<Authentication>, Vec<Gap>) {
        let mut gaps = Vec::new();
        let so = match self.objects::<ScaledObject>(within.clone()).await {
            Ok(a) => a.value.items.clone(),
            Err(error) => {
                gaps.push(Gap::Missing { what: "Users from ScaledObjects".into(), error });
                Rc::from([])
            }
        };
        let sj = match self.objects::<ScaledJob>(within).await {
            Ok(a) => a.value.items.clone(),
            Err(error) => {
                gaps.push(Gap::Missing { what: "Users from ScaledJobs".into(), error });
                Rc::from([])
            }
        };
        let so: Vec<&ScaledObject> = so.iter().collect();
        let sj: Vec<&ScaledJob> = sj.iter().collect();
        for a in &mut items {
            a.users = model::keda::auth_users(&so, &sj, a.kind, a.metadata.ns(), &a.metadata.name, &a.status);
        }
        (items, gaps)
    }

    /// CloudEventSources the user may list.
    pub async fn cloud_event_sources(&self) -> Result<Answer<Listed<CloudEventSource>>, DataError> {
        self.objects(Within::All).await
    }

    /// ClusterCloudEventSources.
    pub async fn cluster_cloud_event_sources(
        &self,
    ) -> Result<Answer<Listed<ClusterCloudEventSource>>, DataError> {
        self.objects(Within::All).await
    }
}
