//! The working state the family readers fill in ([`Ctx`]): the file's records, what each row
//! was understood as, and [`Draft`] connections whose dates are still *cells*, read later for
//! the whole file at once. Also the small cell readers every family shares (values, yes/no,
//! durations, `Name (email)`).
//!
//! It knows no family: which columns mean what is the family modules' (`zoom_meeting`, `teams`,
//! …) and [`headers`](super::headers)'; turning cells into UTC instants is
//! [`place`](super::place)'s.

use chrono::NaiveDate;

use super::dates::{DateOrder, Stamp};
use super::headers::{self, Col, HeaderMap};
use super::text::Record;
use super::{PresenterReading, RawRow, RowError, RowKind, teams, words};
use crate::attendance::names::given_and_family;
use crate::attendance::{self, ConnectionKind, Role};

/// A cell of a record: `(record index, column position)`.
pub type CellRef = (usize, usize);

/// A connection whose dates are still text.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The connection as read so far: at a record of the file, its join and leave still cells.
    /// Its `review` is something a person should look at, set by the family's parser (an event
    /// log's join that was never left, counted until the next join).
    pub conn: attendance::Connection<usize, CellRef>,
    /// Seconds the row says it lasted, as a range (Zoom rounds up to the minute).
    pub duration_s: Option<(i64, i64)>,
    /// Seconds the row says it lasted, as written: what it counts at most when it says less than
    /// its join to leave.
    pub stated_s: Option<i64>,
    /// Times without a date take the date of the meeting header (Dashboard export).
    pub time_only: bool,
    /// Active Hosts files: which meeting the row belongs to.
    pub group: Option<String>,
    /// Event logs: a join never followed by a leave ends at the latest event of the log, which
    /// is only known once every date of the file is read (the logs are grouped by person, so
    /// the last line is not the last event).
    pub leave_at_last_event: bool,
}

impl Draft {
    pub fn new(record: usize, role: Role, kind: ConnectionKind, name: String) -> Self {
        Draft {
            conn: attendance::Connection::new(record, role, kind, name),
            duration_s: None,
            stated_s: None,
            time_only: false,
            group: None,
            leave_at_last_event: false,
        }
    }
}

impl Draft {
    /// The time the row states, in seconds, and the range its join to leave may differ by
    /// (`slack`: Zoom rounds up to the minute, other durations are written to the second or
    /// the minute).
    pub fn states(&mut self, seconds: Option<i64>, slack: impl Fn(i64) -> (i64, i64)) {
        self.stated_s = seconds;
        self.duration_s = seconds.map(slack);
    }

    /// [`Draft::states`] from the row's duration cell, read by `read`. A cell that holds
    /// something `read` cannot read bounds nothing, and the row goes to review saying so:
    /// dropped silently, a stated 70 minutes between a join and a leave 95 minutes apart was
    /// counted as the 95, and certified, in every family and language whose duration words
    /// attest lacked.
    pub fn states_cell(
        &mut self,
        cell: Option<String>,
        read: impl Fn(&str) -> Option<i64>,
        slack: impl Fn(i64) -> (i64, i64),
    ) {
        let cell = cell.filter(|c| !no_value(c.trim()));
        let seconds = cell.as_deref().and_then(read);
        self.states(seconds, slack);
        if let (Some(cell), None) = (cell, seconds) {
            self.add_review(format!(
                "its stated duration \"{}\" could not be read: the time from join to leave is counted, which may \
                 include time away",
                cell.trim()
            ));
        }
    }

    /// Adds `note` to what a person should look at for this row.
    pub fn add_review(&mut self, note: String) {
        self.conn.review = Some(match self.conn.review.take() {
            Some(earlier) => format!("{earlier}; {note}"),
            None => note,
        });
    }
}

/// Seconds of a Zoom duration cell: whole minutes, as Zoom writes them, else a duration
/// written out ([`parse_hms`]: a dashboard's `1:35:00`, a file someone retyped).
pub fn minutes_or_written(v: &str) -> Option<i64> {
    v.trim().parse::<i64>().ok().filter(|m| *m >= 0).map(|m| m * 60).or_else(|| parse_hms(v))
}

/// [`minutes_range`] of a duration in seconds (whole minutes).
pub fn minutes_slack(seconds: i64) -> (i64, i64) {
    minutes_range(seconds / 60)
}

/// A meeting header whose dates are still text.
#[derive(Debug, Clone, Default)]
pub struct MeetingDraft {
    pub group: Option<String>,
    pub id: Option<String>,
    pub topic: Option<String>,
    pub start: Option<CellRef>,
    pub end: Option<CellRef>,
    pub duration_min: Option<i64>,
    pub host_email: Option<String>,
    pub host_name: Option<String>,
}

/// The working state the family parsers fill in.
pub struct Ctx {
    pub file: String,
    pub records: Vec<Record>,
    pub info: Vec<RawRow>,
    pub drafts: Vec<Draft>,
    pub meetings: Vec<MeetingDraft>,
    /// Date cells that are not join/leave/meeting times but still tell the day/month order.
    pub other_dates: Vec<CellRef>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<String>,
    pub variant: String,
    /// Local date of the chosen meeting's start, for time-only rows.
    pub meetings_base: Option<NaiveDate>,
    /// See [`ParsedExport::presenters`](super::ParsedExport::presenters).
    pub presenters: Option<PresenterReading>,
    /// Event logs: joins and leaves, paired once every date is read ([`teams::pair_events`]),
    /// because the order of the file is not the order of time.
    pub log_events: Vec<teams::LogEvent>,
    /// Date cells already read, sorted by cell, so that each is parsed once.
    pub(super) stamps: Vec<(CellRef, Stamp)>,
    /// The zone the file itself names (GoTo's summary block): its times are read in it rather
    /// than in the upload's zone.
    pub zone: Option<chrono_tz::Tz>,
    /// The cell holding the meeting's date in a summary block (GoTo Meeting), for time-only rows.
    pub summary_date: Option<CellRef>,
    /// Each row's own day, where a mapped column gives it ([`Field::Date`](super::mapping::Field::Date)),
    /// in row order: its times of day are read on it rather than on [`Ctx::meetings_base`].
    pub days: Vec<CellRef>,
}

impl Ctx {
    pub(super) fn new(file: &str, records: Vec<Record>) -> Self {
        let n = records.len();
        let info = records
            .iter()
            .map(|r| RawRow {
                line: r.line,
                section: None,
                kind: RowKind::Meta,
                header_line: None,
                // Filled from `records` when parsing is done: one copy of every cell, not two.
                fields: csv::StringRecord::new(),
                note: None,
            })
            .collect();
        Ctx {
            file: file.to_owned(),
            records,
            info,
            // One draft per row at most: sized once instead of regrown (5 % of a large import).
            drafts: Vec::with_capacity(n),
            meetings: Vec::new(),
            other_dates: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            variant: String::new(),
            meetings_base: None,
            presenters: None,
            log_events: Vec::new(),
            stamps: Vec::new(),
            zone: None,
            summary_date: None,
            days: Vec::new(),
        }
    }

    /// The local time of a date cell, in the file's day/month order, or why it has none (a
    /// cell `place_dates` could not read, whose row holds the error already, or a date no
    /// export can hold, such as an implausible year).
    pub fn naive_at(&self, cell: CellRef, order: Option<DateOrder>) -> Result<chrono::NaiveDateTime, String> {
        match self.stamp(cell) {
            Some(st) => st.resolve(order, self.day_of_row(cell.0, order).or(self.meetings_base)),
            None => Err("cannot read as a date".into()),
        }
    }

    /// The cell of record `row`'s own day, if a mapped column gives it one ([`Ctx::days`]).
    pub fn day_cell(&self, row: usize) -> Option<CellRef> {
        self.days.binary_search_by_key(&row, |c| c.0).ok().map(|i| self.days[i])
    }

    /// The day record `row`'s own column of dates gives ([`Ctx::day_cell`]), once read.
    pub fn day_of_row(&self, row: usize, order: Option<DateOrder>) -> Option<NaiveDate> {
        self.stamp(self.day_cell(row)?)?.resolve(order, None).ok().map(|t| t.date())
    }

    /// The date cell `cell` as read, if it was (`place_dates` reads each once).
    pub fn stamp(&self, cell: CellRef) -> Option<&Stamp> {
        self.stamps.binary_search_by_key(&cell, |(c, _)| *c).ok().map(|i| &self.stamps[i].1)
    }

    /// Records a row error on a date cell, named by its header.
    pub fn date_error(&mut self, cell: CellRef, why: String) {
        if self.info[cell.0].kind != RowKind::Error {
            let col = header_label(self, cell.0, cell.1);
            let v = self.records[cell.0].cell(cell.1).to_owned();
            self.row_error(cell.0, &col, &v, why);
        }
    }

    /// Records a row error and marks the row.
    pub fn row_error(&mut self, record: usize, column: &str, value: &str, message: impl Into<String>) {
        let e = RowError {
            line: self.records[record].line,
            column: column.to_owned(),
            value: value.to_owned(),
            message: message.into(),
        };
        self.info[record].kind = RowKind::Error;
        self.info[record].note = Some(e.to_string());
        self.errors.push(e);
    }

    /// The zone the headers of the connections' join and leave columns name (`Join Time
    /// (UTC)`), with the first such header, when they name one. Headers naming two zones name
    /// none: said, and the times are read in the upload's zone.
    pub fn zone_in_headers(&mut self) -> Option<(chrono_tz::Tz, String)> {
        let mut seen: Vec<CellRef> = Vec::new();
        let mut found: Option<(chrono_tz::Tz, String)> = None;
        let cells = self.drafts.iter().flat_map(|d| [d.conn.join, d.conn.leave]).flatten();
        for (row, column) in cells {
            let Some(line) = self.info[row].header_line else { continue };
            let Ok(h) = self.records.binary_search_by_key(&line, |r| r.line) else { continue };
            if seen.contains(&(h, column)) {
                continue;
            }
            seen.push((h, column));
            let text = self.records[h].cell(column);
            let Some((tz, _)) = super::dates::zone_in_header(text) else { continue };
            match &found {
                None => found = Some((tz, text.to_owned())),
                Some((first, first_text)) if *first != tz => {
                    let w = format!(
                        "the headers \"{first_text}\" and \"{text}\" name two time zones: times read in the upload's zone (--tz)"
                    );
                    self.warnings.push(w);
                    return None;
                }
                Some(_) => {}
            }
        }
        found
    }

    /// Every row's email and registration email as an address ([`address`]), or none: the
    /// text of an email cell that holds no address (`N/A`) is said once, and its people are
    /// matched by name.
    pub fn addresses_only(&mut self) {
        let mut not_addresses: Vec<String> = Vec::new();
        let mut rows = 0;
        for d in &mut self.drafts {
            let mut dropped = false;
            for slot in [&mut d.conn.email, &mut d.conn.reg_email] {
                let Some(cell) = slot.as_deref() else { continue };
                // Nearly every cell is an address as it stands: no copy for it. Not `x@x`,
                // `unknown@unknown` or `noemail@`, which a sheet gives whoever has none, and
                // which made two guests one certified person (round 25's re-test).
                let plain =
                    cell.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
                let local = cell.split_once('@').map_or("", |(l, _)| l);
                if plain
                    && !cell.contains(['<', ':', ' ', '"', '\'', '(', '[', ';', ','])
                    && !cell.ends_with('.')
                    && !placeholder_mailbox(local)
                {
                    continue;
                }
                let a = address(cell);
                if a.is_none() {
                    dropped = true;
                    if not_addresses.len() < 5 && !not_addresses.iter().any(|t| t == cell) {
                        not_addresses.push(cell.to_owned());
                    }
                }
                *slot = a;
            }
            rows += usize::from(dropped);
        }
        if rows > 0 {
            let texts: Vec<String> = not_addresses.iter().map(|t| format!("\"{t}\"")).collect();
            self.warnings.push(format!(
                "{rows} row(s) hold no email address in the email column ({}): read without an email, their people \
                 matched by name",
                texts.join(", ")
            ));
        }
    }

    /// In a file of pasted exports, each meeting block (at the records `blocks`) and the rows
    /// under it are one group, for the meeting chosen (`--meeting`, the event's title or window)
    /// to keep its own rows only: two meetings' rows were all read as the chosen one's, and
    /// someone at the other was certified (round 25's re-tests, Zoom meetings and webinars). A
    /// restarted meeting's blocks share their ID and are chosen together.
    pub fn group_by_block(&mut self, blocks: &[usize]) {
        if blocks.len() < 2 || self.meetings.len() != blocks.len() {
            return;
        }
        for (k, m) in self.meetings.iter_mut().enumerate() {
            m.group = Some(format!("block {}", k + 1));
        }
        for d in &mut self.drafts {
            let k = blocks.partition_point(|&b| b < d.conn.at).max(1);
            d.group = Some(format!("block {k}"));
        }
    }

    pub fn mark(&mut self, record: usize, kind: RowKind, header: Option<usize>, section: Option<&str>) {
        let header_line = header.map(|h| self.records[h].line);
        let i = &mut self.info[record];
        i.kind = kind;
        i.header_line = header_line;
        i.section = section.map(str::to_owned);
    }

    pub fn skip(&mut self, record: usize, note: impl Into<String>) {
        self.info[record].kind = RowKind::Skipped;
        self.info[record].note = Some(note.into());
    }

    /// The file's tables for a family whose files are only tables: each header row (a row for
    /// which `is_header` holds, marked a header) with the non-blank rows under it up to the next
    /// one (marked data of that header). Rows above the first header stay context.
    ///
    /// Rows are marked before the family reads them; reading one may then skip it or record
    /// its error, which concerns that row only.
    pub fn tables(&mut self, is_header: impl Fn(&HeaderMap) -> bool) -> Vec<(HeaderMap, Vec<usize>)> {
        let mut tables: Vec<(usize, HeaderMap, Vec<usize>)> = Vec::new();
        for i in 0..self.records.len() {
            if self.records[i].is_blank() {
                continue;
            }
            let current = tables.last().map(|(hi, _, _)| *hi);
            if let Some(h) = maybe_header(&self.records, i, current).filter(&is_header) {
                self.mark(i, RowKind::Header, None, None);
                tables.push((i, h, Vec::new()));
                continue;
            }
            let Some((hi, _, rows)) = tables.last_mut() else { continue };
            rows.push(i);
            let hi = *hi;
            self.mark(i, RowKind::Data, Some(hi), None);
        }
        tables.into_iter().map(|(_, h, rows)| (h, rows)).collect()
    }

    /// Who row `i` names: its name (the Name column, else First and Last name joined, as Google
    /// Meet and GoTo write either) and its email; `None`, the row skipped and said why, when it
    /// has neither.
    pub fn who(&mut self, i: usize, h: &HeaderMap) -> Option<(String, Option<String>)> {
        let r = &self.records[i];
        let (name, email) = (row_name(r, h), value(r, h.pos(Col::Email)));
        if name.is_empty() && email.is_none() {
            self.skip(i, "no name and no email: cannot be attributed to anyone");
            return None;
        }
        Some((name, email))
    }

    /// The first row at or after `from` that is not blank: where a family's reading loop goes
    /// next (a meeting block it read moves `from` past the block).
    pub fn next_row(&self, from: usize) -> Option<usize> {
        (from..self.records.len()).find(|&i| !self.records[i].is_blank())
    }

    /// Reads the meeting block whose header row is `header` into [`Ctx::meetings`], its values
    /// being the next non-blank record before `end`; the record after the values, or `None`
    /// (nothing read) when no record with values follows.
    pub fn take_meeting_block(&mut self, header: usize, end: usize) -> Option<usize> {
        let values = (header + 1..end).find(|&j| !self.records[j].is_blank())?;
        let m = self.meeting_block(header, values);
        self.meetings.push(m);
        // A recurring webinar's report lists each occurrence on a row of its own under the one
        // header: the first is read as the export's session, the event's time when it has none,
        // which was taken without a word.
        let width = self.records[values].width();
        let more = (values + 1..end)
            .take_while(|&j| {
                let r = &self.records[j];
                // The header row repeated before each occurrence is not one (2 sessions were
                // said to be 3).
                !r.is_blank()
                    && r.width() == width
                    && r.fields != self.records[header].fields
                    && !HeaderMap::new(&r.fields).has(Col::Name)
            })
            .count();
        if more > 0 {
            self.warnings.push(format!(
                "the meeting block (line {}) lists {} sessions; the first (line {}) is read as the export's, and is \
                 the event's time when the event has none: if the event is another of them, give the event its \
                 start and end (console or API)",
                self.records[header].line,
                more + 1,
                self.records[values].line
            ));
        }
        Some(values + 1)
    }

    /// A meeting block above the table at `top` under headers attest has no words for (Zoom's
    /// `Meeting-ID, Thema, Startzeit, Endzeit, …` in German, Russian, Portuguese): the last row
    /// above it holding exactly two date-times, under a row of text, read as the meeting's start
    /// and end (their order is checked where they are placed, as a named block's). A "Show unique users" total is clipped by that
    /// span (`attendance`); unread, a German file's totals counted as if all inside the session,
    /// and a 75-minute total of a 09:30 to 12:10 meeting was certified (round 24). Nothing is
    /// read when a block was read already, or when no such row is found.
    pub fn unnamed_meeting_block(&mut self, top: usize) {
        if !self.meetings.is_empty() {
            return;
        }
        let dated = |cell: &str| cell.contains(':') && Stamp::parse(cell.trim()).is_ok_and(|s| s.has_date());
        let found = (1..top.min(self.records.len())).rev().find_map(|values| {
            let r = &self.records[values];
            let at: Vec<usize> = (0..r.fields.len()).filter(|&p| dated(r.cell(p))).collect();
            let header = (0..values).rev().find(|&j| !self.records[j].is_blank())?;
            let h = &self.records[header];
            let text = h.fields.iter().all(|c| !dated(c)) && h.width() >= r.width().min(3);
            match at.as_slice() {
                &[start, end] if text && h.width() > 1 => Some((header, values, start, end)),
                _ => None,
            }
        });
        let Some((header, values, start, end)) = found else { return };
        let r = &self.records[values];
        let id = r.cell(0).replace(' ', "");
        self.meetings.push(MeetingDraft {
            id: (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit())).then_some(id),
            start: Some((values, start)),
            end: Some((values, end)),
            ..Default::default()
        });
        self.mark(header, RowKind::Header, None, None);
        self.mark(values, RowKind::Meta, Some(header), None);
        self.warnings.push(format!(
            "line {} was read as the meeting block (its two date-times the meeting's start and end), under headers \
             attest has no words for",
            self.records[values].line
        ));
    }

    /// Reads the meeting block whose header row is `header` and value row is `values`.
    fn meeting_block(&mut self, header: usize, values: usize) -> MeetingDraft {
        let h = HeaderMap::new(&self.records[header].fields);
        self.mark(header, RowKind::Header, None, None);
        self.mark(values, RowKind::Meta, Some(header), None);
        let r = &self.records[values];
        let get = |c: Col| h.pos(c).map(|p| r.cell(p)).filter(|v| !v.is_empty() && *v != "--");
        let mut m = MeetingDraft {
            id: get(Col::MeetingId).or(get(Col::WebinarId)).map(str::to_owned),
            topic: get(Col::Topic).map(str::to_owned),
            ..Default::default()
        };
        for col in [Col::StartTime, Col::ActualStartTime, Col::ScheduledTime] {
            if let Some(p) = h.pos(col).filter(|&p| !r.cell(p).is_empty()) {
                m.start = Some((values, p));
                break;
            }
        }
        m.end = h.pos(Col::EndTime).filter(|&p| !r.cell(p).is_empty()).map(|p| (values, p));
        m.duration_min = get(Col::ActualDuration).or(get(Col::Duration)).and_then(|v| v.parse::<i64>().ok());
        if let Some(host) = get(Col::Host) {
            let (name, email) = split_name_email(host);
            m.host_name = Some(name);
            m.host_email = email;
        }
        if let Some(e) = get(Col::Email) {
            m.host_email = Some(e.to_owned());
        }
        if let Some(n) = get(Col::HostName) {
            m.host_name.get_or_insert(n.to_owned());
        }
        m
    }
}

/// The header map of row `i` when it may be a header row. Once a table has started, a row is
/// only looked at as a header if its first cell repeats the current header's: building a map
/// normalises every cell, which is most of the cost on a 100,000-row export.
pub fn maybe_header(records: &[Record], i: usize, current: Option<usize>) -> Option<HeaderMap> {
    match current {
        Some(h) if records[i].cell(0) != records[h].cell(0) => None,
        _ => Some(HeaderMap::new(&records[i].fields)),
    }
}

/// `Host Name (host@example.org)` → name and email.
pub fn split_name_email(s: &str) -> (String, Option<String>) {
    if let Some(open) = s.rfind('(') {
        let inner = s[open + 1..].trim_end_matches(')').trim();
        if inner.contains('@') {
            return (s[..open].trim().to_owned(), Some(inner.to_owned()));
        }
    }
    (s.trim().to_owned(), None)
}

/// The address an email cell holds: as written, or inside `Name <address>`, after `mailto:`;
/// `None` for text that is no address (`N/A`, `none`, the `NA` R writes for an empty cell).
/// Taken for an address, every `N/A` of a file was one person, two guests' times were added up
/// and certified; and `mailto:bruno@…` was another person than `bruno@…`, each short of the
/// rule (round 25).
pub fn address(cell: &str) -> Option<String> {
    let mut a = cell.trim();
    if let (Some(open), Some(close)) = (a.rfind('<'), a.rfind('>')) {
        if open < close {
            a = a[open + 1..close].trim();
        }
    }
    if a.get(..7).is_some_and(|m| m.eq_ignore_ascii_case("mailto:")) {
        a = a[7..].trim();
    }
    // The word holding the `@` (`bruno@… (work)`, `anna@…; anna.smith@…`), unless it is an
    // office's mailbox, whose comment tells its people apart (`office@… (Ahmed)`).
    let word = a.split(|c: char| c.is_whitespace() || c == ';' || c == ',').find(|w| w.contains('@'));
    let a = match word.filter(|w| !crate::attendance::shared_mailbox(w)) {
        Some(word) => {
            word.trim_matches(|c| matches!(c, '"' | '\'' | '(' | ')' | '[' | ']' | '<' | '>' | ',' | ';' | '.'))
        }
        None => a.trim_matches(|c| matches!(c, '"' | '\'')),
    };
    let local = a.split_once('@').map_or("", |(l, _)| l);
    (!placeholder_mailbox(local) && crate::attendance::plausible_email(a).is_some()).then(|| a.to_owned())
}

/// Whether an address's local part is a [`PLACEHOLDER_MAILBOXES`] one, in any case, with or
/// without `-`, `_` or `.` (`no-reply`, `No_Reply`, `do.not.reply`). No copy: asked of every row.
fn placeholder_mailbox(local: &str) -> bool {
    PLACEHOLDER_MAILBOXES.iter().any(|p| {
        local.len() <= p.len() + 3
            && local.chars().filter(|c| !matches!(c, '-' | '_' | '.')).map(|c| c.to_ascii_lowercase()).eq(p.chars())
    })
}

/// Mailboxes no one reads, which a platform or a sheet gives whoever has no address
/// (`no-reply@zoom.us`, `none@none.com`, `unknown@example.com`): no one's address. Shared by two
/// guests, one was certified for both (round 25's re-tests).
const PLACEHOLDER_MAILBOXES: &[&str] =
    &["noreply", "donotreply", "none", "nobody", "unknown", "noemail", "nomail", "test", "null", "email"];

/// A cell value with Zoom's `--` ("no value") and blanks mapped to `None`.
pub fn value(r: &Record, pos: Option<usize>) -> Option<String> {
    let v = r.cell(pos?);
    (!no_value(v)).then(|| v.to_owned())
}

/// Whether a cell holds nothing: empty, or Zoom's `--` (or `-`) for "no value". [`value`]
/// without the copy, for the checks made on every row.
pub fn no_value(cell: &str) -> bool {
    matches!(cell, "" | "--" | "-")
}

/// The name a row gives: its Name column, else its First and Last name columns joined; empty
/// when it has none.
pub(super) fn row_name(r: &Record, h: &HeaderMap) -> String {
    value(r, h.pos(Col::Name)).unwrap_or_else(|| {
        given_and_family(value(r, h.pos(Col::FirstName)).as_deref(), value(r, h.pos(Col::LastName)).as_deref())
    })
}

/// Yes/No cells in the languages of [`headers::ALIASES`].
pub fn yes(v: &str) -> bool {
    // Plain ASCII words (almost every cell) need no NFKC normalisation, the slow part of
    // `normalise`, which ran once per row for the waiting-room column.
    if v.bytes().all(|b| b.is_ascii_alphabetic()) {
        // `ya`: Indonesian and Malay (round 22's Indonesian Zoom export, a tester's file).
        return ["yes", "y", "oui", "si", "ja", "true", "sim", "tak", "da", "ano", "evet", "igen", "ya"]
            .iter()
            .any(|w| v.eq_ignore_ascii_case(w));
    }
    // `Sì`: Italian, as the third-party Italian parser's fixture of Zoom's flat export writes its
    // Guest column (README, Export languages); a waiting-room `Sì` was counted as attendance.
    // And the plain yes of the waiting-room languages below (Russian, Ukrainian, Polish,
    // Romanian, Czech, Chinese, Arabic): a waiting-room `Да` was attendance.
    matches!(
        headers::normalise(v).as_str(),
        "yes"
            | "y"
            | "oui"
            | "sí"
            | "sì"
            | "si"
            | "ja"
            | "true"
            | "sim"
            | "ya"
            | "có"
            | "はい"
            | "예"
            | "да"
            | "так"
            | "tak"
            | "da"
            | "ano"
            | "是"
            | "نعم"
            // Greek, Turkish, Hungarian, Finnish: a guest column in Dutch, Swedish, Greek or
            // Turkish was taken for the role, and made its participants panelists.
            | "ναι"
            | "evet"
            | "igen"
            | "kyllä"
    )
}

/// A Zoom duration in minutes is the ceiling of the interval: allow a minute of slack for
/// Excel re-saves that dropped the seconds.
pub fn minutes_range(m: i64) -> (i64, i64) {
    ((m - 2) * 60, m * 60 + 60)
}

/// A written duration in seconds, or `None` when the cell is not one this reads (the caller
/// decides whether that refuses the row; a mapped duration column must not be dropped silently).
///
/// Reads a clock `H:MM:SS` / `HH:MM:SS` (BigBlueButton's Learning Dashboard, Zoom's Dashboard
/// `Duration (hh:mm:ss)`, GoTo), and numbers each followed by a unit of [`words::UNITS`] in any
/// order, spaces and an abbreviation's dot optional: Teams `1h 2m 3s`, Meet `1 hr 5 min`,
/// `70 minutes`, `1 hour 10 minutes`, Korean `1시간 10분`, Turkish `40 dk. 0 sn.`. Not read: a
/// bare number (minutes for Zoom, whatever a mapping says: the callers decide), and `H:MM` or
/// `MM:SS`, which a cell cannot tell apart.
pub fn parse_hms(s: &str) -> Option<i64> {
    clock_duration(s.trim()).or_else(|| written_duration(s))
}

/// `1:10:00`, `01:10:00`, `125:03:09`: hours, then minutes and seconds of two digits under 60.
fn clock_duration(s: &str) -> Option<i64> {
    let mut parts = s.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || h.is_empty() || m.len() != 2 || sec.len() != 2 {
        return None;
    }
    let num = |p: &str| p.bytes().all(|b| b.is_ascii_digit()).then(|| p.parse::<i64>().ok()).flatten();
    let (h, m, sec) = (num(h)?, num(m)?, num(sec)?);
    (m < 60 && sec < 60).then_some(h * 3600 + m * 60 + sec)
}

/// Numbers with their unit words: `1h 2m 3s`, `2 godz. 18 min 8 s`, `1 時間 45 分 30 秒`.
pub(super) fn written_duration(s: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut any = false;
    let mut rest = s.trim();
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let letters = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        let unit = rest[..letters].to_lowercase();
        total += n * words::UNITS.iter().find(|(u, _)| *u == unit)?.1;
        // An abbreviation's dot (`2 godz. 18 min`, `40 λ. 0 δευτ.`), and a comma between the
        // parts (`1 hour, 10 minutes`).
        rest = rest[letters..].trim_start_matches(['.', ',']).trim_start();
        any = true;
    }
    any.then_some(total)
}

/// The header text of a cell, for messages.
pub(super) fn header_label(ctx: &Ctx, rec: usize, pos: usize) -> String {
    ctx.info[rec]
        .header_line
        .and_then(|line| ctx.records.iter().find(|r| r.line == line))
        .and_then(|h| h.fields.get(pos))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("column {}", pos + 1))
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn an_email_cells_address_is_the_word_holding_it_unless_an_office_mailbox_names_its_people() {
        let cases = [
            ("bruno@example.pt (work)", Some("bruno@example.pt")),
            ("anna@example.org; anna.smith@example.org", Some("anna@example.org")),
            ("Gita Sharma <gita@example.in>", Some("gita@example.in")),
            ("mailto:eva@example.se.", Some("eva@example.se")),
            ("office@ngo.example (Ahmed)", Some("office@ngo.example (Ahmed)")),
            ("N/A", None),
            ("no-reply@zoom.us", None),
            ("x@x", None),
        ];
        for (cell, want) in cases {
            assert_eq!(address(cell).as_deref(), want, "{cell}");
        }
    }
}
