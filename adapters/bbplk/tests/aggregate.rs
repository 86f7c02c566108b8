//! Aggregates and group-by run as one SQL statement and give exactly the answers of the
//! reference semantics (`simpul_schema::analytics::Accumulator` over the adapter's own records,
//! fetched through its list queries, with `EnrollmentFact::join` for the enrolment view), on
//! SQLite and PostgreSQL: hundreds of random requests per engine (random filter trees with
//! every operator, random group keys and buckets, random measures) over the sample-data
//! generator's database and over the messy fixture; what cannot be evaluated is a
//! `BAD_REQUEST`.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::{Backend, TestDb, BACKENDS};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use simpul_adapter_bbplk::query::slices::{Parallelism, SLICES_PER_STATEMENT};
use simpul_adapter_bbplk::{connect, BbplkConfig, BbplkSource};
use simpul_schema::analytics::*;
use simpul_schema::filter::{FieldValue, FilterError, Filterable};
use simpul_schema::*;

/// The identity secret the sources run with, so participants carry person keys.
const SECRET: &str = "aggregate-tests-identity-secret";

/// Sums may differ from the reference by rounding (another summation order).
const SUM_TOLERANCE: f64 = 1e-9;

async fn source(db: &TestDb) -> BbplkSource {
    sliced(db, 1).await
}

/// A source that splits every aggregate over enrolments, participants or runs into `slices`
/// key ranges (one key per slice at least), grouped at the same time and merged.
async fn sliced(db: &TestDb, slices: u32) -> BbplkSource {
    let mut config: BbplkConfig = db.config();
    config.identity_secret = Some(SECRET.into());
    config.aggregate_parallelism = slices;
    config.aggregate_slice_keys = 1;
    BbplkSource::connect(&config)
        .await
        .unwrap_or_else(|e| panic!("{:?}: {e}", db.backend))
}

/// A record seen through its fields.
type Lookup<'a> = Box<dyn Fn(&str) -> Option<FieldValue> + 'a>;

/// Every record of the source, as its list queries answer them, and the enrolment facts.
struct Data {
    centers: Vec<TrainingCenter>,
    courses: Vec<Course>,
    runs: Vec<CourseRun>,
    participants: Vec<Participant>,
    facts: Vec<EnrollmentFact>,
}

impl Data {
    async fn load(source: &BbplkSource) -> Data {
        let centers: Vec<TrainingCenter> = common::all(source, false).await;
        let courses: Vec<Course> = common::all(source, false).await;
        let runs: Vec<CourseRun> = common::all(source, false).await;
        let participants: Vec<Participant> = common::all(source, false).await;
        let enrollments: Vec<Enrollment> = common::all(source, false).await;
        let outcomes: Vec<Outcome> = common::all(source, false).await;
        let facts = {
            fn by_id<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
                ids.enumerate().map(|(i, id)| (id, i)).collect()
            }
            let run_at = by_id(runs.iter().map(|r| r.source_id.as_str()));
            let course_at = by_id(courses.iter().map(|c| c.source_id.as_str()));
            let center_at = by_id(centers.iter().map(|c| c.source_id.as_str()));
            let person_at = by_id(participants.iter().map(|p| p.source_id.as_str()));
            let mut outcome_of: HashMap<&str, &Outcome> = HashMap::new();
            for o in &outcomes {
                assert!(
                    outcome_of.insert(o.enrollment_id.as_str(), o).is_none(),
                    "one outcome per enrolment"
                );
            }
            enrollments
                .iter()
                .map(|e| {
                    let run = run_at.get(e.course_run_id.as_str()).map(|i| &runs[*i]);
                    let related = Related {
                        run,
                        course: run
                            .and_then(|r| course_at.get(r.course_id.as_str()))
                            .map(|i| &courses[*i]),
                        center: run
                            .and_then(|r| center_at.get(r.training_center_id.as_str()))
                            .map(|i| &centers[*i]),
                        participant: person_at
                            .get(e.participant_id.as_str())
                            .map(|i| &participants[*i]),
                        outcome: outcome_of.get(e.source_id.as_str()).copied(),
                    };
                    EnrollmentFact::join(e, related)
                })
                .collect()
        };
        Data {
            centers,
            courses,
            runs,
            participants,
            facts,
        }
    }

    /// The records of `view`, each seen through its fields.
    fn records(&self, view: AggregateView) -> Vec<Lookup<'_>> {
        fn each<T: Filterable>(records: &[T]) -> Vec<Lookup<'_>> {
            records
                .iter()
                .map(|r| Box::new(move |name: &str| r.field(name)) as Box<_>)
                .collect()
        }
        match view {
            AggregateView::Enrollments => each(&self.facts),
            AggregateView::Participants => each(&self.participants),
            AggregateView::Courses => each(&self.courses),
            AggregateView::TrainingCenters => each(&self.centers),
            AggregateView::CourseRuns => each(&self.runs),
        }
    }

    /// The reference answer.
    fn reference(&self, request: &AggregateRequest) -> Result<AggregateResponse, FilterError> {
        let mut totals = Accumulator::new(request);
        for record in self.records(request.view) {
            totals.add_with(&*record)?;
        }
        Ok(totals.finish())
    }

    /// Distinct non-null values per field of `view` (list fields flattened), in first-seen
    /// order.
    fn values(&self, view: AggregateView) -> HashMap<&'static str, Vec<FieldValue>> {
        let records = self.records(view);
        view.fields()
            .iter()
            .map(|field| {
                let mut out: Vec<FieldValue> = Vec::new();
                for r in &records {
                    let items = match r(field) {
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
                (*field, out)
            })
            .collect()
    }
}

/// Random requests drawn from the data of one view.
struct Requests<'a> {
    rng: StdRng,
    view: AggregateView,
    values: &'a HashMap<&'static str, Vec<FieldValue>>,
}

impl Requests<'_> {
    fn request(&mut self) -> AggregateRequest {
        let filter = self.rng.random_bool(0.85).then(|| self.filter(3));
        let keys = self.rng.random_range(0..=3);
        let group_by = (0..keys)
            .map(|_| {
                let field = *self.view.fields().choose(&mut self.rng).expect("fields");
                let bucket = self.rng.random_bool(0.4).then(|| {
                    *[
                        Bucket::Year,
                        Bucket::Month,
                        Bucket::Province,
                        Bucket::Regency,
                    ]
                    .choose(&mut self.rng)
                    .expect("buckets")
                });
                GroupKey {
                    field: field.to_owned(),
                    bucket,
                }
            })
            .collect();
        let measures = self
            .view
            .numeric_fields()
            .iter()
            .filter(|_| self.rng.random_bool(0.6))
            .map(|m| (*m).to_owned())
            .collect();
        AggregateRequest {
            view: self.view,
            filter,
            group_by,
            measures,
        }
    }

    fn filter(&mut self, depth: u32) -> Filter {
        if depth == 0 || self.rng.random_bool(0.6) {
            return self.compare();
        }
        match self.rng.random_range(0..3) {
            0 => {
                let n = self.rng.random_range(0..=3);
                Filter::And((0..n).map(|_| self.filter(depth - 1)).collect())
            }
            1 => {
                let n = self.rng.random_range(0..=3);
                Filter::Or((0..n).map(|_| self.filter(depth - 1)).collect())
            }
            _ => Filter::Not(Box::new(self.filter(depth - 1))),
        }
    }

    fn compare(&mut self) -> Filter {
        let field = *self.view.fields().choose(&mut self.rng).expect("fields");
        let values = &self.values[field];
        let textual = !values.is_empty() && values.iter().all(|v| matches!(v, FieldValue::Text(_)));
        let mut ops = vec![
            CompareOp::Eq,
            CompareOp::Neq,
            CompareOp::Gt,
            CompareOp::Gte,
            CompareOp::Lt,
            CompareOp::Lte,
            CompareOp::In,
            CompareOp::Nin,
            CompareOp::IsNull,
        ];
        if textual {
            ops.extend([CompareOp::Like, CompareOp::Ilike, CompareOp::Prefix]);
        }
        let op = *ops.choose(&mut self.rng).expect("operators");
        let value = match op {
            CompareOp::IsNull => Literal::Bool(self.rng.random_bool(0.5)),
            CompareOp::In | CompareOp::Nin => {
                let n = self.rng.random_range(0..=4);
                Literal::List((0..n).map(|_| self.literal(values)).collect())
            }
            CompareOp::Like | CompareOp::Ilike => Literal::Text(self.pattern(values)),
            CompareOp::Prefix => Literal::Text(self.prefix(values)),
            _ => self.literal(values),
        };
        Filter::compare(field, op, value)
    }

    fn some_text<'v>(&mut self, values: &'v [FieldValue]) -> &'v str {
        match values.choose(&mut self.rng) {
            Some(FieldValue::Text(t)) => t,
            _ => "",
        }
    }

    /// Mostly a value the field has; sometimes one between values, absent, or of another type.
    fn literal(&mut self, values: &[FieldValue]) -> Literal {
        let picked = values.choose(&mut self.rng).cloned();
        match (self.rng.random_range(0..10), picked) {
            (0, _) => match self.rng.random_range(0..4) {
                0 => Literal::Int(2023),
                1 => Literal::Text("2023".into()),
                2 => Literal::Bool(true),
                _ => Literal::Float(50.5),
            },
            (1, Some(FieldValue::Int(i))) => Literal::Float(i as f64 + 0.5),
            (1, Some(FieldValue::Float(f))) => Literal::Int(f as i64),
            (1, Some(FieldValue::Text(t))) => {
                Literal::Text(t.chars().take(t.chars().count() / 2).collect())
            }
            (_, Some(FieldValue::Int(i))) => Literal::Int(i),
            (_, Some(FieldValue::Float(f))) => Literal::Float(f),
            (_, Some(FieldValue::Bool(b))) => Literal::Bool(b),
            (_, Some(FieldValue::Text(t))) => Literal::Text(t),
            (_, _) => Literal::Text("zzz-absent".into()),
        }
    }

    /// A `_like` pattern made from a value: a prefix, a suffix, a single-character wildcard,
    /// another case, or everything.
    fn pattern(&mut self, values: &[FieldValue]) -> String {
        let text: Vec<char> = self.some_text(values).chars().collect();
        let cut = self.rng.random_range(0..=text.len().min(6));
        let head: String = text[..cut].iter().collect();
        let tail: String = text[text.len() - cut..].iter().collect();
        match self.rng.random_range(0..6) {
            0 => format!("{head}%"),
            1 => format!("%{tail}"),
            2 => format!("%{}%", head.to_lowercase()),
            3 if !text.is_empty() => format!("_{}", text[1..].iter().collect::<String>()),
            4 => text.iter().collect::<String>().to_uppercase(),
            _ => "%".into(),
        }
    }

    /// A region-style prefix: some leading segments of a value, or a cut inside one.
    fn prefix(&mut self, values: &[FieldValue]) -> String {
        let text = self.some_text(values);
        let parts: Vec<&str> = text.split('.').collect();
        if self.rng.random_bool(0.8) {
            let n = self.rng.random_range(1..=parts.len());
            parts[..n].join(".")
        } else {
            text.chars().take(3).collect()
        }
    }
}

/// Whether two answers agree: same groups in the same order, same counts, minima and
/// maxima; sums equal up to rounding.
fn agree(expected: &AggregateResponse, actual: &AggregateResponse) -> Result<(), String> {
    if expected.groups.len() != actual.groups.len() {
        return Err(format!(
            "{} groups expected, {} answered",
            expected.groups.len(),
            actual.groups.len()
        ));
    }
    for (e, a) in expected.groups.iter().zip(&actual.groups) {
        if e.key != a.key || e.count != a.count || e.measures.len() != a.measures.len() {
            return Err(format!("group {e:?} answered as {a:?}"));
        }
        for (m, n) in e.measures.iter().zip(&a.measures) {
            let close = (m.sum - n.sum).abs() <= SUM_TOLERANCE * m.sum.abs().max(1.0);
            if m.count != n.count || m.min != n.min || m.max != n.max || !close {
                return Err(format!("measures of {:?}: {m:?} answered as {n:?}", e.key));
            }
        }
    }
    Ok(())
}

/// `per_view` random requests for each view; returns (requests, non-empty answers).
async fn property(
    backend: Backend,
    source: &BbplkSource,
    data: &Data,
    seed: u64,
    per_view: usize,
) -> (usize, usize) {
    let (mut total, mut non_empty) = (0, 0);
    for (v, view) in AggregateView::ALL.iter().enumerate() {
        let values = data.values(*view);
        let mut requests = Requests {
            rng: StdRng::seed_from_u64(seed * 31 + v as u64),
            view: *view,
            values: &values,
        };
        let mut view_non_empty = 0;
        for _ in 0..per_view {
            let request = requests.request();
            let expected = data
                .reference(&request)
                .unwrap_or_else(|e| panic!("the reference rejects {request:?}: {e}"));
            let actual = source
                .aggregate(&request)
                .await
                .unwrap_or_else(|e| panic!("{backend:?} fails {request:?}: {e}"));
            if let Err(why) = agree(&expected, &actual) {
                panic!("{backend:?}: {why}\nrequest: {request:?}");
            }
            total += 1;
            if !actual.groups.is_empty() {
                non_empty += 1;
                view_non_empty += 1;
            }
        }
        assert!(
            view_non_empty * 3 >= per_view,
            "{backend:?} {view:?}: only {view_non_empty} of {per_view} answers have groups"
        );
    }
    (total, non_empty)
}

/// Run `sql` on a test database with a writable connection of its own (the generated
/// SQLite file is a path; the source's own connection may be read-only).
async fn plant(db: &TestDb, sql: &str) {
    use sea_orm::{ConnectionTrait, Database};
    let url = match db.backend {
        Backend::Sqlite if !db.url.starts_with("sqlite:") => format!("sqlite://{}?mode=rw", db.url),
        _ => db.url.clone(),
    };
    let conn = Database::connect(&url)
        .await
        .expect("a writable connection");
    conn.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{:?}: plant {sql}: {e}", db.backend));
    conn.close().await.expect("close the planter");
}

/// Run ends and outcome reports planted over the generated data so that `monthsToOutcome`
/// meets its edges: ends on the 31st, reports on the 29th of February and the 30th of a
/// short month, reports before the run ended, runs without an end.
const GENERATED_MONTH_EDGES: &str = "
UPDATE angkatan SET tgl_selesai = '2024-01-31' WHERE id_angkatan % 6 = 1 AND tgl_mulai <= '2024-01-31';
UPDATE angkatan SET tgl_selesai = '2023-08-31' WHERE id_angkatan % 6 = 2 AND tgl_mulai <= '2023-08-31';
UPDATE angkatan SET tgl_selesai = NULL WHERE id_angkatan % 6 = 3;
UPDATE penempatan SET tgl_lapor = '2024-02-29' WHERE id_penempatan % 10 = 1;
UPDATE penempatan SET tgl_lapor = '2024-04-30' WHERE id_penempatan % 10 = 2;
UPDATE penempatan SET tgl_lapor = '2023-09-30' WHERE id_penempatan % 10 = 3;
UPDATE penempatan SET tgl_lapor = '2021-03-01' WHERE id_penempatan % 10 = 4;
";

/// What only SQLite can hold: an end date that is no date, a report with a time of day, a
/// report that is no date (each read as the mapping reads it).
const GENERATED_MONTH_EDGES_SQLITE: &str = "
UPDATE angkatan SET tgl_selesai = '2023-02-29' WHERE id_angkatan % 6 = 4;
UPDATE penempatan SET tgl_lapor = tgl_lapor || ' 23:30:00' WHERE id_penempatan % 10 = 5;
UPDATE penempatan SET tgl_lapor = '2024-13-01' WHERE id_penempatan % 10 = 6;
";

/// Requests on `monthsToOutcome` as a filter (every operator an integer field takes, on both
/// sides of zero and six months), a group key and a measure.
fn months_to_outcome_requests() -> Vec<AggregateRequest> {
    let m = "monthsToOutcome";
    let filters = vec![
        None,
        Some(Filter::compare(m, CompareOp::Gte, 6)),
        Some(Filter::compare(m, CompareOp::Lt, 0)),
        Some(Filter::compare(m, CompareOp::IsNull, true)),
        Some(Filter::compare(m, CompareOp::IsNull, false)),
        Some(Filter::compare(m, CompareOp::Eq, 0)),
        Some(Filter::compare(m, CompareOp::Neq, 0)),
        Some(Filter::compare(m, CompareOp::Gt, -4)),
        Some(Filter::compare(m, CompareOp::Lte, 1)),
        Some(Filter::compare(
            m,
            CompareOp::In,
            Literal::List(vec![Literal::Int(0), Literal::Int(6), Literal::Int(-3)]),
        )),
        Some(Filter::compare(
            m,
            CompareOp::Nin,
            Literal::List(vec![Literal::Int(1), Literal::Int(-5)]),
        )),
        Some(Filter::Not(Box::new(Filter::compare(m, CompareOp::Gte, 6)))),
        Some(Filter::compare(m, CompareOp::Eq, 0.5)),
        Some(Filter::compare(m, CompareOp::Neq, "6")),
        Some(Filter::And(vec![
            Filter::compare(m, CompareOp::Gte, 6),
            Filter::compare("outcomeStatus", CompareOp::Eq, "EMPLOYED"),
        ])),
        Some(Filter::Or(vec![
            Filter::compare(m, CompareOp::Lt, 0),
            Filter::compare(m, CompareOp::IsNull, true),
        ])),
    ];
    let groupings = [
        vec![],
        vec![GroupKey::field(m)],
        vec![GroupKey::field("outcomeStatus"), GroupKey::field(m)],
        vec![GroupKey::bucketed(m, Bucket::Year)],
    ];
    let measures = [
        vec![m.to_owned()],
        vec!["finalScore".to_owned(), m.to_owned()],
    ];
    let mut requests = Vec::new();
    for filter in &filters {
        for group_by in &groupings {
            for measures in &measures {
                requests.push(AggregateRequest {
                    view: AggregateView::Enrollments,
                    filter: filter.clone(),
                    group_by: group_by.clone(),
                    measures: measures.clone(),
                });
            }
        }
    }
    requests
}

/// The `monthsToOutcome` requests answer as the reference does; the data has the values that
/// make them mean something (negative, zero, six or more, and null with an outcome).
async fn months_to_outcome_agree(backend: Backend, source: &BbplkSource, data: &Data) {
    let months: Vec<Option<i32>> = data.facts.iter().map(|f| f.months_to_outcome).collect();
    assert!(
        months.iter().any(|m| m.is_some_and(|m| m < 0)),
        "{backend:?}: none negative"
    );
    assert!(months.contains(&Some(0)), "{backend:?}: none zero");
    assert!(
        months.iter().any(|m| m.is_some_and(|m| m >= 6)),
        "{backend:?}: none ≥ 6"
    );
    assert!(
        data.facts
            .iter()
            .any(|f| f.outcome_status.is_some() && f.months_to_outcome.is_none()),
        "{backend:?}: no outcome without months"
    );
    let requests = months_to_outcome_requests();
    for request in &requests {
        let expected = data
            .reference(request)
            .unwrap_or_else(|e| panic!("the reference rejects {request:?}: {e}"));
        let actual = source
            .aggregate(request)
            .await
            .unwrap_or_else(|e| panic!("{backend:?} fails {request:?}: {e}"));
        if let Err(why) = agree(&expected, &actual) {
            panic!("{backend:?}: {why}\nrequest: {request:?}");
        }
    }
    eprintln!(
        "{backend:?}: {} monthsToOutcome aggregates agree with the reference",
        requests.len()
    );
}

#[tokio::test]
async fn aggregates_equal_the_reference_on_generated_data() {
    let dbs = TestDb::generated(3000, 11).await;
    for db in &dbs {
        plant(db, GENERATED_MONTH_EDGES).await;
        if db.backend == Backend::Sqlite {
            plant(db, GENERATED_MONTH_EDGES_SQLITE).await;
        }
        let source = source(db).await;
        let data = Data::load(&source).await;
        assert!(
            data.facts.len() > 1000 && data.participants.len() > 1000,
            "{:?}: {} facts, {} participants",
            db.backend,
            data.facts.len(),
            data.participants.len()
        );
        assert!(
            data.facts.iter().any(|f| f.outcome_status.is_some()),
            "some enrolments are followed up"
        );
        months_to_outcome_agree(db.backend, &source, &data).await;
        let (total, non_empty) = property(db.backend, &source, &data, 1, 80).await;
        assert!(non_empty * 10 >= total * 6, "{non_empty} of {total}");
        eprintln!(
            "{:?}: {total} aggregates over {} enrolments agree with the reference ({non_empty} with groups)",
            db.backend,
            data.facts.len()
        );
        // The same, each aggregate split into three key ranges run at once (as a large
        // view is): the merged groups are the reference's too.
        let split = sliced(db, 3).await;
        let (total, _) = property(db.backend, &split, &data, 3, 40).await;
        eprintln!("{:?}: {total} aggregates split in three agree", db.backend);
    }
}

/// Region codes of every shape the buckets must read (planted over the fixture's rows).
const ODD_REGIONS: &str = "
UPDATE lembaga SET kode_wilayah = '36.' WHERE id_lembaga = 2;
UPDATE lembaga SET kode_wilayah = ' 36' WHERE id_lembaga = 4;
UPDATE lembaga SET kode_wilayah = '.36.02' WHERE id_lembaga = 5;
UPDATE peserta SET kode_wilayah = '36..01.2' WHERE id_peserta = 2;
UPDATE peserta SET kode_wilayah = '3602' WHERE id_peserta = 6;
UPDATE peserta SET kode_wilayah = '32.16.' WHERE id_peserta = 12;
";

/// Run ends and outcome reports at the edges of `monthsToOutcome` (planted over the
/// fixture's rows; the comments give the months the reference finds).
const MONTH_EDGES: &str = "
UPDATE angkatan SET tgl_selesai = '2024-01-31' WHERE id_angkatan = 1;
UPDATE penempatan SET tgl_lapor = '2024-02-29' WHERE id_penempatan = 1; -- 0
UPDATE penempatan SET tgl_lapor = '2024-04-30' WHERE id_penempatan = 2; -- 2
UPDATE penempatan SET tgl_lapor = '2023-08-01' WHERE id_penempatan = 5; -- -5
UPDATE penempatan SET tgl_lapor = '2023-12-16' WHERE id_penempatan = 4; -- 6
UPDATE penempatan SET tgl_lapor = '2023-02-20' WHERE id_penempatan = 6; -- -3
UPDATE penempatan SET tgl_lapor = '2024-12-14' WHERE id_penempatan = 8; -- 6
UPDATE penempatan SET tgl_lapor = '2024-12-13' WHERE id_penempatan = 9; -- 5
UPDATE angkatan SET tgl_selesai = '2022-01-31' WHERE id_angkatan = 9;
UPDATE penempatan SET tgl_lapor = '2022-02-28' WHERE id_penempatan IN (10, 11); -- 0
INSERT INTO penempatan (id_penempatan, id_pendaftaran, status_penempatan, nama_perusahaan, jabatan, kode_wilayah_kerja, tgl_mulai_kerja, tgl_lapor, sumber_info) VALUES
  (12, 14, 'Bekerja', NULL, NULL, NULL, NULL, '2024-09-01', 'Tracer study'),
  (13, 19, 'Belum Bekerja', NULL, NULL, NULL, NULL, '2024-09-27', 'Tracer study'),
  (14, 17, 'Belum Bekerja', NULL, NULL, NULL, NULL, '2025-08-01', 'Tracer study');
";

/// What only SQLite can hold (over [`MONTH_EDGES`]): an end date that is no date, a report
/// with a time of day, a report that is no date.
const MONTH_EDGES_SQLITE: &str = "
UPDATE angkatan SET tgl_selesai = '2025-02-30' WHERE id_angkatan = 5;
UPDATE penempatan SET tgl_lapor = '2024-10-31 23:30:00' WHERE id_penempatan = 13;
UPDATE penempatan SET tgl_lapor = '2023-2-20' WHERE id_penempatan = 6;
";

#[tokio::test]
async fn aggregates_equal_the_reference_on_the_messy_fixture() {
    for backend in BACKENDS {
        let extra = match backend {
            Backend::Sqlite => format!("{ODD_REGIONS}{MONTH_EDGES}{MONTH_EDGES_SQLITE}"),
            Backend::Postgres => format!("{ODD_REGIONS}{MONTH_EDGES}"),
        };
        let db = TestDb::with_extra(backend, &extra).await;
        let source = source(&db).await;
        let data = Data::load(&source).await;
        // The planted edges, as the reference sees them (run 3 ends before it starts, run 4
        // has no end: their outcomes have no months).
        let months = |enrollment: &str| {
            data.facts
                .iter()
                .find(|f| f.source_id == enrollment)
                .unwrap_or_else(|| panic!("enrolment {enrollment}"))
                .months_to_outcome
        };
        for (enrollment, expected) in [
            ("1", Some(0)),
            ("2", Some(2)),
            ("3", Some(-5)),
            ("7", Some(6)),
            ("20", Some(6)),
            ("21", Some(5)),
            ("23", Some(0)),
            ("11", None),
            ("14", None),
        ] {
            assert_eq!(
                months(enrollment),
                expected,
                "{backend:?} enrolment {enrollment}"
            );
        }
        let per_engine = match backend {
            // On SQLite: the invalid end of run 5, the report with a time of day, the report
            // that is no date.
            Backend::Sqlite => [("17", None), ("19", Some(1)), ("9", None)],
            Backend::Postgres => [("17", Some(0)), ("19", Some(0)), ("9", Some(-3))],
        };
        for (enrollment, expected) in per_engine {
            assert_eq!(
                months(enrollment),
                expected,
                "{backend:?} enrolment {enrollment}"
            );
        }
        months_to_outcome_agree(backend, &source, &data).await;
        let (total, non_empty) = property(backend, &source, &data, 2, 40).await;
        assert!(non_empty * 10 >= total * 5, "{non_empty} of {total}");
        eprintln!(
            "{backend:?}: {total} aggregates over the fixture agree ({non_empty} with groups)"
        );
    }
}

#[tokio::test]
async fn known_answers_on_the_fixture() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = source(&db).await;
        // Duplicate registrations count once; the outcome filed against a duplicate and the
        // superseded reports follow the outcome plan.
        let request = AggregateRequest {
            view: AggregateView::Enrollments,
            filter: None,
            group_by: vec![],
            measures: vec!["finalScore".into()],
        };
        let answer = source.aggregate(&request).await.expect("aggregate");
        assert_eq!(answer.groups.len(), 1);
        assert_eq!(answer.groups[0].key, Vec::<Option<Literal>>::new());
        assert_eq!(answer.groups[0].count, 25, "{backend:?}");
        // Nothing matches: no group at all, as in the reference.
        let none = AggregateRequest {
            filter: Some(Filter::Or(Vec::new())),
            ..request.clone()
        };
        assert_eq!(
            source.aggregate(&none).await.expect("aggregate"),
            AggregateResponse::default()
        );
        // Years of run starts, as integers, nulls last.
        let years = AggregateRequest {
            view: AggregateView::CourseRuns,
            filter: None,
            group_by: vec![GroupKey::bucketed("startDate", Bucket::Year)],
            measures: vec!["fiscalYear".into()],
        };
        let answer = source.aggregate(&years).await.expect("aggregate");
        assert!(answer
            .groups
            .iter()
            .all(|g| matches!(g.key[0], Some(Literal::Int(2020..=2026)) | None)));
        assert!(answer.groups.iter().any(|g| g.measures[0].count > 0));
    }
}

/// The statements a source splitting aggregates into at most `slices` of at least `slice_keys`
/// keys runs for `request`, and its answer.
async fn statements_of(
    db: &TestDb,
    (slices, slice_keys): (u32, u64),
    request: &AggregateRequest,
) -> (Vec<String>, AggregateResponse) {
    let mut conn = connect(&db.config()).await.expect("connect");
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&log);
    conn.set_metric_callback(move |info| {
        sink.lock().unwrap().push(info.statement.sql.clone());
    });
    let mut config = db.config();
    config.aggregate_parallelism = slices;
    config.aggregate_slice_keys = slice_keys;
    let source = BbplkSource::new(conn)
        .expect("source")
        .with_parallelism(Parallelism::of(&config));
    let answer = source.aggregate(request).await.expect("aggregate");
    let statements = log.lock().unwrap().clone();
    (statements, answer)
}

#[tokio::test]
async fn one_aggregate_is_one_group_by_statement_per_slice() {
    let request = AggregateRequest {
        view: AggregateView::Enrollments,
        filter: Some(Filter::And(vec![
            Filter::compare("employmentStatusAtRegistration", CompareOp::Neq, "EMPLOYED"),
            Filter::compare("startDate", CompareOp::Gte, "2023-01-01"),
            Filter::compare("startDate", CompareOp::Lt, "2026-01-01"),
        ])),
        group_by: vec![
            GroupKey::bucketed("regionCode", Bucket::Province),
            GroupKey::field("field"),
            GroupKey::field("outcomeStatus"),
        ],
        measures: vec!["finalScore".into(), "attendancePercent".into()],
    };
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        // Not split: one statement, nothing else.
        let (statements, whole) = statements_of(&db, (1, 1), &request).await;
        assert!(!whole.groups.is_empty());
        assert_eq!(statements.len(), 1, "{backend:?}: {statements:#?}");
        let sql = &statements[0];
        for clause in [
            "SELECT",
            " WHERE ",
            " GROUP BY ",
            "COUNT(*)",
            "SUM(",
            "MIN(",
            "MAX(",
        ] {
            assert!(sql.contains(clause), "{backend:?}: no `{clause}` in {sql}");
        }
        assert!(
            !sql.contains("2023-01-01"),
            "values are bound, not inlined: {sql}"
        );
        eprintln!("{backend:?}: {sql}");
        // Three at a time: on SQLite the key range, then grouping statements over disjoint
        // ranges of `id_pendaftaran` (four per statement, `SLICES_PER_STATEMENT`), whose
        // merged groups are the whole's; on PostgreSQL still one statement (its enrolments
        // are not split: the planner's workers share one statement's hashes).
        let (statements, split) = statements_of(&db, (3, 1), &request).await;
        if backend == Backend::Postgres {
            assert_eq!(statements.len(), 1, "{statements:#?}");
            assert!(!statements[0].contains(r#""d"."id_pendaftaran" <"#));
            assert_eq!(split, whole);
            // Its participants are split (they hash nothing).
            let participants = AggregateRequest {
                view: AggregateView::Participants,
                filter: None,
                group_by: vec![GroupKey::field("sex")],
                measures: vec!["birthYear".into()],
            };
            let (statements, _) = statements_of(&db, (3, 1), &participants).await;
            let grouping = statements
                .iter()
                .filter(|s| s.contains(" GROUP BY "))
                .count();
            assert_eq!(grouping, 3, "{statements:#?}");
            continue;
        }
        assert!(statements[0].contains("MIN(") && !statements[0].contains("GROUP BY"));
        let grouping: Vec<&String> = statements[1..]
            .iter()
            .filter(|sql| sql.contains(" GROUP BY "))
            .collect();
        let slices = 3 * SLICES_PER_STATEMENT;
        assert_eq!(grouping.len(), slices, "{backend:?}: {statements:#?}");
        assert_eq!(statements.len(), slices + 1, "{backend:?}: {statements:#?}");
        for sql in grouping {
            assert!(
                sql.contains(r#""d"."id_pendaftaran" >="#)
                    || sql.contains(r#""d"."id_pendaftaran" <"#),
                "{sql}"
            );
        }
        if let Err(why) = agree(&whole, &split) {
            panic!("{backend:?}: split in three: {why}");
        }
        // Too few keys to split (the default 100,000 per slice): the range lookup, then one
        // grouping statement over every row.
        let (statements, small) = statements_of(&db, (3, 100_000), &request).await;
        assert_eq!(statements.len(), 2, "{backend:?}: {statements:#?}");
        assert!(!statements[1].contains(r#""d"."id_pendaftaran" <"#));
        assert_eq!(small, whole);
    }
}

#[tokio::test]
async fn what_cannot_be_evaluated_is_a_bad_request() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = source(&db).await;
        let base = AggregateRequest {
            view: AggregateView::Enrollments,
            filter: None,
            group_by: Vec::new(),
            measures: Vec::new(),
        };
        let bad = [
            AggregateRequest {
                group_by: vec![GroupKey::field("nope")],
                ..base.clone()
            },
            AggregateRequest {
                measures: vec!["capacity".into()],
                ..base.clone()
            },
            AggregateRequest {
                measures: vec!["status".into()],
                ..base.clone()
            },
            AggregateRequest {
                filter: Some(Filter::compare("nik", CompareOp::Eq, "3216065505909501")),
                ..base.clone()
            },
            AggregateRequest {
                filter: Some(Filter::compare("fiscalYear", CompareOp::Like, "20%")),
                ..base.clone()
            },
            AggregateRequest {
                filter: Some(Filter::compare("sex", CompareOp::In, "F")),
                ..base.clone()
            },
            AggregateRequest {
                filter: Some(Filter::compare("personKey", CompareOp::IsNull, true)),
                ..base.clone()
            },
            // The NIK behind person keys is never a field of a request.
            AggregateRequest {
                view: AggregateView::Participants,
                group_by: vec![GroupKey::field("nikKey")],
                ..base.clone()
            },
            AggregateRequest {
                view: AggregateView::Participants,
                filter: Some(Filter::compare("nikKey", CompareOp::Eq, "3216065505909501")),
                ..base.clone()
            },
            AggregateRequest {
                view: AggregateView::Courses,
                measures: vec!["name".into()],
                ..base.clone()
            },
        ];
        for request in bad {
            let error = source
                .aggregate(&request)
                .await
                .expect_err("must be refused");
            assert_eq!(
                error.code(),
                "BAD_REQUEST",
                "{backend:?} {request:?}: {error}"
            );
            assert!(!error.to_string().contains("3216065505909501"));
        }
    }
}

#[tokio::test]
async fn participants_group_by_person_key() {
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let with_keys = source(&db).await;
        let request = AggregateRequest {
            view: AggregateView::Participants,
            filter: Some(Filter::compare("personKey", CompareOp::IsNull, false)),
            group_by: vec![GroupKey::field("personKey")],
            measures: vec!["birthYear".into()],
        };
        let answer = with_keys.aggregate(&request).await.expect("aggregate");
        let data = Data::load(&with_keys).await;
        assert_eq!(answer, data.reference(&request).expect("reference"));
        assert!(
            answer.groups.iter().any(|g| g.count == 2),
            "{backend:?}: the two rows sharing a NIK are one person"
        );
        // Without an identity secret nobody has a person key.
        let without = db.source().await;
        let all = AggregateRequest {
            filter: None,
            ..request
        };
        let answer = without.aggregate(&all).await.expect("aggregate");
        assert_eq!(answer.groups.len(), 1);
        assert_eq!(answer.groups[0].key, vec![None]);
    }
}

#[tokio::test]
async fn months_between_in_sql_is_the_twin_of_the_reference() {
    use sea_orm::sea_query::{Alias, Expr, Query, SimpleExpr};
    use sea_orm::ConnectionTrait;
    let dates = [
        "2024-01-15",
        "2024-01-31",
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2024-03-31",
        "2024-04-30",
        "2024-07-14",
        "2024-07-15",
        "2024-12-31",
        "2025-01-01",
        "2025-02-28",
        "2023-11-20",
        "2023-02-28",
        "2000-02-29",
        "0001-01-01",
        "9999-12-31",
    ];
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").expect("a date");
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let d = source.dialect();
        let text = |t: Option<&str>| -> SimpleExpr {
            match t {
                Some(t) => Expr::val(t).into(),
                None => Expr::cust("CAST(NULL AS TEXT)"),
            }
        };
        let mut pairs: Vec<(Option<&str>, Option<&str>)> = Vec::new();
        for from in dates {
            for to in dates {
                pairs.push((Some(from), Some(to)));
            }
            pairs.push((Some(from), None));
            pairs.push((None, Some(from)));
        }
        pairs.push((None, None));
        for (from, to) in pairs {
            let sql = d.months_between(text(from), text(to));
            let select = Query::select().expr_as(sql, Alias::new("v")).to_owned();
            let row = source
                .connection()
                .query_one(d.backend().build(&select))
                .await
                .expect("evaluate")
                .expect("one row");
            let value: Option<i64> = row.try_get("", "v").expect("an integer");
            let expected = from
                .zip(to)
                .map(|(f, t)| i64::from(analytics::months_between(day(f), day(t))));
            assert_eq!(value, expected, "{backend:?} {from:?} → {to:?}");
        }
    }
}

#[tokio::test]
async fn region_buckets_are_the_twins_of_the_reference() {
    use sea_orm::sea_query::{Alias, Expr, Query};
    use sea_orm::ConnectionTrait;
    use simpul_adapter_bbplk::query::aggregate::{province, regency};
    let codes = [
        "36",
        "36.02",
        "36.02.13",
        "36.02.13.2007",
        "36.",
        "36..",
        ".36",
        ".",
        "",
        "36..01",
        "3602",
        "a.b.c",
        "é.ü.x",
        "36.02.",
        " 36 . 02",
    ];
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let source = db.source().await;
        let d = source.dialect();
        for code in codes {
            for (bucket, sql) in [
                (Bucket::Province, province(d, Expr::val(code).into())),
                (Bucket::Regency, regency(d, Expr::val(code).into())),
            ] {
                let select = Query::select().expr_as(sql, Alias::new("v")).to_owned();
                let row = source
                    .connection()
                    .query_one(d.backend().build(&select))
                    .await
                    .expect("evaluate")
                    .expect("one row");
                let value: Option<String> = row.try_get("", "v").expect("text");
                assert_eq!(
                    value.map(Literal::Text),
                    analytics::bucket(FieldValue::Text(code.into()), Some(bucket)),
                    "{backend:?} {bucket:?} of `{code}`"
                );
            }
        }
    }
}

/// Reports that a filter on run fields must not lose or take in: a later report of
/// participant 1 filed against their registration in run 2 (9), not run 1 (1); a later report
/// of the pair (run 1, participant 3) filed against its second duplicate registration (27),
/// which the kept registration 3 takes as its outcome.
const OTHER_RUNS_REPORTS: &str = "
INSERT INTO penempatan (id_penempatan, id_pendaftaran, status_penempatan, nama_perusahaan, jabatan, kode_wilayah_kerja, tgl_mulai_kerja, tgl_lapor, sumber_info) VALUES
  (20, 9, 'Wirausaha', NULL, NULL, NULL, NULL, '2025-01-02', 'Tracer study'),
  (21, 27, 'Belum Bekerja', NULL, NULL, NULL, NULL, '2023-12-01', 'Tracer study');
";

/// Conditions on the run's own fields are evaluated once per run (SQLite: the row's run in
/// the set of runs they keep) and restrict the reports the latest outcome is chosen from
/// (PostgreSQL): the answers stay the reference's, whatever the reports of other runs and of
/// a pair's duplicate registrations, for conditions that split off (an `_and`, a `_not` of an
/// `_or`) and that do not (an `_or` over a run and a participant field).
#[tokio::test]
async fn conditions_on_runs_keep_the_reference_answers() {
    let run_1 = Filter::compare("startDate", CompareOp::Lt, "2023-03-01");
    let filters = vec![
        run_1.clone(),
        Filter::And(vec![
            Filter::compare("regionCode", CompareOp::Prefix, "32"),
            Filter::Not(Box::new(Filter::Or(vec![
                Filter::compare("fiscalYear", CompareOp::Gt, 2023),
                Filter::compare("field", CompareOp::IsNull, true),
            ]))),
        ]),
        Filter::And(vec![
            Filter::compare("trainingCenterId", CompareOp::Eq, "LBG-BKS"),
            Filter::compare("sex", CompareOp::Eq, "FEMALE"),
            Filter::compare("outcomeStatus", CompareOp::IsNull, false),
        ]),
        Filter::Or(vec![
            run_1.clone(),
            Filter::compare("sex", CompareOp::Eq, "MALE"),
        ]),
        Filter::Not(Box::new(Filter::Or(vec![
            Filter::compare("startDate", CompareOp::Gte, "2024-01-01"),
            Filter::compare("participantId", CompareOp::Eq, "3"),
        ]))),
    ];
    // Each names an outcome field, so PostgreSQL joins the latest outcomes.
    let groupings = [
        vec![GroupKey::field("outcomeStatus")],
        vec![
            GroupKey::field("monthsToOutcome"),
            GroupKey::field("courseRunId"),
        ],
        vec![
            GroupKey::bucketed("regionCode", Bucket::Province),
            GroupKey::field("outcomeStatus"),
        ],
    ];
    for backend in BACKENDS {
        let db = TestDb::with_extra(backend, OTHER_RUNS_REPORTS).await;
        let source = source(&db).await;
        let data = Data::load(&source).await;
        let outcome = |enrollment: &str| {
            data.facts
                .iter()
                .find(|f| f.source_id == enrollment)
                .unwrap_or_else(|| panic!("enrolment {enrollment}"))
                .outcome_status
                .clone()
        };
        // The planted reports, as the reference sees them.
        assert_eq!(outcome("1"), Some("EMPLOYED".into()), "{backend:?}");
        assert_eq!(outcome("3"), Some("SEEKING_WORK".into()), "{backend:?}");
        assert_eq!(outcome("9"), Some("SELF_EMPLOYED".into()), "{backend:?}");
        for filter in &filters {
            for group_by in &groupings {
                let request = AggregateRequest {
                    view: AggregateView::Enrollments,
                    filter: Some(filter.clone()),
                    group_by: group_by.clone(),
                    measures: vec!["finalScore".into()],
                };
                let expected = data.reference(&request).expect("reference");
                assert!(!expected.groups.is_empty(), "{filter:?}");
                for slices in [1, 3] {
                    let (statements, actual) = statements_of(&db, (slices, 1), &request).await;
                    if let Err(why) = agree(&expected, &actual) {
                        panic!("{backend:?}, {slices} slices: {why}\nrequest: {request:?}");
                    }
                    // A filter with a condition on run fields alone reads the runs once.
                    let splits = !matches!(filter, Filter::Or(_));
                    let restricted = match backend {
                        Backend::Sqlite => r#"+"d"."id_angkatan") IN (SELECT"#,
                        Backend::Postgres => r#""d3"."id_angkatan" IN (SELECT"#,
                    };
                    let grouping = statements.iter().filter(|s| s.contains(" GROUP BY "));
                    for sql in grouping {
                        assert_eq!(
                            sql.contains(restricted),
                            splits,
                            "{backend:?}: {filter:?}: {sql}"
                        );
                    }
                }
            }
        }
    }
}
