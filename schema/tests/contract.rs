//! The served schema held to the unified model's contract.
//!
//! `schema/contract/unified.graphql` is the model the providers agreed on (UNIFIED.md's SDL);
//! `schema/schema.graphql` is what the gateway serves (a gateway test keeps it equal to the
//! built schema). Every item of the contract — a type, a field with its type, an argument with
//! its type, an enum value, an input field, an interface a type implements, a union member —
//! must be served exactly so, or be listed in `schema/contract/deviations.toml` with a reason.
//! A listed item that is served as the contract says fails too, so the list never goes stale.
//!
//! An entry covers an item and everything inside it: `Program` covers the type and its fields,
//! `Query.programs` the field, its type and its arguments.
//!
//! Run: `cargo nextest run -p simpul-schema --test contract`.

use std::collections::BTreeSet;

use async_graphql_parser::types::{FieldDefinition, TypeKind, TypeSystemDefinition};
use async_graphql_parser::Positioned;
use serde::Deserialize;

const CONTRACT: &str = include_str!("../contract/unified.graphql");
const SERVED: &str = include_str!("../schema.graphql");
const DEVIATIONS: &str = include_str!("../contract/deviations.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deviations {
    deviation: Vec<Deviation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deviation {
    reason: String,
    items: Vec<String>,
}

/// Every item of an SDL document as a line such as `Course.name: String!`,
/// `Query.courses(where: CourseBoolExp)`, `Gender.MALE` or `Course implements Node`.
fn items(name: &str, sdl: &str) -> BTreeSet<String> {
    let document = async_graphql_parser::parse_schema(sdl)
        .unwrap_or_else(|e| panic!("{name} is not valid SDL: {e}"));
    let mut items = BTreeSet::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = ty.node;
        let owner = ty.name.node.to_string();
        items.insert(owner.clone());
        match ty.kind {
            TypeKind::Scalar => {}
            TypeKind::Object(object) => {
                fields(&owner, &object.implements, &object.fields, &mut items)
            }
            TypeKind::Interface(interface) => {
                fields(&owner, &interface.implements, &interface.fields, &mut items)
            }
            TypeKind::Union(union) => {
                for member in union.members {
                    items.insert(format!("{owner} | {}", member.node));
                }
            }
            TypeKind::Enum(values) => {
                for value in values.values {
                    items.insert(format!("{owner}.{}", value.node.value.node));
                }
            }
            TypeKind::InputObject(input) => {
                for field in input.fields {
                    let field = field.node;
                    items.insert(format!("{owner}.{}: {}", field.name.node, field.ty.node));
                }
            }
        }
    }
    items
}

/// The items of an object or interface type: what it implements, its fields and arguments.
fn fields<N: std::fmt::Display>(
    owner: &str,
    implements: &[Positioned<N>],
    fields: &[Positioned<FieldDefinition>],
    items: &mut BTreeSet<String>,
) {
    for interface in implements {
        items.insert(format!("{owner} implements {}", interface.node));
    }
    for field in fields {
        let field = &field.node;
        let path = format!("{owner}.{}", field.name.node);
        items.insert(format!("{path}: {}", field.ty.node));
        for arg in &field.arguments {
            let arg = &arg.node;
            items.insert(format!("{path}({}: {})", arg.name.node, arg.ty.node));
        }
    }
}

/// Whether the entry `listed` covers `item`: the item itself or anything inside it.
fn covers(listed: &str, item: &str) -> bool {
    item.strip_prefix(listed)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '(', ':', ' ']))
}

/// What the served schema has under the same name as `item`, to show beside a mismatch.
fn served_counterpart<'a>(item: &str, served: &'a BTreeSet<String>) -> Option<&'a String> {
    let name = item.split([':', '(']).next()?.trim();
    served
        .iter()
        .find(|s| s.split([':', '(']).next().is_some_and(|n| n.trim() == name) && s != &item)
}

#[test]
fn the_served_schema_is_the_contract_except_where_a_deviation_says_why() {
    let contract = items("schema/contract/unified.graphql", CONTRACT);
    let served = items("schema/schema.graphql", SERVED);
    let deviations: Deviations = toml::from_str(DEVIATIONS)
        .unwrap_or_else(|e| panic!("schema/contract/deviations.toml: {e}"));

    let missing: Vec<&String> = contract.difference(&served).collect();
    let listed: Vec<&str> = deviations
        .deviation
        .iter()
        .flat_map(|d| d.items.iter().map(String::as_str))
        .collect();

    let unexplained: Vec<String> = missing
        .iter()
        .filter(|item| !listed.iter().any(|l| covers(l, item)))
        .map(|item| match served_counterpart(item, &served) {
            Some(served) => format!("  {item}    (served: {served})"),
            None => format!("  {item}    (not served)"),
        })
        .collect();
    let stale: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|l| !missing.iter().any(|item| covers(l, item)))
        .collect();
    let reasonless: Vec<&[String]> = deviations
        .deviation
        .iter()
        .filter(|d| d.reason.trim().is_empty())
        .map(|d| d.items.as_slice())
        .collect();

    assert!(
        unexplained.is_empty() && stale.is_empty() && reasonless.is_empty(),
        "the served schema and the contract disagree.\n\
         Contract items neither served as written nor listed in schema/contract/deviations.toml \
         (serve them, or list them with a reason):\n{}\n\
         Listed deviations that no longer deviate (remove them):\n  {}\n\
         Deviations without a reason:\n  {:?}",
        unexplained.join("\n"),
        stale.join("\n  "),
        reasonless,
    );
}

#[test]
fn an_entry_covers_the_item_and_what_is_inside_it_only() {
    assert!(covers("Program", "Program"));
    assert!(covers("Program", "Program.name: String!"));
    assert!(covers(
        "Query.programs",
        "Query.programs(where: ProgramBoolExp)"
    ));
    assert!(covers("Outcome", "Outcome implements Node"));
    assert!(!covers("Program", "ProgramConnection"));
    assert!(!covers(
        "Query.program",
        "Query.programs: ProgramConnection!"
    ));
}

#[test]
fn every_kind_of_item_is_compared() {
    let sdl = r#"
        interface Node { id: ID! }
        type Course implements Node { id: ID! name(lang: String): String! }
        union Hit = Course
        enum Mode { ONLINE }
        input CourseFilter { name: String }
        scalar Date
    "#;
    let items = items("example", sdl);
    for expected in [
        "Course implements Node",
        "Course.name: String!",
        "Course.name(lang: String)",
        "Hit | Course",
        "Mode.ONLINE",
        "CourseFilter.name: String",
        "Date",
    ] {
        assert!(items.contains(expected), "{expected} in {items:?}");
    }
}
