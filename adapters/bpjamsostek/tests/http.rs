//! The adapter against the simulator over real HTTP on loopback: paging, auth errors, retries
//! (with request counts), no retries on other 4xx, deadlines, caching and push-down.

mod common;

use std::time::{Duration, Instant};

use common::*;
use simpul_adapter_bpjamsostek::BpjamsostekAdapter;
use simpul_bpjamsostek_simulator::{DataFile, Simulator, SimulatorData};
use simpul_schema::{Collection, CompareOp, Filter, Literal, QueryRequest, Records};

const LEMBAGA: &str = "/v1/lembaga-mitra";

async fn error_of(
    adapter: &BpjamsostekAdapter,
    collection: Collection,
) -> simpul_adapter_bpjamsostek::Error {
    all(adapter, collection).await.expect_err("the call fails")
}

#[tokio::test]
async fn walks_every_page_of_large_lists() {
    let mut data = SimulatorData::demo();
    for i in 0..230 {
        data.insert(
            DataFile::LembagaMitra,
            serde_json::json!({
                "lembagaId": format!("LM-{:04}", 1000 + i),
                "namaLembaga": format!("LPK Uji {i} (fiktif)"),
                "jenisLembaga": "LPK",
                "alamat": { "kodeWilayah": "36.72" },
                "izinDisnaker": { "nomorIzin": format!("UJI/{i} (fiktif)"), "tanggalTerbit": "2020-01-01", "penerbit": "Uji (fiktif)" },
                "pengalamanTahun": 2, "statusKemitraan": "AKTIF",
                "dibuatPada": "2020-01-01T00:00:00+07:00"
            }),
        )
        .unwrap();
    }
    // 150 enrolments in the programme that has none in the demo data.
    for i in 0..150 {
        data.insert(
            DataFile::PesertaProgram,
            serde_json::json!({
                "pesertaProgramId": format!("PP-2021-{:05}", 10_000 + i),
                "programId": "PV-2021-0001",
                "kpj": format!("990970{i:05}"), "nik": "3602136309929601",
                "namaLengkap": "Peserta Uji", "jenisKelamin": "P",
                "statusPelatihan": "TERDAFTAR", "tanggalDaftar": "2021-07-01T09:00:00+07:00"
            }),
        )
        .unwrap();
    }
    let sim = Simulator::start(data).await.unwrap();
    let mut c = config(&sim, FULL);
    c.page_size = 20;
    c.max_concurrency = 3;
    let adapter = BpjamsostekAdapter::new(c).unwrap();

    let centres = training_centers(&adapter).await;
    assert_eq!(centres.len(), 7 + 230);
    let mut ids: Vec<_> = centres.iter().map(|c| c.source_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 237, "no page read twice");
    assert_eq!(sim.faults().request_count(LEMBAGA), 237_u64.div_ceil(20));

    let enrolments = enrollments(&adapter).await;
    assert_eq!(
        enrolments
            .iter()
            .filter(|e| e.course_run_id == "PV-2021-0001")
            .count(),
        150
    );
    // One walk per programme (10 programmes, all but one fit one page): 9 + ceil(150/20).
    assert_eq!(sim.faults().request_count("/v1/peserta"), 9 + 8);
    // Walking pages never requests a KPJ.
    assert_eq!(sim.faults().route_count("/v1/peserta/{kpj}"), 0);
}

#[tokio::test]
async fn a_refused_key_is_a_clear_error_without_the_key_and_without_retries() {
    let sim = simulator().await;
    for key in [REVOKED, "sim-unknown-key-0000"] {
        sim.faults().reset_counts();
        let e = error_of(&adapter(&sim, key), Collection::TrainingCenters).await;
        assert_eq!(e.code(), "SOURCE_UNAUTHORIZED");
        let text = e.to_string();
        assert!(text.contains("refused the configured API key"), "{text}");
        assert!(text.contains("TIDAK_TERAUTENTIKASI"), "{text}");
        assert!(!text.contains(key), "{text}");
        assert_eq!(sim.faults().total_requests(), 1);
    }
    // A key without the scope: a 403 naming the scope, each programme asked once at most.
    sim.faults().reset_counts();
    let e = error_of(&adapter(&sim, CATALOG), Collection::Participants).await;
    assert_eq!(e.code(), "SOURCE_FORBIDDEN");
    assert!(e.to_string().contains("`peserta:read`"), "{e}");
    assert!(sim.faults().request_count("/v1/peserta") <= 10);
}

#[tokio::test]
async fn retries_a_503_then_succeeds() {
    let sim = simulator().await;
    sim.faults().fail_next(2, 503, None);
    let centres = training_centers(&adapter(&sim, FULL)).await;
    assert_eq!(centres.len(), 7);
    assert_eq!(sim.faults().request_count(LEMBAGA), 3);
}

#[tokio::test]
async fn honours_retry_after_on_429_then_succeeds() {
    let sim = simulator().await;
    sim.faults().fail_next(1, 429, Some(1));
    let started = Instant::now();
    let centres = training_centers(&adapter(&sim, FULL)).await;
    assert_eq!(centres.len(), 7);
    assert_eq!(sim.faults().request_count(LEMBAGA), 2);
    // A sleep never ends early; the upper bound is generous.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_fails_at_once() {
    let sim = simulator().await;
    sim.faults().fail_next(1, 429, Some(30));
    let started = Instant::now();
    let e = error_of(&adapter(&sim, FULL), Collection::TrainingCenters).await;
    assert_eq!(e.code(), "SOURCE_RATE_LIMITED");
    assert_eq!(sim.faults().request_count(LEMBAGA), 1);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let sim = simulator().await;
    sim.faults().fail_next(10, 500, None);
    let mut c = config(&sim, FULL);
    c.max_retries = 2;
    let e = error_of(
        &BpjamsostekAdapter::new(c).unwrap(),
        Collection::TrainingCenters,
    )
    .await;
    assert_eq!(e.code(), "SOURCE_UNAVAILABLE");
    assert!(e.to_string().contains("HTTP 500 3 time(s)"), "{e}");
    assert_eq!(sim.faults().request_count(LEMBAGA), 3);
}

#[tokio::test]
async fn never_retries_other_4xx() {
    let sim = simulator().await;
    for (status, code) in [
        (400, "SOURCE_REJECTED"),
        (401, "SOURCE_UNAUTHORIZED"),
        (403, "SOURCE_FORBIDDEN"),
        (404, "SOURCE_REJECTED"),
        (409, "SOURCE_REJECTED"),
    ] {
        sim.faults().reset_counts();
        sim.faults().fail_next(1, status, None);
        let e = error_of(&adapter(&sim, FULL), Collection::TrainingCenters).await;
        assert_eq!(e.code(), code, "HTTP {status}");
        assert_eq!(
            sim.faults().total_requests(),
            1,
            "HTTP {status} was retried"
        );
    }
}

#[tokio::test]
async fn a_missed_deadline_is_a_timeout_error() {
    let sim = simulator().await;
    sim.faults().set_latency_ms(3000);
    let mut c = config(&sim, FULL);
    c.timeout_ms = 200;
    let started = Instant::now();
    let e = error_of(
        &BpjamsostekAdapter::new(c).unwrap(),
        Collection::TrainingCenters,
    )
    .await;
    assert_eq!(e.code(), "SOURCE_TIMEOUT");
    assert!(e.to_string().contains("within 200 ms"), "{e}");
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(sim.faults().total_requests(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn an_unreachable_api_is_unavailable_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut c =
        simpul_adapter_bpjamsostek::BpjamsostekConfig::new(&format!("http://{addr}"), FULL, SECRET);
    c.backoff_base_ms = 5;
    c.max_retries = 1;
    let e = error_of(
        &BpjamsostekAdapter::new(c).unwrap(),
        Collection::TrainingCenters,
    )
    .await;
    assert_eq!(e.code(), "SOURCE_UNAVAILABLE");
    assert!(!e.to_string().contains(&addr.to_string()), "{e}");
    assert!(e.to_string().contains("after 2 attempt(s)"), "{e}");
}

#[tokio::test]
async fn fetched_collections_are_reused_for_the_cache_ttl() {
    let sim = simulator().await;
    let cached = adapter(&sim, FULL);
    training_centers(&cached).await;
    training_centers(&cached).await;
    partnerships(&cached).await;
    assert_eq!(sim.faults().request_count(LEMBAGA), 1);

    sim.faults().reset_counts();
    let mut c = config(&sim, FULL);
    c.cache_ttl_ms = 0;
    let uncached = BpjamsostekAdapter::new(c).unwrap();
    training_centers(&uncached).await;
    training_centers(&uncached).await;
    assert_eq!(sim.faults().request_count(LEMBAGA), 2);
}

/// Uncached, the calls of one gateway request (`requestId`) list each endpoint once: a run's
/// lookup and then its enrolments (what `node(id:) { ... on CourseRun { enrollments } }`
/// asks) list the partners and programmes once, not twice; another request, or a call with no
/// id, reads again; and the answers are the same as without an id.
#[tokio::test]
async fn the_calls_of_one_request_share_their_reads_and_answer_the_same() {
    let sim = simulator().await;
    let mut c = config(&sim, FULL);
    c.cache_ttl_ms = 0;
    let fresh = BpjamsostekAdapter::new(c).unwrap();
    let as_part_of = |mut request: QueryRequest, id: Option<&str>| {
        request.request_id = id.map(str::to_owned);
        request
    };
    let mut run = QueryRequest::all(Collection::CourseRuns);
    run.ids = Some(vec!["PV-2020-0001".into()]);
    let mut enrolments = QueryRequest::all(Collection::Enrollments);
    enrolments.filter = Some(Filter::compare(
        "courseRunId",
        CompareOp::Eq,
        "PV-2020-0001",
    ));
    enrolments.limit = Some(50);
    let counts = || {
        (
            sim.faults().request_count(LEMBAGA),
            sim.faults().request_count("/v1/program-vokasi"),
            sim.faults().request_count("/v1/peserta"),
        )
    };

    // Without an id: each call lists what it needs.
    sim.faults().reset_counts();
    let run_alone = fresh.query(&run).await.unwrap();
    let enrolments_alone = fresh.query(&enrolments).await.unwrap();
    assert_eq!(counts(), (2, 2, 1));

    // One request: the second call reuses the first's lists; the same answers.
    sim.faults().reset_counts();
    let one = Some("41");
    assert_eq!(
        fresh.query(&as_part_of(run.clone(), one)).await.unwrap(),
        run_alone
    );
    let shared = fresh
        .query(&as_part_of(enrolments.clone(), one))
        .await
        .unwrap();
    assert_eq!(shared, enrolments_alone);
    assert_eq!(shared.total_count, 5);
    assert_eq!(counts(), (1, 1, 1));
    // Its calls at the same time too: one read each.
    sim.faults().reset_counts();
    let same_request = as_part_of(enrolments.clone(), Some("42"));
    let (a, b) = tokio::join!(fresh.query(&same_request), fresh.query(&same_request));
    assert_eq!(
        (a.unwrap(), b.unwrap()),
        (enrolments_alone.clone(), enrolments_alone.clone())
    );
    assert_eq!(counts(), (1, 1, 1));

    // Another request reads afresh.
    sim.faults().reset_counts();
    fresh
        .query(&as_part_of(enrolments.clone(), Some("43")))
        .await
        .unwrap();
    assert_eq!(counts(), (1, 1, 1));
}

#[tokio::test]
async fn pushes_api_filters_down_when_not_caching_with_the_same_answers() {
    let sim = simulator().await;
    let mut c = config(&sim, FULL);
    c.cache_ttl_ms = 0;
    let pushing = BpjamsostekAdapter::new(c).unwrap();
    let reference = adapter(&sim, FULL);

    let mut by_run = QueryRequest::all(Collection::Enrollments);
    by_run.filter = Some(Filter::compare(
        "courseRunId",
        CompareOp::Eq,
        "PV-2020-0001",
    ));
    sim.faults().reset_counts();
    let pushed = pushing.query(&by_run).await.unwrap();
    assert_eq!(
        sim.faults().request_count("/v1/peserta"),
        1,
        "only that programme"
    );
    let full = reference.query(&by_run).await.unwrap();
    assert_eq!(pushed, full);
    assert_eq!(pushed.total_count, 5);

    let mut runs = QueryRequest::all(Collection::CourseRuns);
    runs.filter = Some(Filter::And(vec![
        Filter::compare("fiscalYear", CompareOp::Eq, 2020_i64),
        Filter::compare("deliveryMode", CompareOp::Eq, "ONLINE"),
    ]));
    let pushed = pushing.query(&runs).await.unwrap();
    assert_eq!(pushed, reference.query(&runs).await.unwrap());
    let Records::CourseRuns(r) = &pushed.records else {
        panic!("course runs expected")
    };
    let ids: Vec<_> = r.iter().map(|r| r.source_id.as_str()).collect();
    assert_eq!(ids, ["PV-2020-0001", "PV-2020-0002"]);

    let mut centres = QueryRequest::all(Collection::TrainingCenters);
    centres.filter = Some(Filter::compare("institutionType", CompareOp::Eq, "BLKK"));
    let pushed = pushing.query(&centres).await.unwrap();
    assert_eq!(pushed, reference.query(&centres).await.unwrap());
    assert_eq!(pushed.total_count, 1);
}

/// Uncached, a lookup decodes and maps only the records it can return (a run: its programme
/// and that programme's partner); the answers are the cached adapter's, every key of the demo
/// data (the messy ones included: a programme whose partner is not listed, a partner without a
/// PKS), unknown keys, keys asked for twice, and `sourceId`/`code` filters through `_or`.
#[tokio::test]
async fn lookups_decode_only_what_they_can_return_with_the_same_answers() {
    let sim = simulator().await;
    let mut c = config(&sim, FULL);
    c.cache_ttl_ms = 0;
    let fresh = BpjamsostekAdapter::new(c).unwrap();
    let reference = adapter(&sim, FULL);
    let same = |request: QueryRequest| {
        let (fresh, reference) = (&fresh, &reference);
        async move {
            let got = fresh.query(&request).await.unwrap();
            let want = reference.query(&request).await.unwrap();
            assert_eq!(got, want, "{request:?}");
            got.total_count
        }
    };
    let lookup = |collection: Collection, ids: &[&str]| {
        let mut r = QueryRequest::all(collection);
        r.ids = Some(ids.iter().map(|s| (*s).to_owned()).collect());
        r.include_pii = true;
        r
    };
    let centres: Vec<String> = training_centers(&reference)
        .await
        .into_iter()
        .map(|c| c.source_id)
        .collect();
    let programmes: [&str; 10] = [
        "PV-2019-0001",
        "PV-2019-0002",
        "PV-2020-0001",
        "PV-2020-0002",
        "PV-2020-0003",
        "PV-2021-0001",
        "PV-2021-0002",
        "PV-2021-0003",
        "PV-2021-0004",
        "PV-2022-0001",
    ];
    for id in &centres {
        assert_eq!(same(lookup(Collection::TrainingCenters, &[id])).await, 1);
        same(lookup(Collection::Partnerships, &[&format!("{id}/pks")])).await;
    }
    for id in programmes {
        same(lookup(Collection::CourseRuns, &[id])).await;
        same(lookup(Collection::Courses, &[id])).await;
        let mut enrolments = QueryRequest::all(Collection::Enrollments);
        enrolments.filter = Some(Filter::Or(vec![Filter::And(vec![
            Filter::And(Vec::new()),
            Filter::compare("courseRunId", CompareOp::In, Literal::List(vec![id.into()])),
        ])]));
        same(enrolments).await;
    }
    // `PV-2021-0004` names a partner the API does not list: skipped, as in the list.
    assert_eq!(
        same(lookup(Collection::CourseRuns, &["PV-2021-0004"])).await,
        0
    );
    assert_eq!(
        same(lookup(
            Collection::CourseRuns,
            &["PV-2020-0003", "PV-2020-0003", "PV-9999-0001", "LM-0001"]
        ))
        .await,
        1
    );
    assert_eq!(same(lookup(Collection::TrainingCenters, &[])).await, 0);
    let mut by_code = QueryRequest::all(Collection::CourseRuns);
    by_code.filter = Some(Filter::Or(vec![
        Filter::compare("code", CompareOp::Eq, "PV-2020-0003"),
        Filter::compare(
            "sourceId",
            CompareOp::In,
            Literal::List(vec!["PV-2019-0001".into()]),
        ),
    ]));
    assert_eq!(same(by_code).await, 2);
    // A filter on another field is not narrowed: everything is decoded.
    let mut by_name = QueryRequest::all(Collection::TrainingCenters);
    by_name.filter = Some(Filter::Or(vec![
        Filter::compare("sourceId", CompareOp::Eq, "LM-0001"),
        Filter::compare("active", CompareOp::Eq, true),
    ]));
    same(by_name).await;
}

#[tokio::test]
async fn a_bad_filter_fails_before_any_request() {
    let sim = simulator().await;
    let mut request = QueryRequest::all(Collection::CourseRuns);
    request.filter = Some(Filter::compare("nope", CompareOp::Eq, 1_i64));
    let e = adapter(&sim, FULL).query(&request).await.unwrap_err();
    assert_eq!(e.code(), "BAD_REQUEST");
    assert_eq!(sim.faults().total_requests(), 0);
}
