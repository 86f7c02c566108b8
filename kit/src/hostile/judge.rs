//! What must hold after a corruption, against the baseline: the adapter started; every
//! untouched record is still served, unchanged; each touched unit is served (as the case
//! expects) or rejected with a code and a place; what was ignored or normalised is a notice,
//! reported once; and no personal value is in a rejection, notice, warning, error or log line.

use std::collections::BTreeSet;

use serde_json::Value;
use simpul_schema::SourceIssue;

use super::{Case, Expect, Touch, Verdict};
use crate::hostile::observe::Observed;
use crate::scan::{shapes, Personal};

use super::served::{diff, lost, new_warnings, repaired, sane, strip};

/// Judge `after` (the corrupted source's answer, or why there was none) against `baseline`.
pub fn judge<C>(case: &Case<C>, baseline: &Observed, after: Result<Observed, String>) -> Verdict {
    let mut problems = Vec::new();
    let after = match after {
        Ok(after) => after,
        Err(why) => {
            let personal = Personal::of(&baseline.participants());
            problems.push(why.clone());
            problems.extend(private(&personal, "the failure", &why));
            return Verdict::new(case, "down", problems);
        }
    };
    let touches = resolve(&case.touches, baseline);
    let touched = |collection: &str, id: &str| touches.iter().any(|t| t.covers(collection, id));
    let mut missing = Vec::new();
    for (collection, records) in &baseline.records {
        let served = after.records.get(collection);
        for (id, record) in records {
            let now = served.and_then(|s| s.get(id));
            match (now, touched(collection, id)) {
                (None, false) => problems.push(format!("{collection} {id} is no longer served")),
                (Some(now), false) if strip(now) != strip(record) => {
                    problems.push(format!("{collection} {id} changed{}", diff(record, now)));
                }
                (None, true) => missing.push(format!("{collection} {id}")),
                (Some(now), true) => check_served(case, collection, id, record, now, &mut problems),
                _ => {}
            }
        }
    }
    for touch in &touches {
        if let Touch::Exact(collection, id) = touch {
            let in_base = baseline
                .records
                .get(*collection)
                .is_some_and(|r| r.contains_key(id));
            let served = after
                .records
                .get(*collection)
                .is_some_and(|r| r.contains_key(id));
            if !in_base && !served {
                missing.push(format!("{collection} {id} (a new row)"));
            }
        }
    }
    for (collection, records) in &after.records {
        let known = baseline.records.get(collection);
        // A touched unit whose key derived from what the case corrupted (a NIK) comes back
        // under another key: as many new records as touched ones went missing.
        let mut rekeyed = missing
            .iter()
            .filter(|m| m.starts_with(&format!("{collection} ")))
            .count();
        for (id, record) in records {
            if known.is_some_and(|k| k.contains_key(id)) {
                continue;
            }
            let rekey = rekeyed > 0
                && matches!(
                    case.expect,
                    Expect::Either | Expect::Reported | Expect::Restored(_)
                );
            if rekey {
                rekeyed -= 1;
            }
            if !touched(collection, id) && !rekey {
                problems.push(format!(
                    "{collection} {id} is served but not in the baseline"
                ));
            } else if let Err(why) = sane(collection, record) {
                problems.push(format!("{collection} {id} is served with {why}"));
            }
        }
    }

    let new_rejections = fresh(&baseline.status.rejected, &after.status.rejected);
    let new_notices = fresh(&baseline.status.notices, &after.status.notices);
    // A whole file, sheet or table is a place of its own; a row needs its line or key.
    let whole = case.touches.iter().any(|t| matches!(t, Touch::All(_)));
    for issue in &new_rejections {
        if let Err(why) = placed(issue, whole) {
            problems.push(format!("rejected unit {} without {why}", describe(issue)));
        }
    }
    // A whole file or table gone may be a notice (an empty source is not always an error).
    for touch in &case.touches {
        if let Touch::Source(name) = touch {
            let named = |i: &SourceIssue| i.source.contains(name);
            if !new_rejections.iter().chain(&new_notices).any(named) {
                problems.push(format!("no rejected unit or notice names {name}"));
            }
        }
    }
    let noted = whole && !new_notices.is_empty();
    if !missing.is_empty() && new_rejections.is_empty() && !noted {
        problems.push(format!(
            "dropped without a rejected unit: {}",
            missing.join(", ")
        ));
    }
    match case.expect {
        Expect::Same | Expect::Ignored(_) | Expect::Noticed(_) if !missing.is_empty() => {
            problems.push(format!("not served: {}", missing.join(", ")));
        }
        Expect::Same | Expect::Ignored(_) | Expect::Noticed(_) if !new_rejections.is_empty() => {
            problems.push(format!(
                "rejected what it could serve: {}",
                new_rejections
                    .iter()
                    .map(describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        _ => {}
    }
    let noticed = |code: &str| after.status.notices.iter().any(|n| n.code.contains(code));
    let said = match case.expect {
        Expect::Ignored(code) | Expect::Noticed(code) => !new_notices.is_empty() || noticed(code),
        Expect::Restored(code) if missing.is_empty() && repaired(baseline, &after, &touched) => {
            let warned = !new_warnings(baseline, &after, &touched).is_empty();
            warned || !new_notices.is_empty() || noticed(code)
        }
        _ => true,
    };
    if !said {
        let all: Vec<_> = after.status.notices.iter().map(describe).collect();
        problems.push(format!(
            "no new notice or warning says what was ignored or repaired (notices: {})",
            all.join("; ")
        ));
    }
    let mut seen = BTreeSet::new();
    for notice in &after.status.notices {
        let id = (&notice.code, &notice.source, &notice.key, &notice.line);
        if !seen.insert(id) {
            problems.push(format!("notice reported twice: {}", describe(notice)));
        }
    }

    let mut people = baseline.participants();
    people.extend(after.participants());
    let personal = Personal::of(&people);
    for issue in new_rejections.iter().chain(&new_notices) {
        let text = format!(
            "{} {} {}",
            issue.source,
            issue.key.as_deref().unwrap_or(""),
            issue.reason
        );
        problems.extend(private(
            &personal,
            &format!("{} {}", issue.code, issue.source),
            &text,
        ));
    }
    for (collection, records) in &after.records {
        for (id, record) in records {
            let warnings = record
                .get("warnings")
                .map(Value::to_string)
                .unwrap_or_default();
            problems.extend(private(
                &personal,
                &format!("the warnings of {collection} {id}"),
                &warnings,
            ));
        }
    }
    for (what, text) in &after.texts {
        problems.extend(private(&personal, what, text));
    }
    problems.dedup();
    let warned = new_warnings(baseline, &after, &touched);
    if case.expect == Expect::Reported && new_rejections.is_empty() && warned.is_empty() {
        problems.push("nothing says what happened to the touched unit".into());
    }
    let codes = |issues: &[SourceIssue]| {
        let codes: BTreeSet<_> = issues.iter().map(|i| i.code.as_str()).collect();
        codes.into_iter().collect::<Vec<_>>().join(",")
    };
    let mut outcome = if missing.is_empty() {
        "served"
    } else {
        "not served"
    }
    .to_owned();
    for (what, list) in [
        ("rejected", codes(&new_rejections)),
        ("warning", warned.into_iter().collect::<Vec<_>>().join(",")),
        ("notice", codes(&new_notices)),
    ] {
        if !list.is_empty() {
            outcome = format!("{outcome}; {what} {list}");
        }
    }
    Verdict::new(case, &outcome, problems)
}

/// A touched record the adapter still serves: as the case expects.
fn check_served<C>(
    case: &Case<C>,
    collection: &str,
    id: &str,
    before: &Value,
    now: &Value,
    problems: &mut Vec<String>,
) {
    let same = before == now;
    match case.expect {
        Expect::Same | Expect::Ignored(_) if !same => {
            problems.push(format!(
                "{collection} {id} is served changed{}",
                diff(before, now)
            ));
        }
        Expect::Noticed(_) => {
            if let Err(why) = sane(collection, now) {
                problems.push(format!("{collection} {id} is served with {why}"));
            }
        }
        Expect::Either | Expect::Reported | Expect::Restored(_) => {
            if let Err(why) = sane(collection, now) {
                problems.push(format!("{collection} {id} is served with {why}"));
            }
            // A value the baseline had and the answer lacks is said on the record.
            let warned = |v: &Value| {
                v.get("warnings")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            };
            let mut gone = Vec::new();
            lost(before, now, "", &mut gone);
            if !gone.is_empty() && warned(now) <= warned(before) {
                problems.push(format!(
                    "{collection} {id} lost {} without a warning",
                    gone.join(", ")
                ));
            }
            // An identifier is served as the source had it, or not at all.
            for field in ["nik", "kpj", "birthDate", "phone"] {
                let pointer = format!("/pii/{field}");
                let (was, is) = (before.pointer(&pointer), now.pointer(&pointer));
                if is.is_some_and(|v| !v.is_null()) && was != is {
                    problems.push(format!("{collection} {id} is served with another {field}"));
                }
            }
        }
        _ => {}
    }
}

/// Issues in `after` that `before` did not have (by code, source, key and reason).
fn fresh(before: &[SourceIssue], after: &[SourceIssue]) -> Vec<SourceIssue> {
    let old: BTreeSet<_> = before
        .iter()
        .map(|i| (&i.code, &i.source, &i.key, &i.reason))
        .collect();
    after
        .iter()
        .filter(|i| !old.contains(&(&i.code, &i.source, &i.key, &i.reason)))
        .cloned()
        .collect()
}

/// A code and a place: a source and a line or key.
fn placed(issue: &SourceIssue, whole: bool) -> Result<(), &'static str> {
    if issue.code.is_empty() || issue.code == "UNCLASSIFIED" {
        Err("a code")
    } else if issue.source.is_empty() {
        Err("a source")
    } else if !whole && issue.line.is_none() && issue.key.as_deref().is_none_or(str::is_empty) {
        Err("a line or key")
    } else {
        Ok(())
    }
}

fn describe(issue: &SourceIssue) -> String {
    let line = issue.line.map(|l| format!(":{l}")).unwrap_or_default();
    let key = issue
        .key
        .as_deref()
        .map(|k| format!(" [{k}]"))
        .unwrap_or_default();
    format!("{} {}{line}{key}", issue.code, issue.source)
}

/// The personal data in `text`, as problems naming `what` (never the value).
fn private(personal: &Personal, what: &str, text: &str) -> Vec<String> {
    personal
        .find(text)
        .into_iter()
        .chain(shapes(text))
        .map(|found| format!("{found} in {what}"))
        .collect()
}

impl Touch {
    /// Whether this touch covers the record `id` of `collection`.
    pub fn covers(&self, collection: &str, id: &str) -> bool {
        match self {
            Touch::Id(part) => id.contains(part.as_str()),
            Touch::Exact(name, exact) => *name == collection && exact == id,
            Touch::All(name) => *name == collection,
            Touch::Person(_) | Touch::Source(_) => false,
        }
    }
}

/// [`Touch::Person`] as the [`Touch::Id`]s of the baseline participants with that NIK.
fn resolve(touches: &[Touch], baseline: &Observed) -> Vec<Touch> {
    let participants = baseline.records.get("participants");
    let mut out = Vec::new();
    for touch in touches {
        let Touch::Person(nik) = touch else {
            out.push(touch.clone());
            continue;
        };
        for (id, record) in participants.into_iter().flatten() {
            if record.pointer("/pii/nik").and_then(Value::as_str) == Some(nik.trim()) {
                out.push(Touch::Id(id.clone()));
            }
        }
    }
    out
}
