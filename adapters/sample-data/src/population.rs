//! Who is where: the plan's `participants` people are numbered `0..N`, and each is assigned a
//! set of providers (a membership mask) so that the counts are exact:
//!
//! - `multi = round(N × overlap)` people are at two or more providers (0 when fewer than two
//!   providers are selected); `triple = round(multi / 3)` of them at all three (0 unless all
//!   three are selected); the rest of `multi` is split over the provider pairs (weights 3:3:4 for
//!   SPN+BBPLK, SPN+BPJAMSOSTEK, BBPLK+BPJAMSOSTEK) by largest remainder.
//! - The other `N − multi` people are at one provider, split 25:45:30 (SPN, BBPLK,
//!   BPJAMSOSTEK, over the selected ones) by largest remainder.
//!
//! The roles are laid out as consecutive ranges of a rank, and person `i` has rank
//! `roles(i)`, a keyed permutation of `0..N`: the counts are exact and the multi-provider people
//! are spread evenly through every file. BPJAMSOSTEK also knows a few members who never
//! enrolled (6 % of its participants): they are people `N..N + extra`, at no provider.

use std::collections::BTreeMap;

use crate::plan::{Plan, Provider};
use crate::rng::{hash, Permutation, Stream};

/// Share (per mille) of BPJAMSOSTEK participants added as members who never enrolled.
pub const EXTRA_MEMBERS_PER_MILLE: u64 = 60;

/// The membership layout of one plan.
#[derive(Debug, Clone)]
pub struct Population {
    /// People at one or more providers (`plan.participants`).
    pub total: u64,
    /// Members known to BPJAMSOSTEK's membership file only (people `total..total + extra`).
    pub extra_members: u64,
    /// People by membership mask (bits of [`Provider::bit`]).
    pub by_mask: BTreeMap<u8, u64>,
    segments: Vec<(u64, u8)>,
    roles: Permutation,
}

impl Population {
    /// Lay out the plan's people.
    pub fn new(plan: &Plan) -> Self {
        let n = plan.participants;
        let selected: Vec<Provider> = Provider::ALL.into_iter().filter(|p| plan.has(*p)).collect();
        let k = selected.len();
        let multi = if k >= 2 {
            ((n as f64 * plan.overlap).round() as u64).min(n)
        } else {
            0
        };
        let triple = if k == 3 {
            (multi as f64 / 3.0).round() as u64
        } else {
            0
        };
        let mut segments_sizes: Vec<(u8, u64)> = Vec::new();
        let all: u8 = selected.iter().map(|p| p.bit()).sum();
        if k == 3 {
            segments_sizes.push((all, triple));
        }
        let pairs: Vec<(u8, u64)> = match k {
            3 => vec![(1 | 2, 3), (1 | 4, 3), (2 | 4, 4)],
            2 => vec![(all, 1)],
            _ => vec![],
        };
        let pair_weights: Vec<u64> = pairs.iter().map(|(_, w)| *w).collect();
        for ((mask, _), size) in pairs.iter().zip(apportion(multi - triple, &pair_weights)) {
            segments_sizes.push((*mask, size));
        }
        let single_weights: Vec<u64> = selected.iter().map(|p| p.single_weight()).collect();
        for (p, size) in selected.iter().zip(apportion(n - multi, &single_weights)) {
            segments_sizes.push((p.bit(), size));
        }
        let mut segments = Vec::new();
        let mut by_mask = BTreeMap::new();
        let mut end = 0;
        for (mask, size) in segments_sizes {
            if size == 0 {
                continue;
            }
            end += size;
            segments.push((end, mask));
            *by_mask.entry(mask).or_insert(0) += size;
        }
        let bpjs = by_mask
            .iter()
            .filter(|(m, _)| *m & Provider::Bpjamsostek.bit() != 0)
            .map(|(_, c)| *c)
            .sum::<u64>();
        let extra_members = (bpjs * EXTRA_MEMBERS_PER_MILLE).div_ceil(1000);
        Self {
            total: n,
            extra_members,
            by_mask,
            segments,
            roles: Permutation::new(n, hash(&[plan.seed, Stream::Roles as u64])),
        }
    }

    /// Membership mask of person `i` (0 for the extra members).
    pub fn mask(&self, i: u64) -> u8 {
        if i >= self.total {
            return 0;
        }
        let rank = self.roles.apply(i);
        let at = self.segments.partition_point(|(end, _)| *end <= rank);
        self.segments[at].1
    }

    /// Whether person `i` is at `provider`.
    pub fn is_at(&self, i: u64, provider: Provider) -> bool {
        self.mask(i) & provider.bit() != 0
    }

    /// People at `provider`.
    pub fn count(&self, provider: Provider) -> u64 {
        self.by_mask
            .iter()
            .filter(|(m, _)| *m & provider.bit() != 0)
            .map(|(_, c)| *c)
            .sum()
    }

    /// People at two or more providers.
    pub fn multi(&self) -> u64 {
        self.by_mask
            .iter()
            .filter(|(m, _)| m.count_ones() >= 2)
            .map(|(_, c)| *c)
            .sum()
    }

    /// People at all three providers.
    pub fn triple(&self) -> u64 {
        self.by_mask.get(&7).copied().unwrap_or(0)
    }
}

/// Split `total` by `weights` with the largest-remainder method (ties to the earlier weight).
pub fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * weights[i]) % sum));
    for i in order {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

/// The label of a mask (`spn+bbplk`).
pub fn mask_label(mask: u8) -> String {
    Provider::ALL
        .iter()
        .filter(|p| mask & p.bit() != 0)
        .map(|p| p.id())
        .collect::<Vec<_>>()
        .join("+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_exact() {
        let plan = Plan::new(1001).with_overlap(0.05);
        let pop = Population::new(&plan);
        assert_eq!(pop.multi(), 50);
        assert_eq!(pop.triple(), 17);
        let mut seen: BTreeMap<u8, u64> = BTreeMap::new();
        for i in 0..1001 {
            *seen.entry(pop.mask(i)).or_default() += 1;
        }
        assert_eq!(seen, pop.by_mask);
        assert_eq!(pop.by_mask.values().sum::<u64>(), 1001);
    }

    #[test]
    fn single_provider_has_no_overlap() {
        let plan = Plan::new(50).with_providers([Provider::Spn]);
        let pop = Population::new(&plan);
        assert_eq!(pop.multi(), 0);
        assert_eq!(pop.count(Provider::Spn), 50);
        assert_eq!(pop.extra_members, 0);
    }

    #[test]
    fn apportion_sums() {
        assert_eq!(apportion(10, &[25, 45, 30]), [3, 4, 3]);
        assert_eq!(apportion(0, &[1, 1]), [0, 0]);
        assert_eq!(apportion(7, &[1]), [7]);
    }
}
