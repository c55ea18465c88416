//! The JSON API under `/api/v1`: everything the staff console does, for scripts and other
//! systems, with `Authorization: Bearer <token>` (tokens from `attest staff token`).
//!
//! The OpenAPI document at `/api/v1/openapi.json` is generated from the handlers themselves
//! (utoipa's `#[utoipa::path]` and `routes!`): the router and the document are built from the
//! same list, so they cannot drift apart. Responses use small API types rather than the
//! library's, so that the library can change without breaking the published contract.
//! Bearer tokens are not sent by browsers on their own, so these routes need no CSRF token.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppState, WebError};
use crate::attendance::{Decision, Rule};
use crate::import::{ImportOptions, dates::DateOrder};
use crate::issuance::{self, IssueError};
use crate::staff::{self, Member};
use crate::store::{self, certificates::Certificate, events::Event, events::NewEvent, imports::Upload};

/// An error as JSON: `{"error": "..."}` with the HTTP status saying what kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    pub error: String,
    /// For imports that need an answer: `date_order`, `meeting`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
    /// An example value from the file that shows why (e.g. a date that reads both ways).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// A [`WebError`] answered as JSON, with what an import needs when that is the problem.
pub struct ApiError(WebError, Option<(String, String)>);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        ApiError(e, None)
    }
}

/// Lets `?` turn any error the web layer knows into an [`ApiError`].
macro_rules! api_error_from {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                ApiError(e.into(), None)
            }
        }
    )*};
}
api_error_from!(store::StoreError, IssueError, staff::StaffError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (needs, example) = match self.1 {
            Some((n, e)) => (Some(n), Some(e)),
            None => (None, None),
        };
        match self.0 {
            WebError::Status(code, error) => (code, Json(ApiErrorBody { error, needs, example })).into_response(),
            internal => {
                let res = internal.into_response();
                let status = res.status();
                (status, Json(ApiErrorBody { error: "internal error; see the server log".into(), needs, example }))
                    .into_response()
            }
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The member of staff behind the bearer token.
pub struct ApiUser(pub Member);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let member = match token {
            Some(t) => state
                .blocking(move |conn, _| staff::by_token(conn, &t, Utc::now()))
                .await
                .map_err(|e| ApiError::from(e).into_response())?
                .map_err(|e| ApiError::from(e).into_response())?,
            None => None,
        };
        member.map(ApiUser).ok_or_else(|| {
            let body = ApiErrorBody {
                error: "a valid API token is required: Authorization: Bearer <token> (attest staff token EMAIL)".into(),
                needs: None,
                example: None,
            };
            (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], Json(body)).into_response()
        })
    }
}

/// An event as the API shows it. Times are RFC 3339 UTC; `starts`/`ends` are null when the
/// window comes from the exports.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    pub slug: String,
    pub title: String,
    pub series: Option<String>,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub timezone: String,
    pub language: String,
    /// `min_percent` or `min_minutes`.
    pub rule: String,
    pub rule_value: u32,
    pub panelists_eligible: bool,
    pub template: Option<String>,
}

impl From<Event> for EventOut {
    fn from(e: Event) -> Self {
        let (rule, rule_value) = e.rule.parts();
        EventOut {
            starts: e.starts_at.map(store::ts),
            ends: e.ends_at.map(store::ts),
            slug: e.slug,
            title: e.title,
            series: e.series,
            timezone: e.timezone,
            language: e.language,
            rule: rule.into(),
            rule_value,
            panelists_eligible: e.panelists_eligible,
            template: e.template,
        }
    }
}

/// What creates or changes an event. Local times are in `timezone`, e.g. `2025-03-14T10:00`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventIn {
    /// Only when creating; ignored when changing.
    pub slug: Option<String>,
    pub title: String,
    pub series: Option<String>,
    pub starts: Option<String>,
    pub ends: Option<String>,
    #[serde(default = "utc")]
    pub timezone: String,
    #[serde(default = "english")]
    pub language: String,
    /// `min_percent` (default) or `min_minutes`.
    #[serde(default = "min_percent")]
    pub rule: String,
    #[serde(default = "seventy_five")]
    pub rule_value: u32,
    #[serde(default)]
    pub panelists_eligible: bool,
    pub template: Option<String>,
}

fn utc() -> String {
    "UTC".into()
}
fn english() -> String {
    "en".into()
}
fn min_percent() -> String {
    "min_percent".into()
}
fn seventy_five() -> u32 {
    75
}

impl EventIn {
    fn to_new(&self, slug: &str) -> Result<NewEvent, store::StoreError> {
        let tz = store::events::parse_zone(&self.timezone)?;
        let t = |s: &Option<String>| s.as_deref().map(|s| store::events::local_time(s, tz)).transpose();
        Ok(NewEvent {
            slug: slug.to_owned(),
            title: self.title.clone(),
            series: self.series.clone(),
            starts_at: t(&self.starts)?,
            ends_at: t(&self.ends)?,
            timezone: tz,
            language: self.language.clone(),
            rule: match self.rule.as_str() {
                "min_minutes" => Rule::MinMinutes(self.rule_value),
                "min_percent" => Rule::MinPercent(self.rule_value),
                other => {
                    return Err(store::StoreError::Invalid(format!(
                        "rule \"{other}\": use min_percent or min_minutes"
                    )));
                }
            },
            panelists_eligible: self.panelists_eligible,
            template: self.template.clone(),
        })
    }
}

/// One person's attendance decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    /// Use it (or the email, or the name) to link, split or override.
    pub key: String,
    pub keys: Vec<String>,
    pub name: String,
    pub email: Option<String>,
    /// `host`, `panelist` or `attendee`.
    pub role: String,
    pub attended_seconds: i64,
    pub eligible: bool,
    pub reason: String,
    pub review: Vec<String>,
    pub overridden: bool,
    pub sources: Vec<SourceOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceOut {
    pub file: String,
    pub line: i64,
}

impl From<Decision> for PersonOut {
    fn from(d: Decision) -> Self {
        PersonOut {
            key: d.key,
            keys: d.keys,
            name: d.name,
            email: d.email,
            role: d.role.as_str().into(),
            attended_seconds: d.attended_seconds,
            eligible: d.eligible,
            reason: d.reason,
            review: d.review,
            overridden: d.overridden,
            sources: d.sources.into_iter().map(|s| SourceOut { file: s.file, line: s.line }).collect(),
        }
    }
}

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
}

fn cert_out(c: Certificate, public_url: &str) -> CertificateOut {
    CertificateOut {
        code: issuance::grouped(&c.id),
        verify_url: issuance::verify_url(public_url, &c.token),
        id: c.id,
        name: c.name,
        email: c.email,
        language: c.language,
        minutes: c.minutes,
        issued_at: store::ts(c.issued_at),
        kid: c.kid,
        status: c.status,
        revoked_at: c.revoked_at.map(store::ts),
        revoked_reason: c.revoked_reason,
        superseded_by: c.superseded_by,
        pdf_sha256: c.pdf_sha256,
        file_name: c.file_name,
    }
}

/// What happened to one uploaded file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOut {
    pub file: String,
    /// `imported`, `already_imported` or `duplicate`.
    pub status: String,
    /// The full import report (format, encoding, zone, rows, connections, row errors...).
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// What a bulk issue did.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueOut {
    pub issued: usize,
    pub already: usize,
    pub not_eligible: usize,
    pub with_review: Vec<String>,
    pub dry_run: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OverrideIn {
    /// A key, email or name.
    pub person: String,
    pub eligible: bool,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkIn {
    pub a: String,
    pub b: String,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SplitIn {
    pub key: String,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeIn {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReissueIn {
    /// The corrected name; the old one when absent.
    pub name: Option<String>,
    /// `en`, `fr` or `es`; the old one when absent.
    pub language: Option<String>,
}

/// The multipart form of an import.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // Describes the request for the OpenAPI document; read field by field.
pub struct ImportForm {
    /// One or more export files, as downloaded.
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
    /// Zone the files' times are in (default: the event's).
    timezone: Option<String>,
    /// `mdy`, `dmy` or `ymd` when the file cannot decide.
    date_order: Option<String>,
    /// For files holding several meetings: the meeting ID.
    meeting: Option<String>,
    /// `true` to import readable rows when some cannot be read.
    skip_bad_rows: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct IssueQuery {
    /// Report what would be issued without issuing.
    #[serde(default)]
    dry_run: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Newest entries first; at most 1000.
    limit: Option<usize>,
}

fn created<T: Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

/// List events.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", security(("bearer" = [])),
    responses((status = 200, body = [EventOut]), (status = 401, body = ApiErrorBody)))]
async fn list_events(State(state): State<AppState>, _u: ApiUser) -> ApiResult<Json<Vec<EventOut>>> {
    let events = state.blocking(|c, _| store::events::list(c)).await??;
    Ok(Json(events.into_iter().map(EventOut::from).collect()))
}

/// Create an event.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", security(("bearer" = [])), request_body = EventIn,
    responses((status = 201, body = EventOut), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn create_event(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Json(e): Json<EventIn>,
) -> ApiResult<Response> {
    let slug = e.slug.clone().unwrap_or_default();
    let ev = state.blocking(move |c, _| store::events::create(c, &e.to_new(&slug)?, &m.email, Utc::now())).await??;
    Ok(created(EventOut::from(ev)))
}

/// One event.
#[utoipa::path(get, path = "/api/v1/events/{slug}", tag = "events", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = EventOut), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn get_event(State(state): State<AppState>, _u: ApiUser, Path(slug): Path<String>) -> ApiResult<Json<EventOut>> {
    Ok(Json(state.blocking(move |c, _| store::events::get(c, &slug)).await??.into()))
}

/// Change an event (not its slug).
#[utoipa::path(put, path = "/api/v1/events/{slug}", tag = "events", security(("bearer" = [])), request_body = EventIn,
    params(("slug" = String, Path)), responses((status = 200, body = EventOut), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn update_event(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(slug): Path<String>,
    Json(e): Json<EventIn>,
) -> ApiResult<Json<EventOut>> {
    let ev =
        state.blocking(move |c, _| store::events::update(c, &slug, &e.to_new(&slug)?, &m.email, Utc::now())).await??;
    Ok(Json(ev.into()))
}

/// Import one or more exports into an event, all or nothing. A file that cannot be dated or
/// holds several meetings is refused with `needs` and an `example`: send it again with
/// `date_order` or `meeting`.
#[utoipa::path(post, path = "/api/v1/events/{slug}/imports", tag = "imports", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses((status = 200, body = [ImportOut]), (status = 413, description = "too large"), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn import(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> ApiResult<Json<Vec<ImportOut>>> {
    let mut files = Vec::new();
    let (mut timezone, mut date_order, mut meeting, mut skip) = (None, None, None, false);
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::from(WebError::Status(e.status(), e.body_text()));
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "files" => {
                let name = field.file_name().unwrap_or("upload.csv").to_owned();
                files.push((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            "timezone" => timezone = Some(field.text().await.map_err(bad)?),
            "date_order" => {
                let v = field.text().await.map_err(bad)?;
                date_order = Some(v.parse::<DateOrder>().map_err(|_| {
                    ApiError::from(WebError::Status(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("date_order \"{v}\": use mdy, dmy or ymd"),
                    ))
                })?);
            }
            "meeting" => meeting = Some(field.text().await.map_err(bad)?).filter(|m| !m.is_empty()),
            "skip_bad_rows" => skip = field.text().await.map_err(bad)? == "true",
            _ => {}
        }
    }
    if files.is_empty() {
        return Err(WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, "no file in field \"files\"".into()).into());
    }
    let result = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let event = store::events::get(c, &slug)?;
            let opts = ImportOptions {
                tz: match &timezone {
                    Some(t) => store::events::parse_zone(t)?,
                    None => event.tz(),
                },
                date_order,
                meeting,
                event_title: Some(event.title.clone()),
                event_window: event.window().map(|w| (w.start, w.end)),
            };
            let uploads: Vec<Upload> = files.iter().map(|(n, b)| Upload { file_name: n, bytes: b }).collect();
            store::imports::import_files(c, &event, &uploads, &opts, skip, &m.email, Utc::now())
        })
        .await?;
    let outcomes = match result {
        Ok(o) => o,
        Err(store::StoreError::Import(e)) => {
            use crate::import::ImportError as I;
            let hint = match &e {
                I::DateOrderUndecided { example, .. } => Some(("date_order".to_owned(), example.clone())),
                I::DateOrderContradictory { mdy_example, .. } => Some(("date_order".to_owned(), mdy_example.clone())),
                I::WhichMeeting { meetings, .. } | I::NoSuchMeeting { meetings, .. } => {
                    Some(("meeting".to_owned(), meetings.join("; ")))
                }
                _ => None,
            };
            return Err(ApiError(WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()), hint));
        }
        Err(e) => return Err(e.into()),
    };
    let out = outcomes
        .into_iter()
        .map(|o| {
            let report = serde_json::to_value(&o).unwrap_or_default();
            let (file, status) = match &o {
                store::imports::Outcome::Imported(s) => (s.file.clone(), "imported"),
                store::imports::Outcome::AlreadyImported { file, .. } => (file.clone(), "already_imported"),
                store::imports::Outcome::Duplicate { file, .. } => (file.clone(), "duplicate"),
            };
            ImportOut { file, status: status.into(), report }
        })
        .collect();
    Ok(Json(out))
}

/// Everyone's attendance decision, with the reason.
#[utoipa::path(get, path = "/api/v1/events/{slug}/attendance", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = [PersonOut]), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn attendance(
    State(state): State<AppState>,
    _u: ApiUser,
    Path(slug): Path<String>,
) -> ApiResult<Json<Vec<PersonOut>>> {
    let d = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            store::people::decisions(c, &e)
        })
        .await??;
    Ok(Json(d.into_iter().map(PersonOut::from).collect()))
}

/// Replace one person's decision, with a reason.
#[utoipa::path(post, path = "/api/v1/events/{slug}/overrides", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = OverrideIn,
    responses((status = 200, body = PersonOut), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn set_override(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(slug): Path<String>,
    Json(o): Json<OverrideIn>,
) -> ApiResult<Json<PersonOut>> {
    let d = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            let d = store::people::person(c, &e, &o.person)?;
            store::people::set_override(c, &e, &d.key, o.eligible, &o.reason, &m.email, Utc::now())?;
            store::people::person(c, &e, &d.key)
        })
        .await??;
    Ok(Json(d.into()))
}

/// The rows under two keys are one person.
#[utoipa::path(post, path = "/api/v1/events/{slug}/links", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = LinkIn,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn link(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(slug): Path<String>,
    Json(l): Json<LinkIn>,
) -> ApiResult<StatusCode> {
    state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            store::people::link(c, &e, &l.a, &l.b, &l.reason, &m.email, Utc::now())
        })
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// The rows under a key are a person of their own.
#[utoipa::path(post, path = "/api/v1/events/{slug}/splits", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SplitIn,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn split(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(slug): Path<String>,
    Json(s): Json<SplitIn>,
) -> ApiResult<StatusCode> {
    state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            store::people::split(c, &e, &s.key, &s.reason, &m.email, Utc::now())
        })
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// Issue a certificate to every eligible person who has none (idempotent).
#[utoipa::path(post, path = "/api/v1/events/{slug}/certificates", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path), IssueQuery),
    responses((status = 200, body = IssueOut), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn issue(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(slug): Path<String>,
    Query(q): Query<IssueQuery>,
) -> ApiResult<Json<IssueOut>> {
    let r = state
        .with_issuer(m.email, move |c, issuer, now| {
            let e = store::events::get(c, &slug)?;
            issuance::issue_event(c, issuer, &e, q.dry_run, now, &|_| {})
        })
        .await??;
    Ok(Json(IssueOut {
        issued: r.issued.len(),
        already: r.already,
        not_eligible: r.not_eligible,
        with_review: r.with_review,
        dry_run: q.dry_run,
    }))
}

/// The event's certificates, in every status.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = [CertificateOut]), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn certificates(
    State(state): State<AppState>,
    _u: ApiUser,
    Path(slug): Path<String>,
) -> ApiResult<Json<Vec<CertificateOut>>> {
    let url = state.config().public_url.clone();
    let certs = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            store::certificates::for_event(c, e.id)
        })
        .await??;
    Ok(Json(certs.into_iter().map(|c| cert_out(c, &url)).collect()))
}

/// The valid certificates' PDFs and `manifest.csv` in one ZIP.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates.zip", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 401, body = ApiErrorBody)))]
async fn archive(State(state): State<AppState>, _u: ApiUser, Path(slug): Path<String>) -> ApiResult<Response> {
    let url = state.config().public_url.clone();
    let s = slug.clone();
    let bytes = state
        .blocking(move |c, _| -> Result<_, IssueError> {
            let e = store::events::get(c, &s)?;
            issuance::archive(c, &e, &url)
        })
        .await??;
    let disposition = format!("attachment; filename=\"{slug}-certificates.zip\"");
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

async fn one(state: &AppState, id: String) -> ApiResult<Certificate> {
    let code = issuance::CertificateId::parse(&id).map(|i| i.code()).unwrap_or(id.clone());
    state
        .blocking(move |c, _| store::certificates::get(c, &code))
        .await??
        .ok_or_else(|| WebError::Status(StatusCode::NOT_FOUND, format!("no certificate {id}")).into())
}

/// One certificate (by ID or printed code).
#[utoipa::path(get, path = "/api/v1/certificates/{id}", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = CertificateOut), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn certificate(
    State(state): State<AppState>,
    _u: ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<CertificateOut>> {
    let c = one(&state, id).await?;
    Ok(Json(cert_out(c, &state.config().public_url)))
}

/// A certificate's PDF, as issued.
#[utoipa::path(get, path = "/api/v1/certificates/{id}/pdf", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn certificate_pdf(State(state): State<AppState>, _u: ApiUser, Path(id): Path<String>) -> ApiResult<Response> {
    let c = one(&state, id).await?;
    let cid = c.id.clone();
    let pdf = state.blocking(move |conn, _| store::certificates::pdf(conn, &cid)).await??.unwrap_or_default();
    Ok(([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response())
}

/// A certificate's Open Badges 3.0 credential, whole (with the email's identity hash): the one
/// embedded in its PDF, for the holder's wallet.
#[utoipa::path(get, path = "/api/v1/certificates/{id}/credential", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/vc", body = Object), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn certificate_credential(
    State(state): State<AppState>,
    _u: ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let c = one(&state, id).await?;
    let cid = c.id.clone();
    let doc = state
        .blocking(move |conn, _| store::certificates::credential(conn, &cid))
        .await??
        .ok_or_else(|| WebError::Status(StatusCode::NOT_FOUND, format!("certificate {} has no credential", c.id)))?;
    Ok(([(header::CONTENT_TYPE, super::credentials::VC_MEDIA_TYPE)], doc).into_response())
}

/// Revoke a certificate; verifiers see the reason.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RevokeIn,
    responses((status = 200, body = CertificateOut), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(id): Path<String>,
    Json(r): Json<RevokeIn>,
) -> ApiResult<Json<CertificateOut>> {
    let c = one(&state, id).await?;
    let c = state
        .blocking(move |conn, _| store::certificates::revoke(conn, &c.id, &r.reason, &m.email, Utc::now()))
        .await??;
    state.certificates_changed();
    Ok(Json(cert_out(c, &state.config().public_url)))
}

/// Issue a corrected certificate in place of one; the old one becomes superseded.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/reissue", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReissueIn,
    responses((status = 201, body = CertificateOut), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn reissue(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    Path(id): Path<String>,
    Json(r): Json<ReissueIn>,
) -> ApiResult<Response> {
    let old = one(&state, id).await?;
    let c = state
        .with_issuer(m.email, move |conn, issuer, now| {
            issuance::reissue(conn, issuer, &old.id, r.name.as_deref(), r.language.as_deref(), now)
        })
        .await??;
    state.certificates_changed();
    Ok(created(cert_out(c, &state.config().public_url)))
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = [AuditOut]), (status = 401, body = ApiErrorBody)))]
async fn audit(
    State(state): State<AppState>,
    _u: ApiUser,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditOut>>> {
    let limit = q.limit.unwrap_or(100).min(1000);
    let entries = state.blocking(move |c, _| store::certificates::audit_log(c, limit)).await??;
    Ok(Json(
        entries
            .into_iter()
            .map(|a| AuditOut { at: a.at, actor: a.actor, action: a.action, subject: a.subject, detail: a.detail })
            .collect(),
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "attest API", description = "Certificates of attendance: events, imports, attendance, certificates. \
        Authenticate with `Authorization: Bearer <token>`; create tokens with `attest staff token EMAIL`."),
    modifiers(&BearerAuth),
    tags((name = "events"), (name = "imports"), (name = "attendance"), (name = "certificates"), (name = "audit"))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The API routes and the OpenAPI document generated from them.
pub fn routes(max_upload_bytes: usize) -> axum::Router<AppState> {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, update_event))
        .routes(routes!(import))
        .routes(routes!(attendance))
        .routes(routes!(set_override))
        .routes(routes!(link))
        .routes(routes!(split))
        .routes(routes!(issue, certificates))
        .routes(routes!(archive))
        .routes(routes!(certificate))
        .routes(routes!(certificate_pdf))
        .routes(routes!(certificate_credential))
        .routes(routes!(revoke))
        .routes(routes!(reissue))
        .routes(routes!(audit))
        .split_for_parts();
    let doc = Arc::new(doc.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    router
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = Arc::clone(&doc);
                async move { ([(header::CONTENT_TYPE, "application/json")], doc.as_str().to_owned()) }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(max_upload_bytes))
}
