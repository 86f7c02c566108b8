//! The message encodings across the plugin boundary (ABI 1.1, `plugins/docs/abi.md` §8.7):
//! a plugin built with the SDK is called in MessagePack unless the deployment says otherwise,
//! a plugin that lists only JSON (the C adapter) is never sent anything else, and every answer
//! and adapter error is the same in either encoding, through the plugin and through the
//! gateway.

use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use simpul_plugin::host::{HostSettings, PluginInstance, PluginLibrary};
use simpul_plugin::{Encoding, PluginError, PluginErrorKind};
use simpul_schema::{
    AdapterRequest, Collection, CompareOp, Direction, Filter, Literal, OrderBy, QueryRequest,
};
use simpul_tests::{artifacts, library, scratch_dir, workspace};

async fn spn(encoding: Option<Encoding>) -> PluginInstance {
    let settings = HostSettings {
        encoding,
        ..HostSettings::default()
    };
    PluginLibrary::open(library("simpul_adapter_spn"))
        .unwrap()
        .create_with(
            "spn",
            json!({ "data_dir": workspace().join("gateway/demo/spn") }),
            settings,
        )
        .await
        .unwrap()
}

/// Requests of every shape the demo's SPN data answers: each collection it serves, filtered,
/// ordered, paged, with personal data, and its status.
fn requests(served: &[Collection]) -> Vec<AdapterRequest> {
    let mut requests: Vec<AdapterRequest> = served
        .iter()
        .map(|&c| AdapterRequest::Query(QueryRequest::all(c)))
        .collect();
    requests.push(AdapterRequest::Query(QueryRequest {
        include_pii: true,
        ..QueryRequest::all(Collection::Participants)
    }));
    requests.push(AdapterRequest::Query(QueryRequest {
        filter: Some(Filter::Compare {
            field: "sex".into(),
            op: CompareOp::Eq,
            value: Literal::Text("FEMALE".into()),
        }),
        order_by: vec![OrderBy {
            field: "birthYear".into(),
            direction: Direction::Desc,
        }],
        offset: 1,
        limit: Some(3),
        ..QueryRequest::all(Collection::Participants)
    }));
    requests.push(AdapterRequest::Status);
    requests
}

#[tokio::test]
async fn an_sdk_plugin_is_called_in_message_pack_and_answers_as_in_json() {
    let negotiated = spn(None).await;
    assert_eq!(negotiated.encoding(), Encoding::MessagePack);
    let json = spn(Some(Encoding::Json)).await;
    assert_eq!(json.encoding(), Encoding::Json);
    let deadline = Duration::from_secs(5);
    let served = PluginLibrary::open(library("simpul_adapter_spn"))
        .unwrap()
        .manifest()
        .collections();
    assert!(served.len() >= 6, "{served:?}");
    for request in requests(&served) {
        let a = negotiated.call(&request, deadline).await.unwrap();
        let b = json.call(&request, deadline).await.unwrap();
        assert_eq!(a, b, "{request:?}");
    }
    // An adapter's error crosses in the instance's encoding too, code and message intact.
    let bad = AdapterRequest::Query(QueryRequest {
        filter: Some(Filter::Compare {
            field: "noSuchField".into(),
            op: CompareOp::Eq,
            value: Literal::Text("x".into()),
        }),
        ..QueryRequest::all(Collection::Participants)
    });
    let mut errors = Vec::new();
    for instance in [&negotiated, &json] {
        match instance.call(&bad, deadline).await.unwrap_err() {
            PluginError::Call {
                kind: PluginErrorKind::Adapter(error),
                ..
            } => errors.push(error),
            other => panic!("not an adapter error: {other}"),
        }
    }
    assert_eq!(errors[0], errors[1]);
    assert_eq!(errors[0].code, "BAD_REQUEST", "{}", errors[0]);
    negotiated.shutdown().await;
    json.shutdown().await;
}

#[tokio::test]
async fn a_plugin_that_lists_only_json_gets_json_and_cannot_be_made_to_take_more() {
    let lpk = PluginLibrary::open(simpul_c_plugins::adapter("lpk")).unwrap();
    assert_eq!(lpk.manifest().encodings, ["json"]);
    assert_eq!(lpk.encoding(None).unwrap(), Encoding::Json);
    let config = json!({ "data_file": workspace().join("plugins/c/adapters/lpk/data/lpk.csv") });
    let instance = lpk.create("lpk", config.clone()).await.unwrap();
    assert_eq!(instance.encoding(), Encoding::Json);
    let answer = instance
        .call(
            &AdapterRequest::Query(QueryRequest::all(Collection::TrainingCenters)),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert!(format!("{answer:?}").contains("TrainingCenters"));
    instance.shutdown().await;

    let settings = HostSettings {
        encoding: Some(Encoding::MessagePack),
        ..HostSettings::default()
    };
    let error = lpk.create_with("lpk", config, settings).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, PluginError::CreateFailed { .. }), "{text}");
    assert!(text.contains("liblpk") || text.contains("lpk"), "{text}");
    assert!(text.contains("\"msgpack\" encoding"), "{text}");
}

/// Query the demo gateway, with every provider's encoding as `env` sets it.
fn demo_answers(name: &str, env: &[(&str, &str)]) -> Vec<Value> {
    let (gateway, _dir) = simpul_tests::demo_with(name, env);
    let queries = [
        "{ trainingCenters(first: 50) { totalCount nodes { id name provider { key } } } }",
        "{ courseRuns(first: 50, order_by: [{ startDate: asc }, { code: asc }]) { totalCount nodes { id code startDate status course { name } } } }",
        "{ participants(first: 50) { totalCount nodes { id sourceId nikMasked nikValid sex warnings { code } } } }",
        "{ enrollments_aggregate(group_by: [provider]) { groups { key { provider } aggregate { count } suppressed } aggregate { count } } }",
    ];
    queries
        .iter()
        .map(|query| gateway.query(query, json!({})).1)
        .collect()
}

#[test]
fn the_gateway_answers_the_same_in_either_encoding() {
    let negotiated = demo_answers("encodings-negotiated", &[]);
    let json = demo_answers(
        "encodings-json",
        &[
            ("SIMPUL__PROVIDERS__0__ENCODING", "json"),
            ("SIMPUL__PROVIDERS__1__ENCODING", "json"),
            ("SIMPUL__PROVIDERS__2__ENCODING", "json"),
        ],
    );
    for (a, b) in negotiated.iter().zip(&json) {
        assert!(a.get("errors").is_none(), "{a}");
        assert_eq!(a, b);
    }
}

#[test]
fn config_check_names_an_encoding_the_plugin_does_not_speak() {
    let dir = scratch_dir("encodings-config-check");
    let file = dir.join("simpul.toml");
    let config = format!(
        r#"[[providers]]
key = "lpk"
library = "{lpk}"
encoding = "msgpack"
[providers.config]
data_file = "{data}"

[[providers]]
key = "spn"
library = "{spn}"
encoding = "cbor"
[providers.config]
data_dir = "{spn_data}"
"#,
        lpk = simpul_c_plugins::adapter("lpk").display(),
        data = workspace()
            .join("plugins/c/adapters/lpk/data/lpk.csv")
            .display(),
        spn = library("simpul_adapter_spn").display(),
        spn_data = workspace().join("gateway/demo/spn").display(),
    );
    std::fs::write(&file, config).unwrap();
    let output = Command::new(artifacts().join("simpul"))
        .args(["config", "check"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let at = |line: usize| format!("{}:{line}: ", file.display());
    assert!(
        stderr.lines().any(|l| l.starts_with(&at(4))
            && l.contains("provider `lpk`")
            && l.contains("\"msgpack\" encoding")),
        "{stderr}"
    );
    assert!(
        stderr.lines().any(|l| l.starts_with(&at(11))
            && l.contains("unknown encoding \"cbor\"")
            && l.contains("json")),
        "{stderr}"
    );
}
