//! Finds which optional APIs the cluster serves and starts or stops their watches.
//!
//! Runs at start and then periodically, so KEDA or Karpenter installed after the server started are
//! picked up and removed CRDs stop being watched. A group that is not served is "not installed"; a
//! served group whose list is forbidden is "no permission" (decided by the watch's 403).

use crate::caches::{Availability, Caches, GroupKind, NodeClassWatch};
use crate::metrics::Metrics;
use crate::watch;
use kube::api::ApiResource;
use kube::discovery::Discovery;
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

/// Scale-target kinds watched by [`crate::caches::Core`] already.
fn is_core_target(group: &str, kind: &str) -> bool {
    group == "apps" && (kind == "Deployment" || kind == "StatefulSet")
}

/// What should be watched, derived from the caches' current content.
fn wanted(caches: &Caches) -> (BTreeSet<String>, BTreeSet<GroupKind>, BTreeSet<GroupKind>) {
    let snap = caches.snapshot();
    let mut node_classes: BTreeSet<GroupKind> =
        NODE_CLASSES.iter().map(|(g, k)| ((*g).to_owned(), (*k).to_owned())).collect();
    for np in &snap.nodepools {
        if let Some(r) = &np.object.spec.template.spec.node_class_ref
            && let (Some(g), Some(k)) = (r.group.as_deref(), r.kind.as_deref())
            && !g.is_empty()
            && !k.is_empty()
        {
            node_classes.insert((g.to_owned(), k.to_owned()));
        }
    }
    let mut targets = BTreeSet::new();
    for so in &snap.scaledobjects {
        let r = &so.object.spec.scale_target_ref;
        let (group, _) = model::meta::split_api_version(r.api_version());
        if !is_core_target(group, r.kind()) {
            targets.insert((group.to_owned(), r.kind().to_owned()));
        }
    }
    let mut groups: BTreeSet<String> =
        [KEDA, KEDA_EVENTING, KARPENTER].iter().map(|s| (*s).to_owned()).collect();
    groups.extend(node_classes.iter().map(|(g, _)| g.clone()));
    groups.extend(targets.iter().map(|(g, _)| g.clone()));
    (groups, node_classes, targets)
}

/// One discovery pass: start what appeared, stop what disappeared.
pub async fn reconcile(client: &kube::Client, caches: &Caches, metrics: &Metrics) -> Result<(), kube::Error> {
    let (groups, node_classes, targets) = wanted(caches);
    let list: Vec<&str> = groups.iter().map(String::as_str).collect();
    let discovery = Discovery::new(client.clone()).filter(&list).run().await?;
    let find = |group: &str, kind: &str| -> Option<ApiResource> {
        discovery.get(group).and_then(|g| g.recommended_kind(kind)).map(|(ar, _caps)| ar)
    };
    let served = |group: &str| discovery.get(group).is_some();

    let changes = Arc::clone(&caches.changes);
    let mut o = caches.optional_mut();
    o.keda = if served(KEDA) { Availability::Installed } else { Availability::NotInstalled };
    o.karpenter = if served(KARPENTER) { Availability::Installed } else { Availability::NotInstalled };
    let mut absent = BTreeSet::new();
    let mut find_known = |group: &str, kind: &str| {
        let found = find(group, kind);
        if found.is_none() {
            absent.insert(format!("{group}/{kind}"));
        }
        found
    };
    let found = [
        find_known(KEDA, "ScaledObject"),
        find_known(KEDA, "ScaledJob"),
        find_known(KEDA, "TriggerAuthentication"),
        find_known(KEDA, "ClusterTriggerAuthentication"),
        find_known(KEDA_EVENTING, "CloudEventSource"),
        find_known(KEDA_EVENTING, "ClusterCloudEventSource"),
        find_known(KARPENTER, "NodePool"),
        find_known(KARPENTER, "NodeClaim"),
    ];
    let [so, sj, ta, cta, ces, cces, np, nc] = found;
    sync_one(&mut o.scaledobjects, so, client, &changes, metrics);
    sync_one(&mut o.scaledjobs, sj, client, &changes, metrics);
    sync_one(&mut o.triggerauthentications, ta, client, &changes, metrics);
    sync_one(&mut o.clustertriggerauthentications, cta, client, &changes, metrics);
    sync_one(&mut o.cloudeventsources, ces, client, &changes, metrics);
    sync_one(&mut o.clustercloudeventsources, cces, client, &changes, metrics);
    sync_one(&mut o.nodepools, np, client, &changes, metrics);
    sync_one(&mut o.nodeclaims, nc, client, &changes, metrics);
    o.absent = absent;

    let found: BTreeMap<GroupKind, ApiResource> =
        node_classes.iter().filter_map(|(g, k)| Some(((g.clone(), k.clone()), find(g, k)?))).collect();
    o.nodeclasses.retain(|gk, w| found.get(gk).is_some_and(|ar| ar == w.resource()));
    for (gk, ar) in found {
        o.nodeclasses.entry(gk).or_insert_with(|| NodeClassWatch::spawn(client, ar, &changes, metrics));
    }

    let found: BTreeMap<GroupKind, ApiResource> =
        targets.iter().filter_map(|(g, k)| Some(((g.clone(), k.clone()), find(g, k)?))).collect();
    o.scale_targets.retain(|gk, w| found.get(gk).is_some_and(|ar| *ar == w.resource));
    for (gk, ar) in found {
        o.scale_targets.entry(gk).or_insert_with(|| watch::all(client, ar, &changes, metrics));
    }
    o.discovered = true;
    drop(o);
    changes.bump();
    Ok(())
}

/// Starts, replaces (new version) or stops one optional watch.
fn sync_one<T: watch::Object>(
    slot: &mut Option<watch::Watch<T>>,
    found: Option<ApiResource>,
    client: &kube::Client,
    changes: &Arc<watch::Changes>,
    metrics: &Metrics,
) {
    match (slot.as_ref(), found) {
        (Some(w), Some(ar)) if w.resource == ar => {}
        (_, Some(ar)) => {
            tracing::info!(kind = %ar.kind, api_version = %ar.api_version, "watching");
            *slot = Some(watch::all(client, ar, changes, metrics));
        }
        (Some(w), None) => {
            tracing::info!(kind = %w.resource.kind, "no longer served; watch stopped");
            *slot = None;
        }
        (None, None) => {}
    }
}

/// Runs [`reconcile`] now and every `period` (and soon again after new ScaledObjects/NodePools appear,
/// since those can name new scale-target and NodeClass kinds).
pub async fn run(client: kube::Client, caches: Arc<Caches>, metrics: Metrics, period: Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut quick = 0;
    loop {
        tick.tick().await;
        match reconcile(&client, &caches, &metrics).await {
            Ok(()) => {}
            Err(e) => tracing::warn!(error = %e, "API discovery failed; keeping the current watches"),
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
