//! Microsoft Teams attendance: the sectioned meeting/webinar report (2021+: `1. Summary`,
//! `2. Participants`, `3. In-Meeting Activities`), the 2020 join/leave event log, and the Live
//! Event attendee report (UTC event log).
//!
//! In the sectioned report, section 2 has one row per person (first join, last leave and the
//! registration details) and section 3 one row per connection. Connections come from section 3;
//! section 2 rows become registrations that carry the registration email, and each section 3 row
//! inherits the registration of the section 2 row with the same name and email, because Teams
//! writes the registration only there. Without a section 3, first join to last leave is used and
//! the report says so.

use std::collections::HashMap;

use super::headers::{Col, HeaderMap, normalise};
use super::{Ctx, Draft, Format, PresenterReading, RowKind, maybe_header, parse_hms, value};
use crate::attendance::{ConnectionKind, Role};

fn role(v: Option<String>) -> Role {
    match v.as_deref().map(normalise).as_deref() {
        Some(
            "organizer" | "organiser" | "co-organizer" | "coorganizer" | "organisateur" | "organizador" | "organisator"
            | "eventteammember",
        ) => Role::Host,
        Some("presenter" | "présentateur" | "presentador" | "referent" | "moderator") => Role::Panelist,
        _ => Role::Attendee,
    }
}

/// `2. Participants`: a number, a dot, a title, nothing else on the row.
fn section_number(cell: &str, width: usize) -> Option<u32> {
    if width != 1 {
        return None;
    }
    let (num, rest) = cell.split_once('.')?;
    (!rest.trim().is_empty()).then(|| num.trim().parse().ok()).flatten()
}

pub fn parse(ctx: &mut Ctx, format: Format) {
    match format {
        Format::TeamsAttendanceReport => sectioned(ctx),
        _ => event_log(ctx, format),
    }
}

fn sectioned(ctx: &mut Ctx) {
    let n = ctx.records.len();
    let mut section: (u32, String) = (0, String::new());
    let mut header: Option<(usize, HeaderMap)> = None;
    let mut summary_start = None;
    let mut summary_end = None;
    let mut topic = None;
    // (normalised name, lower email) → index of the registration draft
    let mut registrations: HashMap<(String, String), usize> = HashMap::new();
    let mut activity_rows = 0usize;
    let mut participant_drafts = Vec::new();
    let mut open_joins = Vec::new();
    // A webinar or town hall: its summary counts registrations, or its participants table has
    // the registration columns. Anything else is a meeting.
    let mut registration = false;
    for i in 0..n {
        let r = &ctx.records[i].clone();
        if r.is_blank() {
            continue;
        }
        if let Some(num) = section_number(r.cell(0), r.width()) {
            section = (num, r.cell(0).to_owned());
            header = None;
            ctx.mark(i, RowKind::Meta, None, Some(&section.1));
            continue;
        }
        let sec = Some(section.1.clone());
        let h = maybe_header(&ctx.records, i, header.as_ref().map(|(hi, _)| *hi));
        if let Some(h) = h.filter(|h| h.has(Col::Name) && (h.has(Col::FirstJoin) || h.has(Col::Join))) {
            registration |=
                [Col::RegFirstName, Col::RegLastName, Col::RegEmail, Col::RegStatus].iter().any(|&c| h.has(c));
            ctx.mark(i, RowKind::Header, None, sec.as_deref());
            header = Some((i, h));
            continue;
        }
        let Some((hi, h)) = header.clone() else {
            // Summary lines are `label<TAB>value`.
            ctx.mark(i, RowKind::Meta, None, sec.as_deref());
            let label = normalise(r.cell(0));
            // `Registered participants`, `Registration page views`, `Canceled registrations`,
            // French `Inscriptions`, Spanish `Registros`, German `Registrierungen`.
            registration |= ["registr", "registe", "inscri", "registro"].iter().any(|k| label.contains(k));
            let key = super::headers::lookup(r.cell(0));
            if key.contains(&Col::StartTime) {
                summary_start = Some((i, 1));
            } else if key.contains(&Col::EndTime) {
                summary_end = Some((i, 1));
            } else if key.contains(&Col::Topic) {
                topic = value(r, Some(1));
            }
            continue;
        };
        ctx.mark(i, RowKind::Data, Some(hi), sec.as_deref());
        let (reg_first, reg_last) = (value(r, h.pos(Col::RegFirstName)), value(r, h.pos(Col::RegLastName)));
        let reg_email = value(r, h.pos(Col::RegEmail));
        // A registrant who never joined has only the registration columns filled.
        let name = value(r, h.pos(Col::Name)).unwrap_or_else(|| {
            [reg_first.as_deref(), reg_last.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
        });
        let email = value(r, h.pos(Col::Email));
        if name.is_empty() && email.is_none() && reg_email.is_none() {
            ctx.skip(i, "no name and no email: cannot be attributed to anyone");
            continue;
        }
        let role = role(value(r, h.pos(Col::Role)));
        let joined = h.pos(Col::FirstJoin).and_then(|p| value(r, Some(p))).is_some();
        if let Some(status) = value(r, h.pos(Col::RegStatus)).filter(|_| !joined) {
            if ["canceled", "cancelled", "annulé", "annulée", "cancelado", "cancelada", "storniert", "abgesagt"]
                .contains(&normalise(&status).as_str())
            {
                ctx.skip(i, format!("registration {status}: not counted as a registrant"));
                continue;
            }
        }
        if h.has(Col::FirstJoin) {
            // Section 2: one row per person.
            let mut d = Draft::new(i, role, ConnectionKind::Registration, name.clone());
            d.email = email.clone();
            d.reg_first_name = reg_first;
            d.reg_last_name = reg_last;
            d.reg_email = reg_email;
            // Kept aside: used as intervals only if the report has no activity section.
            let span = (h.pos(Col::FirstJoin), h.pos(Col::LastLeave));
            registrations
                .insert((normalise(&name), email.clone().unwrap_or_default().to_lowercase()), ctx.drafts.len());
            participant_drafts.push((ctx.drafts.len(), span, value(r, h.pos(Col::InMeetingDuration))));
            ctx.drafts.push(d);
        } else {
            // Section 3: one row per connection.
            let (jp, lp) = (h.pos(Col::Join), h.pos(Col::Leave));
            if value(r, jp).is_none() {
                ctx.skip(i, "no join time: Teams repeats a leave event this way; the connection is in another row");
                continue;
            }
            // A join with no leave: the person was still connected when the report was taken
            // (a report downloaded during the meeting, or the organiser's own row). Refusing the
            // whole file for it lost everyone; like the event logs' open joins, it ends at the
            // meeting's end in the summary, else at the latest time of the report, and is said.
            let open_ended = value(r, lp).is_none();
            activity_rows += 1;
            let mut d = Draft::new(i, role, ConnectionKind::Interval, name.clone());
            d.email = email.clone();
            d.join = jp.map(|p| (i, p));
            d.leave = lp.map(|p| (i, p));
            if open_ended {
                d.leave = summary_end;
                d.leave_at_last_event = summary_end.is_none();
                open_joins.push(ctx.records[i].line);
            }
            d.duration_s = value(r, h.pos(Col::Duration)).and_then(|v| parse_hms(&v)).map(|s| (s - 1, s + 1));
            if let Some(&reg) = registrations.get(&(normalise(&name), email.unwrap_or_default().to_lowercase())) {
                let reg = ctx.drafts[reg].clone();
                d.reg_first_name = reg.reg_first_name;
                d.reg_last_name = reg.reg_last_name;
                d.reg_email = reg.reg_email;
            }
            ctx.drafts.push(d);
        }
    }
    if activity_rows == 0 {
        for (idx, (fj, ll), dur) in participant_drafts {
            if let (Some(fj), Some(ll)) = (fj, ll) {
                let rec = ctx.drafts[idx].record;
                if value(&ctx.records[rec], Some(fj)).is_some() && value(&ctx.records[rec], Some(ll)).is_some() {
                    let d = &mut ctx.drafts[idx];
                    d.kind = ConnectionKind::Interval;
                    d.join = Some((rec, fj));
                    d.leave = Some((rec, ll));
                    d.duration_s = dur.and_then(|v| parse_hms(&v)).map(|s| (s - 1, s + 1));
                }
            }
        }
        ctx.warnings.push(
            "no In-Meeting Activities section: each person's first join to last leave was used, gaps included".into(),
        );
    }
    if !open_joins.is_empty() {
        ctx.warnings.push(format!(
            "connections with a join and no leave (lines {open_joins:?}) were still open when the report was taken: \
             they end at the meeting's end time in the summary, else at the report's latest time"
        ));
    }
    ctx.presenters = Some(if registration { PresenterReading::Panelist } else { PresenterReading::Attendee });
    ctx.meetings.push(super::MeetingDraft { topic, start: summary_start, end: summary_end, ..Default::default() });
    ctx.variant = if activity_rows > 0 {
        "sectioned report with in-meeting activities".into()
    } else {
        "sectioned report, participants only".into()
    };
}

/// Join/leave events, paired per session in file order.
///
/// A session is one connection of one device: the Live Event report names it (`Session Id`),
/// and one viewer watching on two devices has two sessions whose events interleave. Pairing per
/// person instead closed one device's join with the other device's leave, which can come
/// earlier (the file is not in time order across sessions), and refused the whole file. The
/// 2020 list has no session column: there a person is one session.
fn event_log(ctx: &mut Ctx, format: Format) {
    let n = ctx.records.len();
    let mut header: Option<(usize, HeaderMap)> = None;
    // session key (session id and person) → record of the open join
    let mut open: HashMap<String, usize> = HashMap::new();
    let mut any_event = false;
    let mut unclosed = Vec::new();
    for i in 0..n {
        let r = &ctx.records[i].clone();
        if r.is_blank() {
            continue;
        }
        let h = maybe_header(&ctx.records, i, header.as_ref().map(|(hi, _)| *hi));
        if let Some(h) = h.filter(|h| h.has(Col::Name) && h.has(Col::UserAction)) {
            ctx.mark(i, RowKind::Header, None, None);
            header = Some((i, h));
            continue;
        }
        let Some((hi, h)) = header.clone() else { continue };
        ctx.mark(i, RowKind::Data, Some(hi), None);
        let ts = if format == Format::TeamsLiveEvent { h.pos(Col::UtcTimestamp) } else { h.pos(Col::Timestamp) };
        let Some(ts) = ts.filter(|&p| value(r, Some(p)).is_some()) else {
            ctx.row_error(i, "Timestamp", "", "missing timestamp");
            continue;
        };
        // Every event's time is read, anonymous viewers' too, so that an open join can end at
        // the latest of them.
        ctx.other_dates.push((i, ts));
        any_event = true;
        let name = value(r, h.pos(Col::Name)).unwrap_or_default();
        let pid = value(r, h.pos(Col::ParticipantId));
        if name.is_empty() && pid.is_none() {
            ctx.skip(i, "anonymous viewer (no name, no participant id): cannot be attributed to anyone");
            continue;
        }
        let mut key = pid.unwrap_or_else(|| normalise(&name));
        if let Some(session) = h.pos(Col::SessionId).map(|p| r.cell(p)).filter(|s| !s.is_empty()) {
            key.push('\u{1f}');
            key.push_str(session);
        }
        let action = normalise(&value(r, h.pos(Col::UserAction)).unwrap_or_default());
        let joined = ["joined", "joinedbefore", "beigetreten", "arejoint", "seunió", "seunio", "参加済み"]
            .contains(&action.as_str());
        let left =
            ["left", "verlassen", "hatverlassen", "aquitté", "salió", "salio", "退出済み"].contains(&action.as_str());
        if joined {
            if let Some(prev) = open.insert(key, i) {
                // Two joins in a row in one session: the first is closed by the second (a reconnect).
                ctx.skip(
                    prev,
                    "join without a matching leave before the next join of its session; counted from the next join",
                );
            }
        } else if left {
            match open.remove(&key) {
                Some(j) => {
                    let jr = &ctx.records[j];
                    let role = role(value(jr, h.pos(Col::Role)));
                    let mut d =
                        Draft::new(j, role, ConnectionKind::Interval, value(jr, h.pos(Col::Name)).unwrap_or_default());
                    d.join = Some((j, ts));
                    d.leave = Some((i, ts));
                    ctx.drafts.push(d);
                    ctx.mark(i, RowKind::Skipped, Some(hi), None);
                    ctx.info[i].note = Some(format!(
                        "leave event, paired with the join on line {} of the same session",
                        ctx.records[j].line
                    ));
                }
                // Teams writes a leave event twice (the format notes, 4.1: rows with an empty
                // join are duplicates of a leave), and a log can start after a viewer joined: in
                // neither case is there a time to count from, so nothing is counted.
                None => ctx.skip(i, "leave without an earlier join in its session: no time counted"),
            }
        } else {
            let label = h.pos(Col::UserAction).map(|p| h.label(p).to_owned()).unwrap_or_default();
            let v = value(r, h.pos(Col::UserAction)).unwrap_or_default();
            ctx.row_error(i, &label, &v, "unknown action (expected Joined or Left)");
        }
    }
    // Still connected at the end of the log: closed at its latest event, and said so.
    for (_, j) in open {
        if any_event {
            let jr = &ctx.records[j];
            let h = &header.as_ref().expect("rows follow a header").1;
            let mut d = Draft::new(
                j,
                role(value(jr, h.pos(Col::Role))),
                ConnectionKind::Interval,
                value(jr, h.pos(Col::Name)).unwrap_or_default(),
            );
            let ts_col =
                if format == Format::TeamsLiveEvent { h.pos(Col::UtcTimestamp) } else { h.pos(Col::Timestamp) };
            d.join = ts_col.map(|p| (j, p));
            d.leave_at_last_event = true;
            unclosed.push(ctx.records[j].line);
            ctx.drafts.push(d);
        }
    }
    if !unclosed.is_empty() {
        unclosed.sort_unstable();
        ctx.warnings
            .push(format!("joins without a leave (lines {:?}) were closed at the last event of the log", unclosed));
    }
    if format == Format::TeamsLiveEvent {
        ctx.variant = "live event attendee log (UTC)".into();
    } else {
        ctx.variant = "join/leave event log".into();
    }
}
