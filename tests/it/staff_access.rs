//! Cutting a member of staff off, and watching sign-in attempts: `attest staff disable` locks a
//! leaver out at once (sessions, API tokens, password), `attest staff enable` lets them back with
//! nothing of before; refused sign-ins are logged by account id (never the email) and throttled
//! ones counted in the sign-in metric.

use crate::harness::{self, Res, TestApp, csrf_in, enc, get};

use attest::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const LEAVER: &str = "leaver@coe.int";
const PASSWORD: &str = "a long staff password";

/// One attempt through the sign-in form, as a browser makes it.
async fn attempt(app: &TestApp, email: &str, password: &str) -> Res {
    let page = app.send(Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    let form_cookie = page.cookie_pair("attest_form").expect("a pre-session cookie");
    let body = format!("csrf={}&email={}&password={}", csrf_in(&page.body), enc(email), enc(password));
    app.send(harness::form("/staff/login", &form_cookie, &body)).await
}

async fn api_events(app: &TestApp, token: &str) -> StatusCode {
    let req = Request::get("/api/v1/events").header(header::AUTHORIZATION, format!("Bearer {token}"));
    app.send(req.body(Body::empty()).unwrap()).await.status
}

/// `attest` on the app's database; its standard output, or its error output when it fails.
fn attest(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = harness::process::attest(&app.db).args(args).output().unwrap();
    let text = if out.status.success() { out.stdout } else { out.stderr };
    (out.status.success(), String::from_utf8_lossy(&text).into_owned())
}

#[tokio::test]
async fn staff_disable_cuts_a_leaver_off_at_once_and_enable_gives_nothing_back() {
    let app = TestApp::new().staff(LEAVER, Role::Issuer, Some(PASSWORD)).token().build();
    let session = app.sign_in().await;
    assert_eq!(app.send(get("/staff/events", &session.cookie)).await.status, StatusCode::OK);
    assert_eq!(api_events(&app, &app.token).await, StatusCode::OK);

    let (ok, out) = attest(&app, &["staff", "disable", LEAVER]);
    assert!(ok, "{out}");
    assert!(out.contains(&format!("disabled {LEAVER}")), "{out}");
    // Two sessions: the one setting the password opened, and the sign-in's.
    assert!(out.contains("ended 2 session(s), revoked 1 API token(s)"), "{out}");
    assert_eq!(app.count("SELECT count(*) FROM audit WHERE action = 'staff.disable' AND actor = 'cli'"), 1);

    // Refused at once, as for someone signed out: the session, the token, the password.
    let page = app.send(get("/staff/events", &session.cookie)).await;
    assert!(page.status.is_redirection() && page.location().starts_with("/staff/login"), "{}", page.status);
    assert_eq!(api_events(&app, &app.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&app, LEAVER, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let (_, list) = attest(&app, &["staff", "list"]);
    assert!(list.lines().any(|l| l.contains(LEAVER) && l.contains("disabled")), "{list}");
    // A reset link would only lead to a refused sign-in.
    let (ok, err) = attest(&app, &["staff", "reset", LEAVER]);
    assert!(!ok && err.contains("is disabled"), "{err}");

    let (ok, out) = attest(&app, &["staff", "enable", LEAVER]);
    assert!(ok && out.contains(&format!("enabled {LEAVER}")) && out.contains("stay revoked"), "{out}");
    // Back, with nothing of before: the token stays revoked, the old password is gone.
    assert_eq!(api_events(&app, &app.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&app, LEAVER, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let (ok, out) = attest(&app, &["--public-url", "https://attest.example.org", "staff", "reset", LEAVER]);
    assert!(ok, "{out}");
    let link = out.lines().find_map(|l| l.trim().strip_prefix("https://attest.example.org/staff/setup/")).unwrap();
    let mut conn = harness::open_db(&app.db);
    attest::staff::complete_setup(&mut conn, link, None, "a brand new passphrase", chrono::Utc::now()).unwrap();
    assert_eq!(attempt(&app, LEAVER, "a brand new passphrase").await.status, StatusCode::SEE_OTHER);
}

#[test]
fn staff_reset_says_it_locks_nobody_out_and_points_to_disable() {
    let help = harness::Cli::new().ok(&["staff", "reset", "--help"]);
    assert!(help.contains("locks nobody out") && help.contains("attest staff disable"), "{help}");
}

#[tokio::test]
async fn throttled_sign_ins_are_counted_in_the_sign_in_metric() {
    const METRICS: &str = "metrics-token-for-the-test";
    let app = TestApp::new().staff(LEAVER, Role::Viewer, Some(PASSWORD)).metrics_token(METRICS).build();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(attempt(&app, LEAVER, "not the password at all").await.status.as_u16());
    }
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(throttled >= 2 && statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
    let scrape = Request::get("/metrics").header(header::AUTHORIZATION, format!("Bearer {METRICS}"));
    let text = app.send(scrape.body(Body::empty()).unwrap()).await.body;
    for (outcome, n) in [("refused", 12 - throttled), ("throttled", throttled)] {
        let series = format!("attest_staff_sign_ins_total{{method=\"password\",outcome=\"{outcome}\"}} {n}");
        assert!(text.lines().any(|l| l == series), "no {series} in\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_sign_in_is_logged_with_the_account_id_and_never_the_email() {
    if !harness::logs::alone(module_path!(), "a_refused_sign_in_is_logged_with_the_account_id_and_never_the_email") {
        return;
    }
    harness::logs::capture();
    let app = TestApp::new().staff(LEAVER, Role::Viewer, Some(PASSWORD)).build();
    let id = app.count(&format!("SELECT id FROM staff WHERE email = '{LEAVER}'"));
    let wrong = "not the password at all";
    assert_eq!(attempt(&app, LEAVER, wrong).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&app, "nobody@coe.int", wrong).await.status, StatusCode::UNAUTHORIZED);

    let log = harness::logs::text();
    let refused: Vec<&str> = log.lines().filter(|l| l.contains("staff sign-in refused")).collect();
    assert_eq!(refused.len(), 2, "{log}");
    assert!(refused[0].contains("WARN") && refused[0].contains(&format!("staff_id={id}")), "{log}");
    assert!(refused[0].contains("wrong password"), "{log}");
    assert!(!refused[1].contains("staff_id"), "{log}");
    for secret in [LEAVER, "nobody@coe.int", wrong] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}
