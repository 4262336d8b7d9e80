//! Phase lines: every long step says what it does and how long it took.

use std::time::Instant;

/// A named step; prints `==> name` when started and `<== name (12.3s)` when dropped.
pub struct Phase {
    name: String,
    start: Instant,
}

impl Phase {
    /// Starts a phase and prints its name.
    pub fn start(name: impl Into<String>) -> Self {
        let name = name.into();
        eprintln!("\x1b[1m==> {name}\x1b[0m");
        Self { name, start: Instant::now() }
    }

    /// Seconds since the phase started.
    pub fn elapsed_secs(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        let status = if std::thread::panicking() { "failed" } else { "done" };
        eprintln!("<== {} {status} ({:.1}s)", self.name, self.elapsed_secs());
    }
}
