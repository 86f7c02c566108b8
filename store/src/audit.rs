//! [`Audit`]: the log of personal-data reads (who, which fields, how many records, when).
//!
//! ```
//! use simpul_store::{AuditEntry, AuditFilter, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await?;
//! let query = "query Page { participants { nodes { nik } } }";
//! let entry = AuditEntry::new(None, query, vec!["Participant.nik".into()], 10);
//! store.audit().record(entry).await?;
//!
//! let nik_reads = AuditFilter { field: Some("Participant.nik".into()), ..Default::default() };
//! let found = store.audit().list(nik_reads).await?;
//! assert_eq!(found[0].entry.record_count, 10);
//! assert_eq!(found[0].entry.operation_name.as_deref(), Some("Page"));
//! # Ok::<_, simpul_store::Error>(())
//! # }).unwrap();
//! ```
//!
//! The log holds field names (`Participant.nik`) and counts, never values: UU PDP asks for a
//! record of processing, and a log of NIKs would be one more copy to protect. Field names
//! are checked to look like GraphQL names, so a value cannot slip in by mistake.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::entity::{audit_log, audit_log_field};
use crate::hash::is_sha256_hex;
use crate::store::{now, to_micros};
use crate::{operation_hash, Error};

/// One audited operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The key that asked (an id the store issued: [`crate::Principal::key_id`]); `None` for
    /// anonymous requests.
    pub key_id: Option<String>,
    /// When (stored to the microsecond).
    pub at: DateTime<Utc>,
    /// [`operation_hash`] of the query text: 64 lowercase hex digits.
    pub operation_hash: String,
    /// The operation's name, if it has one.
    pub operation_name: Option<String>,
    /// The personal-data fields resolved, as `Type.field` (`Participant.nik`). Stored sorted,
    /// without duplicates.
    pub fields: Vec<String>,
    /// How many records the answer carried.
    pub record_count: u64,
    /// The gateway's request id, to find the request in traces.
    pub request_id: Option<String>,
}

impl AuditEntry {
    /// An entry for `query` as sent, now, with the operation name taken from the text when it
    /// starts with `query <Name>` (set [`AuditEntry::operation_name`] to override).
    pub fn new(
        key_id: Option<String>,
        query: &str,
        fields: Vec<String>,
        record_count: u64,
    ) -> Self {
        AuditEntry {
            key_id,
            at: now(),
            operation_hash: operation_hash(query),
            operation_name: leading_operation_name(query),
            fields,
            record_count,
            request_id: None,
        }
    }
}

/// A stored [`AuditEntry`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Store-assigned, increasing.
    pub id: i64,
    /// What was recorded.
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// Which entries [`Audit::list`] returns; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Only this key's operations.
    pub key_id: Option<String>,
    /// At or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only operations that resolved this field (`Participant.nik`).
    pub field: Option<String>,
    /// At most this many (default [`AuditFilter::DEFAULT_LIMIT`], at most
    /// [`AuditFilter::MAX_LIMIT`]).
    pub limit: Option<u64>,
}

impl AuditFilter {
    /// [`AuditFilter::limit`] when none is given.
    pub const DEFAULT_LIMIT: u64 = 100;
    /// The largest [`AuditFilter::limit`] honoured.
    pub const MAX_LIMIT: u64 = 10_000;
}

/// The audit log; from [`crate::Store::audit`].
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    db: &'a DatabaseConnection,
}

impl<'a> Audit<'a> {
    pub(crate) fn new(db: &'a DatabaseConnection) -> Self {
        Audit { db }
    }

    /// Append an entry; returns its id. The entry and its fields are written together.
    pub async fn record(&self, entry: AuditEntry) -> Result<i64, Error> {
        if !is_sha256_hex(&entry.operation_hash) {
            return Err(Error::invalid(
                "operation_hash",
                "expected 64 lowercase hex digits (see `operation_hash`)",
            ));
        }
        if entry.operation_name.as_deref().is_some_and(|n| !is_name(n)) {
            return Err(Error::invalid("operation_name", "not a GraphQL name"));
        }
        let mut fields = entry.fields;
        // The message gives the position, not the text: the text may be the value itself.
        if let Some(i) = fields.iter().position(|f| !is_field(f)) {
            return Err(Error::invalid(
                "fields",
                format!("entry {i} is not of the form `Type.field`"),
            ));
        }
        fields.sort();
        fields.dedup();
        let record_count = i64::try_from(entry.record_count)
            .map_err(|_| Error::invalid("record_count", "too large"))?;

        let txn = self.db.begin().await?;
        let row = audit_log::ActiveModel {
            key_id: Set(entry.key_id),
            at: Set(to_micros(entry.at)),
            operation_hash: Set(entry.operation_hash),
            operation_name: Set(entry.operation_name),
            record_count: Set(record_count),
            request_id: Set(entry.request_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if !fields.is_empty() {
            audit_log_field::Entity::insert_many(fields.into_iter().map(|field| {
                audit_log_field::ActiveModel {
                    audit_log_id: Set(row.id),
                    field: Set(field),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(row.id)
    }

    /// Entries matching `filter`, newest first.
    pub async fn list(&self, filter: AuditFilter) -> Result<Vec<AuditRecord>, Error> {
        let mut select = audit_log::Entity::find();
        if let Some(key_id) = filter.key_id {
            select = select.filter(audit_log::Column::KeyId.eq(key_id));
        }
        if let Some(since) = filter.since {
            select = select.filter(audit_log::Column::At.gte(to_micros(since)));
        }
        if let Some(until) = filter.until {
            select = select.filter(audit_log::Column::At.lt(to_micros(until)));
        }
        if let Some(field) = filter.field {
            select = select.filter(
                audit_log::Column::Id.in_subquery(
                    Query::select()
                        .column(audit_log_field::Column::AuditLogId)
                        .from(audit_log_field::Entity)
                        .and_where(audit_log_field::Column::Field.eq(field))
                        .to_owned(),
                ),
            );
        }
        let limit = filter
            .limit
            .unwrap_or(AuditFilter::DEFAULT_LIMIT)
            .min(AuditFilter::MAX_LIMIT);
        let rows = select
            .order_by_desc(audit_log::Column::At)
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .all(self.db)
            .await?;

        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut fields: HashMap<i64, Vec<String>> = HashMap::new();
        // One statement per thousand entries keeps under every engine's bind limit.
        for chunk in ids.chunks(1000) {
            let found = audit_log_field::Entity::find()
                .filter(audit_log_field::Column::AuditLogId.is_in(chunk.iter().copied()))
                .order_by_asc(audit_log_field::Column::Field)
                .all(self.db)
                .await?;
            for f in found {
                fields.entry(f.audit_log_id).or_default().push(f.field);
            }
        }
        Ok(rows
            .into_iter()
            .map(|row| AuditRecord {
                id: row.id,
                entry: AuditEntry {
                    key_id: row.key_id,
                    at: row.at,
                    operation_hash: row.operation_hash,
                    operation_name: row.operation_name,
                    fields: fields.remove(&row.id).unwrap_or_default(),
                    // Written from a u64, so never negative.
                    record_count: row.record_count.unsigned_abs(),
                    request_id: row.request_id,
                },
            })
            .collect())
    }
}

/// A GraphQL name: `[_A-Za-z][_0-9A-Za-z]*`.
fn is_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// `Type.field`, or a longer path of GraphQL names (`Participant.socialSecurity.kpj`).
fn is_field(s: &str) -> bool {
    s.len() <= 128 && s.contains('.') && s.split('.').all(is_name)
}

/// `Name` from a text starting `query Name`, `mutation Name` or `subscription Name`.
fn leading_operation_name(query: &str) -> Option<String> {
    let rest = query.trim_start();
    let rest = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|kind| rest.strip_prefix(kind))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| *c == '_' || c.is_ascii_alphanumeric())
        .collect();
    is_name(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert!(is_field("Participant.nik"));
        assert!(is_field("Participant.socialSecurity.kpj"));
        assert!(!is_field("Participant"));
        assert!(!is_field("3201234567890001"));
        assert!(!is_field("Participant.nik=3201234567890001"));
        assert!(!is_field("Participant."));
    }

    #[test]
    fn operation_names() {
        assert_eq!(
            leading_operation_name("query Page($a: Int) { x }").as_deref(),
            Some("Page")
        );
        assert_eq!(
            leading_operation_name("  mutation\n  Do { x }").as_deref(),
            Some("Do")
        );
        assert_eq!(leading_operation_name("{ x }"), None);
        assert_eq!(leading_operation_name("query { x }"), None);
        assert_eq!(leading_operation_name("queryX { x }"), None);
    }
}
