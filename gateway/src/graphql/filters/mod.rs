//! `where` and `order_by` inputs in Hasura's conventions, and their translation into the
//! engine's [`Filter`] tree over unified field names.

use async_graphql::{Enum, Result};
use simpul_schema::{CompareOp, Direction, Filter, Literal, OrderBy};

mod bounds;
pub(crate) mod catalogue;
mod comparisons;

use catalogue::collection_inputs;

pub use bounds::{bounded, filter_of, MAX_FILTER_DEPTH, MAX_LIST_VALUES, MAX_TEXT_BYTES};
pub use comparisons::{
    BooleanComparison, DateComparison, FloatComparison, IdComparison, IntComparison,
    RegionCodeComparison, StringComparison,
};

/// Hasura's sort directions.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "order_by", rename_items = "snake_case")]
pub enum OrderDirection {
    /// Ascending, nulls last.
    Asc,
    /// Ascending, nulls first.
    AscNullsFirst,
    /// Ascending, nulls last.
    AscNullsLast,
    /// Descending, nulls first.
    Desc,
    /// Descending, nulls first.
    DescNullsFirst,
    /// Descending, nulls last.
    DescNullsLast,
}

impl From<OrderDirection> for Direction {
    fn from(d: OrderDirection) -> Self {
        match d {
            OrderDirection::Asc => Direction::Asc,
            OrderDirection::AscNullsFirst => Direction::AscNullsFirst,
            OrderDirection::AscNullsLast => Direction::AscNullsLast,
            OrderDirection::Desc => Direction::Desc,
            OrderDirection::DescNullsFirst => Direction::DescNullsFirst,
            OrderDirection::DescNullsLast => Direction::DescNullsLast,
        }
    }
}

/// Collects the comparisons of one boolean expression.
#[derive(Default)]
pub(crate) struct Terms(Vec<Filter>);

impl Terms {
    pub(crate) fn add(&mut self, field: &str, op: CompareOp, value: Option<Literal>) {
        if let Some(value) = value {
            self.0.push(Filter::compare(field, op, value));
        }
    }

    fn list<T: Into<Literal> + Clone>(values: &Option<Vec<T>>) -> Option<Literal> {
        values
            .as_ref()
            .map(|v| Literal::List(v.iter().cloned().map(Into::into).collect()))
    }

    pub(crate) fn nested<E: BoolExp>(
        &mut self,
        and: &Option<Vec<E>>,
        or: &Option<Vec<E>>,
        not: &Option<Box<E>>,
    ) -> Result<()> {
        if let Some(parts) = and {
            self.0.push(Filter::And(
                parts
                    .iter()
                    .map(BoolExp::to_filter)
                    .collect::<Result<_>>()?,
            ));
        }
        if let Some(parts) = or {
            self.0.push(Filter::Or(
                parts
                    .iter()
                    .map(BoolExp::to_filter)
                    .collect::<Result<_>>()?,
            ));
        }
        if let Some(inner) = not {
            self.0.push(Filter::Not(Box::new(inner.to_filter()?)));
        }
        Ok(())
    }

    /// A condition on a related record (resolved by the engine).
    pub(crate) fn related<E: BoolExp>(
        &mut self,
        relation: &str,
        inner: &Option<Box<E>>,
    ) -> Result<()> {
        if let Some(inner) = inner {
            self.0.push(Filter::Related {
                relation: relation.to_owned(),
                filter: Box::new(inner.to_filter()?),
            });
        }
        Ok(())
    }

    /// A comparison on a field of a related record (`regionCode` of a course is its centre's):
    /// the condition holds through the relation, which the engine resolves.
    pub(crate) fn through(&mut self, relation: &str, inner: Terms) {
        if !inner.0.is_empty() {
            self.0.push(Filter::Related {
                relation: relation.to_owned(),
                filter: Box::new(inner.done()),
            });
        }
    }

    pub(crate) fn done(mut self) -> Filter {
        if self.0.len() == 1 {
            self.0.remove(0)
        } else {
            Filter::And(self.0)
        }
    }
}

/// A `where` input.
pub trait BoolExp {
    /// The engine's filter.
    fn to_filter(&self) -> Result<Filter>;
}

collection_inputs! {
    /// Filter on training centres.
    filter TrainingCenterBoolExp;
    /// Sort training centres.
    order TrainingCenterOrderBy;
    fields {
        name: StringComparison, sort;
        region_code: RegionCodeComparison, sort;
        provider: StringComparison, sort;
        institution_type: StringComparison;
        active: BooleanComparison;
    }
}

collection_inputs! {
    /// Filter on courses.
    filter CourseBoolExp;
    /// Sort courses.
    order CourseOrderBy;
    fields {
        name: StringComparison, sort;
        provider: StringComparison, sort;
        training_type: StringComparison;
        /// Any of the course's KBJI/ISCO occupation codes.
        occupation_code: StringComparison;
        training_center_id: IdComparison, id "TrainingCenter";
        /// Where the course is offered: its centre's region.
        region_code: RegionCodeComparison, through training_center;
        /// The course's centre matches (and sorts by a field of it).
        training_center: relation TrainingCenterBoolExp, sort TrainingCenterOrderBy;
        /// The course offers a catalogue programme that matches (courses without one never do).
        program: relation ProgramBoolExp;
    }
}

collection_inputs! {
    /// Filter on course runs.
    filter CourseRunBoolExp;
    /// Sort course runs.
    order CourseRunOrderBy;
    fields {
        start_date: DateComparison, sort;
        end_date: DateComparison, sort;
        code: StringComparison, sort;
        fiscal_year: IntComparison, sort;
        provider: StringComparison, sort;
        /// Places in the run (its quota); null when the provider records none.
        capacity: IntComparison, sort;
        status: StringComparison;
        delivery_mode: StringComparison;
        /// Any of the run's funding schemes.
        funding_scheme: StringComparison;
        /// Where the run takes place.
        region_code: RegionCodeComparison;
        /// Any of the occupation codes of the run's course.
        occupation_code: StringComparison, through course;
        course_id: IdComparison, id "Course";
        training_center_id: IdComparison, id "TrainingCenter";
        /// The run's course matches (and sorts by a field of it).
        course: relation CourseBoolExp, sort CourseOrderBy;
        /// The run's centre matches (and sorts by a field of it).
        training_center: relation TrainingCenterBoolExp, sort TrainingCenterOrderBy;
    }
}

collection_inputs! {
    /// Filter on participants. Never accepts a NIK or KPJ.
    filter ParticipantBoolExp;
    /// Sort participants.
    order ParticipantOrderBy;
    fields {
        birth_year: IntComparison, sort;
        source_id: sort_only;
        provider: StringComparison, sort;
        sex: StringComparison;
        domicile_regency_code: RegionCodeComparison;
        employment_status_at_registration: StringComparison;
        education: StringComparison;
        nik_valid: BooleanComparison;
        /// At least one of the participant's enrollments matches.
        enrollments: relation EnrollmentBoolExp;
    }
}

collection_inputs! {
    /// Filter on enrolments.
    filter EnrollmentBoolExp;
    /// Sort enrolments.
    order EnrollmentOrderBy;
    fields {
        registered_on: DateComparison, sort;
        final_score: FloatComparison, sort;
        attendance_percent: FloatComparison, sort;
        status: StringComparison, sort;
        provider: StringComparison, sort;
        route: StringComparison;
        /// The enrollment's run matches.
        course_run: relation CourseRunBoolExp;
        /// The enrollment's participant matches.
        participant: relation ParticipantBoolExp;
        /// The enrollment has an outcome, and it matches.
        outcome: relation OutcomeBoolExp;
        /// The enrollment has a credential award that matches (a BNSP certificate, say).
        credential_awards: relation CredentialAwardBoolExp;
    }
}

collection_inputs! {
    /// Filter on outcomes (`outcomes`, and `EnrollmentBoolExp.outcome`).
    filter OutcomeBoolExp;
    /// Sort outcomes.
    order OutcomeOrderBy;
    fields {
        observed_at: DateComparison, sort;
        /// `EMPLOYED`, `SELF_EMPLOYED`, `SEEKING_WORK`, ...
        status: StringComparison, sort;
        provider: StringComparison, sort;
        work_region_code: RegionCodeComparison;
        /// The outcome's enrolment matches.
        enrollment: relation EnrollmentBoolExp;
    }
}

collection_inputs! {
    /// Filter on catalogue programmes.
    filter ProgramBoolExp;
    /// Sort catalogue programmes.
    order ProgramOrderBy;
    fields {
        name: StringComparison, sort;
        code: StringComparison, sort;
        kkni_level: IntComparison, sort;
        nominal_hours: IntComparison, sort;
        provider: StringComparison, sort;
        /// The kejuruan, by name.
        field: StringComparison;
        /// A KBJI 2014 code it trains for; holds when any of them matches.
        occupation_code: StringComparison;
    }
}

collection_inputs! {
    /// Filter on credential awards.
    filter CredentialAwardBoolExp;
    /// Sort credential awards.
    order CredentialAwardOrderBy;
    fields {
        issued_on: DateComparison, sort;
        assessed_on: DateComparison, sort;
        valid_until: DateComparison, sort;
        /// The credential's category: `TRAINING_CERTIFICATE`, `COMPETENCY_CERTIFICATION`.
        category: StringComparison, sort;
        provider: StringComparison, sort;
        /// The certification scheme (skema) name.
        scheme: StringComparison;
        /// Who issued it (the centre or the LSP), by name.
        issuer_name: StringComparison;
        /// A body that recognises the credential (`BNSP`); holds when any of them matches.
        recognized_by: StringComparison;
        /// `COMPETENT`, `NOT_YET_COMPETENT`; null for training certificates.
        assessment_result: StringComparison;
        /// The enrolment it came through matches.
        enrollment: relation EnrollmentBoolExp;
    }
}

/// An `order_by` input. Each input object may name several fields; they count in the order the
/// schema lists them, after the keys of earlier inputs. A relation (`course: { name: asc }`)
/// sorts by the related record's field (`course.name`).
pub trait OrderInput {
    /// (unified field, direction) pairs that are set.
    fn keys(&self) -> Vec<(String, OrderDirection)>;
}

/// The engine's sort keys for a list of `order_by` inputs.
pub fn order_keys<O: OrderInput>(inputs: &Option<Vec<O>>) -> Vec<OrderBy> {
    inputs
        .iter()
        .flatten()
        .flat_map(OrderInput::keys)
        .map(|(field, d)| OrderBy {
            field,
            direction: d.into(),
        })
        .collect()
}
