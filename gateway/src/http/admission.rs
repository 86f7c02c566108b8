//! What a GraphQL request passes before it runs, and the audit row after it: the caller's key
//! and rate limit ([`crate::access::Access`]), persisted queries, the alias limit, and the
//! rule that a NIK or KPJ never sits in a query's text, not even in one registered as
//! persisted ([`crate::access::identifiers`]).
//!
//! A query's text, once parsed and checked, is kept ([`DocumentCache`]): the same text sent
//! again under the same limits is neither parsed nor walked again, and the executor is handed
//! the parsed document instead of parsing the text a second time.
//!
//! Persisted queries follow Apollo's convention: `extensions.persistedQuery.sha256Hash` alone
//! runs the store's text, else an automatic one; with a `query`, the hash must match it (an
//! admin key registers it in the store, any caller in [`crate::access::apq`] once it passed
//! every check). Persisted-queries-only mode runs the store's texts alone.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};
use simpul_store::{operation_hash, AuditEntry, Role};

use super::AppState;
use crate::access::{Caller, Denied};

/// A request that may run.
pub struct Admitted {
    /// Who is asking.
    pub caller: Arc<Caller>,
    /// The query text to run (the registered one for a persisted query).
    pub query: String,
    /// Whether the query selects a personal field (then, for a caller with `pii:read`, the
    /// engine asks adapters for personal data in clear).
    pub personal: bool,
    /// The query, parsed (`None` when it does not parse: the executor reports why).
    pub document: Option<ExecutableDocument>,
}

fn denied(status: StatusCode, code: &'static str, message: impl Into<String>) -> Denied {
    Denied {
        status,
        code,
        message: message.into(),
        retry_after: None,
    }
}

/// Where a query's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The caller wrote it (or named a persisted one): checked against the persisted queries.
    Caller,
    /// One of the gateway's own fixed documents (`/ld/{id}`): runs under persisted-queries-only
    /// too. The caller's key, limits and audit apply as to any query.
    BuiltIn,
}

/// Check the caller, then the query.
#[allow(clippy::too_many_arguments)]
pub async fn admit(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<std::net::IpAddr>,
    query: String,
    operation: Option<&str>,
    variables: Option<&Map<String, Value>>,
    extensions: Option<&Map<String, Value>>,
    origin: Origin,
) -> Result<Admitted, Denied> {
    let principal = state.access.admit(headers, client).await?;
    // Sent with its text and a hash (checked against it below): an automatic registration.
    let automatic = extensions
        .and_then(|e| e.get("persistedQuery")?.get("sha256Hash")?.as_str())
        .filter(|_| origin == Origin::Caller && !state.access.persisted_queries_only)
        .filter(|_| !query.trim().is_empty())
        .map(str::to_owned);
    let query = match origin {
        Origin::Caller => persisted(state, principal.role, query, extensions).await?,
        Origin::BuiltIn => query,
    };
    let limits = Limits {
        max_aliases: state.max_aliases,
        max_depth: state.max_depth,
        introspection: state.access.may_introspect(principal.role),
    };
    let checked = documents().checked(&query, limits)?;
    let (personal, document) = match checked {
        Some(checked) => {
            check_variables(&checked.document, operation, variables)?;
            if let Some(hash) = automatic {
                state.access.apq.put(&hash, &query).await;
            }
            (checked.personal, Some(checked.document.clone()))
        }
        None => (false, None),
    };
    Ok(Admitted {
        caller: Arc::new(Caller::new(principal)),
        query,
        personal,
        document,
    })
}

/// What a document's checks depend on besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Limits {
    max_aliases: usize,
    max_depth: usize,
    introspection: bool,
}

/// A query text that parsed and passed every check that depends on the text alone.
struct Checked {
    query: Box<str>,
    limits: Limits,
    document: ExecutableDocument,
    personal: bool,
}

/// Most documents kept; past it the cache starts afresh (a client that sends ever-new texts
/// gets no benefit, and costs one clear per this many queries).
const MAX_CACHED_DOCUMENTS: usize = 512;
/// Longest query text kept, in bytes.
const MAX_CACHED_QUERY_BYTES: usize = 64 * 1024;

/// Parsed and checked documents by a keyed hash of their text and [`Limits`]; a hit compares
/// the whole text, so a collision costs a parse, never a wrong document.
struct DocumentCache {
    hasher: std::hash::RandomState,
    entries: Mutex<HashMap<u64, Arc<Checked>>>,
}

fn documents() -> &'static DocumentCache {
    static CACHE: OnceLock<DocumentCache> = OnceLock::new();
    CACHE.get_or_init(|| DocumentCache {
        hasher: std::hash::RandomState::new(),
        entries: Mutex::new(HashMap::new()),
    })
}

impl DocumentCache {
    /// The checked document of `query` (from the cache, or parsed and checked now); `None`
    /// when it does not parse; the refusal when a check fails (refusals are not kept).
    fn checked(&self, query: &str, limits: Limits) -> Result<Option<Arc<Checked>>, Denied> {
        let key = self.hasher.hash_one((query, limits));
        let hit = self
            .entries
            .lock()
            .ok()
            .and_then(|entries| entries.get(&key).cloned())
            .filter(|c| &*c.query == query && c.limits == limits);
        if hit.is_some() {
            return Ok(hit);
        }
        check_nesting(query)?;
        let Ok(document) = async_graphql::parser::parse_query(query) else {
            return Ok(None);
        };
        check_document(&document, limits.max_aliases, limits.introspection)?;
        super::depth::check(&document, limits.max_depth)?;
        let checked = Arc::new(Checked {
            query: query.into(),
            limits,
            personal: crate::access::selects_personal_data(&document),
            document,
        });
        if query.len() <= MAX_CACHED_QUERY_BYTES {
            if let Ok(mut entries) = self.entries.lock() {
                if entries.len() >= MAX_CACHED_DOCUMENTS {
                    entries.clear();
                }
                entries.insert(key, Arc::clone(&checked));
            }
        }
        Ok(Some(checked))
    }
}

/// Resolve and check a persisted query.
async fn persisted(
    state: &AppState,
    role: Role,
    query: String,
    extensions: Option<&Map<String, Value>>,
) -> Result<String, Denied> {
    let store = state.access.store.persisted_queries();
    let unavailable = |e: simpul_store::Error| {
        tracing::error!(error = %e, "persisted queries unavailable");
        denied(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORE_UNAVAILABLE",
            "the gateway's store is unavailable",
        )
    };
    let hash = extensions
        .and_then(|e| e.get("persistedQuery"))
        .and_then(|p| p.get("sha256Hash"))
        .and_then(Value::as_str);
    if hash.is_some_and(|hash| !crate::access::apq::well_formed(hash)) {
        return Err(denied(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "extensions.persistedQuery.sha256Hash must be 64 lower-case hex digits",
        ));
    }
    match hash {
        Some(hash) if query.trim().is_empty() => {
            let mut text = store.get(hash).await.map_err(unavailable)?;
            if text.is_none() && !state.access.persisted_queries_only {
                text = state.access.apq.get(hash).await;
            }
            match text {
                Some(text) => Ok(text),
                None => Err(denied(
                    StatusCode::OK,
                    "PERSISTED_QUERY_NOT_FOUND",
                    "no query is registered under this hash",
                )),
            }
        }
        Some(hash) => {
            if operation_hash(&query) != hash {
                return Err(denied(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    "extensions.persistedQuery.sha256Hash does not match the query",
                ));
            }
            if store.get(hash).await.map_err(unavailable)?.is_some() {
                return Ok(query);
            }
            if role == Role::Admin {
                // Never store a personal identifier: refuse the query before it is kept.
                check_nesting(&query)?;
                if let Err(found) = crate::access::identifiers::check_text(&query) {
                    return Err(inline_identifier(&found));
                }
                store.put(&query).await.map_err(unavailable)?;
                return Ok(query);
            }
            if state.access.persisted_queries_only {
                return Err(not_registered());
            }
            Ok(query)
        }
        None if state.access.persisted_queries_only => {
            match store
                .get(&operation_hash(&query))
                .await
                .map_err(unavailable)?
            {
                Some(_) => Ok(query),
                None => Err(not_registered()),
            }
        }
        None => Ok(query),
    }
}

/// The refusal of a personal identifier written into a query (the value is never repeated).
fn inline_identifier(found: &crate::access::identifiers::InlineIdentifier) -> Denied {
    denied(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", found.to_string())
}

fn not_registered() -> Denied {
    denied(
        StatusCode::BAD_REQUEST,
        "PERSISTED_QUERY_REQUIRED",
        "this gateway runs registered queries only (`simpul queries add FILE`)",
    )
}

/// Count aliases, refuse inline personal identifiers, and introspection when it is off.
fn check_document(
    document: &ExecutableDocument,
    max_aliases: usize,
    introspection: bool,
) -> Result<(), Denied> {
    let expanded = expanded_size(document);
    if expanded > MAX_EXPANDED_FIELDS {
        return Err(denied(
            StatusCode::BAD_REQUEST,
            "LIMIT_EXCEEDED",
            format!(
                "the query expands to {expanded} fields through its fragments; at most {MAX_EXPANDED_FIELDS}"
            ),
        ));
    }
    let mut aliases = 0;
    let mut sets: Vec<&SelectionSet> = Vec::new();
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    if let Some(found) = crate::access::identifiers::find(document) {
        return Err(inline_identifier(&found));
    }
    for op in &operations {
        sets.push(&op.node.selection_set.node);
    }
    for fragment in document.fragments.values() {
        sets.push(&fragment.node.selection_set.node);
    }
    // Iterative walk: a deeply nested document must not exhaust the stack here.
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        aliases += 1;
                    }
                    let name = field.node.name.node.as_str();
                    if !introspection && (name == "__schema" || name == "__type") {
                        return Err(denied(
                            StatusCode::BAD_REQUEST,
                            "INTROSPECTION_DISABLED",
                            "introspection is off for this key's role",
                        ));
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => {
                    sets.push(&fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    if aliases > max_aliases {
        return Err(denied(
            StatusCode::BAD_REQUEST,
            "LIMIT_EXCEEDED",
            format!("the query has {aliases} aliases; at most {max_aliases} are allowed"),
        ));
    }
    Ok(())
}

/// Deepest nesting of `{`, `[` and `(` a query may have (selections are bounded further by
/// `max_depth`). Checked on the text, before the parser, whose recursion it protects.
pub const MAX_NESTING: usize = 64;

/// Most fields a query may expand to once its fragments are spread.
pub const MAX_EXPANDED_FIELDS: u64 = 20_000;

/// Most tokens a query may have (names, numbers, strings and punctuators; whitespace, commas
/// and comments do not count). The parser spends tens of microseconds per token in a debug
/// build and a few in a release one: a megabyte of tokens would keep a worker busy for
/// seconds. graphql-js's `getIntrospectionQuery()` has about 300.
pub const MAX_TOKENS: usize = 15_000;

/// Refuse a query nested deeper than [`MAX_NESTING`] or longer than [`MAX_TOKENS`] (strings
/// and comments skipped), before the parser sees it.
pub fn check_nesting(query: &str) -> Result<(), Denied> {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut tokens, mut i) = (0usize, 0usize, 0usize, 0usize);
    let word =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+') || b >= 0x80;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                tokens += 1;
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                tokens += 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                tokens += 1;
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => {
                tokens += 1;
                depth = depth.saturating_sub(1);
            }
            b if word(b) => {
                tokens += 1;
                while i + 1 < bytes.len() && word(bytes[i + 1]) {
                    i += 1;
                }
            }
            b if b.is_ascii_whitespace() || b == b',' => {}
            _ => tokens += 1,
        }
        i += 1;
    }
    if deepest > MAX_NESTING {
        return Err(denied(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            format!("the query nests {deepest} levels deep; at most {MAX_NESTING} are allowed"),
        ));
    }
    if tokens > MAX_TOKENS {
        return Err(denied(
            StatusCode::BAD_REQUEST,
            "LIMIT_EXCEEDED",
            format!(
                "the query has {tokens} tokens; at most {MAX_TOKENS} are allowed (pass long lists as variables)"
            ),
        ));
    }
    Ok(())
}

/// How many fields each fragment expands to, memoised; cycles count as nothing here (the
/// validator reports them).
fn expanded_size(document: &ExecutableDocument) -> u64 {
    fn size<'a>(
        set: &'a SelectionSet,
        document: &'a ExecutableDocument,
        memo: &mut std::collections::HashMap<&'a str, u64>,
        visiting: &mut Vec<&'a str>,
    ) -> u64 {
        let mut total: u64 = 0;
        for item in &set.items {
            let add = match &item.node {
                Selection::Field(f) => {
                    1u64.saturating_add(size(&f.node.selection_set.node, document, memo, visiting))
                }
                Selection::InlineFragment(f) => {
                    size(&f.node.selection_set.node, document, memo, visiting)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if let Some(known) = memo.get(name) {
                        *known
                    } else if visiting.contains(&name) {
                        0
                    } else if let Some(fragment) =
                        document.fragments.get(&spread.node.fragment_name.node)
                    {
                        visiting.push(name);
                        let n = size(&fragment.node.selection_set.node, document, memo, visiting);
                        visiting.pop();
                        memo.insert(name, n);
                        n
                    } else {
                        0
                    }
                }
            };
            total = total.saturating_add(add);
        }
        total
    }
    let mut memo = std::collections::HashMap::new();
    let mut visiting = Vec::new();
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    operations
        .iter()
        .map(|op| {
            size(
                &op.node.selection_set.node,
                document,
                &mut memo,
                &mut visiting,
            )
        })
        .fold(0u64, u64::saturating_add)
}

/// Refuse a missing or null value for a required variable before anything runs.
fn check_variables(
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: Option<&Map<String, Value>>,
) -> Result<(), Denied> {
    let op = match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return Ok(()),
        },
        (DocumentOperations::Multiple(_), None) => return Ok(()),
    };
    for definition in &op.node.variable_definitions {
        let definition = &definition.node;
        let name = definition.name.node.as_str();
        let given = variables.and_then(|v| v.get(name)).filter(|v| !v.is_null());
        if !definition.var_type.node.nullable
            && definition.default_value.is_none()
            && given.is_none()
        {
            return Err(denied(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                format!("the variable `${name}` is required and was not given"),
            ));
        }
    }
    Ok(())
}

/// Write the audit row of a response that carried personal data in clear. Fails (and the
/// response must then be withheld) when the row cannot be written.
pub async fn audit(
    state: &AppState,
    caller: &Caller,
    query: &str,
    request_id: Option<&str>,
) -> Result<(), Denied> {
    let Some((fields, count)) = caller.trail.summary() else {
        return Ok(());
    };
    let mut entry = AuditEntry::new(caller.principal.key_id.clone(), query, fields, count);
    entry.request_id = request_id.map(str::to_owned);
    state
        .access
        .store
        .audit()
        .record(entry)
        .await
        .map(|_| ())
        .map_err(|e| {
            tracing::error!(error = %e, "cannot write the audit row: personal data withheld");
            denied(
                StatusCode::SERVICE_UNAVAILABLE,
                "AUDIT_UNAVAILABLE",
                "personal data cannot be returned while the audit log is unavailable",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, max: usize) -> Result<(), &'static str> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        check_document(&document, max, false).map_err(|d| d.code)
    }

    #[test]
    fn identifiers_only_as_variables() {
        assert_eq!(
            check(r#"{ personByNik(nik: "3602134507900001") { id } }"#, 10),
            Err("BAD_USER_INPUT")
        );
        assert_eq!(
            check("query($n: String!) { personByNik(nik: $n) { id } }", 10),
            Ok(())
        );
    }

    #[test]
    fn deep_nesting_and_fragment_fan_out_are_refused() {
        let deep = format!("{{ a(x: {}1{}) }}", "[".repeat(100), "]".repeat(100));
        assert!(check_nesting(&deep).is_err());
        assert!(check_nesting("{ a(x: \"[[[[[[[[\") # {{{{{{\n }").is_ok());
        let long = format!("{{ __typename {} !!! }}", "x ".repeat(MAX_TOKENS));
        assert_eq!(
            check_nesting(&long).map_err(|d| d.code),
            Err("LIMIT_EXCEEDED")
        );
        let string = format!("{{ a(x: \"{}\") }}", "x ".repeat(MAX_TOKENS));
        assert!(check_nesting(&string).is_ok());
        let mut fanout = String::from("{ ...F0 }");
        for i in 0..40 {
            fanout.push_str(&format!(
                " fragment F{i} on Query {{ ...F{} ...F{} }}",
                i + 1,
                i + 1
            ));
        }
        fanout.push_str(" fragment F40 on Query { __typename }");
        assert_eq!(check(&fanout, 10), Err("LIMIT_EXCEEDED"));
    }

    fn cached(cache: &DocumentCache, query: &str, limits: Limits) -> Arc<Checked> {
        match cache.checked(query, limits) {
            Ok(Some(checked)) => checked,
            Ok(None) => panic!("`{query}` does not parse"),
            Err(denied) => panic!("`{query}` refused: {}", denied.message),
        }
    }

    #[test]
    fn documents_are_parsed_once_per_text_and_limits() {
        let cache = DocumentCache {
            hasher: std::hash::RandomState::new(),
            entries: Mutex::new(HashMap::new()),
        };
        let limits = Limits {
            max_aliases: 10,
            max_depth: 12,
            introspection: false,
        };
        let first = cached(&cache, "{ __typename }", limits);
        assert!(Arc::ptr_eq(
            &first,
            &cached(&cache, "{ __typename }", limits)
        ));
        let open = Limits {
            introspection: true,
            ..limits
        };
        assert!(!Arc::ptr_eq(
            &first,
            &cached(&cache, "{ __typename }", open)
        ));
        assert!(!Arc::ptr_eq(
            &first,
            &cached(&cache, "{  __typename }", limits)
        ));
        // A refusal is not kept: the same text is refused again, under the same limits only.
        let schema = "{ __schema { types { name } } }";
        for _ in 0..2 {
            let refused = cache.checked(schema, limits).err().map(|d| d.code);
            assert_eq!(refused, Some("INTROSPECTION_DISABLED"));
        }
        cached(&cache, schema, open);
        assert!(matches!(cache.checked("{ unclosed", limits), Ok(None)));
        let personal = "{ participants(first: 1) { nodes { fullName } } }";
        assert!(cached(&cache, personal, limits).personal);
        assert!(!first.personal);
    }

    #[test]
    fn aliases_are_counted_everywhere() {
        let query = "{ a: providers { k: key } ...F } fragment F on Query { b: providers { key } }";
        assert_eq!(check(query, 3), Ok(()));
        assert_eq!(check(query, 2), Err("LIMIT_EXCEEDED"));
        assert_eq!(
            check("{ __schema { types { name } } }", 3),
            Err("INTROSPECTION_DISABLED")
        );
        assert_eq!(check("{ __typename }", 3), Ok(()));
    }
}
