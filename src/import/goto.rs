//! GoTo Webinar attendee reports and GoTo Meeting attendee lists: a summary block above the
//! attendee table names the webinar or meeting, its date and **its time zone**, and the table
//! under it holds join and leave times (in GoTo Meeting's list, times of day only).
//!
//! The zone and the date come from the summary block, so neither `--tz` nor `--date` is needed:
//! the times are read in the zone the file names (a named zone such as `Europe/Brussels`, or a
//! fixed offset `GMT+01:00`), and time-only rows take the summary's date. GoTo Meeting gives its
//! list only as an Excel workbook, which [`workbook`](super::workbook) turns into rows first.
//!
//! The webinar report has a table per section (`Host Details`, `Panelist Details`, `Attendee
//! Details`): the section gives the role. Registrants who did not attend (`Attended: No`) are
//! kept as registrations with no connection, like Zoom's. Layout sources: the README's format
//! table. No public GoTo export was found; a third-party GoTo Webinar parser (idx:43460728999)
//! reads the report as a generated line, label rows each over a value row (`Webinar ID` among the
//! labels) and `Session Details` over the attendee table, which this module reads too; the rest
//! follows the description and GoTo's API fields, and the fixtures are our own.

use chrono_tz::Tz;

use super::dates::zone;
use super::headers::{Col, HeaderMap, normalise};
use super::text::Record;
use super::{CellRef, Ctx, Draft, Format, MeetingDraft, parse_hms, value, yes};
use crate::attendance::{ConnectionKind, Role};

const ZONE: &[&str] = &["timezone"];
const DATE: &[&str] = &["date", "meetingdate", "webinardate", "sessiondate", "startdate"];
const TOPIC: &[&str] = &["webinarname", "meetingname", "webinartitle", "meetingtitle", "subject", "title"];
const ID: &[&str] = &["webinarid", "meetingid"];

/// Section titles of the webinar report, normalised, with the role of their rows.
const SECTIONS: &[(&str, Role)] = &[
    ("hostdetails", Role::Host),
    ("organizerdetails", Role::Host),
    ("coorganizerdetails", Role::Host),
    ("panelistdetails", Role::Panelist),
    ("attendeedetails", Role::Attendee),
    ("attendees", Role::Attendee),
    // The attendee table's title in the export a third-party GoTo Webinar parser reads
    // (idx:43460728999).
    ("sessiondetails", Role::Attendee),
];

fn is_label(key: &str) -> bool {
    [ZONE, DATE, TOPIC, ID].iter().any(|set| set.contains(&key))
}

/// An attendee table's header row: join and leave, and a name or an email.
fn is_table_header(h: &HeaderMap) -> bool {
    h.has(Col::Join)
        && h.has(Col::Leave)
        && (h.has(Col::Name) || h.has(Col::Email) || (h.has(Col::FirstName) && h.has(Col::LastName)))
}

/// Label/value pairs of the summary block above row `end`: a label beside its value
/// (`Time Zone,Europe/Brussels`), or a row of labels over a row of values.
fn summary(records: &[Record], end: usize) -> Vec<(String, CellRef)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < end {
        let r = &records[i];
        let labels: Vec<(usize, String)> =
            (0..r.fields.len()).map(|k| (k, normalise(r.cell(k)))).filter(|(_, key)| is_label(key)).collect();
        if labels.is_empty() {
            i += 1;
            continue;
        }
        if r.width() == 2 && !is_label(&normalise(r.cell(1))) {
            out.push((normalise(r.cell(0)), (i, 1)));
            i += 1;
        } else if i + 1 < end && !records[i + 1].is_blank() {
            out.extend(labels.into_iter().map(|(k, key)| (key, (i + 1, k))));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

fn find<'a>(pairs: &'a [(String, CellRef)], keys: &[&str]) -> Option<&'a CellRef> {
    pairs.iter().find(|(k, _)| keys.contains(&k.as_str())).map(|(_, c)| c)
}

/// Which GoTo family the first rows are, if any: an attendee table under a summary block that
/// names a time zone. A webinar report has sections or an `Attended` column.
pub fn detect(records: &[Record]) -> Option<Format> {
    let hi =
        (0..records.len()).find(|&i| !records[i].is_blank() && is_table_header(&HeaderMap::new(&records[i].fields)))?;
    let h = HeaderMap::new(&records[hi].fields);
    let pairs = summary(records, hi);
    let zoned = find(&pairs, ZONE).is_some_and(|c| !records[c.0].cell(c.1).is_empty());
    // Without a zone, only GoTo's own column tells: `Time in Session` with no participant-name
    // column (Zoom's webinar report, which shares `Attended`, always has `User Name (Original
    // Name)`, and writes `Time in Session (minutes)`).
    let own_column = h.has(Col::TimeInSession) && !h.has(Col::Name);
    if !(zoned || own_column) {
        return None;
    }
    let sectioned = records[..hi].iter().any(|r| section(r).is_some());
    Some(if sectioned || h.has(Col::Attended) || h.has(Col::TimeInSession) {
        Format::GoToWebinar
    } else {
        Format::GoToMeeting
    })
}

/// A section title row: one cell, a known title.
fn section(r: &Record) -> Option<Role> {
    if r.width() == 0 || (1..r.width()).any(|k| !r.cell(k).is_empty()) {
        return None;
    }
    let key = normalise(r.cell(0));
    SECTIONS.iter().find(|(t, _)| *t == key).map(|(_, role)| *role)
}

/// The fixed zone of a summary cell's time that ends with a zone abbreviation (GoTo Webinar's
/// `Actual Start Date/Time`, `Mar 14, 2025 04:55 AM EDT`), when no `Time Zone` line names one:
/// the rows' times of that report are in the same zone, without it. Whole hours only.
fn zone_of_a_stamp(records: &[Record]) -> Option<(Tz, String)> {
    records.iter().flat_map(|r| r.fields.iter()).find_map(|cell| {
        let word = cell.trim().rsplit(' ').next()?;
        let offset = super::dates::zone_abbreviation(word).filter(|_| cell.contains(':'))?;
        Some((super::dates::fixed_offset(offset)?, word.to_owned()))
    })
}

pub fn parse(ctx: &mut Ctx, format: Format) {
    let Some(hi) = (0..ctx.records.len())
        .find(|&i| !ctx.records[i].is_blank() && is_table_header(&HeaderMap::new(&ctx.records[i].fields)))
    else {
        return;
    };
    let pairs = summary(&ctx.records, hi);
    let text = |c: Option<&CellRef>| c.map(|c| ctx.records[c.0].cell(c.1).to_owned()).filter(|v| !v.is_empty());
    let mut zone_text = text(find(&pairs, ZONE));
    ctx.zone = zone_text.as_deref().and_then(zone);
    if zone_text.is_none() {
        if let Some((tz, word)) = zone_of_a_stamp(&ctx.records[..hi]) {
            ctx.zone = Some(tz);
            zone_text = Some(word);
        }
    }
    ctx.summary_date = find(&pairs, DATE).copied();
    ctx.meetings.push(MeetingDraft {
        topic: text(find(&pairs, TOPIC)),
        id: text(find(&pairs, ID)),
        ..Default::default()
    });
    if zone_text.is_none() {
        ctx.warnings.push(
            "the file names no time zone above its table: times read in the upload's zone (--tz, by default the \
             event's)"
                .into(),
        );
    }
    if let (Some(z), None) = (&zone_text, ctx.zone) {
        ctx.warnings.push(format!(
            "the summary block's time zone \"{z}\" is not a zone name or a whole-hour GMT offset: times read in the \
             upload's zone (--tz)"
        ));
    }
    let mut role = Role::Attendee;
    let mut header: Option<(usize, HeaderMap)> = None;
    for i in 0..ctx.records.len() {
        if ctx.records[i].is_blank() {
            continue;
        }
        if let Some(r) = section(&ctx.records[i]) {
            role = r;
            header = None;
            let title = ctx.records[i].cell(0).to_owned();
            ctx.mark(i, super::RowKind::Meta, None, Some(&title));
            continue;
        }
        let h = HeaderMap::new(&ctx.records[i].fields);
        if is_table_header(&h) {
            ctx.mark(i, super::RowKind::Header, None, None);
            header = Some((i, h));
            continue;
        }
        let Some((hrow, h)) = &header else { continue };
        let hrow = *hrow;
        ctx.mark(i, super::RowKind::Data, Some(hrow), None);
        let h = h.clone();
        row(ctx, i, &h, role);
    }
    ctx.variant = match format {
        Format::GoToMeeting => "GoTo Meeting attendee list, zone and date from the summary block",
        _ => "GoTo Webinar attendee report, zone from the summary block",
    }
    .into();
}

fn row(ctx: &mut Ctx, i: usize, h: &HeaderMap, section_role: Role) {
    let Some((name, email)) = ctx.who(i, h) else { return };
    let r = &ctx.records[i];
    let role = value(r, h.pos(Col::Role)).and_then(|w| super::words::role(&w)).unwrap_or(section_role);
    let attended = value(r, h.pos(Col::Attended)).map(|v| yes(&v));
    let (jp, lp) = (h.pos(Col::Join), h.pos(Col::Leave));
    let times = value(r, jp).is_some() && value(r, lp).is_some();
    if !times || attended == Some(false) {
        if h.has(Col::Attended) {
            // A registrant who did not come: listed, with no connection.
            let mut d = Draft::new(i, role, ConnectionKind::Registration, name);
            d.conn.email = email;
            ctx.drafts.push(d);
        } else {
            ctx.skip(i, "no join or leave time: did not attend");
        }
        return;
    }
    // Registered weeks before, often on a day after the 12th: the dates that tell month/day from
    // day/month when every session date reads both ways (a session on 07/09 was refused).
    if let Some(p) = h.pos(Col::RegistrationTime).filter(|&p| value(r, Some(p)).is_some()) {
        ctx.other_dates.push((i, p));
    }
    let time_only = value(r, jp).is_some_and(|v| super::dates::Stamp::parse(&v).is_ok_and(|s| !s.has_date()));
    let mut d = Draft::new(i, role, ConnectionKind::Interval, name);
    d.conn.email = email;
    d.conn.join = jp.map(|p| (i, p));
    d.conn.leave = lp.map(|p| (i, p));
    d.time_only = time_only;
    // Written to the minute: a minute either way.
    d.states_cell(
        value(r, h.pos(Col::TimeInSession).or(h.pos(Col::Duration))),
        |v| parse_hms(v).or_else(|| v.trim().parse::<i64>().ok().map(|m| m * 60)),
        // Written to the minute: at most 59 s more than written, or a minute less.
        |s| (s - 60, s + 59),
    );
    ctx.drafts.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_as_names_or_whole_hour_offsets() {
        assert_eq!(zone("Europe/Brussels"), Some(chrono_tz::Europe::Brussels));
        assert_eq!(zone("(GMT+01:00) Europe/Paris"), Some(chrono_tz::Europe::Paris));
        assert_eq!(zone("GMT+01:00"), Some(chrono_tz::Etc::GMTMinus1));
        assert_eq!(zone("UTC-5"), Some(chrono_tz::Etc::GMTPlus5));
        assert_eq!(zone("GMT"), Some(chrono_tz::UTC));
        assert_eq!(zone("GMT+05:30"), None, "no Etc zone for half hours");
        assert_eq!(zone("Central European Time"), None);
        // Windows-style labels: the place names the zone, summer time and all.
        assert_eq!(zone("(GMT+01:00) Brussels, Copenhagen, Madrid, Paris"), Some(chrono_tz::Europe::Brussels));
        assert_eq!(zone("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"), Some(chrono_tz::Asia::Kolkata));
        assert_eq!(zone("(GMT-05:00) Eastern Time (US & Canada)"), Some(chrono_tz::America::New_York));
        assert_eq!(zone("(GMT-03:00) Buenos Aires"), Some(chrono_tz::America::Argentina::Buenos_Aires));
    }
}
