//! Simpul adapter for FK-BLKK Kabupaten Tangerang (*Forum Komunikasi BLK Komunitas*: 33
//! community training centres): a folder of quarterly Excel workbooks, one per quarter, each
//! restating the previous one, as the FK-BLKK provider contract describes.
//!
//! Plumbing (generic workbook reading):
//! - [`config`]: [`FkblkkConfig`] and its JSON Schema.
//! - [`workbook`]: files, their order, sheets by name, headers by content, data rows.
//! - [`sheets`]: the contract's sheets, columns and header aliases.
//! - [`cells`]: cell values by kind (text, integers, dates, money, phones, NIKs).
//! - [`findings`]: codes and keys of everything rejected, noted or warned about.
//! - [`adapter`]: [`FkblkkAdapter`], the plugin itself.
//!
//! Mapping (this provider's meaning): [`mapping`] → [`FkblkkData`].
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
pub mod cells;
pub mod config;
pub mod findings;
pub mod mapping;
pub mod sheets;
pub mod workbook;

pub use adapter::FkblkkAdapter;
pub use config::FkblkkConfig;
pub use mapping::FkblkkData;

simpul_plugin::export_adapter!(FkblkkAdapter);
