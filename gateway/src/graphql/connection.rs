//! Relay connections (`TrainingCenterConnection`, ...): `edges { cursor node }`, `nodes`,
//! `pageInfo`, `totalCount`, and the one function every list field goes through ([`list`]).

use async_graphql::{Context, Result, SimpleObject};
use simpul_schema::{Filter, OrderBy};

use super::error::{coded, page_error, report_failures};
use super::objects::{
    engine, Course, CourseRun, Enrollment, Participant, Partnership, TrainingCenter,
};
use crate::config::Limits;
use crate::engine::cursor::{self, PageRequest};
use crate::engine::{Entity, Sourced};

/// Where a page sits in the whole list.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// More records follow this page.
    pub has_next_page: bool,
    /// More records precede this page.
    pub has_previous_page: bool,
    /// Cursor of the first edge.
    pub start_cursor: Option<String>,
    /// Cursor of the last edge.
    pub end_cursor: Option<String>,
}

/// A page of one type: built by [`list`] from edges, page info and the total.
pub trait Page: Sized {
    /// The node type.
    type Node;
    /// Assemble the page.
    fn assemble(edges: Vec<(String, Self::Node)>, page_info: PageInfo, total_count: i32) -> Self;
}

macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident) => {
        /// One record and its cursor.
        #[derive(SimpleObject)]
        pub struct $edge {
            /// Opaque cursor; pass it as `after`/`before`.
            pub cursor: String,
            /// The record.
            pub node: $node,
        }

        /// A page of a list.
        #[derive(SimpleObject)]
        pub struct $connection {
            /// Records with cursors.
            pub edges: Vec<$edge>,
            /// The same records without cursors.
            pub nodes: Vec<$node>,
            /// Where this page sits.
            pub page_info: PageInfo,
            /// Records matching the filter across the providers that answered, before paging.
            pub total_count: i32,
        }

        impl Page for $connection {
            type Node = $node;
            fn assemble(
                edges: Vec<(String, $node)>,
                page_info: PageInfo,
                total_count: i32,
            ) -> Self {
                Self {
                    nodes: edges.iter().map(|(_, node)| node.clone()).collect(),
                    edges: edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info,
                    total_count,
                }
            }
        }
    };
}

connection!(TrainingCenterConnection, TrainingCenterEdge, TrainingCenter);
connection!(CourseConnection, CourseEdge, Course);
connection!(CourseRunConnection, CourseRunEdge, CourseRun);
connection!(ParticipantConnection, ParticipantEdge, Participant);
connection!(EnrollmentConnection, EnrollmentEdge, Enrollment);
connection!(PartnershipConnection, PartnershipEdge, Partnership);

/// List `T` records through the engine, then page them: the path of every list field.
pub async fn list<T: Entity, C: Page>(
    ctx: &Context<'_>,
    filter: Option<Filter>,
    order_by: Vec<OrderBy>,
    page: PageRequest,
    wrap: fn(Sourced<T>) -> C::Node,
) -> Result<C> {
    let limits = ctx.data_unchecked::<Limits>();
    let listing = engine(ctx)
        .list::<T>(filter, order_by)
        .await
        .map_err(|e| coded("BAD_USER_INPUT", e.to_string()))?;
    report_failures(ctx, &listing.failures);
    let items = listing.items;
    let window = page
        .window(
            items.len(),
            |i| items[i].id().encode(),
            limits.default_page_size,
            limits.max_page_size,
        )
        .map_err(page_error)?;
    let edges: Vec<(String, C::Node)> = items[window.start..window.end]
        .iter()
        .map(|item| (cursor::encode(&item.id().encode()), wrap(item.clone())))
        .collect();
    let page_info = PageInfo {
        has_next_page: window.has_next,
        has_previous_page: window.has_previous,
        start_cursor: edges.first().map(|e| e.0.clone()),
        end_cursor: edges.last().map(|e| e.0.clone()),
    };
    Ok(C::assemble(
        edges,
        page_info,
        i32::try_from(items.len()).unwrap_or(i32::MAX),
    ))
}

/// `filter` restricted to the records of one provider whose `field` equals `key` (a nested
/// list such as a course's runs).
pub fn within(provider: &str, field: &str, key: &str, filter: Option<Filter>) -> Option<Filter> {
    use simpul_schema::CompareOp;
    let mut parts = vec![
        Filter::compare("provider", CompareOp::Eq, provider),
        Filter::compare(field, CompareOp::Eq, key),
    ];
    parts.extend(filter);
    Some(Filter::And(parts))
}
