//! Errors as the API answers them: one JSON body (`{"error": …}`) for every failure, and the
//! `Api*` extractors that answer axum's own rejections the same way. This is the one place they
//! are mapped, so no handler can answer an error as plain text.

use axum::Json;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::issuance::IssueError;
use crate::web::WebError;
use crate::{staff, store};

/// An error as JSON: `{"error": "..."}` with the HTTP status saying what kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    pub error: String,
    /// For imports that need an answer, the form field to send it in: `date_order`, `meeting`,
    /// `columns` (headers attest does not know: `example` holds the inferred columns, to send
    /// back as `columns`, or `accept_inferred=true` to take them as they are; the mapping is then
    /// remembered and the same header row imports at once) or `date` (times of day only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
    /// An example value from the file that shows why (e.g. a date that reads both ways).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// A [`WebError`] answered as JSON, with what an import needs when that is the problem.
pub struct ApiError(pub(super) WebError, pub(super) Option<(String, String)>);

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
    pub(super) fn status(code: StatusCode, error: impl Into<String>) -> Self {
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
pub(super) async fn no_such_route() -> ApiError {
    ApiError::status(StatusCode::NOT_FOUND, "no such API route (see /api/v1/openapi.json)")
}

pub(super) type ApiResult<T> = Result<T, ApiError>;
