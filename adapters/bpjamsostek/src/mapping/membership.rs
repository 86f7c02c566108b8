//! `GET /v1/peserta/{kpj}` → [`SocialSecurityMembership`], the SDL's `SocialSecurityMembership`
//! (UNIFIED.md §5, `Participant.socialSecurity` / `Query.socialSecurityMembership`).
//!
//! The adapter answers `AdapterRequest::Membership` with it (the gateway's
//! `socialSecurityMembership(kpj:)`), through [`crate::BpjamsostekAdapter::membership`], which
//! keeps each check for a while. The verdict is as of `checkedAt`, not as of any enrolment.

use chrono::NaiveDate;
use simpul_schema::DataWarning;

use super::values::{codes::*, *};
use crate::wire::Kepesertaan;

pub use simpul_schema::{JkpStatus, MembershipSegment, SocialSecurityMembership};

/// `segmenKepesertaan`.
pub const SEGMENTS: &[(&str, MembershipSegment)] = &[
    ("PU", MembershipSegment::Pu),
    ("BPU", MembershipSegment::Bpu),
    ("JAKON", MembershipSegment::Jakon),
    ("PMI", MembershipSegment::Pmi),
];

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
