//! HTTP to the Vokasi API: the `X-API-Key` header, a deadline per request, retries with
//! exponential backoff and jitter (5xx, 429 honouring `Retry-After`, connection failures; never
//! other 4xx), bounded concurrency, and walking `page`/`per_page` lists.
//!
//! Nothing here logs or returns a URL: `GET /v1/peserta/{kpj}` carries a KPJ in its path, so
//! messages name [`Endpoint`] templates, and transport errors are stripped of their URL.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::config::BpjamsostekConfig;
use crate::error::{Endpoint, Error};
use crate::log::Log;
use crate::page::{Items, NotAPage, Page};
use crate::wire;

/// The header the API key travels in.
pub const API_KEY_HEADER: &str = "X-API-Key";

/// A list claiming more pages than this is treated as a broken answer (100 × 100 000 records).
pub const MAX_PAGES: u64 = 100_000;

/// When and how long to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First delay.
    pub base: Duration,
    /// Longest delay, and the longest `Retry-After` honoured.
    pub max: Duration,
}

impl RetryPolicy {
    /// The delay before retry number `retry` (0-based): `base · 2^retry` capped at `max`, minus
    /// a jitter of up to half of it (`jitter` in `[0, 1)`), so clients that failed together do
    /// not retry together.
    pub fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(30));
        let full = self.base.saturating_mul(factor).min(self.max);
        full.mul_f64(1.0 - jitter.clamp(0.0, 1.0) / 2.0)
    }
}

/// Every item of a list endpoint, all pages walked.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The items, in page order, as the API sent them (each one JSON value).
    pub items: Items,
    /// `meta.total` of the first page (trusted for counts).
    pub total: u64,
    /// Inconsistencies noticed while paging (no personal data).
    pub problems: Vec<String>,
    /// Each item's id, once a lookup has peeked at them (the id field's name, then one entry
    /// per item): the calls of one request that share this list peek once.
    pub ids: std::sync::OnceLock<(String, Vec<Option<String>>)>,
}

/// A client of one API instance. Cheap to clone (shared connection pool and limits).
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    /// `base_url`, parsed once (a request's URL is this one with its path extended).
    base: reqwest::Url,
    key: HeaderValue,
    timeout: Duration,
    retry: RetryPolicy,
    page_size: u32,
    permits: Semaphore,
    rng: Mutex<StdRng>,
    log: Log,
}

/// What one attempt came to.
enum Attempt<T> {
    Done(T),
    Fail(Error),
    RateLimited(Option<Duration>),
    ServerError(u16, Option<Duration>),
    Connection(String),
}

impl Client {
    /// A client for `config`.
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid config or a key that cannot be an HTTP header value.
    pub fn new(config: &BpjamsostekConfig, log: Log) -> Result<Self, Error> {
        config.validate()?;
        let mut key = HeaderValue::from_str(config.api_key.trim()).map_err(|_| {
            Error::Config("`api_key` has characters an HTTP header cannot carry".into())
        })?;
        key.set_sensitive(true);
        let base = reqwest::Url::parse(config.base_url.trim())
            .map_err(|e| Error::Config(format!("`base_url` is not a URL: {e}")))?;
        let timeout = Duration::from_millis(config.timeout_ms);
        let http = reqwest::Client::builder()
            .user_agent(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            ))
            .connect_timeout(timeout)
            // A redirect could carry the key to another host; the API never redirects.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                key,
                timeout,
                retry: RetryPolicy {
                    max_retries: config.max_retries,
                    base: Duration::from_millis(config.backoff_base_ms),
                    max: Duration::from_millis(config.backoff_max_ms),
                },
                page_size: config.page_size,
                permits: Semaphore::new(config.max_concurrency.max(1) as usize),
                rng: Mutex::new(StdRng::seed_from_u64(seed)),
                log,
            }),
        })
    }

    /// The page size in use.
    pub fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    /// `GET path?query` as JSON, with retries.
    ///
    /// # Errors
    /// See [`Error`]: 401/403/other 4xx at once; 5xx, 429 and connection failures after the
    /// retries; a missed deadline at once.
    pub async fn get_json(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Value, Error> {
        self.get(endpoint, path, query, "").await
    }

    /// `GET path?query` decoded straight from the body into `T`, with retries as
    /// [`Client::get_json`]. A body that is JSON but not a `T` fails with `shape` as the reason.
    async fn get<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
        shape: &'static str,
    ) -> Result<T, Error> {
        self.fetch(endpoint, path, query, |body| {
            serde_json::from_slice(body).map_err(|e| {
                match serde_json::from_slice::<IgnoredAny>(body) {
                    Ok(_) => shape.to_owned(),
                    Err(_) => format!("not JSON ({e})"),
                }
            })
        })
        .await
    }

    /// `GET path?query` with retries, its 2xx body read by `decode` (whose error is the
    /// reason of an [`Error::Decode`]).
    async fn fetch<T>(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
        decode: impl Fn(&[u8]) -> Result<T, String>,
    ) -> Result<T, Error> {
        let url = self.url(path);
        let policy = self.inner.retry;
        let mut attempts: u32 = 0;
        loop {
            attempts += 1;
            let last = attempts > policy.max_retries;
            let (wait, why) = match self.attempt(endpoint, &url, query, &decode).await {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(e) => return Err(e),
                Attempt::RateLimited(asked) => {
                    let too_long = asked.is_some_and(|d| d > policy.max);
                    if last || too_long {
                        return Err(Error::RateLimited {
                            endpoint,
                            attempts,
                            retry_after_ms: asked.map_or(0, |d| d.as_millis() as u64),
                        });
                    }
                    let wait = asked.unwrap_or_else(|| self.backoff(attempts - 1));
                    (wait, "HTTP 429".to_owned())
                }
                Attempt::ServerError(status, asked) => {
                    if last {
                        return Err(Error::Unavailable {
                            endpoint,
                            status,
                            attempts,
                        });
                    }
                    let wait = asked
                        .filter(|d| *d <= policy.max)
                        .unwrap_or_else(|| self.backoff(attempts - 1));
                    (wait, format!("HTTP {status}"))
                }
                Attempt::Connection(reason) => {
                    if last {
                        return Err(Error::Transport {
                            endpoint,
                            attempts,
                            reason,
                        });
                    }
                    (self.backoff(attempts - 1), "connection failed".to_owned())
                }
            };
            self.inner.log.info(&format!(
                "{endpoint}: {why}; retry {attempts} of {} in {} ms",
                policy.max_retries,
                wait.as_millis()
            ));
            tokio::time::sleep(wait).await;
        }
    }

    /// The base URL with `path` appended to its own path: no parse of a whole URL per call
    /// (the host's IDNA processing was 1 % of a request's instructions). A `?` or `#` in
    /// `path` is percent-encoded, never read as a query or fragment.
    fn url(&self, path: &str) -> reqwest::Url {
        let mut url = self.inner.base.clone();
        let joined = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }

    /// Every item of a list endpoint: page 1 first (to learn `totalPages`), then the other
    /// pages concurrently (within `max_concurrency`), reassembled in page order.
    ///
    /// # Errors
    /// The first page or any later page fails (see [`Client::get_json`]), or a page is not
    /// `{data, meta}`.
    pub async fn list(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: Vec<(&'static str, String)>,
    ) -> Result<Listing, Error> {
        let first = self.page(endpoint, path, &query, 1).await?;
        let (total, pages) = (first.meta.total, first.meta.total_pages);
        if pages > MAX_PAGES {
            return Err(Error::Decode {
                endpoint,
                reason: format!("meta.totalPages is {pages}, more than the {MAX_PAGES} accepted"),
            });
        }
        let mut problems = Vec::new();
        let per_page = u64::from(self.inner.page_size);
        if pages != total.div_ceil(per_page) {
            problems.push(format!(
                "{endpoint}: meta.totalPages {pages} does not fit total {total} at {per_page} per page"
            ));
        }
        let mut rest = tokio::task::JoinSet::new();
        for page in 2..=pages {
            let (me, path, query) = (self.clone(), path.to_owned(), query.clone());
            rest.spawn(async move { (page, me.page(endpoint, &path, &query, page).await) });
        }
        let mut later = BTreeMap::new();
        while let Some(joined) = rest.join_next().await {
            let (page, result) = joined.map_err(|e| Error::Transport {
                endpoint,
                attempts: 1,
                reason: format!("page task failed: {e}"),
            })?;
            later.insert(page, result?);
        }
        let mut items = first.data;
        for (page, body) in later {
            if body.meta.total != total {
                problems.push(format!(
                    "{endpoint}: meta.total changed from {total} to {} while paging (page {page})",
                    body.meta.total
                ));
            }
            items.append(body.data);
        }
        if items.len() as u64 != total {
            problems.push(format!(
                "{endpoint}: {} items served over {pages} page(s), meta.total says {total}",
                items.len()
            ));
        }
        Ok(Listing {
            items,
            total,
            problems,
            ids: std::sync::OnceLock::new(),
        })
    }

    async fn page(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&'static str, String)],
        page: u64,
    ) -> Result<Page, Error> {
        let mut q: Vec<(&str, String)> = query.to_vec();
        q.push(("page", page.to_string()));
        q.push(("per_page", self.inner.page_size.to_string()));
        // Split from the body's bytes: each item's text is kept as it is, to be decoded on its
        // own (straight into its type when it can be).
        self.fetch(endpoint, path, &q, |body| {
            Page::split(body, endpoint.id_field()).map_err(|why| match why {
                NotAPage::NotJson(e) => format!("not JSON ({e})"),
                NotAPage::Shape => {
                    "a page is not `{data: [...], meta: {page, perPage, total, totalPages}}`"
                        .to_owned()
                }
            })
        })
        .await
    }

    fn backoff(&self, retry: u32) -> Duration {
        let jitter = self
            .inner
            .rng
            .lock()
            .map(|mut rng| rng.random::<f64>())
            .unwrap_or(0.5);
        self.inner.retry.delay(retry, jitter)
    }

    async fn attempt<T>(
        &self,
        endpoint: Endpoint,
        url: &reqwest::Url,
        query: &[(&str, String)],
        decode: &impl Fn(&[u8]) -> Result<T, String>,
    ) -> Attempt<T> {
        let Ok(_permit) = self.inner.permits.acquire().await else {
            return Attempt::Connection("the client is shutting down".into());
        };
        let timeout_ms = self.inner.timeout.as_millis() as u64;
        let sent = self
            .inner
            .http
            .get(url.clone())
            .query(query)
            .header(API_KEY_HEADER, self.inner.key.clone())
            .timeout(self.inner.timeout)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Attempt::Fail(Error::Timeout {
                    endpoint,
                    timeout_ms,
                })
            }
            Err(e) => return Attempt::Connection(describe(e)),
        };
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let body = match response.bytes().await {
            Ok(b) => b,
            Err(e) if e.is_timeout() => {
                return Attempt::Fail(Error::Timeout {
                    endpoint,
                    timeout_ms,
                })
            }
            Err(e) => return Attempt::Connection(describe(e)),
        };
        if (200..300).contains(&status) {
            return match decode(&body) {
                Ok(value) => Attempt::Done(value),
                Err(reason) => Attempt::Fail(Error::Decode { endpoint, reason }),
            };
        }
        let detail = error_detail(&body);
        match status {
            401 => Attempt::Fail(Error::Unauthorized { endpoint, detail }),
            403 => Attempt::Fail(Error::Forbidden { endpoint, detail }),
            429 => Attempt::RateLimited(retry_after),
            500..=599 => Attempt::ServerError(status, retry_after),
            _ => Attempt::Fail(Error::Rejected {
                endpoint,
                status,
                detail,
            }),
        }
    }
}

/// A transport error with its causes, without the URL (it may carry a KPJ).
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// `Retry-After` in whole seconds (the contract's form); `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// ` (KODE, trace ID)` from an error body: the code and trace id only, never the free-text
/// message (it could echo request data).
pub fn error_detail(body: &[u8]) -> String {
    let Ok(parsed) = serde_json::from_slice::<wire::ErrorBody>(body) else {
        return String::new();
    };
    let plain = |s: &String| {
        !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let mut parts = Vec::new();
    if let Some(kode) = parsed.error.kode.filter(plain) {
        parts.push(kode);
    }
    if let Some(trace) = parsed.error.trace_id.filter(plain) {
        parts.push(format!("trace {trace}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base_url: &str) -> Result<Client, Error> {
        let config = BpjamsostekConfig::new(base_url, "key", "a-secret-of-16-chars");
        Client::new(&config, Log::default())
    }

    #[test]
    fn a_request_url_is_the_base_with_the_path_appended() {
        let url = |base: &str, path: &str| client(base).unwrap().url(path).to_string();
        assert_eq!(
            url("http://127.0.0.1:8083", "/v1/lembaga-mitra"),
            "http://127.0.0.1:8083/v1/lembaga-mitra"
        );
        assert_eq!(
            url(" https://api.example.id/vokasi/ ", "/v1/peserta/123"),
            "https://api.example.id/vokasi/v1/peserta/123"
        );
        assert_eq!(
            url("http://h.id", "/v1/peserta/1?x#y"),
            "http://h.id/v1/peserta/1%3Fx%23y"
        );
        let Err(Error::Config(why)) = client("http://exa mple.id") else {
            panic!("a base URL that is not one must be refused");
        };
        assert!(why.contains("base_url"), "{why}");
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered_down_by_at_most_half() {
        let p = RetryPolicy {
            max_retries: 5,
            base: Duration::from_millis(100),
            max: Duration::from_millis(1000),
        };
        assert_eq!(p.delay(0, 0.0), Duration::from_millis(100));
        assert_eq!(p.delay(1, 0.0), Duration::from_millis(200));
        assert_eq!(p.delay(3, 0.0), Duration::from_millis(800));
        assert_eq!(p.delay(4, 0.0), Duration::from_millis(1000));
        assert_eq!(p.delay(40, 0.0), Duration::from_millis(1000));
        let least = p.delay(1, 0.999_999);
        assert!(least >= Duration::from_millis(100) && least < Duration::from_millis(101));
        assert!(p.delay(2, 0.5) >= Duration::from_millis(300));
    }

    #[test]
    fn retry_after_and_error_detail() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), None);
        let body =
            br#"{"error":{"kode":"TIDAK_DITEMUKAN","pesan":"KPJ 99000000001 x","traceId":"t-1"}}"#;
        assert_eq!(error_detail(body), " (TIDAK_DITEMUKAN, trace t-1)");
        assert_eq!(error_detail(b"<html>"), "");
    }
}
