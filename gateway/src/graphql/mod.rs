//! The GraphQL layer: the unified schema as async-graphql types over the engine.
//!
//! - [`query`]: the root fields; [`objects`]: the output types; [`filters`]: `where` and
//!   `order_by` inputs in Hasura's style; [`connection`]: Relay connections; [`scalars`];
//!   [`error`]: the `extensions.code` values; [`validated`]: the served schema, which
//!   validates each request shape once.
//!
//! The SDL that [`build`] serves is checked into the repo as `schema/schema.graphql`
//! (`simpul schema` prints it); a test fails when the two drift apart.

pub mod aggregate;
pub mod connection;
pub mod error;
pub mod filters;
pub mod loader;
pub mod objects;
pub mod query;
pub mod scalars;
pub mod validated;

use std::sync::Arc;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use validated::ServedSchema;

use crate::config::Limits;
use crate::engine::Engine;

/// The served schema.
pub type SimpulSchema = Schema<query::Query, EmptyMutation, EmptySubscription>;

/// The schema over `engine`, bounded by `limits`. `limits.max_depth` is not the library's
/// `limit_depth`, which counts introspection's `ofType` chains as data and so refuses every
/// standard introspection query: the HTTP layer checks depth before the query runs
/// (`http/depth.rs`), with a bound of its own for introspection.
pub fn build(engine: Arc<Engine>, limits: Limits) -> ServedSchema {
    ServedSchema::new(|mode| {
        Schema::build(query::Query::default(), EmptyMutation, EmptySubscription)
            .register_output_type::<objects::SourcedRecord>()
            .limit_complexity(limits.max_complexity)
            .validation_mode(mode)
            .data(Arc::clone(&engine))
            .data(limits.clone())
            .finish()
    })
}

/// The SDL of the served schema.
pub fn sdl() -> String {
    Schema::build(query::Query::default(), EmptyMutation, EmptySubscription)
        .register_output_type::<objects::SourcedRecord>()
        .finish()
        .sdl()
}

#[cfg(test)]
mod tests {
    /// The checked-in SDL is what the gateway serves. To update it after changing the schema:
    /// `cargo run -p simpul-gateway -- schema > schema/schema.graphql`.
    #[test]
    fn checked_in_sdl_matches_the_served_schema() {
        let served = super::sdl();
        let checked_in = include_str!("../../../schema/schema.graphql");
        assert!(
            served == checked_in,
            "schema/schema.graphql is stale: run `cargo run -p simpul-gateway -- schema > schema/schema.graphql`"
        );
    }
}
