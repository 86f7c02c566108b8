//! `programs`, the catalogue programmes end to end: BBPLK's `program_pelatihan` with their
//! SKKNI units and the certification they prepare for, the courses that offer them (each
//! course's `program` is the programme that lists it), the contract's `provider` and
//! `occupation_code` shorthands, and courses filtered through their programme. Providers
//! without a catalogue (SPN, BPJAMSOSTEK, FK-BLKK) are not asked and serve none.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use simpul_tests::demo_with;

fn no_errors(body: &Value) {
    assert!(body.get("errors").is_none(), "{body}");
}

#[test]
fn programmes_with_their_units_credentials_and_courses() {
    let (gw, _dir) = demo_with("programs-all", &[]);
    let (_, body) = gw.query(
        r#"{
          all: programs(first: 30) {
            totalCount
            nodes {
              id code name provider { key } field { name } occupations { code } kkniLevel nominalHours
              competencies { code title framework }
              credentials { category scheme recognizedBy }
              courses(first: 10) { totalCount nodes { id program { id } trainingCenter { name } } }
            }
          }
          bbplk: programs(provider: "bbplk") { totalCount }
          others: programs(where: { provider: { _neq: "bbplk" } }) { totalCount }
          welding: programs(occupation_code: "7212") { nodes { occupations { code } } }
        }"#,
        json!(null),
    );
    no_errors(&body);
    let data = &body["data"];
    let programs = data["all"]["nodes"].as_array().unwrap();
    assert!(!programs.is_empty(), "{body}");
    assert_eq!(
        data["all"]["totalCount"], data["bbplk"]["totalCount"],
        "{body}"
    );
    assert_eq!(data["others"]["totalCount"], 0, "{body}");

    let mut offered = 0;
    for program in programs {
        assert_eq!(program["provider"]["key"], "bbplk", "{program}");
        // Each course of a programme names that programme back.
        for course in program["courses"]["nodes"].as_array().unwrap() {
            assert_eq!(course["program"]["id"], program["id"], "{program}");
            offered += 1;
        }
    }
    assert!(offered > 0, "no programme is offered by a course: {body}");
    assert!(
        programs
            .iter()
            .any(|p| !p["competencies"].as_array().unwrap().is_empty()),
        "no programme lists its SKKNI units: {body}"
    );
    assert!(
        programs.iter().any(|p| p["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["category"] == "COMPETENCY_CERTIFICATION")),
        "no programme prepares for a certification: {body}"
    );
    let welding = data["welding"]["nodes"].as_array().unwrap();
    assert!(!welding.is_empty(), "{body}");
    for p in welding {
        assert!(
            p["occupations"]
                .as_array()
                .unwrap()
                .contains(&json!({ "code": "7212" })),
            "{p}"
        );
    }
}

#[test]
fn courses_are_filtered_through_their_programme() {
    let (gw, _dir) = demo_with("programs-courses", &[]);
    let (_, body) = gw.query(
        r#"{
          programs(first: 30, where: { kkniLevel: { _gte: 3 } }) { nodes { id courses(first: 10) { nodes { id } } } }
          courses(first: 100, where: { program: { kkniLevel: { _gte: 3 } } }) { totalCount nodes { id program { kkniLevel } } }
          all: courses { totalCount }
        }"#,
        json!(null),
    );
    no_errors(&body);
    let data = &body["data"];
    let through_programmes: BTreeSet<&str> = data["programs"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["courses"]["nodes"].as_array().unwrap())
        .filter_map(|c| c["id"].as_str())
        .collect();
    let courses = data["courses"]["nodes"].as_array().unwrap();
    let filtered: BTreeSet<&str> = courses.iter().filter_map(|c| c["id"].as_str()).collect();
    assert!(!filtered.is_empty(), "{body}");
    assert_eq!(filtered, through_programmes, "{body}");
    assert!(
        courses
            .iter()
            .all(|c| c["program"]["kkniLevel"].as_i64().is_some_and(|l| l >= 3)),
        "{body}"
    );
    // Courses without a programme (every provider but BBPLK) never match a programme filter.
    assert!(
        data["all"]["totalCount"].as_u64().unwrap() > filtered.len() as u64,
        "{body}"
    );
}

#[test]
fn the_shorthand_arguments_are_held_to_the_bounds_of_a_where() {
    let (gw, _dir) = demo_with("programs-bounds", &[]);
    let (_, body) = gw.query(
        "query($p: String!) { programs(provider: $p) { totalCount } }",
        json!({ "p": "b".repeat(5000) }),
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    let (_, body) = gw.query(
        r#"{ programs(provider: "bbplk", occupation_code: "7212") { totalCount } }"#,
        json!(null),
    );
    no_errors(&body);
}
