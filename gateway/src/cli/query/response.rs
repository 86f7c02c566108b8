//! A GraphQL response as the gateway sent it: [`Json`] keeps every object's fields in the order
//! they arrived (the order of the selection), which `serde_json::Value` would sort away, and
//! [`GraphqlError`] prints one error on one line.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value whose objects keep their fields in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The field `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The field `key` of an object, to change in place.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(fields) => fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Put an object's fields named in `order` first, in that order; the others keep theirs,
    /// after them.
    pub(crate) fn sort_fields(&mut self, order: &[&str]) {
        if let Json::Object(fields) = self {
            fields.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(order.len()));
        }
    }

    /// Whether this is a scalar (or null): neither list nor object.
    pub(crate) fn is_scalar(&self) -> bool {
        !matches!(self, Json::Array(_) | Json::Object(_))
    }

    /// A scalar as a cell: strings as they are, null as nothing; `None` for lists and objects.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match self {
            Json::Null => Some(String::new()),
            Json::Bool(b) => Some(b.to_string()),
            Json::Number(n) => Some(n.to_string()),
            Json::String(s) => Some(s.clone()),
            Json::Array(_) | Json::Object(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut fields: Vec<(String, Json)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            // JSON allows a repeated key; the last one wins, as in serde_json.
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some(field) => field.1 = value,
                None => fields.push((key, value)),
            }
        }
        Ok(Json::Object(fields))
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A GraphQL response: the whole body (for `--format json`) and its `errors`.
#[derive(Debug)]
pub(crate) struct Response {
    /// The whole response body, a JSON object.
    pub(crate) body: Json,
    /// `errors`.
    pub(crate) errors: Vec<GraphqlError>,
}

impl Response {
    /// Read a response body; `None` when it is not a GraphQL response (no `data`, no `errors`).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut body: Json = serde_json::from_str(text).ok()?;
        if body.get("data").is_none() && body.get("errors").is_none() {
            return None;
        }
        // The spec's order of a response's and an error's entries.
        body.sort_fields(&["data", "errors", "extensions"]);
        if let Some(Json::Array(errors)) = body.get_mut("errors") {
            for error in errors {
                error.sort_fields(&["message", "locations", "path", "extensions"]);
                if let Some(Json::Array(locations)) = error.get_mut("locations") {
                    for location in locations {
                        location.sort_fields(&["line", "column"]);
                    }
                }
            }
        }
        let errors = match body.get("errors") {
            Some(Json::Array(errors)) => errors.iter().map(GraphqlError::from_json).collect(),
            _ => Vec::new(),
        };
        Some(Self { body, errors })
    }

    /// `data`, unless it is absent or null (the request failed as a whole).
    pub(crate) fn data(&self) -> Option<&Json> {
        self.body.get("data").filter(|data| **data != Json::Null)
    }

    /// `data`, to change in place.
    pub(crate) fn data_mut(&mut self) -> Option<&mut Json> {
        self.body.get_mut("data")
    }
}

/// One entry of `errors`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GraphqlError {
    /// `message`.
    pub(crate) message: String,
    /// `path` as text (`courses.nodes[0].name`), if any.
    pub(crate) path: Option<String>,
    /// `locations` in the query document as `line:column`.
    pub(crate) locations: Vec<String>,
    /// `extensions.code`.
    pub(crate) code: Option<String>,
    /// `extensions.provider`.
    pub(crate) provider: Option<String>,
}

impl GraphqlError {
    fn from_json(error: &Json) -> Self {
        let path = match error.get("path") {
            Some(Json::Array(segments)) if !segments.is_empty() => {
                let mut text = String::new();
                for segment in segments {
                    match segment {
                        Json::Number(n) => text.push_str(&format!("[{n}]")),
                        other => {
                            if !text.is_empty() {
                                text.push('.');
                            }
                            text.push_str(&other.scalar_text().unwrap_or_default());
                        }
                    }
                }
                Some(text)
            }
            _ => None,
        };
        let locations = match error.get("locations") {
            Some(Json::Array(locations)) => locations
                .iter()
                .filter_map(|l| {
                    let line = l.get("line")?.scalar_text()?;
                    let column = l.get("column")?.scalar_text()?;
                    Some(format!("{line}:{column}"))
                })
                .collect(),
            _ => Vec::new(),
        };
        let extension = |name: &str| {
            error
                .get("extensions")
                .and_then(|e| e.get(name))
                .and_then(Json::scalar_text)
                .filter(|s| !s.is_empty())
        };
        Self {
            message: error
                .get("message")
                .and_then(Json::scalar_text)
                .unwrap_or_else(|| "(no message)".into()),
            path,
            locations,
            code: extension("code"),
            provider: extension("provider"),
        }
    }

    /// `error [CODE] at PATH: MESSAGE (provider P)`; an error about the document itself is
    /// placed at `FILE:line:column` instead of a path.
    pub(crate) fn line(&self, file: &str) -> String {
        let mut line = String::from("error");
        if let Some(code) = &self.code {
            line.push_str(&format!(" [{code}]"));
        }
        if let Some(path) = &self.path {
            line.push_str(&format!(" at {path}"));
        } else if let Some(location) = self.locations.first() {
            line.push_str(&format!(" at {file}:{location}"));
        }
        line.push_str(": ");
        line.push_str(&self.message);
        if let Some(provider) = &self.provider {
            line.push_str(&format!(" (provider {provider})"));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_order_through_a_round_trip() {
        let text = r#"{"z":1,"a":{"y":[true,null,"s"],"b":2.5}}"#;
        let json: Json = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&json).unwrap(), text);
    }

    #[test]
    fn errors_print_code_path_and_provider() {
        let response = Response::parse(
            r#"{"data":{"a":null},"errors":[
                {"message":"boom","path":["courses","nodes",0,"name"],"extensions":{"code":"PROVIDER_UNAVAILABLE","provider":"spn"}},
                {"message":"Unknown field","locations":[{"line":2,"column":3}]}
            ]}"#,
        )
        .unwrap();
        assert!(response.data().is_some());
        let lines: Vec<String> = response
            .errors
            .iter()
            .map(|e| e.line("q.graphql"))
            .collect();
        assert_eq!(
            lines,
            [
                "error [PROVIDER_UNAVAILABLE] at courses.nodes[0].name: boom (provider spn)",
                "error at q.graphql:2:3: Unknown field",
            ]
        );
    }

    #[test]
    fn a_response_and_its_errors_come_in_the_specs_order() {
        let response = Response::parse(
            r#"{"extensions":{},"errors":[{"path":["a"],"locations":[{"column":3,"line":1}],"message":"m"}],"data":{"a":null}}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&response.body).unwrap(),
            r#"{"data":{"a":null},"errors":[{"message":"m","locations":[{"line":1,"column":3}],"path":["a"]}],"extensions":{}}"#
        );
    }

    #[test]
    fn null_data_is_no_data_and_other_json_is_no_response() {
        let response = Response::parse(r#"{"data":null,"errors":[{"message":"x"}]}"#).unwrap();
        assert!(response.data().is_none());
        assert!(Response::parse(r#"{"hello":1}"#).is_none());
        assert!(Response::parse("<html>").is_none());
    }
}
