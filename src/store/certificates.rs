//! Certificates: the record frozen at issue, with the PDF bytes and their hash.
//!
//! The PDF is stored in the database with its record, in the same transaction: that is what
//! makes bulk issuing crash-safe. Files in an output folder are copies written from here, so a
//! rerun can always complete them.

use super::Conn;
use super::engine::{FromRow, OptionalExtension, from_columns, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Result, StoreError, parse_ts, ts};
use crate::attendance::PersonKey;
use crate::language::Language;

/// A certificate as issued. Nothing here changes after issue except the status fields.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub id: String,
    pub event_id: i64,
    pub person_key: PersonKey,
    pub name: String,
    pub email: Option<String>,
    pub language: Language,
    pub minutes: u32,
    pub issued_at: DateTime<Utc>,
    pub kid: String,
    pub token: String,
    pub status: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
    pub superseded_by: Option<String>,
    pub pdf_sha256: String,
    pub file_name: String,
    /// Position in the status lists (list = position / 131072), when it has a credential.
    pub status_position: Option<u64>,
}

/// A certificate about to be stored, with its PDF.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub id: String,
    pub event_id: i64,
    pub person_key: PersonKey,
    pub name: String,
    pub email: Option<String>,
    pub language: Language,
    pub minutes: u32,
    pub issued_at: DateTime<Utc>,
    pub kid: String,
    pub token: String,
    pub pdf_sha256: String,
    pub pdf: Vec<u8>,
    pub file_name: String,
    /// Position in the status lists, from [`reserve_status_positions`].
    pub status_position: u64,
    /// The signed Open Badges credential, JSON.
    pub credential: String,
    /// The design version (design id, version) it was rendered with; `None`: the shipped template.
    pub design: Option<(i64, i64)>,
}

const COLUMNS: &str = "id, event_id, person_key, name, email, language, minutes, issued_at, kid, token, status, revoked_at, revoked_reason, superseded_by, pdf_sha256, file_name, status_position";

from_columns!(Certificate {
    id,
    event_id,
    person_key,
    name,
    email,
    language,
    minutes,
    issued_at,
    kid,
    token,
    status,
    revoked_at,
    revoked_reason,
    superseded_by,
    pdf_sha256,
    file_name,
    status_position,
});

pub(super) fn insert(conn: &Conn, c: &NewCertificate) -> Result<()> {
    conn.execute("INSERT INTO certificates (id, event_id, person_key, name, email, language, minutes, issued_at, kid, token, pdf_sha256, pdf, file_name, status_position, credential)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", params![
        c.id,
        c.event_id,
        c.person_key,
        c.name,
        c.email,
        c.language,
        c.minutes,
        ts(c.issued_at),
        c.kid,
        c.token,
        c.pdf_sha256,
        c.pdf,
        c.file_name,
        c.status_position as i64,
        c.credential
    ])?;
    ensure_status_list(conn, c.status_position / STATUS_LIST_SIZE, c.issued_at)?;
    if let Some(d) = c.design {
        super::designs::record_certificate(conn, &c.id, d)?;
    }
    Ok(())
}

use crate::trust::status_list::STATUS_LIST_SIZE;

/// Reserves `n` status-list positions for a run that will sign them into certificates; the
/// first of them. In a write transaction of its own, taken before the read (`BEGIN IMMEDIATE`):
/// two runs at once, in this process or another on the same file, get ranges that do not
/// overlap. Reading the highest stored position instead (as before) gave both the same numbers,
/// and the later batch failed on the unique index: a 500 for the second of two bulk issues.
/// Positions of certificates stored before reservations existed are counted too.
pub fn reserve_status_positions(conn: &mut Conn, n: usize) -> Result<u64> {
    let tx = conn.transaction_immediate()?;
    let first: i64 = tx.query_row(
        "SELECT CASE WHEN r >= c THEN r ELSE c END
         FROM (SELECT coalesce((SELECT next FROM status_position_reservations WHERE id = 1), 0) AS r,
                      coalesce((SELECT max(status_position) + 1 FROM certificates), 0) AS c) AS t",
        (),
        |r| r.get(0),
    )?;
    let n = i64::try_from(n).map_err(|_| StoreError::Invalid(format!("{n} status positions at once")))?;
    tx.execute(
        "INSERT INTO status_position_reservations (id, next) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET next = excluded.next",
        [first + n],
    )?;
    tx.commit()?;
    Ok(first as u64)
}

/// Creates status list `list`, all bits clear, unless it exists. Looked up first: the new
/// list's 16 KiB of zeros are bound only for the one certificate in 131,072 that opens a list
/// (neither engine has a zero-bytes function the other reads).
fn ensure_status_list(conn: &Conn, list: u64, now: DateTime<Utc>) -> Result<()> {
    let list = list as i64;
    if conn.query_row("SELECT 1 FROM status_lists WHERE list = ?1", [list], |_| Ok(())).optional()?.is_some() {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO status_lists (list, bits, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (list) DO NOTHING",
        (list, vec![0_u8; (STATUS_LIST_SIZE / 8) as usize], ts(now)),
    )?;
    Ok(())
}

/// Sets the revocation bit of `id` in its status list, inside the caller's transaction.
fn set_status_bit(conn: &Conn, id: &str, now: DateTime<Utc>) -> Result<()> {
    let pos: Option<i64> =
        conn.query_row("SELECT status_position FROM certificates WHERE id = ?1", [id], |r| r.get(0))?;
    let Some(pos) = pos.map(|p| p as u64) else { return Ok(()) };
    let list = pos / STATUS_LIST_SIZE;
    ensure_status_list(conn, list, now)?;
    let mut bits: Vec<u8> =
        conn.query_row("SELECT bits FROM status_lists WHERE list = ?1", [list as i64], |r| r.get(0))?;
    let i = pos % STATUS_LIST_SIZE;
    bits[(i / 8) as usize] |= 0x80 >> (i % 8);
    conn.execute("UPDATE status_lists SET bits = ?2, updated_at = ?3 WHERE list = ?1", (list as i64, bits, ts(now)))?;
    Ok(())
}

/// Certificates issued before credentials existed (migration 0008): no status position, no
/// credential. Oldest first, so their positions follow their issue order.
pub fn without_credential(conn: &Conn) -> Result<Vec<Certificate>> {
    conn.all(
        &format!(
            "SELECT {COLUMNS} FROM certificates WHERE credential IS NULL AND status_position IS NULL ORDER BY issued_at, id"
        ),
        (),
        Certificate::from_row,
    )
}

/// Gives a certificate issued before credentials its status position and credential, inside the
/// caller's transaction; a revoked or superseded one gets its bit set at once. Only a row that
/// still has neither is changed, so a second run (or another process) changes nothing.
pub fn assign_credential(conn: &Conn, id: &str, position: u64, credential: &str, now: DateTime<Utc>) -> Result<bool> {
    let n = conn.execute(
        "UPDATE certificates SET status_position = ?2, credential = ?3
         WHERE id = ?1 AND credential IS NULL AND status_position IS NULL",
        (id, position as i64, credential),
    )?;
    if n == 0 {
        return Ok(false);
    }
    ensure_status_list(conn, position / STATUS_LIST_SIZE, now)?;
    let status: String = conn.query_row("SELECT status FROM certificates WHERE id = ?1", [id], |r| r.get(0))?;
    if status != "valid" {
        set_status_bit(conn, id, now)?;
    }
    Ok(true)
}

/// A status list's bits and when they last changed; `None` for a list no certificate is in.
pub fn status_list(conn: &Conn, list: u64) -> Result<Option<(Vec<u8>, DateTime<Utc>)>> {
    conn.query_row("SELECT bits, updated_at FROM status_lists WHERE list = ?1", [list as i64], |r| {
        Ok((r.get(0)?, parse_ts(&r.get::<String>(1)?).unwrap_or_default()))
    })
    .optional()
}

/// Every status list's number.
pub fn status_lists(conn: &Conn) -> Result<Vec<u64>> {
    let rows = conn.all("SELECT list FROM status_lists ORDER BY list", (), |r| r.get::<i64>(0).map(|l| l as u64))?;
    Ok(rows)
}

/// The signed credential stored with a certificate, if it has one.
pub fn credential(conn: &Conn, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT credential FROM certificates WHERE id = ?1", [id], |r| r.get::<Option<String>>(0))
        .optional()?
        .flatten())
}

/// Stores certificates with their PDFs, all or none.
pub fn insert_all(conn: &mut Conn, certs: &[NewCertificate], actor: &str, now: DateTime<Utc>) -> Result<()> {
    let subject = certs.first().map(|c| format!("event {}", c.event_id)).unwrap_or_default();
    insert_batch(conn, certs, &subject, actor, now, insert)
}

/// Stores a batch of new certificates, `each` storing one with what goes with it, and one audit
/// line for the batch naming `subject` (an event, a series), all in one transaction: all or none.
pub(super) fn insert_batch<T>(
    conn: &mut Conn,
    items: &[T],
    subject: &str,
    actor: &str,
    now: DateTime<Utc>,
    each: impl Fn(&Conn, &T) -> Result<()>,
) -> Result<()> {
    // The write lock first: another process writing between a deferred transaction's first read
    // and its first write makes SQLite answer SQLITE_BUSY at once, without waiting.
    let tx = conn.transaction_immediate()?;
    for item in items {
        each(&tx, item)?;
    }
    if !items.is_empty() {
        super::audit(&tx, now, actor, "certificate.issue", subject, &format!("{} certificate(s)", items.len()))?;
    }
    tx.commit()?;
    Ok(())
}

pub fn get(conn: &Conn, id: &str) -> Result<Option<Certificate>> {
    // Cached: every verification request runs this.
    conn.query_row(&format!("SELECT {COLUMNS} FROM certificates WHERE id = ?1"), [id], Certificate::from_row).optional()
}

pub fn pdf(conn: &Conn, id: &str) -> Result<Option<Vec<u8>>> {
    conn.query_row("SELECT pdf FROM certificates WHERE id = ?1", [id], |r| r.get(0)).optional()
}

pub fn for_event(conn: &Conn, event_id: i64) -> Result<Vec<Certificate>> {
    conn.all(
        &format!("SELECT {COLUMNS} FROM certificates WHERE event_id = ?1 AND series_id IS NULL ORDER BY name, id"),
        [event_id],
        Certificate::from_row,
    )
}

/// One page of the event's own certificates, in the order of [`for_event`], and how many
/// there are in all.
pub fn page_for_event(conn: &Conn, event_id: i64, offset: usize, limit: usize) -> Result<(Vec<Certificate>, usize)> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = conn.all(
        &format!(
            "SELECT {COLUMNS} FROM certificates WHERE event_id = ?1 AND series_id IS NULL ORDER BY name, id LIMIT ?2 OFFSET ?3"
        ),
        (event_id, limit, offset as i64),
        Certificate::from_row,
    )?;
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM certificates WHERE event_id = ?1 AND series_id IS NULL",
        [event_id],
        |r| r.get(0),
    )?;
    Ok((rows, total as usize))
}

/// How many of the event's own certificates (not series certificates) are valid and revoked.
pub fn status_counts(conn: &Conn, event_id: i64) -> Result<(usize, usize)> {
    let (valid, revoked): (i64, i64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE status = 'valid'), count(*) FILTER (WHERE status = 'revoked')
         FROM certificates WHERE event_id = ?1 AND series_id IS NULL",
        [event_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((valid as usize, revoked as usize))
}

/// People of an event who hold a certificate in any status: bulk issuing skips them (a revoked
/// certificate is not silently replaced).
pub fn person_keys(conn: &Conn, event_id: i64) -> Result<std::collections::HashSet<PersonKey>> {
    let rows = conn.all(
        "SELECT DISTINCT person_key FROM certificates WHERE event_id = ?1 AND series_id IS NULL",
        [event_id],
        |r| r.get(0),
    )?;
    Ok(rows.into_iter().collect())
}

/// Marks a valid certificate revoked, with the reason, in the audit table too.
pub fn revoke(conn: &mut Conn, id: &str, reason: &str, actor: &str, now: DateTime<Utc>) -> Result<Certificate> {
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid("a reason is required to revoke a certificate".into()));
    }
    let tx = conn.transaction()?;
    let n = tx.execute(
        "UPDATE certificates SET status = 'revoked', revoked_at = ?2, revoked_reason = ?3 WHERE id = ?1 AND status = 'valid'",
        (id, ts(now), reason.trim()),
    )?;
    if n == 0 {
        let cert = get(&tx, id)?.ok_or_else(|| StoreError::NotFound(format!("no certificate {id}")))?;
        return Err(StoreError::Conflict(format!("certificate {id} is {}, not valid: nothing to revoke", cert.status)));
    }
    set_status_bit(&tx, id, now)?;
    super::audit(&tx, now, actor, "certificate.revoke", id, reason.trim())?;
    tx.commit()?;
    get(conn, id)?.ok_or_else(|| StoreError::NotFound(format!("no certificate {id}")))
}

/// Stores `new` and marks `old` superseded by it, in one transaction.
pub fn supersede(
    conn: &mut Conn,
    old: &str,
    new: &NewCertificate,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = conn.transaction()?;
    supersede_in(&tx, old, new, reason, actor, now)?;
    tx.commit()?;
    Ok(())
}

/// [`supersede`] inside the caller's transaction (a series certificate stores its sessions in
/// the same one).
pub(super) fn supersede_in(
    tx: &Conn,
    old: &str,
    new: &NewCertificate,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    insert(tx, new)?;
    let n = tx.execute(
        "UPDATE certificates SET status = 'superseded', superseded_by = ?2 WHERE id = ?1 AND status = 'valid'",
        (old, &new.id),
    )?;
    if n == 0 {
        return Err(StoreError::Conflict(format!(
            "certificate {old} is not valid: only a valid certificate can be reissued"
        )));
    }
    set_status_bit(tx, old, now)?;
    super::audit(tx, now, actor, "certificate.reissue", old, &format!("superseded by {}: {reason}", new.id))?;
    Ok(())
}

/// Stores `new` in place of `revoked`, which stays revoked (its verifiers keep seeing why):
/// after a revocation made by mistake. Refused when it is not revoked any more.
pub fn issue_after_revocation(conn: &mut Conn, revoked: &Certificate, new: &NewCertificate, actor: &str) -> Result<()> {
    let tx = conn.transaction()?;
    let status =
        tx.query_row("SELECT status FROM certificates WHERE id = ?1", [&revoked.id], |r| r.get::<String>(0))?;
    if status != "revoked" {
        return Err(StoreError::Conflict(format!("certificate {} is {status}, not revoked", revoked.id)));
    }
    insert(&tx, new)?;
    let detail = format!("issued again as {} after its revocation", new.id);
    super::audit(&tx, new.issued_at, actor, "certificate.reissue", &revoked.id, &detail)?;
    tx.commit()?;
    Ok(())
}

/// Follows `superseded_by` links to the certificate that is current now.
pub fn current(conn: &Conn, id: &str) -> Result<Option<Certificate>> {
    let mut cert = get(conn, id)?;
    for _ in 0..64 {
        match &cert {
            Some(c) if c.status == "superseded" => cert = get(conn, c.superseded_by.as_deref().unwrap_or_default())?,
            _ => break,
        }
    }
    Ok(cert)
}

/// The valid certificates signed with key `kid`, by event, oldest first: what a withdrawn key
/// leaves to reissue.
pub fn valid_signed_with(conn: &Conn, kid: &str) -> Result<Vec<(i64, String)>> {
    conn.all(
        "SELECT event_id, id FROM certificates WHERE kid = ?1 AND status = 'valid' ORDER BY event_id, issued_at, id",
        [kid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Stores a one-time download link for a certificate (the hash of its secret only).
pub fn create_link(
    conn: &Conn,
    certificate_id: &str,
    token_sha256: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    // A newer link replaces the older ones: only the latest mail's link works.
    conn.execute(
        "UPDATE download_links SET replaced_at = ?2 WHERE certificate_id = ?1 AND used_at IS NULL AND replaced_at IS NULL",
        (certificate_id, ts(now)),
    )?;
    conn.execute(
        "INSERT INTO download_links (token_sha256, certificate_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        (token_sha256, certificate_id, ts(now), ts(expires)),
    )?;
    Ok(())
}

/// What a download link can do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// It downloads this certificate, once.
    Usable(String),
    Used,
    Expired,
    /// A newer link was sent for the same certificate.
    Replaced,
    Unknown,
}

/// Looks at a download link without using it: what the page behind the link shows (a `GET`,
/// which mail scanners send too) must not spend it.
pub fn peek_link(conn: &Conn, token_sha256: &str, now: DateTime<Utc>) -> Result<LinkState> {
    let row: Option<(String, String, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT certificate_id, expires_at, used_at, replaced_at FROM download_links WHERE token_sha256 = ?1",
            [token_sha256],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(match row {
        None => LinkState::Unknown,
        Some((_, _, Some(_), _)) => LinkState::Used,
        Some((_, _, None, Some(_))) => LinkState::Replaced,
        Some((_, expires, None, None)) if expires <= ts(now) => LinkState::Expired,
        Some((id, _, None, None)) => LinkState::Usable(id),
    })
}

/// Uses a download link: returns its certificate if the link exists, has not been used, was not
/// replaced and has not expired, and marks it used in the same statement so it works once.
pub fn take_link(conn: &Conn, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<String>> {
    conn.query_row(
        "UPDATE download_links SET used_at = ?2
             WHERE token_sha256 = ?1 AND used_at IS NULL AND replaced_at IS NULL AND expires_at > ?2
             RETURNING certificate_id",
        (token_sha256, ts(now)),
        |r| r.get(0),
    )
    .optional()
}

// Also the API's answer, as it is: `AuditOut` in the OpenAPI document, the name it has always
// had there (the doc comment below is its description).
/// One entry of the audit log: when, which account (or `cli`), what it did, to what.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AuditOut)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    /// The role the account acted with (`admin`, `issuer`, `viewer`); null for the command line.
    pub role: Option<String>,
}

from_columns!(AuditEntry { at, actor, action, subject, detail, role });

/// Which audit lines to show; `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// An event: lines about it (by slug or `event {id}`) and about its certificates.
    pub event: Option<(i64, String)>,
    pub actor: Option<String>,
    /// An action (`certificate.revoke`) or its family (`certificate`).
    pub action: Option<String>,
}

/// The latest `limit` audit lines that `f` lets through, newest first.
pub fn audit_filtered(conn: &Conn, limit: usize, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let (event_id, slug) = f.event.clone().unzip();
    conn.all(
        "SELECT at, actor, action, subject, detail, role FROM audit
         WHERE (CAST(?2 AS TEXT) IS NULL OR actor = ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR action = ?3 OR substr(action, 1, length(?3) + 1) = ?3 || '.')
           AND (CAST(?4 AS TEXT) IS NULL OR subject = ?4 OR subject = ?5
                OR subject IN (SELECT id FROM certificates WHERE event_id = ?6))
         ORDER BY id DESC LIMIT ?1",
        (limit as i64, &f.actor, &f.action, slug, event_id.map(|id| format!("event {id}")), event_id),
        AuditEntry::from_row,
    )
}

/// Who acted and what they did, each once, for the audit page's filters.
pub fn audit_actors_and_actions(conn: &Conn) -> Result<(Vec<String>, Vec<String>)> {
    let col = |sql: &str| -> Result<Vec<String>> {
        let v = conn.all(sql, (), |r| r.get(0))?;
        Ok(v)
    };
    Ok((
        col("SELECT DISTINCT actor FROM audit ORDER BY actor")?,
        col("SELECT DISTINCT action FROM audit ORDER BY action")?,
    ))
}

/// The latest `limit` audit lines, newest first: [`audit_filtered`] with no filter.
pub fn audit_log(conn: &Conn, limit: usize) -> Result<Vec<AuditEntry>> {
    audit_filtered(conn, limit, &AuditFilter::default())
}

/// Adds verifications to certificates' tallies: `(certificate id, how many, the last one)`.
/// Ids of certificates that do not exist (deleted meanwhile) are skipped.
pub fn add_verifications(conn: &mut Conn, tally: &[(String, i64, DateTime<Utc>)]) -> Result<()> {
    let tx = conn.transaction()?;
    for (id, n, last) in tally {
        tx.execute(
            "INSERT INTO certificate_verifications (certificate_id, count, last_at)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM certificates WHERE id = ?1)
             ON CONFLICT (certificate_id) DO UPDATE
             SET count = certificate_verifications.count + excluded.count,
                 last_at = CASE WHEN excluded.last_at > certificate_verifications.last_at
                                THEN excluded.last_at ELSE certificate_verifications.last_at END",
            (id, n, ts(*last)),
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// How often a certificate was verified and when last, as stored.
pub fn verifications(conn: &Conn, id: &str) -> Result<Option<(i64, DateTime<Utc>)>> {
    Ok(conn
        .query_row("SELECT count, last_at FROM certificate_verifications WHERE certificate_id = ?1", [id], |r| {
            Ok((r.get::<i64>(0)?, r.get::<String>(1)?))
        })
        .optional()?
        .map(|(n, at)| (n, parse_ts(&at).unwrap_or_default())))
}
