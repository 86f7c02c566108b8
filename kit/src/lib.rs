//! The adapter author's kit: the conformance suite behind `simpul adapter test LIB --config
//! FILE`, which any adapter author runs on their library, `simpul adapter replay` (a recorded
//! gateway's requests against a new build, answers diffed) and `simpul adapter bench`
//! (latency and throughput per collection and page size).
//!
//! The suite loads the library through the gateway's own host
//! (`simpul_plugin::host::PluginLibrary`), checks the manifest and the config, creates an
//! instance, reads every declared collection, and then checks every declared capability
//! against the engine's reference semantics on the adapter's own records, with requests
//! generated from the values it serves (seeded: the same seed asks the same requests):
//!
//! | checks | what must hold |
//! |---|---|
//! | `load`, `manifest`, `config`, `create` | a Simpul plugin; a name, semver version and provider key; known collections; a config valid against `configSchema` |
//! | `<collection> list`, `… with includePii` | unique `sourceId`s, totals that agree, the same records with and without personal data |
//! | `… filter _op`, `… filter constants`, `… filter trees` | each declared operator on each field, `and`/`or`/`not`, as `simpul_schema::filter::apply` |
//! | `… order_by`, `… paging windows`, `… stable paging`, `… lookup by id` | sorts in every direction, offset/limit, pages that concatenate to the list, lookups that agree with it |
//! | `aggregate <view>` | declared views as `simpul_schema::analytics::Accumulator` |
//! | `status`, `status counts`, `status warnings`, `rejected units` | counts agree with the lists; each rejected unit has a code, a source and a line or key |
//! | `deadlines`, `concurrency` | tiny deadlines end in time and harm nothing; concurrent answers equal serial ones |
//! | `personal fields without includePii`, `no personal data in …` | no personal field unasked; no NIK, KPJ, phone or name in warnings, rejections, errors or logs |
//!
//! ```no_run
//! # async fn demo() -> Result<(), simpul_adapter_kit::KitError> {
//! use simpul_adapter_kit::{load_config, Options};
//!
//! let config = load_config("spn.toml".as_ref())?;
//! let report = simpul_adapter_kit::run(Options::new("target/debug/libsimpul_adapter_spn.so", config)).await;
//! print!("{}", report.table());
//! assert!(report.passed());
//! # Ok(()) }
//! ```
//!
//! Modules: [`config`] (options, config files), [`report`] (checks, table, JSON), [`logs`]
//! (capturing the plugin's log lines), [`scan`] (personal data in text), [`generate`]
//! (requests from served values), [`compare`] (answers against the reference), [`client`]
//! (calls), [`records`] (the record types generically); `checks` runs them. [`scaffold`] is
//! `simpul adapter new`, which writes an adapter crate that passes the suite as generated.
//! [`recording`] is the format of the gateway's `record = "FILE.jsonl"` recordings,
//! [`replay`] sends them again and reports what [`diff`] finds (paths and counts, personal
//! values hidden), [`bench`] times list calls; both open the library through [`session`].
#![deny(missing_docs)]

pub mod bench;
mod checks;
pub mod client;
pub mod compare;
pub mod config;
pub mod diff;
mod error;
pub mod generate;
pub mod hostile;
pub mod logs;
pub mod recording;
pub mod records;
pub mod replay;
pub mod report;
pub mod scaffold;
pub mod scan;
pub mod session;

pub use config::{load_config, Options, DEFAULT_MAX_RECORDS, DEFAULT_SEED};
pub use error::KitError;
pub use report::{Check, Outcome, Report, Reproduce};

/// Run the suite on `options.library`. Every finding is in the report; nothing here fails.
/// Plugin log lines are scanned when the process's subscriber has [`logs::layer()`] (or
/// none: then one with it is installed).
pub async fn run(options: Options) -> Report {
    logs::install();
    checks::run(options).await
}

/// [`run`] on a runtime of its own (for a synchronous caller such as the CLI).
pub fn run_blocking(options: Options) -> Result<Report, KitError> {
    block_on(run(options))
}

/// Run `future` on a runtime of its own.
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, KitError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(KitError::Runtime)?;
    Ok(runtime.block_on(future))
}
