//! BBPLK's catalogue and organisations: the contract seed's kejuruan, programmes,
//! (illustrative) competency units and fictional LSPs, the 276 region codes, and the training
//! institutions — the seed's three plus fictional UPTD BLKs, community BLKs and LPKs as the data
//! grows (one per 10,000 BBPLK participants, at most 40).

use chrono::{Days, NaiveDate, NaiveDateTime};

use crate::catalog::{BBPLK_KEJURUAN, BBPLK_PROGRAMS};
use crate::format::{at, sql_date, sql_opt, sql_str, sql_ts};
use crate::geo::geo;
use crate::people::company;
use crate::rng::{Rand, Stream};

pub(super) const TAG: u64 = 2;

/// `unit_kompetensi` rows of the seed: (code, title), three per programme in programme order.
pub const UNITS: &[(&str, &str)] = &[
    (
        "C.261000.001.01",
        "Menerapkan prosedur keselamatan kerja di bengkel elektronika",
    ),
    (
        "C.261000.002.01",
        "Mendiagnosis kerusakan peralatan elektronika rumah tangga",
    ),
    ("C.261000.003.01", "Memperbaiki rangkaian catu daya"),
    ("J.620100.001.01", "Menggunakan struktur data"),
    ("J.620100.002.01", "Mengimplementasikan antarmuka pengguna"),
    ("J.620100.003.01", "Melakukan debugging kode program"),
    (
        "N.821100.001.01",
        "Mengoperasikan perangkat lunak pengolah kata",
    ),
    (
        "N.821100.002.01",
        "Mengoperasikan perangkat lunak lembar kerja",
    ),
    ("N.821100.003.01", "Mengelola berkas digital"),
    ("S.952200.001.01", "Memasang unit AC split"),
    ("S.952200.002.01", "Melakukan pemeliharaan berkala unit AC"),
    ("S.952200.003.01", "Menangani refrigeran sesuai prosedur"),
    ("I.551000.001.01", "Menangani reservasi tamu"),
    (
        "I.551000.002.01",
        "Melaksanakan proses check-in dan check-out",
    ),
    ("I.551000.003.01", "Berkomunikasi melalui telepon"),
    (
        "I.563000.001.01",
        "Menyiapkan dan menyajikan minuman berbasis espresso",
    ),
    ("I.563000.002.01", "Mengoperasikan dan merawat mesin kopi"),
    ("I.563000.003.01", "Menerapkan higiene dan sanitasi"),
    ("C.251100.001.01", "Menerapkan K3 pengelasan"),
    (
        "C.251100.002.01",
        "Mengelas pelat posisi bawah tangan (1G) dengan proses SMAW",
    ),
    (
        "C.251100.003.01",
        "Mengelas pelat posisi vertikal (3G) dengan proses SMAW",
    ),
    ("F.432100.001.01", "Memasang instalasi penerangan"),
    ("F.432100.002.01", "Memasang panel hubung bagi sederhana"),
    ("F.432100.003.01", "Melakukan pengujian tahanan isolasi"),
    ("C.141200.001.01", "Mengukur badan dan membuat pola"),
    ("C.141200.002.01", "Memotong bahan"),
    ("C.141200.003.01", "Menjahit pakaian wanita"),
];

/// `lsp` rows: (code, name, licence).
pub const LSPS: &[(&str, &str, &str)] = &[
    (
        "LSP-F-01",
        "LSP Teknik Elektro Bekasi Raya (fiktif)",
        "LIS-LSP-F-01-2019 (fiktif)",
    ),
    (
        "LSP-F-02",
        "LSP Refrigerasi Mandiri (fiktif)",
        "LIS-LSP-F-02-2020 (fiktif)",
    ),
    (
        "LSP-F-03",
        "LSP Pengelasan Pesisir Banten (fiktif)",
        "LIS-LSP-F-03-2018 (fiktif)",
    ),
    (
        "LSP-F-04",
        "LSP Pariwisata Patriot (fiktif)",
        "LIS-LSP-F-04-2019 (fiktif)",
    ),
    (
        "LSP-F-05",
        "LSP Teknologi Digital Nusa (fiktif)",
        "LIS-LSP-F-05-2020 (fiktif)",
    ),
    (
        "LSP-F-06",
        "LSP Garmen Cisadane (fiktif)",
        "LIS-LSP-F-06-2018 (fiktif)",
    ),
];

const PESANTREN: &[&str] = &[
    "Al-Hidayah",
    "Darul Falah",
    "Nurul Iman",
    "Al-Ikhlas",
    "Miftahul Huda",
    "Daarul Qur'an",
    "Al-Amanah",
    "Riyadlul Jannah",
];

/// A training institution (`lembaga`).
#[derive(Debug, Clone)]
pub struct Lembaga {
    /// `id_lembaga`.
    pub id: u32,
    /// `kode_lembaga`.
    pub code: String,
    /// Prefix of its batch codes (`BKS`).
    pub prefix: String,
    /// `nama_lembaga`.
    pub name: String,
    alias: Option<&'static str>,
    /// `jenis_lembaga`.
    pub kind: &'static str,
    manager: &'static str,
    supervisor: Option<u32>,
    street: Option<String>,
    /// `kode_wilayah` (level 2–4).
    pub region: String,
    /// Regency index, for distances.
    pub regency: usize,
    phone: Option<String>,
    email: Option<String>,
    founded: Option<u32>,
    created: NaiveDateTime,
    updated: Option<NaiveDateTime>,
    /// Kejuruan indices run here, with workshop counts.
    pub kejuruan: Vec<(usize, u32)>,
    /// First possible batch start.
    pub from: NaiveDate,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// The institutions for `people` BBPLK participants.
pub fn lembaga(seed: u64, people: u64) -> Vec<Lembaga> {
    let g = geo();
    let reg = |code: &str| g.regency(code).unwrap_or(0);
    let mut out = vec![
        Lembaga {
            id: 1,
            code: "BBPLK-BKS".into(),
            prefix: "BKS".into(),
            name: "Balai Besar Pengembangan Latihan Kerja (BBPLK) Bekasi".into(),
            alias: Some(
                "BBPVP Bekasi|Balai Besar Pelatihan Vokasi dan Produktivitas Bekasi|CEVEST",
            ),
            kind: "UPTP",
            manager: "Pemerintah Pusat",
            supervisor: None,
            street: Some("Jl. Guntur Raya No. 1".into()),
            region: "32.75.04.1005".into(),
            regency: reg("32.75"),
            phone: None,
            email: None,
            founded: Some(1985),
            created: at(d(2019, 1, 7), 540),
            updated: Some(at(d(2024, 2, 1), 615)),
            kejuruan: vec![(0, 2), (1, 3), (2, 1), (3, 2), (4, 2)],
            from: d(2021, 1, 4),
        },
        Lembaga {
            id: 2,
            code: "BBPLK-SRG".into(),
            prefix: "SRG".into(),
            name: "Balai Besar Pengembangan Latihan Kerja (BBPLK) Serang".into(),
            alias: Some("BBPVP Serang|Balai Besar Pelatihan Vokasi dan Produktivitas Serang"),
            kind: "UPTP",
            manager: "Pemerintah Pusat",
            supervisor: None,
            street: None,
            region: "36.73".into(),
            regency: reg("36.73"),
            phone: None,
            email: None,
            founded: None,
            created: at(d(2019, 1, 7), 545),
            updated: None,
            kejuruan: vec![(4, 3), (5, 2)],
            from: d(2021, 1, 4),
        },
        Lembaga {
            id: 3,
            code: "BLKK-3603-017".into(),
            prefix: "BLKK017".into(),
            name: "BLK Komunitas Nurul Hikmah Cisoka (fiktif)".into(),
            alias: None,
            kind: "BLKK",
            manager: "Masyarakat",
            supervisor: Some(2),
            street: Some("Kp. Babakan RT 003/RW 002 (fiktif)".into()),
            region: "36.03.05.2003".into(),
            regency: reg("36.03"),
            phone: Some("089900009101".into()),
            email: Some("blkk.nurulhikmah@example.org".into()),
            founded: Some(2019),
            created: at(d(2019, 11, 20), 870),
            updated: None,
            kejuruan: vec![(6, 1), (1, 1)],
            from: d(2021, 1, 4),
        },
    ];
    let extra = (people / 10_000).min(40);
    for n in 0..extra {
        let mut r = Rand::new(seed, Stream::Organisation, TAG, n);
        let regency = r.below(g.regencies.len() as u64) as usize;
        let district = *r.pick(&g.regencies[regency].districts);
        let village = *r.pick(&g.districts[district].villages);
        let number = 101 + n;
        let region4 = g.regencies[regency].code.replace('.', "");
        let (kind, manager, name) = match r.below(10) {
            0..=3 => (
                "UPTD",
                "Pemerintah Daerah",
                format!("UPTD BLK {} {number} (fiktif)", g.regencies[regency].name),
            ),
            4..=7 => (
                "BLKK",
                "Masyarakat",
                format!(
                    "BLK Komunitas {} {} (fiktif)",
                    r.pick(PESANTREN),
                    g.districts[district].name
                ),
            ),
            _ => (
                "LPK",
                "Swasta",
                company(&mut r, &["Keterampilan", "Vokasi", "Karya"])
                    .replacen("PT", "LPK", 1)
                    .replacen("CV", "LPK", 1),
            ),
        };
        let province = &g.provinces[g.regencies[regency].province].code;
        let supervisor = (kind != "LPK").then_some(if province == "32" { 1 } else { 2 });
        let created = d(2019, 3, 4) + Days::new(r.below(1400));
        let mut kejuruan: Vec<(usize, u32)> = Vec::new();
        for _ in 0..r.range(1, 3) {
            let k = r.below(BBPLK_KEJURUAN.len() as u64) as usize;
            if kejuruan.iter().all(|(x, _)| *x != k) {
                kejuruan.push((k, r.range(1, 2) as u32));
            }
        }
        out.push(Lembaga {
            id: 4 + n as u32,
            code: format!("{kind}-{region4}-{number}"),
            prefix: format!("{kind}{number}"),
            name,
            alias: None,
            kind,
            manager,
            supervisor,
            street: Some(format!(
                "Jl. Raya {} No. {} (fiktif)",
                g.districts[district].name,
                r.range(1, 200)
            )),
            region: g.villages[village].code.clone(),
            regency,
            phone: r
                .chance(0.7)
                .then(|| format!("0899000{:05}", 9200 + number)),
            email: r.chance(0.6).then(|| {
                format!(
                    "admin.{}@example.org",
                    format!("{kind}{number}").to_lowercase()
                )
            }),
            founded: Some(2000 + r.range(0, 19) as u32),
            created: at(created, 480 + r.below(480) as u32),
            updated: r
                .chance(0.4)
                .then(|| at(created + Days::new(r.range(30, 900) as u64), 600)),
            kejuruan,
            from: (created + Days::new(60)).max(d(2021, 1, 4)),
        });
    }
    out
}

/// The programme indices an institution runs.
pub fn programs_of(l: &Lembaga) -> Vec<usize> {
    BBPLK_PROGRAMS
        .iter()
        .enumerate()
        .filter(|(_, p)| l.kejuruan.iter().any(|(k, _)| *k == p.kejuruan))
        .map(|(i, _)| i)
        .collect()
}

impl Lembaga {
    /// The `lembaga` row values.
    pub fn values(&self) -> String {
        format!(
            "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, TRUE, {}, {}",
            self.id,
            sql_str(&self.code),
            sql_str(&self.name),
            sql_opt(self.alias),
            sql_str(self.kind),
            sql_str(self.manager),
            self.supervisor.map_or("NULL".into(), |s| s.to_string()),
            sql_opt(self.street.as_deref()),
            sql_str(&self.region),
            sql_opt(self.phone.as_deref()),
            sql_opt(self.email.as_deref()),
            self.founded.map_or("NULL".into(), |y| y.to_string()),
            sql_ts(self.created),
            self.updated.map_or("NULL".into(), sql_ts),
        )
    }
}

/// `(table, columns, rows)` of the static reference tables, in load order (`lembaga` apart).
pub fn static_tables(lembaga: &[Lembaga]) -> Vec<(&'static str, &'static str, Vec<String>)> {
    let regions = simpul_schema::reference::regions()
        .iter()
        .map(|r| {
            let tingkat = r.code.split('.').count();
            format!(
                "{}, {}, {tingkat}, {}",
                sql_str(&r.code),
                sql_str(&r.name),
                sql_opt(r.parent.as_deref())
            )
        })
        .collect();
    let kejuruan = BBPLK_KEJURUAN
        .iter()
        .enumerate()
        .map(|(i, (code, name))| format!("{}, {}, {}", i + 1, sql_str(code), sql_str(name)))
        .collect();
    let mut lk = Vec::new();
    for l in lembaga {
        for (k, n) in &l.kejuruan {
            lk.push(format!("{}, {}, {n}", l.id, k + 1));
        }
    }
    let programs = BBPLK_PROGRAMS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let desc = format!(
                "Pelatihan berbasis kompetensi {} ({} JP).",
                p.name.to_lowercase(),
                p.jp
            );
            format!(
                "{}, {}, {}, {}, {}, {}, {}, 'PBK', {}, {}, TRUE",
                i + 1,
                sql_str(p.code),
                p.kejuruan + 1,
                sql_str(p.name),
                sql_opt(p.field.kbji()),
                p.kkni,
                p.jp,
                sql_str(p.scheme),
                sql_str(&desc)
            )
        })
        .collect();
    let units = UNITS
        .iter()
        .enumerate()
        .map(|(i, (code, title))| {
            format!("{}, {}, {}, 'SKKNI'", i + 1, sql_str(code), sql_str(title))
        })
        .collect();
    let program_units = (0..UNITS.len())
        .map(|u| format!("{}, {}, {}", u / 3 + 1, u + 1, u % 3 + 1))
        .collect();
    let lsps = LSPS
        .iter()
        .enumerate()
        .map(|(i, (code, name, lic))| {
            format!(
                "{}, {}, {}, {}",
                i + 1,
                sql_str(code),
                sql_str(name),
                sql_str(lic)
            )
        })
        .collect();
    vec![
        ("ref_wilayah", "kode_wilayah, nama, tingkat, kode_induk", regions),
        ("lembaga", "id_lembaga, kode_lembaga, nama_lembaga, nama_alias, jenis_lembaga, status_pengelola, id_lembaga_pembina, alamat, kode_wilayah, telepon, email, tahun_berdiri, aktif, dibuat_pada, diubah_pada", lembaga.iter().map(Lembaga::values).collect()),
        ("kejuruan", "id_kejuruan, kode_kejuruan, nama_kejuruan", kejuruan),
        ("lembaga_kejuruan", "id_lembaga, id_kejuruan, jumlah_workshop", lk),
        ("program_pelatihan", "id_program, kode_program, id_kejuruan, nama_program, kode_kbji, jenjang_kkni, durasi_jp, metode, skema_sertifikasi, deskripsi, aktif", programs),
        ("unit_kompetensi", "id_unit, kode_unit, judul_unit, sumber_standar", units),
        ("program_unit", "id_program, id_unit, urutan", program_units),
        ("lsp", "id_lsp, kode_lsp, nama_lsp, nomor_lisensi", lsps),
    ]
}

/// `kemitraan` rows: the seed's four, plus one supervision (*pembinaan*) record per supervised
/// institution.
pub fn partnerships(seed: u64, lembaga: &[Lembaga]) -> Vec<String> {
    let mut rows = vec![
        format!("1, 1, 'Delegasi Serikat Pekerja/Serikat Buruh (rombongan kunjungan)', 'Serikat Pekerja', 'Kunjungan', NULL, {0}, {0}, 'Kunjungan lapangan difasilitasi Ditjen PHI dan Jamsos Kemnaker untuk persiapan program JKP; meninjau workshop Elektronika, TIK, Teknik Pendingin, Pariwisata, Teknik Las.'", sql_date(d(2021, 11, 8))),
        format!("2, 1, 'Asosiasi Pengusaha Indonesia (APINDO)', 'Asosiasi Pengusaha', 'Kunjungan', NULL, {0}, {0}, 'Ikut dalam kunjungan lapangan yang sama (persiapan JKP).'", sql_date(d(2021, 11, 8))),
        "3, 1, 'PT Sejuk Abadi Teknik (fiktif)', 'Industri', 'PKS', 'PKS/BBPLK-BKS/2022/017 (fiktif)', '2022-01-10', '2024-01-09', 'Praktik kerja dan rekrutmen lulusan teknik pendingin.'".to_owned(),
        "4, 2, 'PT Baja Pesisir Cilegon (fiktif)', 'Industri', 'MoU', 'MOU/BBPLK-SRG/2021/003 (fiktif)', '2021-03-01', '2026-02-28', 'Penyelarasan kurikulum las dan uji kompetensi.'".to_owned(),
    ];
    for l in lembaga.iter().skip(3) {
        let mut r = Rand::new(seed, Stream::Organisation, TAG + 100, u64::from(l.id));
        let start = l.from + Days::new(r.range(0, 200) as u64);
        let row = match l.supervisor {
            Some(s) => {
                format!(
                "{}, {s}, {}, {}, 'Pembinaan', NULL, {}, NULL, 'Pembinaan BLK binaan oleh UPTP.'",
                rows.len() + 1,
                sql_str(&l.name),
                if l.kind == "UPTD" { "'Pemerintah Daerah'" } else { "'Lainnya'" },
                sql_date(start)
            )
            }
            None => format!(
                "{}, {}, {}, 'Industri', 'PKS', {}, {}, {}, 'Praktik kerja dan rekrutmen lulusan.'",
                rows.len() + 1,
                l.id,
                sql_str(&company(&mut r, &["Manufaktur", "Industri", "Karya"])),
                sql_str(&format!(
                    "PKS/{}/{}/{:03} (fiktif)",
                    l.code,
                    chrono::Datelike::year(&start),
                    r.range(1, 300)
                )),
                sql_date(start),
                sql_date(start + Days::new(730)),
            ),
        };
        rows.push(row);
    }
    rows
}
