//! The source's status (`SourceStatus`): it answers, its counts agree with the lists
//! (`recordCounts` per collection against the unfiltered `totalCount`, `warnings` against the
//! served records that carry one), and every rejected unit says what (a code), where (its
//! source and a line or a key) and why.

use simpul_schema::{Collection, SourceIssue};

use super::{name_of, Suite};
use crate::for_each_collection;
use crate::records::Record;
use crate::report::{Check, Outcome};

/// The first status request, kept for the later checks.
pub(super) async fn answers(suite: &mut Suite) {
    match suite.client.status().await {
        Ok(status) => {
            let mut problems = Vec::new();
            if let Some(at) = &status.data_as_of {
                if chrono::DateTime::parse_from_rfc3339(at).is_err() {
                    problems.push(format!("dataAsOf {at:?} is not an RFC 3339 time"));
                }
            }
            let check = if problems.is_empty() {
                Check::pass(
                    "status",
                    format!(
                        "dataAsOf {}, {} collections counted, {} rejected units, {} records with warnings",
                        status.data_as_of.as_deref().unwrap_or("null"),
                        status.record_counts.len(),
                        status.rejected.len(),
                        status.warnings
                    ),
                )
            } else {
                Check::new(
                    "status",
                    Outcome::Fail,
                    problems.join("; "),
                    Some(suite.reproduce(&simpul_schema::AdapterRequest::Status)),
                )
            };
            suite.push(check);
            suite.status = Some(status);
        }
        Err(e) => suite.push(Check::new(
            "status",
            Outcome::Fail,
            format!("the status request failed: {e}"),
            Some(suite.reproduce(&simpul_schema::AdapterRequest::Status)),
        )),
    }
}

/// Counts and rejected units.
pub(super) fn check(suite: &mut Suite) {
    let Some(status) = suite.status.clone() else {
        for name in [
            "status counts",
            "status warnings",
            "rejected units",
            "status notices",
        ] {
            suite.push(Check::skip(name, "the status request failed"));
        }
        return;
    };

    // recordCounts against the lists' totals.
    let mut problems = Vec::new();
    let declared = suite.collections();
    for collection in &declared {
        let name = name_of(*collection);
        let Some(fetched) = suite.data.get(collection) else {
            continue;
        };
        match status.record_counts.get(&name) {
            Some(count) if *count == fetched.total => {}
            Some(count) => problems.push(format!(
                "recordCounts.{name} is {count}, the unfiltered list's totalCount {}",
                fetched.total
            )),
            None => problems.push(format!(
                "recordCounts has no {name} ({} records are served)",
                fetched.total
            )),
        }
    }
    for (name, count) in &status.record_counts {
        let known = Collection::ALL.iter().find(|c| name_of(**c) == *name);
        match known {
            None => problems.push(format!(
                "recordCounts names {name:?}, which is no collection"
            )),
            Some(c) if !declared.contains(c) && *count > 0 => problems.push(format!(
                "recordCounts.{name} is {count}, but the manifest does not declare {name}"
            )),
            Some(_) => {}
        }
    }
    suite.push(if problems.is_empty() {
        Check::pass(
            "status counts",
            format!(
                "recordCounts agree with the totalCount of {} lists",
                declared.len()
            ),
        )
    } else {
        Check::fail("status counts", problems.join("; "))
    });

    // warnings: served records that carry at least one.
    let mut with_warnings = 0;
    let mut complete = true;
    for collection in &declared {
        let (n, all) = for_each_collection!(*collection, warned(suite));
        with_warnings += n;
        complete &= all;
    }
    suite.push(if !complete {
        Check::skip("status warnings", "the bound cut a list short, so the served records are not all known")
    } else if with_warnings == status.warnings {
        Check::pass(
            "status warnings",
            format!("{with_warnings} served records carry a warning, as the status says"),
        )
    } else {
        Check::fail(
            "status warnings",
            format!(
                "the status counts {} records with warnings, the lists serve {with_warnings} (SourceStatus.warnings: served records with at least one DataWarning)",
                status.warnings
            ),
        )
    });

    suite.push(rejected_units(&status.rejected));
    suite.push(notices(&status.notices));
    // Each of these failures comes from the status answer: its request reproduces it.
    let reproduce = suite.reproduce(&simpul_schema::AdapterRequest::Status);
    for check in suite.report.checks.iter_mut().rev().take(4) {
        if check.outcome == Outcome::Fail && check.reproduce.is_none() {
            check.reproduce = Some(reproduce.clone());
        }
    }
}

/// Every notice (what was ignored or normalised) has a code, a source and a reason.
fn notices(notices: &[SourceIssue]) -> Check {
    let name = "status notices";
    if notices.is_empty() {
        return Check::pass(name, "the source reports nothing ignored or normalised");
    }
    let mut problems = Vec::new();
    for (i, issue) in notices.iter().enumerate() {
        problems.extend(issue_problems("notices", i, issue, false));
    }
    if problems.is_empty() {
        Check::pass(
            name,
            format!(
                "{} notices, each with a code, a source and a reason",
                notices.len()
            ),
        )
    } else {
        first_problems(name, problems)
    }
}

/// A failed check listing the first three problems (and how many more there are).
fn first_problems(name: &str, mut problems: Vec<String>) -> Check {
    let total = problems.len();
    problems.truncate(3);
    let more = if total > 3 {
        format!(" (and {} more)", total - 3)
    } else {
        String::new()
    };
    Check::fail(name, format!("{}{more}", problems.join("; ")))
}

/// How many listed records of `T` carry a warning, and whether the list is complete.
fn warned<T: Record>(suite: &Suite) -> (u64, bool) {
    suite
        .records::<T>()
        .map_or((0, true), |(records, complete)| {
            (
                records.iter().filter(|r| !r.warnings().is_empty()).count() as u64,
                complete,
            )
        })
}

/// Whether `code` is UPPER_SNAKE (`ROW_MALFORMED`).
pub(crate) fn upper_snake(code: &str) -> bool {
    code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The code an issue decodes to when the adapter sent none.
const UNCLASSIFIED: &str = "UNCLASSIFIED";

/// What is wrong with one issue: no code, no source, no line or key (when `placed`), no reason.
fn issue_problems(list: &str, i: usize, issue: &SourceIssue, placed: bool) -> Vec<String> {
    let at = format!(
        "{list}[{i}] ({}{})",
        issue.source,
        issue.line.map(|l| format!(":{l}")).unwrap_or_default()
    );
    let mut problems = Vec::new();
    if issue.code.trim().is_empty() || issue.code == UNCLASSIFIED {
        problems.push(format!("{at} has no code"));
    } else if !upper_snake(&issue.code) {
        problems.push(format!("{at} has code {:?}, not UPPER_SNAKE", issue.code));
    }
    if issue.source.trim().is_empty() {
        problems.push(format!("{at} names no source"));
    }
    let keyed = issue.key.as_deref().is_some_and(|k| !k.trim().is_empty());
    if placed && issue.line.is_none_or(|l| l == 0) && !keyed {
        problems.push(format!("{at} has neither a line (from 1) nor a key"));
    }
    if issue.reason.trim().is_empty() {
        problems.push(format!("{at} gives no reason"));
    }
    problems
}

/// Every rejected unit has a code, a place (its source and a line or a key) and a reason.
fn rejected_units(rejected: &[SourceIssue]) -> Check {
    let name = "rejected units";
    if rejected.is_empty() {
        return Check::pass(name, "the source rejected nothing");
    }
    let mut problems = Vec::new();
    for (i, issue) in rejected.iter().enumerate() {
        problems.extend(issue_problems("rejected", i, issue, true));
    }
    if problems.is_empty() {
        Check::pass(
            name,
            format!(
                "{} rejected units, each with a code, a source and a line or key",
                rejected.len()
            ),
        )
    } else {
        first_problems(name, problems)
    }
}
