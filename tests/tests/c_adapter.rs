//! End to end, the adapter written in C (`plugins/c/adapters/lpk`, from the C header and
//! `plugins/docs/abi.md` alone) served by the real gateway beside the SPN Rust adapter: its
//! records next to SPN's, the engine filtering, ordering and paging what the C adapter does not
//! declare, lookups by id, its manifest, and its rejected rows and warnings.
//!
//! The expected answers are read off `plugins/c/adapters/lpk/data/lpk.csv` by hand (line
//! numbers are the file's own, header = line 1).

use std::path::Path;

use serde_json::{json, Value};
use simpul_tests::{library, scratch_dir, Gateway};

/// The sample directory the C adapter serves.
fn lpk_csv() -> std::path::PathBuf {
    simpul_tests::workspace().join("plugins/c/adapters/lpk/data/lpk.csv")
}

/// A gateway with SPN (Rust) and LPK (C) side by side; `/readyz` detail and the trace open to
/// everyone, no rate limit.
fn start(name: &str) -> Gateway {
    let dir = scratch_dir(name);
    let lpk = simpul_c_plugins::adapter("lpk");
    assert!(
        lpk.exists(),
        "the C adapter was not built: {}",
        lpk.display()
    );
    let config = format!(
        r#"
[access]
anonymous_scopes = "trace"
public_readyz_detail = true

[rate_limit]
capacity = 0
failed_auth_per_minute = 0

[[providers]]
key = "spn"
library = "{spn}"
required = true
[providers.config]
data_dir = "{spn_data}"

[[providers]]
key = "lpk"
library = "{lpk}"
required = true
[providers.config]
data_file = "{csv}"
"#,
        spn = library("simpul_adapter_spn").display(),
        spn_data = simpul_tests::workspace().join("gateway/demo/spn").display(),
        lpk = lpk.display(),
        csv = lpk_csv().display(),
    );
    write(&dir.join("simpul.toml"), &config);
    Gateway::start(&dir, &[], &[])
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// A query that must succeed without errors; its `data`.
fn data(gw: &Gateway, query: &str, variables: Value) -> Value {
    let (status, body) = gw.query(query, variables);
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

/// The values of `field` in a connection's nodes.
fn column(connection: &Value, field: &str) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no nodes: {connection}"))
        .iter()
        .map(|n| n[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_c_adapter_serves_beside_the_rust_one() {
    let gw = start("c-adapter-side-by-side");

    // The manifest, as the gateway read it from the C library.
    let d = data(
        &gw,
        "{ providers { key name kind sourceKind status } }",
        json!(null),
    );
    let lpk = d["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "lpk")
        .unwrap_or_else(|| panic!("no lpk provider: {d}"));
    assert_eq!(
        lpk,
        &json!({ "key": "lpk", "name": "Direktori LPK Kabupaten Tangerang",
                 "kind": "PRIVATE_PROVIDER", "sourceKind": "CSV_FILES",
                 // The directory has rejected rows.
                 "status": "DEGRADED" })
    );

    // Centres from both providers. 26 data rows, 3 rejected (lines 10, 13, 23): 22 served.
    let d = data(
        &gw,
        "{ trainingCenters(first: 100) { totalCount nodes { id sourceId name provider { key } } } }",
        json!(null),
    );
    let nodes = d["trainingCenters"]["nodes"].as_array().unwrap();
    let from = |key: &str| nodes.iter().filter(|n| n["provider"]["key"] == key).count();
    assert_eq!(from("lpk"), 22, "{d}");
    assert!(from("spn") > 0, "{d}");
    assert_eq!(d["trainingCenters"]["totalCount"], json!(nodes.len()));

    // Each LPK's Disnaker operating licence (izin_no) is served as a licence.
    let d = data(
        &gw,
        r#"{ trainingCenters(first: 100, where: { provider: { _eq: "lpk" } }) { nodes { sourceId licenses { kind number } } } }"#,
        json!(null),
    );
    let first = d["trainingCenters"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["sourceId"] == "LPK-0001")
        .unwrap_or_else(|| panic!("no LPK-0001: {d}"));
    assert_eq!(
        first["licenses"],
        json!([{ "kind": "DISNAKER_OPERATING_LICENSE", "number": "563/0101-LPK/DISNAKER/2019" }]),
        "{d}"
    );

    // Lookup by id: the global id of a C record resolves through node(id:) (the adapter
    // declares lookupById). The name has quotes (line 4: "LPK ""Bina Karya"" Balaraja"),
    // escaped by the C adapter's JSON writer.
    let bina = nodes
        .iter()
        .find(|n| n["sourceId"] == "LPK-0003")
        .unwrap_or_else(|| panic!("no LPK-0003: {d}"));
    let d = data(
        &gw,
        r#"query($id: ID!) { node(id: $id) { id ... on TrainingCenter { sourceId name institutionType sector
             foundedYear active address { streetAddress region { code } } fields { code name } warnings { code } } } }"#,
        json!({ "id": bina["id"] }),
    );
    assert_eq!(
        d["node"],
        json!({ "id": bina["id"], "sourceId": "LPK-0003", "name": "LPK \"Bina Karya\" Balaraja",
                "institutionType": "LPK", "sector": "PRIVATE", "foundedYear": 2015, "active": true,
                "address": { "streetAddress": "Jl. Raya Kresek No. 21", "region": { "code": "36.03.01" } },
                "fields": [{ "code": null, "name": "Operator Forklift" }, { "code": null, "name": "K3 Umum" }],
                "warnings": [] })
    );

    // A row whose jenis the directory does not define (line 12: "Sanggar") is served as OTHER
    // with a warning, not dropped; so is a year with a letter O in it (line 11: "20O8").
    let d = data(
        &gw,
        r#"{ trainingCenters(first: 50, where: { provider: { _eq: "lpk" }, institutionType: { _eq: "OTHER" } }) {
             nodes { sourceId name institutionType sector warnings { code field } } } }"#,
        json!(null),
    );
    assert_eq!(
        d["trainingCenters"]["nodes"],
        json!([{ "sourceId": "LPK-0009", "name": "Sanggar Kriya Bambu Cisoka",
                 "institutionType": "OTHER", "sector": null,
                 "warnings": [{ "code": "ENUM_UNKNOWN", "field": "institutionType" }] }])
    );
    let id = nodes.iter().find(|n| n["sourceId"] == "LPK-0008").unwrap()["id"].clone();
    let d = data(
        &gw,
        "query($id: ID!) { node(id: $id) { ... on TrainingCenter { foundedYear warnings { code field } } } }",
        json!({ "id": id }),
    );
    assert_eq!(
        d["node"],
        json!({ "foundedYear": null, "warnings": [{ "code": "VALUE_INVALID", "field": "foundedYear" }] })
    );
}

#[test]
fn the_engine_filters_orders_and_pages_the_c_adapters_records() {
    let gw = start("c-adapter-engine");
    let page = r#"query($after: String) {
        trainingCenters(first: 2, after: $after,
                        where: { provider: { _eq: "lpk" }, institutionType: { _eq: "LKP" } },
                        order_by: [{ name: asc }]) {
            totalCount pageInfo { hasNextPage endCursor } nodes { sourceId name } } }"#;
    // jenis LKP: lines 3, 6, 14, 17, 20, 27; by name.
    let expected = [
        ["LKP Bahasa Inggris Global Tangerang", "LKP Cahaya Busana"],
        ["LKP Dapur Nusantara", "LKP Menjahit Tigaraksa"],
        ["LKP Musik dan Tari Cisoka", "LKP Salon Ayu Lestari"],
    ];
    let mut after = Value::Null;
    for (n, names) in expected.iter().enumerate() {
        let d = data(&gw, page, json!({ "after": after }));
        let c = &d["trainingCenters"];
        assert_eq!(c["totalCount"], 6, "{d}");
        assert_eq!(column(c, "name"), names, "page {n}: {d}");
        assert_eq!(c["pageInfo"]["hasNextPage"], n + 1 < expected.len(), "{d}");
        after = c["pageInfo"]["endCursor"].clone();
    }

    // The adapter declares no operators and no order: the engine did both (the trace says
    // what went to the adapter).
    let (_, body) = gw.traced(
        r#"{ trainingCenters(first: 10, where: { provider: { _eq: "lpk" }, regionCode: { _prefix: "36.03.18" } },
                             order_by: [{ name: desc }]) { totalCount nodes { name } } }"#,
    );
    assert!(body.get("errors").is_none(), "{body}");
    // kode_wilayah 36.03.18 (Cikupa): lines 2, 8 (a quoted address over two lines), 14, 19, 26.
    assert_eq!(
        column(&body["data"]["trainingCenters"], "name"),
        [
            "LPK Teknik Pendingin Cikupa",
            "LPK Sakura Karya Mandiri",
            "LPK Mitra Teknik Cikupa",
            "LPK Mekanik Alat Berat Cikupa",
            "LKP Bahasa Inggris Global Tangerang",
        ]
    );
    let calls = &body["extensions"]["simpul"]["providers"]["lpk"]["details"];
    assert_eq!(calls.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(
        (
            &calls[0]["filterPushed"],
            &calls[0]["orderPushed"],
            &calls[0]["limit"]
        ),
        (&json!(false), &json!(false), &json!(null)),
        "{body}"
    );

    // active: false (lines 14 and 17); a blank aktif (line 20) and an unreadable one (line 26)
    // are null, so neither true nor false.
    let d = data(
        &gw,
        r#"{ trainingCenters(where: { provider: { _eq: "lpk" }, active: { _eq: false } }, order_by: [{ name: asc }]) { nodes { sourceId } } }"#,
        json!(null),
    );
    assert_eq!(
        column(&d["trainingCenters"], "sourceId"),
        ["LPK-0011", "LPK-0014"]
    );

    // Without a filter or an order the adapter pages itself (it declares paging), in the
    // file's order.
    let (_, body) = gw.traced(
        r#"{ trainingCenters(first: 3, where: { provider: { _eq: "lpk" } }) { totalCount nodes { sourceId } } }"#,
    );
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["trainingCenters"]["totalCount"], 22);
    assert_eq!(
        column(&body["data"]["trainingCenters"], "sourceId"),
        ["LPK-0001", "LPK-0002", "LPK-0003"]
    );
    let call = &body["extensions"]["simpul"]["providers"]["lpk"]["details"][0];
    assert!(call["limit"].as_u64().is_some(), "{body}");
}

#[test]
fn readyz_shows_the_c_adapters_rejected_rows_with_their_lines() {
    let gw = start("c-adapter-readyz");
    // The status arrives shortly after start (the gateway waits for it briefly).
    let mut lpk = Value::Null;
    let arrived = simpul_tests::wait_until(simpul_tests::PATIENCE, || {
        lpk = gw.provider("lpk");
        lpk.get("recordCounts").is_some()
    });
    assert!(arrived, "no source status for lpk: {lpk}");
    assert_eq!(lpk["state"], "ready", "{lpk}");
    assert_eq!(
        lpk["recordCounts"],
        json!({ "trainingCenters": 22 }),
        "{lpk}"
    );
    // Five records carry warnings: lines 11 (year), 12 (jenis), 22 (region code), 25 (a
    // future year), 26 (aktif).
    assert_eq!(lpk["warnings"], 5, "{lpk}");
    assert!(
        lpk["dataAsOf"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{lpk}"
    );
    assert_eq!(lpk["rejectedRecords"], 3, "{lpk}");
    let rejected: Vec<(String, u64, String)> = lpk["rejected"]
        .as_array()
        .unwrap_or_else(|| panic!("{lpk}"))
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_owned(),
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let lines: Vec<(&str, u64)> = rejected.iter().map(|r| (r.0.as_str(), r.1)).collect();
    // Line 10: no id; line 13: an unquoted comma in the address (10 cells, 1 more than the
    // header); line 23: LPK-0003 again. Line 8's quoted address runs over two lines, so later
    // rows start one line further.
    assert_eq!(
        lines,
        [("lpk.csv", 10), ("lpk.csv", 13), ("lpk.csv", 23)],
        "{lpk}"
    );
    assert!(rejected[0].2.contains("id"), "{rejected:?}");
    assert!(
        rejected[1].2.contains("1 cell more than the header"),
        "{rejected:?}"
    );
    assert!(rejected[2].2.contains("LPK-0003"), "{rejected:?}");

    // The plugin logged each rejected row through host->log.
    gw.wait_for_log_line("about the rejected row", |l| {
        l.contains("rejected lpk.csv:13")
    });
}

#[tokio::test]
async fn the_host_loads_and_calls_the_c_adapter_directly() {
    use simpul_plugin::host::PluginLibrary;
    use simpul_plugin::{PluginError, PluginErrorKind};
    use simpul_schema::analytics::{AggregateRequest, AggregateView};
    use simpul_schema::{AdapterRequest, AdapterResponse, Collection, QueryRequest, Records};
    use std::time::Duration;

    let lib = PluginLibrary::open(simpul_c_plugins::adapter("lpk")).expect("the C adapter loads");
    assert!(
        lib.manifest_warnings().is_empty(),
        "{:?}",
        lib.manifest_warnings()
    );
    let caps = &lib.manifest().capabilities.collections[&Collection::TrainingCenters];
    assert!(caps.lookup_by_id && caps.paging && !caps.order_by && caps.filter_operators.is_empty());

    // The config schema (required, no other properties) and the source's own failures.
    let error = lib
        .create("lpk", json!({ "data_file": "x", "colour": 1 }))
        .await
        .unwrap_err();
    assert!(
        matches!(error, PluginError::InvalidConfig { .. }),
        "{error}"
    );
    let error = lib
        .create("lpk", json!({ "data_file": "/nonexistent/lpk.csv" }))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, PluginError::CreateFailed { reason, .. } if reason.contains("SOURCE_UNAVAILABLE") && reason.contains("no such file")),
        "{error}"
    );

    let lpk = lib
        .create("lpk", json!({ "data_file": lpk_csv() }))
        .await
        .unwrap();
    let deadline = Duration::from_secs(10);
    let mut lookup = QueryRequest::all(Collection::TrainingCenters);
    lookup.ids = Some(vec!["LPK-0013".into(), "LPK-0010".into(), "nope".into()]);
    let AdapterResponse::Query(answer) = lpk
        .call(&AdapterRequest::Query(lookup), deadline)
        .await
        .unwrap()
    else {
        panic!("not a query answer")
    };
    // LPK-0010 was rejected (line 13); LPK-0013 has a regency code and no street (line 16).
    let Records::TrainingCenters(centres) = answer.records else {
        panic!("not training centres")
    };
    assert_eq!(answer.total_count, 1);
    assert_eq!(centres[0].source_id, "LPK-0013");
    let address = centres[0].address.as_ref().unwrap();
    assert_eq!(
        (
            address.street_address.as_deref(),
            address.region_code.as_deref()
        ),
        (None, Some("36.03"))
    );
    assert_eq!(
        centres[0].licenses[0].number.as_deref(),
        Some("563/0113-LPK/DISNAKER/2019")
    );

    // What it did not declare is refused, not ignored.
    let aggregate = AdapterRequest::Aggregate(AggregateRequest {
        view: AggregateView::TrainingCenters,
        filter: None,
        group_by: Vec::new(),
        measures: Vec::new(),
    });
    let error = lpk.call(&aggregate, deadline).await.unwrap_err();
    assert!(
        matches!(&error, PluginError::Call { kind: PluginErrorKind::Adapter(e), .. } if e.code == "UNSUPPORTED"),
        "{error}"
    );
    assert_eq!(lpk.stray_completions(), 0);
    lpk.shutdown().await;
}

#[tokio::test]
async fn the_c_adapter_serves_nfd_text_in_nfc_and_says_what_it_cannot_compose() {
    use simpul_plugin::host::PluginLibrary;
    use simpul_schema::{AdapterRequest, AdapterResponse, Collection, QueryRequest, Records};
    use std::time::Duration;

    let dir = simpul_tests::scratch_dir("c-adapter-nfd");
    let file = dir.join("lpk.csv");
    let header = std::fs::read_to_string(lpk_csv())
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let columns = header.split(',').count();
    let row = |id: &str, name: &str| {
        let mut cells = vec![String::new(); columns];
        cells[0] = id.to_owned();
        cells[1] = name.to_owned();
        cells.join(",")
    };
    // `e` + U+0301 and `C` + U+0327 (Latin-1's é and Ç, in NFD); `z` + U+030C (ž: not Latin-1).
    let text = format!(
        "{header}\n{}\n{}\n{}\n",
        row("LPK-1", "LPK Andre\u{301} Franc\u{327}ois"),
        row("LPK-2", "LPK Z\u{30c}ivko"),
        row("LPK-3", "LPK Biasa"),
    );
    write(&file, &text);

    let lib = PluginLibrary::open(simpul_c_plugins::adapter("lpk")).expect("the C adapter loads");
    let lpk = lib
        .create("lpk", json!({ "data_file": file }))
        .await
        .unwrap();
    let deadline = Duration::from_secs(10);
    let AdapterResponse::Query(answer) = lpk
        .call(
            &AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters)),
            deadline,
        )
        .await
        .unwrap()
    else {
        panic!("not a query answer")
    };
    let Records::TrainingCenters(centres) = answer.records else {
        panic!("not training centres")
    };
    let names: Vec<&str> = centres.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "LPK Andr\u{e9} Fran\u{e7}ois",
            "LPK Z\u{30c}ivko",
            "LPK Biasa"
        ]
    );
    let AdapterResponse::Status(status) =
        lpk.call(&AdapterRequest::Status, deadline).await.unwrap()
    else {
        panic!("not a status")
    };
    let notice = |code: &str| {
        status
            .notices
            .iter()
            .find(|n| n.code == code)
            .unwrap_or_else(|| panic!("no {code} notice: {:?}", status.notices))
    };
    assert!(notice("TEXT_NORMALIZED_NFC")
        .reason
        .contains("1 cell of column `nama`"));
    assert!(notice("TEXT_NOT_NFC")
        .reason
        .contains("1 cell of column `nama`"));
    lpk.shutdown().await;
}
