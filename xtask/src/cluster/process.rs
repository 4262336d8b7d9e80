//! Background processes of the local cluster: started detached with a pid file and a log file,
//! found again by their pid file, and stopped by that pid only (never by name).

use super::layout::Layout;
use anyhow::{Context, Result, bail};
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `p` unless its pid file names a live process, then waits (bounded by `timeout`) until
/// `ready` says so. Prints one line with the time taken; a failure names the process and its log file.
pub fn ensure_running(
    p: &Managed,
    timeout: Duration,
    command: impl FnOnce() -> Result<Command>,
    ready: impl FnMut() -> Result<bool>,
) -> Result<()> {
    let started = Instant::now();
    let verb = match p.running() {
        Some(pid) => format!("already running (pid {pid})"),
        None => {
            let pid = p.start(&mut command()?)?;
            format!("started (pid {pid})")
        }
    };
    wait_ready(p, timeout, ready)?;
    eprintln!(
        "    {:<24} {verb}, ready in {:.1}s  log: {}",
        p.name,
        started.elapsed().as_secs_f64(),
        p.log_file.display()
    );
    Ok(())
}

/// A process the cluster runs: `name` keys its pid file `run/<name>.pid` and its log `logs/<name>.log`.
#[derive(Debug, Clone)]
pub struct Managed {
    /// Component name (`etcd`, `kube-apiserver`, ...).
    pub name: String,
    /// Pid file: the pid, its start time (guards against pid reuse) and the program.
    pub pid_file: PathBuf,
    /// Where stdout and stderr go.
    pub log_file: PathBuf,
}

impl Managed {
    /// The pid and log files of component `name` in `layout`.
    pub fn new(layout: &Layout, name: &str) -> Self {
        Self {
            name: name.to_string(),
            pid_file: layout.run_dir().join(format!("{name}.pid")),
            log_file: layout.logs_dir().join(format!("{name}.log")),
        }
    }

    /// The pid of the running process this pid file names, if it is still the same process
    /// (same start time: a recycled pid does not count; a zombie does not count).
    pub fn running(&self) -> Option<u32> {
        let text = fs::read_to_string(&self.pid_file).ok()?;
        let mut lines = text.lines();
        let pid: u32 = lines.next()?.trim().parse().ok()?;
        let started: u64 = lines.next()?.trim().parse().ok()?;
        let (state, start_time) = proc_stat(pid)?;
        (state != 'Z' && start_time == started).then_some(pid)
    }

    /// Starts `cmd` detached (own process group, stdin closed, output appended to the log file)
    /// and writes the pid file. The caller checks readiness.
    pub fn start(&self, cmd: &mut Command) -> Result<u32> {
        if let Some(dir) = self.log_file.parent() {
            fs::create_dir_all(dir)?;
        }
        if let Some(dir) = self.pid_file.parent() {
            fs::create_dir_all(dir)?;
        }
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_file)
            .with_context(|| format!("opening {}", self.log_file.display()))?;
        let program = cmd.get_program().to_string_lossy().into_owned();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own process group: Ctrl-C in the terminal that ran `up` does not reach it.
            .process_group(0)
            .spawn()
            .with_context(|| format!("{}: could not start `{program}`", self.name))?;
        let pid = child.id();
        let (_, start_time) = proc_stat(pid).with_context(|| format!("{}: exited at once", self.name))?;
        fs::write(&self.pid_file, format!("{pid}\n{start_time}\n{program}\n"))?;
        // The child outlives us on purpose; dropping the handle does not kill it.
        drop(child);
        Ok(pid)
    }

    /// Stops the process named by the pid file (SIGTERM, then SIGKILL after `grace`) and removes
    /// the pid file. Returns whether a process was running.
    pub fn stop(&self, grace: Duration) -> Result<bool> {
        let Some(pid) = self.running() else {
            let _ = fs::remove_file(&self.pid_file);
            return Ok(false);
        };
        signal(pid, libc::SIGTERM);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.running().is_none() {
                let _ = fs::remove_file(&self.pid_file);
                return Ok(true);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        signal(pid, libc::SIGKILL);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.running().is_some() {
            if Instant::now() > deadline {
                bail!("{}: pid {pid} survived SIGKILL", self.name);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = fs::remove_file(&self.pid_file);
        Ok(true)
    }

    /// The last `n` lines of the log, for error messages.
    pub fn log_tail(&self, n: usize) -> String {
        let text = fs::read_to_string(&self.log_file).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// Resident set size in KiB (VmRSS) of the running process.
    pub fn rss_kib(&self) -> Option<u64> {
        let pid = self.running()?;
        rss_kib(pid)
    }
}

/// State letter and start time (clock ticks since boot) of `pid`, from /proc/<pid>/stat.
fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
    Some((fields.first()?.chars().next()?, fields.get(19)?.parse().ok()?))
}

/// VmRSS of `pid` in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn signal(pid: u32, sig: i32) {
    let Ok(pid) = i32::try_from(pid) else { return };
    // SAFETY: kill(2) with a pid read from our own pid file, verified to be our program.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// Polls `check` every `every` until it returns `Ok(true)` or `timeout` passes; on timeout the error
/// names `what` and the last error `check` returned.
pub fn poll_until(
    what: &str,
    timeout: Duration,
    every: Duration,
    mut check: impl FnMut() -> Result<bool>,
) -> Result<()> {
    let deadline = Instant::now() + timeout;
    let mut last_err: Option<anyhow::Error> = None;
    loop {
        match check() {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => last_err = Some(e),
        }
        if Instant::now() >= deadline {
            let why = last_err.map(|e| format!(": last error: {e:#}")).unwrap_or_default();
            bail!("timed out after {}s waiting for {what}{why}", timeout.as_secs());
        }
        std::thread::sleep(every);
    }
}

/// Waits for a started component to become ready; a failure (exit or timeout) names the
/// component, its log file and the log's last lines.
pub fn wait_ready(proc_: &Managed, timeout: Duration, mut ready: impl FnMut() -> Result<bool>) -> Result<()> {
    let result =
        poll_until(&format!("{} to be ready", proc_.name), timeout, Duration::from_millis(250), || {
            if proc_.running().is_none() {
                bail!("{} exited", proc_.name);
            }
            ready()
        });
    result.map_err(|e| {
        anyhow::anyhow!(
            "{e:#}\n--- {} log: {} (last lines) ---\n{}",
            proc_.name,
            proc_.log_file.display(),
            proc_.log_tail(25)
        )
    })
}

/// True if something accepts TCP connections on `addr`.
pub fn port_open(addr: &str) -> bool {
    addr.parse()
        .ok()
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_millis(300)).is_ok())
}

/// Plain HTTP/1.0 GET on a loopback address; returns status and body.
pub fn http_get(addr: &str, path: &str) -> Result<(u16, String)> {
    use std::io::{Read, Write};
    let sock = addr.parse().with_context(|| format!("bad address {addr}"))?;
    let mut s = std::net::TcpStream::connect_timeout(&sock, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut buf = String::new();
    s.read_to_string(&mut buf)?;
    let status = buf.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((status, body))
}

/// True if `path` exists and is executable by someone.
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}
