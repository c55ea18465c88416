//! The staff console under `/staff`: server-rendered pages over the same library the CLI uses.
//!
//! Sign-in is a session cookie (`HttpOnly`, `SameSite=Strict`, `Secure` when the public URL is
//! HTTPS) whose SHA-256 is in the database with the session's CSRF token; every form carries
//! that token and every POST checks it. The login and setup forms, which come before a
//! session, use a double-submit cookie instead.
//!
//! Pages are in English or French (the Council of Europe's two official languages): the
//! browser's languages choose, a switcher in every page's header overrides them with a cookie,
//! and every word comes from the catalogue in `text` (which says how to add one). Attendees'
//! and verifiers' pages have their own three languages (`web::i18n`).
//!
//! No JavaScript is needed: progress pages refresh themselves with `<meta http-equiv=refresh>`,
//! and files can be dropped on the (large) file field of the upload form, which browsers
//! support natively.

mod certificates;
pub(in crate::web) mod delivery;
mod designs;
mod events;
mod people;
mod series;
pub(crate) mod text;
mod uploads;

pub use uploads::Pending;

pub(super) use text::Tr;
use text::{K, Lang};

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

/// A signed-in member of staff, the CSRF token their forms must carry, and their language.
pub struct StaffUser {
    pub member: Member,
    pub csrf: String,
    pub tr: Tr,
}

impl StaffUser {
    /// Refuses a form that does not carry this session's token: it came from another site or
    /// from a page older than the session.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if staff::same_secret(token, &self.csrf) { Ok(()) } else { Err(forbidden_form(&self.tr)) }
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
        // The access layer has read the session already (web::access).
        if let Some(c) = parts.extensions.get::<super::access::Checked>() {
            return Ok(StaffUser { member: c.member.clone(), csrf: c.csrf.clone(), tr: Tr::of(parts) });
        }
        let found = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(c) => state
                .blocking(move |conn, _| staff::session(conn, &c, Utc::now()))
                .await
                .map_err(IntoResponse::into_response)?
                .map_err(|e| WebError::from(e).into_response())?,
            None => None,
        };
        match found {
            Some((member, csrf)) => Ok(StaffUser { member, csrf, tr: Tr::of(parts) }),
            None => {
                // Back to where they were going after signing in; only local paths.
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/staff");
                let next = if parts.method == axum::http::Method::GET { next } else { "/staff" };
                Err(Redirect::to(&format!("/staff/login?next={}", urlencode(next))).into_response())
            }
        }
    }
}

pub(in crate::web) fn urlencode(s: &str) -> String {
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

/// What a form did, said on the page it leads to: the form's answer redirects to
/// `page?done=<word>` ([`Done::on`]), and the layout shows the sentence in a notice. Unknown
/// words show nothing, so a crafted link can only repeat one of these sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Done {
    EventCreated,
    EventSaved,
    DesignCreated,
    DesignSaved,
    DesignAssigned,
    OrganisationSaved,
    Reissued,
    Revoked,
    Overridden,
    Linked,
    Split,
    MailQueued,
    SeriesCreated,
    SeriesSaved,
    SeriesIssued,
}

impl Done {
    const ALL: [Done; 15] = [
        Done::EventCreated,
        Done::EventSaved,
        Done::DesignCreated,
        Done::DesignSaved,
        Done::DesignAssigned,
        Done::OrganisationSaved,
        Done::Reissued,
        Done::Revoked,
        Done::Overridden,
        Done::Linked,
        Done::Split,
        Done::MailQueued,
        Done::SeriesCreated,
        Done::SeriesSaved,
        Done::SeriesIssued,
    ];

    fn word(self) -> &'static str {
        match self {
            Done::EventCreated => "event-created",
            Done::EventSaved => "event-saved",
            Done::DesignCreated => "design-created",
            Done::DesignSaved => "design-saved",
            Done::DesignAssigned => "design-assigned",
            Done::OrganisationSaved => "organisation-saved",
            Done::Reissued => "reissued",
            Done::Revoked => "revoked",
            Done::Overridden => "overridden",
            Done::Linked => "linked",
            Done::Split => "split",
            Done::MailQueued => "mail-queued",
            Done::SeriesCreated => "series-created",
            Done::SeriesSaved => "series-saved",
            Done::SeriesIssued => "series-issued",
        }
    }

    fn parse(word: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.word() == word)
    }

    fn said(self) -> K {
        match self {
            Done::EventCreated => K::DoneEventCreated,
            Done::EventSaved => K::DoneEventSaved,
            Done::DesignCreated => K::DoneDesignCreated,
            Done::DesignSaved => K::DoneDesignSaved,
            Done::DesignAssigned => K::DoneDesignAssigned,
            Done::OrganisationSaved => K::DoneOrganisationSaved,
            Done::Reissued => K::DoneReissued,
            Done::Revoked => K::DoneRevoked,
            Done::Overridden => K::DoneOverridden,
            Done::Linked => K::DoneLinked,
            Done::Split => K::DoneSplit,
            Done::MailQueued => K::DoneMailQueued,
            Done::SeriesCreated => K::DoneSeriesCreated,
            Done::SeriesSaved => K::DoneSeriesSaved,
            Done::SeriesIssued => K::DoneSeriesIssued,
        }
    }

    /// Where a form's answer sends the browser: `page` with this notice.
    pub(super) fn on(self, page: &str) -> Redirect {
        let sep = if page.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{page}{sep}done={}", self.word()))
    }
}

/// The console's frame, in the member's language. (Before sign-in, use [`signed_out`]: `None`
/// here is English whatever the browser asks.)
pub(super) fn layout(user: Option<&StaffUser>, title: &str, body: Markup) -> Markup {
    let english = Tr { lang: Lang::En, here: "/staff".into(), done: None };
    frame(user.map_or(&english, |u| &u.tr), user, title, false, body)
}

/// The frame of the pages before sign-in (sign-in, setup link), in the browser's language.
pub(super) fn signed_out(tr: &Tr, title: &str, body: Markup) -> Markup {
    frame(tr, None, title, false, body)
}

/// A frame whose page reloads itself every second (progress of work running in the background).
pub(super) fn refreshing(user: &StaffUser, title: &str, body: Markup) -> Markup {
    frame(&user.tr, Some(user), title, true, body)
}

/// The switcher: a link per language to `/staff/language/{code}`, which sets the cookie and
/// comes back here. Plain links, so it works without JavaScript and before sign-in.
fn switcher(tr: &Tr) -> Markup {
    html! {
        nav.lang aria-label=(tr.t(K::LanguageNav)) {
            @for l in Lang::ALL {
                @let href = format!("/staff/language/{}?next={}", l.code(), urlencode(&tr.here));
                @let label = match l { Lang::En => "EN", Lang::Fr => "FR" };
                @let name = match l { Lang::En => "English", Lang::Fr => "Français" };
                @if l == tr.lang {
                    a href=(href) hreflang=(l.code()) lang=(l.code()) title=(name) aria-current="true" { (label) }
                } @else {
                    a href=(href) hreflang=(l.code()) lang=(l.code()) title=(name) { (label) }
                }
            }
        }
    }
}

fn frame(tr: &Tr, user: Option<&StaffUser>, title: &str, refresh: bool, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(tr.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                @if refresh { meta http-equiv="refresh" content="1"; }
                title { (title) " · " (tr.t(K::TitleSuffix)) }
                link rel="stylesheet" href="/static/site.css";
            }
            body.console {
                header {
                    a href="/staff/events" { (tr.t(K::SiteName)) }
                    @if user.is_some() {
                        nav.staff aria-label=(tr.t(K::StaffNav)) {
                            @for (href, key) in [
                                ("/staff/events", K::NavEvents),
                                ("/staff/series", K::NavSeries),
                                ("/staff/designs", K::NavDesigns),
                                ("/staff/audit", K::NavAudit),
                            ] {
                                // The section the page belongs to (a certificate is an event's).
                                @let current = tr.here.starts_with(href)
                                    || (href == "/staff/events" && tr.here.starts_with("/staff/certificates"));
                                a href=(href) aria-current=[current.then_some("page")] { (tr.t(key)) }
                            }
                            a href="/verify" { (tr.t(K::NavPublic)) }
                        }
                    }
                    div.end {
                        (switcher(tr))
                        @if let Some(u) = user {
                            span.who translate="no" { (u.member.email) }
                            form.inline.signout method="post" action="/staff/logout" {
                                (u.csrf_field())
                                button.signout type="submit" { (tr.t(K::SignOut)) }
                            }
                        }
                    }
                }
                main.wide {
                    @if let Some(done) = tr.done.as_deref().and_then(Done::parse) {
                        p.notice role="status" { (tr.t(done.said())) }
                    }
                    (body)
                }
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
            p { a href=(back) { "← " (user.tr.t(K::Back)) } }
        }
    };
    (status, layout(Some(user), title, body)).into_response()
}

/// The page for an action the member's role does not allow (web::access refuses before the
/// handler runs): which role it needs, and who can give it.
pub(super) fn role_refused(user: &StaffUser, needed: crate::staff::Role) -> Response {
    let tr = &user.tr;
    let message =
        tr.f(K::RoleRefused, &[("role", &role_name(tr, user.member.role)), ("needed", &role_name(tr, needed))]);
    problem(user, StatusCode::FORBIDDEN, tr.t(K::RoleRefusedTitle), &message, "/staff/events")
}

fn role_name(tr: &Tr, role: crate::staff::Role) -> &'static str {
    use crate::staff::Role;
    tr.t(match role {
        Role::Admin => K::RoleAdmin,
        Role::Issuer => K::RoleIssuer,
        Role::Viewer => K::RoleViewer,
    })
}

/// The page for a sign-in through the organisation's provider that did not go through: why, in
/// words staff can act on, and the way back to the sign-in page.
pub(super) fn sso_refused(tr: &Tr, status: StatusCode, why: super::oidc::Refusal, provider: &str) -> Response {
    use super::oidc::Refusal as R;
    let key = match why {
        R::Unreachable => K::SsoUnreachable,
        R::ProviderError => K::SsoProviderError,
        R::State => K::SsoState,
        R::Code => K::SsoCode,
        R::IdToken => K::SsoIdToken,
        R::NoRole => K::SsoNoRole,
        R::NotRegistered => K::SsoNotRegistered,
        R::Disabled => K::SsoDisabled,
    };
    // The switcher comes back to the sign-in page, not to the callback URL and its code.
    let tr = &Tr { lang: tr.lang, here: "/staff/login".into(), done: None };
    let title = tr.t(K::SsoRefusedTitle);
    let body = html! {
        section.card.narrow.problem role="alert" {
            h1 { (title) }
            p { (tr.f(key, &[("provider", &provider)])) }
            p.muted { (tr.f(K::SsoReasonCode, &[("code", &why.code())])) }
            p { a href="/staff/login" { "← " (tr.t(K::SignIn)) } }
        }
    };
    (status, signed_out(tr, title, body)).into_response()
}

/// Turns a library error on a form into a page with the message; internal ones stay hidden.
/// The library writes its messages in English: on a French page they are marked `lang="en"`.
pub(super) fn form_error(user: &StaffUser, back: &str, e: impl Into<WebError>) -> Response {
    match e.into() {
        WebError::Status(code, msg) => {
            let tr = &user.tr;
            let title = tr.t(K::DidNotWork);
            let body = html! {
                section.card.problem role="alert" {
                    h1 { (title) }
                    p.pre lang="en" { (msg) }
                    p { a href=(back) { "← " (tr.t(K::Back)) } }
                }
            };
            (code, layout(Some(user), title, body)).into_response()
        }
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
/// Where to go after signing in or switching the language: a console path, else the events.
/// Only visible ASCII passes (a CR or LF would not fit in the `Location` header: it answered 500),
/// and no backslash (browsers read `/\\` as `//`, another site).
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/staff")
                && !n.starts_with("//")
                && !n.contains("://")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_owned()
        }
        _ => "/staff/events".to_owned(),
    }
}

fn pre_session_token() -> Result<String, WebError> {
    Ok(staff::Secret::new()?.expose().to_owned())
}

async fn login_page(State(state): State<AppState>, tr: Tr, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    let token = pre_session_token()?;
    let next = safe_next(q.next.as_deref());
    // The organisation's provider first, by name; the password form when it is on.
    let body = html! {
        @if let Some(oidc) = state.oidc() {
            section.card.narrow {
                h1 { (tr.t(K::SignInTitle)) }
                p { a.button href={ "/staff/login/oidc?next=" (urlencode(&next)) } { (tr.f(K::SignInWith, &[("name", &oidc.display_name())])) } }
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
                button type="submit" { (tr.t(K::SignIn)) }
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

fn pre_session_ok(headers: &HeaderMap, token: &str) -> bool {
    cookie(headers, PRE_SESSION_COOKIE).is_some_and(|c| staff::same_secret(&c, token))
}

fn forbidden_form(tr: &Tr) -> WebError {
    WebError::Status(StatusCode::FORBIDDEN, tr.t(K::FormExpired).into())
}

async fn login(
    State(state): State<AppState>,
    tr: Tr,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Result<Response, WebError> {
    if !state.password_login() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, tr.t(K::PasswordSignInOff).into()));
    }
    if !pre_session_ok(&headers, &f.csrf) {
        return Err(forbidden_form(&tr));
    }
    let next = safe_next(f.next.as_deref());
    if !state.login_allowed(&client) {
        let body = login_form(&tr, &f.csrf, &next, Some(tr.t(K::TooManyAttempts)));
        return Ok((StatusCode::TOO_MANY_REQUESTS, signed_out(&tr, tr.t(K::SignIn), body)).into_response());
    }
    let (email, password) = (f.email.clone(), f.password);
    let found = state.blocking(move |conn, _| staff::login(conn, &email, &password, Utc::now())).await??;
    state.inner.metrics.signed_in("password", found.is_some());
    match found {
        Some((member, session)) => {
            tracing::info!(staff_id = member.id, "staff signed in");
            Ok(signed_in(&state, &session, &next))
        }
        None => {
            let body = login_form(&tr, &f.csrf, &next, Some(tr.t(K::WrongPassword)));
            Ok((StatusCode::UNAUTHORIZED, signed_out(&tr, tr.t(K::SignIn), body)).into_response())
        }
    }
}

pub(super) fn signed_in(state: &AppState, session: &staff::Session, next: &str) -> Response {
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
        signed_out(&tr, tr.t(K::ChoosePassword), setup_form(&tr, &link, &token, target.as_deref(), None)),
    )
        .into_response())
}

fn setup_form(tr: &Tr, link: &str, token: &str, email: Option<&str>, error: Option<&str>) -> Markup {
    let command = html! { code { "attest staff add EMAIL" } };
    html! {
        section.card.narrow {
            h1 { (tr.t(K::ChooseYourPassword)) }
            @match email {
                Some(e) => p { (tr.m(K::ForAccount, &[("email", html! { strong translate="no" { (e) } })])) },
                None => p { (tr.m(K::NewInstallation, &[("command", command)])) },
            }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action={ "/staff/setup/" (link) } {
                input type="hidden" name="csrf" value=(token);
                @if email.is_none() {
                    label for="email" { (tr.t(K::YourEmail)) }
                    input #email type="email" name="email" autocomplete="username" required;
                }
                label for="password" { (tr.f(K::PasswordAtLeast, &[("n", &staff::MIN_PASSWORD_CHARS)])) }
                input #password type="password" name="password" autocomplete="new-password" minlength=(staff::MIN_PASSWORD_CHARS) required;
                label for="repeat" { (tr.t(K::PasswordAgain)) }
                input #repeat type="password" name="repeat" autocomplete="new-password" required;
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
    if !state.password_login() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, tr.t(K::PasswordSignInOff).into()));
    }
    if !pre_session_ok(&headers, &f.csrf) {
        return Err(forbidden_form(&tr));
    }
    let l = link.clone();
    let target = state.blocking(move |conn, _| staff::setup_target(conn, &l, Utc::now())).await??;
    let Some(target) = target else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, tr.t(K::BadLink).into()));
    };
    let again = |msg: &str| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            signed_out(&tr, tr.t(K::ChoosePassword), setup_form(&tr, &link, &f.csrf, target.as_deref(), Some(msg))),
        )
            .into_response()
    };
    if f.password != f.repeat {
        return Ok(again(tr.t(K::PasswordsDiffer)));
    }
    let (l, email, password) = (link.clone(), f.email.clone(), f.password.clone());
    let done =
        state.blocking(move |conn, _| staff::complete_setup(conn, &l, email.as_deref(), &password, Utc::now())).await?;
    match done {
        Ok((member, session)) => {
            tracing::info!(staff_id = member.id, "staff password set");
            Ok(signed_in(&state, &session, "/staff/events"))
        }
        Err(StaffError::WeakPassword) => Ok(again(&tr.f(K::WeakPassword, &[("n", &staff::MIN_PASSWORD_CHARS)]))),
        Err(StaffError::BadEmail(e)) => Ok(again(&tr.f(K::BadEmail, &[("email", &e)]))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    event: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
}

/// What the audit page needs to name subjects: events, designs and series.
struct Names {
    events: Vec<crate::store::events::Event>,
    designs: Vec<crate::store::designs::Design>,
    series: Vec<crate::store::series::Series>,
}

impl Names {
    fn event_link(&self, e: &crate::store::events::Event) -> Markup {
        html! { a href={ "/staff/events/" (e.slug) } translate="no" { (e.title) } }
    }

    /// The subject of an audit line as a link with a name where it is an event, a design, a
    /// series or a certificate (its code as printed); else as recorded.
    fn subject(&self, action: &str, subject: &str) -> Markup {
        let family = action.split('.').next().unwrap_or("");
        if let Some(id) = subject.strip_prefix("event ").and_then(|i| i.parse::<i64>().ok())
            && let Some(e) = self.events.iter().find(|e| e.id == id)
        {
            return self.event_link(e);
        }
        if let Some(d) = self.design(subject) {
            return d;
        }
        let series = subject.strip_prefix("series ").or((family == "series").then_some(subject));
        if let Some(s) = series.and_then(|slug| self.series.iter().find(|s| s.slug == slug)) {
            return html! { a href={ "/staff/series/" (s.slug) } translate="no" { (s.title) } };
        }
        if matches!(family, "event" | "people" | "attendance" | "import")
            && let Some(e) = self.events.iter().find(|e| e.slug == subject)
        {
            return self.event_link(e);
        }
        if matches!(action, "certificate.revoke" | "certificate.reissue" | "delivery.resend") {
            return html! { a href={ "/staff/certificates/" (subject) } { code translate="no" { (crate::issuance::grouped(subject)) } } };
        }
        html! { span translate="no" { (subject) } }
    }

    /// `design {id}` as the design's name, linked.
    fn design(&self, text: &str) -> Option<Markup> {
        let id = text.strip_prefix("design ")?.parse::<i64>().ok()?;
        let d = self.designs.iter().find(|d| d.id == id)?;
        Some(html! { a href={ "/staff/designs/" (d.id) } translate="no" { (d.name) } })
    }

    /// The detail, with a design named and a new certificate's code as printed.
    fn detail(&self, detail: &str) -> Markup {
        if let Some(d) = self.design(detail) {
            return d;
        }
        if let Some(rest) = detail.strip_prefix("superseded by ")
            && let Some((id, reason)) = rest.split_once(": ")
        {
            return html! {
                span lang="en" { "superseded by " a href={ "/staff/certificates/" (id) } { code translate="no" { (crate::issuance::grouped(id)) } } ": " (reason) }
            };
        }
        html! { span lang="en" { (detail) } }
    }
}

async fn audit(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<AuditQuery>,
) -> Result<Markup, WebError> {
    let chosen = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let (event, actor, action) = (chosen(&q.event), chosen(&q.actor), chosen(&q.action));
    let (entries, names, (actors, actions)) = state
        .blocking(move |conn, _| -> Result<_, crate::store::StoreError> {
            let events = crate::store::events::list(conn)?;
            let filter = crate::store::certificates::AuditFilter {
                event: event.and_then(|slug| events.iter().find(|e| e.slug == slug).map(|e| (e.id, e.slug.clone()))),
                actor,
                action,
            };
            let entries = crate::store::certificates::audit_filtered(conn, 500, &filter)?;
            let names = Names {
                events,
                designs: crate::store::designs::list(conn)?,
                series: crate::store::series::list(conn)?,
            };
            Ok((entries, names, crate::store::certificates::audit_actors_and_actions(conn)?))
        })
        .await??;
    let tr = &user.tr;
    Ok(layout(
        Some(&user),
        tr.t(K::NavAudit),
        html! {
            h1 { (tr.t(K::NavAudit)) }
            form.card.filters method="get" action="/staff/audit" {
                div {
                    label for="f-event" { (tr.t(K::AuditEvent)) }
                    select #f-event name="event" {
                        option value="" { (tr.t(K::AuditAll)) }
                        @for e in &names.events { option value=(e.slug) selected[q.event == e.slug] translate="no" { (e.title) } }
                    }
                }
                div {
                    label for="f-actor" { (tr.t(K::Who)) }
                    select #f-actor name="actor" {
                        option value="" { (tr.t(K::AuditAll)) }
                        @for a in &actors { option value=(a) selected[&q.actor == a] translate="no" { (a) } }
                    }
                }
                div {
                    label for="f-action" { (tr.t(K::What)) }
                    select #f-action name="action" {
                        option value="" { (tr.t(K::AuditAll)) }
                        @for a in &actions { option value=(a) selected[&q.action == a] translate="no" { (a) } }
                    }
                }
                div { button type="submit" { (tr.t(K::AuditShow)) } }
            }
            p.muted { (tr.m(K::AuditIntro, &[("n", html! { (tr.num(500)) })])) }
            @if entries.is_empty() {
                p { (tr.t(K::AuditNone)) }
            } @else {
                div.scroll tabindex="0" {
                    table {
                        thead { tr { th { (tr.t(K::WhenUtc)) } th { (tr.t(K::Who)) } th { (tr.t(K::Role)) } th { (tr.t(K::What)) } th { (tr.t(K::Subject)) } th { (tr.t(K::Detail)) } } }
                        tbody {
                            @for a in &entries {
                                @let role = a.role.as_deref().and_then(|r| r.parse().ok()).map(|r| role_name(tr, r)).unwrap_or("");
                                tr {
                                    td.nowrap { (tr.stored(&a.at)) }
                                    td translate="no" { (a.actor) }
                                    td { (role) }
                                    td { code { (a.action) } }
                                    td { (names.subject(&a.action, &a.subject)) }
                                    td.small { (names.detail(&a.detail)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The switcher's target: keeps the choice in a cookie for a year and goes back to the page.
/// A GET, without sign-in or CSRF token, because it changes only how pages are written (and
/// must work on the sign-in page); `next` is checked like the sign-in's.
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let Some(lang) = Lang::parse(&code).filter(|l| l.code() == code) else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, format!("No console language \"{code}\" (en, fr).")));
    };
    let secure = if state.config().public_url.starts_with("https://") { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/staff; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        text::LANG_COOKIE,
        lang.code(),
        365 * 24 * 3600
    );
    let mut res = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ASCII"));
    Ok(res)
}

pub(super) fn routes(max_upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/staff", get(|| async { Redirect::to("/staff/events") }))
        .route("/staff/login", get(login_page).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/setup/{link}", get(setup_page).post(setup))
        .route("/staff/language/{code}", get(switch_language))
        .route("/staff/audit", get(audit))
        .merge(events::routes())
        .merge(uploads::routes(max_upload_bytes))
        .merge(people::routes())
        .merge(certificates::routes())
        .merge(series::routes())
        .merge(delivery::routes())
        .merge(designs::routes())
}
