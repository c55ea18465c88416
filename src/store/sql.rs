//! How domain types are written to and read from SQL values: one `ToSql`/`FromSql` pair per
//! type, each refusing a value it does not know with an error that names it, so that a damaged
//! or newer database fails loudly at the row instead of reading as a default. Only the store
//! sees these: the rest of attest holds the domain types.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::attendance::{ConnectionKind, PersonKey, Role};

/// Reads a text column through the type's `FromStr`, its error kept as the cause.
fn parsed<T>(v: ValueRef<'_>) -> FromSqlResult<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    v.as_str()?.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
}

impl ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for Role {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        parsed(v)
    }
}

impl ToSql for PersonKey {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for PersonKey {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        parsed(v)
    }
}

impl ToSql for ConnectionKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for ConnectionKind {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        parsed(v)
    }
}
