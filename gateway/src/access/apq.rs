//! The registry of automatic persisted queries (Apollo's APQ): owns the query texts any caller
//! registered by sending them with their `extensions.persistedQuery.sha256Hash`, so that later
//! requests (to any instance that shares the registry) may send the hash alone.
//!
//! ```toml
//! [cache]
//! redis_url = "redis://cache.internal:6379"   # shared by the instances; unset: per process
//! apq_prefix = "simpul:apq:"
//! apq_ttl_ms = 86400000                       # a registration is kept a day
//! ```
//!
//! Texts are kept in this process (a bounded map, [`MAX_LOCAL_QUERIES`]) and, with a
//! `redis_url`, in Redis under `apq_prefix` + hash with the TTL. A Redis that is down or slow
//! only makes a hash unknown (the client then sends the text again): it never fails a request.
//! Only texts that passed the admission checks are registered (no NIK or KPJ in them), and
//! persisted-queries-only mode never looks here: its allow-list is the store's.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::engine::shared_cache::link::{BadUrl, RedisLink};
use crate::engine::shared_cache::CacheConfig;

/// Most texts kept in this process; past it the oldest registration is dropped.
pub const MAX_LOCAL_QUERIES: usize = 4096;
/// Most bytes of texts kept in this process.
pub const MAX_LOCAL_BYTES: usize = 32 * 1024 * 1024;
/// The longest text registered: a longer one runs but is not kept (here or in Redis), so no
/// caller can fill the shared registry with a few large documents. Real queries are far
/// shorter; a client whose hash is unknown just sends the text again.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Automatically persisted queries by their SHA-256.
#[derive(Debug)]
pub struct ApqRegistry {
    local: Mutex<Local>,
    redis: Option<RedisLink>,
    prefix: String,
    ttl: Duration,
}

#[derive(Debug, Default)]
struct Local {
    texts: HashMap<String, (Instant, String)>,
    bytes: usize,
}

impl ApqRegistry {
    /// The registry `[cache]` describes (not connected yet: see [`ApqRegistry::connect`]).
    pub fn new(config: &CacheConfig) -> Result<Self, BadUrl> {
        let timeout = Duration::from_millis(config.timeout_ms.max(1));
        Ok(Self {
            local: Mutex::new(Local::default()),
            redis: match &config.redis_url {
                Some(url) => Some(RedisLink::new(url, timeout)?),
                None => None,
            },
            prefix: config.apq_prefix.clone(),
            ttl: Duration::from_millis(config.apq_ttl_ms.max(1)),
        })
    }

    /// Connect to Redis, if there is one, waiting at most `wait`.
    pub async fn connect(&self, wait: Duration) {
        if let Some(redis) = &self.redis {
            redis.connect(wait).await;
        }
    }

    /// The text registered under `hash`, if any (here, else in Redis).
    pub async fn get(&self, hash: &str) -> Option<String> {
        if let Some(text) = self.local_get(hash) {
            return Some(text);
        }
        let redis = self.redis.as_ref()?;
        match redis.get(&format!("{}{hash}", self.prefix)).await {
            Ok(Some(bytes)) => {
                let text = String::from_utf8(bytes).ok()?;
                // Only a text that has this hash: the registry cannot be made to run another.
                (simpul_store::operation_hash(&text) == hash).then(|| {
                    self.local_put(hash, &text);
                    text
                })
            }
            Ok(None) => None,
            Err(e) => {
                redis.warn("APQ lookup failed", &e);
                None
            }
        }
    }

    /// Register `text` under `hash` (its SHA-256, checked by the caller).
    pub async fn put(&self, hash: &str, text: &str) {
        if text.len() > MAX_TEXT_BYTES || self.local_get(hash).is_some() {
            return;
        }
        self.local_put(hash, text);
        if let Some(redis) = &self.redis {
            let key = format!("{}{hash}", self.prefix);
            let ttl = self.ttl.as_millis().min(u128::from(u64::MAX)) as u64;
            if let Err(e) = redis.set(&key, text.as_bytes(), ttl).await {
                redis.warn("APQ registration in Redis failed", &e);
            }
        }
    }

    fn local_get(&self, hash: &str) -> Option<String> {
        let mut local = self.local.lock().unwrap_or_else(|p| p.into_inner());
        match local.texts.get(hash) {
            Some((at, text)) if at.elapsed() < self.ttl => Some(text.clone()),
            Some(_) => {
                if let Some((_, text)) = local.texts.remove(hash) {
                    local.bytes -= text.len();
                }
                None
            }
            None => None,
        }
    }

    fn local_put(&self, hash: &str, text: &str) {
        let mut local = self.local.lock().unwrap_or_else(|p| p.into_inner());
        if text.len() > MAX_LOCAL_BYTES || local.texts.contains_key(hash) {
            return;
        }
        while local.texts.len() >= MAX_LOCAL_QUERIES || local.bytes + text.len() > MAX_LOCAL_BYTES {
            let oldest = local
                .texts
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone());
            match oldest.and_then(|k| local.texts.remove(&k)) {
                Some((_, gone)) => local.bytes -= gone.len(),
                None => break,
            }
        }
        local.bytes += text.len();
        local
            .texts
            .insert(hash.to_owned(), (Instant::now(), text.to_owned()));
    }
}

/// Whether `hash` is a SHA-256 as APQ writes it: 64 lower-case hex digits.
pub fn well_formed(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn kept_in_process_without_redis_and_bounded() {
        let registry = ApqRegistry::new(&CacheConfig::default()).unwrap();
        let text = "{ providers { key } }";
        let hash = simpul_store::operation_hash(text);
        assert_eq!(registry.get(&hash).await, None);
        registry.put(&hash, text).await;
        assert_eq!(registry.get(&hash).await.as_deref(), Some(text));
        for i in 0..MAX_LOCAL_QUERIES + 10 {
            let other = format!("{{ a{i} }}");
            registry
                .put(&simpul_store::operation_hash(&other), &other)
                .await;
        }
        {
            let local = registry.local.lock().unwrap();
            assert_eq!(local.texts.len(), MAX_LOCAL_QUERIES);
            assert!(!local.texts.contains_key(&hash), "the oldest went first");
        }
        // A text over MAX_TEXT_BYTES is not kept.
        let long = format!("{{ providers {{ key }} }} # {}", "x".repeat(MAX_TEXT_BYTES));
        let long_hash = simpul_store::operation_hash(&long);
        registry.put(&long_hash, &long).await;
        assert_eq!(registry.get(&long_hash).await, None);
    }

    #[tokio::test]
    async fn expired_and_unreachable() {
        let config = CacheConfig {
            redis_url: Some("redis://127.0.0.1:1".into()),
            apq_ttl_ms: 1,
            ..CacheConfig::default()
        };
        let registry = ApqRegistry::new(&config).unwrap();
        registry.connect(Duration::from_millis(200)).await;
        let text = "{ courses { nodes { name } } }";
        let hash = simpul_store::operation_hash(text);
        registry.put(&hash, text).await;
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(registry.get(&hash).await, None);
    }

    #[test]
    fn hashes_are_64_lower_case_hex_digits() {
        assert!(well_formed(&"a1".repeat(32)));
        assert!(!well_formed(&"A1".repeat(32)));
        assert!(!well_formed("abc"));
    }
}
