//! Attendance: every person with minutes, decision and reason; the review list; linking and
//! splitting people; overrides with a reason.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::{StaffUser, form_error, layout};
use crate::attendance::Decision;
use crate::store::{self, events::Event};
use crate::web::{AppState, WebError};

fn minutes(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

async fn page(State(state): State<AppState>, user: StaffUser, Path(slug): Path<String>) -> Result<Markup, WebError> {
    let (event, decisions) = state
        .blocking(move |conn, _| -> Result<(Event, Vec<Decision>), store::StoreError> {
            let e = store::events::get(conn, &slug)?;
            let d = store::people::decisions(conn, &e)?;
            Ok((e, d))
        })
        .await??;
    let base = format!("/staff/events/{}", event.slug);
    let review: Vec<&Decision> = decisions.iter().filter(|d| !d.review.is_empty()).collect();
    let eligible = decisions.iter().filter(|d| d.eligible).count();
    let body = html! {
        p.crumbs { a href=(base) { "← " (event.title) } }
        h1 { "Attendance" }
        p { (decisions.len()) " people, " strong { (eligible) " eligible" } ". Rule: " (event.rule.describe()) "." }
        datalist #keys { @for d in &decisions { @for k in &d.keys { option value=(k) { (d.name) } } } }
        @if !review.is_empty() {
            section.card.review {
                h2 { "To review (" (review.len()) ")" }
                p.muted { "These are never merged or decided silently. Link two keys that are one person, or split a key that was merged by mistake." }
                ul {
                    @for d in &review {
                        li { bdi { strong { (d.name) } } " (" code { (d.key) } "): " (d.review.join("; ")) }
                    }
                }
            }
        }
        section.card {
            div.scroll {
                table.people {
                    thead { tr { th { "Name" } th { "Email" } th { "Role" } th.num { "Minutes" } th { "Decision" } th { "Why" } } }
                    tbody {
                        @for d in &decisions {
                            tr class=(if d.eligible { "yes" } else { "no" }) {
                                td { bdi { (d.name) } br; code.small { (d.key) } }
                                td { (d.email.as_deref().unwrap_or("—")) }
                                td { (d.role.as_str()) }
                                td.num { (minutes(d.attended_seconds)) }
                                td { @if d.eligible { span.ok { "eligible" } } @else { span.no { "not eligible" } } @if d.overridden { " (override)" } }
                                td { (d.reason) @if !d.review.is_empty() { br; span.warn { "review: " (d.review.join("; ")) } } }
                            }
                        }
                    }
                }
            }
        }
        div.grid3 {
            form.card method="post" action={ (base) "/override" } {
                h2 { "Override a decision" }
                (user.csrf_field())
                label for="o-person" { "Person (key, email or name)" }
                input #o-person type="text" name="person" list="keys" required;
                label for="o-eligible" { "Decision" }
                select #o-eligible name="eligible" { option value="yes" { "eligible" } option value="no" { "not eligible" } }
                label for="o-reason" { "Reason (recorded and shown)" }
                input #o-reason type="text" name="reason" required placeholder="joined by phone; confirmed by the organiser";
                button type="submit" { "Save override" }
            }
            form.card method="post" action={ (base) "/link" } {
                h2 { "Link two keys" }
                (user.csrf_field())
                label for="l-a" { "First key" }
                input #l-a type="text" name="a" list="keys" required;
                label for="l-b" { "Second key" }
                input #l-b type="text" name="b" list="keys" required;
                label for="l-reason" { "Reason" }
                input #l-reason type="text" name="reason" required;
                button type="submit" { "Link" }
            }
            form.card method="post" action={ (base) "/split" } {
                h2 { "Split a key" }
                (user.csrf_field())
                label for="s-key" { "Key" }
                input #s-key type="text" name="key" list="keys" required;
                label for="s-reason" { "Reason" }
                input #s-reason type="text" name="reason" required;
                button type="submit" { "Split" }
            }
        }
    };
    Ok(layout(Some(&user), "Attendance", body))
}

#[derive(Deserialize)]
struct OverrideForm {
    csrf: String,
    person: String,
    eligible: String,
    reason: String,
}

#[derive(Deserialize)]
struct LinkForm {
    csrf: String,
    a: String,
    b: String,
    reason: String,
}

#[derive(Deserialize)]
struct SplitForm {
    csrf: String,
    key: String,
    reason: String,
}

/// Runs a correction and goes back to the attendance page, or explains why it was refused.
async fn correct(
    state: AppState,
    user: StaffUser,
    slug: String,
    f: impl FnOnce(&rusqlite::Connection, &Event, &str) -> Result<(), store::StoreError> + Send + 'static,
) -> Result<Response, WebError> {
    let actor = user.member.email.clone();
    let s = slug.clone();
    let done = state
        .blocking(move |conn, _| {
            let e = store::events::get(conn, &s)?;
            f(conn, &e, &actor)
        })
        .await?;
    let back = format!("/staff/events/{slug}/attendance");
    match done {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(e) => Ok(form_error(&user, &back, e)),
    }
}

async fn set_override(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<OverrideForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    correct(state, user, slug, move |conn, e, actor| {
        let d = store::people::person(conn, e, &f.person)?;
        store::people::set_override(conn, e, &d.key, f.eligible == "yes", &f.reason, actor, Utc::now())
    })
    .await
}

async fn link(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<LinkForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    correct(state, user, slug, move |conn, e, actor| {
        store::people::link(conn, e, &f.a, &f.b, &f.reason, actor, Utc::now()).map(|_| ())
    })
    .await
}

async fn split(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<SplitForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    correct(state, user, slug, move |conn, e, actor| {
        store::people::split(conn, e, &f.key, &f.reason, actor, Utc::now()).map(|_| ())
    })
    .await
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events/{slug}/attendance", get(page))
        .route("/staff/events/{slug}/override", post(set_override))
        .route("/staff/events/{slug}/link", post(link))
        .route("/staff/events/{slug}/split", post(split))
}
