//! A file imported into an event again: whether its bytes are there already, and whether this
//! import reads them as the stored reading does (else the new reading replaces the old one).

use super::super::engine::OptionalExtension;
use super::super::events::Event;
use super::super::{Conn, Result, ts};
use crate::import::{self, ParsedExport};

pub(super) fn existing(conn: &Conn, event: &Event, sha: &str) -> Result<Option<(i64, String)>> {
    conn.query_row("SELECT id, imported_at FROM uploads WHERE event_id = ?1 AND sha256 = ?2", (event.id, sha), |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}

/// A connection as stored, but for its review notes: its line, role, kind, name, addresses,
/// times, stated seconds and whether it was in the waiting room.
type Reading = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    bool,
);

/// The connections stored for upload `id`: what a new reading of the same bytes is compared with.
fn stored_reading(conn: &Conn, id: i64) -> Result<Vec<Reading>> {
    conn.all(
        "SELECT line, role, conn_kind, name, email, reg_first_name || '|' || reg_last_name || '|' || reg_email,
                join_at, leave_at, total_seconds, waiting_room
         FROM upload_rows WHERE upload_id = ?1 AND role IS NOT NULL ORDER BY line",
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get::<i64>(9)? != 0,
            ))
        },
    )
}

/// Whether `p` reads the same connections as upload `id` holds: the same rows, people, roles
/// and times. Times alone were compared, so a re-import with other columns for the email or
/// the role (a mapping inferred wrongly and corrected with `--columns`) said "already
/// imported" and kept the wrong reading, which only a new event could undo.
pub(super) fn reads_the_same(conn: &Conn, id: i64, p: &ParsedExport) -> Result<bool> {
    let joined = |c: &import::Connection| match (&c.reg_first_name, &c.reg_last_name, &c.reg_email) {
        (Some(f), Some(l), Some(e)) => Some(format!("{f}|{l}|{e}")),
        _ => None,
    };
    let mut new: Vec<Reading> = p
        .connections
        .iter()
        .map(|c| {
            (
                c.at.line as i64,
                c.role.as_str().to_owned(),
                c.kind.as_str().to_owned(),
                Some(c.name.trim().to_owned()),
                c.email.clone(),
                joined(c),
                c.join.map(ts),
                c.leave.map(ts),
                c.total_seconds,
                c.waiting_room,
            )
        })
        .collect();
    new.sort();
    Ok(stored_reading(conn, id)? == new)
}
