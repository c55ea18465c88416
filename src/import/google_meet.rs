//! Google Meet attendance reports (Workspace attendance tracking, format notes 4.3): one row per
//! person, `First name, Last name, Email, Duration, Time joined, Time exited` (or a single
//! `Name` column in later shapes), durations written out (`1 hr 5 min`, `45 min`, `42m`), and
//! join/exit as **times of day without a date**.
//!
//! The date is not in the rows: it comes from the file name Google gives the report
//! (`2021-03-04 10-00 Seminar - Attendance Report.csv`), from a `Date` line above the table
//! when there is one, or from staff (`--date`); without any, the file is refused with a message
//! that says so. A time of exit earlier than the time of joining is on the next day.

use chrono::NaiveDate;

use super::headers::{Col, HeaderMap};
use super::{Ctx, Draft, parse_hms, value};
use crate::attendance::{ConnectionKind, Role};

/// The first `YYYY-MM-DD` in the file name: at its start as Google names the report, or
/// anywhere in it as staff rename it (`Meeting attendance 2025-03-14.csv`, which was refused as
/// having no date in its name).
pub fn date_from_file_name(file: &str) -> Option<NaiveDate> {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len().saturating_sub(9))
        .filter(|&i| (i == 0 || !digit(i - 1)) && !digit(i + 10) && name.is_char_boundary(i))
        .find_map(|i| NaiveDate::parse_from_str(name.get(i..i + 10)?, "%Y-%m-%d").ok())
}

pub fn is_header(h: &HeaderMap) -> bool {
    h.has(Col::TimeJoined)
        && h.has(Col::TimeExited)
        && (h.has(Col::Name) || (h.has(Col::FirstName) && h.has(Col::LastName)))
}

pub fn parse(ctx: &mut Ctx) {
    for (h, rows) in ctx.tables(is_header) {
        for i in rows {
            row(ctx, i, &h);
        }
    }
    ctx.variant = "attendance report, times of day only".into();
}

/// One participant's row: a connection between times of day.
fn row(ctx: &mut Ctx, i: usize, h: &HeaderMap) {
    let Some((name, email)) = ctx.who(i, h) else { return };
    let r = &ctx.records[i];
    let (jp, lp) = (h.pos(Col::TimeJoined), h.pos(Col::TimeExited));
    let (joined, exited) = (value(r, jp).is_some(), value(r, lp).is_some());
    if !joined {
        ctx.skip(
            i,
            if exited {
                "no time joined, only a time exited: cannot be placed"
            } else {
                "no time joined or exited: did not attend"
            },
        );
        return;
    }
    let mut d = Draft::new(i, Role::Attendee, ConnectionKind::Interval, name);
    d.conn.email = email;
    d.conn.join = jp.map(|p| (i, p));
    d.conn.leave = lp.map(|p| (i, p));
    d.time_only = true;
    if !exited {
        // Joined, with no exit (still in the meeting when the report was made): counted until
        // the latest time in the file, at most the duration the row states, and looked at. The
        // row was skipped as "did not attend", and an 80-minute attendee was not listed at all.
        d.leave_at_last_event = true;
        d.conn.review = Some(
            "no time exited: still in the meeting when the report was made; counted until the latest time in the file"
                .into(),
        );
    }
    // Written to the minute (`1 hr 5 min`): at most 59 s more than written, or a minute less.
    // (A minute more let a row of `74m` over 76 minutes count all 76, with no review.)
    d.states_cell(value(r, h.pos(Col::Duration)), parse_hms, |s| (s - 60, s + 59));
    ctx.drafts.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_read_anywhere_in_the_file_name() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 14);
        assert_eq!(date_from_file_name("2025-03-14 10-00 Seminar - Attendance Report.csv"), d);
        assert_eq!(date_from_file_name("/tmp/Meeting attendance 2025-03-14.csv"), d);
        assert_eq!(date_from_file_name("Présence – 2025-03-14 (copie).csv"), d);
        assert_eq!(date_from_file_name("report 12025-03-14.csv"), None);
        assert_eq!(date_from_file_name("Attendance Report.csv"), None);
    }
}
