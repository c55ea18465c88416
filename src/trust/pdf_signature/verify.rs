//! Checking a PDF's first signature: its byte range, the digest, the signature, the chain in the
//! file, and whether bytes were added after signing. Any PDF, not only attest's.
//!
//! What it deliberately does not do: check the time-stamp token (pyHanko does), revocation,
//! long-term validation, or decide trust beyond "chains to one of attest's roots".

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::asn1::{
    OID_ECDSA_SHA256, OID_ECDSA_SHA384, OID_MESSAGE_DIGEST, OID_RSA_SHA256, OID_RSA_SHA384, OID_RSA_SHA512, OID_SHA256,
    OID_SHA384, hex, raw_tbs, read_tlv,
};

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

/// Why a PDF's signature does not hold. The messages are the report's `problem`, which
/// `attest verify` prints and the upload form's JSON carries (English; the pages translate the
/// state, not this text).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("no byte range")]
    NoByteRange,
    #[error("unreadable byte range")]
    UnreadableByteRange,
    #[error("the byte range does not start at the file's start")]
    ByteRangeNotFromStart,
    #[error("the byte range does not surround the signature")]
    ByteRangeNotAround,
    #[error("the signature is not hexadecimal")]
    NotHex,
    #[error("the signature is not a CMS structure")]
    NotDer,
    #[error("the signature is cut short")]
    CutShort,
    #[error("the signature is not CMS: {0}")]
    NotCms(der::Error),
    #[error("the signature is not CMS SignedData: {0}")]
    NotSignedData(der::Error),
    #[error("{0} signer infos, expected one")]
    SignerInfos(usize),
    #[error("the signer's certificate is not in the signature")]
    NoSignerCertificate,
    /// A certificate or the signed attributes do not encode again (the file's DER is broken).
    #[error("{0}")]
    Encoding(#[from] der::Error),
    #[error("a certificate in the chain is unreadable")]
    UnreadableCertificate,
    #[error("certificate {subject} is not signed by its issuer: {why}")]
    NotSignedByIssuer { subject: String, why: SignatureError },
    #[error("the signature has no signed attributes")]
    NoSignedAttributes,
    #[error("digest algorithm {0} is not supported here")]
    UnsupportedDigest(String),
    #[error("the signature has no message digest")]
    NoMessageDigest,
    #[error("the document was changed after it was signed")]
    Changed,
    #[error("the signature does not match: {0}")]
    Mismatch(SignatureError),
}

/// Why one signature value does not verify with a certificate's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("signature algorithm {0} is not supported here")]
    UnsupportedAlgorithm(String),
    #[error("malformed ECDSA signature")]
    MalformedEcdsa,
    #[error("not a P-256 or P-384 key")]
    NotEcKey,
    #[error("not an RSA key")]
    NotRsaKey,
    #[error("bad signature")]
    Bad,
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
        Err(why) => report.problem = Some(why.to_string()),
    }
    Some(report)
}

/// Checks the signature whose `/ByteRange` is at `at`, filling `r` as far as it gets: the byte
/// range and signing time, the CMS in the placeholder, the signer and its chain, the digest of
/// the signed ranges, and the signature over the signed attributes.
fn check(pdf: &[u8], at: usize, own_roots: &[Vec<u8>], r: &mut PdfSignatureReport) -> Result<(), VerifyError> {
    let (a, b, c) = byte_range(pdf, at)?;
    r.modified_after_signing = b + c < pdf.len();
    // The signature dictionary around ByteRange: look for /M near it.
    let dict_from = pdf[..at].windows(2).rposition(|w| w == b"<<").unwrap_or(0);
    let dict_to = (b + 512).min(pdf.len());
    r.signed_at = literal_after(pdf, dict_from, dict_to, b"/M");
    r.signed_at_iso = r.signed_at.as_deref().and_then(pdf_date_iso);

    let cms = placeholder_bytes(&pdf[a + 1..b - 1])?;
    let (_, h, l) = read_tlv(&cms).ok_or(VerifyError::NotDer)?;
    let cms = cms.get(..h + l).ok_or(VerifyError::CutShort)?;
    let ci = cms::content_info::ContentInfo::from_der(cms).map_err(VerifyError::NotCms)?;
    let sd: cms::signed_data::SignedData = ci.content.decode_as().map_err(VerifyError::NotSignedData)?;
    if sd.signer_infos.0.len() != 1 {
        return Err(VerifyError::SignerInfos(sd.signer_infos.0.len()));
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
    .ok_or(VerifyError::NoSignerCertificate)?;
    let signer_der = signer.to_der()?;
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
    let top_der = top.to_der()?;
    r.chains_to_attest = own_roots.contains(&top_der);
    for pair in chain.windows(2) {
        let child = pair[0].to_der()?;
        let tbs = raw_tbs(&child).ok_or(VerifyError::UnreadableCertificate)?;
        let sig = pair[0].signature.raw_bytes();
        verify_raw(&pair[1], &pair[0].signature_algorithm.oid.to_string(), tbs, sig).map_err(|why| {
            VerifyError::NotSignedByIssuer { subject: pair[0].tbs_certificate.subject.to_string(), why }
        })?;
    }

    // Digest of the two ranges and the message-digest attribute.
    let signed_attrs = si.signed_attrs.as_ref().ok_or(VerifyError::NoSignedAttributes)?;
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
        other => return Err(VerifyError::UnsupportedDigest(other.to_owned())),
    };
    let md_oid = ObjectIdentifier::new_unwrap(OID_MESSAGE_DIGEST);
    let md = signed_attrs
        .iter()
        .find(|a| a.oid == md_oid)
        .and_then(|a| a.values.get(0))
        .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
        .ok_or(VerifyError::NoMessageDigest)?;
    if md.as_bytes() != digest.as_slice() {
        return Err(VerifyError::Changed);
    }
    let attrs_der = signed_attrs.to_der()?;
    verify_raw(signer, &si.signature_algorithm.oid.to_string(), &attrs_der, si.signature.as_bytes())
        .map_err(VerifyError::Mismatch)?;
    Ok(())
}

/// The `/ByteRange [0 a b c]` at `at`: the signed ranges are `0..a` and `b..b + c`, and the
/// placeholder `<…>` between them.
fn byte_range(pdf: &[u8], at: usize) -> Result<(usize, usize, usize), VerifyError> {
    let rest = &pdf[at + b"/ByteRange".len()..];
    let open = rest.iter().position(|&b| b == b'[').filter(|&p| p < 8).ok_or(VerifyError::NoByteRange)?;
    let close = rest.iter().position(|&b| b == b']').ok_or(VerifyError::NoByteRange)?;
    let nums: Vec<usize> = std::str::from_utf8(&rest[open + 1..close])
        .map_err(|_| VerifyError::UnreadableByteRange)?
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| VerifyError::UnreadableByteRange)?;
    let [0, a, b, c] = nums[..] else { return Err(VerifyError::ByteRangeNotFromStart) };
    if a >= b || b + c > pdf.len() || pdf.get(a) != Some(&b'<') || pdf.get(b - 1) != Some(&b'>') {
        return Err(VerifyError::ByteRangeNotAround);
    }
    Ok((a, b, c))
}

/// The bytes of the hexadecimal placeholder `hexs` (whitespace ignored, an odd last digit
/// padded with 0, as PDF reads hex strings).
fn placeholder_bytes(hexs: &[u8]) -> Result<Vec<u8>, VerifyError> {
    let mut cms = Vec::with_capacity(hexs.len() / 2);
    let digit = |d: u8| (d as char).to_digit(16).map(|v| v as u8);
    let clean: Vec<u8> = hexs.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    for pair in clean.chunks(2) {
        let hi = digit(pair[0]).ok_or(VerifyError::NotHex)?;
        let lo = pair.get(1).map_or(Some(0), |&d| digit(d)).ok_or(VerifyError::NotHex)?;
        cms.push(hi << 4 | lo);
    }
    Ok(cms)
}

/// Verifies `sig` over `msg` with the key of `cert`, for the algorithms attest signs with.
fn verify_raw(cert: &Certificate, alg: &str, msg: &[u8], sig: &[u8]) -> Result<(), SignatureError> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key = spki.subject_public_key.raw_bytes();
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let bad = |_| SignatureError::Bad;
    let prehash = match alg {
        OID_ECDSA_SHA256 | OID_RSA_SHA256 => Sha256::digest(msg).to_vec(),
        OID_ECDSA_SHA384 | OID_RSA_SHA384 => sha2::Sha384::digest(msg).to_vec(),
        OID_RSA_SHA512 => sha2::Sha512::digest(msg).to_vec(),
        other => return Err(SignatureError::UnsupportedAlgorithm(other.to_owned())),
    };
    match alg {
        // ECDSA: the curve follows the key (a P-384 CA may sign with SHA-256, and back).
        OID_ECDSA_SHA256 | OID_ECDSA_SHA384 => {
            if let Ok(vk) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key) {
                let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::MalformedEcdsa)?;
                vk.verify_prehash(&prehash, &s).map_err(bad)
            } else if let Ok(vk) = p384::ecdsa::VerifyingKey::from_sec1_bytes(key) {
                let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| SignatureError::MalformedEcdsa)?;
                vk.verify_prehash(&prehash, &s).map_err(bad)
            } else {
                Err(SignatureError::NotEcKey)
            }
        }
        _ => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let pk = rsa::RsaPublicKey::from_pkcs1_der(key).map_err(|_| SignatureError::NotRsaKey)?;
            let scheme = match alg {
                OID_RSA_SHA256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                OID_RSA_SHA384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                _ => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            pk.verify(scheme, &prehash, sig).map_err(|_| SignatureError::Bad)
        }
    }
}
