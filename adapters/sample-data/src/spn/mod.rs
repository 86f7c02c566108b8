//! SPN Training Center: the five `;`-separated CSV files of the SPN contract
//! (`pusat_pelatihan`, `pelatihan`, `peserta` with a UTF-8 BOM, `hasil`, `kerjasama`), CRLF,
//! `dd/mm/yyyy`, decimal comma, rupiah with `.` separators, Indonesian vocabularies — the
//! columns `simpul-adapter-spn` reads (`source.rs`).
//!
//! Centres: SPN Training Center Lebak (real place, Desa Sangiang) and the fictional Rumah
//! Belajar Kota Serang, plus up to four fictional regional rooms as the data grows (one per
//! 2,500 SPN participants). Batches come from [`crate::batches`]; `peserta.csv` is written in
//! person order, one row per enrolment, with `hasil.csv` alongside.

pub mod csv;
pub mod messy;
pub mod organisations;

use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
use indicatif::ProgressBar;

use self::csv::CsvOut;
use self::messy::{Planter, Quirk, HASIL_QUIRKS, PESERTA_QUIRKS};
use self::organisations::{
    batch_codes, centres, write_agreements, write_batches, write_centres, ymd, Centre,
};
use crate::batches::{BatchPlan, KeySpec};
use crate::catalog::{choice_weight, SpnCourse, SPN_COURSES};
use crate::error::GenerateError;
use crate::format::{dmy, dmy_unpadded, rupiah};
use crate::geo::geo;
use crate::identity::Sex;
use crate::manifest::ProviderSummary;
use crate::people::{company, Employment, Person};
use crate::plan::Provider;
use crate::rng::{Rand, Stream};
use crate::world::World;

const TAG: u64 = 1;

/// Chance that a finished enrolment (ended 21+ days before the snapshot) has a `hasil.csv` row:
/// about 55 % of all enrolments end up followed up.
pub const FOLLOW_UP: f64 = 0.62;

/// The course keys (centre × course) person `p` enrols in at SPN.
fn choices(world: &World, centres: &[Centre], p: &Person) -> Vec<usize> {
    let g = geo();
    let mut r = Rand::new(world.seed(), Stream::Choice, p.index, TAG);
    let home = g.regency_of(p.village);
    let centre_weights: Vec<u32> = centres
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = g.regency_of(c.village);
            let near = if at.code == home.code {
                12
            } else if at.province == home.province {
                3
            } else {
                1
            };
            near * if i == 0 { 2 } else { 1 }
        })
        .collect();
    let centre = r.weighted(&centre_weights);
    let female = p.sex == Sex::Female;
    let mut weights: Vec<u32> = SPN_COURSES
        .iter()
        .map(|c| choice_weight(c.field, c.weight, female))
        .collect();
    let n = if r.chance(0.07) { 2 } else { 1 };
    let mut keys = Vec::with_capacity(n);
    for _ in 0..n {
        let course = r.weighted(&weights);
        weights[course] = 0;
        keys.push(centre * SPN_COURSES.len() + course);
    }
    keys
}

/// Write the SPN export into `dir`.
///
/// # Errors
/// A file cannot be created or written.
pub fn generate_spn(
    world: &World,
    dir: &Path,
    bar: &ProgressBar,
) -> Result<ProviderSummary, GenerateError> {
    std::fs::create_dir_all(dir).map_err(|source| GenerateError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;
    let seed = world.seed();
    let centres = centres(world);
    let courses = SPN_COURSES.len();
    let members = world.population.count(Provider::Spn);
    bar.set_length(members * 2);
    bar.set_message("planning batches");

    let mut counts = vec![0u64; centres.len() * courses];
    for i in world.members(Provider::Spn) {
        let p = world.people.person(i);
        for key in choices(world, &centres, &p) {
            counts[key] += 1;
        }
        bar.inc(1);
    }
    let specs: Vec<KeySpec> = (0..counts.len())
        .map(|key| {
            let course = &SPN_COURSES[key % courses];
            KeySpec {
                from: centres[key / courses].from,
                to: ymd(2025, 9, 15),
                size: course.quota,
                days: course.days,
            }
        })
        .collect();
    let mut plan = BatchPlan::build(seed, TAG, counts, &specs);
    let codes = batch_codes(&plan);

    let mut summary = ProviderSummary {
        participants: members,
        ..ProviderSummary::default()
    };
    write_centres(&centres, dir, &mut summary)?;
    write_agreements(seed, &centres, dir, &mut summary)?;
    write_batches(seed, &centres, &plan, &codes, dir, &mut summary)?;

    bar.set_message("writing participants");
    let messy = world.plan.messy;
    let mut header: Vec<&str> = PESERTA_HEADER.to_vec();
    if messy {
        header.push("keterangan");
        summary.quirks.insert("extra_column".into(), 1);
        summary.quirks.insert("lf_line_ends".into(), 1);
    }
    let mut peserta = CsvOut::create(&dir.join("peserta.csv"), true, true, &header)?;
    let mut hasil = CsvOut::create(&dir.join("hasil.csv"), false, !messy, HASIL_HEADER)?;
    let mut peserta_quirks = Planter::new(messy, plan.total(), PESERTA_QUIRKS);
    let mut hasil_quirks = Planter::new(messy, plan.total() / 2, HASIL_QUIRKS);
    let id_width = digits(members).max(4);
    let mut row_no = 0u64;
    for (ordinal, i) in world.members(Provider::Spn).enumerate() {
        let p = world.people.person(i);
        let id = format!("SPN-P-{:0id_width$}", ordinal + 1);
        let look = Look::new(world, &p);
        for (slot, key) in choices(world, &centres, &p).into_iter().enumerate() {
            let b = plan.assign(key);
            let batch = &plan.batches[b];
            let course = &SPN_COURSES[batch.key % courses];
            let mut r = Rand::new(seed, Stream::Enrolment, i, TAG * 16 + slot as u64);
            let registered = batch.start - Days::new(r.range(5, 40) as u64);
            let status = result(&mut r, batch.end, world.snapshot);
            row_no += 1;
            let mut cells = look.cells(&p, &mut r, slot, registered);
            cells[0] = row_no.to_string();
            cells[1].clone_from(&id);
            cells[2].clone_from(&codes[b]);
            cells[20] = status.unwrap_or_default().to_owned();
            if messy {
                cells.push(String::new());
            }
            let quirk = peserta_quirks.take();
            write_peserta(&mut peserta, cells, quirk, &p, &mut row_no)?;
            let followed = status.is_some()
                && batch.end + Days::new(21) <= world.snapshot
                && r.chance(FOLLOW_UP);
            if followed {
                let row = outcome(&mut r, course, status, batch.end, world.snapshot);
                let mut cells = vec![id.clone(), codes[b].clone()];
                cells.extend(row);
                write_hasil(&mut hasil, cells, hasil_quirks.take())?;
            }
            summary.enrollments += 1;
        }
        bar.inc(1);
    }
    let peserta_file = peserta.finish()?;
    let hasil_file = hasil.finish()?;
    summary.outcomes = hasil_file.records
        - hasil_quirks
            .planted
            .get("orphan_outcome")
            .copied()
            .unwrap_or(0);
    summary
        .tables
        .insert("peserta".into(), peserta_file.records);
    summary.tables.insert("hasil".into(), hasil_file.records);
    summary.files.insert("spn/peserta.csv".into(), peserta_file);
    summary.files.insert("spn/hasil.csv".into(), hasil_file);
    summary.expected_rejected_rows = peserta_quirks.rejected() + hasil_quirks.rejected();
    for planter in [peserta_quirks, hasil_quirks] {
        summary.quirks.extend(planter.planted);
    }
    bar.finish_with_message("done");
    Ok(summary)
}

/// `peserta.csv` columns.
const PESERTA_HEADER: &[&str] = &[
    "no",
    "id_peserta",
    "kode_pelatihan",
    "nama_lengkap",
    "nik",
    "jenis_kelamin",
    "tempat_lahir",
    "tgl_lahir",
    "no_hp",
    "alamat",
    "desa_kelurahan",
    "kecamatan",
    "kab_kota",
    "pendidikan_terakhir",
    "status_anggota",
    "no_kta",
    "perusahaan_terakhir",
    "status_kerja",
    "tgl_phk",
    "tgl_daftar",
    "status_kelulusan",
];

/// `hasil.csv` columns.
const HASIL_HEADER: &[&str] = &[
    "id_peserta",
    "kode_pelatihan",
    "status_hasil",
    "tgl_pembaruan",
    "nama_perusahaan",
    "jabatan",
    "jenis_usaha",
    "omzet_per_bulan",
    "keterangan",
];

/// How SPN writes one person (fixed across the person's rows, except the phone).
struct Look {
    name: String,
    plus62: bool,
    phone_variant: u64,
    blank_place: bool,
    blank_phone: bool,
    blank_education: bool,
    card: Option<String>,
    seed: u64,
}

impl Look {
    fn new(world: &World, p: &Person) -> Self {
        let mut r = Rand::new(world.seed(), Stream::Rendering, p.index, TAG);
        let g = geo();
        let regency = g.regency_of(p.village).code.replace('.', "");
        Self {
            name: p.typed_name(&mut r),
            plus62: r.chance(0.3),
            phone_variant: u64::from(world.is_shared(p.index) && r.chance(0.25)),
            blank_place: r.chance(0.06),
            blank_phone: r.chance(0.05),
            blank_education: r.chance(0.03),
            card: (p.union_member && r.chance(0.9))
                .then(|| format!("SPN/{regency}/{:05}", r.below(100_000))),
            seed: world.seed(),
        }
    }

    /// The 21 cells of a row (`no`, `id_peserta`, `kode_pelatihan`, `status_kelulusan` are
    /// filled by the caller).
    fn cells(&self, p: &Person, r: &mut Rand, slot: usize, registered: NaiveDate) -> Vec<String> {
        let g = geo();
        let village = &g.villages[p.village];
        let district = g.district_of(p.village);
        let regency = g.regency_of(p.village);
        let new_phone = slot > 0 && r.chance(0.3);
        let phone = match (self.blank_phone, new_phone) {
            (true, false) => String::new(),
            (_, true) => p.phone_written(self.seed, self.plus62, 2),
            _ => p.phone_written(self.seed, self.plus62, self.phone_variant),
        };
        let status = match p.employment {
            Employment::LaidOff | Employment::Migrant => "Korban PHK",
            Employment::Unemployed => "Belum bekerja",
            Employment::Employed | Employment::Informal => "Bekerja",
            Employment::SelfEmployed => "Wirausaha",
            Employment::Retired => "Pensiun",
        };
        let layoff = if status == "Korban PHK" {
            dmy(registered - Days::new(r.range(14, 365) as u64))
        } else {
            String::new()
        };
        vec![
            String::new(),
            String::new(),
            String::new(),
            self.name.clone(),
            p.nik.clone(),
            p.sex.code().to_owned(),
            if self.blank_place {
                String::new()
            } else {
                p.birth_place.to_owned()
            },
            dmy(p.birth_date),
            phone,
            p.address.clone(),
            village.name.clone(),
            district.name.clone(),
            regency.short_name.clone(),
            if self.blank_education {
                String::new()
            } else {
                p.education.to_owned()
            },
            if p.union_member {
                "Anggota"
            } else {
                "Bukan anggota"
            }
            .to_owned(),
            self.card.clone().unwrap_or_default(),
            p.last_employer.clone().unwrap_or_default(),
            status.to_owned(),
            layoff,
            dmy(registered),
            String::new(),
        ]
    }
}

/// `status_kelulusan`: blank until the batch has ended.
fn result(r: &mut Rand, end: NaiveDate, snapshot: NaiveDate) -> Option<&'static str> {
    if end >= snapshot {
        return None;
    }
    Some(r.weighted_pick(&[(86, "Lulus"), (5, "Tidak lulus"), (9, "Mengundurkan diri")]))
}

/// The `hasil.csv` cells after the key: status, date, employer, job, business, revenue, note.
fn outcome(
    r: &mut Rand,
    course: &SpnCourse,
    result: Option<&str>,
    end: NaiveDate,
    snapshot: NaiveDate,
) -> Vec<String> {
    let passed = result == Some("Lulus");
    let weights: &[(u32, &str)] = match (passed, course.kind) {
        (false, _) => &[
            (15, "Bekerja kembali"),
            (15, "Wirausaha"),
            (70, "Mencari kerja"),
        ],
        (true, "Kewirausahaan") => &[
            (10, "Bekerja kembali"),
            (55, "Wirausaha"),
            (35, "Mencari kerja"),
        ],
        _ => &[
            (35, "Bekerja kembali"),
            (28, "Wirausaha"),
            (37, "Mencari kerja"),
        ],
    };
    let status = r.weighted_pick(weights);
    let last = (snapshot - end).num_days().max(21);
    let observed = end + Days::new(r.range(21, last.min(240)) as u64);
    let mut cells = vec![status.to_owned(), dmy(observed)];
    let field = course.field;
    match status {
        "Bekerja kembali" => {
            cells.push(company(r, field.sector_words()));
            cells.push((*r.pick(field.job_titles())).to_owned());
            cells.extend([String::new(), String::new(), String::new()]);
        }
        "Wirausaha" => {
            cells.extend([String::new(), String::new()]);
            cells.push((*r.pick(field.business_types())).to_owned());
            let revenue = r
                .chance(0.85)
                .then(|| rupiah(r.range(10, 100) as u64 * 50_000));
            cells.push(revenue.unwrap_or_default());
            cells.push(String::new());
        }
        _ => {
            cells.extend([String::new(), String::new(), String::new(), String::new()]);
            let note = r.chance(0.4).then(|| {
                (*r.pick(&[
                    "Masih melamar ke pabrik",
                    "Menunggu panggilan",
                    "Ikut seleksi kerja; belum ada hasil",
                    "Butuh modal usaha",
                ]))
                .to_owned()
            });
            cells.push(note.unwrap_or_default());
        }
    }
    cells
}

fn write_peserta(
    out: &mut CsvOut,
    mut cells: Vec<String>,
    quirk: Option<Quirk>,
    p: &Person,
    row_no: &mut u64,
) -> Result<(), GenerateError> {
    match quirk {
        Some(Quirk::UnpaddedDate) => {
            cells[7] = dmy_unpadded(p.birth_date);
            if let Some(d) = parse_dmy(&cells[19]) {
                cells[19] = dmy_unpadded(d);
            }
        }
        Some(Quirk::IsoDate) => {
            if let Some(d) = parse_dmy(&cells[19]) {
                cells[19] = d.format("%Y-%m-%d").to_string();
            }
        }
        Some(Quirk::LowercaseSex) => cells[5] = cells[5].to_lowercase(),
        Some(Quirk::ImpossibleDate) => cells[7] = format!("31/02/{}", p.birth_date.year()),
        Some(Quirk::InvalidNik) => cells[4].truncate(15),
        Some(Quirk::SexMismatch) => {
            cells[5] = if p.sex == Sex::Male { "P" } else { "L" }.to_owned();
        }
        Some(Quirk::BlankLine) => {
            let eol = out.eol();
            out.raw(eol)?;
            out.raw(&format!(";;;{eol}"))?;
        }
        _ => {}
    }
    out.row(&cells)?;
    let copy = match quirk {
        Some(Quirk::ExactDuplicate) => Some(cells),
        Some(Quirk::ConflictingDuplicate) => {
            cells[8] = p.phone_written(0, true, 7);
            Some(cells)
        }
        Some(Quirk::UnknownCourse) => {
            cells[2] = "SPN-PL-1999-99".to_owned();
            Some(cells)
        }
        _ => None,
    };
    if let Some(mut copy) = copy {
        *row_no += 1;
        copy[0] = row_no.to_string();
        out.row(&copy)?;
    }
    Ok(())
}

fn write_hasil(
    out: &mut CsvOut,
    mut cells: Vec<String>,
    quirk: Option<Quirk>,
) -> Result<(), GenerateError> {
    match quirk {
        Some(Quirk::MoneyWithPrefix) => cells[7] = "Rp 1.250.000".to_owned(),
        Some(Quirk::MoneyWithoutDots) => cells[7] = "1250000".to_owned(),
        _ => {}
    }
    out.row(&cells)?;
    if quirk == Some(Quirk::OrphanOutcome) {
        cells[1] = "SPN-PL-1999-99".to_owned();
        out.row(&cells)?;
    }
    Ok(())
}

fn parse_dmy(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").ok()
}

/// Decimal digits of `n`.
pub(crate) fn digits(n: u64) -> usize {
    n.max(1).ilog10() as usize + 1
}
