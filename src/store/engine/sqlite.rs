//! SQLite's side of [`super`]: parameters bound as SQLite's storage classes, rows read back.

use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Param, Row, Value};

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(i),
            Param::Real(r) => ValueRef::Real(r),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// Binds `params` to `st` (numbered from 1) and runs it; the rows changed.
pub(in crate::store) fn execute(
    st: &mut rusqlite::CachedStatement<'_>,
    params: &[Param<'_>],
) -> rusqlite::Result<usize> {
    st.execute(rusqlite::params_from_iter(params.iter()))
}

/// Every row `st` answers for `params`, each turned into values then into a `T` by `row`.
pub(in crate::store) fn rows<T>(
    st: &mut rusqlite::CachedStatement<'_>,
    params: &[Param<'_>],
    mut row: impl FnMut(&Row) -> crate::store::Result<T>,
) -> crate::store::Result<Vec<T>> {
    let n = st.column_count();
    let mut found = st.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = found.next()? {
        let values = (0..n).map(|i| r.get_ref(i).map(value)).collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(row(&Row::new(values))?);
    }
    Ok(out)
}

fn value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// Whether `e` is `SQLITE_BUSY` or `SQLITE_LOCKED`: another writer held the database past the
/// busy timeout.
pub(in crate::store) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

/// Whether `e` is a constraint's refusal (a unique key already taken, a foreign key missing).
pub(in crate::store) fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// A statement run many times over with values that outlive each run (an import's rows, 19
/// values each), bound without a copy. rusqlite binds every text and blob as
/// `SQLITE_TRANSIENT`, which makes SQLite allocate and copy it before the row is built from
/// it: a fifth of the time a 100,000-row import spent storing its rows. Here they are bound as
/// `SQLITE_STATIC` for the length of one [`Repeated::run`], which resets the statement and
/// clears its bindings before it returns, so that SQLite never holds a pointer past the borrow.
pub(in crate::store) struct Repeated<'c> {
    db: &'c rusqlite::Connection,
    stmt: *mut rusqlite::ffi::sqlite3_stmt,
}

impl<'c> Repeated<'c> {
    pub(in crate::store) fn prepare(db: &'c rusqlite::Connection, sql: &str) -> rusqlite::Result<Repeated<'c>> {
        use rusqlite::ffi;
        let mut stmt = std::ptr::null_mut();
        let len = std::ffi::c_int::try_from(sql.len()).map_err(|_| rusqlite::Error::InvalidQuery)?;
        // SAFETY: the handle is this open connection's, which outlives the statement (`'c`); the
        // text is read for `len` bytes only; the statement is finalized on drop.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(db.handle(), sql.as_ptr().cast(), len, 0, &raw mut stmt, std::ptr::null_mut())
        };
        if rc != ffi::SQLITE_OK {
            return Err(failure(db, rc));
        }
        if stmt.is_null() {
            return Err(rusqlite::Error::InvalidQuery);
        }
        Ok(Repeated { db, stmt })
    }

    /// Binds `params` (numbered from 1) and runs the statement once; the rows it changed.
    pub(in crate::store) fn run(&mut self, params: &[Param<'_>]) -> rusqlite::Result<usize> {
        use rusqlite::ffi;
        let mut rc = ffi::SQLITE_OK;
        for (i, p) in params.iter().enumerate() {
            let col = std::ffi::c_int::try_from(i + 1).map_err(|_| rusqlite::Error::InvalidParameterCount(i + 1, 0))?;
            // SAFETY: the statement is live; a text or blob is bound without a copy
            // (`SQLITE_STATIC`, no destructor) and stays borrowed until the reset and
            // clear below, after which SQLite no longer refers to it.
            rc = unsafe {
                match *p {
                    Param::Null => ffi::sqlite3_bind_null(self.stmt, col),
                    Param::Int(v) => ffi::sqlite3_bind_int64(self.stmt, col, v),
                    Param::Real(v) => ffi::sqlite3_bind_double(self.stmt, col, v),
                    Param::Text(s) => ffi::sqlite3_bind_text64(
                        self.stmt,
                        col,
                        s.as_ptr().cast(),
                        s.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as std::ffi::c_uchar,
                    ),
                    Param::Blob(b) => ffi::sqlite3_bind_blob64(
                        self.stmt,
                        col,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_STATIC(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                break;
            }
        }
        // SAFETY: the statement is live. Stepped only when every value was bound; reset and
        // cleared whatever happened, so that no borrowed value stays bound.
        let (stepped, reset) = unsafe {
            let stepped = if rc == ffi::SQLITE_OK { ffi::sqlite3_step(self.stmt) } else { rc };
            let reset = ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
            (stepped, reset)
        };
        match stepped {
            // SAFETY: the connection is open.
            ffi::SQLITE_DONE => Ok(usize::try_from(unsafe { ffi::sqlite3_changes64(self.db.handle()) }).unwrap_or(0)),
            ffi::SQLITE_ROW => Err(rusqlite::Error::ExecuteReturnedResults),
            _ => Err(failure(self.db, if reset != ffi::SQLITE_OK { reset } else { stepped })),
        }
    }
}

impl Drop for Repeated<'_> {
    fn drop(&mut self) {
        // SAFETY: prepared by `prepare` and finalized once, here.
        unsafe {
            rusqlite::ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// SQLite's error for `rc` with the connection's message.
fn failure(db: &rusqlite::Connection, rc: std::ffi::c_int) -> rusqlite::Error {
    // SAFETY: the connection is open; its message is copied before any other call.
    let message = unsafe {
        let m = rusqlite::ffi::sqlite3_errmsg(db.handle());
        (!m.is_null()).then(|| std::ffi::CStr::from_ptr(m).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rc), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of value comes back as bound, the statement runs again with other values, and
    /// a refused row is SQLite's error (with its message), after which the statement still runs.
    #[test]
    fn a_repeated_statement_binds_every_kind_of_value_and_survives_a_refusal() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)").unwrap();
        let mut st = Repeated::prepare(&db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)").unwrap();
        for k in 1..=2 {
            let text = format!("é{k}");
            let blob = vec![k as u8, 0, 255];
            let row =
                [Param::Int(k), Param::Int(-k), Param::Real(0.5), Param::Text(&text), Param::Blob(&blob), Param::Null];
            assert_eq!(st.run(&row).unwrap(), 1);
        }
        let again = [Param::Int(1), Param::Null, Param::Null, Param::Null, Param::Null, Param::Null];
        let err = st.run(&again).unwrap_err();
        assert!(err.to_string().contains("UNIQUE constraint failed: t.k"), "{err}");
        let third = [Param::Int(3), Param::Null, Param::Null, Param::Text(""), Param::Null, Param::Null];
        assert_eq!(st.run(&third).unwrap(), 1);
        drop(st);
        type Stored = (i64, Option<i64>, Option<f64>, Option<String>, Option<Vec<u8>>, Option<String>);
        let rows: Vec<Stored> = db
            .prepare("SELECT * FROM t ORDER BY k")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, Some(-1), Some(0.5), Some("é1".into()), Some(vec![1, 0, 255]), None),
                (2, Some(-2), Some(0.5), Some("é2".into()), Some(vec![2, 0, 255]), None),
                (3, None, None, Some(String::new()), None, None),
            ]
        );
    }
}
