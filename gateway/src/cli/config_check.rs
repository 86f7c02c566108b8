//! `simpul config check FILE`: read a gateway config file the way `simpul serve --config FILE`
//! would and list every problem in it, each with the file, the line where one can be named,
//! and the provider it concerns, without opening the store or serving anything.
//!
//! Three passes, each going on after a problem so that one run lists them all:
//!
//! 1. the bytes: the file must exist, be UTF-8 and be TOML (a syntax error stops here: what
//!    follows it cannot be read);
//! 2. the shape: every key known, every value of its type, every required key there. The
//!    typed parser stops at its first error, so each error's line is set aside (commented out,
//!    or its whole table when the error is about the table) and the file parsed again, until it
//!    fits;
//! 3. the providers: each `library` must exist and be a Simpul plugin (it is loaded to read its
//!    manifest, never started), each `config` must satisfy the plugin's config schema (with the
//!    `[identity] secret` filled in as the host does), and no two providers may share a key.
//!
//! `SIMPUL__*` environment overrides are applied as `simpul serve` applies them, so the check is
//! of what would run; lines are those of the file.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Result;
use simpul_plugin::host::PluginLibrary;
use simpul_plugin::PluginError;

use crate::config::{apply_env_overrides, provider_library_path, Config};

/// How many times the shape pass sets a problem aside and parses again before it gives up.
const MAX_SHAPE_PROBLEMS: usize = 100;

/// One thing wrong with a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line (1-based) it is on, when one can be named.
    pub line: Option<usize>,
    /// The provider it concerns (its key, or `providers[i]` before the key is known).
    pub provider: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// What checking one file found.
#[derive(Debug, Default)]
pub struct Report {
    /// The file, as named on the command line.
    pub file: PathBuf,
    /// Every problem, in the order found.
    pub problems: Vec<Problem>,
    /// One line per provider that loaded and whose config fits its plugin's schema.
    pub ok: Vec<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(provider) = &self.provider {
            write!(f, "provider `{provider}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl Report {
    /// A problem as `file:line: provider `key`: message`.
    pub fn describe(&self, problem: &Problem) -> String {
        match problem.line {
            Some(line) => format!("{}:{line}: {problem}", self.file.display()),
            None => format!("{}: {problem}", self.file.display()),
        }
    }
}

/// `simpul config check FILE`: print each problem to stderr and fail, or one `ok` line per
/// provider to stdout.
pub fn run(file: &Path) -> Result<()> {
    let report = check(file, std::env::vars());
    if report.problems.is_empty() {
        for line in &report.ok {
            println!("{line}");
        }
        if report.ok.is_empty() {
            println!("ok: {}: no providers", file.display());
        }
        return Ok(());
    }
    for problem in &report.problems {
        eprintln!("{}", report.describe(problem));
    }
    let n = report.problems.len();
    anyhow::bail!(
        "{}: {n} problem{} found",
        file.display(),
        if n == 1 { "" } else { "s" }
    )
}

/// Check `file` with the `SIMPUL__*` overrides in `env`.
pub fn check(file: &Path, env: impl IntoIterator<Item = (String, String)>) -> Report {
    let mut report = Report {
        file: file.to_owned(),
        ..Report::default()
    };
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            report
                .problems
                .push(problem(None, None, format!("cannot read the file: {e}")));
            return report;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            report.problems.push(problem(
                Some(line),
                None,
                format!("the file is not UTF-8 text (an invalid byte at offset {at}); TOML must be UTF-8"),
            ));
            return report;
        }
    };
    let mut value = match toml::from_str::<toml::Table>(text) {
        Ok(table) => toml::Value::Table(table),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            report.problems.push(problem(
                line,
                None,
                format!("not valid TOML: {}", one_line(e.message())),
            ));
            return report;
        }
    };
    let layout = Layout::of(text);
    check_shape(text, &layout, &mut report.problems);
    if let Err(e) = apply_env_overrides(&mut value, env) {
        report.problems.push(problem(None, None, e.to_string()));
        return report;
    }
    // `./`, not ``, for a file in the working directory: a library path without a slash would
    // be looked up on the system's library path instead.
    let base = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    check_providers(&value, &base, &layout, &mut report);
    // In file order (stable: a line's problems keep the order they were found in).
    report.problems.sort_by_key(|p| p.line);
    report
}

fn problem(line: Option<usize>, provider: Option<String>, message: String) -> Problem {
    Problem {
        line,
        provider,
        message,
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A parser message on one line (toml's put the expectation on a line of its own).
fn one_line(message: &str) -> String {
    message.trim().lines().collect::<Vec<_>>().join("; ")
}

/// Pass 2: parse as the gateway's [`Config`]; set each error aside and parse again.
fn check_shape(text: &str, layout: &Layout, problems: &mut Vec<Problem>) {
    let mut current = text.to_owned();
    for _ in 0..MAX_SHAPE_PROBLEMS {
        let Err(e) = toml::from_str::<Config>(&current) else {
            return;
        };
        let Some(span) = e.span() else {
            problems.push(problem(None, None, one_line(e.message())));
            return;
        };
        let line = line_of(&current, span.start);
        problems.push(problem(
            Some(line),
            layout.provider_at(line),
            one_line(e.message()),
        ));
        // Set the error aside; stop if that leaves no TOML (then what follows would be the
        // edit's doing, not the file's) or changes nothing.
        let next = set_aside(&current, span);
        if next == current || toml::from_str::<toml::Table>(&next).is_err() {
            return;
        }
        current = next;
    }
}

/// `text` with the lines of `span` commented out; when it starts on a table's header, the
/// whole table, its sub-tables included. Line numbers are kept.
fn set_aside(text: &str, span: Range<usize>) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let first = line_of(text, span.start) - 1;
    let mut last = line_of(text, span.end.max(span.start + 1) - 1) - 1;
    if let Some(name) = lines.get(first).and_then(|l| header_name(l)) {
        last = first;
        while let Some(next) = lines.get(last + 1) {
            match header_name(next) {
                Some(other) if !other.starts_with(&format!("{name}.")) => break,
                _ => last += 1,
            }
        }
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if (first..=last).contains(&i) {
                format!("#{l}")
            } else {
                (*l).to_owned()
            }
        })
        .collect()
}

/// The name in a table header line (`[limits]` → `limits`, `[[providers]]` → `providers`).
fn header_name(line: &str) -> Option<String> {
    let line = line.trim();
    let inner = line.strip_prefix('[')?;
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let end = inner.find(']')?;
    let name: String = inner[..end]
        .split('.')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(".");
    Some(name)
}

/// Where the providers' tables are in the file, found by their headers.
#[derive(Debug, Default)]
struct Layout {
    /// Each `[[providers]]` table: its lines (1-based, end exclusive), in file order.
    providers: Vec<Range<usize>>,
    /// Every line, for finding a key in a table.
    lines: Vec<String>,
}

impl Layout {
    fn of(text: &str) -> Self {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut providers: Vec<Range<usize>> = Vec::new();
        let mut open: Option<usize> = None;
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = header_name(line) else {
                continue;
            };
            let is_new_provider = line.trim_start().starts_with("[[") && name == "providers";
            let inside = name.starts_with("providers.") && !line.trim_start().starts_with("[[");
            if let Some(start) = open {
                if is_new_provider || !inside {
                    providers.push(start + 1..i + 1);
                    open = None;
                }
            }
            if is_new_provider {
                open = Some(i);
            }
        }
        if let Some(start) = open {
            providers.push(start + 1..lines.len() + 1);
        }
        Self { providers, lines }
    }

    /// The provider whose table holds `line`, as `providers[i]` (or its key when it sets one).
    fn provider_at(&self, line: usize) -> Option<String> {
        let index = self.providers.iter().position(|r| r.contains(&line))?;
        Some(self.label(index))
    }

    fn label(&self, index: usize) -> String {
        self.find_key(index, None, "key")
            .and_then(|line| {
                let text = &self.lines[line - 1];
                let value = text.split_once('=')?.1.trim();
                let value = value.split('#').next()?.trim().trim_matches('"');
                (!value.is_empty()).then(|| value.to_owned())
            })
            .unwrap_or_else(|| format!("providers[{index}]"))
    }

    /// The header line of provider `index`.
    fn header(&self, index: usize) -> Option<usize> {
        self.providers.get(index).map(|r| r.start)
    }

    /// The line of `key = …` in provider `index`'s own table (`sub` None) or in its sub-table
    /// `[providers.<sub>]`.
    fn find_key(&self, index: usize, sub: Option<&str>, key: &str) -> Option<usize> {
        let range = self.providers.get(index)?.clone();
        let mut in_table = sub.is_none();
        for line in range {
            let text = &self.lines[line - 1];
            if let Some(name) = header_name(text) {
                in_table = match sub {
                    None => name == "providers",
                    Some(sub) => name == format!("providers.{sub}"),
                };
                continue;
            }
            if !in_table {
                continue;
            }
            let trimmed = text.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key) {
                let rest = rest.trim_start();
                if rest.starts_with('=') || rest.starts_with('.') {
                    return Some(line);
                }
            }
        }
        None
    }

    /// The line of `[providers.<sub>]` in provider `index`, or of its `sub = {…}`.
    fn sub_table(&self, index: usize, sub: &str) -> Option<usize> {
        let range = self.providers.get(index)?.clone();
        range
            .clone()
            .find(|line| {
                header_name(&self.lines[line - 1]).as_deref() == Some(&format!("providers.{sub}"))
            })
            .or_else(|| self.find_key(index, None, sub))
    }
}

/// Pass 3: each provider's library and config, and their keys.
fn check_providers(value: &toml::Value, base: &Path, layout: &Layout, report: &mut Report) {
    let Some(entries) = value.get("providers").and_then(toml::Value::as_array) else {
        return;
    };
    let secret = value
        .get("identity")
        .and_then(|i| i.get("secret"))
        .and_then(toml::Value::as_str);
    let mut found: Vec<Problem> = Vec::new();
    // (key, index, line) of each provider whose key is known.
    let mut keys: Vec<(String, usize, Option<usize>)> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let named_key = entry.get("key").and_then(toml::Value::as_str);
        let mut label = named_key.map_or_else(|| format!("providers[{index}]"), str::to_owned);
        let header = layout.header(index);
        // A missing or mistyped `library` is the shape pass's to report.
        let Some(library) = entry.get("library").and_then(toml::Value::as_str) else {
            if let Some(key) = named_key {
                keys.push((key.to_owned(), index, header));
            }
            continue;
        };
        let library_line = layout.find_key(index, None, "library").or(header);
        let path = provider_library_path(library, base);
        let mut say = |line: Option<usize>, label: &str, message: String| {
            found.push(problem(line, Some(label.to_owned()), message));
        };
        if !path.exists() {
            say(
                library_line,
                &label,
                format!(
                    "library `{library}` does not exist (looked for {})",
                    path.display()
                ),
            );
            if let Some(key) = named_key {
                keys.push((key.to_owned(), index, header));
            }
            continue;
        }
        let plugin = match PluginLibrary::open(&path) {
            Ok(plugin) => plugin,
            Err(e) => {
                say(library_line, &label, format!("cannot use the plugin: {e}"));
                if let Some(key) = named_key {
                    keys.push((key.to_owned(), index, header));
                }
                continue;
            }
        };
        let manifest = plugin.manifest();
        if named_key.is_none() {
            label = manifest.provider.key.clone();
        }
        keys.push((label.clone(), index, header));
        let config = entry
            .get("config")
            .cloned()
            .unwrap_or_else(|| toml::Value::Table(toml::Table::new()));
        let config_line = layout.sub_table(index, "config").or(header);
        let mut config = match serde_json::to_value(&config) {
            Ok(config) => config,
            Err(e) => {
                say(
                    config_line,
                    &label,
                    format!("config cannot be expressed as JSON: {e}"),
                );
                continue;
            }
        };
        // As the host does: the gateway's identity secret goes to plugins that take one.
        let wants_secret = manifest.config_schema["properties"]
            .get("identity_secret")
            .is_some();
        if let (Some(secret), Some(table), true) = (secret, config.as_object_mut(), wants_secret) {
            table
                .entry("identity_secret")
                .or_insert_with(|| secret.into());
        }
        match plugin.validate_config(&config) {
            Ok(()) => report.ok.push(format!(
                "ok: provider `{label}`: {} {} ({}), config fits its schema",
                manifest.name,
                manifest.version,
                path.display()
            )),
            Err(PluginError::InvalidConfig { problems, .. }) => {
                for message in problems {
                    // `/data_dir: …` names the key; a root message (a required property)
                    // goes on the config table's line.
                    let line = message
                        .strip_prefix('/')
                        .and_then(|rest| rest.split(['/', ':']).next())
                        .and_then(|key| layout.find_key(index, Some("config"), key))
                        .or(config_line);
                    say(
                        line,
                        &label,
                        format!("config does not fit the plugin's schema: {message}"),
                    );
                }
            }
            Err(e) => say(config_line, &label, e.to_string()),
        }
        let asked = entry
            .get("encoding")
            .and_then(toml::Value::as_str)
            .and_then(simpul_plugin::Encoding::from_name);
        if let Err(e) = plugin.encoding(asked) {
            let line = layout.find_key(index, None, "encoding").or(header);
            say(line, &label, e.to_string());
        }
    }
    report.problems.append(&mut found);
    for (i, (key, index, line)) in keys.iter().enumerate() {
        if let Some((_, first, first_line)) = keys[..i].iter().find(|(k, ..)| k == key) {
            let at = first_line.map_or_else(String::new, |l| format!(", line {l}"));
            report.problems.push(problem(
                *line,
                Some(key.clone()),
                format!(
                    "two providers use the key `{key}` (providers[{first}]{at}, and providers[{index}]); give one of them another `key`"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<(Option<usize>, Option<String>, String)> {
        let mut problems = Vec::new();
        check_shape(text, &Layout::of(text), &mut problems);
        problems
            .into_iter()
            .map(|p| (p.line, p.provider, p.message))
            .collect()
    }

    #[test]
    fn every_shape_problem_is_listed_with_its_line() {
        let text = "listn = \"127.0.0.1:4000\"\n\
                    [limits]\n\
                    max_page_size = \"many\"\n\
                    [limts]\n\
                    max_depth = 3\n\
                    [[providers]]\n\
                    key = \"spn\"\n\
                    library = \"x.so\"\n\
                    timout_ms = 5\n\
                    [providers.config]\n\
                    data_dir = \"d\"\n\
                    [[providers]]\n\
                    required = true\n\
                    [server]\n\
                    shutdown_grace_ms = 5\n";
        let problems = shape(text);
        let lines: Vec<_> = problems.iter().map(|p| p.0).collect();
        assert_eq!(
            lines,
            [Some(1), Some(3), Some(4), Some(9), Some(12)],
            "{problems:#?}"
        );
        assert!(
            problems[0].2.contains("unknown field `listn`"),
            "{problems:#?}"
        );
        assert_eq!(problems[3].1.as_deref(), Some("spn"));
        assert_eq!(problems[4].1.as_deref(), Some("providers[1]"));
        assert!(
            problems[4].2.contains("missing field `library`"),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_good_shape_has_no_problems() {
        assert!(shape("listen = \"127.0.0.1:1\"\n[server]\nshutdown_grace_ms = 1\n").is_empty());
    }

    #[test]
    fn hostile_bytes() {
        let dir = std::env::temp_dir().join(format!("simpul-config-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = check(&dir.join("nope.toml"), []);
        assert!(
            missing.problems[0].message.contains("cannot read"),
            "{missing:?}"
        );
        let binary = dir.join("binary.toml");
        std::fs::write(&binary, b"listen = \"a\"\n\xff\xfe = 1\n").unwrap();
        let report = check(&binary, []);
        assert_eq!(report.problems[0].line, Some(2), "{report:?}");
        assert!(report.problems[0].message.contains("UTF-8"));
        let broken = dir.join("broken.toml");
        std::fs::write(&broken, "listen = \"a\"\n\n[limits\n").unwrap();
        let report = check(&broken, []);
        assert_eq!(report.problems.len(), 1, "{report:?}");
        assert_eq!(report.problems[0].line, Some(3), "{report:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
