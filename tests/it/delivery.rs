//! Bulk delivery by email (issue 12, item 2), against a real SMTP server on loopback: every
//! valid certificate mailed once in its language with a working one-time link (and the PDF
//! when asked); a second send sends nothing; retry after refusals sends only the refused ones;
//! a sender killed mid-send (`attest send`, SIGKILL while the server holds its answer) loses no
//! record and mails nobody twice on restart; every new route refuses without sign-in, token or
//! CSRF token; and nothing personal reaches the logs, not even the SMTP server's refusal that
//! quotes the address.

use crate::harness;
use crate::harness::smtp::Smtp;

use std::collections::HashSet;

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use attest::issuance::{self, Issuer};
use attest::store::{self, certificates::Certificate, imports::Upload};
use attest::web::{self, Mailer};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use harness::{count, form};
use serde_json::{Value, json};

const STAFF: &str = "ops@coe.int";
const PASSWORD: &str = "a long staff password";

/// The text part of a raw message, decoded (quoted-printable or base64).
fn body_text(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    let start = lower.find("content-type: text/plain").expect("a text part");
    // The header block holding that line: the message's own, or the part's.
    let block = raw[..start].rfind("\n\n").map_or(0, |i| i + 2);
    let head_end = start + raw[start..].find("\n\n").unwrap();
    let (head, rest) = (raw[block..head_end].to_ascii_lowercase(), &raw[head_end + 2..]);
    let body = rest.split("\n--").next().unwrap();
    if head.contains("base64") {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).unwrap()).unwrap()
    } else if head.contains("quoted-printable") {
        let unfolded = body.replace("=\n", "");
        let b = unfolded.as_bytes();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < b.len() {
            let hex = (b[i] == b'=' && i + 2 < b.len())
                .then(|| std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()))
                .flatten();
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_owned()
    }
}

fn link_in(text: &str) -> String {
    let at = text.find("/download/").expect("a download link");
    text[at..].split_whitespace().next().unwrap().to_owned()
}

// ---------------------------------------------------------------------------------------------
// An issued event in a database file, and the service over it.

struct Fixture {
    db: PathBuf,
    /// Valid certificates with an email, after one was reissued in French and one in Spanish.
    certs: Vec<Certificate>,
    dir: tempfile::TempDir,
}

fn issued() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let mut conn = harness::open_db(&db);
    let now = chrono::Utc::now();
    let (_, link) = attest::staff::add(&conn, STAFF, attest::staff::Role::Admin, "test", now).unwrap();
    attest::staff::complete_setup(&mut conn, link.expose(), None, PASSWORD, now).unwrap();
    let ev = store::events::create(&conn, &harness::new_event("echr", "Freedom of expression"), "test", now).unwrap();
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let opts = attest::import::ImportOptions {
        event_title: Some(ev.title.clone()),
        ..attest::import::ImportOptions::in_zone(chrono_tz::UTC)
    };
    store::imports::import_files(
        &mut conn,
        &ev,
        &[Upload { file_name: "r.csv", bytes: &csv }],
        &opts,
        false,
        "test",
        now,
    )
    .unwrap();
    let secret = attest::trust::token::active(&conn, &dir.path().join("keys"), now).unwrap();
    let settings = harness::settings();
    let issuer = || Issuer {
        renderer: harness::renderer(),
        secret: &secret,
        pdf: harness::pdf_signer(),
        settings: &settings,
        actor: "test",
    };
    issuance::issue_event(&mut conn, issuer(), &ev, false, now, &|_| {}).unwrap();
    let certs = store::certificates::for_event(&conn, ev.id).unwrap();
    let with_email: Vec<_> = certs.iter().filter(|c| c.email.is_some()).collect();
    assert!(with_email.len() >= 5, "the fixture has enough attendees with an email");
    issuance::reissue(&mut conn, issuer(), &with_email[0].id, None, Some(attest::language::Language::Fr), now).unwrap();
    issuance::reissue(&mut conn, issuer(), &with_email[1].id, None, Some(attest::language::Language::Es), now).unwrap();
    let certs = store::certificates::for_event(&conn, ev.id)
        .unwrap()
        .into_iter()
        .filter(|c| c.status == "valid" && c.email.is_some())
        .collect();
    Fixture { db, certs, dir }
}

fn api_token(db: &Path) -> String {
    let conn = harness::open_db(db);
    attest::staff::create_token(&conn, STAFF, "ci", None, "test", chrono::Utc::now()).unwrap().expose().to_owned()
}

/// Where each test of the mailing starts, when it runs alone (the log must hold only its own
/// lines: harness::logs): its log captured, an issued event and a mail server. `None`: the test
/// shares the process with others and is skipped.
fn alone_with_mail(test: &str) -> Option<(Fixture, Smtp)> {
    if !harness::logs::alone(module_path!(), test) {
        return None;
    }
    harness::logs::capture();
    Some((issued(), Smtp::start()))
}

fn app(f: &Fixture, smtp: &Smtp) -> axum::Router {
    let config = harness::web_config(&harness::settings(), 100);
    let mailer = Mailer::from_config(Some(&smtp.url()), f.dir.path().join("unused-outbox")).unwrap();
    web::app(harness::app::state(&f.db, 2, config, None, mailer))
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = harness::send_to(app, req).await;
    (res.status, res.headers, res.bytes)
}

async fn api(app: &axum::Router, token: &str, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    harness::app::api_json(app, token, method, uri, body).await
}

/// Polls the event's delivery until no sender runs and nothing is queued or being sent.
async fn settled(app: &axum::Router, token: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, v) = api(app, token, "GET", "/api/v1/events/echr/deliveries", None).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        if v["running"] == false && v["counts"]["queued"] == 0 && v["counts"]["sending"] == 0 {
            return v;
        }
        assert!(Instant::now() < deadline, "delivery did not finish: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_certificate_is_mailed_once_in_its_language_with_a_working_link() {
    let Some((f, smtp)) = alone_with_mail("each_certificate_is_mailed_once_in_its_language_with_a_working_link") else {
        return;
    };
    let app = app(&f, &smtp);
    let token = api_token(&f.db);
    let n = f.certs.len();

    // A dry run says how many and sends nothing.
    let (status, v) = api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({"dry_run": true}))).await;
    assert_eq!((status, v["queued"].as_u64()), (StatusCode::OK, Some(n as u64)), "{v}");
    assert_eq!(count(&f.db, "SELECT count(*) FROM deliveries"), 0);

    let (status, v) =
        api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({"attach_pdf": true}))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["queued"], n);
    // A second send while the first runs queues nothing and starts no second sender.
    let (status, v) = api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({}))).await;
    assert_eq!((status, v["queued"].as_u64()), (StatusCode::ACCEPTED, Some(0)), "{v}");
    let v = settled(&app, &token).await;
    assert_eq!(v["counts"]["sent"], n, "{v}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), n, "one mail per certificate");
    let recipients: HashSet<_> = messages.iter().map(|(r, _)| r.clone()).collect();
    let expected: HashSet<_> = f.certs.iter().map(|c| c.email.clone().unwrap()).collect();
    assert_eq!(recipients, expected);
    for rec in v["records"].as_array().unwrap() {
        assert!(rec["answer"].as_str().unwrap().starts_with("250 2.0.0 Ok: queued as Q"), "{rec}");
        assert!(rec["message_id"].as_str().unwrap().ends_with("@example.org>"), "{rec}");
    }

    for c in &f.certs {
        let (_, raw) = messages.iter().find(|(r, _)| Some(r) == c.email.as_ref()).unwrap();
        let text = body_text(raw);
        let greeting = match c.language.code() {
            "fr" => "Bonjour",
            "es" => "Hola",
            _ => "Hello",
        };
        assert!(text.starts_with(greeting), "{}: {text}", c.language);
        // Signed with the issuer as the certificate prints it (a French mail was signed in English).
        let signed = match c.language.code() {
            "fr" => "Conseil de l’Europe",
            "es" => "Consejo de Europa",
            _ => "Council of Europe",
        };
        assert!(text.trim_end().ends_with(signed), "{}: {text}", c.language);
        assert!(text.contains(&c.name) && text.contains(&issuance::grouped(&c.id)), "{text}");
        assert!(raw.contains("application/pdf"), "the PDF attached as staff asked");
        // The link works once.
        let link = link_in(&text);
        let (status, _, _) = call(&app, Request::get(&link).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "the link's page: {link}");
        let (status, headers, pdf) = call(&app, Request::post(&link).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(pdf, count_pdf(&f.db, &c.id));
        let (status, _, _) = call(&app, Request::post(&link).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::GONE);
    }
    let langs: HashSet<_> = f.certs.iter().map(|c| c.language.code()).collect();
    assert_eq!(langs, HashSet::from(["en", "fr", "es"]), "all three wordings were exercised");

    // A second send, even twice at once, mails nobody again.
    let (a, b) = tokio::join!(
        api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({}))),
        api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({})))
    );
    assert_eq!((a.0, a.1["queued"].as_u64(), b.1["queued"].as_u64()), (StatusCode::ACCEPTED, Some(0), Some(0)));
    settled(&app, &token).await;
    assert_eq!(smtp.count(), n, "a second send sends nothing");

    // Staff can ask for one certificate again: exactly one more mail.
    let (status, v) =
        api(&app, &token, "POST", &format!("/api/v1/certificates/{}/delivery", f.certs[0].id), Some(json!({}))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let v = settled(&app, &token).await;
    assert_eq!(smtp.count(), n + 1);
    let rec = v["records"].as_array().unwrap().iter().find(|r| r["certificate_id"] == f.certs[0].id.as_str()).unwrap();
    assert_eq!((rec["sends"].as_u64(), rec["state"].as_str()), (Some(2), Some("sent")), "{rec}");
}

fn count_pdf(db: &Path, id: &str) -> Vec<u8> {
    store::certificates::pdf(&harness::open_db(db), id).unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_sends_only_the_refused_and_nothing_personal_is_logged() {
    let Some((f, smtp)) = alone_with_mail("retry_sends_only_the_refused_and_nothing_personal_is_logged") else {
        return;
    };
    let refused: HashSet<String> = f.certs.iter().take(2).map(|c| c.email.clone().unwrap()).collect();
    smtp.state.lock().unwrap().refuse = refused.clone();
    let app = app(&f, &smtp);
    let token = api_token(&f.db);
    let n = f.certs.len();

    let (status, _) = api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({}))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let v = settled(&app, &token).await;
    assert_eq!((v["counts"]["sent"].as_u64(), v["counts"]["failed"].as_u64()), (Some(n as u64 - 2), Some(2)), "{v}");
    for rec in v["records"].as_array().unwrap().iter().filter(|r| r["state"] == "failed") {
        let err = rec["error"].as_str().unwrap();
        assert!(err.contains("550") && err.contains("refused permanently"), "the reason, for staff: {err}");
    }
    assert_eq!(smtp.count(), n - 2);

    // The address is fixed on the server's side; "retry failed" mails those two only.
    smtp.state.lock().unwrap().refuse.clear();
    let (status, v) =
        api(&app, &token, "POST", "/api/v1/events/echr/deliveries", Some(json!({"mode": "retry_failed"}))).await;
    assert_eq!((status, v["queued"].as_u64()), (StatusCode::ACCEPTED, Some(2)), "{v}");
    let v = settled(&app, &token).await;
    assert_eq!(v["counts"]["sent"], n, "{v}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), n);
    let retried: HashSet<String> = messages[n - 2..].iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(retried, refused, "only the failed ones were sent again");
    let per_recipient: HashSet<_> = messages.iter().map(|(r, _)| r).collect();
    assert_eq!(per_recipient.len(), n, "nobody got two");

    // Nothing personal in the log: no name, no address (the refusal quoted it), no link.
    let log = harness::logs::text();
    assert!(log.contains("certificate mail failed") && log.contains("certificate mailed"), "{log}");
    let mut secrets: Vec<String> = Vec::new();
    for c in &f.certs {
        secrets.push(c.name.clone());
        secrets.push(c.email.clone().unwrap());
    }
    for (_, raw) in &messages {
        secrets.push(link_in(&body_text(raw)).trim_start_matches("/download/").split('?').next().unwrap().to_owned());
    }
    secrets.push(token.clone());
    secrets.push(STAFF.to_owned());
    for s in secrets.iter().filter(|s| s.chars().count() >= 4) {
        assert!(!log.contains(s.as_str()), "the log holds {s:?}:\n{log}");
    }
}

/// `attest send` killed with SIGKILL while the server holds its answer to the third mail (which
/// it has received): nothing lost, and the restart mails the rest but not the third again.
#[test]
fn a_sender_killed_mid_send_loses_nothing_and_mails_nobody_twice_on_restart() {
    let f = issued();
    let smtp = Smtp::start();
    smtp.state.lock().unwrap().hold_answer_to = Some(3);
    let n = f.certs.len();
    let send = |extra: &[&str]| {
        let mut c = harness::process::attest(&f.db);
        c.args(["--public-url", "http://127.0.0.1:8080", "send", "echr", "--smtp-url"]);
        c.arg(smtp.url()).args(["--mail-per-minute", "0"]).args(extra);
        c
    };
    let mut child = send(&[]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.count() < 3 {
        assert!(Instant::now() < deadline, "the sender did not reach the third mail");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    let state = |s: &str| count(&f.db, &format!("SELECT count(*) FROM deliveries WHERE state = '{s}'"));
    assert_eq!((state("sent"), state("sending"), state("queued")), (2, 1, n as i64 - 3), "every record kept");

    // Restart (the stale delay at zero: the killed sender is known to be gone).
    smtp.state.lock().unwrap().hold_answer_to = None;
    let out = send(&["--stale-after", "0"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 unknown"), "{stdout}");
    assert_eq!((state("sent"), state("unknown"), state("queued")), (n as i64 - 1, 1, 0));
    let messages = smtp.messages();
    assert_eq!(messages.len(), n, "the third was not sent again");
    assert_eq!(messages.iter().map(|(r, _)| r).collect::<HashSet<_>>().len(), n, "nobody got two");

    // Running again sends nothing; staff's explicit resend of the unknown one sends it once.
    let out = send(&[]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(smtp.count(), n);
    let unknown: String = harness::open_db(&f.db)
        .row_for_tests("SELECT certificate_id FROM deliveries WHERE state = 'unknown'", (), |r| r.get(0))
        .unwrap();
    let out = send(&["--resend", &issuance::grouped(&unknown)]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(smtp.count(), n + 1);
    assert_eq!(state("unknown"), 0);
}

// ---------------------------------------------------------------------------------------------
// The routes: sign-in, token and CSRF.

async fn sign_in(app: &axum::Router) -> harness::Session {
    harness::app::sign_in_to(app, STAFF, PASSWORD, "/staff/events").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_sends_with_progress_and_every_route_needs_sign_in_and_csrf() {
    let Some((f, smtp)) = alone_with_mail("the_console_sends_with_progress_and_every_route_needs_sign_in_and_csrf")
    else {
        return;
    };
    let app = app(&f, &smtp);
    let n = f.certs.len();
    let page_uri = "/staff/events/echr/delivery";

    // Without a session: the page sends to sign-in, the forms do nothing.
    let (status, headers, _) = call(&app, Request::get(page_uri).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers[header::LOCATION].to_str().unwrap().starts_with("/staff/login?next="));
    for uri in [page_uri.to_owned(), format!("{page_uri}/resend")] {
        let (status, headers, _) = call(&app, form(&uri, "", "csrf=x&mode=new&certificate=x")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(headers[header::LOCATION], "/staff/login?next=/staff");
    }
    // The API without a token.
    for (method, uri) in [
        ("GET", "/api/v1/events/echr/deliveries".to_owned()),
        ("POST", "/api/v1/events/echr/deliveries".to_owned()),
        ("POST", format!("/api/v1/certificates/{}/delivery", f.certs[0].id)),
    ] {
        let req = Request::builder().method(method).uri(&uri).header(header::CONTENT_TYPE, "application/json");
        let (status, _, body) = call(&app, req.body(Body::from("{}")).unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert!(serde_json::from_slice::<Value>(&body).unwrap()["error"].is_string());
    }

    let b = sign_in(&app).await;
    // The event page links to the delivery page.
    let (_, _, event_page) =
        call(&app, Request::get("/staff/events/echr").header(header::COOKIE, &b.cookie).body(Body::empty()).unwrap())
            .await;
    assert!(String::from_utf8_lossy(&event_page).contains("/staff/events/echr/delivery"));
    let (status, headers, page) =
        call(&app, Request::get(page_uri).header(header::COOKIE, &b.cookie).body(Body::empty()).unwrap()).await;
    let page = String::from_utf8_lossy(&page);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(page.contains(&format!("Send {n} certificates")), "{page}");

    // A form from elsewhere (wrong CSRF token) queues nothing.
    let (status, _, _) = call(&app, form(page_uri, &b.cookie, "csrf=forged&mode=new")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = call(
        &app,
        form(&format!("{page_uri}/resend"), &b.cookie, &format!("csrf=forged&certificate={}", f.certs[0].id)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(&f.db, "SELECT count(*) FROM deliveries"), 0);
    assert_eq!(smtp.count(), 0);

    // The real form: answered at once with a redirect to the page, which shows the progress.
    let (status, headers, _) = call(&app, b.form(page_uri, "mode=new")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], format!("{page_uri}?done=mail-queued").as_str());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, _, page) =
            call(&app, Request::get(page_uri).header(header::COOKIE, &b.cookie).body(Body::empty()).unwrap()).await;
        let page = String::from_utf8_lossy(&page).into_owned();
        if page.contains("No mail is being sent now.") && smtp.count() == n {
            assert!(page.contains("250 2.0.0 Ok: queued as Q"), "the server's answer is shown");
            assert!(page.contains("Every valid certificate with an email address has been mailed"), "{page}");
            break;
        }
        assert!(page.contains("http-equiv=\"refresh\"") || smtp.count() == n, "the page refreshes while sending");
        assert!(Instant::now() < deadline, "{page}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Resend one from the console: one more mail.
    let (status, _, _) =
        call(&app, b.form(&format!("{page_uri}/resend"), &format!("certificate={}", f.certs[1].id))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.count() < n + 1 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.count(), n + 1);
}

/// The transitions one by one, on the records themselves.
#[test]
fn the_records_move_only_as_the_state_machine_allows() {
    use attest::store::deliveries::{self, Fresh, Outcome};
    let f = issued();
    let mut conn = harness::open_db(&f.db);
    let ev = store::events::get(&conn, "echr").unwrap();
    let now = chrono::Utc::now();
    let later = now + chrono::Duration::hours(72);
    let n = f.certs.len();
    assert_eq!(deliveries::queue_new(&mut conn, ev.id, false, "t", now).unwrap(), n);
    assert_eq!(deliveries::queue_new(&mut conn, ev.id, false, "t", now).unwrap(), 0, "queued once only");

    // A certificate revoked after it was queued is not sent: its record fails with the reason.
    let first: String =
        conn.row_for_tests("SELECT certificate_id FROM deliveries ORDER BY id LIMIT 1", (), |r| r.get(0)).unwrap();
    store::certificates::revoke(&mut conn, &first, "issued in error", "t", now).unwrap();
    let mut k = 0;
    let mut fresh = || {
        k += 1;
        Fresh { claim: format!("claim{k}"), message_id: format!("<m{k}@x>"), link_sha256: format!("{k:064}") }
    };
    let c = deliveries::claim_next(&mut conn, ev.id, &mut fresh, now, later).unwrap().unwrap();
    assert_ne!(c.certificate.id, first);
    let state = |conn: &attest::store::Conn, id: &str| -> String {
        conn.row_for_tests("SELECT state FROM deliveries WHERE certificate_id = ?1", [id], |r| r.get(0)).unwrap()
    };
    assert_eq!(state(&conn, &first), "failed");
    assert_eq!(state(&conn, &c.certificate.id), "sending");
    assert_eq!(
        count(&f.db, "SELECT count(*) FROM download_links WHERE used_at IS NULL"),
        1,
        "the link exists before the mail"
    );

    // Resend is refused while the mail is being sent; only the claim's holder records the outcome.
    let busy = deliveries::queue_resend(&mut conn, &c.certificate.id, false, "t", now).unwrap_err();
    assert!(busy.to_string().contains("sending already"), "{busy}");
    assert!(!deliveries::finish(&conn, c.id, "another", Outcome::Sent("250 ok"), now).unwrap());
    // Its sender taken for stopped: unknown, never queued again by send or retry.
    assert_eq!(deliveries::mark_stale(&conn, now, now).unwrap(), 1);
    assert_eq!(state(&conn, &c.certificate.id), "unknown");
    assert_eq!(deliveries::queue_new(&mut conn, ev.id, false, "t", now).unwrap(), 0);
    assert_eq!(deliveries::requeue_failed(&mut conn, ev.id, false, "t", now).unwrap(), 0, "the revoked one stays");
    // It was only slow: its answer still counts.
    assert!(deliveries::finish(&conn, c.id, &c.claim, Outcome::Sent("250 ok"), now).unwrap());
    assert_eq!(state(&conn, &c.certificate.id), "sent");
    let counts = deliveries::counts(&conn, ev.id).unwrap();
    assert_eq!((counts.sent, counts.failed, counts.queued, counts.unknown), (1, 1, n - 2, 0));
    // A revoked certificate cannot be resent.
    let refused = deliveries::queue_resend(&mut conn, &first, false, "t", now).unwrap_err();
    assert!(refused.to_string().contains("revoked"), "{refused}");
}

/// A sender that meets the database held by another writer past the lock timeout (5 s; a large
/// bulk issue on another instance) waits and carries on: every queued mail goes out once and is
/// recorded sent. Before, the run stopped at the first busy answer with mail left unsent (what
/// CI's PostgreSQL pass once saw as 5 mails for "Send 6 certificates"). Fails without
/// `delivery::patiently`.
#[test]
fn a_sender_kept_waiting_by_another_writer_carries_on_and_sends_everything() {
    use attest::delivery::{self, MailSettings, Mode, Pace};
    let f = issued();
    let mut conn = harness::open_db(&f.db);
    let event = store::events::get(&conn, "echr").unwrap();
    let queued = delivery::queue(&mut conn, &event, Mode::New, false, "test", chrono::Utc::now()).unwrap();
    assert_eq!(queued, f.certs.len());
    let outbox = f.dir.path().join("outbox");
    let mailer = Mailer::from_config(None, outbox.clone()).unwrap();
    let settings = MailSettings {
        public_url: "http://127.0.0.1:8080".into(),
        issuer: "Council of Europe".into(),
        mail_from: "attest <no-reply@example.org>".into(),
        link_hours: 72,
    };

    let other = harness::open_db(&f.db);
    other.hold_writer_lock_for_tests().unwrap();
    let sender = std::thread::spawn(move || {
        let db = std::sync::Mutex::new(conn);
        delivery::send_queued(&db, &event, &mailer, &Pace::per_minute(0), &settings, delivery::STALE_AFTER, &|| {})
    });
    // Longer than the 5 s either engine waits for a lock.
    std::thread::sleep(Duration::from_secs(7));
    other.execute_for_tests("COMMIT", ()).unwrap();
    let report = sender.join().unwrap().expect("the sender waited for the other writer");

    assert_eq!(report.sent, queued, "{report:?}");
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), queued, "one mail each");
    let state = |s: &str| count(&f.db, &format!("SELECT count(*) FROM deliveries WHERE state = '{s}'"));
    assert_eq!((state("sent"), state("sending"), state("queued")), (queued as i64, 0, 0));
}
