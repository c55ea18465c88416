//! Uploads: the original bytes with their SHA-256, every row, and the connections read from them.
//!
//! Parsing happens before the transaction opens (it is pure and may fail); the writes of one
//! command happen in one transaction, so an import lands whole or not at all.

mod reimport;
mod rows;

use super::Conn;
use super::engine::{FromRow, from_columns, params};
use chrono::{DateTime, Utc};
use reimport::{existing, reads_the_same};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::events::Event;
use super::{Result, StoreError, parse_ts, ts};
use crate::attendance::{Role, Row, Source};
use crate::import::{self, ImportOptions, ParsedExport, RowError, RowKind};

/// One file handed in by staff.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Imported(Box<Summary>),
    /// The same bytes were imported into this event before: nothing changed.
    AlreadyImported {
        file: String,
        upload_id: i64,
        imported_at: String,
    },
    /// The same bytes were given twice in one command: imported once.
    Duplicate {
        file: String,
        same_as: String,
    },
}

/// The import report of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub upload_id: i64,
    pub file: String,
    pub sha256: String,
    pub format: &'static str,
    pub variant: String,
    pub encoding: &'static str,
    /// Why that encoding (a byte-order mark, every byte UTF-8, a legacy fallback, damage).
    pub encoding_why: String,
    pub delimiter: String,
    pub timezone: String,
    pub date_order: Option<&'static str>,
    pub meeting_id: Option<String>,
    pub topic: Option<String>,
    pub meeting_start: Option<String>,
    pub meeting_end: Option<String>,
    pub rows: usize,
    /// Every row of the file, each counted once by what became of it.
    pub counts: RowCounts,
    pub connections: usize,
    pub skipped: Vec<(usize, String)>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<String>,
    /// Teams reports: how the `Presenter` role was read, and why, in a sentence.
    pub presenters: Option<String>,
}

/// What became of every row of a file: the parts add up to `rows`, so nothing is dropped
/// without a word (issue 23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RowCounts {
    /// Rows the CSV reader found, blank ones included.
    pub rows: usize,
    /// Blank rows and rows of empty cells (`,,,,`): not stored, kept in the original bytes.
    pub blank: usize,
    /// Header rows, titles, summaries and section titles: stored, each with what it is.
    pub context: usize,
    /// Rows read as attendance (a connection or a registration).
    pub imported: usize,
    /// Rows read and deliberately not used, each with the reason.
    pub skipped: usize,
    /// Rows that could not be read, each with its line, column and reason.
    pub refused: usize,
}

impl RowCounts {
    pub fn of(p: &ParsedExport) -> RowCounts {
        let mut c = RowCounts { blank: p.blank_rows, ..Default::default() };
        for r in &p.rows {
            match r.kind {
                RowKind::Meta | RowKind::Header => c.context += 1,
                RowKind::Data => c.imported += 1,
                RowKind::Skipped => c.skipped += 1,
                RowKind::Error => c.refused += 1,
            }
        }
        c.rows = c.blank + c.context + c.imported + c.skipped + c.refused;
        c
    }
}

/// A stored mapping: the columns alone (as first stored), or with an event log's action words.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum StoredMapping {
    Columns(import::mapping::Mapping),
    Log { columns: import::mapping::Mapping, actions: import::mapping::Actions },
}

/// A mapping remembered for a header row: the columns and, for an event log, its action words.
pub type KnownMapping = (String, import::mapping::Mapping, Option<import::mapping::Actions>);

/// Every mapping staff confirmed, by header key.
pub fn column_mappings(conn: &Conn) -> Result<Vec<KnownMapping>> {
    let rows = conn.all("SELECT header_key, mapping FROM column_mappings", (), |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    let mut out = Vec::new();
    for (key, json) in rows {
        let stored = serde_json::from_str(&json)
            .map_err(|e| StoreError::Invalid(format!("stored column mapping for \"{key}\" cannot be read: {e}")))?;
        out.push(match stored {
            StoredMapping::Columns(m) => (key, m, None),
            StoredMapping::Log { columns, actions } => (key, columns, Some(actions)),
        });
    }
    Ok(out)
}

/// Remembers a mapping staff confirmed for a header row (the console's column question).
pub fn save_mapping(
    conn: &Conn,
    header: &[String],
    mapping: &import::mapping::Mapping,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    save_mapping_with_actions(conn, header, mapping, None, actor, now)
}

/// [`save_mapping`] for an event log, with what its action words mean.
pub fn save_mapping_with_actions(
    conn: &Conn,
    header: &[String],
    mapping: &import::mapping::Mapping,
    actions: Option<&import::mapping::Actions>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let key = import::mapping::header_key(header);
    if key.is_empty() {
        return Err(StoreError::Invalid("the table has no header row to remember the columns by".into()));
    }
    let stored = match actions {
        None => StoredMapping::Columns(mapping.clone()),
        Some(a) => StoredMapping::Log { columns: mapping.clone(), actions: a.clone() },
    };
    let json = serde_json::to_string(&stored).map_err(|e| StoreError::Invalid(e.to_string()))?;
    conn.execute(
        "INSERT INTO column_mappings (header_key, header, mapping, confirmed_by, confirmed_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping, confirmed_by = excluded.confirmed_by,
         confirmed_at = excluded.confirmed_at",
        (&key, header.join(" | "), json, actor, ts(now)),
    )?;
    Ok(())
}

/// Remembers the mapping a file was read through, for files with the same header row.
fn remember_mapping(
    tx: &Conn,
    m: &import::AppliedMapping,
    p: &ParsedExport,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if m.header_key.is_empty() {
        // A table without a header row: nothing to recognise the next file by.
        return Ok(());
    }
    // The table's header row, by its key: a meeting block's header above it is a header row too,
    // and remembered in its place, the next export was read through the block (round 24). The
    // first header row, as before, if none has the key.
    let headers: Vec<Vec<String>> = p
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Header)
        .map(|r| r.fields.iter().map(|c| c.trim().to_owned()).collect())
        .collect();
    let header = headers
        .iter()
        .find(|h| import::mapping::header_key(h) == m.header_key)
        .or(headers.first())
        .cloned()
        .unwrap_or_default();
    save_mapping_with_actions(tx, &header, &m.mapping, m.actions.as_ref(), actor, now)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Imports several files for one event, all or nothing. A file whose bytes were imported into
/// the event before changes nothing, unless this import reads it differently (another `--tz`,
/// `--date`, date order or mapping: what the first import's note asked for): then the new
/// reading replaces the old one, and the report says so. Refusing it left staff no way to
/// correct an export read in the wrong zone but a new event.
pub fn import_files(
    conn: &mut Conn,
    event: &Event,
    uploads: &[Upload],
    opts: &ImportOptions,
    skip_bad_rows: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Outcome>> {
    let mut parsed: Vec<(usize, String, ParsedExport)> = Vec::new();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; uploads.len()];
    // Mappings confirmed for earlier files: a file with the same header row imports at once.
    let mut with_known;
    let opts = if opts.columns.is_none() {
        with_known = opts.clone();
        with_known.known_mappings.extend(column_mappings(conn)?);
        &with_known
    } else {
        opts
    };
    let mut seen = std::collections::HashMap::new();
    let mut replaced: Vec<(usize, i64, String)> = Vec::new();
    for (i, u) in uploads.iter().enumerate() {
        // The digest and the reading side by side on two cores: every branch below reads the
        // file but a file given twice in one command, and hashing 11 MiB took a tenth of a
        // 100,000-row import.
        let (sha, reading) = std::thread::scope(|s| {
            let digest = s.spawn(|| sha256_hex(u.bytes));
            let reading = import::parse(u.file_name, u.bytes, opts, skip_bad_rows);
            (digest.join().expect("hashing does not panic"), reading)
        });
        if let Some((id, at)) = existing(conn, event, &sha)? {
            // A reading that fails (another date order that no date fits) leaves the old one.
            match reading {
                Ok(p) if !reads_the_same(conn, id, &p)? => {
                    seen.insert(sha.clone(), i);
                    replaced.push((i, id, at));
                    parsed.push((i, sha, p));
                }
                _ => {
                    outcomes[i] =
                        Some(Outcome::AlreadyImported { file: u.file_name.to_owned(), upload_id: id, imported_at: at });
                }
            }
            continue;
        }
        if let Some(&first) = seen.get(&sha) {
            let first: &Upload = &uploads[first];
            outcomes[i] =
                Some(Outcome::Duplicate { file: u.file_name.to_owned(), same_as: first.file_name.to_owned() });
            continue;
        }
        seen.insert(sha.clone(), i);
        parsed.push((i, sha, reading?));
    }
    // Every row written here references the upload written just before it, under the event
    // checked here: the per-row reference check only looked that up again.
    let tx = conn.transaction_trusting_references()?;
    let event_is_there = tx.all("SELECT 1 FROM events WHERE id = ?1", [event.id], |_| Ok(()))?;
    if event_is_there.is_empty() {
        return Err(StoreError::NotFound(format!(
            "event \"{}\" was deleted while the files were read; nothing was imported",
            event.slug
        )));
    }
    for (_, id, _) in &replaced {
        // By hand what `ON DELETE CASCADE` does when the references are checked.
        tx.execute("DELETE FROM upload_rows WHERE upload_id = ?1", [*id])?;
        tx.execute("DELETE FROM uploads WHERE id = ?1", [*id])?;
    }
    let mut written = Vec::with_capacity(parsed.len());
    for (i, sha, mut p) in parsed {
        if let Some((_, id, at)) = replaced.iter().find(|(r, _, _)| *r == i) {
            p.warnings.insert(
                0,
                format!("imported before (upload {id}, {at}) and read differently now: this reading replaces that one"),
            );
            super::audit(
                &tx,
                now,
                actor,
                "import.replace",
                &event.slug,
                &format!("{} (upload {id})", uploads[i].file_name),
            )?;
        }
        if let Some(m) = p.mapping.as_ref().filter(|m| m.source != "remembered") {
            remember_mapping(&tx, m, &p, actor, now)?;
        }
        let s = write(&tx, event, &uploads[i], &sha, &p, opts, now)?;
        super::audit(
            &tx,
            now,
            actor,
            "import",
            &event.slug,
            &format!("{} ({}, {} connections)", s.file, s.format, s.connections),
        )?;
        outcomes[i] = Some(Outcome::Imported(Box::new(s)));
        written.push(p);
    }
    tx.commit_leaving_checkpoint()?;
    free_elsewhere(written);
    Ok(outcomes.into_iter().map(|o| o.expect("every upload has an outcome")).collect())
}

/// Gives the memory of `readings` back on a thread of its own, once they are stored: a
/// 100,000-row file's rows, cells and connections are 400,000 allocations, whose freeing took
/// 7 ms of every such import's answer. A thread that cannot be started leaves it to this one.
fn free_elsewhere<T: Send + 'static>(readings: T) {
    let _ = std::thread::Builder::new().name("import-free".into()).spawn(move || drop(readings));
}

fn write(
    tx: &Conn,
    event: &Event,
    u: &Upload,
    sha: &str,
    p: &ParsedExport,
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<Summary> {
    // Counted once: stored with the upload for the event's page, and reported.
    let counts = RowCounts::of(p);
    let read_rows = counts.imported + counts.refused;
    // The upload's own row, with its original bytes, then its rows.
    let upload_id = rows::write_with(tx, u, p, || {
        tx.query_row(
            "INSERT INTO uploads (event_id, file_name, sha256, size_bytes, bytes, format, variant, encoding, delimiter, timezone, date_order,
                                  meeting_id, topic, meeting_start, meeting_end, host_email, warnings, imported_at, presenters,
                                  data_rows, error_rows)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
             RETURNING id",
            params![
                event.id,
                u.file_name,
                sha,
                u.bytes.len() as i64,
                u.bytes,
                p.format.as_str(),
                p.variant,
                p.encoding,
                p.delimiter.to_string(),
                p.zone.unwrap_or(opts.tz).name(),
                p.date_order.map(|o| o.as_str()),
                p.meeting.id,
                p.meeting.topic,
                p.meeting.start.map(ts),
                p.meeting.end.map(ts),
                p.meeting.host_email,
                serde_json::to_string(&p.warnings).expect("strings serialise"),
                ts(now),
                p.presenters.map(|r| r.as_str()),
                read_rows as i64,
                counts.refused as i64,
            ],
            |r| r.get(0),
        )
        .map_err(|e| {
            // Checked before the transaction: an import of the same file that started at the
            // same moment stored it in between (its loser printed SQLite's UNIQUE constraint).
            if e.is_unique_violation() {
                StoreError::Conflict(format!(
                    "{}: another import stored it first, at the same moment; nothing was changed by this one",
                    u.file_name
                ))
            } else {
                e
            }
        })
    })?;
    Ok(summary(event, u, sha, p, opts, upload_id, read_rows, counts))
}

/// The import report of an upload just written.
#[expect(clippy::too_many_arguments, reason = "what write() has at hand; a struct would only carry it here")]
fn summary(
    event: &Event,
    u: &Upload,
    sha: &str,
    p: &ParsedExport,
    opts: &ImportOptions,
    upload_id: i64,
    read_rows: usize,
    counts: RowCounts,
) -> Summary {
    Summary {
        upload_id,
        file: u.file_name.to_owned(),
        sha256: sha.to_owned(),
        format: p.format.as_str(),
        variant: p.variant.clone(),
        encoding: p.encoding,
        encoding_why: p.encoding_why.clone(),
        delimiter: match p.delimiter {
            '\t' => "tab".into(),
            c => c.to_string(),
        },
        timezone: p.zone.unwrap_or(opts.tz).name().to_owned(),
        date_order: p.date_order.map(|o| o.as_str()),
        meeting_id: p.meeting.id.clone(),
        topic: p.meeting.topic.clone(),
        meeting_start: p.meeting.start.map(ts),
        meeting_end: p.meeting.end.map(ts),
        rows: read_rows,
        counts,
        connections: p.connections.len(),
        skipped: p
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Skipped)
            .map(|r| (r.line, r.note.clone().unwrap_or_default()))
            .collect(),
        errors: p.errors.clone(),
        warnings: p.warnings.clone(),
        presenters: p.presenters.map(|own| presenters_sentence(own, &event.teams_presenters)),
    }
}

/// The import report's sentence on a Teams report's `Presenter` role.
fn presenters_sentence(own: import::PresenterReading, event_setting: &str) -> String {
    let what = match own {
        import::PresenterReading::Attendee => {
            "a Teams meeting report (no registration data), where everyone is a Presenter by default and most people are: \
             Presenter read as attendee"
        }
        import::PresenterReading::Panelist => {
            "a Teams webinar or town hall report (it has registration data), or a meeting whose attendees outnumber its \
             presenters (the organiser chose who presents): Presenter read as panelist"
        }
    };
    match import::PresenterReading::parse(event_setting) {
        Some(set) if set != own => format!(
            "{what}, but the event says presenters are {}s, which applies (change with `attest event set SLUG --teams-presenters auto|attendee|panelist`)",
            set.as_str()
        ),
        _ => format!("{what} (change with `attest event set SLUG --teams-presenters attendee|panelist`)"),
    }
}

/// Every connection of the event, as the attendance decision reads them.
pub fn rows_for_event(conn: &Conn, event: &Event) -> Result<Vec<Row>> {
    let rows = conn.all(
        "SELECT u.file_name, c.line,
                -- A Teams presenter is stored as a panelist; the event's reading, else the upload's,
                -- says what it is.
                CASE WHEN c.role = 'panelist' AND u.presenters IS NOT NULL
                     THEN CASE ?2 WHEN 'auto' THEN u.presenters ELSE ?2 END
                     ELSE c.role END,
                c.conn_kind, c.name, c.email, c.reg_first_name, c.reg_last_name, c.reg_email,
                c.join_at, c.leave_at, c.total_seconds, c.waiting_room, c.review
         FROM upload_rows c JOIN uploads u ON u.id = c.upload_id
         WHERE u.event_id = ?1 AND c.role IS NOT NULL ORDER BY u.id, c.line",
        (event.id, &event.teams_presenters),
        |r| {
            let row = Row {
                at: Source { file: r.get(0)?, line: r.get(1)? },
                role: r.get(2)?,
                kind: r.get(3)?,
                name: r.get(4)?,
                email: r.get(5)?,
                reg_first_name: r.get(6)?,
                reg_last_name: r.get(7)?,
                reg_email: r.get(8)?,
                join: r.get::<Option<String>>(9)?.as_deref().and_then(parse_ts),
                leave: r.get::<Option<String>>(10)?.as_deref().and_then(parse_ts),
                total_seconds: r.get(11)?,
                waiting_room: r.get(12)?,
                review: r.get(13)?,
            };
            // A role word not understood stays a panelist's whatever the presenters' reading.
            Ok(if row.has_role_not_understood() { Row { role: Role::Panelist, ..row } } else { row })
        },
    )?;
    Ok(rows)
}

/// A stored upload, for listings.
#[derive(Debug, Clone, Serialize)]
pub struct UploadInfo {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub format: String,
    pub timezone: String,
    pub imported_at: String,
    pub rows: i64,
    pub errors: i64,
}

from_columns!(UploadInfo { id, file_name, sha256, format, timezone, imported_at, rows, errors });

/// The rows of the event's uploads that were refused and kept as errors (`--skip-bad-rows`), as
/// (file, line, why), in upload and line order: the people they name are not counted.
pub fn refused_rows(conn: &Conn, event: &Event) -> Result<Vec<(String, i64, String)>> {
    conn.all(
        "SELECT u.file_name, r.line, COALESCE(r.note, '') FROM upload_rows r JOIN uploads u ON u.id = r.upload_id
         WHERE u.event_id = ?1 AND r.kind = 'error' ORDER BY u.id, r.line",
        [event.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

pub fn list_uploads(conn: &Conn, event: &Event) -> Result<Vec<UploadInfo>> {
    conn.all(
        // The counts are stored with the upload: counting 500,000 rows made the event's page
        // cost 0.4 s (issue 23).
        "SELECT u.id, u.file_name, u.sha256, u.format, u.timezone, u.imported_at, u.data_rows, u.error_rows
         FROM uploads u WHERE u.event_id = ?1 ORDER BY u.id",
        [event.id],
        UploadInfo::from_row,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zoom_file(people: usize) -> String {
        let mut csv = String::from("Name (original name),Email,Join time,Leave time,Duration (minutes)\n");
        for i in 0..people {
            csv.push_str(&format!("Person {i},p{i}@example.org,03/14/2025 10:00:00 AM,03/14/2025 11:30:00 AM,90\n"));
        }
        csv
    }

    fn count(conn: &Conn, sql: &str) -> i64 {
        conn.query_row(sql, (), |r| r.get(0)).unwrap()
    }

    /// The import writes its rows with SQLite's reference checks off: a reading that replaces an
    /// upload takes the old rows with it, as `ON DELETE CASCADE` did, and the checks are on
    /// again once the import has ended, whether it stored anything or failed.
    #[test]
    fn a_replaced_upload_leaves_no_rows_behind_and_references_are_checked_again() {
        let mut conn = super::super::open_in_memory().unwrap();
        let new = super::super::events::NewEvent::new("replace", "Replace", chrono_tz::Europe::Paris);
        let event = super::super::events::create(&conn, &new, "test", Utc::now()).unwrap();
        let csv = zoom_file(3);
        let upload = [Upload { file_name: "p.csv", bytes: csv.as_bytes() }];
        import_files(
            &mut conn,
            &event,
            &upload,
            &ImportOptions::in_zone(chrono_tz::Europe::Paris),
            false,
            "t",
            Utc::now(),
        )
        .unwrap();
        // The same bytes read in another zone: the new reading replaces the old upload.
        let out =
            import_files(&mut conn, &event, &upload, &ImportOptions::in_zone(chrono_tz::UTC), false, "t", Utc::now())
                .unwrap();
        assert!(matches!(&out[0], Outcome::Imported(_)), "{out:?}");
        assert_eq!(count(&conn, "SELECT count(*) FROM uploads"), 1);
        assert_eq!(count(&conn, "SELECT count(*) FROM upload_rows WHERE upload_id NOT IN (SELECT id FROM uploads)"), 0);
        assert_eq!(count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
        // A refused file ends the import early: the checks are on again too.
        let bad = [Upload { file_name: "bad.csv", bytes: b"not, an, export\n1, 2, 3\n" }];
        assert!(
            import_files(&mut conn, &event, &bad, &ImportOptions::in_zone(chrono_tz::UTC), false, "t", Utc::now())
                .is_err()
        );
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
        conn.execute("DELETE FROM events WHERE id = ?1", [event.id]).unwrap();
        assert_eq!(count(&conn, "SELECT count(*) FROM upload_rows"), 0, "the event's deletion cascades");
    }

    /// With the reference checks off, the event the upload goes under is checked by hand: one
    /// deleted while its files were read gets nothing, rather than an upload under no event.
    #[test]
    fn an_import_into_an_event_deleted_meanwhile_stores_nothing() {
        let mut conn = super::super::open_in_memory().unwrap();
        let new = super::super::events::NewEvent::new("gone", "Gone", chrono_tz::Europe::Paris);
        let event = super::super::events::create(&conn, &new, "test", Utc::now()).unwrap();
        conn.execute("DELETE FROM events WHERE id = ?1", [event.id]).unwrap();
        let csv = zoom_file(2);
        let upload = [Upload { file_name: "p.csv", bytes: csv.as_bytes() }];
        let err =
            import_files(&mut conn, &event, &upload, &ImportOptions::in_zone(chrono_tz::UTC), false, "t", Utc::now())
                .unwrap_err();
        assert!(err.to_string().contains("\"gone\" was deleted while the files were read"), "{err}");
        assert_eq!(count(&conn, "SELECT count(*) FROM uploads"), 0);
        assert_eq!(count(&conn, "SELECT count(*) FROM upload_rows"), 0);
        assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
    }
}
