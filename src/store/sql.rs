//! How domain types are written to and read from SQL values: one `ToSql`/`FromSql` pair per
//! type, each refusing a value it does not know with an error that names it, so that a damaged
//! or newer database fails loudly at the row instead of reading as a default. Only the store
//! sees these: the rest of attest holds the domain types.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::attendance::{ConnectionKind, Role};

/// Reads a text column through the type's `FromStr`, its error kept as the cause.
fn parsed<T>(v: ValueRef<'_>) -> FromSqlResult<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    v.as_str()?.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
}

/// `ToSql` and `FromSql` for a type stored as its word: written by `as_str`, read back through
/// `FromStr` by [`parsed`]. A macro because the pairs are the same code for every such type and
/// must stay so (a type whose reading forgot to refuse unknown words is what this file prevents).
macro_rules! stored_as_word {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                parsed(v)
            }
        }
    )+};
}

stored_as_word!(Role, ConnectionKind);
