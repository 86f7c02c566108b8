//! End to end: build the plugins, start `simpul serve` on an ephemeral port and query it over
//! HTTP: the embedded default, filters and sorts, ids, the command line, GraphQL over HTTP.

use std::process::Command;

use serde_json::{json, Value};
use simpul_tests::{artifacts, demo, library, scratch_dir};

#[test]
fn embedded_default_serves_all_four_providers_and_their_centres() {
    let (gw, _dir) = demo("default");
    let (status, body) = gw.query("{ providers { key status } trainingCenters(first: 50) { totalCount edges { node { id name provider { key } } } } }", json!(null));
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let providers: Vec<&str> = body["data"]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(providers, ["spn", "bbplk", "bpjamsostek", "fkblkk"]);
    let centres = body["data"]["trainingCenters"]["edges"].as_array().unwrap();
    assert_eq!(
        body["data"]["trainingCenters"]["totalCount"],
        json!(centres.len())
    );
    for provider in providers {
        assert!(
            centres
                .iter()
                .any(|e| e["node"]["provider"]["key"] == provider),
            "no centre from {provider}: {body}"
        );
    }
    assert!(centres
        .iter()
        .all(|e| e["node"]["name"].as_str().is_some_and(|n| !n.is_empty())));
    assert!(
        centres
            .iter()
            .any(|e| e["node"]["name"].as_str().unwrap().contains("SPN")),
        "{body}"
    );

    // The demo export has one bad row: reported with file, line and reason, never dropped silently.
    let (status, ready) = gw.get("/readyz");
    assert_eq!(status, 200);
    let ready: Value = serde_json::from_str(&ready).unwrap();
    let spn = &ready["providers"][0];
    assert_eq!(
        (spn["state"].as_str(), spn["rejectedRecords"].as_u64()),
        (Some("ready"), Some(1)),
        "{ready}"
    );
    assert_eq!(
        (
            spn["rejected"][0]["source"].as_str(),
            spn["rejected"][0]["line"].as_u64()
        ),
        (Some("peserta.csv"), Some(27))
    );
    assert!(
        gw.log().contains("peserta.csv:27"),
        "the plugin log names the bad row: {}",
        gw.log()
    );
    // FK-BLKK's demo folder rejects nothing; its two junk files and its normalisations are notes.
    let fkblkk = &ready["providers"][3];
    assert_eq!(
        (fkblkk["state"].as_str(), fkblkk["rejectedRecords"].as_u64()),
        (Some("ready"), Some(0)),
        "{ready}"
    );
}

#[test]
fn fkblkk_people_link_to_the_same_people_at_the_other_providers() {
    let (gw, _dir) = demo("fkblkk");
    let (status, body) = gw.query(
        r#"{ participants(first: 100, where: { provider: { _eq: "fkblkk" } }) { totalCount nodes { nikValid person { providers } } } }"#,
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let nodes = body["data"]["participants"]["nodes"].as_array().unwrap();
    assert_eq!(body["data"]["participants"]["totalCount"], json!(70));
    let mut shared: Vec<Vec<&str>> = nodes
        .iter()
        .filter_map(|n| n["person"]["providers"].as_array())
        .map(|p| p.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .filter(|p| p.len() > 1)
        .collect();
    for providers in &mut shared {
        providers.sort_unstable();
    }
    shared.sort();
    // Two with SPN's export, three with the generated BBPLK and BPJAMSOSTEK people.
    assert_eq!(
        shared,
        [
            vec!["bbplk", "bpjamsostek", "fkblkk"],
            vec!["bbplk", "bpjamsostek", "fkblkk"],
            vec!["bbplk", "bpjamsostek", "fkblkk"],
            vec!["fkblkk", "spn"],
            vec!["fkblkk", "spn"],
        ],
        "{body}"
    );
    // A NIK typed as a number is never linked.
    let unlinked = nodes.iter().filter(|n| n["nikValid"] == json!(false));
    assert!(unlinked.clone().count() == 2 && unlinked.into_iter().all(|n| n["person"].is_null()));
}

#[test]
fn course_runs_filter_and_sort() {
    let (gw, _dir) = demo("runs");
    let (_, all) = gw.query(
        "{ courseRuns(first: 100) { totalCount nodes { code startDate status } } }",
        json!(null),
    );
    let total = all["data"]["courseRuns"]["totalCount"].as_i64().unwrap();
    let (status, body) = gw.query(
        r#"query($since: Date!) { courseRuns(first: 100, where: { startDate: { _gte: $since }, status: { _in: ["COMPLETED", "RUNNING", "OPEN"] } }, order_by: [{ startDate: desc }]) { totalCount nodes { code startDate } } }"#,
        json!({ "since": "2023-01-01" }),
    );
    assert_eq!(status, 200, "{body}");
    let nodes = body["data"]["courseRuns"]["nodes"].as_array().unwrap();
    let dates: Vec<&str> = nodes
        .iter()
        .map(|n| n["startDate"].as_str().unwrap())
        .collect();
    assert!(
        !dates.is_empty() && (dates.len() as i64) < total,
        "the filter should keep some runs and drop others: {dates:?}"
    );
    assert!(dates.iter().all(|d| *d >= "2023-01-01"), "{dates:?}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "not sorted descending: {dates:?}"
    );

    let (_, none) = gw.query(
        r#"{ courseRuns(where: { provider: { _eq: "elsewhere" } }) { totalCount } }"#,
        json!(null),
    );
    assert_eq!(none["data"]["courseRuns"]["totalCount"], 0);
}

#[test]
fn forged_cursors_and_ids_get_clear_errors() {
    let (gw, _dir) = demo("forged");
    let (status, body) = gw.query(
        r#"{ participants(first: 2, after: "bm90LWEtY3Vyc29y") { totalCount } }"#,
        json!(null),
    );
    assert_eq!(status, 200);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_CURSOR",
        "{body}"
    );
    let (_, body) = gw.query(r#"{ node(id: "%%%") { id } }"#, json!(null));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_ID",
        "{body}"
    );
    let (_, body) = gw.query("{ participants(first: 1000) { totalCount } }", json!(null));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}

#[test]
fn relations_and_node_lookup() {
    let (gw, _dir) = demo("relations");
    let (status, body) = gw.query(
        "{ courseRuns(first: 1, order_by: [{ startDate: asc }]) { nodes { id code course { name trainingCenter { id name address { region { name level regency { name } } } } } location { code } } } }",
        json!(null),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let run = &body["data"]["courseRuns"]["nodes"][0];
    assert!(
        run["course"]["trainingCenter"]["name"].is_string(),
        "{body}"
    );
    let id = run["id"].as_str().unwrap();
    let (_, node) = gw.query(
        "query($id: ID!) { node(id: $id) { id ... on CourseRun { code } } }",
        json!({ "id": id }),
    );
    assert_eq!(node["data"]["node"]["code"], run["code"], "{node}");
}

#[test]
fn a_centre_lists_the_centres_it_supervises_and_each_names_it_back() {
    let (gw, _dir) = demo("supervised");
    let (_, body) = gw.query(
        r#"{ trainingCenters(first: 50, where: { provider: { _eq: "bbplk" } }) {
               nodes { id sourceId supervisor { sourceId }
                       supervisedCenters(first: 10) { totalCount nodes { sourceId supervisor { id } } } } } }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let nodes = body["data"]["trainingCenters"]["nodes"].as_array().unwrap();
    let supervising: Vec<_> = nodes
        .iter()
        .filter(|n| n["supervisedCenters"]["totalCount"].as_i64() > Some(0))
        .collect();
    assert!(
        !supervising.is_empty(),
        "the demo's BBPLK supervises a BLK Komunitas: {body}"
    );
    for centre in &supervising {
        for child in centre["supervisedCenters"]["nodes"].as_array().unwrap() {
            assert_eq!(child["supervisor"]["id"], centre["id"], "{body}");
        }
    }
    // Every centre with a supervisor is among that supervisor's centres.
    for centre in nodes.iter().filter(|n| !n["supervisor"].is_null()) {
        let parent = nodes
            .iter()
            .find(|n| n["sourceId"] == centre["supervisor"]["sourceId"])
            .unwrap_or_else(|| panic!("{body}"));
        let children = parent["supervisedCenters"]["nodes"].as_array().unwrap();
        assert!(
            children.iter().any(|c| c["sourceId"] == centre["sourceId"]),
            "{body}"
        );
    }
}

#[test]
fn a_centres_partnerships_are_the_agreements_that_name_it_as_a_party() {
    let (gw, _dir) = demo("centre-partnerships");
    // Every provider's agreements, with the centres among their parties.
    let (_, all) = gw.query(
        "{ partnerships(first: 100) { totalCount nodes { id parties { trainingCenter { id } } } } }",
        json!(null),
    );
    assert!(all.get("errors").is_none(), "{all}");
    let agreements = all["data"]["partnerships"]["nodes"].as_array().unwrap();
    assert!(
        agreements.len() as u64 == all["data"]["partnerships"]["totalCount"].as_u64().unwrap(),
        "{all}"
    );
    let (_, body) = gw.query(
        "{ trainingCenters(first: 30) { nodes { id partnerships(first: 30) { nodes { id } } } } }",
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let mut linked = 0;
    for centre in body["data"]["trainingCenters"]["nodes"].as_array().unwrap() {
        let mut served: Vec<&str> = centre["partnerships"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        let mut expected: Vec<&str> = agreements
            .iter()
            .filter(|a| {
                a["parties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["trainingCenter"]["id"] == centre["id"])
            })
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        served.sort_unstable();
        expected.sort_unstable();
        assert_eq!(served, expected, "centre {}: {body}", centre["id"]);
        linked += served.len();
    }
    assert!(linked > 0, "the demo's centres have agreements: {body}");
}

#[test]
fn a_required_provider_that_fails_stops_the_gateway_with_the_reason() {
    let dir = scratch_dir("required");
    std::fs::write(
        dir.join("simpul.toml"),
        format!("[[providers]]\nkey = \"zoo\"\nrequired = true\nlibrary = \"{}\"\n[providers.config]\nmode = \"panic_on_create\"\n", library("simpul_zoo_misbehaving").display()),
    )
    .unwrap();
    let output = Command::new(artifacts().join("simpul"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("required provider `zoo` is unavailable")
            && stderr.contains("panic in create"),
        "{stderr}"
    );
}

#[test]
fn plugins_inspect_prints_the_manifest_or_why_not() {
    let output = Command::new(artifacts().join("simpul"))
        .args(["plugins", "inspect"])
        .arg(library("simpul_adapter_spn"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(manifest["provider"]["key"], "spn");
    assert!(
        manifest["configSchema"]["properties"]["data_dir"].is_object(),
        "{manifest}"
    );

    let output = Command::new(artifacts().join("simpul"))
        .args(["plugins", "inspect"])
        .arg(simpul_c_plugins::zoo("bad_abi_major"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("simpul_czoo_bad_abi_major") && stderr.contains("incompatible"),
        "{stderr}"
    );
}

#[test]
fn http_follows_graphql_over_http() {
    let (gw, _dir) = demo("http");
    let url = format!("{}/graphql", gw.base);
    // GET with a query.
    let r = ureq::get(&url)
        .query("query", "{ __typename }")
        .call()
        .unwrap();
    assert_eq!(r.content_type(), "application/json");
    // Wrong content type, unacceptable Accept, malformed JSON, missing query.
    let status = |r: Result<ureq::Response, ureq::Error>| match r {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "text/plain")
                .send_string("{}")
        ),
        415
    );
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "application/json")
                .set("accept", "text/csv")
                .send_string("{}")
        ),
        406
    );
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "application/json")
                .send_string("{not json")
        ),
        400
    );
    assert_eq!(
        status(
            ureq::post(&url)
                .set("content-type", "application/json")
                .send_string("{}")
        ),
        400
    );
    // Request errors: 400 under graphql-response+json, 200 under json, no data entry.
    let (code, body) = gw.query("{ nope }", json!(null));
    assert_eq!(code, 400);
    assert!(
        body.get("data").is_none() && body["errors"].is_array(),
        "{body}"
    );
    // Mutations over GET.
    let r = ureq::get(&url).query("query", "mutation { x }").call();
    assert!(
        matches!(r, Err(ureq::Error::Status(405, ref resp)) if resp.header("allow") == Some("POST"))
    );
    // A browser gets GraphiQL.
    let html = ureq::get(&url)
        .set("accept", "text/html")
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(html.to_lowercase().contains("graphiql"));
    assert_eq!(gw.get("/healthz"), (200, "ok".to_owned()));
}

#[test]
fn a_providers_training_centres_are_the_list_narrowed_to_it() {
    let (gw, _dir) = demo("provider-centres");
    let (_, body) = gw.query(
        r#"{
          providers { key trainingCenters(first: 50, order_by: [{ name: asc }]) { totalCount nodes { id } } }
          all: trainingCenters(first: 100, order_by: [{ name: asc }]) { nodes { id provider { key } } }
        }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let all = body["data"]["all"]["nodes"].as_array().unwrap();
    for provider in body["data"]["providers"].as_array().unwrap() {
        let key = &provider["key"];
        let expected: Vec<&Value> = all
            .iter()
            .filter(|c| &c["provider"]["key"] == key)
            .map(|c| &c["id"])
            .collect();
        let got: Vec<&Value> = provider["trainingCenters"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["id"])
            .collect();
        assert!(!got.is_empty(), "{key}: {body}");
        assert_eq!(got, expected, "{key}");
        assert_eq!(provider["trainingCenters"]["totalCount"], json!(got.len()));
    }
}
