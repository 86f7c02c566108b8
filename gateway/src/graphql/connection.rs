//! Relay connections (`TrainingCenterConnection`, ...): `edges { cursor node }`, `nodes`,
//! `pageInfo`, `totalCount`, and the one function every list field goes through ([`list`]).

use async_graphql::{Context, Object, Result, SimpleObject};
use simpul_schema::{Filter, OrderBy};

use super::error::{coded, page_error, report_failures};
use super::objects::{
    engine, Course, CourseRun, CredentialAward, Enrollment, Occupation, Outcome, Participant,
    Partnership, Program, TrainingCenter,
};
use crate::config::Limits;
use std::sync::Arc;

use super::loader::{children, ListArgs};
use crate::engine::cursor::{ListScope, PageBounds, PageError, PagePlan, PageRequest};
use crate::engine::{CallLog, Entity, Sourced};

/// Where a page sits in the whole list.
#[derive(Clone, Debug)]
pub struct PageInfo {
    /// More records follow this page.
    pub has_next_page: bool,
    /// More records precede this page.
    pub has_previous_page: bool,
    /// Cursor of the first edge.
    pub start_cursor: Option<Cursor>,
    /// Cursor of the last edge.
    pub end_cursor: Option<Cursor>,
}

/// Where a page sits in the whole list.
#[Object]
impl PageInfo {
    /// More records follow this page.
    async fn has_next_page(&self) -> bool {
        self.has_next_page
    }

    /// More records precede this page.
    async fn has_previous_page(&self) -> bool {
        self.has_previous_page
    }

    /// Cursor of the first edge.
    async fn start_cursor(&self) -> Option<String> {
        self.start_cursor.as_ref().map(Cursor::text)
    }

    /// Cursor of the last edge.
    async fn end_cursor(&self) -> Option<String> {
        self.end_cursor.as_ref().map(Cursor::text)
    }
}

/// An edge's cursor, written only when a caller asks for it: a signed cursor costs an HMAC,
/// and most callers read `nodes` (every record's cursor was signed for every page before).
#[derive(Clone, Debug)]
pub enum Cursor {
    /// A cursor already written (an occupation's is its global id).
    Text(String),
    /// The signed cursor of the record with this global id at this position of a list.
    Signed {
        /// The list the cursor belongs to.
        scope: Arc<ListScope>,
        /// The record's position in it.
        position: usize,
        /// The record's global id.
        global_id: String,
    },
}

impl Cursor {
    /// The cursor's text, as a caller passes it back in `after`/`before`.
    pub fn text(&self) -> String {
        match self {
            Cursor::Text(text) => text.clone(),
            Cursor::Signed {
                scope,
                position,
                global_id,
            } => scope.encode(*position, global_id),
        }
    }
}

/// A page of one type: built by [`list`] from edges, page info and the total.
pub trait Page: Sized {
    /// The node type.
    type Node;
    /// Assemble the page.
    fn assemble(edges: Vec<(Cursor, Self::Node)>, page_info: PageInfo, total_count: i32) -> Self;
}

macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident) => {
        /// One record and its cursor.
        pub struct $edge {
            cursor: Cursor,
            node: $node,
        }

        /// One record and its cursor.
        #[Object]
        impl $edge {
            /// Opaque cursor; pass it as `after`/`before`.
            async fn cursor(&self) -> String {
                self.cursor.text()
            }

            /// The record.
            async fn node(&self) -> &$node {
                &self.node
            }
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
                edges: Vec<(Cursor, $node)>,
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
connection!(OccupationConnection, OccupationEdge, Occupation);
connection!(OutcomeConnection, OutcomeEdge, Outcome);
connection!(ProgramConnection, ProgramEdge, Program);
connection!(
    CredentialAwardConnection,
    CredentialAwardEdge,
    CredentialAward
);

/// List `T` records through the engine, then page them: the path of every root list field.
/// Only as many leading records as the page needs are fetched.
pub async fn list<T: Entity, C: Page>(
    ctx: &Context<'_>,
    filter: Option<Filter>,
    order_by: Vec<OrderBy>,
    page: PageRequest,
    wrap: fn(Sourced<T>) -> C::Node,
) -> Result<C> {
    crate::access::may_read(ctx, T::COLLECTION, None)?;
    let filter = crate::access::guard(ctx, T::COLLECTION, filter, &order_by)?;
    let scope = list_scope(ctx, T::COLLECTION.type_name(), &filter, &order_by);
    let mut plan = page.plan(bounds(ctx), &scope).map_err(page_error)?;
    let log = call_log(ctx);
    loop {
        let listing = engine(ctx)
            .list::<T>(filter.clone(), order_by.clone(), plan.need, &log)
            .await
            .map_err(|e| coded("BAD_USER_INPUT", e.to_string()))?;
        match assemble(&listing.items, listing.total, &plan, &scope, wrap) {
            // The cursor's record moved beyond what was fetched: fetch up to the window, once.
            Err(PageError::Refetch) if plan.can_widen() => plan.widen(),
            result => {
                report_failures(ctx, &listing.failures);
                return result.map_err(page_error);
            }
        }
    }
}

/// A nested list (a course's runs, a participant's enrolments): the records of the parent's
/// provider whose `field` equals the parent's key, batched across parents, then paged.
#[allow(clippy::too_many_arguments)]
pub async fn nested<T: Entity, C: Page>(
    ctx: &Context<'_>,
    provider: &Arc<str>,
    field: &'static str,
    parent: &str,
    filter: Option<Filter>,
    order_by: Vec<OrderBy>,
    page: PageRequest,
    wrap: fn(Sourced<T>) -> C::Node,
) -> Result<C> {
    crate::access::check_filter(ctx, T::COLLECTION, filter.as_ref(), &order_by)?;
    let args = ListArgs::new(filter, order_by);
    let scope = ListScope::new(
        engine(ctx).cursor_key(),
        format!(
            "{}<{provider}:{field}={parent}|{}",
            T::COLLECTION.type_name(),
            args.canonical()
        ),
    );
    let plan = page.plan(bounds(ctx), &scope).map_err(page_error)?;
    let items = children::<T>(ctx, provider, field, parent, &args).await?;
    assemble(&items, items.len(), &plan, &scope, wrap).map_err(page_error)
}

/// The page bounds of the limits.
fn bounds(ctx: &Context<'_>) -> PageBounds {
    let limits = ctx.data_unchecked::<Limits>();
    PageBounds {
        default_size: limits.default_page_size,
        max_size: limits.max_page_size,
        max_offset: limits.max_offset,
        max_window: limits.max_window,
    }
}

/// The list cursors are bound to: what is listed, with which filter and order.
fn list_scope(
    ctx: &Context<'_>,
    what: &str,
    filter: &Option<Filter>,
    order_by: &[OrderBy],
) -> ListScope {
    let shape = serde_json::to_string(&(filter, order_by)).unwrap_or_default();
    ListScope::new(engine(ctx).cursor_key(), format!("{what}|{shape}"))
}

fn assemble<T: Entity, C: Page>(
    items: &[Sourced<T>],
    total: usize,
    plan: &PagePlan,
    scope: &ListScope,
    wrap: fn(Sourced<T>) -> C::Node,
) -> Result<C, PageError> {
    let window = plan.window(total, items.len(), |i| items[i].id().encode())?;
    let scope = Arc::new(scope.clone());
    let edges: Vec<(Cursor, C::Node)> = (window.start..window.end)
        .map(|i| {
            let cursor = Cursor::Signed {
                scope: Arc::clone(&scope),
                position: i,
                global_id: items[i].id().encode(),
            };
            (cursor, wrap(items[i].clone()))
        })
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
        i32::try_from(total).unwrap_or(i32::MAX),
    ))
}

/// The request's call log (a fresh one when the schema runs outside the HTTP handler).
pub fn call_log(ctx: &Context<'_>) -> CallLog {
    ctx.data_opt::<CallLog>().cloned().unwrap_or_default()
}
