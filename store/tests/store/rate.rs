use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use simpul_store::{Bucket, RateError, RateLimiter};

use crate::common::{require_redis, unique_name};

fn retry_after(result: Result<(), RateError>) -> Duration {
    match result {
        Err(RateError::Limited { retry_after }) => retry_after,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Poll `check` (every 20 ms) until it passes, at most `timeout`.
async fn passes_within<F>(timeout: Duration, check: impl Fn() -> F)
where
    F: std::future::Future<Output = Result<(), RateError>>,
{
    let started = Instant::now();
    loop {
        match check().await {
            Ok(()) => return,
            Err(RateError::Limited { .. }) if started.elapsed() < timeout => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => panic!("still refused after {:?}: {other:?}", started.elapsed()),
        }
    }
}

/// Two gateway instances over one Redis spend one budget per key.
///
/// The refill is slow (a token a second), so that the checks meant to be refused are refused
/// however slowly a busy machine makes them: each pair of them is a Redis round trip or two
/// apart, never a second. The test waits for the token to come back instead of sleeping.
#[tokio::test]
async fn redis_instances_share_one_bucket() {
    let url = require_redis().await;
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    let bucket = Bucket::new(3, 1.0).unwrap(); // a token a second
    let one = RateLimiter::redis_with_prefix(&url, bucket, &prefix)
        .await
        .unwrap();
    let two = RateLimiter::redis_with_prefix(&url, bucket, &prefix)
        .await
        .unwrap();

    for _ in 0..3 {
        one.check("abcd1234").await.unwrap();
    }
    let refused = Instant::now();
    let wait = retry_after(two.check("abcd1234").await);
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(1),
        "{wait:?}"
    );
    assert!(one.check("abcd1234").await.is_err());
    two.check("efgh5678")
        .await
        .expect("another key has its own bucket");

    // A token comes back after about a second (refused checks take nothing)...
    passes_within(Duration::from_secs(30), || two.check("abcd1234")).await;
    let waited = refused.elapsed();
    assert!(
        waited + Duration::from_millis(20) >= wait,
        "a token came back after {waited:?}, before the {wait:?} it was due"
    );
    // ...and only one: the next is a second away.
    let wait = retry_after(one.check("abcd1234").await);
    assert!(wait > Duration::from_millis(500), "and only one: {wait:?}");
}

/// Buckets live under the prefix and expire once they would be full again.
#[tokio::test]
async fn redis_buckets_expire() {
    let url = require_redis().await;
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    let key = format!("{prefix}abcd1234");
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let limiter = RateLimiter::redis_with_prefix(&url, Bucket::new(10, 10.0).unwrap(), &prefix)
        .await
        .unwrap();

    // One token spent at 10 a second: full in 100 ms, plus a second of slack, so the key is
    // set to live 1,100 ms. What PTTL reads is that less the time since (however long a busy
    // machine took between the two calls), never more.
    let started = Instant::now();
    limiter.check("abcd1234").await.unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    let since = i64::try_from(started.elapsed().as_millis()).unwrap();
    assert!(ttl != -1, "the bucket never expires");
    assert!(
        ttl <= 1_100 && ttl >= 1_100 - since - 1,
        "PTTL {ttl}, {since} ms after the check: the key was not set to live 1,100 ms"
    );

    // Spent further (8 more: 1 or 2 left, as the first has come back or not), it lives
    // longer: 1,800 to 1,900 ms.
    let started = Instant::now();
    limiter.spend("abcd1234", 8).await.unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    let since = i64::try_from(started.elapsed().as_millis()).unwrap();
    assert!(
        ttl <= 1_900 && ttl >= 1_800 - since - 1,
        "PTTL {ttl}, {since} ms after spending 8 more"
    );

    // And it does expire: the key is gone (well) within 30 s.
    let started = Instant::now();
    loop {
        let exists: bool = redis::cmd("EXISTS")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        if !exists {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the bucket is still there"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The default prefix is `simpul:rate:`.
#[tokio::test]
async fn redis_default_prefix() {
    let url = require_redis().await;
    let key = unique_name("test");
    let limiter = RateLimiter::redis(&url, Bucket::new(1, 100.0).unwrap())
        .await
        .unwrap();
    limiter.check(&key).await.unwrap();
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let exists: bool = redis::cmd("EXISTS")
        .arg(format!("simpul:rate:{key}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(exists);
}

/// No Redis: a typed error, quickly; the gateway decides what to do.
#[tokio::test]
async fn unreachable_redis_is_a_typed_error() {
    let started = std::time::Instant::now();
    let result = RateLimiter::redis("redis://127.0.0.1:1", Bucket::new(1, 1.0).unwrap()).await;
    assert!(
        matches!(result, Err(RateError::Unavailable(_))),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// Redis going away mid-life: typed errors, quickly, then service again once it is back.
#[tokio::test]
async fn redis_outage_is_a_typed_error_until_it_is_back() {
    let url = require_redis().await;
    let proxy = Proxy::start(&url);
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    let bucket = Bucket::new(100, 100.0).unwrap();
    let limiter = RateLimiter::redis_with_prefix(&proxy.url(), bucket, &prefix)
        .await
        .unwrap();
    limiter.check("abcd1234").await.unwrap();

    proxy.cut();
    for _ in 0..3 {
        let started = Instant::now();
        let result = limiter.check("abcd1234").await;
        assert!(
            matches!(result, Err(RateError::Unavailable(_))),
            "{result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match limiter.check("abcd1234").await {
            Ok(()) => break,
            Err(RateError::Unavailable(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("Redis is back, the limiter is not: {other:?}"),
        }
    }
}

/// A TCP proxy in front of Redis that can cut every connection and refuse new ones.
struct Proxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(redis_url: &str) -> Proxy {
        let upstream = redis_url
            .trim_start_matches("redis://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let proxy = Proxy {
            addr: listener.local_addr().unwrap(),
            up: Arc::new(AtomicBool::new(true)),
            open: Arc::default(),
        };
        let (up, open) = (proxy.up.clone(), proxy.open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !up.load(Ordering::SeqCst) {
                    continue; // dropped: connection refused, in effect
                }
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let pipe = |mut from: TcpStream, mut to: TcpStream| {
                    std::thread::spawn(move || {
                        let _ = io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                    })
                };
                let mut open = open.lock().unwrap();
                open.push(client.try_clone().unwrap());
                open.push(server.try_clone().unwrap());
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        proxy
    }

    fn url(&self) -> String {
        format!("redis://{}", self.addr)
    }

    /// Close every connection and refuse new ones.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// As with Redis, a slow refill (a token every 500 ms) keeps the refusals out of reach of a
/// busy machine's delays, and the test waits for the refill instead of sleeping. (The exact
/// arithmetic, on a controlled clock, is in the memory backend's unit tests.)
#[tokio::test]
async fn memory_limiter_refuses_then_refills() {
    let limiter = RateLimiter::memory(Bucket::new(2, 2.0).unwrap()); // a token every 500 ms
    limiter.check("a").await.unwrap();
    limiter.check("a").await.unwrap();
    let refused = Instant::now();
    let wait = retry_after(limiter.check("a").await);
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_millis(500),
        "{wait:?}"
    );
    limiter.check("b").await.unwrap();
    passes_within(Duration::from_secs(30), || limiter.check("a")).await;
    let waited = refused.elapsed();
    assert!(
        waited + Duration::from_millis(1) >= wait,
        "a token came back after {waited:?}, before the {wait:?} it was due"
    );
    let wait = retry_after(limiter.check("a").await);
    assert!(wait > Duration::from_millis(250), "and only one: {wait:?}");
    assert_eq!(limiter.bucket().capacity(), 2);
}

/// A request that cost more than one token pays the rest afterwards: the bucket goes into debt
/// (down to `-capacity` at most), and every instance's next check waits until it is paid off.
#[tokio::test]
async fn redis_spending_goes_into_debt() {
    let url = require_redis().await;
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    // A token a second: the waits below are exact but for the time between the calls, which
    // a busy machine may stretch, never to a second.
    let bucket = Bucket::new(4, 1.0).unwrap(); // a token a second
    let one = RateLimiter::redis_with_prefix(&url, bucket, &prefix)
        .await
        .unwrap();
    let two = RateLimiter::redis_with_prefix(&url, bucket, &prefix)
        .await
        .unwrap();
    one.peek("abcd1234").await.expect("peeking takes nothing");
    one.check("abcd1234").await.unwrap(); // 3 left
    one.spend("abcd1234", 6).await.unwrap(); // 3 in debt
    let wait = retry_after(two.check("abcd1234").await);
    assert!(
        wait > Duration::from_secs(3) && wait <= Duration::from_secs(4),
        "{wait:?}"
    );
    assert!(two.peek("abcd1234").await.is_err());
    // Debt is bounded by the capacity: at most (1 + capacity) / refill to wait.
    one.spend("abcd1234", 1000).await.unwrap();
    let wait = retry_after(two.check("abcd1234").await);
    assert!(
        wait > Duration::from_secs(4) && wait <= Duration::from_secs(5),
        "{wait:?}"
    );
    one.spend("efgh5678", 0).await.unwrap();
    two.check("efgh5678")
        .await
        .expect("another key has its own bucket");
}
