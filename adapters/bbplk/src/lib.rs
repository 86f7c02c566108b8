//! Simpul adapter for the Kemnaker BBPLK / BLK training database: a relational database
//! (PostgreSQL in production, SQLite embedded and in tests) with the DDL of the BBPLK
//! provider contract, read through sea-orm and answered in Simpul's unified model.
//!
//! # Overview
//!
//! ```text
//! QueryRequest ──► query::statement ──► ONE SELECT (WHERE, ORDER BY, LIMIT, COUNT(*) OVER ())
//!                  (plans + filter)          │
//! QueryResponse ◄── mapping (rows → model) ◄─┘
//!
//! AggregateRequest ──► query::aggregate ──► ONE SELECT … GROUP BY (COUNT, SUM, MIN, MAX)
//!                      (plans::view + filter)     │
//! AggregateResponse ◄── Accumulator::merge ◄──────┘ (the few group rows, in reference order)
//! ```
//!
//! - [`config`]: [`BbplkConfig`], the database URL and pool size, and its JSON Schema.
//! - [`source`]: [`BbplkSource`], the read-only pool, the contract check, queries, status.
//! - [`entity`]: the contract's tables as sea-orm entities, one file per table.
//! - [`query`]: pushdown. Each unified field is a SQL expression computing its unified value,
//!   so filters (all twelve operators, SQL null semantics identical to
//!   `simpul_schema::filter`), sorting (Hasura null placement), paging and lookups by id run
//!   in the database, on PostgreSQL and SQLite alike; so do aggregates and group-by
//!   ([`query::aggregate`]).
//! - [`mapping`]: rows → [`simpul_schema`] records per UNIFIED.md §4 (centres, programmes,
//!   courses, runs, partnerships, participants, enrolments, outcomes, credential awards), with data-quality
//!   warnings that never carry personal values.
//! - [`status`]: record counts, freshness, unusable rows, warnings.
//! - [`error`]: [`BbplkError`] and its stable codes.
//! - [`adapter`]: [`BbplkAdapter`], the plugin (manifest, capabilities, calls).
//!
//! The provider contract is `CONTRACT.md` beside this crate; its DDL is [`SCHEMA_SQL`]
//! (`schema.sql`, verbatim). What the adapter does with the contract's §6 ("What an adapter must
//! do"):
//!
//! - contract columns are selected by name (extra columns are ignored), and [`BbplkSource::check_schema`]
//!   refuses a database that lacks one;
//! - `nik` is trimmed and validated; an invalid NIK is neither exposed nor linked
//!   (`NIK_INVALID`); one `Participant` per `peserta` row, rows sharing a valid NIK are
//!   flagged `DUPLICATE_NIK_IN_PROVIDER` (the gateway links them into one `Person`);
//! - duplicate (`id_angkatan`, `id_peserta`) registrations keep the lowest id (the others are
//!   reported as rejected rows, a placement filed against one moves to the kept registration);
//! - non-positive `kuota`/`durasi_jp`, a `jenjang_kkni` outside 1–9, scores outside 0–100 and
//!   `tgl_selesai < tgl_mulai` become null with a warning; 0 attendance and 0 scores are kept;
//! - `TIMESTAMP`s are read as WIB (`+07:00`); names stay upper case; `isMinor` is computed at
//!   the first registration;
//! - filters, sorting, paging, lookups, counts and aggregates (`GROUP BY` over every view,
//!   including the enrolment facts) run in SQL; the status's warning count maps every record
//!   once (without personal data in clear).
//!
//! Certificates (`sertifikasi`) are served as `credentialAwards`, one award per row
//! ([`mapping::credentials`]): a `Sertifikat Pelatihan` is the centre's training certificate
//! for its course (credential `training/<kode_lembaga>/<kode_program>`), a `Sertifikat
//! Kompetensi` the LSP's competency certification for its scheme (`competency/<kode_lsp>/<skema>`,
//! recognised by BNSP, valid 36 months as the contract assumes), each with the programme's KBJI
//! code and its units (`program_unit` → `unit_kompetensi`); the certificate and registration
//! numbers are personal data, read only with `include_pii`; a certificate filed against a
//! duplicate registration is attached to the kept one, one without a served registration is a
//! rejected row.
//!
//! The catalogue (`program_pelatihan`) is served as `programs`, one programme per row, inactive
//! ones included (with a `PROGRAM_INACTIVE` warning: the unified `Program` has no field for
//! `aktif`) ([`mapping::programs`]): keyed by `kode_program`, which is also its courses'
//! `programId` (a filter and sort field, in SQL like the others); its kejuruan, KBJI code,
//! KKNI level (1–9, else null with a warning), hours (`durasi_jp` > 0, else null with a
//! warning), method, description, units in `urutan` order, and the competency certification
//! its `skema_sertifikasi` prepares for, built as the awards' credential is, so that the two are
//! one credential. A programme does not record its LSP, which the credential's key names: when
//! the served competency awards of the scheme that name an existing LSP all name the same one,
//! the credential is that LSP's; otherwise (no such award, or several LSPs, the latter with
//! `VALUE_CONFLICT`) it is listed with the scheme only (`competency//<skema>`, no issuer).
//! A `program_unit` row whose programme or unit does not exist is a rejected row.
//!
//! Not served: LSPs as organisations of their own (an LSP is a credential's issuer name),
//! regions (the gateway resolves codes from the shared reference table).
//!
//! ```no_run
//! use simpul_adapter_bbplk::{BbplkConfig, BbplkSource};
//! use simpul_schema::{Collection, CompareOp, Filter, QueryRequest};
//!
//! # async fn demo() -> Result<(), simpul_adapter_bbplk::BbplkError> {
//! let source = BbplkSource::connect(&BbplkConfig::new("bbplk.db")).await?;
//! let mut request = QueryRequest::all(Collection::CourseRuns);
//! request.filter = Some(Filter::compare("regionCode", CompareOp::Prefix, "32.16"));
//! request.limit = Some(10);
//! let page = source.query(&request).await?;
//! println!("{} runs in Kabupaten Bekasi", page.total_count);
//! # Ok(()) }
//! ```
// One module holds unsafe code: `query::sqlite_pages` borrows sqlx's SQLite handle.
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod adapter;
pub mod config;
pub mod entity;
pub mod error;
pub mod identity;
pub mod mapping;
pub mod notices;
pub mod query;
pub mod source;
pub mod status;

pub use adapter::BbplkAdapter;
pub use config::BbplkConfig;
pub use error::BbplkError;
pub use source::{connect, BbplkSource};

/// The contract's DDL (`schema.sql`), for tools that create a BBPLK database (the sample-data
/// generator, tests). Portable: it loads unchanged into PostgreSQL and SQLite.
pub const SCHEMA_SQL: &str = include_str!("../schema.sql");

simpul_plugin::export_adapter!(BbplkAdapter);
