//! Fuzzing the importer on stable Rust (issue 14, item 10): every fixture, mutated (byte flips,
//! truncation, inserted delimiters and quotes, re-encoding, duplicated and dropped rows), is
//! imported. The import must never panic; it either succeeds (and the decisions can be made) or
//! fails with an error naming the file, and a row error naming its line and column; and a
//! failed import leaves the database as it was.
//!
//! A few hundred cases run in the normal test run, from a fixed seed. For a long run:
//! `ATTEST_FUZZ_SECONDS=3600 cargo test --test fuzz_import -- --nocapture` runs batches of
//! `PROPTEST_CASES` (default 300) cases from fresh seeds until the time is up, printing each
//! seed; `ATTEST_FUZZ_SEED=<64 hex digits>` replays one.

use crate::harness;

use crate::harness::Db;
use attest::import::{ImportError, ImportOptions};
use attest::store::StoreError;
use attest::store::imports::{Upload, import_files};
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// A fixture decoded to text, with the encoding it came in.
struct Fixture {
    name: String,
    text: String,
    enc: Enc,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Enc {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Cp1252,
    ShiftJis,
}

impl Enc {
    /// Every encoding, in the order a re-encoding shrinks towards (UTF-8 first).
    const ALL: [Enc; 6] = [Enc::Utf8, Enc::Utf8Bom, Enc::Utf16Le, Enc::Utf16Be, Enc::Cp1252, Enc::ShiftJis];
}

fn fixtures() -> Vec<Fixture> {
    let names = harness::fixture_names(".csv");
    assert!(names.len() >= 10, "fixtures not found in tests/fixtures");
    names
        .into_iter()
        .map(|name| {
            let bytes = harness::fixture(&name);
            let (text, enc) = match encoding_rs::Encoding::for_bom(&bytes) {
                Some((e, bom)) if e == encoding_rs::UTF_16LE => {
                    (encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[bom..]).0.into_owned(), Enc::Utf16Le)
                }
                Some((e, bom)) if e == encoding_rs::UTF_16BE => {
                    (encoding_rs::UTF_16BE.decode_without_bom_handling(&bytes[bom..]).0.into_owned(), Enc::Utf16Be)
                }
                Some((_, bom)) => (String::from_utf8_lossy(&bytes[bom..]).into_owned(), Enc::Utf8Bom),
                None => match std::str::from_utf8(&bytes) {
                    Ok(t) => (t.to_owned(), Enc::Utf8),
                    Err(_) => (encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(), Enc::Cp1252),
                },
            };
            Fixture { name, text, enc }
        })
        .collect()
}

fn encode(text: &str, enc: Enc) -> Vec<u8> {
    match enc {
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Enc::Utf16Le => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        Enc::Utf16Be => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
        Enc::Cp1252 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
        Enc::ShiftJis => encoding_rs::SHIFT_JIS.encode(text).0.into_owned(),
    }
}

/// A change to the text, before it is encoded.
#[derive(Debug, Clone)]
enum TextMut {
    /// Inserts a delimiter, quote or line break at a position (taken modulo the length).
    Insert(usize, &'static str),
    /// Repeats one of the first rows (where the header rows are) right after itself.
    DuplicateRow(usize),
    /// Repeats one of the first rows at the end of the file.
    RepeatRowAtEnd(usize),
    DropRow(usize),
}

/// A change to the bytes, after encoding.
#[derive(Debug, Clone)]
enum ByteMut {
    Flip(usize, u8),
    Truncate(usize),
}

#[derive(Debug, Clone)]
struct Case {
    fixture: usize,
    text: Vec<TextMut>,
    reencode: Option<Enc>,
    bytes: Vec<ByteMut>,
    skip_bad_rows: bool,
    date_order: Option<attest::import::dates::DateOrder>,
}

const MAX_MUTS: usize = 9;

fn case(n: usize) -> impl Strategy<Value = Case> {
    let inserted = prop_oneof![
        Just(","),
        Just(";"),
        Just("\t"),
        Just("\""),
        Just("\"\""),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just(",\""),
        Just("\"\n"),
        Just("--"),
        Just("\u{feff}"),
        Just("\0"),
    ];
    let text_mut = prop_oneof![
        4 => (any::<usize>(), inserted).prop_map(|(at, s)| TextMut::Insert(at, s)),
        2 => (0usize..16).prop_map(TextMut::DuplicateRow),
        1 => (0usize..16).prop_map(TextMut::RepeatRowAtEnd),
        1 => any::<usize>().prop_map(TextMut::DropRow),
    ];
    let byte_mut = prop_oneof![
        3 => (any::<usize>(), 1u8..=255).prop_map(|(at, x)| ByteMut::Flip(at, x)),
        1 => any::<usize>().prop_map(ByteMut::Truncate),
    ];
    // Every encoding equally likely. `Union::new` draws as the `prop_oneof!` of six `Just`s did,
    // so a seed printed by an earlier long run still replays the same cases.
    let enc = Union::new(Enc::ALL.map(Just));
    let order = prop_oneof![
        2 => Just(None),
        1 => Just(Some(attest::import::dates::DateOrder::Mdy)),
        1 => Just(Some(attest::import::dates::DateOrder::Dmy)),
    ];
    (
        0..n,
        prop::collection::vec(text_mut, 0..MAX_MUTS),
        prop::option::weighted(0.3, enc),
        prop::collection::vec(byte_mut, 0..MAX_MUTS),
        any::<bool>(),
        order,
    )
        .prop_map(|(fixture, text, reencode, bytes, skip_bad_rows, date_order)| Case {
            fixture,
            text,
            reencode,
            bytes,
            skip_bad_rows,
            date_order,
        })
}

fn char_floor(s: &str, at: usize) -> usize {
    let mut at = at % (s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(f: &Fixture, c: &Case) -> Vec<u8> {
    let mut text = f.text.clone();
    for m in &c.text {
        let rows: Vec<&str> = text.split_inclusive('\n').collect();
        text = match m {
            TextMut::Insert(at, s) => {
                let at = char_floor(&text, *at);
                format!("{}{s}{}", &text[..at], &text[at..])
            }
            TextMut::DuplicateRow(i) if !rows.is_empty() => {
                let i = i % rows.len();
                rows[..=i].concat() + rows[i] + &rows[i + 1..].concat()
            }
            TextMut::RepeatRowAtEnd(i) if !rows.is_empty() => {
                let row = rows[i % rows.len()];
                let sep = if text.ends_with('\n') { "" } else { "\n" };
                format!("{text}{sep}{row}")
            }
            TextMut::DropRow(i) if !rows.is_empty() => {
                let i = i % rows.len();
                rows[..i].concat() + &rows[i + 1..].concat()
            }
            _ => text,
        };
    }
    let mut bytes = encode(&text, c.reencode.unwrap_or(f.enc));
    for m in &c.bytes {
        match *m {
            ByteMut::Flip(at, x) if !bytes.is_empty() => {
                let at = at % bytes.len();
                bytes[at] ^= x;
            }
            ByteMut::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

/// Everything an import writes to, so that a refused one can be seen to have written nothing.
fn state(db: &Db) -> Vec<i64> {
    ["events", "uploads", "upload_rows", "audit"]
        .iter()
        .map(|t| db.conn.row_for_tests(&format!("SELECT count(*) FROM {t}"), (), |r| r.get(0)).unwrap())
        .collect()
}

/// With `ATTEST_FUZZ_STATS` set, counts outcomes by kind (to see what the cases reach).
fn stat(kind: &str) {
    if std::env::var_os("ATTEST_FUZZ_STATS").is_some() {
        eprintln!("outcome {kind}");
    }
}

fn check(db: &mut Db, fixtures: &[Fixture], c: &Case, n: usize) -> Result<(), TestCaseError> {
    let bytes = mutate(&fixtures[c.fixture], c);
    let result = check_bytes(db, &fixtures[c.fixture], &bytes, c, n);
    // `ATTEST_FUZZ_DUMP=DIR` keeps the bytes of the failing cases (the last one written is the
    // smallest proptest found) to import by hand.
    if let (Err(_), Some(dir)) = (&result, std::env::var_os("ATTEST_FUZZ_DUMP")) {
        std::fs::write(std::path::Path::new(&dir).join("failing.csv"), &bytes).unwrap();
    }
    result
}

fn check_bytes(db: &mut Db, f: &Fixture, bytes: &[u8], c: &Case, n: usize) -> Result<(), TestCaseError> {
    let ev = db.event(&format!("fuzz-{n}"), None);
    let before = state(db);
    let opts = ImportOptions { date_order: c.date_order, ..ImportOptions::in_zone(chrono_tz::UTC) };
    let up = Upload { file_name: &f.name, bytes };
    match import_files(&mut db.conn, &ev, &[up], &opts, c.skip_bad_rows, "cli", harness::now()) {
        Ok(outcomes) => {
            for o in &outcomes {
                if let attest::store::imports::Outcome::Imported(s) = o {
                    for r in &s.errors {
                        prop_assert!(r.line >= 1 && !r.column.trim().is_empty(), "{}: unlocated row error {r}", f.name);
                    }
                    check_counts(db, s)?;
                }
            }
            let inverted: i64 = db
                .conn
                .row_for_tests(
                    "SELECT count(*) FROM upload_rows r JOIN uploads u ON u.id = r.upload_id
                     WHERE u.event_id = ?1 AND r.join_at > r.leave_at",
                    [ev.id],
                    |r| r.get(0),
                )
                .unwrap();
            if inverted > 0 && std::env::var_os("ATTEST_FUZZ_DUMP").is_some() {
                let rows: Vec<(i64, String, String, Option<String>)> = db.conn.rows_for_tests("SELECT r.line, r.join_at, r.leave_at, r.note FROM upload_rows r JOIN uploads u ON u.id = r.upload_id WHERE u.event_id = ?1 AND r.join_at > r.leave_at", [ev.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
                eprintln!("inverted: {rows:?}");
            }
            prop_assert_eq!(inverted, 0, "{}: a connection stored leaving before it joined", &f.name);
            stat("imported");
            let ds = db.decisions(&ev);
            for d in &ds {
                prop_assert!(d.attended_seconds >= 0, "{}: negative attendance", f.name);
            }
        }
        Err(StoreError::Import(e)) => {
            let msg = e.to_string();
            stat(msg.split(':').nth(1).unwrap_or("").trim().split(' ').next().unwrap_or(""));
            prop_assert!(msg.starts_with(&f.name), "error does not name the file: {msg}");
            if let ImportError::Rows { errors, .. } = &e {
                prop_assert!(!errors.is_empty(), "a row error without rows: {msg}");
                // Lines are counted in the decoded text; a line break can be any of \r\n, \n, \r.
                let lines = bytes.len() + 1;
                for r in errors {
                    prop_assert!(r.line >= 1 && r.line <= lines, "line {} out of the file: {msg}", r.line);
                    prop_assert!(!r.column.trim().is_empty(), "row error without a column: {msg}");
                }
            }
            prop_assert_eq!(state(db), before, "a refused import changed the database: {}", msg);
        }
        Err(other) => {
            return Err(TestCaseError::fail(format!("{}: not an import error, so not located: {other}", f.name)));
        }
    }
    Ok(())
}

/// Issue 23: every row of the file ends as imported, skipped with a reason, refused with its
/// line, or context (headers, titles) with what it is; the report's counts add up to the rows
/// stored plus the blank ones, and agree with what is stored.
fn check_counts(db: &Db, s: &attest::store::imports::Summary) -> Result<(), TestCaseError> {
    let c = &s.counts;
    prop_assert_eq!(c.rows, c.blank + c.context + c.imported + c.skipped + c.refused, "{}: {:?}", &s.file, c);
    let mut refused_lines: Vec<usize> = s.errors.iter().map(|e| e.line).collect();
    refused_lines.sort_unstable();
    refused_lines.dedup();
    prop_assert_eq!(c.refused, refused_lines.len(), "{}: {:?} (a refused row may have several errors)", &s.file, c);
    prop_assert_eq!(c.skipped, s.skipped.len(), "{}: {:?}", &s.file, c);
    let kinds: Vec<(String, i64, i64)> = db
        .conn
        .rows_for_tests(
            "SELECT kind, count(*), count(*) FILTER (WHERE note IS NULL) FROM raw_rows WHERE upload_id = ?1 GROUP BY kind",
            [s.upload_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let stored = |k: &str| kinds.iter().find(|x| x.0 == k).map_or(0, |x| x.1) as usize;
    prop_assert_eq!(stored("data"), c.imported, "{}: {:?}", &s.file, kinds);
    prop_assert_eq!(stored("skipped"), c.skipped, "{}: {:?}", &s.file, kinds);
    prop_assert_eq!(stored("error"), c.refused, "{}: {:?}", &s.file, kinds);
    prop_assert_eq!(stored("meta") + stored("header"), c.context, "{}: {:?}", &s.file, kinds);
    for (kind, _, unexplained) in &kinds {
        prop_assert!(
            kind == "data" || kind == "header" || *unexplained == 0,
            "{}: {kind} rows without a note",
            &s.file
        );
    }
    Ok(())
}

fn run(seed: [u8; 32], cases: u32, fixtures: &[Fixture]) {
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    // The runner takes a `Fn`: one database for the whole run, behind a RefCell.
    let db = std::cell::RefCell::new(Db::new());
    let n = std::cell::Cell::new(0);
    let result = runner.run(&case(fixtures.len()), |c| {
        n.set(n.get() + 1);
        check(&mut db.borrow_mut(), fixtures, &c, n.get())
    });
    if let Err(e) = result {
        let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
        panic!("{e}\nreplay with ATTEST_FUZZ_SEED={hex}");
    }
}

fn seed_from_hex(s: &str) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2).expect("64 hex digits"), 16).expect("hex");
    }
    seed
}

#[test]
fn mutated_exports_never_panic_and_fail_located_without_writing() {
    let fixtures = fixtures();
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    if let Ok(hex) = std::env::var("ATTEST_FUZZ_SEED") {
        return run(seed_from_hex(&hex), cases, &fixtures);
    }
    let Some(budget) = std::env::var("ATTEST_FUZZ_SECONDS").ok().and_then(|v| v.parse::<u64>().ok()) else {
        return run([7; 32], cases, &fixtures);
    };
    let start = std::time::Instant::now();
    let mut batch = 0u64;
    while start.elapsed().as_secs() < budget {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).unwrap();
        let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
        batch += 1;
        println!("batch {batch}: {cases} cases, ATTEST_FUZZ_SEED={hex}");
        run(seed, cases, &fixtures);
    }
}

/// Found by the fuzz test: a flipped byte turned `11/12/2020, 15:56:46` into
/// `11/12/20204 15:56:46`, which was read as the year 20204 and stored as a connection of
/// eighteen thousand years.
#[test]
fn a_timestamp_with_a_five_digit_year_is_a_located_row_error() {
    let f = fixtures().into_iter().find(|f| f.name == "teams_meeting_attendance_2020_event_log.csv").unwrap();
    let damaged = "11/12/20204 15:56:46";
    let text = f.text.replacen("11/12/2020, 15:56:46", damaged, 1);
    let line = text.lines().position(|l| l.contains(damaged)).unwrap() + 1;
    let mut db = Db::new();
    let ev = db.event("damaged", None);
    let before = state(&db);
    let err = db
        .import_bytes(&ev, &f.name, &encode(&text, f.enc), Some(attest::import::dates::DateOrder::Dmy), None)
        .unwrap_err();
    let StoreError::Import(ImportError::Rows { errors, .. }) = err else { panic!("not a row error: {err}") };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].column.as_str(), errors[0].value.as_str()), (line, "Timestamp", damaged));
    assert_eq!(state(&db), before);
}

/// A webinar attendee report of `n` people, `Person 1 Wójcik` … `Person n Wójcik` (a letter
/// outside ASCII, so that a file read in the wrong encoding shows).
fn webinar(n: usize) -> String {
    harness::webinar_report(false, true, n, |i| {
        format!("Person {i} Wójcik,p{i}@example.org,\"Mar 14, 2025 10:00:00\",\"Mar 14, 2025 11:40:00\",100")
    })
}

/// Damage done to a row of the attendee table.
#[derive(Debug, Clone)]
enum Damage {
    /// Cuts the row at a byte (the rest moves to the next line, as a stray line break does).
    Break(usize, &'static str),
    /// Drops the end of the row.
    Truncate(usize),
    Insert(usize, &'static str),
    /// Bytes of another encoding (cp1252 `é`, a lone surrogate's UTF-8, a NUL).
    Bytes(usize, &'static [u8]),
}

/// Issue 23: exports with random damage in the attendee table (cut and truncated rows, stray
/// CR/LF, quotes, NULs, bytes of another encoding). Whatever happens, nobody is dropped without
/// a word: each `Person i` the file still names is in a row that was imported, skipped with a
/// reason or refused with its line (never in a row taken as a title or a header), and the
/// counts add up; or the whole file is refused with located errors and nothing stored.
#[test]
fn damaged_exports_drop_nobody_silently() {
    let damage = prop_oneof![
        (0usize..200, prop_oneof![Just("\r"), Just("\n"), Just("\r\n")]).prop_map(|(at, s)| Damage::Break(at, s)),
        (0usize..200).prop_map(Damage::Truncate),
        (0usize..200, prop_oneof![Just("\""), Just(","), Just(",,"), Just("\"\r")])
            .prop_map(|(at, s)| Damage::Insert(at, s)),
        (0usize..200, prop_oneof![Just(&b"\xE9"[..]), Just(&b"\xED\xA0\x80"[..]), Just(&b"\x00"[..])])
            .prop_map(|(at, b)| Damage::Bytes(at, b)),
    ];
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[23; 32]));
    let db = std::cell::RefCell::new(Db::new());
    let n = std::cell::Cell::new(0);
    let strategy = (prop::collection::vec((0usize..12, damage), 1..4), any::<bool>(), any::<bool>());
    runner
        .run(&strategy, |(damages, bom, skip_bad_rows)| {
            n.set(n.get() + 1);
            let text = webinar(12);
            let mut lines: Vec<Vec<u8>> = text.split_inclusive('\n').map(|l| l.as_bytes().to_vec()).collect();
            for (row, d) in &damages {
                let line = &mut lines[8 + row];
                let body = line.len() - 2; // before the CRLF
                match d {
                    Damage::Break(at, s) => {
                        let at = at % body;
                        line.splice(at..at, s.bytes());
                    }
                    Damage::Truncate(at) => {
                        line.drain(at % body..body);
                    }
                    Damage::Insert(at, s) => {
                        let at = at % body;
                        line.splice(at..at, s.bytes());
                    }
                    Damage::Bytes(at, b) => {
                        let at = at % body;
                        line.splice(at..at, b.iter().copied());
                    }
                }
            }
            let mut bytes = if bom { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
            bytes.extend(lines.concat());
            let mut db = db.borrow_mut();
            let ev = db.event(&format!("damage-{}", n.get()), None);
            let before = state(&db);
            let opts = ImportOptions::in_zone(chrono_tz::UTC);
            let up = Upload { file_name: "damaged.csv", bytes: &bytes };
            match import_files(&mut db.conn, &ev, &[up], &opts, skip_bad_rows, "cli", harness::now()) {
                Ok(out) => {
                    let attest::store::imports::Outcome::Imported(s) = &out[0] else { unreachable!() };
                    check_counts(&db, s)?;
                    let hidden: Vec<(i64, String)> = db
                        .conn
                        .rows_for_tests(
                            "SELECT line, fields FROM raw_rows WHERE upload_id = ?1
                             AND (kind = 'meta' OR kind = 'header') AND fields LIKE '%Person%'",
                            [s.upload_id],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .unwrap();
                    prop_assert!(hidden.is_empty(), "attendee rows taken as context: {hidden:?}");
                    // Every person the file still names is in a row that says what became of it.
                    let text = String::from_utf8_lossy(&bytes);
                    for i in 1..=12 {
                        let email = format!("p{i}@example.org");
                        if !text.contains(&email) {
                            continue;
                        }
                        let found: i64 = db
                            .conn
                            .row_for_tests(
                                "SELECT count(*) FROM raw_rows WHERE upload_id = ?1 AND fields LIKE '%' || ?2 || '%'
                                 AND (kind = 'data' OR kind = 'skipped' OR kind = 'error')",
                                attest::store_params![s.upload_id, email],
                                |r| r.get(0),
                            )
                            .unwrap();
                        prop_assert!(found > 0, "Person {i} in no imported, skipped or refused row");
                    }
                    let names: Vec<String> = db.decisions(&ev).into_iter().map(|d| d.name).collect();
                    for i in (1..=12).filter(|i| !damages.iter().any(|(r, _)| r < i)) {
                        prop_assert!(
                            names.contains(&format!("Person {i} Wójcik")),
                            "Person {i} before any damage dropped or garbled: {names:?}"
                        );
                    }
                }
                Err(StoreError::Import(e)) => {
                    if let ImportError::Rows { errors, .. } = &e {
                        prop_assert!(errors.iter().all(|r| r.line >= 1 && !r.column.trim().is_empty()), "{e}");
                    }
                    prop_assert!(e.to_string().starts_with("damaged.csv"), "{e}");
                    prop_assert_eq!(state(&db), before, "a refused import changed the database");
                }
                Err(other) => return Err(TestCaseError::fail(format!("not an import error: {other}"))),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
