//! Comparing an adapter's answer with the reference's: the same records in the same order
//! with the same total, and when they differ, a sentence that names the first difference
//! (`adapter 12 records, reference 13; first difference sourceId X: …`).

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::records::Record;

/// An answer: the records and the total count.
pub type Answer<T> = (Vec<T>, u64);

/// `Ok` when `got` equals `expected` (in order when `ordered`, else as sets by `sourceId`);
/// otherwise what differs first.
pub fn answers<T: Record>(
    got: &Answer<T>,
    expected: &Answer<T>,
    ordered: bool,
) -> Result<(), String> {
    let (mut records, total) = (got.0.iter().collect::<Vec<_>>(), got.1);
    let (mut reference, reference_total) = (expected.0.iter().collect::<Vec<_>>(), expected.1);
    if !ordered {
        records.sort_by(|a, b| a.source_id().cmp(b.source_id()));
        reference.sort_by(|a, b| a.source_id().cmp(b.source_id()));
    }
    let counts = format!(
        "adapter {} records (totalCount {total}), reference {} (totalCount {reference_total})",
        records.len(),
        reference.len()
    );
    if let Some(i) = (0..records.len().max(reference.len()))
        .find(|&i| records.get(i).map(|r| r.source_id()) != reference.get(i).map(|r| r.source_id()))
    {
        let id = |r: Option<&&T>| r.map_or("(none)".to_owned(), |r| r.source_id().to_owned());
        let (mine, theirs) = (id(records.get(i)), id(reference.get(i)));
        let mine_ids: HashSet<&str> = records.iter().map(|r| r.source_id()).collect();
        let their_ids: HashSet<&str> = reference.iter().map(|r| r.source_id()).collect();
        let missing = reference.iter().find(|r| !mine_ids.contains(r.source_id()));
        let extra = records.iter().find(|m| !their_ids.contains(m.source_id()));
        let detail = match (missing, extra) {
            (Some(r), _) => format!("sourceId {} is in the reference's answer, not the adapter's", r.source_id()),
            (None, Some(m)) => format!("sourceId {} is in the adapter's answer, not the reference's", m.source_id()),
            (None, None) => format!("the same records in another order: at position {i} the adapter sends sourceId {mine}, the reference {theirs}"),
        };
        return Err(format!("{counts}; first difference: {detail}"));
    }
    if total != reference_total {
        return Err(format!(
            "{counts}: the records agree, the totalCount does not"
        ));
    }
    for (mine, theirs) in records.iter().zip(&reference) {
        if mine != theirs {
            let at = first_difference(&json(mine), &json(theirs)).unwrap_or_default();
            return Err(format!(
                "{counts}; first difference: record sourceId {} differs at {at}",
                mine.source_id()
            ));
        }
    }
    Ok(())
}

fn json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The JSON path of the first place two values differ, with both values
/// (`/address/regionCode: "36.03" vs "36.03.18"`).
pub fn first_difference(a: &Value, b: &Value) -> Option<String> {
    fn walk(a: &Value, b: &Value, path: &mut String) -> Option<String> {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys {
                    let len = path.len();
                    path.push('/');
                    path.push_str(key);
                    let found = walk(
                        x.get(key).unwrap_or(&Value::Null),
                        y.get(key).unwrap_or(&Value::Null),
                        path,
                    );
                    if found.is_some() {
                        return found;
                    }
                    path.truncate(len);
                }
                None
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    let found = walk(p, q, path);
                    if found.is_some() {
                        return found;
                    }
                    path.truncate(len);
                }
                None
            }
            _ if a == b => None,
            _ => Some(format!(
                "{}: adapter {} vs reference {}",
                if path.is_empty() { "/" } else { path },
                short(a),
                short(b)
            )),
        }
    }
    walk(a, b, &mut String::new())
}

/// A value for a message, cut to 80 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::Partnership;

    fn p(id: &str) -> Partnership {
        serde_json::from_value(serde_json::json!({
            "sourceId": id, "warnings": [], "kind": "OTHER", "parties": []
        }))
        .expect("a partnership")
    }

    #[test]
    fn differences_are_named() {
        let a = (vec![p("A"), p("B")], 2);
        assert_eq!(answers(&a, &a.clone(), true), Ok(()));
        let missing = answers(&(vec![p("A")], 1), &a, true).unwrap_err();
        assert!(
            missing.contains("adapter 1 records (totalCount 1), reference 2"),
            "{missing}"
        );
        assert!(
            missing.contains("sourceId B is in the reference's answer"),
            "{missing}"
        );
        let swapped = (vec![p("B"), p("A")], 2);
        assert!(answers(&swapped, &a, true)
            .unwrap_err()
            .contains("another order"));
        assert_eq!(answers(&swapped, &a, false), Ok(()));
        let total = answers(&(a.0.clone(), 3), &a, true).unwrap_err();
        assert!(total.contains("the totalCount does not"), "{total}");
        let mut changed = p("B");
        changed.scope = Some("x".into());
        let content = answers(&(vec![p("A"), changed], 2), &a, true).unwrap_err();
        assert!(
            content
                .contains("record sourceId B differs at /scope: adapter \"x\" vs reference null"),
            "{content}"
        );
    }
}
