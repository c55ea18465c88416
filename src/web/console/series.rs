//! Series of events in the console (issue 12): the list and a form to create one; a series'
//! page with its events, its rule, every person's decision with its sentence, issuing, and its
//! certificates (each opens the certificate page shared with events, where it is revoked or
//! reissued).
//!
//! Every string a person reads is in [`text`] below, so the French catalogue can take them over.
//! Not here: editing a series' title or slug, deleting a series.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::{StaffUser, form_error, layout};
use crate::issuance::{self, series as issue};
use crate::series::{SeriesDecision, SeriesRule};
use crate::store::{self, certificates::Certificate, events::Event, series as stored};
use crate::web::{AppState, WebError};

/// Every string of these pages, in English (the merger moves them into the console catalogue).
mod text {
    pub const LIST_TITLE: &str = "Series";
    pub const LIST_INTRO: &str = "A series groups events (e.g. the 2020 seminar series) and issues its own certificate listing the sessions attended.";
    pub const NONE_YET: &str = "No series yet.";
    pub const COL_SERIES: &str = "Series";
    pub const COL_RULE: &str = "Rule";
    pub const COL_EVENTS: &str = "Events";
    pub const CREATE: &str = "Create a series";
    pub const SLUG: &str = "Short name (lower-case letters, digits, - or _)";
    pub const TITLE: &str = "Title, as printed";
    pub const LANGUAGE: &str = "Language of its certificates";
    pub const CREATE_BUTTON: &str = "Create";
    pub const BACK: &str = "← All series";
    pub const EVENTS: &str = "Events";
    pub const NO_EVENTS: &str = "No events yet: add them below.";
    pub const REMOVE: &str = "Remove";
    pub const ADD_EVENT: &str = "Add an event";
    pub const EVENT: &str = "Event";
    pub const ADD: &str = "Add";
    pub const ALL_ADDED: &str = "Every event is in this series already.";
    pub const RULE: &str = "Rule";
    pub const RULE_HELP: &str =
        "A session counts when the person was eligible in that event by its own rule (or a staff override).";
    pub const AT_LEAST: &str = "At least this many sessions (empty: all of them)";
    pub const SAVE_RULE: &str = "Save rule";
    pub const DECISIONS: &str = "Decisions";
    pub const PEOPLE: &str = "people";
    pub const ELIGIBLE_COUNT: &str = "eligible";
    pub const COL_NAME: &str = "Name";
    pub const COL_EMAIL: &str = "Email";
    pub const COL_SESSIONS: &str = "Sessions";
    pub const COL_DECISION: &str = "Decision";
    pub const COL_WHY: &str = "Why";
    pub const ELIGIBLE: &str = "eligible";
    pub const NOT_ELIGIBLE: &str = "not eligible";
    pub const REVIEW: &str = "review";
    pub const ISSUE: &str = "Certificates";
    pub const ISSUE_HELP: &str =
        "Issues a certificate to every eligible person who holds none. Sessions, name and minutes are frozen at issue.";
    pub const ISSUE_BUTTON: &str = "Issue series certificates";
    pub const ISSUED: &str = "Issued";
    pub const COL_CODE: &str = "Code";
    pub const COL_STATUS: &str = "Status";
    pub const COL_MINUTES: &str = "Minutes";
    pub const NO_CERTIFICATES: &str = "None issued yet.";
}

struct Page {
    series: stored::Series,
    events: Vec<Event>,
    all_events: Vec<Event>,
    decisions: Vec<SeriesDecision>,
    certificates: Vec<Certificate>,
}

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let all = state
        .blocking(|c, _| -> Result<_, store::StoreError> {
            stored::list(c)?.into_iter().map(|s| Ok((stored::events(c, &s)?, s))).collect::<Result<Vec<_>, _>>()
        })
        .await??;
    let body = html! {
        h1 { (text::LIST_TITLE) }
        p.muted { (text::LIST_INTRO) }
        section.card {
            @if all.is_empty() { p { (text::NONE_YET) } } @else {
                table {
                    thead { tr { th { (text::COL_SERIES) } th { (text::COL_RULE) } th { (text::COL_EVENTS) } } }
                    tbody {
                        @for (evs, s) in &all {
                            tr {
                                td { a href={ "/staff/series/" (s.slug) } { (s.title) } br; code.small { (s.slug) } }
                                td { (s.rule.describe(evs.len())) }
                                td { (evs.len()) }
                            }
                        }
                    }
                }
            }
        }
        form.card method="post" action="/staff/series" {
            h2 { (text::CREATE) }
            (user.csrf_field())
            label for="s-slug" { (text::SLUG) }
            input #s-slug type="text" name="slug" required pattern="[a-z0-9_-]{1,64}" placeholder="cybercrime-2020";
            label for="s-title" { (text::TITLE) }
            input #s-title type="text" name="title" required maxlength="300";
            label for="s-language" { (text::LANGUAGE) }
            select #s-language name="language" { option value="en" { "English" } option value="fr" { "Français" } option value="es" { "Español" } }
            button type="submit" { (text::CREATE_BUTTON) }
        }
    };
    Ok(layout(Some(&user), text::LIST_TITLE, body))
}

async fn page(State(state): State<AppState>, user: StaffUser, Path(slug): Path<String>) -> Result<Markup, WebError> {
    let p = state
        .blocking(move |c, _| -> Result<Page, store::StoreError> {
            let series = stored::get(c, &slug)?;
            Ok(Page {
                events: stored::events(c, &series)?,
                all_events: store::events::list(c)?,
                decisions: issue::decisions(c, &series)?,
                certificates: stored::certificates(c, &series)?,
                series,
            })
        })
        .await??;
    let base = format!("/staff/series/{}", p.series.slug);
    let eligible = p.decisions.iter().filter(|d| d.eligible).count();
    let others: Vec<&Event> = p.all_events.iter().filter(|e| !p.events.iter().any(|x| x.id == e.id)).collect();
    let dates: std::collections::HashMap<i64, String> =
        p.events.iter().filter_map(|e| Some((e.id, e.starts_at?.format("%Y-%m-%d").to_string()))).collect();
    let rule_value = p.series.rule.min_sessions().map(|n| n.to_string()).unwrap_or_default();
    let body = html! {
        p.crumbs { a href="/staff/series" { (text::BACK) } }
        h1 { (p.series.title) }
        div.grid3 {
            section.card {
                h2 { (text::EVENTS) }
                @if p.events.is_empty() { p { (text::NO_EVENTS) } }
                ol {
                    @for e in &p.events {
                        li {
                            a href={ "/staff/events/" (e.slug) } { (e.title) }
                            " · " (dates.get(&e.id).map(String::as_str).unwrap_or("")) " "
                            form.inline method="post" action={ (base) "/events/remove" } {
                                (user.csrf_field())
                                input type="hidden" name="event" value=(e.slug);
                                button.secondary.small type="submit" { (text::REMOVE) }
                            }
                        }
                    }
                }
            }
            form.card method="post" action={ (base) "/events" } {
                h2 { (text::ADD_EVENT) }
                (user.csrf_field())
                @if others.is_empty() { p.muted { (text::ALL_ADDED) } } @else {
                    label for="e-event" { (text::EVENT) }
                    select #e-event name="event" required {
                        @for e in &others { option value=(e.slug) { (e.title) " (" (e.slug) ")" } }
                    }
                    button type="submit" { (text::ADD) }
                }
            }
            form.card method="post" action={ (base) "/rule" } {
                h2 { (text::RULE) ": " (p.series.rule.describe(p.events.len())) }
                (user.csrf_field())
                p.muted { (text::RULE_HELP) }
                label for="r-at-least" { (text::AT_LEAST) }
                input #r-at-least type="number" name="at_least" min="1" value=(rule_value);
                button type="submit" { (text::SAVE_RULE) }
            }
        }
        section.card {
            h2 { (text::DECISIONS) }
            p { (p.decisions.len()) " " (text::PEOPLE) ", " strong { (eligible) " " (text::ELIGIBLE_COUNT) } "." }
            div.scroll {
                table.people {
                    thead { tr { th { (text::COL_NAME) } th { (text::COL_EMAIL) } th.num { (text::COL_SESSIONS) } th { (text::COL_DECISION) } th { (text::COL_WHY) } } }
                    tbody {
                        @for d in &p.decisions {
                            tr class=(if d.eligible { "yes" } else { "no" }) {
                                td { bdi { (d.name) } br; code.small { (d.key) } }
                                td { (d.email.as_deref().unwrap_or("—")) }
                                td.num { (d.attended.len()) "/" (p.events.len()) }
                                td { @if d.eligible { span.ok { (text::ELIGIBLE) } } @else { span.no { (text::NOT_ELIGIBLE) } } }
                                td { (d.reason) @if !d.review.is_empty() { br; span.warn { (text::REVIEW) ": " (d.review.join("; ")) } } }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (text::ISSUE) }
            p.muted { (text::ISSUE_HELP) }
            form method="post" action={ (base) "/issue" } {
                (user.csrf_field())
                button type="submit" { (text::ISSUE_BUTTON) }
            }
            h3 { (text::ISSUED) }
            @if p.certificates.is_empty() { p { (text::NO_CERTIFICATES) } } @else {
                table {
                    thead { tr { th { (text::COL_CODE) } th { (text::COL_NAME) } th.num { (text::COL_MINUTES) } th { (text::COL_STATUS) } } }
                    tbody {
                        @for c in &p.certificates {
                            tr {
                                td { a href={ "/staff/certificates/" (c.id) } { code { (issuance::grouped(&c.id)) } } }
                                td { bdi { (c.name) } }
                                td.num { (c.minutes) }
                                td { (c.status) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(Some(&user), &p.series.title, body))
}

#[derive(Deserialize)]
struct CreateForm {
    csrf: String,
    slug: String,
    title: String,
    language: String,
}

#[derive(Deserialize)]
struct EventForm {
    csrf: String,
    event: String,
}

#[derive(Deserialize)]
struct RuleForm {
    csrf: String,
    #[serde(default)]
    at_least: String,
}

async fn create(
    State(state): State<AppState>,
    user: StaffUser,
    axum::Form(f): axum::Form<CreateForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let done =
        state.blocking(move |c, _| stored::create(c, f.slug.trim(), &f.title, &f.language, &actor, Utc::now())).await?;
    match done {
        Ok(s) => Ok(Redirect::to(&format!("/staff/series/{}", s.slug)).into_response()),
        Err(e) => Ok(form_error(&user, "/staff/series", e)),
    }
}

/// Runs a change to the series and goes back to its page, or explains why it was refused.
async fn change(
    state: AppState,
    user: StaffUser,
    slug: String,
    f: impl FnOnce(&rusqlite::Connection, &stored::Series, &str) -> Result<(), store::StoreError> + Send + 'static,
) -> Result<Response, WebError> {
    let actor = user.member.email.clone();
    let s = slug.clone();
    let done = state.blocking(move |c, _| stored::get(c, &s).and_then(|series| f(c, &series, &actor))).await?;
    let back = format!("/staff/series/{slug}");
    match done {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(e) => Ok(form_error(&user, &back, e)),
    }
}

async fn add_event(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<EventForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    change(state, user, slug, move |c, s, actor| stored::add_event(c, s, &f.event, actor, Utc::now())).await
}

async fn remove_event(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<EventForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    change(state, user, slug, move |c, s, actor| stored::remove_event(c, s, &f.event, actor, Utc::now())).await
}

async fn set_rule(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<RuleForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let rule = match f.at_least.trim() {
        "" => Ok(SeriesRule::All),
        n => n.parse().map(SeriesRule::AtLeast).map_err(|_| {
            store::StoreError::Invalid(format!(
                "\"{n}\" is not a number of sessions: give 1 or more, or leave it empty"
            ))
        }),
    };
    change(state, user, slug, move |c, s, actor| stored::set_rule(c, s, rule?, actor, Utc::now()).map(|_| ())).await
}

async fn issue_all(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<super::CsrfOnly>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let s = slug.clone();
    let done = state
        .with_issuer(user.member.email.clone(), move |c, issuer, now| {
            let series = stored::get(c, &s)?;
            issue::issue_series(c, issuer, &series, false, now)
        })
        .await?;
    let back = format!("/staff/series/{slug}");
    match done {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(e) => Ok(form_error(&user, &back, e)),
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/series", get(list).post(create))
        .route("/staff/series/{slug}", get(page))
        .route("/staff/series/{slug}/events", post(add_event))
        .route("/staff/series/{slug}/events/remove", post(remove_event))
        .route("/staff/series/{slug}/rule", post(set_rule))
        .route("/staff/series/{slug}/issue", post(issue_all))
}
