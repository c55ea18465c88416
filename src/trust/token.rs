//! Keys, tokens and their verification: no knowledge of PDFs or HTTP.
//!
//! Certificates carry a JWS in compact serialisation (RFC 7515) signed with Ed25519
//! (`alg: EdDSA`, RFC 8037) and naming its key in the protected header (`kid`), so any standard
//! JOSE library can check one with the published JWK set. Private keys live in files readable only
//! by their owner (mode 0600) in a `keys/` folder beside the database; the public halves are
//! stored in the database so that a rotated-out key keeps verifying what it signed.
//!
//! The payload is deliberately a JSON *array*, not an object: it must fit, with the URL around
//! it, in a QR code of version 13 at error-correction level M even for a 60-byte name, and object
//! keys would cost that space. Its layout is documented in the README for independent verifiers.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{Conn, StoreError};

/// Why a key operation failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("signing key file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("signing key file {0} is not a 32-byte Ed25519 seed")]
    BadKeyFile(PathBuf),
    #[error("signing key {kid}: the private key file {path} is missing")]
    MissingPrivateKey { kid: String, path: PathBuf },
    /// A rotation given a folder without the active key: the wrong folder, most likely.
    #[error(
        "the keys folder {dir} does not hold the active signing key {kid} ({kid}.ed25519): check --keys / \
         ATTEST_KEYS (every instance must read the folder the new key goes into); nothing was changed"
    )]
    RotateElsewhere { kid: String, dir: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("random number generator: {0}")]
    Random(String),
}

/// Why a token is not genuine. Each variant is something a verifier can be told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a signed token (expected three base64url parts separated by dots)")]
    Malformed,
    #[error("the token's algorithm is \"{0}\", not EdDSA")]
    WrongAlgorithm(String),
    #[error("signed by an unknown key \"{0}\"")]
    UnknownKey(String),
    /// The key is the issuer's, but the issuer withdrew it (its private half leaked, or may
    /// have): anyone holding it could have signed this.
    #[error(
        "signed with key \"{kid}\", which the issuer withdrew on {on} ({reason}): ask the issuer for a reissued certificate"
    )]
    WithdrawnKey { kid: String, on: String, reason: String },
    #[error("the signature does not match the content")]
    BadSignature,
    #[error("the signed content is not an attest certificate")]
    BadPayload,
}

impl TokenError {
    /// The day (`YYYY-MM-DD`) a verifier's reason (this error as text, as a report carries it)
    /// says the issuer withdrew the signing key, if it names one: the public pages then say so,
    /// with the date, not "mistyped or changed".
    pub fn withdrawn_on(why: &str) -> Option<&str> {
        let rest = why.strip_prefix("signed with key \"")?;
        let (_, after) = rest.split_once("\", which the issuer withdrew on ")?;
        after.get(..10).filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
    }
}

/// What a certificate token asserts: what a verifier compares with the printed page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Certificate ID, Crockford base32 without dashes.
    pub id: String,
    /// The attendee's name exactly as printed.
    pub name: String,
    /// The event title, or a short form of it.
    pub event: String,
    /// The event's date (in its zone), `YYYY-MM-DD`.
    pub date: String,
    pub minutes: u32,
    /// Who issued the certificate.
    pub issuer: String,
    /// Position in the issuer's status lists (list = position / 131072, index = position %
    /// 131072), so that a verifier holding a cached list sees a revocation offline. A 7th array
    /// element, absent from tokens issued before credentials (they keep verifying).
    pub status: Option<u64>,
}

impl Claims {
    fn to_payload(&self) -> Vec<u8> {
        let (id, name, event, date, minutes, issuer) =
            (&self.id, &self.name, &self.event, &self.date, self.minutes, &self.issuer);
        match self.status {
            Some(p) => serde_json::to_vec(&(id, name, event, date, minutes, issuer, p)),
            None => serde_json::to_vec(&(id, name, event, date, minutes, issuer)),
        }
        .expect("strings and numbers serialise")
    }

    fn from_payload(bytes: &[u8]) -> Option<Claims> {
        type Six = (String, String, String, String, u32, String);
        type Seven = (String, String, String, String, u32, String, u64);
        if let Ok((id, name, event, date, minutes, issuer, p)) = serde_json::from_slice::<Seven>(bytes) {
            return Some(Claims { id, name, event, date, minutes, issuer, status: Some(p) });
        }
        let (id, name, event, date, minutes, issuer): Six = serde_json::from_slice(bytes).ok()?;
        Some(Claims { id, name, event, date, minutes, issuer, status: None })
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

/// A private signing key. `Debug` never prints the secret.
pub struct PrivateKey {
    kid: String,
    key: SigningKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey").field("kid", &self.kid).field("key", &"<redacted>").finish()
    }
}

impl PrivateKey {
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A key from a fixed seed, for tests.
    #[cfg(test)]
    pub(crate) fn for_tests(kid: &str, seed: [u8; 32]) -> PrivateKey {
        PrivateKey { kid: kid.into(), key: SigningKey::from_bytes(&seed) }
    }

    /// A key from a given seed, under its usual key id: only for the published test vectors
    /// ([`crate::vectors`]), whose keys are thrown away. Real keys come from the operating
    /// system's random number generator and nowhere else.
    pub(crate) fn from_seed(seed: [u8; 32]) -> PrivateKey {
        let key = SigningKey::from_bytes(&seed);
        PrivateKey { kid: kid_of(&key.verifying_key()), key }
    }

    /// The key itself, for the credential proofs made with it ([`crate::trust::credential`]).
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs `claims` into a compact JWS.
    pub fn sign(&self, claims: &Claims) -> String {
        sign_raw(&self.key, Some(&self.kid), &claims.to_payload())
    }

    /// The length `sign` would give, without signing: callers that fit a
    /// token into a size (the QR code) try several claims, and a signature
    /// costs far more than serialising them.
    pub fn token_len(&self, claims: &Claims) -> usize {
        // Base64url without padding, then a dot and the 64-byte signature.
        signing_input(Some(&self.kid), &claims.to_payload()).len() + 1 + base64::encoded_len(64, false).expect("small")
    }
}

/// `BASE64URL(header) . BASE64URL(payload)`, what a JWS signature covers.
fn signing_input(kid: Option<&str>, payload: &[u8]) -> String {
    let header = serde_json::to_vec(&Header { alg: "EdDSA".into(), kid: kid.map(Into::into) }).expect("serialises");
    let mut input = B64.encode(header);
    input.push('.');
    input.push_str(&B64.encode(payload));
    input
}

fn sign_raw(key: &SigningKey, kid: Option<&str>, payload: &[u8]) -> String {
    let mut input = signing_input(kid, payload);
    let sig = key.sign(input.as_bytes());
    input.push('.');
    input.push_str(&B64.encode(sig.to_bytes()));
    input
}

/// The public keys a verifier trusts, by key id.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: BTreeMap<String, VerifyingKey>,
    /// Keys the issuer withdrew, with when and why: no longer trusted (not in `keys`, nor in
    /// the JWK set or the DID document), named when something they signed is checked.
    withdrawn: BTreeMap<String, (DateTime<Utc>, String)>,
}

impl KeySet {
    pub fn insert(&mut self, kid: String, key: VerifyingKey) {
        self.keys.insert(kid, key);
    }

    /// Records that the issuer withdrew `kid` at `at` for `reason`; it verifies nothing after.
    pub fn withdraw(&mut self, kid: String, at: DateTime<Utc>, reason: String) {
        self.keys.remove(&kid);
        self.withdrawn.insert(kid, (at, reason));
    }

    /// When and why the issuer withdrew `kid`, if it did.
    pub fn withdrawal(&self, kid: &str) -> Option<&(DateTime<Utc>, String)> {
        self.withdrawn.get(kid)
    }

    /// The ids of the withdrawn keys.
    pub fn withdrawn(&self) -> impl Iterator<Item = &String> {
        self.withdrawn.keys()
    }

    /// Why `kid` verifies nothing: withdrawn, or unknown.
    pub fn refusal(&self, kid: &str) -> TokenError {
        match self.withdrawn.get(kid) {
            Some((at, reason)) => TokenError::WithdrawnKey {
                kid: kid.to_owned(),
                on: at.format("%Y-%m-%d").to_string(),
                reason: reason.clone(),
            },
            None => TokenError::UnknownKey(kid.to_owned()),
        }
    }

    /// The key with id `kid`.
    pub fn get(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys.get(kid)
    }

    /// Every key, by key id.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &VerifyingKey)> {
        self.keys.iter()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Checks a compact JWS: EdDSA only (`none` and everything else is refused before any key
    /// is looked at), a known `kid`, a valid signature, an attest payload.
    pub fn verify(&self, token: &str) -> Result<(Claims, String), TokenError> {
        let token = token.trim();
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(TokenError::Malformed);
        };
        let header: Header =
            B64.decode(h).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(TokenError::Malformed)?;
        if header.alg != "EdDSA" {
            return Err(TokenError::WrongAlgorithm(header.alg));
        }
        let kid = header.kid.unwrap_or_default();
        let key = self.keys.get(&kid).ok_or_else(|| self.refusal(&kid))?;
        let sig = B64.decode(s).ok().and_then(|b| Signature::from_slice(&b).ok()).ok_or(TokenError::Malformed)?;
        key.verify(&token.as_bytes()[..h.len() + 1 + p.len()], &sig).map_err(|_| TokenError::BadSignature)?;
        let payload = B64.decode(p).map_err(|_| TokenError::Malformed)?;
        let claims = Claims::from_payload(&payload).ok_or(TokenError::BadPayload)?;
        Ok((claims, kid))
    }

    /// The JWK set (RFC 8037 OKP keys), for `/.well-known/jwks.json` and offline verifiers.
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self
            .keys
            .iter()
            .map(|(kid, k)| {
                serde_json::json!({"kty": "OKP", "crv": "Ed25519", "x": B64.encode(k.as_bytes()), "kid": kid, "use": "sig", "alg": "EdDSA"})
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

/// RFC 7638 thumbprint of an Ed25519 public key; its first 8 characters are the key id.
pub fn thumbprint(key: &VerifyingKey) -> String {
    let jwk = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, B64.encode(key.as_bytes()));
    B64.encode(Sha256::digest(jwk.as_bytes()))
}

fn kid_of(key: &VerifyingKey) -> String {
    thumbprint(key)[..8].to_owned()
}

/// A stored signing key, for listings: the database's row and what this machine has of it.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub key: crate::store::keys::StoredKey,
    /// Whether the private key file is present on this machine.
    pub private_key_present: bool,
}

/// Where keys live for a given database file: `keys/` beside it.
pub fn keys_dir(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("keys")
}

fn key_path(dir: &Path, kid: &str) -> PathBuf {
    dir.join(format!("{kid}.ed25519"))
}

fn write_private(path: &Path, seed: &[u8; 32]) -> Result<(), KeyError> {
    use std::io::Write;
    let io = |source| KeyError::Io { path: path.to_owned(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    f.write_all(B64.encode(seed).as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)
}

fn read_private(path: &Path) -> Result<SigningKey, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io { path: path.to_owned(), source })?;
    let seed: [u8; 32] = B64
        .decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| KeyError::BadKeyFile(path.to_owned()))?;
    Ok(SigningKey::from_bytes(&seed))
}

fn generate(conn: &Conn, dir: &Path, now: DateTime<Utc>) -> Result<PrivateKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    let kid = kid_of(&key.verifying_key());
    write_private(&key_path(dir, &kid), &seed)?;
    crate::store::keys::insert(conn, &kid, &B64.encode(key.verifying_key().as_bytes()), now)?;
    tracing::info!(kid = %kid, "signing key created");
    Ok(PrivateKey { kid, key })
}

/// The key that signs new certificates, created on first use.
///
/// Two processes starting together on a new database would both find no key and both make
/// one: the key is made under the database's writer lock, after looking again.
pub fn active(conn: &Conn, dir: &Path, now: DateTime<Utc>) -> Result<PrivateKey, KeyError> {
    match active_kid(conn)? {
        None => conn.exclusively(|| match active_kid(conn)? {
            None => generate(conn, dir, now),
            Some(kid) => load(dir, kid),
        }),
        Some(kid) => load(dir, kid),
    }
}

/// The private half of key `kid` from `dir`; an error names the file when it is missing.
fn load(dir: &Path, kid: String) -> Result<PrivateKey, KeyError> {
    let path = key_path(dir, &kid);
    if !path.exists() {
        return Err(KeyError::MissingPrivateKey { kid, path });
    }
    let key = read_private(&path)?;
    Ok(PrivateKey { kid, key })
}

/// The active key's id, without reading the key itself; `None` before the first key exists.
pub fn active_kid(conn: &Conn) -> Result<Option<String>, KeyError> {
    Ok(crate::store::keys::active_kid(conn)?)
}

/// Retires the active key and creates a new one, and removes the retired keys' private files from
/// `dir`. Certificates signed by the old key stay valid.
///
/// Under the database's writer lock, as one change: two rotations at once each retired the key
/// before either made its own, and left two active keys.
///
/// Refused, before anything changes, when `dir` does not hold the active key's private file: the
/// new key's file goes where the active one is, where every instance reads it. A mistyped
/// `--keys` wrote the new key into a new folder and made it the active one, and then no instance
/// could sign. (A database without any key yet has nothing to check: its first key is made.)
pub fn rotate(conn: &Conn, dir: &Path, now: DateTime<Utc>) -> Result<PrivateKey, KeyError> {
    let new = conn.exclusively(|| {
        if let Some(kid) = active_kid(conn)? {
            match load(dir, kid) {
                Err(KeyError::MissingPrivateKey { kid, .. }) => {
                    return Err(KeyError::RotateElsewhere { kid, dir: dir.to_owned() });
                }
                other => other.map(drop)?,
            }
        }
        crate::store::keys::retire_active(conn, now)?;
        let s = generate(conn, dir, now)?;
        crate::store::audit(conn, now, "cli", "keys.rotate", &s.kid, "")?;
        Ok(s)
    })?;
    // The retired keys' private halves go: nothing signs with a retired key again (it verifies
    // from its public half, in the database), and kept, any later copy of the folder could sign
    // certificates that verify as genuine. After the commit: a rotation that failed removes
    // nothing.
    for k in crate::store::keys::list(conn)?.into_iter().filter(|k| k.retired_at.is_some()) {
        let path = key_path(dir, &k.kid);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                tracing::warn!(kid = %k.kid, error = %e, "could not remove a retired key's private file")
            }
            _ => {}
        }
    }
    Ok(new)
}

/// Every public key ever used, retired ones included; withdrawn ones as withdrawn.
pub fn key_set(conn: &Conn) -> Result<KeySet, KeyError> {
    let mut set = KeySet::default();
    for k in crate::store::keys::list(conn)? {
        if let Some(at) = k.withdrawn_at {
            set.withdraw(k.kid, at, k.withdrawn_reason.unwrap_or_default());
            continue;
        }
        if let Some(vk) = B64
            .decode(&k.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        {
            set.insert(k.kid, vk);
        }
    }
    Ok(set)
}

pub fn list(conn: &Conn, dir: Option<&Path>) -> Result<Vec<KeyInfo>, KeyError> {
    let rows = crate::store::keys::list(conn)?
        .into_iter()
        .map(|key| KeyInfo { private_key_present: dir.is_some_and(|d| key_path(d, &key.kid).exists()), key })
        .collect();
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    fn claims() -> Claims {
        Claims {
            id: "7KQ2M9XD3F8AWC1T9ZZBH4QKR2".into(),
            name: "Αλέξανδρος Παπαδόπουλος".into(),
            event: "Freedom of expression".into(),
            date: "2025-03-14".into(),
            minutes: 98,
            issuer: "Council of Europe".into(),
            status: Some(131_071),
        }
    }

    /// A withdrawn key verifies nothing it signed, says when and why, and is gone from the JWK
    /// set; the other keys go on verifying.
    #[test]
    fn a_withdrawn_key_verifies_nothing_and_is_not_published() {
        let (old, new) = (PrivateKey::for_tests("k1", [7u8; 32]), PrivateKey::for_tests("k2", [9u8; 32]));
        let mut keys = KeySet::default();
        keys.insert(old.kid().to_owned(), old.public());
        keys.insert(new.kid().to_owned(), new.public());
        let (by_old, by_new) = (old.sign(&claims()), new.sign(&claims()));
        assert!(keys.verify(&by_old).is_ok());
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 6, 23, 0, 0).unwrap();
        keys.withdraw(old.kid().to_owned(), at, "leaked".into());
        let refused = keys.verify(&by_old).unwrap_err();
        assert_eq!(
            refused,
            TokenError::WithdrawnKey { kid: old.kid().to_owned(), on: "2026-12-06".into(), reason: "leaked".into() }
        );
        assert_eq!(TokenError::withdrawn_on(&refused.to_string()), Some("2026-12-06"), "{refused}");
        assert_eq!(TokenError::withdrawn_on(&TokenError::UnknownKey("x".into()).to_string()), None);
        assert!(keys.verify(&by_new).is_ok());
        let jwks = keys.jwks().to_string();
        assert!(!jwks.contains(old.kid()) && jwks.contains(new.kid()), "{jwks}");
    }

    #[test]
    fn tokens_without_a_status_position_still_verify() {
        // A token issued before credentials: a six-element payload.
        let s = PrivateKey { kid: "k1".into(), key: key() };
        let old = Claims { status: None, ..claims() };
        let token = s.sign(&old);
        let payload = B64.decode(token.split('.').nth(1).unwrap()).unwrap();
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&payload).unwrap().as_array().unwrap().len(), 6);
        assert_eq!(set().verify(&token).unwrap().0, old);
        let (c, _) = set().verify(&s.sign(&claims())).unwrap();
        assert_eq!(c.status, Some(131_071));
    }

    fn set() -> KeySet {
        let mut s = KeySet::default();
        s.insert("k1".into(), key().verifying_key());
        s
    }

    #[test]
    fn token_length_is_known_before_signing() {
        let s = PrivateKey { kid: "k1".into(), key: key() };
        for name in ["A", "Αλέξανδρος Παπαδόπουλος", "محمد العلوي", "王小明 (\"quoted\")"]
        {
            for event in ["", "x", "Freedom of expression, hate speech and the ECHR…"] {
                let c = Claims { name: name.into(), event: event.into(), ..claims() };
                assert_eq!(s.token_len(&c), s.sign(&c).len(), "{name} / {event}");
            }
        }
    }

    #[test]
    fn rfc8037_test_vector_is_reproduced() {
        // RFC 8037 appendix A.1 (key) and A.4 (JWS of "Example of Ed25519 signing").
        let d: [u8; 32] = B64.decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A").unwrap().try_into().unwrap();
        let k = SigningKey::from_bytes(&d);
        assert_eq!(B64.encode(k.verifying_key().as_bytes()), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
        assert_eq!(thumbprint(&k.verifying_key()), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
        let jws = sign_raw(&k, None, b"Example of Ed25519 signing");
        assert_eq!(
            jws,
            "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        );
    }

    #[test]
    fn sign_verify_round_trip() {
        let s = PrivateKey { kid: "k1".into(), key: key() };
        let token = s.sign(&claims());
        let (c, kid) = set().verify(&token).unwrap();
        assert_eq!((c, kid.as_str()), (claims(), "k1"));
        let header: serde_json::Value =
            serde_json::from_slice(&B64.decode(token.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(header, serde_json::json!({"alg": "EdDSA", "kid": "k1"}));
    }

    #[test]
    fn one_changed_byte_anywhere_is_rejected() {
        let token = PrivateKey { kid: "k1".into(), key: key() }.sign(&claims());
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            if bytes[i] == b'.' {
                continue;
            }
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let t = String::from_utf8(bytes).unwrap();
            assert!(set().verify(&t).is_err(), "accepted with byte {i} changed: {t}");
        }
    }

    #[test]
    fn unknown_key_alg_none_and_other_algorithms_are_rejected() {
        let other = PrivateKey { kid: "k2".into(), key: SigningKey::from_bytes(&[9u8; 32]) };
        assert_eq!(set().verify(&other.sign(&claims())), Err(TokenError::UnknownKey("k2".into())));
        // Same kid, wrong key: a forgery.
        let forged = PrivateKey { kid: "k1".into(), key: SigningKey::from_bytes(&[9u8; 32]) };
        assert_eq!(set().verify(&forged.sign(&claims())), Err(TokenError::BadSignature));
        let payload = B64.encode(claims().to_payload());
        let none = format!("{}.{payload}.", B64.encode(br#"{"alg":"none","kid":"k1"}"#));
        assert_eq!(set().verify(&none), Err(TokenError::WrongAlgorithm("none".into())));
        let hs = format!("{}.{payload}.c2ln", B64.encode(br#"{"alg":"HS256","kid":"k1"}"#));
        assert_eq!(set().verify(&hs), Err(TokenError::WrongAlgorithm("HS256".into())));
        assert_eq!(set().verify("not a token"), Err(TokenError::Malformed));
        assert_eq!(set().verify("a.b.c.d"), Err(TokenError::Malformed));
    }

    #[test]
    fn jwks_is_rfc8037() {
        let j = set().jwks();
        assert_eq!(j["keys"][0]["kty"], "OKP");
        assert_eq!(j["keys"][0]["crv"], "Ed25519");
        assert_eq!(j["keys"][0]["kid"], "k1");
        assert_eq!(B64.decode(j["keys"][0]["x"].as_str().unwrap()).unwrap(), key().verifying_key().as_bytes());
    }

    #[test]
    fn debug_never_prints_the_secret() {
        let s = PrivateKey { kid: "k1".into(), key: key() };
        let shown = format!("{s:?}");
        assert!(shown.contains("redacted"));
        assert!(!shown.contains(&B64.encode([7u8; 32])));
        assert!(!shown.contains("7, 7, 7"));
    }

    #[test]
    fn keys_are_created_once_with_mode_0600_and_rotation_keeps_old_keys() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("a.sqlite3")).unwrap();
        let kd = keys_dir(&dir.path().join("a.sqlite3"));
        let now = chrono::Utc::now();
        let a = active(&conn, &kd, now).unwrap();
        let again = active(&conn, &kd, now).unwrap();
        assert_eq!(a.kid(), again.kid());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_path(&kd, a.kid())).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let token = a.sign(&claims());
        let b = rotate(&conn, &kd, now).unwrap();
        assert_ne!(a.kid(), b.kid());
        assert_eq!(active(&conn, &kd, now).unwrap().kid(), b.kid());
        let keys = key_set(&conn).unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys.verify(&token).is_ok(), "retired keys keep verifying");
        let listed = list(&conn, Some(&kd)).unwrap();
        assert!(
            listed[0].key.retired_at.is_some() && listed[1].key.retired_at.is_none() && listed[1].private_key_present
        );
    }
}
