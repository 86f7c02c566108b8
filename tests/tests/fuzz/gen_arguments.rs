//! Requests of the categories `variables`, `ids`, `cursors`, `paging`, `filters` and
//! `aggregates`: arguments of the schema's root fields filled with wrong variables, forged ids
//! and cursors, extreme page sizes, and random `where`, `order_by`, `group_by` and `having`.

use crate::client::HttpRequest;
use crate::generator::{Generator, AGGREGATES, LISTS};
use crate::pools::{BAD_REGIONS, REGIONS};
use crate::schema::{Def, Field};
use crate::values::json_string;

impl Generator<'_> {
    pub(crate) fn variables(&mut self) -> (&'static str, HttpRequest) {
        // A root field whose arguments all come from variables.
        let roots: Vec<Field> = self
            .sdl
            .fields("Query")
            .iter()
            .filter(|f| !f.args.is_empty())
            .cloned()
            .collect();
        let f = self.pick(&roots);
        let mut defs = Vec::new();
        let mut uses = Vec::new();
        let mut values: Vec<(String, String)> = Vec::new();
        let kind = self.pick(&[
            "wrong-type",
            "missing",
            "extra",
            "null",
            "huge-list",
            "declared-type",
            "undefined",
            "numbers",
            "valid",
            "default",
        ]);
        for (i, a) in f.args.iter().enumerate() {
            if !a.ty.required() && !self.chance(0.6) {
                continue;
            }
            let name = format!("v{i}");
            let declared = if kind == "declared-type" && self.chance(0.5) {
                self.pick(&[
                    "Int",
                    "String!",
                    "[ID!]!",
                    "Boolean",
                    "Nope",
                    "TrainingCenterBoolExp",
                    "[[Int]]",
                    "ID",
                ])
                .to_owned()
            } else {
                a.ty.render()
            };
            let default = if kind == "default" && self.chance(0.5) {
                format!(" = {}", self.value(&a.ty, &a.name, "", 0, 0.5).gql())
            } else {
                String::new()
            };
            defs.push(format!("${name}: {declared}{default}"));
            uses.push(format!("{}: ${name}", a.name));
            let v = match kind {
                "wrong-type" => self.wrong_value(0).json(),
                "null" => "null".to_owned(),
                "numbers" => self
                    .pick(&[
                        "1e400",
                        "-0",
                        "9007199254740993",
                        "2147483648",
                        "1.0",
                        "-2147483649",
                        "1e2",
                        "0.1",
                    ])
                    .to_owned(),
                "huge-list" => {
                    let n = self.size(100_000);
                    let item = self.value(a.ty.item(), &a.name, "", 1, 0.0).json();
                    format!("[{}]", vec![item; n].join(","))
                }
                _ => self.value(&a.ty, &a.name, "", 0, 0.05).json(),
            };
            values.push((name, v));
        }
        if kind == "missing" && !values.is_empty() {
            let i = self.below(values.len());
            values.remove(i);
        }
        if kind == "extra" {
            values.push((format!("extra{}", self.below(9)), self.json_value(1)));
        }
        if kind == "undefined" {
            uses.push(format!("{}: $undefined", f.args[0].name));
        }
        let selection = if self.sdl.is_leaf(f.ty.named()) {
            String::new()
        } else {
            let named = f.ty.named().to_owned();
            format!(" {{ {} }}", self.selection(&named, 1, 2, 0.0))
        };
        let query = format!(
            "query Q{} {{ {}{}{selection} }}",
            if defs.is_empty() {
                String::new()
            } else {
                format!("({})", defs.join(", "))
            },
            f.name,
            if uses.is_empty() {
                String::new()
            } else {
                format!("({})", uses.join(", "))
            },
        );
        let variables = format!(
            "{{{}}}",
            values
                .iter()
                .map(|(k, v)| format!("{}:{v}", json_string(k)))
                .collect::<Vec<_>>()
                .join(",")
        );
        let request = HttpRequest::graphql(&query, Some(&variables));
        (kind, self.accept(request))
    }

    pub(crate) fn ids(&mut self) -> (&'static str, HttpRequest) {
        let sel = "__typename id ... on TrainingCenter { name } ... on Participant { sourceId nikMasked } ... on Person { providers }";
        match self.below(6) {
            0 => {
                let id = self.forged_id();
                (
                    "node",
                    self.post(&format!("{{ node(id: {}) {{ {sel} }} }}", json_string(&id))),
                )
            }
            1 => {
                let n = self.size(150);
                let ids: Vec<String> = (0..n)
                    .map(|_| {
                        let id = if self.chance(0.5) {
                            self.real_id()
                        } else {
                            self.forged_id()
                        };
                        json_string(&id)
                    })
                    .collect();
                let request = HttpRequest::graphql(
                    &format!("query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {sel} }} }}"),
                    Some(&format!("{{\"ids\":[{}]}}", ids.join(","))),
                );
                ("nodes", self.accept(request))
            }
            2 => {
                let corpus = self.corpus;
                let people = corpus.ids_of("Person");
                let id = if self.chance(0.3) && !people.is_empty() {
                    self.pick(&people).to_owned()
                } else {
                    self.forged_id()
                };
                ("person", self.post(&format!("{{ person(id: {}) {{ id providers participantRecords {{ sourceId nikMasked }} }} }}", json_string(&id))))
            }
            3 => {
                let (list, field) = self.pick(&[
                    ("courses", "trainingCenterId"),
                    ("courseRuns", "courseId"),
                    ("courseRuns", "trainingCenterId"),
                ]);
                let ids: Vec<String> = (0..1 + self.below(4))
                    .map(|_| json_string(&self.forged_id()))
                    .collect();
                let op = if self.chance(0.5) {
                    format!("_eq: {}", ids[0])
                } else {
                    format!("_in: [{}]", ids.join(", "))
                };
                ("filter", self.post(&format!("{{ {list}(first: 5, where: {{ {field}: {{ {op} }} }}) {{ totalCount nodes {{ id }} }} }}")))
            }
            4 => {
                let id = self.forged_id();
                let request = HttpRequest::graphql(
                    &format!("query($id: ID!) {{ node(id: $id) {{ {sel} }} }}"),
                    Some(&format!("{{\"id\":{}}}", json_string(&id))),
                );
                ("node-variable", self.accept(request))
            }
            _ => {
                let id = self.real_id();
                (
                    "real",
                    self.post(&format!("{{ node(id: {}) {{ {sel} }} }}", json_string(&id))),
                )
            }
        }
    }

    pub(crate) fn cursors(&mut self) -> (&'static str, HttpRequest) {
        let nested = self.chance(0.15);
        let list = if self.chance(0.15) {
            "partnerships"
        } else {
            self.pick(LISTS)
        };
        let cursor = self.forged_cursor(if nested { "course.runs" } else { list });
        let which = if list == "partnerships" || nested {
            "after"
        } else {
            self.pick(&["after", "before"])
        };
        let size = match (which, list, nested) {
            ("before", _, _) => format!("last: {}", 1 + self.below(5)),
            _ => format!("first: {}", 1 + self.below(5)),
        };
        let order = if !nested && list != "partnerships" && self.chance(0.3) {
            match list {
                "courseRuns" => ", order_by: [{ startDate: desc }]",
                "participants" => ", order_by: [{ birthYear: asc }]",
                "trainingCenters" => ", order_by: [{ name: desc }]",
                _ => ", order_by: [{ name: asc }]",
            }
        } else {
            ""
        };
        let args = format!("({size}, {which}: {}{order})", json_string(&cursor));
        let query = if nested {
            format!("{{ courses(first: 3) {{ nodes {{ runs{args} {{ totalCount edges {{ cursor }} }} }} }} }}")
        } else {
            self.list_query(list, &args)
        };
        (
            if nested { "nested" } else { which_kind(which) },
            self.post(&query),
        )
    }

    pub(crate) fn paging(&mut self) -> (&'static str, HttpRequest) {
        let list = self.pick(LISTS);
        let (a, b) = (self.extreme(), self.extreme());
        let (kind, args) = match self.below(7) {
            0 => ("first", format!("(first: {a})")),
            1 => ("last", format!("(last: {a})")),
            2 => ("first-and-last", format!("(first: {a}, last: {b})")),
            3 => ("limit-offset", format!("(limit: {a}, offset: {b})")),
            4 => ("offset", format!("(offset: {a})")),
            5 => ("limit-and-first", format!("(limit: {a}, first: {b})")),
            _ => {
                let q = format!("{{ courses(first: 2) {{ nodes {{ runs(first: {a}) {{ totalCount nodes {{ code }} }} }} }} participants(first: 2) {{ nodes {{ enrollments(first: {b}) {{ totalCount }} }} }} }}");
                return ("nested", self.post(&q));
            }
        };
        let q = self.list_query(list, &args);
        (kind, self.post(&q))
    }

    pub(crate) fn filters(&mut self) -> (&'static str, HttpRequest) {
        let list = self.pick(LISTS);
        let f = self.sdl.query_field(list);
        let where_ty = f
            .args
            .iter()
            .find(|a| a.name == "where")
            .map(|a| a.ty.clone())
            .expect("a where argument");
        let order_ty = f
            .args
            .iter()
            .find(|a| a.name == "order_by")
            .map(|a| a.ty.clone())
            .expect("an order_by argument");
        let (kind, filter) = match self.below(6) {
            0 => ("like", {
                let field = match list {
                    "participants" => "sex",
                    "courseRuns" => "code",
                    _ => "name",
                };
                format!(
                    "{{ {field}: {{ {}: {} }} }}",
                    self.pick(&["_like", "_ilike"]),
                    json_string(&self.like_pattern())
                )
            }),
            1 => ("in", {
                let n = self.size(100_000);
                let (field, item) = match list {
                    "courseRuns" => ("fiscalYear", "2023".to_owned()),
                    "participants" => ("birthYear", "1990".to_owned()),
                    _ => ("provider", json_string("spn")),
                };
                format!(
                    "{{ {field}: {{ {}: [{}] }} }}",
                    self.pick(&["_in", "_nin"]),
                    vec![item; n].join(", ")
                )
            }),
            2 => ("prefix", {
                let field = match list {
                    "participants" => "domicileRegencyCode",
                    "courses" => "trainingCenter: { regionCode",
                    _ => "regionCode",
                };
                let code = if self.chance(0.5) {
                    self.pick(BAD_REGIONS)
                } else {
                    self.pick(REGIONS)
                };
                let close = if field.contains('{') { " }" } else { "" };
                format!("{{ {field}: {{ _prefix: {} }}{close} }}", json_string(code))
            }),
            3 => (
                "wrong-literals",
                self.value(&where_ty, "", "", 0, 0.3).gql(),
            ),
            _ => ("random", self.value(&where_ty, "", "", 0, 0.03).gql()),
        };
        let order = if self.chance(0.4) {
            format!(
                ", order_by: {}",
                self.value(&order_ty, "", "", 0, 0.1).gql()
            )
        } else {
            String::new()
        };
        let first = 1 + self.below(10);
        let q = self.list_query(list, &format!("(first: {first}, where: {filter}{order})"));
        (kind, self.post(&q))
    }

    pub(crate) fn aggregates(&mut self) -> (&'static str, HttpRequest) {
        let name = self.pick(AGGREGATES);
        let f = self.sdl.query_field(name);
        let arg_ty = |n: &str| {
            f.args
                .iter()
                .find(|a| a.name == n)
                .map(|a| a.ty.clone())
                .expect("an aggregate argument")
        };
        let (where_ty, group_ty, having_ty) =
            (arg_ty("where"), arg_ty("group_by"), arg_ty("having"));
        let group_values = match self.sdl.defs.get(group_ty.named()) {
            Some(Def::Enum(values)) => values.clone(),
            _ => Vec::new(),
        };
        let kind = self.pick(&[
            "random",
            "group-by-all",
            "group-by-repeated",
            "having",
            "wrong-literals",
        ]);
        let mut args = Vec::new();
        if kind != "group-by-all" || self.chance(0.5) {
            args.push(format!(
                "where: {}",
                self.value(
                    &where_ty,
                    "",
                    "",
                    0,
                    if kind == "wrong-literals" { 0.3 } else { 0.02 }
                )
                .gql()
            ));
        }
        match kind {
            "group-by-all" => args.push(format!("group_by: [{}]", group_values.join(", "))),
            "group-by-repeated" => {
                let g = self.pick(&group_values);
                args.push(format!(
                    "group_by: [{}]",
                    vec![g; self.size(500)].join(", ")
                ));
            }
            _ => args.push(format!(
                "group_by: {}",
                self.value(&group_ty, "", "", 0, 0.05).gql()
            )),
        }
        if kind == "having" || self.chance(0.3) {
            let having = if kind == "having" && self.chance(0.5) {
                format!(
                    "{{ count: {{ {}: {} }} }}",
                    self.pick(&["_gt", "_lt", "_eq", "_in", "_is_null", "_gte"]),
                    self.wrong_value(0).gql()
                )
            } else {
                self.value(&having_ty, "", "", 0, 0.05).gql()
            };
            args.push(format!("having: {having}"));
        }
        let named = f.ty.named().to_owned();
        let selection = self.selection(&named, 1, 4, 0.0);
        let q = format!(
            "{{ {name}({}) {{ {selection} aggregate {{ count }} suppressedGroups }} }}",
            args.join(", ")
        );
        (kind, self.post(&q))
    }
}

fn which_kind(which: &str) -> &'static str {
    if which == "before" {
        "before"
    } else {
        "after"
    }
}
