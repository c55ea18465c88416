//! Events: the list, creating and editing one, and its overview page (uploads, attendance
//! summary, certificates, and what to do next).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::text::{K, Tr};
use super::{Done, StaffUser, form_error, layout};
use crate::attendance::Rule;
use crate::language::Language;
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

/// A certificate language by its own name (as language choosers write it), marked with its
/// language.
pub(super) fn language_name(l: Language) -> Markup {
    html! { span lang=(l.code()) { (l.name()) } }
}

/// The attendance rule as a phrase of the page's language.
pub(super) fn rule(tr: &Tr, r: Rule) -> String {
    match r {
        Rule::MinPercent(p) => tr.f(K::RuleMinPercent, &[("p", &p)]),
        Rule::MinMinutes(m) => tr.n(K::RuleMinMinutes, m as usize, &[]),
    }
}

/// The zone suggestions shared by the event and upload forms.
pub(super) fn zone_list() -> Markup {
    html! { datalist #zones { @for z in ZONES { option value=(z) {} } } }
}

pub(super) fn when(tr: &Tr, e: &Event) -> String {
    match e.window() {
        Some(w) => format!(
            "{} – {} {}",
            tr.datetime(&w.start.with_timezone(&e.tz())),
            w.end.with_timezone(&e.tz()).format("%H:%M"),
            e.timezone
        ),
        None => tr.t(K::FromTheExports).into(),
    }
}

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let rows = state
        .blocking(|conn, _| -> Result<Vec<(Event, usize)>, store::StoreError> {
            store::events::list(conn)?
                .into_iter()
                .map(|e| {
                    let (valid, _) = store::certificates::status_counts(conn, e.id)?;
                    Ok((e, valid))
                })
                .collect()
        })
        .await??;
    let tr = &user.tr;
    Ok(layout(
        Some(&user),
        tr.t(K::NavEvents),
        html! {
            div.titlebar {
                h1 { (tr.t(K::NavEvents)) }
                a.button href="/staff/events/new" { (tr.t(K::NewEvent)) }
            }
            @if rows.is_empty() {
                section.card { p { (tr.t(K::NoEventsYet)) } }
            } @else {
                div.scroll tabindex="0" {
                    table {
                        thead { tr { th { (tr.t(K::Event)) } th { (tr.t(K::When)) } th { (tr.t(K::Language)) } th { (tr.t(K::Rule)) } th.num { (tr.t(K::Certificates)) } } }
                        tbody {
                            @for (e, n) in &rows {
                                tr {
                                    td { a href={ "/staff/events/" (e.slug) } translate="no" { (e.title) } br; span.muted translate="no" { (e.slug) } }
                                    td { (when(tr, e)) }
                                    td { (language_name(e.language)) }
                                    td { (rule(tr, e.rule)) }
                                    td.num { (tr.num(*n as i64)) }
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
            language: self.language.parse()?,
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
    let tr = &user.tr;
    let local = |t: Option<chrono::DateTime<Utc>>, e: &Event| {
        t.map(|t| t.with_timezone(&e.tz()).format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
    };
    let (action, button) = match event {
        Some(e) => (format!("/staff/events/{}/edit", e.slug), tr.t(K::SaveChanges)),
        None => ("/staff/events".to_owned(), tr.t(K::CreateEvent)),
    };
    let (kind, value) = match event.map(|e| e.rule) {
        Some(Rule::MinMinutes(m)) => ("min_minutes", m),
        Some(Rule::MinPercent(p)) => ("min_percent", p),
        None => ("min_percent", 75),
    };
    let lang = event.map_or(Language::En, |e| e.language);
    html! {
        form.card.grid method="post" action=(action) {
            (user.csrf_field())
            @if event.is_none() {
                div.full {
                    label for="slug" { (tr.t(K::SlugLabel)) }
                    input #slug type="text" name="slug" required pattern="[a-z0-9_-]{1,64}" placeholder="help-2025-03-14";
                }
            }
            div.full {
                label for="title" { (tr.t(K::TitleLabel)) }
                input #title type="text" name="title" required value=[event.map(|e| &e.title)];
            }
            div.full {
                label for="series" { (tr.t(K::SeriesLabel)) }
                input #series type="text" name="series" value=[event.and_then(|e| e.series.as_ref())];
            }
            div {
                label for="starts" { (tr.t(K::StartsLabel)) }
                input #starts type="datetime-local" name="starts" value=[event.map(|e| local(e.starts_at, e))];
            }
            div {
                label for="ends" { (tr.t(K::EndsLabel)) }
                input #ends type="datetime-local" name="ends" value=[event.map(|e| local(e.ends_at, e))];
            }
            div {
                label for="timezone" { (tr.t(K::TimeZone)) }
                input #timezone type="text" name="timezone" list="zones" required value=(event.map_or("Europe/Paris", |e| e.timezone.name()));
                (zone_list())
            }
            div {
                label for="language" { (tr.t(K::CertificateLanguage)) }
                select #language name="language" {
                    @for l in Language::ALL {
                        option value=(l.code()) lang=(l.code()) selected[l == lang] { (l.name()) }
                    }
                }
            }
            div {
                label for="rule_kind" { (tr.t(K::AttendanceRule)) }
                select #rule_kind name="rule_kind" {
                    option value="min_percent" selected[kind == "min_percent"] { (tr.t(K::RulePercentOption)) }
                    option value="min_minutes" selected[kind == "min_minutes"] { (tr.t(K::RuleMinutesOption)) }
                }
            }
            div {
                label for="rule_value" { (tr.t(K::Value)) }
                input #rule_value type="number" name="rule_value" min="0" max="1440" required value=(value);
            }
            div {
                label for="template" { (tr.t(K::TemplateLabel)) }
                select #template name="template" {
                    option value="" { (tr.t(K::TemplateOwn)) }
                    @for t in templates {
                        option value=(t) selected[event.and_then(|e| e.template.as_deref()) == Some(t.as_str())] { (t) }
                    }
                }
            }
            div.check {
                label {
                    input type="checkbox" name="panelists_eligible" value="on" checked[event.is_some_and(|e| e.panelists_eligible)];
                    " " (tr.t(K::PanelistsToo))
                }
            }
            div.full {
                label for="teams_presenters" { (tr.t(K::TeamsPresenterRole)) }
                @let current = event.map_or("auto", |e| e.teams_presenters.as_str());
                select #teams_presenters name="teams_presenters" {
                    option value="auto" selected[current == "auto"] { (tr.t(K::PresentersAuto)) }
                    option value="attendee" selected[current == "attendee"] { (tr.t(K::PresentersAttendee)) }
                    option value="panelist" selected[current == "panelist"] { (tr.t(K::PresentersPanelist)) }
                }
            }
            p.muted.full { (tr.t(K::LeaveTimesEmpty)) }
            div.full { button type="submit" { (button) } }
        }
    }
}

async fn new_page(State(state): State<AppState>, user: StaffUser) -> Markup {
    let templates = state.template_names();
    let title = user.tr.t(K::NewEvent);
    layout(Some(&user), title, html! { h1 { (title) } (form(&user, None, &templates)) })
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
        Ok(e) => Ok(Done::EventCreated.on(&format!("/staff/events/{}", e.slug)).into_response()),
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
    let tr = &user.tr;
    Ok(layout(
        Some(&user),
        tr.t(K::EditEvent),
        html! {
            h1 { (tr.m(K::EditTitle, &[("title", html! { span translate="no" { (e.title) } })])) }
            p.muted { (tr.t(K::IssuedKeepWhatTheyPrint)) }
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
        Ok(e) => Ok(Done::EventSaved.on(&format!("/staff/events/{}", e.slug)).into_response()),
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
    /// The design the next certificates are printed with; `None`: the built-in one.
    design: Option<store::designs::Design>,
}

fn overview(conn: &store::Conn, slug: &str) -> Result<Overview, crate::issuance::IssueError> {
    let event = store::events::get(conn, slug)?;
    let (window, window_source) = store::events::effective_window(conn, &event)?;
    let uploads = store::imports::list_uploads(conn, &event)?;
    // Counts from the database: the page costs the same for 10 people as for 10,000.
    let summary = store::people::summary(conn, &event)?;
    let (valid, revoked) = store::certificates::status_counts(conn, event.id)?;
    Ok(Overview {
        window,
        window_source,
        uploads,
        people: summary.people,
        eligible: summary.eligible,
        review: summary.review,
        to_issue: summary.to_issue,
        valid,
        revoked,
        design: store::designs::current_for_event(conn, event.id)?,
        event,
    })
}

async fn show(State(state): State<AppState>, user: StaffUser, Path(slug): Path<String>) -> Result<Response, WebError> {
    let o = match state.blocking(move |conn, _| overview(conn, &slug)).await? {
        Ok(o) => o,
        Err(crate::issuance::IssueError::Store(store::StoreError::NoSuchEvent(s))) => {
            return Err(WebError::Status(StatusCode::NOT_FOUND, user.tr.f(K::NoSuchEvent, &[("slug", &s)])));
        }
        Err(e) => return Err(WebError::internal(e.to_string())),
    };
    let e = &o.event;
    let tr = &user.tr;
    let base = format!("/staff/events/{}", e.slug);
    let source = match o.window_source {
        "event" => tr.t(K::FromTheEvent),
        "export header" => tr.t(K::FromTheExportHeader),
        _ => tr.t(K::FromUnknown),
    };
    let body = html! {
        div.titlebar {
            div { h1 translate="no" { (e.title) } @if let Some(s) = &e.series { p.muted translate="no" { (s) } } }
            div.actions {
                a.button.secondary href={ (base) "/edit" } { (tr.t(K::Edit)) }
                a.button.secondary href={ (base) "/design" } { (tr.t(K::DesignButton)) }
            }
        }
        section.card {
            dl {
                dt { (tr.t(K::ShortName)) } dd { code { (e.slug) } }
                dt { (tr.t(K::DesignButton)) } dd {
                    @match &o.design {
                        Some(d) => a href={ "/staff/designs/" (d.id) } translate="no" { (d.name) },
                        None => (tr.t(K::BuiltInDesign)),
                    }
                }
                dt { (tr.t(K::Session)) } dd {
                    @match &o.window {
                        Some(w) => {
                            (tr.datetime(&w.start.with_timezone(&e.tz()))) " – "
                            (w.end.with_timezone(&e.tz()).format("%H:%M")) " " (e.timezone) " "
                            (tr.f(K::SessionLength, &[("min", &tr.num(w.seconds() / 60)), ("source", &source)]))
                        }
                        None => (tr.t(K::SessionUnknown)),
                    }
                }
                dt { (tr.t(K::Rule)) } dd { (rule(tr, e.rule)) @if e.panelists_eligible { " " (tr.t(K::PanelistsIncluded)) } }
                dt { (tr.t(K::TeamsPresenters)) } dd {
                    (match e.teams_presenters.as_str() {
                        "attendee" => tr.t(K::PresentersAttendee),
                        "panelist" => tr.t(K::PresentersPanelist),
                        _ => tr.t(K::PresentersAuto),
                    })
                }
                dt { (tr.t(K::Language)) } dd {
                    (language_name(e.language))
                    @if let Some(t) = &e.template { " " (tr.m(K::WithTemplate, &[("template", html! { span translate="no" { (t) } })])) }
                }
            }
        }
        section.card {
            h2 { "1. " (tr.t(K::AttendanceExports)) }
            @if o.uploads.is_empty() {
                p { (tr.t(K::NothingUploaded)) }
            } @else {
                div.scroll tabindex="0" {
                    table {
                        thead { tr { th { (tr.t(K::File)) } th { (tr.t(K::Format)) } th { (tr.t(K::Zone)) } th.num { (tr.t(K::Rows)) } th.num { (tr.t(K::RowErrors)) } th { (tr.t(K::ImportedUtc)) } } }
                        tbody {
                            @for u in &o.uploads {
                                tr {
                                    td translate="no" { (u.file_name) } td translate="no" { (u.format) } td translate="no" { (u.timezone) }
                                    td.num { (tr.num(u.rows)) } td.num { (tr.num(u.errors)) } td.nowrap { (tr.stored(&u.imported_at)) }
                                }
                            }
                        }
                    }
                }
            }
            (super::uploads::form(&user, e))
        }
        section.card {
            h2 { "2. " (tr.t(K::Attendance)) }
            p {
                (tr.n(K::PeopleN, o.people, &[])) (tr.t(K::Semicolon)) strong { (tr.n(K::EligibleN, o.eligible, &[])) }
                @if o.review > 0 { (tr.t(K::Semicolon)) span.warn { (tr.n(K::ToReviewN, o.review, &[])) } }
                "."
            }
            a.button.secondary href={ (base) "/attendance" } { (tr.t(K::AttendanceButton)) }
        }
        section.card {
            h2 { "3. " (tr.t(K::Certificates)) }
            p {
                (tr.n(K::ValidN, o.valid, &[]))
                @if o.revoked > 0 { ", " (tr.n(K::RevokedN, o.revoked, &[])) }
                (tr.t(K::Semicolon)) (tr.n(K::EligibleWithoutN, o.to_issue, &[])) "."
            }
            div.actions {
                @if o.to_issue > 0 {
                    form.inline method="post" action={ (base) "/issue" } {
                        (user.csrf_field())
                        button type="submit" { (tr.n(K::IssueN, o.to_issue, &[])) }
                    }
                }
                a.button.secondary href={ (base) "/certificates" } { (tr.t(K::AllCertificates)) }
                @if o.valid > 0 { a.button.secondary href={ (base) "/delivery" } { (tr.t(K::SendByEmail)) } }
                @if o.valid > 0 {
                    a.button.secondary href={ (base) "/certificates.zip" } download { (tr.t(K::DownloadZipManifest)) }
                    a.button.secondary href={ (base) "/certificates.pdf" } download title=(tr.t(K::PrintFileHint)) { (tr.t(K::PrintFile)) }
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
