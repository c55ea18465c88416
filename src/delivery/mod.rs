//! Bulk delivery: each valid certificate of an event mailed to its holder once, with a one-time
//! download link (and the PDF attached if staff choose), at a pace the mail server accepts, with
//! a record per certificate that survives crashes.
//!
//! # The state machine, and why
//! ```text
//!   (no record) --send--> queued --claim--> sending --answer--> sent
//!                           ^                  |        \-----> failed --retry failed--> queued
//!                           |                  | sender stopped (crash, kill) before the answer
//!                           |                  v
//!                           +---resend------ unknown        (sent, failed: resend too)
//! ```
//! - **queue** (`send`): one transaction inserts a `queued` record for every valid certificate
//!   with an email that has *no record yet*. A certificate with a record in any state is never
//!   queued again by `send`: that is what makes a second `send` (a double click, the console and
//!   `attest send` at once, a rerun after a crash) send nothing twice.
//! - **claim**: before the SMTP call, the record goes `queued → sending` with a random claim,
//!   the Message-ID the mail will carry and its download link, in one *committed* transaction
//!   (`BEGIN IMMEDIATE`, so two senders cannot take the same record).
//! - **answer**: the server's reply is recorded (`sent` with its answer, `failed` with the
//!   reason), only by the sender holding the claim.
//! - **a crash** between the claim and the answer leaves `sending`. On the next run, records
//!   claimed more than `stale_after` ago become `unknown`, and are *not* sent again on their
//!   own. The rejected alternative was to put them back in the queue: SMTP has no idempotency
//!   key, and the server may well have accepted the mail (its `250` was on the wire when the
//!   process died), so a blind resend is exactly the duplicate this design exists to prevent.
//!   At most one record per running sender can be in that state. Staff can find its Message-ID
//!   in the relay's log and resend it if it is not there. A sender that was only slow (not
//!   dead) still records its answer over `unknown`, so a too-short `stale_after` only shows
//!   `unknown` for a while; it never causes a second mail.
//! - **retry failed** puts only `failed` records back in the queue; **resend** puts one
//!   certificate's record back whatever its state (except while queued or sending): the only
//!   ways a certificate is mailed again, both staff's explicit choice, both in the audit table.
//!
//! Nothing is lost by a crash at any point: the queue is committed before the first mail, each
//! claim before its mail, each answer right after it.
//!
//! # What this module does not do
//! It does not decide who is eligible (issuing did: every valid certificate with an email is
//! sent), does not issue certificates, does not retry failures on its own (a refused address
//! stays refused until staff look), and does not talk SMTP itself (lettre does, in [`Mailer`]).
//! It runs on the calling thread: the web layer runs it on the blocking pool, the CLI in the
//! foreground.

pub mod mailer;
pub mod message;

use std::num::NonZeroU32;
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, Utc};

pub use mailer::{Mailer, Refusal, Transport};
pub use message::MailSettings;

use crate::store::{self, Conn, StoreError, deliveries};

/// How long a record may stay `sending` before its sender is taken for stopped (10 minutes:
/// longer than any one SMTP transaction with lettre's timeouts).
pub const STALE_AFTER: Duration = Duration::from_secs(600);

/// Mails per minute when none is configured: what shared relays commonly accept.
pub const DEFAULT_PER_MINUTE: u32 = 60;

/// Why a run stopped. Mail refusals are not errors: they are recorded and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("randomness unavailable: {0}")]
    Random(String),
    #[error("the sender address (--mail-from) cannot be used: {0}")]
    Sender(String),
}

/// What to put in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every valid certificate with an email that has never been queued.
    New,
    /// Only the records whose last mail failed.
    RetryFailed,
}

/// Access to the database one short step at a time, so that a long run (paced to a rate, waiting
/// on a slow server) does not hold a connection between steps.
pub trait Db {
    fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T;
}

impl Db for std::sync::Mutex<Conn> {
    fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T {
        f(&mut self.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Db for std::cell::RefCell<&mut Conn> {
    fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T {
        f(&mut self.borrow_mut())
    }
}

/// Bulk delivery from the service takes a pooled connection for each short step, never for a
/// whole paced run.
impl Db for store::Store {
    fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T {
        store::Store::with(self, f)
    }
}

/// The sending rate: at most `per_minute` mails a minute, evenly spaced (no burst), shared by
/// every run of a process. Zero means no limit (a local relay, the benchmark).
pub struct Pace(Option<governor::DefaultDirectRateLimiter>);

impl Pace {
    pub fn per_minute(n: u32) -> Pace {
        Pace(
            NonZeroU32::new(n)
                .map(|n| governor::RateLimiter::direct(governor::Quota::per_minute(n).allow_burst(NonZeroU32::MIN))),
        )
    }

    /// Blocks the calling (blocking-pool or CLI) thread until the next mail may go.
    pub fn wait(&self) {
        use governor::clock::{Clock, DefaultClock};
        let Some(limiter) = &self.0 else { return };
        while let Err(not_until) = limiter.check() {
            std::thread::sleep(not_until.wait_time_from(DefaultClock::default().now()));
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    pub failed: usize,
    /// Records found `sending` from a stopped sender and marked `unknown` at the start.
    pub marked_unknown: usize,
}

/// Queues what `mode` says, in one transaction; returns how many records were queued.
pub fn queue(
    conn: &mut Conn,
    event: &store::events::Event,
    mode: Mode,
    attach_pdf: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    match mode {
        Mode::New => deliveries::queue_new(conn, event.id, attach_pdf, actor, now),
        Mode::RetryFailed => deliveries::requeue_failed(conn, event.id, attach_pdf, actor, now),
    }
}

fn random_b64(n: usize) -> Result<String, DeliveryError> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).map_err(|e| DeliveryError::Random(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// A new Message-ID under the sender's domain: `<random@domain>`.
pub fn message_id(mail_from: &str) -> Result<String, DeliveryError> {
    Ok(format!("<{}@{}>", random_b64(18)?, domain(mail_from)?))
}

/// The domain of the sender's address, for Message-IDs.
fn domain(mail_from: &str) -> Result<String, DeliveryError> {
    let mb = mail_from.parse::<lettre::message::Mailbox>().map_err(|e| DeliveryError::Sender(e.to_string()))?;
    Ok(mb.email.domain().to_owned())
}

/// How many times a sender tries a write that another writer kept waiting past the engine's
/// lock timeout (5 s a try, so about a minute in all).
const BUSY_TRIES: u32 = 12;

/// Runs `f` on the database, and again while another writer keeps the database busy (a bulk
/// issue of a large event on another instance), up to [`BUSY_TRIES`] times: a mail the server
/// took must get its record, and a run must not stop with mail unsent for a wait.
fn patiently<D: Db, T>(db: &D, mut f: impl FnMut(&mut Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
    let mut tries = 1;
    loop {
        match db.with(&mut f) {
            Err(e) if e.is_busy() && tries < BUSY_TRIES => {
                tracing::warn!(tries, "database busy with another writer; the sender tries again");
                tries += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            done => return done,
        }
    }
}

/// Sends the event's queued mails one by one until none is left: claim (committed), compose,
/// wait for the pace, send, record the answer. First marks records left `sending` by a stopped
/// sender as `unknown` (see the module doc). `progress` is called after each mail.
pub fn send_queued<D: Db, T: Transport + ?Sized>(
    db: &D,
    event: &store::events::Event,
    transport: &T,
    pace: &Pace,
    settings: &MailSettings,
    stale_after: Duration,
    progress: &dyn Fn(),
) -> Result<Report, DeliveryError> {
    let mut report = Report::default();
    let domain = domain(&settings.mail_from)?;
    let now = Utc::now();
    let before = chrono::Duration::from_std(stale_after)
        .ok()
        .and_then(|d| now.checked_sub_signed(d))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    report.marked_unknown = patiently(db, |c| deliveries::mark_stale(c, before, now))?;
    if report.marked_unknown > 0 {
        tracing::warn!(records = report.marked_unknown, "deliveries left sending by a stopped sender marked unknown");
    }
    let base = settings.public_url.trim_end_matches('/').to_owned();
    // Each mail signs with the issuer as its certificate prints it: a French mail signed
    // "Council of Europe" below a certificate issued by the "Conseil de l’Europe".
    let profile = patiently(db, |c| store::designs::profile(c))?;
    loop {
        // The link's secret stays here (it goes in the mail); only its hash is stored.
        let mut token = String::new();
        let mut fresh = || -> deliveries::Fresh {
            let t = random_b64(32).unwrap_or_default();
            let hash = store::imports::sha256_hex(t.as_bytes());
            token = t;
            deliveries::Fresh {
                claim: random_b64(16).unwrap_or_default(),
                message_id: format!("<{}@{domain}>", random_b64(18).unwrap_or_default()),
                link_sha256: hash,
            }
        };
        let now = Utc::now();
        let expires = now + chrono::Duration::hours(settings.link_hours);
        let Some(claimed) = patiently(db, |c| deliveries::claim_next(c, event.id, &mut fresh, now, expires))? else {
            break;
        };
        if token.is_empty() {
            // getrandom failed inside the claim: give the record back as failed rather than
            // sending a guessable link.
            patiently(db, |c| {
                deliveries::finish(
                    c,
                    claimed.id,
                    &claimed.claim,
                    deliveries::Outcome::Failed("no randomness for the link"),
                    Utc::now(),
                )
            })?;
            return Err(DeliveryError::Random("cannot make a download link".into()));
        }
        let cert = &claimed.certificate;
        let pdf = if claimed.attach_pdf { db.with(|c| store::certificates::pdf(c, &cert.id))? } else { None };
        let link = format!("{base}/download/{token}?lang={}", cert.language);
        let own = MailSettings { issuer: profile.printed_issuer(cert.language, &settings.issuer), ..settings.clone() };
        let outcome =
            match message::compose(cert, &event.title, &link, expires, pdf.as_deref(), &claimed.message_id, &own) {
                Err(e) => Err(Refusal { kind: e.to_string(), detail: e.to_string() }),
                Ok(msg) => {
                    pace.wait();
                    transport.deliver(&msg)
                }
            };
        let recorded = match &outcome {
            Ok(answer) => patiently(db, |c| {
                deliveries::finish(c, claimed.id, &claimed.claim, deliveries::Outcome::Sent(answer), Utc::now())
            })?,
            Err(r) => patiently(db, |c| {
                deliveries::finish(c, claimed.id, &claimed.claim, deliveries::Outcome::Failed(&r.detail), Utc::now())
            })?,
        };
        match &outcome {
            Ok(_) => {
                report.sent += 1;
                tracing::info!(event = %event.slug, certificate = %cert.id, delivery = claimed.id, recorded, "certificate mailed");
            }
            Err(r) => {
                report.failed += 1;
                // The kind and code only: the server's words quote the address.
                tracing::warn!(event = %event.slug, certificate = %cert.id, delivery = claimed.id, reason = %r.kind, "certificate mail failed");
            }
        }
        progress();
    }
    Ok(report)
}
