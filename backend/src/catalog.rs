//! Finds which optional APIs the cluster serves and starts or stops their watches.
//!
//! Runs at start and then periodically, so KEDA or Karpenter installed after the server started are
//! picked up and removed CRDs stop being watched. A group that is not served is "not installed"; a
//! served group whose list is forbidden is "no permission" (decided by the watch's 403).
//!
//! Each group is discovered on its own: a group whose APIService does not answer costs only itself
//! (its watches are kept as they are until it answers again). Scale-target kinds are named by tenants
//! (a ScaledObject's `scaleTargetRef`), so they pass a [`TargetPolicy`] first: never our own group,
//! never a kind without a `/scale` subresource, only the operator's allowlist when one is set, and at
//! most [`MAX_TARGET_KINDS`] of them. None of these watches decides readiness (see
//! [`crate::caches::Caches::ready`]).

use crate::caches::{Caches, GroupKind, NodeClassWatch};
use crate::metrics::Metrics;
use crate::watch;
use kube::api::ApiResource;
use kube::core::GroupVersion;
use kube::discovery::{ApiCapabilities, ApiGroup};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

/// KEDA's API group.
pub const KEDA: &str = "keda.sh";
/// KEDA's CloudEventSource API group.
pub const KEDA_EVENTING: &str = "eventing.keda.sh";
/// Karpenter's API group.
pub const KARPENTER: &str = "karpenter.sh";
/// NodeClass kinds we know, by provider group.
pub const NODE_CLASSES: &[(&str, &str)] = &[
    ("karpenter.k8s.aws", "EC2NodeClass"),
    ("eks.amazonaws.com", "NodeClass"),
    ("karpenter.azure.com", "AKSNodeClass"),
    ("karpenter.kwok.sh", "KWOKNodeClass"),
];
/// At most this many custom scale-target kinds are watched (each is a cluster-wide watch).
pub const MAX_TARGET_KINDS: usize = 16;
/// Upper bound of one group's discovery.
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Which scale-target kinds named by ScaledObjects the server may watch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    /// The operator's allowlist (`--scale-target-kinds`); empty: every kind with a `/scale` subresource.
    pub allow: BTreeSet<GroupKind>,
}

impl TargetPolicy {
    /// From `--scale-target-kinds` entries written as kubectl writes kinds: `Rollout.argoproj.io`,
    /// `ReplicaSet.apps`, or `ReplicationController` for the core group.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        let mut allow = BTreeSet::new();
        for e in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let (kind, group) = e.split_once('.').unwrap_or((e, ""));
            let kind_ok = kind.starts_with(|c: char| c.is_ascii_uppercase())
                && kind.chars().all(|c| c.is_ascii_alphanumeric());
            let group_ok =
                group.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
            if !kind_ok || !group_ok {
                return Err(format!("{e:?}: expected Kind.group, e.g. Rollout.argoproj.io"));
            }
            allow.insert((group.to_owned(), kind.to_owned()));
        }
        Ok(Self { allow })
    }

    /// Why the kind a scaleTargetRef names is not watched as a custom target (`None`: it may be,
    /// if discovery shows a `/scale` subresource). Deployments and StatefulSets are watched anyway.
    pub fn refusal(&self, group: &str, kind: &str) -> Option<String> {
        if group == model::api::GROUP {
            return Some("the Autoscaling Insights API itself is never watched".to_owned());
        }
        if !self.allow.is_empty() && !self.allow.contains(&(group.to_owned(), kind.to_owned())) {
            return Some("not in --scale-target-kinds".to_owned());
        }
        None
    }
}

/// Scale-target kinds watched by [`crate::caches::Core`] already.
fn is_core_target(group: &str, kind: &str) -> bool {
    group == "apps" && (kind == "Deployment" || kind == "StatefulSet")
}

/// What should be watched, derived from the caches' current content.
struct Wanted {
    groups: BTreeSet<String>,
    node_classes: BTreeSet<GroupKind>,
    /// Custom scale-target kinds that passed the policy's static checks.
    targets: BTreeSet<GroupKind>,
    /// Kinds refused before discovery, with the reason.
    refused: BTreeMap<GroupKind, String>,
}

fn wanted(caches: &Caches, policy: &TargetPolicy) -> Wanted {
    let snap = caches.snapshot();
    let mut node_classes: BTreeSet<GroupKind> =
        NODE_CLASSES.iter().map(|(g, k)| ((*g).to_owned(), (*k).to_owned())).collect();
    for np in &snap.nodepools {
        if let Some(r) = &np.object.spec.template.spec.node_class_ref
            && let (Some(g), Some(k)) = (r.group.as_deref(), r.kind.as_deref())
            && !g.is_empty()
            && !k.is_empty()
            && g != model::api::GROUP
        {
            node_classes.insert((g.to_owned(), k.to_owned()));
        }
    }
    let named = snap.scaledobjects.iter().map(|so| {
        let r = &so.object.spec.scale_target_ref;
        let (group, _) = model::meta::split_api_version(r.api_version());
        (group.to_owned(), r.kind().to_owned())
    });
    let (targets, refused) = sort_targets(named, policy);
    let mut groups: BTreeSet<String> =
        [KEDA, KEDA_EVENTING, KARPENTER].iter().map(|s| (*s).to_owned()).collect();
    groups.extend(node_classes.iter().map(|(g, _)| g.clone()));
    groups.extend(targets.iter().map(|(g, _)| g.clone()));
    Wanted { groups, node_classes, targets, refused }
}

/// Splits the kinds that scaleTargetRefs name into custom targets to discover and refused ones.
fn sort_targets(
    named: impl IntoIterator<Item = GroupKind>,
    policy: &TargetPolicy,
) -> (BTreeSet<GroupKind>, BTreeMap<GroupKind, String>) {
    let mut targets = BTreeSet::new();
    let mut refused = BTreeMap::new();
    for (group, kind) in named {
        if kind.is_empty() || is_core_target(&group, &kind) {
            continue;
        }
        match policy.refusal(&group, &kind) {
            Some(why) => {
                refused.insert((group, kind), why);
            }
            None if targets.len() < MAX_TARGET_KINDS || targets.contains(&(group.clone(), kind.clone())) => {
                targets.insert((group, kind));
            }
            None => {
                refused.insert((group, kind), format!("more than {MAX_TARGET_KINDS} scale-target kinds"));
            }
        }
    }
    (targets, refused)
}

/// One group's discovery result.
enum Group {
    Served(ApiGroup),
    NotServed,
    /// Listed by kube-apiserver, but its resources could not be read (a broken APIService).
    Failing(String),
}

/// What discovery says about one kind.
enum Lookup {
    Found(ApiResource, ApiCapabilities),
    Absent,
    /// Its group fails discovery: keep whatever runs for it.
    Unknown(String),
}

/// Discovers every group in `groups` on its own (one bounded request per group).
async fn discover(
    client: &kube::Client,
    groups: &BTreeSet<String>,
) -> Result<BTreeMap<String, Group>, kube::Error> {
    let list = client.list_api_groups().await?;
    let mut out = BTreeMap::new();
    for name in groups {
        let group = if name.is_empty() {
            match tokio::time::timeout(DISCOVERY_TIMEOUT, kube::discovery::group(client, "")).await {
                Ok(Ok(g)) => Group::Served(g),
                Ok(Err(e)) => Group::Failing(e.to_string()),
                Err(_) => Group::Failing(format!("no answer within {DISCOVERY_TIMEOUT:?}")),
            }
        } else {
            let listed = list.groups.iter().find(|g| &g.name == name);
            let version = listed.and_then(|g| {
                g.preferred_version
                    .as_ref()
                    .map(|v| v.version.clone())
                    .or_else(|| g.versions.first().map(|v| v.version.clone()))
            });
            match version {
                None => Group::NotServed,
                Some(version) => {
                    let gv = GroupVersion::gv(name, &version);
                    match tokio::time::timeout(DISCOVERY_TIMEOUT, kube::discovery::pinned_group(client, &gv))
                        .await
                    {
                        Ok(Ok(g)) => Group::Served(g),
                        Ok(Err(kube::Error::Api(s))) if s.code == 404 => Group::NotServed,
                        Ok(Err(e)) => Group::Failing(e.to_string()),
                        Err(_) => Group::Failing(format!("no answer within {DISCOVERY_TIMEOUT:?}")),
                    }
                }
            }
        };
        out.insert(name.clone(), group);
    }
    Ok(out)
}

fn lookup(groups: &BTreeMap<String, Group>, group: &str, kind: &str) -> Lookup {
    match groups.get(group) {
        Some(Group::Served(g)) => match g.recommended_kind(kind) {
            Some((ar, caps)) => Lookup::Found(ar, caps),
            None => Lookup::Absent,
        },
        Some(Group::Failing(e)) => Lookup::Unknown(e.clone()),
        Some(Group::NotServed) | None => Lookup::Absent,
    }
}

/// True when the kind has a `/scale` subresource (what KEDA needs to scale it).
fn scalable(caps: &ApiCapabilities) -> bool {
    caps.subresources.iter().any(|(r, _)| r.plural == "scale")
}

/// One discovery pass: start what appeared, stop what disappeared.
pub async fn reconcile(
    client: &kube::Client,
    caches: &Caches,
    metrics: &Metrics,
    policy: &TargetPolicy,
) -> Result<(), kube::Error> {
    let want = wanted(caches, policy);
    let groups = discover(client, &want.groups).await?;
    let served = |g: &str| matches!(groups.get(g), Some(Group::Served(_)));

    let changes = Arc::clone(&caches.changes);
    let mut o = caches.optional_mut();
    o.keda = if served(KEDA) {
        crate::caches::Availability::Installed
    } else {
        crate::caches::Availability::NotInstalled
    };
    o.karpenter = if served(KARPENTER) {
        crate::caches::Availability::Installed
    } else {
        crate::caches::Availability::NotInstalled
    };
    o.failing_groups = groups
        .iter()
        .filter_map(|(g, s)| match s {
            Group::Failing(e) => Some((g.clone(), e.clone())),
            _ => None,
        })
        .collect();
    let mut absent = BTreeSet::new();
    let mut find_known = |group: &str, kind: &str| {
        let found = lookup(&groups, group, kind);
        if matches!(found, Lookup::Absent) {
            absent.insert(format!("{group}/{kind}"));
        }
        found
    };
    let found = [
        find_known(KEDA, "ScaledObject"),
        find_known(KEDA, "ScaledJob"),
        find_known(KEDA_EVENTING, "CloudEventSource"),
        find_known(KEDA_EVENTING, "ClusterCloudEventSource"),
        find_known(KARPENTER, "NodePool"),
        find_known(KARPENTER, "NodeClaim"),
    ];
    let [so, sj, ces, cces, np, nc] = found;
    sync_one(&mut o.scaledobjects, so, client, &changes, metrics);
    sync_one(&mut o.scaledjobs, sj, client, &changes, metrics);
    sync_one(&mut o.cloudeventsources, ces, client, &changes, metrics);
    sync_one(&mut o.clustercloudeventsources, cces, client, &changes, metrics);
    sync_one(&mut o.nodepools, np, client, &changes, metrics);
    sync_one(&mut o.nodeclaims, nc, client, &changes, metrics);
    o.absent = absent;

    let mut keep_classes = BTreeSet::new();
    for (g, k) in &want.node_classes {
        match lookup(&groups, g, k) {
            Lookup::Found(ar, _) => {
                let gk = (g.clone(), k.clone());
                if o.nodeclasses.get(&gk).is_some_and(|w| *w.resource() != ar) {
                    o.nodeclasses.remove(&gk);
                }
                o.nodeclasses
                    .entry(gk.clone())
                    .or_insert_with(|| NodeClassWatch::spawn(client, ar, &changes, metrics));
                keep_classes.insert(gk);
            }
            Lookup::Unknown(_) => {
                keep_classes.insert((g.clone(), k.clone()));
            }
            Lookup::Absent => {}
        }
    }
    o.nodeclasses.retain(|gk, _| keep_classes.contains(gk));

    let mut refused: BTreeMap<String, String> =
        want.refused.iter().map(|((g, k), why)| (model::meta::api_version(g, k), why.clone())).collect();
    let mut keep_targets = BTreeSet::new();
    for (g, k) in &want.targets {
        let gk = (g.clone(), k.clone());
        match lookup(&groups, g, k) {
            Lookup::Found(ar, caps) if scalable(&caps) => {
                if o.scale_targets.get(&gk).is_some_and(|w| w.resource != ar) {
                    o.scale_targets.remove(&gk);
                }
                o.scale_targets
                    .entry(gk.clone())
                    .or_insert_with(|| watch::all(client, ar, &changes, metrics));
                keep_targets.insert(gk);
            }
            Lookup::Found(..) => {
                refused.insert(model::meta::api_version(g, k), "has no /scale subresource".to_owned());
            }
            Lookup::Unknown(_) => {
                keep_targets.insert(gk);
            }
            Lookup::Absent => {}
        }
    }
    o.scale_targets.retain(|gk, _| keep_targets.contains(gk));
    o.refused_targets = refused;
    o.discovered = true;
    drop(o);
    changes.bump();
    Ok(())
}

/// Starts, replaces (new version) or stops one optional watch; keeps it while its group fails discovery.
fn sync_one<T: watch::Object>(
    slot: &mut Option<watch::Watch<T>>,
    found: Lookup,
    client: &kube::Client,
    changes: &Arc<watch::Changes>,
    metrics: &Metrics,
) {
    match (slot.as_ref(), found) {
        (Some(w), Lookup::Found(ar, _)) if w.resource == ar => {}
        (_, Lookup::Found(ar, _)) => {
            tracing::info!(kind = %ar.kind, api_version = %ar.api_version, "watching");
            *slot = Some(watch::all(client, ar, changes, metrics));
        }
        (Some(w), Lookup::Absent) => {
            tracing::info!(kind = %w.resource.kind, "no longer served; watch stopped");
            *slot = None;
        }
        (_, Lookup::Unknown(e)) => {
            tracing::warn!(error = %e, "API group fails discovery; its watch is kept as it is");
        }
        (None, Lookup::Absent) => {}
    }
}

/// Runs [`reconcile`] now and every `period` (and soon again after new ScaledObjects/NodePools appear,
/// since those can name new scale-target and NodeClass kinds).
pub async fn run(
    client: kube::Client,
    caches: Arc<Caches>,
    metrics: Metrics,
    period: Duration,
    policy: TargetPolicy,
) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut quick = 0;
    loop {
        tick.tick().await;
        match reconcile(&client, &caches, &metrics, &policy).await {
            Ok(()) => {}
            Err(e) => {
                tracing::warn!(error = %e, "API discovery failed; keeping the current watches");
                // Readiness waits for one attempt, not for its success (kube-apiserver may be down).
                caches.optional_mut().discovered = true;
            }
        }
        // The first passes run before KEDA/Karpenter objects are listed; re-run quickly a few
        // times so kinds named by them (custom scale targets, NodeClasses) are found early.
        if quick < 5 {
            quick += 1;
            tokio::time::sleep(Duration::from_secs(2)).await;
            tick.reset_immediately();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gk(g: &str, k: &str) -> GroupKind {
        (g.to_owned(), k.to_owned())
    }

    #[test]
    fn tenants_cannot_make_the_server_watch_its_own_api_or_core_kinds_twice() {
        let named = [
            gk("apps", "Deployment"),
            gk(model::api::GROUP, "Overview"),
            gk("argoproj.io", "Rollout"),
            gk("", "Pod"),
            gk("batch", "Job"),
        ];
        let (targets, refused) = sort_targets(named, &TargetPolicy::default());
        // Pods and Jobs pass the static checks: discovery then refuses them (no /scale subresource).
        assert_eq!(
            targets,
            BTreeSet::from([gk("argoproj.io", "Rollout"), gk("", "Pod"), gk("batch", "Job")])
        );
        assert_eq!(refused.keys().collect::<Vec<_>>(), vec![&gk(model::api::GROUP, "Overview")]);
    }

    #[test]
    fn the_allowlist_decides_when_set() {
        let policy =
            TargetPolicy::parse(&["Rollout.argoproj.io".to_owned(), "ReplicationController".to_owned()])
                .expect("valid entries");
        assert_eq!(
            policy.allow,
            BTreeSet::from([gk("argoproj.io", "Rollout"), gk("", "ReplicationController")])
        );
        let (targets, refused) = sort_targets(
            [gk("argoproj.io", "Rollout"), gk("example.com", "Scaler"), gk("", "ReplicationController")],
            &policy,
        );
        assert_eq!(targets, BTreeSet::from([gk("argoproj.io", "Rollout"), gk("", "ReplicationController")]));
        assert_eq!(
            refused.get(&gk("example.com", "Scaler")).map(String::as_str),
            Some("not in --scale-target-kinds")
        );
        assert!(TargetPolicy::parse(&["argoproj.io/Rollout".to_owned()]).is_err());
    }

    #[test]
    fn the_number_of_target_kinds_is_bounded() {
        let named: Vec<GroupKind> =
            (0..MAX_TARGET_KINDS + 5).map(|i| gk(&format!("g{i:02}.example.com"), "Scaler")).collect();
        let (targets, refused) = sort_targets(named, &TargetPolicy::default());
        assert_eq!(targets.len(), MAX_TARGET_KINDS);
        assert_eq!(refused.len(), 5);
    }
}
