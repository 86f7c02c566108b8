//! Filters, sorts, paging and lookups run as SQL and give exactly the answers of the reference
//! semantics (`simpul_schema::filter::apply` over the same records fetched unfiltered), on
//! SQLite and PostgreSQL; a filtered, sorted, limited query is one statement; what the adapter
//! cannot evaluate is a `BAD_REQUEST`, never a wrong answer.

mod common;

use std::sync::{Arc, Mutex};

use common::{fetch, Backend, TestDb, Typed, BACKENDS};
use simpul_adapter_bbplk::query::statement;
use simpul_adapter_bbplk::{connect, BbplkSource};
use simpul_schema::filter::{self, FieldValue};
use simpul_schema::*;

/// Distinct non-null values of `field` over `records` (list fields flattened), in order.
fn values<T: Typed>(records: &[T], field: &str) -> Vec<FieldValue> {
    let mut out: Vec<FieldValue> = Vec::new();
    for r in records {
        let items = match r.field(field) {
            Some(FieldValue::List(items)) => items,
            Some(FieldValue::Null) | None => Vec::new(),
            Some(v) => vec![v],
        };
        for v in items {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn literal(v: &FieldValue) -> Literal {
    match v {
        FieldValue::Bool(b) => Literal::Bool(*b),
        FieldValue::Int(i) => Literal::Int(*i),
        FieldValue::Float(f) => Literal::Float(*f),
        FieldValue::Text(s) => Literal::Text(s.clone()),
        FieldValue::Null | FieldValue::List(_) => Literal::Text("unused".into()),
    }
}

/// Literals worth comparing `field` with: some present values (first, middle, last), an
/// absent one, numbers between values, and one of the wrong type.
fn literals(vals: &[FieldValue]) -> Vec<Literal> {
    let mut out: Vec<Literal> = Vec::new();
    for i in [0, vals.len() / 2, vals.len().saturating_sub(1)] {
        if let Some(v) = vals.get(i) {
            out.push(literal(v));
        }
    }
    match vals.first() {
        Some(FieldValue::Int(i)) => out.extend([
            Literal::Float(*i as f64 + 0.5),
            Literal::Int(i64::MIN),
            Literal::Text("2023".into()),
        ]),
        Some(FieldValue::Float(f)) => out.extend([
            Literal::Int(*f as i64),
            Literal::Int(100),
            Literal::Bool(true),
        ]),
        Some(FieldValue::Bool(_)) => out.extend([Literal::Bool(false), Literal::Int(1)]),
        _ => out.extend([
            Literal::Text("zzz-absent".into()),
            Literal::Text(String::new()),
            Literal::Int(1),
        ]),
    }
    out
}

/// Text patterns built from the values: prefixes, suffixes, one-character wildcards, case
/// changes, escapes, non-ASCII letters.
fn patterns(vals: &[FieldValue]) -> Vec<String> {
    let mut out = vec![
        "%".to_owned(),
        "%é%".to_owned(),
        "%É%".to_owned(),
        "%\\%%".to_owned(),
        "%\\_%".to_owned(),
        "%_%".to_owned(),
    ];
    for v in vals.iter().take(3) {
        let FieldValue::Text(s) = v else { continue };
        let chars: Vec<char> = s.chars().collect();
        let head: String = chars.iter().take(3).collect();
        let tail: String = chars.iter().rev().take(2).rev().collect();
        out.push(format!("{head}%"));
        out.push(format!("%{tail}"));
        out.push(format!("{}%", head.to_lowercase()));
        out.push(format!("_{}", chars.iter().skip(1).collect::<String>()));
        out.push(s.to_uppercase());
        out.push(s.clone());
    }
    out
}

/// Region-style prefixes: every dotted head of each value, plus half a segment.
fn prefixes(vals: &[FieldValue]) -> Vec<String> {
    let mut out = vec!["".to_owned(), "3".to_owned()];
    for v in vals.iter().take(4) {
        let FieldValue::Text(s) = v else { continue };
        let parts: Vec<&str> = s.split('.').collect();
        for n in 1..=parts.len() {
            out.push(parts[..n].join("."));
        }
        out.push(s.chars().take(4).collect());
    }
    out
}

/// Every filter the matrix tries on one field.
fn filters_for<T: Typed>(records: &[T], field: &str) -> Vec<Filter> {
    let vals = values(records, field);
    let lits = literals(&vals);
    let mut out = Vec::new();
    let ops = [
        CompareOp::Eq,
        CompareOp::Neq,
        CompareOp::Gt,
        CompareOp::Gte,
        CompareOp::Lt,
        CompareOp::Lte,
    ];
    for op in ops {
        for l in &lits {
            out.push(Filter::compare(field, op, l.clone()));
        }
    }
    let some: Vec<Literal> = lits
        .iter()
        .take(2)
        .cloned()
        .chain([Literal::Text("zzz".into())])
        .collect();
    for op in [CompareOp::In, CompareOp::Nin] {
        out.push(Filter::compare(field, op, Literal::List(some.clone())));
        out.push(Filter::compare(field, op, Literal::List(Vec::new())));
        out.push(Filter::compare(
            field,
            op,
            Literal::List(vec![Literal::Bool(true)]),
        ));
    }
    out.push(Filter::compare(field, CompareOp::IsNull, true));
    out.push(Filter::compare(field, CompareOp::IsNull, false));
    let textual = vals.iter().all(|v| matches!(v, FieldValue::Text(_)));
    if textual {
        for p in patterns(&vals) {
            out.push(Filter::compare(field, CompareOp::Like, p.as_str()));
            out.push(Filter::compare(field, CompareOp::Ilike, p.as_str()));
        }
        for p in prefixes(&vals) {
            out.push(Filter::compare(field, CompareOp::Prefix, p.as_str()));
        }
    }
    let negated: Vec<Filter> = out
        .iter()
        .map(|f| Filter::Not(Box::new(f.clone())))
        .collect();
    out.extend(negated);
    out
}

async fn same_answer<T: Typed>(
    backend: Backend,
    source: &BbplkSource,
    records: &[T],
    request: &QueryRequest,
) {
    let expected = filter::apply(records, request)
        .unwrap_or_else(|e| panic!("reference rejects {request:?}: {e}"));
    let actual = fetch::<T>(source, request).await;
    assert_eq!(
        actual,
        expected,
        "{backend:?} {:?} differs for {request:?}",
        T::COLLECTION
    );
}

async fn matrix<T: Typed>(backend: Backend, source: &BbplkSource) -> usize {
    let records: Vec<T> = common::all(source, false).await;
    assert!(!records.is_empty());
    let mut n = 0;
    let mut request = QueryRequest::all(T::COLLECTION);
    let mut all_filters = Vec::new();
    for field in T::FIELDS {
        for f in filters_for(&records, field) {
            request.filter = Some(f.clone());
            same_answer(backend, source, &records, &request).await;
            all_filters.push(f);
            n += 1;
        }
    }
    // Combinations and the empty connectives.
    let mut combos = vec![
        Filter::And(Vec::new()),
        Filter::Or(Vec::new()),
        Filter::Not(Box::new(Filter::And(Vec::new()))),
    ];
    for pair in all_filters.chunks(7).take(40) {
        if let [a, b, .., c] = pair {
            combos.push(Filter::And(vec![a.clone(), b.clone()]));
            combos.push(Filter::Or(vec![
                a.clone(),
                Filter::Not(Box::new(c.clone())),
            ]));
            combos.push(Filter::Not(Box::new(Filter::Or(vec![
                b.clone(),
                c.clone(),
            ]))));
            combos.push(Filter::Not(Box::new(Filter::And(vec![
                a.clone(),
                Filter::Not(Box::new(b.clone())),
            ]))));
        }
    }
    for f in combos {
        request.filter = Some(f);
        same_answer(backend, source, &records, &request).await;
        n += 1;
    }
    // Every field in every direction, then two keys, with and without paging.
    request.filter = None;
    let directions = [
        Direction::Asc,
        Direction::AscNullsFirst,
        Direction::AscNullsLast,
        Direction::Desc,
        Direction::DescNullsFirst,
        Direction::DescNullsLast,
    ];
    // Person keys are opaque hashes with no SQL expression: filtering by them works (through
    // the NIK index), ordering by them is done in memory over the matching rows; both must
    // give the reference's answer.
    for field in T::FIELDS {
        for direction in directions {
            request.order_by = vec![OrderBy {
                field: (*field).to_owned(),
                direction,
            }];
            for (offset, limit) in [
                (0, None),
                (1, Some(3)),
                (0, Some(0)),
                (1000, Some(5)),
                (2, None),
            ] {
                request.offset = offset;
                request.limit = limit;
                same_answer(backend, source, &records, &request).await;
                n += 1;
            }
        }
    }
    for pair in T::FIELDS.windows(2) {
        request.order_by = vec![
            OrderBy {
                field: pair[0].to_owned(),
                direction: Direction::DescNullsLast,
            },
            OrderBy {
                field: pair[1].to_owned(),
                direction: Direction::Asc,
            },
        ];
        request.offset = 1;
        request.limit = Some(4);
        request.filter = Some(Filter::compare(pair[1], CompareOp::IsNull, false));
        same_answer(backend, source, &records, &request).await;
        n += 1;
    }
    // Lookups by id, alone and with a filter.
    let first = records[0].id().to_owned();
    let last = records[records.len() - 1].id().to_owned();
    for ids in [
        vec![first.clone()],
        vec![last.clone(), first.clone(), "nope".into()],
        Vec::new(),
        vec![format!("0{first}")],
    ] {
        let mut lookup = QueryRequest::all(T::COLLECTION);
        lookup.ids = Some(ids);
        same_answer(backend, source, &records, &lookup).await;
        lookup.filter = Some(Filter::compare("sourceId", CompareOp::Neq, first.as_str()));
        same_answer(backend, source, &records, &lookup).await;
        n += 2;
    }
    n
}

#[tokio::test]
async fn sql_answers_equal_the_reference_semantics() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let mut n = 0;
        n += matrix::<TrainingCenter>(backend, &source).await;
        n += matrix::<Course>(backend, &source).await;
        n += matrix::<CourseRun>(backend, &source).await;
        n += matrix::<Participant>(backend, &source).await;
        n += matrix::<Enrollment>(backend, &source).await;
        n += matrix::<Outcome>(backend, &source).await;
        n += matrix::<Partnership>(backend, &source).await;
        n += matrix::<CredentialAward>(backend, &source).await;
        n += matrix::<Program>(backend, &source).await;
        assert!(n > 2000, "{backend:?}: only {n} queries");
        eprintln!("{backend:?}: {n} queries agree with the reference semantics");
    }
}

async fn count(source: &BbplkSource, op: CompareOp, pattern: &str) -> u64 {
    let mut r = QueryRequest::all(Collection::TrainingCenters);
    r.filter = Some(Filter::compare("name", op, pattern));
    fetch::<TrainingCenter>(source, &r).await.1
}

#[tokio::test]
async fn text_order_is_code_point_order_and_like_is_case_sensitive() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let mut request = QueryRequest::all(Collection::TrainingCenters);
        request.order_by = vec![OrderBy {
            field: "name".into(),
            direction: Direction::Asc,
        }];
        let (centers, _) = fetch::<TrainingCenter>(&source, &request).await;
        let names: Vec<&str> = centers.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "BBPLK Contoh Bekasi (fiktif)",
                "BBPLK Contoh Serang (fiktif)",
                "BLK Komunitas Café Cisoka (fiktif)",
                "UPTD BLK Contoh Lebak (fiktif)",
                "lembaga pelatihan kerja swasta (fiktif)",
            ],
            "{backend:?}: upper case before lower case, whatever the database collation"
        );
        assert_eq!(
            count(&source, CompareOp::Like, "bbplk%").await,
            0,
            "{backend:?}"
        );
        assert_eq!(count(&source, CompareOp::Like, "BBPLK%").await, 2);
        assert_eq!(count(&source, CompareOp::Ilike, "bbplk%").await, 2);
        assert_eq!(count(&source, CompareOp::Like, "%CAFÉ%").await, 0);
        assert_eq!(
            count(&source, CompareOp::Ilike, "%CAFÉ%").await,
            1,
            "{backend:?}: É folds to é"
        );
        assert_eq!(
            count(&source, CompareOp::Gt, "a").await,
            1,
            "only the lower-case name sorts after `a`"
        );
        let mut runs = QueryRequest::all(Collection::CourseRuns);
        runs.filter = Some(Filter::compare("regionCode", CompareOp::Prefix, "36.0"));
        assert_eq!(
            fetch::<CourseRun>(&source, &runs).await.1,
            0,
            "prefixes respect segments"
        );
        runs.filter = Some(Filter::compare("regionCode", CompareOp::Prefix, "36"));
        assert_eq!(fetch::<CourseRun>(&source, &runs).await.1, 4);
    }
}

#[tokio::test]
async fn a_filtered_sorted_limited_query_is_one_statement() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let mut conn = connect(&db.config()).await.expect("connect");
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = Arc::clone(&log);
        conn.set_metric_callback(move |info| {
            sink.lock().unwrap().push(info.statement.sql.clone());
        });
        let source = BbplkSource::new(conn).expect("source");
        let mut request = QueryRequest::all(Collection::CourseRuns);
        request.filter = Some(Filter::And(vec![
            Filter::compare("fiscalYear", CompareOp::Gte, 2023_i64),
            Filter::compare("regionCode", CompareOp::Prefix, "32"),
            Filter::Not(Box::new(Filter::compare(
                "status",
                CompareOp::Eq,
                "CANCELLED",
            ))),
        ]));
        request.order_by = vec![OrderBy {
            field: "startDate".into(),
            direction: Direction::Desc,
        }];
        request.offset = 1;
        request.limit = Some(2);
        let (page, total) = fetch::<CourseRun>(&source, &request).await;
        // sea-orm sees PostgreSQL's statements; SQLite's pages are stepped on the connection's
        // own handle (`query::sqlite_pages`), one statement per page, which sea-orm never sees.
        let statements = log.lock().unwrap().clone();
        let stepped = match backend {
            Backend::Sqlite => {
                let d = source.dialect();
                vec![d.backend().build(&statement(d, &request).unwrap()).sql]
            }
            Backend::Postgres => vec![],
        };
        assert_eq!(
            statements.len() + stepped.len(),
            1,
            "{backend:?}: {statements:#?}"
        );
        let sql = &statements.iter().chain(&stepped).next().unwrap();
        for clause in [
            "SELECT",
            " WHERE ",
            " ORDER BY ",
            " LIMIT ",
            " OFFSET ",
            "COUNT(*) OVER ()",
        ] {
            assert!(sql.contains(clause), "{backend:?}: no `{clause}` in {sql}");
        }
        assert!(sql.contains("NULLS FIRST"), "{sql}");
        if backend == Backend::Postgres {
            assert!(sql.contains("COLLATE \"C\""), "{sql}");
        }
        eprintln!("{backend:?}: {sql}");
        let codes: Vec<&str> = page.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            ["BKS-TIK-2024-01", "BKS-TPD-2023-JKP1"],
            "{backend:?}"
        );
        assert_eq!(total, 4, "total before paging, from the same statement");
    }
}

#[tokio::test]
async fn what_cannot_be_evaluated_is_a_bad_request() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let bad = [
            (
                Collection::CourseRuns,
                Some(Filter::compare("instructor", CompareOp::Eq, "x")),
                None,
            ),
            (
                Collection::CourseRuns,
                Some(Filter::compare("fiscalYear", CompareOp::Like, "20%")),
                None,
            ),
            (
                Collection::CourseRuns,
                Some(Filter::compare("fiscalYear", CompareOp::Prefix, "20")),
                None,
            ),
            (
                Collection::TrainingCenters,
                Some(Filter::compare("active", CompareOp::Ilike, "t%")),
                None,
            ),
            (
                Collection::CourseRuns,
                Some(Filter::compare("code", CompareOp::IsNull, "yes")),
                None,
            ),
            (
                Collection::CourseRuns,
                Some(Filter::compare("code", CompareOp::In, "x")),
                None,
            ),
            (
                Collection::CourseRuns,
                Some(Filter::compare(
                    "code",
                    CompareOp::Eq,
                    Literal::List(vec![]),
                )),
                None,
            ),
            (
                Collection::Participants,
                Some(Filter::compare("nik", CompareOp::Eq, "3216065505909501")),
                None,
            ),
            (Collection::Participants, None, Some("fullName")),
        ];
        for (collection, filter, order) in bad {
            let mut request = QueryRequest::all(collection);
            request.filter = filter.clone();
            request.order_by = order
                .map(|f| {
                    vec![OrderBy {
                        field: f.into(),
                        direction: Direction::Asc,
                    }]
                })
                .unwrap_or_default();
            let error = source.query(&request).await.expect_err("must be refused");
            assert_eq!(
                error.code(),
                "BAD_REQUEST",
                "{backend:?} {filter:?}: {error}"
            );
            assert!(!error.to_string().contains("3216065505909501"));
        }
    }
}

#[tokio::test]
async fn totals_survive_empty_pages() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let mut request = QueryRequest::all(Collection::Enrollments);
        request.offset = 500;
        request.limit = Some(10);
        let (page, total) = fetch::<Enrollment>(&source, &request).await;
        assert!(page.is_empty());
        assert_eq!(total, 25, "{backend:?}");
        request.offset = 0;
        request.limit = Some(0);
        assert_eq!(fetch::<Enrollment>(&source, &request).await.1, 25);
        request.limit = Some(u64::MAX);
        request.offset = u64::MAX;
        assert_eq!(
            fetch::<Enrollment>(&source, &request).await,
            (Vec::new(), 25)
        );
    }
}

/// `enrollmentId` (an outcome's or award's kept enrolment: the lowest registration of its
/// (batch, trainee) pair) is narrowed to the pairs of the keys asked for before it is compared
/// (`Shape::Key`): the answers stay the reference's for the exact keys, a pair's duplicate
/// registrations (25 and 27 of pair 3 in the fixture), spellings that are not the key's text
/// (`03`, ` 3`, `+3`), keys past `i64`, and both polarities.
#[tokio::test]
async fn an_enrollment_key_matches_its_exact_text_only() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let outcomes: Vec<Outcome> = common::all(&source, false).await;
        let awards: Vec<CredentialAward> = common::all(&source, false).await;
        let mut keys: Vec<String> = outcomes
            .iter()
            .map(|o| o.enrollment_id.clone())
            .chain(awards.iter().filter_map(|a| a.enrollment_id.clone()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert!(
            keys.iter().any(|k| k == "3"),
            "the fixture's duplicated pair"
        );
        let mut odd: Vec<String> = ["25", "27", "99999999999999999999", "-0", ""]
            .map(str::to_owned)
            .to_vec();
        for k in &keys {
            odd.extend([format!("0{k}"), format!(" {k}"), format!("+{k}")]);
        }
        let text = |v: &[String]| Literal::List(v.iter().cloned().map(Literal::Text).collect());
        let mut filters = Vec::new();
        for k in keys.iter().chain(&odd) {
            filters.push(Filter::compare("enrollmentId", CompareOp::Eq, k.as_str()));
        }
        let first_and_odd: Vec<String> = keys.iter().take(1).chain(&odd).cloned().collect();
        for list in [keys.clone(), odd.clone(), first_and_odd] {
            filters.push(Filter::compare("enrollmentId", CompareOp::In, text(&list)));
        }
        let negated: Vec<Filter> = filters
            .iter()
            .map(|f| Filter::Not(Box::new(f.clone())))
            .collect();
        filters.extend(negated);
        for f in filters {
            let mut request = QueryRequest::all(Collection::Outcomes);
            request.filter = Some(f.clone());
            same_answer(backend, &source, &outcomes, &request).await;
            request.collection = Collection::CredentialAwards;
            same_answer(backend, &source, &awards, &request).await;
        }
    }
}

/// A long `enrollmentId` list (a direct caller's, beyond the engine's batches of 10,000) is
/// answered as before the narrowing, which would bind every key twice and pass SQLite's 32,766
/// variables: narrowed up to 10,000 keys, compared on the field beyond.
#[tokio::test]
async fn a_long_enrollment_key_list_is_still_answered() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let outcomes: Vec<Outcome> = common::all(&source, false).await;
        let mut keys: Vec<Literal> = (1..=20_000).map(|k| Literal::Text(k.to_string())).collect();
        keys.extend(
            outcomes
                .iter()
                .map(|o| Literal::Text(o.enrollment_id.clone())),
        );
        let mut request = QueryRequest::all(Collection::Outcomes);
        request.filter = Some(Filter::compare(
            "enrollmentId",
            CompareOp::In,
            Literal::List(keys),
        ));
        same_answer(backend, &source, &outcomes, &request).await;
    }
}
