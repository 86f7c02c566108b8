//! Same plan → byte-identical output (CSV, SQLite, SQL, JSON, manifest); another seed →
//! different data.

mod common;

use common::{files, run};
use simpul_sample_data::{BbplkFormat, Plan};

#[tokio::test]
async fn same_seed_same_bytes_other_seed_other_data() {
    let plan = Plan::new(600)
        .with_seed(42)
        .with_bbplk_format(BbplkFormat::Both);
    let (a, sa) = run(&plan, "det-a").await;
    let (b, sb) = run(&plan, "det-b").await;
    assert_eq!(sa, sb);
    let fa = files(a.path());
    let fb = files(b.path());
    let names: Vec<&str> = fa.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"bbplk/bbplk.sqlite"), "{names:?}");
    assert_eq!(names.len(), 14, "{names:?}");
    assert_eq!(fa.len(), fb.len());
    for ((na, ba), (nb, bb)) in fa.iter().zip(&fb) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between two runs with the same seed");
    }

    let (c, _) = run(&plan.clone().with_seed(43), "det-c").await;
    let fc = files(c.path());
    for name in [
        "spn/peserta.csv",
        "bbplk/bbplk.sql",
        "bpjamsostek/peserta_program.json",
        "bpjamsostek/kepesertaan.json",
    ] {
        let get =
            |v: &[(String, Vec<u8>)]| v.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone());
        assert_ne!(get(&fa), get(&fc), "{name} is the same under another seed");
    }
}

#[tokio::test]
async fn messy_output_is_deterministic_too() {
    let plan = Plan::new(400).with_seed(5).with_messy(true);
    let (a, _) = run(&plan, "det-messy-a").await;
    let (b, _) = run(&plan, "det-messy-b").await;
    assert!(files(a.path()) == files(b.path()));
}
