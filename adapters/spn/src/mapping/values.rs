//! Cell-level transforms of UNIFIED.md §3 and the SPN vocabularies: **t** (trim + NFC),
//! **d** (`d/m/yyyy`, ISO accepted with a warning), **dc** (decimal comma), **rp** (rupiah with
//! `.` separators), phone numbers, region names/codes and every enum the sheets use. The
//! parsing is the adapter toolkit's; this module turns its answers into SPN's warnings.
//!
//! Helpers that can fail push a [`DataWarning`] and return `None`. Callers pass `disclose =
//! false` for cells about a person, so the warning never repeats a personal value.

use chrono::NaiveDate;
use simpul_adapter_toolkit::regions;
use simpul_adapter_toolkit::Read;
use simpul_schema::identity::normalize_phone;
use simpul_schema::{
    DataWarning, EducationLevel, EmploymentStatus, EnrollmentStatus, FundingSchemeCode,
    OutcomeStatus, PartnershipKind, Sex, TargetGroup, TrainingType,
};

pub use simpul_adapter_toolkit::dates::{parse_dmy as parse_date, DateValue};
pub use simpul_adapter_toolkit::numbers::{parse_decimal_comma, parse_rupiah};
pub use simpul_adapter_toolkit::regions::{RegionNames, ResolvedRegion};
pub use simpul_adapter_toolkit::text::nfc as text;
pub use simpul_adapter_toolkit::vocab::lookup;

/// Warning codes this adapter emits.
pub mod codes {
    /// A date in `yyyy-mm-dd` instead of `dd/mm/yyyy`; the value was used.
    pub const DATE_FORMAT_NONSTANDARD: &str = "DATE_FORMAT_NONSTANDARD";
    /// An impossible or unreadable date; the value was dropped.
    pub const DATE_INVALID: &str = "DATE_INVALID";
    /// A value outside a vocabulary; the value was dropped or mapped to `OTHER`.
    pub const ENUM_UNKNOWN: &str = "ENUM_UNKNOWN";
    /// A NIK that is empty or fails validation; it is not exposed nor linked.
    pub const NIK_INVALID: &str = "NIK_INVALID";
    /// `jenis_kelamin` disagrees with the NIK's sex part.
    pub const NIK_SEX_MISMATCH: &str = "NIK_SEX_MISMATCH";
    /// `tgl_lahir` disagrees with the NIK's birth-date part.
    pub const NIK_BIRTH_DATE_MISMATCH: &str = "NIK_BIRTH_DATE_MISMATCH";
    /// The rows of one participant carry different NIKs.
    pub const NIK_CONFLICT: &str = "NIK_CONFLICT";
    /// Another participant of this provider has the same valid NIK.
    pub const DUPLICATE_NIK_IN_PROVIDER: &str = "DUPLICATE_NIK_IN_PROVIDER";
    /// A number that must be positive is not, or an end precedes its start.
    pub const VALUE_OUT_OF_RANGE: &str = "VALUE_OUT_OF_RANGE";
    /// A number, amount or code that cannot be read; the value was dropped.
    pub const VALUE_INVALID: &str = "VALUE_INVALID";
    /// A required person cell is empty.
    pub const VALUE_MISSING: &str = "VALUE_MISSING";
    /// Rows that should agree (one course's runs) do not; the first was used.
    pub const VALUE_CONFLICT: &str = "VALUE_CONFLICT";
    /// A region name or code that does not resolve.
    pub const REGION_UNKNOWN: &str = "REGION_UNKNOWN";
    /// A phone number that does not normalise to `+62…`.
    pub const PHONE_INVALID: &str = "PHONE_INVALID";
    /// Another row had the same key with different content; this record keeps the first.
    pub const DUPLICATE_KEY: &str = "DUPLICATE_KEY";
}

use codes::*;

/// [`text`] of an optional cell.
pub fn opt_text(raw: Option<&str>) -> Option<String> {
    raw.map(text).filter(|s| !s.is_empty())
}

/// An optional date cell: blank → `None`; ISO → the date plus a warning; invalid → `None`
/// plus a warning.
pub fn optional_date(
    raw: Option<&str>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<NaiveDate> {
    match parse_date(raw?) {
        DateValue::Valid(d) => Some(d),
        DateValue::Nonstandard(d) => {
            warnings.push(nonstandard_date(field, column));
            Some(d)
        }
        DateValue::Invalid => {
            warnings.push(DataWarning::new(
                DATE_INVALID,
                field,
                format!("`{column}` is not a possible d/m/yyyy date; set to null"),
            ));
            None
        }
    }
}

/// A required date cell: `Err(reason)` (for a row-level issue) when blank or invalid.
pub fn required_date(
    raw: Option<&str>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Result<NaiveDate, String> {
    let Some(raw) = raw else {
        return Err(format!("required `{column}` is empty; row skipped"));
    };
    match parse_date(raw) {
        DateValue::Valid(d) => Ok(d),
        DateValue::Nonstandard(d) => {
            warnings.push(nonstandard_date(field, column));
            Ok(d)
        }
        DateValue::Invalid => Err(format!(
            "required `{column}` is not a possible d/m/yyyy date; row skipped"
        )),
    }
}

fn nonstandard_date(field: &str, column: &str) -> DataWarning {
    DataWarning::new(
        DATE_FORMAT_NONSTANDARD,
        field,
        format!("`{column}` is yyyy-mm-dd, the contract says dd/mm/yyyy; value used"),
    )
}

/// A whole number that must be > 0 (`jumlah_jam`, `kuota`); otherwise `None` plus a warning.
pub fn positive_int(
    raw: Option<&str>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<i32> {
    let raw = raw?.trim();
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        warnings.push(DataWarning::new(
            VALUE_INVALID,
            field,
            format!("`{column}` is not a whole number; set to null"),
        ));
        return None;
    }
    match raw.parse::<i32>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            warnings.push(DataWarning::new(
                VALUE_OUT_OF_RANGE,
                field,
                format!("`{column}` must be a whole number above 0; set to null"),
            ));
            None
        }
    }
}

/// A phone cell normalised to `+62…`; an unusable number → `None` plus a warning (no digits).
pub fn phone(raw: Option<&str>, field: &str, warnings: &mut Vec<DataWarning>) -> Option<String> {
    let raw = raw?;
    let normalised = normalize_phone(raw);
    if normalised.is_none() {
        warnings.push(DataWarning::new(
            PHONE_INVALID,
            field,
            "phone number is not an Indonesian 0…/+62… number; set to null",
        ));
    }
    normalised
}

/// An optional vocabulary cell: blank → `None`; unknown → `fallback` plus an `ENUM_UNKNOWN`
/// warning, quoting the value only when `disclose`.
pub fn vocab<T: Copy>(
    raw: Option<&str>,
    table: &[(&str, T)],
    fallback: Option<T>,
    field: &str,
    column: &str,
    disclose: bool,
    warnings: &mut Vec<DataWarning>,
) -> Option<T> {
    let raw = raw?;
    let found = lookup(raw, table);
    if found.is_none() {
        warnings.push(unknown_enum(field, column, disclose.then_some(raw)));
    }
    found.or(fallback)
}

/// An `ENUM_UNKNOWN` warning; `value` is quoted when given (never pass personal data).
pub fn unknown_enum(field: &str, column: &str, value: Option<&str>) -> DataWarning {
    let what = value.map_or_else(
        || format!("`{column}`"),
        |v| format!("`{column}` value {v:?}"),
    );
    DataWarning::new(
        ENUM_UNKNOWN,
        field,
        format!("{what} is not in the SPN contract's vocabulary"),
    )
}

/// `jenis_pelatihan`.
pub const TRAINING_TYPES: &[(&str, TrainingType)] = &[
    ("Upskilling", TrainingType::Upskilling),
    ("Reskilling", TrainingType::Reskilling),
    ("Kewirausahaan", TrainingType::Entrepreneurship),
];

/// `sasaran` items.
pub const TARGET_GROUPS: &[(&str, TargetGroup)] = &[
    ("Pekerja aktif", TargetGroup::Employed),
    ("Korban PHK", TargetGroup::LaidOff),
    ("Pensiunan", TargetGroup::Retiree),
    ("Angkatan kerja baru", TargetGroup::NewEntrant),
];

/// `sumber_dana` (free text maps to `OTHER` with a warning).
pub const FUNDING_SCHEMES: &[(&str, FundingSchemeCode)] = &[
    ("Swadaya SPN", FundingSchemeCode::UnionSelfFunded),
    ("GBB", FundingSchemeCode::PartnerFunded),
];

/// `jenis_kelamin`.
pub const SEXES: &[(&str, Sex)] = &[("L", Sex::Male), ("P", Sex::Female)];

/// `pendidikan_terakhir` (the contract's six, plus the other levels the unified enum knows).
pub const EDUCATION_LEVELS: &[(&str, EducationLevel)] = &[
    ("SD", EducationLevel::Sd),
    ("SMP", EducationLevel::Smp),
    ("SMA", EducationLevel::Sma),
    ("SMK", EducationLevel::Smk),
    ("D1", EducationLevel::D1),
    ("D2", EducationLevel::D2),
    ("D3", EducationLevel::D3),
    ("D4", EducationLevel::D4),
    ("S1", EducationLevel::S1),
    ("S2", EducationLevel::S2),
    ("S3", EducationLevel::S3),
];

/// `status_anggota` → is a union member.
pub const MEMBERSHIP: &[(&str, bool)] = &[("Anggota", true), ("Bukan anggota", false)];

/// `status_kerja`.
pub const EMPLOYMENT_STATUSES: &[(&str, EmploymentStatus)] = &[
    ("Bekerja", EmploymentStatus::Employed),
    ("Korban PHK", EmploymentStatus::LaidOff),
    ("Belum bekerja", EmploymentStatus::Unemployed),
    ("Wirausaha", EmploymentStatus::SelfEmployed),
    ("Pensiun", EmploymentStatus::Retired),
];

/// `status_kelulusan` (blank is decided from the run's dates).
pub const ENROLLMENT_RESULTS: &[(&str, EnrollmentStatus)] = &[
    ("Lulus", EnrollmentStatus::Completed),
    ("Tidak lulus", EnrollmentStatus::Failed),
    ("Mengundurkan diri", EnrollmentStatus::Withdrawn),
];

/// `status_hasil` (unknown maps to `OTHER`).
pub const OUTCOME_STATUSES: &[(&str, OutcomeStatus)] = &[
    ("Bekerja kembali", OutcomeStatus::Employed),
    ("Wirausaha", OutcomeStatus::SelfEmployed),
    ("Mencari kerja", OutcomeStatus::SeekingWork),
];

/// `jenis_dokumen` (free text maps to `OTHER`).
pub const PARTNERSHIP_KINDS: &[(&str, PartnershipKind)] =
    &[("MoU", PartnershipKind::Mou), ("PKS", PartnershipKind::Pks)];

/// Resolve region names top-down through the reference table (see
/// [`regions::resolve_names`]): an unresolved name adds a `REGION_UNKNOWN` warning naming the
/// column, on `fields.0` for the province/regency levels and `fields.1` below them.
pub fn resolve_region_names(
    names: RegionNames<'_>,
    fields: (&str, &str),
    warnings: &mut Vec<DataWarning>,
) -> ResolvedRegion {
    let columns = ["provinsi", "kab_kota", "kecamatan", "desa_kelurahan"];
    regions::resolve_names(names, columns, fields, warnings)
}

/// A Kemendagri code cell in dotted form (`3602132007` gains its dots and is noted
/// `REGION_CODE_WITHOUT_DOTS`); malformed → `Bad` plus a warning.
pub fn region_code(
    raw: Option<&str>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Read<String> {
    let read = raw.map_or(Read::Missing, regions::code);
    if let Read::Bad(_) = read {
        warnings.push(DataWarning::new(
            REGION_UNKNOWN,
            field,
            format!("`{column}` is not a 2/4/6/10-digit Kemendagri code; ignored"),
        ));
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_ints() {
        let mut w = Vec::new();
        assert_eq!(positive_int(Some("30"), "f", "c", &mut w), Some(30));
        assert!(w.is_empty());
        assert_eq!(positive_int(Some("0"), "f", "c", &mut w), None);
        assert_eq!(positive_int(Some("-3"), "f", "c", &mut w), None);
        assert_eq!(positive_int(Some("99999999999"), "f", "c", &mut w), None);
        assert_eq!(positive_int(Some("30 jam"), "f", "c", &mut w), None);
        let codes: Vec<_> = w.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                VALUE_OUT_OF_RANGE,
                VALUE_OUT_OF_RANGE,
                VALUE_OUT_OF_RANGE,
                VALUE_INVALID
            ]
        );
    }

    #[test]
    fn vocabulary_is_case_and_space_insensitive() {
        assert_eq!(
            lookup(" korban  phk ", TARGET_GROUPS),
            Some(TargetGroup::LaidOff)
        );
        assert_eq!(lookup("l", SEXES), Some(Sex::Male));
        assert_eq!(lookup("Laki-laki", SEXES), None);
        let mut w = Vec::new();
        let v = vocab(
            Some("Hibah"),
            FUNDING_SCHEMES,
            Some(FundingSchemeCode::Other),
            "fundingSchemes",
            "sumber_dana",
            true,
            &mut w,
        );
        assert_eq!(v, Some(FundingSchemeCode::Other));
        assert!(w[0].message.contains("Hibah"));
        let v = vocab(
            Some("X"),
            SEXES,
            None,
            "sex",
            "jenis_kelamin",
            false,
            &mut w,
        );
        assert_eq!(v, None);
        assert!(!w[1].message.contains('X'));
    }

    #[test]
    fn regions_by_name_and_code() {
        let mut w = Vec::new();
        let names = RegionNames {
            village: Some("Sangiang"),
            district: Some("Maja"),
            regency: Some("Kab. Lebak"),
            province: Some("Banten"),
        };
        let r = resolve_region_names(names, ("a", "b"), &mut w);
        assert_eq!(r.village.as_deref(), Some("36.02.13.2007"));
        assert_eq!(r.regency.as_deref(), Some("36.02"));
        assert!(w.is_empty());
        let names = RegionNames {
            village: Some("Atlantis"),
            district: Some("Maja"),
            regency: Some("Kab. Lebak"),
            province: None,
        };
        let r = resolve_region_names(names, ("a", "b"), &mut w);
        assert_eq!(r.most_precise().map(String::as_str), Some("36.02.13"));
        assert_eq!(w.len(), 1);
        assert!(!w[0].message.contains("Atlantis"));
        assert_eq!(
            region_code(Some("3602132007"), "f", "kode_wilayah", &mut w),
            Read::Noted("36.02.13.2007".into(), "REGION_CODE_WITHOUT_DOTS")
        );
        assert_eq!(
            region_code(Some("36021"), "f", "kode_wilayah", &mut w),
            Read::Bad("REGION_UNKNOWN")
        );
    }
}
