//! Certificates: `sertifikasi` → [`CredentialAward`] (one per row), with the [`Credential`] it
//! is an award of, following UNIFIED.md §4.
//!
//! - `Sertifikat Pelatihan`: a `TRAINING_CERTIFICATE` the centre issues for its course
//!   (`training/<kode_lembaga>/<kode_program>`, issuer the centre, named after the programme).
//!   UNIFIED.md's example key is `training/<kode_program>`; the centre is part of the key here
//!   because the issuer is part of the credential, and one programme runs at several centres.
//! - `Sertifikat Kompetensi`: a `COMPETENCY_CERTIFICATION` an LSP issues under its BNSP licence
//!   for a scheme (`competency/<kode_lsp>/<skema>`, issuer the LSP, recognised by BNSP, valid
//!   [`COMPETENCY_VALID_MONTHS`]).
//! - Either way the credential's occupations are the programme's KBJI code and its
//!   competencies the programme's units (`program_unit` → `unit_kompetensi`, in `urutan`
//!   order, the framework from `sumber_standar`): for a competency certification these are the
//!   units of the programme that prepared for the scheme, so two programmes preparing for one
//!   scheme with different unit lists would give awards of one credential different lists (the
//!   contract has no table of a scheme's own units).
//! - A programme with a `skema_sertifikasi` lists the same competency certification
//!   ([`competency_certification`], keyed by [`competency_key`]; see [`super::programs`] for
//!   how it finds the LSP).
//!
//! The certificate and registration numbers identify a person: they are read only when the
//! request asks for personal data. Warnings name columns and rules, never a number or a name.

use simpul_schema::{
    AssessmentResult, Competency, CompetencyFramework, Credential, CredentialAward,
    CredentialCategory, DataWarning,
};

use super::rows::AwardRow;
use super::values::{codes::*, *};

/// How long a competency certificate stays valid, in months: three years. The contract states
/// it as an *assumption* (BNSP certificates are commonly valid for three years; the database
/// records `berlaku_sampai` per award, which `validUntil` serves as stored).
pub const COMPETENCY_VALID_MONTHS: u32 = 36;

/// The body that recognises every competency certification.
pub const RECOGNIZED_BY: &str = "BNSP";

/// A `sertifikasi` row → an award of the kept enrolment.
pub fn map_award(row: AwardRow) -> CredentialAward {
    let mut w = Vec::new();
    if row.merged == Some(true) {
        w.push(DataWarning::new(
            DUPLICATE_KEY,
            "enrollment",
            "filed against a duplicate registration; attached to the kept one",
        ));
    }
    let raw_kind = opt_text(row.jenis_sertifikat.as_deref());
    if raw_kind.is_none() {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "credential.category",
            "`jenis_sertifikat` is empty; category UNKNOWN",
        ));
    }
    let category = CREDENTIAL_CATEGORY
        .map(raw_kind.as_deref(), "credential.category", &mut w)
        .unwrap_or(CredentialCategory::Unknown);
    let programme = nfc(&row.nama_program);
    let competency = category == CredentialCategory::CompetencyCertification;
    let scheme = if competency {
        let scheme = opt_text(row.skema_sertifikasi.as_deref());
        if scheme.is_none() {
            w.push(DataWarning::new(
                VALUE_MISSING,
                "credential.scheme",
                "a competency certificate without `skema_sertifikasi`",
            ));
        }
        scheme
    } else {
        None
    };
    if competency {
        match (&row.nama_lsp, row.id_lsp) {
            (None, None) => w.push(DataWarning::new(
                VALUE_MISSING,
                "credential.issuerName",
                "a competency certificate without `id_lsp`; issuer unknown",
            )),
            (None, Some(_)) => w.push(DataWarning::new(
                REFERENCE_MISSING,
                "credential.issuerName",
                "`id_lsp` names no `lsp` row; issuer unknown",
            )),
            (Some(_), _) => {}
        }
    }
    let assessment_result = ASSESSMENT_RESULT.map::<AssessmentResult>(
        row.rekomendasi.as_deref(),
        "assessmentResult",
        &mut w,
    );
    if competency && assessment_result.is_none() {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "assessmentResult",
            "a competency certificate without `rekomendasi`",
        ));
    }
    if assessment_result == Some(AssessmentResult::Competent) && row.has_number != Some(true) {
        w.push(DataWarning::new(
            VALUE_MISSING,
            "number",
            "a competent (K) result without `nomor_sertifikat`",
        ));
    }
    let assessed_on = date(row.tgl_uji.as_deref(), "assessedOn", "tgl_uji", &mut w);
    let issued = date(row.tgl_terbit.as_deref(), "issuedOn", "tgl_terbit", &mut w);
    let until = date(
        row.berlaku_sampai.as_deref(),
        "validUntil",
        "berlaku_sampai",
        &mut w,
    );
    let issued_on = after(
        assessed_on,
        issued,
        "issuedOn",
        "tgl_terbit",
        "tgl_uji",
        &mut w,
    );
    let valid_until = after(
        issued,
        until,
        "validUntil",
        "berlaku_sampai",
        "tgl_terbit",
        &mut w,
    );
    let competencies = units(row.units.as_deref(), "credential.competencies", &mut w);
    let kbji = row.kode_kbji.as_deref();
    let credential = match category {
        CredentialCategory::CompetencyCertification => competency_certification(
            row.credential_id,
            scheme,
            row.nama_lsp.as_deref().map(nfc),
            kbji,
            competencies,
        ),
        CredentialCategory::TrainingCertificate => Credential {
            source_id: row.credential_id,
            name: format!("Sertifikat Pelatihan {programme}"),
            category,
            scheme: None,
            issuer_name: Some(nfc(&row.nama_lembaga)),
            issuer_id: Some(row.kode_lembaga.clone()),
            recognized_by: Vec::new(),
            valid_for_months: None,
            occupation_codes: occupations(kbji),
            competencies,
        },
        CredentialCategory::Unknown => Credential {
            source_id: row.credential_id,
            name: format!("Sertifikat {programme}"),
            category,
            scheme: None,
            issuer_name: None,
            issuer_id: None,
            recognized_by: Vec::new(),
            valid_for_months: None,
            occupation_codes: occupations(kbji),
            competencies,
        },
    };
    CredentialAward {
        source_id: row.id_sertifikasi.to_string(),
        enrollment_id: Some(row.id_enrollment.to_string()),
        credential,
        number: opt_text(row.nomor_sertifikat.as_deref()),
        registration_number: opt_text(row.nomor_registrasi.as_deref()),
        assessment_result,
        assessed_on,
        issued_on,
        valid_until,
        warnings: w,
    }
}

/// The competency certification an LSP issues for `scheme` under its BNSP licence (`source_id`
/// as [`competency_key`] builds it): what every award of it carries, and what a programme
/// preparing for the scheme lists among its credentials ([`super::programs`]), so that the two
/// are one credential. `issuer_name` is the LSP's name when it is known; the occupations are
/// the programme's KBJI code, the competencies its units.
pub fn competency_certification(
    source_id: String,
    scheme: Option<String>,
    issuer_name: Option<String>,
    kode_kbji: Option<&str>,
    competencies: Vec<Competency>,
) -> Credential {
    Credential {
        source_id,
        name: match &scheme {
            Some(scheme) => format!("Sertifikat Kompetensi {scheme}"),
            None => "Sertifikat Kompetensi".to_owned(),
        },
        category: CredentialCategory::CompetencyCertification,
        scheme,
        issuer_name,
        issuer_id: None,
        recognized_by: vec![RECOGNIZED_BY.to_owned()],
        valid_for_months: Some(COMPETENCY_VALID_MONTHS),
        occupation_codes: occupations(kode_kbji),
        competencies,
    }
}

/// `Credential.sourceId` of a competency certification: `competency/<kode_lsp>/<skema>`, an
/// empty segment for an unknown LSP. `skema` is the raw `skema_sertifikasi`, trimmed of
/// spaces only (not normalised), as the SQL twin (`plans::credentials::competency_key`, which
/// keys the awards) reads it, so a programme's credential and its awards' share one key.
pub fn competency_key(kode_lsp: Option<&str>, skema: Option<&str>) -> String {
    format!(
        "competency/{}/{}",
        kode_lsp.unwrap_or_default(),
        skema.map(|s| s.trim_matches(' ')).unwrap_or_default()
    )
}

/// A credential's occupations: the programme's KBJI code, when it has one.
fn occupations(kode_kbji: Option<&str>) -> Vec<String> {
    opt_text(kode_kbji).into_iter().collect()
}

/// `end`, or `None` with `DATE_ORDER_INVALID` when it lies before `start` (the SQL twin is the
/// plan's `ordered`).
fn after(
    start: Option<chrono::NaiveDate>,
    end: Option<chrono::NaiveDate>,
    field: &str,
    column: &str,
    start_column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<chrono::NaiveDate> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            warnings.push(DataWarning::new(
                DATE_ORDER_INVALID,
                field,
                format!("`{column}` lies before `{start_column}`; set to null"),
            ));
            None
        }
        _ => end,
    }
}

/// A unit as the plan aggregates it: `[urutan, kode_unit, judul_unit, sumber_standar]`.
type UnitCells = (
    serde_json::Value,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The programme's units as the plan aggregates them (`plans::credentials::units_json`), in
/// `urutan` (then code) order, the framework from `sumber_standar`; warnings name `field`.
pub fn units(json: Option<&str>, field: &str, warnings: &mut Vec<DataWarning>) -> Vec<Competency> {
    let Some(json) = json else {
        return Vec::new();
    };
    let Ok(cells) = serde_json::from_str::<Vec<UnitCells>>(json) else {
        warnings.push(DataWarning::new(
            VALUE_INVALID,
            field,
            "the programme's `unit_kompetensi` list could not be read; left empty",
        ));
        return Vec::new();
    };
    let mut units: Vec<(Option<i64>, Competency)> = cells
        .into_iter()
        .map(|(order, code, title, standard)| {
            let framework = COMPETENCY_FRAMEWORK
                .map::<CompetencyFramework>(standard.as_deref(), field, warnings)
                .unwrap_or(CompetencyFramework::Other);
            let unit = Competency {
                code: opt_text(code.as_deref()).unwrap_or_default(),
                title: opt_text(title.as_deref()).unwrap_or_default(),
                framework,
            };
            (order.as_i64(), unit)
        })
        .collect();
    units.sort_by(|(a, x), (b, y)| (a, &x.code).cmp(&(b, &y.code)));
    units.into_iter().map(|(_, unit)| unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AwardRow {
        AwardRow {
            id_sertifikasi: 7,
            id_enrollment: 3,
            merged: Some(false),
            credential_id: "competency/LSP-X/Skema".into(),
            jenis_sertifikat: Some("Sertifikat Kompetensi".into()),
            id_lsp: Some(1),
            kode_lsp: Some("LSP-X".into()),
            nama_lsp: Some("LSP Contoh".into()),
            skema_sertifikasi: Some(" Skema ".into()),
            tgl_uji: Some("2024-01-10".into()),
            rekomendasi: Some("K ".into()),
            has_number: Some(true),
            nomor_sertifikat: None,
            nomor_registrasi: None,
            tgl_terbit: Some("2024-02-01".into()),
            berlaku_sampai: Some("2027-02-01".into()),
            kode_lembaga: "LBG".into(),
            nama_lembaga: "Balai".into(),
            nama_program: "Program".into(),
            kode_kbji: Some("7421".into()),
            units: Some(
                r#"[[2,"B.2","Dua","Khusus"],[1,"A.1","Satu","SKKNI"],[3,"C.3","Tiga","Lain"]]"#
                    .into(),
            ),
            total_count: 1,
        }
    }

    #[test]
    fn a_competency_certificate() {
        let award = map_award(row());
        let c = &award.credential;
        assert_eq!(c.category, CredentialCategory::CompetencyCertification);
        assert_eq!(c.scheme.as_deref(), Some("Skema"));
        assert_eq!(c.name, "Sertifikat Kompetensi Skema");
        assert_eq!(c.issuer_name.as_deref(), Some("LSP Contoh"));
        assert_eq!(c.issuer_id, None);
        assert_eq!(c.recognized_by, ["BNSP"]);
        assert_eq!(c.valid_for_months, Some(36));
        assert_eq!(c.occupation_codes, ["7421"]);
        let units: Vec<(&str, CompetencyFramework)> = c
            .competencies
            .iter()
            .map(|u| (u.code.as_str(), u.framework))
            .collect();
        assert_eq!(
            units,
            [
                ("A.1", CompetencyFramework::Skkni),
                ("B.2", CompetencyFramework::Special),
                ("C.3", CompetencyFramework::Other),
            ]
        );
        assert_eq!(award.assessment_result, Some(AssessmentResult::Competent));
        assert_eq!(award.enrollment_id.as_deref(), Some("3"));
        let codes: Vec<&str> = award.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["ENUM_UNKNOWN"], "the unknown `sumber_standar`");
    }

    #[test]
    fn bad_values_are_warnings_never_values() {
        let mut r = row();
        r.jenis_sertifikat = Some("Sertifikat Magang".into());
        r.rekomendasi = Some("X".into());
        r.tgl_terbit = Some("2023-12-01".into());
        r.berlaku_sampai = Some("2023-11-01".into());
        r.units = Some("not json".into());
        let award = map_award(r);
        assert_eq!(award.credential.category, CredentialCategory::Unknown);
        assert_eq!(award.credential.name, "Sertifikat Program");
        assert_eq!(award.credential.recognized_by, Vec::<String>::new());
        assert_eq!(award.assessment_result, Some(AssessmentResult::Unknown));
        assert_eq!(award.issued_on, None, "issued before the test");
        assert_eq!(award.valid_until, None, "valid until before issued");
        let codes: Vec<&str> = award.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "ENUM_UNKNOWN",
                "ENUM_UNKNOWN",
                "DATE_ORDER_INVALID",
                "DATE_ORDER_INVALID",
                "VALUE_INVALID"
            ]
        );
        for w in &award.warnings {
            assert!(!w.message.contains("Magang") && !w.message.contains("2023"));
        }
    }

    #[test]
    fn missing_lsp_scheme_and_number() {
        let mut r = row();
        r.nama_lsp = None;
        r.kode_lsp = None;
        r.skema_sertifikasi = None;
        r.has_number = Some(false);
        let award = map_award(r.clone());
        assert_eq!(award.credential.issuer_name, None);
        assert_eq!(award.credential.name, "Sertifikat Kompetensi");
        let codes: Vec<&str> = award.warnings.iter().map(|w| w.code.as_str()).collect();
        assert!(codes.contains(&"REFERENCE_MISSING"), "{codes:?}");
        assert!(codes.contains(&"VALUE_MISSING"), "{codes:?}");
        r.id_lsp = None;
        let award = map_award(r);
        let fields: Vec<&str> = award
            .warnings
            .iter()
            .filter_map(|w| w.field.as_deref())
            .collect();
        assert!(fields.contains(&"credential.issuerName"));
        assert!(fields.contains(&"credential.scheme"));
        assert!(fields.contains(&"number"));
    }
}
