//! Finding personal data in text that must have none (warnings, rejections, log lines, error
//! messages): the personal values the adapter itself served with `includePii` ([`Personal`]:
//! NIKs, KPJs, phone numbers in their usual spellings, e-mail addresses, names), and anything
//! shaped like a NIK (16 digits), a KPJ (11 digits) or an Indonesian mobile number (`+62…`,
//! `08…`). A finding never repeats the value: it names its kind and whose it was.

use simpul_schema::Participant;

/// One personal value and whose it is.
#[derive(Debug, Clone)]
struct Value {
    text: String,
    /// Matched ignoring case, between word boundaries (names).
    word: bool,
    /// `the NIK of participants SPN-P-0043`.
    what: String,
}

/// The personal values an adapter served.
#[derive(Debug, Clone, Default)]
pub struct Personal {
    values: Vec<Value>,
}

/// Names shorter than this are not looked for (too many innocent matches).
const MIN_NAME_CHARS: usize = 5;

impl Personal {
    /// The personal values of `participants` (read with `includePii`).
    pub fn of(participants: &[Participant]) -> Self {
        let mut values = Vec::new();
        for p in participants {
            let Some(pii) = &p.pii else { continue };
            let whose = |kind: &str| format!("the {kind} of participants {}", p.source_id);
            let mut exact = |text: &Option<String>, kind: &str| {
                if let Some(t) = text.as_deref().map(str::trim).filter(|t| t.len() >= 6) {
                    values.push(Value {
                        text: t.to_owned(),
                        word: false,
                        what: whose(kind),
                    });
                }
            };
            exact(&pii.nik, "NIK");
            exact(&pii.kpj, "KPJ");
            exact(&pii.email, "e-mail address");
            exact(&pii.union_card_number, "union card number");
            if let Some(phone) = pii.phone.as_deref().map(str::trim) {
                for spelling in phone_spellings(phone) {
                    values.push(Value {
                        text: spelling,
                        word: false,
                        what: whose("phone number"),
                    });
                }
            }
            if let Some(name) = pii.full_name.as_deref().map(str::trim) {
                if name.chars().filter(|c| c.is_alphabetic()).count() >= MIN_NAME_CHARS {
                    values.push(Value {
                        text: name.to_lowercase(),
                        word: true,
                        what: whose("name"),
                    });
                }
            }
        }
        Self { values }
    }

    /// How many values are looked for.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// What personal data `text` holds, each finding named without its value.
    pub fn find(&self, text: &str) -> Vec<String> {
        let mut found = shapes(text);
        let lower = text.to_lowercase();
        for value in &self.values {
            let hit = if value.word {
                contains_word(&lower, &value.text)
            } else {
                text.contains(&value.text)
            };
            if hit {
                found.push(value.what.clone());
            }
        }
        found
    }
}

/// `+6281234567890`, `6281234567890`, `081234567890`.
fn phone_spellings(phone: &str) -> Vec<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("62") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_owned()
    } else {
        digits
    };
    if national.len() < 8 {
        return Vec::new();
    }
    vec![
        format!("+62{national}"),
        format!("62{national}"),
        format!("0{national}"),
    ]
}

/// Whether `needle` occurs in `haystack` between non-alphanumeric characters.
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Digit runs shaped like a NIK, a KPJ or a mobile number, described with only their first
/// digits.
pub fn shapes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let plus = start > 0 && chars[start - 1] == '+';
        let hidden = format!("{}…", &run[..run.len().min(4)]);
        if plus && run.starts_with("62") && (10..=15).contains(&run.len()) {
            found.push(format!("a phone-shaped number (+{hidden})"));
        } else if run.starts_with("08") && (10..=13).contains(&run.len()) {
            found.push(format!("a phone-shaped number ({hidden})"));
        } else if run.len() == 16 {
            found.push(format!("a NIK-shaped 16-digit number ({hidden})"));
        } else if run.len() == 11 {
            found.push(format!("a KPJ-shaped 11-digit number ({hidden})"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Participant {
        serde_json::from_value(serde_json::json!({
            "sourceId": "P-1", "warnings": [], "nikValid": true,
            "pii": {"nik": "3602134507900001", "kpj": "99012345001", "fullName": "Siti Rahmawati",
                    "phone": "+6281234567890", "email": "siti@example.id"}
        }))
        .expect("a participant")
    }

    #[test]
    fn served_values_are_found_and_not_repeated() {
        let personal = Personal::of(&[person()]);
        let found = personal.find("row 3: phone 081234567890 is not unique");
        assert!(
            found.contains(&"the phone number of participants P-1".to_owned()),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("a phone-shaped number (0812…")),
            "{found:?}"
        );
        assert!(personal
            .find("peserta SITI RAHMAWATI ditolak")
            .contains(&"the name of participants P-1".to_owned()));
        assert!(personal.find("Siti Rahmawatiningsih").is_empty());
        assert!(personal.find("duplicate e-mail siti@example.id").len() == 1);
        let nik = personal.find("NIK 3602134507900001 invalid");
        assert_eq!(nik.len(), 2, "{nik:?}");
        assert!(
            nik.iter().all(|f| !f.contains("3602134507900001")),
            "{nik:?}"
        );
    }

    #[test]
    fn shapes_without_served_values() {
        assert_eq!(shapes("kpj 12345678901 and 360213******9001").len(), 1);
        assert_eq!(shapes("+62 812 3456").len(), 0);
        assert_eq!(shapes("call +628123456789").len(), 1);
        assert!(shapes("line 10, 2023-04-01, SPN-P-0043, 1736928000000 ms").is_empty());
    }
}
