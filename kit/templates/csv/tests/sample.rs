//! The sample data that `simpul adapter new` wrote, read end to end: what is served, what is
//! rejected (with a code, a line and a key) and what is noted. Replace it with a real export
//! of your provider (anonymised) and these numbers with what it holds.

use std::path::Path;

use {{lib_name}}::{source, Data, {{type_name}}Adapter, {{type_name}}Config};
use simpul_plugin::sdk::Adapter as _;
use simpul_schema::{Collection, QueryRequest, Records};

fn sample() -> Data {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/training_centers.csv");
    Data::from_table(source::read(&{{type_name}}Config::new(file)).expect("read the sample"))
}

#[test]
fn the_sample_is_served_and_its_bad_rows_reported() {
    let data = sample();
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
        [
            ("ROW_MALFORMED", Some(9), Some("TC-006")),
            ("ROW_SKIPPED_INVALID_REQUIRED", Some(7), Some("row 6")),
            ("DUPLICATE_KEY_CONFLICT", Some(8), Some("TC-002")),
        ]
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
    assert!(data.status.data_as_of.is_some());
}

#[test]
fn queries_page_and_look_up() {
    let data = sample();
    let mut request = QueryRequest::all(Collection::TrainingCenters);
    request.ids = Some(vec!["TC-003".into()]);
    let answer = data.query(&request).unwrap();
    assert_eq!(answer.total_count, 1);
    let Records::TrainingCenters(found) = answer.records else {
        panic!("wrong collection")
    };
    assert_eq!(found[0].name, "BLK Komunitas Nurul Iman");
}

#[test]
fn the_manifest_declares_what_is_served() {
    let manifest = {{type_name}}Adapter::manifest();
    assert_eq!(manifest.name, env!("CARGO_PKG_NAME"));
    let collections: Vec<Collection> = manifest.capabilities.collections.keys().copied().collect();
    assert_eq!(collections, [Collection::TrainingCenters]);
    assert!(manifest.config_schema["properties"]["data_file"].is_object());
}
