//! Email delivery of an event's certificates: "Send N certificates", its progress (counts by
//! state, refreshed), "retry failed", one certificate's resend, and the per-certificate record
//! with the mail server's answer or the reason it failed.
//!
//! The sending is a background job ([`crate::web::jobs::delivery`]) that the API starts too: the
//! request that starts it answers at once, and this page shows its progress.
//!
//! This page does not choose who is eligible (issuing did), and does not edit the mail's wording
//! (it is the same for every event, in `delivery::message`). Its words come from the console's
//! catalogue ([`super::text`]); the mail server's answers and errors stay as given, marked English.

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::form::{Sent, sent_back};
use super::text::{K, Tr};
use super::{Done, PostedOn, StaffUser, UserOn, refreshing};
use crate::delivery::Mode;
use crate::issuance;
use crate::store::deliveries::State as DState;
use crate::web::{AppState, WebError, jobs};

fn label(tr: &Tr, s: DState) -> &'static str {
    tr.t(match s {
        DState::Queued => K::DeliveryQueued,
        DState::Sending => K::DeliverySending,
        DState::Sent => K::DeliverySent,
        DState::Failed => K::DeliveryFailed,
        DState::Unknown => K::DeliveryUnknown,
    })
}

async fn page(UserOn(state, user, slug): UserOn) -> Result<Response, WebError> {
    Ok(delivery_page(&state, &user, slug, &Sent::default()).await?.into_response())
}

/// The delivery page; `sent`: a sending form refused, said at the top with its choice kept.
async fn delivery_page(state: &AppState, user: &StaffUser, slug: String, sent: &Sent) -> Result<Markup, WebError> {
    let jobs::delivery::Progress { event: e, counts, records: list, running } =
        jobs::delivery::read(state, slug).await?;
    let last_error = jobs::delivery::job(state, &e.slug).last_error;
    let base = format!("/staff/events/{}", e.slug);
    let action = format!("{base}/delivery");
    let tr = &user.tr;
    let attach = html! { div.check { label { input type="checkbox" name="attach_pdf" value="on" checked[sent.checked("attach_pdf", false)]; " " (tr.t(K::DeliveryAttach)) } } };
    let body = html! {
        p.crumbs { a href=(base) { "← " (e.title) } }
        h1 { (tr.t(K::DeliveryTitle)) }
        (sent.summary(tr))
        p.muted { (tr.t(K::DeliveryIntro)) }
        section.card {
            @if running { p role="status" { (tr.t(K::DeliveryRunning)) } } @else { p role="status" { (tr.t(K::DeliveryIdle)) } }
            @if let Some(err) = &last_error { p.error role="alert" { (tr.m(K::DeliveryLastError, &[("error", html! { span lang="en" { (err) } })])) } }
            table {
                thead { tr { th { (tr.t(K::DeliveryState)) } th.num { (tr.t(K::DeliveryCount)) } } }
                tbody {
                    tr { td { (tr.t(K::DeliveryNotSent)) } td.num { (counts.not_sent) } }
                    @for s in DState::ALL {
                        tr { td { span class={ "delivery " (s.as_str()) } { (label(tr, s)) } } td.num { (counts.get(s)) } }
                    }
                    tr { td.muted { (tr.t(K::DeliveryWithoutEmail)) } td.num { (counts.without_email) } }
                }
            }
        }
        @if user.may("POST", "/staff/events/{slug}/delivery") { div.grid {
            @if counts.not_sent > 0 || (counts.queued > 0 && !running) {
                form.card method="post" action=(action) {
                    (user.csrf_field())
                    input type="hidden" name="mode" value="new";
                    (attach)
                    button type="submit" {
                        @if counts.not_sent > 0 { (tr.n(K::DeliverySendN, counts.not_sent, &[])) }
                        @else { (tr.n(K::DeliveryContinueN, counts.queued, &[])) }
                    }
                }
            } @else {
                p.card.muted { (tr.t(K::DeliveryNothingToSend)) }
            }
            @if counts.failed > 0 {
                form.card method="post" action=(action) {
                    (user.csrf_field())
                    input type="hidden" name="mode" value="retry_failed";
                    (attach)
                    button.secondary type="submit" { (tr.n(K::DeliveryRetryN, counts.failed, &[])) }
                }
            }
        } }
        @if counts.unknown > 0 { p.warn { (tr.t(K::DeliveryUnknownHelp)) } }
        section.card {
            h2 { (tr.t(K::DeliveryRecords)) }
            @if list.is_empty() {
                p.muted { (tr.t(K::DeliveryNoRecords)) }
            } @else {
                div.scroll tabindex="0" {
                    table {
                        thead { tr {
                            th { (tr.t(K::Code)) } th { (tr.t(K::Name)) " · " (tr.t(K::EmailColumn)) } th { (tr.t(K::DeliveryLang)) }
                            th { (tr.t(K::DeliveryState)) } th.num { (tr.t(K::DeliveryTries)) } th { (tr.t(K::DeliveryWhen)) } th { (tr.t(K::DeliveryAnswer)) }
                        } }
                        tbody {
                            @for d in &list {
                                tr {
                                    td.nowrap { a href={ "/staff/certificates/" (d.certificate_id) } { code { (issuance::grouped(&d.certificate_id)) } } }
                                    td { bdi { (d.name) } br; span.muted.wrap { (d.email) } }
                                    td { (d.language) }
                                    td {
                                        span class={ "delivery " (d.state.as_str()) } { (label(tr, d.state)) }
                                        @if matches!(d.state, DState::Sent | DState::Failed | DState::Unknown) && d.certificate_status == "valid" && user.may("POST", "/staff/events/{slug}/delivery/resend") {
                                            form.inline method="post" action={ (action) "/resend" } {
                                                (user.csrf_field())
                                                input type="hidden" name="certificate" value=(d.certificate_id);
                                                input type="hidden" name="attach_pdf" value=(if d.attach_pdf { "on" } else { "" });
                                                button.secondary.small type="submit" title=(tr.t(K::DeliveryResendTitle)) { (tr.t(K::DeliveryResend)) }
                                            }
                                        }
                                    }
                                    td.num { (tr.num(d.attempts)) }
                                    td { (tr.datetime(&d.finished_at.unwrap_or(d.queued_at))) }
                                    td.small {
                                        @if let Some(a) = &d.answer { span lang="en" translate="no" { (a) } }
                                        @if let Some(err) = &d.error { span lang="en" { (err) } }
                                        @if d.certificate_status != "valid" { " (" (super::certificates::status(tr, &d.certificate_status)) ")" }
                                        @if let Some(m) = &d.message_id { br; code.small { (m) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let page: Markup =
        if running { refreshing(user, tr.t(K::DeliveryTitle), body) } else { user.page(tr.t(K::DeliveryTitle), body) };
    Ok(page)
}

#[derive(Deserialize)]
struct SendForm {
    /// `new` or `retry_failed`.
    mode: String,
    /// A checkbox: present (`on`) when ticked.
    #[serde(default)]
    attach_pdf: String,
}

async fn send(PostedOn(state, slug, user, f): PostedOn<SendForm>) -> Result<Response, WebError> {
    let mode = match f.mode.as_str() {
        "retry_failed" => Mode::RetryFailed,
        _ => Mode::New,
    };
    let started =
        jobs::delivery::start(&state, slug.clone(), mode, f.attach_pdf == "on", user.member.email.clone()).await;
    let sent = Sent::posted("", [("attach_pdf".to_owned(), f.attach_pdf)].into_iter().filter(|(_, v)| !v.is_empty()));
    queued_or_sent_back(&state, &user, slug, started.map(|_| ()), sent).await
}

/// The answer to both delivery buttons (send, send one again): the delivery page saying the
/// mail is queued, or, when the job refused, the page again with the refusal above its forms
/// and what was `sent` kept. Written once so that the two buttons cannot answer differently.
async fn queued_or_sent_back(
    state: &AppState,
    user: &StaffUser,
    slug: String,
    queued: Result<(), WebError>,
    mut sent: Sent,
) -> Result<Response, WebError> {
    match queued {
        Ok(()) => Ok(Done::MailQueued.on(&format!("/staff/events/{slug}/delivery")).into_response()),
        Err(e) => {
            sent.refuse_from(e)?;
            Ok(sent_back(delivery_page(state, user, slug, &sent).await?))
        }
    }
}

#[derive(Deserialize)]
struct ResendForm {
    certificate: String,
    #[serde(default)]
    attach_pdf: String,
}

async fn resend_one(PostedOn(state, slug, user, f): PostedOn<ResendForm>) -> Result<Response, WebError> {
    let queued = jobs::delivery::resend(&state, f.certificate, f.attach_pdf == "on", user.member.email.clone()).await;
    queued_or_sent_back(&state, &user, slug, queued, Sent::default()).await
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events/{slug}/delivery", get(page).post(send))
        .route("/staff/events/{slug}/delivery/resend", post(resend_one))
}
