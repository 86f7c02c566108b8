//! Cell-level transforms shared by the Rust mapping and the SQL that filters on the same
//! values: text trimming, strict dates, WIB timestamps, ranges, and the warning codes. The
//! provider's vocabularies (raw label → unified name) are in [`super::vocab`] and re-exported
//! here.
//!
//! Every rule here has a twin in [`crate::query::dialect`] or [`crate::query::plans`] that
//! computes the same unified value in SQL, so that a filter evaluated by the database gives
//! the same answer as [`simpl_schema::filter`](simpul_schema::filter) over the mapped record.
//! Keep the two in step; the equivalence tests check them against each other.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use simpul_schema::DataWarning;

pub use super::vocab::*;

/// Warning codes (`DataWarning::code`) this adapter emits.
pub mod codes {
    /// A date cell is not a valid `YYYY-MM-DD` date.
    pub const DATE_INVALID: &str = "DATE_INVALID";
    /// An end date lies before its start date; the end is set to null.
    pub const DATE_ORDER_INVALID: &str = "DATE_ORDER_INVALID";
    /// A value outside the provider's vocabulary.
    pub const ENUM_UNKNOWN: &str = "ENUM_UNKNOWN";
    /// The NIK fails validation; it is not exposed and not linked.
    pub const NIK_INVALID: &str = "NIK_INVALID";
    /// `jenis_kelamin` disagrees with the NIK.
    pub const NIK_SEX_MISMATCH: &str = "NIK_SEX_MISMATCH";
    /// `tanggal_lahir` disagrees with the NIK.
    pub const NIK_BIRTH_DATE_MISMATCH: &str = "NIK_BIRTH_DATE_MISMATCH";
    /// Another `peserta` row carries the same valid NIK.
    pub const DUPLICATE_NIK_IN_PROVIDER: &str = "DUPLICATE_NIK_IN_PROVIDER";
    /// A number outside its range (`kuota <= 0`, score > 100); set to null.
    pub const VALUE_OUT_OF_RANGE: &str = "VALUE_OUT_OF_RANGE";
    /// A cell of another type than its column's (text in a number column); set to null.
    pub const FIELD_TYPE_INVALID: &str = "FIELD_TYPE_INVALID";
    /// A value that cannot be read (a KPJ with letters, a broken list).
    pub const VALUE_INVALID: &str = "VALUE_INVALID";
    /// A value the record should have is missing.
    pub const VALUE_MISSING: &str = "VALUE_MISSING";
    /// A phone number that is not an Indonesian number.
    pub const PHONE_INVALID: &str = "PHONE_INVALID";
    /// A reference to a row that does not exist (a missing supervising institution).
    pub const REFERENCE_MISSING: &str = "REFERENCE_MISSING";
    /// Rows with the same key were merged; this record is the one kept.
    pub const DUPLICATE_KEY: &str = "DUPLICATE_KEY";
    /// Source values that contradict each other (a scheme whose awards name several LSPs).
    pub const VALUE_CONFLICT: &str = "VALUE_CONFLICT";
}

use codes::*;

/// `UTC+07:00`, Waktu Indonesia Barat: the zone of every `TIMESTAMP` in the contract.
pub const WIB: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("+07:00 is a valid offset"),
};

/// Trim spaces (SQL `TRIM`) and turn an empty string into `None` (SQL `NULLIF(…, '')`);
/// text in a decomposed Unicode form is served in NFC (a notice says so, see
/// [`crate::notices`]).
pub fn opt_text(raw: Option<&str>) -> Option<String> {
    let t = raw?.trim_matches(' ');
    (!t.is_empty()).then(|| nfc(t))
}

/// `text` in Unicode NFC (unchanged, without copying twice, when it already is).
pub fn nfc(text: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text.to_owned(),
        _ => text.nfc().collect(),
    }
}

/// A strict `YYYY-MM-DD` date (the contract's `DATE` format): exactly that shape and a real
/// day. The SQL twin is [`crate::query::dialect::Dialect::date`].
pub fn strict_date(raw: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    (date.format("%Y-%m-%d").to_string() == raw).then_some(date)
}

/// A strict `YYYY-MM-DD HH:MM:SS` local timestamp (the contract's `TIMESTAMP` format).
pub fn strict_timestamp(raw: &str) -> Option<NaiveDateTime> {
    let at = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S").ok()?;
    (at.format("%Y-%m-%d %H:%M:%S").to_string() == raw).then_some(at)
}

/// A date cell: `None` when empty; `None` and `DATE_INVALID` when it is not a strict date.
pub fn date(
    raw: Option<&str>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<NaiveDate> {
    let raw = raw?;
    let date = strict_date(raw);
    if date.is_none() {
        warnings.push(DataWarning::new(
            DATE_INVALID,
            field,
            format!("`{column}` is not a valid YYYY-MM-DD date; set to null"),
        ));
    }
    date
}

/// A `DATE` (midnight) or `TIMESTAMP` cell as a WIB instant, strictly.
pub fn local_instant(raw: &str) -> Option<DateTime<FixedOffset>> {
    let naive = match strict_date(raw) {
        Some(day) => day.and_time(NaiveTime::MIN),
        None => strict_timestamp(raw)?,
    };
    naive.and_local_timezone(WIB).single()
}

/// A `TIMESTAMP` read leniently (fractional seconds, `T`, minutes only) as a WIB instant; for
/// freshness, where a slightly odd value is still better than none.
pub fn lenient_instant(raw: &str) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    let naive = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
    .or_else(|| strict_date(raw).map(|d| d.and_time(NaiveTime::MIN)))?;
    naive.and_local_timezone(WIB).single()
}

/// A count that must be positive (`kuota`, `durasi_jp`): `None` and `VALUE_OUT_OF_RANGE` when
/// it is zero, negative or too large for the unified type.
pub fn positive(
    raw: Option<i64>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<i32> {
    let value = raw?;
    match i32::try_from(value) {
        Ok(v) if v > 0 => Some(v),
        _ => {
            warnings.push(DataWarning::new(
                VALUE_OUT_OF_RANGE,
                field,
                format!("`{column}` must be greater than 0; set to null"),
            ));
            None
        }
    }
}

/// A whole number that should fit the unified `Int` (years, cohort numbers).
pub fn small_int(
    raw: Option<i64>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<i32> {
    let value = raw?;
    let fitted = i32::try_from(value).ok();
    if fitted.is_none() {
        warnings.push(DataWarning::new(
            VALUE_OUT_OF_RANGE,
            field,
            format!("`{column}` is too large; set to null"),
        ));
    }
    fitted
}

/// One `FIELD_TYPE_INVALID` warning per column named in `mistyped` (the SQL's list, see
/// [`crate::query::dialect::Dialect::mistyped`]), on its unified field from `fields`.
pub fn mistyped(mistyped: Option<&str>, fields: &[(&str, &str)], warnings: &mut Vec<DataWarning>) {
    for column in mistyped.unwrap_or_default().split_whitespace() {
        let field = fields
            .iter()
            .find(|(c, _)| *c == column)
            .map_or(column, |(_, f)| f);
        warnings.push(DataWarning::new(
            FIELD_TYPE_INVALID,
            field,
            format!("`{column}` holds a value of another type than the column's; set to null"),
        ));
    }
}

/// Whether a percentage-style number is within 0–100 (0 included). The SQL twin is
/// `CASE WHEN x BETWEEN 0 AND 100 THEN x END`.
pub fn in_percent_range(value: f64) -> bool {
    (0.0..=100.0).contains(&value)
}

/// A 0–100 number (`nilai_akhir`, `persen_kehadiran`): `None` and `VALUE_OUT_OF_RANGE`
/// outside the range. 0 is valid.
pub fn percent(
    raw: Option<f64>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<f64> {
    let value = raw?;
    if in_percent_range(value) {
        Some(value)
    } else {
        warnings.push(DataWarning::new(
            VALUE_OUT_OF_RANGE,
            field,
            format!("`{column}` must be between 0 and 100; set to null"),
        ));
        None
    }
}

/// The end of a period, dropped with `DATE_ORDER_INVALID` when it lies before the start.
pub fn ordered_end(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    field: &str,
    column: &str,
    warnings: &mut Vec<DataWarning>,
) -> Option<NaiveDate> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            warnings.push(DataWarning::new(
                DATE_ORDER_INVALID,
                field,
                format!("`{column}` lies before the start date; set to null"),
            ));
            None
        }
        _ => end,
    }
}

/// The regency/city part of a dotted region code (`32.16.06.2002` → `32.16`), `None` for a
/// province or a code too short to have one. The SQL twin is
/// `CASE WHEN length(c) >= 5 THEN substr(c, 1, 5) END`.
pub fn regency_of(code: Option<&str>) -> Option<String> {
    let code = code?;
    (code.chars().count() >= 5).then(|| code.chars().take(5).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates_and_instants() {
        assert!(strict_date("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2024-2-9",
            "2024-02-30",
            "20240105",
            "2024-01-05 00:00:00",
            "",
        ] {
            assert!(strict_date(bad).is_none(), "{bad}");
        }
        assert_eq!(
            local_instant("2024-01-05")
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2024-01-05T00:00:00+07:00")
        );
        assert_eq!(
            local_instant("2024-01-05 13:45:00")
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2024-01-05T13:45:00+07:00")
        );
        assert!(local_instant("2024-01-05 13:45").is_none());
        assert!(lenient_instant("2024-01-05 13:45:00.25").is_some());
        assert!(lenient_instant("2024-01-05T13:45:00").is_some());
    }

    #[test]
    fn ranges() {
        let mut w = Vec::new();
        assert_eq!(
            percent(Some(0.0), "attendancePercent", "persen_kehadiran", &mut w),
            Some(0.0)
        );
        assert_eq!(
            percent(Some(100.0), "finalScore", "nilai_akhir", &mut w),
            Some(100.0)
        );
        assert!(w.is_empty());
        assert_eq!(
            percent(Some(100.5), "finalScore", "nilai_akhir", &mut w),
            None
        );
        assert_eq!(
            percent(Some(-1.0), "finalScore", "nilai_akhir", &mut w),
            None
        );
        assert_eq!(positive(Some(0), "capacity", "kuota", &mut w), None);
        assert_eq!(positive(Some(-3), "capacity", "kuota", &mut w), None);
        assert_eq!(positive(Some(16), "capacity", "kuota", &mut w), Some(16));
        assert_eq!(w.len(), 4);
        assert_eq!(regency_of(Some("32.16.06.2002")).as_deref(), Some("32.16"));
        assert_eq!(regency_of(Some("32")), None);
        assert_eq!(opt_text(Some("  ")), None);
        assert_eq!(opt_text(Some(" a b ")).as_deref(), Some("a b"));
    }
}
