//! The JSON Schema of the messages that cross the plugin boundary, generated from the Rust types
//! (feature `json-schema`) so that it cannot drift from what the host and the SDK encode and
//! decode.
//!
//! It is published as `plugins/schema/messages.schema.json` for authors of plugins in other
//! languages: `cargo run -p simpul-plugin --example message-schema` prints it, and a test fails
//! when the committed file differs from what the types generate.
//!
//! ```
//! let schema = simpul_plugin::message_schema::messages();
//! for root in simpul_plugin::message_schema::ROOTS {
//!     assert!(schema.definitions.contains_key(root.name));
//! }
//! ```

use schemars::r#gen::SchemaSettings;
use schemars::schema::{
    InstanceType, Metadata, RootSchema, Schema, SchemaObject, SubschemaValidation,
};
use schemars::visit::{self, Visitor};
use simpul_schema::{AdapterRequest, AdapterResponse};

use crate::abi::{ABI_MAJOR, ABI_MINOR};
use crate::{AdapterError, HostInfo, Manifest};

/// A message that crosses the boundary on its own, as opposed to a part of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root {
    /// Its definition's name in the schema (`AdapterResponse`).
    pub name: &'static str,
    /// Who sends it, and where it travels.
    pub travels: &'static str,
}

/// The five messages, in the order the root schema lists them.
pub const ROOTS: &[Root] = &[
    Root {
        name: "AdapterRequest",
        travels: "host to plugin: the request bytes of `call`",
    },
    Root {
        name: "AdapterResponse",
        travels: "plugin to host: the payload of `SIMPUL_STATUS_OK`",
    },
    Root {
        name: "AdapterError",
        travels: "plugin to host: the payload of `SIMPUL_STATUS_ERROR`, from `call` or `create`",
    },
    Root {
        name: "Manifest",
        travels: "plugin to host: `header.manifest`",
    },
    Root {
        name: "HostInfo",
        travels: "host to plugin: `host->info`, given to `create`",
    },
];

/// The schema (JSON Schema draft-07): a definition per type, named as the Rust type
/// (`TrainingCenter`), and a root that accepts any of the [`ROOTS`]. Validate a message
/// against the definition of its kind (`{"$ref": "#/definitions/AdapterResponse"}`).
pub fn messages() -> RootSchema {
    let mut generator = SchemaSettings::draft07().into_generator();
    let any_of = vec![
        generator.subschema_for::<AdapterRequest>(),
        generator.subschema_for::<AdapterResponse>(),
        generator.subschema_for::<AdapterError>(),
        generator.subschema_for::<Manifest>(),
        generator.subschema_for::<HostInfo>(),
    ];
    let mut description = format!(
        "The JSON messages of the Simpul plugin ABI {ABI_MAJOR}.{ABI_MINOR} (see \
         plugins/docs/abi.md), generated from the gateway's Rust types by \
         `cargo run -p simpul-plugin --example message-schema`. Validate a message against the \
         definition of its kind; the root accepts any of them:\n\n"
    );
    for root in ROOTS {
        description.push_str(&format!("- `{}`: {}\n", root.name, root.travels));
    }
    let mut schema = RootSchema {
        meta_schema: generator.settings().meta_schema.clone(),
        schema: SchemaObject {
            metadata: Some(Box::new(Metadata {
                title: Some(format!(
                    "Simpul plugin messages, ABI {ABI_MAJOR}.{ABI_MINOR}"
                )),
                description: Some(description),
                ..Default::default()
            })),
            subschemas: Some(Box::new(SubschemaValidation {
                any_of: Some(any_of),
                ..Default::default()
            })),
            ..Default::default()
        },
        definitions: generator.take_definitions(),
    };
    IntegerRanges.visit_root_schema(&mut schema);
    StringEnums.visit_root_schema(&mut schema);
    DocLinks.visit_root_schema(&mut schema);
    schema
}

/// Turns the rustdoc links the descriptions inherit from doc comments into plain code spans
/// for readers without rustdoc: `` [`crate::identity::PersonKeys`] `` becomes `` `PersonKeys` ``,
/// `` [`HostInfo::encodings`] `` becomes `` `HostInfo.encodings` ``.
#[derive(Debug, Clone, Copy)]
struct DocLinks;

impl Visitor for DocLinks {
    fn visit_schema_object(&mut self, schema: &mut SchemaObject) {
        if let Some(description) = schema
            .metadata
            .as_mut()
            .and_then(|m| m.description.as_mut())
        {
            *description = plain_links(description);
        }
        visit::visit_schema_object(self, schema);
    }
}

fn plain_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let Some(len) = rest[start + 2..].find("`]") else {
            break;
        };
        let path = &rest[start + 2..start + 2 + len];
        let segments: Vec<&str> = path.split("::").filter(|s| *s != "crate").collect();
        // Modules (lower case) before the item say nothing outside Rust.
        let item = segments
            .iter()
            .position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
            .unwrap_or(segments.len().saturating_sub(1));
        out.push_str(&rest[..start]);
        out.push('`');
        out.push_str(&segments[item..].join("."));
        out.push('`');
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Writes an enum of unit variants (`Collection`, `CompareOp`) as one string enum, each value
/// described in the enum's description, the way the vocabularies are: schemars makes a `oneOf`
/// of one-value enums when the variants have doc comments, and a validator then reports a
/// wrong value once per variant.
#[derive(Debug, Clone, Copy)]
struct StringEnums;

impl Visitor for StringEnums {
    fn visit_schema_object(&mut self, schema: &mut SchemaObject) {
        let values: Option<Vec<(serde_json::Value, String)>> = schema
            .subschemas
            .as_ref()
            .and_then(|s| s.one_of.as_ref())
            .and_then(|one_of| one_of.iter().map(one_string_value).collect());
        if let Some(values) = values {
            let metadata = schema.metadata();
            let mut description = metadata.description.take().unwrap_or_default();
            description.push_str("\n\n");
            for (value, doc) in &values {
                description.push_str(&format!("- `{}`: {doc}\n", value.as_str().unwrap_or("")));
            }
            metadata.description = Some(description.trim_end().to_owned());
            schema.subschemas = None;
            schema.instance_type = Some(InstanceType::String.into());
            schema.enum_values = Some(values.into_iter().map(|(value, _)| value).collect());
        }
        visit::visit_schema_object(self, schema);
    }
}

/// The value and description of `{"type": "string", "enum": [value], "description": ...}`
/// with nothing else in it.
fn one_string_value(schema: &Schema) -> Option<(serde_json::Value, String)> {
    let Schema::Object(object) = schema else {
        return None;
    };
    let bare = SchemaObject {
        metadata: None,
        instance_type: None,
        enum_values: None,
        ..object.clone()
    };
    let single = object.instance_type == Some(InstanceType::String.into())
        && bare == SchemaObject::default();
    match object.enum_values.as_deref() {
        Some([value]) if single && value.is_string() => Some((
            value.clone(),
            object
                .metadata
                .as_ref()
                .and_then(|m| m.description.clone())
                .unwrap_or_default(),
        )),
        _ => None,
    }
}

/// Gives the integers of up to 32 bits the bounds of their Rust type: schemars only names it
/// (`"format": "int32"`, which validators ignore), so a `capacity` of 3,000,000,000 would
/// validate and then fail the host's decode. (64-bit bounds are not exact in the `f64` that
/// schemars keeps them in, and no field needs them.)
#[derive(Debug, Clone, Copy)]
struct IntegerRanges;

impl Visitor for IntegerRanges {
    fn visit_schema_object(&mut self, schema: &mut SchemaObject) {
        let range = match schema.format.as_deref() {
            Some("int8") => Some((f64::from(i8::MIN), f64::from(i8::MAX))),
            Some("int16") => Some((f64::from(i16::MIN), f64::from(i16::MAX))),
            Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
            Some("uint8") => Some((0.0, f64::from(u8::MAX))),
            Some("uint16") => Some((0.0, f64::from(u16::MAX))),
            Some("uint32") => Some((0.0, f64::from(u32::MAX))),
            _ => None,
        };
        if let Some((min, max)) = range {
            let number = schema.number();
            number.minimum = Some(min);
            number.maximum = Some(max);
        }
        visit::visit_schema_object(self, schema);
    }
}

/// [`messages`] as the committed file holds it: pretty-printed JSON and a final newline.
pub fn messages_json() -> String {
    let mut text = serde_json::to_string_pretty(&messages()).expect("a schema is JSON");
    text.push('\n');
    text
}
