//! Requests of the categories `http` and `get`: content types, `Accept`, header sizes and
//! bytes, chunked bodies, keys, methods and paths over POST; GET `/graphql` with odd
//! parameters, encodings and lengths.

use crate::client::HttpRequest;
use crate::generator::{hex, Generator};
use crate::values::json_string;

impl Generator<'_> {
    pub(crate) fn http(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.0);
        let body = format!("{{\"query\":{}}}", json_string(&query));
        let base = HttpRequest::post(body.clone());
        match self.below(16) {
            0 => ("no-content-type", base.remove("content-type")),
            1 => {
                let ct = self.pick(&[
                    "text/plain", "application/graphql", "application/x-www-form-urlencoded",
                    "application/json; charset=utf-16", "application/json; charset=latin1",
                    "application/json; charset=UTF-8", "application/json;charset=\"utf-8\"",
                    "APPLICATION/JSON", "application/json;;;", "application/json; charset",
                    "application/graphql-response+json", "application/json5", "application/*",
                    "*/*", "application/json, text/plain", "application/json; charset=utf-8; charset=latin1",
                    "", " ", "json",
                ]);
                ("content-type", base.set("content-type", ct))
            }
            2 => (
                "multipart",
                HttpRequest::post(format!(
                    "--x\r\ncontent-disposition: form-data; name=\"operations\"\r\n\r\n{body}\r\n--x--\r\n"
                ))
                .set("content-type", "multipart/form-data; boundary=x"),
            ),
            3 => ("graphql-body", HttpRequest::post(query).set("content-type", "application/graphql")),
            4 => ("two-content-types", base.add("content-type", "text/plain")),
            5 => {
                let n = self.size(300_000);
                ("huge-header", base.set("x-padding", "a".repeat(n)))
            }
            6 => {
                let n = self.size(200_000);
                ("huge-content-type", base.set("content-type", format!("application/json; x={}", "a".repeat(n))))
            }
            7 => {
                let n = self.size(300);
                let mut r = base;
                for i in 0..n {
                    r = r.add(&format!("x-h{i}"), "1");
                }
                ("many-headers", r)
            }
            8 => {
                let accept = self.pick(&[
                    "text/html", "application/json;q=0", "*/*", "application/*",
                    "application/graphql-response+json;q=0.5, application/json",
                    ";;;", "application/json;q=abc", "application/json;q=-1", "image/png",
                    "application/graphql-response+json;q=0, application/json;q=0",
                    "", "*/*;q=0.0001",
                ]);
                ("accept", base.set("accept", accept))
            }
            9 => ("header-bytes", base.set("x-request-id", vec![0x80, 0xff, b'a', 0xfe]).set("content-type", [b"application/json; x=".as_slice(), &[0xc3, 0x28]].concat())),
            10 => {
                let mut r = base;
                r.chunked = true;
                ("chunked", r)
            }
            11 => ("request-id", base.set("x-request-id", self.pick(&["../../x", "a b", "", "x".repeat(65).as_str(), "abc-DEF_123", "\u{7f}"]).as_bytes().to_vec())),
            14 => {
                let value: Vec<u8> = match self.below(8) {
                    0 => format!("Bearer {}", hex(&self.bytes(16))).into_bytes(),
                    1 => format!("Bearer {}", "k".repeat(self.size(200_000))).into_bytes(),
                    2 => b"Bearer ".to_vec(),
                    3 => b"Basic dXNlcjpwYXNz".to_vec(),
                    4 => [b"Bearer ".as_slice(), &[0xff, 0xfe, 0x80]].concat(),
                    5 => b"bearer sk_live_x".to_vec(),
                    6 => format!("Bearer {}", self.word()).into_bytes(),
                    _ => b"Bearer smp_0000000000000000_0000000000000000".to_vec(),
                };
                ("authorization", base.set("authorization", value))
            }
            15 => {
                let key = match self.below(4) {
                    0 => hex(&self.bytes(24)),
                    1 => String::new(),
                    2 => "x".repeat(self.size(100_000)),
                    _ => self.word(),
                };
                let request = base.set("x-api-key", key.into_bytes());
                if self.chance(0.3) {
                    ("api-key", request.set("authorization", "Bearer also"))
                } else {
                    ("api-key", request)
                }
            }
            12 => {
                let method = self.pick(&["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"]);
                let mut r = base;
                r.method = method.to_owned();
                ("method", r)
            }
            _ => {
                let mut r = base;
                r.target = self.pick(&["/graphql/", "/graphql?", "/GRAPHQL", "/graphql#x", "/graphql?query=", "//graphql", "/graphql/../graphql", "/graphql%00"]).to_owned();
                ("path", r)
            }
        }
    }

    pub(crate) fn get(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.02);
        match self.below(10) {
            0 => ("query", HttpRequest::get_params(&[("query", &query)])),
            1 => {
                let bad = self.mutate(&query);
                ("broken-query", HttpRequest::get_params(&[("query", &bad)]))
            }
            2 => {
                let variables = self.pick(&[
                    "[]",
                    "{",
                    "1",
                    "null",
                    "{\"a\":1}",
                    "\"x\"",
                    "{\"id\":null}",
                ]);
                (
                    "variables",
                    HttpRequest::get_params(&[
                        ("query", "query($id: ID!) { node(id: $id) { id } }"),
                        ("variables", variables),
                    ]),
                )
            }
            3 => (
                "mutation",
                HttpRequest::get_params(&[
                    (
                        "query",
                        self.pick(&[
                            "mutation { __typename }",
                            "query A { __typename } mutation B { __typename }",
                            "mutation M { x }",
                            "subscription { x }",
                        ]),
                    ),
                    ("operationName", self.pick(&["B", "A", "M", "", "C"])),
                ]),
            ),
            4 => {
                let raw = self.pick(&[
                    "%",
                    "%z",
                    "%zz",
                    "%ff%fe",
                    "%00",
                    "%7B%7D%",
                    "query",
                    "query=%7B",
                    "=",
                    "&&&",
                    "query=%7B__typename%7D&query=%7Bnope%7D",
                    "query=%7B+__typename+%7D",
                    "query=%E2%82%AC",
                ]);
                ("encoding", HttpRequest::get(&format!("/graphql?{raw}")))
            }
            5 => {
                let n = self.size(120_000);
                (
                    "long-url",
                    HttpRequest::get_params(&[(
                        "query",
                        &format!("{{ __typename }} #{}", "x".repeat(n)),
                    )]),
                )
            }
            6 => {
                let html = HttpRequest::get("/graphql").set("accept", "text/html");
                if self.chance(0.5) {
                    ("graphiql", html)
                } else {
                    (
                        "html-with-query",
                        HttpRequest::get_params(&[("query", &query)])
                            .set("accept", "text/html,application/json;q=0.9"),
                    )
                }
            }
            7 => (
                "no-query",
                HttpRequest::get(self.pick(&[
                    "/graphql",
                    "/graphql?variables=%7B%7D",
                    "/graphql?operationName=A",
                ])),
            ),
            8 => (
                "extensions",
                HttpRequest::get_params(&[
                    ("query", &query),
                    (
                        "extensions",
                        self.pick(&["{\"simpul\":{\"trace\":true}}", "[]", "{", "{\"simpul\":1}"]),
                    ),
                ]),
            ),
            _ => {
                let request = HttpRequest::get_params(&[("query", &query)]);
                (
                    "accept",
                    request.set(
                        "accept",
                        self.pick(&["application/graphql-response+json", "text/plain", "*/*", ""]),
                    ),
                )
            }
        }
    }
}
