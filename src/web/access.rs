//! Who may call which route: one table of every route (console, API and public) with the role it
//! needs, and the layer that enforces it before any handler runs.
//!
//! The check sits in a layer rather than in each handler so that it cannot be forgotten: a route
//! that is not in [`RULES`] is refused to everyone (and logged as a bug), whatever its handler
//! takes. Handlers still take `StaffUser` or `ApiUser` for the member's details; the layer hands
//! them the member it found, so a request reads its session or token once. `tests/it/roles.rs`
//! walks every route of the source with every role and fails when a route has no row here.
//!
//! Refusals: a console page answers 403 with a page that says which role the action needs, the
//! API answers 403 with a JSON error (documented on every operation of the OpenAPI document).
//! Not signed in: the console sends the browser to sign in, the API answers 401.

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::api::{ApiError, ApiUser};
use super::console::StaffUser;
use crate::staff::{Member, Role};

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not (public pages, sign-in itself).
    Public,
    /// A member of staff with at least this role.
    Staff(Role),
}

use Need::{Public, Staff};
const VIEWER: Need = Staff(Role::Viewer);
const ISSUER: Need = Staff(Role::Issuer);
const ADMIN: Need = Staff(Role::Admin);

/// Every route: method (`*` for any), path template as the router spells it, what it needs.
/// Reading is for viewers, changing events and certificates for issuers, designs and the
/// organisation for admins (see [`Role`]). Forms that only change something (new, edit) need
/// the role that can send them.
pub const RULES: &[(&str, &str, Need)] = &[
    // Public: verification, attendees' requests, keys, status lists, health.
    ("GET", "/", Public),
    ("GET", "/v/{token}", Public),
    ("GET", "/verify", Public),
    ("POST", "/verify/code", Public),
    ("POST", "/verify/pdf", Public),
    ("GET", "/.well-known/jwks.json", Public),
    ("GET", "/.well-known/did.json", Public),
    ("GET", "/status/{list}", Public),
    ("GET", "/credentials/{id}", Public),
    ("GET", "/pdf-root.pem", Public),
    ("GET", "/pdf-root.cer", Public),
    ("GET", "/request", Public),
    ("POST", "/request", Public),
    ("GET", "/download/{token}", Public),
    ("POST", "/download/{token}", Public),
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    // Its own bearer token (ATTEST_METRICS_TOKEN), not a staff role: monitoring is not staff.
    ("GET", "/metrics", Public),
    ("GET", "/static/site.css", Public),
    // Signing in and out, and the console's language.
    ("GET", "/staff", Public),
    ("GET", "/staff/login", Public),
    ("POST", "/staff/login", Public),
    ("GET", "/staff/login/oidc", Public),
    ("GET", "/staff/login/oidc/callback", Public),
    ("POST", "/staff/logout", VIEWER),
    ("GET", "/staff/setup/{link}", Public),
    ("POST", "/staff/setup/{link}", Public),
    ("GET", "/staff/language/{code}", Public),
    // The console.
    ("GET", "/staff/audit", VIEWER),
    ("GET", "/staff/events", VIEWER),
    ("POST", "/staff/events", ISSUER),
    ("GET", "/staff/events/new", ISSUER),
    ("GET", "/staff/events/{slug}", VIEWER),
    ("GET", "/staff/events/{slug}/edit", ISSUER),
    ("POST", "/staff/events/{slug}/edit", ISSUER),
    ("POST", "/staff/events/{slug}/uploads", ISSUER),
    ("POST", "/staff/events/{slug}/uploads/answer", ISSUER),
    ("GET", "/staff/events/{slug}/attendance", VIEWER),
    ("POST", "/staff/events/{slug}/override", ISSUER),
    ("POST", "/staff/events/{slug}/link", ISSUER),
    ("POST", "/staff/events/{slug}/split", ISSUER),
    ("GET", "/staff/events/{slug}/issue", VIEWER),
    ("POST", "/staff/events/{slug}/issue", ISSUER),
    ("GET", "/staff/events/{slug}/redesign", VIEWER),
    ("POST", "/staff/events/{slug}/redesign", ISSUER),
    ("GET", "/staff/events/{slug}/certificates", VIEWER),
    ("GET", "/staff/events/{slug}/certificates.zip", VIEWER),
    ("GET", "/staff/events/{slug}/certificates.pdf", ISSUER),
    ("GET", "/staff/events/{slug}/delivery", VIEWER),
    ("POST", "/staff/events/{slug}/delivery", ISSUER),
    ("POST", "/staff/events/{slug}/delivery/resend", ISSUER),
    ("GET", "/staff/events/{slug}/design", ISSUER),
    ("POST", "/staff/events/{slug}/design", ISSUER),
    ("GET", "/staff/certificates/{id}", VIEWER),
    ("GET", "/staff/certificates/{id}/pdf", VIEWER),
    ("POST", "/staff/certificates/{id}/revoke", ISSUER),
    ("POST", "/staff/certificates/{id}/reissue", ISSUER),
    ("GET", "/staff/series", VIEWER),
    ("POST", "/staff/series", ISSUER),
    ("GET", "/staff/series/{slug}", VIEWER),
    ("POST", "/staff/series/{slug}/events", ISSUER),
    ("POST", "/staff/series/{slug}/events/remove", ISSUER),
    ("POST", "/staff/series/{slug}/rule", ISSUER),
    ("POST", "/staff/series/{slug}/links", ISSUER),
    ("POST", "/staff/series/{slug}/links/remove", ISSUER),
    ("POST", "/staff/series/{slug}/issue", ISSUER),
    ("GET", "/staff/designs", VIEWER),
    ("POST", "/staff/designs", ADMIN),
    ("GET", "/staff/designs/{id}", VIEWER),
    ("POST", "/staff/designs/{id}", ADMIN),
    ("GET", "/staff/designs/{id}/preview.png", VIEWER),
    ("GET", "/staff/designs/images/{file}", VIEWER),
    ("GET", "/staff/organisation", VIEWER),
    ("POST", "/staff/organisation", ADMIN),
    // The API. Unknown API paths answer 404 to anyone.
    ("GET", "/api/v1/openapi.json", Public),
    ("*", "/api/v1/{*rest}", Public),
    ("GET", "/api/v1/audit", VIEWER),
    ("GET", "/api/v1/events", VIEWER),
    ("POST", "/api/v1/events", ISSUER),
    ("GET", "/api/v1/events/{slug}", VIEWER),
    ("PUT", "/api/v1/events/{slug}", ISSUER),
    ("POST", "/api/v1/events/{slug}/imports", ISSUER),
    ("GET", "/api/v1/events/{slug}/attendance", VIEWER),
    ("POST", "/api/v1/events/{slug}/overrides", ISSUER),
    ("POST", "/api/v1/events/{slug}/links", ISSUER),
    ("POST", "/api/v1/events/{slug}/splits", ISSUER),
    ("GET", "/api/v1/events/{slug}/certificates", VIEWER),
    ("POST", "/api/v1/events/{slug}/certificates", ISSUER),
    ("POST", "/api/v1/events/{slug}/redesign", ISSUER),
    ("GET", "/api/v1/events/{slug}/certificates.zip", VIEWER),
    ("GET", "/api/v1/events/{slug}/certificates.pdf", ISSUER),
    ("GET", "/api/v1/events/{slug}/deliveries", VIEWER),
    ("POST", "/api/v1/events/{slug}/deliveries", ISSUER),
    ("PUT", "/api/v1/events/{slug}/design", ISSUER),
    ("GET", "/api/v1/certificates/{id}", VIEWER),
    ("GET", "/api/v1/certificates/{id}/pdf", VIEWER),
    ("GET", "/api/v1/certificates/{id}/credential", VIEWER),
    ("POST", "/api/v1/certificates/{id}/revoke", ISSUER),
    ("POST", "/api/v1/certificates/{id}/reissue", ISSUER),
    ("POST", "/api/v1/certificates/{id}/delivery", ISSUER),
    ("GET", "/api/v1/series", VIEWER),
    ("POST", "/api/v1/series", ISSUER),
    ("GET", "/api/v1/series/{slug}", VIEWER),
    ("PUT", "/api/v1/series/{slug}/rule", ISSUER),
    ("PUT", "/api/v1/series/{slug}/events/{event}", ISSUER),
    ("DELETE", "/api/v1/series/{slug}/events/{event}", ISSUER),
    ("GET", "/api/v1/series/{slug}/decisions", VIEWER),
    ("GET", "/api/v1/series/{slug}/links", VIEWER),
    ("POST", "/api/v1/series/{slug}/links", ISSUER),
    ("DELETE", "/api/v1/series/{slug}/links/{a}/{b}", ISSUER),
    ("GET", "/api/v1/series/{slug}/certificates", VIEWER),
    ("POST", "/api/v1/series/{slug}/certificates", ISSUER),
    ("GET", "/api/v1/designs", VIEWER),
    ("POST", "/api/v1/designs", ADMIN),
    ("GET", "/api/v1/designs/{id}", VIEWER),
    ("PUT", "/api/v1/designs/{id}", ADMIN),
    ("GET", "/api/v1/designs/{id}/preview", VIEWER),
    ("POST", "/api/v1/design-images", ADMIN),
    ("GET", "/api/v1/organisation", VIEWER),
    ("PUT", "/api/v1/organisation", ADMIN),
];

/// What `method path` needs; `None` for a route missing from [`RULES`]. `HEAD` is `GET`'s.
pub fn need(method: &Method, path: &str) -> Option<Need> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    RULES.iter().find(|(m, p, _)| *p == path && (*m == method || *m == "*")).map(|r| r.2)
}

/// Whether `role` may call `method template`: how the console decides which buttons and forms
/// to show, from the same table that refuses, so a page never offers what would answer 403 and
/// no second list of "who sees what" can drift from [`RULES`]. A template missing from the table
/// is a bug in the page (a mistyped path): it shows nothing, as the layer would refuse it.
pub fn allows(role: Role, method: &str, template: &str) -> bool {
    let found = need(&method.parse().unwrap_or(Method::GET), template);
    debug_assert!(found.is_some(), "{method} {template} is not in web::access::RULES");
    match found {
        Some(Public) => true,
        Some(Staff(needed)) => role >= needed,
        None => false,
    }
}

/// The member the layer found, handed to the handler's `StaffUser` or `ApiUser` so that the
/// session or token is read once per request. The CSRF token is empty for API tokens.
#[derive(Clone)]
pub(super) struct Checked {
    pub member: Member,
    pub csrf: String,
}

fn api_forbidden(member: &Member, needed: Role) -> Response {
    ApiError::from(super::WebError::Status(
        StatusCode::FORBIDDEN,
        format!(
            "this needs the {needed} role; the token acts as {} (attest staff role, attest staff token)",
            member.role
        ),
    ))
    .into_response()
}

/// The layer: refuses what the caller's role does not allow, before the handler runs.
pub(super) async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    match check(&state, req, &path).await {
        Ok(req) => next.run(req).await,
        // Refusals answer staff routes: like their answers, never cached.
        Err(refused) => super::api::no_store(refused).await,
    }
}

/// The request, with the member it found, when the route allows the caller; else the refusal.
async fn check(state: &AppState, req: Request, path: &str) -> Result<Request, Response> {
    let needed = match need(req.method(), path) {
        Some(Public) => return Ok(req),
        Some(Staff(role)) => role,
        None => {
            // Failing closed: a route added without a rule is a bug, not an open door.
            tracing::error!(method = %req.method(), route = %path, "route missing from web::access::RULES; refused");
            return Err((StatusCode::FORBIDDEN, "This route has no access rule yet; it is refused to everyone.")
                .into_response());
        }
    };
    let (mut parts, body) = req.into_parts();
    let checked = if path.starts_with("/api/") {
        let ApiUser(member) = ApiUser::from_request_parts(&mut parts, state).await?;
        if member.role < needed {
            tracing::info!(staff_id = member.id, role = %member.role, needed = %needed, route = %path, "refused by role");
            return Err(api_forbidden(&member, needed));
        }
        Checked { member, csrf: String::new() }
    } else {
        let user = StaffUser::from_request_parts(&mut parts, state).await?;
        if user.member.role < needed {
            tracing::info!(staff_id = user.member.id, role = %user.member.role, needed = %needed, route = %path, "refused by role");
            return Err(super::console::role_refused(&user, needed));
        }
        Checked { member: user.member, csrf: user.csrf }
    };
    parts.extensions.insert(checked);
    Ok(Request::from_parts(parts, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once() {
        for (i, (m, p, _)) in RULES.iter().enumerate() {
            assert!(
                !RULES[..i].iter().any(|(m2, p2, _)| m2 == m && p2 == p),
                "{m} {p} has two rules: the first would win"
            );
        }
    }

    #[test]
    fn a_viewer_is_allowed_to_read_and_not_to_issue() {
        assert!(allows(Role::Viewer, "GET", "/staff/events/{slug}"));
        assert!(!allows(Role::Viewer, "POST", "/staff/events/{slug}/issue"));
        assert!(allows(Role::Issuer, "POST", "/staff/events/{slug}/issue"));
        assert!(!allows(Role::Issuer, "POST", "/staff/organisation"));
    }

    #[test]
    fn head_needs_what_get_needs_and_unknown_routes_have_no_rule() {
        assert_eq!(need(&Method::HEAD, "/staff/events"), Some(VIEWER));
        assert_eq!(need(&Method::DELETE, "/staff/events"), None);
        assert_eq!(need(&Method::PATCH, "/api/v1/{*rest}"), Some(Public));
    }
}
