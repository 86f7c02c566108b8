//! The shared reference data end to end: `occupations` (paged, by code prefix) and
//! `fundingSchemes` with their eligibility rules, as root fields, as nodes and on runs.

use serde_json::{json, Value};
use simpul_tests::demo;

fn codes(page: &Value) -> Vec<String> {
    page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn occupations_page_in_code_order_and_filter_by_prefix() {
    let (gw, _dir) = demo("reference-occupations");
    let (_, all) = gw.query(
        "{ occupations(first: 100) { totalCount nodes { code } } }",
        json!(null),
    );
    assert!(all.get("errors").is_none(), "{all}");
    let every = codes(&all["data"]["occupations"]);
    assert!(every.len() > 5, "{all}");
    assert!(every.windows(2).all(|w| w[0] < w[1]), "{every:?}");
    assert_eq!(all["data"]["occupations"]["totalCount"], json!(every.len()));

    // Pages of 4, cursor by cursor, concatenate to the whole list.
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let (_, body) = gw.query(
            "query($after: String) { occupations(first: 4, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }",
            json!({ "after": after }),
        );
        let page = &body["data"]["occupations"];
        paged.extend(codes(page));
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(paged, every);

    let (_, crafts) = gw.query(
        r#"{ occupations(code_prefix: "75") { totalCount nodes { code title titleId framework } } }"#,
        json!(null),
    );
    let crafts_codes = codes(&crafts["data"]["occupations"]);
    assert!(!crafts_codes.is_empty(), "{crafts}");
    assert!(crafts_codes.iter().all(|c| c.starts_with("75")), "{crafts}");
    assert_eq!(
        crafts_codes,
        every
            .iter()
            .filter(|c| c.starts_with("75"))
            .cloned()
            .collect::<Vec<_>>()
    );

    for (args, code) in [
        (r#"first: -1"#, "BAD_USER_INPUT"),
        (r#"first: 100000"#, "BAD_USER_INPUT"),
        (r#"after: "not-a-cursor""#, "INVALID_CURSOR"),
    ] {
        let (_, body) = gw.query(
            &format!("{{ occupations({args}) {{ totalCount }} }}"),
            json!(null),
        );
        assert_eq!(
            body["errors"][0]["extensions"]["code"], code,
            "{args}: {body}"
        );
    }
}

#[test]
fn funding_schemes_carry_their_rules_and_runs_link_to_them() {
    let (gw, _dir) = demo("reference-funding");
    let (_, body) = gw.query(
        "{ fundingSchemes { id code name administrator legalBasis eligibilityRules { text expression } } }",
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let schemes = body["data"]["fundingSchemes"].as_array().unwrap();
    let jkp = schemes.iter().find(|s| s["code"] == "JKP").unwrap();
    assert_eq!(jkp["legalBasis"], json!(["PP 37/2021"]));
    assert!(jkp["eligibilityRules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["expression"]
            .as_str()
            .is_some_and(|e| e.contains("contributionMonthsInLast24 >= 12"))));

    // A scheme is a node.
    let (_, node) = gw.query(
        "query($id: ID!) { node(id: $id) { ... on FundingScheme { code name } } }",
        json!({ "id": jkp["id"] }),
    );
    assert_eq!(node["data"]["node"]["code"], "JKP", "{node}");

    // Every run's schemes are objects of the same table, across the four providers.
    let (_, runs) = gw.query(
        "{ courseRuns(first: 100) { nodes { provider { key } fundingSchemes { code name } } } }",
        json!(null),
    );
    assert!(runs.get("errors").is_none(), "{runs}");
    let mut seen = std::collections::BTreeSet::new();
    for run in runs["data"]["courseRuns"]["nodes"].as_array().unwrap() {
        for scheme in run["fundingSchemes"].as_array().unwrap() {
            let known = schemes.iter().find(|s| s["code"] == scheme["code"]);
            assert_eq!(known.map(|s| &s["name"]), Some(&scheme["name"]), "{scheme}");
            seen.insert(scheme["code"].as_str().unwrap().to_owned());
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
}
