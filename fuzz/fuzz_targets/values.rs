//! The small readers of values tenants write: quantities, times, label selectors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(q) = model::Quantity::parse(text) {
        let _ = q.as_f64();
    }
    let _ = model::Time::parse(text);
    if let Ok(sel) = model::meta::LabelSelector::parse(text) {
        let _ = sel.matches(&Default::default());
    }
    let _ = model::paths::encode(text);
});
