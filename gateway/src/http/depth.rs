//! How deep a query may nest, checked on the parsed document before it runs (fragments
//! expanded), with one rule for data and another for introspection.
//!
//! - **Data:** the longest chain of fields, counted as async-graphql's `limit_depth` counts it
//!   (`{ a { b } }` is 2; `__typename` does not count), must not exceed `limits.max_depth`.
//!   An introspection root field (`__schema`, `__type`) counts as one level of data; what is
//!   below it is measured by the second rule.
//! - **Introspection:** below `__schema`/`__type`, only the fields that return *lists of schema
//!   elements* count: `types`, `directives`, `fields`, `args`, `inputFields`, `interfaces`,
//!   `possibleTypes`, `enumValues` ([`INTROSPECTION_LISTS`]). At most
//!   [`MAX_INTROSPECTION_LISTS`] of them may sit inside one another. The other fields there
//!   (`type`, `ofType`, `queryType`, …) return one element each, so they cannot multiply an
//!   answer: an `ofType` chain ends in `null` after the schema's deepest wrapping (`[T!]!`),
//!   and its length is bounded by the text's nesting ([`super::admission::MAX_NESTING`]) and,
//!   through fragments, by the walk's own bound (`MAX_FRAMES`).
//!
//! graphql-js's `getIntrospectionQuery()` (which GraphiQL, graphql-codegen, Apollo, Postman,
//! Insomnia, Altair and Python's gql send) nests 14 field levels (`__schema { types { fields {
//! args { type { ofType ×9 …` ), more than the data limit, but only 3 lists (`types > fields >
//! args`), so it passes; `__type { fields { type { fields { type { fields { type { fields … }`
//! is refused at its fourth `fields`, before the answer can grow as (fields per type)^n.
//!
//! Errors carry `LIMIT_EXCEEDED`, as do async-graphql's own limits ([`library_limit_code`]).

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use axum::http::StatusCode;

use crate::access::Denied;

/// The introspection fields that return lists of schema elements: the only ones counted below
/// `__schema`/`__type`.
pub const INTROSPECTION_LISTS: &[&str] = &[
    "types",
    "directives",
    "fields",
    "args",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
];

/// Most [`INTROSPECTION_LISTS`] fields nested inside one another (getIntrospectionQuery
/// needs 3: `types > fields > args`).
pub const MAX_INTROSPECTION_LISTS: usize = 3;

/// Most selection sets and fragment spreads the walk follows inside one another. The text's
/// nesting bounds selection sets; this bounds chains of fragments too (async-graphql refuses
/// more than 32 anyway), so the walk's recursion stays shallow.
const MAX_FRAMES: usize = 128;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    Data,
    Introspection,
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    max_depth: usize,
    /// Each fragment's measure in each mode (cycles count as nothing: the validator reports
    /// them), so that fan-outs through fragments are walked once.
    memo: HashMap<(&'a str, Mode), usize>,
    visiting: Vec<&'a str>,
}

fn limit(message: String) -> Denied {
    Denied {
        status: StatusCode::BAD_REQUEST,
        code: "LIMIT_EXCEEDED",
        message,
        retry_after: None,
    }
}

impl<'a> Walk<'a> {
    /// The depth of `set` in `mode`: field levels for data, nested lists for introspection.
    fn measure(
        &mut self,
        set: &'a SelectionSet,
        mode: Mode,
        frames: usize,
    ) -> Result<usize, Denied> {
        if frames > MAX_FRAMES {
            return Err(limit(format!(
                "the query nests selections and fragments more than {MAX_FRAMES} levels deep"
            )));
        }
        let mut deepest = 0;
        for item in &set.items {
            let depth = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let inner = &field.selection_set.node;
                    match mode {
                        Mode::Data if name == "__typename" => 0,
                        Mode::Data if name == "__schema" || name == "__type" => {
                            // Bounded by the second rule (an error when it is exceeded).
                            self.measure(inner, Mode::Introspection, frames + 1)?;
                            1
                        }
                        Mode::Data => 1 + self.measure(inner, mode, frames + 1)?,
                        Mode::Introspection => {
                            usize::from(INTROSPECTION_LISTS.contains(&name))
                                + self.measure(inner, mode, frames + 1)?
                        }
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.measure(&fragment.node.selection_set.node, mode, frames + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if let Some(known) = self.memo.get(&(name, mode)) {
                        *known
                    } else if self.visiting.contains(&name) {
                        0
                    } else if let Some(fragment) =
                        self.document.fragments.get(&spread.node.fragment_name.node)
                    {
                        self.visiting.push(name);
                        let depth =
                            self.measure(&fragment.node.selection_set.node, mode, frames + 1);
                        self.visiting.pop();
                        let depth = depth?;
                        self.memo.insert((name, mode), depth);
                        depth
                    } else {
                        0
                    }
                }
            };
            deepest = deepest.max(depth);
        }
        // A part deeper than the limit makes the whole deeper: stop at once.
        if mode == Mode::Data && deepest > self.max_depth {
            return Err(limit(format!(
                "the query nests fields more than {max} levels deep; at most {max} are allowed (introspection below __schema/__type is bounded separately)",
                max = self.max_depth
            )));
        }
        if mode == Mode::Introspection && deepest > MAX_INTROSPECTION_LISTS {
            return Err(limit(format!(
                "the introspection query nests more than {MAX_INTROSPECTION_LISTS} lists of schema elements ({}) inside one another; at most {MAX_INTROSPECTION_LISTS} are allowed",
                INTROSPECTION_LISTS.join(", ")
            )));
        }
        Ok(deepest)
    }
}

/// Refuse a document whose data nests deeper than `max_depth` fields or whose introspection
/// nests more than [`MAX_INTROSPECTION_LISTS`] lists (every operation in it, as the library
/// did). The same rule holds for every role that may introspect.
pub fn check(document: &ExecutableDocument, max_depth: usize) -> Result<(), Denied> {
    let mut walk = Walk {
        document,
        max_depth,
        memo: HashMap::new(),
        visiting: Vec::new(),
    };
    for (_, operation) in document.operations.iter() {
        walk.measure(&operation.node.selection_set.node, Mode::Data, 0)?;
    }
    Ok(())
}

/// The `extensions.code` for a limit async-graphql enforces itself and reports without one
/// (complexity, `limits.max_complexity`; its recursion guard).
pub fn library_limit_code(message: &str) -> Option<&'static str> {
    (message == "Query is too complex."
        || message.starts_with("The recursion depth of the query cannot be greater than"))
    .then_some("LIMIT_EXCEEDED")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// graphql-js 16.11's `getIntrospectionQuery()` with every option on (descriptions,
    /// specifiedByUrl, directiveIsRepeatable, schemaDescription, inputValueDeprecation, oneOf).
    const INTROSPECTION: &str = r#"
    query IntrospectionQuery {
      __schema {
        description
        queryType { name kind }
        mutationType { name kind }
        subscriptionType { name kind }
        types { ...FullType }
        directives {
          name description isRepeatable locations
          args(includeDeprecated: true) { ...InputValue }
        }
      }
    }
    fragment FullType on __Type {
      kind name description specifiedByURL isOneOf
      fields(includeDeprecated: true) {
        name description
        args(includeDeprecated: true) { ...InputValue }
        type { ...TypeRef }
        isDeprecated deprecationReason
      }
      inputFields(includeDeprecated: true) { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name description type { ...TypeRef } defaultValue isDeprecated deprecationReason
    }
    fragment TypeRef on __Type {
      kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
      ofType { kind name ofType { kind name ofType { kind name ofType { kind name
      ofType { kind name } } } } } } } } }
    }
    "#;

    fn depth(query: &str, max_depth: usize) -> Result<(), String> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        check(&document, max_depth).map_err(|d| {
            assert_eq!(d.code, "LIMIT_EXCEEDED");
            assert_eq!(d.status, StatusCode::BAD_REQUEST);
            d.message
        })
    }

    #[test]
    fn get_introspection_query_passes_the_default_limits() {
        assert_eq!(depth(INTROSPECTION, 12), Ok(()));
        // It would not under the data rule: 14 levels.
        assert!(INTROSPECTION.matches("ofType {").count() == 9);
        assert_eq!(depth(INTROSPECTION, 1), Ok(()));
        // Alongside data, the data keeps its own limit.
        let with_data = format!("query Data {{ providers {{ key }} }} {INTROSPECTION}");
        assert_eq!(depth(&with_data, 2), Ok(()));
        assert!(depth(&with_data, 1)
            .unwrap_err()
            .contains("more than 1 levels deep"));
    }

    #[test]
    fn malicious_introspection_is_bounded() {
        let nested = |n: usize| {
            format!(
                "{{ __type(name: \"Query\") {{ {} name {} }} }}",
                "fields { type { ".repeat(n),
                "} } ".repeat(n)
            )
        };
        assert_eq!(depth(&nested(3), 12), Ok(()));
        let refused = depth(&nested(4), 12).unwrap_err();
        assert!(refused.contains("more than 3 lists"), "{refused}");
        // Through fragments, and with other list fields, the same.
        let spread = "{ __schema { types { ...T } } }
            fragment T on __Type { interfaces { possibleTypes { inputFields { name } } } }";
        assert!(depth(spread, 12).unwrap_err().contains("more than 3 lists"));
        // Long ofType chains are single elements: not counted.
        let chain = format!(
            "{{ __type(name: \"Query\") {{ {} name {} }} }}",
            "ofType { ".repeat(40),
            "} ".repeat(40)
        );
        assert_eq!(depth(&chain, 12), Ok(()));
    }

    #[test]
    fn data_depth_is_counted_as_before() {
        let query = "{ a { b { c } } }";
        assert_eq!(depth(query, 3), Ok(()));
        let refused = depth(query, 2).unwrap_err();
        assert!(refused.contains("more than 2 levels deep"), "{refused}");
        // __typename does not count; fragments and inline fragments are expanded.
        assert_eq!(depth("{ a { b { __typename } } }", 2), Ok(()));
        let spread = "{ a { ...F } } fragment F on A { b { ... on B { c { d } } } }";
        assert_eq!(depth(spread, 4), Ok(()));
        assert!(depth(spread, 3).is_err());
        // Every operation counts, not only the one that runs.
        assert!(depth("query A { a } query B { a { b { c } } }", 2).is_err());
        // A data field named like an introspection list is data.
        assert!(depth("{ fields { fields { fields { fields { x } } } } }", 4).is_err());
    }

    #[test]
    fn fragment_cycles_fan_outs_and_chains_end() {
        assert_eq!(depth("{ ...A } fragment A on Q { a { ...A } }", 12), Ok(()));
        // 2^60 paths, one field deep: the memo walks each fragment once.
        let mut fanout = String::from("{ ...F0 }");
        for i in 0..60 {
            fanout.push_str(&format!(
                " fragment F{i} on Query {{ ...F{} ...F{} }}",
                i + 1,
                i + 1
            ));
        }
        fanout.push_str(" fragment F60 on Query { a { b } }");
        assert_eq!(depth(&fanout, 2), Ok(()));
        assert!(depth(&fanout, 1).is_err());
        let mut chain = String::from("{ ...F0 }");
        for i in 0..5000 {
            chain.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
        }
        chain.push_str(" fragment F5000 on Query { a }");
        let refused = depth(&chain, 12).unwrap_err();
        assert!(refused.contains("fragments"), "{refused}");
    }

    #[test]
    fn library_limits_get_a_code() {
        assert_eq!(
            library_limit_code("Query is too complex."),
            Some("LIMIT_EXCEEDED")
        );
        assert_eq!(
            library_limit_code("The recursion depth of the query cannot be greater than `32`"),
            Some("LIMIT_EXCEEDED")
        );
        assert_eq!(library_limit_code("Unknown field \"x\""), None);
    }
}
