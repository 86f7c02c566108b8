//! Statistical disclosure control: aggregates must not single out a person (UNIFIED.md,
//! "Analyst group_by ... only with small-cell suppression"). The rules, with `k` =
//! `limits.min_cell_size` (default 5), as the README's "Privacy model" explains them:
//!
//! 1. **Cell suppression.** A group with fewer than `k` records is withheld. When that would
//!    leave exactly one group withheld, the next smallest is withheld too (complementary
//!    suppression), so the visible total minus the visible groups never gives a withheld count.
//! 2. **No key for a withheld cell.** Withheld groups are folded into one row without a key
//!    (its count shown only when it is `k` or more): a small group's key is itself the fact
//!    ("someone in this regency, born in 1977, is seeking work").
//! 3. **Query-set size.** With a filter, the whole answer is withheld unless the filter selects
//!    at least `k` records *and* leaves out at least `k` of those the caller can see (or none
//!    at all would be a tell too: `0 < left out < k` and `left out = 0` are both withheld, so
//!    that whether the answer is withheld does not depend on one person). This defeats the
//!    `_not` differencing of one person; the tracker attacks it does not stop are in the
//!    README.
//!
//! ```
//! use simpul_gateway::engine::disclosure::protect;
//! use simpul_schema::analytics::Group;
//! let group = |name: &str, count| Group { key: vec![Some(name.into())], count, measures: vec![] };
//! let cells = protect(vec![group("LAS", 40), group("LISTRIK", 12), group("BARISTA", 2)], 5);
//! // BARISTA is below the threshold; LISTRIK is withheld too, or the total minus LAS would
//! // reveal BARISTA's count. Both are folded into one row without a key.
//! let shown: Vec<_> = cells.groups.iter().map(|c| (c.key[0].clone(), c.count)).collect();
//! assert_eq!(shown, [(Some("LAS".into()), Some(40)), (None, Some(14))]);
//! assert_eq!((cells.withheld, cells.total.count), (2, Some(54)));
//! ```

use simpul_schema::analytics::{Group, Summary};

/// A group as shown: exact, or withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The group's key values (empty for the total; all `None` for the withheld row).
    pub key: Vec<Option<simpul_schema::Literal>>,
    /// The count, unless withheld.
    pub count: Option<u64>,
    /// The measures, unless withheld.
    pub measures: Option<Vec<Summary>>,
    /// Whether the cell was withheld.
    pub suppressed: bool,
}

/// Why a whole answer was withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// The filter selects fewer than `k` records.
    SmallSet,
    /// The filter leaves out fewer than `k` of the records the caller can see.
    SmallComplement,
}

impl Withheld {
    /// What to tell the analyst.
    pub fn explain(self, k: u64) -> String {
        match self {
            Withheld::SmallSet => format!("the filter selects fewer than {k} records"),
            Withheld::SmallComplement => format!(
                "the filter leaves out fewer than {k} of the records this key can see (it could single someone out by difference)"
            ),
        }
    }
}

/// The protected groups and total.
#[derive(Debug, Clone, PartialEq)]
pub struct Protected {
    /// The groups shown, in the order given, then the withheld groups folded into one row
    /// (`suppressed`, no key) when there are any.
    pub groups: Vec<Cell>,
    /// All matching records together.
    pub total: Cell,
    /// How many groups were withheld (folded into the last row).
    pub withheld: usize,
    /// Why the whole answer was withheld, when it was.
    pub reason: Option<Withheld>,
}

/// Withhold the groups below `threshold` records, complementary suppression included, and fold
/// them into one row without a key.
pub fn protect(groups: Vec<Group>, threshold: u64) -> Protected {
    let keys = groups.first().map_or(0, |g| g.key.len());
    let mut total = Group {
        key: Vec::new(),
        count: 0,
        measures: groups
            .first()
            .map(|g| vec![Summary::default(); g.measures.len()])
            .unwrap_or_default(),
    };
    for group in &groups {
        total.count += group.count;
        for (sum, part) in total.measures.iter_mut().zip(&group.measures) {
            sum.merge(part);
        }
    }
    let small = |count: u64| count > 0 && count < threshold;
    let mut withheld: Vec<bool> = groups.iter().map(|g| small(g.count)).collect();
    if withheld.iter().filter(|w| **w).count() == 1 && groups.len() > 1 {
        let next = groups
            .iter()
            .enumerate()
            .filter(|(i, _)| !withheld[*i])
            .min_by_key(|(_, g)| g.count)
            .map(|(i, _)| i);
        if let Some(i) = next {
            withheld[i] = true;
        }
    }
    let mut shown = Vec::with_capacity(groups.len());
    let (mut folded, mut folded_count) = (0usize, 0u64);
    for (group, withhold) in groups.into_iter().zip(withheld) {
        if withhold {
            folded += 1;
            folded_count += group.count;
        } else {
            shown.push(Cell {
                key: group.key,
                count: Some(group.count),
                measures: Some(group.measures),
                suppressed: false,
            });
        }
    }
    if folded > 0 {
        shown.push(withheld_row(
            keys,
            (folded_count >= threshold).then_some(folded_count),
        ));
    }
    let total_small = small(total.count);
    Protected {
        groups: shown,
        total: Cell {
            key: Vec::new(),
            count: (!total_small).then_some(total.count),
            measures: (!total_small).then_some(total.measures),
            suppressed: total_small,
        },
        withheld: folded,
        reason: None,
    }
}

fn withheld_row(keys: usize, count: Option<u64>) -> Cell {
    Cell {
        key: vec![None; keys],
        count,
        measures: None,
        suppressed: true,
    }
}

/// Apply the query-set-size rule to an answer whose filter selected `set` records out of the
/// `population` the caller can see: unless `threshold <= set <= population - threshold`, the
/// whole answer is withheld (every group folded, counts and measures null).
pub fn restrict_query_set(
    protected: Protected,
    set: u64,
    population: u64,
    threshold: u64,
) -> Protected {
    if threshold <= 1 {
        return protected;
    }
    let reason = if set < threshold {
        Withheld::SmallSet
    } else if population.saturating_sub(set) < threshold {
        Withheld::SmallComplement
    } else {
        return protected;
    };
    let keys = protected.groups.first().map_or(0, |c| c.key.len());
    let groups = protected.groups.len() - usize::from(protected.withheld > 0) + protected.withheld;
    Protected {
        groups: if groups > 0 {
            vec![withheld_row(keys, None)]
        } else {
            Vec::new()
        },
        total: withheld_row(0, None),
        withheld: groups,
        reason: Some(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(count: u64) -> Group {
        Group {
            key: vec![Some(simpul_schema::Literal::Int(count as i64))],
            count,
            measures: vec![],
        }
    }

    fn protect_counts(counts: &[u64]) -> Protected {
        protect(counts.iter().map(|c| group(*c)).collect(), 5)
    }

    #[test]
    fn withheld_cells_are_folded_without_keys_and_add_up() {
        for counts in [
            vec![1, 50, 60],
            vec![3, 4, 70],
            vec![9, 2],
            vec![100],
            vec![1, 1, 1],
        ] {
            let shown = protect_counts(&counts);
            let withheld: Vec<&Cell> = shown.groups.iter().filter(|c| c.suppressed).collect();
            assert!(withheld.len() <= 1, "{counts:?}");
            assert_ne!(shown.withheld, 1, "a lone withheld cell: {counts:?}");
            for cell in &withheld {
                assert!(cell.key.iter().all(Option::is_none) && cell.measures.is_none());
            }
            // Every group of at least five that needs no complement is shown, with its key.
            let visible: u64 = shown
                .groups
                .iter()
                .filter(|c| !c.suppressed)
                .map(|c| c.count.unwrap())
                .sum();
            assert!(shown
                .groups
                .iter()
                .filter(|c| !c.suppressed)
                .all(|c| c.count >= Some(5)));
            let folded = withheld.first().map_or(Some(0), |c| c.count);
            if let (Some(total), Some(folded)) = (shown.total.count, folded) {
                assert_eq!(total, visible + folded, "{counts:?}");
            }
        }
        // Large cells are shown, not withheld along with small ones.
        let shown = protect_counts(&[1, 50, 60]);
        assert_eq!(shown.groups[0].count, Some(60));
        assert_eq!(shown.groups[1], withheld_row(1, Some(51)));
        assert_eq!(protect_counts(&[40, 30]).withheld, 0);
    }

    #[test]
    fn a_small_total_is_withheld_and_threshold_one_shows_all() {
        assert!(protect(vec![group(3)], 5).total.suppressed);
        assert!(!protect(vec![group(1), group(2)], 1)
            .groups
            .iter()
            .any(|c| c.suppressed));
    }

    #[test]
    fn small_query_sets_and_small_complements_withhold_everything() {
        let answer = || protect_counts(&[40, 30, 2]);
        let kept = restrict_query_set(answer(), 72, 200, 5);
        assert_eq!(kept, answer());
        for (set, population, reason) in [
            (4, 200, Withheld::SmallSet),
            (0, 200, Withheld::SmallSet),
            (72, 73, Withheld::SmallComplement),
            (72, 72, Withheld::SmallComplement),
            (72, 76, Withheld::SmallComplement),
        ] {
            let withheld = restrict_query_set(answer(), set, population, 5);
            assert_eq!(withheld.reason, Some(reason), "{set} of {population}");
            assert_eq!(withheld.total.count, None);
            assert_eq!(withheld.groups, vec![withheld_row(1, None)]);
            assert_eq!(withheld.withheld, 3);
        }
        assert_eq!(restrict_query_set(answer(), 72, 77, 5).reason, None);
        assert_eq!(restrict_query_set(answer(), 1, 2, 1).reason, None);
    }
}
