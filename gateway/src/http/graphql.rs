//! GraphQL over HTTP, as the spec (and the `graphql-http` audit) expects: a thin handler of
//! our own around `Schema::execute`, because the stock integration always answers
//! `application/graphql-response+json`.
//!
//! - `Accept` is negotiated: none or `*/*` → `application/json`; `application/graphql-response+json`
//!   or `application/json` as asked; anything else → 406.
//! - POST needs `Content-Type: application/json` (else 415) and a JSON object body with a
//!   string `query` (else 400 with a JSON `errors` body), which only a persisted query's
//!   `extensions.persistedQuery` may leave out (over GET too).
//! - Request errors (parse, validation, variable coercion: no `data`) are 400 under
//!   `application/graphql-response+json`, 200 under `application/json`.
//! - A mutation over GET is 405 with `Allow: POST`. A browser GET without a query gets GraphiQL.
//! - `"extensions": { "simpul": { "trace": true } }` from a key with the `trace` scope adds
//!   `extensions.simpul.providers` to the response: per provider, the adapter calls made and
//!   what was pushed down (admins have the scope; other callers get no trace: it names
//!   providers and counts they may not read).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use std::sync::Arc;

use super::admission;
use super::client::ClientAddr;
use super::AppState;
use crate::access::Denied;
use crate::engine::CallLog;
use crate::graphql::loader::RecordLoader;
use simpul_store::Scope;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
/// Longest error message sent back.
const MAX_MESSAGE_BYTES: usize = 2048;
const JSON: &str = "application/json";

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }
}

/// Pick the response type from `Accept`, honouring q-values; `None` when nothing we serve is
/// acceptable.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    if accept.trim().is_empty() {
        return Some(MediaType::Json);
    }
    let mut ranges: Vec<(f32, usize, MediaType)> = Vec::new();
    for (i, range) in accept.split(',').enumerate() {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let chosen = match media.as_str() {
            GRAPHQL_RESPONSE => MediaType::GraphqlResponse,
            JSON | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        if q > 0.0 {
            ranges.push((q, i, chosen));
        }
    }
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.first().map(|r| r.2)
}

/// A response with a JSON `errors` body, for problems before execution.
fn request_error(status: StatusCode, media: MediaType, message: &str) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] });
    (
        status,
        [(header::CONTENT_TYPE, media.header())],
        body.to_string(),
    )
        .into_response()
}

/// The parameters of one GraphQL request.
pub(super) struct Params {
    pub query: String,
    pub operation_name: Option<String>,
    pub variables: Option<Map<String, Value>>,
    pub extensions: Option<Map<String, Value>>,
    pub origin: admission::Origin,
}

fn params_from_json(body: Value) -> Result<Params, &'static str> {
    let Value::Object(mut body) = body else {
        return Err("the request body must be a JSON object");
    };
    let query = match body.remove("query") {
        Some(Value::String(q)) => q,
        Some(_) => return Err("`query` must be a string"),
        // Apollo's automatic persisted queries send the hash alone.
        None if body
            .get("extensions")
            .is_some_and(|e| e.get("persistedQuery").is_some()) =>
        {
            String::new()
        }
        None => return Err("the request has no `query`"),
    };
    let operation_name = match body.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err("`operationName` must be a string or null"),
    };
    let object = |value: Option<Value>, what: &'static str| match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(what),
    };
    Ok(Params {
        query,
        operation_name,
        variables: object(
            body.remove("variables"),
            "`variables` must be an object or null",
        )?,
        extensions: object(
            body.remove("extensions"),
            "`extensions` must be an object or null",
        )?,
        origin: admission::Origin::Caller,
    })
}

/// POST /graphql.
pub async fn post(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "Accept must allow application/graphql-response+json or application/json",
        );
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset_ok = parts
        .filter_map(|p| {
            p.trim()
                .to_ascii_lowercase()
                .strip_prefix("charset=")
                .map(|c| c.trim_matches('"').to_owned())
        })
        .all(|c| c == "utf-8" || c == "utf8");
    if essence != JSON || !charset_ok {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "Content-Type must be application/json (UTF-8)",
        );
    }
    let body: Bytes = match axum::body::to_bytes(body, state.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return denied_response(
                Denied {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "LIMIT_EXCEEDED",
                    message: format!(
                        "the request body is larger than {} bytes",
                        state.max_body_bytes
                    ),
                    retry_after: None,
                },
                media,
            )
        }
    };
    let params = match serde_json::from_slice::<Value>(&body) {
        Ok(value) => params_from_json(value),
        Err(_) => Err("the request body is not valid JSON"),
    };
    match params {
        Ok(params) => execute(&state, &headers, client, media, params).await,
        Err(message) => request_error(StatusCode::BAD_REQUEST, media, message),
    }
}

/// GET /graphql: GraphiQL for a browser, else a query from the URL.
pub async fn get(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let pairs: Vec<(String, String)> = raw.as_deref().map(url_decode_pairs).unwrap_or_default();
    let find = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html && find("query").is_none() {
        return super::console::graphiql();
    }
    let Some(media) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "Accept must allow application/graphql-response+json or application/json",
        );
    };
    let json_param = |name: &str| -> Result<Option<Map<String, Value>>, String> {
        match find(name) {
            None => Ok(None),
            Some(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => Ok(Some(map)),
                Ok(Value::Null) => Ok(None),
                _ => Err(format!("`{name}` must be a JSON object")),
            },
        }
    };
    let (variables, extensions) = match (json_param("variables"), json_param("extensions")) {
        (Ok(v), Ok(e)) => (v, e),
        (Err(m), _) | (_, Err(m)) => return request_error(StatusCode::BAD_REQUEST, media, &m),
    };
    let query = match find("query") {
        Some(query) => query,
        // Apollo's automatic persisted queries send the hash alone.
        None if extensions
            .as_ref()
            .is_some_and(|e| e.contains_key("persistedQuery")) =>
        {
            String::new()
        }
        None => return request_error(StatusCode::BAD_REQUEST, media, "the request has no `query`"),
    };
    let operation_name = find("operationName");
    if let Err(denied) = admission::check_nesting(&query) {
        return denied_response(denied, media);
    }
    if is_mutation(&query, operation_name.as_deref()) {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "mutations must be sent with POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(
        &state,
        &headers,
        client,
        media,
        Params {
            query,
            operation_name,
            variables,
            extensions,
            origin: admission::Origin::Caller,
        },
    )
    .await
}

/// Whether the operation that would run is a mutation (unparsable documents are left to the
/// executor, which reports them properly).
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    match &document.operations {
        DocumentOperations::Single(op) => op.node.ty == OperationType::Mutation,
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(name) => ops
                .get(name)
                .is_some_and(|op| op.node.ty == OperationType::Mutation),
            None => ops.len() == 1 && ops.values().all(|op| op.node.ty == OperationType::Mutation),
        },
    }
}

fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The response to a request refused before it ran.
fn denied_response(denied: Denied, media: MediaType) -> Response {
    let body =
        json!({ "errors": [{ "message": denied.message, "extensions": { "code": denied.code } }] });
    let mut response = (
        denied.status,
        [(header::CONTENT_TYPE, media.header())],
        body.to_string(),
    )
        .into_response();
    if let Some(after) = denied.retry_after {
        let seconds = after.as_secs() + u64::from(after.subsec_nanos() > 0);
        if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    if denied.status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"simpul\""),
        );
    }
    response
}

/// Admit, run and answer one GraphQL request (also behind `/ld/{id}`).
pub(super) async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<std::net::IpAddr>,
    media: MediaType,
    params: Params,
) -> Response {
    let admitted = match admission::admit(
        state,
        headers,
        client,
        params.query,
        params.operation_name.as_deref(),
        params.variables.as_ref(),
        params.extensions.as_ref(),
        params.origin,
    )
    .await
    {
        Ok(admitted) => admitted,
        Err(denied) => return denied_response(denied, media),
    };
    let caller = admitted.caller;
    // Adapters are asked for personal data in clear only when the caller may see it and the
    // query selects a personal field.
    let log = if caller.principal.has_scope(Scope::PiiRead) && admitted.personal {
        CallLog::with_personal_data()
    } else {
        CallLog::default()
    };
    let mut request = async_graphql::Request::new(admitted.query.clone())
        .data(Arc::clone(&caller))
        .data(log.clone())
        .data(RecordLoader::new(
            Arc::clone(&state.engine),
            log.clone(),
            state.batch_window,
            caller.principal.provider.clone(),
        ));
    if let Some(document) = admitted.document {
        // Parsed (or found parsed) by the admission checks: the executor does not parse again.
        request.set_parsed_query(document);
    }
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if !state.access.may_introspect(caller.principal.role) {
        // Refused with a clear error by the admission check; this keeps nested uses out too.
        request = request.disable_introspection();
    }
    if let Some(variables) = params.variables {
        request = request.variables(async_graphql::Variables::from_json(Value::Object(
            variables,
        )));
    }
    let trace = params
        .extensions
        .as_ref()
        .and_then(|e| e.get("simpul"))
        .and_then(|s| s.get("trace"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
        // The trace names providers and counts the caller may not read: administrators (and
        // keys given the `trace` scope) only.
        && caller.principal.has_scope(Scope::Trace);
    if let Some(extensions) = params.extensions {
        for (key, value) in extensions {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
    }
    let started = std::time::Instant::now();
    let operation = request.operation_name.clone();
    let response = tokio::time::timeout(state.request_timeout, state.schema.execute(request)).await;
    // A request spends a token per adapter call it made (one was taken to admit it).
    let extra = u32::try_from(log.call_count().saturating_sub(1)).unwrap_or(u32::MAX);
    state.access.spend(&caller.principal, client, extra).await;
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    let response = match response {
        Ok(response) => response,
        Err(_) => {
            state
                .metrics
                .request(operation.as_deref(), started.elapsed(), false);
            let body = json!({ "errors": [{ "message": format!("the request ran longer than {:?}", state.request_timeout), "extensions": { "code": "REQUEST_TIMEOUT" } }] });
            return (
                StatusCode::GATEWAY_TIMEOUT,
                [(header::CONTENT_TYPE, media.header())],
                body.to_string(),
            )
                .into_response();
        }
    };
    let mut response = response;
    for error in &mut response.errors {
        // Every error raised by our resolvers has a code; one at a path without a code is the
        // library refusing an argument value (a variable of the wrong shape, say).
        let coded = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !error.path.is_empty() && !coded {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        }
        if let Some(code) = super::depth::library_limit_code(&error.message) {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", code);
        }
        // A provider's failure says what kind it was; its detail is in the log under the
        // request's id (`graphql::error::report_failures`), which the message names.
        let from_provider = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("provider").is_some());
        if let (true, Some(id)) = (from_provider, request_id) {
            error.message = format!("{} (request id {id})", error.message);
        }
        // A parse error quotes the offending line; a huge document must not echo itself.
        if error.message.len() > MAX_MESSAGE_BYTES {
            let mut end = MAX_MESSAGE_BYTES;
            while !error.message.is_char_boundary(end) {
                end -= 1;
            }
            error.message.truncate(end);
            error.message.push('…');
        }
    }
    if let Err(denied) = admission::audit(state, &caller, &admitted.query, request_id).await {
        return denied_response(denied, media);
    }
    // A request error (parse, validation, coercion) stops before execution: no data entry,
    // and its errors carry no path.
    let request_error = crate::graphql::validated::is_request_error(&response);
    let mut extensions = match serde_json::to_value(&response.extensions) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    if trace {
        extensions.insert("simpul".into(), json!({ "providers": log.to_json() }));
    }
    // Serialised from async-graphql's own (ordered) value, so fields keep the selection's order.
    let body = ResponseBody {
        data: (!request_error).then_some(&response.data),
        errors: &response.errors,
        extensions: (!extensions.is_empty()).then_some(&extensions),
    };
    let body = serde_json::to_string(&body).unwrap_or_else(|e| {
        json!({ "errors": [{ "message": format!("cannot encode the response: {e}") }] }).to_string()
    });
    state.metrics.request(
        operation.as_deref(),
        started.elapsed(),
        response.errors.is_empty(),
    );
    let status = if request_error && media == MediaType::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, [(header::CONTENT_TYPE, media.header())], body).into_response()
}

/// A GraphQL response as sent.
#[derive(serde::Serialize)]
struct ResponseBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [async_graphql::ServerError],
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<&'a Map<String, Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        negotiate(&headers)
    }

    #[test]
    fn negotiation() {
        assert!(negotiate(&HeaderMap::new()) == Some(MediaType::Json));
        assert!(accept("*/*") == Some(MediaType::Json));
        assert!(accept(GRAPHQL_RESPONSE) == Some(MediaType::GraphqlResponse));
        assert!(
            accept("application/json;q=0.5, application/graphql-response+json")
                == Some(MediaType::GraphqlResponse)
        );
        assert!(accept("text/plain").is_none());
        assert!(accept("application/json;q=0").is_none());
    }

    #[test]
    fn url_decoding() {
        assert_eq!(percent_decode("%7B%20__typename%20%7D"), "{ __typename }");
        assert_eq!(percent_decode("a+b%"), "a b%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn mutations_are_detected() {
        assert!(is_mutation("mutation { x }", None));
        assert!(!is_mutation("{ x }", None));
        assert!(is_mutation("query A { x } mutation B { y }", Some("B")));
        assert!(!is_mutation("not graphql", None));
    }
}
