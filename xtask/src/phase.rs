//! Phase lines: every long step says what it does and how long it took, and `cargo xtask test` ends
//! with a table of them all.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// A named step; prints `==> name` when started and `<== name (12.3s)` when dropped.
pub struct Phase {
    name: String,
    start: Instant,
    index: usize,
}

/// One finished (or still running) phase, for [`table`].
#[derive(Debug, Clone)]
struct Record {
    name: String,
    depth: usize,
    secs: Option<f64>,
    failed: bool,
}

static RECORDS: Mutex<Vec<Record>> = Mutex::new(Vec::new());
static DEPTH: AtomicUsize = AtomicUsize::new(0);

fn records() -> std::sync::MutexGuard<'static, Vec<Record>> {
    RECORDS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Phase {
    /// Starts a phase and prints its name.
    pub fn start(name: impl Into<String>) -> Self {
        let name = name.into();
        eprintln!("\x1b[1m==> {name}\x1b[0m");
        let depth = DEPTH.fetch_add(1, Ordering::SeqCst);
        let mut all = records();
        all.push(Record { name: name.clone(), depth, secs: None, failed: false });
        Self { name, start: Instant::now(), index: all.len() - 1 }
    }

    /// Seconds since the phase started.
    pub fn elapsed_secs(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        let failed = std::thread::panicking();
        let secs = self.elapsed_secs();
        eprintln!("<== {} {} ({secs:.1}s)", self.name, if failed { "failed" } else { "done" });
        DEPTH.fetch_sub(1, Ordering::SeqCst);
        if let Some(r) = records().get_mut(self.index) {
            r.secs = Some(secs);
            r.failed = failed;
        }
    }
}

/// Records a phase that ran elsewhere (a background process), at the current depth.
pub fn record(name: impl Into<String>, secs: f64) {
    let depth = DEPTH.load(Ordering::SeqCst);
    records().push(Record { name: name.into(), depth, secs: Some(secs), failed: false });
}

/// Every phase so far, indented by nesting, with its time: the summary `cargo xtask test` prints last.
pub fn table() -> String {
    let all = records().clone();
    let width = all.iter().map(|r| r.name.chars().count() + 2 * r.depth).max().unwrap_or(0).min(96);
    let mut out = format!("{:<width$}  {:>8}\n", "phase", "seconds");
    for r in &all {
        let name = format!("{}{}", "  ".repeat(r.depth), r.name);
        let name: String = name.chars().take(width).collect();
        let secs = match r.secs {
            Some(s) => format!("{s:>8.1}"),
            None => format!("{:>8}", "failed"),
        };
        let mark = if r.failed { "  (failed)" } else { "" };
        out.push_str(&format!("{name:<width$}  {secs}{mark}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_nested_phases_with_their_times() {
        {
            let _outer = Phase::start("outer step");
            let _inner = Phase::start("inner step");
        }
        record("background step", 12.5);
        let t = table();
        let outer = t.lines().find(|l| l.starts_with("outer step")).expect("outer listed");
        assert!(t.lines().any(|l| l.starts_with("  inner step")), "{t}");
        assert!(outer.trim_end().ends_with(|c: char| c.is_ascii_digit()), "{t}");
        assert!(t.lines().any(|l| l.starts_with("background step") && l.contains("12.5")), "{t}");
    }
}
