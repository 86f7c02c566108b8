//! Synthetic identifiers: NIK, KPJ and phone numbers, each a pure function of the seed and the
//! person's number.
//!
//! **NIK uniqueness.** A NIK is `PPKKCC` (district of first registration, a real district code
//! from the reference table without dots) + `DDMMYY` (birth date, women's day + 40) + `NNNN`
//! (sequence, 9001–9499, reused in every region and birth date). The generator lays out the
//! whole space of NIKs it may use as *slots*: for every cell (district, sex, birth year
//! 1968–2003) and every day of that year, the first `cap(cell)` sequence numbers, where `cap`
//! (1–499) weights sexes and ages. Person `i` gets slot `perm(i)`, where `perm` is a keyed
//! bijection of `0..slots` ([`crate::rng::Permutation`]); decoding a slot gives (district, sex,
//! birth date, sequence). Distinct people therefore get distinct slots and distinct NIKs by
//! construction, with no look-up table, at any size up to the number of slots (about 70
//! million, far above [`crate::plan::MAX_PARTICIPANTS`]).
//!
//! **KPJ**: `990` + 8 digits, `99001000000 + 7·i + j` with `j < 7` from the seed: unique,
//! increasing with the person's number (so membership files sorted by person are sorted by
//! KPJ). **Phones**: `0899 00` + 7 digits, a bijection of the person's number (unique up to
//! 10 million people); written `0899…` or `+62899…`.

use chrono::{Datelike, NaiveDate};

use crate::geo::geo;
use crate::rng::{hash, Permutation, Stream};

/// First and last birth year of generated people.
pub const BIRTH_YEARS: (i32, i32) = (1968, 2003);

/// First synthetic sequence number.
pub const SEQ_FIRST: u32 = 9001;

/// Sequence numbers available per (district, birth date, sex): 9001–9499.
pub const SEQ_COUNT: u32 = 499;

/// Sex as encoded in the NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Laki-laki (`L`).
    Male,
    /// Perempuan (`P`).
    Female,
}

impl Sex {
    /// `L` or `P`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }
}

/// The identity part of a person that the NIK fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NikParts {
    /// Index into [`crate::geo::Geo::districts`]: region of first registration.
    pub district: usize,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Sequence number, 9001–9499.
    pub sequence: u32,
}

impl NikParts {
    /// The 16 digits.
    pub fn nik(&self) -> String {
        let day = self.birth_date.day() + if self.sex == Sex::Female { 40 } else { 0 };
        format!(
            "{}{:02}{:02}{:02}{:04}",
            geo().districts[self.district].digits,
            day,
            self.birth_date.month(),
            self.birth_date.year().rem_euclid(100),
            self.sequence
        )
    }
}

/// One cell of the slot space.
#[derive(Debug, Clone)]
struct Cell {
    district: usize,
    sex: Sex,
    year: i32,
    days: u64,
    cap: u64,
}

/// The slot space and the keyed permutation that hands slots to people.
#[derive(Debug, Clone)]
pub struct NikSpace {
    cells: Vec<Cell>,
    /// Exclusive end offset of each cell.
    ends: Vec<u64>,
    perm: Permutation,
}

/// Relative frequency of a birth year among trainees (peak in the late 20s / early 30s).
fn year_weight(year: i32) -> u64 {
    let age = 2022 - year;
    match age {
        ..=22 => 6 + 2 * (age - 19).max(0) as u64,
        23..=35 => 14,
        36..=45 => 9,
        _ => 4,
    }
}

fn sex_weight(sex: Sex) -> u64 {
    match sex {
        Sex::Male => 10,
        Sex::Female => 7,
    }
}

impl NikSpace {
    /// The space for `seed`.
    pub fn new(seed: u64) -> Self {
        let max_weight = (BIRTH_YEARS.0..=BIRTH_YEARS.1)
            .map(year_weight)
            .max()
            .unwrap_or(1)
            * sex_weight(Sex::Male);
        let mut cells = Vec::new();
        for district in 0..geo().districts.len() {
            for sex in [Sex::Male, Sex::Female] {
                for year in BIRTH_YEARS.0..=BIRTH_YEARS.1 {
                    let weight = year_weight(year) * sex_weight(sex);
                    let cap = (u64::from(SEQ_COUNT) * weight / max_weight).max(1);
                    let days = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
                        366
                    } else {
                        365
                    };
                    cells.push(Cell {
                        district,
                        sex,
                        year,
                        days,
                        cap,
                    });
                }
            }
        }
        let mut ends = Vec::with_capacity(cells.len());
        let mut end = 0;
        for c in &cells {
            end += c.days * c.cap;
            ends.push(end);
        }
        let perm = Permutation::new(end, hash(&[seed, Stream::NikSlots as u64]));
        Self { cells, ends, perm }
    }

    /// How many distinct NIKs the space holds.
    pub fn capacity(&self) -> u64 {
        self.perm.domain()
    }

    /// The NIK parts of person `i` (`i < capacity`).
    pub fn parts(&self, i: u64) -> NikParts {
        let slot = self.perm.apply(i);
        let at = self.ends.partition_point(|end| *end <= slot);
        let cell = &self.cells[at];
        let start = if at == 0 { 0 } else { self.ends[at - 1] };
        let within = slot - start;
        let day_of_year = within / cell.cap;
        let sequence = SEQ_FIRST + (within % cell.cap) as u32;
        let jan1 = NaiveDate::from_ymd_opt(cell.year, 1, 1).unwrap_or_default();
        NikParts {
            district: cell.district,
            sex: cell.sex,
            birth_date: jan1 + chrono::Days::new(day_of_year),
            sequence,
        }
    }
}

/// The KPJ (social-security number) of person `i`: 11 digits starting `990`.
pub fn kpj(seed: u64, i: u64) -> String {
    let jitter = hash(&[seed, Stream::Membership as u64, i]) % 7;
    format!("{}", 99_001_000_000 + 7 * i + jitter)
}

/// Digits after the leading `0` of person `i`'s phone (`8990012345678`); `variant` > 0 gives
/// another number of the same person.
pub fn phone_national(seed: u64, i: u64, variant: u64) -> String {
    let offset = hash(&[seed, Stream::Person as u64, 0xF0]) % 10_000_000;
    let x = (i + variant * 3_333_331) % 10_000_000;
    let n = (x * 7_654_321 + offset) % 10_000_000;
    format!("89900{n:07}")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use simpul_schema::identity::Nik;

    use super::*;

    #[test]
    fn niks_are_valid_unique_and_agree() {
        let space = NikSpace::new(7);
        assert!(space.capacity() > 20_000_000, "{}", space.capacity());
        let mut seen = HashSet::new();
        for i in 0..20_000 {
            let parts = space.parts(i);
            let nik = parts.nik();
            let parsed = Nik::parse(&nik).expect("valid");
            assert!(parsed.agrees_with_birth_date(parts.birth_date));
            assert_eq!(parsed.birth_date(), Some(parts.birth_date));
            let sex_ok = matches!(
                (parsed.sex(), parts.sex),
                (simpul_schema::Sex::Male, Sex::Male) | (simpul_schema::Sex::Female, Sex::Female)
            );
            assert!(sex_ok);
            assert!((9001..=9499).contains(&parts.sequence));
            assert!(seen.insert(nik));
        }
    }

    #[test]
    fn kpj_and_phone_shapes() {
        let k = kpj(1, 0);
        assert_eq!(k.len(), 11);
        assert!(k.starts_with("990"));
        assert!(kpj(1, 1) > k);
        let p = phone_national(1, 5, 0);
        assert!(p.starts_with("89900") && p.len() == 12);
        assert_ne!(p, phone_national(1, 5, 1));
    }
}
