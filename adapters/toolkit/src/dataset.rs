//! What every in-memory adapter reports about the records it serves: counts per collection
//! (`SourceStatus.record_counts`), records carrying warnings (`SourceStatus.warnings`), and
//! every warning, over the schema's [`InMemory`] view of the seven collections.

use std::collections::BTreeMap;

use simpul_schema::memory::InMemory;
use simpul_schema::{Collection, DataWarning};

/// Records served per collection, keyed by the camelCase collection name.
pub fn record_counts(data: &InMemory) -> BTreeMap<String, u64> {
    Collection::ALL
        .iter()
        .map(|c| {
            let (name, n) = match c {
                Collection::TrainingCenters => ("trainingCenters", data.training_centers.len()),
                Collection::Courses => ("courses", data.courses.len()),
                Collection::CourseRuns => ("courseRuns", data.course_runs.len()),
                Collection::Participants => ("participants", data.participants.len()),
                Collection::Enrollments => ("enrollments", data.enrollments.len()),
                Collection::Outcomes => ("outcomes", data.outcomes.len()),
                Collection::Partnerships => ("partnerships", data.partnerships.len()),
            };
            (name.to_owned(), n as u64)
        })
        .collect()
}

/// The warnings of each served record, one list per record.
fn per_record<'a>(data: &InMemory<'a>) -> Vec<&'a [DataWarning]> {
    let mut all: Vec<&'a [DataWarning]> = Vec::new();
    all.extend(data.training_centers.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.courses.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.course_runs.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.participants.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.enrollments.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.outcomes.iter().map(|r| r.warnings.as_slice()));
    all.extend(data.partnerships.iter().map(|r| r.warnings.as_slice()));
    all
}

/// Records served that carry at least one warning.
pub fn records_with_warnings(data: &InMemory) -> u64 {
    per_record(data).iter().filter(|w| !w.is_empty()).count() as u64
}

/// Every warning on a served record.
pub fn warnings<'a>(data: &InMemory<'a>) -> Vec<&'a DataWarning> {
    per_record(data).into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_data_counts_every_collection() {
        let data = InMemory {
            training_centers: &[],
            courses: &[],
            course_runs: &[],
            participants: &[],
            enrollments: &[],
            outcomes: &[],
            partnerships: &[],
        };
        let counts = record_counts(&data);
        assert_eq!(counts.len(), 7);
        assert_eq!(counts["courseRuns"], 0);
        assert_eq!(records_with_warnings(&data), 0);
        assert!(warnings(&data).is_empty());
    }
}
