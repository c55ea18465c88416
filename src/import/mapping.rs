//! Exports whose header row the alias table does not know: the table is found by its content,
//! its columns are inferred from the cells, and staff confirm the mapping before anything is
//! read through it.
//!
//! The inference reads what the cells hold, not what the headers say:
//! - a column of emails (most cells hold an address) is the email;
//! - columns of date-times are the join/leave candidates; a pair where one is never before the
//!   other (and is after it somewhere) is join → leave; a column whose every cell is the same
//!   (a scheduled start repeated on each row) is not a connection time;
//! - when several pairs qualify (a registration time, a scheduled start), a duration column
//!   that agrees with exactly one of them decides; otherwise attest asks;
//! - the name is the text column with the most distinct values; two close candidates (first and
//!   last name) are ambiguous, and attest asks;
//! - a role column is a column of few distinct values that are known role words
//!   ([`super::words::role`]).
//!
//! An inferred mapping is never used silently: a [`Plan`]'s `source` says whether the caller confirmed
//! it (`--accept-inferred`), gave one (`--columns`), or a mapping confirmed earlier for the same
//! header row applies (remembered by `store::imports`).

use std::collections::HashSet;

use super::dates::{self, DateOrder, OrderVerdict, Stamp};
use super::headers::normalise;
use super::text::Record;
use super::{Ctx, Draft, RowKind, minutes_range, parse_hms, value};
use crate::attendance::ConnectionKind;

/// A field of an attendance row that a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Email,
    Join,
    Leave,
    Duration,
    Role,
    /// An event log's action column (joined / left), one event per row.
    Action,
    /// An event log's timestamp column.
    Time,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::Email,
        Field::Join,
        Field::Leave,
        Field::Duration,
        Field::Role,
        Field::Action,
        Field::Time,
    ];
    /// The fields of a table with a join and a leave on each row (the console's column question).
    pub const INTERVAL: [Field; 6] =
        [Field::Name, Field::Email, Field::Join, Field::Leave, Field::Duration, Field::Role];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Join => "join",
            Field::Leave => "leave",
            Field::Duration => "duration",
            Field::Role => "role",
            Field::Action => "action",
            Field::Time => "time",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s.trim().to_ascii_lowercase())
    }
}

/// How staff named a column: by its number (from 1) or by its header text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnSpec {
    Number(usize),
    Header(String),
}

/// What an event log's action words mean: the words of a join (`Joined`, and `Joined before`) and
/// of a leave, normalised ([`normalise`]). Staff say them for a language attest has no words for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Actions {
    pub joined: Vec<String>,
    pub left: Vec<String>,
}

impl Actions {
    /// `Some(true)` for a join word, `Some(false)` for a leave word, `None` for neither.
    pub fn reads(&self, cell: &str) -> Option<bool> {
        let key = normalise(cell);
        let has = |words: &[String]| words.iter().any(|w| normalise(w) == key);
        if has(&self.joined) {
            Some(true)
        } else if has(&self.left) {
            Some(false)
        } else {
            None
        }
    }

    /// The words every event log attest knows uses ([`super::words`]).
    fn known() -> Actions {
        let own = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect();
        Actions { joined: own(super::words::JOINED), left: own(super::words::LEFT) }
    }
}

/// Columns as staff named them, field by field.
pub type Columns = Vec<(Field, ColumnSpec)>;

/// Parses `name=1,email=2,join=Heure d'arrivée,leave=4`.
pub fn parse_columns_arg(s: &str) -> Result<Columns, String> {
    parse_columns_and_actions(s).map(|(c, _)| c)
}

/// Parses the columns and, for an event log, what its action words mean:
/// `name=1,email=2,action=3,time=4,joined=Ingressou,left=Saiu` (several words with `|`:
/// `joined=Ingressou|Ingressou antes`).
pub fn parse_columns_and_actions(s: &str) -> Result<(Columns, Option<Actions>), String> {
    let mut out: Columns = Vec::new();
    let mut actions: Option<Actions> = None;
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("\"{part}\": expected FIELD=COLUMN, e.g. name=1 or join=\"Join Time\""))?;
        if matches!(k.trim(), "joined" | "left") {
            let words: Vec<String> =
                v.split('|').map(|w| w.trim().trim_matches('"').to_owned()).filter(|w| !w.is_empty()).collect();
            if words.is_empty() {
                return Err(format!("{}: no action word given", k.trim()));
            }
            let a = actions.get_or_insert_with(Actions::default);
            if k.trim() == "joined" {
                a.joined = words
            } else {
                a.left = words
            }
            continue;
        }
        let field = Field::parse(k).ok_or_else(|| {
            format!(
                "\"{k}\" is not a field; fields are {}",
                Field::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
            )
        })?;
        if out.iter().any(|(f, _)| *f == field) {
            return Err(format!("{} is given twice", field.as_str()));
        }
        // A name in several columns (first name, last name): `name=1+2`, read in that order.
        let parts: Vec<&str> = if field == Field::Name { v.split('+').collect() } else { vec![v] };
        for v in parts {
            let v = v.trim().trim_matches('"');
            let spec = match v.parse::<usize>() {
                Ok(0) => return Err(format!("{}: columns are numbered from 1", field.as_str())),
                Ok(n) => ColumnSpec::Number(n),
                Err(_) if v.is_empty() => return Err(format!("{}: no column given", field.as_str())),
                Err(_) => ColumnSpec::Header(v.to_owned()),
            };
            out.push((field, spec));
        }
    }
    if out.is_empty() {
        return Err("no columns given".into());
    }
    if let Some(a) = &actions {
        if a.joined.is_empty() || a.left.is_empty() {
            return Err("an event log's action words need both joined=WORD and left=WORD".into());
        }
    }
    Ok((out, actions))
}

/// Field → 0-based column position; the name may stand in several columns, in reading order.
pub type Mapping = Vec<(Field, usize)>;

/// `name=1+2,email=3,join=4,leave=5`: a mapping as staff type it (`--columns`, the API).
pub fn columns_arg(mapping: &Mapping) -> String {
    let mut out: Vec<String> = Vec::new();
    for (i, (f, p)) in mapping.iter().enumerate() {
        if i > 0 && mapping[i - 1].0 == *f {
            if let Some(last) = out.last_mut() {
                last.push_str(&format!("+{}", p + 1));
            }
        } else {
            out.push(format!("{}={}", f.as_str(), p + 1));
        }
    }
    out.join(",")
}

/// A row's name: the cells of the name's columns that are filled, joined by a space.
fn name_of(r: &Record, columns: &[usize]) -> Option<String> {
    let parts: Vec<String> = columns.iter().filter_map(|&p| value(r, Some(p))).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The key under which a confirmed mapping is remembered: the header row's normalised cells.
pub fn header_key(header: &[String]) -> String {
    let cells: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let end = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    cells[..end].join("\u{1f}")
}

/// Where the table of an unknown export is.
#[derive(Debug, Clone)]
pub struct Table {
    /// Index (into the records) of the header row, if the table has one.
    pub header: Option<usize>,
    pub header_cells: Vec<String>,
    /// Indices of the data rows.
    pub first: usize,
    pub end: usize,
    /// The other tables of date-times in the file (their data rows' `first..end`), not read: a
    /// Zoom webinar report has its hosts, panelists and attendees under three header rows.
    pub others: Vec<(usize, usize)>,
}

/// What attest inferred about an unknown export's columns, for staff to confirm.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Inference {
    /// Line of the header row.
    pub header_line: Option<usize>,
    pub header: Vec<String>,
    /// Field → 0-based column, as inferred.
    pub mapping: Mapping,
    /// Why each column was taken, in words.
    pub reasons: Vec<String>,
    /// Questions the cells could not answer: while any remain, attest asks instead of guessing.
    pub ambiguous: Vec<String>,
    /// Required fields that no column holds.
    pub missing: Vec<Field>,
    /// An event log (one event per row): what its action words were inferred to mean.
    pub actions: Option<Actions>,
    /// An event log's action words as the file writes them (the console asks what each means).
    pub action_words: Vec<String>,
    /// The first data rows, as in the file.
    pub preview: Vec<Vec<String>>,
}

impl Inference {
    /// Whether the mapping can be used once staff confirm it.
    pub fn complete(&self) -> bool {
        self.ambiguous.is_empty() && self.missing.is_empty()
    }

    /// `name=1,email=2,join=3,leave=4`: what staff would type to confirm it, or to correct it.
    pub fn as_columns_arg(&self) -> String {
        let mut out: Vec<String> = vec![columns_arg(&self.mapping)];
        if let Some(a) = &self.actions {
            out.push(format!("joined={}", a.joined.join("|")));
            out.push(format!("left={}", a.left.join("|")));
        } else if self.mapping.iter().any(|(f, _)| *f == Field::Action) {
            // The words' meaning is the open question: the example says where to give it.
            out.push("joined=WORD,left=WORD".into());
        }
        out.join(",")
    }

    /// Several lines for a person: the inferred columns, the questions, and the next step.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let label = |p: usize| {
            let h = self.header.get(p).map(String::as_str).unwrap_or("").trim();
            if h.is_empty() { format!("column {}", p + 1) } else { format!("column {} \"{h}\"", p + 1) }
        };
        if let Some(l) = self.header_line {
            out.push_str(&format!("  header row (line {l}): {}\n", self.header.join(" | ")));
        }
        for (f, p) in &self.mapping {
            out.push_str(&format!("  {} = {}\n", f.as_str(), label(*p)));
        }
        if let Some(a) = &self.actions {
            out.push_str(&format!("  joined = {}; left = {}\n", a.joined.join(" | "), a.left.join(" | ")));
        }
        for r in &self.reasons {
            out.push_str(&format!("    because {r}\n"));
        }
        for a in &self.ambiguous {
            out.push_str(&format!("  cannot tell: {a}\n"));
        }
        if !self.missing.is_empty() {
            out.push_str(&format!(
                "  missing: {} ({})\n",
                self.missing.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
                if self.ambiguous.is_empty() { "no column holds it" } else { "see \"cannot tell\" above" }
            ));
        }
        for row in &self.preview {
            out.push_str(&format!("  | {}\n", row.join(" | ")));
        }
        out
    }
}

/// Whether a cell is a date-time (or a time) the importer can read.
fn stamp(cell: &str) -> Option<Stamp> {
    if cell.is_empty() || !cell.bytes().any(|b| b == b':') {
        return None;
    }
    Stamp::parse(cell).ok()
}

/// `+33 1 23 45 67 89`, `(202) 555-0143`: digits and the signs numbers are written with.
fn is_phone(cell: &str) -> bool {
    cell.chars().filter(char::is_ascii_digit).count() >= 6
        && cell.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

fn is_email(cell: &str) -> bool {
    let Some(at) = cell.find('@') else { return false };
    at > 0 && cell[at + 1..].contains('.') && !cell.contains(' ')
}

/// A duration cell in seconds: whole minutes (Zoom) or written out (`1h 2m 3s`, `2 godz. 18 min`).
fn duration_seconds(cell: &str) -> Option<(i64, i64)> {
    if let Ok(m) = cell.trim().parse::<i64>() {
        return (m >= 0).then(|| minutes_range(m));
    }
    parse_hms(cell).map(|s| (s - 1, s + 1))
}

/// Finds the table: the longest run of rows holding at least two date-times each (the later one
/// of two as long), and the row above it as its header. The longest, not the first: a Zoom
/// webinar report in an unknown language lists its host first, then its panelists, then its
/// attendees (the first table was one host row, and every attendee was left out), and a Teams
/// report its participants' first join and last leave, then each connection (section 3, which
/// does not count a gap as attendance).
pub fn locate(records: &[Record]) -> Option<Table> {
    let mut tables = interval_tables(records);
    let Some(longest) = (0..tables.len()).max_by_key(|&k| tables[k].end - tables[k].first) else {
        return locate_log(records);
    };
    let mut table = tables.remove(longest);
    table.others = tables.iter().map(|t| (t.first, t.end)).collect();
    Some(table)
}

/// Every run of rows holding at least two date-times each, with its header row.
fn interval_tables(records: &[Record]) -> Vec<Table> {
    let stamps = |r: &Record| r.fields.iter().filter(|c| stamp(c.trim()).is_some()).count();
    let row = |j: usize| !records[j].is_blank() && records[j].width() > 1;
    // A blank line between two records (the CSV reader drops blank lines, so only the line
    // numbers show it): a Zoom export's meeting row and its participants are two tables.
    let after_gap = |j: usize| {
        let prev = &records[j - 1];
        let spans = 1 + prev.fields.iter().map(|f| f.matches('\n').count()).sum::<usize>();
        records[j].line > prev.line + spans
    };
    let n = records.len();
    let mut tables = Vec::new();
    let mut i = 0;
    while i < n {
        if records[i].is_blank() || stamps(&records[i]) < 2 {
            i += 1;
            continue;
        }
        // A data row: is it followed by others like it (or is it alone, a one-row table)?
        let mut end = i + 1;
        while end < n && row(end) && !after_gap(end) {
            end += 1;
        }
        // Rows right above it with one date-time are its table's too: a Zoom webinar's
        // attendee who registered and never came (`--` for join and leave) heads the list.
        let mut first = i;
        while first > 0 && !after_gap(first) && row(first - 1) && stamps(&records[first - 1]) == 1 {
            first -= 1;
        }
        i = end;
        let dated = (first..end).filter(|&j| stamps(&records[j]) >= 2).count();
        if dated * 2 < end - first {
            continue;
        }
        let header = (0..first).rev().find(|&j| !records[j].is_blank()).filter(|&j| {
            records[j].width() > 1 && stamps(&records[j]) == 0 && records[j].fields.iter().any(|c| !c.trim().is_empty())
        });
        let header_cells =
            header.map(|h| records[h].fields.iter().map(|c| c.trim().to_owned()).collect()).unwrap_or_default();
        tables.push(Table { header, header_cells, first, end, others: Vec::new() });
    }
    tables
}

/// Finds an event log's table (one event per row, so one date-time a row): the first run of at
/// least two rows each holding a date-time, under a header row, with a column of two or three
/// distinct words (the actions). Only looked for when no table with two date-times a row is.
fn locate_log(records: &[Record]) -> Option<Table> {
    let dated = |r: &Record| r.fields.iter().any(|c| stamp(c.trim()).is_some());
    let n = records.len();
    let mut i = 0;
    while i < n {
        if records[i].is_blank() || !dated(&records[i]) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < n && !records[end].is_blank() && records[end].width() > 1 {
            end += 1;
        }
        let rows: Vec<&Record> = records[i..end].iter().collect();
        let header = (0..i).rev().find(|&j| !records[j].is_blank()).filter(|&j| {
            records[j].width() > 1 && !dated(&records[j]) && records[j].fields.iter().any(|c| !c.trim().is_empty())
        });
        let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0);
        let words = (0..width).any(|p| {
            let pr = Profile::of(&rows, p);
            (2..=3).contains(&pr.distinct) && most(pr.letters, pr.filled) && pr.filled * 10 >= rows.len() * 9
        });
        if rows.len() >= 2
            && header.is_some()
            && words
            && rows.iter().filter(|r| dated(r)).count() * 10 >= rows.len() * 9
        {
            let header_cells =
                header.map(|h| records[h].fields.iter().map(|c| c.trim().to_owned()).collect()).unwrap_or_default();
            return Some(Table { header, header_cells, first: i, end, others: Vec::new() });
        }
        i = end.max(i + 1);
    }
    None
}

struct Profile {
    filled: usize,
    emails: usize,
    stamps: usize,
    durations: usize,
    distinct: usize,
    letters: usize,
    /// Cells that are a telephone number: the name Zoom gives a dial-in caller.
    phones: usize,
    roles: usize,
}

/// Infers the columns of the table from its cells: the email, then the join and the leave (and a
/// duration that agrees with them), the role, the name; what the cells cannot decide is asked.
pub fn infer(records: &[Record], t: &Table) -> Inference {
    let rows: Vec<&Record> = records[t.first..t.end].iter().take(2000).collect();
    let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0).max(t.header_cells.len());
    let profiles: Vec<Profile> = (0..width).map(|p| Profile::of(&rows, p)).collect();
    let mut inf = Inferring {
        rows,
        header_cells: &t.header_cells,
        profiles,
        mapping: Vec::new(),
        reasons: Vec::new(),
        ambiguous: Vec::new(),
        used: HashSet::new(),
        action_words: Vec::new(),
    };
    if !t.others.is_empty() {
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
    inf.role();
    inf.name();
    inf.unknown_role_words();
    let Inferring { rows, mut mapping, reasons, ambiguous, action_words, .. } = inf;
    mapping.sort_by_key(|(f, _)| Field::ALL.iter().position(|g| g == f));
    let has = |f: Field| mapping.iter().any(|(g, _)| *g == f);
    let mut missing = Vec::new();
    let needed = if single_time.is_some() { [Field::Action, Field::Time] } else { [Field::Join, Field::Leave] };
    for f in needed {
        if !has(f) {
            missing.push(f);
        }
    }
    if !has(Field::Name) && !has(Field::Email) {
        missing.push(Field::Name);
    }
    Inference {
        header_line: t.header.map(|h| records[h].line),
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

impl Profile {
    /// What the filled cells of column `p` look like.
    fn of(rows: &[&Record], p: usize) -> Profile {
        let cells: Vec<&str> = rows.iter().map(|r| r.cell(p)).filter(|c| !c.is_empty() && *c != "--").collect();
        let distinct: HashSet<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        Profile {
            filled: cells.len(),
            emails: cells.iter().filter(|c| is_email(c)).count(),
            stamps: cells.iter().filter(|c| stamp(c).is_some()).count(),
            durations: cells.iter().filter(|c| duration_seconds(c).is_some()).count(),
            distinct: distinct.len(),
            letters: cells.iter().filter(|c| c.chars().any(char::is_alphabetic)).count(),
            phones: cells.iter().filter(|c| is_phone(c)).count(),
            roles: cells.iter().filter(|c| super::words::role(c).is_some()).count(),
        }
    }
}

/// `n` of `of` is most of them (nine in ten).
fn most(n: usize, of: usize) -> bool {
    of > 0 && n * 10 >= of * 9
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

impl Inferring<'_> {
    fn width(&self) -> usize {
        self.profiles.len()
    }

    /// A column as the reasons name it: its number, and its header when it has one.
    fn label(&self, p: usize) -> String {
        let h = self.header_cells.get(p).map(String::as_str).unwrap_or("");
        if h.is_empty() { format!("column {}", p + 1) } else { format!("column {} \"{h}\"", p + 1) }
    }

    /// The filled columns most of whose cells are of a kind (`count` of the profile).
    fn mostly(&self, count: impl Fn(&Profile) -> usize) -> Vec<usize> {
        (0..self.width())
            .filter(|&p| self.profiles[p].filled > 0 && most(count(&self.profiles[p]), self.profiles[p].filled))
            .collect()
    }

    /// Email: the first column of addresses (a second one, such as Teams' UPN, is the same person).
    fn email(&mut self) {
        let emails = self.mostly(|p| p.emails);
        if let Some(&e) = emails.first() {
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
        let times = if varying.len() >= 2 { varying } else { all_times };
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
    fn ordered_pairs(&self, times: &[usize], order: Option<DateOrder>) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for &a in times {
            for &b in times {
                if a == b {
                    continue;
                }
                let (mut ok, mut before, mut compared) = (true, false, 0);
                for r in &self.rows {
                    if let (Some(x), Some(y)) = (Self::at(r, a, order), Self::at(r, b, order)) {
                        compared += 1;
                        ok &= x <= y;
                        before |= x < y;
                    }
                }
                if ok && before && compared > 0 {
                    pairs.push((a, b));
                }
            }
        }
        pairs
    }

    /// Whether duration column `d` agrees with leave − join of the pair: equal on at least half
    /// the rows and longer (by more than a minute) on none. A summary's duration is the time in
    /// the meeting, which is shorter than first join to last leave for everyone who left and came
    /// back (Teams' participants section): asking for equality on nine rows in ten left a Teams
    /// report in an unknown language with its registration time as a candidate join, and a
    /// question.
    fn agrees(&self, (a, b): (usize, usize), d: usize, order: Option<DateOrder>) -> bool {
        let (mut equal, mut all) = (0, 0);
        for r in &self.rows {
            if let (Some(x), Some(y), Some((lo, hi))) =
                (Self::at(r, a, order), Self::at(r, b, order), duration_seconds(r.cell(d)))
            {
                all += 1;
                let s = (y - x).num_seconds();
                // A minute's slack: an Excel re-save drops the seconds of the times.
                if lo > s + 60 {
                    return false;
                }
                equal += usize::from(s <= hi);
            }
        }
        all > 0 && equal * 2 >= all
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
            })
            .collect();
        let email = self.mapping.iter().find(|(f, _)| *f == Field::Email).map(|(_, p)| *p);
        let person = email.or_else(|| {
            (0..self.width())
                .filter(|p| !self.used.contains(p) && !candidates.contains(p))
                .max_by_key(|&p| self.profiles[p].distinct)
        });
        let order = self.date_order(&[ts]);
        let alternating: Vec<usize> =
            candidates.iter().copied().filter(|&c| alternates(&self.sequences(c, person, ts, order))).collect();
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
                let seqs = self.sequences(a, person, ts, order);
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
    fn role(&mut self) {
        let roles: Vec<usize> = self
            .mostly(|p| p.roles)
            .into_iter()
            .filter(|&p| !self.used.contains(&p) && self.profiles[p].distinct <= 8)
            .collect();
        if let Some(&r) = roles.first() {
            self.mapping.push((Field::Role, r));
            self.used.insert(r);
            self.reasons.push(format!(
                "{}: {} distinct values, all role words",
                self.label(r),
                self.profiles[r].distinct
            ));
        }
    }

    /// Name: the text column with the most distinct values, unless the next has nearly as many.
    fn name(&mut self) {
        let n_rows = self.rows.len();
        let mut texts: Vec<usize> = (0..self.width())
            .filter(|&p| {
                let pr = &self.profiles[p];
                !self.used.contains(&p)
                    && pr.filled * 2 >= n_rows
                    && most(pr.letters + pr.phones, pr.filled)
                    && pr.distinct > 2.min(n_rows.saturating_sub(1))
            })
            .collect();
        texts.sort_by_key(|&p| std::cmp::Reverse(self.profiles[p].distinct));
        let distinct = |p: usize| self.profiles[p].distinct;
        match texts.as_slice() {
            [] => {
                if self.mapping.iter().all(|(f, _)| *f != Field::Email) {
                    self.ambiguous.push("no column holds names or emails".into());
                }
            }
            [n] => {
                let reason = format!("{}: text with {} distinct values", self.label(*n), distinct(*n));
                self.mapping.push((Field::Name, *n));
                self.reasons.push(reason);
            }
            [n, m, ..] => {
                if distinct(*m) * 10 >= distinct(*n) * 8 {
                    // Side by side, often a first and a last name: a certificate wants both.
                    let (a, b) = (n.min(m), n.max(m));
                    let both = if b - a == 1 {
                        format!("; if it is in both (a first and a last name), name={}+{}", a + 1, b + 1)
                    } else {
                        String::new()
                    };
                    let question = format!(
                        "which column is the name: {} ({} distinct values) or {} ({}){both}",
                        self.label(*n),
                        distinct(*n),
                        self.label(*m),
                        distinct(*m)
                    );
                    self.ambiguous.push(question);
                } else {
                    let reason = format!(
                        "{}: the text with the most distinct values ({}; next is {} with {})",
                        self.label(*n),
                        distinct(*n),
                        self.label(*m),
                        distinct(*m)
                    );
                    self.mapping.push((Field::Name, *n));
                    self.reasons.push(reason);
                }
            }
        }
    }

    /// A column of a few words none of which is a known role word may still be the role (in a
    /// language the table lacks): said, not mapped.
    fn unknown_role_words(&mut self) {
        if self.mapping.iter().any(|(f, _)| *f == Field::Role) {
            return;
        }
        let n_rows = self.rows.len();
        for p in (0..self.width()).filter(|p| !self.used.contains(p) && !self.mapping.iter().any(|(_, q)| q == p)) {
            let pr = &self.profiles[p];
            if pr.filled > 0
                && (2..=6).contains(&pr.distinct)
                && pr.distinct * 2 <= n_rows.max(2) + 1
                && most(pr.letters, pr.filled)
            {
                let mut words: Vec<String> =
                    self.rows.iter().map(|r| r.cell(p).to_owned()).filter(|c| !c.is_empty()).collect();
                words.sort();
                words.dedup();
                // A yes/no column (guest, waiting room) is not a role.
                let no = |w: &str| matches!(normalise(w).as_str(), "no" | "non" | "nein" | "não" | "n" | "false");
                if words.iter().all(|w| super::yes(w) || no(w)) {
                    continue;
                }
                self.reasons.push(format!(
                    "{} is not mapped: its {} values ({}) are not role words attest knows; if it is the role, add role={} (read as attendee)",
                    self.label(p),
                    pr.distinct,
                    words.join(", "),
                    p + 1
                ));
            }
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

/// Resolves the columns staff named against the table's header.
pub fn resolve(spec: &[(Field, ColumnSpec)], t: &Table, width: usize) -> Result<Mapping, String> {
    let mut out = Vec::new();
    for (f, s) in spec {
        let p = match s {
            ColumnSpec::Number(n) if *n <= width => n - 1,
            ColumnSpec::Number(n) => {
                return Err(format!("{}={n}: the table has {width} columns", f.as_str()));
            }
            ColumnSpec::Header(h) => {
                let key = normalise(h);
                t.header_cells.iter().position(|c| normalise(c) == key).ok_or_else(|| {
                    format!(
                        "{}=\"{h}\": no such header; the header row is: {}",
                        f.as_str(),
                        t.header_cells.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
                    )
                })?
            }
        };
        out.push((*f, p));
    }
    let has = |f: Field| out.iter().any(|(g, _)| *g == f);
    let log = has(Field::Action) || has(Field::Time);
    let needed = if log { [Field::Action, Field::Time] } else { [Field::Join, Field::Leave] };
    let mut missing: Vec<&str> = needed.into_iter().filter(|f| !has(*f)).map(Field::as_str).collect();
    if !has(Field::Name) && !has(Field::Email) {
        missing.push("name (or email)");
    }
    if !missing.is_empty() {
        return Err(format!("the mapping has no {}", missing.join(", ")));
    }
    Ok(out)
}

/// The plan a mapped file is read by.
#[derive(Debug, Clone)]
pub struct Plan {
    pub table: Table,
    pub mapping: Mapping,
    /// An event log's action words; `None`: the words attest knows.
    pub actions: Option<Actions>,
    /// `confirmed` (given as --columns), `accepted` (an inference staff accepted), `remembered`.
    pub source: &'static str,
}

/// Reads the rows of a mapped table into drafts.
pub fn parse(ctx: &mut Ctx, plan: &Plan) {
    let get = |f: Field| plan.mapping.iter().find(|(g, _)| *g == f).map(|(_, p)| *p);
    let names: Vec<usize> = plan.mapping.iter().filter(|(f, _)| *f == Field::Name).map(|(_, p)| *p).collect();
    let (name, email, join, leave, dur, role) = (
        names.as_slice(),
        get(Field::Email),
        get(Field::Join),
        get(Field::Leave),
        get(Field::Duration),
        get(Field::Role),
    );
    if let Some(h) = plan.table.header {
        ctx.mark(h, RowKind::Header, None, None);
    }
    if let (Some(action), Some(time)) = (get(Field::Action), get(Field::Time)) {
        log_rows(ctx, plan, (name, email, action, time, role));
        return;
    }
    for &(first, end) in &plan.table.others {
        for i in first..end {
            if !ctx.records[i].is_blank() {
                ctx.skip(i, "in another table of the file, not the longest one that the mapping reads");
            }
        }
    }
    let header = plan.table.header;
    // Role cells attest has no word for, with the draft each was read into.
    let mut unknown_roles: Vec<(usize, String)> = Vec::new();
    for i in plan.table.first..plan.table.end {
        let r = &ctx.records[i];
        if r.is_blank() {
            continue;
        }
        ctx.mark(i, RowKind::Data, header, None);
        let r = &ctx.records[i];
        let n = name_of(r, name);
        let e = value(r, email);
        if n.is_none() && e.is_none() {
            ctx.skip(i, "no name and no email: cannot be attributed to anyone");
            continue;
        }
        let (has_join, has_leave) = (value(r, join).is_some(), value(r, leave).is_some());
        if !has_join && !has_leave {
            ctx.skip(i, "no join and no leave time");
            continue;
        }
        if !has_join && join.is_some() {
            // As Teams' section 3 repeats a leave event (`teams.rs`): refusing the file for it
            // refused a Teams report read through the mapping.
            ctx.skip(i, "no join time, a leave on its own: the connection is in another row");
            continue;
        }
        let role_cell = value(r, role);
        let role = match role_cell.as_deref().map(|v| (v, super::words::role(v))) {
            Some((_, Some(r))) => r,
            Some((v, None)) => {
                unknown_roles.push((ctx.drafts.len(), v.to_owned()));
                crate::attendance::Role::Attendee
            }
            // No role column: the name may say it, as Zoom's participant lists write their host
            // (`Ana Ruiz (Host)`, `(Hôte)`, …); a host read as an attendee was found eligible.
            None if n.as_deref().is_some_and(super::zoom_meeting::has_host_suffix) => crate::attendance::Role::Host,
            None => crate::attendance::Role::Attendee,
        };
        let mut d = Draft::new(i, role, ConnectionKind::Interval, n.clone().or(e.clone()).unwrap_or_default());
        d.conn.email = e;
        d.conn.join = join.map(|p| (i, p));
        d.conn.leave = leave.map(|p| (i, p));
        // Times of day (Google Meet, GoTo Meeting): the day comes from staff or the file name.
        d.time_only = value(r, join).is_some_and(|v| Stamp::parse(&v).is_ok_and(|s| !s.has_date()));
        if has_join && !has_leave && leave.is_some() {
            // Still connected when the report was taken, as the event logs' open joins.
            d.leave_at_last_event = true;
            d.conn.review = Some(
                "no leave time: still connected when the report was taken; counted until the latest time in the file"
                    .into(),
            );
        }
        d.duration_s = value(r, dur).and_then(|v| duration_seconds(&v));
        ctx.drafts.push(d);
    }
    let in_another = |i: usize| plan.table.others.iter().any(|&(first, end)| (first..end).contains(&i));
    for i in plan.table.end..ctx.records.len() {
        if !ctx.records[i].is_blank() && !in_another(i) {
            ctx.skip(i, "after the end of the mapped table");
        }
    }
    review_unknown_roles(ctx, &unknown_roles);
    ctx.variant = format!("columns mapped by staff ({}): {}", plan.source, columns_arg(&plan.mapping));
}

/// Role cells attest has no word for are read as attendee, and said. The most frequent such
/// word is taken to be the attendees' own; a person under any other (a localized `Host`,
/// `Cohost`, `Panelist`) goes to review: read as an attendee, a Webex host in German was found
/// eligible with no word to anyone.
fn review_unknown_roles(ctx: &mut Ctx, unknown: &[(usize, String)]) {
    if unknown.is_empty() {
        return;
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, v) in unknown {
        match counts.iter_mut().find(|(w, _)| *w == v.as_str()) {
            Some((_, n)) => *n += 1,
            None => counts.push((v.as_str(), 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let common: Vec<&str> = counts.iter().filter(|(_, n)| *n == most).map(|(w, _)| *w).collect();
    // The attendees' word, when one word is clearly the most frequent.
    let attendees = (common.len() == 1).then(|| common[0]);
    for (draft, v) in unknown {
        if Some(v.as_str()) != attendees {
            let note = format!(
                "role \"{v}\" not understood, read as attendee: if this person hosted or presented, say so (attest override)"
            );
            let d = &mut ctx.drafts[*draft];
            d.conn.review = Some(match d.conn.review.take() {
                Some(r) => format!("{r}; {note}"),
                None => note,
            });
        }
    }
    ctx.warnings.push(format!(
        "role values not understood, read as attendee: {}{}",
        counts.iter().map(|(v, _)| format!("\"{v}\"")).collect::<Vec<_>>().join(", "),
        attendees.map_or(String::new(), |a| format!(
            "; the people under any but \"{a}\", the most frequent, are sent to review"
        ))
    ));
}

/// The rows of a mapped event log: each a join or a leave, paired once every date is read
/// ([`teams::pair_events`](super::teams::pair_events)), per person (email, else name).
fn log_rows(ctx: &mut Ctx, plan: &Plan, cols: (&[usize], Option<usize>, usize, usize, Option<usize>)) {
    let (name, email, action, time, role) = cols;
    let actions = plan.actions.clone().unwrap_or_else(Actions::known);
    let header = plan.table.header;
    let label = |p: usize| {
        plan.table.header_cells.get(p).filter(|h| !h.is_empty()).cloned().unwrap_or_else(|| format!("column {}", p + 1))
    };
    for i in plan.table.first..plan.table.end {
        if ctx.records[i].is_blank() {
            continue;
        }
        ctx.mark(i, RowKind::Data, header, None);
        let r = &ctx.records[i];
        let (n, e) = (name_of(r, name), value(r, email));
        if n.is_none() && e.is_none() {
            ctx.skip(i, "no name and no email: cannot be attributed to anyone");
            continue;
        }
        let Some(word) = value(r, Some(action)) else {
            ctx.row_error(i, &label(action), "", "no action (joined or left)");
            continue;
        };
        if value(r, Some(time)).is_none() {
            ctx.row_error(i, &label(time), "", "no time for the event");
            continue;
        }
        let Some(joined) = actions.reads(&word) else {
            let why = format!(
                "not an action word of this mapping (joined: {}; left: {}): name them with joined=WORD,left=WORD",
                actions.joined.join(" | "),
                actions.left.join(" | ")
            );
            ctx.row_error(i, &label(action), &word, why);
            continue;
        };
        ctx.other_dates.push((i, time));
        let role = value(r, role).and_then(|v| super::words::role(&v)).unwrap_or(crate::attendance::Role::Attendee);
        let display = n.clone().or(e.clone()).unwrap_or_default();
        let key = e.as_deref().map(normalise).unwrap_or_else(|| normalise(&display));
        ctx.log_events.push(super::teams::LogEvent {
            record: i,
            key,
            joined,
            at: (i, time),
            role,
            name: display,
            email: e,
        });
    }
    for i in plan.table.end..ctx.records.len() {
        if !ctx.records[i].is_blank() {
            ctx.skip(i, "after the end of the mapped table");
        }
    }
    let words = match &plan.actions {
        Some(a) => format!("joined: {}; left: {}", a.joined.join(" | "), a.left.join(" | ")),
        None => "the action words attest knows".into(),
    };
    ctx.variant =
        format!("event log, columns mapped by staff ({}): {}; {words}", plan.source, columns_arg(&plan.mapping));
}

/// Before a mapped event log is read: every word of its action column must be one the mapping
/// (or attest) knows, else the mapping is refused listing the words to name, rather than every
/// row refused one by one.
pub fn check_actions(
    records: &[Record],
    t: &Table,
    mapping: &Mapping,
    actions: Option<&Actions>,
) -> Result<(), String> {
    let Some(&(_, a)) = mapping.iter().find(|(f, _)| *f == Field::Action) else { return Ok(()) };
    let known = Actions::known();
    let actions = actions.unwrap_or(&known);
    let mut unknown: Vec<String> = records[t.first..t.end]
        .iter()
        .map(|r| r.cell(a).to_owned())
        .filter(|w| !w.is_empty() && actions.reads(w).is_none())
        .collect();
    unknown.sort();
    unknown.dedup();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the action column's words {} are not known; say which means joined and which left with \
         joined=WORD,left=WORD in the columns (several words with |)",
        unknown.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
    ))
}
