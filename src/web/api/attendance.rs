//! `/api/v1/events/{slug}/attendance`, overrides, links and splits: who attended, and staff's
//! corrections, with the reasons.

use axum::Json;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiErrorBody, ApiResult};
use super::{JsonOn, PageQuery, QueryOn, event_page, with_event};
use crate::attendance::Decision;
use crate::store;

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
            key: d.key.to_string(),
            keys: d.keys.iter().map(ToString::to_string).collect(),
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

/// Staff's answer, or `"auto"` for none.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(untagged, expecting = "true, false or \"auto\"")]
pub enum EligibleIn {
    Decided(bool),
    Auto(Auto),
}

/// The word for "no staff decision".
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Auto {
    Auto,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideIn {
    /// A key, email or name of someone in the event (422 when nobody has it).
    pub person: String,
    /// `true` or `false`, whatever the attendance says; `"auto"`: no staff decision any more,
    /// the attendance decides again.
    pub eligible: EligibleIn,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    /// Two different keys held by people of the event (422 when nobody has one).
    pub a: String,
    pub b: String,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitIn {
    pub key: String,
    #[schema(pattern = r"\S")]
    pub reason: String,
}

/// Everyone's attendance decision, with the reason, a page at a time (in the order of the
/// attendance list). The `X-Total-Count` header gives the number of people; a `Link` header with
/// `rel="next"` the next page while there is one.
#[utoipa::path(get, path = "/api/v1/events/{slug}/attendance", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = [PersonOut], headers(("X-Total-Count" = u64, description = "People in the whole list"))),
        (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn attendance(QueryOn(state, _, slug, q): QueryOn<PageQuery>) -> ApiResult<Response> {
    event_page(&state, slug, &q, "attendance", |c, e, offset, limit| {
        let total = store::people::summary(c, e)?.people;
        let page = store::people::decisions_page(c, e, offset, limit)?;
        Ok((page.into_iter().map(PersonOut::from).collect(), total))
    })
    .await
}

/// Replace one person's decision, with a reason; `"eligible": "auto"` takes staff's decision back.
#[utoipa::path(post, path = "/api/v1/events/{slug}/overrides", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = OverrideIn,
    responses((status = 200, body = PersonOut), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn set_override(JsonOn(state, m, slug, o): JsonOn<OverrideIn>) -> ApiResult<Json<PersonOut>> {
    let d = with_event(&state, slug, move |c, e| {
        let d = store::people::person(c, e, &o.person)?;
        let eligible = match o.eligible {
            EligibleIn::Decided(e) => Some(e),
            EligibleIn::Auto(Auto::Auto) => None,
        };
        store::people::decide_person(c, e, &d.key, eligible, &o.reason, &m.email, Utc::now())?;
        store::people::person(c, e, d.key.as_str())
    })
    .await?;
    Ok(Json(d.into()))
}

/// The rows under two keys are one person.
#[utoipa::path(post, path = "/api/v1/events/{slug}/links", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = LinkIn,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn link(JsonOn(state, m, slug, l): JsonOn<LinkIn>) -> ApiResult<StatusCode> {
    with_event(&state, slug, move |c, e| store::people::link(c, e, &l.a, &l.b, &l.reason, &m.email, Utc::now()))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The rows under a key are a person of their own.
#[utoipa::path(post, path = "/api/v1/events/{slug}/splits", tag = "attendance", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SplitIn,
    responses((status = 204), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn split(JsonOn(state, m, slug, s): JsonOn<SplitIn>) -> ApiResult<StatusCode> {
    with_event(&state, slug, move |c, e| store::people::split(c, e, &s.key, &s.reason, &m.email, Utc::now())).await?;
    Ok(StatusCode::NO_CONTENT)
}
