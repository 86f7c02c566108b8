//! `_like` / `_ilike` patterns, translated so each engine matches exactly what
//! [`simpul_schema::filter::like`] matches.
//!
//! The reference semantics: `%` is any run of characters, `_` exactly one, `\` escapes the next
//! character (a trailing `\` is a literal backslash); `_like` is case-sensitive; `_ilike`
//! lower-cases text and pattern (Unicode) first. The engines differ:
//!
//! - SQLite's `LIKE` ignores ASCII case, so `_like` becomes `GLOB` (case-sensitive, `*`, `?`,
//!   and `[…]` to quote `*`, `?`, `[`).
//! - PostgreSQL's `LIKE` is case-sensitive with `\` as its escape, so `_like` stays `LIKE`
//!   with the pattern re-escaped canonically.
//! - Neither engine's `lower()` folds non-ASCII letters reliably (SQLite: ASCII only;
//!   PostgreSQL: depends on the locale), so `_ilike` becomes a character class per letter that
//!   lists every character whose Unicode lowercase is that letter (`é` → `[Éé]`), as `GLOB` on
//!   SQLite and a regular expression on PostgreSQL. This is exact for every character whose
//!   lowercase is a single character (all but `İ`, U+0130).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A literal character.
    Char(char),
    /// `%`.
    Any,
    /// `_`.
    One,
}

/// Split a `LIKE` pattern into tokens exactly as the reference `like` does.
pub fn tokens(pattern: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '%' => Token::Any,
            '_' => Token::One,
            other => Token::Char(other),
        });
    }
    out
}

/// A PostgreSQL `LIKE` pattern (escape `\`) for a case-sensitive match.
pub fn postgres_like(pattern: &str) -> String {
    let mut out = String::new();
    for token in tokens(pattern) {
        match token {
            Token::Any => out.push('%'),
            Token::One => out.push('_'),
            Token::Char(c) => {
                if matches!(c, '%' | '_' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// An SQLite `GLOB` pattern for a case-sensitive (`folded = false`) or case-insensitive match.
/// `None` when the pattern can never match (a letter no character lowercases to).
pub fn sqlite_glob(pattern: &str, folded: bool) -> Option<String> {
    let mut out = String::new();
    for token in tokens(&prepare(pattern, folded)) {
        match token {
            Token::Any => out.push('*'),
            Token::One => out.push('?'),
            Token::Char(c) => {
                let members = if folded { case_class(c) } else { vec![c] };
                match members.as_slice() {
                    [] => return None,
                    [single] if !matches!(single, '*' | '?' | '[') => out.push(*single),
                    _ => out.push_str(&glob_class(&members)),
                }
            }
        }
    }
    Some(out)
}

/// A PostgreSQL regular expression (ARE) for a case-insensitive match, anchored at both ends.
/// Every literal is a `\uXXXX`/`\UXXXXXXXX` escape, so no character is special.
/// `None` when the pattern can never match.
pub fn postgres_iregex(pattern: &str) -> Option<String> {
    let mut out = String::from("^");
    for token in tokens(&prepare(pattern, true)) {
        match token {
            Token::Any => out.push_str(".*"),
            Token::One => out.push('.'),
            Token::Char(c) => {
                let members = case_class(c);
                if members.is_empty() {
                    return None;
                }
                out.push('[');
                for m in members {
                    out.push_str(&escape_char(m));
                }
                out.push(']');
            }
        }
    }
    out.push('$');
    Some(out)
}

/// The reference lower-cases an `_ilike` pattern before reading it.
fn prepare(pattern: &str, folded: bool) -> String {
    if folded {
        pattern.to_lowercase()
    } else {
        pattern.to_owned()
    }
}

fn escape_char(c: char) -> String {
    let code = u32::from(c);
    if code <= 0xFFFF {
        format!("\\u{code:04X}")
    } else {
        format!("\\U{code:08X}")
    }
}

/// A GLOB bracket expression listing `members` literally: `]` first, `-` last, `^` never
/// first. (Single characters other than `*`, `?` and `[` never get here.)
fn glob_class(members: &[char]) -> String {
    let mut sorted: Vec<char> = members.to_vec();
    sorted.sort_by_key(|c| match c {
        ']' => (0, *c),
        '-' => (3, *c),
        '^' => (2, *c),
        _ => (1, *c),
    });
    let mut out = String::from("[");
    out.extend(sorted);
    out.push(']');
    out
}

/// Every character whose Unicode lowercase is exactly `c` (`é` → `É`, `é`; `k` → `K`, `k`,
/// `K` KELVIN SIGN).
pub fn case_class(c: char) -> Vec<char> {
    let mut members: Vec<char> = inverse_lowercase().get(&c).cloned().unwrap_or_default();
    if single_lowercase(c) == Some(c) {
        members.push(c);
    }
    members.sort_unstable();
    members.dedup();
    members
}

fn single_lowercase(c: char) -> Option<char> {
    let mut lower = c.to_lowercase();
    let first = lower.next()?;
    lower.next().is_none().then_some(first)
}

/// Lowercase letter → the other characters that lowercase to it. Built once.
fn inverse_lowercase() -> &'static HashMap<char, Vec<char>> {
    static MAP: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<char, Vec<char>> = HashMap::new();
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            if let Some(lower) = single_lowercase(c).filter(|l| *l != c) {
                map.entry(lower).or_default().push(c);
            }
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_the_reference() {
        assert_eq!(
            tokens("a\\%b_"),
            [
                Token::Char('a'),
                Token::Char('%'),
                Token::Char('b'),
                Token::One
            ]
        );
        assert_eq!(tokens("x\\"), [Token::Char('x'), Token::Char('\\')]);
    }

    #[test]
    fn postgres_like_escapes() {
        assert_eq!(postgres_like("50\\%_x\\"), "50\\%_x\\\\");
        assert_eq!(postgres_like("%Las%"), "%Las%");
    }

    #[test]
    fn glob_quotes_specials_and_folds() {
        assert_eq!(
            sqlite_glob("a*b?[%", false).as_deref(),
            Some("a[*]b[?][[]*")
        );
        assert_eq!(
            sqlite_glob("Café%", true).as_deref(),
            Some("[Cc][Aa][Ff][Éé]*")
        );
        assert_eq!(case_class('k'), vec!['K', 'k', '\u{212A}']);
        assert_eq!(sqlite_glob("]-^", false).as_deref(), Some("]-^"));
    }

    #[test]
    fn regex_escapes_everything() {
        assert_eq!(
            postgres_iregex("a.%").as_deref(),
            Some("^[\\u0041\\u0061][\\u002E].*$")
        );
    }
}
