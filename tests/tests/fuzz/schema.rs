//! The schema, read from the served SDL, so that generated inputs follow it as it changes.

use std::collections::HashMap;

#[derive(Clone, Debug)]
pub(crate) enum Ty {
    Named(String),
    List(Box<Ty>),
    NonNull(Box<Ty>),
}

impl Ty {
    fn parse(text: &str) -> Ty {
        let text = text.trim();
        if let Some(inner) = text.strip_suffix('!') {
            return Ty::NonNull(Box::new(Ty::parse(inner)));
        }
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return Ty::List(Box::new(Ty::parse(inner)));
        }
        Ty::Named(text.to_owned())
    }

    pub(crate) fn named(&self) -> &str {
        match self {
            Ty::Named(n) => n,
            Ty::List(t) | Ty::NonNull(t) => t.named(),
        }
    }

    pub(crate) fn render(&self) -> String {
        match self {
            Ty::Named(n) => n.clone(),
            Ty::List(t) => format!("[{}]", t.render()),
            Ty::NonNull(t) => format!("{}!", t.render()),
        }
    }

    pub(crate) fn required(&self) -> bool {
        matches!(self, Ty::NonNull(_))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Arg {
    pub(crate) name: String,
    pub(crate) ty: Ty,
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) args: Vec<Arg>,
    pub(crate) ty: Ty,
}

#[derive(Debug)]
pub(crate) enum Def {
    Object(Vec<Field>),
    Interface(Vec<Field>),
    Input(Vec<Arg>),
    Enum(Vec<String>),
    Scalar,
    Union(Vec<String>),
}

pub(crate) struct Sdl {
    pub(crate) defs: HashMap<String, Def>,
    pub(crate) implementors: HashMap<String, Vec<String>>,
}

impl Sdl {
    pub(crate) fn parse(text: &str) -> Sdl {
        let mut clean = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("\"\"\"") {
            clean.push_str(&rest[..start]);
            let after = &rest[start + 3..];
            let end = after.find("\"\"\"").expect("a closed description");
            rest = &after[end + 3..];
        }
        clean.push_str(rest);
        let mut defs = HashMap::new();
        let mut implementors: HashMap<String, Vec<String>> = HashMap::new();
        let mut open: Option<(String, String, Vec<String>)> = None;
        for line in clean.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some((keyword, name, body)) = open.as_mut() {
                if line == "}" {
                    let def = match keyword.as_str() {
                        "type" => Some(Def::Object(body.iter().map(|l| field(l)).collect())),
                        "interface" => {
                            Some(Def::Interface(body.iter().map(|l| field(l)).collect()))
                        }
                        "input" => Some(Def::Input(body.iter().map(|l| arg(l)).collect())),
                        "enum" => Some(Def::Enum(
                            body.iter()
                                .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
                                .collect(),
                        )),
                        _ => None,
                    };
                    if let Some(def) = def {
                        defs.insert(name.clone(), def);
                    }
                    open = None;
                } else {
                    body.push(line.to_owned());
                }
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [keyword @ ("type" | "input" | "enum" | "interface"), name, rest @ ..] => {
                    if let Some(i) = rest.iter().position(|w| *w == "implements") {
                        for interface in rest[i + 1..].iter().filter(|w| !matches!(**w, "&" | "{"))
                        {
                            implementors
                                .entry((*interface).to_owned())
                                .or_default()
                                .push((*name).to_owned());
                        }
                    }
                    open = Some(((*keyword).to_owned(), (*name).to_owned(), Vec::new()));
                }
                ["schema", ..] => open = Some(("schema".into(), "schema".into(), Vec::new())),
                ["scalar", name, ..] => {
                    defs.insert((*name).to_owned(), Def::Scalar);
                }
                ["union", name, "=", members @ ..] => {
                    let members = members
                        .iter()
                        .filter(|m| **m != "|")
                        .map(|m| (*m).to_owned())
                        .collect();
                    defs.insert((*name).to_owned(), Def::Union(members));
                }
                _ => {}
            }
        }
        assert!(defs.contains_key("Query"), "the SDL has a Query type");
        Sdl { defs, implementors }
    }

    pub(crate) fn fields(&self, type_name: &str) -> &[Field] {
        match self.defs.get(type_name) {
            Some(Def::Object(fields) | Def::Interface(fields)) => fields,
            _ => &[],
        }
    }

    pub(crate) fn query_field(&self, name: &str) -> Field {
        self.fields("Query")
            .iter()
            .find(|f| f.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no Query.{name} in the SDL"))
    }

    pub(crate) fn is_leaf(&self, type_name: &str) -> bool {
        matches!(
            self.defs.get(type_name),
            Some(Def::Scalar | Def::Enum(_)) | None
        )
    }
}

fn field(line: &str) -> Field {
    let line = line.split(" @").next().unwrap_or(line);
    let (head, ty) = match line.find('(') {
        Some(open) => {
            let close = line.rfind(')').expect("closed arguments");
            let ty = line[close + 1..].trim_start_matches(':');
            ((&line[..open], Some(&line[open + 1..close])), ty)
        }
        None => {
            let (name, ty) = line.split_once(':').expect("name: Type");
            ((name, None), ty)
        }
    };
    Field {
        name: head.0.trim().to_owned(),
        args: head
            .1
            .map(|args| args.split(',').map(arg).collect())
            .unwrap_or_default(),
        ty: Ty::parse(ty),
    }
}

fn arg(text: &str) -> Arg {
    let text = text.split('=').next().unwrap_or(text);
    let (name, ty) = text.split_once(':').expect("name: Type");
    Arg {
        name: name.trim().to_owned(),
        ty: Ty::parse(ty),
    }
}

impl Ty {
    /// The item type of a list (or the type itself).
    pub(crate) fn item(&self) -> &Ty {
        match self {
            Ty::NonNull(inner) => inner.item(),
            Ty::List(inner) => inner,
            named => named,
        }
    }
}
