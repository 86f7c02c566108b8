//! A row being mapped into one record ([`Record`]): reads its cells by column with this crate's
//! readers, collecting notes (reported once as notices, and only if the record is kept) and
//! warnings (carried by the record). [`Findings::accept`] and [`Findings::skip`] end a record.

use chrono::NaiveDate;
use simpul_schema::identity::Nik;
use simpul_schema::{DataWarning, Sex};

use crate::findings::Findings;
use crate::read::{explain, Cell, Read};
use crate::vocab::Vocab;
use crate::xlsx::Row;
use crate::{dates, ids, numbers, regions, text};

/// A row being mapped into one record.
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
    /// Start mapping `row` as the record `row <line>`.
    pub fn new(row: &'a Row) -> Self {
        Self {
            row,
            key: format!("row {}", row.line),
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
        let read = text::text(self.cell(column));
        self.take(column, "", read)
    }

    /// A date column ([`dates::date`]).
    pub fn date(&mut self, column: &'static str, field: &str) -> Option<NaiveDate> {
        self.take(column, field, dates::date(self.cell(column)))
    }

    /// A phone column ([`ids::phone`]).
    pub fn phone(&mut self, column: &'static str, field: &str) -> Option<String> {
        self.take(column, field, ids::phone(self.cell(column)))
    }

    /// A rupiah column ([`numbers::money`]).
    pub fn money(&mut self, column: &'static str, field: &str) -> Option<u64> {
        self.take(column, field, numbers::money(self.cell(column)))
    }

    /// An integer column within `range` (else null + `VALUE_OUT_OF_RANGE`).
    pub fn integer(
        &mut self,
        column: &'static str,
        field: &str,
        range: std::ops::RangeInclusive<i64>,
        roman: bool,
    ) -> Option<i64> {
        let read = numbers::integer(self.cell(column), roman);
        let value = self.take(column, field, read)?;
        if range.contains(&value) {
            return Some(value);
        }
        let code = "VALUE_OUT_OF_RANGE";
        self.warn(code, Some(column), field, explain(code));
        None
    }

    /// A vocabulary column: `None` when empty; `Some(Err(raw))` when unknown (after an
    /// `ENUM_UNKNOWN` warning on `field`); `Some(Ok(value))` otherwise.
    pub fn term<T>(
        &mut self,
        column: &'static str,
        field: &str,
        vocab: &Vocab<T>,
    ) -> Option<Result<T, String>> {
        let raw = self.text(column)?;
        match vocab.lookup(&raw) {
            Read::Bad(code) => {
                let why = "value not in the contract's vocabulary";
                self.warn(code, Some(column), field, why);
                Some(Err(raw))
            }
            read => self.take(column, field, read).map(Ok),
        }
    }

    /// A reader's value without a warning: `Ok` (a note remembered), or `Err` with the refusal
    /// code (`None` when the cell is empty), for the caller to skip the row or warn.
    pub fn read<T>(
        &mut self,
        column: &'static str,
        read: Read<T>,
    ) -> Result<T, Option<&'static str>> {
        match read {
            Read::Ok(v) => Ok(v),
            Read::Noted(v, code) => {
                self.note(code, column);
                Ok(v)
            }
            Read::Missing => Err(None),
            Read::Bad(code) => Err(Some(code)),
        }
    }

    /// A kecamatan within `regency` (by name, `aliases` first) then a desa or kelurahan within
    /// it, from the `columns` (kecamatan, desa), warning on `fields`; an unresolved desa is
    /// null without a warning (the reference lists only some villages).
    pub fn district_village(
        &mut self,
        columns: (&'static str, &'static str),
        regency: &str,
        aliases: &[(&str, &str)],
        fields: (&str, &str),
    ) -> (Option<String>, Option<String>) {
        let district = self.text(columns.0).and_then(|raw| {
            let read = regions::district(&raw, regency, aliases);
            self.take(columns.0, fields.0, read)
        });
        let village = match (&district, self.text(columns.1)) {
            (Some(d), Some(raw)) => match regions::village(&raw, d) {
                Read::Bad(_) => None,
                read => self.take(columns.1, fields.1, read),
            },
            _ => None,
        };
        (district, village)
    }

    /// A domicile (regency, village) from the `columns` (regency, kecamatan, desa): the regency
    /// by name or code, `home` (the provider's own) when blank; the kecamatan and desa within it
    /// ([`Record::district_village`], `aliases` first). Warnings on `fields` (regency, the rest).
    pub fn domicile(
        &mut self,
        columns: (&'static str, &'static str, &'static str),
        (home, aliases): (&str, &[(&str, &str)]),
        fields: (&str, &str),
    ) -> (Option<String>, Option<String>) {
        let regency = match self.text(columns.0) {
            None => Some(home.to_owned()),
            Some(raw) => self.take(columns.0, fields.0, regions::regency(&raw)),
        };
        let Some(within) = regency.clone() else {
            // Still read, so their normalisations are noted as when the regency resolves.
            self.text(columns.1);
            self.text(columns.2);
            return (None, None);
        };
        let (rest, fields) = ((columns.1, columns.2), (fields.1, fields.1));
        (
            regency,
            self.district_village(rest, &within, aliases, fields).1,
        )
    }

    /// `SEX_NIK_MISMATCH` and `BIRTHDATE_NIK_MISMATCH` when the sex or birth date read from
    /// the `columns` (sex, birth date) disagree with the NIK's.
    pub fn check_nik(
        &mut self,
        nik: &Nik,
        sex: Option<Sex>,
        birth_date: Option<NaiveDate>,
        columns: (&str, &str),
    ) {
        if sex.is_some_and(|s| s != nik.sex()) {
            let why = format!("{} disagrees with the NIK", columns.0);
            self.warn("SEX_NIK_MISMATCH", None, "sex", &why);
        }
        if birth_date.is_some_and(|d| !nik.agrees_with_birth_date(d)) {
            let why = format!("{} disagrees with the NIK", columns.1);
            self.warn("BIRTHDATE_NIK_MISMATCH", None, "birthDate", &why);
        }
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

impl Findings {
    /// A record is kept: its notes become notices (once per sheet, code and column), its
    /// warnings go on the record.
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

    /// A record is skipped because its required `column` is empty or invalid.
    pub fn missing(&mut self, record: Record, column: &str) {
        let why = "required value missing or invalid";
        self.skip(record, "ROW_SKIPPED_INVALID_REQUIRED", Some(column), why);
    }
}
