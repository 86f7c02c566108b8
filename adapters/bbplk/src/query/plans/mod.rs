//! One query plan per unified collection: which tables it reads and how they join, which rows
//! it keeps, what it projects for the mapping, the SQL expression of each unified field that
//! filters and sorts see, its key for lookups by id, its natural order, and which source rows
//! it cannot use (for the source status). One [`View`] per aggregate view, built from the
//! same plans (the same field expressions), `enrollments` joining several (`fact.rs`).
//!
//! Table aliases are fixed: `l` lembaga (`lp` its supervisor), `p` program_pelatihan,
//! `k` kejuruan, `a` angkatan, `c` the distinct (lembaga, program) pairs, `s` peserta,
//! `d` pendaftaran, `t` penempatan, `m` kemitraan, `z` sertifikasi, `q` lsp; `*2`, `*3`
//! aliases inside correlated subqueries (`pu` program_unit, `u` unit_kompetensi), `x`/`y` in
//! the queries for rejected rows.

mod credentials;
mod fact;
mod organisations;
mod people;
mod programs;

pub use people::shared_niks;

use sea_orm::sea_query::{Alias, Expr, IntoIden, JoinType, SelectStatement, SimpleExpr};
use simpul_schema::analytics::AggregateView;
use simpul_schema::{Collection, QueryRequest};

use super::dialect::Dialect;
use super::filter::FieldDef;

/// How a collection reads the database.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `FROM` and `JOIN`s; no projection, no `WHERE`.
    pub from: SelectStatement,
    /// Which joined rows become records (duplicates and superseded rows are not).
    pub keep: Option<SimpleExpr>,
    /// `(alias, expression)` pairs the row struct of [`crate::mapping::rows`] decodes.
    pub columns: Vec<(&'static str, SimpleExpr)>,
    /// The unified fields filters and sorts may name.
    pub fields: Vec<FieldDef>,
    /// The local key, for lookups by id.
    pub key: Key,
    /// Sort keys that make the order total (the natural order; also breaks ties).
    pub natural: Vec<SimpleExpr>,
    /// Source rows this collection cannot use, with why.
    pub rejects: Vec<Reject>,
}

/// The local key of a collection's records.
#[derive(Debug, Clone)]
pub enum Key {
    /// A text business key (`kode_angkatan`, `<kode_lembaga>/<kode_program>`).
    Text(SimpleExpr),
    /// An integer surrogate key, exposed as its decimal text (`17`).
    Int(SimpleExpr),
}

/// A query for source rows that cannot become records, projecting `id` and optionally `other`
/// (a related id for the reason).
#[derive(Debug, Clone)]
pub struct Reject {
    /// The source table.
    pub table: &'static str,
    /// Its key column.
    pub id_column: &'static str,
    /// `SELECT … AS id, … AS other`.
    pub query: SelectStatement,
    /// The code (`REFERENCE_NOT_FOUND`, `DUPLICATE_KEY_CONFLICT`, `SUPERSEDED`).
    pub code: &'static str,
    /// Why; `{other}` is replaced by the `other` id.
    pub reason: &'static str,
}

/// The plan of `collection`. Personal columns in clear are projected only with `include_pii`.
pub fn plan(d: Dialect, collection: Collection, include_pii: bool) -> Plan {
    match collection {
        Collection::TrainingCenters => organisations::centers(d),
        Collection::Courses => organisations::courses(d),
        Collection::CourseRuns => organisations::runs(d),
        Collection::Partnerships => organisations::partnerships(d),
        Collection::Participants => people::participants(d, include_pii),
        Collection::Enrollments => people::enrollments(d),
        Collection::Outcomes => people::outcomes(d),
        Collection::CredentialAwards => credentials::awards(d, include_pii),
        Collection::Programs => programs::programs(d),
    }
}

/// Which columns of a collection's plan a request with `fields` reads (ABI 1.2's projection):
/// `always` the keys the mapping needs, and each of `columns` when one of its fields is named;
/// every other column is NULL in the statement.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    /// Columns read whatever the fields.
    pub always: &'static [&'static str],
    /// Columns read for the fields listed with them.
    pub columns: &'static [(&'static str, &'static [&'static str])],
}

/// The collection's [`Projection`], for those that read only the columns a request's `fields`
/// need (the manifest's `projection`): the ones an engine-side summary reads a million rows of,
/// whose columns each serve few fields.
pub fn projection(collection: Collection) -> Option<Projection> {
    match collection {
        Collection::Participants => Some(people::PARTICIPANT_PROJECTION),
        Collection::Enrollments => Some(people::ENROLLMENT_PROJECTION),
        Collection::Outcomes => Some(people::OUTCOME_PROJECTION),
        _ => None,
    }
}

/// Whether the collection projects ([`projection`]).
pub fn projects(collection: Collection) -> bool {
    projection(collection).is_some()
}

/// Whether a statement answering `request` reads the plan's column `alias`: every column
/// unless the request names its `fields` and the collection projects; then only the
/// projection's (see [`Projection`]).
pub fn reads_column(request: &QueryRequest, alias: &str) -> bool {
    match (&request.fields, projection(request.collection)) {
        (Some(_), Some(p)) => {
            p.always.contains(&alias)
                || p.columns.iter().any(|(column, fields)| {
                    *column == alias && fields.iter().any(|f| request.reads(f))
                })
        }
        _ => true,
    }
}

/// What an aggregate view reads: the rows (`from`, `keep`), the fields filters and group keys
/// see, and the numeric expressions measures summarise.
#[derive(Debug, Clone)]
pub struct View {
    /// `FROM` and `JOIN`s.
    pub from: SelectStatement,
    /// Which joined rows are records.
    pub keep: Option<SimpleExpr>,
    /// The view's fields (for participants, `nikKey` in place of `personKey`, as in
    /// [`Plan::fields`]).
    pub fields: Vec<FieldDef>,
    /// The fields of `AggregateView::numeric_fields`, in that order.
    pub measures: Vec<FieldDef>,
    /// Joins some fields read, added to `from` only when a statement names one of them.
    pub lazy: Vec<LazyJoin>,
    /// The runs of the view's rows, when each row has one (enrolments): the conditions of a
    /// request on the run's own fields select a set of runs, which a statement computes once.
    pub runs: Option<Scope>,
}

/// The part of a view's row that one key determines (an enrolment's run: its centre, course
/// and kejuruan): the fields that read only it, and how to read them from the key alone, so
/// that a condition on those fields can be evaluated once per key (`key IN (SELECT …)`)
/// rather than once per row, and can restrict joined rows ([`LazyJoin::run_key`]).
#[derive(Debug, Clone)]
pub struct Scope {
    /// The fields of the view whose values are functions of the key alone.
    pub fields: Vec<&'static str>,
    /// The tables those fields read, under the view's own aliases, one row per key (no
    /// `WHERE`): the same values as in the view's rows of that key.
    pub from: SelectStatement,
    /// The key in `from` (`a.id_angkatan`).
    pub key: SimpleExpr,
    /// The key of a row of the view, as a column of its driving table (`d.id_angkatan`),
    /// equal to `key` in every row of the view.
    pub row_key: SimpleExpr,
}

/// A `LEFT JOIN` that only some fields of a view read (the enrolments' latest outcome on
/// PostgreSQL), matching at most one row per row of the view.
#[derive(Debug, Clone)]
pub struct LazyJoin {
    /// The fields that read it.
    pub fields: &'static [&'static str],
    /// Its alias.
    pub alias: &'static str,
    /// The joined rows.
    pub rows: SelectStatement,
    /// The join condition.
    pub on: SimpleExpr,
    /// A key of the joined rows (inside `rows`) that is at least the driving key
    /// ([`driving_key`]) of every row of the view that is kept and joins them: a slice from
    /// key `k` then needs only the joined rows whose key is at least `k`.
    pub from_key: Option<SimpleExpr>,
    /// A key of the joined rows (inside `rows`) that is the run ([`View::runs`]) of every row
    /// of the view that joins them: the joined rows can then be restricted to the runs the
    /// request's conditions on run fields keep.
    pub run_key: Option<SimpleExpr>,
}

/// The integer key of the table `view`'s rows are driven by (each row of the view has one
/// value of it), by whose ranges a large aggregate is split; `None` for the views that are
/// never large (courses, centres).
pub fn driving_key(view: AggregateView) -> Option<DrivingKey> {
    let key = |table, alias, column| {
        Some(DrivingKey {
            table,
            alias,
            column,
        })
    };
    match view {
        AggregateView::Enrollments => key("pendaftaran", "d", "id_pendaftaran"),
        AggregateView::Participants => key("peserta", "s", "id_peserta"),
        AggregateView::CourseRuns => key("angkatan", "a", "id_angkatan"),
        AggregateView::Courses | AggregateView::TrainingCenters => None,
    }
}

/// An integer primary key of a view's driving table: `alias.column` in the view's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrivingKey {
    /// The table (`pendaftaran`).
    pub table: &'static str,
    /// Its alias in the view (`d`).
    pub alias: &'static str,
    /// The key column (`id_pendaftaran`).
    pub column: &'static str,
}

impl DrivingKey {
    /// The key as the view's rows see it: `"d"."id_pendaftaran"`.
    pub fn expr(&self) -> SimpleExpr {
        Expr::col((Alias::new(self.alias), Alias::new(self.column))).into()
    }

    /// `SELECT MIN(key) AS lo, MAX(key) AS hi FROM table AS alias` (64-bit integers): the key
    /// range, read from the primary key's index alone.
    pub fn range(&self, d: Dialect) -> SelectStatement {
        let mut select = SelectStatement::new();
        select
            .expr_as(d.wide(Expr::expr(self.expr()).min()), Alias::new("lo"))
            .expr_as(d.wide(Expr::expr(self.expr()).max()), Alias::new("hi"))
            .from_as(Alias::new(self.table), Alias::new(self.alias));
        select
    }
}

/// The view `view` reads: a collection's own plan, or the enrolment facts.
pub fn view(d: Dialect, view: AggregateView) -> View {
    let (mut lazy, mut runs) = (Vec::new(), None);
    let (from, keep, fields) = match view {
        AggregateView::Enrollments => {
            let (from, keep, fields, joins) = fact::enrollment_facts(d);
            lazy = joins;
            runs = Some(fact::enrollment_runs(d));
            (from, keep, fields)
        }
        AggregateView::Participants => {
            // Without the plan's join to the NIKs several rows share: only a warning needs it.
            let plan = people::participants(d, false);
            (
                self::from(crate::entity::peserta::Entity, "s"),
                plan.keep,
                plan.fields,
            )
        }
        AggregateView::CourseRuns => {
            let plan = organisations::runs(d);
            (plan.from, plan.keep, plan.fields)
        }
        AggregateView::Courses => {
            let plan = organisations::courses(d);
            (plan.from, plan.keep, plan.fields)
        }
        AggregateView::TrainingCenters => {
            let plan = organisations::centers(d);
            (plan.from, plan.keep, plan.fields)
        }
    };
    let measures = view
        .numeric_fields()
        .iter()
        .filter_map(|name| fields.iter().find(|f| f.name == *name).cloned())
        .collect();
    View {
        from,
        keep,
        fields,
        measures,
        lazy,
        runs,
    }
}

/// `table AS alias`.
fn from(table: impl IntoIden + 'static, alias: &'static str) -> SelectStatement {
    let mut select = SelectStatement::new();
    select.from_as(table, Alias::new(alias));
    select
}

/// Add `[LEFT] JOIN table AS alias ON left_col = right_col`.
fn join(
    select: &mut SelectStatement,
    kind: JoinType,
    table: impl IntoIden + 'static,
    alias: &'static str,
    on: (SimpleExpr, SimpleExpr),
) {
    select.join_as(kind, table, Alias::new(alias), Expr::expr(on.0).eq(on.1));
}

/// Add `LEFT JOIN kejuruan k ON k.id_kejuruan = p.id_kejuruan`: the kejuruan of programme `p`.
fn join_kejuruan(select: &mut SelectStatement) {
    use super::dialect::col;
    use crate::entity::{kejuruan as kj, program_pelatihan as pp};
    join(
        select,
        JoinType::LeftJoin,
        kj::Entity,
        "k",
        (
            col("k", kj::Column::IdKejuruan),
            col("p", pp::Column::IdKejuruan),
        ),
    );
}

/// The plan's `from` plus its `keep` condition.
pub fn kept(plan: &Plan) -> SelectStatement {
    let mut select = plan.from.clone();
    if let Some(keep) = &plan.keep {
        select.and_where(keep.clone());
    }
    select
}

/// `SELECT x.<id> AS id FROM <table> x WHERE x.<id> NOT IN (SELECT <served id> FROM <plan>)`:
/// rows of the driving table whose references do not resolve.
fn orphans(
    d: Dialect,
    table: impl IntoIden + Clone + 'static,
    id: impl IntoIden + Clone + 'static,
    served: &SelectStatement,
    served_id: SimpleExpr,
) -> SelectStatement {
    let mut inner = served.clone();
    inner.expr(served_id);
    let mut outer = SelectStatement::new();
    outer
        .expr_as(
            d.key(Expr::col((Alias::new("x"), id.clone())).into()),
            Alias::new("id"),
        )
        .expr_as(Expr::cust("NULL"), Alias::new("other"))
        .from_as(table, Alias::new("x"))
        .and_where(Expr::col((Alias::new("x"), id)).not_in_subquery(inner));
    outer
}

/// A cell for [`Dialect::mistyped`]: its column name, its raw value and its typed read.
pub fn typed(
    d: Dialect,
    name: &'static str,
    raw: SimpleExpr,
    read: fn(Dialect, SimpleExpr) -> SimpleExpr,
) -> (&'static str, SimpleExpr, SimpleExpr) {
    (name, raw.clone(), read(d, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::filter::Filterable;
    use simpul_schema::{
        Course, CourseRun, CredentialAward, Enrollment, Outcome, Participant, Partnership, Program,
        TrainingCenter,
    };

    #[test]
    fn every_unified_field_has_an_expression() {
        let expected: [(Collection, &[&str]); 9] = [
            (Collection::TrainingCenters, TrainingCenter::FIELDS),
            (Collection::Courses, Course::FIELDS),
            (Collection::CourseRuns, CourseRun::FIELDS),
            (Collection::Participants, Participant::FIELDS),
            (Collection::Enrollments, Enrollment::FIELDS),
            (Collection::Outcomes, Outcome::FIELDS),
            (Collection::Partnerships, Partnership::FIELDS),
            (Collection::CredentialAwards, CredentialAward::FIELDS),
            (Collection::Programs, Program::FIELDS),
        ];
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            for (collection, names) in expected {
                let plan = plan(d, collection, false);
                let have: Vec<&str> = plan.fields.iter().map(|f| f.name).collect();
                // `personKey` is rewritten to `nikKey` before SQL (crate::identity).
                let want: Vec<&str> = names
                    .iter()
                    .map(|n| if *n == "personKey" { "nikKey" } else { n })
                    .collect();
                assert_eq!(have, want, "{collection:?}");
            }
        }
    }
}
