//! SPN's organisations and batches: the training centres (SPN Training Center Lebak, a real
//! place; the fictional Rumah Belajar Kota Serang; up to four fictional regional rooms, one per
//! 2,500 SPN participants), the agreements (the real GBB MoU of 15/03/2023 and fictional PKS),
//! and the `pelatihan.csv` batches with their `SPN-PL-yyyy-nn` codes.

use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};

use super::csv::CsvOut;
use super::{digits, TAG};
use crate::batches::BatchPlan;
use crate::catalog::{Field, SPN_COURSES};
use crate::error::GenerateError;
use crate::format::dmy;
use crate::geo::geo;
use crate::manifest::ProviderSummary;
use crate::people::company;
use crate::plan::Provider;
use crate::rng::{Rand, Stream};
use crate::world::World;

/// A training centre.
#[derive(Debug, Clone)]
pub(super) struct Centre {
    code: String,
    name: String,
    street: Option<String>,
    pub(super) village: usize,
    code_cell: Option<String>,
    area: Option<&'static str>,
    opened: Option<NaiveDate>,
    facilities: &'static str,
    phone: String,
    email: String,
    pub(super) from: NaiveDate,
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub(super) fn centres(world: &World) -> Vec<Centre> {
    let g = geo();
    let village = |code: &str| g.village(code).unwrap_or(0);
    let mut out = vec![
        Centre {
            code: "SPN-TC-01".into(),
            name: "SPN Training Center Lebak".into(),
            street: Some("Desa Sangiang".into()),
            village: village("36.02.13.2007"),
            code_cell: Some("3602132007".into()),
            area: Some("3,0"),
            opened: None,
            facilities: "BLK desain mode dan tekstil; rumah kayu; ruang kelas",
            phone: "+6289900110001".into(),
            email: "tc-lebak@example.org".into(),
            from: ymd(2021, 1, 4),
        },
        Centre {
            code: "SPN-TC-02".into(),
            name: "Rumah Belajar DPC SPN Kota Serang (fiktif)".into(),
            street: Some("Jl. Bhayangkara No. 12 (fiktif)".into()),
            village: village("36.73.01.1006"),
            code_cell: None,
            area: Some("0,25"),
            opened: Some(ymd(2022, 2, 14)),
            facilities: "Ruang kelas; dapur praktik barista; laboratorium komputer mini",
            phone: "089900110002".into(),
            email: "rumahbelajar.serang@example.org".into(),
            from: ymd(2022, 2, 14),
        },
    ];
    let extra = (world.population.count(Provider::Spn) / 2500).min(4);
    for (n, regency) in ["36.03", "36.72", "32.16", "32.75"]
        .iter()
        .take(extra as usize)
        .enumerate()
    {
        let mut r = Rand::new(world.seed(), Stream::Organisation, TAG, n as u64);
        let reg = g.regency(regency).unwrap_or(0);
        let district = *r.pick(&g.regencies[reg].districts);
        let v = *r.pick(&g.districts[district].villages);
        let opened = ymd(2022, 1, 3) + Days::new(r.below(900));
        let number = n + 3;
        out.push(Centre {
            code: format!("SPN-TC-{number:02}"),
            name: format!(
                "Ruang Pelatihan DPC SPN {} (fiktif)",
                g.regencies[reg].short_name
            ),
            street: Some(format!("Jl. Buruh No. {} (fiktif)", r.range(1, 99))),
            village: v,
            code_cell: r.chance(0.5).then(|| g.villages[v].code.clone()),
            area: None,
            opened: Some(opened),
            facilities: "Ruang kelas; bengkel praktik",
            phone: format!("08990011{:04}", 10 + number),
            email: format!("pelatihan.dpc{number:02}@example.org"),
            from: opened,
        });
    }
    out
}

/// `SPN-PL-yyyy-nn` per batch, numbered by start date within the year.
pub(super) fn batch_codes(plan: &BatchPlan) -> Vec<String> {
    let mut per_year = std::collections::BTreeMap::<i32, u64>::new();
    for b in &plan.batches {
        *per_year.entry(b.start.year()).or_default() += 1;
    }
    let mut seq = std::collections::BTreeMap::<i32, u64>::new();
    plan.batches
        .iter()
        .map(|b| {
            let year = b.start.year();
            let n = seq.entry(year).or_default();
            *n += 1;
            let width = digits(per_year[&year]).max(2);
            format!("SPN-PL-{year}-{n:0width$}")
        })
        .collect()
}

pub(super) fn write_centres(
    centres: &[Centre],
    dir: &Path,
    s: &mut ProviderSummary,
) -> Result<(), GenerateError> {
    let g = geo();
    let mut out = CsvOut::create(
        &dir.join("pusat_pelatihan.csv"),
        false,
        true,
        &[
            "kode_pusat",
            "nama_pusat",
            "alamat",
            "desa_kelurahan",
            "kecamatan",
            "kab_kota",
            "provinsi",
            "kode_wilayah",
            "luas_lahan_ha",
            "tgl_diresmikan",
            "fasilitas",
            "telepon",
            "email",
        ],
    )?;
    for c in centres {
        let regency = g.regency_of(c.village);
        out.row(&[
            c.code.clone(),
            c.name.clone(),
            c.street.clone().unwrap_or_default(),
            g.villages[c.village].name.clone(),
            g.district_of(c.village).name.clone(),
            regency.short_name.clone(),
            g.provinces[regency.province].name.clone(),
            c.code_cell.clone().unwrap_or_default(),
            c.area.unwrap_or_default().to_owned(),
            c.opened.map(dmy).unwrap_or_default(),
            c.facilities.to_owned(),
            c.phone.clone(),
            c.email.clone(),
        ])?;
    }
    let f = out.finish()?;
    s.tables.insert("pusat_pelatihan".into(), f.records);
    s.files.insert("spn/pusat_pelatihan.csv".into(), f);
    Ok(())
}

pub(super) fn write_agreements(
    seed: u64,
    centres: &[Centre],
    dir: &Path,
    s: &mut ProviderSummary,
) -> Result<(), GenerateError> {
    let mut out = CsvOut::create(
        &dir.join("kerjasama.csv"),
        false,
        true,
        &[
            "kode_kerjasama",
            "kode_pusat",
            "nama_mitra",
            "jenis_dokumen",
            "nomor_dokumen",
            "tgl_tandatangan",
            "tgl_berakhir",
            "lokasi_tandatangan",
            "ruang_lingkup",
            "dukungan_mitra",
        ],
    )?;
    out.row(&[
        "KS-2023-001", "SPN-TC-01", "Ganjaran Buruh Berjuang (GBB)", "MoU", "", "15/03/2023", "",
        "Desa Sangiang, Kec. Maja, Kab. Lebak",
        "Upskilling dan reskilling pekerja; keterampilan teknis dan nonteknis bagi korban PHK agar dapat berwirausaha; manajemen usaha dan keuangan",
        "Bantuan bahan bangunan: semen, keramik, bata hebel",
    ])?;
    for (n, c) in centres.iter().enumerate().skip(1) {
        let mut r = Rand::new(seed, Stream::Organisation, TAG + 100, n as u64);
        let signed = c.from + Days::new(r.range(30, 300) as u64);
        let until = signed + Days::new(730);
        let partner = company(&mut r, &["Kopi", "Konveksi", "Bengkel", "Mebel"]);
        out.row(&[
            format!("KS-{}-{:03}", signed.year(), n + 1),
            c.code.clone(),
            partner,
            "PKS".to_owned(),
            format!(
                "PKS/{}/{}/{:03} (fiktif)",
                c.code,
                signed.year(),
                r.range(1, 200)
            ),
            dmy(signed),
            dmy(until),
            geo().regency_of(c.village).short_name.clone(),
            "Tempat praktik bagi peserta pelatihan".to_owned(),
            "Peralatan dan bahan praktik".to_owned(),
        ])?;
    }
    let f = out.finish()?;
    s.tables.insert("kerjasama".into(), f.records);
    s.files.insert("spn/kerjasama.csv".into(), f);
    Ok(())
}

pub(super) fn write_batches(
    seed: u64,
    centres: &[Centre],
    plan: &BatchPlan,
    codes: &[String],
    dir: &Path,
    s: &mut ProviderSummary,
) -> Result<(), GenerateError> {
    let mut out = CsvOut::create(
        &dir.join("pelatihan.csv"),
        false,
        true,
        &[
            "kode_pelatihan",
            "kode_pusat",
            "nama_pelatihan",
            "jenis_pelatihan",
            "bidang",
            "sasaran",
            "tgl_mulai",
            "tgl_selesai",
            "jumlah_jam",
            "kuota",
            "mitra",
            "sumber_dana",
            "instruktur",
            "kode_kbji",
            "keterangan",
        ],
    )?;
    let courses = SPN_COURSES.len();
    let gbb_from = ymd(2023, 3, 15);
    for (b, batch) in plan.batches.iter().enumerate() {
        let centre = batch.key / courses;
        let course = &SPN_COURSES[batch.key % courses];
        let mut r = Rand::new(
            seed,
            Stream::Batch,
            TAG + 100,
            (batch.key as u64) << 20 | u64::from(batch.ordinal),
        );
        let gbb_field = matches!(
            course.field,
            Field::Business | Field::DigitalMarketing | Field::Printing | Field::Carpentry
        );
        let gbb = centre == 0 && batch.start >= gbb_from && gbb_field && r.chance(0.7);
        let facilitator = if course.kind == "Kewirausahaan" {
            "Fasilitator"
        } else {
            "Instruktur"
        };
        let letter = (b'A' + r.below(26) as u8) as char;
        let note = if gbb {
            "Batch di bawah MoU GBB.\r\nMateri: rencana usaha; pembukuan sederhana; akses permodalan".to_owned()
        } else if r.chance(0.15) {
            (*r.pick(&[
                "Praktik di bengkel mitra",
                "Peserta membawa bahan sendiri; alat disediakan",
                "Kelas sore",
            ]))
            .to_owned()
        } else {
            String::new()
        };
        out.row(&[
            codes[b].clone(),
            centres[centre].code.clone(),
            course.name.to_owned(),
            course.kind.to_owned(),
            course.bidang.to_owned(),
            course.audience.to_owned(),
            dmy(batch.start),
            dmy(batch.end),
            course.hours.to_string(),
            course.quota.to_string(),
            if gbb { "GBB" } else { "" }.to_owned(),
            if gbb { "GBB" } else { "Swadaya SPN" }.to_owned(),
            format!("{facilitator} {letter} (fiktif)"),
            course.field.kbji().unwrap_or_default().to_owned(),
            note,
        ])?;
    }
    let f = out.finish()?;
    s.tables.insert("pelatihan".into(), f.records);
    s.files.insert("spn/pelatihan.csv".into(), f);
    Ok(())
}
