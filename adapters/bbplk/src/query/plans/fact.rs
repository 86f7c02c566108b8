//! The `enrollments` aggregate view: each kept enrolment joined with its run, the run's course
//! and centre, its participant and its outcome, with the fields of
//! [`EnrollmentFact`](simpul_schema::analytics::EnrollmentFact).
//!
//! Every field is the expression the list plan of its own collection filters on (so the
//! fact's `status` is `Enrollment.status`, its `fundingScheme` is `CourseRun.fundingScheme`,
//! ...), over the same table aliases: the enrolment plan already joins the run `a`, its centre
//! `l`, its programme `p` and the participant `s`. Added here: the course's kejuruan `k` (LEFT
//! JOIN, as the course plan reads it) and the outcome, a correlated subquery that picks the
//! report the outcome plan keeps (with the outcome plan's own `keep`).
//!
//! Related records are never missing in this source: a kept enrolment's run, centre and
//! participant are inner-joined by the enrolment plan itself, and its course is the run's
//! (centre, programme) pair. A run's location is its centre's region code (UNIFIED.md §4), so
//! `regionCode` ("the run's location, else its centre's address") is the run's `regionCode`.
//! List-valued fields hold at most one element here, so their first element is the field.
//!
//! `monthsToOutcome` is [`months_between`](simpul_schema::analytics::months_between) of the
//! run's `endDate` and the day of the outcome's `observedAt`, those fields' own expressions
//! (so an end date the mapping nulls, invalid or before the start, is NULL here too), computed
//! in SQL ([`Dialect::months_between`]) inside the outcome's subquery.

use sea_orm::sea_query::{Alias, Expr, JoinType, Order, SelectStatement, SimpleExpr};

use super::{join, join_kejuruan, organisations, people, LazyJoin, Scope};
use crate::entity::{angkatan as an, kejuruan as kj, pendaftaran as pd, penempatan as pn};
use crate::query::dialect::{col, null, opt_text, select, Dialect};
use crate::query::filter::{FieldDef, Kind};

/// Where each fact field comes from: (fact field, plan, the plan's field).
const SOURCES: &[(&str, Source, &str)] = &[
    ("sourceId", Source::Enrollment, "sourceId"),
    ("status", Source::Enrollment, "status"),
    ("route", Source::Enrollment, "route"),
    ("registeredOn", Source::Enrollment, "registeredOn"),
    ("finalScore", Source::Enrollment, "finalScore"),
    ("attendancePercent", Source::Enrollment, "attendancePercent"),
    ("participantId", Source::Enrollment, "participantId"),
    ("courseRunId", Source::Enrollment, "courseRunId"),
    ("courseId", Source::Run, "courseId"),
    ("trainingCenterId", Source::Run, "trainingCenterId"),
    ("field", Source::Field, ""),
    ("occupationCode", Source::Course, "occupationCode"),
    ("fundingScheme", Source::Run, "fundingScheme"),
    ("regionCode", Source::Run, "regionCode"),
    ("startDate", Source::Run, "startDate"),
    ("fiscalYear", Source::Run, "fiscalYear"),
    ("sex", Source::Participant, "sex"),
    ("birthYear", Source::Participant, "birthYear"),
    (
        "domicileRegencyCode",
        Source::Participant,
        "domicileRegencyCode",
    ),
    (
        "employmentStatusAtRegistration",
        Source::Participant,
        "employmentStatusAtRegistration",
    ),
    ("outcomeStatus", Source::Outcome, "status"),
    ("monthsToOutcome", Source::MonthsToOutcome, ""),
];

#[derive(Debug, Clone, Copy)]
enum Source {
    Enrollment,
    Run,
    Course,
    Participant,
    Outcome,
    /// The course's kejuruan name.
    Field,
    /// Whole months from the run's `endDate` to the day of the outcome's `observedAt`.
    MonthsToOutcome,
}

/// The expression of the field `name` of a plan (NULL if it had none: a unit test checks).
fn pick_from(fields: &[FieldDef], name: &str) -> SimpleExpr {
    fields
        .iter()
        .find(|f| f.name == name)
        .map_or_else(null, |f| f.expr.clone())
}

/// The fields that read the outcome.
const OUTCOME_FIELDS: &[&str] = &["outcomeStatus", "monthsToOutcome"];

/// PostgreSQL's outcome: the latest report of each (batch, trainee) pair, as `t` (with the
/// pair as `pair_angkatan`, `pair_peserta`), `LEFT JOIN`ed to the enrolment's pair: the
/// report [`people::latest_outcome`] picks (`DISTINCT ON` the pair keeps its first report in
/// the same order, latest first), found by one hash join where the correlated subquery ran
/// two index lookups per enrolment, serially above the parallel workers. SQLite, which has no
/// hash join, keeps the correlated subquery.
fn latest_outcomes() -> LazyJoin {
    let mut rows = select();
    rows.distinct_on([
        (Alias::new("d3"), Alias::new("id_angkatan")),
        (Alias::new("d3"), Alias::new("id_peserta")),
    ])
    .expr_as(
        col("d3", pd::Column::IdAngkatan),
        Alias::new("pair_angkatan"),
    )
    .expr_as(col("d3", pd::Column::IdPeserta), Alias::new("pair_peserta"))
    .expr_as(
        col("t", pn::Column::StatusPenempatan),
        Alias::new("status_penempatan"),
    )
    .expr_as(col("t", pn::Column::TglLapor), Alias::new("tgl_lapor"))
    .from_as(pn::Entity, Alias::new("t"));
    join(
        &mut rows,
        JoinType::InnerJoin,
        pd::Entity,
        "d3",
        (
            col("d3", pd::Column::IdPendaftaran),
            col("t", pn::Column::IdPendaftaran),
        ),
    );
    rows.order_by_expr(col("d3", pd::Column::IdAngkatan), Order::Asc)
        .order_by_expr(col("d3", pd::Column::IdPeserta), Order::Asc)
        .order_by_expr(col("t", pn::Column::TglLapor), Order::Desc)
        .order_by_expr(col("t", pn::Column::IdPenempatan), Order::Desc);
    let on = Expr::expr(col("t", Alias::new("pair_angkatan")))
        .eq(col("d", pd::Column::IdAngkatan))
        .and(Expr::expr(col("t", Alias::new("pair_peserta"))).eq(col("d", pd::Column::IdPeserta)));
    LazyJoin {
        fields: OUTCOME_FIELDS,
        alias: "t",
        rows,
        on,
        // A kept enrolment is the lowest registration of its pair, so every registration its
        // reports are filed against has an id at least its own.
        from_key: Some(col("d3", pd::Column::IdPendaftaran)),
        // The pair's run: the view's rows of a pair are rows of its run.
        run_key: Some(col("d3", pd::Column::IdAngkatan)),
    }
}

/// The run of an enrolment: `angkatan a` with its centre `l`, programme `p` and kejuruan `k`
/// (the run plan's tables and the fact's kejuruan join), keyed by `a.id_angkatan`, which is
/// `d.id_angkatan` in the view's rows; its fields are the fact fields read from the run, the
/// course and the kejuruan ([`SOURCES`]), whose expressions read only those tables.
pub fn enrollment_runs(d: Dialect) -> Scope {
    let mut from = organisations::runs(d).from;
    join_kejuruan(&mut from);
    Scope {
        fields: SOURCES
            .iter()
            .filter(|(_, source, _)| matches!(source, Source::Run | Source::Course | Source::Field))
            .map(|&(name, _, _)| name)
            .collect(),
        from,
        key: col("a", an::Column::IdAngkatan),
        row_key: col("d", pd::Column::IdAngkatan),
    }
}

/// `pendaftaran d` with its chain (`a`, `l`, `p`, `s`) and `LEFT JOIN kejuruan k`; the kept
/// registrations (the enrolment plan's rule); the fact fields in `EnrollmentFact::FIELDS`
/// order; the joins some of them read (PostgreSQL's outcome, [`latest_outcomes`]).
pub fn enrollment_facts(
    d: Dialect,
) -> (
    SelectStatement,
    Option<SimpleExpr>,
    Vec<FieldDef>,
    Vec<LazyJoin>,
) {
    let enrollments = people::enrollments(d);
    let runs = organisations::runs(d).fields;
    let courses = organisations::courses(d).fields;
    let participants = people::participants(d, false).fields;
    let outcomes = people::outcomes(d).fields;
    let mut from = enrollments.from;
    join_kejuruan(&mut from);
    let fields = SOURCES
        .iter()
        .map(|&(name, source, of)| {
            let pick = |fields: &[FieldDef]| {
                fields
                    .iter()
                    .find(|f| f.name == of)
                    .map(|f| f.renamed(name))
                    // Unreachable (a unit test checks every source); never a panic in a plugin.
                    .unwrap_or_else(|| FieldDef::new(name, Kind::AlwaysNull, null()))
            };
            match source {
                Source::Enrollment => pick(&enrollments.fields),
                Source::Run => pick(&runs),
                Source::Course => pick(&courses),
                Source::Participant => pick(&participants),
                Source::Outcome => {
                    let status = pick(&outcomes);
                    match d {
                        // Over the joined report `t`, as the outcome plan reads it.
                        Dialect::Postgres => FieldDef::new(name, status.kind, status.expr),
                        Dialect::Sqlite => {
                            FieldDef::new(name, status.kind, people::latest_outcome(status.expr))
                        }
                    }
                }
                Source::Field => FieldDef::new(
                    name,
                    Kind::Text,
                    opt_text(d, col("k", kj::Column::NamaKejuruan)),
                ),
                // Inside the outcome's subquery, where both dates are at hand (the run's
                // through the correlation): one lookup, and NULL without an outcome.
                Source::MonthsToOutcome => {
                    let end = pick_from(&runs, "endDate");
                    let seen = pick_from(&outcomes, "observedAt");
                    let months = d.months_between(end, seen);
                    let months = match d {
                        Dialect::Postgres => months,
                        Dialect::Sqlite => people::latest_outcome(months),
                    };
                    FieldDef::new(name, Kind::Int, months)
                }
            }
        })
        .collect();
    let lazy = match d {
        Dialect::Postgres => vec![latest_outcomes()],
        Dialect::Sqlite => Vec::new(),
    };
    (from, Some(people::kept_after_joins()), fields, lazy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::analytics::EnrollmentFact;

    #[test]
    fn every_fact_field_comes_from_a_plan() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            let (_, keep, fields, _) = enrollment_facts(d);
            assert!(keep.is_some(), "duplicate registrations are merged");
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            assert_eq!(names, EnrollmentFact::FIELDS);
            for f in &fields {
                assert_ne!(f.kind, Kind::AlwaysNull, "{}", f.name);
            }
            let kind = |n: &str| fields.iter().find(|f| f.name == n).map(|f| f.kind);
            assert_eq!(kind("fiscalYear"), Some(Kind::Int));
            assert_eq!(kind("finalScore"), Some(Kind::Float));
            assert_eq!(kind("outcomeStatus"), Some(Kind::Text));
            assert_eq!(kind("monthsToOutcome"), Some(Kind::Int));
            let runs = organisations::runs(d).fields;
            let outcomes = people::outcomes(d).fields;
            assert!(runs
                .iter()
                .any(|f| f.name == "endDate" && f.kind == Kind::Text));
            assert!(outcomes
                .iter()
                .any(|f| f.name == "observedAt" && f.kind == Kind::Text));
        }
    }

    #[test]
    fn the_run_fields_read_only_the_run_tables() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            let (_, _, fields, _) = enrollment_facts(d);
            let scope = enrollment_runs(d);
            assert!(scope.fields.len() >= 8, "{:?}", scope.fields);
            for name in &scope.fields {
                let field = fields
                    .iter()
                    .find(|f| f.name == *name)
                    .expect("a fact field");
                let mut probe = scope.from.clone();
                probe.expr(field.expr.clone());
                let sql = d.backend().build(&probe).sql;
                // Only the run `a`, its centre `l`, programme `p` and kejuruan `k`.
                let aliases: Vec<&str> = sql
                    .match_indices("\"")
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()
                    .chunks(2)
                    .filter(|q| q.len() == 2)
                    .map(|q| &sql[q[0] + 1..q[1]])
                    .filter(|word| sql.contains(&format!("\"{word}\".")))
                    .collect();
                for alias in aliases {
                    assert!(
                        ["a", "l", "p", "k"].contains(&alias),
                        "{name}: {alias} in {sql}"
                    );
                }
            }
            for name in [
                "participantId",
                "sex",
                "outcomeStatus",
                "status",
                "registeredOn",
            ] {
                assert!(!scope.fields.contains(&name), "{name}");
            }
        }
    }
}
