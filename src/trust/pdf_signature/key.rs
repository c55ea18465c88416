//! The private key of the PDF signer: P-256, P-384 or RSA, read from PKCS#8, SEC1 or PKCS#1,
//! and the signature algorithm each one signs with.
//!
//! What it deliberately does not do: RSA-PSS, encrypted PEM keys, or print the key (`Debug`
//! says only its kind).

use std::fmt;

use p256::ecdsa::signature::Signer;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};

use super::PdfSignError;
use super::asn1::{OID_ECDSA_SHA256, OID_ECDSA_SHA384, OID_RSA_SHA256};
use super::import::ImportError;

/// The smallest RSA key accepted (bits): shorter ones are deprecated everywhere (ETSI TS 119 312).
const MIN_RSA_BITS: usize = 2048;

/// The longest DER encoding of a P-256 ECDSA signature: SEQUENCE of two INTEGERs of up to 33
/// bytes each.
const MAX_P256_SIG: usize = 72;
/// The same for P-384: two INTEGERs of up to 49 bytes, in a SEQUENCE.
const MAX_P384_SIG: usize = 104;

/// The private key of the PDF signer. `Debug` never prints it.
pub(super) enum SignerKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    /// Boxed: an RSA key with its precomputed values is far larger than an EC one.
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl SignerKey {
    /// A PKCS#8 private key (DER) of a supported type: P-256, P-384, or RSA of 2048 bits or more.
    pub(super) fn from_pkcs8_der(der: &[u8]) -> Result<Self, ImportError> {
        use rsa::traits::PublicKeyParts;
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SignerKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SignerKey::P384(k));
        }
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
            let bits = k.size() * 8;
            if bits < MIN_RSA_BITS {
                return Err(ImportError::RsaTooShort(bits));
            }
            return Ok(SignerKey::Rsa(Box::new(k)));
        }
        Err(ImportError::UnsupportedKey)
    }

    /// A PEM private key: PKCS#8 ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or PKCS#1
    /// ("RSA PRIVATE KEY"), unencrypted.
    pub(super) fn from_pem(pem: &str) -> Result<Self, ImportError> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        if let Ok((label, doc)) = der::SecretDocument::from_pem(pem) {
            match label {
                "PRIVATE KEY" => return Self::from_pkcs8_der(doc.as_bytes()),
                "EC PRIVATE KEY" => {
                    if let Ok(k) = p256::SecretKey::from_sec1_der(doc.as_bytes()) {
                        return Ok(SignerKey::P256(k.into()));
                    }
                    if let Ok(k) = p384::SecretKey::from_sec1_der(doc.as_bytes()) {
                        return Ok(SignerKey::P384(k.into()));
                    }
                }
                "RSA PRIVATE KEY" => {
                    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs1_der(doc.as_bytes()) {
                        let pkcs8 = k.to_pkcs8_der().map_err(|_| ImportError::UnsupportedKey)?;
                        return Self::from_pkcs8_der(pkcs8.as_bytes());
                    }
                }
                _ => {}
            }
        }
        Err(ImportError::UnsupportedKey)
    }

    /// The key as a PKCS#8 PEM document, for the key file.
    pub(super) fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>, PdfSignError> {
        let r = match self {
            SignerKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            SignerKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            SignerKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        r.map_err(|e| PdfSignError::Build(e.to_string()))
    }

    /// The public key as a certificate carries it in subjectPublicKey: an uncompressed point, or
    /// PKCS#1 RSAPublicKey.
    pub(super) fn public_bits(&self) -> Vec<u8> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        match self {
            SignerKey::P256(k) => k.verifying_key().to_encoded_point(false).as_bytes().to_vec(),
            SignerKey::P384(k) => k.verifying_key().to_encoded_point(false).as_bytes().to_vec(),
            SignerKey::Rsa(k) => k.to_public_key().to_pkcs1_der().map(|d| d.into_vec()).unwrap_or_default(),
        }
    }

    /// The digest the CMS uses with this key: SHA-384 for P-384, SHA-256 otherwise.
    pub(super) fn sha384(&self) -> bool {
        matches!(self, SignerKey::P384(_))
    }

    /// signatureAlgorithm of the SignerInfo.
    pub(super) fn algorithm(&self) -> &'static str {
        match self {
            SignerKey::P256(_) => OID_ECDSA_SHA256,
            SignerKey::P384(_) => OID_ECDSA_SHA384,
            SignerKey::Rsa(_) => OID_RSA_SHA256,
        }
    }

    /// The longest signature this key makes, in bytes.
    pub(super) fn max_signature(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        match self {
            SignerKey::P256(_) => MAX_P256_SIG,
            SignerKey::P384(_) => MAX_P384_SIG,
            SignerKey::Rsa(k) => k.size(),
        }
    }

    /// Signs `msg` (the DER signed attributes): DER ECDSA, or a PKCS#1 v1.5 signature.
    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, PdfSignError> {
        Ok(match self {
            SignerKey::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign(msg);
                s.to_der().as_bytes().to_vec()
            }
            SignerKey::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign(msg);
                s.to_der().as_bytes().to_vec()
            }
            // Blinded (the rng): signing many documents must not leak the key through timing.
            SignerKey::Rsa(k) => k
                .sign_with_rng(&mut rsa::rand_core::OsRng, rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg))
                .map_err(|e| PdfSignError::Build(format!("RSA signature: {e}")))?,
        })
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            SignerKey::P256(_) => "P-256",
            SignerKey::P384(_) => "P-384",
            SignerKey::Rsa(_) => "RSA",
        };
        write!(f, "SignerKey({kind}, <redacted>)")
    }
}
