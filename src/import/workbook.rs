//! Excel and OpenDocument workbooks (`.xlsx`, `.xls`, `.ods`): staff open the CSV in Excel and
//! save it as a workbook, and some platforms give nothing else (GoTo Meeting's attendee list).
//!
//! Each sheet's rows become [`Record`]s like a CSV's, so that the families and the column
//! mapping read them unchanged; the first sheet in which a table is recognised is the one read
//! (the import report names it), and the original bytes, every sheet included, are stored. Cells are written as Excel typed them: a date-time as
//! `YYYY-MM-DD HH:MM:SS` (a serial number in the file), a time of day as `HH:MM:SS` (a fraction
//! of a day), a duration as `1h 2m 3s`, a whole number without decimals, text as text (a text
//! cell Excel wrapped as a formula, `="…"`, unwrapped). Row numbers are the sheet's own.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use csv::StringRecord;

use super::text::{Record, formula_text};

/// Whether the bytes start like a workbook (a ZIP container, or the OLE2 container of `.xls`).
pub fn looks_like(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// The workbook's kind, for the import report.
pub fn kind(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        "xls workbook"
    } else if bytes.windows(38).take(200).any(|w| w == b"mimetypeapplication/vnd.oasis.opendocu") {
        "ods workbook"
    } else {
        "xlsx workbook"
    }
}

/// Each sheet's name and rows, in order. `Err` when the bytes are not a workbook calamine can read.
pub fn sheets(bytes: &[u8]) -> Result<Vec<(String, Vec<Record>)>, String> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    // In the workbook's order: `worksheets()` gives an OpenDocument or .xls file's sheets in
    // another, and the report named the first sheet "2 of 2". A sheet that is not cells (a
    // chart) is left out.
    for name in wb.sheet_names().to_vec() {
        let Ok(range) = wb.worksheet_range(&name) else { continue };
        let (row0, col0) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut records = Vec::new();
        // Leading empty rows and columns keep their numbers: lines are the sheet's row numbers.
        for (i, row) in range.rows().enumerate() {
            let mut fields = StringRecord::new();
            for _ in 0..col0 {
                fields.push_field("");
            }
            for c in row {
                fields.push_field(&cell_text(c));
            }
            records.push(Record { line: row0 + i + 1, fields, unterminated_quote: false });
        }
        out.push((name, records));
    }
    Ok(out)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => formula_text(s).unwrap_or_else(|| s.clone()),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                let secs = (dt.as_f64() * 86_400.0).round() as i64;
                return format!("{}h {}m {}s", secs / 3600, secs % 3600 / 60, secs % 60);
            }
            let Some(t) = dt.as_datetime() else { return dt.as_f64().to_string() };
            if dt.as_f64() < 1.0 { t.format("%H:%M:%S").to_string() } else { t.format("%Y-%m-%d %H:%M:%S").to_string() }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}
