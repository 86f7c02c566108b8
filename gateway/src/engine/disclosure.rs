//! Small-cell suppression: aggregates must not single out a person (UNIFIED.md, "Analyst
//! group_by ... only with small-cell suppression").
//!
//! ```
//! use simpul_gateway::engine::disclosure::protect;
//! use simpul_schema::analytics::{Group, Summary};
//! let group = |name: &str, count| Group { key: vec![Some(name.into())], count, measures: vec![] };
//! let cells = protect(vec![group("LAS", 40), group("LISTRIK", 12), group("BARISTA", 2)], 5);
//! // BARISTA is below the threshold; LISTRIK is withheld too, or the total minus LAS would
//! // reveal BARISTA's count.
//! assert_eq!(cells.groups.iter().map(|c| c.count).collect::<Vec<_>>(), [Some(40), None, None]);
//! assert_eq!(cells.total.count, Some(54));
//! ```
//!
//! A group with fewer than `threshold` records (but at least one) is withheld: its count and
//! measures become null and it is marked suppressed. When that leaves exactly one withheld
//! group, the next smallest is withheld too (complementary suppression), so the visible total
//! minus the visible groups never gives a withheld count. The total itself is withheld when it
//! is below the threshold. This protects each answer; it does not stop differencing across
//! many cleverly filtered queries, which is why analyst keys are audited (issue 6).

use simpul_schema::analytics::{Group, Summary};

/// A group as shown: exact, or withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The group's key values (empty for the total).
    pub key: Vec<Option<simpul_schema::Literal>>,
    /// The count, unless withheld.
    pub count: Option<u64>,
    /// The measures, unless withheld.
    pub measures: Option<Vec<Summary>>,
    /// Whether the cell was withheld.
    pub suppressed: bool,
}

/// The protected groups and total.
#[derive(Debug, Clone, PartialEq)]
pub struct Protected {
    /// The groups, in the order given.
    pub groups: Vec<Cell>,
    /// The summary of every group together.
    pub total: Cell,
}

/// Withhold the cells that could single out a person. `threshold` 0 or 1 withholds nothing.
pub fn protect(groups: Vec<Group>, threshold: u64) -> Protected {
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
    let cell = |group: Group, suppressed: bool| Cell {
        key: group.key,
        count: (!suppressed).then_some(group.count),
        measures: (!suppressed).then_some(group.measures),
        suppressed,
    };
    let total_small = small(total.count);
    Protected {
        groups: groups
            .into_iter()
            .zip(withheld)
            .map(|(g, w)| cell(g, w))
            .collect(),
        total: cell(total, total_small),
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

    #[test]
    fn no_withheld_count_can_be_derived_from_the_total() {
        for counts in [vec![1, 50, 60], vec![3, 4, 70], vec![9, 2], vec![100]] {
            let shown = protect(counts.iter().map(|c| group(*c)).collect(), 5);
            let hidden = shown.groups.iter().filter(|c| c.suppressed).count();
            assert_ne!(hidden, 1, "{counts:?}");
            for (cell, count) in shown.groups.iter().zip(&counts) {
                if *count < 5 {
                    assert!(cell.suppressed && cell.count.is_none());
                }
            }
        }
    }

    #[test]
    fn a_small_total_is_withheld_and_threshold_one_shows_all() {
        assert!(protect(vec![group(3)], 5).total.suppressed);
        assert!(!protect(vec![group(1), group(2)], 1)
            .groups
            .iter()
            .any(|c| c.suppressed));
    }
}
