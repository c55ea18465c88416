//! `/api/v1/series…`: series of events (issue 12) for scripts, as `attest series` does from the
//! command line. Same contract as the rest of the API: bearer token, JSON errors, every status
//! documented (the parent's `contract` adds the common ones).
//!
//! Not here: series certificates are revoked, reissued and downloaded through
//! `/api/v1/certificates/{id}…` like any other certificate.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::certificates::{CertificateOut, IssueOut, IssueQuery, bulk_issue, cert_out};
use super::{ApiErrorBody, ApiJson, ApiResult, ApiUser, JsonOn, QueryOn, StaffOn, created};
use crate::attendance::series::{Link, SeriesDecision, SeriesRule};
use crate::issuance;
use crate::store;
use crate::web::AppState;

/// A series as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesOut {
    pub slug: String,
    pub title: String,
    /// Language of its certificates.
    pub language: String,
    /// At least this many of its events; null: all of them.
    pub at_least: Option<u32>,
    /// The rule in words, e.g. "at least 3 of the 4 sessions".
    pub rule: String,
    /// Its events' slugs, in the order they were held.
    pub events: Vec<String>,
}

/// What creates a series.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesCreate {
    /// 1 to 64 lower-case letters, digits, `-` or `_`.
    #[schema(pattern = r"^[a-z0-9_-]{1,64}$", min_length = 1, max_length = 64)]
    pub slug: String,
    /// Printed on its certificates; no control characters, at most 300 characters.
    #[schema(pattern = r"\S", max_length = 300)]
    pub title: String,
    #[serde(default = "english")]
    #[schema(pattern = "^(en|fr|es)$", default = "en")]
    pub language: String,
}

fn english() -> String {
    "en".into()
}

/// The series' rule: `at_least` N of its events (1 to the number it has), or null for all.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesRuleIn {
    #[schema(minimum = 1)]
    pub at_least: Option<u32>,
}

/// One person's series decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesPersonOut {
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    pub eligible: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// The sessions that count: `{slug, title, date, minutes, certificate}`.
    #[schema(value_type = Vec<Object>)]
    pub attended: Vec<serde_json::Value>,
    pub review: Vec<String>,
}

impl From<SeriesDecision> for SeriesPersonOut {
    fn from(d: SeriesDecision) -> Self {
        SeriesPersonOut {
            attended: d.attended.iter().map(|a| serde_json::to_value(a).unwrap_or_default()).collect(),
            key: d.key.to_string(),
            name: d.name,
            email: d.email,
            eligible: d.eligible,
            reason: d.reason,
            review: d.review,
        }
    }
}

/// Two addresses staff linked as one person of the series, with why.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesLinkOut {
    /// Lowercased; `a` sorts before `b`.
    pub a: String,
    pub b: String,
    pub reason: String,
}

impl From<Link> for SeriesLinkOut {
    fn from(l: Link) -> Self {
        SeriesLinkOut { a: l.a, b: l.b, reason: l.reason }
    }
}

/// Two addresses of one person (someone who came to one session from one address and to
/// another from a second), each an address of someone in the series' events, with why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesLinkIn {
    #[schema(pattern = r"\S")]
    pub a: String,
    #[schema(pattern = r"\S")]
    pub b: String,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

fn out(c: &store::Conn, s: store::series::Series) -> Result<SeriesOut, store::StoreError> {
    let events: Vec<String> = store::series::events(c, &s)?.into_iter().map(|e| e.slug).collect();
    Ok(SeriesOut {
        rule: s.rule.describe(events.len()),
        at_least: s.rule.min_sessions(),
        slug: s.slug,
        title: s.title,
        language: s.language.code().to_owned(),
        events,
    })
}

/// Runs `f` on the blocking pool with the series `slug` read first (a 404 when there is none):
/// how every `/api/v1/series/{slug}…` operation but issuing begins (issuing reads it under the
/// issuer), as [`super::with_event`] for events.
async fn with_series<T: Send + 'static>(
    state: &AppState,
    slug: String,
    f: impl FnOnce(&store::Conn, store::series::Series) -> Result<T, store::StoreError> + Send + 'static,
) -> ApiResult<T> {
    let out = state
        .blocking(move |c, _| -> Result<T, store::StoreError> {
            let s = store::series::get(c, &slug)?;
            f(c, s)
        })
        .await??;
    Ok(out)
}

/// Loads the series named `slug`, applies `edit` to it and answers with the series as it is after:
/// what every `PUT`/`DELETE` on a series does, written once so that the shape of the answer cannot
/// drift between them.
async fn change(
    state: &AppState,
    slug: String,
    edit: impl FnOnce(&store::Conn, store::series::Series) -> Result<store::series::Series, store::StoreError>
    + Send
    + 'static,
) -> ApiResult<Json<SeriesOut>> {
    with_series(state, slug, move |c, s| out(c, edit(c, s)?)).await.map(Json)
}

/// Puts the path's event in the path's series or takes it out (`op`) as the member asking, and
/// answers with the series after: the two event routes of a series differ in nothing else.
async fn membership(
    StaffOn(state, m, (slug, event)): StaffOn<(String, String)>,
    op: store::series::Membership,
) -> ApiResult<Json<SeriesOut>> {
    change(&state, slug, move |c, s| {
        op(c, &s, &event, &m.email, Utc::now())?;
        Ok(s)
    })
    .await
}

/// Every series.
#[utoipa::path(get, path = "/api/v1/series", tag = "series", security(("bearer" = [])),
    responses((status = 200, body = [SeriesOut]), (status = 401, body = ApiErrorBody)))]
pub(super) async fn list_series(State(state): State<AppState>, _u: ApiUser) -> ApiResult<Json<Vec<SeriesOut>>> {
    let all = state
        .blocking(|c, _| -> Result<_, store::StoreError> {
            store::series::list(c)?.into_iter().map(|s| out(c, s)).collect::<Result<Vec<_>, _>>()
        })
        .await??;
    Ok(Json(all))
}

/// Create a series (its rule "all sessions" until one is set).
#[utoipa::path(post, path = "/api/v1/series", tag = "series", security(("bearer" = [])), request_body = SeriesCreate,
    responses((status = 201, body = SeriesOut), (status = 409, description = "a series with this slug exists", body = ApiErrorBody),
        (status = 422, description = "a slug, title or language the schema's rules refuse (e.g. a control character in the title)", body = ApiErrorBody)))]
pub(super) async fn create_series(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiJson(s): ApiJson<SeriesCreate>,
) -> ApiResult<Response> {
    let made = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let s = store::series::create(c, &s.slug, &s.title, s.language.parse()?, &m.email, Utc::now())?;
            out(c, s)
        })
        .await??;
    Ok(created(made))
}

/// One series.
#[utoipa::path(get, path = "/api/v1/series/{slug}", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = SeriesOut), (status = 404, body = ApiErrorBody)))]
pub(super) async fn get_series(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Json<SeriesOut>> {
    with_series(&state, slug, out).await.map(Json)
}

/// Set the series' rule.
#[utoipa::path(put, path = "/api/v1/series/{slug}/rule", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SeriesRuleIn,
    responses((status = 200, body = SeriesOut), (status = 404, body = ApiErrorBody),
        (status = 422, description = "`at_least` is more than the series' events", body = ApiErrorBody)))]
pub(super) async fn set_rule(JsonOn(state, m, slug, r): JsonOn<SeriesRuleIn>) -> ApiResult<Json<SeriesOut>> {
    let rule = r.at_least.map_or(SeriesRule::All, SeriesRule::AtLeast);
    change(&state, slug, move |c, s| store::series::set_rule(c, &s, rule, &m.email, Utc::now())).await
}

/// Add an event to the series.
#[utoipa::path(put, path = "/api/v1/series/{slug}/events/{event}", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path), ("event" = String, Path)),
    responses((status = 200, body = SeriesOut), (status = 404, description = "no such series or event", body = ApiErrorBody)))]
pub(super) async fn add_event(on: StaffOn<(String, String)>) -> ApiResult<Json<SeriesOut>> {
    membership(on, store::series::add_event).await
}

/// Take an event out of the series (certificates issued keep the sessions they list).
#[utoipa::path(delete, path = "/api/v1/series/{slug}/events/{event}", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path), ("event" = String, Path)),
    responses((status = 200, body = SeriesOut), (status = 404, description = "no such series or event, or the event is not in it", body = ApiErrorBody)))]
pub(super) async fn remove_event(on: StaffOn<(String, String)>) -> ApiResult<Json<SeriesOut>> {
    membership(on, store::series::remove_event).await
}

/// Every person of the series with their decision and its reason.
#[utoipa::path(get, path = "/api/v1/series/{slug}/decisions", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = [SeriesPersonOut]), (status = 404, body = ApiErrorBody)))]
pub(super) async fn decisions(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Json<Vec<SeriesPersonOut>>> {
    let d = with_series(&state, slug, |c, s| issuance::series::decisions(c, &s)).await?;
    Ok(Json(d.into_iter().map(SeriesPersonOut::from).collect()))
}

/// The addresses staff linked as one person of the series.
#[utoipa::path(get, path = "/api/v1/series/{slug}/links", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = [SeriesLinkOut]), (status = 404, body = ApiErrorBody)))]
pub(super) async fn links(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Json<Vec<SeriesLinkOut>>> {
    let l = with_series(&state, slug, |c, s| store::series::links(c, &s)).await?;
    Ok(Json(l.into_iter().map(SeriesLinkOut::from).collect()))
}

/// Two addresses are one person in the series' decisions, with why. Linking a pair again
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/series/{slug}/links", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SeriesLinkIn,
    responses((status = 200, body = SeriesLinkOut),
        (status = 404, description = "no such series, or no one in its events has one of the addresses", body = ApiErrorBody),
        (status = 422, description = "the same address twice, or no reason", body = ApiErrorBody)))]
pub(super) async fn link(JsonOn(state, m, slug, l): JsonOn<SeriesLinkIn>) -> ApiResult<Json<SeriesLinkOut>> {
    let made = with_series(&state, slug, move |c, s| {
        issuance::series::link(c, &s, (&l.a, &l.b), &l.reason, &m.email, Utc::now())
    })
    .await?;
    Ok(Json(made.into()))
}

/// Take back the link between two addresses.
#[utoipa::path(delete, path = "/api/v1/series/{slug}/links/{a}/{b}", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path), ("a" = String, Path), ("b" = String, Path)),
    responses((status = 204), (status = 404, description = "no such series, or the addresses are not linked in it", body = ApiErrorBody),
        (status = 422, description = "the same address twice", body = ApiErrorBody)))]
pub(super) async fn unlink(
    StaffOn(state, m, (slug, a, b)): StaffOn<(String, String, String)>,
) -> ApiResult<StatusCode> {
    with_series(&state, slug, move |c, s| store::series::unlink(c, &s, &a, &b, &m.email, Utc::now())).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issue the series' certificate to every eligible person who has none (idempotent).
#[utoipa::path(post, path = "/api/v1/series/{slug}/certificates", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path), IssueQuery),
    responses((status = 200, body = IssueOut), (status = 404, body = ApiErrorBody),
        (status = 409, description = "the series has no events, or one of them no date and time yet", body = ApiErrorBody),
        (status = 422, description = "a certificate cannot be rendered", body = ApiErrorBody)))]
pub(super) async fn issue(QueryOn(state, m, slug, q): QueryOn<IssueQuery>) -> ApiResult<Json<IssueOut>> {
    bulk_issue(&state, m.email, q.dry_run, move |c, issuer, dry_run, now| {
        let s = store::series::get(c, &slug)?;
        issuance::series::issue_series(c, issuer, &s, dry_run, now)
    })
    .await
}

/// The series' certificates, in every status.
#[utoipa::path(get, path = "/api/v1/series/{slug}/certificates", tag = "series", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = [CertificateOut]), (status = 404, body = ApiErrorBody)))]
pub(super) async fn certificates(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Json<Vec<CertificateOut>>> {
    let url = state.config().public_url.clone();
    let certs = with_series(&state, slug, |c, s| store::series::certificates(c, &s)).await?;
    Ok(Json(certs.into_iter().map(|c| cert_out(c, &url)).collect()))
}
