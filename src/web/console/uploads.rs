//! Uploading exports: one or more files (picked or dropped), the import report with every row
//! error, and the question a file sometimes needs answered (which day/month order, which
//! meeting of several) before it can be read.
//!
//! A file that needs an answer is kept in memory for an hour under a random id, so that staff
//! answer the question instead of uploading again. Nothing of it is stored until it imports.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::{StaffUser, layout, problem};
use crate::import::{ImportError, ImportOptions, dates::DateOrder};
use crate::store::{self, events::Event, imports::Outcome, imports::Upload};
use crate::web::{AppState, WebError};

/// Files waiting for an answer.
pub struct Pending {
    slug: String,
    files: Vec<(String, Vec<u8>)>,
    timezone: String,
    skip_bad_rows: bool,
    created: Instant,
}

/// How long a question waits for its answer.
const PENDING_FOR: Duration = Duration::from_secs(3600);
/// At most this many uploads wait at once (memory bound): the oldest is dropped first.
const PENDING_MAX: usize = 16;

/// The upload form, shown on the event page.
pub(super) fn form(user: &StaffUser, e: &Event) -> Markup {
    html! {
        form.upload method="post" action={ "/staff/events/" (e.slug) "/uploads" } enctype="multipart/form-data" {
            (user.csrf_field())
            label.drop for="files" {
                strong { "Drop Zoom or Teams exports here" }
                span.muted { "or click to choose files (CSV as downloaded; several files of one session are merged)" }
                input #files type="file" name="files" multiple required accept=".csv,.txt,.tsv,text/csv,text/plain";
            }
            div.grid {
                div {
                    label for="timezone" { "Times in the files are in" }
                    input #timezone type="text" name="timezone" list="zones" value=(e.timezone) required;
                    (super::events::zone_list())
                }
                div {
                    label for="date_order" { "Date order" }
                    select #date_order name="date_order" {
                        option value="" { "Decide from the file" }
                        option value="mdy" { "month/day/year (US)" }
                        option value="dmy" { "day/month/year" }
                        option value="ymd" { "year-month-day" }
                    }
                }
            }
            div.check {
                label { input type="checkbox" name="skip_bad_rows" value="on"; " Import the readable rows even if some rows cannot be read (they are kept and listed)" }
            }
            button type="submit" { "Upload and import" }
        }
    }
}

/// One import attempt, with what staff chose.
struct Attempt {
    slug: String,
    files: Vec<(String, Vec<u8>)>,
    timezone: String,
    date_order: Option<DateOrder>,
    meeting: Option<String>,
    skip_bad_rows: bool,
}

fn run(conn: &mut rusqlite::Connection, a: &Attempt, actor: &str) -> Result<Vec<Outcome>, store::StoreError> {
    let event = store::events::get(conn, &a.slug)?;
    let opts = ImportOptions {
        tz: store::events::parse_zone(&a.timezone)?,
        date_order: a.date_order,
        meeting: a.meeting.clone(),
        event_title: Some(event.title.clone()),
        event_window: event.window().map(|w| (w.start, w.end)),
    };
    let uploads: Vec<Upload> = a.files.iter().map(|(n, b)| Upload { file_name: n, bytes: b }).collect();
    store::imports::import_files(conn, &event, &uploads, &opts, a.skip_bad_rows, actor, Utc::now())
}

async fn upload(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let mut csrf = String::new();
    let mut a = Attempt {
        slug,
        files: Vec::new(),
        timezone: String::new(),
        date_order: None,
        meeting: None,
        skip_bad_rows: false,
    };
    let too_big = |e: axum::extract::multipart::MultipartError| WebError::Status(e.status(), e.body_text());
    while let Some(field) = multipart.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "files" => {
                let file = field.file_name().unwrap_or("upload.csv").to_owned();
                let bytes = field.bytes().await.map_err(too_big)?;
                if !bytes.is_empty() || !file.is_empty() {
                    a.files.push((file, bytes.to_vec()));
                }
            }
            other => {
                let value = field.text().await.map_err(too_big)?;
                match other {
                    "csrf" => csrf = value,
                    "timezone" => a.timezone = value,
                    "date_order" => a.date_order = value.parse().ok(),
                    "meeting" => a.meeting = Some(value).filter(|v| !v.is_empty()),
                    "skip_bad_rows" => a.skip_bad_rows = true,
                    _ => {}
                }
            }
        }
    }
    // Checked after reading: the token is a field of the same multipart body.
    user.check_csrf(&csrf)?;
    if a.files.is_empty() {
        return Ok(problem(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "No file",
            "Choose or drop at least one export.",
            &format!("/staff/events/{}", a.slug),
        ));
    }
    attempt(state, user, a).await
}

async fn attempt(state: AppState, user: StaffUser, a: Attempt) -> Result<Response, WebError> {
    let actor = user.member.email.clone();
    let (result, a) = state
        .blocking(move |conn, _| {
            let r = run(conn, &a, &actor);
            (r, a)
        })
        .await?;
    let back = format!("/staff/events/{}", a.slug);
    match result {
        Ok(outcomes) => {
            tracing::info!(event = %a.slug, files = outcomes.len(), "imported from the console");
            Ok(layout(Some(&user), "Import report", report(&a.slug, &outcomes)).into_response())
        }
        Err(store::StoreError::Import(e)) => match &e {
            ImportError::DateOrderUndecided { file, example } => {
                let q = Question::DateOrder { file: file.clone(), example: example.clone() };
                Ok(ask(&state, &user, a, q))
            }
            ImportError::DateOrderContradictory { file, mdy_example, dmy_example } => {
                let q = Question::Contradictory {
                    file: file.clone(),
                    examples: (mdy_example.clone(), dmy_example.clone()),
                };
                Ok(ask(&state, &user, a, q))
            }
            ImportError::WhichMeeting { file, meetings } | ImportError::NoSuchMeeting { file, meetings, .. } => {
                let q = Question::Meeting { file: file.clone(), meetings: meetings.clone() };
                Ok(ask(&state, &user, a, q))
            }
            _ => Ok(problem(
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                "The files were not imported",
                &format!("{e}\n\nNothing was stored."),
                &back,
            )),
        },
        Err(e @ (store::StoreError::Invalid(_) | store::StoreError::NoSuchEvent(_))) => {
            Ok(problem(&user, StatusCode::UNPROCESSABLE_ENTITY, "The files were not imported", &e.to_string(), &back))
        }
        Err(e) => Err(e.into()),
    }
}

enum Question {
    DateOrder { file: String, example: String },
    Contradictory { file: String, examples: (String, String) },
    Meeting { file: String, meetings: Vec<String> },
}

/// Keeps the files and asks the question.
fn ask(state: &AppState, user: &StaffUser, a: Attempt, q: Question) -> Response {
    let id = match crate::staff::Secret::new() {
        Ok(s) => s.expose().to_owned(),
        Err(e) => return WebError::from(e).into_response(),
    };
    let slug = a.slug.clone();
    let timezone = a.timezone.clone();
    {
        let mut pending = state.inner.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.created.elapsed() < PENDING_FOR);
        while pending.len() >= PENDING_MAX {
            let oldest = pending.iter().min_by_key(|(_, p)| p.created).map(|(k, _)| k.clone());
            oldest.map(|k| pending.remove(&k));
        }
        pending.insert(
            id.clone(),
            Pending {
                slug: a.slug,
                files: a.files,
                timezone: a.timezone,
                skip_bad_rows: a.skip_bad_rows,
                created: Instant::now(),
            },
        );
    }
    let body = html! {
        h1 { "One question before importing" }
        form.card method="post" action={ "/staff/events/" (slug) "/uploads/answer" } {
            (user.csrf_field())
            input type="hidden" name="pending" value=(id);
            @match &q {
                Question::DateOrder { file, example } => {
                    p { strong { (file) } ": every date in this file reads both ways, for example " code { (example) } "." }
                    label for="date_order" { "Which is it?" }
                    select #date_order name="date_order" required {
                        option value="dmy" { "day/month/year (" (example) " is the day first)" }
                        option value="mdy" { "month/day/year (US: " (example) " is the month first)" }
                    }
                }
                Question::Contradictory { file, examples } => {
                    p { strong { (file) } ": some dates are month-first (" code { (examples.0) } ") and others day-first (" code { (examples.1) } "). The file may have been edited by hand; choose the order of most rows, and check the report afterwards." }
                    label for="date_order" { "Date order" }
                    select #date_order name="date_order" required {
                        option value="mdy" { "month/day/year" }
                        option value="dmy" { "day/month/year" }
                    }
                }
                Question::Meeting { file, meetings } => {
                    p { strong { (file) } " holds several meetings. Which one is this event?" }
                    label for="meeting" { "Meeting" }
                    select #meeting name="meeting" required {
                        @for m in meetings {
                            @let id = m.split_whitespace().take_while(|w| w.chars().all(|c| c.is_ascii_digit())).collect::<String>();
                            option value=(if id.is_empty() { m.clone() } else { id }) { (m) }
                        }
                    }
                }
            }
            label for="timezone" { "Times in the files are in" }
            input #timezone type="text" name="timezone" list="zones" value=(timezone) required;
            button type="submit" { "Import" }
        }
    };
    (StatusCode::ACCEPTED, layout(Some(user), "A question about the upload", body)).into_response()
}

#[derive(Deserialize)]
struct Answer {
    csrf: String,
    pending: String,
    date_order: Option<String>,
    meeting: Option<String>,
    timezone: String,
}

async fn answer(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<Answer>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let p = state.inner.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&f.pending);
    let Some(p) = p.filter(|p| p.slug == slug && p.created.elapsed() < PENDING_FOR) else {
        return Ok(problem(
            &user,
            StatusCode::GONE,
            "Please upload again",
            "The uploaded files were kept for an hour and are gone now.",
            &format!("/staff/events/{slug}"),
        ));
    };
    let a = Attempt {
        slug: p.slug,
        files: p.files,
        timezone: if f.timezone.trim().is_empty() { p.timezone } else { f.timezone },
        date_order: f.date_order.as_deref().and_then(|d| d.parse().ok()),
        meeting: f.meeting.filter(|m| !m.is_empty()),
        skip_bad_rows: p.skip_bad_rows,
    };
    attempt(state, user, a).await
}

/// A stored UTC time as staff read it: in the zone the file was read in.
fn local(utc: &str, zone: &str) -> String {
    match (store::parse_ts(utc), zone.parse::<chrono_tz::Tz>()) {
        (Some(t), Ok(tz)) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S %Z").to_string(),
        _ => utc.to_owned(),
    }
}

fn report(slug: &str, outcomes: &[Outcome]) -> Markup {
    html! {
        h1 { "Import report" }
        @for o in outcomes {
            section.card {
                @match o {
                    Outcome::Imported(s) => {
                        h2 { (s.file) }
                        p.ok { "Imported: " (s.rows) " rows, " (s.connections) " connections." }
                        dl {
                            dt { "Format" } dd { (s.format) " (" (s.variant) ")" }
                            dt { "Encoding" } dd { (s.encoding) ", delimiter " code { (s.delimiter) } }
                            dt { "Times read in" } dd { (s.timezone) @if let Some(d) = s.date_order { ", date order " (d) } }
                            @if let Some(t) = &s.topic { dt { "Meeting" } dd { (t) @if let Some(id) = &s.meeting_id { " (" (id) ")" } } }
                            @if let (Some(a), Some(b)) = (&s.meeting_start, &s.meeting_end) { dt { "Session" } dd { (local(a, &s.timezone)) " – " (local(b, &s.timezone)) } }
                            @if let Some(p) = &s.presenters { dt { "Roles" } dd { (p) } }
                            dt { "SHA-256" } dd { code.small { (s.sha256) } }
                        }
                        @for w in &s.warnings { p.warn { (w) } }
                        @if !s.errors.is_empty() {
                            h3 { (s.errors.len()) " row(s) could not be read (kept in the database, not counted)" }
                            div.scroll {
                                table {
                                    thead { tr { th.num { "Line" } th { "Column" } th { "Value" } th { "Problem" } } }
                                    tbody { @for e in &s.errors { tr { td.num { (e.line) } td { (e.column) } td { code { (e.value) } } td { (e.message) } } } }
                                }
                            }
                        }
                        @if !s.skipped.is_empty() {
                            details {
                                summary { (s.skipped.len()) " row(s) skipped on purpose" }
                                ul { @for (line, why) in &s.skipped { li { "line " (line) ": " (why) } } }
                            }
                        }
                    }
                    Outcome::AlreadyImported { file, imported_at, .. } => {
                        h2 { (file) }
                        p { "Already imported on " (imported_at) " UTC: nothing changed." }
                    }
                    Outcome::Duplicate { file, same_as } => {
                        h2 { (file) }
                        p { "The same bytes as " (same_as) ": imported once." }
                    }
                }
            }
        }
        p {
            a.button href={ "/staff/events/" (slug) "/attendance" } { "See attendance" }
            " "
            a.button.secondary href={ "/staff/events/" (slug) } { "Back to the event" }
        }
    }
}

pub(super) fn routes(max_upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/staff/events/{slug}/uploads", post(upload))
        .route("/staff/events/{slug}/uploads/answer", post(answer))
        // Exports are bigger than anything else sent here.
        .layer(DefaultBodyLimit::max(max_upload_bytes))
}
