//! Simpul adapter for BPJAMSOSTEK's *Vokasi* partner-data REST API, mapped to the unified
//! model per UNIFIED.md §5. The provider contract it implements is kept beside this crate:
//! `CONTRACT.md` and `openapi.yaml`. The crate `simpul-bpjamsostek-simulator` serves that API
//! from synthetic data for tests and demos.
//!
//! # Overview
//!
//! - [`config`]: [`BpjamsostekConfig`] (`base_url`, `api_key`, `identity_secret`, deadlines,
//!   retries, paging, concurrency, cache) and its JSON Schema.
//! - [`client`]: HTTP: `X-API-Key`, per-request deadline, retries with exponential backoff and
//!   jitter on 5xx/429 (honouring `Retry-After`) and never on other 4xx, bounded concurrency,
//!   `page`/`per_page` walking.
//! - [`wire`]: the API's camelCase JSON shapes; [`page`]: a list page split into its items'
//!   JSON text; [`source`]: which endpoints an answer needs,
//!   item-by-item decoding, caching; [`pushdown`]: unified filters the API can apply itself;
//!   [`shared_reads`]: with the cache off, one read of each list per gateway request.
//! - [`mapping`]: API records → the unified model ([`BpjamsostekData`]): centres with licences
//!   and the partner rule, PKS partnerships, one course + one run per programme, participants
//!   keyed `k<HMAC-SHA-256(kpj)>` ([`identity`]), enrolments, outcomes, credential awards
//!   (one per enrolment with a `nomorSertifikat`, keyed as the enrolment; the certificate of its
//!   programme, keyed `<programId>/sertifikat`: [`mapping::credentials`]), and the eligibility
//!   check ([`SocialSecurityMembership`]).
//! - [`adapter`]: [`BpjamsostekAdapter`], the plugin (manifest, capabilities, calls);
//!   [`error`]: [`Error`] and its stable codes (`SOURCE_UNAUTHORIZED`, `SOURCE_TIMEOUT`, ...).
//!
//! Personal data (NIK, KPJ, names, birth dates, phones, e-mails, domicile, certificate
//! numbers) only leaves the adapter in `ParticipantPii` or `CredentialAward.number` when a
//! request sets `include_pii` (every answer, pushed down or not, goes through the same
//! in-memory query that strips it); warnings, issues, errors and log lines never carry it, and
//! no request URL (the eligibility check has the KPJ in its path) is ever logged. The API does
//! not mask certificate numbers for keys without `pii:read`; the adapter keeps them back all
//! the same.
//!
//! Credential awards rest on one assumption: the API gives no issue date, so `issuedOn` is the
//! programme's last day (`tanggalSelesai`), null when that is not a valid date.
//!
//! ```no_run
//! # async fn demo() -> Result<(), simpul_adapter_bpjamsostek::Error> {
//! use simpul_adapter_bpjamsostek::{BpjamsostekAdapter, BpjamsostekConfig};
//! use simpul_schema::{Collection, QueryRequest};
//!
//! let config = BpjamsostekConfig::new("http://127.0.0.1:8083", "sim-full-demo-96000001", "a-secret-of-16-chars");
//! let adapter = BpjamsostekAdapter::new(config)?;
//! let runs = adapter.query(&QueryRequest::all(Collection::CourseRuns)).await?;
//! println!("{} runs", runs.total_count);
//! let eligibility = adapter.membership("99096000050").await?;
//! println!("eligible: {:?}", eligibility.and_then(|m| m.vokasi_eligible));
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

pub mod adapter;
pub mod client;
pub mod config;
pub mod error;
pub mod identity;
pub mod log;
pub mod mapping;
pub mod page;
pub mod pushdown;
pub mod shared_reads;
pub mod source;
pub mod tidy;
pub mod wire;

pub use adapter::BpjamsostekAdapter;
pub use config::BpjamsostekConfig;
pub use error::{Endpoint, Error};
pub use mapping::{BpjamsostekData, SocialSecurityMembership};

simpul_plugin::export_adapter!(BpjamsostekAdapter);
