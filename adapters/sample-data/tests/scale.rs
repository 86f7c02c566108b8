//! The full-size run. Ignored by default (minutes, ~1 GB of output); run it with
//! `cargo test --release -p simpul-sample-data --test scale -- --ignored`, or use the binary:
//! `/usr/bin/time -v target/release/simpul-sample-data --participants 1000000 --out /tmp/simpul-1m --quiet`.

mod common;

use common::run;
use simpul_sample_data::Plan;

#[tokio::test]
#[ignore = "1,000,000 participants: minutes and about a gigabyte of output"]
async fn one_million_participants() {
    let (_dir, summary) = run(&Plan::new(1_000_000), "scale-1m").await;
    assert_eq!(summary.people.total, 1_000_000);
    assert_eq!(summary.people.at_two_or_more, 50_000);
    assert_eq!(summary.people.at_all_three, 16_667);
    let participants: u64 = summary.outputs.values().map(|o| o.participants).sum();
    assert_eq!(participants, 1_000_000 + 50_000 + 16_667);
}

/// Reads an existing large SPN export (e.g. the 1M run) through the SPN adapter:
/// `SIMPUL_SAMPLE_DIR=/tmp/simpul-1m cargo test --release -p simpul-sample-data --test scale -- --ignored existing`.
#[test]
#[ignore = "needs SIMPUL_SAMPLE_DIR pointing at a generated output folder"]
fn existing_spn_export_loads_without_rejections() {
    let Ok(dir) = std::env::var("SIMPUL_SAMPLE_DIR") else {
        eprintln!("SIMPUL_SAMPLE_DIR not set; skipped");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let manifest: simpul_sample_data::Summary = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest json");
    let spn = &manifest.outputs["spn"];
    let data =
        simpul_adapter_spn::SpnData::load(&simpul_adapter_spn::SpnConfig::new(dir.join("spn")))
            .expect("loads");
    assert_eq!(
        data.status.rejected.len() as u64,
        spn.expected_rejected_rows
    );
    assert_eq!(data.participants.len() as u64, spn.participants);
    assert_eq!(data.enrollments.len() as u64, spn.enrollments);
    assert_eq!(data.outcomes.len() as u64, spn.outcomes);
}
