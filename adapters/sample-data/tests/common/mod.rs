//! Helpers shared by the integration tests: a scratch output folder and small readers.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use simpul_sample_data::{generate, Plan, Progress, Summary};

/// A scratch folder under the system temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh, empty folder named after the test.
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "simpul-sample-data-test-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("scratch folder");
        Self(path)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Generate `plan` into a new scratch folder.
pub async fn run(plan: &Plan, name: &str) -> (Scratch, Summary) {
    let dir = Scratch::new(name);
    let summary = generate(plan, dir.path(), Progress::hidden())
        .await
        .expect("generation succeeds");
    (dir, summary)
}

/// Every file under `dir`, relative path → bytes, sorted.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// A JSON array file of the BPJAMSOSTEK output.
pub fn json<T: serde::de::DeserializeOwned>(dir: &Path, file: &str) -> Vec<T> {
    let text = std::fs::read_to_string(dir.join("bpjamsostek").join(file)).expect("json file");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}
