//! Real ids and cursors from the demo, to forge from.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

#[derive(Default)]
pub(crate) struct Corpus {
    /// (type name, global id).
    pub(crate) ids: Vec<(String, String)>,
    /// (list, cursor).
    pub(crate) cursors: Vec<(String, String)>,
    pub(crate) region_codes: Vec<String>,
}

impl Corpus {
    pub(crate) fn harvest(&mut self, list: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("id", Value::String(id)) => {
                            let type_name = decode_id(id)
                                .and_then(|raw| raw.split(':').nth(1).map(str::to_owned))
                                .unwrap_or_default();
                            if !self.ids.iter().any(|(_, known)| known == id) {
                                self.ids.push((type_name, id.clone()));
                            }
                        }
                        ("cursor", Value::String(c)) => {
                            self.cursors.push((list.to_owned(), c.clone()));
                        }
                        ("code", Value::String(c)) => self.region_codes.push(c.clone()),
                        _ => self.harvest(list, v),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.harvest(list, item);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn ids_of(&self, type_name: &str) -> Vec<&str> {
        self.ids
            .iter()
            .filter(|(t, _)| t == type_name)
            .map(|(_, id)| id.as_str())
            .collect()
    }

    pub(crate) fn cursors_of(&self, list: &str) -> Vec<&str> {
        self.cursors
            .iter()
            .filter(|(l, _)| l == list)
            .map(|(_, c)| c.as_str())
            .collect()
    }
}

pub(crate) fn decode_id(id: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()
}

pub(crate) fn b64(text: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(text)
}
