//! Declared aggregate views against the reference accumulator
//! (`simpul_schema::analytics::Accumulator`) over the adapter's own records, as the engine
//! summarises an adapter that does not declare the view (`gateway/src/engine/aggregate.rs`):
//! the enrolment view joins each enrolment with its run, course, centre, participant and
//! outcome (`EnrollmentFact::join`). Random filters with every operator, group keys with and
//! without buckets, measures.

use std::collections::HashMap;

use rand::seq::IndexedRandom;
use rand::Rng;
use simpul_schema::analytics::{
    Accumulator, AggregateRequest, AggregateResponse, AggregateView, Bucket, EnrollmentFact,
    GroupKey, Related,
};
use simpul_schema::filter::{FieldValue, Filterable};
use simpul_schema::{
    AdapterRequest, CompareOp, Course, CourseRun, Enrollment, Outcome, Participant, TrainingCenter,
};

use super::{brief, Failures, QueryOrOther, Suite};
use crate::generate::{Trees, Values};
use crate::records::Record;
use crate::report::Check;

/// Random requests per declared view.
const REQUESTS: usize = 30;

/// Sums may differ from the reference by rounding (another summation order).
const SUM_TOLERANCE: f64 = 1e-9;

/// Every operator: the engine pushes a declared view's whole filter.
const ALL_OPS: [CompareOp; 12] = [
    CompareOp::Eq,
    CompareOp::Neq,
    CompareOp::Gt,
    CompareOp::Gte,
    CompareOp::Lt,
    CompareOp::Lte,
    CompareOp::In,
    CompareOp::Nin,
    CompareOp::Like,
    CompareOp::Ilike,
    CompareOp::IsNull,
    CompareOp::Prefix,
];

/// A record of a view, seen through its fields.
struct Row(HashMap<&'static str, FieldValue>);

impl Filterable for Row {
    const FIELDS: &'static [&'static str] = &[];
    fn field(&self, name: &str) -> Option<FieldValue> {
        self.0.get(name).cloned()
    }
}

fn rows<T: Filterable>(records: &[T], fields: &[&'static str]) -> Vec<Row> {
    records
        .iter()
        .map(|r| {
            Row(fields
                .iter()
                .filter_map(|f| Some((*f, r.field(f)?)))
                .collect())
        })
        .collect()
}

pub(super) async fn check(suite: &mut Suite) {
    let views = suite.manifest.capabilities.aggregates.clone();
    if views.is_empty() {
        suite.push(Check::skip(
            "aggregates",
            "no aggregate view is declared (the engine summarises the records)",
        ));
        return;
    }
    for view in views {
        let name = format!("aggregate {}", super::name_of(view.collection()));
        match view_rows(suite, view) {
            Ok(rows) => view_check(suite, view, name, &rows).await,
            Err(why) => suite.push(Check::skip(name, why)),
        }
    }
}

/// The view's records, or why they cannot be had in full.
fn view_rows(suite: &Suite, view: AggregateView) -> Result<Vec<Row>, String> {
    fn all<T: Record>(suite: &Suite, needed: bool) -> Result<&[T], String> {
        match suite.records::<T>() {
            Some((records, true)) => Ok(records),
            Some((_, false)) => Err(format!(
                "the bound cut the read of {} short, so there is no reference",
                super::name_of(T::COLLECTION)
            )),
            None if needed => Err(format!(
                "{} could not be listed",
                super::name_of(T::COLLECTION)
            )),
            None => Ok(&[]),
        }
    }
    let fields = view.fields();
    Ok(match view {
        AggregateView::Participants => rows(all::<Participant>(suite, true)?, fields),
        AggregateView::CourseRuns => rows(all::<CourseRun>(suite, true)?, fields),
        AggregateView::Courses => rows(all::<Course>(suite, true)?, fields),
        AggregateView::TrainingCenters => rows(all::<TrainingCenter>(suite, true)?, fields),
        AggregateView::Enrollments => {
            let enrollments = all::<Enrollment>(suite, true)?;
            let by_id = |ids: Vec<&str>| -> HashMap<String, usize> {
                ids.into_iter()
                    .enumerate()
                    .map(|(i, id)| (id.to_owned(), i))
                    .collect()
            };
            let runs = all::<CourseRun>(suite, false)?;
            let courses = all::<Course>(suite, false)?;
            let centers = all::<TrainingCenter>(suite, false)?;
            let people = all::<Participant>(suite, false)?;
            let outcomes = all::<Outcome>(suite, false)?;
            let run_at = by_id(runs.iter().map(|r| r.source_id.as_str()).collect());
            let course_at = by_id(courses.iter().map(|r| r.source_id.as_str()).collect());
            let center_at = by_id(centers.iter().map(|r| r.source_id.as_str()).collect());
            let person_at = by_id(people.iter().map(|r| r.source_id.as_str()).collect());
            // As the engine: the last outcome of an enrolment wins.
            let outcome_of: HashMap<&str, &Outcome> = outcomes
                .iter()
                .map(|o| (o.enrollment_id.as_str(), o))
                .collect();
            let facts: Vec<EnrollmentFact> = enrollments
                .iter()
                .map(|e| {
                    let run = run_at.get(&e.course_run_id).map(|i| &runs[*i]);
                    EnrollmentFact::join(
                        e,
                        Related {
                            run,
                            course: run
                                .and_then(|r| course_at.get(&r.course_id))
                                .map(|i| &courses[*i]),
                            center: run
                                .and_then(|r| center_at.get(&r.training_center_id))
                                .map(|i| &centers[*i]),
                            participant: person_at.get(&e.participant_id).map(|i| &people[*i]),
                            outcome: outcome_of.get(e.source_id.as_str()).copied(),
                        },
                    )
                })
                .collect();
            rows(&facts, fields)
        }
    })
}

async fn view_check(suite: &mut Suite, view: AggregateView, name: String, rows: &[Row]) {
    let fields = view.fields();
    let values = Values::of(rows, fields);
    let mut rng = suite.rng(&name);
    let mut failures = Failures::default();
    let (mut asked, mut grouped) = (0, 0);
    for i in 0..REQUESTS {
        let request = if i == 0 {
            // Everything in one group: the view's size.
            AggregateRequest {
                view,
                filter: None,
                group_by: Vec::new(),
                measures: view
                    .numeric_fields()
                    .iter()
                    .map(|m| (*m).to_owned())
                    .collect(),
            }
        } else {
            let filter = rng.random_bool(0.8).then(|| {
                Trees {
                    rng: &mut rng,
                    fields,
                    values: &values,
                    ops: &ALL_OPS,
                }
                .filter(3)
            });
            let keys = rng.random_range(0..=3);
            let group_by = (0..keys)
                .map(|_| GroupKey {
                    field: (*fields.choose(&mut rng).expect("fields")).to_owned(),
                    bucket: rng.random_bool(0.4).then(|| {
                        *[
                            Bucket::Year,
                            Bucket::Month,
                            Bucket::Province,
                            Bucket::Regency,
                        ]
                        .choose(&mut rng)
                        .expect("buckets")
                    }),
                })
                .collect();
            let measures = view
                .numeric_fields()
                .iter()
                .filter(|_| rng.random_bool(0.6))
                .map(|m| (*m).to_owned())
                .collect();
            AggregateRequest {
                view,
                filter,
                group_by,
                measures,
            }
        };
        if request.validate().is_err() {
            continue;
        }
        let mut totals = Accumulator::new(&request);
        if rows.iter().any(|r| totals.add(r).is_err()) {
            continue;
        }
        let expected = totals.finish();
        let wire = AdapterRequest::Aggregate(request.clone());
        match suite.client.aggregate(&request).await {
            Ok(answer) => {
                asked += 1;
                if let Err(why) = agree(&expected, &answer) {
                    failures.add(
                        format!("{}: {why}", brief(&request)),
                        QueryOrOther::Other(wire),
                    );
                } else if !answer.groups.is_empty() {
                    grouped += 1;
                }
            }
            Err(e) => failures.add(
                format!("{}: the adapter failed: {e}", brief(&request)),
                QueryOrOther::Other(wire),
            ),
        }
    }
    let covered = format!(
        "{asked} requests over {} records (filters with every operator, group keys and buckets, measures), {grouped} with groups",
        rows.len()
    );
    let check = failures.into_check(suite, name, covered);
    suite.push(check);
}

/// Whether two answers agree: the same groups in the same order, the same counts, minima and
/// maxima; sums equal up to rounding.
fn agree(expected: &AggregateResponse, actual: &AggregateResponse) -> Result<(), String> {
    if expected.groups.len() != actual.groups.len() {
        return Err(format!(
            "adapter {} groups, reference {}",
            actual.groups.len(),
            expected.groups.len()
        ));
    }
    for (e, a) in expected.groups.iter().zip(&actual.groups) {
        if e.key != a.key || e.count != a.count || e.measures.len() != a.measures.len() {
            return Err(format!(
                "first difference: the reference's group {} (count {}) is answered as {} (count {})",
                brief(&e.key),
                e.count,
                brief(&a.key),
                a.count
            ));
        }
        for (m, n) in e.measures.iter().zip(&a.measures) {
            let close = (m.sum - n.sum).abs() <= SUM_TOLERANCE * m.sum.abs().max(1.0);
            if m.count != n.count || m.min != n.min || m.max != n.max || !close {
                return Err(format!(
                    "first difference: measures of group {}: reference {}, adapter {}",
                    brief(&e.key),
                    brief(m),
                    brief(n)
                ));
            }
        }
    }
    Ok(())
}
