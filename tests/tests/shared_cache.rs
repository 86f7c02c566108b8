//! The shared cache tier and automatic persisted queries, end to end: two real gateways on one
//! Redis (127.0.0.1:6379), each test under a key prefix of its own, removed afterwards.
//!
//! - an answer one instance fetched is served to the other from Redis (its `/metrics` counts
//!   the hits, and the answers are equal);
//! - past its TTL an entry is served stale and refreshed in the background, and a provider
//!   with `shared_cache = false` is never looked up;
//! - an admin's queries for NIKs, KPJs, birth dates and phones leave none of them in Redis;
//! - a query registered by hash on one instance runs by hash on the other, and
//!   persisted-queries-only mode does not let automatic registration around its allow-list;
//! - with Redis unreachable, queries still answer and the errors are counted.

use std::time::Duration;

use serde_json::{json, Value};
use simpul_tests::{demo_with, scratch_dir, wait_until, Gateway, PATIENCE};

#[path = "attacks/common.rs"]
mod common;
use common::{codes, post};

const REDIS: &str = "redis://127.0.0.1:6379";

/// A key prefix of this test's own in the test Redis; its keys are deleted on drop.
struct Prefix(String);

impl Prefix {
    fn new(test: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let prefix = Prefix(format!(
            "simpul-test:{}:{nanos}:{test}:",
            std::process::id()
        ));
        prefix.clear();
        prefix
    }

    fn connection() -> redis::Connection {
        redis::Client::open(REDIS)
            .and_then(|c| c.get_connection())
            .unwrap_or_else(|e| {
                panic!(
                    "no Redis at {REDIS} ({e}); start one: \
                     redis-server --bind 127.0.0.1 --port 6379 --save '' --daemonize yes"
                )
            })
    }

    /// Every key under the prefix (SCAN, not KEYS).
    fn keys(&self) -> Vec<String> {
        let mut connection = Self::connection();
        let mut keys = Vec::new();
        let mut cursor = 0u64;
        loop {
            let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(format!("{}*", self.0))
                .arg("COUNT")
                .arg(1000)
                .query(&mut connection)
                .expect("SCAN");
            keys.extend(batch);
            if next == 0 {
                return keys;
            }
            cursor = next;
        }
    }

    /// Every value under the prefix, as text.
    fn values(&self) -> Vec<String> {
        let mut connection = Self::connection();
        self.keys()
            .iter()
            .filter_map(|key| {
                redis::cmd("GET")
                    .arg(key)
                    .query::<Option<Vec<u8>>>(&mut connection)
                    .expect("GET")
            })
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect()
    }

    /// Wait until the number of keys stops growing (the gateways write in the background).
    fn settled(&self, at_least: usize) -> usize {
        let mut last = 0;
        let grown = wait_until(PATIENCE, || {
            let now = self.keys().len();
            let stable = now >= at_least && now == last;
            last = now;
            if !stable {
                std::thread::sleep(Duration::from_millis(200));
            }
            stable
        });
        assert!(grown, "fewer than {at_least} keys under {}: {last}", self.0);
        last
    }

    fn clear(&self) {
        let keys = self.keys();
        if !keys.is_empty() {
            let mut connection = Self::connection();
            let _: () = redis::cmd("DEL")
                .arg(&keys)
                .query(&mut connection)
                .expect("DEL");
        }
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        self.clear();
    }
}

/// The sum of `simpul_shared_cache_total` lines with `result="<result>"` (and `provider`, if
/// given) on the gateway's `/metrics`.
fn counted(gateway: &Gateway, result: &str, provider: Option<&str>) -> u64 {
    let (_, text) = gateway.get("/metrics");
    text.lines()
        .filter(|l| l.starts_with("simpul_shared_cache_total{"))
        .filter(|l| l.contains(&format!("result=\"{result}\"")))
        .filter(|l| provider.is_none_or(|p| l.contains(&format!("provider=\"{p}\""))))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// The environment of an instance on the shared cache under `prefix`, with its demo data in
/// `demo` (the same folder for both instances: the providers' configs, and so their cache
/// scopes, are then the same).
fn shared<'a>(prefix: &'a Prefix, demo: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("SIMPUL_DEMO_DIR", demo),
        ("SIMPUL__CACHE__REDIS_URL", REDIS),
        ("SIMPUL__CACHE__PREFIX", prefix.0.as_str()),
    ]
}

fn ok(gateway: &Gateway, query: &str) -> Value {
    let (status, body) = gateway.query(query, json!({}));
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    body
}

#[test]
fn an_answer_one_instance_fetched_is_served_by_the_other_from_redis() {
    let prefix = Prefix::new("answers");
    let demo = scratch_dir("shared-cache-answers").join("demo");
    let env = shared(&prefix, demo.to_str().unwrap());
    let (one, _) = demo_with("shared-cache-answers-1", &env);
    let (two, _) = demo_with("shared-cache-answers-2", &env);
    let query = "{ trainingCenters(first: 50) { totalCount nodes { id name provider { key } } } }";

    let first = ok(&one, query);
    assert!(counted(&one, "miss", Some("spn")) > 0);
    assert_eq!(counted(&two, "hit", None), 0);
    // SPN, BBPLK and FK-BLKK at least (BPJAMSOSTEK's simulator listens on another port in
    // each instance: another config, another scope).
    prefix.settled(3);

    let second = ok(&two, query);
    assert_eq!(first["data"], second["data"]);
    for provider in ["spn", "bbplk", "fkblkk"] {
        assert!(
            counted(&two, "hit", Some(provider)) > 0,
            "{provider}: {}",
            two.get("/metrics").1
        );
        assert_eq!(counted(&two, "miss", Some(provider)), 0, "{provider}");
    }
    // And back: instance one now finds what it stored.
    ok(&one, query);
    assert!(counted(&one, "hit", Some("spn")) > 0);
}

#[test]
fn personal_data_an_admin_reads_never_reaches_redis() {
    let prefix = Prefix::new("personal");
    let dir = scratch_dir("shared-cache-personal");
    let demo = dir.join("demo");
    let store = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let mut env = shared(&prefix, demo.to_str().unwrap());
    env.push(("SIMPUL__STORE__URL", store.as_str()));
    let (one, _) = demo_with("shared-cache-personal-1", &env);
    let (two, _) = demo_with("shared-cache-personal-2", &env);
    let admin = common::issue(
        &store,
        simpul_store::NewKey::new(simpul_store::Role::Admin, "ops"),
    );
    let bearer = format!("Bearer {admin}");
    let headers = [("authorization", bearer.as_str())];
    let clear = "query Clear { participants(first: 40) { nodes { id nik kpj birthDate phone \
                 socialSecurity { active } } } }";
    let masked = "query Masked { participants(first: 40) { nodes { id nikMasked kpjMasked \
                  birthYear } } enrollments(first: 40) { nodes { id } } }";
    let fields = ["nik", "kpj", "birthDate", "phone"];
    let mut personal: Vec<(&str, String)> = Vec::new();
    for gateway in [&one, &two] {
        for query in [clear, masked] {
            let (status, body) = post(gateway, &headers, &json!({ "query": query }));
            assert_eq!(status, 200, "{body}");
            assert!(body.get("errors").is_none(), "{body}");
            let nodes = body["data"]["participants"]["nodes"].as_array().unwrap();
            assert!(!nodes.is_empty(), "{body}");
            for node in nodes {
                for field in fields {
                    if let Some(value) = node[field].as_str().filter(|v| v.len() >= 6) {
                        personal.push((field, value.to_owned()));
                    }
                }
            }
        }
    }
    for field in fields {
        assert!(
            personal.iter().any(|(f, _)| *f == field),
            "the admin saw no {field}: the test would prove nothing"
        );
    }
    prefix.settled(1);
    let values = prefix.values();
    // Something was kept (the masked participants), so this test can fail.
    assert!(
        values.iter().any(|v| v.contains("nikMasked")),
        "no participants' answer in Redis: {} keys",
        values.len()
    );
    for value in &values {
        for (field, secret) in &personal {
            assert!(
                !value.contains(secret.as_str()),
                "a {field} the admin read is in Redis"
            );
        }
        // Any clear NIK, not only those the admin saw: a number of 16 digits on its own (not
        // a run of digits inside a hex digest such as a person key).
        let niks: Vec<&str> = value
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| t.len() == 16 && t.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        assert!(niks.is_empty(), "a NIK is in Redis: {niks:?}");
    }
    assert!(counted(&one, "skip", Some("spn")) + counted(&one, "skip", Some("bbplk")) > 0);
}

/// POST a query by APQ: the hash, and the text when `with_text`.
fn apq(gateway: &Gateway, text: &str, with_text: bool) -> (u16, Value) {
    let hash = simpul_store::operation_hash(text);
    let mut body = json!({
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } }
    });
    if with_text {
        body["query"] = json!(text);
    }
    post(gateway, &[], &body)
}

#[test]
fn a_query_registered_automatically_on_one_instance_runs_by_hash_on_the_other() {
    let prefix = Prefix::new("apq");
    let apq_prefix = format!("{}apq:", prefix.0);
    let env = [
        ("SIMPUL__CACHE__REDIS_URL", REDIS),
        ("SIMPUL__CACHE__PREFIX", prefix.0.as_str()),
        ("SIMPUL__CACHE__APQ_PREFIX", apq_prefix.as_str()),
    ];
    let (one, _) = demo_with("shared-cache-apq-1", &env);
    let (two, _) = demo_with("shared-cache-apq-2", &env);
    let text = "query Centres { trainingCenters(first: 3) { nodes { id name } } }";

    let (status, body) = apq(&two, text, false);
    assert_eq!(
        (status, codes(&body)),
        (200, vec!["PERSISTED_QUERY_NOT_FOUND".to_owned()])
    );
    let (status, registered) = apq(&one, text, true);
    assert_eq!(status, 200, "{registered}");
    assert!(registered.get("errors").is_none(), "{registered}");
    let (status, by_hash) = apq(&two, text, false);
    assert_eq!(status, 200, "{by_hash}");
    assert_eq!(registered["data"], by_hash["data"], "{by_hash}");
    // Over GET too (Apollo's `useGETForHashedQueries`).
    let extensions = json!({ "persistedQuery": { "version": 1,
        "sha256Hash": simpul_store::operation_hash(text) } })
    .to_string();
    let encoded: String = extensions
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let (status, got) = two.get(&format!("/graphql?extensions={encoded}"));
    assert_eq!(status, 200, "{got}");
    let got: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(registered["data"], got["data"], "{got}");
    assert!(prefix.keys().iter().any(|k| k.starts_with(&apq_prefix)));

    // A text with a NIK in it is refused, and not registered.
    let inline = "{ personByNik(nik: \"3602134507900001\") { id } }";
    let (status, body) = apq(&one, inline, true);
    assert_eq!(
        (status, codes(&body)),
        (400, vec!["BAD_USER_INPUT".to_owned()])
    );
    let (_, body) = apq(&two, inline, false);
    assert_eq!(codes(&body), ["PERSISTED_QUERY_NOT_FOUND"]);
    for value in prefix.values() {
        assert!(!value.contains("3602134507900001"));
    }

    // Persisted-queries-only mode keeps to the store's registered queries: neither the
    // automatic registration nor a new one gets around it.
    let mut strict_env = env.to_vec();
    strict_env.push(("SIMPUL__ACCESS__PERSISTED_QUERIES_ONLY", "true"));
    let (strict, _) = demo_with("shared-cache-apq-strict", &strict_env);
    let (_, body) = apq(&strict, text, false);
    assert_eq!(codes(&body), ["PERSISTED_QUERY_NOT_FOUND"], "{body}");
    let other = "query Courses { courses(first: 2) { nodes { id } } }";
    let (status, body) = apq(&strict, other, true);
    assert_eq!(
        (status, codes(&body)),
        (400, vec!["PERSISTED_QUERY_REQUIRED".to_owned()])
    );
    let (_, body) = apq(&one, other, false);
    assert_eq!(codes(&body), ["PERSISTED_QUERY_NOT_FOUND"], "{body}");
}

#[test]
fn with_redis_unreachable_queries_answer_and_the_errors_are_counted() {
    let env = [("SIMPUL__CACHE__REDIS_URL", "redis://127.0.0.1:1")];
    let (gateway, _) = demo_with("shared-cache-down", &env);
    let query = "{ trainingCenters(first: 5) { totalCount nodes { id name } } }";
    let started = std::time::Instant::now();
    let first = ok(&gateway, query);
    let second = ok(&gateway, query);
    assert_eq!(first["data"], second["data"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(counted(&gateway, "error", Some("spn")) >= 2);
    assert_eq!(counted(&gateway, "hit", None), 0);
    assert!(gateway.log().contains("Redis"), "{}", gateway.log());
    // Automatic persisted queries still work within this instance.
    let text = "query Few { courses(first: 2) { nodes { id } } }";
    assert_eq!(apq(&gateway, text, true).0, 200);
    let (status, body) = apq(&gateway, text, false);
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
}

/// When each entry under the prefix was fetched (`fetched_ms`), by key.
fn fetched(prefix: &Prefix) -> std::collections::BTreeMap<String, u64> {
    let mut connection = Prefix::connection();
    prefix
        .keys()
        .into_iter()
        .filter_map(|key| {
            let text: Option<String> = redis::cmd("GET")
                .arg(&key)
                .query(&mut connection)
                .expect("GET");
            let entry: Value = serde_json::from_str(&text?).ok()?;
            Some((key, entry["fetched_ms"].as_u64()?))
        })
        .collect()
}

#[test]
fn a_stale_answer_is_served_and_refreshed_in_the_background() {
    let prefix = Prefix::new("stale");
    let env = [
        ("SIMPUL__CACHE__REDIS_URL", REDIS),
        ("SIMPUL__CACHE__PREFIX", prefix.0.as_str()),
        ("SIMPUL__CACHE__TTL_MS", "300"),
        ("SIMPUL__CACHE__STALE_MS", "600000"),
        // FK-BLKK (the demo's fourth provider) opts out.
        ("SIMPUL__PROVIDERS__3__SHARED_CACHE", "false"),
    ];
    let (gateway, _) = demo_with("shared-cache-stale", &env);
    let query = "{ courses(first: 10) { totalCount nodes { id name } } }";
    let first = ok(&gateway, query);
    // SPN's and BBPLK's answers (FK-BLKK's are not kept).
    prefix.settled(2);
    let before = fetched(&prefix);
    std::thread::sleep(Duration::from_millis(400));

    let second = ok(&gateway, query);
    assert_eq!(first["data"], second["data"]);
    assert!(
        counted(&gateway, "stale", None) > 0,
        "{}",
        gateway.get("/metrics").1
    );
    // The stale entries are fetched again behind the answer.
    let refreshed = wait_until(PATIENCE, || {
        let after = fetched(&prefix);
        before
            .iter()
            .any(|(key, at)| after.get(key).is_some_and(|now| now > at))
    });
    assert!(refreshed, "no entry was refreshed: {before:?}");
    // The provider that opted out was asked each time, its answers never looked up.
    assert!(counted(&gateway, "skip", Some("fkblkk")) >= 2);
    for result in ["hit", "stale", "miss", "error"] {
        assert_eq!(counted(&gateway, result, Some("fkblkk")), 0, "{result}");
    }
}
