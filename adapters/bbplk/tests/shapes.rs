//! Filters of extreme shapes (issue 11, part 4) on both engines: an `_or` of 1,000 equalities,
//! `_in` lists of 5,000 values, `_and`/`_or`/`_not` nested 300 deep. Each must answer as the
//! reference semantics do, with SQL that stays small: no parameter per value beyond a short
//! list, no chain of a thousand `OR`s. And errors that the request's shape causes at the
//! database (too many variables, an expression too deep, a statement the server cancels) are
//! never blamed on the source.

mod common;

use common::{fetch, Backend, TestDb, Typed, BACKENDS};
use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_orm::{ConnectionTrait, Database};
use simpul_adapter_bbplk::query::dialect::Dialect;
use simpul_adapter_bbplk::{BbplkError, BbplkSource};
use simpul_schema::analytics::{AggregateRequest, AggregateView};
use simpul_schema::filter;
use simpul_schema::*;

async fn same<T: Typed>(backend: Backend, source: &BbplkSource, records: &[T], f: &Filter) {
    let mut request = QueryRequest::all(T::COLLECTION);
    request.filter = Some(f.clone());
    let expected = filter::apply(records, &request).expect("the reference evaluates it");
    let actual = fetch::<T>(source, &request).await;
    assert_eq!(
        actual,
        expected,
        "{backend:?} {:?} differs from the reference",
        T::COLLECTION
    );
}

fn dialect(backend: Backend) -> Dialect {
    match backend {
        Backend::Sqlite => Dialect::Sqlite,
        Backend::Postgres => Dialect::Postgres,
    }
}

/// The statement's SQL text and its number of bound values.
fn rendered(backend: Backend, request: &QueryRequest) -> (String, usize) {
    let select =
        simpul_adapter_bbplk::query::statement(dialect(backend), request).expect("a statement");
    let (sql, values) = match backend {
        Backend::Sqlite => select.build(SqliteQueryBuilder),
        Backend::Postgres => select.build(PostgresQueryBuilder),
    };
    (sql, values.0.len())
}

fn text_list(items: impl Iterator<Item = String>) -> Literal {
    Literal::List(items.map(Literal::Text).collect())
}

#[tokio::test]
async fn an_or_of_a_thousand_equalities_is_one_in() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let runs: Vec<CourseRun> = common::all(&source, false).await;
        let real: Vec<String> = runs.iter().map(|r| r.code.clone()).collect();
        assert!(real.len() >= 3);
        let terms: Vec<Filter> = (0..1000)
            .map(|i| {
                let code = if i % 97 == 0 {
                    real[i % real.len()].clone()
                } else {
                    format!("X{i}")
                };
                Filter::compare("code", CompareOp::Eq, code)
            })
            .collect();
        let or = Filter::Or(terms.clone());
        same(backend, &source, &runs, &or).await;
        same(backend, &source, &runs, &Filter::Not(Box::new(or.clone()))).await;
        // The same under negation: an `_and` of 1,000 `_neq`.
        let neq = Filter::And(
            terms
                .iter()
                .map(|t| match t {
                    Filter::Compare { field, value, .. } => Filter::Compare {
                        field: field.clone(),
                        op: CompareOp::Neq,
                        value: value.clone(),
                    },
                    other => other.clone(),
                })
                .collect(),
        );
        same(backend, &source, &runs, &neq).await;
        // Mixed with other fields and `_in`s: still the reference's answers.
        let mut mixed = terms.clone();
        mixed.push(Filter::compare("fiscalYear", CompareOp::Eq, 2024_i64));
        mixed.push(Filter::compare(
            "code",
            CompareOp::In,
            text_list(real.iter().take(2).cloned()),
        ));
        same(backend, &source, &runs, &Filter::Or(mixed)).await;
        // 1,000 terms that are no equality: a balanced tree, 10 levels deep, not 1,000.
        let likes: Vec<Filter> = (0..1000)
            .map(|i| Filter::compare("code", CompareOp::Like, format!("%-{}-%", 2000 + i % 40)))
            .collect();
        same(backend, &source, &runs, &Filter::Or(likes.clone())).await;
        let nots = Filter::And(
            likes
                .into_iter()
                .map(|l| Filter::Not(Box::new(l)))
                .collect(),
        );
        same(backend, &source, &runs, &nots).await;

        let mut request = QueryRequest::all(Collection::CourseRuns);
        request.filter = Some(or);
        let (sql, values) = rendered(backend, &request);
        assert!(
            sql.matches(" OR ").count() < 20,
            "{backend:?}: an OR per term: {}",
            &sql[..sql.len().min(3000)]
        );
        assert!(values < 20, "{backend:?}: {values} bound values");
    }
}

#[tokio::test]
async fn in_lists_of_five_thousand_values_bind_one_parameter() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let runs: Vec<CourseRun> = common::all(&source, false).await;
        let real: Vec<String> = runs.iter().map(|r| r.code.clone()).collect();
        let codes = text_list(
            (0..5000)
                .map(|i| format!("N{i}"))
                .chain(real.iter().take(3).cloned()),
        );
        for op in [CompareOp::In, CompareOp::Nin] {
            let f = Filter::compare("code", op, codes.clone());
            same(backend, &source, &runs, &f).await;
            same(backend, &source, &runs, &Filter::Not(Box::new(f.clone()))).await;
            let mut request = QueryRequest::all(Collection::CourseRuns);
            request.filter = Some(f);
            let (_, values) = rendered(backend, &request);
            assert!(values < 20, "{backend:?} {op:?}: {values} bound values");
        }
        // Numbers (integers and fractions mixed, as the reference compares them), a boolean.
        let years = Literal::List(
            (0..5000)
                .map(|i| Literal::Int(1000 + i))
                .chain([Literal::Float(2024.0), Literal::Float(2023.5)])
                .collect(),
        );
        for op in [CompareOp::In, CompareOp::Nin] {
            same(
                backend,
                &source,
                &runs,
                &Filter::compare("fiscalYear", op, years.clone()),
            )
            .await;
        }
        let enrollments: Vec<Enrollment> = common::all(&source, false).await;
        let scores = Literal::List(
            (0..5000)
                .map(|i| Literal::Float(f64::from(i) / 10.0))
                .chain((0..200).map(Literal::Int))
                .collect(),
        );
        for op in [CompareOp::In, CompareOp::Nin] {
            same(
                backend,
                &source,
                &enrollments,
                &Filter::compare("finalScore", op, scores.clone()),
            )
            .await;
        }
        let centers: Vec<TrainingCenter> = common::all(&source, false).await;
        let flags = Literal::List(
            (0..3000)
                .map(|i| Literal::Bool(i % 1000 == 0))
                .chain([Literal::Text("true".into()), Literal::Int(1)])
                .collect(),
        );
        for op in [CompareOp::In, CompareOp::Nin] {
            same(
                backend,
                &source,
                &centers,
                &Filter::compare("active", op, flags.clone()),
            )
            .await;
        }
        // Lookups by 40,000 ids (more than SQLite's 32,766 variables).
        let mut request = QueryRequest::all(Collection::CourseRuns);
        request.ids = Some(
            (0..40_000)
                .map(|i| i.to_string())
                .chain(runs.iter().take(2).map(|r| r.source_id.clone()))
                .collect(),
        );
        let (found, total) = fetch::<CourseRun>(&source, &request).await;
        let expected = filter::apply(&runs, &request).unwrap();
        assert_eq!((found, total), expected, "{backend:?}");
    }
}

/// `depth` levels of `_and`/`_or`/`_not` (as `pick` says) around comparisons on `code`.
fn nested(depth: usize, real: &[String], pick: impl Fn(usize) -> u8) -> Filter {
    let mut f = Filter::compare("code", CompareOp::Neq, "none");
    for level in 0..depth {
        let code = real[level % real.len()].clone();
        f = match pick(level) {
            0 => Filter::And(vec![
                f,
                Filter::compare("code", CompareOp::Neq, format!("{code}-x")),
            ]),
            1 => Filter::Or(vec![f, Filter::compare("code", CompareOp::Eq, code)]),
            _ => Filter::Not(Box::new(f)),
        };
    }
    f
}

#[tokio::test]
async fn filters_nested_300_deep_answer() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let runs: Vec<CourseRun> = common::all(&source, false).await;
        let real: Vec<String> = runs.iter().map(|r| r.code.clone()).collect();
        for (name, f) in [
            ("and", nested(300, &real, |_| 0)),
            ("or", nested(300, &real, |_| 1)),
            ("and-or", nested(300, &real, |l| (l % 2) as u8)),
            ("and-or-not", nested(300, &real, |l| (l % 3) as u8)),
            ("not", nested(301, &real, |_| 2)),
        ] {
            let mut request = QueryRequest::all(Collection::CourseRuns);
            request.filter = Some(f.clone());
            let expected = filter::apply(&runs, &request).expect("the reference evaluates it");
            let actual = fetch::<CourseRun>(&source, &request).await;
            assert_eq!(actual, expected, "{backend:?} {name}");
        }
    }
}

#[tokio::test]
async fn a_large_or_in_an_aggregate_counts_right() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let runs: Vec<CourseRun> = common::all(&source, false).await;
        let real: Vec<String> = runs.iter().map(|r| r.code.clone()).collect();
        let or = Filter::Or(
            (0..1500)
                .map(|i| {
                    let code = if i % 7 == 0 {
                        real[i % real.len()].clone()
                    } else {
                        format!("X{i}")
                    };
                    Filter::compare("code", CompareOp::Eq, code)
                })
                .collect(),
        );
        let mut request = QueryRequest::all(Collection::CourseRuns);
        request.filter = Some(or.clone());
        let (_, expected) = filter::apply(&runs, &request).unwrap();
        let answer = source
            .aggregate(&AggregateRequest {
                view: AggregateView::CourseRuns,
                filter: Some(or),
                group_by: Vec::new(),
                measures: Vec::new(),
            })
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        let count: u64 = answer.groups.iter().map(|g| g.count).sum();
        assert_eq!(count, expected, "{backend:?}");
    }
}

/// Errors the database raises because of a statement's shape are the request's fault
/// (`BAD_REQUEST`); a statement the server cancelled at `statement_timeout` is a timeout
/// (`SOURCE_TIMEOUT`), not the source being broken; the adapter's own broken SQL stays the
/// source's error.
#[tokio::test]
async fn shape_errors_from_the_database_are_bad_requests() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}?mode=ro", db.url),
            Backend::Postgres => db.url.clone(),
        };
        let conn = Database::connect(&url).await.expect("connect");
        let code = |sql: String| {
            let conn = &conn;
            async move {
                let error = conn
                    .execute_unprepared(&sql)
                    .await
                    .expect_err("the database refuses it");
                let mapped = BbplkError::db("courseRuns", &error);
                (mapped.code(), mapped.to_string())
            }
        };
        let shapes: Vec<String> = match backend {
            Backend::Sqlite => vec![
                // More variables than SQLite allows (32,766).
                format!("SELECT 1 WHERE 1 IN ({})", vec!["?"; 40_000].join(", ")),
                // An expression tree deeper than 1,000.
                format!("SELECT 1 WHERE 1 = 1 {}", "OR 1 = 2 ".repeat(1100)),
                format!("SELECT {}1{}", "(1 + ".repeat(3000), ")".repeat(3000)),
                // A LIKE pattern over 50,000 bytes.
                format!("SELECT 'a' LIKE '{}'", "a".repeat(60_000)),
            ],
            Backend::Postgres => vec![
                // Deeper than the server's stack allows (54001).
                format!(
                    "SET max_stack_depth = '100kB'; SELECT {}1{}",
                    "(1 + ".repeat(3000),
                    ")".repeat(3000)
                ),
                // Deeper than the parser's stack allows (42601 `memory exhausted`).
                format!("SELECT {}1{}", "(1 + ".repeat(20_000), ")".repeat(20_000)),
                // More columns than a target list may have (54011).
                format!(
                    "SELECT {}",
                    (0..1700)
                        .map(|i| format!("{i} AS c{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                // A NUL in a JSON text (22P05), in a text (22021).
                "SELECT json_array_elements_text('[\"a\\u0000b\"]')".into(),
                "SELECT convert_from('\\x6100'::bytea, 'UTF8')".into(),
            ],
        };
        for sql in shapes {
            let (code, message) = code(sql.clone()).await;
            assert_eq!(
                code,
                "BAD_REQUEST",
                "{backend:?} {}: {message}",
                &sql[..sql.len().min(80)]
            );
        }
        if backend == Backend::Postgres {
            let _ = conn.execute_unprepared("RESET max_stack_depth").await;
            let (code, message) =
                code("SET statement_timeout = 50; SELECT pg_sleep(2)".into()).await;
            assert_eq!(code, "SOURCE_TIMEOUT", "{message}");
            let _ = conn.execute_unprepared("RESET statement_timeout").await;
        }
        // A broken statement of the adapter's own is still the source's error.
        let (code, message) = code("SELECT no_such_column FROM angkatan".into()).await;
        assert_eq!(code, "SOURCE_ERROR", "{backend:?}: {message}");
        let _ = conn.close().await;
    }
}
