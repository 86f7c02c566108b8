//! Numbers as Indonesian sources write them: whole numbers typed as text or as Roman numerals
//! (`Angkatan II`), rupiah amounts with `.` thousands groups and an optional `Rp`, and decimal
//! commas (`3,5`).

use crate::read::{Cell, Read};

/// The notice code of a number written as text (digits, Roman numeral or `Rp` amount).
pub const NUMBER_STORED_AS_TEXT: &str = "NUMBER_STORED_AS_TEXT";

/// A whole number: a number without fraction, digit text, or (`roman`) a Roman numeral I–XII.
pub fn integer(cell: &Cell, roman: bool) -> Read<i64> {
    match cell {
        Cell::Empty => Read::Missing,
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Read::Ok(*n as i64),
        Cell::Text(s) => {
            let s = s.trim();
            if !s.is_empty() && s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) {
                return Read::Noted(s.parse().unwrap_or_default(), NUMBER_STORED_AS_TEXT);
            }
            match roman.then(|| roman_numeral(s)).flatten() {
                Some(n) => Read::Noted(n, NUMBER_STORED_AS_TEXT),
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

/// Whole rupiah in a cell: a number ≥ 0, or text `Rp 1.500.000`, `Rp. 750.000`, `1.500.000`,
/// `1500000` (noted as [`NUMBER_STORED_AS_TEXT`]).
pub fn money(cell: &Cell) -> Read<u64> {
    match cell {
        Cell::Empty => Read::Missing,
        Cell::Number(n) if *n < 0.0 => Read::Bad("VALUE_OUT_OF_RANGE"),
        Cell::Number(n) if n.fract() == 0.0 && *n < 1e15 => Read::Ok(*n as u64),
        Cell::Text(s) => {
            let lower = s.trim().to_lowercase();
            let amount = lower
                .strip_prefix("rp")
                .map(|rest| rest.trim_start_matches('.').trim())
                .unwrap_or(&lower);
            if amount.starts_with('-') {
                return Read::Bad("VALUE_OUT_OF_RANGE");
            }
            match parse_rupiah(amount) {
                Some(v) => Read::Noted(v, NUMBER_STORED_AS_TEXT),
                None => Read::Bad("NUMBER_FORMAT_INVALID"),
            }
        }
        _ => Read::Bad("NUMBER_FORMAT_INVALID"),
    }
}

/// `1.500.000` or `1500000` → 1500000 (whole rupiah, `.` as thousands separator, no `Rp`).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn integers_and_roman_numerals() {
        assert_eq!(integer(&Cell::Number(240.0), false), Read::Ok(240));
        let noted = |n| Read::Noted(n, NUMBER_STORED_AS_TEXT);
        assert_eq!(integer(&t(" 16 "), false), noted(16));
        assert_eq!(integer(&t("ii"), true), noted(2));
        assert_eq!(integer(&t("XII"), true), noted(12));
        assert_eq!(integer(&t("II"), false), Read::Bad("NUMBER_FORMAT_INVALID"));
        assert_eq!(
            integer(&t("XIII"), true),
            Read::Bad("NUMBER_FORMAT_INVALID")
        );
        let half = integer(&Cell::Number(2.5), false);
        assert_eq!(half, Read::Bad("NUMBER_FORMAT_INVALID"));
    }

    #[test]
    fn money_as_number_or_rupiah_text() {
        assert_eq!(money(&Cell::Number(3_000_000.0)), Read::Ok(3_000_000));
        let noted = |v| Read::Noted(v, NUMBER_STORED_AS_TEXT);
        assert_eq!(money(&t("Rp 3.000.000")), noted(3_000_000));
        assert_eq!(money(&t("Rp. 750.000")), noted(750_000));
        assert_eq!(money(&t("1.500.000")), noted(1_500_000));
        assert_eq!(money(&t("1500000")), noted(1_500_000));
        let bad = Read::Bad("NUMBER_FORMAT_INVALID");
        assert_eq!(money(&t("sekitar 2 jt")), bad);
        assert_eq!(money(&t("1.50.000")), bad);
        assert_eq!(money(&Cell::Number(-5.0)), Read::Bad("VALUE_OUT_OF_RANGE"));
    }

    #[test]
    fn rupiah_text_and_decimal_commas() {
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
}
