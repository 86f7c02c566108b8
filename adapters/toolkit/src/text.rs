//! Text: trimming and Unicode NFC (with a notice when NFC changed something), comparison keys
//! for free text and for header labels, and splitting lists typed into one cell.

use unicode_normalization::UnicodeNormalization;

use crate::read::{Cell, Read};

/// The notice code of text that NFC changed.
pub const TEXT_NORMALIZED_NFC: &str = "TEXT_NORMALIZED_NFC";

/// Trim and NFC-normalise `raw`: `Missing` when blank, `Noted(TEXT_NORMALIZED_NFC)` when NFC
/// changed it.
pub fn normalize(raw: &str) -> Read<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Read::Missing;
    }
    let nfc: String = trimmed.nfc().collect();
    if nfc == trimmed {
        Read::Ok(nfc)
    } else {
        Read::Noted(nfc, TEXT_NORMALIZED_NFC)
    }
}

/// A cell as trimmed NFC text (numbers and dates as [`Cell::as_text`] writes them).
pub fn text(cell: &Cell) -> Read<String> {
    match cell.as_text() {
        Some(raw) => normalize(&raw),
        None => Read::Missing,
    }
}

/// Trimmed and NFC, whatever NFC changed (for keys and names compared, not served).
pub fn nfc(raw: &str) -> String {
    raw.trim().nfc().collect()
}

/// A key for comparing free text: trimmed, spaces collapsed, lower case.
pub fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A header text for comparison: line breaks, tabs and NBSPs as spaces, `.` removed, spaces
/// collapsed, lower case, no spaces around `/`.
pub fn header_key(text: &str) -> String {
    let spaced: String = text
        .chars()
        .filter(|c| *c != '.')
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    fold(&spaced)
        .replace(" / ", "/")
        .replace(" /", "/")
        .replace("/ ", "/")
}

/// Split on any of `seps`, trimmed, empty parts dropped.
pub fn split(s: &str, seps: &[char]) -> Vec<String> {
    s.split(seps)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn text_is_trimmed_and_nfc() {
        assert_eq!(text(&t("  Ma'ruf ")), Read::Ok("Ma'ruf".into()));
        assert_eq!(
            text(&t("Jose\u{301}")),
            Read::Noted("Jos\u{e9}".into(), TEXT_NORMALIZED_NFC)
        );
        assert_eq!(text(&Cell::Number(2019.0)), Read::Ok("2019".into()));
        assert_eq!(text(&t("   ")), Read::Missing);
        assert_eq!(nfc("  Jose\u{301} \t"), "Jos\u{e9}");
    }

    #[test]
    fn headers_compare_without_noise() {
        assert_eq!(header_key("No. HP\nPengelola"), "no hp pengelola");
        assert_eq!(
            header_key("Nama Usaha /\nTempat Kerja"),
            "nama usaha/tempat kerja"
        );
        assert_eq!(fold("  Sedang  Berjalan "), "sedang berjalan");
        assert_eq!(split(" a; ;b ,c", &[';', ',']), ["a", "b", "c"]);
    }
}
