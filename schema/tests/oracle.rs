//! The reference semantics (`simpul_schema::filter`) against answers worked out by hand.
//!
//! Six small records, written out below, and for each filter, order and page the ids a person
//! computed from that table (not from the code). Every operator is here, on text, whole
//! numbers, fractions, booleans, region codes and list-valued fields, with nulls, literals of
//! another kind than the field ("incomparable"), `_and`/`_or`/`_not` (empty ones too), every
//! null placement of `order_by`, multi-key orders, `offset`/`limit`, lookups by id, and the
//! inputs that must be refused. The same semantics are checked on the SPN demo export, end to
//! end, by `tests/tests/oracle.rs`.
//!
//! Run: `cargo nextest run -p simpul-schema --test oracle`.

use simpul_schema::filter::{self, FieldValue, FilterError, Filterable};
use simpul_schema::{Collection, CompareOp, Direction, Filter, Literal, OrderBy, QueryRequest};

use CompareOp::*;

/// One record: a participant-like row with a field of every kind.
#[derive(Debug, Clone)]
struct Rec {
    id: &'static str,
    name: &'static str,
    year: Option<i64>,
    score: Option<f64>,
    active: Option<bool>,
    region: Option<&'static str>,
    tags: &'static [&'static str],
}

impl Filterable for Rec {
    const FIELDS: &'static [&'static str] = &[
        "sourceId", "name", "year", "score", "active", "region", "tags",
    ];

    fn field(&self, name: &str) -> Option<FieldValue> {
        Some(match name {
            "sourceId" => FieldValue::from(self.id),
            "name" => FieldValue::from(self.name),
            "year" => self.year.map_or(FieldValue::Null, FieldValue::Int),
            "score" => FieldValue::from(self.score),
            "active" => FieldValue::from(self.active),
            "region" => FieldValue::from(self.region),
            "tags" => FieldValue::list(self.tags.iter()),
            _ => return None,
        })
    }
}

/// The table every answer below is computed from.
///
/// | id | name            | year | score | active | region          | tags           |
/// |----|-----------------|------|-------|--------|-----------------|----------------|
/// | a1 | `Sri Wahyuni`   | 1985 | 81.5  | true   | `36.02.13`      | JKP, PNBP      |
/// | a2 | `sumarni`       | 1979 | null  | false  | `36.02`         | APBN_PBK       |
/// | a3 | `Ade_Supriatna` | 1990 | 70.0  | null   | `36.73.05.1002` | (empty = null) |
/// | a4 | `Nining 100%`   | null | 90.25 | true   | `32.16`         | JKP            |
/// | a5 | `Ujang`         | 1966 | 81.5  | true   | null            | PNBP, OTHER    |
/// | a6 | `` (empty)      | 1990 | 55.0  | false  | `36.021`        | JKP            |
///
/// Text orders by bytes: `` < `Ade_Supriatna` < `Nining 100%` < `Sri Wahyuni` < `Ujang` <
/// `sumarni` (lower case after upper case).
#[rustfmt::skip]
fn table() -> Vec<Rec> {
    let r = |id, name, year, score, active, region, tags| Rec { id, name, year, score, active, region, tags };
    vec![
        r("a1", "Sri Wahyuni",   Some(1985), Some(81.5),  Some(true),  Some("36.02.13"),      &["JKP", "PNBP"][..]),
        r("a2", "sumarni",       Some(1979), None,        Some(false), Some("36.02"),         &["APBN_PBK"][..]),
        r("a3", "Ade_Supriatna", Some(1990), Some(70.0),  None,        Some("36.73.05.1002"), &[][..]),
        r("a4", "Nining 100%",   None,       Some(90.25), Some(true),  Some("32.16"),         &["JKP"][..]),
        r("a5", "Ujang",         Some(1966), Some(81.5),  Some(true),  None,                  &["PNBP", "OTHER"][..]),
        r("a6", "",              Some(1990), Some(55.0),  Some(false), Some("36.021"),        &["JKP"][..]),
    ]
}

fn cmp(field: &str, op: CompareOp, value: impl Into<Literal>) -> Filter {
    Filter::compare(field, op, value)
}

fn list<T: Into<Literal>>(items: impl IntoIterator<Item = T>) -> Literal {
    Literal::List(items.into_iter().map(Into::into).collect())
}

fn not(f: Filter) -> Filter {
    Filter::Not(Box::new(f))
}

fn request(filter: Option<Filter>, order: &[(&str, Direction)]) -> QueryRequest {
    let mut request = QueryRequest::all(Collection::Participants);
    request.filter = filter;
    request.order_by = order
        .iter()
        .map(|(field, direction)| OrderBy {
            field: (*field).to_owned(),
            direction: *direction,
        })
        .collect();
    request
}

/// Ids `filter::apply` returns, in its order, and its total.
fn run(request: &QueryRequest) -> Result<(Vec<&'static str>, u64), FilterError> {
    let (page, total) = filter::apply(&table(), request)?;
    Ok((page.iter().map(|r| r.id).collect(), total))
}

/// Check a list of (filter, expected ids in table order) cases, reporting every miss at once.
fn check_filters(cases: Vec<(&str, Filter, &[&str])>) {
    let mut misses = Vec::new();
    for (what, filter, expected) in cases {
        match run(&request(Some(filter), &[])) {
            Ok((ids, total)) if ids == expected && total as usize == expected.len() => {}
            other => misses.push(format!("{what}: expected {expected:?}, got {other:?}")),
        }
    }
    assert!(misses.is_empty(), "\n{}", misses.join("\n"));
}

#[test]
fn equality_and_inequality() {
    check_filters(vec![
        ("year _eq 1990", cmp("year", Eq, 1990_i64), &["a3", "a6"]),
        // A fraction literal compares with a whole-number field by value.
        ("year _eq 1990.0", cmp("year", Eq, 1990.0), &["a3", "a6"]),
        ("score _eq 81.5", cmp("score", Eq, 81.5), &["a1", "a5"]),
        (
            "score _eq 70 (int literal)",
            cmp("score", Eq, 70_i64),
            &["a3"],
        ),
        ("name _eq Ujang", cmp("name", Eq, "Ujang"), &["a5"]),
        (
            "name _eq ujang (case matters)",
            cmp("name", Eq, "ujang"),
            &[],
        ),
        ("name _eq empty text", cmp("name", Eq, ""), &["a6"]),
        (
            "active _eq true",
            cmp("active", Eq, true),
            &["a1", "a4", "a5"],
        ),
        // Nulls never compare: a4 (year null), a3 (active null) are left out of both.
        (
            "year _neq 1990",
            cmp("year", Neq, 1990_i64),
            &["a1", "a2", "a5"],
        ),
        ("active _neq true", cmp("active", Neq, true), &["a2", "a6"]),
        (
            "score _neq 81.5",
            cmp("score", Neq, 81.5),
            &["a3", "a4", "a6"],
        ),
    ]);
}

#[test]
fn orderings_on_numbers_text_and_booleans() {
    check_filters(vec![
        ("year _gt 1985", cmp("year", Gt, 1985_i64), &["a3", "a6"]),
        (
            "year _gte 1985",
            cmp("year", Gte, 1985_i64),
            &["a1", "a3", "a6"],
        ),
        ("year _lt 1979", cmp("year", Lt, 1979_i64), &["a5"]),
        ("year _lte 1979", cmp("year", Lte, 1979_i64), &["a2", "a5"]),
        ("score _gt 81.5", cmp("score", Gt, 81.5), &["a4"]),
        (
            "score _gte 81.5",
            cmp("score", Gte, 81.5),
            &["a1", "a4", "a5"],
        ),
        ("score _lt 70", cmp("score", Lt, 70_i64), &["a6"]),
        ("score _lte 70", cmp("score", Lte, 70_i64), &["a3", "a6"]),
        (
            "score _gt 81 (int literal)",
            cmp("score", Gt, 81_i64),
            &["a1", "a4", "a5"],
        ),
        (
            "year _gt 1985.5 (fraction literal)",
            cmp("year", Gt, 1985.5),
            &["a3", "a6"],
        ),
        ("name _lt Nining", cmp("name", Lt, "Nining"), &["a3", "a6"]),
        (
            "name _gte Sri",
            cmp("name", Gte, "Sri"),
            &["a1", "a2", "a5"],
        ),
        (
            "active _gt false",
            cmp("active", Gt, false),
            &["a1", "a4", "a5"],
        ),
        (
            "active _lte false",
            cmp("active", Lte, false),
            &["a2", "a6"],
        ),
    ]);
}

#[test]
fn incomparable_literals_never_equal_and_never_order() {
    // A literal of another kind than the field (text against a number, a number against
    // text, a boolean against a number) is never equal and never greater or smaller; so
    // `_neq` and `_nin` hold for every non-null value. (The GraphQL inputs are typed, so only
    // code reaches this; the answer must still be defined.)
    check_filters(vec![
        ("year _eq \"1990\"", cmp("year", Eq, "1990"), &[]),
        ("year _gt \"1000\"", cmp("year", Gt, "1000"), &[]),
        ("year _lte \"3000\"", cmp("year", Lte, "3000"), &[]),
        ("name _gt 5", cmp("name", Gt, 5_i64), &[]),
        ("active _eq 1", cmp("active", Eq, 1_i64), &[]),
        (
            "year _neq \"1990\"",
            cmp("year", Neq, "1990"),
            &["a1", "a2", "a3", "a5", "a6"],
        ),
        ("year _in [\"1990\"]", cmp("year", In, list(["1990"])), &[]),
        (
            "year _nin [\"1990\"]",
            cmp("year", Nin, list(["1990"])),
            &["a1", "a2", "a3", "a5", "a6"],
        ),
    ]);
}

#[test]
fn membership() {
    check_filters(vec![
        (
            "year _in [1966, 1990, 2000]",
            cmp("year", In, list([1966_i64, 1990, 2000])),
            &["a3", "a5", "a6"],
        ),
        // a4 (year null) is in no list and outside no list.
        (
            "year _nin [1966, 1990]",
            cmp("year", Nin, list([1966_i64, 1990])),
            &["a1", "a2"],
        ),
        ("year _in []", cmp("year", In, Literal::List(vec![])), &[]),
        (
            "year _nin []",
            cmp("year", Nin, Literal::List(vec![])),
            &["a1", "a2", "a3", "a5", "a6"],
        ),
        (
            "name _in [Ujang, ujang, \"\"]",
            cmp("name", In, list(["Ujang", "ujang", ""])),
            &["a5", "a6"],
        ),
        (
            "score _in [70, 81.5] (mixed kinds)",
            cmp("score", In, Literal::List(vec![70_i64.into(), 81.5.into()])),
            &["a1", "a3", "a5"],
        ),
    ]);
}

#[test]
fn list_valued_fields_hold_when_any_element_does() {
    check_filters(vec![
        ("tags _eq JKP", cmp("tags", Eq, "JKP"), &["a1", "a4", "a6"]),
        // No element equal; an empty list (a3) is null and matches neither.
        ("tags _neq JKP", cmp("tags", Neq, "JKP"), &["a2", "a5"]),
        (
            "tags _in [PNBP]",
            cmp("tags", In, list(["PNBP"])),
            &["a1", "a5"],
        ),
        (
            "tags _nin [JKP]",
            cmp("tags", Nin, list(["JKP"])),
            &["a2", "a5"],
        ),
        (
            "tags _nin [JKP, OTHER]",
            cmp("tags", Nin, list(["JKP", "OTHER"])),
            &["a2"],
        ),
        ("tags _like P%", cmp("tags", Like, "P%"), &["a1", "a5"]),
        ("tags _ilike %pbk", cmp("tags", Ilike, "%pbk"), &["a2"]),
        ("tags _gt OTHER", cmp("tags", Gt, "OTHER"), &["a1", "a5"]),
        ("tags _is_null true", cmp("tags", IsNull, true), &["a3"]),
        (
            "tags _is_null false",
            cmp("tags", IsNull, false),
            &["a1", "a2", "a4", "a5", "a6"],
        ),
        (
            "_not tags _eq JKP",
            not(cmp("tags", Eq, "JKP")),
            &["a2", "a3", "a5"],
        ),
    ]);
}

#[test]
fn like_and_ilike() {
    check_filters(vec![
        ("name _like S%", cmp("name", Like, "S%"), &["a1"]),
        ("name _ilike s%", cmp("name", Ilike, "s%"), &["a1", "a2"]),
        (
            "name _ilike %WAHYU%",
            cmp("name", Ilike, "%WAHYU%"),
            &["a1"],
        ),
        (
            "name _like %Wahyu (anchored at the end)",
            cmp("name", Like, "%Wahyu"),
            &[],
        ),
        // `\` escapes `%` and `_`; unescaped `_` is any one character.
        ("name _like %100\\%", cmp("name", Like, "%100\\%"), &["a4"]),
        ("name _like %1_0\\%", cmp("name", Like, "%1_0\\%"), &["a4"]),
        ("name _like Ade\\_%", cmp("name", Like, "Ade\\_%"), &["a3"]),
        (
            "name _like Ade Supriatna (space is not _)",
            cmp("name", Like, "Ade Supriatna"),
            &[],
        ),
        ("name _like Ujan_", cmp("name", Like, "Ujan_"), &["a5"]),
        ("name _like Ujan__", cmp("name", Like, "Ujan__"), &[]),
        // `%` matches the empty text too; the empty pattern only the empty text.
        (
            "name _like %",
            cmp("name", Like, "%"),
            &["a1", "a2", "a3", "a4", "a5", "a6"],
        ),
        ("name _like \"\"", cmp("name", Like, ""), &["a6"]),
        (
            "region _like 36.02%",
            cmp("region", Like, "36.02%"),
            &["a1", "a2", "a6"],
        ),
    ]);
}

#[test]
fn region_prefix_respects_code_segments() {
    check_filters(vec![
        // `36.021` starts with the text `36.02` but is not inside area 36.02.
        (
            "region _prefix 36.02",
            cmp("region", Prefix, "36.02"),
            &["a1", "a2"],
        ),
        (
            "region _prefix 36",
            cmp("region", Prefix, "36"),
            &["a1", "a2", "a3", "a6"],
        ),
        ("region _prefix 36.0", cmp("region", Prefix, "36.0"), &[]),
        ("region _prefix 3", cmp("region", Prefix, "3"), &[]),
        (
            "region _prefix 36.73.05.1002 (itself)",
            cmp("region", Prefix, "36.73.05.1002"),
            &["a3"],
        ),
        ("region _prefix 32", cmp("region", Prefix, "32"), &["a4"]),
        (
            "_not region _prefix 36",
            not(cmp("region", Prefix, "36")),
            &["a4", "a5"],
        ),
    ]);
}

#[test]
fn is_null() {
    check_filters(vec![
        ("year _is_null true", cmp("year", IsNull, true), &["a4"]),
        ("score _is_null true", cmp("score", IsNull, true), &["a2"]),
        ("active _is_null true", cmp("active", IsNull, true), &["a3"]),
        (
            "active _is_null false",
            cmp("active", IsNull, false),
            &["a1", "a2", "a4", "a5", "a6"],
        ),
        ("region _is_null true", cmp("region", IsNull, true), &["a5"]),
        // The empty text is a value, not null.
        ("name _is_null true", cmp("name", IsNull, true), &[]),
    ]);
}

#[test]
fn and_or_not() {
    let y_gt = || cmp("year", Gt, 1985_i64);
    check_filters(vec![
        (
            "_and []",
            Filter::And(vec![]),
            &["a1", "a2", "a3", "a4", "a5", "a6"],
        ),
        ("_or []", Filter::Or(vec![]), &[]),
        (
            "_and [active true, region _prefix 36]",
            Filter::And(vec![cmp("active", Eq, true), cmp("region", Prefix, "36")]),
            &["a1"],
        ),
        (
            "_or [year _lt 1970, score _is_null true]",
            Filter::Or(vec![cmp("year", Lt, 1970_i64), cmp("score", IsNull, true)]),
            &["a2", "a5"],
        ),
        // `_not` is the complement: a4's null year is not > 1985, so `_not` holds for it.
        ("_not year _gt 1985", not(y_gt()), &["a1", "a2", "a4", "a5"]),
        ("_not _not year _gt 1985", not(not(y_gt())), &["a3", "a6"]),
        (
            "_not year _neq 1990",
            not(cmp("year", Neq, 1990_i64)),
            &["a3", "a4", "a6"],
        ),
        (
            "_and [active true, _not tags _eq JKP]",
            Filter::And(vec![cmp("active", Eq, true), not(cmp("tags", Eq, "JKP"))]),
            &["a5"],
        ),
        (
            "_not _or [name _ilike s%, _and [year _gte 1990, score _lt 60]]",
            not(Filter::Or(vec![
                cmp("name", Ilike, "s%"),
                Filter::And(vec![cmp("year", Gte, 1990_i64), cmp("score", Lt, 60_i64)]),
            ])),
            &["a3", "a4", "a5"],
        ),
    ]);
}

#[test]
fn orders_place_nulls_like_hasura_and_keep_ties_in_input_order() {
    use Direction::*;
    type Keys = Vec<(&'static str, Direction)>;
    let cases: Vec<(&str, Keys, [&str; 6])> = vec![
        // year: a5 1966, a2 1979, a1 1985, a3 1990, a6 1990, a4 null.
        (
            "year asc (nulls last)",
            vec![("year", Asc)],
            ["a5", "a2", "a1", "a3", "a6", "a4"],
        ),
        (
            "year asc_nulls_last",
            vec![("year", AscNullsLast)],
            ["a5", "a2", "a1", "a3", "a6", "a4"],
        ),
        (
            "year asc_nulls_first",
            vec![("year", AscNullsFirst)],
            ["a4", "a5", "a2", "a1", "a3", "a6"],
        ),
        (
            "year desc (nulls first)",
            vec![("year", Desc)],
            ["a4", "a3", "a6", "a1", "a2", "a5"],
        ),
        (
            "year desc_nulls_first",
            vec![("year", DescNullsFirst)],
            ["a4", "a3", "a6", "a1", "a2", "a5"],
        ),
        (
            "year desc_nulls_last",
            vec![("year", DescNullsLast)],
            ["a3", "a6", "a1", "a2", "a5", "a4"],
        ),
        (
            "year desc, sourceId desc",
            vec![("year", Desc), ("sourceId", Desc)],
            ["a4", "a6", "a3", "a1", "a2", "a5"],
        ),
        (
            "year asc, name asc",
            vec![("year", Asc), ("name", Asc)],
            ["a5", "a2", "a1", "a6", "a3", "a4"],
        ),
        // score: a6 55, a3 70, a1 81.5, a5 81.5, a4 90.25, a2 null.
        (
            "score asc",
            vec![("score", Asc)],
            ["a6", "a3", "a1", "a5", "a4", "a2"],
        ),
        (
            "score desc_nulls_last, year asc",
            vec![("score", DescNullsLast), ("year", Asc)],
            ["a4", "a5", "a1", "a3", "a6", "a2"],
        ),
        (
            "name asc (bytes)",
            vec![("name", Asc)],
            ["a6", "a3", "a4", "a1", "a5", "a2"],
        ),
        (
            "name desc",
            vec![("name", Desc)],
            ["a2", "a5", "a1", "a4", "a3", "a6"],
        ),
        // false < true; a3 (null) last.
        (
            "active asc",
            vec![("active", Asc)],
            ["a2", "a6", "a1", "a4", "a5", "a3"],
        ),
        (
            "active desc, score asc",
            vec![("active", Desc), ("score", Asc)],
            ["a3", "a1", "a5", "a4", "a6", "a2"],
        ),
        // Lists compare element by element, a prefix first; the empty list (a3) is null.
        (
            "tags asc",
            vec![("tags", Asc)],
            ["a2", "a4", "a6", "a1", "a5", "a3"],
        ),
        // Codes are text: `36.02` < `36.02.13` < `36.021` (`.` sorts before `1`).
        (
            "region asc_nulls_first",
            vec![("region", AscNullsFirst)],
            ["a5", "a4", "a2", "a1", "a6", "a3"],
        ),
    ];
    let mut misses = Vec::new();
    for (what, order, expected) in cases {
        match run(&request(None, &order)) {
            Ok((ids, 6)) if ids == expected => {}
            other => misses.push(format!("{what}: expected {expected:?}, got {other:?}")),
        }
    }
    assert!(misses.is_empty(), "\n{}", misses.join("\n"));
}

#[test]
fn paging_and_lookups_by_id() {
    use Direction::*;
    let page =
        |filter: Option<Filter>, order: &[(&str, Direction)], offset: u64, limit: Option<u64>| {
            let mut r = request(filter, order);
            r.offset = offset;
            r.limit = limit;
            run(&r).unwrap()
        };
    // year asc: a5, a2, a1, a3, a6, a4.
    assert_eq!(
        page(None, &[("year", Asc)], 1, Some(2)),
        (vec!["a2", "a1"], 6)
    );
    assert_eq!(
        page(None, &[("year", Asc)], 4, Some(10)),
        (vec!["a6", "a4"], 6)
    );
    assert_eq!(page(None, &[("year", Asc)], 10, None), (vec![], 6));
    assert_eq!(page(None, &[("year", Asc)], 0, Some(0)), (vec![], 6));
    // year >= 1985 is a1, a3, a6; desc: a3, a6, a1 (the tie keeps input order).
    let recent = Some(cmp("year", Gte, 1985_i64));
    assert_eq!(
        page(recent.clone(), &[("year", Desc)], 0, Some(1)),
        (vec!["a3"], 3)
    );
    assert_eq!(
        page(recent, &[("year", Desc)], 1, Some(5)),
        (vec!["a6", "a1"], 3)
    );
    // No order: the input's order.
    assert_eq!(page(None, &[], 2, Some(3)), (vec!["a3", "a4", "a5"], 6));

    // Lookups by id: in input order, unknown ids ignored, then the filter.
    let mut r = request(None, &[]);
    r.ids = Some(vec!["a5".into(), "zz".into(), "a2".into()]);
    assert_eq!(run(&r).unwrap(), (vec!["a2", "a5"], 2));
    r.filter = Some(cmp("active", Eq, true));
    assert_eq!(run(&r).unwrap(), (vec!["a5"], 1));
}

#[test]
fn malformed_filters_are_refused_whatever_the_data() {
    let refused = |what: &str, filter: Filter| {
        // Refused on the table, and on no records at all: the check does not depend on data.
        for records in [table(), Vec::new()] {
            let r = request(Some(filter.clone()), &[]);
            assert!(
                filter::apply(&records, &r).is_err(),
                "{what} accepted on {} records",
                records.len()
            );
        }
    };
    refused("unknown field", cmp("nope", Eq, 1_i64));
    refused("_in with a single value", cmp("year", In, 1990_i64));
    refused("_nin with a single value", cmp("year", Nin, "x"));
    refused("_eq with a list", cmp("year", Eq, list([1990_i64])));
    refused(
        "_in with a nested list",
        cmp("year", In, Literal::List(vec![list([1_i64])])),
    );
    refused("_like with a number", cmp("name", Like, 5_i64));
    refused("_ilike with a boolean", cmp("name", Ilike, true));
    refused("_prefix with a number", cmp("region", Prefix, 36_i64));
    refused("_is_null with text", cmp("year", IsNull, "yes"));
    refused(
        "deep inside _and/_or/_not",
        Filter::And(vec![Filter::Or(vec![not(cmp("nope", Eq, 1_i64))])]),
    );
    let mut r = request(None, &[("nope", Direction::Asc)]);
    assert_eq!(
        filter::apply(&table(), &r).map(|_| ()),
        Err(FilterError::UnknownField("nope".into()))
    );
    // A relation filter is resolved by the gateway; evaluating one here is an error.
    r.order_by.clear();
    r.filter = Some(Filter::Related {
        relation: "enrollments".into(),
        filter: Box::new(cmp("year", Eq, 1_i64)),
    });
    assert_eq!(
        filter::apply(&table(), &r).map(|_| ()),
        Err(FilterError::UnresolvedRelation("enrollments".into()))
    );
    // `_like` on a number field passes the literal check but cannot be evaluated.
    let r = request(Some(cmp("year", Like, "19%")), &[]);
    assert!(filter::apply(&table(), &r).is_err());
}
