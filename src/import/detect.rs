//! Which family a file belongs to, and in which reading: each decoding × delimiter of a text
//! (or each sheet of a workbook) is tried in order of preference, and the first whose first
//! rows hold a known header row wins. A file no family recognises goes to the column mapping
//! (remembered, accepted or to confirm).
//!
//! The format is detected from the content, never the file name. Detection only chooses; the
//! rows are read by the family's module through [`finish`](super::finish).

use super::finish::finish;
use super::headers::{Col, HeaderMap};
use super::text::{self, Record};
use super::{Format, ImportError, ImportOptions, ParsedExport, ReadAs, google_meet, goto, mapping, teams, webex};

/// One way of reading a file: a decoding and a delimiter of a text, split into rows only when
/// needed (detection reads the first rows; the full split happens once), or a workbook's rows.
pub(super) struct Reading<'a> {
    pub(super) encoding: &'static str,
    /// Why that encoding, and the lines whose bytes were not (see [`text::Decoded`]).
    pub(super) why: &'a str,
    pub(super) damaged: &'a [usize],
    /// The encoding was guessed from the letters ([`text::Decoded::guessed`]).
    pub(super) guessed: bool,
    pub(super) delim: char,
    pub(super) text: Option<&'a str>,
    pub(super) records: Option<Vec<Record>>,
}

impl<'a> Reading<'a> {
    fn head(&self) -> std::borrow::Cow<'_, [Record]> {
        match (&self.records, self.text) {
            (Some(r), _) => std::borrow::Cow::Borrowed(&r[..r.len().min(DETECT_ROWS)]),
            (None, Some(t)) => std::borrow::Cow::Owned(text::records(t, self.delim as u8, Some(DETECT_ROWS))),
            (None, None) => std::borrow::Cow::Owned(Vec::new()),
        }
    }

    /// The same reading without its rows (a workbook's are the caller's to copy).
    fn shallow(&self) -> Reading<'a> {
        Reading {
            encoding: self.encoding,
            why: self.why,
            damaged: self.damaged,
            guessed: self.guessed,
            delim: self.delim,
            text: self.text,
            records: None,
        }
    }

    /// How this reading took the bytes, for the report.
    fn read_as(&self) -> ReadAs {
        ReadAs {
            encoding: self.encoding,
            why: self.why.to_owned(),
            damaged_lines: self.damaged.to_vec(),
            delimiter: self.delim,
            guessed: self.guessed,
        }
    }

    fn into_records(self) -> Vec<Record> {
        match (self.records, self.text) {
            (Some(r), _) => r,
            (None, Some(t)) => text::records(t, self.delim as u8, None),
            (None, None) => Vec::new(),
        }
    }
}

/// Detection, then the family's reader, over the readings of a file in order of preference; a
/// file no family recognises goes to the column mapping.
pub(super) fn parse_records(
    file: &str,
    sets: Vec<Reading>,
    opts: &ImportOptions,
    skip_bad_rows: bool,
) -> Result<ParsedExport, ImportError> {
    if opts.columns.is_some() {
        return parse_mapped(file, sets, opts, skip_bad_rows);
    }
    let mut first_failure = None;
    let mut format_of = None;
    for (k, reading) in sets.iter().enumerate() {
        // Detection looks at the start of the file only.
        let head = reading.head();
        match detect(&head) {
            Some(format) => {
                let registrations = format == Format::ZoomWebinarRegistrations;
                match format_of {
                    // A workbook whose first sheet lists registrants only (staff saved the
                    // registration report before the attendee report): a later sheet with
                    // attendance is the one read. Everyone was found registered and absent.
                    Some((_, Format::ZoomWebinarRegistrations)) if !registrations => format_of = Some((k, format)),
                    Some(_) => continue,
                    None => format_of = Some((k, format)),
                }
                if !(registrations && reading.records.is_some()) {
                    break;
                }
            }
            None if format_of.is_some() => {}
            None => {
                first_failure.get_or_insert_with(|| {
                    head.iter()
                        .find(|r| !r.is_blank())
                        .map(|r| r.fields.iter().collect::<Vec<_>>().join(","))
                        .unwrap_or_default()
                });
            }
        }
    }
    if let Some((k, format)) = format_of {
        let mut sets = sets;
        let reading = sets.remove(k);
        // Kept for the column mapping, should the family find no table of its own in the file:
        // a few known words (a Webex report's join and leave headers in French) made it look
        // like one, and the file was refused as no attendance export at all.
        let again = Reading { records: reading.records.clone(), ..reading.shallow() };
        let read = reading.read_as();
        return match finish(file, format, reading.into_records(), read, opts, skip_bad_rows, None) {
            Ok(mut p) => {
                p.reading = Some(k);
                Ok(p)
            }
            Err(e @ ImportError::UnknownFormat { .. }) => {
                sets.insert(k, again);
                try_mapped(file, sets, opts, skip_bad_rows).unwrap_or(Err(e))
            }
            Err(e) => Err(e),
        };
    }
    if let Some(r) = try_mapped(file, sets, opts, skip_bad_rows) {
        return r;
    }
    let mut first_row = first_failure.unwrap_or_default();
    if first_row.chars().count() > 80 {
        first_row = first_row.chars().take(80).collect::<String>() + "…";
    }
    Err(ImportError::UnknownFormat { file: file.into(), scanned: DETECT_ROWS, first_row })
}

pub(super) const DETECT_ROWS: usize = 200;

/// The first reading in which a table of date-times is found.
fn locate_table(sets: Vec<Reading>, opts: &ImportOptions) -> Option<(usize, ReadAs, Vec<Record>, mapping::Table)> {
    sets.into_iter().enumerate().find_map(|(k, reading)| {
        let read = reading.read_as();
        let records = reading.into_records();
        let t = mapping::locate(&records, opts.meeting.as_deref(), opts.event_title.as_deref())?;
        Some((k, read, records, t))
    })
}

/// The first reading with a list of totals that the columns `spec` fit ([`mapping::locate_totals`]).
fn locate_totals(
    sets: Vec<Reading>,
    spec: &[(mapping::Field, mapping::ColumnSpec)],
) -> Option<(usize, ReadAs, Vec<Record>, mapping::Table)> {
    sets.into_iter().enumerate().find_map(|(k, reading)| {
        let read = reading.read_as();
        let records = reading.into_records();
        let t = mapping::locate_totals(&records, |t| {
            let m = mapping::resolve(spec, t, table_width(&records, t)).ok()?;
            m.iter().find(|(f, _)| *f == mapping::Field::Duration).map(|&(_, p)| p)
        })?;
        Some((k, read, records, t))
    })
}

/// A list of totals under a header row staff mapped before (a Zoom "Show unique users" export
/// in a language attest has no words for): found by that header, since such a list has no
/// date-times for [`locate_table`] to find it by. Looked for only when such a mapping is known.
fn remembered_totals(
    sets: &[Reading],
    opts: &ImportOptions,
) -> Option<(usize, ReadAs, Vec<Record>, mapping::Table, mapping::Mapping)> {
    let known: Vec<_> = opts.known_mappings.iter().filter(|(_, m, a)| a.is_none() && mapping::totals(m)).collect();
    if known.is_empty() {
        return None;
    }
    sets.iter().enumerate().find_map(|(k, reading)| {
        let reading = Reading { records: reading.records.clone(), ..reading.shallow() };
        let read = reading.read_as();
        let records = reading.into_records();
        let fits = |t: &mapping::Table| {
            let key = mapping::header_key(&t.header_cells);
            let (_, m, _) = known.iter().find(|(header, _, _)| *header == key)?;
            let duration = m.iter().find(|(f, _)| *f == mapping::Field::Duration).map(|&(_, p)| p)?;
            (m.iter().all(|&(_, p)| p < table_width(&records, t))).then_some((duration, m.clone()))
        };
        let table = mapping::locate_totals(&records, |t| fits(t).map(|(p, _)| p))?;
        let (_, m) = fits(&table)?;
        Some((k, read, records, table, m))
    })
}

/// How many columns a table has: its widest row, or its header's.
fn table_width(records: &[Record], t: &mapping::Table) -> usize {
    records[t.first..t.end].iter().map(|r| r.fields.len()).max().unwrap_or(0).max(t.header_cells.len())
}

/// `--columns`: the table is read through the columns staff named.
fn parse_mapped(
    file: &str,
    sets: Vec<Reading>,
    opts: &ImportOptions,
    skip_bad_rows: bool,
) -> Result<ParsedExport, ImportError> {
    let spec = opts.columns.as_deref().unwrap_or_default();
    let first = sets.first().map(|r| Reading { records: r.records.clone(), ..r.shallow() });
    let found = if mapping::totals(spec) { locate_totals(sets, spec) } else { locate_table(sets, opts) };
    let Some((k, read, records, table)) = found else {
        if mapping::totals(spec) {
            let unread = first.and_then(|r| mapping::unread_duration(&r.into_records(), spec));
            return Err(ImportError::BadMapping {
                file: file.into(),
                why: format!(
                    "no table under a header row whose duration column holds durations (whole minutes, or written \
                     out as 1h 2m 3s) was found for those columns{}; check the column numbers against the file",
                    unread.map(|u| format!(" ({u})")).unwrap_or_default()
                ),
            });
        }
        return Err(ImportError::BadMapping {
            file: file.into(),
            why: "no table with date-times attest can read was found in the file (a row with two date-times, or \
                  with one in an event log, starts it); check that the time column holds dates and times such as \
                  2025-03-14 10:00:00"
                .into(),
        });
    };
    let mapping = mapping::resolve(spec, &table, table_width(&records, &table))
        .and_then(|m| mapping::check_cells(&records, &table, &m).map(|()| m))
        .map_err(|why| ImportError::BadMapping { file: file.into(), why })?;
    let actions = opts.actions.clone();
    mapping::check_actions(&records, &table, &mapping, actions.as_ref())
        .map_err(|why| ImportError::BadMapping { file: file.into(), why })?;
    let plan = mapping::Plan { table, mapping, actions, source: "confirmed" };
    let mut p = finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan))?;
    p.reading = Some(k);
    Ok(p)
}

/// A file no family recognised: a remembered mapping for its header row, or the inferred one if
/// staff accepted it, or the inference for staff to confirm. `None` when no table is found.
fn try_mapped(
    file: &str,
    sets: Vec<Reading>,
    opts: &ImportOptions,
    skip_bad_rows: bool,
) -> Option<Result<ParsedExport, ImportError>> {
    if let Some(found) = remembered_totals(&sets, opts) {
        let (k, read, records, table, m) = found;
        let plan = mapping::Plan { table, mapping: m, actions: None, source: "remembered" };
        return Some(finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan)).map(|mut p| {
            p.reading = Some(k);
            p
        }));
    }
    let copies: Vec<Reading> = sets.iter().map(|r| Reading { records: r.records.clone(), ..r.shallow() }).collect();
    let located = locate_table(sets, opts);
    // No table of joins and leaves, or one row of them (a meeting block) over the people, under
    // a header row staff did not map: a list of each person's total time below it, if found.
    let below = match &located {
        None => Some(0),
        Some((_, _, _, t)) => {
            let remembered = opts.known_mappings.iter().any(|(k, _, _)| *k == mapping::header_key(&t.header_cells));
            (t.end - t.first == 1 && !remembered).then_some(t.end)
        }
    };
    if let Some(below) = below {
        if let Some(r) = inferred_totals(file, &copies, opts, skip_bad_rows, below) {
            return Some(r);
        }
    }
    let (k, read, records, table) = located?;
    let key = mapping::header_key(&table.header_cells);
    let at = |r: Result<ParsedExport, ImportError>| {
        r.map(|mut p| {
            p.reading = Some(k);
            p
        })
    };
    let remembered = opts.known_mappings.iter().find(|(k, _, _)| *k == key).filter(|_| table.header.is_some());
    let mut role_since = None;
    if let Some((_, m, a)) = remembered {
        // Inferred again only where the remembered columns read no role.
        let inference = (!m.iter().any(|(f, _)| *f == mapping::Field::Role)).then(|| mapping::infer(&records, &table));
        match inference.and_then(|inference| new_role(&inference).map(|why| (inference, why))) {
            None => {
                let plan = mapping::Plan { table, mapping: m.clone(), actions: a.clone(), source: "remembered" };
                return Some(at(finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan))));
            }
            Some(asked) => role_since = Some(asked),
        }
    }
    let inference = match role_since {
        Some((inference, _)) if opts.accept_inferred => inference,
        Some((mut inference, why)) => {
            inference.reasons.insert(0, why);
            inference.reading = k;
            return Some(Err(ImportError::NeedsMapping { file: file.into(), inference: Box::new(inference) }));
        }
        None => mapping::infer(&records, &table),
    };
    // Date-times that are no join and leave (a registration date and a last activity, days
    // apart) beside each person's total time: a list of totals. Taken for the join and leave,
    // every registrant was certified (round 24's re-test).
    let no_pair = inference.missing.iter().any(|f| matches!(f, mapping::Field::Join | mapping::Field::Leave));
    if no_pair {
        if let Some(r) = inferred_totals(file, &copies, opts, skip_bad_rows, 0) {
            return Some(r);
        }
    }
    if opts.accept_inferred && inference.complete() {
        let plan = mapping::Plan { table, mapping: inference.mapping, actions: inference.actions, source: "accepted" };
        return Some(at(finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan))));
    }
    Some(Err(ImportError::NeedsMapping {
        file: file.into(),
        inference: Box::new(mapping::Inference { reading: k, ..inference }),
    }))
}

/// Why columns remembered for a header row without a role are asked about again: this file's
/// cells make a column the role. Its first file held one word in that column (all attendees),
/// and staff confirmed the columns without it; the next file's host and presenter were read as
/// attendees and certified (round 25).
fn new_role(now: &mapping::Inference) -> Option<String> {
    let p = now.mapping.iter().find(|(f, _)| *f == mapping::Field::Role).map(|&(_, p)| p)?;
    let header = now.header.get(p).map_or("", |h| h.trim());
    Some(format!(
        "the columns remembered for this header row read no role, and this file's column {} \"{header}\" holds \
         roles: confirmed again, the columns are remembered with it",
        p + 1
    ))
}

/// A list of each person's total time found in the first reading that holds one from record
/// `below` on ([`mapping::locate_inferred_totals`]), its columns inferred for staff to confirm, or read when
/// staff accepted them.
fn inferred_totals(
    file: &str,
    sets: &[Reading],
    opts: &ImportOptions,
    skip_bad_rows: bool,
    below: usize,
) -> Option<Result<ParsedExport, ImportError>> {
    let (k, read, records, (table, candidates)) = sets.iter().enumerate().find_map(|(k, reading)| {
        let reading = Reading { records: reading.records.clone(), ..reading.shallow() };
        let read = reading.read_as();
        let records = reading.into_records();
        let found = mapping::locate_inferred_totals(&records).filter(|(t, _)| t.first >= below)?;
        Some((k, read, records, found))
    })?;
    let inference = mapping::Inference { reading: k, ..mapping::infer_totals(&records, &table, &candidates) };
    if opts.accept_inferred && inference.complete() {
        let plan = mapping::Plan { table, mapping: inference.mapping, actions: None, source: "accepted" };
        return Some(finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan)).map(|mut p| {
            p.reading = Some(k);
            p
        }));
    }
    Some(Err(ImportError::NeedsMapping { file: file.into(), inference: Box::new(inference) }))
}

/// Which family a file belongs to, from its header rows.
fn detect(records: &[Record]) -> Option<Format> {
    // GoTo's attendee tables look like Zoom's; the summary block naming a time zone above them
    // is what tells them apart, so it is looked for first.
    if let Some(format) = goto::detect(records) {
        return Some(format);
    }
    // Teams' numbered sections (`1. Summary`, `2. Participants`): a Teams report, whatever its
    // tables' headers share with Webex's (a town hall report's `Attendance duration` made it read
    // as Webex, its durations as minutes and its summary unread).
    let teams_sections = teams::numbered_sections(records);
    for r in records {
        let h = HeaderMap::new(&r.fields);
        if webex::is_header(&h) && !teams_sections {
            return Some(Format::Webex);
        }
        let named = h.has(Col::Name) || (h.has(Col::FirstName) && h.has(Col::LastName));
        if !named {
            continue;
        }
        let format = if teams_sections && h.has(Col::Join) {
            // Teams' numbered sections around a table of joins: a Teams report in a language
            // whose headers attest knows only in part (an Italian one read as Zoom's lost its
            // section 2 and read its presenter as a panelist).
            Format::TeamsAttendanceReport
        } else if google_meet::is_header(&h) {
            Format::GoogleMeetAttendance
        } else if h.has(Col::UtcTimestamp) && h.has(Col::UserAction) {
            Format::TeamsLiveEvent
        } else if h.has(Col::UserAction) && h.has(Col::Timestamp) {
            Format::TeamsEventLog
        } else if h.has(Col::FirstJoin) || h.has(Col::InMeetingDuration) {
            Format::TeamsAttendanceReport
        } else if h.has(Col::Attended) {
            // Named by `User Name (Original Name)` or, in some reports, only by first and last.
            Format::ZoomWebinarAttendees
        } else if h.has(Col::Join) && (h.has(Col::Device) || h.has(Col::IpAddress)) {
            Format::ZoomDashboard
        } else if h.has(Col::Join) && is_teams_activity(&h) {
            // Zoom's participant tables have no role column; Teams' connection tables do, also
            // in the 2021 report that had no numbered sections and no per-person section.
            Format::TeamsAttendanceReport
        } else if h.has(Col::Join) && h.pos_before_name(Col::Topic).or(h.pos_before_name(Col::MeetingId)).is_some() {
            Format::ZoomActiveHosts
        } else if h.has(Col::Join) && h.has(Col::Leave) {
            Format::ZoomMeetingParticipants
        } else if h.has(Col::TotalDuration) {
            Format::ZoomUniqueUsers
        } else if h.has(Col::FirstName)
            && h.has(Col::LastName)
            && h.has(Col::Email)
            && !h.has(Col::Join)
            && (h.has(Col::RegistrationTime) || h.has(Col::ApprovalStatus))
        {
            // A bare name-and-email list (Google Meet's attendance list has one) is not a
            // registration report: read as one, everybody on it would be a no-show.
            Format::ZoomWebinarRegistrations
        } else {
            continue;
        };
        return Some(format);
    }
    None
}

fn is_teams_activity(h: &HeaderMap) -> bool {
    h.has(Col::Role) && h.has(Col::Email)
}
