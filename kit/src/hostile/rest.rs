//! REST bodies (BPJAMSOSTEK's kind: JSON arrays of records behind paged endpoints). The
//! baseline is a set of record files by name (`peserta_program.json` → its records); the
//! caller serves them (the BPJAMSOSTEK simulator takes exactly these). [`cases`] corrupts one
//! victim record (the third) of the [`Target`] file, or a field across every record.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use super::{Case, Expect, Touch};

/// The record files, by file name.
pub type RestData = BTreeMap<String, Vec<Value>>;

/// A corruption of the data set.
pub type Corruption = Arc<dyn Fn(&mut RestData) + Send + Sync>;

/// The file the cases corrupt and the fields they need.
#[derive(Debug, Clone)]
pub struct Target {
    /// `peserta_program.json`.
    pub file: &'static str,
    /// The id field, part of its records' `sourceId`s.
    pub key: &'static str,
    /// A NIK field.
    pub nik: &'static str,
    /// A person's name.
    pub name: &'static str,
    /// A date (`yyyy-mm-dd` in the baseline).
    pub date: &'static str,
    /// An optional text field.
    pub optional_text: &'static str,
    /// An enum field.
    pub status: &'static str,
}

/// The victim: the third record.
const VICTIM: usize = 2;

/// Every REST case on `target`; the victim's key is read from `baseline`.
pub fn cases(baseline: &RestData, target: &Target) -> Vec<Case<Corruption>> {
    let victim = baseline[target.file][VICTIM][target.key]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let nik = baseline[target.file][VICTIM][target.nik]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let row = || vec![Touch::Id(victim.clone()), Touch::Person(nik.clone())];
    let case = |name, corrupts, touches, expect, corruption: Corruption| Case {
        name,
        corrupts,
        touches,
        expect,
        corruption,
    };
    let set = |field: &'static str, value: fn(&Value) -> Value| -> Corruption {
        let file = target.file;
        Arc::new(move |data: &mut RestData| {
            let record = &mut data.get_mut(file).expect("target file")[VICTIM];
            record[field] = value(&record[field]);
        })
    };
    let t = target.clone();
    vec![
        case(
            "rest/unknown-field",
            "every record gains a field the contract does not know",
            vec![],
            Expect::Ignored("UNKNOWN"),
            {
                let file = t.file;
                Arc::new(move |d| {
                    for r in d.get_mut(file).expect("target file") {
                        r["catatanInternal"] = json!("dari operator");
                    }
                })
            },
        ),
        case(
            "rest/missing-optional-field",
            "no record has the optional text field",
            vec![Touch::All("participants")],
            Expect::Noticed("MISSING"),
            {
                let (file, field) = (t.file, t.optional_text);
                Arc::new(move |d| {
                    for r in d.get_mut(file).expect("target file") {
                        r.as_object_mut().map(|o| o.remove(field));
                    }
                })
            },
        ),
        case(
            "rest/wrong-type-optional",
            "the optional text field is a number",
            row(),
            Expect::Either,
            set(t.optional_text, |_| json!(81234567)),
        ),
        case(
            "rest/nik-as-number",
            "the NIK as a JSON number (3.602135402859301e15)",
            row(),
            Expect::Either,
            set(t.nik, |v| {
                v.as_str()
                    .and_then(|s| s.parse::<f64>().ok())
                    .map_or(v.clone(), |n| json!(n))
            }),
        ),
        case(
            "rest/nik-lost-digit",
            "the NIK with 15 digits",
            row(),
            Expect::Either,
            set(t.nik, |v| {
                json!(v
                    .as_str()
                    .map(|s| &s[..s.len().min(15)])
                    .unwrap_or_default())
            }),
        ),
        case(
            "rest/mixed-date",
            "the date as dd/mm/yyyy among ISO dates",
            row(),
            Expect::Restored("DATE"),
            set(t.date, |v| {
                let p: Vec<&str> = v.as_str().unwrap_or_default().split('-').collect();
                if p.len() == 3 {
                    json!(format!("{}/{}/{}", p[2], p[1], p[0]))
                } else {
                    v.clone()
                }
            }),
        ),
        case(
            "rest/nfd-text",
            "the name gains an accented letter in NFD",
            row(),
            Expect::Noticed("NFC"),
            set(t.name, |v| {
                json!(format!("{} Andre\u{301}", v.as_str().unwrap_or_default()))
            }),
        ),
        case(
            "rest/stray-whitespace",
            "the name and NIK padded with spaces",
            row(),
            Expect::Same,
            {
                let (file, fields) = (t.file, [t.name, t.nik]);
                Arc::new(move |d| {
                    let record = &mut d.get_mut(file).expect("target file")[VICTIM];
                    for f in fields {
                        if let Some(s) = record[f].as_str() {
                            record[f] = json!(format!("  {s} \t"));
                        }
                    }
                })
            },
        ),
        case(
            "rest/huge-cell",
            "a 1 MB optional text field",
            row(),
            Expect::Either,
            set(t.optional_text, |_| json!("x".repeat(1 << 20))),
        ),
        case(
            "rest/required-null",
            "the name is null",
            row(),
            Expect::Either,
            set(t.name, |_| Value::Null),
        ),
        case(
            "rest/duplicate-id",
            "the victim twice under its id, the copy with another e-mail",
            row(),
            Expect::Reported,
            {
                let (file, field) = (t.file, t.optional_text);
                Arc::new(move |d| {
                    let records = d.get_mut(file).expect("target file");
                    let mut copy = records[VICTIM].clone();
                    copy[field] = json!("salinan@example.org");
                    records.push(copy);
                })
            },
        ),
        case(
            "rest/unknown-enum",
            "an enum value the contract does not list",
            row(),
            Expect::Either,
            set(t.status, |_| json!("DIBATALKAN_SISTEM")),
        ),
    ]
}
