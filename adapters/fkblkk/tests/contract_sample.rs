//! The provider's own sample workbooks (`fkblkk/data/` beside the contract, not in this repo)
//! give what contract §9 says. Ignored by default; run it with the folder:
//! `FKBLKK_CONTRACT_SAMPLE=../shared/providers/fkblkk/data cargo nextest run
//! -p simpul-adapter-fkblkk --run-ignored only`.

mod support;

use std::collections::BTreeMap;

use support::load;

fn tally<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    values.for_each(|v| *out.entry(v).or_default() += 1);
    out
}

#[test]
#[ignore = "needs the contract's sample workbooks: FKBLKK_CONTRACT_SAMPLE=<dir>"]
fn the_contracts_sample_gives_what_section_9_says() {
    let dir = std::env::var("FKBLKK_CONTRACT_SAMPLE").expect("FKBLKK_CONTRACT_SAMPLE=<dir>");
    let data = load(std::path::Path::new(&dir));
    let counts: Vec<(&str, u64)> = data
        .status
        .record_counts
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let expected = [
        ("courseRuns", 21),
        ("courses", 21),
        ("enrollments", 311),
        ("outcomes", 62),
        ("participants", 309),
        ("partnerships", 5),
        ("trainingCenters", 33),
    ];
    assert_eq!(counts, expected);
    let runs = tally(data.course_runs.iter().map(|r| r.status.as_str()));
    assert_eq!(
        runs,
        [("COMPLETED", 19), ("PLANNED", 1), ("RUNNING", 1)].into()
    );
    let funding: Vec<String> = data
        .course_runs
        .iter()
        .map(|r| {
            r.funding_schemes
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    let funding = tally(funding.iter().map(String::as_str));
    let expected = [
        ("APBD", 3),
        ("APBN_PBK", 13),
        ("APBN_PBK+SELF_FUNDED", 1),
        ("PARTNER_FUNDED", 2),
        ("SELF_FUNDED", 2),
    ];
    assert_eq!(funding, expected.into());
    let enrolments = tally(data.enrollments.iter().map(|e| e.status.as_str()));
    let expected = [
        ("COMPLETED", 261),
        ("FAILED", 21),
        ("IN_PROGRESS", 16),
        ("WITHDRAWN", 13),
    ];
    assert_eq!(enrolments, expected.into());
    let outcomes = tally(data.outcomes.iter().map(|o| o.status.as_str()));
    let expected = [("EMPLOYED", 8), ("SEEKING_WORK", 19), ("SELF_EMPLOYED", 35)];
    assert_eq!(outcomes, expected.into());
    assert_eq!(data.participants.iter().filter(|p| !p.nik_valid).count(), 4);
    assert_eq!(
        data.training_centers
            .iter()
            .filter(|c| c.active == Some(false))
            .count(),
        1
    );
    assert!(data.rejected.is_empty(), "{:#?}", data.rejected);
    // The sample's own warnings: NIK_NOT_TEXT on TW2 Peserta rows 83, 175, 180, 185. Every other
    // warning is a kecamatan the embedded Kemendagri table does not have (it lists 5 of
    // Kabupaten Tangerang's 29), which the contract's fuller reference resolves.
    let mut rows: Vec<String> = data
        .warnings()
        .into_iter()
        .filter(|w| w.code == "NIK_NOT_TEXT")
        .map(|w| w.message.split(": ").next().unwrap_or_default().to_owned())
        .collect();
    rows.sort();
    let at = "Rekap_BLKK_KabTangerang_2024_TW2.xlsx!Peserta row";
    assert_eq!(
        rows,
        ["175", "180", "185", "83"].map(|r| format!("{at} {r}"))
    );
    let others = data
        .warnings()
        .into_iter()
        .filter(|w| w.code != "NIK_NOT_TEXT");
    assert!(others
        .into_iter()
        .all(|w| w.code == "REGION_NAME_UNRESOLVED"));
    let noted: Vec<&str> = data.notices.iter().map(|n| n.code).collect();
    for code in [
        "DATE_FORMAT_NONSTANDARD",
        "NUMBER_STORED_AS_TEXT",
        "PHONE_LEADING_ZERO_RESTORED",
        "REGION_NAME_NORMALIZED",
        "VOCABULARY_NORMALIZED",
    ] {
        assert!(noted.contains(&code), "{code}");
    }
}
