//! The sample database that `simpul adapter new` wrote, read end to end: what is served, what
//! is rejected (with a code and a key) and what is noted. Replace it with a copy of your
//! provider's schema filled with anonymised rows, and these numbers with what it holds.

use std::path::Path;

use {{lib_name}}::source::Source;
use {{lib_name}}::{Data, {{type_name}}Adapter, {{type_name}}Config};
use simpul_plugin::sdk::Adapter as _;
use simpul_schema::{Collection, QueryRequest, Records};

async fn sample() -> Data {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/training_centers.sqlite");
    let config = {{type_name}}Config::new(format!("sqlite://{}?mode=ro", file.display()));
    let source = Source::open(&config).await.expect("open the sample");
    Data::from_table(source.read().await.expect("read the sample"))
}

#[tokio::test]
async fn the_sample_is_served_and_its_bad_rows_reported() {
    let data = sample().await;
    let ids: Vec<&str> = data
        .training_centers
        .iter()
        .map(|c| c.source_id.as_str())
        .collect();
    assert_eq!(ids, ["TC-001", "TC-002", "TC-003", "TC-004", "TC-005"]);
    let rejected: Vec<(&str, Option<u64>, Option<&str>)> = data
        .status
        .rejected
        .iter()
        .map(|i| (i.code.as_str(), i.line, i.key.as_deref()))
        .collect();
    assert_eq!(
        rejected,
        [("ROW_SKIPPED_INVALID_REQUIRED", None, Some("TC-006"))]
    );
    let notices: Vec<&str> = data
        .status
        .notices
        .iter()
        .map(|n| n.code.as_str())
        .collect();
    assert_eq!(
        notices,
        ["UNKNOWN_COLUMN_IGNORED", "REGION_CODE_NORMALIZED"]
    );
    assert_eq!(data.status.warnings, 1);
    assert_eq!(data.status.record_counts["trainingCenters"], 5);
}

#[tokio::test]
async fn queries_page_and_look_up() {
    let data = sample().await;
    let mut request = QueryRequest::all(Collection::TrainingCenters);
    request.ids = Some(vec!["TC-003".into()]);
    let answer = data.query(&request).unwrap();
    assert_eq!(answer.total_count, 1);
    let Records::TrainingCenters(found) = answer.records else {
        panic!("wrong collection")
    };
    assert_eq!(found[0].name, "BLK Komunitas Nurul Iman");
    assert_eq!(found[0].active, Some(false));
}

#[tokio::test]
async fn a_missing_table_is_a_clear_error() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/training_centers.sqlite");
    let mut config = {{type_name}}Config::new(format!("sqlite://{}?mode=ro", file.display()));
    config.table = "no_such_table".into();
    let source = Source::open(&config).await.expect("open the sample");
    let e = source.read().await.expect_err("no such table");
    assert_eq!(e.code(), "SOURCE_INVALID");
    assert!(e.to_string().contains("no_such_table"));
}

#[test]
fn the_manifest_declares_what_is_served() {
    let manifest = {{type_name}}Adapter::manifest();
    assert_eq!(manifest.name, env!("CARGO_PKG_NAME"));
    let collections: Vec<Collection> = manifest.capabilities.collections.keys().copied().collect();
    assert_eq!(collections, [Collection::TrainingCenters]);
    assert!(manifest.config_schema["properties"]["database_url"].is_object());
}
