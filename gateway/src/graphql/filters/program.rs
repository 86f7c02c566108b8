//! `where` and `order_by` of catalogue programmes (`programs`, and `CourseBoolExp.program`).

use async_graphql::{InputObject, Result};
use simpul_schema::Filter;

use super::{BoolExp, IntComparison, OrderDirection, OrderInput, StringComparison, Terms};

/// Filter on catalogue programmes.
#[derive(InputObject, Default, Debug)]
pub struct ProgramBoolExp {
    #[graphql(name = "_and")]
    and: Option<Vec<ProgramBoolExp>>,
    #[graphql(name = "_or")]
    or: Option<Vec<ProgramBoolExp>>,
    #[graphql(name = "_not")]
    not: Option<Box<ProgramBoolExp>>,
    provider: Option<StringComparison>,
    code: Option<StringComparison>,
    name: Option<StringComparison>,
    /// The kejuruan, by name.
    field: Option<StringComparison>,
    /// A KBJI 2014 code it trains for; holds when any of them matches.
    occupation_code: Option<StringComparison>,
    kkni_level: Option<IntComparison>,
    nominal_hours: Option<IntComparison>,
}

impl BoolExp for ProgramBoolExp {
    fn to_filter(&self) -> Result<Filter> {
        let mut t = Terms::default();
        t.nested(&self.and, &self.or, &self.not)?;
        for (name, comparison) in [
            ("provider", &self.provider),
            ("code", &self.code),
            ("name", &self.name),
            ("field", &self.field),
            ("occupationCode", &self.occupation_code),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        for (name, comparison) in [
            ("kkniLevel", &self.kkni_level),
            ("nominalHours", &self.nominal_hours),
        ] {
            if let Some(c) = comparison {
                c.add_to(&mut t, name);
            }
        }
        Ok(t.done())
    }
}

/// Sort catalogue programmes.
#[derive(InputObject, Default, Debug)]
pub struct ProgramOrderBy {
    name: Option<OrderDirection>,
    code: Option<OrderDirection>,
    kkni_level: Option<OrderDirection>,
    nominal_hours: Option<OrderDirection>,
    provider: Option<OrderDirection>,
}

order_input!(ProgramOrderBy { name => "name", code => "code", kkni_level => "kkniLevel", nominal_hours => "nominalHours", provider => "provider" });
