//! `simpul query`, the built binary as a user runs it: against the embedded demo (a gateway
//! started inside the command) and against a running `simpul serve` (`--url`); JSON, table and
//! CSV output, variables, `--out`, exit statuses and the messages on stderr.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use simpul_tests::{artifacts, demo, scratch_dir};

/// Courses with their centre; the centre is selected before the name, so the output shows
/// whether the selection's order survives (a key-sorted response would put `name` first).
const COURSES: &str = r#"query Courses($first: Int, $where: CourseBoolExp) {
  courses(first: $first, where: $where, order_by: [{ name: asc }]) {
    totalCount
    nodes { trainingCenter { name } name trainingType }
  }
}
"#;

/// One finished `simpul query`.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run `simpul query <args>` in `dir`, the embedded demo's data under `dir/demo`, with the
/// environment a user has by default (no `SIMPUL_LOG`, no `SIMPUL_API_KEY`).
fn query(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(artifacts().join("simpul"))
        .arg("query")
        .args(args)
        .current_dir(dir)
        .env("SIMPUL_DEMO_DIR", dir.join("demo"))
        .env_remove("SIMPUL_LOG")
        .env_remove("SIMPUL_API_KEY")
        .output()
        .expect("run simpul query");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A scratch folder holding `files` (name, contents).
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch_dir(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write a test file");
    }
    dir
}

/// A CSV field as RFC 4180 writes it.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A JSON scalar as a cell: strings as they are, null as nothing.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn embedded_demo_answers_in_json_in_the_selections_order() {
    let dir = folder("query-embedded-json", &[("courses.graphql", COURSES)]);
    let run = query(
        &dir,
        &["courses.graphql", "--var", "first=3", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "nothing on stderr when all went well");
    let body: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert!(body.get("errors").is_none(), "{body}");
    let nodes = body["data"]["courses"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3, "{body}");
    let total = body["data"]["courses"]["totalCount"].as_u64().unwrap();
    assert!(total > 3, "{body}");
    assert!(
        nodes.iter().any(|n| n["trainingCenter"]["name"]
            .as_str()
            .is_some_and(|s| !s.is_empty())),
        "{body}"
    );
    // Pretty-printed, fields in the order selected.
    let courses = run.stdout.find("\"courses\": {").unwrap();
    let lines: Vec<&str> = run.stdout[courses..].lines().map(str::trim).collect();
    assert_eq!(lines[1], format!("\"totalCount\": {total},"));
    assert_eq!(
        lines[2..5],
        [r#""nodes": ["#, "{", r#""trainingCenter": {"#]
    );
    assert!(lines[5].starts_with(r#""name": "#) && lines[6] == "},");
    assert!(lines[7].starts_with(r#""name": "#) && lines[8].starts_with(r#""trainingType": "#));
    // The demo's data went to a folder of the run's own, removed afterwards.
    let left: Vec<_> = std::fs::read_dir(dir.join("demo"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn embedded_demo_takes_variables_from_a_file_and_the_command_line_and_writes_out() {
    let dir = folder(
        "query-embedded-out",
        &[
            ("courses.graphql", COURSES),
            (
                "vars.json",
                r#"{"first": 10, "where": {"trainingType": {"_eq": "RESKILLING"}}}"#,
            ),
        ],
    );
    std::fs::create_dir(dir.join("out")).unwrap();
    let run = query(
        &dir,
        &[
            "courses.graphql",
            "--vars",
            "vars.json",
            "--var",
            "first=2",
            "--out",
            "out/courses.csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    // `.csv` picks the format; --var first=2 wins over the file's 10; its `where` applies.
    let csv = std::fs::read_to_string(dir.join("out/courses.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "trainingCenter.name,name,trainingType", "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1..].iter().all(|l| l.ends_with(",RESKILLING")),
        "{csv}"
    );
}

#[test]
fn running_gateway_as_table_and_csv_matches_its_json() {
    let (gw, _) = demo("query-url");
    let dir = folder("query-url-files", &[("courses.graphql", COURSES)]);
    let url = format!("{}/graphql", gw.base);
    let (_, expected) = gw.query(COURSES, json!({ "first": 4 }));
    let nodes = expected["data"]["courses"]["nodes"].as_array().unwrap();
    let total = &expected["data"]["courses"]["totalCount"];
    assert_eq!(nodes.len(), 4, "{expected}");

    let csv = query(
        &dir,
        &[
            "courses.graphql",
            "--url",
            &url,
            "--var",
            "first=4",
            "--format",
            "csv",
        ],
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(csv.stderr, "");
    let mut lines = vec!["trainingCenter.name,name,trainingType".to_owned()];
    for node in nodes {
        let fields = [
            &node["trainingCenter"]["name"],
            &node["name"],
            &node["trainingType"],
        ];
        let fields: Vec<String> = fields.iter().map(|v| csv_field(&cell(v))).collect();
        lines.push(fields.join(","));
    }
    assert_eq!(csv.stdout, lines.join("\n") + "\n");

    // A bare host gets /graphql; the table is aligned under its header, with the count and
    // the total under it.
    let table = query(
        &dir,
        &[
            "courses.graphql",
            "--url",
            &gw.base,
            "--var",
            "first=4",
            "--format",
            "table",
        ],
    );
    assert_eq!(table.code, 0, "{}", table.stderr);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 4 + 1, "{}", table.stdout);
    let header = lines[0];
    assert!(header.starts_with("trainingCenter.name"), "{header}");
    assert!(lines[1].starts_with("---") && !lines[1].contains(|c| c != '-' && c != ' '));
    let name_at = header.find("  name").unwrap() + 2;
    for (line, node) in lines[2..6].iter().zip(nodes) {
        let shown: String = line.chars().skip(name_at).collect();
        let course = node["name"].as_str().unwrap();
        assert!(
            shown.starts_with(&course.chars().take(20).collect::<String>()),
            "column `name` starts at {name_at} in {line:?}"
        );
        let centre = cell(&node["trainingCenter"]["name"]);
        assert!(line.starts_with(&centre.chars().take(20).collect::<String>()));
    }
    assert_eq!(lines[6], format!("(4 rows; totalCount: {total})"));
}

#[test]
fn errors_set_the_exit_status_and_go_to_stderr() {
    let (gw, _) = demo("query-errors");
    let dir = folder(
        "query-errors-files",
        &[
            (
                "bad.graphql",
                "{ courses(first: 2) { nodes { name nosuchfield } } }",
            ),
            (
                "pii.graphql",
                "{ participants(first: 2) { nodes { sourceId nik } } }",
            ),
            (
                "two.graphql",
                "{ providers { key } trainingCenters(first: 2) { nodes { name } } }",
            ),
        ],
    );
    let url = format!("{}/graphql", gw.base);

    // A validation error: no data, exit 1, the error placed in the file, nothing on stdout.
    let run = query(&dir, &["bad.graphql", "--url", &url, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("error at bad.graphql:1:")
            && run.stderr.contains("nosuchfield")
            && run
                .stderr
                .contains(&format!("simpul: the gateway at {url} returned no data")),
        "{}",
        run.stderr
    );

    // Data with errors (personal data refused): exit 2, the rows still printed.
    let run = query(&dir, &["pii.graphql", "--url", &url, "--format", "table"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.starts_with("sourceId"), "{}", run.stdout);
    assert!(run.stdout.contains("(2 rows)"), "{}", run.stdout);
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error [FORBIDDEN] at participants.nodes[0].nik: "),
        "{}",
        run.stderr
    );

    // Two root fields with rows: a table each under a heading; CSV refuses, naming them.
    let run = query(&dir, &["two.graphql", "--url", &url, "--format", "table"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("== providers ==\nkey\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\n\n== trainingCenters ==\nname\n"));
    let run = query(&dir, &["two.graphql", "--url", &url, "--format", "csv"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("(providers, trainingCenters)"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_files_and_unreachable_gateways_are_named() {
    let dir = folder("query-missing", &[("courses.graphql", COURSES)]);

    let run = query(&dir, &["nope.graphql"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot read the query file nope.graphql: "),
        "{}",
        run.stderr
    );

    let run = query(&dir, &["courses.graphql", "--vars", "nope.json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot read the variables file nope.json: "),
        "{}",
        run.stderr
    );

    let run = query(&dir, &["courses.graphql", "--out", "no/such/dir/x.csv"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the folder no/such/dir does not exist"),
        "{}",
        run.stderr
    );

    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/graphql");
    let run = query(&dir, &["courses.graphql", "--url", &url]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(&format!("cannot reach the gateway at {url}")),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn an_aggregates_groups_are_the_rows() {
    let dir = folder(
        "query-aggregate",
        &[(
            "by_provider.graphql",
            "{ courseRuns_aggregate(group_by: [provider]) { aggregate { count } groups { key { provider } aggregate { count } } } }",
        )],
    );
    let run = query(&dir, &["by_provider.graphql", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "key.provider,aggregate.count", "{}", run.stdout);
    let providers: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        providers,
        ["bbplk", "bpjamsostek", "fkblkk", "spn"],
        "{}",
        run.stdout
    );

    let run = query(&dir, &["by_provider.graphql", "--format", "table"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("(4 rows; aggregate.count: "),
        "{}",
        run.stdout
    );
}
