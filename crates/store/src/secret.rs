//! Secrets: random tokens and API keys, SHA-256 digests of them, Argon2id password hashes.

use std::sync::OnceLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::StoreError;

/// What every API key starts with.
pub(crate) const API_KEY_PREFIX: &str = "isk_";
/// Random characters after the prefix.
const API_KEY_RANDOM_CHARS: usize = 32;
/// Characters of the key kept in clear for display and lookup (`isk_` + 8).
pub(crate) const API_KEY_DISPLAY_CHARS: usize = API_KEY_PREFIX.len() + 8;

/// The URL-safe base64 alphabet: 64 symbols, so `byte & 63` picks one without bias.
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Random bytes from the operating system's generator (via rand's thread-local CSPRNG).
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::fill(&mut bytes[..]);
    bytes
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 15)] as char);
    }
    out
}

/// A fresh 32-byte random token as 64 hex characters (session tokens, CSRF tokens).
pub(crate) fn random_token() -> String {
    hex(&random_bytes::<32>())
}

/// A fresh API key: `isk_` and 32 URL-safe random characters (192 bits).
pub(crate) fn new_api_key() -> String {
    let bytes = random_bytes::<API_KEY_RANDOM_CHARS>();
    let mut key = String::with_capacity(API_KEY_PREFIX.len() + API_KEY_RANDOM_CHARS);
    key.push_str(API_KEY_PREFIX);
    key.extend(bytes.iter().map(|byte| URL_SAFE[usize::from(byte & 63)] as char));
    key
}

/// Whether `text` has the shape of an API key (checked before any database work).
pub(crate) fn looks_like_api_key(text: &str) -> bool {
    text.len() == API_KEY_PREFIX.len() + API_KEY_RANDOM_CHARS
        && text.starts_with(API_KEY_PREFIX)
        && text[API_KEY_PREFIX.len()..].bytes().all(|byte| URL_SAFE.contains(&byte))
}

/// SHA-256 of `text` as 64 hex characters: how tokens and API keys are stored.
pub(crate) fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Compares two digests in constant time.
pub(crate) fn digests_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Hashes a password with Argon2id (default parameters: 19 MiB, 2 passes) into a PHC string, on
/// a blocking thread so the async runtime keeps serving.
pub(crate) async fn hash_password(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| StoreError::Database("the password hashing task failed".to_owned()))?
}

fn hash_blocking(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| StoreError::Database(format!("cannot hash the password: {error}")))
}

/// Checks `password` against a PHC string. With `None` (no such user) it checks against a dummy
/// hash of the same cost, so a missing user takes as long as a wrong password.
pub(crate) async fn verify_password(password: String, phc: Option<String>) -> Result<bool, StoreError> {
    tokio::task::spawn_blocking(move || {
        let (phc, real) = match &phc {
            Some(phc) => (phc.as_str(), true),
            None => (dummy_hash()?, false),
        };
        let matched = Argon2::default().verify_password(password.as_bytes(), phc).is_ok();
        Ok(real && matched)
    })
    .await
    .map_err(|_| StoreError::Database("the password check task failed".to_owned()))?
}

fn dummy_hash() -> Result<&'static str, StoreError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_blocking(&random_token())?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_have_their_shape_and_differ() {
        let a = new_api_key();
        let b = new_api_key();
        assert!(looks_like_api_key(&a), "{a}");
        assert_ne!(a, b);
        assert!(!looks_like_api_key("isk_short"));
        assert!(!looks_like_api_key(&a.replace("isk_", "xsk_")));
    }

    #[test]
    fn digests_are_hex_sha256() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(digests_equal(&sha256_hex("x"), &sha256_hex("x")));
        assert!(!digests_equal(&sha256_hex("x"), &sha256_hex("y")));
        assert_eq!(random_token().len(), 64);
    }
}
