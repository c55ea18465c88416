//! The `signing_keys` table: the public half and the dates of every signing key, so that old
//! certificates stay verifiable after a rotation.
//!
//! Deliberately not here: the private keys, which live in files beside the database (never in
//! it), and everything cryptographic (the signing module makes and reads keys).

use super::engine::{FromRow, OptionalExtension, from_columns};
use chrono::{DateTime, Utc};

use super::{Conn, Result, ts};

/// A stored signing key.
#[derive(Debug, Clone)]
pub struct StoredKey {
    /// The key's id, as tokens name it.
    pub kid: String,
    /// The Ed25519 public key, base64 (standard alphabet, padded).
    pub public_key: String,
    pub created_at: DateTime<Utc>,
    /// When a rotation retired it; `None` for the active key.
    pub retired_at: Option<DateTime<Utc>>,
    /// When the issuer withdrew it (its private half leaked, or may have): what it signed
    /// verifies no more. `None`: not withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Why, as staff gave it; shown to whoever verifies what the key signed.
    pub withdrawn_reason: Option<String>,
}

/// Records a new key, which becomes the active one.
pub fn insert(conn: &Conn, kid: &str, public_key: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO signing_keys (kid, public_key, created_at) VALUES (?1, ?2, ?3)",
        (kid, public_key, ts(now)),
    )?;
    Ok(())
}

/// The active key's id; `None` before the first key exists.
pub fn active_kid(conn: &Conn) -> Result<Option<String>> {
    conn.query_row("SELECT kid FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1", (), |r| {
        r.get(0)
    })
    .optional()
}

/// Retires the active key (every key not yet retired).
pub fn retire_active(conn: &Conn, now: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL", [ts(now)])?;
    Ok(())
}

from_columns!(StoredKey { kid, public_key, created_at, retired_at, withdrawn_at, withdrawn_reason });

/// Every key ever used, retired ones included, oldest first. Keys made in the same second (a
/// rotation right after the first key) are ordered retired first: a rotation retires the old
/// key before it makes the new one. (SQLite's hidden insertion order, used before, does not
/// exist on PostgreSQL.)
pub fn list(conn: &Conn) -> Result<Vec<StoredKey>> {
    let rows = conn.all(
        "SELECT kid, public_key, created_at, retired_at, withdrawn_at, withdrawn_reason FROM signing_keys
         ORDER BY created_at, CASE WHEN retired_at IS NULL THEN 1 ELSE 0 END, kid",
        (),
        StoredKey::from_row,
    )?;
    Ok(rows)
}

/// Withdraws the retired key `kid`, with staff's `reason`, and returns it as stored. A key
/// withdrawn before stays as it was (its first date and reason). The active key is refused:
/// issuing would go on signing with it, so a rotation comes first.
pub fn withdraw(conn: &Conn, kid: &str, reason: &str, actor: &str, now: DateTime<Utc>) -> Result<StoredKey> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(super::StoreError::Invalid(
            "--reason: say why the key is withdrawn (it is shown to whoever verifies what it signed)".into(),
        ));
    }
    let Some(key) = list(conn)?.into_iter().find(|k| k.kid == kid) else {
        return Err(super::StoreError::NotFound(format!("no signing key \"{kid}\" (`attest keys list` lists them)")));
    };
    if key.retired_at.is_none() {
        return Err(super::StoreError::Conflict(format!(
            "key {kid} is the active key: rotate first (`attest keys rotate`), then withdraw it, so that nothing is signed with it again"
        )));
    }
    if key.withdrawn_at.is_some() {
        return Ok(key);
    }
    conn.execute(
        "UPDATE signing_keys SET withdrawn_at = ?1, withdrawn_reason = ?2 WHERE kid = ?3",
        (ts(now), reason, kid),
    )?;
    super::audit(conn, now, actor, "keys.withdraw", kid, reason)?;
    list(conn)?.into_iter().find(|k| k.kid == kid).ok_or(super::StoreError::NoRow)
}
