//! Deliveries: one record per certificate saying where its mail stands (migration 0010).
//!
//! Only the transitions live here, each one statement or one transaction, so that every state
//! the record passes through is committed before the next step happens; the order of steps and
//! why `sending` is never resent blindly are in [`crate::delivery`]. This file does not compose
//! or send mail, and does not decide who gets one beyond "a valid certificate with an email".

use super::Conn;
use super::engine::{FromRow, FromValue, OptionalExtension, Value, from_columns, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::certificates::Certificate;
use super::{Result, StoreError, ts};

/// Where one certificate's mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Queued,
    Sending,
    Sent,
    Failed,
    Unknown,
}

impl State {
    pub const ALL: [State; 5] = [State::Queued, State::Sending, State::Sent, State::Failed, State::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Failed => "failed",
            State::Unknown => "unknown",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "queued" => State::Queued,
            "sending" => State::Sending,
            "sent" => State::Sent,
            "failed" => State::Failed,
            _ => State::Unknown,
        }
    }
}

/// How many records of an event are in each state, and how many valid certificates have none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub queued: usize,
    pub sending: usize,
    pub sent: usize,
    pub failed: usize,
    pub unknown: usize,
    /// Valid certificates with an email and no delivery record yet: what "send" would queue.
    pub not_sent: usize,
    /// Valid certificates without an email: nobody to send them to.
    pub without_email: usize,
}

impl Counts {
    pub fn get(&self, s: State) -> usize {
        match s {
            State::Queued => self.queued,
            State::Sending => self.sending,
            State::Sent => self.sent,
            State::Failed => self.failed,
            State::Unknown => self.unknown,
        }
    }
}

/// A delivery record with what staff need to read it.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub certificate_id: String,
    pub name: String,
    pub email: String,
    /// The certificate's language, which the mail is written in.
    pub language: crate::language::Language,
    /// The certificate's status now (`valid`, `revoked`, `superseded`).
    pub certificate_status: String,
    pub state: State,
    pub attach_pdf: bool,
    pub sends: u32,
    pub attempts: u32,
    pub queued_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub message_id: Option<String>,
    pub answer: Option<String>,
    pub error: Option<String>,
}

from_columns!(Delivery {
    id,
    certificate_id,
    name,
    email,
    language,
    certificate_status,
    state,
    attach_pdf,
    sends,
    attempts,
    queued_at,
    finished_at,
    message_id,
    answer,
    error,
});

/// A state as stored; a word this build does not know reads as [`State::Unknown`].
impl FromValue for State {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        String::from_value(v).map(|s| State::parse(&s))
    }
}

/// A record claimed for sending: the sender holds `claim` and must present it to record the
/// outcome.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub claim: String,
    pub certificate: Certificate,
    pub attach_pdf: bool,
    pub message_id: String,
}

/// A certificate that can be mailed: valid, with an email.
const SENDABLE: &str = "c.status = 'valid' AND c.email IS NOT NULL AND trim(c.email) <> ''";

pub fn counts(conn: &Conn, event_id: i64) -> Result<Counts> {
    let mut out = Counts::default();
    let rows =
        conn.all("SELECT state, count(*) FROM deliveries WHERE event_id = ?1 GROUP BY state", [event_id], |r| {
            Ok((r.get::<String>(0)?, r.get::<i64>(1)? as usize))
        })?;
    for (state, n) in rows {
        match State::parse(&state) {
            State::Queued => out.queued = n,
            State::Sending => out.sending = n,
            State::Sent => out.sent = n,
            State::Failed => out.failed = n,
            State::Unknown => out.unknown = n,
        }
    }
    out.not_sent = conn.query_row(
        &format!(
            "SELECT count(*) FROM certificates c WHERE c.event_id = ?1 AND {SENDABLE}
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.certificate_id = c.id)"
        ),
        [event_id],
        |r| r.get::<i64>(0),
    )? as usize;
    out.without_email = conn.query_row(
        "SELECT count(*) FROM certificates c WHERE c.event_id = ?1 AND c.status = 'valid'
         AND (c.email IS NULL OR trim(c.email) = '')",
        [event_id],
        |r| r.get::<i64>(0),
    )? as usize;
    Ok(out)
}

/// Every delivery record of an event, by name.
pub fn list(conn: &Conn, event_id: i64) -> Result<Vec<Delivery>> {
    let rows = conn.all(
        "SELECT d.id, d.certificate_id, c.name, COALESCE(c.email, ''), c.language, c.status, d.state, d.attach_pdf, d.sends,
                d.attempts, d.queued_at, d.finished_at, d.message_id, d.answer, d.error
         FROM deliveries d JOIN certificates c ON c.id = d.certificate_id
         WHERE d.event_id = ?1 ORDER BY c.name, d.id",
        [event_id],
        Delivery::from_row,
    )?;
    Ok(rows)
}

/// Queues every valid certificate of the event that has an email and no record yet, in one
/// transaction. Returns how many were queued. A certificate with a record in any state is left
/// alone: that is what keeps a second "send" from mailing anyone twice.
pub fn queue_new(conn: &mut Conn, event_id: i64, attach_pdf: bool, actor: &str, now: DateTime<Utc>) -> Result<usize> {
    queue_many(
        conn,
        &format!(
            "INSERT INTO deliveries (certificate_id, event_id, state, attach_pdf, queued_at, queued_by)
             SELECT c.id, c.event_id, 'queued', ?2, ?3, ?4 FROM certificates c
             WHERE c.event_id = ?1 AND {SENDABLE}
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.certificate_id = c.id)
             ORDER BY c.name, c.id"
        ),
        "delivery.queue",
        event_id,
        attach_pdf,
        actor,
        now,
    )
}

/// Puts the event's failed records back in the queue (only those: sent and unknown ones stay),
/// when their certificate is still valid.
pub fn requeue_failed(
    conn: &mut Conn,
    event_id: i64,
    attach_pdf: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    queue_many(
        conn,
        "UPDATE deliveries SET state = 'queued', attach_pdf = ?2, queued_at = ?3, queued_by = ?4, claim = NULL
         WHERE event_id = ?1 AND state = 'failed'
         AND certificate_id IN (SELECT id FROM certificates WHERE status = 'valid')",
        "delivery.retry",
        event_id,
        attach_pdf,
        actor,
        now,
    )
}

/// Runs `sql`, which queues some of the event's mails (its parameters: `?1` the event, `?2`
/// whether to attach the PDF, `?3` the time, `?4` the actor), and audits it as `action` when it
/// queued any, in one transaction that takes the write lock first (a sender claiming at the same
/// time must see all of them or none). How many it queued.
fn queue_many(
    conn: &mut Conn,
    sql: &str,
    action: &str,
    event_id: i64,
    attach_pdf: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    let tx = conn.transaction_immediate()?;
    let n = tx.execute(sql, (event_id, attach_pdf, ts(now), actor))?;
    if n > 0 {
        super::audit(&tx, now, actor, action, &format!("event {event_id}"), &format!("{n} mail(s)"))?;
    }
    tx.commit()?;
    Ok(n)
}

/// Queues one certificate again although it may have been mailed already: staff asked for it.
/// Refused while its mail is queued or being sent, and for a certificate that is not valid or
/// has no email.
pub fn queue_resend(
    conn: &mut Conn,
    certificate_id: &str,
    attach_pdf: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Certificate> {
    let tx = conn.transaction_immediate()?;
    let cert = super::certificates::get(&tx, certificate_id)?
        .ok_or_else(|| StoreError::NotFound(format!("no certificate {certificate_id}")))?;
    if cert.status != "valid" {
        return Err(StoreError::Conflict(format!(
            "certificate {certificate_id} is {}: only a valid certificate is sent",
            cert.status
        )));
    }
    if cert.email.as_deref().is_none_or(|e| e.trim().is_empty()) {
        return Err(StoreError::Invalid(format!("certificate {certificate_id} has no email address to send it to")));
    }
    let state: Option<String> = tx
        .query_row("SELECT state FROM deliveries WHERE certificate_id = ?1", [certificate_id], |r| r.get(0))
        .optional()?;
    match state.as_deref().map(State::parse) {
        Some(s @ (State::Queued | State::Sending)) => {
            return Err(StoreError::Conflict(format!(
                "the mail of certificate {certificate_id} is {} already",
                s.as_str()
            )));
        }
        Some(_) => {
            tx.execute(
                "UPDATE deliveries SET state = 'queued', attach_pdf = ?2, queued_at = ?3, queued_by = ?4, claim = NULL
                 WHERE certificate_id = ?1",
                (certificate_id, attach_pdf, ts(now), actor),
            )?;
        }
        None => {
            tx.execute(
                "INSERT INTO deliveries (certificate_id, event_id, state, attach_pdf, queued_at, queued_by)
                 VALUES (?1, ?2, 'queued', ?3, ?4, ?5)",
                (certificate_id, cert.event_id, attach_pdf, ts(now), actor),
            )?;
        }
    }
    super::audit(&tx, now, actor, "delivery.resend", certificate_id, "queued again at staff's request")?;
    tx.commit()?;
    Ok(cert)
}

/// Claims the event's next queued record: `queued` → `sending`, with a fresh claim, the
/// Message-ID the mail will carry and the hash of its one-time download link, all in one
/// committed transaction. Only then may the mail go out. A record whose certificate stopped
/// being valid after it was queued is marked failed instead, and the next one is taken.
pub fn claim_next(
    conn: &mut Conn,
    event_id: i64,
    fresh: &mut dyn FnMut() -> Fresh,
    now: DateTime<Utc>,
    link_expires: DateTime<Utc>,
) -> Result<Option<Claimed>> {
    loop {
        // Immediate: the write lock is taken before reading, so two senders (the console and
        // `attest send`) cannot both read the same queued record.
        let tx = conn.transaction_immediate()?;
        let next: Option<(i64, String, bool)> = tx
            .query_row(
                "SELECT id, certificate_id, attach_pdf FROM deliveries WHERE event_id = ?1 AND state = 'queued'
                 ORDER BY id LIMIT 1",
                [event_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, cert_id, attach_pdf)) = next else { return Ok(None) };
        let cert = super::certificates::get(&tx, &cert_id)?
            .ok_or_else(|| StoreError::NotFound(format!("no certificate {cert_id}")))?;
        if cert.status != "valid" {
            tx.execute(
                "UPDATE deliveries SET state = 'failed', finished_at = ?2, error = ?3 WHERE id = ?1",
                (id, ts(now), format!("not sent: the certificate was {} after it was queued", cert.status)),
            )?;
            tx.commit()?;
            continue;
        }
        let f = fresh();
        tx.execute(
            "UPDATE deliveries SET state = 'sending', claim = ?2, claimed_at = ?3, attempts = attempts + 1,
             message_id = ?4, answer = NULL, error = NULL, finished_at = NULL WHERE id = ?1",
            (id, &f.claim, ts(now), &f.message_id),
        )?;
        super::certificates::create_link(&tx, &cert_id, &f.link_sha256, now, link_expires)?;
        tx.commit()?;
        return Ok(Some(Claimed { id, claim: f.claim, certificate: cert, attach_pdf, message_id: f.message_id }));
    }
}

/// The random values one claim needs, made by the caller (who keeps the link's secret).
pub struct Fresh {
    pub claim: String,
    pub message_id: String,
    pub link_sha256: String,
}

/// What happened to a claimed mail.
pub enum Outcome<'a> {
    /// The server accepted it; its answer.
    Sent(&'a str),
    /// It was refused or the server could not be reached; why.
    Failed(&'a str),
}

/// Records the outcome of a claimed mail. Also from `unknown`: a sender that was only slow
/// (taken for stopped by another) still records the truth. Returns false when the record no
/// longer bears this claim (it was resent meanwhile at staff's request).
pub fn finish(conn: &Conn, id: i64, claim: &str, outcome: Outcome, now: DateTime<Utc>) -> Result<bool> {
    let (state, answer, error, sent) = match outcome {
        Outcome::Sent(a) => ("sent", Some(a), None, 1),
        Outcome::Failed(e) => ("failed", None, Some(e), 0),
    };
    let n = conn.execute(
        "UPDATE deliveries SET state = ?3, answer = ?4, error = ?5, sends = sends + ?6, finished_at = ?7
         WHERE id = ?1 AND claim = ?2 AND state IN ('sending', 'unknown')",
        params![id, claim, state, answer, error, sent, ts(now)],
    )?;
    Ok(n == 1)
}

/// Marks records claimed at or before `stale_before` and still `sending` as `unknown`: their
/// sender stopped (a crash, a kill, a power cut) between the claim and recording the answer, so
/// the mail may or may not have gone out. They are never resent on their own; staff decide.
pub fn mark_stale(conn: &Conn, stale_before: DateTime<Utc>, now: DateTime<Utc>) -> Result<usize> {
    let n = conn.execute(
        "UPDATE deliveries SET state = 'unknown', finished_at = ?2,
         error = 'the sender stopped after taking this mail and before the server''s answer was recorded: it may or may not have been delivered (look for its Message-ID in the mail server''s log, then resend if it is not there)'
         WHERE state = 'sending' AND claimed_at <= ?1",
        (ts(stale_before), ts(now)),
    )?;
    Ok(n)
}

/// Whether the event has queued records left.
pub fn has_queued(conn: &Conn, event_id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM deliveries WHERE event_id = ?1 AND state = 'queued' LIMIT 1", [event_id], |_| Ok(()))
        .optional()?
        .is_some())
}
