//! Import benchmark: generates a 100,000-row Zoom participants export (2024/25 layout, quoted
//! 12-hour dates, reconnects, waiting-room rows) and imports it into a fresh on-disk database,
//! then decides attendance. Prints the time of each stage; the import runs `ROUNDS` times (default
//! 5), each into a fresh database.
//!
//! Run with `cargo bench --bench import`. A benchmark, not a test: nothing here asserts a time.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use attest::import::ImportOptions;
use attest::store::{self, events::NewEvent, imports::Upload};
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
    println!("generated {ROWS} rows, {:.1} MiB, in {:?}", data.len() as f64 / 1048576.0, t.elapsed());
    let opts = ImportOptions::in_zone(chrono_tz::Europe::Paris);

    // Each round imports into a fresh on-disk database, as a first import of an event does. The
    // first round runs on memory the process has never touched, as `attest import` does (on this
    // VM, fresh memory is dear and varies: see the README); later rounds reuse the allocator's
    // memory. One round varies by a fifth, so the median is the figure to quote.
    let mut times = Vec::new();
    let mut last = None;
    for round in 0..rounds {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-bench-{}-{round}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = if std::env::var("MEM").is_ok() {
            store::open_in_memory().unwrap()
        } else {
            store::open(&dir.join("bench.sqlite3")).unwrap()
        };
        let now = chrono::Utc::now();
        let event = store::events::create(
            &conn,
            &NewEvent {
                slug: "bench".into(),
                title: "Benchmark seminar".into(),
                series: None,
                starts_at: None,
                ends_at: None,
                timezone: chrono_tz::Europe::Paris,
                language: "en".into(),
                rule: attest::attendance::Rule::MinPercent(75),
                panelists_eligible: false,
                template: None,
            },
            "cli",
            now,
        )
        .unwrap();
        let t = Instant::now();
        let out = store::imports::import_files(
            &mut conn,
            &event,
            &[Upload { file_name: "bench.csv", bytes: data.as_bytes() }],
            &opts,
            false,
            "cli",
            now,
        )
        .unwrap();
        let import = t.elapsed();
        assert!(matches!(out[0], store::imports::Outcome::Imported(_)));
        println!(
            "import (parse + SQLite), round {}: {:>6.0} ms  ({:.0} rows/s)",
            round + 1,
            import.as_secs_f64() * 1e3,
            ROWS as f64 / import.as_secs_f64()
        );
        times.push(import.as_secs_f64());
        if let Some((old_conn, _, old_dir)) = last.replace((conn, event, dir)) {
            drop(old_conn);
            std::fs::remove_dir_all(old_dir).ok();
        }
    }
    let first = times[0];
    times.sort_by(f64::total_cmp);
    println!(
        "import: first round {:.0} ms; median {:.0} ms, best {:.0} ms, worst {:.0} ms over {rounds} rounds",
        first * 1e3,
        times[times.len() / 2] * 1e3,
        times[0] * 1e3,
        times[times.len() - 1] * 1e3
    );

    let t = Instant::now();
    let parsed = attest::import::parse("bench.csv", data.as_bytes(), &opts, false).unwrap();
    let parse = t.elapsed();
    assert_eq!(parsed.connections.len(), ROWS);
    drop(parsed);
    println!("parse only:              {:>8.0} ms", parse.as_secs_f64() * 1e3);

    let (conn, event, dir) = last.expect("at least one round");
    let t = Instant::now();
    let decisions = store::people::decisions(&conn, &event).unwrap();
    let decide = t.elapsed();
    println!("attendance decision:     {:>8.0} ms  ({} people)", decide.as_secs_f64() * 1e3, decisions.len());
    drop(conn);
    std::fs::remove_dir_all(&dir).ok();
}
