//! Uploading exports: one or more files (picked or dropped), the import report with every row
//! error, and the question a file sometimes needs answered (which day/month order, which
//! meeting of several) before it can be read.
//!
//! A file that needs an answer is kept in memory for an hour under a random id, so that staff
//! answer the question instead of uploading again. Nothing of it is stored until it imports.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::form::{Sent, sent_back_response};
use super::text::{K, Tr};
use super::{PostedOn, StaffUser, UserOn, problem, stopped};
use crate::import::mapping::{Actions, Field, Inference, Mapping};
use crate::import::{ImportError, ImportOptions, dates::DateOrder};
use crate::store::{self, events::Event, imports::Outcome, imports::Upload};
use crate::web::{AppState, WebError};

/// Files waiting for an answer.
pub struct Pending {
    /// The attempt that asked, with the answers given so far (a file can ask a second question
    /// once the first is answered: its columns, then its day): the next attempt starts from it.
    attempt: Attempt,
    /// The header row of a file whose columns staff are asked to confirm.
    header: Vec<String>,
    created: Instant,
}

/// How long a question waits for its answer.
const PENDING_FOR: Duration = Duration::from_secs(3600);
/// At most this many uploads wait at once (memory bound): the oldest is dropped first.
const PENDING_MAX: usize = 16;

/// The upload form, shown on the event page.
/// The upload form; `sent` is this form refused (its choices kept; the files must be chosen
/// again, as no browser lets a page refill a file field, and the message says so). `main`: its
/// button is the page's main action (nothing uploaded yet), else a secondary one.
pub(super) fn form(user: &StaffUser, e: &Event, sent: &Sent, main: bool) -> Markup {
    let tr = &user.tr;
    let order = sent.val("date_order", "");
    let encoding = sent.val("encoding", "");
    html! {
        form.upload #upload method="post" action={ "/staff/events/" (e.slug) "/uploads" } enctype="multipart/form-data" novalidate {
            @if sent.form().is_empty() { (sent.summary(tr)) }
            (user.csrf_field())
            label.drop for="files" {
                strong { (tr.t(K::DropHere)) }
                span.muted { (tr.t(K::OrClickToChoose)) }
                input #files type="file" name="files" multiple required accept=".csv,.txt,.tsv,.xlsx,.xls,.ods,text/csv,text/plain"
                    aria-invalid=[sent.invalid("files")] aria-describedby=[sent.described("files")];
            }
            (sent.note("files"))
            div.grid {
                div {
                    label for="timezone" { (tr.t(K::TimesAreIn)) }
                    input #timezone type="text" name="timezone" list="zones" value=(sent.val("timezone", e.timezone.name())) required
                        aria-invalid=[sent.invalid("timezone")] aria-describedby=[sent.described("timezone")];
                    (sent.note("timezone"))
                    (super::events::zone_list())
                }
                div {
                    label for="date_order" { (tr.t(K::DateOrder)) }
                    select #date_order name="date_order" {
                        option value="" { (tr.t(K::DecideFromFile)) }
                        option value="mdy" selected[order == "mdy"] { (tr.t(K::OrderMdyUs)) }
                        option value="dmy" selected[order == "dmy"] { (tr.t(K::OrderDmy)) }
                        option value="ymd" selected[order == "ymd"] { (tr.t(K::OrderYmd)) }
                    }
                }
                div {
                    label for="encoding" { (tr.t(K::TextEncoding)) }
                    select #encoding name="encoding" aria-invalid=[sent.invalid("encoding")] aria-describedby=[sent.described("encoding")] {
                        option value="" { (tr.t(K::EncodingFromFile)) }
                        @for (value, label) in ENCODINGS {
                            option value=(value) selected[encoding == value] { (value) " · " (tr.t(label)) }
                        }
                    }
                    (sent.note("encoding"))
                }
            }
            div.check {
                label { input type="checkbox" name="skip_bad_rows" value="on" checked[sent.checked("skip_bad_rows", false)]; " " (tr.t(K::SkipBadRows)) }
            }
            button.secondary[!main] type="submit" { (tr.t(K::UploadAndImport)) }
        }
    }
}

/// The encodings the upload form offers, for a file that is not UTF-8 and whose names the
/// guessed code page read wrong: the code pages Excel saves a CSV in (the API and the command
/// line take any WHATWG label).
const ENCODINGS: [(&str, K); 8] = [
    ("utf-8", K::EncodingUtf8),
    ("windows-1252", K::EncodingWestern),
    ("windows-1250", K::EncodingCentral),
    ("windows-1251", K::EncodingCyrillic),
    ("windows-1253", K::EncodingGreek),
    ("windows-1254", K::EncodingTurkish),
    ("windows-1257", K::EncodingBaltic),
    ("macintosh", K::EncodingMac),
];

/// One import attempt, with what staff chose.
struct Attempt {
    slug: String,
    files: Vec<(String, Vec<u8>)>,
    timezone: String,
    date_order: Option<DateOrder>,
    meeting: Option<String>,
    skip_bad_rows: bool,
    /// The text encoding staff chose; `None`: UTF-8, else guessed.
    encoding: Option<&'static encoding_rs::Encoding>,
    /// Columns confirmed for a table without a header row (nothing to remember them by).
    columns: Option<Vec<(Field, crate::import::mapping::ColumnSpec)>>,
    /// With them, an event log's action words.
    actions: Option<Actions>,
    /// The day of a file of times of day whose name does not give it (asked for).
    meeting_date: Option<NaiveDate>,
}

fn run(conn: &mut store::Conn, a: &Attempt, actor: &str, max_rows: usize) -> Result<Vec<Outcome>, store::StoreError> {
    let event = store::events::get(conn, &a.slug)?;
    let opts = ImportOptions {
        tz: store::events::parse_zone(&a.timezone)?,
        date_order: a.date_order,
        meeting: a.meeting.clone(),
        event_title: Some(event.title.clone()),
        event_window: event.window().map(|w| (w.start, w.end)),
        max_rows: Some(max_rows),
        columns: a.columns.clone(),
        accept_inferred: false,
        known_mappings: Vec::new(),
        actions: a.actions.clone(),
        meeting_date: a.meeting_date,
        encoding: a.encoding,
    };
    let uploads: Vec<Upload> = a.files.iter().map(|(n, b)| Upload { file_name: n, bytes: b }).collect();
    store::imports::import_files(conn, &event, &uploads, &opts, a.skip_bad_rows, actor, Utc::now())
}

async fn upload(UserOn(state, user, slug): UserOn, mut multipart: Multipart) -> Result<Response, WebError> {
    let mut csrf = String::new();
    let mut posted = Vec::new();
    let mut encoding_refused = false;
    let mut a = Attempt {
        slug,
        files: Vec::new(),
        timezone: String::new(),
        date_order: None,
        meeting: None,
        skip_bad_rows: false,
        encoding: None,
        columns: None,
        actions: None,
        meeting_date: None,
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
                posted.push((other.to_owned(), value.clone()));
                match other {
                    "csrf" => csrf = value,
                    "timezone" => a.timezone = value,
                    "date_order" => a.date_order = value.parse().ok(),
                    "meeting" => a.meeting = Some(value).filter(|v| !v.is_empty()),
                    "skip_bad_rows" => a.skip_bad_rows = true,
                    "encoding" if !value.is_empty() => match crate::import::text::encoding_named(&value) {
                        Ok(e) => a.encoding = Some(e),
                        Err(_) => encoding_refused = true,
                    },
                    _ => {}
                }
            }
        }
    }
    // Checked after reading: the token is a field of the same multipart body.
    user.check_csrf(&csrf)?;
    let mut sent = Sent::posted("", posted);
    if encoding_refused {
        sent.refuse("encoding", user.tr.t(K::FormEncoding));
    }
    if a.files.is_empty() {
        sent.refuse("files", user.tr.t(K::ChooseAtLeastOne));
    }
    if store::events::parse_zone(&a.timezone).is_err() {
        sent.refuse("timezone", user.tr.f(K::FormZone, &[("zone", &a.timezone.trim())]));
    }
    if sent.refused() {
        if !a.files.is_empty() {
            sent.refuse("files", user.tr.t(K::FormChooseExportAgain));
        }
        return Ok(sent_back_response(super::events::event_page(&state, &user, a.slug, &sent).await?));
    }
    attempt(state, user, a, sent).await
}

/// Imports; `sent` is the upload form as posted, for a refusal (the answers to questions come
/// with an empty one: their page has no such form).
async fn attempt(state: AppState, user: StaffUser, a: Attempt, mut sent: Sent) -> Result<Response, WebError> {
    let actor = user.member.email.clone();
    let max_rows = state.config().max_import_rows;
    let (result, a, event_day) = state
        .blocking(move |conn, _| {
            let r = run(conn, &a, &actor, max_rows);
            let needs_day = matches!(
                &r,
                Err(store::StoreError::Import(ImportError::NeedsDate { .. } | ImportError::SummaryDate { .. }))
            );
            let day = if needs_day { event_day(conn, &a) } else { None };
            (r, a, day)
        })
        .await?;
    let back = format!("/staff/events/{}", a.slug);
    if let Err(store::StoreError::Import(e)) = &result {
        state.inner.metrics.import_failed(e);
    }
    match result {
        Ok(outcomes) => {
            state.checkpoint_soon();
            tracing::info!(event = %a.slug, files = outcomes.len(), "imported from the console");
            Ok(user.page(user.tr.t(K::ImportReport), report(&user.tr, &a.slug, &outcomes)).into_response())
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
            ImportError::NeedsDate { file } | ImportError::SummaryDate { file, .. } => {
                Ok(ask(&state, &user, a, Question::Day { file: file.clone(), suggested: event_day }))
            }
            ImportError::NeedsMapping { file, inference } => {
                let q = Question::Columns { file: file.clone(), inference: inference.clone() };
                Ok(ask(&state, &user, a, q))
            }
            _ => refused(&state, &user, a.slug, &mut sent, &e.to_string()).await,
        },
        Err(e @ store::StoreError::Invalid(_)) => refused(&state, &user, a.slug, &mut sent, &e.to_string()).await,
        Err(e @ store::StoreError::NoSuchEvent(_)) => Ok(not_imported(&user, &e.to_string(), &back)),
        Err(e) => Err(e.into()),
    }
}

/// The day the event was held on, in the zone the upload's times are read in: the day a file of
/// times of day most likely holds, offered for staff to confirm. The window staff set, else the
/// one its earlier uploads' meeting headers give (an event created without times, whose Zoom
/// export came first), so staff confirm a day attest already knows instead of typing it.
fn event_day(conn: &mut store::Conn, a: &Attempt) -> Option<NaiveDate> {
    let event = store::events::get(conn, &a.slug).ok()?;
    let tz = store::events::parse_zone(&a.timezone).unwrap_or(event.timezone);
    let (window, _) = store::events::effective_window(conn, &event).ok()?;
    Some(window?.start.with_timezone(&tz).date_naive())
}

/// The event page again, its upload form saying why the file was not imported (the import
/// module's words, in English, which name the file, line and column) and to choose it again:
/// the file itself is what was wrong, so keeping it on the server would not help.
async fn refused(
    state: &AppState,
    user: &StaffUser,
    slug: String,
    sent: &mut Sent,
    message: &str,
) -> Result<Response, WebError> {
    sent.refuse_english("", message);
    sent.refuse("files", user.tr.t(K::FormChooseExportAgain));
    Ok(sent_back_response(super::events::event_page(state, user, slug, sent).await?))
}

/// The import module's message (English, marked so) and that nothing was stored.
fn not_imported(user: &StaffUser, message: &str, back: &str) -> Response {
    let tr = &user.tr;
    stopped(user, StatusCode::UNPROCESSABLE_ENTITY, tr.t(K::NotImported), message, tr.t(K::NothingStored), back)
}

enum Question {
    DateOrder {
        file: String,
        example: String,
    },
    Contradictory {
        file: String,
        examples: (String, String),
    },
    Meeting {
        file: String,
        meetings: Vec<String>,
    },
    Columns {
        file: String,
        inference: Box<Inference>,
    },
    /// A file of times of day whose day neither its name nor its summary gives; `suggested`,
    /// the event's day, when staff set its window.
    Day {
        file: String,
        suggested: Option<NaiveDate>,
    },
}

fn field_label(f: Field) -> K {
    match f {
        Field::Name => K::FieldName,
        Field::Email => K::FieldEmail,
        Field::Join => K::FieldJoin,
        Field::Leave => K::FieldLeave,
        Field::Duration => K::FieldDuration,
        Field::Role => K::FieldRole,
        Field::Action => K::FieldAction,
        Field::Time => K::FieldTime,
        Field::Waiting => K::FieldWaiting,
        Field::Date => K::FieldDate,
    }
}

/// The column question: the file's first rows and, per field, a column chosen from the
/// inference, for staff to confirm or correct.
fn columns_question(tr: &Tr, file: &str, inference: &Inference) -> Markup {
    let file_m = html! { strong translate="no" { (file) } };
    html! {
        @let width = inference.preview.iter().map(Vec::len).chain([inference.header.len()]).max().unwrap_or(0);
        p { (tr.m(K::ColumnsUnknown, &[("file", file_m)])) }
        @if let Some(sheet) = &inference.sheet {
            p { (tr.m(K::ColumnsSheet, &[("sheet", html! { strong translate="no" { (sheet) } })])) }
        }
        @if crate::import::mapping::totals(&inference.mapping) {
            p { (tr.t(K::ColumnsTotals)) }
        }
        @if !inference.ambiguous.is_empty() {
            p { (tr.t(K::ColumnsDoubts)) }
            ul { @for a in &inference.ambiguous { li lang="en" { (a) } } }
        }
        h2 { (tr.t(K::FirstRows)) }
        div.scroll tabindex="0" {
            table #preview {
                thead {
                    tr { @for c in 0..width { th { (tr.f(K::ColumnNumber, &[("number", &(c + 1))])) } } }
                    tr { @for c in 0..width { th translate="no" { (inference.header.get(c).map(String::as_str).unwrap_or("")) } } }
                }
                tbody {
                    @for row in &inference.preview {
                        tr { @for c in 0..width { td translate="no" { (row.get(c).map(String::as_str).unwrap_or("")) } } }
                    }
                }
            }
        }
        @let log = inference.mapping.iter().any(|(f, _)| matches!(f, Field::Action | Field::Time));
        @let fields: &[Field] = if log { &LOG_FIELDS } else { &Field::INTERVAL };
        // A selector per field, and after the name one for its second column: a first and a
        // last name in two columns (Google Meet) make the name on the certificate together.
        @let names: Vec<usize> = inference.mapping.iter().filter(|(g, _)| *g == Field::Name).map(|(_, p)| *p).collect();
        @let selectors = fields.iter().flat_map(|&f| {
            let chosen = inference.mapping.iter().find(|(g, _)| *g == f).map(|(_, p)| *p);
            let second = (f == Field::Name).then(|| ("col_name2".to_owned(), K::FieldNameSecond, names.get(1).copied()));
            std::iter::once((format!("col_{}", f.as_str()), field_label(f), chosen)).chain(second)
        });
        div.grid.after-table {
            @for (id, label, chosen) in selectors {
                div {
                    label for=(id) { (tr.t(label)) }
                    select id=(id) name=(id) {
                        option value="" selected[chosen.is_none()] { (tr.t(K::NoColumn)) }
                        @for c in 0..width {
                            option value=(c) selected[chosen == Some(c)] {
                                (tr.f(K::ColumnNumber, &[("number", &(c + 1))]))
                                @if let Some(h) = inference.header.get(c).filter(|h| !h.is_empty()) { " · " (h) }
                            }
                        }
                    }
                }
            }
        }
        @if log && !inference.action_words.is_empty() {
            h2 { (tr.t(K::ActionWords)) }
            div.grid {
                @for (k, w) in inference.action_words.iter().enumerate().take(MAX_ACTION_WORDS) {
                    @let means = inference.actions.as_ref().and_then(|a| a.reads(w));
                    div {
                        input type="hidden" name={ "wordtext_" (k) } value=(w);
                        label for={ "word_" (k) } { (tr.m(K::ActionWordMeans, &[("word", html! { strong translate="no" { (w) } })])) }
                        select id={ "word_" (k) } name={ "word_" (k) } {
                            option value="" selected[means.is_none()] { (tr.t(K::ActionToChoose)) }
                            option value="joined" selected[means == Some(true)] { (tr.t(K::ActionJoined)) }
                            option value="left" selected[means == Some(false)] { (tr.t(K::ActionLeft)) }
                        }
                    }
                }
            }
        }
    }
}

/// The fields of an event log's column question.
const LOG_FIELDS: [Field; 6] = [Field::Name, Field::Email, Field::Action, Field::Time, Field::Date, Field::Role];
/// An action column has two or three words (joined, left, joined before).
const MAX_ACTION_WORDS: usize = 3;

/// Keeps the files and asks the question.
fn ask(state: &AppState, user: &StaffUser, a: Attempt, q: Question) -> Response {
    let id = match crate::staff::AccessToken::new() {
        Ok(s) => s.expose().to_owned(),
        Err(e) => return WebError::from(e).into_response(),
    };
    let slug = a.slug.clone();
    let timezone = a.timezone.clone();
    let header = match &q {
        Question::Columns { inference, .. } => inference.header.clone(),
        _ => Vec::new(),
    };
    {
        let mut pending = state.inner.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.created.elapsed() < PENDING_FOR);
        while pending.len() >= PENDING_MAX {
            let oldest = pending.iter().min_by_key(|(_, p)| p.created).map(|(k, _)| k.clone());
            oldest.map(|k| pending.remove(&k));
        }
        pending.insert(id.clone(), Pending { attempt: a, header, created: Instant::now() });
    }
    let tr = &user.tr;
    let file_m = |f: &str| html! { strong translate="no" { (f) } };
    let body = html! {
        h1 { (tr.t(K::OneQuestion)) }
        form.card method="post" action={ "/staff/events/" (slug) "/uploads/answer" } {
            (user.csrf_field())
            input type="hidden" name="pending" value=(id);
            @match &q {
                Question::DateOrder { file, example } => {
                    p { (tr.m(K::ReadsBothWays, &[("file", file_m(file)), ("example", html! { code { (example) } })])) }
                    label for="date_order" { (tr.t(K::WhichIsIt)) }
                    select #date_order name="date_order" required {
                        option value="dmy" { (tr.f(K::DayFirst, &[("example", example)])) }
                        option value="mdy" { (tr.f(K::MonthFirst, &[("example", example)])) }
                    }
                }
                Question::Contradictory { file, examples } => {
                    p {
                        (tr.m(K::Contradictory, &[
                            ("file", file_m(file)),
                            ("mdy", html! { code { (examples.0) } }),
                            ("dmy", html! { code { (examples.1) } }),
                        ]))
                    }
                    label for="date_order" { (tr.t(K::DateOrder)) }
                    select #date_order name="date_order" required {
                        option value="mdy" { (tr.t(K::OrderMdy)) }
                        option value="dmy" { (tr.t(K::OrderDmy)) }
                    }
                }
                Question::Columns { file, inference } => { (columns_question(tr, file, inference)) }
                Question::Day { file, suggested } => {
                    p { (tr.m(K::WhichDay, &[("file", file_m(file))])) }
                    label for="meeting_date" { (tr.t(K::MeetingDay)) }
                    input #meeting_date type="date" name="meeting_date" value=[suggested] required;
                }
                Question::Meeting { file, meetings } => {
                    p { (tr.m(K::SeveralMeetings, &[("file", file_m(file))])) }
                    label for="meeting" { (tr.t(K::Meeting)) }
                    select #meeting name="meeting" required {
                        @for m in meetings {
                            @let id = m.split_whitespace().take_while(|w| w.chars().all(|c| c.is_ascii_digit())).collect::<String>();
                            option value=(if id.is_empty() { m.clone() } else { id }) { (m) }
                        }
                    }
                }
            }
            label for="timezone" { (tr.t(K::TimesAreIn)) }
            input #timezone type="text" name="timezone" list="zones" value=(timezone) required;
            @if matches!(q, Question::Columns { .. }) {
                button type="submit" { (tr.t(K::ConfirmColumns)) }
            } @else {
                button type="submit" { (tr.t(K::Import)) }
            }
        }
    };
    (StatusCode::ACCEPTED, user.page(tr.t(K::QuestionTitle), body)).into_response()
}

#[derive(Deserialize)]
struct Answer {
    pending: String,
    date_order: Option<String>,
    meeting: Option<String>,
    meeting_date: Option<String>,
    timezone: String,
    col_name: Option<String>,
    /// The name's second column (a last name beside a first name), when it has one.
    col_name2: Option<String>,
    col_email: Option<String>,
    col_join: Option<String>,
    col_leave: Option<String>,
    col_duration: Option<String>,
    col_waiting: Option<String>,
    col_date: Option<String>,
    col_role: Option<String>,
    col_action: Option<String>,
    col_time: Option<String>,
    word_0: Option<String>,
    word_1: Option<String>,
    word_2: Option<String>,
    wordtext_0: Option<String>,
    wordtext_1: Option<String>,
    wordtext_2: Option<String>,
}

impl Answer {
    /// An event log's action words as staff answered them; `None` when no word was given a
    /// meaning (the words attest knows then apply).
    fn actions(&self) -> Option<Actions> {
        let mut a = Actions::default();
        for (meaning, word) in
            [(&self.word_0, &self.wordtext_0), (&self.word_1, &self.wordtext_1), (&self.word_2, &self.wordtext_2)]
        {
            let Some(word) = word.as_deref().filter(|w| !w.trim().is_empty()) else { continue };
            match meaning.as_deref() {
                Some("joined") => a.joined.push(word.to_owned()),
                Some("left") => a.left.push(word.to_owned()),
                _ => {}
            }
        }
        (!a.joined.is_empty() || !a.left.is_empty()).then_some(a)
    }

    /// The columns staff confirmed: `None` when the answer was not a column question; inside,
    /// `None` when a needed column is missing (a join and a leave, or for an event log an action
    /// and a time, and a name or an email), else the mapping and the action words.
    fn confirmed(&self) -> Option<Option<(Mapping, Option<Actions>)>> {
        let answered = [&self.col_join, &self.col_leave, &self.col_action, &self.col_time];
        if answered.iter().all(|v| v.is_none()) {
            return None;
        }
        let pick = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<usize>().ok());
        let mapping: Vec<(Field, usize)> = [
            (Field::Name, pick(&self.col_name)),
            (Field::Name, pick(&self.col_name2).filter(|_| pick(&self.col_name).is_some())),
            (Field::Email, pick(&self.col_email)),
            (Field::Join, pick(&self.col_join)),
            (Field::Leave, pick(&self.col_leave)),
            (Field::Duration, pick(&self.col_duration)),
            (Field::Role, pick(&self.col_role)),
            (Field::Action, pick(&self.col_action)),
            (Field::Time, pick(&self.col_time)),
            (Field::Waiting, pick(&self.col_waiting)),
            (Field::Date, pick(&self.col_date)),
        ]
        .into_iter()
        .filter_map(|(f, p)| Some((f, p?)))
        .collect();
        let has = |x: Field| mapping.iter().any(|(g, _)| *g == x);
        // A list of totals has a duration and neither join nor leave.
        let times = (has(Field::Join) && has(Field::Leave))
            || (has(Field::Action) && has(Field::Time))
            || crate::import::mapping::totals(&mapping);
        if !times || !(has(Field::Name) || has(Field::Email)) {
            return Some(None);
        }
        let words = if has(Field::Action) { self.actions() } else { None };
        Some(Some((mapping, words)))
    }
}

async fn answer(PostedOn(state, slug, user, f): PostedOn<Answer>) -> Result<Response, WebError> {
    // Both refusals below are a page of their own that leads back to the event: the files are
    // no longer pending, so there is no form to send back.
    let refused = |status: StatusCode, title: K, message: K| {
        problem(&user, status, user.tr.t(title), user.tr.t(message), &format!("/staff/events/{slug}"))
    };
    let p = state.inner.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&f.pending);
    let Some(p) = p.filter(|p| p.attempt.slug == slug && p.created.elapsed() < PENDING_FOR) else {
        return Ok(refused(StatusCode::GONE, K::UploadAgain, K::FilesGone));
    };
    // The columns staff confirmed: remembered for this header row, so that this import and
    // every later file with the same headers read through them.
    let mut a = p.attempt;
    if let Some(confirmed) = f.confirmed() {
        let Some((mapping, words)) = confirmed else {
            return Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, K::NotImported, K::ColumnsMissing));
        };
        if p.header.iter().all(|h| h.trim().is_empty()) {
            // No header row to remember the columns by: they apply to this import only.
            let spec = mapping.iter().map(|(f, c)| (*f, crate::import::mapping::ColumnSpec::Number(c + 1))).collect();
            a.columns = Some(spec);
            a.actions = words;
        } else {
            let (header, actor) = (p.header.clone(), user.member.email.clone());
            state
                .blocking(move |conn, _| {
                    store::imports::save_mapping_with_actions(
                        conn,
                        &header,
                        &mapping,
                        words.as_ref(),
                        &actor,
                        Utc::now(),
                    )
                })
                .await??;
        }
    }
    if !f.timezone.trim().is_empty() {
        a.timezone = f.timezone;
    }
    a.date_order = f.date_order.as_deref().and_then(|d| d.parse().ok()).or(a.date_order);
    a.meeting = f.meeting.filter(|m| !m.is_empty()).or(a.meeting);
    a.meeting_date = f.meeting_date.and_then(|d| d.trim().parse().ok()).or(a.meeting_date);
    attempt(state, user, a, Sent::default()).await
}

/// A stored UTC time as staff read it: in the zone the file was read in.
fn local(tr: &Tr, utc: &str, zone: &str) -> String {
    match (store::parse_ts(utc), zone.parse::<chrono_tz::Tz>()) {
        (Some(t), Ok(tz)) => {
            let t = t.with_timezone(&tz);
            format!("{}{} {}", tr.datetime(&t), t.format(":%S"), t.format("%Z"))
        }
        _ => utc.to_owned(),
    }
}

fn report(tr: &Tr, slug: &str, outcomes: &[Outcome]) -> Markup {
    html! {
        h1 { (tr.t(K::ImportReport)) }
        @for o in outcomes {
            section.card {
                @match o {
                    Outcome::Imported(s) => {
                        h2 translate="no" { (s.file) }
                        p.ok {
                            (tr.t(K::Imported)) (tr.t(K::Colon)) (tr.n(K::RowsN, s.rows, &[])) ", "
                            (tr.n(K::ConnectionsN, s.connections, &[])) "."
                        }
                        dl {
                            dt { (tr.t(K::Format)) } dd translate="no" { (s.format) " (" (s.variant) ")" }
                            dt { (tr.t(K::Encoding)) } dd {
                                span translate="no" { (s.encoding) } ", " (tr.t(K::Delimiter)) " " code { (s.delimiter) }
                                br; span.muted lang="en" { (s.encoding_why) }
                            }
                            dt { (tr.t(K::RowsOfFile)) } dd {
                                (tr.f(K::RowCounts, &[
                                    ("rows", &tr.num(s.counts.rows as i64)),
                                    ("imported", &tr.num(s.counts.imported as i64)),
                                    ("skipped", &tr.num(s.counts.skipped as i64)),
                                    ("refused", &tr.num(s.counts.refused as i64)),
                                    ("context", &tr.num(s.counts.context as i64)),
                                    ("blank", &tr.num(s.counts.blank as i64)),
                                ]))
                            }
                            dt { (tr.t(K::TimesReadIn)) } dd {
                                span translate="no" { (s.timezone) }
                                @if let Some(d) = s.date_order {
                                    ", " (tr.t(K::DateOrderLower)) " "
                                    (match d {
                                        "mdy" => tr.t(K::OrderMdy),
                                        "dmy" => tr.t(K::OrderDmy),
                                        _ => tr.t(K::OrderYmd),
                                    })
                                }
                            }
                            @if let Some(t) = &s.topic { dt { (tr.t(K::Meeting)) } dd translate="no" { (t) @if let Some(id) = &s.meeting_id { " (" (id) ")" } } }
                            @if let (Some(a), Some(b)) = (&s.meeting_start, &s.meeting_end) { dt { (tr.t(K::Session)) } dd { (local(tr, a, &s.timezone)) " – " (local(tr, b, &s.timezone)) } }
                            @if let Some(p) = &s.presenters { dt { (tr.t(K::Roles)) } dd lang="en" { (p) } }
                            dt { "SHA-256" } dd { code.small { (s.sha256) } }
                        }
                        @for w in &s.warnings { p.warn lang="en" { (w) } }
                        @if !s.errors.is_empty() {
                            h3 { (tr.n(K::RowsUnreadableN, s.errors.len(), &[])) }
                            div.scroll tabindex="0" {
                                table {
                                    thead { tr { th.num { (tr.t(K::Line)) } th { (tr.t(K::Column)) } th { (tr.t(K::Value)) } th { (tr.t(K::Problem)) } } }
                                    tbody {
                                        @for e in &s.errors {
                                            tr { td.num { (e.line) } td translate="no" { (e.column) } td { code { (e.value) } } td lang="en" { (e.message) } }
                                        }
                                    }
                                }
                            }
                        }
                        @if !s.skipped.is_empty() {
                            details {
                                summary { (tr.n(K::RowsSkippedN, s.skipped.len(), &[])) }
                                ul {
                                    @for (line, why) in &s.skipped {
                                        li { (tr.f(K::LineN, &[("line", line)])) (tr.t(K::Colon)) span lang="en" { (why) } }
                                    }
                                }
                            }
                        }
                    }
                    Outcome::AlreadyImported { file, imported_at, .. } => {
                        h2 translate="no" { (file) }
                        p { (tr.f(K::AlreadyImported, &[("at", &tr.stored(imported_at))])) }
                    }
                    Outcome::Duplicate { file, same_as } => {
                        h2 translate="no" { (file) }
                        p { (tr.m(K::SameBytes, &[("file", html! { span translate="no" { (same_as) } })])) }
                    }
                }
            }
        }
        p {
            a.button href={ "/staff/events/" (slug) "/attendance" } { (tr.t(K::SeeAttendance)) }
            " "
            a.button.secondary href={ "/staff/events/" (slug) } { (tr.t(K::BackToEvent)) }
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
