//! `record` under `[[providers]]`, `simpul adapter replay` and `simpul adapter bench` on the
//! SPN adapter: a gateway records its calls (mode 0600, one line each) and the same build
//! replays them without a difference; a recording of real calls replayed against a data
//! folder with one record edited reports that record's field by its path, hiding personal
//! values, and exits 1; a malformed line is an error naming the file and line; the bench
//! prints a row per collection and page size.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::{json, Value};
use simpul_adapter_kit::recording::{self, AdapterId, Line, FORMAT};
use simpul_adapter_kit::session;
use simpul_schema::{AdapterRequest, Collection, QueryRequest};

/// The demo's identity secret (`simpul_gateway::demo::DEMO_IDENTITY_SECRET`): the replay must
/// give the adapter what the gateway gave it, or person keys differ.
const DEMO_SECRET: &str = "simpul-demo-identity-secret-not-for-production";

fn simpul(args: &[&str]) -> Output {
    Command::new(simpul_tests::artifacts().join("simpul"))
        .args(args)
        .env("SIMPUL_LOG", "warn")
        .output()
        .expect("run simpul")
}

fn spn() -> PathBuf {
    simpul_tests::library("simpul_adapter_spn")
}

/// A copy of the demo's SPN export in `dir`, and an adapter config (TOML) reading it.
fn spn_data(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("spn");
    std::fs::create_dir_all(&data).unwrap();
    let demo = simpul_tests::workspace().join("gateway/demo/spn");
    for file in std::fs::read_dir(&demo).unwrap() {
        let file = file.unwrap().path();
        std::fs::copy(&file, data.join(file.file_name().unwrap())).unwrap();
    }
    let config = dir.join("spn.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = {:?}\nidentity_secret = {DEMO_SECRET:?}\n",
            data.display().to_string()
        ),
    )
    .unwrap();
    (data, config)
}

fn replay(config: &Path, recording: &Path, json: bool) -> Output {
    let library = spn();
    let mut args = vec![
        "adapter",
        "replay",
        library.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--recording",
        recording.to_str().unwrap(),
    ];
    if json {
        args.push("--json");
    }
    simpul(&args)
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_gateway_records_its_calls_and_the_same_build_replays_them_without_a_difference() {
    let scratch = simpul_tests::scratch_dir("kit-record");
    let file = scratch.join("spn.jsonl");
    let (gateway, _dir) = simpul_tests::demo_with(
        "kit-record-gateway",
        &[("SIMPUL__PROVIDERS__0__RECORD", file.to_str().unwrap())],
    );
    let (status, body) = gateway.query(
        "{ trainingCenters(first: 5) { totalCount nodes { id name } } courseRuns(first: 3) { nodes { id } } participants(first: 4) { nodes { id } } }",
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let (status, body) = gateway.query("{ courses(first: 2) { nodes { id } } }", json!(null));
    assert_eq!(status, 200, "{body}");
    let lines = || {
        std::fs::read_to_string(&file)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    assert!(
        simpul_tests::wait_until(simpul_tests::PATIENCE, || lines() >= 4),
        "{} lines recorded; the log:\n{}",
        lines(),
        gateway.log()
    );
    drop(gateway);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let recorded = recording::read(&file).expect("the gateway's recording reads");
    for line in &recorded {
        assert_eq!(line.line.provider, "spn");
        assert_eq!(line.line.adapter.name, "simpul-adapter-spn");
        assert!(line.line.answer.is_some(), "{:?}", line.line.error);
        assert!(line.line.duration_ms >= 0.0);
    }
    let collections: Vec<Collection> = recorded
        .iter()
        .filter_map(|l| match &l.line.request {
            AdapterRequest::Query(q) => Some(q.collection),
            _ => None,
        })
        .collect();
    for collection in [
        Collection::TrainingCenters,
        Collection::CourseRuns,
        Collection::Participants,
    ] {
        assert!(collections.contains(&collection), "{collections:?}");
    }
    // Every call carries its GraphQL request's id (ABI 1.3 `requestId`): one id for the first
    // request's three calls, another for the second's.
    let ids_of = |second: bool| -> std::collections::BTreeSet<Option<String>> {
        recorded
            .iter()
            .filter_map(|l| match &l.line.request {
                AdapterRequest::Query(q) if (q.collection == Collection::Courses) == second => {
                    Some(q.request_id.clone())
                }
                _ => None,
            })
            .collect()
    };
    let (first, second) = (ids_of(false), ids_of(true));
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(first.iter().chain(&second).all(Option::is_some));
    assert_ne!(first, second);

    let (_, config) = spn_data(&scratch);
    let output = replay(&config, &file, true);
    let report = stdout_json(&output);
    assert!(output.status.success(), "{report:#}");
    assert_eq!(report["summary"]["different"], 0, "{report:#}");
    assert_eq!(report["summary"]["requests"], recorded.len(), "{report:#}");
}

/// A recording of real calls to the SPN library on `data`: every collection, a page, a lookup,
/// participants with their personal data, and a request the adapter refuses.
fn record_directly(data: &Path, file: &Path) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let config = json!({ "data_dir": data, "identity_secret": DEMO_SECRET });
        let session = session::open(&spn(), config, None, Duration::from_secs(60))
            .await
            .expect("open SPN");
        let mut requests: Vec<QueryRequest> = session
            .manifest
            .capabilities
            .collections
            .keys()
            .map(|c| QueryRequest::all(*c))
            .collect();
        requests.push(QueryRequest {
            offset: 2,
            limit: Some(3),
            ..QueryRequest::all(Collection::TrainingCenters)
        });
        requests.push(QueryRequest {
            include_pii: true,
            ..QueryRequest::all(Collection::Participants)
        });
        requests.push(QueryRequest {
            ids: Some(vec!["SPN-TC-01".into(), "SPN-TC-02".into()]),
            ..QueryRequest::all(Collection::TrainingCenters)
        });
        let mut text = String::new();
        for request in requests {
            let request = AdapterRequest::Query(request);
            let answer = session.client.call(&request).await.expect("SPN answers");
            let line = Line {
                format: FORMAT,
                at: "2026-12-06T10:00:00.000Z".into(),
                provider: "spn".into(),
                adapter: AdapterId {
                    name: session.manifest.name.clone(),
                    version: session.manifest.version.clone(),
                },
                request,
                duration_ms: 0.5,
                answer: Some(serde_json::to_value(answer).unwrap()),
                error: None,
            };
            text.push_str(&serde_json::to_string(&line).unwrap());
            text.push('\n');
        }
        std::fs::write(file, text).unwrap();
        session.client.shutdown().await;
    });
}

/// Replace `from` with `to` in one line of `file` (the line holding `key`).
fn edit(file: &Path, key: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let edited: Vec<String> = text
        .split('\n')
        .map(|line| {
            if line.contains(key) {
                assert!(line.contains(from), "{line}");
                line.replacen(from, to, 1)
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(file, edited.join("\n")).unwrap();
}

#[test]
fn an_edited_record_is_reported_by_path_without_personal_values() {
    let dir = simpul_tests::scratch_dir("kit-replay-diff");
    let (data, config) = spn_data(&dir);
    let file = dir.join("spn.jsonl");
    record_directly(&data, &file);

    // The same data: no difference.
    let same = replay(&config, &file, false);
    let table = String::from_utf8_lossy(&same.stdout);
    assert!(
        same.status.success(),
        "{table}\n{}",
        String::from_utf8_lossy(&same.stderr)
    );
    assert!(table.contains(" 0 different"), "{table}");

    // One centre renamed and one participant's name and phone changed.
    edit(
        &data.join("pusat_pelatihan.csv"),
        "SPN-TC-02;",
        "Rumah Belajar",
        "Rumah Kerja",
    );
    edit(
        &data.join("peserta.csv"),
        ";SPN-P-0002;",
        ";Sumarni;",
        ";Sumarti;",
    );
    edit(
        &data.join("peserta.csv"),
        ";SPN-P-0002;",
        "089900120302",
        "089900120399",
    );
    let output = replay(&config, &file, false);
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{table}");
    assert_eq!(output.status.code(), Some(1), "{table}\n{stderr}");
    assert!(
        stderr.contains("answers differ from the recording"),
        "{stderr}"
    );
    assert!(table.contains("DIFF  line "), "{table}");
    assert!(
        table.contains("trainingCenters[SPN-TC-02].name: \"Rumah Belajar DPC SPN Kota Serang (fiktif)\" -> \"Rumah Kerja DPC SPN Kota Serang (fiktif)\""),
        "{table}"
    );
    assert!(
        table.contains(
            "participants[SPN-P-0002].pii.fullName: (personal, hidden) -> (personal, hidden)"
        ),
        "{table}"
    );
    assert!(
        table.contains("participants[SPN-P-0002].pii.phone"),
        "{table}"
    );
    for personal in ["Sumarni", "Sumarti", "0899001203", "3602134311799302"] {
        assert!(!table.contains(personal), "{personal} printed:\n{table}");
    }

    let output = replay(&config, &file, true);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout_json(&output);
    assert!(
        report["summary"]["different"].as_u64().unwrap() >= 2,
        "{report:#}"
    );
    let text = report.to_string();
    for personal in ["Sumarni", "Sumarti", "0899001203"] {
        assert!(!text.contains(personal), "{personal} in the JSON: {text}");
    }
    let paths: Vec<&str> = report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["diff"]["changed"].as_array())
        .flatten()
        .filter_map(|c| c["path"].as_str())
        .collect();
    assert!(
        paths.contains(&"trainingCenters[SPN-TC-02].name"),
        "{paths:?}"
    );
}

#[test]
fn a_malformed_line_is_an_error_naming_file_and_line() {
    let dir = simpul_tests::scratch_dir("kit-replay-bad");
    let (data, config) = spn_data(&dir);
    let file = dir.join("broken.jsonl");
    record_directly(&data, &file);
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("{\"format\": 1, \"nik\": \"3602134311799302\"\n");
    std::fs::write(&file, text.clone()).unwrap();
    let bad_line = text.lines().count();
    let output = replay(&config, &file, false);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{} line {bad_line}: not a recorded call",
            file.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("3602134311799302"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let missing = replay(&config, &dir.join("none.jsonl"), false);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the recording"));
}

#[test]
fn bench_prints_a_row_per_collection_and_page_size() {
    let dir = simpul_tests::scratch_dir("kit-bench");
    let (_, config) = spn_data(&dir);
    let library = spn();
    let args = |json: bool| {
        let mut args = vec![
            "adapter",
            "bench",
            library.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--pages",
            "1,7",
            "--duration-ms",
            "20",
            "--max-calls",
            "5",
        ];
        if json {
            args.push("--json");
        }
        args
    };
    let output = simpul(&args(false));
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    eprintln!("{table}");
    assert!(
        output.status.success(),
        "{table}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(table.contains("p50 ms"), "{table}");
    let output = simpul(&args(true));
    let report = stdout_json(&output);
    let cells = report["cells"].as_array().unwrap();
    for collection in ["trainingCenters", "courses", "courseRuns", "participants"] {
        for page in [1, 7] {
            let cell = cells
                .iter()
                .find(|c| c["collection"] == collection && c["page"] == page)
                .unwrap_or_else(|| panic!("no {collection} page {page}: {report:#}"));
            let calls = cell["calls"].as_u64().unwrap();
            assert!((1..=5).contains(&calls), "{cell}");
            assert_eq!(cell["errors"], 0, "{cell}");
            assert!(cell["records"].as_u64().unwrap() >= calls, "{cell}");
            assert!(
                cell["p99Ms"].as_f64().unwrap() >= cell["p50Ms"].as_f64().unwrap(),
                "{cell}"
            );
            let row = table.lines().find(|l| {
                l.starts_with(collection) && l.split_whitespace().nth(1) == Some(&page.to_string())
            });
            assert!(row.is_some(), "no row {collection} {page}:\n{table}");
        }
    }
}
