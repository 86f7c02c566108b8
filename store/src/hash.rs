//! SHA-256 in lowercase hex: the id of a persisted query and the `operation_hash` of an audit
//! entry, so the two can be joined.
//!
//! ```
//! use simpul_store::operation_hash;
//!
//! assert_eq!(
//!     operation_hash("{ providers { key } }"),
//!     operation_hash("{ providers { key } }"),
//! );
//! assert_eq!(operation_hash("").len(), 64);
//! ```

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// The SHA-256 of a GraphQL document's text, as 64 lowercase hex digits (the Apollo
/// persisted-query convention: the text is hashed as sent, not normalised).
pub fn operation_hash(query: &str) -> String {
    sha256_hex(query.as_bytes())
}

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Whether `s` looks like [`sha256_hex`]'s output.
pub(crate) fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&sha256_hex(b"abc")));
        assert!(!is_sha256_hex(&sha256_hex(b"abc").to_uppercase()));
        assert!(!is_sha256_hex("abc"));
    }
}
