//! Bytes of an export → typed connections, with every original row kept.
//!
//! The format is detected from the content (never the file name): [`text`] decodes the bytes and
//! splits rows, [`headers`] recognises header rows through the alias table, and one module per
//! family turns rows into [`Draft`]s that still hold date *cells*. Only then are all date cells of
//! the file read together ([`dates`]), so that the day/month order is decided once per file, and
//! placed in the upload's time zone.
//!
//! This module does no I/O and knows nothing of SQLite: [`parse`] is a pure function from bytes to
//! a [`ParsedExport`], which `store::imports` writes in one transaction.

pub mod dates;
pub mod google_meet;
pub mod headers;
pub mod mapping;
pub mod teams;
pub mod text;
pub mod words;
pub mod workbook;
pub mod zoom_meeting;
pub mod zoom_webinar;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::attendance::{ConnectionKind, Role};
use dates::{DateOrder, Local, OrderVerdict, Stamp};
use headers::{Col, HeaderMap};
use text::Record;

/// Uploads larger than this are refused before they are read: a 1,000-person webinar's
/// attendee report is well under 1 MiB, and a 100,000-row export about 12 MiB.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The export families attest reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    ZoomMeetingParticipants,
    ZoomUniqueUsers,
    ZoomActiveHosts,
    ZoomDashboard,
    ZoomWebinarAttendees,
    ZoomWebinarRegistrations,
    TeamsAttendanceReport,
    TeamsEventLog,
    TeamsLiveEvent,
    GoogleMeetAttendance,
    /// A table whose headers attest does not know, read through a column mapping.
    Mapped,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::ZoomMeetingParticipants => "zoom-meeting-participants",
            Format::ZoomUniqueUsers => "zoom-unique-users",
            Format::ZoomActiveHosts => "zoom-active-hosts-details",
            Format::ZoomDashboard => "zoom-dashboard-participants",
            Format::ZoomWebinarAttendees => "zoom-webinar-attendee-report",
            Format::ZoomWebinarRegistrations => "zoom-webinar-registration-report",
            Format::TeamsAttendanceReport => "teams-attendance-report",
            Format::TeamsEventLog => "teams-attendance-event-log",
            Format::TeamsLiveEvent => "teams-live-event-report",
            Format::GoogleMeetAttendance => "google-meet-attendance-report",
            Format::Mapped => "mapped-columns",
        }
    }
}

/// How a Teams report's `Presenter` role is read.
///
/// In a Teams *meeting* everyone is a presenter by default ("who can present: everyone"), so
/// the role says nothing: only the organiser differs. In a *webinar* or *town hall* (whose
/// report carries registration data) presenters are chosen, and are panelists. The importer
/// decides from the report; staff can change it per event (`events.teams_presenters`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresenterReading {
    /// A meeting report: presenters are attendees.
    Attendee,
    /// A webinar or town hall report: presenters are panelists.
    Panelist,
}

impl PresenterReading {
    pub fn as_str(self) -> &'static str {
        match self {
            PresenterReading::Attendee => "attendee",
            PresenterReading::Panelist => "panelist",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "attendee" => Some(PresenterReading::Attendee),
            "panelist" => Some(PresenterReading::Panelist),
            _ => None,
        }
    }
}

/// What the caller knows that the file does not.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Zone the export's times are written in (the downloader's zone).
    pub tz: Tz,
    /// Day/month order, when the file's own values cannot decide it.
    pub date_order: Option<DateOrder>,
    /// For Active Hosts files holding several meetings: which one (its ID, spaces ignored).
    pub meeting: Option<String>,
    /// The event, to pick the matching meeting of an Active Hosts file.
    pub event_title: Option<String>,
    pub event_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Columns staff named (`--columns name=1,join=3,…`): the file is read through them, whatever
    /// its headers.
    pub columns: Option<Vec<(mapping::Field, mapping::ColumnSpec)>>,
    /// Staff reviewed the inferred mapping (`import --dry-run`) and accept it.
    pub accept_inferred: bool,
    /// Mappings confirmed earlier, by [`mapping::header_key`] of their header row.
    pub known_mappings: Vec<(String, mapping::Mapping)>,
    /// The meeting's date, for exports whose rows hold times of day only (Google Meet) and whose
    /// file name does not carry it.
    pub meeting_date: Option<NaiveDate>,
    /// Most rows (records) one file may have; `None`: no limit. The server sets it
    /// (`ATTEST_MAX_IMPORT_ROWS`) so that one upload cannot hold it for minutes.
    pub max_rows: Option<usize>,
}

impl ImportOptions {
    /// Times read in `tz`, and nothing else known: the file must decide the rest.
    pub fn in_zone(tz: Tz) -> Self {
        ImportOptions {
            tz,
            date_order: None,
            meeting: None,
            event_title: None,
            event_window: None,
            columns: None,
            accept_inferred: false,
            known_mappings: Vec::new(),
            meeting_date: None,
            max_rows: None,
        }
    }
}

/// A problem with one cell of one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: column \"{}\": {} (value \"{}\")", self.line, self.column, self.message, self.value)
    }
}

/// Why a whole file was refused. Nothing of a refused file is stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{file}: the file is empty; download the report again from Zoom, Teams or the platform used (an export holds at least a header row)"
    )]
    Empty { file: String },
    #[error("{file}: this is {what}")]
    Binary { file: String, what: String },
    #[error(
        "{file}: {size} bytes is over the upload limit of {limit} bytes; export the one meeting's report, or split the file by meeting"
    )]
    TooLarge { file: String, size: usize, limit: usize },
    #[error(
        "{file}: {rows} rows is over this server's limit of {limit} rows per import \
         (ATTEST_MAX_IMPORT_ROWS): split the export, or ask the operator to raise the limit"
    )]
    TooManyRows { file: String, rows: usize, limit: usize },
    #[error(
        "{file}: not a UTF-16 text file (bad byte sequence); open it in a spreadsheet and save it again as CSV (UTF-8), or download it again"
    )]
    BadEncoding { file: String },
    #[error(
        "{file}: not a recognised attendance export: no header row with a participant name and join time, \
         total duration, registration or event columns in the first {scanned} rows (first row: \"{first_row}\"), \
         and no table with a join and a leave date-time on each row. Next step: export the participants report \
         with join and leave times (as CSV, or as the .xlsx saved as CSV); if the file has them in a layout \
         attest does not know, name its columns with --columns name=N,email=N,join=N,leave=N"
    )]
    UnknownFormat { file: String, scanned: usize, first_row: String },
    #[error(
        "{file}: cannot tell whether dates are month/day or day/month: every date in the file, e.g. \"{example}\", \
         reads both ways; import again with --date-order mdy or --date-order dmy"
    )]
    DateOrderUndecided { file: String, example: String },
    #[error(
        "{file}: dates contradict each other: \"{mdy_example}\" is month/day but \"{dmy_example}\" is day/month; \
         the file may have been edited by hand: import again with --date-order mdy or dmy (the order of most rows) and check the report"
    )]
    DateOrderContradictory { file: String, mdy_example: String, dmy_example: String },
    #[error("{file}: the file holds {} meetings; choose one with --meeting ID: {}", .meetings.len(), .meetings.join("; "))]
    WhichMeeting { file: String, meetings: Vec<String> },
    #[error("{file}: no meeting with ID \"{wanted}\" in the file (it has: {}); import again with --meeting and one of those IDs", .meetings.join("; "))]
    NoSuchMeeting { file: String, wanted: String, meetings: Vec<String> },
    #[error(
        "{file}: {} row(s) cannot be read:\n  {}\n  Next step: correct these cells in the file and import it again, or import \
         with --skip-bad-rows to import the other rows and keep these as errors in the report",
        .errors.len(),
        .errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n  ")
    )]
    Rows { file: String, errors: Vec<RowError> },
    #[error("{}", needs_mapping_message(.file, .inference))]
    NeedsMapping { file: String, inference: Box<mapping::Inference> },
    #[error(
        "{file}: the rows hold times of day without a date, and the date is neither in the file name \
         (Google names it \"YYYY-MM-DD HH-MM <meeting> - Attendance Report.csv\") nor given; \
         import again with --date YYYY-MM-DD (the day of the meeting)"
    )]
    NeedsDate { file: String },
    #[error(
        "{file}: the column mapping cannot be used: {why}; name the columns again with --columns \
         name=N,email=N,join=N,leave=N (numbers from 1, or header texts), or see what attest infers with --dry-run"
    )]
    BadMapping { file: String, why: String },
}

fn needs_mapping_message(file: &str, inf: &mapping::Inference) -> String {
    let what = match inf.header_line {
        Some(l) => format!("its header row (line {l}) is not one attest knows"),
        None => "its table has no header row".to_owned(),
    };
    let next = if inf.complete() {
        format!(
            "check the columns below; if they are right, import again with --accept-inferred \
             (or --columns {}); if not, name them with --columns name=N,email=N,join=N,leave=N (numbers from 1, or header texts)",
            inf.as_columns_arg()
        )
    } else {
        let missing: Vec<&str> = inf.missing.iter().map(|f| f.as_str()).collect();
        format!(
            "{}name the columns with --columns name=N,email=N,join=N,leave=N (numbers from 1, or header texts); \
             a mapping confirmed once is remembered for files with the same header row",
            if missing.is_empty() {
                String::new()
            } else {
                format!("no column was found for {}; ", missing.join(", "))
            }
        )
    };
    format!(
        "{file}: {what}, and the columns were inferred from the cells; nothing was imported. Next step: {next}.\n{}",
        inf.describe()
    )
}

/// How a stored row of the file was understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    /// Report title, meeting summary, section title: context, not attendance.
    Meta,
    Header,
    /// Became a connection.
    Data,
    /// Read but deliberately not used; the note says why.
    Skipped,
    /// Could not be read; the note says where and why.
    Error,
}

impl RowKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RowKind::Meta => "meta",
            RowKind::Header => "header",
            RowKind::Data => "data",
            RowKind::Skipped => "skipped",
            RowKind::Error => "error",
        }
    }
}

/// One non-blank row of the file, as stored.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: usize,
    pub section: Option<String>,
    pub kind: RowKind,
    /// Line of the header row that names this row's cells.
    pub header_line: Option<usize>,
    /// The original cells (control characters dropped), as the reader returned them.
    pub fields: csv::StringRecord,
    pub note: Option<String>,
}

/// One connection (or registration) of one person, ready for the attendance decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    /// Index into [`ParsedExport::rows`].
    pub row: usize,
    pub line: usize,
    pub role: Role,
    pub kind: ConnectionKind,
    pub name: String,
    pub email: Option<String>,
    pub reg_first_name: Option<String>,
    pub reg_last_name: Option<String>,
    pub reg_email: Option<String>,
    pub join: Option<DateTime<Utc>>,
    pub leave: Option<DateTime<Utc>>,
    pub total_seconds: Option<i64>,
    pub waiting_room: bool,
    /// Set when a person must look at the row (an ambiguous DST time).
    pub review: Option<String>,
}

/// The meeting or webinar the file describes, from its header block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingInfo {
    pub id: Option<String>,
    pub topic: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub host_email: Option<String>,
    pub host_name: Option<String>,
}

/// Everything learnt from one file.
#[derive(Debug, Clone)]
pub struct ParsedExport {
    pub format: Format,
    /// Which variant of the family, in words (for the import report).
    pub variant: String,
    pub encoding: &'static str,
    /// Why that encoding, in a sentence (a BOM, every byte UTF-8, a legacy fallback).
    pub encoding_why: String,
    pub delimiter: char,
    pub date_order: Option<DateOrder>,
    pub meeting: MeetingInfo,
    pub rows: Vec<RawRow>,
    /// Rows of the file not in `rows`: blank, or of empty cells only.
    pub blank_rows: usize,
    pub connections: Vec<Connection>,
    /// Rows that could not be read (also marked in `rows`); empty unless `skip_bad_rows`.
    pub errors: Vec<RowError>,
    pub warnings: Vec<String>,
    /// Teams sectioned reports: how the file's `Presenter` role reads (a presenter's connection
    /// is stored as a panelist's; the reading is applied when decisions are made). `None` for
    /// the families that have no such role.
    pub presenters: Option<PresenterReading>,
    /// A file read through a column mapping: its header key and the mapping, so that a
    /// confirmed mapping can be remembered.
    pub mapping: Option<AppliedMapping>,
    /// Which reading of the file was used (for a workbook: which sheet).
    pub reading: Option<usize>,
}

/// The mapping a file was read through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMapping {
    pub header_key: String,
    pub mapping: mapping::Mapping,
    /// `confirmed` (--columns), `accepted` (an inference accepted), `remembered`.
    pub source: &'static str,
}

/// A cell of a record: `(record index, column position)`.
pub type CellRef = (usize, usize);

/// A connection whose dates are still text.
#[derive(Debug, Clone)]
pub struct Draft {
    pub record: usize,
    pub role: Role,
    pub kind: ConnectionKind,
    pub name: String,
    pub email: Option<String>,
    pub reg_first_name: Option<String>,
    pub reg_last_name: Option<String>,
    pub reg_email: Option<String>,
    pub join: Option<CellRef>,
    pub leave: Option<CellRef>,
    /// Seconds the row says it lasted, as a range (Zoom rounds up to the minute).
    pub duration_s: Option<(i64, i64)>,
    pub total_seconds: Option<i64>,
    pub waiting_room: bool,
    /// Times without a date take the date of the meeting header (Dashboard export).
    pub time_only: bool,
    /// Active Hosts files: which meeting the row belongs to.
    pub group: Option<String>,
    /// Event logs: a join never followed by a leave ends at the latest event of the log, which
    /// is only known once every date of the file is read (the logs are grouped by person, so
    /// the last line is not the last event).
    pub leave_at_last_event: bool,
    /// Something a person should look at about this connection, set by the family's parser
    /// (an event log's join that was never left, counted until the next join).
    pub review: Option<String>,
}

impl Draft {
    pub fn new(record: usize, role: Role, kind: ConnectionKind, name: String) -> Self {
        Draft {
            record,
            role,
            kind,
            name,
            email: None,
            reg_first_name: None,
            reg_last_name: None,
            reg_email: None,
            join: None,
            leave: None,
            duration_s: None,
            total_seconds: None,
            waiting_room: false,
            time_only: false,
            group: None,
            leave_at_last_event: false,
            review: None,
        }
    }
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
    /// See [`ParsedExport::presenters`].
    pub presenters: Option<PresenterReading>,
    /// Event logs: joins and leaves, paired once every date is read ([`teams::pair_events`]),
    /// because the order of the file is not the order of time.
    pub log_events: Vec<teams::LogEvent>,
    /// Date cells already read, sorted by cell, so that each is parsed once.
    stamps: Vec<(CellRef, Stamp)>,
    /// How a file of unknown headers is read.
    pub plan: Option<mapping::Plan>,
}

impl Ctx {
    fn new(file: &str, records: Vec<Record>) -> Self {
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
            plan: None,
        }
    }

    /// The local time of a date cell, in the file's day/month order, or why it has none (a
    /// cell `place_dates` could not read, whose row holds the error already, or a date no
    /// export can hold, such as an implausible year).
    pub fn naive_at(&self, cell: CellRef, order: Option<DateOrder>) -> Result<chrono::NaiveDateTime, String> {
        match self.stamps.binary_search_by_key(&cell, |(c, _)| *c) {
            Ok(i) => self.stamps[i].1.resolve(order, self.meetings_base),
            Err(_) => Err("cannot read as a date".into()),
        }
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

    /// Reads the meeting block whose header row is `header` and value row is `values`.
    pub fn meeting_block(&mut self, header: usize, values: usize) -> MeetingDraft {
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

/// A cell value with Zoom's `--` ("no value") and blanks mapped to `None`.
pub fn value(r: &Record, pos: Option<usize>) -> Option<String> {
    let v = r.cell(pos?);
    (!v.is_empty() && v != "--" && v != "-").then(|| v.to_owned())
}

/// Yes/No cells in the languages of [`headers::ALIASES`].
pub fn yes(v: &str) -> bool {
    // Plain ASCII words (almost every cell) need no NFKC normalisation, the slow part of
    // `normalise`, which ran once per row for the waiting-room column.
    if v.bytes().all(|b| b.is_ascii_alphabetic()) {
        return ["yes", "y", "oui", "si", "ja", "true", "sim"].iter().any(|w| v.eq_ignore_ascii_case(w));
    }
    matches!(headers::normalise(v).as_str(), "yes" | "y" | "oui" | "sí" | "si" | "ja" | "true" | "sim" | "はい" | "예")
}

/// A Zoom duration in minutes is the ceiling of the interval: allow a minute of slack for
/// Excel re-saves that dropped the seconds.
pub fn minutes_range(m: i64) -> (i64, i64) {
    ((m - 2) * 60, m * 60 + 60)
}

/// Teams durations: `1h 2m 3s`, `13m 22s`, `59s`, and localized `1 h 40 min`.
pub fn parse_hms(s: &str) -> Option<i64> {
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
        // An abbreviation's dot (`2 godz. 18 min`).
        rest = rest[letters..].strip_prefix('.').unwrap_or(&rest[letters..]).trim_start();
        any = true;
    }
    any.then_some(total)
}

/// Parses an export. `skip_bad_rows` decides what a row that cannot be read does: refuse the
/// file (the default: the caller reports every bad row and stores nothing) or keep it stored as
/// an error row and import the rest.
pub fn parse(file: &str, bytes: &[u8], opts: &ImportOptions, skip_bad_rows: bool) -> Result<ParsedExport, ImportError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImportError::TooLarge { file: file.into(), size: bytes.len(), limit: MAX_UPLOAD_BYTES });
    }
    if workbook::looks_like(bytes) {
        if let Ok(sheets) = workbook::sheets(bytes) {
            let (names, readings): (Vec<String>, Vec<Reading>) = sheets
                .into_iter()
                .map(|(name, records)| {
                    let why = "a workbook: its cells read as the spreadsheet typed them";
                    let reading = Reading {
                        encoding: workbook::kind(bytes),
                        why,
                        damaged: &[],
                        delim: ',',
                        text: None,
                        records: Some(records),
                    };
                    (name, reading)
                })
                .unzip();
            let n = names.len();
            let mut p = parse_records(file, readings, opts, skip_bad_rows)?;
            if let Some(k) = p.reading.filter(|_| n > 1) {
                p.warnings.push(format!("read from sheet \"{}\" ({} of {n})", names[k], k + 1));
            }
            return Ok(p);
        }
    }
    let candidates = text::decode(bytes).map_err(|p| match p {
        text::TextProblem::Empty => ImportError::Empty { file: file.into() },
        text::TextProblem::Binary(what) => ImportError::Binary { file: file.into(), what: what.into() },
        text::TextProblem::BadUtf16 => ImportError::BadEncoding { file: file.into() },
    })?;
    // Every plausible reading (decoding × delimiter), split lazily: the first in which a known
    // header is found wins.
    let mut sets = Vec::new();
    for decoded in &candidates {
        for delim in text::delimiter_candidates(&decoded.text) {
            sets.push(Reading {
                encoding: decoded.encoding,
                why: &decoded.why,
                damaged: &decoded.damaged_lines,
                delim: delim as char,
                text: Some(&decoded.text),
                records: None,
            });
        }
    }
    parse_records(file, sets, opts, skip_bad_rows)
}

/// How a file's bytes were read: what the import report says of them.
#[derive(Debug, Clone)]
pub struct ReadAs {
    pub encoding: &'static str,
    pub why: String,
    /// Lines whose bytes were not of the encoding (replaced by U+FFFD).
    pub damaged_lines: Vec<usize>,
    pub delimiter: char,
}

/// One way of reading a file: a decoding and a delimiter of a text, split into rows only when
/// needed (detection reads the first rows; the full split happens once), or a workbook's rows.
struct Reading<'a> {
    encoding: &'static str,
    /// Why that encoding, and the lines whose bytes were not (see [`text::Decoded`]).
    why: &'a str,
    damaged: &'a [usize],
    delim: char,
    text: Option<&'a str>,
    records: Option<Vec<Record>>,
}

impl Reading<'_> {
    fn head(&self) -> std::borrow::Cow<'_, [Record]> {
        match (&self.records, self.text) {
            (Some(r), _) => std::borrow::Cow::Borrowed(&r[..r.len().min(DETECT_ROWS)]),
            (None, Some(t)) => std::borrow::Cow::Owned(text::records(t, self.delim as u8, Some(DETECT_ROWS))),
            (None, None) => std::borrow::Cow::Owned(Vec::new()),
        }
    }

    /// How this reading took the bytes, for the report.
    fn read_as(&self) -> ReadAs {
        ReadAs {
            encoding: self.encoding,
            why: self.why.to_owned(),
            damaged_lines: self.damaged.to_vec(),
            delimiter: self.delim,
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
fn parse_records(
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
                format_of = Some((k, format));
                break;
            }
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
        let reading = sets.into_iter().nth(k).expect("index from the same list");
        let read = reading.read_as();
        let mut p = finish(file, format, reading.into_records(), read, opts, skip_bad_rows, None)?;
        p.reading = Some(k);
        return Ok(p);
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

const DETECT_ROWS: usize = 200;

/// The first reading in which a table of date-times is found.
fn locate_table(sets: Vec<Reading>) -> Option<(usize, ReadAs, Vec<Record>, mapping::Table)> {
    sets.into_iter().enumerate().find_map(|(k, reading)| {
        let read = reading.read_as();
        let records = reading.into_records();
        let t = mapping::locate(&records)?;
        Some((k, read, records, t))
    })
}

/// `--columns`: the table is read through the columns staff named.
fn parse_mapped(
    file: &str,
    sets: Vec<Reading>,
    opts: &ImportOptions,
    skip_bad_rows: bool,
) -> Result<ParsedExport, ImportError> {
    let spec = opts.columns.as_deref().unwrap_or_default();
    let Some((k, read, records, table)) = locate_table(sets) else {
        return Err(ImportError::BadMapping {
            file: file.into(),
            why: "no table with date-times was found in the file (a row with two date-times is needed to start it)"
                .into(),
        });
    };
    let width =
        records[table.first..table.end].iter().map(|r| r.fields.len()).max().unwrap_or(0).max(table.header_cells.len());
    let mapping =
        mapping::resolve(spec, &table, width).map_err(|why| ImportError::BadMapping { file: file.into(), why })?;
    let plan = mapping::Plan { table, mapping, source: "confirmed" };
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
    let (k, read, records, table) = locate_table(sets)?;
    let key = mapping::header_key(&table.header_cells);
    let at = |r: Result<ParsedExport, ImportError>| {
        r.map(|mut p| {
            p.reading = Some(k);
            p
        })
    };
    if table.header.is_some() {
        if let Some((_, m)) = opts.known_mappings.iter().find(|(k, _)| *k == key) {
            let plan = mapping::Plan { table, mapping: m.clone(), source: "remembered" };
            return Some(at(finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan))));
        }
    }
    let inference = mapping::infer(&records, &table);
    if opts.accept_inferred && inference.complete() {
        let plan = mapping::Plan { table, mapping: inference.mapping, source: "accepted" };
        return Some(at(finish(file, Format::Mapped, records, read, opts, skip_bad_rows, Some(plan))));
    }
    Some(Err(ImportError::NeedsMapping { file: file.into(), inference: Box::new(inference) }))
}

/// Which family a file belongs to, from its header rows.
fn detect(records: &[Record]) -> Option<Format> {
    for r in records {
        let h = HeaderMap::new(&r.fields);
        let named = h.has(Col::Name) || (h.has(Col::FirstName) && h.has(Col::LastName));
        if !named {
            continue;
        }
        let format = if google_meet::is_header(&h) {
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

fn finish(
    file: &str,
    format: Format,
    records: Vec<Record>,
    read: ReadAs,
    opts: &ImportOptions,
    skip_bad_rows: bool,
    plan: Option<mapping::Plan>,
) -> Result<ParsedExport, ImportError> {
    if opts.max_rows.is_some_and(|max| records.len() > max) {
        return Err(ImportError::TooManyRows {
            file: file.into(),
            rows: records.len(),
            limit: opts.max_rows.unwrap_or_default(),
        });
    }
    let (encoding, delimiter) = (read.encoding, read.delimiter);
    let mut ctx = Ctx::new(file, records);
    let applied = plan.as_ref().map(|p| AppliedMapping {
        header_key: mapping::header_key(&p.table.header_cells),
        mapping: p.mapping.clone(),
        source: p.source,
    });
    match format {
        Format::ZoomMeetingParticipants | Format::ZoomUniqueUsers | Format::ZoomActiveHosts | Format::ZoomDashboard => {
            zoom_meeting::parse(&mut ctx, format)
        }
        Format::ZoomWebinarAttendees | Format::ZoomWebinarRegistrations => zoom_webinar::parse(&mut ctx, format),
        Format::TeamsAttendanceReport | Format::TeamsEventLog | Format::TeamsLiveEvent => {
            teams::parse(&mut ctx, format)
        }
        Format::GoogleMeetAttendance => google_meet::parse(&mut ctx),
        Format::Mapped => {
            if let Some(p) = &plan {
                mapping::parse(&mut ctx, p);
            }
        }
    }
    // Detection and the family's parser disagreeing would import nothing without a word.
    if format != Format::Mapped && !ctx.info.iter().any(|r| r.kind == RowKind::Header) {
        let first_row =
            ctx.records.iter().find(|r| !r.is_blank()).map(|r| r.fields.iter().collect::<Vec<_>>().join(","));
        return Err(ImportError::UnknownFormat {
            file: file.into(),
            scanned: DETECT_ROWS,
            first_row: first_row.unwrap_or_default().chars().take(80).collect(),
        });
    }
    // The reader runs to the end of input inside an unclosed quote: the last row is damaged, and
    // whatever else was found wrong with it follows from that.
    if let Some(last) = ctx.records.len().checked_sub(1).filter(|&i| ctx.records[i].unterminated_quote) {
        let line = ctx.records[last].line;
        ctx.drafts.retain(|d| d.record != last);
        ctx.log_events.retain(|e| e.record != last);
        ctx.errors.retain(|e| e.line != line);
        let value: String = ctx.records[last].fields.iter().collect::<Vec<_>>().join(",").chars().take(60).collect();
        ctx.row_error(last, "(row)", &value, "a quoted field is never closed: the file looks truncated");
    }
    damaged_text(&mut ctx, &read.damaged_lines, skip_bad_rows);
    let utc_opts;
    let opts = if format == Format::TeamsLiveEvent {
        utc_opts = ImportOptions { tz: chrono_tz::UTC, ..opts.clone() };
        &utc_opts
    } else {
        opts
    };
    let date_order = place_dates(&mut ctx, opts)?;
    let meeting = choose_meeting(&mut ctx, opts, date_order)?;
    if format == Format::Mapped && ctx.meetings_base.is_none() {
        // A mapped table of times of day (GoTo Meeting's list): the day staff gave.
        ctx.meetings_base = opts.meeting_date;
    }
    if format == Format::GoogleMeetAttendance {
        let date = opts.meeting_date.or_else(|| google_meet::date_from_file_name(file));
        let Some(date) = date else { return Err(ImportError::NeedsDate { file: file.into() }) };
        ctx.meetings_base = Some(date);
    }
    if !ctx.log_events.is_empty() {
        teams::pair_events(&mut ctx, date_order, format);
    }
    let connections = build_connections(&mut ctx, date_order, opts, &meeting);
    if !ctx.errors.is_empty() && !skip_bad_rows {
        ctx.errors.sort_by_key(|e| e.line);
        return Err(ImportError::Rows { file: file.into(), errors: ctx.errors });
    }
    // Blank rows are not stored (the original bytes keep them): renumber what points into rows.
    let blank: Vec<bool> = ctx.records.iter().map(|r| r.is_blank()).collect();
    let mut index = Vec::with_capacity(blank.len());
    let mut n = 0;
    for b in &blank {
        index.push(n);
        if !b {
            n += 1;
        }
    }
    let blank_rows = blank.iter().filter(|&&b| b).count();
    // Every stored row says what it is: context rows too, so none reads as a row lost.
    for i in ctx.info.iter_mut().filter(|i| i.kind == RowKind::Meta && i.note.is_none()) {
        i.note = Some(match &i.section {
            Some(_) => "context: a section title or a line of the report's summary, not attendance".into(),
            None => "context above the table: a title or the meeting's summary, not attendance".into(),
        });
    }
    // Freed before the rows are built: the dates have been read.
    ctx.stamps = Vec::new();
    // The records are done with: their cells move into the rows, one copy of every cell.
    let rows = ctx
        .info
        .into_iter()
        .zip(std::mem::take(&mut ctx.records))
        .zip(blank)
        .filter(|(_, b)| !b)
        .map(|((mut i, r), _)| {
            i.fields = r.fields;
            i
        })
        .collect::<Vec<_>>();
    let connections = connections.into_iter().map(|mut c| {
        c.row = index[c.row];
        c
    });
    Ok(ParsedExport {
        format,
        variant: ctx.variant,
        encoding,
        encoding_why: read.why,
        delimiter,
        date_order,
        meeting,
        rows,
        blank_rows,
        connections: connections.collect(),
        errors: ctx.errors,
        warnings: ctx.warnings,
        presenters: ctx.presenters,
        mapping: applied,
        reading: None,
    })
}

/// Rows holding bytes that are not UTF-8 in a UTF-8 file (replaced by U+FFFD): a data row's
/// name would print as "Ż�aneta" on a certificate, so by default the row is a located error; with
/// `skip_bad_rows` (the import goes on) it is imported as read, and a warning names it.
fn damaged_text(ctx: &mut Ctx, lines: &[usize], skip_bad_rows: bool) {
    if lines.is_empty() {
        return;
    }
    let mut warned = Vec::new();
    for rec in 0..ctx.records.len() {
        let first = ctx.records[rec].line;
        let next = ctx.records.get(rec + 1).map_or(usize::MAX, |r| r.line);
        if !lines.iter().any(|&l| l >= first && l < next) {
            continue;
        }
        let data = ctx.info[rec].kind == RowKind::Data;
        if data && !skip_bad_rows {
            let pos = (0..ctx.records[rec].fields.len())
                .find(|&p| ctx.records[rec].cell(p).contains('\u{FFFD}'))
                .unwrap_or(0);
            let col = header_label(ctx, rec, pos);
            let v = ctx.records[rec].cell(pos).to_owned();
            ctx.row_error(
                rec,
                &col,
                &v,
                "bytes that are not UTF-8 in a UTF-8 file (shown as \u{FFFD}): correct the cell in the file, \
                 or import with --skip-bad-rows to import it as shown",
            );
        } else {
            warned.push(first);
        }
    }
    if !warned.is_empty() {
        ctx.warnings.push(format!(
            "line(s) {} hold bytes that are not UTF-8, shown as \u{FFFD}: check the names on them",
            text::list_lines(&warned)
        ));
    }
}

/// Reads every date cell, decides the file's day/month order once, and reports cells that no
/// order can read.
fn place_dates(ctx: &mut Ctx, opts: &ImportOptions) -> Result<Option<DateOrder>, ImportError> {
    let mut cells: Vec<CellRef> = Vec::with_capacity(2 * ctx.drafts.len());
    for d in &ctx.drafts {
        cells.extend(d.join);
        cells.extend(d.leave);
    }
    for m in &ctx.meetings {
        cells.extend(m.start);
        cells.extend(m.end);
    }
    cells.extend(ctx.other_dates.iter().copied());
    let mut bad = Vec::new();
    // Sized once: regrowing a 100,000-row file's stamps copied and faulted in megabytes.
    ctx.stamps.reserve(cells.len());
    for (rec, pos) in cells {
        let text = ctx.records[rec].cell(pos);
        if text.is_empty() || text == "--" {
            continue;
        }
        match Stamp::parse(text) {
            Ok(st) => ctx.stamps.push(((rec, pos), st)),
            Err(why) => bad.push((rec, pos, text.to_owned(), why)),
        }
    }
    for (rec, pos, text, why) in bad {
        let col = header_label(ctx, rec, pos);
        ctx.row_error(rec, &col, &text, format!("cannot read as a date ({why})"));
    }
    // Cells arrive in row order except the few meeting cells appended last: the stable sort
    // finds that one long run and merges the rest in linear time (the unstable sort
    // quicksorted the whole of it, a tenth of a 100,000-row import). Lookups are then binary
    // searches.
    ctx.stamps.sort_by_key(|(c, _)| *c);
    ctx.stamps.dedup_by_key(|(c, _)| *c);
    let verdict = dates::decide_order(ctx.stamps.iter().map(|(c, st)| (ctx.records[c.0].cell(c.1), st)));
    match (verdict, opts.date_order) {
        (_, Some(o)) => Ok(Some(o)),
        (OrderVerdict::NotNeeded, None) => Ok(None),
        (OrderVerdict::Decided(o), None) => Ok(Some(o)),
        (OrderVerdict::Undecided { example }, None) => {
            Err(ImportError::DateOrderUndecided { file: ctx.file.clone(), example })
        }
        (OrderVerdict::Contradictory { mdy_example, dmy_example }, None) => {
            Err(ImportError::DateOrderContradictory { file: ctx.file.clone(), mdy_example, dmy_example })
        }
    }
}

/// The header text of a cell, for messages.
fn header_label(ctx: &Ctx, rec: usize, pos: usize) -> String {
    ctx.info[rec]
        .header_line
        .and_then(|line| ctx.records.iter().find(|r| r.line == line))
        .and_then(|h| h.fields.get(pos))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("column {}", pos + 1))
}

fn read_local(
    ctx: &Ctx,
    cell: CellRef,
    order: Option<DateOrder>,
    base: Option<NaiveDate>,
    tz: Tz,
) -> Result<Local, String> {
    let st = match ctx.stamps.binary_search_by_key(&cell, |(c, _)| *c) {
        Ok(i) => ctx.stamps[i].1,
        Err(_) => Stamp::parse(ctx.records[cell.0].cell(cell.1))?,
    };
    dates::place(&st, order, base, tz)
}

/// Places a meeting's start and end; returns the local start date too (time-only rows use it).
fn place_meeting(
    ctx: &mut Ctx,
    m: &MeetingDraft,
    order: Option<DateOrder>,
    tz: Tz,
) -> (MeetingInfo, Option<NaiveDate>) {
    let mut info = MeetingInfo {
        id: m.id.clone(),
        topic: m.topic.clone(),
        host_email: m.host_email.clone(),
        host_name: m.host_name.clone(),
        ..Default::default()
    };
    let mut base = None;
    let start = m.start.and_then(|c| {
        let st = Stamp::parse(ctx.records[c.0].cell(c.1)).ok()?;
        base = st.resolve(order, None).ok().map(|n| n.date());
        match read_local(ctx, c, order, None, tz) {
            Ok(l) => Some(l),
            Err(why) => {
                let col = header_label(ctx, c.0, c.1);
                let v = ctx.records[c.0].cell(c.1).to_owned();
                ctx.row_error(c.0, &col, &v, why);
                None
            }
        }
    });
    let end = m.end.and_then(|c| {
        let st = Stamp::parse(ctx.records[c.0].cell(c.1)).ok()?;
        let mut naive = st.resolve(order, base).ok()?;
        // A time-only end earlier than the start is past midnight.
        if !st.has_date() {
            if let Some(s) = start {
                if dates::localize(naive, tz).ok()?.earliest() < s.earliest() {
                    naive += chrono::Duration::days(1);
                }
            }
        }
        dates::localize(naive, tz).ok()
    });
    let dur = m.duration_min.map(minutes_range);
    match (start, end) {
        (Some(s), Some(e)) => {
            if let Ok(iv) = dates::resolve_interval(s, e, dur) {
                info.start = Some(iv.join);
                info.end = Some(iv.leave);
            }
        }
        (Some(s), None) => {
            info.start = Some(s.earliest());
            info.end = m.duration_min.map(|d| s.earliest() + chrono::Duration::minutes(d));
        }
        _ => {}
    }
    (info, base)
}

/// Active Hosts files hold several meetings: keep the one the event is about.
fn choose_meeting(ctx: &mut Ctx, opts: &ImportOptions, order: Option<DateOrder>) -> Result<MeetingInfo, ImportError> {
    let drafts = std::mem::take(&mut ctx.meetings);
    let placed: Vec<(MeetingDraft, MeetingInfo, Option<NaiveDate>)> = drafts
        .into_iter()
        .map(|m| {
            let (info, base) = place_meeting(ctx, &m, order, opts.tz);
            (m, info, base)
        })
        .collect();
    let describe = |m: &MeetingInfo| {
        format!(
            "{} \"{}\" {}",
            m.id.as_deref().unwrap_or("?"),
            m.topic.as_deref().unwrap_or(""),
            m.start.map(|s| s.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
        )
    };
    if placed.len() <= 1 {
        let (info, base) = placed.into_iter().next().map_or((MeetingInfo::default(), None), |(_, i, b)| (i, b));
        ctx.meetings_base = base;
        return Ok(info);
    }
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
    let same_id =
        |a: &MeetingInfo, b: &MeetingInfo| a.id.is_some() && a.id.as_deref().map(squash) == b.id.as_deref().map(squash);
    let overlap = |m: &MeetingInfo| match (m.start, m.end, opts.event_window) {
        (Some(s), Some(e), Some((ws, we))) => (e.min(we) - s.max(ws)).num_seconds().max(0),
        _ => 0,
    };
    let pick = if let Some(want) = &opts.meeting {
        let with_id: Vec<usize> =
            (0..placed.len()).filter(|&i| placed[i].1.id.as_deref().map(squash) == Some(squash(want))).collect();
        if with_id.is_empty() {
            return Err(ImportError::NoSuchMeeting {
                file: ctx.file.clone(),
                wanted: want.clone(),
                meetings: placed.iter().map(|(_, m, _)| describe(m)).collect(),
            });
        }
        // A recurring meeting keeps its ID: the instance the event's window covers most.
        with_id.iter().copied().max_by_key(|&i| (overlap(&placed[i].1), std::cmp::Reverse(i)))
    } else if opts.event_window.is_some() {
        let best = placed.iter().map(|(_, m, _)| overlap(m)).max().unwrap_or(0);
        let hits: Vec<usize> = (0..placed.len()).filter(|&i| best > 0 && overlap(&placed[i].1) == best).collect();
        (hits.len() == 1).then(|| hits[0])
    } else {
        None
    };
    let pick = pick.or_else(|| {
        let title = opts.event_title.as_deref().map(headers::normalise)?;
        let hits: Vec<usize> = (0..placed.len())
            .filter(|&i| placed[i].1.topic.as_deref().map(headers::normalise) == Some(title.clone()))
            .collect();
        (hits.len() == 1).then(|| hits[0])
    });
    let Some(pick) = pick else {
        return Err(ImportError::WhichMeeting {
            file: ctx.file.clone(),
            meetings: placed.iter().map(|(_, m, _)| describe(m)).collect(),
        });
    };
    // When the host's connection drops, Zoom opens a new instance with the same ID: every
    // instance of the chosen ID inside the event's window is the same session.
    let chosen: Vec<usize> = (0..placed.len())
        .filter(|&i| i == pick || (same_id(&placed[i].1, &placed[pick].1) && overlap(&placed[i].1) > 0))
        .collect();
    let groups: Vec<Option<String>> = chosen.iter().map(|&i| placed[i].0.group.clone()).collect();
    let label = chosen.iter().map(|&i| describe(&placed[i].1)).collect::<Vec<_>>().join("; ");
    let others: Vec<usize> = ctx.drafts.iter().filter(|d| !groups.contains(&d.group)).map(|d| d.record).collect();
    // Rows of the other meetings, errors included, do not concern this import.
    let other_lines: std::collections::HashSet<usize> = others.iter().map(|&r| ctx.records[r].line).collect();
    ctx.errors.retain(|e| !other_lines.contains(&e.line));
    for rec in others {
        ctx.skip(rec, format!("belongs to another meeting than the one imported ({label})"));
    }
    ctx.drafts.retain(|d| groups.contains(&d.group));
    let mut info = placed[pick].1.clone();
    for &i in &chosen {
        let m = &placed[i].1;
        info.start = [info.start, m.start].into_iter().flatten().min();
        info.end = [info.end, m.end].into_iter().flatten().max();
    }
    ctx.meetings_base = placed[pick].2;
    Ok(info)
}

fn build_connections(
    ctx: &mut Ctx,
    order: Option<DateOrder>,
    opts: &ImportOptions,
    meeting: &MeetingInfo,
) -> Vec<Connection> {
    let drafts = std::mem::take(&mut ctx.drafts);
    let base = ctx.meetings_base;
    let tz = opts.tz;
    let last_event = if drafts.iter().any(|d| d.leave_at_last_event) { latest_cell(ctx, order, base) } else { None };
    // Connections are built in the drafts' own memory (a connection is smaller than a draft,
    // and `filter_map` over `into_iter` collects in place): a 100,000-row file held both, 45 MB.
    drafts
        .into_iter()
        .filter_map(|mut d| {
            if ctx.info[d.record].kind == RowKind::Error {
                return None;
            }
            if d.leave_at_last_event {
                d.leave = last_event;
            }
            let (mut join, mut leave, mut review) = (None, None, d.review.take());
            if let (Some(jc), Some(lc)) = (d.join, d.leave) {
                let j = read_time(ctx, jc, order, base, tz, meeting.start, d.time_only);
                let l = read_time(ctx, lc, order, base, tz, None, d.time_only);
                let (Some(j), Some(mut l)) = (j, l) else { return None };
                if d.time_only && l.earliest() < j.earliest() {
                    // Leave after midnight.
                    l = shift_day(l);
                }
                match dates::resolve_interval(j, l, d.duration_s) {
                    Ok(iv) => {
                        join = Some(iv.join);
                        leave = Some(iv.leave);
                        review = match (iv.review, review) {
                            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                            (a, b) => a.or(b),
                        };
                    }
                    Err(why) => {
                        let col = header_label(ctx, lc.0, lc.1);
                        let v = ctx.records[lc.0].cell(lc.1).to_owned();
                        ctx.row_error(d.record, &col, &v, why);
                        return None;
                    }
                }
            }
            ctx.info[d.record].kind = RowKind::Data;
            Some(Connection {
                row: d.record,
                line: ctx.records[d.record].line,
                role: d.role,
                kind: d.kind,
                name: d.name,
                email: d.email,
                reg_first_name: d.reg_first_name,
                reg_last_name: d.reg_last_name,
                reg_email: d.reg_email,
                join,
                leave,
                total_seconds: d.total_seconds,
                waiting_room: d.waiting_room,
                review,
            })
        })
        .collect()
}

/// The date cell of the file holding the latest time, read in the file's order.
fn latest_cell(ctx: &Ctx, order: Option<DateOrder>, base: Option<NaiveDate>) -> Option<CellRef> {
    ctx.stamps
        .iter()
        .filter_map(|(cell, st)| Some((st.resolve(order, base).ok()?, *cell)))
        .max_by_key(|(t, cell)| (*t, std::cmp::Reverse(*cell)))
        .map(|(_, cell)| cell)
}

fn shift_day(l: Local) -> Local {
    match l {
        Local::Single(t) => Local::Single(t + chrono::Duration::days(1)),
        Local::Ambiguous(a, b) => Local::Ambiguous(a + chrono::Duration::days(1), b + chrono::Duration::days(1)),
    }
}

/// Reads one time cell; a time-only cell far before the meeting start is on the next day.
fn read_time(
    ctx: &mut Ctx,
    cell: CellRef,
    order: Option<DateOrder>,
    base: Option<NaiveDate>,
    tz: Tz,
    start: Option<DateTime<Utc>>,
    time_only: bool,
) -> Option<Local> {
    match read_local(ctx, cell, order, base, tz) {
        Ok(mut l) => {
            if time_only {
                if let Some(s) = start {
                    if l.earliest() < s - chrono::Duration::hours(1) {
                        l = shift_day(l);
                    }
                }
            }
            Some(l)
        }
        Err(why) => {
            let col = header_label(ctx, cell.0, cell.1);
            let v = ctx.records[cell.0].cell(cell.1).to_owned();
            if ctx.info[cell.0].kind != RowKind::Error {
                ctx.row_error(cell.0, &col, &v, why);
            }
            None
        }
    }
}
