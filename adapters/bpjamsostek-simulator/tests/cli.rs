//! The `bpjamsostek-simulator` binary: flags, the printed URL, and a request log that never
//! shows a KPJ.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use simpul_bpjamsostek_simulator::SimulatorData;

#[test]
fn serves_a_data_folder_and_never_logs_a_kpj() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bpjamsostek-simulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--latency-ms",
            "1-5",
            "--seed",
            "7",
        ])
        .arg("--data")
        .arg(SimulatorData::demo_dir())
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the simulator");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first line");
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the URL is printed")
        .to_owned();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let statuses = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let mut statuses = Vec::new();
        for path in [
            "/v1/peserta/99096000000",
            "/v1/peserta/99096000050",
            "/v1/lembaga-mitra",
        ] {
            let r = client
                .get(format!("{base}{path}"))
                .header("X-API-Key", "sim-full-demo-96000001")
                .send()
                .await
                .expect("request");
            statuses.push(r.status().as_u16());
        }
        statuses
    });
    assert_eq!(statuses, [200, 200, 200]);
    let _ = child.kill();
    let _ = child.wait();
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("read the log");
    assert!(log.contains("/v1/peserta/{kpj}"), "{log}");
    assert!(!log.contains("99096000000"), "{log}");
    assert!(!log.contains("99096000050"), "{log}");
}

#[test]
fn a_broken_data_folder_is_reported_with_file_and_position() {
    let dir = std::env::temp_dir().join(format!("simpul-bpjs-sim-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(SimulatorData::demo_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("penempatan.json"), "[\n  {\"penempatanId\": }\n]").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bpjamsostek-simulator"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`penempatan.json` line 2 column"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
