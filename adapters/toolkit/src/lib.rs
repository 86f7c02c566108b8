//! What every Simpul provider adapter needs, generically, so an adapter is mostly its mapping.
//!
//! ```
//! use simpul_adapter_toolkit::read::{Cell, Read};
//! use simpul_adapter_toolkit::{dates, ids, numbers, regions, text, Findings};
//!
//! let cell = |s: &str| Cell::Text(s.to_owned());
//! let day = chrono::NaiveDate::from_ymd_opt(2024, 8, 17).unwrap();
//! assert_eq!(dates::date(&cell("17 Agustus 2024")), Read::Noted(day, "DATE_FORMAT_NONSTANDARD"));
//! assert_eq!(numbers::money(&cell("Rp 1.500.000")).value(), Some(1_500_000));
//! assert_eq!(numbers::parse_decimal_comma("3,5"), Some(3.5));
//! assert_eq!(ids::phone(&cell("0812-3456-7890")).value().as_deref(), Some("+6281234567890"));
//! assert_eq!(regions::code("3603").value().as_deref(), Some("36.03"));
//!
//! // Each kind of normalisation is reported once per source unit, never with the value.
//! let mut findings = Findings::default();
//! for name in ["Jose\u{301}", "Marti\u{301}nez"] {
//!     if let Read::Noted(_, code) = text::normalize(name) {
//!         findings.notice("peserta.csv", code, "nama_lengkap", "text normalised to NFC");
//!     }
//! }
//! assert_eq!(findings.notices.len(), 1);
//! ```
//!
//! Values (each reader answers a [`read::Read`]: accepted, accepted with a notice code, or
//! refused with a warning code):
//! - [`text`]: trimming, NFC, comparison keys, lists in one cell.
//! - [`dates`]: Indonesian dates, Excel serials, `d/m/yyyy` contracts, timestamps in WIB.
//! - [`numbers`]: digits typed as text, Roman numerals, rupiah, decimal commas.
//! - [`ids`]: NIK, KPJ and phone checks.
//! - [`regions`]: codes and names against the Kemendagri reference table.
//! - [`vocab`]: a contract's words for unified values, also as data (named sections of a
//!   text file, coded lists).
//!
//! Sources and findings:
//! - [`findings`]: rejected units and report-once notices, as `SourceIssue`s.
//! - [`csv`]: CSV exports by column name; [`xlsx`] and [`grid`]: folders of workbooks, headers
//!   found by content; [`layout`]: a table's columns and header aliases.
//! - [`record`]: one workbook row mapped into one record; [`rows`]: rows mapped with `?`, a
//!   [`Skip`] for a row that cannot be; [`restate`]: latest workbook wins.
//! - [`people`]: participants listed in enrolment rows, their personal columns, training
//!   certificates; [`offerings`]: a run's status from its dates, training fields, sponsors.
//! - [`dataset`]: the records served, queried in memory, and their status.
//! - [`inspect`]: a load described for the adapter's author (an `inspect` example).
//! - [`plugin`]: [`plugin::InMemoryAdapter`], the plugin of any [`plugin::InMemorySource`] (an
//!   adapter is then its source, its mapping and five small functions), and the load log.

pub mod csv;
pub mod dataset;
pub mod dates;
pub mod findings;
pub mod grid;
pub mod ids;
pub mod inspect;
pub mod layout;
pub mod numbers;
pub mod offerings;
pub mod people;
pub mod plugin;
pub mod read;
pub mod record;
pub mod regions;
pub mod restate;
pub mod rows;
pub mod text;
pub mod vocab;
pub mod xlsx;

pub use dataset::{Loaded, Records};
pub use findings::{Finding, Findings};
pub use layout::Layout;
pub use read::{Cell, Read};
pub use record::Record;
pub use rows::Skip;
