//! Aggregates and group-by: what the gateway asks an adapter to summarise
//! ([`AggregateRequest`]), what it answers ([`AggregateResponse`]), and the reference
//! semantics every adapter must match ([`Accumulator`]).
//!
//! ```
//! use simpul_schema::analytics::{Accumulator, AggregateRequest, AggregateView, Bucket, GroupKey};
//! use simpul_schema::{CompareOp, Filter, Literal};
//! # use simpul_schema::filter::{FieldValue, Filterable};
//! # struct Run { start: &'static str, hours: i32 }
//! # impl Filterable for Run {
//! #     const FIELDS: &'static [&'static str] = &["startDate", "nominalHours"];
//! #     fn field(&self, name: &str) -> Option<FieldValue> {
//! #         match name { "startDate" => Some(self.start.into()), "nominalHours" => Some(self.hours.into()), _ => None }
//! #     }
//! # }
//! let request = AggregateRequest {
//!     view: AggregateView::CourseRuns,
//!     filter: Some(Filter::compare("nominalHours", CompareOp::Gt, 0_i64)),
//!     group_by: vec![GroupKey::bucketed("startDate", Bucket::Year)],
//!     measures: vec!["nominalHours".into()],
//! };
//! let runs = [Run { start: "2023-02-01", hours: 160 }, Run { start: "2023-09-01", hours: 240 },
//!             Run { start: "2024-01-08", hours: 0 }];
//! let mut totals = Accumulator::new(&request);
//! for run in &runs {
//!     totals.add(run).unwrap();
//! }
//! let answer = totals.finish();
//! assert_eq!(answer.groups.len(), 1);
//! assert_eq!(answer.groups[0].key, vec![Some(Literal::Int(2023))]);
//! assert_eq!(answer.groups[0].count, 2);
//! assert_eq!(answer.groups[0].measures[0].sum, 400.0);
//! ```
//!
//! Groups are keyed by the values of the [`GroupKey`]s, `null` included (records without a
//! value form their own group). A list-valued field (`fundingScheme`, `occupationCode`) groups
//! by its first element, the primary one, so that every record is counted exactly once and the
//! groups add up to the total. Measures are numeric fields; each group reports, per measure, how
//! many records had a value and their sum, minimum and maximum, from which the gateway derives
//! averages. These parts merge across providers exactly (sums of sums, least of minima), which
//! is why adapters answer them rather than averages. Small-cell suppression is the gateway's
//! job, after merging: adapters answer exact counts.

mod accumulate;
mod fact;

use serde::{Deserialize, Serialize};

pub use accumulate::{bucket, Accumulator};
pub use fact::{months_between, EnrollmentFact, Related};

use crate::filter::FilterError;
use crate::query::{Collection, Filter, Literal};

/// What an aggregate summarises: a collection's own records, or (for enrollments) each
/// enrollment joined with its run, course, centre, participant and outcome ([`EnrollmentFact`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AggregateView {
    /// [`EnrollmentFact`]s: one per enrollment, with the dimensions analysts group by.
    Enrollments,
    /// [`Participant`]s.
    Participants,
    /// [`CourseRun`]s.
    CourseRuns,
    /// [`Course`]s.
    Courses,
    /// [`TrainingCenter`]s.
    TrainingCenters,
}

impl AggregateView {
    /// Every view.
    pub const ALL: &'static [AggregateView] = &[
        AggregateView::Enrollments,
        AggregateView::Participants,
        AggregateView::CourseRuns,
        AggregateView::Courses,
        AggregateView::TrainingCenters,
    ];

    /// The collection whose records the view summarises.
    pub fn collection(self) -> Collection {
        match self {
            AggregateView::Enrollments => Collection::Enrollments,
            AggregateView::Participants => Collection::Participants,
            AggregateView::CourseRuns => Collection::CourseRuns,
            AggregateView::Courses => Collection::Courses,
            AggregateView::TrainingCenters => Collection::TrainingCenters,
        }
    }

    /// The fields a filter or a group key may name.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            AggregateView::Enrollments => EnrollmentFact::FIELDS,
            view => view.collection().fields(),
        }
    }

    /// The numeric fields a measure may name.
    pub fn numeric_fields(self) -> &'static [&'static str] {
        match self {
            AggregateView::Enrollments => &["finalScore", "attendancePercent", "monthsToOutcome"],
            AggregateView::Participants => &["birthYear"],
            AggregateView::CourseRuns => &["fiscalYear"],
            AggregateView::Courses | AggregateView::TrainingCenters => &[],
        }
    }
}

/// Summarise the records of a view that match `filter`, per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AggregateRequest {
    /// What is summarised.
    pub view: AggregateView,
    /// Only records matching this filter, if set.
    #[serde(default)]
    pub filter: Option<Filter>,
    /// The group keys, most significant first; none: one group of everything.
    #[serde(default)]
    pub group_by: Vec<GroupKey>,
    /// Numeric fields to summarise in each group.
    #[serde(default)]
    pub measures: Vec<String>,
}

impl AggregateRequest {
    /// Check field names and literals before anything runs.
    pub fn validate(&self) -> Result<(), FilterError> {
        let fields = self.view.fields();
        if let Some(filter) = &self.filter {
            crate::filter::validate_filter(filter, fields)?;
        }
        for key in &self.group_by {
            if !fields.contains(&key.field.as_str()) {
                return Err(FilterError::UnknownField(key.field.clone()));
            }
        }
        for measure in &self.measures {
            if !self.view.numeric_fields().contains(&measure.as_str()) {
                return Err(FilterError::UnknownField(measure.clone()));
            }
        }
        Ok(())
    }
}

/// One group key: a field, optionally coarsened.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GroupKey {
    /// Unified field name.
    pub field: String,
    /// How the value is coarsened before grouping, if at all.
    #[serde(default)]
    pub bucket: Option<Bucket>,
}

impl GroupKey {
    /// Group by the field's value.
    pub fn field(field: &str) -> Self {
        Self {
            field: field.to_owned(),
            bucket: None,
        }
    }

    /// Group by a coarsened value of the field.
    pub fn bucketed(field: &str, bucket: Bucket) -> Self {
        Self {
            field: field.to_owned(),
            bucket: Some(bucket),
        }
    }
}

/// Coarsening of a group key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Bucket {
    /// The year of an ISO date, as a number (`2023`).
    Year,
    /// The month of an ISO date, as text (`2023-04`).
    Month,
    /// The province of a region code (`36` for `36.02.13`).
    Province,
    /// The regency/city of a region code (`36.02` for `36.02.13`).
    Regency,
}

/// An adapter's summary: one entry per non-empty group, in key order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AggregateResponse {
    /// The groups.
    pub groups: Vec<Group>,
}

/// The summary of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// The group's key values, one per [`GroupKey`], `null` for records without a value.
    pub key: Vec<Option<Literal>>,
    /// How many records are in the group.
    pub count: u64,
    /// One summary per requested measure, in the request's order.
    pub measures: Vec<Summary>,
}

/// The summary of one numeric field within a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// How many records had a value.
    pub count: u64,
    /// The sum of the values (0 when none).
    pub sum: f64,
    /// The least value, if any.
    pub min: Option<f64>,
    /// The greatest value, if any.
    pub max: Option<f64>,
}

impl Summary {
    /// Take one more value into account.
    pub fn add(&mut self, value: f64) {
        self.count += 1;
        self.sum += value;
        self.min = Some(self.min.map_or(value, |m| m.min(value)));
        self.max = Some(self.max.map_or(value, |m| m.max(value)));
    }

    /// Combine with the summary of other records.
    pub fn merge(&mut self, other: &Summary) {
        self.count += other.count;
        self.sum += other.sum;
        self.min = match (self.min, other.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max = match (self.max, other.max) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    /// The mean of the values, if any.
    pub fn avg(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }
}
