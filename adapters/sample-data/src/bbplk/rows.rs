//! The per-person rows of BBPLK: `peserta`, then each enrolment's `pendaftaran`, its
//! certificates (`sertifikasi`: a training certificate for every pass, an LSP competency test
//! for 70 % of them, K or BK) and its tracer-study `penempatan`, buffered per chunk and flushed
//! table by table inside one transaction.

use std::collections::HashMap;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::reference::{Lembaga, LSPS, TAG};
use super::sink::{Inserts, Sinks};
use super::{BatchInfo, FOLLOW_UP, PROGRAMS};
use crate::batches::BatchPlan;
use crate::catalog::BBPLK_PROGRAMS;
use crate::error::GenerateError;
use crate::format::{at, sql_date, sql_date_opt, sql_hundredths, sql_opt, sql_str, sql_ts};
use crate::geo::geo;
use crate::people::{company, Employment, Person};
use crate::rng::{Rand, Stream};
use crate::world::World;

/// The buffered rows of a chunk of people, with the counters that number certificates.
pub(super) struct PersonRows {
    pub(super) peserta: Inserts,
    pub(super) pendaftaran: Inserts,
    pub(super) sertifikasi: Inserts,
    pub(super) penempatan: Inserts,
    passed_in_batch: Vec<u32>,
    lsp_year: HashMap<(usize, i32), u32>,
}

impl PersonRows {
    pub(super) fn new(batches: usize) -> Self {
        Self {
            peserta: Inserts::new("peserta", "id_peserta, nik, nama_lengkap, jenis_kelamin, tempat_lahir, tanggal_lahir, pendidikan_terakhir, alamat, kode_wilayah, no_hp, email, ragam_disabilitas, no_kpj, status_pekerjaan, dibuat_pada"),
            pendaftaran: Inserts::new("pendaftaran", "id_pendaftaran, id_angkatan, id_peserta, tgl_daftar, jalur, status_seleksi, status_akhir, nilai_akhir, persen_kehadiran"),
            sertifikasi: Inserts::new("sertifikasi", "id_sertifikasi, id_pendaftaran, jenis_sertifikat, id_lsp, skema_sertifikasi, tgl_uji, rekomendasi, nomor_sertifikat, nomor_registrasi, tgl_terbit, berlaku_sampai"),
            penempatan: Inserts::new("penempatan", "id_penempatan, id_pendaftaran, status_penempatan, nama_perusahaan, jabatan, kode_wilayah_kerja, tgl_mulai_kerja, tgl_lapor, sumber_info"),
            passed_in_batch: vec![0; batches],
            lsp_year: HashMap::new(),
        }
    }

    /// Flush in foreign-key order inside one transaction; statements sent.
    pub(super) async fn flush(&mut self, sinks: &mut Sinks) -> Result<u64, GenerateError> {
        let before = self.statements();
        sinks.begin().await?;
        self.peserta.flush(sinks).await?;
        self.pendaftaran.flush(sinks).await?;
        self.sertifikasi.flush(sinks).await?;
        self.penempatan.flush(sinks).await?;
        sinks.commit().await?;
        Ok(self.statements() - before)
    }

    fn statements(&self) -> u64 {
        self.peserta.statements
            + self.pendaftaran.statements
            + self.sertifikasi.statements
            + self.penempatan.statements
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn person(
        &mut self,
        world: &World,
        lembaga: &[Lembaga],
        plan: &BatchPlan,
        infos: &[BatchInfo],
        p: &Person,
        id: u64,
        batches: &[usize],
    ) {
        let g = geo();
        let seed = world.seed();
        let snapshot = world.snapshot;
        let mut look = Rand::new(seed, Stream::Rendering, p.index, TAG);
        let registered: Vec<NaiveDate> = batches
            .iter()
            .enumerate()
            .map(|(slot, &b)| {
                let mut r = Rand::new(seed, Stream::Enrolment, p.index, TAG * 16 + slot as u64);
                plan.batches[b].start - Days::new(r.range(7, 45) as u64)
            })
            .collect();
        let first = registered.iter().min().copied().unwrap_or(snapshot);
        let variant = u64::from(world.is_shared(p.index) && look.chance(0.25));
        let phone = (!look.chance(0.05)).then(|| p.phone_written(seed, false, variant));
        let status = match p.employment {
            Employment::LaidOff | Employment::Migrant => "Korban PHK",
            Employment::Unemployed | Employment::Retired => "Belum Bekerja",
            Employment::Employed | Employment::Informal => "Bekerja",
            Employment::SelfEmployed => "Wirausaha",
        };
        self.peserta.push(format!(
            "{id}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}",
            sql_str(&p.nik),
            sql_str(&p.upper_name()),
            sql_str(p.sex.code()),
            sql_opt(
                (!look.chance(0.1))
                    .then(|| p.birth_place.to_uppercase())
                    .as_deref()
            ),
            sql_date(p.birth_date),
            sql_opt((!look.chance(0.03)).then_some(p.education)),
            sql_str(&p.address.to_uppercase()),
            sql_opt((!look.chance(0.02)).then_some(g.villages[p.village].code.as_str())),
            sql_opt(phone.as_deref()),
            sql_opt(p.email.as_deref()),
            sql_opt(p.disability),
            sql_opt(p.jkp.then_some(p.kpj.as_str())),
            sql_str(status),
            sql_ts(at(first, 480 + look.below(540) as u32)),
        ));
        for (slot, &b) in batches.iter().enumerate() {
            self.enrolment(
                world,
                lembaga,
                plan,
                infos,
                p,
                id,
                slot,
                b,
                registered[slot],
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn enrolment(
        &mut self,
        world: &World,
        lembaga: &[Lembaga],
        plan: &BatchPlan,
        infos: &[BatchInfo],
        p: &Person,
        person_id: u64,
        slot: usize,
        b: usize,
        registered: NaiveDate,
    ) {
        let seed = world.seed();
        let snapshot = world.snapshot;
        let batch = &plan.batches[b];
        let info = &infos[b];
        let program = &BBPLK_PROGRAMS[batch.key / 2 % PROGRAMS];
        let l = &lembaga[batch.key / 2 / PROGRAMS];
        let mut r = Rand::new(seed, Stream::Enrolment, p.index, TAG * 16 + slot as u64);
        r.word();
        let route = if batch.key % 2 == 1 {
            "JKP"
        } else if p.disability.is_some() {
            "Disabilitas"
        } else if p.union_member && r.chance(0.3) {
            "Serikat Pekerja"
        } else {
            "Umum"
        };
        let started = batch.start <= snapshot;
        let selection = if started {
            r.weighted_pick(&[(97, "Diterima"), (2, "Cadangan"), (1, "Ditolak")])
        } else {
            r.weighted_pick(&[(85, "Diterima"), (10, "Cadangan"), (5, "Ditolak")])
        };
        let ended = info.status == "Selesai";
        let result = (ended && selection == "Diterima").then(|| {
            r.weighted_pick(&[(84, "Lulus"), (8, "Tidak Lulus"), (8, "Mengundurkan Diri")])
        });
        let (score, attendance) = match result {
            Some("Lulus") => (
                Some(r.range(7500, 9800) as u32),
                Some(r.range(8500, 10000) as u32),
            ),
            Some("Tidak Lulus") => (
                Some(r.range(4000, 7499) as u32),
                Some(r.range(5000, 9500) as u32),
            ),
            Some(_) => (
                None,
                Some(if r.chance(0.1) {
                    0
                } else {
                    r.range(500, 6000) as u32
                }),
            ),
            None => (None, None),
        };
        let id = self.pendaftaran.total + self.pendaftaran.len() as u64 + 1;
        self.pendaftaran.push(format!(
            "{id}, {}, {person_id}, {}, {}, {}, {}, {}, {}",
            b + 1,
            sql_date(registered),
            sql_str(route),
            sql_str(selection),
            sql_opt(result),
            sql_hundredths(score),
            sql_hundredths(attendance),
        ));
        let Some(result) = result else { return };
        if result == "Lulus" {
            let n = &mut self.passed_in_batch[b];
            *n += 1;
            let cert = self.sertifikasi.total + self.sertifikasi.len() as u64 + 1;
            self.sertifikasi.push(format!(
                "{cert}, {id}, 'Sertifikat Pelatihan', NULL, NULL, NULL, NULL, {}, NULL, {}, NULL",
                sql_str(&format!("SP/{}/{:03}", info.code, n)),
                sql_date(batch.end),
            ));
            let tested = batch.end + Days::new(r.range(1, 10) as u64);
            let issued = tested + Days::new(r.range(14, 45) as u64);
            if r.chance(0.7) && issued <= snapshot {
                let cert = cert + 1;
                let lsp = program.lsp;
                if r.chance(0.93) {
                    let year = issued.year();
                    let seq = self.lsp_year.entry((lsp, year)).or_default();
                    *seq += 1;
                    let number = format!(
                        "{} {year} {} {:02}{:05}",
                        program.field.kbji().unwrap_or("0000"),
                        program.kkni,
                        lsp + 1,
                        seq
                    );
                    let registration = format!("REG/{}/{year}/{:05}", LSPS[lsp].0, seq);
                    let valid = issued.checked_add_months(Months::new(36)).unwrap_or(issued);
                    self.sertifikasi.push(format!(
                        "{cert}, {id}, 'Sertifikat Kompetensi', {}, {}, {}, 'K', {}, {}, {}, {}",
                        lsp + 1,
                        sql_str(program.scheme),
                        sql_date(tested),
                        sql_str(&number),
                        sql_str(&registration),
                        sql_date(issued),
                        sql_date(valid),
                    ));
                } else {
                    self.sertifikasi.push(format!(
                        "{cert}, {id}, 'Sertifikat Kompetensi', {}, {}, {}, 'BK', NULL, NULL, NULL, NULL",
                        lsp + 1,
                        sql_str(program.scheme),
                        sql_date(tested),
                    ));
                }
            }
        }
        if batch.end + Days::new(30) > snapshot || !r.chance(FOLLOW_UP) {
            return;
        }
        let status = if result == "Lulus" {
            r.weighted_pick(&[(60, "Bekerja"), (31, "Belum Bekerja"), (9, "Wirausaha")])
        } else {
            r.weighted_pick(&[(15, "Bekerja"), (75, "Belum Bekerja"), (10, "Wirausaha")])
        };
        let last = (snapshot - batch.end).num_days().max(30);
        let reported = batch.end + Days::new(r.range(14, last.min(200)) as u64);
        let g = geo();
        let (employer, job, region, started_on) = match status {
            "Bekerja" => {
                let region = if r.chance(0.7) {
                    g.regency_of(p.village).code.clone()
                } else {
                    g.regencies[l.regency].code.clone()
                };
                let start = batch.end
                    + Days::new(r.range(7, (reported - batch.end).num_days().max(7)) as u64);
                (
                    Some(company(&mut r, program.field.sector_words())),
                    Some((*r.pick(program.field.job_titles())).to_owned()),
                    Some(region),
                    Some(start.min(reported)),
                )
            }
            "Wirausaha" => (
                None,
                Some(format!(
                    "Usaha mandiri: {}",
                    r.pick(program.field.business_types()).to_lowercase()
                )),
                None,
                Some(reported - Days::new(r.range(0, 10) as u64)),
            ),
            _ => (None, None, None, None),
        };
        let source = r.weighted_pick(&[
            (50, "Tracer study"),
            (30, "Laporan peserta"),
            (20, "Mitra industri"),
        ]);
        let pid = self.penempatan.total + self.penempatan.len() as u64 + 1;
        self.penempatan.push(format!(
            "{pid}, {id}, {}, {}, {}, {}, {}, {}, {}",
            sql_str(status),
            sql_opt(employer.as_deref()),
            sql_opt(job.as_deref()),
            sql_opt(region.as_deref()),
            sql_date_opt(started_on),
            sql_date(reported),
            sql_str(source),
        ));
    }
}
