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
//! status an operation can give. `tests/it/contract.rs` has Schemathesis check the result against a
//! running server. Every answer here carries `Cache-Control: no-store`: it is staff data.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod attendance;
mod audit;
mod certificates;
mod contract;
mod delivery;
mod designs;
mod error;
mod events;
mod imports;
mod series;

use super::AppState;
use crate::staff::{self, Member};
use crate::store::{self, events::Event};
use contract::body_rules;
pub use error::{ApiBytes, ApiError, ApiErrorBody, ApiJson, ApiPath, ApiQuery};
use error::{ApiResult, no_such_route};

/// The member of staff behind the bearer token.
pub struct ApiUser(pub Member);

/// The token of an `Authorization: Bearer <token>` header. The scheme's name is
/// case-insensitive (RFC 7235 §2.1): `bearer`, as some clients send it, was refused with a 401.
pub(super) fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim_start();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The access layer has read the token already (web::access).
        if let Some(c) = parts.extensions.get::<super::access::Checked>() {
            return Ok(ApiUser(c.member.clone()));
        }
        let token = bearer(&parts.headers).map(str::to_owned);
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

/// What an operation on one thing (`/api/v1/{things}/{key}…`) begins with: the app, the member
/// of staff behind the token and the path's parameters `P`, read in that order, as when each
/// handler listed `State`, [`ApiUser`] and [`ApiPath`] itself (so a request without a token is
/// still a 401 whatever its path). Written once so that the handlers' signatures say only what
/// differs between them: the path's type, and with [`QueryOn`] or [`JsonOn`] the query or body.
pub(super) struct StaffOn<P>(pub AppState, pub Member, pub P);

impl<P: serde::de::DeserializeOwned + Send> FromRequestParts<AppState> for StaffOn<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ApiUser(member) = ApiUser::from_request_parts(parts, state).await?;
        let ApiPath(p) = ApiPath::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        Ok(StaffOn(state.clone(), member, p))
    }
}

/// [`StaffOn`] and the operation's query `Q`, read after the path as [`ApiQuery`] reads it: the
/// lists' pages and the bulk operations' `dry_run`.
pub(super) struct QueryOn<Q, P = String>(pub AppState, pub Member, pub P, pub Q);

impl<Q: serde::de::DeserializeOwned, P: serde::de::DeserializeOwned + Send> FromRequestParts<AppState>
    for QueryOn<Q, P>
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let StaffOn(state, member, p) = StaffOn::from_request_parts(parts, state).await?;
        let ApiQuery(q) = ApiQuery::from_request_parts(parts, &state).await.map_err(IntoResponse::into_response)?;
        Ok(QueryOn(state, member, p, q))
    }
}

/// [`StaffOn`] and the JSON body `B` the operation takes, read last as [`ApiJson`] reads it: how
/// every `POST` or `PUT` on one thing begins, as [`crate::web::console`]'s `PostedOn` is for the
/// console's forms.
pub(super) struct JsonOn<B, P = String>(pub AppState, pub Member, pub P, pub B);

impl<B: serde::de::DeserializeOwned, P: serde::de::DeserializeOwned + Send> FromRequest<AppState> for JsonOn<B, P> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let StaffOn(state, member, p) = StaffOn::from_request_parts(&mut parts, state).await?;
        let ApiJson(b) = ApiJson::from_request(Request::from_parts(parts, body), &state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(JsonOn(state, member, p, b))
    }
}

fn created<T: Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

/// One page of a list: `limit` items from `offset`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
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

/// Runs `f` on the blocking pool with the event `slug` read first (a 404 when there is none):
/// how most `/api/v1/events/{slug}/…` operations begin. A function, not an extractor: the event
/// must be read on the same connection, in the same blocking task, as what `f` does with it.
/// `f` may fail with the store's error or a richer one that holds it (issuing's).
pub(super) async fn with_event<T: Send + 'static, E: From<store::StoreError> + Send + 'static>(
    state: &AppState,
    slug: String,
    f: impl FnOnce(&mut store::Conn, &Event) -> Result<T, E> + Send + 'static,
) -> ApiResult<T>
where
    ApiError: From<E>,
{
    let out = state
        .blocking(move |c, _| -> Result<T, E> {
            let e = store::events::get(c, &slug)?;
            f(c, &e)
        })
        .await??;
    Ok(out)
}

/// A page of one of an event's lists (`/api/v1/events/{slug}/{list}`), with its `X-Total-Count`
/// and `Link` headers: `read` is given the event and the page's bounds and answers the page and
/// the whole list's length.
async fn event_page<T: Serialize + Send + 'static>(
    state: &AppState,
    slug: String,
    q: &PageQuery,
    list: &str,
    read: impl FnOnce(&store::Conn, &Event, usize, usize) -> Result<(Vec<T>, usize), store::StoreError> + Send + 'static,
) -> ApiResult<Response> {
    let (offset, limit) = q.bounds()?;
    let path = format!("/api/v1/events/{}/{list}", crate::encoding::percent_path(&slug));
    let (page, total) = with_event(state, slug, move |c, e| read(c, e, offset, limit)).await?;
    Ok(paged(Json(page), &path, offset, limit, total))
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
/// Staff data must not stay in a browser's or a proxy's cache.
pub(super) async fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    res
}

/// The API routes and the OpenAPI document generated from them.
pub fn routes(state: &AppState) -> axum::Router<AppState> {
    let max_upload_bytes = state.config().max_upload_bytes;
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(events::list_events, events::create_event))
        .routes(routes!(events::get_event, events::update_event))
        .routes(routes!(imports::import))
        .routes(routes!(attendance::attendance))
        .routes(routes!(attendance::set_override))
        .routes(routes!(attendance::link))
        .routes(routes!(attendance::split))
        .routes(routes!(certificates::issue, certificates::certificates))
        .routes(routes!(certificates::archive))
        .routes(routes!(certificates::print_file))
        .routes(routes!(certificates::certificate))
        .routes(routes!(certificates::certificate_pdf))
        .routes(routes!(certificates::certificate_credential))
        .routes(routes!(certificates::revoke))
        .routes(routes!(certificates::reissue))
        .routes(routes!(certificates::redesign))
        .routes(routes!(audit::audit))
        .routes(routes!(series::list_series, series::create_series))
        .routes(routes!(series::get_series))
        .routes(routes!(series::set_rule))
        .routes(routes!(series::add_event, series::remove_event))
        .routes(routes!(series::decisions))
        .routes(routes!(series::links, series::link))
        .routes(routes!(series::unlink))
        .routes(routes!(series::issue, series::certificates))
        .routes(routes!(delivery::delivery_start, delivery::delivery_status))
        .routes(routes!(delivery::delivery_resend))
        .merge(designs::router())
        .split_for_parts();
    let doc = serde_json::to_value(&doc).map(|d| contract::document(d, &state.template_names())).unwrap_or_default();
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
