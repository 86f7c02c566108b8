//! The cursor (`after`/`next`) on both engines: pages resumed from `next` concatenate to the
//! unpaged natural order (integer keys, so past id 9 it is not the text order of `sourceId`),
//! under a filter too and for a two-column natural order; each page seeks on the key
//! (`id > ?`); a cursor the adapter did not make, or one with an `orderBy` or an `offset`, is a
//! bad request.

mod common;

use common::{Backend, TestDb, Typed, BACKENDS};
use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use simpul_adapter_bbplk::query::dialect::Dialect;
use simpul_adapter_bbplk::{BbplkError, BbplkSource};
use simpul_schema::*;

/// Walk `request` by cursor in pages of `size`; the ids in order.
async fn walk<T: Typed>(source: &BbplkSource, request: &QueryRequest, size: u64) -> Vec<String> {
    let mut request = request.clone();
    request.limit = Some(size);
    let mut ids = Vec::new();
    for _ in 0..10_000 {
        let response = source.query(&request).await.expect("a page");
        let page = T::unwrap(response.records).expect("records of the collection");
        let full = page.len() as u64 == size;
        assert_eq!(
            response.next.is_some(),
            !page.is_empty(),
            "`next` comes with every page that is not empty"
        );
        ids.extend(page.iter().map(|r| r.id().to_owned()));
        if !full {
            return ids;
        }
        request.after = response.next;
    }
    panic!("the walk did not end");
}

async fn same_as_unpaged<T: Typed>(source: &BbplkSource, filter: Option<Filter>) {
    let mut request = QueryRequest::all(T::COLLECTION);
    request.filter = filter;
    let (all, _) = common::fetch::<T>(source, &request).await;
    let all: Vec<String> = all.iter().map(|r| r.id().to_owned()).collect();
    for size in [1, 7, 50] {
        assert_eq!(
            walk::<T>(source, &request, size).await,
            all,
            "{:?} by cursor in pages of {size}",
            T::COLLECTION
        );
    }
}

#[tokio::test]
async fn pages_by_cursor_are_the_natural_order() {
    for db in TestDb::generated(300, 11).await {
        let source = db.source().await;
        let people: Vec<Participant> = common::all(&source, false).await;
        assert!(people.len() > 20, "enough people to page");
        same_as_unpaged::<Participant>(&source, None).await;
        same_as_unpaged::<Participant>(
            &source,
            Some(Filter::compare("sex", CompareOp::Eq, "FEMALE")),
        )
        .await;
        same_as_unpaged::<Enrollment>(&source, None).await;
        same_as_unpaged::<Outcome>(&source, None).await;
        // Two columns in the natural order (centre, programme).
        same_as_unpaged::<Course>(&source, None).await;
        same_as_unpaged::<CourseRun>(&source, None).await;
    }
}

#[tokio::test]
async fn a_cursor_seeks_on_the_key() {
    let mut request = QueryRequest::all(Collection::Participants);
    request.limit = Some(10_000);
    request.after = Some("467500".into());
    for backend in BACKENDS {
        let select = simpul_adapter_bbplk::query::statement(
            match backend {
                Backend::Sqlite => Dialect::Sqlite,
                Backend::Postgres => Dialect::Postgres,
            },
            &request,
        )
        .expect("a statement");
        let sql = match backend {
            Backend::Sqlite => select.to_string(SqliteQueryBuilder),
            Backend::Postgres => select.to_string(PostgresQueryBuilder),
        };
        assert!(
            sql.contains(r#""s"."id_peserta" > 467500"#),
            "{backend:?}: {sql}"
        );
    }
}

#[tokio::test]
async fn a_cursor_it_did_not_make_is_a_bad_request() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let forged = [
            "",
            "x",
            "1;DROP TABLE peserta",
            "1,2",
            "99999999999999999999",
            " 1",
        ];
        for after in forged {
            let mut request = QueryRequest::all(Collection::Participants);
            request.limit = Some(5);
            request.after = Some(after.to_owned());
            match source.query(&request).await {
                Err(BbplkError::BadRequest(message)) => {
                    assert!(message.contains("`after`"), "{message}")
                }
                other => panic!("{backend:?} after {after:?}: {other:?}"),
            }
        }
        // One key too few for courses (centre, programme).
        let mut request = QueryRequest::all(Collection::Courses);
        request.after = Some("1".into());
        assert!(matches!(
            source.query(&request).await,
            Err(BbplkError::BadRequest(_))
        ));
        // With an order or an offset a cursor means nothing.
        let mut request = QueryRequest::all(Collection::Participants);
        request.after = Some("1".into());
        request.order_by = vec![OrderBy {
            field: "birthYear".into(),
            direction: Direction::Asc,
        }];
        assert!(matches!(
            source.query(&request).await,
            Err(BbplkError::BadRequest(_))
        ));
        request.order_by.clear();
        request.offset = 2;
        assert!(matches!(
            source.query(&request).await,
            Err(BbplkError::BadRequest(_))
        ));
        // A valid cursor past the end: an empty page, no `next`.
        request.offset = 0;
        request.limit = Some(5);
        request.after = Some(i64::MAX.to_string());
        let response = source.query(&request).await.expect("an empty page");
        assert!(response.records.is_empty() && response.next.is_none());
    }
}
