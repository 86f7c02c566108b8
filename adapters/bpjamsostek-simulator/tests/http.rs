//! The simulator over real HTTP on loopback: auth, paging, filters, 404s, masking, eligibility
//! and injected faults, checked against the contract (openapi.yaml, CONTRACT.md).

use reqwest::StatusCode;
use serde_json::Value;
use simpul_bpjamsostek_simulator::{ApiKey, DataFile, Simulator, SimulatorData};

const FULL: &str = "sim-full-demo-96000001";
const LIMITED: &str = "sim-limited-demo-96000002";
const CATALOG: &str = "sim-catalog-demo-96000003";
const REVOKED: &str = "sim-revoked-demo-96000004";

/// A KPJ from the demo data (a participant) and one never enrolled with 7 months paid.
const KPJ: &str = "99096000000";
const KPJ_INELIGIBLE: &str = "99096000050";

async fn get(
    sim: &Simulator,
    key: Option<&str>,
    path: &str,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", sim.base_url()));
    if let Some(key) = key {
        request = request.header("X-API-Key", key);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, headers)
}

fn ids(body: &Value, field: &str) -> Vec<String> {
    body["data"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i[field].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn demo() -> Simulator {
    Simulator::start(SimulatorData::demo())
        .await
        .expect("start")
}

#[tokio::test]
async fn auth_missing_unknown_revoked_and_missing_scope() {
    let sim = demo().await;
    for key in [None, Some("nope"), Some(REVOKED)] {
        let (status, body, _) = get(&sim, key, "/v1/lembaga-mitra").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{key:?}");
        assert_eq!(body["error"]["kode"], "TIDAK_TERAUTENTIKASI");
        assert!(body["error"]["pesan"].is_string());
        assert!(body["error"]["traceId"].is_string());
    }
    let (status, body, _) = get(&sim, Some(CATALOG), "/v1/peserta?program_id=PV-2019-0001").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["kode"], "AKSES_DITOLAK");
    let (status, _, _) = get(&sim, Some(CATALOG), "/v1/program-vokasi").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn paging_defaults_meta_header_and_order() {
    let sim = demo().await;
    let (status, body, headers) =
        get(&sim, Some(FULL), "/v1/peserta?program_id=PV-2020-0003").await;
    assert_eq!(status, StatusCode::OK);
    let total = body["meta"]["total"].as_u64().unwrap();
    assert_eq!(body["meta"]["page"], 1);
    assert_eq!(body["meta"]["perPage"], 20);
    assert_eq!(body["meta"]["totalPages"], total.div_ceil(20));
    assert_eq!(
        headers["x-total-count"].to_str().unwrap(),
        total.to_string()
    );

    // Walk with per_page=3: every record once, ids ascending.
    let mut walked = Vec::new();
    let mut page = 1;
    loop {
        let (_, body, _) = get(
            &sim,
            Some(FULL),
            &format!("/v1/peserta?program_id=PV-2020-0003&per_page=3&page={page}"),
        )
        .await;
        walked.extend(ids(&body, "pesertaProgramId"));
        if page >= body["meta"]["totalPages"].as_u64().unwrap() {
            break;
        }
        page += 1;
    }
    assert_eq!(walked.len() as u64, total);
    let mut sorted = walked.clone();
    sorted.sort();
    assert_eq!(walked, sorted);

    // Past the end: 200 with empty data and the real meta.
    let (status, body, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra?page=99").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"], serde_json::json!([]));
    assert_eq!(body["meta"]["page"], 99);
    assert!(body["meta"]["total"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn paging_out_of_range_is_400() {
    let sim = demo().await;
    for query in [
        "per_page=0",
        "per_page=101",
        "per_page=abc",
        "page=0",
        "page=-2",
        "page=1&page=2",
    ] {
        let (status, body, _) = get(&sim, Some(FULL), &format!("/v1/program-vokasi?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"]["kode"], "PARAMETER_TIDAK_VALID");
    }
    let (status, body, _) = get(&sim, Some(FULL), "/v1/program-vokasi?per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["meta"]["perPage"], 100);
}

#[tokio::test]
async fn paging_across_many_pages_of_generated_data() {
    let mut data = SimulatorData::demo();
    for i in 0..250 {
        data.insert(
            DataFile::Penempatan,
            serde_json::json!({
                "penempatanId": format!("PN-9{i:04}"), "pesertaProgramId": "PP-2019-00001",
                "programId": "PV-2019-0001", "kpj": KPJ, "statusPenempatan": "BELUM_BEKERJA",
                "tanggalUpdate": "2021-01-01T00:00:00+07:00"
            }),
        )
        .unwrap();
    }
    let sim = Simulator::start(data).await.unwrap();
    let (_, first, _) = get(&sim, Some(FULL), "/v1/penempatan?per_page=100").await;
    let total = first["meta"]["total"].as_u64().unwrap();
    assert_eq!(first["meta"]["totalPages"], total.div_ceil(100));
    let (_, last, _) = get(&sim, Some(FULL), "/v1/penempatan?per_page=100&page=3").await;
    assert_eq!(ids(&last, "penempatanId").len() as u64, total - 200);
}

#[tokio::test]
async fn filters_follow_the_contract() {
    let sim = demo().await;
    let (_, body, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra?jenis_lembaga=BLK").await;
    assert_eq!(ids(&body, "lembagaId"), ["LM-0004", "LM-0006"]);
    let (_, body, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra?kode_wilayah=36.03").await;
    assert_eq!(ids(&body, "lembagaId"), ["LM-0004", "LM-0006"]);
    let (_, body, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra?status=NONAKTIF").await;
    assert_eq!(ids(&body, "lembagaId"), ["LM-0002"]);
    let (status, _, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra?kode_wilayah=36.0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra?jenis_lembaga=SMK").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, body, _) = get(&sim, Some(FULL), "/v1/program-vokasi?tahun=2019").await;
    assert_eq!(ids(&body, "programId"), ["PV-2019-0001", "PV-2019-0002"]);
    let (_, body, _) = get(
        &sim,
        Some(FULL),
        "/v1/program-vokasi?lembaga_id=LM-0003&metode=DARING",
    )
    .await;
    assert_eq!(ids(&body, "programId"), ["PV-2020-0002"]);
    let (status, _, _) = get(&sim, Some(FULL), "/v1/program-vokasi?tahun=1999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // program_id is required; unknown → 404; known without enrolments → 200 empty.
    let (status, _, _) = get(&sim, Some(FULL), "/v1/peserta").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body, _) = get(&sim, Some(FULL), "/v1/peserta?program_id=PV-2099-0001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["kode"], "TIDAK_DITEMUKAN");
    let (status, body, _) = get(&sim, Some(FULL), "/v1/peserta?program_id=PV-2021-0001").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["meta"]["total"], 0);
    assert_eq!(body["meta"]["totalPages"], 0);
    let (_, body, _) = get(
        &sim,
        Some(FULL),
        "/v1/peserta?program_id=PV-2019-0002&status=LULUS",
    )
    .await;
    assert_eq!(ids(&body, "pesertaProgramId").len(), 3);

    let (_, body, _) = get(
        &sim,
        Some(FULL),
        "/v1/penempatan?status=BEKERJA_KEMBALI&diperbarui_sejak=2020-01-01T00:00:00%2B07:00",
    )
    .await;
    assert_eq!(
        ids(&body, "penempatanId"),
        ["PN-00004", "PN-00005", "PN-00010"]
    );
    let (status, _, _) = get(&sim, Some(FULL), "/v1/penempatan?diperbarui_sejak=kemarin").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn not_found_answers() {
    let sim = demo().await;
    for path in [
        "/v1/lembaga-mitra/LM-9999",
        "/v1/lembaga-mitra/nope",
        "/v1/program-vokasi/PV-2099-0001",
        "/v1/peserta/99999999999",
        "/v1/nothing-here",
    ] {
        let (status, body, _) = get(&sim, Some(FULL), path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["kode"], "TIDAK_DITEMUKAN");
        assert!(!body.to_string().contains("99999999999"));
    }
    let (status, body, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra/LM-0004").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["lembagaId"], "LM-0004");
    assert!(body["kontak"].is_null());
}

#[tokio::test]
async fn masking_without_pii_read() {
    let sim = demo().await;
    let (_, full, _) = get(&sim, Some(FULL), "/v1/peserta?program_id=PV-2019-0001").await;
    let (_, limited, _) = get(&sim, Some(LIMITED), "/v1/peserta?program_id=PV-2019-0001").await;
    let (f, l) = (&full["data"][0], &limited["data"][0]);
    assert_eq!(f["kpj"], KPJ);
    assert_eq!(l["kpj"], "990*****000");
    assert_eq!(f["nik"], "3672021204889600");
    assert_eq!(l["nik"], "367202******9600");
    for field in ["tanggalLahir", "noHp", "email", "kodeWilayahDomisili"] {
        assert!(!f[field].is_null(), "{field}");
        assert!(l[field].is_null(), "{field}");
    }
    assert_eq!(l["namaLengkap"], f["namaLengkap"]);

    let (_, member, _) = get(&sim, Some(LIMITED), &format!("/v1/peserta/{KPJ}")).await;
    assert_eq!(member["kpj"], "990*****000");
    assert_eq!(member["nik"], "367202******9600");
    let (_, placements, _) = get(&sim, Some(LIMITED), "/v1/penempatan").await;
    assert!(placements["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["kpj"].as_str().unwrap().contains("*****")));
}

#[tokio::test]
async fn eligibility_by_kpj() {
    let sim = demo().await;
    let (status, body, _) = get(&sim, Some(FULL), &format!("/v1/peserta/{KPJ_INELIGIBLE}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["eligibleVokasi"], false);
    assert_eq!(body["bulanIuran"], 7);
    assert_eq!(
        body["alasanTidakEligible"],
        serde_json::json!(["KURANG_MASA_IUR"])
    );
    assert_eq!(body["diperiksaPada"], "2025-06-30T07:00:00+07:00");
    let (_, body, _) = get(&sim, Some(FULL), &format!("/v1/peserta/{KPJ}")).await;
    assert_eq!(body["eligibleVokasi"], true);
    let (status, body, _) = get(&sim, Some(FULL), "/v1/peserta/9909600001").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["kode"], "PARAMETER_TIDAK_VALID");
    let (status, _, _) = get(&sim, Some(CATALOG), &format!("/v1/peserta/{KPJ}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn injected_faults_latency_and_counts() {
    let mut data = SimulatorData::demo();
    data.add_api_key(ApiKey::new("extra", &["lembaga:read"]));
    let sim = Simulator::start(data).await.unwrap();
    let faults = sim.faults();
    faults.fail_next(1, 503, None);
    faults.fail_next(1, 429, Some(2));
    let (status, body, _) = get(&sim, Some("extra"), "/v1/lembaga-mitra").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body["error"]["kode"].is_string());
    let (status, body, headers) = get(&sim, Some("extra"), "/v1/lembaga-mitra").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["kode"], "BATAS_PERMINTAAN");
    assert_eq!(headers["retry-after"].to_str().unwrap(), "2");
    let (status, _, _) = get(&sim, Some("extra"), "/v1/lembaga-mitra").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(faults.request_count("/v1/lembaga-mitra"), 3);

    faults.fail_next_on("/v1/peserta", 1, 500, None);
    let (status, _, _) = get(&sim, Some(FULL), "/v1/program-vokasi").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = get(&sim, Some(FULL), &format!("/v1/peserta/{KPJ}")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(faults.route_count("/v1/peserta/{kpj}"), 1);
    assert_eq!(faults.total_requests(), 5);

    faults.set_latency_ms(300);
    let started = std::time::Instant::now();
    let (status, _, _) = get(&sim, Some(FULL), "/v1/lembaga-mitra").await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    faults.clear();
}
