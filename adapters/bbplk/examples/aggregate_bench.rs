//! Wall time of two realistic group-bys pushed down to SQL, over a BBPLK database (the
//! README's figures come from the 1,000,000-person sample):
//!
//! ```sh
//! cargo build --release -p simpul-sample-data
//! target/release/simpul-sample-data --participants 1000000 --out /tmp/simpul-1m --quiet
//! cargo build --release -p simpul-adapter-bbplk --example aggregate_bench
//! /usr/bin/time -v target/release/examples/aggregate_bench --db /tmp/simpul-1m/bbplk/bbplk.sqlite
//! ```
//!
//! On the 2-vCPU development VM (SQLite file of 467,500 `peserta`, 490,588 `pendaftaran`,
//! release build, quiet machine, best of 5): the enrolment group-by 0.71 s split in two
//! statements (the default here: one per core), 0.84 s as one (`--parallelism 1`; 126,505
//! matching enrolments, 56 groups); the participants group-by 0.36 s split, 0.66 s as one
//! (467,500 rows, 14 groups); peak RSS 12 MB. Most of the time is SQLite evaluating the
//! unified-value expressions per row, the joins and the `GROUP BY` sort.
//!
//! `--db` takes what the adapter's `url` setting takes (a SQLite path, `sqlite://…`,
//! `postgres://…`); `--runs N` repeats each query (default 3) and reports the first run and
//! the fastest; `--sql` prints each statement with its values inlined (for `EXPLAIN`); `--plan`
//! prints the engine's plan of the unsplit statement, asked through the adapter's own
//! connection (on SQLite the bundled library's planner, not the `sqlite3` shell's: `EXPLAIN
//! QUERY PLAN`; on PostgreSQL `EXPLAIN (ANALYZE)`, which runs it);
//! `--only enrollments|participants` runs one of the two; `--parallelism N` sets the adapter's
//! `aggregate_parallelism` (default 0: one statement per core; 1: one statement); `--answers`
//! prints every group of the answer, sorted by key, with each measure's count, sum (to 6
//! decimals: a different summation order may change the last bits), minimum and maximum, so
//! that two builds' answers can be compared with `diff`; `--pages N` instead reads the first N
//! pages of 10,000 participants as the engine's scan asks for them (`aggregate_pushdown =
//! false`: by cursor, no totals, no personal data) and prints the adapter's time per page:
//! statement, decoding and mapping, without the plugin boundary; with `--fields a,b` the pages
//! are projected to those fields, as the engine asks for a summary's (ABI 1.2). Each run is one `AggregateRequest`,
//! answered by one SQL statement per slice of the view.

use std::time::{Duration, Instant};

use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_orm::{ConnectionTrait, Statement};
use simpul_adapter_bbplk::query::aggregate::statement;
use simpul_adapter_bbplk::query::dialect::Dialect;
use simpul_adapter_bbplk::query::slices::{Parallelism, Slice};
use simpul_adapter_bbplk::{BbplkConfig, BbplkSource};
use simpul_schema::analytics::{AggregateRequest, AggregateView, Bucket, GroupKey};
use simpul_schema::{Collection, CompareOp, Filter, Literal, QueryRequest};

/// Enrolments of trainees laid off at registration, in runs starting in 2023–2024, by
/// province of the run, kejuruan and outcome, with scores and attendance.
fn laid_off_outcomes() -> AggregateRequest {
    AggregateRequest {
        view: AggregateView::Enrollments,
        filter: Some(Filter::And(vec![
            Filter::compare("employmentStatusAtRegistration", CompareOp::Eq, "LAID_OFF"),
            Filter::compare("startDate", CompareOp::Gte, "2023-01-01"),
            Filter::compare("startDate", CompareOp::Lt, "2025-01-01"),
        ])),
        group_by: vec![
            GroupKey::bucketed("regionCode", Bucket::Province),
            GroupKey::field("field"),
            GroupKey::field("outcomeStatus"),
        ],
        measures: vec!["finalScore".into(), "attendancePercent".into()],
    }
}

/// Every participant by sex and regency of domicile (the gateway's `domicileRegency` key: the
/// regency bucket of the code), with birth years.
fn participants_by_sex_and_regency() -> AggregateRequest {
    AggregateRequest {
        view: AggregateView::Participants,
        filter: None,
        group_by: vec![
            GroupKey::field("sex"),
            GroupKey::bucketed("domicileRegencyCode", Bucket::Regency),
        ],
        measures: vec!["birthYear".into()],
    }
}

fn key_text(key: &[Option<Literal>]) -> String {
    key.iter()
        .map(|k| match k {
            None => "null".to_owned(),
            Some(Literal::Text(t)) => t.clone(),
            Some(Literal::Int(i)) => i.to_string(),
            Some(other) => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join(" × ")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut db, mut runs, mut sql, mut only, mut parallelism) = (None, 3_usize, false, None, 0);
    let (mut answers, mut plan, mut pages, mut fields) = (false, false, 0_usize, None);
    let usage = "usage: aggregate_bench --db <sqlite file or URL> [--runs N] [--sql] \
                 [--only VIEW] [--parallelism N] [--answers] [--plan] [--pages N [--fields a,b]]";
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next(),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--sql" => sql = true,
            "--answers" => answers = true,
            "--plan" => plan = true,
            "--pages" => pages = args.next().and_then(|n| n.parse().ok()).ok_or(usage)?,
            "--fields" => {
                let list = args.next().ok_or(usage)?;
                fields = Some(list.split(',').map(str::to_owned).collect::<Vec<_>>());
            }
            "--only" => only = args.next(),
            "--parallelism" => {
                parallelism = args.next().and_then(|n| n.parse().ok()).ok_or(usage)?;
            }
            _ => return Err(format!("unknown argument `{arg}`; {usage}").into()),
        }
    }
    let db = db.ok_or(usage)?;
    let started = Instant::now();
    let mut config = BbplkConfig::new(db);
    config.aggregate_parallelism = parallelism;
    let source = BbplkSource::connect(&config).await?;
    println!(
        "connected in {:.3} s; up to {:?}",
        started.elapsed().as_secs_f64(),
        Parallelism::of(&config)
    );
    if pages > 0 {
        let mut request = QueryRequest::all(Collection::Participants);
        request.limit = Some(10_000);
        request.skip_total = true;
        request.fields = fields;
        let (mut total, mut records) = (Duration::ZERO, 0);
        for page in 0..pages {
            let t = Instant::now();
            let answer = source.query(&request).await?;
            let took = t.elapsed();
            total += took;
            records += answer.records.len();
            println!(
                "page {page}: {} records in {:.3} s",
                answer.records.len(),
                took.as_secs_f64()
            );
            match answer.next {
                Some(next) => request.after = Some(next),
                None => break,
            }
        }
        println!("{records} participants in {:.3} s", total.as_secs_f64());
        return Ok(());
    }
    for (name, request) in [
        (
            "enrollments: LAID_OFF, runs 2023–2024, by province × field × outcomeStatus",
            laid_off_outcomes(),
        ),
        (
            "participants: by sex × domicileRegencyCode",
            participants_by_sex_and_regency(),
        ),
    ] {
        if only.as_deref().is_some_and(|v| !name.starts_with(v)) {
            continue;
        }
        if sql {
            let d = source.dialect();
            let (select, _) = statement(d, &request, false, Slice::ALL)?;
            let text = match d {
                Dialect::Sqlite => select.to_string(SqliteQueryBuilder),
                Dialect::Postgres => select.to_string(PostgresQueryBuilder),
            };
            println!("{text};");
        }
        if plan {
            let d = source.dialect();
            let (select, _) = statement(d, &request, false, Slice::ALL)?;
            let built = d.backend().build(&select);
            let explain = match d {
                Dialect::Sqlite => "EXPLAIN QUERY PLAN ",
                Dialect::Postgres => "EXPLAIN (ANALYZE) ",
            };
            let rows = source
                .connection()
                .query_all(Statement {
                    sql: format!("{explain}{}", built.sql),
                    ..built
                })
                .await?;
            for row in rows {
                let line = match d {
                    Dialect::Sqlite => {
                        let id: i64 = row.try_get("", "id")?;
                        let parent: i64 = row.try_get("", "parent")?;
                        let detail: String = row.try_get("", "detail")?;
                        format!("{id:>4} {parent:>4} {detail}")
                    }
                    Dialect::Postgres => row.try_get("", "QUERY PLAN")?,
                };
                println!("  | {line}");
            }
        }
        let mut times = Vec::with_capacity(runs);
        let mut answer = None;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            answer = Some(source.aggregate(&request).await?);
            times.push(t.elapsed());
        }
        let answer = answer.unwrap_or_default();
        let fastest = times.iter().min().copied().unwrap_or(Duration::ZERO);
        let records: u64 = answer.groups.iter().map(|g| g.count).sum();
        println!(
            "{name}\n  first run {:.3} s, fastest of {} {:.3} s; {} groups, {records} records",
            times[0].as_secs_f64(),
            times.len(),
            fastest.as_secs_f64(),
            answer.groups.len(),
        );
        if answers {
            let mut all: Vec<String> = answer
                .groups
                .iter()
                .map(|g| {
                    let measures: Vec<String> = g
                        .measures
                        .iter()
                        .map(|m| format!("{} {:.6} {:?} {:?}", m.count, m.sum, m.min, m.max))
                        .collect();
                    format!(
                        "{}: {} [{}]",
                        key_text(&g.key),
                        g.count,
                        measures.join("; ")
                    )
                })
                .collect();
            all.sort();
            for line in all {
                println!("    = {line}");
            }
        }
        let mut largest = answer.groups.clone();
        largest.sort_by_key(|g| std::cmp::Reverse(g.count));
        for g in largest.iter().take(3) {
            let avg = g.measures.first().and_then(|m| m.avg());
            println!(
                "    {}: {} (avg of first measure {})",
                key_text(&g.key),
                g.count,
                avg.map_or("–".into(), |a| format!("{a:.1}"))
            );
        }
    }
    Ok(())
}
