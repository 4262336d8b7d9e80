//! `cargo xtask demo`: the product on a local simulated cluster, shown as early as possible.
//!
//! 1. The Go components of the live cluster start building in the background (low priority; tens of
//!    minutes on a fresh 2-core machine), and the server after them.
//! 2. Meanwhile the plugin and the Headlamp harness are built, and Headlamp serves the **recorded** demo
//!    cluster (`recorded-demo`: the captured moments of testdata/demo, timestamps moved to now,
//!    read-only) — minutes after the start, even on a fresh machine.
//! 3. A progress line with an estimate follows the builds; when they are done the live cluster starts
//!    with the demo scenario and our server, and Headlamp (same URL) gains the live contexts.
//!
//! Ctrl-C stops, by pid, everything the demo started (a cluster that was already running is left
//! running). `--recorded` serves the recording only.

use crate::cluster::{self, binaries::Background, layout::Layout};
use crate::e2e::{self, ADMIN_CLUSTER, Headlamp, LOGIN_CLUSTER, RECORDED_CLUSTER, Recorded};
use crate::phase::Phase;
use crate::plugin;
use anyhow::{Result, bail};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// How often the demo says how far the live cluster's builds are.
const PROGRESS_EVERY: Duration = Duration::from_secs(60);

/// Entry point of `cargo xtask demo`.
pub fn run(args: &[String]) -> Result<()> {
    let recorded_only = match args {
        [] => false,
        [a] if a == "--recorded" => true,
        [a, ..] => bail!("usage: cargo xtask demo [--recorded] (got `{a}`)"),
    };
    let started = Instant::now();
    // Ctrl-C during the start-up would leave half a cluster: record it and stop cleanly afterwards.
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
    let total = Phase::start("cargo xtask demo");
    let layout = Layout::default_dir();
    // A cluster someone started before (`cluster up`, tests) is theirs: the demo stops only what it starts.
    let cluster_was_running = cluster::is_running();
    let mut builds =
        if recorded_only || cluster_was_running { None } else { Some(Background::start(&[], true)?) };
    let (harness, plugins) = build_ui()?;
    let recorded = Recorded::start(&layout)?;
    let live = if cluster_was_running { Some(cluster::up(Some("demo"))?) } else { None };
    let kubeconfig = e2e::write_kubeconfig(live.as_ref(), Some(&recorded.url))?;
    let mut headlamp = Headlamp::start(&layout, &kubeconfig, &harness, &plugins)?;
    drop(total);

    println!();
    println!("Autoscaling Insights is running (ready in {:.0}s).", started.elapsed().as_secs_f64());
    println!();
    println!(
        "  Open  {}/c/{RECORDED_CLUSTER}/autoscaling   (RECORDED: captured demo moments, read-only)",
        headlamp.url
    );
    if live.is_some() {
        print_live(&headlamp, &live);
    } else if let Some(b) = &builds {
        println!("  The live cluster follows: {}", b.progress().unwrap_or_else(|| "starting".into()));
    }
    println!("  Headlamp backend: {}", headlamp.backend);
    println!();
    println!("Press Ctrl-C to stop everything.");

    let mut live = live;
    let mut last_progress = Instant::now();
    let mut failed = None;
    // The shipped (wasm-opt) build replaces the quick one as soon as it is done; Headlamp serves it
    // on the next page load.
    let mut optimizing = Some(std::thread::spawn(|| e2e::plugins_dir_with(plugin::Optimize::Full)));
    while !STOP.load(Ordering::SeqCst) {
        if optimizing.as_ref().is_some_and(|t| t.is_finished())
            && let Some(t) = optimizing.take()
        {
            match t.join() {
                Ok(Ok(_)) => {
                    println!("  plugin: the optimised build is in place (reload the page to use it)")
                }
                Ok(Err(e)) => eprintln!("  plugin: the optimised build failed ({e:#}); the quick one stays"),
                Err(_) => eprintln!("  plugin: the optimised build panicked; the quick one stays"),
            }
        }
        if headlamp.managed().running().is_none() {
            eprintln!("headlamp exited; see {}", headlamp.managed().log_file.display());
            break;
        }
        if let Some(b) = &mut builds {
            if b.running() {
                if last_progress.elapsed() >= PROGRESS_EVERY {
                    if let Some(p) = b.progress() {
                        println!("  live cluster: {p}");
                    }
                    last_progress = Instant::now();
                }
            } else if let Some(b) = builds.take() {
                match go_live(b, &layout, &recorded, &harness, &plugins) {
                    Ok((cluster, h)) => {
                        headlamp = h;
                        print_live(&headlamp, &Some(cluster.clone()));
                        live = Some(cluster);
                    }
                    Err(e) => {
                        eprintln!("The live cluster could not start ({e:#}); the recorded one stays up.");
                        failed = Some(e);
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _p = Phase::start("stopping (by pid)");
    drop(builds);
    let mut result = headlamp.stop().and(recorded.stop());
    if cluster_was_running {
        eprintln!(
            "    the cluster was running before the demo and keeps running (`cargo xtask cluster down` stops it)"
        );
    } else if live.is_some() || failed.is_some() {
        result = result.and(cluster::down(false));
    }
    result
}

/// The plugin folder and the Headlamp harness, built side by side (npm and Vite in one thread, Rust in
/// this one). The plugin is the quick build (see [`plugin::Optimize::Quick`]).
fn build_ui() -> Result<(PathBuf, PathBuf)> {
    let harness = std::thread::spawn(|| e2e::prepare().map(|p| p.harness));
    let plugins = e2e::plugins_dir_with(plugin::Optimize::Quick);
    let harness = harness.join().map_err(|_| anyhow::anyhow!("the harness build panicked"))?;
    Ok((harness?, plugins?))
}

/// Once the builds are done: the live cluster with the demo scenario, and Headlamp restarted (same
/// URL) with the live contexts beside the recorded one.
fn go_live(
    builds: Background,
    layout: &Layout,
    recorded: &Recorded,
    harness: &std::path::Path,
    plugins: &std::path::Path,
) -> Result<(cluster::Cluster, Headlamp)> {
    builds.wait()?;
    println!("  live cluster: builds done, starting it (about a minute)");
    let cluster = cluster::up(Some("demo"))?;
    let kubeconfig = e2e::write_kubeconfig(Some(&cluster), Some(&recorded.url))?;
    let headlamp = Headlamp::start(layout, &kubeconfig, harness, plugins)?;
    Ok((cluster, headlamp))
}

fn print_live(headlamp: &Headlamp, live: &Option<cluster::Cluster>) {
    let Some(cluster) = live else { return };
    let info = &cluster.info;
    println!();
    println!("  LIVE  {}/c/{ADMIN_CLUSTER}/autoscaling   (the live demo cluster, as admin)", headlamp.url);
    println!("  or    {}/c/{LOGIN_CLUSTER}/   and log in with a token:", headlamp.url);
    for (name, user) in &info.users {
        if let Some(token) = &user.token {
            println!("    {name:<6} {token}   ({})", user.rights);
        }
    }
    println!(
        "  kubectl: export KUBECONFIG={}   (contexts: {})",
        info.kubeconfig.display(),
        info.contexts.join(", ")
    );
    println!("  logs:    {}", info.logs_dir.display());
}
