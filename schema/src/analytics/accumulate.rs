//! [`Accumulator`]: groups records and summarises them, one record at a time, so a source can
//! stream its records through it without holding them; it also merges the answers of several
//! sources.

use std::collections::HashMap;

use super::{AggregateRequest, AggregateResponse, Bucket, Group, GroupKey, Summary};
use crate::filter::{self, FieldValue, FilterError, Filterable};
use crate::query::{Filter, Literal};

/// A hashable group-key value (floats by their bits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Text(String),
}

impl KeyPart {
    fn of(value: &Option<Literal>) -> KeyPart {
        match value {
            None | Some(Literal::List(_)) => KeyPart::Null,
            Some(Literal::Bool(b)) => KeyPart::Bool(*b),
            Some(Literal::Int(i)) => KeyPart::Int(*i),
            Some(Literal::Float(f)) => KeyPart::Float(f.to_bits()),
            Some(Literal::Text(t)) => KeyPart::Text(t.clone()),
        }
    }
}

/// Groups and summarises records for one [`AggregateRequest`].
#[derive(Debug)]
pub struct Accumulator {
    filter: Option<Filter>,
    group_by: Vec<GroupKey>,
    measures: Vec<String>,
    groups: HashMap<Vec<KeyPart>, Group>,
}

impl Accumulator {
    /// An empty accumulator for `request`.
    pub fn new(request: &AggregateRequest) -> Self {
        Self {
            filter: request.filter.clone(),
            group_by: request.group_by.clone(),
            measures: request.measures.clone(),
            groups: HashMap::new(),
        }
    }

    /// Count `record` if it matches the request's filter; returns whether it did.
    pub fn add<T: Filterable>(&mut self, record: &T) -> Result<bool, FilterError> {
        self.add_with(&|name| record.field(name))
    }

    /// As [`Accumulator::add`], for a record seen through a field lookup.
    pub fn add_with(
        &mut self,
        lookup: &dyn Fn(&str) -> Option<FieldValue>,
    ) -> Result<bool, FilterError> {
        if let Some(filter) = &self.filter {
            if !filter::matches_with(filter, lookup)? {
                return Ok(false);
            }
        }
        let key: Vec<Option<Literal>> = self
            .group_by
            .iter()
            .map(|k| bucket(lookup(&k.field).unwrap_or(FieldValue::Null), k.bucket))
            .collect();
        let mut summaries = vec![Summary::default(); self.measures.len()];
        for (summary, measure) in summaries.iter_mut().zip(&self.measures) {
            match lookup(measure) {
                Some(FieldValue::Int(i)) => summary.add(i as f64),
                Some(FieldValue::Float(f)) => summary.add(f),
                _ => {}
            }
        }
        self.merge(Group {
            key,
            count: 1,
            measures: summaries,
        });
        Ok(true)
    }

    /// Fold in a group summarised elsewhere (another source's answer) with the same keys and
    /// measures.
    pub fn merge(&mut self, group: Group) {
        let parts: Vec<KeyPart> = group.key.iter().map(KeyPart::of).collect();
        match self.groups.get_mut(&parts) {
            Some(existing) => {
                existing.count += group.count;
                for (mine, theirs) in existing.measures.iter_mut().zip(&group.measures) {
                    mine.merge(theirs);
                }
            }
            None => {
                self.groups.insert(parts, group);
            }
        }
    }

    /// The groups, ordered by key (nulls last).
    pub fn finish(self) -> AggregateResponse {
        let mut groups: Vec<Group> = self.groups.into_values().collect();
        groups.sort_by(|a, b| compare_keys(&a.key, &b.key));
        AggregateResponse { groups }
    }
}

/// Total order of group keys: value order per part, nulls last.
pub(crate) fn compare_keys(a: &[Option<Literal>], b: &[Option<Literal>]) -> std::cmp::Ordering {
    let value = |v: &Option<Literal>| match v {
        None | Some(Literal::List(_)) => FieldValue::Null,
        Some(Literal::Bool(b)) => FieldValue::Bool(*b),
        Some(Literal::Int(i)) => FieldValue::Int(*i),
        Some(Literal::Float(f)) => FieldValue::Float(*f),
        Some(Literal::Text(t)) => FieldValue::Text(t.clone()),
    };
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (value(x), value(y));
        let order = filter::compare_by(
            &|_| Some(x.clone()),
            &|_| Some(y.clone()),
            &[crate::OrderBy {
                field: String::new(),
                direction: crate::Direction::Asc,
            }],
        );
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// The group-key value of a field value: a list's first element, coarsened by `bucket`;
/// `None` for no value (or one the bucket cannot read).
pub fn bucket(value: FieldValue, bucket: Option<Bucket>) -> Option<Literal> {
    let value = match value {
        FieldValue::List(items) => items.into_iter().next()?,
        other => other,
    };
    let literal = match value {
        FieldValue::Null | FieldValue::List(_) => return None,
        FieldValue::Bool(b) => Literal::Bool(b),
        FieldValue::Int(i) => Literal::Int(i),
        FieldValue::Float(f) => Literal::Float(f),
        FieldValue::Text(t) => Literal::Text(t),
    };
    let Some(bucket) = bucket else {
        return Some(literal);
    };
    let Literal::Text(text) = literal else {
        return None;
    };
    match bucket {
        Bucket::Year => text.get(..4)?.parse().ok().map(Literal::Int),
        Bucket::Month => {
            let month = text.get(..7)?;
            (month.as_bytes()[4] == b'-').then(|| Literal::Text(month.to_owned()))
        }
        Bucket::Province => region_prefix(&text, 1),
        Bucket::Regency => region_prefix(&text, 2),
    }
}

/// The first `parts` dot-separated segments of a region code, if it has that many.
fn region_prefix(code: &str, parts: usize) -> Option<Literal> {
    let mut end = 0;
    for (i, segment) in code.split('.').enumerate() {
        if segment.is_empty() {
            return None;
        }
        end += segment.len() + usize::from(i > 0);
        if i + 1 == parts {
            return Some(Literal::Text(code[..end].to_owned()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_coarsen_dates_and_regions() {
        let text = |s: &str| FieldValue::Text(s.into());
        assert_eq!(
            bucket(text("2023-04-09"), Some(Bucket::Year)),
            Some(Literal::Int(2023))
        );
        assert_eq!(
            bucket(text("2023-04-09"), Some(Bucket::Month)),
            Some(Literal::Text("2023-04".into()))
        );
        assert_eq!(
            bucket(text("36.02.13"), Some(Bucket::Province)),
            Some(Literal::Text("36".into()))
        );
        assert_eq!(
            bucket(text("36.02.13"), Some(Bucket::Regency)),
            Some(Literal::Text("36.02".into()))
        );
        assert_eq!(bucket(text("36"), Some(Bucket::Regency)), None);
        assert_eq!(bucket(FieldValue::Null, None), None);
        assert_eq!(
            bucket(
                FieldValue::list(["APBN", "VOKASI"].iter()),
                Some(Bucket::Province)
            ),
            Some(Literal::Text("APBN".into()))
        );
    }

    #[test]
    fn merged_parts_equal_the_whole() {
        struct R(i64, Option<f64>);
        impl Filterable for R {
            const FIELDS: &'static [&'static str] = &["g", "v"];
            fn field(&self, name: &str) -> Option<FieldValue> {
                match name {
                    "g" => Some(FieldValue::Int(self.0)),
                    "v" => Some(self.1.into()),
                    _ => None,
                }
            }
        }
        let request = AggregateRequest {
            view: super::super::AggregateView::Participants,
            filter: None,
            group_by: vec![GroupKey::field("g")],
            measures: vec!["v".into()],
        };
        let records: Vec<R> = (0..50)
            .map(|i| R(i % 3, (i % 4 != 0).then_some(i as f64)))
            .collect();
        let mut whole = Accumulator::new(&request);
        let (mut left, mut right) = (Accumulator::new(&request), Accumulator::new(&request));
        for (i, r) in records.iter().enumerate() {
            whole.add(r).unwrap();
            if i % 2 == 0 { &mut left } else { &mut right }
                .add(r)
                .unwrap();
        }
        let mut merged = Accumulator::new(&request);
        for g in left
            .finish()
            .groups
            .into_iter()
            .chain(right.finish().groups)
        {
            merged.merge(g);
        }
        assert_eq!(merged.finish(), whole.finish());
    }
}
