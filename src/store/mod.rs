//! SQLite: opening the database, migrations, and one file per table family.
//!
//! Every function here is synchronous and takes a `&Connection` (or `&mut` when it needs a
//! transaction); the web layer calls them through `spawn_blocking`. Times are stored as RFC 3339
//! UTC text so that the database can be read with any SQLite tool.

pub mod certificates;
pub mod deliveries;
pub mod designs;
pub mod events;
pub mod imports;
pub mod people;
pub mod series;
pub mod staff;

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// Migrations, embedded in the binary and applied at start-up. Never edit one that has shipped:
/// add a new file.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../db/migrations/0001-create-events-and-imports.sql")),
        M::up(include_str!("../../db/migrations/0002-create-keys-and-certificates.sql")),
        M::up(include_str!("../../db/migrations/0003-create-person-languages.sql")),
        M::up(include_str!("../../db/migrations/0004-create-download-links.sql")),
        M::up(include_str!("../../db/migrations/0005-create-staff.sql")),
        M::up(include_str!("../../db/migrations/0006-merge-raw-rows-and-connections.sql")),
        M::up(include_str!("../../db/migrations/0007-add-teams-presenter-reading.sql")),
        M::up(include_str!("../../db/migrations/0008-add-credentials-and-status-lists.sql")),
        M::up(include_str!("../../db/migrations/0009-create-designs.sql")),
        M::up(include_str!("../../db/migrations/0010-create-deliveries.sql")),
        M::up(include_str!("../../db/migrations/0011-create-series.sql")),
        M::up(include_str!("../../db/migrations/0012-add-decision-cache-and-link-replacement.sql")),
        M::up(include_str!("../../db/migrations/0013-create-column-mappings.sql")),
    ])
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("no event \"{0}\" (see `attest event list`)")]
    NoSuchEvent(String),
    #[error("an event \"{0}\" already exists")]
    DuplicateEvent(String),
    #[error("{0}")]
    Invalid(String),
    /// A certificate (or other record) the input names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The record is not in a state that allows the change (a revoked certificate revoked again).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens (creating if needed) the database with WAL and foreign keys, and migrates it.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut conn = Connection::open(path)?;
    configure(&mut conn)?;
    Ok(conn)
}

/// Opens `path` with only the first `version` migrations applied, as an older attest left it:
/// for tests of what a later version does with old data (the credential backfill). Never used
/// by the service, which always migrates to the latest version.
#[doc(hidden)]
pub fn open_at_version(path: &Path, version: usize) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrations().to_version(&mut conn, version)?;
    Ok(conn)
}

/// An in-memory database, migrated: for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // 8 MiB of page cache holds every hot page of a working database. A big import spills to
    // the WAL as it goes instead of keeping all its dirty pages in memory first: a cache large
    // enough to hold a 100,000-row import (40 MiB) doubled the memory the import touched, and
    // fresh memory is dear on a virtual machine (half the import's page faults).
    conn.pragma_update(None, "cache_size", -8192)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrations().to_latest(conn)?;
    Ok(())
}

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// Copies the database to `dest` with SQLite's online backup, safe while the service runs.
/// The signing keys are not in the database: back up the `keys/` folder beside it as well.
pub fn backup(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(StoreError::Invalid(format!("{} exists: choose a new file", dest.display())));
    }
    let mut target = Connection::open(dest)?;
    let b = rusqlite::backup::Backup::new(conn, &mut target)?;
    b.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
    Ok(())
}

/// Records an action in the audit table (inside the caller's transaction when there is one).
pub fn audit(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        (ts(now), actor, action, subject, detail),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_migration_applies_to_an_empty_database() {
        super::migrations().validate().unwrap();
        let conn = super::open_in_memory().unwrap();
        let n: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0)).unwrap();
        assert!(n >= 6);
    }
}
