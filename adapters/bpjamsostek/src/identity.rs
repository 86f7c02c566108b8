//! Participant keys. BPJAMSOSTEK has no person id but the KPJ, and a local key must never be a
//! KPJ (UNIFIED.md §1), so a participant is keyed `k<hex HMAC-SHA-256(identity_secret, kpj)>`.
//! A plain hash would not do: 11-digit KPJs are few enough to brute-force.

use hmac::{Hmac, Mac};
use sha2::Sha256;

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
        Some(format!(
            "k{}",
            hmac_sha256_hex(&self.secret, kpj.as_bytes())?
        ))
    }
}

/// Lowercase hex HMAC-SHA-256 of `message` under `key` (`None` never happens: HMAC takes keys
/// of any length).
fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(message);
    Some(
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
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
        // The well-known HMAC-SHA-256 test vector.
        assert_eq!(
            hmac_sha256_hex(b"key", b"The quick brown fox jumps over the lazy dog").unwrap(),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
        let known = ParticipantKeys::new("key");
        assert_eq!(
            known.for_kpj("12345678901"),
            hmac_sha256_hex(b"key", b"12345678901").map(|h| format!("k{h}"))
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
