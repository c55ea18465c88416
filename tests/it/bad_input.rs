//! Bad input gets a clear error naming the file, line and column, and the database is left as
//! it was.

use crate::harness;

use crate::harness::Db;
use attest::import::ImportError;
use attest::store::StoreError;

fn refused(bytes: &[u8]) -> (StoreError, Db) {
    let mut db = Db::new();
    let ev = db.event("bad", None);
    // Something already stored must survive the failed import untouched.
    db.import(&ev, "meeting_participants_fr_headers.synthetic.csv");
    let before = db.counts();
    let err = db.import_bytes(&ev, "upload.csv", bytes, None, None).unwrap_err();
    assert_eq!(db.counts(), before, "nothing stored or lost: {err}");
    assert_eq!(db.decisions(&ev).len(), 2);
    (err, db)
}

/// The header of a Zoom meeting report, the family most of these files imitate.
const ZOOM_HEADER: &str = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)";
/// A row that reads well, so that a test's own rows after it are the only fault in the file.
const GOOD_ROW: &str = "Ana Ruiz,ana@example.es,03/14/2025 10:00:00 AM,03/14/2025 11:00:00 AM,60";

/// A report of [`ZOOM_HEADER`] and [`GOOD_ROW`], then the test's own `lines` (from line 3).
fn after_a_good_row(lines: &str) -> String {
    format!("{ZOOM_HEADER}\n{GOOD_ROW}\n{lines}")
}

/// A report whose third line joins on 30 February: refused, or kept as an error when asked.
fn with_an_impossible_date() -> String {
    after_a_good_row("Bo Lee,bo@example.kr,02/30/2025 10:00:00 AM,03/14/2025 11:00:00 AM,60\n")
}

/// What importing `bytes` is refused with, as the member reads it.
fn refusal(bytes: &[u8]) -> String {
    refused(bytes).0.to_string()
}

#[test]
fn empty_file() {
    let (err, _) = refused(b"");
    assert!(err.to_string().starts_with("upload.csv: the file is empty; download the report again"), "{err}");
    let (err, _) = refused(b"\xEF\xBB\xBF\r\n,,,\r\n");
    assert!(matches!(err, StoreError::Import(ImportError::Empty { .. })));
}

#[test]
fn binary_file() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..4000u32).map(|i| (i * 7 % 251) as u8));
    let (err, _) = refused(&bytes);
    assert!(err.to_string().starts_with("upload.csv: this is a PNG image"), "{err}");
    let noise: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 & 0x1F).collect();
    let (err, _) = refused(&noise);
    assert!(matches!(err, StoreError::Import(ImportError::Binary { .. })), "{err}");
    let (err, _) = refused(b"PK\x03\x04\x14\x00\x06\x00");
    assert!(err.to_string().contains("export the report as CSV"));
}

#[test]
fn csv_of_something_else() {
    let msg = refusal(b"order_id,product,price\n1,chair,20.00\n2,table,90.00\n");
    assert!(msg.starts_with("upload.csv: not a recognised attendance export"), "{msg}");
    assert!(msg.contains("order_id,product,price"), "{msg}");
}

#[test]
fn truncated_quoted_field() {
    let msg = refusal(after_a_good_row("\"Dupont, Ma").as_bytes());
    assert!(msg.contains("upload.csv: 1 row(s) cannot be read"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("never closed"), "{msg}");
}

/// A stray quote in the middle of a file (a display name that starts with `"`, a hand edit)
/// takes in every line after it. That is not one damaged row: the file is refused, naming the
/// lines taken, even with bad rows skipped, which kept the first row and lost the rest saying
/// one row was refused.
#[test]
fn a_quote_left_open_mid_file_refuses_the_file_and_names_the_lines_it_took() {
    let text = after_a_good_row(&format!("\"Mark Weber,mw@example.de,x\n{GOOD_ROW}\n{GOOD_ROW}\n"));
    let msg = refusal(text.as_bytes());
    assert!(
        msg.starts_with("upload.csv: the quote that opens a cell on line 3 is never closed, so lines 4 to 5 were read as part of that one cell"),
        "{msg}"
    );
    let mut db = Db::new();
    let ev = db.event("open-quote", None);
    let skipping = db.import_keeping_bad_rows(&ev, "upload.csv", text.as_bytes());
    assert!(
        skipping.is_err_and(|e| e.to_string().contains("line 3 is never closed")),
        "refused with bad rows skipped too"
    );
}

#[test]
fn row_with_an_impossible_date() {
    let text = with_an_impossible_date();
    let (err, _) = refused(text.as_bytes());
    let StoreError::Import(ImportError::Rows { file, errors }) = &err else { panic!("{err}") };
    assert_eq!(file, "upload.csv");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].line, errors[0].column.as_str(), errors[0].value.as_str()),
        (3, "Join Time", "02/30/2025 10:00:00 AM")
    );
    assert!(err.to_string().contains("line 3: column \"Join Time\": no such date"), "{err}");
}

#[test]
fn leave_before_join_and_garbage_time_are_located() {
    let text = format!(
        "{ZOOM_HEADER}\n\
         Ana Ruiz,ana@example.es,03/14/2025 11:00:00 AM,03/14/2025 10:00:00 AM,60\n\
         Bo Lee,bo@example.kr,03/14/2025 10:00:00 AM,soon,60\n"
    );
    let msg = refusal(text.as_bytes());
    assert!(msg.contains("line 2: column \"Leave Time\": leave time is before join time"), "{msg}");
    assert!(msg.contains("line 3: column \"Leave Time\": cannot read as a date"), "{msg}");
}

/// A person one of whose rows is refused (kept as an error when asked) has their other rows
/// counted, and goes to review: their time is short by what the refused row held. They were
/// decided on the rest with no word.
#[test]
fn a_person_with_a_refused_row_goes_to_review() {
    let text = after_a_good_row(
        "Ana Ruiz,ana@example.es,02/30/2025 11:05:00 AM,03/14/2025 11:40:00 AM,35\n\
         Bo Lee,bo@example.kr,03/14/2025 10:00:00 AM,03/14/2025 11:00:00 AM,60\n",
    );
    let mut db = Db::new();
    let ev = db.event("partial-ana", None);
    db.import_keeping_bad_rows(&ev, "partial.csv", text.as_bytes()).unwrap();
    let ds = db.decisions(&ev);
    let ana = harness::person(&ds, "ana@example.es");
    assert_eq!(ana.attended_seconds, 3600);
    assert_eq!(
        ana.review,
        ["partial.csv:2: line 3 of this person was refused: their time may be short by what it held"]
    );
    assert!(harness::person(&ds, "bo@example.kr").review.is_empty());
}

#[test]
fn bad_rows_can_be_kept_as_errors_when_asked() {
    let text = with_an_impossible_date();
    let mut db = Db::new();
    let ev = db.event("partial", None);
    let out = db.import_keeping_bad_rows(&ev, "partial.csv", text.as_bytes()).unwrap();
    let s = harness::summary(&out);
    assert_eq!((s.connections, s.errors.len(), s.errors[0].line), (1, 1, 3));
    let (kind, note): (String, String) = db
        .conn
        .row_for_tests("SELECT kind, note FROM raw_rows WHERE line = 3", (), |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(kind, "error");
    assert!(note.contains("no such date"));
    assert_eq!(db.decisions(&ev).len(), 1);
}

#[test]
fn contradictory_day_month_order_is_refused() {
    let text = "Name (Original Name),User Email,Join Time,Leave Time\n\
                Ana,ana@example.es,03/14/2025 10:00:00,03/14/2025 11:00:00\n\
                Bo,bo@example.kr,14/03/2025 10:00:00,14/03/2025 11:00:00\n";
    let (err, _) = refused(text.as_bytes());
    assert!(matches!(err, StoreError::Import(ImportError::DateOrderContradictory { .. })), "{err}");
}

#[test]
fn a_failure_in_one_of_several_files_stores_none_of_them() {
    let mut db = Db::new();
    let ev = db.event("multi", None);
    let good = harness::fixture("meeting_participants_fr_headers.synthetic.csv");
    let opts = attest::import::ImportOptions::in_zone(chrono_tz::UTC);
    let ups = [
        attest::store::imports::Upload { file_name: "good.csv", bytes: &good },
        attest::store::imports::Upload { file_name: "bad.csv", bytes: b"" },
    ];
    let err =
        attest::store::imports::import_files(&mut db.conn, &ev, &ups, &opts, false, "cli", harness::now()).unwrap_err();
    assert!(err.to_string().starts_with("bad.csv"));
    assert_eq!(db.counts(), (0, 0, 0));
}

#[test]
fn oversized_upload_is_refused_before_parsing() {
    let big = vec![b'a'; attest::import::MAX_UPLOAD_BYTES + 1];
    let (err, _) = refused(&big);
    assert!(matches!(err, StoreError::Import(ImportError::TooLarge { .. })), "{err}");
}

#[test]
fn dst_ambiguous_times_are_resolved_or_flagged_never_shifted_silently() {
    // Downloaded in Paris on the night clocks went back (26 Oct 2025, 02:00-03:00 happens twice).
    let text = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n\
                Ana,ana@example.es,10/26/2025 02:30:00,10/26/2025 02:50:00,80\n\
                Bo,bo@example.kr,10/26/2025 02:30:00,10/26/2025 02:50:00,\n\
                Cy,cy@example.fr,10/26/2025 01:30:00,10/26/2025 02:10:00,101\n";
    let mut db = Db::new();
    let ev = db.event("dst", None);
    let opts = attest::import::ImportOptions::in_zone(chrono_tz::Europe::Paris);
    let up = attest::store::imports::Upload { file_name: "dst.csv", bytes: text.as_bytes() };
    attest::store::imports::import_files(&mut db.conn, &ev, &[up], &opts, false, "cli", harness::now()).unwrap();
    let ds = db.decisions(&ev);
    // Ana: the 80-minute duration decides: 02:30 CEST (00:30Z) to 02:50 CET (01:50Z).
    let ana = harness::person(&ds, "ana@example.es");
    assert_eq!(ana.attended_seconds, 80 * 60);
    assert!(ana.review.is_empty());
    // Bo: nothing decides between 20 and 80 minutes: stored with the earlier reading, flagged.
    let bo = harness::person(&ds, "bo@example.kr");
    assert_eq!(bo.review.len(), 1, "{:?}", bo.review);
    assert!(bo.review[0].contains("dst.csv:3"));
    // Cy: 01:30 CEST (23:30Z) to 02:10 — 101 minutes only fits 02:10 CET (01:10Z).
    assert_eq!(harness::person(&ds, "cy@example.fr").attended_seconds, 100 * 60);
}

#[test]
fn a_name_and_email_list_that_is_not_a_registration_report_is_refused_not_read_as_no_shows() {
    // Google Meet's attendance list: first and last name and email, and times of day. Taken for
    // a registration report, everyone had 0 seconds. It is read as what it is (issue 22), and
    // without a date in its name it is refused until staff give the day.
    let text = "First name,Last name,Email,Duration,Time joined,Time exited\n\
        Ana,Ruiz,ana@example.es,1 hr 5 min,10:00 AM,11:05 AM\n";
    let (err, _) = refused(text.as_bytes());
    assert!(err.to_string().starts_with("upload.csv: the rows hold times of day without a date"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Issue 23: no row lost without a word, no encoding switched without a word.

/// A Zoom webinar attendee report with ten attendees, the fifth of whom is written by `fifth`
/// (the cells after `Yes,`).
fn webinar_with_fifth_row(fifth: &str) -> String {
    harness::webinar_report(true, false, 10, |i| match i {
        5 => fifth.to_owned(),
        _ => format!("Person {i},p{i}@example.org,\"Mar 14, 2025 10:00:00\",\"Mar 14, 2025 11:40:00\",100"),
    })
}

/// Every row of the file ends in exactly one place, and the report's counts add up.
fn assert_counts_add_up(s: &attest::store::imports::Summary) {
    let c = &s.counts;
    assert_eq!(c.rows, c.blank + c.context + c.imported + c.skipped + c.refused, "{c:?}");
    let mut refused_lines: Vec<usize> = s.errors.iter().map(|e| e.line).collect();
    refused_lines.sort_unstable();
    refused_lines.dedup();
    assert_eq!(c.refused, refused_lines.len(), "{c:?} (a refused row may have several errors)");
    assert_eq!(c.skipped, s.skipped.len(), "{c:?}");
}

#[test]
fn a_row_cut_short_inside_a_section_is_a_located_error_not_a_new_section() {
    // `Yes,` then a bare CR inside the unquoted name: the reader sees a one-cell row and then the
    // rest of the row. Read as a section title, it hid the five attendees after it.
    let text =
        webinar_with_fifth_row("\rPerson 5,p5@example.org,\"Mar 14, 2025 10:00:00\",\"Mar 14, 2025 11:40:00\",100");
    let (err, _) = refused(text.as_bytes());
    let StoreError::Import(ImportError::Rows { errors, .. }) = &err else { panic!("{err}") };
    assert_eq!(errors[0].line, 10, "{err}");
    assert!(errors[0].message.contains("cut short"), "{err}");

    // Kept as errors when asked: every other attendee is imported, and the counts add up.
    let mut db = Db::new();
    let ev = db.event("cut", None);
    let out = db.import_keeping_bad_rows(&ev, "cut.csv", text.as_bytes()).unwrap();
    let s = harness::summary(&out);
    assert_counts_add_up(s);
    let people: Vec<String> = db.decisions(&ev).into_iter().map(|d| d.name).collect();
    for i in [1, 2, 3, 4, 6, 7, 8, 9, 10] {
        assert!(people.contains(&format!("Person {i}")), "Person {i} missing from {people:?}");
    }
    assert!(s.counts.refused >= 1, "{:?}", s.counts);
    assert_eq!(s.counts.context, 5, "title, summary header and values, section title, table header: {:?}", s.counts);
}

#[test]
fn a_file_with_a_utf8_bom_and_one_bad_sequence_is_not_read_as_cp1252() {
    let text =
        webinar_with_fifth_row("Żaneta Wójcik,z@example.pl,\"Mar 14, 2025 10:00:00\",\"Mar 14, 2025 11:40:00\",100");
    let mut bytes = text.into_bytes();
    // One invalid sequence (the UTF-8 form of a lone surrogate) in the seventh attendee's name.
    let at = bytes.windows(8).position(|w| w == b"Person 7").unwrap() + 6;
    bytes.splice(at..at, [0xED, 0xA0, 0x80]);
    let (err, _) = refused(&bytes);
    let StoreError::Import(ImportError::Rows { errors, .. }) = &err else { panic!("{err}") };
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!((errors[0].line, errors[0].column.as_str()), (12, "User Name (Original Name)"), "{err}");
    assert!(errors[0].message.contains("not UTF-8"), "{err}");

    // Imported when asked to go on: names stay right, the damaged one is named in a warning.
    let mut db = Db::new();
    let ev = db.event("bom", None);
    let out = db.import_keeping_bad_rows(&ev, "bom.csv", &bytes).unwrap();
    let s = harness::summary(&out);
    assert_eq!(s.encoding, "utf-8 (BOM)");
    assert!(s.encoding_why.contains("byte-order mark") && s.encoding_why.contains("line(s) 12"), "{}", s.encoding_why);
    assert!(s.warnings.iter().any(|w| w.contains("line(s) 12")), "{:?}", s.warnings);
    assert_counts_add_up(s);
    let names: Vec<String> = db.decisions(&ev).into_iter().map(|d| d.name).collect();
    assert!(names.contains(&"Żaneta Wójcik".to_owned()), "{names:?}");
    assert!(names.iter().all(|n| !n.contains('Å')), "no mojibake: {names:?}");
}

#[test]
fn every_fixture_reports_counts_that_add_up_to_its_rows() {
    let names = harness::fixture_names(".csv");
    for name in names {
        let bytes = harness::fixture(&name);
        let mut db = Db::new();
        let ev = db.event("f", None);
        let opts = attest::import::ImportOptions {
            // The Active Hosts fixture holds several meetings; one is enough here.
            date_order: None,
            ..attest::import::ImportOptions::in_zone(chrono_tz::UTC)
        };
        let up = attest::store::imports::Upload { file_name: &name, bytes: &bytes };
        let Ok(out) =
            attest::store::imports::import_files(&mut db.conn, &ev, &[up], &opts, true, "cli", harness::now())
        else {
            continue; // Files that need an answer (which meeting, which date order) are tested elsewhere.
        };
        let s = harness::summary(&out);
        assert_counts_add_up(s);
        // The rows the report counts are the rows a CSV reader of our own finds in the file.
        let text = std::str::from_utf8(&bytes)
            .map(|t| t.trim_start_matches('\u{feff}').to_owned())
            .unwrap_or_else(|_| encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned());
        if s.encoding.starts_with("utf-8") || s.encoding == "windows-1252" {
            let delim = if s.delimiter == "tab" { b'\t' } else { s.delimiter.as_bytes()[0] };
            let n = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delim)
                .from_reader(text.as_bytes())
                .records()
                .count();
            assert_eq!(s.counts.rows, n, "{name}: {:?}", s.counts);
        }
        let stored: i64 = db
            .conn
            .row_for_tests("SELECT count(*) FROM raw_rows WHERE upload_id = ?1", [s.upload_id], |r| r.get(0))
            .unwrap();
        assert_eq!(stored as usize, s.counts.rows - s.counts.blank, "{name}: every non-blank row is stored");
        let unexplained: i64 = db
            .conn
            .row_for_tests(
                "SELECT count(*) FROM raw_rows WHERE upload_id = ?1 AND kind <> 'data' AND kind <> 'header' AND note IS NULL",
                [s.upload_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unexplained, 0, "{name}: a row neither read nor explained");
    }
}
