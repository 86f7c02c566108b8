//! Kemnaker BBPLK / BLK: the contract's relational database, created with the contract DDL
//! (`adapters/bbplk/schema.sql`, the one copy in the repo) and filled with batched multi-row `INSERT`s — as a SQLite file,
//! a `.sql` script for `psql -f`, and/or straight into PostgreSQL ([`sink`]).
//!
//! Reference rows and institutions come from [`reference`]. People are streamed in chunks of
//! [`CHUNK`]: for each person the `peserta` row, then their `pendaftaran`, `sertifikasi` and
//! `penempatan` rows; each chunk is flushed table by table (so every foreign key points at a row
//! already inserted) inside one transaction.

pub mod reference;
pub mod rows;
pub mod sink;

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
use indicatif::ProgressBar;

use self::reference::{lembaga, partnerships, programs_of, static_tables, Lembaga, TAG};
use self::rows::PersonRows;
use self::sink::{ddl, Inserts, Sinks};
use crate::batches::{BatchPlan, KeySpec};
use crate::catalog::{choice_weight, BBPLK_KEJURUAN, BBPLK_PROGRAMS};
use crate::error::GenerateError;
use crate::format::{sql_date, sql_date_opt, sql_str};
use crate::geo::geo;
use crate::identity::Sex;
use crate::manifest::{FileSummary, ProviderSummary};
use crate::people::Person;
use crate::plan::Provider;
use crate::rng::{Rand, Stream};
use crate::world::World;

/// Chance that a finished enrolment (ended 30+ days before the snapshot) has a `penempatan`
/// row: about 55 % of all enrolments end up followed up.
pub const FOLLOW_UP: f64 = 0.62;

/// People per flushed chunk (and per transaction).
pub const CHUNK: usize = 5000;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

const PROGRAMS: usize = BBPLK_PROGRAMS.len();

fn key_of(l: usize, program: usize, jkp: bool) -> usize {
    (l * PROGRAMS + program) * 2 + usize::from(jkp)
}

/// The keys (institution × programme × JKP batch) person `p` enrols in.
fn choices(world: &World, lembaga: &[Lembaga], offers: &[Vec<usize>], p: &Person) -> Vec<usize> {
    let g = geo();
    let mut r = Rand::new(world.seed(), Stream::Choice, p.index, TAG);
    let home = g.regency_of(p.village);
    let female = p.sex == Sex::Female;
    let n = if r.chance(0.05) { 2 } else { 1 };
    let mut keys: Vec<usize> = Vec::with_capacity(n);
    for slot in 0..n {
        let jkp = slot == 0 && p.jkp;
        let weights: Vec<u32> = lembaga
            .iter()
            .map(|l| {
                let uptp = l.kind == "UPTP";
                if jkp && !uptp {
                    return 0;
                }
                let at = &g.regencies[l.regency];
                let near = if at.code == home.code {
                    8
                } else if at.province == home.province {
                    2
                } else {
                    1
                };
                near * if uptp { 5 } else { 2 }
            })
            .collect();
        let l = r.weighted(&weights);
        let taken = |program: usize| keys.iter().any(|k| k / 2 == l * PROGRAMS + program);
        let program_weights: Vec<u32> = offers[l]
            .iter()
            .map(|&g| {
                let prog = &BBPLK_PROGRAMS[g];
                if taken(g) {
                    0
                } else {
                    choice_weight(prog.field, prog.weight, female)
                }
            })
            .collect();
        if program_weights.iter().all(|w| *w == 0) {
            continue;
        }
        let program = offers[l][r.weighted(&program_weights)];
        keys.push(key_of(l, program, jkp));
    }
    keys
}

/// Per-batch facts decided once.
struct BatchInfo {
    code: String,
    gelombang: u32,
    status: &'static str,
    end: Option<NaiveDate>,
}

fn batch_infos(world: &World, lembaga: &[Lembaga], plan: &BatchPlan) -> Vec<BatchInfo> {
    let group = |key: usize| {
        let l = key / 2 / PROGRAMS;
        let k = BBPLK_PROGRAMS[key / 2 % PROGRAMS].kejuruan;
        (l, k)
    };
    let mut sizes: HashMap<(usize, usize, i32, bool), u64> = HashMap::new();
    for b in &plan.batches {
        let (l, k) = group(b.key);
        *sizes
            .entry((l, k, b.start.year(), b.key % 2 == 1))
            .or_default() += 1;
    }
    let mut seq: HashMap<(usize, usize, i32, bool), u32> = HashMap::new();
    let mut wave: HashMap<(usize, usize, i32), u32> = HashMap::new();
    plan.batches
        .iter()
        .map(|b| {
            let (l, k) = group(b.key);
            let jkp = b.key % 2 == 1;
            let year = b.start.year();
            let n = seq.entry((l, k, year, jkp)).or_default();
            *n += 1;
            let w = wave.entry((l, k, year)).or_default();
            *w += 1;
            let width = crate::spn::digits(sizes[&(l, k, year, jkp)]).max(if jkp { 1 } else { 2 });
            let kej = BBPLK_KEJURUAN[k].0;
            let prefix = &lembaga[l].prefix;
            let code = if jkp {
                format!("{prefix}-{kej}-{year}-JKP{n:0width$}")
            } else {
                format!("{prefix}-{kej}-{year}-{n:0width$}")
            };
            let snapshot = world.snapshot;
            let mut r = Rand::new(
                world.seed(),
                Stream::Batch,
                TAG + 100,
                (b.key as u64) << 20 | u64::from(b.ordinal),
            );
            let (status, end) = if b.end < snapshot {
                ("Selesai", Some(b.end))
            } else if b.start <= snapshot {
                ("Berjalan", (!r.chance(0.3)).then_some(b.end))
            } else if b.start <= snapshot + Days::new(60) {
                ("Pendaftaran", Some(b.end))
            } else {
                ("Direncanakan", Some(b.end))
            };
            BatchInfo {
                code,
                gelombang: *w,
                status,
                end,
            }
        })
        .collect()
}

/// Write the BBPLK database into `dir` (and/or PostgreSQL).
///
/// # Errors
/// A file or database step fails.
pub async fn generate_bbplk(
    world: &World,
    dir: &Path,
    bar: &ProgressBar,
) -> Result<ProviderSummary, GenerateError> {
    std::fs::create_dir_all(dir).map_err(|source| GenerateError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;
    let seed = world.seed();
    let members = world.population.count(Provider::Bbplk);
    bar.set_length(members * 2);
    bar.set_message("planning batches");
    let lembaga = lembaga(seed, members);
    let offers: Vec<Vec<usize>> = lembaga.iter().map(programs_of).collect();
    let mut counts = vec![0u64; lembaga.len() * PROGRAMS * 2];
    for i in world.members(Provider::Bbplk) {
        let p = world.people.person(i);
        for key in choices(world, &lembaga, &offers, &p) {
            counts[key] += 1;
        }
        bar.inc(1);
    }
    let specs: Vec<KeySpec> = (0..counts.len())
        .map(|key| {
            let l = &lembaga[key / 2 / PROGRAMS];
            let program = &BBPLK_PROGRAMS[key / 2 % PROGRAMS];
            let from = if key % 2 == 1 {
                l.from.max(d(2022, 3, 7))
            } else {
                l.from
            };
            KeySpec {
                from,
                to: d(2025, 8, 31),
                size: 16,
                days: program.jp / 6,
            }
        })
        .collect();
    let mut plan = BatchPlan::build(seed, TAG, counts, &specs);
    let infos = batch_infos(world, &lembaga, &plan);

    let format = world.plan.bbplk_format;
    let sqlite = format.sqlite().then(|| dir.join("bbplk.sqlite"));
    let sql = format.sql().then(|| dir.join("bbplk.sql"));
    let header = format!(
        "-- BBPLK sample data (SYNTHETIC), generated by simpul-sample-data {} with seed {} for {} participants.\n\
         -- Schema: the BBPLK contract DDL (shared/providers/bbplk/schema.sql). Snapshot 2025-06-30.\n\
         -- Load: psql -v ON_ERROR_STOP=1 -d <empty database> -f bbplk.sql   (or: sqlite3 bbplk.db < bbplk.sql)\n",
        env!("CARGO_PKG_VERSION"),
        seed,
        world.plan.participants
    );
    let mut sinks = Sinks::open(
        sqlite.as_deref(),
        sql.as_deref(),
        world.plan.postgres_url.as_deref(),
        &header,
    )
    .await?;
    let (tables, indexes) = ddl();
    for stmt in &tables {
        let name = stmt.split_whitespace().nth(2).unwrap_or("table");
        sinks.exec(stmt, &format!("creating table {name}")).await?;
    }
    let mut summary = ProviderSummary {
        participants: members,
        ..ProviderSummary::default()
    };
    let mut statements = 0u64;
    sinks.begin().await?;
    for (table, columns, rows) in static_tables(&lembaga) {
        let mut ins = Inserts::new(table, columns);
        rows.into_iter().for_each(|r| ins.push(r));
        ins.flush(&mut sinks).await?;
        summary.tables.insert(table.into(), ins.total);
        statements += ins.statements;
    }
    let mut angkatan = Inserts::new("angkatan", "id_angkatan, kode_angkatan, id_program, id_lembaga, tahun_anggaran, gelombang, tgl_mulai, tgl_selesai, kuota, moda, skema_pembiayaan, status_angkatan, instruktur, catatan");
    for (b, (batch, info)) in plan.batches.iter().zip(&infos).enumerate() {
        let l = &lembaga[batch.key / 2 / PROGRAMS];
        let program = batch.key / 2 % PROGRAMS;
        let jkp = batch.key % 2 == 1;
        let mut r = Rand::new(seed, Stream::Batch, TAG + 200, b as u64);
        let moda = r.weighted_pick(&[(80, "Luring"), (12, "Hybrid"), (8, "Daring")]);
        let scheme = if jkp {
            "JKP"
        } else if l.kind == "LPK" {
            r.weighted_pick(&[(60, "Mitra"), (40, "PNBP")])
        } else {
            r.weighted_pick(&[(78, "APBN-PBK"), (12, "PNBP"), (10, "Mitra")])
        };
        angkatan.push(format!(
            "{}, {}, {}, {}, {}, {}, {}, {}, 16, {}, {}, {}, {}, {}",
            b + 1,
            sql_str(&info.code),
            program + 1,
            l.id,
            batch.start.year(),
            info.gelombang,
            sql_date(batch.start),
            sql_date_opt(info.end),
            sql_str(moda),
            sql_str(scheme),
            sql_str(info.status),
            sql_str(&format!("Instruktur {:02} (fiktif)", r.range(1, 60))),
            if jkp {
                "'Angkatan khusus peserta JKP (korban PHK)'"
            } else {
                "NULL"
            },
        ));
        if angkatan.len() >= 20 * sink::ROWS_PER_INSERT {
            angkatan.flush(&mut sinks).await?;
        }
    }
    angkatan.flush(&mut sinks).await?;
    summary.tables.insert("angkatan".into(), angkatan.total);
    statements += angkatan.statements;
    sinks.commit().await?;

    bar.set_message("writing participants");
    let mut rows = PersonRows::new(plan.batches.len());
    let mut in_chunk = 0;
    for (ordinal, i) in world.members(Provider::Bbplk).enumerate() {
        let p = world.people.person(i);
        let keys = choices(world, &lembaga, &offers, &p);
        let batches: Vec<usize> = keys.iter().map(|k| plan.assign(*k)).collect();
        rows.person(
            world,
            &lembaga,
            &plan,
            &infos,
            &p,
            ordinal as u64 + 1,
            &batches,
        );
        in_chunk += 1;
        if in_chunk == CHUNK {
            statements += rows.flush(&mut sinks).await?;
            in_chunk = 0;
        }
        bar.inc(1);
    }
    statements += rows.flush(&mut sinks).await?;
    let mut kemitraan = Inserts::new("kemitraan", "id_kemitraan, id_lembaga, nama_mitra, jenis_mitra, bentuk, nomor_dokumen, tgl_mulai, tgl_berakhir, keterangan");
    partnerships(seed, &lembaga)
        .into_iter()
        .for_each(|r| kemitraan.push(r));
    kemitraan.flush(&mut sinks).await?;
    statements += kemitraan.statements;
    summary.tables.insert("kemitraan".into(), kemitraan.total);
    for (name, ins) in [
        ("peserta", &rows.peserta),
        ("pendaftaran", &rows.pendaftaran),
        ("sertifikasi", &rows.sertifikasi),
        ("penempatan", &rows.penempatan),
    ] {
        summary.tables.insert(name.into(), ins.total);
    }
    summary.enrollments = rows.pendaftaran.total;
    summary.outcomes = rows.penempatan.total;

    bar.set_message("creating indexes");
    for stmt in &indexes {
        let name = stmt.split_whitespace().nth(2).unwrap_or("index");
        sinks.exec(stmt, &format!("creating index {name}")).await?;
    }
    statements += indexes.len() as u64 + tables.len() as u64;
    if let Some(file) = sinks.finish(statements).await? {
        summary.files.insert("bbplk/bbplk.sql".into(), file);
    }
    if let Some(path) = &sqlite {
        let rows: u64 = summary.tables.values().sum();
        summary
            .files
            .insert("bbplk/bbplk.sqlite".into(), FileSummary::of(path, rows));
    }
    bar.finish_with_message("done");
    Ok(summary)
}
