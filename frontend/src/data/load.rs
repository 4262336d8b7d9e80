//! `use_load`: runs an async fetch when its inputs change and keeps the latest answer.

use super::DataError;
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
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
