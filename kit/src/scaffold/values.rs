//! The values of the templates' placeholders for one crate: the names derived from the crate
//! name (library, type prefix, provider key and display name), the texts that differ per
//! source kind, and the paths and notes that differ inside and outside the workspace.

use std::path::PathBuf;

use super::workspace::{self, Placement};
use super::{NewOptions, SourceKind};

/// The name without a `simpul-adapter-` prefix: the provider's part.
fn provider_part(name: &str) -> &str {
    ["simpul-adapter-", "simpul_adapter_", "adapter-", "adapter_"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name)
}

/// The default provider key for a crate `name`: its provider part, `-` as `_`.
pub(super) fn provider_key(name: &str) -> String {
    provider_part(name).replace('-', "_")
}

/// The placeholders' values for one crate.
pub(super) struct Values {
    /// Each placeholder's name and value.
    pub pairs: Vec<(&'static str, String)>,
    /// The built library, relative to the crate.
    pub library: PathBuf,
}

impl Values {
    /// The values for the crate `options` describe, at `placement`.
    pub fn new(options: &NewOptions, placement: &Placement) -> Self {
        let kind = options.source;
        let lib_name = options.name.replace('-', "_");
        let words: Vec<String> = provider_part(&options.name)
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        let type_name = words.concat();
        let provider_name = words.join(" ");
        let file = format!(
            "{}{lib_name}{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        );
        let target_dir = match placement {
            Placement::Workspace { member, .. } => {
                let up = member
                    .split('/')
                    .map(|_| "..")
                    .collect::<Vec<_>>()
                    .join("/");
                format!("{up}/target")
            }
            Placement::Standalone { .. } => "target".to_owned(),
        };
        let library = PathBuf::from(format!("{target_dir}/debug/{file}"));
        let (dependencies, dev_dependencies) = workspace::dependencies(kind, placement);
        let (summary, noun, source_readme, config_example) = kind_texts(kind);
        let standalone = matches!(placement, Placement::Standalone { .. });
        let check = format!(
            "simpul adapter test {} --config sample/config.toml",
            library.display()
        );
        let check_command = match kind {
            SourceKind::Rest => format!(
                "cargo run --example sample_server &   # the sample API, on 127.0.0.1:8787\n{check}"
            ),
            _ => check,
        };
        let ci_before_check = match kind {
            SourceKind::Rest => REST_CI_SERVER.to_owned(),
            _ => String::new(),
        };
        let dependency_note = match placement {
            Placement::Workspace { member, .. } => format!(
                "Every dependency comes from the Simpul workspace (`x.workspace = true`), so the adapter builds with the versions the gateway is tested with. The crate must be a member of the workspace: `\"{member}\"` in the root `Cargo.toml`'s `[workspace] members`."
            ),
            Placement::Standalone { sdk } => format!(
                "`simpul-plugin` and `simpul-schema` come from the Simpul checkout at `{}`, by absolute path: change the paths in `Cargo.toml` if either moves (`.github/workflows/adapter.yml` points them at a fresh checkout). The other crates have the version specs Simpul's workspace uses, and `Cargo.lock` started as a copy of Simpul's, so the build uses the versions the gateway is tested with.",
                sdk.display()
            ),
        };
        let sdk_path = match placement {
            Placement::Standalone { sdk } => sdk.display().to_string(),
            Placement::Workspace { root, .. } => root.display().to_string(),
        };
        let pairs = vec![
            ("crate_name", options.name.clone()),
            ("lib_name", lib_name),
            ("type_name", type_name),
            ("provider_key", provider_key(&options.name)),
            ("provider_name", provider_name),
            ("source", kind.as_str().to_owned()),
            ("source_kind", source_kind(kind).to_owned()),
            ("source_summary", summary.to_owned()),
            ("source_noun", noun.to_owned()),
            ("source_readme", source_readme.to_owned()),
            ("config_example", config_example.to_owned()),
            ("package_fields", workspace::package_fields(placement)),
            ("dependencies", dependencies),
            ("dev_dependencies", dev_dependencies),
            ("workspace_section", workspace::workspace_section(placement)),
            ("check_command", check_command),
            ("ci_before_check", ci_before_check),
            ("target_dir", target_dir),
            ("library_path", library.display().to_string()),
            ("sdk_path", sdk_path),
            ("dependency_note", dependency_note),
            (
                "ci_note",
                if standalone {
                    ", and `.github/workflows/adapter.yml` runs it on GitHub".to_owned()
                } else {
                    " (call it from the Simpul repository's `.ci/run`)".to_owned()
                },
            ),
            (
                "panic_note",
                if standalone {
                    "`Cargo.toml` says so explicitly".to_owned()
                } else {
                    "the Simpul workspace's profiles say so".to_owned()
                },
            ),
        ];
        Self { pairs, library }
    }
}

/// The `simpul_schema::SourceKind` variant of a kind.
fn source_kind(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Csv => "CsvFiles",
        SourceKind::Sql => "SqlDatabase",
        SourceKind::Rest => "RestApi",
        SourceKind::Xlsx => "XlsxWorkbooks",
    }
}

/// A kind's summary, its source's noun, its README paragraph and a config example.
fn kind_texts(kind: SourceKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        SourceKind::Csv => (
            "a CSV file of training centres",
            "CSV file",
            "`source.rs` reads one file with a header line (the `csv` crate; the separator is in the config). For a folder of several files, see `adapters/spn` in the Simpul repository.",
            "data_file = \"/srv/provider/training_centers.csv\"",
        ),
        SourceKind::Xlsx => (
            "an Excel workbook of training centres",
            "workbook",
            "`source.rs` reads one sheet of one workbook with `calamine`. For a folder of workbooks with several sheets each (quarterly returns), see `adapters/fkblkk` in the Simpul repository.",
            "workbook = \"/srv/provider/training_centers.xlsx\"",
        ),
        SourceKind::Sql => (
            "a SQL table of training centres, SQLite or PostgreSQL",
            "table",
            "`source.rs` reads one table through sea-orm on every call. For a large database, push filters, sorts and pages into SQL as `adapters/bbplk` in the Simpul repository does, and declare only what SQL then does exactly. `sample/training_centers.sql` made the sample database.",
            "database_url = \"postgres://reader:password@db.example.org/provider\"",
        ),
        SourceKind::Rest => (
            "a REST API of training centres",
            "API",
            "`source.rs` reads every page of one endpoint with `reqwest` on every call; `examples/sample_server.rs` stands in for the provider's API. For retries with backoff and `Retry-After`, and filters pushed into query parameters, see `adapters/bpjamsostek` in the Simpul repository.",
            "base_url = \"https://api.example.org/v1\"",
        ),
    }
}

/// The lines of `ci.sh` that start the sample API before the check (REST only).
const REST_CI_SERVER: &str = r#"# The sample API stands in for the provider's, on the address sample/config.toml names.
cargo build --example sample_server
"$TARGET/debug/examples/sample_server" 127.0.0.1:8787 > "$TARGET/sample_server.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
tries=0
until grep -q serving "$TARGET/sample_server.log" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
        echo "the sample API did not start" >&2
        exit 1
    fi
    sleep 0.1
done
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::templates;

    #[test]
    fn every_template_renders_for_every_kind_and_placement() {
        let sdk = workspace::sdk_root(None).unwrap();
        for kind in SourceKind::ALL {
            for dir in [sdk.join("adapters/acme"), PathBuf::from("/elsewhere/acme")] {
                let placement = workspace::placement(&dir, &sdk);
                let options = NewOptions::new("simpul-adapter-acme", *kind);
                let values = Values::new(&options, &placement);
                let standalone = matches!(placement, Placement::Standalone { .. });
                for template in templates::for_kind(*kind, standalone) {
                    let text = templates::render(template.text, &values.pairs)
                        .unwrap_or_else(|name| panic!("{}: {{{{{name}}}}}", template.path));
                    assert!(!text.contains("{{type_name}}"), "{}", template.path);
                    if template.path == "Cargo.toml" {
                        let manifest: toml::Table = toml::from_str(&text).unwrap();
                        assert_eq!(
                            manifest["package"]["name"].as_str(),
                            Some("simpul-adapter-acme")
                        );
                        assert_eq!(manifest.contains_key("workspace"), standalone);
                    }
                }
            }
        }
    }
}
