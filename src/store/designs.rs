//! Certificate designs, their immutable versions and images, the organisation's profile, and
//! which design an event and a certificate use (migration 0009).
//!
//! Saving a design adds a version; versions and the images they name are never changed, and the
//! foreign keys refuse to delete a version a certificate names or an image a version names: a
//! certificate's look is frozen with it. Nothing here deletes designs or images (an unused
//! image costs a few kilobytes; a clean-up can come when someone needs it).
//!
//! Deliberately not done here: checking image bytes (`certificate::design::check_image`, before
//! anything reaches this module) and rendering.

use super::Conn;
use super::engine::{FromRow, OptionalExtension, from_columns, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Result, StoreError, audit, ts};
use crate::certificate::design::{CheckedImage, DesignSpec};
use crate::language::Language;

/// A design's current state.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Design {
    pub id: i64,
    pub name: String,
    /// The current version: what the next certificate uses.
    pub version: i64,
    pub spec: DesignSpec,
    /// When the current version was saved (RFC 3339).
    pub updated_at: String,
    /// Certificates issued with any version of this design.
    pub certificates: i64,
}

/// The organisation's profile; `None` fields fall back to the server's configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Profile {
    /// The issuer in full, printed on certificates ("…, issued on DATE") and the PDF author.
    pub issuer: Option<String>,
    /// The issuer in full as French certificates print it; `None`: `issuer` (see
    /// [`Profile::printed_issuer`]).
    #[serde(default)]
    pub issuer_fr: Option<String>,
    /// The issuer in full as Spanish certificates print it; `None`: `issuer`.
    #[serde(default)]
    pub issuer_es: Option<String>,
    /// The short name in the QR code's token (e.g. `CoE`).
    pub issuer_short: Option<String>,
    /// The design of events that choose none.
    pub default_design: Option<i64>,
    /// How the public contacts the issuer: an email address or an `https://` page, linked from
    /// the verify pages ("contact the issuer"). See [`contact_ok`].
    #[serde(default)]
    pub contact: Option<String>,
}

from_columns!(Profile { issuer, issuer_fr, issuer_es, issuer_short, default_design, contact });

/// The name attest's default issuer has in each certificate language, so that a French certificate
/// of the Council of Europe reads "Conseil de l’Europe" without anyone configuring it.
const DEFAULT_ISSUER_IN: [(&str, Language, &str); 2] = [
    ("Council of Europe", Language::Fr, "Conseil de l’Europe"),
    ("Council of Europe", Language::Es, "Consejo de Europa"),
];

impl Profile {
    /// The issuer as a certificate in `language` prints it: the profile's name in that language,
    /// else the profile's name or the `configured` one (the server's setting), translated when it
    /// is a name attest knows in that language. A certificate that is French throughout but for
    /// its issuer's name reads as a careless translation.
    pub fn printed_issuer(&self, language: Language, configured: &str) -> String {
        let own = match language {
            Language::Fr => self.issuer_fr.as_deref(),
            Language::Es => self.issuer_es.as_deref(),
            Language::En => None,
        };
        let name = self.issuer.as_deref().unwrap_or(configured);
        own.or_else(|| DEFAULT_ISSUER_IN.iter().find(|(n, l, _)| *n == name && *l == language).map(|(.., t)| *t))
            .unwrap_or(name)
            .to_owned()
    }
}

/// Whether `s` is a contact the verify pages can link to: `name@domain.tld` (becomes a `mailto:`
/// link) or an `https://host/…` address. Deliberately simple: it refuses what cannot be a link
/// (spaces, no host, another scheme), not every address a mail server would refuse.
pub fn contact_ok(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty()
        || s.len() > 300
        || s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
    {
        return false;
    }
    if let Some(rest) = s.strip_prefix("https://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        return host.contains('.') && !host.starts_with('.') && !host.ends_with('.') && !host.contains('@');
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(':')
        }
        None => false,
    }
}

/// The link a contact becomes: `mailto:` for an email address, the address itself otherwise.
pub fn contact_href(s: &str) -> String {
    if s.starts_with("https://") { s.to_owned() } else { format!("mailto:{s}") }
}

/// Stores a checked image (idempotent) and returns its id, the SHA-256 of the stored PNG.
pub fn put_asset(conn: &Conn, img: &CheckedImage, now: DateTime<Utc>) -> Result<String> {
    let sha = super::imports::sha256_hex(&img.png);
    conn.execute(
        "INSERT INTO design_assets (sha256, png, width, height, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sha256) DO NOTHING",
        params![sha, img.png, img.width, img.height, ts(now)],
    )?;
    Ok(sha)
}

/// The stored PNG of an image.
pub fn asset_png(conn: &Conn, sha: &str) -> Result<Option<Vec<u8>>> {
    conn.query_row("SELECT png FROM design_assets WHERE sha256 = ?1", [sha], |r| r.get(0)).optional()
}

fn asset_exists(conn: &Conn, sha: &str) -> bool {
    // A failed read answers "no" (the design is refused naming the image); on PostgreSQL it
    // also leaves the transaction aborted, which `Tx::commit` then reports.
    conn.query_row("SELECT 1 FROM design_assets WHERE sha256 = ?1", [sha], |_| Ok(()))
        .optional()
        .ok()
        .flatten()
        .is_some()
}

fn check(conn: &Conn, name: &str, spec: &DesignSpec) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(StoreError::Invalid("name: one to 100 characters".into()));
    }
    spec.validate(&|sha| asset_exists(conn, sha)).map_err(StoreError::Invalid)
}

fn insert_version(tx: &Conn, id: i64, version: i64, spec: &DesignSpec, actor: &str, now: DateTime<Utc>) -> Result<()> {
    let json = serde_json::to_string(spec).map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO design_versions (design_id, version, spec, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, version, json, ts(now), actor],
    )?;
    for sha in spec.assets() {
        tx.execute(
            "INSERT INTO design_version_assets (design_id, version, sha256) VALUES (?1, ?2, ?3)",
            params![id, version, sha],
        )?;
    }
    Ok(())
}

/// Creates a design with its first version.
pub fn create(conn: &mut Conn, name: &str, spec: &DesignSpec, actor: &str, now: DateTime<Utc>) -> Result<Design> {
    check(conn, name, spec)?;
    let tx = conn.transaction()?;
    let taken: bool =
        tx.query_row("SELECT COUNT(*) FROM designs WHERE name = ?1", [name.trim()], |r| r.get::<i64>(0))? > 0;
    if taken {
        return Err(StoreError::Conflict(format!("a design named \"{}\" already exists", name.trim())));
    }
    let id: i64 = tx.query_row(
        "INSERT INTO designs (name, created_at) VALUES (?1, ?2) RETURNING id",
        params![name.trim(), ts(now)],
        |r| r.get(0),
    )?;
    insert_version(&tx, id, 1, spec, actor, now)?;
    audit(&tx, now, actor, "design.create", &format!("design {id}"), "version 1")?;
    tx.commit()?;
    get(conn, id)
}

/// Saves a new version of a design (and its name). An unchanged spec adds no version.
pub fn save(
    conn: &mut Conn,
    id: i64,
    name: &str,
    spec: &DesignSpec,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Design> {
    let tx = conn.transaction()?;
    save_in(&tx, id, name, spec, actor, now)?;
    tx.commit()?;
    get(conn, id)
}

/// [`save`] inside the caller's transaction (which may have stored the images the spec names).
pub fn save_in(tx: &Conn, id: i64, name: &str, spec: &DesignSpec, actor: &str, now: DateTime<Utc>) -> Result<Design> {
    check(tx, name, spec)?;
    let current = get(tx, id)?;
    let clash: bool =
        tx.query_row("SELECT COUNT(*) FROM designs WHERE name = ?1 AND id <> ?2", params![name.trim(), id], |r| {
            r.get::<i64>(0)
        })? > 0;
    if clash {
        return Err(StoreError::Conflict(format!("a design named \"{}\" already exists", name.trim())));
    }
    tx.execute("UPDATE designs SET name = ?2 WHERE id = ?1", params![id, name.trim()])?;
    if current.spec != *spec {
        let version = current.version + 1;
        insert_version(tx, id, version, spec, actor, now)?;
        audit(tx, now, actor, "design.save", &format!("design {id}"), &format!("version {version}"))?;
    }
    get(tx, id)
}

fn spec_of(json: &str) -> Result<DesignSpec> {
    serde_json::from_str(json).map_err(|e| StoreError::Read(format!("a stored design: {e}")))
}

/// A design's current version.
pub fn get(conn: &Conn, id: i64) -> Result<Design> {
    conn.query_row(
        "SELECT d.id, d.name, v.version, v.spec, v.created_at,
                (SELECT COUNT(*) FROM certificate_designs c WHERE c.design_id = d.id)
         FROM designs d JOIN design_versions v ON v.design_id = d.id
         WHERE d.id = ?1 ORDER BY v.version DESC LIMIT 1",
        [id],
        |r| {
            Ok(Design {
                id: r.get(0)?,
                name: r.get(1)?,
                version: r.get(2)?,
                spec: spec_of(&r.get::<String>(3)?)?,
                updated_at: r.get(4)?,
                certificates: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no design {id}")))
}

/// Every design, current versions, by name.
pub fn list(conn: &Conn) -> Result<Vec<Design>> {
    let ids: Vec<i64> = conn.all("SELECT id FROM designs ORDER BY name", (), |r| r.get(0))?;
    ids.into_iter().map(|id| get(conn, id)).collect()
}

/// One stored version of a design (for rendering what a certificate was issued with).
pub fn version(conn: &Conn, id: i64, version: i64) -> Result<DesignSpec> {
    conn.query_row(
        "SELECT spec FROM design_versions WHERE design_id = ?1 AND version = ?2",
        params![id, version],
        |r| spec_of(&r.get::<String>(0)?),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no version {version} of design {id}")))
}

/// The organisation's profile.
pub fn profile(conn: &Conn) -> Result<Profile> {
    Ok(conn
        .query_row(
            "SELECT issuer, issuer_fr, issuer_es, issuer_short, default_design_id, contact FROM organisation WHERE id = 1",
            (),
            Profile::from_row,
        )
        .optional()?
        .unwrap_or_default())
}

/// Replaces the organisation's profile. Empty names count as not set.
pub fn set_profile(conn: &mut Conn, p: &Profile, actor: &str, now: DateTime<Utc>) -> Result<Profile> {
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let (issuer, short, contact) = (clean(&p.issuer), clean(&p.issuer_short), clean(&p.contact));
    let (issuer_fr, issuer_es) = (clean(&p.issuer_fr), clean(&p.issuer_es));
    for (field, name) in [("issuer", &issuer), ("issuer_fr", &issuer_fr), ("issuer_es", &issuer_es)] {
        if name.as_ref().is_some_and(|s| s.chars().count() > 200 || s.chars().any(char::is_control)) {
            return Err(StoreError::Invalid(format!("{field}: at most 200 characters on one line")));
        }
    }
    if short.as_ref().is_some_and(|s| s.len() > 20 || s.chars().any(char::is_control)) {
        return Err(StoreError::Invalid("issuer_short: at most 20 bytes (it is written into every QR code)".into()));
    }
    if contact.as_deref().is_some_and(|c| !contact_ok(c)) {
        return Err(StoreError::Invalid("contact: an email address or an https:// address".into()));
    }
    if let Some(d) = p.default_design {
        get(conn, d).map_err(|_| StoreError::Invalid(format!("default_design: no design {d}")))?;
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO organisation (id, issuer, issuer_short, default_design_id, contact, issuer_fr, issuer_es)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET issuer = ?1, issuer_short = ?2, default_design_id = ?3, contact = ?4,
                                       issuer_fr = ?5, issuer_es = ?6",
        params![issuer, short, p.default_design, contact, issuer_fr, issuer_es],
    )?;
    audit(&tx, now, actor, "organisation.update", "organisation", "")?;
    tx.commit()?;
    profile(conn)
}

/// The design an event chose, if any (not the organisation's default).
pub fn event_design(conn: &Conn, event_id: i64) -> Result<Option<i64>> {
    conn.query_row("SELECT design_id FROM event_designs WHERE event_id = ?1", [event_id], |r| r.get(0)).optional()
}

/// Chooses an event's design (`None`: the organisation's default, else the shipped template).
pub fn set_event_design(
    conn: &mut Conn,
    event_id: i64,
    design: Option<i64>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(d) = design {
        get(conn, d).map_err(|_| StoreError::Invalid(format!("design: no design {d}")))?;
    }
    let tx = conn.transaction()?;
    match design {
        Some(d) => tx.execute(
            "INSERT INTO event_designs (event_id, design_id) VALUES (?1, ?2)
             ON CONFLICT(event_id) DO UPDATE SET design_id = ?2",
            params![event_id, d],
        )?,
        None => tx.execute("DELETE FROM event_designs WHERE event_id = ?1", [event_id])?,
    };
    audit(
        &tx,
        now,
        actor,
        "event.design",
        &format!("event {event_id}"),
        &design.map(|d| format!("design {d}")).unwrap_or_default(),
    )?;
    tx.commit()?;
    Ok(())
}

/// The design version new certificates of an event use: the event's choice, else the
/// organisation's default, else none (the shipped template).
pub fn current_for_event(conn: &Conn, event_id: i64) -> Result<Option<Design>> {
    let id = match event_design(conn, event_id)? {
        Some(d) => Some(d),
        None => profile(conn)?.default_design,
    };
    id.map(|d| get(conn, d)).transpose()
}

/// The event's own current certificates (valid, not a series') printed with another design
/// than `target` (design id, version; `None`: the built-in one), by name: what reissuing the
/// event with its design changes. One query, so the event page can count them at any size.
pub fn printed_otherwise(conn: &Conn, event_id: i64, target: Option<(i64, i64)>) -> Result<Vec<String>> {
    let base = "SELECT c.id FROM certificates c LEFT JOIN certificate_designs d ON d.certificate_id = c.id
         WHERE c.event_id = ?1 AND c.series_id IS NULL AND c.status = 'valid'";
    match target {
        Some((id, version)) => conn.all(
            &format!("{base} AND (d.design_id IS NULL OR d.design_id <> ?2 OR d.version <> ?3) ORDER BY c.name, c.id"),
            params![event_id, id, version],
            |r| r.get(0),
        ),
        None => {
            conn.all(&format!("{base} AND d.design_id IS NOT NULL ORDER BY c.name, c.id"), [event_id], |r| r.get(0))
        }
    }
}

/// Records the design version a certificate was issued with (inside the issuing transaction).
pub fn record_certificate(conn: &Conn, certificate_id: &str, design: (i64, i64)) -> Result<()> {
    conn.execute(
        "INSERT INTO certificate_designs (certificate_id, design_id, version) VALUES (?1, ?2, ?3)",
        params![certificate_id, design.0, design.1],
    )?;
    Ok(())
}

/// The design version a certificate was issued with; `None` for the shipped template.
pub fn of_certificate(conn: &Conn, certificate_id: &str) -> Result<Option<(i64, i64)>> {
    conn.query_row(
        "SELECT design_id, version FROM certificate_designs WHERE certificate_id = ?1",
        [certificate_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
