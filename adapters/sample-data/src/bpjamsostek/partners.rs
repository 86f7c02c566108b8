//! BPJAMSOSTEK's partner institutions: the contract's four (Kautsar Institute, which ran the
//! 2019 Banten programme, and three fictional ones) plus fictional LPK/LKP/LSP/BLK partners as
//! the data grows (one per 8,000 BPJAMSOSTEK participants, at most 60).

use chrono::{Datelike, Days, NaiveDate};

use super::model::{Alamat, IzinDisnaker, Kontak, LembagaMitra};
use crate::catalog::{Field, VOKASI_TYPES};
use crate::format::{at, iso_date, iso_wib};
use crate::geo::geo;
use crate::people::company;
use crate::rng::{Rand, Stream};

pub(super) const TAG: u64 = 3;

/// A partner and what it runs.
#[derive(Debug, Clone)]
pub struct Partner {
    /// The record as served.
    pub record: LembagaMitra,
    /// Regency index (for distances and `lokasi`).
    pub regency: usize,
    /// Indices into [`VOKASI_TYPES`].
    pub types: Vec<usize>,
    /// First possible programme start.
    pub from: NaiveDate,
    /// Last possible programme start.
    pub to: NaiveDate,
    /// Places per programme.
    pub quota: u32,
    /// Issues competency certificates (an LSP).
    pub competency: bool,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

#[allow(clippy::too_many_arguments)]
fn record(
    id: &str,
    name: &str,
    kind: &str,
    street: Option<String>,
    region: &str,
    licence: (&str, NaiveDate, &str, Option<NaiveDate>),
    years: u32,
    pks: (&str, NaiveDate),
    status: &str,
    contact: Option<Kontak>,
    created: (NaiveDate, u32),
    updated: Option<(NaiveDate, u32)>,
) -> LembagaMitra {
    let g = geo();
    let regency = g.regency(&region[..5]).map(|r| &g.regencies[r]);
    LembagaMitra {
        lembaga_id: id.to_owned(),
        nama_lembaga: name.to_owned(),
        jenis_lembaga: kind.to_owned(),
        alamat: Alamat {
            jalan: street,
            kode_wilayah: region.to_owned(),
            kab_kota: regency.map(|r| r.name.clone()),
            provinsi: regency.map(|r| g.provinces[r.province].name.clone()),
        },
        izin_disnaker: IzinDisnaker {
            nomor_izin: licence.0.to_owned(),
            tanggal_terbit: iso_date(licence.1),
            penerbit: licence.2.to_owned(),
            berlaku_sampai: licence.3.map(iso_date),
        },
        pengalaman_tahun: years,
        nomor_pks: s(pks.0),
        tanggal_pks: Some(iso_date(pks.1)),
        status_kemitraan: status.to_owned(),
        kontak: contact,
        dibuat_pada: iso_wib(at(created.0, created.1)),
        diperbarui_pada: updated.map(|(day, m)| iso_wib(at(day, m))),
    }
}

/// The partners for `people` BPJAMSOSTEK participants.
pub fn partners(seed: u64, people: u64) -> Vec<Partner> {
    let g = geo();
    let reg = |code: &str| g.regency(code).unwrap_or(0);
    let kontak = |email: Option<&str>, phone: Option<&str>| {
        Some(Kontak {
            email: email.map(str::to_owned),
            telepon: phone.map(str::to_owned),
        })
    };
    let mut out = vec![
        Partner {
            record: record(
                "LM-0001",
                "Kautsar Institute",
                "LPK",
                None,
                "36.72",
                (
                    "563/017/LPK/2016 (fiktif)",
                    d(2016, 5, 12),
                    "Dinas Tenaga Kerja Kota Cilegon",
                    None,
                ),
                3,
                ("PKS/VOKASI/BTN/2019/011 (fiktif)", d(2019, 10, 21)),
                "AKTIF",
                kontak(Some("admin.kautsar@example.com"), None),
                (d(2019, 10, 21), 570),
                Some((d(2020, 1, 6), 840)),
            ),
            regency: reg("36.72"),
            types: vec![0, 1, 2, 3],
            from: d(2019, 11, 4),
            to: d(2025, 8, 31),
            quota: 20,
            competency: false,
        },
        Partner {
            record: record(
                "LM-0002",
                "LKP Busana Mandiri Rangkasbitung (fiktif)",
                "LKP",
                s("Jl. Kenanga No. 12 (fiktif)"),
                "36.02.14.1002",
                (
                    "560/044/LKP/2014 (fiktif)",
                    d(2014, 8, 4),
                    "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lebak",
                    Some(d(2024, 8, 3)),
                ),
                5,
                ("PKS/VOKASI/BTN/2020/027 (fiktif)", d(2020, 5, 18)),
                "NONAKTIF",
                kontak(Some("lkp.busanamandiri@example.org"), Some("089900009201")),
                (d(2020, 5, 18), 600),
                Some((d(2024, 8, 5), 525)),
            ),
            regency: reg("36.02"),
            types: vec![4],
            from: d(2020, 6, 1),
            to: d(2024, 6, 30),
            quota: 10,
            competency: false,
        },
        Partner {
            record: record(
                "LM-0003",
                "LSP Kelistrikan Nusantara (fiktif)",
                "LSP",
                s("Jl. Melati No. 7 (fiktif)"),
                "32.75.01.1002",
                (
                    "560/112/LSP/2018 (fiktif)",
                    d(2018, 2, 19),
                    "Dinas Tenaga Kerja Kota Bekasi",
                    None,
                ),
                2,
                ("PKS/VOKASI/JBR/2020/009 (fiktif)", d(2020, 6, 2)),
                "AKTIF",
                kontak(
                    Some("sertifikasi@lsp-kelistrikan.example.net"),
                    Some("089900009202"),
                ),
                (d(2020, 6, 2), 800),
                Some((d(2020, 7, 30), 965)),
            ),
            regency: reg("32.75"),
            types: vec![1],
            from: d(2020, 6, 15),
            to: d(2025, 8, 31),
            quota: 10,
            competency: true,
        },
        Partner {
            record: record(
                "LM-0004",
                "BLK Komunitas Al-Amanah Tigaraksa (fiktif)",
                "BLK",
                s("Kp. Cilaban RT 004/RW 002 (fiktif)"),
                "36.03.03.2005",
                (
                    "560/089/BLKK/2018 (fiktif)",
                    d(2018, 11, 26),
                    "Dinas Tenaga Kerja Kabupaten Tangerang",
                    None,
                ),
                1,
                ("PKS/VOKASI/BTN/2020/041 (fiktif)", d(2020, 8, 10)),
                "AKTIF",
                None,
                (d(2020, 8, 10), 660),
                Some((d(2020, 10, 1), 540)),
            ),
            regency: reg("36.03"),
            types: vec![3, 4],
            from: d(2020, 8, 17),
            to: d(2025, 8, 31),
            quota: 10,
            competency: false,
        },
    ];
    let extra = (people / 8000).min(60);
    for n in 0..extra {
        let mut r = Rand::new(seed, Stream::Organisation, TAG, n);
        let number = 5 + n;
        let regency = r.below(g.regencies.len() as u64) as usize;
        let district = *r.pick(&g.regencies[regency].districts);
        let village = *r.pick(&g.districts[district].villages);
        let kind = r.weighted_pick(&[
            (40, "LPK"),
            (20, "LKP"),
            (10, "LSP"),
            (20, "BLK"),
            (10, "LAINNYA"),
        ]);
        let name = match kind {
            "BLK" => format!("BLK Komunitas {} (fiktif)", g.districts[district].name),
            "LAINNYA" => format!(
                "Yayasan Pelatihan Kerja {} (fiktif)",
                g.regencies[regency].bare_name
            ),
            _ => {
                let base = company(&mut r, &["Keterampilan", "Kompetensi", "Vokasi", "Karya"]);
                format!(
                    "{kind}{}",
                    base.trim_start_matches("PT").trim_start_matches("CV")
                )
            }
        };
        let pks = d(2020, 3, 2) + Days::new(r.below(1500));
        let licence_issued = pks - Days::new(r.range(400, 3000) as u64);
        let years = ((pks - licence_issued).num_days() / 365).max(1) as u32;
        let status = r.weighted_pick(&[(85, "AKTIF"), (10, "NONAKTIF"), (5, "DITANGGUHKAN")]);
        let to = if status == "AKTIF" {
            d(2025, 8, 31)
        } else {
            (pks + Days::new(r.range(500, 1200) as u64)).min(d(2025, 5, 31))
        };
        let mut types: Vec<usize> = Vec::new();
        let wanted = if kind == "LSP" {
            1
        } else {
            r.range(2, 4) as usize
        };
        while types.len() < wanted {
            let t = r.below(VOKASI_TYPES.len() as u64) as usize;
            let fits = kind != "LSP"
                || matches!(
                    VOKASI_TYPES[t].field,
                    Field::Safety | Field::Electrical | Field::Welding
                );
            if fits && !types.contains(&t) {
                types.push(t);
            }
        }
        let id = format!("LM-{number:04}");
        let regency_name = &g.regencies[regency].name;
        let prov = if g.regencies[regency].code.starts_with("32") {
            "JBR"
        } else {
            "BTN"
        };
        let contact = r.chance(0.85).then(|| Kontak {
            email: r
                .chance(0.8)
                .then(|| format!("mitra{number:04}@example.net")),
            telepon: r
                .chance(0.6)
                .then(|| format!("0899000{:05}", 9300 + number)),
        });
        let updated = r
            .chance(0.7)
            .then(|| (pks + Days::new(r.range(20, 600) as u64), 600));
        out.push(Partner {
            record: record(
                &id,
                &name,
                kind,
                Some(format!(
                    "Jl. {} No. {} (fiktif)",
                    g.districts[district].name,
                    r.range(1, 150)
                )),
                &g.villages[village].code,
                (
                    &format!(
                        "560/{:03}/{kind}/{} (fiktif)",
                        r.range(1, 400),
                        licence_issued.year()
                    ),
                    licence_issued,
                    &format!("Dinas Tenaga Kerja {regency_name}"),
                    None,
                ),
                years,
                (
                    &format!(
                        "PKS/VOKASI/{prov}/{}/{:03} (fiktif)",
                        pks.year(),
                        r.range(1, 300)
                    ),
                    pks,
                ),
                status,
                contact,
                (pks, 540 + r.below(420) as u32),
                updated,
            ),
            regency,
            types,
            from: pks + Days::new(14),
            to: to.max(pks + Days::new(60)),
            quota: *r.pick(&[10, 15, 20]),
            competency: kind == "LSP",
        });
    }
    out
}
