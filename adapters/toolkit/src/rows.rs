//! Rows mapped with `?`: a mapping returns its record or a [`Skip`] (the row's rejection:
//! code, column, reason), and [`Findings::map_rows`] keeps each record with its warnings
//! ([`Warned`]) or reports the skip. The [`Record`] readers here answer a [`Skip`] for a
//! required column ([`Record::code`], [`Record::required`], [`Record::require`]) and read a
//! vocabulary with a fallback for unknown terms ([`Record::term_or`], [`Record::known_or`],
//! [`Record::terms`]).

use simpul_schema::{
    Course, CourseRun, CredentialAward, DataWarning, Enrollment, Outcome, Participant, Partnership,
    Program, TrainingCenter,
};

use crate::findings::Findings;
use crate::read::{explain, Read};
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

    /// A required value read from `column`: an empty cell is a [`Skip::missing`], a refused
    /// value a skip with the refusal's code (a number-typed NIK: `NIK_NOT_TEXT`).
    pub fn require<T>(&mut self, column: &'static str, read: Read<T>) -> Result<T, Skip> {
        match self.read(column, read) {
            Ok(value) => Ok(value),
            Err(None) => Err(Skip::missing(column)),
            Err(Some(code)) => Err(Skip::new(code, None, explain(code))),
        }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use simpul_schema::Partnership;

    use super::*;
    use crate::read::Cell;
    use crate::xlsx::Origin;

    fn row(line: u32, cells: &[(&'static str, &str)]) -> Row {
        let origin = Origin {
            file: "a.xlsx".into(),
            sheet: "Kemitraan".into(),
            order: 0,
            as_of: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
        };
        let cells = cells.iter().map(|(c, v)| (*c, Cell::Text((*v).to_owned())));
        Row {
            origin: Arc::new(origin),
            line,
            cells: cells.collect(),
        }
    }

    #[test]
    fn a_record_or_a_skip_per_row() {
        let rows = [
            row(3, &[("Kode", " blkk-1 "), ("Nama", "Jose\u{301}")]),
            row(4, &[("Nama", "Mitra")]),
            row(5, &[("Kode", "X"), ("Nama", "Mitra")]),
        ];
        let mut findings = Findings::default();
        let kept = findings.map_rows(&rows, |rec| {
            let code = rec.code("Kode")?;
            let name = rec.required("Nama")?;
            if code == "X" {
                return Err(Skip::unknown_reference(Some("Kode"), "names nothing"));
            }
            rec.warn("SOME_WARNING", None, "", "kept with a warning");
            Ok(Partnership {
                source_id: code,
                kind: simpul_schema::PartnershipKind::Other,
                parties: Vec::new(),
                document_number: Some(name),
                signed_on: None,
                valid_from: None,
                valid_until: None,
                place: None,
                scope: None,
                contribution: None,
                status: None,
                warnings: Vec::new(),
            })
        });
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].source_id, "BLKK-1");
        assert_eq!(kept[0].warnings[0].code, "SOME_WARNING");
        let codes: Vec<_> = findings
            .rejected
            .iter()
            .map(|f| (f.code, f.key.clone()))
            .collect();
        let key = |k: &str| Some(k.to_owned());
        assert_eq!(
            codes,
            [
                ("ROW_SKIPPED_INVALID_REQUIRED", key("row 4.Kode")),
                ("REFERENCE_NOT_FOUND", key("row 5.Kode"))
            ]
        );
        assert_eq!(findings.notices.len(), 1, "the kept row's NFC note");
    }

    #[test]
    fn terms_with_a_fallback() {
        let rows = [row(3, &[("Dana", "APBD + Hibah + apbd")])];
        let vocab = Vocab::<u8> {
            values: "APBD=1",
            variants: "",
            parse: |n| n.parse().ok(),
        };
        let mut rec = Record::new(&rows[0]);
        let raw = rec.text("Dana").unwrap();
        let terms = rec.terms(
            ("Dana", &raw),
            &['+'],
            "funding",
            |p| vocab.lookup(p),
            (0, "?"),
        );
        assert_eq!(terms, [1, 0]);
        assert_eq!(rec.warnings.len(), 1);
        assert_eq!(rec.term_or("Dana", "funding", &vocab, 9), Some(9));
    }
}
