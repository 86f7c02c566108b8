//! Where a generated crate sits relative to the Simpul checkout, and the parts of its
//! `Cargo.toml` that follow from it: inside the workspace, every dependency is the
//! workspace's (`x.workspace = true`) and the crate must be a member (this module can add it
//! to `members`); outside, the SDK crates are path dependencies on the checkout, the others
//! carry the same version specs as the workspace (a test keeps them equal), and the crate is a
//! workspace of its own with the profiles plugins need.

use std::path::{Component, Path, PathBuf};

use super::{ScaffoldError, SourceKind};

/// Where the generated crate is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Inside the Simpul workspace at `root`, as member `member` (`adapters/acme`).
    Workspace {
        /// The workspace root (the Simpul checkout).
        root: PathBuf,
        /// The crate's path relative to the root, with `/`.
        member: String,
    },
    /// Outside it, depending on the SDK crates of the checkout at `sdk`.
    Standalone {
        /// The Simpul checkout.
        sdk: PathBuf,
    },
}

/// A third-party dependency of generated crates: its name, its spec outside the workspace
/// (the same as Simpul's `[workspace.dependencies]` entry when `in_workspace`), and why a
/// generated crate has it.
struct Spec {
    name: &'static str,
    spec: &'static str,
    in_workspace: bool,
    why: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        name: "schemars",
        spec: r#""0.8""#,
        in_workspace: true,
        why: "",
    },
    Spec {
        name: "serde",
        spec: r#"{ version = "1", features = ["derive"] }"#,
        in_workspace: true,
        why: "",
    },
    Spec {
        name: "serde_json",
        spec: r#""1""#,
        in_workspace: true,
        why: "",
    },
    Spec {
        name: "thiserror",
        spec: r#""2""#,
        in_workspace: true,
        why: "",
    },
    Spec {
        name: "unicode-normalization",
        spec: r#""0.1""#,
        in_workspace: true,
        why: "# Text served in NFC, so that filters match however it was typed.",
    },
    Spec {
        name: "chrono",
        spec: r#"{ version = "0.4", default-features = false, features = ["std", "clock", "serde"] }"#,
        in_workspace: true,
        why: "# The file's modification time as the data's date.",
    },
    Spec {
        name: "csv",
        spec: r#""1.3""#,
        in_workspace: true,
        why: "# RFC 4180 reading: quoting, line breaks in values, line numbers.",
    },
    Spec {
        name: "calamine",
        spec: r#"{ version = "0.38", default-features = false }"#,
        in_workspace: false,
        why: "# Reads .xlsx workbooks (cached cell values).",
    },
    Spec {
        name: "sea-orm",
        spec: r#"{ version = "1.1", default-features = false, features = ["sqlx-sqlite", "sqlx-postgres", "runtime-tokio-rustls", "macros", "with-chrono"] }"#,
        in_workspace: true,
        why: "# SQLite or PostgreSQL, on the instance's tokio runtime.",
    },
    Spec {
        name: "reqwest",
        spec: r#"{ version = "0.12", default-features = false, features = ["json", "rustls-tls"] }"#,
        in_workspace: true,
        why: "# The provider's HTTP API, on the instance's tokio runtime.",
    },
    Spec {
        name: "tokio",
        spec: r#"{ version = "1", features = ["rt-multi-thread", "macros", "time", "sync", "net", "signal"] }"#,
        in_workspace: true,
        why: "# Async tests.",
    },
    Spec {
        name: "axum",
        spec: r#"{ version = "0.8", default-features = false, features = ["http1", "json", "query", "tokio", "tower-log"] }"#,
        in_workspace: true,
        why: "# examples/sample_server.rs, the stand-in for the provider's API.",
    },
];

/// The third-party dependencies and dev-dependencies of a crate of `kind`.
fn dependency_names(kind: SourceKind) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut normal = vec![
        "schemars",
        "serde",
        "serde_json",
        "thiserror",
        "unicode-normalization",
    ];
    let dev = match kind {
        SourceKind::Csv => {
            normal.extend(["chrono", "csv"]);
            vec![]
        }
        SourceKind::Xlsx => {
            normal.extend(["calamine", "chrono"]);
            vec![]
        }
        SourceKind::Sql => {
            normal.push("sea-orm");
            vec!["tokio"]
        }
        SourceKind::Rest => {
            normal.push("reqwest");
            vec!["axum", "tokio"]
        }
    };
    (normal, dev)
}

/// The `[dependencies]` body of a crate of `kind`, and its `[dev-dependencies]` section
/// (empty when it has none).
pub fn dependencies(kind: SourceKind, placement: &Placement) -> (String, String) {
    let line = |name: &str| {
        let spec = SPECS.iter().find(|s| s.name == name);
        let mut text = String::new();
        if let Some(why) = spec.map(|s| s.why).filter(|w| !w.is_empty()) {
            text.push_str(why);
            text.push('\n');
        }
        match (placement, spec) {
            (Placement::Workspace { .. }, Some(s)) if s.in_workspace => {
                text.push_str(&format!("{name}.workspace = true"));
            }
            (_, Some(s)) => text.push_str(&format!("{name} = {}", s.spec)),
            (_, None) => text.push_str(&format!("{name} = \"*\"")),
        }
        text
    };
    let sdk = match placement {
        Placement::Workspace { .. } => {
            "simpul-plugin.workspace = true\nsimpul-schema.workspace = true".to_owned()
        }
        Placement::Standalone { sdk } => {
            let path = |dir: &str| toml::Value::String(sdk.join(dir).display().to_string());
            format!(
                "# The Simpul SDK, from the checkout this crate was generated with.\n\
                 simpul-plugin = {{ path = {} }}\nsimpul-schema = {{ path = {} }}",
                path("plugins"),
                path("schema")
            )
        }
    };
    let (normal, dev) = dependency_names(kind);
    let mut body: Vec<String> = vec![sdk];
    body.extend(normal.iter().map(|n| line(n)));
    let dev: Vec<String> = dev.iter().map(|n| line(n)).collect();
    let dev = if dev.is_empty() {
        String::new()
    } else {
        format!("\n[dev-dependencies]\n{}\n", dev.join("\n"))
    };
    (body.join("\n"), dev)
}

/// The `[package]` fields after name and description.
pub fn package_fields(placement: &Placement) -> String {
    match placement {
        Placement::Workspace { .. } => {
            "version.workspace = true\nedition.workspace = true\nlicense.workspace = true".into()
        }
        Placement::Standalone { .. } => {
            "version = \"0.1.0\"\nedition = \"2021\"\npublish = false".into()
        }
    }
}

/// What follows the dependencies: for a standalone crate, an empty `[workspace]` and the
/// profiles; inside the workspace, a note that the workspace's profiles apply.
pub fn workspace_section(placement: &Placement) -> String {
    match placement {
        Placement::Workspace { .. } => "\n# panic = \"unwind\", which plugins need, comes from the Simpul workspace's profiles.\n".into(),
        Placement::Standalone { .. } => "
# A workspace of its own, whatever folder it sits in.
[workspace]

# Plugins must unwind: the gateway turns a panic inside an adapter into an error for that one
# call, and refuses a plugin built with panic = \"abort\" (plugins/docs/abi.md in Simpul).
# \"unwind\" is cargo's default; it is written here so that nobody changes it. The debug
# settings are Simpul's own: smaller, faster builds.
[profile.dev]
panic = \"unwind\"
debug = \"line-tables-only\"

[profile.dev.package.\"*\"]
debug = false

[profile.release]
panic = \"unwind\"
"
        .into(),
    }
}

/// The Simpul checkout: `explicit`, or the one this kit was built from. It must hold the SDK
/// crates (`plugins/`, `schema/`).
pub fn sdk_root(explicit: Option<&Path>) -> Result<PathBuf, ScaffoldError> {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = explicit.map_or(built_from, Path::to_path_buf);
    let root = absolute(&root)?;
    for crate_dir in ["plugins", "schema"] {
        if !root.join(crate_dir).join("Cargo.toml").is_file() {
            return Err(ScaffoldError::Sdk {
                path: root.clone(),
                reason: format!(
                    "it has no `{crate_dir}/Cargo.toml` (is it a Simpul checkout? pass --sdk-path)"
                ),
            });
        }
    }
    Ok(root)
}

/// `path` made absolute against the working directory, `.` and `..` resolved, and symbolic
/// links resolved in the part of it that exists (so it compares with a canonical root).
pub fn absolute(path: &Path) -> Result<PathBuf, ScaffoldError> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| ScaffoldError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .join(path)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    // Canonicalise the longest existing prefix, keep the rest as written.
    let mut existing = clean.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => tail.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(tail.iter().rev());
    Ok(out)
}

/// Where a crate at `dir` sits relative to the checkout at `sdk`.
pub fn placement(dir: &Path, sdk: &Path) -> Placement {
    match dir.strip_prefix(sdk) {
        Ok(inside) if sdk.join("Cargo.toml").is_file() => Placement::Workspace {
            root: sdk.to_path_buf(),
            member: inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        },
        _ => Placement::Standalone {
            sdk: sdk.to_path_buf(),
        },
    }
}

/// The workspace root's `members`, as written.
pub fn members(root: &Path) -> Result<Vec<String>, ScaffoldError> {
    let path = root.join("Cargo.toml");
    let manifest = read_manifest(&path)?;
    Ok(manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// The package names of the workspace's members (for a name clash).
pub fn member_packages(root: &Path) -> Result<Vec<String>, ScaffoldError> {
    Ok(members(root)?
        .iter()
        .filter_map(|m| read_manifest(&root.join(m).join("Cargo.toml")).ok())
        .filter_map(|m| {
            m.get("package")
                .and_then(|p| p.get("name"))
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
        })
        .collect())
}

fn read_manifest(path: &Path) -> Result<toml::Table, ScaffoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ScaffoldError::Workspace {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Add `member` to the `members` of the workspace at `root`, keeping the file as it is
/// otherwise. `Ok(false)` when it is a member already.
pub fn add_member(root: &Path, member: &str) -> Result<bool, ScaffoldError> {
    if members(root)?.iter().any(|m| m == member) {
        return Ok(false);
    }
    let path = root.join("Cargo.toml");
    let fail = |reason: &str| ScaffoldError::Workspace {
        path: path.clone(),
        reason: reason.to_owned(),
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ScaffoldError::Io {
        path: path.clone(),
        source,
    })?;
    let section = text
        .find("[workspace]")
        .ok_or_else(|| fail("no [workspace] table"))?;
    let key = section
        + text[section..]
            .find("members")
            .ok_or_else(|| fail("no `members` list in [workspace]"))?;
    let open = key
        + text[key..]
            .find('[')
            .ok_or_else(|| fail("`members` is not a list"))?;
    let close = open
        + text[open..]
            .find(']')
            .ok_or_else(|| fail("`members` is not closed"))?;
    let quoted = toml::Value::String(member.to_owned()).to_string();
    let list = &text[open + 1..close];
    let edited = if list.contains('\n') {
        // One member a line: a new line before the closing bracket's line.
        let line_start = text[..close].rfind('\n').map_or(close, |i| i + 1);
        let indent = list
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| &l[..l.len() - l.trim_start().len()])
            .unwrap_or("    ");
        let before = text[..line_start].trim_end_matches([' ', '\t']);
        let comma = if before.trim_end().ends_with([',', '[']) {
            ""
        } else {
            ","
        };
        format!(
            "{}{comma}\n{indent}{quoted},\n{}",
            before.trim_end(),
            &text[line_start..]
        )
    } else {
        let comma = if list.trim().is_empty() || list.trim_end().ends_with(',') {
            ""
        } else {
            ", "
        };
        format!("{}{comma}{quoted}{}", &text[..close], &text[close..])
    };
    let check: toml::Table = toml::from_str(&edited).map_err(|e| fail(&e.to_string()))?;
    let listed = check
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .is_some_and(|m| m.iter().any(|v| v.as_str() == Some(member)));
    if !listed {
        return Err(fail(
            "could not add the member to `members`; add it by hand",
        ));
    }
    std::fs::write(&path, edited).map_err(|source| ScaffoldError::Io { path, source })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_agree_with_the_workspace() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let manifest: toml::Table = toml::from_str(&text).unwrap();
        let workspace = manifest["workspace"]["dependencies"].as_table().unwrap();
        for spec in SPECS.iter().filter(|s| s.in_workspace) {
            let ours: toml::Table = toml::from_str(&format!("x = {}", spec.spec)).unwrap();
            assert_eq!(
                Some(&ours["x"]),
                workspace.get(spec.name),
                "{}: generated crates would use another spec than the workspace",
                spec.name
            );
        }
    }

    #[test]
    fn members_are_added_in_the_file_own_style() {
        let dir = std::env::temp_dir().join(format!("simpul-scaffold-ws-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cases = [
            (
                "[workspace]\nresolver = \"2\"\nmembers = [\n    \"schema\",\n    \"kit\",\n]\n\n[profile.dev]\n",
                "[workspace]\nresolver = \"2\"\nmembers = [\n    \"schema\",\n    \"kit\",\n    \"adapters/acme\",\n]\n\n[profile.dev]\n",
            ),
            (
                "[workspace]\nmembers = [\n  \"schema\"\n]\n",
                "[workspace]\nmembers = [\n  \"schema\",\n  \"adapters/acme\",\n]\n",
            ),
            (
                "[workspace]\nmembers = [\"schema\"]\n",
                "[workspace]\nmembers = [\"schema\", \"adapters/acme\"]\n",
            ),
        ];
        for (before, after) in cases {
            std::fs::write(dir.join("Cargo.toml"), before).unwrap();
            assert!(add_member(&dir, "adapters/acme").unwrap());
            assert_eq!(
                std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
                after
            );
            assert!(!add_member(&dir, "adapters/acme").unwrap());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn placement_inside_and_outside() {
        let sdk = sdk_root(None).unwrap();
        assert_eq!(
            placement(&sdk.join("adapters/acme"), &sdk),
            Placement::Workspace {
                root: sdk.clone(),
                member: "adapters/acme".into()
            }
        );
        assert!(matches!(
            placement(Path::new("/elsewhere/acme"), &sdk),
            Placement::Standalone { .. }
        ));
        let relative = absolute(Path::new("a/./b/../c")).unwrap();
        assert!(relative.is_absolute() && relative.ends_with("a/c"));
    }
}
