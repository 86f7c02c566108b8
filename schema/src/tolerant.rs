//! Decoding that tolerates what a newer plugin may say: a vocabulary value this build does not
//! know becomes the vocabulary's fallback (`UNKNOWN` or `OTHER`) and is noted, instead of
//! failing the whole message.
//!
//! Tolerance is opt-in, per decode: inside [`collect_unknown`] an unknown value is mapped and
//! noted; outside it (configs, GraphQL inputs, tests) it stays an error. Records get their
//! own notes as [`DataWarning`]s with code `ENUM_UNKNOWN` (see [`records`]); what is noted
//! outside any record comes back to the caller.
//!
//! ```
//! use simpul_schema::{tolerant, Sex};
//!
//! let (sex, unknown) = tolerant::collect_unknown(|| serde_json::from_str::<Sex>(r#""X""#));
//! assert_eq!(sex.unwrap(), Sex::Unknown);
//! assert_eq!(unknown[0].raw, "X");
//! assert!(serde_json::from_str::<Sex>(r#""X""#).is_err(), "strict outside a collection");
//! ```

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

use crate::model::DataWarning;

/// A value a vocabulary did not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The vocabulary (`EnrollmentStatus`, or `CompareOp` for a manifest's operators).
    pub vocabulary: &'static str,
    /// The value as sent.
    pub raw: String,
    /// What it became (`UNKNOWN`, `OTHER`, or `ignored`).
    pub became: &'static str,
}

impl UnknownValue {
    /// The raw value, if it is safe to repeat: an `UPPER_SNAKE` token (or, for a manifest's
    /// ignored names, a camelCase one) of at most 40 characters with no run of more than four
    /// digits. Anything else (a number that could be a NIK or a phone, a name, free text) is
    /// not echoed.
    pub fn shown(&self) -> String {
        let raw = self.raw.as_str();
        let longest_digits = raw
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        // A manifest's names (operators, collections) are camelCase plugin metadata; record
        // values are UPPER_SNAKE and may come from people's data.
        let metadata = self.became == "ignored";
        let token = raw.len() <= 40
            && raw.starts_with(|c: char| c.is_ascii_alphabetic())
            && raw.chars().all(|c| {
                c.is_ascii_uppercase()
                    || c.is_ascii_digit()
                    || c == '_'
                    || (metadata && c.is_ascii_lowercase())
            })
            && longest_digits <= 4;
        if token {
            format!("`{raw}`")
        } else {
            "a value that is not an enum name (not shown)".to_owned()
        }
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is not known to this gateway; {}",
            self.vocabulary,
            self.shown(),
            if self.became == "ignored" {
                "ignored".to_owned()
            } else {
                format!("served as {}", self.became)
            }
        )
    }
}

impl From<&UnknownValue> for DataWarning {
    fn from(value: &UnknownValue) -> Self {
        DataWarning {
            code: "ENUM_UNKNOWN".to_owned(),
            field: None,
            message: value.to_string(),
        }
    }
}

thread_local! {
    /// One frame per open collection (a response, then each record inside it).
    static FRAMES: RefCell<Vec<Vec<UnknownValue>>> = const { RefCell::new(Vec::new()) };
}

/// Pops its frame even when decoding panics or fails.
struct Frame;

impl Frame {
    fn open() -> Self {
        FRAMES.with(|f| f.borrow_mut().push(Vec::new()));
        Frame
    }

    fn close(self) -> Vec<UnknownValue> {
        let notes = FRAMES.with(|f| f.borrow_mut().pop()).unwrap_or_default();
        std::mem::forget(self);
        notes
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        FRAMES.with(|f| f.borrow_mut().pop());
    }
}

/// Run `decode` with tolerance on; return its result and what it noted outside records.
pub fn collect_unknown<T>(decode: impl FnOnce() -> T) -> (T, Vec<UnknownValue>) {
    let frame = Frame::open();
    let value = decode();
    (value, frame.close())
}

/// Whether a decode on this thread is tolerant now.
pub fn is_collecting() -> bool {
    FRAMES.with(|f| !f.borrow().is_empty())
}

/// Note an unknown value in the innermost open collection. Returns `false` (and notes nothing)
/// when none is open: the caller must then fail as before.
pub fn note_unknown(vocabulary: &'static str, raw: &str, became: &'static str) -> bool {
    FRAMES.with(|f| match f.borrow_mut().last_mut() {
        Some(frame) => {
            frame.push(UnknownValue {
                vocabulary,
                raw: raw.to_owned(),
                became,
            });
            true
        }
        None => false,
    })
}

/// What [`vocabulary`] needs to know about a closed vocabulary.
pub struct Vocabulary<T: 'static> {
    /// Its name (`Sex`).
    pub name: &'static str,
    /// Every value's name.
    pub values: &'static [&'static str],
    /// Name to value.
    pub parse: fn(&str) -> Option<T>,
    /// What an unknown name becomes in a tolerant decode.
    pub fallback: T,
    /// The fallback's name.
    pub fallback_name: &'static str,
}

/// Decode a vocabulary value from its name: strictly, or (inside [`collect_unknown`]) an
/// unknown name as the fallback, noted. Used by every vocabulary's `Deserialize`.
pub fn vocabulary<'de, D, T>(deserializer: D, vocabulary: Vocabulary<T>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Copy,
{
    struct Name<T: 'static>(Vocabulary<T>);

    impl<T: Copy> Visitor<'_> for Name<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} name", self.0.name)
        }

        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<T, E> {
            let v = &self.0;
            if let Some(value) = (v.parse)(name) {
                return Ok(value);
            }
            if note_unknown(v.name, name, v.fallback_name) {
                Ok(v.fallback)
            } else {
                Err(E::unknown_variant(name, v.values))
            }
        }
    }

    deserializer.deserialize_str(Name(vocabulary))
}

/// A record that carries its own data-quality warnings.
pub trait WithWarnings {
    /// The record's warnings.
    fn warnings_mut(&mut self) -> &mut Vec<DataWarning>;
}

macro_rules! with_warnings {
    ($($record:ident),+) => {$(
        impl WithWarnings for crate::model::$record {
            fn warnings_mut(&mut self) -> &mut Vec<DataWarning> {
                &mut self.warnings
            }
        }
    )+};
}

with_warnings!(
    TrainingCenter,
    Course,
    CourseRun,
    Participant,
    Enrollment,
    Outcome,
    Partnership,
    CredentialAward,
    Program
);

/// `deserialize_with` for a list of records: each record that held unknown values gets one
/// `ENUM_UNKNOWN` warning per value. Outside a collection it decodes strictly, as a plain
/// `Vec`.
pub fn records<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + WithWarnings,
{
    struct Records<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de> + WithWarnings> Visitor<'de> for Records<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of records")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let tolerant = is_collecting();
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            loop {
                let frame = tolerant.then(Frame::open);
                let Some(mut record) = seq.next_element::<T>()? else {
                    break;
                };
                if let Some(frame) = frame {
                    let notes = frame.close();
                    record
                        .warnings_mut()
                        .extend(notes.iter().map(DataWarning::from));
                }
                out.push(record);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_seq(Records(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_could_be_personal_are_not_echoed() {
        let shown = |raw: &str| {
            UnknownValue {
                vocabulary: "Sex",
                raw: raw.to_owned(),
                became: "UNKNOWN",
            }
            .shown()
        };
        assert_eq!(shown("NON_BINARY"), "`NON_BINARY`");
        assert_eq!(shown("VOKASI_2026"), "`VOKASI_2026`");
        assert!(!shown("3201234567890123").contains("3201"));
        assert!(!shown("Budi Santoso, 0812345678").contains("Budi"));
        assert!(!shown(&"A".repeat(41)).contains("AAAA"));
        assert!(
            !shown("Budi").contains("Budi"),
            "a record value that reads like a name"
        );
        let ignored = UnknownValue {
            vocabulary: "CompareOp",
            raw: "regex".into(),
            became: "ignored",
        };
        assert_eq!(
            ignored.shown(),
            "`regex`",
            "a manifest's camelCase names are shown"
        );
    }

    #[test]
    fn frames_close_even_when_decoding_fails() {
        let (result, notes) = collect_unknown(|| serde_json::from_str::<crate::Sex>("1"));
        assert!(result.is_err());
        assert!(notes.is_empty());
        assert!(!is_collecting());
    }

    #[test]
    fn each_record_gets_a_warning_for_its_own_unknown_values() {
        let center = |id: &str, kind: &str| {
            serde_json::json!({
                "sourceId": id, "warnings": [], "name": "LPK", "alternateNames": [],
                "institutionType": kind, "sector": null, "supervisorId": null, "address": null,
                "foundedYear": null, "areaHectares": null, "facilities": [], "fields": [],
                "licenses": [], "yearsOfExperience": null, "contact": null, "active": null
            })
        };
        let wire = serde_json::json!({
            "collection": "trainingCenters",
            "records": [center("a", "LPK"), center("b", "MOBILE_UNIT")]
        })
        .to_string();
        let (records, outside) = collect_unknown(|| serde_json::from_str::<crate::Records>(&wire));
        let crate::Records::TrainingCenters(records) = records.unwrap() else {
            panic!("wrong collection")
        };
        assert!(outside.is_empty());
        assert!(records[0].warnings.is_empty());
        assert_eq!(records[1].institution_type, crate::InstitutionType::Other);
        assert_eq!(records[1].warnings[0].code, "ENUM_UNKNOWN");
        assert!(records[1].warnings[0].message.contains("`MOBILE_UNIT`"));
        assert!(
            serde_json::from_str::<crate::Records>(&wire).is_err(),
            "strict by default"
        );
    }
}
