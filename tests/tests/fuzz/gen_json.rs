//! Requests of the categories `bytes`, `json` and `shape`: random bytes as a body, random
//! JSON, and valid JSON of the wrong shape (odd `query`, `variables`, `extensions`,
//! `operationName`, batches, framing, persisted queries).

use crate::client::HttpRequest;
use crate::generator::{hex, Generator};
use crate::values::json_string;

impl Generator<'_> {
    pub(crate) fn random_bytes(&mut self) -> (&'static str, HttpRequest) {
        let n = self.size(64 * 1024);
        let mut body = self.bytes(n);
        let kind = match self.below(4) {
            0 => {
                let mut prefixed = b"{\"query\":\"".to_vec();
                prefixed.append(&mut body);
                body = prefixed;
                "json-prefix"
            }
            1 => {
                // Invalid UTF-8 inside an otherwise fine request.
                body = [
                    b"{\"query\":\"{ __typename \xff\xfe }\"}".as_slice(),
                    &body[..n.min(8)],
                ]
                .concat();
                "invalid-utf8"
            }
            _ => "random",
        };
        // Random bytes must not be JSON by chance (a lone digit, `{"query":"` + `"}`): this
        // category expects 400 BAD_REQUEST only.
        if serde_json::from_slice::<serde_json::Value>(&body).is_ok() {
            body.insert(0, 0xff);
        }
        (kind, HttpRequest::post(body))
    }

    pub(crate) fn json_value(&mut self, depth: usize) -> String {
        match self.below(if depth > 200 { 5 } else { 8 }) {
            0 => "null".into(),
            1 => self.pick(&["true", "false"]).into(),
            2 => self
                .pick(&[
                    "0",
                    "-1",
                    "1e999",
                    "1.5",
                    "123456789012345678901234567890",
                    "-0",
                ])
                .into(),
            3 | 4 => json_string(&self.word()),
            5 if depth < 3 => {
                let n = self.below(6);
                let items: Vec<String> = (0..n).map(|_| self.json_value(depth + 1)).collect();
                format!("[{}]", items.join(","))
            }
            6 if depth < 3 => {
                let n = self.below(6);
                let items: Vec<String> = (0..n)
                    .map(|_| {
                        let key = self.pick(&[
                            "query",
                            "variables",
                            "operationName",
                            "extensions",
                            "id",
                            "",
                        ]);
                        format!("{}:{}", json_string(key), self.json_value(depth + 1))
                    })
                    .collect();
                format!("{{{}}}", items.join(","))
            }
            _ => {
                // Nested arrays and objects, sometimes past serde_json's 128 levels.
                let d = self.size(1000);
                let (open, close) = if self.chance(0.5) {
                    ("[", "]")
                } else {
                    ("{\"a\":", "}")
                };
                format!("{}1{}", open.repeat(d), close.repeat(d))
            }
        }
    }

    pub(crate) fn random_json(&mut self) -> (&'static str, HttpRequest) {
        let value = self.json_value(0);
        let kind = if well_formed(&value) {
            "request" // by chance: `query` a string, the rest objects or null
        } else if value.starts_with('{') {
            "object"
        } else {
            "value"
        };
        (kind, HttpRequest::post(value))
    }

    pub(crate) fn shape(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.0);
        let q = json_string(&query);
        let odd = self.json_value(1);
        let (kind, body) = match self.below(12) {
            0 => {
                // Never a string: that would be a document.
                let odd = if odd.starts_with('"') { format!("[{odd}]") } else { odd.clone() };
                ("query-not-string", format!("{{\"query\":{odd}}}"))
            }
            1 => ("query-missing", format!("{{\"variables\":{{}},\"operationName\":{}}}", json_string(&self.word()))),
            2 => ("variables-not-object", format!("{{\"query\":{q},\"variables\":{}}}", self.pick(&["[]", "[1,2]", "\"{}\"", "1", "true", "\"\""]))),
            3 => ("extensions-odd", format!(
                "{{\"query\":{q},\"extensions\":{}}}",
                self.pick(&["[]", "\"x\"", "{\"simpul\":\"x\"}", "{\"simpul\":{\"trace\":\"yes\"}}", "{\"simpul\":{\"trace\":true}}", "{\"simpul\":{\"trace\":[true]}}", "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"00\"}}", "{\"simpul\":null}", "{\"\":{}}"])
            )),
            4 => ("extensions-random", format!("{{\"query\":{q},\"extensions\":{{\"simpul\":{odd},\"x\":{}}}}}", self.json_value(1))),
            5 => {
                let name = self.pick(&["A", "B", "C", "", "a", "query", "A B", "🙂"]);
                let name_json = if self.chance(0.2) { self.pick(&["1", "[]", "{}", "true"]).to_owned() } else { json_string(name) };
                let multi = "query A { __typename } query B { providers { key } } mutation C { __typename }";
                if self.chance(0.5) {
                    ("operation-name", format!("{{\"query\":{},\"operationName\":{name_json}}}", json_string(multi)))
                } else {
                    ("operation-name-missing", format!("{{\"query\":{}}}", json_string(multi)))
                }
            }
            6 => ("extra-keys", format!("{{\"query\":{q},\"id\":1,\"queryId\":\"x\",\"doc\":{odd}}}")),
            7 => ("duplicate-keys", format!("{{\"query\":\"{{ nope }}\",\"query\":{q},\"variables\":null,\"variables\":{{}}}}")),
            8 => ("batch", format!("[{{\"query\":{q}}},{{\"query\":{q}}}]")),
            9 => ("framing", format!(
                "{}{{\"query\":{q}}}{}",
                self.pick(&["\u{feff}", " \n\t", "", "\u{0}"]),
                self.pick(&["", " ", "garbage", "}", "\u{0}", "{\"query\":\"{a}\"}"])
            )),
            10 => {
                // Apollo's persisted queries: a hash alone, a hash that does not match, odd hashes.
                let random = json_string(&hex(&self.bytes(32)));
                let long = json_string(&"f".repeat(self.size(100_000)));
                let hash = self.pick(&[
                    "\"0000000000000000000000000000000000000000000000000000000000000000\"".to_owned(),
                    random,
                    long,
                    "1".to_owned(),
                    "null".to_owned(),
                    "[]".to_owned(),
                    json_string(""),
                    json_string("../../etc/passwd"),
                ]);
                let text = if self.chance(0.5) { "\"\"".to_owned() } else { q.clone() };
                ("persisted-query", format!("{{\"query\":{text},\"extensions\":{{\"persistedQuery\":{{\"version\":1,\"sha256Hash\":{hash}}}}}}}"))
            }
            _ => ("null-fields", format!("{{\"query\":{q},\"variables\":null,\"operationName\":null,\"extensions\":null}}")),
        };
        let request = HttpRequest::post(body);
        (kind, self.accept(request))
    }
}

/// Whether `body` is a request the gateway reads as GraphQL (README, "Bad input"): a JSON
/// object whose `query` is a string, `operationName` a string or null, `variables` and
/// `extensions` objects or null.
fn well_formed(body: &str) -> bool {
    use serde_json::Value;
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) else {
        return false;
    };
    matches!(map.get("query"), Some(Value::String(_)))
        && matches!(
            map.get("operationName"),
            None | Some(Value::Null | Value::String(_))
        )
        && ["variables", "extensions"]
            .iter()
            .all(|k| matches!(map.get(*k), None | Some(Value::Null | Value::Object(_))))
}
