//! Analysts' queries end to end on the demo: aggregates give the same answers whether the
//! BBPLK adapter runs them as SQL or the engine summarises records; small cells stay withheld;
//! filters through relations match a join done by hand; the README's example questions give
//! the answers its tables print.

use serde_json::{json, Value};
use simpul_tests::{demo, demo_with, workspace, Gateway};

/// Every provider of the demo with `pushdown = false`.
const NO_PUSHDOWN: &[(&str, &str)] = &[
    ("SIMPUL__PROVIDERS__0__PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__1__PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__2__PUSHDOWN", "false"),
];

/// Every provider of the demo with `aggregate_pushdown = false`: the engine summarises, reading
/// pages and looking participants and outcomes up per page of enrolments.
const NO_AGGREGATE_PUSHDOWN: &[(&str, &str)] = &[
    ("SIMPUL__PROVIDERS__0__AGGREGATE_PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__1__AGGREGATE_PUSHDOWN", "false"),
    ("SIMPUL__PROVIDERS__2__AGGREGATE_PUSHDOWN", "false"),
];

fn data(gateway: &Gateway, query: &str) -> Value {
    let (status, body) = gateway.query(query, json!({}));
    assert_eq!(status, 200, "{query}: {body}");
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

/// Whether two answers are the same, floats within a relative 1e-9 (sums added in another
/// order differ in their last bits; rounding both to a few decimals is not enough, since two
/// such sums can fall on either side of a rounding boundary).
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| close(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, x)| ys.get(k).is_some_and(|y| close(x, y)))
        }
        (x, y) => x == y,
    }
}

/// The calls of one kind to one BBPLK collection in a traced answer.
fn bbplk_calls<'a>(body: &'a Value, kind: &str, collection: &str) -> Vec<&'a Value> {
    let details = &body["extensions"]["simpul"]["providers"]["bbplk"]["details"];
    let calls = details.as_array().into_iter().flatten();
    calls
        .filter(|d| d["kind"] == kind && d["collection"] == collection)
        .collect()
}

const FIELDS: &str = "aggregate { count sum { finalScore attendancePercent monthsToOutcome } \
                      avg { finalScore monthsToOutcome } min { finalScore monthsToOutcome } \
                      max { attendancePercent monthsToOutcome } }";

#[test]
fn aggregates_are_the_same_pushed_down_or_summarised_by_the_engine() {
    let (pushed, _d1) = demo("analytics-pushed");
    let (local, _d2) = demo_with("analytics-local", NO_PUSHDOWN);
    let (paged, _d3) = demo_with("analytics-paged", NO_AGGREGATE_PUSHDOWN);
    // The population a filtered aggregate is measured against (disclosure) is, from a provider
    // that pages, its total: one call for no record, not a scan of every enrolment.
    let (_, body) = paged.traced(
        r#"{ enrollments_aggregate(where: { finalScore: { _gt: 90 } }) { aggregate { count } } }"#,
    );
    let details = &body["extensions"]["simpul"]["providers"]["bbplk"]["details"];
    let counts: Vec<&Value> = details
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] == "count")
        .collect();
    assert_eq!(counts.len(), 1, "{body}");
    assert_eq!(counts[0]["collection"], "enrollments", "{body}");
    assert_eq!(counts[0]["limit"], 0, "{body}");
    let group_bys = [
        "[]",
        "[provider]",
        "[provider, status]",
        "[province, startYear]",
        "[regency, field]",
        "[fundingScheme, outcomeStatus]",
        "[sex, employmentStatusAtRegistration]",
        "[startMonth, occupationCode]",
        "[provider, domicileRegency, birthYear]",
        "[courseId, trainingCenterId, fiscalYear, route]",
    ];
    let filters = [
        "{}",
        r#"{ employmentStatusAtRegistration: { _eq: "LAID_OFF" } }"#,
        r#"{ regionCode: { _prefix: "36" }, startDate: { _gte: "2023-01-01" } }"#,
        r#"{ _or: [{ outcomeStatus: { _in: ["EMPLOYED", "SELF_EMPLOYED"] } }, { finalScore: { _gt: 90 } }] }"#,
        r#"{ _not: { status: { _eq: "COMPLETED" } }, outcomeStatus: { _is_null: true } }"#,
        r#"{ field: { _ilike: "%las%" } }"#,
        r#"{ provider: { _neq: "spn" }, attendancePercent: { _lte: 80 } }"#,
        r#"{ monthsToOutcome: { _gte: 2 } }"#,
        r#"{ _or: [{ monthsToOutcome: { _lt: 1 } }, { monthsToOutcome: { _is_null: true } }] }"#,
    ];
    // The run scope's edges (the engine reads only the enrolments of the runs a filter on the
    // run's fields can match): a filter an enrolment without a known run passes, one no run
    // passes, a disjunction with the enrolment's own fields, a negation, one centre.
    let scope_edges = [
        r#"{ startDate: { _is_null: true } }"#,
        r#"{ startDate: { _gte: "2100-01-01" } }"#,
        r#"{ _or: [{ startDate: { _lt: "2023-01-01" } }, { status: { _eq: "COMPLETED" } }] }"#,
        r#"{ _not: { fiscalYear: { _eq: 2023 } }, field: { _is_null: false } }"#,
        r#"{ startDate: { _gte: "2024-01-01" }, sex: { _eq: "FEMALE" } }"#,
    ];
    let mut non_empty = 0;
    let cases = group_bys.iter().map(|g| (*g, &filters[..]));
    let edges = ["[provider, startYear]", "[field, outcomeStatus]"];
    for (group_by, filters) in cases.chain(edges.iter().map(|g| (*g, &scope_edges[..]))) {
        let query = filters
            .iter()
            .enumerate()
            .map(|(i, filter)| {
                format!(
                    "q{i}: enrollments_aggregate(where: {filter}, group_by: {group_by}) {{ {FIELDS} \
                     groups {{ key {{ provider status field province startYear regency \
                     fundingScheme outcomeStatus sex startMonth occupationCode birthYear \
                     domicileRegency courseId trainingCenterId fiscalYear route \
                     employmentStatusAtRegistration }} {FIELDS} suppressed }} suppressedGroups }}"
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let query = format!("{{ {query} }}");
        let a = data(&pushed, &query);
        let b = data(&local, &query);
        assert!(close(&a, &b), "group_by {group_by}:\n{a}\n{b}");
        let c = data(&paged, &query);
        assert!(close(&a, &c), "group_by {group_by}, paged:\n{a}\n{c}");
        non_empty += a
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|v| v["aggregate"]["count"].as_i64().unwrap_or(0) > 0)
            .count();
    }
    assert!(non_empty >= 40, "only {non_empty} answers had records");

    for query in [
        "{ participants_aggregate(group_by: [provider, sex, domicileRegency]) { aggregate { count avg { birthYear } } groups { key { provider sex domicileRegency } aggregate { count min { birthYear } } suppressed } } }",
        // Filter fields that are neither group keys nor measures: a projection must fill them.
        r#"{ participants_aggregate(where: { _or: [{ nikValid: { _eq: false } }, { education: { _in: ["SMA", "S1"] } }], _not: { sex: { _eq: "FEMALE" } } }, group_by: [employmentStatusAtRegistration]) { aggregate { count } groups { key { employmentStatusAtRegistration } aggregate { count } suppressed } } }"#,
        r#"{ courseRuns_aggregate(where: { startDate: { _gte: "2022-01-01" } }, group_by: [province, status, fundingScheme]) { aggregate { count } groups { key { province status fundingScheme } aggregate { count } } } }"#,
        "{ outcomes_aggregate(group_by: [provider, status, monthsToOutcome]) { aggregate { count avg { monthsToOutcome } } groups { key { provider status monthsToOutcome } aggregate { count max { monthsToOutcome } } suppressed } suppressedGroups } }",
        r#"{ outcomes_aggregate(where: { monthsToOutcome: { _gte: 6 }, status: { _eq: "COMPLETED" } }, group_by: [field, status, startYear]) { aggregate { count } groups { key { field status startYear } aggregate { count } suppressed } withheldReason } }"#,
    ] {
        let (a, b) = (data(&pushed, query), data(&local, query));
        assert!(close(&a, &b), "{query}:\n{a}\n{b}");
        let c = data(&paged, query);
        assert!(close(&a, &c), "{query}, paged:\n{a}\n{c}");
    }

    // The pushed gateway let BBPLK aggregate in SQL; the other read records page by page.
    let trace = |gateway: &Gateway| {
        let (_, body) = gateway
            .traced("{ enrollments_aggregate(group_by: [provider]) { aggregate { count } } }");
        body["extensions"]["simpul"]["providers"]["bbplk"]["details"].clone()
    };
    let kinds = |details: Value| -> Vec<String> {
        details
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| d["kind"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(kinds(trace(&pushed)), ["aggregate"]);
    assert!(kinds(trace(&local)).iter().all(|k| k == "scan"));
    // Without aggregate pushdown, BBPLK's enrolments are read in pages and the participants of
    // each page looked up by key, not read whole.
    let (_, body) =
        paged.traced("{ enrollments_aggregate(group_by: [sex]) { aggregate { count } } }");
    let paged_kinds = kinds(body["extensions"]["simpul"]["providers"]["bbplk"]["details"].clone());
    assert!(
        paged_kinds.contains(&"lookup".to_owned()),
        "{paged_kinds:?}"
    );
    assert!(
        !paged_kinds.contains(&"aggregate".to_owned()),
        "{paged_kinds:?}"
    );
    // ... and asked only for the participant fields the aggregate reads (BBPLK projects them).
    let lookups = bbplk_calls(&body, "lookup", "participants");
    assert!(!lookups.is_empty(), "{body}");
    assert!(
        lookups.iter().all(|l| l["fields"] == json!(["sex"])),
        "{body}"
    );
    // The enrolments themselves: only the keys the joins read (BBPLK projects enrolments too).
    let scans = bbplk_calls(&body, "scan", "enrollments");
    assert!(!scans.is_empty(), "{body}");
    assert!(
        scans
            .iter()
            .all(|l| l["fields"] == json!(["participantId", "courseRunId"])),
        "{body}"
    );
    // Only the enrolments of the runs a filter on the run's fields can match are read: BBPLK is
    // asked for `courseRunId _in` those runs.
    let enrolment_scans = |filter: &str| -> (usize, usize, bool) {
        let (_, body) = paged.traced(&format!(
            "{{ enrollments_aggregate(where: {filter}, group_by: [sex]) {{ aggregate {{ count }} }} }}"
        ));
        let scans = bbplk_calls(&body, "scan", "enrollments");
        let records = scans
            .iter()
            .map(|d| d["records"].as_u64().unwrap_or(0))
            .sum::<u64>();
        let pushed = scans.iter().all(|d| d["filterPushed"] == true);
        (scans.len(), records as usize, pushed)
    };
    let (_, every, _) = enrolment_scans("{}");
    let (scans, of_2024, pushed) =
        enrolment_scans(r#"{ startDate: { _gte: "2024-01-01" }, sex: { _eq: "FEMALE" } }"#);
    assert!(
        scans > 0 && pushed,
        "{scans} scans, filter pushed: {pushed}"
    );
    assert!(
        0 < of_2024 && of_2024 < every,
        "{of_2024} of {every} enrolments read"
    );
    let (scans, _, _) = enrolment_scans(r#"{ startDate: { _gte: "2100-01-01" } }"#);
    assert_eq!(scans, 0, "no run starts in 2100: no enrolment is read");
    let (_, undated, _) = enrolment_scans(r#"{ startDate: { _is_null: true } }"#);
    assert_eq!(
        undated, every,
        "an enrolment whose run is unknown has no start date"
    );
    // Outcomes are looked up only for the enrolments whose participant passes the filter's
    // parts on the participant alone.
    let outcomes_read = |filter: &str| -> u64 {
        let (_, body) = paged.traced(&format!(
            "{{ enrollments_aggregate(where: {filter}, group_by: [outcomeStatus]) {{ aggregate {{ count }} }} }}"
        ));
        let lookups = bbplk_calls(&body, "scan", "outcomes");
        lookups
            .iter()
            .map(|d| d["records"].as_u64().unwrap_or(0))
            .sum()
    };
    let (all, of_women) = (
        outcomes_read("{}"),
        outcomes_read(r#"{ sex: { _eq: "FEMALE" } }"#),
    );
    assert!(
        0 < of_women && of_women < all,
        "{of_women} of {all} outcomes read"
    );

    // BBPLK declares a projection for participants: its scans ask only for what is summarised.
    let (_, body) = paged.traced(
        r#"{ participants_aggregate(where: { birthYear: { _gte: 1990 } }, group_by: [sex, domicileRegency]) { aggregate { count } } }"#,
    );
    let details = &body["extensions"]["simpul"]["providers"]["bbplk"]["details"];
    assert_eq!(
        details[0]["fields"],
        json!(["birthYear", "domicileRegencyCode", "sex"]),
        "{body}"
    );
}

#[test]
fn small_cells_are_withheld_and_cannot_be_derived_from_the_total() {
    let (gateway, _dir) = demo("analytics-cells");
    let mut withheld = 0;
    for group_by in [
        "[field, sex]",
        "[provider, regency, startYear]",
        "[occupationCode]",
        "[birthYear]",
    ] {
        let answer = data(
            &gateway,
            &format!("{{ enrollments_aggregate(group_by: {group_by}) {{ aggregate {{ count }} groups {{ aggregate {{ count avg {{ finalScore }} }} suppressed }} suppressedGroups }} }}"),
        );
        let answer = &answer["enrollments_aggregate"];
        let groups = answer["groups"].as_array().cloned().unwrap_or_default();
        // Withheld groups are folded into one row without a key, last.
        let hidden: Vec<&Value> = groups.iter().filter(|g| g["suppressed"] == true).collect();
        assert!(
            hidden.len() <= 1,
            "{group_by}: withheld cells listed one by one"
        );
        if let Some(row) = hidden.first() {
            assert_eq!(groups.last(), Some(*row), "{group_by}");
        }
        let folded = answer["suppressedGroups"].as_u64().unwrap_or_default();
        assert_ne!(
            folded, 1,
            "{group_by}: one withheld cell is the total minus the rest"
        );
        assert_eq!(folded > 0, !hidden.is_empty(), "{group_by}: {answer}");
        for group in &groups {
            match group["aggregate"]["count"].as_i64() {
                Some(count) => assert!(count >= 5, "{group_by}: a cell of {count} is shown"),
                None => {
                    assert_eq!(group["suppressed"], true);
                    assert!(group["aggregate"]["avg"]["finalScore"].is_null());
                }
            }
        }
        let shown: i64 = groups
            .iter()
            .filter_map(|g| g["aggregate"]["count"].as_i64())
            .sum();
        if hidden.iter().all(|g| g["aggregate"]["count"].is_i64()) {
            assert_eq!(
                answer["aggregate"]["count"].as_i64(),
                Some(shown),
                "{group_by}: the shown rows add up to the total"
            );
        }
        withheld += folded as usize;
    }
    assert!(withheld > 0, "the demo has small cells; none was withheld");

    // `having` sees a withheld count as unknown: it cannot pick out the small cells.
    let small = data(
        &gateway,
        "{ enrollments_aggregate(group_by: [field, sex], having: { count: { _lt: 5 } }) { groups { key { field } } } }",
    );
    assert_eq!(small["enrollments_aggregate"]["groups"], json!([]));
}

#[test]
fn filters_through_relations_match_a_join_done_by_hand() {
    let (gateway, _dir) = demo("analytics-relations");
    // Runs whose centre lies in Banten (36), against every run and its centre.
    let all = data(
        &gateway,
        "{ courseRuns(first: 100) { totalCount nodes { id trainingCenter { address { regionCode } } } } }",
    );
    let mut expected: Vec<String> = all["courseRuns"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| {
            n["trainingCenter"]["address"]["regionCode"]
                .as_str()
                .is_some_and(|c| c.starts_with("36."))
        })
        .map(|n| n["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let total = all["courseRuns"]["totalCount"].as_u64();
    assert!(
        total.is_some_and(|n| n <= 100),
        "all runs fit in one page: {total:?}"
    );
    let got = data(
        &gateway,
        r#"{ courseRuns(first: 100, where: { trainingCenter: { regionCode: { _prefix: "36" } } }) { totalCount nodes { id } } }"#,
    );
    let mut ids: Vec<String> = got["courseRuns"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    expected.sort();
    ids.sort();
    assert!(
        !ids.is_empty()
            && ids.len() < all["courseRuns"]["totalCount"].as_u64().unwrap_or(0) as usize
    );
    assert_eq!(ids, expected);

    // Participants with an employed outcome, against each participant's enrollments.
    for (provider, sex) in ["spn", "bbplk", "bpjamsostek"]
        .into_iter()
        .flat_map(|p| [(p, "MALE"), (p, "FEMALE")])
    {
        let everyone = data(
            &gateway,
            &format!(
                r#"{{ participants(first: 100, where: {{ provider: {{ _eq: "{provider}" }}, sex: {{ _eq: "{sex}" }} }}) {{ totalCount nodes {{ id enrollments(first: 10) {{ totalCount nodes {{ outcome {{ status }} }} }} }} }} }}"#
            ),
        );
        let total = everyone["participants"]["totalCount"].as_u64();
        assert!(
            total.is_some_and(|n| n <= 100),
            "all fit in one page: {total:?}"
        );
        let mut expected: Vec<String> = everyone["participants"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| {
                p["enrollments"]["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|e| e["outcome"]["status"] == "EMPLOYED")
            })
            .map(|p| p["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        let got = data(
            &gateway,
            &format!(
                r#"{{ participants(first: 100, where: {{ provider: {{ _eq: "{provider}" }}, sex: {{ _eq: "{sex}" }}, enrollments: {{ outcome: {{ status: {{ _eq: "EMPLOYED" }} }} }} }}) {{ nodes {{ id }} }} }}"#
            ),
        );
        let mut ids: Vec<String> = got["participants"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| n["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        expected.sort();
        ids.sort();
        assert!(
            !ids.is_empty(),
            "{provider} {sex}: nobody employed in the demo?"
        );
        assert_eq!(ids, expected, "{provider} {sex}");
    }

    // An unknown relation field is a validation error, not a panic.
    let (status, body) = gateway.query(
        r#"{ courseRuns(where: { centre: { name: { _eq: "x" } } }) { totalCount } }"#,
        json!({}),
    );
    assert!(status == 200 || status == 400, "{status}");
    assert!(!body["errors"].is_null());
}

#[test]
fn the_readme_questions_run_on_the_demo() {
    let (gateway, _dir) = demo("analytics-examples");
    let dir = workspace().join("tests/analyst");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/analyst")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    // Each answer must be the one the README prints: its table for the question (the first
    // fenced block after the link to the file), as `simpul query` draws it: a header of column
    // paths, a rule of dashes giving each column's span, one line per group (an empty cell is
    // null), and a footer `(N rows; path: value, ...)` with the root's other fields.
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    for file in files {
        let query = std::fs::read_to_string(&file).expect("example");
        let answer = data(&gateway, &query);
        let root = answer
            .as_object()
            .and_then(|m| m.values().next())
            .cloned()
            .unwrap_or_default();
        let groups = root["groups"].as_array().cloned().unwrap_or_default();
        assert!(!groups.is_empty(), "{}: {answer}", file.display());

        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let link = format!("(tests/analyst/{name})");
        let after = readme
            .find(&link)
            .map(|at| &readme[at..])
            .unwrap_or_else(|| panic!("the README does not link {name}"));
        let block = after
            .split("```")
            .nth(1)
            .and_then(|b| b.strip_prefix('\n'))
            .unwrap_or_else(|| panic!("no table after the link to {name}"));
        let lines: Vec<&str> = block.lines().collect();
        let (header, rule) = (lines[0], lines[1]);
        // Column spans: the runs of dashes.
        let mut spans = Vec::new();
        let mut start = None;
        for (i, c) in rule.chars().chain(std::iter::once(' ')).enumerate() {
            match (c == '-', start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        let cell = |line: &str, (from, to): (usize, usize)| -> String {
            line.chars()
                .skip(from)
                .take(to - from)
                .collect::<String>()
                .trim()
                .to_owned()
        };
        let columns: Vec<String> = spans.iter().map(|s| cell(header, *s)).collect();
        let rows: Vec<&str> = lines[2..]
            .iter()
            .copied()
            .take_while(|l| !l.starts_with('('))
            .collect();
        let footer = lines
            .iter()
            .find(|l| l.starts_with('('))
            .unwrap_or_else(|| panic!("{name}: the README table has no footer"));
        let at = |value: &Value, path: &str| -> Value {
            path.split('.').fold(value.clone(), |v, key| {
                v.get(key).cloned().unwrap_or(Value::Null)
            })
        };
        let same = |expected: &str, got: &Value| -> bool {
            match got {
                Value::Null => expected.is_empty(),
                Value::Bool(b) => expected == b.to_string(),
                Value::Number(n) => expected.parse::<f64>().is_ok_and(|e| {
                    let g = n.as_f64().unwrap_or(f64::NAN);
                    (e - g).abs() <= 1e-9 * e.abs().max(1.0)
                }),
                Value::String(s) => expected == s,
                // A cell never holds a list or an object.
                Value::Array(_) | Value::Object(_) => false,
            }
        };
        let mut differences = Vec::new();
        if rows.len() != groups.len() {
            differences.push(format!(
                "{} rows in the README, {} groups answered",
                rows.len(),
                groups.len()
            ));
        }
        for (i, (row, group)) in rows.iter().zip(&groups).enumerate() {
            for (column, span) in columns.iter().zip(&spans) {
                let (expected, got) = (cell(row, *span), at(group, column));
                if !same(&expected, &got) {
                    differences.push(format!(
                        "row {}: {column} is {got}, the README says {expected:?}",
                        i + 1
                    ));
                }
            }
        }
        // `(2 rows; aggregate.count: 18)`, `(6 rows; aggregate.count: 77, suppressedGroups: 0)`.
        let inner = footer.trim_start_matches('(').trim_end_matches(')');
        let mut parts = inner.split(';');
        let count = parts.next().unwrap_or_default();
        let rows_word = if groups.len() == 1 { "row" } else { "rows" };
        if count.trim() != format!("{} {rows_word}", groups.len()) {
            differences.push(format!(
                "footer {footer:?}, {} groups answered",
                groups.len()
            ));
        }
        for pair in parts.flat_map(|p| p.split(',')) {
            let (path, expected) = pair.split_once(':').unwrap_or((pair, ""));
            let got = at(&root, path.trim());
            if !same(expected.trim(), &got) {
                differences.push(format!(
                    "{}: {got}, the README says {}",
                    path.trim(),
                    expected.trim()
                ));
            }
        }
        assert!(
            differences.is_empty(),
            "{name}: the answer is not the README's:\n{}\nanswer: {answer}",
            differences.join("\n")
        );
    }
}

#[test]
fn lists_order_by_a_related_records_field_across_pages() {
    let (gateway, _dir) = demo("analytics-relation-order");
    let all = data(
        &gateway,
        "{ courseRuns(first: 100, order_by: [{ course: { name: desc } }, { code: asc }]) { totalCount nodes { id code course { name } } } }",
    );
    let nodes = all["courseRuns"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(nodes.len() > 20);
    let keys: Vec<(String, String)> = nodes
        .iter()
        .map(|n| {
            (
                n["course"]["name"].as_str().unwrap_or_default().to_owned(),
                n["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(keys, sorted, "not in course-name order");
    // Page by page gives the same sequence.
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let (status, body) = gateway.query(
            "query($after: String) { courseRuns(first: 7, after: $after, order_by: [{ course: { name: desc } }, { code: asc }]) { pageInfo { hasNextPage endCursor } nodes { id } } }",
            json!({ "after": after }),
        );
        assert_eq!(status, 200, "{body}");
        let page = &body["data"]["courseRuns"];
        paged.extend(page["nodes"].as_array().cloned().unwrap_or_default());
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let ids = |v: &[Value]| v.iter().map(|n| n["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&paged), ids(&nodes));
    // A relation that is not to-one, or an unknown field, is refused.
    let (_, body) = gateway.query(
        "{ courseRuns(order_by: [{ course: { trainingCenter: { name: asc } } }]) { totalCount } }",
        json!({}),
    );
    assert!(!body["errors"].is_null(), "{body}");
}
