//! Several `attest serve` processes on one SQLite file (issue 19): what staff start on both at
//! once happens once.

use crate::harness::{self, Db, TestApp, process::Serve};
use attest::staff::Role;
use axum::http::StatusCode;

/// Eligible people in the event: enough rendering (a second or more) that two runs started
/// together overlap, in one batch, so that without the fix both sign the same positions.
const PEOPLE: usize = 120;

/// Bulk issue of one event started on two servers at the same moment: one certificate per
/// eligible person, each status position once, each PDF once; the second request answers 409
/// (or, had it come after the first had finished, 200 with nothing new), never 500. Both
/// servers used to read the same highest status position, sign the same numbers, and the later
/// batch failed on the unique index: a 500.
#[test]
fn bulk_issue_started_on_two_servers_at_once_issues_each_certificate_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let slug = event_of(&db, "twice", PEOPLE);
    let token = harness::app::api_token(&db, "issuer@coe.int", Role::Admin);
    // One after the other: the first start makes the signing keys the second one reads.
    let servers = [Serve::start(&db), Serve::start(&db)];
    let path = format!("/api/v1/events/{slug}/certificates");
    let answers = at_once(&servers, &[&path, &path], &token);
    let mut issued = 0;
    for (status, body) in &answers {
        match status {
            200 => issued += serde_json::from_str::<serde_json::Value>(body).unwrap()["issued"].as_u64().unwrap(),
            409 => assert!(body.contains("already being issued"), "{body}"),
            other => panic!("{other}: {body} (answers: {answers:?})"),
        }
    }
    assert_eq!(issued, PEOPLE as u64, "{answers:?}");
    let count = |sql: &str| harness::count(&db, sql);
    assert_eq!(count("SELECT count(*) FROM certificates"), PEOPLE as i64);
    assert_eq!(count("SELECT count(DISTINCT person_key) FROM certificates"), PEOPLE as i64, "one per person");
    assert_eq!(count("SELECT count(DISTINCT status_position) FROM certificates"), PEOPLE as i64, "positions once");
    assert_eq!(count("SELECT count(DISTINCT pdf_sha256) FROM certificates"), PEOPLE as i64, "each PDF once");
    assert_eq!(count("SELECT count(*) FROM certificates WHERE status <> 'valid'"), 0);
    // Asked again on either server: nothing new, and no error.
    for server in &servers {
        let (status, body) = server.request("POST", &path, &token);
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("\"issued\":0"), "{body}");
    }
}

/// Bulk issues of two different events, one on each server, at the same moment: both run, and
/// no status position is signed into two certificates. Each used to start from the same highest
/// stored position; the later batch failed on the unique index (a 500).
#[test]
fn bulk_issues_of_two_events_on_two_servers_at_once_use_distinct_status_positions() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let slugs = [event_of(&db, "one", PEOPLE), event_of(&db, "two", PEOPLE)];
    let token = harness::app::api_token(&db, "issuer@coe.int", Role::Admin);
    let servers = [Serve::start(&db), Serve::start(&db)];
    let paths = slugs.map(|s| format!("/api/v1/events/{s}/certificates"));
    let answers = at_once(&servers, &[&paths[0], &paths[1]], &token);
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body} (answers: {answers:?})");
        assert!(body.contains(&format!("\"issued\":{PEOPLE}")), "{body}");
    }
    let count = |sql: &str| harness::count(&db, sql);
    assert_eq!(count("SELECT count(*) FROM certificates"), 2 * PEOPLE as i64);
    assert_eq!(count("SELECT count(DISTINCT status_position) FROM certificates"), 2 * PEOPLE as i64);
}

/// A new event `slug` in the database at `db` with `people` eligible attendees; its slug.
fn event_of(db: &std::path::Path, slug: &str, people: usize) -> String {
    let mut d = Db::at(db);
    let event = d.event(slug, None);
    let report = harness::webinar_report(false, false, people, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    d.import_bytes(&event, "report.csv", report.as_bytes(), None, None).unwrap();
    event.slug
}

/// `POST paths[i]` to `servers[i]`, all sent at the same moment from threads of their own; the
/// answers in the servers' order.
fn at_once(servers: &[Serve], paths: &[&str], token: &str) -> Vec<(u16, String)> {
    let start = std::sync::Barrier::new(servers.len());
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let calls: Vec<_> = servers
            .iter()
            .zip(paths)
            .map(|(server, path)| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    server.request("POST", path, token)
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    eprintln!("answers: {:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    answers
}

/// While another process issues an event (its lock held), both doors of this server say so
/// with a 409: the console with a page saying the certificates are already being issued (it
/// used to start a run that then stopped), the API as JSON; once the lock is free, issuing
/// starts.
#[tokio::test]
async fn while_another_process_issues_an_event_the_console_and_the_api_answer_409() {
    let app =
        TestApp::new().issuing().staff("admin@coe.int", Role::Admin, Some("a long enough password")).token().build();
    let slug = event_of(&app.db, "busy", 3);
    let conn = harness::open_db(&app.db);
    let event = attest::store::events::get(&conn, &slug).unwrap();
    let held = attest::store::locks::try_issue(&conn, event.id).unwrap().expect("free");
    let s = app.sign_in().await;
    let issue = format!("/staff/events/{slug}/issue");
    let page = app.send(harness::form(&issue, &s.cookie, &format!("csrf={}", s.csrf))).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("already being issued"), "{}", page.body);
    let (status, body) = app.json("POST", &format!("/api/v1/events/{slug}/certificates"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].as_str().unwrap().contains("already being issued"), "{body}");
    assert_eq!(app.count("SELECT count(*) FROM certificates"), 0);
    drop(held);
    let (status, body) = app.json("POST", &format!("/api/v1/events/{slug}/certificates"), None).await;
    assert_eq!((status, &body["issued"]), (StatusCode::OK, &serde_json::json!(3)), "{body}");
}
