//! The staff console under `/staff`: server-rendered pages over the same library the CLI uses.
//!
//! Sign-in is a session cookie (`HttpOnly`, `SameSite=Strict`, `Secure` when the public URL is
//! HTTPS) whose SHA-256 is in the database with the session's CSRF token; every form carries
//! that token and every POST checks it. The login and setup forms, which come before a
//! session, use a double-submit cookie instead. Pages are English only: staff work in English
//! at the organisers; attendees' and verifiers' pages are trilingual.
//!
//! No JavaScript is needed: progress pages refresh themselves with `<meta http-equiv=refresh>`,
//! and files can be dropped on the (large) file field of the upload form, which browsers
//! support natively.

mod certificates;
mod designs;
mod events;
mod people;
mod uploads;

pub use certificates::IssueJob;
pub(super) use designs::preview_png as design_preview;
pub use uploads::Pending;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use super::{AppState, ClientIp, WebError};
use crate::staff::{self, Member, StaffError};

pub(super) const SESSION_COOKIE: &str = "attest_session";
const PRE_SESSION_COOKIE: &str = "attest_form";

/// A signed-in member of staff and the CSRF token their forms must carry.
pub struct StaffUser {
    pub member: Member,
    pub csrf: String,
}

impl StaffUser {
    /// Refuses a form that does not carry this session's token: it came from another site or
    /// from a page older than the session.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if staff::same_secret(token, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::Status(
                StatusCode::FORBIDDEN,
                "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
            ))
        }
    }

    fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

/// Reads one cookie from the request (there may be several `Cookie` headers).
pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

impl FromRequestParts<AppState> for StaffUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let found = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(c) => state
                .blocking(move |conn, _| staff::session(conn, &c, Utc::now()))
                .await
                .map_err(IntoResponse::into_response)?
                .map_err(|e| WebError::from(e).into_response())?,
            None => None,
        };
        match found {
            Some((member, csrf)) => Ok(StaffUser { member, csrf }),
            None => {
                // Back to where they were going after signing in; only local paths.
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/staff");
                let next = if parts.method == axum::http::Method::GET { next } else { "/staff" };
                Err(Redirect::to(&format!("/staff/login?next={}", urlencode(next))).into_response())
            }
        }
    }
}

pub(super) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl From<StaffError> for WebError {
    fn from(e: StaffError) -> Self {
        match e {
            StaffError::Store(s) => s.into(),
            StaffError::Hash(_) | StaffError::Random(_) => WebError::internal(e.to_string()),
            other => WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()),
        }
    }
}

fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config().public_url.starts_with("https://") { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"))
        .expect("cookie values are base64url")
}

/// The console's frame. `user` is `None` on the login and setup pages.
pub(super) fn layout(user: Option<&StaffUser>, title: &str, body: Markup) -> Markup {
    frame(user, title, false, body)
}

/// A frame whose page reloads itself every second (progress of work running in the background).
pub(super) fn refreshing(user: &StaffUser, title: &str, body: Markup) -> Markup {
    frame(Some(user), title, true, body)
}

fn frame(user: Option<&StaffUser>, title: &str, refresh: bool, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                @if refresh { meta http-equiv="refresh" content="1"; }
                title { (title) " · attest staff" }
                link rel="stylesheet" href="/static/site.css";
            }
            body.console {
                header {
                    a href="/staff/events" { "attest · staff" }
                    @if let Some(u) = user {
                        nav.staff aria-label="Staff" {
                            a href="/staff/events" { "Events" }
                            a href=(designs::NAV_LINK.0) { (designs::NAV_LINK.1) }
                            a href="/staff/audit" { "Audit log" }
                            a href="/verify" { "Public pages" }
                            form.inline method="post" action="/staff/logout" {
                                (u.csrf_field())
                                button.link type="submit" { "Sign out " (u.member.email) }
                            }
                        }
                    }
                }
                main.wide { (body) }
            }
        }
    }
}

/// A page that says what went wrong and offers the way back.
pub(super) fn problem(user: &StaffUser, status: StatusCode, title: &str, message: &str, back: &str) -> Response {
    let body = html! {
        section.card.problem role="alert" {
            h1 { (title) }
            p.pre { (message) }
            p { a href=(back) { "← Back" } }
        }
    };
    (status, layout(Some(user), title, body)).into_response()
}

/// Turns a library error on a form into a page with the message; internal ones stay hidden.
pub(super) fn form_error(user: &StaffUser, back: &str, e: impl Into<WebError>) -> Response {
    match e.into() {
        WebError::Status(code, msg) => problem(user, code, "That did not work", &msg, back),
        internal => internal.into_response(),
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    pub csrf: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths, so a crafted login link cannot send someone elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/staff") && !n.starts_with("//") && !n.contains("://") => n.to_owned(),
        _ => "/staff/events".to_owned(),
    }
}

fn pre_session_token() -> Result<String, WebError> {
    Ok(staff::Secret::new()?.expose().to_owned())
}

async fn login_page(State(state): State<AppState>, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    let token = pre_session_token()?;
    let body = login_form(&token, &safe_next(q.next.as_deref()), None);
    Ok((
        [(header::SET_COOKIE, set_cookie(&state, PRE_SESSION_COOKIE, &token, "/staff", 3600))],
        layout(None, "Sign in", body),
    )
        .into_response())
}

fn login_form(token: &str, next: &str, error: Option<&str>) -> Markup {
    html! {
        section.card.narrow {
            h1 { "Staff sign-in" }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/staff/login" {
                input type="hidden" name="csrf" value=(token);
                input type="hidden" name="next" value=(next);
                label for="email" { "Email" }
                input #email type="email" name="email" autocomplete="username" required autofocus;
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { "Sign in" }
            }
            p.muted { "No account yet? An administrator runs " code { "attest staff add EMAIL" } " and sends you a link." }
        }
    }
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    next: Option<String>,
}

fn pre_session_ok(headers: &HeaderMap, token: &str) -> bool {
    cookie(headers, PRE_SESSION_COOKIE).is_some_and(|c| staff::same_secret(&c, token))
}

fn forbidden_form() -> WebError {
    WebError::Status(
        StatusCode::FORBIDDEN,
        "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
    )
}

async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Result<Response, WebError> {
    if !pre_session_ok(&headers, &f.csrf) {
        return Err(forbidden_form());
    }
    let next = safe_next(f.next.as_deref());
    if !state.login_allowed(&client, &f.email) {
        let body = login_form(&f.csrf, &next, Some("Too many attempts. Wait a few minutes and try again."));
        return Ok((StatusCode::TOO_MANY_REQUESTS, layout(None, "Sign in", body)).into_response());
    }
    let (email, password) = (f.email.clone(), f.password);
    let found = state.blocking(move |conn, _| staff::login(conn, &email, &password, Utc::now())).await??;
    match found {
        Some((member, session)) => {
            tracing::info!(staff_id = member.id, "staff signed in");
            Ok(signed_in(&state, &session, &next))
        }
        None => {
            let body = login_form(&f.csrf, &next, Some("Wrong email or password."));
            Ok((StatusCode::UNAUTHORIZED, layout(None, "Sign in", body)).into_response())
        }
    }
}

fn signed_in(state: &AppState, session: &staff::Session, next: &str) -> Response {
    let max_age = staff::SESSION_HOURS * 3600;
    let mut res = Redirect::to(next).into_response();
    let h = res.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(state, SESSION_COOKIE, session.cookie.expose(), "/", max_age));
    h.append(header::SET_COOKIE, set_cookie(state, PRE_SESSION_COOKIE, "", "/staff", 0));
    res
}

async fn logout(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    if let Some(c) = cookie(&headers, SESSION_COOKIE) {
        state.blocking(move |conn, _| staff::logout(conn, &c)).await??;
    }
    let mut res = Redirect::to("/staff/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", "/", 0));
    Ok(res)
}

async fn setup_page(State(state): State<AppState>, Path(link): Path<String>) -> Result<Response, WebError> {
    let l = link.clone();
    let target = state.blocking(move |conn, _| staff::setup_target(conn, &l, Utc::now())).await??;
    let Some(target) = target else {
        let body =
            html! { section.card.narrow { h1 { "This link cannot be used" } p { (StaffError::BadLink.to_string()) } } };
        return Ok((StatusCode::NOT_FOUND, layout(None, "Setup link", body)).into_response());
    };
    let token = pre_session_token()?;
    Ok((
        [(header::SET_COOKIE, set_cookie(&state, PRE_SESSION_COOKIE, &token, "/staff", 3600))],
        layout(None, "Choose a password", setup_form(&link, &token, target.as_deref(), None)),
    )
        .into_response())
}

fn setup_form(link: &str, token: &str, email: Option<&str>, error: Option<&str>) -> Markup {
    html! {
        section.card.narrow {
            h1 { "Choose your password" }
            @match email {
                Some(e) => p { "For the staff account " strong { (e) } "." },
                None => p { "This is a new installation: create the first staff account. You can add colleagues afterwards with " code { "attest staff add EMAIL" } "." },
            }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action={ "/staff/setup/" (link) } {
                input type="hidden" name="csrf" value=(token);
                @if email.is_none() {
                    label for="email" { "Your email" }
                    input #email type="email" name="email" autocomplete="username" required;
                }
                label for="password" { "Password (at least " (staff::MIN_PASSWORD_CHARS) " characters)" }
                input #password type="password" name="password" autocomplete="new-password" minlength=(staff::MIN_PASSWORD_CHARS) required;
                label for="repeat" { "The same password again" }
                input #repeat type="password" name="repeat" autocomplete="new-password" required;
                button type="submit" { "Save and sign in" }
            }
        }
    }
}

#[derive(Deserialize)]
struct SetupForm {
    csrf: String,
    email: Option<String>,
    password: String,
    repeat: String,
}

async fn setup(
    State(state): State<AppState>,
    Path(link): Path<String>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<SetupForm>,
) -> Result<Response, WebError> {
    if !pre_session_ok(&headers, &f.csrf) {
        return Err(forbidden_form());
    }
    let l = link.clone();
    let target = state.blocking(move |conn, _| staff::setup_target(conn, &l, Utc::now())).await??;
    let Some(target) = target else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, StaffError::BadLink.to_string()));
    };
    let again = |msg: &str| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            layout(None, "Choose a password", setup_form(&link, &f.csrf, target.as_deref(), Some(msg))),
        )
            .into_response()
    };
    if f.password != f.repeat {
        return Ok(again("The two passwords differ."));
    }
    let (l, email, password) = (link.clone(), f.email.clone(), f.password.clone());
    let done =
        state.blocking(move |conn, _| staff::complete_setup(conn, &l, email.as_deref(), &password, Utc::now())).await?;
    match done {
        Ok((member, session)) => {
            tracing::info!(staff_id = member.id, "staff password set");
            Ok(signed_in(&state, &session, "/staff/events"))
        }
        Err(e @ (StaffError::WeakPassword | StaffError::BadEmail(_))) => Ok(again(&e.to_string())),
        Err(e) => Err(e.into()),
    }
}

async fn audit(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let entries = state.blocking(|conn, _| crate::store::certificates::audit_log(conn, 500)).await??;
    Ok(layout(
        Some(&user),
        "Audit log",
        html! {
            h1 { "Audit log" }
            p.muted { "The latest 500 actions, newest first. The full log is in the database's " code { "audit" } " table." }
            div.scroll {
                table {
                    thead { tr { th { "When (UTC)" } th { "Who" } th { "What" } th { "Subject" } th { "Detail" } } }
                    tbody {
                        @for a in &entries {
                            tr { td.nowrap { (a.at) } td { (a.actor) } td { code { (a.action) } } td { (a.subject) } td { (a.detail) } }
                        }
                    }
                }
            }
        },
    ))
}

pub(super) fn routes(max_upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/staff", get(|| async { Redirect::to("/staff/events") }))
        .route("/staff/login", get(login_page).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/setup/{link}", get(setup_page).post(setup))
        .route("/staff/audit", get(audit))
        .merge(events::routes())
        .merge(uploads::routes(max_upload_bytes))
        .merge(people::routes())
        .merge(certificates::routes())
        .merge(designs::routes())
}
