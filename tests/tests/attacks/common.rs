//! What the attack tests share: requests with headers, error codes, keys in a store.

#![allow(dead_code)]

use serde_json::{json, Value};
use simpul_tests::Gateway;

/// POST a GraphQL request body with extra headers; status and JSON body.
pub fn post(gateway: &Gateway, headers: &[(&str, &str)], body: &Value) -> (u16, Value) {
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
    let text = response.into_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// POST `query` with `variables` as the holder of `key` (none: anonymous).
pub fn ask(gateway: &Gateway, key: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
    let bearer = key.map(|k| format!("Bearer {k}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("authorization", b.as_str()))
        .collect();
    post(
        gateway,
        &headers,
        &json!({ "query": query, "variables": variables }),
    )
}

/// The `extensions.code` of every error in a response.
pub fn codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
        .collect()
}

/// A current-thread tokio runtime for the store.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Keys of each role, issued in the gateway's store.
pub struct Keys {
    /// A partner of BBPLK (its default scopes: participants and enrolments, no outcomes).
    pub partner: String,
    /// An analyst (aggregates and person ids).
    pub analyst: String,
    /// An administrator (everything).
    pub admin: String,
    /// The analyst key's id, as the audit log names it.
    pub analyst_id: String,
    /// Where the gateway's store is (`sqlite://…`), to read its audit log.
    pub store_url: String,
    /// The store's id of the BBPLK partner, to issue more keys to it.
    pub bbplk_partner: i64,
}

/// A demo gateway that grants nothing without a key, with its store in its scratch folder,
/// and a key of each role. `extra` adds config overrides (`SIMPUL__…`).
pub fn locked_down(name: &str, extra: &[(&str, &str)]) -> (Gateway, Keys) {
    use simpul_store::{NewKey, NewPartner, Role, Store};
    let dir = simpul_tests::scratch_dir(&format!("{name}-store"));
    let url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let mut env = vec![
        ("SIMPUL__ACCESS__ANONYMOUS_SCOPES", ""),
        ("SIMPUL__STORE__URL", url.as_str()),
    ];
    env.extend_from_slice(extra);
    let (gateway, _) = simpul_tests::demo_with(name, &env);
    let keys = runtime().block_on(async {
        let store = Store::connect(&url).await.expect("store");
        let bbplk = store
            .partners()
            .create(NewPartner::new("BBPLK Bekasi", "bbplk"))
            .await
            .expect("partner");
        let issue = |key: NewKey| {
            let store = store.clone();
            async move {
                let created = store.keys().create(key).await.expect("key");
                (created.secret.expose().to_owned(), created.info.id)
            }
        };
        let (analyst, analyst_id) = issue(NewKey::new(Role::Analyst, "dashboard")).await;
        Keys {
            partner: issue(NewKey::for_partner(bbplk.id, "portal")).await.0,
            analyst,
            admin: issue(NewKey::new(Role::Admin, "ops")).await.0,
            analyst_id,
            store_url: url.clone(),
            bbplk_partner: bbplk.id,
        }
    });
    (gateway, keys)
}

/// Issue one more key in the gateway's store; returns the secret.
pub fn issue(store_url: &str, key: simpul_store::NewKey) -> String {
    runtime().block_on(async {
        let store = simpul_store::Store::connect(store_url)
            .await
            .expect("store");
        let created = store.keys().create(key).await.expect("key");
        created.secret.expose().to_owned()
    })
}

/// Every participant an admin can list: (provider, sex, birth year), page by page.
pub fn all_participants(gateway: &Gateway, admin: &str) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let (status, body) = ask(
            gateway,
            Some(admin),
            "query($after: String) { participants(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { provider { key } sex birthYear } } }",
            json!({ "after": after }),
        );
        assert_eq!(status, 200, "{body}");
        let page = &body["data"]["participants"];
        for n in page["nodes"].as_array().unwrap_or_else(|| panic!("{body}")) {
            out.push((
                n["provider"]["key"].as_str().unwrap_or_default().to_owned(),
                n["sex"].as_str().unwrap_or_default().to_owned(),
                n["birthYear"].as_i64().unwrap_or_default(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// POST `query` with `variables` and the trace on, as the holder of `key` (it needs the
/// `trace` scope to get it); asserts HTTP 200 and returns the body.
pub fn traced(gateway: &Gateway, key: &str, query: &str, variables: Value) -> Value {
    let bearer = format!("Bearer {key}");
    let (status, body) = post(
        gateway,
        &[("authorization", &bearer)],
        &json!({ "query": query, "variables": variables, "extensions": { "simpul": { "trace": true } } }),
    );
    assert_eq!(status, 200, "{body}");
    body
}

/// Whether each adapter call of the trace asked for personal data (`include_pii`).
pub fn personal_flags(body: &Value) -> Vec<bool> {
    body["extensions"]["simpul"]["providers"]
        .as_object()
        .unwrap_or_else(|| panic!("no trace: {body}"))
        .values()
        .flat_map(|p| p["details"].as_array().cloned().unwrap_or_default())
        .map(|call| {
            call["personalData"]
                .as_bool()
                .unwrap_or_else(|| panic!("the trace does not say: {call}"))
        })
        .collect()
}

/// A throwaway PostgreSQL database for the store; dropped by [`drop_database`].
pub fn postgres_database(name: &str) -> String {
    let db = format!("simpul_{name}_{}", std::process::id());
    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    runtime().block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = sea_orm::Database::connect(admin)
            .await
            .expect("PostgreSQL at 127.0.0.1:5432 (tests/run starts it)");
        let _ = conn
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .await;
        conn.execute_unprepared(&format!("CREATE DATABASE {db}"))
            .await
            .expect("create db");
    });
    format!("postgres://postgres@127.0.0.1:5432/{db}")
}

/// Drop the database [`postgres_database`] made.
pub fn drop_database(url: &str) {
    let db = url.rsplit('/').next().unwrap_or_default().to_owned();
    runtime().block_on(async {
        use sea_orm::ConnectionTrait;
        if let Ok(conn) =
            sea_orm::Database::connect("postgres://postgres@127.0.0.1:5432/postgres").await
        {
            let _ = conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .await;
        }
    });
}
