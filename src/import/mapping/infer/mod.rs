//! What the cells of an unknown export's table say its columns are.

use std::collections::HashSet;

use super::cells::{Profile, WaitingWord, column_of_days, duration_seconds, is_no, most, stamp};
use super::{Actions, Field, Inference, Mapping, Table};
use crate::import::dates::{self, DateOrder, OrderVerdict, Stamp};
use crate::import::headers::{Col, lookup, normalise};
use crate::import::text::Record;

mod role_column;
mod totals;

pub use totals::{infer_totals, locate_inferred_totals};

/// Infers the columns of the table from its cells: the email, then the join and the leave (and a
/// duration that agrees with them), the role, the name; what the cells cannot decide is asked.
pub fn infer(records: &[Record], t: &Table) -> Inference {
    let mut inf = Inferring::new(records, t);
    if let (false, Some(why)) = (t.others.is_empty(), t.named) {
        inf.reasons.push(format!(
            "the file holds {} tables of date-times; the one at line {} was taken, as {why}, and the rows of the others are skipped",
            t.others.len() + 1,
            records[t.first].line,
        ));
    } else if !t.others.is_empty() {
        inf.reasons.push(format!(
            "the file holds {} tables of date-times; the longest (line {}, {} rows) was taken, and the rows of the others are skipped",
            t.others.len() + 1,
            records[t.first].line,
            t.end - t.first
        ));
    }
    inf.email();
    let single_time = inf.single_time_column();
    let actions = match single_time {
        Some(ts) => inf.event_log(ts),
        None => {
            inf.join_and_leave();
            None
        }
    };
    inf.day();
    inf.role();
    inf.name();
    inf.waiting_room();
    inf.unknown_role_words();
    // One row of date-times over many without (a meeting block over Zoom's "Show unique users"
    // list, which gives minutes but no join or leave): the row is the meeting, not a person.
    // Accepted, its topic was a person, eligible, and the participants were skipped.
    let below = records[t.end..].iter().filter(|r| !r.is_blank() && r.width() > 1).count();
    if t.end - t.first == 1 && below >= 2 {
        inf.ambiguous.push(format!(
            "the only row with a join and a leave time is line {}, and the {below} rows below it have none: if they are \
             the participants (Zoom's \"Show unique users\" gives minutes only), name their columns with \
             --columns name=N,email=N,duration=N (each person's total minutes are then counted as Zoom states them), \
             or, better, export the participants again with their join and leave times (without \"Show unique users\")",
            records[t.first].line
        ));
    }
    // The name inferred under a meeting's topic header: a list of meetings (Zoom's history
    // exported without "participants details"), whose topics would be certified.
    let name_col = inf.mapping.iter().find(|(f, _)| *f == Field::Name).map(|(_, p)| *p);
    if let Some(p) = name_col.filter(|&p| t.header_cells.get(p).is_some_and(|h| lookup(h).contains(&Col::Topic))) {
        inf.ambiguous.push(format!(
            "column {} \"{}\" holds meetings' topics, not people's names: this looks like a list of meetings; export \
             it again with the participants' details (Zoom: \"Export with participants details\")",
            p + 1,
            t.header_cells[p]
        ));
    }
    let needed = if single_time.is_some() { [Field::Action, Field::Time] } else { [Field::Join, Field::Leave] };
    inf.into_inference(records, t, &needed, actions)
}

/// An inference under way: the columns' profiles, what is mapped so far and why, and the
/// columns already taken (by a field, or set aside as dates or durations).
struct Inferring<'a> {
    rows: Vec<&'a Record>,
    header_cells: &'a [String],
    profiles: Vec<Profile>,
    mapping: Mapping,
    reasons: Vec<String>,
    ambiguous: Vec<String>,
    used: HashSet<usize>,
    action_words: Vec<String>,
}

/// The day for times of day while join and leave columns are compared: any fixed day will do.
fn any_day() -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
}

impl<'a> Inferring<'a> {
    /// An inference of table `t`'s columns begun: its first 2,000 rows' profiles.
    fn new(records: &'a [Record], t: &'a Table) -> Self {
        let rows: Vec<&Record> = records[t.first..t.end].iter().take(2000).collect();
        let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0).max(t.header_cells.len());
        let profiles: Vec<Profile> = (0..width).map(|p| Profile::of(&rows, p)).collect();
        Inferring {
            rows,
            header_cells: &t.header_cells,
            profiles,
            mapping: Vec::new(),
            reasons: Vec::new(),
            ambiguous: Vec::new(),
            used: HashSet::new(),
            action_words: Vec::new(),
        }
    }

    /// The inference for staff: the mapping in the fields' order, and as missing the `needed`
    /// fields no column holds, and the name when neither a name nor an email column is found.
    fn into_inference(self, records: &[Record], t: &Table, needed: &[Field], actions: Option<Actions>) -> Inference {
        let Inferring { rows, mut mapping, reasons, ambiguous, action_words, .. } = self;
        mapping.sort_by_key(|(f, _)| Field::ALL.iter().position(|g| g == f));
        let has = |f: Field| mapping.iter().any(|(g, _)| *g == f);
        let mut missing: Vec<Field> = needed.iter().copied().filter(|&f| !has(f)).collect();
        if !has(Field::Name) && !has(Field::Email) {
            missing.push(Field::Name);
        }
        Inference {
            header_line: t.header.map(|h| records[h].line),
            reading: 0,
            sheet: None,
            header: t.header_cells.clone(),
            mapping,
            reasons,
            ambiguous,
            missing,
            actions,
            action_words,
            preview: rows.iter().take(5).map(|r| r.fields.iter().map(|c| c.trim().to_owned()).collect()).collect(),
        }
    }
}

impl Inferring<'_> {
    fn width(&self) -> usize {
        self.profiles.len()
    }

    /// A column as the reasons name it: its number, and its header when it has one.
    fn label(&self, p: usize) -> String {
        let h = self.header_cells.get(p).map(String::as_str).unwrap_or("");
        if h.is_empty() { format!("column {}", p + 1) } else { format!("column {} \"{h}\"", p + 1) }
    }

    /// The distinct filled cells of column `p`, sorted.
    fn words(&self, p: usize) -> Vec<String> {
        let mut words: Vec<String> = self.rows.iter().map(|r| r.cell(p).to_owned()).filter(|c| !c.is_empty()).collect();
        words.sort();
        words.dedup();
        words
    }

    /// Whether half of column `p`'s distinct values at least are country names: neither a name
    /// nor a role, however few its values.
    fn countries(&self, p: usize) -> bool {
        let words = self.words(p);
        words.iter().filter(|w| crate::import::words::country(w)).count() * 2 >= words.len()
    }

    /// Whether column `p` holds only yes and no (a guest or waiting-room column), in a language
    /// attest has the words of.
    fn yes_no(&self, p: usize) -> bool {
        self.words(p).iter().all(|w| crate::import::yes(w) || is_no(w))
    }

    /// The filled columns most of whose cells are of a kind (`count` of the profile).
    fn mostly(&self, count: impl Fn(&Profile) -> usize) -> Vec<usize> {
        (0..self.width())
            .filter(|&p| self.profiles[p].filled > 0 && most(count(&self.profiles[p]), self.profiles[p].filled))
            .collect()
    }

    /// Email: the first column of addresses (a second one, such as Teams' UPN, is the same person),
    /// but one whose addresses vary before one that holds the same address on every row: that
    /// one is the meeting's host's (an Active Hosts export's `User Email` beside each
    /// participant's), and taken for everyone's it made one person of everyone.
    ///
    /// Of several that vary, the one that varies most: a Zoom history export repeats the host's
    /// email on each participant's row, with two values where it holds two meetings, and taken
    /// for the participants' it merged everyone into the two hosts.
    fn email(&mut self) {
        let emails = self.mostly(|p| p.emails);
        let varied = emails
            .iter()
            .copied()
            .filter(|&p| self.profiles[p].distinct > 1)
            .max_by_key(|&p| (self.profiles[p].distinct, std::cmp::Reverse(p)));
        if let Some(e) = varied.or_else(|| emails.first().copied()) {
            self.mapping.push((Field::Email, e));
            self.used.extend(emails.iter().copied());
            self.reasons.push(format!(
                "{}: {} of {} cells are email addresses",
                self.label(e),
                self.profiles[e].emails,
                self.profiles[e].filled
            ));
        }
    }

    /// Join and leave: columns of date-times, the first never after the second on any row; a
    /// duration column that agrees with them decides between several such pairs.
    fn join_and_leave(&mut self) {
        let all_times = self.mostly(|p| p.stamps);
        self.used.extend(all_times.iter().copied());
        // A column whose every cell is the same (the scheduled start on every row) is set aside,
        // unless that leaves fewer than two (a one-row table has nothing but constant columns).
        let varying: Vec<usize> = all_times.iter().copied().filter(|&p| self.profiles[p].distinct > 1).collect();
        let mut times = if varying.len() >= 2 { varying } else { all_times };
        // Two columns of dates with times are the join and the leave; times without a date
        // beside them (`00:45:10`) are durations (BigBlueButton's talk and webcam times, with
        // which its `Join` and `Left`, `3/14/2025, 9:50:00 AM`, were a question, round 23).
        // Otherwise, beside times of day, a workbook's column of dates (each at midnight) is the
        // rows' day ([`Self::day`]), not a join or a leave: taken for one, the file was asked
        // about.
        let time_only = |p: &usize| self.rows.iter().filter_map(|r| stamp(r.cell(*p))).all(|s| !s.has_date());
        let days_only = |p: &usize| {
            let cells: Vec<&str> = self.rows.iter().map(|r| r.cell(*p)).collect();
            column_of_days(&cells, None).is_some()
        };
        let dated: Vec<usize> = times.iter().copied().filter(|p| !time_only(p) && !days_only(p)).collect();
        if dated.len() >= 2 {
            // Free again, for the duration that agrees with the pair.
            for p in times.iter().filter(|p| time_only(p)) {
                self.used.remove(p);
            }
            times = dated;
        } else if times.iter().filter(|p| time_only(p)).count() >= 2 {
            times.retain(|p| !days_only(p));
        }
        let order = self.date_order(&times);
        let pairs = self.ordered_pairs(&times, order);
        // A duration column that agrees with a pair.
        let durations: Vec<usize> =
            self.mostly(|p| p.durations).into_iter().filter(|p| !self.used.contains(p)).collect();
        let (chosen, mut duration_col) = self.choose_pair(&times, &pairs, &durations, order);
        if let Some((a, b)) = chosen {
            self.mapping.push((Field::Join, a));
            self.mapping.push((Field::Leave, b));
            if pairs.len() == 1 {
                self.reasons.push(format!(
                    "{} and {} hold date-times, and {} is never after {}",
                    self.label(a),
                    self.label(b),
                    self.label(a),
                    self.label(b)
                ));
            }
            if duration_col.is_none() {
                duration_col = durations.iter().copied().find(|&d| self.agrees((a, b), d, order));
                if let Some(d) = duration_col {
                    self.reasons.push(format!("{} agrees with leave − join", self.label(d)));
                }
            }
        }
        if let Some(d) = duration_col {
            self.mapping.push((Field::Duration, d));
            self.used.insert(d);
        }
        self.used.extend(durations.iter().copied());
    }

    /// Beside a join and a leave that are times of day, a free column of dates without a time
    /// is each row's day: a few days, each on several rows (a registration date varies from row
    /// to row, and is not taken). Read without it, a table of two days' sessions was read on
    /// one day, and the second day's rows sent to review.
    fn day(&mut self) {
        let Some(join) = self.mapping.iter().find(|(f, _)| *f == Field::Join).map(|(_, p)| *p) else { return };
        let joins: Vec<Stamp> = self.rows.iter().filter_map(|r| stamp(r.cell(join))).collect();
        if joins.is_empty() || joins.iter().any(Stamp::has_date) {
            return;
        }
        let found = (0..self.width()).filter(|p| !self.mapping.iter().any(|(_, q)| q == p)).find_map(|p| {
            let cells: Vec<&str> = self.rows.iter().map(|r| r.cell(p)).collect();
            let mut days: Vec<chrono::NaiveDate> =
                column_of_days(&cells, None)?.iter().filter_map(|d| d.first().copied()).collect();
            let dated = days.len();
            days.sort_unstable();
            days.dedup();
            let few = days.len() == 1 || (days.len() <= 7 && days.len() * 2 <= dated + 1);
            few.then_some((p, days))
        });
        if let Some((p, days)) = found {
            self.mapping.push((Field::Date, p));
            self.used.insert(p);
            let named: Vec<String> = days.iter().take(3).map(ToString::to_string).collect();
            self.reasons.push(format!(
                "{} holds a date on each row ({}{}), and the join and leave are times of day: each row's times are \
                 read on its own day",
                self.label(p),
                named.join(", "),
                if days.len() > 3 { ", …" } else { "" }
            ));
        }
    }

    /// The day/month order of the time columns' cells; when the cells cannot tell, month/day:
    /// either order keeps two times of one row in the same order, nearly always.
    fn date_order(&self, times: &[usize]) -> Option<DateOrder> {
        let cells: Vec<(&str, Stamp)> = self
            .rows
            .iter()
            .flat_map(|r| times.iter().filter_map(move |&p| stamp(r.cell(p)).map(|s| (r.cell(p), s))))
            .collect();
        match dates::decide_order(cells.iter().map(|(c, s)| (*c, s))) {
            OrderVerdict::Decided(o) => Some(o),
            OrderVerdict::NotNeeded => None,
            OrderVerdict::Undecided { .. } | OrderVerdict::Contradictory { .. } => Some(DateOrder::Mdy),
        }
    }

    fn at(r: &Record, p: usize, order: Option<DateOrder>) -> Option<chrono::NaiveDateTime> {
        stamp(r.cell(p)).and_then(|s| s.resolve(order, any_day()).ok())
    }

    /// Pairs of time columns `(a, b)` where `a` is never after `b`, and before it at least once.
    /// Between two times of day, a leave earlier than its join is past midnight (23:50 to 00:10),
    /// under twelve hours later: one such row made a table of times of day a question. On most
    /// rows too (a session from 23:00 to 00:40, read where it is night: round 24's table was a
    /// question); then the pair the other way round spans twelve hours or more on most rows
    /// (00:40 to 23:00), which no one attends, and is not a pair. Nor is a pair more than a day
    /// apart on most rows, beside a column of durations.
    fn ordered_pairs(&self, times: &[usize], order: Option<DateOrder>) -> Vec<(usize, usize)> {
        let time_only = |r: &Record, p: usize| stamp(r.cell(p)).is_some_and(|s| !s.has_date());
        let half_a_day = chrono::Duration::hours(12);
        // Only beside a column of durations, which the list of totals then reads: without one, a
        // room where most stayed connected overnight is still its joins and leaves (round 24's
        // second re-test: it was refused).
        let totals_beside = !self.mostly(|p| p.durations).is_empty();
        let (mut pairs, mut within_a_day) = (Vec::new(), Vec::new());
        for &a in times {
            for &b in times {
                if a == b {
                    continue;
                }
                let (mut ok, mut before, mut compared, mut night, mut long, mut days) = (true, false, 0, 0, 0, 0);
                for r in &self.rows {
                    if let (Some(x), Some(y)) = (Self::at(r, a, order), Self::at(r, b, order)) {
                        compared += 1;
                        let clock = time_only(r, a) && time_only(r, b);
                        if x > y && clock && y + chrono::Duration::days(1) - x < half_a_day {
                            night += 1;
                            continue;
                        }
                        long += usize::from(clock && y - x >= half_a_day);
                        days += usize::from(y - x > chrono::Duration::days(1));
                        ok &= x <= y;
                        before |= x < y;
                    }
                }
                // A span of more than a day on most rows is no one's connection: a registration
                // date and a last activity, days apart, were taken for the join and the leave,
                // and every registrant was certified (round 24's re-test).
                if ok
                    && (before || night > 0)
                    && compared > 0
                    && long * 2 < compared
                    && (days * 2 <= compared || !totals_beside)
                {
                    pairs.push((a, b));
                    within_a_day.push(days * 2 <= compared);
                }
            }
        }
        // Beside a pair within a day, pairs days apart are none (a registration date days before
        // a join and a leave): the table was a question (round 25).
        if within_a_day.contains(&true) && within_a_day.contains(&false) {
            let mut kept = within_a_day.iter();
            pairs.retain(|_| kept.next() == Some(&true));
        }
        pairs
    }

    /// Whether duration column `d` agrees with leave − join of the pair: equal on at least half
    /// the rows and longer (by more than a minute) on a fifth at most (one row in a file of five
    /// or fewer). A summary's duration is the time in the meeting, which is shorter than first
    /// join to last leave for everyone who left and came back (Teams' participants section):
    /// asking for equality on nine rows in ten left a Teams report in an unknown language with
    /// its registration time as a candidate join, and a question. Longer on none, as it was, one
    /// person's two devices added up (BigBlueButton's dashboard) dropped the column, and someone
    /// away 25 minutes of a 95-minute span was certified (round 24); taken, that row counts its
    /// span and goes to review.
    fn agrees(&self, (a, b): (usize, usize), d: usize, order: Option<DateOrder>) -> bool {
        let (mut equal, mut all, mut longer) = (0, 0, 0);
        let unit = self.header_cells.get(d).map_or(60, |h| super::cells::header_unit(h));
        for r in &self.rows {
            if let (Some(x), Some(y), Some((lo, hi))) =
                (Self::at(r, a, order), Self::at(r, b, order), duration_seconds(r.cell(d), unit))
            {
                all += 1;
                let s = (y - x).num_seconds();
                // A connection across a change of daylight saving time: its local times are an
                // hour off the time it lasted (an hour more when the clocks went back, an hour
                // less when they went forward). Across the night of 26 October in Paris, four
                // rows of five were, and the duration was not taken: the repeated hour was read
                // as its first time, and someone who left early was eligible.
                let dst = |s: i64| lo <= s + 60 && s <= hi;
                if dst(s + 3600) || dst(s - 3600) {
                    equal += 1;
                    continue;
                }
                // A minute's slack: an Excel re-save drops the seconds of the times.
                if lo > s + 60 {
                    longer += 1;
                    continue;
                }
                equal += usize::from(s <= hi);
            }
        }
        all > 0 && equal * 2 >= all && longer * 5 <= all.max(5)
    }

    /// The join → leave pair, and the duration column that chose it among several; `None` with
    /// the question asked when the cells cannot tell.
    fn choose_pair(
        &mut self,
        times: &[usize],
        pairs: &[(usize, usize)],
        durations: &[usize],
        order: Option<DateOrder>,
    ) -> (Option<(usize, usize)>, Option<usize>) {
        match pairs {
            [] => {
                let question = if times.len() < 2 {
                    format!("the table has {} column(s) of date-times; a join and a leave time are needed", times.len())
                } else {
                    format!(
                        "no two of the date-time columns {} are always in the same order, so none is clearly the join and another the leave",
                        times.iter().map(|&p| self.label(p)).collect::<Vec<_>>().join(", ")
                    )
                };
                self.ambiguous.push(question);
                (None, None)
            }
            [pair] => (Some(*pair), None),
            _ => {
                let this = &*self;
                let agreeing: Vec<((usize, usize), usize)> = pairs
                    .iter()
                    .flat_map(|&pr| {
                        durations.iter().filter(move |&&d| this.agrees(pr, d, order)).map(move |&d| (pr, d))
                    })
                    .collect();
                let distinct_pairs: HashSet<(usize, usize)> = agreeing.iter().map(|(p, _)| *p).collect();
                match agreeing.first() {
                    Some(&(pr, d)) if distinct_pairs.len() == 1 => {
                        self.reasons.push(format!(
                            "several pairs of date-time columns are in order, and {} agrees with {} → {} only",
                            self.label(d),
                            self.label(pr.0),
                            self.label(pr.1)
                        ));
                        (Some(pr), Some(d))
                    }
                    _ => {
                        self.ambiguous.push(format!(
                            "which date-times are the join and the leave: {} are all possible{}",
                            pairs
                                .iter()
                                .map(|(a, b)| format!("{} → {}", self.label(*a), self.label(*b)))
                                .collect::<Vec<_>>()
                                .join("; "),
                            if durations.is_empty() { ", and no duration column tells them apart" } else { "" }
                        ));
                        (None, None)
                    }
                }
            }
        }
    }

    /// The one column of date-times, when there is exactly one: an event log's timestamps.
    fn single_time_column(&self) -> Option<usize> {
        match self.mostly(|p| p.stamps).as_slice() {
            [ts] => Some(*ts),
            _ => None,
        }
    }

    /// An event log: one date-time column, and a column of two or three words that alternate
    /// within each person's events (joined, left; and Teams' `Joined before`). Which word means
    /// what is inferred from where it stands in each person's events, and asked when that does
    /// not tell.
    fn event_log(&mut self, ts: usize) -> Option<Actions> {
        self.used.insert(ts);
        self.mapping.push((Field::Time, ts));
        self.reasons.push(format!("{}: the only column of date-times, so one event per row", self.label(ts)));
        let n = self.rows.len();
        let candidates: Vec<usize> = (0..self.width())
            .filter(|&p| {
                let pr = &self.profiles[p];
                !self.used.contains(&p)
                    && (2..=3).contains(&pr.distinct)
                    && most(pr.letters, pr.filled)
                    && most(pr.filled, n)
                    && !most(pr.roles, pr.filled)
                    && !most(pr.ids, pr.filled)
            })
            .collect();
        let email = self.mapping.iter().find(|(f, _)| *f == Field::Email).map(|(_, p)| *p);
        // Whose events a candidate's words are grouped by: the email, else the most varied other
        // column, another candidate included. Three people were as few as three action words:
        // with the candidates left out, every event fell in one sequence, the names alternated
        // in it and were taken for the actions.
        let person_for = |a: usize| {
            email.or_else(|| {
                (0..self.width())
                    .filter(|&p| !self.used.contains(&p) && p != a)
                    .max_by_key(|&p| self.profiles[p].distinct)
            })
        };
        let person: Vec<Option<usize>> = (0..self.width()).map(person_for).collect();
        let order = self.date_order(&[ts]);
        let alternating: Vec<usize> =
            candidates.iter().copied().filter(|&c| alternates(&self.sequences(c, person[c], ts, order))).collect();
        match alternating.as_slice() {
            [] => {
                self.ambiguous.push(
                    "the table has one column of date-times and no column of two or three words that alternate \
                     within each person's events (joined, left), so it is neither a table of joins and leaves nor an \
                     event log attest can read"
                        .into(),
                );
                None
            }
            [a] => {
                let a = *a;
                self.used.insert(a);
                self.mapping.push((Field::Action, a));
                self.reasons.push(format!(
                    "{}: {} distinct words that alternate within each person's events",
                    self.label(a),
                    self.profiles[a].distinct
                ));
                let seqs = self.sequences(a, person[a], ts, order);
                self.action_words(&seqs)
            }
            several => {
                let cols = several.iter().map(|&p| self.label(p)).collect::<Vec<_>>().join(" or ");
                self.ambiguous.push(format!("which column holds the actions (joined, left): {cols}"));
                None
            }
        }
    }

    /// Each person's action words (column `action`) in time order.
    fn sequences(&self, action: usize, person: Option<usize>, ts: usize, order: Option<DateOrder>) -> Vec<Vec<String>> {
        let mut by: std::collections::BTreeMap<String, Vec<(chrono::NaiveDateTime, usize, String)>> =
            std::collections::BTreeMap::new();
        for (k, r) in self.rows.iter().enumerate() {
            let (Some(t), word) = (Self::at(r, ts, order), r.cell(action)) else { continue };
            if word.is_empty() {
                continue;
            }
            let key = person.map(|p| normalise(r.cell(p))).unwrap_or_default();
            by.entry(key).or_default().push((t, k, word.to_owned()));
        }
        by.into_values()
            .map(|mut v| {
                v.sort();
                v.into_iter().map(|(_, _, w)| w).collect()
            })
            .collect()
    }

    /// Which words mean joined and left: those attest knows, else the word that starts most
    /// people's events is the join, the one that ends most is the leave, and a third word found
    /// only at the start is a join logged before (Teams' `Joined before`). A tie is asked.
    fn action_words(&mut self, seqs: &[Vec<String>]) -> Option<Actions> {
        let mut words: Vec<String> = seqs.iter().flatten().cloned().collect();
        words.sort_by_key(|w| normalise(w));
        words.dedup_by_key(|w| normalise(w));
        self.action_words.clone_from(&words);
        let known = Actions::known();
        if words.iter().all(|w| known.reads(w).is_some()) {
            let (joined, left): (Vec<String>, Vec<String>) =
                words.iter().cloned().partition(|w| known.reads(w) == Some(true));
            self.reasons.push("the action words are ones attest knows".into());
            return Some(Actions { joined, left });
        }
        let count = |w: &str, at: fn(&Vec<String>) -> Option<&String>| {
            seqs.iter().filter(|s| at(s).is_some_and(|x| normalise(x) == normalise(w))).count()
        };
        let first = |w: &String| count(w, |s| s.first());
        let last = |w: &String| count(w, |s| s.last());
        let only_first = |w: &String| seqs.iter().all(|s| s.iter().skip(1).all(|x| normalise(x) != normalise(w)));
        let mut by_first = words.clone();
        by_first.sort_by_key(|w| std::cmp::Reverse(first(w)));
        let mut by_last = words.clone();
        by_last.sort_by_key(|w| std::cmp::Reverse(last(w)));
        let tie = |v: &[String], f: &dyn Fn(&String) -> usize| v.len() > 1 && f(&v[0]) == f(&v[1]);
        let quoted = |ws: &[String]| ws.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ");
        let (join_word, leave_word) = (by_first[0].clone(), by_last[0].clone());
        let third: Vec<String> = words.iter().filter(|w| **w != join_word && **w != leave_word).cloned().collect();
        let settled =
            !tie(&by_first, &first) && !tie(&by_last, &last) && join_word != leave_word && third.iter().all(only_first);
        if !settled {
            self.ambiguous.push(format!(
                "which of the action words {} means joined and which left: their places in each person's events do \
                 not tell",
                quoted(&words)
            ));
            return None;
        }
        self.reasons.push(format!(
            "\"{join_word}\" starts {} of {} people's events (joined), \"{leave_word}\" ends {} (left){}",
            first(&join_word),
            seqs.len(),
            last(&leave_word),
            if third.is_empty() {
                String::new()
            } else {
                format!(", {} only starts them (joined before)", quoted(&third))
            }
        ));
        let mut joined = vec![join_word];
        joined.extend(third);
        Some(Actions { joined, left: vec![leave_word] })
    }

    /// Role: few distinct values, most of them role words.
    ///
    /// Two in three of its cells role words, of six kinds at most: in a small report, one word
    /// attest lacks (a Webex panelist's, in French or Japanese) kept the column below nine in
    /// ten, it was left out with no word, and `--accept-inferred` certified the organisers.
    fn role(&mut self) {
        let roles: Vec<usize> = (0..self.width())
            .filter(|&p| {
                let pr = &self.profiles[p];
                pr.filled > 0
                    && (most(pr.roles, pr.filled) && pr.distinct <= 8
                        || pr.roles * 3 >= pr.filled * 2 && pr.distinct <= 6)
                    && !self.used.contains(&p)
            })
            .collect();
        if let Some(&r) = roles.first() {
            self.mapping.push((Field::Role, r));
            self.used.insert(r);
            let pr = &self.profiles[r];
            self.reasons.push(if pr.roles == pr.filled {
                format!("{}: {} distinct values, all role words", self.label(r), pr.distinct)
            } else {
                format!(
                    "{}: {} distinct values, role words on {} of {} rows (the others' people go to review)",
                    self.label(r),
                    pr.distinct,
                    pr.roles,
                    pr.filled
                )
            });
        }
    }

    /// Name: the text column with the most distinct values, unless the next has nearly as many.
    fn name(&mut self) {
        let n_rows = self.rows.len();
        // Free columns filled on half the rows or more, mostly with words (or a caller's number).
        let text = |p: usize| {
            let pr = &self.profiles[p];
            !self.used.contains(&p)
                && pr.filled * 2 >= n_rows
                && most(pr.letters + pr.phones + pr.lost, pr.filled)
                && !most(pr.ids, pr.filled)
                && !most(pr.measures, pr.filled)
                // Country names are no one's name (Zoho's `Location` beside `Participant Name`
                // made the name a question, round 23).
                && !self.countries(p)
                // Nor are days, which look like a caller's number (`2025-03-13`).
                && column_of_days(&self.rows.iter().map(|r| r.cell(p)).collect::<Vec<_>>(), None).is_none()
        };
        let mut texts: Vec<usize> = (0..self.width())
            .filter(|&p| text(p) && self.profiles[p].distinct > 2.min(n_rows.saturating_sub(1)))
            .collect();
        texts.sort_by_key(|&p| std::cmp::Reverse(self.profiles[p].distinct));
        // Beside the emails, a name is one person's: a column whose values stand beside two
        // addresses on more than a fifth of its rows (Zoho's `Device`, `Chrome` for two people
        // of four) is not the name, where another column is. Two people of one name are fewer.
        if let Some(e) = self.mapping.iter().find(|(f, _)| *f == Field::Email).map(|(_, p)| *p) {
            let shared = |p: usize| {
                let mut addresses: std::collections::HashMap<&str, HashSet<&str>> = std::collections::HashMap::new();
                for r in self.rows.iter().filter(|r| !r.cell(p).is_empty() && !r.cell(e).is_empty()) {
                    addresses.entry(r.cell(p)).or_default().insert(r.cell(e));
                }
                let rows = self.rows.iter().filter(|r| addresses.get(r.cell(p)).is_some_and(|a| a.len() > 1)).count();
                rows * 5 > self.rows.len()
            };
            if texts.len() > 1 && texts.iter().any(|&p| !shared(p)) {
                texts.retain(|&p| !shared(p));
            }
        }
        let distinct = |p: usize| self.profiles[p].distinct;
        match texts.as_slice() {
            [] => {
                // Text columns with too few distinct values to be sure (two people, each on
                // several rows, beside a yes/no column in a language attest has no words for)
                // are asked about: left out, the name went unread when an email was found, and
                // a guest without an email was skipped and lost.
                let few: Vec<usize> = (0..self.width())
                    .filter(|&p| {
                        text(p)
                            && !self.mapping.iter().any(|(_, q)| *q == p)
                            && self.profiles[p].distinct >= 2
                            && !self.yes_no(p)
                    })
                    .collect();
                if !few.is_empty() {
                    // Asked about as the name, none of them is then taken for a role column.
                    self.used.extend(few.iter().copied());
                    let columns: Vec<String> =
                        few.iter().map(|&p| format!("{} ({} distinct values)", self.label(p), distinct(p))).collect();
                    self.ambiguous.push(format!(
                        "which column is the name: {} (too few rows to tell names from a column of repeated words)",
                        columns.join(" or ")
                    ));
                } else if self.mapping.iter().all(|(f, _)| *f != Field::Email) {
                    self.ambiguous.push("no column holds names or emails".into());
                }
            }
            [n] => {
                let reason = format!("{}: text with {} distinct values", self.label(*n), distinct(*n));
                self.mapping.push((Field::Name, *n));
                self.reasons.push(reason);
            }
            &[n, m, ..] => {
                // The two columns with the most distinct values, as both outcomes name them: the
                // question asks which of the two, the reason says why the first won.
                let (first, second) = (self.label(n), self.label(m));
                let (first_count, second_count) = (distinct(n), distinct(m));
                if second_count * 10 >= first_count * 8 {
                    // Side by side, often a first and a last name: a certificate wants both.
                    let (a, b) = (n.min(m), n.max(m));
                    let both = if b - a == 1 {
                        format!("; if it is in both (a first and a last name), name={}+{}", a + 1, b + 1)
                    } else {
                        String::new()
                    };
                    self.ambiguous.push(format!(
                        "which column is the name: {first} ({first_count} distinct values) or {second} ({second_count}){both}"
                    ));
                } else {
                    self.mapping.push((Field::Name, n));
                    self.reasons.push(format!(
                        "{first}: the text with the most distinct values ({first_count}; next is {second} with {second_count})"
                    ));
                }
            }
        }
    }

    /// The waiting room: a column of two words whose waiting word's rows ([`WaitingWord`]) each
    /// end where the same person's next row starts, as Zoom writes a person who waited and was
    /// admitted. Only said before, the column was dropped by `--accept-inferred`, and the
    /// waiting time certified (in Turkish, Greek, Dutch, Indonesian, Swedish files).
    fn waiting_room(&mut self) {
        let get = |f: Field| self.mapping.iter().find(|(g, _)| *g == f).map(|(_, p)| *p);
        let (Some(join), Some(leave)) = (get(Field::Join), get(Field::Leave)) else { return };
        let Some(who) = get(Field::Email).or(get(Field::Name)) else { return };
        let free = |p: usize| !self.used.contains(&p) && !self.mapping.iter().any(|(_, q)| *q == p);
        let found = (0..self.width()).filter(|&p| free(p) && self.profiles[p].distinct == 2).find(|&p| {
            let word = WaitingWord::of(&self.rows, p);
            let waited: Vec<&&Record> = self.rows.iter().filter(|r| word.says(r.cell(p))).collect();
            let admitted = waited
                .iter()
                .filter(|w| {
                    let (person, left) = (w.cell(who), w.cell(leave));
                    !person.is_empty()
                        && self
                            .rows
                            .iter()
                            .any(|r| r.cell(who) == person && r.cell(join) == left && !word.says(r.cell(p)))
                })
                .count();
            !waited.is_empty() && admitted * 2 >= waited.len() && waited.len() * 2 < self.rows.len()
        });
        if let Some(p) = found {
            self.mapping.push((Field::Waiting, p));
            self.used.insert(p);
            self.reasons.push(format!(
                "{}: the waiting room (the rows under one of its two words end where the same person's next row starts); that time is not attendance",
                self.label(p)
            ));
        }
    }
}

/// Whether a column's words change from one event to the next within most people's events (two
/// in three: Teams repeats a leave event now and then).
fn alternates(seqs: &[Vec<String>]) -> bool {
    let (mut changes, mut steps) = (0, 0);
    for s in seqs {
        for w in s.windows(2) {
            steps += 1;
            changes += usize::from(normalise(&w[0]) != normalise(&w[1]));
        }
    }
    steps > 0 && changes * 3 >= steps * 2
}
