//! Bytes of an export → typed connections, with every original row kept.
//!
//! The format is detected from the content (never the file name): [`text`] decodes the bytes and
//! splits rows, [`headers`] recognises header rows through the alias table, and one module per
//! family turns rows into [`Draft`]s that still hold date *cells*. Only then are all date cells of
//! the file read together ([`dates`]), so that the day/month order is decided once per file, and
//! placed in the upload's time zone.
//!
//! This module does no I/O and knows nothing of SQLite: [`parse`] is a pure function from bytes to
//! a [`ParsedExport`], which `store::imports` writes in one transaction.
//!
//! The steps, one file each: `detect` (which family, in which reading of the bytes), the family
//! modules filling the working state of `ctx`, then `finish` (checks every family shares, the
//! stored rows) with `hosts` (hosts from tags on names and the rows above the table) and `place`
//! (dates and the meeting placed in time). `export` holds the types a
//! parse is told and returns, `error` its errors. Every public item is re-exported here, so
//! callers name `import::X` whatever file it lives in.

pub mod dates;
pub mod google_meet;
pub mod goto;
pub mod headers;
pub mod mapping;
pub mod teams;
pub mod text;
pub mod webex;
pub mod words;
pub mod workbook;
pub mod zoom_meeting;
pub mod zoom_webinar;

mod code_pages;
mod ctx;
mod detect;
mod error;
mod export;
mod finish;
mod hosts;
mod place;

pub use ctx::{
    CellRef, Ctx, Draft, MeetingDraft, address, maybe_header, minutes_or_written, minutes_range, minutes_slack,
    no_value, parse_hms, split_name_email, value, yes,
};
pub use error::{ImportError, RowError};
pub use export::{
    AppliedMapping, Connection, Format, ImportOptions, MeetingInfo, ParsedExport, PresenterReading, RawRow, ReadAs,
    RowAt, RowKind, zone_label,
};

use detect::{Reading, parse_records};

/// Uploads larger than this are refused before they are read: a 1,000-person webinar's
/// attendee report is well under 1 MiB, and a 100,000-row export about 12 MiB.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// Parses an export. `skip_bad_rows` decides what a row that cannot be read does: refuse the
/// file (the default: the caller reports every bad row and stores nothing) or keep it stored as
/// an error row and import the rest.
pub fn parse(file: &str, bytes: &[u8], opts: &ImportOptions, skip_bad_rows: bool) -> Result<ParsedExport, ImportError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImportError::TooLarge { file: file.into(), size: bytes.len(), limit: MAX_UPLOAD_BYTES });
    }
    if workbook::looks_like(bytes) {
        if let Ok(sheets) = workbook::sheets(bytes) {
            let (names, readings): (Vec<String>, Vec<Reading>) = sheets
                .into_iter()
                .map(|(name, records)| {
                    let why = "a workbook: its cells read as the spreadsheet typed them";
                    let reading = Reading {
                        encoding: workbook::kind(bytes),
                        why,
                        damaged: &[],
                        guessed: false,
                        delim: ',',
                        text: None,
                        records: Some(records),
                    };
                    (name, reading)
                })
                .unzip();
            let n = names.len();
            let mut p = parse_records(file, readings, opts, skip_bad_rows).map_err(|e| match e {
                ImportError::NeedsMapping { file, mut inference } if n > 1 => {
                    inference.sheet = names.get(inference.reading).cloned();
                    ImportError::NeedsMapping { file, inference }
                }
                e => e,
            })?;
            if let Some(k) = p.reading.filter(|_| n > 1) {
                p.warnings.push(format!("read from sheet \"{}\" ({} of {n})", names[k], k + 1));
            }
            return Ok(p);
        }
    }
    let candidates = text::decode_as(bytes, opts.encoding).map_err(|p| match p {
        text::TextProblem::Empty => ImportError::Empty { file: file.into() },
        text::TextProblem::Binary(what) => ImportError::Binary { file: file.into(), what: what.into() },
        text::TextProblem::BadUtf16 => ImportError::BadEncoding { file: file.into() },
        text::TextProblem::NotOf { encoding, line } => ImportError::NotOfEncoding { file: file.into(), encoding, line },
    })?;
    // Every plausible reading (decoding × delimiter), split lazily: the first in which a known
    // header is found wins.
    let mut sets = Vec::new();
    for decoded in &candidates {
        for delim in text::delimiter_candidates(&decoded.text) {
            sets.push(Reading {
                encoding: decoded.encoding,
                why: &decoded.why,
                damaged: &decoded.damaged_lines,
                guessed: decoded.guessed,
                delim: delim as char,
                text: Some(&decoded.text),
                records: None,
            });
        }
    }
    parse_records(file, sets, opts, skip_bad_rows)
}
