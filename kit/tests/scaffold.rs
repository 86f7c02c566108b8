//! `simpul adapter new` → `cargo build` → `simpul adapter test`, exactly as an adapter author
//! runs them, on a crate generated outside the workspace and not edited: the CSV adapter (the
//! issue's done-when) with its own `cargo test` too, and the xlsx, SQL and REST adapters (the
//! REST one against its sample server). Plus the refusals (a bad name, a folder in use) and the
//! workspace mode (dependencies from the workspace, `--add-to-workspace`) on a stand-in
//! checkout.
//!
//! The generated crates build into the workspace's own `target/` (`CARGO_TARGET_DIR`), so the
//! compiled dependencies are reused, and start from the workspace's `Cargo.lock` (the
//! generator copies it), so their versions match: warm, the four builds take a few seconds
//! each. They are generated in `$TMPDIR/simpul-scaffold-test/<kind>/`, the same folder every
//! run (so two runs of this test at once would share it); set `SIMPUL_SCAFFOLD_KEEP=1` to keep
//! them after the test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Run the built `simpul` in `dir`.
fn simpul(dir: &Path, args: &[&str]) -> Output {
    Command::new(simpul_tests::artifacts().join("simpul"))
        .args(args)
        .current_dir(dir)
        .env("SIMPUL_LOG", "warn")
        .output()
        .expect("run simpul")
}

/// Run cargo in the generated crate `dir`, building into the workspace's target directory.
fn cargo(dir: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo {} in {} failed:\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The workspace's own target directory.
fn target_dir() -> PathBuf {
    simpul_tests::workspace().join("target")
}

/// The library cargo builds for crate `name`.
fn library(name: &str) -> PathBuf {
    target_dir()
        .join("debug")
        .join(simpul_plugin::host::library_file_name(
            &name.replace('-', "_"),
        ))
}

/// `simpul adapter new NAME --source KIND --path <scratch>/NAME`: the crate's folder.
///
/// The folder is the same from run to run (not per process): cargo keys the SDK crates'
/// builds by the generated workspace's path, so a new path each run would rebuild them.
fn new_crate(name: &str, kind: &str) -> PathBuf {
    let scratch = std::env::temp_dir().join("simpul-scaffold-test").join(kind);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    if std::env::var_os("SIMPUL_SCAFFOLD_KEEP").is_some() {
        eprintln!("generated crates in {}", scratch.display());
    }
    let dir = scratch.join(name);
    let output = simpul(
        &scratch,
        &[
            "adapter",
            "new",
            name,
            "--source",
            kind,
            "--path",
            dir.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "simpul adapter new failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("cargo build"), "{stdout}");
    // Outside the workspace it starts from the workspace's versions.
    let lock = std::fs::read(simpul_tests::workspace().join("Cargo.lock")).unwrap();
    assert_eq!(std::fs::read(dir.join("Cargo.lock")).unwrap(), lock);
    dir
}

/// `simpul adapter test LIB --config CONFIG --json` in `dir`: the report, which must pass.
fn conformance(dir: &Path, library: &Path, config: &Path) -> Value {
    let output = simpul(
        dir,
        &[
            "adapter",
            "test",
            library.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--json",
        ],
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let failed: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .collect();
    assert!(
        output.status.success() && failed.is_empty(),
        "simpul adapter test failed: {failed:#?}"
    );
    report
}

/// The outcome of the check `name` in `report`.
fn outcome<'a>(report: &'a Value, name: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .and_then(|c| c["outcome"].as_str())
        .unwrap_or_else(|| panic!("no check {name:?}"))
}

/// What every generated adapter's report shows: its data was served and checked, and its
/// sample's defects were reported as they should be.
fn assert_sample_checked(report: &Value) {
    for name in [
        "manifest",
        "config",
        "trainingCenters list",
        "trainingCenters filter _eq",
        "trainingCenters order_by",
        "trainingCenters stable paging",
        "trainingCenters lookup by id",
        "status counts",
        "rejected units",
        "status notices",
        "deadlines",
        "concurrency",
        "no personal data in logs",
    ] {
        assert_eq!(outcome(report, name), "pass", "{name}");
    }
}

fn cleanup(dir: &Path) {
    if std::env::var_os("SIMPUL_SCAFFOLD_KEEP").is_none() {
        if let Some(scratch) = dir.parent() {
            let _ = std::fs::remove_dir_all(scratch);
        }
    }
}

#[test]
fn a_new_csv_adapter_builds_tests_and_passes_the_suite_without_edits() {
    let name = "simpul-adapter-scaffold-csv";
    let dir = new_crate(name, "csv");
    cargo(&dir, &["build"]);
    cargo(&dir, &["test"]);
    let report = conformance(&dir, &library(name), Path::new("sample/config.toml"));
    assert_sample_checked(&report);
    assert_eq!(report["adapter"], format!("{name} 0.1.0"));
    cleanup(&dir);
}

#[test]
fn a_new_xlsx_adapter_builds_and_passes_the_suite_without_edits() {
    let name = "simpul-adapter-scaffold-xlsx";
    let dir = new_crate(name, "xlsx");
    cargo(&dir, &["build"]);
    let report = conformance(&dir, &library(name), Path::new("sample/config.toml"));
    assert_sample_checked(&report);
    cleanup(&dir);
}

#[test]
fn a_new_sql_adapter_builds_and_passes_the_suite_without_edits() {
    let name = "simpul-adapter-scaffold-sql";
    let dir = new_crate(name, "sql");
    cargo(&dir, &["build"]);
    let report = conformance(&dir, &library(name), Path::new("sample/config.toml"));
    assert_sample_checked(&report);
    cleanup(&dir);
}

/// The sample server (`cargo run --example sample_server`), killed on drop.
struct SampleServer(std::process::Child);

impl Drop for SampleServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_new_rest_adapter_builds_and_passes_the_suite_against_its_sample_server() {
    let name = "simpul-adapter-scaffold-rest";
    let dir = new_crate(name, "rest");
    cargo(&dir, &["build", "--lib", "--example", "sample_server"]);
    // On an ephemeral port, not the sample config's 8787: tests run side by side.
    let mut child = Command::new(target_dir().join("debug/examples/sample_server"))
        .arg("127.0.0.1:0")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the sample server");
    let stdout = child.stdout.take().unwrap();
    let server = SampleServer(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("the sample server said {line:?}"))
        .to_owned();
    let config = dir.join("sample/test-config.toml");
    std::fs::write(&config, format!("base_url = {base:?}\n")).unwrap();
    let report = conformance(&dir, &library(name), &config);
    assert_sample_checked(&report);
    drop(server);
    cleanup(&dir);
}

#[test]
fn bad_names_and_folders_in_use_are_refused_naming_them() {
    let scratch = simpul_tests::scratch_dir("scaffold-refusals");
    let output = simpul(
        &scratch,
        &["adapter", "new", "Acme Centres", "--source", "csv"],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`Acme Centres` cannot be the adapter's name"),
        "{stderr}"
    );

    let output = simpul(&scratch, &["adapter", "new", "acme", "--source", "csv2"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "clap refuses an unknown source kind"
    );

    let taken = scratch.join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("notes.txt"), "mine").unwrap();
    let args = [
        "adapter", "new", "acme", "--source", "csv", "--path", "taken",
    ];
    let output = simpul(&scratch, &args);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&taken.display().to_string()), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(!taken.join("Cargo.toml").exists());

    let output = simpul(&scratch, &[&args[..], &["--force"]].concat());
    assert!(output.status.success());
    assert!(taken.join("Cargo.toml").is_file());
    assert_eq!(
        std::fs::read_to_string(taken.join("notes.txt")).unwrap(),
        "mine"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn inside_a_workspace_the_crate_uses_its_dependencies_and_can_join_it() {
    // A stand-in checkout: a workspace with the SDK crates' manifests.
    let checkout = simpul_tests::scratch_dir("scaffold-workspace");
    let members =
        "[workspace]\nresolver = \"2\"\nmembers = [\n    \"schema\",\n    \"plugins\",\n]\n";
    std::fs::write(checkout.join("Cargo.toml"), members).unwrap();
    for (dir, name) in [("schema", "simpul-schema"), ("plugins", "simpul-plugin")] {
        std::fs::create_dir_all(checkout.join(dir)).unwrap();
        let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
        std::fs::write(checkout.join(dir).join("Cargo.toml"), manifest).unwrap();
    }
    let sdk = checkout.to_str().unwrap();
    let output = simpul(
        &checkout,
        &[
            "adapter",
            "new",
            "simpul-adapter-acme",
            "--source",
            "xlsx",
            "--path",
            "adapters/acme",
            "--sdk-path",
            sdk,
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("\"adapters/acme\","), "{stdout}");
    let manifest = std::fs::read_to_string(checkout.join("adapters/acme/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("simpul-plugin.workspace = true"),
        "{manifest}"
    );
    assert!(
        manifest.contains("calamine = { version = \"0.38\""),
        "{manifest}"
    );
    assert!(!manifest.contains("[workspace]"), "{manifest}");
    assert!(!checkout.join("adapters/acme/Cargo.lock").exists());
    assert!(!checkout.join("adapters/acme/.github").exists());
    let ci = std::fs::read_to_string(checkout.join("adapters/acme/ci.sh")).unwrap();
    assert!(ci.contains("${CARGO_TARGET_DIR:-../../target}"), "{ci}");

    // A second crate, added to the members.
    let output = simpul(
        &checkout,
        &[
            "adapter",
            "new",
            "simpul-adapter-beta",
            "--source",
            "rest",
            "--path",
            "adapters/beta",
            "--sdk-path",
            sdk,
            "--add-to-workspace",
        ],
    );
    assert!(output.status.success());
    let root = std::fs::read_to_string(checkout.join("Cargo.toml")).unwrap();
    assert!(
        root.contains("    \"plugins\",\n    \"adapters/beta\",\n]"),
        "{root}"
    );
    // A package name the workspace has is refused.
    let output = simpul(
        &checkout,
        &[
            "adapter",
            "new",
            "simpul-adapter-beta",
            "--source",
            "csv",
            "--path",
            "adapters/b2",
            "--sdk-path",
            sdk,
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("has a package of that name"));
    let _ = std::fs::remove_dir_all(&checkout);
}
