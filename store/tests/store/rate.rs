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

/// Two gateway instances over one Redis spend one budget per key.
#[tokio::test]
async fn redis_instances_share_one_bucket() {
    let url = require_redis().await;
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    let bucket = Bucket::new(3, 5.0).unwrap(); // a token every 200 ms
    let one = RateLimiter::redis_with_prefix(&url, bucket, &prefix)
        .await
        .unwrap();
    let two = RateLimiter::redis_with_prefix(&url, bucket, &prefix)
        .await
        .unwrap();

    for _ in 0..3 {
        one.check("abcd1234").await.unwrap();
    }
    let wait = retry_after(two.check("abcd1234").await);
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_millis(200),
        "{wait:?}"
    );
    assert!(one.check("abcd1234").await.is_err());
    two.check("efgh5678")
        .await
        .expect("another key has its own bucket");

    tokio::time::sleep(wait + Duration::from_millis(30)).await;
    two.check("abcd1234").await.expect("a token came back");
    assert!(one.check("abcd1234").await.is_err(), "and only one");
}

/// Buckets live under the prefix and expire once they would be full again.
#[tokio::test]
async fn redis_buckets_expire() {
    let url = require_redis().await;
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    let limiter = RateLimiter::redis_with_prefix(&url, Bucket::new(10, 10.0).unwrap(), &prefix)
        .await
        .unwrap();
    limiter.check("abcd1234").await.unwrap();

    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg(format!("{prefix}abcd1234"))
        .query_async(&mut conn)
        .await
        .unwrap();
    // One token spent at 10 a second: full in 100 ms, plus a second of slack.
    assert!((1_000..=1_100).contains(&ttl), "PTTL {ttl}");
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

#[tokio::test]
async fn memory_limiter_refuses_then_refills() {
    let limiter = RateLimiter::memory(Bucket::new(2, 20.0).unwrap()); // a token every 50 ms
    limiter.check("a").await.unwrap();
    limiter.check("a").await.unwrap();
    let wait = retry_after(limiter.check("a").await);
    assert!(wait <= Duration::from_millis(50), "{wait:?}");
    limiter.check("b").await.unwrap();
    tokio::time::sleep(wait + Duration::from_millis(10)).await;
    limiter.check("a").await.unwrap();
    assert!(limiter.check("a").await.is_err());
    assert_eq!(limiter.bucket().capacity(), 2);
}

/// A request that cost more than one token pays the rest afterwards: the bucket goes into debt
/// (down to `-capacity` at most), and every instance's next check waits until it is paid off.
#[tokio::test]
async fn redis_spending_goes_into_debt() {
    let url = require_redis().await;
    let prefix = format!("{}:", unique_name("simpul:test:rate"));
    let bucket = Bucket::new(4, 10.0).unwrap(); // a token every 100 ms
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
        wait > Duration::from_millis(300) && wait <= Duration::from_millis(400),
        "{wait:?}"
    );
    assert!(two.peek("abcd1234").await.is_err());
    // Debt is bounded by the capacity: at most (1 + capacity) / refill to wait.
    one.spend("abcd1234", 1000).await.unwrap();
    let wait = retry_after(two.check("abcd1234").await);
    assert!(wait <= Duration::from_millis(500), "{wait:?}");
    one.spend("efgh5678", 0).await.unwrap();
    two.check("efgh5678")
        .await
        .expect("another key has its own bucket");
}
