//! Attacks that ask for unbounded work: a huge offset, a forged cursor position, a cursor from
//! another list, `last` without `before`, relation filters that match everything.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::{codes, locked_down, traced};

/// The largest number of records any adapter call of the trace was asked for (`None`: one
/// call asked for everything).
fn widest(body: &Value) -> Option<u64> {
    let mut widest = Some(0);
    for provider in body["extensions"]["simpul"]["providers"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for call in provider["details"].as_array().into_iter().flatten() {
            widest = match (widest, call["limit"].as_u64()) {
                (Some(w), Some(l)) => Some(w.max(l)),
                _ => None,
            };
        }
    }
    widest
}

#[test]
fn a_huge_offset_is_refused() {
    let (gateway, keys) = locked_down("attack-offset", &[]);
    let body = traced(
        &gateway,
        &keys.admin,
        "{ courseRuns(offset: 2000000000, limit: 1) { totalCount nodes { code } } }",
        json!({}),
    );
    assert_eq!(codes(&body), ["BAD_USER_INPUT"], "{body}");
    assert_eq!(widest(&body), Some(0), "adapters were asked anyway: {body}");
}

#[test]
fn forged_and_foreign_cursors_are_refused_without_widening() {
    let (gateway, keys) = locked_down("attack-cursor", &[]);
    let page = traced(
        &gateway,
        &keys.admin,
        "{ courseRuns(first: 2) { pageInfo { endCursor } } }",
        json!({}),
    );
    let cursor = page["data"]["courseRuns"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap_or_else(|| panic!("{page}"))
        .to_owned();
    // The same cursor with its position moved far ahead (whatever its format, a forged one is
    // made of its own bytes with one changed, or of the old format).
    let decoded = URL_SAFE_NO_PAD.decode(&cursor).unwrap_or_default();
    let text = String::from_utf8_lossy(&decoded).into_owned();
    let forged_position = match text.strip_prefix("c2:").and_then(|r| r.split_once(':')) {
        Some((_, id)) => URL_SAFE_NO_PAD.encode(format!("c2:1000000:{id}")),
        None => {
            let mut bytes = decoded.clone();
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            URL_SAFE_NO_PAD.encode(bytes)
        }
    };
    let query = "query($after: String) { courseRuns(first: 2, after: $after) { nodes { code } } }";
    let forged = traced(
        &gateway,
        &keys.admin,
        query,
        json!({ "after": forged_position }),
    );
    assert_eq!(codes(&forged), ["INVALID_CURSOR"], "{forged}");
    assert!(
        widest(&forged).is_some_and(|w| w <= 100),
        "a forged cursor widened the fetch: {forged}"
    );
    // A genuine cursor, used on another list or with another filter or order.
    for other in [
        "query($after: String) { trainingCenters(first: 2, after: $after) { nodes { name } } }",
        "query($after: String) { courseRuns(first: 2, after: $after, where: { status: { _eq: \"COMPLETED\" } }) { nodes { code } } }",
        "query($after: String) { courseRuns(first: 2, after: $after, order_by: [{ startDate: desc }]) { nodes { code } } }",
    ] {
        let body = traced(&gateway, &keys.admin, other, json!({ "after": cursor }));
        assert_eq!(codes(&body), ["INVALID_CURSOR"], "{other}: {body}");
        assert!(
            widest(&body).is_some_and(|w| w <= 100),
            "a foreign cursor widened the fetch: {body}"
        );
    }
    // The genuine cursor still works where it came from.
    let next = traced(&gateway, &keys.admin, query, json!({ "after": cursor }));
    assert!(next["errors"].is_null(), "{next}");
}

#[test]
fn last_without_before_is_bounded() {
    let (gateway, keys) = locked_down("attack-last", &[("SIMPUL__LIMITS__MAX_WINDOW", "10")]);
    let body = traced(
        &gateway,
        &keys.admin,
        "{ courseRuns(last: 2) { totalCount nodes { code } } }",
        json!({}),
    );
    assert!(
        widest(&body).is_some_and(|w| w <= 11),
        "`last` asked the adapters for everything: {body}"
    );
    // The demo has more runs than that window: refused with a way out.
    assert_eq!(codes(&body), ["BAD_USER_INPUT"], "{body}");
}

#[test]
fn relation_filters_match_a_bounded_number_of_keys() {
    let (gateway, keys) = locked_down(
        "attack-relation-keys",
        &[("SIMPUL__LIMITS__MAX_RELATION_KEYS", "5")],
    );
    let body = traced(
        &gateway,
        &keys.admin,
        "{ participants(first: 5, where: { enrollments: { status: { _eq: \"COMPLETED\" } } }) { totalCount } }",
        json!({}),
    );
    assert_eq!(codes(&body), ["BAD_USER_INPUT"], "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("enrollments"), "{message}");
}
