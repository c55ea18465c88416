//! The store's connection ([`Conn`]), its transactions ([`Tx`]) and the pool the service shares
//! ([`Store`]).
//!
//! Callers hold these types and never an engine's own: a `Conn` is a SQLite connection or a
//! PostgreSQL session in a private field. The store's files run statements through
//! [`Conn::execute`], [`Conn::all`] and [`Conn::query_row`], which take one SQL text for both
//! engines (see [`super::engine`]).
//!
//! Deliberately not here: SQL of the tables. Statements live in the file of their table family;
//! this file has only what differs by engine (transactions, change detection, liveness).

use std::cell::Cell;
use std::ops::Deref;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::engine::{Param, Params, Row, postgres::Session};
use super::{Location, Result, StoreError};

/// One open, migrated connection to the database. Made by [`super::open`], [`super::connect`],
/// [`super::open_in_memory`] or [`super::open_at_version`]; every store function takes one.
pub struct Conn {
    engine: Engine,
    /// Whether a [`Tx`] is open on it: [`Conn::atomically`] then nests with a savepoint.
    in_tx: Cell<bool>,
}

enum Engine {
    Sqlite(Connection),
    Postgres(Box<Session>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn").field("engine", &self.engine_name()).finish_non_exhaustive()
    }
}

/// The key of PostgreSQL's advisory lock that stands in for SQLite's single writer in
/// [`Conn::transaction_immediate`] ("attest" in ASCII).
const WRITER_LOCK: i64 = 0x6174_7465_7374;

impl Conn {
    pub(super) fn from_sqlite(db: Connection) -> Conn {
        // Every statement goes through the cache; the store has about 150 distinct ones, and
        // a request uses a handful.
        db.set_prepared_statement_cache_capacity(256);
        Conn { engine: Engine::Sqlite(db), in_tx: Cell::new(false) }
    }

    pub(super) fn from_postgres(session: Session) -> Conn {
        Conn { engine: Engine::Postgres(Box::new(session)), in_tx: Cell::new(false) }
    }

    /// "SQLite" or "PostgreSQL", for messages and metrics.
    pub fn engine_name(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite(_) => "SQLite",
            Engine::Postgres(_) => "PostgreSQL",
        }
    }

    /// Whether this is a PostgreSQL session (what several instances share).
    pub fn is_postgres(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// The PostgreSQL URL this session was opened with (private to `store`: it may hold a
    /// password); `None` on SQLite.
    pub(super) fn postgres_url(&self) -> Option<&str> {
        match &self.engine {
            Engine::Sqlite(_) => None,
            Engine::Postgres(s) => Some(s.url()),
        }
    }

    /// The SQLite connection, for SQLite-only work of the store's own files (its backup, its
    /// lock files); `None` on PostgreSQL.
    pub(super) fn sqlite(&self) -> Option<&Connection> {
        match &self.engine {
            Engine::Sqlite(db) => Some(db),
            Engine::Postgres(_) => None,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub(super) fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let params = params.params();
        match &self.engine {
            Engine::Sqlite(db) => Ok(super::engine::sqlite::execute(&mut db.prepare_cached(sql)?, &params)?),
            Engine::Postgres(s) => s.execute(sql, &params),
        }
    }

    /// `sql` prepared to run many times over ([`Repeated::run`]): on SQLite with its values
    /// bound without a copy (the rows of an import); on PostgreSQL, [`Conn::execute`] each time.
    pub(super) fn repeated(&self, sql: &str) -> Result<Repeated<'_>> {
        Ok(match &self.engine {
            Engine::Sqlite(db) => Repeated::Sqlite(super::engine::sqlite::Repeated::prepare(db, sql)?),
            Engine::Postgres(_) => Repeated::Other(self, sql.to_owned()),
        })
    }

    /// Every row `sql` answers for `params`, each read by `row`. The prepare, map and collect
    /// that every listing in the store does, written once so that a listing states only its
    /// query and its row.
    pub(super) fn all<T>(&self, sql: &str, params: impl Params, row: impl FnMut(&Row) -> Result<T>) -> Result<Vec<T>> {
        let params = params.params();
        match &self.engine {
            Engine::Sqlite(db) => super::engine::sqlite::rows(&mut db.prepare_cached(sql)?, &params, row),
            Engine::Postgres(s) => s.rows(sql, &params, row),
        }
    }

    /// The first row `sql` answers, read by `row`; [`StoreError::NoRow`] when there is none
    /// (`.optional()` turns that into `None`).
    pub(super) fn query_row<T>(&self, sql: &str, params: impl Params, row: impl FnMut(&Row) -> Result<T>) -> Result<T> {
        self.all(sql, params, row)?.into_iter().next().ok_or(StoreError::NoRow)
    }

    /// Statements without parameters, separated by `;`.
    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(db) => Ok(db.execute_batch(sql)?),
            Engine::Postgres(s) => s.batch(sql),
        }
    }

    /// Starts a transaction: the store functions called with the returned [`Tx`] (it derefs to
    /// a `Conn`) land together at [`Tx::commit`], and none of them does if it is dropped
    /// uncommitted (an error returned early, a panic). `&mut self` so that transactions cannot
    /// nest. Deferred on SQLite: the write lock is taken at the first write.
    ///
    /// A guard rather than a closure that commits on `Ok`: callers return early with a value
    /// that must not commit (a setup link refused after a read), and the guard keeps that
    /// meaning.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        self.batch("BEGIN")?;
        Ok(Tx::open(self, false))
    }

    /// [`Conn::transaction`] for a bulk write whose rows all reference a parent the same
    /// transaction writes or checks first (an upload and its 100,000 rows): SQLite's foreign-key
    /// checks are off until it ends, for they looked each row's parent up again, a fifth of the
    /// rows' insert time. The caller does by hand what the references would have done: checks
    /// that the parents it writes under exist, and deletes children before their parent (no
    /// `ON DELETE CASCADE` runs meanwhile). The checks are back on when the transaction ends,
    /// committed or not. SQLite's write lock is taken at once (`BEGIN IMMEDIATE`), so that
    /// what the caller checks first stays true until it writes, and a writer that came first is
    /// waited for rather than failing the write. On PostgreSQL, an ordinary transaction.
    pub(super) fn transaction_trusting_references(&mut self) -> Result<Tx<'_>> {
        if self.is_postgres() {
            return self.transaction();
        }
        // Outside a transaction, where SQLite takes the setting (inside, it ignores it).
        self.batch("PRAGMA foreign_keys = OFF")?;
        if let Err(e) = self.begin_writing() {
            self.batch("PRAGMA foreign_keys = ON")?;
            return Err(e);
        }
        Ok(Tx::open(self, true))
    }

    /// Runs `f` so that its writes land together or not at all, inside the caller's transaction
    /// if one is open (a savepoint) or in one of its own. For work whose failure the caller
    /// survives (caching decisions). SQLite would accept a savepoint alone either way;
    /// PostgreSQL takes savepoints only inside a transaction.
    pub(super) fn atomically<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let nested = self.in_tx.get();
        self.batch(if nested { "SAVEPOINT atomically" } else { "BEGIN" })?;
        self.in_tx.set(true);
        let result = f();
        self.in_tx.set(nested);
        let end = match (&result, nested) {
            (Ok(_), true) => "RELEASE atomically",
            (Ok(_), false) => "COMMIT",
            (Err(_), true) => "ROLLBACK TO atomically; RELEASE atomically",
            (Err(_), false) => "ROLLBACK",
        };
        self.batch(end)?;
        result
    }

    /// A transaction that takes the write lock at once, before reading: for a read that decides
    /// a write which no other writer may decide too (claiming the next queued mail, reserving
    /// status positions). SQLite: `BEGIN IMMEDIATE`, its one writer. PostgreSQL, where writers
    /// run side by side: an advisory lock held to the end of the transaction, which every such
    /// transaction of every instance takes, so that they run one at a time as on SQLite.
    pub(super) fn transaction_immediate(&mut self) -> Result<Tx<'_>> {
        self.begin_writing()?;
        Ok(Tx::open(self, false))
    }

    /// Begins a transaction that holds the writer lock from its start (see
    /// [`Conn::transaction_immediate`]).
    fn begin_writing(&self) -> Result<()> {
        match self.engine {
            Engine::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Engine::Postgres(_) => {
                let begun = self.batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"));
                if begun.is_err() {
                    // The wait for the lock ran out (`lock_timeout`) inside the transaction just
                    // begun, which the server has aborted: ended here, or every later statement
                    // of this pooled session would be refused ("current transaction is
                    // aborted").
                    let _ = self.batch("ROLLBACK");
                }
                begun
            }
        }
    }

    /// Runs `f` while holding the database's writer lock, which every process on the database
    /// takes to write (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the advisory lock of
    /// `Conn::transaction_immediate`): for a check-then-create that two processes starting
    /// together must not both do (the first signing key, the PDF identity). Inside an open
    /// transaction `f` simply runs in it. Committed when `f` succeeds, rolled back when not.
    pub fn exclusively<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.in_tx.get() {
            return f();
        }
        self.begin_writing()?;
        self.in_tx.set(true);
        let result = f();
        self.in_tx.set(false);
        self.batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
        result
    }

    /// A number that changes when another connection commits a change: how the service notices
    /// writes by the command line, or by another instance. SQLite: its `data_version`.
    /// PostgreSQL: the counter that the triggers of the changes table raise
    /// (`db/migrations/postgres`).
    pub fn data_version(&self) -> Result<i64> {
        match self.engine {
            Engine::Sqlite(_) => self.query_row("PRAGMA data_version", (), |r| r.get(0)),
            Engine::Postgres(_) => self.query_row("SELECT version FROM data_version WHERE id = 1", (), |r| r.get(0)),
        }
    }

    /// Whether the connection answers a trivial query (the pool asks a session that sat idle).
    pub fn ping(&self) -> Result<()> {
        if let Engine::Postgres(s) = &self.engine {
            if s.is_closed() {
                return Err(StoreError::Invalid("the PostgreSQL connection is closed".into()));
            }
        }
        self.query_row("SELECT 1", (), |r| r.get::<i64>(0))?;
        Ok(())
    }

    /// Every row `sql` answers for `params`, each read by `row`: for tests that read tables
    /// directly (a count, a column a migration adds), on either engine. The service never
    /// calls it: everything it does to the database goes through the store's functions.
    #[doc(hidden)]
    pub fn rows_for_tests<T>(
        &self,
        sql: &str,
        params: impl Params,
        row: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.all(sql, params, row)
    }

    /// [`Conn::rows_for_tests`], the first row ([`StoreError::NoRow`] when there is none).
    #[doc(hidden)]
    pub fn row_for_tests<T>(&self, sql: &str, params: impl Params, row: impl FnMut(&Row) -> Result<T>) -> Result<T> {
        self.query_row(sql, params, row)
    }

    /// The first number of the first row `sql` answers (a count), for tests.
    #[doc(hidden)]
    pub fn number_for_tests(&self, sql: &str) -> Result<i64> {
        self.query_row(sql, (), |r| r.get(0))
    }

    /// Runs one statement: for tests that change tables on purpose (damage a row, age a
    /// record), on either engine. The service never calls it.
    #[doc(hidden)]
    pub fn execute_for_tests(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.execute(sql, params)
    }

    /// Begins a transaction holding the writer lock every writing transaction of every instance
    /// takes (see [`Conn::transaction_immediate`]), for tests of what other writers do while it
    /// is held; `execute_for_tests("COMMIT", ())` ends it.
    #[doc(hidden)]
    pub fn hold_writer_lock_for_tests(&self) -> Result<()> {
        self.begin_writing()
    }

    /// The SQLite connection itself, for tests of SQLite's own behaviour. Panics on PostgreSQL:
    /// such tests say so and skip there.
    #[doc(hidden)]
    pub fn sqlite_for_tests(&self) -> &Connection {
        self.sqlite().expect("a SQLite database")
    }

    /// [`Conn::sqlite_for_tests`], mutable (a test's own transaction).
    #[doc(hidden)]
    pub fn sqlite_for_tests_mut(&mut self) -> &mut Connection {
        match &mut self.engine {
            Engine::Sqlite(db) => db,
            Engine::Postgres(_) => panic!("a SQLite database"),
        }
    }
}

/// A statement prepared by [`Conn::repeated`].
pub(super) enum Repeated<'c> {
    Sqlite(super::engine::sqlite::Repeated<'c>),
    Other(&'c Conn, String),
}

impl Repeated<'_> {
    /// Runs the statement once with `params`; the rows it changed.
    pub(super) fn run(&mut self, params: Vec<Param<'_>>) -> Result<usize> {
        match self {
            Repeated::Sqlite(st) => Ok(st.run(&params)?),
            Repeated::Other(conn, sql) => conn.execute(sql, params),
        }
    }
}

/// An open transaction on a [`Conn`]; store functions take it as `&tx` (it derefs to the
/// connection). Rolled back when dropped without [`Tx::commit`].
pub struct Tx<'a> {
    conn: &'a Conn,
    done: bool,
    /// Opened by [`Conn::transaction_trusting_references`]: SQLite's foreign-key checks to turn
    /// back on once it has ended.
    references_off: bool,
}

impl<'a> Tx<'a> {
    fn open(conn: &'a Conn, references_off: bool) -> Tx<'a> {
        conn.in_tx.set(true);
        Tx { conn, done: false, references_off }
    }

    /// Ends the transaction with `sql` (`COMMIT` or `ROLLBACK`); one whose commit failed is
    /// rolled back (SQLite keeps a transaction open when its commit is refused, and the
    /// connection goes back to a pool). Then the foreign-key checks are on again if this
    /// transaction had them off.
    fn end(&mut self, sql: &str) -> Result<()> {
        self.done = true;
        self.conn.in_tx.set(false);
        let ended = self.conn.batch(sql);
        if ended.is_err() && sql == "COMMIT" {
            self.conn.batch("ROLLBACK").ok();
        }
        if self.references_off {
            self.references_off = false;
            self.conn.batch("PRAGMA foreign_keys = ON")?;
        }
        ended
    }

    /// Makes every change made through this transaction permanent, together.
    ///
    /// On PostgreSQL a statement that failed inside the transaction (and whose error a caller
    /// chose to survive) has aborted it, and `COMMIT` would then roll back without an error: a
    /// trivial query first turns that into one, so that a commit that keeps nothing never
    /// reports success.
    pub fn commit(mut self) -> Result<()> {
        if self.conn.is_postgres() {
            self.conn.batch("SELECT 1")?;
        }
        self.end("COMMIT")
    }

    /// [`Tx::commit`] for a large write that someone waits for (an import of 100,000 rows):
    /// SQLite's copy of the transaction's pages from the write-ahead log into the database file
    /// (its automatic checkpoint, which runs inside the commit once the log is over a thousand
    /// pages) is left to [`Conn::checkpoint`], or to the next commit, or to the last connection's
    /// close. The commit is in the log either way and readers read it there; under the store's
    /// `synchronous = NORMAL` the log reaches the disk at a checkpoint, as every commit below
    /// the threshold does. The checkpoint was a sixth of a 100,000-row import's time (50 ms).
    pub fn commit_leaving_checkpoint(self) -> Result<()> {
        if self.conn.is_postgres() {
            return self.commit();
        }
        let pages: i64 = self.conn.query_row("PRAGMA wal_autocheckpoint", (), |r| r.get(0))?;
        self.conn.batch("PRAGMA wal_autocheckpoint = 0")?;
        let conn = self.conn;
        let committed = self.commit();
        // The connection's setting again, whatever the commit did: it goes back to a pool.
        conn.batch(&format!("PRAGMA wal_autocheckpoint = {pages}"))?;
        committed
    }
}

impl Conn {
    /// Copies what SQLite's write-ahead log holds into the database file, as far as no reader
    /// needs the log (a passive checkpoint: it waits for no one). For after
    /// [`Tx::commit_leaving_checkpoint`], off the path of whoever waited for the write. Nothing
    /// to do on PostgreSQL.
    pub fn checkpoint(&self) -> Result<()> {
        if self.is_postgres() {
            return Ok(());
        }
        self.query_row("PRAGMA wal_checkpoint(PASSIVE)", (), |r| r.get::<i64>(0)).map(|_| ())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to do about a failed rollback: the connection ends the transaction when
            // it closes, and the caller already has the error that brought it here.
            self.end("ROLLBACK").ok();
        }
    }
}

impl Deref for Tx<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        self.conn
    }
}

/// The service's handle on the database: a few connections. SQLite: WAL lets readers work side
/// by side; writers wait on SQLite's own lock (busy timeout). PostgreSQL: sessions of one
/// server, shared with other instances. A pool of plain mutexes is enough at this scale, where
/// a pool crate would add a dependency for ten lines.
pub struct Store {
    conns: Vec<Mutex<Pooled>>,
    next: AtomicUsize,
    location: Option<Location>,
    /// The SQLite file the connections opened.
    opened: Option<super::location::FileId>,
}

/// A connection of the pool and when it was last handed out.
struct Pooled {
    conn: Conn,
    used: Instant,
}

impl Pooled {
    fn new(conn: Conn) -> Mutex<Pooled> {
        Mutex::new(Pooled { conn, used: Instant::now() })
    }
}

/// A PostgreSQL session idle this long is checked before use. After a server restart or
/// failover every pooled session is dead, but the client learns it only from the next query,
/// which failed: one 500 per pooled connection. One round trip on a session that sat idle
/// costs nothing a person notices; on a busy server sessions are never idle this long.
const VERIFY_IDLE_AFTER: Duration = Duration::from_secs(1);

impl Store {
    /// Opens `size` connections (at least one) to the database at `location`, migrating it.
    pub fn open(location: &Location, size: usize) -> Result<Store> {
        let conns = (0..size.max(1)).map(|_| super::connect(location).map(Pooled::new)).collect::<Result<_>>()?;
        // After connecting: `serve` on a new installation makes the file here.
        let opened = location.file_id();
        Ok(Store { conns, next: AtomicUsize::new(0), location: Some(location.clone()), opened })
    }

    /// Wraps one connection (tests use an in-memory database), taken to be written only
    /// through this service.
    pub fn single(conn: Conn) -> Store {
        Store { conns: vec![Pooled::new(conn)], next: AtomicUsize::new(0), location: None, opened: None }
    }

    /// Whether the SQLite file at the store's path is no longer the one its connections opened
    /// (replaced by a restore, or removed): they still read and write the old one, which
    /// nothing else sees.
    pub fn file_replaced(&self) -> bool {
        self.location.as_ref().is_some_and(|l| l.replaced_since(self.opened))
    }

    /// The SQLite file its connections opened, taken once they had.
    pub fn opened_file(&self) -> Option<super::location::FileId> {
        self.opened
    }

    /// The SQLite file, when the store was opened on one.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Some(Location::Sqlite(p)) => Some(p),
            _ => None,
        }
    }

    /// Where the store was opened, when it was (not for [`Store::single`]).
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// Connections in use now, and the pool's size.
    pub fn use_now(&self) -> (usize, usize) {
        let busy = self.conns.iter().filter(|c| c.try_lock().is_err()).count();
        (busy, self.conns.len())
    }

    /// Runs `f` with a connection of its own: the first free one, else the next in turn once it
    /// is free. Blocking: the web layer calls it through `spawn_blocking`. A PostgreSQL session
    /// the server closed (a restart, a failover) is opened again first.
    pub fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.conns.len() {
            if let Ok(mut c) = self.conns[(start + i) % self.conns.len()].try_lock() {
                self.reopen_if_dead(&mut c);
                return f(&mut c.conn);
            }
        }
        let mut c = self.conns[start % self.conns.len()].lock().unwrap_or_else(|e| e.into_inner());
        self.reopen_if_dead(&mut c);
        f(&mut c.conn)
    }

    /// Opens a PostgreSQL session again when it is closed, or when it sat idle and no longer
    /// answers ([`VERIFY_IDLE_AFTER`]).
    fn reopen_if_dead(&self, pooled: &mut Pooled) {
        let idle = pooled.used.elapsed() >= VERIFY_IDLE_AFTER;
        pooled.used = Instant::now();
        let dead = match &pooled.conn.engine {
            Engine::Postgres(s) => s.is_closed() || (idle && pooled.conn.ping().is_err()),
            Engine::Sqlite(_) => false,
        };
        if let (true, Some(location)) = (dead, &self.location) {
            // A failed reconnect leaves the closed session: the caller's query then fails with
            // the engine's error, which says why.
            if let Ok(fresh) = super::connect(location) {
                pooled.conn = fresh;
            }
        }
    }
}
