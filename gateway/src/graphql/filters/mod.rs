//! `where` and `order_by` inputs in Hasura's conventions, and their translation into the
//! engine's [`Filter`] tree over unified field names.

use async_graphql::{Enum, InputObject, Result};
use simpul_schema::{CompareOp, Direction, Filter, Literal, OrderBy};

mod bounds;
mod comparisons;

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

/// Filter on training centres.
#[derive(InputObject, Default, Debug)]
pub struct TrainingCenterBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<TrainingCenterBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<TrainingCenterBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<TrainingCenterBoolExp>>,
    provider: Option<StringComparison>,
    name: Option<StringComparison>,
    institution_type: Option<StringComparison>,
    region_code: Option<RegionCodeComparison>,
    active: Option<BooleanComparison>,
}

impl BoolExp for TrainingCenterBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        if let Some(c) = &self.provider {
            c.add_to(&mut t, "provider")
        }
        if let Some(c) = &self.name {
            c.add_to(&mut t, "name")
        }
        if let Some(c) = &self.institution_type {
            c.add_to(&mut t, "institutionType")
        }
        if let Some(c) = &self.region_code {
            c.add_to(&mut t, "regionCode")
        }
        if let Some(c) = &self.active {
            c.add_to(&mut t, "active")
        }
        Ok(t.done())
    }
}

/// Sort training centres.
#[derive(InputObject, Default, Debug)]
pub struct TrainingCenterOrderBy {
    name: Option<OrderDirection>,
    region_code: Option<OrderDirection>,
    provider: Option<OrderDirection>,
}

/// Filter on courses.
#[derive(InputObject, Default, Debug)]
pub struct CourseBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<CourseBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<CourseBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<CourseBoolExp>>,
    provider: Option<StringComparison>,
    name: Option<StringComparison>,
    training_type: Option<StringComparison>,
    /// Any of the course's KBJI/ISCO occupation codes.
    occupation_code: Option<StringComparison>,
    training_center_id: Option<IdComparison>,
    /// Where the course is offered: its centre's region.
    region_code: Option<RegionCodeComparison>,
    /// The course's centre matches.
    training_center: Option<Box<TrainingCenterBoolExp>>,
    /// The course offers a catalogue programme that matches (courses without one never do).
    program: Option<Box<ProgramBoolExp>>,
}

impl BoolExp for CourseBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        if let Some(c) = &self.provider {
            c.add_to(&mut t, "provider")
        }
        if let Some(c) = &self.name {
            c.add_to(&mut t, "name")
        }
        if let Some(c) = &self.training_type {
            c.add_to(&mut t, "trainingType")
        }
        if let Some(c) = &self.occupation_code {
            c.add_to(&mut t, "occupationCode")
        }
        if let Some(c) = &self.training_center_id {
            c.add_to(&mut t, "trainingCenterId", "TrainingCenter")?
        }
        if let Some(c) = &self.region_code {
            let mut centre = Terms::default();
            c.add_to(&mut centre, "regionCode");
            t.through("trainingCenter", centre);
        }
        t.related("trainingCenter", &self.training_center)?;
        t.related("program", &self.program)?;
        Ok(t.done())
    }
}

/// Sort courses.
#[derive(InputObject, Default, Debug)]
pub struct CourseOrderBy {
    name: Option<OrderDirection>,
    provider: Option<OrderDirection>,
    /// By a field of the course's centre.
    training_center: Option<Box<TrainingCenterOrderBy>>,
}

/// Filter on course runs.
#[derive(InputObject, Default, Debug)]
pub struct CourseRunBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<CourseRunBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<CourseRunBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<CourseRunBoolExp>>,
    provider: Option<StringComparison>,
    code: Option<StringComparison>,
    status: Option<StringComparison>,
    start_date: Option<DateComparison>,
    end_date: Option<DateComparison>,
    fiscal_year: Option<IntComparison>,
    delivery_mode: Option<StringComparison>,
    /// Any of the run's funding schemes.
    funding_scheme: Option<StringComparison>,
    /// Where the run takes place.
    region_code: Option<RegionCodeComparison>,
    /// Any of the occupation codes of the run's course.
    occupation_code: Option<StringComparison>,
    course_id: Option<IdComparison>,
    training_center_id: Option<IdComparison>,
    /// The run's centre matches.
    training_center: Option<Box<TrainingCenterBoolExp>>,
    /// The run's course matches.
    course: Option<Box<CourseBoolExp>>,
}

impl BoolExp for CourseRunBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        if let Some(c) = &self.provider {
            c.add_to(&mut t, "provider")
        }
        if let Some(c) = &self.code {
            c.add_to(&mut t, "code")
        }
        if let Some(c) = &self.status {
            c.add_to(&mut t, "status")
        }
        if let Some(c) = &self.start_date {
            c.add_to(&mut t, "startDate")
        }
        if let Some(c) = &self.end_date {
            c.add_to(&mut t, "endDate")
        }
        if let Some(c) = &self.fiscal_year {
            c.add_to(&mut t, "fiscalYear")
        }
        if let Some(c) = &self.delivery_mode {
            c.add_to(&mut t, "deliveryMode")
        }
        if let Some(c) = &self.funding_scheme {
            c.add_to(&mut t, "fundingScheme")
        }
        if let Some(c) = &self.region_code {
            c.add_to(&mut t, "regionCode")
        }
        if let Some(c) = &self.course_id {
            c.add_to(&mut t, "courseId", "Course")?
        }
        if let Some(c) = &self.training_center_id {
            c.add_to(&mut t, "trainingCenterId", "TrainingCenter")?
        }
        if let Some(c) = &self.occupation_code {
            let mut course = Terms::default();
            c.add_to(&mut course, "occupationCode");
            t.through("course", course);
        }
        t.related("trainingCenter", &self.training_center)?;
        t.related("course", &self.course)?;
        Ok(t.done())
    }
}

/// Sort course runs.
#[derive(InputObject, Default, Debug)]
pub struct CourseRunOrderBy {
    start_date: Option<OrderDirection>,
    end_date: Option<OrderDirection>,
    code: Option<OrderDirection>,
    fiscal_year: Option<OrderDirection>,
    provider: Option<OrderDirection>,
    /// By a field of the run's course.
    course: Option<Box<CourseOrderBy>>,
    /// By a field of the run's centre.
    training_center: Option<Box<TrainingCenterOrderBy>>,
}

/// Filter on participants. Never accepts a NIK or KPJ.
#[derive(InputObject, Default, Debug)]
pub struct ParticipantBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<ParticipantBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<ParticipantBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<ParticipantBoolExp>>,
    provider: Option<StringComparison>,
    sex: Option<StringComparison>,
    birth_year: Option<IntComparison>,
    domicile_regency_code: Option<RegionCodeComparison>,
    employment_status_at_registration: Option<StringComparison>,
    education: Option<StringComparison>,
    nik_valid: Option<BooleanComparison>,
    /// At least one of the participant's enrollments matches.
    enrollments: Option<Box<EnrollmentBoolExp>>,
}

impl BoolExp for ParticipantBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        if let Some(c) = &self.provider {
            c.add_to(&mut t, "provider")
        }
        if let Some(c) = &self.sex {
            c.add_to(&mut t, "sex")
        }
        if let Some(c) = &self.birth_year {
            c.add_to(&mut t, "birthYear")
        }
        if let Some(c) = &self.domicile_regency_code {
            c.add_to(&mut t, "domicileRegencyCode")
        }
        if let Some(c) = &self.employment_status_at_registration {
            c.add_to(&mut t, "employmentStatusAtRegistration")
        }
        if let Some(c) = &self.education {
            c.add_to(&mut t, "education")
        }
        if let Some(c) = &self.nik_valid {
            c.add_to(&mut t, "nikValid")
        }
        t.related("enrollments", &self.enrollments)?;
        Ok(t.done())
    }
}

/// Sort participants.
#[derive(InputObject, Default, Debug)]
pub struct ParticipantOrderBy {
    birth_year: Option<OrderDirection>,
    source_id: Option<OrderDirection>,
    provider: Option<OrderDirection>,
}

/// Sort enrolments.
#[derive(InputObject, Default, Debug)]
pub struct EnrollmentOrderBy {
    registered_on: Option<OrderDirection>,
    final_score: Option<OrderDirection>,
    attendance_percent: Option<OrderDirection>,
    status: Option<OrderDirection>,
    provider: Option<OrderDirection>,
}

/// Sort outcomes.
#[derive(InputObject, Default, Debug)]
pub struct OutcomeOrderBy {
    observed_at: Option<OrderDirection>,
    status: Option<OrderDirection>,
    provider: Option<OrderDirection>,
}

/// Filter on enrolments.
#[derive(InputObject, Default, Debug)]
pub struct EnrollmentBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<EnrollmentBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<EnrollmentBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<EnrollmentBoolExp>>,
    provider: Option<StringComparison>,
    status: Option<StringComparison>,
    route: Option<StringComparison>,
    registered_on: Option<DateComparison>,
    final_score: Option<FloatComparison>,
    attendance_percent: Option<FloatComparison>,
    /// The enrollment's run matches.
    course_run: Option<Box<CourseRunBoolExp>>,
    /// The enrollment's participant matches.
    participant: Option<Box<ParticipantBoolExp>>,
    /// The enrollment has an outcome, and it matches.
    outcome: Option<Box<OutcomeBoolExp>>,
    /// The enrollment has a credential award that matches (a BNSP certificate, say).
    credential_awards: Option<Box<CredentialAwardBoolExp>>,
}

impl BoolExp for EnrollmentBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        if let Some(c) = &self.provider {
            c.add_to(&mut t, "provider")
        }
        if let Some(c) = &self.status {
            c.add_to(&mut t, "status")
        }
        if let Some(c) = &self.route {
            c.add_to(&mut t, "route")
        }
        if let Some(c) = &self.registered_on {
            c.add_to(&mut t, "registeredOn")
        }
        if let Some(c) = &self.final_score {
            c.add_to(&mut t, "finalScore")
        }
        if let Some(c) = &self.attendance_percent {
            c.add_to(&mut t, "attendancePercent")
        }
        t.related("courseRun", &self.course_run)?;
        t.related("participant", &self.participant)?;
        t.related("outcome", &self.outcome)?;
        t.related("credentialAwards", &self.credential_awards)?;
        Ok(t.done())
    }
}

/// Filter on outcomes (`outcomes`, and `EnrollmentBoolExp.outcome`).
#[derive(InputObject, Default, Debug)]
pub struct OutcomeBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<OutcomeBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<OutcomeBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<OutcomeBoolExp>>,
    provider: Option<StringComparison>,
    /// `EMPLOYED`, `SELF_EMPLOYED`, `SEEKING_WORK`, ...
    status: Option<StringComparison>,
    observed_at: Option<DateComparison>,
    work_region_code: Option<RegionCodeComparison>,
    /// The outcome's enrolment matches.
    enrollment: Option<Box<EnrollmentBoolExp>>,
}

impl BoolExp for OutcomeBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        if let Some(c) = &self.provider {
            c.add_to(&mut t, "provider")
        }
        if let Some(c) = &self.status {
            c.add_to(&mut t, "status")
        }
        if let Some(c) = &self.observed_at {
            c.add_to(&mut t, "observedAt")
        }
        if let Some(c) = &self.work_region_code {
            c.add_to(&mut t, "workRegionCode")
        }
        t.related("enrollment", &self.enrollment)?;
        Ok(t.done())
    }
}

/// Translate a list of `order_by` inputs. Each input object may name several fields; they
/// count in the order the schema lists them, after the keys of earlier inputs. A relation
/// (`course: { name: asc }`) sorts by the related record's field (`course.name`).
pub trait OrderInput {
    /// (unified field, direction) pairs that are set.
    fn keys(&self) -> Vec<(String, OrderDirection)>;
}

macro_rules! order_input {
    ($ty:ty { $($field:ident => $name:literal),+ $(,)? } $(relations { $($rel:ident => $rel_name:literal),+ $(,)? })?) => {
        impl OrderInput for $ty {
            fn keys(&self) -> Vec<(String, OrderDirection)> {
                let mut keys = Vec::new();
                $(if let Some(d) = self.$field { keys.push(($name.to_owned(), d)); })+
                $($(
                    if let Some(inner) = &self.$rel {
                        keys.extend(inner.keys().into_iter().map(|(f, d)| (format!("{}.{f}", $rel_name), d)));
                    }
                )+)?
                keys
            }
        }
    };
}

order_input!(TrainingCenterOrderBy { name => "name", region_code => "regionCode", provider => "provider" });
order_input!(CourseOrderBy { name => "name", provider => "provider" } relations { training_center => "trainingCenter" });
order_input!(CourseRunOrderBy { start_date => "startDate", end_date => "endDate", code => "code", fiscal_year => "fiscalYear", provider => "provider" } relations { course => "course", training_center => "trainingCenter" });
order_input!(ParticipantOrderBy { birth_year => "birthYear", source_id => "sourceId", provider => "provider" });
order_input!(EnrollmentOrderBy { registered_on => "registeredOn", final_score => "finalScore", attendance_percent => "attendancePercent", status => "status", provider => "provider" });
order_input!(OutcomeOrderBy { observed_at => "observedAt", status => "status", provider => "provider" });

// After `order_input!`, which it uses.
mod credential;
mod program;
pub use credential::{CredentialAwardBoolExp, CredentialAwardOrderBy};
pub use program::{ProgramBoolExp, ProgramOrderBy};

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
