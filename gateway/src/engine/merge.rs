//! K-way merge of per-provider lists that are each already in the requested order.
//!
//! Ties go to the provider configured first, then keep each provider's own order, so the merged
//! order is total and the same on every page.

use std::cmp::Ordering;

use simpul_schema::filter;
use simpul_schema::OrderBy;

use super::{Entity, Sourced};

/// Merge sorted `lists` (in provider order) into one sorted list of at most `take` records.
pub fn merge<T: Entity>(
    lists: Vec<Vec<Sourced<T>>>,
    order_by: &[OrderBy],
    take: usize,
) -> Vec<Sourced<T>> {
    let total: usize = lists.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total.min(take));
    let mut next = vec![0_usize; lists.len()];
    while out.len() < take {
        // Few providers: a linear scan of the heads beats a heap.
        let mut best: Option<usize> = None;
        for (i, list) in lists.iter().enumerate() {
            let Some(candidate) = list.get(next[i]) else {
                continue;
            };
            let better = match best {
                None => true,
                Some(b) => {
                    let current = &lists[b][next[b]];
                    filter::compare_by(&|f| candidate.field(f), &|f| current.field(f), order_by)
                        == Ordering::Less
                }
            };
            if better {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        out.push(lists[b][next[b]].clone());
        next[b] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use simpul_schema::{Direction, TrainingCenter};

    use super::*;

    fn centre(provider: &str, name: &str) -> Sourced<TrainingCenter> {
        let record: TrainingCenter = serde_json::from_value(serde_json::json!({
            "sourceId": name, "warnings": [], "name": name, "alternateNames": [],
            "institutionType": "OTHER", "sector": null, "supervisorId": null, "address": null,
            "foundedYear": null, "areaHectares": null, "facilities": [], "fields": [], "licenses": [],
            "yearsOfExperience": null, "contact": null, "active": null
        }))
        .unwrap();
        Sourced::new(Arc::from(provider), record)
    }

    #[test]
    fn merges_in_order_with_ties_to_the_first_provider() {
        let order = [OrderBy {
            field: "name".into(),
            direction: Direction::Asc,
        }];
        let a = vec![centre("a", "B"), centre("a", "D")];
        let b = vec![centre("b", "A"), centre("b", "B"), centre("b", "E")];
        let merged = merge(vec![a, b], &order, 10);
        let got: Vec<(String, String)> = merged
            .iter()
            .map(|s| (s.provider.to_string(), s.record.name.clone()))
            .collect();
        let want = [("b", "A"), ("a", "B"), ("b", "B"), ("a", "D"), ("b", "E")];
        assert_eq!(got, want.map(|(p, n)| (p.to_owned(), n.to_owned())));
        assert_eq!(
            merge(vec![vec![centre("a", "x")], vec![centre("b", "y")]], &[], 1).len(),
            1
        );
    }
}
