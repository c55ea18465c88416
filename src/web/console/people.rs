//! Attendance: every person with minutes, decision and reason; the review list; linking and
//! splitting people; overrides with a reason.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::form::{Fields, Sent, field, sent_back};
use super::text::{K, Tr};
use super::{Done, PostedOn, StaffUser, UserOn};
use crate::attendance::Decision;
use crate::store::{self, events::Event};
use crate::web::{AppState, WebError};

/// Time attended as people say it: "1 h 41 min" from an hour, "41 min 42 s" below.
fn duration(tr: &Tr, seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        tr.f(K::HoursMinutes, &[("h", &h), ("m", &m)])
    } else {
        tr.f(K::MinutesSeconds, &[("m", &m), ("s", &s)])
    }
}

/// A person's key in words: "address ana@example.org", "name Ana Ruiz".
fn key_words(tr: &Tr, key: &str) -> String {
    if let Some(e) = key.strip_prefix("email:") {
        tr.f(K::KeyEmail, &[("email", &e)])
    } else if let Some(n) = key.strip_prefix("name:") {
        tr.f(K::KeyName, &[("name", &n)])
    } else {
        key.to_owned()
    }
}

/// One option per person: their name and, when known, their address.
fn person_options(decisions: &[Decision], chosen: Option<&str>) -> Markup {
    html! {
        @for d in decisions {
            option value=(d.key) selected[chosen == Some(d.key.as_str())] {
                (d.name) @if let Some(e) = &d.email { " (" (e) ")" }
            }
        }
    }
}

/// People shown on one page of the attendance list: a 10,000-person webinar is 20 pages, and
/// each page costs the same whatever the event's size.
pub const PAGE_SIZE: usize = 500;

/// Links to the previous and next pages of a long list (nothing when it fits on one).
pub(super) fn pager(tr: &super::text::Tr, path: &str, page_no: usize, pages: usize) -> Markup {
    html! {
        @if pages > 1 {
            nav.pager aria-label=(tr.t(K::Pages)) {
                @if page_no > 1 { a href={ (path) "?page=" (page_no - 1) } rel="prev" { "← " (tr.t(K::PreviousPage)) } " " }
                span { (tr.f(K::PageOf, &[("page", &tr.num(page_no as i64)), ("pages", &tr.num(pages as i64))])) }
                @if page_no < pages { " " a href={ (path) "?page=" (page_no + 1) } rel="next" { (tr.t(K::NextPage)) " →" } }
            }
        }
    }
}

/// The page of a long list that `?page=` asks for: the first when it is absent, never below it.
/// An extractor, so that every paged list reads the number alike (attendance, certificates); a
/// `page` that is not a number is refused as axum's `Query` refuses it.
pub(super) struct PageNo(pub usize);

impl<S: Send + Sync> FromRequestParts<S> for PageNo {
    type Rejection = QueryRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        #[derive(Deserialize)]
        struct Asked {
            page: Option<usize>,
        }
        let Query(asked) = Query::<Asked>::from_request_parts(parts, state).await?;
        Ok(PageNo(asked.page.unwrap_or(1).max(1)))
    }
}

#[derive(Deserialize)]
struct PersonQuery {
    /// The person whose row's "Correct" link was followed: chosen in the forms below.
    person: Option<String>,
}

async fn page(
    UserOn(state, user, slug): UserOn,
    PageNo(page_no): PageNo,
    Query(q): Query<PersonQuery>,
) -> Result<Markup, WebError> {
    attendance_page(&state, &user, slug, page_no, q.person.as_deref(), &Sent::default()).await
}

/// The attendance page; `sent` is a correction form sent back with what was wrong.
async fn attendance_page(
    state: &AppState,
    user: &StaffUser,
    slug: String,
    page_no: usize,
    chosen: Option<&str>,
    sent: &Sent,
) -> Result<Markup, WebError> {
    let (event, summary, decisions, review) = state
        .blocking(move |conn, _| -> Result<_, store::StoreError> {
            let e = store::events::get(conn, &slug)?;
            let summary = store::people::summary(conn, &e)?;
            let d = store::people::decisions_page(conn, &e, (page_no - 1).saturating_mul(PAGE_SIZE), PAGE_SIZE)?;
            let review = store::people::review_page(conn, &e, PAGE_SIZE)?;
            Ok((e, summary, d, review))
        })
        .await??;
    let tr = &user.tr;
    let base = format!("/staff/events/{}", event.slug);
    let review: Vec<&Decision> = review.iter().collect();
    let eligible = summary.eligible;
    let pages = summary.people.div_ceil(PAGE_SIZE).max(1);
    let pager = pager(tr, &format!("{base}/attendance"), page_no, pages);
    let body = html! {
        p.crumbs { a href=(base) { "← " span translate="no" { (event.title) } } }
        h1 { (tr.t(K::Attendance)) }
        // A correction sent back: said at the top (the forms are below a long list), each
        // problem linking to its field.
        (sent.summary(tr))
        p {
            (tr.n(K::PeopleN, summary.people, &[])) ", " strong { (tr.n(K::EligibleN, eligible, &[])) } ". "
            (tr.f(K::RuleIs, &[("rule", &super::events::rule(tr, event.rule))]))
        }
        (review_card(tr, &review))
        section.card {
            (pager)
            (people_table(tr, &decisions, page_no, user.may("POST", "/staff/events/{slug}/override")))
            (pager)
        }
        @if user.may("POST", "/staff/events/{slug}/override") { (corrections(user, &base, &decisions, chosen, sent)) }
    };
    Ok(user.page(tr.t(K::Attendance), body))
}

/// What staff should look at before issuing (a person under two emails, a very short stay…).
fn review_card(tr: &Tr, review: &[&Decision]) -> Markup {
    html! {
        @if !review.is_empty() {
            section.card.review {
                h2 { (tr.f(K::ToReviewCount, &[("n", &tr.num(review.len() as i64))])) }
                p.muted { (tr.t(K::ToReviewIntro)) }
                ul {
                    @for d in review {
                        li {
                            bdi { strong { (d.name) } } (tr.t(K::Colon))
                            span lang="en" { (d.review.join("; ")) }
                        }
                    }
                }
            }
        }
    }
}

/// One page of the attendance list: each person's time, decision and reason, and a link to the
/// corrections below with the person chosen (`may_correct`: when the member may make them).
fn people_table(tr: &Tr, decisions: &[Decision], page_no: usize, may_correct: bool) -> Markup {
    // On a phone the rows stack, one block a person with each value under its column's name
    // (`data-label`, site.css): a seven-column table scrolled sideways gave a name a screen of
    // its own. The roles keep the table's semantics, which browsers drop from a table whose
    // parts are no longer displayed as one.
    html! {
        div.scroll tabindex="0" {
            table.people.stacks role="table" {
                thead role="rowgroup" { tr role="row" { th role="columnheader" { (tr.t(K::Name)) } th role="columnheader" { (tr.t(K::EmailColumn)) } th role="columnheader" { (tr.t(K::Role)) } th.num role="columnheader" { (tr.t(K::TimeAttended)) } th role="columnheader" { (tr.t(K::Decision)) } th role="columnheader" { (tr.t(K::Why)) } th role="columnheader" { span.visually-hidden { (tr.t(K::CorrectLink)) } } } }
                tbody role="rowgroup" {
                    @for d in decisions {
                        tr role="row" class=(if d.eligible { "yes" } else { "no" }) {
                            td role="cell" title=(key_words(tr, d.key.as_str())) { bdi { (d.name) } }
                            td role="cell" translate="no" data-label=(tr.labelled(K::EmailColumn)) { (d.email.as_deref().unwrap_or("—")) }
                            td role="cell" data-label=(tr.labelled(K::Role)) {
                                (match d.role {
                                    crate::attendance::Role::Host => tr.t(K::RoleHost),
                                    crate::attendance::Role::Panelist => tr.t(K::RolePanelist),
                                    crate::attendance::Role::Attendee => tr.t(K::RoleAttendee),
                                })
                            }
                            td.num.nowrap role="cell" data-label=(tr.labelled(K::TimeAttended)) { (duration(tr, d.attended_seconds)) }
                            td role="cell" data-label=(tr.labelled(K::Decision)) {
                                @if d.eligible { span.ok { (tr.t(K::EligibleWord)) } } @else { span.no { (tr.t(K::NotEligibleWord)) } }
                                @if d.overridden { " " (tr.t(K::OverriddenMark)) }
                            }
                            td role="cell" data-label=(tr.labelled(K::Why)) {
                                // `99 %` kept on one line: the reason wrapped between the number and its sign.
                                span lang="en" { (d.reason.replace(" %", "\u{a0}%")) }
                                @if !d.review.is_empty() {
                                    br; span.warn { (tr.t(K::ReviewMark)) (tr.t(K::Colon)) span lang="en" { (d.review.join("; ")) } }
                                }
                            }
                            td role="cell" {
                                @if may_correct { a href={ "?page=" (page_no) "&person=" (crate::encoding::percent_path(d.key.as_str())) "#corrections" }
                                    title=(tr.f(K::CorrectLinkTitle, &[("name", &d.name)])) { (tr.t(K::CorrectLink)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The three corrections: an override with its reason, linking two keys as one person, and
/// splitting a key out of a person; `chosen` is preselected.
fn corrections(user: &StaffUser, base: &str, decisions: &[Decision], chosen: Option<&str>, sent: &Sent) -> Markup {
    let tr = &user.tr;
    // A reason field with its kept value and message.
    let reason = |id: &str, label: K, placeholder: Option<&str>| {
        html! {
            label for=(id) { (tr.t(label)) }
            input id=(id) type="text" name="reason" required placeholder=[placeholder] value=(sent.val(id, ""))
                aria-invalid=[sent.invalid(id)] aria-describedby=[sent.described(id)];
            (sent.note(id))
        }
    };
    let pick = |id: &str, fallback: Option<&str>| sent.get(id).map(str::to_owned).or(fallback.map(str::to_owned));
    let merged: Vec<&Decision> = decisions.iter().filter(|d| d.keys.len() > 1).collect();
    html! {
        div.grid3 #corrections {
            form.card method="post" action={ (base) "/override" } novalidate {
                h2 { (tr.t(K::OverrideTitle)) }
                (user.csrf_field())
                label for="o-person" { (tr.t(K::PersonLabel)) }
                select #o-person name="person" required aria-invalid=[sent.invalid("o-person")] aria-describedby=[sent.described("o-person")] {
                    (person_options(decisions, pick("o-person", chosen).as_deref()))
                }
                (sent.note("o-person"))
                @let no = sent.get("o-eligible") == Some("no");
                @let auto = sent.get("o-eligible") == Some("auto");
                label for="o-eligible" { (tr.t(K::Decision)) }
                select #o-eligible name="eligible" {
                    option value="yes" { (tr.t(K::EligibleWord)) }
                    option value="no" selected[no] { (tr.t(K::NotEligibleWord)) }
                    option value="auto" selected[auto] { (tr.t(K::AsTheDataSays)) }
                }
                (reason("o-reason", K::ReasonShown, Some(tr.t(K::OverridePlaceholder))))
                button.secondary type="submit" { (tr.t(K::SaveOverride)) }
            }
            form.card method="post" action={ (base) "/link" } novalidate {
                h2 { (tr.t(K::LinkTitle)) }
                p.muted { (tr.t(K::LinkHelp)) }
                (user.csrf_field())
                label for="l-a" { (tr.t(K::FirstKey)) }
                select #l-a name="a" required aria-invalid=[sent.invalid("l-a")] aria-describedby=[sent.described("l-a")] {
                    (person_options(decisions, pick("l-a", chosen).as_deref()))
                }
                (sent.note("l-a"))
                label for="l-b" { (tr.t(K::SecondKey)) }
                select #l-b name="b" required aria-invalid=[sent.invalid("l-b")] aria-describedby=[sent.described("l-b")] {
                    (person_options(decisions, pick("l-b", None).as_deref()))
                }
                (sent.note("l-b"))
                (reason("l-reason", K::Reason, None))
                button.secondary type="submit" { (tr.t(K::LinkButton)) }
            }
            section.card {
                h2 { (tr.t(K::SplitTitle)) }
                @if merged.is_empty() {
                    p.muted { (tr.t(K::SplitNone)) }
                } @else {
                    form method="post" action={ (base) "/split" } novalidate {
                        (user.csrf_field())
                        label for="s-key" { (tr.t(K::Key)) }
                        @let kept = sent.get("s-key");
                        select #s-key name="key" required aria-invalid=[sent.invalid("s-key")] aria-describedby=[sent.described("s-key")] {
                            @for d in &merged { @for k in &d.keys {
                                option value=(k) selected[kept.map_or(chosen == Some(d.key.as_str()), |v| v == k.as_str())] { (d.name) " — " (key_words(tr, k.as_str())) }
                            } }
                        }
                        (sent.note("s-key"))
                        (reason("s-reason", K::Reason, None))
                        button.secondary type="submit" { (tr.t(K::SplitButton)) }
                    }
                }
            }
        }
    }
}

/// Runs a correction and goes back to the attendance page; refused, the page comes back with
/// the form as it was posted and what was wrong, next to the field.
async fn correct(
    state: AppState,
    user: StaffUser,
    slug: String,
    what: Done,
    mut sent: Sent,
    person_field: &'static str,
    f: impl FnOnce(&store::Conn, &Event, &str) -> Result<(), store::StoreError> + Send + 'static,
) -> Result<Response, WebError> {
    if !sent.refused() {
        let actor = user.member.email.clone();
        let s = slug.clone();
        let done = state
            .blocking(move |conn, _| {
                let e = store::events::get(conn, &s)?;
                f(conn, &e, &actor)
            })
            .await?;
        match done {
            Ok(()) => return Ok(what.on(&format!("/staff/events/{slug}/attendance")).into_response()),
            // The people in the form are from the page: someone else linked or split them since.
            Err(store::StoreError::NoSuchPerson { .. }) => {
                sent.refuse(person_field, user.tr.t(K::FormNoSuchPerson));
            }
            Err(store::StoreError::NothingToSplit(_)) => {
                sent.refuse(person_field, user.tr.t(K::FormSplitNothing));
            }
            Err(e) => sent.refuse_from(e)?,
        }
    }
    let chosen = sent.get(person_field).map(str::to_owned);
    Ok(sent_back(attendance_page(&state, &user, slug, 1, chosen.as_deref(), &sent).await?))
}

/// The posted form as the page's ids (`prefix` + name), with an empty reason refused.
fn posted(tr: &Tr, prefix: &'static str, fields: &Fields) -> Sent {
    let mut sent = Sent::posted(prefix, fields.iter().cloned()).in_form(prefix);
    if field(fields, "reason").trim().is_empty() {
        sent.refuse(&format!("{prefix}reason"), tr.t(K::FormReasonRequired));
    }
    sent
}

async fn set_override(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let sent = posted(&user.tr, "o-", &f);
    let eligible = match field(&f, "eligible") {
        "auto" => None,
        answer => Some(answer == "yes"),
    };
    let (person, reason) = (field(&f, "person").to_owned(), field(&f, "reason").to_owned());
    correct(state, user, slug, Done::Overridden, sent, "o-person", move |conn, e, actor| {
        let d = store::people::person(conn, e, &person)?;
        store::people::decide_person(conn, e, &d.key, eligible, &reason, actor, Utc::now())
    })
    .await
}

async fn link(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let mut sent = posted(&user.tr, "l-", &f);
    let (a, b, reason) = (field(&f, "a").to_owned(), field(&f, "b").to_owned(), field(&f, "reason").to_owned());
    if a == b {
        sent.refuse("l-b", user.tr.t(K::FormSamePerson));
    }
    correct(state, user, slug, Done::Linked, sent, "l-a", move |conn, e, actor| {
        store::people::link(conn, e, &a, &b, &reason, actor, Utc::now()).map(|_| ())
    })
    .await
}

async fn split(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let sent = posted(&user.tr, "s-", &f);
    let (key, reason) = (field(&f, "key").to_owned(), field(&f, "reason").to_owned());
    correct(state, user, slug, Done::Split, sent, "s-key", move |conn, e, actor| {
        store::people::split(conn, e, &key, &reason, actor, Utc::now()).map(|_| ())
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
