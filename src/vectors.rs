//! The published test vectors (`tests/vectors/`, written by `attest vectors DIR`): tokens,
//! credentials and signed certificate PDFs, valid and deliberately broken, with the issuer
//! documents a verifier needs and a manifest of the verdict each file must get. Anyone writing a
//! verifier checks it against them.
//!
//! The keys are throwaway keys derived from fixed labels in this file, so the output is the same
//! byte for byte on every run (Ed25519 and RFC 6979 ECDSA signatures are deterministic, and the
//! PDF is rendered with the built-in templates and fonts at a fixed time) and CI can compare it
//! with the committed folder. A change to the renderer changes the PDF vectors: regenerate them
//! and review the diff. What it deliberately does not do: write any private key or seed into the
//! folder (only the public halves: JWK set, DID document, the PDF root certificate), or touch a
//! database or the clock.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::certificate::{Attachment, CertificateContent, RenderError, Renderer};
use crate::trust::credential::{CredentialError, CredentialSigner, Facts, Record};
use crate::trust::did::{self, IssuerId};
use crate::trust::pdf_signature::{PdfSignError, PdfSigner};
use crate::trust::status_list::{self, StatusList};
use crate::trust::token::{Claims, KeySet, PrivateKey};

/// Why the vectors could not be made (none of these happens with the built-in assets).
#[derive(Debug, thiserror::Error)]
pub enum VectorsError {
    #[error(transparent)]
    Credential(#[from] CredentialError),
    #[error("rendering the PDF vector: {0}")]
    Render(#[from] RenderError),
    #[error("signing the PDF vector: {0}")]
    PdfSign(#[from] PdfSignError),
}

/// The label the throwaway PDF signing identity derives from (keys and serials; see
/// [`crate::trust::pdf_signature::throwaway`]). It stays in this source file, like the others.
const PDF_IDENTITY: &str = "attest test vectors: PDF identity";

/// The issuer the vectors are issued by (`.example` is reserved: it never resolves).
pub const ISSUER_URL: &str = "https://attest.example";
const ISSUER_NAME: &str = "Example Organisation";

/// Status-list positions of the vectors (list 0 unless stated). Positions 1, 2 and 11 are set.
const POS_VALID: u64 = 0;
const POS_REVOKED: u64 = 1;
const POS_SUPERSEDED: u64 = 2;
const POS_ROTATED: u64 = 3;
const POS_CREDENTIAL: u64 = 10;
const POS_CREDENTIAL_REVOKED: u64 = 11;
/// In list 1, whose published copy is tampered: the bit is set in what was signed, cleared in
/// what is published (hiding a revocation).
const POS_TAMPERED_LIST: u64 = status_list::STATUS_LIST_SIZE + 5;
/// The certificate of the PDF vectors.
const POS_PDF: u64 = 20;

/// A throwaway key from a label. The label (and so the seed) stays in this source file: the
/// vectors folder holds public keys only.
fn throwaway(label: &str) -> PrivateKey {
    PrivateKey::from_seed(Sha256::digest(format!("attest test vectors: {label}").as_bytes()).into())
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("a fixed time").with_timezone(&Utc)
}

/// One file's expected verdict.
struct Entry {
    file: String,
    kind: &'static str,
    /// `valid`, `invalid`, `revoked` or `superseded`.
    verdict: &'static str,
    /// What a signature (or proof) check alone says.
    signature_valid: bool,
    /// The certificate's bit in its status list, when it can be known.
    status_bit: Option<bool>,
    why: &'static str,
}

/// HMAC-SHA-256 (RFC 2104), only to forge the HS256 vector; attest never verifies an HMAC.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(msg).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).expect("JSON serialises");
    out.push(b'\n');
    out
}

/// Every file of the vectors folder but its README, by path relative to it.
pub fn generate() -> Result<BTreeMap<String, Vec<u8>>, VectorsError> {
    let v = Issuer::new();
    let signer = CredentialSigner::new(v.active.signing_key(), v.issuer.method(v.active.kid()), v.issued);
    let mut out = Out::default();
    tokens(&mut out, &v);
    credentials(&mut out, &v, &signer)?;
    let pdf_signer = pdfs(&mut out, &v, &signer)?;
    status_lists(&mut out, &v, &signer);
    let mut files = out.files;
    files.insert("issuer/.well-known/jwks.json".into(), pretty(&v.keys.jwks()));
    files.insert("issuer/.well-known/did.json".into(), pretty(&did::did_document(&v.issuer, &v.keys)));
    files.insert("issuer/pdf-root.pem".into(), pdf_signer.root_pem()?.into_bytes());
    files.insert("manifest.json".into(), pretty(&manifest(&v, &out.entries)));
    Ok(files)
}

/// The throwaway issuer of the vectors: its keys (the active one, one rotated out, one never
/// published), their JWK set, its identifiers and the fixed issue time.
struct Issuer {
    active: PrivateKey,
    retired: PrivateKey,
    unknown: PrivateKey,
    keys: KeySet,
    issuer: IssuerId,
    issued: DateTime<Utc>,
}

impl Issuer {
    fn new() -> Issuer {
        let active = throwaway("active key");
        let retired = throwaway("rotated-out key");
        let unknown = throwaway("unpublished key");
        let mut keys = KeySet::default();
        keys.insert(active.kid().to_owned(), active.public());
        keys.insert(retired.kid().to_owned(), retired.public());
        let issuer = IssuerId::new(ISSUER_URL, ISSUER_NAME);
        Issuer { active, retired, unknown, keys, issuer, issued: at("2025-03-14T17:30:00Z") }
    }
}

/// The files made so far, and each vector's expected verdict in the order the manifest lists
/// them.
#[derive(Default)]
struct Out {
    files: BTreeMap<String, Vec<u8>>,
    entries: Vec<Entry>,
}

impl Out {
    /// Adds a vector's file and its expected verdict.
    fn put(&mut self, e: Entry, bytes: Vec<u8>) {
        self.files.insert(e.file.clone(), bytes);
        self.entries.push(e);
    }
}

/// A vector's expected verdict (see [`Entry`]).
fn entry(
    file: &str,
    kind: &'static str,
    verdict: &'static str,
    signature_valid: bool,
    status_bit: Option<bool>,
    why: &'static str,
) -> Entry {
    Entry { file: file.to_owned(), kind, verdict, signature_valid, status_bit, why }
}

/// The claims of token vector `n`, at status-list position `status`.
fn claims(n: u8, status: u64) -> Claims {
    Claims {
        id: crate::issuance::CertificateId([n; 16]).code(),
        name: "Αλέξανδρος Παπαδόπουλος".into(),
        event: "Freedom of expression".into(),
        date: "2025-03-14".into(),
        minutes: 98,
        issuer: "Example".into(),
        status: Some(status),
    }
}

/// The facts of credential vector `n`, at status-list position `position`.
fn facts(v: &Issuer, n: u8, position: u64) -> Facts {
    let id = crate::issuance::CertificateId([0x10 + n; 16]).code();
    Facts::for_certificate(
        &v.issuer,
        &Record {
            id: &id,
            name: "Αλέξανδρος Παπαδόπουλος",
            email: Some("attendee@example.org"),
            salt: "vectors-salt",
            minutes: 98,
            issued_at: v.issued,
            event_slug: "freedom-of-expression",
            event_title: "Freedom of expression",
            series: Some("Human rights seminars"),
            language: "en",
            starts: at("2025-03-14T15:00:00Z"),
            ends: at("2025-03-14T17:00:00Z"),
            rule: "at least 75 %",
            by_override: false,
            status_position: position,
        },
    )
}

/// Tokens: valid, changed, signed by an unknown key, the `none` and HS256 attacks, a rotated-out
/// key, revoked and superseded.
fn tokens(out: &mut Out, v: &Issuer) {
    let valid = v.active.sign(&claims(1, POS_VALID));
    let (header, rest) = valid.split_once('.').expect("three parts");
    let (payload, signature) = rest.split_once('.').expect("three parts");
    let tok = |s: String| s.into_bytes();
    out.put(
        entry("tokens/valid.jwt", "token", "valid", true, Some(false), "signed by the active key, status bit clear"),
        tok(valid.clone()),
    );
    let mut p = B64.decode(payload).expect("our own base64");
    let at98 = p.windows(4).position(|w| w == b",98,").expect("minutes in the payload") + 2;
    p[at98] = b'9';
    out.put(
        entry(
            "tokens/payload-changed.jwt",
            "token",
            "invalid",
            false,
            None,
            "one byte of the decoded payload changed (98 minutes become 99), signature kept",
        ),
        tok(format!("{header}.{}.{signature}", B64.encode(&p))),
    );
    let mut sig = B64.decode(signature).expect("our own base64");
    sig[10] ^= 0x01;
    out.put(
        entry(
            "tokens/signature-changed.jwt",
            "token",
            "invalid",
            false,
            None,
            "one bit of one byte of the decoded signature flipped",
        ),
        tok(format!("{header}.{payload}.{}", B64.encode(&sig))),
    );
    out.put(
        entry(
            "tokens/unknown-kid.jwt",
            "token",
            "invalid",
            false,
            None,
            "a well-formed EdDSA token signed by a key that is not in the JWK set",
        ),
        tok(v.unknown.sign(&claims(2, POS_VALID))),
    );
    let kid = v.active.kid();
    let none_header = B64.encode(format!(r#"{{"alg":"none","kid":"{kid}"}}"#));
    out.put(
        entry(
            "tokens/alg-none.jwt",
            "token",
            "invalid",
            false,
            None,
            "header alg \"none\" and an empty signature: must be refused whatever the payload",
        ),
        tok(format!("{none_header}.{payload}.")),
    );
    let hs_header = B64.encode(format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#));
    let input = format!("{hs_header}.{payload}");
    let mac = hmac_sha256(v.active.public().as_bytes(), input.as_bytes());
    out.put(
        entry(
            "tokens/alg-hs256-public-key.jwt",
            "token",
            "invalid",
            false,
            None,
            "alg HS256, HMAC keyed with the 32 bytes of the active public key (the JWK's x): the key-confusion attack; a verifier that lets the token choose the algorithm accepts it",
        ),
        tok(format!("{input}.{}", B64.encode(mac))),
    );
    out.put(
        entry(
            "tokens/rotated-key.jwt",
            "token",
            "valid",
            true,
            Some(false),
            "signed by a key that was rotated out; it stays in the JWK set and keeps verifying what it signed",
        ),
        tok(v.retired.sign(&claims(3, POS_ROTATED))),
    );
    out.put(
        entry(
            "tokens/revoked.jwt",
            "token",
            "revoked",
            true,
            Some(true),
            "genuine, but its status-list position (7th payload element) is set in status list 0",
        ),
        tok(v.active.sign(&claims(4, POS_REVOKED))),
    );
    out.put(
        entry(
            "tokens/superseded.jwt",
            "token",
            "superseded",
            true,
            Some(true),
            "genuine, but reissued: attest sets the same revocation bit for a superseded certificate, so offline it reads as no longer valid; attest's own page says superseded",
        ),
        tok(v.active.sign(&claims(5, POS_SUPERSEDED))),
    );
}

/// Credentials: valid, changed, another cryptosuite, revoked, and one whose status list was
/// tampered with.
fn credentials(out: &mut Out, v: &Issuer, signer: &CredentialSigner<'_>) -> Result<(), VectorsError> {
    let valid_cred = signer.sign(&facts(v, 1, POS_CREDENTIAL))?;
    out.put(
        entry(
            "credentials/valid.json",
            "credential",
            "valid",
            true,
            Some(false),
            "an attest credential as issued; status bit clear",
        ),
        pretty(&valid_cred),
    );
    let mut changed = valid_cred.clone();
    changed["credentialSubject"]["identifier"][0]["identityHash"] = json!("Alexandros Papadopoulos");
    out.put(
        entry(
            "credentials/subject-changed.json",
            "credential",
            "invalid",
            false,
            None,
            "the subject's name changed after signing, proof kept",
        ),
        pretty(&changed),
    );
    let mut other = valid_cred.clone();
    other["proof"]["cryptosuite"] = json!("eddsa-jcs-2022");
    out.put(
        entry(
            "credentials/other-cryptosuite.json",
            "credential",
            "invalid",
            false,
            None,
            "the proof names cryptosuite eddsa-jcs-2022 (its value is the eddsa-rdfc-2022 signature): attest issues and accepts eddsa-rdfc-2022 only",
        ),
        pretty(&other),
    );
    out.put(
        entry(
            "credentials/revoked.json",
            "credential",
            "revoked",
            true,
            Some(true),
            "genuine, but its bit is set in status list 0",
        ),
        pretty(&signer.sign(&facts(v, 2, POS_CREDENTIAL_REVOKED))?),
    );
    out.put(
        entry(
            "credentials/status-list-tampered.json",
            "credential",
            "invalid",
            true,
            None,
            "genuine, but its status list (status/1) was changed after signing to clear its bit: the list's proof fails, so its status cannot be known and it must not be accepted",
        ),
        pretty(&signer.sign(&facts(v, 3, POS_TAMPERED_LIST))?),
    );
    Ok(())
}

/// Signed certificate PDFs (PAdES B-B), by a throwaway PDF identity whose root is published:
/// valid, and one byte changed. Returns that identity.
fn pdfs(out: &mut Out, v: &Issuer, signer: &CredentialSigner<'_>) -> Result<PdfSigner, VectorsError> {
    let pdf_signer = crate::trust::pdf_signature::throwaway(PDF_IDENTITY, ISSUER_NAME, v.issued)?;
    let pdf_id = crate::issuance::CertificateId([0x30; 16]).code();
    let pdf_claims = claims(0x30, POS_PDF);
    let pdf_token = v.active.sign(&pdf_claims);
    let pdf_credential = signer.sign(&facts(v, 0x20, POS_PDF))?.to_string();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).expect("a fixed date");
    let content = CertificateContent {
        language: "en".into(),
        template: None,
        name: pdf_claims.name.clone(),
        event_title: "Freedom of expression".into(),
        series: Some("Human rights seminars".into()),
        starts_local: day.and_hms_opt(16, 0, 0).expect("a fixed time"),
        ends_local: day.and_hms_opt(18, 0, 0).expect("a fixed time"),
        timezone: "Europe/Paris".into(),
        minutes_attended: pdf_claims.minutes,
        certificate_code: crate::issuance::grouped(&pdf_id),
        verify_url: crate::issuance::verify_url(ISSUER_URL, &pdf_token),
        issued_at: v.issued,
        issuer: ISSUER_NAME.into(),
    };
    let attachment = Attachment {
        file_name: "credential.json",
        mime_name: "application#2Fvc",
        description: "Open Badges 3.0 credential of this certificate (W3C Verifiable Credential)",
        data: pdf_credential.as_bytes(),
    };
    let mut pdf = Renderer::shipped()?.render_for_signing(&content, Some(attachment), &pdf_signer.field(v.issued))?;
    pdf_signer.sign(&mut pdf)?;
    // One byte of the document information's /Subject, inside the first signed range: the file
    // still opens and still carries its token, only the signature says it was changed.
    let mut changed_pdf = pdf.clone();
    let subject = memchr::memmem::find(&changed_pdf, b"/Subject(Certificate").expect("a subject") + 9;
    changed_pdf[subject] = b'c';
    out.put(
        entry(
            "pdfs/valid.pdf",
            "pdf",
            "valid",
            true,
            Some(false),
            "a certificate PDF as attest issues it: PAdES B-B signature (ECDSA P-256, leaf and root in the CMS) valid and trusted with issuer/pdf-root.pem, nothing appended; its token (QR code and /AttestToken) and embedded credential.json verify too, status bit clear",
        ),
        pdf,
    );
    out.put(
        entry(
            "pdfs/one-byte-changed.pdf",
            "pdf",
            "invalid",
            false,
            None,
            "valid.pdf with one byte inside the signed range changed (the C of /Subject(Certificate becomes c): the digest no longer matches, so the PDF signature fails",
        ),
        changed_pdf,
    );
    Ok(pdf_signer)
}

/// The issuer's status lists: list 0 as issued, list 1 tampered with after signing.
fn status_lists(out: &mut Out, v: &Issuer, signer: &CredentialSigner<'_>) {
    let mut bits0 = vec![0u8; (status_list::STATUS_LIST_SIZE / 8) as usize];
    for pos in [POS_REVOKED, POS_SUPERSEDED, POS_CREDENTIAL_REVOKED] {
        bits0[(pos / 8) as usize] |= 0x80 >> (pos % 8);
    }
    let list0 = signer.sign_status_list(&StatusList::new(&v.issuer, 0, &bits0, v.issued));
    out.put(
        entry(
            "issuer/status/0",
            "status-list",
            "valid",
            true,
            None,
            "status list 0 as issued: positions 1, 2 and 11 set",
        ),
        pretty(&list0),
    );
    let mut bits1 = vec![0u8; bits0.len()];
    let i1 = POS_TAMPERED_LIST % status_list::STATUS_LIST_SIZE;
    bits1[(i1 / 8) as usize] |= 0x80 >> (i1 % 8);
    let mut list1 = signer.sign_status_list(&StatusList::new(&v.issuer, 1, &bits1, v.issued));
    list1["credentialSubject"]["encodedList"] = json!(status_list::encode_bits(&vec![0u8; bits1.len()]));
    out.put(
        entry(
            "issuer/status/1",
            "status-list",
            "invalid",
            false,
            None,
            "status list 1, signed with position 5 set, then that bit cleared in encodedList: its proof fails",
        ),
        pretty(&list1),
    );
}

/// The manifest: where the issuer's documents are, and each vector's expected verdict.
fn manifest(v: &Issuer, entries: &[Entry]) -> Value {
    let vectors: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({"file": e.file, "kind": e.kind, "verdict": e.verdict, "signature_valid": e.signature_valid, "status_bit": e.status_bit, "why": e.why})
        })
        .collect();
    json!({
        "issuer": {
            "url": ISSUER_URL,
            "did": v.issuer.did,
            "jwks": "issuer/.well-known/jwks.json",
            "did_document": "issuer/.well-known/did.json",
            "status_lists": {"0": "issuer/status/0", "1": "issuer/status/1"},
            "rotated_out_kid": v.retired.kid(),
            "pdf_root": "issuer/pdf-root.pem",
        },
        "vectors": vectors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex = crate::encoding::hex(&mac);
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn no_private_key_or_seed_is_written() {
        let files = generate().unwrap();
        for label in ["active key", "rotated-out key", "unpublished key", "PDF identity"] {
            let seed: [u8; 32] = Sha256::digest(format!("attest test vectors: {label}").as_bytes()).into();
            let forms = [
                B64.encode(seed),
                base64::engine::general_purpose::STANDARD.encode(seed),
                hex(&seed),
                format!("attest test vectors: {label}"),
            ];
            for what in ["root key", "signer key"] {
                let pdf_seed: [u8; 32] = Sha256::digest(format!("{PDF_IDENTITY}: {what}").as_bytes()).into();
                assert!(files.values().all(|b| memchr::memmem::find(b, &pdf_seed).is_none()), "PDF {what}");
                assert!(files.values().all(|b| !String::from_utf8_lossy(b).contains(&hex(&pdf_seed))), "PDF {what}");
            }
            for (path, bytes) in &files {
                let text = String::from_utf8_lossy(bytes);
                for f in &forms {
                    assert!(!text.contains(f.as_str()), "{path} holds the seed of the {label}");
                }
            }
        }
    }

    use crate::encoding::hex;

    #[test]
    fn the_same_vectors_every_time() {
        assert_eq!(generate().unwrap(), generate().unwrap());
    }
}
