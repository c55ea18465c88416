//! Zoom webinar reports: the multi-section Attendee Report and the Registration Report.
//!
//! The Attendee Report is a stack of small tables padded with commas to the widest one: a
//! summary (topic, webinar ID, actual start and duration), then `Host Details`,
//! `Panelist Details`, `Attendee Details` and `Other Attended`, each with its own header row.
//! Section titles are one cell followed by padding. Registrants who did not come are listed with
//! `--` in every time cell: they become registrations with no connection, so they are reported
//! with 0 seconds instead of disappearing. Custom registration questions are extra columns that
//! are kept in the stored row but not interpreted.

use super::headers::{Col, HeaderMap, normalise};
use super::{Ctx, Draft, Format, RowKind, maybe_header, minutes_slack, value, yes};
use crate::attendance::names::given_and_family;
use crate::attendance::{ConnectionKind, Role};

/// The role of a section's people, from its title in any language of the alias table (French
/// writes `panéliste`, which `panel` does not match). French Zoom calls a co-host `co-animateur`:
/// a section of `animateurs` is the hosts' (`Détails de l'animateur` was read as attendees, and
/// its host found eligible), as is one of organisers (`organizer`, `organisateur`,
/// `organizzatore` …).
fn section_role(title: &str) -> Role {
    let t = normalise(title);
    if ["host", "hôte", "animat", "organi", "anfitri", "ホスト", "호스트", "gastgeber"].iter().any(|k| t.contains(k))
    {
        Role::Host
    } else if ["panel", "panél", "ponente", "パネリスト", "패널", "diskussionsteilnehmer"].iter().any(|k| t.contains(k))
    {
        Role::Panelist
    } else {
        Role::Attendee
    }
}

fn is_table_header(h: &HeaderMap) -> bool {
    (h.has(Col::Name) && (h.has(Col::Attended) || h.has(Col::Join)))
        || (h.has(Col::FirstName) && h.has(Col::LastName) && h.has(Col::Email))
}

fn is_summary_header(h: &HeaderMap) -> bool {
    !h.has(Col::Name)
        && (h.has(Col::Topic) || h.has(Col::WebinarId) || h.has(Col::MeetingId))
        && (h.has(Col::ActualStartTime) || h.has(Col::StartTime) || h.has(Col::ScheduledTime))
}

/// Whether the one-cell row `i` is a section title: the next non-blank row is a table's or a
/// summary's header (Zoom writes a header right under every title), or nothing follows.
fn title_of_a_table(records: &[super::text::Record], i: usize) -> bool {
    records[i + 1..]
        .iter()
        .find(|r| !r.is_blank())
        .map(|r| HeaderMap::new(&r.fields))
        // A title on the last line hides nothing. Over the header of a table of another kind
        // (a performance report's `Poll Report` over `#, User Name, Email Address, …`), it is
        // that section's title: read as a row cut short, it was refused, and the poll's rows
        // were read as attendees (round 25).
        .is_none_or(|h| is_table_header(&h) || is_summary_header(&h) || h.known() >= 2)
}

/// Excel's first line `sep=;` (read as `sep=` when `;` is the separator), naming the separator.
fn excel_separator_line(cell: &str) -> bool {
    cell.len() <= 5 && cell.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("sep="))
}

pub fn parse(ctx: &mut Ctx, format: Format) {
    let n = ctx.records.len();
    let mut section: Option<String> = None;
    let mut header: Option<(usize, HeaderMap)> = None;
    let mut from = 0;
    // The summary blocks read: several in pasted reports.
    let mut blocks: Vec<usize> = Vec::new();
    while let Some(i) = ctx.next_row(from) {
        from = i + 1;
        let h = maybe_header(&ctx.records, i, header.as_ref().map(|(hi, _)| *hi));
        if let Some(h) = h.as_ref().filter(|h| is_table_header(h)) {
            ctx.mark(i, RowKind::Header, None, section.as_deref());
            header = Some((i, h.clone()));
            continue;
        }
        if h.as_ref().is_some_and(is_summary_header) {
            if let Some(next) = ctx.take_meeting_block(i, n) {
                from = next;
                blocks.push(i);
                continue;
            }
        }
        let r = &ctx.records[i];
        if r.width() == 1 && header.is_some() && !title_of_a_table(&ctx.records, i) {
            // Inside a table, a one-cell row that no header follows is a row cut short (a line
            // break inside a cell that is not quoted), not a section: read as a title, it hid
            // every later row of the section.
            let (hi, h) = header.as_ref().map(|(hi, h)| (*hi, h.clone())).expect("checked above");
            let value = r.cell(0).to_owned();
            ctx.mark(i, RowKind::Data, Some(hi), section.as_deref());
            let label = h.label(0).to_owned();
            let width = ctx.records[hi].width();
            ctx.row_error(
                i,
                &label,
                &value,
                format!(
                    "the row has 1 cell where the header has {width}: it was cut short, probably by a line break \
                     inside a cell that is not quoted; join it with the next line in the file"
                ),
            );
            continue;
        }
        if r.width() == 1 && excel_separator_line(r.cell(0)) {
            // Excel's `sep=;` first line says which separator the file uses: no section.
            ctx.mark(i, RowKind::Meta, None, None);
            continue;
        }
        if r.width() == 1 {
            // A section title: the tables below it belong to a new section.
            let title = r.cell(0).to_owned();
            ctx.mark(i, RowKind::Meta, None, Some(&title));
            section = Some(title);
            header = None;
            continue;
        }
        match &header {
            Some((hi, h)) => {
                let (hi, h) = (*hi, h.clone());
                let sec = section.clone();
                data_row(ctx, i, hi, &h, sec.as_deref(), format);
            }
            None => ctx.mark(i, RowKind::Meta, None, section.as_deref()),
        }
    }
    // Sections in the order the report has them.
    let mut sections: Vec<String> = Vec::new();
    for s in ctx.info.iter().filter_map(|r| r.section.as_ref()) {
        if !sections.contains(s) {
            sections.push(s.clone());
        }
    }
    above_the_attendees(ctx, &sections);
    ctx.group_by_block(&blocks);
    ctx.variant = match format {
        Format::ZoomWebinarRegistrations => "registrants only (no attendance times)".into(),
        _ => format!("sections: {}", sections.join(", ")),
    };
}

/// Words of the attendees' section titles (`Attendee Details`, `Détails du participant`,
/// `Detalles del asistente`, `Teilnehmerdetails` …), normalised.
const ATTENDEE_SECTION_WORDS: &[&str] =
    &["attendee", "participant", "asistente", "teilnehmer", "partecipant", "participante", "参加者", "참석자"];

/// People of a section whose title names no role (`Détails du conférencier`, a word attest has
/// not got), standing above the attendees' section: Zoom lists the host and the panelists there.
/// Read as attendees, such a host was eligible with nothing said; read as panelists, and each
/// goes to review.
fn above_the_attendees(ctx: &mut Ctx, sections: &[String]) {
    let is_attendees = |t: &str| {
        let t = normalise(t);
        ATTENDEE_SECTION_WORDS.iter().any(|w| t.contains(w))
    };
    // Sections with people in them: the report's own title (`Attendee Report`) has none.
    let peopled: Vec<&String> = sections
        .iter()
        .filter(|t| ctx.drafts.iter().any(|d| ctx.info[d.conn.at].section.as_ref() == Some(*t)))
        .collect();
    let Some(first_attendees) = peopled.iter().position(|t| is_attendees(t)) else { return };
    let above = &peopled[..first_attendees];
    let mut moved = 0;
    for d in &mut ctx.drafts {
        let Some(title) = ctx.info[d.conn.at].section.as_deref() else { continue };
        if d.conn.role == Role::Attendee && above.iter().any(|t| *t == title) && section_role(title) == Role::Attendee {
            d.conn.role = Role::Panelist;
            d.conn.review = Some(format!(
                "listed under \"{title}\", a section above the attendees' whose title names no role attest knows: \
                 read as a panelist (the host and panelists stand there); if this person attended, say so (attest override)"
            ));
            moved += 1;
        }
    }
    if moved > 0 {
        ctx.warnings.push(format!(
            "{moved} row(s) in sections above the attendees' whose titles name no role attest knows, read as panelists \
             and sent to review"
        ));
    }
}

fn data_row(ctx: &mut Ctx, rec: usize, header: usize, h: &HeaderMap, section: Option<&str>, format: Format) {
    ctx.mark(rec, RowKind::Data, Some(header), section);
    let r = &ctx.records[rec];
    let role = section.map(section_role).unwrap_or(Role::Attendee);
    let first = value(r, h.pos(Col::FirstName));
    let last = value(r, h.pos(Col::LastName));
    let email = value(r, h.pos(Col::Email));
    let registered = h.has(Col::FirstName) || format == Format::ZoomWebinarRegistrations;
    let display = value(r, h.pos(Col::Name)).unwrap_or_else(|| given_and_family(first.as_deref(), last.as_deref()));
    if display.is_empty() && email.is_none() {
        ctx.skip(rec, "no name and no email: cannot be attributed to anyone");
        return;
    }
    if let Some(p) = h.pos(Col::RegistrationTime).filter(|&p| value(r, Some(p)).is_some()) {
        ctx.other_dates.push((rec, p));
    }
    if let Some(status) = value(r, h.pos(Col::ApprovalStatus)) {
        let s = normalise(&status);
        if ["denied", "rejected", "cancelled", "canceled", "refusé", "rechazado"].contains(&s.as_str()) {
            ctx.skip(rec, format!("registration {status}: not counted as a registrant"));
            return;
        }
    }
    let attended = value(r, h.pos(Col::Attended)).map(|v| yes(&v));
    let join = value(r, h.pos(Col::Join)).and(h.pos(Col::Join));
    let leave = value(r, h.pos(Col::Leave)).and(h.pos(Col::Leave));
    let mut d = match (join, leave) {
        (Some(j), Some(l)) if attended != Some(false) => {
            let mut d = Draft::new(rec, role, ConnectionKind::Interval, display);
            d.conn.join = Some((rec, j));
            d.conn.leave = Some((rec, l));
            d.states_cell(value(r, h.pos(Col::Duration)), super::minutes_or_written, minutes_slack);
            d
        }
        (None, None) if attended != Some(true) => Draft::new(rec, role, ConnectionKind::Registration, display),
        // What is left contradicts itself; the error says how, on the cell to correct.
        (Some(_), Some(_)) => {
            // Marked as not attended, yet with times: Zoom never writes that, so the file was
            // edited. Neither reading is safe to pick silently (counting the times could make
            // someone eligible Zoom says was absent; ignoring them could drop a real attendee).
            let p = h.pos(Col::Attended).unwrap_or(0);
            let (label, v) = (h.label(p).to_owned(), r.cell(p).to_owned());
            ctx.row_error(
                rec,
                &label,
                &v,
                "the row is marked as not attended but has join and leave times: correct one or the other",
            );
            return;
        }
        _ => {
            // One time without the other, or marked as attended without times.
            let p = match (join, leave) {
                (Some(_), None) => h.pos(Col::Leave),
                (None, Some(_)) => h.pos(Col::Join),
                _ => h.pos(Col::Join).or(h.pos(Col::Leave)),
            }
            .unwrap_or(0);
            let label = h.label(p).to_owned();
            let v = r.cell(p).to_owned();
            // A header without the column at all (its word in a language attest has no source
            // for) is said as such: the message blamed the first column, `Teilgenommen`.
            let unknown = match (h.has(Col::Join), h.has(Col::Leave)) {
                (true, false) => Some("leave"),
                (false, true) => Some("join"),
                (false, false) => Some("join and leave"),
                (true, true) => None,
            };
            let why = match unknown {
                // No time at all: a list of each person's total time, as often as a table in words
                // attest lacks (a Livestorm list was told to name a join and a leave, round 23).
                Some("join and leave") => "the header has no join or leave column attest knows: name the file's \
                     columns with --columns name=N,email=N,join=N,leave=N, or, if it lists each person's total \
                     time, --columns name=N,email=N,duration=N"
                    .to_owned(),
                Some(what) => format!(
                    "the header has no {what} column attest knows: name the file's columns with --columns \
                     name=N,email=N,join=N,leave=N"
                ),
                None if join.is_some() || leave.is_some() => "join and leave times must both be given".into(),
                None => "the row is marked as attended but has no join and leave times".into(),
            };
            ctx.row_error(rec, &label, &v, why);
            return;
        }
    };
    if registered {
        d.conn.reg_first_name = first;
        d.conn.reg_last_name = last;
        d.conn.reg_email = email.clone();
    }
    d.conn.email = email;
    ctx.drafts.push(d);
}
