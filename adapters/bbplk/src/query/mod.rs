//! Pushdown: a [`QueryRequest`] becomes ONE SQL statement (lookup by ids, filter, order,
//! offset and limit, and the total as `COUNT(*) OVER ()`), whose rows are mapped to the
//! unified model.
//!
//! - [`dialect`]: what differs between PostgreSQL and SQLite, and the SQL twins of the
//!   mapping's value rules.
//! - [`filter`]: `Filter`/`OrderBy` over unified names → conditions and sort keys, with the
//!   reference null semantics.
//! - [`pattern`]: `_like`/`_ilike` patterns per engine.
//! - [`plans`]: per collection, the tables, projections and unified field expressions; per
//!   aggregate view, the rows and fields it summarises.
//! - [`aggregate`]: an `AggregateRequest` → ONE `SELECT … GROUP BY` over a view.
//! - [`slices`]: a large view's aggregate split into key ranges grouped at the same time.
//! - [`sqlite_pages`]: a page read on SQLite's own handle, without sqlx's per-row hand-off.
//!
//! A typical statement (PostgreSQL; course runs from 2023 in Jawa Barat that are not
//! cancelled, newest first, second page of 2), abbreviated:
//!
//! ```sql
//! SELECT "a"."kode_angkatan" AS "kode_angkatan", …, to_char("a"."tgl_mulai", 'YYYY-MM-DD') AS "tgl_mulai", …,
//!        COUNT(*) OVER () AS "total_count"
//! FROM "angkatan" AS "a"
//!   INNER JOIN "lembaga" AS "l" ON "l"."id_lembaga" = "a"."id_lembaga"
//!   INNER JOIN "program_pelatihan" AS "p" ON "p"."id_program" = "a"."id_program"
//! WHERE (CAST("a"."tahun_anggaran" AS BIGINT)) >= (CAST($1 AS BIGINT))
//!   AND ((NULLIF(TRIM("l"."kode_wilayah"), '') = $2 OR substr(NULLIF(TRIM("l"."kode_wilayah"), ''), 1, $3) = $4))
//!   AND ((CASE … WHEN ((NULLIF(TRIM("a"."status_angkatan"), '')) = 'Dibatalkan') THEN 'CANCELLED' ELSE 'UNKNOWN' END) IS NULL
//!        OR (NOT (CASE … END) = $5))
//! ORDER BY (to_char("a"."tgl_mulai", 'YYYY-MM-DD') COLLATE "C") DESC NULLS FIRST, "a"."id_angkatan" ASC
//! LIMIT $6 OFFSET $7
//! ```

pub mod aggregate;
pub mod dialect;
pub mod filter;
pub mod pattern;
pub mod plans;
pub mod slices;
pub mod sqlite_pages;

use sea_orm::sea_query::{Alias, Expr, Order, SelectStatement, SimpleExpr, Value};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use self::sqlite_pages::{FromSqliteRow, ReadConnection};
use simpul_schema::{Collection, QueryRequest, QueryResponse, Records};

use self::dialect::Dialect;
use crate::identity::SharedNiks;
use simpul_schema::identity::PersonKeys;

use self::plans::{Key, Plan};
use crate::error::BbplkError;
use crate::mapping::rows::*;
use crate::mapping::{credentials, organisations, people, programs};

/// The unified participant fields, plus `nikKey`, which `crate::identity` puts in place of
/// `personKey` (the keyed hash has no SQL expression; the NIK it stands for does).
const PARTICIPANT_FIELDS: &[&str] = &[
    "sourceId",
    "sex",
    "birthYear",
    "domicileRegencyCode",
    "employmentStatusAtRegistration",
    "education",
    "nikValid",
    "personKey",
    "nikKey",
];

/// The field names a request may use for a collection (its `Filterable::FIELDS`; for
/// participants, plus `nikKey`).
pub fn field_names(collection: Collection) -> &'static [&'static str] {
    match collection {
        Collection::Participants => PARTICIPANT_FIELDS,
        other => other.fields(),
    }
}

/// The camelCase name of a collection (`courseRuns`), for messages and record counts.
pub fn collection_name(collection: Collection) -> &'static str {
    match collection {
        Collection::TrainingCenters => "trainingCenters",
        Collection::Courses => "courses",
        Collection::CourseRuns => "courseRuns",
        Collection::Participants => "participants",
        Collection::Enrollments => "enrollments",
        Collection::Outcomes => "outcomes",
        Collection::Partnerships => "partnerships",
        Collection::CredentialAwards => "credentialAwards",
        Collection::Programs => "programs",
    }
}

/// The `WHERE` of a request: the plan's own condition, the ids, the filter.
fn conditions(
    d: Dialect,
    plan: &Plan,
    request: &QueryRequest,
) -> Result<Vec<SimpleExpr>, BbplkError> {
    let mut out = Vec::new();
    if let Some(keep) = &plan.keep {
        out.push(keep.clone());
    }
    if let Some(ids) = &request.ids {
        out.push(lookup(d, &plan.key, ids));
    }
    if let Some(f) = &request.filter {
        out.push(filter::condition(d, &plan.fields, f)?);
    }
    Ok(out)
}

/// `key IN (…)`. Integer keys match only canonical decimal ids (`"17"`, not `"017"`), as a
/// text comparison of the unified `sourceId` would. More than [`filter::BOUND_LIST_MAX`] ids
/// are bound as one parameter ([`Dialect::in_json`]).
fn lookup(d: Dialect, key: &Key, ids: &[String]) -> SimpleExpr {
    if ids.len() > filter::BOUND_LIST_MAX {
        let (expr, json, element) = match key {
            Key::Text(e) => (e, serde_json::to_string(ids).unwrap_or_default(), None),
            Key::Int(e) => {
                let numbers: Vec<i64> = ids
                    .iter()
                    .filter_map(|i| i.parse::<i64>().ok().filter(|n| n.to_string() == *i))
                    .collect();
                if numbers.is_empty() {
                    return d.constant(false);
                }
                let json = serde_json::to_string(&numbers).unwrap_or_default();
                (e, json, Some("BIGINT"))
            }
        };
        return d.in_json(expr.clone(), json, element, false);
    }
    let (expr, values): (&SimpleExpr, Vec<Value>) = match key {
        Key::Text(e) => (e, ids.iter().map(|i| Value::from(i.clone())).collect()),
        Key::Int(e) => (
            e,
            ids.iter()
                .filter_map(|i| i.parse::<i64>().ok().filter(|n| n.to_string() == *i))
                .map(Value::from)
                .collect(),
        ),
    };
    if values.is_empty() {
        d.constant(false)
    } else {
        Expr::expr(expr.clone()).is_in(values)
    }
}

/// Whether the answer carries a cursor: a page (`limit`) in the natural order (no `order_by`).
fn wants_cursor(request: &QueryRequest) -> bool {
    request.limit.is_some() && request.order_by.is_empty()
}

/// The column aliases of the natural sort keys, projected when the answer carries a cursor.
const CURSOR_COLUMNS: [&str; 2] = ["cursor_0", "cursor_1"];

/// `natural > after`, in the natural order's tuple order, for a cursor `"17"` or `"4,7"` (the
/// natural sort keys of the page's last row, all integers).
fn after(natural: &[SimpleExpr], cursor: &str) -> Result<SimpleExpr, BbplkError> {
    let bad = |why: &str| {
        BbplkError::BadRequest(format!(
            "`after` is not a cursor this collection gave ({why}): send back a page's `next` as it came"
        ))
    };
    let values = cursor
        .split(',')
        .map(|v| v.parse::<i64>().map_err(|_| bad("not integers")))
        .collect::<Result<Vec<i64>, _>>()?;
    if values.len() != natural.len() {
        return Err(bad(&format!(
            "{} keys where this collection has {}",
            values.len(),
            natural.len()
        )));
    }
    // (a, b) > (x, y)  ⇔  a > x OR (a = x AND b > y), written out so each engine can seek.
    let mut condition: Option<SimpleExpr> = None;
    for (expr, value) in natural.iter().zip(&values).rev() {
        let greater = Expr::expr(expr.clone()).gt(*value);
        condition = Some(match condition {
            None => greater,
            Some(rest) => greater.or(Expr::expr(expr.clone()).eq(*value).and(rest)),
        });
    }
    condition.ok_or_else(|| bad("empty"))
}

/// The statement for one request.
///
/// # Errors
/// [`BbplkError::BadRequest`] when the filter or sort cannot be evaluated as asked, or `after`
/// is not a cursor of this collection's or comes with an `order_by` or an `offset`.
pub fn statement(d: Dialect, request: &QueryRequest) -> Result<SelectStatement, BbplkError> {
    simpul_schema::filter::validate(request, field_names(request.collection))
        .map_err(|e| BbplkError::BadRequest(e.to_string()))?;
    let plan = plans::plan(d, request.collection, request.include_pii);
    let mut select = plan.from.clone();
    for (alias, expr) in &plan.columns {
        let expr = if plans::reads_column(request, alias) {
            expr.clone()
        } else {
            Expr::cust("NULL")
        };
        select.expr_as(expr, Alias::new(*alias));
    }
    if wants_cursor(request) {
        for (alias, expr) in CURSOR_COLUMNS.iter().zip(&plan.natural) {
            select.expr_as(
                Expr::expr(expr.clone()).cast_as(Alias::new("BIGINT")),
                Alias::new(*alias),
            );
        }
    }
    if let Some(cursor) = &request.after {
        if !request.order_by.is_empty() || request.offset > 0 {
            return Err(BbplkError::BadRequest(
                "`after` resumes the natural order: send it without `order_by` and `offset`".into(),
            ));
        }
        select.and_where(after(&plan.natural, cursor)?);
    }
    // The window makes SQLite evaluate (and keep) every matching row before the first page;
    // a scan that reads no total is spared it.
    // BIGINT as the window's count is: PostgreSQL types a bare 0 as INTEGER, which the row's
    // i64 does not decode.
    let total = if request.skip_total {
        "CAST(0 AS BIGINT)"
    } else {
        "COUNT(*) OVER ()"
    };
    select.expr_as(Expr::cust(total), Alias::new("total_count"));
    for condition in conditions(d, &plan, request)? {
        select.and_where(condition);
    }
    for (expr, order, nulls) in filter::sort_keys(d, &plan.fields, &request.order_by)? {
        select.order_by_expr_with_nulls(expr, order, nulls);
    }
    for expr in &plan.natural {
        select.order_by_expr(expr.clone(), Order::Asc);
    }
    let limit = request.limit.map(|l| l.min(i64::MAX as u64));
    match (limit, request.offset) {
        (Some(limit), offset) => {
            select.limit(limit);
            if offset > 0 {
                select.offset(offset.min(i64::MAX as u64));
            }
        }
        // SQLite wants a LIMIT before an OFFSET; -1 means none there.
        (None, offset) if offset > 0 => {
            select.limit(i64::MAX as u64);
            select.offset(offset.min(i64::MAX as u64));
        }
        (None, _) => {}
    }
    Ok(select)
}

/// How many records match a request, ignoring paging (one `COUNT(*)`).
///
/// # Errors
/// As [`statement`], plus database errors.
pub async fn count(
    db: &impl ConnectionTrait,
    d: Dialect,
    request: &QueryRequest,
) -> Result<u64, BbplkError> {
    let plan = plans::plan(d, request.collection, false);
    let mut select = plan.from.clone();
    select.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
    for condition in conditions(d, &plan, request)? {
        select.and_where(condition);
    }
    let what = collection_name(request.collection);
    let row = db
        .query_one(d.backend().build(&select))
        .await
        .map_err(|e| BbplkError::db(what, &e))?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n").map_err(|e| BbplkError::db(what, &e))?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Answer a query with one statement (plus a `COUNT(*)` only when the page is empty although
/// rows may match: an offset past the end, or `limit = 0`).
///
/// # Errors
/// [`BbplkError::BadRequest`] for a filter or sort the collection cannot evaluate; database
/// errors as [`BbplkError::Unavailable`] or [`BbplkError::Query`].
pub async fn run(
    db: &impl ReadConnection,
    d: Dialect,
    request: &QueryRequest,
    keys: Option<&PersonKeys>,
    shared: &SharedNiks,
) -> Result<QueryResponse, BbplkError> {
    let stmt = d.backend().build(&statement(d, request)?);
    let what = collection_name(request.collection);
    let pii = request.include_pii;
    let projected = request.fields.is_some() && plans::projects(request.collection);
    let (records, total, next) = match request.collection {
        Collection::TrainingCenters => {
            let (rows, total, next) = fetch::<CenterRow>(db, stmt, what).await?;
            (
                Records::TrainingCenters(rows.into_iter().map(organisations::map_center).collect()),
                total,
                next,
            )
        }
        Collection::Courses => {
            let (rows, total, next) = fetch::<CourseRow>(db, stmt, what).await?;
            (
                Records::Courses(rows.into_iter().map(organisations::map_course).collect()),
                total,
                next,
            )
        }
        Collection::CourseRuns => {
            let (rows, total, next) = fetch::<RunRow>(db, stmt, what).await?;
            (
                Records::CourseRuns(rows.into_iter().map(organisations::map_run).collect()),
                total,
                next,
            )
        }
        Collection::Participants => {
            let (rows, total, next) = fetch::<ParticipantRow>(db, stmt, what).await?;
            let records = rows
                .into_iter()
                .map(|r| people::map_participant(r, pii, keys, shared))
                .map(|p| without_warnings(p, projected, |p| &mut p.warnings));
            (Records::Participants(records.collect()), total, next)
        }
        Collection::Enrollments => {
            let (rows, total, next) = fetch::<EnrollmentRow>(db, stmt, what).await?;
            let records = rows.into_iter().map(people::map_enrollment);
            let records = records.map(|e| without_warnings(e, projected, |e| &mut e.warnings));
            (Records::Enrollments(records.collect()), total, next)
        }
        Collection::Outcomes => {
            let (rows, total, next) = fetch::<OutcomeRow>(db, stmt, what).await?;
            let records = rows.into_iter().map(people::map_outcome);
            let records = records.map(|o| without_warnings(o, projected, |o| &mut o.warnings));
            (Records::Outcomes(records.collect()), total, next)
        }
        Collection::Partnerships => {
            let (rows, total, next) = fetch::<PartnershipRow>(db, stmt, what).await?;
            (
                Records::Partnerships(
                    rows.into_iter()
                        .map(organisations::map_partnership)
                        .collect(),
                ),
                total,
                next,
            )
        }
        Collection::CredentialAwards => {
            let (rows, total, next) = fetch::<AwardRow>(db, stmt, what).await?;
            (
                Records::CredentialAwards(rows.into_iter().map(credentials::map_award).collect()),
                total,
                next,
            )
        }
        Collection::Programs => {
            let (rows, total, next) = fetch::<ProgramRow>(db, stmt, what).await?;
            (
                Records::Programs(rows.into_iter().map(programs::map_program).collect()),
                total,
                next,
            )
        }
    };
    let total_count = match total {
        _ if request.skip_total => 0,
        Some(n) => u64::try_from(n).unwrap_or(0),
        None if request.offset > 0 || request.limit == Some(0) => count(db, d, request).await?,
        None => 0,
    };
    Ok(QueryResponse {
        records,
        total_count,
        next,
    })
}

/// A record mapped from a projected row has no warnings: its columns may be NULL in place of
/// what was not asked for (ABI 1.2: a projection sends none).
fn without_warnings<T>(
    mut record: T,
    projected: bool,
    warnings: impl Fn(&mut T) -> &mut Vec<simpul_schema::DataWarning>,
) -> T {
    if projected {
        warnings(&mut record).clear();
    }
    record
}

/// A row that carries its statement's `COUNT(*) OVER ()`.
trait Counted {
    fn total(&self) -> i64;
}

macro_rules! counted {
    ($($t:ty),+) => {$(
        impl Counted for $t {
            fn total(&self) -> i64 {
                self.total_count
            }
        }
    )+};
}

counted!(
    CenterRow,
    CourseRow,
    RunRow,
    ParticipantRow,
    EnrollmentRow,
    OutcomeRow,
    PartnershipRow,
    AwardRow,
    ProgramRow
);

/// The rows of a statement, decoded; the total of its `COUNT(*) OVER ()`; and the cursor after
/// its last row when the statement projected one ([`CURSOR_COLUMNS`]). SQLite's pages are
/// stepped on the connection's own handle ([`sqlite_pages`]); PostgreSQL's come through sea-orm.
async fn fetch<R: FromQueryResult + FromSqliteRow + Counted + Send + 'static>(
    db: &impl ReadConnection,
    stmt: Statement,
    what: &str,
) -> Result<(Vec<R>, Option<i64>, Option<String>), BbplkError> {
    let (rows, next) = match db.sqlite_pool() {
        Some(pool) => {
            let page = sqlite_pages::fetch::<R>(pool, stmt, &CURSOR_COLUMNS, what).await?;
            (page.rows, page.next)
        }
        None => {
            let results = db
                .query_all(stmt)
                .await
                .map_err(|e| BbplkError::db(what, &e))?;
            let rows = results
                .iter()
                .map(|r| R::from_query_result(r, ""))
                .collect::<Result<Vec<R>, _>>()
                .map_err(|e| BbplkError::db(what, &e))?;
            let mut next = None;
            if let Some(last) = results.last() {
                let names = last.column_names();
                let mut keys = Vec::new();
                for column in CURSOR_COLUMNS
                    .iter()
                    .filter(|c| names.iter().any(|n| n == *c))
                {
                    let key: i64 = last
                        .try_get("", column)
                        .map_err(|e| BbplkError::db(what, &e))?;
                    keys.push(key);
                }
                next = (!keys.is_empty()).then_some(keys);
            }
            (rows, next)
        }
    };
    let total = rows.first().map(Counted::total);
    let next = next.map(|keys| {
        keys.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    Ok((rows, total, next))
}
