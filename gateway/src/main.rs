//! `simpul`: parse the command line, run it, report an error and exit 1.

use std::io::IsTerminal;
use std::time::Duration;

use clap::Parser;
use simpul_gateway::telemetry;
use tracing_subscriber::prelude::*;

/// jemalloc, built unprefixed, is the process's `malloc`: plugins allocate through the same
/// symbol (a Rust plugin's default allocator and a C plugin's `malloc` alike), so the gateway
/// and its plugins share one allocator. Each side still frees only what it allocated (ABI §3:
/// a buffer is released through its own `release`). Measured in README, Benchmarks.
#[cfg(all(target_os = "linux", not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let cli = simpul_gateway::cli::Cli::parse();
    // OpenTelemetry export is a layer of the subscriber, which is set up once, here: the
    // `[telemetry]` section of the file `simpul serve` will serve is read now (see `telemetry`).
    let export = telemetry::for_command(&cli);
    let filter = tracing_subscriber::EnvFilter::try_from_env("SIMPUL_LOG")
        .unwrap_or_else(|_| "info,simpul_bpjamsostek_simulator=warn,sea_orm_migration=warn".into());
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    tracing_subscriber::registry()
        .with(stderr.with_filter(filter))
        // Plugin log lines, kept for `simpul adapter test` to scan (nothing is kept otherwise).
        .with(simpul_adapter_kit::logs::layer())
        .with(export.as_ref().map(telemetry::Telemetry::layer))
        .init();
    if let Some(export) = &export {
        export.announce();
    }
    let result = simpul_gateway::cli::run(cli);
    if let Some(export) = export {
        // The spans of the last requests, shipped before the process ends.
        export.shutdown(Duration::from_secs(3));
    }
    if let Err(error) = result {
        eprintln!("simpul: {error:#}");
        std::process::exit(1);
    }
}
