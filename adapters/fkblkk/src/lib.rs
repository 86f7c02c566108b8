//! Simpul adapter for FK-BLKK Kabupaten Tangerang (*Forum Komunikasi BLK Komunitas*: 33
//! community training centres): a folder of quarterly Excel workbooks, one per quarter, each
//! restating the previous one, as the FK-BLKK provider contract describes. Reading workbooks
//! and cell values is the adapter toolkit's; this crate is the contract's layout
//! ([`sheets`]), its meaning ([`mapping`] → [`FkblkkData`]), [`config`] and the plugin
//! ([`adapter`]).
//!
//! ```no_run
//! use simpul_adapter_fkblkk::{FkblkkConfig, FkblkkData};
//! use simpul_schema::{Collection, QueryRequest};
//!
//! let config = FkblkkConfig::new("gateway/demo/fkblkk", "a-secret-of-16-characters");
//! let data = FkblkkData::load(&config)?;
//! let runs = data.query(&QueryRequest::all(Collection::CourseRuns))?;
//! println!("{} runs, {} units rejected", runs.total_count, data.rejected.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod adapter;
pub mod config;
pub mod mapping;
pub mod sheets;

pub use adapter::FkblkkAdapter;
pub use config::FkblkkConfig;
pub use mapping::FkblkkData;

simpul_plugin::export_adapter!(FkblkkAdapter);
