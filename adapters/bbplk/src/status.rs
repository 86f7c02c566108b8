//! The `Status` answer ([`SourceStatus`]): record counts per collection (one `COUNT(*)` each,
//! over exactly the rows each collection serves), freshness (`data_as_of`: the latest
//! `lembaga.diubah_pada`/`dibuat_pada` or `peserta.dibuat_pada`, as `+07:00`), the source rows
//! that cannot be used (table, id and reason; never a value), and how many served records
//! carry a data-quality warning.
//!
//! Warnings are computed by the Rust mapping (NIK checks, phone numbers, …), so counting them
//! maps every record once, without personal data in clear, a page at a time (memory stays
//! bounded); the gateway asks for the status once, when it starts the provider.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use sea_orm::sea_query::{Alias, Expr, IntoIden, Order};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, TransactionTrait};
use simpul_schema::{Collection, QueryRequest, Records, SourceIssue, SourceStatus};

use crate::entity::{lembaga as lb, peserta as ps};
use crate::error::BbplkError;
use crate::mapping::values::lenient_instant;
use crate::query::dialect::{col, select, Dialect};
use crate::query::sqlite_pages::ReadConnection;
use crate::query::{self, collection_name, plans};

/// One unusable row: its id and, for some reasons, a related id.
#[derive(Debug, FromQueryResult)]
struct IssueRow {
    id: i64,
    other: Option<i64>,
}

/// The whole status.
///
/// # Errors
/// Database errors.
pub async fn status(db: &DatabaseConnection, d: Dialect) -> Result<SourceStatus, BbplkError> {
    match d {
        // One transaction whose statements the session's `statement_timeout` does not limit
        // (they count and check every row of a large source); read-only, as every session.
        Dialect::Postgres => {
            let failed = |e: sea_orm::DbErr| BbplkError::db("the source status", &e);
            let txn = db.begin().await.map_err(failed)?;
            txn.execute_unprepared("SET LOCAL statement_timeout = 0")
                .await
                .map_err(failed)?;
            let status = gather(&txn, d).await?;
            txn.commit().await.map_err(failed)?;
            Ok(status)
        }
        Dialect::Sqlite => gather(db, d).await,
    }
}

async fn gather(db: &impl ReadConnection, d: Dialect) -> Result<SourceStatus, BbplkError> {
    let mut record_counts = std::collections::BTreeMap::new();
    let mut warnings = 0;
    for &collection in Collection::ALL {
        let all = QueryRequest::all(collection);
        record_counts.insert(
            collection_name(collection).to_owned(),
            query::count(db, d, &all).await?,
        );
        warnings += warnings_in(db, d, collection).await?;
    }
    Ok(SourceStatus {
        data_as_of: data_as_of(db, d).await?,
        record_counts,
        rejected: rejected(db, d).await?,
        warnings,
        notices: crate::notices::notices(db, d).await?,
    })
}

/// Records of one collection per page while counting warnings: memory stays bounded however
/// large the database.
const PAGE: u64 = 20_000;

/// How many records of `collection` carry a warning, read page by page in the natural order
/// (each page resumes from the cursor of the one before: an index seek).
async fn warnings_in(
    db: &impl ReadConnection,
    d: Dialect,
    collection: Collection,
) -> Result<u64, BbplkError> {
    let shared = match collection {
        Collection::Participants => crate::identity::read_shared_niks(db, d).await?,
        _ => Default::default(),
    };
    let mut warnings = 0;
    let mut page = QueryRequest::all(collection);
    page.limit = Some(PAGE);
    page.skip_total = true;
    loop {
        let answer = query::run(db, d, &page, None, &shared).await?;
        warnings += records_with_warnings(&answer.records);
        if (answer.records.len() as u64) < PAGE || answer.next.is_none() {
            return Ok(warnings);
        }
        page.after = answer.next;
    }
}

fn records_with_warnings(records: &Records) -> u64 {
    let n = match records {
        Records::TrainingCenters(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::Courses(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::CourseRuns(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::Participants(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::Enrollments(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::Outcomes(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::Partnerships(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::CredentialAwards(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
        Records::Programs(r) => r.iter().filter(|x| !x.warnings.is_empty()).count(),
    };
    n as u64
}

/// Every source row some collection cannot use, in table and id order.
///
/// # Errors
/// Database errors.
pub async fn rejected(
    db: &impl ConnectionTrait,
    d: Dialect,
) -> Result<Vec<SourceIssue>, BbplkError> {
    let mut issues = Vec::new();
    for &collection in Collection::ALL {
        for reject in plans::plan(d, collection, false).rejects {
            let mut query = reject.query.clone();
            query.order_by(Alias::new("id"), Order::Asc);
            let rows = IssueRow::find_by_statement(d.backend().build(&query))
                .all(db)
                .await
                .map_err(|e| BbplkError::db(reject.table, &e))?;
            for row in rows {
                let other = row.other.map(|o| o.to_string()).unwrap_or_default();
                issues.push(
                    SourceIssue::new(
                        reject.code,
                        reject.table,
                        format!(
                            "{} {}: {}",
                            reject.id_column,
                            row.id,
                            reject.reason.replace("{other}", &other)
                        ),
                    )
                    .with_key(format!("{}={}", reject.id_column, row.id)),
                );
            }
        }
    }
    issues.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(issues)
}

/// The latest change the source records, as RFC 3339 with `+07:00`.
///
/// # Errors
/// Database errors.
pub async fn data_as_of(
    db: &impl ConnectionTrait,
    d: Dialect,
) -> Result<Option<String>, BbplkError> {
    let mut latest: Option<DateTime<FixedOffset>> = None;
    let changed = d.sql(
        "COALESCE($1, $2)",
        &[
            col("l", lb::Column::DiubahPada),
            col("l", lb::Column::DibuatPada),
        ],
    );
    let sources = [
        (lb::Entity.into_iden(), "l", changed),
        (
            ps::Entity.into_iden(),
            "s",
            col("s", ps::Column::DibuatPada),
        ),
    ];
    for (table, alias, expr) in sources {
        let mut q = select();
        q.expr_as(d.instant_text(Expr::expr(expr).max()), Alias::new("latest"))
            .from_as(table, Alias::new(alias));
        let row = db
            .query_one(d.backend().build(&q))
            .await
            .map_err(|e| BbplkError::db("freshness", &e))?;
        let text: Option<String> = match row {
            Some(row) => row
                .try_get("", "latest")
                .map_err(|e| BbplkError::db("freshness", &e))?,
            None => None,
        };
        if let Some(at) = text.as_deref().and_then(lenient_instant) {
            latest = latest.max(Some(at));
        }
    }
    Ok(latest.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false)))
}
