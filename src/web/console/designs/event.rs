//! An event's design: which design its certificates take, and redesigning the certificates
//! already issued under another (a background job that reissues them).

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use crate::store;
use crate::web::console::form::{Sent, refused_on};
use crate::web::console::text::K;
use crate::web::console::{Done, PostedOn, StaffUser, UserOn};
use crate::web::{AppState, WebError, jobs};

async fn event_page(UserOn(state, user, slug): UserOn) -> Result<Markup, WebError> {
    event_design_page(&state, &user, slug, &Sent::default()).await
}

/// The choice of an event's design; `sent`: the choice sent back with why it was refused.
async fn event_design_page(state: &AppState, user: &StaffUser, slug: String, sent: &Sent) -> Result<Markup, WebError> {
    let tr = &user.tr;
    let (event, chosen, designs) = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            let chosen = store::designs::event_design(c, e.id)?;
            Ok((e, chosen, store::designs::list(c)?))
        })
        .await??;
    Ok(user.page(
        tr.t(K::DesignButton),
        html! {
            p { a href={ "/staff/events/" (event.slug) } { (tr.t(K::DesignBack)) } }
            h1 { (tr.t(K::DesignButton)) (tr.t(K::Colon)) (event.title) }
            form.card method="post" action={ "/staff/events/" (event.slug) "/design" } {
                (sent.summary(tr))
                p.muted { (tr.t(K::DesignEventHelp)) }
                (user.csrf_field())
                label for="design" { (tr.t(K::DesignButton)) }
                select #design name="design" {
                    option value="" { (tr.t(K::DesignOrgDefault)) }
                    @for d in &designs { option value=(d.id) selected[chosen == Some(d.id)] { (d.name) } }
                }
                button type="submit" { (tr.t(K::DesignUseThis)) }
            }
        },
    ))
}

#[derive(Deserialize)]
struct EventDesignForm {
    design: String,
}

async fn event_save(PostedOn(state, slug, user, f): PostedOn<EventDesignForm>) -> Result<Response, WebError> {
    let actor = user.member.email.clone();
    let s2 = slug.clone();
    let done = state
        .blocking(move |c, _| -> Result<usize, crate::issuance::IssueError> {
            let e = store::events::get(c, &s2)?;
            store::designs::set_event_design(c, e.id, f.design.trim().parse().ok(), &actor, Utc::now())?;
            Ok(crate::issuance::redesign::plan(c, &e)?.certificates.len())
        })
        .await?;
    match done {
        // Certificates printed with another design: the next step is reissuing them, offered
        // with a sample and the count (nothing changes until staff confirm).
        Ok(n) if n > 0 => Ok(Done::DesignAssigned.on(&format!("/staff/events/{slug}/redesign")).into_response()),
        Ok(_) => Ok(Done::DesignAssigned.on(&format!("/staff/events/{slug}")).into_response()),
        Err(e) => {
            let (code, sent) = Sent::refusal("", e)?;
            Ok(refused_on(code, event_design_page(&state, &user, slug, &sent).await?.into_response()))
        }
    }
}

/// The page of "reissue the event's certificates with its design": a sample of the design, how
/// many certificates change and that the old ones stay as superseded, and the one button; while
/// it runs, the progress (the page refreshes itself); when it has run, what it did.
async fn redesign_page(UserOn(state, user, slug): UserOn) -> Result<Response, WebError> {
    reissue_page(&state, &user, slug, &Sent::default()).await
}

/// The reissue with the event's design: its progress while it runs, else the count, the button
/// and a sample; `sent`: the button's refusal (the event being issued elsewhere), said above it.
async fn reissue_page(state: &AppState, user: &StaffUser, slug: String, sent: &Sent) -> Result<Response, WebError> {
    let s = slug.clone();
    let (event, plan) = state
        .blocking(move |c, _| -> Result<_, crate::issuance::IssueError> {
            let e = store::events::get(c, &s)?;
            let p = crate::issuance::redesign::plan(c, &e)?;
            Ok((e, p))
        })
        .await??;
    let tr = &user.tr;
    let base = format!("/staff/events/{}", event.slug);
    let job = jobs::issue::get_redesign(state, &slug);
    let title = tr.t(K::RedesignTitle);
    let design_words = match &plan.design {
        Some((_, name, version)) => tr.f(K::DesignOfVersion, &[("name", name), ("version", version)]),
        None => tr.t(K::BuiltInDesign).to_owned(),
    };
    if let Some(j) = job.as_ref().filter(|j| !j.finished()) {
        let of = tr.f(K::DoneOfTotal, &[("done", &tr.num(j.done() as i64)), ("total", &tr.num(j.total() as i64))]);
        return Ok(crate::web::console::refreshing(
            user,
            title,
            html! {
                h1 { (title) }
                section.card {
                    progress value=(j.done()) max=(j.total().max(1)) { (of) }
                    p role="status" { (tr.f(K::RedesignRunning, &[("of", &of), ("design", &design_words)])) }
                }
            },
        )
        .into_response());
    }
    let n = plan.certificates.len();
    let body = html! {
        p.crumbs { a href=(base) { "← " span translate="no" { (event.title) } } }
        h1 { (title) }
        @match job.and_then(|j| j.outcome()) {
            Some(Ok(done)) => p.notice role="status" { (tr.n(K::RedesignDone, done, &[("design", &design_words)])) },
            Some(Err(e)) => p.error role="alert" { (tr.t(K::RedesignFailed)) " " span lang="en" { (e) } },
            None => {},
        }
        section.card {
            (sent.summary(tr))
            @if n > 0 {
                p { (tr.n(K::RedesignCount, n, &[("design", &design_words)])) }
            } @else {
                p { (tr.f(K::RedesignNone, &[("design", &design_words)])) }
            }
            div.actions {
                @if n > 0 && user.may("POST", "/staff/events/{slug}/redesign") {
                    form.inline method="post" action={ (base) "/redesign" } {
                        (user.csrf_field())
                        button type="submit" { (tr.n(K::RedesignButton, n, &[])) }
                    }
                }
                @if user.may("GET", "/staff/events/{slug}/design") { a.button.secondary href={ (base) "/design" } { (tr.t(K::RedesignOther)) } }
                a.button.secondary href=(base) { (tr.t(K::BackToEvent)) }
            }
        }
        @if let Some((id, _, version)) = &plan.design {
            section.card {
                h2 { (tr.t(K::DesignPreview)) }
                figure.sample {
                    img src={ "/staff/designs/" (id) "/preview.png?sample=long&lang=" (event.language.code()) "&v=" (version) }
                        alt=(tr.f(K::RedesignSampleAlt, &[("design", &design_words)])) width="842";
                    figcaption.muted { (tr.t(K::RedesignSample)) }
                }
            }
        }
    };
    Ok(user.page(title, body).into_response())
}

/// Starts the reissue with the event's design in the background and shows its progress.
async fn redesign_start(
    PostedOn(state, slug, user, _): PostedOn<crate::web::console::NoFields>,
) -> Result<Response, WebError> {
    let page = format!("/staff/events/{slug}/redesign");
    if jobs::issue::get_redesign(&state, &slug).is_some_and(|j| !j.finished()) {
        return Ok(axum::response::Redirect::to(&page).into_response());
    }
    if state.inner.issuing.is_none() {
        return Err(crate::web::console::certificates::no_issuing(&user.tr));
    }
    let s = slug.clone();
    let planned = state
        .blocking(move |c, _| -> Result<_, crate::issuance::IssueError> {
            let e = store::events::get(c, &s)?;
            crate::issuance::check_not_running(c, &e)?;
            let n = crate::issuance::redesign::plan(c, &e)?.certificates.len();
            Ok((e, n))
        })
        .await?;
    match planned {
        Ok((event, n)) => {
            jobs::issue::start_redesign(&state, event, n, user.member.email.clone());
            Ok(axum::response::Redirect::to(&page).into_response())
        }
        Err(e) => {
            let (code, sent) = Sent::refusal("", e)?;
            Ok(refused_on(code, reissue_page(&state, &user, slug, &sent).await?))
        }
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events/{slug}/design", get(event_page).post(event_save))
        .route("/staff/events/{slug}/redesign", get(redesign_page).post(redesign_start))
}
