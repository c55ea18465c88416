//! Certificates: bulk issue with visible progress, the list, the ZIP download, one
//! certificate's page with its PDF, revoke and reissue.
//!
//! A bulk issue runs in the background ([`crate::web::jobs::issue`]) so the browser gets its
//! answer at once; the progress page polls by refreshing itself.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::form::{Sent, refused_on, sent_back_response};
use super::people::PageNo;
use super::text::{K, Tr};
use super::{Done, PostedOn, StaffUser, UserOn, refreshing};
use crate::issuance::{self, IssueError};
use crate::language::Language;
use crate::store::{self, certificates::Certificate, events::Event};
use crate::web::{AppState, WebError, jobs};

/// The answer of a server started without signing keys to a request to issue (503).
pub(super) fn no_issuing(tr: &Tr) -> WebError {
    WebError::Status(StatusCode::SERVICE_UNAVAILABLE, tr.t(K::NoIssuing).into())
}

/// A certificate's status in the page's language (the class stays the stored word).
pub(super) fn status(tr: &Tr, s: &str) -> Markup {
    let word = match s {
        "valid" => tr.t(K::StatusValid),
        "revoked" => tr.t(K::StatusRevoked),
        "superseded" => tr.t(K::StatusSuperseded),
        other => return html! { span class={ "status " (other) } translate="no" { (other) } },
    };
    html! { span class={ "status " (s) } { (word) } }
}

async fn start(PostedOn(state, slug, user, _): PostedOn<super::NoFields>) -> Result<Response, WebError> {
    let progress = format!("/staff/events/{slug}/issue");
    if jobs::issue::running(&state, &slug) {
        return Ok(Redirect::to(&progress).into_response());
    }
    if state.inner.issuing.is_none() {
        return Err(no_issuing(&user.tr));
    }
    let s = slug.clone();
    let st = state.clone();
    let planned = state
        .blocking(move |conn, _| -> Result<(Event, usize), IssueError> {
            let e = store::events::get(conn, &s)?;
            // Another process (or an API request) issuing this event: say so now (409).
            issuance::check_not_running(conn, &e)?;
            let (todo, _) = issuance::plan(conn, &e, st.inner.issuing.as_ref().map(|i| &i.renderer))?;
            Ok((e, todo.len()))
        })
        .await?;
    let (event, total) = match planned {
        Ok(p) => p,
        Err(e) => {
            // Said on the event page, in the card of the button that was pressed.
            let (code, sent) = Sent::refusal("issue", e)?;
            return Ok(refused_on(code, super::events::event_page(&state, &user, slug, &sent).await?));
        }
    };
    jobs::issue::start(&state, event, total, user.member.email.clone());
    Ok(Redirect::to(&progress).into_response())
}

async fn progress(UserOn(state, user, slug): UserOn) -> Response {
    let base = format!("/staff/events/{slug}");
    let Some(job) = jobs::issue::get(&state, &slug) else {
        return Redirect::to(&base).into_response();
    };
    let outcome = job.outcome();
    let done = job.done();
    let tr = &user.tr;
    let seconds = tr.num(job.elapsed().as_secs() as i64);
    let of = tr.f(K::DoneOfTotal, &[("done", &tr.num(done as i64)), ("total", &tr.num(job.total() as i64))]);
    match outcome {
        None => refreshing(
            &user,
            tr.t(K::Issuing),
            html! {
                h1 { (tr.t(K::IssuingCertificates)) }
                section.card {
                    progress value=(done) max=(job.total().max(1)) { (of) }
                    p role="status" { (tr.f(K::IssuingStatus, &[("of", &of), ("s", &seconds)])) }
                }
            },
        )
        .into_response(),
        Some(Ok(r)) => user.page(
            tr.t(K::CertificatesIssued),
            html! {
                h1 { (tr.t(K::CertificatesIssued)) }
                section.card {
                    progress value="1" max="1" { (tr.t(K::Done)) }
                    p.ok role="status" { (tr.nm(K::IssuedInN, r.issued.len(), &[("n", html! { strong { (tr.num(r.issued.len() as i64)) } }), ("s", html! { (seconds) })])) }
                    p {
                        (tr.n(K::AlreadyHadOneN, r.already, &[])) (tr.t(K::Semicolon))
                        (tr.n(K::NotEligibleN, r.not_eligible, &[])) "."
                    }
                    @if !r.with_review.is_empty() {
                        p.warn { (tr.m(K::IssuedWithReview, &[("names", html! { bdi { (r.with_review.join(", ")) } })])) }
                    }
                    @if !r.unprintable.is_empty() {
                        p.warn { (tr.m(K::NotIssuedUnprintable, &[("names", html! { bdi { (r.unprintable.join(", ")) } })])) }
                    }
                }
                div.actions {
                    a.button href={ (base) "/certificates.zip" } download { (tr.t(K::DownloadZipManifest)) }
                    @if user.may("GET", "/staff/events/{slug}/certificates.pdf") {
                        a.button.secondary href={ (base) "/certificates.pdf" } download title=(tr.t(K::PrintFileHint)) { (tr.t(K::PrintFile)) }
                    }
                    a.button.secondary href={ (base) "/certificates" } { (tr.t(K::SeeCertificates)) }
                    a.button.secondary href=(base) { (tr.t(K::BackToEvent)) }
                }
            },
        )
        .into_response(),
        Some(Err(e)) => {
            super::stopped(&user, StatusCode::OK, tr.t(K::IssuingStopped), &e.to_string(), tr.t(K::StoppedKept), &base)
        }
    }
}

async fn list(UserOn(state, user, slug): UserOn, PageNo(page_no): PageNo) -> Result<Markup, WebError> {
    const PAGE: usize = super::people::PAGE_SIZE;
    let (event, certs, total, valid, stale) = state
        .blocking(move |conn, _| -> Result<_, store::StoreError> {
            let e = store::events::get(conn, &slug)?;
            let (c, total) = store::certificates::page_for_event(conn, e.id, (page_no - 1).saturating_mul(PAGE), PAGE)?;
            let (valid, _) = store::certificates::status_counts(conn, e.id)?;
            let stale = issuance::stale::certificates(conn, &e)?;
            Ok((e, c, total, valid, stale))
        })
        .await??;
    let base = format!("/staff/events/{}", event.slug);
    let tr = &user.tr;
    let pager = super::people::pager(tr, &format!("{base}/certificates"), page_no, total.div_ceil(PAGE).max(1));
    Ok(user.page(
        tr.t(K::Certificates),
        html! {
            p.crumbs { a href=(base) { "← " span translate="no" { (event.title) } } }
            div.titlebar {
                h1 { (tr.t(K::Certificates)) " (" (tr.num(total as i64)) ")" }
                @if valid > 0 {
                    div.actions {
                        a.button href={ (base) "/certificates.zip" } download { (tr.t(K::DownloadZip)) }
                        @if user.may("GET", "/staff/events/{slug}/certificates.pdf") {
                            a.button.secondary href={ (base) "/certificates.pdf" } download title=(tr.t(K::PrintFileHint)) { (tr.t(K::PrintFile)) }
                        }
                    }
                }
            }
            (stale_card(tr, &stale))
            (pager)
            div.scroll tabindex="0" {
                table {
                    thead { tr { th { (tr.t(K::Code)) } th { (tr.t(K::Name)) } th { (tr.t(K::EmailColumn)) } th.num { (tr.t(K::Minutes)) } th { (tr.t(K::LangShort)) } th { (tr.t(K::Status)) } th { (tr.t(K::IssuedUtc)) } } }
                    tbody {
                        @for c in &certs {
                            tr {
                                td.nowrap { a href={ "/staff/certificates/" (c.id) } { code { (issuance::grouped(&c.id)) } } }
                                td { bdi { (c.name) } }
                                td translate="no" { (c.email.as_deref().unwrap_or("—")) }
                                td.num { (tr.num(c.minutes)) }
                                td { abbr translate="no" lang=(c.language.code()) { (c.language.code()) } }
                                td { (status(tr, &c.status)) }
                                td.nowrap { (tr.datetime(&c.issued_at)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// Valid certificates whose holder the attendance no longer finds eligible: each links to its
/// page, where it is revoked (see [`issuance::stale`]).
fn stale_card(tr: &Tr, stale: &[Certificate]) -> Markup {
    html! {
        @if !stale.is_empty() {
            section.card.review aria-labelledby="stale-h" {
                h2 #stale-h { (tr.f(K::StaleCount, &[("n", &tr.num(stale.len() as i64))])) }
                p { (tr.t(K::StaleIntro)) }
                ul {
                    @for c in stale {
                        li { a.nowrap href={ "/staff/certificates/" (c.id) } { code { (issuance::grouped(&c.id)) } } " " bdi { (c.name) } }
                    }
                }
            }
        }
    }
}

async fn zip(UserOn(state, _, slug): UserOn) -> Result<Response, WebError> {
    let public_url = state.config().public_url.clone();
    let s = slug.clone();
    let bytes = state
        .blocking(move |conn, _| -> Result<Vec<u8>, IssueError> {
            let e = store::events::get(conn, &s)?;
            issuance::archive(conn, &e, &public_url)
        })
        .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{slug}-certificates.zip\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The event's valid certificates merged into one PDF for printing.
async fn print(UserOn(state, _, slug): UserOn) -> Result<Response, WebError> {
    let s = slug.clone();
    let file = state
        .blocking(move |conn, _| -> Result<_, IssueError> {
            let e = store::events::get(conn, &s)?;
            issuance::print_file(conn, &e)
        })
        .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{slug}-print.pdf\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        file.bytes,
    )
        .into_response())
}

/// A certificate's design as its page names it: the design and the version it was printed with.
struct PrintedWith {
    id: i64,
    name: String,
    version: i64,
}

fn find(conn: &store::Conn, id: &str) -> Result<Option<(Certificate, Event)>, store::StoreError> {
    let Some(c) = store::certificates::get(conn, id)? else { return Ok(None) };
    let e = store::events::list(conn)?.into_iter().find(|e| e.id == c.event_id);
    Ok(e.map(|e| (c, e)))
}

/// The design version certificate `id` was printed with; `None`: the built-in design.
fn printed_with(conn: &store::Conn, id: &str) -> Result<Option<PrintedWith>, store::StoreError> {
    let Some((design, version)) = store::designs::of_certificate(conn, id)? else { return Ok(None) };
    let name = store::designs::get(conn, design)?.name;
    Ok(Some(PrintedWith { id: design, name, version }))
}

async fn detail(UserOn(state, user, id): UserOn) -> Result<Response, WebError> {
    certificate_page(&state, &user, id, &Sent::default()).await
}

/// A certificate's page; `sent`: its reissue or revoke form sent back with what was wrong.
async fn certificate_page(state: &AppState, user: &StaffUser, id: String, sent: &Sent) -> Result<Response, WebError> {
    let i = id.clone();
    let tr = &user.tr;
    let found = state
        .blocking(move |conn, _| -> Result<_, store::StoreError> {
            let Some(found) = find(conn, &i)? else { return Ok(None) };
            Ok(Some((found, printed_with(conn, &i)?)))
        })
        .await??;
    let Some(((c, e), design)) = found else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, tr.f(K::NoCertificate, &[("id", &id)])));
    };
    let verified = super::super::metrics::verifications(state, &c.id).await?;
    let body = html! {
        p.crumbs {
            a href={ "/staff/events/" (e.slug) "/certificates" } {
                "← " (tr.m(K::CertificatesOf, &[("title", html! { span translate="no" { (e.title) } })]))
            }
        }
        h1 { (tr.m(K::CertificateCode, &[("code", html! { code { (issuance::grouped(&c.id)) } })])) }
        (sent.summary(tr))
        section.card {
            dl {
                dt { (tr.t(K::Status)) } dd { (status(tr, &c.status))
                    @if let (Some(at), Some(why)) = (c.revoked_at, &c.revoked_reason) {
                        " " (tr.m(K::RevokedOnBecause, &[("at", html! { (tr.datetime(&at)) " UTC" }), ("why", html! { q translate="no" { (why) } })]))
                    }
                    @if let Some(by) = &c.superseded_by {
                        " " (tr.m(K::SupersededBy, &[("code", html! { a href={ "/staff/certificates/" (by) } { code { (issuance::grouped(by)) } } })]))
                    }
                }
                dt { (tr.t(K::NameAsPrinted)) } dd { bdi { (c.name) } }
                dt { (tr.t(K::EmailColumn)) } dd translate="no" { (c.email.as_deref().unwrap_or("—")) }
                dt { (tr.t(K::Minutes)) } dd { (tr.num(c.minutes)) }
                dt { (tr.t(K::Language)) } dd { (super::events::language_name(c.language)) }
                dt { (tr.t(K::DesignButton)) } dd {
                    @match &design {
                        Some(d) => a href={ "/staff/designs/" (d.id) } {
                            (tr.m(K::DesignOfVersion, &[("name", html! { span translate="no" { (d.name) } }), ("version", html! { (d.version) })]))
                        },
                        None => (tr.t(K::BuiltInDesign)),
                    }
                }
                dt { (tr.t(K::IssuedUtc)) } dd { (tr.datetime(&c.issued_at)) }
                dt { (tr.t(K::SigningKey)) } dd { code { (c.kid) } }
                dt { (tr.t(K::PdfSha256)) } dd { code.small { (c.pdf_sha256) } }
                dt { (tr.t(K::Verifications)) } dd {
                    @match verified {
                        Some((n, at)) => (tr.nm(K::VerifiedTimes, n.max(0) as usize, &[("at", html! { (tr.datetime(&at)) " UTC" })])),
                        None => (tr.t(K::NotVerifiedYet)),
                    }
                }
            }
            div.actions {
                a.button href={ "/staff/certificates/" (c.id) "/pdf" } { (tr.t(K::DownloadPdf)) }
                a.button.secondary href={ "/v/" (c.token) } { (tr.t(K::OpenVerifyPage)) }
            }
        }
        @if c.status == "valid" && user.may("POST", "/staff/certificates/{id}/reissue") {
            div.grid {
                form.card method="post" action={ "/staff/certificates/" (c.id) "/reissue" } {
                    h2 { (tr.t(K::Reissue)) }
                    p.muted { (tr.t(K::ReissueIntro)) }
                    (user.csrf_field())
                    label for="r-name" { (tr.t(K::NameToPrint)) }
                    input #r-name type="text" name="name" value=(sent.val("r-name", c.name.clone())) required
                        aria-invalid=[sent.invalid("r-name")] aria-describedby=[sent.described("r-name")];
                    (sent.note("r-name"))
                    label for="r-language" { (tr.t(K::Language)) }
                    @let lang = sent.val("r-language", c.language.code());
                    select #r-language name="language" {
                        @for l in Language::ALL {
                            option value=(l.code()) lang=(l.code()) selected[l.code() == lang] { (l.name()) }
                        }
                    }
                    button.secondary type="submit" { (tr.t(K::Reissue)) }
                }
                @if user.may("POST", "/staff/certificates/{id}/revoke") { form.card method="post" action={ "/staff/certificates/" (c.id) "/revoke" } {
                    h2 { (tr.t(K::Revoke)) }
                    p.muted { (tr.t(K::RevokeIntro)) }
                    (user.csrf_field())
                    label for="v-reason" { (tr.t(K::ReasonPublic)) }
                    input #v-reason type="text" name="reason" required placeholder=(tr.t(K::RevokePlaceholder))
                        value=(sent.val("v-reason", "")) aria-invalid=[sent.invalid("v-reason")] aria-describedby=[sent.described("v-reason")];
                    (sent.note("v-reason"))
                    button.danger type="submit" { (tr.t(K::Revoke)) }
                } }
            }
        }
    };
    Ok(user.page(tr.t(K::Certificate), body).into_response())
}

async fn pdf(UserOn(state, user, id): UserOn) -> Result<Response, WebError> {
    let i = id.clone();
    let found = state
        .blocking(move |conn, _| -> Result<Option<(Certificate, Vec<u8>)>, store::StoreError> {
            let Some(c) = store::certificates::get(conn, &i)? else { return Ok(None) };
            Ok(store::certificates::pdf(conn, &i)?.map(|p| (c, p)))
        })
        .await??;
    let Some((c, bytes)) = found else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, user.tr.f(K::NoCertificate, &[("id", &id)])));
    };
    // The file name may hold any script: RFC 6266's filename* carries it, ASCII fallback first.
    let ascii: String = c
        .file_name
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' { ch } else { '_' })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    crate::encoding::percent_path(&c.file_name)
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
struct RevokeForm {
    reason: String,
}

async fn revoke(PostedOn(state, id, user, f): PostedOn<RevokeForm>) -> Result<Response, WebError> {
    let mut sent = Sent::posted("v-", [("reason".to_owned(), f.reason.clone())]);
    if f.reason.trim().is_empty() {
        sent.refuse("v-reason", user.tr.t(K::FormRevokeReason));
        return sent_back_to_certificate(&state, &user, id, sent, None).await;
    }
    let (i, actor) = (id.clone(), user.member.email.clone());
    let done =
        state.blocking(move |conn, _| store::certificates::revoke(conn, &i, &f.reason, &actor, Utc::now())).await?;
    state.certificates_changed();
    match done {
        Ok(_) => Ok(Done::Revoked.on(&format!("/staff/certificates/{id}")).into_response()),
        Err(e) => sent_back_to_certificate(&state, &user, id, sent, Some(e.into())).await,
    }
}

/// The certificate's page again with its form as sent and why it was refused (422): the
/// console's own checks in `sent`, and the library's refusal `e` when it came to that.
async fn sent_back_to_certificate(
    state: &AppState,
    user: &StaffUser,
    id: String,
    mut sent: Sent,
    e: Option<WebError>,
) -> Result<Response, WebError> {
    if let Some(e) = e {
        sent.refuse_from(e)?;
    }
    Ok(sent_back_response(certificate_page(state, user, id, &sent).await?))
}

#[derive(Deserialize)]
struct ReissueForm {
    name: String,
    language: String,
}

async fn reissue(PostedOn(state, id, user, f): PostedOn<ReissueForm>) -> Result<Response, WebError> {
    if state.inner.issuing.is_none() {
        return Err(no_issuing(&user.tr));
    }
    let mut sent =
        Sent::posted("r-", [("name".to_owned(), f.name.clone()), ("language".to_owned(), f.language.clone())]);
    let name = f.name.trim();
    if name.is_empty() {
        sent.refuse("r-name", user.tr.t(K::FormNameEmpty));
    } else if name.chars().count() > issuance::MAX_NAME_CHARS || name.chars().any(char::is_control) {
        sent.refuse("r-name", user.tr.f(K::FormTooLong, &[("n", &issuance::MAX_NAME_CHARS)]));
    }
    if sent.refused() {
        return sent_back_to_certificate(&state, &user, id, sent, None).await;
    }
    let i = id.clone();
    let done = state
        .with_issuer(user.member.email.clone(), move |conn, issuer, now| {
            issuance::reissue(conn, issuer, &i, Some(&f.name), Some(f.language.parse()?), now)
        })
        .await?;
    state.certificates_changed();
    match done {
        Ok(new) => Ok(Done::Reissued.on(&format!("/staff/certificates/{}", new.id)).into_response()),
        Err(e) => sent_back_to_certificate(&state, &user, id, sent, Some(e.into())).await,
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events/{slug}/issue", get(progress).post(start))
        .route("/staff/events/{slug}/certificates", get(list))
        .route("/staff/events/{slug}/certificates.zip", get(zip))
        .route("/staff/events/{slug}/certificates.pdf", get(print))
        .route("/staff/certificates/{id}", get(detail))
        .route("/staff/certificates/{id}/pdf", get(pdf))
        .route("/staff/certificates/{id}/revoke", post(revoke))
        .route("/staff/certificates/{id}/reissue", post(reissue))
}
