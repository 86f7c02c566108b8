//! `where` and `order_by` inputs in Hasura's conventions, and their translation into the
//! engine's [`Filter`] tree over unified field names.

use async_graphql::{Enum, InputObject, Result, ID};
use simpul_schema::{CompareOp, Direction, Filter, GlobalId, Literal, OrderBy};

use super::error::coded;
use super::scalars::{Date, RegionCode};

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

fn text(v: &Option<String>) -> Option<Literal> {
    v.clone().map(Literal::Text)
}

/// Comparisons on text and enum-valued fields.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "String_comparison_exp")]
pub struct StringComparison {
    #[graphql(name = "_eq")]
    eq: Option<String>,
    #[graphql(name = "_neq")]
    neq: Option<String>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<String>>,
    #[graphql(name = "_nin")]
    nin: Option<Vec<String>>,
    /// SQL LIKE: `%` any run, `_` one character.
    #[graphql(name = "_like")]
    like: Option<String>,
    /// Case-insensitive `_like`.
    #[graphql(name = "_ilike")]
    ilike: Option<String>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl StringComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, text(&self.eq));
        terms.add(field, CompareOp::Neq, text(&self.neq));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(field, CompareOp::Nin, Terms::list(&self.nin));
        terms.add(field, CompareOp::Like, text(&self.like));
        terms.add(field, CompareOp::Ilike, text(&self.ilike));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on whole numbers.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Int_comparison_exp")]
pub struct IntComparison {
    #[graphql(name = "_eq")]
    eq: Option<i64>,
    #[graphql(name = "_neq")]
    neq: Option<i64>,
    #[graphql(name = "_gt")]
    gt: Option<i64>,
    #[graphql(name = "_gte")]
    gte: Option<i64>,
    #[graphql(name = "_lt")]
    lt: Option<i64>,
    #[graphql(name = "_lte")]
    lte: Option<i64>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<i64>>,
    #[graphql(name = "_nin")]
    nin: Option<Vec<i64>>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl IntComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Literal::Int));
        terms.add(field, CompareOp::Neq, self.neq.map(Literal::Int));
        terms.add(field, CompareOp::Gt, self.gt.map(Literal::Int));
        terms.add(field, CompareOp::Gte, self.gte.map(Literal::Int));
        terms.add(field, CompareOp::Lt, self.lt.map(Literal::Int));
        terms.add(field, CompareOp::Lte, self.lte.map(Literal::Int));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(field, CompareOp::Nin, Terms::list(&self.nin));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on fractional numbers.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Float_comparison_exp")]
pub struct FloatComparison {
    #[graphql(name = "_eq")]
    eq: Option<f64>,
    #[graphql(name = "_neq")]
    neq: Option<f64>,
    #[graphql(name = "_gt")]
    gt: Option<f64>,
    #[graphql(name = "_gte")]
    gte: Option<f64>,
    #[graphql(name = "_lt")]
    lt: Option<f64>,
    #[graphql(name = "_lte")]
    lte: Option<f64>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl FloatComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Literal::Float));
        terms.add(field, CompareOp::Neq, self.neq.map(Literal::Float));
        terms.add(field, CompareOp::Gt, self.gt.map(Literal::Float));
        terms.add(field, CompareOp::Gte, self.gte.map(Literal::Float));
        terms.add(field, CompareOp::Lt, self.lt.map(Literal::Float));
        terms.add(field, CompareOp::Lte, self.lte.map(Literal::Float));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on booleans.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Boolean_comparison_exp")]
pub struct BooleanComparison {
    #[graphql(name = "_eq")]
    eq: Option<bool>,
    #[graphql(name = "_neq")]
    neq: Option<bool>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl BooleanComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Literal::Bool));
        terms.add(field, CompareOp::Neq, self.neq.map(Literal::Bool));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on dates.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Date_comparison_exp")]
pub struct DateComparison {
    #[graphql(name = "_eq")]
    eq: Option<Date>,
    #[graphql(name = "_neq")]
    neq: Option<Date>,
    #[graphql(name = "_gt")]
    gt: Option<Date>,
    #[graphql(name = "_gte")]
    gte: Option<Date>,
    #[graphql(name = "_lt")]
    lt: Option<Date>,
    #[graphql(name = "_lte")]
    lte: Option<Date>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<Date>>,
    #[graphql(name = "_nin")]
    nin: Option<Vec<Date>>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl From<Date> for Literal {
    fn from(d: Date) -> Self {
        Literal::Text(d.0.format("%Y-%m-%d").to_string())
    }
}

impl DateComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Into::into));
        terms.add(field, CompareOp::Neq, self.neq.map(Into::into));
        terms.add(field, CompareOp::Gt, self.gt.map(Into::into));
        terms.add(field, CompareOp::Gte, self.gte.map(Into::into));
        terms.add(field, CompareOp::Lt, self.lt.map(Into::into));
        terms.add(field, CompareOp::Lte, self.lte.map(Into::into));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(field, CompareOp::Nin, Terms::list(&self.nin));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on region codes; `_prefix` selects an area and everything inside it
/// (`36.02` = Kabupaten Lebak).
#[derive(InputObject, Default, Debug)]
#[graphql(name = "RegionCode_comparison_exp")]
pub struct RegionCodeComparison {
    #[graphql(name = "_eq")]
    eq: Option<RegionCode>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<RegionCode>>,
    #[graphql(name = "_prefix")]
    prefix: Option<RegionCode>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl From<RegionCode> for Literal {
    fn from(c: RegionCode) -> Self {
        Literal::Text(c.0)
    }
}

impl RegionCodeComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.clone().map(Into::into));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(
            field,
            CompareOp::Prefix,
            self.prefix.clone().map(Into::into),
        );
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on global ids of related records.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "ID_comparison_exp")]
pub struct IdComparison {
    #[graphql(name = "_eq")]
    eq: Option<ID>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<ID>>,
}

impl IdComparison {
    /// A global id names a provider and a local key: compare both.
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str, type_name: &str) -> Result<()> {
        let one = |id: &ID| -> Result<Filter> {
            let gid =
                GlobalId::decode(id).map_err(|e| coded("INVALID_ID", format!("`{field}`: {e}")))?;
            if gid.type_name != type_name {
                return Err(coded(
                    "INVALID_ID",
                    format!(
                        "`{field}` expects a {type_name} id, got a {} id",
                        gid.type_name
                    ),
                ));
            }
            Ok(Filter::And(vec![
                Filter::compare("provider", CompareOp::Eq, gid.namespace),
                Filter::compare(field, CompareOp::Eq, gid.local_key),
            ]))
        };
        if let Some(id) = &self.eq {
            terms.0.push(one(id)?);
        }
        if let Some(ids) = &self.r#in {
            terms
                .0
                .push(Filter::Or(ids.iter().map(one).collect::<Result<_>>()?));
        }
        Ok(())
    }
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
        Ok(t.done())
    }
}

/// Sort courses.
#[derive(InputObject, Default, Debug)]
pub struct CourseOrderBy {
    name: Option<OrderDirection>,
    provider: Option<OrderDirection>,
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
    course_id: Option<IdComparison>,
    training_center_id: Option<IdComparison>,
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
        Ok(t.done())
    }
}

/// Translate a list of `order_by` inputs. Each input object may name several fields; they
/// count in the order the schema lists them, after the keys of earlier inputs.
pub trait OrderInput {
    /// (unified field, direction) pairs that are set.
    fn keys(&self) -> Vec<(&'static str, OrderDirection)>;
}

macro_rules! order_input {
    ($ty:ty { $($field:ident => $name:literal),+ $(,)? }) => {
        impl OrderInput for $ty {
            fn keys(&self) -> Vec<(&'static str, OrderDirection)> {
                let mut keys = Vec::new();
                $(if let Some(d) = self.$field { keys.push(($name, d)); })+
                keys
            }
        }
    };
}

order_input!(TrainingCenterOrderBy { name => "name", region_code => "regionCode", provider => "provider" });
order_input!(CourseOrderBy { name => "name", provider => "provider" });
order_input!(CourseRunOrderBy { start_date => "startDate", end_date => "endDate", code => "code", fiscal_year => "fiscalYear", provider => "provider" });
order_input!(ParticipantOrderBy { birth_year => "birthYear", source_id => "sourceId", provider => "provider" });

/// The engine's sort keys for a list of `order_by` inputs.
pub fn order_keys<O: OrderInput>(inputs: &Option<Vec<O>>) -> Vec<OrderBy> {
    inputs
        .iter()
        .flatten()
        .flat_map(OrderInput::keys)
        .map(|(field, d)| OrderBy {
            field: field.to_owned(),
            direction: d.into(),
        })
        .collect()
}

/// The engine's filter for an optional `where`.
pub fn filter_of<E: BoolExp>(input: &Option<E>) -> Result<Option<Filter>> {
    input.as_ref().map(BoolExp::to_filter).transpose()
}
