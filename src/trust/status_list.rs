//! Revocation published as signed Bitstring Status List credentials (W3C Bitstring Status List
//! 1.0): every certificate has a position; a list of 131,072 positions is one credential, signed
//! like a certificate's credential, whose set bits are the revoked certificates.
//!
//! What it deliberately does not do: decide or store revocation (the store keeps the bits,
//! issuance signs a new list when one changes), or read a bit from a list whose proof fails.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::credential::{CredentialError, MAX_CREDENTIAL_BYTES, VC_CONTEXT, check_proof, rfc3339};
use super::did::IssuerId;
use super::rdfc::{CRED, Graph, STATUS, Term, XSD_DATETIME};
use super::token::KeySet;

/// Entries per status list: the minimum Bitstring Status List 1.0 asks for, for herd privacy.
pub const STATUS_LIST_SIZE: u64 = 131_072;
/// How long a verifier may cache a status list, in milliseconds (the list's `ttl`); the server
/// sends the same lifetime in `Cache-Control`.
pub const STATUS_LIST_TTL_MS: u64 = 300_000;

/// Checks a status list credential attest issued (exactly attest's shape, its proof by a key of
/// `keys`) and returns it with its bits. A verifier must not read a bit from a list whose proof
/// fails: a tampered list could hide a revocation.
pub fn verify_status_list(bytes: &[u8], keys: &KeySet) -> Result<(StatusList, Vec<u8>), CredentialError> {
    if bytes.len() > MAX_CREDENTIAL_BYTES {
        return Err(CredentialError::TooLarge);
    }
    let mut doc: Value = serde_json::from_slice(bytes).map_err(|e| CredentialError::NotJson(e.to_string()))?;
    let Some(proof) = doc.as_object_mut().and_then(|o| o.remove("proof")) else {
        return Err(CredentialError::BadProof("no proof".into()));
    };
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let list = StatusList {
        url: text(&doc["id"]),
        issuer_did: text(&doc["issuer"]),
        updated_at: text(&doc["validFrom"]),
        encoded: text(&doc["credentialSubject"]["encodedList"]),
    };
    if list.to_json() != doc {
        return Err(CredentialError::NotOurs("not a status list of the shape attest issues".into()));
    }
    check_proof(&proof, &list.issuer_did, &list.canonical_nquads(), keys)?;
    let bits = decode_bits(&list.encoded)
        .ok_or_else(|| CredentialError::NotOurs("its encodedList is not gzip-compressed bits".into()))?;
    Ok((list, bits))
}

/// One Bitstring Status List credential: its number, its bits and when they last changed.
#[derive(Debug, Clone)]
pub struct StatusList {
    pub url: String,
    pub issuer_did: String,
    /// When a bit last changed: the list's `validFrom` and its proof's `created`.
    pub updated_at: String,
    /// `u` and the base64url of the GZIP-compressed bits (index 0 is the left-most bit).
    pub encoded: String,
}

impl StatusList {
    pub fn new(issuer: &IssuerId, list: u64, bits: &[u8], updated_at: DateTime<Utc>) -> StatusList {
        StatusList {
            url: issuer.status_list_url(list),
            issuer_did: issuer.did.clone(),
            updated_at: rfc3339(updated_at),
            encoded: encode_bits(bits),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "@context": [VC_CONTEXT],
            "id": self.url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.issuer_did,
            "validFrom": self.updated_at,
            "credentialSubject": {
                "id": format!("{}#list", self.url),
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": self.encoded,
                "ttl": STATUS_LIST_TTL_MS,
            }
        })
    }

    pub(super) fn canonical_nquads(&self) -> String {
        let subject = format!("{}#list", self.url);
        let ttl = STATUS_LIST_TTL_MS.to_string();
        let mut g = Graph::default();
        let (c, s) = (Term::Iri(&self.url), Term::Iri(&subject));
        g.typed(c, &[CRED, "VerifiableCredential"]);
        g.typed(c, &[STATUS, "BitstringStatusListCredential"]);
        g.add(c, &[CRED, "issuer"], Term::Iri(&self.issuer_did));
        g.add(c, &[CRED, "validFrom"], Term::Lit(&self.updated_at, Some(XSD_DATETIME)));
        g.add(c, &[CRED, "credentialSubject"], s);
        g.typed(s, &[STATUS, "BitstringStatusList"]);
        g.add(s, &[STATUS, "statusPurpose"], Term::Lit("revocation", None));
        g.add(s, &[STATUS, "encodedList"], Term::Lit(&self.encoded, Some("https://w3id.org/security#multibase")));
        g.add(s, &[STATUS, "ttl"], Term::Lit(&ttl, Some("http://www.w3.org/2001/XMLSchema#integer")));
        g.canonical().expect("no blank nodes")
    }
}

/// `u` + base64url(gzip(bits)).
pub fn encode_bits(bits: &[u8]) -> String {
    let mut c = libdeflater::Compressor::new(libdeflater::CompressionLvl::best());
    let mut out = vec![0u8; c.gzip_compress_bound(bits.len())];
    let n = c.gzip_compress(bits, &mut out).expect("the buffer is large enough");
    out.truncate(n);
    format!("u{}", B64.encode(out))
}

/// Reads an encoded list back into bits (for tests and `attest verify`).
pub fn decode_bits(encoded: &str) -> Option<Vec<u8>> {
    let gz = B64.decode(encoded.strip_prefix('u')?).ok()?;
    let mut d = libdeflater::Decompressor::new();
    let mut out = vec![0u8; (STATUS_LIST_SIZE / 8) as usize * 64];
    let n = d.gzip_decompress(&gz, &mut out).ok()?;
    out.truncate(n);
    Some(out)
}

/// Whether bit `index` is set, index 0 being the left-most bit of the first byte.
pub fn bit(bits: &[u8], index: u64) -> bool {
    bits.get((index / 8) as usize).is_some_and(|b| b & (0x80 >> (index % 8)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bits_round_trip_left_most_first() {
        let mut bits = vec![0u8; (STATUS_LIST_SIZE / 8) as usize];
        bits[0] = 0x80;
        bits[1] = 0x01;
        let decoded = decode_bits(&encode_bits(&bits)).unwrap();
        assert_eq!(decoded, bits);
        assert!(bit(&decoded, 0) && bit(&decoded, 15) && !bit(&decoded, 1));
        assert!(encode_bits(&vec![0u8; (STATUS_LIST_SIZE / 8) as usize]).len() < 100);
    }
}
