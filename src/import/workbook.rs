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
                return duration_text((dt.as_f64() * 86_400.0).round() as i64);
            }
            let Some(t) = dt.as_datetime() else { return dt.as_f64().to_string() };
            if dt.as_f64() < 1.0 { t.format("%H:%M:%S").to_string() } else { t.format("%Y-%m-%d %H:%M:%S").to_string() }
        }
        Data::DurationIso(s) => iso_duration_seconds(s).map_or_else(|| s.clone(), time_cell_text),
        Data::DateTimeIso(s) => s.clone(),
    }
}

/// An OpenDocument time cell, as an `.xlsx` time cell is written: under a day, a time of day
/// `HH:MM:SS` (which a duration column reads as one too); longer, a duration `1h 2m 3s`.
fn time_cell_text(secs: i64) -> String {
    if (0..86_400).contains(&secs) {
        format!("{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
    } else {
        duration_text(secs)
    }
}

/// A duration cell's seconds as a duration column reads them: `1h 2m 3s`.
fn duration_text(secs: i64) -> String {
    format!("{}h {}m {}s", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// The seconds of an ISO 8601 duration as OpenDocument writes a time cell's value
/// (`office:time-value="PT10H02M00S"`, ODF 1.2 §19.382; LibreOffice also `PT10H2M0.5S` and
/// `P1DT2H`), to the nearest second. Handed on as the raw text, a LibreOffice re-save's times of
/// day were refused on every row ("no time of day").
fn iso_duration_seconds(s: &str) -> Option<i64> {
    let rest = s.trim().strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = 0.0f64;
    let mut read = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                number.push(if c == ',' { '.' } else { c });
            } else {
                let scale = units.iter().find(|(u, _)| *u == c)?.1;
                total += number.parse::<f64>().ok()? * scale;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    read(days, &[('D', 86_400.0)])?;
    read(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    Some(total.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opendocument_time_cells_read_as_times_of_day_or_durations() {
        assert_eq!(cell_text(&Data::DurationIso("PT10H02M00S".into())), "10:02:00");
        assert_eq!(cell_text(&Data::DurationIso("PT1H10M0.000S".into())), "01:10:00");
        assert_eq!(cell_text(&Data::DurationIso("P1DT2H".into())), "26h 0m 0s");
        assert_eq!(cell_text(&Data::DurationIso("PT25H30M".into())), "25h 30m 0s");
        assert_eq!(cell_text(&Data::DurationIso("not iso".into())), "not iso");
    }
}
