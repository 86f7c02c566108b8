//! The contract's tables as sea-orm entities, one file per table (`schema.sql` beside this
//! crate is the source of truth; the column names and types here follow it exactly).
//!
//! The adapter uses the entities for three things: column names in the SQL it builds
//! (`angkatan::Column::TglMulai` rather than a string), the start-up check that every contract
//! column it reads exists ([`crate::source::BbplkSource::check_schema`]), and documentation of
//! the relations. Query results are not decoded into these `Model`s: the query plans in
//! [`crate::query`] project portable, typed expressions instead (dates as text, `NUMERIC` as
//! double), which both PostgreSQL and SQLite can return.
//!
//! `sertifikasi`, `lsp`, `unit_kompetensi`, `program_unit` and `ref_wilayah` are described for
//! completeness; no unified collection reads them yet.

pub mod angkatan;
pub mod kejuruan;
pub mod kemitraan;
pub mod lembaga;
pub mod lembaga_kejuruan;
pub mod lsp;
pub mod pendaftaran;
pub mod penempatan;
pub mod peserta;
pub mod program_pelatihan;
pub mod program_unit;
pub mod ref_wilayah;
pub mod sertifikasi;
pub mod unit_kompetensi;
