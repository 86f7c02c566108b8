//! Value transforms of UNIFIED.md §5 and the API's vocabularies: ISO dates, ISO timestamps
//! normalised to `+07:00`, positive numbers, region codes, phone numbers and enumerations.
//!
//! Helpers that can fail push a [`DataWarning`] and return `None`. Warnings name the unified
//! field and the API field, and quote a value only when the caller says it is not personal.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};
use simpul_schema::identity::normalize_phone;
use simpul_schema::reference::{normalize_region_code, regions};
use simpul_schema::DataWarning;

/// Warning codes this adapter emits.
pub mod codes {
    /// A date or timestamp that is not ISO-8601; set to null.
    pub const DATE_INVALID: &str = "DATE_INVALID";
    /// A timestamp without offset; read as `+07:00` (WIB).
    pub const TIMESTAMP_OFFSET_MISSING: &str = "TIMESTAMP_OFFSET_MISSING";
    /// A value outside the contract's vocabulary; dropped or mapped to `OTHER`/`UNKNOWN`.
    pub const ENUM_UNKNOWN: &str = "ENUM_UNKNOWN";
    /// A number out of its range (kuota ≤ 0, negative cost, end before start).
    pub const VALUE_OUT_OF_RANGE: &str = "VALUE_OUT_OF_RANGE";
    /// A value that cannot be read (a KBJI code of the wrong shape, a currency not IDR).
    pub const VALUE_INVALID: &str = "VALUE_INVALID";
    /// Two sources of one fact disagree (eligibility vs months paid, placement KPJ).
    pub const VALUE_CONFLICT: &str = "VALUE_CONFLICT";
    /// A region code that is malformed or not in the reference table.
    pub const REGION_UNKNOWN: &str = "REGION_UNKNOWN";
    /// A KBJI code not in the occupation table.
    pub const OCCUPATION_UNKNOWN: &str = "OCCUPATION_UNKNOWN";
    /// A phone number that does not normalise to `+62…`.
    pub const PHONE_INVALID: &str = "PHONE_INVALID";
    /// A NIK that is empty or fails validation; not exposed, not linked.
    pub const NIK_INVALID: &str = "NIK_INVALID";
    /// The NIK arrived masked (key without `pii:read`); it cannot be validated or linked.
    pub const NIK_MASKED: &str = "NIK_MASKED";
    /// `jenisKelamin` disagrees with the NIK's sex.
    pub const NIK_SEX_MISMATCH: &str = "NIK_SEX_MISMATCH";
    /// `tanggalLahir` disagrees with the NIK's birth date.
    pub const NIK_BIRTH_DATE_MISMATCH: &str = "NIK_BIRTH_DATE_MISMATCH";
    /// The enrolments of one KPJ carry different NIKs.
    pub const NIK_CONFLICT: &str = "NIK_CONFLICT";
    /// Another participant of this provider has the same valid NIK.
    pub const DUPLICATE_NIK_IN_PROVIDER: &str = "DUPLICATE_NIK_IN_PROVIDER";
    /// A KPJ that is not 11 digits; the participant is keyed on its enrolment.
    pub const KPJ_INVALID: &str = "KPJ_INVALID";
    /// The KPJ arrived masked (key without `pii:read`); the participant is keyed on its
    /// enrolment.
    pub const KPJ_MASKED: &str = "KPJ_MASKED";
    /// The API served the same record twice; one kept.
    pub const DUPLICATE_RECORD: &str = "DUPLICATE_RECORD";
    /// The API served two different records with this id; the first kept.
    pub const DUPLICATE_KEY: &str = "DUPLICATE_KEY";
    /// A Vokasi partner without a Disnaker licence or with less than 1 year of experience.
    pub const PARTNER_RULE_VIOLATION: &str = "PARTNER_RULE_VIOLATION";
    /// `institutionType` inferred from the name (`BLK` + "BLK Komunitas" → `BLKK`).
    pub const INSTITUTION_TYPE_INFERRED: &str = "INSTITUTION_TYPE_INFERRED";
    /// A partner without a PKS number or date: no partnership record.
    pub const PARTNERSHIP_MISSING: &str = "PARTNERSHIP_MISSING";
    /// A required value is absent.
    pub const VALUE_MISSING: &str = "VALUE_MISSING";
}

use codes::*;

/// The WIB offset, `+07:00`.
pub fn wib() -> FixedOffset {
    // 7 h is within ±24 h, so this is always Some; UTC is only a formal fallback.
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}

/// Trimmed text; `None` when blank.
pub fn text(raw: Option<&String>) -> Option<String> {
    raw.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// An ISO date (`YYYY-MM-DD`); anything else → `None` plus a `DATE_INVALID` warning.
pub fn date(
    raw: Option<&String>,
    field: &str,
    column: &str,
    w: &mut Vec<DataWarning>,
) -> Option<NaiveDate> {
    let raw = text(raw)?;
    let parsed = iso_date(&raw);
    if parsed.is_none() {
        w.push(DataWarning::new(
            DATE_INVALID,
            field,
            format!("`{column}` is not an ISO date (YYYY-MM-DD); set to null"),
        ));
    }
    parsed
}

/// `YYYY-MM-DD` exactly: four, two and two ASCII digits, a real calendar day. (chrono's
/// `parse_from_str` would read its format string again on every call: 3 % of a programme
/// list's cost.)
fn iso_date(raw: &str) -> Option<NaiveDate> {
    let b = raw.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// An ISO-8601 timestamp, normalised to `+07:00`. Without offset it is read as `+07:00` with a
/// `TIMESTAMP_OFFSET_MISSING` warning; anything else → `None` plus `DATE_INVALID`.
pub fn timestamp(
    raw: Option<&String>,
    field: &str,
    column: &str,
    w: &mut Vec<DataWarning>,
) -> Option<DateTime<FixedOffset>> {
    let raw = text(raw)?;
    if let Ok(t) = DateTime::parse_from_rfc3339(&raw) {
        return Some(t.with_timezone(&wib()));
    }
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&raw, f).ok())
        .and_then(|n| n.and_local_timezone(wib()).single());
    match naive {
        Some(t) => {
            w.push(DataWarning::new(
                TIMESTAMP_OFFSET_MISSING,
                field,
                format!("`{column}` has no UTC offset; read as +07:00 (WIB)"),
            ));
            Some(t)
        }
        None => {
            w.push(DataWarning::new(
                DATE_INVALID,
                field,
                format!("`{column}` is not an ISO-8601 timestamp; set to null"),
            ));
            None
        }
    }
}

/// A whole number that must be > 0 (`kuota`, `jumlahJamPelajaran`); otherwise `None` plus a
/// warning.
pub fn positive(
    raw: Option<i64>,
    field: &str,
    column: &str,
    w: &mut Vec<DataWarning>,
) -> Option<i32> {
    let n = raw?;
    match i32::try_from(n) {
        Ok(n) if n > 0 => Some(n),
        _ => {
            w.push(DataWarning::new(
                VALUE_OUT_OF_RANGE,
                field,
                format!("`{column}` must be a whole number above 0; set to null"),
            ));
            None
        }
    }
}

/// A Kemendagri code in dotted form. Malformed → `None` plus `REGION_UNKNOWN`; well-formed but
/// not in the reference table → kept, plus `REGION_UNKNOWN`. The value is never quoted (a
/// village of domicile is personal data).
pub fn region_code(
    raw: Option<&String>,
    field: &str,
    column: &str,
    w: &mut Vec<DataWarning>,
) -> Option<String> {
    let raw = text(raw)?;
    let Some(code) = normalize_region_code(&raw) else {
        w.push(DataWarning::new(
            REGION_UNKNOWN,
            field,
            format!("`{column}` is not a Kemendagri code; ignored"),
        ));
        return None;
    };
    if regions().get(&code).is_none() {
        w.push(DataWarning::new(
            REGION_UNKNOWN,
            field,
            format!("`{column}` is not in the region reference table; kept as given"),
        ));
    }
    Some(code)
}

/// The regency/city part (`36.72`) of a code at regency level or below.
pub fn regency_of(code: &str) -> Option<String> {
    (code.len() >= 5).then(|| code[..5].to_owned())
}

/// A phone number normalised to `+62…`; unusable → `None` plus `PHONE_INVALID` (no digits).
pub fn phone(raw: Option<&String>, field: &str, w: &mut Vec<DataWarning>) -> Option<String> {
    let raw = text(raw)?;
    let normalised = normalize_phone(&raw);
    if normalised.is_none() {
        w.push(DataWarning::new(
            PHONE_INVALID,
            field,
            "phone number is not an Indonesian 0…/+62… number; set to null",
        ));
    }
    normalised
}

/// Look an API enumeration value up (exact, as the contract spells it). Unknown → `None` plus
/// an `ENUM_UNKNOWN` warning that quotes the value (enumerations are not personal data).
pub fn vocab<T: Copy>(
    raw: Option<&String>,
    table: &[(&str, T)],
    field: &str,
    column: &str,
    w: &mut Vec<DataWarning>,
) -> Option<T> {
    let raw = text(raw)?;
    let found = table.iter().find(|(k, _)| *k == raw).map(|(_, v)| *v);
    if found.is_none() {
        w.push(unknown_enum(field, column, &raw));
    }
    found
}

/// An `ENUM_UNKNOWN` warning quoting an enumeration value.
pub fn unknown_enum(field: &str, column: &str, value: &str) -> DataWarning {
    let shown: String = value.chars().take(40).collect();
    DataWarning::new(
        ENUM_UNKNOWN,
        field,
        format!("`{column}` value {shown:?} is not in the contract's vocabulary"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    #[test]
    fn dates_are_iso_only() {
        let mut w = Vec::new();
        assert_eq!(
            date(
                s("2020-07-24").as_ref(),
                "endDate",
                "tanggalSelesai",
                &mut w
            ),
            NaiveDate::from_ymd_opt(2020, 7, 24)
        );
        assert_eq!(
            date(s("2024-02-29").as_ref(), "f", "c", &mut w),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        let bad = [
            "24/07/2020",
            "2020-7-24",
            "2020-02-30",
            "2023-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-07-00",
            "kemarin",
            "2020- 7-24",
            "+202-07-24",
            "2020-07-2a",
            "2020/07/24",
            "٢٠٢٠-07-24",
            "2020-07-245",
        ];
        for bad in bad {
            assert_eq!(
                date(s(bad).as_ref(), "endDate", "tanggalSelesai", &mut w),
                None
            );
        }
        assert_eq!(w.len(), bad.len());
        assert!(w.iter().all(|w| w.code == DATE_INVALID));
        assert_eq!(date(s("  ").as_ref(), "f", "c", &mut w), None);
        assert_eq!(w.len(), bad.len());
    }

    #[test]
    fn timestamps_normalise_to_wib() {
        let mut w = Vec::new();
        let t = timestamp(s("2019-10-28T20:30:00Z").as_ref(), "f", "c", &mut w).unwrap();
        assert_eq!(t.to_rfc3339(), "2019-10-29T03:30:00+07:00");
        let t = timestamp(s("2019-12-27T10:01:00+07:00").as_ref(), "f", "c", &mut w).unwrap();
        assert_eq!(t.to_rfc3339(), "2019-12-27T10:01:00+07:00");
        assert!(w.is_empty());
        let t = timestamp(s("2020-06-02T08:00:00").as_ref(), "f", "c", &mut w).unwrap();
        assert_eq!(t.to_rfc3339(), "2020-06-02T08:00:00+07:00");
        assert_eq!(w[0].code, TIMESTAMP_OFFSET_MISSING);
        assert_eq!(timestamp(s("30/10/2020").as_ref(), "f", "c", &mut w), None);
        assert_eq!(w[1].code, DATE_INVALID);
    }

    #[test]
    fn numbers_regions_phones_and_enums() {
        let mut w = Vec::new();
        assert_eq!(positive(Some(20), "capacity", "kuota", &mut w), Some(20));
        assert_eq!(positive(Some(0), "capacity", "kuota", &mut w), None);
        assert_eq!(positive(Some(-8), "capacity", "kuota", &mut w), None);
        assert_eq!(positive(Some(i64::MAX), "capacity", "kuota", &mut w), None);
        assert_eq!(w.len(), 3);
        w.clear();
        assert_eq!(
            region_code(s("3673").as_ref(), "f", "c", &mut w).as_deref(),
            Some("36.73")
        );
        assert!(w.is_empty());
        assert_eq!(
            region_code(s("36.03.99.2999").as_ref(), "f", "c", &mut w).as_deref(),
            Some("36.03.99.2999")
        );
        assert_eq!(region_code(s("36.0").as_ref(), "f", "c", &mut w), None);
        assert_eq!(w.len(), 2);
        assert!(!w[0].message.contains("36.03.99"));
        assert_eq!(regency_of("36.72.02.1001").as_deref(), Some("36.72"));
        assert_eq!(regency_of("36"), None);
        w.clear();
        assert_eq!(
            phone(s("0899-0009-607").as_ref(), "phone", &mut w).as_deref(),
            Some("+628990009607")
        );
        assert_eq!(phone(s("12345").as_ref(), "phone", &mut w), None);
        assert!(!w[0].message.contains("12345"));
        let table = [("LURING", 1), ("DARING", 2)];
        assert_eq!(
            vocab(s("DARING").as_ref(), &table, "f", "c", &mut w),
            Some(2)
        );
        assert_eq!(vocab(s("HIBRIDA").as_ref(), &table, "f", "c", &mut w), None);
        assert!(w.last().unwrap().message.contains("HIBRIDA"));
    }
}
