//! `cargo xtask demo`: the product on a local simulated cluster. Builds what is missing (with phase
//! lines), starts the cluster with the demo scenario (and our server, as an APIService), Headlamp with
//! the plugin, prints the URL and the users' tokens, and stops everything it started by pid on Ctrl-C
//! (a cluster that was already running is left running).

use crate::cluster;
use crate::e2e::{self, ADMIN_CLUSTER, Headlamp, LOGIN_CLUSTER};
use crate::phase::Phase;
use anyhow::Result;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// Entry point of `cargo xtask demo`.
pub fn run(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        anyhow::bail!("`cargo xtask demo` takes no arguments (got `{a}`)");
    }
    let started = Instant::now();
    // Ctrl-C during the start-up would leave half a cluster: record it and stop cleanly afterwards.
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
    let total = Phase::start("cargo xtask demo");
    // A cluster someone started before (`cluster up`, tests) is theirs: the demo stops only what it starts.
    let cluster_was_running =
        cluster::Cluster::load().is_ok_and(|c| c.process("kube-apiserver").running().is_some());
    let stop_cluster = || if cluster_was_running { Ok(()) } else { cluster::down(false) };
    let prepared = e2e::prepare()?;
    let plugins = e2e::plugins_dir()?;
    let cluster = cluster::up(Some("demo"))?;
    let headlamp = match Headlamp::start(&cluster, &prepared.harness, &plugins) {
        Ok(h) => h,
        Err(e) => {
            // Leave nothing running behind a failed start.
            let _ = stop_cluster();
            return Err(e);
        }
    };
    drop(total);

    let info = &cluster.info;
    println!();
    println!("Autoscaling Insights is running (ready in {:.0}s).", started.elapsed().as_secs_f64());
    println!();
    println!("  Open  {}/c/{ADMIN_CLUSTER}/autoscaling/scaledobjects   (as admin, no login)", headlamp.url);
    println!("  or    {}/c/{LOGIN_CLUSTER}/   and log in with a token:", headlamp.url);
    for (name, user) in &info.users {
        if let Some(token) = &user.token {
            println!("    {name:<6} {token}   ({})", user.rights);
        }
    }
    println!();
    println!("  Headlamp backend: {}", headlamp.backend);
    println!(
        "  kubectl: export KUBECONFIG={}   (contexts: {})",
        info.kubeconfig.display(),
        info.contexts.join(", ")
    );
    println!("  logs:    {}", info.logs_dir.display());
    println!();
    println!("Press Ctrl-C to stop everything.");

    let headlamp_proc = cluster.process("headlamp");
    while !STOP.load(Ordering::SeqCst) {
        if headlamp_proc.running().is_none() {
            eprintln!("headlamp exited; see {}", headlamp_proc.log_file.display());
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _p = Phase::start("stopping (by pid)");
    let stopped = headlamp.stop();
    if cluster_was_running {
        eprintln!(
            "    the cluster was running before the demo and keeps running (`cargo xtask cluster down` stops it)"
        );
    }
    stop_cluster().and(stopped)
}
