//! [`Filter`] and [`OrderBy`] over unified field names → SQL conditions and sort keys, with the
//! reference semantics of [`simpul_schema::filter`]:
//!
//! - A comparison with a NULL field is false, and `_not` of it is true. SQL's three-valued
//!   logic differs under `NOT`, so the translation pushes negation down to the comparisons
//!   and turns a negated comparison `c` on field `f` into `f IS NULL OR NOT c`. Positive
//!   comparisons stay plain (`f = $1`), so indexes still apply.
//! - A literal of another type than the field never equals it (`_neq` then holds for every
//!   non-NULL value): those comparisons become constants instead of SQL type errors.
//! - Text ordering (`_gt`, `ORDER BY`) is code-point order ([`Dialect::sortable`]).
//! - `_like`/`_ilike` patterns are rewritten per engine ([`super::pattern`]); `_prefix` is
//!   `f = p OR substr(f, 1, len(p) + 1) = p || '.'`.
//! - Nulls sort where Hasura puts them, with explicit `NULLS FIRST/LAST` on both engines.
//!
//! List-valued fields (`fundingScheme`, `occupationCode`) hold at most one element in this
//! source, and for such lists the existential semantics equal the scalar ones.
//!
//! The SQL stays small whatever the filter's shape, so that no request reaches an engine's
//! limit (SQLite refuses expressions deeper than 1,000 and more than 32,766 variables;
//! PostgreSQL takes 65,535 parameters), and nothing recurses deeper than the filter itself:
//!
//! - Nested connectives that are the same in SQL (`_and` in `_and`, `_not` of `_or` in `_and`)
//!   are flattened into one list, and a list is joined as a balanced tree: an `_or` of 1,000
//!   terms is 10 levels deep, not 1,000.
//! - In such a list, equalities on one field are one membership test: an `_or` of `_eq`s and
//!   `_in`s on `code` is one `code IN (…)`, an `_and` of `_neq`s and `_nin`s one `NOT IN`
//!   (the reference gives these the same answers, nulls and list-valued fields included).
//! - A list of more than [`BOUND_LIST_MAX`] values is bound as one JSON parameter
//!   ([`Dialect::in_json`]) instead of a parameter per value.

use std::borrow::Cow;

use sea_orm::sea_query::{Expr, NullOrdering, Order, SimpleExpr, Value};
use simpul_schema::{CompareOp, Filter, Literal, OrderBy};

use super::dialect::{self, lit, Dialect};
use super::pattern;
use crate::error::BbplkError;
use crate::mapping::values::Vocab;

/// The SQL type of a unified field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, enum names, ISO dates.
    Text,
    /// Whole numbers.
    Int,
    /// Fractional numbers.
    Float,
    /// Booleans.
    Bool,
    /// A field this source never fills (`Course.trainingType`).
    AlwaysNull,
}

/// A unified field and the SQL expression that computes its unified value.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Unified name (`startDate`).
    pub name: &'static str,
    /// Value type.
    pub kind: Kind,
    /// The expression (NULL exactly when the mapped record's field is null).
    pub expr: SimpleExpr,
    /// How `expr` is made from one column, when comparisons may read that column instead.
    pub shape: Shape,
}

/// How a field's expression is made from one column ([`sargable`]): comparisons with a
/// literal can then be conditions on the column itself, which the planners have statistics
/// (PostgreSQL) and cheap tests (SQLite) for, with the same answers.
#[derive(Debug, Clone)]
pub enum Shape {
    /// Any expression.
    Opaque,
    /// `vocab(d, &vocab, column)` ([`crate::query::dialect::vocab`]).
    Vocab(Vocab, SimpleExpr),
    /// `d.date(column)` of a `DATE` column ([`Dialect::date`]).
    Date(SimpleExpr),
    /// `CAST(k AS TEXT)` of an integer `k` that only a correlated subquery gives (an outcome's
    /// kept enrolment): `=`/`_in` first narrow the rows to `narrow(keys)`, a condition on
    /// indexed columns that every row whose `k` is one of `keys` meets, and then compare the
    /// field as before (the engine looks outcomes up by the enrolments of each page it reads).
    Key(fn(&[i64]) -> SimpleExpr),
}

impl FieldDef {
    /// A field.
    pub fn new(name: &'static str, kind: Kind, expr: SimpleExpr) -> Self {
        Self {
            name,
            kind,
            expr,
            shape: Shape::Opaque,
        }
    }

    /// A text field whose value is the unified name of a vocabulary's label in `column`.
    pub fn vocab(name: &'static str, d: Dialect, vocab: Vocab, column: SimpleExpr) -> Self {
        Self {
            name,
            kind: Kind::Text,
            expr: dialect::vocab(d, &vocab, column.clone()),
            shape: Shape::Vocab(vocab, column),
        }
    }

    /// A text field whose value is the `DATE` `column` as `YYYY-MM-DD` ([`Dialect::date`]).
    pub fn date(name: &'static str, d: Dialect, column: SimpleExpr) -> Self {
        Self {
            name,
            kind: Kind::Text,
            expr: d.date(column.clone()),
            shape: Shape::Date(column),
        }
    }

    /// A text key `CAST(k AS TEXT)` of an integer expression `k`, narrowed for `=`/`_in` by
    /// `narrow` ([`Shape::Key`]).
    pub fn key(
        name: &'static str,
        d: Dialect,
        k: SimpleExpr,
        narrow: fn(&[i64]) -> SimpleExpr,
    ) -> Self {
        Self {
            name,
            kind: Kind::Text,
            expr: dialect::as_text(d, k),
            shape: Shape::Key(narrow),
        }
    }

    /// The same field under another name.
    pub fn renamed(&self, name: &'static str) -> Self {
        Self {
            name,
            ..self.clone()
        }
    }
}

/// One comparison, before polarity is applied.
enum Atom {
    /// Known without looking at the row.
    Const(bool),
    /// Never NULL (`IS NULL`, `IS NOT NULL`).
    Total(SimpleExpr),
    /// NULL exactly when the field is NULL, otherwise definite.
    Partial(SimpleExpr),
    /// `holds`: true exactly when the comparison holds (false or NULL otherwise), a condition
    /// on the field's column ([`sargable`]); `partial`: the comparison as a [`Atom::Partial`],
    /// for its negation.
    Split {
        /// The positive condition.
        holds: SimpleExpr,
        /// The negative condition (true exactly when the comparison does not hold, a NULL
        /// field included), when cheaper than the `partial` form's.
        fails: Option<SimpleExpr>,
        /// The comparison on the field's value.
        partial: SimpleExpr,
    },
}

/// The condition for `filter`, never NULL in a way that differs from the reference.
///
/// # Errors
/// [`BbplkError::BadRequest`] for an unknown field or an operator the field cannot take.
pub fn condition(
    d: Dialect,
    fields: &[FieldDef],
    filter: &Filter,
) -> Result<SimpleExpr, BbplkError> {
    translate(d, fields, filter, true)
}

/// Lists longer than this are bound as one parameter ([`Dialect::in_json`]); shorter ones a
/// parameter per value, as the planners know best (`f IN ($1, $2)` uses an index directly).
pub const BOUND_LIST_MAX: usize = 100;

fn translate(
    d: Dialect,
    fields: &[FieldDef],
    filter: &Filter,
    positive: bool,
) -> Result<SimpleExpr, BbplkError> {
    match filter {
        Filter::And(_) | Filter::Or(_) => {
            // AND under negation is OR of negations, and vice versa.
            let conjunction = matches!(filter, Filter::And(_)) == positive;
            let mut leaves = Vec::new();
            flatten(filter, positive, conjunction, &mut leaves);
            let parts = merge(leaves, conjunction)
                .iter()
                .map(|(part, p)| translate(d, fields, part, *p))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(balanced(d, parts, conjunction))
        }
        Filter::Not(inner) => translate(d, fields, inner, !positive),
        Filter::Related { relation, .. } => Err(BbplkError::BadRequest(format!(
            "relation filter `{relation}` reached the adapter unresolved"
        ))),
        Filter::Compare { field, op, value } => {
            let def = fields
                .iter()
                .find(|f| f.name == field)
                .ok_or_else(|| BbplkError::BadRequest(format!("unknown field `{field}`")))?;
            Ok(match (compare(d, def, *op, value)?, positive) {
                (Atom::Const(b), p) => d.constant(b == p),
                (Atom::Total(e), true) => e,
                (Atom::Total(e), false) => e.not(),
                (Atom::Partial(e), true) => e,
                (Atom::Partial(e), false)
                | (
                    Atom::Split {
                        fails: None,
                        partial: e,
                        ..
                    },
                    false,
                ) => Expr::expr(def.expr.clone()).is_null().or(e.not()),
                (Atom::Split { holds, .. }, true) => holds,
                (Atom::Split { fails: Some(f), .. }, false) => f,
            })
        }
    }
}

/// The operands of the SQL connective that `filter` (an `_and`/`_or`, seen with polarity
/// `positive`) becomes, each with its own polarity: operands that become the same connective
/// (`conjunction`), through any `_not`s, are opened up instead of nested.
fn flatten<'a>(
    filter: &'a Filter,
    positive: bool,
    conjunction: bool,
    out: &mut Vec<(&'a Filter, bool)>,
) {
    let mut pending = vec![(filter, positive)];
    while let Some((f, p)) = pending.pop() {
        match f {
            Filter::Not(inner) => pending.push((inner, !p)),
            Filter::And(parts) | Filter::Or(parts)
                if (matches!(f, Filter::And(_)) == p) == conjunction =>
            {
                // Reversed onto the stack, so the operands keep their order.
                pending.extend(parts.iter().rev().map(|part| (part, p)));
            }
            _ => out.push((f, p)),
        }
    }
}

/// Equalities on one field among the operands of one connective, as one membership test.
///
/// Operands of polarity `p` are joined, before negation, by `AND` when `p == conjunction` and
/// by `OR` otherwise. In an `OR`, `f = a`, `f = b` and `f IN (c, d)` are `f IN (a, b, c, d)`; in
/// an `AND`, `f <> a` and `f NOT IN (c, d)` are `f NOT IN (a, c, d)`: the same answers under
/// the reference semantics for NULL fields, incomparable literals and list-valued fields.
/// A group of one stays as it is; a merged group takes its first operand's place.
fn merge(leaves: Vec<(&Filter, bool)>, conjunction: bool) -> Vec<(Cow<'_, Filter>, bool)> {
    // (field, polarity) → index in `out` of the merged operand, with its values.
    let mut groups: Vec<(&str, bool, usize, Vec<Literal>, usize)> = Vec::new();
    let mut out: Vec<(Cow<'_, Filter>, bool)> = Vec::with_capacity(leaves.len());
    for (leaf, p) in leaves {
        let and = p == conjunction;
        let values: Option<Vec<Literal>> = match leaf {
            Filter::Compare { op, value, .. } => match (op, value, and) {
                (CompareOp::Eq, Literal::List(_), false)
                | (CompareOp::Neq, Literal::List(_), true) => None,
                (CompareOp::Eq, v, false) | (CompareOp::Neq, v, true) => Some(vec![v.clone()]),
                (CompareOp::In, Literal::List(items), false)
                | (CompareOp::Nin, Literal::List(items), true)
                    if !items.iter().any(|i| matches!(i, Literal::List(_))) =>
                {
                    Some(items.clone())
                }
                _ => None,
            },
            _ => None,
        };
        let (Some(values), Filter::Compare { field, .. }) = (values, leaf) else {
            out.push((Cow::Borrowed(leaf), p));
            continue;
        };
        match groups.iter_mut().find(|g| g.0 == field && g.1 == p) {
            Some(group) => {
                group.3.extend(values);
                group.4 += 1;
            }
            None => {
                groups.push((field, p, out.len(), values, 1));
                out.push((Cow::Borrowed(leaf), p));
            }
        }
    }
    for (field, p, at, values, members) in groups {
        if members > 1 {
            let op = if p == conjunction {
                CompareOp::Nin
            } else {
                CompareOp::In
            };
            out[at].0 = Cow::Owned(Filter::Compare {
                field: field.to_owned(),
                op,
                value: Literal::List(values),
            });
        } else {
            debug_assert!(matches!(out[at].0, Cow::Borrowed(_)));
        }
    }
    out
}

/// `parts` joined by `AND` (or `OR`) as a balanced tree, so its depth grows with the
/// logarithm of their number; none: the connective's identity.
fn balanced(d: Dialect, mut parts: Vec<SimpleExpr>, conjunction: bool) -> SimpleExpr {
    match parts.len() {
        0 => d.constant(conjunction),
        1 => parts.pop().unwrap_or_else(|| d.constant(conjunction)),
        n => {
            let right = parts.split_off(n / 2);
            let (left, right) = (
                balanced(d, parts, conjunction),
                balanced(d, right, conjunction),
            );
            if conjunction {
                left.and(right)
            } else {
                left.or(right)
            }
        }
    }
}

/// The literal as a bound value of the field's type; `None` when the reference would find
/// them incomparable. On PostgreSQL numbers carry an explicit cast: the driver caches
/// prepared statements by their text, and an untyped `$1` prepared for an integer must not be
/// reused for a float.
fn coerce(d: Dialect, kind: Kind, literal: &Literal) -> Option<SimpleExpr> {
    let typed = |v: Value, sql_type: &str| match d {
        Dialect::Sqlite => SimpleExpr::from(v),
        Dialect::Postgres => d.sql(&format!("CAST($1 AS {sql_type})"), &[SimpleExpr::from(v)]),
    };
    match (kind, literal) {
        (Kind::Text, Literal::Text(s)) => Some(Value::from(s.clone()).into()),
        (Kind::Int | Kind::Float, Literal::Int(i)) => Some(typed(Value::from(*i), "BIGINT")),
        (Kind::Int | Kind::Float, Literal::Float(f)) => {
            Some(typed(Value::from(*f), "DOUBLE PRECISION"))
        }
        (Kind::Bool, Literal::Bool(b)) => Some(Value::from(*b).into()),
        _ => None,
    }
}

/// The items of a long list that a field of `kind` can equal, as a JSON array, with the SQL
/// type PostgreSQL reads its elements as; `None` for a list of at most [`BOUND_LIST_MAX`]
/// such items (bound a parameter each) or one holding a number JSON cannot carry (NaN, ±∞).
/// The items [`coerce`] would drop never equal the field, so leaving them out changes no
/// answer, of `_in` or `_nin`.
pub fn json_list(kind: Kind, items: &[Literal]) -> Option<(String, Option<&'static str>)> {
    let mut all_ints = true;
    let mut values = Vec::new();
    for item in items {
        let value = match (kind, item) {
            (Kind::Text, Literal::Text(s)) => serde_json::Value::from(s.as_str()),
            (Kind::Int | Kind::Float, Literal::Int(i)) => serde_json::Value::from(*i),
            (Kind::Int | Kind::Float, Literal::Float(f)) => {
                all_ints = false;
                serde_json::Number::from_f64(*f).map(serde_json::Value::Number)?
            }
            (Kind::Bool, Literal::Bool(b)) => serde_json::Value::from(*b),
            _ => continue,
        };
        values.push(value);
    }
    if values.len() <= BOUND_LIST_MAX {
        return None;
    }
    let element = match kind {
        Kind::Int if all_ints => Some("BIGINT"),
        Kind::Int | Kind::Float => Some("DOUBLE PRECISION"),
        Kind::Bool => Some("BOOLEAN"),
        Kind::Text | Kind::AlwaysNull => None,
    };
    Some((serde_json::Value::Array(values).to_string(), element))
}

fn bad(field: &FieldDef, op: CompareOp, reason: &str) -> BbplkError {
    BbplkError::BadRequest(format!(
        "operator `{op:?}` on field `{}` {reason}",
        field.name
    ))
}

fn compare(
    d: Dialect,
    field: &FieldDef,
    op: CompareOp,
    value: &Literal,
) -> Result<Atom, BbplkError> {
    let e = field.expr.clone();
    if op == CompareOp::IsNull {
        let Literal::Bool(want) = value else {
            return Err(bad(field, op, "expects a boolean"));
        };
        return Ok(match (field.kind, want) {
            (Kind::AlwaysNull, want) => Atom::Const(*want),
            (_, true) => Atom::Total(Expr::expr(e).is_null()),
            (_, false) => Atom::Total(Expr::expr(e).is_not_null()),
        });
    }
    let list = matches!(op, CompareOp::In | CompareOp::Nin);
    if list != matches!(value, Literal::List(_)) {
        return Err(bad(
            field,
            op,
            "got the wrong kind of literal (a list only with _in/_nin)",
        ));
    }
    let textual = matches!(op, CompareOp::Like | CompareOp::Ilike | CompareOp::Prefix);
    let pattern = match value {
        Literal::Text(p) => Some(p.as_str()),
        _ => None,
    };
    if textual && pattern.is_none() {
        return Err(bad(field, op, "expects a text pattern"));
    }
    if textual && !matches!(field.kind, Kind::Text | Kind::AlwaysNull) {
        return Err(bad(field, op, "applies to text fields only"));
    }
    if field.kind == Kind::AlwaysNull {
        return Ok(Atom::Const(false));
    }
    let ordered = |e: SimpleExpr| match field.kind {
        Kind::Text => d.sortable(e),
        _ => e,
    };
    let atom = on_value(d, field, op, value, pattern, ordered)?;
    Ok(match sargable(d, field, op, value) {
        Some(Sargable::Never) => Atom::Const(false),
        Some(Sargable::Holds(holds, fails)) => match atom {
            Atom::Partial(partial) => Atom::Split {
                holds,
                fails,
                partial,
            },
            other => other,
        },
        None => atom,
    })
}

/// A comparison on the field's value (its expression).
fn on_value(
    d: Dialect,
    field: &FieldDef,
    op: CompareOp,
    value: &Literal,
    pattern: Option<&str>,
    ordered: impl Fn(SimpleExpr) -> SimpleExpr,
) -> Result<Atom, BbplkError> {
    let e = field.expr.clone();
    let not_null = || Atom::Total(Expr::expr(field.expr.clone()).is_not_null());
    Ok(match op {
        CompareOp::Eq
        | CompareOp::Neq
        | CompareOp::Gt
        | CompareOp::Gte
        | CompareOp::Lt
        | CompareOp::Lte => match coerce(d, field.kind, value) {
            None if op == CompareOp::Neq => not_null(),
            None => Atom::Const(false),
            Some(v) => Atom::Partial(match op {
                CompareOp::Eq => Expr::expr(e).eq(v),
                CompareOp::Neq => Expr::expr(e).ne(v),
                CompareOp::Gt => Expr::expr(ordered(e)).gt(v),
                CompareOp::Gte => Expr::expr(ordered(e)).gte(v),
                CompareOp::Lt => Expr::expr(ordered(e)).lt(v),
                _ => Expr::expr(ordered(e)).lte(v),
            }),
        },
        CompareOp::In | CompareOp::Nin => {
            let Literal::List(items) = value else {
                return Err(bad(field, op, "expects a list"));
            };
            if items.iter().any(|i| matches!(i, Literal::List(_))) {
                return Err(bad(field, op, "does not take nested lists"));
            }
            if let Some((json, element)) = json_list(field.kind, items) {
                return Ok(Atom::Partial(d.in_json(
                    e,
                    json,
                    element,
                    op == CompareOp::Nin,
                )));
            }
            let values: Vec<SimpleExpr> = items
                .iter()
                .filter_map(|i| coerce(d, field.kind, i))
                .collect();
            match (values.is_empty(), op == CompareOp::In) {
                (true, true) => Atom::Const(false),
                (true, false) => not_null(),
                (false, true) => Atom::Partial(Expr::expr(e).is_in(values)),
                (false, false) => Atom::Partial(Expr::expr(e).is_not_in(values)),
            }
        }
        CompareOp::Like | CompareOp::Ilike => {
            let pattern = pattern.unwrap_or_default();
            let folded = op == CompareOp::Ilike;
            let translated = match d {
                Dialect::Sqlite => pattern::sqlite_glob(pattern, folded)
                    .map(|g| d.sql("($1 GLOB $2)", &[e, Expr::val(g).into()])),
                Dialect::Postgres if folded => pattern::postgres_iregex(pattern)
                    .map(|r| d.sql("($1 ~ $2)", &[e, Expr::val(r).into()])),
                Dialect::Postgres => {
                    let p = pattern::postgres_like(pattern);
                    Some(d.sql("($1 LIKE $2)", &[e, Expr::val(p).into()]))
                }
            };
            translated.map_or(Atom::Const(false), Atom::Partial)
        }
        CompareOp::Prefix => {
            let prefix = pattern.unwrap_or_default();
            let dotted = format!("{prefix}.");
            let len = i32::try_from(dotted.chars().count()).unwrap_or(i32::MAX);
            Atom::Partial(d.sql(
                "($1 = $2 OR substr($1, 1, $3) = $4)",
                &[
                    e,
                    Expr::val(prefix.to_owned()).into(),
                    Expr::val(len).into(),
                    Expr::val(dotted).into(),
                ],
            ))
        }
        // Answered before the match.
        CompareOp::IsNull => Atom::Const(false),
    })
}

/// A comparison as a condition on the column a field is made from ([`Shape`]).
enum Sargable {
    /// It never holds (a name the vocabulary never gives).
    Never,
    /// True exactly when it holds (false or NULL otherwise), and, when there is a cheaper one
    /// than the field's, the condition true exactly when it does not (a NULL field included).
    Holds(SimpleExpr, Option<SimpleExpr>),
}

/// The comparison `field op value` as a condition on the field's column, when the field has a
/// [`Shape`] and the condition is provably the same; `None` otherwise (the caller compares
/// the field's value).
///
/// - **Vocabularies**: the value is `CASE NULLIF(TRIM(c), '') WHEN label THEN name … END`, so
///   `= name` holds exactly when the trimmed cell is one of the labels the `CASE` maps to
///   that name (the first pair of a label wins), written `c IN (labels) OR TRIM(c) IN
///   (labels)` (a label has no edge spaces, so the first test implies the second: it is there
///   for the planner, which knows the column's values but not `TRIM`'s), or, for the
///   fallback name, a non-empty cell that is no label. `_neq`/`_nin` hold when the field is
///   non-null and `= name` does not; their negations when the cell is NULL or `= name` holds.
///   A NULL cell makes each form NULL, a non-NULL cell definite.
/// - **Dates** (`_eq`, `_gt`, `_gte`, `_lt`, `_lte` with a `YYYY-MM-DD` literal of a real
///   date of years 1–9999): on PostgreSQL the value is `to_char(c, 'YYYY-MM-DD')`, whose
///   code-point order is the dates' order for years 1–9999 (four digits), so there the
///   comparison is `c op DATE 'v'`; a date outside those years (BC, five-digit years,
///   `infinity`) keeps the text comparison. On SQLite the value is the cell itself when it is a
///   valid date (else NULL), so the comparison is `c op 'v' AND value IS NOT NULL`: the cell's
///   numeric affinity leaves such a literal text, so `c op 'v'` compares as `value op 'v'`
///   does, and it is tested first, sparing `date()` for the rows it excludes.
///
/// Negated date comparisons keep the field's form.
fn sargable(d: Dialect, field: &FieldDef, op: CompareOp, value: &Literal) -> Option<Sargable> {
    match &field.shape {
        Shape::Opaque => None,
        Shape::Vocab(vocab, column) => {
            let names: Vec<&str> = match (op, value) {
                (CompareOp::Eq | CompareOp::Neq, Literal::Text(t)) => vec![t.as_str()],
                (CompareOp::In | CompareOp::Nin, Literal::List(items)) => items
                    .iter()
                    .filter_map(|i| match i {
                        Literal::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect(),
                _ => return None,
            };
            vocab_condition(
                d,
                vocab,
                column,
                &names,
                matches!(op, CompareOp::Eq | CompareOp::In),
            )
        }
        Shape::Date(column) => {
            let sql_op = match op {
                CompareOp::Eq => "=",
                CompareOp::Gt => ">",
                CompareOp::Gte => ">=",
                CompareOp::Lt => "<",
                CompareOp::Lte => "<=",
                _ => return None,
            };
            let Literal::Text(v) = value else {
                return None;
            };
            if !exact_iso_date(v) {
                return None;
            }
            let bound = SimpleExpr::from(Value::from(v.clone()));
            let holds = match d {
                Dialect::Sqlite => d.sql(
                    &format!("($1 {sql_op} $2 AND $3 IS NOT NULL)"),
                    &[column.clone(), bound, field.expr.clone()],
                ),
                Dialect::Postgres => {
                    let text = d.sortable(field.expr.clone());
                    d.sql(
                        &format!(
                            "(($1 {sql_op} CAST($2 AS DATE) AND $1 BETWEEN DATE '0001-01-01' \
                             AND DATE '9999-12-31') OR (($1 < DATE '0001-01-01' \
                             OR $1 > DATE '9999-12-31') AND $3 {sql_op} $2))"
                        ),
                        &[column.clone(), bound, text],
                    )
                }
            };
            Some(Sargable::Holds(holds, None))
        }
        Shape::Key(narrow) => {
            let texts: Vec<&str> = match (op, value) {
                (CompareOp::Eq, Literal::Text(t)) => vec![t.as_str()],
                (CompareOp::In, Literal::List(items)) => items
                    .iter()
                    .map(|i| match i {
                        Literal::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
                _ => return None,
            };
            // The integers whose text the key can be: `12`, not `012`, `+12` or ` 12`.
            let keys: Vec<i64> = texts
                .iter()
                .filter_map(|t| t.parse::<i64>().ok().filter(|k| k.to_string() == *t))
                .collect();
            // Narrowing binds the keys a second time: past the engine's batches it could pass
            // SQLite's 32,766 variables, where the comparison alone would not.
            if keys.is_empty() || keys.len() > NARROWED_KEYS_MAX {
                return None;
            }
            let values = texts.iter().map(|t| Value::from(t.to_string()));
            let holds = narrow(&keys).and(Expr::expr(field.expr.clone()).is_in(values));
            Some(Sargable::Holds(holds, None))
        }
    }
}

/// The most keys a [`Shape::Key`] comparison is narrowed by (the engine looks keys up 10,000 at
/// a time, `max_relation_keys`).
const NARROWED_KEYS_MAX: usize = 10_000;

/// `YYYY-MM-DD` of a real date with a year from 1 to 9999.
fn exact_iso_date(v: &str) -> bool {
    v.len() == 10
        && v.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && !v.starts_with("0000")
        && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
}

/// The vocabulary field of `column` is one of `names` (`positive`), or is non-null and none of
/// them: see [`sargable`]. `None` when a label has edge spaces or is empty (never in this
/// adapter's vocabularies; then the field's own form is used).
fn vocab_condition(
    d: Dialect,
    vocab: &Vocab,
    column: &SimpleExpr,
    names: &[&str],
    positive: bool,
) -> Option<Sargable> {
    let mut all: Vec<&str> = Vec::new();
    let mut chosen: Vec<&str> = Vec::new();
    for (label, name) in vocab.pairs {
        if label.is_empty() || label.trim_matches(' ') != *label {
            return None;
        }
        if all.contains(label) {
            continue; // the CASE's first pair of a label wins
        }
        all.push(label);
        if names.contains(name) {
            chosen.push(label);
        }
    }
    let labels = |of: &[&str]| -> Vec<SimpleExpr> { of.iter().map(|l| lit(l)).collect() };
    let trimmed = d.sql("TRIM($1)", std::slice::from_ref(column));
    let any_of = |of: &[&str]| {
        Expr::expr(column.clone())
            .is_in(labels(of))
            .or(Expr::expr(trimmed.clone()).is_in(labels(of)))
    };
    // An unknown label, when the vocabulary maps it to its fallback.
    let unknown = || {
        let filled = Expr::expr(trimmed.clone()).ne(lit(""));
        if all.is_empty() {
            filled
        } else {
            filled.and(Expr::expr(trimmed.clone()).is_not_in(labels(&all)))
        }
    };
    let mut parts = Vec::new();
    if !chosen.is_empty() {
        parts.push(any_of(&chosen));
    }
    if vocab.fallback.is_some_and(|f| names.contains(&f)) {
        parts.push(unknown());
    }
    let is_one = parts.into_iter().reduce(SimpleExpr::or);
    let null = || Expr::expr(column.clone()).is_null();
    if positive {
        let Some(is_one) = is_one else {
            return Some(Sargable::Never);
        };
        let fails = null().or(is_one.clone().not());
        return Some(Sargable::Holds(is_one, Some(fails)));
    }
    // Non-null and none of them.
    let non_null = match vocab.fallback {
        Some(_) => Expr::expr(trimmed.clone()).ne(lit("")),
        None if all.is_empty() => return Some(Sargable::Never),
        None => any_of(&all),
    };
    let holds = match is_one {
        Some(is_one) => non_null.and(is_one.not()),
        None => non_null,
    };
    let fails = null().or(holds.clone().not());
    Some(Sargable::Holds(holds, Some(fails)))
}

/// Sort keys for `order_by`: the field's expression (code-point order for text) with the
/// direction and null placement of [`simpul_schema::Direction`]. A field this source never fills adds no key.
///
/// # Errors
/// [`BbplkError::BadRequest`] for an unknown field.
pub fn sort_keys(
    d: Dialect,
    fields: &[FieldDef],
    order_by: &[OrderBy],
) -> Result<Vec<(SimpleExpr, Order, NullOrdering)>, BbplkError> {
    let mut keys = Vec::new();
    for key in order_by {
        let def = fields
            .iter()
            .find(|f| f.name == key.field)
            .ok_or_else(|| BbplkError::BadRequest(format!("unknown field `{}`", key.field)))?;
        let expr = match def.kind {
            Kind::AlwaysNull => continue,
            Kind::Text => d.sortable(def.expr.clone()),
            _ => def.expr.clone(),
        };
        let order = if key.direction.ascending() {
            Order::Asc
        } else {
            Order::Desc
        };
        let nulls = if key.direction.nulls_first() {
            NullOrdering::First
        } else {
            NullOrdering::Last
        };
        keys.push((expr, order, nulls));
    }
    Ok(keys)
}
