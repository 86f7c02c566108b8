//! The plugin zoo: each broken plugin gives a typed error naming the library and the reason;
//! a misbehaving instance is contained.

use std::time::{Duration, Instant};

use serde_json::json;
use simpul_plugin::host::PluginLibrary;
use simpul_plugin::{PluginError, PluginErrorKind};
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, QueryRequest};
use simpul_tests::library;

fn open(name: &str) -> Result<PluginLibrary, PluginError> {
    PluginLibrary::open(library(name))
}

fn query() -> AdapterRequest {
    AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters))
}

fn names_library(error: &PluginError, name: &str) {
    let text = error.to_string();
    assert!(
        text.contains(name),
        "error does not name the library: {text}"
    );
}

#[test]
fn wrong_magic_is_refused_before_anything_runs() {
    let error = open("simpul_zoo_bad_magic").unwrap_err();
    assert!(
        matches!(error, PluginError::BadMagic { found, .. } if &found == b"NOTSIMPL"),
        "{error}"
    );
    names_library(&error, "simpul_zoo_bad_magic");
}

#[test]
fn wrong_abi_major_names_both_versions() {
    let error = open("simpul_zoo_bad_abi_major").unwrap_err();
    let PluginError::AbiMismatch { plugin, host, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(plugin.0, host.0 + 1);
    let text = error.to_string();
    assert!(
        text.contains(&format!("{}.{}", plugin.0, plugin.1))
            && text.contains(&format!("{}.{}", host.0, host.1)),
        "{text}"
    );
    names_library(&error, "simpul_zoo_bad_abi_major");
}

#[test]
fn aborting_plugins_are_refused() {
    let error = open("simpul_zoo_aborting").unwrap_err();
    assert!(matches!(error, PluginError::NotUnwinding { .. }), "{error}");
    names_library(&error, "simpul_zoo_aborting");
}

#[test]
fn missing_entry_symbol() {
    let error = open("simpul_zoo_no_entry").unwrap_err();
    assert!(
        matches!(
            error,
            PluginError::MissingEntry {
                symbol: "simpul_plugin_entry",
                ..
            }
        ),
        "{error}"
    );
    names_library(&error, "simpul_zoo_no_entry");
}

#[test]
fn missing_file() {
    let error = PluginLibrary::open("/nonexistent/libnothing.so").unwrap_err();
    assert!(matches!(error, PluginError::Load { .. }), "{error}");
    names_library(&error, "/nonexistent/libnothing.so");
}

#[tokio::test]
async fn invalid_config_lists_every_problem() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let error = lib
        .create("zoo", json!({ "mode": "sideways", "colour": 1 }))
        .await
        .unwrap_err();
    let PluginError::InvalidConfig { problems, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("/mode")), "{problems:?}");
    names_library(&error, "simpul_zoo_misbehaving");

    let spn = open("simpul_adapter_spn").unwrap();
    let error = spn.create("spn", json!({})).await.unwrap_err();
    assert!(error.to_string().contains("data_dir"), "{error}");
}

#[tokio::test]
async fn panic_in_create_is_an_error() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let error = lib
        .create("zoo", json!({ "mode": "panic_on_create" }))
        .await
        .unwrap_err();
    let PluginError::CreatePanicked { message, .. } = &error else {
        panic!("{error}")
    };
    assert!(message.contains("panic in create"), "{message}");
    names_library(&error, "simpul_zoo_misbehaving");
}

#[tokio::test]
async fn panic_in_a_call_poisons_only_that_instance() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let broken = lib
        .create("zoo", json!({ "mode": "panic_on_call" }))
        .await
        .unwrap();
    let healthy = lib
        .create("zoo2", json!({ "mode": "healthy" }))
        .await
        .unwrap();
    let deadline = Duration::from_secs(2);

    let error = broken.call(&query(), deadline).await.unwrap_err();
    assert!(
        matches!(&error, PluginError::Call { kind: PluginErrorKind::Panicked(m), .. } if m.contains("panic in call")),
        "{error}"
    );
    names_library(&error, "simpul_zoo_misbehaving");
    let error = broken.call(&query(), deadline).await.unwrap_err();
    assert!(
        matches!(
            &error,
            PluginError::Call {
                kind: PluginErrorKind::Poisoned,
                ..
            }
        ),
        "{error}"
    );

    let answer = healthy.call(&query(), deadline).await.unwrap();
    assert!(matches!(answer, AdapterResponse::Query(r) if r.total_count == 1));
    broken.shutdown().await;
    healthy.shutdown().await;
}

#[tokio::test]
async fn panic_after_io_on_the_plugin_runtime() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let instance = lib
        .create("zoo", json!({ "mode": "panic_after_io" }))
        .await
        .unwrap();
    let error = instance
        .call(&query(), Duration::from_secs(2))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            PluginError::Call {
                kind: PluginErrorKind::Panicked(_),
                ..
            }
        ),
        "{error}"
    );
    instance.shutdown().await;
}

#[tokio::test]
async fn a_hanging_call_times_out_at_its_deadline() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let instance = lib.create("zoo", json!({ "mode": "hang" })).await.unwrap();
    let started = Instant::now();
    let error = instance
        .call(&query(), Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            PluginError::Call {
                kind: PluginErrorKind::Timeout(_),
                ..
            }
        ),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the deadline was not enforced"
    );
    instance.shutdown().await;
}

#[tokio::test]
async fn a_call_blocking_its_thread_is_abandoned_by_the_host() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let instance = lib
        .create("zoo", json!({ "mode": "block", "block_ms": 1500 }))
        .await
        .unwrap();
    let error = instance
        .call(&query(), Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            PluginError::Call {
                kind: PluginErrorKind::Timeout(_),
                ..
            }
        ),
        "{error}"
    );
    instance.shutdown().await;
}

#[tokio::test]
async fn healthy_calls_run_concurrently() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let instance = std::sync::Arc::new(
        lib.create("zoo", json!({ "mode": "healthy" }))
            .await
            .unwrap(),
    );
    let calls = (0..32).map(|_| {
        let instance = std::sync::Arc::clone(&instance);
        tokio::spawn(async move { instance.call(&query(), Duration::from_secs(2)).await })
    });
    for call in calls {
        assert!(call.await.unwrap().is_ok());
    }
}
