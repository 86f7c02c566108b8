//! Requests of the categories `syntax`, `huge` and `deep`: valid documents broken a few times,
//! documents and bodies at and past the size limits, and selections, fragments and value
//! literals nested deep.

use rand::Rng;

use crate::client::HttpRequest;
use crate::generator::Generator;
use crate::pools::TOKENS;
use crate::values::json_string;
use crate::MAX_BODY;

impl Generator<'_> {
    /// Break a document: truncate it, drop, repeat or swap pieces, insert odd tokens.
    pub(crate) fn mutate(&mut self, query: &str) -> String {
        let mut chars: Vec<char> = query.chars().collect();
        for _ in 0..1 + self.below(3) {
            let len = chars.len().max(1);
            let at = self.below(len);
            match self.below(7) {
                0 => chars.truncate(at),
                1 => {
                    let end = (at + 1 + self.below(8)).min(chars.len());
                    if at < end {
                        chars.drain(at..end);
                    }
                }
                2 => {
                    let end = (at + 1 + self.below(12)).min(chars.len());
                    if at < end {
                        let piece: Vec<char> = chars[at..end].to_vec();
                        let times = self.size(50);
                        for _ in 0..times {
                            chars.splice(at..at, piece.iter().copied());
                        }
                    }
                }
                3 => {
                    let other = self.below(len);
                    if at < chars.len() && other < chars.len() {
                        chars.swap(at, other);
                    }
                }
                4 => {
                    let brace = self.pick(&['{', '}', '(', ')', '[', ']']);
                    let n = self.size(20);
                    let at = at.min(chars.len());
                    chars.splice(at..at, std::iter::repeat_n(brace, n));
                }
                _ => {
                    let token = format!(" {} ", self.pick(TOKENS));
                    let at = at.min(chars.len());
                    chars.splice(at..at, token.chars());
                }
            }
        }
        chars.into_iter().collect()
    }

    pub(crate) fn syntax(&mut self) -> (&'static str, HttpRequest) {
        let query = self.document(0.0);
        let broken = self.mutate(&query);
        let kind = match self.below(6) {
            0 => "nul",
            1 => "unicode",
            _ => "mutated",
        };
        let broken = match kind {
            "nul" => broken.replacen(' ', "\u{0}", 1 + self.below(3)),
            "unicode" => {
                let c =
                    char::from_u32(self.rng.random_range(0x80..0x11_0000)).unwrap_or('\u{fffd}');
                broken.replacen(' ', &c.to_string(), 1)
            }
            _ => broken,
        };
        if self.chance(0.1) {
            return (
                "mutated-get",
                HttpRequest::get_params(&[("query", &broken)]),
            );
        }
        (kind, self.post(&broken))
    }

    pub(crate) fn huge(&mut self) -> (&'static str, HttpRequest) {
        match self.below(16) {
            0 => {
                let n = MAX_BODY + self.size(2 * MAX_BODY);
                (
                    "body-over-limit",
                    HttpRequest::graphql(&format!("{{ __typename }} #{}", "x".repeat(n)), None),
                )
            }
            1 => {
                let n = self.size(MAX_BODY - 100);
                let filler = if self.chance(0.5) { " " } else { "\n" };
                (
                    "whitespace",
                    self.post(&format!("{{ __typename{} }}", filler.repeat(n))),
                )
            }
            2 => {
                let n = self.size(MAX_BODY / 12);
                let line = "# a comment\n";
                (
                    "comments",
                    self.post(&format!("{}{{ __typename }}", line.repeat(n))),
                )
            }
            3 => {
                let n = self.size(100_000);
                let field = self.pick(&[
                    "__typename",
                    "providers { key }",
                    "region(code: \"36\") { name }",
                ]);
                let q: String = (0..n).map(|i| format!("a{i}: {field} ")).collect();
                ("aliases", self.post(&format!("{{ {q}}}")))
            }
            4 => {
                let n = self.size(100_000);
                (
                    "same-field",
                    self.post(&format!("{{ {}}}", "__typename ".repeat(n))),
                )
            }
            5 => {
                let n = self.size(5000);
                let spreads: String = (0..n).map(|i| format!("...F{i} ")).collect();
                let defs: String = (0..n)
                    .map(|i| format!("fragment F{i} on Query {{ __typename }} "))
                    .collect();
                (
                    "fragments-many",
                    self.post(&format!("{{ {spreads}}} {defs}")),
                )
            }
            6 => {
                let n = self.size(5000);
                let defs: String = (0..n)
                    .map(|i| format!("fragment F{i} on Query {{ __typename ...F{} }} ", i + 1))
                    .collect();
                (
                    "fragments-chain",
                    self.post(&format!(
                        "{{ ...F0 }} {defs} fragment F{n} on Query {{ __typename }}"
                    )),
                )
            }
            7 => {
                let n = 1 + self.below(50);
                let defs: String = (0..n)
                    .map(|i| {
                        format!(
                            "fragment F{i} on Query {{ __typename ...F{} }} ",
                            (i + 1) % n
                        )
                    })
                    .collect();
                ("fragment-cycle", self.post(&format!("{{ ...F0 }} {defs}")))
            }
            8 => {
                // Each fragment spreads the next one twice: 2^depth fields from a small document.
                let depth = 2 + self.below(30);
                let defs: String = (0..depth)
                    .map(|i| format!("fragment F{i} on Query {{ ...F{} ...F{} }} ", i + 1, i + 1))
                    .collect();
                (
                    "fragment-fanout",
                    self.post(&format!(
                        "{{ ...F0 }} {defs} fragment F{depth} on Query {{ __typename }}"
                    )),
                )
            }
            9 => {
                let n = self.size(20_000);
                let ops: String = (0..n)
                    .map(|i| format!("query O{i} {{ __typename }} "))
                    .collect();
                let name = format!("O{}", self.below(n + 2));
                let body = format!(
                    "{{\"query\":{},\"operationName\":{}}}",
                    json_string(&ops),
                    json_string(&name)
                );
                ("operations", self.accept(HttpRequest::post(body)))
            }
            10 => {
                let n = self.size(50_000);
                (
                    "directives",
                    self.post(&format!(
                        "{{ __typename {} }}",
                        "@skip(if: false) ".repeat(n)
                    )),
                )
            }
            11 => {
                let n = self.size(MAX_BODY - 200);
                let c = self.pick(&["a", "é", "\\n", "🙂"]);
                (
                    "long-string",
                    self.post(&format!(
                        "{{ region(code: \"{}\") {{ name }} }}",
                        c.repeat(n / c.len())
                    )),
                )
            }
            12 => {
                let n = self.size(50_000);
                (
                    "repeated-args",
                    self.post(&format!(
                        "{{ region({}) {{ name }} }}",
                        "code: \"36\", ".repeat(n)
                    )),
                )
            }
            13 => {
                let n = self.size(30_000);
                let defs: String = (0..n).map(|i| format!("$v{i}: Int ")).collect();
                (
                    "variable-defs",
                    self.post(&format!("query Q({defs}) {{ __typename }}")),
                )
            }
            14 => {
                let n = self.size(MAX_BODY / 2 - 100);
                (
                    "long-syntax-error",
                    self.post(&format!("{{ __typename {} !!! }}", "x ".repeat(n))),
                )
            }
            _ => {
                let n = self.size(2000);
                let lists: String = (0..n)
                    .map(|i| format!("l{i}: courseRuns(first: 100) {{ nodes {{ code }} }} "))
                    .collect();
                ("wide-lists", self.post(&format!("{{ {lists}}}")))
            }
        }
    }

    pub(crate) fn deep(&mut self) -> (&'static str, HttpRequest) {
        let depth = self.pick(&[
            10, 30, 64, 100, 128, 150, 200, 260, 300, 500, 1000, 10_000, 100_000,
        ]);
        match self.below(6) {
            0 => {
                let open = "a { ".repeat(depth);
                (
                    "selection",
                    self.post(&format!("{{ {open}b{} }}", " }".repeat(depth))),
                )
            }
            1 => {
                let chain = "courses(first: 1) { nodes { trainingCenter { ".repeat(depth.min(2000));
                (
                    "real-selection",
                    self.post(&format!(
                        "{{ {chain}id{} }}",
                        " } } }".repeat(depth.min(2000))
                    )),
                )
            }
            2 | 3 => {
                let (open, close, field) = match self.below(4) {
                    0 => ("{_not: ", "}", "trainingCenters"),
                    1 => ("{_and: [", "]}", "courseRuns"),
                    2 => ("{a: ", "}", "region-code"),
                    _ => ("[", "]", "nodes"),
                };
                let literal = format!(
                    "{}{}{}",
                    open.repeat(depth),
                    if field == "nodes" { "\"x\"" } else { "{}" },
                    close.repeat(depth)
                );
                let q = match field {
                    "region-code" => format!("{{ region(code: {literal}) {{ name }} }}"),
                    "nodes" => format!("{{ nodes(ids: {literal}) {{ id }} }}"),
                    list => format!("{{ {list}(where: {literal}) {{ totalCount }} }}"),
                };
                if self.chance(0.2) {
                    (
                        "value-literal-get",
                        HttpRequest::get_params(&[("query", &q)]),
                    )
                } else {
                    ("value-literal", self.post(&q))
                }
            }
            4 => {
                let d = depth.min(100_000);
                let w = format!("{}{{}}{}", "{\"_not\":".repeat(d), "}".repeat(d));
                ("json-variables", self.accept(HttpRequest::graphql("query($w: TrainingCenterBoolExp) { trainingCenters(where: $w) { totalCount } }", Some(&w))))
            }
            _ => {
                let d = depth.min(50_000);
                (
                    "inline-fragments",
                    self.post(&format!(
                        "{{ {}__typename{} }}",
                        "... on Query { ".repeat(d),
                        " }".repeat(d)
                    )),
                )
            }
        }
    }
}
