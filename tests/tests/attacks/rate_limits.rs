//! Attack: exhaust the budget meant for others, guess keys without limit, or buy an expensive
//! request for the price of a cheap one. Anonymous callers must get a bucket per client
//! address (read from a proxy header only when one is configured), failed key attempts must be
//! limited per address before the key is looked up, and a request must spend what it cost.

use serde_json::{json, Value};

use crate::common::{codes, locked_down};
use simpul_tests::Gateway;

const CHEAP: &str = "{ providers { key } }";

/// POST `query` with extra headers; status, `Retry-After` and the JSON body.
fn send(gateway: &Gateway, headers: &[(&str, &str)], query: &str) -> (u16, Option<u64>, Value) {
    let mut request = ureq::post(&format!("{}/graphql", gateway.base))
        .set("content-type", "application/json")
        .set("accept", "application/json");
    for (k, v) in headers {
        request = request.set(k, v);
    }
    let body = json!({ "query": query, "extensions": { "simpul": { "trace": true } } });
    let response = match request.send_string(&body.to_string()) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let retry_after = response
        .header("retry-after")
        .and_then(|v| v.parse::<u64>().ok());
    let text = response.into_string().unwrap_or_default();
    (
        status,
        retry_after,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn from(address: &str) -> [(&str, &str); 1] {
    [("x-forwarded-for", address)]
}

#[test]
fn anonymous_clients_behind_the_trusted_proxy_have_a_bucket_each() {
    let (gateway, _) = locked_down(
        "attack-rate-per-address",
        &[
            ("SIMPUL__RATE_LIMIT__CAPACITY", "2"),
            ("SIMPUL__RATE_LIMIT__REFILL_PER_SECOND", "0.01"),
            (
                "SIMPUL__RATE_LIMIT__TRUSTED_PROXY_HEADER",
                "x-forwarded-for",
            ),
        ],
    );
    let a = "203.0.113.7";
    assert_eq!(send(&gateway, &from(a), CHEAP).0, 200);
    assert_eq!(send(&gateway, &from(a), CHEAP).0, 200);
    let (status, retry_after, body) = send(&gateway, &from(a), CHEAP);
    assert_eq!(
        (status, codes(&body)),
        (429, vec!["RATE_LIMITED".to_owned()])
    );
    assert!(retry_after.is_some_and(|s| s >= 1), "{retry_after:?}");
    // A client claiming another address in front of what the proxy appended is still `a`: only
    // the rightmost address (the proxy's own entry) is trusted.
    let forged = format!("198.51.100.1, {a}");
    assert_eq!(send(&gateway, &from(&forged), CHEAP).0, 429);
    // Another client has its own bucket.
    let (status, _, body) = send(&gateway, &from("203.0.113.8"), CHEAP);
    assert_eq!(
        status, 200,
        "another address shares the first one's bucket: {body}"
    );
}

#[test]
fn without_a_trusted_proxy_the_forwarded_header_is_ignored() {
    let (gateway, _) = locked_down(
        "attack-rate-untrusted-header",
        &[
            ("SIMPUL__RATE_LIMIT__CAPACITY", "2"),
            ("SIMPUL__RATE_LIMIT__REFILL_PER_SECOND", "0.01"),
        ],
    );
    assert_eq!(send(&gateway, &from("203.0.113.7"), CHEAP).0, 200);
    assert_eq!(send(&gateway, &from("203.0.113.8"), CHEAP).0, 200);
    // Every forged address is the same socket address: one bucket, now empty.
    let (status, _, body) = send(&gateway, &from("203.0.113.9"), CHEAP);
    assert_eq!(
        (status, codes(&body)),
        (429, vec!["RATE_LIMITED".to_owned()]),
        "a forged X-Forwarded-For bought a fresh bucket: {body}"
    );
}

#[test]
fn failed_key_attempts_are_limited_per_address_before_the_key_is_looked_up() {
    let (gateway, keys) = locked_down(
        "attack-rate-bad-keys",
        &[
            ("SIMPUL__RATE_LIMIT__FAILED_AUTH_PER_MINUTE", "3"),
            (
                "SIMPUL__RATE_LIMIT__TRUSTED_PROXY_HEADER",
                "x-forwarded-for",
            ),
        ],
    );
    let guesser = "203.0.113.66";
    let bad_key = "Bearer smp_aaaaaaaa_guessedsecretguessedsecretguessedsecret";
    for attempt in 0..3 {
        let (status, _, body) = send(
            &gateway,
            &[("x-forwarded-for", guesser), ("authorization", bad_key)],
            CHEAP,
        );
        assert_eq!(
            (status, codes(&body)),
            (401, vec!["UNAUTHENTICATED".to_owned()]),
            "attempt {attempt}: {body}"
        );
    }
    let (status, retry_after, body) = send(
        &gateway,
        &[("x-forwarded-for", guesser), ("authorization", bad_key)],
        CHEAP,
    );
    assert_eq!(
        (status, codes(&body)),
        (429, vec!["RATE_LIMITED".to_owned()]),
        "the fourth bad key in a minute: {body}"
    );
    assert!(retry_after.is_some_and(|s| s >= 1), "{retry_after:?}");
    // Refused before the lookup: even a valid key from that address waits.
    let admin = format!("Bearer {}", keys.admin);
    let (status, _, body) = send(
        &gateway,
        &[
            ("x-forwarded-for", guesser),
            ("authorization", admin.as_str()),
        ],
        CHEAP,
    );
    assert_eq!(status, 429, "{body}");
    // Another address is unaffected: its bad key is still a 401, its good key works.
    let other = "203.0.113.67";
    let (status, _, _) = send(
        &gateway,
        &[("x-forwarded-for", other), ("authorization", bad_key)],
        CHEAP,
    );
    assert_eq!(status, 401);
    let (status, _, body) = send(
        &gateway,
        &[
            ("x-forwarded-for", other),
            ("authorization", admin.as_str()),
        ],
        CHEAP,
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn an_expensive_request_spends_more_than_a_cheap_one() {
    const CAPACITY: u64 = 30;
    let capacity = CAPACITY.to_string();
    let (gateway, keys) = locked_down(
        "attack-rate-cost",
        &[
            ("SIMPUL__RATE_LIMIT__CAPACITY", capacity.as_str()),
            ("SIMPUL__RATE_LIMIT__REFILL_PER_SECOND", "0.001"),
        ],
    );
    // Runs at every provider, then their courses and centres: one adapter call per provider,
    // collection and level.
    let expensive =
        "{ courseRuns(first: 20) { nodes { code course { name trainingCenter { name } } } } }";
    // As an admin: the trace (the adapter calls made) is for administrators.
    let admin = format!("Bearer {}", keys.admin);
    let as_admin = [("authorization", admin.as_str())];
    let (status, _, body) = send(&gateway, &as_admin, expensive);
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let calls: u64 = body["extensions"]["simpul"]["providers"]
        .as_object()
        .unwrap_or_else(|| panic!("no trace: {body}"))
        .values()
        .map(|p| p["calls"].as_u64().unwrap_or(0))
        .sum();
    assert!(calls >= 3, "the expensive query made {calls} adapter calls");
    // Cheap requests (no adapter call, a token each) until the bucket is empty.
    let mut cheap = 0;
    while send(&gateway, &as_admin, CHEAP).0 == 200 {
        cheap += 1;
        assert!(cheap <= CAPACITY, "the bucket never ran out");
    }
    assert_eq!(
        cheap,
        CAPACITY - calls,
        "the expensive request ({calls} adapter calls) spent {} tokens",
        CAPACITY - cheap
    );
}
