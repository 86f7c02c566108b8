//! What the message-schema tests share: the committed schema, a validator per message, and the
//! check that the schema and the host's strict decode agree on broken messages.
//!
//! The tests are split by adapter because each adapter library exports the same entry symbol
//! (`simpul_plugin_entry`), so one test binary can link only one of them.
#![allow(dead_code)] // each test binary uses part of it

use std::sync::LazyLock;

use serde_json::{json, Value};
use simpul_plugin::{AdapterError, Encoding, HostInfo, Manifest};
use simpul_schema::{AdapterRequest, AdapterResponse};

pub const SCHEMA_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/messages.schema.json");
pub const REGENERATE: &str =
    "cargo run -p simpul-plugin --example message-schema > plugins/schema/messages.schema.json";

/// The five messages that travel on their own, as the schema names their definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    AdapterRequest,
    AdapterResponse,
    AdapterError,
    Manifest,
    HostInfo,
}

impl Root {
    pub const ALL: [Root; 5] = [
        Root::AdapterRequest,
        Root::AdapterResponse,
        Root::AdapterError,
        Root::Manifest,
        Root::HostInfo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Root::AdapterRequest => "AdapterRequest",
            Root::AdapterResponse => "AdapterResponse",
            Root::AdapterError => "AdapterError",
            Root::Manifest => "Manifest",
            Root::HostInfo => "HostInfo",
        }
    }

    /// Whether the host's strict decode (from bytes, as it reads them) accepts the message.
    pub fn decodes(self, message: &Value) -> bool {
        self.decodes_in(Encoding::Json, message)
    }

    /// The same, for the message's tree written in `encoding` (as a plugin in another language
    /// would write it with a stock library).
    pub fn decodes_in(self, encoding: Encoding, message: &Value) -> bool {
        let bytes = encoding.encode(message).expect("a JSON tree encodes");
        match self {
            Root::AdapterRequest => encoding.decode::<AdapterRequest>(&bytes).is_ok(),
            Root::AdapterResponse => encoding.decode::<AdapterResponse>(&bytes).is_ok(),
            Root::AdapterError => encoding.decode::<AdapterError>(&bytes).is_ok(),
            Root::Manifest => encoding.decode::<Manifest>(&bytes).is_ok(),
            Root::HostInfo => encoding.decode::<HostInfo>(&bytes).is_ok(),
        }
    }
}

/// The committed schema.
pub static SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    let text = std::fs::read_to_string(SCHEMA_FILE)
        .unwrap_or_else(|e| panic!("{SCHEMA_FILE}: {e}; generate it with `{REGENERATE}`"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{SCHEMA_FILE} is not JSON: {e}"))
});

/// One validator per root: the committed schema's definitions, entered at the root's, with
/// formats (`date`, `date-time`) checked.
static VALIDATORS: LazyLock<Vec<(Root, jsonschema::Validator)>> = LazyLock::new(|| {
    Root::ALL
        .iter()
        .map(|&root| (root, definition_validator(root.name())))
        .collect()
});

/// A validator entered at any definition of the committed schema (`TrainingCenter`, `Sex`).
pub fn definition_validator(definition: &str) -> jsonschema::Validator {
    assert!(
        SCHEMA["definitions"].get(definition).is_some(),
        "{definition} is not a definition of {SCHEMA_FILE}"
    );
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$ref": format!("#/definitions/{definition}"),
        "definitions": SCHEMA["definitions"].clone(),
    });
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the schema of {definition} does not compile: {e}"))
}

pub fn validator(root: Root) -> &'static jsonschema::Validator {
    &VALIDATORS
        .iter()
        .find(|(r, _)| *r == root)
        .expect("every root")
        .1
}

/// The schema's complaints about a message, one line each with the path of the value.
pub fn violations(root: Root, message: &Value) -> Vec<String> {
    validator(root)
        .iter_errors(message)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

#[track_caller]
pub fn assert_valid(root: Root, what: &str, message: &Value) {
    let problems = violations(root, message);
    assert!(
        problems.is_empty(),
        "{what}: a {} the SDK encodes does not validate against {SCHEMA_FILE}:\n{}\n{message:#}",
        root.name(),
        problems.join("\n"),
    );
}

pub fn to_json<T: serde::Serialize>(message: &T) -> Value {
    serde_json::to_value(message).expect("messages are JSON")
}

/// `message` with the value at `pointer` replaced (`Some`) or, for an object member, removed.
pub fn with(mut message: Value, pointer: &str, value: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let parent = message
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer} is in the message"));
    let key = key.replace("~1", "/").replace("~0", "~");
    match (parent, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(key, value);
        }
        (Value::Object(map), None) => {
            assert!(map.remove(&key).is_some(), "{pointer} is in the message");
        }
        (Value::Array(items), Some(value)) => {
            items[key.parse::<usize>().expect("an index")] = value;
        }
        _ => panic!("{pointer} is not a member or an item"),
    }
    message
}

/// Every way to break one value at a time: remove it (a member), or replace it with a value of
/// each JSON type and with the numbers that test the bounds of integers.
fn mutations(message: &Value) -> Vec<(String, Value)> {
    let replacements = [
        json!(null),
        json!("x"),
        json!(true),
        json!(1000),
        json!(-1),
        json!(1.5),
        json!(3_000_000_000_u64),
        json!({}),
    ];
    let mut paths = Vec::new();
    collect_paths(message, String::new(), &mut paths);
    let mut out = Vec::new();
    for (path, is_member) in paths {
        if is_member {
            out.push((
                format!("{path} removed"),
                with(message.clone(), &path, None),
            ));
        }
        for replacement in &replacements {
            out.push((
                format!("{path} = {replacement}"),
                with(message.clone(), &path, Some(replacement.clone())),
            ));
        }
    }
    out
}

/// The JSON pointers of every value below the root (and whether each is an object member):
/// the first two items of each array only, and nothing inside a manifest's `configSchema`
/// (any JSON there is valid, to both).
fn collect_paths(value: &Value, path: String, out: &mut Vec<(String, bool)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push((child_path.clone(), true));
                if key != "configSchema" {
                    collect_paths(child, child_path, out);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate().take(2) {
                let child_path = format!("{path}/{index}");
                out.push((child_path.clone(), false));
                collect_paths(child, child_path, out);
            }
        }
        _ => {}
    }
}

/// Break each message every way [`mutations`] knows and require the schema and the host's
/// strict decode to agree on every result: the schema neither lets through what the host
/// refuses nor refuses what the host reads. Returns how many broken messages were checked.
#[track_caller]
pub fn assert_schema_agrees_with_serde(messages: &[(Root, String, Value)]) -> usize {
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for (root, what, message) in messages {
        assert!(
            root.decodes(message),
            "{what}: the host decodes its own message"
        );
        assert_valid(*root, what, message);
        for (mutation, broken) in mutations(message) {
            checked += 1;
            let schema = validator(*root).is_valid(&broken);
            let serde = root.decodes(&broken);
            if serde != root.decodes_in(Encoding::MessagePack, &broken) {
                disagreements.push(format!(
                    "{} {what}, {mutation}: the host's JSON decode {}, its MessagePack decode not",
                    root.name(),
                    if serde { "accepts" } else { "refuses" },
                ));
            }
            if schema != serde {
                disagreements.push(format!(
                    "{} {what}, {mutation}: the schema {}, the host's decode {}",
                    root.name(),
                    if schema { "accepts" } else { "refuses" },
                    if serde { "accepts" } else { "refuses" },
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} broken messages split the schema and serde:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    checked
}
