//! The BPJAMSOSTEK data files round-trip through serde into the contract's shapes (the same
//! types read the contract's own sample records), ids are sorted and well-formed, references
//! resolve, and enumerations stay inside the contract's vocabularies.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{json, run};
use serde::de::DeserializeOwned;
use serde::Serialize;
use simpul_sample_data::bpjamsostek::model::*;
use simpul_sample_data::Plan;

fn round_trip<T: DeserializeOwned + Serialize>(dir: &std::path::Path, file: &str) -> Vec<T> {
    let text = std::fs::read_to_string(dir.join("bpjamsostek").join(file)).expect(file);
    let raw: serde_json::Value = serde_json::from_str(&text).expect("json");
    let typed: Vec<T> = json(dir, file);
    assert_eq!(
        serde_json::to_value(&typed).expect("serialise"),
        raw,
        "{file} round-trips"
    );
    typed
}

fn sorted_unique(ids: impl Iterator<Item = String>, what: &str) {
    let ids: Vec<String> = ids.collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "{what} sorted and unique");
}

fn id_shape(id: &str, prefix: &str, groups: &[usize]) -> bool {
    let Some(rest) = id.strip_prefix(prefix) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    parts.len() == groups.len()
        && parts
            .iter()
            .zip(groups)
            .all(|(p, n)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
}

fn timestamp(t: &str) {
    assert!(t.ends_with("+07:00"), "{t}");
    chrono::DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("{t}: {e}"));
}

fn date(d: &str) {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_else(|e| panic!("{d}: {e}"));
}

fn within(value: &str, vocabulary: &[&str], what: &str) {
    assert!(vocabulary.contains(&value), "{what}: {value}");
}

#[test]
fn the_contract_sample_reads_into_the_same_types() {
    let text = include_str!("fixtures/bpjamsostek_contract_sample.json");
    let sample: serde_json::Value = serde_json::from_str(text).expect("fixture");
    fn check<T: DeserializeOwned + Serialize>(v: &serde_json::Value) {
        let typed: Vec<T> = serde_json::from_value(v.clone()).expect("contract shape");
        assert_eq!(&serde_json::to_value(&typed).expect("serialise"), v);
    }
    check::<LembagaMitra>(&sample["lembaga_mitra"]);
    check::<ProgramVokasi>(&sample["program_vokasi"]);
    check::<PesertaProgram>(&sample["peserta_program"]);
    check::<Kepesertaan>(&sample["kepesertaan"]);
    check::<Penempatan>(&sample["penempatan"]);
    check::<ApiKey>(&sample["api_keys"]);
    assert_eq!(
        serde_json::to_value(api_keys()).expect("keys"),
        sample["api_keys"]
    );
}

#[tokio::test]
async fn files_round_trip_and_hold_together() {
    let plan = Plan::new(4000).with_seed(17);
    let (dir, summary) = run(&plan, "bpjs").await;
    let d = dir.path();
    let out = &summary.outputs["bpjamsostek"];
    let partners: Vec<LembagaMitra> = round_trip(d, "lembaga_mitra.json");
    let programs: Vec<ProgramVokasi> = round_trip(d, "program_vokasi.json");
    let enrolments: Vec<PesertaProgram> = round_trip(d, "peserta_program.json");
    let members: Vec<Kepesertaan> = round_trip(d, "kepesertaan.json");
    let placements: Vec<Penempatan> = round_trip(d, "penempatan.json");
    let keys: Vec<ApiKey> = round_trip(d, "api_keys.json");
    assert_eq!(keys.len(), 4);
    assert_eq!(enrolments.len() as u64, out.enrollments);
    assert_eq!(placements.len() as u64, out.outcomes);
    assert_eq!(programs.len() as u64, out.tables["program_vokasi"]);
    assert_eq!(members.len() as u64, out.tables["kepesertaan"]);

    sorted_unique(partners.iter().map(|p| p.lembaga_id.clone()), "lembagaId");
    sorted_unique(programs.iter().map(|p| p.program_id.clone()), "programId");
    sorted_unique(
        enrolments.iter().map(|e| e.peserta_program_id.clone()),
        "pesertaProgramId",
    );
    sorted_unique(members.iter().map(|m| m.kpj.clone()), "kpj");
    sorted_unique(
        placements.iter().map(|p| p.penempatan_id.clone()),
        "penempatanId",
    );

    let partner_ids: HashSet<&str> = partners.iter().map(|p| p.lembaga_id.as_str()).collect();
    for p in &partners {
        assert!(id_shape(&p.lembaga_id, "LM-", &[4]), "{}", p.lembaga_id);
        within(
            &p.jenis_lembaga,
            &["LPK", "LKP", "LSP", "BLK", "LAINNYA"],
            "jenisLembaga",
        );
        within(
            &p.status_kemitraan,
            &["AKTIF", "NONAKTIF", "DITANGGUHKAN"],
            "statusKemitraan",
        );
        assert!(p.pengalaman_tahun >= 1);
        assert!(
            p.nama_lembaga == "Kautsar Institute" || p.nama_lembaga.ends_with("(fiktif)"),
            "{}",
            p.nama_lembaga
        );
        timestamp(&p.dibuat_pada);
        date(&p.izin_disnaker.tanggal_terbit);
    }
    let program_ids: HashSet<&str> = programs.iter().map(|p| p.program_id.as_str()).collect();
    let mut schemes = BTreeSet::new();
    for p in &programs {
        assert!(id_shape(&p.program_id, "PV-", &[4, 4]), "{}", p.program_id);
        assert!(partner_ids.contains(p.lembaga_id.as_str()));
        within(
            &p.skema_program,
            &["VOKASI_2019", "VOKASI_INDONESIA_PEKERJA"],
            "skemaProgram",
        );
        within(
            &p.metode_pelatihan,
            &["LURING", "DARING", "CAMPURAN"],
            "metodePelatihan",
        );
        within(
            &p.status,
            &["DIBUKA", "BERJALAN", "SELESAI", "DIBATALKAN"],
            "status",
        );
        for s in &p.sasaran {
            within(
                s,
                &[
                    "KORBAN_PHK",
                    "PEKERJA_AKTIF",
                    "PEKERJA_INFORMAL",
                    "PEKERJA_MIGRAN",
                ],
                "sasaran",
            );
        }
        assert_eq!(p.program_id[3..7], p.tahun_anggaran.to_string());
        date(&p.tanggal_mulai);
        timestamp(&p.dibuat_pada);
        schemes.insert(p.skema_program.clone());
    }
    assert_eq!(schemes.len(), 2, "both Vokasi schemes occur");
    let member_kpj: HashSet<&str> = members.iter().map(|m| m.kpj.as_str()).collect();
    let enrolment_ids: HashSet<&str> = enrolments
        .iter()
        .map(|e| e.peserta_program_id.as_str())
        .collect();
    for e in &enrolments {
        assert!(
            id_shape(&e.peserta_program_id, "PP-", &[4, 5]),
            "{}",
            e.peserta_program_id
        );
        assert!(program_ids.contains(e.program_id.as_str()));
        assert!(
            member_kpj.contains(e.kpj.as_str()),
            "enrolled KPJ is a member"
        );
        assert!(e.kpj.len() == 11 && e.kpj.starts_with("990"));
        within(
            &e.status_pelatihan,
            &[
                "TERDAFTAR",
                "BERLANGSUNG",
                "LULUS",
                "TIDAK_LULUS",
                "MENGUNDURKAN_DIRI",
            ],
            "statusPelatihan",
        );
        within(
            &e.status_pekerjaan_saat_daftar,
            &[
                "KORBAN_PHK",
                "PEKERJA_AKTIF",
                "PEKERJA_INFORMAL",
                "PEKERJA_MIGRAN",
            ],
            "statusPekerjaanSaatDaftar",
        );
        assert_eq!(e.nomor_sertifikat.is_some(), e.status_pelatihan == "LULUS");
        assert!(e
            .no_hp
            .as_deref()
            .is_some_and(|p| p.starts_with("+6289900")));
        assert!(e.email.as_deref().is_none_or(|m| m.contains("@example.")));
        assert!(e
            .nama_lengkap
            .chars()
            .next()
            .is_some_and(char::is_uppercase));
        timestamp(&e.tanggal_daftar);
    }
    for m in &members {
        within(
            &m.segmen_kepesertaan,
            &["PU", "BPU", "JAKON", "PMI"],
            "segmen",
        );
        within(
            &m.status_kepesertaan,
            &["AKTIF", "NONAKTIF"],
            "statusKepesertaan",
        );
        assert_eq!(m.eligible_vokasi, m.bulan_iuran >= 12);
        assert_eq!(m.alasan_tidak_eligible.is_empty(), m.eligible_vokasi);
        let jkp = m.jkp.as_ref().expect("jkp view");
        assert!(jkp.masa_iur_24_bulan <= 24);
        assert_eq!(jkp.memenuhi_syarat_masa_iur, jkp.masa_iur_24_bulan >= 12);
        assert_eq!(m.diperiksa_pada, "2025-06-30T07:00:00+07:00");
    }
    assert!(
        members.iter().any(|m| !m.eligible_vokasi),
        "some ineligible members"
    );
    for p in &placements {
        assert!(
            id_shape(&p.penempatan_id, "PN-", &[5]),
            "{}",
            p.penempatan_id
        );
        assert!(enrolment_ids.contains(p.peserta_program_id.as_str()));
        within(
            &p.status_penempatan,
            &[
                "BEKERJA_KEMBALI",
                "PROSES_INTERVIEW",
                "WIRAUSAHA",
                "BELUM_BEKERJA",
            ],
            "statusPenempatan",
        );
        within(
            &p.sumber_data,
            &["LEMBAGA_MITRA", "KANTOR_CABANG", "SURVEI"],
            "sumberData",
        );
        assert!(p
            .nama_perusahaan
            .as_deref()
            .is_none_or(|c| c.ends_with("(fiktif)")));
        timestamp(&p.tanggal_update);
    }
}
