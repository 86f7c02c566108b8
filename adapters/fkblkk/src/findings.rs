//! Findings (contract §7), the one place where codes and keys become output: file and sheet
//! errors and skipped rows ([`Findings::rejected`], served as `SourceStatus.rejected`), info
//! notes reported once per (where, code, key) ([`Findings::notices`]), and the warnings a
//! kept record carries ([`Record`]). Keys and messages name sheets, rows, record codes and
//! columns, never a cell's value.

use std::collections::HashSet;
use std::sync::Arc;

use simpul_schema::{DataWarning, SourceIssue};

use crate::cells::{self, Cell, Read};
use crate::workbook::Row;

/// One finding: where (`file` or `file!sheet`), its code and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file name, or `<file>!<sheet>`.
    pub source: String,
    /// The Excel row, when the finding is about one row.
    pub line: Option<u64>,
    /// Upper-snake code from the contract (`FILE_IGNORED`, `NIK_NOT_TEXT`, …).
    pub code: &'static str,
    /// The contract's key: a file, sheet or header name, a record key, `record.column`.
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

/// Everything found while reading and mapping the folder.
#[derive(Debug, Default)]
pub struct Findings {
    /// Files, sheets and rows that could not be used (error and skip levels).
    pub rejected: Vec<Finding>,
    /// Informational notes, each once.
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

    /// An informational note, kept only the first time (where, code, key) is seen.
    pub fn notice(&mut self, source: &str, code: &'static str, key: &str, reason: &str) {
        if self
            .seen
            .insert((source.to_owned(), code, Some(key.to_owned())))
        {
            self.notices.push(Finding {
                source: source.to_owned(),
                line: None,
                code,
                key: Some(key.to_owned()),
                reason: reason.to_owned(),
            });
        }
    }

    /// A record is kept: its notes become notices, its warnings go on the record.
    pub fn accept(&mut self, record: Record) -> Vec<DataWarning> {
        let at = record.row.origin.at();
        for (code, column) in record.notes {
            self.notice(&at, code, column, explain(code));
        }
        record.warnings
    }

    /// A record is skipped with `code` (key `<record>` or `<record>.<column>`); its notes and
    /// warnings are dropped.
    pub fn skip(&mut self, record: Record, code: &'static str, column: Option<&str>, why: &str) {
        let key = match column {
            Some(c) => format!("{}.{c}", record.key),
            None => record.key.clone(),
        };
        let reason = format!("{key}: {why}; row skipped");
        let row = record.row;
        self.reject(&row.origin.at(), Some(row.line), code, Some(key), reason);
    }
}

/// Where a row comes from: its workbook (by position in the reading order) and sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The workbook's file name.
    pub file: String,
    /// The sheet's name as in the workbook, trimmed.
    pub sheet: String,
    /// Position of the workbook in (year, quarter, revision) order.
    pub order: usize,
    /// The last day of the workbook's quarter.
    pub quarter_end: chrono::NaiveDate,
}

impl Origin {
    /// `<file>!<sheet>`.
    pub fn at(&self) -> String {
        format!("{}!{}", self.file, self.sheet)
    }
}

/// A row being mapped into one record: reads its cells by column, collecting notes (reported
/// only if the record is kept) and warnings (carried by the record).
pub struct Record<'a> {
    /// The row.
    pub row: &'a Row,
    /// The record's key (`BLKK-TNG-09`, `PLT-2024-001`, `row 23`).
    pub key: String,
    /// Warnings so far.
    pub warnings: Vec<DataWarning>,
    notes: Vec<(&'static str, &'static str)>,
}

impl<'a> Record<'a> {
    /// Start mapping `row` as the record `key`.
    pub fn new(row: &'a Row, key: impl Into<String>) -> Self {
        Self {
            row,
            key: key.into(),
            warnings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The raw cell of a column (empty when the sheet lacks it).
    pub fn cell(&self, column: &str) -> &'a Cell {
        self.row.cell(column)
    }

    /// Keep a reader's value: a note is remembered, a refusal becomes a warning on `field`.
    pub fn take<T>(&mut self, column: &'static str, field: &str, read: Read<T>) -> Option<T> {
        match read {
            Read::Ok(v) => Some(v),
            Read::Noted(v, code) => {
                self.note(code, column);
                Some(v)
            }
            Read::Missing => None,
            Read::Bad(code) => {
                self.warn(code, Some(column), field, explain(code));
                None
            }
        }
    }

    /// A text column, trimmed and NFC.
    pub fn text(&mut self, column: &'static str) -> Option<String> {
        let read = cells::text(self.cell(column));
        self.take(column, "", read)
    }

    /// An integer column within `range` (else null + `VALUE_OUT_OF_RANGE`).
    pub fn integer(
        &mut self,
        column: &'static str,
        field: &str,
        range: std::ops::RangeInclusive<i64>,
        roman: bool,
    ) -> Option<i64> {
        let read = cells::integer(self.cell(column), roman);
        let value = self.take(column, field, read)?;
        if range.contains(&value) {
            return Some(value);
        }
        self.warn(
            "VALUE_OUT_OF_RANGE",
            Some(column),
            field,
            explain("VALUE_OUT_OF_RANGE"),
        );
        None
    }

    /// A note for `column`, reported once if the record is kept.
    pub fn note(&mut self, code: &'static str, column: &'static str) {
        self.notes.push((code, column));
    }

    /// A warning on the record about `field`, keyed `<record>[.<column>]`.
    pub fn warn(&mut self, code: &str, column: Option<&str>, field: &str, why: &str) {
        let key = match column {
            Some(c) => format!("{}.{c}", self.key),
            None => self.key.clone(),
        };
        let message = format!("{} {key}: {why}", self.row.origin.at());
        let field = (!field.is_empty()).then(|| field.to_owned());
        self.warnings.push(DataWarning {
            code: code.to_owned(),
            field,
            message,
        });
    }
}

/// What a code means, for messages (never with the value).
pub fn explain(code: &str) -> &'static str {
    match code {
        "TEXT_NORMALIZED_NFC" => "text normalised to Unicode NFC",
        "NUMBER_STORED_AS_TEXT" => "number written as text (digits, Roman numeral or Rp amount)",
        "NUMBER_FORMAT_INVALID" => "not a number of the expected form; set to null",
        "VALUE_OUT_OF_RANGE" => "value outside the allowed range; set to null",
        "DATE_FORMAT_NONSTANDARD" => "date given as a serial number or as text, not a date cell",
        "DATE_FORMAT_INVALID" => "not a possible date between 1940 and 2030; set to null",
        "PHONE_LEADING_ZERO_RESTORED" => "phone stored as a number; its leading 0 restored",
        "PHONE_INVALID" => "not an Indonesian phone number; set to null",
        "NIK_NORMALIZED" => "spaces or a leading apostrophe removed from the NIK",
        "NIK_NOT_TEXT" => {
            "NIK stored as a number (Excel keeps 15 digits): rejected, not repaired, not linked"
        }
        "NIK_INVALID" => "NIK empty or not 16 digits with a possible date part; not linked",
        "VOCABULARY_NORMALIZED" => "a listed variant mapped to its value",
        "REGION_NAME_NORMALIZED" => "region name matched after normalisation or by alias",
        "REGION_NAME_UNRESOLVED" => "region name not found in its regency or kecamatan; null",
        "ENUM_UNKNOWN" => "value not in the contract's vocabulary",
        _ => "see the FK-BLKK contract §7",
    }
}

/// Shared origin of the rows of one sheet.
pub type SharedOrigin = Arc<Origin>;
