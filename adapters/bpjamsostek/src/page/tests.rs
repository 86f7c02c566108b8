//! The page split against a full parse: planted bodies, mutated ones, and the word search.

use super::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

/// What a page was read as before: a full parse.
#[derive(Deserialize)]
struct Parsed {
    data: Vec<Box<serde_json::value::RawValue>>,
    meta: PageMeta,
}

/// How a page was read before the split: a full parse, then on failure a second one to
/// tell a body that is not JSON from JSON of another shape.
fn parsed(body: &[u8]) -> Result<(Vec<String>, PageMeta), NotAPage> {
    match serde_json::from_slice::<Parsed>(body) {
        Ok(page) => Ok((
            page.data.iter().map(|r| r.get().to_owned()).collect(),
            page.meta,
        )),
        Err(_) => Err(match serde_json::from_slice::<IgnoredAny>(body) {
            Ok(_) => NotAPage::Shape,
            Err(e) => NotAPage::NotJson(e.to_string()),
        }),
    }
}

/// The split and the full parse agree: the same items and meta, or the same refusal.
/// Whether the body was a page.
fn agree(body: &[u8]) -> bool {
    let split =
        Page::split(body, None).map(|p| (p.data.iter().map(str::to_owned).collect(), p.meta));
    assert_eq!(split, parsed(body), "{}", String::from_utf8_lossy(body));
    split.is_ok()
}

const META: &str = r#""meta": {"page": 1, "perPage": 100, "total": 3, "totalPages": 1}"#;

fn page(data: &str) -> String {
    format!(r#"{{"data": {data}, {META}}}"#)
}

#[test]
fn reads_the_items_and_meta_of_well_formed_pages() {
    let bodies = [
        page("[]"),
        page(" [ ] "),
        page(r#"[{"a": 1}, {"b": [true, false, null, -0.5e+3, "x\"y\\z\u00e9\/"]}]"#),
        page(r#"[1, "two", [3], {"four": {}}, null]"#),
        page(r#"[{"nested": [[[[{"deep": [1, {"x": "]}"}]}]]]]}]"#),
        format!("{{{META}, \"data\": [{{\"later\": 1}}]}}"),
        format!("{{\"extra\": {{\"ignored\": [1, 2]}}, {META}, \"data\": [2]}}"),
        format!("\n\t{{ \"data\" :\r\n[ 1 ,2 ] , {META} }}  \n"),
        page(r#"[{"name": "Cafe\u0301 ñ 日本"}]"#),
        page(r#"[{"lone": "\ud800"}]"#),
    ];
    for body in &bodies {
        agree(body.as_bytes());
        assert!(Page::split(body.as_bytes(), None).is_ok(), "{body}");
    }
}

#[test]
fn refuses_what_a_full_parse_refuses_for_the_same_reason() {
    let bodies = [
        String::new(),
        "   ".into(),
        "{".into(),
        "[]".into(),
        "null".into(),
        r#"{"data": []}"#.into(),
        format!("{{{META}}}"),
        page("{}"),
        page("[1,]"),
        page("[,1]"),
        page("[1 2]"),
        page("[01]"),
        page("[1.]"),
        page("[.5]"),
        page("[1e]"),
        page("[-]"),
        page("[tru]"),
        page("[nul]"),
        page("['a']"),
        page(r#"[{"a" 1}]"#),
        page(r#"[{"a": 1,}]"#),
        page(r#"[{1: 1}]"#),
        page(r#"["\x"]"#),
        page(r#"["\u12g4"]"#),
        page("[\"tab\there\"]"),
        page(r#"["open]"#),
        page("[[[[]]]"),
        format!("{} trailing", page("[]")),
        format!("{}{{}}", page("[]")),
        format!(r#"{{"data": [], "data": [], {META}}}"#),
        format!(r#"{{"data": [], {META}, {META}}}"#),
        r#"{"data": [], "meta": {"page": "one"}}"#.into(),
    ];
    for body in &bodies {
        agree(body.as_bytes());
        assert!(Page::split(body.as_bytes(), None).is_err(), "{body}");
    }
}

#[test]
fn refuses_bytes_that_are_not_utf8_where_a_full_parse_reads_text() {
    for body in [
        page("[\"\u{1}\"]").replace('\u{1}', "\u{7f}"),
        page("[\"é\"]"),
    ] {
        agree(body.as_bytes());
    }
    let mut in_item = page(r#"["ab"]"#).into_bytes();
    let at = in_item.windows(2).position(|w| w == b"ab").unwrap();
    in_item[at] = 0xff;
    agree(&in_item);
    assert!(Page::split(&in_item, None).is_err());
    let mut in_key = format!(r#"{{"xy": 1, "data": [], {META}}}"#).into_bytes();
    in_key[2] = 0xc3;
    agree(&in_key);
}

#[test]
fn agrees_with_a_full_parse_on_mutated_pages() {
    let base = page(
        r#"[{"lembagaId": "LM-0001", "nama": "LPK \"Maju\" Jaya", "tahun": 12, "skor": -3.25e-2,
             "aktif": true, "izin": null, "bidang": ["las", "listrik"], "alamat": {"kota": "Bekasi"}},
            {"lembagaId": "LM-0002", "nama": "Caf\u00e9 \\ dapur", "tahun": 0, "bidang": []}]"#,
    );
    let alphabet = b"{}[]\":,\\ -.0123456789eEtrufalsn/x\t\n\x01\x1f\xc3\xa9\xff";
    let mut rng = StdRng::seed_from_u64(17);
    let mut pages = 0;
    for _ in 0..20_000 {
        let mut body = base.clone().into_bytes();
        for _ in 0..rng.random_range(1..=3) {
            let at = rng.random_range(0..body.len());
            match rng.random_range(0..3) {
                0 => body[at] = alphabet[rng.random_range(0..alphabet.len())],
                1 => {
                    body.remove(at);
                }
                _ => body.insert(at, alphabet[rng.random_range(0..alphabet.len())]),
            }
        }
        pages += usize::from(agree(&body));
    }
    // Both answers are well exercised.
    assert!(
        (2_000..18_000).contains(&pages),
        "{pages} of 20000 mutated bodies were pages"
    );
}

#[test]
fn finds_the_first_quote_backslash_or_control_character_in_any_position() {
    let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
    let mut rng = StdRng::seed_from_u64(5);
    let bytes = [
        b'a', b'"', b'\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xa2, 0xdc, 0xff, b'!', b'#',
    ];
    for _ in 0..50_000 {
        let len = rng.random_range(0..40);
        // Mostly plain bytes, so that the first special one falls anywhere.
        let text: Vec<u8> = (0..len)
            .map(|_| match rng.random_range(0..12) {
                0 => bytes[rng.random_range(0..bytes.len())],
                _ => rng.random_range(0x23..=0x5b),
            })
            .collect();
        assert_eq!(special(&text), naive(&text), "{text:?}");
    }
}

#[test]
fn a_deeply_nested_item_is_followed_without_recursion() {
    let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
    let split = Page::split(page(&deep).as_bytes(), None).unwrap();
    assert_eq!(split.data.len(), 1);
    assert!(Page::split(page(&deep[..deep.len() - 2]).as_bytes(), None).is_err());
}

#[test]
fn appended_pages_keep_their_items_in_order() {
    let mut items = Items::from_texts(["1", r#"{"a": 2}"#]);
    items.append(Items::from_texts(["[3]"]));
    items.append(Items::default());
    assert_eq!(
        items.iter().collect::<Vec<_>>(),
        ["1", r#"{"a": 2}"#, "[3]"]
    );
    let mut empty = Items::default();
    empty.append(Items::from_values(&[serde_json::json!({"b": 4})]));
    assert_eq!(empty.iter().collect::<Vec<_>>(), [r#"{"b":4}"#]);
}
