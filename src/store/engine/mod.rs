//! The two engines behind one small interface: SQLite (embedded, the default) and PostgreSQL
//! (several instances on one database).
//!
//! The store's files write one SQL text for both, with numbered parameters (`?1`), and read rows
//! through [`Row::get`]. A parameter is a [`Param`] (borrowed: binding a 100,000-row import
//! copies no text) and a row is a list of owned [`Value`]s, the five kinds of value both engines
//! share. rusqlite and the `postgres` crate have no common trait, so this one sits between them:
//! a few hundred lines instead of two copies of every statement.
//!
//! Each engine's file translates: SQLite binds and reads its own five storage classes;
//! PostgreSQL gets `$1` for `?1`, converts a parameter to the column type the server infers
//! (an integer for a BIGINT, text for TEXT), and reads BIGINT, INTEGER, BOOLEAN, TEXT and BYTEA
//! columns back. SQL that differs between the engines beyond that (SQLite's `PRAGMA`, its
//! file locks; PostgreSQL's advisory locks) lives in [`super::Conn`]'s engine-specific methods,
//! not in statements.

pub(super) mod postgres;
pub(super) mod sqlite;

use super::{Result, StoreError};

/// A parameter of a statement: a value borrowed from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Blob(_) => "bytes",
        }
    }
}

/// A type that can be a statement's parameter.
pub trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

/// A type that can be read from a column; the error says what was found instead.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> std::result::Result<Self, String>;
}

/// A statement's parameters: `()`, a tuple, an array, or a slice of `&dyn ToParam` (what
/// [`params!`] makes).
pub trait Params {
    fn params(&self) -> Vec<Param<'_>>;
}

impl Params for () {
    fn params(&self) -> Vec<Param<'_>> {
        Vec::new()
    }
}

impl Params for [&dyn ToParam] {
    fn params(&self) -> Vec<Param<'_>> {
        self.iter().map(|p| p.to_param()).collect()
    }
}

impl<const N: usize> Params for [&dyn ToParam; N] {
    fn params(&self) -> Vec<Param<'_>> {
        self.iter().map(|p| p.to_param()).collect()
    }
}

impl Params for Vec<Param<'_>> {
    fn params(&self) -> Vec<Param<'_>> {
        self.clone()
    }
}

impl<P: Params + ?Sized> Params for &P {
    fn params(&self) -> Vec<Param<'_>> {
        (**self).params()
    }
}

/// One array of a single type (`[id]`, `[slug, title]`).
macro_rules! array_params {
    ($($t:ty),+) => {$(
        impl<const N: usize> Params for [$t; N] {
            fn params(&self) -> Vec<Param<'_>> {
                self.iter().map(ToParam::to_param).collect()
            }
        }
    )+};
}
array_params!(i64, &str, String, &String);

macro_rules! tuple_params {
    ($(($($n:tt $t:ident),+))+) => {$(
        impl<$($t: ToParam),+> Params for ($($t,)+) {
            fn params(&self) -> Vec<Param<'_>> {
                vec![$(self.$n.to_param()),+]
            }
        }
    )+};
}
tuple_params! {
    (0 A)
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
    (0 A, 1 B, 2 C, 3 D, 4 E)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P)
}

/// Parameters of different types, as a slice: `params![id, name, pdf]`.
#[macro_export]
#[doc(hidden)]
macro_rules! store_params {
    ($($p:expr),* $(,)?) => {
        &[$(&$p as &dyn $crate::store::engine::ToParam),*] as &[&dyn $crate::store::engine::ToParam]
    };
}
pub(crate) use store_params as params;

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, ToParam::to_param)
    }
}

impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for Param<'_> {
    fn to_param(&self) -> Param<'_> {
        *self
    }
}

macro_rules! int_param {
    ($($t:ty),+) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(i64::from(*self))
            }
        }
    )+};
}
int_param!(i64, i32, u32, u16, u8);

/// Sizes and counts: stored as 64-bit integers, which every `usize` and `u64` attest stores fits
/// (a value that did not would be a bug, stored saturated rather than wrapped negative).
macro_rules! wide_param {
    ($($t:ty),+) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )+};
}
wide_param!(u64, usize);

impl FromValue for Value {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        Ok(v.clone())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            v => Err(format!("expected text, found {}", v.kind())),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            // SQLite hands back text for a BLOB column written as text; the bytes are the same.
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            v => Err(format!("expected bytes, found {}", v.kind())),
        }
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(r) => Ok(*r),
            #[expect(clippy::cast_precision_loss, reason = "what SQLite's own REAL affinity does")]
            Value::Int(i) => Ok(*i as f64),
            v => Err(format!("expected a number, found {}", v.kind())),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i != 0),
            v => Err(format!("expected 0 or 1, found {}", v.kind())),
        }
    }
}

macro_rules! int_value {
    ($($t:ty),+) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> std::result::Result<Self, String> {
                match v {
                    Value::Int(i) => <$t>::try_from(*i)
                        .map_err(|_| format!("{i} does not fit a {}", stringify!($t))),
                    v => Err(format!("expected an integer, found {}", v.kind())),
                }
            }
        }
    )+};
}
int_value!(i64, i32, u32, u64, usize, u16, u8);

/// One row of a result: its values in column order.
#[derive(Debug)]
pub struct Row {
    values: Vec<Value>,
}

impl Row {
    pub(super) fn new(values: Vec<Value>) -> Row {
        Row { values }
    }

    /// Column `idx` (from 0) as a `T`; an error names the column and what it held.
    pub fn get<T: FromValue>(&self, idx: usize) -> Result<T> {
        let v = self.values.get(idx).ok_or_else(|| StoreError::Read(format!("column {idx}: no such column")))?;
        T::from_value(v).map_err(|e| StoreError::Read(format!("column {idx}: {e}")))
    }

    /// Column `idx` as it was read.
    pub fn value(&self, idx: usize) -> &Value {
        self.values.get(idx).unwrap_or(&Value::Null)
    }

    /// The columns from the first, read in turn: what [`from_columns!`] reads a struct with.
    pub fn columns(&self) -> Columns<'_> {
        Columns { row: self, next: 0 }
    }

    /// Column `idx` parsed from its text with `parse`; the error names the column.
    pub fn parsed<T>(&self, idx: usize, parse: impl FnOnce(&str) -> std::result::Result<T, String>) -> Result<T> {
        let text: String = self.get(idx)?;
        parse(&text).map_err(|e| StoreError::Read(format!("column {idx}: {e}")))
    }
}

/// A row's columns read in order ([`Row::columns`]).
pub struct Columns<'r> {
    row: &'r Row,
    next: usize,
}

impl Columns<'_> {
    /// The next column as a `T`; an error names the column as [`Row::get`] does.
    pub fn read<T: FromValue>(&mut self) -> Result<T> {
        self.next += 1;
        self.row.get(self.next - 1)
    }

    /// The row and the index of the next column, moving past `n` columns: for a value stored
    /// in several columns, read by a function of `columns`.
    pub(in crate::store) fn take(&mut self, n: usize) -> (&Row, usize) {
        self.next += n;
        (self.row, self.next - n)
    }
}

/// A type read from a whole row: a query's closure can be `Type::from_row`.
pub trait FromRow: Sized {
    fn from_row(r: &Row) -> Result<Self>;
}

/// [`FromRow`] for a struct whose fields are the query's columns, in that order. The field list
/// is written once, here, instead of a `field: r.get(N)?` line a field in every query that
/// reads the struct: a column added in the middle cannot shift the ones after it out of step
/// in one query and not another. Every field's type reads itself through [`FromValue`] (stored
/// times, zones, languages and keys included: see `columns`).
///
/// A field stored in more than one column names the function that reads it from the cursor:
/// `rule: columns::rule` (an event's rule is its kind and its value).
macro_rules! from_columns {
    ($t:ident { $($field:ident $(: $read:path)?),+ $(,)? }) => {
        impl $crate::store::engine::FromRow for $t {
            fn from_row(r: &$crate::store::engine::Row) -> $crate::store::Result<Self> {
                let mut c = r.columns();
                Ok($t { $($field: from_columns!(@read c $($read)?)),+ })
            }
        }
    };
    (@read $c:ident) => { $c.read()? };
    (@read $c:ident $read:path) => { $read(&mut $c)? };
}
pub(crate) use from_columns;

/// `.optional()` on a single-row query: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// `(?1, …, ?C), (?C+1, …, ?2C), …`: the `VALUES` of `rows` rows of `columns` values each,
/// parameters numbered row after row, for a statement that writes many rows at once (a
/// statement's fixed cost, and on PostgreSQL its round trip, shared by them).
pub(in crate::store) fn values_rows(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('?');
            sql.push_str(&(r * columns + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// `?1` … `?N` → `$1` … `$N` outside quoted text: SQLite reads both; PostgreSQL only `$N`.
pub(super) fn dollar_parameters(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_dollars_outside_quoted_text() {
        assert_eq!(
            dollar_parameters("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND \"d?\" = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND \"d?\" = $12"
        );
    }

    #[test]
    fn many_rows_number_their_parameters_row_after_row() {
        assert_eq!(values_rows(2, 3), "(?1, ?2, ?3), (?4, ?5, ?6)");
        assert_eq!(values_rows(1, 1), "(?1)");
    }

    #[test]
    fn values_read_as_the_asked_type_or_say_what_they_held() {
        let row = Row::new(vec![Value::Int(7), Value::Null, Value::Text("x".into()), Value::Int(-1)]);
        assert_eq!(row.get::<i64>(0).unwrap(), 7);
        assert_eq!(row.get::<Option<String>>(1).unwrap(), None);
        assert!(row.get::<String>(1).unwrap_err().to_string().contains("column 1: expected text, found NULL"));
        assert!(row.get::<i64>(2).unwrap_err().to_string().contains("expected an integer, found text"));
        assert!(row.get::<u32>(3).unwrap_err().to_string().contains("-1 does not fit a u32"));
        assert!(row.get::<i64>(9).is_err());
    }

    #[test]
    fn parameters_come_from_tuples_arrays_and_mixed_slices() {
        let name = String::from("Ada");
        assert_eq!((1_i64, "a", None::<i64>).params(), vec![Param::Int(1), Param::Text("a"), Param::Null]);
        assert_eq!([3_i64].params(), vec![Param::Int(3)]);
        assert_eq!(params![name, 2_u32, true].params(), vec![Param::Text("Ada"), Param::Int(2), Param::Int(1)]);
    }
}
