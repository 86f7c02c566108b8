//! The hostile-source kit (`simpul_adapter_kit::hostile`) against every real adapter of its
//! source kind: SPN and LPK, the adapter written in C (CSV), FK-BLKK (Excel), BBPLK (SQL on
//! SQLite) and BPJAMSOSTEK (REST, the simulator served in-process). Every case must pass,
//! except known findings ([`KNOWN`]): those must still fail, so the test flips when one is
//! fixed and the entry is removed.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use simpul_adapter_kit::hostile::{self, csv, judge, observe, rest, sql, xlsx, Verdict};

/// Findings reported and not fixed yet: (adapter, case). None today. (A file or sheet that
/// keeps its header and lost every row, once served as empty without a word, is
/// `FILE_NO_ROWS` and `SHEET_NO_ROWS` notices; the C adapter's NFD text, once served as read,
/// is composed for Latin-1's letters with a `TEXT_NORMALIZED_NFC` notice, and a mark it cannot
/// compose is a `TEXT_NOT_NFC` notice.)
const KNOWN: &[(&str, &str)] = &[];

/// Print every verdict; fail on any unexpected failure, and on a known finding that passes.
fn settle(adapter: &str, verdicts: &[Verdict]) {
    let mut wrong = Vec::new();
    for verdict in verdicts {
        eprintln!("{adapter} {verdict}");
        let known = KNOWN.contains(&(adapter, verdict.case));
        if known && verdict.passed() {
            wrong.push(format!(
                "{adapter} {}: fixed; remove it from KNOWN",
                verdict.case
            ));
        } else if !known && !verdict.passed() {
            wrong.push(format!("{adapter} {verdict}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn scratch(adapter: &str, case: &str) -> PathBuf {
    simpul_tests::scratch_dir(&format!("hostile-{adapter}-{}", case.replace('/', "-")))
}

const SPN: csv::Target = csv::Target {
    file: "peserta.csv",
    key: "id_peserta",
    collections: &["participants", "enrollments", "outcomes"],
    nik: "nik",
    name: "nama_lengkap",
    date: "tgl_lahir",
    phone: "no_hp",
    optional_text: "perusahaan_terakhir",
    optional_date: "tgl_phk",
};

#[tokio::test(flavor = "multi_thread")]
async fn spn_keeps_the_rule_for_bad_csv() {
    let library = simpul_tests::library("simpul_adapter_spn");
    let base = scratch("spn", "baseline");
    csv::copy_folder(&simpul_tests::workspace().join("gateway/demo/spn"), &base).unwrap();
    let config = |dir: &Path| json!({ "data_dir": dir });
    let baseline = observe(&library, config(&base))
        .await
        .expect("the baseline");
    let mut verdicts = Vec::new();
    for case in csv::cases(&base, &SPN).unwrap() {
        let dir = scratch("spn", case.name);
        csv::copy_folder(&base, &dir).unwrap();
        csv::apply(&dir, &SPN, &case.corruption).unwrap();
        let (before, after) = (base.join(SPN.file), dir.join(SPN.file));
        let text = |p: &Path| csv::Table::parse(&std::fs::read_to_string(p).unwrap());
        assert_ne!(
            text(&before),
            text(&after),
            "{} corrupts nothing",
            case.name
        );
        verdicts.push(judge(
            &case,
            &baseline,
            observe(&library, config(&dir)).await,
        ));
    }
    settle("spn", &verdicts);
}

const FKBLKK: xlsx::Target = xlsx::Target {
    file: "Rekap_BLKK_KabTangerang_2025_TW1.xlsx",
    sheet: "Peserta",
    key: "Kode Pelatihan",
    // A Peserta row is a person, their enrolment, its outcome and its training certificate.
    collections: &[
        "participants",
        "enrollments",
        "outcomes",
        "credentialAwards",
    ],
    nik: "No. KTP",
    name: "Nama Lengkap",
    date: "Tgl Lahir",
    phone: "No. HP/WA",
    optional_text: "Keterangan",
};

#[tokio::test(flavor = "multi_thread")]
async fn fkblkk_keeps_the_rule_for_bad_workbooks() {
    let library = simpul_tests::library("simpul_adapter_fkblkk");
    // One quarter's workbook, written back as the kit writes workbooks: the baseline.
    let base = scratch("fkblkk", "baseline");
    let demo = simpul_tests::workspace()
        .join("gateway/demo/fkblkk")
        .join(FKBLKK.file);
    let book = xlsx::Book::read(&demo).expect("the demo workbook");
    book.write(&base.join(FKBLKK.file)).unwrap();
    let config =
        |dir: &Path| json!({ "data_dir": dir, "identity_secret": "kit-test-secret-0123456789" });
    let baseline = observe(&library, config(&base))
        .await
        .expect("the baseline");
    let mut verdicts = Vec::new();
    for case in xlsx::cases(&book, &FKBLKK) {
        let dir = scratch("fkblkk", case.name);
        csv::copy_folder(&base, &dir).unwrap();
        xlsx::apply(&dir.join(FKBLKK.file), &FKBLKK, &case.corruption).unwrap();
        let read = |dir: &Path| xlsx::Book::read(&dir.join(FKBLKK.file)).unwrap();
        assert_ne!(read(&dir), read(&base), "{} corrupts nothing", case.name);
        verdicts.push(judge(
            &case,
            &baseline,
            observe(&library, config(&dir)).await,
        ));
    }
    settle("fkblkk", &verdicts);
}

#[tokio::test(flavor = "multi_thread")]
async fn bbplk_keeps_the_rule_for_bad_rows() {
    let library = simpul_tests::library("simpul_adapter_bbplk");
    // The embedded demo's BBPLK database: the generator's, 150 people, seed 2025.
    let base = scratch("bbplk", "baseline");
    let plan = simpul_sample_data::Plan::new(150)
        .with_seed(2025)
        .with_providers([simpul_sample_data::Provider::Bbplk]);
    simpul_sample_data::generate(&plan, &base, simpul_sample_data::Progress::hidden())
        .await
        .expect("generate the BBPLK database");
    let db = base.join("bbplk/bbplk.sqlite");
    let config = |db: &Path| {
        json!({ "url": format!("sqlite://{}?mode=ro", db.display()),
                "identity_secret": "kit-test-secret-0123456789" })
    };
    let baseline = observe(&library, config(&db)).await.expect("the baseline");
    let mut verdicts = Vec::new();
    for case in sql::cases(&db).await.unwrap() {
        let copy = scratch("bbplk", case.name).join("bbplk.sqlite");
        std::fs::copy(&db, &copy).unwrap();
        sql::apply(&copy, &case.corruption).await.unwrap();
        verdicts.push(judge(
            &case,
            &baseline,
            observe(&library, config(&copy)).await,
        ));
    }
    settle("bbplk", &verdicts);
}

const BPJAMSOSTEK: rest::Target = rest::Target {
    file: "peserta_program.json",
    key: "pesertaProgramId",
    nik: "nik",
    name: "namaLengkap",
    date: "tanggalLahir",
    optional_text: "email",
    status: "statusPelatihan",
};

/// The simulator's demo records, by file name.
fn demo_records() -> rest::RestData {
    use simpul_bpjamsostek_simulator::{DataFile, SimulatorData};
    let demo = SimulatorData::demo();
    DataFile::ALL
        .iter()
        .map(|&f| {
            let records = demo.records(f).iter().cloned().map(Value::Object).collect();
            (f.file_name().to_owned(), records)
        })
        .collect()
}

/// Serve `data` (with the demo's keys) and observe BPJAMSOSTEK on it.
async fn observe_rest(library: &Path, data: &rest::RestData) -> Result<hostile::Observed, String> {
    use simpul_bpjamsostek_simulator::{DataFile, Simulator, SimulatorData};
    let mut served = SimulatorData::demo();
    for file in DataFile::ALL {
        let text = Value::Array(data[file.file_name()].clone()).to_string();
        served
            .set_records_json(file, &text)
            .map_err(|e| e.to_string())?;
    }
    let simulator = Simulator::start(served).await.expect("start the simulator");
    let config = json!({
        "base_url": simulator.base_url(),
        "api_key": "sim-full-demo-96000001",
        "identity_secret": "kit-test-identity-secret-0001",
    });
    observe(library, config).await
}

#[tokio::test(flavor = "multi_thread")]
async fn bpjamsostek_keeps_the_rule_for_bad_bodies() {
    let library = simpul_tests::library("simpul_adapter_bpjamsostek");
    let base = demo_records();
    let baseline = observe_rest(&library, &base).await.expect("the baseline");
    let mut verdicts = Vec::new();
    for case in rest::cases(&base, &BPJAMSOSTEK) {
        let mut data = base.clone();
        (case.corruption)(&mut data);
        assert_ne!(data, base, "{} corrupts nothing", case.name);
        verdicts.push(judge(&case, &baseline, observe_rest(&library, &data).await));
    }
    settle("bpjamsostek", &verdicts);
}

/// The C adapter's file (`plugins/c/adapters/lpk`): comma-separated, one row per training
/// centre. It has no NIK, phone or birth-date column; `tahun_berdiri` (a year, optional) is
/// its optional "date".
const LPK: csv::Target = csv::Target {
    file: "lpk.csv",
    key: "id",
    collections: &["trainingCenters"],
    nik: "",
    name: "nama",
    date: "",
    phone: "",
    optional_text: "alamat",
    optional_date: "tahun_berdiri",
};

/// The cases that need a column LPK has not (a NIK, a phone number, a `dd/mm/yyyy` date):
/// left out.
const LPK_NOT_APPLICABLE: &[&str] = &[
    "csv/nik-as-number",
    "csv/nik-lost-digit",
    "csv/phone-lost-zero",
    "csv/mixed-date",
];

#[tokio::test(flavor = "multi_thread")]
async fn lpk_keeps_the_rule_for_bad_files() {
    let library = simpul_c_plugins::adapter("lpk");
    let sample = simpul_tests::workspace().join("plugins/c/adapters/lpk/data");
    let base = scratch("lpk", "baseline");
    csv::copy_folder(&sample, &base).unwrap();
    // LPK's file is comma-separated; the kit's corruptions apply to its rows all the same.
    let read = |dir: &Path| {
        csv::Table::parse_separated(&std::fs::read_to_string(dir.join(LPK.file)).unwrap(), ',')
    };
    // The kit picks its victim from a `;`-separated copy of the same rows.
    let view = scratch("lpk", "semicolons");
    std::fs::write(view.join(LPK.file), read(&base).write()).unwrap();
    let config = |dir: &Path| json!({ "data_file": dir.join(LPK.file) });
    let baseline = observe(&library, config(&base))
        .await
        .expect("the baseline");
    let mut verdicts = Vec::new();
    for case in csv::cases(&view, &LPK).unwrap() {
        if LPK_NOT_APPLICABLE.contains(&case.name) {
            continue;
        }
        let dir = scratch("lpk", case.name);
        csv::copy_folder(&base, &dir).unwrap();
        let mut table = read(&base);
        table.aim(LPK.key);
        (case.corruption)(&mut table);
        std::fs::write(dir.join(LPK.file), table.write_separated(',')).unwrap();
        assert_ne!(read(&base), read(&dir), "{} corrupts nothing", case.name);
        verdicts.push(judge(
            &case,
            &baseline,
            observe(&library, config(&dir)).await,
        ));
    }
    settle("lpk", &verdicts);
}
