//! `simpul adapter test` as CI runs it: the built binary, a TOML or JSON config file, `--json`
//! on stdout, the exit status.

use std::process::{Command, Output};

use serde_json::Value;

fn simpul(args: &[&str]) -> Output {
    Command::new(simpul_tests::artifacts().join("simpul"))
        .args(args)
        .env("SIMPUL_LOG", "warn")
        .output()
        .expect("run simpul")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_conforming_adapter_exits_0_with_a_json_report() {
    let dir = simpul_tests::scratch_dir("kit-cli-pass");
    let config = dir.join("lpk.toml");
    let csv = simpul_tests::workspace().join("plugins/c/adapters/lpk/data/lpk.csv");
    std::fs::write(
        &config,
        format!("data_file = {:?}\n", csv.display().to_string()),
    )
    .unwrap();
    let lpk = simpul_c_plugins::adapter("lpk");
    let output = simpul(&[
        "adapter",
        "test",
        lpk.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--json",
    ]);
    let report = json(&output);
    assert!(output.status.success(), "{report:#}");
    assert_eq!(report["summary"]["fail"], 0, "{report:#}");
    assert_eq!(report["adapter"], "simpul-c-lpk 1.0.0");
    assert_eq!(report["seed"], simpul_adapter_kit::DEFAULT_SEED);
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for name in [
        "manifest",
        "trainingCenters lookup by id",
        "rejected units",
        "no personal data in logs",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
    // The log capture works in the binary: the plugin's lines were scanned, not skipped.
    let logs = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "no personal data in logs")
        .unwrap();
    assert_eq!(logs["outcome"], "pass", "{logs}");
}

#[test]
fn a_failing_adapter_exits_1_and_says_how_to_reproduce() {
    let dir = simpul_tests::scratch_dir("kit-cli-fail");
    let config = dir.join("empty.json");
    std::fs::write(&config, "{}").unwrap();
    let zoo = simpul_c_plugins::zoo("wrong_filter");
    let output = simpul(&[
        "adapter",
        "test",
        zoo.to_str().unwrap(),
        "-c",
        config.to_str().unwrap(),
        "--seed",
        "7",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("FAIL  trainingCenters filter _eq"),
        "{table}"
    );
    assert!(
        table.contains("trainingCenters filter _eq (seed 7): {\"body\":"),
        "{table}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("simpul: 3 of "), "{stderr}");
    assert!(stderr.contains("checks failed (seed 7)"), "{stderr}");

    // The same seed asks the same requests: the same report, but for how the calls under
    // deadlines of 1 to 20 ms ended (answered or cancelled), which depends on the machine's load.
    let again = simpul(&["adapter", "test", zoo.to_str().unwrap(), "--seed", "7"]);
    let timeless = |report: &str| -> Vec<String> {
        report
            .lines()
            .map(|l| match l.find(" ended in time") {
                Some(at) if l.contains("deadlines") => l[..at].to_owned(),
                _ => l.to_owned(),
            })
            .collect()
    };
    assert_eq!(
        timeless(&String::from_utf8_lossy(&again.stdout)),
        timeless(&table)
    );
}

#[test]
fn a_config_the_schema_refuses_is_a_failed_check() {
    let dir = simpul_tests::scratch_dir("kit-cli-config");
    let config = dir.join("lpk.json");
    std::fs::write(&config, r#"{"data_file": 3, "extra": true}"#).unwrap();
    let lpk = simpul_c_plugins::adapter("lpk");
    let output = simpul(&[
        "adapter",
        "test",
        lpk.to_str().unwrap(),
        "-c",
        config.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let config_check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "config")
        .unwrap();
    assert_eq!(config_check["outcome"], "fail");
    let reason = config_check["reason"].as_str().unwrap();
    assert!(reason.contains("/data_file"), "{reason}");

    let missing = simpul(&[
        "adapter",
        "test",
        lpk.to_str().unwrap(),
        "-c",
        "/nonexistent.toml",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("cannot read the config file /nonexistent.toml"));
}
