//! Organisations and what they offer: `lembaga-mitra` → [`TrainingCenter`] and its PKS
//! [`Partnership`]; `program-vokasi` → one [`Course`] and one [`CourseRun`] per programme, with
//! the same local key (UNIFIED.md §5).

use std::collections::{HashMap, HashSet};

use simpul_schema::reference::occupations;
use simpul_schema::{
    Address, ContactPoint, Course, CourseRun, CourseRunStatus, DataWarning, DeliveryMode,
    FundingSchemeCode, InstitutionType, License, LicenseKind, Money, Partnership, PartnershipKind,
    PartyRef, SourceIssue, TargetGroup, TrainingCenter, TrainingField, TrainingType,
};

use super::values::{codes::*, *};
use super::{dedupe, issue};
use crate::error::Endpoint;
use crate::wire::{LembagaMitra, ProgramVokasi};

/// BPJAMSOSTEK's own name as a party to every PKS.
pub const BPJAMSOSTEK_PARTY: &str = "BPJS Ketenagakerjaan (BPJAMSOSTEK)";

/// `jenisLembaga` (`BLK` is decided by name, see [`institution_type`]).
pub const INSTITUTION_TYPES: &[(&str, InstitutionType)] = &[
    ("LPK", InstitutionType::Lpk),
    ("LKP", InstitutionType::Lkp),
    ("LSP", InstitutionType::Lsp),
    ("BLK", InstitutionType::Other),
    ("LAINNYA", InstitutionType::Other),
];

/// `statusKemitraan` → `TrainingCenter.active`.
pub const PARTNER_STATUSES: &[(&str, bool)] = &[
    ("AKTIF", true),
    ("NONAKTIF", false),
    ("DITANGGUHKAN", false),
];

/// `skemaProgram`.
pub const SCHEMES: &[(&str, FundingSchemeCode)] = &[
    ("VOKASI_2019", FundingSchemeCode::Vokasi2019),
    (
        "VOKASI_INDONESIA_PEKERJA",
        FundingSchemeCode::VokasiIndonesiaPekerja,
    ),
];

/// `metodePelatihan`.
pub const METHODS: &[(&str, DeliveryMode)] = &[
    ("LURING", DeliveryMode::InPerson),
    ("DARING", DeliveryMode::Online),
    ("CAMPURAN", DeliveryMode::Blended),
];

/// `sasaran[]`.
pub const TARGET_GROUPS: &[(&str, TargetGroup)] = &[
    ("KORBAN_PHK", TargetGroup::LaidOff),
    ("PEKERJA_AKTIF", TargetGroup::Employed),
    ("PEKERJA_INFORMAL", TargetGroup::Informal),
    ("PEKERJA_MIGRAN", TargetGroup::Migrant),
];

/// Programme `status`.
pub const RUN_STATUSES: &[(&str, CourseRunStatus)] = &[
    ("DIBUKA", CourseRunStatus::Open),
    ("BERJALAN", CourseRunStatus::Running),
    ("SELESAI", CourseRunStatus::Completed),
    ("DIBATALKAN", CourseRunStatus::Cancelled),
];

/// The local key of a partner's PKS: `LM-0001/pks`.
pub fn partnership_id(lembaga_id: &str) -> String {
    format!("{lembaga_id}/pks")
}

/// Whether a partner meets the Vokasi partner rule: a Disnaker licence and at least one year
/// of experience when the PKS was signed (`meetsVokasiPartnerCriteria`).
pub fn meets_partner_criteria(l: &LembagaMitra) -> bool {
    has_licence(l) && l.pengalaman_tahun.is_some_and(|y| y >= 1)
}

fn has_licence(l: &LembagaMitra) -> bool {
    l.izin_disnaker
        .as_ref()
        .is_some_and(|i| text(i.nomor_izin.as_ref()).is_some())
}

/// `jenisLembaga` → institution type: LPK/LKP/LSP as such; `BLK` → `BLKK` when the name says
/// "BLK Komunitas" (a heuristic, with a warning), else `OTHER`; `LAINNYA` and unknown values →
/// `OTHER` (unknown with a warning).
pub fn institution_type(l: &LembagaMitra, w: &mut Vec<DataWarning>) -> InstitutionType {
    let Some(raw) = text(l.jenis_lembaga.as_ref()) else {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "institutionType",
            "`jenisLembaga` is absent; OTHER used",
        ));
        return InstitutionType::Other;
    };
    let named_community = l
        .nama_lembaga
        .as_deref()
        .is_some_and(|n| n.to_lowercase().contains("blk komunitas"));
    if raw == "BLK" && named_community {
        w.push(DataWarning::new(
            INSTITUTION_TYPE_INFERRED,
            "institutionType",
            "`jenisLembaga` BLK with \"BLK Komunitas\" in the name read as BLKK (heuristic)",
        ));
        return InstitutionType::Blkk;
    }
    vocab(
        Some(&raw),
        INSTITUTION_TYPES,
        "institutionType",
        "jenisLembaga",
        w,
    )
    .unwrap_or(InstitutionType::Other)
}

/// One partner → a training centre.
pub fn training_center(l: &LembagaMitra) -> TrainingCenter {
    let mut w = Vec::new();
    let name = text(l.nama_lembaga.as_ref()).unwrap_or_else(|| {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "name",
            "`namaLembaga` is absent; the id is shown instead",
        ));
        l.lembaga_id.clone()
    });
    let institution_type = institution_type(l, &mut w);
    let address = l.alamat.as_ref().map(|a| Address {
        street_address: text(a.jalan.as_ref()),
        region_code: region_code(
            a.kode_wilayah.as_ref(),
            "address.regionCode",
            "alamat.kodeWilayah",
            &mut w,
        ),
    });
    let licenses = l
        .izin_disnaker
        .iter()
        .filter(|_| has_licence(l))
        .map(|i| License {
            kind: LicenseKind::DisnakerOperatingLicense,
            number: text(i.nomor_izin.as_ref()),
            issuer: text(i.penerbit.as_ref()),
            issued_on: date(
                i.tanggal_terbit.as_ref(),
                "licenses.issuedOn",
                "izinDisnaker.tanggalTerbit",
                &mut w,
            ),
            valid_until: date(
                i.berlaku_sampai.as_ref(),
                "licenses.validUntil",
                "izinDisnaker.berlakuSampai",
                &mut w,
            ),
        })
        .collect();
    if !meets_partner_criteria(l) {
        let why = if !has_licence(l) {
            "no Disnaker operating licence (`izinDisnaker`)"
        } else {
            "`pengalamanTahun` is below the 1 year the rule requires"
        };
        w.push(DataWarning::new(
            PARTNER_RULE_VIOLATION,
            "meetsVokasiPartnerCriteria",
            format!("does not meet the Vokasi partner rule: {why}; record kept"),
        ));
    }
    if text(l.nomor_pks.as_ref()).is_none() && text(l.tanggal_pks.as_ref()).is_none() {
        w.push(DataWarning::new(
            PARTNERSHIP_MISSING,
            "partnerships",
            "no `nomorPks` nor `tanggalPks`: no PKS partnership recorded",
        ));
    }
    let contact = l.kontak.as_ref().and_then(|k| {
        let email = text(k.email.as_ref());
        let telephone = phone(k.telepon.as_ref(), "contact.telephone", &mut w);
        (email.is_some() || telephone.is_some()).then_some(ContactPoint { email, telephone })
    });
    let active = vocab(
        l.status_kemitraan.as_ref(),
        PARTNER_STATUSES,
        "active",
        "statusKemitraan",
        &mut w,
    );
    TrainingCenter {
        source_id: l.lembaga_id.clone(),
        name,
        alternate_names: Vec::new(),
        institution_type,
        sector: None,
        supervisor_id: None,
        address,
        founded_year: None,
        area_hectares: None,
        facilities: Vec::new(),
        fields: Vec::new(),
        licenses,
        years_of_experience: l
            .pengalaman_tahun
            .map(|y| i32::try_from(y).unwrap_or(if y < 0 { i32::MIN } else { i32::MAX })),
        meets_vokasi_partner_criteria: Some(meets_partner_criteria(l)),
        contact,
        active,
        warnings: w,
    }
}

/// Partners → training centres (a repeated `lembagaId` keeps the first, see `dedupe`).
pub fn map_training_centers(
    items: &[LembagaMitra],
    issues: &mut Vec<SourceIssue>,
) -> Vec<TrainingCenter> {
    dedupe(items, |l| &l.lembaga_id, Endpoint::LembagaMitra, issues)
        .into_iter()
        .map(|(l, dup)| {
            let mut tc = training_center(l);
            tc.warnings.extend(dup);
            tc
        })
        .collect()
}

/// Partners with a PKS number or date → one `PKS` partnership each (`LM-0001/pks`): parties
/// BPJAMSOSTEK and the partner, status = `statusKemitraan` verbatim. (Repeated partners are
/// reported once, by [`map_training_centers`].)
pub fn map_partnerships(items: &[LembagaMitra]) -> Vec<Partnership> {
    dedupe(
        items,
        |l| &l.lembaga_id,
        Endpoint::LembagaMitra,
        &mut Vec::new(),
    )
    .into_iter()
    .filter(|(l, _)| text(l.nomor_pks.as_ref()).is_some() || text(l.tanggal_pks.as_ref()).is_some())
    .map(|(l, _)| {
        let mut w = Vec::new();
        let signed_on = date(l.tanggal_pks.as_ref(), "signedOn", "tanggalPks", &mut w);
        Partnership {
            source_id: partnership_id(&l.lembaga_id),
            kind: PartnershipKind::Pks,
            parties: vec![
                PartyRef {
                    name: BPJAMSOSTEK_PARTY.to_owned(),
                    training_center_id: None,
                    kind: Some("SOCIAL_SECURITY_AGENCY".to_owned()),
                },
                PartyRef {
                    name: text(l.nama_lembaga.as_ref()).unwrap_or_else(|| l.lembaga_id.clone()),
                    training_center_id: Some(l.lembaga_id.clone()),
                    kind: text(l.jenis_lembaga.as_ref()),
                },
            ],
            document_number: text(l.nomor_pks.as_ref()),
            signed_on,
            valid_from: None,
            valid_until: None,
            place: None,
            scope: None,
            contribution: None,
            status: text(l.status_kemitraan.as_ref()),
            warnings: w,
        }
    })
    .collect()
}

/// Programmes → courses and runs (same local key). A programme whose `lembagaId` is not among
/// `centers` is skipped with an issue (its course would have no centre).
pub fn map_courses_and_runs(
    items: &[ProgramVokasi],
    centers: &[TrainingCenter],
    partnerships: &[Partnership],
    issues: &mut Vec<SourceIssue>,
) -> (Vec<Course>, Vec<CourseRun>) {
    let known: HashSet<&str> = centers.iter().map(|c| c.source_id.as_str()).collect();
    let pks: HashMap<&str, &str> = partnerships
        .iter()
        .filter_map(|p| {
            let centre = p
                .parties
                .iter()
                .find_map(|x| x.training_center_id.as_deref())?;
            Some((centre, p.source_id.as_str()))
        })
        .collect();
    let mut courses = Vec::new();
    let mut runs = Vec::new();
    for (p, dup) in dedupe(items, |p| &p.program_id, Endpoint::ProgramVokasi, issues) {
        let Some(centre) = text(p.lembaga_id.as_ref()).filter(|id| known.contains(id.as_str()))
        else {
            issues.push(
                issue(
                    "REFERENCE_NOT_FOUND",
                    Endpoint::ProgramVokasi,
                    format!(
                        "programme `{}`: its lembagaId is absent or not served by {}; skipped",
                        p.program_id,
                        Endpoint::LembagaMitra
                    ),
                )
                .with_key(p.program_id.as_str()),
            );
            continue;
        };
        let mut course = course(p, &centre);
        course.warnings.extend(dup.clone());
        let mut run = run(p, &centre);
        run.warnings.extend(dup);
        run.partnership_ids = pks
            .get(centre.as_str())
            .map(|id| (*id).to_owned())
            .into_iter()
            .collect();
        courses.push(course);
        runs.push(run);
    }
    (courses, runs)
}

/// A programme as a course.
pub fn course(p: &ProgramVokasi, centre: &str) -> Course {
    let mut w = Vec::new();
    let name = text(p.nama_program.as_ref()).unwrap_or_else(|| {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "name",
            "`namaProgram` is absent; the id is shown instead",
        ));
        p.program_id.clone()
    });
    let mut target_groups = Vec::new();
    for raw in p.sasaran.iter().flatten() {
        if let Some(g) = vocab(Some(raw), TARGET_GROUPS, "targetGroups", "sasaran", &mut w) {
            if !target_groups.contains(&g) {
                target_groups.push(g);
            }
        }
    }
    let only_laid_off = p
        .sasaran
        .as_ref()
        .is_some_and(|s| !s.is_empty() && s.iter().all(|x| x.trim() == "KORBAN_PHK"));
    let occupation_codes = match text(p.kode_kbji.as_ref()) {
        None => Vec::new(),
        Some(code) if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) => {
            if !occupations().contains_key(&code) {
                w.push(DataWarning::new(
                    OCCUPATION_UNKNOWN,
                    "occupationCode",
                    format!("KBJI code {code} is not in the occupation table; kept"),
                ));
            }
            vec![code]
        }
        Some(_) => {
            w.push(DataWarning::new(
                VALUE_INVALID,
                "occupationCode",
                "`kodeKbji` is not a 4-digit KBJI code; ignored",
            ));
            Vec::new()
        }
    };
    Course {
        source_id: p.program_id.clone(),
        name,
        course_code: None,
        program_id: None,
        training_center_id: centre.to_owned(),
        field: text(p.bidang.as_ref()).map(|name| TrainingField { code: None, name }),
        // Heuristic (UNIFIED.md §5): a programme only for laid-off workers reskills them.
        training_type: only_laid_off.then_some(TrainingType::Reskilling),
        target_groups,
        occupation_codes,
        warnings: w,
    }
}

/// A programme as its single run.
pub fn run(p: &ProgramVokasi, centre: &str) -> CourseRun {
    let mut w = Vec::new();
    let start_date = date(
        p.tanggal_mulai.as_ref(),
        "startDate",
        "tanggalMulai",
        &mut w,
    );
    let mut end_date = date(
        p.tanggal_selesai.as_ref(),
        "endDate",
        "tanggalSelesai",
        &mut w,
    );
    if start_date.zip(end_date).is_some_and(|(s, e)| e < s) {
        w.push(DataWarning::new(
            VALUE_OUT_OF_RANGE,
            "endDate",
            "`tanggalSelesai` is before `tanggalMulai`; end date set to null",
        ));
        end_date = None;
    }
    let status = vocab(p.status.as_ref(), RUN_STATUSES, "status", "status", &mut w)
        .unwrap_or(CourseRunStatus::Unknown);
    let funding_schemes = text(p.skema_program.as_ref())
        .map(|raw| {
            vocab(
                Some(&raw),
                SCHEMES,
                "fundingSchemes",
                "skemaProgram",
                &mut w,
            )
            .unwrap_or(FundingSchemeCode::Other)
        })
        .into_iter()
        .collect();
    CourseRun {
        source_id: p.program_id.clone(),
        code: p.program_id.clone(),
        course_id: p.program_id.clone(),
        training_center_id: centre.to_owned(),
        start_date,
        end_date,
        status,
        delivery_mode: vocab(
            p.metode_pelatihan.as_ref(),
            METHODS,
            "deliveryMode",
            "metodePelatihan",
            &mut w,
        ),
        location_code: p.lokasi.as_ref().and_then(|l| {
            region_code(
                l.kode_wilayah.as_ref(),
                "regionCode",
                "lokasi.kodeWilayah",
                &mut w,
            )
        }),
        capacity: positive(p.kuota, "capacity", "kuota", &mut w),
        nominal_hours: positive(
            p.jumlah_jam_pelajaran,
            "nominalHours",
            "jumlahJamPelajaran",
            &mut w,
        ),
        fiscal_year: p.tahun_anggaran.and_then(|y| i32::try_from(y).ok()),
        cohort: None,
        cost_per_participant: p.biaya_per_peserta.as_ref().and_then(|b| cost(b, &mut w)),
        funding_schemes,
        partnership_ids: Vec::new(),
        instructor: None,
        description: text(p.deskripsi.as_ref()),
        warnings: w,
    }
}

/// `biayaPerPeserta`: whole rupiah ≥ 0 (0 is valid) in IDR; otherwise null plus a warning.
fn cost(b: &crate::wire::Biaya, w: &mut Vec<DataWarning>) -> Option<Money> {
    let currency_ok = text(b.mata_uang.as_ref()).is_none_or(|c| c == "IDR");
    if !currency_ok {
        w.push(DataWarning::new(
            VALUE_INVALID,
            "costPerParticipant",
            "`biayaPerPeserta.mataUang` is not IDR; set to null",
        ));
        return None;
    }
    match b.jumlah {
        Some(n) if n >= 0 => Some(Money::idr(n.unsigned_abs())),
        Some(_) => {
            w.push(DataWarning::new(
                VALUE_OUT_OF_RANGE,
                "costPerParticipant",
                "`biayaPerPeserta.jumlah` is negative; set to null",
            ));
            None
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lembaga(json: serde_json::Value) -> LembagaMitra {
        serde_json::from_value(json).expect("a LembagaMitra")
    }

    fn programme(json: serde_json::Value) -> ProgramVokasi {
        serde_json::from_value(json).expect("a ProgramVokasi")
    }

    #[test]
    fn absent_and_null_are_the_same_and_the_partner_rule_needs_both_parts() {
        let bare = lembaga(serde_json::json!({"lembagaId": "LM-0100"}));
        let nulls = lembaga(serde_json::json!({
            "lembagaId": "LM-0100", "namaLembaga": null, "jenisLembaga": null, "alamat": null,
            "izinDisnaker": null, "pengalamanTahun": null, "kontak": null, "statusKemitraan": null
        }));
        assert_eq!(training_center(&bare), training_center(&nulls));
        let tc = training_center(&bare);
        assert_eq!(tc.name, "LM-0100");
        assert_eq!(tc.institution_type, InstitutionType::Other);
        assert!(!meets_partner_criteria(&bare));
        let licensed = lembaga(serde_json::json!({
            "lembagaId": "LM-0101", "izinDisnaker": {"nomorIzin": "X/1"}, "pengalamanTahun": 1
        }));
        assert!(meets_partner_criteria(&licensed));
        let young = lembaga(serde_json::json!({
            "lembagaId": "LM-0102", "izinDisnaker": {"nomorIzin": "X/2"}, "pengalamanTahun": 0
        }));
        assert!(!meets_partner_criteria(&young));
        let blank_licence = lembaga(serde_json::json!({
            "lembagaId": "LM-0103", "izinDisnaker": {"nomorIzin": "  "}, "pengalamanTahun": 3
        }));
        assert!(!meets_partner_criteria(&blank_licence));
        assert!(training_center(&blank_licence).licenses.is_empty());
        // The served record carries the rule's verdict, broken or kept.
        for (partner, verdict) in [(&young, false), (&blank_licence, false), (&licensed, true)] {
            let served = training_center(partner);
            assert_eq!(served.meets_vokasi_partner_criteria, Some(verdict));
        }
    }

    #[test]
    fn repeated_partners_keep_the_first_and_are_reported() {
        let a = lembaga(serde_json::json!({"lembagaId": "LM-0001", "namaLembaga": "A"}));
        let b = lembaga(serde_json::json!({"lembagaId": "LM-0001", "namaLembaga": "B"}));
        let mut issues = Vec::new();
        let centres = map_training_centers(&[a.clone(), a, b], &mut issues);
        assert_eq!(centres.len(), 1);
        assert_eq!(centres[0].name, "A");
        assert_eq!(issues.len(), 2);
        let codes: Vec<_> = centres[0]
            .warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect();
        assert!(
            codes.ends_with(&[DUPLICATE_RECORD, DUPLICATE_KEY]),
            "{codes:?}"
        );
    }

    #[test]
    fn costs_currencies_and_codes() {
        let p = programme(serde_json::json!({
            "programId": "PV-2030-0001", "lembagaId": "LM-0001",
            "biayaPerPeserta": {"jumlah": 100, "mataUang": "USD"}, "kodeKbji": "83A3",
            "sasaran": ["KORBAN_PHK", "KORBAN_PHK"]
        }));
        let run = run(&p, "LM-0001");
        assert_eq!(run.cost_per_participant, None);
        assert!(run.warnings.iter().any(|w| w.code == VALUE_INVALID));
        assert_eq!(run.status, CourseRunStatus::Unknown);
        assert!(run.funding_schemes.is_empty());
        let course = course(&p, "LM-0001");
        assert!(course.occupation_codes.is_empty());
        assert_eq!(course.target_groups, [TargetGroup::LaidOff]);
        assert_eq!(course.training_type, Some(TrainingType::Reskilling));
        assert_eq!(course.name, "PV-2030-0001");
    }

    #[test]
    fn programmes_of_unknown_partners_are_skipped() {
        let p = programme(serde_json::json!({"programId": "PV-2030-0002", "lembagaId": "LM-0999"}));
        let mut issues = Vec::new();
        let (courses, runs) = map_courses_and_runs(&[p], &[], &[], &mut issues);
        assert!(courses.is_empty() && runs.is_empty());
        assert!(issues[0].reason.contains("PV-2030-0002"));
    }
}
