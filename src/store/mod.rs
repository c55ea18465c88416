//! The only door to the database: connections ([`Conn`]), the pool the service shares
//! ([`Store`]), migrations, pragmas, transactions ([`Tx`]), and one file per table family that
//! maps rows to domain types.
//!
//! No module outside this folder names rusqlite or writes SQL: callers hold a [`Conn`] and call
//! the functions here, so that a second engine (PostgreSQL) can later sit behind the same types
//! without changing them. Every function is synchronous and takes a `&Conn` (or `&mut Conn` when
//! it opens a transaction of its own); the web layer calls them through `spawn_blocking`. Times
//! are stored as RFC 3339 UTC text so that the database can be read with any SQLite tool.
//!
//! Deliberately not here: decisions (attendance, series), signing and rendering. The store keeps
//! what they produce and reads it back; it does not decide anything itself.

pub mod certificates;
pub mod copy;
pub mod deliveries;
pub mod designs;
pub mod events;
pub mod imports;
pub mod keys;
pub mod locks;
pub mod people;
pub mod series;
pub mod staff;
pub mod tallies;

mod columns;
mod conn;
#[doc(hidden)]
pub mod engine;
mod location;

pub use conn::{Conn, Store, Tx};
pub use location::{FileId, Location};

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// One step of the schema, for each engine: the SQLite text, and the PostgreSQL text where it
/// has one of its own.
struct Migration {
    sqlite: &'static str,
    /// `None`: part of PostgreSQL's baseline. PostgreSQL support starts at version 17, whose
    /// file creates in one step what SQLite's 1 to 17 create; every later version comes as a
    /// pair, one file per engine, numbered alike.
    postgres: Option<&'static str>,
}

/// A version from 18 on: one file per engine under one name, written here once so that the two
/// halves of a pair cannot name different files.
macro_rules! pair {
    ($name:literal) => {
        Migration {
            sqlite: include_str!(concat!("../../db/migrations/", $name, ".sql")),
            postgres: Some(include_str!(concat!("../../db/migrations/postgres/", $name, ".sql"))),
        }
    };
}

/// Migrations, embedded in the binary and applied at start-up, in order, on either engine.
/// Never edit one that has shipped: add a new pair.
const MIGRATIONS: &[Migration] = &[
    sqlite_only(include_str!("../../db/migrations/0001-create-events-and-imports.sql")),
    sqlite_only(include_str!("../../db/migrations/0002-create-keys-and-certificates.sql")),
    sqlite_only(include_str!("../../db/migrations/0003-create-person-languages.sql")),
    sqlite_only(include_str!("../../db/migrations/0004-create-download-links.sql")),
    sqlite_only(include_str!("../../db/migrations/0005-create-staff.sql")),
    sqlite_only(include_str!("../../db/migrations/0006-merge-raw-rows-and-connections.sql")),
    sqlite_only(include_str!("../../db/migrations/0007-add-teams-presenter-reading.sql")),
    sqlite_only(include_str!("../../db/migrations/0008-add-credentials-and-status-lists.sql")),
    sqlite_only(include_str!("../../db/migrations/0009-create-designs.sql")),
    sqlite_only(include_str!("../../db/migrations/0010-create-deliveries.sql")),
    sqlite_only(include_str!("../../db/migrations/0011-create-series.sql")),
    sqlite_only(include_str!("../../db/migrations/0012-add-decision-cache-and-link-replacement.sql")),
    sqlite_only(include_str!("../../db/migrations/0013-create-column-mappings.sql")),
    sqlite_only(include_str!("../../db/migrations/0014-add-staff-roles.sql")),
    sqlite_only(include_str!("../../db/migrations/0015-add-staff-subjects.sql")),
    sqlite_only(include_str!("../../db/migrations/0016-create-certificate-verifications.sql")),
    Migration {
        sqlite: include_str!("../../db/migrations/0017-create-status-position-reservations.sql"),
        postgres: Some(include_str!("../../db/migrations/postgres/0017-baseline.sql")),
    },
    pair!("0018-add-organisation-contact"),
    pair!("0019-add-issuer-translations"),
    pair!("0020-create-series-links"),
    pair!("0021-add-key-withdrawal"),
];

const fn sqlite_only(sqlite: &'static str) -> Migration {
    Migration { sqlite, postgres: None }
}

/// SQLite's migrations, for rusqlite_migration (which keeps the version in `user_version`).
fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|m| M::up(m.sqlite)).collect())
}

/// The key of the advisory lock under which a PostgreSQL database is migrated: two instances
/// starting together migrate one after the other, the second finding nothing left to do.
const MIGRATION_LOCK: i64 = 0x0061_7474_6573_746d;

/// Brings a PostgreSQL database to the latest version, under [`MIGRATION_LOCK`]; each version in
/// a transaction of its own, recorded in `schema_migrations`.
fn migrate_postgres(conn: &mut Conn) -> Result<()> {
    conn.batch(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    let done = (|| -> Result<()> {
        conn.batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )?;
        let current: i64 =
            conn.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", (), |r| r.get(0))?;
        for (i, m) in MIGRATIONS.iter().enumerate() {
            let version = i64::try_from(i + 1).unwrap_or(i64::MAX);
            let Some(sql) = m.postgres.filter(|_| version > current) else { continue };
            let tx = conn.transaction()?;
            tx.batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                (version, ts(Utc::now())),
            )?;
            tx.commit()?;
        }
        Ok(())
    })();
    conn.batch(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    done
}

/// Why a storage operation failed.
///
/// The engines' errors are said in the message and not also given as its `source()`: the CLI
/// prints an error with its chain of sources (`{:#}`), and an error that did both came out twice
/// ("file is not a database: file is not a database: Error code 26", probe 19). The message is
/// the one place they are said, so that logs and HTTP answers, which print only the message,
/// keep them. (`From` by hand below: thiserror's `#[from]` would make them sources again.)
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    #[error("database: {}", postgres_message(.0))]
    Postgres(postgres::Error),
    /// A stored value that does not read as its column's type.
    #[error("database: reading {0}")]
    Read(String),
    /// A single-row query found no row (`engine::OptionalExtension::optional` makes it `None`).
    #[error("database: no such row")]
    NoRow,
    #[error("database migration: {0}")]
    Migration(rusqlite_migration::Error),
    #[error("no event \"{0}\" (`attest event list` or GET /api/v1/events lists them)")]
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
    /// A correction names a person key that no one in the event holds: a typo, or people linked
    /// or split since the caller read the list. Its own variant so that the console can say so
    /// beside the field instead of matching the message.
    #[error("no person under \"{key}\" in {event} (see the review list)")]
    NoSuchPerson { key: crate::attendance::PersonKey, event: String },
    /// A split of a key that no link or email joins to anyone: it would change nothing.
    #[error(
        "{0} is not joined to anyone: splitting it changes nothing. Rows under one name and no email \
         (two people who share a name) cannot be told apart; settle each with an override"
    )]
    NothingToSplit(crate::attendance::PersonKey),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
}

/// A language code that is not one: invalid input, with the message that lists the languages.
impl From<crate::language::UnknownLanguage> for StoreError {
    fn from(e: crate::language::UnknownLanguage) -> Self {
        StoreError::Invalid(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// Whether the engine refused the change for a constraint (a unique key already taken).
    pub fn is_constraint(&self) -> bool {
        match self {
            StoreError::Sqlite(e) => engine::sqlite::is_constraint(e),
            StoreError::Postgres(e) => engine::postgres::is_constraint(e),
            _ => false,
        }
    }

    /// Whether another writer held the lock longer than this one waits for it (SQLite's busy
    /// timeout, PostgreSQL's `lock_timeout`, both 5 s), or the engine gave up a transaction to
    /// let another go on (a deadlock or serialization failure): the same work may succeed when
    /// tried again.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sqlite(e) => engine::sqlite::is_busy(e),
            StoreError::Postgres(e) => engine::postgres::is_busy(e),
            _ => false,
        }
    }
}

impl StoreError {
    /// A unique index refused the row: another writer stored the same thing first (between
    /// this one's check and its write).
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            }
            StoreError::Postgres(e) => e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        StoreError::Migration(e)
    }
}

/// PostgreSQL's own message and detail: the client's `Display` says only "db error".
fn postgres_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        // The client's own error says what it was doing ("error connecting to server") and
        // leaves the why to its sources ("Connection refused"): said here, once.
        None => {
            let mut message = e.to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                let said = c.to_string();
                if !message.ends_with(&said) {
                    message = format!("{message}: {said}");
                }
                cause = c.source();
            }
            message
        }
    }
}

/// Opens the database `location` names (a SQLite file, created if needed, or a PostgreSQL
/// database), and migrates it.
pub fn connect(location: &Location) -> Result<Conn> {
    match location {
        Location::Sqlite(path) => open(path),
        Location::Postgres(url) => {
            let mut conn = postgres_session(url)?;
            migrate_postgres(&mut conn)?;
            Ok(conn)
        }
    }
}

/// [`connect`] for the commands that use an installation rather than set one up: a SQLite file
/// is opened only if it exists, never created (nor its folder), and migrated. A mistyped path
/// used to open a new, empty database that a backup then copied with "integrity check: ok", and
/// a command run after the live file was lost recreated it, so that the service was split
/// between two databases. PostgreSQL is unchanged: its operator creates the database.
pub fn connect_existing(location: &Location) -> Result<Conn> {
    let Location::Sqlite(path) = location else { return connect(location) };
    // The caller says "no database" first; without `CREATE`, a file removed between that check
    // and this open is still not made again (SQLite says it cannot open it).
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
        | rusqlite::OpenFlags::SQLITE_OPEN_URI
        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    configure(&mut conn)?;
    Ok(Conn::from_sqlite(conn))
}

/// A session with the PostgreSQL database at `url`, with the store's settings, for a database
/// migrated already (what [`connect`] does after it; the readiness probe and the locks' own
/// sessions need no more).
fn postgres_session(url: &str) -> Result<Conn> {
    let conn = Conn::from_postgres(engine::postgres::Session::connect(url)?);
    // SQLite's busy timeout: a writer waits this long for another's lock, then fails (and the
    // request says so) rather than hanging. A session that sits in an open transaction (a
    // process stopped in a debugger, a lost client) is ended after a while so that its locks do
    // not hold every writer.
    conn.batch("SET lock_timeout = '5s'; SET idle_in_transaction_session_timeout = '5min'")?;
    Ok(conn)
}

/// Opens the database `path` names: a SQLite file (created if needed, with WAL and foreign
/// keys), or, when the path is a `postgres://` URL, that database ([`connect`]); migrated.
pub fn open(path: &Path) -> Result<Conn> {
    if let Location::Postgres(url) = Location::parse(path.as_os_str())? {
        return connect(&Location::Postgres(url));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut conn = Connection::open(path)?;
    configure(&mut conn)?;
    Ok(Conn::from_sqlite(conn))
}

/// Opens `path` with only the first `version` migrations applied, as an older attest left it:
/// for tests of what a later version does with old data (the credential backfill). Never used
/// by the service, which always migrates to the latest version.
#[doc(hidden)]
pub fn open_at_version(path: &Path, version: usize) -> Result<Conn> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrations().to_version(&mut conn, version)?;
    Ok(Conn::from_sqlite(conn))
}

/// An in-memory database, migrated: for tests and benchmarks.
pub fn open_in_memory() -> Result<Conn> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    Ok(Conn::from_sqlite(conn))
}

/// Opens the database anew (a SQLite file read-only and without creating it; a new PostgreSQL
/// session) and reads a table: whether the database can be reached at all (the pool's
/// connections keep a deleted or unmounted file open, and would say yes).
pub fn probe(location: &Location) -> Result<()> {
    let path = match location {
        Location::Sqlite(path) => path,
        Location::Postgres(url) => {
            let session = postgres_session(url)?;
            session.query_row("SELECT count(*) FROM staff", (), |r| r.get::<i64>(0))?;
            return Ok(());
        }
    };
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c = Connection::open_with_flags(path, flags)?;
    c.busy_timeout(std::time::Duration::from_secs(2))?;
    c.query_row("SELECT count(*) FROM staff", [], |r| r.get::<_, i64>(0))?;
    Ok(())
}

fn configure(conn: &mut Connection) -> Result<()> {
    // 16 KiB pages for a new database (an existing one keeps its own: SQLite sets the size when
    // the first table is made): an import writes 30 MB of rows and the upload's bytes, and in
    // pages four times larger its 100,000 rows were stored a tenth faster, with a quarter of the
    // page splits and log frames.
    conn.pragma_update(None, "page_size", 16384)?;
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

/// A time as the store writes it: [`crate::encoding::rfc3339`], RFC 3339 UTC to the second.
pub fn ts(t: DateTime<Utc>) -> String {
    crate::encoding::rfc3339(t)
}

/// A stored time read back ([`crate::encoding::parse_rfc3339`]).
pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    crate::encoding::parse_rfc3339(s)
}

/// Copies the database to `dest` while the service runs, then checks the copy; refuses an
/// existing `dest`. The signing keys are not in the database: back up the `keys/` folder beside
/// it as well.
///
/// `VACUUM INTO`: one read transaction writes a compacted, self-contained file, whatever other
/// connections write meanwhile. SQLite's online backup API, used before, copies in steps and
/// starts again whenever another connection writes between two steps: under a service that
/// writes every few milliseconds it never finished. A copy that fails `PRAGMA integrity_check`
/// is removed and the backup fails: a file that will not restore is worse than none.
pub fn backup(conn: &Conn, dest: &Path) -> Result<()> {
    // A folder is named as one: "backups exists: choose a new file" read as if a file were in
    // the way, when the operator meant "into this folder".
    if dest.is_dir() {
        return Err(StoreError::Invalid(format!(
            "{0} is a folder: name a new file inside it, e.g. {1}",
            dest.display(),
            dest.join(format!("attest-{}.sqlite3", Utc::now().format("%Y-%m-%d"))).display()
        )));
    }
    if dest.exists() {
        return Err(StoreError::Invalid(format!("{} exists: choose a new file", dest.display())));
    }
    // Said as what it is: SQLite's "unable to open database" read as if the live database
    // were broken.
    let folder = dest.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|f| !f.is_dir()) {
        return Err(StoreError::Invalid(format!(
            "{}: the folder {} does not exist (create it first)",
            dest.display(),
            folder.display()
        )));
    }
    let Some(db) = conn.sqlite() else {
        return Err(StoreError::Invalid(
            "attest backup copies a SQLite database; back up PostgreSQL with pg_dump (see the README, Deploying)"
                .into(),
        ));
    };
    // SQLite takes the file name as text.
    let name =
        dest.to_str().ok_or_else(|| StoreError::Invalid(format!("{}: the file name is not UTF-8", dest.display())))?;
    // The copy holds attendees' emails and staff's password hashes: readable by its owner only,
    // whatever the umask of the cron job that makes it. VACUUM INTO writes into an empty file,
    // so it is made first, with those permissions.
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    file.open(dest).map_err(|e| StoreError::Invalid(format!("{}: {e}", dest.display())))?;
    if let Err(e) = db.execute("VACUUM INTO ?1", [name]) {
        std::fs::remove_file(dest).ok();
        return Err(e.into());
    }
    let problems = integrity_problems(dest);
    if !problems.is_empty() {
        std::fs::remove_file(dest).ok();
        return Err(StoreError::Invalid(format!(
            "the copy failed SQLite's integrity check and was removed: {}",
            problems.join("; ")
        )));
    }
    Ok(())
}

/// What `PRAGMA integrity_check` finds wrong with the database file at `path` (the first ten
/// problems); empty when it answers "ok".
fn integrity_problems(path: &Path) -> Vec<String> {
    let check = || -> Result<Vec<String>> {
        let copy = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut st = copy.prepare("PRAGMA integrity_check(10)")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    match check() {
        Ok(rows) if rows == ["ok"] => Vec::new(),
        Ok(rows) => rows,
        Err(e) => vec![e.to_string()],
    }
}

/// Records an action in the audit table (inside the caller's transaction when there is one).
///
/// The entry names the account (`actor`) and the role it held when it acted, read from the
/// account itself in the same statement, so that no caller can forget it; the command line
/// (`cli`) and other non-accounts have none. Passing the role down from every handler was the
/// alternative: forty call sites, each a chance to get it wrong.
pub fn audit(conn: &Conn, now: DateTime<Utc>, actor: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
    let with_role = conn.execute(
        "INSERT INTO audit (at, actor, action, subject, detail, role)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT role FROM staff WHERE email = ?2))",
        (ts(now), actor, action, subject, detail),
    );
    match with_role {
        // A database left at a version before roles (`open_at_version`, in upgrade tests) has
        // no role column: the entry is written as that version would have.
        Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(_, Some(m)))) if m.contains("no column named role") => {
            conn.execute(
                "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                (ts(now), actor, action, subject, detail),
            )?;
        }
        other => {
            other?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_new_database_has_large_pages_and_an_old_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let page = |c: &super::Conn| c.query_row("PRAGMA page_size", (), |r| r.get::<i64>(0)).unwrap();
        assert_eq!(page(&super::open(&dir.path().join("new.sqlite3")).unwrap()), 16384);
        let old = dir.path().join("old.sqlite3");
        rusqlite::Connection::open(&old).unwrap().execute_batch("PRAGMA page_size = 4096; CREATE TABLE t (x)").unwrap();
        assert_eq!(page(&super::open(&old).unwrap()), 4096);
    }

    #[test]
    fn a_backup_is_checked_and_a_damaged_copy_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let conn = super::open(&dir.path().join("a.sqlite3")).unwrap();
        for i in 0..500 {
            super::audit(&conn, chrono::Utc::now(), "t", "test", &format!("s{i}"), &"x".repeat(100)).unwrap();
        }
        let copy = dir.path().join("copy.sqlite3");
        super::backup(&conn, &copy).unwrap();
        assert!(super::integrity_problems(&copy).is_empty());
        assert!(super::backup(&conn, &copy).is_err(), "never overwrites");
        // A page of the audit table overwritten: what a bad disk or a truncated copy gives.
        let mut bytes = std::fs::read(&copy).unwrap();
        let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
        let last = bytes.len() / page - 1;
        bytes[last * page..(last + 1) * page].fill(0x55);
        std::fs::write(&copy, bytes).unwrap();
        assert!(!super::integrity_problems(&copy).is_empty());
    }

    #[test]
    fn every_migration_applies_to_an_empty_database() {
        super::migrations().validate().unwrap();
        let conn = super::open_in_memory().unwrap();
        let n: i64 = conn.number_for_tests("SELECT count(*) FROM sqlite_master WHERE type = 'table'").unwrap();
        assert!(n >= 6);
    }
}
