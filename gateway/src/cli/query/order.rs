//! The order in which the query selects its fields. The GraphQL spec asks a response to keep
//! it, but a gateway may not (ours serialises through `serde_json::Value`, which sorts keys), so
//! `simpul query` puts every object of `data` back into the order of the selection before
//! printing: columns then come as the query lists them.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql::parser::Positioned;
use async_graphql::Name;
use std::collections::HashMap;

use super::response::Json;

/// Response keys (aliases or field names) in selection order, each with its own selection.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Order {
    fields: Vec<(String, Order)>,
}

impl Order {
    /// The order of `operation` (or the document's only operation) in `document`; `None` when
    /// the document does not parse or has no such operation (the gateway will say why).
    pub(crate) fn of(document: &str, operation: Option<&str>) -> Option<Self> {
        let document = async_graphql::parser::parse_query(document).ok()?;
        let ExecutableDocument {
            operations,
            fragments,
        } = document;
        let definition = match (&operations, operation) {
            (DocumentOperations::Single(single), _) => single,
            (DocumentOperations::Multiple(many), Some(name)) => many.get(name)?,
            (DocumentOperations::Multiple(many), None) if many.len() == 1 => {
                many.values().next()?
            }
            (DocumentOperations::Multiple(_), None) => return None,
        };
        let mut order = Order::default();
        order.add(
            &definition.node.selection_set.node,
            &fragments,
            &mut Vec::new(),
        );
        Some(order)
    }

    /// Add a selection set; fields selected twice (directly or through fragments) merge.
    fn add(
        &mut self,
        set: &SelectionSet,
        fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
        visiting: &mut Vec<Name>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let key = field.node.response_key().node.as_str();
                    let at = match self.fields.iter().position(|(k, _)| k == key) {
                        Some(at) => at,
                        None => {
                            self.fields.push((key.to_owned(), Order::default()));
                            self.fields.len() - 1
                        }
                    };
                    self.fields[at]
                        .1
                        .add(&field.node.selection_set.node, fragments, visiting);
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if visiting.contains(name) {
                        continue;
                    }
                    if let Some(fragment) = fragments.get(name) {
                        visiting.push(name.clone());
                        self.add(&fragment.node.selection_set.node, fragments, visiting);
                        visiting.pop();
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.add(&inline.node.selection_set.node, fragments, visiting);
                }
            }
        }
    }

    /// Put the fields of every object in `value` into selection order (fields the selection
    /// does not name keep their order, after the others).
    pub(crate) fn apply(&self, value: &mut Json) {
        match value {
            Json::Object(fields) => {
                fields.sort_by_key(|(key, _)| {
                    self.fields
                        .iter()
                        .position(|(k, _)| k == key)
                        .unwrap_or(usize::MAX)
                });
                for (key, value) in fields {
                    if let Some((_, order)) = self.fields.iter().find(|(k, _)| k == key) {
                        order.apply(value);
                    }
                }
            }
            Json::Array(items) => {
                for item in items {
                    self.apply(item);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(document: &str, operation: Option<&str>, data: &str) -> String {
        let mut data: Json = serde_json::from_str(data).unwrap();
        Order::of(document, operation).unwrap().apply(&mut data);
        serde_json::to_string(&data).unwrap()
    }

    #[test]
    fn objects_follow_the_selection_through_aliases_lists_and_fragments() {
        let document = r#"
            query A { z: courses { nodes { name ...C trainingCenter { name id } } } providers { key } }
            query B { providers { key } }
            fragment C on Course { code ... on Course { capacity } }
        "#;
        let data = r#"{"providers":[{"key":"spn"}],"z":{"nodes":[
            {"capacity":1,"code":"c","name":"n","trainingCenter":{"id":"i","name":"m"},"extra":0}]}}"#;
        assert_eq!(
            ordered(document, Some("A"), data),
            r#"{"z":{"nodes":[{"name":"n","code":"c","capacity":1,"trainingCenter":{"name":"m","id":"i"},"extra":0}]},"providers":[{"key":"spn"}]}"#
        );
        assert!(
            Order::of(document, None).is_none(),
            "two operations, none named"
        );
        assert!(Order::of("{ broken", None).is_none());
    }
}
