//! Where the table of an unknown export is: the longest run of rows holding two date-times each,
//! or, failing that, an event log's rows of one time and one action word.

use super::Table;
use super::cells::{Profile, most, stamp};
use crate::import::text::Record;

/// Finds the table: the longest run of rows holding at least two date-times each (the later one
/// of two as long), and the row above it as its header; in a webinar report's shape, the
/// attendees' (`attendees_after_twins`). The longest, not the first: a Zoom
/// webinar report in an unknown language lists its host first, then its panelists, then its
/// attendees (the first table was one host row, and every attendee was left out), and a Teams
/// report its participants' first join and last leave, then each connection (section 3, which
/// does not count a gap as attendance).
///
/// A file of several meetings (Zoom's Active Hosts export, a table a meeting) names each
/// meeting in its rows: the table naming `meeting` (its ID, spaces ignored) is taken, else the
/// one naming the event by its title, else the longest. The longest of two parallel sessions'
/// tables of one length was the later one, and its people were read as the seminar's.
pub fn locate(records: &[Record], meeting: Option<&str>, title: Option<&str>) -> Option<Table> {
    let mut tables = interval_tables(records);
    // Looked for between several tables only: one is taken whatever it names.
    let (mut named, mut why) =
        if tables.len() > 1 { naming(records, &tables, meeting, title) } else { (vec![false; tables.len()], None) };
    if let Some(k) = attendees_after_twins(&tables).filter(|_| !named.contains(&true)) {
        named[k] = true;
        why = Some(
            "its header row is wider than the one two tables before it share (a webinar report's hosts and \
             panelists): it is the attendees'",
        );
    }
    let Some(longest) = (0..tables.len()).max_by_key(|&k| (named[k], tables[k].end - tables[k].first)) else {
        return locate_log(records);
    };
    let mut table = tables.remove(longest);
    table.named = why.filter(|_| named[longest]);
    table.others = tables.iter().map(|t| (t.first, t.end)).collect();
    Some(table)
}

/// Finds the table of a list of totals (Zoom's "Show unique users": a name, an email and each
/// person's total minutes, no times), for columns staff named: the longest run of rows under a
/// header row whose column `duration(table)` (`None`: the columns do not fit that table) holds a
/// duration in nine rows in ten. Not by date-times, which such a list has none of: the meeting
/// row above it was taken for the table, and the seminar's title for a person's name.
pub fn locate_totals(records: &[Record], duration: impl Fn(&Table) -> Option<usize>) -> Option<Table> {
    let row = |j: usize| !records[j].is_blank() && records[j].width() > 1;
    let mut best: Option<Table> = None;
    let mut i = 0;
    while i < records.len() {
        if !row(i) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < records.len() && row(end) && !after_gap(records, end) {
            end += 1;
        }
        // The run's first row is its header; the rest its data.
        let header_cells: Vec<String> = records[i].fields.iter().map(|c| c.trim().to_owned()).collect();
        let t = Table { header: Some(i), header_cells, first: i + 1, end, others: Vec::new(), named: None };
        i = end;
        let Some(p) = duration(&t) else { continue };
        let filled = records[t.first..t.end].iter().filter(|r| !r.cell(p).trim().is_empty()).count();
        let read =
            records[t.first..t.end].iter().filter(|r| super::cells::stated_seconds(r.cell(p), 60).is_some()).count();
        if filled > 0 && most(read, filled) && best.as_ref().is_none_or(|b| t.end - t.first > b.end - b.first) {
            best = Some(t);
        }
    }
    best
}

/// A webinar report's attendee table, whatever its length: Zoom lists its host and its panelists
/// under one header row, twice, then its attendees under a wider one (registration time,
/// approval, the registration form's questions). Taken for the longest, a webinar with more
/// panelists than attendees certified the panelists as attendees and skipped the attendees.
/// The widest table after the last of two that share a header row, if wider than theirs.
fn attendees_after_twins(tables: &[Table]) -> Option<usize> {
    let key = |k: usize| super::header_key(&tables[k].header_cells);
    let filled = |k: usize| tables[k].header_cells.iter().filter(|c| !c.is_empty()).count();
    let headed: Vec<usize> = (0..tables.len()).filter(|&k| tables[k].header.is_some()).collect();
    let twin = headed.iter().copied().find(|&a| headed.iter().any(|&b| b > a && key(b) == key(a)))?;
    let last_twin = headed.iter().copied().rfind(|&b| key(b) == key(twin))?;
    headed
        .into_iter()
        .filter(|&c| c > last_twin && filled(c) > filled(twin))
        .max_by_key(|&c| (filled(c), tables[c].end - tables[c].first, std::cmp::Reverse(c)))
}

/// Which of `tables` name in their rows the meeting asked for (its ID, spaces ignored), or else
/// the event by its title, and which of the two they were looked for by.
fn naming(
    records: &[Record],
    tables: &[Table],
    meeting: Option<&str>,
    title: Option<&str>,
) -> (Vec<bool>, Option<&'static str>) {
    let names = |what: &dyn Fn(&str) -> bool| -> Vec<bool> {
        tables.iter().map(|t| records[t.first..t.end].iter().any(|r| r.fields.iter().any(what))).collect()
    };
    let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if let Some(m) = meeting.map(digits).filter(|m| !m.is_empty()) {
        let named = names(&|c: &str| digits(c) == m);
        if named.contains(&true) {
            return (named, Some("it names the meeting asked for"));
        }
    }
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => (names(&|c: &str| c.trim().eq_ignore_ascii_case(t)), Some("it names the event (its title)")),
        None => (vec![false; tables.len()], None),
    }
}

/// Every run of rows holding at least two date-times each, with its header row.
fn interval_tables(records: &[Record]) -> Vec<Table> {
    let stamps = |r: &Record| r.fields.iter().filter(|c| stamp(c.trim()).is_some()).count();
    let row = |j: usize| !records[j].is_blank() && records[j].width() > 1;
    let after_gap = |j: usize| after_gap(records, j);
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
        tables.push(Table { header, header_cells, first, end, others: Vec::new(), named: None });
    }
    tables
}

/// Whether a blank line stands between record `j` and the one before (the CSV reader drops
/// blank lines, so only the line numbers show it): a Zoom export's meeting row and its
/// participants are two tables.
fn after_gap(records: &[Record], j: usize) -> bool {
    let prev = &records[j - 1];
    let spans = 1 + prev.fields.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    records[j].line > prev.line + spans
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
            return Some(Table { header, header_cells, first: i, end, others: Vec::new(), named: None });
        }
        i = end.max(i + 1);
    }
    None
}
