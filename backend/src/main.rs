//! `autoscaling-insights`: the in-cluster server of Autoscaling Insights. It watches KEDA, Karpenter and
//! the core kinds they act on, joins them with `model`, keeps a scaling journal and serves the result as
//! the aggregated API `insights.autoscaling.dev/v1alpha1` (see `--help`).

mod api;
mod app;
mod authn;
mod authz;
mod caches;
mod catalog;
mod cli;
mod discovery;
mod external_metrics;
mod journal;
mod logging;
mod metrics;
mod peers;
mod pricing;
mod prometheus;
mod recorder;
mod serve;
mod table;
mod tls;
mod views;
mod watch;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    logging::init(args.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(app::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "exiting");
            ExitCode::FAILURE
        }
    }
}
