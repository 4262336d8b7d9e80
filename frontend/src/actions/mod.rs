//! Actions: changes a user makes from a page (pause a ScaledObject, protect a node from
//! disruption). Every action is
//! - **shown only when allowed**: a SelfSubjectAccessReview (`authorization.k8s.io/v1`) for the
//!   verb on that very object must say yes (403 is never guessed from a role name);
//! - **confirmed** in an accessible dialog (focus moves into it, Tab stays inside, Escape cancels,
//!   focus returns to the button);
//! - **reported**: success, or the API server's own error message;
//! - applied as a JSON merge patch through Headlamp (never raw fetch), after which every open view
//!   of the cluster refreshes.
//!
//! # Adding an action (the pattern)
//!
//! Build [`Action`]s for the object a page shows and give them to [`ActionBar`], usually in the
//! page's `SectionBox` `actions`. For an annotation, [`annotate`] does everything:
//!
//! ```text
//! let target = Target::new("", "v1", "nodes", "Node", None, &node.name);
//! let action = annotate(target, "Protect from disruption", model::karpenter::annotations::DO_NOT_DISRUPT, Some("true"))
//!     .described("Karpenter will not consolidate, drift or expire this node while the annotation is set.");
//! html! { <ActionBar actions={vec![action]} /> }
//! ```
//!
//! KEDA's actions for a ScaledObject or ScaledJob come ready-made from [`keda::scaler_actions`].

pub mod keda;

use crate::data::{Data, DataError, Load, now_ms, use_load};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The object an action changes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// API group (`""` for core).
    pub group: String,
    /// Version.
    pub version: String,
    /// Plural resource (`scaledobjects`).
    pub resource: String,
    /// Kind, for messages (`ScaledObject`).
    pub kind: String,
    /// Namespace (`None`: cluster-scoped).
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
}

impl Target {
    /// An object of `group/version` `resource` (kind `kind`).
    pub fn new(
        group: &str,
        version: &str,
        resource: &str,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Target {
        Target {
            group: group.to_owned(),
            version: version.to_owned(),
            resource: resource.to_owned(),
            kind: kind.to_owned(),
            namespace: namespace.filter(|n| !n.is_empty()).map(str::to_owned),
            name: name.to_owned(),
        }
    }

    /// The object's URL path.
    pub fn path(&self) -> String {
        format!(
            "{}/{}",
            model::meta::list_path(&self.group, &self.version, &self.resource, self.namespace.as_deref()),
            self.name
        )
    }

    /// `ScaledObject team-a/orders`.
    pub fn describe(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    /// The SelfSubjectAccessReview asking whether the user may `verb` this object.
    pub fn access_review(&self, verb: &str) -> Value {
        let mut attributes = json!({
            "verb": verb,
            "group": self.group,
            "version": self.version,
            "resource": self.resource,
            "name": self.name,
        });
        if let Some(ns) = &self.namespace {
            attributes["namespace"] = json!(ns);
        }
        json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": { "resourceAttributes": attributes },
        })
    }
}

/// A number the user gives before confirming (paused-replicas).
#[derive(Clone, Debug, PartialEq)]
pub struct NumberInput {
    /// Field label.
    pub label: String,
    /// Smallest value.
    pub min: i64,
    /// Largest value.
    pub max: i64,
    /// Initial value.
    pub value: i64,
}

/// How the patch is made.
#[derive(Clone, Debug)]
pub enum Patch {
    /// This JSON merge patch.
    Fixed(Value),
    /// A merge patch built from the number the user typed.
    Number(NumberInput, fn(i64) -> Value),
}

// By hand: function pointers are compared by what they build, not by address.
impl PartialEq for Patch {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Patch::Fixed(a), Patch::Fixed(b)) => a == b,
            (Patch::Number(a, f), Patch::Number(b, g)) => a == b && f(a.value) == g(b.value),
            _ => false,
        }
    }
}

/// One action on one object.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Stable id (`pause`, `resume`, ...), for tests and keys.
    pub id: &'static str,
    /// The button's text (`Pause`).
    pub label: String,
    /// What it does, one or two sentences (shown in the dialog).
    pub description: String,
    /// The object.
    pub target: Target,
    /// The change.
    pub patch: Patch,
    /// What the dialog's confirm button says (defaults to the label).
    pub confirm: String,
    /// Said after it worked (`Paused ScaledObject team-a/orders.`).
    pub done: String,
    /// Shown in the error colour (it stops something that works).
    pub danger: bool,
}

impl Action {
    /// An action with a fixed merge patch.
    pub fn new(id: &'static str, label: &str, target: Target, patch: Value) -> Action {
        let done = format!("{label}: done for {}.", target.describe());
        Action {
            id,
            label: label.to_owned(),
            description: String::new(),
            target,
            patch: Patch::Fixed(patch),
            confirm: label.to_owned(),
            done,
            danger: false,
        }
    }

    /// With a description for the dialog.
    pub fn described(mut self, description: &str) -> Action {
        self.description = description.to_owned();
        self
    }

    /// With the success message.
    pub fn done_text(mut self, done: &str) -> Action {
        self.done = done.to_owned();
        self
    }

    /// Marked as stopping something (error colour).
    pub fn dangerous(mut self) -> Action {
        self.danger = true;
        self
    }

    /// The merge patch for the given number (ignored by fixed patches).
    pub fn body(&self, number: i64) -> Value {
        match &self.patch {
            Patch::Fixed(v) => v.clone(),
            Patch::Number(_, build) => build(number),
        }
    }
}

/// Sets (`Some`) or removes (`None`) one annotation.
pub fn annotation_patch(key: &str, value: Option<&str>) -> Value {
    json!({ "metadata": { "annotations": { key: value } } })
}

/// An action that sets or removes one annotation.
pub fn annotate(target: Target, label: &str, key: &str, value: Option<&str>) -> Action {
    Action::new("annotate", label, target, annotation_patch(key, value))
}

impl Data {
    /// Whether the user may `verb` the object (a SelfSubjectAccessReview; cached for the page a
    /// little while, as RBAC rarely changes under a user). Any failure to ask means "no".
    pub async fn can(&self, verb: &str, target: &Target) -> Result<bool, DataError> {
        let review = target.access_review(verb).to_string();
        let key = format!("ssar:{verb}:{}", target.path());
        let bridge = self.bridge().clone();
        let cluster = self.cluster().to_owned();
        let allowed = self
            .state()
            .cache
            .get(&key, 30_000.0, now_ms(), async move {
                let r = bridge
                    .request(
                        &cluster,
                        "POST",
                        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                        Some(&review),
                    )
                    .await?;
                if !(200..300).contains(&r.status) {
                    return Ok(false);
                }
                let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
                Ok(v.pointer("/status/allowed").and_then(Value::as_bool).unwrap_or(false))
            })
            .await?;
        Ok(*allowed)
    }

    /// Applies an action (a JSON merge patch); the API server's message when it refuses.
    pub async fn apply(&self, action: &Action, number: i64) -> Result<(), DataError> {
        let path = action.target.path();
        let body = action.body(number).to_string();
        let r = self
            .bridge()
            .request_as(self.cluster(), "PATCH", &path, Some(&body), "application/merge-patch+json")
            .await?;
        // Everything shown may have changed: drop cached answers and wake every live view.
        self.state().cache.clear();
        self.state().changed();
        if (200..300).contains(&r.status) {
            return Ok(());
        }
        let what = action.target.describe();
        Err(crate::data::error::classify(
            &r,
            &crate::data::error::Attempt {
                path: &path,
                action: &format!("change {what}"),
                installs: None,
                what: &what,
            },
        ))
    }
}

/// Props of [`ActionBar`].
#[derive(Properties, PartialEq)]
pub struct ActionBarProps {
    /// The actions of one object, in order.
    pub actions: Vec<Action>,
}

/// The buttons of the actions the user may take (none while RBAC is being asked, none denied).
#[function_component]
pub fn ActionBar(props: &ActionBarProps) -> Html {
    let result = use_state(|| None::<Result<String, String>>);
    let on_result = {
        let result = result.clone();
        Callback::from(move |r: Result<String, String>| result.set(Some(r)))
    };
    html! {
        <div class="ai-actions" role="group" aria-label="Actions">
            { for props.actions.iter().map(|a| html! {
                <ActionButton key={format!("{}-{}", a.id, a.label)} action={a.clone()} on_result={on_result.clone()} />
            }) }
            { match &*result {
                Some(Ok(m)) => html! { <span class="ai-check ai-check-ok" role="status" data-testid="ai-action-result">{ m.clone() }</span> },
                Some(Err(m)) => html! { <span class="ai-check ai-check-failed" role="alert" data-testid="ai-action-result">{ m.clone() }</span> },
                None => Html::default(),
            } }
        </div>
    }
}

/// Props of [`ActionButton`].
#[derive(Properties, PartialEq)]
struct ActionButtonProps {
    action: Action,
    on_result: Callback<Result<String, String>>,
}

#[function_component]
fn ActionButton(props: &ActionButtonProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let allowed = use_load((data.clone(), props.action.target.clone()), |(data, target)| async move {
        data.can("patch", &target).await
    });
    let open = use_state(|| false);
    let trigger = use_node_ref();
    if !matches!(allowed, Load::Ready(ref ok) if **ok) {
        return Html::default();
    }
    let on_open = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    let on_close = {
        let (open, trigger) = (open.clone(), trigger.clone());
        Callback::from(move |_: ()| {
            open.set(false);
            // Focus goes back where it was.
            if let Some(b) = trigger.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    let a = &props.action;
    html! {
        <>
            <button type="button" ref={trigger} data-action={a.id}
                class={classes!("ai-button", "ai-button-outlined", a.danger.then_some("ai-button-outlined-danger"))}
                aria-haspopup="dialog" onclick={on_open}>{ a.label.clone() }</button>
            if *open {
                <ConfirmDialog action={a.clone()} on_close={on_close} on_result={props.on_result.clone()} />
            }
        </>
    }
}

/// Props of [`ConfirmDialog`].
#[derive(Properties, PartialEq)]
struct DialogProps {
    action: Action,
    on_close: Callback<()>,
    on_result: Callback<Result<String, String>>,
}

fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all("button:not([disabled]), input:not([disabled])") else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

/// A modal confirmation (MUI Dialog's look and keyboard behaviour).
#[function_component]
fn ConfirmDialog(props: &DialogProps) -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let a = &props.action;
    let initial = match &a.patch {
        Patch::Number(n, _) => n.value,
        Patch::Fixed(_) => 0,
    };
    let number = use_state(|| initial.to_string());
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let dialog = use_node_ref();
    let id = use_memo((), |_| format!("ai-dialog-{}", (now_ms() as u64) % 1_000_000));
    {
        // Focus the first field (or the confirm button) when the dialog opens.
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(root) = dialog.cast::<web_sys::Element>()
                && let Some(first) = focusables(&root).into_iter().next()
            {
                let _ = first.focus();
            }
        });
    }
    let parsed: Result<i64, String> = match &a.patch {
        Patch::Number(n, _) => match number.trim().parse::<i64>() {
            Ok(v) if v >= n.min && v <= n.max => Ok(v),
            _ => Err(format!("a whole number from {} to {}", n.min, n.max)),
        },
        Patch::Fixed(_) => Ok(0),
    };
    let on_confirm = {
        let (data, action, busy, error) = (data.clone(), a.clone(), busy.clone(), error.clone());
        let (on_close, on_result) = (props.on_close.clone(), props.on_result.clone());
        let parsed = parsed.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(n) = parsed.clone() else { return };
            if *busy {
                return;
            }
            busy.set(true);
            let (data, action, busy, error) = (data.clone(), action.clone(), busy.clone(), error.clone());
            let (on_close, on_result) = (on_close.clone(), on_result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match data.apply(&action, n).await {
                    Ok(()) => {
                        on_result.emit(Ok(action.done.clone()));
                        on_close.emit(());
                    }
                    Err(e) => {
                        // Stay open and say why: the user may fix the number or cancel.
                        busy.set(false);
                        let m = format!("{}: {}", e.title(), e.explanation());
                        on_result.emit(Err(m.clone()));
                        error.set(Some(m));
                    }
                }
            });
        })
    };
    let on_cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let on_keydown = {
        let (on_close, dialog) = (props.on_close.clone(), dialog.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
                return;
            }
            if e.key() != "Tab" {
                return;
            }
            // Keep Tab inside the dialog.
            let Some(root) = dialog.cast::<web_sys::Element>() else { return };
            let items = focusables(&root);
            let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
            let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
            let at = |el: &web_sys::HtmlElement| {
                active.as_ref().is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
            };
            if e.shift_key() && at(first) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && at(last) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };
    let on_number = {
        let number = number.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                number.set(i.value());
            }
        })
    };
    let title_id = format!("{id}-title");
    let text_id = format!("{id}-text");
    html! {
        <div class="ai-dialog-backdrop">
            <div class="ai-dialog" role="dialog" aria-modal="true" aria-labelledby={title_id.clone()}
                aria-describedby={text_id.clone()} ref={dialog} onkeydown={on_keydown}>
                <form onsubmit={on_confirm} novalidate=true>
                    <h2 class="ai-dialog-title" id={title_id}>{ format!("{}?", a.label) }</h2>
                    <div class="ai-dialog-text" id={text_id}>
                        <p>{ a.target.describe() }</p>
                        if !a.description.is_empty() { <p>{ a.description.clone() }</p> }
                    </div>
                    if let Patch::Number(n, _) = &a.patch {
                        <div class="ai-field">
                            <label class="ai-field-label" for={format!("{id}-number")}>{ n.label.clone() }</label>
                            <input id={format!("{id}-number")} class="ai-input ai-input-short" type="number"
                                min={n.min.to_string()} max={n.max.to_string()} value={(*number).clone()} oninput={on_number}
                                aria-invalid={parsed.is_err().to_string()} />
                            if let Err(m) = &parsed { <span class="ai-field-error">{ m.clone() }</span> }
                        </div>
                    }
                    if let Some(m) = &*error {
                        <p class="ai-field-error" role="alert">{ m.clone() }</p>
                    }
                    <div class="ai-dialog-actions">
                        <button type="button" class="ai-button ai-button-text" onclick={on_cancel}>{ "Cancel" }</button>
                        <button type="submit" class={classes!("ai-button", a.danger.then_some("ai-button-danger"))}
                            disabled={*busy || parsed.is_err()}>
                            { if *busy { "Working…".to_owned() } else { a.confirm.clone() } }
                        </button>
                    </div>
                </form>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_know_their_path_and_review() {
        let t = Target::new("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject", Some("team-a"), "orders");
        assert_eq!(t.path(), "/apis/keda.sh/v1alpha1/namespaces/team-a/scaledobjects/orders");
        assert_eq!(t.describe(), "ScaledObject team-a/orders");
        let r = t.access_review("patch");
        assert_eq!(r["spec"]["resourceAttributes"]["namespace"], "team-a");
        assert_eq!(r["spec"]["resourceAttributes"]["resource"], "scaledobjects");
        let node = Target::new("", "v1", "nodes", "Node", None, "n1");
        assert_eq!(node.path(), "/api/v1/nodes/n1");
        assert!(node.access_review("patch")["spec"]["resourceAttributes"].get("namespace").is_none());
    }

    #[test]
    fn annotation_patches_set_and_remove() {
        assert_eq!(
            annotation_patch("karpenter.sh/do-not-disrupt", Some("true")).to_string(),
            r#"{"metadata":{"annotations":{"karpenter.sh/do-not-disrupt":"true"}}}"#
        );
        assert_eq!(
            annotation_patch("karpenter.sh/do-not-disrupt", None).to_string(),
            r#"{"metadata":{"annotations":{"karpenter.sh/do-not-disrupt":null}}}"#
        );
    }
}
