//! Events: the list, creating and editing one, and its overview page (uploads, attendance
//! summary, certificates, and what to do next).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};

use super::form::{Fields, Sent, field, sent_back};
use super::text::{K, Tr};
use super::{Done, PostedOn, StaffForm, StaffUser, UserOn};
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
    Ok(user.page(
        tr.t(K::NavEvents),
        html! {
            div.titlebar {
                h1 { (tr.t(K::NavEvents)) }
                @if user.may("GET", "/staff/events/new") { a.button href="/staff/events/new" { (tr.t(K::NewEvent)) } }
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

/// Reads the event form in the console's words: every problem is said next to its field (so
/// one post says all of them), the store's own checks run after these as a safety net.
fn read_event(tr: &Tr, f: &Fields, sent: &mut Sent, slug: &str, new: bool) -> Option<NewEvent> {
    let v = |k: &str| field(f, k).trim();
    if new
        && !(!slug.is_empty()
            && slug.len() <= 64
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
    {
        sent.refuse("slug", tr.t(K::FormSlug));
    }
    if v("title").is_empty() {
        sent.refuse("title", tr.t(K::FormTitleEmpty));
    }
    let tz = store::events::parse_zone(v("timezone"))
        .map_err(|_| sent.refuse("timezone", tr.f(K::FormZone, &[("zone", &v("timezone"))])))
        .ok();
    let mut time = |k: &str| -> Option<Option<chrono::DateTime<Utc>>> {
        if v(k).is_empty() {
            return Some(None);
        }
        let tz = tz?;
        match store::events::local_time(v(k), tz) {
            Ok(t) => Some(Some(t)),
            Err(_) => {
                sent.refuse(k, tr.f(K::FormDateTime, &[("value", &v(k)), ("zone", &tz.name())]));
                None
            }
        }
    };
    let (starts, ends) = (time("starts"), time("ends"));
    match (starts, ends) {
        (Some(Some(s)), Some(Some(e))) if e <= s => sent.refuse("ends", tr.t(K::FormEndsBefore)),
        (Some(Some(_)), Some(None)) => sent.refuse("ends", tr.t(K::FormBothTimes)),
        (Some(None), Some(Some(_))) => sent.refuse("starts", tr.t(K::FormBothTimes)),
        _ => {}
    }
    let percent = v("rule_kind") != "min_minutes";
    let value = match v("rule_value").parse::<u32>() {
        Ok(p) if percent && p > 100 => {
            sent.refuse("rule_value", tr.t(K::FormPercentOver));
            None
        }
        Ok(n) if n > 1440 => {
            sent.refuse("rule_value", tr.t(K::FormMinutesOver));
            None
        }
        Ok(n) => Some(n),
        Err(_) => {
            sent.refuse("rule_value", tr.f(K::FormWholeNumber, &[("value", &v("rule_value"))]));
            None
        }
    };
    if sent.refused() {
        return None;
    }
    let opt = |k: &str| Some(v(k).to_owned()).filter(|s| !s.is_empty());
    Some(NewEvent {
        slug: slug.to_owned(),
        title: v("title").to_owned(),
        series: opt("series"),
        starts_at: starts.flatten(),
        ends_at: ends.flatten(),
        timezone: tz?,
        language: v("language").parse().unwrap_or_default(),
        rule: if percent { Rule::MinPercent(value?) } else { Rule::MinMinutes(value?) },
        panelists_eligible: !field(f, "panelists_eligible").is_empty(),
        template: opt("template"),
    })
}

fn form(user: &StaffUser, event: Option<&Event>, templates: &[String], sent: &Sent) -> Markup {
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
    let kind = sent.val("rule_kind", kind);
    let lang = sent.val("language", event.map_or(Language::En, |e| e.language).code());
    let template = sent.val("template", event.and_then(|e| e.template.clone()).unwrap_or_default());
    let presenters = sent.val("teams_presenters", event.map_or("auto", |e| e.teams_presenters.as_str()));
    // One text field with its label, kept value and message.
    let text = |id: &str, label: K, kind: &str, value: String, required: bool| {
        html! {
            label for=(id) { (tr.t(label)) }
            input id=(id) type=(kind) name=(id) required[required] value=(value)
                list=[(id == "timezone").then_some("zones")]
                aria-invalid=[sent.invalid(id)] aria-describedby=[sent.described(id)];
            (sent.note(id))
        }
    };
    html! {
        form.card.grid method="post" action=(action) novalidate {
            div.full { (sent.summary(tr)) }
            (user.csrf_field())
            @if event.is_none() {
                div.full {
                    label for="slug" { (tr.t(K::SlugLabel)) }
                    input #slug type="text" name="slug" required pattern="[a-z0-9_-]{1,64}" placeholder="help-2025-03-14"
                        value=(sent.val("slug", "")) aria-invalid=[sent.invalid("slug")] aria-describedby=[sent.described("slug")];
                    (sent.note("slug"))
                }
            }
            div.full { (text("title", K::TitleLabel, "text", sent.val("title", event.map(|e| e.title.clone()).unwrap_or_default()), true)) }
            div.full { (text("series", K::SeriesLabel, "text", sent.val("series", event.and_then(|e| e.series.clone()).unwrap_or_default()), false)) }
            div { (text("starts", K::StartsLabel, "datetime-local", sent.val("starts", event.map(|e| local(e.starts_at, e)).unwrap_or_default()), false)) }
            div { (text("ends", K::EndsLabel, "datetime-local", sent.val("ends", event.map(|e| local(e.ends_at, e)).unwrap_or_default()), false)) }
            div {
                (text("timezone", K::TimeZone, "text", sent.val("timezone", event.map_or("Europe/Paris", |e| e.timezone.name())), true))
                (zone_list())
            }
            div {
                label for="language" { (tr.t(K::CertificateLanguage)) }
                select #language name="language" {
                    @for l in Language::ALL {
                        option value=(l.code()) lang=(l.code()) selected[l.code() == lang] { (l.name()) }
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
            div { (text("rule_value", K::Value, "number", sent.val("rule_value", value.to_string()), true)) }
            div {
                label for="template" { (tr.t(K::TemplateLabel)) }
                select #template name="template" {
                    option value="" { (tr.t(K::TemplateOwn)) }
                    @for t in templates {
                        option value=(t) selected[template == *t] { (t) }
                    }
                }
            }
            div.check {
                label {
                    input type="checkbox" name="panelists_eligible" value="on" checked[sent.checked("panelists_eligible", event.is_some_and(|e| e.panelists_eligible))];
                    " " (tr.t(K::PanelistsToo))
                }
            }
            div.full {
                label for="teams_presenters" { (tr.t(K::TeamsPresenterRole)) }
                select #teams_presenters name="teams_presenters" {
                    option value="auto" selected[presenters == "auto"] { (tr.t(K::PresentersAuto)) }
                    option value="attendee" selected[presenters == "attendee"] { (tr.t(K::PresentersAttendee)) }
                    option value="panelist" selected[presenters == "panelist"] { (tr.t(K::PresentersPanelist)) }
                }
            }
            p.muted.full { (tr.t(K::LeaveTimesEmpty)) }
            div.full { button type="submit" { (button) } }
        }
    }
}

fn new_event_page(state: &AppState, user: &StaffUser, sent: &Sent) -> Markup {
    let templates = state.template_names();
    let title = user.tr.t(K::NewEvent);
    user.page(title, html! { h1 { (title) } (form(user, None, &templates, sent)) })
}

async fn new_page(State(state): State<AppState>, user: StaffUser) -> Markup {
    new_event_page(&state, &user, &Sent::default())
}

async fn create(State(state): State<AppState>, StaffForm(user, f): StaffForm<Fields>) -> Result<Response, WebError> {
    let mut sent = Sent::posted("", f.clone());
    let slug = field(&f, "slug").trim().to_owned();
    let Some(new) = read_event(&user.tr, &f, &mut sent, &slug, true) else {
        return Ok(sent_back(new_event_page(&state, &user, &sent)));
    };
    let actor = user.member.email.clone();
    let presenters = Some(field(&f, "teams_presenters").to_owned()).filter(|p| !p.is_empty());
    let created = state
        .blocking(move |conn, _| -> Result<Event, store::StoreError> {
            let e = store::events::create(conn, &new, &actor, Utc::now())?;
            crate::web::with_teams_presenters(conn, e, presenters.as_deref(), &actor)
        })
        .await?;
    match created {
        Ok(e) => Ok(Done::EventCreated.on(&format!("/staff/events/{}", e.slug)).into_response()),
        Err(store::StoreError::DuplicateEvent(s)) => {
            sent.refuse("slug", user.tr.f(K::FormSlugTaken, &[("slug", &s)]));
            Ok(sent_back(new_event_page(&state, &user, &sent)))
        }
        Err(e) => {
            sent.refuse_from(e)?;
            Ok(sent_back(new_event_page(&state, &user, &sent)))
        }
    }
}

fn edit_event_page(state: &AppState, user: &StaffUser, e: &Event, sent: &Sent) -> Markup {
    let templates = state.template_names();
    let tr = &user.tr;
    user.page(
        tr.t(K::EditEvent),
        html! {
            h1 { (tr.m(K::EditTitle, &[("title", html! { span translate="no" { (e.title) } })])) }
            p.muted { (tr.t(K::IssuedKeepWhatTheyPrint)) }
            (form(user, Some(e), &templates, sent))
        },
    )
}

async fn edit_page(UserOn(state, user, slug): UserOn) -> Result<Markup, WebError> {
    let e = state.blocking(move |conn, _| store::events::get(conn, &slug)).await??;
    Ok(edit_event_page(&state, &user, &e, &Sent::default()))
}

async fn update(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let s = slug.clone();
    let current = state.blocking(move |conn, _| store::events::get(conn, &s)).await??;
    let mut sent = Sent::posted("", f.clone());
    let Some(new) = read_event(&user.tr, &f, &mut sent, &slug, false) else {
        return Ok(sent_back(edit_event_page(&state, &user, &current, &sent)));
    };
    let actor = user.member.email.clone();
    let presenters = Some(field(&f, "teams_presenters").to_owned()).filter(|p| !p.is_empty());
    let s = slug.clone();
    let updated = state
        .blocking(move |conn, _| -> Result<Event, store::StoreError> {
            let e = store::events::update(conn, &s, &new, &actor, Utc::now())?;
            crate::web::with_teams_presenters(conn, e, presenters.as_deref(), &actor)
        })
        .await?;
    match updated {
        Ok(e) => Ok(Done::EventSaved.on(&format!("/staff/events/{}", e.slug)).into_response()),
        Err(e) => {
            sent.refuse_from(e)?;
            Ok(sent_back(edit_event_page(&state, &user, &current, &sent)))
        }
    }
}

/// The event page's main action.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Upload,
    Issue,
    Send,
    Attendance,
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
    /// Current certificates printed with another design than that one.
    redesign: usize,
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
        redesign: crate::issuance::redesign::plan(conn, &event)?.certificates.len(),
        design: store::designs::current_for_event(conn, event.id)?,
        event,
    })
}

async fn show(UserOn(state, user, slug): UserOn) -> Result<Response, WebError> {
    event_page(&state, &user, slug, &Sent::default()).await
}

/// The event's overview; `upload` is a form of the page sent back with what was wrong: the
/// upload form, or (`in_form("issue")`) the Issue button's refusal, said in its card.
#[expect(clippy::too_many_lines, reason = "the overview's four cards, read top to bottom as the page shows them")]
pub(super) async fn event_page(
    state: &AppState,
    user: &StaffUser,
    slug: String,
    upload: &Sent,
) -> Result<Response, WebError> {
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
    // The page's one main action, the next step: upload, then issue, then send (or look at the
    // attendance when nobody is eligible); the others are secondary.
    let next = if o.uploads.is_empty() {
        Next::Upload
    } else if o.to_issue > 0 {
        Next::Issue
    } else if o.valid > 0 {
        Next::Send
    } else {
        Next::Attendance
    };
    let body = html! {
        div.titlebar {
            div { h1 translate="no" { (e.title) } @if let Some(s) = &e.series { p.muted translate="no" { (s) } } }
            div.actions {
                @if user.may("GET", "/staff/events/{slug}/edit") { a.button.secondary href={ (base) "/edit" } { (tr.t(K::Edit)) } }
                @if user.may("GET", "/staff/events/{slug}/design") { a.button.secondary href={ (base) "/design" } { (tr.t(K::DesignButton)) } }
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
                    @if o.redesign > 0 {
                        br; a href={ (base) "/redesign" } { (tr.n(K::RedesignLink, o.redesign, &[])) }
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
            @if user.may("POST", "/staff/events/{slug}/uploads") { (super::uploads::form(user, e, upload, next == Next::Upload)) }
        }
        section.card {
            h2 { "2. " (tr.t(K::Attendance)) }
            p {
                (tr.n(K::PeopleN, o.people, &[])) (tr.t(K::Semicolon)) strong { (tr.n(K::EligibleN, o.eligible, &[])) }
                @if o.review > 0 { (tr.t(K::Semicolon)) span.warn { (tr.n(K::ToReviewN, o.review, &[])) } }
                "."
            }
            a.button.secondary[next != Next::Attendance] href={ (base) "/attendance" } { (tr.t(K::AttendanceButton)) }
        }
        section.card {
            h2 { "3. " (tr.t(K::Certificates)) }
            @if upload.form() == "issue" { (upload.summary(tr)) }
            p {
                (tr.n(K::ValidN, o.valid, &[]))
                @if o.revoked > 0 { ", " (tr.n(K::RevokedN, o.revoked, &[])) }
                (tr.t(K::Semicolon)) (tr.n(K::EligibleWithoutN, o.to_issue, &[])) "."
            }
            div.actions {
                @if o.to_issue > 0 && user.may("POST", "/staff/events/{slug}/issue") {
                    form.inline method="post" action={ (base) "/issue" } {
                        (user.csrf_field())
                        button type="submit" { (tr.n(K::IssueN, o.to_issue, &[])) }
                    }
                }
                a.button.secondary href={ (base) "/certificates" } { (tr.t(K::AllCertificates)) }
                // A viewer reads the delivery page but sends nothing: the link says what it shows.
                @if o.valid > 0 {
                    @let sends = user.may("POST", "/staff/events/{slug}/delivery");
                    a.button.secondary[!sends || next != Next::Send] href={ (base) "/delivery" } {
                        (tr.t(if sends { K::SendByEmail } else { K::EmailDelivery }))
                    }
                }
                @if o.valid > 0 {
                    a.button.secondary href={ (base) "/certificates.zip" } download { (tr.t(K::DownloadZipManifest)) }
                    @if user.may("GET", "/staff/events/{slug}/certificates.pdf") {
                        a.button.secondary href={ (base) "/certificates.pdf" } download title=(tr.t(K::PrintFileHint)) { (tr.t(K::PrintFile)) }
                    }
                }
            }
        }
    };
    Ok(user.page(&e.title, body).into_response())
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events", get(list).post(create))
        .route("/staff/events/new", get(new_page))
        .route("/staff/events/{slug}", get(show))
        .route("/staff/events/{slug}/edit", get(edit_page).post(update))
}
