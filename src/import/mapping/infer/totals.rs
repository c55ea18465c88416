//! A list of each person's total time (a name, an email, a duration, no join or leave): Zoom's
//! "Show unique users" in a language attest has no words for, or another platform's summary
//! (Livestorm's, Zoho's, a spreadsheet staff made). Such a list has no date-times to find it by,
//! so it is found by its column of durations, and its columns inferred like any table's, for
//! staff to confirm. Before, it was refused, and staff had to work out `--columns` by hand.

use std::collections::HashSet;

use super::super::cells::{column_of_days, explicit_unit, identifier, is_email, most, stated_seconds};
use super::super::read::{UnnamedUnit, unnamed_unit};
use super::super::{Field, Inference, Table, locate_totals};
use super::Inferring;
use crate::import::headers::normalise;
use crate::import::text::Record;

/// Whether a cell holds a time of day (`10:50`, `14 Machi 2025 10:00`, `10:50 SA`): digits, a
/// colon, two digits, whatever the words around them.
fn time_of_day(cell: &str) -> bool {
    let b = cell.as_bytes();
    (1..b.len().saturating_sub(2))
        .any(|i| b[i] == b':' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit())
}

/// Headers of numbers that are no one's time, however much they look like minutes: a contacts
/// list's age was offered as each person's minutes, and accepted, certified three people aged
/// over 75 (round 24's second re-test). The word "age" in the working languages, the issue's
/// interface languages and the EU's others.
#[rustfmt::skip]
const NOT_DURATIONS: &[&str] = &[
    "age", "âge", "alter", "edad", "età", "idade", "leeftijd", "wiek", "věk", "vek", "vârstă",
    "возраст", "вік", "yaş", "ηλικία", "年龄", "年齡", "年齢", "나이", "العمر", "kor", "ikä",
    "ålder", "alder", "vanus", "amžius", "vecums", "starost", "възраст", "години",
];

/// A day: no one's total time in one seminar is longer.
const DAY: i64 = 24 * 3600;

/// The longest list of totals in `records`, with the columns that may be its durations, best
/// first (see `durations`), when no table of date-times holds the participants.
pub fn locate_inferred_totals(records: &[Record]) -> Option<(Table, Vec<usize>)> {
    let mut t = locate_totals(records, |t| durations(records, t).first().copied())?;
    // A list without a header row: its first row is a person's, not the header
    // ([`locate_totals`] takes every run's first row for its header).
    if let Some(h) = t.header {
        let p = durations(records, &t).first().copied()?;
        let cell = records[h].cell(p);
        if stated_seconds(cell, 60).is_some() && records[h].fields.iter().any(is_email) {
            t = Table { header: None, header_cells: Vec::new(), first: h, ..t };
        }
    }
    let candidates = durations(records, &t);
    (!candidates.is_empty()).then_some((t, candidates))
}

/// The columns of `t` that may be each person's total time, best first: filled on half its rows
/// or more, nine cells in ten a duration of at most a day (a bare number in the unit its header
/// names, else minutes), not ids, not the row numbers 1, 2, 3…; written durations (`1:23:45`,
/// `1 h 23 min`) before bare numbers, which may be counts.
fn durations(records: &[Record], t: &Table) -> Vec<usize> {
    let rows = &records[t.first..t.end.min(t.first + 2000)];
    let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0).max(t.header_cells.len());
    let addresses = (0..width).any(|p| {
        let filled = rows.iter().filter(|r| !r.cell(p).trim().is_empty()).count();
        filled > 0 && most(rows.iter().filter(|r| is_email(r.cell(p).trim())).count(), filled)
    });
    let mut found: Vec<(bool, usize)> = (0..width)
        .filter_map(|p| {
            // A bare number under a header naming no unit is read as seconds at most (more than a
            // day's minutes are seconds: `super::super::read`).
            let unit = t.header_cells.get(p).and_then(|h| explicit_unit(h)).unwrap_or(1);
            let cells: Vec<&str> = rows.iter().map(|r| r.cell(p).trim()).filter(|c| !c.is_empty()).collect();
            let read = cells.iter().filter(|c| stated_seconds(c, unit).is_some_and(|s| s <= DAY)).count();
            let numbers: Vec<i64> = cells.iter().filter_map(|c| c.parse::<i64>().ok()).collect();
            let counting = numbers.len() == cells.len() && numbers.windows(2).all(|w| w[1] == w[0] + 1);
            let ids = cells.iter().filter(|c| identifier(c)).count();
            // A column of bare numbers is a duration only where the header names its unit, or
            // beside email addresses: an order's numbers and prices are no one's minutes.
            let said = t.header_cells.get(p).is_some_and(|h| explicit_unit(h).is_some());
            let bare = numbers.len() == cells.len();
            let not_a_duration = t.header_cells.get(p).is_some_and(|h| NOT_DURATIONS.contains(&normalise(h).as_str()));
            let usable = !not_a_duration
                && cells.len() * 2 >= rows.len()
                && (!bare || said || addresses)
                && most(read, cells.len())
                && !(counting && cells.len() > 2)
                && !most(ids, cells.len());
            usable.then_some((bare, p))
        })
        .collect();
    // Written before bare numbers, each kind in the columns' order.
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Infers the columns of a list of totals: the duration (asked about when two columns of the
/// same kind could be it), the email, the role, the name.
pub fn infer_totals(records: &[Record], t: &Table, candidates: &[usize]) -> Inference {
    let mut inf = Inferring::new(records, t);
    inf.reasons.push(
        "no two columns hold each row's join and leave time: this is a list of each person's total time, counted as \
         the file states it (a total longer than the session counts the session; where a meeting block above the \
         list gives the meeting's start and end, only what must have been in the session counts)"
            .into(),
    );
    inf.email();
    inf.total_duration(candidates);
    inf.role();
    inf.name();
    inf.unknown_role_words();
    inf.times_and_days_left_out();
    inf.into_inference(records, t, &[Field::Duration], None)
}

impl Inferring<'_> {
    /// Columns a list of totals leaves out that it should not: times (a join without a leave, or
    /// times in words attest cannot read: the totals are then no time in the session) and days
    /// (a course's daily totals: the longest of three days' totals was certified). Each is asked
    /// about, so the list is never taken with them silently left out (round 24's second
    /// re-test).
    fn times_and_days_left_out(&mut self) {
        let mapped = |p: usize| self.mapping.iter().any(|(_, q)| *q == p);
        for p in (0..self.width()).filter(|&p| !mapped(p)) {
            let cells: Vec<&str> = self.rows.iter().map(|r| r.cell(p).trim()).filter(|c| !c.is_empty()).collect();
            if cells.is_empty() {
                continue;
            }
            let clock = cells.iter().filter(|c| time_of_day(c)).count();
            let distinct: HashSet<&str> = cells.iter().copied().collect();
            // Times on several days are registrations, not this session's joins or leaves.
            let day = |c: &str| -> String {
                let words = c.split([' ', 'T']).filter(|w| !w.contains(':') && w.chars().any(|ch| ch.is_ascii_digit()));
                words.collect::<Vec<_>>().join(" ")
            };
            let one_day = cells.iter().map(|c| day(c)).collect::<HashSet<String>>().len() <= 1;
            if most(clock, cells.len()) && one_day {
                self.ambiguous.push(format!(
                    "{} holds times: if they are each person's join or leave, name the columns with --columns \
                     name=N,email=N,join=N,leave=N (totals are not clipped to the session)",
                    self.label(p)
                ));
            } else if distinct.len() > 1 && column_of_days(&cells, None).is_some() {
                self.ambiguous.push(format!(
                    "{} holds several days ({}): a list of one session's totals has one; keep the event's day's rows \
                     and import the file again",
                    self.label(p),
                    distinct.into_iter().take(4).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }

    /// The duration of a list of totals: the first of `candidates` not taken by another field,
    /// unless the next is of the same kind (two columns of bare numbers: minutes and a count of
    /// participants, or of questions asked), which is asked about.
    fn total_duration(&mut self, candidates: &[usize]) {
        let free: Vec<usize> = candidates.iter().copied().filter(|p| !self.used.contains(p)).collect();
        let bare =
            |p: usize| self.rows.iter().all(|r| r.cell(p).trim().is_empty() || r.cell(p).trim().parse::<i64>().is_ok());
        match free.as_slice() {
            [] => {}
            [d, e, ..] if bare(*d) == bare(*e) => {
                self.used.extend(free.iter().copied());
                self.ambiguous.push(format!(
                    "which column is each person's total time: {} or {}",
                    self.label(*d),
                    self.label(*e)
                ));
            }
            [d, ..] => {
                let d = *d;
                self.mapping.push((Field::Duration, d));
                self.used.extend(free.iter().copied());
                // As the mapped reading will ([`read`](super::super::read)): a header naming no
                // unit over numbers some of which are more than a day's minutes is a question.
                let numbers: Vec<i64> = self.rows.iter().filter_map(|r| r.cell(d).trim().parse::<i64>().ok()).collect();
                let unnamed = unnamed_unit(&numbers);
                let unit = match self.header_cells.get(d).and_then(|h| explicit_unit(h)) {
                    Some(1) => "seconds, as its header says",
                    Some(3600) => "hours, as its header says",
                    Some(_) => "minutes, as its header says",
                    None if unnamed == UnnamedUnit::Seconds => {
                        "seconds (its header names no unit, and most of its numbers are more than a day in minutes)"
                    }
                    None if unnamed == UnnamedUnit::Question => {
                        self.ambiguous.push(format!(
                            "{} names no unit, and some of its numbers are longer in minutes than any seminar: \
                             minutes or seconds? Name the unit in its header (\"(minutes)\", \"(seconds)\") and import \
                             the file again",
                            self.label(d)
                        ));
                        "minutes, or seconds (see below)"
                    }
                    None => "minutes (its header names no unit)",
                };
                self.reasons.push(if bare(d) {
                    format!("{}: a number on most rows, read as {unit}", self.label(d))
                } else {
                    format!("{}: durations on most rows", self.label(d))
                });
            }
        }
    }
}
