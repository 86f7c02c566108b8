//! `simpul`: parse the command line, run it, report an error and exit 1.

use std::io::IsTerminal;

use clap::Parser;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SIMPUL_LOG").unwrap_or_else(|_| {
                "info,simpul_bpjamsostek_simulator=warn,sea_orm_migration=warn".into()
            }),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    if let Err(error) = simpul_gateway::cli::run(simpul_gateway::cli::Cli::parse()) {
        eprintln!("simpul: {error:#}");
        std::process::exit(1);
    }
}
