//! The CMS (PAdES B-B, or B-T with a time-stamp) written into a certificate PDF: the signer
//! with the parts of every CMS that never change built once, the signature dictionary the
//! renderer writes, and filling its placeholder.
//!
//! What it deliberately does not do: render the PDF (the renderer writes [`PdfSigner::field`]
//! where the signature goes), visible signature appearances, or several signatures per file.

use chrono::{DateTime, Utc};
use der::{Decode, Encode, EncodePem};
use p256::pkcs8::LineEnding;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::PdfSignError;
use super::asn1::{
    OID_CONTENT_TYPE, OID_DATA, OID_MESSAGE_DIGEST, OID_SHA256, OID_SHA384, OID_SIGNED_DATA, OID_SIGNING_CERT_V2,
    OID_TIME_STAMP_TOKEN, hex, oid, seq, tlv,
};
use super::key::SignerKey;
use super::timestamp::{TSA_RESERVE, time_stamp};

/// The marker the signature dictionary carries until [`PdfSigner::sign`] fills it: fixed width,
/// so filling it moves no byte.
const BYTE_RANGE_PLACEHOLDER: &[u8] = b"/ByteRange[0 0000000000 0000000000 0000000000]";

/// A loaded PDF signing identity, with the parts of every CMS that never change built once.
#[derive(Debug)]
pub struct PdfSigner {
    pub(super) key: SignerKey,
    /// DER certificates, leaf first, root last.
    chain: Vec<Vec<u8>>,
    /// The leaf's subject, RFC 4514.
    subject: String,
    /// SHA-256 of the leaf certificate, hex.
    pub(super) fingerprint: String,
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

impl PdfSigner {
    pub(super) fn new(key: SignerKey, chain: Vec<Certificate>) -> Result<Self, PdfSignError> {
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

    /// The whole chain, PEM, leaf first: the `keys/` folder's chain file.
    pub(super) fn chain_pem(&self) -> Result<String, PdfSignError> {
        let mut pem = String::new();
        for der in &self.chain {
            pem.push_str(
                &der::pem::encode_string("CERTIFICATE", LineEnding::LF, der)
                    .map_err(|e| PdfSignError::Build(e.to_string()))?,
            );
        }
        Ok(pem)
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
