//! Cell-level transforms of UNIFIED.md §3 and the SPN vocabularies: **t** (trim + NFC),
//! **d** (`d/m/yyyy`, ISO accepted with a warning), **dc** (decimal comma), **rp** (rupiah with
//! `.` separators), phone numbers, region names/codes and every enum the sheets use.
//!
//! Helpers that can fail push a [`DataWarning`] and return `None`. Callers pass `disclose =
//! false` for cells about a person, so the warning never repeats a personal value.

use chrono::NaiveDate;
use simpul_schema::identity::normalize_phone;
use simpul_schema::reference::{normalize_region_code, regions, AreaKind};
use simpul_schema::{
    DataWarning, EducationLevel, EmploymentStatus, EnrollmentStatus, FundingSchemeCode,
    OutcomeStatus, PartnershipKind, Sex, TargetGroup, TrainingType,
};
use unicode_normalization::UnicodeNormalization;

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

/// Trim and normalise to Unicode NFC.
pub fn text(raw: &str) -> String {
    raw.trim().nfc().collect()
}

/// [`text`] of an optional cell.
pub fn opt_text(raw: Option<&str>) -> Option<String> {
    raw.map(text).filter(|s| !s.is_empty())
}

/// A parsed date cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// `d/m/yyyy` or `dd/mm/yyyy`.
    Valid(NaiveDate),
    /// `yyyy-mm-dd`: used, with a [`codes::DATE_FORMAT_NONSTANDARD`] warning.
    Nonstandard(NaiveDate),
    /// Unreadable or impossible (`31/02/2023`).
    Invalid,
}

/// Parse `d/m/yyyy` (zero padding optional), or `yyyy-mm-dd` as [`DateValue::Nonstandard`].
pub fn parse_date(raw: &str) -> DateValue {
    let s = raw.trim();
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let ymd = |y: Option<u32>, m: Option<u32>, d: Option<u32>| {
        NaiveDate::from_ymd_opt(i32::try_from(y?).ok()?, m?, d?)
    };
    let slash: Vec<&str> = s.split('/').collect();
    if let [d, m, y] = slash[..] {
        return ymd(num(y, 4..=4), num(m, 1..=2), num(d, 1..=2))
            .map_or(DateValue::Invalid, DateValue::Valid);
    }
    let dash: Vec<&str> = s.split('-').collect();
    if let [y, m, d] = dash[..] {
        return ymd(num(y, 4..=4), num(m, 1..=2), num(d, 1..=2))
            .map_or(DateValue::Invalid, DateValue::Nonstandard);
    }
    DateValue::Invalid
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

/// `1.500.000` or `1500000` → 1500000 (whole rupiah, `.` as thousands separator).
pub fn parse_rupiah(raw: &str) -> Option<u64> {
    let s = raw.trim();
    let groups: Vec<&str> = s.split('.').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let ok = match groups.split_first() {
        Some((first, [])) => digits(first),
        Some((first, rest)) => {
            digits(first) && first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g))
        }
        None => false,
    };
    ok.then(|| groups.concat().parse().ok()).flatten()
}

/// `3,0` → 3.0 (decimal comma; a plain integer is fine too).
pub fn parse_decimal_comma(raw: &str) -> Option<f64> {
    let s = raw.trim();
    let (int, frac) = s.split_once(',').unwrap_or((s, "0"));
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    (digits(int) && digits(frac))
        .then(|| format!("{int}.{frac}").parse().ok())
        .flatten()
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

/// Vocabulary lookup key: lowercase, inner whitespace collapsed.
fn vocab_key(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Look `raw` up in a vocabulary (case- and spacing-insensitive). `None` for an unknown value.
pub fn lookup<T: Copy>(raw: &str, table: &[(&str, T)]) -> Option<T> {
    let key = vocab_key(raw);
    table
        .iter()
        .find(|(k, _)| vocab_key(k) == key)
        .map(|(_, v)| *v)
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

/// Region names of one row (`desa_kelurahan`, `kecamatan`, `kab_kota`, `provinsi`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RegionNames<'a> {
    /// Village (*desa/kelurahan*).
    pub village: Option<&'a str>,
    /// District (*kecamatan*).
    pub district: Option<&'a str>,
    /// `Kab. X` / `Kota X`.
    pub regency: Option<&'a str>,
    /// Province.
    pub province: Option<&'a str>,
}

/// Dotted codes resolved from [`RegionNames`], each level inside the one above.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedRegion {
    /// Province code.
    pub province: Option<String>,
    /// Regency/city code.
    pub regency: Option<String>,
    /// District code.
    pub district: Option<String>,
    /// Village code.
    pub village: Option<String>,
}

impl ResolvedRegion {
    /// The most precise code resolved.
    pub fn most_precise(&self) -> Option<&String> {
        self.village
            .as_ref()
            .or(self.district.as_ref())
            .or(self.regency.as_ref())
            .or(self.province.as_ref())
    }
}

/// Resolve region names top-down through the reference table, each inside the level above when
/// that resolved. A name that does not resolve (unknown or ambiguous) adds a `REGION_UNKNOWN`
/// warning naming the column, never the value (village-level domicile is personal data); the
/// warning's field is `fields.0` for the province/regency levels and `fields.1` below them.
pub fn resolve_region_names(
    names: RegionNames<'_>,
    fields: (&str, &str),
    warnings: &mut Vec<DataWarning>,
) -> ResolvedRegion {
    let mut out = ResolvedRegion::default();
    let mut within: Option<String> = None;
    let levels = [
        (names.province, AreaKind::Province, "provinsi"),
        (names.regency, AreaKind::RegencyOrCity, "kab_kota"),
        (names.district, AreaKind::District, "kecamatan"),
        (names.village, AreaKind::Village, "desa_kelurahan"),
    ];
    for (name, kind, column) in levels {
        let Some(name) = name else { continue };
        let found = regions().by_name(&text(name), within.as_deref(), kind);
        let Some(region) = found else {
            let field = match kind {
                AreaKind::Province | AreaKind::RegencyOrCity => fields.0,
                AreaKind::District | AreaKind::Village => fields.1,
            };
            warnings.push(DataWarning::new(
                REGION_UNKNOWN,
                field,
                format!("`{column}` does not name a single known area; ignored"),
            ));
            continue;
        };
        let code = region.code.clone();
        within = Some(code.clone());
        *match kind {
            AreaKind::Province => &mut out.province,
            AreaKind::RegencyOrCity => &mut out.regency,
            AreaKind::District => &mut out.district,
            AreaKind::Village => &mut out.village,
        } = Some(code);
    }
    out
}

/// A Kemendagri code cell in dotted form (`3602132007` gains its dots); malformed → `None` plus
/// a warning.
pub fn region_code(
    raw: Option<&str>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<String> {
    let raw = raw?;
    let code = normalize_region_code(raw);
    if code.is_none() {
        warnings.push(DataWarning::new(
            REGION_UNKNOWN,
            field,
            format!("`{column}` is not a 2/4/6/10-digit Kemendagri code; ignored"),
        ));
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("15/03/2023"), DateValue::Valid(ymd(2023, 3, 15)));
        assert_eq!(parse_date(" 1/9/2022 "), DateValue::Valid(ymd(2022, 9, 1)));
        assert_eq!(
            parse_date("2023-03-15"),
            DateValue::Nonstandard(ymd(2023, 3, 15))
        );
        for bad in [
            "31/02/2023",
            "29/02/2023",
            "15/13/2023",
            "15/03/23",
            "2023/03/15",
            "15-03-2023",
            "2023-02-30",
            "",
            "-",
            "1/1/-200",
            "٣/٣/٢٠٢٣",
            "99999999999/1/2023",
        ] {
            assert_eq!(parse_date(bad), DateValue::Invalid, "{bad}");
        }
        assert_eq!(parse_date("29/02/2024"), DateValue::Valid(ymd(2024, 2, 29)));
    }

    #[test]
    fn money_and_decimals() {
        assert_eq!(parse_rupiah("1.500.000"), Some(1_500_000));
        assert_eq!(parse_rupiah("750.000"), Some(750_000));
        assert_eq!(parse_rupiah("1500000"), Some(1_500_000));
        for bad in [
            "1.50.000",
            "1,500,000",
            "Rp 1.500.000",
            ".500",
            "1.",
            "",
            "1500.000.0",
        ] {
            assert_eq!(parse_rupiah(bad), None, "{bad}");
        }
        assert_eq!(parse_rupiah("99999999999999999999999"), None);
        assert_eq!(parse_decimal_comma("3,0"), Some(3.0));
        assert_eq!(parse_decimal_comma("0,25"), Some(0.25));
        assert_eq!(parse_decimal_comma("12"), Some(12.0));
        assert_eq!(parse_decimal_comma("3.5"), None);
        assert_eq!(parse_decimal_comma("3,"), None);
    }

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
    fn text_is_trimmed_and_nfc() {
        assert_eq!(text("  Jose\u{301} \t"), "Jos\u{e9}");
        assert_eq!(opt_text(Some("   ")), None);
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
            region_code(Some("3602132007"), "f", "kode_wilayah", &mut w).as_deref(),
            Some("36.02.13.2007")
        );
        assert_eq!(
            region_code(Some("36021"), "f", "kode_wilayah", &mut w),
            None
        );
    }
}
