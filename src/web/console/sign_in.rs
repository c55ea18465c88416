//! Signing in with a password, signing out, and the one-time set-up link that lets a new member
//! of staff choose a password. Sign-in through the organisation's OpenID provider is
//! `web::oidc`; this page offers it first when it is configured.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::form::Sent;
use super::text::{K, Tr};
use super::{
    NextQuery, NoFields, PRE_SESSION_COOKIE, SESSION_COOKIE, StaffForm, cookie, forbidden_form, safe_next, set_cookie,
    signed_out,
};
use crate::staff::{self, StaffError};
use crate::web::{AppState, ClientIp, WebError};

fn pre_session_token() -> Result<String, WebError> {
    Ok(staff::AccessToken::new()?.expose().to_owned())
}

async fn login_page(State(state): State<AppState>, tr: Tr, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    let token = pre_session_token()?;
    let next = safe_next(q.next.as_deref());
    // The organisation's provider first, by name; the password form when it is on.
    let body = html! {
        @if let Some(oidc) = state.oidc() {
            section.card.narrow {
                h1 { (tr.t(K::SignInTitle)) }
                p { a.button href={ "/staff/login/oidc?next=" (crate::encoding::percent_path(&next)) } {
                    @if oidc.display_name().is_empty() { (tr.t(K::SignInWithOrganisation)) }
                    @else { (tr.f(K::SignInWith, &[("name", &oidc.display_name())])) }
                } }
            }
        }
        @if state.password_login() { (password_form(&tr, &token, &next, None, state.oidc().is_none())) }
    };
    Ok((
        [(header::SET_COOKIE, set_cookie(&state, PRE_SESSION_COOKIE, &token, "/staff", 3600))],
        signed_out(&tr, tr.t(K::SignIn), body),
    )
        .into_response())
}

fn login_form(tr: &Tr, token: &str, next: &str, error: Option<&str>) -> Markup {
    password_form(tr, token, next, error, true)
}

/// The password form; under the organisation's sign-in button (`main_heading` false) it is the
/// second way in and says so.
fn password_form(tr: &Tr, token: &str, next: &str, error: Option<&str>, main_heading: bool) -> Markup {
    html! {
        section.card.narrow {
            @if main_heading { h1 { (tr.t(K::SignInTitle)) } } @else { h2 { (tr.t(K::WithPassword)) } }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/staff/login" {
                input type="hidden" name="csrf" value=(token);
                input type="hidden" name="next" value=(next);
                label for="email" { (tr.t(K::EmailLabel)) }
                input #email type="email" name="email" autocomplete="username" required autofocus;
                label for="password" { (tr.t(K::PasswordLabel)) }
                input #password type="password" name="password" autocomplete="current-password" required;
                // Under the organisation's button, the second way in: one main action a page.
                button.secondary[!main_heading] type="submit" { (tr.t(K::SignIn)) }
            }
            p.muted { (tr.m(K::NoAccountYet, &[("command", html! { code { "attest staff add EMAIL" } })])) }
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

/// What the two password forms (sign-in and account setup) check before anything else: password
/// sign-in is on, and the form carries its page's double-submit token (it came from this site;
/// there is no session yet to hold one).
fn password_form_allowed(state: &AppState, tr: &Tr, headers: &HeaderMap, token: &str) -> Result<(), WebError> {
    if !state.password_login() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, tr.t(K::PasswordSignInOff).into()));
    }
    if !cookie(headers, PRE_SESSION_COOKIE).is_some_and(|c| staff::same_secret(&c, token)) {
        return Err(forbidden_form(tr));
    }
    Ok(())
}

async fn login(
    State(state): State<AppState>,
    tr: Tr,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Result<Response, WebError> {
    password_form_allowed(&state, &tr, &headers, &f.csrf)?;
    let next = safe_next(f.next.as_deref());
    if !state.login_allowed(&client) {
        // Counted, and logged at debug only: a flood of refused attempts must not flood the log.
        state.inner.metrics.sign_in_throttled("password");
        tracing::debug!("staff sign-in throttled");
        let body = login_form(&tr, &f.csrf, &next, Some(tr.t(K::TooManyAttempts)));
        return Ok((StatusCode::TOO_MANY_REQUESTS, signed_out(&tr, tr.t(K::SignIn), body)).into_response());
    }
    let (email, password) = (f.email.clone(), f.password);
    let found = state.blocking(move |conn, _| staff::login(conn, &email, &password, Utc::now())).await??;
    state.inner.metrics.signed_in("password", matches!(found, staff::Login::SignedIn(..)));
    match found {
        staff::Login::SignedIn(member, session) => {
            tracing::info!(staff_id = member.id, "staff signed in");
            Ok(signed_in(&state, &session, &next))
        }
        staff::Login::Refused { staff_id, why } => {
            // For the operator's SIEM: the account by id, never the email typed or the client's
            // address (see README, Logs). An attempt on an account is a warning; one on an
            // address without an account is usually a typo.
            match staff_id {
                Some(id) => tracing::warn!(staff_id = id, reason = why, "staff sign-in refused"),
                None => tracing::info!(reason = why, "staff sign-in refused"),
            }
            let body = login_form(&tr, &f.csrf, &next, Some(tr.t(K::WrongPassword)));
            Ok((StatusCode::UNAUTHORIZED, signed_out(&tr, tr.t(K::SignIn), body)).into_response())
        }
    }
}

pub(in crate::web) fn signed_in(state: &AppState, session: &staff::Session, next: &str) -> Response {
    let max_age = staff::SESSION_HOURS * 3600;
    let mut res = Redirect::to(next).into_response();
    let h = res.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(state, SESSION_COOKIE, session.cookie.expose(), "/", max_age));
    h.append(header::SET_COOKIE, set_cookie(state, PRE_SESSION_COOKIE, "", "/staff", 0));
    res
}

/// Signs out the session of the cookie; the form's token, checked by `StaffForm`, is all it needs
/// of the form (another site cannot sign staff out).
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _checked: StaffForm<NoFields>,
) -> Result<Response, WebError> {
    if let Some(c) = cookie(&headers, SESSION_COOKIE) {
        state.blocking(move |conn, _| staff::logout(conn, &c)).await??;
    }
    let mut res = Redirect::to("/staff/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", "/", 0));
    Ok(res)
}

async fn setup_page(State(state): State<AppState>, tr: Tr, Path(link): Path<String>) -> Result<Response, WebError> {
    let l = link.clone();
    let target = state.blocking(move |conn, _| staff::setup_target(conn, &l, Utc::now())).await??;
    let Some(target) = target else {
        let body = html! { section.card.narrow { h1 { (tr.t(K::LinkUnusable)) } p { (tr.t(K::BadLink)) } } };
        return Ok((StatusCode::NOT_FOUND, signed_out(&tr, tr.t(K::SetupLink), body)).into_response());
    };
    let token = pre_session_token()?;
    Ok((
        [(header::SET_COOKIE, set_cookie(&state, PRE_SESSION_COOKIE, &token, "/staff", 3600))],
        signed_out(&tr, tr.t(K::ChoosePassword), setup_form(&tr, &link, &token, target.as_deref(), &Sent::default())),
    )
        .into_response())
}

/// The setup form; `sent` is it refused: the address is kept, never the passwords (a page
/// must not send a password back), and each message is next to its field.
fn setup_form(tr: &Tr, link: &str, token: &str, email: Option<&str>, sent: &Sent) -> Markup {
    let command = html! { code { "attest staff add EMAIL" } };
    html! {
        section.card.narrow {
            h1 { (tr.t(K::ChooseYourPassword)) }
            @match email {
                Some(e) => p { (tr.m(K::ForAccount, &[("email", html! { strong translate="no" { (e) } })])) },
                None => p { (tr.m(K::NewInstallation, &[("command", command)])) },
            }
            form method="post" action={ "/staff/setup/" (link) } novalidate {
                (sent.summary(tr))
                input type="hidden" name="csrf" value=(token);
                @if email.is_none() {
                    label for="email" { (tr.t(K::YourEmail)) }
                    input #email type="email" name="email" autocomplete="username" required value=(sent.val("email", ""))
                        aria-invalid=[sent.invalid("email")] aria-describedby=[sent.described("email")];
                    (sent.note("email"))
                }
                label for="password" { (tr.f(K::PasswordAtLeast, &[("n", &staff::MIN_PASSWORD_CHARS)])) }
                input #password type="password" name="password" autocomplete="new-password" minlength=(staff::MIN_PASSWORD_CHARS) required
                    aria-invalid=[sent.invalid("password")] aria-describedby=[sent.described("password")];
                (sent.note("password"))
                label for="repeat" { (tr.t(K::PasswordAgain)) }
                input #repeat type="password" name="repeat" autocomplete="new-password" required
                    aria-invalid=[sent.invalid("repeat")] aria-describedby=[sent.described("repeat")];
                (sent.note("repeat"))
                button type="submit" { (tr.t(K::SaveAndSignIn)) }
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
    tr: Tr,
    Path(link): Path<String>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<SetupForm>,
) -> Result<Response, WebError> {
    password_form_allowed(&state, &tr, &headers, &f.csrf)?;
    let l = link.clone();
    let target = state.blocking(move |conn, _| staff::setup_target(conn, &l, Utc::now())).await??;
    let Some(target) = target else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, tr.t(K::BadLink).into()));
    };
    let again = |id: &str, msg: &str| {
        let mut sent = Sent::posted("", f.email.clone().map(|e| ("email".to_owned(), e)));
        sent.refuse(id, msg);
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            signed_out(&tr, tr.t(K::ChoosePassword), setup_form(&tr, &link, &f.csrf, target.as_deref(), &sent)),
        )
            .into_response()
    };
    if f.password != f.repeat {
        return Ok(again("repeat", tr.t(K::PasswordsDiffer)));
    }
    let (l, email, password) = (link.clone(), f.email.clone(), f.password.clone());
    let done =
        state.blocking(move |conn, _| staff::complete_setup(conn, &l, email.as_deref(), &password, Utc::now())).await?;
    match done {
        Ok((member, session)) => {
            tracing::info!(staff_id = member.id, "staff password set");
            Ok(signed_in(&state, &session, "/staff/events"))
        }
        Err(StaffError::WeakPassword) => {
            Ok(again("password", &tr.f(K::WeakPassword, &[("n", &staff::MIN_PASSWORD_CHARS)])))
        }
        Err(StaffError::GuessablePassword) => Ok(again("password", tr.t(K::GuessablePassword))),
        Err(StaffError::BadEmail(e)) => Ok(again("email", &tr.f(K::BadEmail, &[("email", &e)]))),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/login", get(login_page).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/setup/{link}", get(setup_page).post(setup))
}
