//! `credentialAwards`, end to end through the real adapters: BBPLK's training certificates and
//! LSP competency certifications (`sertifikasi`), BPJAMSOSTEK's Vokasi certificates and
//! FK-BLKK's training certificates in one list; the numbers that identify a holder only with
//! `pii:read`; the scope that guards awards; and enrolments filtered by their awards, in
//! lists and in aggregates.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use simpul_tests::demo_with;

#[path = "attacks/common.rs"]
mod common;

fn no_errors(body: &Value) {
    assert!(body.get("errors").is_none(), "{body}");
}

#[test]
fn awards_of_every_provider_that_records_them_in_one_list() {
    let (gw, _dir) = demo_with("credentials-all", &[]);
    let (_, body) = gw.query(
        r#"{
          bbplk: credentialAwards(where: { provider: { _eq: "bbplk" } }) { totalCount }
          bpjamsostek: credentialAwards(where: { provider: { _eq: "bpjamsostek" } }) { totalCount }
          fkblkk: credentialAwards(where: { provider: { _eq: "fkblkk" } }) { totalCount }
          spn: credentialAwards(where: { provider: { _eq: "spn" } }) { totalCount }
          all: credentialAwards { totalCount }
          bnsp: credentialAwards(first: 100, where: { recognizedBy: { _eq: "BNSP" } }) {
            totalCount
            nodes {
              assessmentResult assessedOn issuedOn validUntil
              credential { category scheme issuerName recognizedBy validFor occupations { code } }
              enrollment { id status }
            }
          }
        }"#,
        json!(null),
    );
    no_errors(&body);
    let data = &body["data"];
    let count = |p: &str| data[p]["totalCount"].as_u64().unwrap();
    for provider in ["bbplk", "bpjamsostek", "fkblkk"] {
        assert!(count(provider) > 0, "no awards from {provider}: {body}");
    }
    // SPN's export records no certificates: it is not asked, and serves none.
    assert_eq!(count("spn"), 0, "{body}");
    assert_eq!(
        count("all"),
        count("bbplk") + count("bpjamsostek") + count("fkblkk"),
        "{body}"
    );

    let bnsp = data["bnsp"]["nodes"].as_array().unwrap();
    assert!(!bnsp.is_empty(), "{body}");
    for award in bnsp {
        let credential = &award["credential"];
        assert_eq!(
            credential["category"], "COMPETENCY_CERTIFICATION",
            "{award}"
        );
        assert!(
            credential["recognizedBy"]
                .as_array()
                .unwrap()
                .contains(&json!("BNSP")),
            "{award}"
        );
        // Every award names the enrolment it came through.
        assert!(award["enrollment"]["id"].is_string(), "{award}");
    }
    // BBPLK's LSPs assess: both results occur, and a competent holder's certificate holds for
    // three years.
    let results: BTreeSet<&str> = bnsp
        .iter()
        .filter_map(|a| a["assessmentResult"].as_str())
        .collect();
    assert!(results.contains("COMPETENT"), "{body}");
    assert!(
        bnsp.iter().any(|a| a["credential"]["validFor"] == "P3Y"),
        "{body}"
    );
}

#[test]
fn certificate_numbers_are_personal_data() {
    let query = r#"{ credentialAwards(first: 30, where: { provider: { _eq: "bbplk" }, category: { _eq: "COMPETENCY_CERTIFICATION" }, assessmentResult: { _eq: "COMPETENT" } }) { nodes { id number registrationNumber } } }"#;

    // Without pii:read: each number is FORBIDDEN, the rest of the answer stands.
    let (gw, _dir) = demo_with("credentials-masked", &[]);
    let (_, body) = gw.query(query, json!(null));
    let errors = body["errors"].as_array().expect("FORBIDDEN errors");
    assert!(
        errors
            .iter()
            .all(|e| e["extensions"]["code"] == "FORBIDDEN"),
        "{body}"
    );
    let nodes = body["data"]["credentialAwards"]["nodes"]
        .as_array()
        .unwrap();
    assert!(!nodes.is_empty(), "{body}");
    assert!(nodes.iter().all(|n| n["number"].is_null()), "{body}");
    // Nor did any adapter send them: no certificate number is anywhere in the answer.
    assert!(!body.to_string().contains("REG/"), "{body}");
    drop(gw);

    // With pii:read (an administrator's key): numbers in clear, a competent holder's
    // registration number with them, each noted in the audit log.
    let (gw, keys) = common::locked_down("credentials-clear", &[]);
    let (_, body) = common::ask(&gw, Some(&keys.admin), query, json!(null));
    no_errors(&body);
    let nodes = body["data"]["credentialAwards"]["nodes"]
        .as_array()
        .unwrap();
    assert!(!nodes.is_empty(), "{body}");
    assert!(
        nodes
            .iter()
            .all(|n| n["number"].as_str().is_some_and(|s| !s.is_empty())),
        "{body}"
    );
    assert!(
        nodes.iter().any(|n| n["registrationNumber"]
            .as_str()
            .is_some_and(|s| s.starts_with("REG/"))),
        "{body}"
    );
}

#[test]
fn awards_need_the_participant_read_scope() {
    let (gw, _dir) = demo_with(
        "credentials-scope",
        &[("SIMPUL__ACCESS__ANONYMOUS_SCOPES", "enrollment:read")],
    );
    let (_, body) = gw.query("{ credentialAwards { totalCount } }", json!(null));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    assert!(
        body["data"].is_null() || body["data"]["credentialAwards"].is_null(),
        "{body}"
    );
}

#[test]
fn enrolments_are_filtered_by_their_awards_in_lists_and_aggregates() {
    let (gw, _dir) = demo_with("credentials-filter", &[]);
    let competent = r#"{ category: { _eq: "COMPETENCY_CERTIFICATION" }, assessmentResult: { _eq: "COMPETENT" } }"#;
    let (_, body) = gw.query(
        &format!(
            r#"{{
              awards: credentialAwards(first: 100, where: {competent}) {{ totalCount nodes {{ enrollment {{ id }} }} }}
              enrollments(first: 100, where: {{ credentialAwards: {competent} }}) {{ totalCount nodes {{ id credentialAwards {{ credential {{ category }} assessmentResult }} }} }}
              enrollments_aggregate(where: {{ credentialAwards: {competent} }}) {{ aggregate {{ count }} }}
            }}"#
        ),
        json!(null),
    );
    no_errors(&body);
    let data = &body["data"];
    assert!(
        data["awards"]["totalCount"].as_u64().unwrap() <= 100,
        "one page holds them all: {body}"
    );
    let from_awards: BTreeSet<&str> = data["awards"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["enrollment"]["id"].as_str())
        .collect();
    let enrolments = data["enrollments"]["nodes"].as_array().unwrap();
    let listed: BTreeSet<&str> = enrolments.iter().filter_map(|e| e["id"].as_str()).collect();
    assert!(!listed.is_empty(), "{body}");
    assert_eq!(listed, from_awards, "{body}");
    for e in enrolments {
        assert!(
            e["credentialAwards"].as_array().unwrap().iter().any(|a| {
                a["credential"]["category"] == "COMPETENCY_CERTIFICATION"
                    && a["assessmentResult"] == "COMPETENT"
            }),
            "{e}"
        );
    }
    assert_eq!(
        data["enrollments_aggregate"]["aggregate"]["count"],
        json!(listed.len()),
        "{body}"
    );
}
