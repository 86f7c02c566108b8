//! `simpul adapter …`: the adapter author's kit (`simpul-adapter-kit`) on the command line.
//! `simpul adapter new NAME --source csv|sql|rest|xlsx` writes an adapter crate that passes
//! the suite as generated; `simpul adapter test LIB --config FILE` is the conformance suite;
//! `simpul adapter replay LIB --config FILE --recording FILE.jsonl` sends a gateway's recorded
//! calls (`record` under `[[providers]]`) to a build and diffs the answers (exit 1 when any
//! differs); `simpul adapter bench LIB --config FILE` times list calls per collection and page
//! size.
//!
//! ```text
//! $ simpul adapter test target/debug/libsimpul_adapter_spn.so --config spn.toml
//! target/debug/libsimpul_adapter_spn.so simpul-adapter-spn 0.1.0
//! seed 15 (same seed, same requests: --seed 15)
//!
//! pass  load                   a Simpul plugin, ABI 1.0
//! pass  manifest               simpul-adapter-spn for provider `spn`: trainingCenters, …
//! …
//! FAIL  courseRuns filter _gte startDate _gte "2023-04-01": adapter 12 records …, reference 13 …
//! …
//! 152 checks: 150 passed, 1 failed, 1 skipped
//! simpul: 1 of 152 checks failed (seed 15)
//! ```
//!
//! The table (or, with `--json`, the report as JSON) goes to stdout; the exit status is 1 when
//! a check failed (other than those named with `--expect-fail`, known adapter bugs) or the
//! suite could not run, 0 otherwise.

use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use simpul_adapter_kit::bench::{self, BenchOptions};
use simpul_adapter_kit::replay::{self, ReplayOptions};
use simpul_adapter_kit::scaffold::{self, NewOptions, SourceKind};
use simpul_adapter_kit::{load_config, Options, DEFAULT_MAX_RECORDS, DEFAULT_SEED};

/// `simpul adapter …`.
#[derive(Debug, Subcommand)]
pub enum AdapterCommand {
    /// Write a new adapter crate (config, source, mapping, adapter, a test over sample data, a
    /// README and a CI script) that builds and passes `simpul adapter test` as generated.
    New(NewArgs),
    /// Check an adapter library against the plugin contract and the engine's reference
    /// semantics, on its own data (a conformance suite).
    Test(TestArgs),
    /// Send the calls a gateway recorded (`record = "FILE.jsonl"` under `[[providers]]`) to
    /// this build and compare each answer with the recorded one: records added, removed and
    /// changed (field paths; personal values hidden), errors by code. Exit 1 when any differs.
    Replay(ReplayArgs),
    /// Time list calls for every declared collection and page size: latency p50/p99 and
    /// records per second. Bounded per collection and page size by time and by calls.
    Bench(BenchArgs),
}

/// `simpul adapter replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The adapter library.
    pub library: PathBuf,
    /// The adapter's own config, TOML or JSON (give it the identity_secret the gateway gave,
    /// or person keys differ). Default: `{}`.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// The recording (JSON lines, as the gateway writes them).
    #[arg(long, value_name = "FILE.jsonl")]
    pub recording: PathBuf,
    /// The provider key to create the instance under (default: the recording's).
    #[arg(long)]
    pub provider: Option<String>,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `simpul adapter bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The adapter library.
    pub library: PathBuf,
    /// The adapter's own config, TOML or JSON. Default: `{}`.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Page sizes (`limit`) to try, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = bench::DEFAULT_PAGES.to_vec())]
    pub pages: Vec<u64>,
    /// Time per collection and page size at most, in milliseconds.
    #[arg(long, default_value_t = bench::DEFAULT_DURATION.as_millis() as u64)]
    pub duration_ms: u64,
    /// Calls per collection and page size at most.
    #[arg(long, default_value_t = bench::DEFAULT_MAX_CALLS)]
    pub max_calls: u64,
    /// The provider key to create the instance under (default: the manifest's).
    #[arg(long)]
    pub provider: Option<String>,
    /// Print the result as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `simpul adapter test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// The adapter library (`libmy_adapter.so`, `.dylib`, `.dll`).
    pub library: PathBuf,
    /// The adapter's own config, TOML or JSON: what a deployment puts under
    /// `[providers.config]`. Default: `{}`.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Seed of the generated requests: the same seed asks the same requests.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Records read per collection at most; checks that need more say so.
    #[arg(long, default_value_t = DEFAULT_MAX_RECORDS)]
    pub max_records: u64,
    /// The provider key to create the instance under (default: the manifest's).
    #[arg(long)]
    pub provider: Option<String>,
    /// Print the report as JSON (for CI) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// A check known to fail (a reported adapter bug, not yet fixed): its failure does not
    /// fail the run. Repeat for several; each is named on stderr, as is one that passes.
    #[arg(long, value_name = "CHECK")]
    pub expect_fail: Vec<String>,
}

/// `simpul adapter new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The crate's name (lower-case letters, digits, `-`, `_`), e.g. `simpul-adapter-acme`;
    /// the provider key defaults to what follows `simpul-adapter-`.
    pub name: String,
    /// What the adapter reads: a CSV file, a SQL table, a REST API or an Excel workbook.
    #[arg(long, value_parser = ["csv", "sql", "rest", "xlsx"])]
    pub source: String,
    /// The crate's folder (default: ./NAME). Inside the Simpul checkout it is a member of
    /// the workspace (see --add-to-workspace); anywhere else, a workspace of its own.
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// The Simpul checkout whose SDK crates it depends on (default: the one this binary was
    /// built from).
    #[arg(long, value_name = "DIR")]
    pub sdk_path: Option<PathBuf>,
    /// Write into a folder that is not empty (the crate's files are overwritten).
    #[arg(long)]
    pub force: bool,
    /// Inside the workspace: add the crate to the root Cargo.toml's `members`.
    #[arg(long)]
    pub add_to_workspace: bool,
}

/// Run `simpul adapter …`.
pub fn run(command: AdapterCommand) -> Result<()> {
    match command {
        AdapterCommand::New(args) => new(args),
        AdapterCommand::Test(args) => test(&args),
        AdapterCommand::Replay(args) => replay(args),
        AdapterCommand::Bench(args) => bench(args),
    }
}

fn config(path: Option<&PathBuf>) -> Result<serde_json::Value> {
    Ok(match path {
        Some(path) => load_config(path)?,
        None => serde_json::json!({}),
    })
}

fn print_json(value: &serde_json::Value) -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).context("cannot print the report")?
    );
    Ok(())
}

fn replay(args: ReplayArgs) -> Result<()> {
    let options = ReplayOptions {
        config: config(args.config.as_ref())?,
        library: args.library,
        recording: args.recording,
        provider: args.provider,
    };
    let report = replay::run_blocking(&options)?;
    if args.json {
        print_json(&report.to_json())?;
    } else {
        print!("{}", report.table());
    }
    let different = report.different();
    if different > 0 {
        bail!(
            "{different} of {} answers differ from the recording",
            report.requests.len()
        );
    }
    Ok(())
}

fn bench(args: BenchArgs) -> Result<()> {
    if args.pages.contains(&0) {
        bail!("--pages: a page size is at least 1");
    }
    let options = BenchOptions {
        config: config(args.config.as_ref())?,
        pages: args.pages,
        duration: std::time::Duration::from_millis(args.duration_ms),
        max_calls: args.max_calls,
        provider: args.provider,
        ..BenchOptions::new(args.library, serde_json::Value::Null)
    };
    let report = bench::run_blocking(&options)?;
    if args.json {
        print_json(&report.to_json())
    } else {
        print!("{}", report.table());
        Ok(())
    }
}

fn new(args: NewArgs) -> Result<()> {
    let source: SourceKind = args.source.parse().map_err(anyhow::Error::msg)?;
    let options = NewOptions {
        path: args.path,
        sdk_path: args.sdk_path,
        force: args.force,
        add_to_workspace: args.add_to_workspace,
        ..NewOptions::new(&args.name, source)
    };
    let generated = scaffold::new_adapter(&options)?;
    print!("{}", generated.next_steps());
    Ok(())
}

fn test(args: &TestArgs) -> Result<()> {
    let mut options = Options::new(&args.library, config(args.config.as_ref())?);
    options.seed = args.seed;
    options.max_records = args.max_records;
    options.provider = args.provider.clone();
    let report = simpul_adapter_kit::run_blocking(options)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).context("cannot print the report")?
        );
    } else {
        print!("{}", report.table());
    }
    for name in &args.expect_fail {
        match report.check(name).map(|c| c.outcome) {
            Some(simpul_adapter_kit::Outcome::Fail) => {
                eprintln!("simpul: `{name}` failed, as expected (--expect-fail)")
            }
            _ => eprintln!(
                "simpul: `{name}` was expected to fail and did not: drop --expect-fail {name:?}"
            ),
        }
    }
    let failed = report
        .failures()
        .filter(|c| !args.expect_fail.contains(&c.name))
        .count();
    if failed > 0 {
        bail!(
            "{failed} of {} checks failed (seed {})",
            report.checks.len(),
            report.seed
        );
    }
    Ok(())
}
