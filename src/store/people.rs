//! Staff corrections: identity links and splits, and decision overrides with their reasons.

use super::Conn;
use super::engine::{OptionalExtension, Param, params};
use chrono::{DateTime, Utc};

use super::events::Event;
use super::{Result, StoreError, ts};
use crate::attendance::{Decision, Manual, Override, PersonKey};
use crate::language::Language;

pub(super) fn reason_required(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid("a reason is required".into()));
    }
    Ok(())
}

/// The person staff mean by `input` (a key such as `email:…` or `name:…`, an email or a name),
/// among the event's current decisions.
pub fn person(conn: &Conn, event: &Event, input: &str) -> Result<Decision> {
    let key = normalise_key(input);
    let all = decisions(conn, event)?;
    // A key held by one person; else a name as the attendance list shows it (people who gave
    // an email hold no name key, and staff type the name they see). Two people holding one
    // name, as a key or as a name, are not guessed between.
    let (by_key, rest): (Vec<Decision>, Vec<Decision>) =
        all.into_iter().partition(|d| d.key == key || d.keys.contains(&key));
    let plain = input.trim();
    let found =
        if !by_key.is_empty() || plain.contains('@') || plain.starts_with("email:") || plain.starts_with("name:") {
            by_key
        } else {
            let wanted = crate::attendance::name_key(plain);
            rest.into_iter().filter(|d| crate::attendance::name_key(&d.name) == wanted).collect()
        };
    match <[Decision; 1]>::try_from(found) {
        Ok([d]) => Ok(d),
        Err(found) if found.len() > 1 => Err(StoreError::Invalid(format!(
            "{} people are named \"{input}\" in {}: name one by its key ({})",
            found.len(),
            event.slug,
            found.iter().map(|d| d.key.to_string()).collect::<Vec<_>>().join(", ")
        ))),
        Err(_) => Err(StoreError::Invalid(format!(
            "no person \"{input}\" in {slug} (everyone's keys: `attest attendance {slug} --json`, or GET \
             /api/v1/events/{slug}/attendance)",
            slug = event.slug
        ))),
    }
}

/// Checks that a key is held by someone in the event, so that a typo is not stored silently.
fn known_key(conn: &Conn, event: &Event, input: &str) -> Result<PersonKey> {
    let key = normalise_key(input);
    if decisions(conn, event)?.iter().any(|d| d.keys.contains(&key)) {
        Ok(key)
    } else {
        Err(StoreError::NoSuchPerson { key, event: event.slug.clone() })
    }
}

/// Records that the people holding `a` and `b` are one person; returns the two keys.
pub fn link(
    conn: &Conn,
    event: &Event,
    a: &str,
    b: &str,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(PersonKey, PersonKey)> {
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
    conn: &Conn,
    event: &Event,
    key: &str,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<PersonKey> {
    reason_required(reason)?;
    let key = known_key(conn, event, key)?;
    // Who is whom, as rows: a split that leaves it as it was is refused, not recorded. Said to
    // have worked, a split of two people's rows under one name changed nothing.
    let people = |ds: Vec<Decision>| {
        let mut v: Vec<Vec<crate::attendance::Source>> = ds.into_iter().map(|d| d.sources).collect();
        v.sort();
        v
    };
    let before = people(decide_now(conn, event)?);
    conn.atomically(|| {
        conn.execute(
            "INSERT INTO people_links (event_id, kind, key_a, reason, created_by, created_at) VALUES (?1, 'split', ?2, ?3, ?4, ?5)",
            (event.id, &key, reason, actor, ts(now)),
        )?;
        if people(decide_now(conn, event)?) == before {
            return Err(StoreError::NothingToSplit(key.clone()));
        }
        super::audit(conn, now, actor, "people.split", &event.slug, &format!("{key}: {reason}"))
    })?;
    Ok(key)
}

pub fn manual(conn: &Conn, event: &Event) -> Result<Manual> {
    let mut m = Manual::default();
    let rows =
        conn.all("SELECT kind, key_a, key_b FROM people_links WHERE event_id = ?1 ORDER BY id", [event.id], |r| {
            Ok((r.get::<String>(0)?, r.get::<PersonKey>(1)?, r.get::<Option<PersonKey>>(2)?))
        })?;
    // In the order staff made them: a split of either key of an earlier link undoes the link
    // (links win over the rules and over splits, so a link made by mistake could not be undone).
    for row in rows {
        match row {
            (k, a, Some(b)) if k == "link" => m.links.push((a, b)),
            (_, a, _) => {
                m.links.retain(|(x, y)| *x != a && *y != a);
                m.splits.push(a);
            }
        }
    }
    Ok(m)
}

/// Staff's decision for one person: eligible or not whatever the data says, or (`None`) back to
/// what the data says. An override could not be taken back: set to the other answer, it still
/// froze the decision against every later import and rule.
pub fn decide_person(
    conn: &Conn,
    event: &Event,
    key: &PersonKey,
    eligible: Option<bool>,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    match eligible {
        Some(e) => set_override(conn, event, key, e, reason, actor, now),
        None => {
            reason_required(reason)?;
            conn.execute("DELETE FROM overrides WHERE event_id = ?1 AND person_key = ?2", (event.id, key))?;
            super::audit(conn, now, actor, "attendance.override.clear", &event.slug, &format!("{key}: {reason}"))
        }
    }
}

/// Replaces the computed decision for one person; the latest override for a key wins.
pub fn set_override(
    conn: &Conn,
    event: &Event,
    key: &PersonKey,
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

pub fn overrides(conn: &Conn, event: &Event) -> Result<Vec<Override>> {
    let rows = conn.all(
        "SELECT person_key, eligible, reason FROM overrides WHERE event_id = ?1 ORDER BY id",
        [event.id],
        |r| Ok(Override { key: r.get(0)?, eligible: r.get(1)?, reason: r.get(2)? }),
    )?;
    Ok(rows)
}

/// The decisions for an event, from everything stored for it.
///
/// Read from the `decisions` table when they are current (see [`ensure_decided`]); a
/// 100,000-row event is decided once after each change, not on every page.
pub fn decisions(conn: &Conn, event: &Event) -> Result<Vec<Decision>> {
    match ensure_decided(conn, event)? {
        Decided::Made(d) | Decided::Uncached(d) => Ok(d),
        Decided::Current => read_page(conn, event, 0, usize::MAX, false),
    }
}

/// What [`ensure_decided`] found or did.
pub enum Decided {
    /// The stored decisions are current.
    Current,
    /// They were made and stored now (here they are, to save a read).
    Made(Vec<Decision>),
    /// They were made but could not be stored (another writer held the database): the stored
    /// ones are stale, so readers use these.
    Uncached(Vec<Decision>),
}

/// Decides from the stored rows, without looking at or writing the cache.
pub fn decide_now(conn: &Conn, event: &Event) -> Result<Vec<Decision>> {
    let rows = super::imports::rows_for_event(conn, event)?;
    let (window, _) = super::events::effective_window(conn, event)?;
    let manual = manual(conn, event)?;
    let overrides = overrides(conn, event)?;
    Ok(crate::attendance::decide(&rows, window, event.rule, event.panelists_eligible, &manual, &overrides))
}

/// What the stored decisions were made with, besides the stored rows, links and overrides
/// (whose changes the triggers of migration 0012 report): the decision rules of this build and
/// the event's settings as the caller holds them. A build whose rules differ decides again.
fn decided_with(event: &Event) -> String {
    static RULES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| {
        let source = concat!(
            include_str!("../attendance/mod.rs"),
            include_str!("../attendance/names.rs"),
            include_str!("../attendance/people.rs"),
            include_str!("../attendance/intervals.rs"),
            include_str!("../attendance/verdict.rs"),
            include_str!("people.rs")
        );
        super::imports::sha256_hex(format!("{}\n{source}", env!("CARGO_PKG_VERSION")).as_bytes())
    });
    let settings = format!(
        "{rules}|{:?}|{}|{}|{:?}|{:?}",
        event.rule, event.panelists_eligible, event.teams_presenters, event.starts_at, event.ends_at
    );
    super::imports::sha256_hex(settings.as_bytes())
}

/// Makes the event's stored decisions current.
///
/// Writing can fail where reading does not (another writer holds the database past the busy
/// timeout): the decisions are then returned uncached, and the next request tries again.
pub fn ensure_decided(conn: &Conn, event: &Event) -> Result<Decided> {
    let with = decided_with(event);
    let current: Option<String> =
        conn.query_row("SELECT rules FROM decision_sets WHERE event_id = ?1", [event.id], |r| r.get(0)).optional()?;
    if current.as_deref() == Some(with.as_str()) {
        return Ok(Decided::Current);
    }
    let result = conn.atomically(|| {
        let d = decide_now(conn, event)?;
        store_decisions(conn, event, &d, &with)?;
        Ok(d)
    });
    match result {
        Ok(d) => Ok(Decided::Made(d)),
        Err(e @ (StoreError::Sqlite(_) | StoreError::Postgres(_))) => {
            tracing::warn!(event = %event.slug, error = %e, "decisions not cached; deciding without the cache");
            Ok(Decided::Uncached(decide_now(conn, event)?))
        }
        Err(e) => Err(e),
    }
}

/// Decisions written per `INSERT`: a statement's fixed cost, and on PostgreSQL its round trip
/// to the server, shared by a hundred rows (one statement per person made deciding a
/// 50,000-person event take three times as long on PostgreSQL as on SQLite).
const DECISIONS_PER_INSERT: usize = 100;

fn store_decisions(conn: &Conn, event: &Event, decisions: &[Decision], with: &str) -> Result<()> {
    conn.execute("DELETE FROM decisions WHERE event_id = ?1", [event.id])?;
    let json = decisions
        .iter()
        .map(|d| serde_json::to_string(d).map_err(|e| StoreError::Invalid(format!("decision to JSON: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    for (n, chunk) in decisions.chunks(DECISIONS_PER_INSERT).enumerate() {
        let sql = format!(
            "INSERT INTO decisions (event_id, position, person_key, eligible, review, decision) VALUES {}",
            super::engine::values_rows(chunk.len(), 6)
        );
        let mut values: Vec<Param<'_>> = Vec::with_capacity(chunk.len() * 6);
        for (k, d) in chunk.iter().enumerate() {
            let i = n * DECISIONS_PER_INSERT + k;
            values.extend([
                Param::Int(event.id),
                Param::Int(i as i64),
                Param::Text(d.key.as_str()),
                Param::Int(i64::from(d.eligible)),
                Param::Int(d.review.len() as i64),
                Param::Text(&json[i]),
            ]);
        }
        conn.execute(&sql, values)?;
    }
    conn.execute(
        "INSERT INTO decision_sets (event_id, rules, people, computed_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (event_id) DO UPDATE SET rules = excluded.rules, people = excluded.people, computed_at = excluded.computed_at",
        params![event.id, with, decisions.len() as i64, ts(Utc::now())],
    )?;
    Ok(())
}

/// One page of the event's decisions in the attendance list's order: `limit` people from
/// `offset`. Memory and time grow with the page, not with the event.
pub fn decisions_page(conn: &Conn, event: &Event, offset: usize, limit: usize) -> Result<Vec<Decision>> {
    match ensure_decided(conn, event)? {
        Decided::Uncached(d) => Ok(d.into_iter().skip(offset).take(limit).collect()),
        Decided::Current | Decided::Made(_) => read_page(conn, event, offset, limit, false),
    }
}

/// The first `limit` people with something to review, in the attendance list's order.
pub fn review_page(conn: &Conn, event: &Event, limit: usize) -> Result<Vec<Decision>> {
    match ensure_decided(conn, event)? {
        Decided::Uncached(d) => Ok(d.into_iter().filter(|d| !d.review.is_empty()).take(limit).collect()),
        Decided::Current | Decided::Made(_) => read_page(conn, event, 0, limit, true),
    }
}

/// Stored decisions, a page of them, optionally only those with something to review.
fn read_page(conn: &Conn, event: &Event, offset: usize, limit: usize, review: bool) -> Result<Vec<Decision>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = conn.all(
        "SELECT decision FROM decisions WHERE event_id = ?1 AND (?4 = 0 OR review > 0) ORDER BY position LIMIT ?2 OFFSET ?3",
        params![event.id, limit, offset as i64, review],
        |r| r.get::<String>(0),
    )?;
    rows.iter()
        .map(|json| {
            serde_json::from_str(json).map_err(|e| StoreError::Invalid(format!("stored decision unreadable: {e}")))
        })
        .collect()
}

/// The counts the event's page shows, computed by the database from the stored decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub people: usize,
    pub eligible: usize,
    pub review: usize,
    /// Eligible people without a certificate of this event: what "Issue" would issue.
    pub to_issue: usize,
}

pub fn summary(conn: &Conn, event: &Event) -> Result<Summary> {
    if let Decided::Uncached(d) = ensure_decided(conn, event)? {
        let have = super::certificates::person_keys(conn, event.id)?;
        return Ok(Summary {
            people: d.len(),
            eligible: d.iter().filter(|d| d.eligible).count(),
            review: d.iter().filter(|d| !d.review.is_empty()).count(),
            to_issue: d.iter().filter(|d| d.eligible && !have.contains(&d.key)).count(),
        });
    }
    let (people, eligible, review, to_issue): (i64, i64, i64, i64) = conn.query_row(
        "SELECT count(*), count(*) FILTER (WHERE eligible = 1), count(*) FILTER (WHERE review > 0),
                count(*) FILTER (WHERE eligible = 1 AND NOT EXISTS (SELECT 1 FROM certificates c
                    WHERE c.event_id = d.event_id AND c.series_id IS NULL AND c.person_key = d.person_key))
         FROM decisions d WHERE event_id = ?1",
        [event.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(Summary {
        people: people as usize,
        eligible: eligible as usize,
        review: review as usize,
        to_issue: to_issue as usize,
    })
}

/// Prints one attendee's certificate in `language` instead of the event's.
pub fn set_language(
    conn: &Conn,
    event: &Event,
    key: &PersonKey,
    language: Language,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO person_languages (event_id, person_key, language) VALUES (?1, ?2, ?3)
         ON CONFLICT (event_id, person_key) DO UPDATE SET language = excluded.language",
        (event.id, key, language),
    )?;
    super::audit(conn, now, actor, "people.language", &event.slug, &format!("{key}: {language}"))
}

/// The per-attendee language choices of an event.
pub fn languages(conn: &Conn, event: &Event) -> Result<std::collections::HashMap<PersonKey, Language>> {
    let rows = conn.all("SELECT person_key, language FROM person_languages WHERE event_id = ?1", [event.id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.into_iter().collect())
}

/// Turns what staff type into a person key: an email, `name:…`, or a bare name.
pub fn normalise_key(input: &str) -> PersonKey {
    let s = input.trim();
    if let Some(rest) = s.strip_prefix("email:") {
        PersonKey::email(&rest.trim().to_lowercase())
    } else if let Some(rest) = s.strip_prefix("name:") {
        PersonKey::name(&crate::attendance::name_key(rest))
    } else if s.contains('@') {
        PersonKey::email(&s.to_lowercase())
    } else {
        PersonKey::name(&crate::attendance::name_key(s))
    }
}
