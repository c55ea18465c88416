//! Import benchmark: generates a 100,000-row Zoom participants export (2024/25 layout, quoted
//! 12-hour dates, reconnects, waiting-room rows) and imports it into a fresh on-disk database,
//! then decides attendance. Prints the time of each stage; the import runs `ROUNDS` times (default
//! 5), each into a fresh database.
//!
//! Then, on the same machine in the same run (issue 22), the yardsticks: Python's `csv` module
//! reading the same file, and, when `openpyxl` is importable, the same export as a 100,000-row
//! `.xlsx` imported by attest against openpyxl reading it in read-only mode. Each is a median.
//!
//! Run with `cargo bench --bench import`. A benchmark, not a test: nothing here asserts a time.

#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first thing that fails; its message is the report")]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use attest::import::ImportOptions;
use attest::store::{self, Conn, events::Event};
use chrono::{Duration, NaiveDate};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 100_000;

fn export() -> String {
    let start = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap().and_hms_opt(9, 58, 0).unwrap();
    let mut s = String::with_capacity(ROWS * 130);
    s.push_str("Topic,ID,Host,Duration (minutes),Start time,End time,Participants\n");
    let fmt = "%m/%d/%Y %I:%M:%S %p";
    let _ = writeln!(
        s,
        "Benchmark seminar,81234567890,Secretariat (sec@example.org),104,\"{}\",\"{}\",{}",
        start.format(fmt),
        (start + Duration::minutes(104)).format(fmt),
        ROWS / 2
    );
    s.push_str("\nName (original name),Email,Join time,Leave time,Duration (minutes),Guest,Recording disclaimer response,In waiting room\n");
    let mut x: u64 = 42;
    for i in 0..ROWS {
        // Two rows per person on average: a reconnect, sometimes overlapping.
        let person = i / 2;
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let join = start + Duration::seconds((x >> 40) as i64 % 3000);
        let leave = join + Duration::seconds(60 + (x >> 20) as i64 % 4000);
        let mins = ((leave - join).num_seconds() + 59) / 60;
        let email = if person % 5 == 0 { String::new() } else { format!("person{person}@example.org") };
        let _ = writeln!(
            s,
            "Participant {person} (Pärticipant {person}),{email},\"{}\",\"{}\",{mins},Yes,OK,{}",
            join.format(fmt),
            leave.format(fmt),
            if i % 50 == 0 { "Yes" } else { "No" }
        );
    }
    s
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let t = Instant::now();
    let data = export();
    println!("engine: {}", common::engine());
    println!("generated {ROWS} rows, {:.1} MiB, in {:?}", data.len() as f64 / 1048576.0, t.elapsed());
    let opts = ImportOptions::in_zone(chrono_tz::Europe::Paris);
    let (mut times, (conn, event, dir)) = import_rounds(&data, &opts, rounds);
    if std::env::var("IMPORT_ONLY").is_ok() {
        // For a profiler: the import rounds and nothing else.
        return;
    }

    let t = Instant::now();
    let parsed = attest::import::parse("bench.csv", data.as_bytes(), &opts, false).unwrap();
    let parse = t.elapsed().as_secs_f64();
    assert_eq!(parsed.connections.len(), ROWS);
    drop(parsed);
    println!("parse only:              {:>8.0} ms", parse * 1e3);

    let t = Instant::now();
    let decisions = store::people::decisions(&conn, &event).unwrap();
    let decide = t.elapsed();
    println!("attendance decision:     {:>8.0} ms  ({} people)", decide.as_secs_f64() * 1e3, decisions.len());
    drop(conn);
    std::fs::remove_dir_all(&dir).ok();

    // The yardsticks of issue 22, same machine, same run.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-bench-{}-files", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let csv_path = tmp.join("bench.csv");
    std::fs::write(&csv_path, &data).unwrap();
    against_python_csv(&csv_path, common::median(&mut times), parse);
    against_openpyxl(&csv_path, &tmp.join("bench.xlsx"), &opts);
    std::fs::remove_dir_all(&tmp).ok();
}

/// Imports `data` `rounds` times, each into a fresh on-disk database (in memory with `MEM` set),
/// as a first import of an event does; prints each round and the median. Returns the times in
/// seconds and the last round's database, event and folder.
///
/// The first round runs on memory the process has never touched, as `attest import` does (on
/// this VM, fresh memory is dear and varies: see the README); later rounds reuse the allocator's
/// memory. One round varies by a fifth, so the median is the figure to quote.
fn import_rounds(data: &str, opts: &ImportOptions, rounds: usize) -> (Vec<f64>, (Conn, Event, PathBuf)) {
    let mut times = Vec::new();
    let mut last = None;
    for round in 0..rounds {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-bench-{}-{round}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn =
            if std::env::var("MEM").is_ok() { store::open_in_memory().unwrap() } else { common::database(&dir) };
        let event = common::create(&conn, &common::new_event("bench", "Benchmark seminar"), "cli");
        let t = Instant::now();
        let out = common::import(&mut conn, &event, "bench.csv", data.as_bytes(), opts);
        let import = t.elapsed();
        assert!(matches!(out, store::imports::Outcome::Imported(_)));
        // What the import leaves for after its answer (the service runs it on its blocking
        // pool once the answer has gone; the command line at its close): shown, not hidden.
        let t = Instant::now();
        conn.checkpoint().unwrap();
        let checkpoint = t.elapsed();
        println!(
            "import (parse + store), round {}: {:>6.0} ms  ({:.0} rows/s); checkpoint after it {:.0} ms",
            round + 1,
            import.as_secs_f64() * 1e3,
            ROWS as f64 / import.as_secs_f64(),
            checkpoint.as_secs_f64() * 1e3
        );
        times.push(import.as_secs_f64());
        if let Some((old_conn, _, old_dir)) = last.replace((conn, event, dir)) {
            drop(old_conn);
            std::fs::remove_dir_all(old_dir).ok();
        }
    }
    let first = times[0];
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "import: first round {:.0} ms; median {:.0} ms, best {:.0} ms, worst {:.0} ms over {rounds} rounds",
        first * 1e3,
        sorted[sorted.len() / 2] * 1e3,
        sorted[0] * 1e3,
        sorted[sorted.len() - 1] * 1e3
    );
    (times, last.expect("at least one round"))
}

/// Python's `csv` module reading the same file, against attest's median import and its parse.
fn against_python_csv(csv_path: &Path, import: f64, parse: f64) {
    match python(PY_CSV, &[csv_path.to_str().unwrap()]) {
        Some(py) => {
            println!("python csv.reader, same file: {:>5.0} ms (median of 5)", py * 1e3);
            println!(
                "ratio: import {:.1}× python csv, parse only {:.1}× (issue 22 goal: import ≤ 3×)",
                import / py,
                parse / py
            );
        }
        None => println!("python csv: skipped (no python3)"),
    }
}

/// The same export as a 100,000-row `.xlsx` (written by openpyxl) imported by attest, against
/// openpyxl reading it in read-only mode; skipped when python3 cannot import openpyxl.
fn against_openpyxl(csv_path: &Path, xlsx_path: &Path, opts: &ImportOptions) {
    if python(PY_WRITE_XLSX, &[csv_path.to_str().unwrap(), xlsx_path.to_str().unwrap()]).is_none() {
        println!("xlsx: skipped (python3 cannot import openpyxl)");
        return;
    }
    let xlsx = std::fs::read(xlsx_path).unwrap();
    let mut xt = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let parsed = attest::import::parse("bench.xlsx", &xlsx, opts, false).unwrap();
        xt.push(t.elapsed().as_secs_f64());
        assert_eq!(parsed.connections.len(), ROWS);
    }
    let mut conn = store::open_in_memory().unwrap();
    let event = common::create(&conn, &common::new_event("xlsx", "Benchmark seminar"), "cli");
    let t = Instant::now();
    common::import(&mut conn, &event, "bench.xlsx", &xlsx, opts);
    let ximport = t.elapsed().as_secs_f64();
    let xparse = common::median(&mut xt);
    println!(
        "xlsx ({:.1} MiB): parse only {:.0} ms (median of 3); import (parse + SQLite, in memory) {:.0} ms",
        xlsx.len() as f64 / 1048576.0,
        xparse * 1e3,
        ximport * 1e3
    );
    if let Some(py) = python(PY_READ_XLSX, &[xlsx_path.to_str().unwrap()]) {
        println!("openpyxl read-only, same file: {:>5.0} ms (median of 3)", py * 1e3);
        println!(
            "ratio: xlsx import {:.2}× openpyxl, parse only {:.2}× (issue 22 goal: ≤ 3×)",
            ximport / py,
            xparse / py
        );
    }
}

/// Times reading the file with Python's csv module; prints the median of 5 in seconds.
const PY_CSV: &str = r#"
import csv, sys, time
ts = []
for _ in range(5):
    t = time.perf_counter()
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        n = sum(1 for _ in csv.reader(f))
    ts.append(time.perf_counter() - t)
ts.sort()
print(ts[2])
"#;

/// Writes the CSV's rows as an .xlsx (dates as Excel dates, numbers as numbers); prints 0.
const PY_WRITE_XLSX: &str = r#"
import csv, sys, datetime
from openpyxl import Workbook
wb = Workbook(write_only=True)
ws = wb.create_sheet("Participants")
def cell(v):
    try:
        return datetime.datetime.strptime(v, "%m/%d/%Y %I:%M:%S %p")
    except ValueError:
        pass
    return int(v) if v.isdigit() and not v.startswith("0") else v
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        ws.append([cell(v) for v in row])
wb.save(sys.argv[2])
print(0)
"#;

/// Times openpyxl reading every cell in read-only mode; prints the median of 3 in seconds.
const PY_READ_XLSX: &str = r#"
import sys, time
from openpyxl import load_workbook
ts = []
for _ in range(3):
    t = time.perf_counter()
    wb = load_workbook(sys.argv[1], read_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
    ts.append(time.perf_counter() - t)
ts.sort()
print(ts[1])
"#;

/// Runs a Python snippet; its last line of output, as seconds, or `None` if it cannot run.
fn python(script: &str, args: &[&str]) -> Option<f64> {
    let out = std::process::Command::new("python3").arg("-c").arg(script).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).lines().last()?.trim().parse().ok()
}
