//! Personal data: absent from every answer that did not ask for it (`Participant.pii`,
//! `Outcome.monthlyRevenue`, as the engine's `drop_personal_data` sees them), and never in
//! text meant for operators: the records' DataWarnings, the status's rejected units and
//! notices, adapter error messages and the plugin's log lines, scanned for the personal
//! values the adapter itself served with `includePii` and for NIK-, KPJ- and phone-shaped
//! numbers ([`crate::scan`]).

use simpul_schema::{Collection, Participant};

use super::{name_of, Suite};
use crate::for_each_collection;
use crate::records::Record;
use crate::report::{Check, Outcome};
use crate::scan::Personal;

pub(super) async fn check(suite: &mut Suite) {
    unasked(suite);
    let participants: Vec<Participant> = suite
        .personal
        .get(&Collection::Participants)
        .and_then(|r| Participant::slice(r))
        .map(<[Participant]>::to_vec)
        .unwrap_or_default();
    let personal = Personal::of(&participants);
    let basis = if personal.is_empty() {
        "NIK-, KPJ- and phone-shaped numbers (the adapter served no personal values with includePii)".to_owned()
    } else {
        format!(
            "{} personal values the adapter served with includePii, and NIK-, KPJ- and phone-shaped numbers",
            personal.len()
        )
    };

    let mut texts = Vec::new();
    for collection in suite.collections() {
        for_each_collection!(collection, warning_texts(suite, &mut texts));
    }
    scanned(
        suite,
        "no personal data in warnings",
        &personal,
        &basis,
        &texts,
        "DataWarnings",
    );

    let mut texts = Vec::new();
    if let Some(status) = &suite.status {
        let value = serde_json::to_value(status).unwrap_or_default();
        for list in ["rejected", "notices"] {
            for (i, issue) in value[list].as_array().into_iter().flatten().enumerate() {
                texts.push((format!("status {list}[{i}]"), issue.to_string()));
            }
        }
    }
    scanned(
        suite,
        "no personal data in rejections",
        &personal,
        &basis,
        &texts,
        "rejected units and notices",
    );

    let texts: Vec<(String, String)> = suite
        .client
        .error_messages()
        .into_iter()
        .enumerate()
        .map(|(i, m)| (format!("error message {}", i + 1), m))
        .collect();
    scanned(
        suite,
        "no personal data in error messages",
        &personal,
        &basis,
        &texts,
        "adapter error messages",
    );

    if suite.capture.works() {
        let texts: Vec<(String, String)> = suite
            .capture
            .lines()
            .into_iter()
            .enumerate()
            .map(|(i, l)| (format!("log line {} ({})", i + 1, l.level), l.text))
            .collect();
        scanned(
            suite,
            "no personal data in logs",
            &personal,
            &basis,
            &texts,
            "plugin log lines",
        );
    } else {
        suite.push(Check::skip(
            "no personal data in logs",
            "plugin log lines are not captured: add simpul_adapter_kit::logs::layer() to the process's tracing subscriber",
        ));
    }
}

/// No answer without `includePii` carried personal fields.
fn unasked(suite: &mut Suite) {
    let name = "personal fields without includePii";
    let declared = suite.collections();
    if !declared.contains(&Collection::Participants) && !declared.contains(&Collection::Outcomes) {
        suite.push(Check::skip(
            name,
            "no collection with personal fields (participants, outcomes) is declared",
        ));
        return;
    }
    let unasked = suite.client.unasked();
    let check = match unasked.first() {
        None => Check::pass(
            name,
            format!(
                "no answer to a request without includePii ({} calls in all) carried Participant.pii or Outcome.monthlyRevenue",
                suite.client.calls()
            ),
        ),
        Some(first) => Check::new(
            name,
            Outcome::Fail,
            format!(
                "{} records were sent with personal data the request did not ask for; the first: {}",
                unasked.len(),
                first.record
            ),
            Some(crate::report::Reproduce {
                seed: suite.options.seed,
                request: first.request.clone(),
            }),
        ),
    };
    suite.push(check);
}

/// The warnings of every record of `T` read (with and without personal data).
fn warning_texts<T: Record>(suite: &Suite, texts: &mut Vec<(String, String)>) {
    let mut add = |records: &[T]| {
        for record in records {
            for warning in record.warnings() {
                texts.push((
                    format!(
                        "{} {} warning {}",
                        name_of(T::COLLECTION),
                        record.source_id(),
                        warning.code
                    ),
                    format!(
                        "{} {} {}",
                        warning.code,
                        warning.field.as_deref().unwrap_or(""),
                        warning.message
                    ),
                ));
            }
        }
    };
    if let Some((records, _)) = suite.records::<T>() {
        add(records);
    }
    if let Some(records) = suite.personal.get(&T::COLLECTION).and_then(|r| T::slice(r)) {
        add(records);
    }
}

/// A check that `texts` (where, text) hold no personal data.
fn scanned(
    suite: &mut Suite,
    name: &str,
    personal: &Personal,
    basis: &str,
    texts: &[(String, String)],
    what: &str,
) {
    let mut findings = Vec::new();
    for (place, text) in texts {
        for finding in personal.find(text) {
            findings.push(format!("{place} holds {finding}"));
        }
    }
    let check = if findings.is_empty() {
        Check::pass(name, format!("{} {what} scanned for {basis}", texts.len()))
    } else {
        let total = findings.len();
        findings.truncate(3);
        Check::fail(
            name,
            format!(
                "{}{}",
                findings.join("; "),
                if total > 3 {
                    format!(" (and {} more)", total - 3)
                } else {
                    String::new()
                }
            ),
        )
    };
    suite.push(check);
}
