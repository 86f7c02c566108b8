//! [`PersistedQueries`]: query texts stored under their SHA-256.
//!
//! ```
//! use simpul_store::Store;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await?;
//! let hash = store.persisted_queries().put("{ providers { key } }").await?;
//! assert_eq!(hash.len(), 64);
//! let text = store.persisted_queries().get(&hash).await?;
//! assert_eq!(text.as_deref(), Some("{ providers { key } }"));
//! # Ok::<_, simpul_store::Error>(())
//! # }).unwrap();
//! ```
//!
//! The hash is [`crate::operation_hash`] (the Apollo automatic-persisted-queries id), so an
//! audit entry's `operation_hash` finds the query it ran. Putting the same text twice is a
//! no-op. Queries that take a NIK or KPJ take it as a variable (UNIFIED.md §1), so no personal
//! value is stored here; the gateway refuses inline literals before it persists anything.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use crate::entity::persisted_query;
use crate::hash::is_sha256_hex;
use crate::store::now;
use crate::{operation_hash, Error};

/// A stored query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersistedQuery {
    /// SHA-256 of `query`, lowercase hex.
    pub hash: String,
    /// The GraphQL document, as sent.
    pub query: String,
    /// When it was first stored.
    pub created_at: DateTime<Utc>,
}

/// Persisted queries; from [`crate::Store::persisted_queries`].
#[derive(Debug, Clone, Copy)]
pub struct PersistedQueries<'a> {
    db: &'a DatabaseConnection,
}

impl<'a> PersistedQueries<'a> {
    pub(crate) fn new(db: &'a DatabaseConnection) -> Self {
        PersistedQueries { db }
    }

    /// Store `query` (if new) and return its hash.
    pub async fn put(&self, query: &str) -> Result<String, Error> {
        if query.trim().is_empty() {
            return Err(Error::invalid("query", "empty"));
        }
        let hash = operation_hash(query);
        persisted_query::Entity::insert(persisted_query::ActiveModel {
            hash: Set(hash.clone()),
            query: Set(query.to_owned()),
            created_at: Set(now()),
        })
        .on_conflict(
            OnConflict::column(persisted_query::Column::Hash)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(self.db)
        .await?;
        Ok(hash)
    }

    /// The query stored under `hash`, if any. `hash` must be 64 lowercase hex digits.
    pub async fn get(&self, hash: &str) -> Result<Option<String>, Error> {
        if !is_sha256_hex(hash) {
            return Err(Error::invalid(
                "query hash",
                "expected 64 lowercase hex digits",
            ));
        }
        let row = persisted_query::Entity::find_by_id(hash)
            .one(self.db)
            .await?;
        Ok(row.map(|r| r.query))
    }

    /// Every stored query, oldest first.
    pub async fn list(&self) -> Result<Vec<PersistedQuery>, Error> {
        let rows = persisted_query::Entity::find()
            .order_by_asc(persisted_query::Column::CreatedAt)
            .order_by_asc(persisted_query::Column::Hash)
            .all(self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| PersistedQuery {
                hash: r.hash,
                query: r.query,
                created_at: r.created_at,
            })
            .collect())
    }
}
