//! Compile every C plugin with the system C compiler (`$CC`, else `cc`):
//! - each `zoo/NAME.c` into `libsimpul_czoo_NAME.so`;
//! - each directory `adapters/NAME/` (all its `.c` files) into `libsimpul_c_NAME.so`.
//!
//! The libraries land in `$OUT_DIR`, which `src/lib.rs` exposes. Warnings are errors: the
//! sources are the example a C author copies.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let include = root.join("..").join("include");
    println!("cargo:rerun-if-changed={}", include.display());
    println!("cargo:rerun-if-env-changed=CC");

    for source in c_files(&root.join("zoo")) {
        let name = format!("simpul_czoo_{}", stem(&source));
        compile(&[source], &include, &out.join(library_file(&name)));
    }
    for dir in subdirectories(&root.join("adapters")) {
        let name = format!("simpul_c_{}", stem(&dir));
        compile(&c_files(&dir), &include, &out.join(library_file(&name)));
    }
    println!("cargo:rustc-env=SIMPUL_C_PLUGINS_DIR={}", out.display());
}

fn compile(sources: &[PathBuf], include: &Path, output: &Path) {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    for source in sources {
        println!("cargo:rerun-if-changed={}", source.display());
    }
    let status = Command::new(&cc)
        .args(["-std=c11", "-O1", "-g", "-fPIC", "-shared", "-pthread"])
        .args(["-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(include)
        .args(sources)
        .arg("-o")
        .arg(output)
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{cc}`: {e} (install gcc)"));
    assert!(status.success(), "`{cc}` failed on {sources:?}");
}

fn c_files(dir: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "c"));
    files.sort();
    files
}

fn subdirectories(dir: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dirs.retain(|p| p.is_dir());
    dirs.sort();
    dirs
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .expect("C plugin names are UTF-8")
        .replace('-', "_")
}

fn library_file(name: &str) -> String {
    if cfg!(target_os = "macos") {
        format!("lib{name}.dylib")
    } else if cfg!(target_os = "windows") {
        format!("{name}.dll")
    } else {
        format!("lib{name}.so")
    }
}
