//! The `<Type>_comparison_exp` inputs: Hasura's operators on one field, added to a
//! [`Terms`] under the field's unified name.

use async_graphql::{InputObject, Result, ID};
use simpul_schema::{CompareOp, Filter, GlobalId, Literal};

use super::Terms;
use crate::graphql::error::coded;
use crate::graphql::scalars::{Date, RegionCode};

fn text(v: &Option<String>) -> Option<Literal> {
    v.clone().map(Literal::Text)
}

/// Comparisons on text and enum-valued fields.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "String_comparison_exp")]
pub struct StringComparison {
    #[graphql(name = "_eq")]
    eq: Option<String>,
    #[graphql(name = "_neq")]
    neq: Option<String>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<String>>,
    #[graphql(name = "_nin")]
    nin: Option<Vec<String>>,
    /// SQL LIKE: `%` any run, `_` one character.
    #[graphql(name = "_like")]
    like: Option<String>,
    /// Case-insensitive `_like`.
    #[graphql(name = "_ilike")]
    ilike: Option<String>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl StringComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, text(&self.eq));
        terms.add(field, CompareOp::Neq, text(&self.neq));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(field, CompareOp::Nin, Terms::list(&self.nin));
        terms.add(field, CompareOp::Like, text(&self.like));
        terms.add(field, CompareOp::Ilike, text(&self.ilike));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on whole numbers.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Int_comparison_exp")]
pub struct IntComparison {
    #[graphql(name = "_eq")]
    eq: Option<i64>,
    #[graphql(name = "_neq")]
    neq: Option<i64>,
    #[graphql(name = "_gt")]
    gt: Option<i64>,
    #[graphql(name = "_gte")]
    gte: Option<i64>,
    #[graphql(name = "_lt")]
    lt: Option<i64>,
    #[graphql(name = "_lte")]
    lte: Option<i64>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<i64>>,
    #[graphql(name = "_nin")]
    nin: Option<Vec<i64>>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl IntComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Literal::Int));
        terms.add(field, CompareOp::Neq, self.neq.map(Literal::Int));
        terms.add(field, CompareOp::Gt, self.gt.map(Literal::Int));
        terms.add(field, CompareOp::Gte, self.gte.map(Literal::Int));
        terms.add(field, CompareOp::Lt, self.lt.map(Literal::Int));
        terms.add(field, CompareOp::Lte, self.lte.map(Literal::Int));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(field, CompareOp::Nin, Terms::list(&self.nin));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on fractional numbers.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Float_comparison_exp")]
pub struct FloatComparison {
    #[graphql(name = "_eq")]
    eq: Option<f64>,
    #[graphql(name = "_neq")]
    neq: Option<f64>,
    #[graphql(name = "_gt")]
    gt: Option<f64>,
    #[graphql(name = "_gte")]
    gte: Option<f64>,
    #[graphql(name = "_lt")]
    lt: Option<f64>,
    #[graphql(name = "_lte")]
    lte: Option<f64>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl FloatComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Literal::Float));
        terms.add(field, CompareOp::Neq, self.neq.map(Literal::Float));
        terms.add(field, CompareOp::Gt, self.gt.map(Literal::Float));
        terms.add(field, CompareOp::Gte, self.gte.map(Literal::Float));
        terms.add(field, CompareOp::Lt, self.lt.map(Literal::Float));
        terms.add(field, CompareOp::Lte, self.lte.map(Literal::Float));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on booleans.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Boolean_comparison_exp")]
pub struct BooleanComparison {
    #[graphql(name = "_eq")]
    eq: Option<bool>,
    #[graphql(name = "_neq")]
    neq: Option<bool>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl BooleanComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Literal::Bool));
        terms.add(field, CompareOp::Neq, self.neq.map(Literal::Bool));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on dates.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "Date_comparison_exp")]
pub struct DateComparison {
    #[graphql(name = "_eq")]
    eq: Option<Date>,
    #[graphql(name = "_neq")]
    neq: Option<Date>,
    #[graphql(name = "_gt")]
    gt: Option<Date>,
    #[graphql(name = "_gte")]
    gte: Option<Date>,
    #[graphql(name = "_lt")]
    lt: Option<Date>,
    #[graphql(name = "_lte")]
    lte: Option<Date>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<Date>>,
    #[graphql(name = "_nin")]
    nin: Option<Vec<Date>>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl From<Date> for Literal {
    fn from(d: Date) -> Self {
        Literal::Text(d.0.format("%Y-%m-%d").to_string())
    }
}

impl DateComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.map(Into::into));
        terms.add(field, CompareOp::Neq, self.neq.map(Into::into));
        terms.add(field, CompareOp::Gt, self.gt.map(Into::into));
        terms.add(field, CompareOp::Gte, self.gte.map(Into::into));
        terms.add(field, CompareOp::Lt, self.lt.map(Into::into));
        terms.add(field, CompareOp::Lte, self.lte.map(Into::into));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(field, CompareOp::Nin, Terms::list(&self.nin));
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on region codes; `_prefix` selects an area and everything inside it
/// (`36.02` = Kabupaten Lebak).
#[derive(InputObject, Default, Debug)]
#[graphql(name = "RegionCode_comparison_exp")]
pub struct RegionCodeComparison {
    #[graphql(name = "_eq")]
    eq: Option<RegionCode>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<RegionCode>>,
    #[graphql(name = "_prefix")]
    prefix: Option<RegionCode>,
    #[graphql(name = "_is_null")]
    is_null: Option<bool>,
}

impl From<RegionCode> for Literal {
    fn from(c: RegionCode) -> Self {
        Literal::Text(c.0)
    }
}

impl RegionCodeComparison {
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str) {
        terms.add(field, CompareOp::Eq, self.eq.clone().map(Into::into));
        terms.add(field, CompareOp::In, Terms::list(&self.r#in));
        terms.add(
            field,
            CompareOp::Prefix,
            self.prefix.clone().map(Into::into),
        );
        terms.add(field, CompareOp::IsNull, self.is_null.map(Literal::Bool));
    }
}

/// Comparisons on global ids of related records.
#[derive(InputObject, Default, Debug)]
#[graphql(name = "ID_comparison_exp")]
pub struct IdComparison {
    #[graphql(name = "_eq")]
    eq: Option<ID>,
    #[graphql(name = "_in")]
    r#in: Option<Vec<ID>>,
}

impl IdComparison {
    /// A global id names a provider and a local key: compare both.
    pub(crate) fn add_to(&self, terms: &mut Terms, field: &str, type_name: &str) -> Result<()> {
        let one = |id: &ID| -> Result<Filter> {
            let gid =
                GlobalId::decode(id).map_err(|e| coded("INVALID_ID", format!("`{field}`: {e}")))?;
            if gid.type_name != type_name {
                return Err(coded(
                    "INVALID_ID",
                    format!(
                        "`{field}` expects a {type_name} id, got a {} id",
                        gid.type_name
                    ),
                ));
            }
            Ok(Filter::And(vec![
                Filter::compare("provider", CompareOp::Eq, gid.namespace),
                Filter::compare(field, CompareOp::Eq, gid.local_key),
            ]))
        };
        if let Some(id) = &self.eq {
            terms.0.push(one(id)?);
        }
        if let Some(ids) = &self.r#in {
            terms
                .0
                .push(Filter::Or(ids.iter().map(one).collect::<Result<_>>()?));
        }
        Ok(())
    }
}
