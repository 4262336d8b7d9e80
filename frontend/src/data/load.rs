//! Hooks that run the data layer's async calls for a view: `use_load` (once per input change)
//! and `use_live` (then again at the user's refresh interval, while the page is visible).

use super::source::Stale;
use super::{Data, DataError, now_ms};
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use yew::prelude::*;

/// The state of one fetch.
#[derive(Debug, PartialEq)]
pub enum Load<T> {
    /// In flight (first load, or inputs changed).
    Loading,
    /// The answer.
    Ready(Rc<T>),
    /// Why there is no answer.
    Failed(DataError),
}

// By hand: cloning shares the answer (`Rc`), so `T` need not be `Clone`.
impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        match self {
            Load::Loading => Load::Loading,
            Load::Ready(v) => Load::Ready(v.clone()),
            Load::Failed(e) => Load::Failed(e.clone()),
        }
    }
}

/// Runs `fetch(deps)` on mount and whenever `deps` change. Answers to superseded requests and
/// answers arriving after unmount are dropped.
#[hook]
pub fn use_load<T, D, F, Fut>(deps: D, fetch: F) -> Load<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, DataError>> + 'static,
{
    let state = use_state(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with(deps, move |deps| {
            let current = Rc::new(Cell::new(true));
            state.set(Load::Loading);
            let still_current = current.clone();
            let future = fetch(deps.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = future.await;
                if still_current.get() {
                    state.set(match answer {
                        Ok(v) => Load::Ready(Rc::new(v)),
                        Err(e) => Load::Failed(e),
                    });
                }
            });
            move || current.set(false)
        });
    }
    (*state).clone()
}

/// Inputs of [`use_live`]: they carry the [`Data`] whose settings give the refresh interval.
pub trait LiveDeps: PartialEq + Clone + 'static {
    /// The data layer.
    fn data(&self) -> &Data;
}

impl LiveDeps for Data {
    fn data(&self) -> &Data {
        self
    }
}

impl<A: PartialEq + Clone + 'static> LiveDeps for (Data, A) {
    fn data(&self) -> &Data {
        &self.0
    }
}

impl<A: PartialEq + Clone + 'static, B: PartialEq + Clone + 'static> LiveDeps for (Data, A, B) {
    fn data(&self) -> &Data {
        &self.0
    }
}

fn page_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Like [`use_load`], then fetches again every refresh interval of the user's settings (never
/// while the browser tab is hidden). A refresh that fails keeps the last answer on screen and is
/// reported to the cluster's state (the mode indicator says what failed and since when); only a
/// first load that fails shows the error. Equal answers do not re-render.
#[hook]
pub fn use_live<T, D, F, Fut>(deps: D, fetch: F) -> Load<T>
where
    T: PartialEq + 'static,
    D: LiveDeps,
    F: Fn(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, DataError>> + 'static,
{
    let state = use_state_eq(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with(deps, move |deps| {
            let alive = Rc::new(Cell::new(true));
            state.set(Load::Loading);
            let still_alive = alive.clone();
            let deps = deps.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut last_ok: Option<f64> = None;
                loop {
                    let answer = fetch(deps.clone()).await;
                    if !still_alive.get() {
                        return;
                    }
                    let cluster = deps.data().state();
                    match answer {
                        Ok(v) => {
                            last_ok = Some(now_ms());
                            cluster.set_stale(None);
                            state.set(Load::Ready(Rc::new(v)));
                        }
                        Err(error) => match last_ok {
                            Some(since_ms) => cluster.set_stale(Some(Stale { error, since_ms })),
                            None => state.set(Load::Failed(error)),
                        },
                    }
                    // Wait for the refresh interval, or until an action changed objects.
                    let generation = cluster.generation();
                    let every = deps.data().settings().refresh_ms().map(f64::from);
                    let started = now_ms();
                    loop {
                        yew::platform::time::sleep(Duration::from_millis(250)).await;
                        if !still_alive.get() || cluster.generation() != generation {
                            break;
                        }
                        if every.is_some_and(|ms| now_ms() - started >= ms) && !page_hidden() {
                            break;
                        }
                    }
                    if !still_alive.get() {
                        return;
                    }
                }
            });
            move || alive.set(false)
        });
    }
    (*state).clone()
}
