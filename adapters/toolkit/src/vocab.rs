//! Vocabularies: a provider's words for a unified value, matched ignoring case after trimming
//! and collapsing spaces. [`Vocab`] holds values (accepted silently) and variants (mapped and
//! noted `VOCABULARY_NORMALIZED`) as `text=UNIFIED_NAME` pairs (a text ending in `*` is a
//! term followed by any words: `CSR *`); [`lookup`] reads a plain `(text, value)` table.
//! A contract's vocabularies can be kept as data, in a text file of named sections
//! ([`Tables`]), with coded lists (`code | value | attribute | variants`, [`CodeList`]).

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
                .filter(|(text, _)| names(text, &key))
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

/// Whether a vocabulary text names the folded `key`: equal, or for `<term> *`, the term alone
/// or followed by other words.
fn names(text: &str, key: &str) -> bool {
    match text.trim().strip_suffix('*') {
        Some(term) => {
            let term = fold(term);
            key == term || key.strip_prefix(&term).is_some_and(|r| r.starts_with(' '))
        }
        None => fold(text) == key,
    }
}

/// A contract's vocabularies as data: sections `[name]`, each running to the next line that
/// starts with `[` or `#`. A [`Vocab`] section has a `values:` and a `variants:` part (pairs
/// separated by `;`, over several lines if need be); a [`CodeList`] section has one line per
/// entry.
#[derive(Debug, Clone, Copy)]
pub struct Tables(pub &'static str);

impl Tables {
    /// The text of section `name` (empty when there is none: every term is then unknown).
    pub fn section(&self, name: &str) -> &'static str {
        let text = self.0;
        let header = format!("[{name}]");
        let Some(at) = text.lines().find(|l| l.trim() == header) else {
            return "";
        };
        // `at` is a slice of `text`: its offset is the distance between the pointers.
        let start = at.as_ptr() as usize - text.as_ptr() as usize + at.len();
        let body = &text[start..];
        let end = body
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .find(|&i| body[i..].starts_with(['[', '#']))
            .unwrap_or(body.len());
        &body[..end]
    }

    /// Section `name` as a [`Vocab`] of values parsed by `parse`.
    pub fn vocab<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Vocab<T> {
        let section = self.section(name);
        let (values, variants) = match section.find("variants:") {
            Some(i) => (&section[..i], &section[i + "variants:".len()..]),
            None => (section, ""),
        };
        let values = values.trim_start().trim_start_matches("values:");
        Vocab {
            values,
            variants,
            parse,
        }
    }

    /// Section `name` as a [`CodeList`].
    pub fn codes(&self, name: &str) -> CodeList {
        CodeList(self.section(name))
    }
}

/// One entry of a [`CodeList`]: its code, value and attribute (a KBJI code, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coded {
    /// The code (also accepted as a value).
    pub code: &'static str,
    /// The value.
    pub name: &'static str,
    /// The entry's attribute, when it has one.
    pub attribute: Option<&'static str>,
}

/// A coded list, one entry a line: `code | value | attribute | variants` (variants separated by
/// `,`; the attribute may be empty).
#[derive(Debug, Clone, Copy)]
pub struct CodeList(pub &'static str);

impl CodeList {
    /// The entries with their variants.
    pub fn entries(&self) -> impl Iterator<Item = (Coded, &'static str)> {
        let lines = self.0.lines().map(str::trim).filter(|l| !l.is_empty());
        lines.map(|line| {
            let mut cols = line.split('|').map(str::trim);
            let mut next = || cols.next().unwrap_or_default();
            let (code, name, attribute) = (next(), next(), next());
            let attribute = Some(attribute).filter(|a| !a.is_empty());
            (
                Coded {
                    code,
                    name,
                    attribute,
                },
                next(),
            )
        })
    }

    /// The entry of `raw`: `Ok` for its code or value, `Noted(VOCABULARY_NORMALIZED)` for a
    /// variant, else `Bad("ENUM_UNKNOWN")`.
    pub fn lookup(&self, raw: &str) -> Read<Coded> {
        let key = fold(raw);
        for (entry, variants) in self.entries() {
            if key == fold(entry.code) || key == fold(entry.name) {
                return Read::Ok(entry);
            }
            if variants.split(',').any(|v| fold(v) == key) {
                return Read::Noted(entry, VOCABULARY_NORMALIZED);
            }
        }
        Read::Bad("ENUM_UNKNOWN")
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

    const TABLES: Tables = Tables(
        "# Status\n[Status]\nvalues: Aktif=true;\n  Tidak Aktif=false\nvariants: Tdk Aktif=false\n\
        # Funding\n[Dana]\nvalues: APBD=1; CSR *=2\n[Kejuruan]\n\
        GAR | Garmen Apparel | 7531 | Menjahit, Tata Busana\nKWU | Kewirausahaan | | Wirausaha\n",
    );

    #[test]
    fn tables_as_data() {
        let active = TABLES.vocab("Status", |n| n.parse::<bool>().ok());
        assert_eq!(active.lookup("tidak  aktif"), Read::Ok(false));
        assert_eq!(
            active.lookup("tdk aktif"),
            Read::Noted(false, VOCABULARY_NORMALIZED)
        );
        assert!(active.all_parse() && !active.variants.contains('#'));
        let dana = TABLES.vocab("Dana", |n| n.parse::<u8>().ok());
        assert_eq!(dana.lookup("csr"), Read::Ok(2));
        assert_eq!(dana.lookup("CSR  PT Maju"), Read::Ok(2));
        assert_eq!(dana.lookup("CSRX"), Read::Bad("ENUM_UNKNOWN"));
        assert_eq!(dana.lookup("apbd"), Read::Ok(1));
        assert_eq!(TABLES.section("Nothing"), "");
        let fields = TABLES.codes("Kejuruan");
        let gar = Coded {
            code: "GAR",
            name: "Garmen Apparel",
            attribute: Some("7531"),
        };
        assert_eq!(fields.lookup("gar"), Read::Ok(gar));
        assert_eq!(
            fields.lookup("Tata  Busana"),
            Read::Noted(gar, VOCABULARY_NORMALIZED)
        );
        assert_eq!(
            fields.lookup("kewirausahaan").value().unwrap().attribute,
            None
        );
        assert_eq!(fields.lookup("Perikanan"), Read::Bad("ENUM_UNKNOWN"));
        assert_eq!(fields.entries().count(), 2);
    }

    #[test]
    fn tables_ignore_case_and_spacing() {
        let table = [("Korban PHK", 1), ("L", 2)];
        assert_eq!(lookup(" korban  phk ", &table), Some(1));
        assert_eq!(lookup("l", &table), Some(2));
        assert_eq!(lookup("Laki-laki", &table), None);
    }
}
