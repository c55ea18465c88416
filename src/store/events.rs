//! Events: a seminar session, its window, zone, language and attendance rule.

use super::Conn;
use super::engine::{FromRow, OptionalExtension, ToParam, from_columns, params};
use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::{Result, StoreError, parse_ts, ts};
use crate::attendance::{Rule, Window};
use crate::language::Language;

/// A stored event.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// A free-text line printed on the certificate under the title (a programme's name, e.g.
    /// "HELP online seminars"). Not a [`super::series::Series`]: an event belongs to those
    /// through the series' own list of events, whatever this line says.
    pub series: Option<String>,
    /// Window set by staff; `None` when it comes from the exports' headers.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA zone the event is held in; also the default zone of its imports. JSON (`attest
    /// event list --json`) shows its name.
    #[serde(serialize_with = "zone_name")]
    pub timezone: Tz,
    /// The language of its certificates, unless an attendee chose another
    /// (`people::set_language`).
    pub language: Language,
    pub rule: Rule,
    /// Panelists receive certificates too when set.
    pub panelists_eligible: bool,
    pub template: Option<String>,
    pub created_at: DateTime<Utc>,
    /// How Teams reports' `Presenter` role reads for this event: `auto` (each upload's own
    /// reading: attendee in a meeting, panelist in a webinar), `attendee` or `panelist`.
    pub teams_presenters: String,
}

/// A zone as its IANA name (chrono-tz's serde feature is off, and the name is what JSON showed
/// when the field was a string).
fn zone_name<S: serde::Serializer>(tz: &Tz, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

impl Event {
    /// The zone the event is held in (read checked from the database: an unknown name there is
    /// an error when the event is read, never UTC).
    pub fn tz(&self) -> Tz {
        self.timezone
    }

    pub fn window(&self) -> Option<Window> {
        Some(Window { start: self.starts_at?, end: self.ends_at? })
    }
}

/// What staff give to create an event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub slug: String,
    pub title: String,
    /// The printed line of [`Event::series`], not a series of events.
    pub series: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub timezone: Tz,
    pub language: Language,
    pub rule: Rule,
    pub panelists_eligible: bool,
    /// Template name (a file stem under `assets/templates/`) instead of the language's default.
    pub template: Option<String>,
}

impl NewEvent {
    /// An event with `attest event create`'s defaults for what is not given: no window yet (it
    /// comes from the exports), English, at least 75 % of the window, panelists not eligible,
    /// the language's own template.
    pub fn new(slug: &str, title: &str, timezone: Tz) -> NewEvent {
        NewEvent {
            slug: slug.into(),
            title: title.into(),
            series: None,
            starts_at: None,
            ends_at: None,
            timezone,
            language: Language::En,
            rule: Rule::MinPercent(75),
            panelists_eligible: false,
            template: None,
        }
    }
}

/// An IANA zone name such as `Europe/Paris`.
pub fn parse_zone(s: &str) -> Result<Tz> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| StoreError::Invalid(format!("unknown time zone \"{s}\" (use an IANA name such as Europe/Paris)")))
}

/// A local date-time in `tz` (as typed, or from an HTML `datetime-local` field) → UTC. Refuses
/// times that do not exist or happen twice rather than guessing.
pub fn local_time(s: &str, tz: Tz) -> Result<DateTime<Utc>> {
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s.trim(), f).ok())
        .ok_or_else(|| StoreError::Invalid(format!("cannot read \"{s}\" as a date and time (use 2025-03-14T10:00)")))?;
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(..) => Err(StoreError::Invalid(format!(
            "{s} happens twice in {tz} (end of DST): give the time in UTC with --tz UTC"
        ))),
        chrono::LocalResult::None => Err(StoreError::Invalid(format!("{s} does not exist in {tz} (start of DST)"))),
    }
}

/// The longest event title, in characters: two lines of the certificate at the smallest size.
const MAX_TITLE: usize = 300;
/// The years an event's window may fall in.
const FIRST_YEAR: i32 = 1990;
const LAST_YEAR: i32 = 2200;

/// Checks what the schema cannot: a slug usable in URLs and file names, a sane window.
pub fn validate(e: &NewEvent) -> Result<()> {
    let ok = !e.slug.is_empty()
        && e.slug.len() <= 64
        && e.slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        return Err(StoreError::Invalid(format!(
            "event slug \"{}\": use 1 to 64 lower-case letters, digits, '-' or '_'",
            e.slug
        )));
    }
    if e.title.trim().is_empty() {
        return Err(StoreError::Invalid("the event title is empty".into()));
    }
    // A title is printed on every certificate and page: a line break or another control
    // character would break the layout, and a thousand characters cannot be printed.
    if e.title.chars().any(char::is_control) || e.title.chars().count() > MAX_TITLE {
        return Err(StoreError::Invalid(format!(
            "the event title must be at most {MAX_TITLE} characters, without line breaks or control characters"
        )));
    }
    // Years a seminar can have: the year 0 was stored, then could not be read back (its UTC
    // time falls before the year 0), and every list of events failed with it.
    for (what, t) in [("start", e.starts_at), ("end", e.ends_at)] {
        if let Some(t) = t.filter(|t| !(FIRST_YEAR..=LAST_YEAR).contains(&t.year())) {
            return Err(StoreError::Invalid(format!(
                "the event's {what} ({}) is not a date attest takes: give one from {FIRST_YEAR} to {LAST_YEAR}",
                t.format("%Y-%m-%d %H:%M UTC")
            )));
        }
    }
    match (e.starts_at, e.ends_at) {
        (Some(s), Some(t)) if t <= s => return Err(StoreError::Invalid("the event ends before it starts".into())),
        (Some(_), None) | (None, Some(_)) => {
            // Said for the command line and the API alike (the API's answer named only the flags).
            return Err(StoreError::Invalid(
                "give both the start and the end (--starts and --ends; the API's starts and ends), or neither".into(),
            ));
        }
        _ => {}
    }
    if let Rule::MinPercent(p) = e.rule {
        if p > 100 {
            return Err(StoreError::Invalid(format!(
                "the minimum percent {p} (--min-percent; the API's rule_value) is over 100"
            )));
        }
    }
    Ok(())
}

/// Creates the event, and reads it back in the same transaction: an event that cannot be read
/// back is not left behind (one was, and broke every list of events).
pub fn create(conn: &Conn, e: &NewEvent, actor: &str, now: DateTime<Utc>) -> Result<Event> {
    validate(e)?;
    conn.atomically(|| {
        let res = write_details(
            conn,
            "INSERT INTO events (slug, title, series, starts_at, ends_at, timezone, language, rule_kind, rule_value, panelists_eligible, template, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            &e.slug,
            e,
            params![ts(now)],
        );
        match res {
            Err(f) if f.is_constraint() => {
                return Err(StoreError::DuplicateEvent(e.slug.clone()));
            }
            r => r?,
        };
        super::audit(conn, now, actor, "event.create", &e.slug, &e.title)?;
        get(conn, &e.slug)
    })
}

/// Changes an event's details; its slug stays (it is in URLs and file names). Certificates
/// already issued keep what they printed: they are frozen at issue.
pub fn update(conn: &Conn, slug: &str, e: &NewEvent, actor: &str, now: DateTime<Utc>) -> Result<Event> {
    let old = get(conn, slug)?;
    validate(&NewEvent { slug: old.slug.clone(), ..e.clone() })?;
    write_details(
        conn,
        "UPDATE events SET title = ?2, series = ?3, starts_at = ?4, ends_at = ?5, timezone = ?6, language = ?7,
                rule_kind = ?8, rule_value = ?9, panelists_eligible = ?10, template = ?11
         WHERE id = ?1",
        &old.id,
        e,
        &[],
    )?;
    super::audit(conn, now, actor, "event.update", &old.slug, e.title.trim())?;
    get(conn, slug)
}

/// Runs [`create`]'s INSERT or [`update`]'s UPDATE: `key` (the new event's slug, or the id of
/// the event to change) as `?1`, what staff give as `?2` to `?11`, then `after` (the creation
/// time). One list of those values for both statements, so that a detail added to one cannot be
/// forgotten in the other.
fn write_details(conn: &Conn, sql: &str, key: &dyn ToParam, e: &NewEvent, after: &[&dyn ToParam]) -> Result<usize> {
    let (kind, value) = e.rule.parts();
    let (starts_at, ends_at) = (e.starts_at.map(ts), e.ends_at.map(ts));
    let details = params![
        e.title.trim(),
        e.series,
        starts_at,
        ends_at,
        e.timezone.name(),
        e.language,
        kind,
        value,
        e.panelists_eligible,
        e.template
    ];
    conn.execute(sql, [&[key], details, after].concat().as_slice())
}

/// The readings of a Teams `Presenter` an event can be set to.
pub const TEAMS_PRESENTERS: [&str; 3] = ["auto", "attendee", "panelist"];

/// Sets how Teams reports' `Presenter` role reads for an event (see [`Event::teams_presenters`]).
/// Decisions change at once; certificates already issued keep what they printed.
pub fn set_teams_presenters(conn: &Conn, slug: &str, reading: &str, actor: &str, now: DateTime<Utc>) -> Result<Event> {
    if !TEAMS_PRESENTERS.contains(&reading) {
        return Err(StoreError::Invalid(format!(
            "Teams presenters \"{reading}\": use auto (attendee in a meeting, panelist in a webinar), attendee or panelist"
        )));
    }
    let old = get(conn, slug)?;
    if old.teams_presenters != reading {
        conn.execute("UPDATE events SET teams_presenters = ?2 WHERE id = ?1", (old.id, reading))?;
        super::audit(conn, now, actor, "event.teams_presenters", &old.slug, reading)?;
    }
    get(conn, slug)
}

const COLUMNS: &str = "id, slug, title, series, starts_at, ends_at, timezone, language, rule_kind, rule_value, panelists_eligible, template, created_at, teams_presenters";

from_columns!(Event {
    id,
    slug,
    title,
    series,
    starts_at,
    ends_at,
    timezone,
    language,
    rule: super::columns::rule,
    panelists_eligible,
    template,
    created_at,
    teams_presenters,
});

pub fn get(conn: &Conn, slug: &str) -> Result<Event> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM events WHERE slug = ?1"), [slug], Event::from_row)
        .optional()?
        .ok_or_else(|| StoreError::NoSuchEvent(slug.to_owned()))
}

pub fn get_by_id(conn: &Conn, id: i64) -> Result<Event> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM events WHERE id = ?1"), [id], Event::from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("event {id}")))
}

/// The title of event `id`, without reading the rest of it (verification shows it on every
/// check); `None` when there is no such event.
pub fn title(conn: &Conn, id: i64) -> Result<Option<String>> {
    conn.query_row("SELECT title FROM events WHERE id = ?1", [id], |r| r.get::<String>(0)).optional()
}

pub fn list(conn: &Conn) -> Result<Vec<Event>> {
    let rows = conn.all(
        &format!("SELECT {COLUMNS} FROM events ORDER BY starts_at DESC NULLS LAST, slug"),
        (),
        Event::from_row,
    )?;
    Ok(rows)
}

/// The window attendance is clipped to: the event's own, else the span of its uploads' meeting
/// headers (a restarted meeting gives several), else none.
pub fn effective_window(conn: &Conn, event: &Event) -> Result<(Option<Window>, &'static str)> {
    if let Some(w) = event.window() {
        return Ok((Some(w), "event"));
    }
    let (s, e): (Option<String>, Option<String>) = conn.query_row(
        "SELECT min(meeting_start), max(meeting_end) FROM uploads WHERE event_id = ?1",
        [event.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match (s.as_deref().and_then(parse_ts), e.as_deref().and_then(parse_ts)) {
        (Some(start), Some(end)) if end > start => Ok((Some(Window { start, end }), "export header")),
        _ => Ok((None, "unknown")),
    }
}
