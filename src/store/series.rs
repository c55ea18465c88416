//! Series: their events and rule, and the sessions each series certificate lists.
//!
//! A series certificate is a row of `certificates` like any other (its `series_id` set), so
//! revocation, status lists and verification by ID need nothing of this file; what is here is
//! the series itself and the frozen list of sessions.

use super::Conn;
use super::engine::{FromRow, OptionalExtension, from_columns, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::certificates::{self, Certificate, NewCertificate};
use super::events::{self, Event};
use super::{Result, StoreError, ts};
use crate::attendance::series::{Link, SeriesRule};
use crate::language::Language;

/// A stored series.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub rule: SeriesRule,
    /// Language of its certificates.
    pub language: Language,
    pub created_at: DateTime<Utc>,
}

/// A session as a series certificate lists it, frozen at issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSession {
    pub event_id: i64,
    pub title: String,
    /// `YYYY-MM-DD` in the event's zone.
    pub date: String,
    pub minutes: u32,
    /// The person's certificate for that event at issue, if they held a valid one.
    pub event_certificate: Option<String>,
}

from_columns!(StoredSession { event_id, title, date, minutes, event_certificate });

from_columns!(Series { id, slug, title, rule, language, created_at });

const COLUMNS: &str = "id, slug, title, min_sessions, language, created_at";

/// Checks a slug and title as [`events::validate`] does for events (the language is checked by
/// its type).
pub fn validate(slug: &str, title: &str) -> Result<()> {
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        return Err(StoreError::Invalid(format!(
            "series slug \"{slug}\": use 1 to 64 lower-case letters, digits, '-' or '_'"
        )));
    }
    if title.trim().is_empty() || title.chars().count() > 300 || title.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "the series title is empty, has control characters or is over 300 characters".into(),
        ));
    }
    Ok(())
}

/// Creates a series (its rule "all" until one is set).
pub fn create(
    conn: &Conn,
    slug: &str,
    title: &str,
    language: Language,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Series> {
    validate(slug, title)?;
    let res = conn.execute(
        "INSERT INTO series (slug, title, language, created_at) VALUES (?1, ?2, ?3, ?4)",
        (slug, title.trim(), language, ts(now)),
    );
    match res {
        Err(e) if e.is_constraint() => {
            return Err(StoreError::Conflict(format!("a series \"{slug}\" already exists")));
        }
        r => r?,
    };
    super::audit(conn, now, actor, "series.create", slug, title.trim())?;
    get(conn, slug)
}

pub fn get(conn: &Conn, slug: &str) -> Result<Series> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM series WHERE slug = ?1"), [slug], Series::from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no series \"{slug}\" (see `attest series list`)")))
}

pub fn by_id(conn: &Conn, id: i64) -> Result<Option<Series>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM series WHERE id = ?1"), [id], Series::from_row).optional()
}

pub fn list(conn: &Conn) -> Result<Vec<Series>> {
    let rows = conn.all(&format!("SELECT {COLUMNS} FROM series ORDER BY slug"), (), Series::from_row)?;
    Ok(rows)
}

/// The series' events in the order they were held (their effective window's start; events
/// without one last, by slug).
pub fn events(conn: &Conn, series: &Series) -> Result<Vec<Event>> {
    let slugs: Vec<String> = conn.all(
        "SELECT e.slug FROM series_events s JOIN events e ON e.id = s.event_id WHERE s.series_id = ?1",
        [series.id],
        |r| r.get(0),
    )?;
    let mut out = Vec::new();
    for slug in slugs {
        let e = events::get(conn, &slug)?;
        let (w, _) = events::effective_window(conn, &e)?;
        out.push((w.map(|w| w.start), e));
    }
    out.sort_by(|a, b| (a.0.is_none(), a.0, &a.1.slug).cmp(&(b.0.is_none(), b.0, &b.1.slug)));
    Ok(out.into_iter().map(|(_, e)| e).collect())
}

/// [`add_event`] or [`remove_event`]: the one signature of putting an event in a series and taking
/// it out, so that the console's two forms and the API's two routes each hand over the operation
/// rather than repeat what they do around it.
pub type Membership = fn(&Conn, &Series, &str, &str, DateTime<Utc>) -> Result<()>;

/// Adds an event to the series.
pub fn add_event(conn: &Conn, series: &Series, event: &str, actor: &str, now: DateTime<Utc>) -> Result<()> {
    let e = events::get(conn, event)?;
    conn.execute(
        "INSERT INTO series_events (series_id, event_id) VALUES (?1, ?2) ON CONFLICT (series_id, event_id) DO NOTHING",
        (series.id, e.id),
    )?;
    super::audit(conn, now, actor, "series.add-event", &series.slug, &e.slug)
}

/// Takes an event out of the series. Certificates already issued keep the sessions they list.
pub fn remove_event(conn: &Conn, series: &Series, event: &str, actor: &str, now: DateTime<Utc>) -> Result<()> {
    let e = events::get(conn, event)?;
    let n = conn.execute("DELETE FROM series_events WHERE series_id = ?1 AND event_id = ?2", (series.id, e.id))?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("event \"{event}\" is not in series \"{}\"", series.slug)));
    }
    super::audit(conn, now, actor, "series.remove-event", &series.slug, &e.slug)
}

/// Two addresses as the table holds them: trimmed, lowercased, in byte order; refused when they
/// are one address.
fn address_pair(a: &str, b: &str) -> Result<(String, String)> {
    let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
    if a.is_empty() || b.is_empty() {
        return Err(StoreError::Invalid("two addresses are needed".into()));
    }
    match a.cmp(&b) {
        std::cmp::Ordering::Less => Ok((a, b)),
        std::cmp::Ordering::Greater => Ok((b, a)),
        std::cmp::Ordering::Equal => Err(StoreError::Invalid(format!("\"{a}\" is the same address twice"))),
    }
}

/// Records that `a` and `b` are one person in the series' decisions, with why; returns the link
/// as stored. Linking a pair again changes nothing (its first reason stays, and is returned).
/// Whether the addresses are the series' people is the caller's check
/// ([`crate::issuance::series::link`]).
pub fn link(
    conn: &Conn,
    series: &Series,
    a: &str,
    b: &str,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Link> {
    super::people::reason_required(reason)?;
    let (a, b) = address_pair(a, b)?;
    let n = conn.execute(
        "INSERT INTO series_links (series_id, email_a, email_b, reason, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (series_id, email_a, email_b) DO NOTHING",
        (series.id, &a, &b, reason.trim(), actor, ts(now)),
    )?;
    if n == 1 {
        super::audit(conn, now, actor, "series.link", &series.slug, &format!("{a} + {b}: {}", reason.trim()))?;
    }
    conn.query_row(
        "SELECT email_a, email_b, reason FROM series_links WHERE series_id = ?1 AND email_a = ?2 AND email_b = ?3",
        (series.id, &a, &b),
        Link::from_row,
    )
}

/// Takes back the link between `a` and `b`.
pub fn unlink(conn: &Conn, series: &Series, a: &str, b: &str, actor: &str, now: DateTime<Utc>) -> Result<()> {
    let (a, b) = address_pair(a, b)?;
    let n = conn.execute(
        "DELETE FROM series_links WHERE series_id = ?1 AND email_a = ?2 AND email_b = ?3",
        (series.id, &a, &b),
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("{a} and {b} are not linked in series \"{}\"", series.slug)));
    }
    super::audit(conn, now, actor, "series.unlink", &series.slug, &format!("{a} + {b}"))
}

from_columns!(Link { a, b, reason });

/// The series' links between addresses, in address order.
pub fn links(conn: &Conn, series: &Series) -> Result<Vec<Link>> {
    conn.all(
        "SELECT email_a, email_b, reason FROM series_links WHERE series_id = ?1 ORDER BY email_a, email_b",
        [series.id],
        Link::from_row,
    )
}

/// Sets the rule. "At least N" must be between 1 and the number of events the series has now.
pub fn set_rule(conn: &Conn, series: &Series, rule: SeriesRule, actor: &str, now: DateTime<Utc>) -> Result<Series> {
    if let SeriesRule::AtLeast(n) = rule {
        let count: i64 =
            conn.query_row("SELECT COUNT(*) FROM series_events WHERE series_id = ?1", [series.id], |r| r.get(0))?;
        if n == 0 || i64::from(n) > count {
            // "Add its events first" only when that is the way out: a rule of 0 is never one.
            let advice = if count == 0 {
                "add its events first".to_owned()
            } else if n == 0 {
                format!("give 1 to {count}")
            } else {
                format!("add events first, or give 1 to {count}")
            };
            return Err(StoreError::Invalid(format!(
                "at least {n} sessions: the series has {count} event(s); {advice}"
            )));
        }
    }
    conn.execute("UPDATE series SET min_sessions = ?2 WHERE id = ?1", (series.id, rule.min_sessions()))?;
    super::audit(conn, now, actor, "series.rule", &series.slug, &rule.describe(0))?;
    get(conn, &series.slug)
}

/// The series' certificates, any status.
pub fn certificates(conn: &Conn, series: &Series) -> Result<Vec<Certificate>> {
    let ids: Vec<String> =
        conn.all("SELECT id FROM certificates WHERE series_id = ?1 ORDER BY name, id", [series.id], |r| r.get(0))?;
    ids.iter().map(|id| certificates::get(conn, id).map(|c| c.expect("listed"))).collect()
}

/// The series a certificate was issued for, if it is a series certificate.
pub fn of_certificate(conn: &Conn, id: &str) -> Result<Option<Series>> {
    let sid: Option<i64> =
        conn.query_row("SELECT series_id FROM certificates WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten();
    match sid {
        Some(s) => by_id(conn, s),
        None => Ok(None),
    }
}

/// The sessions a series certificate lists, in order.
pub fn sessions(conn: &Conn, certificate: &str) -> Result<Vec<StoredSession>> {
    let rows = conn.all(
        "SELECT event_id, title, date, minutes, event_certificate FROM series_certificate_sessions
         WHERE certificate_id = ?1 ORDER BY position",
        [certificate],
        StoredSession::from_row,
    )?;
    Ok(rows)
}

fn mark(conn: &Conn, series: &Series, c: &NewCertificate, sessions: &[StoredSession]) -> Result<()> {
    conn.execute("UPDATE certificates SET series_id = ?2 WHERE id = ?1", (&c.id, series.id))?;
    for (i, s) in sessions.iter().enumerate() {
        conn.execute(
            "INSERT INTO series_certificate_sessions (certificate_id, position, event_id, title, date, minutes, event_certificate)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![c.id, i as i64, s.event_id, s.title, s.date, s.minutes, s.event_certificate],
        )?;
    }
    Ok(())
}

/// Stores series certificates with their sessions, all or none.
pub fn insert_all(
    conn: &mut Conn,
    series: &Series,
    certs: &[(NewCertificate, Vec<StoredSession>)],
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    certificates::insert_batch(conn, certs, &format!("series {}", series.slug), actor, now, |tx, (c, sessions)| {
        certificates::insert(tx, c)?;
        mark(tx, series, c, sessions)
    })
}

/// Stores `new` (a series certificate, with the sessions of `old`) and marks `old` superseded by
/// it, in one transaction.
#[expect(clippy::too_many_arguments, reason = "the arguments of certificates::supersede, and the series' own")]
pub fn supersede(
    conn: &mut Conn,
    series: &Series,
    old: &str,
    new: &NewCertificate,
    sessions: &[StoredSession],
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = conn.transaction()?;
    certificates::supersede_in(&tx, old, new, reason, actor, now)?;
    mark(&tx, series, new, sessions)?;
    tx.commit()?;
    Ok(())
}
