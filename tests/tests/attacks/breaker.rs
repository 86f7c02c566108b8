//! Attack: anyone can open a provider's breaker (issue 11, part 4). An anonymous caller sends the
//! public `courseRuns` an `_or` of 1,100 equality terms; the BBPLK adapter's SQL used to fail
//! on it (SQLite: `Expression tree is too large`), the failure was blamed on BBPLK, and five
//! such requests opened BBPLK's circuit breaker for every caller, again every 10 s.
//!
//! Safe behaviour: a request's shape is the caller's problem. The gateway caps the filter nodes
//! and values of a `where` (`BAD_USER_INPUT` naming the count and the limit), adapters build SQL
//! that does not explode on what passes (one `IN` for an `_or` of equalities, balanced trees,
//! one parameter for a long list), and an error caused by the request's shape is reported as
//! the caller's and never counts against the provider's breaker.

use serde_json::{json, Value};
use simpul_tests::Gateway;

use crate::common::{ask, codes};

/// Error codes that blame a provider.
fn blames_a_provider(code: &str) -> bool {
    code.starts_with("PROVIDER_") || code == "PLUGIN_PANIC"
}

/// Codes of BBPLK's course runs (the first `n` by code).
fn bbplk_run_codes(gateway: &Gateway, n: usize) -> Vec<String> {
    let (status, body) = ask(
        gateway,
        None,
        &format!(
            "{{ courseRuns(first: {n}, where: {{ provider: {{ _eq: \"bbplk\" }} }}, order_by: [{{ code: asc }}]) {{ nodes {{ code }} }} }}"
        ),
        json!({}),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let codes: Vec<String> = body["data"]["courseRuns"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|n| n["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(codes.len() >= 5, "the demo has BBPLK runs: {body}");
    codes
}

/// The runs a `where` selects, as sorted `provider/code` pairs, with the total; the answer
/// must hold no error.
fn runs(gateway: &Gateway, filter: &str) -> (Vec<String>, u64) {
    let query = format!(
        "{{ courseRuns(first: 100, where: {filter}) {{ totalCount nodes {{ code provider {{ key }} }} }} }}"
    );
    let (status, body) = ask(gateway, None, &query, json!({}));
    assert_eq!(status, 200, "{}", snippet(&body));
    assert!(body.get("errors").is_none(), "{}", snippet(&body));
    selection(&body)
}

fn selection(body: &Value) -> (Vec<String>, u64) {
    let list = &body["data"]["courseRuns"];
    let mut found: Vec<String> = list["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", snippet(body)))
        .iter()
        .map(|n| {
            format!(
                "{}/{}",
                n["provider"]["key"].as_str().unwrap(),
                n["code"].as_str().unwrap()
            )
        })
        .collect();
    found.sort();
    (found, list["totalCount"].as_u64().unwrap())
}

fn snippet(body: &Value) -> String {
    let text = body.to_string();
    text.chars().take(2000).collect()
}

/// `{ field: { op: value } }` terms joined for a list.
fn terms(items: &[String]) -> String {
    items.join(", ")
}

#[test]
fn request_shaped_failures_never_open_a_providers_breaker() {
    let (gateway, _dir) = simpul_tests::demo_with("attack-breaker", &[]);
    attack(&gateway, true);
}

/// With the caps raised far enough, the same attack reaches BBPLK, whose SQL must hold it.
#[test]
fn with_the_caps_raised_the_attack_reaches_bbplk_and_is_answered() {
    let (gateway, _dir) = simpul_tests::demo_with(
        "attack-breaker-raised",
        &[
            ("SIMPUL__LIMITS__MAX_FILTER_NODES", "100000"),
            ("SIMPUL__LIMITS__MAX_FILTER_VALUES", "100000"),
        ],
    );
    attack(&gateway, false);
}

/// Six anonymous `_or`s of 1,100 `_eq` on `courseRuns`: each answered with the right runs or
/// refused as `BAD_USER_INPUT` (`capped`), never blamed on a provider; BBPLK's breaker stays
/// closed and its data keeps coming.
fn attack(gateway: &Gateway, capped: bool) {
    let real = bbplk_run_codes(gateway, 20);
    assert_eq!(gateway.provider("bbplk")["breaker"], "closed");

    // 1,100 equality terms on `code`: every 55th a real BBPLK run, the rest match nothing.
    let codes_asked: Vec<String> = (0..1100)
        .map(|i| {
            if i % 55 == 0 {
                real[(i / 55) % real.len()].clone()
            } else {
                format!("X{i}")
            }
        })
        .collect();
    let or = terms(
        &codes_asked
            .iter()
            .map(|c| format!("{{ code: {{ _eq: \"{c}\" }} }}"))
            .collect::<Vec<_>>(),
    );
    let attack = format!(
        "{{ courseRuns(first: 100, where: {{ _or: [{or}] }}) {{ totalCount nodes {{ code provider {{ key }} }} }} }}"
    );
    // What a correct answer would be: the same runs asked with one `_in`.
    let mut distinct_real: Vec<&String> =
        codes_asked.iter().filter(|c| !c.starts_with('X')).collect();
    distinct_real.sort();
    distinct_real.dedup();
    let expected = runs(
        gateway,
        &format!(
            "{{ code: {{ _in: [{}] }} }}",
            terms(
                &distinct_real
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
            )
        ),
    );
    assert!(
        expected.0.iter().any(|r| r.starts_with("bbplk/")),
        "{expected:?}"
    );

    for round in 1..=6 {
        let (status, body) = ask(gateway, None, &attack, json!({}));
        let seen = codes(&body);
        assert!(
            !seen.iter().any(|c| blames_a_provider(c)),
            "round {round}: the caller's request was blamed on a provider ({status}): {}",
            snippet(&body)
        );
        if capped {
            assert_eq!(
                seen,
                ["BAD_USER_INPUT"],
                "round {round}: {}",
                snippet(&body)
            );
            let message = body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("1101") && message.contains("200"),
                "the message says how many there were and the limit: {message}"
            );
        } else {
            assert!(seen.is_empty(), "round {round}: {}", snippet(&body));
            assert_eq!(status, 200, "{}", snippet(&body));
            assert_eq!(selection(&body), expected, "round {round}: wrong data");
        }
    }
    let bbplk = gateway.provider("bbplk");
    assert_eq!(
        bbplk["breaker"], "closed",
        "six requests of one anonymous caller changed BBPLK's breaker for everyone: {bbplk}"
    );

    // Everyone else still gets BBPLK's data.
    let (status, body) = ask(
        gateway,
        None,
        "{ courseRuns(first: 5, where: { provider: { _eq: \"bbplk\" } }) { totalCount nodes { code } } }",
        json!({}),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert!(
        body["data"]["courseRuns"]["totalCount"].as_u64().unwrap() >= 5,
        "{body}"
    );
}

/// Just under the caps: many `_in` values and `_or`/`_and`/`_not` terms that all reach BBPLK
/// (whose SQL must hold) and must give the answers the gateway computes itself with pushdown
/// off.
#[test]
fn a_large_filter_under_the_caps_reaches_bbplk_and_answers_correctly() {
    let (on, _on_dir) = simpul_tests::demo_with("attack-breaker-large-on", &[]);
    let (off, _off_dir) = simpul_tests::demo_with(
        "attack-breaker-large-off",
        &[("SIMPUL__PROVIDERS__1__PUSHDOWN", "false")],
    );
    let real = bbplk_run_codes(&on, 40);

    // 150 `_in` lists of 6 values (900 values): one real code in every fifth list.
    let lists: Vec<String> = (0..150)
        .map(|i| {
            let mut values: Vec<String> = (0..6).map(|j| format!("\"N{i}-{j}\"")).collect();
            if i % 5 == 0 {
                values[3] = format!("\"{}\"", real[(i / 5) % real.len()]);
            }
            format!("{{ code: {{ _in: [{}] }} }}", values.join(", "))
        })
        .collect();
    // Eight `_neq` under an `_and`, each excluding a real code (8 values).
    let excluded: Vec<String> = real
        .iter()
        .take(8)
        .map(|c| format!("{{ code: {{ _neq: \"{c}\" }} }}"))
        .collect();
    let filters = [
        format!("{{ _or: [{}] }}", terms(&lists)),
        format!(
            "{{ _and: [{{ _or: [{}] }}, {{ _and: [{}] }}] }}",
            terms(&lists),
            terms(&excluded)
        ),
        // The runs of BBPLK that none of the first 75 lists names.
        format!(
            "{{ _not: {{ _or: [{}] }}, provider: {{ _eq: \"bbplk\" }} }}",
            terms(&lists[..75])
        ),
    ];
    for filter in &filters {
        let pushed = runs(&on, filter);
        let reference = runs(&off, filter);
        assert_eq!(pushed, reference, "pushdown changed the answer");
        assert!(
            pushed.0.iter().any(|r| r.starts_with("bbplk/")),
            "the filter selects BBPLK runs: {pushed:?}"
        );
    }
    assert_eq!(on.provider("bbplk")["breaker"], "closed");
}
