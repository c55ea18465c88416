//! PDF signatures (PAdES baseline B-B, or B-T with a time-stamp authority) on every certificate
//! PDF, and their verification.
//!
//! A certificate's QR token proves it to whoever scans it; this module makes the *file* signed in
//! the sense PDF readers understand, so Acrobat's signature panel, poppler's `pdfsig` or pyHanko
//! name the issuing organisation and notice any change. It is separate from [`token`]: PDF
//! readers do not accept EdDSA, so PDFs are signed with an ECDSA (or imported RSA) key of their own.
//!
//! - **Identity.** By default, on first use, a small local certificate authority (a root valid 10
//!   years) and a document-signing certificate issued by it (P-256, key usage digitalSignature and
//!   nonRepudiation, subject naming the issuer organisation, valid 3 years), in the `keys/` folder
//!   beside the database: `pdf-root.key` and `pdf-signer.key` (PKCS#8, mode 0600) and
//!   `pdf-chain.pem` (leaf first, root last). A root CA rather than one self-signed certificate
//!   because poppler trusts only a CA certificate marked as such in its NSS database.
//! - **Signing.** The renderer writes the signature dictionary from [`PdfSigner::field`], with a
//!   `/Contents` placeholder sized for the largest CMS this identity can produce; [`PdfSigner::sign`]
//!   then fills `/ByteRange`, hashes the two ranges and writes the CMS into the placeholder. The
//!   CMS is built by hand from parts made once per identity (certificates, signer identifier,
//!   `signing-certificate-v2`): per certificate only the message digest, one signature and a few
//!   length headers are new. P-256 signs `ecdsa-with-SHA256`, P-384 `ecdsa-with-SHA384` with a
//!   SHA-384 message digest (Acrobat's pairing), RSA `sha256WithRSAEncryption` (PKCS#1 v1.5,
//!   blinded). The placeholder is sized from the identity's own chain and longest signature, so
//!   RSA-4096 keys and long chains fit.
//! - **Time-stamps.** With a TSA ([`PdfSigner::with_tsa`]) each signature value is time-stamped
//!   (RFC 3161, over plain HTTP) and the token added as an unsigned attribute: B-T. No TSA
//!   answer, no signature: never a silent fall-back to B-B.
//! - **Import.** [`import_pkcs12`] (a PKCS#12 file and its password) and [`import_pem`] (a PEM
//!   key and chain) take an organisation's own RSA (2048 bits or more), P-256 or P-384 key and
//!   certificates, all checked before anything is written. PKCS#12 is read here with `pkcs12` for
//!   the types and `pkcs5` for PBES2 (AES-CBC, PBKDF2 or scrypt; OpenSSL 3's default); the
//!   legacy 3DES/RC2/RC4 schemes are refused with a message saying how to re-export.
//! - **Verification.** [`verify`] reads any PDF's first signature: ByteRange, digest, signature,
//!   chain, and whether bytes were added after signing.
//!
//! What it deliberately does not do: legacy-encrypted PKCS#12 files, RSA-PSS, encrypted PEM keys,
//! checking the time-stamp token on verification (pyHanko does), long-term validation (B-LT needs revocation data of a real
//! CA, a `/DSS`), visible signature appearances, several signatures per file, revocation checking
//! of certificates, or trust decisions beyond "chains to this root": the reader's trust store
//! decides what a relying party trusts.
//!
//! [`token`]: crate::trust::token

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use der::asn1::{GeneralizedTime, ObjectIdentifier};
use der::{Decode, Encode, EncodePem};
use p256::ecdsa::signature::Signer;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_CERT_V2: &str = "1.2.840.113549.1.9.16.2.47";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
/// ecdsa-with-SHA256. Not id-ecPublicKey (1.2.840.10045.2.1): Acrobat tolerates that in a
/// SignerInfo, other validators reject it.
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
/// ecdsa-with-SHA384, for P-384 keys (Acrobat's list pairs P-384 with SHA-384).
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
/// sha256WithRSAEncryption (PKCS#1 v1.5), for RSA keys.
const OID_RSA_SHA256: &str = "1.2.840.113549.1.1.11";
const OID_RSA_SHA384: &str = "1.2.840.113549.1.1.12";
const OID_RSA_SHA512: &str = "1.2.840.113549.1.1.13";
const OID_SHA384: &str = "2.16.840.1.101.3.4.2.2";

/// The smallest RSA key accepted (bits): shorter ones are deprecated everywhere (ETSI TS 119 312).
const MIN_RSA_BITS: usize = 2048;

/// The longest DER encoding of a P-256 ECDSA signature: SEQUENCE of two INTEGERs of up to 33
/// bytes each.
const MAX_P256_SIG: usize = 72;
/// The same for P-384: two INTEGERs of up to 49 bytes, in a SEQUENCE.
const MAX_P384_SIG: usize = 104;

/// The marker the signature dictionary carries until [`PdfSigner::sign`] fills it: fixed width,
/// so filling it moves no byte.
const BYTE_RANGE_PLACEHOLDER: &[u8] = b"/ByteRange[0 0000000000 0000000000 0000000000]";

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
const OID_TIME_STAMP_TOKEN: &str = "1.2.840.113549.1.9.16.2.14";

/// Bytes reserved in `/Contents` for a time-stamp token: a TSA's token with its certificate
/// chain is typically 1.5-6 KB.
const TSA_RESERVE: usize = 8192;

/// How long a time-stamp authority may take to answer.
const TSA_TIMEOUT: Duration = Duration::from_secs(10);

const ROOT_KEY: &str = "pdf-root.key";
const SIGNER_KEY: &str = "pdf-signer.key";
const CHAIN: &str = "pdf-chain.pem";

/// Why a PDF-signing operation failed.
#[derive(Debug, thiserror::Error)]
pub enum PdfSignError {
    #[error("PDF signing identity {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("PDF signing identity {path}: {why}")]
    BadFile { path: PathBuf, why: String },
    #[error("PDF signing identity: {0}")]
    Build(String),
    #[error("the PDF has no signature placeholder to fill")]
    NoPlaceholder,
    #[error("time-stamp authority {url}: {why}")]
    Tsa { url: String, why: String },
    #[error("the signature ({need} bytes) does not fit its placeholder ({have} bytes)")]
    TooLarge { need: usize, have: usize },
}

/// The private key of the PDF signer. `Debug` never prints it.
enum SignerKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    /// Boxed: an RSA key with its precomputed values is far larger than an EC one.
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl SignerKey {
    /// A PKCS#8 private key (DER) of a supported type: P-256, P-384, or RSA of 2048 bits or more.
    fn from_pkcs8_der(der: &[u8]) -> Result<Self, ImportError> {
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
    fn from_pem(pem: &str) -> Result<Self, ImportError> {
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
    fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>, PdfSignError> {
        let r = match self {
            SignerKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            SignerKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            SignerKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        r.map_err(|e| PdfSignError::Build(e.to_string()))
    }

    /// The public key as a certificate carries it in subjectPublicKey: an uncompressed point, or
    /// PKCS#1 RSAPublicKey.
    fn public_bits(&self) -> Vec<u8> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        match self {
            SignerKey::P256(k) => k.verifying_key().to_encoded_point(false).as_bytes().to_vec(),
            SignerKey::P384(k) => k.verifying_key().to_encoded_point(false).as_bytes().to_vec(),
            SignerKey::Rsa(k) => k.to_public_key().to_pkcs1_der().map(|d| d.into_vec()).unwrap_or_default(),
        }
    }

    /// The digest the CMS uses with this key: SHA-384 for P-384, SHA-256 otherwise.
    fn sha384(&self) -> bool {
        matches!(self, SignerKey::P384(_))
    }

    /// signatureAlgorithm of the SignerInfo.
    fn algorithm(&self) -> &'static str {
        match self {
            SignerKey::P256(_) => OID_ECDSA_SHA256,
            SignerKey::P384(_) => OID_ECDSA_SHA384,
            SignerKey::Rsa(_) => OID_RSA_SHA256,
        }
    }

    /// The longest signature this key makes, in bytes.
    fn max_signature(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        match self {
            SignerKey::P256(_) => MAX_P256_SIG,
            SignerKey::P384(_) => MAX_P384_SIG,
            SignerKey::Rsa(k) => k.size(),
        }
    }

    /// Signs `msg` (the DER signed attributes): DER ECDSA, or a PKCS#1 v1.5 signature.
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, PdfSignError> {
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

/// A loaded PDF signing identity, with the parts of every CMS that never change built once.
#[derive(Debug)]
pub struct PdfSigner {
    key: SignerKey,
    /// DER certificates, leaf first, root last.
    chain: Vec<Vec<u8>>,
    /// The leaf's subject, RFC 4514.
    subject: String,
    /// SHA-256 of the leaf certificate, hex.
    fingerprint: String,
    /// `[0] IMPLICIT CertificateSet`: the chain as the CMS carries it.
    certs_field: Vec<u8>,
    /// IssuerAndSerialNumber of the leaf.
    sid: Vec<u8>,
    /// The content-type attribute (always id-data).
    attr_content_type: Vec<u8>,
    /// The ESS signing-certificate-v2 attribute: SHA-256 of the leaf and its issuer and serial.
    attr_signing_cert: Vec<u8>,
    /// Hex digits reserved for `/Contents`: twice the longest CMS this identity makes.
    placeholder_hex: usize,
    /// The RFC 3161 time-stamp authority (an `http://` URL) for B-T, when configured.
    tsa: Option<String>,
}

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

// ---------------------------------------------------------------------------------------------
// DER, by hand: the CMS is a fixed shape, and building it from typed values per certificate
// would re-encode the certificates every time.

fn der_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    der_len(&mut out, len);
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

fn oid(s: &str) -> Vec<u8> {
    ObjectIdentifier::new_unwrap(s).to_der().expect("an OID encodes")
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, parts)
}

/// Reads one TLV at the start of `b`: (tag, header length, content length).
fn read_tlv(b: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *b.first()?;
    let first = *b.get(1)? as usize;
    if first < 0x80 {
        return Some((tag, 2, first));
    }
    let n = first & 0x7f;
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | *b.get(2 + i)? as usize;
    }
    Some((tag, 2 + n, len))
}

/// The raw TBSCertificate of a DER certificate: what its issuer signed, as written (not
/// re-encoded, which could differ for a certificate that is not strict DER).
fn raw_tbs(cert_der: &[u8]) -> Option<&[u8]> {
    let (_, h, _) = read_tlv(cert_der)?;
    let inner = cert_der.get(h..)?;
    let (_, h2, l2) = read_tlv(inner)?;
    inner.get(..h2 + l2)
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The identity: files, creation, loading.

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> PdfSignError + '_ {
    move |source| PdfSignError::Io { path: path.to_owned(), source }
}

/// Writes a secret file readable only by its owner, creating it (never overwriting one).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), PdfSignError> {
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
fn write_public(path: &Path, bytes: &[u8]) -> Result<(), PdfSignError> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(io_err(path))?;
    std::fs::rename(&tmp, path).map_err(io_err(path))
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
    let leaf = CertificateBuilder::new(
        Profile::Leaf { issuer: root_name, enable_key_agreement: false, enable_key_encipherment: false },
        serials.1,
        validity(now, leaf_years)?,
        name(org, Some(org))?,
        spki_of(leaf_key)?,
        root_key,
    )
    .map_err(build)?
    .build::<p256::ecdsa::DerSignature>()
    .map_err(build)?;
    Ok((leaf, root))
}

/// Creates the default identity: a root CA (10 years) and a document-signing certificate
/// (3 years) for `issuer`, written into `dir`.
pub fn create_default(dir: &Path, issuer: &str, now: DateTime<Utc>) -> Result<PdfSigner, PdfSignError> {
    let org = if issuer.trim().is_empty() { "attest" } else { issuer.trim() };
    let root_key = random_key()?;
    let leaf_key = random_key()?;
    let (leaf, root) = default_chain(org, &root_key, &leaf_key, (random_serial()?, random_serial()?), now, (10, 3))?;
    let pem = |k: &p256::ecdsa::SigningKey| {
        k.to_pkcs8_pem(LineEnding::LF).map(|z| z.as_bytes().to_vec()).map_err(|e| PdfSignError::Build(e.to_string()))
    };
    write_private(&dir.join(ROOT_KEY), &pem(&root_key)?)?;
    write_private(&dir.join(SIGNER_KEY), &pem(&leaf_key)?)?;
    let mut chain = String::new();
    for c in [&leaf, &root] {
        chain.push_str(&c.to_pem(LineEnding::LF).map_err(|e| PdfSignError::Build(e.to_string()))?);
    }
    write_public(&dir.join(CHAIN), chain.as_bytes())?;
    let signer = PdfSigner::new(SignerKey::P256(leaf_key), vec![leaf, root])?;
    tracing::info!(fingerprint = %&signer.fingerprint[..16], "PDF signing identity created");
    Ok(signer)
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
    password: &Secret,
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

/// A password, kept out of `Debug` output and wiped when dropped.
pub struct Secret(zeroize::Zeroizing<String>);

impl Secret {
    pub fn new(s: String) -> Self {
        Secret(zeroize::Zeroizing::new(s))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

const OID_P12_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
const OID_P12_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
const OID_P12_CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
const OID_X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// The content of the `[0] EXPLICIT` TLV at the start of `b`.
fn explicit_content(b: &[u8]) -> Option<&[u8]> {
    let (_, h, l) = read_tlv(b)?;
    b.get(h..h + l)
}

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
    password: &Secret,
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
    let signer = PdfSigner::new(key, chain.clone())?;
    let mut pem = String::new();
    for c in &chain {
        pem.push_str(&c.to_pem(LineEnding::LF).map_err(|e| PdfSignError::Build(e.to_string()))?);
    }
    let key_der = signer.key.to_pkcs8_pem()?;
    let key_path = dir.join(SIGNER_KEY);
    let tmp = dir.join(format!("{SIGNER_KEY}.import"));
    let _ = std::fs::remove_file(&tmp);
    write_private(&tmp, key_der.as_bytes())?;
    std::fs::rename(&tmp, &key_path).map_err(io_err(&key_path))?;
    write_public(&dir.join(CHAIN), pem.as_bytes())?;
    tracing::info!(fingerprint = %&signer.fingerprint[..16], "PDF signing identity imported");
    Ok(info(dir)?.expect("just written"))
}

impl PdfSigner {
    fn new(key: SignerKey, chain: Vec<Certificate>) -> Result<Self, PdfSignError> {
        let enc = |e: der::Error| PdfSignError::Build(e.to_string());
        let leaf = &chain[0];
        let chain_der: Vec<Vec<u8>> = chain.iter().map(|c| c.to_der()).collect::<Result<_, _>>().map_err(enc)?;
        let leaf_der = &chain_der[0];
        let issuer = leaf.tbs_certificate.issuer.to_der().map_err(enc)?;
        let serial = leaf.tbs_certificate.serial_number.to_der().map_err(enc)?;
        let sid = seq(&[&issuer, &serial]);
        let cert_refs: Vec<&[u8]> = chain_der.iter().map(Vec::as_slice).collect();
        let certs_field = tlv(0xA0, &cert_refs);
        let attr_content_type = seq(&[&oid(OID_CONTENT_TYPE), &tlv(0x31, &[&oid(OID_DATA)])]);
        // ESSCertIDv2 with the default hash algorithm (SHA-256, so omitted) and without the
        // optional issuerSerial (RFC 5035): the hash identifies the certificate, and the issuer's
        // name and serial would cost another ~150 bytes of hex in every PDF.
        let cert_hash = Sha256::digest(leaf_der);
        let ess_cert_id = seq(&[&tlv(0x04, &[&cert_hash])]);
        let signing_cert = seq(&[&seq(&[&ess_cert_id])]);
        let attr_signing_cert = seq(&[&oid(OID_SIGNING_CERT_V2), &tlv(0x31, &[&signing_cert])]);
        let mut signer = PdfSigner {
            key,
            subject: leaf.tbs_certificate.subject.to_string(),
            fingerprint: hex(&cert_hash),
            chain: chain_der,
            certs_field,
            sid,
            attr_content_type,
            attr_signing_cert,
            placeholder_hex: 0,
            tsa: None,
        };
        // The longest CMS: the longest signature and a digest, as the real thing will be built.
        let digest_len = if signer.key.sha384() { 48 } else { 32 };
        let max = signer.cms(&vec![0u8; digest_len], &vec![0u8; signer.key.max_signature()], None).len();
        signer.placeholder_hex = max * 2;
        Ok(signer)
    }

    /// The signer certificate's subject (RFC 4514).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// SHA-256 of the signer certificate, hex.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The chain in the CMS, DER, leaf first.
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The chain's root, PEM: what a relying party adds to its reader's trusted certificates.
    pub fn root_pem(&self) -> Result<String, PdfSignError> {
        let der = self.chain.last().expect("a chain has a root");
        let root = Certificate::from_der(der).map_err(|e| PdfSignError::Build(e.to_string()))?;
        root.to_pem(LineEnding::LF).map_err(|e| PdfSignError::Build(e.to_string()))
    }

    /// The signed attributes for a message digest, as the SET the signature covers.
    fn signed_attrs(&self, digest: &[u8]) -> Vec<u8> {
        let attr_md = seq(&[&oid(OID_MESSAGE_DIGEST), &tlv(0x31, &[&tlv(0x04, &[digest])])]);
        // DER orders a SET OF by encoding: sort rather than rely on the lengths.
        let mut attrs: [&[u8]; 3] = [&self.attr_content_type, &attr_md, &self.attr_signing_cert];
        attrs.sort_unstable();
        tlv(0x31, &attrs)
    }

    /// Time-stamps every signature (PAdES B-T) with the RFC 3161 authority at `url`
    /// (`http://` only); `None` signs B-B. A time-stamp that cannot be had fails the signature.
    pub fn with_tsa(mut self, url: Option<String>) -> Self {
        if url.is_some() && self.tsa.is_none() {
            self.placeholder_hex += TSA_RESERVE * 2;
        }
        self.tsa = url;
        self
    }

    /// ContentInfo(SignedData) around a signature over `signed_attrs(digest)`, with the
    /// time-stamp token `stamp` as an unsigned `signature-time-stamp` attribute when given.
    fn cms(&self, digest: &[u8], signature: &[u8], stamp: Option<&[u8]>) -> Vec<u8> {
        let mut attrs = self.signed_attrs(digest);
        attrs[0] = 0xA0; // [0] IMPLICIT in the SignerInfo
        let digest_alg = seq(&[&oid(if self.key.sha384() { OID_SHA384 } else { OID_SHA256 })]);
        let unsigned = stamp
            .map(|token| tlv(0xA1, &[&seq(&[&oid(OID_TIME_STAMP_TOKEN), &tlv(0x31, &[token])])]))
            .unwrap_or_default();
        let signer_info = seq(&[
            &[2, 1, 1],
            &self.sid,
            &digest_alg,
            &attrs,
            &seq(&[&oid(self.key.algorithm())]),
            &tlv(0x04, &[signature]),
            &unsigned,
        ]);
        let signed_data = seq(&[
            &[2, 1, 1],
            &tlv(0x31, &[&digest_alg]),
            &seq(&[&oid(OID_DATA)]),
            &self.certs_field,
            &tlv(0x31, &[&signer_info]),
        ]);
        seq(&[&oid(OID_SIGNED_DATA), &tlv(0xA0, &[&signed_data])])
    }

    /// The signature dictionary to write into the PDF (an indirect object, uncompressed): the
    /// signing time in `/M` (PAdES puts it there, not in a signed attribute), a reason, and
    /// placeholders that [`PdfSigner::sign`] fills.
    pub fn field(&self, now: DateTime<Utc>) -> Vec<u8> {
        let mut o = Vec::with_capacity(256 + self.placeholder_hex);
        o.extend_from_slice(b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M(");
        o.extend_from_slice(now.format("D:%Y%m%d%H%M%SZ").to_string().as_bytes());
        o.extend_from_slice(b")/Reason(Certificate of attendance)");
        o.extend_from_slice(BYTE_RANGE_PLACEHOLDER);
        o.extend_from_slice(b"/Contents<");
        o.resize(o.len() + self.placeholder_hex, b'0');
        o.extend_from_slice(b">>>");
        o
    }

    /// Signs a PDF written with [`PdfSigner::field`]: fills `/ByteRange`, then `/Contents` with
    /// the CMS over everything but `/Contents` itself.
    pub fn sign(&self, pdf: &mut [u8]) -> Result<(), PdfSignError> {
        let at = memchr::memmem::rfind(pdf, BYTE_RANGE_PLACEHOLDER).ok_or(PdfSignError::NoPlaceholder)?;
        let lt = at + BYTE_RANGE_PLACEHOLDER.len() + b"/Contents".len();
        if pdf.get(lt) != Some(&b'<') {
            return Err(PdfSignError::NoPlaceholder);
        }
        let gt = lt + 1 + self.placeholder_hex;
        if pdf.get(gt) != Some(&b'>') {
            return Err(PdfSignError::NoPlaceholder);
        }
        let (a, b) = (lt, gt + 1);
        let c = pdf.len() - b;
        let range = format!("/ByteRange[0 {a} {b} {c}");
        if range.len() > BYTE_RANGE_PLACEHOLDER.len() - 1 {
            return Err(PdfSignError::TooLarge { need: range.len(), have: BYTE_RANGE_PLACEHOLDER.len() });
        }
        let slot = &mut pdf[at..at + BYTE_RANGE_PLACEHOLDER.len() - 1];
        slot.fill(b' ');
        slot[..range.len()].copy_from_slice(range.as_bytes());
        let digest = if self.key.sha384() {
            let mut h = sha2::Sha384::new();
            h.update(&pdf[..a]);
            h.update(&pdf[b..]);
            h.finalize().to_vec()
        } else {
            let mut h = Sha256::new();
            h.update(&pdf[..a]);
            h.update(&pdf[b..]);
            h.finalize().to_vec()
        };
        let to_sign = self.signed_attrs(&digest);
        let sig = self.key.sign(&to_sign)?;
        let stamp = match &self.tsa {
            Some(url) => Some(time_stamp(url, &sig)?),
            None => None,
        };
        let cms = self.cms(&digest, &sig, stamp.as_deref());
        if cms.len() * 2 > self.placeholder_hex {
            return Err(PdfSignError::TooLarge { need: cms.len() * 2, have: self.placeholder_hex });
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let out = &mut pdf[lt + 1..gt];
        for (i, byte) in cms.iter().enumerate() {
            out[2 * i] = HEX[usize::from(byte >> 4)];
            out[2 * i + 1] = HEX[usize::from(byte & 15)];
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 3161 time-stamps, over plain HTTP (as most public TSAs serve them): a request of a fixed
// shape and one TLV out of the answer do not need an HTTP client crate.

/// Asks the TSA at `url` for a time-stamp token over `signature` (the SignerInfo's signature
/// value) and returns the token (a ContentInfo, DER).
fn time_stamp(url: &str, signature: &[u8]) -> Result<Vec<u8>, PdfSignError> {
    let fail = |why: String| PdfSignError::Tsa { url: url.to_owned(), why };
    let imprint = Sha256::digest(signature);
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| fail(format!("random number generator: {e}")))?;
    nonce[0] = (nonce[0] & 0x7f) | 0x01;
    let request = seq(&[
        &[2, 1, 1],
        &seq(&[&seq(&[&oid(OID_SHA256)]), &tlv(0x04, &[&imprint])]),
        &tlv(0x02, &[&nonce]),
        &[0x01, 0x01, 0xff], // certReq: the TSA's certificate in the token
    ]);
    let body = http_post(url, "application/timestamp-query", &request).map_err(fail)?;
    let bad = || fail("the answer is not an RFC 3161 time-stamp response".into());
    let (_, h, l) = read_tlv(&body).ok_or_else(bad)?;
    let resp = body.get(h..h + l).ok_or_else(bad)?;
    let (_, sh, sl) = read_tlv(resp).ok_or_else(bad)?;
    let status_info = resp.get(sh..sh + sl).ok_or_else(bad)?;
    let (tag, ih, il) = read_tlv(status_info).ok_or_else(bad)?;
    let status = status_info.get(ih..ih + il).filter(|_| tag == 0x02).ok_or_else(bad)?;
    // 0 granted, 1 granted with modifications; anything else is a refusal.
    if status.len() != 1 || status[0] > 1 {
        return Err(fail(format!("the request was refused (PKIStatus {})", status.last().copied().unwrap_or(0))));
    }
    let token = &resp[sh + sl..];
    let (_, th, tl) = read_tlv(token).ok_or_else(|| fail("the answer holds no time-stamp token".into()))?;
    let token = token.get(..th + tl).ok_or_else(bad)?;
    if token.len() > TSA_RESERVE {
        return Err(fail(format!("its token is {} bytes, more than the {TSA_RESERVE} reserved", token.len())));
    }
    Ok(token.to_vec())
}

/// One HTTP/1.0 POST, the answer's body when the status is 200.
fn http_post(url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    use std::net::ToSocketAddrs;
    let rest = url.strip_prefix("http://").ok_or("only http:// time-stamp URLs are supported")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let target = if authority.contains(':') { authority.to_owned() } else { format!("{authority}:80") };
    let addr = target
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {authority}"))?;
    let mut s = std::net::TcpStream::connect_timeout(&addr, TSA_TIMEOUT).map_err(|e| format!("cannot connect: {e}"))?;
    s.set_read_timeout(Some(TSA_TIMEOUT))
        .and_then(|_| s.set_write_timeout(Some(TSA_TIMEOUT)))
        .map_err(|e| e.to_string())?;
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {authority}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).and_then(|_| s.write_all(body)).map_err(|e| format!("cannot send: {e}"))?;
    let mut answer = Vec::new();
    s.take(1 << 20).read_to_end(&mut answer).map_err(|e| format!("no answer: {e}"))?;
    let end = memchr::memmem::find(&answer, b"\r\n\r\n").ok_or("the answer is not HTTP")?;
    let line_end = answer.iter().position(|&b| b == b'\r').unwrap_or(end);
    let status_line = String::from_utf8_lossy(&answer[..line_end]).into_owned();
    if status_line.split_whitespace().nth(1) != Some("200") {
        return Err(format!("answered \"{status_line}\""));
    }
    Ok(answer[end + 4..].to_vec())
}

// ---------------------------------------------------------------------------------------------
// Verification.

/// What a PDF's signature says, for `attest verify` and the upload form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PdfSignatureReport {
    /// The signature matches the signed bytes and the signer certificate's key.
    pub valid: bool,
    /// Why it is not valid, when it is not (English; the pages translate the state, not this).
    pub problem: Option<String>,
    /// Subject of the signer certificate (RFC 4514).
    pub signer: String,
    /// SHA-256 of the signer certificate, hex.
    pub fingerprint: String,
    /// The root the chain in the file ends at: its subject.
    pub root: Option<String>,
    /// The chain ends at one of attest's own roots.
    pub chains_to_attest: bool,
    /// `/M` of the signature dictionary, as written (`D:YYYYMMDDHHmmSSZ`).
    pub signed_at: Option<String>,
    /// ISO 8601 form of `signed_at`, when it reads.
    pub signed_at_iso: Option<String>,
    /// Bytes were added after the signed range (an incremental update, or anything appended).
    pub modified_after_signing: bool,
}

fn pdf_date_iso(d: &str) -> Option<String> {
    let d = d.strip_prefix("D:")?;
    let digits: String = d.chars().take(14).collect();
    if digits.len() < 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &digits[..4],
        &digits[4..6],
        &digits[6..8],
        &digits[8..10],
        &digits[10..12],
        &digits[12..14]
    ))
}

/// Finds the value of `/Key(…)` after `from` in a signature dictionary (no escapes expected).
fn literal_after(pdf: &[u8], from: usize, to: usize, key: &[u8]) -> Option<String> {
    let window = pdf.get(from..to)?;
    let at = memchr::memmem::find(window, key)? + key.len();
    let rest = &window[at..];
    let start = rest.iter().position(|&b| b == b'(')? + 1;
    if rest[..start - 1].iter().any(|b| !b.is_ascii_whitespace()) {
        return None;
    }
    let end = rest[start..].iter().position(|&b| b == b')')? + start;
    Some(String::from_utf8_lossy(&rest[start..end]).into_owned())
}

/// Checks the first signature of `pdf`. `None` when the file has no signature at all;
/// `own_roots` are attest's root certificates (DER).
pub fn verify(pdf: &[u8], own_roots: &[Vec<u8>]) -> Option<PdfSignatureReport> {
    let at = memchr::memmem::find(pdf, b"/ByteRange")?;
    let mut report = PdfSignatureReport {
        valid: false,
        problem: None,
        signer: String::new(),
        fingerprint: String::new(),
        root: None,
        chains_to_attest: false,
        signed_at: None,
        signed_at_iso: None,
        modified_after_signing: false,
    };
    match check(pdf, at, own_roots, &mut report) {
        Ok(()) => report.valid = true,
        Err(why) => report.problem = Some(why),
    }
    Some(report)
}

fn check(pdf: &[u8], at: usize, own_roots: &[Vec<u8>], r: &mut PdfSignatureReport) -> Result<(), String> {
    // ByteRange [0 a b c]
    let rest = &pdf[at + b"/ByteRange".len()..];
    let open = rest.iter().position(|&b| b == b'[').filter(|&p| p < 8).ok_or("no byte range")?;
    let close = rest.iter().position(|&b| b == b']').ok_or("no byte range")?;
    let nums: Vec<usize> = std::str::from_utf8(&rest[open + 1..close])
        .map_err(|_| "unreadable byte range")?
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| "unreadable byte range")?;
    let [0, a, b, c] = nums[..] else { return Err("the byte range does not start at the file's start".into()) };
    if a >= b || b + c > pdf.len() || pdf.get(a) != Some(&b'<') || pdf.get(b - 1) != Some(&b'>') {
        return Err("the byte range does not surround the signature".into());
    }
    r.modified_after_signing = b + c < pdf.len();
    // The signature dictionary around ByteRange: look for /M near it.
    let dict_from = pdf[..at].windows(2).rposition(|w| w == b"<<").unwrap_or(0);
    let dict_to = (b + 512).min(pdf.len());
    r.signed_at = literal_after(pdf, dict_from, dict_to, b"/M");
    r.signed_at_iso = r.signed_at.as_deref().and_then(pdf_date_iso);

    let hexs = &pdf[a + 1..b - 1];
    let mut cms = Vec::with_capacity(hexs.len() / 2);
    let digit = |d: u8| (d as char).to_digit(16).map(|v| v as u8);
    let clean: Vec<u8> = hexs.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    for pair in clean.chunks(2) {
        let hi = digit(pair[0]).ok_or("the signature is not hexadecimal")?;
        let lo = pair.get(1).map_or(Some(0), |&d| digit(d)).ok_or("the signature is not hexadecimal")?;
        cms.push(hi << 4 | lo);
    }
    let (_, h, l) = read_tlv(&cms).ok_or("the signature is not a CMS structure")?;
    let cms = cms.get(..h + l).ok_or("the signature is cut short")?;
    let ci = cms::content_info::ContentInfo::from_der(cms).map_err(|e| format!("the signature is not CMS: {e}"))?;
    let sd: cms::signed_data::SignedData =
        ci.content.decode_as().map_err(|e| format!("the signature is not CMS SignedData: {e}"))?;
    if sd.signer_infos.0.len() != 1 {
        return Err(format!("{} signer infos, expected one", sd.signer_infos.0.len()));
    }
    let si = sd.signer_infos.0.get(0).expect("one");
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let signer = match &si.sid {
        cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(is) => certs
            .iter()
            .find(|c| c.tbs_certificate.issuer == is.issuer && c.tbs_certificate.serial_number == is.serial_number),
        cms::signed_data::SignerIdentifier::SubjectKeyIdentifier(_) => certs.first(),
    }
    .ok_or("the signer's certificate is not in the signature")?;
    let signer_der = signer.to_der().map_err(|e| e.to_string())?;
    r.signer = signer.tbs_certificate.subject.to_string();
    r.fingerprint = hex(&Sha256::digest(&signer_der));

    // The chain, from the signer up, as far as the file's certificates go.
    let mut chain = vec![signer.clone()];
    while chain.len() <= certs.len() {
        let last = chain.last().expect("non-empty");
        if last.tbs_certificate.issuer == last.tbs_certificate.subject {
            break;
        }
        match certs.iter().find(|c| c.tbs_certificate.subject == last.tbs_certificate.issuer) {
            Some(up) => chain.push(up.clone()),
            None => break,
        }
    }
    let top = chain.last().expect("non-empty");
    r.root = Some(top.tbs_certificate.subject.to_string());
    let top_der = top.to_der().map_err(|e| e.to_string())?;
    r.chains_to_attest = own_roots.contains(&top_der);
    for pair in chain.windows(2) {
        let child = pair[0].to_der().map_err(|e| e.to_string())?;
        let tbs = raw_tbs(&child).ok_or("a certificate in the chain is unreadable")?;
        let sig = pair[0].signature.raw_bytes();
        verify_raw(&pair[1], &pair[0].signature_algorithm.oid.to_string(), tbs, sig)
            .map_err(|e| format!("certificate {} is not signed by its issuer: {e}", pair[0].tbs_certificate.subject))?;
    }

    // Digest of the two ranges and the message-digest attribute.
    let signed_attrs = si.signed_attrs.as_ref().ok_or("the signature has no signed attributes")?;
    let digest_oid = si.digest_alg.oid.to_string();
    let digest: Vec<u8> = match digest_oid.as_str() {
        OID_SHA256 => {
            let mut h = Sha256::new();
            h.update(&pdf[..a]);
            h.update(&pdf[b..b + c]);
            h.finalize().to_vec()
        }
        OID_SHA384 => {
            let mut h = sha2::Sha384::new();
            h.update(&pdf[..a]);
            h.update(&pdf[b..b + c]);
            h.finalize().to_vec()
        }
        other => return Err(format!("digest algorithm {other} is not supported here")),
    };
    let md_oid = ObjectIdentifier::new_unwrap(OID_MESSAGE_DIGEST);
    let md = signed_attrs
        .iter()
        .find(|a| a.oid == md_oid)
        .and_then(|a| a.values.get(0))
        .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
        .ok_or("the signature has no message digest")?;
    if md.as_bytes() != digest.as_slice() {
        return Err("the document was changed after it was signed".into());
    }
    let attrs_der = signed_attrs.to_der().map_err(|e| e.to_string())?;
    verify_raw(signer, &si.signature_algorithm.oid.to_string(), &attrs_der, si.signature.as_bytes())
        .map_err(|e| format!("the signature does not match: {e}"))?;
    Ok(())
}

/// Verifies `sig` over `msg` with the key of `cert`, for the algorithms attest signs with.
fn verify_raw(cert: &Certificate, alg: &str, msg: &[u8], sig: &[u8]) -> Result<(), String> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key = spki.subject_public_key.raw_bytes();
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let bad = |_| "bad signature".to_string();
    let prehash = match alg {
        OID_ECDSA_SHA256 | OID_RSA_SHA256 => Sha256::digest(msg).to_vec(),
        OID_ECDSA_SHA384 | OID_RSA_SHA384 => sha2::Sha384::digest(msg).to_vec(),
        OID_RSA_SHA512 => sha2::Sha512::digest(msg).to_vec(),
        other => return Err(format!("signature algorithm {other} is not supported here")),
    };
    match alg {
        // ECDSA: the curve follows the key (a P-384 CA may sign with SHA-256, and back).
        OID_ECDSA_SHA256 | OID_ECDSA_SHA384 => {
            if let Ok(vk) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key) {
                let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| "malformed ECDSA signature".to_string())?;
                vk.verify_prehash(&prehash, &s).map_err(bad)
            } else if let Ok(vk) = p384::ecdsa::VerifyingKey::from_sec1_bytes(key) {
                let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| "malformed ECDSA signature".to_string())?;
                vk.verify_prehash(&prehash, &s).map_err(bad)
            } else {
                Err("not a P-256 or P-384 key".into())
            }
        }
        _ => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let pk = rsa::RsaPublicKey::from_pkcs1_der(key).map_err(|_| "not an RSA key".to_string())?;
            let scheme = match alg {
                OID_RSA_SHA256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                OID_RSA_SHA384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                _ => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            pk.verify(scheme, &prehash, sig).map_err(|_| "bad signature".to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(signer: &PdfSigner) -> Vec<u8> {
        let mut pdf = b"%PDF-1.5\n1 0 obj\n".to_vec();
        pdf.extend_from_slice(&signer.field(Utc::now()));
        pdf.extend_from_slice(b"\nendobj\n%%EOF\n");
        signer.sign(&mut pdf).unwrap();
        pdf
    }

    #[test]
    fn a_signed_buffer_verifies_and_one_changed_byte_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let s = active(dir.path(), "Council of Europe, \"HELP\"", Utc::now()).unwrap();
        let pdf = signed(&s);
        let roots = own_roots(dir.path());
        let r = verify(&pdf, &roots).unwrap();
        assert!(r.valid, "{r:?}");
        assert!(r.chains_to_attest && !r.modified_after_signing);
        assert!(r.signer.contains("Council of Europe"), "{}", r.signer);
        assert_eq!(r.fingerprint, s.fingerprint());
        let mut bad = pdf.clone();
        bad[3] ^= 1;
        let r = verify(&bad, &roots).unwrap();
        assert!(!r.valid);
        let mut appended = pdf.clone();
        appended.extend_from_slice(b"% more\n");
        assert!(verify(&appended, &roots).unwrap().modified_after_signing);
        assert!(verify(b"%PDF-1.5 nothing", &roots).is_none());
    }

    #[test]
    fn identity_is_created_once_with_private_files_0600() {
        let dir = tempfile::tempdir().unwrap();
        let a = active(dir.path(), "Org", Utc::now()).unwrap();
        let b = active(dir.path(), "Org", Utc::now()).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        #[cfg(unix)]
        for f in [ROOT_KEY, SIGNER_KEY] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(f)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
        assert_eq!(chain_pem(dir.path()).unwrap().matches("BEGIN CERTIFICATE").count(), 2);
        let shown = format!("{a:?}");
        assert!(shown.contains("redacted"));
        let key = std::fs::read_to_string(dir.path().join(SIGNER_KEY)).unwrap();
        let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(!shown.contains(&body[..20]));
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let p = Secret::new("hunter2-secret".into());
        assert_eq!(format!("{p:?}"), "Secret(<redacted>)");
    }

    #[test]
    fn a_file_that_is_not_pkcs12_is_refused_in_one_line() {
        let e = pkcs12_contents(b"not a pfx", &Secret::new("x".into())).unwrap_err();
        assert!(e.to_string().starts_with("the PKCS#12 file: not a readable PKCS#12 file"), "{e}");
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn the_placeholder_always_fits() {
        let dir = tempfile::tempdir().unwrap();
        let s = active(dir.path(), "Org", Utc::now()).unwrap();
        for _ in 0..200 {
            signed(&s);
        }
    }
}
