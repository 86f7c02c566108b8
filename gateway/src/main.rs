//! `simpul`: parse the command line, run it, report an error and exit 1.

use std::io::IsTerminal;

use clap::Parser;
use tracing_subscriber::prelude::*;

fn main() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SIMPUL_LOG")
        .unwrap_or_else(|_| "info,simpul_bpjamsostek_simulator=warn,sea_orm_migration=warn".into());
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    tracing_subscriber::registry()
        .with(stderr.with_filter(filter))
        // Plugin log lines, kept for `simpul adapter test` to scan (nothing is kept otherwise).
        .with(simpul_adapter_kit::logs::layer())
        .init();
    if let Err(error) = simpul_gateway::cli::run(simpul_gateway::cli::Cli::parse()) {
        eprintln!("simpul: {error:#}");
        std::process::exit(1);
    }
}
