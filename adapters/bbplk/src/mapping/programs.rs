//! The catalogue: `program_pelatihan` → [`Program`] (one per row), following UNIFIED.md §4.
//!
//! - `sourceId` and `code` are `kode_program`, as stored: the `programId` of its courses
//!   ([`super::organisations::map_course`]).
//! - `field` is its `kejuruan` (code and name, as its courses'); `occupations` its `kode_kbji`
//!   (checked as a course's is); `kkniLevel` its `jenjang_kkni` (1–9, else null with
//!   `VALUE_OUT_OF_RANGE`); `nominalHours` its `durasi_jp` (> 0, else null with
//!   `VALUE_OUT_OF_RANGE`); `method` and `description` `metode` and `deskripsi`.
//! - `competencies` are its units (`program_unit` → `unit_kompetensi`, in `urutan` order, the
//!   framework from `sumber_standar`), read as a credential's are
//!   ([`super::credentials::units`]); a `program_unit` row naming a unit that does not exist
//!   is left out with `REFERENCE_MISSING`.
//! - `credentials`: with a `skema_sertifikasi`, the competency certification for that scheme,
//!   built as an award's is ([`super::credentials::competency_certification`]), so that it is
//!   the very credential the awards of the scheme are awards of. Its key names the LSP
//!   (`competency/<kode_lsp>/<skema>`), which the catalogue does not record: the adapter
//!   takes it from the awards. **Decision**: when the served competency awards of the scheme
//!   (in the whole database, whatever programme they were earned through: the LSP certifies
//!   the scheme, not the programme) that name an existing LSP all name the same one, the
//!   credential is that LSP's (its key, its name as issuer); when none does (no award yet, or
//!   none with a known LSP) the credential is listed with the scheme only
//!   (`competency//<skema>`, no issuer: the key an award of the scheme without a known LSP
//!   has); when they name several, the same, with `VALUE_CONFLICT` (the scheme is certified by
//!   several LSPs, and the programme cannot say which one it prepares for). Awards naming no
//!   LSP or a missing one are not counted (they carry their own warning).
//! - `aktif = false`: the programme is served like any other (its courses, runs and awards
//!   still refer to it; the contract gives inactive entries no other meaning), with a
//!   `PROGRAM_INACTIVE` warning, since the unified `Program` has no field to say so.
//!
//! Warnings name columns and rules, never a value.

use simpul_schema::{DataWarning, Program, TrainingField};

use super::credentials::{competency_certification, competency_key, units};
use super::organisations::occupation_codes;
use super::rows::ProgramRow;
use super::values::{codes::*, *};

/// The KKNI levels (*Kerangka Kualifikasi Nasional Indonesia*): 1 to 9. The SQL twin is the
/// plan's `CASE WHEN … BETWEEN 1 AND 9`.
pub const KKNI_LEVELS: std::ops::RangeInclusive<i64> = 1..=9;

/// The warning on an inactive programme (`aktif = false`).
pub const PROGRAM_INACTIVE: &str = "PROGRAM_INACTIVE";

/// A `program_pelatihan` row → a programme.
pub fn map_program(row: ProgramRow) -> Program {
    let mut w = Vec::new();
    mistyped(
        row.mistyped.as_deref(),
        &[
            ("id_kejuruan", "field"),
            ("jenjang_kkni", "kkniLevel"),
            ("durasi_jp", "nominalHours"),
        ],
        &mut w,
    );
    let field = match opt_text(row.nama_kejuruan.as_deref()) {
        Some(name) => Some(TrainingField {
            code: opt_text(row.kode_kejuruan.as_deref()),
            name,
        }),
        None => {
            if row.id_kejuruan.is_some() && row.kode_kejuruan.is_none() {
                w.push(DataWarning::new(
                    REFERENCE_MISSING,
                    "field",
                    "`id_kejuruan` names no `kejuruan` row; field unknown",
                ));
            }
            None
        }
    };
    let occupations = occupation_codes(row.kode_kbji.as_deref(), &mut w);
    let kkni_level = row.jenjang_kkni.and_then(|level| {
        let fitted = KKNI_LEVELS
            .contains(&level)
            .then(|| u8::try_from(level).ok())
            .flatten();
        if fitted.is_none() {
            w.push(DataWarning::new(
                VALUE_OUT_OF_RANGE,
                "kkniLevel",
                "`jenjang_kkni` must be between 1 and 9; set to null",
            ));
        }
        fitted
    });
    let nominal_hours = positive(row.durasi_jp, "nominalHours", "durasi_jp", &mut w)
        .and_then(|h| u32::try_from(h).ok());
    let competencies = units(row.units.as_deref(), "competencies", &mut w);
    if let Some(n) = row.missing_units.filter(|n| *n > 0) {
        w.push(DataWarning::new(
            REFERENCE_MISSING,
            "competencies",
            format!("{n} `program_unit` row(s) name a unit that does not exist; left out"),
        ));
    }
    let credentials = opt_text(row.skema_sertifikasi.as_deref())
        .map(|scheme| {
            let (kode_lsp, nama_lsp) = scheme_lsp(row.scheme_lsps.as_deref(), &mut w);
            competency_certification(
                competency_key(kode_lsp.as_deref(), row.skema_sertifikasi.as_deref()),
                Some(scheme),
                nama_lsp.as_deref().map(nfc),
                row.kode_kbji.as_deref(),
                competencies.clone(),
            )
        })
        .into_iter()
        .collect();
    if row.aktif == Some(false) {
        w.push(DataWarning {
            code: PROGRAM_INACTIVE.to_owned(),
            field: None,
            message: "the catalogue marks the programme inactive (`aktif` = false); served as \
                      the others, the unified model has no field for it"
                .to_owned(),
        });
    }
    Program {
        code: Some(row.kode_program.clone()),
        source_id: row.kode_program,
        name: nfc(&row.nama_program),
        field,
        occupation_codes: occupations,
        kkni_level,
        nominal_hours,
        method: opt_text(row.metode.as_deref()),
        competencies,
        credentials,
        description: opt_text(row.deskripsi.as_deref()),
        warnings: w,
    }
}

/// The LSP of the scheme (code, name) from the plan's `[count, kode_lsp, nama_lsp]`: the one
/// LSP its awards name, or none (see the module docs).
fn scheme_lsp(
    json: Option<&str>,
    warnings: &mut Vec<DataWarning>,
) -> (Option<String>, Option<String>) {
    type Cells = (i64, Option<String>, Option<String>);
    let Some(json) = json else {
        return (None, None);
    };
    match serde_json::from_str::<Cells>(json) {
        Ok((1, code, name)) => (code, name),
        Ok((0, _, _)) => (None, None),
        Ok(_) => {
            warnings.push(DataWarning::new(
                VALUE_CONFLICT,
                "credentials",
                "the awards of `skema_sertifikasi` name several LSPs; the credential is listed \
                 with the scheme only, without an issuer",
            ));
            (None, None)
        }
        Err(_) => {
            warnings.push(DataWarning::new(
                VALUE_INVALID,
                "credentials",
                "the LSPs of `skema_sertifikasi` could not be read; the credential is listed \
                 with the scheme only",
            ));
            (None, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::{CompetencyFramework, CredentialCategory};

    fn row() -> ProgramRow {
        ProgramRow {
            kode_program: "PRG-1".into(),
            nama_program: "Program".into(),
            id_kejuruan: Some(1),
            kode_kejuruan: Some("ELK".into()),
            nama_kejuruan: Some("Elektronika".into()),
            kode_kbji: Some("7421".into()),
            jenjang_kkni: Some(2),
            durasi_jp: Some(240),
            metode: Some("PBK".into()),
            skema_sertifikasi: Some("Skema ".into()),
            deskripsi: Some(" ".into()),
            aktif: Some(true),
            units: Some(r#"[[2,"B.2","Dua","Khusus"],[1,"A.1","Satu","SKKNI"]]"#.into()),
            missing_units: Some(0),
            scheme_lsps: Some(r#"[1,"LSP-X","LSP Contoh"]"#.into()),
            mistyped: None,
            total_count: 1,
        }
    }

    #[test]
    fn a_programme_with_its_units_and_credential() {
        let p = map_program(row());
        assert_eq!(
            (p.source_id.as_str(), p.code.as_deref()),
            ("PRG-1", Some("PRG-1"))
        );
        assert_eq!(
            p.field.as_ref().map(|f| f.name.as_str()),
            Some("Elektronika")
        );
        assert_eq!(p.occupation_codes, ["7421"]);
        assert_eq!((p.kkni_level, p.nominal_hours), (Some(2), Some(240)));
        assert_eq!(p.description, None);
        let units: Vec<(&str, CompetencyFramework)> = p
            .competencies
            .iter()
            .map(|u| (u.code.as_str(), u.framework))
            .collect();
        assert_eq!(
            units,
            [
                ("A.1", CompetencyFramework::Skkni),
                ("B.2", CompetencyFramework::Special)
            ]
        );
        let [c] = p.credentials.as_slice() else {
            panic!("one credential: {:?}", p.credentials)
        };
        assert_eq!(c.source_id, "competency/LSP-X/Skema");
        assert_eq!(c.category, CredentialCategory::CompetencyCertification);
        assert_eq!(c.scheme.as_deref(), Some("Skema"));
        assert_eq!(c.issuer_name.as_deref(), Some("LSP Contoh"));
        assert_eq!(c.competencies, p.competencies);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn bad_values_are_warnings_never_values() {
        let mut r = row();
        r.jenjang_kkni = Some(12);
        r.durasi_jp = Some(0);
        r.nama_kejuruan = None;
        r.kode_kejuruan = None;
        r.kode_kbji = Some("74A".into());
        r.missing_units = Some(2);
        r.scheme_lsps = Some(r#"[2,"LSP-A","LSP A"]"#.into());
        r.aktif = Some(false);
        let p = map_program(r);
        assert_eq!((p.kkni_level, p.nominal_hours, p.field), (None, None, None));
        assert_eq!(p.occupation_codes, ["74A"], "kept as given");
        assert_eq!(p.credentials[0].source_id, "competency//Skema");
        assert_eq!(p.credentials[0].issuer_name, None);
        let codes: Vec<&str> = p.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                REFERENCE_MISSING,
                VALUE_INVALID,
                VALUE_OUT_OF_RANGE,
                VALUE_OUT_OF_RANGE,
                REFERENCE_MISSING,
                VALUE_CONFLICT,
                PROGRAM_INACTIVE
            ]
        );
        let mut r = row();
        r.skema_sertifikasi = None;
        r.scheme_lsps = Some("not json".into());
        assert!(map_program(r).credentials.is_empty());
        let mut r = row();
        r.scheme_lsps = Some("not json".into());
        r.units = Some("[[".into());
        let p = map_program(r);
        assert_eq!(p.credentials[0].source_id, "competency//Skema");
        assert!(p.competencies.is_empty());
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    }
}
