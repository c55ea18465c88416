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
//!   ([`crate::import::words::role`]).
//!
//! An inferred mapping is never used silently: a [`Plan`]'s `source` says whether the caller confirmed
//! it (`--accept-inferred`), gave one (`--columns`), or a mapping confirmed earlier for the same
//! header row applies (remembered by `store::imports`).

mod cells;
mod infer;
mod locate;
mod read;

pub(super) use cells::most;
pub use infer::{infer, infer_totals, locate_inferred_totals};
pub use locate::{locate, locate_totals};
pub use read::{Plan, check_actions, parse};
pub(crate) use read::{day_of_the_table, other_days, review_unknown_roles};

use super::headers::normalise;
use super::text::Record;
use super::value;
use crate::attendance::names;

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
    /// A yes/no column saying the row is time in the waiting room, which is not attendance: in
    /// a language whose header attest has no word for (Dutch `In wachtkamer`), its rows' time
    /// was counted, and no mapping could say otherwise.
    Waiting,
    /// The day of each row's times of day (a table of two sessions' rows, `Datum` beside
    /// `Beitritt 09:58`): without it, every row was read on one day and another day's rows went
    /// to review.
    Date,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Name,
        Field::Email,
        Field::Join,
        Field::Leave,
        Field::Duration,
        Field::Role,
        Field::Action,
        Field::Time,
        Field::Waiting,
        Field::Date,
    ];
    /// The fields of a table with a join and a leave on each row (the console's column question).
    pub const INTERVAL: [Field; 8] = [
        Field::Name,
        Field::Email,
        Field::Join,
        Field::Leave,
        Field::Date,
        Field::Duration,
        Field::Role,
        Field::Waiting,
    ];

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
            Field::Waiting => "waiting",
            Field::Date => "date",
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
        Actions { joined: own(crate::import::words::JOINED), left: own(crate::import::words::LEFT) }
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

/// A row's name: the cells of the name's columns that are filled, joined by a space. Two
/// columns are the given name and the family name in the order staff named them, and are put
/// together as the families' first and last names are ([`names::given_and_family`]): a Japanese
/// name mapped as `name=first+last` printed `花子 田中` where the same file read by its family
/// printed `田中 花子`.
fn name_of(r: &Record, columns: &[usize]) -> Option<String> {
    if let [given, family] = columns {
        let name = names::given_and_family(value(r, Some(*given)).as_deref(), value(r, Some(*family)).as_deref());
        return (!name.is_empty()).then_some(name);
    }
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
    /// Why this table and not the longest, as a clause: it names the meeting asked for, or the
    /// event, or it is a webinar report's attendee table.
    pub named: Option<&'static str>,
}

/// What attest inferred about an unknown export's columns, for staff to confirm.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Inference {
    /// Line of the header row.
    pub header_line: Option<usize>,
    /// Which reading of the file holds the table (for a workbook: which sheet).
    pub reading: usize,
    /// The sheet holding the table, in a workbook of several: lines are that sheet's rows, and
    /// staff asked about "line 1" opened the first sheet, which held notes.
    pub sheet: Option<String>,
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

    /// `sheet "Présences", ` when the table is in one sheet of several, else nothing.
    pub fn in_sheet(&self) -> String {
        self.sheet.as_ref().map(|s| format!("sheet \"{s}\", ")).unwrap_or_default()
    }

    /// Several lines for a person: the inferred columns, the questions, and the next step.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let label = |p: usize| {
            let h = self.header.get(p).map(String::as_str).unwrap_or("").trim();
            if h.is_empty() { format!("column {}", p + 1) } else { format!("column {} \"{h}\"", p + 1) }
        };
        if let Some(l) = self.header_line {
            out.push_str(&format!("  header row ({}line {l}): {}\n", self.in_sheet(), self.header.join(" | ")));
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

/// Whether the columns are a list of each person's total time (a duration, no join, leave or
/// event): Zoom's "Show unique users" export, in a language attest has no header words for.
pub fn totals<T>(fields: &[(Field, T)]) -> bool {
    let has = |f: Field| fields.iter().any(|(g, _)| *g == f);
    has(Field::Duration) && ![Field::Join, Field::Leave, Field::Action, Field::Time].into_iter().any(has)
}

/// A mapping staff gave, checked against the cells it names: one column for two fields, an
/// email column that holds no address, a name column of date-times, a join or leave of times
/// beside dates (`dated_alike`). Taken as given, `email=1` on the names stored "aino virtanen"
/// as an address, and `name=3` printed a date-time on the certificates, both remembered for the
/// next file (round 25).
pub fn check_cells(records: &[Record], t: &Table, m: &Mapping) -> Result<(), String> {
    for (i, &(f, p)) in m.iter().enumerate() {
        if let Some((g, _)) = m[..i].iter().find(|&&(g, q)| q == p && g != f) {
            return Err(format!(
                "{}={n} and {}={n} name the same column: each field has a column of its own",
                g.as_str(),
                f.as_str(),
                n = p + 1
            ));
        }
    }
    for &(f, p) in m {
        let cells: Vec<(usize, &str)> = records[t.first..t.end]
            .iter()
            .map(|r| (r.line, r.cell(p).trim()))
            .filter(|(_, c)| !crate::import::no_value(c))
            .collect();
        let (fits, holds): (fn(&str) -> bool, &str) = match f {
            Field::Email => (|c| crate::import::address(c).is_some(), "no email addresses"),
            Field::Name => (|c| cells::stamp(c).is_none(), "date-times, not names"),
            _ => continue,
        };
        // An email column with an address at all is the email column, however many write
        // `N/A` (a Croatian list with one in five was refused); a name column, where half its
        // cells are names.
        let fitting = cells.iter().filter(|(_, c)| fits(c)).count();
        if cells.is_empty() || (f == Field::Email && fitting > 0) || fitting * 2 >= cells.len() {
            continue;
        }
        let (line, example) = cells.iter().find(|(_, c)| !fits(c)).copied().unwrap_or_default();
        let header = t.header_cells.get(p).map(|h| h.trim()).filter(|h| !h.is_empty());
        let column = header.map_or(format!("column {}", p + 1), |h| format!("column {} \"{h}\"", p + 1));
        return Err(format!(
            "{}={}: {column} holds {holds} (line {line}: \"{example}\"); check the column numbers against the file",
            f.as_str(),
            p + 1
        ));
    }
    dated_alike(records, t, m)
}

/// A join column and a leave column of which one holds dates and the other times without one:
/// the second is most likely a duration (`01:50:00`). Given as the join with `--date`, a Jitsi
/// list's durations were read as times of day, and two people were certified (round 25).
fn dated_alike(records: &[Record], t: &Table, m: &Mapping) -> Result<(), String> {
    let column = |f: Field| m.iter().find(|(g, _)| *g == f).map(|&(_, p)| p);
    let (Some(join), Some(leave)) = (column(Field::Join), column(Field::Leave)) else { return Ok(()) };
    let dated = |p: usize| {
        let stamps: Vec<bool> = records[t.first..t.end]
            .iter()
            .filter_map(|r| cells::stamp(r.cell(p).trim()))
            .map(|s| s.has_date())
            .collect();
        (
            most(stamps.iter().filter(|d| **d).count(), stamps.len()),
            most(stamps.iter().filter(|d| !**d).count(), stamps.len()),
        )
    };
    let ((join_dated, join_undated), (leave_dated, leave_undated)) = (dated(join), dated(leave));
    let undated = match () {
        _ if join_undated && leave_dated => (Field::Join, join),
        _ if leave_undated && join_dated => (Field::Leave, leave),
        _ => return Ok(()),
    };
    let header = t.header_cells.get(undated.1).map(|h| h.trim()).filter(|h| !h.is_empty());
    let named = header.map_or(format!("column {}", undated.1 + 1), |h| format!("column {} \"{h}\"", undated.1 + 1));
    Err(format!(
        "{f}={n}: {named} holds times without a date where the other column holds dates and times: if it is each \
         row's time in the meeting, map it as duration={n}; check the column numbers against the file",
        f = undated.0.as_str(),
        n = undated.1 + 1
    ))
}

/// The first cell of the duration column staff named that is no duration attest can read, as
/// `line N holds "…"`, for the refusal of a list of totals whose table was not found: it said
/// "check the column numbers", and staff whose numbers were right could not tell what was wrong
/// (round 25: durations written in Indonesian, Hungarian, Greek and Danish words).
pub fn unread_duration(records: &[Record], spec: &[(Field, ColumnSpec)]) -> Option<String> {
    let header = records.iter().position(|r| !r.is_blank())?;
    let p = match spec.iter().find(|(f, _)| *f == Field::Duration).map(|(_, s)| s)? {
        ColumnSpec::Number(n) => n.checked_sub(1)?,
        ColumnSpec::Header(h) => records[header].fields.iter().position(|c| normalise(c) == normalise(h))?,
    };
    let unit = cells::header_unit(records[header].cell(p));
    records[header + 1..].iter().find_map(|r| {
        let cell = r.cell(p).trim();
        (!crate::import::no_value(cell) && cells::duration_seconds(cell, unit).is_none()).then(|| {
            format!("line {} holds \"{cell}\" in column {}, which is no duration attest can read", r.line, p + 1)
        })
    })
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
                let named: Vec<usize> =
                    t.header_cells.iter().enumerate().filter(|(_, c)| normalise(c) == key).map(|(p, _)| p).collect();
                match named.as_slice() {
                    [p] => *p,
                    [] => {
                        return Err(format!(
                            "{}=\"{h}\": no such header; the header row is: {}",
                            f.as_str(),
                            t.header_cells.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
                        ));
                    }
                    // Zoom's Active Hosts export heads the host's email and the participant's
                    // alike: the first was taken, and every participant merged into the host.
                    several => {
                        let numbers: Vec<String> = several.iter().map(|p| (p + 1).to_string()).collect();
                        return Err(format!(
                            "{}=\"{h}\": {} columns have that header (columns {}): give the column's number instead, e.g. {}={}",
                            f.as_str(),
                            several.len(),
                            numbers.join(", "),
                            f.as_str(),
                            numbers[numbers.len() - 1]
                        ));
                    }
                }
            }
        };
        out.push((*f, p));
    }
    let has = |f: Field| out.iter().any(|(g, _)| *g == f);
    let log = has(Field::Action) || has(Field::Time);
    let needed: &[Field] = match () {
        _ if log => &[Field::Action, Field::Time],
        _ if totals(&out) => &[],
        _ => &[Field::Join, Field::Leave],
    };
    let mut missing: Vec<&str> = needed.iter().filter(|f| !has(**f)).map(|f| f.as_str()).collect();
    if !has(Field::Name) && !has(Field::Email) {
        missing.push("name (or email)");
    }
    if !missing.is_empty() {
        return Err(format!("the mapping has no {}", missing.join(", ")));
    }
    Ok(out)
}
