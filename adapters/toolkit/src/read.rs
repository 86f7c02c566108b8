//! What a cell holds ([`Cell`]) and what a reader made of it ([`Read`]): accepted as is,
//! accepted after a normalisation worth a notice, or refused with a code. Every reader in this
//! crate answers a [`Read`]; no reader ever puts the value into a code or message.

use crate::dates::serial_date;

/// One cell's value as a spreadsheet or CSV file holds it. Formulas are never evaluated: a
/// formula without a cached value is [`Cell::Empty`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (also a text of spaces only, and a cell covered by a merged range).
    Empty,
    /// Text as typed.
    Text(String),
    /// A number in a cell without a date format.
    Number(f64),
    /// A date-formatted number: the serial day (1900 date system).
    Date(f64),
}

impl Cell {
    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text, for columns of text kind and for header labels: numbers without a
    /// fraction lose their `.0`, dates become ISO dates.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
            Cell::Number(n) => Some(n.to_string()),
            Cell::Date(serial) => {
                Some(serial_date(*serial).map_or_else(|| serial.to_string(), |d| d.to_string()))
            }
        }
    }
}

/// What a reader made of a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<T> {
    /// The cell is empty.
    Missing,
    /// Accepted as is.
    Ok(T),
    /// Accepted after a normalisation, reported once per column with this (info) code.
    Noted(T, &'static str),
    /// Refused with this code; the field is null.
    Bad(&'static str),
}

impl<T> Read<T> {
    /// The value, if accepted.
    pub fn value(self) -> Option<T> {
        match self {
            Read::Ok(v) | Read::Noted(v, _) => Some(v),
            Read::Missing | Read::Bad(_) => None,
        }
    }

    /// Apply `f` to an accepted value, keeping the note.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        match self {
            Read::Ok(v) => Read::Ok(f(v)),
            Read::Noted(v, code) => Read::Noted(f(v), code),
            Read::Missing => Read::Missing,
            Read::Bad(code) => Read::Bad(code),
        }
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
        "REGION_CODE_WITHOUT_DOTS" => "region code written without dots; dotted form used",
        "TIMESTAMP_WITHOUT_OFFSET" => "timestamp without a UTC offset; read in WIB (+07:00)",
        "ENUM_UNKNOWN" => "value not in the contract's vocabulary",
        _ => "see the provider contract",
    }
}
