//! The files of a generated adapter crate: templates under `kit/templates/` (embedded in the
//! binary with `include_str!`), which file goes where for which source kind, and the one
//! substitution they need: `{{name}}` (lower-case letters and `_`) replaced by its value.
//! Anything else between braces (`${{ vars.X }}` in a workflow, `{{` in Rust) is left alone,
//! and a lower-case placeholder without a value is an error, so a typo in a template cannot
//! reach a generated crate.

use super::SourceKind;

/// Where a template goes in the generated crate, and when.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// Path inside the generated crate.
    pub path: &'static str,
    /// The template's text.
    pub text: &'static str,
    /// The source kinds it is for (empty: all).
    pub kinds: &'static [SourceKind],
    /// Only for a crate outside the Simpul workspace (a `.gitignore`, a GitHub workflow).
    pub standalone_only: bool,
    /// Whether the file is a script to mark executable.
    pub executable: bool,
}

macro_rules! template {
    ($path:literal, $file:literal) => {
        template!($path, $file, [])
    };
    ($path:literal, $file:literal, [$($kind:ident),*]) => {
        Template {
            path: $path,
            text: include_str!(concat!("../../templates/", $file)),
            kinds: &[$(SourceKind::$kind),*],
            standalone_only: false,
            executable: false,
        }
    };
}

/// Every template, in the order files are written.
pub const TEMPLATES: &[Template] = &[
    template!("Cargo.toml", "common/Cargo.toml"),
    template!("README.md", "common/README.md"),
    Template {
        standalone_only: true,
        ..template!(".gitignore", "common/gitignore")
    },
    Template {
        executable: true,
        ..template!("ci.sh", "common/ci.sh")
    },
    Template {
        standalone_only: true,
        ..template!(".github/workflows/adapter.yml", "common/adapter.yml")
    },
    template!("src/lib.rs", "common/src/lib.rs"),
    template!("src/mapping/mod.rs", "common/src/mapping/mod.rs"),
    template!("src/mapping/columns.rs", "common/src/mapping/columns.rs"),
    template!("src/mapping/values.rs", "common/src/mapping/values.rs"),
    template!(
        "src/adapter.rs",
        "common/src/adapter_memory.rs",
        [Csv, Xlsx]
    ),
    template!("src/adapter.rs", "common/src/adapter_live.rs", [Sql, Rest]),
    template!("src/config.rs", "csv/src/config.rs", [Csv]),
    template!("src/source.rs", "csv/src/source.rs", [Csv]),
    template!("tests/sample.rs", "csv/tests/sample.rs", [Csv]),
    template!("sample/config.toml", "csv/sample/config.toml", [Csv]),
    template!("src/config.rs", "xlsx/src/config.rs", [Xlsx]),
    template!("src/source.rs", "xlsx/src/source.rs", [Xlsx]),
    template!("tests/sample.rs", "xlsx/tests/sample.rs", [Xlsx]),
    template!("sample/config.toml", "xlsx/sample/config.toml", [Xlsx]),
    template!("src/config.rs", "sql/src/config.rs", [Sql]),
    template!("src/source.rs", "sql/src/source.rs", [Sql]),
    template!("tests/sample.rs", "sql/tests/sample.rs", [Sql]),
    template!("sample/config.toml", "sql/sample/config.toml", [Sql]),
    template!("src/config.rs", "rest/src/config.rs", [Rest]),
    template!("src/source.rs", "rest/src/source.rs", [Rest]),
    template!("tests/sample.rs", "rest/tests/sample.rs", [Rest]),
    template!("sample/config.toml", "rest/sample/config.toml", [Rest]),
    template!(
        "examples/sample_server.rs",
        "rest/examples/sample_server.rs",
        [Rest]
    ),
];

/// The templates for `kind`, inside the workspace or not.
pub fn for_kind(kind: SourceKind, standalone: bool) -> impl Iterator<Item = &'static Template> {
    TEMPLATES.iter().filter(move |t| {
        (t.kinds.is_empty() || t.kinds.contains(&kind)) && (standalone || !t.standalone_only)
    })
}

/// `text` with every `{{name}}` replaced by its value in `values`.
///
/// # Errors
/// A `{{name}}` (lower-case letters and `_`) that `values` lacks: its name.
pub fn render(text: &str, values: &[(&str, String)]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if name.is_empty() || !after[name_len..].starts_with("}}") {
            out.push_str("{{");
            rest = after;
            continue;
        }
        match values.iter().find(|(k, _)| *k == name) {
            Some((_, value)) => out.push_str(value),
            None => return Err(name.to_owned()),
        }
        rest = &after[name_len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_and_others_left_alone() {
        let values = [("crate_name", "acme".to_owned())];
        assert_eq!(
            render("a {{crate_name}} ${{ vars.X }} {{ {{}}", &values).unwrap(),
            "a acme ${{ vars.X }} {{ {{}}"
        );
        assert_eq!(render("{{typo_name}}", &values), Err("typo_name".into()));
    }

    #[test]
    fn every_kind_gets_one_of_each_source_file() {
        for kind in SourceKind::ALL {
            for standalone in [true, false] {
                let mut paths: Vec<&str> = for_kind(*kind, standalone).map(|t| t.path).collect();
                let n = paths.len();
                paths.sort_unstable();
                paths.dedup();
                assert_eq!(paths.len(), n, "{kind:?}: a path twice");
                for path in ["src/adapter.rs", "src/config.rs", "src/source.rs", "ci.sh"] {
                    assert!(paths.contains(&path), "{kind:?} lacks {path}");
                }
                assert_eq!(paths.contains(&".gitignore"), standalone);
            }
        }
    }
}
