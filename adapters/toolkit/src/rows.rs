//! Rows mapped with `?`: a mapping returns its record or a [`Skip`] (the row's rejection:
//! code, column, reason), and [`Findings::map_rows`] keeps each record with its warnings
//! ([`Warned`]) or reports the skip. The [`Record`] readers here answer a [`Skip`] for a
//! required column ([`Record::code`], [`Record::required`]) and read a vocabulary with a
//! fallback for unknown terms ([`Record::term_or`], [`Record::known_or`], [`Record::terms`]).

use simpul_schema::{
    Course, CourseRun, CredentialAward, DataWarning, Enrollment, Outcome, Participant, Partnership,
    Program, TrainingCenter,
};

use crate::findings::Findings;
use crate::read::Read;
use crate::record::Record;
use crate::text::{split, text};
use crate::vocab::Vocab;
use crate::xlsx::Row;

/// Why a row is not mapped: a rejected row with a code, the column at fault and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The finding's code (`ROW_SKIPPED_INVALID_REQUIRED`, `REFERENCE_NOT_FOUND`, …).
    pub code: &'static str,
    /// The column at fault, appended to the record's key.
    pub column: Option<&'static str>,
    /// Why, without a value.
    pub why: String,
}

impl Skip {
    /// A row skipped with `code`.
    pub fn new(code: &'static str, column: Option<&'static str>, why: impl Into<String>) -> Self {
        Self {
            code,
            column,
            why: why.into(),
        }
    }

    /// A row whose required `column` is empty or invalid.
    pub fn missing(column: &'static str) -> Self {
        let why = "required value missing or invalid";
        Self::new("ROW_SKIPPED_INVALID_REQUIRED", Some(column), why)
    }

    /// A row naming a record that is not there (`REFERENCE_NOT_FOUND`).
    pub fn unknown_reference(column: Option<&'static str>, why: &str) -> Self {
        Self::new("REFERENCE_NOT_FOUND", column, why)
    }
}

/// A unified record that carries its warnings.
pub trait Warned {
    /// The record's warnings.
    fn warnings_mut(&mut self) -> &mut Vec<DataWarning>;
}

macro_rules! warned {
    ($($record:ty),*) => {$(
        impl Warned for $record {
            fn warnings_mut(&mut self) -> &mut Vec<DataWarning> {
                &mut self.warnings
            }
        }
    )*};
}

warned!(
    TrainingCenter,
    Program,
    Course,
    CourseRun,
    Participant,
    Enrollment,
    Outcome,
    Partnership,
    CredentialAward
);

impl Findings {
    /// Map each row with `map`: a record is kept with the row's warnings (its notes become
    /// notices), a [`Skip`] is a rejected row (its notes and warnings dropped).
    pub fn map_rows<'a, T: Warned>(
        &mut self,
        rows: impl IntoIterator<Item = &'a Row>,
        mut map: impl FnMut(&mut Record<'a>) -> Result<T, Skip>,
    ) -> Vec<T> {
        let rows = rows.into_iter();
        rows.filter_map(|row| self.map_row(row, &mut map)).collect()
    }

    /// [`Findings::map_rows`] for one row.
    pub fn map_row<'a, T: Warned>(
        &mut self,
        row: &'a Row,
        map: impl FnOnce(&mut Record<'a>) -> Result<T, Skip>,
    ) -> Option<T> {
        let mut rec = Record::new(row);
        match map(&mut rec) {
            Ok(mut record) => {
                let mut warnings = self.accept(rec);
                warnings.append(record.warnings_mut());
                *record.warnings_mut() = warnings;
                Some(record)
            }
            Err(skip) => {
                self.skip(rec, skip.code, skip.column, &skip.why);
                None
            }
        }
    }
}

/// A code cell (a record's own key or a reference to one) as a key: trimmed, upper case, no
/// notice.
pub fn code(row: &Row, column: &str) -> Option<String> {
    text(row.cell(column)).value().map(|c| c.to_uppercase())
}

impl Record<'_> {
    /// A required code column ([`code`]), else a [`Skip::missing`].
    pub fn code(&self, column: &'static str) -> Result<String, Skip> {
        code(self.row, column).ok_or(Skip::missing(column))
    }

    /// A required text column ([`Record::text`]), else a [`Skip::missing`].
    pub fn required(&mut self, column: &'static str) -> Result<String, Skip> {
        self.text(column).ok_or(Skip::missing(column))
    }

    /// A vocabulary column ([`Record::term`]): its term, `unknown` for a text not in it (after
    /// the `ENUM_UNKNOWN` warning), `None` when empty.
    pub fn term_or<T>(
        &mut self,
        column: &'static str,
        field: &str,
        vocab: &Vocab<T>,
        unknown: T,
    ) -> Option<T> {
        self.term(column, field, vocab)
            .map(|t| t.unwrap_or(unknown))
    }

    /// A vocabulary lookup of a value read from `column`: the term (a variant noted), or
    /// `other` with the refusal code as a warning on `field` saying `why`.
    pub fn known_or<T>(
        &mut self,
        column: &'static str,
        field: &str,
        read: Read<T>,
        (other, why): (T, &str),
    ) -> T {
        match read {
            Read::Bad(code) => {
                self.warn(code, Some(column), field, why);
                other
            }
            read => self.take(column, field, read).unwrap_or(other),
        }
    }

    /// A list of terms typed into one cell (`raw`, read from `column`), split on `seps`, each
    /// looked up ([`Record::known_or`]), without repeats.
    pub fn terms<T: PartialEq + Clone>(
        &mut self,
        (column, raw): (&'static str, &str),
        seps: &[char],
        field: &str,
        lookup: impl Fn(&str) -> Read<T>,
        other: (T, &str),
    ) -> Vec<T> {
        let mut out = Vec::new();
        for part in split(raw, seps) {
            let term = self.known_or(column, field, lookup(&part), other.clone());
            if !out.contains(&term) {
                out.push(term);
            }
        }
        out
    }
}
