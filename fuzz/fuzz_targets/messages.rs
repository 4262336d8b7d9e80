//! Event messages the pending-pod join parses (the scheduler's and Karpenter's wording).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = model::pending::parse_scheduler_message(text);
});
