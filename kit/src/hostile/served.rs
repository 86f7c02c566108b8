//! What the judge reads in served records: whether a participant's identifiers are
//! well-formed, which values a record lost, which warnings it gained, whether a touched
//! record came back as the baseline had it. Field names only, never values.

use std::collections::BTreeSet;

use serde_json::Value;

use super::observe::Observed;

/// A served participant's identifiers are well-formed or absent: a NIK of 16 digits, a KPJ of
/// 11, a birth date that is a date (never `3.17E+15` or a NIK that lost its last digits).
pub(super) fn sane(collection: &str, record: &Value) -> Result<(), String> {
    let field = |name: &str| {
        record
            .pointer(&format!("/pii/{name}"))
            .and_then(Value::as_str)
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let text = record.to_string();
    if text.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)) {
        return Err("text not in NFC (a combining mark)".into());
    }
    if collection != "participants" {
        return Ok(());
    }
    if let Some(nik) = field("nik") {
        if !digits(nik, 16) {
            return Err("a NIK that is not the source's 16 digits".into());
        }
    }
    if field("kpj").is_some_and(|k| !digits(k, 11)) {
        return Err("a KPJ that is not 11 digits".into());
    }
    if field("birthDate").is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err())
    {
        return Err("a birth date that is not a date".into());
    }
    Ok(())
}

/// The top-level fields that differ, by name only (values may be personal).
pub(super) fn diff(before: &Value, now: &Value) -> String {
    let (Some(a), Some(b)) = (before.as_object(), now.as_object()) else {
        return String::new();
    };
    let fields: BTreeSet<_> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    let names: Vec<_> = fields.into_iter().map(String::as_str).collect();
    format!(" ({})", names.join(", "))
}

/// The warning codes touched records carry that they did not in the baseline.
pub(super) fn new_warnings(
    baseline: &Observed,
    after: &Observed,
    touched: &dyn Fn(&str, &str) -> bool,
) -> BTreeSet<String> {
    // By code and field: a record that had a warning of this code on another field gains one.
    let codes = |record: Option<&Value>| -> BTreeSet<(String, String)> {
        let warnings = record
            .and_then(|r| r.get("warnings"))
            .and_then(Value::as_array);
        let codes = warnings.into_iter().flatten().filter_map(|w| {
            let field = w.get("field").map(Value::to_string).unwrap_or_default();
            Some((w.get("code")?.as_str()?.to_owned(), field))
        });
        codes.collect()
    };
    let mut out = BTreeSet::new();
    for (collection, records) in &after.records {
        for (id, record) in records.iter().filter(|(id, _)| touched(collection, id)) {
            let before = codes(baseline.records.get(collection).and_then(|r| r.get(id)));
            let gained = codes(Some(record));
            out.extend(gained.difference(&before).map(|(code, _)| code.clone()));
        }
    }
    out
}

/// A record without its warnings (a record may gain one for what happened to another: a
/// course run whose reported head count no longer matches).
pub(super) fn strip(record: &Value) -> Value {
    let mut record = record.clone();
    record.as_object_mut().map(|o| o.remove("warnings"));
    record
}

/// The paths (field names only) of values `before` has and `now` does not.
pub(super) fn lost(before: &Value, now: &Value, path: &str, out: &mut Vec<String>) {
    match (before, now) {
        (Value::Null, _) => {}
        (_, Value::Null) => out.push(path.trim_start_matches('.').to_owned()),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a.iter().filter(|(k, _)| *k != "warnings") {
                lost(
                    v,
                    b.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Whether every touched record of the baseline is served as it was (the adapter repaired the
/// corrupted value).
pub(super) fn repaired(
    baseline: &Observed,
    after: &Observed,
    touched: &dyn Fn(&str, &str) -> bool,
) -> bool {
    let mut any = false;
    for (collection, records) in &baseline.records {
        for (id, record) in records.iter().filter(|(id, _)| touched(collection, id)) {
            let now = after.records.get(collection).and_then(|r| r.get(id));
            if now.map(strip) != Some(strip(record)) {
                return false;
            }
            any = true;
        }
    }
    any
}
