//! Attendance: every person with minutes, decision and reason; the review list; linking and
//! splitting people; overrides with a reason.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::text::K;
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
    let tr = &user.tr;
    let base = format!("/staff/events/{}", event.slug);
    let review: Vec<&Decision> = decisions.iter().filter(|d| !d.review.is_empty()).collect();
    let eligible = decisions.iter().filter(|d| d.eligible).count();
    let body = html! {
        p.crumbs { a href=(base) { "← " span translate="no" { (event.title) } } }
        h1 { (tr.t(K::Attendance)) }
        p {
            (tr.n(K::PeopleN, decisions.len(), &[])) ", " strong { (tr.n(K::EligibleN, eligible, &[])) } ". "
            (tr.f(K::RuleIs, &[("rule", &super::events::rule(tr, event.rule))]))
        }
        datalist #keys { @for d in &decisions { @for k in &d.keys { option value=(k) { (d.name) } } } }
        @if !review.is_empty() {
            section.card.review {
                h2 { (tr.f(K::ToReviewCount, &[("n", &tr.num(review.len() as i64))])) }
                p.muted { (tr.t(K::ToReviewIntro)) }
                ul {
                    @for d in &review {
                        li {
                            bdi { strong { (d.name) } } " (" code { (d.key) } ")" (tr.t(K::Colon))
                            span lang="en" { (d.review.join("; ")) }
                        }
                    }
                }
            }
        }
        section.card {
            div.scroll {
                table.people {
                    thead { tr { th { (tr.t(K::Name)) } th { (tr.t(K::EmailColumn)) } th { (tr.t(K::Role)) } th.num { (tr.t(K::Minutes)) } th { (tr.t(K::Decision)) } th { (tr.t(K::Why)) } } }
                    tbody {
                        @for d in &decisions {
                            tr class=(if d.eligible { "yes" } else { "no" }) {
                                td { bdi { (d.name) } br; code.small { (d.key) } }
                                td translate="no" { (d.email.as_deref().unwrap_or("—")) }
                                td {
                                    (match d.role {
                                        crate::attendance::Role::Host => tr.t(K::RoleHost),
                                        crate::attendance::Role::Panelist => tr.t(K::RolePanelist),
                                        crate::attendance::Role::Attendee => tr.t(K::RoleAttendee),
                                    })
                                }
                                td.num { (minutes(d.attended_seconds)) }
                                td {
                                    @if d.eligible { span.ok { (tr.t(K::EligibleWord)) } } @else { span.no { (tr.t(K::NotEligibleWord)) } }
                                    @if d.overridden { " " (tr.t(K::OverriddenMark)) }
                                }
                                td {
                                    span lang="en" { (d.reason) }
                                    @if !d.review.is_empty() {
                                        br; span.warn { (tr.t(K::ReviewMark)) (tr.t(K::Colon)) span lang="en" { (d.review.join("; ")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div.grid3 {
            form.card method="post" action={ (base) "/override" } {
                h2 { (tr.t(K::OverrideTitle)) }
                (user.csrf_field())
                label for="o-person" { (tr.t(K::PersonLabel)) }
                input #o-person type="text" name="person" list="keys" required;
                label for="o-eligible" { (tr.t(K::Decision)) }
                select #o-eligible name="eligible" { option value="yes" { (tr.t(K::EligibleWord)) } option value="no" { (tr.t(K::NotEligibleWord)) } }
                label for="o-reason" { (tr.t(K::ReasonShown)) }
                input #o-reason type="text" name="reason" required placeholder=(tr.t(K::OverridePlaceholder));
                button type="submit" { (tr.t(K::SaveOverride)) }
            }
            form.card method="post" action={ (base) "/link" } {
                h2 { (tr.t(K::LinkTitle)) }
                (user.csrf_field())
                label for="l-a" { (tr.t(K::FirstKey)) }
                input #l-a type="text" name="a" list="keys" required;
                label for="l-b" { (tr.t(K::SecondKey)) }
                input #l-b type="text" name="b" list="keys" required;
                label for="l-reason" { (tr.t(K::Reason)) }
                input #l-reason type="text" name="reason" required;
                button type="submit" { (tr.t(K::LinkButton)) }
            }
            form.card method="post" action={ (base) "/split" } {
                h2 { (tr.t(K::SplitTitle)) }
                (user.csrf_field())
                label for="s-key" { (tr.t(K::Key)) }
                input #s-key type="text" name="key" list="keys" required;
                label for="s-reason" { (tr.t(K::Reason)) }
                input #s-reason type="text" name="reason" required;
                button type="submit" { (tr.t(K::SplitButton)) }
            }
        }
    };
    Ok(layout(Some(&user), tr.t(K::Attendance), body))
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
