//! Requests made from the values an adapter actually serves: for each filter field its
//! distinct values ([`Values`]), and from them literals, `_like` patterns, region prefixes,
//! random `and`/`or`/`not` trees and sort keys, all from a seeded generator.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use simpul_schema::filter::{FieldValue, Filterable};
use simpul_schema::{CompareOp, Direction, Filter, Literal, OrderBy};

/// Every sort direction.
pub const DIRECTIONS: [Direction; 6] = [
    Direction::Asc,
    Direction::AscNullsFirst,
    Direction::AscNullsLast,
    Direction::Desc,
    Direction::DescNullsFirst,
    Direction::DescNullsLast,
];

/// A text no adapter serves (absent literals are made from it).
pub const ABSENT: &str = "zz-simpul-kit-absent";

/// The generator of one check: the run's seed mixed with the check's name, so that each
/// check asks the same requests whatever other checks ran before it.
pub fn rng(seed: u64, label: &str) -> StdRng {
    // FNV-1a over the label, then mixed with the seed.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in label.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    StdRng::seed_from_u64(seed ^ hash.rotate_left(17))
}

/// What kind of values a field holds, as served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No record has a value.
    Empty,
    /// Text: names, enums, ISO dates, codes.
    Text,
    /// Whole numbers.
    Int,
    /// Fractional numbers.
    Float,
    /// Booleans.
    Bool,
}

/// The distinct non-null values of each field (list fields flattened), in first-seen order.
#[derive(Debug, Clone, Default)]
pub struct Values(BTreeMap<&'static str, Vec<FieldValue>>);

impl Values {
    /// The values of `fields` over `records`.
    pub fn of<T: Filterable>(records: &[T], fields: &[&'static str]) -> Self {
        let mut out = BTreeMap::new();
        for field in fields {
            let mut seen: Vec<FieldValue> = Vec::new();
            for record in records {
                let items = match record.field(field) {
                    Some(FieldValue::List(items)) => items,
                    Some(FieldValue::Null) | None => Vec::new(),
                    Some(v) => vec![v],
                };
                for v in items {
                    if seen.len() < 5_000 && !seen.contains(&v) {
                        seen.push(v);
                    }
                }
            }
            out.insert(*field, seen);
        }
        Self(out)
    }

    /// The values of one field.
    pub fn get(&self, field: &str) -> &[FieldValue] {
        self.0.get(field).map_or(&[], Vec::as_slice)
    }

    /// The kind of one field's values (a mix of ints and floats is `Float`).
    pub fn kind(&self, field: &str) -> Kind {
        let values = self.get(field);
        let all = |f: fn(&FieldValue) -> bool| !values.is_empty() && values.iter().all(f);
        if values.is_empty() {
            Kind::Empty
        } else if all(|v| matches!(v, FieldValue::Text(_))) {
            Kind::Text
        } else if all(|v| matches!(v, FieldValue::Int(_))) {
            Kind::Int
        } else if all(|v| matches!(v, FieldValue::Int(_) | FieldValue::Float(_))) {
            Kind::Float
        } else if all(|v| matches!(v, FieldValue::Bool(_))) {
            Kind::Bool
        } else {
            Kind::Empty
        }
    }
}

/// Whether the gateway would send `op` on a field of this kind (`_like`, `_ilike` and
/// `_prefix` are for text; on a field no record has a value, every operator is asked with a
/// text literal, which the reference answers for nulls).
pub fn fits(op: CompareOp, kind: Kind) -> bool {
    match op {
        CompareOp::Like | CompareOp::Ilike | CompareOp::Prefix => {
            matches!(kind, Kind::Text | Kind::Empty)
        }
        _ => true,
    }
}

/// Literals and requests made from one field's values.
pub struct Literals<'a> {
    /// The generator.
    pub rng: &'a mut StdRng,
    /// The field's values.
    pub values: &'a [FieldValue],
    /// Their kind.
    pub kind: Kind,
}

impl Literals<'_> {
    /// The values to compare the field with under `op`: served ones, and one that is
    /// absent (or between served values, or of the other numeric type).
    pub fn for_op(&mut self, op: CompareOp) -> Vec<Literal> {
        match op {
            CompareOp::IsNull => vec![Literal::Bool(true), Literal::Bool(false)],
            CompareOp::In | CompareOp::Nin => {
                let two = Literal::List(vec![self.served(), self.served()]);
                let mixed = Literal::List(vec![self.served(), self.absent()]);
                vec![two, mixed, Literal::List(Vec::new())]
            }
            CompareOp::Like | CompareOp::Ilike => {
                vec![
                    Literal::Text(self.pattern(op)),
                    Literal::Text(self.pattern(op)),
                    Literal::Text(format!("%{ABSENT}%")),
                ]
            }
            CompareOp::Prefix => vec![
                Literal::Text(self.prefix()),
                Literal::Text(self.prefix()),
                Literal::Text("99.99".into()),
            ],
            _ => vec![self.served(), self.served(), self.absent()],
        }
    }

    /// A literal the field has (a text one when it has none).
    pub fn served(&mut self) -> Literal {
        match self.values.choose(self.rng) {
            Some(FieldValue::Int(i)) => Literal::Int(*i),
            Some(FieldValue::Float(f)) => Literal::Float(*f),
            Some(FieldValue::Bool(b)) => Literal::Bool(*b),
            Some(FieldValue::Text(t)) => Literal::Text(t.clone()),
            _ => Literal::Text(ABSENT.into()),
        }
    }

    /// A literal of the field's kind that it does not have, or one between its values, or a
    /// whole number for a fractional field (and the reverse).
    pub fn absent(&mut self) -> Literal {
        let picked = self.values.choose(self.rng).cloned();
        match (self.kind, picked) {
            (Kind::Int, Some(FieldValue::Int(i))) => {
                if self.rng.random_bool(0.5) {
                    Literal::Float(i as f64 + 0.5)
                } else {
                    Literal::Int(i.saturating_add(100_000))
                }
            }
            (Kind::Float, Some(FieldValue::Float(f))) => {
                if self.rng.random_bool(0.5) {
                    Literal::Int(f.floor() as i64)
                } else {
                    Literal::Float(f + 0.25)
                }
            }
            (Kind::Float, Some(FieldValue::Int(i))) => Literal::Float(i as f64 + 0.5),
            (Kind::Bool, _) => Literal::Bool(self.rng.random_bool(0.5)),
            (_, Some(FieldValue::Text(t))) => {
                // Just after a served value (between it and the next), or nowhere.
                if self.rng.random_bool(0.5) {
                    Literal::Text(format!("{t}~"))
                } else {
                    Literal::Text(ABSENT.into())
                }
            }
            _ => Literal::Text(ABSENT.into()),
        }
    }

    fn some_text(&mut self) -> String {
        match self.values.choose(self.rng) {
            Some(FieldValue::Text(t)) => t.clone(),
            _ => ABSENT.into(),
        }
    }

    /// A `_like` pattern made from a value: a prefix, a suffix, an infix, a one-character
    /// wildcard, the value itself (another case for `_ilike`), or everything.
    pub fn pattern(&mut self, op: CompareOp) -> String {
        let text: Vec<char> = self.some_text().chars().collect();
        let cut = self.rng.random_range(1..=text.len().clamp(1, 6));
        let cut = cut.min(text.len());
        let head: String = escape(&text[..cut]);
        let tail: String = escape(&text[text.len() - cut..]);
        let whole = escape(&text);
        let pattern = match self.rng.random_range(0..6) {
            0 => format!("{head}%"),
            1 => format!("%{tail}"),
            2 => {
                let mid = text.len() / 2;
                let end = (mid + 3).min(text.len());
                format!("%{}%", escape(&text[mid..end]))
            }
            3 if !text.is_empty() => format!("_{}", escape(&text[1..])),
            4 => whole,
            _ => "%".into(),
        };
        if op == CompareOp::Ilike && self.rng.random_bool(0.6) {
            if self.rng.random_bool(0.5) {
                pattern.to_uppercase()
            } else {
                pattern.to_lowercase()
            }
        } else {
            pattern
        }
    }

    /// A region-style prefix: some leading dot-separated segments of a value, or a cut
    /// inside one (which matches nothing but the whole segment).
    pub fn prefix(&mut self) -> String {
        let text = self.some_text();
        let parts: Vec<&str> = text.split('.').collect();
        if self.rng.random_bool(0.8) {
            let n = self.rng.random_range(1..=parts.len());
            parts[..n].join(".")
        } else {
            text.chars().take(3).collect()
        }
    }
}

/// Escape `%`, `_` and `\` so that they match themselves in a `_like` pattern.
fn escape(chars: &[char]) -> String {
    let mut out = String::new();
    for c in chars {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

/// Random filter trees over declared operators: comparisons with served literals, nested in
/// `and`/`or`/`not` up to a depth.
pub struct Trees<'a> {
    /// The generator.
    pub rng: &'a mut StdRng,
    /// The collection's fields.
    pub fields: &'a [&'static str],
    /// Their values.
    pub values: &'a Values,
    /// The operators the adapter declares.
    pub ops: &'a [CompareOp],
}

impl Trees<'_> {
    /// A tree at most `depth` deep.
    pub fn filter(&mut self, depth: u32) -> Filter {
        if depth == 0 || self.rng.random_bool(0.4) {
            return self.compare();
        }
        let n = self.rng.random_range(0..=3);
        match self.rng.random_range(0..3) {
            0 => Filter::And((0..n).map(|_| self.filter(depth - 1)).collect()),
            1 => Filter::Or((0..n).map(|_| self.filter(depth - 1)).collect()),
            _ => Filter::Not(Box::new(self.filter(depth - 1))),
        }
    }

    /// One comparison: a field, an operator that fits it, a literal.
    pub fn compare(&mut self) -> Filter {
        for _ in 0..20 {
            let field = *self
                .fields
                .choose(self.rng)
                .expect("a collection has fields");
            let kind = self.values.kind(field);
            let fitting: Vec<CompareOp> = self
                .ops
                .iter()
                .copied()
                .filter(|op| fits(*op, kind))
                .collect();
            let Some(op) = fitting.choose(self.rng).copied() else {
                continue;
            };
            let mut literals = Literals {
                rng: self.rng,
                values: self.values.get(field),
                kind,
            };
            let options = literals.for_op(op);
            let value = options
                .choose(self.rng)
                .cloned()
                .unwrap_or(Literal::Bool(true));
            return Filter::compare(field, op, value);
        }
        Filter::And(Vec::new())
    }
}

/// One or two random sort keys over `fields`.
pub fn order(rng: &mut StdRng, fields: &[&'static str]) -> Vec<OrderBy> {
    let keys = rng.random_range(1..=2);
    (0..keys)
        .map(|_| OrderBy {
            field: (*fields.choose(rng).expect("fields")).to_owned(),
            direction: *DIRECTIONS.choose(rng).expect("directions"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_label_and_seed_give_the_same_requests() {
        let values = vec![
            FieldValue::Text("Las Dasar".into()),
            FieldValue::Text("a_b%".into()),
        ];
        let make = |seed| {
            let mut rng = rng(seed, "courses filter like");
            let mut literals = Literals {
                rng: &mut rng,
                values: &values,
                kind: Kind::Text,
            };
            (0..20)
                .flat_map(|_| literals.for_op(CompareOp::Like))
                .collect::<Vec<_>>()
        };
        assert_eq!(make(1), make(1));
        assert_ne!(make(1), make(2));
        assert_ne!(make(1), {
            let mut rng = rng(1, "courses filter ilike");
            let mut literals = Literals {
                rng: &mut rng,
                values: &values,
                kind: Kind::Text,
            };
            (0..20)
                .flat_map(|_| literals.for_op(CompareOp::Like))
                .collect::<Vec<_>>()
        });
    }

    #[test]
    fn patterns_escape_wildcards_the_data_holds() {
        assert_eq!(
            escape(&"a_b%c\\".chars().collect::<Vec<_>>()),
            "a\\_b\\%c\\\\"
        );
        assert!(simpul_schema::filter::like(
            "a_b%",
            &escape(&"a_b%".chars().collect::<Vec<_>>())
        ));
        assert!(!simpul_schema::filter::like(
            "axb%",
            &escape(&"a_b%".chars().collect::<Vec<_>>())
        ));
    }
}
