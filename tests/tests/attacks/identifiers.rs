//! Attack: get a NIK or KPJ into the query text, where it would land in logs and in the
//! persisted-query store: inside a fragment, behind an alias, in a nested argument, in a
//! directive, as a variable's default; or register such a query (APQ, `simpul queries add`).
//! The gateway must refuse every one before it runs or is stored, and audit identity lookups
//! whether or not they find anyone.

use serde_json::{json, Value};
use simpul_store::{operation_hash, AuditFilter, Store};

use crate::common::{ask, codes, locked_down, post, runtime};

/// A well-formed NIK (born 5 July 1990, a woman: day + 40) that no demo person has.
const NIK: &str = "3602134507900001";
/// A KPJ (11 digits, as BPJAMSOSTEK's contract has it).
const KPJ: &str = "99000000002";

/// The store [`locked_down`] gives the gateway called `name`.
fn store_url(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("simpul-test-{}-{name}-store", std::process::id()));
    format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display())
}

#[test]
fn inline_identifiers_are_refused_anywhere_in_the_document() {
    let (gateway, keys) = locked_down("attack-inline-identifiers", &[]);
    let attacks = [
        (
            "a fragment",
            format!(
                "query {{ ...F }} fragment F on Query {{ personByNik(nik: \"{NIK}\") {{ id }} }}"
            ),
        ),
        (
            "an inline fragment",
            format!("{{ ... on Query {{ personByNik(nik: \"{NIK}\") {{ id }} }} }}"),
        ),
        (
            "an alias",
            format!("{{ who: personByNik(nik: \"{NIK}\") {{ id }} }}"),
        ),
        (
            "a nested argument",
            format!(
                "{{ participants(first: 1, where: {{ sourceId: {{ _eq: \"{NIK}\" }} }}) {{ totalCount }} }}"
            ),
        ),
        (
            "a list inside a nested argument, with separators",
            "{ participants(first: 1, where: { sourceId: { _in: [\"x\", \"3602 1345 0790 0001\"] } }) { totalCount } }".to_owned(),
        ),
        (
            "a nested argument inside a fragment, a KPJ",
            format!(
                "{{ ...P }} fragment P on Query {{ participants(first: 1, where: {{ sourceId: {{ _eq: \"{KPJ}\" }} }}) {{ totalCount }} }}"
            ),
        ),
        (
            "a directive argument",
            format!("{{ providers @include(if: true) @tag(name: \"{NIK}\") {{ key }} }}"),
        ),
        (
            "a variable's default value",
            format!("query Find($n: String! = \"{NIK}\") {{ personByNik(nik: $n) {{ id }} }}"),
        ),
    ];
    for (place, query) in &attacks {
        let (status, body) = ask(&gateway, Some(&keys.admin), query, json!({}));
        assert_eq!(
            (status, codes(&body)),
            (400, vec!["BAD_USER_INPUT".to_owned()]),
            "an inline identifier in {place} must be refused: {body}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("variable"),
            "the refusal says to use a variable: {message}"
        );
        assert!(
            !body.to_string().contains(NIK) && !body.to_string().contains(KPJ),
            "the refusal echoes the identifier: {body}"
        );
    }
    // The same lookup with the NIK as a variable runs.
    let (status, body) = ask(
        &gateway,
        Some(&keys.admin),
        "query Find($nik: String!) { personByNik(nik: $nik) { id } }",
        json!({ "nik": NIK }),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let log = gateway.log();
    assert!(
        !log.contains(NIK) && !log.contains(KPJ),
        "an identifier reached the log"
    );
}

#[test]
fn a_query_with_an_inline_nik_is_not_registered_as_a_persisted_query() {
    let url = store_url("attack-apq-nik");
    let (gateway, keys) = locked_down("attack-apq-nik", &[]);
    let text = format!(
        "query Lookup {{ ...F }} fragment F on Query {{ personByNik(nik: \"{NIK}\") {{ id }} }}"
    );
    let hash = operation_hash(&text);
    let bearer = format!("Bearer {}", keys.admin);
    let (status, body) = post(
        &gateway,
        &[("authorization", bearer.as_str())],
        &json!({ "query": text, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }),
    );
    assert_eq!(
        (status, codes(&body)),
        (400, vec!["BAD_USER_INPUT".to_owned()]),
        "an admin registering a query with an inline NIK: {body}"
    );
    let stored = runtime().block_on(async {
        let store = Store::connect(&url).await.expect("store");
        store.persisted_queries().get(&hash).await.expect("read")
    });
    assert!(stored.is_none(), "the query with the NIK was stored");
    // Asking for it by hash finds nothing.
    let (_, body) = post(
        &gateway,
        &[],
        &json!({ "query": "", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }),
    );
    assert_eq!(codes(&body), ["PERSISTED_QUERY_NOT_FOUND"], "{body}");
}

#[test]
fn simpul_queries_add_refuses_a_file_with_an_inline_nik() {
    let dir = simpul_tests::scratch_dir("attack-cli-nik");
    let url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let bad = dir.join("lookup.graphql");
    std::fs::write(
        &bad,
        format!("query Lookup {{\n  participants(first: 1, where: {{ sourceId: {{ _eq: \"{KPJ}\" }} }}) {{ totalCount }}\n  ...F\n}}\nfragment F on Query {{ personByNik(nik: \"{NIK}\") {{ id }} }}\n"),
    )
    .unwrap();
    let good = dir.join("providers.graphql");
    std::fs::write(&good, "{ providers { key } }\n").unwrap();
    let run = |file: &std::path::Path| {
        std::process::Command::new(simpul_tests::artifacts().join("simpul"))
            .args(["queries", "add"])
            .arg(file)
            .current_dir(&dir)
            .env("SIMPUL_DEMO_DIR", dir.join("demo"))
            .env("SIMPUL__STORE__URL", &url)
            .output()
            .expect("run simpul")
    };
    let listed = || -> Vec<String> {
        runtime().block_on(async {
            let store = Store::connect(&url).await.expect("store");
            store
                .persisted_queries()
                .list()
                .await
                .expect("list")
                .into_iter()
                .map(|q| q.query)
                .collect()
        })
    };

    let output = run(&good);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let before = listed();
    assert_eq!(before.len(), 1);

    let output = run(&bad);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "a file with an inline NIK was registered"
    );
    assert!(
        stderr.contains("lookup.graphql") && stderr.contains("variable"),
        "the error names the file and says to use a variable: {stderr}"
    );
    assert!(!stderr.contains(NIK), "the error echoes the NIK: {stderr}");
    assert_eq!(listed(), before, "the store changed");
}

#[test]
fn a_person_by_nik_lookup_that_finds_nobody_is_audited() {
    let url = store_url("attack-lookup-audit");
    let (gateway, keys) = locked_down("attack-lookup-audit", &[]);
    let (status, body) = ask(
        &gateway,
        Some(&keys.admin),
        "query Probe($nik: String!) { personByNik(nik: $nik) { id } }",
        json!({ "nik": NIK }),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["personByNik"], Value::Null, "{body}");
    let rows = runtime().block_on(async {
        let store = Store::connect(&url).await.expect("store");
        store
            .audit()
            .list(AuditFilter::default())
            .await
            .expect("audit")
    });
    assert_eq!(rows.len(), 1, "one audit row for the lookup: {rows:?}");
    let entry = &rows[0].entry;
    assert!(
        entry.fields.iter().any(|f| f == "Query.personByNik"),
        "{entry:?}"
    );
    assert!(entry.key_id.is_some(), "{entry:?}");
    assert_eq!(entry.operation_name.as_deref(), Some("Probe"));
    assert!(
        !format!("{rows:?}").contains(NIK),
        "the audit row holds the NIK"
    );
}
