//! Public verification: what a third party sees after scanning a QR code, typing a code or
//! uploading a PDF. It shows what the certificate itself shows and nothing more (no email, no
//! attendance rows), in English, French or Spanish.

use std::net::SocketAddr;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use std::sync::Arc;

use super::checks::Entry;
use super::i18n::{Key, Words};
use super::{AppState, WebError};
use crate::language::Language;
use crate::store::certificates;
use crate::trust::token::TokenError;
use crate::verification::{self, Report, Status};

#[derive(Debug, Default, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The reader's language on a public page: `?lang=` when it names one of attest's, else the
/// browser's `Accept-Language`. An extractor, so that every public page chooses it the same way;
/// a query that does not parse is refused as `Query` refuses it.
pub(super) struct PageLang(pub Language);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = QueryRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(q) = Query::<LangQuery>::from_request_parts(parts, state).await?;
        Ok(PageLang(q.lang.as_deref().and_then(Language::from_tag).unwrap_or_else(|| {
            super::i18n::from_accept_language(
                parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""),
            )
        })))
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// The page frame: header with the language switcher, main, footer.
pub(super) fn page(lang: Language, title: &str, path: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                link rel="stylesheet" href="/static/site.css";
            }
            body {
                header {
                    a href={ "/verify?lang=" (lang.code()) } { "attest" }
                    nav.lang aria-label="Language" {
                        @for l in Language::ALL {
                            @if l == lang {
                                a href={ (path) "?lang=" (l.code()) } aria-current="true" hreflang=(l.code()) { (l.name()) }
                            } @else {
                                a href={ (path) "?lang=" (l.code()) } hreflang=(l.code()) { (l.name()) }
                            }
                        }
                    }
                }
                main { (body) }
                // No separators between the links: on a phone they wrap, and a "·" was left
                // dangling at a line's end (the links are spaced by the stylesheet instead).
                footer {
                    nav.links aria-label=(lang.t(Key::Links)) {
                        a href={ "/request?lang=" (lang.code()) } { (lang.t(Key::RequestTitle)) }
                        a href={ "/verify?lang=" (lang.code()) } { (lang.t(Key::VerifyTitle)) }
                    }
                }
            }
        }
    }
}

/// The facts only verifiers of the signatures need (the signing key, the JWK set, the PDF root
/// certificate), folded away under "Technical details": to the public they are jargon.
fn technical_details(lang: Language, key_id: Option<&str>, reason: Option<&str>) -> Markup {
    html! {
        details.technical {
            summary { (lang.t(Key::TechnicalDetails)) }
            @if let Some(r) = reason { p { (lang.t(Key::Why)) (lang.colon()) (sentence(r)) } }
            @if let Some(k) = key_id {
                dl { dt { (lang.t(Key::SignedWith)) } dd { code { (k) } } }
            }
            p { (lang.t(Key::Offline)) " " a href="/.well-known/jwks.json" { (lang.t(Key::JwksLink)) } }
            p { (lang.t(Key::RootLink)) (lang.colon()) a href="/pdf-root.cer" { "/pdf-root.cer" } " (PEM: " a href="/pdf-root.pem" { "/pdf-root.pem" } ")" }
        }
    }
}

/// The 404 page of every unknown URL, in the reader's language.
pub(super) async fn not_found(PageLang(lang): PageLang) -> Response {
    let body = page(
        lang,
        lang.t(Key::NotFound),
        "/verify",
        html! {
            h1 { (lang.t(Key::NotFound)) }
            section.card {
                p { (lang.t(Key::NotFoundText)) }
                ul.links {
                    li { a href={ "/verify?lang=" (lang.code()) } { (lang.t(Key::VerifyTitle)) } }
                    li { a href={ "/request?lang=" (lang.code()) } { (lang.t(Key::RequestTitle)) } }
                }
            }
        },
    );
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// A reason ending with a full stop (the verifier's reasons are phrases).
fn sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) { s.to_owned() } else { format!("{s}.") }
}

/// What was checked besides the token, for the sentence under the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checked {
    Token,
    Pdf,
    Credential,
}

/// LinkedIn's "add a certification" link (linkedin.com/profile/add, `startTask=CERTIFICATION_NAME`)
/// with the certificate's name, organisation, issue date, verify URL and code.
fn linkedin_url(c: &crate::verification::Shown, issuer: &str, verify_url: &str) -> String {
    let enc = crate::encoding::percent;
    let (year, month) = (c.date.get(..4).unwrap_or(""), c.date.get(5..7).unwrap_or("").trim_start_matches('0'));
    format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={year}&issueMonth={month}&certUrl={}&certId={}",
        enc(&format!("Certificate of attendance: {}", c.event)),
        enc(issuer),
        enc(verify_url),
        enc(&c.certificate)
    )
}

/// The verdict and the certificate's printed facts.
fn verdict(
    lang: Language,
    report: &Report,
    current_url: Option<&str>,
    checked: Checked,
    issuer: &str,
    here: Option<&str>,
    org: Option<&Organisation>,
) -> Markup {
    let pdf_checked = checked == Checked::Pdf;
    let withdrawn_on = match &report.status {
        Status::NotGenuine { why } => TokenError::withdrawn_on(why),
        _ => None,
    };
    let withdrawn_key = withdrawn_on.is_some();
    let (class, heading, text): (&str, &str, Markup) = match &report.status {
        Status::Valid => ("valid", lang.t(Key::Valid), html! { (lang.t(Key::ValidText)) }),
        Status::Revoked { revoked_at, reason } => (
            "revoked",
            lang.t(Key::Revoked),
            html! { (lang.t(Key::RevokedOn)) " " (lang.iso_date(revoked_at)) ". " (lang.t(Key::Why)) (lang.colon()) (sentence(reason)) },
        ),
        Status::Superseded { superseded_by } => (
            "superseded",
            lang.t(Key::Superseded),
            html! {
                (lang.t(Key::SupersededText)) " "
                @if let Some(u) = current_url { a href=(u) { (superseded_by) } } @else { (superseded_by) }
            },
        ),
        Status::NotGenuine { why } if *why == crate::trust::credential::CredentialError::BadSignature.to_string() => (
            "not_genuine",
            lang.t(Key::NotGenuine),
            html! { (lang.t(Key::NotGenuineText)) " " (lang.t(Key::Why)) (lang.colon()) (lang.t(Key::CredentialAltered)) },
        ),
        Status::NotGenuine { .. } if withdrawn_key => {
            let on = lang.iso_date(withdrawn_on.unwrap_or_default());
            ("not_genuine", lang.t(Key::NotGenuine), html! { (lang.t(Key::WithdrawnKeyText).replace("{date}", &on)) })
        }
        // The verifier's reason is English, technical text ("not a signed token (expected three
        // base64url parts ...)"): it goes under the technical details, not into the verdict.
        Status::NotGenuine { .. } => ("not_genuine", lang.t(Key::NotGenuine), html! { (lang.t(Key::NotGenuineText)) }),
    };
    let reason = match &report.status {
        Status::NotGenuine { why } if *why != crate::trust::credential::CredentialError::BadSignature.to_string() => {
            Some(why.as_str())
        }
        _ => None,
    };
    let not_genuine = matches!(report.status, Status::NotGenuine { .. });
    let id = report
        .certificate
        .as_ref()
        .and_then(|c| crate::issuance::CertificateId::parse(&c.certificate))
        .map(|i| i.code());
    html! {
        section class={ "banner " (class) } role="status" {
            h1 { (heading) }
            p { (text) }
            @if pdf_checked && report.checked_against_records && report.status == Status::Valid { p { (lang.t(Key::PdfChecked)) } }
            @if checked == Checked::Credential && report.certificate.is_some() { p { (lang.t(Key::CredentialChecked)) } }
        }
        @if withdrawn_key {
            section.card {
                p { (lang.t(Key::WithdrawnKeyNext).replace("{issuer}", org.map_or(issuer, |o| o.issuer.as_str()))) }
                @if let Some(o) = org { p.actions { (contact_link(lang, o)) } }
            }
        } @else if not_genuine {
            // What causes it and what to do next: a mistyped character gets this verdict too, but
            // no code was typed for an uploaded file.
            @let (causes, next, again, anchor) = if checked == Checked::Token {
                (Key::NotGenuineCauses, Key::NotGenuineNext, Key::TryAgain, "code")
            } else {
                (Key::UploadNotGenuineCauses, Key::UploadNotGenuineNext, Key::CheckAnotherFile, "pdf")
            };
            section.card {
                p { (lang.t(causes)) }
                p { (lang.t(next).replace("{issuer}", org.map_or(issuer, |o| o.issuer.as_str()))) }
                p.actions {
                    a.button href={ "/verify?lang=" (lang.code()) "#" (anchor) } { (lang.t(again)) }
                    @if let Some(o) = org { " " (contact_link(lang, o)) }
                }
            }
        }
        @if let Some(c) = &report.certificate {
            section.card {
                dl {
                    dt { (lang.t(Key::Certificate)) } dd { code { (c.certificate) } }
                    dt { (lang.t(Key::Name)) } dd { bdi { (c.name) } }
                    dt { (lang.t(Key::Event)) } dd lang=[c.language.filter(|l| *l != lang).map(|l| l.code())] { (c.event) }
                    dt { (lang.t(Key::Date)) } dd { (lang.iso_date(&c.date)) }
                    @if !c.sessions.is_empty() {
                        dt { (lang.t(Key::Sessions)) }
                        dd { ul.sessions { @for s in &c.sessions { li { (lang.iso_date(&s.date)) " · " (s.title) } } } }
                    }
                    dt { (lang.t(Key::Minutes)) } dd { (c.minutes) }
                    dt { (lang.t(Key::Issuer)) }
                    dd {
                        @let printed = printed_issuer(c, issuer);
                        @if report.checked_against_records && c.issuer != printed { (printed) " (" (c.issuer) ")" } @else { (c.issuer) }
                    }
                }
                @if let (Some(id), true) = (&id, report.checked_against_records && report.status == Status::Valid) {
                    p.actions {
                        a href={ "/credentials/" (id) } download { (lang.t(Key::DownloadCredential)) }
                        @if let Some(here) = here {
                            a href=(linkedin_url(c, issuer, here)) rel="noopener noreferrer" { (lang.t(Key::AddToLinkedIn)) }
                        }
                    }
                }
            }
        }
        @if pdf_checked { (pdf_signature_part(lang, report)) }
        (technical_details(lang, report.certificate.as_ref().map(|c| c.key_id.as_str()), reason))
    }
}

/// The issuer as the certificate prints it: the profile's name in its language, else the
/// configured name (translated where attest knows it, as issuance does). The page named the
/// configured English name beside a French certificate printed "Conseil de l’Europe" (round 20).
fn printed_issuer(c: &crate::verification::Shown, configured: &str) -> String {
    match (&c.printed_issuer, c.language) {
        (Some(name), _) => name.clone(),
        (None, Some(language)) => crate::store::designs::Profile::default().printed_issuer(language, configured),
        (None, None) => configured.to_owned(),
    }
}

fn forms(lang: Language) -> Markup {
    html! {
        section.card {
            form method="post" action={ "/verify/code?lang=" (lang.code()) } {
                label for="code" { (lang.t(Key::CodeLabel)) }
                input #code type="text" name="code" autocomplete="off" spellcheck="false" placeholder="7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2" required;
                button type="submit" { (lang.t(Key::Check)) }
            }
        }
        section.card {
            form method="post" action={ "/verify/pdf?lang=" (lang.code()) } enctype="multipart/form-data" {
                label for="pdf" { (lang.t(Key::PdfLabel)) }
                input #pdf type="file" name="pdf" accept="application/pdf,application/json,application/vc,.json" required;
                button type="submit" { (lang.t(Key::Check)) }
            }
        }
        (technical_details(lang, None, None))
    }
}

/// The PDF signature's part of a verdict: valid or not, who signed, chain, when, and whether
/// anything was added after signing.
fn pdf_signature_part(lang: Language, report: &Report) -> Markup {
    let Some(s) = &report.pdf_signature else {
        return html! { section.card { h2 { (lang.t(Key::PdfSignature)) } p { (lang.t(Key::PdfSigNone)) } } };
    };
    // "Valid" only for a whole file signed by this service: a file with bytes added after its
    // signature (an overlay painting another name) or signed under another root was called
    // "Valid: the file is exactly as it was signed" beside the verdict "not genuine".
    let (class, text) = match s {
        s if !s.valid => ("not_genuine", lang.t(Key::PdfSigInvalid)),
        s if s.modified_after_signing => ("not_genuine", lang.t(Key::PdfSigValidPart)),
        s if !s.chains_to_attest => ("not_genuine", lang.t(Key::PdfSigForeign)),
        _ => ("valid", lang.t(Key::PdfSigValid)),
    };
    html! {
        section class={ "card pdfsig " (class) } {
            h2 { (lang.t(Key::PdfSignature)) }
            p { (text) }
            @if s.modified_after_signing && !s.valid { p { strong { (lang.t(Key::PdfSigAppended)) } } }
            dl {
                dt { (lang.t(Key::SignedBy)) } dd { (s.signer) }
                dt { (lang.t(Key::Fingerprint)) } dd { code { (s.fingerprint) } }
                dt { (lang.t(Key::ChainsTo)) }
                dd {
                    @if s.chains_to_attest { (lang.t(Key::ChainAttest)) " (" a href="/pdf-root.cer" { "/pdf-root.cer" } ")" }
                    @else { (lang.t(Key::ChainOther)) " " (s.root.as_deref().unwrap_or("?")) }
                }
                @if let Some(at) = s.signed_at_iso.as_deref().or(s.signed_at.as_deref()) { dt { (lang.t(Key::SignedAt)) } dd { (lang.iso_date(at)) } }
            }
        }
    }
}

/// attest's own PDF root certificates (DER), when this server issues.
fn pdf_roots(state: &AppState) -> Vec<Vec<u8>> {
    state.inner.issuing.as_ref().map(|i| crate::trust::pdf_signature::own_roots(&i.keys_dir)).unwrap_or_default()
}

/// `GET /pdf-root.pem` and `GET /pdf-root.cer`: the root certificate of the PDF signatures, for
/// relying parties to add to their PDF reader's trusted certificates.
fn pdf_root(state: &AppState, pem: bool) -> Response {
    let Some(issuing) = state.inner.issuing.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = (header::CACHE_CONTROL, "public, max-age=300");
    if pem {
        match crate::trust::pdf_signature::root_pem(&issuing.keys_dir) {
            Ok(p) => ([(header::CONTENT_TYPE, "application/x-pem-file"), cache], p).into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        }
    } else {
        match crate::trust::pdf_signature::own_roots(&issuing.keys_dir).pop() {
            Some(der) => ([(header::CONTENT_TYPE, "application/pkix-cert"), cache], der).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

pub(super) async fn pdf_root_pem(State(state): State<AppState>) -> Response {
    pdf_root(&state, true)
}

pub(super) async fn pdf_root_cer(State(state): State<AppState>) -> Response {
    pdf_root(&state, false)
}

/// `GET /` and `GET /verify`: the forms.
pub(super) async fn home(State(state): State<AppState>, PageLang(lang): PageLang) -> Result<Markup, WebError> {
    let org = organisation(&state, lang).await?;
    Ok(page(
        lang,
        lang.t(Key::VerifyTitle),
        "/verify",
        html! {
            h1 { (lang.t(Key::VerifyTitle)) }
            p { (lang.t(Key::VerifyIntro)) }
            (forms(lang))
            @if org.contact.is_some() {
                p.contact { (lang.t(Key::QuestionsContact)) " " (contact_link(lang, &org)) }
            }
        },
    ))
}

/// Who issues certificates here and how the public reaches them (the organisation's profile,
/// else the configured name and no contact).
#[derive(Debug, Clone)]
struct Organisation {
    issuer: String,
    contact: Option<String>,
}

/// In the page's language: a French page says "Contacter Conseil de l’Europe", as the
/// organisation's French certificates print it.
async fn organisation(state: &AppState, lang: Language) -> Result<Organisation, WebError> {
    let configured = state.config().issuer.clone();
    let p = state.blocking(|c, _| crate::store::designs::profile(c)).await??;
    Ok(Organisation { issuer: p.printed_issuer(lang, &configured), contact: p.contact })
}

/// The organisation's profile only for a "not genuine" answer, the one page that sends people
/// to the issuer: the other verdicts keep answering without a database round trip.
async fn organisation_for(state: &AppState, report: &Report, lang: Language) -> Result<Option<Organisation>, WebError> {
    if matches!(report.status, Status::NotGenuine { .. }) {
        organisation(state, lang).await.map(Some)
    } else {
        Ok(None)
    }
}

fn contact_link(lang: Language, org: &Organisation) -> Markup {
    html! {
        @if let Some(c) = &org.contact {
            a href=(crate::store::designs::contact_href(c)) { (lang.t(Key::ContactIssuer).replace("{issuer}", &org.issuer)) }
        }
    }
}

/// Verifies, retrying once with fresh keys if the token names a key this process has not seen
/// (rotated by another process), and finds the current certificate of a superseded one.
async fn check(state: &AppState, source: OwnedSource, lang: Language) -> Result<(Report, Option<String>), WebError> {
    for attempt in 0..2 {
        let src = source.clone();
        let roots = pdf_roots(state);
        let (report, current) = state
            .blocking(move |conn, keys| -> Result<_, crate::store::StoreError> {
                let report = match &src {
                    OwnedSource::Pdf(b) => verification::verify_pdf(keys, Some(conn), b, &roots)?,
                    OwnedSource::Credential(b) => verification::verify_credential(keys, Some(conn), b)?,
                    OwnedSource::Code(c) => verification::by_code(keys, conn, c)?,
                };
                let current = match (&report.status, &report.certificate) {
                    (Status::Superseded { .. }, Some(c)) => {
                        let id =
                            crate::issuance::CertificateId::parse(&c.certificate).map(|i| i.code()).unwrap_or_default();
                        certificates::current(conn, &id)?.map(|cur| format!("/v/{}?lang={}", cur.token, lang.code()))
                    }
                    _ => None,
                };
                Ok((report, current))
            })
            .await??;
        let unknown_key =
            matches!(&report.status, Status::NotGenuine { why } if why.starts_with("signed by an unknown key"));
        if unknown_key && attempt == 0 {
            state.reload_keys().await?;
            continue;
        }
        return Ok((report, current));
    }
    unreachable!("the loop returns on its second pass")
}

#[derive(Clone)]
enum OwnedSource {
    Pdf(Vec<u8>),
    Credential(Vec<u8>),
    Code(String),
}

/// What a verification found, with what its page links to.
struct Outcome {
    report: Report,
    /// The current certificate's page, for a superseded one.
    current: Option<String>,
    checked: Checked,
    /// The organisation's name and contact, for a "not genuine" verdict.
    org: Option<Organisation>,
}

/// The answer's body: JSON for `Accept: application/json`, else the page.
fn render(state: &AppState, lang: Language, json: bool, path: &str, o: Outcome) -> Bytes {
    let Outcome { report, current, checked, org } = o;
    let org = org.as_ref();
    if json {
        let mut v = serde_json::to_value(&report).expect("serialisable");
        if let Some(u) = &current {
            v["current"] = serde_json::Value::String(u.clone());
        }
        return Bytes::from(serde_json::to_vec(&v).expect("serialisable"));
    }
    let title = match report.status {
        Status::Valid => lang.t(Key::Valid),
        Status::Revoked { .. } => lang.t(Key::Revoked),
        Status::Superseded { .. } => lang.t(Key::Superseded),
        Status::NotGenuine { .. } => lang.t(Key::NotGenuine),
    };
    // The verify URL of this certificate, for LinkedIn's link: only on the page of a token.
    let here = path.starts_with("/v/").then(|| format!("{}{path}", state.config().public_url.trim_end_matches('/')));
    let body = page(
        lang,
        title,
        path,
        verdict(lang, &report, current.as_deref(), checked, &state.config().issuer, here.as_deref(), org),
    );
    Bytes::from(body.into_string())
}

fn reply(json: bool, body: Bytes) -> Response {
    let kind = if json { "application/json" } else { "text/html; charset=utf-8" };
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-store"), (header::VARY, "Accept, Accept-Language")],
        body,
    )
        .into_response()
}

fn respond(state: &AppState, lang: Language, headers: &HeaderMap, path: &str, o: Outcome) -> Response {
    let json = wants_json(headers);
    reply(json, render(state, lang, json, path, o))
}

/// `GET /v/{token}`: the URL in every QR code. HTML for people, JSON for `Accept: application/json`.
pub(super) async fn by_token(
    State(state): State<AppState>,
    Path(token): Path<String>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let json = wants_json(&headers);
    let checks = &state.inner.checks;
    // Finished answers are kept a few seconds: a repeated scan costs a map lookup.
    let key = format!("{}{}{token}", if json { 'j' } else { 'h' }, lang.code());
    if let Some(body) = checks.verdict(&key) {
        super::metrics::tally(&state, state.inner.metrics.verified_again(&key));
        return Ok(reply(json, body));
    }
    // Read before the checks: an answer built from a status that changed meanwhile is not kept.
    let generation = checks.generation();
    let (report, current) = check_token(&state, &token, generation, lang).await?;
    state.inner.metrics.verified_kept(&key, &report);
    super::metrics::tally(&state, super::metrics::certificate_id(&report));
    let org = organisation_for(&state, &report, lang).await?;
    let body =
        render(&state, lang, json, &format!("/v/{token}"), Outcome { report, current, checked: Checked::Token, org });
    checks.put_verdict(generation, key, body.clone());
    Ok(reply(json, body))
}

/// Verifies a token from a URL: from memory when its signature was checked before and its
/// certificate's record is known (no blocking-pool round trip), else as [`check`] does, keeping
/// what was learnt (see `checks`).
async fn check_token(
    state: &AppState,
    token: &str,
    generation: u64,
    lang: Language,
) -> Result<(Report, Option<String>), WebError> {
    let token = verification::token_from_text(token).to_owned();
    let digest = verification::token_sha256(&token);
    let checks = &state.inner.checks;
    // Before the kept signature checks are trusted: a key withdrawn since empties them.
    state.keys_fresh().await?;
    let mut signed = checks.signature(&digest);
    let mut entry = signed.as_ref().and_then(|s| checks.record(&s.id));
    if signed.is_none() || entry.is_none() {
        for attempt in 0..2 {
            let (t, known) = (token.clone(), signed.clone());
            let read = state
                .blocking(move |conn, keys| -> Result<_, crate::store::StoreError> {
                    let signed = match known {
                        Some(s) => s,
                        None => match verification::check_signature(keys, &t) {
                            Ok(s) => Arc::new(s),
                            Err(e) => return Ok(Err(e)),
                        },
                    };
                    let Some(record) = verification::record(conn, &signed.id)? else {
                        return Ok(Ok((signed, None)));
                    };
                    let current_token = match record.status {
                        Status::Superseded { .. } => certificates::current(conn, &signed.id)?.map(|c| c.token),
                        _ => None,
                    };
                    Ok(Ok((signed, Some(Arc::new(Entry { record, current_token })))))
                })
                .await??;
            match read {
                Ok((s, e)) => {
                    checks.put_signature(digest, Arc::clone(&s));
                    if let Some(e) = &e {
                        checks.put_record(generation, s.id.clone(), Arc::clone(e));
                    }
                    (signed, entry) = (Some(s), e);
                    break;
                }
                // A key this process has not seen (rotated by another process): once more with
                // fresh keys. Reloading does not forget signature checks: keys are never taken
                // back, and a token naming a made-up key would otherwise empty the cache at will.
                Err(TokenError::UnknownKey(_)) if attempt == 0 => state.reload_keys().await?,
                Err(e) => return Ok((verification::not_genuine(e.to_string()), None)),
            }
        }
    }
    let signed = signed.expect("set by the loop, which returns otherwise");
    let report = verification::against_records(&signed, &digest, None, entry.as_ref().map(|e| &e.record));
    let current = entry.and_then(|e| e.current_token.as_ref().map(|t| format!("/v/{t}?lang={}", lang.code())));
    Ok((report, current))
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

/// The client's address, for rate limiting: the connection's peer, or, when the peer is one of
/// the configured trusted proxies, the last address in `X-Forwarded-For` that is not a trusted
/// proxy. Trusting the header from anyone else would let each request choose its own address.
pub struct ClientIp(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(client_ip(peer, &parts.headers, &state.config().trusted_proxies)))
    }
}

fn client_ip(peer: Option<std::net::IpAddr>, headers: &HeaderMap, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = peer else { return "unknown".into() };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded.iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(&peer).to_string()
}

/// `POST /verify/code`: lookup by the printed code, rate-limited per client.
pub(super) async fn by_code(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CodeForm>,
) -> Result<Response, WebError> {
    if !state.code_lookup_allowed(&client) {
        let body =
            page(lang, lang.t(Key::VerifyTitle), "/verify", html! { section.card { p { (lang.t(Key::TooMany)) } } });
        return Ok((StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "60")], body).into_response());
    }
    let (report, current) = check(&state, OwnedSource::Code(form.code.chars().take(64).collect()), lang).await?;
    state.inner.metrics.verified("code", &report);
    super::metrics::tally(&state, super::metrics::certificate_id(&report));
    let org = organisation_for(&state, &report, lang).await?;
    Ok(respond(&state, lang, &headers, "/verify", Outcome { report, current, checked: Checked::Token, org }))
}

/// `POST /verify/pdf`: the uploaded PDF's token and hash are both checked.
pub(super) async fn by_pdf(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let mut pdf = None;
    // axum reports a body over the limit as 413, anything else malformed as 400.
    let refused = |e: axum::extract::multipart::MultipartError| {
        WebError::Status(e.status(), format!("upload refused: {}", e.body_text()))
    };
    while let Some(field) = form.next_field().await.map_err(refused)? {
        if field.name() == Some("pdf") {
            let bytes = field.bytes().await.map_err(refused)?;
            pdf = Some(bytes.to_vec());
        }
    }
    let pdf = pdf.ok_or_else(|| WebError::Status(StatusCode::BAD_REQUEST, "no file in the field \"pdf\"".into()))?;
    // The same field takes a PDF or a credential: the content decides, not the file name.
    let (source, kind) = if verification::looks_like_json(&pdf) {
        (OwnedSource::Credential(pdf), Checked::Credential)
    } else {
        (OwnedSource::Pdf(pdf), Checked::Pdf)
    };
    let (report, current) = check(&state, source, lang).await?;
    state.inner.metrics.verified(if kind == Checked::Pdf { "pdf" } else { "credential" }, &report);
    super::metrics::tally(&state, super::metrics::certificate_id(&report));
    // A PDF's own signature is reported whatever its token says (a modified file is exactly
    // what the signature part explains); a credential's line only when the records agreed.
    let checked = match kind {
        Checked::Pdf => Checked::Pdf,
        _ if report.checked_against_records => kind,
        _ => Checked::Token,
    };
    let org = organisation_for(&state, &report, lang).await?;
    Ok(respond(&state, lang, &headers, "/verify", Outcome { report, current, checked, org }))
}

/// `GET /.well-known/jwks.json`: every public key, retired ones included.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, WebError> {
    let set =
        state.blocking(|c, _| crate::trust::token::key_set(c)).await?.map_err(|e| WebError::internal(e.to_string()))?;
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(set.jwks())).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7, 10.0.0.1".parse().unwrap());
        // Direct clients cannot choose their address.
        assert_eq!(client_ip(Some("192.0.2.1".parse().unwrap()), &h, &[proxy]), "192.0.2.1");
        // Behind the proxy: the nearest address the proxy did not add itself.
        assert_eq!(client_ip(Some(proxy), &h, &[proxy]), "198.51.100.7");
        assert_eq!(client_ip(Some(proxy), &HeaderMap::new(), &[proxy]), "10.0.0.1");
        assert_eq!(client_ip(None, &h, &[proxy]), "unknown");
    }
}
