//! The inputs of the `*_aggregate` fields that the list fields do not already have: the
//! enrollment view's `where` (it reaches the run, course, centre, participant, outcome and
//! credential awards of each enrollment) and `having` on the groups.

use async_graphql::{InputObject, Result};
use simpul_schema::filter::FieldValue;
use simpul_schema::Filter;

use crate::graphql::filters::{
    BoolExp, CredentialAwardBoolExp, DateComparison, FloatComparison, IdComparison, IntComparison,
    RegionCodeComparison, StringComparison, Terms,
};

/// Filter on enrollments with what they are joined with (`enrollments_aggregate`).
#[derive(InputObject, Default, Debug)]
pub struct EnrollmentFactBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<EnrollmentFactBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<EnrollmentFactBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<EnrollmentFactBoolExp>>,
    provider: Option<StringComparison>,
    /// The enrollment's status (`COMPLETED`, ...).
    status: Option<StringComparison>,
    route: Option<StringComparison>,
    registered_on: Option<DateComparison>,
    final_score: Option<FloatComparison>,
    attendance_percent: Option<FloatComparison>,
    course_run_id: Option<IdComparison>,
    course_id: Option<IdComparison>,
    training_center_id: Option<IdComparison>,
    /// The course's kejuruan, by name.
    field: Option<StringComparison>,
    /// The course's primary occupation code.
    occupation_code: Option<StringComparison>,
    /// The run's primary funding scheme.
    funding_scheme: Option<StringComparison>,
    /// Where the run takes place (its location, else its centre's address).
    region_code: Option<RegionCodeComparison>,
    /// The run's start date.
    start_date: Option<DateComparison>,
    /// The run's fiscal year.
    fiscal_year: Option<IntComparison>,
    /// The participant's sex.
    sex: Option<StringComparison>,
    /// The participant's birth year.
    birth_year: Option<IntComparison>,
    /// The participant's regency/city of domicile.
    domicile_regency_code: Option<RegionCodeComparison>,
    /// The participant's employment status at registration (`LAID_OFF`, ...).
    employment_status_at_registration: Option<StringComparison>,
    /// The outcome's status (`EMPLOYED`, `SELF_EMPLOYED`, ...); null when not followed up.
    outcome_status: Option<StringComparison>,
    /// Whole months from the run's last day to when the outcome was observed (`_gte: 6`: the
    /// status six months or more after training); null without either date.
    months_to_outcome: Option<IntComparison>,
    /// The enrollment has a credential award that matches (`{category: {_eq:
    /// "COMPETENCY_CERTIFICATION"}, assessmentResult: {_eq: "COMPETENT"}}`: holds a BNSP
    /// certificate).
    credential_awards: Option<Box<CredentialAwardBoolExp>>,
}

impl BoolExp for EnrollmentFactBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        let text = [
            ("provider", &self.provider),
            ("status", &self.status),
            ("route", &self.route),
            ("field", &self.field),
            ("occupationCode", &self.occupation_code),
            ("fundingScheme", &self.funding_scheme),
            ("sex", &self.sex),
            (
                "employmentStatusAtRegistration",
                &self.employment_status_at_registration,
            ),
            ("outcomeStatus", &self.outcome_status),
        ];
        for (name, comparison) in text {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, comparison) in [
            ("registeredOn", &self.registered_on),
            ("startDate", &self.start_date),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, comparison) in [
            ("finalScore", &self.final_score),
            ("attendancePercent", &self.attendance_percent),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, comparison) in [
            ("fiscalYear", &self.fiscal_year),
            ("birthYear", &self.birth_year),
            ("monthsToOutcome", &self.months_to_outcome),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, comparison) in [
            ("regionCode", &self.region_code),
            ("domicileRegencyCode", &self.domicile_regency_code),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, type_name, comparison) in [
            ("courseRunId", "CourseRun", &self.course_run_id),
            ("courseId", "Course", &self.course_id),
            (
                "trainingCenterId",
                "TrainingCenter",
                &self.training_center_id,
            ),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name, type_name)?;
            }
        }
        t.related("credentialAwards", &self.credential_awards)?;
        Ok(t.done())
    }
}

/// Conditions on the groups, checked after merging and suppression: a withheld count matches
/// no condition, so `having` cannot reveal a small cell.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Aggregate_having_exp")]
pub struct AggregateHaving {
    /// The group's count.
    count: Option<IntComparison>,
}

impl AggregateHaving {
    /// Whether a group with this (possibly withheld) count is kept.
    pub fn holds(&self, count: Option<u64>) -> Result<bool> {
        let Some(condition) = &self.count else {
            return Ok(true);
        };
        let mut t = Terms::default();
        condition.add_to(&mut t, "count");
        let value = count.map_or(FieldValue::Null, |c| FieldValue::Int(c as i64));
        simpul_schema::filter::matches_with(&t.done(), &|_| Some(value.clone()))
            .map_err(|e| crate::graphql::error::coded("BAD_USER_INPUT", e.to_string()))
    }
}
