//! Reading a table through a confirmed mapping: intervals, or an event log's joins and leaves.

use super::cells::{WaitingWord, column_of_days, explicit_unit, header_role, slack, stated_seconds};
use super::{Actions, Field, Mapping, Table, columns_arg, name_of};
use crate::attendance::ConnectionKind;
use crate::import::dates::{DateOrder, Stamp};
use crate::import::headers::{Col, lookup, normalise};
use crate::import::text::Record;
use crate::import::{Ctx, Draft, RowKind, value};

/// The plan a mapped file is read by.
#[derive(Debug, Clone)]
pub struct Plan {
    pub table: Table,
    pub mapping: Mapping,
    /// An event log's action words; `None`: the words attest knows.
    pub actions: Option<Actions>,
    /// `confirmed` (given as --columns), `accepted` (an inference staff accepted), `remembered`.
    pub source: &'static str,
}

/// Reads the rows of a mapped table into drafts.
pub fn parse(ctx: &mut Ctx, plan: &Plan) {
    let get = |f: Field| plan.mapping.iter().find(|(g, _)| *g == f).map(|(_, p)| *p);
    let names: Vec<usize> = plan.mapping.iter().filter(|(f, _)| *f == Field::Name).map(|(_, p)| *p).collect();
    let name = names.as_slice();
    let [email, join, leave, dur, role, date] =
        [Field::Email, Field::Join, Field::Leave, Field::Duration, Field::Role, Field::Date].map(get);
    if let Some(h) = plan.table.header {
        ctx.mark(h, RowKind::Header, None, None);
    }
    if let (Some(action), Some(time)) = (get(Field::Action), get(Field::Time)) {
        log_rows(ctx, plan, (name, email, action, time, role), date);
        return;
    }
    skip_other_tables(ctx, plan);
    let header = plan.table.header;
    // The waiting-room column staff named, else one under any header naming the room
    // (`У залі очікування`): its rows' waiting time is not attendance.
    let waiting = get(Field::Waiting)
        .or_else(|| plan.table.header_cells.iter().position(|h| lookup(h).contains(&Col::WaitingRoom)));
    let waiting = waiting.map(|p| (p, waiting_word(ctx, plan, p)));
    let mut roles = RoleCells { flag: flag_role(ctx, plan, role), ..RoleCells::default() };
    let meeting = meeting_column(ctx, plan);
    let (unit, ambiguous_unit) = duration_unit(ctx, plan, dur);
    let several_days = (join.is_none() && leave.is_none()).then(|| around_the_totals(ctx, plan)).flatten();
    for i in plan.table.first..plan.table.end {
        let r = &ctx.records[i];
        if r.is_blank() {
            continue;
        }
        ctx.mark(i, RowKind::Data, header, None);
        let r = &ctx.records[i];
        let n = name_of(r, name);
        let e = value(r, email);
        if n.is_none() && e.is_none() {
            ctx.skip(i, "no name and no email: cannot be attributed to anyone");
            continue;
        }
        let (has_join, has_leave) = (value(r, join).is_some(), value(r, leave).is_some());
        if join.is_none() && leave.is_none() {
            // A list of totals (super::totals): each row's stated time is all there is.
            let cell = value(r, dur).unwrap_or_default();
            match stated_seconds(&cell, unit) {
                Some(seconds) => {
                    let role = row_role(value(r, role).as_deref(), n.as_deref(), ctx.drafts.len(), &mut roles);
                    let mut d = Draft::new(i, role, ConnectionKind::Total, n.clone().or(e.clone()).unwrap_or_default());
                    d.conn.email = e;
                    d.conn.total_seconds = Some(seconds);
                    ambiguous_unit.iter().chain(&several_days).for_each(|why| d.add_review(why.clone()));
                    ctx.drafts.push(d);
                }
                None => {
                    let label = dur.and_then(|p| plan.table.header_cells.get(p)).cloned().unwrap_or_default();
                    ctx.row_error(i, &label, &cell, "not a duration (whole minutes, or written out as 1h 2m 3s)");
                }
            }
            continue;
        }
        if !has_join && !has_leave {
            ctx.skip(i, "no join and no leave time");
            continue;
        }
        if !has_join && join.is_some() {
            // As Teams' section 3 repeats a leave event (`teams.rs`): refusing the file for it
            // refused a Teams report read through the mapping.
            ctx.skip(i, "no join time, a leave on its own: the connection is in another row");
            continue;
        }
        let role = row_role(value(r, role).as_deref(), n.as_deref(), ctx.drafts.len(), &mut roles);
        let mut d = Draft::new(i, role, ConnectionKind::Interval, n.clone().or(e.clone()).unwrap_or_default());
        d.conn.waiting_room = waiting.as_ref().is_some_and(|(p, word)| word.says(r.cell(*p)));
        d.conn.email = e;
        d.conn.join = join.map(|p| (i, p));
        d.conn.leave = leave.map(|p| (i, p));
        // Times of day (Google Meet, GoTo Meeting): the day comes from staff or the file name.
        d.time_only = value(r, join).is_some_and(|v| Stamp::parse(&v).is_ok_and(|s| !s.has_date()));
        if has_join && !has_leave && leave.is_some() {
            // Still connected when the report was taken, as the event logs' open joins.
            d.leave_at_last_event = true;
            d.conn.review = Some(
                "no leave time: still connected when the report was taken; counted until the latest time in the file"
                    .into(),
            );
        }
        d.group = meeting.map(|p| meeting_key(r.cell(p)));
        if let Some(v) = value(r, dur) {
            match stated_seconds(&v, unit) {
                Some(seconds) => {
                    d.states(Some(seconds), slack(&v, unit));
                    ambiguous_unit.iter().for_each(|why| d.add_review(why.clone()));
                }
                None => {
                    // Named by staff (or remembered from them): ignored, the time from join to
                    // leave was counted and a stated 70 minutes certified as 95.
                    let label = dur.and_then(|p| plan.table.header_cells.get(p)).cloned().unwrap_or_default();
                    ctx.row_error(
                        i,
                        &label,
                        &v,
                        format!(
                            "not a duration attest can read (whole minutes, 1:10:00, or written out as 1h 2m 3s); \
                             to count each row's join to leave instead, leave duration={} out of the columns",
                            dur.map_or(0, |p| p + 1)
                        ),
                    );
                    continue;
                }
            }
        }
        if let Some(p) = date.filter(|&p| d.time_only && !r.cell(p).trim().is_empty()) {
            ctx.days.push((i, p));
        }
        ctx.drafts.push(d);
    }
    let in_another = |i: usize| plan.table.others.iter().any(|&(first, end)| (first..end).contains(&i));
    for i in plan.table.end..ctx.records.len() {
        if !ctx.records[i].is_blank() && !in_another(i) {
            ctx.skip(i, "after the end of the mapped table");
        }
    }
    review_unknown_roles(ctx, &roles.unknown, roles.known);
    crate::import::hosts::host_above_the_table(ctx, plan.table.header.unwrap_or(plan.table.first));
    ctx.variant = format!("columns mapped by staff ({}): {}", plan.source, columns_arg(&plan.mapping));
}

/// The rows of the file's other tables, which the mapping does not read: skipped, each saying so.
fn skip_other_tables(ctx: &mut Ctx, plan: &Plan) {
    for &(first, end) in &plan.table.others {
        for i in first..end {
            if !ctx.records[i].is_blank() {
                ctx.skip(i, "in another table of the file, not the one the mapping reads");
            }
        }
    }
}

/// What stands around a list of totals: a meeting block above it, whose span clips the totals
/// ([`Ctx::unnamed_meeting_block`]), and a column of several days (a course's daily totals,
/// with the date mapped or not), whose people's longest total of any day counted, and the
/// longest of three days' was certified (round 24's second re-test): each person then goes to
/// review, saying so.
fn around_the_totals(ctx: &mut Ctx, plan: &Plan) -> Option<String> {
    ctx.unnamed_meeting_block(plan.table.header.unwrap_or(plan.table.first));
    let rows = &ctx.records[plan.table.first..plan.table.end];
    let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0);
    let named = plan.mapping.iter().filter(|(f, _)| *f != Field::Date).map(|(_, p)| *p).collect::<Vec<_>>();
    let p = (0..width).filter(|p| !named.contains(p)).find(|&p| {
        let cells: Vec<&str> = rows.iter().map(|r| r.cell(p).trim()).filter(|c| !c.is_empty()).collect();
        let distinct: std::collections::HashSet<&str> = cells.iter().copied().collect();
        distinct.len() > 1 && column_of_days(&cells, None).is_some()
    })?;
    let why = format!(
        "column {} holds several days: the list's totals are of more than one session, and the longest of any day \
         counted; keep the event's day's rows and import the file again",
        p + 1
    );
    ctx.warnings.push(format!("{why}: every row sent to review"));
    Some(why)
}

/// A day in minutes: more than this, a bare number of one person's time is no minutes.
const DAY_IN_MINUTES: i64 = 24 * 60;

/// Eight hours in minutes: more than this, a bare number of one person's time in a seminar may
/// be seconds, and the unit is a question (90, 600, 1,200 seconds under a header naming none
/// counted 90 minutes, and certified, round 24's second re-test).
const LONGER_THAN_A_SEMINAR: i64 = 8 * 60;

/// How the bare numbers of a duration column whose header names no unit read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnnamedUnit {
    Minutes,
    /// Most are more than a day in minutes.
    Seconds,
    /// Some are longer in minutes than any seminar, most not more than a day: minutes or seconds.
    Question,
}

/// How `numbers`, a duration column's bare numbers under a header naming no unit, read: the one
/// rule the inference says and the mapped reading applies ([`duration_unit`]).
pub(super) fn unnamed_unit(numbers: &[i64]) -> UnnamedUnit {
    let over = numbers.iter().filter(|&&n| n > DAY_IN_MINUTES).count();
    if over * 2 > numbers.len() {
        UnnamedUnit::Seconds
    } else if numbers.iter().any(|&n| n > LONGER_THAN_A_SEMINAR) {
        UnnamedUnit::Question
    } else {
        UnnamedUnit::Minutes
    }
}

/// The seconds a bare number counts in the duration column `dur`: the unit its header names,
/// else minutes, unless most of its numbers are more than a day's minutes, which no one's time
/// in one seminar is: then seconds, and the report says so. A Serbian list's `Трајање
/// (секунде)`, whose word attest lacked, certified 150 seconds as 150 minutes (round 24); on one
/// number of more than a day alone, a list in minutes with one stray total was read as seconds,
/// and three attendees lost their certificates (its re-test). Where any number is longer than a
/// seminar ([`LONGER_THAN_A_SEMINAR`]) and most are not more than a day, the unit is a question:
/// minutes, and every row of the column goes to review (`ambiguous_unit`).
fn duration_unit(ctx: &mut Ctx, plan: &Plan, dur: Option<usize>) -> (i64, Option<String>) {
    let Some(p) = dur else { return (60, None) };
    let header = plan.table.header_cells.get(p).map_or("", String::as_str);
    if let Some(unit) = explicit_unit(header) {
        return (unit, None);
    }
    let rows = plan.table.first..plan.table.end;
    let numbers: Vec<i64> = rows.filter_map(|i| ctx.records[i].cell(p).trim().parse::<i64>().ok()).collect();
    let reading = unnamed_unit(&numbers);
    if reading == UnnamedUnit::Minutes {
        return (60, None);
    }
    let label = if header.trim().is_empty() { format!("column {}", p + 1) } else { format!("\"{}\"", header.trim()) };
    let longest = numbers.iter().copied().max().unwrap_or(0);
    if reading == UnnamedUnit::Seconds {
        ctx.warnings.push(format!(
            "the duration column {label} names no unit, and most of its numbers (up to {longest}) are more than a day \
             in minutes: they were read as seconds; if they are minutes, check the file"
        ));
        return (1, None);
    }
    let why = format!(
        "the duration column {label} names no unit, and some of its numbers (up to {longest}) are longer in minutes \
         than any seminar: read as minutes, but they may be seconds; check the file, or name the unit in its header (\"(seconds)\", \
         \"(minutes)\") and import it again"
    );
    ctx.warnings.push(format!("{why}: every row sent to review"));
    (60, Some(why))
}

/// The word of waiting-room column `p` that says "waiting", said in the report when attest
/// took the rarer of two words it has no yes for, or could not tell.
fn waiting_word(ctx: &mut Ctx, plan: &Plan, p: usize) -> WaitingWord {
    let rows: Vec<&Record> =
        (plan.table.first..plan.table.end).map(|i| &ctx.records[i]).filter(|r| !r.is_blank()).collect();
    let word = WaitingWord::of(&rows, p);
    let label = plan.table.header_cells.get(p).map_or_else(|| format!("column {}", p + 1), |h| format!("\"{h}\""));
    match &word {
        WaitingWord::Known => {}
        WaitingWord::Rarer(w) => ctx.warnings.push(format!(
            "waiting room {label}: \"{w}\", the rarer of its two words, read as in the waiting room (each person who waited has a row while waiting and one after): that time is not attendance"
        )),
        WaitingWord::Unknown(words) if !words.is_empty() => ctx.warnings.push(format!(
            "waiting room {label}: its words ({}) are not a yes attest knows, and no row was read as waiting-room time: check the people who waited",
            words.join(", ")
        )),
        WaitingWord::Unknown(_) => {}
    }
    word
}

/// A column of the table that holds a meeting's ID (Zoom's `812 3456 7890`, a Webex meeting
/// number: nine to eleven digits) with two values or more, each on several rows: a history
/// export of several meetings, one row per participant. Each ID becomes a meeting of the file,
/// so that one is chosen as for a family's (`--meeting`, the event's title or window, else a
/// question): read as one table, a parallel course's participants were certified for the
/// seminar, and `--meeting` was ignored.
fn meeting_column(ctx: &mut Ctx, plan: &Plan) -> Option<usize> {
    let rows: Vec<&Record> =
        (plan.table.first..plan.table.end).map(|i| &ctx.records[i]).filter(|r| !r.is_blank()).collect();
    let mapped = |p: usize| plan.mapping.iter().any(|(_, q)| *q == p);
    let column = (0..plan.table.header_cells.len().max(rows.first().map_or(0, |r| r.fields.len())))
        .filter(|&p| !mapped(p))
        .find(|&p| {
            let ids: Vec<String> = rows.iter().map(|r| r.cell(p)).filter(|c| meeting_id(c)).map(meeting_key).collect();
            let distinct: std::collections::HashSet<&String> = ids.iter().collect();
            ids.len() == rows.len() && distinct.len() >= 2 && distinct.len() * 2 <= ids.len()
        })?;
    let mut seen: Vec<String> = Vec::new();
    for r in &rows {
        let key = meeting_key(r.cell(column));
        if !seen.contains(&key) {
            seen.push(key.clone());
            ctx.meetings.push(crate::import::MeetingDraft {
                group: Some(key),
                id: Some(r.cell(column).trim().to_owned()),
                ..Default::default()
            });
        }
    }
    Some(column)
}

/// Whether a cell is shaped like a meeting ID: nine to eleven digits, in groups or not.
fn meeting_id(cell: &str) -> bool {
    let cell = cell.trim();
    let digits = cell.chars().filter(char::is_ascii_digit).count();
    (9..=11).contains(&digits) && cell.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
}

/// A meeting ID without its grouping, to compare by.
fn meeting_key(cell: &str) -> String {
    cell.chars().filter(char::is_ascii_digit).collect()
}

/// What a mapped table's role column held: how many cells attest read, and the cells it has no
/// word for, with the draft each was read into.
#[derive(Default)]
struct RoleCells {
    /// The role a column of yes and no says yes to, under a header that is a role word
    /// (BigBlueButton's `Moderator`): read as an attendee, a moderator was certified (round 24).
    flag: Option<crate::attendance::Role>,
    known: usize,
    unknown: Vec<(usize, String)>,
}

/// The role a mapped role column's yes says, when its header is a role word other than the
/// attendee's and its cells are yes and no ([`RoleCells::flag`]).
fn flag_role(ctx: &Ctx, plan: &Plan, role: Option<usize>) -> Option<crate::attendance::Role> {
    let p = role?;
    let rows = &ctx.records[plan.table.first..plan.table.end];
    let said = header_role(plan.table.header_cells.get(p)?, rows.iter().map(|r| r.cell(p)))?;
    let yes_no = rows.iter().all(|r| {
        let v = r.cell(p).trim();
        v.is_empty() || crate::import::yes(v) || super::cells::is_no(v)
    });
    yes_no.then_some(said)
}

/// The role of the row that becomes draft `draft`, from its role cell, else its name.
fn row_role(cell: Option<&str>, name: Option<&str>, draft: usize, seen: &mut RoleCells) -> crate::attendance::Role {
    let said = |v: &str| match seen.flag {
        Some(flag) if crate::import::yes(v) => Some(flag),
        Some(_) if super::cells::is_no(v) => Some(crate::attendance::Role::Attendee),
        Some(_) => None,
        None => crate::import::words::mapped_role(v),
    };
    match cell.map(|v| (v, said(v))) {
        Some((_, Some(r))) => {
            seen.known += 1;
            r
        }
        Some((v, None)) => {
            seen.unknown.push((draft, v.to_owned()));
            crate::attendance::Role::Attendee
        }
        // No role column: the name may say it, as Zoom's participant lists write their host
        // (`Ana Ruiz (Host)`, `(Hôte)`, …); a host read as an attendee was found eligible.
        None if name.is_some_and(crate::import::zoom_meeting::has_host_suffix) => crate::attendance::Role::Host,
        None => crate::attendance::Role::Attendee,
    }
}

/// The column of dates beside a mapped table of times of day (`Datum`, `Fecha`), if it has one:
/// a column no field is mapped to whose filled cells, on two rows in three at least, are nearly
/// all days (a date alone, or at midnight as a workbook's date cell reads). With each cell's
/// readings (both orders when the file's cannot tell).
fn date_column(ctx: &Ctx, plan: &Plan, order: Option<DateOrder>) -> Option<(usize, Vec<Vec<chrono::NaiveDate>>)> {
    let rows = &ctx.records[plan.table.first..plan.table.end];
    let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0);
    (0..width).filter(|p| !plan.mapping.iter().any(|(_, q)| q == p)).find_map(|p| {
        let cells: Vec<&str> = rows.iter().map(|r| r.cell(p)).collect();
        column_of_days(&cells, order).map(|dates| (p, dates))
    })
}

/// The one day a mapped table of times of day names in its own column of dates, for a file
/// given no `--date` and not named after its day: every dated row names it, in one reading.
pub(crate) fn day_of_the_table(ctx: &Ctx, plan: &Plan, order: Option<DateOrder>) -> Option<chrono::NaiveDate> {
    let (_, dates) = date_column(ctx, plan, order)?;
    let mut days = dates.iter().filter(|d| !d.is_empty());
    let first = days.next()?;
    match first[..] {
        [day] if days.all(|d| d[..] == [day]) => Some(day),
        _ => None,
    }
}

/// A mapped table of times of day beside its own column of dates: the times were read on one
/// day (`--date`, the file name, the column's one day), so a row whose own date names another
/// goes to review and the file says so, naming the `date` field that reads each row on its own
/// day, rather than its times silently counting on the wrong day (a table of two days was read
/// as one). Rows of the day used say nothing, and so does a
/// column most of whose dates are other days: a registration date, not the session's.
pub(crate) fn other_days(ctx: &mut Ctx, plan: &Plan, day: chrono::NaiveDate, order: Option<DateOrder>) {
    // Only times of day are read on the day; dated cells need no column (nor its reading).
    if !ctx.drafts.iter().any(|d| d.time_only) {
        return;
    }
    let Some((p, dates)) = date_column(ctx, plan, order) else { return };
    // A column whose dates are mostly other days is not the session's (a registration date).
    let dated = dates.iter().filter(|d| !d.is_empty()).count();
    if dates.iter().filter(|d| d.contains(&day)).count() * 2 < dated {
        return;
    }
    let label = plan.table.header_cells.get(p).filter(|h| !h.is_empty()).map_or(String::new(), |h| format!(" \"{h}\""));
    let mut n = 0;
    for i in 0..ctx.drafts.len() {
        let at = ctx.drafts[i].conn.at;
        let Some(read) = at.checked_sub(plan.table.first).and_then(|k| dates.get(k)) else { continue };
        if !ctx.drafts[i].time_only || read.is_empty() || read.contains(&day) {
            continue;
        }
        let cell = ctx.records[at].cell(p).trim().to_owned();
        ctx.drafts[i].conn.add_review(&format!(
            "the row's date in column {}{label}, {cell}, is not the day its times were read on ({day}): check the \
             person's time",
            p + 1
        ));
        n += 1;
    }
    if n > 0 {
        ctx.warnings.push(format!(
            "{n} row(s) hold a date in column {}{label} other than the day the times of day were read on ({day}): sent \
             to review; if the table spans several days, map the column as each row's day (date={} in --columns, the \
             console's \"Day of each row's times\") and import it again",
            p + 1,
            p + 1
        ));
    }
}

/// Role cells attest has no word for, and said. In a column of words attest knows none of, the
/// most frequent is taken to be the attendees' own; so is a word held by most of the column's
/// rows, whatever the others. A person under any other word (a localized
/// `Host`, `Cohost`, `Presenter`), or under any word not understood in a column where others
/// were, is read as a panelist, not eligible unless the event's panelists are, and goes to
/// review: read as attendees, a Webex host in German, and Korean and Ukrainian organisers, were
/// eligible and given certificates, and a Romanian presenter, the one unknown word of its
/// column, was eligible with no word to anyone. A certificate withheld is one override away; a
/// certificate given to an organiser has to be revoked.
pub(crate) fn review_unknown_roles(ctx: &mut Ctx, unknown: &[(usize, String)], known_roles: usize) {
    if unknown.is_empty() {
        return;
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, v) in unknown {
        match counts.iter_mut().find(|(w, _)| *w == v.as_str()) {
            Some((_, n)) => *n += 1,
            None => counts.push((v.as_str(), 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let common: Vec<&str> = counts.iter().filter(|(_, n)| *n == most).map(|(w, _)| *w).collect();
    // The attendees' word, when one word is clearly the most frequent, and either no word of the
    // column is known or it is held by most of the rows: beside a known `Düzenleyici`, a Turkish
    // report's `Katılımcı` (every attendee) made every attendee a panelist, and no one eligible.
    let majority = most * 2 > unknown.len() + known_roles;
    let attendees = (common.len() == 1 && (known_roles == 0 || majority)).then(|| common[0]);
    for (draft, v) in unknown {
        if Some(v.as_str()) != attendees {
            ctx.drafts[*draft].conn.role_not_understood(v);
        }
    }
    let words = |ws: &mut dyn Iterator<Item = &str>| ws.map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ");
    ctx.warnings.push(match attendees {
        // One word not understood, beside known ones: no one is left under "the others" (a
        // ClickMeeting report's `Listener` beside `Presenter` promised a review, round 24).
        Some(a) if counts.len() == 1 => {
            format!("role value not understood: \"{a}\", the most frequent, read as attendee")
        }
        Some(a) => format!(
            "role values not understood: {}; \"{a}\", the most frequent, read as attendee, the others as panelists, \
             sent to review",
            words(&mut counts.iter().map(|(v, _)| *v))
        ),
        None => format!(
            "role values not understood, read as panelists and sent to review: {}",
            words(&mut counts.iter().map(|(v, _)| *v))
        ),
    });
}

/// The rows of a mapped event log: each a join or a leave, paired once every date is read
/// ([`teams::pair_events`](crate::import::teams::pair_events)), per person (email, else name).
fn log_rows(
    ctx: &mut Ctx,
    plan: &Plan,
    cols: (&[usize], Option<usize>, usize, usize, Option<usize>),
    date: Option<usize>,
) {
    let (name, email, action, time, role) = cols;
    let actions = plan.actions.clone().unwrap_or_else(Actions::known);
    let header = plan.table.header;
    let label = |p: usize| {
        plan.table.header_cells.get(p).filter(|h| !h.is_empty()).cloned().unwrap_or_else(|| format!("column {}", p + 1))
    };
    for i in plan.table.first..plan.table.end {
        if ctx.records[i].is_blank() {
            continue;
        }
        ctx.mark(i, RowKind::Data, header, None);
        let r = &ctx.records[i];
        // An event's person is keyed by the address before the rows are drafts, so the email
        // cell is read as one here ([`crate::import::address`]): every `N/A` was one person.
        let (n, e) = (name_of(r, name), value(r, email).and_then(|c| crate::import::address(&c)));
        if n.is_none() && e.is_none() {
            ctx.skip(i, "no name and no email: cannot be attributed to anyone");
            continue;
        }
        let Some(word) = value(r, Some(action)) else {
            ctx.row_error(i, &label(action), "", "no action (joined or left)");
            continue;
        };
        if value(r, Some(time)).is_none() {
            ctx.row_error(i, &label(time), "", "no time for the event");
            continue;
        }
        let Some(joined) = actions.reads(&word) else {
            let why = format!(
                "not an action word of this mapping (joined: {}; left: {}): name them with joined=WORD,left=WORD",
                actions.joined.join(" | "),
                actions.left.join(" | ")
            );
            ctx.row_error(i, &label(action), &word, why);
            continue;
        };
        ctx.other_dates.push((i, time));
        if let Some(p) = date.filter(|&p| !r.cell(p).trim().is_empty()) {
            ctx.days.push((i, p));
        }
        let role = value(r, role)
            .and_then(|v| crate::import::words::mapped_role(&v))
            .unwrap_or(crate::attendance::Role::Attendee);
        let display = n.clone().or(e.clone()).unwrap_or_default();
        let key = e.as_deref().map(normalise).unwrap_or_else(|| normalise(&display));
        ctx.log_events.push(crate::import::teams::LogEvent {
            record: i,
            key,
            joined,
            at: (i, time),
            role,
            name: display,
            email: e,
        });
    }
    for i in plan.table.end..ctx.records.len() {
        if !ctx.records[i].is_blank() {
            ctx.skip(i, "after the end of the mapped table");
        }
    }
    let words = match &plan.actions {
        Some(a) => format!("joined: {}; left: {}", a.joined.join(" | "), a.left.join(" | ")),
        None => "the action words attest knows".into(),
    };
    ctx.variant =
        format!("event log, columns mapped by staff ({}): {}; {words}", plan.source, columns_arg(&plan.mapping));
}

/// Before a mapped event log is read: every word of its action column must be one the mapping
/// (or attest) knows, else the mapping is refused listing the words to name, rather than every
/// row refused one by one.
pub fn check_actions(
    records: &[Record],
    t: &Table,
    mapping: &Mapping,
    actions: Option<&Actions>,
) -> Result<(), String> {
    let Some(&(_, a)) = mapping.iter().find(|(f, _)| *f == Field::Action) else { return Ok(()) };
    let known = Actions::known();
    let actions = actions.unwrap_or(&known);
    let mut unknown: Vec<String> = records[t.first..t.end]
        .iter()
        .map(|r| r.cell(a).to_owned())
        .filter(|w| !w.is_empty() && actions.reads(w).is_none())
        .collect();
    unknown.sort();
    unknown.dedup();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the action column's words {} are not known; say which means joined and which left with \
         joined=WORD,left=WORD in the columns (several words with |)",
        unknown.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
    ))
}
