//! The parts of the API contract the derive macros cannot say: every error status an operation
//! can give, added to the generated OpenAPI document, and each operation's body rules (size and
//! content type), enforced before the handler runs.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::ApiError;

/// Completes the generated document where the derive macros cannot: the error answers every
/// operation can give (from the same rules as the extractors and [`WebError`] mapping, so every
/// status the server sends is documented), and the templates this server has.
pub(super) fn document(mut doc: Value, templates: &[String]) -> Value {
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
                    .and_then(|m| crate::web::access::need(&m, path));
                // Operations a viewer may call cannot be refused for the role.
                if let Some(crate::web::access::Need::Staff(role)) = needed
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
pub(super) fn body_rule(path: &str, max_upload_bytes: usize) -> (usize, &'static [&'static str]) {
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
pub(super) async fn body_rules(
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
