//! Identity values: the NIK (text only, 16 digits with a possible date part), the BPJS
//! Ketenagakerjaan KPJ (11 digits) and Indonesian mobile numbers as `+62…`. Readers say what
//! they repaired with a notice code and never put the value into a code or message.

use simpul_schema::identity::{keyed_hash, normalize_phone, Nik, PersonKeys};

use crate::read::{Cell, Read};

/// A mobile number as `+62…`: text `08…`, `+62…`, `62…` (spaces, `-`, `.`, brackets removed),
/// or a number whose leading `0` Excel dropped (restored, noted `PHONE_LEADING_ZERO_RESTORED`).
pub fn phone(cell: &Cell) -> Read<String> {
    match cell {
        Cell::Empty => Read::Missing,
        Cell::Text(s) => {
            let compact: String = s
                .trim()
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
                .collect();
            let shaped = compact.strip_prefix('+').unwrap_or(&compact);
            let ok = shaped.bytes().all(|b| b.is_ascii_digit());
            match ok.then(|| normalize_phone(&compact)).flatten() {
                Some(p) => Read::Ok(p),
                None => Read::Bad("PHONE_INVALID"),
            }
        }
        Cell::Number(n) if n.fract() == 0.0 && *n > 0.0 && *n < 1e15 => {
            let digits = format!("{}", *n as i64);
            let read = if digits.starts_with("62") {
                normalize_phone(&digits).map(Read::Ok)
            } else if digits.starts_with('8') {
                normalize_phone(&format!("0{digits}"))
                    .map(|p| Read::Noted(p, "PHONE_LEADING_ZERO_RESTORED"))
            } else {
                None
            };
            read.unwrap_or(Read::Bad("PHONE_INVALID"))
        }
        _ => Read::Bad("PHONE_INVALID"),
    }
}

/// A NIK: text only. A number-typed cell is refused (`NIK_NOT_TEXT`: Excel kept 15 digits, so
/// it is never repaired); text loses spaces, NBSPs and one leading `'` (noted
/// `NIK_NORMALIZED`), then must be 16 digits with a possible date part (`NIK_INVALID`).
pub fn nik(cell: &Cell) -> Read<Nik> {
    let raw = match cell {
        Cell::Empty => return Read::Missing,
        Cell::Number(_) | Cell::Date(_) => return Read::Bad("NIK_NOT_TEXT"),
        Cell::Text(s) => s.trim_matches(|c: char| c.is_ascii_whitespace()),
    };
    let unquoted = raw.strip_prefix('\'').unwrap_or(raw);
    let compact: String = unquoted
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}'))
        .collect();
    match Nik::parse(&compact) {
        Ok(nik) if compact == raw => Read::Ok(nik),
        Ok(nik) => Read::Noted(nik, "NIK_NORMALIZED"),
        Err(_) => Read::Bad("NIK_INVALID"),
    }
}

/// A KPJ (BPJS Ketenagakerjaan membership number): 11 digits after trimming, else
/// `KPJ_INVALID` (a masked `990*****001` included).
pub fn kpj(raw: &str) -> Read<String> {
    let s = raw.trim();
    if s.is_empty() {
        Read::Missing
    } else if s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit()) {
        Read::Ok(s.to_owned())
    } else {
        Read::Bad("KPJ_INVALID")
    }
}

/// Whether free text (a certificate number, say) is only digits (spaces, `-`, `.`, `+`, `'`
/// aside) shaped like personal data: 16 of them (a NIK or family-card number) or a mobile
/// number's (`08…`, `62…`, or `8…` as a number cell keeps it; 9–14 digits).
pub fn personal_shape(raw: &str) -> bool {
    let digits: String = raw
        .chars()
        .filter(|c| !" -.+'\u{a0}".contains(*c))
        .collect();
    let phone = ["08", "62", "8"].iter().any(|p| digits.starts_with(p));
    let phone = phone && (9..=14).contains(&digits.len());
    digits.bytes().all(|b| b.is_ascii_digit()) && (digits.len() == 16 || phone)
}

/// How a provider without person ids names and links participants by NIK, under the
/// configured identity secret.
pub struct ParticipantKeys {
    secret: String,
    domain: &'static str,
    /// The cross-provider person keys.
    pub persons: PersonKeys,
}

impl ParticipantKeys {
    /// Keys under `secret`; `domain` (the provider's key) separates its participant ids.
    pub fn new(secret: &str, domain: &'static str) -> Self {
        Self {
            secret: secret.to_owned(),
            domain,
            persons: PersonKeys::new(secret),
        }
    }

    /// `n<HMAC(NIK)>`, the participant id of a valid NIK (domain-separated from the person
    /// key, so a participant id does not reveal the cross-provider link).
    pub fn participant(&self, nik: &Nik) -> String {
        let message = format!("{}-participant:{}", self.domain, nik.as_str());
        let hash = keyed_hash(self.secret.as_bytes(), message.as_bytes());
        format!("n{hash}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn phones_restored_or_refused() {
        let ok = Read::Ok("+6289900300001".into());
        assert_eq!(phone(&t("0899-0030-0001")), ok);
        assert_eq!(phone(&t("+62 899 0030 0001")), ok);
        assert_eq!(
            phone(&Cell::Number(89900300037.0)),
            Read::Noted("+6289900300037".into(), "PHONE_LEADING_ZERO_RESTORED")
        );
        assert_eq!(phone(&t("0899 abc")), Read::Bad("PHONE_INVALID"));
        assert_eq!(phone(&t("12345")), Read::Bad("PHONE_INVALID"));
    }

    #[test]
    fn niks_text_only() {
        assert!(matches!(nik(&t("3603182703899002")), Read::Ok(_)));
        for noisy in [
            "3603 1827 0389 9002",
            "'3603182703899002",
            "3603182703899002\u{a0}",
        ] {
            let read = nik(&t(noisy));
            assert!(
                matches!(read, Read::Noted(_, "NIK_NORMALIZED")),
                "{noisy:?}"
            );
        }
        let number = Cell::Number(3_603_181_507_959_010.0);
        assert_eq!(nik(&number), Read::Bad("NIK_NOT_TEXT"));
        assert_eq!(nik(&t("3.60318E+15")), Read::Bad("NIK_INVALID"));
        assert_eq!(nik(&t("3603183203899002")), Read::Bad("NIK_INVALID"));
    }

    #[test]
    fn participant_ids_are_keyed_and_domain_separated() {
        let Read::Ok(nik) = nik(&t("3603182703899002")) else {
            panic!("a valid NIK")
        };
        let a = ParticipantKeys::new("a-secret-of-16-characters", "fkblkk");
        let b = ParticipantKeys::new("a-secret-of-16-characters", "other");
        assert!(a.participant(&nik).starts_with('n'));
        assert!(!a.participant(&nik).contains(nik.as_str()));
        assert_ne!(a.participant(&nik), b.participant(&nik));
    }

    #[test]
    fn kpjs_are_eleven_digits() {
        assert_eq!(kpj(" 99000000001 "), Read::Ok("99000000001".into()));
        assert_eq!(kpj("990*****001"), Read::Bad("KPJ_INVALID"));
        assert_eq!(kpj(""), Read::Missing);
    }
}
