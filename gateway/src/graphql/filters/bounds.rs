//! The bounds every `where` is held to before the engine sees it: depth, list and text sizes,
//! and the request limits' `max_filter_nodes` and `max_filter_values`.

use async_graphql::{Context, Result};
use simpul_schema::{Filter, Literal};

use super::BoolExp;
use crate::config::Limits;
use crate::graphql::error::coded;

/// Deepest `where` accepted (`_and`/`_or`/`_not` and relations count one level each).
pub const MAX_FILTER_DEPTH: usize = 32;
/// Most values in one `_in`/`_nin` list.
pub const MAX_LIST_VALUES: usize = 1000;
/// Longest text in a comparison (`_like` patterns included).
pub const MAX_TEXT_BYTES: usize = 1000;

/// The engine's filter for an optional `where`, within the bounds above and the request
/// limits' `max_filter_nodes` and `max_filter_values` (`BAD_USER_INPUT` beyond them: sources
/// have limits of their own, and exceeding those is not their failure).
pub fn filter_of<E: BoolExp>(ctx: &Context<'_>, input: &Option<E>) -> Result<Option<Filter>> {
    input
        .as_ref()
        .map(|input| bounded(ctx, input.to_filter()?))
        .transpose()
}

/// `filter` if it is within the bounds [`filter_of`] holds a `where` to, for a filter built
/// from other arguments too (`programs(provider:, occupation_code:, where:)`).
pub fn bounded(ctx: &Context<'_>, filter: Filter) -> Result<Filter> {
    check_bounds(&filter, 1)?;
    let defaults = Limits::default();
    let limits = ctx.data_opt::<Limits>().unwrap_or(&defaults);
    check_size(&filter, limits.max_filter_nodes, limits.max_filter_values)?;
    Ok(filter)
}

/// `BAD_USER_INPUT` for a filter with more nodes or values than allowed.
fn check_size(filter: &Filter, max_nodes: usize, max_values: usize) -> Result<()> {
    let size = filter.size();
    if size.nodes > max_nodes {
        return Err(coded(
            "BAD_USER_INPUT",
            format!(
                "`where` has {} conditions (comparisons, `_and`, `_or`, `_not` and relations \
                 each count one); at most {max_nodes} are allowed",
                size.nodes
            ),
        ));
    }
    if size.values > max_values {
        return Err(coded(
            "BAD_USER_INPUT",
            format!(
                "`where` holds {} values (each item of an `_in`/`_nin` list counts one); at \
                 most {max_values} are allowed",
                size.values
            ),
        ));
    }
    Ok(())
}

fn check_bounds(filter: &Filter, depth: usize) -> Result<()> {
    if depth > MAX_FILTER_DEPTH {
        return Err(coded(
            "BAD_USER_INPUT",
            format!("`where` nests deeper than {MAX_FILTER_DEPTH} levels"),
        ));
    }
    let text = |t: &str| {
        if t.len() > MAX_TEXT_BYTES {
            Err(coded(
                "BAD_USER_INPUT",
                format!("a `where` value is longer than {MAX_TEXT_BYTES} bytes"),
            ))
        } else {
            Ok(())
        }
    };
    match filter {
        Filter::And(parts) | Filter::Or(parts) => {
            parts.iter().try_for_each(|p| check_bounds(p, depth + 1))
        }
        Filter::Not(inner) | Filter::Related { filter: inner, .. } => {
            check_bounds(inner, depth + 1)
        }
        Filter::Compare { value, .. } => match value {
            Literal::Text(t) => text(t),
            Literal::List(items) if items.len() > MAX_LIST_VALUES => Err(coded(
                "BAD_USER_INPUT",
                format!("`_in`/`_nin` take at most {MAX_LIST_VALUES} values"),
            )),
            Literal::List(items) => items.iter().try_for_each(|i| match i {
                Literal::Text(t) => text(t),
                _ => Ok(()),
            }),
            _ => Ok(()),
        },
    }
}
