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

/// `YYYY-MM-DD` at the start of the file name, as Google names the report.
pub fn date_from_file_name(file: &str) -> Option<NaiveDate> {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    NaiveDate::parse_from_str(name.get(..10)?, "%Y-%m-%d").ok()
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
    if value(r, jp).is_none() || value(r, lp).is_none() {
        ctx.skip(i, "no time joined or exited: did not attend");
        return;
    }
    let mut d = Draft::new(i, Role::Attendee, ConnectionKind::Interval, name);
    d.conn.email = email;
    d.conn.join = jp.map(|p| (i, p));
    d.conn.leave = lp.map(|p| (i, p));
    d.time_only = true;
    // Written to the minute (`1 hr 5 min`): at most 59 s more than written, or a minute less.
    // (A minute more let a row of `74m` over 76 minutes count all 76, with no review.)
    d.states(value(r, h.pos(Col::Duration)).and_then(|v| parse_hms(&v)), |s| (s - 60, s + 59));
    ctx.drafts.push(d);
}
