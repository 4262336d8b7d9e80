//! Answers of other servers and our own store: Prometheus query results, External Metrics values,
//! journal entries (as the journal and the server's API hand them back).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = model::history::parse_response(data);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(list) = serde_json::from_str::<model::k8s::ExternalMetricValueList>(text) {
            let _ = list.total();
        }
        let _ = serde_json::from_str::<model::journal::JournalEntry>(text);
        let _ = serde_json::from_str::<Vec<model::journal::JournalEntry>>(text);
    }
});
