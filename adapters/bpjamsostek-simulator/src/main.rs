//! `bpjamsostek-simulator`: serve the BPJAMSOSTEK Vokasi API from a data folder, optionally
//! slow or failing on purpose.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use simpul_bpjamsostek_simulator::{serve_with_shutdown, Faults, SimulatorData};

/// Serve the BPJAMSOSTEK Vokasi API (synthetic) from JSON data files.
#[derive(Debug, Parser)]
#[command(name = "bpjamsostek-simulator", version)]
struct Cli {
    /// Data folder with api_keys.json and the five record files. Default: the repository's
    /// embedded synthetic demo data.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Address to listen on (keep it on loopback).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8083")]
    listen: SocketAddr,
    /// Delay every response: `N` milliseconds, or `MIN-MAX` for a seeded random delay per
    /// request.
    #[arg(long, value_name = "N|MIN-MAX")]
    latency_ms: Option<String>,
    /// Fraction (0.0–1.0) of requests answered with a random 500 or 503.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    error_rate: f64,
    /// Fraction (0.0–1.0) of requests answered with 429 and `Retry-After`.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    rate_limit_rate: f64,
    /// `Retry-After` seconds sent with random 429s.
    #[arg(long, value_name = "S", default_value_t = 1)]
    retry_after: u64,
    /// Seed of the random latency and random faults (same seed, same faults).
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bpjamsostek-simulator: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let data = match &cli.data {
        Some(dir) => SimulatorData::load(dir)?,
        None => SimulatorData::demo(),
    };
    let faults = Faults::new();
    faults.set_seed(cli.seed);
    if let Some(latency) = &cli.latency_ms {
        let (lo, hi) = parse_latency(latency)
            .with_context(|| format!("--latency-ms `{latency}` is not N or MIN-MAX"))?;
        if lo == hi {
            faults.set_latency_ms(lo);
        } else {
            faults.set_latency_range_ms(lo, hi);
        }
    }
    faults.set_error_rate(cli.error_rate);
    faults.set_rate_limit_rate(cli.rate_limit_rate, cli.retry_after);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(cli.listen)
            .await
            .with_context(|| format!("cannot listen on {}", cli.listen))?;
        let addr = listener.local_addr()?;
        println!("BPJAMSOSTEK simulator serving http://{addr}");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        serve_with_shutdown(data, listener, faults, shutdown).await?;
        Ok(())
    })
}

/// `250` → (250, 250); `50-400` → (50, 400).
fn parse_latency(raw: &str) -> Option<(u64, u64)> {
    match raw.split_once('-') {
        Some((lo, hi)) => Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?)),
        None => {
            let n = raw.trim().parse().ok()?;
            Some((n, n))
        }
    }
}
