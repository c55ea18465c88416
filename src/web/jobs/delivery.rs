//! Bulk delivery as a background job: queue an event's mails (or one certificate's again) and
//! make sure one sender per event runs in this server, on the blocking pool, so that the request
//! that starts it answers at once. The console's delivery page and the API's delivery routes
//! both call these; neither sends mail itself.
//!
//! Exactly-once across servers is not this module's work: a certificate is claimed in the
//! database before its mail goes out ([`crate::delivery`]), so two servers or `attest send` at
//! once mail nobody twice.

use chrono::Utc;

use crate::delivery::{self, Mode};
use crate::store::{self, deliveries, events::Event};
use crate::web::{AppState, WebError};

/// An event's sender in this server: running, or how its last run ended.
#[derive(Clone, Default)]
pub struct DeliveryJob {
    running: bool,
    /// Why the last run stopped, shown on the delivery page.
    pub last_error: Option<String>,
}

/// What starting a delivery did.
pub struct Started {
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
pub async fn start(
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
pub async fn resend(state: &AppState, certificate_id: String, attach_pdf: bool, actor: String) -> Result<(), WebError> {
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

/// The event's sender in this server (a default one, not running, when it never ran here).
pub fn job(state: &AppState, slug: &str) -> DeliveryJob {
    state.inner.deliveries.lock().unwrap_or_else(|e| e.into_inner()).get(slug).cloned().unwrap_or_default()
}

/// An event's delivery as staff see it.
pub struct Progress {
    pub event: Event,
    pub counts: deliveries::Counts,
    pub records: Vec<deliveries::Delivery>,
    /// Whether this server's sender for the event runs.
    pub running: bool,
}

/// The counts and records of an event, after marking the records of a stopped sender unknown.
pub async fn read(state: &AppState, slug: String) -> Result<Progress, WebError> {
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
