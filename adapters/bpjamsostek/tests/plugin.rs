//! Through the real plugin boundary: the cdylib `cargo test` built, loaded with the host's
//! `PluginLibrary`, check the manifest and config schema, and call it (status, a query, a
//! refused key, a missed host deadline) against the simulator.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use serde_json::json;
use simpul_plugin::host::{library_file_name, PluginLibrary};
use simpul_plugin::{CollectionCapabilities, PluginError, PluginErrorKind};
use simpul_schema::{
    AdapterRequest, AdapterResponse, Collection, CompareOp, Filter, ProviderKind, QueryRequest,
    Records, SourceKind,
};

/// The plugin library. `cargo test` compiles this crate's library with both of its crate
/// types, so the cdylib this test loads sits beside the test binary (`target/<profile>/deps/`)
/// and is built from exactly the code under test. (Running `cargo build -p` from here instead
/// would rebuild the crate's un-hashed rlib with the non-test feature set and break the other
/// test targets that link against it.)
fn built_library() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps");
    let name = library_file_name("simpul_adapter_bpjamsostek");
    [deps.join(&name), deps.join("..").join(&name)]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no {name:?} beside {}", deps.display()))
}

fn plugin_config(base_url: &str, key: &str) -> serde_json::Value {
    json!({
        "base_url": base_url,
        "api_key": key,
        "identity_secret": SECRET,
        "backoff_base_ms": 10,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loads_and_answers_through_the_c_abi() {
    let library = PluginLibrary::open(built_library()).expect("the plugin loads");
    let manifest = library.manifest();
    assert_eq!(manifest.name, "simpul-adapter-bpjamsostek");
    assert_eq!(manifest.provider.key, "bpjamsostek");
    assert_eq!(manifest.provider.kind, ProviderKind::SocialSecurityAgency);
    assert_eq!(manifest.provider.source_kind, SourceKind::RestApi);
    assert_eq!(manifest.capabilities.collections.len(), 8);
    assert!(manifest
        .capabilities
        .collections
        .values()
        .all(|c| *c == CollectionCapabilities::full()));

    // The host checks config against the manifest's schema before creating anything.
    let mut short = plugin_config("http://127.0.0.1:1", FULL);
    short["identity_secret"] = json!("too-short");
    assert!(library.validate_config(&short).is_err());
    let mut unknown = plugin_config("http://127.0.0.1:1", FULL);
    unknown["retries"] = json!(2);
    assert!(library.validate_config(&unknown).is_err());
    let mut page = plugin_config("http://127.0.0.1:1", FULL);
    page["page_size"] = json!(500);
    assert!(library.validate_config(&page).is_err());

    let sim = simulator().await;
    let instance = library
        .create("bpjamsostek", plugin_config(sim.base_url(), FULL))
        .await
        .expect("create");
    let deadline = Duration::from_secs(20);
    let Ok(AdapterResponse::Status(status)) =
        instance.call(&AdapterRequest::Status, deadline).await
    else {
        panic!("a status answer expected")
    };
    assert_eq!(status.record_counts["enrollments"], 25);
    assert!(!status.rejected.is_empty());

    let mut request = QueryRequest::all(Collection::Participants);
    request.filter = Some(Filter::compare("sex", CompareOp::Eq, "FEMALE"));
    let Ok(AdapterResponse::Query(answer)) = instance
        .call(&AdapterRequest::Query(request), deadline)
        .await
    else {
        panic!("a query answer expected")
    };
    let Records::Participants(people) = answer.records else {
        panic!("participants expected")
    };
    assert_eq!(answer.total_count, people.len() as u64);
    assert!(!people.is_empty());
    assert!(people.iter().all(|p| p.pii.is_none()));
    instance.shutdown().await;

    // A refused key crosses the boundary as a coded adapter error.
    let refused = library
        .create("bpjamsostek", plugin_config(sim.base_url(), REVOKED))
        .await
        .expect("create does not contact the API");
    let e = refused
        .call(
            &AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters)),
            deadline,
        )
        .await
        .expect_err("the key is refused");
    match e {
        PluginError::Call {
            kind: PluginErrorKind::Adapter(a),
            ..
        } => {
            assert_eq!(a.code, "SOURCE_UNAUTHORIZED");
            assert!(!a.message.contains(REVOKED));
        }
        other => panic!("unexpected error: {other}"),
    }
    refused.shutdown().await;

    // A call still waiting on the API when the host's deadline passes is a timeout.
    sim.faults().set_latency_ms(3000);
    let slow = library
        .create("bpjamsostek", plugin_config(sim.base_url(), FULL))
        .await
        .expect("create");
    let e = slow
        .call(
            &AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters)),
            Duration::from_millis(300),
        )
        .await
        .expect_err("the deadline passes");
    assert!(
        matches!(
            e,
            PluginError::Call {
                kind: PluginErrorKind::Timeout(_),
                ..
            }
        ),
        "{e}"
    );
    slow.shutdown().await;
    sim.faults().clear();
}
