//! Interval arithmetic: a person's connections → the seconds they attended.
//!
//! Attendance is the *union* of a person's connection intervals clipped to the event window,
//! never the sum of Zoom's `Duration` column: that column is rounded up per row and double
//! counts reconnects that overlap (two devices, a new session logged before the old one closed).
//! Time in the waiting room is not attendance; rows with only a total ("show unique users")
//! cannot be clipped and are summed as reported, with a sentence saying so.
//!
//! Seconds only: which rows make a person is [`people`](super::people)'s work, and what the
//! seconds are worth under the event's rule is [`verdict`](super::verdict)'s.

use super::names::lower;
use super::{ConnectionKind, Row};

/// Total seconds covered by `intervals` (start, end in seconds), clipped to `window`.
/// Overlapping, nested and touching intervals count once; empty or inverted ones not at all.
pub fn union_seconds(intervals: &[(i64, i64)], window: Option<(i64, i64)>) -> i64 {
    let mut v: Vec<(i64, i64)> = intervals
        .iter()
        .filter_map(|&(s, e)| {
            let (s, e) = match window {
                Some((ws, we)) => (s.max(ws), e.min(we)),
                None => (s, e),
            };
            (e > s).then_some((s, e))
        })
        .collect();
    v.sort_unstable();
    let mut total = 0;
    let mut cur: Option<(i64, i64)> = None;
    for (s, e) in v {
        cur = match cur {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    total + cur.map_or(0, |(s, e)| e - s)
}

/// The seconds the person's rows state within `win`, each row at most its own time, and the
/// seconds that could be more: a row stating less than its join to leave (someone who left and
/// came back, in a summary row) that runs past the window does not say whether its time away
/// was inside the window or outside. The least it allows is counted: a Teams participants row
/// of 75:30 stated over 09:58 to 11:15 counted 75:00 of a 10:00 session, eligible, when the time
/// away (1:30 and the 2 minutes before 10:00) may all have been inside: 73:30. The difference
/// is the second number, for the decision to say.
fn stated_in_window(rows: &[Row], members: &[usize], win: Option<(i64, i64)>) -> (i64, i64) {
    members.iter().filter(|&&i| admitted(&rows[i])).fold((0, 0), |(sum, more), &i| {
        let Some(sp) = span(&rows[i]) else { return (sum, more) };
        let (own, whole) = (union_seconds(&[sp], win), sp.1 - sp.0);
        match rows[i].total_seconds {
            Some(t) if t < whole => {
                let least = (t - (whole - own)).max(0);
                (sum + least, more + own.min(t) - least)
            }
            _ => (sum + own, more),
        }
    })
}

/// A row's connection as `(join, leave)` in seconds, when it has both times.
pub(super) fn span(r: &Row) -> Option<(i64, i64)> {
    Some((r.join?.timestamp(), r.leave?.timestamp()))
}

/// A connection that counts as presence: a join and a leave, once admitted from the waiting room.
pub(super) fn admitted(r: &Row) -> bool {
    r.kind == ConnectionKind::Interval && !r.waiting_room
}

/// What a person attended, as [`attended_seconds`] counts it.
pub(super) struct Attended {
    /// Seconds within the window.
    pub seconds: i64,
    /// Seconds more the rows allow, when time away they do not place may have been outside the
    /// window ([`stated_in_window`]), or when several of Zoom's totals may not overlap.
    pub unplaced: i64,
    /// Whether `unplaced` is the overlap of several totals nobody knows, rather than time away.
    pub totals_may_overlap: bool,
    /// Seconds of the file's meeting outside the window, when `unplaced` is the part of a total
    /// that may have been there ([`counted_totals`]).
    pub meeting_outside: Option<i64>,
    /// What was not counted (time outside the window, time in the waiting room) or counted
    /// without clipping (Zoom's totals), in sentences.
    pub notes: Vec<String>,
}

/// What a person (`members`, indices into `rows`) attended within `win`.
pub(super) fn attended_seconds(rows: &[Row], members: &[usize], win: Option<(i64, i64)>) -> Attended {
    let intervals: Vec<(i64, i64)> =
        members.iter().filter(|&&i| admitted(&rows[i])).filter_map(|&i| span(&rows[i])).collect();
    let waiting: Vec<(i64, i64)> =
        members.iter().filter(|&&i| rows[i].waiting_room).filter_map(|&i| span(&rows[i])).collect();
    let totals: Vec<i64> = members
        .iter()
        .filter(|&&i| rows[i].kind == ConnectionKind::Total)
        .filter_map(|&i| rows[i].total_seconds)
        .collect();
    let mut notes = Vec::new();
    let (mut unplaced, mut meeting_outside) = (0, None);
    let seconds = if !intervals.is_empty() {
        let unclipped = union_seconds(&intervals, None);
        let clipped = union_seconds(&intervals, win);
        // Seconds under a minute said as seconds: "0 min outside the window" read as nothing.
        match unclipped - clipped {
            0 => {}
            s if s < 60 => notes.push(format!("{s} s outside the session window not counted")),
            s => notes.push(format!("{} min outside the session window not counted", s / 60)),
        }
        // A row that states less time in the meeting than its join to leave (a summary row of
        // someone who left and came back) counts no more than it states: a Google Meet row of
        // 70 min between 10:00 and 11:35 made an eligible 95. Each row at most its own time,
        // the whole at most the union.
        let stated;
        (stated, unplaced) = stated_in_window(rows, members, win);
        if stated < clipped {
            notes.push(format!(
                "{} min counted, the time in the meeting the rows state, not the {} min from join to leave",
                stated / 60,
                clipped / 60
            ));
        }
        if unplaced > 0 {
            notes.push(format!(
                "up to {} min more if the time away the rows do not place was outside the session window",
                (unplaced + 59) / 60
            ));
        }
        clipped.min(stated)
    } else if !totals.is_empty() {
        let counted = counted_totals(rows, members, &totals, win, &mut notes);
        (unplaced, meeting_outside) = (counted.1, counted.2);
        counted.0
    } else {
        0
    };
    // Waiting-room time that no admitted connection covers.
    let waited = union_seconds(&[waiting, intervals.clone()].concat(), win) - union_seconds(&intervals, win);
    if waited > 0 {
        notes.push(format!("{} s in the waiting room not counted", waited));
    }
    let totals_may_overlap = intervals.is_empty() && totals.len() > 1;
    Attended { seconds, unplaced, totals_may_overlap, meeting_outside, notes }
}

/// A person known by totals only (`totals`, their seconds), counted within `win`: the seconds,
/// the seconds more they allow, and how much of the file's meeting ran outside the window when
/// that leaves the count open; what was counted, in `notes`.
///
/// Several rows of one person in a list of unique users (two devices or two names of one
/// address, or two guests of one name) say nothing of whether their totals overlap: the longest
/// is the least they allow, and it is counted, as a summary row's unplaced time away is; the
/// sum is the most, for the decision to say where it decides. Their sum was counted: 50 and 45
/// minutes of one address made an eligible 95 with nothing to review.
///
/// A total is not placed in time, but the file's meeting is (its block's start and end, kept on
/// each total): where the meeting ran past the window, up to that much of the total may have
/// been outside it. The least it allows is counted: a meeting of 09:30 to 11:45 certified an
/// 80-minute total of someone who left at 10:50, 50 minutes into a 10:00 session.
fn counted_totals(
    rows: &[Row],
    members: &[usize],
    totals: &[i64],
    win: Option<(i64, i64)>,
    notes: &mut Vec<String>,
) -> (i64, i64, Option<i64>) {
    let (longest, sum) = (totals.iter().copied().max().unwrap_or(0), totals.iter().sum::<i64>());
    let length = win.map(|(ws, we)| we - ws);
    let mut unplaced = 0;
    if totals.len() > 1 {
        unplaced = length.map_or(sum, |l| sum.min(l)) - longest;
        let each = totals.iter().map(|t| (t / 60).to_string()).collect::<Vec<_>>().join(", ");
        notes.push(format!(
            "the longest of the file's {} totals for this person ({each} min) counted: they may overlap",
            totals.len()
        ));
    }
    if let Some(length) = length.filter(|&length| longest > IMPLAUSIBLE * length) {
        // Far more than the session lasted: no time of this session (a column of seconds read
        // as minutes made 4,440 "minutes" of a 74-minute attendee, who was certified as the
        // whole session), and a person looks ([`total_over_the_session`]).
        notes.push(format!(
            "the file's total of {} min is more than {IMPLAUSIBLE} times the session's {} min: not counted",
            longest / 60,
            length / 60
        ));
        return (0, 0, None);
    }
    if let Some((inside, outside)) = meeting_past_the_window(rows, members, win) {
        let most = (longest + unplaced).min(inside);
        let least = (longest - outside).clamp(0, most);
        notes.push(format!(
            "the file's meeting ran {} min outside the session window, and a total does not say when: at least {} of \
             the {} min were in the session",
            outside / 60,
            least / 60,
            longest / 60
        ));
        return (least, most - least, Some(outside));
    }
    if let Some(inside) = longer_than_its_meeting(rows, members, win, longest) {
        notes.push(format!(
            "the file's total of {} min is longer than its meeting's {} min in the session: counted as the meeting's",
            longest / 60,
            inside / 60
        ));
        return (inside, 0, None);
    }
    let seconds = match length.filter(|&length| longest > length) {
        // More than the session lasted: Zoom adds up a person's devices, and time before or
        // after the session; 130 of 100 minutes was eligible with no word.
        Some(length) => {
            unplaced = 0;
            notes.push(format!(
                "the file's total of {} min is longer than the session's {} min (devices counted twice, or time outside the session): counted as the whole session",
                longest / 60,
                length / 60
            ));
            length
        }
        None => {
            notes.push(
                "the total time as the file reports it (no join/leave times, so not clipped to the window)".into(),
            );
            longest
        }
    };
    (seconds, unplaced, None)
}

/// The seconds of the totals' meeting (the span each total carries) inside `win` and outside
/// it, when some of it is outside.
fn meeting_past_the_window(rows: &[Row], members: &[usize], win: Option<(i64, i64)>) -> Option<(i64, i64)> {
    // A minute over is Zoom's rounding of the meeting's start and end, not time outside.
    meeting_of_the_totals(rows, members, win).filter(|&(_, outside)| outside > 60)
}

/// The seconds of the totals' meeting inside `win` and outside it, when the totals carry it.
fn meeting_of_the_totals(rows: &[Row], members: &[usize], win: Option<(i64, i64)>) -> Option<(i64, i64)> {
    win?;
    let (start, end) = members
        .iter()
        .filter(|&&i| rows[i].kind == ConnectionKind::Total)
        .filter_map(|&i| span(&rows[i]))
        .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))?;
    let inside = union_seconds(&[(start, end)], win);
    Some((inside, end - start - inside))
}

/// A total longer than the file's meeting lasted in the session (by more than Zoom's minute of
/// rounding), when the meeting lies within it: the seconds of the meeting in the session. A
/// block of 10:30 to 11:40 certified totals of 80 and 95 minutes in a session of 10:00 to 11:40
/// (round 24's second re-test).
fn longer_than_its_meeting(rows: &[Row], members: &[usize], win: Option<(i64, i64)>, longest: i64) -> Option<i64> {
    meeting_of_the_totals(rows, members, win).map(|(inside, _)| inside).filter(|&inside| longest > inside + 60)
}

/// What a person would have attended had their connections closed at the last event of an event
/// log gone on to the end of the window (they were still connected when the log was downloaded),
/// and the rows so closed; `None` when no row is. A Teams 2020 list downloaded at 11:40 whose last
/// event was at 11:30 cut a person still there at 70 of 100 minutes, refused with nothing said.
pub(super) fn to_the_end_of_the_window(
    rows: &[Row],
    members: &[usize],
    win: Option<(i64, i64)>,
) -> Option<(i64, Vec<String>)> {
    let (_, we) = win?;
    let cut: Vec<usize> = members.iter().copied().filter(|&i| rows[i].closed_at_last_event()).collect();
    if cut.is_empty() {
        return None;
    }
    let spans: Vec<(i64, i64)> = members
        .iter()
        .filter(|&&i| admitted(&rows[i]))
        .filter_map(|&i| span(&rows[i]).map(|(s, e)| if cut.contains(&i) { (s, e.max(we)) } else { (s, e) }))
        .collect();
    Some((union_seconds(&spans, win), cut.iter().map(|&i| rows[i].at.to_string()).collect()))
}

/// How many times the session a total may be and still be read as time in it (devices counted
/// twice, time before and after): past it, the number is no time of this session.
const IMPLAUSIBLE: i64 = 3;

/// A person known only by totals (Zoom's unique users, a mapped list of totals) whose total is
/// longer than the session: counted as the whole session, and a person should look (a total is
/// not clipped: whether the person was there the whole time, nobody can tell from it); past
/// [`IMPLAUSIBLE`] times the session, not counted, and the column's unit is the question. Where
/// the file's meeting ran past the window (`measured`, as [`counted_totals`] found it), time
/// outside it may explain the total, and only what must lie in the session counts; but a total
/// longer than the session may also be two devices added up, and a person looks all the same
/// (135 of a 160-minute meeting counted 75, eligible, with no word: round 24's re-test).
pub(super) fn total_over_the_session(
    rows: &[Row],
    members: &[usize],
    win: Option<(i64, i64)>,
    measured: &Attended,
) -> Option<String> {
    let (ws, we) = win?;
    let totals = members.iter().filter(|&&i| rows[i].kind == ConnectionKind::Total);
    let longest = totals.filter_map(|&i| rows[i].total_seconds).max()?;
    let timed = members.iter().any(|&i| admitted(&rows[i]) && span(&rows[i]).is_some());
    let (total, session) = (longest / 60, (we - ws) / 60);
    if timed {
        return None;
    }
    if longest > IMPLAUSIBLE * (we - ws) {
        return Some(format!(
            "the file's total of {total} min is more than {IMPLAUSIBLE} times the session's {session} min: not \
             counted, so not eligible; if its duration column counts seconds, say so in the column's header \
             (`Duration (seconds)`) and import it again, else override if the person was there"
        ));
    }
    if measured.meeting_outside.is_some() {
        return (longest > we - ws + 60).then(|| {
            format!(
                "the file's total of {total} min is longer than the session's {session} min: time outside the \
                 session, or devices counted twice; check that the person was there"
            )
        });
    }
    if let Some(inside) = longer_than_its_meeting(rows, members, win, longest) {
        return Some(format!(
            "the file's total of {total} min is longer than the file's meeting lasted in the session ({} min): \
             devices counted twice, or a wrong total; counted as the meeting's, check the person's time",
            inside / 60
        ));
    }
    // Zoom rounds each total up to the minute: a minute over is rounding, not a question.
    (longest > we - ws + 60).then(|| {
        format!(
            "the file's total of {total} min is longer than the session's {session} min: counted as the whole \
             session; check that the person was there"
        )
    })
}

/// Guest rows (no email anywhere) are grouped by name, so two guests who share a name are one
/// person. When their connections overlap by more than a minute (longer than a reconnect logged
/// before the old session closed), it may be one guest on two devices or two people: the time
/// is counted once either way, and the person is sent to review with the lines.
pub(super) fn same_name_guests_overlap(rows: &[Row], members: &[usize]) -> Option<String> {
    if members.iter().any(|&i| lower(&rows[i].email).is_some() || lower(&rows[i].reg_email).is_some()) {
        return None;
    }
    let mut v: Vec<(i64, i64, usize)> = members
        .iter()
        .filter(|&&i| admitted(&rows[i]))
        .filter_map(|&i| span(&rows[i]).map(|(s, e)| (s, e, i)))
        .collect();
    v.sort_unstable();
    let at = |i: usize| rows[i].at.to_string();
    let mut longest: Option<(i64, usize)> = None;
    for (s, e, line) in v {
        if let Some((le, ll)) = longest {
            if s < le - 60 {
                return Some(format!(
                    "rows with one name and no email overlap in time ({} and {}): one person on two devices, or two \
                     people with the same name; counted once",
                    at(ll),
                    at(line)
                ));
            }
        }
        if longest.is_none_or(|(le, _)| e > le) {
            longest = Some((e, line));
        }
    }
    None
}

/// Rows under one address whose names are not one name overlap in time (`Anna Berg` and `Boris
/// Berg`, both `office@ngo.org`, in the meeting at once): two people sharing an address, whose
/// time was added up into one eligible person with nothing said, or one person on two devices
/// under two names. Counted once; staff look.
pub(super) fn two_names_at_once(rows: &[Row], members: &[usize]) -> Option<String> {
    let mut v: Vec<(i64, i64, usize)> = members
        .iter()
        .filter(|&&i| admitted(&rows[i]) && lower(&rows[i].email).is_some())
        .filter_map(|&i| span(&rows[i]).map(|(s, e)| (s, e, i)))
        .collect();
    v.sort_unstable();
    for (k, &(_, e1, a)) in v.iter().enumerate() {
        for &(s2, _, b) in &v[k + 1..] {
            if s2 >= e1 - 60 {
                break;
            }
            // As printed: `iPhone (Αλέξανδρος Παπαδόπουλος)` is Αλέξανδρος on a second device.
            let (na, nb) = (super::names::printed_name(&rows[a].name), super::names::printed_name(&rows[b].name));
            if !super::names::same_name(&na, &nb) && !super::names::device_name(&na) && !super::names::device_name(&nb)
            {
                return Some(format!(
                    "one address under two names at once (\"{}\" at {}, \"{}\" at {}): two people sharing an \
                     address, or one person on two devices; counted once: set each one's decision by hand if they \
                     are two",
                    rows[a].name.trim(),
                    rows[a].at,
                    rows[b].name.trim(),
                    rows[b].at
                ));
            }
        }
    }
    None
}

/// Rows under one address, one after the other, under names that are not one person's: on a
/// shared mailbox (`secretariat@…`, `info@…`: its local part starts with such a word), two names
/// that are not one name (`Anna Kowalska`, then `Anna Nowak`; `Ministry of Justice (A. Benali)`,
/// then `(P. Santos)`), and the person is not eligible until staff say who it is; on a personal
/// address, a name that shares no word with the others nor with the address (`Omar Haddad` on
/// `jan.kowalski@…`), and staff look. Two officials, two guests, one certified person (round 25's
/// re-tests). A rename keeps a word, in any case and accents (`Νίκος`, `ΝΙΚΟΣ`; `Jürgen`,
/// `Juergen`), or is its initials (`JL`), or is in another script, which cannot be compared
/// (`Иван Петров`, `Ivan Petrov`): not asked about. The second value: the note decides.
pub(super) fn one_after_the_other(rows: &[Row], members: &[usize]) -> Option<(String, bool)> {
    let with_email: Vec<usize> =
        members.iter().copied().filter(|&i| admitted(&rows[i]) && lower(&rows[i].email).is_some()).collect();
    let &first = with_email.first()?;
    let address = lower(&rows[first].email)?;
    let local = address.split('@').next().unwrap_or_default();
    let local_words: Vec<String> =
        local.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(fold).collect();
    let shared = shared_mailbox(&address);
    let mut names: Vec<(usize, &str)> = Vec::new();
    for &i in &with_email {
        let name = rows[i].name.trim();
        let printed = super::names::printed_name(name);
        if !name.is_empty() && !super::names::device_name(&printed) && !names.iter().any(|(_, n)| *n == name) {
            names.push((i, name));
        }
    }
    let words = |name: &str| -> Vec<String> {
        super::names::name_key(name).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(fold).collect()
    };
    let latin = |name: &str| {
        name.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_ascii() || ('\u{C0}'..='\u{24F}').contains(&c))
    };
    let initials = |short: &str, long: &[String]| {
        let letters: String = short.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
        let heads: String = long.iter().filter_map(|w| w.chars().next()).collect();
        letters.chars().count() >= 2 && heads.starts_with(&letters)
    };
    for (k, &(a, na)) in names.iter().enumerate() {
        for &(b, nb) in &names[k + 1..] {
            let (wa, wb) = (words(na), words(nb));
            // Every word of one name begins a word of the other, or the other way round (`J. Smith`,
            // `John Smith`): one person's name, written shorter.
            let compatible =
                wa.iter().all(|w| wb.iter().any(|l| l.starts_with(w.as_str()) || w.starts_with(l.as_str())));
            let question = if shared {
                !super::names::same_name(na, nb) && !compatible
            } else {
                let known = |w: &Vec<String>, other: &Vec<String>, raw: &str| {
                    w.iter().any(|x| other.contains(x) || local_words.contains(x)) || initials(raw, other)
                };
                latin(na) == latin(nb) && (!known(&wa, &wb, na) || !known(&wb, &wa, nb))
            };
            if question {
                let what = if shared {
                    format!("one shared mailbox ({address}) under two names")
                } else {
                    format!("one address ({address}) under two names that share no word with each other or with it")
                };
                let note = format!(
                    "{what} (\"{na}\" at {}, \"{nb}\" at {}): two people sharing the address, one after the \
                     other, or one person renamed; counted as one person{}: set each one's decision by hand if \
                     they are two",
                    rows[a].at,
                    rows[b].at,
                    if shared { ", not eligible until staff say who it is" } else { "" }
                );
                return Some((note, shared));
            }
        }
    }
    None
}

/// Whether an address is an office's, a family's or a room's mailbox rather than one person's:
/// its local part starts with such a word (`secretariat@…`, `info.justice@…`, `office-paris@…`;
/// not `maria.office@…`).
pub fn shared_mailbox(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or_default().to_lowercase();
    local.split(|c: char| !c.is_alphanumeric()).next().is_some_and(|w| SHARED_MAILBOXES.contains(&w))
}

/// A word as renames keep it: lower case, without accents (`Álvarez`, `Alvarez`), the Greek final
/// sigma as any sigma, the dotless ı as i, and German's `ue`, `oe`, `ae` as the umlauts they stand
/// for (`Juergen`, `Jürgen`).
fn fold(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let plain: String = word
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ς' => 'σ',
            'ı' => 'i',
            c => c,
        })
        .collect();
    plain.replace("ue", "u").replace("oe", "o").replace("ae", "a")
}

/// Words of a mailbox's local part that make it an office's, a family's or a room's rather than
/// one person's, in the seminars' working languages.
const SHARED_MAILBOXES: &[&str] = &[
    "info",
    "office",
    "secretariat",
    "secretariado",
    "secretaria",
    "secretariaat",
    "sekretariat",
    "sekretariaat",
    "secretary",
    "contact",
    "admin",
    "reception",
    "rooms",
    "room",
    "team",
    "events",
    "event",
    "family",
    "famille",
    "familia",
    "familie",
    "delegation",
    "mission",
    "embassy",
    "ambassade",
    "bureau",
    "office365",
    "mail",
    "webinar",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use super::super::tests::{row, win};

    #[test]
    fn attended_seconds_clips_to_the_window_and_says_what_it_left_out() {
        let mut wait = row("Ana", Some("ana@example.es"), (9, 50, 0), (10, 5, 0), 2);
        wait.waiting_room = true;
        let rows = vec![wait, row("Ana", Some("ana@example.es"), (10, 5, 0), (11, 50, 0), 3)];
        let Attended { seconds, notes, .. } = attended_seconds(&rows, &[0, 1], win());
        assert_eq!(seconds, 95 * 60);
        assert_eq!(notes, ["10 min outside the session window not counted", "300 s in the waiting room not counted"]);
    }

    /// A join seconds before the window's start is said in seconds: it read "0 min outside the
    /// session window not counted" before.
    #[test]
    fn attended_seconds_says_less_than_a_minute_left_out_in_seconds() {
        let rows = vec![row("Ana", Some("ana@example.es"), (9, 59, 55), (11, 0, 0), 2)];
        let Attended { seconds, notes, .. } = attended_seconds(&rows, &[0], win());
        assert_eq!(seconds, 60 * 60);
        assert_eq!(notes, ["5 s outside the session window not counted"]);
    }

    /// A summary row from 10:00 to 11:35 that states 70 min in the meeting counts 70 min; a row
    /// of its own beside it counts as before, the whole never more than the union.
    #[test]
    fn attended_seconds_counts_no_more_than_a_row_states() {
        let mut away = row("Wei", Some("wei@example.cn"), (10, 0, 0), (11, 35, 0), 2);
        away.total_seconds = Some(70 * 60);
        let Attended { seconds, notes, .. } = attended_seconds(std::slice::from_ref(&away), &[0], win());
        assert_eq!(seconds, 70 * 60);
        assert_eq!(
            notes,
            ["70 min counted, the time in the meeting the rows state, not the 95 min from join to leave"]
        );
        let own = row("Wei", Some("wei@example.cn"), (11, 20, 0), (11, 40, 0), 3);
        let seconds = attended_seconds(&[away.clone(), own], &[0, 1], win()).seconds;
        assert_eq!(seconds, 90 * 60, "70 stated and 20 of its own: under the 100 of the union");
        away.total_seconds = Some(99 * 60);
        assert_eq!(attended_seconds(&[away], &[0], win()).seconds, 95 * 60, "a larger statement changes nothing");
    }

    #[test]
    fn attended_seconds_sums_zoom_totals_unclipped_when_there_are_no_times() {
        let mut total = row("Ana", None, (10, 0, 0), (10, 0, 0), 2);
        (total.kind, total.join, total.leave, total.total_seconds) = (ConnectionKind::Total, None, None, Some(5_000));
        let Attended { seconds, notes, .. } = attended_seconds(&[total], &[0], win());
        assert_eq!(seconds, 5_000);
        assert_eq!(
            notes,
            ["the total time as the file reports it (no join/leave times, so not clipped to the window)"]
        );
    }

    /// Zoom's unique-users total of 130 min for a 100-minute session counts 100 and is reviewed.
    #[test]
    fn a_total_longer_than_the_session_counts_the_session_and_is_reviewed() {
        let mut total = row("Carla", None, (10, 0, 0), (10, 0, 0), 2);
        (total.kind, total.join, total.leave, total.total_seconds) =
            (ConnectionKind::Total, None, None, Some(130 * 60));
        let Attended { seconds, notes, .. } = attended_seconds(std::slice::from_ref(&total), &[0], win());
        assert_eq!(seconds, 100 * 60);
        assert!(notes[0].starts_with("the file's total of 130 min is longer than the session's 100 min"), "{notes:?}");
        let measured = attended_seconds(std::slice::from_ref(&total), &[0], win());
        assert!(total_over_the_session(std::slice::from_ref(&total), &[0], win(), &measured).is_some());
        total.total_seconds = Some(90 * 60);
        let measured = attended_seconds(std::slice::from_ref(&total), &[0], win());
        assert_eq!(measured.seconds, 90 * 60);
        assert!(total_over_the_session(&[total], &[0], win(), &measured).is_none());
    }

    #[test]
    fn same_name_guests_overlapping_more_than_a_minute_go_to_review() {
        let rows = vec![
            row("Jo", None, (10, 0, 0), (10, 30, 0), 2),
            row("Jo", None, (10, 29, 30), (11, 0, 0), 3),
            row("Jo", None, (10, 50, 0), (11, 10, 0), 4),
        ];
        assert_eq!(same_name_guests_overlap(&rows, &[0, 1]), None, "a reconnect overlaps by seconds");
        let note = same_name_guests_overlap(&rows, &[0, 1, 2]).unwrap_or_default();
        assert!(note.contains("(f.csv:3 and f.csv:4)"), "{note}");
    }

    #[test]
    fn reconnect_overlapping_previous_session_counts_once() {
        // 10:14:30-10:24:26 and 10:24:12-12:01:58 (017_Swarm): 14 s overlap.
        assert_eq!(union_seconds(&[(0, 596), (582, 6448)], None), 6448);
    }

    #[test]
    fn gaps_nested_and_touching_intervals() {
        assert_eq!(union_seconds(&[(0, 10), (20, 30)], None), 20);
        assert_eq!(union_seconds(&[(0, 100), (10, 20)], None), 100);
        assert_eq!(union_seconds(&[(0, 10), (10, 20)], None), 20);
        assert_eq!(union_seconds(&[(5, 5), (9, 3)], None), 0);
    }

    #[test]
    fn clipping_to_the_window() {
        assert_eq!(union_seconds(&[(-50, 50), (90, 200)], Some((0, 100))), 60);
        assert_eq!(union_seconds(&[(200, 300)], Some((0, 100))), 0);
    }

    fn arb_intervals() -> impl Strategy<Value = Vec<(i64, i64)>> {
        prop::collection::vec((0i64..10_000, 0i64..3_000).prop_map(|(s, d)| (s, s + d)), 0..30)
    }

    proptest! {
        #[test]
        fn union_is_order_independent(mut v in arb_intervals(), seed in any::<u64>()) {
            let a = union_seconds(&v, None);
            // A deterministic shuffle from the seed.
            let len = v.len();
            if len > 1 {
                let mut x = seed;
                for i in (1..len).rev() {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    v.swap(i, (x >> 33) as usize % (i + 1));
                }
            }
            prop_assert_eq!(a, union_seconds(&v, None));
        }

        #[test]
        fn union_is_idempotent(v in arb_intervals()) {
            let twice: Vec<(i64, i64)> = v.iter().chain(v.iter()).copied().collect();
            prop_assert_eq!(union_seconds(&v, None), union_seconds(&twice, None));
        }

        #[test]
        fn union_never_exceeds_the_window_or_the_sum(v in arb_intervals(), ws in 0i64..5_000, wl in 0i64..8_000) {
            let w = (ws, ws + wl);
            let u = union_seconds(&v, Some(w));
            prop_assert!(u <= wl);
            prop_assert!(u <= v.iter().map(|(s, e)| e - s).sum::<i64>());
            prop_assert!(u >= 0);
        }

        #[test]
        fn union_equals_counting_covered_seconds(v in prop::collection::vec((0i64..300, 0i64..60).prop_map(|(s, d)| (s, s + d)), 0..12)) {
            let covered = (0..400).filter(|t| v.iter().any(|&(s, e)| s <= *t && *t < e)).count() as i64;
            prop_assert_eq!(union_seconds(&v, None), covered);
        }
    }
}
