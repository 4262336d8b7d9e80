//! KEDA's actions on a ScaledObject or ScaledJob, all through its `autoscaling.keda.sh/*`
//! annotations (what `kubectl annotate` would do): pause (at the current count or at N
//! replicas), resume, pause only scale-in or scale-out, force activation. Which ones are offered
//! follows the object's pause state (`model::scaler::PauseState`, one definition for all pages).

use super::{Action, NumberInput, Patch, Target};
use model::keda::annotations;
use model::scaler::PauseState;
use serde_json::{Value, json};

/// The ScaledObject or ScaledJob `kind` (`ScaledObject` / `ScaledJob`) `namespace/name`.
pub fn target(kind: &str, namespace: &str, name: &str) -> Target {
    let resource = if kind == "ScaledJob" { "scaledjobs" } else { "scaledobjects" };
    Target::new("keda.sh", "v1alpha1", resource, kind, Some(namespace), name)
}

fn set(pairs: &[(&str, Option<&str>)]) -> Value {
    let mut a = serde_json::Map::new();
    for (k, v) in pairs {
        a.insert((*k).to_owned(), v.map(Value::from).unwrap_or(Value::Null));
    }
    json!({ "metadata": { "annotations": a } })
}

fn paused_replicas(n: i64) -> Value {
    set(&[(annotations::PAUSED_REPLICAS, Some(&n.to_string())), (annotations::PAUSED, None)])
}

/// The actions that make sense for an object in `pause` state, in the order they are shown.
/// ScaledJobs only pause and resume (KEDA has no replica count, scale-in/-out or forced
/// activation for them).
pub fn scaler_actions(
    kind: &str,
    namespace: &str,
    name: &str,
    pause: &PauseState,
    current_replicas: Option<i32>,
) -> Vec<Action> {
    let t = target(kind, namespace, name);
    let what = t.describe();
    let scaled_object = kind != "ScaledJob";
    let mut out = Vec::new();
    if pause.paused {
        out.push(
            Action::new(
                "resume",
                "Resume",
                t.clone(),
                set(&[(annotations::PAUSED, None), (annotations::PAUSED_REPLICAS, None)]),
            )
            .described("KEDA scales it on its triggers again (removes autoscaling.keda.sh/paused and paused-replicas).")
            .done_text(&format!("Resumed {what}.")),
        );
    } else {
        out.push(
            Action::new("pause", "Pause", t.clone(), set(&[(annotations::PAUSED, Some("true"))]))
                .described(if scaled_object {
                    "KEDA stops scaling it and keeps the current replica count (annotation autoscaling.keda.sh/paused=true)."
                } else {
                    "KEDA stops creating Jobs for it (annotation autoscaling.keda.sh/paused=true)."
                })
                .done_text(&format!("Paused {what}."))
                .dangerous(),
        );
        if scaled_object {
            out.push(Action {
                id: "pause-at",
                label: "Pause at replicas…".to_owned(),
                description: "KEDA scales the target to this many replicas and stops scaling it \
                              (annotation autoscaling.keda.sh/paused-replicas)."
                    .to_owned(),
                target: t.clone(),
                patch: Patch::Number(
                    NumberInput {
                        label: "Replicas".to_owned(),
                        min: 0,
                        max: 10_000,
                        value: i64::from(current_replicas.unwrap_or(0).max(0)),
                    },
                    paused_replicas,
                ),
                confirm: "Pause".to_owned(),
                done: format!("Paused {what} at a fixed replica count."),
                danger: true,
            });
        }
    }
    if scaled_object && !pause.paused {
        out.push(if pause.scale_in_paused {
            Action::new("resume-scale-in", "Resume scale-in", t.clone(), set(&[(annotations::PAUSED_SCALE_IN, None)]))
                .described("KEDA may remove replicas again (removes autoscaling.keda.sh/paused-scale-in).")
                .done_text(&format!("Scale-in resumed for {what}."))
        } else {
            Action::new("pause-scale-in", "Pause scale-in", t.clone(), set(&[(annotations::PAUSED_SCALE_IN, Some("true"))]))
                .described("KEDA keeps adding replicas when needed but never removes any (annotation autoscaling.keda.sh/paused-scale-in=true).")
                .done_text(&format!("Scale-in paused for {what}."))
        });
        out.push(if pause.scale_out_paused {
            Action::new("resume-scale-out", "Resume scale-out", t.clone(), set(&[(annotations::PAUSED_SCALE_OUT, None)]))
                .described("KEDA may add replicas again (removes autoscaling.keda.sh/paused-scale-out).")
                .done_text(&format!("Scale-out resumed for {what}."))
        } else {
            Action::new("pause-scale-out", "Pause scale-out", t.clone(), set(&[(annotations::PAUSED_SCALE_OUT, Some("true"))]))
                .described("KEDA may remove replicas but never adds any (annotation autoscaling.keda.sh/paused-scale-out=true).")
                .done_text(&format!("Scale-out paused for {what}."))
        });
        out.push(if pause.force_activation {
            Action::new("stop-force-activation", "Stop forcing activation", t.clone(), set(&[(annotations::FORCE_ACTIVATION, None)]))
                .described("The triggers decide again whether the target is active (removes autoscaling.keda.sh/force-activation).")
                .done_text(&format!("{what} is no longer forced active."))
        } else {
            Action::new("force-activation", "Force activation", t.clone(), set(&[(annotations::FORCE_ACTIVATION, Some("true"))]))
                .described("KEDA treats the target as active whatever the triggers say, so it scales up from zero \
                            (annotation autoscaling.keda.sh/force-activation=true).")
                .done_text(&format!("{what} is forced active."))
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[Action]) -> Vec<&str> {
        v.iter().map(|a| a.id).collect()
    }

    #[test]
    fn a_running_scaled_object_can_be_paused_in_every_way() {
        let v = scaler_actions("ScaledObject", "team-a", "orders", &PauseState::default(), Some(3));
        assert_eq!(ids(&v), ["pause", "pause-at", "pause-scale-in", "pause-scale-out", "force-activation"]);
        assert_eq!(
            v[0].body(0).to_string(),
            r#"{"metadata":{"annotations":{"autoscaling.keda.sh/paused":"true"}}}"#
        );
        // Paused at N: the number typed, and the plain `paused` annotation removed so N applies.
        assert_eq!(
            v[1].body(2).to_string(),
            r#"{"metadata":{"annotations":{"autoscaling.keda.sh/paused":null,"autoscaling.keda.sh/paused-replicas":"2"}}}"#
        );
        match &v[1].patch {
            Patch::Number(n, _) => assert_eq!(n.value, 3, "starts at the current replicas"),
            Patch::Fixed(_) => panic!("pause-at asks for a number"),
        }
        assert_eq!(v[0].target.path(), "/apis/keda.sh/v1alpha1/namespaces/team-a/scaledobjects/orders");
    }

    #[test]
    fn a_paused_object_offers_resume_which_clears_both_annotations() {
        let paused = PauseState { paused: true, paused_replicas: Some(1), ..Default::default() };
        let v = scaler_actions("ScaledObject", "team-a", "emails", &paused, Some(1));
        assert_eq!(ids(&v), ["resume"]);
        assert_eq!(
            v[0].body(0).to_string(),
            r#"{"metadata":{"annotations":{"autoscaling.keda.sh/paused":null,"autoscaling.keda.sh/paused-replicas":null}}}"#
        );
        assert!(v[0].label.starts_with("Resume"));
    }

    #[test]
    fn partial_pauses_toggle_and_scaled_jobs_only_pause() {
        let p = PauseState { scale_in_paused: true, force_activation: true, ..Default::default() };
        let v = scaler_actions("ScaledObject", "team-a", "orders", &p, None);
        assert_eq!(
            ids(&v),
            ["pause", "pause-at", "resume-scale-in", "pause-scale-out", "stop-force-activation"]
        );
        let j = scaler_actions("ScaledJob", "team-c", "thumbnails", &PauseState::default(), None);
        assert_eq!(ids(&j), ["pause"]);
        assert_eq!(j[0].target.path(), "/apis/keda.sh/v1alpha1/namespaces/team-c/scaledjobs/thumbnails");
    }
}
