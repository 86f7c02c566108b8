//! The shared cache tier: owns the adapters' answers kept in Redis for every gateway instance
//! that points at the same Redis and prefix, in front of the engine's `Query` and `Aggregate`
//! calls to the plugins.
//!
//! ```toml
//! [cache]
//! redis_url = "redis://cache.internal:6379"   # off when unset
//! prefix = "simpul:answers:"
//! ttl_ms = 30000          # fresh this long
//! stale_ms = 30000        # then served while one request per key refreshes it
//! max_entry_bytes = 1048576
//! timeout_ms = 100        # per Redis operation
//! [[providers]]
//! key = "bpjamsostek"
//! shared_cache = false    # this provider's answers are never kept
//! ```
//!
//! What is never kept ([`may_keep`]): membership and status requests, a query with
//! `include_pii` (its answer holds personal data in clear), a query whose filter compares a
//! personal field, the pages of an engine-side scan (`skip_total`), an answer larger than `max_entry_bytes`, and errors. An answer is kept only
//! after the personal data the request did not ask for has been dropped from it
//! ([`super::fetch`]), so no NIK, KPJ, birth date or phone in clear reaches Redis.
//!
//! The key ([`cache_key`]) is the prefix and a SHA-256 over the provider's
//! [`cache_scope`](crate::host::Provider::cache_scope) (which changes with the plugin's library
//! or config) and the whole request as canonical JSON. The engine has already narrowed a
//! partner's filter into that request, so an entry can only be served to a request that would
//! have produced it.
//!
//! An entry is the answer as JSON with its fetch time ([`Entry`]): fresh for `ttl_ms`, then
//! stale for `stale_ms` ([`freshness`]), when it is still served while one background call per
//! key and process refreshes it; Redis drops it after `ttl_ms + stale_ms`. A Redis that is
//! down or slower than `timeout_ms` never fails a request: the lookup counts as `error` in
//! `simpul_shared_cache_total`, is logged at most once a minute, and the provider is asked.

pub mod link;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use simpul_schema::{AdapterRequest, AdapterResponse, Filter, QueryRequest};

use super::{fetch, Engine, ProviderFailure};
use crate::host::Provider;
use crate::metrics::Metrics;
use link::RedisLink;

/// Part of every key: bump it when [`Entry`]'s shape changes, so that instances of another
/// build never read each other's entries.
const FORMAT: &str = concat!("simpul-answers-v1/", env!("CARGO_PKG_VERSION"));

/// `[cache]`: the shared cache tier and the registry of automatic persisted queries
/// ([`crate::access::apq`]), both in Redis when `redis_url` is set:
///
/// ```toml
/// [cache]
/// redis_url = "redis://127.0.0.1:6379"   # off when unset (APQ then kept per process)
/// prefix = "simpul:answers:"
/// ttl_ms = 30000                         # fresh this long
/// stale_ms = 30000                       # then served while refreshed in the background
/// max_entry_bytes = 1048576              # larger answers are not kept
/// timeout_ms = 100                       # per Redis operation; slower counts as an error
/// apq_prefix = "simpul:apq:"
/// apq_ttl_ms = 86400000
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheConfig {
    /// The Redis that holds the answers and the APQ registry; default none: no shared cache,
    /// and automatic persisted queries are kept in each process.
    pub redis_url: Option<String>,
    /// Prefix of the answers' keys (default `simpul:answers:`).
    pub prefix: String,
    /// How long an answer is fresh, in milliseconds (default 30000).
    pub ttl_ms: u64,
    /// How long after that a stale answer is still served while one request refreshes it in
    /// the background, in milliseconds (default 30000). Redis drops it after `ttl_ms + stale_ms`.
    pub stale_ms: u64,
    /// The largest answer kept, in bytes of JSON (default 1 MiB).
    pub max_entry_bytes: usize,
    /// Longest time one Redis operation may take, in milliseconds (default 100); a slower or
    /// failed one is counted and the request goes to the provider.
    pub timeout_ms: u64,
    /// Prefix of the APQ registry's keys (default `simpul:apq:`).
    pub apq_prefix: String,
    /// How long an automatically registered query is kept, in milliseconds (default 24 h).
    pub apq_ttl_ms: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            redis_url: None,
            prefix: "simpul:answers:".into(),
            ttl_ms: 30_000,
            stale_ms: 30_000,
            max_entry_bytes: 1024 * 1024,
            timeout_ms: 100,
            apq_prefix: "simpul:apq:".into(),
            apq_ttl_ms: 24 * 60 * 60 * 1000,
        }
    }
}

/// Why the shared cache cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum SharedCacheError {
    /// `redis_url` does not parse.
    #[error("[cache] redis_url: {0}")]
    Url(#[from] link::BadUrl),
    /// A setting is out of range.
    #[error("[cache] {0}")]
    Setting(&'static str),
}

/// Adapters' answers in Redis, shared by the instances that use it.
pub struct SharedCache {
    link: RedisLink,
    prefix: String,
    ttl_ms: u64,
    stale_ms: u64,
    max_entry_bytes: usize,
    /// Providers configured with `shared_cache = false`.
    opted_out: HashSet<String>,
    /// Keys being refreshed by this process.
    refreshing: Mutex<HashSet<String>>,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for SharedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedCache")
            .field("redis", &self.link.url())
            .field("prefix", &self.prefix)
            .field("ttl_ms", &self.ttl_ms)
            .field("stale_ms", &self.stale_ms)
            .finish_non_exhaustive()
    }
}

/// How old an entry is, against the cache's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Within `ttl_ms`: served as it is.
    Fresh,
    /// Within `ttl_ms + stale_ms`: served, and refreshed in the background.
    Stale,
    /// Older: asked again.
    Expired,
}

/// Whether an entry fetched at `fetched_ms` is fresh at `now_ms` (both milliseconds since the
/// epoch). A fetch time in the future (another instance's clock) counts as just fetched.
pub fn freshness(fetched_ms: u64, now_ms: u64, ttl_ms: u64, stale_ms: u64) -> Freshness {
    let age = now_ms.saturating_sub(fetched_ms);
    if age < ttl_ms {
        Freshness::Fresh
    } else if age < ttl_ms.saturating_add(stale_ms) {
        Freshness::Stale
    } else {
        Freshness::Expired
    }
}

/// What one entry holds (written with [`EntryRef`]).
#[derive(Debug, Deserialize)]
struct Entry {
    fetched_ms: u64,
    response: AdapterResponse,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    fetched_ms: u64,
    response: &'a AdapterResponse,
}

/// Whether the answer to `request` may be kept at all: never a membership or status request,
/// a query for personal data in clear, or a query whose filter compares a personal field
/// (its key would be a hash over that value).
pub fn may_keep(request: &AdapterRequest) -> bool {
    match request {
        // Nor the pages of an engine-side scan (`skip_total`): many, large, read once each.
        AdapterRequest::Query(query) => {
            !query.include_pii
                && !query.skip_total
                && !query.filter.as_ref().is_some_and(names_personal_field)
        }
        AdapterRequest::Aggregate(aggregate) => {
            !aggregate.filter.as_ref().is_some_and(names_personal_field)
        }
        AdapterRequest::Status | AdapterRequest::Membership(_) => false,
    }
}

fn names_personal_field(filter: &Filter) -> bool {
    match filter {
        Filter::And(parts) | Filter::Or(parts) => parts.iter().any(names_personal_field),
        Filter::Not(inner) => names_personal_field(inner),
        Filter::Related { filter, .. } => names_personal_field(filter),
        Filter::Compare { field, .. } => {
            let last = field.rsplit('.').next().unwrap_or(field);
            crate::access::PERSONAL_FIELDS.contains(&last)
        }
    }
}

/// Whether `response` is the kind of answer `request` asks for (only those are kept).
fn answers(request: &AdapterRequest, response: &AdapterResponse) -> bool {
    matches!(
        (request, response),
        (AdapterRequest::Query(_), AdapterResponse::Query(_))
            | (AdapterRequest::Aggregate(_), AdapterResponse::Aggregate(_))
    )
}

/// The key of `request`'s answer from the provider `provider` running `scope`: `prefix` and
/// the SHA-256, in hex, of the format, the provider, the scope and the request's canonical
/// JSON (object keys sorted). `None` if the request cannot be written as JSON.
pub fn cache_key(
    prefix: &str,
    provider: &str,
    scope: &str,
    request: &AdapterRequest,
) -> Option<String> {
    // The request's id is not part of what it asks: answers are shared across requests here.
    let json = match request {
        AdapterRequest::Query(query) if query.request_id.is_some() => {
            serde_json::to_value(AdapterRequest::Query(QueryRequest {
                request_id: None,
                ..query.clone()
            }))
        }
        _ => serde_json::to_value(request),
    };
    let json = canonical(json.ok()?).to_string();
    let mut digest = Sha256::new();
    for part in [FORMAT, provider, scope, &json] {
        digest.update(part.as_bytes());
        digest.update([0]);
    }
    let hex: String = digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(format!("{prefix}{hex}"))
}

/// `value` with every object's keys in order, whatever order they were written in.
fn canonical(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, canonical(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(canonical).collect())
        }
        other => other,
    }
}

/// The `collection` label of a request, as the provider metrics name it.
fn label(request: &AdapterRequest) -> String {
    let name = |v: serde_json::Result<serde_json::Value>| {
        v.ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    match request {
        AdapterRequest::Query(q) => name(serde_json::to_value(q.collection)),
        AdapterRequest::Aggregate(a) => format!("{}_aggregate", name(serde_json::to_value(a.view))),
        AdapterRequest::Status => "status".into(),
        AdapterRequest::Membership(_) => "membership".into(),
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// What a lookup found.
enum Lookup {
    Fresh(AdapterResponse),
    Stale(AdapterResponse),
    Miss,
    Error,
}

impl SharedCache {
    /// The cache `[cache]` describes, `None` without a `redis_url`; `opted_out` are the keys
    /// of the providers configured with `shared_cache = false`. Not connected yet: see
    /// [`SharedCache::connect`].
    pub fn new(
        config: &CacheConfig,
        opted_out: HashSet<String>,
        metrics: Arc<Metrics>,
    ) -> Result<Option<Self>, SharedCacheError> {
        let Some(url) = config.redis_url.as_deref() else {
            return Ok(None);
        };
        if config.ttl_ms == 0 {
            return Err(SharedCacheError::Setting(
                "ttl_ms must be more than 0 (leave redis_url unset to turn the cache off)",
            ));
        }
        if config.timeout_ms == 0 {
            return Err(SharedCacheError::Setting("timeout_ms must be more than 0"));
        }
        let timeout = std::time::Duration::from_millis(config.timeout_ms);
        Ok(Some(Self {
            link: RedisLink::new(url, timeout)?,
            prefix: config.prefix.clone(),
            ttl_ms: config.ttl_ms,
            stale_ms: config.stale_ms,
            max_entry_bytes: config.max_entry_bytes,
            opted_out,
            refreshing: Mutex::new(HashSet::new()),
            metrics,
        }))
    }

    /// The cache of a configuration whose providers `host` started (`None` without
    /// `[cache] redis_url`), connected if Redis answers within a second; serving does not wait
    /// for it beyond that.
    pub async fn start(
        config: &crate::config::Config,
        host: &crate::host::PluginHost,
        metrics: Arc<Metrics>,
    ) -> Result<Option<Arc<Self>>, SharedCacheError> {
        // The host keeps the providers in configuration order.
        let opted_out = config
            .providers
            .iter()
            .zip(host.providers())
            .filter(|(configured, _)| !configured.shared_cache)
            .map(|(_, provider)| provider.key.clone())
            .collect();
        let Some(cache) = Self::new(&config.cache, opted_out, metrics)? else {
            return Ok(None);
        };
        if cache.connect(std::time::Duration::from_secs(1)).await {
            tracing::info!(redis = %cache.url(), prefix = %cache.prefix, "shared cache tier on");
        }
        Ok(Some(Arc::new(cache)))
    }

    /// Connect to Redis, waiting at most `wait`; whether connected. Serving does not depend on
    /// it: without Redis, lookups count as errors and the providers are asked.
    pub async fn connect(&self, wait: std::time::Duration) -> bool {
        self.link.connect(wait).await
    }

    /// The Redis, its password removed.
    pub fn url(&self) -> &str {
        self.link.url()
    }

    async fn lookup(&self, key: &str) -> Lookup {
        let bytes = match self.link.get(key).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Lookup::Miss,
            Err(e) => {
                self.link.warn("shared cache lookup failed", &e);
                return Lookup::Error;
            }
        };
        let entry: Entry = match serde_json::from_slice(&bytes) {
            Ok(entry) => entry,
            Err(e) => {
                tracing::warn!("shared cache: an unreadable entry, asking the provider: {e}");
                return Lookup::Error;
            }
        };
        match freshness(entry.fetched_ms, now_ms(), self.ttl_ms, self.stale_ms) {
            Freshness::Fresh => Lookup::Fresh(entry.response),
            Freshness::Stale => Lookup::Stale(entry.response),
            Freshness::Expired => Lookup::Miss,
        }
    }

    /// The entry to keep for `response`: `None` when it is too large (or cannot be written).
    fn entry(&self, response: &AdapterResponse) -> Option<Vec<u8>> {
        let bytes = serde_json::to_vec(&EntryRef {
            fetched_ms: now_ms(),
            response,
        })
        .ok()?;
        if bytes.len() > self.max_entry_bytes {
            tracing::debug!(
                bytes = bytes.len(),
                "shared cache: answer larger than max_entry_bytes, not kept"
            );
            return None;
        }
        Some(bytes)
    }

    /// Keep `response` under `key`, in the background (a slow Redis never delays the answer).
    fn store(&self, key: String, response: &AdapterResponse) {
        let Some(bytes) = self.entry(response) else {
            return;
        };
        let link = self.link.clone();
        let ttl = self.ttl_ms.saturating_add(self.stale_ms);
        tokio::spawn(async move {
            if let Err(e) = link.set(&key, &bytes, ttl).await {
                link.warn("shared cache store failed", &e);
            }
        });
    }

    /// Keep `response` under `key` now.
    async fn put(&self, key: &str, response: &AdapterResponse) {
        if let Some(bytes) = self.entry(response) {
            let ttl = self.ttl_ms.saturating_add(self.stale_ms);
            if let Err(e) = self.link.set(key, &bytes, ttl).await {
                self.link.warn("shared cache store failed", &e);
            }
        }
    }

    /// Mark `key` as being refreshed by this process; `None` if it already is.
    fn begin_refresh(self: &Arc<Self>, key: &str) -> Option<Refreshing> {
        let mut refreshing = self.refreshing.lock().unwrap_or_else(|p| p.into_inner());
        refreshing.insert(key.to_owned()).then(|| Refreshing {
            cache: Arc::clone(self),
            key: key.to_owned(),
        })
    }
}

/// A refresh in flight; its key is released when it is dropped.
struct Refreshing {
    cache: Arc<SharedCache>,
    key: String,
}

impl Drop for Refreshing {
    fn drop(&mut self) {
        self.cache
            .refreshing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

impl Engine {
    /// Ask `provider` for `request`'s answer through the shared cache, when there is one and
    /// the answer may be kept; else ask the provider ([`fetch`]).
    pub(super) async fn call_cached(
        &self,
        provider: &Provider,
        request: AdapterRequest,
    ) -> Result<AdapterResponse, ProviderFailure> {
        let Some(cache) = &self.settings.shared_cache else {
            return fetch(provider, &request).await;
        };
        let collection = label(&request);
        let scope = provider.cache_scope();
        // Never kept: see `may_keep`; nor under no scope (a plugin that never loaded).
        let keep =
            may_keep(&request) && !cache.opted_out.contains(&provider.key) && !scope.is_empty();
        let key = keep
            .then(|| cache_key(&cache.prefix, &provider.key, &scope, &request))
            .flatten();
        let Some(key) = key else {
            cache
                .metrics
                .shared_cache(&provider.key, &collection, "skip");
            return fetch(provider, &request).await;
        };
        let (counted, served) = match cache.lookup(&key).await {
            Lookup::Fresh(response) if answers(&request, &response) => ("hit", Some(response)),
            // Served unless no background task can run; then asked now, as for a miss.
            Lookup::Stale(response) if answers(&request, &response) => {
                let refreshing = self.refresh(cache, provider, &request, &key);
                ("stale", refreshing.then_some(response))
            }
            Lookup::Miss => ("miss", None),
            // An entry of another kind than the request's, or Redis failed.
            Lookup::Fresh(_) | Lookup::Stale(_) | Lookup::Error => ("error", None),
        };
        cache
            .metrics
            .shared_cache(&provider.key, &collection, counted);
        if let Some(response) = served {
            return Ok(response);
        }
        let response = fetch(provider, &request).await?;
        // A plugin swapped while the call ran: its answer is not the old scope's to keep.
        if provider.cache_scope() == scope && answers(&request, &response) {
            cache.store(key, &response);
        }
        Ok(response)
    }

    /// Refresh a stale entry in the background, unless this process is already at it; whether
    /// the stale entry may be served (false: no task can run, the caller should ask now).
    fn refresh(
        &self,
        cache: &Arc<SharedCache>,
        provider: &Provider,
        request: &AdapterRequest,
        key: &str,
    ) -> bool {
        let Some(engine) = self.me.upgrade() else {
            return false;
        };
        let Some(running) = cache.begin_refresh(key) else {
            return true;
        };
        let (provider_key, mut request) = (provider.key.clone(), request.clone());
        // A refresh serves no request: it reads the source afresh, not the reads the request
        // that found the entry stale may have shared.
        if let AdapterRequest::Query(query) = &mut request {
            query.request_id = None;
        }
        let scope = provider.cache_scope();
        tokio::spawn(async move {
            let Some(provider) = engine.host.get(&provider_key) else {
                return;
            };
            match fetch(provider, &request).await {
                Ok(response) if provider.cache_scope() == scope => {
                    running.cache.put(&running.key, &response).await;
                }
                Ok(_) => {}
                Err(e) => tracing::debug!(
                    provider = %provider_key,
                    "shared cache: refresh failed, the stale entry expires: {}",
                    e.message
                ),
            }
        });
        true
    }
}

#[cfg(test)]
mod tests;
