//! Keys, roles, scopes, audit and limits, end to end: a gateway on the demo data with nothing
//! granted to callers without a key, keys issued through the gateway's store (SQLite, or the
//! real PostgreSQL), and the real Redis for a rate limit shared by two gateways.

use std::time::Duration;

use serde_json::{json, Value};
use simpul_store::{AuditFilter, NewKey, NewPartner, Role, Store};
use simpul_tests::{demo_with, scratch_dir, sixteen_digit_runs, Gateway};

#[path = "attacks/common.rs"]
mod common;
use common::{drop_database, postgres_database};

/// POST a query with extra headers; status, JSON body and headers.
fn post(
    gateway: &Gateway,
    headers: &[(&str, &str)],
    body: &Value,
) -> (u16, Value, Vec<(String, String)>) {
    let mut request = ureq::post(&format!("{}/graphql", gateway.base))
        .set("content-type", "application/json")
        .set("accept", "application/json");
    for (k, v) in headers {
        request = request.set(k, v);
    }
    let response = match request.send_string(&body.to_string()) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let names = response.headers_names();
    let headers = names
        .iter()
        .map(|n| (n.clone(), response.header(n).unwrap_or_default().to_owned()))
        .collect();
    let text = response.into_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        headers,
    )
}

fn ask(gateway: &Gateway, key: Option<&str>, query: &str) -> Value {
    let bearer = key.map(|k| format!("Bearer {k}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("authorization", b.as_str()))
        .collect();
    let (status, body, _) = post(gateway, &headers, &json!({ "query": query }));
    assert!(status == 200, "{query}: {status} {body}");
    body
}

fn codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A demo gateway that grants nothing without a key, its store at `store_url`.
fn locked_down(name: &str, store_url: &str, extra: &[(&str, &str)]) -> Gateway {
    let mut env = vec![
        ("SIMPUL__ACCESS__ANONYMOUS_SCOPES", ""),
        ("SIMPUL__STORE__URL", store_url),
    ];
    env.extend_from_slice(extra);
    demo_with(name, &env).0
}

struct Keys {
    partner: String,
    analyst: String,
    admin: String,
}

fn issue_keys(store_url: &str) -> Keys {
    runtime().block_on(async {
        let store = Store::connect(store_url).await.expect("store");
        let bbplk = store
            .partners()
            .create(NewPartner::new("BBPLK Bekasi", "bbplk"))
            .await
            .expect("partner");
        let partner = store
            .keys()
            .create(NewKey::for_partner(bbplk.id, "portal"))
            .await
            .expect("key");
        let analyst = store
            .keys()
            .create(NewKey::new(Role::Analyst, "dashboard"))
            .await
            .expect("key");
        let admin = store
            .keys()
            .create(NewKey::new(Role::Admin, "ops"))
            .await
            .expect("key");
        Keys {
            partner: partner.secret.expose().to_owned(),
            analyst: analyst.secret.expose().to_owned(),
            admin: admin.secret.expose().to_owned(),
        }
    })
}

fn each_role_sees_exactly_what_it_may(name: &str, store_url: &str) {
    let gateway = locked_down(name, store_url, &[]);
    let keys = issue_keys(store_url);
    const CATALOGUE: &str = "{ providers { key } trainingCenters(first: 5) { totalCount } courseRuns(first: 5) { totalCount } }";
    const PEOPLE: &str =
        "{ participants(first: 100) { totalCount nodes { provider { key } nikMasked } } }";
    const AGGREGATE: &str =
        "{ enrollments_aggregate(group_by: [provider]) { aggregate { count } } }";
    const CLEAR: &str = "{ participants(first: 3, where: { provider: { _eq: \"bbplk\" } }) { nodes { id nik fullName phone nikMasked } } }";

    // Anonymous: the catalogue only.
    let anonymous = ask(&gateway, None, CATALOGUE);
    assert!(anonymous["errors"].is_null(), "{anonymous}");
    assert!(anonymous["data"]["trainingCenters"]["totalCount"].as_u64() > Some(0));
    for query in [PEOPLE, AGGREGATE, CLEAR] {
        let body = ask(&gateway, None, query);
        assert_eq!(codes(&body), ["FORBIDDEN"], "anonymous {query}: {body}");
    }

    // Partner: its own provider's participants, masked.
    let partner = ask(&gateway, Some(&keys.partner), PEOPLE);
    assert!(partner["errors"].is_null(), "{partner}");
    let nodes = partner["data"]["participants"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!nodes.is_empty());
    assert!(
        nodes.iter().all(|n| n["provider"]["key"] == "bbplk"),
        "{partner}"
    );
    let clear = ask(&gateway, Some(&keys.partner), CLEAR);
    assert!(codes(&clear).iter().all(|c| c == "FORBIDDEN") && !codes(&clear).is_empty());
    assert!(
        clear["data"]["participants"]["nodes"][0]["nikMasked"].is_string(),
        "{clear}"
    );
    assert_eq!(
        codes(&ask(&gateway, Some(&keys.partner), AGGREGATE)),
        ["FORBIDDEN"]
    );
    // Another provider's participant, by id: refused.
    let spn_id = simpul_schema::GlobalId::new("spn", "Participant", "SPN-P-0001").encode();
    let other = ask(
        &gateway,
        Some(&keys.partner),
        &format!("{{ node(id: \"{spn_id}\") {{ id }} }}"),
    );
    assert_eq!(codes(&other), ["FORBIDDEN"], "{other}");

    // Analyst: aggregates, no participant records.
    let analyst = ask(&gateway, Some(&keys.analyst), AGGREGATE);
    assert!(analyst["errors"].is_null(), "{analyst}");
    assert!(analyst["data"]["enrollments_aggregate"]["aggregate"]["count"].as_u64() > Some(0));
    assert_eq!(
        codes(&ask(&gateway, Some(&keys.analyst), PEOPLE)),
        ["FORBIDDEN"]
    );

    // Admin: personal data in clear, each response audited (fields and count, no values).
    let admin = ask(&gateway, Some(&keys.admin), CLEAR);
    assert!(admin["errors"].is_null(), "{admin}");
    let people = admin["data"]["participants"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(people.len(), 3);
    let niks: Vec<String> = people
        .iter()
        .filter_map(|p| p["nik"].as_str().map(str::to_owned))
        .collect();
    assert!(!niks.is_empty(), "{admin}");
    let audit = runtime().block_on(async {
        let store = Store::connect(store_url).await.expect("store");
        store
            .audit()
            .list(AuditFilter {
                field: Some("Participant.nik".into()),
                ..Default::default()
            })
            .await
            .expect("audit")
    });
    // (Aggregate requests are audited too, under `Query.*_aggregate`.)
    assert_eq!(audit.len(), 1, "one audited response: {audit:?}");
    let entry = &audit[0].entry;
    assert_eq!(entry.record_count, 3);
    assert!(
        entry.fields.iter().any(|f| f == "Participant.nik"),
        "{:?}",
        entry.fields
    );
    assert!(entry.key_id.is_some());
    let row = format!("{audit:?}");
    assert!(
        niks.iter().all(|nik| !row.contains(nik)),
        "an audit row holds a NIK"
    );

    // Masked reads are not audited; the log never shows a NIK in clear.
    ask(&gateway, Some(&keys.partner), PEOPLE);
    let log = gateway.log();
    assert!(
        sixteen_digit_runs(&log).is_empty(),
        "a 16-digit number in the log"
    );
}

#[test]
fn each_role_sees_exactly_what_it_may_with_a_sqlite_store() {
    let dir = scratch_dir("access-sqlite-store");
    let url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    each_role_sees_exactly_what_it_may("access-sqlite", &url);
}

#[test]
fn each_role_sees_exactly_what_it_may_with_a_postgres_store() {
    let url = postgres_database("access_roles");
    each_role_sees_exactly_what_it_may("access-postgres", &url);
    drop_database(&url);
}

#[test]
fn revoked_and_expired_keys_are_refused() {
    let dir = scratch_dir("access-keys-store");
    let url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let gateway = locked_down("access-keys", &url, &[]);
    let (revoked, expiring) = runtime().block_on(async {
        let store = Store::connect(&url).await.expect("store");
        let revoked = store
            .keys()
            .create(NewKey::new(Role::Analyst, "old"))
            .await
            .expect("key");
        store.keys().revoke(&revoked.info.id).await.expect("revoke");
        let expiring = store
            .keys()
            .create(
                NewKey::new(Role::Analyst, "short")
                    .expiring(chrono::Utc::now() + chrono::Duration::seconds(1)),
            )
            .await
            .expect("key");
        (
            revoked.secret.expose().to_owned(),
            expiring.secret.expose().to_owned(),
        )
    });
    std::thread::sleep(Duration::from_millis(1500));
    let query = json!({ "query": "{ providers { key } }" });
    for (key, code) in [
        (revoked.as_str(), "KEY_REVOKED"),
        (expiring.as_str(), "KEY_EXPIRED"),
        ("smp_nope", "UNAUTHENTICATED"),
    ] {
        let bearer = format!("Bearer {key}");
        let (status, body, headers) = post(&gateway, &[("authorization", &bearer)], &query);
        assert_eq!(status, 401, "{body}");
        assert_eq!(codes(&body), [code]);
        assert!(headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("www-authenticate")));
        assert!(!body.to_string().contains(key), "the key is echoed");
    }
    let (status, _, _) = post(&gateway, &[("x-api-key", &revoked)], &query);
    assert_eq!(status, 401);
}

#[test]
fn every_limit_is_enforced_with_a_clear_error() {
    let dir = scratch_dir("access-limits-store");
    let url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let gateway = locked_down(
        "access-limits",
        &url,
        &[
            ("SIMPUL__LIMITS__MAX_ALIASES", "3"),
            ("SIMPUL__LIMITS__MAX_BODY_BYTES", "4000"),
            ("SIMPUL__ACCESS__INTROSPECTION", "[\"admin\"]"),
            ("SIMPUL__ACCESS__PERSISTED_QUERIES_ONLY", "true"),
            ("SIMPUL__RATE_LIMIT__CAPACITY", "1000"),
        ],
    );
    let keys = issue_keys(&url);
    let admin = format!("Bearer {}", keys.admin);
    let as_admin = [("authorization", admin.as_str())];

    // Persisted queries only: raw text refused; an admin registers it by hash; then anyone runs it.
    let text = "{ providers { key } }";
    let hash = simpul_store::operation_hash(text);
    let (status, body, _) = post(&gateway, &[], &json!({ "query": text }));
    assert_eq!(
        (status, codes(&body)),
        (400, vec!["PERSISTED_QUERY_REQUIRED".to_owned()])
    );
    let by_hash = json!({ "query": "", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    let (_, body, _) = post(&gateway, &[], &by_hash);
    assert_eq!(codes(&body), ["PERSISTED_QUERY_NOT_FOUND"]);
    let register = json!({ "query": text, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    let (status, body, _) = post(&gateway, &as_admin, &register);
    assert_eq!(status, 200, "{body}");
    let (status, body, _) = post(&gateway, &[], &by_hash);
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["providers"].is_array(), "{body}");

    // Everything below runs as admin (who registers as it goes).
    let run = |query: &str| {
        let hash = simpul_store::operation_hash(query);
        post(
            &gateway,
            &as_admin,
            &json!({ "query": query, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }),
        )
    };
    // Aliases.
    let (status, body, _) = run(
        "{ a: providers { key } b: providers { key } c: providers { key } d: providers { key } }",
    );
    assert_eq!(
        (status, codes(&body)),
        (400, vec!["LIMIT_EXCEEDED".to_owned()])
    );
    // Depth.
    let deep = format!(
        "{{ courseRuns(first: 1) {{ nodes {{ {} }} }} }}",
        "course { trainingCenter { courses(first: 1) { nodes { ".repeat(4)
            + "id"
            + &" } } } }".repeat(4)
    );
    let (_, body, _) = run(&deep);
    assert!(
        body["data"].is_null()
            && body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("deep")),
        "{body}"
    );
    // Page size.
    let (_, body, _) = run("{ courseRuns(first: 1000) { totalCount } }");
    assert_eq!(codes(&body), ["BAD_USER_INPUT"], "{body}");
    // Body size.
    let padding = "x".repeat(5000);
    let (status, _, _) = post(
        &gateway,
        &as_admin,
        &json!({ "query": format!("{{ providers {{ key }} }} # {padding}") }),
    );
    assert_eq!(status, 413);
    // Introspection: admin only.
    let intro = "{ __schema { queryType { name } } }";
    let (_, body, _) = run(intro);
    assert!(body["errors"].is_null(), "{body}");
    let (_, body, _) = post(
        &gateway,
        &[],
        &json!({ "query": "", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": simpul_store::operation_hash(intro) } } }),
    );
    assert_eq!(
        codes(&body),
        ["INTROSPECTION_DISABLED"],
        "anonymous introspection: {body}"
    );
    // An inline NIK is refused before it runs.
    let (status, body, _) = run("{ personByNik(nik: \"3602134507900001\") { id } }");
    assert_eq!(
        (status, codes(&body)),
        (400, vec!["BAD_USER_INPUT".to_owned()])
    );
    assert!(!body.to_string().contains("3602134507900001"));
}

#[test]
fn the_rate_limit_is_per_key_and_shared_by_two_gateways_through_redis() {
    let dir = scratch_dir("access-rate-store");
    let url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let limits = [
        ("SIMPUL__RATE_LIMIT__CAPACITY", "4"),
        ("SIMPUL__RATE_LIMIT__REFILL_PER_SECOND", "0.05"),
        ("SIMPUL__RATE_LIMIT__REDIS_URL", "redis://127.0.0.1:6379"),
    ];
    let one = locked_down("access-rate-1", &url, &limits);
    let two = locked_down("access-rate-2", &url, &limits);
    // A fresh key per run: its bucket in Redis is new.
    let keys = issue_keys(&url);
    let bearer = format!("Bearer {}", keys.analyst);
    let query = json!({ "query": "{ providers { key } }" });
    let mut statuses = Vec::new();
    for i in 0..6 {
        let gateway = if i % 2 == 0 { &one } else { &two };
        let (status, body, headers) = post(gateway, &[("authorization", &bearer)], &query);
        if status == 429 {
            assert_eq!(codes(&body), ["RATE_LIMITED"]);
            assert!(headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("retry-after")
                    && v.parse::<u64>().is_ok_and(|s| s >= 1)));
        }
        statuses.push(status);
    }
    // Four requests in all pass, whichever gateway took them; the fifth and sixth do not.
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
    // Another key has its own bucket.
    let other = format!("Bearer {}", keys.admin);
    assert_eq!(post(&one, &[("authorization", &other)], &query).0, 200);
}

/// Run the `simpul` binary with the demo's store; stdout, or the failure with stderr.
fn simpul(demo_dir: &std::path::Path, args: &[&str]) -> String {
    let output = std::process::Command::new(simpul_tests::artifacts().join("simpul"))
        .args(args)
        .env("SIMPUL_DEMO_DIR", demo_dir)
        .output()
        .expect("run simpul");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "simpul {args:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn keys_and_the_audit_log_from_the_command_line() {
    let (gateway, dir) = demo_with("access-cli", &[("SIMPUL__ACCESS__ANONYMOUS_SCOPES", "")]);
    let demo_dir = dir.join("demo");
    let secret = simpul(
        &demo_dir,
        &["keys", "create", "--role", "admin", "--label", "cli test"],
    );
    let secret = secret.trim();
    assert!(secret.starts_with("smp_"), "{secret}");
    let id = secret.split('_').nth(1).unwrap_or_default().to_owned();
    let listed = simpul(&demo_dir, &["keys", "list"]);
    assert!(listed.contains(&id) && listed.contains("cli test") && !listed.contains(secret));

    let body = ask(
        &gateway,
        Some(secret),
        "query Clear { participants(first: 2) { nodes { nik phone } } }",
    );
    assert!(body["errors"].is_null(), "{body}");
    let audit: Value = serde_json::from_str(&simpul(
        &demo_dir,
        &["audit", "--format", "json", "--key", &id],
    ))
    .expect("audit JSON");
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "{audit}");
    assert_eq!(audit[0]["records"], 2);
    assert_eq!(audit[0]["operation"], "Clear");
    assert!(audit[0]["fields"].to_string().contains("Participant.nik"));
    assert!(
        sixteen_digit_runs(&audit.to_string()).is_empty(),
        "a NIK in the audit log"
    );

    simpul(&demo_dir, &["keys", "revoke", &id]);
    let bearer = format!("Bearer {secret}");
    let (status, body, _) = post(
        &gateway,
        &[("authorization", &bearer)],
        &json!({ "query": "{ providers { key } }" }),
    );
    assert_eq!(
        (status, codes(&body)),
        (401, vec!["KEY_REVOKED".to_owned()])
    );
}
