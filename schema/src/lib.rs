//! Simpul's unified model: the types every adapter produces and the gateway serves.
//!
//! # Overview
//!
//! - [`model`]: the entities ([`TrainingCenter`], [`Course`], [`CourseRun`], [`Participant`],
//!   [`Enrollment`], [`Outcome`], [`Partnership`]) and their vocabularies, as plain serde types.
//!   Relations inside one provider are local keys; the gateway turns them into [`GlobalId`]s.
//! - [`query`]: the messages that cross the plugin boundary: an [`AdapterRequest`] asks for
//!   records of a [`Collection`] with a Hasura-style [`Filter`], [`OrderBy`] and paging.
//! - [`filter`]: the reference semantics of those filters, evaluated in memory; [`memory`]
//!   answers whole requests from records held in memory.
//! - [`identity`]: NIK/KPJ validation and masking, phone normalisation.
//! - [`reference`]: Kemendagri regions and KBJI occupations, embedded.
//! - [`tolerant`]: decoding that survives vocabulary values a newer plugin sends.
//! - Feature `json-schema` (off by default): `schemars::JsonSchema` for every type that crosses
//!   the plugin boundary, following the serde attributes; `simpul-plugin` publishes the
//!   result as `plugins/schema/messages.schema.json`.
//!
//! This crate has no GraphQL or async dependency: third-party adapters depend on it.
//!
//! ```
//! use simpul_schema::{AdapterRequest, Collection, CompareOp, Filter, QueryRequest};
//!
//! let mut request = QueryRequest::all(Collection::CourseRuns);
//! request.filter = Some(Filter::compare("fiscalYear", CompareOp::Eq, 2023_i64));
//! let wire = serde_json::to_string(&AdapterRequest::Query(request)).unwrap();
//! assert!(wire.contains(r#""collection":"courseRuns""#));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod analytics;
pub mod filter;
pub mod id;
pub mod identity;
pub mod memory;
pub mod model;
pub mod query;
pub mod reference;
pub mod tolerant;

pub use id::GlobalId;
pub use model::*;
pub use query::{
    AdapterRequest, AdapterResponse, Collection, CompareOp, Direction, Filter, Literal,
    MembershipRequest, MembershipResponse, OrderBy, QueryRequest, QueryResponse, Records,
    SourceIssue, SourceStatus,
};
