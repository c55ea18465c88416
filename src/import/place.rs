//! Dates placed in time: every date cell of the file read together, so that the day/month
//! order is decided once per file; the meeting chosen (Active Hosts files hold several) and
//! placed; each draft's join and leave turned into UTC instants in the upload's zone.
//!
//! The file's order is decided from its own cells ([`dates::decide_order`]); a file that cannot
//! decide is refused with the flag to give, never read in a guessed order.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::ctx::header_label;
use super::dates::{self, DateOrder, Local, OrderVerdict, Stamp};
use super::{
    CellRef, Connection, Ctx, Format, ImportError, ImportOptions, MeetingDraft, MeetingInfo, RowAt, RowKind, headers,
    minutes_range, zone_label,
};

/// The options the file's times are read with, when they are not the upload's: a Teams live
/// event's log is in UTC; a file that names its zone (GoTo's summary block, a join or leave
/// column's header `Join Time (UTC)`) is read in it, and the report says so.
pub(super) fn file_zone(ctx: &mut Ctx, format: Format, opts: &ImportOptions) -> Option<ImportOptions> {
    if format == Format::TeamsLiveEvent {
        return Some(ImportOptions { tz: chrono_tz::UTC, ..opts.clone() });
    }
    let (named, by, header) = match ctx.zone {
        Some(named) => (named, "the file's summary block names".to_owned(), false),
        None => {
            let (named, header) = ctx.zone_in_headers()?;
            (named, format!("the header \"{header}\" names"), true)
        }
    };
    // `UTC` in a header is UTC: only an offset may be a zone's standard time.
    let tz = if named == chrono_tz::UTC && header { named } else { with_summer_time(named, opts.tz) };
    ctx.zone = Some(tz);
    ctx.warnings.push(if tz == named {
        format!("times read in {}, the zone {by}", zone_label(tz.name()))
    } else {
        format!(
            "times read in {}, whose standard offset is the {} {by} (a fixed offset has no summer time)",
            zone_label(tz.name()),
            zone_label(named.name())
        )
    });
    Some(ImportOptions { tz, ..opts.clone() })
}

/// A fixed offset a file names (`GMT+01:00`, which carries no summer time) that is the
/// upload's zone's standard offset is that zone, summer time and all: a June seminar labelled
/// `GMT+01:00` was read an hour off, and `--tz Europe/Paris`, which the note advised, changed
/// nothing.
fn with_summer_time(file: chrono_tz::Tz, upload: chrono_tz::Tz) -> chrono_tz::Tz {
    use chrono::{Offset, TimeZone};
    use chrono_tz::OffsetComponents;
    if !file.name().starts_with("Etc/") && file != chrono_tz::UTC {
        return file;
    }
    let winter = chrono::NaiveDate::from_ymd_opt(2025, 1, 15).and_then(|d| d.and_hms_opt(12, 0, 0));
    let standard = |tz: chrono_tz::Tz| winter.map(|w| tz.offset_from_utc_datetime(&w).base_utc_offset());
    let fixed = winter.map(|w| file.offset_from_utc_datetime(&w).fix().local_minus_utc());
    match (standard(upload), fixed) {
        (Some(s), Some(f)) if s.num_seconds() == i64::from(f) && upload != file => upload,
        _ => file,
    }
}

/// Reads every date cell, decides the file's day/month order once, and reports cells that no
/// order can read.
pub(super) fn place_dates(ctx: &mut Ctx, opts: &ImportOptions) -> Result<Option<DateOrder>, ImportError> {
    let mut cells: Vec<CellRef> = Vec::with_capacity(2 * ctx.drafts.len());
    for d in &ctx.drafts {
        cells.extend(d.conn.join);
        cells.extend(d.conn.leave);
    }
    for m in &ctx.meetings {
        cells.extend(m.start);
        cells.extend(m.end);
    }
    cells.extend(ctx.other_dates.iter().copied());
    let mut bad = Vec::new();
    let records = &ctx.records;
    let parsed = on_two_cores(&cells, |&(rec, pos)| {
        let text = records[rec].cell(pos);
        (!text.is_empty() && text != "--").then(|| Stamp::parse(text))
    });
    // Sized once: regrowing a 100,000-row file's stamps copied and faulted in megabytes.
    ctx.stamps.reserve(cells.len());
    // Each row's own day (a mapped column of dates), a date without a time of day.
    let days = ctx.days.iter().map(|&(rec, pos)| {
        let text = records[rec].cell(pos).trim();
        ((rec, pos), (!text.is_empty()).then(|| Stamp::parse_day(text).and_then(day_only)))
    });
    let days: Vec<(CellRef, Option<Result<Stamp, String>>)> = days.collect();
    for ((rec, pos), stamp) in cells.into_iter().zip(parsed).chain(days) {
        match stamp {
            Some(Ok(st)) => ctx.stamps.push(((rec, pos), st)),
            Some(Err(why)) => bad.push((rec, pos, ctx.records[rec].cell(pos).to_owned(), why)),
            None => {}
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
    if let Some(((rec, pos), _)) = ctx.stamps.iter().find(|(_, st)| st.buddhist_era()) {
        ctx.warnings.push(format!(
            "line {} writes the year in the Buddhist era (\"{}\", as a Thai spreadsheet does): its years were read \
             543 years earlier, in the common era",
            ctx.records[*rec].line,
            ctx.records[*rec].cell(*pos)
        ));
    }
    let records = &ctx.records;
    let verdict = dates::decide_order_of(ctx.stamps.iter().map(|(c, st)| (*c, st)), |c| records[c.0].cell(c.1));
    let order = decided_order(ctx, opts, verdict)?;
    // A row's day that reads as no date in the file's order (`31.02.2025`) is its row's error,
    // rather than the row read on another day.
    for i in 0..ctx.days.len() {
        let cell = ctx.days[i];
        if let Some(Err(why)) = ctx.stamp(cell).map(|st| st.resolve(order, None)) {
            ctx.date_error(cell, format!("cannot read as a date ({why})"));
        }
    }
    Ok(order)
}

/// The file's day/month order: the one staff gave, else the one its cells decide, else the one
/// that puts them on the event's day.
fn decided_order(ctx: &mut Ctx, opts: &ImportOptions, verdict: OrderVerdict) -> Result<Option<DateOrder>, ImportError> {
    match (verdict, opts.date_order) {
        (_, Some(o)) => Ok(Some(o)),
        (OrderVerdict::NotNeeded, None) => Ok(None),
        (OrderVerdict::Decided(o), None) => Ok(Some(year_first_on_the_events_day(ctx, opts, o))),
        (OrderVerdict::Undecided { example }, None) => match order_of_the_event(ctx, opts) {
            Some(o) => {
                ctx.warnings.push(format!(
                    "every date reads both ways (e.g. \"{example}\"): read as {}, the order that puts them on the event's day (and any registration before it)",
                    match o {
                        DateOrder::Mdy => "month/day",
                        DateOrder::Dmy => "day/month",
                        DateOrder::Ymd => "year/month/day",
                    }
                ));
                Ok(Some(o))
            }
            None => Err(ImportError::DateOrderUndecided { file: ctx.file.clone(), example }),
        },
        (OrderVerdict::Contradictory { mdy_example, dmy_example }, None) => {
            Err(ImportError::DateOrderContradictory { file: ctx.file.clone(), mdy_example, dmy_example })
        }
    }
}

/// A row's day cell read: a date, else why it is not one.
fn day_only(st: Stamp) -> Result<Stamp, String> {
    if st.has_date() { Ok(st) } else { Err("a time without a date, in the column of each row's day".into()) }
}

/// `f` of every item, in order, the first half worked out on this core and the second on the
/// other (a large file's date cells are read a hundred thousand times over).
fn on_two_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < 4096 {
        return items.iter().map(f).collect();
    }
    let (first, second) = items.split_at(items.len() / 2);
    std::thread::scope(|s| {
        let later = s.spawn(|| second.iter().map(&f).collect::<Vec<R>>());
        let mut out: Vec<R> = Vec::with_capacity(items.len());
        out.extend(first.iter().map(&f));
        match later.join() {
            Ok(rest) => out.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        out
    })
}

fn read_local(
    ctx: &Ctx,
    cell: CellRef,
    order: Option<DateOrder>,
    base: Option<NaiveDate>,
    tz: Tz,
) -> Result<Local, String> {
    let st = match ctx.stamp(cell) {
        Some(st) => *st,
        None => Stamp::parse(ctx.records[cell.0].cell(cell.1))?,
    };
    // The cell's row's own day, where a column gives it: an event log's leave is on its row's.
    dates::place(&st, order, ctx.day_of_row(cell.0, order).or(base), tz)
}

/// When every date of the file reads both ways (a session on the 4th of March: `04/03/25`), the
/// event's own day decides: the one order that puts every date within a day of the event's
/// window. A seminar on any of the first twelve days of a month was refused until staff named
/// the order, though the event's date settled it.
fn order_of_the_event(ctx: &Ctx, opts: &ImportOptions) -> Option<DateOrder> {
    let fitting: Vec<DateOrder> = DateOrder::ALL.into_iter().filter(|&o| on_the_events_days(ctx, opts, o)).collect();
    match fitting.as_slice() {
        [o] => Some(*o),
        _ => None,
    }
}

/// The order the cells decided, unless it puts the file's dates off the event's days and
/// year-first puts them all on: CLDR's Korean short date writes a two-digit year first
/// (`25. 3. 14. 오전 10:00:00`), which the cells alone read as the 25th of March 2014 (a first
/// number over 12 is a day), and everyone was found absent. Only a day-first verdict can be so
/// misread (a month-first one has a second number over 12, no month); a file that fits its
/// event's days as decided is never read otherwise.
fn year_first_on_the_events_day(ctx: &mut Ctx, opts: &ImportOptions, decided: DateOrder) -> DateOrder {
    if decided != DateOrder::Dmy
        || on_the_events_days(ctx, opts, decided)
        || !on_the_events_days(ctx, opts, DateOrder::Ymd)
    {
        return decided;
    }
    let example = ctx.stamps.iter().find(|(_, st)| st.has_date()).map(|(c, _)| ctx.records[c.0].cell(c.1).to_owned());
    ctx.warnings.push(format!(
        "dates read as year/month/day (e.g. \"{}\"), two-digit year first: read day first, they \
         fall far from the event's day; year first puts them on it (--date-order to say otherwise)",
        example.unwrap_or_default()
    ));
    DateOrder::Ymd
}

/// Whether reading the file's numeric dates in `o` puts every date within a day of the event's
/// window (false without a window, or without a date). A registration is made before the event,
/// up to a year: a registration time may be that much earlier (a webinar report's registrations
/// of `03/10/2025` beside joins written `Mar 14, 2025` made the file refused as reading both
/// ways, round 23).
fn on_the_events_days(ctx: &Ctx, opts: &ImportOptions, o: DateOrder) -> bool {
    let Some((ws, we)) = opts.event_window else { return false };
    let (first, last) = (ws.date_naive() - chrono::Days::new(1), we.date_naive() + chrono::Days::new(1));
    let registered_from = ws.date_naive() - chrono::Days::new(366);
    let mut registration_columns: std::collections::HashMap<(Option<usize>, usize), bool> = Default::default();
    let mut registration = |(row, col): CellRef| {
        *registration_columns
            .entry((ctx.info[row].header_line, col))
            .or_insert_with(|| headers::lookup(&header_label(ctx, row, col)).contains(&headers::Col::RegistrationTime))
    };
    let mut any = false;
    for (cell, st) in ctx.stamps.iter().filter(|(_, st)| st.has_date()) {
        any = true;
        match st.resolve(Some(o), None) {
            Ok(t) if (first..=last).contains(&t.date()) => {}
            Ok(t) if (registered_from..=last).contains(&t.date()) && registration(*cell) => {}
            _ => return false,
        }
    }
    any
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
pub(super) fn choose_meeting(
    ctx: &mut Ctx,
    opts: &ImportOptions,
    order: Option<DateOrder>,
) -> Result<MeetingInfo, ImportError> {
    let drafts = std::mem::take(&mut ctx.meetings);
    let placed: Vec<(MeetingDraft, MeetingInfo, Option<NaiveDate>)> = drafts
        .into_iter()
        .map(|m| {
            let (info, base) = place_meeting(ctx, &m, order, opts.tz);
            (m, info, base)
        })
        .collect();
    let describe = |m: &MeetingInfo| {
        let parts = [
            Some(m.id.clone().unwrap_or_else(|| "?".into())),
            m.topic.as_deref().map(|t| format!("\"{t}\"")),
            m.start.map(|s| s.format("%Y-%m-%d %H:%M UTC").to_string()),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
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
    // The day staff gave (`--date`) names one occurrence of a recurring meeting, whose
    // occurrences share the ID: `--meeting ID` alone took the first.
    let on_the_day = |i: usize| {
        opts.meeting_date
            .is_some_and(|d| placed[i].1.start.is_some_and(|s| s.with_timezone(&opts.tz).date_naive() == d))
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
        // A recurring meeting keeps its ID: the instance on the day staff gave, else the one the
        // event's window covers most.
        with_id.iter().copied().max_by_key(|&i| (on_the_day(i), overlap(&placed[i].1), std::cmp::Reverse(i)))
    } else if let [one] = (0..placed.len()).filter(|&i| on_the_day(i)).collect::<Vec<_>>()[..] {
        Some(one)
    } else {
        by_title_or_window(&placed, opts, overlap, same_id)
    };
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
    let others: Vec<usize> = ctx.drafts.iter().filter(|d| !groups.contains(&d.group)).map(|d| d.conn.at).collect();
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

/// Which of several meetings (by ID: a restarted meeting's instances are one) an import is
/// for, when staff did not say (`--meeting`): the one whose topic is the event's title, else the
/// one the event's window covers clearly most. Two meetings the window covers alike (a parallel
/// course on the same Active Hosts export) are asked about: the closer one by a minute or two
/// was taken, and its attendees issued certificates for the wrong seminar.
fn by_title_or_window(
    placed: &[(MeetingDraft, MeetingInfo, Option<NaiveDate>)],
    opts: &ImportOptions,
    overlap: impl Fn(&MeetingInfo) -> i64,
    same_id: impl Fn(&MeetingInfo, &MeetingInfo) -> bool,
) -> Option<usize> {
    // The first instance of each meeting ID, with the seconds of the window its instances cover.
    let mut meetings: Vec<(usize, i64)> = Vec::new();
    for (i, (_, m, _)) in placed.iter().enumerate() {
        match meetings.iter_mut().find(|(f, _)| same_id(&placed[*f].1, m)) {
            Some((_, covered)) => *covered += overlap(m),
            None => meetings.push((i, overlap(m))),
        }
    }
    let in_window = |covered: i64| opts.event_window.is_none() || covered > 0;
    if let Some(title) = opts.event_title.as_deref().map(headers::normalise) {
        let titled: Vec<usize> = meetings
            .iter()
            .filter(|&&(i, covered)| {
                in_window(covered) && placed[i].1.topic.as_deref().map(headers::normalise) == Some(title.clone())
            })
            .map(|&(i, _)| i)
            .collect();
        if let [one] = titled[..] {
            return Some(best_instance(placed, one, &overlap, &same_id));
        }
    }
    opts.event_window?;
    meetings.sort_by_key(|&(i, covered)| (std::cmp::Reverse(covered), i));
    match meetings[..] {
        [(best, covered), ..] if covered > 0 && meetings.get(1).is_none_or(|&(_, next)| next * 2 < covered) => {
            Some(best_instance(placed, best, &overlap, &same_id))
        }
        _ => None,
    }
}

/// Of a meeting's instances, the one the event's window covers most (the first on a tie).
fn best_instance(
    placed: &[(MeetingDraft, MeetingInfo, Option<NaiveDate>)],
    first: usize,
    overlap: &impl Fn(&MeetingInfo) -> i64,
    same_id: &impl Fn(&MeetingInfo, &MeetingInfo) -> bool,
) -> usize {
    (0..placed.len())
        .filter(|&i| i == first || same_id(&placed[i].1, &placed[first].1))
        .max_by_key(|&i| (overlap(&placed[i].1), std::cmp::Reverse(i)))
        .unwrap_or(first)
}

pub(super) fn build_connections(
    ctx: &mut Ctx,
    order: Option<DateOrder>,
    opts: &ImportOptions,
    meeting: &MeetingInfo,
) -> Vec<Connection> {
    let drafts = std::mem::take(&mut ctx.drafts);
    let base = ctx.meetings_base;
    let tz = opts.tz;
    let last_event = if drafts.iter().any(|d| d.leave_at_last_event) { latest_cell(ctx, order, base) } else { None };
    let day_start = meeting.start.or_else(|| time_of_day_start(ctx, &drafts, order, base, tz));
    // The people of rows refused (kept as errors under `skip_bad_rows`): their other rows go to
    // review, for their time is short by what the refused row held.
    let mut refused: Vec<(String, Option<String>, usize)> = Vec::new();
    // Every draft's times worked out on both cores (what its cells say does not depend on the
    // other rows); what that means for the file is applied below, row after row.
    let mut times: Vec<Times> =
        on_two_cores(&drafts, |d| draft_times(ctx, d, (order, base, tz), day_start, last_event));
    // Connections are built in the drafts' own memory (a connection is smaller than a draft,
    // and `filter_map` over `into_iter` collects in place): a 100,000-row file held both, 45 MB.
    let mut connections: Vec<Connection> = drafts
        .into_iter()
        .enumerate()
        .filter_map(|(i, mut d)| {
            if ctx.info[d.conn.at].kind == RowKind::Error {
                refused.push((d.conn.name.clone(), d.conn.email.clone(), ctx.records[d.conn.at].line));
                return None;
            }
            if d.leave_at_last_event {
                d.conn.leave = last_event;
            }
            let (mut join, mut leave, mut review) = (None, None, d.conn.review.take());
            match std::mem::replace(&mut times[i], Times::Untimed) {
                Times::Untimed => {}
                Times::Placed { join: j, leave: l, interval_note, stated_note, capped } => {
                    (join, leave) = (Some(j), Some(l));
                    if capped {
                        // The time the row states caps what it counts (`attendance`).
                        d.conn.total_seconds = d.stated_s;
                    }
                    review =
                        [interval_note, review, stated_note].into_iter().flatten().reduce(|a, b| format!("{a}; {b}"));
                }
                Times::Unread(join_why, leave_why) => {
                    for (cell, why) in [(d.conn.join, join_why), (d.conn.leave, leave_why)] {
                        if let (Some(cell), Some(why)) = (cell, why) {
                            unread_time(ctx, cell, why);
                        }
                    }
                    refused.push((d.conn.name.clone(), d.conn.email.clone(), ctx.records[d.conn.at].line));
                    return None;
                }
                Times::NoInterval(why) => {
                    if let Some(lc) = d.conn.leave {
                        let col = header_label(ctx, lc.0, lc.1);
                        let v = ctx.records[lc.0].cell(lc.1).to_owned();
                        ctx.row_error(d.conn.at, &col, &v, why);
                    }
                    refused.push((d.conn.name.clone(), d.conn.email.clone(), ctx.records[d.conn.at].line));
                    return None;
                }
            }
            let record = d.conn.at;
            ctx.info[record].kind = RowKind::Data;
            let at = RowAt { row: record, line: ctx.records[record].line };
            Some(d.conn.placed(at, join, leave, review))
        })
        .collect();
    // A total is not placed in time; the meeting its file states is, and each total carries it:
    // what of the total may have been outside the event's window (`attendance`).
    if let (Some(start), Some(end)) = (meeting.start, meeting.end) {
        for c in
            connections.iter_mut().filter(|c| c.kind == crate::attendance::ConnectionKind::Total && c.join.is_none())
        {
            (c.join, c.leave) = (Some(start), Some(end));
        }
    }
    for (name, email, line) in refused {
        let same = |c: &Connection| match (&email, &c.email) {
            (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
            (None, None) => !name.trim().is_empty() && headers::normalise(&name) == headers::normalise(&c.name),
            _ => false,
        };
        let note = format!("line {line} of this person was refused: their time may be short by what it held");
        for c in connections.iter_mut().filter(|c| same(c)) {
            c.add_review(&note);
        }
    }
    connections
}

/// A row whose join to leave is longer than its stated duration by a minute or more (an Excel
/// re-save drops seconds, 59 at most; Zoom rounds a duration up, never down): the person was away
/// part of the time (a summary row's first join and last leave, such as Zoom's unique users, or
/// time in the meeting counted apart from the span). The row counts the time it states (its
/// `total_seconds`), and a person looks at it: when in the span the person was away, nobody can
/// tell. Two minutes away were let through (74 stated over 76 counted 76, and made an eligible).
///
/// A row stating more time than its join to leave, by more than two minutes of rounding, says
/// two things that cannot both be true: the span counts, the smaller, and a person looks (a
/// Meet row of `1 hr 30 min` over 10:00 to 11:00 was counted 60 with no word, round 23).
fn stated_note(stated: i64, span: i64) -> Option<String> {
    if stated > span + 120 {
        return Some(format!(
            "the row says {} min in the meeting but only {} min from join to leave: the {} min between join and \
             leave were counted; check the row",
            stated / 60,
            span / 60,
            span / 60
        ));
    }
    (span > stated + 59).then(|| {
        format!(
            "the row says {} min in the meeting but {} min from join to leave: away part of the time, and only the time in the meeting was counted",
            stated / 60,
            span / 60
        )
    })
}

/// The date cell of the file holding the latest time, read in the file's order.
fn latest_cell(ctx: &Ctx, order: Option<DateOrder>, base: Option<NaiveDate>) -> Option<CellRef> {
    ctx.stamps
        .iter()
        .filter_map(|(cell, st)| Some((st.resolve(order, ctx.day_of_row(cell.0, order).or(base)).ok()?, *cell)))
        .max_by_key(|(t, cell)| (*t, std::cmp::Reverse(*cell)))
        .map(|(_, cell)| cell)
}

/// When a file of times of day without a meeting start (a Google Meet report, a GoTo Meeting
/// list) began, on its day: the join after the longest stretch of the clock no one joined in.
/// A meeting opened at 23:50 has joins at 23:50, 00:01 and 00:10; the longest quiet stretch
/// runs from 00:10 round to 23:50, so the meeting began at 23:50 and the joins after midnight
/// are the next day's (they were read as the day before, 0 minutes, with no word).
fn time_of_day_start(
    ctx: &Ctx,
    drafts: &[super::Draft],
    order: Option<DateOrder>,
    base: Option<NaiveDate>,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    let base = base?;
    let mut seconds: Vec<u32> = drafts
        .iter()
        .filter(|d| d.time_only && d.conn.join.is_some_and(|c| ctx.day_of_row(c.0, order).is_none()))
        .filter_map(|d| ctx.stamp(d.conn.join?)?.resolve(order, Some(base)).ok())
        .map(|t| chrono::Timelike::num_seconds_from_midnight(&t.time()))
        .collect();
    seconds.sort_unstable();
    seconds.dedup();
    let (&first, &last) = (seconds.first()?, seconds.last()?);
    // The stretch from the last join of the day round to the first is one of the gaps.
    let mut start = first;
    let mut widest = first + 86_400 - last;
    for w in seconds.windows(2) {
        if w[1] - w[0] > widest {
            (widest, start) = (w[1] - w[0], w[1]);
        }
    }
    let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(start, 0)?;
    chrono::TimeZone::from_local_datetime(&tz, &base.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

fn shift_day(l: Local) -> Local {
    match l {
        Local::Single(t) => Local::Single(t + chrono::Duration::days(1)),
        Local::Ambiguous(a, b) => Local::Ambiguous(a + chrono::Duration::days(1), b + chrono::Duration::days(1)),
    }
}

/// What a draft's join and leave cells say, worked out apart from every other row.
enum Times {
    /// The draft has no join and leave to read (a row of totals).
    Untimed,
    /// Read and placed: the interval, a note on how it was chosen, a note that the time the row
    /// states disagrees with its span (less: away part of it; more: one of them is wrong), and
    /// whether that stated time caps what it counts.
    Placed {
        join: DateTime<Utc>,
        leave: DateTime<Utc>,
        interval_note: Option<String>,
        stated_note: Option<String>,
        capped: bool,
    },
    /// Why the join, and why the leave, could not be read (one of them at least).
    Unread(Option<String>, Option<String>),
    /// Both read, but no interval fits them: why.
    NoInterval(String),
}

/// Reads `d`'s join and leave in the file's date order, day and zone (`how`): a time-only join
/// far before the meeting's start (`day_start`) is on the next day, and so is a time-only leave
/// before its join (after midnight).
fn draft_times(
    ctx: &Ctx,
    d: &super::Draft,
    (order, base, tz): (Option<DateOrder>, Option<NaiveDate>, Tz),
    day_start: Option<DateTime<Utc>>,
    last_event: Option<CellRef>,
) -> Times {
    let leave_cell = if d.leave_at_last_event { last_event } else { d.conn.leave };
    let (Some(jc), Some(lc)) = (d.conn.join, leave_cell) else { return Times::Untimed };
    // A row with a day of its own is on it: not moved to the next day by the meeting's start.
    let own_day = ctx.day_of_row(jc.0, order);
    let join = read_local(ctx, jc, order, base, tz).map(|j| match day_start {
        Some(s) if d.time_only && own_day.is_none() && j.earliest() < s - chrono::Duration::hours(1) => shift_day(j),
        _ => j,
    });
    let (j, mut l) = match (join, read_local(ctx, lc, order, base, tz)) {
        (Ok(j), Ok(l)) => (j, l),
        (j, l) => return Times::Unread(j.err(), l.err()),
    };
    if d.time_only && l.earliest() < j.earliest() {
        // Leave after midnight.
        l = shift_day(l);
    }
    match dates::resolve_interval(j, l, d.duration_s) {
        Ok(iv) => {
            let span = (iv.leave - iv.join).num_seconds();
            let stated = d.stated_s.and_then(|stated| stated_note(stated, span));
            // The time in the meeting caps a span longer by more than Zoom's rounding up (a
            // minute), or by anything when it is stated to the second (`1h 14m 59s`): exact, not
            // rounded. An Excel re-save of a Teams report dropped its times' seconds, and 74:59
            // stated over 10:25 to 11:40 counted 75:00, and certified.
            let capped = d.stated_s.is_some_and(|stated| span > stated + 59 || (stated % 60 != 0 && stated < span));
            Times::Placed { join: iv.join, leave: iv.leave, interval_note: iv.review, capped, stated_note: stated }
        }
        Err(why) => Times::NoInterval(why),
    }
}

/// A time cell that could not be read is its row's error (the first of the row's only).
fn unread_time(ctx: &mut Ctx, cell: CellRef, why: String) {
    let col = header_label(ctx, cell.0, cell.1);
    let v = ctx.records[cell.0].cell(cell.1).to_owned();
    if ctx.info[cell.0].kind != RowKind::Error {
        ctx.row_error(cell.0, &col, &v, why);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use crate::import::{ImportOptions, parse};

    /// A file large enough for its dates and drafts to be read on both cores reads as row
    /// after row would: every connection in its row's order with its own times, and the rows
    /// that cannot be read refused at their own lines, in order, whichever half they are in.
    #[test]
    fn a_file_read_on_both_cores_keeps_its_rows_times_and_refusals_in_order() {
        let n = 6000;
        let mut csv = String::from("Name (original name),Email,Join time,Leave time,Duration (minutes)\n");
        for i in 0..n {
            let (join, leave) = match i {
                // An unreadable time in the first half, no interval in the second.
                100 => ("03/14/2025 10:00:00 AM".to_owned(), "not a time".to_owned()),
                4000 => ("03/14/2025 11:00:00 AM".to_owned(), "03/14/2025 10:00:00 AM".to_owned()),
                _ => (format!("03/14/2025 10:{:02}:{:02} AM", i / 60 % 60, i % 60), "03/14/2025 11:40:00 AM".into()),
            };
            csv.push_str(&format!("P{i},p{i}@example.org,{join},{leave},60\n"));
        }
        let opts = ImportOptions::in_zone(chrono_tz::Europe::Paris);
        let p = parse("big.csv", csv.as_bytes(), &opts, true).unwrap();
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [102, 4002], "{:?}", p.errors);
        assert_eq!(p.connections.len(), n - 2);
        for c in &p.connections {
            let i: usize = c.name.trim_start_matches('P').parse().unwrap();
            assert_eq!(c.at.line, i + 2);
            let join =
                chrono_tz::Europe::Paris.with_ymd_and_hms(2025, 3, 14, 10, (i / 60 % 60) as u32, (i % 60) as u32);
            assert_eq!(c.join, Some(join.unwrap().to_utc()), "line {}", c.at.line);
        }
    }
}
