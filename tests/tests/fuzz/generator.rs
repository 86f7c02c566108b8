//! The generator: a seeded random source over the schema and the corpus. Owns the dice, random
//! values of a schema type (right and wrong), random documents, and the choice of a category
//! ([`Generator::case`]). Each category's requests are made in its own module (`gen_*.rs`);
//! forged ids and cursors in `forge.rs`.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};

use crate::client::HttpRequest;
use crate::corpus::Corpus;
use crate::pools::{
    BAD_DATES, BAD_REGIONS, DATES, EXTREME_INTS, FLOATS, INTS, RAW_NUMBERS, REGIONS, WORDS,
};
use crate::schema::{Def, Field, Sdl, Ty};
use crate::values::Val;
use crate::CATEGORIES;

/// A generated request and where it came from.
pub(crate) struct Case {
    pub(crate) category: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) request: HttpRequest,
}

pub(crate) struct Generator<'a> {
    pub(crate) rng: StdRng,
    pub(crate) sdl: Sdl,
    pub(crate) corpus: &'a Corpus,
    /// The categories still to deal in this round ([`Generator::next_category`]).
    deck: Vec<&'static str>,
}

pub(crate) const LISTS: &[&str] = &["trainingCenters", "courses", "courseRuns", "participants"];
pub(crate) const AGGREGATES: &[&str] = &[
    "enrollments_aggregate",
    "participants_aggregate",
    "courseRuns_aggregate",
];
const SENSITIVE: &[&str] = &[
    "nik",
    "fullName",
    "phone",
    "birthDate",
    "kpj",
    "email",
    "address",
];

impl<'a> Generator<'a> {
    pub(crate) fn new(seed: u64, sdl: Sdl, corpus: &'a Corpus) -> Generator<'a> {
        Generator {
            rng: StdRng::seed_from_u64(seed),
            sdl,
            corpus,
            deck: Vec::new(),
        }
    }

    // --- dice

    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    pub(crate) fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Log-uniform in `1..=max`: small sizes often, huge ones sometimes.
    pub(crate) fn size(&mut self, max: usize) -> usize {
        let bits = (usize::BITS - max.leading_zeros()) as usize;
        let top = 1_usize << self.below(bits + 1).min(bits);
        (1 + self.below(top)).min(max)
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.rng.fill_bytes(&mut out);
        out
    }

    pub(crate) fn extreme(&mut self) -> i128 {
        if self.chance(0.6) {
            self.pick(&[-2_147_483_648, -1, 0, 1, 20, 100, 101, 1000, 2_147_483_647])
        } else {
            self.pick(INTS)
        }
    }

    pub(crate) fn word(&mut self) -> String {
        match self.below(6) {
            0 => {
                let n = self.below(24);
                (0..n)
                    .map(|_| char::from(b' ' + self.below(95) as u8))
                    .collect()
            }
            1 => {
                let n = 1 + self.below(12);
                (0..n)
                    .map(|_| {
                        char::from_u32(self.rng.random_range(0..0x11_0000)).unwrap_or('\u{fffd}')
                    })
                    .collect()
            }
            _ => self.pick(WORDS).to_owned(),
        }
    }

    // --- values

    pub(crate) fn value(&mut self, ty: &Ty, hint: &str, op: &str, depth: usize, wrong: f64) -> Val {
        if self.chance(wrong) {
            return self.wrong_value(depth);
        }
        match ty {
            Ty::NonNull(inner) => self.value(inner, hint, op, depth, wrong),
            Ty::List(inner) => {
                let n = if matches!(op, "_in" | "_nin") && self.chance(0.05) {
                    self.size(100_000)
                } else if depth > 3 {
                    self.below(2)
                } else {
                    self.below(4)
                };
                Val::List(
                    (0..n)
                        .map(|_| self.value(inner, hint, op, depth + 1, wrong))
                        .collect(),
                )
            }
            Ty::Named(name) => match self.sdl.defs.get(name) {
                Some(Def::Enum(values)) => {
                    let values = values.clone();
                    Val::Enum(self.pick(&values))
                }
                Some(Def::Input(fields)) => {
                    if depth > 5 {
                        return Val::Obj(Vec::new());
                    }
                    let fields = fields.clone();
                    let mut out: Vec<(String, Val)> = Vec::new();
                    for _ in 0..1 + self.below(3) {
                        let f = self.pick(&fields);
                        if out.iter().any(|(k, _)| *k == f.name) {
                            continue;
                        }
                        let (h, o) = if f.name.starts_with('_') {
                            (hint, f.name.as_str())
                        } else {
                            (f.name.as_str(), "")
                        };
                        let v = self.value(&f.ty, h, o, depth + 1, wrong);
                        out.push((f.name.clone(), v));
                    }
                    Val::Obj(out)
                }
                _ => self.scalar(name, hint, op),
            },
        }
    }

    fn scalar(&mut self, name: &str, hint: &str, op: &str) -> Val {
        match name {
            "Int" => Val::Int(match hint {
                "first" | "last" | "limit" => self.pick(&[1, 2, 3, 5, 10]),
                "offset" => self.pick(&[0, 1, 5, 10]),
                "birthYear" | "fiscalYear" => self.pick(&[1980, 1990, 2000, 2023, 2024]),
                _ => self.pick(INTS),
            }),
            "Float" => Val::Float(self.pick(FLOATS)),
            "Boolean" => Val::Bool(self.chance(0.5)),
            "ID" => Val::Str(if self.chance(0.6) {
                self.real_id()
            } else {
                self.forged_id()
            }),
            "Date" => Val::Str(self.pick(DATES).to_owned()),
            "RegionCode" => Val::Str(
                if self.chance(0.5) && !self.corpus.region_codes.is_empty() {
                    let corpus = self.corpus;
                    self.pick(&corpus.region_codes)
                } else {
                    self.pick(REGIONS).to_owned()
                },
            ),
            _ => Val::Str(match (hint, op) {
                (_, "_like" | "_ilike") => self.like_pattern(),
                ("provider", _) => self
                    .pick(&["spn", "bbplk", "bpjamsostek", "SPN", "x"])
                    .to_owned(),
                ("after" | "before", _) => self.forged_cursor("any"),
                _ => self.word(),
            }),
        }
    }

    pub(crate) fn like_pattern(&mut self) -> String {
        match self.below(8) {
            0 => "%".repeat(self.size(200_000)),
            1 => "%a".repeat(self.size(60_000)),
            2 => "_".repeat(self.size(100_000)),
            3 => format!("%{}%", "x".repeat(self.size(300_000))),
            4 => "\\".repeat(self.size(1000)),
            _ => self
                .pick(&[
                    "%", "%a%", "BLK%", "%Lebak", "_", "%\\%%", "\\", "%%%%", "[a-z]%", "a_b",
                ])
                .to_owned(),
        }
    }

    /// A value of a random other type.
    pub(crate) fn wrong_value(&mut self, depth: usize) -> Val {
        match self.below(12) {
            0 => Val::Null,
            1 => Val::Bool(self.chance(0.5)),
            2 => Val::Int(self.pick(EXTREME_INTS)),
            3 => Val::Float(self.pick(FLOATS)),
            4 => Val::Raw(self.pick(RAW_NUMBERS).to_owned()),
            5 => Val::Str(self.word()),
            6 => Val::Str(self.pick(BAD_DATES).to_owned()),
            7 => Val::Str(self.pick(BAD_REGIONS).to_owned()),
            8 => Val::Enum(
                self.pick(&["FOO", "asc", "ASC", "desc_nulls", "true", "null_", "_", "Ω"])
                    .to_owned(),
            ),
            9 if depth < 4 => Val::List(
                (0..self.below(3))
                    .map(|_| self.wrong_value(depth + 1))
                    .collect(),
            ),
            10 if depth < 4 => Val::Obj(vec![(
                self.pick(&["_eq", "_nope", "a", "__typename", "_and", "where"])
                    .to_owned(),
                self.wrong_value(depth + 1),
            )]),
            _ => Val::Str(String::new()),
        }
    }

    // --- documents

    fn args(&mut self, field: &Field, wrong: f64, keep: f64) -> String {
        let mut parts = Vec::new();
        for a in &field.args {
            let paging = matches!(a.name.as_str(), "first" | "limit");
            if a.ty.required() || self.chance(if paging { 0.7 } else { keep }) {
                let v = self.value(&a.ty, &a.name, "", 0, wrong);
                parts.push(format!("{}: {}", a.name, v.gql()));
            }
        }
        if self.chance(wrong / 4.0) {
            parts.push(format!(
                "{}: {}",
                self.pick(&["nope", "first", "where", "_eq"]),
                self.wrong_value(0).gql()
            ));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("({})", parts.join(", "))
        }
    }

    pub(crate) fn selection(
        &mut self,
        type_name: &str,
        depth: usize,
        max_depth: usize,
        wrong: f64,
    ) -> String {
        let fields = self.sdl.fields(type_name).to_vec();
        let union = match self.sdl.defs.get(type_name) {
            Some(Def::Union(members)) => Some(members.clone()),
            _ => None,
        };
        if fields.is_empty() && union.is_none() {
            return "__typename".into();
        }
        let mut parts = Vec::new();
        if union.is_some() || matches!(self.sdl.defs.get(type_name), Some(Def::Interface(_))) {
            parts.push(
                if union.is_some() {
                    "__typename"
                } else {
                    "__typename id"
                }
                .to_owned(),
            );
            let implementors = union
                .or_else(|| self.sdl.implementors.get(type_name).cloned())
                .unwrap_or_default();
            if !implementors.is_empty() && depth < max_depth {
                // Distinct types: two fragments on one type could select one field with
                // different arguments, which validation rightly refuses as a conflict.
                let mut picked: Vec<String> = Vec::new();
                for _ in 0..1 + self.below(2) {
                    let t = self.pick(&implementors);
                    if picked.contains(&t) {
                        continue;
                    }
                    let inner = self.selection(&t, depth + 1, max_depth, wrong);
                    parts.push(format!("... on {t} {{ {inner} }}"));
                    picked.push(t);
                }
            }
            return parts.join(" ");
        }
        let mut chosen: Vec<usize> = (0..fields.len()).collect();
        for i in (1..chosen.len()).rev() {
            let j = self.below(i + 1);
            chosen.swap(i, j);
        }
        chosen.truncate(1 + self.below(4));
        for i in chosen {
            let f = &fields[i];
            let named = f.ty.named().to_owned();
            let args = if f.args.iter().any(|a| a.ty.required()) || self.chance(0.3) {
                self.args(f, wrong, 0.2)
            } else {
                String::new()
            };
            if self.sdl.is_leaf(&named) {
                parts.push(format!("{}{args}", f.name));
            } else if depth >= max_depth {
                parts.push(format!("{}{args} {{ __typename }}", f.name));
            } else {
                let inner = self.selection(&named, depth + 1, max_depth, wrong);
                parts.push(format!("{}{args} {{ {inner} }}", f.name));
            }
        }
        if type_name == "Participant" && self.chance(0.3) {
            // Personal data: refused without the scope, and never a clear NIK.
            parts.push(self.pick(SENSITIVE).to_owned());
        }
        parts.join(" ")
    }

    /// A root field with arguments and a selection: `name(args) { ... }`.
    fn root(&mut self, field: &Field, wrong: f64) -> String {
        let args = self.args(field, wrong, 0.35);
        let named = field.ty.named().to_owned();
        if self.sdl.is_leaf(&named) {
            return format!("{}{args}", field.name);
        }
        let max_depth = if self.chance(0.05) {
            11 + self.below(5)
        } else {
            1 + self.below(4)
        };
        let inner = self.selection(&named, 1, max_depth, wrong);
        format!("{}{args} {{ {inner} }}", field.name)
    }

    /// A random document: one to three root fields under aliases.
    pub(crate) fn document(&mut self, wrong: f64) -> String {
        let roots = self.sdl.fields("Query").to_vec();
        let parts: Vec<String> = (0..1 + self.below(3))
            .map(|i| {
                let f = self.pick(&roots);
                format!("q{i}: {}", self.root(&f, wrong))
            })
            .collect();
        format!("{{ {} }}", parts.join(" "))
    }

    /// A list field with these arguments and a selection that shows cursors.
    pub(crate) fn list_query(&mut self, list: &str, args: &str) -> String {
        let node = self.pick(&["id", "id __typename", "id provider { key }"]);
        format!(
            "{{ {list}{args} {{ totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor node {{ {node} }} }} }} }}"
        )
    }

    /// Usually `application/json`, sometimes the GraphQL response type (400 for request errors).
    pub(crate) fn accept(&mut self, request: HttpRequest) -> HttpRequest {
        if self.chance(0.3) {
            request.set("accept", "application/graphql-response+json")
        } else {
            request
        }
    }

    pub(crate) fn post(&mut self, query: &str) -> HttpRequest {
        let request = HttpRequest::graphql(query, None);
        self.accept(request)
    }

    // --- categories

    /// The next category: categories are dealt from a shuffled deck that holds each one as
    /// many times as its weight, so every category comes once in every deck's worth of
    /// requests (107), in seeded order, and a short run still covers them all.
    fn next_category(&mut self) -> &'static str {
        if self.deck.is_empty() {
            self.deck = CATEGORIES
                .iter()
                .flat_map(|(name, weight)| std::iter::repeat_n(*name, *weight as usize))
                .collect();
            for i in (1..self.deck.len()).rev() {
                let j = self.below(i + 1);
                self.deck.swap(i, j);
            }
        }
        self.deck.pop().expect("a full deck")
    }

    fn generate(&mut self, category: &'static str) -> (&'static str, HttpRequest) {
        match category {
            "bytes" => self.random_bytes(),
            "json" => self.random_json(),
            "shape" => self.shape(),
            "http" => self.http(),
            "get" => self.get(),
            "syntax" => self.syntax(),
            "huge" => self.huge(),
            "deep" => self.deep(),
            "variables" => self.variables(),
            "ids" => self.ids(),
            "cursors" => self.cursors(),
            "paging" => self.paging(),
            "filters" => self.filters(),
            "aggregates" => self.aggregates(),
            _ => {
                // The baseline: two in three documents valid, the rest with 3 % wrong values.
                if self.chance(2.0 / 3.0) {
                    let q = self.document(0.0);
                    ("valid", self.post(&q))
                } else {
                    let q = self.document(0.03);
                    ("random", self.post(&q))
                }
            }
        }
    }

    /// The next request: of the next category in the deck, of a kind not quarantined (a kind
    /// that brought the gateway down is not sent again; when every kind of a category is, the
    /// category is skipped).
    pub(crate) fn case(&mut self, quarantined: &BTreeSet<String>) -> Case {
        for _ in 0..2 * CATEGORIES.iter().map(|c| c.1 as usize).sum::<usize>() {
            let category = self.next_category();
            for _ in 0..50 {
                let (kind, request) = self.generate(category);
                if !quarantined.contains(&format!("{category}/{kind}")) {
                    return Case {
                        category,
                        kind,
                        request,
                    };
                }
            }
        }
        Case {
            category: "query",
            kind: "valid",
            request: HttpRequest::graphql("{ __typename }", None),
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
