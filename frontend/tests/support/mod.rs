//! What the browser tests share: polling with a deadline and reading the DOM.
#![allow(dead_code)] // each test crate uses a different part

use std::time::Duration;

/// Polls `check` until it returns `Some`, failing after ten seconds (no sleeps as synchronisation).
pub async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = js_sys::Date::now() + 10_000.0;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(js_sys::Date::now() < deadline, "timed out waiting for {what}");
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A fresh element in the page's body to mount into.
pub fn host_element() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

/// The text of every element under `root` that matches `selector`.
pub fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.text_content().unwrap_or_default()).collect()
}

/// How many elements under `root` match `selector`.
pub fn count(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}
