//! Any bytes as a list of any kind the joins read (the first byte picks the kind), then every join
//! over it: the tolerant readers must never lose the process, and no join may panic on what they let
//! through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use model::snapshot::OwnedSnapshot;

const KINDS: &[&str] = &[
    "scaledobjects",
    "scaledjobs",
    "triggerauthentications",
    "clustertriggerauthentications",
    "horizontalpodautoscalers",
    "deployments",
    "statefulsets",
    "jobs",
    "pods",
    "nodes",
    "events",
    "nodepools",
    "nodeclaims",
    "kwoknodeclasses",
    "ec2nodeclasses",
    "aksnodeclasses",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let mut s = OwnedSnapshot::default();
    let kind = KINDS[usize::from(pick) % KINDS.len()];
    if s.add_list(kind, body).is_ok() {
        let views = model::Views::build(&s.view(), model::Time(1_800_000_000_000));
        let _ = serde_json::to_string(&views);
    }
});
