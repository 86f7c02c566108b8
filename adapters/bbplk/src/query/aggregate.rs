//! Aggregates: an [`AggregateRequest`] becomes ONE `SELECT … GROUP BY` over the view's rows
//! ([`plans::view`]); the group rows it returns are folded into the answer with
//! [`Accumulator::merge`], which also orders them as the reference does. A large view's rows
//! are cut into key ranges first ([`super::slices`]): then the same statement runs once per
//! range, as many at a time as the cores allow, and all their group rows are folded in.
//!
//! - **Rows and fields** are the list plans': the same joins, the same kept rows, the same
//!   SQL expression per unified field, so a filter means here what it means in a list query
//!   (every operator, the reference null semantics, [`filter::condition`]; a comparison of a
//!   vocabulary or date field with a literal reads the field's column where that is exact, so
//!   the planners see the column's statistics, `filter::sargable`). Enum fields are
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
//! - **Shape**: three levels. The matching rows `r` compute, once per row, the value each
//!   group key reads (`v0`, …) and each measure (`m0`, …); the facts `f` compute the keys from
//!   those columns (`k0`, …: a bucket names its value many times, and over the field's own
//!   expression it would evaluate that expression as often); the outer query groups `f`. The
//!   `LIMIT`s keep the engines from merging the levels back into one. Values from the request
//!   are bound parameters. A slice of a large view ([`super::slices`]) adds a range of the
//!   driving key to the rows' `WHERE`.
//! - **Run conditions**: the filter's conjuncts that read only an enrolment's run (its centre,
//!   course, kejuruan: [`plans::Scope`]) select a set of runs, one subquery over the runs: on
//!   SQLite the rows test their run's membership instead of evaluating the conditions per
//!   registration, on PostgreSQL the latest outcome is computed for the pairs of those runs
//!   only.
//!
//! Enrolments of trainees laid off at registration in runs starting 2023–2024, by province
//! of the run, kejuruan and outcome, with final scores (SQLite, abbreviated):
//!
//! ```sql
//! SELECT "f"."k0" AS "k0", "f"."k1" AS "k1", "f"."k2" AS "k2", COUNT(*) AS "n",
//!        COUNT("f"."m0") AS "c0", SUM("f"."m0") AS "s0", MIN("f"."m0") AS "lo0", MAX("f"."m0") AS "hi0"
//! FROM (SELECT (CASE WHEN instr("r"."v0", '.') = 0 THEN NULLIF("r"."v0", '')
//!                    WHEN instr("r"."v0", '.') > 1 THEN substr("r"."v0", 1, instr("r"."v0", '.') - 1) END) AS "k0",
//!              "r"."v1" AS "k1", "r"."v2" AS "k2", "r"."m0" AS "m0"
//!       FROM (SELECT NULLIF(TRIM("l"."kode_wilayah"), '') AS "v0",
//!                    NULLIF(TRIM("k"."nama_kejuruan"), '') AS "v1",
//!                    (SELECT (CASE NULLIF(TRIM("t"."status_penempatan"), '') WHEN 'Bekerja' THEN 'EMPLOYED' … END)
//!                       FROM "penempatan" AS "t" INNER JOIN "pendaftaran" AS "d3" ON "d3"."id_pendaftaran" = "t"."id_pendaftaran"
//!                      WHERE "d3"."id_angkatan" = "d"."id_angkatan" AND "d3"."id_peserta" = "d"."id_peserta"
//!                      ORDER BY "t"."tgl_lapor" DESC, "t"."id_penempatan" DESC LIMIT ?) AS "v2",
//!                    CAST((CASE WHEN … "d"."nilai_akhir" … BETWEEN 0 AND 100 THEN … END) AS REAL) AS "m0"
//!             FROM "pendaftaran" AS "d"
//!               INNER JOIN "angkatan" AS "a" ON "a"."id_angkatan" = "d"."id_angkatan"
//!               INNER JOIN "lembaga" AS "l" ON … INNER JOIN "program_pelatihan" AS "p" ON …
//!               INNER JOIN "peserta" AS "s" ON "s"."id_peserta" = "d"."id_peserta"
//!               LEFT JOIN "kejuruan" AS "k" ON "k"."id_kejuruan" = "p"."id_kejuruan"
//!            WHERE "d"."id_pendaftaran" < ?   -- the first of eight slices
//!              AND (+"d"."id_angkatan") IN (SELECT "a"."id_angkatan" FROM "angkatan" AS "a" INNER JOIN "lembaga" AS "l" ON …
//!                     INNER JOIN "program_pelatihan" AS "p" ON … LEFT JOIN "kejuruan" AS "k" ON …
//!                   WHERE ("a"."tgl_mulai" >= ? AND (CASE WHEN date("a"."tgl_mulai", '+0 days') = CAST("a"."tgl_mulai" AS TEXT) THEN "a"."tgl_mulai" END) IS NOT NULL)
//!                     AND ("a"."tgl_mulai" < ? AND (CASE WHEN date("a"."tgl_mulai", '+0 days') = CAST("a"."tgl_mulai" AS TEXT) THEN "a"."tgl_mulai" END) IS NOT NULL))
//!              AND ("s"."status_pekerjaan" IN ('Korban PHK') OR TRIM("s"."status_pekerjaan") IN ('Korban PHK'))
//!              AND (NOT EXISTS(SELECT 1 FROM "pendaftaran" AS "d2" WHERE "d2"."id_angkatan" = "a"."id_angkatan"
//!                              AND "d2"."id_peserta" = "s"."id_peserta" AND "d2"."id_pendaftaran" < "d"."id_pendaftaran"))
//!            LIMIT ?) AS "r"
//!       LIMIT ?) AS "f"
//! GROUP BY "f"."k0", "f"."k1", "f"."k2"
//! ```

use sea_orm::sea_query::{Alias, Expr, JoinType, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult};
use simpul_schema::analytics::{
    bucket, Accumulator, AggregateRequest, AggregateResponse, AggregateView, Bucket, Group,
    GroupKey, Summary,
};
use simpul_schema::filter::FieldValue;
use simpul_schema::identity::{Nik, PersonKeys};
use simpul_schema::Filter;

use super::dialect::Dialect;
use super::filter::{self, FieldDef, Kind};
use super::plans::{self, View};
use super::slices::{Parallelism, Slice};
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
/// [`crate::identity`]) over the rows of `slice` of the view's driving key, and how to read its
/// rows. `person_keys`: whether participants have person keys (an identity secret is
/// configured).
///
/// # Errors
/// [`BbplkError::BadRequest`] for an unknown field or measure, or a filter the view cannot
/// evaluate.
pub fn statement(
    d: Dialect,
    request: &AggregateRequest,
    person_keys: bool,
    slice: Slice,
) -> Result<(SelectStatement, Layout), BbplkError> {
    let name = view_name(request.view);
    let view = plans::view(d, request.view);
    // The rows: one column per group key's value and per measure, each computed once per row.
    let mut rows = view.from.clone();
    let rows_alias = Alias::new("r");
    let of_rows = |c: &str| SimpleExpr::from(Expr::col((rows_alias.clone(), Alias::new(c))));
    // The facts: the group keys computed from those columns (a bucket names its value many
    // times, and would otherwise evaluate the field's expression as often), and the measures.
    let mut facts = SelectStatement::new();
    let mut keys = Vec::with_capacity(request.group_by.len());
    let mut columns = Vec::new();
    for (i, key) in request.group_by.iter().enumerate() {
        if !request.view.fields().contains(&key.field.as_str()) {
            return Err(BbplkError::BadRequest(format!(
                "unknown field `{}` for the {name} view",
                key.field
            )));
        }
        let (value, alias) = (format!("v{i}"), format!("k{i}"));
        match key_expr(d, &view, key, person_keys, of_rows(&value)) {
            Some(KeyExpr {
                read,
                key,
                kind,
                then,
            }) => {
                rows.expr_as(read, Alias::new(value));
                facts.expr_as(key, Alias::new(alias.clone()));
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
        let alias = format!("m{j}");
        rows.expr_as(d.real(def.expr.clone()), Alias::new(alias.clone()));
        facts.expr_as(of_rows(&alias), Alias::new(alias));
    }
    if columns.is_empty() && request.measures.is_empty() {
        rows.expr_as(Expr::cust("1"), Alias::new("one"));
        facts.expr_as(Expr::cust("1"), Alias::new("one"));
    }
    // The request's conditions on the run's own fields, as the set of runs they keep (one
    // evaluation per run, see `View::runs`), and the rest of its filter.
    let (runs, rest) = match (&view.runs, &request.filter) {
        (Some(scope), Some(f)) => {
            let (on_runs, rest) = split(f, &|field| scope.fields.contains(&field));
            let runs = match on_runs {
                Some(on_runs) => {
                    let mut runs = scope.from.clone();
                    runs.expr(scope.key.clone()).and_where(filter::condition(
                        d,
                        &view.fields,
                        &on_runs,
                    )?);
                    Some((scope, runs))
                }
                None => None,
            };
            (runs, rest)
        }
        (_, f) => (None, f.clone()),
    };
    // The joins only some fields read, when the request names one of them.
    for lazy in &view.lazy {
        let named = |f: &str| lazy.fields.contains(&f);
        if request.group_by.iter().any(|k| named(&k.field))
            || request.measures.iter().any(|m| named(m))
            || request.filter.as_ref().is_some_and(|f| mentions(f, &named))
        {
            // A slice's kept rows join only rows keyed from the slice's start on.
            let mut joined = lazy.rows.clone();
            if let (Some(key), Some(from)) = (&lazy.from_key, slice.from) {
                joined.and_where(Expr::expr(key.clone()).gte(from));
            }
            // Only the runs the filter keeps: the joined rows of other runs join no kept row
            // (on PostgreSQL the latest outcome then sorts the reports of those runs alone).
            if let (Some(key), Some((_, runs))) = (&lazy.run_key, &runs) {
                joined.and_where(Expr::expr(key.clone()).in_subquery(runs.clone()));
            }
            rows.join_subquery(
                JoinType::LeftJoin,
                joined,
                Alias::new(lazy.alias),
                lazy.on.clone(),
            );
        }
    }
    // The slice first: a range of the driving table's primary key, which both engines read
    // as a range of that index.
    if let Some(range) = plans::driving_key(request.view).and_then(|k| slice.condition(k.expr())) {
        rows.and_where(range);
    }
    // The request's filter next: it is usually cheaper than `keep` (a correlated lookup for
    // enrolments), and SQLite evaluates conditions of one join level in this order. SQLite
    // tests its conditions on run fields as one membership of the row's run in the set of
    // kept runs, computed once, rather than evaluating them for every row (`+` keeps it from
    // reading the rows through the run's index instead of in key order: it would read the
    // table in random order); PostgreSQL filters the runs before hashing them anyway.
    match (d, runs) {
        (Dialect::Sqlite, Some((scope, runs))) => {
            let key = d.sql("+$1", std::slice::from_ref(&scope.row_key));
            rows.and_where(Expr::expr(key).in_subquery(runs));
            if let Some(f) = &rest {
                rows.and_where(filter::condition(d, &view.fields, f)?);
            }
        }
        _ => {
            if let Some(f) = &request.filter {
                rows.and_where(filter::condition(d, &view.fields, f)?);
            }
        }
    }
    if let Some(keep) = &view.keep {
        rows.and_where(keep.clone());
    }
    // LIMITs keep both engines from merging the derived tables into the query above them,
    // which would evaluate each expression once per mention (and SQLite's GROUP BY sorts the
    // rows anyway, so nothing is lost).
    rows.limit(i64::MAX as u64);
    facts
        .from_subquery(rows, rows_alias.clone())
        .limit(i64::MAX as u64);
    let facts_alias = Alias::new("f");
    let column = |c: &str| SimpleExpr::from(Expr::col((facts_alias.clone(), Alias::new(c))));
    let mut select = SelectStatement::new();
    select.from_subquery(facts, facts_alias.clone());
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

/// `filter` as two filters that both hold exactly when it holds: the conjunction of its
/// conjuncts (its `_and`s, through `_not`s) that compare only fields `within` accepts, and the
/// conjunction of the others; `None` for an empty one. Under the reference semantics (a
/// filter holds or does not, NULLs included) `_not` of `_or` is the `_and` of the `_not`s.
fn split(filter: &Filter, within: &dyn Fn(&str) -> bool) -> (Option<Filter>, Option<Filter>) {
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    let mut pending = vec![(filter, true)];
    while let Some((f, positive)) = pending.pop() {
        match (f, positive) {
            (Filter::And(parts), true) | (Filter::Or(parts), false) => {
                pending.extend(parts.iter().rev().map(|part| (part, positive)));
            }
            (Filter::Not(inner), p) => pending.push((inner, !p)),
            (f, p) => {
                let part = if p {
                    f.clone()
                } else {
                    Filter::Not(Box::new(f.clone()))
                };
                let mut names = Vec::new();
                fields(f, &mut names);
                if !names.is_empty()
                    && !names.contains(&None)
                    && names.iter().flatten().all(|n| within(n))
                {
                    inside.push(part);
                } else {
                    outside.push(part);
                }
            }
        }
    }
    let all = |parts: Vec<Filter>| match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(Filter::And(parts)),
    };
    (all(inside), all(outside))
}

/// The fields `filter` compares, `None` for a relation filter.
fn fields<'a>(filter: &'a Filter, out: &mut Vec<Option<&'a str>>) {
    let mut pending = vec![filter];
    while let Some(f) = pending.pop() {
        match f {
            Filter::And(parts) | Filter::Or(parts) => pending.extend(parts),
            Filter::Not(inner) => pending.push(inner),
            Filter::Compare { field, .. } => out.push(Some(field.as_str())),
            Filter::Related { .. } => out.push(None),
        }
    }
}

/// Whether `filter` compares a field `named` accepts.
fn mentions(filter: &Filter, named: &dyn Fn(&str) -> bool) -> bool {
    let mut pending = vec![filter];
    while let Some(f) = pending.pop() {
        match f {
            Filter::And(parts) | Filter::Or(parts) => pending.extend(parts),
            Filter::Not(inner) => pending.push(inner),
            Filter::Compare { field, .. } if named(field) => return true,
            Filter::Compare { .. } | Filter::Related { .. } => {}
        }
    }
    false
}

/// One group key: the value it reads (the field's expression, computed once per row as a
/// column of the rows), the key computed from that column (`value`) in SQL, its decoded kind
/// and what Rust still does; `None` when it is always null.
fn key_expr(
    d: Dialect,
    view: &View,
    key: &GroupKey,
    person_keys: bool,
    value: SimpleExpr,
) -> Option<KeyExpr> {
    let field = |name: &str| view.fields.iter().find(|f| f.name == name);
    if key.field == "personKey" {
        let (valid, nik) = (field("nikValid")?, field("nikKey")?);
        let read = d.sql(
            "(CASE WHEN $1 THEN $2 END)",
            &[valid.expr.clone(), nik.expr.clone()],
        );
        return person_keys.then_some(KeyExpr {
            read,
            key: value,
            kind: Kind::Text,
            then: Then::PersonKey(key.bucket),
        });
    }
    let FieldDef {
        kind, expr: read, ..
    } = field(&key.field)?.clone();
    let expr = value;
    let (key_sql, kind, then) = match (kind, key.bucket) {
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
    };
    Some(KeyExpr {
        read,
        key: key_sql,
        kind,
        then,
    })
}

/// A group key in SQL (see [`key_expr`]).
struct KeyExpr {
    /// What the rows compute once per row.
    read: SimpleExpr,
    /// The key, over the rows' column of `read`.
    key: SimpleExpr,
    /// How the key is decoded.
    kind: Kind,
    /// What Rust still does.
    then: Then,
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

/// Answer an aggregate: one statement per slice of the view (one statement unless the view is
/// large and `parallelism` allows more, see [`super::slices`]), `parallelism.statements` at a
/// time, their group rows merged in slice order.
///
/// # Errors
/// As [`statement`], plus database errors.
pub async fn run(
    db: &DatabaseConnection,
    d: Dialect,
    request: &AggregateRequest,
    keys: Option<&PersonKeys>,
    parallelism: Parallelism,
) -> Result<AggregateResponse, BbplkError> {
    let what = format!("the {} aggregate", view_name(request.view));
    // PostgreSQL's enrolments are one statement, which the planner's own workers share: each
    // slice would build again what every statement hashes (the participants a filter keeps,
    // every registration for the kept-registration rule, the latest outcomes), and one
    // statement was the faster at a million people (2.21-2.28 s against 2.52-2.73 s split in
    // two, quiet). Its participants, which hash nothing, split well (0.62 s against 1.07 s).
    let split = match (d, request.view) {
        (Dialect::Postgres, AggregateView::Enrollments) => None,
        _ => plans::driving_key(request.view),
    };
    let slices = parallelism.slices(db, d, split).await?;
    let mut statements = Vec::with_capacity(slices.len());
    let mut layout = None;
    for slice in slices {
        let (select, this) = statement(d, request, keys.is_some(), slice)?;
        statements.push(d.backend().build(&select));
        layout = Some(this);
    }
    let Some(layout) = layout else {
        return Ok(AggregateResponse::default());
    };
    let parts = if let [one] = statements.as_slice() {
        vec![db
            .query_all(one.clone())
            .await
            .map_err(|e| BbplkError::db(what.as_str(), &e))?]
    } else {
        // At most `statements` at a time, each on its own pooled connection, the next slice
        // started as one finishes; dropping the set (an error, a cancelled call) aborts the
        // others.
        let mut pending = statements.into_iter().enumerate();
        let mut running = tokio::task::JoinSet::new();
        let mut parts: Vec<Option<Vec<QueryResult>>> = (0..pending.len()).map(|_| None).collect();
        let mut start = |running: &mut tokio::task::JoinSet<_>| {
            if let Some((i, statement)) = pending.next() {
                let db = db.clone();
                running.spawn(async move { (i, db.query_all(statement).await) });
            }
        };
        for _ in 0..parallelism.statements.max(1) {
            start(&mut running);
        }
        while let Some(done) = running.join_next().await {
            let (i, rows) = done.map_err(|e| BbplkError::Query {
                what: what.clone(),
                reason: format!("a slice's statement did not finish: {e}"),
            })?;
            parts[i] = Some(rows.map_err(|e| BbplkError::db(what.as_str(), &e))?);
            start(&mut running);
        }
        // Every task reported its slice, or returned an error above.
        parts.into_iter().flatten().collect()
    };
    let mut answer = Accumulator::new(request);
    for row in parts.iter().flatten() {
        let group = layout
            .group(row, keys)
            .map_err(|e| BbplkError::db(what.as_str(), &e))?;
        // Without group keys a statement has one row even when nothing matched.
        if group.count > 0 {
            answer.merge(group);
        }
    }
    Ok(answer.finish())
}
