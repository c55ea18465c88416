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
