//! Staff corrections: identity links and splits, and decision overrides with their reasons.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::events::Event;
use super::{Result, StoreError, ts};
use crate::attendance::{Decision, Manual, Override};

fn reason_required(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid("a reason is required".into()));
    }
    Ok(())
}

/// The person staff mean by `input` (a key such as `email:…` or `name:…`, an email or a name),
/// among the event's current decisions.
pub fn person(conn: &Connection, event: &Event, input: &str) -> Result<Decision> {
    let key = normalise_key(input);
    decisions(conn, event)?.into_iter().find(|d| d.key == key || d.keys.contains(&key)).ok_or_else(|| {
        StoreError::Invalid(format!(
            "no person \"{input}\" in {slug} (keys are listed by `attest attendance {slug} --json`)",
            slug = event.slug
        ))
    })
}

/// Checks that a key is held by someone in the event, so that a typo is not stored silently.
fn known_key(conn: &Connection, event: &Event, input: &str) -> Result<String> {
    let key = normalise_key(input);
    if decisions(conn, event)?.iter().any(|d| d.keys.contains(&key)) {
        Ok(key)
    } else {
        Err(StoreError::Invalid(format!("no person under \"{key}\" in {} (see the review list)", event.slug)))
    }
}

/// Records that the people holding `a` and `b` are one person; returns the two keys.
pub fn link(
    conn: &Connection,
    event: &Event,
    a: &str,
    b: &str,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(String, String)> {
    reason_required(reason)?;
    let (a, b) = (known_key(conn, event, a)?, known_key(conn, event, b)?);
    if a == b {
        return Err(StoreError::Invalid(format!("\"{a}\" is the same key twice")));
    }
    conn.execute(
        "INSERT INTO people_links (event_id, kind, key_a, key_b, reason, created_by, created_at) VALUES (?1, 'link', ?2, ?3, ?4, ?5, ?6)",
        (event.id, &a, &b, reason, actor, ts(now)),
    )?;
    super::audit(conn, now, actor, "people.link", &event.slug, &format!("{a} + {b}: {reason}"))?;
    Ok((a, b))
}

/// Records that the rows holding `key` are a person of their own; returns the key.
pub fn split(
    conn: &Connection,
    event: &Event,
    key: &str,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    reason_required(reason)?;
    let key = known_key(conn, event, key)?;
    conn.execute(
        "INSERT INTO people_links (event_id, kind, key_a, reason, created_by, created_at) VALUES (?1, 'split', ?2, ?3, ?4, ?5)",
        (event.id, &key, reason, actor, ts(now)),
    )?;
    super::audit(conn, now, actor, "people.split", &event.slug, &format!("{key}: {reason}"))?;
    Ok(key)
}

pub fn manual(conn: &Connection, event: &Event) -> Result<Manual> {
    let mut st = conn.prepare("SELECT kind, key_a, key_b FROM people_links WHERE event_id = ?1 ORDER BY id")?;
    let mut m = Manual::default();
    let rows = st.query_map([event.id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    for row in rows {
        match row? {
            (k, a, Some(b)) if k == "link" => m.links.push((a, b)),
            (_, a, _) => m.splits.push(a),
        }
    }
    Ok(m)
}

/// Replaces the computed decision for one person; the latest override for a key wins.
pub fn set_override(
    conn: &Connection,
    event: &Event,
    key: &str,
    eligible: bool,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    reason_required(reason)?;
    conn.execute(
        "INSERT INTO overrides (event_id, person_key, eligible, reason, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (event_id, person_key) DO UPDATE SET eligible = excluded.eligible, reason = excluded.reason,
             created_by = excluded.created_by, created_at = excluded.created_at",
        (event.id, key, eligible, reason, actor, ts(now)),
    )?;
    super::audit(conn, now, actor, "attendance.override", &event.slug, &format!("{key}: eligible={eligible}: {reason}"))
}

pub fn overrides(conn: &Connection, event: &Event) -> Result<Vec<Override>> {
    let mut st = conn.prepare("SELECT person_key, eligible, reason FROM overrides WHERE event_id = ?1 ORDER BY id")?;
    let rows = st
        .query_map([event.id], |r| Ok(Override { key: r.get(0)?, eligible: r.get(1)?, reason: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The decisions for an event, from everything stored for it.
pub fn decisions(conn: &Connection, event: &Event) -> Result<Vec<Decision>> {
    let rows = super::imports::rows_for_event(conn, event)?;
    let (window, _) = super::events::effective_window(conn, event)?;
    let manual = manual(conn, event)?;
    let overrides = overrides(conn, event)?;
    Ok(crate::attendance::decide(&rows, window, event.rule, event.panelists_eligible, &manual, &overrides))
}

/// Prints one attendee's certificate in `language` instead of the event's.
pub fn set_language(
    conn: &Connection,
    event: &Event,
    key: &str,
    language: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if !["en", "fr", "es"].contains(&language) {
        return Err(StoreError::Invalid(format!("language \"{language}\": use en, fr or es")));
    }
    conn.execute(
        "INSERT INTO person_languages (event_id, person_key, language) VALUES (?1, ?2, ?3)
         ON CONFLICT (event_id, person_key) DO UPDATE SET language = excluded.language",
        (event.id, key, language),
    )?;
    super::audit(conn, now, actor, "people.language", &event.slug, &format!("{key}: {language}"))
}

/// The per-attendee language choices of an event.
pub fn languages(conn: &Connection, event: &Event) -> Result<std::collections::HashMap<String, String>> {
    let mut st = conn.prepare("SELECT person_key, language FROM person_languages WHERE event_id = ?1")?;
    let rows = st.query_map([event.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Turns what staff type into a person key: an email, `name:…`, or a bare name.
pub fn normalise_key(input: &str) -> String {
    let s = input.trim();
    if let Some(rest) = s.strip_prefix("email:") {
        format!("email:{}", rest.trim().to_lowercase())
    } else if let Some(rest) = s.strip_prefix("name:") {
        format!("name:{}", crate::attendance::name_key(rest))
    } else if s.contains('@') {
        format!("email:{}", s.to_lowercase())
    } else {
        format!("name:{}", crate::attendance::name_key(s))
    }
}
