//! `/api/v1/…/certificates…`: bulk issue, lists, the ZIP and print files, one certificate's
//! PDF and credential, revoke and reissue.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiErrorBody, ApiResult};
use super::{ApiUser, JsonOn, PageQuery, QueryOn, StaffOn, created, event_page, with_event};
use crate::language::Language;
use crate::store::certificates::Certificate;
use crate::web::{AppState, WebError};
use crate::{issuance, store};

/// A certificate as staff see it (the public verify page shows less).
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateOut {
    pub id: String,
    /// The code as printed, in groups.
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub language: String,
    pub minutes: u32,
    pub issued_at: String,
    pub kid: String,
    /// `valid`, `revoked` or `superseded`.
    pub status: String,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
    pub superseded_by: Option<String>,
    pub pdf_sha256: String,
    pub file_name: String,
    pub verify_url: String,
    /// In an event's list of certificates, for each valid one: whether the attendance still
    /// finds its holder eligible. `false` after an override, split or corrected import that came
    /// after the issue: the certificate stays valid until revoked, so revoke it unless it is
    /// still due. Null elsewhere, and for certificates no longer valid.
    pub holder_eligible: Option<bool>,
}

pub(super) fn cert_out(c: Certificate, public_url: &str) -> CertificateOut {
    CertificateOut {
        code: issuance::grouped(&c.id),
        verify_url: issuance::verify_url(public_url, &c.token),
        id: c.id,
        name: c.name,
        email: c.email,
        language: c.language.code().to_owned(),
        minutes: c.minutes,
        issued_at: store::ts(c.issued_at),
        kid: c.kid,
        status: c.status,
        revoked_at: c.revoked_at.map(store::ts),
        revoked_reason: c.revoked_reason,
        superseded_by: c.superseded_by,
        pdf_sha256: c.pdf_sha256,
        file_name: c.file_name,
        holder_eligible: None,
    }
}

/// What a bulk issue did.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueOut {
    pub issued: usize,
    pub already: usize,
    pub not_eligible: usize,
    pub with_review: Vec<String>,
    /// Eligible people not issued: their names hold characters that no font of the certificate
    /// has (they would print as empty boxes). Issue each with the name to print.
    pub unprintable: Vec<String>,
    pub dry_run: bool,
}

impl IssueOut {
    /// The answer to issuing an event's or a series' certificates: one shape for both, so that a
    /// script reads them alike.
    fn of(r: issuance::IssueReport, dry_run: bool) -> IssueOut {
        IssueOut {
            issued: r.issued.len(),
            already: r.already,
            not_eligible: r.not_eligible,
            with_review: r.with_review,
            unprintable: r.unprintable,
            dry_run,
        }
    }
}

/// Runs a bulk issue (an event's or a series') with the server's issuer, as `actor`, and answers
/// what it did: the one way both operations issue and answer. `issue` is handed the `dry_run` the
/// answer reports, so that what was done and what is said cannot disagree.
pub(super) async fn bulk_issue(
    state: &AppState,
    actor: String,
    dry_run: bool,
    issue: impl FnOnce(
        &mut store::Conn,
        issuance::Issuer,
        bool,
        DateTime<Utc>,
    ) -> Result<issuance::IssueReport, issuance::IssueError>
    + Send
    + 'static,
) -> ApiResult<Json<IssueOut>> {
    let r = state.with_issuer(actor, move |c, issuer, now| issue(c, issuer, dry_run, now)).await??;
    Ok(Json(IssueOut::of(r, dry_run)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeIn {
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueIn {
    /// The corrected name; the old one when absent. Up to 200 characters, no control
    /// characters, not only spaces.
    #[schema(max_length = 200, pattern = r"[^\s\u0000-\u001F\u007F-\u009F]")]
    pub name: Option<String>,
    /// The old one when absent.
    pub language: Option<Language>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IssueQuery {
    /// Report what would be issued without issuing.
    #[serde(default)]
    pub(super) dry_run: bool,
}

/// Issue a certificate to every eligible person who has none (idempotent).
#[utoipa::path(post, path = "/api/v1/events/{slug}/certificates", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path), IssueQuery),
    responses((status = 200, body = IssueOut), (status = 409, description = "the event has no date and time yet, or its certificates are already being issued (by this or another attest process)", body = ApiErrorBody), (status = 422, description = "a certificate cannot be rendered (e.g. the event's template is gone)", body = ApiErrorBody)))]
pub(super) async fn issue(QueryOn(state, m, slug, q): QueryOn<IssueQuery>) -> ApiResult<Json<IssueOut>> {
    bulk_issue(&state, m.email, q.dry_run, move |c, issuer, dry_run, now| {
        let e = store::events::get(c, &slug)?;
        issuance::issue_event(c, issuer, &e, dry_run, now, &|_| {})
    })
    .await
}

/// The design an event's certificates are reissued with.
#[derive(Debug, Serialize, ToSchema)]
pub struct DesignVersionOut {
    pub id: i64,
    pub name: String,
    pub version: i64,
}

/// What reissuing an event's certificates with its design did (or, with `dry_run`, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct RedesignOut {
    /// The design they take; null: the built-in one.
    pub design: Option<DesignVersionOut>,
    /// The certificates reissued (with `dry_run`: to be reissued), by their ids before: each is
    /// now superseded by a new one.
    pub certificates: Vec<String>,
    pub dry_run: bool,
}

/// Reissue the event's current certificates printed with another design than the event's own
/// (after a design was assigned or saved), each superseding its old one; `dry_run` says which
/// without reissuing. Series certificates are left to their series.
#[utoipa::path(post, path = "/api/v1/events/{slug}/redesign", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path), IssueQuery),
    responses((status = 200, body = RedesignOut), (status = 409, description = "the event has no date and time, or its certificates are already being issued or reissued (by this or another attest process)", body = ApiErrorBody), (status = 422, description = "a certificate cannot be rendered (e.g. the event's template is gone)", body = ApiErrorBody)))]
pub(super) async fn redesign(QueryOn(state, m, slug, q): QueryOn<IssueQuery>) -> ApiResult<Json<RedesignOut>> {
    let dry_run = q.dry_run;
    let p = state
        .with_issuer(m.email, move |c, issuer, now| {
            let e = store::events::get(c, &slug)?;
            if dry_run {
                issuance::redesign::plan(c, &e)
            } else {
                issuance::redesign::reissue_all(c, issuer, &e, now, &|_| {})
            }
        })
        .await??;
    if !dry_run {
        state.certificates_changed();
    }
    Ok(Json(RedesignOut {
        design: p.design.map(|(id, name, version)| DesignVersionOut { id, name, version }),
        certificates: p.certificates,
        dry_run,
    }))
}

/// The event's certificates, in every status, a page at a time (by name). `X-Total-Count` gives
/// their number; a `Link` header with `rel="next"` the next page while there is one.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = [CertificateOut], headers(("X-Total-Count" = u64, description = "Certificates in the whole list"))),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn certificates(QueryOn(state, _, slug, q): QueryOn<PageQuery>) -> ApiResult<Response> {
    let url = state.config().public_url.clone();
    event_page(&state, slug, &q, "certificates", move |c, e, offset, limit| {
        let (page, total) = store::certificates::page_for_event(c, e.id, offset, limit)?;
        let eligible = issuance::stale::eligible_keys(c, e)?;
        let out = page.into_iter().map(|c| {
            let holder_eligible = (c.status == "valid").then(|| eligible.contains(&c.person_key));
            CertificateOut { holder_eligible, ..cert_out(c, &url) }
        });
        Ok((out.collect(), total))
    })
    .await
}

/// The valid certificates' PDFs and `manifest.csv` in one ZIP.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates.zip", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 401, body = ApiErrorBody)))]
pub(super) async fn archive(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Response> {
    let url = state.config().public_url.clone();
    let bytes = with_event(&state, slug.clone(), move |c, e| issuance::archive(c, e, &url)).await?;
    let disposition = format!("attachment; filename=\"{slug}-certificates.zip\"");
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// All valid certificates of the event merged into one PDF for printing: one page each, in the
/// order of the attendance list. The merged file carries no PDF signature of its own (each
/// certificate's PDF does); every page keeps its QR code. 409 when there is nothing to print.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates.pdf", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub(super) async fn print_file(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Response> {
    let file = with_event(&state, slug.clone(), |c, e| issuance::print_file(c, e)).await?;
    let disposition = format!("attachment; filename=\"{slug}-print.pdf\"");
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)], file.bytes)
        .into_response())
}

pub(super) async fn one(state: &AppState, id: String) -> ApiResult<Certificate> {
    let code = issuance::CertificateId::parse(&id).map(|i| i.code()).unwrap_or(id.clone());
    state
        .blocking(move |c, _| store::certificates::get(c, &code))
        .await??
        .ok_or_else(|| WebError::Status(StatusCode::NOT_FOUND, format!("no certificate {id}")).into())
}

/// A certificate (as [`one`] finds it) and what `read` finds stored under its id: its PDF or
/// its credential, each of which a download answers as it is.
async fn with_stored<T: Send + 'static>(
    state: &AppState,
    id: String,
    read: fn(&store::Conn, &str) -> Result<Option<T>, store::StoreError>,
) -> ApiResult<(Certificate, Option<T>)> {
    let c = one(state, id).await?;
    let cid = c.id.clone();
    let stored = state.blocking(move |conn, _| read(conn, &cid)).await??;
    Ok((c, stored))
}

/// One certificate (by ID or printed code).
#[utoipa::path(get, path = "/api/v1/certificates/{id}", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = CertificateOut), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn certificate(StaffOn(state, _, id): StaffOn<String>) -> ApiResult<Json<CertificateOut>> {
    let c = one(&state, id).await?;
    Ok(Json(cert_out(c, &state.config().public_url)))
}

/// A certificate's PDF, as issued.
#[utoipa::path(get, path = "/api/v1/certificates/{id}/pdf", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn certificate_pdf(StaffOn(state, _, id): StaffOn<String>) -> ApiResult<Response> {
    let (_, pdf) = with_stored(&state, id, store::certificates::pdf).await?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], pdf.unwrap_or_default()).into_response())
}

/// A certificate's Open Badges 3.0 credential, whole (with the email's identity hash): the one
/// embedded in its PDF, for the holder's wallet.
#[utoipa::path(get, path = "/api/v1/certificates/{id}/credential", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/vc", body = Object), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn certificate_credential(
    State(state): State<AppState>,
    _u: ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (c, doc) = with_stored(&state, id, store::certificates::credential).await?;
    let doc =
        doc.ok_or_else(|| WebError::Status(StatusCode::NOT_FOUND, format!("certificate {} has no credential", c.id)))?;
    Ok(([(header::CONTENT_TYPE, crate::web::credentials::VC_MEDIA_TYPE)], doc).into_response())
}

/// Revoke a certificate; verifiers see the reason.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RevokeIn,
    responses((status = 200, body = CertificateOut), (status = 409, description = "the certificate is not valid (already revoked or superseded)", body = ApiErrorBody)))]
pub(super) async fn revoke(JsonOn(state, m, id, r): JsonOn<RevokeIn>) -> ApiResult<Json<CertificateOut>> {
    let c = one(&state, id).await?;
    let c = state
        .blocking(move |conn, _| store::certificates::revoke(conn, &c.id, &r.reason, &m.email, Utc::now()))
        .await??;
    state.certificates_changed();
    Ok(Json(cert_out(c, &state.config().public_url)))
}

/// Issue a corrected certificate in place of one; the old one becomes superseded. A revoked
/// certificate is issued again (it stays revoked). A request that changes neither the name nor
/// the language of a valid certificate is refused (422).
#[utoipa::path(post, path = "/api/v1/certificates/{id}/reissue", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReissueIn,
    responses((status = 201, body = CertificateOut), (status = 409, description = "the certificate was superseded: reissue the one that replaced it", body = ApiErrorBody)))]
pub(super) async fn reissue(JsonOn(state, m, id, r): JsonOn<ReissueIn>) -> ApiResult<Response> {
    let old = one(&state, id).await?;
    let c = state
        .with_issuer(m.email, move |conn, issuer, now| {
            issuance::reissue(conn, issuer, &old.id, r.name.as_deref(), r.language, now)
        })
        .await??;
    state.certificates_changed();
    Ok(created(cert_out(c, &state.config().public_url)))
}
