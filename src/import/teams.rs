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
//!
//! The two event logs hold one `Joined` or `Left` per row. They are paired per session (the Live
//! Event's `Session Id`; the 2020 list has none, so per person) in *time* order, after every date
//! of the file is read: see [`pair_events`] for the rule on a person with two devices and on a
//! join that no leave closes. This module does not guess *when* such a connection dropped: it
//! counts it until the next join and sends the row to review.

use std::collections::HashMap;

use super::dates::DateOrder;
use super::headers::{Col, HeaderMap, normalise};
use super::text::Record;
use super::{CellRef, Ctx, Draft, Format, PresenterReading, RowKind, maybe_header, parse_hms, value};
use crate::attendance::names::given_and_family;
use crate::attendance::{ConnectionKind, Role};

fn role(v: Option<String>) -> Role {
    v.as_deref().and_then(super::words::role).unwrap_or(Role::Attendee)
}

/// Whether a Teams report without registration data still names its presenters: more people
/// under the attendees' word than under the presenters'. Everyone is a presenter in a Teams
/// meeting by default, and then most people are; where the organiser chose who presents, or
/// in a webinar whose registration columns are in a language attest has no words for (Dutch,
/// Turkish, read through the mapping), the few presenters are the speakers, and reading them as
/// attendees certified them.
pub(super) fn presenters_were_chosen(ctx: &Ctx) -> bool {
    let presenters = people_as(ctx, Role::Panelist);
    presenters > 0 && people_as(ctx, Role::Attendee) > presenters
}

/// How many people (by email, else name) stand under a role word read as `role` (a Teams
/// presenter's is a panelist's); words attest did not understand are no one's.
pub(super) fn people_as(ctx: &Ctx, role: Role) -> usize {
    ctx.drafts
        .iter()
        .filter(|d| d.conn.role == role && !d.conn.has_role_not_understood())
        .map(|d| d.conn.email.clone().unwrap_or_else(|| d.conn.name.trim().to_lowercase()))
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Whether the file has Teams' numbered sections (`1. Summary`, `2. Participants`, in any
/// language): a Teams report, whatever its headers.
pub(super) fn numbered_sections(records: &[super::text::Record]) -> bool {
    records.iter().filter(|r| section_number(r.cell(0), r.width()).is_some()).count() >= 2
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

/// The sectioned report, row by row: section titles, the summary's `label<TAB>value` lines,
/// then each section's header and rows.
fn sectioned(ctx: &mut Ctx) {
    let mut s = Sectioned::default();
    for i in 0..ctx.records.len() {
        let r = &ctx.records[i].clone();
        if r.is_blank() {
            continue;
        }
        if let Some(num) = section_number(r.cell(0), r.width()) {
            s.section = (num, r.cell(0).to_owned());
            s.header = None;
            ctx.mark(i, RowKind::Meta, None, Some(&s.section.1));
            continue;
        }
        let sec = Some(s.section.1.clone());
        let h = maybe_header(&ctx.records, i, s.header.as_ref().map(|(hi, _)| *hi));
        if let Some(h) = h.filter(|h| h.has(Col::Name) && (h.has(Col::FirstJoin) || h.has(Col::Join))) {
            // A registration column makes a webinar's report, whose presenters are panelists;
            // its registration time alone does (read as a meeting's, a presenter was certified).
            s.registration |=
                [Col::RegFirstName, Col::RegLastName, Col::RegEmail, Col::RegStatus, Col::RegistrationTime]
                    .iter()
                    .any(|&c| h.has(c));
            ctx.mark(i, RowKind::Header, None, sec.as_deref());
            s.header = Some((i, h));
            continue;
        }
        let Some((hi, h)) = s.header.clone() else {
            ctx.mark(i, RowKind::Meta, None, sec.as_deref());
            s.summary_line(r, i);
            continue;
        };
        ctx.mark(i, RowKind::Data, Some(hi), sec.as_deref());
        s.data_row(ctx, r, i, &h);
    }
    s.finish(ctx);
}

/// What a sectioned report's rows have told so far.
#[derive(Default)]
struct Sectioned {
    /// The current section: its number and title row.
    section: (u32, String),
    /// The current table's header row.
    header: Option<(usize, HeaderMap)>,
    summary_start: Option<CellRef>,
    summary_end: Option<CellRef>,
    topic: Option<String>,
    /// (normalised name, lower email) → indexes of the registration drafts: two registrants
    /// who joined without signing in can share a name and have no email.
    registrations: HashMap<(String, String), Vec<usize>>,
    activity_rows: usize,
    /// Section 2's drafts, with their first join and last leave columns and their duration,
    /// used as intervals only if the report has no activity section.
    participant_drafts: Vec<ParticipantSpan>,
    /// Lines of connections with a join and no leave.
    open_joins: Vec<usize>,
    /// A webinar or town hall: its summary counts registrations, or its participants table has
    /// the registration columns. Anything else is a meeting.
    registration: bool,
}

/// A section 2 draft (its index), with its first join and last leave columns and the duration
/// cell's text.
type ParticipantSpan = (usize, (Option<usize>, Option<usize>), Option<String>);

/// Who a data row is about, as both sections write it.
struct Who {
    name: String,
    email: Option<String>,
    reg_first: Option<String>,
    reg_last: Option<String>,
    reg_email: Option<String>,
    role: Role,
}

impl Sectioned {
    /// A summary line, `label<TAB>value`: the meeting's start, end and title, and whether it
    /// speaks of registrations.
    fn summary_line(&mut self, r: &Record, i: usize) {
        let label = normalise(r.cell(0));
        // `Registered participants`, `Registration page views`, `Canceled registrations`,
        // French `Inscriptions`, Spanish `Registros`, German `Registrierungen`.
        self.registration |= ["registr", "registe", "inscri", "registro"].iter().any(|k| label.contains(k));
        let key = super::headers::lookup(r.cell(0));
        if key.contains(&Col::StartTime) {
            self.summary_start = Some((i, 1));
        } else if key.contains(&Col::EndTime) {
            self.summary_end = Some((i, 1));
        } else if key.contains(&Col::Topic) {
            self.topic = value(r, Some(1));
        }
    }

    /// A row of section 2 or 3: skipped when it names nobody or is a cancelled registration.
    fn data_row(&mut self, ctx: &mut Ctx, r: &Record, i: usize, h: &HeaderMap) {
        let (reg_first, reg_last) = (value(r, h.pos(Col::RegFirstName)), value(r, h.pos(Col::RegLastName)));
        let reg_email = value(r, h.pos(Col::RegEmail));
        // A registrant who never joined has only the registration columns filled.
        let name =
            value(r, h.pos(Col::Name)).unwrap_or_else(|| given_and_family(reg_first.as_deref(), reg_last.as_deref()));
        let email = value(r, h.pos(Col::Email));
        if name.is_empty() && email.is_none() && reg_email.is_none() {
            ctx.skip(i, "no name and no email: cannot be attributed to anyone");
            return;
        }
        let role = role(value(r, h.pos(Col::Role)));
        let joined = h.pos(Col::FirstJoin).and_then(|p| value(r, Some(p))).is_some();
        if let Some(status) = value(r, h.pos(Col::RegStatus)).filter(|_| !joined) {
            if ["canceled", "cancelled", "annulé", "annulée", "cancelado", "cancelada", "storniert", "abgesagt"]
                .contains(&normalise(&status).as_str())
            {
                ctx.skip(i, format!("registration {status}: not counted as a registrant"));
                return;
            }
        }
        let who = Who { name, email, reg_first, reg_last, reg_email, role };
        if h.has(Col::FirstJoin) {
            self.participant(ctx, r, i, h, who);
        } else {
            self.activity(ctx, r, i, h, who);
        }
    }

    /// Section 2: one row per person, kept as a registration that carries the registration's
    /// details.
    fn participant(&mut self, ctx: &mut Ctx, r: &Record, i: usize, h: &HeaderMap, who: Who) {
        let mut d = Draft::new(i, who.role, ConnectionKind::Registration, who.name.clone());
        d.conn.email = who.email.clone();
        d.conn.reg_first_name = who.reg_first;
        d.conn.reg_last_name = who.reg_last;
        d.conn.reg_email = who.reg_email;
        // Kept aside: used as intervals only if the report has no activity section.
        let span = (h.pos(Col::FirstJoin), h.pos(Col::LastLeave));
        self.registrations
            .entry((normalise(&who.name), who.email.unwrap_or_default().to_lowercase()))
            .or_default()
            .push(ctx.drafts.len());
        self.participant_drafts.push((ctx.drafts.len(), span, value(r, h.pos(Col::InMeetingDuration))));
        ctx.drafts.push(d);
    }

    /// Section 3: one row per connection, with the registration of the section 2 row of the
    /// same name and email.
    fn activity(&mut self, ctx: &mut Ctx, r: &Record, i: usize, h: &HeaderMap, who: Who) {
        let (jp, lp) = (h.pos(Col::Join), h.pos(Col::Leave));
        if value(r, jp).is_none() {
            ctx.skip(i, "no join time: Teams repeats a leave event this way; the connection is in another row");
            return;
        }
        // A join with no leave: the person was still connected when the report was taken
        // (a report downloaded during the meeting, or the organiser's own row). Refusing the
        // whole file for it lost everyone; like the event logs' open joins, it ends at the
        // meeting's end in the summary, else at the latest time of the report, and is said.
        let open_ended = value(r, lp).is_none();
        self.activity_rows += 1;
        let mut d = Draft::new(i, who.role, ConnectionKind::Interval, who.name.clone());
        d.conn.email = who.email.clone();
        d.conn.join = jp.map(|p| (i, p));
        d.conn.leave = lp.map(|p| (i, p));
        if open_ended {
            d.conn.leave = self.summary_end;
            d.leave_at_last_event = self.summary_end.is_none();
            self.open_joins.push(ctx.records[i].line);
        }
        d.states_cell(value(r, h.pos(Col::Duration)), parse_hms, |s| (s - 1, s + 1));
        let key = (normalise(&who.name), who.email.unwrap_or_default().to_lowercase());
        let regs = self.registrations.get(&key).cloned().unwrap_or_default();
        let reg = match regs.as_slice() {
            [one] => Some(*one),
            [] => None,
            several => {
                let within = self.registration_around(ctx, several, &d);
                if within.is_none() {
                    d.add_review(format!(
                        "{} registrants are named \"{}\" with no email, and this connection's times fit none of them alone: whose it is cannot be told",
                        several.len(),
                        who.name
                    ));
                }
                within
            }
        };
        if let Some(reg) = reg {
            let reg = ctx.drafts[reg].clone();
            d.conn.reg_first_name = reg.conn.reg_first_name;
            d.conn.reg_last_name = reg.conn.reg_last_name;
            d.conn.reg_email = reg.conn.reg_email;
        }
        ctx.drafts.push(d);
    }

    /// Of several registrants who share a name and no email (two people who joined a webinar
    /// without signing in, both "Maria Garcia"), the one whose first join and last leave in
    /// section 2 hold this connection most tightly, when one does. The first of them was taken:
    /// the one who stayed 30 minutes was certified for the other's 100, and the other was
    /// "registered but did not join".
    fn registration_around(&self, ctx: &Ctx, regs: &[usize], d: &Draft) -> Option<usize> {
        use super::dates::{DateOrder, Stamp};
        let cell = |c: Option<CellRef>| c.map(|(r, p)| ctx.records[r].cell(p));
        let (join, leave) = (cell(d.conn.join)?, cell(d.conn.leave)?);
        let spans: Vec<(usize, &str, &str)> = regs
            .iter()
            .filter_map(|&reg| {
                let (_, (fj, ll), _) = self.participant_drafts.iter().find(|(i, _, _)| *i == reg)?;
                let rec = &ctx.records[ctx.drafts[reg].conn.at];
                Some((reg, rec.cell((*fj)?), rec.cell((*ll)?)))
            })
            .collect();
        // Every cell of one file is written alike: read in each order, the first that reads them all.
        [None, Some(DateOrder::Mdy), Some(DateOrder::Dmy), Some(DateOrder::Ymd)].into_iter().find_map(|order| {
            let at = |c: &str| Stamp::parse(c).ok()?.resolve(order, None).ok();
            let (j, l) = (at(join)?, at(leave)?);
            let mut holding: Vec<(usize, i64)> = spans
                .iter()
                .map(|(reg, fj, ll)| Some((*reg, at(fj)?, at(ll)?)))
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .filter(|(_, fj, ll)| *fj <= j && l <= *ll)
                .map(|(reg, fj, ll)| (reg, (ll - fj).num_seconds()))
                .collect();
            // The tightest span that holds it: a short stay inside a long one is the short
            // stayer's (the long stayer's own rows fall outside the short span).
            holding.sort_by_key(|&(_, span)| span);
            match holding.as_slice() {
                [(one, _)] => Some(Some(*one)),
                [(one, a), (_, b), ..] if a < b => Some(Some(*one)),
                _ => Some(None),
            }
        })?
    }

    /// After the last row: section 2's spans as intervals when there is no section 3, the
    /// warnings, the presenters' reading, the meeting and the variant.
    fn finish(self, ctx: &mut Ctx) {
        if self.activity_rows == 0 {
            // A section 3 whose headers attest does not know: its connections unread, a
            // person's gaps are known only from a stated duration, and without one the person
            // goes to review (someone away for an hour was certified, with nothing to look at).
            let unread_activities =
                ctx.records.iter().any(|r| section_number(r.cell(0), r.width()).is_some_and(|n| n >= 3));
            for (idx, (fj, ll), dur) in self.participant_drafts {
                if let (Some(fj), Some(ll)) = (fj, ll) {
                    let rec = ctx.drafts[idx].conn.at;
                    if value(&ctx.records[rec], Some(fj)).is_some() && value(&ctx.records[rec], Some(ll)).is_some() {
                        let d = &mut ctx.drafts[idx];
                        d.conn.kind = ConnectionKind::Interval;
                        d.conn.join = Some((rec, fj));
                        d.conn.leave = Some((rec, ll));
                        d.states_cell(dur, parse_hms, |s| (s - 1, s + 1));
                        if unread_activities && d.stated_s.is_none() {
                            d.add_review(
                                "the report's activities section was not read (headers attest does not know) and no time in \
                                 the meeting is stated: first join to last leave counted, with any time away"
                                    .into(),
                            );
                        }
                    }
                }
            }
            ctx.warnings.push(
                "no In-Meeting Activities section: each person's first join to last leave was used, gaps included"
                    .into(),
            );
        }
        if !self.open_joins.is_empty() {
            ctx.warnings.push(format!(
                "connections with a join and no leave (lines {:?}) were still open when the report was taken: \
                 they end at the meeting's end time in the summary, else at the report's latest time",
                self.open_joins
            ));
        }
        ctx.presenters = Some(if self.registration { PresenterReading::Panelist } else { PresenterReading::Attendee });
        ctx.meetings.push(super::MeetingDraft {
            topic: self.topic,
            start: self.summary_start,
            end: self.summary_end,
            ..Default::default()
        });
        // A single table of joins and leaves under Teams' headers, with no numbered sections
        // (a Webex or hand-made list Excel saved), is not called a sectioned report.
        let sectioned = ctx.info.iter().any(|r| r.section.as_deref().is_some_and(|t| !t.is_empty()));
        ctx.variant = match (sectioned, self.activity_rows > 0) {
            (true, true) => "sectioned report with in-meeting activities".into(),
            (true, false) => "sectioned report, participants only".into(),
            (false, _) => "one table of joins and leaves, no sections".into(),
        };
    }
}

/// One `Joined` or `Left` of an event log, kept until every date of the file is read.
#[derive(Debug, Clone)]
pub struct LogEvent {
    pub record: usize,
    /// The session: the Live Event's `Session Id` with the person, or, in the 2020 list (which
    /// has no session column), the person alone.
    pub key: String,
    pub joined: bool,
    /// The event's time cell.
    pub at: CellRef,
    pub role: Role,
    pub name: String,
    /// The person's email, when the log has one (a mapped log may).
    pub email: Option<String>,
}

/// Join/leave event logs: each row is read into a [`LogEvent`]; [`pair_events`] pairs them.
///
/// A session is one connection of one device: the Live Event report names it (`Session Id`),
/// and one viewer watching on two devices has two sessions whose events interleave. Pairing per
/// person instead closed one device's join with the other device's leave, which can come
/// earlier (the file is not in time order across sessions), and refused the whole file. The
/// 2020 list has no session column: there a person's events are one sequence.
fn event_log(ctx: &mut Ctx, format: Format) {
    for (h, rows) in ctx.tables(|h| h.has(Col::Name) && h.has(Col::UserAction)) {
        for i in rows {
            log_row(ctx, i, &h, format);
        }
    }
    if format == Format::TeamsLiveEvent {
        ctx.variant = "live event attendee log (UTC)".into();
    } else {
        ctx.variant = "join/leave event log".into();
    }
}

/// One row of an event log: a `Joined` or `Left` kept as a [`LogEvent`], or a row error.
fn log_row(ctx: &mut Ctx, i: usize, h: &HeaderMap, format: Format) {
    let r = &ctx.records[i];
    let ts = if format == Format::TeamsLiveEvent { h.pos(Col::UtcTimestamp) } else { h.pos(Col::Timestamp) };
    let Some(ts) = ts.filter(|&p| value(r, Some(p)).is_some()) else {
        ctx.row_error(i, "Timestamp", "", "missing timestamp");
        return;
    };
    // Every event's time is read, anonymous viewers' too, so that an open join can end at
    // the latest of them.
    ctx.other_dates.push((i, ts));
    let name = value(r, h.pos(Col::Name)).unwrap_or_default();
    let pid = value(r, h.pos(Col::ParticipantId));
    // A live event's participant id is the viewer's address when they signed in (a public
    // sample's `johndoe@test.net`): their email, for matching and for the certificate's mail.
    let email = pid.as_deref().and_then(crate::attendance::names::plausible_email);
    if name.is_empty() && pid.is_none() {
        ctx.skip(i, "anonymous viewer (no name, no participant id): cannot be attributed to anyone");
        return;
    }
    let mut key = pid.unwrap_or_else(|| normalise(&name));
    if let Some(session) = h.pos(Col::SessionId).map(|p| r.cell(p)).filter(|s| !s.is_empty()) {
        key.push('\u{1f}');
        key.push_str(session);
    }
    let action = normalise(&value(r, h.pos(Col::UserAction)).unwrap_or_default());
    let joined = super::words::JOINED.contains(&action.as_str());
    let left = super::words::LEFT.contains(&action.as_str());
    if joined || left {
        let role = role(value(r, h.pos(Col::Role)));
        ctx.log_events.push(LogEvent { record: i, key, joined, at: (i, ts), role, name, email });
    } else {
        let label = h.pos(Col::UserAction).map(|p| h.label(p).to_owned()).unwrap_or_default();
        let v = value(r, h.pos(Col::UserAction)).unwrap_or_default();
        ctx.row_error(i, &label, &v, "unknown action (expected Joined or Left)");
    }
}

/// Pairs the events of each session in time order, once the file's dates are read.
///
/// The rule, which the module's users see in the import report:
/// - Events are taken in time order (a log re-sorted in a spreadsheet, or grouped by person,
///   is not in time order); at the same second a join comes before a leave.
/// - A `Left` closes the latest join still open. A person on two devices (`Joined`, `Joined`,
///   `Left`, `Left`) is therefore counted from the first join to the last leave: the union of
///   the two connections, whichever device left first.
/// - A join that no `Left` closes, followed by another join, is a connection that dropped
///   without a `Left` (Teams writes none when a device crashes or loses the network) or a
///   second device whose leave is missing: it counts until that next join, and the row is sent
///   to review, because the moment it really ended is not in the log. (Dropping it, the earlier
///   rule, took away time the person had certainly begun; counting it to the end of the log
///   would credit time after they had left.)
/// - A join still open at the end of the log ends at the log's latest event, as before.
/// - A `Left` with no open join (a repeated leave event, or a log that starts after the viewer
///   joined) counts nothing.
pub fn pair_events(ctx: &mut Ctx, order: Option<DateOrder>, format: Format) {
    let events = std::mem::take(&mut ctx.log_events);
    let (whose, within) =
        if format == Format::TeamsLiveEvent { ("session", "in its session") } else { ("person", "of the same person") };
    // Events whose time could not be read are errors already; the rest sorted by session, time,
    // joins first, then file order.
    let mut timed: Vec<(LogEvent, chrono::NaiveDateTime)> = Vec::with_capacity(events.len());
    for e in events {
        if ctx.info[e.record].kind == RowKind::Error {
            continue;
        }
        match ctx.naive_at(e.at, order) {
            Ok(t) => timed.push((e, t)),
            Err(why) => ctx.date_error(e.at, why),
        }
    }
    timed.sort_by(|(a, ta), (b, tb)| {
        (a.key.as_str(), *ta, !a.joined, a.record).cmp(&(b.key.as_str(), *tb, !b.joined, b.record))
    });
    let mut dropped = Vec::new();
    let mut unclosed = Vec::new();
    let mut start = 0;
    while start < timed.len() {
        let end = start + timed[start..].iter().take_while(|(e, _)| e.key == timed[start].0.key).count();
        let run = &timed[start..end];
        let mut open: Vec<usize> = Vec::new();
        // (join index in `run`, leave index in `run` or None for the end of the log)
        let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
        for (k, (e, _)) in run.iter().enumerate() {
            if e.joined {
                open.push(k);
            } else if let Some(j) = open.pop() {
                pairs.push((j, Some(k)));
                let jl = ctx.records[run[j].0.record].line;
                ctx.skip(e.record, format!("leave event, paired with the join on line {jl} of the same {whose}"));
            } else {
                // Teams writes a leave event twice (the format notes, 4.1: rows with an empty
                // join are duplicates of a leave), and a log can start after a viewer joined: in
                // neither case is there a time to count from, so nothing is counted.
                ctx.skip(e.record, format!("leave without an earlier join {within}: no time counted"));
            }
        }
        for j in open {
            // The next event after an unclosed join is always a join: a leave would have closed it.
            let next = run[j + 1..].iter().position(|(e, _)| e.joined).map(|p| j + 1 + p);
            pairs.push((j, next));
        }
        pairs.sort_unstable();
        for (j, l) in pairs {
            let (je, _) = &run[j];
            let mut d = Draft::new(je.record, je.role, ConnectionKind::Interval, je.name.clone());
            d.conn.email = je.email.clone();
            d.conn.join = Some(je.at);
            match l {
                Some(l) if !run[l].0.joined => d.conn.leave = Some(run[l].0.at),
                Some(l) => {
                    let (line, next) = (ctx.records[je.record].line, ctx.records[run[l].0.record].line);
                    dropped.push(line);
                    d.conn.leave = Some(run[l].0.at);
                    d.conn.review = Some(format!(
                        "a join with no leave before the next join (line {next}): a connection that \
                         dropped or a second device; counted until the next join"
                    ));
                }
                None => {
                    unclosed.push(ctx.records[je.record].line);
                    d.leave_at_last_event = true;
                    d.conn.close_at_last_event();
                    // A log of a platform attest does not know (a sign-in sheet) says nothing
                    // of why no leave follows: a person signed in who never signed out was
                    // certified to the end of the log with a note only (round 25).
                    if format == Format::Mapped {
                        d.conn.add_review(
                            "a join with no leave after it: counted until the log's last event, but the log does not \
                             say when they left",
                        );
                    }
                }
            }
            ctx.drafts.push(d);
        }
        start = end;
    }
    if !dropped.is_empty() {
        dropped.sort_unstable();
        ctx.warnings.push(format!(
            "joins with no leave before the same {whose}'s next join (lines {dropped:?}): a connection that dropped \
             without a Left, or a second device; each counted until the next join, and sent to review"
        ));
    }
    if !unclosed.is_empty() {
        unclosed.sort_unstable();
        ctx.warnings
            .push(format!("joins without a leave (lines {:?}) were closed at the last event of the log", unclosed));
    }
}
