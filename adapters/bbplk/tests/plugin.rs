//! Through the real plugin boundary: build the cdylib, load it with the host's
//! `PluginLibrary`, check the manifest, create instances on SQLite and PostgreSQL, and answer
//! queries, aggregates and status exactly as the in-process source does.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{TestDb, BACKENDS};
use simpul_plugin::host::{library_file_name, PluginLibrary};
use simpul_schema::*;

/// Build this crate's cdylib and return its path in `target/<profile>/deps`.
///
/// `--tests` builds the library with the same features as this test run (dev-dependencies
/// enabled), so the build is a no-op when fresh. A plain `cargo build -p` would build another
/// feature variant, and since a `cdylib` crate's artifacts carry no hash in their names it
/// would overwrite the `.rlib` the doc tests of this run link against (cargo issue #6313).
fn library() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--tests", "-p", "simpul-adapter-bbplk"])
        .current_dir(&workspace)
        .status()
        .expect("run cargo build");
    assert!(
        status.success(),
        "cargo build -p simpul-adapter-bbplk failed"
    );
    // This test binary lives in target/<profile>/deps/, beside the library it was linked with.
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps").to_path_buf();
    deps.join(library_file_name("simpul_adapter_bbplk"))
}

#[tokio::test]
async fn the_plugin_serves_both_engines_through_the_c_abi() {
    let library = PluginLibrary::open(library()).expect("load the plugin");
    let manifest = library.manifest();
    assert_eq!(manifest.name, "simpul-adapter-bbplk");
    assert_eq!(manifest.provider.key, "bbplk");
    assert_eq!(
        manifest.provider.kind,
        ProviderKind::GovernmentTrainingAuthority
    );
    assert_eq!(manifest.provider.source_kind, SourceKind::SqlDatabase);
    assert_eq!(
        manifest.capabilities,
        simpul_adapter_bbplk::adapter::capabilities()
    );
    assert_eq!(
        manifest.capabilities.collections.len(),
        Collection::ALL.len()
    );
    assert_eq!(
        manifest.capabilities.aggregates,
        analytics::AggregateView::ALL,
        "every aggregate view runs as SQL"
    );
    assert!(library
        .validate_config(&serde_json::json!({"url": "x.db", "pool": 1}))
        .is_err());
    assert!(library
        .validate_config(&serde_json::json!({"max_connections": 2}))
        .is_err());

    let deadline = Duration::from_secs(30);
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let config = serde_json::json!({ "url": db.url, "max_connections": 2 });
        let instance = library.create("bbplk", config).await.expect("create");

        let mut request = QueryRequest::all(Collection::CourseRuns);
        request.filter = Some(Filter::compare("regionCode", CompareOp::Prefix, "32.75"));
        request.order_by = vec![OrderBy {
            field: "startDate".into(),
            direction: Direction::Asc,
        }];
        request.limit = Some(2);
        let over_abi = instance
            .call(&AdapterRequest::Query(request.clone()), deadline)
            .await
            .expect("query through the plugin");
        let in_process = db
            .source()
            .await
            .query(&request)
            .await
            .expect("in-process query");
        assert_eq!(
            over_abi,
            AdapterResponse::Query(in_process.clone()),
            "{backend:?}"
        );
        assert_eq!(in_process.total_count, 4);

        let status = instance
            .call(&AdapterRequest::Status, deadline)
            .await
            .expect("status");
        let AdapterResponse::Status(status) = status else {
            panic!("a status request answered with records");
        };
        assert_eq!(status.record_counts.get("participants"), Some(&20));
        assert_eq!(status.rejected.len(), 4);

        let aggregate = analytics::AggregateRequest {
            view: analytics::AggregateView::Enrollments,
            filter: Some(Filter::compare("regionCode", CompareOp::Prefix, "36")),
            group_by: vec![analytics::GroupKey::field("outcomeStatus")],
            measures: vec!["finalScore".into()],
        };
        let over_abi = instance
            .call(&AdapterRequest::Aggregate(aggregate.clone()), deadline)
            .await
            .expect("aggregate through the plugin");
        let in_process = db
            .source()
            .await
            .aggregate(&aggregate)
            .await
            .expect("in-process aggregate");
        assert!(!in_process.groups.is_empty());
        assert_eq!(
            over_abi,
            AdapterResponse::Aggregate(in_process),
            "{backend:?}"
        );
        let unknown = analytics::AggregateRequest {
            measures: vec!["capacity".into()],
            ..aggregate
        };
        let error = instance
            .call(&AdapterRequest::Aggregate(unknown), deadline)
            .await
            .expect_err("unknown measure");
        assert!(error.to_string().contains("BAD_REQUEST"), "{error}");

        let mut bad = QueryRequest::all(Collection::Participants);
        bad.filter = Some(Filter::compare("fullName", CompareOp::Eq, "X"));
        let error = instance
            .call(&AdapterRequest::Query(bad), deadline)
            .await
            .expect_err("unknown field");
        assert!(error.to_string().contains("BAD_REQUEST"), "{error}");
        instance.shutdown().await;
    }

    let missing = std::env::temp_dir().join("simpul_bbplk_no_such_file.db");
    let error = library
        .create(
            "bbplk",
            serde_json::json!({ "url": missing.display().to_string() }),
        )
        .await
        .expect_err("no database");
    assert!(error.to_string().contains("SOURCE_UNAVAILABLE"), "{error}");
}
