//! What an import is told and what it returns: the families ([`Format`]), the options the
//! caller knows ([`ImportOptions`]), and the parsed file ([`ParsedExport`]: its stored rows, its
//! connections and how it was read).
//!
//! Types only, shared by the readers and by `store::imports`, which writes a [`ParsedExport`]
//! as is. No parsing here; the working state of a parse is [`Ctx`](super::Ctx).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::dates::DateOrder;
use super::{RowError, mapping};
use crate::attendance;

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
    /// Webex Meetings and Webex Events attendance reports.
    Webex,
    /// GoTo Webinar attendee report (sections, summary block with the zone).
    GoToWebinar,
    /// GoTo Meeting attendee list (a workbook; times of day, date and zone in the summary block).
    GoToMeeting,
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
            Format::Webex => "webex-attendance-report",
            Format::GoToWebinar => "goto-webinar-attendee-report",
            Format::GoToMeeting => "goto-meeting-attendee-list",
            Format::Mapped => "mapped-columns",
        }
    }
}

/// How a Teams report's `Presenter` role is read.
///
/// In a Teams *meeting* everyone is a presenter by default ("who can present: everyone"), so
/// the role says nothing: only the organiser differs. In a *webinar* or *town hall* (whose
/// report carries registration data) presenters are chosen, and are panelists; so are they in a
/// meeting whose attendees outnumber its presenters (the organiser chose who presents). The
/// importer decides from the report; staff can change it per event (`events.teams_presenters`).
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
    /// With `columns` naming an event log's action column: which words mean joined and left
    /// (`joined=Ingressou,left=Saiu`); `None`: the words attest knows.
    pub actions: Option<mapping::Actions>,
    /// Staff reviewed the inferred mapping (`import --dry-run`) and accept it.
    pub accept_inferred: bool,
    /// Mappings confirmed earlier, by [`mapping::header_key`] of their header row.
    pub known_mappings: Vec<(String, mapping::Mapping, Option<mapping::Actions>)>,
    /// The meeting's date, for exports whose rows hold times of day only (Google Meet) and whose
    /// file name does not carry it.
    pub meeting_date: Option<NaiveDate>,
    /// Most rows (records) one file may have; `None`: no limit. The server sets it
    /// (`ATTEST_MAX_IMPORT_ROWS`) so that one upload cannot hold it for minutes.
    pub max_rows: Option<usize>,
    /// The text encoding staff named (`--encoding`): the bytes are read in it, not guessed.
    pub encoding: Option<&'static encoding_rs::Encoding>,
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
            actions: None,
            accept_inferred: false,
            known_mappings: Vec::new(),
            meeting_date: None,
            max_rows: None,
            encoding: None,
        }
    }
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

/// One connection (or registration) of one person, ready for the attendance decision: the
/// decision's own type, read at a row of the parsed file.
pub type Connection = attendance::Connection<RowAt>;

/// Where in the parsed file a connection was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowAt {
    /// Index into [`ParsedExport::rows`].
    pub row: usize,
    /// Line of the file.
    pub line: usize,
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
    /// The zone the file itself names (GoTo's summary block), which its times were read in
    /// instead of the upload's; stored and reported as the upload's zone.
    pub zone: Option<chrono_tz::Tz>,
}

/// A zone as staff read it: a fixed offset as `UTC+01:00` (the `Etc/GMT-1` of the zone
/// database counts the other way round), any other zone by its name.
pub fn zone_label(name: &str) -> String {
    let Some(offset) = name.strip_prefix("Etc/GMT").filter(|o| !o.is_empty()) else { return name.to_owned() };
    match offset.parse::<i32>() {
        Ok(hours) => format!("UTC{}{:02}:00", if hours > 0 { '-' } else { '+' }, hours.abs()),
        Err(_) => name.to_owned(),
    }
}

/// The mapping a file was read through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMapping {
    pub header_key: String,
    pub mapping: mapping::Mapping,
    /// An event log's action words, remembered with the columns.
    pub actions: Option<mapping::Actions>,
    /// `confirmed` (--columns), `accepted` (an inference accepted), `remembered`.
    pub source: &'static str,
}

/// How a file's bytes were read: what the import report says of them.
#[derive(Debug, Clone)]
pub struct ReadAs {
    pub encoding: &'static str,
    pub why: String,
    /// Lines whose bytes were not of the encoding (replaced by U+FFFD).
    pub damaged_lines: Vec<usize>,
    pub delimiter: char,
    /// The encoding was guessed from the letters (see [`super::text::Decoded::guessed`]).
    pub guessed: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_offset_zones_read_as_utc_offsets_and_named_zones_as_their_names() {
        assert_eq!(super::zone_label("Etc/GMT-1"), "UTC+01:00");
        assert_eq!(super::zone_label("Etc/GMT+5"), "UTC-05:00");
        assert_eq!(super::zone_label("Etc/GMT-10"), "UTC+10:00");
        assert_eq!(super::zone_label("Etc/GMT"), "Etc/GMT");
        assert_eq!(super::zone_label("Europe/Paris"), "Europe/Paris");
    }
}
