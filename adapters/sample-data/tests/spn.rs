//! The SPN files load through the SPN adapter's own reader: no rejected rows (and no warnings)
//! without `--messy`, the counts of the manifest, and exactly the planted rejections with it.

mod common;

use common::run;
use simpul_adapter_spn::{SpnConfig, SpnData};
use simpul_sample_data::{Plan, Provider};

#[tokio::test]
async fn clean_export_loads_without_rejections() {
    let plan = Plan::new(3000).with_seed(3);
    let (dir, summary) = run(&plan, "spn-clean").await;
    let spn = &summary.outputs["spn"];
    let data = SpnData::load(&SpnConfig::new(dir.path().join("spn"))).expect("SPN export loads");
    assert!(
        data.status.rejected.is_empty(),
        "rejected: {:#?}",
        &data.status.rejected[..data.status.rejected.len().min(5)]
    );
    assert_eq!(data.participants.len() as u64, spn.participants);
    assert_eq!(data.enrollments.len() as u64, spn.enrollments);
    assert_eq!(data.outcomes.len() as u64, spn.outcomes);
    assert_eq!(data.course_runs.len() as u64, spn.tables["pelatihan"]);
    assert_eq!(
        data.training_centers.len() as u64,
        spn.tables["pusat_pelatihan"]
    );
    assert_eq!(data.partnerships.len() as u64, spn.tables["kerjasama"]);
    let warned: Vec<_> = data
        .participants
        .iter()
        .flat_map(|p| &p.warnings)
        .chain(data.enrollments.iter().flat_map(|e| &e.warnings))
        .chain(data.outcomes.iter().flat_map(|o| &o.warnings))
        .chain(data.course_runs.iter().flat_map(|r| &r.warnings))
        .chain(data.courses.iter().flat_map(|c| &c.warnings))
        .chain(data.training_centers.iter().flat_map(|c| &c.warnings))
        .chain(data.partnerships.iter().flat_map(|p| &p.warnings))
        .collect();
    assert!(
        warned.is_empty(),
        "warnings: {:#?}",
        &warned[..warned.len().min(5)]
    );
    assert_eq!(data.status.warnings, 0);
    // Every participant's NIK is valid and linked.
    assert!(data.participants.iter().all(|p| p.nik_valid));
    // Some outcomes, roughly 55 % of finished enrolments.
    let share = spn.outcomes as f64 / spn.enrollments as f64;
    assert!((0.35..0.65).contains(&share), "{share}");
}

#[tokio::test]
async fn format_details_follow_the_contract() {
    let plan = Plan::new(300).with_seed(8).with_providers([Provider::Spn]);
    let (dir, _) = run(&plan, "spn-format").await;
    let peserta = std::fs::read(dir.path().join("spn/peserta.csv")).expect("peserta");
    assert!(
        peserta.starts_with(b"\xEF\xBB\xBFno;id_peserta;"),
        "BOM + header"
    );
    for file in [
        "pusat_pelatihan.csv",
        "pelatihan.csv",
        "hasil.csv",
        "kerjasama.csv",
    ] {
        let bytes = std::fs::read(dir.path().join("spn").join(file)).expect(file);
        assert!(
            !bytes.starts_with(b"\xEF\xBB\xBF"),
            "{file}: BOM only on peserta.csv"
        );
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.ends_with("\r\n"), "{file}: CRLF");
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{file}: no bare LF"
        );
    }
    let text = String::from_utf8(peserta).expect("utf-8");
    assert!(text.contains(";Lulus\r\n"));
    let pusat = std::fs::read_to_string(dir.path().join("spn/pusat_pelatihan.csv")).expect("pusat");
    assert!(pusat.contains(";3,0;"), "decimal comma");
    assert!(
        pusat.contains("\"BLK desain mode dan tekstil; rumah kayu; ruang kelas\""),
        "quoted list"
    );
    let hasil = std::fs::read_to_string(dir.path().join("spn/hasil.csv")).expect("hasil");
    assert!(
        hasil
            .lines()
            .skip(1)
            .filter_map(|l| l.split(';').nth(7))
            .any(|m| m.contains('.')),
        "rupiah with dots"
    );
}

#[tokio::test]
async fn messy_export_rejects_exactly_the_planted_rows() {
    let plan = Plan::new(6000)
        .with_seed(4)
        .with_providers([Provider::Spn])
        .with_messy(true);
    let (dir, summary) = run(&plan, "spn-messy").await;
    let spn = &summary.outputs["spn"];
    assert!(spn.expected_rejected_rows > 0);
    for kind in [
        "unpadded_date",
        "iso_date",
        "invalid_nik",
        "exact_duplicate",
        "unknown_course",
        "orphan_outcome",
        "money_with_prefix",
        "extra_column",
    ] {
        assert!(
            spn.quirks.get(kind).copied().unwrap_or(0) > 0,
            "{kind} planted"
        );
    }
    let data =
        SpnData::load(&SpnConfig::new(dir.path().join("spn"))).expect("messy export still loads");
    assert_eq!(
        data.status.rejected.len() as u64,
        spn.expected_rejected_rows,
        "{:#?}",
        data.status.rejected
    );
    assert!(data.status.warnings > 0);
    let invalid = data.participants.iter().filter(|p| !p.nik_valid).count() as u64;
    assert!(invalid > 0 && invalid <= spn.quirks["invalid_nik"]);
    assert_eq!(data.enrollments.len() as u64, spn.enrollments);
}
