//! The query's variables: a JSON file (`--vars`), then `--var NAME=VALUE` over it, each value
//! read as JSON when it is JSON (`16`, `true`, `["A","B"]`, `{"_gte":1}`) and as a string
//! otherwise (`2023-01-01`, `Lebak`).

use std::path::Path;

use anyhow::{anyhow, bail, Context as _, Result};
use serde_json::{Map, Value};

/// `--vars` (if any) with every `--var` applied over it.
pub(crate) fn variables(file: Option<&Path>, pairs: &[String]) -> Result<Map<String, Value>> {
    let mut variables = match file {
        Some(path) => read_file(path)?,
        None => Map::new(),
    };
    for pair in pairs {
        let (name, value) = parse_pair(pair)?;
        variables.insert(name, value);
    }
    Ok(variables)
}

/// A `--vars` file: one JSON object.
fn read_file(path: &Path) -> Result<Map<String, Value>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the variables file {}", path.display()))?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => bail!(
            "the variables file {} must hold one JSON object ({{\"name\": value, …}})",
            path.display()
        ),
        Err(e) => Err(anyhow!(e))
            .with_context(|| format!("the variables file {} is not valid JSON", path.display())),
    }
}

/// `NAME=VALUE`: the value as JSON when it parses, else as a string.
fn parse_pair(pair: &str) -> Result<(String, Value)> {
    let Some((name, raw)) = pair.split_once('=') else {
        bail!("--var takes NAME=VALUE, got `{pair}`");
    };
    let name = name.trim().trim_start_matches('$');
    if name.is_empty() {
        bail!("--var takes NAME=VALUE, got `{pair}` (no name)");
    }
    let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()));
    Ok((name.to_owned(), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_json_when_they_parse_else_strings() {
        let pairs: Vec<String> = [
            "first=10",
            "open=true",
            "since=2023-01-01",
            "codes=[\"A\",\"B\"]",
            "where={\"_gte\":1}",
            "$name=Lebak",
            "quoted=\"007\"",
            "zeros=007",
            "empty=",
            "eq=a=b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let variables = variables(None, &pairs).unwrap();
        assert_eq!(
            Value::Object(variables),
            json!({
                "first": 10, "open": true, "since": "2023-01-01", "codes": ["A", "B"],
                "where": { "_gte": 1 }, "name": "Lebak", "quoted": "007", "zeros": "007",
                "empty": "", "eq": "a=b"
            })
        );
    }

    #[test]
    fn var_overrides_the_file_and_a_missing_file_is_named() {
        let dir = std::env::temp_dir().join(format!("simpul-vars-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("vars.json");
        std::fs::write(&file, r#"{"first": 5, "since": "2020-01-01"}"#).unwrap();
        let variables = variables(Some(&file), &["first=2".into()]).unwrap();
        assert_eq!(
            Value::Object(variables),
            json!({ "first": 2, "since": "2020-01-01" })
        );
        let missing = dir.join("nope.json");
        let error = super::variables(Some(&missing), &[]).unwrap_err();
        assert!(format!("{error:#}").contains("nope.json"), "{error:#}");
        std::fs::write(&file, "[1]").unwrap();
        let error = super::variables(Some(&file), &[]).unwrap_err();
        assert!(
            format!("{error:#}").contains("one JSON object"),
            "{error:#}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_pair_needs_a_name_and_an_equals_sign() {
        assert!(parse_pair("first").is_err());
        assert!(parse_pair("=1").is_err());
    }
}
