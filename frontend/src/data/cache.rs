//! A per-cluster cache of answers, shared by every view of the page: two views (or a view and
//! its refresh) that ask for the same thing within a short time get one request, concurrent
//! askers share the request in flight, and an answer equal to the previous one keeps the previous
//! `Rc` (so nothing re-renders when nothing changed).

use super::DataError;
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

type Shareable = Result<Rc<dyn Any>, DataError>;

enum Entry {
    Ready { at_ms: f64, value: Rc<dyn Any> },
    InFlight(Shared<LocalBoxFuture<'static, Shareable>>),
}

/// Answers by key (a request path, or a path plus a scope).
#[derive(Default)]
pub struct Cache {
    entries: RefCell<HashMap<String, Entry>>,
}

impl Cache {
    /// The cached answer to `key` when younger than `max_age_ms`; otherwise runs `fetch` (once,
    /// however many callers wait for it). Errors are not cached.
    pub async fn get<T, F>(
        &self,
        key: &str,
        max_age_ms: f64,
        now_ms: f64,
        fetch: F,
    ) -> Result<Rc<T>, DataError>
    where
        T: PartialEq + 'static,
        F: Future<Output = Result<T, DataError>> + 'static,
    {
        // Decide under the borrow, await after it.
        enum Next<T> {
            Fresh(Rc<T>),
            Wait(Shared<LocalBoxFuture<'static, Shareable>>),
            Fetch(Option<Rc<T>>),
        }
        let next = match self.entries.borrow().get(key) {
            Some(Entry::Ready { at_ms, value }) => match value.clone().downcast::<T>() {
                Ok(v) if now_ms - at_ms < max_age_ms => Next::Fresh(v),
                Ok(v) => Next::Fetch(Some(v)),
                Err(_) => Next::Fetch(None),
            },
            Some(Entry::InFlight(f)) => Next::Wait(f.clone()),
            None => Next::Fetch(None),
        };
        let previous = match next {
            Next::Fresh(v) => return Ok(v),
            Next::Wait(f) => return f.await.and_then(|v| v.downcast::<T>().map_err(|_| type_clash(key))),
            Next::Fetch(previous) => previous,
        };
        let shared = async move {
            let fresh = fetch.await?;
            // Unchanged answers keep their identity.
            let value: Rc<dyn Any> = match previous {
                Some(p) if *p == fresh => p,
                _ => Rc::new(fresh),
            };
            Ok(value)
        }
        .boxed_local()
        .shared();
        self.entries.borrow_mut().insert(key.to_owned(), Entry::InFlight(shared.clone()));
        let result = shared.await;
        let mut entries = self.entries.borrow_mut();
        match &result {
            Ok(value) => {
                entries.insert(key.to_owned(), Entry::Ready { at_ms: now_ms, value: value.clone() });
            }
            Err(_) => {
                entries.remove(key);
            }
        }
        result.and_then(|v| v.downcast::<T>().map_err(|_| type_clash(key)))
    }

    /// Forgets everything (after an action changed objects, the next read must be fresh).
    pub fn clear(&self) {
        self.entries.borrow_mut().retain(|_, e| matches!(e, Entry::InFlight(_)));
    }
}

fn type_clash(key: &str) -> DataError {
    DataError::Bridge { message: format!("two kinds of answer cached under {key}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn block_on<T>(f: impl Future<Output = T>) -> T {
        futures::executor::block_on(f)
    }

    #[test]
    fn fresh_answers_are_reused_and_old_ones_refetched() {
        let cache = Cache::default();
        let calls = Rc::new(Cell::new(0));
        let fetch = |v: u32| {
            let calls = calls.clone();
            async move {
                calls.set(calls.get() + 1);
                Ok::<_, DataError>(v)
            }
        };
        let a = block_on(cache.get("k", 1000.0, 0.0, fetch(1))).unwrap();
        let b = block_on(cache.get("k", 1000.0, 500.0, fetch(2))).unwrap();
        assert_eq!((*a, *b, calls.get()), (1, 1, 1));
        // Too old: fetched again; an equal answer keeps the same Rc.
        let c = block_on(cache.get("k", 1000.0, 2000.0, fetch(1))).unwrap();
        assert!(Rc::ptr_eq(&a, &c));
        assert_eq!(calls.get(), 2);
        let d = block_on(cache.get("k", 1000.0, 4000.0, fetch(3))).unwrap();
        assert_eq!(*d, 3);
    }

    #[test]
    fn errors_are_not_cached() {
        let cache = Cache::default();
        let failed: Result<Rc<u32>, _> =
            block_on(cache.get("k", 1000.0, 0.0, async { Err(DataError::Bridge { message: "x".into() }) }));
        assert!(failed.is_err());
        let ok = block_on(cache.get("k", 1000.0, 1.0, async { Ok::<u32, DataError>(7) })).unwrap();
        assert_eq!(*ok, 7);
    }
}
