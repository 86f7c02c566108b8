//! `simpul adapter new NAME --source csv|sql|rest|xlsx [--path DIR]`: write an adapter crate
//! that builds, passes its own tests and passes `simpul adapter test` as generated.
//!
//! The crate has the layout of `adapters/spn`: `config.rs` (a config with a JSON Schema),
//! `source.rs` (reading the raw source), `mapping/` (pure functions raw → unified model, where
//! most tests live), `adapter.rs` (the `Adapter` impl), `lib.rs` (`export_adapter!`); a test
//! over sample data it carries (`sample/`, with the defects real sources have), a README
//! saying what to edit first, and a CI script (plus a GitHub workflow outside the workspace).
//! Inside the Simpul workspace it uses the workspace's dependencies and must be made a member
//! ([`NewOptions::add_to_workspace`] does it); outside, it depends on the SDK crates of the
//! checkout by absolute path and starts from the checkout's `Cargo.lock`.
//!
//! - [`templates`]: the files, embedded from `kit/templates/`, and their placeholders.
//! - [`workspace`]: inside or outside the workspace, and the `Cargo.toml` parts that follow.
//! - [`samples`]: the sample data, in each source kind's format.
//! - `values`: the placeholders' values for one crate (names, texts per kind, paths).
//!
//! ```no_run
//! use simpul_adapter_kit::scaffold::{new_adapter, NewOptions, SourceKind};
//!
//! let generated = new_adapter(&NewOptions::new("acme-centres", SourceKind::Csv))?;
//! print!("{}", generated.next_steps());
//! # Ok::<(), simpul_adapter_kit::scaffold::ScaffoldError>(())
//! ```

pub mod samples;
pub mod templates;
mod values;
pub mod workspace;

use std::path::{Path, PathBuf};

use values::{provider_key, Values};

pub use workspace::Placement;

/// The kinds of source a generated adapter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A CSV file with a header line (`csv`).
    Csv,
    /// A table in SQLite or PostgreSQL (`sea-orm`).
    Sql,
    /// A paged JSON API over HTTP (`reqwest`).
    Rest,
    /// A sheet of an Excel workbook (`calamine`).
    Xlsx,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: &'static [SourceKind] = &[
        SourceKind::Csv,
        SourceKind::Sql,
        SourceKind::Rest,
        SourceKind::Xlsx,
    ];

    /// The kind's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Csv => "csv",
            SourceKind::Sql => "sql",
            SourceKind::Rest => "rest",
            SourceKind::Xlsx => "xlsx",
        }
    }
}

impl std::str::FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        SourceKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown source kind {s:?}: csv, sql, rest or xlsx"))
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `simpul adapter new` is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOptions {
    /// The crate's (package's) name: a Rust crate name, lower case.
    pub name: String,
    /// What it reads.
    pub source: SourceKind,
    /// The crate's folder; default `./NAME`.
    pub path: Option<PathBuf>,
    /// The Simpul checkout whose SDK it depends on; default the one this kit was built from.
    pub sdk_path: Option<PathBuf>,
    /// Write into a folder that is not empty (files the crate has are overwritten, others
    /// left).
    pub force: bool,
    /// Inside the workspace: add the crate to the root `Cargo.toml`'s `members`.
    pub add_to_workspace: bool,
}

impl NewOptions {
    /// Defaults for a crate `name` reading `source`.
    pub fn new(name: &str, source: SourceKind) -> Self {
        Self {
            name: name.to_owned(),
            source,
            path: None,
            sdk_path: None,
            force: false,
            add_to_workspace: false,
        }
    }
}

/// Why no crate was written. Every variant names the path concerned.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The name is not a usable crate name.
    #[error("`{name}` cannot be the adapter's name: {reason}")]
    Name {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The folder exists and is not empty.
    #[error("`{}` exists and is not empty: choose another --path, or pass --force to write into it", path.display())]
    Exists {
        /// The folder.
        path: PathBuf,
    },
    /// The Simpul checkout is not usable.
    #[error("`{}` is not a usable Simpul checkout: {reason}", path.display())]
    Sdk {
        /// The checkout.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The workspace's `Cargo.toml` cannot be read or edited.
    #[error("`{}`: {reason}", path.display())]
    Workspace {
        /// The workspace's `Cargo.toml`.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The sample data cannot be made.
    #[error("cannot write the sample `{}`: {reason}", path.display())]
    Sample {
        /// The sample file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file cannot be read or written.
    #[error("`{}`: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A template has a placeholder without a value (a bug in the kit).
    #[error("template `{path}` has an unknown placeholder `{{{{{name}}}}}`")]
    Template {
        /// The template's path in the crate.
        path: &'static str,
        /// The placeholder.
        name: String,
    },
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The crate's folder (absolute).
    pub dir: PathBuf,
    /// The package name.
    pub name: String,
    /// The source kind.
    pub source: SourceKind,
    /// The files written, relative to `dir`.
    pub files: Vec<PathBuf>,
    /// Inside the workspace or not.
    pub placement: Placement,
    /// Whether the crate was added to the workspace's `members` just now.
    pub added_to_workspace: bool,
    /// The built library, relative to `dir` (`target/debug/libacme.so`).
    pub library: PathBuf,
}

impl Generated {
    /// What to do next, for the person who ran the command.
    pub fn next_steps(&self) -> String {
        let mut out = format!(
            "wrote {} ({} adapter, {} files) in {}\n",
            self.name,
            self.source,
            self.files.len(),
            self.dir.display()
        );
        if let Placement::Workspace { root, member } = &self.placement {
            if self.added_to_workspace {
                out.push_str(&format!(
                    "added \"{member}\" to [workspace] members in {}\n",
                    root.join("Cargo.toml").display()
                ));
            } else {
                out.push_str(&format!(
                    "\nIt is inside the Simpul workspace: add this line to `members` in {} (or rerun with --add-to-workspace):\n    \"{member}\",\n",
                    root.join("Cargo.toml").display()
                ));
            }
        }
        out.push_str(&format!(
            "\nNext:\n    cd {}\n    cargo build\n    cargo test\n",
            self.dir.display()
        ));
        if self.source == SourceKind::Rest {
            out.push_str("    cargo run --example sample_server &    # the sample API\n");
        }
        out.push_str(&format!(
            "    simpul adapter test {} --config sample/config.toml\n\nThen README.md says what to edit first.\n",
            self.library.display()
        ));
        out
    }
}

/// Write the crate `options` describe.
///
/// # Errors
/// A bad name, a folder that is not empty (without `force`), an unusable checkout, or a file
/// that cannot be written; nothing is written in the first three cases.
pub fn new_adapter(options: &NewOptions) -> Result<Generated, ScaffoldError> {
    validate_name(&options.name)?;
    let sdk = workspace::sdk_root(options.sdk_path.as_deref())?;
    let dir = workspace::absolute(
        &options
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(&options.name)),
    )?;
    if !options.force && is_non_empty_dir(&dir) {
        return Err(ScaffoldError::Exists { path: dir });
    }
    if dir.is_file() {
        return Err(ScaffoldError::Exists { path: dir });
    }
    let placement = workspace::placement(&dir, &sdk);
    if let Placement::Workspace { root, .. } = &placement {
        if workspace::member_packages(root)?.contains(&options.name) {
            return Err(ScaffoldError::Name {
                name: options.name.clone(),
                reason: format!(
                    "the workspace at `{}` has a package of that name",
                    root.display()
                ),
            });
        }
    }
    let values = Values::new(options, &placement);
    let mut files: Vec<(String, Vec<u8>, bool)> = Vec::new();
    for template in templates::for_kind(
        options.source,
        matches!(placement, Placement::Standalone { .. }),
    ) {
        let text = templates::render(template.text, &values.pairs).map_err(|name| {
            ScaffoldError::Template {
                path: template.path,
                name,
            }
        })?;
        files.push((
            template.path.to_owned(),
            text.into_bytes(),
            template.executable,
        ));
    }
    for (path, bytes) in samples::files(options.source, &dir)? {
        files.push((path, bytes, false));
    }
    if let Placement::Standalone { sdk } = &placement {
        // Start from the versions Simpul is built and tested with.
        if let Ok(lock) = std::fs::read(sdk.join("Cargo.lock")) {
            files.push(("Cargo.lock".to_owned(), lock, false));
        }
    }
    for (path, bytes, executable) in &files {
        write(&dir.join(path), bytes, *executable)?;
    }
    rustfmt(&dir, files.iter().map(|(path, _, _)| path.as_str()));
    let added_to_workspace = match &placement {
        Placement::Workspace { root, member } if options.add_to_workspace => {
            workspace::add_member(root, member)?
        }
        _ => false,
    };
    Ok(Generated {
        library: values.library,
        dir,
        name: options.name.clone(),
        source: options.source,
        files: files
            .into_iter()
            .map(|(p, _, _)| PathBuf::from(p))
            .collect(),
        placement,
        added_to_workspace,
    })
}

/// Format the Rust files written with `rustfmt` when it is installed: the templates are
/// formatted for a name of typical length, a longer or shorter one moves line breaks. Best
/// effort: without rustfmt the crate is the same, only laid out differently.
fn rustfmt<'a>(dir: &Path, files: impl Iterator<Item = &'a str>) {
    let sources: Vec<&str> = files.filter(|f| f.ends_with(".rs")).collect();
    let _ = std::process::Command::new("rustfmt")
        .args(["--edition", "2021"])
        .args(&sources)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

/// Whether `path` is a folder with something in it.
fn is_non_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
}

/// Write one file, creating its folder.
fn write(path: &Path, bytes: &[u8], executable: bool) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(io)?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}

/// Check that `name` can be the crate's name: ASCII lower-case letters, digits, `-` and `_`,
/// starting with a letter, at most 64 characters, not a Rust keyword or a standard crate, and
/// not the name of an SDK crate.
pub fn validate_name(name: &str) -> Result<(), ScaffoldError> {
    let fail = |reason: &str| {
        Err(ScaffoldError::Name {
            name: name.to_owned(),
            reason: reason.to_owned(),
        })
    };
    if name.is_empty() {
        return fail("it is empty");
    }
    if name.len() > 64 {
        return fail("it is longer than 64 characters");
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return fail("a crate name starts with a lower-case letter (a-z)");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return fail("use only lower-case letters, digits, `-` and `_`");
    }
    if name.ends_with(['-', '_']) {
        return fail("a crate name does not end with `-` or `_`");
    }
    const RESERVED: &[&str] = &[
        "as",
        "async",
        "await",
        "box",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "try",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "yield",
        "abstract",
        "become",
        "do",
        "final",
        "macro",
        "override",
        "priv",
        "typeof",
        "unsized",
        "virtual",
        "gen",
        "std",
        "core",
        "alloc",
        "proc_macro",
        "proc-macro",
        "test",
    ];
    if RESERVED.contains(&name) {
        return fail("it is a Rust keyword or a standard crate's name");
    }
    if matches!(
        name,
        "simpul-plugin" | "simpul_plugin" | "simpul-schema" | "simpul_schema"
    ) {
        return fail("it is the name of an SDK crate the adapter depends on");
    }
    let key = provider_key(name);
    if key.is_empty() || matches!(key.as_str(), "ref" | "gw") {
        return fail(
            "the provider key it gives (`ref`, `gw` or nothing) is reserved by the gateway",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in ["acme", "acme-centres", "simpul-adapter-lpk2", "a_b"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Acme",
            "1acme",
            "acme!",
            "acme-",
            "fn",
            "test",
            "simpul-plugin",
            "gw",
            "simpul-adapter-ref",
        ] {
            let e = validate_name(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
        assert_eq!(provider_key("simpul-adapter-acme-centres"), "acme_centres");
    }

    #[test]
    fn a_folder_that_is_not_empty_is_refused() {
        let dir =
            std::env::temp_dir().join(format!("simpul-scaffold-exists-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("keep.txt"), "mine").unwrap();
        let mut options = NewOptions::new("acme", SourceKind::Csv);
        options.path = Some(dir.clone());
        let e = new_adapter(&options).unwrap_err();
        assert!(matches!(e, ScaffoldError::Exists { .. }), "{e}");
        assert!(e.to_string().contains(&dir.display().to_string()));
        options.force = true;
        let generated = new_adapter(&options).unwrap();
        assert!(dir.join("src/mapping/mod.rs").is_file());
        assert_eq!(
            std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(generated.files.contains(&PathBuf::from("Cargo.lock")));
        assert!(generated
            .next_steps()
            .contains("simpul adapter test target/debug/"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
