//! Simpul adapter for SPN (Serikat Pekerja Nasional) Training Center's spreadsheet exports: a
//! folder of five `;`-separated CSV files (`pusat_pelatihan`, `pelatihan`, `peserta`, `hasil`,
//! `kerjasama`) described by the SPN provider contract.
//!
//! - [`config`]: [`SpnConfig`], the plugin's configuration and its JSON Schema.
//! - [`source`]: reading the folder exactly as the contract's file format says (BOM, quoting,
//!   columns by name, line numbers) into raw rows.
//! - [`mapping`]: raw rows → the unified model ([`SpnData`]), per UNIFIED.md §3, and
//!   in-memory querying with personal data stripped unless asked for.
//! - [`error`]: [`SpnError`], why a folder or file cannot be loaded at all.
//! - [`adapter`]: [`SpnAdapter`], the plugin itself (manifest, capabilities, calls).
//!
//! The contract this adapter implements is summarised in `CONTRACT.md` beside this crate.
//!
//! ```no_run
//! use simpul_adapter_spn::{SpnConfig, SpnData};
//! use simpul_schema::{Collection, QueryRequest};
//!
//! let data = SpnData::load(&SpnConfig::new("gateway/demo/spn"))?;
//! let runs = data.query(&QueryRequest::all(Collection::CourseRuns))?;
//! println!("{} runs, {} rows rejected", runs.total_count, data.status.rejected.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod adapter;
pub mod config;
pub mod error;
pub mod mapping;
pub mod source;

pub use adapter::SpnAdapter;
pub use config::SpnConfig;
pub use error::SpnError;
pub use mapping::SpnData;

simpul_plugin::export_adapter!(SpnAdapter);
