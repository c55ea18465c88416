//! DER by hand, and the object identifiers of the CMS attest writes and reads.
//!
//! The CMS is a fixed shape, and building it from typed values per certificate would re-encode
//! the certificates every time: [`super::cms`] concatenates parts made once instead. Reading
//! (PKCS#12 files, time-stamp answers, signatures to verify) goes through the `der`, `cms` and
//! `pkcs12` crates except where only one TLV is needed. What it deliberately does not do: check
//! that what it reads is strict DER.

use der::Encode;
use der::asn1::ObjectIdentifier;

pub(super) const OID_DATA: &str = "1.2.840.113549.1.7.1";
pub(super) const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
pub(super) const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
pub(super) const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
pub(super) const OID_SIGNING_CERT_V2: &str = "1.2.840.113549.1.9.16.2.47";
pub(super) const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
/// ecdsa-with-SHA256. Not id-ecPublicKey (1.2.840.10045.2.1): Acrobat tolerates that in a
/// SignerInfo, other validators reject it.
pub(super) const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
/// ecdsa-with-SHA384, for P-384 keys (Acrobat's list pairs P-384 with SHA-384).
pub(super) const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
/// sha256WithRSAEncryption (PKCS#1 v1.5), for RSA keys.
pub(super) const OID_RSA_SHA256: &str = "1.2.840.113549.1.1.11";
pub(super) const OID_RSA_SHA384: &str = "1.2.840.113549.1.1.12";
pub(super) const OID_RSA_SHA512: &str = "1.2.840.113549.1.1.13";
pub(super) const OID_SHA384: &str = "2.16.840.1.101.3.4.2.2";

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
pub(super) const OID_TIME_STAMP_TOKEN: &str = "1.2.840.113549.1.9.16.2.14";

pub(super) fn der_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

pub(super) fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    der_len(&mut out, len);
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

pub(super) fn oid(s: &str) -> Vec<u8> {
    ObjectIdentifier::new_unwrap(s).to_der().expect("an OID encodes")
}

pub(super) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, parts)
}

/// Reads one TLV at the start of `b`: (tag, header length, content length).
pub(super) fn read_tlv(b: &[u8]) -> Option<(u8, usize, usize)> {
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
pub(super) fn raw_tbs(cert_der: &[u8]) -> Option<&[u8]> {
    let (_, h, _) = read_tlv(cert_der)?;
    let inner = cert_der.get(h..)?;
    let (_, h2, l2) = read_tlv(inner)?;
    inner.get(..h2 + l2)
}

pub(super) use crate::encoding::hex;

/// The content of the `[0] EXPLICIT` TLV at the start of `b`.
pub(super) fn explicit_content(b: &[u8]) -> Option<&[u8]> {
    let (_, h, l) = read_tlv(b)?;
    b.get(h..h + l)
}
