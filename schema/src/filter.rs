//! Evaluating [`Filter`]s and [`OrderBy`]s over records in memory.
//!
//! This is the reference semantics of Simpul's filters: sources that cannot push a filter down
//! (spreadsheets, the gateway's own merge step) use it, and sources that translate filters to
//! SQL or HTTP must give the same answers.
//!
//! ```
//! use simpul_schema::{filter::{self, FieldValue, Filterable}, CompareOp, Filter};
//!
//! struct Run { year: i64 }
//! impl Filterable for Run {
//!     const FIELDS: &'static [&'static str] = &["fiscalYear"];
//!     fn field(&self, name: &str) -> Option<FieldValue> {
//!         (name == "fiscalYear").then(|| FieldValue::Int(self.year))
//!     }
//! }
//! let recent = Filter::compare("fiscalYear", CompareOp::Gte, 2023_i64);
//! assert!(filter::matches(&Run { year: 2024 }, &recent).unwrap());
//! assert!(!filter::matches(&Run { year: 2022 }, &recent).unwrap());
//! ```
//!
//! Semantics follow SQL and Hasura: a comparison with a null field is false (so `_neq` does
//! not match nulls; use `_is_null`), `_like` uses `%` and `_`, and on a list-valued field
//! (`fundingScheme`, `occupationCode`) a comparison holds when it holds for any element.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::query::{CompareOp, Direction, Filter, Literal, OrderBy, QueryRequest};

/// A record whose unified fields can be read by name.
pub trait Filterable {
    /// The field names [`Filterable::field`] answers, for validating filters up front.
    const FIELDS: &'static [&'static str];

    /// The value of a unified field, or `None` when the record has no such field.
    fn field(&self, name: &str) -> Option<FieldValue>;
}

/// The value of one field, as filters and sorts see it. Dates are ISO text, so they compare
/// correctly as text; enums are their `UPPER_SNAKE` names.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// No value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A fractional number.
    Float(f64),
    /// Text, enum names, ISO dates.
    Text(String),
    /// A list-valued field; comparisons hold when they hold for any element.
    List(Vec<FieldValue>),
}

impl FieldValue {
    /// A list of texts.
    pub fn list<S: AsRef<str>>(items: impl Iterator<Item = S>) -> Self {
        FieldValue::List(
            items
                .map(|s| FieldValue::Text(s.as_ref().to_owned()))
                .collect(),
        )
    }

    fn is_null(&self) -> bool {
        match self {
            FieldValue::Null => true,
            FieldValue::List(items) => items.is_empty(),
            _ => false,
        }
    }
}

impl From<&str> for FieldValue {
    fn from(v: &str) -> Self {
        FieldValue::Text(v.to_owned())
    }
}
impl From<&String> for FieldValue {
    fn from(v: &String) -> Self {
        FieldValue::Text(v.clone())
    }
}
impl From<bool> for FieldValue {
    fn from(v: bool) -> Self {
        FieldValue::Bool(v)
    }
}
impl From<i32> for FieldValue {
    fn from(v: i32) -> Self {
        FieldValue::Int(v.into())
    }
}
impl From<f64> for FieldValue {
    fn from(v: f64) -> Self {
        FieldValue::Float(v)
    }
}
impl From<NaiveDate> for FieldValue {
    fn from(v: NaiveDate) -> Self {
        FieldValue::Text(v.format("%Y-%m-%d").to_string())
    }
}
impl<T: Into<FieldValue>> From<Option<T>> for FieldValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(FieldValue::Null, Into::into)
    }
}

/// Why a filter or sort cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The field does not exist on this collection.
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// The literal does not fit the operator or the field.
    #[error("operator `{op:?}` on field `{field}` does not accept this value: {reason}")]
    BadLiteral {
        /// Field name.
        field: String,
        /// Operator.
        op: CompareOp,
        /// What is wrong.
        reason: &'static str,
    },
    /// A relation filter reached a place that evaluates records (the gateway resolves them
    /// first), or names no relation of the collection.
    #[error("relation `{0}` cannot be evaluated here")]
    UnresolvedRelation(String),
}

/// Whether `record` satisfies `filter`.
pub fn matches<T: Filterable>(record: &T, filter: &Filter) -> Result<bool, FilterError> {
    matches_with(filter, &|name| record.field(name))
}

/// Whether the record whose fields `lookup` reads satisfies `filter`. The gateway uses this to
/// add fields the record does not carry itself (such as `provider`).
pub fn matches_with(
    filter: &Filter,
    lookup: &dyn Fn(&str) -> Option<FieldValue>,
) -> Result<bool, FilterError> {
    match filter {
        Filter::And(parts) => {
            for part in parts {
                if !matches_with(part, lookup)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Filter::Or(parts) => {
            for part in parts {
                if matches_with(part, lookup)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Filter::Not(inner) => Ok(!matches_with(inner, lookup)?),
        Filter::Related { relation, .. } => Err(FilterError::UnresolvedRelation(relation.clone())),
        Filter::Compare { field, op, value } => {
            let actual = lookup(field).ok_or_else(|| FilterError::UnknownField(field.clone()))?;
            compare(field, &actual, *op, value)
        }
    }
}

fn compare(
    field: &str,
    actual: &FieldValue,
    op: CompareOp,
    value: &Literal,
) -> Result<bool, FilterError> {
    let bad = |reason| FilterError::BadLiteral {
        field: field.to_owned(),
        op,
        reason,
    };
    if op == CompareOp::IsNull {
        return match value {
            Literal::Bool(want) => Ok(actual.is_null() == *want),
            _ => Err(bad("expected a boolean")),
        };
    }
    if let FieldValue::List(items) = actual {
        // Existential semantics; a negated operator holds when no element matches.
        return match op {
            CompareOp::Neq | CompareOp::Nin => {
                let positive = if op == CompareOp::Neq {
                    CompareOp::Eq
                } else {
                    CompareOp::In
                };
                if items.is_empty() {
                    return Ok(false);
                }
                for item in items {
                    if compare(field, item, positive, value)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            _ => {
                for item in items {
                    if compare(field, item, op, value)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        };
    }
    if matches!(actual, FieldValue::Null) {
        // Validate the literal even when the answer is known, so bad input fails the same way
        // whatever the data.
        check_literal(op, value).map_err(bad)?;
        return Ok(false);
    }
    check_literal(op, value).map_err(bad)?;
    match op {
        CompareOp::Eq => Ok(order(actual, value) == Some(Ordering::Equal)),
        CompareOp::Neq => Ok(order(actual, value) != Some(Ordering::Equal)),
        CompareOp::Gt => Ok(order(actual, value) == Some(Ordering::Greater)),
        CompareOp::Gte => Ok(matches!(
            order(actual, value),
            Some(Ordering::Greater | Ordering::Equal)
        )),
        CompareOp::Lt => Ok(order(actual, value) == Some(Ordering::Less)),
        CompareOp::Lte => Ok(matches!(
            order(actual, value),
            Some(Ordering::Less | Ordering::Equal)
        )),
        CompareOp::In | CompareOp::Nin => {
            let Literal::List(options) = value else {
                unreachable!("checked above")
            };
            let found = options
                .iter()
                .any(|o| order(actual, o) == Some(Ordering::Equal));
            Ok(found == (op == CompareOp::In))
        }
        CompareOp::Like | CompareOp::Ilike => {
            let (FieldValue::Text(text), Literal::Text(pattern)) = (actual, value) else {
                return Err(bad("expected a text field and a text pattern"));
            };
            Ok(if op == CompareOp::Like {
                like(text, pattern)
            } else {
                like(&text.to_lowercase(), &pattern.to_lowercase())
            })
        }
        CompareOp::Prefix => {
            let (FieldValue::Text(code), Literal::Text(prefix)) = (actual, value) else {
                return Err(bad("expected a region code"));
            };
            Ok(code == prefix
                || (code.starts_with(prefix.as_str()) && code[prefix.len()..].starts_with('.')))
        }
        CompareOp::IsNull => unreachable!("handled above"),
    }
}

fn check_literal(op: CompareOp, value: &Literal) -> Result<(), &'static str> {
    match (op, value) {
        (CompareOp::In | CompareOp::Nin, Literal::List(items)) => {
            if items.iter().any(|i| matches!(i, Literal::List(_))) {
                Err("nested lists are not allowed")
            } else {
                Ok(())
            }
        }
        (CompareOp::In | CompareOp::Nin, _) => Err("expected a list"),
        (_, Literal::List(_)) => Err("a list is only allowed with _in and _nin"),
        (CompareOp::Like | CompareOp::Ilike | CompareOp::Prefix, Literal::Text(_)) => Ok(()),
        (CompareOp::Like | CompareOp::Ilike | CompareOp::Prefix, _) => Err("expected text"),
        _ => Ok(()),
    }
}

/// Order of a field value against a literal; `None` when they are not comparable.
fn order(actual: &FieldValue, literal: &Literal) -> Option<Ordering> {
    match (actual, literal) {
        (FieldValue::Text(a), Literal::Text(b)) => Some(a.as_str().cmp(b.as_str())),
        (FieldValue::Bool(a), Literal::Bool(b)) => Some(a.cmp(b)),
        (FieldValue::Int(a), Literal::Int(b)) => Some(a.cmp(b)),
        (FieldValue::Int(a), Literal::Float(b)) => (*a as f64).partial_cmp(b),
        (FieldValue::Float(a), Literal::Int(b)) => a.partial_cmp(&(*b as f64)),
        (FieldValue::Float(a), Literal::Float(b)) => a.partial_cmp(b),
        _ => None,
    }
}

/// SQL `LIKE`: `%` matches any run of characters, `_` exactly one, `\` escapes either.
pub fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '%' => Token::Any,
            '_' => Token::One,
            other => Token::Char(other),
        });
    }
    // Classic two-pointer wildcard match with backtracking to the last `%`.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => (t, p) = (t + 1, p + 1),
            Some(Token::One) => (t, p) = (t + 1, p + 1),
            Some(Token::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    (t, p) = (st + 1, sp + 1);
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|tok| matches!(tok, Token::Any))
}

enum Token {
    Char(char),
    Any,
    One,
}

/// Compare two records by `order_by` (most significant key first).
pub fn compare_by(
    a: &dyn Fn(&str) -> Option<FieldValue>,
    b: &dyn Fn(&str) -> Option<FieldValue>,
    order_by: &[OrderBy],
) -> Ordering {
    for key in order_by {
        let (x, y) = (
            a(&key.field).unwrap_or(FieldValue::Null),
            b(&key.field).unwrap_or(FieldValue::Null),
        );
        let ord = sort_order(&x, &y, key.direction);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

fn sort_order(x: &FieldValue, y: &FieldValue, direction: Direction) -> Ordering {
    let nulls_first = direction.nulls_first();
    match (x.is_null(), y.is_null()) {
        (true, true) => return Ordering::Equal,
        (true, false) => {
            return if nulls_first {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (false, true) => {
            return if nulls_first {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (false, false) => {}
    }
    let ord = value_order(x, y);
    if direction.ascending() {
        ord
    } else {
        ord.reverse()
    }
}

fn value_order(x: &FieldValue, y: &FieldValue) -> Ordering {
    match (x, y) {
        (FieldValue::Text(a), FieldValue::Text(b)) => a.cmp(b),
        (FieldValue::Bool(a), FieldValue::Bool(b)) => a.cmp(b),
        (FieldValue::Int(a), FieldValue::Int(b)) => a.cmp(b),
        (FieldValue::Int(a), FieldValue::Float(b)) => (*a as f64).total_cmp(b),
        (FieldValue::Float(a), FieldValue::Int(b)) => a.total_cmp(&(*b as f64)),
        (FieldValue::Float(a), FieldValue::Float(b)) => a.total_cmp(b),
        (FieldValue::List(a), FieldValue::List(b)) => {
            for (i, j) in a.iter().zip(b) {
                let ord = value_order(i, j);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            a.len().cmp(&b.len())
        }
        // Different kinds never share a field; order them deterministically anyway.
        _ => kind_rank(x).cmp(&kind_rank(y)),
    }
}

fn kind_rank(v: &FieldValue) -> u8 {
    match v {
        FieldValue::Null => 0,
        FieldValue::Bool(_) => 1,
        FieldValue::Int(_) | FieldValue::Float(_) => 2,
        FieldValue::Text(_) => 3,
        FieldValue::List(_) => 4,
    }
}

/// How big a filter is: what the gateway bounds in a caller's `where` before anything runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterSize {
    /// Every node: comparisons, `_and`/`_or`/`_not`, relation conditions.
    pub nodes: usize,
    /// Every literal value: a comparison's value counts one, an `_in`/`_nin` list each of its
    /// items.
    pub values: usize,
}

impl Filter {
    /// The number of nodes and of literal values in this filter (counted without recursion,
    /// so any depth is safe).
    pub fn size(&self) -> FilterSize {
        let mut size = FilterSize::default();
        let mut pending = vec![self];
        while let Some(filter) = pending.pop() {
            size.nodes += 1;
            match filter {
                Filter::And(parts) | Filter::Or(parts) => pending.extend(parts),
                Filter::Not(inner) | Filter::Related { filter: inner, .. } => pending.push(inner),
                Filter::Compare { value, .. } => {
                    size.values += match value {
                        Literal::List(items) => items.len(),
                        _ => 1,
                    }
                }
            }
        }
        size
    }
}

/// Check that a filter, sort keys and projected fields name only fields in `fields`.
pub fn validate(request: &QueryRequest, fields: &[&str]) -> Result<(), FilterError> {
    if let Some(filter) = &request.filter {
        validate_filter(filter, fields)?;
    }
    let sorted = request.order_by.iter().map(|key| &key.field);
    for name in sorted.chain(request.fields.iter().flatten()) {
        if !fields.contains(&name.as_str()) {
            return Err(FilterError::UnknownField(name.clone()));
        }
    }
    Ok(())
}

/// Check that a filter names only fields in `fields`, with literals that fit its operators.
pub fn validate_filter(filter: &Filter, fields: &[&str]) -> Result<(), FilterError> {
    fn walk(filter: &Filter, fields: &[&str]) -> Result<(), FilterError> {
        match filter {
            Filter::And(parts) | Filter::Or(parts) => {
                parts.iter().try_for_each(|p| walk(p, fields))
            }
            Filter::Not(inner) => walk(inner, fields),
            // Checked against the related collection when the gateway resolves it.
            Filter::Related { .. } => Ok(()),
            Filter::Compare { field, op, value } => {
                if !fields.contains(&field.as_str()) {
                    return Err(FilterError::UnknownField(field.clone()));
                }
                if *op == CompareOp::IsNull && !matches!(value, Literal::Bool(_)) {
                    return Err(FilterError::BadLiteral {
                        field: field.clone(),
                        op: *op,
                        reason: "expected a boolean",
                    });
                }
                check_literal(*op, value).map_err(|reason| FilterError::BadLiteral {
                    field: field.clone(),
                    op: *op,
                    reason,
                })
            }
        }
    }
    walk(filter, fields)
}

/// Run a [`QueryRequest`] over records in memory: ids, filter, order, then offset and limit.
/// Returns the page and the number of records that matched before paging.
pub fn apply<T: Filterable + Clone>(
    records: &[T],
    request: &QueryRequest,
) -> Result<(Vec<T>, u64), FilterError> {
    validate(request, T::FIELDS)?;
    let mut selected: Vec<&T> = Vec::new();
    for record in records {
        if let Some(ids) = &request.ids {
            let Some(FieldValue::Text(id)) = record.field("sourceId") else {
                continue;
            };
            if !ids.contains(&id) {
                continue;
            }
        }
        if let Some(filter) = &request.filter {
            if !matches(record, filter)? {
                continue;
            }
        }
        selected.push(record);
    }
    if !request.order_by.is_empty() {
        selected.sort_by(|a, b| compare_by(&|f| a.field(f), &|f| b.field(f), &request.order_by));
    }
    let total = selected.len() as u64;
    let offset = usize::try_from(request.offset).unwrap_or(usize::MAX);
    let limit = request
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let page = selected
        .into_iter()
        .skip(offset)
        .take(limit)
        .cloned()
        .collect();
    Ok((page, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(Vec<(&'static str, FieldValue)>);
    impl Filterable for Row {
        const FIELDS: &'static [&'static str] = &["a", "b", "list", "code"];
        fn field(&self, name: &str) -> Option<FieldValue> {
            self.0
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        }
    }

    fn row() -> Row {
        Row(vec![
            ("a", FieldValue::Int(5)),
            ("b", FieldValue::Null),
            ("list", FieldValue::list(["JKP", "PNBP"].iter())),
            ("code", FieldValue::from("36.02.13")),
        ])
    }

    #[test]
    fn comparisons_follow_sql_null_semantics() {
        let r = row();
        assert!(matches(&r, &Filter::compare("a", CompareOp::Eq, 5_i64)).unwrap());
        assert!(matches(&r, &Filter::compare("a", CompareOp::Gt, 4.5)).unwrap());
        assert!(!matches(&r, &Filter::compare("b", CompareOp::Neq, 1_i64)).unwrap());
        assert!(matches(&r, &Filter::compare("b", CompareOp::IsNull, true)).unwrap());
        assert!(matches(
            &r,
            &Filter::Not(Box::new(Filter::compare("a", CompareOp::Lt, 5_i64)))
        )
        .unwrap());
    }

    #[test]
    fn list_fields_are_existential() {
        let r = row();
        assert!(matches(&r, &Filter::compare("list", CompareOp::Eq, "JKP")).unwrap());
        assert!(!matches(&r, &Filter::compare("list", CompareOp::Neq, "JKP")).unwrap());
        assert!(matches(
            &r,
            &Filter::compare("list", CompareOp::Nin, Literal::List(vec!["X".into()]))
        )
        .unwrap());
    }

    #[test]
    fn region_prefix_respects_segments() {
        let r = row();
        assert!(matches(&r, &Filter::compare("code", CompareOp::Prefix, "36.02")).unwrap());
        assert!(matches(&r, &Filter::compare("code", CompareOp::Prefix, "36.02.13")).unwrap());
        assert!(!matches(&r, &Filter::compare("code", CompareOp::Prefix, "36.0")).unwrap());
    }

    #[test]
    fn like_patterns() {
        assert!(like("Pengelasan Dasar", "Peng%"));
        assert!(like("Pengelasan Dasar", "%Dasar"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_"));
        assert!(like("50%", "50\\%"));
        assert!(like("", "%"));
    }

    #[test]
    fn bad_literals_and_fields_are_errors() {
        let r = row();
        assert_eq!(
            matches(&r, &Filter::compare("nope", CompareOp::Eq, 1_i64)),
            Err(FilterError::UnknownField("nope".into()))
        );
        assert!(matches(&r, &Filter::compare("a", CompareOp::In, 1_i64)).is_err());
        assert!(matches(&r, &Filter::compare("b", CompareOp::Like, 1_i64)).is_err());
    }

    #[test]
    fn sizes_count_nodes_and_values() {
        let f = Filter::And(vec![
            Filter::Or(vec![
                Filter::compare("a", CompareOp::Eq, 1_i64),
                Filter::compare(
                    "a",
                    CompareOp::In,
                    Literal::List(vec![2_i64.into(), 3_i64.into()]),
                ),
            ]),
            Filter::Not(Box::new(Filter::Related {
                relation: "r".into(),
                filter: Box::new(Filter::compare("b", CompareOp::IsNull, true)),
            })),
        ]);
        assert_eq!(
            f.size(),
            FilterSize {
                nodes: 7,
                values: 4
            }
        );
        let mut deep = Filter::compare("a", CompareOp::Eq, 1_i64);
        for _ in 0..5_000 {
            deep = Filter::Not(Box::new(deep));
        }
        assert_eq!(
            deep.size(),
            FilterSize {
                nodes: 5_001,
                values: 1
            }
        );
    }

    #[test]
    fn ordering_puts_nulls_where_hasura_does() {
        let a = |f: &str| (f == "x").then_some(FieldValue::Int(1));
        let n = |f: &str| (f == "x").then_some(FieldValue::Null);
        let asc = [OrderBy {
            field: "x".into(),
            direction: Direction::Asc,
        }];
        let desc = [OrderBy {
            field: "x".into(),
            direction: Direction::Desc,
        }];
        assert_eq!(compare_by(&a, &n, &asc), Ordering::Less);
        assert_eq!(compare_by(&a, &n, &desc), Ordering::Greater);
    }
}
