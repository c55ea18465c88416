//! The issuer's decentralised identifier: `did:web` derived from its public URL, and the DID
//! document listing every key ever used as a `Multikey`, so that a verifier resolves a
//! credential's `verificationMethod` (`did:web:…#kid`) to a key from the issuer's own web site.
//!
//! What it deliberately does not do: resolve other DID methods or fetch anything; the document is
//! built from the key set the caller passes. Base58btc lives here because multikeys are its first
//! use; credential proofs use it too.

use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};

use super::credential::clean;
use super::token::KeySet;

/// Where the issuer lives: its public URL and the `did:web` identifier derived from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerId {
    /// The public URL without a trailing slash, e.g. `https://attest.example.org`.
    pub base: String,
    /// `did:web:attest.example.org` (a port is written `%3A`, a path's slashes `:`).
    pub did: String,
    /// The organisation's name.
    pub name: String,
}

impl IssuerId {
    pub fn new(public_url: &str, name: &str) -> IssuerId {
        let base = public_url.trim_end_matches('/').to_owned();
        IssuerId { did: did_web(&base), base, name: clean(name) }
    }

    /// The verification method of a key: `did:web:…#kid`.
    pub fn method(&self, kid: &str) -> String {
        format!("{}#{kid}", self.did)
    }

    pub fn credential_url(&self, id: &str) -> String {
        format!("{}/credentials/{id}", self.base)
    }

    pub fn status_list_url(&self, list: u64) -> String {
        format!("{}/status/{list}", self.base)
    }
}

/// `did:web` for a public URL (did:web method, section 3.2): the host, a port as `%3A`, each
/// path segment after a `:`. `http://127.0.0.1:8080` gives `did:web:127.0.0.1%3A8080`.
pub fn did_web(public_url: &str) -> String {
    let rest = public_url.split_once("://").map_or(public_url, |(_, r)| r).trim_end_matches('/');
    let mut parts = rest.split('/');
    let host = parts.next().unwrap_or_default().replace(':', "%3A");
    let mut did = format!("did:web:{host}");
    for p in parts.filter(|p| !p.is_empty()) {
        did.push(':');
        did.push_str(p);
    }
    did
}

/// The DID document of the issuer: every key ever used (retired ones verify what they signed)
/// as a `Multikey`, each in `assertionMethod`.
pub fn did_document(issuer: &IssuerId, keys: &KeySet) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|(kid, k)| {
            json!({"id": issuer.method(kid), "type": "Multikey", "controller": issuer.did, "publicKeyMultibase": multikey(k)})
        })
        .collect();
    let ids: Vec<Value> = keys.iter().map(|(kid, _)| Value::String(issuer.method(kid))).collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": issuer.did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

/// An Ed25519 public key as a Multikey: multicodec `0xed01`, the 32 bytes, base58btc, `z`.
pub fn multikey(key: &VerifyingKey) -> String {
    let mut b = vec![0xed, 0x01];
    b.extend_from_slice(key.as_bytes());
    format!("z{}", base58btc(&b))
}

const B58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58 (Bitcoin alphabet). Quadratic, which for 34- and 64-byte inputs is a few hundred
/// operations: a crate would not be faster.
pub fn base58btc(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &b in bytes {
        let mut carry = b as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut s = String::with_capacity(zeros + digits.len());
    s.extend(std::iter::repeat_n('1', zeros));
    s.extend(digits.iter().rev().map(|&d| B58[d as usize] as char));
    s
}

pub fn base58btc_decode(s: &str) -> Option<Vec<u8>> {
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut bytes: Vec<u8> = Vec::new();
    for c in s.bytes() {
        let mut carry = B58.iter().position(|&x| x == c)? as u32;
        for b in bytes.iter_mut() {
            carry += (*b as u32) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_writes_the_port_as_percent_3a_and_the_path_with_colons() {
        assert_eq!(did_web("http://127.0.0.1:8080"), "did:web:127.0.0.1%3A8080");
        assert_eq!(did_web("https://attest.example.org/"), "did:web:attest.example.org");
        assert_eq!(did_web("https://example.org/coe/attest"), "did:web:example.org:coe:attest");
    }

    #[test]
    fn base58_round_trips_and_matches_the_multikey_prefix() {
        for b in [&[0u8, 0, 1, 2, 255][..], &[255; 64], b"hello world"] {
            assert_eq!(base58btc_decode(&base58btc(b)).unwrap(), b);
        }
        assert_eq!(base58btc(b"hello world"), "StV1DL6CwTryKyV");
        let k = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        assert!(multikey(&k).starts_with("z6Mk"), "{}", multikey(&k));
    }
}
