//! A faithful simulator of BPJAMSOSTEK's *Vokasi* partner-data API (`openapi.yaml` of the
//! BPJAMSOSTEK provider contract), served from a folder of JSON data files, with injectable
//! faults for testing clients.
//!
//! # Overview
//!
//! - [`SimulatorData`] ([`data`]): `api_keys.json` plus the five record files
//!   (`lembaga_mitra.json`, `program_vokasi.json`, `peserta_program.json`, `kepesertaan.json`,
//!   `penempatan.json`), the exact unmasked response objects, kept verbatim and sorted by id.
//!   [`SimulatorData::demo`] is this crate's own synthetic data set (`data/`).
//! - [`router`] / [`serve`] ([`server`]): the seven endpoints: `X-API-Key` auth with scopes
//!   (missing/unknown/revoked key → 401, missing scope → 403), `page`/`per_page` paging
//!   (defaults 1/20, `per_page` 1–100 else 400, past the end → 200 with empty `data`,
//!   `{data, meta}` plus `X-Total-Count`), the contract's filters, 404s, and masking of
//!   `nik`/`kpj`/`tanggalLahir`/`noHp`/`email`/`kodeWilayahDomisili` for keys without
//!   `pii:read`. Errors have the contract's `{error: {kode, pesan, traceId}}` shape.
//! - [`Faults`] ([`faults`]): scripted faults (`fail_next(n, status, retry_after)`), fixed or
//!   per-request latency, seeded random 5xx/429, and request counters per path and route.
//! - [`Simulator`]: a server on an ephemeral loopback port for tests, stopped on drop.
//!
//! The request log names route templates only: `GET /v1/peserta/{kpj}` carries a KPJ in its
//! path, so no URL is ever logged.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use simpul_bpjamsostek_simulator::{Simulator, SimulatorData};
//!
//! let sim = Simulator::start(SimulatorData::demo()).await.unwrap();
//! sim.faults().fail_next(1, 503, None);
//! assert!(sim.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(sim.faults().total_requests(), 0);
//! # });
//! ```
//!
//! The binary `bpjamsostek-simulator` serves a folder (`--data DIR`, default: the embedded demo
//! set) on `--listen ADDR` (default `127.0.0.1:8083`) with `--latency-ms N|MIN-MAX`,
//! `--error-rate F`, `--rate-limit-rate F`, `--retry-after S` and `--seed S`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
pub mod data;
pub mod error;
pub mod faults;
pub mod masking;
pub mod params;
pub mod server;

pub use data::{ApiKey, DataError, DataFile, SimulatorData};
pub use error::ApiError;
pub use faults::{Faults, Injected};
pub use server::{router, serve, serve_with_shutdown, Simulator};
