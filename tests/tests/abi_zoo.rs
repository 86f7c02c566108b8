//! The raw-ABI zoo (`plugins/c/zoo/`): plugins written in C against `simpul_plugin.h` alone,
//! each breaking one rule of the ABI. A broken header is refused with a typed error naming the
//! library; a broken call fails that call (or is ignored and counted) and never crashes the
//! host, never leaks a payload (the zoo counts its buffers' releases) and never delays other
//! providers or the async runtime.
//!
//! Run once under valgrind (see `plugins/zoo/README.md`) to check the host side for leaks and
//! invalid accesses as well.

use std::os::raw::c_long;
use std::time::{Duration, Instant};

use simpul_plugin::host::{PluginInstance, PluginLibrary};
use simpul_plugin::{PluginError, PluginErrorKind};
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, CompareOp, QueryRequest};
use simpul_tests::PATIENCE;

/// The zoo library built from `plugins/c/zoo/NAME.c`.
fn open(case: &str) -> Result<PluginLibrary, PluginError> {
    PluginLibrary::open(simpul_c_plugins::zoo(case))
}

/// The error with which the host refuses to load a case.
fn refused(case: &str) -> PluginError {
    let Err(error) = open(case) else {
        panic!("the host loaded `{case}`")
    };
    names_library(&error, case);
    error
}

fn names_library(error: &PluginError, case: &str) {
    let text = error.to_string();
    let file = format!("simpul_czoo_{case}");
    assert!(
        text.contains(&file),
        "the error does not name the library: {text}"
    );
}

fn query() -> AdapterRequest {
    AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters))
}

/// A served call: one training centre, as the zoo's canned answer has it.
fn assert_served(answer: Result<AdapterResponse, PluginError>) {
    match answer {
        Ok(AdapterResponse::Query(response)) => assert_eq!(response.total_count, 1),
        other => panic!("the call was not served: {other:?}"),
    }
}

/// The kind of a failed call, after checking it names the library.
fn call_error(answer: Result<AdapterResponse, PluginError>, case: &str) -> PluginErrorKind {
    let error = answer.expect_err("the call succeeded");
    names_library(&error, case);
    match error {
        PluginError::Call { kind, .. } => kind,
        other => panic!("not a call error: {other}"),
    }
}

async fn create(case: &str) -> PluginInstance {
    open(case)
        .unwrap_or_else(|e| panic!("{e}"))
        .create("czoo", serde_json::json!({}))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The zoo's own counters (`zoo_common.h`), read through a handle of our own on the library
/// (the same one the host loaded: one copy per process).
struct Counters(libloading::Library);

impl Counters {
    fn of(case: &str) -> Self {
        // SAFETY: a zoo library has no initialisers; loading it again only adds a reference.
        Self(unsafe { libloading::Library::new(simpul_c_plugins::zoo(case)) }.unwrap())
    }

    fn read(&self, symbol: &str) -> c_long {
        // SAFETY: zoo_common.h defines these as `long NAME(void)`.
        unsafe {
            let counter = self
                .0
                .get::<unsafe extern "C" fn() -> c_long>(symbol.as_bytes())
                .unwrap();
            counter()
        }
    }

    /// Payloads handed to the host and not released yet (negative: released twice).
    fn outstanding(&self) -> c_long {
        self.read("zoo_outstanding_buffers")
    }

    fn handed(&self) -> c_long {
        self.read("zoo_buffers_handed")
    }

    fn calls(&self) -> c_long {
        self.read("zoo_calls")
    }

    fn late_completions(&self) -> c_long {
        self.read("zoo_late_completions")
    }

    /// Wait until every payload handed over has been released exactly once.
    async fn assert_all_released(&self) {
        let released = eventually(|| self.outstanding() <= 0).await;
        assert!(
            released && self.outstanding() == 0,
            "{} of {} payloads not released exactly once",
            self.outstanding(),
            self.handed()
        );
    }
}

/// Poll `condition` (every 10 ms, without blocking the runtime) for up to [`PATIENCE`].
async fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + PATIENCE;
    while !condition() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

// ---- Headers the host refuses ------------------------------------------------------------

#[test]
fn wrong_magic_is_refused_before_anything_runs() {
    let error = refused("bad_magic");
    assert!(
        matches!(error, PluginError::BadMagic { found, .. } if &found == b"NOTSIMPL"),
        "{error}"
    );
}

#[test]
fn wrong_abi_major_names_both_versions() {
    let error = refused("bad_abi_major");
    let PluginError::AbiMismatch { plugin, host, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!((plugin.0, host.0), (2, 1));
    let text = error.to_string();
    assert!(
        text.contains(&format!("{}.{}", plugin.0, plugin.1))
            && text.contains(&format!("{}.{}", host.0, host.1)),
        "{text}"
    );
}

#[test]
fn aborting_plugins_are_refused() {
    let error = refused("aborting");
    assert!(matches!(error, PluginError::NotUnwinding { .. }), "{error}");
}

#[test]
fn missing_entry_symbol() {
    let error = refused("no_entry");
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
}

/// The refusals that are all `BadHeader`, with what the reason must mention.
#[test]
fn broken_headers_and_tables_are_refused_before_use() {
    for (case, word) in [
        ("null_header", "header"),
        ("misaligned", "align"),
        ("short_header", "40"),
        ("misaligned_functions", "align"),
        ("short_functions", "16"),
        ("null_call", "`call`"),
    ] {
        let error = refused(case);
        let PluginError::BadHeader { reason, .. } = &error else {
            panic!("{case}: {error}")
        };
        assert!(reason.contains(word), "{case}: {reason}");
    }
}

#[test]
fn a_manifest_without_the_json_encoding_is_refused() {
    let error = refused("no_json_encoding");
    let PluginError::BadManifest { reason, .. } = &error else {
        panic!("{error}")
    };
    assert!(reason.contains("json"), "{reason}");
}

// ---- Plugins the host loads and serves ---------------------------------------------------

#[tokio::test]
async fn the_healthy_base_is_served() {
    let counters = Counters::of("healthy");
    let instance = create("healthy").await;
    assert_served(instance.call(&query(), PATIENCE).await);
    let status = instance.call(&AdapterRequest::Status, PATIENCE).await;
    assert!(
        matches!(status, Ok(AdapterResponse::Status(_))),
        "{status:?}"
    );
    assert_eq!(instance.stray_completions(), 0);
    instance.shutdown().await;
    counters.assert_all_released().await;
}

#[tokio::test]
async fn a_newer_minor_with_longer_structs_loads_and_serves() {
    let library = open("newer_minor").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(library.manifest().name, "simpul-czoo-newer_minor");
    let instance = library
        .create("czoo", serde_json::json!({}))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_served(instance.call(&query(), PATIENCE).await);
    assert_served(instance.call(&query(), PATIENCE).await);
    instance.shutdown().await;
    Counters::of("newer_minor").assert_all_released().await;
}

#[tokio::test]
async fn a_newer_manifest_loads_with_warnings_for_what_the_host_does_not_know() {
    let library = open("newer_manifest").unwrap_or_else(|e| panic!("{e}"));
    // One warning per unknown value, naming its vocabulary and the value (the ignored
    // operator and collection too: camelCase plugin metadata, shown as it is).
    let warnings = library.manifest_warnings();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    let warnings = warnings.join("\n");
    for unknown in [
        "ProviderKind `COOPERATIVE`",
        "SourceKind `GRAPH_DATABASE`",
        "CompareOp `regex`",
        "Collection `assessors`",
    ] {
        assert!(
            warnings.contains(unknown),
            "no warning names {unknown}: {warnings}"
        );
    }
    let collections = &library.manifest().capabilities.collections;
    assert_eq!(
        collections.keys().collect::<Vec<_>>(),
        [&Collection::TrainingCenters]
    );
    assert_eq!(
        collections[&Collection::TrainingCenters].filter_operators,
        [CompareOp::Eq]
    );
    let instance = library
        .create("czoo", serde_json::json!({}))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_served(instance.call(&query(), PATIENCE).await);
    instance.shutdown().await;
}

#[tokio::test]
async fn null_cancel_and_destroy_are_allowed() {
    let counters = Counters::of("null_optional");
    let instance = create("null_optional").await;
    for _ in 0..3 {
        assert_served(instance.call(&query(), PATIENCE).await);
    }
    let status = instance.call(&AdapterRequest::Status, PATIENCE).await;
    assert!(
        matches!(status, Ok(AdapterResponse::Status(_))),
        "{status:?}"
    );
    instance.shutdown().await; // and no destroy to call
    assert_eq!(counters.calls(), 4);
    counters.assert_all_released().await;
}

// ---- Calls that go wrong -----------------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_a_bad_response_and_not_fatal() {
    let counters = Counters::of("malformed_json");
    let instance = create("malformed_json").await;
    for _ in 0..2 {
        let kind = call_error(instance.call(&query(), PATIENCE).await, "malformed_json");
        assert!(matches!(kind, PluginErrorKind::BadResponse(_)), "{kind}");
    }
    instance.shutdown().await;
    counters.assert_all_released().await;
}

/// A plugin that negotiates MessagePack and then writes bytes that are not MessagePack: an
/// answer is a bad response, an error payload is an adapter error whose message describes the
/// bytes instead of repeating them; every payload is released and the instance keeps serving
/// calls (each one failing the same way, none poisoning it).
#[tokio::test]
async fn malformed_msgpack_answers_and_errors_are_clear_and_not_fatal() {
    let counters = Counters::of("malformed_msgpack");
    let instance = create("malformed_msgpack").await;
    assert_eq!(instance.encoding(), simpul_plugin::Encoding::MessagePack);
    for _ in 0..2 {
        let kind = call_error(instance.call(&query(), PATIENCE).await, "malformed_msgpack");
        assert!(matches!(kind, PluginErrorKind::BadResponse(_)), "{kind}");
        let kind = call_error(instance.call(&query(), PATIENCE).await, "malformed_msgpack");
        let PluginErrorKind::Adapter(error) = &kind else {
            panic!("not an adapter error: {kind}")
        };
        assert_eq!(error.code, "INTERNAL");
        assert_eq!(
            error.message,
            "an error payload of 11 bytes that is neither a msgpack AdapterError nor text"
        );
    }
    assert_eq!(counters.calls(), 4);
    instance.shutdown().await;
    counters.assert_all_released().await;
}

#[tokio::test]
async fn a_second_completion_is_ignored_and_counted() {
    let counters = Counters::of("double_complete");
    let instance = create("double_complete").await;
    // The first completion (the answer) wins; the second (an error) is a stray.
    for n in 1..=5 {
        assert_served(instance.call(&query(), PATIENCE).await);
        assert!(
            eventually(|| instance.stray_completions() == n).await,
            "after {n} calls: {} strays",
            instance.stray_completions()
        );
    }
    assert_eq!(instance.late_completions(), 0);
    instance.shutdown().await;
    assert_eq!(counters.handed(), 10);
    counters.assert_all_released().await;
}

#[tokio::test]
async fn a_missing_completion_ends_at_the_deadline_and_later_calls_are_served() {
    let counters = Counters::of("no_complete");
    let instance = create("no_complete").await;
    let deadline = Duration::from_millis(300);
    let started = Instant::now();
    let kind = call_error(instance.call(&query(), deadline).await, "no_complete");
    let waited = started.elapsed();
    assert!(matches!(kind, PluginErrorKind::Timeout(_)), "{kind}");
    assert!(
        waited >= deadline && waited < deadline + Duration::from_millis(1500),
        "the host gave up after {waited:?} (deadline {deadline:?})"
    );
    for _ in 0..3 {
        assert_served(instance.call(&query(), PATIENCE).await);
    }
    assert_eq!(instance.stray_completions(), 0);
    assert_eq!(instance.late_completions(), 0);
    instance.shutdown().await;
    counters.assert_all_released().await;
}

#[tokio::test]
async fn a_completion_from_a_foreign_thread_after_the_deadline_is_released() {
    let counters = Counters::of("late_complete");
    let instance = create("late_complete").await;
    let deadline = Duration::from_millis(300);
    let kind = call_error(instance.call(&query(), deadline).await, "late_complete");
    assert!(matches!(kind, PluginErrorKind::Timeout(_)), "{kind}");
    // The plugin's thread completes a second after the deadline; the host has stopped waiting
    // by then, and releases and counts the payload as late (expected, not a mistake).
    assert!(eventually(|| counters.late_completions() == 1).await);
    assert!(
        eventually(|| instance.late_completions() == 1).await,
        "{} late completions",
        instance.late_completions()
    );
    assert_eq!(instance.stray_completions(), 0);
    counters.assert_all_released().await;
    instance.shutdown().await;
}

#[tokio::test]
async fn an_unknown_status_is_an_adapter_fault() {
    let counters = Counters::of("unknown_status");
    let instance = create("unknown_status").await;
    let kind = call_error(instance.call(&query(), PATIENCE).await, "unknown_status");
    assert!(matches!(kind, PluginErrorKind::UnknownStatus(77)), "{kind}");
    instance.shutdown().await;
    counters.assert_all_released().await;
}

#[tokio::test]
async fn a_100_mib_answer_is_too_large_and_released() {
    let counters = Counters::of("huge_payload");
    let instance = create("huge_payload").await;
    let kind = call_error(instance.call(&query(), PATIENCE).await, "huge_payload");
    let PluginErrorKind::PayloadTooLarge { size, limit } = kind else {
        panic!("{kind}")
    };
    assert_eq!(size, 100 * 1024 * 1024);
    assert!(limit < size, "{limit}");
    counters.assert_all_released().await;
    instance.shutdown().await;
}

/// A plugin that blocks inside `call` for 3 s holds one of its own dispatch threads, nothing
/// else: on a single-threaded runtime (where a call run inline would freeze everything), a
/// timer fires on time and another provider answers at once meanwhile, and the blocked call
/// itself ends at its deadline.
#[tokio::test(flavor = "current_thread")]
async fn a_plugin_blocking_inside_call_delays_nothing_else() {
    let block = Duration::from_secs(3);
    let blocking_counters = Counters::of("blocking");
    let blocking = create("blocking").await;
    let healthy = create("healthy").await;
    let deadline = Duration::from_millis(1000);

    let started = Instant::now();
    let blocked = tokio::spawn(async move {
        let answer = blocking.call(&query(), deadline).await;
        (answer, started.elapsed(), blocking)
    });
    // The plugin is inside `call` (and will be for 3 s). Had the host run `call` on this
    // runtime's only thread, this wait would already have taken the whole block.
    assert!(eventually(|| blocking_counters.calls() == 1).await);
    assert!(
        started.elapsed() < block,
        "the plugin's `call` held up this runtime for {:?}: it ran on the runtime's thread",
        started.elapsed()
    );

    let timer = Instant::now();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let slept = timer.elapsed();
    let asked = Instant::now();
    assert_served(healthy.call(&query(), PATIENCE).await);
    let answered = asked.elapsed();
    let during_block = started.elapsed() < block;
    assert!(
        during_block,
        "inconclusive: the checks ran after the block had ended"
    );
    assert!(
        slept < Duration::from_millis(750),
        "a 50 ms timer fired after {slept:?}: the runtime was blocked"
    );
    assert!(
        answered < Duration::from_millis(1000),
        "another provider answered after {answered:?}"
    );

    let (answer, waited, blocking) = blocked.await.unwrap();
    let kind = call_error(answer, "blocking");
    assert!(matches!(kind, PluginErrorKind::Timeout(_)), "{kind}");
    assert!(
        waited >= deadline && waited < block - Duration::from_millis(500),
        "the blocked call ended after {waited:?} (deadline {deadline:?}, block {block:?})"
    );
    // The completion that comes when the block ends is late: released and counted.
    assert!(
        eventually(|| blocking.late_completions() == 1).await,
        "{} late completions",
        blocking.late_completions()
    );
    blocking.shutdown().await;
    blocking_counters.assert_all_released().await;
    healthy.shutdown().await;
}

/// A call whose deadline passes while it waits for a dispatch thread is never handed to the
/// plugin, and its caller hears it timed out (not that it was cancelled, which the gateway
/// reports as the provider being down). With one dispatch thread held by `blocking` for 3 s, a
/// second call's deadline is set to end just before the block does; the thread takes it up
/// right after, inside the host's grace period, when the caller is still waiting for an answer.
/// (On a starved machine the thread may come later than the grace: the caller then times out
/// on its own, and the test passes without reaching the expiry.)
#[tokio::test]
async fn a_call_whose_deadline_passes_in_the_queue_times_out() {
    let block = Duration::from_secs(3);
    let counters = Counters::of("blocking");
    let settings = simpul_plugin::host::HostSettings {
        call_threads: 1,
        ..Default::default()
    };
    let blocking = std::sync::Arc::new(
        open("blocking")
            .unwrap()
            .create_with("czoo", serde_json::json!({}), settings)
            .await
            .unwrap(),
    );
    let first = {
        let blocking = std::sync::Arc::clone(&blocking);
        tokio::spawn(async move { blocking.call(&query(), 2 * block).await })
    };
    assert!(eventually(|| counters.calls() == 1).await);
    // Counted from now, a little after the block began: it ends at most 60 ms before the
    // block does.
    let deadline = block - Duration::from_millis(60);
    let kind = call_error(blocking.call(&query(), deadline).await, "blocking");
    assert!(matches!(kind, PluginErrorKind::Timeout(_)), "{kind}");

    assert_served(first.await.unwrap());
    assert_eq!(
        counters.calls(),
        1,
        "the expired call was handed to the plugin"
    );
    std::sync::Arc::into_inner(blocking)
        .unwrap()
        .shutdown()
        .await;
    counters.assert_all_released().await;
}
