//! `cargo xtask <command>`: every build, test and demo step of the project, with progress output.

mod bench;
mod cluster;
mod cmd;
mod demo;
mod e2e;
mod fixtures;
mod fuzz;
mod package;
mod paths;
mod phase;
mod plugin;
mod setup;
mod test;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

  setup        install what the build and tests need (idempotent)
  plugin       build the Headlamp plugin into dist/autoscaling-insights/
  plugin test  the plugin's browser tests alone (wasm in Chromium, contract in Headlamp's code)
  test         set up and run every test (what CI runs)
  cluster      local cluster from Go modules: build|up|down|status|kubeconfig (see `cluster help`)
  fixtures     capture real objects from the demo scenario into testdata/demo/
  fuzz         cargo fuzz over every reader of cluster data (see `fuzz help`)
  soak         the server under 50 clients while pods churn, 10 minutes (--minutes, --clients, --churn)
  fleet        write a large fleet (S|M|L: 500/2k/5k nodes, 10 pods each) into the local cluster; delete
  bench        benchmarks (model joins, 5,000-row UI list, server latency): numbers for BENCHMARKS.md
  demo         build everything and run the product on a local simulated cluster
  e2e          browser tests: Headlamp + the plugin on the local cluster (see `e2e help`)
  package      release tarball + checksum + dist/artifacthub-pkg.yml; --check installs it as Headlamp does
";

fn main() {
    if let Err(e) = run() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            print!("{USAGE}");
            return Ok(());
        }
    };
    match command {
        "setup" => setup::run(rest),
        "plugin" => plugin::run(rest),
        "test" => test::run(rest),
        "cluster" => cluster::run(rest),
        "fixtures" => fixtures::run(rest),
        "demo" => demo::run(rest),
        "e2e" => e2e::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "soak" => bench::soak(rest),
        "fleet" => bench::fleet(rest),
        "package" => package::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}
