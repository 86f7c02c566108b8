//! Cell values by kind (contract §2 "Cell values", §3.3 "The NIK"): what a workbook cell holds
//! ([`Cell`]) and the pure readers that turn it into a value ([`Read`]), saying whether it was
//! accepted as is, accepted after a normalisation worth a note, or refused with a code.
//!
//! Nothing here knows sheets or records; [`crate::findings::Record`] turns a [`Read`] into
//! notes and warnings. No reader ever puts the cell's value into a code or message.

use chrono::{Datelike, NaiveDate};
use simpul_schema::identity::{normalize_phone, Nik};
use unicode_normalization::UnicodeNormalization;

/// One cell's cached value. Formulas are never evaluated: a formula without a cached value is
/// [`Cell::Empty`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (also a text of spaces only, and a cell covered by a merged range).
    Empty,
    /// Text as typed.
    Text(String),
    /// A number in a cell without a date format.
    Number(f64),
    /// A date-formatted number: the serial day (1900 date system).
    Date(f64),
}

impl Cell {
    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text, for columns of text kind and for header labels: numbers without a
    /// fraction lose their `.0`, dates become ISO dates.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
            Cell::Number(n) => Some(n.to_string()),
            Cell::Date(serial) => {
                Some(serial_date(*serial).map_or_else(|| serial.to_string(), |d| d.to_string()))
            }
        }
    }
}

/// What a reader made of a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<T> {
    /// The cell is empty.
    Missing,
    /// Accepted as is.
    Ok(T),
    /// Accepted after a normalisation, reported once per column with this (info) code.
    Noted(T, &'static str),
    /// Refused with this code; the field is null.
    Bad(&'static str),
}

impl<T> Read<T> {
    /// The value, if accepted.
    pub fn value(self) -> Option<T> {
        match self {
            Read::Ok(v) | Read::Noted(v, _) => Some(v),
            Read::Missing | Read::Bad(_) => None,
        }
    }

    /// Apply `f` to an accepted value, keeping the note.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        match self {
            Read::Ok(v) => Read::Ok(f(v)),
            Read::Noted(v, code) => Read::Noted(f(v), code),
            Read::Missing => Read::Missing,
            Read::Bad(code) => Read::Bad(code),
        }
    }
}

/// Trim and NFC-normalise text; the note says NFC changed it.
pub fn text(cell: &Cell) -> Read<String> {
    let Some(raw) = cell.as_text() else {
        return Read::Missing;
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Read::Missing;
    }
    let nfc: String = trimmed.nfc().collect();
    if nfc == trimmed {
        Read::Ok(nfc)
    } else {
        Read::Noted(nfc, "TEXT_NORMALIZED_NFC")
    }
}

/// A whole number: a number without fraction, digit text, or (`roman`) a Roman numeral I–XII.
pub fn integer(cell: &Cell, roman: bool) -> Read<i64> {
    match cell {
        Cell::Empty => Read::Missing,
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Read::Ok(*n as i64),
        Cell::Text(s) => {
            let s = s.trim();
            if !s.is_empty() && s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) {
                return Read::Noted(s.parse().unwrap_or_default(), "NUMBER_STORED_AS_TEXT");
            }
            match roman.then(|| roman_numeral(s)).flatten() {
                Some(n) => Read::Noted(n, "NUMBER_STORED_AS_TEXT"),
                None => Read::Bad("NUMBER_FORMAT_INVALID"),
            }
        }
        _ => Read::Bad("NUMBER_FORMAT_INVALID"),
    }
}

/// `I` … `XII` (any case) as a number.
pub fn roman_numeral(s: &str) -> Option<i64> {
    const NUMERALS: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    let upper = s.trim().to_ascii_uppercase();
    NUMERALS
        .iter()
        .position(|n| *n == upper)
        .map(|i| i as i64 + 1)
}

/// The earliest and latest dates accepted (contract §2).
const DATE_RANGE: (i32, i32) = (1940, 2030);

/// A date: a date cell, a bare serial number, or text `d <bulan> yyyy`, `dd/mm/yyyy`,
/// `dd-mm-yyyy` or `yyyy-mm-dd`. Impossible dates and serials outside 1940–2030 are refused.
pub fn date(cell: &Cell) -> Read<NaiveDate> {
    let (parsed, noted) = match cell {
        Cell::Empty => return Read::Missing,
        Cell::Date(serial) => (serial_date(*serial), false),
        Cell::Number(serial) => (serial_date(*serial), true),
        Cell::Text(s) if s.trim().is_empty() => return Read::Missing,
        Cell::Text(s) => (text_date(s), true),
    };
    match parsed {
        Some(d) if (DATE_RANGE.0..=DATE_RANGE.1).contains(&d.year()) => {
            if noted {
                Read::Noted(d, "DATE_FORMAT_NONSTANDARD")
            } else {
                Read::Ok(d)
            }
        }
        _ => Read::Bad("DATE_FORMAT_INVALID"),
    }
}

/// A serial day of the 1900 date system (for modern dates: 1899-12-30 + serial).
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

/// Indonesian month names and abbreviations (contract §5.9).
const MONTHS: [&[&str]; 12] = [
    &["januari", "jan"],
    &["februari", "pebruari", "feb", "peb"],
    &["maret", "mar"],
    &["april", "apr"],
    &["mei"],
    &["juni", "jun"],
    &["juli", "jul"],
    &["agustus", "agust", "agu", "agt", "ags"],
    &["september", "sept", "sep"],
    &["oktober", "okt"],
    &["november", "nopember", "nov", "nop"],
    &["desember", "des"],
];

fn text_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let number = |t: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let ymd = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d);
    let words: Vec<&str> = s.split_whitespace().collect();
    if let [day, month, year] = words[..] {
        let month = month.trim_end_matches('.').to_lowercase();
        let m = MONTHS
            .iter()
            .position(|names| names.contains(&month.as_str()))?;
        return ymd(number(year, 4..=4)?, m as u32 + 1, number(day, 1..=2)?);
    }
    for sep in ['/', '-'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if let [a, b, c] = parts[..] {
            if a.len() == 4 {
                return ymd(number(a, 4..=4)?, number(b, 2..=2)?, number(c, 2..=2)?);
            }
            return ymd(number(c, 4..=4)?, number(b, 1..=2)?, number(a, 1..=2)?);
        }
    }
    None
}

/// Whole rupiah: a number ≥ 0, or text `Rp 1.500.000`, `1.500.000`, `1500000`.
pub fn money(cell: &Cell) -> Read<u64> {
    match cell {
        Cell::Empty => Read::Missing,
        Cell::Number(n) if *n < 0.0 => Read::Bad("VALUE_OUT_OF_RANGE"),
        Cell::Number(n) if n.fract() == 0.0 && *n < 1e15 => Read::Ok(*n as u64),
        Cell::Text(s) => {
            let s = s.trim();
            let lower = s.to_lowercase();
            let amount = lower
                .strip_prefix("rp")
                .map(|rest| rest.trim_start_matches('.').trim())
                .unwrap_or(&lower);
            if amount.starts_with('-') {
                return Read::Bad("VALUE_OUT_OF_RANGE");
            }
            let grouped = amount.split('.').enumerate().all(|(i, group)| {
                let len_ok = if i == 0 {
                    (1..=3).contains(&group.len())
                } else {
                    group.len() == 3
                };
                len_ok && group.bytes().all(|b| b.is_ascii_digit())
            });
            let plain = !amount.is_empty() && amount.bytes().all(|b| b.is_ascii_digit());
            match (grouped || plain).then(|| amount.replace('.', "").parse::<u64>().ok()) {
                Some(Some(v)) => Read::Noted(v, "NUMBER_STORED_AS_TEXT"),
                _ => Read::Bad("NUMBER_FORMAT_INVALID"),
            }
        }
        _ => Read::Bad("NUMBER_FORMAT_INVALID"),
    }
}

/// A mobile number as `+62…`: text `08…`, `+62…`, `62…` (spaces, `-`, `.`, brackets removed),
/// or a number whose leading `0` Excel dropped (restored, with a note).
pub fn phone(cell: &Cell) -> Read<String> {
    match cell {
        Cell::Empty => Read::Missing,
        Cell::Text(s) => {
            let compact: String = s
                .trim()
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
                .collect();
            let shaped = compact.strip_prefix('+').unwrap_or(&compact);
            let ok = shaped.bytes().all(|b| b.is_ascii_digit());
            match ok.then(|| normalize_phone(&compact)).flatten() {
                Some(p) => Read::Ok(p),
                None => Read::Bad("PHONE_INVALID"),
            }
        }
        Cell::Number(n) if n.fract() == 0.0 && *n > 0.0 && *n < 1e15 => {
            let digits = format!("{}", *n as i64);
            let read = if digits.starts_with("62") {
                normalize_phone(&digits).map(Read::Ok)
            } else if digits.starts_with('8') {
                normalize_phone(&format!("0{digits}"))
                    .map(|p| Read::Noted(p, "PHONE_LEADING_ZERO_RESTORED"))
            } else {
                None
            };
            read.unwrap_or(Read::Bad("PHONE_INVALID"))
        }
        _ => Read::Bad("PHONE_INVALID"),
    }
}

/// A NIK (§3.3): text only. A number-typed cell is refused (`NIK_NOT_TEXT`: Excel kept 15
/// digits, so it is never repaired); text loses spaces, NBSPs and one leading `'` (noted),
/// then must be 16 digits with a possible date part (`NIK_INVALID`).
pub fn nik(cell: &Cell) -> Read<Nik> {
    let raw = match cell {
        Cell::Empty => return Read::Missing,
        Cell::Number(_) | Cell::Date(_) => return Read::Bad("NIK_NOT_TEXT"),
        Cell::Text(s) => s.trim_matches(|c: char| c.is_ascii_whitespace()),
    };
    let unquoted = raw.strip_prefix('\'').unwrap_or(raw);
    let compact: String = unquoted
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}'))
        .collect();
    match Nik::parse(&compact) {
        Ok(nik) if compact == raw => Read::Ok(nik),
        Ok(nik) => Read::Noted(nik, "NIK_NORMALIZED"),
        Err(_) => Read::Bad("NIK_INVALID"),
    }
}

/// A key for comparing free text: trimmed, spaces collapsed, lower case.
pub fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(date(&Cell::Date(45306.0)), Read::Ok(ymd(2024, 1, 15)));
        let nonstandard = |d| Read::Noted(d, "DATE_FORMAT_NONSTANDARD");
        assert_eq!(date(&Cell::Number(45401.0)), nonstandard(ymd(2024, 4, 19)));
        assert_eq!(date(&t("19 Februari 2024")), nonstandard(ymd(2024, 2, 19)));
        assert_eq!(date(&t("24 Jun. 2024")), nonstandard(ymd(2024, 6, 24)));
        assert_eq!(date(&t("1 Agt 2024")), nonstandard(ymd(2024, 8, 1)));
        assert_eq!(date(&t("05/04/2024")), nonstandard(ymd(2024, 4, 5)));
        assert_eq!(date(&t("28-08-1988")), nonstandard(ymd(1988, 8, 28)));
        assert_eq!(date(&t("2024-06-19")), nonstandard(ymd(2024, 6, 19)));
        for bad in [
            "30 Februari 2024",
            "31/04/2024",
            "besok",
            "19 Feb 24",
            "2024/6/19",
        ] {
            assert_eq!(date(&t(bad)), Read::Bad("DATE_FORMAT_INVALID"), "{bad}");
        }
        // A birth year typed as a number is a serial in 1905.
        assert_eq!(
            date(&Cell::Number(1989.0)),
            Read::Bad("DATE_FORMAT_INVALID")
        );
        assert_eq!(date(&Cell::Empty), Read::Missing);
    }

    #[test]
    fn integers_and_roman_numerals() {
        assert_eq!(integer(&Cell::Number(240.0), false), Read::Ok(240));
        assert_eq!(
            integer(&t(" 16 "), false),
            Read::Noted(16, "NUMBER_STORED_AS_TEXT")
        );
        assert_eq!(
            integer(&t("ii"), true),
            Read::Noted(2, "NUMBER_STORED_AS_TEXT")
        );
        assert_eq!(
            integer(&t("XII"), true),
            Read::Noted(12, "NUMBER_STORED_AS_TEXT")
        );
        assert_eq!(integer(&t("II"), false), Read::Bad("NUMBER_FORMAT_INVALID"));
        assert_eq!(
            integer(&t("XIII"), true),
            Read::Bad("NUMBER_FORMAT_INVALID")
        );
        assert_eq!(
            integer(&Cell::Number(2.5), false),
            Read::Bad("NUMBER_FORMAT_INVALID")
        );
    }

    #[test]
    fn money_as_number_or_rupiah_text() {
        assert_eq!(money(&Cell::Number(3_000_000.0)), Read::Ok(3_000_000));
        let noted = |v| Read::Noted(v, "NUMBER_STORED_AS_TEXT");
        assert_eq!(money(&t("Rp 3.000.000")), noted(3_000_000));
        assert_eq!(money(&t("Rp. 750.000")), noted(750_000));
        assert_eq!(money(&t("1.500.000")), noted(1_500_000));
        assert_eq!(money(&t("1500000")), noted(1_500_000));
        assert_eq!(
            money(&t("sekitar 2 jt")),
            Read::Bad("NUMBER_FORMAT_INVALID")
        );
        assert_eq!(money(&t("1.50.000")), Read::Bad("NUMBER_FORMAT_INVALID"));
        assert_eq!(money(&Cell::Number(-5.0)), Read::Bad("VALUE_OUT_OF_RANGE"));
    }

    #[test]
    fn phones_restored_or_refused() {
        assert_eq!(
            phone(&t("0899-0030-0001")),
            Read::Ok("+6289900300001".into())
        );
        assert_eq!(
            phone(&t("+62 899 0030 0001")),
            Read::Ok("+6289900300001".into())
        );
        assert_eq!(
            phone(&Cell::Number(89900300037.0)),
            Read::Noted("+6289900300037".into(), "PHONE_LEADING_ZERO_RESTORED")
        );
        assert_eq!(phone(&t("0899 abc")), Read::Bad("PHONE_INVALID"));
        assert_eq!(phone(&t("12345")), Read::Bad("PHONE_INVALID"));
    }

    #[test]
    fn niks_text_only() {
        assert!(matches!(nik(&t("3603182703899002")), Read::Ok(_)));
        for noisy in [
            "3603 1827 0389 9002",
            "'3603182703899002",
            "3603182703899002\u{a0}",
        ] {
            assert!(
                matches!(nik(&t(noisy)), Read::Noted(_, "NIK_NORMALIZED")),
                "{noisy:?}"
            );
        }
        assert_eq!(
            nik(&Cell::Number(3_603_181_507_959_010.0)),
            Read::Bad("NIK_NOT_TEXT")
        );
        assert_eq!(nik(&t("3.60318E+15")), Read::Bad("NIK_INVALID"));
        assert_eq!(nik(&t("3603183203899002")), Read::Bad("NIK_INVALID"));
    }

    #[test]
    fn text_is_trimmed_and_nfc() {
        assert_eq!(text(&t("  Ma'ruf ")), Read::Ok("Ma'ruf".into()));
        assert_eq!(
            text(&t("Jose\u{301}")),
            Read::Noted("Jos\u{e9}".into(), "TEXT_NORMALIZED_NFC")
        );
        assert_eq!(text(&Cell::Number(2019.0)), Read::Ok("2019".into()));
        assert_eq!(text(&t("   ")), Read::Missing);
    }
}
