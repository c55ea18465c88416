//! A detected file read to the end: the family's reader fills the [`Ctx`], then the checks
//! that concern every family (a truncated last row, bytes that were not of the encoding), the
//! dates and the meeting ([`place`](super::place)), and the stored rows renumbered without the
//! blank ones.
//!
//! Whether bad rows refuse the file is decided here, once, from `skip_bad_rows`; how a family's
//! rows are read is not (one module per family).

use super::ctx::header_label;
use super::detect::DETECT_ROWS;
use super::place::{build_connections, choose_meeting, place_dates};
use super::text::{self, Record};
use super::{
    AppliedMapping, Ctx, Format, ImportError, ImportOptions, ParsedExport, RawRow, ReadAs, RowKind, google_meet, goto,
    mapping, teams, webex, zoom_meeting, zoom_webinar,
};

/// Reads a detected file to the end: the family's reader, the checks every family shares, the
/// dates and the meeting, then the stored rows and the connections.
pub(super) fn finish(
    file: &str,
    format: Format,
    records: Vec<Record>,
    read: ReadAs,
    opts: &ImportOptions,
    skip_bad_rows: bool,
    plan: Option<mapping::Plan>,
) -> Result<ParsedExport, ImportError> {
    if let Some(limit) = opts.max_rows.filter(|&max| records.len() > max) {
        return Err(ImportError::TooManyRows { file: file.into(), rows: records.len(), limit });
    }
    let (encoding, delimiter) = (read.encoding, read.delimiter);
    let mut ctx = Ctx::new(file, records);
    let applied = plan.as_ref().map(|p| AppliedMapping {
        header_key: mapping::header_key(&p.table.header_cells),
        mapping: p.mapping.clone(),
        actions: p.actions.clone(),
        source: p.source,
    });
    read_family(&mut ctx, format, plan.as_ref())?;
    ctx.addresses_only();
    // A Teams report read through the mapping (its headers in a language without words): its
    // presenters are read as a Teams meeting report's, attendees, as the event says (a Dutch
    // report's `Presentator` was a panelist, and `--teams-presenters` changed nothing).
    if format == Format::Mapped && ctx.presenters.is_none() && super::teams::numbered_sections(&ctx.records) {
        ctx.presenters = Some(super::PresenterReading::Attendee);
    }
    // Zoom's participant readers apply the tags themselves, as they read each row.
    let zoom_participants = matches!(
        format,
        Format::ZoomMeetingParticipants | Format::ZoomUniqueUsers | Format::ZoomActiveHosts | Format::ZoomDashboard
    );
    if !zoom_participants {
        super::hosts::host_tags(&mut ctx);
    }
    totals_lines(&mut ctx);
    question_marks(&mut ctx);
    if read.guessed {
        super::code_pages::review_names(&mut ctx, read.encoding);
    }
    if plan.is_none() {
        unread_emails(&mut ctx);
        // After the emails: an address read from a column the family does not know matches too.
        // Only above a table whose meeting block did not give its host (read, the family found
        // it; read without the host's column, in Italian `Email utente`, the host was eligible).
        let no_host = ctx.meetings.iter().all(|m| m.host_email.is_none() && m.host_name.is_none());
        // The table's header: the last one above its first row (a meeting block's header comes
        // before it).
        let first_row = ctx.info.iter().position(|r| r.kind == RowKind::Data);
        let table = first_row.and_then(|d| ctx.info[..d].iter().rposition(|r| r.kind == RowKind::Header));
        if let Some(top) = table.filter(|_| no_host) {
            super::hosts::host_above_the_table(&mut ctx, top);
        }
        unread_roles(&mut ctx);
        unread_times(&mut ctx);
        unread_durations(&mut ctx);
    }
    // After the roles a column the family does not read gave (an Italian Teams report's
    // `Relatore`, read as attendees beside six `Partecipante`: the speakers were certified).
    if ctx.presenters == Some(super::PresenterReading::Attendee) && super::teams::presenters_were_chosen(&ctx) {
        ctx.presenters = Some(super::PresenterReading::Panelist);
    }
    // A meeting's reading says most people are presenters: not where no presenter's word was
    // understood (a Russian report read through the mapping, and a Polish one whose `Prezenter`
    // attest lacks, were said so, round 23). An event log's roles are in its events.
    if ctx.presenters == Some(super::PresenterReading::Attendee)
        && ctx.log_events.is_empty()
        && super::teams::people_as(&ctx, crate::attendance::Role::Panelist) == 0
    {
        ctx.presenters = None;
    }
    truncated_last_row(&mut ctx)?;
    damaged_text(&mut ctx, &read.damaged_lines, skip_bad_rows);
    let zoned = super::place::file_zone(&mut ctx, format, opts);
    let opts = zoned.as_ref().unwrap_or(opts);
    let date_order = place_dates(&mut ctx, opts)?;
    let meeting = choose_meeting(&mut ctx, opts, date_order)?;
    let goto = matches!(format, Format::GoToMeeting | Format::GoToWebinar);
    day_of_times(&mut ctx, file, format, opts, plan.as_ref(), date_order)?;
    if goto && ctx.drafts.iter().any(|d| d.time_only) {
        summary_date(&mut ctx, opts, date_order)?;
    }
    if !ctx.log_events.is_empty() {
        teams::pair_events(&mut ctx, date_order, format);
    }
    let mut connections = build_connections(&mut ctx, date_order, opts, &meeting);
    outside_the_window(&mut ctx, &mut connections, opts);
    no_one_hosted(&mut ctx, &connections, plan.as_ref());
    if !ctx.errors.is_empty() && !skip_bad_rows {
        ctx.errors.sort_by_key(|e| e.line);
        return Err(ImportError::Rows { file: file.into(), errors: ctx.errors });
    }
    let (rows, blank_rows, index) = stored_rows(&mut ctx);
    let connections = connections.into_iter().map(|mut c| {
        c.at.row = index[c.at.row];
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
        // A live event's log is in UTC whatever `--tz` says: the report says so.
        zone: if format == Format::TeamsLiveEvent { Some(chrono_tz::UTC) } else { ctx.zone },
    })
}

/// Not one connection meets the event's window: the times were most likely read in the wrong zone
/// (an export downloaded in New York read in Paris) or the file is another session's. Said, and
/// everyone sent to review, for everyone would otherwise be found absent with nothing but "103
/// min outside the session window" in each reason.
fn outside_the_window(ctx: &mut Ctx, connections: &mut [super::Connection], opts: &ImportOptions) {
    let Some((ws, we)) = opts.event_window else { return };
    // One pass: how many connections have times, from when to when they run, and whether any
    // meets the window.
    let mut span: Option<(usize, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> = None;
    let mut meets = false;
    for (j, l) in connections.iter().filter_map(|c| Some((c.join?, c.leave?))) {
        meets |= j < we && l > ws;
        span = Some(span.map_or((1, j, l), |(n, f, e)| (n + 1, f.min(j), e.max(l))));
    }
    let Some((timed, first, last)) = span else { return };
    let utc = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC");
    if meets {
        // The meeting as the file has it, whole hours from the event's: read in the wrong zone
        // (a Teams report downloaded in Bucharest and imported in Paris time found no one
        // eligible, and said nothing).
        let off = |a: chrono::DateTime<chrono::Utc>, b: chrono::DateTime<chrono::Utc>| (a - b).num_minutes();
        let mut hours = (off(first, ws) as f64 / 60.0).round() as i64;
        let mut shifted = hours != 0
            && off(first, ws).abs() >= 50
            && (off(first, ws) - hours * 60).abs() <= 15
            && (off(last, we) - hours * 60).abs() <= 30;
        if !shifted {
            // One early connection (an organiser's rehearsal) moved the first join and hid a
            // whole file read an hour off: everyone refused, the organiser certified, no word.
            if let Some(h) = better_hours(connections, ws, we) {
                (shifted, hours) = (true, h);
            }
        }
        if shifted {
            // Its people to review as well: the warning alone went unseen, and the file's hour
            // beside another export of the meeting made someone who left early eligible.
            let note = format!(
                "read {} hour(s) {} the event's time: check the zone the export was downloaded in (--tz)",
                hours.abs(),
                if hours > 0 { "after" } else { "before" }
            );
            for c in connections.iter_mut() {
                c.add_review(&note);
            }
            ctx.warnings.push(format!(
                "the connections run from {} to {}, {} hour(s) {} the event's time ({} to {}), read in {}: if the \
                 export was downloaded in another time zone, import it again with --tz ZONE",
                utc(first),
                utc(last),
                hours.abs(),
                if hours > 0 { "after" } else { "before" },
                utc(ws),
                utc(we),
                super::zone_label(ctx.zone.unwrap_or(opts.tz).name()),
            ));
        }
        return;
    }
    // Everyone to review too: the warning alone was gone with the terminal, and everyone stood
    // refused at 0:00 with nothing to review (an export downloaded in New York read in Paris).
    let note = match better_hours(connections, ws, we) {
        Some(h) => format!(
            "no connection of the file meets the event's time, and {} hour(s) {} they would: check the zone the \
             export was downloaded in (--tz), or the event's date",
            h.abs(),
            if h > 0 { "earlier" } else { "later" }
        ),
        None => "no connection of the file meets the event's time: check the zone the export was downloaded in \
                 (--tz), the event's date, or whether the file is another session's"
            .to_owned(),
    };
    for c in connections.iter_mut() {
        c.add_review(&note);
    }
    ctx.warnings.push(format!(
        "none of the {} connections meets the event's time ({} to {}): they run from {} to {}, read in {}; if the export was downloaded in another time zone, import it again with --tz ZONE (or check the event's date)",
        timed,
        utc(ws),
        utc(we),
        utc(first),
        utc(last),
        super::zone_label(ctx.zone.unwrap_or(opts.tz).name()),
    ));
}

/// Whole hours by which the event's window, moved, holds the connections' time far better
/// (half as much again, and most of it) than where it is: the file read in another zone than
/// it was written in. Positive: the connections run after the event's time.
fn better_hours(
    connections: &[super::Connection],
    ws: chrono::DateTime<chrono::Utc>,
    we: chrono::DateTime<chrono::Utc>,
) -> Option<i64> {
    let spans: Vec<_> = connections.iter().filter_map(|c| Some((c.join?, c.leave?))).collect();
    let held = |h: i64| -> i64 {
        let (s, e) = (ws + chrono::Duration::hours(h), we + chrono::Duration::hours(h));
        spans.iter().map(|&(j, l)| (l.min(e) - j.max(s)).num_seconds().max(0)).sum()
    };
    let total: i64 = spans.iter().map(|&(j, l)| (l - j).num_seconds().max(0)).sum();
    let here = held(0);
    // Most of the time already in the window (every file read right): no window holds half as
    // much again, and the 28 others are not tried on every import.
    if here * 3 >= total * 2 {
        return None;
    }
    let (best, most) = (-14..=14).filter(|&h| h != 0).map(|h| (h, held(h))).max_by_key(|&(h, t)| (t, -h.abs()))?;
    (most * 2 > here * 3 && most * 2 > total).then_some(best)
}

/// The day of a file whose rows hold times of day (GoTo's own summary aside): the day staff gave,
/// Google Meet's file name, a mapped table's own column of dates; asked for once when none, rather
/// than a located error on every row.
fn day_of_times(
    ctx: &mut Ctx,
    file: &str,
    format: Format,
    opts: &ImportOptions,
    plan: Option<&mapping::Plan>,
    date_order: Option<super::dates::DateOrder>,
) -> Result<(), ImportError> {
    let meet = format == Format::GoogleMeetAttendance;
    let goto = matches!(format, Format::GoToMeeting | Format::GoToWebinar);
    // Times of day in any family's table (a file Excel saved with time cells): the day staff
    // gave. `--date` was ignored outside Google Meet's layout and the mapping, and the file
    // refused for "no date in the report header".
    if ctx.meetings_base.is_none() && !meet && !goto && format != Format::Mapped {
        ctx.meetings_base = opts.meeting_date;
        // Asked for once, naming `--date`, rather than a located error on every row.
        let time_only = |d: &super::Draft| d.conn.join.and_then(|c| ctx.stamp(c)).is_some_and(|s| s.is_time_only());
        if ctx.meetings_base.is_none() && ctx.drafts.iter().any(time_only) {
            return Err(ImportError::NeedsDate { file: file.into() });
        }
    }
    if meet || (format == Format::Mapped && ctx.meetings_base.is_none()) {
        // Times of day (Google Meet's report; a mapped table of them, such as GoTo Meeting's
        // list or a Meet report in another language): the day staff gave, else the one in
        // Google Meet's file name, else asked for once rather than a located error on every row.
        let named = google_meet::date_from_file_name(file);
        ctx.meetings_base = opts.meeting_date.or(named);
        if let (Some(given), Some(named)) = (opts.meeting_date, named.filter(|n| Some(*n) != opts.meeting_date)) {
            // Said: the file's own name may be the right day (round 23: overridden in silence).
            ctx.warnings.push(format!(
                "the times of day were read on {given}, the day given, not on {named}, the day in the file's name"
            ));
        }
        // The column's one day, if it is the event's (a column of registration dates is not).
        let in_window = |day: &chrono::NaiveDate| {
            let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&opts.tz).date_naive();
            opts.event_window.is_none_or(|(s, e)| (local(s)..=local(e)).contains(day))
        };
        // Rows with a day of their own (a mapped column of dates) need no other; one whose day
        // cell could not be read is its row's error already, not a file without a day.
        let undated = ctx.drafts.iter().any(|d| d.time_only && ctx.day_cell(d.conn.at).is_none());
        let plan = plan.filter(|p| !p.mapping.iter().any(|(f, _)| *f == mapping::Field::Date));
        if let Some(day) = plan
            .filter(|_| ctx.meetings_base.is_none())
            .and_then(|p| mapping::day_of_the_table(ctx, p, date_order).filter(|day| in_window(day) && undated))
        {
            ctx.meetings_base = Some(day);
            ctx.warnings
                .push(format!("the times of day were read on {day}, the one day the table's column of dates names"));
        }
        if ctx.meetings_base.is_none() && (meet || undated) {
            return Err(ImportError::NeedsDate { file: file.into() });
        }
        if let (Some(plan), Some(day)) = (plan, ctx.meetings_base) {
            mapping::other_days(ctx, plan, day, date_order);
        }
    }
    Ok(())
}

/// Names in which `?` stands for letters: Excel, saving a CSV in a code page that lacks them,
/// writes `?` for each (`Šárka Dvo?áková`, `Ahmet Y?lmaz`, `???? ????` for a Cyrillic name).
/// Such names went to certificates with "nothing to review". Each goes to review, and the file
/// is named once with what to do.
fn question_marks(ctx: &mut Ctx) {
    let damaged = |name: &str| {
        // Most names hold no "?" at all: looked at letter by letter only when one does.
        if !name.contains('?') {
            return false;
        }
        let chars: Vec<char> = name.chars().collect();
        chars.iter().enumerate().any(|(i, &c)| {
            let beside =
                |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|n| n.is_alphabetic() || *n == '?');
            c == '?' && (beside(i.checked_sub(1)) || beside(Some(i + 1)))
        })
    };
    let mut n = 0;
    for d in &mut ctx.drafts {
        if damaged(&d.conn.name) {
            let note = "the name holds \"?\" where letters should be (Excel writes \"?\" for each letter its code \
                        page lacks when it saves a CSV): check the name before issuing";
            d.conn.add_review(note);
            n += 1;
        }
    }
    if n > 0 {
        ctx.warnings.push(format!(
            "{n} row(s) hold a name with \"?\" where letters should be, as Excel writes them when it saves a CSV in a \
             code page without those letters: sent to review; import the export as downloaded, or save it from Excel \
             as \"CSV UTF-8\""
        ));
    }
}

/// A file that marks no one as host, organiser or panelist (Teams' 2020 list and Webex Events
/// have no role column; a Zoom host renamed without `(Host)`): everyone is read as an attendee,
/// and the organiser would be issued a certificate. Said, so that staff set the organiser's and
/// speakers' decisions by hand.
fn no_one_hosted(ctx: &mut Ctx, connections: &[super::Connection], plan: Option<&mapping::Plan>) {
    use crate::attendance::{ConnectionKind, Role};
    // A header and nothing under it (a report downloaded before anyone joined, or emptied by
    // hand) was imported with no word.
    if connections.is_empty() && ctx.errors.is_empty() {
        ctx.warnings.insert(0, "the file holds no participant rows: no one's attendance was read from it".into());
        return;
    }
    // A registration report imports its registrants, none of whom can be found to have
    // attended from it: said first, since a successful import of one looked like attendance.
    if !connections.is_empty() && connections.iter().all(|c| c.kind == ConnectionKind::Registration) {
        ctx.warnings.insert(
            0,
            "the file lists registrations only, no one's time in the meeting: no one can be found to have attended \
             from it; import the attendance (attendee or participants) report too"
                .into(),
        );
        return;
    }
    if connections.len() >= 2 && connections.iter().all(|c| c.role == Role::Attendee) {
        // The mapping reads one table; a webinar report lists its organisers and speakers in
        // tables of their own, which it skipped. "No one is marked" would be untrue of the file.
        if let Some(others) = plan.map(|p| &p.table.others).filter(|o| !o.is_empty()) {
            let lines: Vec<String> = others.iter().map(|&(first, _)| ctx.records[first].line.to_string()).collect();
            ctx.warnings.push(format!(
                "no one in the table read is marked as host, organiser or panelist, so everyone in it was read as an \
                 attendee; the file's other tables of times (from {} {}), skipped, may be its organisers' and \
                 speakers' (a webinar report lists them apart): if an organiser or speaker is in the table read, set \
                 their decision by hand (attest override)",
                if lines.len() == 1 { "line" } else { "lines" },
                lines.join(", ")
            ));
            return;
        }
        ctx.warnings.push(
            "no one in the file is marked as host, organiser or panelist, so everyone was read as an attendee: \
             if the organiser or speakers are among them, set their decisions by hand (attest override)"
                .into(),
        );
    }
}

/// Time-only rows under a summary block: their date is the summary's (or `--date`); without
/// either the file is refused, saying so.
fn summary_date(
    ctx: &mut Ctx,
    opts: &ImportOptions,
    order: Option<super::dates::DateOrder>,
) -> Result<(), ImportError> {
    if ctx.meetings_base.is_some() {
        return Ok(());
    }
    let cell = ctx.summary_date.map(|(r, p)| ctx.records[r].cell(p).to_owned()).filter(|v| !v.is_empty());
    let read = cell.as_deref().map(|v| {
        super::dates::Stamp::parse_day(v)
            .and_then(|st| {
                // The rows hold times of day only, so the summary's own date decides its order
                // when it can (`03/14/2025`: 14 is no month); it was refused as undecided.
                let own = match super::dates::decide_order(std::iter::once((v, &st))) {
                    super::dates::OrderVerdict::Decided(o) => Some(o),
                    _ => None,
                };
                st.resolve(order.or(own), None)
            })
            .map(|t| t.date())
    });
    ctx.meetings_base = match (read, opts.meeting_date) {
        (_, Some(d)) => Some(d),
        (Some(Ok(d)), None) => Some(d),
        (Some(Err(why)), None) => {
            let what = format!("\"{}\": {why}", cell.unwrap_or_default());
            return Err(ImportError::SummaryDate { file: ctx.file.clone(), what });
        }
        (None, None) => {
            return Err(ImportError::SummaryDate { file: ctx.file.clone(), what: "no Date in it".into() });
        }
    };
    Ok(())
}

/// The family's reader over the file's records. Detection and the family's parser disagreeing
/// (no header row found) would import nothing without a word: that is refused as an unknown
/// format.
fn read_family(ctx: &mut Ctx, format: Format, plan: Option<&mapping::Plan>) -> Result<(), ImportError> {
    match format {
        Format::ZoomMeetingParticipants | Format::ZoomUniqueUsers | Format::ZoomActiveHosts | Format::ZoomDashboard => {
            zoom_meeting::parse(ctx, format)
        }
        Format::ZoomWebinarAttendees | Format::ZoomWebinarRegistrations => zoom_webinar::parse(ctx, format),
        Format::TeamsAttendanceReport | Format::TeamsEventLog | Format::TeamsLiveEvent => teams::parse(ctx, format),
        Format::GoogleMeetAttendance => google_meet::parse(ctx),
        Format::Webex => webex::parse(ctx),
        Format::GoToWebinar | Format::GoToMeeting => goto::parse(ctx, format),
        Format::Mapped => {
            if let Some(p) = plan {
                mapping::parse(ctx, p);
            }
        }
    }
    if format != Format::Mapped && !ctx.info.iter().any(|r| r.kind == RowKind::Header) {
        let first_row =
            ctx.records.iter().find(|r| !r.is_blank()).map(|r| r.fields.iter().collect::<Vec<_>>().join(","));
        return Err(ImportError::UnknownFormat {
            file: ctx.file.clone(),
            scanned: DETECT_ROWS,
            first_row: first_row.unwrap_or_default().chars().take(80).collect(),
        });
    }
    Ok(())
}

/// A family read no email, yet one column of its rows holds email addresses: its header is a
/// word attest lacks (a language's "email"). It is read as the email, and said: left unread,
/// people were matched by name only and nobody could be sent a certificate, without a word.
/// Two such columns (a host's and a participant's) are left alone: which is whose is a guess.
fn unread_emails(ctx: &mut Ctx) {
    let has_email = |d: &super::Draft| d.conn.email.is_some() || d.conn.reg_email.is_some();
    if ctx.drafts.is_empty() || !ctx.log_events.is_empty() || ctx.drafts.iter().any(has_email) {
        return;
    }
    let rows: Vec<usize> = ctx.drafts.iter().map(|d| d.conn.at).collect();
    let width = rows.iter().map(|&r| ctx.records[r].fields.len()).max().unwrap_or(0);
    // An address as [`super::address`] reads one: not a placeholder mailbox the family's own
    // column held, and dropped (`no-reply@zoom.us` was read back as "an unknown header's").
    let looks = |c: &str| !c.contains(' ') && super::address(c).is_some();
    let columns: Vec<usize> = (0..width)
        .filter(|&p| {
            let filled: Vec<&str> =
                rows.iter().map(|&r| ctx.records[r].cell(p).trim()).filter(|c| !c.is_empty()).collect();
            mapping::most(filled.iter().filter(|c| looks(c)).count(), filled.len())
        })
        .collect();
    let [p] = columns[..] else { return };
    for d in &mut ctx.drafts {
        let cell = ctx.records[d.conn.at].cell(p).trim();
        if looks(cell) {
            d.conn.email = Some(cell.to_owned());
        }
    }
    let header = header_label(ctx, rows[0], p);
    let column = if header == format!("column {}", p + 1) { header } else { format!("column {} \"{header}\"", p + 1) };
    ctx.warnings.push(format!(
        "{column} holds email addresses under a header attest does not know: read as the participants' email"
    ));
}

/// A column of role words the family does not read (a Teams report's section in a language whose
/// headers are Zoom's, read by the Zoom reader: its organiser was an eligible attendee). Where
/// the column names a host or a panelist, the person is one, and the report says so; it never
/// makes anyone an attendee the family read otherwise.
fn unread_roles(ctx: &mut Ctx) {
    use crate::attendance::Role;
    // Two in three of its cells role words, of a few kinds: in a small report one word attest
    // lacks (a Webex panelist's `Diskussionsteilnehmer` in six rows) kept the column below nine
    // in ten, and the organiser and co-organiser, known words both, were certified.
    let roles_in = |p: usize, rows: &mut dyn Iterator<Item = usize>| {
        let filled: Vec<&str> = rows.map(|r| ctx.records[r].cell(p).trim()).filter(|c| !c.is_empty()).collect();
        let mut kinds: Vec<&str> = filled.clone();
        kinds.sort_unstable();
        kinds.dedup();
        let known = filled.iter().filter(|c| super::words::role(c).is_some()).count();
        !filled.is_empty() && known * 3 >= filled.len() * 2 && kinds.len() <= 6
    };
    // The first rows find the column; only a column they find is read on every row, so the
    // file's size does not make every import look at all of it.
    let sample = || ctx.drafts.iter().take(50).map(|d| d.conn.at);
    let width = sample().map(|r| ctx.records[r].fields.len()).max().unwrap_or(0);
    let columns: Vec<usize> = (0..width)
        .filter(|&p| roles_in(p, &mut sample()) && roles_in(p, &mut ctx.drafts.iter().map(|d| d.conn.at)))
        .collect();
    let [p] = columns[..] else { return };
    let first_row = ctx.drafts[0].conn.at;
    let mut changed = 0;
    // Words not understood, with the draft each was read into, and the words understood.
    let mut unknown: Vec<(usize, String)> = Vec::new();
    let mut known = 0usize;
    // Every row's word counts as known or not (a Teams reader has made its presenters
    // panelists already); only rows read as attendees change.
    for (k, d) in ctx.drafts.iter_mut().enumerate() {
        let cell = ctx.records[d.conn.at].cell(p).trim();
        let attendee = d.conn.role == Role::Attendee;
        match super::words::role(cell) {
            Some(said @ (Role::Host | Role::Panelist)) if attendee => {
                d.conn.role = said;
                changed += 1;
                known += 1;
            }
            Some(_) => known += 1,
            None if attendee && !cell.is_empty() && cell != "--" => unknown.push((k, cell.to_owned())),
            None => {}
        }
    }
    // A word not understood in a column of role words is no attendee's unless most rows hold
    // it: read as attendees beside a Teams meeting's presenters, a German `Mitorganisator` and
    // a French co-organiser were certified; as in a mapped column, the person is left to staff.
    if !unknown.is_empty() {
        let header = header_label(ctx, first_row, p);
        ctx.warnings
            .push(format!("column {} (\"{header}\") holds role words this export's reader does not read", p + 1));
        super::mapping::review_unknown_roles(ctx, &unknown, known);
    }
    if changed > 0 {
        let header = header_label(ctx, first_row, p);
        ctx.warnings.push(format!(
            "{} role word(s) in column {} (\"{header}\"), a column this export's reader does not read, made hosts or panelists of rows read as attendees",
            changed,
            p + 1
        ));
    }
}

/// A line staff typed under the table to sum it up (`Total`, `Total attendees: 10`, `Gesamt`):
/// a name that is a totals word, with no email and no time. Stored as skipped, saying why; read
/// as a registrant, `Total` was listed among the people.
fn totals_lines(ctx: &mut Ctx) {
    const WORDS: &[&str] = &["total", "totals", "totaux", "totale", "totales", "gesamt", "insgesamt", "summe"];
    let totals = |d: &super::Draft| {
        let timeless = d.conn.email.is_none() && d.conn.join.is_none() && d.conn.leave.is_none();
        // The name is looked at only for a row with nothing else: not on every row of an import.
        timeless && d.conn.total_seconds.is_none() && {
            let name = d.conn.name.trim().to_lowercase();
            WORDS.contains(&name.split(|c: char| !c.is_alphabetic()).next().unwrap_or_default())
        }
    };
    // One cell and nothing else (`Certificates to be issued by 31 March` typed under the table
    // in Excel): a note, listed as a registrant who did not join (round 25).
    let note = |d: &super::Draft| {
        d.conn.email.is_none()
            && d.conn.join.is_none()
            && d.conn.leave.is_none()
            && d.conn.total_seconds.is_none()
            && ctx.records[d.conn.at].width() == 1
    };
    let lines: Vec<(usize, &'static str)> = ctx
        .drafts
        .iter()
        .filter_map(|d| match () {
            _ if totals(d) => Some((d.conn.at, "a totals line, not a person")),
            _ if note(d) => Some((d.conn.at, "one cell and no times under the table: a note, not a person")),
            _ => None,
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let gone: std::collections::HashSet<usize> = lines.iter().map(|&(at, _)| at).collect();
    for (at, why) in lines {
        ctx.skip(at, why);
    }
    ctx.drafts.retain(|d| !gone.contains(&d.conn.at));
}

/// Rows the reader left as context that hold a join and a leave: they stand under a header or
/// a section title attest has no words for (a French webinar report's host and panelist
/// tables), and a person's time was lost with "0 warnings". Each is stored as skipped, saying
/// why, and the report names the lines. The meeting's own rows (its start and end) are context.
fn unread_times(ctx: &mut Ctx) {
    let meeting_rows: std::collections::HashSet<usize> =
        ctx.meetings.iter().flat_map(|m| [m.start, m.end]).flatten().map(|(r, _)| r).collect();
    let unread: Vec<usize> = (0..ctx.records.len())
        .filter(|&i| ctx.info[i].kind == RowKind::Meta && !meeting_rows.contains(&i))
        .filter(|&i| {
            let dated = |c: &str| c.contains(':') && super::dates::Stamp::parse(c).is_ok_and(|s| s.has_date());
            ctx.records[i].fields.iter().filter(|c| dated(c.trim())).count() >= 2
        })
        .collect();
    if unread.is_empty() {
        return;
    }
    let lines: Vec<String> = unread.iter().map(|&i| ctx.records[i].line.to_string()).collect();
    for &i in &unread {
        ctx.skip(i, "holds a join and a leave under a header or section attest does not know: not read");
    }
    ctx.warnings.push(format!(
        "{} row(s) holding a join and a leave were not read (line(s) {}): they stand under a header or section attest does not know; check them, or read the file with --columns",
        unread.len(),
        lines.join(", ")
    ));
}

/// Rows that state no time of their own beside a column the family does not read whose cells
/// are durations written with their unit (`70 minutes`, `1 h 10 min`): a GoTo report with
/// French headers, read by the Zoom webinar reader, counted Olena's 95 minutes from join to
/// leave where the file said 70, and certified her. That column is read as each row's time in
/// the meeting: a row whose join to leave is longer counts the time stated and goes to review
/// ([`super::place`]'s away note). Taken, table by table, when two rows at least, and two in
/// three of the table's rows with a join and a leave, hold one in the same column.
fn unread_durations(ctx: &mut Ctx) {
    // Table by table (a report's host, panelist and attendee tables order their columns apart):
    // the drafts with a join and a leave and no time stated, by their header, in file order.
    let mut timed: Vec<(Option<usize>, usize)> = (0..ctx.drafts.len())
        .filter(|&i| {
            let d = &ctx.drafts[i];
            d.stated_s.is_none() && d.duration_s.is_none() && d.conn.join.is_some() && d.conn.leave.is_some()
        })
        .map(|i| (ctx.info[ctx.drafts[i].conn.at].header_line, i))
        .collect();
    timed.sort_by_key(|&(table, _)| table);
    for table in timed.chunk_by(|a, b| a.0 == b.0) {
        let rows: Vec<usize> = table.iter().map(|&(_, i)| i).collect();
        let width = rows.iter().map(|&i| ctx.records[ctx.drafts[i].conn.at].fields.len()).max().unwrap_or(0);
        let stated = |i: usize, p: usize| super::ctx::written_duration(ctx.records[ctx.drafts[i].conn.at].cell(p));
        // Two rows at least and two in three: a column is given up once more rows miss than
        // that leaves room for (most columns, at their first rows).
        let needed = (rows.len() * 2).div_ceil(3).max(2);
        let Some(p) = (0..width).find(|&p| {
            let mut misses = 0;
            rows.iter().all(|&i| {
                misses += usize::from(stated(i, p).is_none());
                misses + needed <= rows.len()
            })
        }) else {
            continue;
        };
        let read: Vec<(usize, i64)> = rows.iter().filter_map(|&i| Some((i, stated(i, p)?))).collect();
        let label = header_label(ctx, ctx.drafts[read[0].0].conn.at, p);
        for (i, seconds) in read {
            ctx.drafts[i].stated_s = Some(seconds);
        }
        ctx.warnings.push(format!(
            "column {} \"{label}\" holds durations under a header attest does not know: read as each row's time in \
             the meeting (a row whose join to leave is longer counts the time stated, and goes to review)",
            p + 1
        ));
    }
}

/// The reader runs to the end of input inside an unclosed quote: the last row is damaged, and
/// whatever else was found wrong with it follows from that, so it is one row error saying so.
/// When the quote took in the lines after its own, those lines were rows: the file is refused
/// whole, even with `skip_bad_rows`, which kept the first rows and lost 30 attendees after a
/// stray quote, saying one row was refused.
fn truncated_last_row(ctx: &mut Ctx) -> Result<(), ImportError> {
    if let Some(last) = ctx.records.len().checked_sub(1).filter(|&i| ctx.records[i].unterminated_quote) {
        let line = ctx.records[last].line;
        // The line breaks inside the cells (CRLF, LF or a lone CR each one), less the file's own
        // last one: a truncated last row is still one row.
        let cells = ctx.records[last].fields.iter().collect::<Vec<_>>().join(",");
        let cells = cells.trim_end_matches(['\r', '\n']).to_owned();
        let taken = cells.matches('\n').count() + cells.replace("\r\n", "").matches('\r').count();
        if taken > 0 {
            return Err(ImportError::OpenQuote { file: ctx.file.clone(), line, last: line + taken });
        }
        ctx.drafts.retain(|d| d.conn.at != last);
        ctx.log_events.retain(|e| e.record != last);
        ctx.errors.retain(|e| e.line != line);
        let value: String = cells.chars().take(60).collect();
        ctx.row_error(last, "(row)", &value, "a quoted field is never closed: the file looks truncated");
    }
    Ok(())
}

/// The rows to store, each with its cells and a note, and how many blank rows were left out;
/// with, for each record, its index among the stored rows (what connections point to).
///
/// Blank rows are not stored (the original bytes keep them). The records are done with: their
/// cells move into the rows, one copy of every cell.
fn stored_rows(ctx: &mut Ctx) -> (Vec<RawRow>, usize, Vec<usize>) {
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
    let rows = std::mem::take(&mut ctx.info)
        .into_iter()
        .zip(std::mem::take(&mut ctx.records))
        .zip(blank)
        .filter(|(_, b)| !b)
        .map(|((mut i, r), _)| {
            i.fields = r.fields;
            i
        })
        .collect::<Vec<_>>();
    (rows, blank_rows, index)
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
