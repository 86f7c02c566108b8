//! The inputs of the `*_aggregate` fields that the list fields do not already have: the
//! enrollment view's `where` (it reaches the run, course, centre, participant, outcome and
//! credential awards of each enrollment) and `having` on the groups.

use async_graphql::{InputObject, Result};
use simpul_schema::filter::FieldValue;

use crate::graphql::filters::catalogue::collection_inputs;
use crate::graphql::filters::{
    CredentialAwardBoolExp, DateComparison, FloatComparison, IdComparison, IntComparison,
    RegionCodeComparison, StringComparison, Terms,
};

collection_inputs! {
    /// Filter on enrollments with what they are joined with (`enrollments_aggregate`,
    /// `outcomes_aggregate`, `TrainingCenter.outcomeSummary`).
    filter EnrollmentFactBoolExp;
    order _;
    fields {
        provider: StringComparison;
        /// The enrollment's status (`COMPLETED`, ...).
        status: StringComparison;
        route: StringComparison;
        registered_on: DateComparison;
        final_score: FloatComparison;
        attendance_percent: FloatComparison;
        course_run_id: IdComparison, id "CourseRun";
        course_id: IdComparison, id "Course";
        training_center_id: IdComparison, id "TrainingCenter";
        /// The course's kejuruan, by name.
        field: StringComparison;
        /// The course's primary occupation code.
        occupation_code: StringComparison;
        /// The run's primary funding scheme.
        funding_scheme: StringComparison;
        /// Where the run takes place (its location, else its centre's address).
        region_code: RegionCodeComparison;
        /// The run's start date.
        start_date: DateComparison;
        /// The run's fiscal year.
        fiscal_year: IntComparison;
        /// The participant's sex.
        sex: StringComparison;
        /// The participant's birth year.
        birth_year: IntComparison;
        /// The participant's regency/city of domicile.
        domicile_regency_code: RegionCodeComparison;
        /// The participant's employment status at registration (`LAID_OFF`, ...).
        employment_status_at_registration: StringComparison;
        /// The outcome's status (`EMPLOYED`, `SELF_EMPLOYED`, ...); null when not followed up.
        outcome_status: StringComparison;
        /// Whole months from the run's last day to when the outcome was observed (`_gte: 6`: the
        /// status six months or more after training); null without either date.
        months_to_outcome: IntComparison;
        /// The enrollment has a credential award that matches (`{category: {_eq:
        /// "COMPETENCY_CERTIFICATION"}, assessmentResult: {_eq: "COMPETENT"}}`: holds a BNSP
        /// certificate).
        credential_awards: relation CredentialAwardBoolExp;
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
