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

use sea_orm::sea_query::{Expr, NullOrdering, Order, SimpleExpr, Value};
use simpul_schema::{CompareOp, Filter, Literal, OrderBy};

use super::dialect::Dialect;
use super::pattern;
use crate::error::BbplkError;

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
}

impl FieldDef {
    /// A field.
    pub fn new(name: &'static str, kind: Kind, expr: SimpleExpr) -> Self {
        Self { name, kind, expr }
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

fn translate(
    d: Dialect,
    fields: &[FieldDef],
    filter: &Filter,
    positive: bool,
) -> Result<SimpleExpr, BbplkError> {
    match filter {
        Filter::And(parts) | Filter::Or(parts) => {
            // AND under negation is OR of negations, and vice versa.
            let conjunction = matches!(filter, Filter::And(_)) == positive;
            let mut out: Option<SimpleExpr> = None;
            for part in parts {
                let p = translate(d, fields, part, positive)?;
                out = Some(match out {
                    None => p,
                    Some(acc) if conjunction => acc.and(p),
                    Some(acc) => acc.or(p),
                });
            }
            Ok(out.unwrap_or_else(|| d.constant(conjunction)))
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
                (Atom::Partial(e), false) => Expr::expr(def.expr.clone()).is_null().or(e.not()),
            })
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
    let not_null = || Atom::Total(Expr::expr(field.expr.clone()).is_not_null());
    let ordered = |e: SimpleExpr| match field.kind {
        Kind::Text => d.sortable(e),
        _ => e,
    };
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
