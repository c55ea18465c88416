//! Reading a PKCS#12 file (`.p12`, `.pfx`): its integrity MAC, its PBES2-encrypted parts, its
//! private key and certificates.
//!
//! What it deliberately does not do: the legacy 3DES/RC2/RC4 schemes (refused with a message
//! saying how to re-export), public-key integrity mode, or keep the password longer than needed
//! ([`Password`] is wiped when dropped).

use std::fmt;

use der::{Decode, Encode};
use sha2::Sha256;
use x509_cert::Certificate;

use super::asn1::{OID_DATA, OID_SHA256, OID_SHA384, explicit_content, read_tlv};
use super::import::ImportError;

/// A password, kept out of `Debug` output and wiped when dropped.
pub struct Password(zeroize::Zeroizing<String>);

impl Password {
    pub fn new(s: String) -> Self {
        Password(zeroize::Zeroizing::new(s))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

const OID_P12_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
const OID_P12_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
const OID_P12_CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
const OID_X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// Reads a PKCS#12 file: its private key (PKCS#8 DER) and its certificates.
///
/// The integrity MAC is checked first (HMAC with SHA-1, SHA-256, SHA-384 or SHA-512 and the
/// PKCS#12 key derivation), so a wrong password is told apart from a damaged file. Encrypted
/// parts must use PBES2 (PBKDF2 or scrypt, AES-CBC): what OpenSSL 3 writes by default and
/// Windows since 2019 can export. The legacy PKCS#12 schemes (3DES, RC2, RC4: `openssl pkcs12
/// -legacy`, OpenSSL 1.x) are refused with a message saying how to re-export: supporting them
/// means carrying obsolete ciphers for files that can be converted once.
pub fn pkcs12_contents(
    p12: &[u8],
    password: &Password,
) -> Result<(zeroize::Zeroizing<Vec<u8>>, Vec<Certificate>), ImportError> {
    use hmac::Mac;
    use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
    let bad = |what: &str| ImportError::Pkcs12(format!("not a readable PKCS#12 file ({what})"));
    let pfx = pkcs12::pfx::Pfx::from_der(p12).map_err(|e| bad(&e.to_string()))?;
    if pfx.auth_safe.content_type.to_string() != OID_DATA {
        return Err(ImportError::Pkcs12("signed (public-key integrity) PKCS#12 files are not supported".into()));
    }
    let auth_safe = pfx.auth_safe.content.decode_as::<der::asn1::OctetString>().map_err(|e| bad(&e.to_string()))?;
    let auth_safe = auth_safe.as_bytes();
    let pw: &str = &password.0;
    let mac = pfx.mac_data.as_ref().ok_or_else(|| ImportError::Pkcs12("the file has no integrity MAC".into()))?;
    let salt = mac.mac_salt.as_bytes();
    let rounds = mac.iterations;
    macro_rules! check_mac {
        ($d:ty, $n:expr) => {{
            let key =
                derive_key_utf8::<$d>(pw, salt, Pkcs12KeyType::Mac, rounds, $n).map_err(|e| bad(&e.to_string()))?;
            let key = zeroize::Zeroizing::new(key);
            let mut h = hmac::Hmac::<$d>::new_from_slice(&key).map_err(|e| bad(&e.to_string()))?;
            h.update(auth_safe);
            h.verify_slice(mac.mac.digest.as_bytes()).is_ok()
        }};
    }
    let ok = match mac.mac.algorithm.oid.to_string().as_str() {
        OID_SHA1 => check_mac!(sha1::Sha1, 20),
        OID_SHA256 => check_mac!(Sha256, 32),
        OID_SHA384 => check_mac!(sha2::Sha384, 48),
        OID_SHA512 => check_mac!(sha2::Sha512, 64),
        other => return Err(ImportError::Pkcs12(format!("MAC algorithm {other} is not supported"))),
    };
    if !ok {
        return Err(ImportError::WrongPassword);
    }

    let legacy = || {
        ImportError::Pkcs12(
            "it is encrypted with a legacy scheme (3DES/RC2/RC4); re-export it with AES, e.g. `openssl pkcs12 -in old.p12 -legacy -nodes | openssl pkcs12 -export -out new.p12`"
                .into(),
        )
    };
    let decrypt = |alg_der: &[u8], data: &[u8]| -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
        let scheme = pkcs5::EncryptionScheme::try_from(alg_der).map_err(|_| legacy())?;
        if scheme.pbes2().is_none() {
            return Err(legacy());
        }
        scheme.decrypt(pw.as_bytes(), data).map(zeroize::Zeroizing::new).map_err(|_| ImportError::WrongPassword)
    };

    let contents: Vec<cms::content_info::ContentInfo> = Vec::from_der(auth_safe).map_err(|e| bad(&e.to_string()))?;
    let mut key: Option<zeroize::Zeroizing<Vec<u8>>> = None;
    let mut certs = Vec::new();
    for ci in contents {
        let safe_contents: zeroize::Zeroizing<Vec<u8>> = match ci.content_type.to_string().as_str() {
            OID_DATA => zeroize::Zeroizing::new(
                ci.content.decode_as::<der::asn1::OctetString>().map_err(|e| bad(&e.to_string()))?.into_bytes(),
            ),
            OID_ENCRYPTED_DATA => {
                let ed: cms::encrypted_data::EncryptedData = ci.content.decode_as().map_err(|e| bad(&e.to_string()))?;
                let eci = ed.enc_content_info;
                let alg = eci.content_enc_alg.to_der().map_err(|e| bad(&e.to_string()))?;
                let data = eci.encrypted_content.ok_or_else(|| bad("empty encrypted part"))?;
                decrypt(&alg, data.as_bytes())?
            }
            other => return Err(ImportError::Pkcs12(format!("content type {other} is not supported"))),
        };
        let bags: Vec<pkcs12::safe_bag::SafeBag> = Vec::from_der(&safe_contents).map_err(|e| bad(&e.to_string()))?;
        for bag in bags {
            let value = explicit_content(&bag.bag_value).ok_or_else(|| bad("a bag is unreadable"))?;
            match bag.bag_id.to_string().as_str() {
                OID_P12_KEY_BAG | OID_P12_SHROUDED_KEY_BAG if key.is_some() => {
                    return Err(ImportError::Pkcs12("it holds more than one private key".into()));
                }
                OID_P12_KEY_BAG => key = Some(zeroize::Zeroizing::new(value.to_vec())),
                OID_P12_SHROUDED_KEY_BAG => {
                    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData }
                    let (_, h, l) = read_tlv(value).ok_or_else(|| bad("a key bag is unreadable"))?;
                    let inner = value.get(h..h + l).ok_or_else(|| bad("a key bag is unreadable"))?;
                    let (_, ah, al) = read_tlv(inner).ok_or_else(|| bad("a key bag is unreadable"))?;
                    let alg = &inner[..ah + al];
                    let data = der::asn1::OctetString::from_der(&inner[ah + al..]).map_err(|e| bad(&e.to_string()))?;
                    key = Some(decrypt(alg, data.as_bytes())?);
                }
                OID_P12_CERT_BAG => {
                    let cb = pkcs12::cert_type::CertBag::from_der(value).map_err(|e| bad(&e.to_string()))?;
                    if cb.cert_id.to_string() == OID_X509_CERTIFICATE {
                        certs.push(Certificate::from_der(cb.cert_value.as_bytes()).map_err(|e| bad(&e.to_string()))?);
                    }
                }
                _ => {} // CRLs, secrets: not needed to sign
            }
        }
    }
    let key = key.ok_or_else(|| ImportError::Pkcs12("it holds no private key".into()))?;
    if certs.is_empty() {
        return Err(ImportError::NoCertificate);
    }
    Ok((key, certs))
}
