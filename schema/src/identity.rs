//! Personal identifiers: validating and masking the NIK (national id) and KPJ (social-security
//! number), and normalising phone numbers. Adapters call these so every provider masks the
//! same way.
//!
//! ```
//! use simpul_schema::identity::Nik;
//!
//! let nik = Nik::parse(" 3602136309929001 ").unwrap();
//! assert_eq!(nik.masked(), "360213******9001");
//! assert_eq!(nik.birth_date().unwrap().to_string(), "1992-09-23");
//! assert_eq!(nik.sex(), simpul_schema::Sex::Female);
//! ```

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::{DataWarning, Sex};

/// Lowercase hex of HMAC-SHA-256(`secret`, `message`): the keyed hash behind person ids and
/// participant keys. Never a plain hash: NIK and KPJ spaces are small enough to brute-force.
pub fn keyed_hash(secret: &[u8], message: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Person keys: the keyed hash of a valid NIK under the gateway's identity secret, the same at
/// every provider, so records of one person link across providers without the NIK leaving the
/// adapter that holds it. `Debug` hides the secret.
#[derive(Clone)]
pub struct PersonKeys {
    secret: Vec<u8>,
}

impl PersonKeys {
    /// Keys under `secret` (the `identity_secret` adapters receive).
    pub fn new(secret: &str) -> Self {
        Self {
            secret: secret.as_bytes().to_vec(),
        }
    }

    /// The person key of a valid NIK: 64 lowercase hex digits.
    pub fn person_key(&self, nik: &Nik) -> String {
        keyed_hash(&self.secret, nik.as_str().as_bytes())
    }
}

impl std::fmt::Debug for PersonKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonKeys(<secret>)")
    }
}

/// A well-formed 16-digit NIK: `PPKKCC` (region of first registration) + `DDMMYY` (birth date,
/// women's day + 40) + `NNNN` (sequence). Its `Debug` output is masked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nik(String);

/// Why a NIK is not valid. Carries no digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// Not 16 characters after trimming.
    #[error("a NIK has 16 digits")]
    Length,
    /// A character that is not an ASCII digit.
    #[error("a NIK has digits only")]
    NotDigits,
    /// Day not in 01–31 or 41–71, or month not in 01–12.
    #[error("the NIK's birth-date part is impossible")]
    DatePart,
}

impl Nik {
    /// Trim and validate.
    pub fn parse(raw: &str) -> Result<Self, NikError> {
        let s = raw.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NikError::NotDigits);
        }
        if s.len() != 16 {
            return Err(NikError::Length);
        }
        let day: u32 = s[6..8].parse().map_err(|_| NikError::NotDigits)?;
        let month: u32 = s[8..10].parse().map_err(|_| NikError::NotDigits)?;
        let day_ok = (1..=31).contains(&day) || (41..=71).contains(&day);
        if !day_ok || !(1..=12).contains(&month) {
            return Err(NikError::DatePart);
        }
        Ok(Self(s.to_owned()))
    }

    /// The 16 digits. Personal data: only for callers allowed to see it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `360213******9001`: region of registration and sequence, birth date hidden.
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.0[..6], &self.0[12..])
    }

    /// Sex implied by the day part (women: day + 40).
    pub fn sex(&self) -> Sex {
        if self.day_part() > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// The day/month of birth encoded in the NIK, with the two-digit year. `None` when the day
    /// does not exist in that month.
    pub fn birth_day_month_year2(&self) -> (u32, u32, u32) {
        let day = self.day_part();
        let day = if day > 40 { day - 40 } else { day };
        let month = self.0[8..10].parse().unwrap_or(0);
        let year2 = self.0[10..12].parse().unwrap_or(0);
        (day, month, year2)
    }

    /// The birth date encoded in the NIK, reading a two-digit year as the latest year not after
    /// `2025` (the data snapshot), so `29` is 1929 and `05` is 2005.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let (day, month, year2) = self.birth_day_month_year2();
        let year = if year2 <= 25 {
            2000 + year2
        } else {
            1900 + year2
        };
        NaiveDate::from_ymd_opt(year as i32, month, day)
    }

    /// Whether a recorded birth date agrees with the NIK's day, month and two-digit year.
    pub fn agrees_with_birth_date(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        let (day, month, year2) = self.birth_day_month_year2();
        date.day() == day && date.month() == month && (date.year() % 100) as u32 == year2
    }

    /// Data-quality warnings when a record's sex or birth date disagrees with this NIK
    /// (`NIK_SEX_MISMATCH`, `NIK_BIRTH_DATE_MISMATCH`); the messages name the provider's
    /// columns, never the values.
    pub fn disagreements(
        &self,
        sex: Option<Sex>,
        birth_date: Option<NaiveDate>,
        sex_column: &str,
        birth_date_column: &str,
    ) -> Vec<DataWarning> {
        let mut warnings = Vec::new();
        if sex.is_some_and(|s| s != self.sex()) {
            warnings.push(DataWarning::new(
                "NIK_SEX_MISMATCH",
                "sex",
                format!("`{sex_column}` disagrees with the sex encoded in the NIK"),
            ));
        }
        if birth_date.is_some_and(|d| !self.agrees_with_birth_date(d)) {
            warnings.push(DataWarning::new(
                "NIK_BIRTH_DATE_MISMATCH",
                "birthDate",
                format!("`{birth_date_column}` disagrees with the birth date encoded in the NIK"),
            ));
        }
        warnings
    }

    fn day_part(&self) -> u32 {
        self.0[6..8].parse().unwrap_or(0)
    }
}

impl std::fmt::Debug for Nik {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

/// Mask a KPJ (social-security member number): `99000000001` → `990*****001`. The KPJ is
/// opaque (its length is not verified), so the first three and last three digits are kept
/// and everything between is hidden; a KPJ of six digits or fewer is hidden entirely.
pub fn mask_kpj(kpj: &str) -> String {
    let kpj = kpj.trim();
    let n = kpj.chars().count();
    if n <= 6 {
        return "*".repeat(n);
    }
    let head: String = kpj.chars().take(3).collect();
    let tail: String = kpj.chars().skip(n - 3).collect();
    format!("{head}{}{tail}", "*".repeat(n - 6))
}

/// Normalise an Indonesian phone number to `+62…`: `0899…`, `62899…`, `+62 899-…` all become
/// `+62899…`. Returns `None` when what remains is not 8–14 digits.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let national = if let Some(rest) = digits.strip_prefix("62") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_owned()
    } else {
        return None;
    };
    (8..=13)
        .contains(&national.len())
        .then(|| format!("+62{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nik_validation() {
        assert_eq!(Nik::parse("360213630992900"), Err(NikError::Length));
        assert_eq!(Nik::parse("36021363099290a1"), Err(NikError::NotDigits));
        assert_eq!(Nik::parse("3602133509929001"), Err(NikError::DatePart));
        assert_eq!(Nik::parse("3602131513929001"), Err(NikError::DatePart));
        assert!(Nik::parse("3602141708949004").is_ok());
    }

    #[test]
    fn nik_debug_is_masked() {
        let nik = Nik::parse("3602141708949004").unwrap();
        assert_eq!(format!("{nik:?}"), "Nik(360214******9004)");
        assert_eq!(nik.sex(), Sex::Male);
        assert!(nik.agrees_with_birth_date(NaiveDate::from_ymd_opt(1994, 8, 17).unwrap()));
    }

    #[test]
    fn keyed_hash_matches_rfc_4231_style_vectors() {
        // Known HMAC-SHA-256 value.
        assert_eq!(
            keyed_hash(b"key", b"The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
        let keys = PersonKeys::new("a secret of sixteen+");
        let nik = Nik::parse("3602141708949004").unwrap();
        assert_eq!(keys.person_key(&nik).len(), 64);
        assert_ne!(
            keys.person_key(&nik),
            PersonKeys::new("another secret!!").person_key(&nik)
        );
        assert!(!format!("{keys:?}").contains("secret of"));
    }

    #[test]
    fn kpj_mask() {
        assert_eq!(mask_kpj("99000000001"), "990*****001");
        assert_eq!(mask_kpj("12345"), "*****");
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone("089900000004").as_deref(),
            Some("+6289900000004")
        );
        assert_eq!(
            normalize_phone("+62 899-0000-0004").as_deref(),
            Some("+6289900000004")
        );
        assert_eq!(normalize_phone("12"), None);
    }
}
