//! Domain types as column values: how a [`Language`] and an event's zone ([`Tz`]) are written to
//! and read from their text columns.
//!
//! Reading is checked: a value this build does not know (a language code or a zone name written
//! by hand, or by a later version) is an error naming the column's value, never a default such
//! as English or UTC, which would print a certificate in the wrong language or at the wrong time
//! without anyone noticing. Writing cannot fail. Deliberately not here: checking what users type
//! (the CLI, the console and the API parse it and say what they accept before the store sees it).

use chrono_tz::Tz;
use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Type, ValueRef};

use crate::language::Language;

impl ToSql for Language {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for Language {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str()?.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// A zone name that chrono-tz does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown time zone \"{0}\"")]
struct UnknownZone(String);

/// The IANA zone stored in column `idx` of `row`. (A function rather than `FromSql`: both the
/// trait and `Tz` are other crates', so the trait cannot be implemented for it here.)
pub(super) fn zone(row: &Row, idx: usize) -> rusqlite::Result<Tz> {
    let name: String = row.get(idx)?;
    name.parse().map_err(|_| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(UnknownZone(name))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(sql: &str, f: impl FnOnce(&Row) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.query_row(sql, [], f)
    }

    #[test]
    fn languages_are_written_as_their_code_and_read_back() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        for l in Language::ALL {
            let (text, back): (String, Language) =
                db.query_row("SELECT ?1, ?1", [l], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            assert_eq!((text.as_str(), back), (l.code(), l));
        }
    }

    #[test]
    fn an_unknown_stored_language_is_an_error_not_english() {
        let e = read("SELECT 'de'", |r| r.get::<_, Language>(0)).unwrap_err();
        assert!(e.to_string().contains("language \"de\": use en, fr or es"), "{e}");
    }

    #[test]
    fn an_unknown_stored_zone_is_an_error_not_utc() {
        assert_eq!(read("SELECT 'Europe/Paris'", |r| zone(r, 0)).unwrap(), chrono_tz::Europe::Paris);
        let e = read("SELECT 'Mars/Olympus'", |r| zone(r, 0)).unwrap_err();
        assert!(e.to_string().contains("unknown time zone \"Mars/Olympus\""), "{e}");
    }
}
