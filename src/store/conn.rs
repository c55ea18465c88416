//! The store's connection ([`Conn`]), its transactions ([`Tx`]) and the pool the service shares
//! ([`Store`]).
//!
//! Callers hold these types and never the engine's own: a `Conn` wraps a SQLite connection in a
//! private field, so that PostgreSQL can later sit behind the same type (an enum of engines)
//! without changing a caller. Only the store's own files reach the SQLite connection, through
//! [`Conn::sqlite`], which is private to `store`.
//!
//! Deliberately not here: SQL. Statements live in the file of their table family.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::Result;

/// One open, migrated connection to the database. Made by [`super::open`],
/// [`super::open_in_memory`] or [`super::open_at_version`]; every store function takes one.
pub struct Conn {
    db: Connection,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn").finish_non_exhaustive()
    }
}

impl Conn {
    pub(super) fn from_sqlite(db: Connection) -> Conn {
        Conn { db }
    }

    /// The SQLite connection, for the store's own files (private to `store`).
    pub(super) fn sqlite(&self) -> &Connection {
        &self.db
    }

    /// Every row `sql` answers for `params`, each read by `row`. The prepare, map and collect
    /// that every listing in the store does, written once so that a listing states only its
    /// query and its row; a second engine would answer this one method instead of each listing.
    pub(super) fn all<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.db.prepare(sql)?;
        let rows = st.query_map(params, row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Starts a transaction: the store functions called with the returned [`Tx`] (it derefs to
    /// a `Conn`) land together at [`Tx::commit`], and none of them does if it is dropped
    /// uncommitted (an error returned early, a panic). `&mut self` so that transactions cannot
    /// nest. Deferred: the write lock is taken at the first write.
    ///
    /// A guard rather than a closure that commits on `Ok`: callers return early with a value
    /// that must not commit (a setup link refused after a read), as they did with rusqlite's
    /// own transaction, and the guard keeps that meaning.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        self.begin(TransactionBehavior::Deferred)
    }

    /// A transaction that takes the write lock at once, before reading: for a read that decides
    /// a write which no other writer may decide too (claiming the next queued mail).
    pub(super) fn transaction_immediate(&mut self) -> Result<Tx<'_>> {
        self.begin(TransactionBehavior::Immediate)
    }

    fn begin(&mut self, behavior: TransactionBehavior) -> Result<Tx<'_>> {
        // `new_unchecked` takes `&Connection`: the `&mut self` above is what guarantees that no
        // other transaction is open on this connection.
        let conn: &Conn = self;
        let tx = Transaction::new_unchecked(&conn.db, behavior)?;
        Ok(Tx { conn, tx })
    }

    /// A number that changes when another connection commits a change to the database file
    /// (SQLite's `data_version`): how the service notices writes by the command line.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.db.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Whether the connection answers a trivial query (the liveness probe).
    pub fn ping(&self) -> Result<()> {
        self.db.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }

    /// The SQLite connection itself, for tests that damage or read tables on purpose (a
    /// constraint the schema must enforce, a column a migration adds). The service never calls
    /// it: everything it does to the database goes through the store's functions.
    #[doc(hidden)]
    pub fn sqlite_for_tests(&self) -> &Connection {
        &self.db
    }

    /// [`Conn::sqlite_for_tests`], mutable (a test's own transaction).
    #[doc(hidden)]
    pub fn sqlite_for_tests_mut(&mut self) -> &mut Connection {
        &mut self.db
    }
}

/// An open transaction on a [`Conn`]; store functions take it as `&tx` (it derefs to the
/// connection). Rolled back when dropped without [`Tx::commit`].
pub struct Tx<'a> {
    conn: &'a Conn,
    tx: Transaction<'a>,
}

impl Tx<'_> {
    /// Makes every change made through this transaction permanent, together.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

impl Deref for Tx<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        self.conn
    }
}

/// The service's handle on the database: a few connections to the same file. WAL lets readers
/// work side by side; writers wait on SQLite's own lock (busy timeout). A pool of plain mutexes
/// is enough at this scale, where a pool crate would add a dependency for ten lines.
pub struct Store {
    conns: Vec<Mutex<Conn>>,
    next: AtomicUsize,
    /// The database file, which other processes (the CLI) may write to as well.
    path: Option<PathBuf>,
}

impl Store {
    /// Opens `size` connections (at least one) to the database at `path`, migrating it.
    pub fn open(path: &Path, size: usize) -> Result<Store> {
        let conns = (0..size.max(1)).map(|_| super::open(path).map(Mutex::new)).collect::<Result<_>>()?;
        Ok(Store { conns, next: AtomicUsize::new(0), path: Some(path.to_owned()) })
    }

    /// Wraps one connection (tests use an in-memory database), taken to be written only
    /// through this service.
    pub fn single(conn: Conn) -> Store {
        Store { conns: vec![Mutex::new(conn)], next: AtomicUsize::new(0), path: None }
    }

    /// The database file, when the store was opened on one (not for [`Store::single`]).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Connections in use now, and the pool's size.
    pub fn use_now(&self) -> (usize, usize) {
        let busy = self.conns.iter().filter(|c| c.try_lock().is_err()).count();
        (busy, self.conns.len())
    }

    /// Runs `f` with a connection of its own: the first free one, else the next in turn once it
    /// is free. Blocking: the web layer calls it through `spawn_blocking`.
    pub fn with<T>(&self, f: impl FnOnce(&mut Conn) -> T) -> T {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.conns.len() {
            if let Ok(mut c) = self.conns[(start + i) % self.conns.len()].try_lock() {
                return f(&mut c);
            }
        }
        let mut c = self.conns[start % self.conns.len()].lock().unwrap_or_else(|e| e.into_inner());
        f(&mut c)
    }
}
