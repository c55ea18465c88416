//! `/api/v1/audit`: the audit log, newest first.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiUser;
use super::error::{ApiError, ApiErrorBody, ApiQuery, ApiResult};
use crate::store;
use crate::store::certificates::AuditEntry;
use crate::web::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many entries, newest first (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = [AuditEntry]), (status = 401, body = ApiErrorBody)))]
pub(super) async fn audit(
    State(state): State<AppState>,
    _u: ApiUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let limit = match q.limit {
        None => 100,
        Some(n @ 1..=1000) => n as usize,
        Some(n) => return Err(ApiError::status(StatusCode::BAD_REQUEST, format!("limit {n}: use 1 to 1000"))),
    };
    Ok(Json(state.blocking(move |c, _| store::certificates::audit_log(c, limit)).await??))
}
