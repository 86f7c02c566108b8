//! Who is calling and what they may read: API keys from the store, roles and scopes, the
//! per-caller rate limit, and the audit trail of what was read.
//!
//! ```text
//! Authorization: Bearer smp_…   or   X-Api-Key: smp_…   (none: the anonymous caller)
//!        │  Access::admit: key checked (401 unknown/revoked/expired), rate limit (429)
//!        │  identifiers: no NIK or KPJ literal anywhere in the document
//!        ▼
//!   Caller { principal, trail } in the GraphQL request
//!        │  may_read / require: FORBIDDEN without the scope; partners see only their provider
//!        │  guard: the same inside filters and orders through relations
//!        ▼
//!   engine (personal data in clear only with pii:read and a personal field selected)
//!        ──► trail ──► one audit row per response with personal data, aggregate or lookup
//! ```
//!
//! | role | may read |
//! |---|---|
//! | anonymous | the public catalogue (providers, regions, centres, courses, runs), plus `[access] anonymous_scopes` |
//! | partner | + participants and enrolments of its own provider (masked) |
//! | analyst | + aggregates and pseudonymous person ids (`identity:link`), no personal data |
//! | admin | everything, personal data in clear (audited) |

pub mod apq;
mod guard;
pub mod identifiers;
mod personal;
mod trail;

use std::net::IpAddr;
use std::time::Duration;

use async_graphql::Context;
use axum::http::{header, HeaderMap, StatusCode};
use simpul_schema::Collection;
use simpul_store::{
    AuthError, Bucket, Principal, RateError, RateLimiter, Role, Scope, Scopes, Store,
};

pub use guard::{check_filter, guard, restrict};
pub use personal::{selects_personal_data, PERSONAL_FIELDS};
pub use trail::AuditTrail;

use crate::config::Config;
use crate::graphql::error::coded;

/// The gateway's access rules and the store behind them.
pub struct Access {
    /// The store: keys, audit log, persisted queries.
    pub store: Store,
    limiter: Option<RateLimiter>,
    /// Failed key attempts per client address.
    failed_auth: Option<RateLimiter>,
    trusted_proxy_header: Option<String>,
    /// Show `/readyz`'s detail to callers without an admin key.
    pub public_readyz_detail: bool,
    anonymous: Principal,
    require_key: bool,
    introspection: Vec<Role>,
    /// Accept only registered queries.
    pub persisted_queries_only: bool,
    /// Automatically persisted queries (APQ), shared through `[cache] redis_url`.
    pub apq: apq::ApqRegistry,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("anonymous", &self.anonymous.scopes.to_string())
            .field("require_key", &self.require_key)
            .finish_non_exhaustive()
    }
}

/// Why a request is refused before it runs.
#[derive(Debug)]
pub struct Denied {
    /// HTTP status.
    pub status: StatusCode,
    /// `extensions.code`.
    pub code: &'static str,
    /// What to tell the caller (never the key).
    pub message: String,
    /// When to come back (rate limit).
    pub retry_after: Option<Duration>,
}

impl Denied {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }
}

/// Why access cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The store cannot be opened.
    #[error("cannot open the store at {url}: {source}")]
    Store {
        /// Where (credentials removed).
        url: String,
        /// Why.
        source: simpul_store::Error,
    },
    /// A setting is wrong.
    #[error("{0}")]
    Config(String),
    /// The shared rate limiter cannot reach Redis.
    #[error("cannot reach the rate limiter's Redis at {url}: {source}")]
    Redis {
        /// Where.
        url: String,
        /// Why.
        source: RateError,
    },
}

impl Access {
    /// Open the store and set up the limiter from the config.
    pub async fn open(config: &Config) -> Result<Self, AccessError> {
        let url = config.store.url.clone().unwrap_or_default();
        let store = Store::connect(&url)
            .await
            .map_err(|source| AccessError::Store {
                url: redact(&url),
                source,
            })?;
        let scopes: Scopes = config
            .access
            .anonymous_scopes
            .parse()
            .map_err(|e| AccessError::Config(format!("[access] anonymous_scopes: {e}")))?;
        if scopes.contains(Scope::PiiRead)
            || scopes.contains(Scope::PiiSpecific)
            || scopes.contains(Scope::Admin)
        {
            return Err(AccessError::Config(
                "[access] anonymous_scopes: personal data and administration need a key".into(),
            ));
        }
        let mut anonymous = Principal::anonymous();
        anonymous.scopes = scopes;
        let introspection = config
            .access
            .introspection
            .iter()
            .map(|r| {
                r.parse::<Role>()
                    .map_err(|e| AccessError::Config(format!("[access] introspection: {e}")))
            })
            .collect::<Result<_, _>>()?;
        let rate = &config.rate_limit;
        let limiter = match rate.capacity {
            0 => None,
            n => Some(bucket(rate, n, rate.refill_per_second, "[rate_limit]").await?),
        };
        let failed_auth = match rate.failed_auth_per_minute {
            0 => None,
            n => Some(
                bucket(
                    rate,
                    n,
                    f64::from(n) / 60.0,
                    "[rate_limit] failed_auth_per_minute",
                )
                .await?,
            ),
        };
        let trusted_proxy_header = match &rate.trusted_proxy_header {
            None => None,
            Some(name) => Some(
                axum::http::HeaderName::from_bytes(name.trim().as_bytes())
                    .map_err(|_| {
                        AccessError::Config(format!(
                            "[rate_limit] trusted_proxy_header: `{name}` is not a header name"
                        ))
                    })?
                    .as_str()
                    .to_owned(),
            ),
        };
        let apq = apq::ApqRegistry::new(&config.cache)
            .map_err(|e| AccessError::Config(format!("[cache] redis_url: {e}")))?;
        apq.connect(Duration::from_secs(1)).await;
        Ok(Self {
            apq,
            store,
            limiter,
            failed_auth,
            trusted_proxy_header,
            public_readyz_detail: config.access.public_readyz_detail,
            anonymous,
            require_key: config.access.require_key,
            introspection,
            persisted_queries_only: config.access.persisted_queries_only,
        })
    }

    /// Check the request's key and the caller's rate limit. `client` is the caller's address
    /// (the HTTP layer's `ClientAddr`): anonymous callers have a bucket per address, and a
    /// request with a key from an address that failed too many key attempts is refused (429)
    /// before its key is looked up.
    pub async fn admit(
        &self,
        headers: &HeaderMap,
        client: Option<IpAddr>,
    ) -> Result<Principal, Denied> {
        let address = address_key(client);
        if headers.contains_key(header::AUTHORIZATION) || headers.contains_key("x-api-key") {
            self.check_failed_attempts(&address).await?;
        }
        let presented = match presented_key(headers) {
            Ok(presented) => presented,
            Err(denied) => {
                self.count_failed_attempt(&address).await;
                return Err(denied);
            }
        };
        let principal = match presented {
            None if self.require_key => {
                return Err(Denied::new(
                    StatusCode::UNAUTHORIZED,
                    "UNAUTHENTICATED",
                    "this gateway needs an API key (Authorization: Bearer … or X-Api-Key)",
                ))
            }
            None => self.anonymous.clone(),
            Some(key) => match self.store.keys().authenticate(key).await {
                Ok(principal) => principal,
                Err(e) => {
                    let code = match e {
                        AuthError::Malformed | AuthError::Unknown => "UNAUTHENTICATED",
                        AuthError::Revoked => "KEY_REVOKED",
                        AuthError::Expired => "KEY_EXPIRED",
                        _ => {
                            tracing::error!(error = %e, "cannot check an API key");
                            return Err(Denied::new(
                                StatusCode::SERVICE_UNAVAILABLE,
                                "STORE_UNAVAILABLE",
                                "the gateway's store is unavailable; try again shortly",
                            ));
                        }
                    };
                    self.count_failed_attempt(&address).await;
                    return Err(Denied::new(StatusCode::UNAUTHORIZED, code, e.to_string()));
                }
            },
        };
        if let Some(limiter) = &self.limiter {
            let bucket = bucket_of(&principal, client);
            if let Err(e) = limiter.check(&bucket).await {
                return Err(limited(e, "too many requests"));
            }
        }
        Ok(principal)
    }

    /// Charge a request's cost beyond the token its admission took (`extra`: the adapter calls
    /// it made past the first). Never refuses: the bucket may go into debt, and the caller's
    /// next request waits until it is back above one token.
    pub async fn spend(&self, principal: &Principal, client: Option<IpAddr>, extra: u32) {
        let Some(limiter) = &self.limiter else {
            return;
        };
        if let Err(e) = limiter.spend(&bucket_of(principal, client), extra).await {
            tracing::error!(error = %e, "cannot charge a request's cost to its rate limit");
        }
    }

    /// The header a trusted proxy puts the client's address in, when configured.
    pub fn trusted_proxy_header(&self) -> Option<&str> {
        self.trusted_proxy_header.as_deref()
    }

    /// 429 when `address` failed too many key attempts lately.
    async fn check_failed_attempts(&self, address: &str) -> Result<(), Denied> {
        let Some(limiter) = &self.failed_auth else {
            return Ok(());
        };
        limiter
            .peek(&format!("failed-auth:{address}"))
            .await
            .map_err(|e| limited(e, "too many failed key attempts from this address"))
    }

    /// Count a failed key attempt against `address`.
    async fn count_failed_attempt(&self, address: &str) {
        if let Some(limiter) = &self.failed_auth {
            if let Err(e) = limiter.spend(&format!("failed-auth:{address}"), 1).await {
                tracing::error!(error = %e, "cannot count a failed key attempt");
            }
        }
    }

    /// Whether this role may use introspection.
    pub fn may_introspect(&self, role: Role) -> bool {
        self.introspection.contains(&role)
    }
}

/// A refusal by a rate limiter: 429 with `Retry-After`, or 503 when the limiter cannot be
/// asked (fail closed: a limit that cannot be checked is not waived).
fn limited(error: RateError, what: &str) -> Denied {
    match error {
        RateError::Limited { retry_after } => {
            let mut denied = Denied::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                format!("{what}: try again in {} ms", retry_after.as_millis()),
            );
            denied.retry_after = Some(retry_after);
            denied
        }
        e => {
            tracing::error!(error = %e, "rate limiter unavailable");
            Denied::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "RATE_LIMITER_UNAVAILABLE",
                "the rate limiter is unavailable; try again shortly",
            )
        }
    }
}

/// The rate-limit bucket of a request: its key's id, or `anon:<address>` for anonymous callers.
fn bucket_of(principal: &Principal, client: Option<IpAddr>) -> String {
    match &principal.key_id {
        Some(id) => id.clone(),
        None => format!("anon:{}", address_key(client)),
    }
}

/// How an address is counted: IPv4 (and IPv4-mapped IPv6) as is, IPv6 by its /64 (one
/// customer's network), `unknown` without one.
fn address_key(client: Option<IpAddr>) -> String {
    match client.map(|ip| ip.to_canonical()) {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => {
            let s = ip.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// A token bucket of `capacity` refilled at `per_second`, in memory or shared through the
/// configured Redis; `setting` names it in errors.
async fn bucket(
    rate: &crate::config::RateLimitConfig,
    capacity: u32,
    per_second: f64,
    setting: &str,
) -> Result<RateLimiter, AccessError> {
    let bucket = Bucket::new(capacity, per_second)
        .map_err(|e| AccessError::Config(format!("{setting}: {e}")))?;
    Ok(match &rate.redis_url {
        Some(url) => {
            RateLimiter::redis(url, bucket)
                .await
                .map_err(|source| AccessError::Redis {
                    url: redact(url),
                    source,
                })?
        }
        None => RateLimiter::memory(bucket),
    })
}

/// The key in `Authorization: Bearer …` or `X-Api-Key`, if any.
fn presented_key(headers: &HeaderMap) -> Result<Option<&str>, Denied> {
    let bad = || {
        Denied::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "the Authorization header must be `Bearer <key>`",
        )
    };
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| bad())?;
        let key = value.strip_prefix("Bearer ").ok_or_else(bad)?;
        return Ok(Some(key.trim()));
    }
    match headers.get("x-api-key") {
        Some(value) => Ok(Some(value.to_str().map_err(|_| bad())?.trim())),
        None => Ok(None),
    }
}

/// A URL without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The caller of one GraphQL request.
#[derive(Debug)]
pub struct Caller {
    /// Who.
    pub principal: Principal,
    /// The personal data read in clear so far.
    pub trail: AuditTrail,
}

impl Caller {
    /// A caller with this principal and an empty trail.
    pub fn new(principal: Principal) -> Self {
        Self {
            principal,
            trail: AuditTrail::default(),
        }
    }
}

/// The caller of the request being resolved (anonymous without scopes when the request was
/// not admitted through HTTP).
pub fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    static NOBODY: std::sync::OnceLock<Caller> = std::sync::OnceLock::new();
    match ctx.data_opt::<std::sync::Arc<Caller>>() {
        Some(caller) => caller,
        None => NOBODY.get_or_init(|| Caller::new(Principal::anonymous())),
    }
}

/// Fail with `FORBIDDEN` unless the caller holds `scope`.
pub fn require(ctx: &Context<'_>, scope: Scope, what: &str) -> async_graphql::Result<()> {
    if caller(ctx).principal.has_scope(scope) {
        Ok(())
    } else {
        Err(crate::graphql::error::needs_scope(what, scope.as_str()))
    }
}

/// The scope that reading records of a collection needs, if any (the catalogue needs none).
pub fn scope_for(collection: Collection) -> Option<Scope> {
    match collection {
        Collection::Participants => Some(Scope::ParticipantRead),
        Collection::Enrollments => Some(Scope::EnrollmentRead),
        Collection::Outcomes => Some(Scope::OutcomeRead),
        // Who holds which certificate is about a person, as the unified model says.
        Collection::CredentialAwards => Some(Scope::ParticipantRead),
        Collection::TrainingCenters
        | Collection::Courses
        | Collection::CourseRuns
        | Collection::Partnerships
        | Collection::Programs => None,
    }
}

/// Fail with `FORBIDDEN` unless the caller may read records of `collection` at `provider`.
pub fn may_read(
    ctx: &Context<'_>,
    collection: Collection,
    provider: Option<&str>,
) -> async_graphql::Result<()> {
    let Some(scope) = scope_for(collection) else {
        return Ok(());
    };
    require(ctx, scope, collection.type_name())?;
    let principal = &caller(ctx).principal;
    match (provider, &principal.provider) {
        (Some(asked), Some(own)) if asked != own => Err(coded(
            "FORBIDDEN",
            format!(
                "{} records of `{asked}` are not visible to this key",
                collection.type_name()
            ),
        )),
        _ => Ok(()),
    }
}
