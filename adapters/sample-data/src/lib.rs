//! Deterministic synthetic sample data for Simpul's three providers, each in its **native**
//! format: SPN's `;`-separated CSV spreadsheets ([`spn`]), BBPLK's SQL database as SQLite, a
//! `psql` script or a live PostgreSQL ([`bbplk`]), and BPJAMSOSTEK's REST-simulator data files
//! ([`bpjamsostek`]), plus a `manifest.json` ([`manifest`]).
//!
//! - **Deterministic**: the output is a pure function of the [`Plan`] (same seed and size →
//!   byte-identical files). Every record draws from its own generator keyed by
//!   `(seed, stream, person, slot)` ([`rng`]); nothing depends on timing, threads or hash-map
//!   order.
//! - **Identity**: people are numbered `0..participants`; [`population`] decides exactly who is
//!   at one, two or three providers (same NIK everywhere), [`people`] derives each person from
//!   their number, and [`identity`] guarantees unique, well-formed NIKs by construction.
//! - **Scale**: from a handful to millions of people, streamed: each provider makes two passes
//!   over its people (count course choices, then write), keeping only per-batch counters
//!   ([`batches`]) and, for BPJAMSOSTEK, an 8-byte index per enrolment.
//!
//! ```no_run
//! use simpul_sample_data::{generate, Plan, Progress};
//!
//! # async fn run() -> Result<(), simpul_sample_data::GenerateError> {
//! let summary = generate(&Plan::new(1_000).with_seed(7), "/tmp/simpul-sample".as_ref(), Progress::hidden()).await?;
//! println!("{} people at two or more providers", summary.people.at_two_or_more);
//! # Ok(()) }
//! ```

pub mod batches;
pub mod bbplk;
pub mod bpjamsostek;
pub mod catalog;
pub mod error;
pub mod format;
pub mod geo;
pub mod identity;
pub mod manifest;
pub mod people;
pub mod plan;
pub mod population;
pub mod progress;
pub mod rng;
pub mod spn;
pub mod vocab;
pub mod world;

use std::path::Path;
use std::sync::Arc;

pub use bbplk::generate_bbplk;
pub use bpjamsostek::generate_bpjamsostek;
pub use error::{GenerateError, PlanError};
pub use manifest::{FileSummary, PeopleSummary, ProviderSummary, Summary};
pub use plan::{BbplkFormat, Plan, Provider};
pub use progress::Progress;
pub use spn::generate_spn;
pub use world::World;

use population::mask_label;

/// Generate every provider of `plan` into `out` (`out/spn/`, `out/bbplk/`,
/// `out/bpjamsostek/`, `out/manifest.json`). SPN and BPJAMSOSTEK are written on blocking
/// worker threads while BBPLK loads its database on the calling task.
///
/// # Errors
/// The plan is invalid, or a file, folder or database step fails (the error names it).
pub async fn generate(
    plan: &Plan,
    out: &Path,
    progress: Progress,
) -> Result<Summary, GenerateError> {
    let world = Arc::new(World::new(plan)?);
    std::fs::create_dir_all(out).map_err(|source| GenerateError::CreateDir {
        path: out.to_owned(),
        source,
    })?;
    let spawn = |provider: Provider| {
        let world = Arc::clone(&world);
        let dir = out.join(provider.id());
        let bar = progress.bar(provider);
        tokio::task::spawn_blocking(move || match provider {
            Provider::Spn => generate_spn(&world, &dir, &bar),
            _ => generate_bpjamsostek(&world, &dir, &bar),
        })
    };
    let spn_task = plan.has(Provider::Spn).then(|| spawn(Provider::Spn));
    let bpjs_task = plan
        .has(Provider::Bpjamsostek)
        .then(|| spawn(Provider::Bpjamsostek));
    let bbplk = if plan.has(Provider::Bbplk) {
        let bar = progress.bar(Provider::Bbplk);
        Some(generate_bbplk(&world, &out.join("bbplk"), &bar).await)
    } else {
        None
    };
    let mut outputs = std::collections::BTreeMap::new();
    for (provider, task) in [
        (Provider::Spn, spn_task),
        (Provider::Bpjamsostek, bpjs_task),
    ] {
        if let Some(task) = task {
            let result = task.await.map_err(|e| GenerateError::Task {
                provider: provider.id(),
                reason: e.to_string(),
            })?;
            outputs.insert(provider.id().to_owned(), result?);
        }
    }
    if let Some(result) = bbplk {
        outputs.insert(Provider::Bbplk.id().to_owned(), result?);
    }
    let pop = &world.population;
    let summary = Summary {
        generator: format!("simpul-sample-data {}", env!("CARGO_PKG_VERSION")),
        seed: plan.seed,
        participants: plan.participants,
        overlap_fraction: plan.overlap,
        providers: plan.providers.iter().map(|p| p.id().to_owned()).collect(),
        messy: plan.messy,
        snapshot_date: world.snapshot.to_string(),
        people: PeopleSummary {
            total: pop.total,
            at_two_or_more: pop.multi(),
            at_all_three: pop.triple(),
            by_providers: pop
                .by_mask
                .iter()
                .map(|(m, n)| (mask_label(*m), *n))
                .collect(),
            members_without_enrolment: if plan.has(Provider::Bpjamsostek) {
                pop.extra_members
            } else {
                0
            },
        },
        outputs,
    };
    summary.write(out)?;
    Ok(summary)
}
