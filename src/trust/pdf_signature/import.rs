//! Making an organisation's own key and certificates the PDF signer: from a PEM key and chain,
//! or from a PKCS#12 file ([`super::pkcs12`] reads it). Everything is checked before anything
//! is written.
//!
//! What it deliberately does not do: check revocation or trust of the imported chain (the
//! relying party's reader decides), or keep the previous identity (PDFs signed before carry their
//! own chain and stay valid).

use std::path::Path;

use chrono::{DateTime, Utc};
use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::Certificate;
use x509_cert::time::Time;

use super::identity::{IdentityInfo, info, replace_signer};
use super::key::SignerKey;
use super::pkcs12::{Password, pkcs12_contents};
use super::{PdfSignError, PdfSigner};

/// Why an organisation's certificate cannot be imported. Nothing is changed when this happens.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Read(String),
    #[error(
        "the private key is not an RSA, ECDSA P-256 or ECDSA P-384 key (PEM: PKCS#8 \"PRIVATE KEY\", SEC1 \"EC PRIVATE KEY\" or PKCS#1 \"RSA PRIVATE KEY\", unencrypted)"
    )]
    UnsupportedKey,
    #[error("the RSA key has {0} bits; at least 2048 are required")]
    RsaTooShort(usize),
    #[error("the PKCS#12 file cannot be opened with this password (wrong password, or the file is damaged)")]
    WrongPassword,
    #[error("the PKCS#12 file: {0}")]
    Pkcs12(String),
    #[error("the certificate chain holds no certificate")]
    NoCertificate,
    #[error(
        "the private key does not match the certificate \"{0}\" (the first certificate of the chain must be the signer's)"
    )]
    KeyMismatch(String),
    #[error("the certificate \"{subject}\" is not valid now: valid from {from} to {to}")]
    NotValidNow { subject: String, from: String, to: String },
    #[error("the certificate \"{0}\" does not allow digital signatures (its key usage lacks digitalSignature)")]
    NoDigitalSignature(String),
    #[error("the chain is out of order: \"{0}\" is not issued by the certificate after it")]
    BrokenChain(String),
    #[error(transparent)]
    Write(#[from] PdfSignError),
}

/// Makes an organisation's certificate the PDF signer: `key_pem` (the signer's private key) and
/// `chain_pem` (its certificate first, then the intermediates, optionally the root). Everything
/// is checked before anything is written; PDFs signed before keep their own chain and stay valid.
pub fn import_pem(
    dir: &Path,
    key_pem: &str,
    chain_pem: &[u8],
    now: DateTime<Utc>,
) -> Result<IdentityInfo, ImportError> {
    let key = SignerKey::from_pem(key_pem)?;
    let chain =
        Certificate::load_pem_chain(chain_pem).map_err(|e| ImportError::Read(format!("certificate chain: {e}")))?;
    import(dir, key, chain, now)
}

/// Makes the key and certificates of a PKCS#12 file (`.p12`, `.pfx`) the PDF signer, as
/// [`import_pem`] does: the signer's certificate is the one matching the key, and the chain is
/// built from the file's other certificates by issuer. See [`pkcs12_contents`] for the
/// encryption schemes read.
pub fn import_pkcs12(
    dir: &Path,
    p12: &[u8],
    password: &Password,
    now: DateTime<Utc>,
) -> Result<IdentityInfo, ImportError> {
    let (key_der, certs) = pkcs12_contents(p12, password)?;
    let key = SignerKey::from_pkcs8_der(&key_der)?;
    let public = key.public_bits();
    let leaf = certs
        .iter()
        .position(|c| c.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes() == public)
        .ok_or_else(|| match certs.first() {
            Some(c) => ImportError::KeyMismatch(c.tbs_certificate.subject.to_string()),
            None => ImportError::NoCertificate,
        })?;
    let mut rest = certs;
    let mut chain = vec![rest.remove(leaf)];
    loop {
        let last = &chain[chain.len() - 1].tbs_certificate;
        if last.issuer == last.subject {
            break;
        }
        match rest.iter().position(|c| c.tbs_certificate.subject == last.issuer) {
            Some(i) => chain.push(rest.remove(i)),
            None => break,
        }
    }
    import(dir, key, chain, now)
}

/// Checks `key` and `chain` (signer first) and makes them the PDF signer.
fn import(
    dir: &Path,
    key: SignerKey,
    chain: Vec<Certificate>,
    now: DateTime<Utc>,
) -> Result<IdentityInfo, ImportError> {
    let leaf = chain.first().ok_or(ImportError::NoCertificate)?;
    let tbs = &leaf.tbs_certificate;
    let subject = tbs.subject.to_string();
    if tbs.subject_public_key_info.subject_public_key.raw_bytes() != key.public_bits() {
        return Err(ImportError::KeyMismatch(subject));
    }
    let unix = |t: Time| t.to_unix_duration().as_secs() as i64;
    let (from, to) = (unix(tbs.validity.not_before), unix(tbs.validity.not_after));
    if now.timestamp() < from || now.timestamp() > to {
        return Err(ImportError::NotValidNow {
            subject,
            from: tbs.validity.not_before.to_string(),
            to: tbs.validity.not_after.to_string(),
        });
    }
    let key_usage_oid = ObjectIdentifier::new_unwrap("2.5.29.15");
    let signs = tbs
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == key_usage_oid)
        .and_then(|e| x509_cert::ext::pkix::KeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|ku| ku.digital_signature());
    if !signs {
        return Err(ImportError::NoDigitalSignature(subject));
    }
    for pair in chain.windows(2) {
        if pair[0].tbs_certificate.issuer != pair[1].tbs_certificate.subject {
            return Err(ImportError::BrokenChain(pair[0].tbs_certificate.subject.to_string()));
        }
    }
    // Checked: build the signer (which also proves the chain encodes), then write.
    let signer = PdfSigner::new(key, chain)?;
    replace_signer(dir, &signer)?;
    tracing::info!(fingerprint = %&signer.fingerprint[..16], "PDF signing identity imported");
    Ok(info(dir)?.expect("just written"))
}
