//! `GET /v1/peserta/{kpj}` → [`SocialSecurityMembership`], the SDL's `SocialSecurityMembership`
//! (UNIFIED.md §5, `Participant.socialSecurity` / `Query.socialSecurityMembership`).
//!
//! The unified Rust model has no such type yet, so it lives here; the adapter exposes it
//! through [`crate::BpjamsostekAdapter::membership`] and keeps the last check per participant
//! for when `Participant.socialSecurity` arrives. The verdict is as of `checkedAt`, not as of
//! any enrolment.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use simpul_schema::DataWarning;

use super::values::{codes::*, *};
use crate::wire::Kepesertaan;

/// Membership segment (`segmenKepesertaan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MembershipSegment {
    /// Penerima Upah (wage earner).
    Pu,
    /// Bukan Penerima Upah (non-wage, informal).
    Bpu,
    /// Jasa Konstruksi (construction).
    Jakon,
    /// Pekerja Migran Indonesia (migrant worker).
    Pmi,
}

/// `segmenKepesertaan`.
pub const SEGMENTS: &[(&str, MembershipSegment)] = &[
    ("PU", MembershipSegment::Pu),
    ("BPU", MembershipSegment::Bpu),
    ("JAKON", MembershipSegment::Jakon),
    ("PMI", MembershipSegment::Pmi),
];

/// The simplified, synthetic JKP (job-loss insurance) view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JkpStatus {
    /// Registered for JKP (PU segment only).
    pub registered: bool,
    /// Contribution months in the last 24 (0 when inactive).
    pub contribution_months_last24: Option<i32>,
    /// At least 12 of the last 24 months.
    pub meets_contribution_rule: Option<bool>,
}

/// BPJS Ketenagakerjaan membership and Vokasi eligibility of one person, as of `checked_at`.
/// Personal data (employment, financial): only for callers allowed to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialSecurityMembership {
    /// Segment; `None` when the API's value is unknown (warned).
    pub segment: Option<MembershipSegment>,
    /// `statusKepesertaan` = `AKTIF`.
    pub active: bool,
    /// `tanggalKepesertaan`.
    pub member_since: Option<NaiveDate>,
    /// `bulanIuran`, total months paid (≥ 0).
    pub contribution_months: Option<i32>,
    /// `iuranTerakhir`, `YYYY-MM`.
    pub last_contribution_month: Option<String>,
    /// `eligibleVokasi`.
    pub vokasi_eligible: Option<bool>,
    /// `alasanTidakEligible`, verbatim.
    pub ineligibility_reasons: Vec<String>,
    /// `jkp`.
    pub jkp: Option<JkpStatus>,
    /// `diperiksaPada`, normalised to `+07:00`.
    pub checked_at: Option<DateTime<FixedOffset>>,
    /// Data-quality findings (no values).
    pub warnings: Vec<DataWarning>,
}

/// Map one membership record.
pub fn map_membership(k: &Kepesertaan) -> SocialSecurityMembership {
    let mut w = Vec::new();
    let segment = vocab(
        k.segmen_kepesertaan.as_ref(),
        SEGMENTS,
        "segment",
        "segmenKepesertaan",
        &mut w,
    );
    let active = vocab(
        k.status_kepesertaan.as_ref(),
        &[("AKTIF", true), ("NONAKTIF", false)],
        "active",
        "statusKepesertaan",
        &mut w,
    )
    .unwrap_or(false);
    let contribution_months = match k.bulan_iuran {
        Some(n) if n >= 0 => i32::try_from(n).ok(),
        Some(_) => {
            w.push(DataWarning::new(
                VALUE_OUT_OF_RANGE,
                "contributionMonths",
                "`bulanIuran` is negative; set to null",
            ));
            None
        }
        None => None,
    };
    let last_contribution_month = text(k.iuran_terakhir.as_ref()).and_then(|m| {
        let ok = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok() && m.len() == 7;
        if !ok {
            w.push(DataWarning::new(
                DATE_INVALID,
                "lastContributionMonth",
                "`iuranTerakhir` is not a YYYY-MM month; set to null",
            ));
        }
        ok.then_some(m)
    });
    if let (Some(eligible), Some(months)) = (k.eligible_vokasi, contribution_months) {
        if eligible != (months >= 12) {
            w.push(DataWarning::new(
                VALUE_CONFLICT,
                "vokasiEligible",
                "`eligibleVokasi` disagrees with the rule bulanIuran >= 12; the API's verdict is kept",
            ));
        }
    }
    let checked_at = timestamp(
        k.diperiksa_pada.as_ref(),
        "checkedAt",
        "diperiksaPada",
        &mut w,
    );
    SocialSecurityMembership {
        segment,
        active,
        member_since: date(
            k.tanggal_kepesertaan.as_ref(),
            "memberSince",
            "tanggalKepesertaan",
            &mut w,
        ),
        contribution_months,
        last_contribution_month,
        vokasi_eligible: k.eligible_vokasi,
        ineligibility_reasons: k
            .alasan_tidak_eligible
            .iter()
            .flatten()
            .filter_map(|r| text(Some(r)))
            .collect(),
        jkp: k.jkp.as_ref().map(|j| JkpStatus {
            registered: j.terdaftar.unwrap_or(false),
            contribution_months_last24: j
                .masa_iur_24_bulan
                .and_then(|n| i32::try_from(n).ok())
                .filter(|n| (0..=24).contains(n)),
            meets_contribution_rule: j.memenuhi_syarat_masa_iur,
        }),
        checked_at,
        warnings: w,
    }
}
