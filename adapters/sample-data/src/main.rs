//! `simpul-sample-data`: write deterministic synthetic sample data for SPN (CSV), BBPLK
//! (SQLite / SQL / PostgreSQL) and BPJAMSOSTEK (simulator JSON), plus `manifest.json`.
//!
//! ```text
//! simpul-sample-data --participants 1000000 --out /tmp/simpul-1m --quiet
//! simpul-sample-data --participants 200 --seed 7 --providers spn,bbplk --bbplk-format both --messy
//! ```

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use simpul_sample_data::plan::parse_providers;
use simpul_sample_data::{generate, BbplkFormat, Plan, Progress};

/// Deterministic synthetic sample data in each provider's native format.
#[derive(Debug, Parser)]
#[command(name = "simpul-sample-data", version, about)]
struct Cli {
    /// Distinct people in total over all selected providers (tens to millions).
    #[arg(long)]
    participants: u64,
    /// Seed: the same seed and options give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fraction of people at two or more providers (a third of them at all three).
    #[arg(long, default_value_t = 0.05)]
    overlap: f64,
    /// Output folder (gets spn/, bbplk/, bpjamsostek/ and manifest.json).
    #[arg(long, default_value = "sample-data")]
    out: PathBuf,
    /// Comma-separated providers: spn, bbplk, bpjamsostek.
    #[arg(long, default_value = "spn,bbplk,bpjamsostek")]
    providers: String,
    /// BBPLK delivery: sqlite (bbplk.sqlite), sql (bbplk.sql for psql -f) or both.
    #[arg(long, default_value = "sqlite")]
    bbplk_format: String,
    /// Also load BBPLK into this empty PostgreSQL database.
    #[arg(long, env = "SIMPUL_SAMPLE_POSTGRES_URL")]
    postgres_url: Option<String>,
    /// Plant the documented quirks and bad rows in the SPN files.
    #[arg(long)]
    messy: bool,
    /// No progress bars and no summary on stderr.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let format: BbplkFormat = cli.bbplk_format.parse().context("--bbplk-format")?;
    let mut plan = Plan::new(cli.participants)
        .with_seed(cli.seed)
        .with_overlap(cli.overlap)
        .with_providers(parse_providers(&cli.providers).context("--providers")?)
        .with_bbplk_format(format)
        .with_messy(cli.messy);
    plan.postgres_url = cli.postgres_url;
    let started = Instant::now();
    let summary = generate(&plan, &cli.out, Progress::stderr(cli.quiet))
        .await
        .with_context(|| format!("generating sample data into `{}`", cli.out.display()))?;
    if !cli.quiet {
        eprintln!(
            "wrote {} people ({} at two or more providers, {} at all three) to {} in {:.1} s",
            summary.people.total,
            summary.people.at_two_or_more,
            summary.people.at_all_three,
            cli.out.display(),
            started.elapsed().as_secs_f64()
        );
        for (provider, s) in &summary.outputs {
            eprintln!(
                "  {provider}: {} participants, {} enrolments, {} outcomes",
                s.participants, s.enrollments, s.outcomes
            );
        }
    }
    Ok(())
}
