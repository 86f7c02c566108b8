//! The requested number of people and the overlap are met exactly; NIKs are valid, agree with
//! sex and birth date, are unique per provider, and the overlaps are the same NIKs everywhere.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use common::{json, run};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use simpul_adapter_spn::source::read_folder;
use simpul_sample_data::bpjamsostek::model::{Kepesertaan, PesertaProgram};
use simpul_sample_data::{Plan, Provider};
use simpul_schema::identity::Nik;
use simpul_schema::Sex;

fn check_nik(nik: &str, sex: &str, birth: NaiveDate, what: &str) {
    let parsed = Nik::parse(nik).unwrap_or_else(|e| panic!("{what}: invalid NIK ({e})"));
    let expected = if sex.eq_ignore_ascii_case("P") {
        Sex::Female
    } else {
        Sex::Male
    };
    assert_eq!(parsed.sex(), expected, "{what}: sex");
    assert!(parsed.agrees_with_birth_date(birth), "{what}: birth date");
    assert_eq!(parsed.birth_date(), Some(birth), "{what}: NIK birth date");
    let seq: u32 = nik[12..].parse().expect("digits");
    assert!((9001..=9499).contains(&seq), "{what}: sequence {seq}");
    let region = format!("{}.{}.{}", &nik[..2], &nik[2..4], &nik[4..6]);
    assert!(
        simpul_schema::reference::regions().get(&region).is_some(),
        "{what}: region {region}"
    );
}

#[tokio::test]
async fn counts_overlaps_and_niks() {
    let n = 2500;
    let plan = Plan::new(n).with_seed(11).with_overlap(0.05);
    let (dir, summary) = run(&plan, "people").await;
    let people = &summary.people;
    assert_eq!(people.total, n);
    assert_eq!(people.at_two_or_more, 125, "round(2500 × 0.05)");
    assert_eq!(people.at_all_three, 42, "round(125 / 3)");
    assert_eq!(people.by_providers.values().sum::<u64>(), n);

    // SPN: id_peserta → NIK.
    let spn = read_folder(&dir.path().join("spn")).expect("spn folder");
    let mut spn_ids: HashMap<String, String> = HashMap::new();
    for row in &spn.peserta.rows {
        let nik = row.get("nik").expect("nik").to_owned();
        let birth = NaiveDate::parse_from_str(row.get("tgl_lahir").expect("tgl_lahir"), "%d/%m/%Y")
            .expect("date");
        check_nik(&nik, row.get("jenis_kelamin").expect("sex"), birth, "spn");
        let id = row.get("id_peserta").expect("id").to_owned();
        if let Some(old) = spn_ids.insert(id, nik.clone()) {
            assert_eq!(old, nik, "one SPN person, one NIK");
        }
    }
    let spn_niks: BTreeSet<String> = spn_ids.values().cloned().collect();
    assert_eq!(
        spn_niks.len(),
        spn_ids.len(),
        "SPN: distinct people have distinct NIKs"
    );

    // BBPLK: one peserta row per person.
    let url = format!(
        "sqlite://{}?mode=ro",
        dir.path().join("bbplk/bbplk.sqlite").display()
    );
    let db = Database::connect(url).await.expect("open sqlite");
    let rows = db
        .query_all(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT nik, jenis_kelamin, tanggal_lahir, no_kpj FROM peserta",
        ))
        .await
        .expect("query");
    let mut bbplk_niks = BTreeSet::new();
    let mut bbplk_kpj: BTreeMap<String, String> = BTreeMap::new();
    for r in &rows {
        let nik: String = r.try_get("", "nik").expect("nik");
        let sex: String = r.try_get("", "jenis_kelamin").expect("sex");
        let birth: String = r.try_get("", "tanggal_lahir").expect("birth");
        let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d").expect("date");
        check_nik(&nik, &sex, birth, "bbplk");
        if let Ok(Some(kpj)) = r.try_get::<Option<String>>("", "no_kpj") {
            bbplk_kpj.insert(nik.clone(), kpj);
        }
        assert!(bbplk_niks.insert(nik), "BBPLK: NIKs are unique");
    }

    // BPJAMSOSTEK: enrolments by KPJ.
    let enrolments: Vec<PesertaProgram> = json(dir.path(), "peserta_program.json");
    let mut by_kpj: HashMap<String, String> = HashMap::new();
    for e in &enrolments {
        let birth =
            NaiveDate::parse_from_str(e.tanggal_lahir.as_deref().expect("birth"), "%Y-%m-%d")
                .expect("date");
        check_nik(&e.nik, &e.jenis_kelamin, birth, "bpjamsostek");
        if let Some(old) = by_kpj.insert(e.kpj.clone(), e.nik.clone()) {
            assert_eq!(old, e.nik, "one KPJ, one NIK");
        }
    }
    let bpjs_niks: BTreeSet<String> = by_kpj.values().cloned().collect();
    assert_eq!(
        bpjs_niks.len(),
        by_kpj.len(),
        "BPJAMSOSTEK: distinct members have distinct NIKs"
    );

    let count = |p: Provider| summary.outputs[p.id()].participants as usize;
    assert_eq!(spn_niks.len(), count(Provider::Spn));
    assert_eq!(bbplk_niks.len(), count(Provider::Bbplk));
    assert_eq!(bpjs_niks.len(), count(Provider::Bpjamsostek));

    let both = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
        a.intersection(b).cloned().collect::<BTreeSet<_>>()
    };
    let sb = both(&spn_niks, &bbplk_niks);
    let sj = both(&spn_niks, &bpjs_niks);
    let bj = both(&bbplk_niks, &bpjs_niks);
    let all = both(&sb, &bpjs_niks);
    let at = |k: &str| people.by_providers.get(k).copied().unwrap_or(0) as usize;
    assert_eq!(all.len(), at("spn+bbplk+bpjamsostek"));
    assert_eq!(sb.len(), at("spn+bbplk") + all.len());
    assert_eq!(sj.len(), at("spn+bpjamsostek") + all.len());
    assert_eq!(bj.len(), at("bbplk+bpjamsostek") + all.len());
    let union: BTreeSet<&String> = spn_niks
        .iter()
        .chain(&bbplk_niks)
        .chain(&bpjs_niks)
        .collect();
    assert_eq!(union.len() as u64, n, "distinct NIKs = participants");
    let multi: BTreeSet<&String> = sb.iter().chain(&sj).chain(&bj).collect();
    assert_eq!(multi.len() as u64, people.at_two_or_more);

    // Every KPJ recorded at BBPLK resolves in kepesertaan.json, with the same NIK.
    let members: Vec<Kepesertaan> = json(dir.path(), "kepesertaan.json");
    let member_nik: HashMap<&str, &str> = members
        .iter()
        .map(|m| (m.kpj.as_str(), m.nik.as_str()))
        .collect();
    assert!(!bbplk_kpj.is_empty());
    for (nik, kpj) in &bbplk_kpj {
        assert_eq!(
            member_nik.get(kpj.as_str()),
            Some(&nik.as_str()),
            "BBPLK KPJ resolves"
        );
        if let Some(bpjs_nik) = by_kpj.get(kpj) {
            assert_eq!(bpjs_nik, nik);
        }
    }
    let member_niks: BTreeSet<&str> = members.iter().map(|m| m.nik.as_str()).collect();
    assert_eq!(
        member_niks.len(),
        members.len(),
        "membership NIKs are unique"
    );
    for m in &members {
        Nik::parse(&m.nik).expect("member NIK");
    }
}

#[tokio::test]
async fn overlap_share_follows_the_plan() {
    for (n, overlap, multi, triple) in [(40, 0.05, 2, 1), (1000, 0.2, 200, 67), (999, 0.0, 0, 0)] {
        let plan = Plan::new(n)
            .with_overlap(overlap)
            .with_providers(Provider::ALL);
        let world = simpul_sample_data::World::new(&plan).expect("plan");
        assert_eq!(world.population.multi(), multi, "{n} {overlap}");
        assert_eq!(world.population.triple(), triple, "{n} {overlap}");
    }
    let two = Plan::new(1000)
        .with_overlap(0.1)
        .with_providers([Provider::Spn, Provider::Bpjamsostek]);
    let world = simpul_sample_data::World::new(&two).expect("plan");
    assert_eq!(world.population.multi(), 100);
    assert_eq!(world.population.triple(), 0);
    assert_eq!(world.population.count(Provider::Bbplk), 0);
}
