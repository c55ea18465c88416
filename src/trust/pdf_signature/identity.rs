//! The PDF signing identity on disk: by default a local root CA and a document-signing
//! certificate it issues, created on first use in the `keys/` folder; loading it, and what
//! `attest keys` shows of it.
//!
//! What it deliberately does not do: import an organisation's own certificate (that is
//! [`super::import`]), or build the CMS ([`super::cms`]).

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use der::asn1::GeneralizedTime;
use der::{Encode, EncodePem};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

use super::asn1::hex;
use super::key::SignerKey;
use super::{PdfSignError, PdfSigner};

pub(super) const ROOT_KEY: &str = "pdf-root.key";
pub(super) const SIGNER_KEY: &str = "pdf-signer.key";
pub(super) const CHAIN: &str = "pdf-chain.pem";

/// One PDF identity, for listings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IdentityInfo {
    pub subject: String,
    pub issuer: String,
    /// SHA-256 of the signer certificate (DER), hex.
    pub fingerprint: String,
    pub not_before: String,
    pub not_after: String,
    pub chain_len: usize,
}

pub(super) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> PdfSignError + '_ {
    move |source| PdfSignError::Io { path: path.to_owned(), source }
}

/// Writes a secret file readable only by its owner, creating it (never overwriting one).
pub(super) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), PdfSignError> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(path))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Writes through a temporary name, so a reader never sees half a chain.
pub(super) fn write_public(path: &Path, bytes: &[u8]) -> Result<(), PdfSignError> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(io_err(path))?;
    std::fs::rename(&tmp, path).map_err(io_err(path))
}

/// Puts `signer`'s key and chain (PEM, leaf first) in place of the current ones: the key
/// through a private temporary file renamed over the old one, then the chain through its own
/// temporary name. Making, importing and renewing an identity all end here.
pub(super) fn replace_signer(dir: &Path, signer: &PdfSigner) -> Result<(), PdfSignError> {
    let key_path = dir.join(SIGNER_KEY);
    let tmp = dir.join(format!("{SIGNER_KEY}.new"));
    let _ = std::fs::remove_file(&tmp);
    write_private(&tmp, signer.key.to_pkcs8_pem()?.as_bytes())?;
    std::fs::rename(&tmp, &key_path).map_err(io_err(&key_path))?;
    write_public(&dir.join(CHAIN), signer.chain_pem()?.as_bytes())
}

fn random_key() -> Result<p256::ecdsa::SigningKey, PdfSignError> {
    loop {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| PdfSignError::Build(format!("random number generator: {e}")))?;
        // Fails only for zero or a value above the group order: try again.
        if let Ok(k) = p256::ecdsa::SigningKey::from_bytes(&seed.into()) {
            return Ok(k);
        }
    }
}

fn random_serial() -> Result<SerialNumber, PdfSignError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| PdfSignError::Build(format!("random number generator: {e}")))?;
    b[0] &= 0x7f; // positive
    b[0] |= 0x10; // and no leading zero byte to trim
    SerialNumber::new(&b).map_err(|e| PdfSignError::Build(e.to_string()))
}

/// An RFC 4514 attribute value with the characters that would end or change it escaped.
fn rfc4514_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for (i, c) in v.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') || (i == 0 && matches!(c, '#' | ' ')) {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

fn name(cn: &str, org: Option<&str>) -> Result<Name, PdfSignError> {
    let s = match org {
        Some(org) => format!("CN={},O={}", rfc4514_value(cn), rfc4514_value(org)),
        None => format!("CN={}", rfc4514_value(cn)),
    };
    s.parse().map_err(|e| PdfSignError::Build(format!("name {s}: {e}")))
}

fn validity(now: DateTime<Utc>, years: u64) -> Result<Validity, PdfSignError> {
    let t = |unix: i64| -> Result<Time, PdfSignError> {
        let d = Duration::from_secs(unix.max(0) as u64);
        Ok(Time::GeneralTime(GeneralizedTime::from_unix_duration(d).map_err(|e| PdfSignError::Build(e.to_string()))?))
    };
    // An hour back, so a verifier whose clock is a little behind does not see "not yet valid".
    let from = now.timestamp() - 3600;
    Ok(Validity { not_before: t(from)?, not_after: t(from + (years * 365 + years / 4) as i64 * 86_400)? })
}

fn spki_of(key: &p256::ecdsa::SigningKey) -> Result<SubjectPublicKeyInfoOwned, PdfSignError> {
    SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| PdfSignError::Build(e.to_string()))
}

/// The default identity's two certificates: a root CA for `org` (`root_years`) and a
/// document-signing certificate it issues (`leaf_years`), both valid from an hour before `now`.
fn default_chain(
    org: &str,
    root_key: &p256::ecdsa::SigningKey,
    leaf_key: &p256::ecdsa::SigningKey,
    serials: (SerialNumber, SerialNumber),
    now: DateTime<Utc>,
    (root_years, leaf_years): (u64, u64),
) -> Result<(Certificate, Certificate), PdfSignError> {
    // The root's name appears in every certificate and in the CMS several times (as hex in the
    // PDF, twice its size): a CN alone keeps the signature within its 3 KiB budget.
    let root_name = name(&format!("{org} root"), None)?;
    let build = |e: x509_cert::builder::Error| PdfSignError::Build(e.to_string());
    let root = CertificateBuilder::new(
        Profile::Root,
        serials.0,
        validity(now, root_years)?,
        root_name.clone(),
        spki_of(root_key)?,
        root_key,
    )
    .map_err(build)?
    .build::<p256::ecdsa::DerSignature>()
    .map_err(build)?;
    let leaf =
        leaf_certificate(root_name, name(org, Some(org))?, leaf_key, root_key, serials.1, validity(now, leaf_years)?)?;
    Ok((leaf, root))
}

/// A document-signing certificate for `subject`'s `leaf_key`, issued by the root named `issuer`
/// with `root_key`: the default identity's first one, and each renewal.
fn leaf_certificate(
    issuer: Name,
    subject: Name,
    leaf_key: &p256::ecdsa::SigningKey,
    root_key: &p256::ecdsa::SigningKey,
    serial: SerialNumber,
    period: Validity,
) -> Result<Certificate, PdfSignError> {
    let build = |e: x509_cert::builder::Error| PdfSignError::Build(e.to_string());
    CertificateBuilder::new(
        Profile::Leaf { issuer, enable_key_agreement: false, enable_key_encipherment: false },
        serial,
        period,
        subject,
        spki_of(leaf_key)?,
        root_key,
    )
    .map_err(build)?
    .build::<p256::ecdsa::DerSignature>()
    .map_err(build)
}

/// Creates the default identity: a root CA (10 years) and a document-signing certificate
/// (3 years) for `issuer`, written into `dir`.
pub fn create_default(dir: &Path, issuer: &str, now: DateTime<Utc>) -> Result<PdfSigner, PdfSignError> {
    let org = if issuer.trim().is_empty() { "attest" } else { issuer.trim() };
    let root_key = random_key()?;
    let leaf_key = random_key()?;
    let (leaf, root) = default_chain(org, &root_key, &leaf_key, (random_serial()?, random_serial()?), now, (10, 3))?;
    let root_pem = root_key.to_pkcs8_pem(LineEnding::LF).map_err(|e| PdfSignError::Build(e.to_string()))?;
    write_private(&dir.join(ROOT_KEY), root_pem.as_bytes())?;
    let signer = PdfSigner::new(SignerKey::P256(leaf_key), vec![leaf, root])?;
    replace_signer(dir, &signer)?;
    tracing::info!(fingerprint = %&signer.fingerprint[..16], "PDF signing identity created");
    Ok(signer)
}

/// Renews the default identity's document-signing certificate, which lasts 3 years where its
/// root lasts 10: a new key, and a certificate for the same subject from the same root (3
/// years, never past the root's own end), in place of the current pair. PDFs signed before keep
/// verifying: each carries its own certificate, and the root relying parties trust is the
/// same. The old signer's private key is overwritten. `Ok(None)` when there is nothing here to
/// renew: no identity yet (made at first use), or the organisation's own certificate (its root
/// key is not here: it is renewed by importing its successor, `keys pdf-import`).
pub fn renew_signer(dir: &Path, now: DateTime<Utc>) -> Result<Option<IdentityInfo>, PdfSignError> {
    let root_key_path = dir.join(ROOT_KEY);
    if !root_key_path.exists() || !dir.join(SIGNER_KEY).exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&root_key_path).map_err(io_err(&root_key_path))?;
    let root_key = p256::ecdsa::SigningKey::from_pkcs8_pem(&text)
        .map_err(|e| PdfSignError::BadFile { path: root_key_path.clone(), why: format!("unreadable key: {e}") })?;
    let chain = read_chain(dir)?;
    let (old, root) = (&chain[0], chain.last().expect("non-empty"));
    // An organisation's certificate imported over the default identity leaves the default
    // root's key behind: not the chain's root, so nothing to renew with it.
    if chain.len() != 2 || root.tbs_certificate.subject_public_key_info != spki_of(&root_key)? {
        return Ok(None);
    }
    let leaf_key = random_key()?;
    let mut period = validity(now, 3)?;
    if period.not_after.to_unix_duration() > root.tbs_certificate.validity.not_after.to_unix_duration() {
        period.not_after = root.tbs_certificate.validity.not_after;
    }
    let (issuer, subject) = (root.tbs_certificate.subject.clone(), old.tbs_certificate.subject.clone());
    let leaf = leaf_certificate(issuer, subject, &leaf_key, &root_key, random_serial()?, period)?;
    let signer = PdfSigner::new(SignerKey::P256(leaf_key), vec![leaf, root.clone()])?;
    replace_signer(dir, &signer)?;
    tracing::info!(fingerprint = %&signer.fingerprint[..16], "PDF signing certificate renewed");
    info(dir)
}

/// A throwaway identity of the default shape whose keys and serials derive from `label`, valid
/// 20 years from `now`: the same certificates and (ECDSA being deterministic, RFC 6979) the
/// same signatures on every run, for the published test vectors. Nothing is written; the label
/// stays in the caller's source.
pub fn throwaway(label: &str, org: &str, now: DateTime<Utc>) -> Result<PdfSigner, PdfSignError> {
    let derive = |what: &str| -> [u8; 32] { Sha256::digest(format!("{label}: {what}").as_bytes()).into() };
    let key = |what: &str| {
        p256::ecdsa::SigningKey::from_bytes(&derive(what).into()).map_err(|e| PdfSignError::Build(e.to_string()))
    };
    let serial = |what: &str| {
        let mut b: [u8; 16] = derive(what)[..16].try_into().expect("16 of 32 bytes");
        b[0] = (b[0] & 0x7f) | 0x10;
        SerialNumber::new(&b).map_err(|e| PdfSignError::Build(e.to_string()))
    };
    let (root_key, leaf_key) = (key("root key")?, key("signer key")?);
    let (leaf, root) =
        default_chain(org, &root_key, &leaf_key, (serial("root serial")?, serial("signer serial")?), now, (20, 20))?;
    PdfSigner::new(SignerKey::P256(leaf_key), vec![leaf, root])
}

/// The identity that signs new PDFs: the one in `dir`, else a new default one for `issuer`.
pub fn active(dir: &Path, issuer: &str, now: DateTime<Utc>) -> Result<PdfSigner, PdfSignError> {
    if dir.join(SIGNER_KEY).exists() { load(dir) } else { create_default(dir, issuer, now) }
}

/// Loads the identity in `dir`.
pub fn load(dir: &Path) -> Result<PdfSigner, PdfSignError> {
    let key_path = dir.join(SIGNER_KEY);
    let text = std::fs::read_to_string(&key_path).map_err(io_err(&key_path))?;
    let key = SignerKey::from_pem(&text)
        .map_err(|e| PdfSignError::BadFile { path: key_path.clone(), why: format!("unreadable key: {e}") })?;
    let chain = read_chain(dir)?;
    PdfSigner::new(key, chain)
}

fn read_chain(dir: &Path) -> Result<Vec<Certificate>, PdfSignError> {
    let path = dir.join(CHAIN);
    let pem = std::fs::read(&path).map_err(io_err(&path))?;
    let chain = Certificate::load_pem_chain(&pem)
        .map_err(|e| PdfSignError::BadFile { path: path.clone(), why: e.to_string() })?;
    if chain.is_empty() {
        return Err(PdfSignError::BadFile { path, why: "no certificate".into() });
    }
    Ok(chain)
}

/// The chain in use, PEM, leaf first and root last, as `attest keys pdf-chain` prints it.
pub fn chain_pem(dir: &Path) -> Result<String, PdfSignError> {
    let path = dir.join(CHAIN);
    std::fs::read_to_string(&path).map_err(io_err(&path))
}

/// The root certificate of the chain in use, PEM: what relying parties add to their reader.
pub fn root_pem(dir: &Path) -> Result<String, PdfSignError> {
    let chain = read_chain(dir)?;
    let root = chain.last().expect("non-empty");
    root.to_pem(LineEnding::LF).map_err(|e| PdfSignError::Build(e.to_string()))
}

/// The root certificates attest knows as its own (DER): the current chain's root.
pub fn own_roots(dir: &Path) -> Vec<Vec<u8>> {
    read_chain(dir).ok().and_then(|c| c.last().and_then(|r| r.to_der().ok())).into_iter().collect()
}

/// The identity in `dir`, for `attest keys list`; `None` before first use.
pub fn info(dir: &Path) -> Result<Option<IdentityInfo>, PdfSignError> {
    if !dir.join(CHAIN).exists() {
        return Ok(None);
    }
    let chain = read_chain(dir)?;
    let leaf = &chain[0];
    let tbs = &leaf.tbs_certificate;
    Ok(Some(IdentityInfo {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        fingerprint: hex(&Sha256::digest(leaf.to_der().map_err(|e| PdfSignError::Build(e.to_string()))?)),
        not_before: tbs.validity.not_before.to_string(),
        not_after: tbs.validity.not_after.to_string(),
        chain_len: chain.len(),
    }))
}
