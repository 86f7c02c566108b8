//! [`RunScope`]: which runs' enrolments an enrolment-view aggregate can count, so that the
//! engine reads only those. The parts of the filter that name only fields of the run, its
//! course and its centre ([`EnrollmentFact::RUN_FIELDS`]: `startDate`, `field`, ...) are checked
//! against the runs the engine holds; the enrolment scan then asks for `courseRunId _in` the
//! runs that pass. The whole filter is still applied to every joined enrolment, so the scope
//! only ever leaves out enrolments the filter would have rejected. [`parts_naming`] serves the
//! same purpose for the participant: an enrolment whose participant fails the filter's parts on
//! the participant alone needs no outcome.

use std::collections::HashMap;

use simpul_schema::analytics::{EnrollmentFact, Related};
use simpul_schema::filter;
use simpul_schema::{CompareOp, Course, CourseRun, Filter, Literal, TrainingCenter};

/// The enrolments an aggregate's filter leaves to be read.
#[derive(Debug, PartialEq)]
pub(super) enum RunScope {
    /// All of them: the filter says nothing of the run alone, an enrolment whose run is
    /// unknown could pass it, or more than half the runs pass (reading them run by run pays
    /// only when it leaves most enrolments out).
    Every,
    /// None: no run passes, and an enrolment without a known run would not either.
    Nothing,
    /// Those of the runs that pass.
    Runs(RunLists),
}

impl RunScope {
    /// The scope of `filter` over the held runs (by key) with their courses and centres; its
    /// lists name at most `most` runs each.
    pub(super) fn of(
        filter: Option<&Filter>,
        runs: &HashMap<String, CourseRun>,
        courses: &HashMap<String, Course>,
        centers: &HashMap<String, TrainingCenter>,
        most: usize,
    ) -> RunScope {
        let Some(of_runs) = parts_naming(filter, EnrollmentFact::RUN_FIELDS) else {
            return RunScope::Every;
        };
        let passes =
            |related: Related<'_>| filter::matches(&EnrollmentFact::of_related(related), &of_runs);
        // An enrolment whose run the provider does not list has none of the run's fields.
        match passes(Related::default()) {
            Ok(false) => {}
            Ok(true) | Err(_) => return RunScope::Every,
        }
        let mut keys = Vec::new();
        for (key, run) in runs {
            let related = Related {
                run: Some(run),
                course: courses.get(&run.course_id),
                center: centers.get(&run.training_center_id),
                ..Related::default()
            };
            match passes(related) {
                Ok(true) => keys.push(key.clone()),
                Ok(false) => {}
                // Left to the accumulator, which reports it.
                Err(_) => return RunScope::Every,
            }
        }
        if keys.is_empty() {
            return RunScope::Nothing;
        }
        if keys.len() * 2 > runs.len() {
            return RunScope::Every;
        }
        keys.sort_unstable();
        RunScope::Runs(RunLists {
            keys,
            taken: 0,
            last: 0,
            most: most.max(1),
            enrollments: 0,
        })
    }
}

/// The runs in scope, cut into `courseRunId _in` lists, each of about as many runs as have a
/// page of enrolments (judging by the lists read so far): a source that finds a list's
/// enrolments through an index on the run, then sorts them into its page order, sorts a page's
/// worth at a time, not every enrolment in scope for every page.
#[derive(Debug, PartialEq)]
pub(super) struct RunLists {
    keys: Vec<String>,
    /// Runs already listed; the last list is `keys[last..taken]`.
    taken: usize,
    last: usize,
    /// Most runs in one list.
    most: usize,
    /// Enrolments the listed runs had.
    enrollments: usize,
}

impl RunLists {
    /// Runs in the first list, before any enrolment per run is known.
    const FIRST: usize = 64;

    /// The next list, for about `page` enrolments; `None` after the last. Call
    /// [`RunLists::read`] with what a list had before asking for the next.
    pub(super) fn next(&mut self, page: usize) -> Option<Filter> {
        if self.taken >= self.keys.len() {
            return None;
        }
        let size = match self.enrollments {
            // None yet: twice as many as before.
            0 => (self.taken * 2).max(Self::FIRST),
            seen => page.saturating_mul(self.taken) / seen,
        };
        let end = self.keys.len().min(self.taken + size.clamp(1, self.most));
        let list = self.keys[self.taken..end]
            .iter()
            .cloned()
            .map(Literal::Text);
        (self.last, self.taken) = (self.taken, end);
        Some(Filter::compare(
            "courseRunId",
            CompareOp::In,
            Literal::List(list.collect()),
        ))
    }

    /// Whether `run` is in the last list: an adapter that declares `_in` but answers a list
    /// with other runs' enrolments would otherwise have them counted once per list.
    pub(super) fn listed(&self, run: &str) -> bool {
        let last = &self.keys[self.last..self.taken];
        last.binary_search_by(|k| k.as_str().cmp(run)).is_ok()
    }

    /// Count the enrolments the last list had.
    pub(super) fn read(&mut self, enrollments: usize) {
        self.enrollments += enrollments;
    }
}

/// The parts of `filter` that must hold and name only `fields`, as one filter: a record whose
/// `fields` fail it fails `filter`, whatever its other fields. `None` when there are none.
pub(super) fn parts_naming(filter: Option<&Filter>, fields: &[&str]) -> Option<Filter> {
    let mut parts = Vec::new();
    if let Some(filter) = filter {
        conjuncts(filter, &mut parts);
    }
    parts.retain(|part| names_only(part, fields));
    (!parts.is_empty()).then(|| Filter::And(parts.into_iter().cloned().collect()))
}

/// The parts of `filter` that must all hold (nested `and`s flattened).
fn conjuncts<'f>(filter: &'f Filter, out: &mut Vec<&'f Filter>) {
    match filter {
        Filter::And(parts) => parts.iter().for_each(|p| conjuncts(p, out)),
        other => out.push(other),
    }
}

/// Whether every field `filter` compares is one of `fields` (and it reaches no relation).
fn names_only(filter: &Filter, fields: &[&str]) -> bool {
    match filter {
        Filter::And(parts) | Filter::Or(parts) => parts.iter().all(|p| names_only(p, fields)),
        Filter::Not(inner) => names_only(inner, fields),
        Filter::Compare { field, .. } => fields.contains(&field.as_str()),
        Filter::Related { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A run starting on the 1st of March of `year`, keyed `r{year}`.
    fn run(year: i32) -> (String, CourseRun) {
        let run: CourseRun = serde_json::from_value(json!({
            "sourceId": format!("r{year}"), "warnings": [], "code": format!("R{year}"),
            "courseId": "c", "trainingCenterId": "t", "startDate": format!("{year}-03-01"),
            "status": "COMPLETED", "fundingSchemes": [], "partnershipIds": [],
        }))
        .expect("a run");
        (run.source_id.clone(), run)
    }

    fn scope(filter: &Filter, years: std::ops::RangeInclusive<i32>, most: usize) -> RunScope {
        let runs = years.map(run).collect();
        let none = HashMap::new();
        RunScope::of(Some(filter), &runs, &HashMap::new(), &none, most)
    }

    /// The keys of each list, each list's runs having `per_run` enrolments.
    fn lists(scope: RunScope, page: usize, per_run: usize) -> Vec<Vec<String>> {
        let RunScope::Runs(mut lists) = scope else {
            panic!("no lists: {scope:?}")
        };
        let mut out = Vec::new();
        while let Some(list) = lists.next(page) {
            let Filter::Compare {
                field,
                op: CompareOp::In,
                value: Literal::List(keys),
            } = list
            else {
                panic!("not an `_in` list: {list:?}")
            };
            assert_eq!(field, "courseRunId");
            for key in &keys {
                let Literal::Text(key) = key else {
                    panic!("not a key: {key:?}")
                };
                assert!(lists.listed(key), "{key} is in the last list");
            }
            assert!(!lists.listed("r0999") && !lists.listed(""));
            let keys: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
            lists.read(keys.len() * per_run);
            out.push(keys);
        }
        out
    }

    fn date(field: &str, op: CompareOp, day: &str) -> Filter {
        Filter::compare(field, op, day)
    }

    #[test]
    fn the_run_only_parts_of_a_conjunction_pick_the_runs() {
        let laid_off = Filter::compare("employmentStatusAtRegistration", CompareOp::Eq, "LAID_OFF");
        let in_2024 = Filter::And(vec![
            laid_off,
            Filter::And(vec![
                date("startDate", CompareOp::Gte, "2024-01-01"),
                // `fiscalYear` is null on every run: `_not` of "is not null" holds.
                Filter::Not(Box::new(Filter::compare(
                    "fiscalYear",
                    CompareOp::IsNull,
                    false,
                ))),
            ]),
            date("startDate", CompareOp::Lt, "2025-01-01"),
        ]);
        let found = lists(scope(&in_2024, 2020..=2025, 10), 100, 1);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), 1);
        assert!(found[0][0].contains("r2024"), "{found:?}");
        let either = Filter::Or(vec![
            date("startDate", CompareOp::Lt, "2021-01-01"),
            date("startDate", CompareOp::Eq, "2024-03-01"),
        ]);
        let found = lists(scope(&either, 2020..=2025, 10), 100, 1);
        assert_eq!(found.concat().len(), 2, "{found:?}");
        let before_2000 = date("startDate", CompareOp::Lt, "2000-01-01");
        assert_eq!(scope(&before_2000, 2020..=2025, 10), RunScope::Nothing);
    }

    #[test]
    fn lists_hold_about_a_page_of_enrolments_and_at_most_most_runs() {
        let from_1700 = date("startDate", CompareOp::Gte, "1700-01-01");
        // 300 of 1000 runs pass, each with 4 enrolments, pages of 100: the first list is a
        // probe of 64 runs, then 25 runs (100 enrolments) each.
        let found = lists(scope(&from_1700, 1000..=1999, 1000), 100, 4);
        let sizes: Vec<usize> = found.iter().map(Vec::len).collect();
        assert_eq!(sizes[0], RunLists::FIRST);
        assert!(
            sizes[1..sizes.len() - 1].iter().all(|&n| n == 25),
            "{sizes:?}"
        );
        assert_eq!(sizes.iter().sum::<usize>(), 300);
        let mut every: Vec<String> = found.concat();
        every.dedup();
        assert_eq!(every.len(), 300, "no run listed twice");
        // Runs without enrolments: each list twice the one before, up to `most`.
        let sizes: Vec<usize> = lists(scope(&from_1700, 1000..=1999, 200), 100, 0)
            .iter()
            .map(Vec::len)
            .collect();
        assert_eq!(sizes, [64, 128, 108]);
        // Runs with a page each or more: one run per list.
        let from_1500 = date("startDate", CompareOp::Gte, "1500-01-01");
        let found = lists(scope(&from_1500, 1000..=1999, 10), 100, 500);
        assert!(found[1..].iter().all(|l| l.len() == 1));
    }

    #[test]
    fn anything_else_reads_every_enrolment() {
        let from_2023 = date("startDate", CompareOp::Gte, "2023-01-01");
        let completed = Filter::compare("status", CompareOp::Eq, "COMPLETED");
        let years = || 2022..=2024;
        // No run-only part.
        assert_eq!(scope(&completed, years(), 10), RunScope::Every);
        let runs = years().map(run).collect();
        assert_eq!(
            RunScope::of(None, &runs, &HashMap::new(), &HashMap::new(), 10),
            RunScope::Every
        );
        // A disjunction with a field of the enrolment.
        let either = Filter::Or(vec![from_2023.clone(), completed]);
        assert_eq!(scope(&either, years(), 10), RunScope::Every);
        // An enrolment whose run is not listed has a null start date, which passes.
        let undated = Filter::compare("startDate", CompareOp::IsNull, true);
        assert_eq!(scope(&undated, years(), 10), RunScope::Every);
        let not_2023 = Filter::Not(Box::new(Filter::compare(
            "fiscalYear",
            CompareOp::Eq,
            2023_i64,
        )));
        assert_eq!(scope(&not_2023, years(), 10), RunScope::Every);
        // Most runs pass.
        assert_eq!(scope(&from_2023, years(), 10), RunScope::Every);
        // The enrolment's own run key is not a field of the run (an unlisted run has it too).
        let one_run = Filter::compare("courseRunId", CompareOp::Eq, "r2023");
        assert_eq!(scope(&one_run, years(), 10), RunScope::Every);
    }
}
