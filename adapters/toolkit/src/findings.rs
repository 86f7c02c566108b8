//! Findings, the one place where codes and keys become output: units that could not be used
//! ([`Findings::rejected`], served as `SourceStatus.rejected`) and informational notices
//! reported once per (place, code, key) ([`Findings::notices`], served as
//! `SourceStatus.notices`): every ignored file, sheet or column and every kind of
//! normalisation. Keys and reasons name files, sheets, rows, record codes and columns, never a
//! personal value.

use std::collections::HashSet;

use simpul_schema::SourceIssue;

/// One finding: where (`file` or `file!sheet`), its code and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file name, or `<file>!<sheet>`.
    pub source: String,
    /// The row or line, when the finding is about one.
    pub line: Option<u64>,
    /// Upper-snake code (`FILE_IGNORED`, `NIK_NOT_TEXT`, `TEXT_NORMALIZED_NFC`, …).
    pub code: &'static str,
    /// The unit's key: a file, sheet or header name, a record key, `record.column`.
    pub key: Option<String>,
    /// What happened, without personal values.
    pub reason: String,
}

impl Finding {
    /// As the unified model's source issue.
    pub fn issue(&self) -> SourceIssue {
        SourceIssue {
            source: self.source.clone(),
            line: self.line,
            code: self.code.to_owned(),
            key: self.key.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// Everything found while reading and mapping a source.
#[derive(Debug, Default)]
pub struct Findings {
    /// Files, sheets and rows that could not be used.
    pub rejected: Vec<Finding>,
    /// Informational notices, each once.
    pub notices: Vec<Finding>,
    seen: HashSet<(String, &'static str, Option<String>)>,
}

impl Findings {
    /// A file, sheet or row that is not used.
    pub fn reject(
        &mut self,
        source: &str,
        line: Option<u32>,
        code: &'static str,
        key: Option<String>,
        reason: impl Into<String>,
    ) {
        self.rejected.push(Finding {
            source: source.to_owned(),
            line: line.map(u64::from),
            code,
            key,
            reason: reason.into(),
        });
    }

    /// An informational notice, kept only the first time (where, code, key) is seen.
    pub fn notice(&mut self, source: &str, code: &'static str, key: &str, reason: &str) {
        self.notice_at(source, None, code, key, reason);
    }

    /// [`Findings::notice`] at the line where it was first seen.
    pub fn notice_at(
        &mut self,
        source: &str,
        line: Option<u64>,
        code: &'static str,
        key: &str,
        reason: &str,
    ) {
        if self
            .seen
            .insert((source.to_owned(), code, Some(key.to_owned())))
        {
            self.notices.push(Finding {
                source: source.to_owned(),
                line,
                code,
                key: Some(key.to_owned()),
                reason: reason.to_owned(),
            });
        }
    }

    /// The notices as source issues.
    pub fn notice_issues(&self) -> Vec<SourceIssue> {
        self.notices.iter().map(Finding::issue).collect()
    }

    /// The rejected units as source issues.
    pub fn rejected_issues(&self) -> Vec<SourceIssue> {
        self.rejected.iter().map(Finding::issue).collect()
    }
}

/// Push `notice` unless one with the same source, code and key is already there: for readers
/// that collect notices as source issues.
pub fn notice_once(notices: &mut Vec<SourceIssue>, notice: SourceIssue) {
    let seen = |n: &SourceIssue| {
        (&n.source, &n.code, &n.key) == (&notice.source, &notice.code, &notice.key)
    };
    if !notices.iter().any(seen) {
        notices.push(notice);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_once_per_place_code_and_key() {
        let mut f = Findings::default();
        for _ in 0..3 {
            f.notice("a.csv", "TEXT_NORMALIZED_NFC", "nama", "text normalised");
        }
        f.notice("a.csv", "TEXT_NORMALIZED_NFC", "alamat", "text normalised");
        f.notice_at("b.csv", Some(4), "TEXT_NORMALIZED_NFC", "nama", "x");
        f.reject("a.csv", Some(3), "ROW_MALFORMED", None, "row skipped");
        assert_eq!(f.notices.len(), 3);
        assert_eq!(f.notice_issues()[2].line, Some(4));
        assert_eq!(f.rejected_issues()[0].code, "ROW_MALFORMED");
        let mut issues = Vec::new();
        for line in [3, 5] {
            let n = SourceIssue::new("REGION_CODE_WITHOUT_DOTS", "a.csv", "x");
            notice_once(&mut issues, n.at_line(line).with_key("kode_wilayah"));
        }
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].line, Some(3));
    }
}
