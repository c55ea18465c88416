//! What can go wrong reading an export: a row that cannot be read ([`RowError`], reported with
//! its line, column and value), and a file that is refused whole ([`ImportError`]).
//!
//! Every message names the file and says the next step staff can take (another export, a flag
//! of `attest import`), because the CLI and the console show it as is. Nothing here decides
//! whether a bad row refuses the file: that is `skip_bad_rows`, in [`finish`](super::finish).

use super::mapping;

/// A problem with one cell of one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: column \"{}\": {} (value \"{}\")", self.line, self.column, self.message, self.value)
    }
}

/// Why a whole file was refused. Nothing of a refused file is stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{file}: the file is empty; download the report again from Zoom, Teams or the platform used (an export holds at least a header row)"
    )]
    Empty { file: String },
    #[error("{file}: this is {what}")]
    Binary { file: String, what: String },
    #[error(
        "{file}: the quote that opens a cell on line {line} is never closed, so lines {} to {last} were read as part of \
         that one cell and none of their rows could be read: nothing was imported. Next step: open the file in a text \
         editor, close or remove the quote on line {line}, and import it again",
        line + 1
    )]
    OpenQuote { file: String, line: usize, last: usize },
    #[error(
        "{file}: {size} bytes is over the upload limit of {limit} bytes; export the one meeting's report, or split the file by meeting"
    )]
    TooLarge { file: String, size: usize, limit: usize },
    #[error(
        "{file}: {rows} rows is over this server's limit of {limit} rows per import \
         (ATTEST_MAX_IMPORT_ROWS): split the export, or ask the operator to raise the limit"
    )]
    TooManyRows { file: String, rows: usize, limit: usize },
    #[error(
        "{file}: not a UTF-16 text file (bad byte sequence); open it in a spreadsheet and save it again as CSV (UTF-8), or download it again"
    )]
    BadEncoding { file: String },
    #[error(
        "{file}: line {line} holds bytes that are not {encoding}, the encoding named for it: import it without \
         naming one (attest then reads it as its letters suggest), or name the encoding it was saved in"
    )]
    NotOfEncoding { file: String, encoding: &'static str, line: usize },
    #[error(
        "{file}: not a recognised attendance export: no header row with a participant name and join time, \
         total duration, registration or event columns in the first {scanned} rows (first row: \"{first_row}\"), \
         and no table with a join and a leave date-time on each row. Next step: export the participants report \
         with join and leave times (as CSV, or as the .xlsx saved as CSV); if the file has them in a layout \
         attest does not know, name its columns with --columns name=N,email=N,join=N,leave=N; if it lists each \
         person's total time and no times, with --columns name=N,email=N,duration=N (a number counts minutes \
         unless its header names another unit, such as \"Duration (seconds)\")"
    )]
    UnknownFormat { file: String, scanned: usize, first_row: String },
    #[error(
        "{file}: cannot tell whether dates are month/day or day/month: every date in the file, e.g. \"{example}\", \
         reads both ways; import again with --date-order mdy or --date-order dmy"
    )]
    DateOrderUndecided { file: String, example: String },
    #[error(
        "{file}: dates contradict each other: \"{mdy_example}\" is month/day but \"{dmy_example}\" is day/month; \
         the file may have been edited by hand: import again with --date-order mdy or dmy (the order of most rows) and check the report"
    )]
    DateOrderContradictory { file: String, mdy_example: String, dmy_example: String },
    #[error(
        "{file}: the file holds {} meetings; choose one with --meeting ID, or by its day with --date YYYY-MM-DD \
         (a recurring meeting's occurrences share the ID), or give the event its start and end: {}",
        .meetings.len(),
        .meetings.join("; ")
    )]
    WhichMeeting { file: String, meetings: Vec<String> },
    #[error("{file}: no meeting with ID \"{wanted}\" in the file (it has: {}); import again with --meeting and one of those IDs", .meetings.join("; "))]
    NoSuchMeeting { file: String, wanted: String, meetings: Vec<String> },
    #[error(
        "{file}: {} row(s) cannot be read:\n  {}\n  Next step: correct these cells in the file and import it again, or import \
         with --skip-bad-rows to import the other rows and keep these as errors in the report",
        .errors.len(),
        .errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n  ")
    )]
    Rows { file: String, errors: Vec<RowError> },
    #[error("{}", needs_mapping_message(.file, .inference))]
    NeedsMapping { file: String, inference: Box<mapping::Inference> },
    #[error(
        "{file}: the rows hold times of day without a date, and the date is neither in the file name \
         (Google names it \"YYYY-MM-DD HH-MM <meeting> - Attendance Report.csv\") nor given; \
         import again with --date YYYY-MM-DD (the day of the meeting)"
    )]
    NeedsDate { file: String },
    #[error(
        "{file}: the rows hold times of day, and the summary block above the table gives no date attest can read \
         ({what}); import again with --date YYYY-MM-DD (the day of the meeting)"
    )]
    SummaryDate { file: String, what: String },
    #[error(
        "{file}: the column mapping cannot be used: {why}; name the columns again with --columns \
         name=N,email=N,join=N,leave=N (numbers from 1, or header texts), or see what attest infers with --dry-run"
    )]
    BadMapping { file: String, why: String },
}

fn needs_mapping_message(file: &str, inf: &mapping::Inference) -> String {
    let what = match inf.header_line {
        Some(l) => format!("its header row ({}line {l}) is not one attest knows", inf.in_sheet()),
        None => match &inf.sheet {
            Some(s) => format!("its table in sheet \"{s}\" has no header row"),
            None => "its table has no header row".to_owned(),
        },
    };
    // An event log (one event per row) is named by its action and time columns and the words.
    let log = inf.mapping.iter().any(|(f, _)| matches!(f, mapping::Field::Action | mapping::Field::Time));
    let shape = if log {
        "name=N,email=N,action=N,time=N,joined=WORD,left=WORD"
    } else if mapping::totals(&inf.mapping) || inf.missing.contains(&mapping::Field::Duration) {
        "name=N,email=N,duration=N"
    } else {
        "name=N,email=N,join=N,leave=N"
    };
    let next = if inf.complete() {
        format!(
            "check the columns below; if they are right, import again with --accept-inferred \
             (or --columns {}); if not, name them with --columns {shape} (numbers from 1, or header texts)",
            inf.as_columns_arg()
        )
    } else {
        let missing: Vec<&str> = inf.missing.iter().map(|f| f.as_str()).collect();
        let inferred =
            if inf.mapping.is_empty() { String::new() } else { format!("; so far inferred: {}", inf.as_columns_arg()) };
        format!(
            "{}name the columns with --columns {shape} (numbers from 1, or header texts{inferred}); a mapping \
             confirmed once is remembered for files with the same header row",
            if missing.is_empty() {
                String::new()
            } else {
                // Unmapped because the cells could not choose (the question below), or because
                // no column looked like one: "no column was found" was wrong for the first.
                let why =
                    if inf.ambiguous.is_empty() { "no column was found for" } else { "the cells could not decide" };
                format!("{why} {}; ", missing.join(", "))
            }
        )
    };
    format!(
        "{file}: {what}, and the columns were inferred from the cells; nothing was imported. Next step: {next}.\n{}",
        inf.describe()
    )
}
