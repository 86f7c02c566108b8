//! Comparisons on vocabulary and date fields read the field's column itself
//! (`filter::sargable`): for every planted cell (edge spaces, empty, unknown labels; invalid,
//! non-text, BC, five-digit and infinite dates) and every operator, both polarities, the rows
//! kept are those the comparison on the field's value keeps, on both engines.

mod common;

use common::{postgres_admin_url, Backend, BACKENDS};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use simpul_adapter_bbplk::mapping::values::{EMPLOYMENT, OUTCOME_STATUS};
use simpul_adapter_bbplk::query::dialect::{col, Dialect};
use simpul_adapter_bbplk::query::filter::{condition, FieldDef};
use simpul_schema::{CompareOp, Filter, Literal};

/// One connection (SQLite in memory, a PostgreSQL session's temp table) holding `x`.
async fn cells(backend: Backend) -> (Dialect, DatabaseConnection) {
    let (d, url) = match backend {
        Backend::Sqlite => (Dialect::Sqlite, "sqlite::memory:".to_owned()),
        Backend::Postgres => (Dialect::Postgres, postgres_admin_url()),
    };
    let mut options = ConnectOptions::new(url);
    options.max_connections(1).min_connections(1);
    let db = Database::connect(options).await.expect("connect");
    let (table, rows) = match backend {
        Backend::Sqlite => (
            "CREATE TABLE x (id BIGINT, c VARCHAR(20), dt DATE)",
            // A DATE column has numeric affinity: 20230101 stays an integer, 2023.5 a real.
            "INSERT INTO x VALUES (1, NULL, NULL), (2, '', '2023-01-01'), (3, '  ', '2022-12-31'), \
             (4, 'Korban PHK', '2024-12-31'), (5, ' Korban PHK ', '2025-01-01'), \
             (6, 'korban phk', '2023-02-30'), (7, 'Bekerja', '2023-1-5'), (8, 'Unknown', 20230101), \
             (9, 'Belum Bekerja', '2023-01-01 10:00:00'), (10, 'Wirausaha', 'abc'), \
             (11, ' ', '0000-01-01'), (12, 'Bekerja ', '9999-12-31'), (13, NULL, 2023.5), \
             (14, 'Korban PHK', X'323032332D30312D3031'), (15, 'x', '')",
        ),
        Backend::Postgres => (
            "CREATE TEMP TABLE x (id BIGINT, c VARCHAR(20), dt DATE)",
            "INSERT INTO x VALUES (1, NULL, NULL), (2, '', '2023-01-01'), (3, '  ', '2022-12-31'), \
             (4, 'Korban PHK', '2024-12-31'), (5, ' Korban PHK ', '2025-01-01'), \
             (6, 'korban phk', '0001-01-01'), (7, 'Bekerja', '9999-12-31'), \
             (8, 'Unknown', '10000-01-01'), (9, 'Belum Bekerja', '2023-06-01 BC'), \
             (10, 'Wirausaha', 'infinity'), (11, ' ', '-infinity'), (12, 'Bekerja ', '20231-01-01'), \
             (13, NULL, '0001-12-31 BC'), (14, 'Korban PHK', '2023-01-02'), (15, 'x', '1999-12-31')",
        ),
    };
    db.execute_unprepared(table).await.expect("table");
    db.execute_unprepared(rows).await.expect("rows");
    (d, db)
}

fn fields(d: Dialect) -> Vec<FieldDef> {
    let c = || col("x", Alias::new("c"));
    let dt = || col("x", Alias::new("dt"));
    let shaped = [
        FieldDef::vocab("employment", d, EMPLOYMENT, c()),
        FieldDef::vocab("outcome", d, OUTCOME_STATUS, c()),
        FieldDef::date("day", d, dt()),
    ];
    let mut all: Vec<FieldDef> = shaped.to_vec();
    // The same values without a shape: compared as values.
    for (f, name) in shaped.iter().zip(["employment0", "outcome0", "day0"]) {
        all.push(FieldDef::new(name, f.kind, f.expr.clone()));
    }
    all
}

fn filters() -> Vec<(&'static str, Filter)> {
    let text = |s: &str| Literal::Text(s.to_owned());
    let mut out = Vec::new();
    let names = [
        "LAID_OFF",
        "EMPLOYED",
        "UNEMPLOYED",
        "OTHER",
        "SEEKING_WORK",
        "NOPE",
        "",
    ];
    for field in ["employment", "outcome"] {
        for name in names {
            for op in [CompareOp::Eq, CompareOp::Neq] {
                out.push((field, Filter::compare(field, op, name)));
            }
        }
        for list in [
            vec![text("LAID_OFF"), text("OTHER")],
            vec![text("NOPE")],
            vec![],
            vec![Literal::Int(3)],
            vec![text("EMPLOYED"), Literal::Int(3), text("SEEKING_WORK")],
        ] {
            for op in [CompareOp::In, CompareOp::Nin] {
                let value = Literal::List(list.clone());
                out.push((
                    field,
                    Filter::Compare {
                        field: field.to_owned(),
                        op,
                        value,
                    },
                ));
            }
        }
    }
    for v in [
        "2023-01-01",
        "2024-12-31",
        "0001-01-01",
        "9999-12-31",
        "2023",
        "2023-02-30",
        "0000-01-01",
        "10000-01-01",
        "2023-1-5",
        "",
    ] {
        for op in [
            CompareOp::Eq,
            CompareOp::Gt,
            CompareOp::Gte,
            CompareOp::Lt,
            CompareOp::Lte,
        ] {
            out.push(("day", Filter::compare("day", op, v)));
        }
    }
    out.push((
        "day",
        Filter::compare("day", CompareOp::Gte, Literal::Int(2023)),
    ));
    out
}

/// `filter` with its field renamed.
fn on(filter: &Filter, field: &str) -> Filter {
    match filter {
        Filter::Compare { op, value, .. } => Filter::Compare {
            field: field.to_owned(),
            op: *op,
            value: value.clone(),
        },
        other => other.clone(),
    }
}

async fn kept(d: Dialect, db: &DatabaseConnection, fields: &[FieldDef], f: &Filter) -> Vec<i64> {
    let mut select = Query::select();
    select
        .expr_as(
            Expr::col((Alias::new("x"), Alias::new("id"))),
            Alias::new("id"),
        )
        .from_as(Alias::new("x"), Alias::new("x"))
        .and_where(condition(d, fields, f).expect("condition"))
        .order_by(Alias::new("id"), sea_orm::sea_query::Order::Asc);
    let rows = db
        .query_all(d.backend().build(&select))
        .await
        .unwrap_or_else(|e| panic!("{d:?} {f:?}: {e}"));
    rows.iter()
        .map(|r| r.try_get::<i64>("", "id").expect("id"))
        .collect()
}

#[tokio::test]
async fn comparisons_on_the_column_keep_the_rows_the_value_keeps() {
    for backend in BACKENDS {
        let (d, db) = cells(backend).await;
        let fields = fields(d);
        let mut checked = 0;
        for (field, filter) in filters() {
            let twin = format!("{field}0");
            for (shaped, value) in [
                (filter.clone(), on(&filter, &twin)),
                (
                    Filter::Not(Box::new(filter.clone())),
                    Filter::Not(Box::new(on(&filter, &twin))),
                ),
                (
                    Filter::Or(vec![
                        filter.clone(),
                        Filter::compare("day", CompareOp::IsNull, true),
                    ]),
                    Filter::Or(vec![
                        on(&filter, &twin),
                        Filter::compare("day0", CompareOp::IsNull, true),
                    ]),
                ),
            ] {
                let (got, want) = (
                    kept(d, &db, &fields, &shaped).await,
                    kept(d, &db, &fields, &value).await,
                );
                assert_eq!(got, want, "{backend:?}: {shaped:?}");
                checked += 1;
            }
        }
        eprintln!("{backend:?}: {checked} comparisons keep the same rows");
    }
}
