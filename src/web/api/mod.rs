//! The JSON API under `/api/v1`: everything the staff console does, for scripts and other
//! systems, with `Authorization: Bearer <token>` (tokens from `attest staff token`).
//!
//! The OpenAPI document at `/api/v1/openapi.json` is generated from the handlers themselves
//! (utoipa's `#[utoipa::path]` and `routes!`): the router and the document are built from the
//! same list, so they cannot drift apart. Responses use small API types rather than the
//! library's, so that the library can change without breaking the published contract.
//! Bearer tokens are not sent by browsers on their own, so these routes need no CSRF token.
//!
//! The contract is kept in three places, each the only one for its part: the request types
//! state every single-field rule the handlers apply (enums, patterns, ranges); the `Api*`
//! extractors answer axum's rejections as JSON; [`contract`] adds to the document every error
//! status an operation can give. `tests/contract.rs` has Schemathesis check the result against a
//! running server. Every answer here carries `Cache-Control: no-store`: it is staff data.

use std::sync::Arc;

use axum::Json;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod delivery;

use delivery::*;

use super::{AppState, WebError};

#[path = "api_designs.rs"]
mod designs;
mod series;
use crate::attendance::{Decision, Rule};
use crate::import::{ImportOptions, dates::DateOrder};
use crate::issuance::{self, IssueError};
use crate::staff::{self, Member};
use crate::store::{self, certificates::Certificate, events::Event, events::NewEvent, imports::Upload};

/// An error as JSON: `{"error": "..."}` with the HTTP status saying what kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    pub error: String,
    /// For imports that need an answer: `date_order`, `meeting`, `columns` (headers attest does
    /// not know: `example` holds the inferred columns; confirm them once in the console or with
    /// `attest import --columns`, and the file then imports here) or `date` (times of day only).
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

impl ApiError {
    fn status(code: StatusCode, error: impl Into<String>) -> Self {
        ApiError(WebError::Status(code, error.into()), None)
    }
}

/// axum's own rejections (a body that is not JSON or not the right JSON, a missing content type,
/// a path or query that does not parse, a broken multipart body) keep the status axum chose and
/// are answered like every other API error, as JSON. This is the one place they are mapped; the
/// handlers take the `Api*` extractors below, which use it.
macro_rules! rejections_as_json {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(r: $t) -> Self {
                ApiError::status(r.status(), r.body_text())
            }
        }
    )*};
}
rejections_as_json!(JsonRejection, PathRejection, QueryRejection, MultipartRejection, MultipartError, BytesRejection);

/// The raw body, rejecting as JSON (a body over the operation's limit is a JSON 413).
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiBytes(axum::body::Bytes::from_request(req, state).await?))
    }
}

/// [`Json`], rejecting as JSON.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiJson(Json::<T>::from_request(req, state).await?.0))
    }
}

/// [`Path`], rejecting as JSON.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(ApiPath(Path::<T>::from_request_parts(parts, state).await?.0))
    }
}

/// [`Query`], rejecting as JSON.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(ApiQuery(Query::<T>::from_request_parts(parts, state).await?.0))
    }
}

/// [`Multipart`], rejecting as JSON.
pub struct ApiMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiMultipart(Multipart::from_request(req, state).await?))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (needs, example) = match self.1 {
            Some((n, e)) => (Some(n), Some(e)),
            None => (None, None),
        };
        match self.0 {
            WebError::Status(code, error) => (code, Json(ApiErrorBody { error, needs, example })).into_response(),
            WebError::Internal { request_id, cause } => {
                let error = format!("something went wrong on our side (request id {request_id}); the cause is logged");
                // Logs the cause, once, under the request id.
                let status = WebError::Internal { request_id, cause }.into_response().status();
                (status, Json(ApiErrorBody { error, needs, example })).into_response()
            }
        }
    }
}

/// Answers every `/api/v1/...` path that is not an operation: JSON, like every API error.
async fn no_such_route() -> ApiError {
    ApiError::status(StatusCode::NOT_FOUND, "no such API route (see /api/v1/openapi.json)")
}

type ApiResult<T> = Result<T, ApiError>;

/// The member of staff behind the bearer token.
pub struct ApiUser(pub Member);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The access layer has read the token already (web::access).
        if let Some(c) = parts.extensions.get::<super::access::Checked>() {
            return Ok(ApiUser(c.member.clone()));
        }
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
    /// How Teams reports' `Presenter` role reads: `auto` (attendee in a meeting, panelist in a
    /// webinar or town hall), `attendee` or `panelist`.
    pub teams_presenters: TeamsPresenters,
}

/// How Teams reports' `Presenter` role reads for an event.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TeamsPresenters {
    /// Each report's own reading: attendee in a meeting, panelist in a webinar or town hall.
    #[default]
    Auto,
    Attendee,
    Panelist,
}

impl TeamsPresenters {
    fn as_str(self) -> &'static str {
        match self {
            TeamsPresenters::Auto => "auto",
            TeamsPresenters::Attendee => "attendee",
            TeamsPresenters::Panelist => "panelist",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "attendee" => TeamsPresenters::Attendee,
            "panelist" => TeamsPresenters::Panelist,
            _ => TeamsPresenters::Auto,
        }
    }
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
            teams_presenters: TeamsPresenters::parse(&e.teams_presenters),
            template: e.template,
        }
    }
}

// The request types state every rule a handler applies to one field on its own (enums, patterns,
// ranges), so that the OpenAPI document is exactly as strict as the handlers: a request it allows
// is not refused for its shape, and one it forbids is not accepted. Rules that tie two fields
// together (an event ends after it starts, a percentage is at most 100, a local time exists in
// the zone) cannot be said in JSON Schema; they are refused with 422 and say so in the field's
// description.

/// Every IANA zone name attest knows, as an enum: the API reads the name exactly as listed.
fn time_zone() -> utoipa::openapi::schema::ObjectBuilder {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("An IANA time zone name, e.g. `Europe/Paris`."))
        .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())))
}

/// A zone name exactly as the schema lists it (no trimming, no other spelling).
fn zone(name: &str) -> Result<chrono_tz::Tz, store::StoreError> {
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        store::StoreError::Invalid(format!("unknown time zone \"{name}\" (use an IANA name such as Europe/Paris)"))
    })
}

/// A language certificates and pages are printed in.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
    Es,
}

impl Language {
    fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::Es => "es",
        }
    }
}

/// How attendance is decided.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// At least `rule_value` % of the event's window.
    #[default]
    MinPercent,
    /// At least `rule_value` minutes.
    MinMinutes,
}

/// What changes an event. Local times are in `timezone`, e.g. `2025-03-14T10:00`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventIn {
    #[schema(pattern = r"\S")]
    pub title: String,
    pub series: Option<String>,
    /// With `ends`, or neither; `ends` must come after it, and both must exist in `timezone`.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$")]
    pub starts: Option<String>,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$")]
    pub ends: Option<String>,
    #[serde(default = "utc")]
    #[schema(schema_with = time_zone)]
    pub timezone: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub rule: RuleKind,
    /// Percent (at most 100) or minutes, as `rule` says.
    #[serde(default = "seventy_five")]
    pub rule_value: u32,
    #[serde(default)]
    pub panelists_eligible: bool,
    /// One of the server's templates (listed in this document); the language's own when null.
    pub template: Option<String>,
    /// Absent: `auto` when creating, unchanged when changing.
    pub teams_presenters: Option<TeamsPresenters>,
}

/// What creates an event: its slug and the rest.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventCreate {
    /// 1 to 64 lower-case letters, digits, `-` or `_`; the event's name in URLs.
    #[schema(pattern = r"^[a-z0-9_-]{1,64}$", min_length = 1, max_length = 64)]
    pub slug: String,
    #[serde(flatten)]
    pub event: EventIn,
}

fn utc() -> String {
    "UTC".into()
}
fn seventy_five() -> u32 {
    75
}

impl EventIn {
    fn to_new(&self, slug: &str, templates: &[String]) -> Result<NewEvent, store::StoreError> {
        let tz = zone(&self.timezone)?;
        let t = |s: &Option<String>| s.as_deref().map(|s| store::events::local_time(s, tz)).transpose();
        if let Some(t) = self.template.as_ref().filter(|t| !templates.contains(t)) {
            return Err(store::StoreError::Invalid(format!("template \"{t}\": use one of {}", templates.join(", "))));
        }
        Ok(NewEvent {
            slug: slug.to_owned(),
            title: self.title.clone(),
            series: self.series.clone(),
            starts_at: t(&self.starts)?,
            ends_at: t(&self.ends)?,
            timezone: tz,
            language: self.language.code().to_owned(),
            rule: match self.rule {
                RuleKind::MinMinutes => Rule::MinMinutes(self.rule_value),
                RuleKind::MinPercent => Rule::MinPercent(self.rule_value),
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
    /// The role the account acted with (`admin`, `issuer`, `viewer`); null for the command line.
    pub role: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OverrideIn {
    /// A key, email or name of someone in the event (422 when nobody has it).
    pub person: String,
    pub eligible: bool,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkIn {
    /// Two different keys held by people of the event (422 when nobody has one).
    pub a: String,
    pub b: String,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SplitIn {
    pub key: String,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeIn {
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReissueIn {
    /// The corrected name; the old one when absent. Up to 200 characters, no control
    /// characters, not only spaces.
    #[schema(max_length = 200, pattern = r"[^\s\u0000-\u001F\u007F-\u009F]")]
    pub name: Option<String>,
    /// The old one when absent.
    pub language: Option<Language>,
}

/// The multipart form of an import.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // Describes the request for the OpenAPI document; read field by field.
#[serde(deny_unknown_fields)] // No other field: the handler refuses one.
pub struct ImportForm {
    /// One or more export files, as downloaded. A file attest cannot read is refused (422)
    /// with the line and column.
    #[schema(value_type = Vec<String>, format = Binary, min_items = 1)]
    files: Vec<Vec<u8>>,
    /// Zone the files' times are in (default: the event's).
    #[serde(default)]
    #[schema(schema_with = time_zone)]
    timezone: String,
    /// When the file cannot decide.
    #[serde(default)]
    date_order: DateOrderIn,
    /// For files holding several meetings: the meeting ID.
    #[serde(default)]
    meeting: String,
    /// `true` to import readable rows when some cannot be read.
    #[serde(default)]
    skip_bad_rows: bool,
}

/// How a file's dates read when the file alone cannot tell.
#[derive(Debug, Clone, Copy, Default, ToSchema)]
#[allow(dead_code)] // Describes the form field; the handler reads the text.
#[schema(rename_all = "lowercase")]
enum DateOrderIn {
    #[default]
    Mdy,
    Dmy,
    Ymd,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IssueQuery {
    /// Report what would be issued without issuing.
    #[serde(default)]
    dry_run: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many entries, newest first (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
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
#[utoipa::path(post, path = "/api/v1/events", tag = "events", security(("bearer" = [])), request_body = EventCreate,
    responses((status = 201, body = EventOut), (status = 409, description = "an event with this slug exists", body = ApiErrorBody)))]
async fn create_event(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiJson(e): ApiJson<EventCreate>,
) -> ApiResult<Response> {
    let new = e.event.to_new(&e.slug, &state.template_names())?;
    let presenters = e.event.teams_presenters;
    let ev = state
        .blocking(move |c, _| {
            let ev = store::events::create(c, &new, &m.email, Utc::now())?;
            match presenters {
                Some(r) => store::events::set_teams_presenters(c, &ev.slug, r.as_str(), &m.email, Utc::now()),
                None => Ok(ev),
            }
        })
        .await??;
    Ok(created(EventOut::from(ev)))
}

/// One event.
#[utoipa::path(get, path = "/api/v1/events/{slug}", tag = "events", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = EventOut), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn get_event(
    State(state): State<AppState>,
    _u: ApiUser,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<EventOut>> {
    Ok(Json(state.blocking(move |c, _| store::events::get(c, &slug)).await??.into()))
}

/// Change an event (not its slug).
#[utoipa::path(put, path = "/api/v1/events/{slug}", tag = "events", security(("bearer" = [])), request_body = EventIn,
    params(("slug" = String, Path)), responses((status = 200, body = EventOut)))]
async fn update_event(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(e): ApiJson<EventIn>,
) -> ApiResult<Json<EventOut>> {
    let new = e.to_new(&slug, &state.template_names())?;
    let ev = state
        .blocking(move |c, _| {
            let ev = store::events::update(c, &slug, &new, &m.email, Utc::now())?;
            match e.teams_presenters {
                Some(r) => store::events::set_teams_presenters(c, &ev.slug, r.as_str(), &m.email, Utc::now()),
                None => Ok(ev),
            }
        })
        .await??;
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
    ApiPath(slug): ApiPath<String>,
    ApiMultipart(mut multipart): ApiMultipart,
) -> ApiResult<Json<Vec<ImportOut>>> {
    let mut files = Vec::new();
    let (mut timezone, mut date_order, mut meeting, mut skip) = (None, None, None, false);
    let invalid = |m: String| ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, m);
    // Each field is read exactly as the schema states it: the zone and date order spelt as listed,
    // the flag `true` or `false`.
    while let Some(field) = multipart.next_field().await? {
        match field.name().unwrap_or("") {
            "files" => {
                let name = field.file_name().unwrap_or("upload.csv").to_owned();
                files.push((name, field.bytes().await?.to_vec()));
            }
            "timezone" => timezone = Some(zone(&field.text().await?)?),
            "date_order" => {
                let v = field.text().await?;
                date_order = Some(match v.as_str() {
                    "mdy" => DateOrder::Mdy,
                    "dmy" => DateOrder::Dmy,
                    "ymd" => DateOrder::Ymd,
                    _ => return Err(invalid(format!("date_order \"{v}\": use mdy, dmy or ymd"))),
                });
            }
            "meeting" => meeting = Some(field.text().await?).filter(|m| !m.is_empty()),
            "skip_bad_rows" => {
                skip = match field.text().await?.as_str() {
                    "true" => true,
                    "false" => false,
                    other => return Err(invalid(format!("skip_bad_rows \"{other}\": use true or false"))),
                }
            }
            other => return Err(invalid(format!("no form field \"{other}\" (see the document)"))),
        }
    }
    if files.is_empty() {
        return Err(WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, "no file in field \"files\"".into()).into());
    }
    let max_rows = state.config().max_import_rows;
    let result = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let event = store::events::get(c, &slug)?;
            let opts = ImportOptions {
                tz: timezone.unwrap_or_else(|| event.tz()),
                date_order,
                meeting,
                event_title: Some(event.title.clone()),
                event_window: event.window().map(|w| (w.start, w.end)),
                max_rows: Some(max_rows),
                columns: None,
                accept_inferred: false,
                known_mappings: Vec::new(),
                meeting_date: None,
            };
            let uploads: Vec<Upload> = files.iter().map(|(n, b)| Upload { file_name: n, bytes: b }).collect();
            store::imports::import_files(c, &event, &uploads, &opts, skip, &m.email, Utc::now())
        })
        .await?;
    if let Err(store::StoreError::Import(e)) = &result {
        state.inner.metrics.import_failed(e);
    }
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
                // Headers attest does not know: the inferred columns, to confirm once in the
                // console or with `attest import --columns`; the mapping is then remembered and
                // the same file imports here.
                I::NeedsMapping { inference, .. } => Some(("columns".to_owned(), inference.as_columns_arg())),
                I::NeedsDate { .. } => Some(("date".to_owned(), "YYYY-MM-DD".to_owned())),
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

/// One page of a list: `limit` items from `offset`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items to skip (default 0). An `int64`, as the document says, so a larger value is refused.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Items to return (default and most: 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

/// The largest page of a list: an answer's cost does not grow with the event.
pub const MAX_PAGE: u64 = 1000;

impl PageQuery {
    /// Offset and limit, checked.
    fn bounds(&self) -> Result<(usize, usize), ApiError> {
        let limit = self.limit.unwrap_or(MAX_PAGE);
        if limit == 0 || limit > MAX_PAGE {
            return Err(ApiError::status(StatusCode::BAD_REQUEST, format!("limit: between 1 and {MAX_PAGE}")));
        }
        let offset = self.offset.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::status(StatusCode::BAD_REQUEST, "offset: 0 or more".to_owned()));
        }
        Ok((usize::try_from(offset).unwrap_or(usize::MAX), limit as usize))
    }
}

/// Everyone's attendance decision, with the reason, a page at a time (in the order of the
/// attendance list). The `X-Total-Count` header gives the number of people; a `Link` header with
/// `rel="next"` the next page while there is one.
#[utoipa::path(get, path = "/api/v1/events/{slug}/attendance", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = [PersonOut], headers(("X-Total-Count" = u64, description = "People in the whole list"))),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn attendance(
    State(state): State<AppState>,
    _u: ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let (offset, limit) = q.bounds()?;
    let path = format!("/api/v1/events/{}/attendance", super::console::urlencode(&slug));
    let (total, d) = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            let total = store::people::summary(c, &e)?.people;
            Ok((total, store::people::decisions_page(c, &e, offset, limit)?))
        })
        .await??;
    Ok(paged(Json(d.into_iter().map(PersonOut::from).collect::<Vec<_>>()), &path, offset, limit, total))
}

/// Replace one person's decision, with a reason.
#[utoipa::path(post, path = "/api/v1/events/{slug}/overrides", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = OverrideIn,
    responses((status = 200, body = PersonOut), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn set_override(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(o): ApiJson<OverrideIn>,
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
    ApiPath(slug): ApiPath<String>,
    ApiJson(l): ApiJson<LinkIn>,
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
    ApiPath(slug): ApiPath<String>,
    ApiJson(s): ApiJson<SplitIn>,
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
    responses((status = 200, body = IssueOut), (status = 409, description = "the event has no date and time yet", body = ApiErrorBody), (status = 422, description = "a certificate cannot be rendered (e.g. the event's template is gone)", body = ApiErrorBody)))]
async fn issue(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<IssueQuery>,
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

/// The event's certificates, in every status, a page at a time (by name). `X-Total-Count` gives
/// their number; a `Link` header with `rel="next"` the next page while there is one.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = [CertificateOut], headers(("X-Total-Count" = u64, description = "Certificates in the whole list"))),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn certificates(
    State(state): State<AppState>,
    _u: ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let (offset, limit) = q.bounds()?;
    let url = state.config().public_url.clone();
    let path = format!("/api/v1/events/{}/certificates", super::console::urlencode(&slug));
    let (certs, total) = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            store::certificates::page_for_event(c, e.id, offset, limit)
        })
        .await??;
    let body = Json(certs.into_iter().map(|c| cert_out(c, &url)).collect::<Vec<_>>());
    Ok(paged(body, &path, offset, limit, total))
}

/// A page of a list with its `X-Total-Count` and, while there is more, a `Link` to the next page.
fn paged(body: impl IntoResponse, path: &str, offset: usize, limit: usize, total: usize) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::HeaderName::from_static("x-total-count"), header::HeaderValue::from(total as u64));
    let next = offset.saturating_add(limit);
    if next < total {
        if let Ok(v) = header::HeaderValue::from_str(&format!("<{path}?offset={next}&limit={limit}>; rel=\"next\"")) {
            h.insert(header::LINK, v);
        }
    }
    res
}

/// The valid certificates' PDFs and `manifest.csv` in one ZIP.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates.zip", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 401, body = ApiErrorBody)))]
async fn archive(State(state): State<AppState>, _u: ApiUser, ApiPath(slug): ApiPath<String>) -> ApiResult<Response> {
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

/// All valid certificates of the event merged into one PDF for printing: one page each, in the
/// order of the attendance list. The merged file carries no PDF signature of its own (each
/// certificate's PDF does); every page keeps its QR code. 409 when there is nothing to print.
#[utoipa::path(get, path = "/api/v1/events/{slug}/certificates.pdf", tag = "certificates", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn print_file(State(state): State<AppState>, _u: ApiUser, ApiPath(slug): ApiPath<String>) -> ApiResult<Response> {
    let s = slug.clone();
    let file = state
        .blocking(move |c, _| -> Result<_, IssueError> {
            let e = store::events::get(c, &s)?;
            issuance::print_file(c, &e)
        })
        .await??;
    let disposition = format!("attachment; filename=\"{slug}-print.pdf\"");
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)], file.bytes)
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
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CertificateOut>> {
    let c = one(&state, id).await?;
    Ok(Json(cert_out(c, &state.config().public_url)))
}

/// A certificate's PDF, as issued.
#[utoipa::path(get, path = "/api/v1/certificates/{id}/pdf", tag = "certificates", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
async fn certificate_pdf(
    State(state): State<AppState>,
    _u: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
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
    responses((status = 200, body = CertificateOut), (status = 409, description = "the certificate is not valid (already revoked or superseded)", body = ApiErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(r): ApiJson<RevokeIn>,
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
    responses((status = 201, body = CertificateOut), (status = 409, description = "the certificate is not valid (already revoked or superseded)", body = ApiErrorBody)))]
async fn reissue(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(r): ApiJson<ReissueIn>,
) -> ApiResult<Response> {
    let old = one(&state, id).await?;
    let c = state
        .with_issuer(m.email, move |conn, issuer, now| {
            issuance::reissue(conn, issuer, &old.id, r.name.as_deref(), r.language.map(Language::code), now)
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
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditOut>>> {
    let limit = match q.limit {
        None => 100,
        Some(n @ 1..=1000) => n as usize,
        Some(n) => return Err(ApiError::status(StatusCode::BAD_REQUEST, format!("limit {n}: use 1 to 1000"))),
    };
    let entries = state.blocking(move |c, _| store::certificates::audit_log(c, limit)).await??;
    Ok(Json(
        entries
            .into_iter()
            .map(|a| AuditOut {
                at: a.at,
                actor: a.actor,
                action: a.action,
                subject: a.subject,
                detail: a.detail,
                role: a.role,
            })
            .collect(),
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "attest API", description = "Certificates of attendance: events, imports, attendance, certificates. \
        Authenticate with `Authorization: Bearer <token>`; create tokens with `attest staff token EMAIL`."),
    modifiers(&BearerAuth),
    tags((name = "events"), (name = "imports"), (name = "attendance"), (name = "certificates"), (name = "delivery"), (name = "series"), (name = "designs"), (name = "audit"))
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

/// Completes the generated document where the derive macros cannot: the error answers every
/// operation can give (from the same rules as the extractors and [`WebError`] mapping, so every
/// status the server sends is documented), and the templates this server has.
fn contract(mut doc: Value, templates: &[String]) -> Value {
    use axum::http::Method;
    let error = |description: &str| {
        json!({"description": description,
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiErrorBody"}}}})
    };
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                let has_params = path.contains('{') || op.get("parameters").is_some();
                let body = op["requestBody"]["content"].as_object().map(|c| c.keys().cloned().collect::<Vec<_>>());
                let Some(responses) = op["responses"].as_object_mut() else { continue };
                let mut add = |code: &str, description: &str| {
                    responses.entry(code.to_owned()).or_insert_with(|| error(description));
                };
                add("401", "no valid bearer token (`WWW-Authenticate: Bearer`)");
                let needed = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                    .ok()
                    .and_then(|m| super::access::need(&m, path));
                // Operations a viewer may call cannot be refused for the role.
                if let Some(super::access::Need::Staff(role)) = needed
                    && role > crate::staff::Role::Viewer
                {
                    add("403", &format!("the token's role is below {role}, which this operation needs"));
                }
                add("500", "something went wrong on the server; the error gives a request id and the cause is logged");
                if has_params || body.is_some() {
                    add(
                        "400",
                        "a path, query or body that cannot be read (bad encoding, a value of the wrong type or out of range, malformed JSON or multipart)",
                    );
                }
                if path.contains('{') {
                    add("404", "no such event, series or certificate");
                }
                if let Some(types) = body {
                    add("413", "the body is over the size limit");
                    add("415", &format!("the body is not {}", types.join(" or ")));
                    add(
                        "422",
                        "the body does not match the schema, or breaks a rule that ties fields together (see their descriptions)",
                    );
                }
            }
        }
    }
    // The templates are the server's own: known when the document is built.
    let mut names: Vec<Value> = templates.iter().map(|t| json!(t)).collect();
    names.push(Value::Null);
    if let Some(t) = doc.pointer_mut("/components/schemas/EventIn/properties/template") {
        t["enum"] = Value::Array(names);
    }
    doc
}

/// Largest JSON body of an operation: a design's spec is the largest, a few KiB.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// What an operation's body may be: its size and media types.
fn body_rule(path: &str, max_upload_bytes: usize) -> (usize, &'static [&'static str]) {
    if path.ends_with("/imports") {
        (max_upload_bytes, &["multipart/form-data"])
    } else if path == "/api/v1/design-images" {
        (crate::certificate::design::MAX_IMAGE_BYTES, &["application/octet-stream", "image/png", "image/jpeg"])
    } else {
        (MAX_JSON_BYTES, &["application/json"])
    }
}

/// Each operation's body size and media type, checked before any of the body is read: a 64 MiB
/// body sent to an operation that takes 1 MiB is refused from its `Content-Length` (413), and a
/// body that arrives without one stops being read at the operation's limit. Both answers, and
/// the 415 for a wrong `Content-Type`, are JSON like every API error.
async fn body_rules(
    axum::extract::State(max_upload_bytes): axum::extract::State<usize>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return next.run(req).await;
    }
    let (limit, types) = body_rule(req.uri().path(), max_upload_bytes);
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| axum::body::HttpBody::size_hint(req.body()).exact());
    if length.is_some_and(|n| n > limit as u64) {
        return ApiError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is {} bytes; this operation takes at most {limit} bytes", length.unwrap_or_default()),
        )
        .into_response();
    }
    let has_body = length.is_some_and(|n| n > 0)
        || (length.is_none() && !axum::body::HttpBody::is_end_stream(req.body()))
        || headers.contains_key(header::TRANSFER_ENCODING);
    if has_body {
        let given = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let essence = given.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !types.contains(&essence.as_str()) {
            return ApiError::status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "Content-Type \"{}\": this operation takes {}",
                    given.chars().take(80).collect::<String>(),
                    types.join(" or ")
                ),
            )
            .into_response();
        }
    }
    let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
    next.run(req).await
}

/// Staff data must not stay in a browser's or a proxy's cache.
pub(super) async fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    res
}

/// The API routes and the OpenAPI document generated from them.
pub fn routes(state: &AppState) -> axum::Router<AppState> {
    let max_upload_bytes = state.config().max_upload_bytes;
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
        .routes(routes!(print_file))
        .routes(routes!(certificate))
        .routes(routes!(certificate_pdf))
        .routes(routes!(certificate_credential))
        .routes(routes!(revoke))
        .routes(routes!(reissue))
        .routes(routes!(audit))
        .routes(routes!(series::list_series, series::create_series))
        .routes(routes!(series::get_series))
        .routes(routes!(series::set_rule))
        .routes(routes!(series::add_event, series::remove_event))
        .routes(routes!(series::decisions))
        .routes(routes!(series::issue, series::certificates))
        .routes(routes!(delivery_start, delivery_status))
        .routes(routes!(delivery_resend))
        .merge(designs::router())
        .split_for_parts();
    let doc = serde_json::to_value(&doc).map(|d| contract(d, &state.template_names())).unwrap_or_default();
    let doc = Arc::new(serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into()));
    router
        .route("/api/v1/{*rest}", axum::routing::any(no_such_route))
        .layer(axum::middleware::from_fn_with_state(max_upload_bytes, body_rules))
        .layer(axum::middleware::map_response(no_store))
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = Arc::clone(&doc);
                async move { ([(header::CONTENT_TYPE, "application/json")], doc.as_str().to_owned()) }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(max_upload_bytes))
}
