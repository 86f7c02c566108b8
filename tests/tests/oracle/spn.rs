//! The SPN demo export (`gateway/demo/spn/*.csv`), answered by hand.
//!
//! Every expected answer below was worked out by a person reading the CSV files, not by running
//! Simpul. The mapping applied by hand is the SPN contract's (UNIFIED.md §3, as
//! `adapters/spn/src/mapping` implements it): `jenis_kelamin` L/P (any case) → MALE/FEMALE;
//! `status_kerja` Korban PHK → LAID_OFF, Belum bekerja → UNEMPLOYED, Bekerja → EMPLOYED,
//! Wirausaha → SELF_EMPLOYED, Pensiun → RETIRED; `status_kelulusan` Lulus → COMPLETED, Tidak
//! lulus → FAILED, Mengundurkan diri → WITHDRAWN, blank → from the run (RUNNING →
//! IN_PROGRESS); `status_hasil` Bekerja kembali → EMPLOYED, Wirausaha → SELF_EMPLOYED, Mencari
//! kerja → SEEKING_WORK, anything else → OTHER; `sumber_dana` Swadaya SPN → UNION_SELF_FUNDED,
//! GBB → PARTNER_FUNDED, anything else → OTHER; `jenis_pelatihan` Kewirausahaan →
//! ENTREPRENEURSHIP. A participant is one `id_peserta`, its person columns from its latest row
//! by `tgl_daftar`; an enrollment is one (`id_peserta`, `kode_pelatihan`) row; run statuses are
//! taken on the snapshot day, 2025-06-30. Region codes come from the names (`Kab. Lebak` =
//! 36.02, `Kota Serang` = 36.73, `Kota Cilegon` = 36.72, `Kab./Kabupaten Tangerang` = 36.03;
//! SPN-TC-02's address Karundang, Cipocok Jaya, Kota Serang = 36.73.05.1002) or from
//! `kode_wilayah` (SPN-TC-01: 3602132007 = 36.02.13.2007).
//!
//! ## What the export holds, mapped
//!
//! `pusat_pelatihan.csv`: SPN-TC-01 "SPN Training Center Lebak" (36.02.13.2007), SPN-TC-02
//! "Rumah Belajar DPC SPN Kota Serang (fiktif)" (36.73.05.1002); both UNION_TRAINING_CENTER,
//! `active` unknown (null).
//!
//! `pelatihan.csv`, one run per row, six courses (SPN-PL-2022-01 and -2024-01 are the same
//! course, "Menjahit Pakaian Dasar" at SPN-TC-01):
//!
//! | run | centre | course | type | KBJI | start | end | status | funding |
//! |---|---|---|---|---|---|---|---|---|
//! | SPN-PL-2022-01 | TC-01 | Menjahit Pakaian Dasar | RESKILLING | 7531 | 2022-09-12 | 2022-09-30 | COMPLETED | UNION_SELF_FUNDED |
//! | SPN-PL-2023-01 | TC-01 | Kewirausahaan dan Pengelolaan Keuangan Usaha Kecil | ENTREPRENEURSHIP | – | 2023-04-10 | 2023-04-14 | COMPLETED | PARTNER_FUNDED |
//! | SPN-PL-2023-02 | TC-02 | Barista dan Pengolahan Kopi | RESKILLING | 5132 | 2023-11-06 | 2023-11-17 | COMPLETED | UNION_SELF_FUNDED |
//! | SPN-PL-2024-01 | TC-01 | Menjahit Pakaian Dasar | RESKILLING | 7531 | 2024-01-15 | 2024-02-02 | COMPLETED | PARTNER_FUNDED |
//! | SPN-PL-2024-02 | TC-02 | Pemasaran Digital untuk Usaha Rumahan | ENTREPRENEURSHIP | – | 2024-10-07 | 2024-10-11 | COMPLETED | OTHER ("Iuran anggota DPC") |
//! | SPN-PL-2025-01 | TC-01 | Pertukangan Kayu dan Rumah Kayu | RESKILLING | 7115 | 2025-06-16 | 2025-07-11 | RUNNING | PARTNER_FUNDED |
//! | SPN-PL-2025-02 | TC-01 | Desain Pola Busana Lanjutan | UPSKILLING | 7532 | 2025-08-04 | 2025-08-15 | OPEN | UNION_SELF_FUNDED |
//!
//! `peserta.csv`, 39 rows (column `no`); row 25 (file line 27) names run `SPN-PL-2023-9`,
//! which does not exist: rejected, so 38 enrollments and 35 participants. `P-` is `SPN-P-`,
//! runs are shortened to their year and number.
//!
//! | no | participant | run | sex | born | regency | education | status_kerja | result |
//! |---|---|---|---|---|---|---|---|---|
//! | 1 | P-0001 | 22-01 | F | 1985 | 36.02 | SMP | LAID_OFF | COMPLETED |
//! | 2 | P-0002 | 22-01 | F | 1979 | 36.02 | SD | LAID_OFF | COMPLETED |
//! | 3 | P-0003 | 22-01 | F | 1990 | 36.02 | SMK | (LAID_OFF, older row) | COMPLETED |
//! | 4 | P-0004 | 22-01 | F | 2001 | 36.02 | SMA | UNEMPLOYED | WITHDRAWN |
//! | 5 | P-0005 | 22-01 | M | 1983 | 36.02 | SMP | LAID_OFF | COMPLETED |
//! | 6 | P-0006 | 22-01 | F | 1988 | 36.02 | SMA | UNEMPLOYED | COMPLETED (registered `1/9/2022`) |
//! | 7 | P-0007 | 22-01 | F | 1990 (`7/3/1990`) | 36.02 | SMK | EMPLOYED | COMPLETED |
//! | 8 | P-0003 | 23-01 | F | 1990 | 36.02 | SMK | SELF_EMPLOYED (latest) | COMPLETED |
//! | 9 | P-0008 | 23-01 | M | 1966 | 36.02 | SD | RETIRED | COMPLETED |
//! | 10 | P-0009 | 23-01 | F | 1981 | 36.02 | SMP | LAID_OFF | COMPLETED |
//! | 11 | P-0010 | 23-01 | M | 1986 | 36.02 | SMA | (LAID_OFF, older row) | COMPLETED |
//! | 12 | P-0011 | 23-01 | M | 1962 | 36.02 | SD | RETIRED | COMPLETED |
//! | 13 | P-0012 | 23-01 | F | 1992 | 36.02 | SMK | SELF_EMPLOYED | COMPLETED |
//! | 14 | P-0013 | 23-01 | M | 1977 | 36.02 | SMP | LAID_OFF | FAILED |
//! | 15 | P-0014 | 23-01 | F | 1984 | 36.02 | SMA | LAID_OFF | COMPLETED |
//! | 16 | P-0015 | 23-02 | M | 1980 | 36.73 | SMA | LAID_OFF | COMPLETED |
//! | 17 | P-0016 | 23-02 | F | 1996 | 36.73 | S1 | UNEMPLOYED | COMPLETED |
//! | 18 | P-0017 | 23-02 | M | 1989 | 36.72 | SMK | LAID_OFF | COMPLETED |
//! | 19 | P-0018 | 23-02 | F | 1993 | 36.73 | D3 | LAID_OFF | COMPLETED |
//! | 20 | P-0019 | 23-02 | M | 2002 | 36.73 | SMA | UNEMPLOYED | COMPLETED |
//! | 21 | P-0020 | 23-02 | M | 1982 | 36.72 | SMP | LAID_OFF | COMPLETED |
//! | 22 | P-0010 | 24-01 | M | 1986 | 36.02 | SMA | SELF_EMPLOYED (latest) | COMPLETED |
//! | 23 | P-0022 | 24-01 | M | 1974 | 36.02 | SD | LAID_OFF | COMPLETED |
//! | 24 | P-0023 | 24-01 | F | 1991 | 36.02 | SMP | UNEMPLOYED | COMPLETED |
//! | 25 | P-0012 | 23-9 | – | – | – | – | – | rejected |
//! | 26 | P-0024 | 24-01 | F | 1995 | 36.02 | SMK | EMPLOYED | WITHDRAWN |
//! | 27 | P-0025 | 24-01 | M | 1970 | 36.02 | SD | LAID_OFF | COMPLETED |
//! | 28 | P-0026 | 24-01 | F (`p`) | 1998 | 36.02 | SMA | UNEMPLOYED | COMPLETED |
//! | 29 | P-0021 | 24-02 | F | 1987 | 36.73 | SMA | LAID_OFF | COMPLETED |
//! | 30 | P-0015 | 24-02 | M | 1980 | 36.73 | SMA | LAID_OFF (latest) | COMPLETED |
//! | 31 | P-0027 | 24-02 | F | 1986 | 36.03 | SMA | EMPLOYED | COMPLETED |
//! | 32 | P-0028 | 24-02 | M | 1990 | 36.03 (`Kabupaten Tangerang`) | SMK | LAID_OFF | FAILED |
//! | 33 | P-0029 | 24-02 | F | 1983 | 36.73 | SMP | SELF_EMPLOYED | COMPLETED |
//! | 34 | P-0030 | 24-02 | M | 1994 | 36.73 | S1 | EMPLOYED | COMPLETED |
//! | 35 | P-0031 | 25-01 | M | 1979 | 36.02 | SMP | LAID_OFF | IN_PROGRESS (blank) |
//! | 36 | P-0032 | 25-01 | M | 1985 | 36.02 | SD | LAID_OFF | IN_PROGRESS (blank) |
//! | 37 | P-0033 | 25-01 | M | 1972 | 36.02 | SMP | LAID_OFF | IN_PROGRESS (blank) |
//! | 38 | P-0034 | 25-01 | F | 1989 | 36.02 | (blank: null) | UNEMPLOYED | IN_PROGRESS (blank) |
//! | 39 | P-0035 | 25-01 | M | 1997 | 36.02 | SMK | LAID_OFF | IN_PROGRESS (blank) |
//!
//! Participants: 18 women, 17 men; by regency 36.02: 24, 36.73: 7, 36.72: 2, 36.03: 2; at
//! registration LAID_OFF 18, UNEMPLOYED 7, EMPLOYED 4, SELF_EMPLOYED 4 (P-0003, P-0010, P-0012,
//! P-0029), RETIRED 2. Enrollments: 29 COMPLETED, 5 IN_PROGRESS, 2 WITHDRAWN, 2 FAILED; 19 by
//! women, 19 by men.
//!
//! `hasil.csv`, 20 outcomes (all match an enrollment):
//!
//! | participant/run | status | observed |
//! |---|---|---|
//! | P-0001/22-01 | SELF_EMPLOYED | 2023-01-15 |
//! | P-0002/22-01 | EMPLOYED | 2022-12-20 |
//! | P-0003/22-01 | SEEKING_WORK | 2023-01-10 |
//! | P-0005/22-01 | EMPLOYED | 2022-12-05 |
//! | P-0007/22-01 | SELF_EMPLOYED | 2023-01-15 |
//! | P-0003/23-01 | SELF_EMPLOYED | 2023-10-02 |
//! | P-0008/23-01 | SELF_EMPLOYED | 2023-10-02 |
//! | P-0009/23-01 | SEEKING_WORK | 2023-09-28 |
//! | P-0010/23-01 | SELF_EMPLOYED | 2023-10-02 |
//! | P-0011/23-01 | SELF_EMPLOYED | 2023-10-05 |
//! | P-0014/23-01 | EMPLOYED | 2023-09-12 |
//! | P-0015/23-02 | EMPLOYED | 2024-02-20 |
//! | P-0016/23-02 | EMPLOYED | 2024-03-05 |
//! | P-0017/23-02 | SEEKING_WORK | 2024-02-15 |
//! | P-0019/23-02 | OTHER ("Melanjutkan pendidikan") | 2024-02-15 |
//! | P-0020/23-02 | SELF_EMPLOYED | 2024-04-01 |
//! | P-0010/24-01 | SELF_EMPLOYED | 2024-05-15 |
//! | P-0022/24-01 | SEEKING_WORK | 2024-05-15 |
//! | P-0021/24-02 | SELF_EMPLOYED | 2025-01-20 |
//! | P-0030/24-02 | EMPLOYED | 2025-01-10 |
//!
//! SELF_EMPLOYED 9, EMPLOYED 6, SEEKING_WORK 4, OTHER 1; 18 enrollments have no outcome.
//!
//! ## Reading a case
//!
//! Every question is asked with `provider: { _eq: "spn" }` added to its `where`. A list case
//! gives the `totalCount` and the page's `sourceId`s in order; an enrollment case the
//! `sourceId`s of the enrollments (nested under SPN's participants) that match, in any order;
//! an aggregate case the total count, the groups shown (key, count) in key order, and the
//! folded row of withheld cells (its count, `None` when below 5, and how many groups it holds):
//! cells under 5 are withheld, and a single withheld cell takes the next smallest with it.

/// One question and its hand-computed answer.
pub struct Case {
    /// What is asked, in words.
    pub what: &'static str,
    /// How it is asked and what the answer is.
    pub ask: Ask,
}

/// How a case is asked, with its answer.
pub enum Ask {
    /// `LIST(ARGS, where: { provider: spn, FILTER }) { totalCount nodes { sourceId } }`.
    List {
        /// `participants`, `courseRuns`, `courses` or `trainingCenters`.
        list: &'static str,
        /// The `where` fields besides `provider`.
        filter: &'static str,
        /// Order and paging arguments.
        args: &'static str,
        /// `totalCount`.
        total: u64,
        /// The page's `sourceId`s, in order.
        ids: &'static [&'static str],
    },
    /// `participants(where: { provider: spn }) { nodes { enrollments(where: { FILTER }) } }`.
    Enrollments {
        /// The nested `where`.
        filter: &'static str,
        /// Matching enrollments' `sourceId`s, any order.
        ids: &'static [&'static str],
    },
    /// `VIEW_aggregate(where: { provider: spn, FILTER }, group_by: [KEY])`.
    Aggregate {
        /// `enrollments`, `participants` or `courseRuns`.
        view: &'static str,
        /// The `where` fields besides `provider`.
        filter: &'static str,
        /// The one group key, or `None` for the total only.
        key: Option<&'static str>,
        /// `aggregate { count }`.
        total: u64,
        /// Shown groups: key (`"null"` for no value) and count, in key order.
        groups: &'static [(&'static str, u64)],
        /// The folded row of withheld cells: its count (`None`: withheld, under 5) and
        /// `suppressedGroups`; `None` when nothing is withheld.
        withheld: Option<(Option<u64>, u64)>,
    },
}

const BY_ID: &str = "first: 100, order_by: [{ sourceId: asc }]";
const BY_START: &str = "first: 100, order_by: [{ startDate: asc }]";
const BY_NAME: &str = "first: 100, order_by: [{ name: asc }]";

fn list(
    list: &'static str,
    filter: &'static str,
    args: &'static str,
    total: u64,
    ids: &'static [&'static str],
) -> Ask {
    Ask::List {
        list,
        filter,
        args,
        total,
        ids,
    }
}

fn people(filter: &'static str, ids: &'static [&'static str]) -> Ask {
    list("participants", filter, BY_ID, ids.len() as u64, ids)
}

fn runs(filter: &'static str, ids: &'static [&'static str]) -> Ask {
    list("courseRuns", filter, BY_START, ids.len() as u64, ids)
}

fn courses(filter: &'static str, ids: &'static [&'static str]) -> Ask {
    list("courses", filter, BY_NAME, ids.len() as u64, ids)
}

fn centres(filter: &'static str, ids: &'static [&'static str]) -> Ask {
    list("trainingCenters", filter, BY_NAME, ids.len() as u64, ids)
}

fn enrollments(filter: &'static str, ids: &'static [&'static str]) -> Ask {
    Ask::Enrollments { filter, ids }
}

fn aggregate(
    view: &'static str,
    filter: &'static str,
    key: Option<&'static str>,
    total: u64,
    groups: &'static [(&'static str, u64)],
    withheld: Option<(Option<u64>, u64)>,
) -> Ask {
    Ask::Aggregate {
        view,
        filter,
        key,
        total,
        groups,
        withheld,
    }
}

fn case(what: &'static str, ask: Ask) -> Case {
    Case { what, ask }
}

// Course names, as `courses` sourceIds (centre/name) in name order.
const BARISTA: &str = "SPN-TC-02/Barista dan Pengolahan Kopi";
const POLA: &str = "SPN-TC-01/Desain Pola Busana Lanjutan";
const KWU: &str = "SPN-TC-01/Kewirausahaan dan Pengelolaan Keuangan Usaha Kecil";
const JAHIT: &str = "SPN-TC-01/Menjahit Pakaian Dasar";
const DIGITAL: &str = "SPN-TC-02/Pemasaran Digital untuk Usaha Rumahan";
const KAYU: &str = "SPN-TC-01/Pertukangan Kayu dan Rumah Kayu";

/// Every case.
#[rustfmt::skip]
pub fn cases() -> Vec<Case> {
    vec![
        // ---- participants: every operator on every kind of field ----------------------------
        case(
            "35 participants: one per id_peserta; the row naming SPN-PL-2023-9 is rejected",
            list("participants", "", "first: 3, order_by: [{ sourceId: asc }]", 35,
                &["SPN-P-0001", "SPN-P-0002", "SPN-P-0003"]),
        ),
        case(
            "women (P and p)",
            people(r#"sex: { _eq: "FEMALE" }"#, &[
                "SPN-P-0001", "SPN-P-0002", "SPN-P-0003", "SPN-P-0004", "SPN-P-0006", "SPN-P-0007",
                "SPN-P-0009", "SPN-P-0012", "SPN-P-0014", "SPN-P-0016", "SPN-P-0018", "SPN-P-0021",
                "SPN-P-0023", "SPN-P-0024", "SPN-P-0026", "SPN-P-0027", "SPN-P-0029", "SPN-P-0034",
            ]),
        ),
        case(
            "not women",
            people(r#"sex: { _neq: "FEMALE" }"#, &[
                "SPN-P-0005", "SPN-P-0008", "SPN-P-0010", "SPN-P-0011", "SPN-P-0013", "SPN-P-0015",
                "SPN-P-0017", "SPN-P-0019", "SPN-P-0020", "SPN-P-0022", "SPN-P-0025", "SPN-P-0028",
                "SPN-P-0030", "SPN-P-0031", "SPN-P-0032", "SPN-P-0033", "SPN-P-0035",
            ]),
        ),
        case(
            "born after 1995, youngest last (1996, 1997, 1998, 2001, 2002)",
            list("participants", "birthYear: { _gt: 1995 }", "first: 100, order_by: [{ birthYear: asc }]", 5,
                &["SPN-P-0016", "SPN-P-0035", "SPN-P-0026", "SPN-P-0004", "SPN-P-0019"]),
        ),
        case(
            "born 1995 or later: adds P-0024 (06/06/1995)",
            list("participants", "birthYear: { _gte: 1995 }", "first: 100, order_by: [{ birthYear: asc }]", 6,
                &["SPN-P-0024", "SPN-P-0016", "SPN-P-0035", "SPN-P-0026", "SPN-P-0004", "SPN-P-0019"]),
        ),
        case(
            "born before 1974, youngest first (1972, 1970, 1966, 1962)",
            list("participants", "birthYear: { _lt: 1974 }", "first: 100, order_by: [{ birthYear: desc }]", 4,
                &["SPN-P-0033", "SPN-P-0025", "SPN-P-0008", "SPN-P-0011"]),
        ),
        case(
            "born 1974 or earlier: adds P-0022 (20/02/1974)",
            list("participants", "birthYear: { _lte: 1974 }", "first: 100, order_by: [{ birthYear: desc }]", 5,
                &["SPN-P-0022", "SPN-P-0033", "SPN-P-0025", "SPN-P-0008", "SPN-P-0011"]),
        ),
        case(
            "born in 1990 (P-0007 written 7/3/1990), sourceId descending",
            list("participants", "birthYear: { _eq: 1990 }", "first: 100, order_by: [{ sourceId: desc }]", 3,
                &["SPN-P-0028", "SPN-P-0007", "SPN-P-0003"]),
        ),
        case(
            "not born in 1990: 35 - 3",
            list("participants", "birthYear: { _neq: 1990 }", "first: 3, order_by: [{ sourceId: asc }]", 32,
                &["SPN-P-0001", "SPN-P-0002", "SPN-P-0004"]),
        ),
        case(
            "born in 1980, 1985 or 1990",
            people("birthYear: { _in: [1980, 1985, 1990] }",
                &["SPN-P-0001", "SPN-P-0003", "SPN-P-0007", "SPN-P-0015", "SPN-P-0028", "SPN-P-0032"]),
        ),
        case(
            "born in none of 1980, 1985, 1990: 35 - 6",
            list("participants", "birthYear: { _nin: [1980, 1985, 1990] }", "first: 3, order_by: [{ sourceId: asc }]", 29,
                &["SPN-P-0002", "SPN-P-0004", "SPN-P-0005"]),
        ),
        case(
            "living in Kota Serang (36.73)",
            people(r#"domicileRegencyCode: { _prefix: "36.73" }"#, &[
                "SPN-P-0015", "SPN-P-0016", "SPN-P-0018", "SPN-P-0019", "SPN-P-0021", "SPN-P-0029",
                "SPN-P-0030",
            ]),
        ),
        case(
            "everyone lives in Banten (36)",
            list("participants", r#"domicileRegencyCode: { _prefix: "36" }"#, "first: 3, order_by: [{ sourceId: desc }]", 35,
                &["SPN-P-0035", "SPN-P-0034", "SPN-P-0033"]),
        ),
        case(
            "a regency (36.02) is not inside one of its districts (36.02.13)",
            people(r#"domicileRegencyCode: { _prefix: "36.02.13" }"#, &[]),
        ),
        case(
            "living in Kota Cilegon or Kab. Tangerang (row 32 spells it `Kabupaten Tangerang`)",
            people(r#"domicileRegencyCode: { _in: ["36.72", "36.03"] }"#,
                &["SPN-P-0017", "SPN-P-0020", "SPN-P-0027", "SPN-P-0028"]),
        ),
        case(
            "living in Kab. Lebak (36.02): 35 - 7 - 2 - 2",
            list("participants", r#"domicileRegencyCode: { _eq: "36.02" }"#, "first: 3, order_by: [{ sourceId: asc }]", 24,
                &["SPN-P-0001", "SPN-P-0002", "SPN-P-0003"]),
        ),
        case(
            "laid off (Korban PHK) at their latest registration; P-0003 and P-0010 were, then registered as Wirausaha",
            people(r#"employmentStatusAtRegistration: { _eq: "LAID_OFF" }"#, &[
                "SPN-P-0001", "SPN-P-0002", "SPN-P-0005", "SPN-P-0009", "SPN-P-0013", "SPN-P-0014",
                "SPN-P-0015", "SPN-P-0017", "SPN-P-0018", "SPN-P-0020", "SPN-P-0021", "SPN-P-0022",
                "SPN-P-0025", "SPN-P-0028", "SPN-P-0031", "SPN-P-0032", "SPN-P-0033", "SPN-P-0035",
            ]),
        ),
        case(
            "Wirausaha at registration, by _ilike",
            people(r#"employmentStatusAtRegistration: { _ilike: "self%" }"#,
                &["SPN-P-0003", "SPN-P-0010", "SPN-P-0012", "SPN-P-0029"]),
        ),
        case(
            "_like is case-sensitive",
            people(r#"employmentStatusAtRegistration: { _like: "self%" }"#, &[]),
        ),
        case(
            "ending in EMPLOYED: EMPLOYED, UNEMPLOYED and SELF_EMPLOYED",
            people(r#"employmentStatusAtRegistration: { _like: "%EMPLOYED" }"#, &[
                "SPN-P-0003", "SPN-P-0004", "SPN-P-0006", "SPN-P-0007", "SPN-P-0010", "SPN-P-0012",
                "SPN-P-0016", "SPN-P-0019", "SPN-P-0023", "SPN-P-0024", "SPN-P-0026", "SPN-P-0027",
                "SPN-P-0029", "SPN-P-0030", "SPN-P-0034",
            ]),
        ),
        case(
            "Pensiun or Bekerja at registration",
            people(r#"employmentStatusAtRegistration: { _in: ["RETIRED", "EMPLOYED"] }"#,
                &["SPN-P-0007", "SPN-P-0008", "SPN-P-0011", "SPN-P-0024", "SPN-P-0027", "SPN-P-0030"]),
        ),
        case(
            "education left blank (row 38)",
            people("education: { _is_null: true }", &["SPN-P-0034"]),
        ),
        case(
            "education neither SMA nor SMK: the blank one is not counted",
            people(r#"education: { _nin: ["SMA", "SMK"] }"#, &[
                "SPN-P-0001", "SPN-P-0002", "SPN-P-0005", "SPN-P-0008", "SPN-P-0009", "SPN-P-0011",
                "SPN-P-0013", "SPN-P-0016", "SPN-P-0018", "SPN-P-0020", "SPN-P-0022", "SPN-P-0023",
                "SPN-P-0025", "SPN-P-0029", "SPN-P-0030", "SPN-P-0031", "SPN-P-0032", "SPN-P-0033",
            ]),
        ),
        case(
            "education not SD: 35 - 6 SD - 1 blank",
            list("participants", r#"education: { _neq: "SD" }"#, "first: 3, order_by: [{ sourceId: asc }]", 28,
                &["SPN-P-0001", "SPN-P-0003", "SPN-P-0004"]),
        ),
        case(
            "_or: women born before 1980, or anyone living in Cilegon",
            people(r#"_or: [{ sex: { _eq: "FEMALE" }, birthYear: { _lt: 1980 } }, { domicileRegencyCode: { _prefix: "36.72" } }]"#,
                &["SPN-P-0002", "SPN-P-0017", "SPN-P-0020"]),
        ),
        case(
            "_not _or: men born 1985 or later",
            people(r#"_not: { _or: [{ sex: { _eq: "FEMALE" } }, { birthYear: { _lt: 1985 } }] }"#, &[
                "SPN-P-0010", "SPN-P-0017", "SPN-P-0019", "SPN-P-0028", "SPN-P-0030", "SPN-P-0032",
                "SPN-P-0035",
            ]),
        ),
        case(
            "_and: men born 1985 or later living in Lebak",
            people(r#"_and: [{ sex: { _eq: "MALE" } }, { birthYear: { _gte: 1985 } }, { domicileRegencyCode: { _prefix: "36.02" } }]"#,
                &["SPN-P-0010", "SPN-P-0032", "SPN-P-0035"]),
        ),
        case(
            "with an outcome Bekerja kembali",
            people(r#"enrollments: { outcome: { status: { _eq: "EMPLOYED" } } }"#, &[
                "SPN-P-0002", "SPN-P-0005", "SPN-P-0014", "SPN-P-0015", "SPN-P-0016", "SPN-P-0030",
            ]),
        ),
        case(
            "who withdrew from a run (Mengundurkan diri)",
            people(r#"enrollments: { status: { _eq: "WITHDRAWN" } }"#, &["SPN-P-0004", "SPN-P-0024"]),
        ),
        case(
            "trained on a run paid by `Iuran anggota DPC` (OTHER): SPN-PL-2024-02",
            people(r#"enrollments: { courseRun: { fundingScheme: { _eq: "OTHER" } } }"#, &[
                "SPN-P-0015", "SPN-P-0021", "SPN-P-0027", "SPN-P-0028", "SPN-P-0029", "SPN-P-0030",
            ]),
        ),
        case(
            "with no completed run: withdrew, failed, or still training",
            people(r#"_not: { enrollments: { status: { _eq: "COMPLETED" } } }"#, &[
                "SPN-P-0004", "SPN-P-0013", "SPN-P-0024", "SPN-P-0028", "SPN-P-0031", "SPN-P-0032",
                "SPN-P-0033", "SPN-P-0034", "SPN-P-0035",
            ]),
        ),
        // ---- participants: orders and pages ----------------------------------------------------
        case(
            "the four youngest (2002, 2001, 1998, 1997)",
            list("participants", "", "first: 4, order_by: [{ birthYear: desc }, { sourceId: asc }]", 35,
                &["SPN-P-0019", "SPN-P-0004", "SPN-P-0026", "SPN-P-0035"]),
        ),
        case(
            "by age, oldest first, skipping two (1962, 1966): 1970, 1972, 1974",
            list("participants", "", "limit: 3, offset: 2, order_by: [{ birthYear: asc }]", 35,
                &["SPN-P-0025", "SPN-P-0033", "SPN-P-0022"]),
        ),
        case(
            "the last page of three by sourceId",
            list("participants", "", "last: 3, order_by: [{ sourceId: asc }]", 35,
                &["SPN-P-0033", "SPN-P-0034", "SPN-P-0035"]),
        ),
        case(
            "two keys with ties: birth year ascending, then sourceId descending",
            list("participants", "birthYear: { _in: [1985, 1990] }", "first: 100, order_by: [{ birthYear: asc }, { sourceId: desc }]", 5,
                &["SPN-P-0032", "SPN-P-0001", "SPN-P-0028", "SPN-P-0007", "SPN-P-0003"]),
        ),
        // ---- course runs ------------------------------------------------------------------------
        case(
            "all seven runs by start date",
            runs("", &[
                "SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2023-02", "SPN-PL-2024-01", "SPN-PL-2024-02",
                "SPN-PL-2025-01", "SPN-PL-2025-02",
            ]),
        ),
        case(
            "ended before 2025-06-30",
            runs(r#"status: { _eq: "COMPLETED" }"#, &[
                "SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2023-02", "SPN-PL-2024-01", "SPN-PL-2024-02",
            ]),
        ),
        case(
            "under way (16/06-11/07/2025) or not started (04/08/2025) on 2025-06-30",
            runs(r#"status: { _in: ["RUNNING", "OPEN"] }"#, &["SPN-PL-2025-01", "SPN-PL-2025-02"]),
        ),
        case(
            "starting on or after 06/11/2023",
            runs(r#"startDate: { _gte: "2023-11-06" }"#, &[
                "SPN-PL-2023-02", "SPN-PL-2024-01", "SPN-PL-2024-02", "SPN-PL-2025-01", "SPN-PL-2025-02",
            ]),
        ),
        case(
            "starting after 06/11/2023",
            runs(r#"startDate: { _gt: "2023-11-06" }"#,
                &["SPN-PL-2024-01", "SPN-PL-2024-02", "SPN-PL-2025-01", "SPN-PL-2025-02"]),
        ),
        case(
            "ending on or before 02/02/2024",
            runs(r#"endDate: { _lte: "2024-02-02" }"#,
                &["SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2023-02", "SPN-PL-2024-01"]),
        ),
        case(
            "ending before 02/02/2024",
            runs(r#"endDate: { _lt: "2024-02-02" }"#,
                &["SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2023-02"]),
        ),
        case(
            "starting on one of three days",
            runs(r#"startDate: { _in: ["2023-04-10", "2025-08-04", "2030-01-01"] }"#,
                &["SPN-PL-2023-01", "SPN-PL-2025-02"]),
        ),
        case(
            "paid by GBB",
            runs(r#"fundingScheme: { _eq: "PARTNER_FUNDED" }"#,
                &["SPN-PL-2023-01", "SPN-PL-2024-01", "SPN-PL-2025-01"]),
        ),
        case(
            "not paid by Swadaya SPN",
            runs(r#"fundingScheme: { _neq: "UNION_SELF_FUNDED" }"#,
                &["SPN-PL-2023-01", "SPN-PL-2024-01", "SPN-PL-2024-02", "SPN-PL-2025-01"]),
        ),
        case(
            "at the Serang centre (its code resolved from Karundang, Cipocok Jaya, Kota Serang)",
            runs(r#"regionCode: { _prefix: "36.73" }"#, &["SPN-PL-2023-02", "SPN-PL-2024-02"]),
        ),
        case(
            "at the Lebak centre's village, kode_wilayah 3602132007",
            runs(r#"regionCode: { _eq: "36.02.13.2007" }"#, &[
                "SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2024-01", "SPN-PL-2025-01", "SPN-PL-2025-02",
            ]),
        ),
        case(
            "the export has no fiscal year: null everywhere",
            runs("fiscalYear: { _is_null: true }", &[
                "SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2023-02", "SPN-PL-2024-01", "SPN-PL-2024-02",
                "SPN-PL-2025-01", "SPN-PL-2025-02",
            ]),
        ),
        case(
            "a comparison with a null fiscal year is false",
            runs("fiscalYear: { _gte: 2000 }", &[]),
        ),
        case(
            "codes of 2023 (`_` is one character)",
            runs(r#"code: { _like: "SPN-PL-2023-__" }"#, &["SPN-PL-2023-01", "SPN-PL-2023-02"]),
        ),
        case(
            "codes of 2025, any case",
            runs(r#"code: { _ilike: "spn-pl-2025%" }"#, &["SPN-PL-2025-01", "SPN-PL-2025-02"]),
        ),
        case(
            "every SPN run is in person",
            runs(r#"deliveryMode: { _neq: "IN_PERSON" }"#, &[]),
        ),
        case(
            "runs of sewing courses (KBJI 7531, 7532)",
            runs(r#"course: { occupationCode: { _in: ["7531", "7532"] } }"#,
                &["SPN-PL-2022-01", "SPN-PL-2024-01", "SPN-PL-2025-02"]),
        ),
        case(
            "runs at the centre whose name ends in (fiktif)",
            runs(r#"trainingCenter: { name: { _like: "%(fiktif)" } }"#, &["SPN-PL-2023-02", "SPN-PL-2024-02"]),
        ),
        case(
            "since 2023 and not paid by GBB",
            runs(r#"_and: [{ startDate: { _gte: "2023-01-01" } }, { _not: { fundingScheme: { _eq: "PARTNER_FUNDED" } } }]"#,
                &["SPN-PL-2023-02", "SPN-PL-2024-02", "SPN-PL-2025-02"]),
        ),
        case(
            "open, or of 2022",
            runs(r#"_or: [{ status: { _eq: "OPEN" } }, { code: { _like: "%-2022-%" } }]"#,
                &["SPN-PL-2022-01", "SPN-PL-2025-02"]),
        ),
        case(
            "the three that end last",
            list("courseRuns", "", "first: 3, order_by: [{ endDate: desc }]", 7,
                &["SPN-PL-2025-02", "SPN-PL-2025-01", "SPN-PL-2024-02"]),
        ),
        case(
            "by course name, then newest first (Barista, Desain, Kewirausahaan, Menjahit ×2, Pemasaran, Pertukangan)",
            list("courseRuns", "", "first: 100, order_by: [{ course: { name: asc } }, { startDate: desc }]", 7, &[
                "SPN-PL-2023-02", "SPN-PL-2025-02", "SPN-PL-2023-01", "SPN-PL-2024-01", "SPN-PL-2022-01",
                "SPN-PL-2024-02", "SPN-PL-2025-01",
            ]),
        ),
        case(
            "by centre name descending (SPN Training Center Lebak before Rumah Belajar), then code",
            list("courseRuns", "", "first: 100, order_by: [{ trainingCenter: { name: desc } }, { code: asc }]", 7, &[
                "SPN-PL-2022-01", "SPN-PL-2023-01", "SPN-PL-2024-01", "SPN-PL-2025-01", "SPN-PL-2025-02",
                "SPN-PL-2023-02", "SPN-PL-2024-02",
            ]),
        ),
        case(
            "a key that is null everywhere ties, nulls last: the second key decides",
            list("courseRuns", "", "first: 2, order_by: [{ fiscalYear: desc_nulls_last }, { startDate: desc }]", 7,
                &["SPN-PL-2025-02", "SPN-PL-2025-01"]),
        ),
        // ---- courses and centres ----------------------------------------------------------------
        case(
            "six courses: the two Menjahit runs are one course",
            courses("", &[BARISTA, POLA, KWU, JAHIT, DIGITAL, KAYU]),
        ),
        case(
            "Kewirausahaan courses",
            courses(r#"trainingType: { _eq: "ENTREPRENEURSHIP" }"#, &[KWU, DIGITAL]),
        ),
        case("Upskilling courses", courses(r#"trainingType: { _in: ["UPSKILLING"] }"#, &[POLA])),
        case(
            "courses without a KBJI code (an empty list is null)",
            courses("occupationCode: { _is_null: true }", &[KWU, DIGITAL]),
        ),
        case(
            "a KBJI code other than 7531: courses without one do not count",
            courses(r#"occupationCode: { _neq: "7531" }"#, &[BARISTA, POLA, KAYU]),
        ),
        case("KBJI 75xx", courses(r#"occupationCode: { _like: "75%" }"#, &[POLA, JAHIT])),
        case("names with kayu, any case", courses(r#"name: { _ilike: "%KAYU%" }"#, &[KAYU])),
        case(
            "names other than two",
            courses(r#"name: { _nin: ["Menjahit Pakaian Dasar", "Barista dan Pengolahan Kopi"] }"#,
                &[POLA, KWU, DIGITAL, KAYU]),
        ),
        case(
            "courses of the Serang centre",
            courses(r#"trainingCenter: { regionCode: { _prefix: "36.73" } }"#, &[BARISTA, DIGITAL]),
        ),
        case(
            "the last two names",
            list("courses", "", "first: 2, order_by: [{ name: desc }]", 6, &[KAYU, DIGITAL]),
        ),
        case(
            "both centres by name (Rumah… before SPN…)",
            centres("", &["SPN-TC-02", "SPN-TC-01"]),
        ),
        case("centres in Kab. Lebak", centres(r#"regionCode: { _prefix: "36.02" }"#, &["SPN-TC-01"])),
        case(
            "the Serang centre's village, resolved from its names",
            centres(r#"regionCode: { _eq: "36.73.05.1002" }"#, &["SPN-TC-02"]),
        ),
        case(
            "both are union training centres",
            centres(r#"institutionType: { _eq: "UNION_TRAINING_CENTER" }"#, &["SPN-TC-02", "SPN-TC-01"]),
        ),
        case(
            "the export says nothing of `active`",
            centres("active: { _is_null: true }", &["SPN-TC-02", "SPN-TC-01"]),
        ),
        case("names ending in (fiktif)", centres(r#"name: { _like: "%(fiktif)" }"#, &["SPN-TC-02"])),
        // ---- enrollments (nested under SPN's participants) --------------------------------------
        case(
            "blank results on the run under way: in progress",
            enrollments(r#"status: { _eq: "IN_PROGRESS" }"#, &[
                "SPN-P-0031/SPN-PL-2025-01", "SPN-P-0032/SPN-PL-2025-01", "SPN-P-0033/SPN-PL-2025-01",
                "SPN-P-0034/SPN-PL-2025-01", "SPN-P-0035/SPN-PL-2025-01",
            ]),
        ),
        case(
            "Tidak lulus",
            enrollments(r#"status: { _eq: "FAILED" }"#, &["SPN-P-0013/SPN-PL-2023-01", "SPN-P-0028/SPN-PL-2024-02"]),
        ),
        case(
            "registered before 1 September 2022",
            enrollments(r#"registeredOn: { _lt: "2022-09-01" }"#, &[
                "SPN-P-0001/SPN-PL-2022-01", "SPN-P-0002/SPN-PL-2022-01", "SPN-P-0003/SPN-PL-2022-01",
                "SPN-P-0004/SPN-PL-2022-01", "SPN-P-0005/SPN-PL-2022-01",
            ]),
        ),
        case(
            "registered on or before 1 September 2022 (P-0006 wrote 1/9/2022)",
            enrollments(r#"registeredOn: { _lte: "2022-09-01" }"#, &[
                "SPN-P-0001/SPN-PL-2022-01", "SPN-P-0002/SPN-PL-2022-01", "SPN-P-0003/SPN-PL-2022-01",
                "SPN-P-0004/SPN-PL-2022-01", "SPN-P-0005/SPN-PL-2022-01", "SPN-P-0006/SPN-PL-2022-01",
            ]),
        ),
        case(
            "an outcome outside the vocabulary (Melanjutkan pendidikan)",
            enrollments(r#"outcome: { status: { _eq: "OTHER" } }"#, &["SPN-P-0019/SPN-PL-2023-02"]),
        ),
        case(
            "outcomes observed in 2025",
            enrollments(r#"outcome: { observedAt: { _gte: "2025-01-01" } }"#,
                &["SPN-P-0021/SPN-PL-2024-02", "SPN-P-0030/SPN-PL-2024-02"]),
        ),
        case(
            "on SPN-PL-2024-01",
            enrollments(r#"courseRun: { code: { _eq: "SPN-PL-2024-01" } }"#, &[
                "SPN-P-0010/SPN-PL-2024-01", "SPN-P-0022/SPN-PL-2024-01", "SPN-P-0023/SPN-PL-2024-01",
                "SPN-P-0024/SPN-PL-2024-01", "SPN-P-0025/SPN-PL-2024-01", "SPN-P-0026/SPN-PL-2024-01",
            ]),
        ),
        case("SPN records no scores", enrollments("finalScore: { _is_null: false }", &[])),
        // ---- aggregates -------------------------------------------------------------------------
        case(
            "enrollments by status: FAILED 2 and WITHDRAWN 2 withheld together (4, count hidden)",
            aggregate("enrollments", "", Some("status"), 38,
                &[("COMPLETED", 29), ("IN_PROGRESS", 5)], Some((None, 2))),
        ),
        case(
            "enrollments by sex",
            aggregate("enrollments", "", Some("sex"), 38, &[("FEMALE", 19), ("MALE", 19)], None),
        ),
        case(
            "enrollments by outcome: no outcome (null) last; SEEKING_WORK 4 and OTHER 1 withheld (5)",
            aggregate("enrollments", "", Some("outcomeStatus"), 38,
                &[("EMPLOYED", 6), ("SELF_EMPLOYED", 9), ("null", 18)], Some((Some(5), 2))),
        ),
        case(
            "enrollments by year of start",
            aggregate("enrollments", "", Some("startYear"), 38,
                &[("2022", 7), ("2023", 14), ("2024", 12), ("2025", 5)], None),
        ),
        case(
            "enrollments by funding scheme",
            aggregate("enrollments", "", Some("fundingScheme"), 38,
                &[("OTHER", 6), ("PARTNER_FUNDED", 19), ("UNION_SELF_FUNDED", 13)], None),
        ),
        case(
            "enrollments of participants laid off at registration (18 people, P-0015 twice)",
            aggregate("enrollments", r#"employmentStatusAtRegistration: { _eq: "LAID_OFF" }"#, None, 19, &[], None),
        ),
        case(
            "enrollments with an outcome",
            aggregate("enrollments", "outcomeStatus: { _is_null: false }", None, 20, &[], None),
        ),
        case(
            "participants by sex",
            aggregate("participants", "", Some("sex"), 35, &[("FEMALE", 18), ("MALE", 17)], None),
        ),
        case(
            "participants by regency: 36.03 (2) and 36.72 (2) withheld together",
            aggregate("participants", "", Some("domicileRegency"), 35,
                &[("36.02", 24), ("36.73", 7)], Some((None, 2))),
        ),
        case(
            "participants by status at registration: EMPLOYED 4, SELF_EMPLOYED 4, RETIRED 2 withheld (10)",
            aggregate("participants", "", Some("employmentStatusAtRegistration"), 35,
                &[("LAID_OFF", 18), ("UNEMPLOYED", 7)], Some((Some(10), 3))),
        ),
        case(
            "README question 5 for SPN: where those working again live (36.73: 4 and 36.72: 1 withheld)",
            aggregate("participants",
                r#"enrollments: { outcome: { status: { _in: ["EMPLOYED", "SELF_EMPLOYED"] } } }"#,
                Some("domicileRegency"), 14, &[("36.02", 9)], Some((Some(5), 2))),
        ),
        case(
            "runs by status: RUNNING 1 and OPEN 1 withheld",
            aggregate("courseRuns", "", Some("status"), 7, &[("COMPLETED", 5)], Some((None, 2))),
        ),
    ]
}
