//! Moving an installation from SQLite to PostgreSQL (issue 19, item 4): every row of every
//! table of a SQLite database copied into a new, migrated PostgreSQL database, then checked.
//!
//! Generic over the schema rather than a statement per table: the tables, their columns and the
//! order they must be written in are read from SQLite itself (`sqlite_master`,
//! `pragma_table_info`, `pragma_foreign_key_list`), so a table a later migration adds is copied
//! without anyone remembering to add it here. The PostgreSQL baseline has the same tables with
//! the same columns in the same order (`.ci/pg-schema-compare`), which is what makes this work.
//!
//! What the order has to respect, besides foreign keys (PostgreSQL checks them at the end of
//! each statement, and no constraint is disabled or deferred for the copy):
//! - Triggers that delete rows of another table when a row is inserted (the decision cache:
//!   an insert into `uploads`, `people_links` or `overrides` deletes the event's `decision_sets`
//!   row). Such a trigger's table is copied before the table it deletes from, so the copied
//!   cache survives. Read from SQLite's triggers, which the baseline translates one for one.
//! - A table that refers to itself (`certificates.superseded_by`): the certificate a row points
//!   at is written in an earlier statement than the row, as the `CHECK` that a superseded
//!   certificate names its successor forbids writing the pointer later.
//!
//! A fresh migrated database holds no row in any copied table (the baseline inserts only into
//! `data_version`, which is not copied; no SQLite migration inserts rows into an empty
//! database, which a test below keeps true), so "the target is empty" is simply "no table has
//! a row".

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::engine::{OptionalExtension, Param, ToParam, Value};
use super::imports::sha256_hex;
use super::{Conn, Result, StoreError};

/// What [`copy`] copied and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Each table, in the order it was written, with its number of rows (equal on both sides).
    pub tables: Vec<(String, u64)>,
    /// Stored PDFs whose SHA-256, recomputed from PostgreSQL's bytes, matched.
    pub pdfs: u64,
    /// Uploaded attendance files, likewise.
    pub uploads: u64,
    /// Design images, likewise.
    pub images: u64,
}

/// Tables of the PostgreSQL side only: never copied, never required empty.
const POSTGRES_ONLY: [&str; 2] = ["data_version", "schema_migrations"];

/// Rows per read and per `INSERT`; far fewer for tables with a BLOB column, so that a chunk of
/// PDFs (100 KB each) stays a few megabytes: the database is never all in memory.
const CHUNK: usize = 500;
const BLOB_CHUNK: usize = 32;

/// One table of the source, as the copy needs it.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<String>,
    has_blob: bool,
    /// A foreign key of the table to itself: (column, the column it refers to).
    self_ref: Option<(String, String)>,
}

/// Copies every row of the SQLite database `from` into the PostgreSQL database `to` (migrated
/// and empty), in one transaction of `to`, then checks counts and stored hashes.
///
/// `from` is read in one read transaction: a snapshot, even while a service still writes to it
/// (stop it first anyway, or its later writes stay behind). A target that holds any row is
/// refused before anything is written; a failure while writing leaves it as it was.
pub fn copy(from: &Conn, to: &mut Conn) -> Result<CopyReport> {
    if from.sqlite().is_none() || !to.is_postgres() {
        return Err(StoreError::Invalid(format!(
            "a copy goes from a SQLite database to a PostgreSQL one, not from {} to {}",
            from.engine_name(),
            to.engine_name()
        )));
    }
    from.batch("BEGIN")?;
    let result = copy_snapshot(from, to);
    // Read only: nothing to keep.
    from.batch("ROLLBACK").ok();
    result
}

fn copy_snapshot(from: &Conn, to: &mut Conn) -> Result<CopyReport> {
    let tables = source_tables(from)?;
    refuse_non_empty(to, &tables)?;
    let tx = to.transaction()?;
    for table in &tables {
        copy_table(from, &tx, table)?;
    }
    reset_identities(&tx, &tables)?;
    tx.commit()?;
    check(from, to, &tables)
}

/// Double-quoted: the names come from the schema, and some are words of SQL (`position`).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The source's tables in the order they can be written (see the module's comment).
fn source_tables(from: &Conn) -> Result<Vec<Table>> {
    let names: Vec<String> = from.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        (),
        |r| r.get(0),
    )?;
    let names: Vec<String> = names.into_iter().filter(|n| !POSTGRES_ONLY.contains(&n.as_str())).collect();
    // before[t]: the tables that must be written before t.
    let mut before: BTreeMap<String, BTreeSet<String>> = names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    let mut tables = HashMap::new();
    for name in &names {
        let columns: Vec<(String, String)> =
            from.all("SELECT name, upper(type) FROM pragma_table_info(?1) ORDER BY cid", [name.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let keys: Vec<(String, String, String)> = from.all(
            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
            [name.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut self_ref = None;
        for (parent, column, to) in keys {
            if &parent == name {
                self_ref = Some((column, to));
            } else if let Some(set) = before.get_mut(name) {
                set.insert(parent);
            }
        }
        let has_blob = columns.iter().any(|(_, ty)| ty == "BLOB");
        let columns = columns.into_iter().map(|(c, _)| c).collect();
        tables.insert(name.clone(), Table { name: name.clone(), columns, has_blob, self_ref });
    }
    // A trigger on T that deletes from U: T first.
    let triggers: Vec<(String, String)> =
        from.all("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'", (), |r| Ok((r.get(0)?, r.get(1)?)))?;
    for (on, sql) in triggers {
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        for target in &names {
            if target != &on && sql.contains(&format!("delete from {target} ")) {
                if let Some(set) = before.get_mut(target) {
                    set.insert(on.clone());
                }
            }
        }
    }
    let order = write_order(before)?;
    Ok(order.into_iter().filter_map(|n| tables.remove(&n)).collect())
}

/// Tables ordered so that each comes after those in its `before` set (alphabetical among
/// equals, for a stable report); an error names the tables caught in a cycle.
fn write_order(mut before: BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>> {
    let known: BTreeSet<String> = before.keys().cloned().collect();
    for set in before.values_mut() {
        set.retain(|t| known.contains(t));
    }
    let mut order = Vec::new();
    while !before.is_empty() {
        let ready: Vec<String> = before.iter().filter(|(_, b)| b.is_empty()).map(|(t, _)| t.clone()).collect();
        if ready.is_empty() {
            let stuck: Vec<&str> = before.keys().map(String::as_str).collect();
            return Err(StoreError::Invalid(format!(
                "the tables {} refer to each other in a cycle: no order to copy them in",
                stuck.join(", ")
            )));
        }
        for t in &ready {
            before.remove(t);
        }
        for set in before.values_mut() {
            for t in &ready {
                set.remove(t);
            }
        }
        order.extend(ready);
    }
    Ok(order)
}

/// Refuses a target with a row in any table the copy writes: a copy merges nothing.
fn refuse_non_empty(to: &Conn, tables: &[Table]) -> Result<()> {
    for t in tables {
        let rows: i64 =
            to.query_row(&format!("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT 1) AS t", quoted(&t.name)), (), |r| {
                r.get(0)
            })?;
        if rows > 0 {
            return Err(StoreError::Invalid(format!(
                "the target database's table {} is not empty: copy into a new database",
                t.name
            )));
        }
    }
    Ok(())
}

/// The source's rowids of `t` in the order they are written: rowid order, except that in a
/// table referring to itself a row comes after the row it points at. Only the rowids and the
/// key columns are read here (a few megabytes for 100,000 certificates); rows are read in
/// chunks afterwards.
fn self_ordered_rowids(from: &Conn, t: &Table, column: &str, to: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64, Value, Value)> = from.all(
        &format!("SELECT rowid, {}, {} FROM {} ORDER BY rowid", quoted(column), quoted(to), quoted(&t.name)),
        (),
        |r| Ok((r.get(0)?, r.value(1).clone(), r.value(2).clone())),
    )?;
    let key = |v: &Value| match v {
        Value::Null => None,
        Value::Int(i) => Some(format!("i{i}")),
        Value::Real(r) => Some(format!("r{r}")),
        Value::Text(s) => Some(format!("t{s}")),
        Value::Blob(b) => Some(format!("b{}", hex::encode(b))),
    };
    let index: HashMap<String, usize> = rows.iter().enumerate().filter_map(|(i, r)| Some((key(&r.2)?, i))).collect();
    let mut depth: Vec<Option<usize>> = vec![None; rows.len()];
    for start in 0..rows.len() {
        // Follow the pointers up to a row already measured (or one pointing nowhere).
        let mut path = vec![start];
        let mut base = 0;
        while let Some(&i) = path.last() {
            if let Some(d) = depth[i] {
                base = d;
                path.pop();
                break;
            }
            match key(&rows[i].1).and_then(|k| index.get(&k)) {
                Some(&next) if path.len() <= rows.len() => path.push(next),
                Some(_) => {
                    return Err(StoreError::Invalid(format!("{}.{column} points in a cycle", t.name)));
                }
                None => break,
            }
        }
        let unmeasured = path.len();
        for (n, &i) in path.iter().enumerate() {
            depth[i] = Some(base + unmeasured - n);
        }
    }
    let mut order: Vec<(usize, i64)> = rows.iter().zip(&depth).map(|(r, d)| (d.unwrap_or(0), r.0)).collect();
    order.sort_unstable();
    Ok(order.into_iter().map(|(_, rowid)| rowid).collect())
}

/// Copies every row of `t` into `to` (inside the caller's transaction), a chunk at a time.
fn copy_table(from: &Conn, to: &Conn, t: &Table) -> Result<()> {
    let chunk = if t.has_blob { BLOB_CHUNK } else { CHUNK };
    let columns = t.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let name = quoted(&t.name);
    if let Some((column, target)) = &t.self_ref {
        let rowids = self_ordered_rowids(from, t, column, target)?;
        for ids in rowids.chunks(chunk) {
            let marks = (1..=ids.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let params: Vec<Param<'_>> = ids.iter().map(|&i| Param::Int(i)).collect();
            let mut rows =
                from.all(&format!("SELECT rowid, {columns} FROM {name} WHERE rowid IN ({marks})"), params, |r| {
                    Ok((r.get::<i64>(0)?, (1..=t.columns.len()).map(|i| r.value(i).clone()).collect::<Vec<_>>()))
                })?;
            let position: HashMap<i64, usize> = ids.iter().enumerate().map(|(p, &i)| (i, p)).collect();
            rows.sort_by_key(|(rowid, _)| position.get(rowid).copied());
            insert(to, &name, &columns, t.columns.len(), rows.into_iter().map(|(_, v)| v).collect())?;
        }
        return Ok(());
    }
    let mut after = i64::MIN;
    loop {
        let rows = from.all(
            &format!("SELECT rowid, {columns} FROM {name} WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"),
            (after, chunk),
            |r| Ok((r.get::<i64>(0)?, (1..=t.columns.len()).map(|i| r.value(i).clone()).collect::<Vec<_>>())),
        )?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.0;
        let full = rows.len() == chunk;
        insert(to, &name, &columns, t.columns.len(), rows.into_iter().map(|(_, v)| v).collect())?;
        if !full {
            return Ok(());
        }
    }
}

/// One multi-row `INSERT` of `rows` (each `width` values, in the table's column order).
fn insert(to: &Conn, name: &str, columns: &str, width: usize, rows: Vec<Vec<Value>>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let tuples = (0..rows.len())
        .map(|r| format!("({})", (1..=width).map(|c| format!("?{}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    let params: Vec<Param<'_>> = rows.iter().flatten().map(param).collect();
    to.execute(&format!("INSERT INTO {name} ({columns}) VALUES {tuples}"), params)?;
    Ok(())
}

/// Moves each identity sequence of the copied tables past the copied ids: explicit ids do not
/// move a PostgreSQL sequence (see the baseline), and the next row the service inserts would
/// otherwise collide with row 1. The next value is set (`is_called` false) to one past the
/// largest id rather than the largest id itself: status lists are numbered from 0, which is
/// below a sequence's minimum of 1 and so cannot be its current value.
fn reset_identities(to: &Conn, tables: &[Table]) -> Result<()> {
    let identities: Vec<(String, String)> = to.all(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (table, column) in identities.iter().filter(|(t, _)| tables.iter().any(|c| &c.name == t)) {
        to.query_row(
            &format!(
                "SELECT setval(pg_get_serial_sequence(?1, ?2), greatest(coalesce(max({c}) + 1, 1), 1), false) FROM {t}",
                c = quoted(column),
                t = quoted(table)
            ),
            (quoted(table), column.as_str()),
            |r| Ok(r.value(0).clone()),
        )?;
    }
    Ok(())
}

/// After the commit, from what PostgreSQL now holds: the same number of rows in every table,
/// and every stored PDF, upload and design image hashing to its recorded SHA-256, which is the
/// source's.
fn check(from: &Conn, to: &Conn, tables: &[Table]) -> Result<CopyReport> {
    let mut counts = Vec::new();
    for t in tables {
        let sql = format!("SELECT count(*) FROM {}", quoted(&t.name));
        let source: u64 = from.query_row(&sql, (), |r| r.get(0))?;
        let target: u64 = to.query_row(&sql, (), |r| r.get(0))?;
        if source != target {
            return Err(StoreError::Invalid(format!(
                "table {}: {source} rows in SQLite but {target} in PostgreSQL after the copy",
                t.name
            )));
        }
        counts.push((t.name.clone(), target));
    }
    Ok(CopyReport {
        tables: counts,
        pdfs: check_hashes(from, to, "certificates", "id", "pdf_sha256", "pdf")?,
        uploads: check_hashes(from, to, "uploads", "id", "sha256", "bytes")?,
        images: check_hashes(from, to, "design_assets", "sha256", "sha256", "png")?,
    })
}

/// Recomputes the SHA-256 of `bytes` in every row of `table` on `to`, a few rows at a time, and
/// compares it with the row's `hash` there and in `from`; the number of rows checked. An error
/// names the table and the row.
fn check_hashes(from: &Conn, to: &Conn, table: &str, key: &str, hash: &str, bytes: &str) -> Result<u64> {
    let select = format!("SELECT {key}, {hash}, {bytes} FROM {table}");
    let mut after: Option<Value> = None;
    let mut checked = 0;
    loop {
        let read = |r: &super::engine::Row| Ok((r.value(0).clone(), r.get::<String>(1)?, r.get::<Vec<u8>>(2)?));
        let rows = match &after {
            None => to.all(&format!("{select} ORDER BY {key} LIMIT ?1"), (BLOB_CHUNK,), read)?,
            Some(last) => to.all(
                &format!("{select} WHERE {key} > ?1 ORDER BY {key} LIMIT ?2"),
                vec![param(last), BLOB_CHUNK.to_param()],
                read,
            )?,
        };
        for (id, stored, content) in &rows {
            let row = param_text(id);
            let recomputed = sha256_hex(content);
            let source: Option<String> = from
                .query_row(&format!("SELECT {hash} FROM {table} WHERE {key} = ?1"), vec![param(id)], |r| r.get(0))
                .optional()?;
            if &recomputed != stored || source.as_deref() != Some(stored.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "{table} row {row}: the SHA-256 of {bytes} on PostgreSQL is {recomputed}, recorded {stored}, \
                     in SQLite {}",
                    source.as_deref().unwrap_or("(no such row)")
                )));
            }
            checked += 1;
        }
        let full = rows.len() == BLOB_CHUNK;
        after = rows.into_iter().last().map(|(id, _, _)| id);
        if !full || after.is_none() {
            return Ok(checked);
        }
    }
}

fn param(v: &Value) -> Param<'_> {
    match v {
        Value::Null => Param::Null,
        Value::Int(i) => Param::Int(*i),
        Value::Real(r) => Param::Real(*r),
        Value::Text(s) => Param::Text(s),
        Value::Blob(b) => Param::Blob(b),
    }
}

fn param_text(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Int(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => hex::encode(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_has_no_row_in_any_table_so_an_empty_target_is_one_without_rows() {
        let conn = crate::store::open_in_memory().unwrap();
        for t in source_tables(&conn).unwrap() {
            let n: i64 =
                conn.query_row(&format!("SELECT count(*) FROM {}", quoted(&t.name)), (), |r| r.get(0)).unwrap();
            assert_eq!(n, 0, "a fresh database has rows in {}", t.name);
        }
    }

    #[test]
    fn tables_come_after_what_they_refer_to_and_the_decision_cache_after_its_triggers() {
        let conn = crate::store::open_in_memory().unwrap();
        let order: Vec<String> = source_tables(&conn).unwrap().into_iter().map(|t| t.name).collect();
        let at = |n: &str| order.iter().position(|t| t == n).unwrap_or_else(|| panic!("{n} in {order:?}"));
        assert!(at("events") < at("certificates") && at("signing_keys") < at("certificates"));
        assert!(at("series") < at("certificates") && at("certificates") < at("deliveries"));
        for trigger_table in ["uploads", "people_links", "overrides"] {
            assert!(at(trigger_table) < at("decision_sets"), "{order:?}");
        }
        assert!(!order.iter().any(|t| t.starts_with("sqlite_") || POSTGRES_ONLY.contains(&t.as_str())));
    }

    #[test]
    fn a_superseded_certificate_is_written_after_its_successor() {
        let conn = crate::store::open_in_memory().unwrap();
        conn.batch(
            "CREATE TABLE c (id TEXT PRIMARY KEY, next TEXT REFERENCES c(id));
             INSERT INTO c VALUES ('a', NULL), ('b', NULL), ('c', NULL);
             UPDATE c SET next = 'b' WHERE id = 'a'; UPDATE c SET next = 'c' WHERE id = 'b';",
        )
        .unwrap();
        let t = Table { name: "c".into(), columns: vec!["id".into(), "next".into()], has_blob: false, self_ref: None };
        assert_eq!(self_ordered_rowids(&conn, &t, "next", "id").unwrap(), vec![3, 2, 1]);
    }

    #[test]
    fn only_sqlite_to_postgresql_is_copied() {
        let a = crate::store::open_in_memory().unwrap();
        let mut b = crate::store::open_in_memory().unwrap();
        let e = copy(&a, &mut b).unwrap_err().to_string();
        assert!(e.contains("from a SQLite database to a PostgreSQL one"), "{e}");
    }
}
