//! Vocabularies: a provider's words for a unified value, matched ignoring case after trimming
//! and collapsing spaces. [`Vocab`] holds values (accepted silently) and variants (mapped and
//! noted `VOCABULARY_NORMALIZED`) as `text=UNIFIED_NAME` pairs; [`lookup`] reads a plain
//! `(text, value)` table.

use crate::read::Read;
use crate::text::fold;

/// The notice code of a listed variant mapped to its value.
pub const VOCABULARY_NORMALIZED: &str = "VOCABULARY_NORMALIZED";

/// A vocabulary: `text=NAME` pairs separated by `;`, values then variants, and how a unified
/// name becomes a value.
pub struct Vocab<T: 'static> {
    /// Accepted silently.
    pub values: &'static str,
    /// Mapped and noted.
    pub variants: &'static str,
    /// The unified value of a name.
    pub parse: fn(&str) -> Option<T>,
}

impl<T> Vocab<T> {
    /// The term for `raw`: `Ok(value)`, `Noted(value)` for a variant, `Bad("ENUM_UNKNOWN")`.
    pub fn lookup(&self, raw: &str) -> Read<T> {
        let key = fold(raw);
        let find = |table: &str| {
            let pairs = table.split(';').filter_map(|pair| pair.split_once('='));
            pairs
                .filter(|(text, _)| fold(text) == key)
                .find_map(|(_, name)| (self.parse)(name.trim()))
        };
        if let Some(v) = find(self.values) {
            Read::Ok(v)
        } else if let Some(v) = find(self.variants) {
            Read::Noted(v, VOCABULARY_NORMALIZED)
        } else {
            Read::Bad("ENUM_UNKNOWN")
        }
    }

    /// Whether every unified name in the tables parses (a typo would silently drop a term).
    pub fn all_parse(&self) -> bool {
        let pairs = self.values.split(';').chain(self.variants.split(';'));
        pairs
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.split_once('=').map(|(_, n)| (self.parse)(n.trim())))
            .all(|parsed| matches!(parsed, Some(Some(_))))
    }
}

/// Look `raw` up in a `(text, value)` table, ignoring case and spacing; `None` when unknown.
pub fn lookup<T: Copy>(raw: &str, table: &[(&str, T)]) -> Option<T> {
    let key = fold(raw);
    table.iter().find(|(k, _)| fold(k) == key).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIVE: Vocab<bool> = Vocab {
        values: "Aktif=true; Tidak Aktif=false",
        variants: "Non Aktif=false; Tdk Aktif=false",
        parse: |name| name.parse().ok(),
    };

    #[test]
    fn values_variants_and_unknowns() {
        assert_eq!(ACTIVE.lookup(" aktif "), Read::Ok(true));
        let noted = Read::Noted(false, VOCABULARY_NORMALIZED);
        assert_eq!(ACTIVE.lookup("Tdk  Aktif"), noted);
        assert_eq!(ACTIVE.lookup("Ditunda"), Read::Bad("ENUM_UNKNOWN"));
        assert!(ACTIVE.all_parse());
        let typo = Vocab::<bool> {
            variants: "Mati=flase",
            ..ACTIVE
        };
        assert!(!typo.all_parse());
    }

    #[test]
    fn tables_ignore_case_and_spacing() {
        let table = [("Korban PHK", 1), ("L", 2)];
        assert_eq!(lookup(" korban  phk ", &table), Some(1));
        assert_eq!(lookup("l", &table), Some(2));
        assert_eq!(lookup("Laki-laki", &table), None);
    }
}
