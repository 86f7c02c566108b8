//! `GET /ld/{id}`: a `Course`, `CourseRun`, `TrainingCenter` or `Program` (with the credentials
//! it prepares for) as JSON-LD, in schema.org (the
//! default, for job portals and search engines) or CTDL (`?vocab=ctdl`, for credential
//! registries), so a consumer needs no GraphQL and no knowledge of Simpul's schema.
//!
//! ```text
//! curl -H 'authorization: Bearer KEY' http://127.0.0.1:4000/ld/c3BuOkNvdXJzZVJ1bjpTUE4tUEwtMjAyMy0wMQ
//! { "@context": "https://schema.org/", "@type": "CourseInstance", "@id": "/ld/…", "name": … }
//! ```
//!
//! The document is built from an ordinary GraphQL request for the node, run through the same
//! path as `POST /graphql` (keys, rate limits, audit, partner narrowing, masking), so it can
//! show nothing the caller could not query. People (`Participant`, `Person`, `Enrollment`) are
//! never offered as linked data. The mapping to each vocabulary is in [`terms`].

mod program;
mod terms;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use simpul_schema::GlobalId;

use super::admission::Origin;
use super::client::ClientAddr;
use super::graphql::{execute, MediaType, Params};
use super::AppState;

pub use terms::Vocabulary;

const LD_JSON: &str = "application/ld+json; charset=utf-8";

/// The node query: every field either vocabulary maps, for the three types offered (at most
/// 50 runs or courses listed inside one document; the rest are a query away).
const NODE_QUERY: &str = r#"query SimpulLinkedData($id: ID!) {
  node(id: $id) {
    __typename
    ... on Course {
      id name courseCode sourceId
      provider { key name }
      field { code name }
      trainingType
      occupations { code title titleId }
      trainingCenter { id name }
      runs(first: 50) { totalCount nodes { id code startDate endDate } }
    }
    ... on CourseRun {
      id code description sourceId
      provider { key name }
      startDate endDate status deliveryMode capacity nominalHours
      location { code name }
      costPerParticipant { amount currency }
      fundingSchemes { code name }
      course { id name }
      trainingCenter { id name }
    }
    ... on TrainingCenter {
      id name alternateNames institutionType sector foundedYear sourceId
      provider { key name }
      address { streetAddress regionCode region { name } }
      contact { email telephone }
      supervisor { id name }
      courses(first: 50) { totalCount nodes { id name } }
    }
    ... on Program {
      id name code description sourceId method kkniLevel nominalHours
      provider { key name }
      occupations { code title }
      competencies { code title framework }
      credentials { name category scheme issuerName recognizedBy validFor }
      courses(first: 50) { totalCount nodes { id name } }
    }
  }
}"#;

/// GET /ld/{id}[?vocab=schema.org|ctdl].
pub async fn get(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let vocab = match Vocabulary::from_query(raw.as_deref()) {
        Ok(vocab) => vocab,
        Err(message) => return problem(StatusCode::BAD_REQUEST, "BAD_REQUEST", &message),
    };
    let gid = match GlobalId::decode(&id) {
        Ok(gid) => gid,
        Err(e) => return problem(StatusCode::BAD_REQUEST, "INVALID_ID", &e.to_string()),
    };
    if !matches!(
        gid.type_name.as_str(),
        "Course" | "CourseRun" | "TrainingCenter" | "Program"
    ) {
        return problem(
            StatusCode::NOT_FOUND,
            "NOT_LINKED_DATA",
            "only courses, course runs, training centres and programmes are offered as linked data",
        );
    }
    let mut variables = Map::new();
    variables.insert("id".into(), Value::String(id));
    let params = Params {
        query: NODE_QUERY.to_owned(),
        operation_name: None,
        variables: Some(variables),
        extensions: None,
        origin: Origin::BuiltIn,
    };
    let response = execute(&state, &headers, client, MediaType::Json, params).await;
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "cannot read the answer",
        );
    };
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if !parts.status.is_success() {
        // Refused before it ran (key, rate limit, ...): the same answer /graphql gives.
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    let node = &answer["data"]["node"];
    if node.is_null() {
        return match answer["errors"].get(0) {
            Some(error) => problem(
                StatusCode::BAD_GATEWAY,
                error["extensions"]["code"]
                    .as_str()
                    .unwrap_or("PROVIDER_ERROR"),
                error["message"]
                    .as_str()
                    .unwrap_or("the provider did not answer"),
            ),
            None => problem(StatusCode::NOT_FOUND, "NOT_FOUND", "no such record"),
        };
    }
    let document = terms::document(node, vocab);
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(LD_JSON))],
        document.to_string(),
    )
        .into_response();
    if answer["errors"].as_array().is_some_and(|e| !e.is_empty()) {
        // Part of the record could not be resolved (a relation's provider failed): say so.
        response
            .headers_mut()
            .insert("x-simpul-partial", HeaderValue::from_static("true"));
    }
    response
}

/// A JSON error body (`{"errors": [{message, extensions: {code}}]}`, as /graphql writes them).
fn problem(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// The document's own IRI, relative to the gateway (JSON-LD resolves it against the URL the
/// document was fetched from).
fn iri(id: &str) -> String {
    format!("/ld/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_asks_for_no_person() {
        let words: Vec<&str> = NODE_QUERY
            .split(|c: char| !c.is_ascii_alphanumeric())
            .collect();
        for personal in [
            "nik",
            "kpj",
            "birthDate",
            "fullName",
            "instructor",
            "enrollments",
        ] {
            assert!(!words.contains(&personal), "{personal}");
        }
    }
}
