//! `OutcomeSummary`: what a run's or a centre's completers did after training (followed up,
//! employed, self-employed, still looking), as counts with the aggregates' disclosure rules: it
//! is one `enrollments_aggregate` of the completers grouped by outcome status, so a status
//! with fewer than `min_cell_size` people is withheld (and the counts it would let one derive),
//! and a run too small to hide anyone in is withheld whole. Needs `aggregate:read`.

use async_graphql::{Context, Result, SimpleObject};
use simpul_schema::analytics::{AggregateView, GroupKey};
use simpul_schema::{CompareOp, Filter, Literal};

use crate::engine::disclosure::Protected;

/// Post-training outcomes of a run's or a centre's completers (CTDL
/// `ceterms:EmploymentOutcomeProfile`). A count is null when it was withheld, or when a
/// withheld cell could hold part of it.
#[derive(SimpleObject, Debug, Default, PartialEq)]
pub struct OutcomeSummary {
    /// Enrolments completed.
    pub completed: Option<i32>,
    /// Completers whose outcome was recorded.
    pub followed_up: Option<i32>,
    /// Employed.
    pub employed: Option<i32>,
    /// Running a business of their own.
    pub self_employed: Option<i32>,
    /// Interviewing.
    pub interviewing: Option<i32>,
    /// Still looking for work.
    pub seeking_work: Option<i32>,
    /// Any other recorded status.
    pub other: Option<i32>,
    /// Employed or self-employed.
    pub jobs_obtained: Option<i32>,
    /// True when some counts were withheld because a cell was below the disclosure threshold.
    pub suppressed: bool,
    /// When the counts were taken (null: as of each provider's data).
    pub as_of: Option<crate::graphql::scalars::DateTime>,
}

/// The summary of the completers of the records `link` (a fact field: `courseRunId`,
/// `trainingCenterId`) equals `key` at `provider`, narrowed by `narrower` (the caller's `where`,
/// if any), audited as `audited` (`CourseRun.outcomeSummary`).
pub async fn outcome_summary(
    ctx: &Context<'_>,
    audited: &str,
    provider: &str,
    link: &str,
    key: &str,
    narrower: Option<Filter>,
) -> Result<OutcomeSummary> {
    let mut parts = vec![
        Filter::compare("provider", CompareOp::Eq, provider),
        Filter::compare(link, CompareOp::Eq, key),
        Filter::compare("status", CompareOp::Eq, "COMPLETED"),
    ];
    parts.extend(narrower);
    let filter = Filter::And(parts);
    let by_status = vec![GroupKey::field("outcomeStatus")];
    let protected = super::run(
        ctx,
        audited,
        super::Over::view(AggregateView::Enrollments),
        &[],
        Some(filter),
        by_status,
        None,
    )
    .await?;
    Ok(summarise(&protected))
}

/// Read the counts off the protected groups (one per outcome status, null: not followed up).
fn summarise(protected: &Protected) -> OutcomeSummary {
    let withheld = protected.withheld > 0 || protected.reason.is_some();
    let count = |n: u64| i32::try_from(n).ok();
    // A status without a visible group had no one, unless a withheld row could hold it.
    let status = |name: &str| -> Option<i32> {
        let visible = protected.groups.iter().find(|g| {
            !g.suppressed && matches!(g.key.first(), Some(Some(Literal::Text(t))) if t == name)
        });
        match visible {
            Some(cell) => cell.count.and_then(count),
            None if withheld => None,
            None => Some(0),
        }
    };
    let known = ["EMPLOYED", "SELF_EMPLOYED", "INTERVIEWING", "SEEKING_WORK"];
    let followed: Option<u64> = if withheld {
        None
    } else {
        Some(
            protected
                .groups
                .iter()
                .filter(|g| matches!(g.key.first(), Some(Some(_))))
                .filter_map(|g| g.count)
                .sum(),
        )
    };
    let other: Option<u64> = if withheld {
        None
    } else {
        Some(
            protected
                .groups
                .iter()
                .filter(|g| {
                    matches!(g.key.first(), Some(Some(Literal::Text(t))) if !known.contains(&t.as_str()))
                })
                .filter_map(|g| g.count)
                .sum(),
        )
    };
    let (employed, self_employed) = (status("EMPLOYED"), status("SELF_EMPLOYED"));
    OutcomeSummary {
        completed: protected.total.count.and_then(count),
        followed_up: followed.and_then(count),
        employed,
        self_employed,
        interviewing: status("INTERVIEWING"),
        seeking_work: status("SEEKING_WORK"),
        other: other.and_then(count),
        jobs_obtained: employed.zip(self_employed).map(|(a, b)| a + b),
        suppressed: withheld,
        as_of: None,
    }
}
