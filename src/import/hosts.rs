//! Who hosted, as a file says it outside a role column: a host's tag on a name (`Ana (Host)`),
//! or a person named in the rows above the table, where a meeting block or a webinar report's
//! host table names them. Both apply in every family, after its reader.

use super::Ctx;

/// Rows whose name carries a host's tag (`Helena Host (Organizer)`, `Ana (Host)`) are the host's,
/// in every family: GoTo Meeting marks its organiser so and nothing else, and the organiser was
/// read as an eligible attendee, the tag dropped from the printed name without a word.
pub(super) fn host_tags(ctx: &mut Ctx) {
    use crate::attendance::Role;
    let mut changed = 0;
    // A row whose own cells state its role keeps it: Czech Teams tags a guest `(Host)` (Czech
    // for guest) beside the role cell `Účastník`, and guests were refused as hosts.
    let records = &ctx.records;
    let role_stated = |at: usize| records[at].fields.iter().any(|c| super::words::role(c.trim()).is_some());
    for d in &mut ctx.drafts {
        if d.conn.role == Role::Attendee
            && super::zoom_meeting::has_host_suffix(&d.conn.name)
            && !role_stated(d.conn.at)
        {
            d.conn.role = Role::Host;
            changed += 1;
        }
    }
    if changed > 0 {
        ctx.warnings
            .push(format!("{changed} row(s) whose name is tagged as the host's or organiser's, read as the host"));
    }
}

/// An address in the rows above the table is the host's: a meeting block names its host there
/// (Zoom's `Host` cell, `Secretariat (sec@example.org)`, or its `User Email`), and a webinar
/// report lists its host and panelists' tables above the attendees'. So is a participant's whole
/// name standing alone in a cell there (the 2024/25 export's `Host` cell holds a name only).
/// A participant with that address or name is read as the host, and said: read through a
/// mapping, or under a meeting block in words attest has no source for (Russian, German,
/// Japanese), a Zoom export's host was an eligible attendee.
pub(in crate::import) fn host_above_the_table(ctx: &mut Ctx, top: usize) {
    use crate::attendance::{Role, same_name};
    let mut emails: Vec<(String, usize)> = Vec::new();
    let mut names: Vec<(&str, usize)> = Vec::new();
    for r in &ctx.records[..top] {
        for cell in r.fields.iter() {
            for word in cell.split(|c: char| c.is_whitespace() || "()<>[],;\"'".contains(c)) {
                if let Some(e) = word.contains('@').then(|| crate::attendance::plausible_email(word)).flatten() {
                    emails.push((e, r.line));
                }
            }
            // A whole name: two words or more (or a Chinese, Japanese or Korean name, written
            // without a space), no digit: not a date, an id or a title word.
            let cjk = cell.chars().count() >= 2 && cell.chars().all(|c| c.is_alphabetic() && c >= '\u{3040}');
            let words = cell.split_whitespace().nth(1).is_some() || cjk;
            if words && !cell.contains('@') && !cell.chars().any(|c| c.is_ascii_digit()) {
                names.push((cell, r.line));
            }
        }
    }
    if emails.is_empty() && names.is_empty() {
        return;
    }
    let found: Vec<(usize, usize)> = ctx
        .drafts
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let email = d.conn.email.as_deref();
            let by_email =
                emails.iter().find(|(e, _)| email.is_some_and(|m| m.trim().eq_ignore_ascii_case(e))).map(|e| e.1);
            let by_name = || names.iter().find(|(n, _)| same_name(n, &d.conn.name)).map(|n| n.1);
            by_email.or_else(by_name).map(|line| (i, line))
        })
        .collect();
    // A host block names a few people; rows above naming most of the table's are a list of
    // participants (a Teams report's section 2 above its activities, read through Zoom's reader
    // or the mapping): everyone was read as the host.
    let people = |rows: &mut dyn Iterator<Item = usize>| {
        rows.map(|i| ctx.drafts[i].conn.email.clone().unwrap_or_else(|| ctx.drafts[i].conn.name.to_lowercase()))
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    let (named, all) = (people(&mut found.iter().map(|f| f.0)), people(&mut (0..ctx.drafts.len())));
    if named >= 3 && named * 2 > all {
        ctx.warnings.push(format!(
            "{named} of the table's {all} people also stand in the rows above it (from line {}): a list of \
             participants, not a host block, so no one was read as the host from it",
            found[0].1
        ));
        return;
    }
    // The host stands in the first block of rows that names anyone (a meeting block, a webinar
    // report's host table); a later block above the table is a panelists' table: someone named
    // only there (an attendee promoted to panelist) was read as the host and refused unseen.
    // A block ends at a blank row or a section's title (one cell filled); it starts at the first
    // row of several cells that names someone.
    let title_or_blank = |r: &super::text::Record| r.fields.iter().filter(|c| !c.trim().is_empty()).count() <= 1;
    let named_lines: std::collections::HashSet<usize> =
        emails.iter().map(|e| e.1).chain(names.iter().map(|n| n.1)).collect();
    let first_block_end = ctx.records[..top]
        .iter()
        .position(|r| named_lines.contains(&r.line) && !title_or_blank(r))
        .and_then(|start| {
            ctx.records[start + 1..top].iter().position(title_or_blank).map(|k| ctx.records[start + 1 + k].line)
        })
        .unwrap_or(usize::MAX);
    let mut lines: Vec<usize> = Vec::new();
    for (i, line) in found {
        if ctx.drafts[i].conn.role != Role::Attendee {
            continue;
        }
        if line < first_block_end {
            ctx.drafts[i].conn.role = Role::Host;
            lines.push(line);
        } else {
            ctx.drafts[i].add_review(format!(
                "also named above the table (line {line}), in a later block than the host's: a panelist's table, \
                 perhaps; read as an attendee"
            ));
        }
    }
    if let Some(first) = lines.first() {
        ctx.warnings.push(format!(
            "{} row(s) whose email or name stands above the table (line {first}, where an export names its host) \
             read as the host",
            lines.len()
        ));
    }
}
