//! The generated sample folder (the gateway's demo) gives exactly the records, warnings and
//! notes it was designed with (`support/sample.rs`), links people by NIK only, and serves
//! personal data only when asked for. The committed demo folder is what the generator writes.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use simpul_adapter_fkblkk::FkblkkData;
use simpul_schema::identity::{Nik, PersonKeys};
use simpul_schema::{Collection, CompareOp, Filter, OutcomeStatus, QueryRequest, Records};
use support::{load, sample, scratch, SECRET};

fn sample_data() -> FkblkkData {
    let dir = scratch("sample");
    sample::write(&dir);
    load(&dir)
}

fn tally<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for v in values {
        *out.entry(v).or_default() += 1;
    }
    out
}

#[test]
fn counts_statuses_and_funding() {
    let data = sample_data();
    let counts: BTreeMap<&str, u64> = data
        .status
        .record_counts
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let expected: BTreeMap<&str, u64> = [
        ("trainingCenters", 8),
        ("courses", 8),
        ("courseRuns", 8),
        ("participants", 70),
        ("enrollments", 71),
        ("outcomes", 32),
        ("partnerships", 4),
        ("credentialAwards", 20),
    ]
    .into();
    assert_eq!(counts, expected);
    assert_eq!(
        data.status.data_as_of.as_deref(),
        Some("2025-07-10T10:00:00+07:00"),
        "the revision is the latest readable workbook"
    );
    let runs = tally(data.course_runs.iter().map(|r| r.status.as_str()));
    assert_eq!(
        runs,
        [("COMPLETED", 6), ("PLANNED", 1), ("RUNNING", 1)].into()
    );
    let enrolments = tally(data.enrollments.iter().map(|e| e.status.as_str()));
    assert_eq!(
        enrolments,
        [
            ("COMPLETED", 58),
            ("FAILED", 1),
            ("IN_PROGRESS", 10),
            ("WITHDRAWN", 2)
        ]
        .into()
    );
    let outcomes = tally(data.outcomes.iter().map(|o| o.status.as_str()));
    assert_eq!(
        outcomes,
        [("EMPLOYED", 5), ("SEEKING_WORK", 8), ("SELF_EMPLOYED", 19)].into()
    );
    let funding: Vec<String> = data
        .course_runs
        .iter()
        .map(|r| {
            let schemes: Vec<&str> = r.funding_schemes.iter().map(|f| f.as_str()).collect();
            format!("{}={}", r.code, schemes.join("+"))
        })
        .collect();
    assert_eq!(
        funding,
        [
            "PLT-2025-001=APBN_PBK",
            "PLT-2025-002=APBN_PBK",
            "PLT-2025-003=APBD",
            "PLT-2025-004=APBN_PBK",
            "PLT-2025-005=PARTNER_FUNDED",
            "PLT-2025-006=APBN_PBK+SELF_FUNDED",
            "PLT-2025-007=SELF_FUNDED",
            "PLT-2025-008=SELF_FUNDED",
        ]
    );
    let inactive: Vec<&str> = data
        .training_centers
        .iter()
        .filter(|c| c.active == Some(false))
        .map(|c| c.source_id.as_str())
        .collect();
    assert_eq!(inactive, ["BLKK-TNG-07"]);
}

#[test]
fn warnings_notes_and_ignored_files_are_exactly_the_designed_ones() {
    let data = sample_data();
    assert!(data.rejected.is_empty(), "{:#?}", data.rejected);
    let warnings: Vec<(String, String)> = data
        .participants
        .iter()
        .flat_map(|p| {
            p.warnings
                .iter()
                .map(move |w| (p.source_id.clone(), w.code.clone()))
        })
        .collect();
    assert_eq!(
        warnings,
        [
            ("PLT-2025-002@r28".to_owned(), "NIK_NOT_TEXT".to_owned()),
            ("PLT-2025-006@r79".to_owned(), "NIK_NOT_TEXT".to_owned()),
        ],
        "only the two number-typed NIKs warn"
    );
    assert_eq!(data.warnings().len(), 2, "no other record warns");
    assert_eq!(data.status.warnings, 2);

    let notes: BTreeSet<(String, &str, String)> = data
        .notices
        .iter()
        .map(|f| {
            let at = f
                .source
                .replace("Rekap_BLKK_KabTangerang_2025_", "")
                .replace(".xlsx", "");
            (at, f.code, f.key.clone().unwrap_or_default())
        })
        .collect();
    let expected: BTreeSet<(String, &str, String)> = [
        (
            "~$TW2",
            "FILE_IGNORED",
            "~$Rekap_BLKK_KabTangerang_2025_TW2.xlsx",
        ),
        (
            "TW1 (1)",
            "FILE_IGNORED",
            "Rekap_BLKK_KabTangerang_2025_TW1 (1).xlsx",
        ),
        ("TW1!Pelatihan", "MISSING_OPTIONAL_COLUMNS", "header"),
        ("TW1!Alumni", "DATE_FORMAT_NONSTANDARD", "Tanggal Pendataan"),
        (
            "TW1!Alumni",
            "NUMBER_STORED_AS_TEXT",
            "Omzet per Bulan (Rp)",
        ),
        ("TW1!Alumni", "VOCABULARY_NORMALIZED", "Status Alumni"),
        ("TW2!Profil BLKK", "REGION_NAME_NORMALIZED", "Kecamatan"),
        (
            "TW2!Profil BLKK",
            "PHONE_LEADING_ZERO_RESTORED",
            "No. HP Pengelola",
        ),
        ("TW2!Profil BLKK", "NUMBER_STORED_AS_TEXT", "Tahun Berdiri"),
        ("TW2!Profil BLKK", "VOCABULARY_NORMALIZED", "Kejuruan"),
        (
            "TW2!Kemitraan",
            "VOCABULARY_NORMALIZED",
            "Bentuk Kerja Sama",
        ),
        ("TW2!Kemitraan", "DATE_FORMAT_NONSTANDARD", "Tanggal"),
        ("TW2!Pelatihan", "VOCABULARY_NORMALIZED", "Kejuruan"),
        ("TW2!Pelatihan", "VOCABULARY_NORMALIZED", "Sumber Dana"),
        ("TW2!Pelatihan", "NUMBER_STORED_AS_TEXT", "Angkatan"),
        ("TW2!Pelatihan", "DATE_FORMAT_NONSTANDARD", "Tanggal Mulai"),
        (
            "TW2!Pelatihan",
            "DATE_FORMAT_NONSTANDARD",
            "Tanggal Selesai",
        ),
        ("TW2!Peserta", "UNKNOWN_COLUMN_IGNORED", "Ukuran Baju"),
        ("TW2!Peserta", "VOCABULARY_NORMALIZED", "Status Peserta"),
        ("TW2!Peserta", "TEXT_NORMALIZED_NFC", "Nama Peserta"),
        ("TW2!Peserta", "NIK_NORMALIZED", "NIK"),
        ("TW2!Peserta", "PHONE_LEADING_ZERO_RESTORED", "No. HP"),
        ("TW2!Peserta", "DATE_FORMAT_NONSTANDARD", "Tanggal Lahir"),
        ("TW2!Peserta", "VOCABULARY_NORMALIZED", "Pendidikan"),
        ("TW2!Peserta", "VOCABULARY_NORMALIZED", "Status Pekerjaan"),
        ("TW2!Peserta", "REGION_NAME_NORMALIZED", "Kecamatan"),
        ("TW2!Peserta", "REGION_NAME_NORMALIZED", "Kab/Kota"),
        (
            "TW2!Alumni",
            "NUMBER_STORED_AS_TEXT",
            "Omzet per Bulan (Rp)",
        ),
        ("TW2!Alumni", "VOCABULARY_NORMALIZED", "Status Alumni"),
        ("TW2!Alumni", "DATE_FORMAT_NONSTANDARD", "Tanggal Pendataan"),
        ("TW2_revisi!Pelatihan", "VOCABULARY_NORMALIZED", "Kejuruan"),
        (
            "TW2_revisi!Pelatihan",
            "VOCABULARY_NORMALIZED",
            "Sumber Dana",
        ),
        (
            "TW2_revisi!Peserta",
            "UNKNOWN_COLUMN_IGNORED",
            "Ukuran Baju",
        ),
        ("TW2_revisi!Peserta", "NIK_NORMALIZED", "NIK"),
        (
            "TW2_revisi!Peserta",
            "PHONE_LEADING_ZERO_RESTORED",
            "No. HP",
        ),
        (
            "TW2_revisi!Peserta",
            "DATE_FORMAT_NONSTANDARD",
            "Tanggal Lahir",
        ),
        ("TW2_revisi!Peserta", "VOCABULARY_NORMALIZED", "Pendidikan"),
        (
            "TW2_revisi!Peserta",
            "VOCABULARY_NORMALIZED",
            "Status Pekerjaan",
        ),
        ("TW2_revisi!Peserta", "REGION_NAME_NORMALIZED", "Kecamatan"),
    ]
    .into_iter()
    .map(|(w, c, k)| (w.to_owned(), c, k.to_owned()))
    .collect();
    assert_eq!(notes, expected);
    assert_eq!(data.notices.len(), expected.len(), "each note once");
}

#[test]
fn restatement_latest_wins_per_key_and_per_batch_list() {
    let data = sample_data();
    let run = |code: &str| data.course_runs.iter().find(|r| r.code == code).unwrap();
    // TW1 called PLT-2025-004 running; TW2 completed it and dropped one of its ten people.
    assert_eq!(run("PLT-2025-004").status.as_str(), "COMPLETED");
    let in_batch = |code: &str| {
        data.enrollments
            .iter()
            .filter(|e| e.course_run_id == code)
            .count()
    };
    assert_eq!(in_batch("PLT-2025-004"), 9);
    // TW2 said 9 people in PLT-2025-008 for 8 rows; the revision fixed both the count (no
    // COUNT_MISMATCH) and a result (no FAILED left in the batch).
    assert!(run("PLT-2025-008").warnings.is_empty());
    assert_eq!(in_batch("PLT-2025-008"), 8);
    // The revision lists only PLT-2025-008: every other batch keeps TW2's list and values.
    assert_eq!(in_batch("PLT-2025-001"), 12);
    assert_eq!(
        run("PLT-2025-006").status.as_str(),
        "RUNNING",
        "derived: blank in the sheet"
    );
    assert_eq!(
        run("PLT-2025-007")
            .start_date
            .map(|d| d.to_string())
            .as_deref(),
        Some("2025-07-14")
    );
    assert_eq!(run("PLT-2025-003").cohort, Some(1), "Roman numeral I");
    assert_eq!(run("PLT-2025-006").cohort, Some(2), "Roman numeral II");
    // A TW1 alumni row TW2 did not restate stands; the two it did are TW2's.
    let updated = data
        .outcomes
        .iter()
        .filter(|o| o.enrollment_id.starts_with("PLT-2025-001/"))
        .filter(|o| o.status == OutcomeStatus::SelfEmployed)
        .count();
    assert_eq!(updated, 7);
    // The BLKK added in TW2 is there, and the one TW2 made inactive is inactive.
    assert!(data
        .training_centers
        .iter()
        .any(|c| c.source_id == "BLKK-TNG-08"));
}

#[test]
fn one_participant_per_nik_linked_across_providers_never_by_a_number_nik() {
    let data = sample_data();
    let keys = PersonKeys::new(SECRET);
    let key = |nik: &str| keys.person_key(&Nik::parse(nik).unwrap());
    let linked: BTreeSet<&str> = data
        .participants
        .iter()
        .filter_map(|p| p.person_key.as_deref())
        .collect();
    // Shared with SPN's demo export and with the generated BBPLK/BPJAMSOSTEK demo people.
    for nik in [
        "3602135402859301",
        "3602136105909303",
        "3603014904849173",
        "3603031805909270",
        "3603011005859170",
    ] {
        assert!(linked.contains(key(nik).as_str()), "{}", &nik[..6]);
    }
    // The person at two BLKKs is one participant with two enrolments; personal fields from
    // the later batch (PLT-2025-008, April), whose row spells the name in capitals.
    let mut per_participant: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &data.enrollments {
        per_participant
            .entry(&e.participant_id)
            .or_default()
            .push(&e.course_run_id);
    }
    let twice: Vec<_> = per_participant
        .iter()
        .filter(|(_, runs)| runs.len() > 1)
        .collect();
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].1, &vec!["PLT-2025-001", "PLT-2025-008"]);
    let twin = data
        .participants
        .iter()
        .find(|p| p.source_id == *twice[0].0)
        .unwrap();
    let name = twin.pii.as_ref().and_then(|p| p.full_name.clone()).unwrap();
    assert_eq!(name, name.to_uppercase());
    // Number-typed NIKs: no NIK, not valid, not linked, keyed by batch and row.
    let rejected: Vec<_> = data.participants.iter().filter(|p| !p.nik_valid).collect();
    assert_eq!(rejected.len(), 2);
    for p in rejected {
        assert!(p.person_key.is_none() && p.nik_masked.is_none());
        assert!(p.pii.as_ref().unwrap().nik.is_none());
        assert!(p.source_id.contains("@r"), "{}", p.source_id);
    }
    // Participant ids are keyed hashes, never NIKs.
    for p in &data.participants {
        if let Some(nik) = p.pii.as_ref().and_then(|pii| pii.nik.as_deref()) {
            assert!(p.source_id.starts_with('n') && !p.source_id.contains(nik));
            assert_ne!(
                Some(p.source_id[1..].to_owned()),
                p.person_key,
                "not the person key"
            );
        }
    }
    // The santri of 17 is flagged as a minor.
    assert_eq!(
        data.participants
            .iter()
            .filter(|p| p.is_minor == Some(true))
            .count(),
        1
    );
}

#[test]
fn self_employment_outcomes_are_queryable_and_revenue_is_personal() {
    let data = sample_data();
    let mut request = QueryRequest::all(Collection::Outcomes);
    request.filter = Some(Filter::compare("status", CompareOp::Eq, "SELF_EMPLOYED"));
    let answer = data.query(&request).unwrap();
    assert_eq!(answer.total_count, 19);
    let Records::Outcomes(outcomes) = answer.records else {
        panic!("outcomes")
    };
    assert!(
        outcomes.iter().all(|o| o.monthly_revenue.is_none()),
        "revenue needs include_pii"
    );
    assert!(outcomes.iter().all(|o| o.business_type.is_some()));
    request.include_pii = true;
    let Records::Outcomes(outcomes) = data.query(&request).unwrap().records else {
        panic!()
    };
    let sri = outcomes
        .iter()
        .find(|o| o.enrollment_id.starts_with("PLT-2025-003/"))
        .unwrap();
    assert_eq!(
        sri.monthly_revenue.as_ref().map(|m| m.amount.as_str()),
        Some("2500000")
    );
    assert_eq!(sri.source.as_deref(), Some("survey"));
    assert_eq!(
        sri.business_name.as_deref(),
        Some("Sri Jahit Maja (fiktif)")
    );
    let named = data.outcomes.iter().filter(|o| o.business_name.is_some());
    assert_eq!(named.count(), 19);
}

#[test]
fn personal_data_only_on_request_and_never_in_findings() {
    let data = sample_data();
    let Records::Participants(people) = data
        .query(&QueryRequest::all(Collection::Participants))
        .unwrap()
        .records
    else {
        panic!("participants")
    };
    assert!(people.iter().all(|p| p.pii.is_none()));
    let said = support::everything_said(&data);
    for p in &data.participants {
        let pii = p.pii.as_ref().unwrap();
        for value in [&pii.nik, &pii.full_name, &pii.phone].into_iter().flatten() {
            assert!(
                !said.contains(value.as_str()),
                "a personal value in a finding"
            );
        }
    }
    assert!(!said.contains("3603120705950010") && !said.contains("360312070595001"));
}

#[test]
fn partnerships_link_forum_blkks_and_sponsored_batches() {
    let data = sample_data();
    let ids: Vec<&str> = data
        .partnerships
        .iter()
        .map(|p| p.source_id.as_str())
        .collect();
    assert!(ids.contains(&"FK-BLKK/dinas ketenagakerjaan kabupaten tangerang/penjajakan"));
    let forum = &data.partnerships[0];
    assert_eq!(forum.kind.as_str(), "OTHER");
    assert_eq!(forum.parties[0].training_center_id, None);
    let sponsored = data
        .course_runs
        .iter()
        .find(|r| r.code == "PLT-2025-005")
        .unwrap();
    assert_eq!(
        sponsored.partnership_ids,
        ["BLKK-TNG-03/pt roti nusantara sejahtera (fiktif)/mou"]
    );
}

#[test]
fn the_committed_demo_is_what_the_generator_writes() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../gateway/demo/fkblkk");
    let fresh = scratch("fresh");
    sample::write(&fresh);
    let mut names: Vec<String> = std::fs::read_dir(&fresh)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let committed = std::fs::read(std::path::Path::new(demo).join(&name)).unwrap_or_else(|e| {
            panic!("gateway/demo/fkblkk/{name}: {e}; regenerate with the demo_workbooks example")
        });
        assert!(
            committed == std::fs::read(fresh.join(&name)).unwrap(),
            "gateway/demo/fkblkk/{name} is stale: cargo run -p simpul-adapter-fkblkk --example demo_workbooks"
        );
    }
}
