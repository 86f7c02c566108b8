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

#[test]
fn a_runs_outcome_summary_counts_its_completers_and_withholds_small_cells() {
    let (gw, _dir) = demo_with("outcomes-summary", &[]);
    let (_, body) = gw.query(
        r#"{
          courseRuns(first: 10, where: { provider: { _in: ["bbplk", "spn", "fkblkk"] } }) {
            nodes {
              code
              outcomeSummary { completed followedUp employed selfEmployed interviewing seekingWork other jobsObtained suppressed }
              enrollments(first: 40) { totalCount nodes { status outcome { status } } }
            }
          }
        }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let (mut shown, mut withheld) = (0, 0);
    for run in body["data"]["courseRuns"]["nodes"].as_array().unwrap() {
        let enrolments = run["enrollments"]["nodes"].as_array().unwrap();
        assert!(
            run["enrollments"]["totalCount"].as_u64().unwrap() <= 60,
            "{run}"
        );
        let completed: Vec<&serde_json::Value> = enrolments
            .iter()
            .filter(|e| e["status"] == "COMPLETED")
            .collect();
        let with = |status: &str| {
            completed
                .iter()
                .filter(|e| e["outcome"]["status"] == status)
                .count()
        };
        let summary = &run["outcomeSummary"];
        // Every count shown is the true count; a withheld one is null.
        let expected = [
            ("completed", completed.len()),
            (
                "followedUp",
                completed.iter().filter(|e| !e["outcome"].is_null()).count(),
            ),
            ("employed", with("EMPLOYED")),
            ("selfEmployed", with("SELF_EMPLOYED")),
            ("interviewing", with("INTERVIEWING")),
            ("seekingWork", with("SEEKING_WORK")),
            ("jobsObtained", with("EMPLOYED") + with("SELF_EMPLOYED")),
        ];
        for (field, count) in expected {
            if !summary[field].is_null() {
                assert_eq!(
                    summary[field],
                    json!(count),
                    "{field} of {}: {run}",
                    run["code"]
                );
            }
        }
        if summary["suppressed"] == true {
            withheld += 1;
            assert!(
                summary["employed"].is_null()
                    || summary["selfEmployed"].is_null()
                    || summary["completed"].is_null(),
                "a withheld summary shows every count: {run}"
            );
        } else {
            shown += 1;
            assert!(summary["completed"].is_number(), "{run}");
        }
    }
    // The demo's runs are small: most summaries are withheld in part.
    assert!(withheld > 0, "shown {shown}, withheld {withheld}: {body}");

    // A centre's summary covers all its runs: big enough to show, and the same counts as the
    // aggregate it is.
    let (_, body) = gw.query(
        r#"{ trainingCenters(first: 20, where: { provider: { _eq: "bbplk" } }) { nodes { id name outcomeSummary { completed followedUp employed selfEmployed jobsObtained suppressed } } } }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let centres = body["data"]["trainingCenters"]["nodes"].as_array().unwrap();
    let centre = centres
        .iter()
        .find(|c| c["outcomeSummary"]["employed"].is_number())
        .unwrap_or_else(|| panic!("no centre shows its employed completers: {body}"));
    let (_, check) = gw.query(
        r#"query($id: ID!) { enrollments_aggregate(where: { trainingCenterId: { _eq: $id }, status: { _eq: "COMPLETED" } }, group_by: [outcomeStatus]) { aggregate { count } groups { key { outcomeStatus } aggregate { count } suppressed } } }"#,
        json!({ "id": centre["id"] }),
    );
    assert!(check.get("errors").is_none(), "{check}");
    let aggregate = &check["data"]["enrollments_aggregate"];
    let summary = &centre["outcomeSummary"];
    assert_eq!(
        summary["completed"], aggregate["aggregate"]["count"],
        "{summary} {aggregate}"
    );
    let employed = aggregate["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"]["outcomeStatus"] == "EMPLOYED")
        .map(|g| g["aggregate"]["count"].clone())
        .unwrap();
    assert_eq!(summary["employed"], employed, "{summary} {aggregate}");

    // It is an aggregate: a caller without aggregate:read gets FORBIDDEN for it.
    let (gw, _dir) = demo_with(
        "outcomes-summary-scope",
        &[("SIMPUL__ACCESS__ANONYMOUS_SCOPES", "enrollment:read")],
    );
    let (_, body) = gw.query(
        "{ courseRuns(first: 1) { nodes { code outcomeSummary { completed } } } }",
        json!(null),
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
}

#[test]
fn outcomes_aggregate_counts_the_followed_up_enrolments_by_kejuruan_and_status() {
    let (gw, _dir) = demo_with("outcomes-aggregate", &[]);
    let (_, body) = gw.query(
        r#"{
          outcomes: outcomes_aggregate { aggregate { count avg { monthsToOutcome } max { monthsToOutcome } } }
          enrolments: enrollments_aggregate { aggregate { avg { monthsToOutcome } max { monthsToOutcome } } }
          recorded: enrollments_aggregate(group_by: [outcomeStatus]) {
            groups { key { outcomeStatus } aggregate { count } suppressed }
          }
          byStatus: outcomes_aggregate(group_by: [status]) {
            groups { key { status } aggregate { count } suppressed }
          }
          later: outcomes_aggregate(where: { monthsToOutcome: { _gte: 6 } }, group_by: [field, status]) {
            aggregate { count } withheldReason
            groups { key { field status } aggregate { count } suppressed }
          }
        }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let data = &body["data"];
    let total = data["outcomes"]["aggregate"]["count"].as_i64().unwrap();
    assert!(total > 0, "{body}");
    // The months are the outcomes' own numbers (only followed-up enrolments have them), not
    // another of the enrolment view's.
    let months = |root: &str, part: &str| data[root]["aggregate"][part]["monthsToOutcome"].clone();
    assert!(months("outcomes", "avg").as_f64().is_some(), "{body}");
    assert_eq!(
        months("outcomes", "avg"),
        months("enrolments", "avg"),
        "{body}"
    );
    assert_eq!(
        months("outcomes", "max"),
        months("enrolments", "max"),
        "{body}"
    );
    // The outcome view is the enrolment view's followed-up rows: its total is the enrolment
    // groups with a status, and grouping by status gives the same groups.
    let recorded: Vec<_> = data["recorded"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| !g["key"]["outcomeStatus"].is_null() || g["suppressed"] == true)
        .map(|g| {
            (
                g["key"]["outcomeStatus"].clone(),
                g["aggregate"]["count"].clone(),
            )
        })
        .collect();
    let by_status: Vec<_> = data["byStatus"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"]["status"].clone(), g["aggregate"]["count"].clone()))
        .collect();
    let visible: i64 = by_status.iter().filter_map(|(_, c)| c.as_i64()).sum();
    assert!(visible <= total, "{body}");
    for (status, count) in &by_status {
        if !status.is_null() {
            assert!(
                recorded.contains(&(status.clone(), count.clone())),
                "{body}"
            );
        }
    }
    assert!(
        by_status.iter().any(|(s, _)| s == "SELF_EMPLOYED"),
        "self-employment is among the outcomes: {body}"
    );
    // Six months on, by kejuruan: every cell is a number or withheld, never a zero standing in
    // for a withheld one.
    let later = &data["later"];
    if later["withheldReason"].is_null() {
        for group in later["groups"].as_array().unwrap() {
            assert!(
                group["suppressed"] == true || group["aggregate"]["count"].as_i64().unwrap() > 0,
                "{body}"
            );
        }
    }
}

#[test]
fn outcomes_aggregate_measures_its_query_set_against_the_outcomes_not_all_enrolments() {
    let (gw, _dir) = demo_with("outcomes-aggregate-set", &[]);
    // Selecting every outcome through a `where` leaves none out: had the population been all
    // enrolments, the complement would be the enrolments never followed up, and the answer
    // would be given; taken with the unfiltered total it would then cost nothing, but with a
    // filter that leaves out one person it would single them out.
    let (_, body) = gw.query(
        r#"{
          all: outcomes_aggregate(where: { outcomeStatus: { _is_null: false } }) {
            aggregate { count } withheldReason
          }
          unfiltered: outcomes_aggregate { aggregate { count } withheldReason }
        }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    assert!(
        body["data"]["unfiltered"]["withheldReason"].is_null(),
        "{body}"
    );
    assert!(
        body["data"]["all"]["aggregate"]["count"].is_null(),
        "{body}"
    );
    assert!(
        body["data"]["all"]["withheldReason"].as_str().is_some(),
        "{body}"
    );
}

#[test]
fn a_centres_outcome_summary_narrows_by_where() {
    let (gw, _dir) = demo_with("outcomes-centre-where", &[]);
    let (_, body) = gw.query(
        r#"{
          trainingCenters(first: 3, where: { provider: { _eq: "bbplk" } }) {
            nodes {
              all: outcomeSummary { completed followedUp suppressed }
              none: outcomeSummary(where: { fiscalYear: { _eq: 1900 } }) { completed followedUp suppressed }
            }
          }
        }"#,
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let nodes = body["data"]["trainingCenters"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty(), "{body}");
    assert!(
        nodes
            .iter()
            .any(|n| n["all"]["completed"].as_i64().is_some_and(|c| c > 0)),
        "{body}"
    );
    for node in nodes {
        // No run in 1900: nothing to count, or withheld as too small; never the centre's total.
        assert_ne!(
            node["none"]["completed"], node["all"]["completed"],
            "{body}"
        );
    }
}
