//! From a response's `data` to tables: per root field, the first list of objects reached by
//! walking its selection in order (a connection's `nodes`, or `edges[].node`, an aggregate's
//! `groups`, or any list of objects) becomes the rows; nested objects flatten to dotted
//! columns (`trainingCenter.name`), lists of scalars join with `;`, and columns come in the
//! order they are first seen. Root fields without such a list become key/value rows.

use std::collections::HashMap;

use super::response::Json;

/// Separator of list items inside one cell.
pub(crate) const LIST_SEPARATOR: &str = ";";

/// Named columns and rows of text cells (null is the empty string).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    /// Column names, in first-seen order.
    pub(crate) columns: Vec<String>,
    /// One cell per column in each row.
    pub(crate) rows: Vec<Vec<String>>,
}

/// One printed block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Section {
    /// The rows of the root field `field`, and the scalars beside them (`totalCount`,
    /// `pageInfo.hasNextPage`) as (path below the field, value).
    Rows {
        /// The root field (its alias if it has one).
        field: String,
        /// The rows.
        table: Table,
        /// Scalars of the root field outside its rows.
        beside: Vec<(String, String)>,
    },
    /// Root fields without rows, flattened to (`field` path, `value`) rows.
    Fields(Table),
}

/// The sections of `data`, in root field order; root fields without rows share one
/// [`Section::Fields`], placed where the first of them is.
pub(crate) fn sections(data: &Json) -> Vec<Section> {
    let Json::Object(roots) = data else {
        let mut cells = Vec::new();
        flatten(data, "data", &mut cells);
        return vec![Section::Fields(key_value(cells))];
    };
    let mut sections = Vec::new();
    let mut fields: Option<(usize, Vec<(String, String)>)> = None;
    for (name, value) in roots {
        match find_rows(value) {
            Some((path, items)) => {
                let rows: Vec<&Json> = if is_edges(items) {
                    items
                        .iter()
                        .map(|edge| edge.get("node").unwrap_or(&Json::Null))
                        .collect()
                } else {
                    items.iter().collect()
                };
                let mut beside = Vec::new();
                flatten_outside(value, &path, "", &mut beside);
                sections.push(Section::Rows {
                    field: name.clone(),
                    table: table(&rows),
                    beside,
                });
            }
            None => {
                let (_, cells) = fields.get_or_insert_with(|| (sections.len(), Vec::new()));
                flatten(value, name, cells);
            }
        }
    }
    if let Some((at, cells)) = fields {
        sections.insert(at, Section::Fields(key_value(cells)));
    }
    sections
}

/// Whether a list holds rows: objects (or nulls), no scalars, no lists. An empty list counts
/// (no rows).
fn is_rows(items: &[Json]) -> bool {
    items
        .iter()
        .all(|item| matches!(item, Json::Object(_) | Json::Null))
}

/// Whether a list of objects is a connection's `edges`: each has a `node`.
fn is_edges(items: &[Json]) -> bool {
    items.iter().any(|item| item.get("node").is_some())
        && items
            .iter()
            .all(|item| matches!(item, Json::Null) || item.get("node").is_some())
}

/// The first list of rows in `value`, depth first in field order, with its path (field names
/// below `value`).
fn find_rows(value: &Json) -> Option<(Vec<&str>, &[Json])> {
    match value {
        Json::Array(items) if is_rows(items) => Some((Vec::new(), items)),
        Json::Object(fields) => fields.iter().find_map(|(name, value)| {
            let (mut path, items) = find_rows(value)?;
            path.insert(0, name.as_str());
            Some((path, items))
        }),
        _ => None,
    }
}

/// The scalars of `value` except the list at `skip` (and any other list of objects), as
/// (dotted path, text).
fn flatten_outside(value: &Json, skip: &[&str], prefix: &str, out: &mut Vec<(String, String)>) {
    let Json::Object(fields) = value else {
        return;
    };
    for (name, value) in fields {
        let path = join(prefix, name);
        match value {
            _ if skip.len() == 1 && skip[0] == name => {}
            Json::Object(_) => {
                let rest: &[&str] = match skip.split_first() {
                    Some((first, rest)) if first == name => rest,
                    _ => &[],
                };
                flatten_outside(value, rest, &path, out);
            }
            Json::Array(items) if !items.iter().all(Json::is_scalar) => {}
            _ => flatten(value, &path, out),
        }
    }
}

/// `prefix.name`, or `name` at the top.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Flatten `value` at `path` into (column, text) cells: objects by dotted names, lists of
/// scalars joined with `;`, lists of objects column by column, each column's items joined.
fn flatten(value: &Json, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Json::Object(fields) => {
            for (name, value) in fields {
                flatten(value, &join(path, name), out);
            }
        }
        Json::Array(items) if items.iter().all(Json::is_scalar) => {
            let texts: Vec<String> = items.iter().filter_map(Json::scalar_text).collect();
            out.push((path.to_owned(), texts.join(LIST_SEPARATOR)));
        }
        Json::Array(items) => {
            let per_item: Vec<Vec<(String, String)>> = items
                .iter()
                .map(|item| {
                    let mut cells = Vec::new();
                    flatten(item, path, &mut cells);
                    cells
                })
                .collect();
            let mut columns: Vec<String> = Vec::new();
            for (column, _) in per_item.iter().flatten() {
                if !columns.contains(column) {
                    columns.push(column.clone());
                }
            }
            for column in columns {
                let texts: Vec<&str> = per_item
                    .iter()
                    .map(|cells| {
                        cells
                            .iter()
                            .find(|(c, _)| *c == column)
                            .map_or("", |(_, text)| text.as_str())
                    })
                    .collect();
                out.push((column, texts.join(LIST_SEPARATOR)));
            }
        }
        scalar => out.push((path.to_owned(), scalar.scalar_text().unwrap_or_default())),
    }
}

/// Rows as a table. A column that is empty in every row and has dotted sub-columns (an object
/// that was null where it was first seen) gives way to those sub-columns.
fn table(rows: &[&Json]) -> Table {
    let mut seen: Vec<String> = Vec::new();
    let mut cells_per_row = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::new();
        if !matches!(row, Json::Null) {
            flatten(row, "", &mut cells);
        }
        for (column, _) in &cells {
            if !seen.contains(column) {
                seen.push(column.clone());
            }
        }
        cells_per_row.push(cells);
    }
    let sub_columns = |column: &str| {
        let prefix = format!("{column}.");
        seen.iter()
            .filter(move |c| c.starts_with(&prefix))
            .cloned()
            .collect::<Vec<_>>()
    };
    let hollow = |column: &str| {
        !sub_columns(column).is_empty()
            && cells_per_row
                .iter()
                .flatten()
                .all(|(c, text)| c != column || text.is_empty())
    };
    let mut columns: Vec<String> = Vec::with_capacity(seen.len());
    for column in &seen {
        if hollow(column) {
            for sub in sub_columns(column) {
                if !columns.contains(&sub) && !hollow(&sub) {
                    columns.push(sub);
                }
            }
        } else if !columns.contains(column) {
            columns.push(column.clone());
        }
    }
    let index: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let rows = cells_per_row
        .into_iter()
        .map(|cells| {
            let mut row = vec![String::new(); columns.len()];
            for (column, text) in cells {
                if let Some(&i) = index.get(column.as_str()) {
                    row[i] = text;
                }
            }
            row
        })
        .collect();
    Table { columns, rows }
}

/// (path, value) pairs as a two-column table.
fn key_value(cells: Vec<(String, String)>) -> Table {
    Table {
        columns: vec!["field".into(), "value".into()],
        rows: cells.into_iter().map(|(k, v)| vec![k, v]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn connection_nodes_flatten_in_selection_order() {
        let data = json(
            r#"{"courses":{"totalCount":2,"pageInfo":{"hasNextPage":false},"nodes":[
                {"name":"Las","trainingCenter":null,"occupations":[{"code":"7212","title":"Welder"},{"code":"7213","title":"Sheet"}],"tags":["a","b"]},
                {"name":"Jahit","trainingCenter":{"name":"SPN","region":{"code":"36.02"}},"occupations":[],"tags":[]}
            ]}}"#,
        );
        let sections = sections(&data);
        assert_eq!(
            sections,
            [Section::Rows {
                field: "courses".into(),
                table: Table {
                    columns: vec![
                        "name".into(),
                        "trainingCenter.name".into(),
                        "trainingCenter.region.code".into(),
                        "occupations.code".into(),
                        "occupations.title".into(),
                        "tags".into(),
                    ],
                    rows: vec![
                        vec![
                            "Las".into(),
                            "".into(),
                            "".into(),
                            "7212;7213".into(),
                            "Welder;Sheet".into(),
                            "a;b".into(),
                        ],
                        vec![
                            "Jahit".into(),
                            "SPN".into(),
                            "36.02".into(),
                            "".into(),
                            "".into(),
                            "".into(),
                        ],
                    ],
                },
                beside: vec![
                    ("totalCount".into(), "2".into()),
                    ("pageInfo.hasNextPage".into(), "false".into())
                ],
            }]
        );
    }

    #[test]
    fn edges_give_their_nodes_and_groups_are_rows() {
        let data = json(
            r#"{"trainingCenters":{"edges":[{"cursor":"c1","node":{"id":"x"}},{"cursor":"c2","node":{"id":"y"}}]},
                "stats":{"aggregate":{"count":3},"groups":[{"key":["2023"],"count":3}]}}"#,
        );
        let sections = sections(&data);
        let Section::Rows { table, .. } = &sections[0] else {
            panic!("{sections:?}")
        };
        assert_eq!(table.columns, ["id"]);
        assert_eq!(table.rows, [["x"], ["y"]]);
        let Section::Rows {
            field,
            table,
            beside,
        } = &sections[1]
        else {
            panic!("{sections:?}")
        };
        assert_eq!(field, "stats");
        assert_eq!(table.columns, ["key", "count"]);
        assert_eq!(table.rows, [["2023", "3"]]);
        assert_eq!(beside, &[("aggregate.count".to_owned(), "3".to_owned())]);
    }

    #[test]
    fn scalars_only_become_key_value_rows_in_one_section() {
        let data = json(
            r#"{"a":{"totalCount":3},"providers":[{"key":"spn"}],"b":{"totalCount":4,"flags":[1,2]}}"#,
        );
        let sections = sections(&data);
        assert_eq!(sections.len(), 2);
        assert_eq!(
            sections[0],
            Section::Fields(Table {
                columns: vec!["field".into(), "value".into()],
                rows: vec![
                    vec!["a.totalCount".into(), "3".into()],
                    vec!["b.totalCount".into(), "4".into()],
                    vec!["b.flags".into(), "1;2".into()],
                ],
            })
        );
        assert!(matches!(&sections[1], Section::Rows { field, .. } if field == "providers"));
    }

    #[test]
    fn an_empty_list_is_zero_rows() {
        let data = json(r#"{"courses":{"totalCount":0,"nodes":[]}}"#);
        let Section::Rows { table, beside, .. } = &sections(&data)[0] else {
            panic!()
        };
        assert!(table.rows.is_empty() && table.columns.is_empty());
        assert_eq!(beside, &[("totalCount".to_owned(), "0".to_owned())]);
    }
}
