//! The plugin boundary's cost: one query returning 50 course records, through the C ABI (JSON
//! both ways, completion callback) versus the same adapter's query called in-process.
//!
//! `cargo bench -p simpul-tests --bench boundary`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use simpul_adapter_spn::{SpnConfig, SpnData};
use simpul_plugin::host::PluginLibrary;
use simpul_schema::{AdapterRequest, Collection, QueryRequest};

/// An SPN export with 50 courses (one run each), written to a scratch folder.
fn fifty_courses() -> std::path::PathBuf {
    let dir = simpul_tests::scratch_dir("bench-boundary");
    std::fs::write(
        dir.join("pusat_pelatihan.csv"),
        "kode_pusat;nama_pusat;kode_wilayah\r\nSPN-TC-01;SPN Training Center Lebak;36.02.13.2007\r\n",
    )
    .unwrap();
    let mut runs = String::from("kode_pelatihan;kode_pusat;nama_pelatihan;jenis_pelatihan;bidang;sasaran;tgl_mulai;tgl_selesai;jumlah_jam;kuota;sumber_dana;instruktur;kode_kbji\r\n");
    for i in 0..50 {
        runs.push_str(&format!(
            "SPN-PL-2023-{i:02};SPN-TC-01;Pelatihan Contoh Nomor {i:02} untuk Pekerja Terdampak PHK;Reskilling;Desain mode dan tekstil;\"Korban PHK; Pekerja aktif\";0{}/0{}/2023;2{}/0{}/2023;60;10;Swadaya SPN;Instruktur {i} (fiktif);7531\r\n",
            1 + i % 9,
            1 + i % 9,
            i % 9,
            1 + i % 9
        ));
    }
    std::fs::write(dir.join("pelatihan.csv"), runs).unwrap();
    std::fs::write(
        dir.join("peserta.csv"),
        "id_peserta;kode_pelatihan;nama_lengkap;nik;jenis_kelamin\r\n",
    )
    .unwrap();
    dir
}

fn boundary(c: &mut Criterion) {
    let dir = fifty_courses();
    let request = QueryRequest {
        limit: Some(50),
        ..QueryRequest::all(Collection::Courses)
    };

    let data = SpnData::load(&SpnConfig::new(&dir)).expect("bench data loads");
    assert_eq!(data.query(&request).unwrap().total_count, 50);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let library = PluginLibrary::open(simpul_tests::library("simpul_adapter_spn")).unwrap();
    let instance = runtime
        .block_on(library.create("spn", serde_json::json!({ "data_dir": dir })))
        .unwrap();
    let wire = AdapterRequest::Query(request.clone());

    let mut group = c.benchmark_group("50 courses");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("in-process", |b| b.iter(|| data.query(&request).unwrap()));
    group.bench_function("JSON round trip of the response only", |b| {
        let response = simpul_schema::AdapterResponse::Query(data.query(&request).unwrap());
        b.iter(|| {
            let bytes = serde_json::to_vec(&response).unwrap();
            serde_json::from_slice::<simpul_schema::AdapterResponse>(&bytes).unwrap()
        })
    });
    group.bench_function("through the C ABI", |b| {
        b.iter(|| {
            runtime
                .block_on(instance.call(&wire, Duration::from_secs(5)))
                .unwrap()
        })
    });
    group.finish();
    runtime.block_on(instance.shutdown());
}

criterion_group!(benches, boundary);
criterion_main!(benches);
