//! Offerings as a source describes them loosely: a run's status from its dates when the
//! source leaves it blank ([`run_status_from_dates`]), a training field from a coded list
//! ([`Record::training_field`]), and the partnerships a funding text names
//! ([`named_partnerships`]).

use chrono::NaiveDate;
use simpul_schema::{CourseRunStatus, Partnership, TrainingField};

use crate::record::Record;
use crate::text::fold;
use crate::vocab::CodeList;

/// A run's status from its dates and the day the source describes (`as_of`, a quarterly
/// workbook's quarter end): planned when it starts later, completed when it ended by then,
/// else running.
pub fn run_status_from_dates(
    start: NaiveDate,
    end: Option<NaiveDate>,
    as_of: NaiveDate,
) -> CourseRunStatus {
    if start > as_of {
        CourseRunStatus::Planned
    } else if end.is_some_and(|e| e <= as_of) {
        CourseRunStatus::Completed
    } else {
        CourseRunStatus::Running
    }
}

/// The partnerships of training centre `centre` (its first party) whose partner (the second
/// party) is named in `text`, ignoring case and spacing.
pub fn named_partnerships(text: &str, centre: &str, partnerships: &[Partnership]) -> Vec<String> {
    let text = fold(text);
    let of_centre = |p: &&Partnership| {
        let own = p.parties.first();
        own.and_then(|o| o.training_center_id.as_deref()) == Some(centre)
    };
    let named = |p: &&Partnership| {
        p.parties
            .get(1)
            .is_some_and(|m| text.contains(&fold(&m.name)))
    };
    let partnerships = partnerships.iter().filter(of_centre).filter(named);
    partnerships.map(|p| p.source_id.clone()).collect()
}

impl Record<'_> {
    /// One training field `part` (of `column`, warnings on `field`) from `list`: its code and
    /// value, and the entry's attribute (a KBJI code); an unknown one keeps its text, without
    /// code (after an `ENUM_UNKNOWN` warning).
    pub fn training_field(
        &mut self,
        column: &'static str,
        field: &str,
        list: &CodeList,
        part: &str,
    ) -> (TrainingField, Option<&'static str>) {
        match self.take(column, field, list.lookup(part)) {
            Some(entry) => {
                let (code, name) = (Some(entry.code.to_owned()), entry.name.to_owned());
                (TrainingField { code, name }, entry.attribute)
            }
            None => {
                let name = part.to_owned();
                (TrainingField { code: None, name }, None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_status_from_the_dates() {
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let quarter_end = day(3, 31);
        let status = |start, end| run_status_from_dates(start, end, quarter_end);
        assert_eq!(status(day(4, 1), None), CourseRunStatus::Planned);
        assert_eq!(
            status(day(2, 1), Some(day(3, 31))),
            CourseRunStatus::Completed
        );
        assert_eq!(
            status(day(2, 1), Some(day(4, 30))),
            CourseRunStatus::Running
        );
        assert_eq!(status(day(2, 1), None), CourseRunStatus::Running);
    }
}
