//! Values, written either as GraphQL literals or as JSON variables, and the JSON-string and
//! percent encodings the requests are written with.

use std::fmt::Write as _;

use serde_json::Value;

#[derive(Clone, Debug)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    /// Number text as is (`1e999`, `0x10`).
    Raw(String),
    Str(String),
    Enum(String),
    List(Vec<Val>),
    Obj(Vec<(String, Val)>),
}

impl Val {
    pub(crate) fn gql(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => format!("{f:?}"),
            Val::Raw(r) => r.clone(),
            Val::Str(s) => json_string(s),
            Val::Enum(e) => e.clone(),
            Val::List(items) => {
                format!(
                    "[{}]",
                    items.iter().map(Val::gql).collect::<Vec<_>>().join(", ")
                )
            }
            Val::Obj(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.gql()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub(crate) fn json(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) if f.is_finite() => format!("{f:?}"),
            Val::Float(_) => "1e999".into(),
            Val::Raw(r) if serde_json::from_str::<Value>(r).is_ok() => r.clone(),
            Val::Raw(r) => json_string(r),
            Val::Str(s) | Val::Enum(s) => json_string(s),
            Val::List(items) => {
                format!(
                    "[{}]",
                    items.iter().map(Val::json).collect::<Vec<_>>().join(",")
                )
            }
            Val::Obj(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json_string(k), v.json()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

pub(crate) fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
