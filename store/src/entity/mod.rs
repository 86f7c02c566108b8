//! The store's tables as sea-orm entities, one file per table.
//!
//! ```
//! use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
//! use simpul_store::entity::{api_key, prelude::*};
//!
//! # async fn demo(store: &simpul_store::Store) -> Result<(), sea_orm::DbErr> {
//! let live = ApiKey::find()
//!     .filter(api_key::Column::RevokedAt.is_null())
//!     .all(store.db())
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Prefer the typed API ([`crate::Keys`], [`crate::Audit`], ...): it keeps the rules (hashes,
//! validation) that raw rows do not. Entities are public for read-only reporting.
#![allow(missing_docs)] // sea-orm's derives generate the undocumented `Column`, `Entity`, ...

pub mod api_key;
pub mod audit_log;
pub mod audit_log_field;
pub mod partner;
pub mod persisted_query;

/// The entities under their table's name.
pub mod prelude {
    pub use super::api_key::Entity as ApiKey;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::audit_log_field::Entity as AuditLogField;
    pub use super::partner::Entity as Partner;
    pub use super::persisted_query::Entity as PersistedQuery;
}
