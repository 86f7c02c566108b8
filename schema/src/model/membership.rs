//! `SocialSecurityMembership`: one person's BPJS Ketenagakerjaan membership, their Vokasi
//! eligibility and JKP (job-loss insurance) standing, as the agency checked it. Looked up by
//! KPJ (`AdapterRequest::Membership`), never listed: all of it is personal data.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{DataWarning, MembershipSegment};

/// BPJS Ketenagakerjaan membership and Vokasi eligibility of one person, as of `checked_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SocialSecurityMembership {
    /// Segment; `None` when the source's value is unknown (warned).
    #[serde(default)]
    pub segment: Option<MembershipSegment>,
    /// Whether the membership is active.
    pub active: bool,
    /// First day of membership (employment data).
    #[serde(default)]
    pub member_since: Option<NaiveDate>,
    /// Months of contributions paid in all (financial data).
    #[serde(default)]
    pub contribution_months: Option<i32>,
    /// The last month paid, `YYYY-MM` (financial data).
    #[serde(default)]
    pub last_contribution_month: Option<String>,
    /// The agency's verdict on joining the Vokasi programme.
    #[serde(default)]
    pub vokasi_eligible: Option<bool>,
    /// Why not, verbatim.
    #[serde(default)]
    pub ineligibility_reasons: Vec<String>,
    /// Job-loss insurance standing.
    #[serde(default)]
    pub jkp: Option<JkpStatus>,
    /// When the agency checked, `+07:00`.
    #[serde(default)]
    pub checked_at: Option<DateTime<FixedOffset>>,
    /// Data-quality findings (no values inside).
    #[serde(default)]
    pub warnings: Vec<DataWarning>,
}

/// JKP (job-loss insurance) standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct JkpStatus {
    /// Registered for JKP (wage earners only).
    pub registered: bool,
    /// Contribution months in the last 24 (0 when inactive).
    #[serde(default)]
    pub contribution_months_last24: Option<i32>,
    /// At least 12 of the last 24 months: the rule for JKP's benefits and its training.
    #[serde(default)]
    pub meets_contribution_rule: Option<bool>,
}
