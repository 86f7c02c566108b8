//! Value formats of the three native dialects: SPN's `dd/mm/yyyy`, decimal comma and rupiah
//! with `.` separators; BBPLK's SQL literals; BPJAMSOSTEK's ISO-8601 with `+07:00`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// `15/03/2023`.
pub fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `1/9/2022`: the unpadded spelling the SPN contract also allows.
pub fn dmy_unpadded(d: NaiveDate) -> String {
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

/// `1.500.000`.
pub fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let head = match digits.len() % 3 {
        0 => 3,
        n => n,
    };
    out.push_str(&digits[..head]);
    for group in digits.as_bytes()[head..].chunks(3) {
        out.push('.');
        out.extend(group.iter().map(|b| char::from(*b)));
    }
    out
}

/// `2019-12-27T10:01:00+07:00`.
pub fn iso_wib(t: NaiveDateTime) -> String {
    format!("{}+07:00", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// `2019-12-27`.
pub fn iso_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A day at `minutes` after midnight.
pub fn at(d: NaiveDate, minutes: u32) -> NaiveDateTime {
    d.and_hms_opt(minutes / 60 % 24, minutes % 60, 0)
        .unwrap_or_default()
}

/// SQL string literal: `'it''s'`.
pub fn sql_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// SQL string literal or `NULL`.
pub fn sql_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_owned(), sql_str)
}

/// SQL `DATE` literal.
pub fn sql_date(d: NaiveDate) -> String {
    format!("'{}'", iso_date(d))
}

/// SQL `DATE` literal or `NULL`.
pub fn sql_date_opt(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "NULL".to_owned(), sql_date)
}

/// SQL `TIMESTAMP` literal (local WIB time, no offset).
pub fn sql_ts(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

/// A `NUMERIC(5,2)` from hundredths: `8906` → `89.06`.
pub fn sql_hundredths(v: Option<u32>) -> String {
    v.map_or_else(
        || "NULL".to_owned(),
        |v| format!("{}.{:02}", v / 100, v % 100),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = NaiveDate::from_ymd_opt(2022, 9, 1).unwrap();
        assert_eq!(dmy(d), "01/09/2022");
        assert_eq!(dmy_unpadded(d), "1/9/2022");
        assert_eq!(rupiah(1_500_000), "1.500.000");
        assert_eq!(rupiah(750), "750");
        assert_eq!(rupiah(12_000), "12.000");
        assert_eq!(iso_wib(at(d, 601)), "2022-09-01T10:01:00+07:00");
        assert_eq!(sql_str("MA'RUF"), "'MA''RUF'");
        assert_eq!(sql_hundredths(Some(8906)), "89.06");
        assert_eq!(sql_hundredths(None), "NULL");
    }
}
