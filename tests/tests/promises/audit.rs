//! The audit row: a response with personal data in clear is withheld (HTTP 503
//! `AUDIT_UNAVAILABLE`) when its audit row cannot be written, and the row names the request
//! id and the hash of the operation that ran.

use serde_json::{json, Value};
use simpul_store::{AuditFilter, AuditRecord, NewKey, Role, Store};
use simpul_tests::{demo_with, sixteen_digit_runs, Gateway};

use crate::common::{ask, codes, issue, locked_down, runtime};

/// A throwaway PostgreSQL database (the local server, trust authentication), dropped with it.
struct Postgres {
    url: String,
    name: String,
}

const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

impl Postgres {
    fn new(name: &str) -> Self {
        let name = format!("simpul_promise_{name}_{}", std::process::id());
        let admin = Postgres {
            url: format!("{POSTGRES}/postgres"),
            name: String::new(),
        };
        admin.execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        admin.execute(&format!("CREATE DATABASE {name}"));
        Postgres {
            url: format!("{POSTGRES}/{name}"),
            name,
        }
    }

    /// Run SQL in this database, as the superuser.
    fn execute(&self, sql: &str) {
        runtime().block_on(async {
            use sea_orm::ConnectionTrait;
            let conn = sea_orm::Database::connect(&self.url)
                .await
                .expect("PostgreSQL at 127.0.0.1:5432 (tests/run starts it)");
            conn.execute_unprepared(sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        });
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.name.is_empty() {
            return;
        }
        let name = self.name.clone();
        runtime().block_on(async {
            use sea_orm::ConnectionTrait;
            if let Ok(conn) = sea_orm::Database::connect(format!("{POSTGRES}/postgres")).await {
                let _ = conn
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        });
    }
}

fn audit_rows(store_url: &str) -> Vec<AuditRecord> {
    runtime().block_on(async {
        let store = Store::connect(store_url).await.expect("store");
        store
            .audit()
            .list(AuditFilter::default())
            .await
            .expect("audit")
    })
}

const CLEAR: &str = "query Clear { participants(first: 3) { nodes { nikMasked nik fullName } } }";

#[test]
fn personal_data_is_withheld_when_its_audit_row_cannot_be_written() {
    // The store on PostgreSQL, as in production; declared first so that it is dropped last.
    let db = Postgres::new("audit_down");
    let (gateway, _) = demo_with(
        "promise-audit-down",
        &[
            ("SIMPUL__ACCESS__ANONYMOUS_SCOPES", ""),
            ("SIMPUL__STORE__URL", db.url.as_str()),
        ],
    );
    let admin = issue(&db.url, NewKey::new(Role::Admin, "ops"));

    // While the audit log takes rows: NIKs in clear, one row.
    let (status, body) = ask(&gateway, Some(&admin), CLEAR, json!({}));
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let niks = sixteen_digit_runs(&body.to_string());
    assert!(!niks.is_empty(), "NIKs in clear: {body}");
    let names: Vec<String> = body["data"]["participants"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter_map(|n| n["fullName"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(audit_rows(&db.url).len(), 1);

    // The audit log stops taking rows. The gateway connects as a superuser, whom REVOKE does
    // not bind: a trigger refuses every insert instead, as a full disk or a lost grant would.
    db.execute(
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN RAISE EXCEPTION 'the audit log refuses rows (test)'; END $$; \
         CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
         FOR EACH ROW EXECUTE FUNCTION refuse_audit();",
    );
    let withheld = |what: &str, query: &str, variables: Value| {
        let (status, body) = ask(&gateway, Some(&admin), query, variables);
        assert_eq!(
            (status, codes(&body)),
            (503, vec!["AUDIT_UNAVAILABLE".to_owned()]),
            "{what}: {body}"
        );
        assert!(body.get("data").is_none(), "{what}: data sent: {body}");
        let text = body.to_string();
        assert!(
            sixteen_digit_runs(&text).is_empty() && names.iter().all(|n| !text.contains(n)),
            "{what}: personal data in the withheld response: {body}"
        );
    };
    withheld("the same read", CLEAR, json!({}));
    // Another selection of personal data, and a lookup by NIK (always audited).
    withheld(
        "a phone number",
        "{ participants(first: 1) { nodes { phone } } }",
        json!({}),
    );
    withheld(
        "a lookup",
        "query Find($nik: String!) { personByNik(nik: $nik) { id providers } }",
        json!({ "nik": niks[0] }),
    );
    // An aggregate is audited too (its shape), and is withheld as well.
    withheld(
        "an aggregate",
        "{ enrollments_aggregate(group_by: [provider]) { aggregate { count } } }",
        json!({}),
    );
    // What needs no audit row is still answered: the gateway is up, only the log is down.
    let (status, masked) = ask(
        &gateway,
        Some(&admin),
        "{ participants(first: 3) { nodes { nikMasked birthYear } } }",
        json!({}),
    );
    assert_eq!(status, 200, "{masked}");
    assert!(masked["errors"].is_null(), "{masked}");
    let log = gateway.log();
    assert!(log.contains("cannot write the audit row"), "{log}");
    assert!(sixteen_digit_runs(&log).is_empty(), "a NIK in the log");

    // The log takes rows again: so does the gateway answer again, and only the answered
    // responses have rows.
    db.execute("DROP TRIGGER refuse_audit ON audit_log");
    let (status, body) = ask(&gateway, Some(&admin), CLEAR, json!({}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(sixteen_digit_runs(&body.to_string()), niks, "{body}");
    assert_eq!(audit_rows(&db.url).len(), 2);
}

/// POST as `bearer` with an optional `x-request-id`; status, body and the response's
/// `x-request-id`.
fn post_with_id(
    gateway: &Gateway,
    bearer: &str,
    request_id: Option<&str>,
    body: &Value,
) -> (u16, Value, String) {
    let mut request = ureq::post(&format!("{}/graphql", gateway.base))
        .set("content-type", "application/json")
        .set("authorization", &format!("Bearer {bearer}"));
    if let Some(id) = request_id {
        request = request.set("x-request-id", id);
    }
    let response = match request.send_string(&body.to_string()) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let id = response
        .header("x-request-id")
        .unwrap_or_default()
        .to_owned();
    let text = response.into_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        id,
    )
}

#[test]
fn the_audit_row_names_the_request_id_and_the_operation_hash() {
    let (gateway, keys) = locked_down("promise-audit-row", &[]);
    let ok = |(status, body, id): (u16, Value, String)| {
        assert_eq!(status, 200, "{body}");
        assert!(body["errors"].is_null(), "{body}");
        id
    };
    // The client's id.
    let named = "query Named { participants(first: 2) { nodes { nik } } }";
    let id = ok(post_with_id(
        &gateway,
        &keys.admin,
        Some("promise-13-audit"),
        &json!({ "query": named }),
    ));
    assert_eq!(id, "promise-13-audit");
    // No id sent: the one the gateway made up and echoed.
    let unnamed = "{ participants(first: 1) { nodes { fullName } } }";
    let made_up = ok(post_with_id(
        &gateway,
        &keys.admin,
        None,
        &json!({ "query": unnamed }),
    ));
    assert!(!made_up.is_empty());
    // A persisted query sent by its hash alone (an admin registers it by sending it once):
    // the row's hash is the one the client sent, which finds the text in the store.
    let persisted = "query Persisted { participants(first: 1) { nodes { phone } } }";
    let hash = simpul_store::operation_hash(persisted);
    let apq = |query: &str| json!({ "query": query, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    ok(post_with_id(
        &gateway,
        &keys.admin,
        Some("promise-13-register"),
        &apq(persisted),
    ));
    ok(post_with_id(
        &gateway,
        &keys.admin,
        Some("promise-13-by-hash"),
        &apq(""),
    ));

    let rows = audit_rows(&keys.store_url);
    let row = |request_id: &str| {
        let found: Vec<_> = rows
            .iter()
            .filter(|r| r.entry.request_id.as_deref() == Some(request_id))
            .collect();
        assert_eq!(found.len(), 1, "one row for {request_id}: {rows:?}");
        found[0].entry.clone()
    };
    let entry = row("promise-13-audit");
    assert_eq!(entry.operation_hash, simpul_store::operation_hash(named));
    assert_eq!(entry.operation_name.as_deref(), Some("Named"));
    assert_eq!(entry.fields, ["Participant.nik"]);
    assert_eq!(entry.record_count, 2);
    let entry = row(&made_up);
    assert_eq!(entry.operation_hash, simpul_store::operation_hash(unnamed));
    assert_eq!(entry.operation_name, None);
    for id in ["promise-13-register", "promise-13-by-hash"] {
        let entry = row(id);
        assert_eq!(entry.operation_hash, hash, "{id}");
        assert_eq!(entry.operation_name.as_deref(), Some("Persisted"), "{id}");
    }
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        sixteen_digit_runs(&format!("{rows:?}")).is_empty(),
        "a NIK in the audit log"
    );
}
