//! Deterministic randomness: every random decision is drawn from a generator keyed by
//! `(seed, stream, a, b)` (e.g. the run's seed, "BBPLK enrolment", person index, slot), never
//! from a generator shared across records. So a record's content does not depend on the order
//! in which records are produced, and the same plan gives the same bytes.
//!
//! [`Rand`] wraps `rand`'s `StdRng` (ChaCha12, pinned by `Cargo.lock`) and draws integers with
//! its own helpers on top of `next_u64`, so only the generator's raw stream matters.
//! [`Permutation`] is a keyed pseudo-random bijection of `0..n` (a Feistel network with cycle
//! walking): the tool behind unique NIKs and exact overlap counts.

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

/// The SplitMix64 finaliser: a fast, well-mixed 64-bit hash step.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash several words into one (order matters).
pub fn hash(parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(0x5149_4D50_554C_u64, |acc, p| mix64(acc ^ mix64(*p)))
}

/// What a generator is used for; part of its key so that streams never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// The person's identity slot (NIK) permutation key.
    NikSlots = 1,
    /// Which providers each person is at.
    Roles = 2,
    /// A person's provider-independent attributes.
    Person = 3,
    /// A person's course choices at one provider (`b` = provider).
    Choice = 4,
    /// One enrolment (`a` = person, `b` = provider * 16 + slot).
    Enrolment = 5,
    /// How a provider writes a person (`b` = provider).
    Rendering = 6,
    /// A batch (`a` = provider, `b` = batch key/number).
    Batch = 7,
    /// Organisations (`a` = provider, `b` = number).
    Organisation = 8,
    /// Social-security membership (`a` = person).
    Membership = 9,
    /// Planted quirks (`a` = provider).
    Messy = 10,
}

/// A deterministic generator for one record.
pub struct Rand(StdRng);

impl Rand {
    /// The generator for `(seed, stream, a, b)`.
    pub fn new(seed: u64, stream: Stream, a: u64, b: u64) -> Self {
        Self(StdRng::seed_from_u64(hash(&[seed, stream as u64, a, b])))
    }

    /// A raw 64-bit word.
    pub fn word(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..n` (`n > 0`; `0` gives `0`), without modulo bias (Lemire's method).
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.word()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform in `[0, 1)` with 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.word() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given integer weights (all zero → 0).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        if total == 0 {
            return 0;
        }
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// One element of `(weight, value)` pairs.
    pub fn weighted_pick<T: Copy>(&mut self, table: &[(u32, T)]) -> T {
        let weights: Vec<u32> = table.iter().map(|(w, _)| *w).collect();
        table[self.weighted(&weights)].1
    }
}

/// A keyed pseudo-random bijection of `0..domain`: a balanced Feistel network on the smallest
/// even number of bits that covers the domain, with cycle walking for values outside it.
#[derive(Debug, Clone)]
pub struct Permutation {
    domain: u64,
    half_bits: u32,
    keys: [u64; 6],
}

impl Permutation {
    /// The permutation of `0..domain` for `key`.
    pub fn new(domain: u64, key: u64) -> Self {
        let bits = (64 - domain.saturating_sub(1).leading_zeros()).max(2);
        let half_bits = bits.div_ceil(2);
        let mut keys = [0; 6];
        for (r, k) in keys.iter_mut().enumerate() {
            *k = hash(&[key, r as u64]);
        }
        Self {
            domain,
            half_bits,
            keys,
        }
    }

    /// The size of the domain.
    pub fn domain(&self) -> u64 {
        self.domain
    }

    /// The image of `x` (`x < domain`).
    pub fn apply(&self, x: u64) -> u64 {
        debug_assert!(x < self.domain);
        let mut y = self.round_trip(x);
        while y >= self.domain {
            y = self.round_trip(y);
        }
        y
    }

    fn round_trip(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut left, mut right) = (x >> self.half_bits, x & mask);
        for k in self.keys {
            let f = mix64(right ^ k) & mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half_bits) | right
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_is_a_bijection() {
        for n in [1, 2, 3, 7, 100, 1000, 4097] {
            let p = Permutation::new(n, 42);
            let mut seen = vec![false; n as usize];
            for x in 0..n {
                let y = p.apply(x);
                assert!(y < n);
                assert!(!seen[y as usize], "{n}: {y} twice");
                seen[y as usize] = true;
            }
        }
    }

    #[test]
    fn generators_are_keyed() {
        let a = Rand::new(1, Stream::Person, 5, 0).word();
        assert_eq!(a, Rand::new(1, Stream::Person, 5, 0).word());
        assert_ne!(a, Rand::new(2, Stream::Person, 5, 0).word());
        assert_ne!(a, Rand::new(1, Stream::Person, 6, 0).word());
        let mut r = Rand::new(3, Stream::Batch, 0, 0);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            let v = r.range(-2, 2);
            assert!((-2..=2).contains(&v));
        }
        assert_eq!(r.weighted(&[0, 0, 5]), 2);
    }
}
