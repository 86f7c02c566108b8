//! Dates as Indonesian sources write them: date cells and bare Excel serials, `17 Agustus
//! 2024` (month names and their abbreviations), `17/08/2024`, `17-08-2024`, ISO `2024-08-17`;
//! the strict `d/m/yyyy` of a CSV contract ([`parse_dmy`]); and timestamps, read in WIB when
//! they carry no offset ([`timestamp`]).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};

use crate::read::{Cell, Read};

/// The notice code of a date given as a serial number or as text instead of a date cell.
pub const DATE_FORMAT_NONSTANDARD: &str = "DATE_FORMAT_NONSTANDARD";
/// The notice code of a timestamp read in WIB because it carries no offset.
pub const TIMESTAMP_WITHOUT_OFFSET: &str = "TIMESTAMP_WITHOUT_OFFSET";

/// The earliest and latest years [`date`] accepts.
pub const DATE_RANGE: (i32, i32) = (1940, 2030);

/// A date: a date cell, a bare serial number, or text `d <bulan> yyyy`, `dd/mm/yyyy`,
/// `dd-mm-yyyy` or `yyyy-mm-dd`. Impossible dates and years outside [`DATE_RANGE`] are refused
/// (`DATE_FORMAT_INVALID`); anything but a date cell is noted (`DATE_FORMAT_NONSTANDARD`).
pub fn date(cell: &Cell) -> Read<NaiveDate> {
    let (parsed, noted) = match cell {
        Cell::Empty => return Read::Missing,
        Cell::Date(serial) => (serial_date(*serial), false),
        Cell::Number(serial) => (serial_date(*serial), true),
        Cell::Text(s) if s.trim().is_empty() => return Read::Missing,
        Cell::Text(s) => (indonesian_date(s), true),
    };
    match parsed {
        Some(d) if (DATE_RANGE.0..=DATE_RANGE.1).contains(&d.year()) => {
            if noted {
                Read::Noted(d, DATE_FORMAT_NONSTANDARD)
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

/// Indonesian month names and abbreviations.
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

/// Text `d <bulan> yyyy` (`17 Agustus 2024`, `1 Agt. 2024`), `dd/mm/yyyy`, `dd-mm-yyyy`,
/// `yyyy-mm-dd` or `yyyy/mm/dd`; `None` when not one of these or impossible.
pub fn indonesian_date(s: &str) -> Option<NaiveDate> {
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

/// A date of a contract that writes `d/m/yyyy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// `d/m/yyyy` or `dd/mm/yyyy`.
    Valid(NaiveDate),
    /// `yyyy-mm-dd`: usable, but not the contract's form.
    Nonstandard(NaiveDate),
    /// Unreadable or impossible (`31/02/2023`).
    Invalid,
}

/// Parse `d/m/yyyy` (zero padding optional), or `yyyy-mm-dd` as [`DateValue::Nonstandard`].
pub fn parse_dmy(raw: &str) -> DateValue {
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

/// Western Indonesian Time, +07:00: the offset of a timestamp written without one.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
}

/// Midnight WIB of a day (a survey or record date as a timestamp).
pub fn midnight_wib(day: NaiveDate) -> Option<DateTime<FixedOffset>> {
    day.and_hms_opt(0, 0, 0)?.and_local_timezone(wib()).single()
}

/// An RFC 3339 timestamp; one without an offset (`2024-08-17T09:30:00`, `2024-08-17 09:30`)
/// is read in WIB and noted (`TIMESTAMP_WITHOUT_OFFSET`); anything else is `VALUE_INVALID`.
pub fn timestamp(raw: &str) -> Read<DateTime<FixedOffset>> {
    let s = raw.trim();
    if s.is_empty() {
        return Read::Missing;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Read::Ok(t);
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok());
    match local.and_then(|t| t.and_local_timezone(wib()).single()) {
        Some(t) => Read::Noted(t, TIMESTAMP_WITHOUT_OFFSET),
        None => Read::Bad("VALUE_INVALID"),
    }
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
    fn cell_dates_in_every_form() {
        assert_eq!(date(&Cell::Date(45306.0)), Read::Ok(ymd(2024, 1, 15)));
        let nonstandard = |d| Read::Noted(d, DATE_FORMAT_NONSTANDARD);
        assert_eq!(date(&Cell::Number(45401.0)), nonstandard(ymd(2024, 4, 19)));
        assert_eq!(date(&t("17 Agustus 2024")), nonstandard(ymd(2024, 8, 17)));
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
    fn contract_dates_d_m_yyyy() {
        assert_eq!(parse_dmy("15/03/2023"), DateValue::Valid(ymd(2023, 3, 15)));
        assert_eq!(parse_dmy(" 1/9/2022 "), DateValue::Valid(ymd(2022, 9, 1)));
        assert_eq!(
            parse_dmy("2023-03-15"),
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
            assert_eq!(parse_dmy(bad), DateValue::Invalid, "{bad}");
        }
        assert_eq!(parse_dmy("29/02/2024"), DateValue::Valid(ymd(2024, 2, 29)));
    }

    #[test]
    fn timestamps_without_offset_are_wib_and_noted() {
        let at = |s: &str| timestamp(s).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2024-08-17T09:30:00+07:00"),
            Read::Ok("2024-08-17T09:30:00+07:00".into())
        );
        assert_eq!(
            at("2024-08-17 09:30"),
            Read::Noted("2024-08-17T09:30:00+07:00".into(), TIMESTAMP_WITHOUT_OFFSET)
        );
        assert_eq!(at("kemarin"), Read::Bad("VALUE_INVALID"));
        assert_eq!(at(" "), Read::Missing);
    }
}
