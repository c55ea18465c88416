//! Email delivery of an event's certificates: "Send N certificates", its progress (counts by
//! state, refreshed), "retry failed", one certificate's resend, and the per-certificate record
//! with the mail server's answer or the reason it failed.
//!
//! The sending runs on the blocking pool in the background ([`start`]), shared with the API:
//! the request that starts it answers at once. One sender per event runs at a time in this
//! server; and because a certificate is claimed in the database before its mail goes out (see
//! [`crate::delivery`]), even two servers or `attest send` at once mail nobody twice.
//!
//! This page does not choose who is eligible (issuing did), and does not edit the mail's wording
//! (it is the same for every event, in `delivery::message`). Its words come from the console's
//! catalogue ([`super::text`]); the mail server's answers and errors stay as given, marked English.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::text::{K, Tr};
use super::{Done, StaffUser, form_error, layout, refreshing};
use crate::delivery::{self, Mode};
use crate::issuance;
use crate::store::{self, deliveries, deliveries::State as DState, events::Event};
use crate::web::{AppState, WebError};

fn label(tr: &Tr, s: DState) -> &'static str {
    tr.t(match s {
        DState::Queued => K::DeliveryQueued,
        DState::Sending => K::DeliverySending,
        DState::Sent => K::DeliverySent,
        DState::Failed => K::DeliveryFailed,
        DState::Unknown => K::DeliveryUnknown,
    })
}

/// An event's sender in this server: running, or how its last run ended.
#[derive(Clone, Default)]
pub struct DeliveryJob {
    running: bool,
    last_error: Option<String>,
}

/// What starting a delivery did.
pub(in crate::web) struct Started {
    /// Records put in the queue by this request (zero for a second "send").
    pub queued: usize,
    /// Whether a sender is now running for the event (this request's or one already running).
    pub running: bool,
}

fn mail_settings(state: &AppState) -> delivery::MailSettings {
    let c = state.config();
    delivery::MailSettings {
        public_url: c.public_url.clone(),
        issuer: c.issuer.clone(),
        mail_from: c.mail_from.clone(),
        link_hours: c.link_hours,
    }
}

/// Queues what `mode` says for the event and makes sure its sender runs. A second call while
/// one runs queues nothing new (every certificate has its record) and starts no second sender.
pub(in crate::web) async fn start(
    state: &AppState,
    slug: String,
    mode: Mode,
    attach_pdf: bool,
    actor: String,
) -> Result<Started, WebError> {
    let (event, queued) = state
        .blocking(move |conn, _| -> Result<(Event, usize), store::StoreError> {
            let e = store::events::get(conn, &slug)?;
            let n = delivery::queue(conn, &e, mode, attach_pdf, &actor, Utc::now())?;
            Ok((e, n))
        })
        .await??;
    tracing::info!(event = %event.slug, queued, "delivery requested");
    ensure_sender(state, event);
    Ok(Started { queued, running: true })
}

/// Queues one certificate again at staff's request and makes sure its event's sender runs.
pub(in crate::web) async fn resend(
    state: &AppState,
    certificate_id: String,
    attach_pdf: bool,
    actor: String,
) -> Result<(), WebError> {
    let event = state
        .blocking(move |conn, _| -> Result<Event, store::StoreError> {
            let c = deliveries::queue_resend(conn, &certificate_id, attach_pdf, &actor, Utc::now())?;
            store::events::list(conn)?
                .into_iter()
                .find(|e| e.id == c.event_id)
                .ok_or_else(|| store::StoreError::NotFound(format!("no event for certificate {certificate_id}")))
        })
        .await??;
    ensure_sender(state, event);
    Ok(())
}

/// Starts the event's sender unless it runs. The sender ends only after finding the queue
/// empty while holding the jobs lock, so a record queued meanwhile is either seen by it or
/// finds it stopped and starts a new one.
fn ensure_sender(state: &AppState, event: Event) {
    {
        let mut jobs = state.inner.deliveries.lock().unwrap_or_else(|e| e.into_inner());
        let job = jobs.entry(event.slug.clone()).or_default();
        if job.running {
            return;
        }
        *job = DeliveryJob { running: true, last_error: None };
    }
    let bg = state.clone();
    tokio::task::spawn_blocking(move || {
        let settings = mail_settings(&bg);
        loop {
            let inner = &bg.inner;
            let result = delivery::send_queued(
                &inner.db,
                &event,
                &inner.mailer,
                &inner.mail_pace,
                &settings,
                delivery::STALE_AFTER,
                &|| {},
            );
            let mut jobs = inner.deliveries.lock().unwrap_or_else(|e| e.into_inner());
            let more = result.is_ok() && inner.db.with(|c| deliveries::has_queued(c, event.id)).unwrap_or(false);
            if more {
                continue;
            }
            let job = jobs.entry(event.slug.clone()).or_default();
            job.running = false;
            match result {
                Ok(r) => {
                    tracing::info!(event = %event.slug, sent = r.sent, failed = r.failed, "delivery run finished");
                }
                Err(e) => {
                    tracing::error!(event = %event.slug, error = %e, "delivery run stopped");
                    job.last_error = Some(e.to_string());
                }
            }
            break;
        }
    });
}

fn job(state: &AppState, slug: &str) -> DeliveryJob {
    state.inner.deliveries.lock().unwrap_or_else(|e| e.into_inner()).get(slug).cloned().unwrap_or_default()
}

/// An event's delivery as staff see it.
pub(in crate::web) struct Progress {
    pub event: Event,
    pub counts: deliveries::Counts,
    pub records: Vec<deliveries::Delivery>,
    /// Whether this server's sender for the event runs.
    pub running: bool,
}

/// The counts and records of an event, after marking the records of a stopped sender unknown.
pub(in crate::web) async fn read(state: &AppState, slug: String) -> Result<Progress, WebError> {
    let (e, counts, list) = state
        .blocking(move |conn, _| -> Result<_, store::StoreError> {
            let now = Utc::now();
            let stale = chrono::Duration::from_std(delivery::STALE_AFTER).unwrap_or_default();
            deliveries::mark_stale(conn, now.checked_sub_signed(stale).unwrap_or(now), now)?;
            let e = store::events::get(conn, &slug)?;
            let counts = deliveries::counts(conn, e.id)?;
            let list = deliveries::list(conn, e.id)?;
            Ok((e, counts, list))
        })
        .await??;
    let running = job(state, &e.slug).running;
    Ok(Progress { event: e, counts, records: list, running })
}

async fn page(State(state): State<AppState>, user: StaffUser, Path(slug): Path<String>) -> Result<Response, WebError> {
    let Progress { event: e, counts, records: list, running } = read(&state, slug).await?;
    let last_error = job(&state, &e.slug).last_error;
    let base = format!("/staff/events/{}", e.slug);
    let action = format!("{base}/delivery");
    let tr = &user.tr;
    let attach = html! { div.check { label { input type="checkbox" name="attach_pdf" value="on"; " " (tr.t(K::DeliveryAttach)) } } };
    let body = html! {
        p.crumbs { a href=(base) { "← " (e.title) } }
        h1 { (tr.t(K::DeliveryTitle)) }
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
        div.grid {
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
        }
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
                                        @if matches!(d.state, DState::Sent | DState::Failed | DState::Unknown) && d.certificate_status == "valid" {
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
    let page: Markup = if running {
        refreshing(&user, tr.t(K::DeliveryTitle), body)
    } else {
        layout(Some(&user), tr.t(K::DeliveryTitle), body)
    };
    Ok(page.into_response())
}

#[derive(Deserialize)]
struct SendForm {
    csrf: String,
    /// `new` or `retry_failed`.
    mode: String,
    /// A checkbox: present (`on`) when ticked.
    #[serde(default)]
    attach_pdf: String,
}

async fn send(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<SendForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let back = format!("/staff/events/{slug}/delivery");
    let mode = match f.mode.as_str() {
        "retry_failed" => Mode::RetryFailed,
        _ => Mode::New,
    };
    match start(&state, slug, mode, f.attach_pdf == "on", user.member.email.clone()).await {
        Ok(_) => Ok(Done::MailQueued.on(&back).into_response()),
        Err(e) => Ok(form_error(&user, &back, e)),
    }
}

#[derive(Deserialize)]
struct ResendForm {
    csrf: String,
    certificate: String,
    #[serde(default)]
    attach_pdf: String,
}

async fn resend_one(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<ResendForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let back = format!("/staff/events/{slug}/delivery");
    match resend(&state, f.certificate, f.attach_pdf == "on", user.member.email.clone()).await {
        Ok(()) => Ok(Done::MailQueued.on(&back).into_response()),
        Err(e) => Ok(form_error(&user, &back, e)),
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/events/{slug}/delivery", get(page).post(send))
        .route("/staff/events/{slug}/delivery/resend", post(resend_one))
}
