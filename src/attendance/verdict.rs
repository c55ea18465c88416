//! The rule and the sentence: one person's rows → a [`Decision`].
//!
//! A person's role is not the highest of their rows': someone moved from attendee to panelist
//! (or back) mid-session takes the role they held longest, and the reason says so
//! ([`person_role`]); a host row still makes a host. Hosts are never eligible, panelists only
//! when the event includes them; everyone else is eligible when their seconds meet the rule.
//! The reason reads in a fixed order (the measure, the rule, then each note) because staff and
//! the tests read it as a sentence. Staff overrides replace the outcome last, keeping the
//! computed reason after theirs.
//!
//! Who the person is comes from [`people`](super::people) and their seconds from
//! [`intervals`](super::intervals); nothing here groups rows or adds up time.

use unicode_normalization::UnicodeNormalization;

use super::callers::{holds_a_number, unnamed_caller};
use super::intervals::{
    admitted, attended_seconds, same_name_guests_overlap, span, to_the_end_of_the_window, total_over_the_session,
    union_seconds,
};
use super::names::{anonymous, device_name, lost_name, lower, printed_name};
use super::people::{Person, name_key_of, registration_name};
use super::{ConnectionKind, Decision, Override, PersonKey, Role, Row, Rule, Source};

/// The decision for one person of the event, before staff overrides.
pub(super) fn person(
    rows: &[Row],
    p: Person,
    win: Option<(i64, i64)>,
    rule: Rule,
    panelists_eligible: bool,
) -> Decision {
    let (role, role_note) = person_role(rows, &p.members, win);
    let (name, email, key) = identity(rows, &p.members);
    let mut extra = Vec::new();
    let mut review = p.review;
    if let Some(note) = same_name_guests_overlap(rows, &p.members) {
        review.push(note);
    }
    let mut shared_mailbox = false;
    if let Some(note) = super::intervals::two_names_at_once(rows, &p.members) {
        review.push(note);
    } else if let Some((note, decides)) = super::intervals::one_after_the_other(rows, &p.members) {
        review.push(note);
        shared_mailbox = decides;
    }
    let measured = attended_seconds(rows, &p.members, win);
    if let Some(note) = total_over_the_session(rows, &p.members, win, &measured) {
        review.push(note);
    }
    if let Some(note) = role_note {
        if role == Role::Panelist && !panelists_eligible {
            review.push(format!("{note}: not eligible as a panelist; override if the certificate is due"));
        } else if role == Role::Attendee {
            // A speaker made a presenter for her slot only (a CoE segment is ten minutes) is an
            // attendee for the rest: one whom staff should look at, as much as an attendee
            // promoted for a question (round 21: she was issued with nothing said).
            review.push(format!("{note}: if this person was one of the speakers, override (not eligible)"));
        }
        extra.push(note);
    }
    review.extend(undecided_time(rows, &p.members, win, rule, &measured));
    let super::intervals::Attended { seconds: attended, notes: time_notes, .. } = measured;
    extra.extend(time_notes);
    let registered_only = p.members.iter().all(|&i| rows[i].kind == ConnectionKind::Registration);
    let (meets, measure) = meets_rule(rule, win, attended);
    let mut reason = if registered_only { format!("registered but did not join; {measure}") } else { measure };
    reason.push_str(&format!("; rule: {}", rule.describe()));
    let not_understood = p.members.iter().map(|&i| &rows[i]).find(|r| r.has_role_not_understood());
    let (mut eligible, mut reason) = match not_understood {
        // Whatever the event says of panelists: the word may be an organiser's.
        Some(r) if role != Role::Host => (
            false,
            format!(
                "a role word attest does not understand ({}:{}): not eligible until staff decide (attest override); {reason}",
                r.at.file, r.at.line
            ),
        ),
        _ => role_allows(role, panelists_eligible, meets, reason),
    };
    if eligible && email.is_none() && unnamed_caller(&name) {
        // Attended, but by telephone under a number or a placeholder: nobody to make the
        // certificate out to until staff say who it is.
        eligible = false;
        reason = format!(
            "joined by telephone as \"{name}\", which names nobody: not eligible until staff say who it is; {reason}"
        );
        review.push(format!(
            "\"{name}\" joined by telephone and attended long enough: link the rows to the person (attest people link) or override"
        ));
    } else if eligible && email.is_none() && holds_a_number(&name) {
        // `Salle Rhin +33 …`, `Anna Kowalska +48 …`: a line's label or a person who typed
        // their number; the certificate would be made out to it (round 25's second re-test).
        review.push(format!(
            "\"{name}\" holds a telephone number: a line with a label, or a person who typed their number; check \
             the name the certificate is made out to"
        ));
    }
    if eligible && shared_mailbox {
        // Two people under an office's mailbox, one after the other: whose certificate it is,
        // and for how long, the file cannot tell.
        eligible = false;
        reason = format!("a shared mailbox under two names: not eligible until staff say who it is; {reason}");
    }
    if let Some(why) = lost_name(&name).filter(|_| eligible) {
        // Whatever the email: the certificate would be made out to "??" or "#NUL!".
        eligible = false;
        reason = format!(
            "joined as \"{name}\", which names nobody ({why}): not eligible until staff say who it is; {reason}"
        );
        review.push(format!(
            "\"{name}\" attended long enough under a name that names nobody: link the rows to the person \
             (attest people link) or override"
        ));
    }
    if eligible && email.is_none() && anonymous(&name) {
        eligible = false;
        reason = format!("joined as \"{name}\", which names nobody: not eligible until staff say who it is; {reason}");
        review.push(format!(
            "\"{name}\" attended long enough without a name: link the rows to the person (attest people link) or override"
        ));
    }
    if eligible && device_name(&name) {
        // A device's name: without an email, nobody to make the certificate out to, as with a
        // telephone number; with one, the person is known but not the name to print.
        review.push(format!(
            "\"{name}\" is the name of a device, not of a person: link the rows to the person (attest people link), \
             or check the name to print"
        ));
        if email.is_none() {
            eligible = false;
            reason = format!("joined as \"{name}\", a device's name: not eligible until staff say who it is; {reason}");
        }
    }
    for e in extra.iter().chain(p.notes.iter()) {
        reason.push_str("; ");
        reason.push_str(e);
    }
    let mut sources: Vec<Source> = p.members.iter().map(|&i| rows[i].at.clone()).collect();
    sources.sort();
    sources.dedup();
    Decision {
        key,
        keys: p.keys,
        name,
        email,
        role,
        attended_seconds: attended,
        eligible,
        reason,
        sources,
        review,
        overridden: false,
    }
}

/// What staff should look at when the rows allow more time than is counted and the more would
/// make the person eligible: time away a summary row does not place, totals that may not
/// overlap, or a connection a log cut at its last event.
fn undecided_time(
    rows: &[Row],
    members: &[usize],
    win: Option<(i64, i64)>,
    rule: Rule,
    measured: &super::intervals::Attended,
) -> Option<String> {
    let (attended, unplaced) = (measured.seconds, measured.unplaced);
    let decides =
        |more: i64| more > 0 && !meets_rule(rule, win, attended).0 && meets_rule(rule, win, attended + more).0;
    if decides(unplaced) {
        let outside;
        let (why, counted, unless) = if let Some(seconds) = measured.meeting_outside {
            outside = format!(
                "the file's meeting ran {} min outside the session window, and a total does not say when the person was there",
                seconds / 60
            );
            (
                outside.as_str(),
                "the least",
                "the person's time was in the session (the report without \"Show unique users\" gives each join and leave)",
            )
        } else if measured.totals_may_overlap {
            (
                "the file lists this person in several rows (two devices, or two people of one name) whose totals may overlap",
                "the longest",
                "they did not overlap",
            )
        } else {
            (
                "its rows do not say whether their time away was in the session",
                "the least",
                "the time away was outside the session",
            )
        };
        Some(format!(
            "attended between {} and {} min: {why}; counted {counted}, so not eligible: override if {unless}",
            attended / 60,
            (attended + unplaced) / 60
        ))
    } else {
        let (most, lines) = to_the_end_of_the_window(rows, members, win)?;
        decides(most - attended).then(|| {
            format!(
                "attended {} min, or up to {} min: the log has no leave for {} (still connected when it was \
                 downloaded), so it was counted until the log's last event, and not eligible: override if the \
                 person stayed",
                attended / 60,
                most / 60,
                lines.join(", ")
            )
        })
    }
}

/// The person's name for the certificate, their address, and their key (`email:…`, else
/// `name:…` of their earliest row).
///
/// The name is the registration's, else the display name of the person's own row: a row with an
/// email is the person's own; a guest row matched by name may be a device (`Eric's iPad (Eric
/// Clapton)`), even when it joined first. Role and guest tags (`(Guest)`, `(EXT)`), a device and a
/// rename to the same name are not printed ([`printed_name`]). A row without a display name
/// names nobody.
pub(super) fn identity(rows: &[Row], members: &[usize]) -> (String, Option<String>, PersonKey) {
    let mut order: Vec<usize> = members.to_vec();
    // Earliest connection first; registrations last: its name is the one shown when no
    // registration name exists.
    order.sort_by_key(|&i| (rows[i].kind != ConnectionKind::Interval, rows[i].join.map(|t| t.timestamp()), i));
    let named = |i: &usize| !rows[*i].name.trim().is_empty();
    let has_email = |i: &usize| lower(&rows[*i].email).is_some() || lower(&rows[*i].reg_email).is_some();
    // A name that names nobody (`??`, `#NUL!`) is shown only when the person has no other.
    let somebody = |i: &usize| named(i) && lost_name(&rows[*i].name).is_none();
    let shown = order
        .iter()
        .find(|i| somebody(i) && has_email(i))
        .or_else(|| order.iter().find(|i| somebody(i)))
        .or_else(|| order.iter().find(|i| named(i) && has_email(i)))
        .or_else(|| order.iter().find(|i| named(i)));
    // Composed (NFC): the same text as exported, but one spelling whichever device typed it,
    // so that `José` from a Mac (decomposed accents) prints and compares like `José`.
    let name = order
        .iter()
        .find_map(|&i| registration_name(&rows[i]))
        .unwrap_or_else(|| shown.map(|&i| printed_name(&rows[i].name)).unwrap_or_default())
        .nfc()
        .collect::<String>();
    let email = order
        .iter()
        .find_map(|&i| lower(&rows[i].reg_email))
        .or_else(|| order.iter().find_map(|&i| lower(&rows[i].email)));
    let key = match (&email, order.first()) {
        (Some(e), _) => PersonKey::email(e),
        (None, Some(&first)) => name_key_of(&rows[first]),
        (None, None) => PersonKey::name(""),
    };
    (name, email, key)
}

/// Whether `attended` seconds meet the rule, and the measure as the reason opens with it.
pub(super) fn meets_rule(rule: Rule, win: Option<(i64, i64)>, attended: i64) -> (bool, String) {
    let minutes = attended / 60;
    match (rule, win) {
        (Rule::MinPercent(p), Some((s, e))) if e > s => {
            let len = e - s;
            (
                attended * 100 >= p as i64 * len,
                format!("attended {minutes} of {} minutes ({} %)", len / 60, attended * 100 / len),
            )
        }
        (Rule::MinPercent(_), _) => (
            false,
            format!(
                "attended {minutes} minutes; the session window is unknown, so a share cannot be computed (set the event's --starts and --ends)"
            ),
        ),
        (Rule::MinMinutes(m), _) => (attended >= m as i64 * 60, format!("attended {minutes} minutes")),
    }
}

/// Whether the person's role lets them have a certificate at all: the outcome, and the reason
/// with the role's refusal in front of it.
pub(super) fn role_allows(role: Role, panelists_eligible: bool, meets: bool, reason: String) -> (bool, String) {
    match role {
        Role::Host => (false, format!("host: not eligible for a certificate; {reason}")),
        Role::Panelist if !panelists_eligible => {
            (false, format!("panelist: not eligible (the event does not include panelists); {reason}"))
        }
        _ => (meets, reason),
    }
}

/// Staff overrides, the latest for a person winning: the outcome replaced, the computed reason
/// kept after the staff's.
pub(super) fn apply_overrides(decisions: &mut [Decision], overrides: &[Override]) {
    for d in decisions {
        if let Some(o) = overrides.iter().rev().find(|o| d.keys.contains(&o.key) || d.key == o.key) {
            d.reason = format!(
                "staff override: {} (\"{}\"); computed: {}",
                if o.eligible { "eligible" } else { "not eligible" },
                o.reason,
                d.reason
            );
            d.eligible = o.eligible;
            d.overridden = true;
        }
    }
}

/// A person's role, and a sentence when their rows disagree on it.
///
/// A host row makes a host. Otherwise a person with time as both attendee and panelist was moved
/// during the session: Zoom webinars promote an attendee to panelist to let them speak in the
/// discussion (and demote them after), Teams changes a role mid-meeting, and the format notes
/// (2.1) say such a person "would then have multiple records". Taking the highest role made a
/// participant who asked one question a panelist, and so not eligible, for the whole seminar.
/// The role is the one held for most of the session time (clipped to the window; a tie reads as
/// attendee, the role a certificate of attendance is for), and all of the time counts as
/// attendance: a promoted attendee was present throughout. Rows with no time (registrations)
/// only decide when there is no time at all.
pub(super) fn person_role(rows: &[Row], members: &[usize], win: Option<(i64, i64)>) -> (Role, Option<String>) {
    let highest = members.iter().map(|&i| rows[i].role).max().unwrap_or(Role::Attendee);
    if highest == Role::Host {
        return (Role::Host, None);
    }
    let time_as = |roles: &[Role], win: Option<(i64, i64)>| {
        let v: Vec<(i64, i64)> = members
            .iter()
            .map(|&i| &rows[i])
            .filter(|r| roles.contains(&r.role) && admitted(r))
            .filter_map(span)
            .collect();
        union_seconds(&v, win)
    };
    // Attendee time is the time with an attendee row and no panelist row: a moment read both
    // ways is a panelist's. Two exports of one webinar give that (a report with roles and a
    // participants list without, whose rows read as attendee: a panelist was certified), and so
    // does a speaker watching from a second device as an attendee.
    let times = |win| {
        let p = time_as(&[Role::Panelist], win);
        (time_as(&[Role::Attendee, Role::Panelist], win) - p, p)
    };
    let (mut a, mut p) = times(win);
    if a == 0 && p == 0 {
        (a, p) = times(None);
    }
    match (a, p) {
        (0, 0) => (highest, None),
        (_, 0) => (Role::Attendee, None),
        (0, _) => (Role::Panelist, None),
        (a, p) => {
            let role = if p > a { Role::Panelist } else { Role::Attendee };
            let why = if a == p { "as long in each" } else { "the role held longest" };
            (
                role,
                Some(format!(
                    "moved between roles during the session: attendee for {} min, panelist for {} min; read as {}, \
                     {why}",
                    a / 60,
                    p / 60,
                    role.as_str()
                )),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{row, win};
    use super::*;

    #[test]
    fn person_role_is_the_role_held_longest_and_says_so_and_a_host_row_makes_a_host() {
        let mut promoted = row("Ana", Some("ana@x.org"), (10, 30, 0), (10, 50, 0), 3);
        promoted.role = Role::Panelist;
        let rows = vec![row("Ana", Some("ana@x.org"), (10, 0, 0), (10, 30, 0), 2), promoted];
        let (role, note) = person_role(&rows, &[0, 1], win());
        assert_eq!(role, Role::Attendee);
        assert_eq!(
            note.as_deref(),
            Some(
                "moved between roles during the session: attendee for 30 min, panelist for 20 min; read as attendee, \
                 the role held longest"
            )
        );
        assert_eq!(person_role(&rows, &[1], win()), (Role::Panelist, None));
        // The same panelist time read again as attendee (a second export without roles, or a
        // second device) is a panelist's: only the attendee time outside it counts as attendee.
        let again = row("Ana", Some("ana@x.org"), (10, 30, 0), (10, 50, 0), 4);
        assert_eq!(person_role(&[rows[1].clone(), again.clone()], &[0, 1], win()), (Role::Panelist, None));
        let (role, note) = person_role(&[rows[0].clone(), rows[1].clone(), again], &[0, 1, 2], win());
        assert_eq!(role, Role::Attendee);
        assert!(note.unwrap().contains("attendee for 30 min, panelist for 20 min"));
        let mut host = rows[0].clone();
        host.role = Role::Host;
        assert_eq!(person_role(&[host, rows[1].clone()], &[0, 1], win()), (Role::Host, None));
    }

    #[test]
    fn identity_prefers_the_registration_name_and_address() {
        let mut registered = row("JB", Some("Desk@x.org"), (10, 5, 0), (10, 10, 0), 3);
        (registered.reg_first_name, registered.reg_last_name) = (Some(" Jo ".into()), Some("Bloggs".into()));
        registered.reg_email = Some("Jo@X.org".into());
        let rows = vec![row("iPad (Jo)", None, (10, 0, 0), (10, 5, 0), 2), registered];
        assert_eq!(identity(&rows, &[0, 1]), ("Jo Bloggs".into(), Some("jo@x.org".into()), "email:jo@x.org".into()));
        assert_eq!(identity(&rows, &[0]), ("Jo".into(), None, "name:ipad (jo)".into()), "the device not printed");
    }

    #[test]
    fn meets_rule_measures_a_share_of_the_window_or_minutes() {
        assert_eq!(
            meets_rule(Rule::MinPercent(75), win(), 75 * 60),
            (true, "attended 75 of 100 minutes (75 %)".into())
        );
        assert!(!meets_rule(Rule::MinPercent(75), win(), 74 * 60 + 59).0);
        let (meets, measure) = meets_rule(Rule::MinPercent(75), None, 6_000);
        assert!(!meets && measure.contains("the session window is unknown"), "{measure}");
        assert_eq!(meets_rule(Rule::MinMinutes(60), None, 3_600), (true, "attended 60 minutes".into()));
    }

    #[test]
    fn role_allows_refuses_hosts_and_panelists_unless_the_event_includes_them() {
        assert_eq!(
            role_allows(Role::Host, true, true, "r".into()),
            (false, "host: not eligible for a certificate; r".into())
        );
        assert!(!role_allows(Role::Panelist, false, true, "r".into()).0);
        assert_eq!(role_allows(Role::Panelist, true, true, "r".into()), (true, "r".into()));
        assert_eq!(role_allows(Role::Attendee, false, false, "r".into()), (false, "r".into()));
    }

    #[test]
    fn apply_overrides_lets_the_latest_staff_decision_win_and_keeps_the_computed_reason() {
        let p = Person { members: vec![0], keys: vec!["email:ana@x.org".into()], notes: vec![], review: vec![] };
        let rows = vec![row("Ana", Some("ana@x.org"), (10, 0, 0), (10, 10, 0), 2)];
        let mut ds = vec![person(&rows, p, win(), Rule::MinPercent(75), false)];
        let o = |eligible, reason: &str| Override { key: "email:ana@x.org".into(), eligible, reason: reason.into() };
        apply_overrides(&mut ds, &[o(false, "first"), o(true, "by phone")]);
        assert!(ds[0].eligible && ds[0].overridden);
        assert_eq!(
            ds[0].reason,
            "staff override: eligible (\"by phone\"); computed: attended 10 of 100 minutes (10 %); rule: at least 75 %"
        );
    }
}
