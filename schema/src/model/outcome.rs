//! `Outcome`: the latest observed post-training status of one enrolment.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{DataWarning, Money, OutcomeStatus};
use crate::filter::{FieldValue, Filterable};

/// The latest observed post-training status of one enrolment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The provider's key.
    pub source_id: String,
    /// Data-quality findings for this record.
    pub warnings: Vec<DataWarning>,
    /// Local key of the enrolment.
    pub enrollment_id: String,
    /// Unified status.
    pub status: OutcomeStatus,
    /// The provider's own value, verbatim.
    pub raw_status: String,
    /// When the status was observed.
    pub observed_at: Option<DateTime<FixedOffset>>,
    /// Employer, when employed.
    pub employer_name: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Dotted region code of the workplace.
    pub work_region_code: Option<String>,
    /// First day of the new job.
    pub employment_start_date: Option<NaiveDate>,
    /// Kind of business, when self-employed.
    pub business_type: Option<String>,
    /// Name or brand of the participant's own business, when self-employed (FK-BLKK).
    #[serde(default)]
    pub business_name: Option<String>,
    /// Monthly revenue (personal financial data); present only when the request asked for PII.
    pub monthly_revenue: Option<Money>,
    /// Where the observation came from (tracer study, participant report, ...).
    pub source: Option<String>,
}

impl Filterable for Outcome {
    const FIELDS: &'static [&'static str] = &[
        "sourceId",
        "status",
        "observedAt",
        "workRegionCode",
        "enrollmentId",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(&self.source_id),
            "status" => FieldValue::from(self.status.as_str()),
            "observedAt" => FieldValue::from(self.observed_at.map(|t| t.date_naive())),
            "workRegionCode" => FieldValue::from(self.work_region_code.as_ref()),
            "enrollmentId" => FieldValue::from(&self.enrollment_id),
            _ => return None,
        })
    }
}
