//! Staff accounts, sessions, API tokens and setup links: the SQL only. Hashing and the rules
//! (expiry, one use) live in [`crate::staff`].

use super::Conn;
use super::engine::{FromRow, FromValue, OptionalExtension, Value, from_columns};
use chrono::{DateTime, Utc};

use super::{Result, ts};
use crate::staff::Role;

/// A staff account as stored.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub email: String,
    /// argon2 PHC string; `None` until a password is chosen.
    pub password_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
    /// What the account may do.
    pub role: Role,
}

from_columns!(Account { id, email, password_hash, created_at, disabled, role });

/// A role column; the table's CHECK constraint allows only the three names.
impl FromValue for Role {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        String::from_value(v)?.parse().map_err(|e: crate::staff::StaffError| e.to_string())
    }
}

const ACCOUNT: &str = "SELECT id, email, password_hash, created_at, disabled_at IS NOT NULL, role FROM staff";

pub fn count(conn: &Conn) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM staff", (), |r| r.get(0))
}

pub fn list(conn: &Conn) -> Result<Vec<Account>> {
    let rows = conn.all(&format!("{ACCOUNT} ORDER BY email"), (), Account::from_row)?;
    Ok(rows)
}

pub fn by_email(conn: &Conn, email: &str) -> Result<Option<Account>> {
    conn.query_row(&format!("{ACCOUNT} WHERE email = ?1"), [email], Account::from_row).optional()
}

pub fn by_id(conn: &Conn, id: i64) -> Result<Option<Account>> {
    conn.query_row(&format!("{ACCOUNT} WHERE id = ?1"), [id], Account::from_row).optional()
}

pub fn insert(conn: &Conn, email: &str, role: Role, now: DateTime<Utc>) -> Result<i64> {
    conn.query_row(
        "INSERT INTO staff (email, created_at, role) VALUES (?1, ?2, ?3) RETURNING id",
        (email, ts(now), role.as_str()),
        |r| r.get(0),
    )
}

/// The account bound to a provider's subject (see `staff::sso_sign_in`).
pub fn by_subject(conn: &Conn, subject: &str) -> Result<Option<Account>> {
    conn.query_row(&format!("{ACCOUNT} WHERE subject = ?1"), [subject], Account::from_row).optional()
}

/// The subject an account is bound to, if any.
pub fn subject_of(conn: &Conn, id: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT subject FROM staff WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten())
}

pub fn set_subject(conn: &Conn, id: i64, subject: &str) -> Result<()> {
    conn.execute("UPDATE staff SET subject = ?2 WHERE id = ?1", (id, subject))?;
    Ok(())
}

pub fn set_role(conn: &Conn, id: i64, role: Role) -> Result<()> {
    conn.execute("UPDATE staff SET role = ?2 WHERE id = ?1", (id, role.as_str()))?;
    Ok(())
}

pub fn set_password(conn: &Conn, id: i64, hash: &str) -> Result<()> {
    conn.execute("UPDATE staff SET password_hash = ?2 WHERE id = ?1", (id, hash))?;
    Ok(())
}

/// Disables an account (`Some(when)`) or enables it again (`None`). Disabling also forgets
/// the password: enabled again, the person chooses a new one from a setup link (or signs in
/// through the provider), so a password known while they were away does not come back with them.
pub fn set_disabled(conn: &Conn, id: i64, at: Option<DateTime<Utc>>) -> Result<()> {
    match at {
        Some(at) => {
            conn.execute("UPDATE staff SET disabled_at = ?2, password_hash = NULL WHERE id = ?1", (id, ts(at)))?
        }
        None => conn.execute("UPDATE staff SET disabled_at = NULL WHERE id = ?1", [id])?,
    };
    Ok(())
}

/// Revokes every live API token of an account; how many.
pub fn revoke_all_tokens(conn: &Conn, staff_id: i64, now: DateTime<Utc>) -> Result<usize> {
    conn.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE staff_id = ?1 AND revoked_at IS NULL",
        (staff_id, ts(now)),
    )
}

/// Expires the account's unused setup links (a `staff reset` printed before it was disabled);
/// how many. Expired rather than marked used: nobody used them.
pub fn expire_setup_links_of(conn: &Conn, staff_id: i64, now: DateTime<Utc>) -> Result<usize> {
    conn.execute(
        "UPDATE setup_links SET expires_at = ?2 WHERE staff_id = ?1 AND used_at IS NULL AND expires_at > ?2",
        (staff_id, ts(now)),
    )
}

pub fn insert_session(
    conn: &Conn,
    token_sha256: &str,
    staff_id: i64,
    csrf: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    // Expired sessions are dropped whenever someone logs in: no sweeper thread needed.
    conn.execute("DELETE FROM staff_sessions WHERE expires_at <= ?1", [ts(now)])?;
    conn.execute(
        "INSERT INTO staff_sessions (token_sha256, staff_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        (token_sha256, staff_id, csrf, ts(now), ts(expires)),
    )?;
    Ok(())
}

/// The account and CSRF token of a live session.
pub fn session(conn: &Conn, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<(Account, String)>> {
    let found = conn
        .query_row(
            "SELECT s.id, s.email, s.password_hash, s.created_at, s.disabled_at IS NOT NULL, s.role, x.csrf
             FROM staff_sessions x JOIN staff s ON s.id = x.staff_id
             WHERE x.token_sha256 = ?1 AND x.expires_at > ?2",
            (token_sha256, ts(now)),
            |r| Ok((Account::from_row(r)?, r.get(6)?)),
        )
        .optional()?;
    Ok(found)
}

pub fn delete_session(conn: &Conn, token_sha256: &str) -> Result<()> {
    conn.execute("DELETE FROM staff_sessions WHERE token_sha256 = ?1", [token_sha256])?;
    Ok(())
}

/// Ends every session of an account (after a password change, when it is disabled); how many.
pub fn delete_sessions_of(conn: &Conn, staff_id: i64) -> Result<usize> {
    conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?1", [staff_id])
}

pub fn insert_token(
    conn: &Conn,
    token_sha256: &str,
    staff_id: i64,
    label: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO api_tokens (token_sha256, staff_id, label, created_at, role) VALUES (?1, ?2, ?3, ?4, ?5)",
        (token_sha256, staff_id, label, ts(now), role.as_str()),
    )?;
    Ok(())
}

/// The account behind a live API token, with the token's own role ceiling (`None`: the
/// owner's role); records when the token was last used.
pub fn token(conn: &Conn, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<(Account, Option<Role>)>> {
    let found = conn
        .query_row(
            "SELECT s.id, s.email, s.password_hash, s.created_at, s.disabled_at IS NOT NULL, s.role, t.role
             FROM api_tokens t JOIN staff s ON s.id = t.staff_id
             WHERE t.token_sha256 = ?1 AND t.revoked_at IS NULL",
            [token_sha256],
            |r| Ok((Account::from_row(r)?, r.get(6)?)),
        )
        .optional()?;
    if found.is_some() {
        conn.execute("UPDATE api_tokens SET last_used_at = ?2 WHERE token_sha256 = ?1", (token_sha256, ts(now)))?;
    }
    Ok(found)
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub fn tokens_of(conn: &Conn, staff_id: i64) -> Result<Vec<TokenInfo>> {
    let rows = conn.all(
        "SELECT label, created_at, last_used_at, revoked_at FROM api_tokens WHERE staff_id = ?1 ORDER BY created_at",
        [staff_id],
        |r| Ok(TokenInfo { label: r.get(0)?, created_at: r.get(1)?, last_used_at: r.get(2)?, revoked_at: r.get(3)? }),
    )?;
    Ok(rows)
}

pub fn revoke_tokens(conn: &Conn, staff_id: i64, label: &str, now: DateTime<Utc>) -> Result<usize> {
    conn.execute(
        "UPDATE api_tokens SET revoked_at = ?3 WHERE staff_id = ?1 AND label = ?2 AND revoked_at IS NULL",
        (staff_id, label, ts(now)),
    )
}

pub fn insert_setup_link(
    conn: &Conn,
    token_sha256: &str,
    staff_id: Option<i64>,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    // A newer link replaces the unused ones before it, for the same account or the first one:
    // `serve` prints the first-account link at every start (into journald), and a restart left
    // two valid at once.
    match staff_id {
        Some(id) => conn.execute("DELETE FROM setup_links WHERE staff_id = ?1 AND used_at IS NULL", [id])?,
        None => conn.execute("DELETE FROM setup_links WHERE staff_id IS NULL AND used_at IS NULL", ())?,
    };
    conn.execute(
        "INSERT INTO setup_links (token_sha256, staff_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        (token_sha256, staff_id, ts(now), ts(expires)),
    )?;
    Ok(())
}

/// A setup link that is unused and unexpired: `Some(staff_id)` (itself `None` for the
/// first-account link).
pub fn setup_link(conn: &Conn, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<Option<i64>>> {
    conn.query_row(
        "SELECT staff_id FROM setup_links WHERE token_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2",
        (token_sha256, ts(now)),
        |r| r.get(0),
    )
    .optional()
}

/// Whether the account has a setup link still usable (unused, unexpired): what `staff list`
/// says of an account without a password, rather than assuming a link was sent.
pub fn has_pending_setup_link(conn: &Conn, staff_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM setup_links WHERE staff_id = ?1 AND used_at IS NULL AND expires_at > ?2",
        (staff_id, ts(now)),
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Marks a link used; false when it was already used (two tabs racing).
pub fn use_setup_link(conn: &Conn, token_sha256: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE setup_links SET used_at = ?2 WHERE token_sha256 = ?1 AND used_at IS NULL",
        (token_sha256, ts(now)),
    )? == 1)
}
