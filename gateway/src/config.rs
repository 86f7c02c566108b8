//! The gateway's configuration: a TOML file, environment overrides, and the embedded default.
//!
//! ```toml
//! listen = "127.0.0.1:4000"
//!
//! [[providers]]
//! key = "spn"                      # namespace of global ids
//! library = "simpul_adapter_spn"   # a path, or a bare crate name found beside the binary
//! required = false                 # true: refuse to start without it
//! timeout_ms = 5000               # deadline per adapter call, the wait for a slot included
//! max_concurrency = 16            # calls in flight at once
//! call_threads = 4                # threads that hand calls to the plugin
//! max_response_bytes = 67108864   # the largest answer accepted from the plugin
//! encoding = "msgpack"            # "json" or "msgpack"; default: the plugin's first choice
//! retry = { max_attempts = 2, backoff_ms = 50, on_timeout = false }
//! breaker = { failure_threshold = 5, open_ms = 10000 }
//! pushdown = true                  # false: the engine filters, orders and pages itself
//! record = "recordings/spn.jsonl"  # append every adapter call (see `record`); off by default
//! [providers.config]               # the adapter's own config, checked against its schema
//! data_dir = "data/spn"
//! ```
//!
//! Any value can be overridden from the environment: `SIMPUL__LISTEN=0.0.0.0:4000`,
//! `SIMPUL__LIMITS__MAX_PAGE_SIZE=50`, `SIMPUL__PROVIDERS__0__CONFIG__DATA_DIR=/srv/spn`
//! (segments separated by `__`, list entries by index, values parsed as TOML scalars when they
//! parse, else taken as text).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where the gateway listens when nothing says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4000";

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on. Default `127.0.0.1:4000`.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Request limits.
    #[serde(default)]
    pub limits: Limits,
    /// How people are linked across providers.
    #[serde(default)]
    pub identity: IdentityConfig,
    /// The gateway's own store: API keys, audit log, persisted queries.
    #[serde(default)]
    pub store: StoreConfig,
    /// Who may see what without a key, and which requests are accepted.
    #[serde(default)]
    pub access: AccessConfig,
    /// Requests per API key (or, without a key, per client address) over time.
    #[serde(default)]
    pub rate_limit: RateLimitConfig,
    /// OpenTelemetry export of the request and adapter-call spans (off by default; see
    /// [`crate::telemetry`]).
    #[serde(default)]
    pub telemetry: crate::telemetry::TelemetryConfig,
    /// The providers, each served by one adapter plugin.
    #[serde(default)]
    pub providers: Vec<ProviderConfig>,
    /// How the HTTP server stops.
    #[serde(default)]
    pub server: ServerConfig,
    /// The shared cache tier of adapters' answers and automatic persisted queries (see
    /// [`crate::engine::shared_cache`]).
    #[serde(default)]
    pub cache: crate::engine::shared_cache::CacheConfig,
}

/// How `simpul serve` stops.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// On SIGTERM or Ctrl-C the server stops accepting connections at once and lets the
    /// requests in flight finish for at most this long, in milliseconds (default 10000); then
    /// it exits anyway, logging how many it cut off. Keep it below the orchestrator's own
    /// grace period (Kubernetes: `terminationGracePeriodSeconds`, 30 s by default).
    pub shutdown_grace_ms: u64,
}

/// The default of [`ServerConfig::shutdown_grace_ms`].
pub const DEFAULT_SHUTDOWN_GRACE_MS: u64 = 10_000;

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            shutdown_grace_ms: DEFAULT_SHUTDOWN_GRACE_MS,
        }
    }
}

/// Where the gateway keeps its own data (`simpul_store`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite://path?mode=rwc` or `postgres://…`. Default: `simpul-store.sqlite` beside the
    /// config file (the demo keeps it in its data folder). Migrations run on start.
    pub url: Option<String>,
}

/// Access rules that are not per key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccessConfig {
    /// Scopes granted to callers without a key, space-separated, beyond the public catalogue
    /// (providers, regions, centres, courses, runs). Default none. The demo grants
    /// `participant:read enrollment:read outcome:read identity:link aggregate:read`.
    pub anonymous_scopes: String,
    /// Refuse callers without a key altogether (401).
    pub require_key: bool,
    /// Roles that may use introspection (`__schema`, `__type`); default all.
    pub introspection: Vec<String>,
    /// Accept only queries registered in the store (`simpul queries add`), sent by hash as
    /// `extensions.persistedQuery.sha256Hash` (default false).
    pub persisted_queries_only: bool,
    /// Show `/readyz`'s detail (libraries, load failures, record counts, rejected rows) to
    /// everyone. Default false: without an admin key, `/readyz` shows states only. The demo
    /// turns it on.
    pub public_readyz_detail: bool,
}

impl Default for AccessConfig {
    fn default() -> Self {
        Self {
            anonymous_scopes: String::new(),
            require_key: false,
            introspection: ["anonymous", "partner", "analyst", "admin"]
                .map(String::from)
                .to_vec(),
            persisted_queries_only: false,
            public_readyz_detail: false,
        }
    }
}

/// A token bucket per caller.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Tokens a caller's bucket holds (default 120; 0 turns rate limiting off). A request takes
    /// one to be admitted, and each adapter call it made past the first afterwards (the
    /// bucket may go into debt: the caller's next request then waits).
    pub capacity: u32,
    /// Requests added back per second (default 20).
    pub refill_per_second: f64,
    /// Share the buckets through this Redis (`redis://127.0.0.1:6379`) so that several gateway
    /// instances enforce one limit; default: in memory, per instance.
    pub redis_url: Option<String>,
    /// The header a trusted reverse proxy puts the client's address in (`x-forwarded-for`).
    /// Only when set is it read, and then only its rightmost address (the one the proxy
    /// appended); default none: anonymous callers are counted by their TCP peer address.
    pub trusted_proxy_header: Option<String>,
    /// Failed key attempts (unknown, malformed, revoked or expired keys) one client address
    /// may make per minute before its requests with a key get 429 without the key being
    /// looked up (default 10; 0 turns the limit off).
    pub failed_auth_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            capacity: 120,
            refill_per_second: 20.0,
            redis_url: None,
            trusted_proxy_header: None,
            failed_auth_per_minute: 10,
        }
    }
}

/// People are linked across providers by a keyed hash (HMAC-SHA-256) of their NIK, computed
/// inside the adapters, so the raw NIK never leaves the adapter that holds it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityConfig {
    /// The key of those hashes (at least 16 characters). It is given to every plugin whose
    /// config schema has an `identity_secret` field, unless the provider's config sets one.
    /// Without it, people are not linked across providers. Keep it secret and stable: person
    /// ids change when it changes. Set it from the environment: `SIMPUL__IDENTITY__SECRET`.
    pub secret: Option<String>,
}

fn default_listen() -> SocketAddr {
    DEFAULT_LISTEN.parse().expect("constant address")
}

/// Bounds on what one request may ask for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest `first`/`last`/`limit` (default 100). Larger values get `BAD_USER_INPUT`.
    pub max_page_size: usize,
    /// Page size when a list field gets neither `first` nor `last` (default 20).
    pub default_page_size: usize,
    /// Deepest selection set allowed (default 12); deeper queries get `LIMIT_EXCEEDED`.
    /// Introspection's type nesting (`ofType` chains) is bounded on its own (`http/depth.rs`).
    pub max_depth: usize,
    /// Highest query complexity allowed (default 5000; each field counts 1, lists count
    /// their page size times their children).
    pub max_complexity: usize,
    /// Longest time one GraphQL request may run, in milliseconds (default 30000); longer
    /// requests get HTTP 504 with `REQUEST_TIMEOUT`.
    pub request_timeout_ms: u64,
    /// How long the loader of relations waits to gather the keys of one nesting level into one
    /// adapter call, in milliseconds (default 2). Longer windows batch more reliably on a busy
    /// machine and add that much latency per level.
    pub batch_window_ms: u64,
    /// Most aliased fields in one query (default 100).
    pub max_aliases: usize,
    /// Largest request body in bytes (default 1 MiB); larger bodies get 413.
    pub max_body_bytes: usize,
    /// Smallest group an aggregate shows (default 5): smaller groups are withheld, so that an
    /// answer cannot single out a person, and so is a whole answer whose filter selects fewer
    /// records, or leaves out fewer of those the caller can see (README, "Privacy model").
    /// 0 or 1 shows every group.
    pub min_cell_size: u64,
    /// Largest `offset` (default 10000); deeper pages go by cursor.
    pub max_offset: usize,
    /// Most records read to serve `last` without `before`, or to find a cursor's record
    /// after the data moved (default 10000).
    pub max_window: usize,
    /// Most related records a filter through a relation may match (default 10000): their
    /// keys become the list the providers are asked with. More is `BAD_USER_INPUT`.
    pub max_relation_keys: usize,
    /// Most nodes in one `where` (default 200): each comparison and each `_and`, `_or`, `_not`
    /// and relation condition counts one. More is `BAD_USER_INPUT`. Sources have limits of
    /// their own on a statement's size and depth, and reaching those is the caller's doing,
    /// not the provider's failure.
    pub max_filter_nodes: usize,
    /// Most literal values in one `where` (default 2000): a comparison's value counts one, an
    /// `_in`/`_nin` list each of its items (one list takes at most 1000). More is
    /// `BAD_USER_INPUT`.
    pub max_filter_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_page_size: 100,
            default_page_size: 20,
            max_depth: 12,
            max_complexity: 5000,
            request_timeout_ms: 30_000,
            batch_window_ms: 2,
            min_cell_size: 5,
            max_offset: 10_000,
            max_window: 10_000,
            max_relation_keys: 10_000,
            max_filter_nodes: 200,
            max_filter_values: 2000,
            max_aliases: 100,
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// One provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Provider key: the namespace of its global ids (`spn`). Default: the plugin's own key.
    pub key: Option<String>,
    /// The plugin library: a path (relative to the config file), or a bare crate name such as
    /// `simpul_adapter_spn`, looked up beside the `simpul` executable.
    pub library: String,
    /// Refuse to start when this provider cannot be loaded (default false: serve the others).
    #[serde(default)]
    pub required: bool,
    /// Deadline for one call to the adapter, in milliseconds (default 5000). It covers the wait
    /// for a call slot (see `max_concurrency`) and the call itself.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Most calls in flight to this provider at once (default 16); more wait, up to the
    /// deadline, then fail with `PROVIDER_TIMEOUT`.
    #[serde(default = "default_max_concurrency")]
    pub max_concurrency: usize,
    /// Threads that hand calls to the plugin (default 4): how many calls may be inside the
    /// plugin's `call` function at once. A plugin that blocks there holds only these.
    #[serde(default = "default_call_threads")]
    pub call_threads: usize,
    /// The largest answer accepted from the plugin, in bytes (default 64 MiB); a larger one
    /// fails the call with `PROVIDER_ERROR`.
    #[serde(default = "default_max_response_bytes")]
    pub max_response_bytes: u64,
    /// How messages cross the plugin boundary: `"json"` or `"msgpack"`, which the plugin's
    /// manifest must list. Default: the first of the plugin's `encodings` the gateway speaks
    /// (MessagePack for plugins built with the Rust SDK, JSON for most others).
    #[serde(default, deserialize_with = "encoding")]
    pub encoding: Option<simpul_plugin::Encoding>,
    /// When to try a failed call again.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// When to stop calling a failing provider for a while.
    #[serde(default)]
    pub breaker: BreakerPolicy,
    /// Push filters, orders, paging and aggregates down to the adapter as far as its declared
    /// capabilities allow (default true). `false` makes the engine ask for plain records and do
    /// all of it itself: slower, with the same answers; useful to check an adapter.
    #[serde(default = "default_pushdown")]
    pub pushdown: bool,
    /// Let the adapter compute the aggregates it declares (default true). `false` makes the
    /// engine summarise the provider's records itself, read page by page as from an adapter
    /// that declares no aggregates (filters, orders and lookups are still pushed down): to
    /// check an adapter's aggregates, or to measure the engine's own path.
    #[serde(default = "default_pushdown")]
    pub aggregate_pushdown: bool,
    /// Append every call the gateway makes to this adapter (request, answer or error code,
    /// duration, time, provider key, adapter name and version) to this file, one JSON line
    /// each, for `simpul adapter replay` (a path, relative to the config file). Default: off.
    /// Answers asked for with `includePii` hold personal data in clear: the file is created
    /// with mode 0600 and must be kept like any other store of personal data. Recording never
    /// blocks or fails a call: lines the writer cannot keep up with are dropped and counted.
    #[serde(default)]
    pub record: Option<PathBuf>,
    /// Keep this provider's answers in the shared cache tier (`[cache]`; default true).
    /// Answers with personal data in clear are never kept, whatever this says.
    #[serde(default = "default_shared_cache")]
    pub shared_cache: bool,
    /// The adapter's config, validated against the plugin's config schema.
    #[serde(default = "empty_table")]
    pub config: toml::Value,
}

fn encoding<'de, D>(deserializer: D) -> Result<Option<simpul_plugin::Encoding>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let name = String::deserialize(deserializer)?;
    simpul_plugin::Encoding::from_name(&name)
        .map(Some)
        .ok_or_else(|| {
            let known: Vec<&str> = simpul_plugin::Encoding::ALL
                .iter()
                .map(|e| e.name())
                .collect();
            serde::de::Error::custom(format!(
                "unknown encoding \"{name}\"; this gateway speaks {}",
                known.join(", ")
            ))
        })
}

fn default_pushdown() -> bool {
    true
}

fn default_shared_cache() -> bool {
    true
}

fn default_max_concurrency() -> usize {
    16
}

fn default_call_threads() -> usize {
    simpul_plugin::host::HostSettings::default().call_threads
}

fn default_max_response_bytes() -> u64 {
    simpul_plugin::host::HostSettings::default().max_payload_bytes
}

/// Retries of a failed adapter call. Only failures that another attempt may cure are retried
/// (the source unavailable, the call cancelled; timeouts when `on_timeout`); never a panic or
/// a rejected request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 2; 1 = no retry).
    pub max_attempts: u32,
    /// Wait before the second attempt, doubled for each later one, in milliseconds (default 50).
    pub backoff_ms: u64,
    /// Also retry calls that ran past their deadline (default false: a slow provider is
    /// usually still slow).
    pub on_timeout: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 2,
            backoff_ms: 50,
            on_timeout: false,
        }
    }
}

/// The circuit breaker: closed → open after `failure_threshold` failures in a row → after
/// `open_ms`, half-open: one probe call; its success closes the breaker, its failure opens it
/// again. While open, calls fail at once with `PROVIDER_UNAVAILABLE`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BreakerPolicy {
    /// Consecutive failed calls that open the breaker (default 5).
    pub failure_threshold: u32,
    /// How long it stays open before a probe, in milliseconds (default 10000).
    pub open_ms: u64,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        Self {
            failure_threshold: 5,
            open_ms: 10_000,
        }
    }
}

fn default_timeout_ms() -> u64 {
    5000
}

fn empty_table() -> toml::Value {
    toml::Value::Table(toml::Table::new())
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is malformed or does not fit.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The file (or `<embedded default>`).
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// An environment override is malformed.
    #[error("environment variable {name}: {message}")]
    Env {
        /// The variable.
        name: String,
        /// Why.
        message: String,
    },
}

impl Config {
    /// Read a TOML file, apply `SIMPUL__*` overrides from `env`, and resolve relative paths
    /// against the file's directory.
    pub fn load(
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        // `simpul.toml` has the empty parent: relative paths in it are the working directory's
        // (`./plugin.so`), not names for the system loader to search for.
        let base = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Self::parse(&text, path, &base, env)
    }

    /// Parse TOML text (`origin` names it in errors), apply overrides, resolve relative paths
    /// against `base`.
    pub fn parse(
        text: &str,
        origin: &Path,
        base: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let parse_error = |message: String| ConfigError::Parse {
            path: origin.to_owned(),
            message,
        };
        let mut value: toml::Value =
            toml::from_str(text).map_err(|e| parse_error(e.to_string()))?;
        for (name, raw) in env {
            if let Some(path) = name.strip_prefix("SIMPUL__") {
                apply_override(&mut value, path, &raw).map_err(|message| ConfigError::Env {
                    name: name.clone(),
                    message,
                })?;
            }
        }
        let mut config: Config = value
            .try_into()
            .map_err(|e: toml::de::Error| parse_error(e.to_string()))?;
        if config.store.url.is_none() {
            let file = base.join("simpul-store.sqlite");
            config.store.url = Some(format!("sqlite://{}?mode=rwc", file.display()));
        }
        for provider in &mut config.providers {
            if looks_like_path(&provider.library) && Path::new(&provider.library).is_relative() {
                provider.library = base.join(&provider.library).to_string_lossy().into_owned();
            }
            if let Some(record) = provider.record.as_mut().filter(|r| r.is_relative()) {
                *record = base.join(&*record);
            }
        }
        Ok(config)
    }
}

/// Apply the `SIMPUL__*` overrides in `env` to a parsed config file, as [`Config::parse`]
/// does (for checks that look at the file's values before they are typed).
pub fn apply_env_overrides(
    value: &mut toml::Value,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(), ConfigError> {
    for (name, raw) in env {
        if let Some(path) = name.strip_prefix("SIMPUL__") {
            apply_override(value, path, &raw).map_err(|message| ConfigError::Env {
                name: name.clone(),
                message,
            })?;
        }
    }
    Ok(())
}

/// The file a provider's `library` setting names, for a config file in `base`: a relative
/// path against `base`, as [`Config::parse`] resolves it, then [`resolve_library`].
pub fn provider_library_path(library: &str, base: &Path) -> PathBuf {
    if looks_like_path(library) && Path::new(library).is_relative() {
        resolve_library(&base.join(library).to_string_lossy())
    } else {
        resolve_library(library)
    }
}

fn looks_like_path(library: &str) -> bool {
    library.contains('/') || library.contains('\\') || library.contains('.')
}

/// Resolve a provider's `library` setting to a file: paths as they are; bare names to the
/// platform's library file name beside the running executable (or one directory up, where
/// cargo puts libraries when the executable is a test binary in `deps/`).
pub fn resolve_library(library: &str) -> PathBuf {
    if looks_like_path(library) {
        return PathBuf::from(library);
    }
    let file = simpul_plugin::host::library_file_name(library);
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    if let Some(dir) = exe_dir {
        for candidate in [dir.join(&file), dir.join("..").join(&file)] {
            if candidate.exists() {
                return candidate;
            }
        }
        return dir.join(&file);
    }
    PathBuf::from(file)
}

fn apply_override(root: &mut toml::Value, path: &str, raw: &str) -> Result<(), String> {
    let segments: Vec<String> = path.split("__").map(str::to_lowercase).collect();
    if segments.iter().any(String::is_empty) {
        return Err("empty segment in the variable name".into());
    }
    let value = parse_scalar(raw);
    let mut node = root;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        node = match node {
            toml::Value::Table(table) => {
                if last {
                    table.insert(segment.clone(), value);
                    return Ok(());
                }
                table
                    .entry(segment.clone())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            }
            toml::Value::Array(items) => {
                let index: usize = segment
                    .parse()
                    .map_err(|_| format!("`{segment}` is not a list index"))?;
                let len = items.len();
                let item = items
                    .get_mut(index)
                    .ok_or_else(|| format!("index {index} is past the list's {len} entries"))?;
                if last {
                    *item = value;
                    return Ok(());
                }
                item
            }
            _ => {
                return Err(format!(
                    "`{segment}` is inside a value that is not a table or list"
                ))
            }
        };
    }
    Ok(())
}

fn parse_scalar(raw: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
        [[providers]]
        key = "spn"
        library = "plugins/libspn.so"
        [providers.config]
        data_dir = "demo"
    "#;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_and_relative_paths() {
        let c = Config::parse(
            SAMPLE,
            Path::new("simpul.toml"),
            Path::new("/etc/simpul"),
            env(&[]),
        )
        .unwrap();
        assert_eq!(c.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(c.providers[0].library, "/etc/simpul/plugins/libspn.so");
        assert_eq!(c.providers[0].record, None);
        let recorded = Config::parse(
            &SAMPLE.replace(
                "[providers.config]",
                "record = \"rec/spn.jsonl\"\n[providers.config]",
            ),
            Path::new("simpul.toml"),
            Path::new("/etc/simpul"),
            env(&[]),
        )
        .unwrap();
        assert_eq!(
            recorded.providers[0].record.as_deref(),
            Some(Path::new("/etc/simpul/rec/spn.jsonl"))
        );
        assert_eq!(c.providers[0].timeout_ms, 5000);
        assert_eq!(c.limits.max_page_size, 100);
    }

    #[test]
    fn environment_overrides() {
        let c = Config::parse(
            SAMPLE,
            Path::new("simpul.toml"),
            Path::new("."),
            env(&[
                ("SIMPUL__LISTEN", "127.0.0.1:9999"),
                ("SIMPUL__LIMITS__MAX_PAGE_SIZE", "7"),
                ("SIMPUL__PROVIDERS__0__CONFIG__DATA_DIR", "/srv/spn"),
                ("SIMPUL__PROVIDERS__0__REQUIRED", "true"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen.port(), 9999);
        assert_eq!(c.limits.max_page_size, 7);
        assert!(c.providers[0].required);
        assert_eq!(c.providers[0].config["data_dir"].as_str(), Some("/srv/spn"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = Config::parse(
            "listen = [",
            Path::new("bad.toml"),
            Path::new("."),
            env(&[]),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("bad.toml:"), "{text}");
        assert!(text.contains("line 1"), "{text}");
        let err = Config::parse(
            "colour = 1",
            Path::new("bad.toml"),
            Path::new("."),
            env(&[]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");
        let err = Config::parse(
            SAMPLE,
            Path::new("a.toml"),
            Path::new("."),
            env(&[("SIMPUL__PROVIDERS__5__KEY", "x")]),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("SIMPUL__PROVIDERS__5__KEY"),
            "{err}"
        );
    }
}
