//! `SocialSecurityMembership`: one person's BPJS Ketenagakerjaan membership, Vokasi
//! eligibility and JKP standing, looked up by KPJ ([`lookup`]: `Query.socialSecurityMembership`,
//! `Participant.socialSecurity`). The lookup needs `bpjs:membership` and `pii:read` and is
//! audited; the employment and financial
//! fields are personal data (`pii:read`, `pii:specific` for money), noted in the audit row
//! when returned.

use async_graphql::{Context, Object, Result, SimpleObject};
use simpul_schema as model;
use simpul_store::Scope;

use super::participant::personal_noted;
use super::training_center::provider_of;
use super::{DataWarning, MembershipSegment, Provider};
use crate::graphql::scalars::{Date, DateTime};

/// A looked-up membership and the provider that knew it.
pub struct SocialSecurityMembership {
    /// The provider that answered.
    pub provider: std::sync::Arc<str>,
    /// What it said.
    pub record: model::SocialSecurityMembership,
}

/// Look a membership up by KPJ at the providers that look memberships up (BPJAMSOSTEK), for
/// `audited` (`Query.socialSecurityMembership`): needs `bpjs:membership` and `pii:read`, is
/// noted in the audit trail whether or not it finds anyone (never the KPJ), and refuses a KPJ
/// that is not 11 digits without repeating it.
pub async fn lookup(
    ctx: &Context<'_>,
    audited: &str,
    kpj: &str,
) -> Result<Option<SocialSecurityMembership>> {
    use crate::graphql::error::{coded, report_failures};
    let what = audited.rsplit('.').next().unwrap_or(audited);
    crate::access::require(ctx, Scope::BpjsMembership, what)?;
    crate::access::require(ctx, Scope::PiiRead, what)?;
    crate::access::caller(ctx).trail.note_lookup(audited);
    let kpj = kpj.trim();
    if kpj.len() != 11 || !kpj.bytes().all(|b| b.is_ascii_digit()) {
        return Err(coded(
            "BAD_USER_INPUT",
            "`kpj` must be 11 digits (the value is not repeated: it is personal data)",
        ));
    }
    let lookup = super::engine(ctx)
        .membership(kpj, &crate::graphql::connection::call_log(ctx))
        .await;
    report_failures(ctx, &lookup.failures);
    if lookup.asked == 0 {
        return Err(coded(
            "NOT_CONFIGURED",
            "no provider looks up social-security memberships",
        ));
    }
    Ok(lookup
        .found
        .map(|(provider, record)| SocialSecurityMembership { provider, record }))
}

/// A field of a looked-up membership in clear: `FORBIDDEN` without `scope`; its name noted in
/// the audit row when a value is returned (the lookup itself is the audited record).
fn guarded<T>(ctx: &Context<'_>, field: &str, scope: Scope, value: Option<T>) -> Result<Option<T>> {
    personal_noted(ctx, field, scope, value, |trail| trail.note_field(field))
}

/// BPJS Ketenagakerjaan membership and Vokasi eligibility of one person, as of `checkedAt`.
#[Object]
impl SocialSecurityMembership {
    /// The provider that answered (the agency's adapter).
    async fn provider(&self, ctx: &Context<'_>) -> Result<Provider> {
        provider_of(ctx, &self.provider)
    }
    /// Membership segment.
    async fn segment(&self) -> Option<MembershipSegment> {
        self.record.segment.map(Into::into)
    }
    /// Whether the membership is active.
    async fn active(&self) -> bool {
        self.record.active
    }
    /// First day of membership (employment data).
    async fn member_since(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        let value = self.record.member_since.map(Date);
        guarded(
            ctx,
            "SocialSecurityMembership.memberSince",
            Scope::PiiRead,
            value,
        )
    }
    /// Months of contributions paid in all (financial data: specific).
    async fn contribution_months(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        let value = self.record.contribution_months;
        let field = "SocialSecurityMembership.contributionMonths";
        guarded(ctx, field, Scope::PiiSpecific, value)
    }
    /// The last month paid, `YYYY-MM` (financial data: specific).
    async fn last_contribution_month(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let value = self.record.last_contribution_month.clone();
        let field = "SocialSecurityMembership.lastContributionMonth";
        guarded(ctx, field, Scope::PiiSpecific, value)
    }
    /// The agency's verdict on joining the Vokasi programme.
    async fn vokasi_eligible(&self) -> Option<bool> {
        self.record.vokasi_eligible
    }
    /// Why not, as the agency words it.
    async fn ineligibility_reasons(&self) -> &[String] {
        &self.record.ineligibility_reasons
    }
    /// Job-loss insurance (JKP) standing.
    async fn jkp(&self) -> Option<JkpStatus> {
        self.record.jkp.as_ref().map(|j| JkpStatus {
            registered: j.registered,
            contribution_months_last24: j.contribution_months_last24,
            meets_contribution_rule: j.meets_contribution_rule,
        })
    }
    /// When the agency checked (null when its record does not say; then warned).
    async fn checked_at(&self) -> Option<DateTime> {
        self.record.checked_at.map(DateTime)
    }
    /// Data-quality findings (no values inside).
    async fn warnings(&self) -> Vec<DataWarning> {
        super::warnings(&self.record.warnings)
    }
}

/// Job-loss insurance (JKP) standing.
#[derive(SimpleObject)]
pub struct JkpStatus {
    /// Registered for JKP (wage earners only).
    registered: bool,
    /// Contribution months in the last 24.
    contribution_months_last24: Option<i32>,
    /// At least 12 of the last 24 months: the rule for JKP's benefits and its training.
    meets_contribution_rule: Option<bool>,
}
