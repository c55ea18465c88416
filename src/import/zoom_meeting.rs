//! Zoom meeting exports: the per-meeting participants report (2020-23 headers, with or without
//! the meeting block, and the 2024/25 history export), "show unique users" (total minutes only),
//! the Active Hosts details report (several meetings in one flat table) and the legacy 2017/18
//! Dashboard export (time-only rows dated from the header).
//!
//! All four share one shape: an optional meeting block, a header row, then one row per
//! connection. Rows are turned into [`Draft`]s; dates stay text until the whole file is read.

use super::headers::{Col, HeaderMap};
use super::{
    Ctx, Draft, Format, MeetingDraft, RowKind, maybe_header, minutes_slack, no_value, split_name_email, value, yes,
};
use crate::attendance::{ConnectionKind, HOST_SUFFIXES, Role, same_name};

pub fn has_host_suffix(name: &str) -> bool {
    // Every suffix is one parenthesised word: only the text from the last `(` is compared, so
    // the name is not lower-cased as a whole on every row.
    let name = name.trim_end();
    let Some(open) = name.rfind('(') else { return false };
    let tail = &name[open..];
    // The letter before the closing bracket rules out nearly every name at once (a Zoom rename's
    // `(Original Name)` ends in another letter than every tag's), before any counting.
    let before_close = |t: &str| t.strip_suffix(')').and_then(|t| t.chars().next_back());
    let Some(last) = before_close(tail).and_then(|c| c.to_lowercase().next()) else { return false };
    // Lower-casing keeps the number of characters (but for `İ`, which no suffix holds), so the
    // rest are ruled out by their length before any character is compared.
    let mut chars = None;
    HOST_SUFFIXES.iter().filter(|s| before_close(s) == Some(last)).any(|s| {
        *chars.get_or_insert_with(|| tail.chars().count()) == s.chars().count()
            && tail.chars().flat_map(char::to_lowercase).eq(s.chars())
    })
}

fn is_participant_header(h: &HeaderMap, format: Format) -> bool {
    h.has(Col::Name)
        && match format {
            Format::ZoomUniqueUsers => h.has(Col::TotalDuration),
            _ => h.has(Col::Join) && h.has(Col::Leave),
        }
}

fn is_meeting_header(h: &HeaderMap) -> bool {
    !h.has(Col::Name)
        && (h.has(Col::Topic) || h.has(Col::MeetingId) || h.has(Col::WebinarId))
        && (h.has(Col::StartTime) || h.has(Col::ActualStartTime) || h.has(Col::Host))
}

pub fn parse(ctx: &mut Ctx, format: Format) {
    let n = ctx.records.len();
    let mut header: Option<(usize, HeaderMap)> = None;
    // Each table: the one-cell title above its header, if any, its first draft, and whether
    // its header has registration columns, and how many.
    let mut tables: Vec<(Option<String>, usize, (bool, usize))> = Vec::new();
    let mut from = 0;
    let mut previous: Option<usize> = None;
    let mut first_header = None;
    // The first cell of the meeting block's header: a second block further down starts with it.
    let mut block_first_cell: Option<String> = None;
    // The records of the meeting blocks read, several in a file of pasted exports.
    let mut blocks: Vec<usize> = Vec::new();
    while let Some(i) = ctx.next_row(from) {
        from = i + 1;
        let above = previous.replace(i);
        let h = maybe_header(&ctx.records, i, header.as_ref().map(|(hi, _)| *hi));
        if let Some(h) = h.as_ref().filter(|h| is_participant_header(h, format)) {
            ctx.mark(i, RowKind::Header, None, None);
            first_header.get_or_insert(i);
            header = Some((i, h.clone()));
            let title = above.filter(|&a| ctx.records[a].width() == 1).map(|a| ctx.records[a].cell(0).to_owned());
            let registration = h.has(Col::RegistrationTime)
                || h.has(Col::ApprovalStatus)
                || (h.has(Col::FirstName) && h.has(Col::LastName));
            let width = ctx.records[i].fields.iter().filter(|c| !c.trim().is_empty()).count();
            tables.push((title, ctx.drafts.len(), (registration, width)));
            continue;
        }
        match &header {
            None => {
                if h.as_ref().is_some_and(is_meeting_header) {
                    block_first_cell = Some(ctx.records[i].cell(0).to_owned());
                    if let Some(next) = ctx.take_meeting_block(i, n) {
                        from = next;
                        blocks.push(i);
                    }
                }
                // Anything else above the table is context (report titles and the like).
            }
            // Two exports pasted into one file (a meeting that restarted): the second's meeting
            // block, read as the first's, and its table after it. Read as a participant, the
            // block's header was a refused row, and its values a person certified (round 25).
            Some(_)
                if block_first_cell.as_deref() == Some(ctx.records[i].cell(0))
                    && is_meeting_header(&HeaderMap::new(&ctx.records[i].fields)) =>
            {
                if let Some(next) = ctx.take_meeting_block(i, n) {
                    from = next;
                    blocks.push(i);
                }
                header = None;
            }
            Some((hi, h)) => {
                // A one-cell row right above another table's header is that table's title, no
                // participant; any other one-cell row is read (and refused as cut short).
                let titles_next = ctx.records[i].width() == 1
                    && ctx.next_row(i + 1).is_some_and(|j| {
                        maybe_header(&ctx.records, j, Some(*hi)).is_some_and(|n| is_participant_header(&n, format))
                    });
                if titles_next {
                    ctx.mark(i, RowKind::Meta, None, None);
                    continue;
                }
                data_row(ctx, i, *hi, h, format);
            }
        }
    }
    if let Some(first) = first_header {
        ctx.unnamed_meeting_block(first);
    }
    ctx.group_by_block(&blocks);
    earlier_sections(ctx, &tables);
    ctx.variant = variant(ctx, format, header.as_ref().map(|(_, h)| h));
}

/// A webinar report read here because its section titles are in a language without words in
/// the tables (`Dettagli host`, then the panelists', then the attendees'): each table under a
/// title, the last is the attendees'. Zoom's report lists the host first: the people of the
/// first table are read as hosts, those of the tables between as panelists (not eligible unless
/// the event's panelists are), and each goes to review. Read as attendees, an Italian report's
/// host and panelist were eligible.
///
/// The attendees' table is the one whose header has registration columns, when one alone has
/// them, else the one alone with the widest header (registration columns in words attest
/// lacks), else the last: tables after it ("Other Attended") are attendees too. Taken as the
/// last, a Korean report's "Other Attended" made every registered attendee a panelist.
fn earlier_sections(ctx: &mut Ctx, tables: &[(Option<String>, usize, (bool, usize))]) {
    if tables.len() < 2 || tables.iter().any(|(title, _, _)| title.is_none()) {
        return;
    }
    let registered: Vec<usize> = (0..tables.len()).filter(|&k| tables[k].2.0).collect();
    let widest = tables.iter().map(|t| t.2.1).max().unwrap_or(0);
    let wide: Vec<usize> = (0..tables.len()).filter(|&k| tables[k].2.1 == widest).collect();
    let attendees = match (registered.as_slice(), wide.as_slice()) {
        ([one], _) | ([], [one]) => *one,
        _ => tables.len() - 1,
    };
    let mut moved = 0;
    for (k, (title, start, _)) in tables[..attendees].iter().enumerate() {
        let (role, as_what) = if k == 0 { (Role::Host, "the host") } else { (Role::Panelist, "a panelist") };
        let end = tables[k + 1].1;
        for d in &mut ctx.drafts[*start..end] {
            if d.conn.role == Role::Attendee {
                d.conn.role = role;
                d.conn.review = Some(format!(
                    "listed under \"{}\", a section above the attendees' table: read as {as_what}; if \
                     this person was an attendee, say so (attest override)",
                    title.as_deref().unwrap_or_default()
                ));
                moved += 1;
            }
        }
    }
    if moved > 0 {
        ctx.warnings.push(format!(
            "{moved} row(s) in sections above the attendees' table, whose titles attest has no words for, read as the host \
             (the first section) or panelists, and sent to review (the table \"{}\", read as the attendees')",
            tables[attendees].0.as_deref().unwrap_or_default()
        ));
    }
}

fn variant(ctx: &Ctx, format: Format, h: Option<&HeaderMap>) -> String {
    let Some(h) = h else { return String::new() };
    let name = h.pos(Col::Name).map(|p| h.label(p).to_owned()).unwrap_or_default();
    let block = if ctx.meetings.is_empty() { "without meeting block" } else { "with meeting block" };
    match format {
        Format::ZoomMeetingParticipants if h.has(Col::WaitingRoom) && name.contains("(original name)") => {
            format!("2024/25 meeting history export, {block}")
        }
        Format::ZoomMeetingParticipants if name.eq_ignore_ascii_case("User Name") => {
            format!("meeting report (User Name, Join time, Leave time), {block}")
        }
        Format::ZoomMeetingParticipants => format!("participants report \"{name}\" header, {block}"),
        Format::ZoomUniqueUsers => format!("show unique users (total minutes only, not clippable), {block}"),
        Format::ZoomActiveHosts => format!("{} meeting(s) in one table", ctx.meetings.len()),
        Format::ZoomDashboard => "legacy Dashboard export with QoS columns, time-only rows".into(),
        _ => String::new(),
    }
}

/// The meeting an Active Hosts row belongs to, created the first time it is seen.
fn active_hosts_group(ctx: &mut Ctx, rec: usize, h: &HeaderMap) -> String {
    let r = &ctx.records[rec];
    let get = |c: Col| h.pos_before_name(c).map(|p| r.cell(p).to_owned()).unwrap_or_default();
    let key = format!("{}|{}", get(Col::MeetingId), get(Col::StartTime));
    if !ctx.meetings.iter().any(|m| m.group.as_deref() == Some(&key)) {
        let nonempty = |s: String| (!s.is_empty()).then_some(s);
        // The 2024/25 history list export writes the host as one `Name (email)` cell.
        let (host_name, host_email) =
            nonempty(get(Col::Host)).map(|h| split_name_email(&h)).map_or((None, None), |(n, e)| (Some(n), e));
        let m = MeetingDraft {
            group: Some(key.clone()),
            id: nonempty(get(Col::MeetingId)),
            topic: nonempty(get(Col::Topic)),
            start: h.pos_before_name(Col::StartTime).map(|p| (rec, p)),
            end: h.pos_before_name(Col::EndTime).map(|p| (rec, p)),
            duration_min: get(Col::Duration).parse().ok(),
            host_email: nonempty(get(Col::Email)).or(host_email),
            host_name: nonempty(get(Col::HostName)).or(host_name),
        };
        if let Some(p) = h.pos_before_name(Col::CreationTime) {
            ctx.other_dates.push((rec, p));
        }
        ctx.meetings.push(m);
    }
    key
}

fn data_row(ctx: &mut Ctx, rec: usize, header: usize, h: &HeaderMap, format: Format) {
    ctx.mark(rec, RowKind::Data, Some(header), None);
    let group = (format == Format::ZoomActiveHosts).then(|| active_hosts_group(ctx, rec, h));
    let r = &ctx.records[rec];
    // The name column, else the first and last names (a registrant with no user name).
    let name = super::ctx::row_name(r, h);
    let email = value(r, h.pos(Col::Email));
    if name.is_empty() && email.is_none() {
        ctx.skip(rec, "no name and no email: cannot be attributed to anyone");
        return;
    }
    let meeting = match &group {
        Some(g) => ctx.meetings.iter().find(|m| m.group.as_deref() == Some(g)),
        None => ctx.meetings.first(),
    };
    let host_email = meeting.and_then(|m| m.host_email.clone());
    let host_name = meeting.and_then(|m| m.host_name.clone());
    // The meeting block names its host by address, else by name only (the 2024/25 history
    // export's `Host` cell): a host named so was an eligible attendee.
    let is_host = has_host_suffix(&name)
        || matches!((&email, &host_email), (Some(e), Some(he)) if e.eq_ignore_ascii_case(he))
        || (format == Format::ZoomDashboard && host_name.as_deref() == Some(name.as_str()))
        || (host_email.is_none() && host_name.as_deref().is_some_and(|h| same_name(h, &name)));
    let role = if is_host { Role::Host } else { Role::Attendee };

    if format == Format::ZoomUniqueUsers {
        let p = h.pos(Col::TotalDuration).expect("detected by this column");
        let cell = r.cell(p).to_owned();
        match cell.parse::<i64>() {
            Ok(m) if m >= 0 => {
                let mut d = Draft::new(rec, role, ConnectionKind::Total, name);
                d.conn.email = email;
                d.conn.total_seconds = Some(m * 60);
                ctx.drafts.push(d);
            }
            _ => {
                let label = h.label(p).to_owned();
                ctx.row_error(rec, &label, &cell, "not a whole number of minutes");
            }
        }
        return;
    }

    let (jp, lp) = (h.pos(Col::Join).expect("detected"), h.pos(Col::Leave).expect("detected"));
    // Neither time, as Zoom writes it (`--`): a registrant who did not join, as in a webinar's
    // table read here; refused, it took the whole file with it.
    if [jp, lp].iter().all(|&p| no_value(r.cell(p))) {
        let mut d = Draft::new(rec, role, ConnectionKind::Registration, name);
        d.conn.email = email;
        ctx.drafts.push(d);
        return;
    }
    for p in [jp, lp] {
        if r.cell(p).is_empty() {
            let label = h.label(p).to_owned();
            ctx.row_error(rec, &label, "", "missing time");
            return;
        }
    }
    let mut d = Draft::new(rec, role, ConnectionKind::Interval, name);
    d.conn.email = email;
    d.conn.join = Some((rec, jp));
    d.conn.leave = Some((rec, lp));
    // Read in place: `value` would copy each cell once per row just to look at it.
    d.states_cell(value(r, h.pos(Col::Duration)), super::minutes_or_written, minutes_slack);
    d.conn.waiting_room = h.pos(Col::WaitingRoom).is_some_and(|p| yes(r.cell(p)));
    d.time_only = format == Format::ZoomDashboard;
    d.group = group;
    ctx.drafts.push(d);
}
