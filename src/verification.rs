//! Is this certificate genuine, and is it still valid? One answer for every way a verifier
//! arrives: a scanned URL, a pasted token, an uploaded PDF, a typed certificate code.
//!
//! The signature alone proves who issued the token and what it says: that is the offline check,
//! done with nothing but the published JWK set. With the database at hand the status is added
//! (revoked, superseded), and for a PDF, whether its bytes are the ones that were issued.
//! What is reported is what the certificate itself shows, and nothing more: no email, no
//! attendance rows.

use serde::Serialize;

use crate::issuance::{CertificateId, grouped};
use crate::store::Conn;
use crate::store::certificates::{self, Certificate};
use crate::store::{StoreError, imports::sha256_hex};
use crate::trust::credential;
use crate::trust::pdf_signature::{self, PdfSignatureReport};
use crate::trust::token::{Claims, KeySet, TokenError};

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    Token(&'a str),
    Pdf(&'a [u8]),
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Valid,
    Revoked { revoked_at: String, reason: String },
    Superseded { superseded_by: String },
    NotGenuine { why: String },
}

impl Status {
    pub fn word(&self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Revoked { .. } => "revoked",
            Status::Superseded { .. } => "superseded",
            Status::NotGenuine { .. } => "not genuine",
        }
    }
}

/// What a certificate shows, for a verifier: the printed facts and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub certificate: String,
    pub name: String,
    pub event: String,
    pub date: String,
    pub minutes: u32,
    pub issuer: String,
    pub key_id: String,
    /// A series certificate's sessions, from the issuer's records (the token does not carry
    /// them); empty for an event's certificate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<ShownSession>,
    /// The certificate's language, from the issuer's records (the token does not carry it): the
    /// verify page marks the event's title with it, so that a screen reader reads a French title
    /// on an English page in French. Not part of the JSON answer.
    #[serde(skip)]
    pub language: Option<crate::language::Language>,
    /// The issuer as the certificate prints it, in its language ("Conseil de l’Europe"), from the
    /// issuer's records: the verify page names it beside the token's short name, so that a
    /// verifier holding the paper reads the same name. Not part of the JSON answer.
    #[serde(skip)]
    pub printed_issuer: Option<String>,
}

/// One session a series certificate lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownSession {
    pub title: String,
    /// `YYYY-MM-DD` in the session's zone.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub status: Status,
    /// Present whenever the signature checked out, even if the certificate was revoked since.
    pub certificate: Option<Shown>,
    /// Whether the status comes from the issuer's records or from the signature alone.
    pub checked_against_records: bool,
    /// For a PDF: its own (PAdES) signature, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_signature: Option<PdfSignatureReport>,
}

/// The report on something that is not a genuine certificate, saying why.
pub fn not_genuine(why: impl Into<String>) -> Report {
    Report {
        status: Status::NotGenuine { why: why.into() },
        certificate: None,
        checked_against_records: false,
        pdf_signature: None,
    }
}

/// The token inside a verify URL, or the text itself.
pub fn token_from_text(s: &str) -> &str {
    let s = s.trim();
    let s = s.rsplit_once("/v/").map_or(s, |(_, t)| t);
    s.split(['?', '#']).next().unwrap_or(s)
}

/// The token a certificate PDF carries in its document information (`/AttestToken`). The
/// information dictionary may sit in a compressed object stream, so the PDF is parsed; a raw
/// search is the fallback for files a PDF parser refuses.
pub fn token_from_pdf(pdf: &[u8]) -> Option<String> {
    let token = parsed_token(pdf).or_else(|| raw_token(pdf))?;
    token.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)).then_some(token)
}

fn parsed_token(pdf: &[u8]) -> Option<String> {
    let doc = lopdf::Document::load_mem(pdf).ok()?;
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    let bytes = info.get(b"AttestToken").ok()?.as_str().ok()?;
    String::from_utf8(bytes.to_vec()).ok()
}

fn raw_token(pdf: &[u8]) -> Option<String> {
    let key = b"/AttestToken";
    let at = pdf.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = &pdf[at..];
    let open = rest.iter().position(|&b| b == b'(')?;
    let close = rest[open..].iter().position(|&b| b == b')')? + open;
    String::from_utf8(rest[open + 1..close].to_vec()).ok()
}

/// Checks a certificate. `conn` is the issuer's database, when at hand.
pub fn verify(keys: &KeySet, conn: Option<&Conn>, source: Source) -> Result<Report, StoreError> {
    let (token, pdf) = match source {
        Source::Token(t) => (token_from_text(t).to_owned(), None),
        Source::Pdf(bytes) => match token_from_pdf(bytes) {
            Some(t) => (t, Some(bytes)),
            None => {
                return Ok(not_genuine(
                    "the PDF carries no attest certificate token (a file merged for printing carries none: \
                     check each certificate's own PDF)",
                ));
            }
        },
    };
    let signed = match check_signature(keys, &token) {
        Ok(s) => s,
        Err(e) => return Ok(not_genuine(e.to_string())),
    };
    let Some(conn) = conn else {
        return Ok(Report {
            status: Status::Valid,
            certificate: Some(signed.shown),
            checked_against_records: false,
            pdf_signature: None,
        });
    };
    let record = record(conn, &signed.id)?;
    let pdf_sha256 = pdf.map(sha256_hex);
    Ok(against_records(&signed, &token_sha256(&token), pdf_sha256.as_deref(), record.as_ref()))
}

/// A token whose signature checked out: the certificate ID it carries and what it shows. The
/// answer of a signature check never changes (keys are added, never taken back), which is why
/// the web service keeps these apart from a certificate's [`Record`], which does change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub id: String,
    pub shown: Shown,
}

/// Checks a token's signature (the offline check): what it says, or why it is not genuine
/// ([`not_genuine`] makes the report).
pub fn check_signature(keys: &KeySet, token: &str) -> Result<Signed, TokenError> {
    let (claims, kid) = keys.verify(token)?;
    Ok(Signed { shown: shown(&claims, &kid), id: claims.id })
}

/// What the issuer's records say about one certificate, as much as verification needs: small
/// enough to keep in memory for many certificates (digests, not the token or the PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// SHA-256 of the token issued under this ID.
    pub token_sha256: [u8; 32],
    /// SHA-256 of the PDF issued, in hex.
    pub pdf_sha256: String,
    pub status: Status,
    /// The event's full title (the token carries a short form, for QR space); a series
    /// certificate's, the series' title.
    pub event_title: Option<String>,
    /// A series certificate's sessions.
    pub sessions: Vec<ShownSession>,
    /// The language the certificate was issued in.
    pub language: crate::language::Language,
    /// The issuer as the certificate printed it, when the organisation's profile names one (else
    /// the server's configured name, which the caller knows, was printed).
    pub printed_issuer: Option<String>,
}

/// SHA-256 of a token, as [`Record::token_sha256`] holds it.
pub fn token_sha256(token: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).into()
}

/// The record of the certificate with this ID, if one was issued.
pub fn record(conn: &Conn, id: &str) -> Result<Option<Record>, StoreError> {
    let Some(c) = certificates::get(conn, id)? else { return Ok(None) };
    // The title as signed and printed: an event renamed after the issue showed verifiers a
    // title that was not on the paper. The event's (or series') current title only for a
    // certificate without a credential.
    let signed = certificates::credential(conn, id)?.as_deref().and_then(crate::trust::credential::signed_event_title);
    let event_title = crate::store::events::title(conn, c.event_id)?;
    let (event_title, sessions) = match crate::store::series::of_certificate(conn, &c.id)? {
        Some(series) => {
            let sessions = crate::store::series::sessions(conn, &c.id)?
                .into_iter()
                .map(|s| ShownSession { title: s.title, date: s.date })
                .collect();
            (Some(series.title), sessions)
        }
        None => (event_title, Vec::new()),
    };
    // A certificate corrected twice names the one that replaces it now, which its link opens:
    // it named the first correction, itself superseded, beside a link to the second.
    let mut status = status_of(&c);
    if let Status::Superseded { superseded_by } = &mut status {
        if let Some(now) = certificates::current(conn, &c.id)?.filter(|now| now.id != c.id) {
            *superseded_by = grouped(&now.id);
        }
    }
    // The profile's name in the certificate's language; empty when the profile names no issuer
    // (the configured one was printed, translated where attest knows it: see `printed_issuer`).
    let printed_issuer =
        Some(crate::store::designs::profile(conn)?.printed_issuer(c.language, "")).filter(|name| !name.is_empty());
    Ok(Some(Record {
        token_sha256: token_sha256(&c.token),
        status,
        pdf_sha256: c.pdf_sha256,
        event_title: signed.or(event_title),
        sessions,
        language: c.language,
        printed_issuer,
    }))
}

/// The verdict on a token whose signature checked out, from the records: `record` is `None`
/// when no certificate has this ID; `pdf_sha256` is the hex digest of the PDF presented, if any.
pub fn against_records(
    signed: &Signed,
    token_sha256: &[u8; 32],
    pdf_sha256: Option<&str>,
    record: Option<&Record>,
) -> Report {
    let Some(record) = record else {
        return not_genuine("signed, but no certificate with this ID was issued");
    };
    if record.token_sha256 != *token_sha256 {
        return not_genuine("signed, but it does not match the certificate issued under this ID");
    }
    if pdf_sha256.is_some_and(|p| p != record.pdf_sha256) {
        return not_genuine("the PDF differs from the one issued (its SHA-256 does not match): it was altered");
    }
    let mut shown = signed.shown.clone();
    if let Some(title) = &record.event_title {
        shown.event = title.clone();
    }
    shown.sessions = record.sessions.clone();
    shown.language = Some(record.language);
    shown.printed_issuer = record.printed_issuer.clone();
    Report {
        status: record.status.clone(),
        certificate: Some(shown),
        checked_against_records: true,
        pdf_signature: None,
    }
}

/// Whether uploaded bytes are a credential (JSON) rather than a PDF: what the upload form and
/// `attest verify FILE` use to choose.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    !bytes.starts_with(b"%PDF") && start.is_some_and(|i| matches!(bytes[i], b'{' | b'['))
}

/// Checks an Open Badges credential: its proof by one of `keys` ([`credential::verify`]) and,
/// with the issuer's database, that it agrees with the record (the holder's credential, or the
/// public one without the email's hash) and the record's status. Offline the proof is all that
/// is checked; a verifier with the status list reads revocation from it.
pub fn verify_credential(keys: &KeySet, conn: Option<&Conn>, bytes: &[u8]) -> Result<Report, StoreError> {
    let verified = match credential::verify(bytes, keys) {
        Ok(v) => v,
        Err(e) => return Ok(not_genuine(e.to_string())),
    };
    let f = &verified.facts;
    let minutes = f
        .narrative
        .strip_prefix("Attended ")
        .and_then(|r| r.split(' ').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or_default();
    let shown = Shown {
        certificate: grouped(&f.id),
        name: f.name.clone(),
        event: f.event_title.clone(),
        date: f.starts.chars().take(10).collect(),
        minutes,
        issuer: f.issuer_name.clone(),
        key_id: verified.kid.clone(),
        sessions: Vec::new(),
        language: None,
        printed_issuer: None,
    };
    let Some(conn) = conn else {
        return Ok(Report {
            status: Status::Valid,
            certificate: Some(shown),
            checked_against_records: false,
            pdf_signature: None,
        });
    };
    let Some(record) = certificates::get(conn, &f.id)? else {
        return Ok(not_genuine("signed, but no certificate with this ID was issued"));
    };
    let mut shown = shown;
    if let Some(r) = self::record(conn, &f.id)? {
        shown.sessions = r.sessions;
        shown.language = Some(r.language);
    }
    let issued = certificates::credential(conn, &f.id)?
        .and_then(|c| credential::verify(c.as_bytes(), keys).ok())
        .map(|v| v.facts);
    let agrees = issued.is_some_and(|i| i == *f || i.minimised() == *f);
    if !agrees {
        return Ok(not_genuine("signed, but it does not match the credential issued under this ID"));
    }
    Ok(Report {
        status: status_of(&record),
        certificate: Some(shown),
        checked_against_records: true,
        pdf_signature: None,
    })
}

/// Checks a certificate PDF: its token as [`verify`] does, and its own PDF signature
/// ([`pdf_signature::verify`]); `own_roots` are attest's PDF root certificates (DER), so the
/// report can say whether the signature chains to this installation.
pub fn verify_pdf(keys: &KeySet, conn: Option<&Conn>, pdf: &[u8], own_roots: &[Vec<u8>]) -> Result<Report, StoreError> {
    let mut report = verify(keys, conn, Source::Pdf(pdf))?;
    report.pdf_signature = pdf_signature::verify(pdf, own_roots);
    Ok(report)
}

/// Looks a certificate up by the code printed on it.
pub fn by_code(keys: &KeySet, conn: &Conn, code: &str) -> Result<Report, StoreError> {
    let Some(id) = CertificateId::parse(code) else {
        return Ok(not_genuine(
            "this is not a certificate code (26 letters and digits, e.g. 7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2)",
        ));
    };
    match certificates::get(conn, &id.code())? {
        Some(c) => verify(keys, Some(conn), Source::Token(&c.token)),
        None => Ok(not_genuine("no certificate with this code was issued (check that it was typed as printed)")),
    }
}

fn status_of(c: &Certificate) -> Status {
    match c.status.as_str() {
        "revoked" => Status::Revoked {
            revoked_at: c.revoked_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            reason: c.revoked_reason.clone().unwrap_or_default(),
        },
        "superseded" => Status::Superseded { superseded_by: grouped(c.superseded_by.as_deref().unwrap_or_default()) },
        _ => Status::Valid,
    }
}

fn shown(c: &Claims, kid: &str) -> Shown {
    Shown {
        certificate: grouped(&c.id),
        name: c.name.clone(),
        event: c.event.clone(),
        date: c.date.clone(),
        minutes: c.minutes,
        issuer: c.issuer.clone(),
        key_id: kid.to_owned(),
        sessions: Vec::new(),
        language: None,
        printed_issuer: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_out_of_urls_and_pdfs() {
        assert_eq!(token_from_text("http://127.0.0.1:8080/v/aa.bb.cc?x=1"), "aa.bb.cc");
        assert_eq!(token_from_text("  aa.bb.cc\n"), "aa.bb.cc");
        let pdf = b"%PDF-1.4\n1 0 obj << /Title (x) /AttestToken (eyJh.eyJi.c2ln) >> endobj";
        assert_eq!(token_from_pdf(pdf).as_deref(), Some("eyJh.eyJi.c2ln"));
        assert_eq!(token_from_pdf(b"%PDF-1.4 nothing"), None);
        assert_eq!(token_from_pdf(b"/AttestToken (a b)"), None);
    }
}
