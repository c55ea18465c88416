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
    let answers = post_at_once(&servers, &[&path, &path], &token);
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
    let answers = post_at_once(&servers, &[&paths[0], &paths[1]], &token);
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

/// `POST paths[i]` to `servers[i]`, all sent at the same moment; the answers in the servers'
/// order.
fn post_at_once(servers: &[Serve], paths: &[&str], token: &str) -> Vec<(u16, String)> {
    let answers = at_once(servers.len(), |i| servers[i].request("POST", paths[i], token));
    eprintln!("answers: {:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    answers
}

/// `call(i)` for `i` in `0..n`, each from a thread of its own, all started at the same moment
/// (a barrier); the results in order.
fn at_once<T: Send>(n: usize, call: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let start = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let calls: Vec<_> = (0..n)
            .map(|i| {
                let (start, call) = (&start, &call);
                s.spawn(move || {
                    start.wait();
                    call(i)
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    })
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
    // Said on the event page, beside the Issue button (issue 21), not on a separate error page.
    assert!(page.body.contains("class=\"error-summary\" role=\"alert\""), "{}", page.body);
    assert!(page.body.contains("/issue\"") && !page.body.contains("That did not work"), "{}", page.body);
    // The same for "Reissue with the event's design": said on its own page.
    let redesign = format!("/staff/events/{slug}/redesign");
    let page = app.send(harness::form(&redesign, &s.cookie, &format!("csrf={}", s.csrf))).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("already being issued"), "{}", page.body);
    assert!(page.body.contains("class=\"error-summary\" role=\"alert\""), "{}", page.body);
    let (status, body) = app.json("POST", &format!("/api/v1/events/{slug}/certificates"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].as_str().unwrap().contains("already being issued"), "{body}");
    assert_eq!(app.count("SELECT count(*) FROM certificates"), 0);
    drop(held);
    let (status, body) = app.json("POST", &format!("/api/v1/events/{slug}/certificates"), None).await;
    assert_eq!((status, &body["issued"]), (StatusCode::OK, &serde_json::json!(3)), "{body}");
}

/// Polls `check` every 20 ms for up to `within`; how long it took to hold, `None` if it never
/// did.
fn within(within: std::time::Duration, mut check: impl FnMut() -> bool) -> Option<std::time::Duration> {
    let start = std::time::Instant::now();
    while start.elapsed() < within {
        if check() {
            return Some(start.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    None
}

/// Two servers on one database, an event of `people` issued through the first; the servers, the
/// database, the event's slug and an admin's API token.
fn issued_on_two(dir: &std::path::Path, people: usize) -> ([Serve; 2], std::path::PathBuf, String, String) {
    let db = harness::new_db(dir);
    let slug = event_of(&db, "pair", people);
    let token = harness::app::api_token(&db, "issuer@coe.int", Role::Admin);
    let servers = [Serve::start(&db), Serve::start(&db)];
    let (status, body) = servers[0].request("POST", &format!("/api/v1/events/{slug}/certificates"), &token);
    assert_eq!(status, 200, "{body}");
    (servers, db, slug, token)
}

/// The first certificate issued for the event `slug` in the database `db`.
fn first_certificate(db: &std::path::Path, slug: &str) -> attest::store::certificates::Certificate {
    let conn = harness::open_db(db);
    let event = attest::store::events::get(&conn, slug).unwrap();
    attest::store::certificates::for_event(&conn, event.id).unwrap().remove(0)
}

/// A certificate revoked through one server shows as revoked on the other's verify page (which
/// had the certificate's good verdict in its cache), and its served status list changes, within
/// the other server's watch period (100 ms), not at the cache's expiry. Each server keeps
/// verdicts; what tells the other one is the database's change counter, read by its watcher
/// (SQLite's `data_version`; on PostgreSQL the `data_version` row its triggers raise).
#[test]
fn a_revocation_through_one_server_shows_at_once_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let ([a, b], db, slug, token) = issued_on_two(dir.path(), 2);
    let cert = first_certificate(&db, &slug);
    let list = cert.status_position.unwrap() / 131_072;
    let page = |s: &Serve| s.http("GET", &format!("/v/{}", cert.token), &[], "").body;
    // The bits (each server signs with its own address as the list's id).
    let status_list = |s: &Serve| {
        let doc: serde_json::Value =
            serde_json::from_str(&s.http("GET", &format!("/status/{list}"), &[], "").body).unwrap();
        doc["credentialSubject"]["encodedList"].as_str().unwrap().to_owned()
    };
    assert!(page(&b).contains("Valid certificate"), "{}", page(&b));
    let before = status_list(&b);
    let (status, body) =
        a.json("POST", &format!("/api/v1/certificates/{}/revoke", cert.id), &token, r#"{"reason":"sent in error"}"#);
    assert_eq!(status, 200, "{body}");
    let took = within(std::time::Duration::from_secs(2), || page(&b).contains("Revoked certificate"))
        .unwrap_or_else(|| panic!("still shown as valid on the other server: {}", page(&b)));
    eprintln!("the other server showed the revocation after {took:?}");
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    assert_ne!(status_list(&b), before, "the other server's status list has the revocation's bit");
    assert_eq!(status_list(&b), status_list(&a));
}

/// Bulk delivery started on both servers at the same moment: every certificate is mailed once
/// (each server claims the next queued mail under the database's writer lock, so two senders
/// never take the same one), and the mails in the shared outbox are one per certificate.
#[test]
fn bulk_delivery_started_on_two_servers_at_once_mails_each_certificate_once() {
    const PEOPLE: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let (servers, db, slug, token) = issued_on_two(dir.path(), PEOPLE);
    let path = format!("/api/v1/events/{slug}/deliveries");
    let answers = at_once(2, |i| servers[i].json("POST", &path, &token, "{}"));
    let queued: u64 = answers
        .iter()
        .map(|(status, body)| {
            assert!(matches!(status, 200 | 202), "{status}: {body}");
            serde_json::from_str::<serde_json::Value>(body).unwrap()["queued"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(queued, PEOPLE as u64, "queued once between them: {answers:?}");
    let sent = || harness::count(&db, "SELECT count(*) FROM deliveries WHERE state = 'sent'");
    within(std::time::Duration::from_secs(120), || sent() == PEOPLE as i64)
        .unwrap_or_else(|| panic!("{} of {PEOPLE} sent", sent()));
    assert_eq!(harness::count(&db, "SELECT count(*) FROM deliveries WHERE sends <> 1"), 0, "each mailed once");
    let outbox = harness::app::keys_for(&db).with_file_name("outbox");
    let mails = std::fs::read_dir(&outbox)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "eml"));
    assert_eq!(mails.count(), PEOPLE, "one mail per certificate in {}", outbox.display());
}

/// Staff sign in on one server and work on the other: the session and its CSRF token are the
/// database's, not a server's; signing out on the second ends the session on the first. A
/// one-time setup link used on one server is refused on the other.
#[test]
fn a_session_from_one_server_works_on_the_other_and_one_time_links_work_once() {
    const EMAIL: &str = "ada@coe.int";
    const PASSWORD: &str = "a long enough password";
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let mut conn = harness::open_db(&db);
    let now = chrono::Utc::now();
    let (_, link) = attest::staff::add(&conn, EMAIL, Role::Admin, "test", now).unwrap();
    attest::staff::complete_setup(&mut conn, link.expose(), None, PASSWORD, now).unwrap();
    let (_, other) = attest::staff::add(&conn, "bo@coe.int", Role::Issuer, "test", now).unwrap();
    let [a, b] = [Serve::start(&db), Serve::start(&db)];
    let form = "application/x-www-form-urlencoded";

    let page = a.http("GET", "/staff/login", &[], "");
    let signed_in = a.submit(&page, "/staff/login", &[("email", EMAIL), ("password", PASSWORD)]);
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let session = signed_in.cookie("attest_session").expect("a session cookie");
    let events = b.http("GET", "/staff/events", &[("Cookie", &session)], "");
    assert_eq!(events.status, 200, "the other server knows the session: {}", events.body);
    let csrf = harness::csrf_in(&events.body);
    let out = b.http("POST", "/staff/logout", &[("Cookie", &session), ("Content-Type", form)], &format!("csrf={csrf}"));
    assert_eq!(out.status, 303, "{}", out.body);
    assert_ne!(a.http("GET", "/staff/events", &[("Cookie", &session)], "").status, 200, "signed out on both");

    let setup = format!("/staff/setup/{}", other.expose());
    let page = a.http("GET", &setup, &[], "");
    assert_eq!(page.status, 200, "{}", page.body);
    let done = a.submit(&page, &setup, &[("password", PASSWORD), ("repeat", PASSWORD)]);
    assert_eq!(done.status, 303, "{}", done.body);
    let again = b.http("GET", &setup, &[], "");
    assert_ne!(again.status, 200, "a used link is refused on the other server too: {}", again.body);
}

/// Two servers started at the same moment on a new database and an empty keys folder make
/// one signing key and one PDF identity between them (each looks again under the database's
/// writer lock before making one): both publish the same key set, and what either issues
/// verifies against the one identity.
#[test]
fn two_servers_started_together_on_a_new_database_make_one_set_of_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let servers = at_once(2, |_| Serve::start(&db));
    assert_eq!(harness::count(&db, "SELECT count(*) FROM signing_keys"), 1, "one signing key");
    let jwks: Vec<String> = servers.iter().map(|s| s.http("GET", "/.well-known/jwks.json", &[], "").body).collect();
    assert_eq!(jwks[0], jwks[1]);
    let roots: Vec<String> = servers.iter().map(|s| s.http("GET", "/pdf-root.pem", &[], "").body).collect();
    assert!(roots[0].starts_with("-----BEGIN CERTIFICATE-----"), "{}", roots[0]);
    assert_eq!(roots[0], roots[1], "one PDF identity");
}

/// The signing key rotated with the command line while two servers run: each signs new
/// certificates with the new key (read from the database when it signs), and both verify what
/// the old and the new key signed (a key a server does not know yet is read from the database).
#[test]
fn keys_rotated_while_two_servers_run_keep_both_verifying_old_and_new() {
    let dir = tempfile::tempdir().unwrap();
    let ([a, b], db, slug, token) = issued_on_two(dir.path(), 1);
    let old = first_certificate(&db, &slug);
    let out = harness::process::attest(&db).args(["keys", "rotate"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let later = event_of(&db, "later", 1);
    let (status, body) = b.request("POST", &format!("/api/v1/events/{later}/certificates"), &token);
    assert_eq!(status, 200, "{body}");
    let new = first_certificate(&db, &later);
    assert_ne!(new.kid, old.kid, "signed with the new key");
    for server in [&a, &b] {
        for cert in [&old, &new] {
            let page = server.http("GET", &format!("/v/{}", cert.token), &[], "").body;
            assert!(page.contains("Valid certificate"), "{}: {page}", cert.kid);
        }
    }
}

/// A key withdrawn with the command line while two servers run (its private half leaked): what
/// it signed is "not genuine" on both, with the date and the reason, within their watch period,
/// though both had checked it and kept the check; it is gone from their JWK sets; and `--reissue`
/// gives the holder a certificate that both find valid.
#[test]
fn a_key_withdrawn_while_two_servers_run_makes_what_it_signed_not_genuine_on_both() {
    let dir = tempfile::tempdir().unwrap();
    let ([a, b], db, slug, _) = issued_on_two(dir.path(), 1);
    let old = first_certificate(&db, &slug);
    for server in [&a, &b] {
        let page = server.http("GET", &format!("/v/{}", old.token), &[], "").body;
        assert!(page.contains("Valid certificate"), "{page}");
    }
    let cli = |args: &[&str]| {
        let out = harness::process::attest(&db).args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, said) = cli(&["keys", "withdraw", &old.kid, "--reason", "private key copied to a lost laptop"]);
    assert!(!ok && said.contains("rotate first"), "the active key is refused: {said}");
    assert!(cli(&["keys", "rotate"]).0);
    let (ok, said) = cli(&["keys", "withdraw", &old.kid, "--reason", "  "]);
    assert!(!ok && said.contains("--reason"), "{said}");
    let (ok, said) = cli(&["keys", "withdraw", &old.kid, "--reason", "private key copied to a lost laptop"]);
    assert!(ok && said.contains("valid certificates it signed, which now verify as not genuine: 1"), "{said}");
    let withdrawn = attest::store::keys::list(&harness::open_db(&db)).unwrap().into_iter().find(|k| k.kid == old.kid);
    let on = withdrawn.and_then(|k| k.withdrawn_at).unwrap().format("On %-d %B %Y the issuer withdrew").to_string();
    for server in [&a, &b] {
        let path = format!("/v/{}", old.token);
        let took = within(std::time::Duration::from_secs(2), || {
            let page = server.http("GET", &path, &[], "").body;
            page.contains("Not genuine") && page.contains("private key copied to a lost laptop")
        });
        assert!(took.is_some(), "{}", server.http("GET", &path, &[], "").body);
        // Said as what it is: not "mistyped or changed", and the next step is a reissued one.
        let page = server.http("GET", &path, &[], "").body;
        assert!(page.contains(&format!("{on} the key that signed this certificate")), "{on}: {page}");
        assert!(page.contains("issued again with their current key") && !page.contains("mistyped"), "{page}");
        let jwks = server.http("GET", "/.well-known/jwks.json", &[], "").body;
        assert!(!jwks.contains(&old.kid) && jwks.contains("\"kid\""), "{jwks}");
    }
    let (ok, said) = cli(&["keys", "withdraw", &old.kid, "--reason", "again", "--reissue"]);
    assert!(ok && said.contains("each superseding its old one: 1"), "{said}");
    let conn = harness::open_db(&db);
    let new = attest::store::certificates::current(&conn, &old.id).unwrap().unwrap();
    assert_ne!((&new.id, &new.kid), (&old.id, &old.kid));
    for server in [&a, &b] {
        let page = server.http("GET", &format!("/v/{}", new.token), &[], "").body;
        assert!(page.contains("Valid certificate"), "{page}");
    }
    let keys = cli(&["keys", "list"]).1;
    assert!(keys.contains(&format!("{}  ", old.kid)) && keys.contains("withdrawn"), "{keys}");
    // A verifier nobody here wrote, with the JWK set the server publishes: jwcrypto refuses the
    // withdrawn key's token and accepts the reissued one's.
    if let Some(python) = harness::python_with("jwcrypto", "check tokens against the published JWK set") {
        let jwks = a.http("GET", "/.well-known/jwks.json", &[], "").body;
        let script = "import sys\nfrom jwcrypto import jwk, jws\nkeys = jwk.JWKSet.from_json(sys.argv[1])\n\
                      for t in sys.argv[2:]:\n    s = jws.JWS()\n    s.deserialize(t)\n    try:\n        \
                      s.verify(keys)\n        print('valid')\n    except Exception as e:\n        print('refused')\n";
        let out =
            std::process::Command::new(python).args(["-c", script, &jwks, &old.token, &new.token]).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "refused\nvalid\n",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// An attendee's own request (self-service) while a bulk issue of the same event holds its lock
/// (in this or another process) waits for the run to end, then finds the certificate the run
/// issued: never a second certificate for one person. Before, it issued at once, and a bulk run
/// that had read who held certificates before it could issue the same person again.
#[test]
fn a_self_service_request_waits_for_a_bulk_issue_of_its_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let slug = event_of(&db, "wait", 2);
    let keys = harness::app::keys_for(&db);
    let holder = harness::open_db(&db);
    let event = attest::store::events::get(&holder, &slug).unwrap();
    let lock = attest::store::locks::try_issue(&holder, event.id).unwrap().expect("free");
    let person = attest::attendance::PersonKey::email("p1@example.org");
    let asked = std::thread::spawn({
        let (db, keys, event, person) = (db.clone(), keys.clone(), event.clone(), person.clone());
        move || {
            let mut conn = harness::open_db(&db);
            let secret = attest::trust::token::active(&conn, &keys, harness::now()).unwrap();
            let s = harness::settings();
            let issuer = harness::issuer(&secret, harness::pdf_signer(), &s, "self-service");
            attest::issuance::issue_for(&mut conn, issuer, &event, &person, harness::now()).unwrap()
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(harness::count(&db, "SELECT count(*) FROM certificates"), 0, "waits while the lock is held");
    assert!(!asked.is_finished());
    drop(lock);
    let cert = asked.join().unwrap().expect("eligible");
    assert_eq!(cert.person_key, person);
    assert_eq!(harness::count(&db, "SELECT count(*) FROM certificates"), 1);
}

/// Issue 19, item 1: TLS to PostgreSQL with rustls, as managed services require. With
/// `sslmode=verify-full` and the server's CA as `sslrootcert`, attest connects over TLS (the
/// server says so in `pg_stat_ssl`); without the CA file the public roots do not vouch for the
/// server and the connection is refused, naming the certificate problem and not the URL.
/// Needs the CI server's CA (`ATTEST_TEST_POSTGRES_CA`, written by `.ci/postgres`).
#[test]
fn postgres_over_tls_checks_the_servers_certificate() {
    let Some(_) = harness::app::postgres() else {
        eprintln!("skipped: runs on PostgreSQL only ({} is not set)", harness::app::POSTGRES_VAR);
        return;
    };
    let Some(ca) = std::env::var_os("ATTEST_TEST_POSTGRES_CA").filter(|c| std::path::Path::new(c).is_file()) else {
        assert!(std::env::var_os("ATTEST_REQUIRE_TOOLS").is_none(), "ATTEST_TEST_POSTGRES_CA: the server's CA file");
        eprintln!("skipped: ATTEST_TEST_POSTGRES_CA does not name the server's CA file");
        return;
    };
    let url = harness::app::empty_postgres_database();
    let url = url.to_str().unwrap();
    let ca = std::path::Path::new(&ca).to_str().unwrap();
    let checked = format!("{url}?sslmode=verify-full&sslrootcert={ca}");
    let conn = harness::open_db(std::path::Path::new(&checked));
    let tls: bool =
        conn.row_for_tests("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", (), |r| r.get(0)).unwrap();
    assert!(tls, "the session is encrypted");
    let unknown = format!("{url}?sslmode=require");
    let out = harness::process::attest(std::path::Path::new(&unknown)).arg("migrate").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "connected without checking the certificate: {err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
}
