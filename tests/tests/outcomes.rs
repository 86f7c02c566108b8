//! `outcomes`, the root list of what happened to trainees after training, end to end: every
//! provider's outcomes in one list, the FK-BLKK alumni's own businesses among them, and the
//! `outcome:read` scope that guards it.

use serde_json::json;
use simpul_tests::demo_with;

#[test]
fn outcomes_of_all_four_providers_in_one_list_self_employment_included() {
    let (gw, _dir) = demo_with("outcomes-all", &[]);
    let (_, body) = gw.query(
        r#"{
          spn: outcomes(where: { provider: { _eq: "spn" } }) { totalCount }
          bbplk: outcomes(where: { provider: { _eq: "bbplk" } }) { totalCount }
          bpjamsostek: outcomes(where: { provider: { _eq: "bpjamsostek" } }) { totalCount }
          fkblkk: outcomes(where: { provider: { _eq: "fkblkk" } }) { totalCount }
          all: outcomes { totalCount }
          businesses: outcomes(first: 50, where: { status: { _eq: "SELF_EMPLOYED" }, provider: { _eq: "fkblkk" } }) {
            totalCount nodes { rawStatus businessType businessName observedAt }
          }
        }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let data = &body["data"];
    let mut sum = 0;
    for provider in ["spn", "bbplk", "bpjamsostek", "fkblkk"] {
        let count = data[provider]["totalCount"].as_u64().unwrap();
        assert!(count > 0, "no outcomes from {provider}: {body}");
        sum += count;
    }
    assert_eq!(data["all"]["totalCount"], json!(sum), "{body}");

    let businesses = body["data"]["businesses"]["nodes"].as_array().unwrap();
    assert!(!businesses.is_empty(), "{body}");
    assert!(
        businesses
            .iter()
            .all(|b| b["businessType"].as_str().is_some_and(|t| !t.is_empty())),
        "every self-employed FK-BLKK alumnus names the kind of business: {body}"
    );
    // The forum brands its alumni's businesses: their names are served.
    assert!(
        businesses
            .iter()
            .any(|b| b["businessName"] == "Sri Jahit Maja (fiktif)"),
        "{body}"
    );
}

#[test]
fn outcomes_need_the_outcome_read_scope() {
    let (gw, _dir) = demo_with(
        "outcomes-scope",
        &[("SIMPUL__ACCESS__ANONYMOUS_SCOPES", "")],
    );
    let (_, body) = gw.query("{ outcomes { totalCount } }", json!(null));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    assert!(
        body["data"].is_null() || body["data"]["outcomes"].is_null(),
        "{body}"
    );
}
