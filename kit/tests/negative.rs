//! The suite against adapters that are wrong on purpose: each must fail, and only in the
//! checks that are about what it does wrong.
//!
//! - `plugins/c/zoo/wrong_filter.c` declares `eq` and ignores filters: the filter checks;
//! - `plugins/c/zoo/leaky_text.c` puts a NIK, a name and a phone number in its log, a
//!   rejection and a warning: the three personal-data scans;
//! - `plugins/zoo/misbehaving` in mode `leaky` sends personal data nobody asked for (and a
//!   status that counts nothing): the personal-fields check and the status counts;
//! - the same in mode `wrong_projection` empties a field a projection asks for: the projection
//!   check.

use std::collections::BTreeSet;

use serde_json::json;
use simpul_adapter_kit::{Options, Report};

async fn report(library: std::path::PathBuf, config: serde_json::Value) -> Report {
    assert!(library.exists(), "not built: {}", library.display());
    let report = simpul_adapter_kit::run(Options::new(library, config)).await;
    eprintln!("{}", report.table());
    report
}

fn failed(report: &Report) -> BTreeSet<&str> {
    report.failures().map(|c| c.name.as_str()).collect()
}

fn reason<'a>(report: &'a Report, name: &str) -> &'a str {
    &report
        .check(name)
        .unwrap_or_else(|| panic!("no check {name}: {}", report.table()))
        .reason
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plugin_that_ignores_the_filters_it_declares_fails_the_filter_checks() {
    let report = report(simpul_c_plugins::zoo("wrong_filter"), json!({})).await;
    assert_eq!(
        failed(&report),
        BTreeSet::from([
            "trainingCenters filter _eq",
            "trainingCenters filter constants",
            "trainingCenters filter trees",
        ]),
        "{}",
        report.table()
    );
    let eq = report.check("trainingCenters filter _eq").unwrap();
    assert!(
        eq.reason
            .contains("adapter 3 records (totalCount 3), reference"),
        "{}",
        eq.reason
    );
    assert!(
        eq.reason.contains("first difference: sourceId"),
        "{}",
        eq.reason
    );
    let reproduce = eq
        .reproduce
        .as_ref()
        .expect("a failure says how to reproduce it");
    assert_eq!(reproduce.seed, simpul_adapter_kit::DEFAULT_SEED);
    assert_eq!(reproduce.request["kind"], "query");
    assert_eq!(reproduce.request["body"]["filter"]["compare"]["op"], "eq");
    let constants = reason(&report, "trainingCenters filter constants");
    assert!(
        constants.starts_with(r#"{"or":[]}: adapter 3 records"#),
        "{constants}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_data_in_logs_rejections_and_warnings_fails_the_scans() {
    let report = report(simpul_c_plugins::zoo("leaky_text"), json!({})).await;
    assert_eq!(
        failed(&report),
        BTreeSet::from([
            "no personal data in logs",
            "no personal data in rejections",
            "no personal data in warnings",
        ]),
        "{}",
        report.table()
    );
    let logs = reason(&report, "no personal data in logs");
    assert!(logs.contains("holds the NIK of participants P-1"), "{logs}");
    assert!(
        logs.contains("holds the name of participants P-1"),
        "{logs}"
    );
    assert!(
        logs.contains("a NIK-shaped 16-digit number (3602…)"),
        "{logs}"
    );
    let rejections = reason(&report, "no personal data in rejections");
    assert!(
        rejections.contains("status rejected[0] holds the name of participants P-2"),
        "{rejections}"
    );
    let warnings = reason(&report, "no personal data in warnings");
    assert!(
        warnings.contains(
            "participants P-1 warning PHONE_INVALID holds the phone number of participants P-1"
        ),
        "{warnings}"
    );
    // The report names what leaked, never the value.
    let text = serde_json::to_string(&report.to_json()).unwrap();
    for value in [
        "3602134507900001",
        "Budi Santoso",
        "Siti Rahmawati",
        "081234567890",
    ] {
        assert!(!text.contains(value), "the report repeats {value}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_data_sent_unasked_fails_the_personal_fields_check() {
    let report = report(
        simpul_tests::library("simpul_zoo_misbehaving"),
        json!({ "mode": "leaky" }),
    )
    .await;
    assert_eq!(
        failed(&report),
        BTreeSet::from(["personal fields without includePii", "status counts"]),
        "{}",
        report.table()
    );
    let unasked = report.check("personal fields without includePii").unwrap();
    assert!(
        unasked.reason.contains("the first: participants ZOO-P-1"),
        "{}",
        unasked.reason
    );
    let request = &unasked.reproduce.as_ref().expect("reproducible").request;
    assert_eq!(request["body"]["collection"], "participants");
    assert_eq!(request["body"]["includePii"], false);
    // Its status counts nothing: both served collections are missing.
    let counts = reason(&report, "status counts");
    assert!(
        counts.contains("recordCounts has no trainingCenters"),
        "{counts}"
    );
    assert!(
        counts.contains("recordCounts has no participants"),
        "{counts}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_projection_that_empties_a_field_it_was_asked_for_fails_the_projection_check() {
    let zoo = || simpul_tests::library("simpul_zoo_misbehaving");
    let wrong = report(zoo(), json!({ "mode": "wrong_projection" })).await;
    // Healthy, the same plugin fills every field (a correct projection); the zoo fails some
    // other checks in every mode (it serves one record and counts nothing).
    let healthy = report(zoo(), json!({ "mode": "healthy" })).await;
    let added: BTreeSet<&str> = failed(&wrong)
        .difference(&failed(&healthy))
        .copied()
        .collect();
    assert_eq!(
        added,
        BTreeSet::from(["trainingCenters projection"]),
        "{}",
        wrong.table()
    );
    let why = reason(&wrong, "trainingCenters projection");
    assert!(
        why.contains("sourceId ZOO-1: active is null with `fields`, true without"),
        "{why}"
    );
    let check = wrong.check("trainingCenters projection").unwrap();
    let request = &check.reproduce.as_ref().expect("reproducible").request;
    assert_eq!(request["body"]["fields"], json!(["active"]), "{request}");
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_kept_by_request_id_alone_fail_the_request_id_check() {
    let zoo = || simpul_tests::library("simpul_zoo_misbehaving");
    let wrong = report(zoo(), json!({ "mode": "answers_by_request" })).await;
    let healthy = report(zoo(), json!({ "mode": "healthy" })).await;
    assert!(
        !failed(&healthy).contains("trainingCenters requestId"),
        "{}",
        healthy.table()
    );
    let added: BTreeSet<&str> = failed(&wrong)
        .difference(&failed(&healthy))
        .copied()
        .collect();
    assert_eq!(
        added,
        BTreeSet::from(["trainingCenters requestId"]),
        "{}",
        wrong.table()
    );
    let why = reason(&wrong, "trainingCenters requestId");
    assert!(why.contains("with a requestId"), "{why}");
    let check = wrong.check("trainingCenters requestId").unwrap();
    let request = &check.reproduce.as_ref().expect("reproducible").request;
    assert_eq!(request["body"]["requestId"], "simpul-kit-1", "{request}");
}
