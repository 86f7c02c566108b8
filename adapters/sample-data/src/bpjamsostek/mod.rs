//! BPJAMSOSTEK Vokasi: the REST simulator's data files (`lembaga_mitra.json`,
//! `program_vokasi.json`, `peserta_program.json`, `kepesertaan.json`, `penempatan.json`,
//! `api_keys.json`) in the exact shapes of the contract ([`model`]), each sorted by its id as the
//! API serves them.
//!
//! Programmes are batches ([`crate::batches`]) numbered `PV-<year>-<nnnn>` by start date.
//! Enrolments are written programme by programme: a compact index of (person, slot) per
//! programme (8 bytes an enrolment) is built first, and every record is regenerated from the
//! person's own generator when written. Membership records (`kepesertaan.json`) cover the
//! participants, BBPLK's JKP trainees (their KPJ is in `peserta.no_kpj`, so it must resolve here)
//! and 6 % extra members who never enrolled, in KPJ order.
//!
//! Ids beyond the contract's widths (`PP-yyyy-nnnnn`, `PN-nnnnn`: 99,999) get more digits, all of
//! one width per file so that string order stays id order.

pub mod json;
pub mod model;
pub mod partners;

use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
use indicatif::ProgressBar;

use self::json::JsonArray;
use self::model::*;
use self::partners::{partners, Partner, TAG};
use crate::batches::{BatchPlan, KeySpec};
use crate::catalog::{choice_weight, VOKASI_TYPES};
use crate::error::GenerateError;
use crate::format::{at, iso_date, iso_wib};
use crate::geo::geo;
use crate::identity::Sex;
use crate::manifest::ProviderSummary;
use crate::people::{company, Employment, Person};
use crate::plan::Provider;
use crate::rng::{Rand, Stream};
use crate::spn::digits;
use crate::world::World;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

const TYPES: usize = VOKASI_TYPES.len();

/// Chance that a finished enrolment (ended 7+ days before the snapshot) has a placement record:
/// about 55 % of all enrolments end up followed up.
pub const FOLLOW_UP: f64 = 0.59;

/// The keys (partner × programme type) person `p` enrols in.
fn choices(world: &World, partners: &[Partner], p: &Person) -> Vec<usize> {
    let g = geo();
    let mut r = Rand::new(world.seed(), Stream::Choice, p.index, TAG);
    let home = g.regency_of(p.village);
    let female = p.sex == Sex::Female;
    let weights: Vec<u32> = partners
        .iter()
        .enumerate()
        .map(|(i, pa)| {
            let at = &g.regencies[pa.regency];
            let near = if at.code == home.code {
                8
            } else if at.province == home.province {
                2
            } else {
                1
            };
            near * if i == 0 { 3 } else { 1 }
        })
        .collect();
    let n = if r.chance(0.08) { 2 } else { 1 };
    let mut keys = Vec::with_capacity(n);
    for _ in 0..n {
        let partner = r.weighted(&weights);
        let type_weights: Vec<u32> = partners[partner]
            .types
            .iter()
            .map(|&t| {
                if keys.iter().any(|k| k / 2 == partner * TYPES + t) {
                    0
                } else {
                    choice_weight(VOKASI_TYPES[t].field, VOKASI_TYPES[t].weight, female)
                }
            })
            .collect();
        if type_weights.iter().all(|w| *w == 0) {
            continue;
        }
        let t = partners[partner].types[r.weighted(&type_weights)];
        // Kautsar Institute's 2019 programmes (VOKASI_2019, November 2019).
        let first_programme = partner == 0 && t < 4 && r.chance(0.3);
        keys.push((partner * TYPES + t) * 2 + usize::from(first_programme));
    }
    keys
}

/// Write the BPJAMSOSTEK data files into `dir`.
///
/// # Errors
/// A file cannot be created or written.
pub fn generate_bpjamsostek(
    world: &World,
    dir: &Path,
    bar: &ProgressBar,
) -> Result<ProviderSummary, GenerateError> {
    std::fs::create_dir_all(dir).map_err(|source| GenerateError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;
    let seed = world.seed();
    let members = world.population.count(Provider::Bpjamsostek);
    bar.set_length(members * 3);
    bar.set_message("planning programmes");
    let partners = partners(seed, members);
    let mut counts = vec![0u64; partners.len() * TYPES * 2];
    for i in world.members(Provider::Bpjamsostek) {
        for key in choices(world, &partners, &world.people.person(i)) {
            counts[key] += 1;
        }
        bar.inc(1);
    }
    let specs: Vec<KeySpec> = (0..counts.len())
        .map(|key| {
            let pa = &partners[key / 2 / TYPES];
            let days = VOKASI_TYPES[key / 2 % TYPES].hours / 3;
            if key % 2 == 1 {
                KeySpec {
                    from: d(2019, 11, 4),
                    to: d(2019, 11, 25),
                    size: pa.quota,
                    days,
                }
            } else {
                KeySpec {
                    from: pa.from,
                    to: pa.to,
                    size: pa.quota,
                    days,
                }
            }
        })
        .collect();
    let mut plan = BatchPlan::build(seed, TAG, counts, &specs);
    let enrolments = plan.total();

    // (person, slot) per programme, in person order within each programme.
    let mut offsets: Vec<u64> = Vec::with_capacity(plan.batches.len() + 1);
    let mut acc = 0u64;
    for b in &plan.batches {
        offsets.push(acc);
        acc += u64::from(b.size);
    }
    offsets.push(acc);
    let mut cursor = offsets.clone();
    let mut index: Vec<(u32, u32)> = vec![(0, 0); enrolments as usize];
    for i in world.members(Provider::Bpjamsostek) {
        for (slot, key) in choices(world, &partners, &world.people.person(i))
            .into_iter()
            .enumerate()
        {
            let b = plan.assign(key);
            index[cursor[b] as usize] = (i as u32, slot as u32);
            cursor[b] += 1;
        }
        bar.inc(1);
    }

    let mut summary = ProviderSummary {
        participants: members,
        enrollments: enrolments,
        ..ProviderSummary::default()
    };
    let file = |name: &str, s: crate::manifest::FileSummary, summary: &mut ProviderSummary| {
        summary
            .tables
            .insert(name.trim_end_matches(".json").to_owned(), s.records);
        summary.files.insert(format!("bpjamsostek/{name}"), s);
    };
    let mut lm = JsonArray::create(&dir.join("lembaga_mitra.json"))?;
    for p in &partners {
        lm.push(&p.record)?;
    }
    file("lembaga_mitra.json", lm.finish()?, &mut summary);
    let mut keys_file = JsonArray::create(&dir.join("api_keys.json"))?;
    for k in api_keys() {
        keys_file.push(&k)?;
    }
    file("api_keys.json", keys_file.finish()?, &mut summary);

    bar.set_message("writing programmes and participants");
    let programs = program_records(world, &partners, &plan);
    let mut pv = JsonArray::create(&dir.join("program_vokasi.json"))?;
    let mut pp = JsonArray::create(&dir.join("peserta_program.json"))?;
    let mut pn = JsonArray::create(&dir.join("penempatan.json"))?;
    let width = digits(enrolments).max(5);
    let mut pp_seq = 0u64;
    let mut pn_seq = 0u64;
    for (b, program) in programs.iter().enumerate() {
        pv.push(program)?;
        let batch = &plan.batches[b];
        let start = offsets[b] as usize;
        let end = offsets[b + 1] as usize;
        for (position, &(i, slot)) in index[start..end].iter().enumerate() {
            let p = world.people.person(u64::from(i));
            pp_seq += 1;
            let id = format!("PP-{}-{pp_seq:0width$}", batch.start.year());
            let mut r = Rand::new(
                seed,
                Stream::Enrolment,
                u64::from(i),
                TAG * 16 + u64::from(slot),
            );
            let record = enrolment(
                world,
                &p,
                &mut r,
                &id,
                program,
                batch.start,
                batch.end,
                position + 1,
            );
            let placement = placement(
                world,
                &mut r,
                &record,
                program,
                batch.end,
                width,
                &mut pn_seq,
            );
            pp.push(&record)?;
            if let Some(placement) = placement {
                pn.push(&placement)?;
            }
            bar.inc(1);
        }
    }
    file("program_vokasi.json", pv.finish()?, &mut summary);
    file("peserta_program.json", pp.finish()?, &mut summary);
    let placements = pn.finish()?;
    summary.outcomes = placements.records;
    file("penempatan.json", placements, &mut summary);
    drop(index);

    bar.set_message("writing memberships");
    let mut kp = JsonArray::create(&dir.join("kepesertaan.json"))?;
    let with_bbplk = world.plan.has(Provider::Bbplk);
    let total = world.population.total + world.population.extra_members;
    for i in 0..total {
        let extra = i >= world.population.total;
        let at_bpjs = world.population.is_at(i, Provider::Bpjamsostek);
        let at_bbplk = with_bbplk && world.population.is_at(i, Provider::Bbplk);
        if !(extra || at_bpjs || at_bbplk) {
            continue;
        }
        let p = world.people.person(i);
        if !(extra || at_bpjs || p.jkp) {
            continue;
        }
        kp.push(&membership(world, &p, extra))?;
    }
    file("kepesertaan.json", kp.finish()?, &mut summary);
    bar.finish_with_message("done");
    Ok(summary)
}

/// One `ProgramVokasi` per batch, numbered per year in start order.
fn program_records(world: &World, partners: &[Partner], plan: &BatchPlan) -> Vec<ProgramVokasi> {
    let g = geo();
    let seed = world.seed();
    let mut per_year = std::collections::BTreeMap::<i32, u64>::new();
    for b in &plan.batches {
        *per_year.entry(b.start.year()).or_default() += 1;
    }
    let mut seq = std::collections::BTreeMap::<i32, u64>::new();
    plan.batches
        .iter()
        .map(|b| {
            let pa = &partners[b.key / 2 / TYPES];
            let kind = &VOKASI_TYPES[b.key / 2 % TYPES];
            let year = b.start.year();
            let n = seq.entry(year).or_default();
            *n += 1;
            let width = digits(per_year[&year]).max(4);
            let mut r = Rand::new(
                seed,
                Stream::Batch,
                TAG + 100,
                (b.key as u64) << 20 | u64::from(b.ordinal),
            );
            let method = match year {
                2019 => "LURING",
                2020 => r.weighted_pick(&[(60, "DARING"), (25, "LURING"), (15, "CAMPURAN")]),
                _ => r.weighted_pick(&[(70, "LURING"), (20, "CAMPURAN"), (10, "DARING")]),
            };
            let online = method == "DARING";
            let hours = if online { kind.hours / 2 } else { kind.hours };
            let cost = if online {
                kind.cost * 6 / 10 / 50_000 * 50_000
            } else {
                kind.cost
            };
            let regency = &g.regencies[pa.regency];
            let status = if b.end < world.snapshot {
                "SELESAI"
            } else if b.start <= world.snapshot {
                "BERJALAN"
            } else {
                "DIBUKA"
            };
            let created = b.start - Days::new(r.range(14, 30) as u64);
            let updated = if status == "SELESAI" {
                at(b.end + Days::new(r.range(1, 10) as u64), 930)
            } else {
                at(created + Days::new(2), 600)
            };
            let mut sasaran = vec!["KORBAN_PHK".to_owned()];
            if year > 2019 {
                if r.chance(0.5) {
                    sasaran.push("PEKERJA_AKTIF".into());
                }
                if r.chance(0.2) {
                    sasaran.push("PEKERJA_INFORMAL".into());
                }
            }
            ProgramVokasi {
                program_id: format!("PV-{year}-{n:0width$}"),
                lembaga_id: pa.record.lembaga_id.clone(),
                nama_program: if online {
                    format!("{} (Daring)", kind.name)
                } else {
                    kind.name.to_owned()
                },
                bidang: Some(kind.bidang.to_owned()),
                deskripsi: r.chance(0.4).then(|| {
                    format!(
                        "{} bagi peserta terdampak PHK di wilayah {}.",
                        kind.name, regency.name
                    )
                }),
                kode_kbji: kind.field.kbji().map(str::to_owned),
                skema_program: if b.key % 2 == 1 {
                    "VOKASI_2019"
                } else {
                    "VOKASI_INDONESIA_PEKERJA"
                }
                .to_owned(),
                tahun_anggaran: year,
                metode_pelatihan: method.to_owned(),
                lokasi: Some(Lokasi {
                    kode_wilayah: regency.code.clone(),
                    nama_lokasi: regency.name.clone(),
                }),
                tanggal_mulai: iso_date(b.start),
                tanggal_selesai: Some(iso_date(b.end)),
                jumlah_jam_pelajaran: Some(hours),
                kuota: Some(pa.quota),
                biaya_per_peserta: Some(Biaya {
                    jumlah: cost,
                    mata_uang: "IDR".to_owned(),
                }),
                sertifikat: Some(Sertifikat {
                    jenis: if pa.competency {
                        "SERTIFIKAT_KOMPETENSI"
                    } else {
                        "SERTIFIKAT_PELATIHAN"
                    }
                    .to_owned(),
                    penerbit: pa.record.nama_lembaga.clone(),
                }),
                sasaran,
                status: status.to_owned(),
                dibuat_pada: iso_wib(at(created, 600)),
                diperbarui_pada: Some(iso_wib(updated)),
            }
        })
        .collect()
}

/// The name BPJAMSOSTEK uses for a person (the same in both files).
fn name(world: &World, p: &Person) -> String {
    let mut r = Rand::new(world.seed(), Stream::Rendering, p.index, TAG);
    p.bpjs_name(&mut r)
}

#[allow(clippy::too_many_arguments)]
fn enrolment(
    world: &World,
    p: &Person,
    r: &mut Rand,
    id: &str,
    program: &ProgramVokasi,
    start: NaiveDate,
    end: NaiveDate,
    position: usize,
) -> PesertaProgram {
    let snapshot = world.snapshot;
    let registered = at(
        start - Days::new(r.range(7, 30) as u64),
        480 + r.below(600) as u32,
    );
    let status = if start > snapshot {
        "TERDAFTAR"
    } else if end >= snapshot {
        "BERLANGSUNG"
    } else {
        r.weighted_pick(&[(92, "LULUS"), (5, "TIDAK_LULUS"), (3, "MENGUNDURKAN_DIRI")])
    };
    let work = match p.employment {
        Employment::Employed => "PEKERJA_AKTIF",
        Employment::Informal | Employment::SelfEmployed => "PEKERJA_INFORMAL",
        Employment::Migrant => "PEKERJA_MIGRAN",
        _ => "KORBAN_PHK",
    };
    let variant = u64::from(world.is_shared(p.index) && r.chance(0.25));
    let updated = if matches!(status, "LULUS" | "TIDAK_LULUS" | "MENGUNDURKAN_DIRI") {
        at(end + Days::new(r.range(1, 8) as u64), 660)
    } else {
        registered
    };
    PesertaProgram {
        peserta_program_id: id.to_owned(),
        program_id: program.program_id.clone(),
        kpj: p.kpj.clone(),
        nik: p.nik.clone(),
        nama_lengkap: name(world, p),
        jenis_kelamin: p.sex.code().to_owned(),
        tanggal_lahir: Some(iso_date(p.birth_date)),
        kode_wilayah_domisili: Some(geo().villages[p.village].code.clone()),
        no_hp: Some(p.phone_written(world.seed(), true, variant)),
        email: p.email.clone(),
        status_pekerjaan_saat_daftar: work.to_owned(),
        status_pelatihan: status.to_owned(),
        nomor_sertifikat: (status == "LULUS")
            .then(|| format!("VKS/{}/{position:04} (fiktif)", program.program_id)),
        tanggal_daftar: iso_wib(registered),
        diperbarui_pada: Some(iso_wib(updated)),
    }
}

fn placement(
    world: &World,
    r: &mut Rand,
    enrolment: &PesertaProgram,
    program: &ProgramVokasi,
    end: NaiveDate,
    width: usize,
    seq: &mut u64,
) -> Option<Penempatan> {
    let finished = matches!(
        enrolment.status_pelatihan.as_str(),
        "LULUS" | "TIDAK_LULUS" | "MENGUNDURKAN_DIRI"
    );
    if !finished || end + Days::new(7) > world.snapshot || !r.chance(FOLLOW_UP) {
        return None;
    }
    let passed = enrolment.status_pelatihan == "LULUS";
    let status = match (passed, program.tahun_anggaran) {
        (false, _) => r.weighted_pick(&[
            (10, "BEKERJA_KEMBALI"),
            (10, "PROSES_INTERVIEW"),
            (10, "WIRAUSAHA"),
            (70, "BELUM_BEKERJA"),
        ]),
        (true, 2019) => r.weighted_pick(&[
            (15, "BEKERJA_KEMBALI"),
            (15, "PROSES_INTERVIEW"),
            (3, "WIRAUSAHA"),
            (67, "BELUM_BEKERJA"),
        ]),
        _ => r.weighted_pick(&[
            (35, "BEKERJA_KEMBALI"),
            (10, "PROSES_INTERVIEW"),
            (20, "WIRAUSAHA"),
            (35, "BELUM_BEKERJA"),
        ]),
    };
    let last = (world.snapshot - end).num_days().max(7);
    let observed = end + Days::new(r.range(7, last.min(180)) as u64);
    let field = VOKASI_TYPES
        .iter()
        .find(|t| program.kode_kbji.as_deref() == t.field.kbji())
        .map_or(crate::catalog::Field::Business, |t| t.field);
    let employed = status == "BEKERJA_KEMBALI";
    *seq += 1;
    let seq = *seq;
    Some(Penempatan {
        penempatan_id: format!("PN-{seq:0width$}"),
        peserta_program_id: enrolment.peserta_program_id.clone(),
        program_id: program.program_id.clone(),
        kpj: enrolment.kpj.clone(),
        status_penempatan: status.to_owned(),
        nama_perusahaan: employed.then(|| company(r, field.sector_words())),
        jabatan: employed.then(|| (*r.pick(field.job_titles())).to_owned()),
        jenis_usaha: (status == "WIRAUSAHA").then(|| (*r.pick(field.business_types())).to_owned()),
        tanggal_mulai_kerja: employed
            .then(|| iso_date(observed - Days::new(r.range(0, 14) as u64))),
        tanggal_update: iso_wib(at(observed, 540 + r.below(480) as u32)),
        sumber_data: r
            .weighted_pick(&[(50, "LEMBAGA_MITRA"), (35, "KANTOR_CABANG"), (15, "SURVEI")])
            .to_owned(),
    })
}

/// The `kepesertaan.json` record of person `p`.
fn membership(world: &World, p: &Person, extra: bool) -> Kepesertaan {
    let mut r = Rand::new(world.seed(), Stream::Membership, p.index, 1);
    let segment = match p.employment {
        Employment::Informal | Employment::SelfEmployed => "BPU",
        Employment::Migrant => "PMI",
        _ if !p.jkp && r.chance(0.08) => "JAKON",
        _ => "PU",
    };
    let short = extra && r.chance(0.3);
    let since = if short {
        d(2024, 7, 1) + Days::new(r.below(300))
    } else {
        d(2005, 1, 3) + Days::new(r.below(4900))
    };
    let laid_off = matches!(
        p.employment,
        Employment::LaidOff | Employment::Migrant | Employment::Retired
    );
    let active = if laid_off {
        r.chance(0.4)
    } else {
        r.chance(0.75)
    };
    let snapshot_month = 2025 * 12 + 5; // June 2025, months counted from year 0
    let since_month = since.year() * 12 + since.month0() as i32;
    let last_month = if active || short {
        snapshot_month
    } else {
        let lo = (since_month + 13).max(2019 * 12 + 11);
        (lo + r.below((snapshot_month - 1 - lo).max(1) as u64) as i32).min(snapshot_month - 1)
    };
    let span = (last_month - since_month + 1).max(1) as u32;
    let paid = if short {
        r.range(1, 11) as u32
    } else {
        (span * r.range(60, 100) as u32 / 100)
            .max(12)
            .min(span.max(12))
    };
    let since_last = (snapshot_month - last_month) as u32;
    let window = 24u32.saturating_sub(since_last).min(paid);
    let eligible = paid >= 12;
    Kepesertaan {
        kpj: p.kpj.clone(),
        nik: p.nik.clone(),
        nama_peserta: name(world, p),
        segmen_kepesertaan: segment.to_owned(),
        status_kepesertaan: if active || short { "AKTIF" } else { "NONAKTIF" }.to_owned(),
        tanggal_kepesertaan: iso_date(since),
        bulan_iuran: paid,
        iuran_terakhir: format!("{}-{:02}", last_month / 12, last_month % 12 + 1),
        eligible_vokasi: eligible,
        alasan_tidak_eligible: if eligible {
            vec![]
        } else {
            vec!["KURANG_MASA_IUR".to_owned()]
        },
        jkp: Some(Jkp {
            terdaftar: segment == "PU",
            masa_iur_24_bulan: if segment == "PU" { window } else { 0 },
            memenuhi_syarat_masa_iur: segment == "PU" && window >= 12,
        }),
        diperiksa_pada: "2025-06-30T07:00:00+07:00".to_owned(),
    }
}
