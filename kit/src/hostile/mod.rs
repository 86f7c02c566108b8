//! The hostile-source kit: for each kind of source (CSV folders, Excel workbooks, SQL
//! databases, REST bodies) the inputs real providers produce — empty and header-only files,
//! rows with too many or too few fields, wrong types, a BOM, NFD text, duplicate keys, huge
//! cells, mixed date formats, a NIK that lost its leading zero or its last digits, stray
//! whitespace, unknown and missing optional columns — each as a [`Case`] that corrupts a valid
//! baseline source, and [`judge`] that says whether the adapter kept the rule for bad data
//! (README, "Writing an adapter"):
//!
//! - it starts, and every untouched record is served as in the baseline (by `sourceId`);
//! - the corrupted unit is served, correctly normalised, or reported in
//!   `SourceStatus.rejected` with a code and a place (file, sheet, line or key);
//! - what it ignored or normalised is one notice in `SourceStatus.notices`;
//! - no personal value (NIK, KPJ, phone, name, birth date) is in any rejection, notice,
//!   warning, error or log line ([`crate::scan`]).
//!
//! A run: [`observe`] the adapter on the baseline, copy the baseline, apply one case's
//! corruption ([`csv`], [`xlsx`], [`sql`], [`rest`]), [`observe`] again, [`judge`].
//! `kit/tests/hostile.rs` runs every case against every adapter of the repository.

pub mod csv;
mod judge;
mod observe;
pub mod rest;
mod served;
pub mod sql;
mod workbook;
pub mod xlsx;

pub use judge::judge;
pub use observe::{observe, Observed};

/// What a case corrupts, so the judge knows which records may change.
#[derive(Clone, PartialEq, Eq)]
pub enum Touch {
    /// The records whose `sourceId` contains this text (a row's id, and what derives from it).
    Id(String),
    /// The record of this collection with exactly this `sourceId`.
    Exact(&'static str, String),
    /// The participant with this NIK in the baseline, and every record whose `sourceId`
    /// contains that participant's (for adapters that key people by a hash). Never printed.
    Person(String),
    /// The file, sheet or table the case empties: a new rejected unit or notice must name it
    /// (its `source` contains this text), whatever else the loss causes elsewhere.
    Source(&'static str),
    /// A whole collection (`participants`): the case corrupts a file or table behind it.
    All(&'static str),
}

/// What must become of the touched unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Served exactly as in the baseline, nothing rejected (a BOM, stray whitespace).
    Same,
    /// Served as in the baseline, and one notice names what was ignored (an unknown column):
    /// a new notice, or one whose code has this text that the baseline already had (the
    /// source already had such a column: reported once).
    Ignored(&'static str),
    /// Served (normalised: NFC text, well-formed identifiers), nothing rejected, and a notice
    /// names what was normalised or is missing (NFD text, a missing optional column), as for
    /// [`Expect::Ignored`].
    Noticed(&'static str),
    /// Served with its identifiers as the source had them (or without them), or rejected
    /// with a code and a place.
    Either,
    /// As [`Expect::Either`]; and when the adapter repairs the value (serves the baseline's: a
    /// phone number's leading zero restored, a date in another format read), a notice says so,
    /// as for [`Expect::Ignored`].
    Restored(&'static str),
    /// As [`Expect::Either`], and something must say so: a rejected unit or a warning on the
    /// record (a duplicate key: one copy may be served, the other is never silently dropped).
    Reported,
}

/// One hostile input: its name, what it does to the baseline, what it touches, what must
/// hold, and the corruption itself (a function of the source kind's baseline).
pub struct Case<C> {
    /// `csv/too-many-fields`.
    pub name: &'static str,
    /// What it does, in a sentence.
    pub corrupts: &'static str,
    /// The records it may change.
    pub touches: Vec<Touch>,
    /// What must become of them.
    pub expect: Expect,
    /// The corruption.
    pub corruption: C,
}

/// A case's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The case.
    pub case: &'static str,
    /// What the adapter did: `served`, `rejected ROW_MALFORMED`, `down`, `+ notice …`.
    pub outcome: String,
    /// What did not hold; empty when the case passed.
    pub problems: Vec<String>,
}

impl Verdict {
    fn new<C>(case: &Case<C>, outcome: &str, problems: Vec<String>) -> Self {
        Self {
            case: case.name,
            outcome: outcome.to_owned(),
            problems,
        }
    }

    /// Whether everything held.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mark = if self.passed() { "pass" } else { "FAIL" };
        write!(f, "{mark} {}: {}", self.case, self.outcome)?;
        for problem in &self.problems {
            write!(f, "\n    {problem}")?;
        }
        Ok(())
    }
}
