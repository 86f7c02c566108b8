//! [`EnrollmentFact`]: one enrollment joined with its run, course, centre, participant and
//! outcome at the same provider, the row analysts group and count.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::filter::{FieldValue, Filterable};
use crate::{Course, CourseRun, Enrollment, Outcome, Participant, TrainingCenter};

/// One enrollment with the dimensions analysts group by. No personal data: participant
/// attributes are the coarse ones (sex, birth year, regency of domicile, employment status).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentFact {
    /// The enrollment's key at its provider.
    pub source_id: String,
    /// `Enrollment.status` (`COMPLETED`, ...).
    pub status: String,
    /// `Enrollment.route`.
    pub route: Option<String>,
    /// `Enrollment.registeredOn`.
    pub registered_on: Option<NaiveDate>,
    /// `Enrollment.finalScore`.
    pub final_score: Option<f64>,
    /// `Enrollment.attendancePercent`.
    pub attendance_percent: Option<f64>,
    /// The participant's key.
    pub participant_id: String,
    /// The run's key.
    pub course_run_id: String,
    /// The course's key (from the run).
    pub course_id: Option<String>,
    /// The centre's key (from the run).
    pub training_center_id: Option<String>,
    /// The course's kejuruan, by name (`Course.field.name`).
    pub field: Option<String>,
    /// The course's primary occupation code.
    pub occupation_code: Option<String>,
    /// The run's primary funding scheme.
    pub funding_scheme: Option<String>,
    /// Where the run takes place: its location, else its centre's address.
    pub region_code: Option<String>,
    /// The run's start date.
    pub start_date: Option<NaiveDate>,
    /// The run's fiscal year.
    pub fiscal_year: Option<i32>,
    /// The participant's sex.
    pub sex: Option<String>,
    /// The participant's birth year.
    pub birth_year: Option<i32>,
    /// The participant's regency/city of domicile.
    pub domicile_regency_code: Option<String>,
    /// The participant's employment status at registration (`LAID_OFF`, ...).
    pub employment_status_at_registration: Option<String>,
    /// The outcome's status (`EMPLOYED`, ...), if followed up.
    pub outcome_status: Option<String>,
    /// Whole months from the run's last day to the day the outcome was observed
    /// ([`months_between`]); negative when observed before the run ended, null without either
    /// date. `>= 6`: the status six months or more after training.
    #[serde(default)]
    pub months_to_outcome: Option<i32>,
}

/// Whole months from `from` to `to`: the calendar months between them, less one when `to`'s
/// day of the month is before `from`'s (2024-01-31 → 2024-02-29 is 0, → 2024-03-01 is 1).
/// Negative when `to` is earlier. Adapters that compute it in SQL must match this exactly.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    use chrono::Datelike;
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to >= from {
        months - i32::from(to.day() < from.day())
    } else {
        months + i32::from(to.day() > from.day())
    }
}

/// The related records of one enrollment, each absent when the provider has none.
#[derive(Debug, Clone, Copy, Default)]
pub struct Related<'a> {
    /// Its run.
    pub run: Option<&'a CourseRun>,
    /// The run's course.
    pub course: Option<&'a Course>,
    /// The run's centre.
    pub center: Option<&'a TrainingCenter>,
    /// Its participant.
    pub participant: Option<&'a Participant>,
    /// Its outcome.
    pub outcome: Option<&'a Outcome>,
}

impl EnrollmentFact {
    /// The fields, for filters and group keys.
    pub const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "status",
        "route",
        "registeredOn",
        "finalScore",
        "attendancePercent",
        "participantId",
        "courseRunId",
        "courseId",
        "trainingCenterId",
        "field",
        "occupationCode",
        "fundingScheme",
        "regionCode",
        "startDate",
        "fiscalYear",
        "sex",
        "birthYear",
        "domicileRegencyCode",
        "employmentStatusAtRegistration",
        "outcomeStatus",
        "monthsToOutcome",
    ];

    /// The fields whose value comes from the enrolment's run, its course and its centre alone
    /// (not from the enrolment, its participant or its outcome): every enrolment of a run has
    /// the same values in them.
    pub const RUN_FIELDS: &'static [&'static str] = &[
        "courseId",
        "trainingCenterId",
        "field",
        "occupationCode",
        "fundingScheme",
        "regionCode",
        "startDate",
        "fiscalYear",
    ];

    /// Join an enrollment with its related records.
    pub fn join(enrollment: &Enrollment, related: Related<'_>) -> Self {
        Self {
            source_id: enrollment.source_id.clone(),
            status: enrollment.status.as_str().to_owned(),
            route: enrollment.route.map(|r| r.as_str().to_owned()),
            registered_on: enrollment.registered_on,
            final_score: enrollment.final_score,
            attendance_percent: enrollment.attendance_percent,
            participant_id: enrollment.participant_id.clone(),
            course_run_id: enrollment.course_run_id.clone(),
            ..Self::of_related(related)
        }
    }

    /// What an enrolment takes from its related records, its own fields empty: a filter on
    /// [`EnrollmentFact::RUN_FIELDS`] alone sees every enrolment of `related.run` as this.
    pub fn of_related(related: Related<'_>) -> Self {
        let Related {
            run,
            course,
            center,
            participant,
            outcome,
        } = related;
        Self {
            course_id: run.map(|r| r.course_id.clone()),
            training_center_id: run.map(|r| r.training_center_id.clone()),
            field: course
                .and_then(|c| c.field.as_ref())
                .map(|f| f.name.clone()),
            occupation_code: course.and_then(|c| c.occupation_codes.first().cloned()),
            funding_scheme: run
                .and_then(|r| r.funding_schemes.first())
                .map(|f| f.as_str().to_owned()),
            region_code: run.and_then(|r| r.location_code.clone()).or_else(|| {
                center
                    .and_then(|c| c.address.as_ref())
                    .and_then(|a| a.region_code.clone())
            }),
            start_date: run.and_then(|r| r.start_date),
            fiscal_year: run.and_then(|r| r.fiscal_year),
            sex: participant
                .and_then(|p| p.sex)
                .map(|s| s.as_str().to_owned()),
            birth_year: participant.and_then(|p| p.birth_year),
            domicile_regency_code: participant.and_then(|p| p.domicile_regency_code.clone()),
            employment_status_at_registration: participant
                .and_then(|p| p.employment_status_at_registration)
                .map(|s| s.as_str().to_owned()),
            outcome_status: outcome.map(|o| o.status.as_str().to_owned()),
            months_to_outcome: run
                .and_then(|r| r.end_date)
                .zip(outcome.and_then(|o| o.observed_at))
                .map(|(end, seen)| months_between(end, seen.date_naive())),
            ..Self::default()
        }
    }
}

impl Filterable for EnrollmentFact {
    const FIELDS: &'static [&'static str] = EnrollmentFact::FIELDS;

    fn field(&self, name: &str) -> Option<FieldValue> {
        let text = |v: &Option<String>| FieldValue::from(v.as_ref());
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "status" => FieldValue::from(&self.status),
            "route" => text(&self.route),
            "registeredOn" => FieldValue::from(self.registered_on),
            "finalScore" => FieldValue::from(self.final_score),
            "attendancePercent" => FieldValue::from(self.attendance_percent),
            "participantId" => FieldValue::from(&self.participant_id),
            "courseRunId" => FieldValue::from(&self.course_run_id),
            "courseId" => text(&self.course_id),
            "trainingCenterId" => text(&self.training_center_id),
            "field" => text(&self.field),
            "occupationCode" => text(&self.occupation_code),
            "fundingScheme" => text(&self.funding_scheme),
            "regionCode" => text(&self.region_code),
            "startDate" => FieldValue::from(self.start_date),
            "fiscalYear" => FieldValue::from(self.fiscal_year),
            "sex" => text(&self.sex),
            "birthYear" => FieldValue::from(self.birth_year),
            "domicileRegencyCode" => text(&self.domicile_regency_code),
            "employmentStatusAtRegistration" => text(&self.employment_status_at_registration),
            "outcomeStatus" => text(&self.outcome_status),
            "monthsToOutcome" => FieldValue::from(self.months_to_outcome),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::months_between;
    use chrono::NaiveDate;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn whole_months_count_a_month_only_once_its_day_is_reached() {
        for (from, to, months) in [
            ("2024-01-15", "2024-01-15", 0),
            ("2024-01-15", "2024-07-14", 5),
            ("2024-01-15", "2024-07-15", 6),
            ("2024-01-31", "2024-02-29", 0),
            ("2024-01-31", "2024-03-01", 1),
            ("2023-11-20", "2024-05-20", 6),
            ("2024-07-15", "2024-01-15", -6),
            ("2024-07-15", "2024-01-16", -5),
            ("2024-03-01", "2024-01-31", -1),
        ] {
            assert_eq!(months_between(d(from), d(to)), months, "{from} → {to}");
        }
    }
}
