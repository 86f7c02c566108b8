//! The Rust plugin zoo: an SDK adapter that misbehaves as configured gives a typed error naming
//! the library and the reason, and a misbehaving instance is contained. (The raw-ABI zoo,
//! plugins written in C that break the ABI itself, is `abi_zoo.rs`.)

use std::sync::Arc;
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

// The forged-header cases (wrong magic, ABI major, aborting, no entry symbol) are C plugins
// now, tested with the rest of the raw-ABI zoo in `abi_zoo.rs`.

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
    // The plugin blocks its only thread for 3 s; the host gives up at the deadline (plus its
    // short grace), long before the block ends.
    let block = Duration::from_millis(3000);
    let deadline = Duration::from_millis(100);
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let instance = lib
        .create(
            "zoo",
            json!({ "mode": "block", "block_ms": block.as_millis() as u64 }),
        )
        .await
        .unwrap();
    let started = Instant::now();
    let error = instance.call(&query(), deadline).await.unwrap_err();
    let waited = started.elapsed();
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
    // Not before the deadline, and well before the block ends: generous slack for a busy
    // machine, still 1.4 s short of the block.
    let bound = deadline + Duration::from_millis(1500);
    assert!(bound < block);
    assert!(
        waited >= deadline && waited < bound,
        "the host gave up after {waited:?}: not between the deadline ({deadline:?}) and \
         {bound:?} (the plugin blocks for {block:?})"
    );
    instance.shutdown().await;
}

#[tokio::test]
async fn healthy_calls_run_concurrently() {
    let lib = open("simpul_zoo_misbehaving").unwrap();
    let instance = Arc::new(
        lib.create("zoo", json!({ "mode": "healthy" }))
            .await
            .unwrap(),
    );
    let calls: Vec<_> = (0..32)
        .map(|_| {
            let instance = Arc::clone(&instance);
            tokio::spawn(async move { instance.call(&query(), Duration::from_secs(2)).await })
        })
        .collect();
    for call in calls {
        let answer = call.await.unwrap();
        assert!(answer.is_ok(), "{answer:?}");
    }

    // A healthy zoo answers at once, so it cannot show whether calls overlap. Calls that each
    // wait (`hang`: until their deadline) can: made from one task each, at the same time, they
    // are all in flight together, and together they take about one deadline, not the sum of
    // them. A host that made one call at a time would take 16 s here.
    let waiting = Arc::new(lib.create("zoo", json!({ "mode": "hang" })).await.unwrap());
    let deadline = Duration::from_secs(1);
    let n: u32 = 16;
    let started = Instant::now();
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let instance = Arc::clone(&waiting);
            tokio::spawn(async move {
                let start = Instant::now();
                let result = instance.call(&query(), deadline).await;
                (start, Instant::now(), result)
            })
        })
        .collect();
    let mut intervals = Vec::new();
    for call in calls {
        let (start, end, result) = call.await.unwrap();
        assert!(
            matches!(
                &result,
                Err(PluginError::Call {
                    kind: PluginErrorKind::Timeout(_),
                    ..
                })
            ),
            "{result:?}"
        );
        // Waited for its deadline, give or take the timer's millisecond ticks (tokio's timer
        // wheel fired a call 4 µs short of 1 s in CI, measured from this task's clock).
        assert!(
            end - start >= deadline - Duration::from_millis(10),
            "a call did not wait: {:?}",
            end - start
        );
        intervals.push((start, end));
    }
    let total = started.elapsed();
    let last_start = intervals.iter().map(|i| i.0).max().unwrap();
    let first_end = intervals.iter().map(|i| i.1).min().unwrap();
    assert!(
        last_start < first_end,
        "the calls were not all in flight at once: the last started {:?} after the first ended",
        last_start - first_end
    );
    // One deadline plus generous slack, a third of the serial sum.
    assert!(
        total < deadline * n / 3,
        "{n} calls of {deadline:?} took {total:?} in all (serial: {:?})",
        deadline * n
    );
    Arc::into_inner(waiting).unwrap().shutdown().await;
}
