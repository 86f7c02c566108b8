//! Permissions inside a request's filter and order, as Hasura applies a related table's row
//! permissions inside relationship filters: a filter or an order through a relation reads the
//! related records, so it needs the scope those records need, and a partner's key reads them
//! at its own provider only.
//!
//! ```text
//! participants(where: { enrollments: { outcome: { status: { _eq: "EMPLOYED" } } } })
//!   Participants ─enrollments→ Enrollments (enrollment:read) ─outcome→ Outcomes (outcome:read)
//!   a key without outcome:read: FORBIDDEN, scope outcome:read, nothing listed
//!   a BBPLK partner: every level narrowed to provider = bbplk
//! ```

use async_graphql::{Context, Result};
use simpul_schema::{Collection, CompareOp, Filter, OrderBy};

use super::{caller, require, scope_for};
use crate::engine::relations::{order_path, relation};

/// Check that the caller may read what `filter` and `order_by` reach through relations
/// (`FORBIDDEN` with the scope it needs otherwise), then narrow the filter to the caller's
/// provider at every level that reads personal records ([`restrict`]).
pub fn guard(
    ctx: &Context<'_>,
    collection: Collection,
    filter: Option<Filter>,
    order_by: &[OrderBy],
) -> Result<Option<Filter>> {
    check_filter(ctx, collection, filter.as_ref(), order_by)?;
    Ok(restrict(ctx, collection, filter))
}

/// `FORBIDDEN` unless the caller holds the scope of every collection `filter` and `order_by`
/// read through relations.
pub fn check_filter(
    ctx: &Context<'_>,
    collection: Collection,
    filter: Option<&Filter>,
    order_by: &[OrderBy],
) -> Result<()> {
    if let Some(filter) = filter {
        let mut reached = Vec::new();
        related_collections(collection, filter, &mut reached);
        for target in reached {
            if let Some(scope) = scope_for(target) {
                require(ctx, scope, &format!("a filter on {}", target.type_name()))?;
            }
        }
    }
    for key in order_by {
        if let Some((_, link, _)) = order_path(collection, &key.field) {
            if let Some(scope) = scope_for(link.target) {
                require(
                    ctx,
                    scope,
                    &format!("an order by {}", link.target.type_name()),
                )?;
            }
        }
    }
    Ok(())
}

/// The collections a filter on `collection` reads through its relations, nested ones too.
fn related_collections(collection: Collection, filter: &Filter, out: &mut Vec<Collection>) {
    match filter {
        Filter::And(parts) | Filter::Or(parts) => {
            for part in parts {
                related_collections(collection, part, out);
            }
        }
        Filter::Not(inner) => related_collections(collection, inner, out),
        Filter::Compare { .. } => {}
        Filter::Related {
            relation: name,
            filter,
        } => {
            // An unknown relation is the engine's `BAD_USER_INPUT`.
            if let Some(link) = relation(collection, name) {
                out.push(link.target);
                related_collections(link.target, filter, out);
            }
        }
    }
}

/// `filter`, narrowed to the caller's own provider when the key belongs to a partner: on the
/// listed collection when it holds personal records, and inside every relation that reads
/// personal records, so that no other provider is asked.
pub fn restrict(
    ctx: &Context<'_>,
    collection: Collection,
    filter: Option<Filter>,
) -> Option<Filter> {
    let Some(own) = caller(ctx).principal.provider.clone() else {
        return filter;
    };
    let filter = filter.map(|f| restrict_relations(collection, f, &own));
    match scope_for(collection) {
        Some(_) => Some(and_own(filter, &own)),
        None => filter,
    }
}

fn and_own(filter: Option<Filter>, own: &str) -> Filter {
    let mine = Filter::compare("provider", CompareOp::Eq, own);
    match filter {
        Some(f) => Filter::And(vec![mine, f]),
        None => mine,
    }
}

fn restrict_relations(collection: Collection, filter: Filter, own: &str) -> Filter {
    match filter {
        Filter::And(parts) => Filter::And(
            parts
                .into_iter()
                .map(|p| restrict_relations(collection, p, own))
                .collect(),
        ),
        Filter::Or(parts) => Filter::Or(
            parts
                .into_iter()
                .map(|p| restrict_relations(collection, p, own))
                .collect(),
        ),
        Filter::Not(inner) => Filter::Not(Box::new(restrict_relations(collection, *inner, own))),
        compare @ Filter::Compare { .. } => compare,
        Filter::Related {
            relation: name,
            filter,
        } => {
            let Some(link) = relation(collection, &name) else {
                return Filter::Related {
                    relation: name,
                    filter,
                };
            };
            let inner = restrict_relations(link.target, *filter, own);
            let inner = match scope_for(link.target) {
                Some(_) => and_own(Some(inner), own),
                None => inner,
            };
            Filter::Related {
                relation: name,
                filter: Box::new(inner),
            }
        }
    }
}
