//! Domain types as column values: how a [`Language`], an event's zone ([`Tz`]), its attendance
//! [`Rule`], a person's key, a role, a connection kind and a stored time are written to and read
//! from their columns.
//!
//! Reading is checked: a value this build does not know (a language code or a zone name written
//! by hand, or by a later version, or a time that is not RFC 3339) is an error naming the
//! column's value, never a default such as English, UTC or 1970, which would print a certificate
//! in the wrong language or at the wrong time without anyone noticing. Writing cannot fail. Deliberately not here: checking what users type
//! (the CLI, the console and the API parse it and say what they accept before the store sees it).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Result;
use super::engine::{Columns, FromValue, Param, Row, ToParam, Value};
use crate::attendance::series::SeriesRule;
use crate::attendance::{ConnectionKind, PersonKey, Role, Rule};
use crate::language::Language;

/// An IANA zone, stored as its name.
impl FromValue for Tz {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        let name = text(v)?;
        name.parse().map_err(|_| format!("unknown time zone \"{name}\""))
    }
}

/// The attendance rule stored as its kind and its value, in the next two columns: the inverse of
/// `Rule::parts`, for [`from_columns!`](super::engine::from_columns). An unknown kind is an
/// error, not a share of 75 %.
pub(super) fn rule(c: &mut Columns) -> Result<Rule> {
    let (row, kind) = c.take(2);
    rule_at(row, kind, kind + 1)
}

/// The attendance rule of columns `kind` and `value`.
fn rule_at(row: &Row, kind: usize, value: usize) -> Result<Rule> {
    let v: u32 = row.get(value)?;
    row.parsed(kind, |name| match name {
        "min_percent" => Ok(Rule::MinPercent(v)),
        "min_minutes" => Ok(Rule::MinMinutes(v)),
        _ => Err(format!("unknown attendance rule \"{name}\" (min_percent or min_minutes)")),
    })
}

/// A series' rule, stored as its least number of sessions: NULL for every session.
impl FromValue for SeriesRule {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        let least = Option::<u32>::from_value(v)?;
        Ok(least.map_or(SeriesRule::All, SeriesRule::AtLeast))
    }
}

/// A time, stored as RFC 3339 text (as `store::ts` writes it).
impl FromValue for DateTime<Utc> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        let t = text(v)?;
        super::parse_ts(t).ok_or_else(|| format!("cannot read \"{t}\" as an RFC 3339 time"))
    }
}

/// A text column's text; an error for any other kind of value.
fn text(v: &Value) -> std::result::Result<&str, String> {
    match v {
        Value::Text(s) => Ok(s),
        v => Err(format!("expected text, found {v:?}")),
    }
}

/// Reads a text column through the type's `FromStr`, its error as the message.
fn parsed<T>(v: &Value) -> std::result::Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text(v)?.parse().map_err(|e: T::Err| e.to_string())
}

/// `ToParam` and `FromValue` for a type stored as its word: written by `as_str` (or `code`),
/// read back through `FromStr` by [`parsed`]. A macro because the pairs are the same code for
/// every such type and must stay so (a type whose reading forgot to refuse unknown words is
/// what this file prevents).
macro_rules! stored_as_word {
    ($($t:ty => $word:ident),+ $(,)?) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Text(self.$word())
            }
        }

        impl FromValue for $t {
            fn from_value(v: &Value) -> std::result::Result<Self, String> {
                parsed(v)
            }
        }
    )+};
}

stored_as_word!(Language => code, Role => as_str, ConnectionKind => as_str, PersonKey => as_str);

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(sql: &str, f: impl FnMut(&Row) -> Result<T>) -> Result<T> {
        super::super::open_in_memory().unwrap().query_row(sql, (), f)
    }

    #[test]
    fn languages_are_written_as_their_code_and_read_back() {
        let db = super::super::open_in_memory().unwrap();
        for l in Language::ALL {
            let (text, back): (String, Language) =
                db.query_row("SELECT ?1, ?1", (l,), |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            assert_eq!((text.as_str(), back), (l.code(), l));
        }
    }

    #[test]
    fn an_unknown_stored_language_is_an_error_not_english() {
        let e = read("SELECT 'de'", |r| r.get::<Language>(0)).unwrap_err();
        assert!(e.to_string().contains("language \"de\": use en, fr or es"), "{e}");
    }

    #[test]
    fn rules_read_back_from_their_parts_and_an_unknown_kind_is_an_error() {
        for rule in [Rule::MinPercent(75), Rule::MinMinutes(90)] {
            let (kind, value) = rule.parts();
            let db = super::super::open_in_memory().unwrap();
            assert_eq!(db.query_row("SELECT ?1, ?2", (kind, value), |r| super::rule_at(r, 0, 1)).unwrap(), rule);
        }
        let e = read("SELECT 'min_hours', 2", |r| super::rule_at(r, 0, 1)).unwrap_err();
        assert!(e.to_string().contains("unknown attendance rule \"min_hours\""), "{e}");
    }

    #[test]
    fn stored_times_read_back_and_a_bad_one_is_an_error_not_1970() {
        let t = read("SELECT '2025-03-14T09:00:00Z'", |r| r.get::<DateTime<Utc>>(0)).unwrap();
        assert_eq!(super::super::ts(t), "2025-03-14T09:00:00Z");
        assert_eq!(read("SELECT NULL", |r| r.get::<Option<DateTime<Utc>>>(0)).unwrap(), None);
        assert_eq!(read("SELECT '2025-03-14T09:00:00Z'", |r| r.get::<Option<DateTime<Utc>>>(0)).unwrap(), Some(t));
        let e = read("SELECT 'yesterday'", |r| r.get::<DateTime<Utc>>(0)).unwrap_err();
        assert!(e.to_string().contains("cannot read \"yesterday\" as an RFC 3339 time"), "{e}");
        assert!(read("SELECT 'yesterday'", |r| r.get::<Option<DateTime<Utc>>>(0)).is_err());
    }

    #[test]
    fn an_unknown_stored_zone_is_an_error_not_utc() {
        assert_eq!(read("SELECT 'Europe/Paris'", |r| r.get::<Tz>(0)).unwrap(), chrono_tz::Europe::Paris);
        let e = read("SELECT 'Mars/Olympus'", |r| r.get::<Tz>(0)).unwrap_err();
        assert!(e.to_string().contains("unknown time zone \"Mars/Olympus\""), "{e}");
    }
}
