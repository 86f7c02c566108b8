//! The query engine: plans a list request per provider, fans out in parallel, and merges.
//!
//! For each provider that serves the collection, the engine binds the `provider` field of the
//! filter to that provider's key (skipping providers the filter rules out), pushes the filter
//! and the order down when the adapter's capabilities cover them, and evaluates them itself
//! otherwise, with [`simpul_schema::filter`], the same semantics either way. When a page needs
//! only the first `n` records and the adapter filters, orders and pages itself, only `n` are
//! asked for. The per-provider lists are merged in the requested order ([`merge`]; ties keep
//! configuration order, then the adapter's order), which makes the merged order total and the
//! cursors stable ([`cursor`]); the total is the sum of the providers' exact totals. What was
//! pushed down and how many calls were made is recorded per request ([`CallLog`]).
//!
//! A provider that fails contributes a [`ProviderFailure`] instead of records; the caller turns
//! it into a GraphQL error next to the other providers' data.

pub mod aggregate;
pub mod cursor;
pub mod disclosure;
mod entity;
mod membership;
mod merge;
pub mod relations;
pub mod shared_cache;
mod summary;
mod trace;

use std::sync::{Arc, Weak};

use async_graphql::futures_util::future::join_all;
use simpul_plugin::{CollectionCapabilities, PluginError};
use simpul_schema::filter::{self, FieldValue, FilterError};
use simpul_schema::{AdapterRequest, AdapterResponse, Filter, OrderBy, QueryRequest};

pub use entity::{Entity, Sourced};
pub use membership::MembershipLookup;
pub use trace::{CallLog, CallRecord};

use crate::host::{CallError, PluginHost, Provider};
use cursor::CursorKey;

/// Plans and runs reads across providers.
#[derive(Debug)]
pub struct Engine {
    host: PluginHost,
    settings: EngineSettings,
    populations: aggregate::Populations,
    /// The engine itself once shared ([`Engine::shared`]): background refreshes of the shared
    /// cache hold it while they run.
    me: Weak<Engine>,
}

/// What the engine is configured with beyond its providers.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// The key cursors are signed with.
    pub cursor_key: CursorKey,
    /// Most related records a relation filter may match (`limits.max_relation_keys`): its keys
    /// become a list the providers are asked with.
    pub max_relation_keys: usize,
    /// Adapters' answers shared with other instances through Redis (`[cache]`), if set up.
    pub shared_cache: Option<Arc<shared_cache::SharedCache>>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            cursor_key: CursorKey::random(),
            max_relation_keys: 10_000,
            shared_cache: None,
        }
    }
}

/// Why a request cannot be answered as asked: the caller's mistake.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The filter or order is invalid.
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// A relation filter matches more related records than may be listed.
    #[error("the filter on `{relation}` matches more than {limit} related records; narrow it")]
    TooManyRelated {
        /// The relation.
        relation: String,
        /// `limits.max_relation_keys`.
        limit: usize,
    },
}

/// A provider that could not contribute to an answer, and why (no personal data inside).
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderFailure {
    /// Provider key.
    pub provider: String,
    /// Stable error code (`PROVIDER_TIMEOUT`, `PROVIDER_UNAVAILABLE`, `PLUGIN_PANIC`, ...).
    pub code: &'static str,
    /// What happened.
    pub message: String,
}

/// Records merged from every provider that answered, plus the failures of those that did not.
#[derive(Debug)]
pub struct Listing<T> {
    /// The first records of the merged list, in the requested order (all of them, or as many as
    /// [`Need::Top`] asked for).
    pub items: Vec<Sourced<T>>,
    /// How many records match across the providers that answered (exact).
    pub total: usize,
    /// Providers that failed.
    pub failures: Vec<ProviderFailure>,
}

/// How much of a merged list the caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Every matching record.
    All,
    /// The first `n` records in order (plus the exact total).
    Top(usize),
}

impl Need {
    fn limit(self) -> Option<usize> {
        match self {
            Need::All => None,
            Need::Top(n) => Some(n),
        }
    }
}

/// What one provider contributed to a list.
struct Part<T> {
    items: Vec<Sourced<T>>,
    total: usize,
}

impl Engine {
    /// An engine over the started providers.
    pub fn new(host: PluginHost, settings: EngineSettings) -> Self {
        Self {
            host,
            settings,
            populations: aggregate::Populations::default(),
            me: Weak::new(),
        }
    }

    /// The engine behind an [`Arc`], which lets it refresh stale shared-cache entries in the
    /// background (an engine not shared this way asks the provider instead).
    pub fn shared(self) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            me: me.clone(),
            ..self
        })
    }

    /// The key cursors are signed with.
    pub fn cursor_key(&self) -> &CursorKey {
        &self.settings.cursor_key
    }

    /// The providers.
    pub fn host(&self) -> &PluginHost {
        &self.host
    }

    /// Give the providers back, to shut them down.
    pub fn into_host(self) -> PluginHost {
        self.host
    }

    /// The records of `T`'s collection that match `filter`, in `order_by` order, merged from all
    /// providers: all of them or the first `need`, with the exact total. Each call is recorded
    /// in `log`. Fails only when the filter itself is invalid.
    pub async fn list<T: Entity>(
        &self,
        filter: Option<Filter>,
        order_by: Vec<OrderBy>,
        need: Need,
        log: &CallLog,
    ) -> Result<Listing<T>, RequestError> {
        let mut failures = Vec::new();
        let filter = match filter {
            Some(f) => Some(
                self.resolve_relations(T::COLLECTION, f, log, &mut failures)
                    .await?,
            ),
            None => None,
        };
        let mut fields: Vec<&str> = T::FIELDS.to_vec();
        fields.push("provider");
        let mut check = QueryRequest::all(T::COLLECTION);
        check.filter = filter.clone();
        for key in &order_by {
            if !key.field.contains('.') {
                check.order_by.push(key.clone());
            } else if relations::order_path(T::COLLECTION, &key.field).is_none() {
                return Err(FilterError::UnknownField(key.field.clone()).into());
            }
        }
        filter::validate(&check, &fields)?;

        let serving = self
            .host
            .providers()
            .iter()
            .filter(|p| p.serves(T::COLLECTION));
        let calls = serving
            .map(|provider| self.list_one::<T>(provider, filter.as_ref(), &order_by, need, log));
        let mut parts = Vec::new();
        let mut total = 0;
        for result in join_all(calls).await {
            match result {
                Ok(part) => {
                    total += part.total;
                    parts.push(part.items);
                }
                Err(failure) => failures.push(failure),
            }
        }
        let items = merge::merge(parts, &order_by, need.limit().unwrap_or(usize::MAX));
        Ok(Listing {
            items,
            total,
            failures,
        })
    }

    async fn list_one<T: Entity>(
        &self,
        provider: &Provider,
        filter: Option<&Filter>,
        order_by: &[OrderBy],
        need: Need,
        log: &CallLog,
    ) -> Result<Part<T>, ProviderFailure> {
        let bound = filter.map(|f| bind_provider(f, &provider.key));
        if bound.as_ref().is_some_and(is_always_false) {
            return Ok(Part {
                items: Vec::new(),
                total: 0,
            });
        }
        let capabilities = provider.capabilities(T::COLLECTION);
        let push_filter = bound.as_ref().is_none_or(|f| covers(&capabilities, f));
        // `provider` is constant within one provider: it only matters when merging.
        let own_order: Vec<OrderBy> = order_by
            .iter()
            .filter(|k| k.field != "provider")
            .cloned()
            .collect();
        // An order by a related record's field is applied here, after looking those up.
        let by_relation = own_order.iter().any(|k| k.field.contains('.'));
        let push_order = !by_relation && (own_order.is_empty() || capabilities.order_by);
        // Paging is pushed only when the adapter also does the filtering and the ordering.
        let push_limit = need
            .limit()
            .filter(|_| push_filter && push_order && capabilities.paging);
        let mut request = QueryRequest::all(T::COLLECTION);
        if push_filter {
            request.filter = bound.clone();
        }
        if push_order {
            request.order_by = own_order.clone();
        }
        request.limit = push_limit.map(|n| n as u64);
        request.include_pii = log.personal_data();
        let call = CallRecord::new("list", &request, push_filter, push_order);
        let Answer {
            records,
            total: adapter_total,
            ..
        } = self.query_logged::<T>(provider, request, call, log).await?;
        let (mut records, total) = if push_filter && push_order {
            (records, adapter_total)
        } else {
            let mut local = QueryRequest::all(T::COLLECTION);
            local.filter = if push_filter { None } else { bound };
            local.order_by = if push_order || by_relation {
                Vec::new()
            } else {
                own_order.clone()
            };
            let (records, total) =
                filter::apply(&records, &local).map_err(|e| ProviderFailure {
                    provider: provider.key.clone(),
                    code: "PROVIDER_ERROR",
                    message: format!("cannot evaluate the filter on the adapter's records: {e}"),
                })?;
            // Without a pushed filter the adapter sent everything: count what matched here.
            (
                records,
                if push_filter {
                    adapter_total
                } else {
                    total as usize
                },
            )
        };
        if let (Some(n), false) = (need.limit(), by_relation) {
            records.truncate(n);
        }
        let key: Arc<str> = Arc::from(provider.key.as_str());
        let mut items: Vec<Sourced<T>> = records
            .into_iter()
            .map(|r| Sourced::new(Arc::clone(&key), r))
            .collect();
        if by_relation {
            self.attach_related(provider, &mut items, &own_order, log)
                .await?;
            items.sort_by(|a, b| filter::compare_by(&|f| a.field(f), &|f| b.field(f), &own_order));
            if let Some(n) = need.limit() {
                items.truncate(n);
            }
        }
        Ok(Part { items, total })
    }

    /// Send one query to one provider (through the shared cache, when there is one) and
    /// unwrap its records and total. Personal data the request did not ask for is dropped
    /// ([`fetch`]).
    async fn query<T: Entity>(
        &self,
        provider: &Provider,
        request: QueryRequest,
    ) -> Result<Answer<T>, ProviderFailure> {
        let response = self
            .call_cached(provider, AdapterRequest::Query(request))
            .await?;
        let wrong = |what: &str| ProviderFailure {
            provider: provider.key.clone(),
            code: "PROVIDER_ERROR",
            message: format!("the adapter answered with {what}"),
        };
        let AdapterResponse::Query(response) = response else {
            return Err(wrong("another kind of response"));
        };
        let total = usize::try_from(response.total_count).unwrap_or(usize::MAX);
        let records =
            T::unwrap(response.records).ok_or_else(|| wrong("records of another collection"))?;
        Ok(Answer {
            records,
            total,
            next: response.next,
        })
    }

    /// [`Engine::query`] as part of the request `log` belongs to (its id on the call), recorded
    /// in `log` as `call` with its records, time and error.
    async fn query_logged<T: Entity>(
        &self,
        provider: &Provider,
        mut request: QueryRequest,
        mut call: CallRecord,
        log: &CallLog,
    ) -> Result<Answer<T>, ProviderFailure> {
        request.request_id = Some(log.request_id().to_owned());
        let started = std::time::Instant::now();
        let result = self.query::<T>(provider, request).await;
        call.micros = started.elapsed().as_micros() as u64;
        call.records = result.as_ref().map_or(0, |a| a.records.len());
        call.error = result.as_ref().err().map(|f| f.code);
        log.record(&provider.key, call);
        result
    }

    /// The records of `T` with these local keys at one provider (a lookup by id), in the
    /// adapter's order. Unknown keys are simply absent.
    pub async fn get<T: Entity>(
        &self,
        provider: &str,
        keys: Vec<String>,
        log: &CallLog,
    ) -> Result<Vec<Sourced<T>>, ProviderFailure> {
        let Some(provider) = self.host.get(provider) else {
            return Ok(Vec::new());
        };
        // An adapter that cannot look records up by key sends them all; they are picked here.
        let pushed = provider.capabilities(T::COLLECTION).lookup_by_id;
        let mut request = QueryRequest::all(T::COLLECTION);
        if pushed {
            request.ids = Some(keys.clone());
        }
        request.include_pii = log.personal_data();
        let call = CallRecord::new("lookup", &request, pushed, true);
        let mut records = self
            .query_logged::<T>(provider, request, call, log)
            .await?
            .records;
        if !pushed {
            let wanted: std::collections::HashSet<&str> = keys.iter().map(String::as_str).collect();
            records.retain(|r| wanted.contains(r.source_id()));
        }
        let key: Arc<str> = Arc::from(provider.key.as_str());
        Ok(records
            .into_iter()
            .map(|r| Sourced::new(Arc::clone(&key), r))
            .collect())
    }
}

/// An adapter's answer to one query, unwrapped: its records, its total, and the cursor after
/// the page (`QueryResponse::next`).
struct Answer<T> {
    records: Vec<T>,
    total: usize,
    next: Option<String>,
}

/// Replace comparisons on `provider` by constants for this provider: `And([])` (true) or
/// `Or([])` (false).
fn bind_provider(filter: &Filter, key: &str) -> Filter {
    match filter {
        Filter::And(parts) => Filter::And(parts.iter().map(|p| bind_provider(p, key)).collect()),
        Filter::Or(parts) => Filter::Or(parts.iter().map(|p| bind_provider(p, key)).collect()),
        Filter::Not(inner) => Filter::Not(Box::new(bind_provider(inner, key))),
        Filter::Compare { field, .. } if field == "provider" => {
            let holds = filter::matches_with(filter, &|name| {
                (name == "provider").then(|| FieldValue::from(key))
            })
            .unwrap_or(false);
            if holds {
                Filter::And(Vec::new())
            } else {
                Filter::Or(Vec::new())
            }
        }
        other => other.clone(),
    }
}

/// Whether a (bound) filter can never hold, so the provider need not be asked.
fn is_always_false(filter: &Filter) -> bool {
    match filter {
        Filter::Or(parts) => parts.iter().all(is_always_false),
        Filter::And(parts) => parts.iter().any(is_always_false),
        Filter::Not(inner) => matches!(&**inner, Filter::And(parts) if parts.is_empty()),
        Filter::Related { .. } => false,
        Filter::Compare { .. } => false,
    }
}

/// Whether the adapter evaluates every operator in `filter`.
fn covers(capabilities: &CollectionCapabilities, filter: &Filter) -> bool {
    match filter {
        Filter::And(parts) | Filter::Or(parts) => parts.iter().all(|p| covers(capabilities, p)),
        Filter::Not(inner) => covers(capabilities, inner),
        Filter::Related { .. } => false,
        Filter::Compare { op, .. } => capabilities.filter_operators.contains(op),
    }
}

/// Call the provider's adapter. Personal data a query did not ask for is dropped here, before
/// anything (the shared cache included) sees the answer, and counted as the adapter's fault.
async fn fetch(
    provider: &Provider,
    request: &AdapterRequest,
) -> Result<AdapterResponse, ProviderFailure> {
    let mut response = provider
        .call(request)
        .await
        .map_err(|e| failure(&provider.key, e))?;
    if let (AdapterRequest::Query(asked), AdapterResponse::Query(answer)) = (request, &mut response)
    {
        let unasked = match asked.include_pii {
            true => 0,
            false => entity::drop_personal_data(&mut answer.records),
        };
        if unasked > 0 {
            provider.fault(
                "PERSONAL_DATA_UNASKED",
                &format!(
                    "the adapter sent personal data it was not asked for, in {unasked} {} records; dropped",
                    asked.collection.type_name()
                ),
            );
        }
    }
    Ok(response)
}

fn failure(provider: &str, error: CallError) -> ProviderFailure {
    let message = match &error {
        CallError::Plugin(PluginError::Call { kind, .. }) => kind.to_string(),
        other => other.to_string(),
    };
    ProviderFailure {
        provider: provider.to_owned(),
        code: error.code(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_schema::CompareOp;

    #[test]
    fn provider_comparisons_become_constants() {
        let f = Filter::And(vec![
            Filter::compare("provider", CompareOp::Eq, "spn"),
            Filter::compare("status", CompareOp::Eq, "OPEN"),
        ]);
        assert!(!is_always_false(&bind_provider(&f, "spn")));
        assert!(is_always_false(&bind_provider(&f, "bbplk")));
        let not = Filter::Not(Box::new(Filter::compare(
            "provider",
            CompareOp::In,
            simpul_schema::Literal::List(vec!["spn".into()]),
        )));
        assert!(is_always_false(&bind_provider(&not, "spn")));
        assert!(!is_always_false(&bind_provider(&not, "bbplk")));
    }

    #[test]
    fn coverage_checks_every_operator() {
        let caps = CollectionCapabilities {
            filter_operators: vec![CompareOp::Eq],
            ..Default::default()
        };
        assert!(covers(
            &caps,
            &Filter::compare("status", CompareOp::Eq, "OPEN")
        ));
        assert!(!covers(
            &caps,
            &Filter::Or(vec![Filter::compare("name", CompareOp::Like, "%a%")])
        ));
    }
}
