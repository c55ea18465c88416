//! Large-event benchmark (issue 23, item 4): the console's event page, the console's attendance
//! page and the API's attendance list on a 100,000-row and a 500,000-row event (a
//! 10,000-person and a 50,000-person webinar with ten connections each), served by the real
//! router in-process with a staff session and an API token, against a database file.
//!
//! For each size it prints the time of the first request after the import (the event's
//! decisions are made once and stored), then the median and worst of `REQUESTS` (default 20)
//! later requests, and the peak memory (VmHWM, reset before each phase through
//! `/proc/self/clear_refs`) above the resident memory before it.
//!
//! Run with `cargo bench --bench event_page`; `SIZES=100000` runs one size. A benchmark, not a
//! test: nothing here asserts a time.

#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first thing that fails; its message is the report")]

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use attest::import::ImportOptions;
use attest::store;
use attest::store::Store;
use attest::web::{self, AppState, Mailer, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use tower::ServiceExt;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PASSWORD: &str = "a long benchmark password";

/// A Zoom participants export of `rows` rows: `rows / 10` people, each with ten connections.
fn export(rows: usize) -> String {
    let start = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap().and_hms_opt(9, 58, 0).unwrap();
    let mut s = String::with_capacity(rows * 110);
    s.push_str("Name (original name),Email,Join time,Leave time,Duration (minutes),Guest\n");
    let fmt = "%m/%d/%Y %I:%M:%S %p";
    let mut x: u64 = 23;
    for i in 0..rows {
        let person = i / 10;
        let slot = (i % 10) as i64;
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let join = start + chrono::Duration::seconds(slot * 600 + (x >> 40) as i64 % 60);
        let leave = join + chrono::Duration::seconds(300 + (x >> 20) as i64 % 300);
        let mins = ((leave - join).num_seconds() + 59) / 60;
        let _ = writeln!(
            s,
            "Participant {person},person{person}@example.org,\"{}\",\"{}\",{mins},Yes",
            join.format(fmt),
            leave.format(fmt)
        );
    }
    s
}

/// Resident memory now and its peak since the last reset, in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak (VmHWM) to the current resident memory (Linux 4.0 and later).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn get(app: &axum::Router, uri: &str, headers: &[(header::HeaderName, String)]) -> (StatusCode, usize) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, body.len())
}

async fn measure(app: &axum::Router, what: &str, uri: &str, headers: &[(header::HeaderName, String)], n: usize) {
    reset_peak();
    let (rss, _) = memory();
    let t = Instant::now();
    let (status, bytes) = get(app, uri, headers).await;
    let first = t.elapsed();
    let (_, first_peak) = memory();
    assert_eq!(status, StatusCode::OK, "{what}");
    reset_peak();
    let (rss2, _) = memory();
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let (status, _) = get(app, uri, headers).await;
        times.push(t.elapsed());
        assert_eq!(status, StatusCode::OK, "{what}");
    }
    let (_, peak) = memory();
    times.sort();
    println!(
        "  {what:<34} first {:>8.1} ms (+{:>4} MiB peak) | then median {:>6.1} ms, worst {:>6.1} ms (+{:>3} MiB peak), {} KiB answer",
        first.as_secs_f64() * 1e3,
        first_peak.saturating_sub(rss) / 1024,
        times[n / 2].as_secs_f64() * 1e3,
        times[n - 1].as_secs_f64() * 1e3,
        peak.saturating_sub(rss2) / 1024,
        bytes / 1024,
    );
}

async fn run(rows: usize, requests: usize) {
    let dir = std::env::temp_dir().join(format!("attest-bench-event-{}-{rows}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bench.sqlite3");
    let now = chrono::Utc::now();
    {
        let mut conn = store::open(&path).unwrap();
        let event = common::create(&conn, &common::new_event("big", "A very large webinar"), "bench");
        let data = export(rows);
        let t = Instant::now();
        let opts = ImportOptions::in_zone(chrono_tz::Europe::Paris);
        common::import(&mut conn, &event, "big.csv", data.as_bytes(), &opts);
        println!("{rows} rows ({} people), imported in {:.1} s", rows / 10, t.elapsed().as_secs_f64());
        let (_, link) =
            attest::staff::add(&conn, "bench@example.org", attest::staff::Role::Admin, "bench", now).unwrap();
        attest::staff::complete_setup(&mut conn, link.expose(), None, PASSWORD, now).unwrap();
    }
    let conn = store::open(&path).unwrap();
    let (_, session) = attest::staff::login(&conn, "bench@example.org", PASSWORD, now).unwrap().signed_in().unwrap();
    let token = attest::staff::create_token(&conn, "bench@example.org", "bench", None, "bench", now).unwrap();
    drop(conn);
    let config = WebConfig {
        public_url: "http://127.0.0.1".into(),
        issuer: "Bench".into(),
        code_lookups_per_minute: 1000,
        mail_from: "attest <bench@localhost>".into(),
        link_hours: 72,
        max_upload_bytes: attest::import::MAX_UPLOAD_BYTES,
        trusted_proxies: Vec::new(),
        verdict_ttl: Duration::from_secs(2),
        mail_per_minute: 0,
        max_import_rows: web::DEFAULT_MAX_IMPORT_ROWS,
    };
    let state = AppState::new(
        Store::open(&attest::store::Location::Sqlite(path.clone()), 4).unwrap(),
        config,
        None,
        Mailer::Outbox(dir.join("outbox")),
    )
    .unwrap();
    let app = web::app(state);
    let cookie = vec![(header::COOKIE, format!("attest_session={}", session.cookie.expose()))];
    let bearer = vec![(header::AUTHORIZATION, format!("Bearer {}", token.expose()))];
    measure(&app, "console event page", "/staff/events/big", &cookie, requests).await;
    measure(&app, "console attendance page 1 (500)", "/staff/events/big/attendance", &cookie, requests).await;
    measure(&app, "API attendance, first 1000", "/api/v1/events/big/attendance", &bearer, requests).await;
    let last = (rows / 10).saturating_sub(1000);
    measure(
        &app,
        "API attendance, last 1000",
        &format!("/api/v1/events/big/attendance?offset={last}"),
        &bearer,
        requests,
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let requests: usize = std::env::var("REQUESTS").ok().and_then(|r| r.parse().ok()).unwrap_or(20).max(1);
    let sizes: Vec<usize> = std::env::var("SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|v| v.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 500_000]);
    for rows in sizes {
        run(rows, requests).await;
    }
}
