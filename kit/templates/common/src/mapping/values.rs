//! One cell → one unified value. Each function takes the trimmed, non-empty text of a cell and
//! returns the value, or `None` when the cell does not hold one (the caller decides whether
//! that is a warning or a rejected row). No function here logs or reports: they are pure.

use simpul_schema::InstitutionType;
use unicode_normalization::UnicodeNormalization;

/// Text as served: Unicode NFC (an `e` and a combining accent become one `é`, so filters match
/// however the provider's software wrote it), inner runs of whitespace collapsed to one space.
pub fn text(raw: &str) -> String {
    raw.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether [`text`] changes `raw` beyond its spacing (it was not NFC).
pub fn needs_nfc(raw: &str) -> bool {
    !unicode_normalization::is_nfc(raw)
}

/// The kind of institution, from the names providers use (case and spacing ignored).
pub fn institution_type(raw: &str) -> Option<InstitutionType> {
    let folded: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    Some(match folded.as_str() {
        "BLKK" | "BLKKOMUNITAS" => InstitutionType::Blkk,
        "LPK" | "LEMBAGAPELATIHANKERJA" => InstitutionType::Lpk,
        "LKP" => InstitutionType::Lkp,
        "LSP" => InstitutionType::Lsp,
        "UPTP" => InstitutionType::Uptp,
        "UPTD" => InstitutionType::Uptd,
        "UNION" | "UNIONTRAININGCENTER" => InstitutionType::UnionTrainingCenter,
        "OTHER" | "LAINNYA" => InstitutionType::Other,
        _ => return None,
    })
}

/// A Kemendagri region code in its dotted form, and whether it had to be normalised
/// (`3603122001` → `36.03.12.2001`, `true`). `None` for anything that is not a code.
pub fn region_code(raw: &str) -> Option<(String, bool)> {
    let code = simpul_schema::reference::normalize_region_code(raw)?;
    let changed = code != raw.trim();
    Some((code, changed))
}

/// An e-mail address, lower-cased, when it looks like one (`a@b.c`, no spaces).
pub fn email(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (local, domain) = raw.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !raw.contains(char::is_whitespace)
        && !domain.contains('@');
    plausible.then(|| raw.to_lowercase())
}

/// Yes or no, in Indonesian or English, or as `1`/`0`.
pub fn yes_no(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "ya" | "y" | "yes" | "true" | "1" | "aktif" => Some(true),
        "tidak" | "t" | "no" | "n" | "false" | "0" | "nonaktif" | "tidak aktif" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfc() {
        assert!(needs_nfc("Cafe\u{301}"));
        assert_eq!(text("Cafe\u{301}"), "Caf\u{e9}");
        assert!(!needs_nfc("Caf\u{e9}"));
    }

    #[test]
    fn text_collapses_whitespace() {
        assert_eq!(
            text("  BLK \t Komunitas\n Al-Hidayah "),
            "BLK Komunitas Al-Hidayah"
        );
    }

    #[test]
    fn institution_types() {
        assert_eq!(
            institution_type("BLK Komunitas"),
            Some(InstitutionType::Blkk)
        );
        assert_eq!(institution_type("lpk"), Some(InstitutionType::Lpk));
        assert_eq!(
            institution_type("union"),
            Some(InstitutionType::UnionTrainingCenter)
        );
        assert_eq!(institution_type("castle"), None);
    }

    #[test]
    fn region_codes() {
        assert_eq!(region_code("36.03"), Some(("36.03".into(), false)));
        assert_eq!(
            region_code("3603122001"),
            Some(("36.03.12.2001".into(), true))
        );
        assert_eq!(region_code("36-03"), None);
        assert_eq!(region_code("360"), None);
    }

    #[test]
    fn emails_and_booleans() {
        assert_eq!(email("Info@Example.org"), Some("info@example.org".into()));
        assert_eq!(email("info@localhost"), None);
        assert_eq!(email("a b@example.org"), None);
        assert_eq!(yes_no("Ya"), Some(true));
        assert_eq!(yes_no("tidak aktif"), Some(false));
        assert_eq!(yes_no("perhaps"), None);
    }
}
