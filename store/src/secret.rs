//! The API key format: `smp_<id>_<secret>`.
//!
//! ```
//! use simpul_store::{NewKey, Role, Store};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = Store::memory().await.unwrap();
//! let created = store.keys().create(NewKey::new(Role::Admin, "ops")).await.unwrap();
//! let key = created.secret.expose();
//! assert_eq!(key.len(), 56);
//! assert!(key.starts_with(&format!("smp_{}_", created.info.id)));
//! assert!(!format!("{:?}", created.secret).contains(&key[13..]), "Debug hides the secret");
//! # });
//! ```
//!
//! `<id>` is 8 characters of `[a-z0-9]`: the key's public id, used for look-ups, logs and
//! rate limits. `<secret>` is 32 bytes from the operating system's random number generator
//! in unpadded base64url (43 characters). The store keeps the SHA-256 of the whole key, never
//! the key: 256 random bits need no salt or slow hash, and a stolen table lets nobody in.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::TryRngCore as _;
use subtle::ConstantTimeEq as _;

use crate::hash::sha256_hex;
use crate::Error;

/// Every key starts with this.
pub(crate) const PREFIX: &str = "smp_";
/// Characters in a key id.
pub(crate) const ID_LEN: usize = 8;
const SECRET_LEN: usize = 43;
const KEY_LEN: usize = PREFIX.len() + ID_LEN + 1 + SECRET_LEN;
const ID_ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A whole API key, shown once when it is created. `Debug` and `Display` show only its id.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySecret(String);

impl KeySecret {
    /// The key to hand to its holder: `smp_<id>_<secret>`. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for KeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeySecret({}…)", &self.0[..PREFIX.len() + ID_LEN + 1])
    }
}

/// A fresh random key id.
pub(crate) fn new_id() -> Result<String, Error> {
    let mut id = String::with_capacity(ID_LEN);
    while id.len() < ID_LEN {
        let mut bytes = [0u8; 16];
        fill(&mut bytes)?;
        // 252 = 7 × 36: rejecting the top 4 byte values keeps every character equally likely.
        id.extend(
            bytes
                .iter()
                .filter(|&&b| b < 252)
                .map(|&b| char::from(ID_ALPHABET[usize::from(b % 36)]))
                .take(ID_LEN - id.len()),
        );
    }
    Ok(id)
}

/// A fresh key for `id`.
pub(crate) fn new_key(id: &str) -> Result<KeySecret, Error> {
    let mut secret = [0u8; 32];
    fill(&mut secret)?;
    Ok(KeySecret(format!(
        "{PREFIX}{id}_{}",
        URL_SAFE_NO_PAD.encode(secret)
    )))
}

fn fill(bytes: &mut [u8]) -> Result<(), Error> {
    OsRng
        .try_fill_bytes(bytes)
        .map_err(|e| Error::Entropy(e.to_string()))
}

/// What the store keeps of a key: SHA-256, lowercase hex.
pub(crate) fn key_hash(key: &str) -> String {
    sha256_hex(key.as_bytes())
}

/// The id part of a well-formed key, or `None`.
pub(crate) fn parse(presented: &str) -> Option<&str> {
    // ASCII first: the slicing below is by byte.
    if !presented.is_ascii() || presented.len() != KEY_LEN || !presented.starts_with(PREFIX) {
        return None;
    }
    let rest = &presented[PREFIX.len()..];
    let (id, secret) = (&rest[..ID_LEN], &rest[ID_LEN..]);
    let secret = secret.strip_prefix('_')?;
    let id_ok = id.bytes().all(|b| ID_ALPHABET.contains(&b));
    // Strict decoding also refuses non-canonical trailing bits.
    let secret_ok = URL_SAFE_NO_PAD
        .decode(secret)
        .is_ok_and(|bytes| bytes.len() == 32);
    (id_ok && secret_ok).then_some(id)
}

/// Whether `presented` hashes to `stored`, in time independent of where they differ.
pub(crate) fn matches(presented: &str, stored: &str) -> bool {
    key_hash(presented)
        .as_bytes()
        .ct_eq(stored.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse() {
        let id = new_id().unwrap();
        assert_eq!(id.len(), ID_LEN);
        let key = new_key(&id).unwrap();
        assert_eq!(key.expose().len(), KEY_LEN);
        assert_eq!(parse(key.expose()), Some(id.as_str()));
        assert!(matches(key.expose(), &key_hash(key.expose())));
        assert!(!format!("{key:?}").contains(&key.expose()[13..]));
    }

    #[test]
    fn malformed_keys() {
        let key = new_key("abcd1234").unwrap().0;
        let bad = [
            String::new(),
            key[..KEY_LEN - 1].to_owned(),
            format!("{key}A"),
            key.replacen("smp_", "smq_", 1),
            key.replacen("abcd1234", "ABCD1234", 1),
            format!("{}-{}", &key[..12], &key[13..]),
            format!("{}!", &key[..KEY_LEN - 1]),
            format!("{}é", &key[..KEY_LEN - 2]),
            format!("smp_abcdé234{}", &key[12..KEY_LEN - 1]),
        ];
        for b in &bad {
            assert_eq!(parse(b), None, "{b}");
        }
    }

    #[test]
    fn ids_differ() {
        let ids: std::collections::HashSet<_> = (0..100).map(|_| new_id().unwrap()).collect();
        assert_eq!(ids.len(), 100);
    }
}
