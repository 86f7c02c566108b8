//! Two gateway instances over one store (PostgreSQL) and one Redis, as behind a load balancer
//! (the topology of `compose.yaml`, with the processes started directly): a key created
//! with `simpul keys create` against the shared store works on both, a revocation is seen by
//! both on their next request (keys are not cached: the bound is one request), and the audit
//! log holds both instances' rows, each with the request id its instance answered with. Rate
//! limits shared through Redis are `access.rs`'s two-gateway test.

use serde_json::{json, Value};
use simpul_tests::{artifacts, demo_with, Gateway};

#[path = "attacks/common.rs"]
mod common;
use common::{codes, drop_database, postgres_database, runtime};

/// POST `query` as the holder of `key`: status, body and the response's request id.
fn ask(gateway: &Gateway, key: &str, query: &str) -> (u16, Value, String) {
    let response = match ureq::post(&format!("{}/graphql", gateway.base))
        .set("content-type", "application/json")
        .set("authorization", &format!("Bearer {key}"))
        .send_string(&json!({ "query": query }).to_string())
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let id = response
        .header("x-request-id")
        .unwrap_or_default()
        .to_owned();
    let body =
        serde_json::from_str(&response.into_string().unwrap_or_default()).unwrap_or_default();
    (status, body, id)
}

/// `simpul ARGS` against the store at `store_url`; its stdout.
fn simpul(store_url: &str, args: &[&str]) -> String {
    let demo = simpul_tests::scratch_dir("instances-cli");
    let output = std::process::Command::new(artifacts().join("simpul"))
        .args(args)
        .env("SIMPUL_DEMO_DIR", &demo)
        .env("SIMPUL__STORE__URL", store_url)
        .output()
        .expect("run simpul");
    assert!(
        output.status.success(),
        "simpul {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn two_instances_share_keys_revocations_and_the_audit_log_through_one_store() {
    let store = postgres_database("instances");
    // The scale-out topology of `compose.yaml`, as processes: one PostgreSQL store and one
    // Redis (the shared answer cache, its entries expiring within 2 s; sharing answers is
    // `shared_cache.rs`'s to test).
    let prefix = format!("simpul-test-instances-{}:", std::process::id());
    let env = [
        ("SIMPUL__ACCESS__ANONYMOUS_SCOPES", ""),
        ("SIMPUL__STORE__URL", store.as_str()),
        ("SIMPUL__CACHE__REDIS_URL", "redis://127.0.0.1:6379"),
        ("SIMPUL__CACHE__PREFIX", prefix.as_str()),
        ("SIMPUL__CACHE__TTL_MS", "1000"),
        ("SIMPUL__CACHE__STALE_MS", "1000"),
    ];
    // One after the other: the first migrates the store, the second finds it migrated.
    let (one, _d1) = demo_with("instance-one", &env);
    let (two, _d2) = demo_with("instance-two", &env);

    let created = simpul(
        &store,
        &["keys", "create", "--role", "admin", "--label", "ops"],
    );
    let key = created
        .lines()
        .find(|l| l.starts_with("smp_"))
        .unwrap_or_else(|| panic!("no key in {created:?}"))
        .trim()
        .to_owned();
    let personal = "query Names { participants(first: 3) { nodes { fullName } } }";
    let mut ids = Vec::new();
    for gateway in [&one, &two] {
        let (status, body, id) = ask(gateway, &key, personal);
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        assert!(
            body["data"]["participants"]["nodes"][0]["fullName"].is_string(),
            "{body}"
        );
        assert!(!id.is_empty());
        ids.push(id);
        // The catalogue goes through the shared cache, and Redis answered.
        let (status, body, _) = ask(gateway, &key, "{ courses(first: 3) { nodes { name } } }");
        assert_eq!(status, 200, "{body}");
        let (_, metrics) = gateway.get("/metrics");
        assert!(metrics.contains("simpul_shared_cache_total{"), "{metrics}");
        assert!(!metrics.contains("result=\"error\""), "{metrics}");
    }

    // Both instances wrote their rows to the one audit log.
    let rows = runtime().block_on(async {
        let store = simpul_store::Store::connect(&store).await.expect("store");
        store
            .audit()
            .list(simpul_store::AuditFilter::default())
            .await
            .expect("audit")
    });
    for id in &ids {
        assert!(
            rows.iter()
                .any(|r| r.entry.request_id.as_deref() == Some(id.as_str())
                    && r.entry.fields.iter().any(|f| f == "Participant.fullName")),
            "no audit row for request {id}: {rows:?}"
        );
    }

    // Revoked through the command line: the next request to either instance is refused.
    let key_id = key.split('_').nth(1).unwrap_or_default().to_owned();
    simpul(&store, &["keys", "revoke", &key_id]);
    for gateway in [&one, &two] {
        let (status, body, _) = ask(gateway, &key, personal);
        assert_eq!(status, 401, "{body}");
        assert_eq!(codes(&body), ["KEY_REVOKED"], "{body}");
        assert!(!body.to_string().contains("fullName\":\""), "{body}");
    }
    drop(one);
    drop(two);
    drop_database(&store);
}
