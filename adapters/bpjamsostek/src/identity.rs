//! Participant keys. BPJAMSOSTEK has no person id but the KPJ, and a local key must never be a
//! KPJ (UNIFIED.md §1), so a participant is keyed `k<hex HMAC-SHA-256(identity_secret, kpj)>`.
//! A plain hash would not do: 11-digit KPJs are few enough to brute-force.

use simpul_schema::identity::{keyed_hash, Nik};

/// Turns valid KPJs into participant keys under the configured secret.
#[derive(Clone)]
pub struct ParticipantKeys {
    secret: Vec<u8>,
}

impl ParticipantKeys {
    /// Keys under `secret` (the config's `identity_secret`).
    pub fn new(secret: &str) -> Self {
        Self {
            secret: secret.as_bytes().to_vec(),
        }
    }

    /// `k` + 64 lowercase hex digits of HMAC-SHA-256(secret, kpj), for a valid KPJ (see
    /// [`valid_kpj`]); `None` otherwise.
    pub fn for_kpj(&self, kpj: &str) -> Option<String> {
        let kpj = valid_kpj(kpj)?;
        Some(format!("k{}", keyed_hash(&self.secret, kpj.as_bytes())))
    }

    /// The person key of a valid NIK: the keyed hash every adapter computes the same way
    /// ([`simpul_schema::identity::PersonKeys`]), so one person links across providers.
    pub fn person_key(&self, nik: &Nik) -> String {
        keyed_hash(&self.secret, nik.as_str().as_bytes())
    }
}

impl std::fmt::Debug for ParticipantKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParticipantKeys(<secret>)")
    }
}

/// A KPJ as the contract models it: exactly 11 ASCII digits after trimming. A masked KPJ
/// (`990*****001`, served to keys without `pii:read`) is not valid.
pub fn valid_kpj(raw: &str) -> Option<&str> {
    let kpj = raw.trim();
    (kpj.len() == 11 && kpj.bytes().all(|b| b.is_ascii_digit())).then_some(kpj)
}

/// Whether a KPJ is in the masked form the API serves without `pii:read`.
pub fn is_masked(raw: &str) -> bool {
    raw.contains('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_keyed_stable_and_never_contain_the_kpj() {
        let a = ParticipantKeys::new("0123456789abcdef");
        let b = ParticipantKeys::new("another-secret-16");
        let key = a.for_kpj(" 99096000000 ").unwrap();
        assert_eq!(key.len(), 65);
        assert!(key.starts_with('k'));
        assert!(!key.contains("99096000000"));
        assert_eq!(a.for_kpj("99096000000"), Some(key.clone()));
        assert_ne!(b.for_kpj("99096000000"), Some(key));
        assert_ne!(a.for_kpj("99096000001"), a.for_kpj("99096000000"));
        let known = ParticipantKeys::new("key");
        assert_eq!(
            known.for_kpj("12345678901"),
            Some(format!("k{}", keyed_hash(b"key", b"12345678901")))
        );
    }

    #[test]
    fn validity() {
        assert!(valid_kpj("99096000000").is_some());
        for bad in [
            "9909600000",
            "990960000000",
            "990*****000",
            "9909600000a",
            "",
        ] {
            assert!(valid_kpj(bad).is_none(), "{bad}");
        }
        assert!(is_masked("990*****000"));
        assert!(!format!("{:?}", ParticipantKeys::new("0123456789abcdef")).contains("0123"));
    }
}
