//! The `*_aggregate` root fields: counts, sums, averages, minima and maxima across providers,
//! overall and per group, with small cells withheld ([`crate::engine::disclosure`]).
//!
//! ```graphql
//! {
//!   enrollments_aggregate(
//!     where: { employmentStatusAtRegistration: { _eq: "LAID_OFF" }, regionCode: { _prefix: "36" } }
//!     group_by: [provider, field, outcomeStatus]
//!   ) {
//!     aggregate { count }
//!     groups { key { provider field outcomeStatus } aggregate { count avg { finalScore } } suppressed }
//!   }
//! }
//! ```
//!
//! Each view is declared once with [`aggregate_view!`], which makes its group-by enum, its key
//! and number objects, and the resolver behind the root field.

pub mod inputs;
mod summary;

use async_graphql::{Context, Result};
use simpul_schema::analytics::{AggregateRequest, AggregateView, Bucket, GroupKey, Summary};
use simpul_schema::{CompareOp, Filter, Literal};
use simpul_store::Scope;

use super::connection::call_log;
use super::error::{coded, report_failures};
use super::objects::engine;
use crate::config::Limits;
use crate::engine::disclosure::{protect, restrict_query_set, Cell, Protected};

pub use inputs::{AggregateHaving, EnrollmentFactBoolExp};
pub use summary::{outcome_summary, OutcomeSummary};

/// A group-key value in its GraphQL type.
pub trait KeyValue: Sized {
    /// Convert from the engine's key value.
    fn from_key(value: &Option<Literal>) -> Option<Self>;
}

impl KeyValue for String {
    fn from_key(value: &Option<Literal>) -> Option<Self> {
        match value {
            Some(Literal::Text(t)) => Some(t.clone()),
            Some(Literal::Int(i)) => Some(i.to_string()),
            Some(Literal::Float(f)) => Some(f.to_string()),
            Some(Literal::Bool(b)) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl KeyValue for i32 {
    fn from_key(value: &Option<Literal>) -> Option<Self> {
        match value {
            Some(Literal::Int(i)) => i32::try_from(*i).ok(),
            _ => None,
        }
    }
}

/// What an aggregate summarises: a view's records, or only those of them `base` selects (the
/// outcomes are the enrolments with a recorded outcome). `base` is part of the population the
/// query set is measured against, not of the caller's filter.
#[derive(Clone, Copy)]
struct Over {
    view: AggregateView,
    base: Option<fn() -> Filter>,
}

impl Over {
    const fn view(view: AggregateView) -> Self {
        Over { view, base: None }
    }

    /// `filter` and `base` together.
    fn narrow(self, filter: Option<Filter>) -> Option<Filter> {
        match (self.base.map(|base| base()), filter) {
            (Some(base), Some(filter)) => Some(Filter::And(vec![base, filter])),
            (base, filter) => base.or(filter),
        }
    }
}

/// Run one aggregate: translate, ask the engine, report failed providers, protect the cells
/// (and, with a filter, the query set: [`crate::engine::disclosure`]), apply `having`, and
/// note the request in the audit trail under `audited` (`Query.enrollments_aggregate`,
/// `CourseRun.outcomeSummary`). `measures` are the view's number fields in the order its
/// answer reads them, asked for only when the selection has sums, means or extremes.
async fn run(
    ctx: &Context<'_>,
    audited: &str,
    over: Over,
    measures: &[&str],
    filter: Option<Filter>,
    group_by: Vec<GroupKey>,
    having: Option<&AggregateHaving>,
) -> Result<Protected> {
    crate::access::require(ctx, Scope::AggregateRead, "aggregates")?;
    let view = over.view;
    let shape = audit_shape(audited, filter.as_ref(), &group_by, having);
    // An empty `where` selects everything: no query set to restrict.
    let filtered = filter
        .as_ref()
        .is_some_and(|f| !matches!(f, Filter::And(parts) if parts.is_empty()));
    let filter = crate::access::restrict(ctx, view.collection(), over.narrow(filter));
    // Sums, means and extremes cost the source a pass over each value: ask only when selected.
    let look = ctx.look_ahead();
    let numbers = [
        look.field("aggregate"),
        look.field("groups").field("aggregate"),
    ]
    .iter()
    .any(|fields| {
        ["sum", "avg", "min", "max"]
            .iter()
            .any(|n| fields.field(n).exists())
    });
    let measures = if numbers {
        measures.iter().map(|m| (*m).to_owned()).collect()
    } else {
        Vec::new()
    };
    let request = AggregateRequest {
        view,
        filter,
        measures,
        group_by,
    };
    let log = call_log(ctx);
    let engine = engine(ctx);
    // A filtered aggregate is measured against everything the caller can see: the view (and
    // its base), narrowed to a partner's provider. Counted while the aggregate runs.
    let population = async {
        if !filtered {
            return Ok(None);
        }
        let scope = crate::access::restrict(ctx, view.collection(), over.narrow(None));
        engine.population(view, scope, &log).await.map(Some)
    };
    let (answer, population) = tokio::join!(engine.aggregate(&request, &log), population);
    let answer = answer.map_err(|e| coded("BAD_USER_INPUT", e.to_string()))?;
    report_failures(ctx, &answer.failures);
    let threshold = ctx.data_unchecked::<Limits>().min_cell_size;
    let set: u64 = answer.groups.iter().map(|g| g.count).sum();
    let mut protected = protect(answer.groups, threshold);
    let population = population.map_err(|e| coded("BAD_USER_INPUT", e.to_string()))?;
    if let Some(population) = population {
        protected = restrict_query_set(protected, set, population, threshold);
    }
    if let Some(having) = having {
        let mut kept = Vec::with_capacity(protected.groups.len());
        for cell in protected.groups {
            if having.holds(cell.count)? {
                kept.push(cell);
            }
        }
        protected.groups = kept;
    }
    crate::access::caller(ctx)
        .trail
        .note_statistics(shape, protected.groups.len() as u64);
    Ok(protected)
}

/// What the audit log records of an aggregate request: its root field, the fields its filter
/// compares (`where.sex`, `where.enrollments.status`), its group keys and `having`; never a
/// value.
fn audit_shape(
    root: &str,
    filter: Option<&Filter>,
    group_by: &[GroupKey],
    having: Option<&AggregateHaving>,
) -> Vec<String> {
    fn fields(filter: &Filter, path: &str, out: &mut Vec<String>) {
        match filter {
            Filter::And(parts) | Filter::Or(parts) => {
                parts.iter().for_each(|p| fields(p, path, out));
            }
            Filter::Not(inner) => {
                out.push(format!("{path}._not"));
                fields(inner, path, out);
            }
            Filter::Compare { field, .. } => out.push(format!("{path}.{field}")),
            Filter::Related { relation, filter } => {
                fields(filter, &format!("{path}.{relation}"), out);
            }
        }
    }
    let mut shape = vec![root.to_owned()];
    if let Some(filter) = filter {
        fields(filter, "where", &mut shape);
    }
    shape.extend(group_by.iter().map(|k| match k.bucket {
        Some(bucket) => format!(
            "group_by.{}.{}",
            k.field,
            format!("{bucket:?}").to_lowercase()
        ),
        None => format!("group_by.{}", k.field),
    }));
    if having.is_some() {
        shape.push("having.count".into());
    }
    shape
}

/// The value of one summary part for a number field, unless withheld.
fn part(cell: &Cell, index: usize, pick: fn(&Summary) -> Option<f64>) -> Option<f64> {
    cell.measures.as_ref()?.get(index).and_then(pick)
}

/// Declares one aggregate view: its GraphQL types and the function its root field calls.
macro_rules! aggregate_view {
    (
        $over:expr, $run:ident,
        $aggregate:ident, $group:ident, $fields:ident, $numbers:ident, $key:ident, $group_by:ident,
        numbers { $($number:ident => $measure:literal),* $(,)? }
        keys { $($variant:ident / $key_field:ident : $key_ty:ty => $unified:literal $( @ $bucket:ident)?),+ $(,)? }
    ) => {
        /// What the groups can be keyed by.
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(rename_items = "camelCase")]
        pub enum $group_by {
            $(
                #[doc = concat!("`", $unified, "`", $(" by ", stringify!($bucket))?)]
                $variant,
            )+
        }

        impl $group_by {
            fn key(self) -> GroupKey {
                match self {
                    $($group_by::$variant => GroupKey {
                        field: $unified.to_owned(),
                        bucket: None $(.or(Some(Bucket::$bucket)))?,
                    },)+
                }
            }
        }

        /// The key of a group: the values of the `group_by` keys (null for the others, and for
        /// records without a value).
        #[derive(async_graphql::SimpleObject, Default, Debug)]
        pub struct $key {
            $(
                #[doc = concat!("`", $unified, "`", $(" by ", stringify!($bucket))?)]
                pub $key_field: Option<$key_ty>,
            )+
        }

        /// Numbers of one summary (sum, avg, min or max) per numeric field.
        #[derive(async_graphql::SimpleObject, Default, Debug)]
        pub struct $numbers {
            $(
                #[doc = concat!("`", $measure, "`")]
                pub $number: Option<f64>,
            )*
        }

        /// Count and numbers of a set of records; null when withheld.
        #[derive(async_graphql::SimpleObject, Debug)]
        pub struct $fields {
            /// Records (null when withheld as a small cell).
            pub count: Option<i64>,
            /// Sums.
            pub sum: $numbers,
            /// Means over the records with a value.
            pub avg: $numbers,
            /// Least values.
            pub min: $numbers,
            /// Greatest values.
            pub max: $numbers,
        }

        impl $fields {
            #[allow(unused_variables, clippy::redundant_field_names)]
            fn of(cell: &Cell) -> Self {
                let numbers = |pick: fn(&Summary) -> Option<f64>| {
                    let mut index = 0usize;
                    $(let $number = part(cell, index, pick); index += 1;)*
                    let _ = index;
                    $numbers { $($number: $number,)* }
                };
                Self {
                    count: cell.count.map(|c| c as i64),
                    sum: numbers(|s| (s.count > 0).then_some(s.sum)),
                    avg: numbers(Summary::avg),
                    min: numbers(|s| s.min),
                    max: numbers(|s| s.max),
                }
            }
        }

        /// One group.
        #[derive(async_graphql::SimpleObject, Debug)]
        pub struct $group {
            /// Its key.
            pub key: $key,
            /// Its count and numbers.
            pub aggregate: $fields,
            /// Whether this is the row of withheld groups (small cells, folded together without
            /// a key; its count shown only when it is large enough).
            pub suppressed: bool,
        }

        /// An aggregate across providers.
        #[derive(async_graphql::SimpleObject, Debug)]
        pub struct $aggregate {
            /// Every matching record together.
            pub aggregate: $fields,
            /// Per group, in key order (empty without `group_by`).
            pub groups: Vec<$group>,
            /// How many groups were withheld (folded into the last group, which has no key).
            pub suppressed_groups: i32,
            /// Why the whole answer was withheld, when it was: the filter selects fewer than
            /// `min_cell_size` records, or leaves out fewer than that of those the key can see.
            pub withheld_reason: Option<String>,
        }

        /// Resolve the root field of this view.
        pub async fn $run(
            ctx: &Context<'_>,
            filter: Option<Filter>,
            group_by: Option<Vec<$group_by>>,
            having: Option<&AggregateHaving>,
        ) -> Result<$aggregate> {
            let by: Vec<$group_by> = group_by.unwrap_or_default();
            let keys = by.iter().map(|k| k.key()).collect();
            let audited = format!("Query.{}", ctx.item.node.name.node);
            let measures: &[&str] = &[$($measure),*];
            let protected = run(ctx, &audited, $over, measures, filter, keys, having).await?;
            let groups: Vec<$group> = protected
                .groups
                .iter()
                .map(|cell| {
                    let mut key = $key::default();
                    for (which, value) in by.iter().zip(&cell.key) {
                        match which {
                            $($group_by::$variant => key.$key_field = KeyValue::from_key(value),)+
                        }
                    }
                    $group {
                        key,
                        aggregate: $fields::of(cell),
                        suppressed: cell.suppressed,
                    }
                })
                .collect();
            let threshold = ctx.data_unchecked::<Limits>().min_cell_size;
            Ok($aggregate {
                aggregate: $fields::of(&protected.total),
                suppressed_groups: i32::try_from(protected.withheld).unwrap_or(i32::MAX),
                withheld_reason: protected.reason.map(|r| r.explain(threshold)),
                groups,
            })
        }
    };
}

aggregate_view!(
    Over::view(AggregateView::Enrollments), enrollments,
    EnrollmentAggregate, EnrollmentAggregateGroup, EnrollmentAggregateFields,
    EnrollmentNumbers, EnrollmentGroupKey, EnrollmentGroupBy,
    numbers { final_score => "finalScore", attendance_percent => "attendancePercent", months_to_outcome => "monthsToOutcome" }
    keys {
        Provider / provider: String => "provider",
        Status / status: String => "status",
        Route / route: String => "route",
        TrainingCenterId / training_center_id: String => "trainingCenterId",
        CourseId / course_id: String => "courseId",
        Field / field: String => "field",
        OccupationCode / occupation_code: String => "occupationCode",
        FundingScheme / funding_scheme: String => "fundingScheme",
        Province / province: String => "regionCode" @ Province,
        Regency / regency: String => "regionCode" @ Regency,
        StartYear / start_year: i32 => "startDate" @ Year,
        StartMonth / start_month: String => "startDate" @ Month,
        FiscalYear / fiscal_year: i32 => "fiscalYear",
        Sex / sex: String => "sex",
        BirthYear / birth_year: i32 => "birthYear",
        DomicileProvince / domicile_province: String => "domicileRegencyCode" @ Province,
        DomicileRegency / domicile_regency: String => "domicileRegencyCode" @ Regency,
        EmploymentStatusAtRegistration / employment_status_at_registration: String => "employmentStatusAtRegistration",
        OutcomeStatus / outcome_status: String => "outcomeStatus",
    }
);

/// The outcome view: the enrolments whose outcome was recorded, with what they are joined with.
const OUTCOMES: Over = Over {
    view: AggregateView::Enrollments,
    base: Some(|| Filter::compare("outcomeStatus", CompareOp::IsNull, false)),
};

aggregate_view!(
    OUTCOMES, outcomes,
    OutcomeAggregate, OutcomeAggregateGroup, OutcomeAggregateFields,
    OutcomeNumbers, OutcomeGroupKey, OutcomeGroupBy,
    numbers { months_to_outcome => "monthsToOutcome" }
    keys {
        Provider / provider: String => "provider",
        Status / status: String => "outcomeStatus",
        MonthsToOutcome / months_to_outcome: i32 => "monthsToOutcome",
        TrainingCenterId / training_center_id: String => "trainingCenterId",
        CourseId / course_id: String => "courseId",
        Field / field: String => "field",
        OccupationCode / occupation_code: String => "occupationCode",
        FundingScheme / funding_scheme: String => "fundingScheme",
        Province / province: String => "regionCode" @ Province,
        Regency / regency: String => "regionCode" @ Regency,
        StartYear / start_year: i32 => "startDate" @ Year,
        FiscalYear / fiscal_year: i32 => "fiscalYear",
        Sex / sex: String => "sex",
        DomicileProvince / domicile_province: String => "domicileRegencyCode" @ Province,
        DomicileRegency / domicile_regency: String => "domicileRegencyCode" @ Regency,
        EmploymentStatusAtRegistration / employment_status_at_registration: String => "employmentStatusAtRegistration",
    }
);

aggregate_view!(
    Over::view(AggregateView::Participants), participants,
    ParticipantAggregate, ParticipantAggregateGroup, ParticipantAggregateFields,
    ParticipantNumbers, ParticipantGroupKey, ParticipantGroupBy,
    numbers { birth_year => "birthYear" }
    keys {
        Provider / provider: String => "provider",
        Sex / sex: String => "sex",
        BirthYear / birth_year: i32 => "birthYear",
        DomicileProvince / domicile_province: String => "domicileRegencyCode" @ Province,
        DomicileRegency / domicile_regency: String => "domicileRegencyCode" @ Regency,
        EmploymentStatusAtRegistration / employment_status_at_registration: String => "employmentStatusAtRegistration",
        Education / education: String => "education",
        NikValid / nik_valid: String => "nikValid",
    }
);

aggregate_view!(
    Over::view(AggregateView::CourseRuns), course_runs,
    CourseRunAggregate, CourseRunAggregateGroup, CourseRunAggregateFields,
    CourseRunNumbers, CourseRunGroupKey, CourseRunGroupBy,
    numbers { fiscal_year => "fiscalYear" }
    keys {
        Provider / provider: String => "provider",
        Status / status: String => "status",
        DeliveryMode / delivery_mode: String => "deliveryMode",
        FundingScheme / funding_scheme: String => "fundingScheme",
        Province / province: String => "regionCode" @ Province,
        Regency / regency: String => "regionCode" @ Regency,
        StartYear / start_year: i32 => "startDate" @ Year,
        StartMonth / start_month: String => "startDate" @ Month,
        FiscalYear / fiscal_year: i32 => "fiscalYear",
        TrainingCenterId / training_center_id: String => "trainingCenterId",
        CourseId / course_id: String => "courseId",
    }
);
