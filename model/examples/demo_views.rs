//! Prints the views of a captured moment: `cargo run -p model --example demo_views -- blocked`.
//! Useful to eyeball what the joins make of real objects.

use model::snapshot::OwnedSnapshot;
use model::{Time, Views};
use std::path::PathBuf;

fn main() {
    let moment = std::env::args().nth(1).unwrap_or_else(|| "blocked".into());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/demo").join(&moment);
    let mut s = OwnedSnapshot::default();
    for entry in std::fs::read_dir(&dir).expect("moment directory") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_owned();
        let body = std::fs::read_to_string(&path).expect("read");
        match s.add_list(&stem, &body) {
            Ok(rejected) if !rejected.is_empty() => eprintln!("{stem}: rejected {rejected:?}"),
            Ok(_) => {}
            Err(e) => eprintln!("{stem}: {e}"),
        }
    }
    let capture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("capture.json")).expect("capture"))
            .expect("json");
    let now = Time::parse(capture["captured_at"].as_str().expect("time")).expect("time");
    let views = Views::build(&s.view(), now);
    println!("{}", serde_json::to_string_pretty(&views).expect("json"));
}
