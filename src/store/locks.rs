//! Work that only one runner may do at a time across every attest process on the database: a
//! bulk issue of one event.
//!
//! For SQLite, an exclusive transaction (`BEGIN EXCLUSIVE`) held open on a small lock file
//! beside the database (`attest.sqlite3.locks/issue-event-N`), on a connection of its own: SQLite
//! takes it with the operating system's file locks, which are released when the holder ends,
//! however it ends. A crash mid-issue leaves nothing to clean up, and a rerun completes the
//! batch. A claim row in the database was the alternative; it outlives a killed process, and
//! would need a lease, a heartbeat and a take-over rule to be safe. The lock is not in the
//! database file itself, where an exclusive transaction would stop every other writer. (std's
//! `File::try_lock` would do the same with less, but needs Rust 1.89, above this crate's MSRV.)
//! PostgreSQL's counterpart is a session advisory lock (`pg_try_advisory_lock`), released the
//! same way when the session ends.
//!
//! The lock serialises the runs; it does not make them correct. What makes them correct is in
//! the data: status positions reserved in a write transaction
//! ([`super::certificates::reserve_status_positions`]), a plan read after the lock is held.

use std::path::PathBuf;

use rusqlite::{Connection, ErrorCode};

use super::{Conn, Result, StoreError};

/// Held while the work runs; dropping it ends the transaction (SQLite) or the session
/// (PostgreSQL) and so releases the lock.
pub struct WorkLock {
    /// The lock file's connection inside its exclusive transaction, or the PostgreSQL session
    /// that holds the advisory lock; `None` for an in-memory database, which no other process
    /// can reach.
    _held: Option<Held>,
}

#[expect(dead_code, reason = "held, never read: dropping it is what releases the lock")]
enum Held {
    File(Connection),
    Session(Box<Conn>),
}

/// The class of attest's advisory locks of bulk issue (PostgreSQL's two-key form: class, id).
const ISSUE_LOCKS: i32 = 0x6973_7375;

impl std::fmt::Debug for WorkLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkLock").finish_non_exhaustive()
    }
}

/// Takes the lock on bulk issue of event `event_id` if no runner holds it; `None` if one does
/// (in this process or another), after at most a fifth of a second on SQLite.
pub fn try_issue(conn: &Conn, event_id: i64) -> Result<Option<WorkLock>> {
    if let Some(url) = conn.postgres_url() {
        // A session of its own, so that the lock outlives the caller's transactions and ends
        // with the session if the process dies.
        // Not `store::connect`: the database is migrated already (the caller's connection
        // did it), and a self-service request polls here while a bulk run holds the lock.
        let session = super::postgres_session(url)?;
        let key = i32::try_from(event_id).map_err(|_| StoreError::Invalid(format!("event id {event_id}")))?;
        let got: bool = session.query_row("SELECT pg_try_advisory_lock(?1, ?2)", (ISSUE_LOCKS, key), |r| r.get(0))?;
        return Ok(got.then_some(WorkLock { _held: Some(Held::Session(Box::new(session))) }));
    }
    try_lock(conn, &format!("issue-event-{event_id}"))
}

fn try_lock(conn: &Conn, name: &str) -> Result<Option<WorkLock>> {
    let Some(dir) = dir_of(conn) else { return Ok(Some(WorkLock { _held: None })) };
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
    let held = Connection::open(dir.join(name))?;
    // A moment's wait, no more: a holder keeps the lock for the whole run and the caller
    // answers at once, but two runners asking together both pass through SQLite's shared lock on
    // the way to the exclusive one, and without any wait each found the other's and both gave
    // up. With a wait, SQLite refuses the one that would deadlock at once, and the other takes
    // the lock as soon as that one has let go.
    held.busy_timeout(std::time::Duration::from_millis(200))?;
    match held.execute_batch("BEGIN EXCLUSIVE") {
        Ok(()) => Ok(Some(WorkLock { _held: Some(Held::File(held)) })),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The folder of lock files of the database file (`<file>.locks`); `None` in memory.
fn dir_of(conn: &Conn) -> Option<PathBuf> {
    let path = conn.sqlite()?.path().filter(|p| !p.is_empty())?;
    let mut dir = PathBuf::from(path).into_os_string();
    dir.push(".locks");
    Some(PathBuf::from(dir))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_second_runner_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (
            super::super::open(&dir.path().join("a.sqlite3")).unwrap(),
            super::super::open(&dir.path().join("a.sqlite3")).unwrap(),
        );
        let held = super::try_issue(&a, 1).unwrap().expect("free");
        assert!(super::try_issue(&b, 1).unwrap().is_none(), "held by the first");
        assert!(super::try_issue(&b, 2).unwrap().is_some(), "another event is free");
        drop(held);
        assert!(super::try_issue(&b, 1).unwrap().is_some(), "released");
    }

    /// Two runners asking at the same moment: one gets the lock (each lets go at once here, so
    /// the other may get it after). Both were refused now and then (two servers answered 409
    /// to one bulk issue and nothing was issued): each took SQLite's shared lock on the way to
    /// the exclusive one, and without a moment's wait neither let go in time for the other.
    /// Failed in about 200 of 1,000 rounds before the wait.
    #[test]
    fn of_two_runners_asking_at_once_one_gets_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite3");
        let mut runners = [super::super::open(&path).unwrap(), super::super::open(&path).unwrap()];
        let mut both_refused = 0;
        for event in 0..1000 {
            let barrier = std::sync::Barrier::new(2);
            let ask = |c: super::Conn| {
                barrier.wait();
                let got = super::try_issue(&c, event).unwrap().is_some();
                (c, got)
            };
            let [a, b] = runners;
            let ((a, x), (b, y)) = std::thread::scope(|s| {
                let (x, y) = (s.spawn(|| ask(a)), s.spawn(|| ask(b)));
                (x.join().unwrap(), y.join().unwrap())
            });
            runners = [a, b];
            both_refused += usize::from(!x && !y);
        }
        assert_eq!(both_refused, 0, "rounds in which both runners were refused");
    }
}
