//! The JSON API of certificate designs: designs and their versions, uploaded images, the
//! preview, the organisation's profile and an event's design. A child of `api`, with its
//! extractors, errors and contract.
//!
//! Images are uploaded as the raw bytes of the file (`application/octet-stream`), checked and
//! re-encoded (`certificate::design::check_image`), and named in a design by the returned id.
//! Deliberately not here: deleting designs or images (see `store::designs`).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiBytes, ApiError, ApiErrorBody, ApiJson, ApiResult, ApiUser, JsonOn, QueryOn, StaffOn, created};
use crate::certificate::design::{self, DesignSpec};
use crate::language::Language;
use crate::store::{self, designs::Design, designs::Profile};
use crate::web::AppState;

/// A design to create or save (saving adds a version when the spec changed).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignIn {
    /// Unique among designs, 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub spec: DesignSpec,
}

/// An uploaded image, as stored (attest's PNG of it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageOut {
    /// The id to name in a design's `logos` or a signatory's `signature`.
    pub id: String,
    pub width: u32,
    pub height: u32,
}

/// An event's design.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDesign {
    /// A design id; null: the organisation's default (else the built-in template).
    pub design: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewParams {
    /// Which sample name: `long` (default) or `arabic`.
    pub sample: Option<Sample>,
    /// The certificate's language.
    pub lang: Option<Language>,
}

#[derive(Debug, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Sample {
    Long,
    Arabic,
}

/// List certificate designs.
#[utoipa::path(get, path = "/api/v1/designs", tag = "designs", security(("bearer" = [])),
    responses((status = 200, body = [Design]), (status = 401, body = ApiErrorBody)))]
async fn list_designs(State(state): State<AppState>, _u: ApiUser) -> ApiResult<Json<Vec<Design>>> {
    Ok(Json(state.blocking(|c, _| store::designs::list(c)).await??))
}

/// Create a design.
#[utoipa::path(post, path = "/api/v1/designs", tag = "designs", security(("bearer" = [])), request_body = DesignIn,
    responses((status = 201, body = Design), (status = 409, description = "a design with this name exists", body = ApiErrorBody),
        (status = 422, description = "a rule of the spec is broken (the error names the field)", body = ApiErrorBody)))]
async fn create_design(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiJson(d): ApiJson<DesignIn>,
) -> ApiResult<Response> {
    let made = state.blocking(move |c, _| store::designs::create(c, &d.name, &d.spec, &m.email, Utc::now())).await??;
    tracing::info!(design_id = made.id, "design created");
    Ok(created(made))
}

/// One design, current version.
#[utoipa::path(get, path = "/api/v1/designs/{id}", tag = "designs", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Design), (status = 404, body = ApiErrorBody)))]
async fn get_design(StaffOn(state, _, id): StaffOn<i64>) -> ApiResult<Json<Design>> {
    Ok(Json(state.blocking(move |c, _| store::designs::get(c, id)).await??))
}

/// Save a design: a new version when the spec changed. Certificates already issued keep theirs.
#[utoipa::path(put, path = "/api/v1/designs/{id}", tag = "designs", security(("bearer" = [])), request_body = DesignIn,
    params(("id" = i64, Path)), responses((status = 200, body = Design), (status = 404, body = ApiErrorBody),
        (status = 409, description = "another design has this name", body = ApiErrorBody),
        (status = 422, description = "a rule of the spec is broken (the error names the field)", body = ApiErrorBody)))]
async fn save_design(JsonOn(state, m, id, d): JsonOn<DesignIn, i64>) -> ApiResult<Json<Design>> {
    let saved =
        state.blocking(move |c, _| store::designs::save(c, id, &d.name, &d.spec, &m.email, Utc::now())).await??;
    tracing::info!(design_id = saved.id, version = saved.version, "design saved");
    Ok(Json(saved))
}

/// Upload a logo or signature image: the raw bytes of a PNG or JPEG file (at most 1 MiB and
/// 4 megapixels). It is checked, re-encoded and stored; nothing is stored when it is refused.
#[utoipa::path(post, path = "/api/v1/design-images", tag = "designs", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ImageOut), (status = 422, description = "not a PNG or JPEG image, too large, or damaged", body = ApiErrorBody)))]
async fn upload_image(State(state): State<AppState>, _u: ApiUser, ApiBytes(body): ApiBytes) -> ApiResult<Response> {
    let checked =
        design::check_image(&body).map_err(|e| ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let (width, height) = (checked.width, checked.height);
    let id = state.blocking(move |c, _| store::designs::put_asset(c, &checked, Utc::now())).await??;
    Ok(created(ImageOut { id, width, height }))
}

/// A preview of a design's current version as a PNG picture, with a sample name and event.
#[utoipa::path(get, path = "/api/v1/designs/{id}/preview", tag = "designs", security(("bearer" = [])),
    params(("id" = i64, Path), PreviewParams),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 404, body = ApiErrorBody),
        (status = 409, description = "this server does not render certificates", body = ApiErrorBody)))]
async fn preview(QueryOn(state, _, id, q): QueryOn<PreviewParams, i64>) -> ApiResult<Response> {
    let sample = match q.sample {
        Some(Sample::Arabic) => "arabic",
        _ => "long",
    };
    let lang = q.lang.unwrap_or_default();
    let st = state.clone();
    let png = state.blocking(move |c, _| crate::web::jobs::preview::png(&st, c, id, sample, lang)).await??;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// The organisation's profile.
#[utoipa::path(get, path = "/api/v1/organisation", tag = "designs", security(("bearer" = [])),
    responses((status = 200, body = Profile)))]
async fn get_profile(State(state): State<AppState>, _u: ApiUser) -> ApiResult<Json<Profile>> {
    Ok(Json(state.blocking(|c, _| store::designs::profile(c)).await??))
}

/// Replace the organisation's profile (null or empty fields: the server's configuration).
#[utoipa::path(put, path = "/api/v1/organisation", tag = "designs", security(("bearer" = [])), request_body = Profile,
    responses((status = 200, body = Profile), (status = 422, description = "a name too long, or no such default design", body = ApiErrorBody)))]
async fn put_profile(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiJson(p): ApiJson<Profile>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(state.blocking(move |c, _| store::designs::set_profile(c, &p, &m.email, Utc::now())).await??))
}

/// Choose an event's design. Certificates already issued keep the design they were issued with.
#[utoipa::path(put, path = "/api/v1/events/{slug}/design", tag = "designs", security(("bearer" = [])), request_body = EventDesign,
    params(("slug" = String, Path)),
    responses((status = 200, body = EventDesign), (status = 404, body = ApiErrorBody), (status = 422, description = "no such design", body = ApiErrorBody)))]
async fn put_event_design(JsonOn(state, m, slug, d): JsonOn<EventDesign>) -> ApiResult<Json<EventDesign>> {
    let design = d.design;
    super::with_event(&state, slug, move |c, e| {
        store::designs::set_event_design(c, e.id, design, &m.email, Utc::now())
    })
    .await?;
    Ok(Json(EventDesign { design }))
}

/// These operations, for `api::routes`.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_designs, create_design))
        .routes(routes!(get_design, save_design))
        .routes(routes!(upload_image))
        .routes(routes!(preview))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(put_event_design))
}
