//! Bulk delivery benchmark: 1,000 certificates mailed through a local SMTP server (an
//! in-process one on loopback that answers like Postfix and keeps nothing but a count), with no
//! rate limit, once with the download link only and once with the PDF attached. Each mail is
//! claimed, committed, composed, sent over its own SMTP connection and recorded, exactly as
//! `attest send` and the console do. Prints mails per second.
//!
//! One real certificate is issued and copied 999 times under new codes and addresses (issuing is
//! `benches/issue.rs`'s subject, not this one's).
//!
//! Run with `cargo bench --bench deliver`. A benchmark, not a test: nothing here asserts a time.

#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first thing that fails; its message is the report")]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use attest::certificate::Renderer;
use attest::delivery::{self, MailSettings, Mailer, Pace};
use attest::import::ImportOptions;
use attest::issuance::{self, Issuer};
use attest::store::{self, events::NewEvent};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MAILS: usize = 1000;

/// A minimal SMTP server: one thread per connection, every command accepted.
fn smtp_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let received = Arc::new(AtomicUsize::new(0));
    let r = Arc::clone(&received);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let r = Arc::clone(&r);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let _ = conn.write_all(b"220 bench ESMTP\r\n");
                let (mut line, mut in_data) = (String::new(), false);
                while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    let l = line.trim_end().to_ascii_uppercase();
                    line.clear();
                    let answer: &[u8] = if in_data {
                        if l != "." {
                            continue;
                        }
                        in_data = false;
                        let n = r.fetch_add(1, Ordering::Relaxed);
                        let _ = conn.write_all(format!("250 2.0.0 Ok: queued as B{n}\r\n").as_bytes());
                        continue;
                    } else if l.starts_with("EHLO") {
                        b"250-bench\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                    } else if l.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if l.starts_with("QUIT") {
                        let _ = conn.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    if conn.write_all(answer).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, received)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-bench-deliver-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("bench.sqlite3");
    let mut conn = store::open(&db).unwrap();
    let now = chrono::Utc::now();
    let event = store::events::create(
        &conn,
        &NewEvent {
            starts_at: Some(chrono::DateTime::parse_from_rfc3339("2025-03-14T09:00:00Z").unwrap().to_utc()),
            ends_at: Some(chrono::DateTime::parse_from_rfc3339("2025-03-14T10:40:00Z").unwrap().to_utc()),
            timezone: chrono_tz::UTC,
            rule: attest::attendance::Rule::MinMinutes(10),
            ..common::new_event("bench", "Freedom of expression, hate speech and the ECHR")
        },
        "bench",
        now,
    )
    .unwrap();
    let csv = "Name (Original Name),User Email,Join Time,Leave Time\n\"Żaneta Wójcik\",p0@example.org,2025-03-14 09:00:00,2025-03-14 10:40:00\n";
    common::import(&mut conn, &event, "r.csv", csv.as_bytes(), &ImportOptions::in_zone(chrono_tz::UTC));
    let renderer = Renderer::load(&root.join("assets"), &root.join("fonts")).unwrap();
    let secret = attest::trust::token::active(&conn, &dir.join("keys"), now).unwrap();
    let settings = common::settings();
    let pdf = attest::trust::pdf_signature::active(&dir.join("keys"), &settings.issuer, now).unwrap();
    let issuer = Issuer { renderer: &renderer, secret: &secret, pdf: &pdf, settings: &settings, actor: "bench" };
    issuance::issue_event(&mut conn, issuer, &event, false, now, &|_| {}).unwrap();
    // 999 copies of the record under new codes and addresses (no status-list position: unique).
    let tx = conn.sqlite_for_tests_mut().transaction().unwrap();
    for i in 1..MAILS {
        tx.execute(
            "INSERT INTO certificates (id, event_id, person_key, name, email, language, minutes, issued_at, kid, token, status, pdf_sha256, pdf, file_name)
             SELECT ?1, event_id, ?2, name, ?3, language, minutes, issued_at, kid, token, status, pdf_sha256, pdf, file_name
             FROM certificates LIMIT 1",
            (format!("{:0>26}", i), format!("email:p{i}@example.org"), format!("p{i}@example.org")),
        )
        .unwrap();
    }
    tx.commit().unwrap();
    drop(conn);

    let (url, received) = smtp_server();
    let mailer = Mailer::from_config(Some(&url), dir.join("outbox")).unwrap();
    let mail = MailSettings {
        public_url: settings.public_url.clone(),
        issuer: settings.issuer.clone(),
        mail_from: "attest <no-reply@example.org>".into(),
        link_hours: 72,
    };
    let db = Mutex::new(store::open(&db).unwrap());
    let pace = Pace::per_minute(0);
    println!("bulk delivery of {MAILS} certificates to a local SMTP server, no rate limit:");
    for attach in [false, true] {
        let queued = db.with_conn(|c| delivery::queue(c, &event, delivery::Mode::New, attach, "bench", now).unwrap());
        let before = received.load(Ordering::Relaxed);
        let t = Instant::now();
        let report = delivery::send_queued(&db, &event, &mailer, &pace, &mail, delivery::STALE_AFTER, &|| {}).unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert_eq!((queued, report.sent, received.load(Ordering::Relaxed) - before), (MAILS, MAILS, MAILS));
        println!(
            "  {}: {MAILS} mails in {secs:.2} s, {:.0} mails/s",
            if attach { "with the PDF attached" } else { "link only" },
            MAILS as f64 / secs
        );
        // Empty the records for the next round.
        db.with_conn(|c| c.sqlite_for_tests().execute("DELETE FROM deliveries", []).unwrap());
    }
    std::fs::remove_dir_all(&dir).ok();
}

trait WithConn {
    fn with_conn<T>(&self, f: impl FnOnce(&mut attest::store::Conn) -> T) -> T;
}

impl WithConn for Mutex<attest::store::Conn> {
    fn with_conn<T>(&self, f: impl FnOnce(&mut attest::store::Conn) -> T) -> T {
        f(&mut self.lock().unwrap())
    }
}
