//! Differences between a recorded answer and a new one, as `simpul adapter replay` reports
//! them ([`answers`]): query answers record by record (matched by `sourceId`: added, removed,
//! changed fields with their JSON path, and the total), other answers field by field.
//!
//! A difference never prints a personal value: fields that hold personal data (everything
//! under `pii`, the masked NIK and KPJ, `personKey`, `monthlyRevenue`) show as hidden, and any
//! other value is shown only when [`crate::scan`] finds nothing personal in it (NIK-, KPJ- or
//! phone-shaped numbers, or a personal value either answer served with `includePii`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use simpul_schema::Participant;

use crate::scan::{self, Personal};

/// Fields whose values are personal wherever they occur.
const PERSONAL_FIELDS: &[&str] = &[
    "pii",
    "nik",
    "kpj",
    "nikMasked",
    "kpjMasked",
    "personKey",
    "fullName",
    "birthDate",
    "birthPlace",
    "address",
    "phone",
    "email",
    "unionCardNumber",
    "monthlyRevenue",
];

/// Changes listed per answer at most (all are counted).
pub const MAX_LISTED: usize = 50;

/// Longest value shown, in characters.
const MAX_VALUE_CHARS: usize = 60;

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Its JSON path (`participants[SPN-P-0002].pii.fullName`).
    pub path: String,
    /// The recorded value, shown only when nothing personal is in it.
    pub was: String,
    /// The new value, likewise.
    pub now: String,
}

/// How a new answer differs from the recorded one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerDiff {
    /// Records in the new answer only (their `sourceId`s).
    pub added: Vec<String>,
    /// Records in the recorded answer only.
    pub removed: Vec<String>,
    /// Fields that differ (the first [`MAX_LISTED`]).
    pub changed: Vec<Change>,
    /// How many fields differ in all.
    pub changed_count: usize,
    /// The same records in another order.
    pub reordered: bool,
    /// `totalCount` recorded and now, when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<(u64, u64)>,
}

impl AnswerDiff {
    /// Whether the answers are the same.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed_count == 0
            && !self.reordered
            && self.total.is_none()
    }

    /// One line: `1 record added, 2 fields changed, totalCount 40 -> 41`.
    pub fn summary(&self) -> String {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut parts = Vec::new();
        if !self.added.is_empty() {
            parts.push(count(self.added.len(), "record") + " added");
        }
        if !self.removed.is_empty() {
            parts.push(count(self.removed.len(), "record") + " removed");
        }
        if self.changed_count > 0 {
            parts.push(count(self.changed_count, "field") + " changed");
        }
        if self.reordered {
            parts.push("records in another order".into());
        }
        if let Some((was, now)) = self.total {
            parts.push(format!("totalCount {was} -> {now}"));
        }
        parts.join(", ")
    }
}

/// The difference between a recorded answer and a new one (both `AdapterResponse` JSON).
pub fn answers(recorded: &Value, now: &Value) -> AnswerDiff {
    let redactor = Redactor::new(&[recorded, now]);
    let mut diff = AnswerDiff::default();
    let mut changes = Vec::new();
    match (query_parts(recorded), query_parts(now)) {
        (Some((collection, was, was_total)), Some((_, is, is_total))) => {
            if was_total != is_total {
                diff.total = Some((was_total, is_total));
            }
            let key = |r: &Value| r["sourceId"].as_str().unwrap_or_default().to_owned();
            let old: BTreeMap<String, &Value> = was.iter().map(|r| (key(r), r)).collect();
            let new: BTreeMap<String, &Value> = is.iter().map(|r| (key(r), r)).collect();
            for (id, record) in &old {
                let shown = redactor.id(id);
                match new.get(id) {
                    Some(other) => values(
                        &format!("{collection}[{shown}]"),
                        record,
                        other,
                        &redactor,
                        &mut changes,
                    ),
                    None => diff.removed.push(shown),
                }
            }
            diff.added = new
                .keys()
                .filter(|id| !old.contains_key(*id))
                .map(|id| redactor.id(id))
                .collect();
            let in_both = |list: &[Value]| -> Vec<String> {
                list.iter()
                    .map(key)
                    .filter(|id| old.contains_key(id) && new.contains_key(id))
                    .collect()
            };
            diff.reordered = in_both(was) != in_both(is);
        }
        _ => values("", recorded, now, &redactor, &mut changes),
    }
    diff.changed_count = changes.len();
    changes.truncate(MAX_LISTED);
    diff.changed = changes;
    diff
}

/// A query answer's collection, records and total.
fn query_parts(answer: &Value) -> Option<(&str, &[Value], u64)> {
    if answer["kind"] != "query" {
        return None;
    }
    let body = &answer["body"];
    Some((
        body["records"]["collection"].as_str()?,
        body["records"]["records"].as_array()?,
        body["totalCount"].as_u64()?,
    ))
}

/// Every leaf that differs between `was` and `now`, under `path`.
fn values(path: &str, was: &Value, now: &Value, redactor: &Redactor, out: &mut Vec<Change>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (was, now) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                values(&join(key), x, y, redactor, out);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let (x, y) = (
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                );
                values(&format!("{path}[{i}]"), x, y, redactor, out);
            }
        }
        (a, b) if a != b => out.push(Change {
            path: path.to_owned(),
            was: redactor.show(path, a),
            now: redactor.show(path, b),
        }),
        _ => {}
    }
}

/// Decides what of a value may be shown.
struct Redactor {
    personal: Personal,
}

impl Redactor {
    /// With the personal values served in `answers` (participants read with `includePii`).
    fn new(answers: &[&Value]) -> Self {
        let participants: Vec<Participant> = answers
            .iter()
            .copied()
            .filter_map(query_parts)
            .filter(|(collection, _, _)| *collection == "participants")
            .flat_map(|(_, records, _)| records.iter())
            .filter_map(|r| serde_json::from_value(r.clone()).ok())
            .collect();
        Self {
            personal: Personal::of(&participants),
        }
    }

    fn looks_personal(&self, text: &str) -> bool {
        !scan::shapes(text).is_empty() || !self.personal.find(text).is_empty()
    }

    /// A record's key as a path segment (hidden if it looks personal, which a key never should).
    fn id(&self, id: &str) -> String {
        if self.looks_personal(id) {
            "(a key that looks personal)".into()
        } else {
            id.to_owned()
        }
    }

    /// `value` as text, or why it is hidden.
    fn show(&self, path: &str, value: &Value) -> String {
        let personal_field = path
            .split(['.', '['])
            .any(|segment| PERSONAL_FIELDS.contains(&segment));
        if personal_field && !value.is_null() {
            return "(personal, hidden)".into();
        }
        let text = match value {
            Value::Object(o) => return format!("{{{} fields}}", o.len()),
            Value::Array(a) => return format!("[{} items]", a.len()),
            other => other.to_string(),
        };
        if self.looks_personal(&text) {
            return "(looks personal, hidden)".into();
        }
        if text.chars().count() > MAX_VALUE_CHARS {
            let cut: String = text.chars().take(MAX_VALUE_CHARS).collect();
            return format!("{cut}…");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(records: Value, total: u64) -> Value {
        json!({"kind": "query", "body": {"records": {"collection": "participants", "records": records}, "totalCount": total}})
    }

    #[test]
    fn records_by_source_id_without_personal_values() {
        let was = answer(
            json!([
                {"sourceId": "P-1", "sex": "F", "pii": {"fullName": "Siti Rahmawati", "nik": "3602134507900001"}},
                {"sourceId": "P-2", "sex": "M", "note": "kpj 99012345001"},
                {"sourceId": "P-3"}
            ]),
            3,
        );
        let now = answer(
            json!([
                {"sourceId": "P-1", "sex": "M", "pii": {"fullName": "Siti Rahma", "nik": "3602134507900001"}},
                {"sourceId": "P-2", "sex": "M", "note": "kpj 99012345002"},
                {"sourceId": "P-4"}
            ]),
            4,
        );
        let diff = answers(&was, &now);
        assert_eq!(diff.added, ["P-4"]);
        assert_eq!(diff.removed, ["P-3"]);
        assert_eq!(diff.total, Some((3, 4)));
        let paths: Vec<&str> = diff.changed.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "participants[P-1].pii.fullName",
                "participants[P-1].sex",
                "participants[P-2].note"
            ]
        );
        assert_eq!(diff.changed[1].was, "\"F\"");
        let text = serde_json::to_string(&diff).unwrap();
        for personal in ["Siti", "3602134507900001", "99012345001"] {
            assert!(!text.contains(personal), "{text}");
        }
        assert!(answers(&was, &was).is_empty());
    }

    #[test]
    fn other_answers_field_by_field() {
        let was = json!({"kind": "status", "body": {"recordCounts": {"courses": 3}}});
        let now = json!({"kind": "status", "body": {"recordCounts": {"courses": 4}}});
        let diff = answers(&was, &now);
        assert_eq!(diff.changed[0].path, "body.recordCounts.courses");
        assert_eq!(
            (diff.changed[0].was.as_str(), diff.changed[0].now.as_str()),
            ("3", "4")
        );
    }
}
