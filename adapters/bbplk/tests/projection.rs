//! Projections of participants, enrolments and outcomes (`fields`, ABI 1.2) on both engines:
//! every filter field alone, pairs, none and all, plain and under a filter on another field and
//! a sort, give the same records, order and total as the request without `fields`, with the
//! fields named as they were and no warnings; the others are left empty (the statement did not
//! read them); an order by `personKey` still orders; a name that is not a field is a bad
//! request.

mod common;

use common::{TestDb, Typed};
use simpul_adapter_bbplk::{BbplkError, BbplkSource};
use simpul_schema::filter::Filterable;
use simpul_schema::*;

async fn answer(source: &BbplkSource, request: &QueryRequest) -> (Vec<Participant>, u64) {
    common::fetch::<Participant>(source, request).await
}

/// The request with and without `fields`: the same ids, order and total, the fields named as
/// they were, and the records of the projection; `check` sees each projected record.
async fn same_as<T: Typed>(
    source: &BbplkSource,
    request: &QueryRequest,
    fields: &[&str],
    check: impl Fn(&T),
) {
    let (full, full_total) = common::fetch::<T>(source, request).await;
    let mut projected = request.clone();
    projected.fields = Some(fields.iter().map(|f| (*f).to_owned()).collect());
    let (got, got_total) = common::fetch::<T>(source, &projected).await;
    assert_eq!(got_total, full_total, "{projected:?}");
    let ids = |r: &[T]| r.iter().map(|p| p.id().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&got), ids(&full), "{projected:?}");
    for (a, b) in got.iter().zip(&full) {
        for field in fields {
            assert_eq!(a.field(field), b.field(field), "{field} of {}", a.id());
        }
        check(a);
    }
}

async fn same_on(source: &BbplkSource, request: &QueryRequest, fields: &[&str]) {
    same_as::<Participant>(source, request, fields, |p| {
        assert!(p.warnings.is_empty(), "warnings under a projection");
        assert!(p.is_minor.is_none(), "the first registration was read");
    })
    .await;
}

/// Every filter field of `T` alone, none and all, plain and under `filter` with a sort by
/// `order` and a window.
async fn each_field<T: Typed>(
    source: &BbplkSource,
    filter: Filter,
    order: &str,
    check: impl Fn(&T) + Copy,
) {
    let mut sets: Vec<Vec<&str>> = T::FIELDS.iter().map(|f| vec![*f]).collect();
    sets.push(Vec::new());
    sets.push(T::FIELDS.to_vec());
    for fields in &sets {
        same_as::<T>(source, &QueryRequest::all(T::COLLECTION), fields, check).await;
        let mut shaped = QueryRequest::all(T::COLLECTION);
        shaped.filter = Some(filter.clone());
        shaped.order_by = vec![OrderBy {
            field: order.into(),
            direction: Direction::DescNullsLast,
        }];
        shaped.offset = 2;
        shaped.limit = Some(30);
        same_as::<T>(source, &shaped, fields, check).await;
    }
}

#[tokio::test]
async fn projected_enrollments_and_outcomes_keep_the_fields_named_and_the_rows() {
    // The generated data, and the fixture's edge rows (runs in progress, empty and unknown
    // results, duplicate registrations, merged reports).
    let mut dbs = Vec::from(TestDb::generated(300, 5).await);
    for backend in common::BACKENDS {
        dbs.push(TestDb::new(backend).await);
    }
    for db in dbs {
        let source = db.source().await;
        let scored = Filter::Or(vec![
            Filter::compare("finalScore", CompareOp::Gte, 80),
            Filter::compare("status", CompareOp::Eq, "DROPPED_OUT"),
        ]);
        each_field::<Enrollment>(&source, scored, "registeredOn", |e| {
            assert!(e.warnings.is_empty(), "warnings under a projection");
        })
        .await;
        let employed = Filter::compare(
            "status",
            CompareOp::In,
            Literal::List(vec![
                Literal::Text("EMPLOYED".into()),
                Literal::Text("SELF_EMPLOYED".into()),
            ]),
        );
        each_field::<Outcome>(&source, employed, "observedAt", |o| {
            assert!(o.warnings.is_empty(), "warnings under a projection");
            assert!(
                o.employer_name.is_none() && o.source.is_none(),
                "unnamed columns were read"
            );
        })
        .await;

        // What is not named is not read.
        let mut scores = QueryRequest::all(Collection::Enrollments);
        scores.fields = Some(vec!["finalScore".into()]);
        let (enrollments, _) = common::fetch::<Enrollment>(&source, &scores).await;
        assert!(enrollments.iter().any(|e| e.final_score.is_some()));
        assert!(enrollments.iter().all(|e| e.registered_on.is_none()
            && e.route.is_none()
            && e.attendance_percent.is_none()
            && !e.participant_id.is_empty()
            && !e.course_run_id.is_empty()));
    }
}

#[tokio::test]
async fn projected_participants_keep_the_fields_named_and_the_rows() {
    for db in TestDb::generated(300, 5).await {
        let source = db.source().await;
        let mut sets: Vec<Vec<&str>> = Participant::FIELDS.iter().map(|f| vec![*f]).collect();
        sets.push(vec!["sex", "domicileRegencyCode"]);
        sets.push(vec!["nikValid", "personKey", "birthYear"]);
        sets.push(Vec::new());
        sets.push(Participant::FIELDS.to_vec());
        let laid_off = Filter::compare("employmentStatusAtRegistration", CompareOp::Eq, "LAID_OFF");
        for fields in &sets {
            let plain = QueryRequest::all(Collection::Participants);
            same_on(&source, &plain, fields).await;
            let mut shaped = QueryRequest::all(Collection::Participants);
            shaped.filter = Some(Filter::Or(vec![
                laid_off.clone(),
                Filter::compare("birthYear", CompareOp::Lt, 1985),
            ]));
            shaped.order_by = vec![OrderBy {
                field: "education".into(),
                direction: Direction::DescNullsLast,
            }];
            shaped.offset = 3;
            shaped.limit = Some(40);
            same_on(&source, &shaped, fields).await;
        }

        // What is not named is not read.
        let mut sex_only = QueryRequest::all(Collection::Participants);
        sex_only.fields = Some(vec!["sex".into()]);
        let (people, _) = answer(&source, &sex_only).await;
        assert!(people.iter().any(|p| p.sex.is_some()));
        assert!(people.iter().all(|p| p.birth_year.is_none()
            && p.education.is_none()
            && p.person_key.is_none()
            && p.domicile_regency_code.is_none()));

        // The person key orders even when the projection does not name it.
        let mut by_key = QueryRequest::all(Collection::Participants);
        by_key.order_by = vec![OrderBy {
            field: "personKey".into(),
            direction: Direction::Asc,
        }];
        same_on(&source, &by_key, &["sex"]).await;

        let mut unknown = QueryRequest::all(Collection::Participants);
        unknown.fields = Some(vec!["fullName".into()]);
        assert!(matches!(
            source.query(&unknown).await,
            Err(BbplkError::BadRequest(_))
        ));
    }
}
