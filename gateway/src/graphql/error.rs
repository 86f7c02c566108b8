//! GraphQL errors with a stable `extensions.code`, and partial-failure reporting.
//!
//! | code | raised when |
//! |---|---|
//! | `BAD_USER_INPUT` | a filter, page size or argument combination is invalid |
//! | `INVALID_CURSOR` | a cursor is forged or names no record of the current result |
//! | `INVALID_ID` | an id is not one of ours or names another type |
//! | `FORBIDDEN` | a personal field, list or aggregate was asked for without the scope for it |
//! | `UNAUTHENTICATED`, `KEY_REVOKED`, `KEY_EXPIRED` | (HTTP 401) the API key is not valid |
//! | `RATE_LIMITED` | (HTTP 429, `Retry-After`) the caller's token bucket is empty |
//! | `LIMIT_EXCEEDED` | too many aliases or fields, data nested deeper than `max_depth`, introspection nesting more than 3 lists, complexity over `max_complexity` |
//! | `INTROSPECTION_DISABLED` | `__schema`/`__type` from a role that may not introspect |
//! | `PERSISTED_QUERY_NOT_FOUND`, `PERSISTED_QUERY_REQUIRED` | persisted-query rules |
//! | `AUDIT_UNAVAILABLE` | (HTTP 503) personal data withheld: its audit row cannot be written |
//! | `PROVIDER_UNAVAILABLE` | a provider failed to load or its source is down |
//! | `PROVIDER_TIMEOUT` | a provider did not answer within its deadline |
//! | `PLUGIN_PANIC` | a provider's plugin panicked (that instance is now poisoned) |
//! | `PROVIDER_ERROR` | a provider answered with an error or a malformed response |

use async_graphql::{Context, Error, ErrorExtensions};

use crate::engine::cursor::PageError;
use crate::engine::ProviderFailure;

/// An error with `extensions.code`.
pub fn coded(code: &'static str, message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", code))
}

/// The error for a personal field the caller may not see.
pub fn forbidden(field: &str, scope: &str) -> Error {
    coded(
        "FORBIDDEN",
        format!("`{field}` is personal data and needs the `{scope}` scope"),
    )
    .extend_with(|_, e| e.set("scope", scope))
}

/// The error for something (a list, a type, aggregates) the caller's key has no scope for.
pub fn needs_scope(what: &str, scope: &str) -> Error {
    coded("FORBIDDEN", format!("{what} needs the `{scope}` scope"))
        .extend_with(|_, e| e.set("scope", scope))
}

/// Turn paging problems into GraphQL errors.
pub fn page_error(error: PageError) -> Error {
    match error {
        PageError::BadArguments(m) => coded("BAD_USER_INPUT", m),
        PageError::BadCursor(m) => coded("INVALID_CURSOR", m),
        PageError::Refetch => coded(
            "INVALID_CURSOR",
            "the cursor names no record of this result",
        ),
    }
}

/// What a caller is told about a provider's failure: which provider and what kind of failure,
/// never the detail (library paths, database engine messages, plugin panics), which is logged
/// here, in the request's span (so under its id; the HTTP layer adds the id to the message).
/// The adapter's own words are kept only for `BAD_USER_INPUT`: they describe the caller's
/// request (an operator a field does not support), not the host.
pub fn public_message(failure: &ProviderFailure) -> String {
    tracing::warn!(
        provider = %failure.provider,
        code = failure.code,
        "provider failure reported to the caller: {}",
        failure.message
    );
    let provider = &failure.provider;
    match failure.code {
        "BAD_USER_INPUT" => format!("provider `{provider}`: {}", failure.message),
        "PROVIDER_UNAVAILABLE"
            if failure.message == crate::host::CallError::CircuitOpen.to_string() =>
        {
            format!("provider `{provider}` is unavailable: its circuit breaker is open after repeated failures")
        }
        "PROVIDER_UNAVAILABLE" => format!("provider `{provider}` is unavailable"),
        "PROVIDER_TIMEOUT" => format!("provider `{provider}` did not answer in time"),
        _ => format!("provider `{provider}` failed"),
    }
}

/// Add one error per failed provider at the current field's path, beside the data the other
/// providers gave.
pub fn report_failures(ctx: &Context<'_>, failures: &[ProviderFailure]) {
    for failure in failures {
        let error = Error::new(public_message(failure)).extend_with(|_, e| {
            e.set("code", failure.code);
            e.set("provider", failure.provider.as_str());
        });
        ctx.add_error(ctx.set_error_path(error.into_server_error(ctx.item.pos)));
    }
}

/// A failure that leaves nothing to show (a single-provider lookup).
pub fn failure_error(failure: ProviderFailure) -> Error {
    Error::new(public_message(&failure)).extend_with(|_, e| {
        e.set("code", failure.code);
        e.set("provider", failure.provider.as_str());
    })
}
