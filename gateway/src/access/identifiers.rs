//! The rule that personal identifiers never sit in a query's text: a NIK or KPJ typed into a
//! query would land in logs, traces and the persisted-query store. Anywhere in a document
//! (arguments at any depth, fragments, inline fragments, aliases, list and object values,
//! directive arguments, variable defaults), a literal is refused when
//!
//! - it is given to an identifier argument or input field (`nik`, `kpj`), whatever it holds;
//! - or it looks like one: the whole literal is 16 digits (a NIK) or 11 digits (a KPJ, as
//!   BPJAMSOSTEK's contract has it), separators people type (space, `.`, `-`) allowed, as in
//!   `"3602 1345 0790 0001"`; or it contains such a run of digits standing on its own
//!   (`"%3602134507900001%"`). A run next to letters (`"k3f09…"`, a hash) is not one.
//!
//! Integer literals count as their digits. Such a value must come as a variable (`$nik`). The
//! gateway checks before a query runs ([`find`] in the HTTP admission) and before one is stored
//! as a persisted query (APQ registration and `simpul queries add`). The error never repeats the
//! value.

use async_graphql::parser::types::{
    Directive, ExecutableDocument, Selection, SelectionSet, VariableDefinition,
};
use async_graphql::{Name, Positioned, Value};

/// The literals of a value as written, its variables replaced by `null` (never refused: a
/// variable is how an identifier must come). A macro: the parser's value type with variables
/// is not exported by `async_graphql`.
macro_rules! literals {
    ($value:expr) => {
        $value
            .clone()
            .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null))
            .unwrap_or(Value::Null)
    };
}

/// Argument and input-field names whose values are personal identifiers.
const IDENTIFIER_NAMES: &[&str] = &["nik", "kpj"];

/// A personal identifier written into a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineIdentifier {
    /// What was found: `a NIK`, `a KPJ`, or `a literal` (given to `nik`/`kpj`).
    pub what: &'static str,
    /// Where: `argument \`where\` of \`participants\``, `a variable's default`, ...
    pub place: String,
}

impl std::fmt::Display for InlineIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in {} is written into the query: personal identifiers (NIK, KPJ) must be passed \
             as a variable (`query($nik: String!) {{ personByNik(nik: $nik) {{ … }} }}`), so that \
             they stay out of logs and persisted queries",
            self.what, self.place
        )
    }
}

/// The first inline identifier in `document`, if any.
pub fn find(document: &ExecutableDocument) -> Option<InlineIdentifier> {
    let mut sets: Vec<&SelectionSet> = Vec::new();
    for (_, op) in document.operations.iter() {
        let op = &op.node;
        if let Some(found) = variables(&op.variable_definitions) {
            return Some(found);
        }
        if let Some(found) = directives(&op.directives) {
            return Some(found);
        }
        sets.push(&op.selection_set.node);
    }
    for fragment in document.fragments.values() {
        if let Some(found) = directives(&fragment.node.directives) {
            return Some(found);
        }
        sets.push(&fragment.node.selection_set.node);
    }
    // Iterative over selections: a deeply nested document must not exhaust the stack here
    // (values are bounded by the admission's nesting limit).
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    for (name, value) in &field.arguments {
                        let named = is_identifier(&name.node);
                        if let Some(what) = scan(&literals!(value.node), named) {
                            return Some(InlineIdentifier {
                                what,
                                place: format!("argument `{}` of `{}`", name.node, field.name.node),
                            });
                        }
                    }
                    if let Some(found) = directives(&field.directives) {
                        return Some(found);
                    }
                    sets.push(&field.selection_set.node);
                }
                Selection::InlineFragment(fragment) => {
                    if let Some(found) = directives(&fragment.node.directives) {
                        return Some(found);
                    }
                    sets.push(&fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(found) = directives(&spread.node.directives) {
                        return Some(found);
                    }
                }
            }
        }
    }
    None
}

fn is_identifier(name: &Name) -> bool {
    IDENTIFIER_NAMES
        .iter()
        .any(|n| name.as_str().eq_ignore_ascii_case(n))
}

fn variables(definitions: &[Positioned<VariableDefinition>]) -> Option<InlineIdentifier> {
    for definition in definitions {
        let definition = &definition.node;
        if let Some(default) = &definition.default_value {
            if let Some(what) = scan(&default.node, is_identifier(&definition.name.node)) {
                return Some(InlineIdentifier {
                    what,
                    place: format!("the default of `${}`", definition.name.node),
                });
            }
        }
        if let Some(found) = directives(&definition.directives) {
            return Some(found);
        }
    }
    None
}

fn directives(directives: &[Positioned<Directive>]) -> Option<InlineIdentifier> {
    for directive in directives {
        let directive = &directive.node;
        for (name, value) in &directive.arguments {
            if let Some(what) = scan(&literals!(value.node), is_identifier(&name.node)) {
                return Some(InlineIdentifier {
                    what,
                    place: format!(
                        "argument `{}` of the directive `@{}`",
                        name.node, directive.name.node
                    ),
                });
            }
        }
    }
    None
}

/// What `value` holds that may not be inline; `named`: it is given to `nik`/`kpj`.
fn scan(value: &Value, named: bool) -> Option<&'static str> {
    match value {
        Value::Null | Value::Boolean(_) | Value::Enum(_) => None,
        Value::String(_) | Value::Number(_) | Value::Binary(_) if named => Some("a literal"),
        Value::String(s) => shape(s),
        Value::Number(n) => shape(&n.to_string()),
        Value::Binary(_) => None,
        Value::List(items) => items.iter().find_map(|v| scan(v, named)),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(name, v)| scan(v, named || is_identifier(name))),
    }
}

/// `a NIK` or `a KPJ` when `text` looks like one (see the module's rule).
pub fn shape(text: &str) -> Option<&'static str> {
    let kind = |digits: usize| match digits {
        16 => Some("a NIK"),
        11 => Some("a KPJ"),
        _ => None,
    };
    let trimmed = text.trim();
    if trimmed.starts_with(|c: char| c.is_ascii_digit())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-'))
    {
        if let Some(found) = kind(trimmed.chars().filter(char::is_ascii_digit).count()) {
            return Some(found);
        }
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let alone = (start == 0 || !bytes[start - 1].is_ascii_alphabetic())
            && (i == bytes.len() || !bytes[i].is_ascii_alphabetic());
        if alone {
            if let Some(found) = kind(i - start) {
                return Some(found);
            }
        }
    }
    None
}

/// Parse `query` and look for an inline identifier; `Ok` when the text does not parse (the
/// caller reports parse errors its own way).
pub fn check_text(query: &str) -> Result<(), InlineIdentifier> {
    match async_graphql::parser::parse_query(query) {
        Ok(document) => find(&document).map_or(Ok(()), Err),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(query: &str) -> Option<&'static str> {
        find(&async_graphql::parser::parse_query(query).unwrap()).map(|f| f.what)
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("3602134507900001"), Some("a NIK"));
        assert_eq!(shape(" 3602 1345 0790 0001 "), Some("a NIK"));
        assert_eq!(shape("3602-1345-0790-0001"), Some("a NIK"));
        assert_eq!(shape("%3602134507900001%"), Some("a NIK"));
        assert_eq!(shape("99000000002"), Some("a KPJ"));
        assert_eq!(shape("KPJ 99000000002"), Some("a KPJ"));
        assert_eq!(shape("36.02.13.2001"), None);
        assert_eq!(shape("2024-01-01"), None);
        assert_eq!(shape("36021345079000011"), None);
        assert_eq!(shape("k3602134507900001f"), None);
        assert_eq!(shape("PP-2019-00001"), None);
        assert_eq!(shape(""), None);
    }

    #[test]
    fn everywhere_in_a_document() {
        let nik = "3602134507900001";
        for query in [
            format!("{{ personByNik(nik: \"{nik}\") {{ id }} }}"),
            "{ personByNik(nik: \"not a nik\") { id } }".to_owned(),
            format!("{{ a: personByNik(nik: \"{nik}\") {{ id }} }}"),
            format!("{{ ...F }} fragment F on Query {{ personByNik(nik: \"{nik}\") {{ id }} }}"),
            format!("{{ ... on Query {{ x(where: {{ a: {{ _in: [\"{nik}\"] }} }}) }} }}"),
            "{ x(where: { nik: { _eq: \"abc\" } }) }".to_owned(),
            "{ x(where: { kpj: { _eq: 12 } }) }".to_owned(),
            format!("{{ x @include(if: true) @tag(v: \"{nik}\") }}"),
            format!("{{ ...F @tag(v: \"{nik}\") }} fragment F on Query {{ x }}"),
            format!("query($n: String = \"{nik}\") {{ x(n: $n) }}"),
            "query($nik: String = \"x\") { x(n: $nik) }".to_owned(),
            format!("query @tag(v: \"{nik}\") {{ x }}"),
            "{ x(first: 99000000002) }".to_owned(),
        ] {
            assert!(found(&query).is_some(), "{query}");
        }
        for query in [
            "query($nik: String!) { personByNik(nik: $nik) { id } }",
            "{ x(where: { regionCode: { _prefix: \"36.02\" } }, first: 20) }",
            "{ x(where: { nik: { _eq: $v } }) }",
            "{ x(id: \"Z3c6UGVyc29uOjNmMDk4\") }",
        ] {
            assert_eq!(found(query), None, "{query}");
        }
    }

    #[test]
    fn the_message_never_repeats_the_value() {
        let nik = "3602134507900001";
        let error = check_text(&format!("{{ personByNik(nik: \"{nik}\") {{ id }} }}")).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains(nik), "{message}");
        assert!(message.contains("variable") && message.contains("personByNik"));
    }
}
