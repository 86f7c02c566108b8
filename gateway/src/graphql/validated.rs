//! The served schema, validating each request shape once: async-graphql checks every rule
//! over every field of every request, though whether a request passes depends only on its
//! text, operation name and variables (the schema is fixed). [`ServedSchema`] holds the schema
//! twice: one that checks every rule, and one in the library's fast mode that only computes
//! and bounds complexity and depth. A request runs on the fast one only when a request of the
//! same shape has already passed the full check.
//!
//! ```no_run
//! # async fn example(schema: simpul_gateway::graphql::ServedSchema) {
//! let query = "{ courseRuns(first: 20) { nodes { id } } }";
//! let first = schema.execute(async_graphql::Request::new(query)).await; // every rule checked
//! let again = schema.execute(async_graphql::Request::new(query)).await; // not walked again
//! # }
//! ```
//!
//! A request that fails (parse, validation, variable coercion) is not kept: it is checked
//! again, and reports its errors, each time. A hit compares the whole text, operation name and
//! variables. (An
//! async-graphql extension could answer the validation hook from a cache too, but any
//! extension at all sends every field's resolution through the extension chain: measured, that
//! cost twice what validation did.)

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_graphql::ValidationMode;
use async_graphql::{EmptyMutation, EmptySubscription, ObjectType, Request, Response, Schema};

/// Most bytes of request shapes kept; past it the set starts afresh (a client that sends
/// ever-new texts or variables gets no benefit, and costs one clear per this many bytes, so
/// it can never make the gateway hold more).
const MAX_KEPT_BYTES: usize = 4 << 20;
/// Longest request (query text and variables) kept, in bytes.
const MAX_SHAPE_BYTES: usize = 64 * 1024;

/// The schema a request runs on: every rule checked the first time a request shape is seen.
/// `Query` is the root type (the gateway's [`super::query::Query`]).
pub struct ServedSchema<Query = super::query::Query> {
    checked: Schema<Query, EmptyMutation, EmptySubscription>,
    trusted: Schema<Query, EmptyMutation, EmptySubscription>,
    passed: Arc<PassedShapes>,
}

impl<Query> Clone for ServedSchema<Query> {
    fn clone(&self) -> Self {
        Self {
            checked: self.checked.clone(),
            trusted: self.trusted.clone(),
            passed: Arc::clone(&self.passed),
        }
    }
}

/// What a request's validation depends on.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Shape {
    query: String,
    operation: Option<String>,
    /// The variables as JSON (their map is ordered by name).
    variables: String,
}

/// The shapes of requests that passed the full check, and their bytes.
#[derive(Default)]
struct PassedShapes(Mutex<(HashSet<Shape>, usize)>);

impl<Query: ObjectType + 'static> ServedSchema<Query> {
    /// Serve `build(mode)`: called twice, with [`ValidationMode::Strict`] and
    /// [`ValidationMode::Fast`], for two schemas identical but for the mode.
    pub fn new(
        build: impl Fn(ValidationMode) -> Schema<Query, EmptyMutation, EmptySubscription>,
    ) -> Self {
        Self {
            checked: build(ValidationMode::Strict),
            trusted: build(ValidationMode::Fast),
            passed: Arc::default(),
        }
    }

    /// Run `request`: on the fast schema when its shape passed before, else with every rule
    /// checked (and its shape kept when it passes).
    pub async fn execute(&self, request: Request) -> Response {
        let Some(shape) = Shape::of(&request) else {
            return self.checked.execute(request).await;
        };
        if self.passed.contains(&shape) {
            return self.trusted.execute(request).await;
        }
        let response = self.checked.execute(request).await;
        if !is_request_error(&response) {
            self.passed.insert(shape);
        }
        response
    }
}

/// Whether `response` is a request error: the request stopped before execution (parse,
/// validation, variable coercion), so it has no data and its errors carry no path.
pub fn is_request_error(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

impl Shape {
    /// The shape of `request`; `None` when it is too large to keep.
    fn of(request: &Request) -> Option<Self> {
        let variables = serde_json::to_string(&request.variables).ok()?;
        (request.query.len() + variables.len() <= MAX_SHAPE_BYTES).then(|| Shape {
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables,
        })
    }

    /// What keeping it costs, in bytes of text.
    fn bytes(&self) -> usize {
        self.query.len() + self.operation.as_ref().map_or(0, String::len) + self.variables.len()
    }
}

impl PassedShapes {
    fn contains(&self, shape: &Shape) -> bool {
        self.0.lock().is_ok_and(|kept| kept.0.contains(shape))
    }

    fn insert(&self, shape: Shape) {
        if let Ok(mut kept) = self.0.lock() {
            let (shapes, bytes) = &mut *kept;
            if *bytes + shape.bytes() > MAX_KEPT_BYTES {
                shapes.clear();
                *bytes = 0;
            }
            *bytes += shape.bytes();
            shapes.insert(shape);
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{InputObject, Object, Variables};
    use serde_json::json;

    use super::*;

    struct Query;

    #[derive(InputObject)]
    struct Pair {
        a: i32,
        b: i32,
    }

    #[Object]
    impl Query {
        async fn sum(&self, pair: Pair) -> i32 {
            pair.a + pair.b
        }

        /// Costs `count`: its complexity depends on a variable.
        #[graphql(complexity = "count.max(0) as usize")]
        async fn items(&self, count: i32) -> Vec<i32> {
            (0..count).collect()
        }
    }

    fn served() -> ServedSchema<Query> {
        ServedSchema::new(|mode| {
            Schema::build(Query, EmptyMutation, EmptySubscription)
                .limit_complexity(10)
                .validation_mode(mode)
                .finish()
        })
    }

    fn request(query: &str, variables: serde_json::Value) -> Request {
        Request::new(query).variables(Variables::from_json(variables))
    }

    fn passed(schema: &ServedSchema<Query>) -> usize {
        schema.passed.0.lock().unwrap().0.len()
    }

    const ITEMS: &str = "query($n: Int!) { items(count: $n) }";

    #[tokio::test]
    async fn a_shape_that_passed_runs_on_the_fast_schema_with_the_same_answer() {
        let schema = served();
        for _ in 0..3 {
            let response = schema.execute(request(ITEMS, json!({"n": 2}))).await;
            assert!(response.errors.is_empty(), "{:?}", response.errors);
            assert_eq!(response.data.into_json().unwrap(), json!({"items": [0, 1]}));
        }
        assert_eq!(passed(&schema), 1);
    }

    #[tokio::test]
    async fn other_variables_and_failures_get_every_check() {
        let schema = served();
        assert!(schema
            .execute(request(ITEMS, json!({"n": 2})))
            .await
            .errors
            .is_empty());
        // The same text at a complexity of 20 against the limit of 10: refused, each time.
        for _ in 0..2 {
            let costly = schema.execute(request(ITEMS, json!({"n": 20}))).await;
            assert!(is_request_error(&costly), "{:?}", costly.data);
            assert!(costly.errors[0].message.contains("too complex"));
        }
        // A variable with a field its input type does not have: only the full check refuses
        // it (the fast mode would ignore the field), so it must not ride on the shape of the
        // same text with other variables.
        let sum = "query($p: Pair!) { sum(pair: $p) }";
        let fine = schema
            .execute(request(sum, json!({"p": {"a": 1, "b": 2}})))
            .await;
        assert_eq!(fine.data.into_json().unwrap(), json!({"sum": 3}));
        for _ in 0..2 {
            let extra = schema
                .execute(request(sum, json!({"p": {"a": 1, "b": 2, "c": 3}})))
                .await;
            assert!(is_request_error(&extra), "{:?}", extra.data);
        }
        // A variable of the wrong type, and an unknown field (which the fast mode would not
        // check): refused each time, never kept.
        for _ in 0..2 {
            let wrong = schema.execute(request(ITEMS, json!({"n": "two"}))).await;
            assert!(is_request_error(&wrong), "{:?}", wrong.data);
            let unknown = schema
                .execute(Request::new("{ items(count: 1) nope }"))
                .await;
            assert!(is_request_error(&unknown), "{:?}", unknown.data);
            assert!(unknown.errors[0].message.contains("nope"));
        }
        assert_eq!(passed(&schema), 2);
    }

    #[tokio::test]
    async fn each_operation_of_a_document_is_its_own_shape() {
        let schema = served();
        let document = "query A { items(count: 1) } query B { items(count: 2) }";
        for (name, items) in [("A", json!([0])), ("B", json!([0, 1])), ("A", json!([0]))] {
            let response = schema
                .execute(Request::new(document).operation_name(name))
                .await;
            assert!(response.errors.is_empty(), "{:?}", response.errors);
            assert_eq!(
                response.data.into_json().unwrap(),
                json!({ "items": items })
            );
        }
        assert_eq!(passed(&schema), 2);
    }

    #[test]
    fn the_kept_shapes_never_hold_more_than_their_byte_bound() {
        let passed = PassedShapes::default();
        let shape = |n: usize| Shape {
            query: format!(
                "{{ items(count: {n}) }}{}",
                " ".repeat(MAX_SHAPE_BYTES - 40)
            ),
            operation: None,
            variables: "{}".into(),
        };
        let per = shape(0).bytes();
        assert!(per <= MAX_SHAPE_BYTES);
        let fit = MAX_KEPT_BYTES / per;
        for n in 0..fit {
            passed.insert(shape(n));
        }
        assert_eq!(passed.0.lock().unwrap().0.len(), fit);
        assert!(passed.contains(&shape(0)));
        // One more does not fit: the set starts afresh with it.
        passed.insert(shape(fit));
        let (shapes, bytes) = &*passed.0.lock().unwrap();
        assert_eq!((shapes.len(), *bytes), (1, shape(fit).bytes()));
        assert!(shapes.contains(&shape(fit)) && !shapes.contains(&shape(0)));
    }
}
