//! The sample API (`examples/sample_server.rs` over `sample/training_centers.json`), read end
//! to end: what is served, what is rejected (with a code and a key) and what is noted. Replace
//! the sample with anonymised answers of your provider's API, and these numbers with what they
//! hold.

use {{lib_name}}::source::Source;
use {{lib_name}}::{Data, {{type_name}}Adapter, {{type_name}}Config};
use simpul_plugin::sdk::Adapter as _;
use simpul_schema::{Collection, QueryRequest, Records};

#[allow(dead_code)]
#[path = "../examples/sample_server.rs"]
mod sample_server;

/// Serve the sample API on an ephemeral port; its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = sample_server::router(sample_server::sample_items());
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

async fn sample(page_size: u32) -> Data {
    let mut config = {{type_name}}Config::new(serve().await);
    config.page_size = page_size;
    let source = Source::open(&config).await.expect("a client");
    Data::from_table(source.read().await.expect("read the sample API"))
}

#[tokio::test]
async fn the_sample_is_served_and_its_bad_items_reported() {
    let data = sample(100).await;
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
            ("ROW_SKIPPED_INVALID_REQUIRED", None, Some("row 6")),
            ("DUPLICATE_KEY_CONFLICT", None, Some("TC-002")),
        ]
    );
    let notices: Vec<&str> = data
        .status
        .notices
        .iter()
        .map(|n| n.code.as_str())
        .collect();
    assert_eq!(notices, ["UNKNOWN_FIELD_IGNORED", "REGION_CODE_NORMALIZED"]);
    assert_eq!(data.status.warnings, 1);
    assert_eq!(data.status.record_counts["trainingCenters"], 5);
}

#[tokio::test]
async fn every_page_is_read() {
    assert_eq!(sample(2).await, sample(100).await);
}

#[tokio::test]
async fn queries_page_and_look_up() {
    let data = sample(100).await;
    let mut request = QueryRequest::all(Collection::TrainingCenters);
    request.ids = Some(vec!["TC-003".into()]);
    let answer = data.query(&request).unwrap();
    assert_eq!(answer.total_count, 1);
    let Records::TrainingCenters(found) = answer.records else {
        panic!("wrong collection")
    };
    assert_eq!(found[0].name, "BLK Komunitas Nurul Iman");
}

#[tokio::test]
async fn an_unreachable_api_is_a_clear_error() {
    // A port nothing listens on: bind one, then let it go.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let source = Source::open(&{{type_name}}Config::new(format!("http://{address}")))
        .await
        .unwrap();
    let e = source.read().await.expect_err("nothing listens");
    assert_eq!(e.code(), "SOURCE_UNAVAILABLE");
    assert!(e.to_string().contains("/training-centers"));
}

#[test]
fn the_manifest_declares_what_is_served() {
    let manifest = {{type_name}}Adapter::manifest();
    assert_eq!(manifest.name, env!("CARGO_PKG_NAME"));
    let collections: Vec<Collection> = manifest.capabilities.collections.keys().copied().collect();
    assert_eq!(collections, [Collection::TrainingCenters]);
    assert!(manifest.config_schema["properties"]["base_url"].is_object());
}
