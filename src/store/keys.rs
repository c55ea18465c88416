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

from_columns!(StoredKey { kid, public_key, created_at, retired_at });

/// Every key ever used, retired ones included, oldest first. Keys made in the same second (a
/// rotation right after the first key) are ordered retired first: a rotation retires the old
/// key before it makes the new one. (SQLite's hidden insertion order, used before, does not
/// exist on PostgreSQL.)
pub fn list(conn: &Conn) -> Result<Vec<StoredKey>> {
    let rows = conn.all(
        "SELECT kid, public_key, created_at, retired_at FROM signing_keys
         ORDER BY created_at, CASE WHEN retired_at IS NULL THEN 1 ELSE 0 END, kid",
        (),
        StoredKey::from_row,
    )?;
    Ok(rows)
}
