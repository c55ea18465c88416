//! Events: the list, creating and editing one, and its overview page (uploads, attendance
//! summary, certificates, and what to do next).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::{StaffUser, form_error, layout};
use crate::attendance::Rule;
use crate::store::{self, events::Event, events::NewEvent};
use crate::web::{AppState, WebError};

/// Zones offered first; any IANA name can be typed.
const ZONES: &[&str] = &[
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Madrid",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "America/New_York",
    "UTC",
];

pub(super) fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        other => other,
    }
}

/// The zone suggestions shared by the event and upload forms.
pub(super) fn zone_list() -> Markup {
    html! { datalist #zones { @for z in ZONES { option value=(z) {} } } }
}

pub(super) fn when(e: &Event) -> String {
    match e.window() {
        Some(w) => format!(
            "{} – {} {}",
            w.start.with_timezone(&e.tz()).format("%Y-%m-%d %H:%M"),
            w.end.with_timezone(&e.tz()).format("%H:%M"),
            e.timezone
        ),
        None => "from the exports".into(),
    }
}

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let rows = state
        .blocking(|conn, _| -> Result<Vec<(Event, usize)>, store::StoreError> {
            store::events::list(conn)?
                .into_iter()
                .map(|e| {
                    let n = store::certificates::for_event(conn, e.id)?.iter().filter(|c| c.status == "valid").count();
                    Ok((e, n))
                })
                .collect()
        })
        .await??;
    Ok(layout(
        Some(&user),
        "Events",
        html! {
            div.titlebar {
                h1 { "Events" }
                a.button href="/staff/events/new" { "New event" }
            }
            @if rows.is_empty() {
                section.card { p { "No events yet. Create one, then upload its Zoom or Teams exports." } }
            } @else {
                div.scroll {
                    table {
                        thead { tr { th { "Event" } th { "When" } th { "Language" } th { "Rule" } th.num { "Certificates" } } }
                        tbody {
                            @for (e, n) in &rows {
                                tr {
                                    td { a href={ "/staff/events/" (e.slug) } { (e.title) } br; span.muted { (e.slug) } }
                                    td { (when(e)) }
                                    td { (language_name(&e.language)) }
                                    td { (e.rule.describe()) }
                                    td.num { (n) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// What the event form posts. Empty strings are "not given".
#[derive(Debug, Deserialize)]
pub(super) struct EventForm {
    csrf: String,
    slug: Option<String>,
    title: String,
    #[serde(default)]
    series: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    timezone: String,
    language: String,
    rule_kind: String,
    rule_value: u32,
    panelists_eligible: Option<String>,
    #[serde(default)]
    template: String,
    /// `auto`, `attendee` or `panelist`; absent keeps what the event has.
    #[serde(default)]
    teams_presenters: Option<String>,
}

impl EventForm {
    fn to_new(&self, slug: &str) -> Result<NewEvent, store::StoreError> {
        let tz = store::events::parse_zone(&self.timezone)?;
        let t = |s: &str| (!s.trim().is_empty()).then(|| store::events::local_time(s, tz)).transpose();
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(NewEvent {
            slug: slug.to_owned(),
            title: self.title.clone(),
            series: opt(&self.series),
            starts_at: t(&self.starts)?,
            ends_at: t(&self.ends)?,
            timezone: tz,
            language: self.language.clone(),
            rule: if self.rule_kind == "min_minutes" {
                Rule::MinMinutes(self.rule_value)
            } else {
                Rule::MinPercent(self.rule_value)
            },
            panelists_eligible: self.panelists_eligible.is_some(),
            template: opt(&self.template),
        })
    }
}

fn form(user: &StaffUser, event: Option<&Event>, templates: &[String]) -> Markup {
    let local = |t: Option<chrono::DateTime<Utc>>, e: &Event| {
        t.map(|t| t.with_timezone(&e.tz()).format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
    };
    let (action, button) = match event {
        Some(e) => (format!("/staff/events/{}/edit", e.slug), "Save changes"),
        None => ("/staff/events".to_owned(), "Create event"),
    };
    let (kind, value) = match event.map(|e| e.rule) {
        Some(Rule::MinMinutes(m)) => ("min_minutes", m),
        Some(Rule::MinPercent(p)) => ("min_percent", p),
        None => ("min_percent", 75),
    };
    let lang = event.map_or("en", |e| e.language.as_str());
    html! {
        form.card.grid method="post" action=(action) {
            (user.csrf_field())
            @if event.is_none() {
                div.full {
                    label for="slug" { "Short name (used in links and file names)" }
                    input #slug type="text" name="slug" required pattern="[a-z0-9_-]{1,64}" placeholder="help-2025-03-14";
                }
            }
            div.full {
                label for="title" { "Title, as printed on certificates" }
                input #title type="text" name="title" required value=[event.map(|e| &e.title)];
            }
            div.full {
                label for="series" { "Series (optional)" }
                input #series type="text" name="series" value=[event.and_then(|e| e.series.as_ref())];
            }
            div {
                label for="starts" { "Starts (local time)" }
                input #starts type="datetime-local" name="starts" value=[event.map(|e| local(e.starts_at, e))];
            }
            div {
                label for="ends" { "Ends (local time)" }
                input #ends type="datetime-local" name="ends" value=[event.map(|e| local(e.ends_at, e))];
            }
            div {
                label for="timezone" { "Time zone" }
                input #timezone type="text" name="timezone" list="zones" required value=(event.map_or("Europe/Paris", |e| e.timezone.as_str()));
                (zone_list())
            }
            div {
                label for="language" { "Language of certificates" }
                select #language name="language" {
                    @for (code, name) in [("en", "English"), ("fr", "Français"), ("es", "Español")] {
                        option value=(code) selected[code == lang] { (name) }
                    }
                }
            }
            div {
                label for="rule_kind" { "Attendance rule" }
                select #rule_kind name="rule_kind" {
                    option value="min_percent" selected[kind == "min_percent"] { "At least this % of the session" }
                    option value="min_minutes" selected[kind == "min_minutes"] { "At least this many minutes" }
                }
            }
            div {
                label for="rule_value" { "Value" }
                input #rule_value type="number" name="rule_value" min="0" max="1440" required value=(value);
            }
            div {
                label for="template" { "Certificate template" }
                select #template name="template" {
                    option value="" { "The language's own" }
                    @for t in templates {
                        option value=(t) selected[event.and_then(|e| e.template.as_deref()) == Some(t.as_str())] { (t) }
                    }
                }
            }
            div.check {
                label {
                    input type="checkbox" name="panelists_eligible" value="on" checked[event.is_some_and(|e| e.panelists_eligible)];
                    " Panelists receive certificates too"
                }
            }
            div.full {
                label for="teams_presenters" { "Teams \"Presenter\" role" }
                @let current = event.map_or("auto", |e| e.teams_presenters.as_str());
                select #teams_presenters name="teams_presenters" {
                    option value="auto" selected[current == "auto"] { "From the report: attendee in a meeting, panelist in a webinar or town hall" }
                    option value="attendee" selected[current == "attendee"] { "Attendee (everyone could present)" }
                    option value="panelist" selected[current == "panelist"] { "Panelist (presenters were chosen)" }
                }
            }
            p.muted.full { "Leave start and end empty to take the session's times from the exports' meeting header." }
            div.full { button type="submit" { (button) } }
        }
    }
}

async fn new_page(State(state): State<AppState>, user: StaffUser) -> Markup {
    let templates = state.template_names();
    layout(Some(&user), "New event", html! { h1 { "New event" } (form(&user, None, &templates)) })
}

async fn create(
    State(state): State<AppState>,
    user: StaffUser,
    axum::Form(f): axum::Form<EventForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let slug = f.slug.clone().unwrap_or_default().trim().to_owned();
    let created = state
        .blocking(move |conn, _| -> Result<Event, store::StoreError> {
            let e = store::events::create(conn, &f.to_new(&slug)?, &actor, Utc::now())?;
            match f.teams_presenters.as_deref() {
                Some(r) => store::events::set_teams_presenters(conn, &e.slug, r, &actor, Utc::now()),
                None => Ok(e),
            }
        })
        .await?;
    match created {
        Ok(e) => Ok(Redirect::to(&format!("/staff/events/{}", e.slug)).into_response()),
        Err(e) => Ok(form_error(&user, "/staff/events/new", e)),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
) -> Result<Markup, WebError> {
    let e = state.blocking(move |conn, _| store::events::get(conn, &slug)).await??;
    let templates = state.template_names();
    Ok(layout(
        Some(&user),
        "Edit event",
        html! {
            h1 { "Edit " (e.title) }
            p.muted { "Certificates already issued keep what they print; reissue one to change it." }
            (form(&user, Some(&e), &templates))
        },
    ))
}

async fn update(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<EventForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let s = slug.clone();
    let updated = state
        .blocking(move |conn, _| -> Result<Event, store::StoreError> {
            let e = store::events::update(conn, &s, &f.to_new(&s)?, &actor, Utc::now())?;
            match f.teams_presenters.as_deref() {
                Some(r) => store::events::set_teams_presenters(conn, &e.slug, r, &actor, Utc::now()),
                None => Ok(e),
            }
        })
        .await?;
    match updated {
        Ok(e) => Ok(Redirect::to(&format!("/staff/events/{}", e.slug)).into_response()),
        Err(e) => Ok(form_error(&user, &format!("/staff/events/{slug}/edit"), e)),
    }
}

/// Everything the overview shows, read in one go.
struct Overview {
    event: Event,
    window: Option<crate::attendance::Window>,
    window_source: &'static str,
    uploads: Vec<store::imports::UploadInfo>,
    people: usize,
    eligible: usize,
    review: usize,
    to_issue: usize,
    valid: usize,
    revoked: usize,
}

fn overview(conn: &rusqlite::Connection, slug: &str) -> Result<Overview, crate::issuance::IssueError> {
    let event = store::events::get(conn, slug)?;
    let (window, window_source) = store::events::effective_window(conn, &event)?;
    let uploads = store::imports::list_uploads(conn, &event)?;
    let decisions = store::people::decisions(conn, &event)?;
    let (_, plan) = crate::issuance::plan(conn, &event)?;
    let certs = store::certificates::for_event(conn, event.id)?;
    Ok(Overview {
        window,
        window_source,
        uploads,
        people: decisions.len(),
        eligible: decisions.iter().filter(|d| d.eligible).count(),
        review: decisions.iter().filter(|d| !d.review.is_empty()).count(),
        to_issue: plan.issued.len(),
        valid: certs.iter().filter(|c| c.status == "valid").count(),
        revoked: certs.iter().filter(|c| c.status == "revoked").count(),
        event,
    })
}

async fn show(State(state): State<AppState>, user: StaffUser, Path(slug): Path<String>) -> Result<Response, WebError> {
    let o = match state.blocking(move |conn, _| overview(conn, &slug)).await? {
        Ok(o) => o,
        Err(crate::issuance::IssueError::Store(store::StoreError::NoSuchEvent(s))) => {
            return Err(WebError::Status(StatusCode::NOT_FOUND, format!("No event \"{s}\".")));
        }
        Err(e) => return Err(WebError::internal(e.to_string())),
    };
    let e = &o.event;
    let base = format!("/staff/events/{}", e.slug);
    let body = html! {
        div.titlebar {
            div { h1 { (e.title) } @if let Some(s) = &e.series { p.muted { (s) } } }
            a.button.secondary href={ (base) "/edit" } { "Edit" }
            a.button.secondary href={ (base) "/design" } { "Certificate design" }
        }
        section.card {
            dl {
                dt { "Short name" } dd { code { (e.slug) } }
                dt { "Session" } dd {
                    @match &o.window {
                        Some(w) => {
                            (w.start.with_timezone(&e.tz()).format("%Y-%m-%d %H:%M")) " – "
                            (w.end.with_timezone(&e.tz()).format("%H:%M")) " " (e.timezone)
                            " (" (w.seconds() / 60) " min, from the " (o.window_source) ")"
                        }
                        None => "not known yet: set it, or upload an export with a meeting header",
                    }
                }
                dt { "Rule" } dd { (e.rule.describe()) @if e.panelists_eligible { " (panelists included)" } }
                dt { "Teams presenters" } dd { (e.teams_presenters) }
                dt { "Language" } dd { (language_name(&e.language)) @if let Some(t) = &e.template { " (template " (t) ")" } }
            }
        }
        section.card {
            h2 { "1. Attendance exports" }
            @if o.uploads.is_empty() {
                p { "Nothing uploaded yet." }
            } @else {
                div.scroll {
                    table {
                        thead { tr { th { "File" } th { "Format" } th { "Zone" } th.num { "Rows" } th.num { "Row errors" } th { "Imported (UTC)" } } }
                        tbody {
                            @for u in &o.uploads {
                                tr {
                                    td { (u.file_name) } td { (u.format) } td { (u.timezone) }
                                    td.num { (u.rows) } td.num { (u.errors) } td.nowrap { (u.imported_at) }
                                }
                            }
                        }
                    }
                }
            }
            (super::uploads::form(&user, e))
        }
        section.card {
            h2 { "2. Attendance" }
            p {
                (o.people) " people; " strong { (o.eligible) " eligible" }
                @if o.review > 0 { "; " span.warn { (o.review) " to review" } }
                "."
            }
            a.button.secondary href={ (base) "/attendance" } { "Attendance, review and overrides" }
        }
        section.card {
            h2 { "3. Certificates" }
            p { (o.valid) " valid" @if o.revoked > 0 { ", " (o.revoked) " revoked" } "; " (o.to_issue) " eligible without one." }
            div.actions {
                @if o.to_issue > 0 {
                    form.inline method="post" action={ (base) "/issue" } {
                        (user.csrf_field())
                        button type="submit" { "Issue " (o.to_issue) " certificate" @if o.to_issue != 1 { "s" } }
                    }
                }
                a.button.secondary href={ (base) "/certificates" } { "All certificates" }
                @if o.valid > 0 {
                    a.button.secondary href={ (base) "/certificates.zip" } download { "Download ZIP (PDFs + manifest)" }
                }
            }
        }
    };
    Ok(layout(Some(&user), &e.title, body).into_response())
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events", get(list).post(create))
        .route("/staff/events/new", get(new_page))
        .route("/staff/events/{slug}", get(show))
        .route("/staff/events/{slug}/edit", get(edit_page).post(update))
}
