//! Aggregates: an [`AggregateRequest`] becomes ONE `SELECT … GROUP BY` over the view's rows
//! ([`plans::view`]); the group rows it returns are folded into the answer with
//! [`Accumulator::merge`], which also orders them as the reference does.
//!
//! - **Rows and fields** are the list plans': the same joins, the same kept rows, the same
//!   SQL expression per unified field, so a filter means here what it means in a list query
//!   (every operator, the reference null semantics, [`filter::condition`]). Enum fields are
//!   already unified names (`CASE`), so source labels that map to one name form one group.
//! - **Group keys** are those expressions, as columns `k0`, `k1`, … that the statement groups
//!   by (NULL is a group of its own on both engines, as in the reference). Numbers and flags
//!   come back as 64-bit integers, texts and ISO dates as text.
//! - **Buckets** are the SQL twins of [`simpul_schema::analytics::bucket`]: `Year` and `Month`
//!   of the ISO date fields by `substr`, `Province` and `Regency` of any text by the position
//!   of its dots. `Year`/`Month` of other texts are grouped by value and coarsened in Rust
//!   with the reference function itself (exact, byte for byte); a bucket on a number or a
//!   flag, like a field this source never fills, is always null.
//! - **`personKey`** (participants) has no SQL expression: filters on it are rewritten to the
//!   NIK by [`crate::identity`]; as a group key the statement groups by the trimmed valid NIK
//!   and each group's NIK becomes its person key in Rust (then merged).
//! - **Measures** are `COUNT(x)`, `SUM(x)`, `MIN(x)`, `MAX(x)` of the value as double
//!   precision; `COUNT(*)` counts the group.
//! - **Shape**: the matching rows are a derived table `f` with one column per key and per
//!   measure, so each expression is computed once per row (an aggregate over an expression
//!   would compute it once per aggregate); its `LIMIT` keeps the engines from merging it into
//!   the grouping query. Values from the request are bound parameters.
//!
//! Enrolments of trainees laid off at registration in runs starting 2023–2024, by province
//! of the run, kejuruan and outcome, with final scores (SQLite, abbreviated):
//!
//! ```sql
//! SELECT "f"."k0" AS "k0", "f"."k1" AS "k1", "f"."k2" AS "k2", COUNT(*) AS "n",
//!        COUNT("f"."m0") AS "c0", SUM("f"."m0") AS "s0", MIN("f"."m0") AS "lo0", MAX("f"."m0") AS "hi0"
//! FROM (SELECT (CASE WHEN instr(NULLIF(TRIM("l"."kode_wilayah"), ''), '.') = 0 THEN …
//!                    WHEN instr(…, '.') > 1 THEN substr(…, 1, instr(…, '.') - 1) END) AS "k0",
//!              NULLIF(TRIM("k"."nama_kejuruan"), '') AS "k1",
//!              (SELECT (CASE NULLIF(TRIM("t"."status_penempatan"), '') WHEN 'Bekerja' THEN 'EMPLOYED' … END)
//!                 FROM "penempatan" AS "t" INNER JOIN "pendaftaran" AS "d3" ON "d3"."id_pendaftaran" = "t"."id_pendaftaran"
//!                WHERE "d3"."id_angkatan" = "d"."id_angkatan" AND "d3"."id_peserta" = "d"."id_peserta"
//!                  AND (NOT EXISTS(SELECT 1 FROM "penempatan" AS "t2" … "t2"."tgl_lapor" > "t"."tgl_lapor" …))
//!                LIMIT ?) AS "k2",
//!              CAST((CASE WHEN … "d"."nilai_akhir" … BETWEEN 0 AND 100 THEN … END) AS REAL) AS "m0"
//!       FROM "pendaftaran" AS "d"
//!         INNER JOIN "angkatan" AS "a" ON "a"."id_angkatan" = "d"."id_angkatan"
//!         INNER JOIN "lembaga" AS "l" ON … INNER JOIN "program_pelatihan" AS "p" ON …
//!         INNER JOIN "peserta" AS "s" ON "s"."id_peserta" = "d"."id_peserta"
//!         LEFT JOIN "kejuruan" AS "k" ON "k"."id_kejuruan" = "p"."id_kejuruan"
//!      WHERE (CASE NULLIF(TRIM("s"."status_pekerjaan"), '') … WHEN 'Korban PHK' THEN 'LAID_OFF' … END) = ?
//!        AND (CASE WHEN date("a"."tgl_mulai", '+0 days') = CAST("a"."tgl_mulai" AS TEXT) THEN "a"."tgl_mulai" END) >= ?
//!        AND (CASE WHEN date("a"."tgl_mulai", '+0 days') = CAST("a"."tgl_mulai" AS TEXT) THEN "a"."tgl_mulai" END) < ?
//!        AND (NOT EXISTS(SELECT 1 FROM "pendaftaran" AS "d2" WHERE "d2"."id_angkatan" = "a"."id_angkatan"
//!                        AND "d2"."id_peserta" = "s"."id_peserta" AND "d2"."id_pendaftaran" < "d"."id_pendaftaran"))
//!      LIMIT ?) AS "f"
//! GROUP BY "f"."k0", "f"."k1", "f"."k2"
//! ```

use sea_orm::sea_query::{Alias, Expr, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult};
use simpul_schema::analytics::{
    bucket, Accumulator, AggregateRequest, AggregateResponse, AggregateView, Bucket, Group,
    GroupKey, Summary,
};
use simpul_schema::filter::FieldValue;
use simpul_schema::identity::{Nik, PersonKeys};

use super::dialect::Dialect;
use super::filter::{self, FieldDef, Kind};
use super::plans::{self, View};
use crate::error::BbplkError;

/// The fields whose values are ISO dates or NULL by construction ([`Dialect::date`]), whose
/// `Year` and `Month` buckets are therefore plain `substr`s.
const ISO_DATES: &[&str] = &["startDate", "endDate", "registeredOn"];

/// The camelCase name of a view (`courseRuns`), for messages.
pub fn view_name(view: AggregateView) -> &'static str {
    match view {
        AggregateView::Enrollments => "enrollments",
        AggregateView::Participants => "participants",
        AggregateView::CourseRuns => "courseRuns",
        AggregateView::Courses => "courses",
        AggregateView::TrainingCenters => "trainingCenters",
    }
}

/// How one group key is read back from a row of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyColumn {
    /// Always null: a field this source never fills, a bucket that cannot read the field's
    /// type, or person keys without an identity secret. Not selected.
    Null,
    /// Column `alias`, decoded as `kind`, then finished by `then`.
    Column {
        /// `k0`, `k1`, ….
        alias: String,
        /// How to decode it (`Bool` arrives as 0/1).
        kind: Kind,
        /// What Rust still does to it.
        then: Then,
    },
}

/// What happens to a decoded key value before it is the group's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Nothing: SQL computed the key.
    Keep,
    /// Coarsen with the reference [`bucket`].
    Bucket(Bucket),
    /// The value is a trimmed valid NIK: its person key, coarsened if asked.
    PersonKey(Option<Bucket>),
}

/// How to read the rows of an aggregate statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// One per group key, in the request's order.
    pub keys: Vec<KeyColumn>,
    /// How many measures (`c<j>`, `s<j>`, `lo<j>`, `hi<j>`).
    pub measures: usize,
}

/// The statement for `request` (already validated, with `personKey` filters rewritten by
/// [`crate::identity`]), and how to read its rows. `person_keys`: whether participants have
/// person keys (an identity secret is configured).
///
/// # Errors
/// [`BbplkError::BadRequest`] for an unknown field or measure, or a filter the view cannot
/// evaluate.
pub fn statement(
    d: Dialect,
    request: &AggregateRequest,
    person_keys: bool,
) -> Result<(SelectStatement, Layout), BbplkError> {
    let name = view_name(request.view);
    let view = plans::view(d, request.view);
    // The rows: one column per group key and per measure, each computed once per row.
    let mut rows = view.from.clone();
    let mut keys = Vec::with_capacity(request.group_by.len());
    let mut columns = Vec::new();
    for (i, key) in request.group_by.iter().enumerate() {
        if !request.view.fields().contains(&key.field.as_str()) {
            return Err(BbplkError::BadRequest(format!(
                "unknown field `{}` for the {name} view",
                key.field
            )));
        }
        let alias = format!("k{i}");
        match key_expr(d, &view, key, person_keys) {
            Some((expr, kind, then)) => {
                rows.expr_as(expr, Alias::new(alias.clone()));
                columns.push(alias.clone());
                keys.push(KeyColumn::Column { alias, kind, then });
            }
            None => keys.push(KeyColumn::Null),
        }
    }
    for (j, measure) in request.measures.iter().enumerate() {
        let def = request
            .view
            .numeric_fields()
            .contains(&measure.as_str())
            .then(|| view.measures.iter().find(|m| m.name == measure))
            .flatten()
            .ok_or_else(|| {
                BbplkError::BadRequest(format!("unknown measure `{measure}` for the {name} view"))
            })?;
        rows.expr_as(d.real(def.expr.clone()), Alias::new(format!("m{j}")));
    }
    if columns.is_empty() && request.measures.is_empty() {
        rows.expr_as(Expr::cust("1"), Alias::new("one"));
    }
    // The request's filter first: it is usually cheaper than `keep` (a correlated lookup for
    // enrolments), and SQLite evaluates conditions of one join level in this order.
    if let Some(f) = &request.filter {
        rows.and_where(filter::condition(d, &view.fields, f)?);
    }
    if let Some(keep) = &view.keep {
        rows.and_where(keep.clone());
    }
    // A LIMIT keeps both engines from merging the rows into the grouping query, which would
    // evaluate a measure once per aggregate over it (and SQLite's GROUP BY sorts the rows
    // anyway, so nothing is lost).
    rows.limit(i64::MAX as u64);
    let facts = Alias::new("f");
    let column = |c: &str| SimpleExpr::from(Expr::col((facts.clone(), Alias::new(c))));
    let mut select = SelectStatement::new();
    select.from_subquery(rows, facts.clone());
    for c in &columns {
        select.expr_as(column(c), Alias::new(c.as_str()));
    }
    select.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
    for j in 0..request.measures.len() {
        let value = column(&format!("m{j}"));
        select
            .expr_as(
                Expr::expr(value.clone()).count(),
                Alias::new(format!("c{j}")),
            )
            .expr_as(Expr::expr(value.clone()).sum(), Alias::new(format!("s{j}")))
            .expr_as(
                Expr::expr(value.clone()).min(),
                Alias::new(format!("lo{j}")),
            )
            .expr_as(Expr::expr(value).max(), Alias::new(format!("hi{j}")));
    }
    select.add_group_by(columns.iter().map(|c| column(c)));
    let layout = Layout {
        keys,
        measures: request.measures.len(),
    };
    Ok((select, layout))
}

/// The SQL of one group key, its decoded kind and what Rust still does; `None` when it is
/// always null.
fn key_expr(
    d: Dialect,
    view: &View,
    key: &GroupKey,
    person_keys: bool,
) -> Option<(SimpleExpr, Kind, Then)> {
    let field = |name: &str| view.fields.iter().find(|f| f.name == name);
    if key.field == "personKey" {
        let (valid, nik) = (field("nikValid")?, field("nikKey")?);
        let expr = d.sql(
            "(CASE WHEN $1 THEN $2 END)",
            &[valid.expr.clone(), nik.expr.clone()],
        );
        return person_keys.then_some((expr, Kind::Text, Then::PersonKey(key.bucket)));
    }
    let FieldDef { kind, expr, .. } = field(&key.field)?.clone();
    Some(match (kind, key.bucket) {
        (Kind::AlwaysNull, _) | (Kind::Int | Kind::Float | Kind::Bool, Some(_)) => return None,
        (Kind::Int, None) => (d.wide(expr), Kind::Int, Then::Keep),
        (Kind::Float, None) => (expr, Kind::Float, Then::Keep),
        (Kind::Bool, None) => (
            d.wide(d.sql("(CASE WHEN $1 THEN 1 WHEN NOT $1 THEN 0 END)", &[expr])),
            Kind::Bool,
            Then::Keep,
        ),
        (Kind::Text, None) => (expr, Kind::Text, Then::Keep),
        (Kind::Text, Some(Bucket::Year)) if ISO_DATES.contains(&key.field.as_str()) => (
            d.wide(d.sql("CAST(substr($1, 1, 4) AS INTEGER)", &[expr])),
            Kind::Int,
            Then::Keep,
        ),
        (Kind::Text, Some(Bucket::Month)) if ISO_DATES.contains(&key.field.as_str()) => (
            d.sql(
                "(CASE WHEN substr($1, 5, 1) = '-' THEN substr($1, 1, 7) END)",
                &[expr],
            ),
            Kind::Text,
            Then::Keep,
        ),
        (Kind::Text, Some(b @ (Bucket::Year | Bucket::Month))) => {
            (expr, Kind::Text, Then::Bucket(b))
        }
        (Kind::Text, Some(Bucket::Province)) => (province(d, expr), Kind::Text, Then::Keep),
        (Kind::Text, Some(Bucket::Regency)) => (regency(d, expr), Kind::Text, Then::Keep),
    })
}

/// The first dot-separated segment of a code (`36` of `36.02.13`), NULL when it is empty:
/// the twin of the reference `Bucket::Province`.
pub fn province(d: Dialect, code: SimpleExpr) -> SimpleExpr {
    let pos = d.strpos();
    d.sql(
        &format!(
            "(CASE WHEN {pos}($1, '.') = 0 THEN NULLIF($1, '') \
             WHEN {pos}($1, '.') > 1 THEN substr($1, 1, {pos}($1, '.') - 1) END)"
        ),
        &[code],
    )
}

/// The first two dot-separated segments of a code (`36.02` of `36.02.13`), NULL unless it has
/// two and neither is empty: the twin of the reference `Bucket::Regency`.
pub fn regency(d: Dialect, code: SimpleExpr) -> SimpleExpr {
    let pos = d.strpos();
    // `rest`: what follows the first dot.
    let rest = format!("substr($1, {pos}($1, '.') + 1)");
    d.sql(
        &format!(
            "(CASE WHEN {pos}($1, '.') > 1 AND length($1) > {pos}($1, '.') \
             AND substr({rest}, 1, 1) <> '.' THEN \
             (CASE WHEN {pos}({rest}, '.') = 0 THEN $1 \
             ELSE substr($1, 1, {pos}($1, '.') + {pos}({rest}, '.') - 1) END) END)"
        ),
        &[code],
    )
}

impl Layout {
    /// One row of the statement as a group.
    ///
    /// # Errors
    /// A column that cannot be decoded.
    pub fn group(&self, row: &QueryResult, keys: Option<&PersonKeys>) -> Result<Group, DbErr> {
        let mut key = Vec::with_capacity(self.keys.len());
        for column in &self.keys {
            key.push(match column {
                KeyColumn::Null => None,
                KeyColumn::Column { alias, kind, then } => {
                    let value = decode(row, alias, *kind)?;
                    match then {
                        Then::Keep => bucket(value, None),
                        Then::Bucket(b) => bucket(value, Some(*b)),
                        Then::PersonKey(b) => {
                            person_key(value, keys).and_then(|k| bucket(FieldValue::Text(k), *b))
                        }
                    }
                }
            });
        }
        let count: i64 = row.try_get("", "n")?;
        let mut measures = Vec::with_capacity(self.measures);
        for j in 0..self.measures {
            let values: Option<i64> = row.try_get("", &format!("c{j}"))?;
            let sum: Option<f64> = row.try_get("", &format!("s{j}"))?;
            measures.push(Summary {
                count: values.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
                sum: sum.unwrap_or(0.0),
                min: row.try_get("", &format!("lo{j}"))?,
                max: row.try_get("", &format!("hi{j}"))?,
            });
        }
        Ok(Group {
            key,
            count: u64::try_from(count).unwrap_or(0),
            measures,
        })
    }
}

fn decode(row: &QueryResult, alias: &str, kind: Kind) -> Result<FieldValue, DbErr> {
    Ok(match kind {
        Kind::Int => row
            .try_get::<Option<i64>>("", alias)?
            .map_or(FieldValue::Null, FieldValue::Int),
        Kind::Bool => row
            .try_get::<Option<i64>>("", alias)?
            .map_or(FieldValue::Null, |b| FieldValue::Bool(b != 0)),
        Kind::Float => row
            .try_get::<Option<f64>>("", alias)?
            .map_or(FieldValue::Null, FieldValue::Float),
        Kind::Text | Kind::AlwaysNull => row
            .try_get::<Option<String>>("", alias)?
            .map_or(FieldValue::Null, FieldValue::Text),
    })
}

/// The person key of a trimmed NIK (one the SQL found valid), as the mapping computes it.
fn person_key(nik: FieldValue, keys: Option<&PersonKeys>) -> Option<String> {
    let FieldValue::Text(nik) = nik else {
        return None;
    };
    Some(keys?.person_key(&Nik::parse(&nik).ok()?))
}

/// Answer an aggregate with one statement.
///
/// # Errors
/// As [`statement`], plus database errors.
pub async fn run(
    db: &DatabaseConnection,
    d: Dialect,
    request: &AggregateRequest,
    keys: Option<&PersonKeys>,
) -> Result<AggregateResponse, BbplkError> {
    let (select, layout) = statement(d, request, keys.is_some())?;
    let what = format!("the {} aggregate", view_name(request.view));
    let rows = db
        .query_all(d.backend().build(&select))
        .await
        .map_err(|e| BbplkError::db(what.as_str(), &e))?;
    let mut answer = Accumulator::new(request);
    for row in &rows {
        let group = layout
            .group(row, keys)
            .map_err(|e| BbplkError::db(what.as_str(), &e))?;
        // Without group keys the statement has one row even when nothing matched.
        if group.count > 0 {
            answer.merge(group);
        }
    }
    Ok(answer.finish())
}
