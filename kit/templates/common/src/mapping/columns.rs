//! The columns (or fields) the source has, by name, and what a header says about them: a
//! required column missing makes the whole table unusable, an optional one missing reads as
//! empty, an unknown one is ignored. Each of those is reported once, naming the column, never
//! a value.
//!
//! Rename the columns here to your provider's (its contract's spelling, lower case); the
//! mapping in [`super`] refers to them only through these constants.

use std::collections::BTreeSet;

use simpul_schema::SourceIssue;

/// The provider's own key of a training centre. Required.
pub const ID: &str = "id";
/// Its name. Required.
pub const NAME: &str = "name";
/// Kind of institution (`BLKK`, `LPK`, ...).
pub const TYPE: &str = "type";
/// Kemendagri region code, dotted or not.
pub const REGION_CODE: &str = "region_code";
/// The centre's telephone.
pub const PHONE: &str = "phone";
/// The centre's e-mail address.
pub const EMAIL: &str = "email";
/// Whether it operates (`ya`/`tidak`, `yes`/`no`, `1`/`0`).
pub const ACTIVE: &str = "active";

/// Columns a row cannot do without.
pub const REQUIRED: &[&str] = &[ID, NAME];
/// Columns that may be missing from the source altogether.
pub const OPTIONAL: &[&str] = &[TYPE, REGION_CODE, PHONE, EMAIL, ACTIVE];

/// A header name as the mapping looks it up: trimmed, lower case, a leading byte-order mark
/// dropped.
pub fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// What a header says: the notices (unknown, unnamed and repeated columns ignored, optional
/// columns missing), or the one issue that makes the table unusable (a required column
/// missing). Of two columns with the same name, the sources read the first.
///
/// # Errors
/// A required column is not in the header: the issue to reject the whole table with.
pub fn check_header(source: &str, header: &[String]) -> Result<Vec<SourceIssue>, SourceIssue> {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(SourceIssue::new(
            "MISSING_REQUIRED_COLUMNS",
            source,
            format!("the header has no `{}`; nothing read", missing.join("`, `")),
        )
        .with_key(missing.join(",")));
    }
    let mut notices = Vec::new();
    let mut seen = BTreeSet::new();
    for name in header {
        if !seen.insert(name) {
            notices.push(
                SourceIssue::new(
                    "DUPLICATE_COLUMN_IGNORED",
                    source,
                    "a second column of the same name; the first one is read",
                )
                .with_key(name.clone()),
            );
        } else if name.is_empty() {
            notices.push(
                SourceIssue::new(
                    "UNKNOWN_COLUMN_IGNORED",
                    source,
                    "a column without a header; ignored",
                )
                .with_key("(no header)"),
            );
        } else if !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()) {
            notices.push(
                SourceIssue::new(
                    "UNKNOWN_COLUMN_IGNORED",
                    source,
                    "a column this adapter does not read; ignored",
                )
                .with_key(name.clone()),
            );
        }
    }
    let absent: Vec<&str> = OPTIONAL
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !absent.is_empty() {
        notices.push(
            SourceIssue::new(
                "MISSING_OPTIONAL_COLUMNS",
                source,
                "optional columns not in the header; read as empty",
            )
            .with_key(absent.join(",")),
        );
    }
    Ok(notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| normalise(n)).collect()
    }

    #[test]
    fn a_complete_header_is_silent() {
        let full: Vec<&str> = REQUIRED.iter().chain(OPTIONAL).copied().collect();
        assert_eq!(check_header("f", &header(&full)), Ok(Vec::new()));
    }

    #[test]
    fn unknown_and_missing_columns_are_noted_once_each() {
        let notices = check_header("f", &header(&["\u{feff}ID", " Name ", "Motto"])).unwrap();
        let codes: Vec<(&str, Option<&str>)> = notices
            .iter()
            .map(|n| (n.code.as_str(), n.key.as_deref()))
            .collect();
        assert_eq!(
            codes,
            [
                ("UNKNOWN_COLUMN_IGNORED", Some("motto")),
                (
                    "MISSING_OPTIONAL_COLUMNS",
                    Some("type,region_code,phone,email,active")
                ),
            ]
        );
    }

    #[test]
    fn repeated_and_unnamed_columns_are_noted() {
        let notices = check_header("f", &header(&["id", "name", "Name", ""])).unwrap();
        let codes: Vec<(&str, Option<&str>)> = notices
            .iter()
            .map(|n| (n.code.as_str(), n.key.as_deref()))
            .take(2)
            .collect();
        assert_eq!(
            codes,
            [
                ("DUPLICATE_COLUMN_IGNORED", Some("name")),
                ("UNKNOWN_COLUMN_IGNORED", Some("(no header)")),
            ]
        );
    }

    #[test]
    fn a_missing_required_column_rejects_the_table() {
        let issue = check_header("f", &header(&["id", "type"])).unwrap_err();
        assert_eq!(issue.code, "MISSING_REQUIRED_COLUMNS");
        assert_eq!(issue.key.as_deref(), Some("name"));
    }
}
