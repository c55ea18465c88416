//! An upload's rows written: each row's cells as JSON and its times as text made on the other
//! core while this one writes them, many rows to a statement.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Upload;
use crate::import::{self, ParsedExport, RawRow};
use crate::store::engine::{Param, ToParam};
use crate::store::{Conn, Result, StoreError, ts};

/// Writes the rows of `p` under the upload that `upload` writes first and whose id it returns;
/// that id.
pub(super) fn write_with(tx: &Conn, u: &Upload, p: &ParsedExport, upload: impl FnOnce() -> Result<i64>) -> Result<i64> {
    let rows = with_connections(u, p)?;
    let per_insert = if tx.is_postgres() { ROWS_PER_INSERT_POSTGRES } else { ROWS_PER_INSERT };
    std::thread::scope(|s| {
        // Each row's cells as JSON and its times as text are made on the other core, while this
        // one stores the upload and then the rows before them: a sixth of a 100,000-row import.
        // Unbounded: the writer is the slower by far, and a bounded channel woke the preparing
        // thread at every group (a context switch each, a tenth of the writer's time); what it
        // holds at most is the rows' cells once more.
        let (ready, prepared) = std::sync::mpsc::channel();
        s.spawn(|| prepare(&rows, per_insert, ready));
        let upload_id = upload()?;
        insert_rows(tx, u, prepared, rows.len(), per_insert, upload_id)?;
        Ok(upload_id)
    })
}

/// A row of the file with the connection read from it, if there is one.
type RowToStore<'p> = (&'p RawRow, Option<&'p import::Connection>);

/// Every row of `p` with its connection; an error if a row has two (the importer never makes
/// that, and the primary key would refuse it less clearly).
fn with_connections<'p>(u: &Upload, p: &'p ParsedExport) -> Result<Vec<RowToStore<'p>>> {
    let mut connection_of: Vec<Option<&import::Connection>> = vec![None; p.rows.len()];
    for c in &p.connections {
        if connection_of[c.at.row].replace(c).is_some() {
            return Err(StoreError::Invalid(format!(
                "{}: line {}: two connections from one row",
                u.file_name, c.at.line
            )));
        }
    }
    Ok(p.rows.iter().zip(connection_of).collect())
}

/// Rows to an `INSERT`, with what their parameters borrow: the rows' cells as JSON arrays, back
/// to back in one text (one allocation a group, not one a row), and each row's end in it and
/// its two times as text.
type Prepared<'p> = (&'p [RowToStore<'p>], String, Vec<(usize, Option<TsBuf>, Option<TsBuf>)>);

/// Prepares `rows` in the groups [`insert_rows`] writes: [`ROWS_PER_INSERT`] to a statement
/// (many rows to a statement share its fixed cost of reset, step and halt: a fifth fewer
/// instructions), the rows left over one by one. Stops when the writer stops listening.
fn prepare<'p>(rows: &'p [RowToStore<'p>], per_insert: usize, ready: std::sync::mpsc::Sender<Prepared<'p>>) {
    let full = rows.len() - rows.len() % per_insert;
    for group in rows[..full].chunks(per_insert).chain(rows[full..].chunks(1)) {
        let mut cells = Vec::with_capacity(group.iter().map(|(r, _)| r.fields.as_slice().len() + 16).sum());
        let each = group
            .iter()
            .map(|(r, c)| {
                serde_json::to_writer(&mut cells, &Cells(&r.fields)).expect("strings serialise");
                (cells.len(), c.and_then(|c| c.join).map(TsBuf::new), c.and_then(|c| c.leave).map(TsBuf::new))
            })
            .collect();
        let cells = String::from_utf8(cells).expect("JSON is UTF-8");
        if ready.send((group, cells, each)).is_err() {
            return;
        }
    }
}

/// Writes the rows [`prepare`] hands over under `upload_id`, each once, with the connection
/// read from it if there is one; an error unless all `total` came.
fn insert_rows(
    tx: &Conn,
    u: &Upload,
    prepared: std::sync::mpsc::Receiver<Prepared<'_>>,
    total: usize,
    per_insert: usize,
    upload_id: i64,
) -> Result<()> {
    let postgres = tx.is_postgres();
    let (mut many, mut one) =
        (tx.repeated(&insert_rows_sql(per_insert, postgres))?, tx.repeated(&insert_rows_sql(1, postgres))?);
    let mut stored = 0;
    for (group, cells, each) in prepared {
        let mut values: Vec<Param<'_>> = Vec::with_capacity(group.len() * ROW_COLUMNS);
        let mut start = 0;
        for ((r, c), (end, join, leave)) in group.iter().zip(&each) {
            let json = &cells[std::mem::replace(&mut start, *end)..*end];
            let row: [Param<'_>; ROW_COLUMNS] = [
                Param::Int(upload_id),
                Param::Int(r.line as i64),
                r.section.to_param(),
                Param::Text(r.kind.as_str()),
                r.header_line.map_or(Param::Null, |l| Param::Int(l as i64)),
                Param::Text(json),
                r.note.to_param(),
                text(c.map(|c| c.role.as_str())),
                text(c.map(|c| c.kind.as_str())),
                text(c.map(|c| c.name.trim())),
                text(c.and_then(|c| c.email.as_deref())),
                text(c.and_then(|c| c.reg_first_name.as_deref())),
                text(c.and_then(|c| c.reg_last_name.as_deref())),
                text(c.and_then(|c| c.reg_email.as_deref())),
                text(join.as_ref().map(TsBuf::as_str)),
                text(leave.as_ref().map(TsBuf::as_str)),
                c.and_then(|c| c.total_seconds).map_or(Param::Null, Param::Int),
                c.map_or(Param::Null, |c| Param::Int(i64::from(c.waiting_room))),
                text(c.and_then(|c| c.review.as_deref())),
            ];
            values.extend(row);
        }
        if group.len() == per_insert {
            many.run(values)?
        } else {
            one.run(values)?
        };
        stored += group.len();
    }
    if stored != total {
        // The preparing thread stopped early (it panicked): the transaction rolls back.
        return Err(StoreError::Invalid(format!("{}: {stored} of {total} rows prepared for storing", u.file_name)));
    }
    Ok(())
}

const ROW_COLUMNS: usize = 19;
const ROWS_PER_INSERT: usize = 32;

/// Rows per `INSERT` on PostgreSQL, where each statement is a round trip to the server: with
/// SQLite's 32, importing 100,000 rows took three times as long as on SQLite. 19 parameters a
/// row, so 500 rows stay far below the protocol's 65,535 parameters.
const ROWS_PER_INSERT_POSTGRES: usize = 500;

/// Text that may be absent, as a parameter.
fn text(t: Option<&str>) -> Param<'_> {
    t.map_or(Param::Null, Param::Text)
}

fn insert_rows_sql(rows: usize, postgres: bool) -> String {
    // A failure rolls the whole import back anyway: said so (`OR ROLLBACK`), SQLite keeps no
    // copy of the pages each statement changes to undo it alone (a tenth of the rows' time).
    let mut sql = String::from(if postgres { "INSERT " } else { "INSERT OR ROLLBACK " });
    sql.push_str(
        "INTO upload_rows (upload_id, line, section, kind, header_line, fields, note, role, conn_kind, name, email,
                                  reg_first_name, reg_last_name, reg_email, join_at, leave_at, total_seconds, waiting_room, review)
         VALUES ",
    );
    sql.push_str(&crate::store::engine::values_rows(rows, ROW_COLUMNS));
    sql
}

/// A row's cells as a JSON array, without collecting them first.
struct Cells<'a>(&'a csv::StringRecord);

impl Serialize for Cells<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

/// [`super::ts`] on the stack: two per row add up over 100,000 rows.
struct TsBuf {
    buf: [u8; 20],
    fallback: Option<String>,
}

impl TsBuf {
    fn new(t: DateTime<Utc>) -> TsBuf {
        use chrono::{Datelike, Timelike};
        let mut buf = [0u8; 20];
        let year = t.year();
        if !(0..=9999).contains(&year) {
            return TsBuf { buf, fallback: Some(ts(t)) };
        }
        let mut put = |at: usize, v: u32, digits: usize| {
            let mut v = v;
            for i in (0..digits).rev() {
                buf[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, year as u32, 4);
        put(5, t.month(), 2);
        put(8, t.day(), 2);
        put(11, t.hour(), 2);
        put(14, t.minute(), 2);
        put(17, t.second(), 2);
        for (at, c) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')] {
            buf[at] = c;
        }
        TsBuf { buf, fallback: None }
    }

    fn as_str(&self) -> &str {
        match &self.fallback {
            Some(s) => s,
            None => std::str::from_utf8(&self.buf).expect("ASCII digits"),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::super::{ImportOptions, Upload, import_files};
    use super::*;

    #[test]
    fn timestamps_on_the_stack_read_as_the_stored_format() {
        for t in [
            Utc.with_ymd_and_hms(2025, 3, 14, 9, 58, 7).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(12345, 1, 2, 3, 4, 5).unwrap(),
        ] {
            assert_eq!(TsBuf::new(t).as_str(), ts(t));
        }
    }

    /// More rows than one multi-row statement takes, and a remainder: every row is stored once,
    /// with its own line, cells and connection.
    #[test]
    fn rows_past_one_statement_are_all_stored_in_order() {
        let mut csv = String::from("Name (original name),Email,Join time,Leave time,Duration (minutes)\n");
        let n = ROWS_PER_INSERT * 2 + 5;
        for i in 0..n {
            csv.push_str(&format!(
                "Person {i},p{i}@example.org,03/14/2025 10:{:02}:00 AM,03/14/2025 11:30:00 AM,60\n",
                i % 60
            ));
        }
        let mut conn = crate::store::open_in_memory().unwrap();
        let event = crate::store::events::create(
            &conn,
            &crate::store::events::NewEvent::new("rows", "Rows", chrono_tz::Europe::Paris),
            "test",
            Utc::now(),
        )
        .unwrap();
        let opts = ImportOptions::in_zone(chrono_tz::Europe::Paris);
        import_files(
            &mut conn,
            &event,
            &[Upload { file_name: "p.csv", bytes: csv.as_bytes() }],
            &opts,
            false,
            "t",
            Utc::now(),
        )
        .unwrap();
        let stored: Vec<(i64, String, Option<String>, Option<String>)> = conn
            .all("SELECT line, fields, email, join_at FROM upload_rows WHERE kind = 'data' ORDER BY line", (), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!(stored.len(), n);
        for (i, (line, fields, email, join)) in stored.iter().enumerate() {
            assert_eq!(*line, i as i64 + 2);
            let cells: Vec<String> = serde_json::from_str(fields).unwrap();
            assert_eq!(cells[0], format!("Person {i}"));
            assert_eq!(email.as_deref(), Some(format!("p{i}@example.org").as_str()));
            // 10:MM in Paris in March is 09:MM UTC.
            assert_eq!(join.as_deref(), Some(format!("2025-03-14T09:{:02}:00Z", i % 60).as_str()));
        }
    }
}
