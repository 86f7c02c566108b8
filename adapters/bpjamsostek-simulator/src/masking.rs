//! Personal-data masking for keys without `pii:read` (CONTRACT.md §1, "Personal-data masking"):
//! `nik` → first 6 + `******` + last 4; `kpj` → first 3 + `*****` + last 3; `tanggalLahir`,
//! `noHp`, `email`, `kodeWilayahDomisili` → `null`; names are still returned.
//!
//! The data never changes while a simulator runs, so [`Rendered`] writes each record's JSON
//! once per view when the server starts, and answers copy that text.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Fields set to `null` without `pii:read`.
pub const NULLED: [&str; 4] = ["tanggalLahir", "noHp", "email", "kodeWilayahDomisili"];

/// A record as a key sees it: verbatim with `pii:read`, masked without.
pub fn view(record: &Map<String, Value>, pii: bool) -> Value {
    let mut out = record.clone();
    if !pii {
        if let Some(v) = out.get_mut("nik") {
            *v = mask_with(v, 6, 6, 4);
        }
        if let Some(v) = out.get_mut("kpj") {
            *v = mask_with(v, 3, 5, 3);
        }
        for field in NULLED {
            if let Some(v) = out.get_mut(field) {
                *v = Value::Null;
            }
        }
    }
    Value::Object(out)
}

/// One record's JSON text in both views: verbatim and masked.
#[derive(Debug)]
pub struct Rendered {
    full: Box<RawValue>,
    masked: Box<RawValue>,
}

impl Rendered {
    /// Render `record` both ways.
    pub fn new(record: &Map<String, Value>) -> Self {
        let render = |pii| {
            serde_json::value::to_raw_value(&view(record, pii))
                .expect("a JSON value always serialises")
        };
        Self {
            full: render(true),
            masked: render(false),
        }
    }

    /// The record as a key with (`pii`) or without `pii:read` sees it.
    pub fn view(&self, pii: bool) -> &RawValue {
        if pii {
            &self.full
        } else {
            &self.masked
        }
    }
}

/// `head` characters + `stars` asterisks + `tail` characters; a value too short to keep
/// anything is starred entirely; a non-string becomes `null`.
fn mask_with(value: &Value, head: usize, stars: usize, tail: usize) -> Value {
    let Some(text) = value.as_str() else {
        return Value::Null;
    };
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.len() < head + tail + 1 {
        return Value::String("*".repeat(chars.len()));
    }
    let mut masked: String = chars[..head].iter().collect();
    masked.push_str(&"*".repeat(stars));
    masked.extend(&chars[chars.len() - tail..]);
    Value::String(masked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_like_the_contract() {
        let record = json!({
            "nik": "3602136309929001", "kpj": "99000000001", "namaLengkap": "Nama Uji",
            "tanggalLahir": "1992-09-23", "noHp": "+6289900000001", "email": "a@example.org",
            "kodeWilayahDomisili": "36.02.13.2007"
        });
        let Value::Object(record) = record else {
            unreachable!()
        };
        let masked = view(&record, false);
        assert_eq!(masked["nik"], "360213******9001");
        assert_eq!(masked["kpj"], "990*****001");
        assert_eq!(masked["namaLengkap"], "Nama Uji");
        for field in NULLED {
            assert!(masked[field].is_null(), "{field}");
        }
        assert_eq!(view(&record, true), Value::Object(record.clone()));
        let rendered = Rendered::new(&record);
        for pii in [true, false] {
            let text = rendered.view(pii).get();
            assert_eq!(text, serde_json::to_string(&view(&record, pii)).unwrap());
        }
        assert_eq!(mask_with(&json!("123"), 3, 5, 3), json!("***"));
        assert_eq!(mask_with(&json!(12), 3, 5, 3), Value::Null);
    }
}
