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

mod audit;
mod certificates;
pub(in crate::web) mod delivery;
mod designs;
mod events;
mod form;
mod people;
mod series;
mod sign_in;

pub(super) use sign_in::signed_in;
pub(crate) mod text;
mod uploads;

pub use uploads::Pending;

pub(super) use text::Tr;
use text::{K, Lang};

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, RawForm, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{AppState, WebError};
use crate::staff::{self, Member, StaffError};

pub(super) const SESSION_COOKIE: &str = "attest_session";
pub(super) const PRE_SESSION_COOKIE: &str = "attest_form";

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

    /// Whether this member's role may call `method template` (a route as `web::access::RULES`
    /// spells it): pages show a button or form only when it would not answer 403.
    pub(super) fn may(&self, method: &str, template: &str) -> bool {
        super::access::allows(self.member.role, method, template)
    }

    /// A page of the console: `body` in the frame for this signed-in member, in their language
    /// and with the links their role may follow. The pages before sign-in have [`signed_out`],
    /// in the browser's language.
    pub(super) fn page(&self, title: &str, body: Markup) -> Markup {
        frame(&self.tr, Some(self), title, false, body)
    }

    fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

/// A form posted by a signed-in member of staff, its CSRF token checked: how every console POST
/// with a urlencoded body begins, written once so that no handler can forget the check. The form
/// is read first and the token checked after, as each handler did by hand: a body that is not the
/// form answers as axum answers it, a token that is missing or not this session's is refused with
/// [`forbidden_form`]. The token is the body's first `csrf` field, so `T` need not name it.
/// (Multipart forms read their token from the parts themselves, after the files.)
pub struct StaffForm<T>(pub StaffUser, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = StaffUser::from_request_parts(&mut parts, state).await?;
        // Read once, then parsed as `T` by `Form` itself, so its refusals stay axum's own.
        let RawForm(bytes) = RawForm::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let token = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
        let axum::Form(form) = axum::Form::<T>::from_request(Request::from_parts(parts, Body::from(bytes)), state)
            .await
            .map_err(IntoResponse::into_response)?;
        user.check_csrf(token.as_deref().unwrap_or("")).map_err(IntoResponse::into_response)?;
        Ok(StaffForm(user, form))
    }
}

/// The app, the signed-in member of staff and the path's parameters `P` (an event's slug, a
/// design's id), read in that order, as when each handler listed `State`, [`StaffUser`] and
/// `Path` itself: how the console's pages of one thing begin (and the uploads, whose multipart
/// body is read after).
pub struct UserOn<P = String>(pub AppState, pub StaffUser, pub P);

impl<P: DeserializeOwned + Send> FromRequestParts<AppState> for UserOn<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = StaffUser::from_request_parts(parts, state).await?;
        let Path(p) = Path::<P>::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        Ok(UserOn(state.clone(), user, p))
    }
}

/// A [`StaffForm`] posted about the one thing the path names (an event's or a series' slug, a
/// certificate's id), with the app: what most console POSTs take. The path is read before the
/// form, as when each handler listed `State`, `Path` and `StaffForm` itself, so a request that
/// fails twice is refused for the same reason as before.
pub struct PostedOn<T>(pub AppState, pub String, pub StaffUser, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PostedOn<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Path(key) =
            Path::<String>::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        let StaffForm(user, form) = StaffForm::from_request(Request::from_parts(parts, body), state).await?;
        Ok(PostedOn(state.clone(), key, user, form))
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
                Err(Redirect::to(&format!("/staff/login?next={}", crate::encoding::percent_path(next))).into_response())
            }
        }
    }
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
                @let href = format!("/staff/language/{}?next={}", l.code(), crate::encoding::percent_path(&tr.here));
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
    (status, user.page(title, body)).into_response()
}

/// The page of work the library stopped (an import refused, an issue that failed): `message` in
/// the library's words, which are English and marked so, then what became of the work (`after`:
/// nothing stored, what was issued is kept) and the way back.
pub(super) fn stopped(
    user: &StaffUser,
    status: StatusCode,
    title: &str,
    message: &str,
    after: &str,
    back: &str,
) -> Response {
    let body = html! {
        section.card.problem role="alert" {
            h1 { (title) }
            p.pre lang="en" { (message) }
            p { (after) }
            p { a href=(back) { "← " (user.tr.t(K::Back)) } }
        }
    };
    (status, user.page(title, body)).into_response()
}

/// The page for an action the member's role does not allow (web::access refuses before the
/// handler runs): which role it needs, and who can give it.
pub(super) fn role_refused(user: &StaffUser, needed: crate::staff::Role) -> Response {
    let tr = &user.tr;
    let message =
        tr.f(K::RoleRefused, &[("role", &role_name(tr, user.member.role)), ("needed", &role_name(tr, needed))]);
    problem(user, StatusCode::FORBIDDEN, tr.t(K::RoleRefusedTitle), &message, "/staff/events")
}

pub(super) fn role_name(tr: &Tr, role: crate::staff::Role) -> &'static str {
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
    let provider = if provider.is_empty() { tr.t(K::SsoProviderUnnamed) } else { provider };
    let body = html! {
        section.card.narrow.problem role="alert" {
            h1 { (title) }
            p { (sentence(tr.f(key, &[("provider", &provider)]))) }
            p.muted { (tr.f(K::SsoReasonCode, &[("code", &why.code())])) }
            p { a href="/staff/login" { "← " (tr.t(K::SignIn)) } }
        }
    };
    (status, signed_out(tr, title, body)).into_response()
}

/// `s` with a capital first letter: an unnamed provider's words begin some sentences.
fn sentence(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

/// A form with nothing to type (a button such as Issue or Sign out): only its CSRF token, which
/// [`StaffForm`] reads.
#[derive(Deserialize)]
pub(super) struct NoFields {}

#[derive(Deserialize, Default)]
pub(super) struct NextQuery {
    pub next: Option<String>,
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

fn forbidden_form(tr: &Tr) -> WebError {
    WebError::Status(StatusCode::FORBIDDEN, tr.t(K::FormExpired).into())
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
        .merge(sign_in::routes())
        .route("/staff/language/{code}", get(switch_language))
        .merge(audit::routes())
        .merge(events::routes())
        .merge(uploads::routes(max_upload_bytes))
        .merge(people::routes())
        .merge(certificates::routes())
        .merge(series::routes())
        .merge(delivery::routes())
        .merge(designs::routes())
}
