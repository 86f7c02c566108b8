//! The plugin boundary's cost, and the message encodings measured to choose the faster one:
//! one query returning 50 course records, and one returning 1,000 participants, through the C
//! ABI in JSON and in MessagePack, against the same adapter's query called in-process, and the
//! response alone written and read in JSON, MessagePack and CBOR.
//!
//! `cargo bench -p simpul-tests --bench boundary`
//!
//! Criterion's figures are wall time. A call through the ABI hands work between three
//! threads, so on a busy machine its wall time measures the scheduler as much as the call; the
//! bench ends with a table of the process's CPU time per call (all threads, the plugin's
//! included), the encodings alternated round by round, which the neighbours move far less.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use simpul_adapter_spn::{SpnConfig, SpnData};
use simpul_plugin::host::{HostSettings, PluginInstance, PluginLibrary};
use simpul_plugin::Encoding;
use simpul_schema::{AdapterRequest, AdapterResponse, Collection, QueryRequest};

/// An SPN export with 50 courses (one run each) and `participants` participants spread over
/// them, written to a scratch folder.
fn spn_export(participants: usize) -> std::path::PathBuf {
    let dir = simpul_tests::scratch_dir(&format!("bench-boundary-{participants}"));
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
    let mut people = String::from("no;id_peserta;kode_pelatihan;nama_lengkap;nik;jenis_kelamin;tempat_lahir;tgl_lahir;no_hp;alamat;desa_kelurahan;kecamatan;kab_kota;pendidikan_terakhir;status_anggota;no_kta;perusahaan_terakhir;status_kerja;tgl_phk;tgl_daftar;status_kelulusan;keterangan\r\n");
    for i in 0..participants {
        let (sex, day) = if i % 2 == 0 { ("P", 54) } else { ("L", 14) };
        people.push_str(&format!(
            "{n};SPN-P-{n:05};SPN-PL-2023-{run:02};Peserta Contoh {n};360213{day}0285{i:04};{sex};Lebak;{day2:02}/02/1985;0899001{i:05};Kp. Pasirhuni RT 004/RW 006;Sangiang;Maja;Kab. Lebak;SMA;Anggota;SPN/3602/{i:05};PT Busana Anggun Lestari (fiktif);Korban PHK;30/06/2022;22/08/2023;Lulus;\r\n",
            n = i + 1,
            run = i % 50,
            day2 = day % 40,
        ));
    }
    std::fs::write(dir.join("peserta.csv"), people).unwrap();
    dir
}

/// One workload: a request, the data answering it in-process, and an instance per encoding.
struct Workload {
    name: String,
    request: QueryRequest,
    data: SpnData,
    instances: Vec<(Encoding, PluginInstance)>,
}

fn workload(
    runtime: &tokio::runtime::Runtime,
    library: &PluginLibrary,
    collection: Collection,
    records: u64,
) -> Workload {
    let participants = if collection == Collection::Participants {
        records as usize
    } else {
        0
    };
    let dir = spn_export(participants);
    let request = QueryRequest {
        limit: Some(records),
        ..QueryRequest::all(collection)
    };
    let data = SpnData::load(&SpnConfig::new(&dir)).expect("bench data loads");
    assert_eq!(data.query(&request).unwrap().total_count, records);
    let instances = Encoding::ALL
        .into_iter()
        .map(|encoding| {
            let settings = HostSettings {
                encoding: Some(encoding),
                ..HostSettings::default()
            };
            let instance = runtime
                .block_on(library.create_with(
                    "spn",
                    serde_json::json!({ "data_dir": dir }),
                    settings,
                ))
                .unwrap();
            assert_eq!(instance.encoding(), encoding);
            (encoding, instance)
        })
        .collect();
    Workload {
        name: format!("{records} {collection:?}"),
        request,
        data,
        instances,
    }
}

/// Write the response and read it back, in CBOR (measured beside the two encodings spoken).
fn cbor_round_trip(response: &AdapterResponse) -> AdapterResponse {
    let mut bytes = Vec::new();
    ciborium::into_writer(response, &mut bytes).unwrap();
    ciborium::from_reader(bytes.as_slice()).unwrap()
}

fn boundary(c: &mut Criterion, runtime: &tokio::runtime::Runtime, workloads: &[Workload]) {
    for workload in workloads {
        let request = &workload.request;
        let response = AdapterResponse::Query(workload.data.query(request).unwrap());
        let mut group = c.benchmark_group(&workload.name);
        group.measurement_time(Duration::from_secs(5));
        group.bench_function("in-process", |b| {
            b.iter(|| workload.data.query(request).unwrap())
        });
        for encoding in Encoding::ALL {
            let size = encoding.encode(&response).unwrap().len();
            group.bench_function(
                BenchmarkId::new(
                    "round trip of the response alone",
                    format!("{encoding}, {size} bytes"),
                ),
                |b| {
                    b.iter(|| {
                        let bytes = encoding.encode(&response).unwrap();
                        encoding.decode::<AdapterResponse>(&bytes).unwrap()
                    })
                },
            );
        }
        group.bench_function("round trip of the response alone/cbor (not spoken)", |b| {
            b.iter(|| cbor_round_trip(&response))
        });
        let wire = AdapterRequest::Query(request.clone());
        for (encoding, instance) in &workload.instances {
            group.bench_function(BenchmarkId::new("through the C ABI", encoding), |b| {
                b.iter(|| {
                    runtime
                        .block_on(instance.call(&wire, Duration::from_secs(5)))
                        .unwrap()
                })
            });
        }
        group.finish();
    }
}

/// The process's CPU time so far, every thread's.
fn process_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer; CLOCK_PROCESS_CPUTIME_ID exists on every Linux.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// CPU time per call through the ABI in each encoding, and in-process, over `ROUNDS` rounds
/// alternating the paths; the least of the rounds (what the call costs when nothing else
/// intrudes), printed as a table.
fn cpu_per_call(runtime: &tokio::runtime::Runtime, workloads: &[Workload]) {
    const ROUNDS: usize = 7;
    println!("\nCPU time per call (all threads), least of {ROUNDS} alternated rounds:");
    println!("| workload | in-process | through the ABI, json | through the ABI, msgpack |");
    println!("|---|---|---|---|");
    for workload in workloads {
        let wire = AdapterRequest::Query(workload.request.clone());
        // About 0.3 s of work per path and round.
        let calls = (300_000 / workload.request.limit.unwrap_or(50).max(1)).max(100) as u32;
        let mut best = [Duration::MAX; 3];
        for _ in 0..ROUNDS {
            let start = process_cpu();
            for _ in 0..calls {
                std::hint::black_box(workload.data.query(&workload.request).unwrap());
            }
            best[0] = best[0].min((process_cpu() - start) / calls);
            for (encoding, instance) in &workload.instances {
                let start = process_cpu();
                for _ in 0..calls {
                    runtime
                        .block_on(instance.call(&wire, Duration::from_secs(5)))
                        .unwrap();
                }
                let slot = if *encoding == Encoding::Json { 1 } else { 2 };
                best[slot] = best[slot].min((process_cpu() - start) / calls);
            }
        }
        println!(
            "| {} | {:.1?} | {:.1?} | {:.1?} |",
            workload.name, best[0], best[1], best[2]
        );
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let library = PluginLibrary::open(simpul_tests::library("simpul_adapter_spn")).unwrap();
    let workloads = [
        workload(&runtime, &library, Collection::Courses, 50),
        workload(&runtime, &library, Collection::Participants, 1000),
    ];
    let mut criterion = Criterion::default().configure_from_args();
    boundary(&mut criterion, &runtime, &workloads);
    cpu_per_call(&runtime, &workloads);
    criterion.final_summary();
    for workload in workloads {
        for (_, instance) in workload.instances {
            runtime.block_on(instance.shutdown());
        }
    }
}
