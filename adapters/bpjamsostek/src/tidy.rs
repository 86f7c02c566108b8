//! What the adapter normalises or finds missing in the API's items, for the status notices
//! (each once per endpoint and field, never with a value): text sent in a decomposed Unicode
//! form is served in NFC (`TEXT_NORMALIZED_NFC`), and a contract field no item of an endpoint
//! carries at all is noted (`MISSING_OPTIONAL_FIELD`): its values are served as null.

use std::collections::BTreeSet;

use serde::de::{DeserializeOwned, Error as _, Visitor};
use serde_json::Value;
use simpul_schema::SourceIssue;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::Endpoint;
use crate::mapping::issue;

/// Turn every string of `value` into NFC; the paths (`namaLengkap`, `alamat.jalan`) of those
/// that changed go to `changed`. A path is only written out for a string that changed.
pub fn nfc(value: &mut Value, path: &str, changed: &mut Vec<String>) {
    let mut at = Vec::new();
    if !path.is_empty() {
        at.push(path);
    }
    nfc_at(value, &mut at, changed);
}

fn nfc_at<'a>(value: &'a mut Value, at: &mut Vec<&'a str>, changed: &mut Vec<String>) {
    match value {
        Value::String(s) if !s.is_ascii() && is_nfc_quick(s.chars()) != IsNormalized::Yes => {
            let normal: String = s.nfc().collect();
            if normal != *s {
                *s = normal;
                changed.push(at.join("."));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| nfc_at(v, at, changed)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                at.push(k);
                nfc_at(v, at, changed);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The `TEXT_NORMALIZED_NFC` notice for the field at `path`.
pub fn normalised(endpoint: Endpoint, path: String) -> SourceIssue {
    issue(
        "TEXT_NORMALIZED_NFC",
        endpoint,
        "values in a decomposed Unicode form (NFD) are served in NFC",
    )
    .with_key(path)
}

/// The top-level fields `T` reads (their JSON names), as its `Deserialize` declares them.
pub fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

/// One `MISSING_OPTIONAL_FIELD` notice per field of `T` that none of the items had (their keys
/// are `present`); nothing when there were no items.
pub fn absent<T: DeserializeOwned>(
    endpoint: Endpoint,
    items: usize,
    present: &BTreeSet<String>,
) -> Vec<SourceIssue> {
    if items == 0 {
        return Vec::new();
    }
    fields::<T>()
        .iter()
        .filter(|f| !present.contains(**f))
        .map(|f| {
            issue(
                "MISSING_OPTIONAL_FIELD",
                endpoint,
                "no item carries this contract field; its values are served as null",
            )
            .with_key(*f)
        })
        .collect()
}

/// A deserializer that only records the field names a struct asks for.
struct Probe<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for Probe<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(Self::Error::custom("a probe"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(Self::Error::custom("a probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::PesertaProgram;

    #[test]
    fn the_fields_are_the_contracts_json_names() {
        let fields = fields::<PesertaProgram>();
        assert!(fields.contains(&"namaLengkap") && fields.contains(&"email"));
        assert!(!fields.contains(&"nulled"));
    }

    #[test]
    fn nfd_text_becomes_nfc_and_is_named_by_its_path() {
        let mut value =
            serde_json::json!({ "nama": "Andre\u{301}", "alamat": { "jalan": "Jl. A" } });
        let mut changed = Vec::new();
        nfc(&mut value, "", &mut changed);
        assert_eq!(value["nama"], "Andr\u{e9}");
        assert_eq!(changed, ["nama"]);
    }
}
