//! `--messy` for SPN: a controlled number of the quirks and bad rows the SPN contract (§1, §8)
//! says an adapter must survive. Each row-level kind is planted on
//! `max(1, rows / 1000)` rows, evenly spaced (every `gap`-th row takes the next kind in turn),
//! so the counts are exact and reported in the manifest.
//!
//! | kind | file | what | adapter outcome |
//! |---|---|---|---|
//! | `unpadded_date` | peserta | `1/9/2022` dates | accepted |
//! | `iso_date` | peserta | `tgl_daftar` as `2022-09-01` | accepted, `DATE_FORMAT_NONSTANDARD` |
//! | `lowercase_sex` | peserta | `l` / `p` | accepted |
//! | `impossible_date` | peserta | `tgl_lahir` `31/02/yyyy` | birth date null, `DATE_INVALID` |
//! | `invalid_nik` | peserta | 15-digit NIK | NIK null, `NIK_INVALID` |
//! | `sex_mismatch` | peserta | `jenis_kelamin` disagrees with the NIK | `NIK_SEX_MISMATCH` |
//! | `blank_line` | peserta | an empty line and a `;;;` line before the row | skipped silently |
//! | `exact_duplicate` | peserta | the row again (new `no`) | **rejected** (dropped) |
//! | `conflicting_duplicate` | peserta | same key, other phone | **rejected**, `DUPLICATE_KEY` |
//! | `unknown_course` | peserta | a copy pointing at `SPN-PL-1999-99` | **rejected** |
//! | `orphan_outcome` | hasil | an outcome for an enrolment that does not exist | **rejected** |
//! | `money_with_prefix` | hasil | `omzet_per_bulan` `Rp 1.250.000` | revenue null, `VALUE_INVALID` |
//! | `money_without_dots` | hasil | `1250000` | accepted |
//! | `extra_column` | peserta | an unknown `keterangan` column in the header | ignored |
//! | `lf_line_ends` | hasil | LF instead of CRLF | accepted |

use std::collections::BTreeMap;

/// A planted quirk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// `d/m/yyyy` without zero padding.
    UnpaddedDate,
    /// `yyyy-mm-dd` registration date.
    IsoDate,
    /// Lower-case `l`/`p`.
    LowercaseSex,
    /// `31/02/yyyy` birth date.
    ImpossibleDate,
    /// A 15-digit NIK.
    InvalidNik,
    /// Sex that disagrees with the NIK.
    SexMismatch,
    /// Blank lines before the row.
    BlankLine,
    /// The row twice.
    ExactDuplicate,
    /// The row again with a different phone.
    ConflictingDuplicate,
    /// A copy referencing an unknown batch.
    UnknownCourse,
    /// An outcome for a missing enrolment.
    OrphanOutcome,
    /// Revenue with an `Rp` prefix.
    MoneyWithPrefix,
    /// Revenue without separators.
    MoneyWithoutDots,
}

impl Quirk {
    /// The manifest name.
    pub fn name(self) -> &'static str {
        match self {
            Quirk::UnpaddedDate => "unpadded_date",
            Quirk::IsoDate => "iso_date",
            Quirk::LowercaseSex => "lowercase_sex",
            Quirk::ImpossibleDate => "impossible_date",
            Quirk::InvalidNik => "invalid_nik",
            Quirk::SexMismatch => "sex_mismatch",
            Quirk::BlankLine => "blank_line",
            Quirk::ExactDuplicate => "exact_duplicate",
            Quirk::ConflictingDuplicate => "conflicting_duplicate",
            Quirk::UnknownCourse => "unknown_course",
            Quirk::OrphanOutcome => "orphan_outcome",
            Quirk::MoneyWithPrefix => "money_with_prefix",
            Quirk::MoneyWithoutDots => "money_without_dots",
        }
    }

    /// Whether the SPN adapter rejects (drops) the planted row.
    pub fn rejected(self) -> bool {
        matches!(
            self,
            Quirk::ExactDuplicate
                | Quirk::ConflictingDuplicate
                | Quirk::UnknownCourse
                | Quirk::OrphanOutcome
        )
    }
}

/// The row-level kinds planted in `peserta.csv`.
pub const PESERTA_QUIRKS: &[Quirk] = &[
    Quirk::UnpaddedDate,
    Quirk::IsoDate,
    Quirk::LowercaseSex,
    Quirk::ImpossibleDate,
    Quirk::InvalidNik,
    Quirk::SexMismatch,
    Quirk::BlankLine,
    Quirk::ExactDuplicate,
    Quirk::ConflictingDuplicate,
    Quirk::UnknownCourse,
];

/// The row-level kinds planted in `hasil.csv`.
pub const HASIL_QUIRKS: &[Quirk] = &[
    Quirk::OrphanOutcome,
    Quirk::MoneyWithPrefix,
    Quirk::MoneyWithoutDots,
];

/// Hands out quirks to rows: every `gap`-th row gets the next kind, until each kind has been
/// planted `per_kind` times.
#[derive(Debug, Clone)]
pub struct Planter {
    kinds: &'static [Quirk],
    gap: u64,
    limit: u64,
    row: u64,
    given: u64,
    /// Planted so far, by kind name.
    pub planted: BTreeMap<String, u64>,
}

impl Planter {
    /// A planter for about `rows` rows; `enabled = false` plants nothing.
    pub fn new(enabled: bool, rows: u64, kinds: &'static [Quirk]) -> Self {
        let per_kind = (rows / 1000).max(1);
        let limit = if enabled {
            per_kind * kinds.len() as u64
        } else {
            0
        };
        Self {
            kinds,
            gap: (rows / limit.max(1)).max(1),
            limit,
            row: 0,
            given: 0,
            planted: BTreeMap::new(),
        }
    }

    /// The quirk for the next row, if any.
    pub fn take(&mut self) -> Option<Quirk> {
        self.row += 1;
        if self.given >= self.limit || self.row != self.gap * (self.given + 1) {
            return None;
        }
        let kind = self.kinds[(self.given % self.kinds.len() as u64) as usize];
        self.given += 1;
        *self.planted.entry(kind.name().to_owned()).or_default() += 1;
        Some(kind)
    }

    /// Planted rows the adapter will reject.
    pub fn rejected(&self) -> u64 {
        self.kinds
            .iter()
            .filter(|k| k.rejected())
            .map(|k| self.planted.get(k.name()).copied().unwrap_or(0))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_counts() {
        let mut p = Planter::new(true, 5000, PESERTA_QUIRKS);
        for _ in 0..5000 {
            p.take();
        }
        assert!(p.planted.values().all(|n| *n == 5));
        assert_eq!(p.rejected(), 15);
        let mut off = Planter::new(false, 5000, PESERTA_QUIRKS);
        assert!((0..5000).all(|_| off.take().is_none()));
    }
}
