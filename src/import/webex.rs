//! Webex Meetings and Webex Events attendance reports: one row per connection, with the
//! meeting's (or event's) scheduled start and end repeated on every row, the join and leave
//! date-times, and the attendance written in whole minutes (`204 mins`, rounded up).
//!
//! Webex exports are Unicode tab-separated text (UTF-16LE with a BOM; Webex's Control Hub help
//! says every export is), which [`text`](super::text) reads like Teams' reports; Excel re-saves
//! wrap the times as formulas (`="2021-06-14 17:02:26"`), which every family reads as text.
//!
//! Two shapes are read, by their header texts (the README's format table names the sources):
//! Webex Events (`Event Name, Event Start Time, Event End Time, Name, Attendee Email, Join Time,
//! Leave Time, Attendance Duration, Connection Type`) and Webex Meetings, whose rows carry the
//! participant's role (`Participant Type`: host, cohost, panelist, attendee) and a display name.
//! The scheduled start and end become the meeting of the import; they are not connection times.
//! This module does not read Webex Training or the per-meeting usage reports (no attendee rows).

use super::headers::{Col, HeaderMap};
use super::{Ctx, Draft, MeetingDraft, minutes_slack, value, words};
use crate::attendance::{ConnectionKind, Role};

/// A Webex attendance table's header row: join and leave, a name and an email, and one of the
/// columns no other family has.
pub fn is_header(h: &HeaderMap) -> bool {
    let own = [Col::EventStart, Col::AttendanceDuration, Col::ConnectionType, Col::ParticipantType];
    h.has(Col::Join)
        && h.has(Col::Leave)
        && (h.has(Col::Name) || h.has(Col::DisplayName))
        && (h.has(Col::AttendeeEmail) || h.has(Col::Email))
        && own.iter().any(|&c| h.has(c))
}

pub fn parse(ctx: &mut Ctx) {
    let mut events = false;
    for (h, rows) in ctx.tables(is_header) {
        events |= h.has(Col::EventStart);
        if let Some(&first) = rows.first() {
            schedule(ctx, first, &h);
        }
        for i in rows {
            row(ctx, i, &h);
        }
    }
    ctx.variant = if events { "Webex Events attendee report" } else { "Webex Meetings attendance report" }.into();
}

/// The scheduled start and end of the first row, as the meeting of the import.
fn schedule(ctx: &mut Ctx, i: usize, h: &HeaderMap) {
    let r = &ctx.records[i];
    let cell = |cols: &[Col]| cols.iter().find_map(|&c| h.pos(c)).filter(|&p| !r.cell(p).is_empty()).map(|p| (i, p));
    let m = MeetingDraft {
        topic: value(r, h.pos(Col::EventName).or(h.pos(Col::Topic))),
        id: value(r, h.pos(Col::MeetingId)),
        start: cell(&[Col::EventStart, Col::StartTime, Col::ScheduledTime]),
        end: cell(&[Col::EventEnd, Col::EndTime]),
        ..Default::default()
    };
    ctx.meetings.push(m);
}

/// One connection's row.
fn row(ctx: &mut Ctx, i: usize, h: &HeaderMap) {
    let r = &ctx.records[i];
    let name = value(r, h.pos(Col::DisplayName).or(h.pos(Col::Name))).unwrap_or_default();
    let email = value(r, h.pos(Col::AttendeeEmail).or(h.pos(Col::Email)));
    if name.is_empty() && email.is_none() {
        ctx.skip(i, "no name and no email: cannot be attributed to anyone");
        return;
    }
    let (jp, lp) = (h.pos(Col::Join), h.pos(Col::Leave));
    if value(r, jp).is_none() || value(r, lp).is_none() {
        ctx.skip(i, "no join or leave time: did not attend");
        return;
    }
    let role_cell = value(r, h.pos(Col::ParticipantType).or(h.pos(Col::Role)));
    let role = match role_cell.as_deref().map(|w| (w, words::role(w))) {
        None => Role::Attendee,
        Some((_, Some(role))) => role,
        Some((w, None)) => {
            let pos = h.pos(Col::ParticipantType).or(h.pos(Col::Role)).unwrap_or(0);
            let col = h.label(pos).to_owned();
            ctx.row_error(i, &col, w, "not a Webex role (host, cohost, panelist, attendee)");
            return;
        }
    };
    let duration = value(r, h.pos(Col::AttendanceDuration).or(h.pos(Col::Duration)));
    let mut d = Draft::new(i, role, ConnectionKind::Interval, name);
    d.conn.email = email;
    d.conn.join = jp.map(|p| (i, p));
    d.conn.leave = lp.map(|p| (i, p));
    d.states_cell(duration, |v| minutes(v).map(|m| m * 60), minutes_slack);
    ctx.drafts.push(d);
}

/// `204 mins`, `204 min`, `204`: whole minutes (Webex rounds the attendance up); a duration
/// written with hours (`2h`, `1h 25m`, `1:40:00`, as a town hall report Excel saved has it) in
/// minutes, rounded up: `2h` was read as 2 minutes.
fn minutes(v: &str) -> Option<i64> {
    let digits = v.trim().trim_end_matches(|c: char| c.is_alphabetic() || c == '.').trim();
    let unit = v.trim()[digits.len()..].trim().to_lowercase();
    if unit.is_empty() || unit.starts_with("min") || unit == "m" {
        if let Ok(m) = digits.parse() {
            return Some(m);
        }
    }
    let clock: Option<Vec<i64>> = v.trim().split(':').map(|p| p.trim().parse().ok()).collect();
    let seconds = match clock.as_deref() {
        Some(&[h, m, s]) => Some(h * 3600 + m * 60 + s),
        _ => super::parse_hms(v),
    };
    seconds.map(|s| (s + 59) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_minutes_read_with_or_without_their_unit() {
        assert_eq!(minutes("204 mins"), Some(204));
        assert_eq!(minutes("1 min"), Some(1));
        assert_eq!(minutes("37"), Some(37));
        assert_eq!(minutes("about an hour"), None);
        assert_eq!(minutes("2h"), Some(120));
        assert_eq!(minutes("1h 25m"), Some(85));
        assert_eq!(minutes("1:40:00"), Some(100));
    }
}
