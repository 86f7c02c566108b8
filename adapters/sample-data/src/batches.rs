//! Course batches sized to their enrolments, in two passes over a provider's people:
//!
//! 1. Every person's course choices are drawn (from their own generator) and counted per
//!    *key* (a provider-specific offering such as centre × course).
//! 2. Each key gets `ceil(count / size)` batches with start dates drawn inside the key's
//!    window (moved to a Monday) and sorted; the `m`-th enrolment of a key in person order goes
//!    to batch `floor(m · B / count)`, so batch sizes differ by at most one and never exceed the
//!    target size. People are numbered in a random order, so this fills batches without bias.
//!
//! Only counts and batch descriptions are kept, never the enrolments themselves.

use chrono::{Datelike, Days, NaiveDate};

use crate::rng::{hash, Rand, Stream};

/// How batches of one key are laid out.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// Earliest start date.
    pub from: NaiveDate,
    /// Latest start date.
    pub to: NaiveDate,
    /// Most enrolments per batch.
    pub size: u32,
    /// Calendar days from start to end.
    pub days: u32,
}

/// One batch.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The key it belongs to.
    pub key: usize,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Enrolments it will get.
    pub size: u32,
    /// Its number among the key's batches, in date order (0-based).
    pub ordinal: u32,
}

/// The batches of one provider.
#[derive(Debug, Clone)]
pub struct BatchPlan {
    /// All batches, sorted by start date (then key, then ordinal).
    pub batches: Vec<Batch>,
    /// Per key: indices into `batches`, in date order.
    pub by_key: Vec<Vec<u32>>,
    counts: Vec<u64>,
    filled: Vec<u64>,
}

impl BatchPlan {
    /// Lay out batches for `counts[key]` enrolments per key.
    pub fn build(seed: u64, provider: u64, counts: Vec<u64>, specs: &[KeySpec]) -> Self {
        let mut batches = Vec::new();
        for (key, (&count, spec)) in counts.iter().zip(specs).enumerate() {
            if count == 0 {
                continue;
            }
            let n = count.div_ceil(u64::from(spec.size.max(1)));
            let mut r = Rand::new(seed, Stream::Batch, provider, key as u64);
            let span = (spec.to - spec.from).num_days().max(0);
            let mut starts: Vec<NaiveDate> = (0..n)
                .map(|_| monday_on_or_after(spec.from + Days::new(r.range(0, span) as u64)))
                .collect();
            starts.sort();
            for (b, start) in starts.into_iter().enumerate() {
                let b = b as u64;
                let size = ((b + 1) * count).div_ceil(n) - (b * count).div_ceil(n);
                let days = i64::from(spec.days) + r.range(-1, 1);
                batches.push(Batch {
                    key,
                    start,
                    end: start + Days::new(days.max(0) as u64),
                    size: size as u32,
                    ordinal: b as u32,
                });
            }
        }
        batches.sort_by_key(|b| (b.start, b.key, b.ordinal));
        let mut by_key = vec![Vec::new(); counts.len()];
        for (i, b) in batches.iter().enumerate() {
            by_key[b.key].push(i as u32);
        }
        let filled = vec![0; counts.len()];
        Self {
            batches,
            by_key,
            counts,
            filled,
        }
    }

    /// The batch for the next enrolment of `key` (in person order).
    pub fn assign(&mut self, key: usize) -> usize {
        let m = self.filled[key];
        self.filled[key] += 1;
        let n = self.by_key[key].len() as u64;
        let count = self.counts[key].max(1);
        // Batch b holds ranks m with floor(m*n/count) == b (the sizes computed in `build`).
        let b = ((m.min(count - 1)) * n / count) as usize;
        self.by_key[key][b] as usize
    }

    /// Enrolments planned in total.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// The Monday on or after `day`.
pub fn monday_on_or_after(day: NaiveDate) -> NaiveDate {
    let back = day.weekday().num_days_from_monday();
    if back == 0 {
        day
    } else {
        day + Days::new(u64::from(7 - back))
    }
}

/// A stable small hash of a key, for naming (e.g. instructor numbers).
pub fn small_hash(seed: u64, parts: &[u64], modulo: u64) -> u64 {
    let mut all = vec![seed];
    all.extend_from_slice(parts);
    hash(&all) % modulo.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn sizes_match_assignments() {
        let spec = KeySpec {
            from: d(2022, 1, 1),
            to: d(2024, 12, 31),
            size: 16,
            days: 30,
        };
        let mut plan = BatchPlan::build(1, 0, vec![50, 0, 16, 1], &[spec; 4]);
        let mut got = vec![0u32; plan.batches.len()];
        for (key, count) in [(0usize, 50), (2, 16), (3, 1)] {
            for _ in 0..count {
                got[plan.assign(key)] += 1;
            }
        }
        for (b, n) in plan.batches.iter().zip(&got) {
            assert_eq!(b.size, *n);
            assert!(b.size <= 16 && b.size > 0);
            assert_eq!(b.start.weekday(), chrono::Weekday::Mon);
        }
        assert_eq!(plan.by_key[0].len(), 4);
        assert_eq!(plan.total(), 67);
    }
}
