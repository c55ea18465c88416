//! No personal data in the logs, ever: the whole journey over real HTTP (sign-in, API import,
//! decisions, issue, verify, revoke, reissue, an attendee asking for their certificate) and its
//! error paths (a bad upload, a certificate that cannot be rendered, an SMTP server that refuses
//! the address and says which, a forged token, a wrong password), with everything logged at
//! `debug` (attest and every dependency) captured, and not one name, email, token, password or
//! client address in it. Sign-in through a real OpenID provider joins it where Node runs.
//!
//! The test runs alone in a child process: it installs the process-wide subscriber.

use crate::harness;
use crate::harness::{csrf_in, enc};

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "correct horse battery staple";
const STAFF: &str = "ops@coe.int";
/// Where the test's requests come from: not the server's own address, so that any trace of the
/// client's address in the log is unmistakable.
const CLIENT_IP: &str = "127.0.0.2";
/// A client address as a proxy would pass it on.
const FORWARDED_IP: &str = "203.0.113.77";

struct Res {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Res {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("{} {}", self.status, self.text()))
    }
    /// The value `name=...` of a `Set-Cookie` header.
    fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
            .find_map(|c| c.split(';').next().filter(|kv| kv.starts_with(&format!("{name}="))).map(str::to_owned))
    }
}

/// One HTTP/1.1 request from [`CLIENT_IP`], through a proxy that names [`FORWARDED_IP`].
async fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Res {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{CLIENT_IP}:0").parse().unwrap()).unwrap();
    let mut s = socket.connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: attest.test\r\nConnection: close\r\nX-Forwarded-For: {FORWARDED_IP}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..at]).into_owned();
    let mut body = raw[at + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let (mut out, mut rest) = (Vec::new(), &body[..]);
        while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + n]);
            rest = &rest[eol + 4 + n..];
        }
        body = out;
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Res { status, head, body }
}

/// Sign-ins through the OpenID provider of `tests/oidc.rs`: returns what must not be logged
/// (emails, object ids, the client secret, codes, states, the session), or `None` when the
/// provider cannot run here (the test says so).
async fn sso_sign_ins(dir: &Path) -> Option<Vec<String>> {
    use crate::harness::oidc::{Browser, Provider};
    let (listener, url) = harness::oidc::listener();
    let provider = Provider::start(&url, None)?;
    let db = dir.join("sso.sqlite3");
    harness::open_db(&db);
    harness::oidc::serve(listener, db, &url, provider.config(attest::web::oidc::NewAccounts::Create)).await;
    let mut leaks = vec![
        provider.secret.clone(),
        "vera.viewer@coe.int".to_owned(),
        "nora.norole@coe.int".to_owned(),
        "00000000-0000-0000-0000-0000000000c3".to_owned(),
        "00000000-0000-0000-0000-0000000000d4".to_owned(),
    ];
    let mut vera = Browser::default();
    let callback = vera.through_provider(&url, "vera").await;
    let res = vera.get(&callback).await;
    assert_eq!(res.status, 303, "{}", res.body);
    leaks.push(res.cookie("attest_session").unwrap().split_once('=').unwrap().1.to_owned());
    let query = callback.split_once('?').unwrap().1;
    leaks.extend(
        query.split('&').filter_map(|kv| kv.split_once('=')).filter(|(k, _)| *k != "iss").map(|(_, v)| v.to_owned()),
    );
    let mut nora = Browser::default();
    let callback = nora.through_provider(&url, "nora").await;
    assert_eq!(nora.get(&callback).await.status, 403);
    let forged = callback.replace("state=", "state=forged");
    assert_eq!(nora.get(&forged).await.status, 400);
    Some(leaks)
}

fn multipart(file: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    harness::multipart(&[], &[("files", file, "", bytes)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_personal_is_logged_on_the_journey_or_its_error_paths() {
    // The log holds only this test's lines: it runs alone (harness::logs).
    if !harness::logs::alone(module_path!(), "nothing_personal_is_logged_on_the_journey_or_its_error_paths") {
        return;
    }
    harness::logs::capture();

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attest.sqlite3");
    let api_token = {
        let mut conn = harness::open_db(&db);
        let now = chrono::Utc::now();
        let (_, link) = attest::staff::add(&conn, STAFF, attest::staff::Role::Admin, "test", now).unwrap();
        attest::staff::complete_setup(&mut conn, link.expose(), None, PASSWORD, now).unwrap();
        attest::staff::create_token(&conn, STAFF, "ci", None, "test", now).unwrap().expose().to_owned()
    };
    // An SMTP server that refuses every recipient and, as real ones do, names the address in
    // its answer: the error lettre returns then holds the address.
    let smtp = harness::smtp::Smtp::start();
    smtp.state.lock().unwrap().refuse_all = true;
    let opts = attest::web::ServeOptions {
        smtp_url: Some(smtp.url()),
        ..harness::app::serve_options(&db, harness::web_config(&harness::settings(), 30), dir.path().join("outbox"))
    };
    let issuing = harness::app::issuing(&dir.path().join("keys"), harness::settings());
    let (addr, _server) = harness::app::serve(harness::app::listener().0, opts, Some(issuing)).await;
    let bearer = format!("Bearer {api_token}");
    let auth = [("Authorization", bearer.as_str())];
    let api_json = |method: &'static str, path: String, body: Value| {
        let bearer = bearer.clone();
        async move {
            let b = body.to_string();
            http(addr, method, &path, &[("Authorization", &bearer), ("Content-Type", "application/json")], b.as_bytes())
                .await
        }
    };
    // What must never be logged, gathered on the way.
    let mut secret: Vec<String> =
        vec![api_token.clone(), PASSWORD.into(), STAFF.into(), CLIENT_IP.into(), FORWARDED_IP.into()];

    // Staff sign in: once with a wrong password, then right.
    sign_in_wrong_then_right(addr, &mut secret).await;

    // A forged API token.
    let forged = "attest_0123456789forgedforgedforged";
    secret.push(forged.into());
    let res = http(addr, "GET", "/api/v1/events", &[("Authorization", &format!("Bearer {forged}"))], b"").await;
    assert_eq!(res.status, 401);

    // An event, a bad upload, a good one.
    let res =
        api_json("POST", "/api/v1/events".into(), json!({"slug": "echr", "title": "Freedom of expression"})).await;
    assert_eq!(res.status, 201, "{}", res.text());
    let (ct, body) = multipart("report.csv", b"Name,Email\nJos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1ez,broken\n");
    let res = http(addr, "POST", "/api/v1/events/echr/imports", &[auth[0], ("Content-Type", &ct)], &body).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let (ct, body) = multipart("report.csv", &csv);
    let res = http(addr, "POST", "/api/v1/events/echr/imports", &[auth[0], ("Content-Type", &ct)], &body).await;
    assert_eq!(res.status, 200, "{}", res.text());

    // Everyone's name and email is personal data.
    secret.extend(names_and_emails(addr, &bearer).await);

    // Issue, verify, a download link that does not exist.
    let res = http(addr, "POST", "/api/v1/events/echr/certificates", &auth, b"").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let certs = http(addr, "GET", "/api/v1/events/echr/certificates", &auth, b"").await.json();
    let certs = certs.as_array().unwrap().clone();
    for c in &certs {
        secret.push(c["verify_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned());
    }
    // Someone whose certificate stays valid below (the first two are revoked and reissued).
    let eligible_email = certs[2]["email"].as_str().expect("an email").to_owned();
    let token = certs[0]["verify_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    assert_eq!(http(addr, "GET", &format!("/v/{token}"), &[], b"").await.status, 200);
    let forged_link = "dGhpcyBpcyBub3QgYSBkb3dubG9hZCBsaW5r";
    secret.push(forged_link.into());
    assert_eq!(http(addr, "GET", &format!("/download/{forged_link}"), &[], b"").await.status, 410);

    // Revoke one; reissue another under a corrected name, first in a language there is no
    // template for (once a 500 whose log line held the name), then properly.
    revoke_and_reissue(addr, &bearer, &certs, &mut secret).await;

    // A certificate that cannot be rendered: an event whose template is gone (set before this
    // server knew better), issued by the API and asked for by an attendee.
    unrenderable_event(addr, &db, &bearer, &csv).await;

    // Attendees ask: on the broken event (rendering fails in the background) and on the good one
    // (the SMTP server refuses the address, naming it).
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    for slug in ["broken", "echr"] {
        let res =
            http(addr, "POST", "/request", &form, format!("event={slug}&email={}", enc(&eligible_email)).as_bytes())
                .await;
        assert_eq!(res.status, 303, "{}", res.text());
    }
    // Sign-in through a real OpenID provider (when Node and oidc-provider are here): a success,
    // a user without a role and a forged state, on a second server with single sign-on.
    let sso_signed_in = if let Some(sso) = sso_sign_ins(dir.path()).await {
        secret.extend(sso);
        true
    } else {
        false
    };

    let log = harness::logs::text;
    let deadline = Instant::now() + Duration::from_secs(60);
    while log().matches("certificate request not completed").count() < 2 {
        assert!(Instant::now() < deadline, "the two requests did not fail as planned:\n{}", log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    holds_no_secret(&log(), &secret, sso_signed_in);
}

/// Signs in with a wrong password, then the right one, and opens a page with the session.
async fn sign_in_wrong_then_right(addr: SocketAddr, secret: &mut Vec<String>) {
    let page = http(addr, "GET", "/staff/login", &[], b"").await;
    let form_cookie = page.cookie("attest_form").expect("a pre-session cookie");
    let csrf = csrf_in(&page.text());
    let wrong = "not the password at all";
    secret.push(wrong.into());
    let form = [("Cookie", form_cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let sign_in = |password: &str| {
        let body = format!("csrf={csrf}&email={}&password={}", enc(STAFF), enc(password));
        async move { http(addr, "POST", "/staff/login", &form, body.as_bytes()).await }
    };
    let res = sign_in(wrong).await;
    assert!(res.status == 200 || res.status == 401 || res.status == 422, "{} {}", res.status, res.text());
    let res = sign_in(PASSWORD).await;
    assert_eq!(res.status, 303, "{}", res.text());
    let session = res.cookie("attest_session").expect("a session");
    secret.push(session.split_once('=').unwrap().1.to_owned());
    assert_eq!(http(addr, "GET", "/staff/events", &[("Cookie", &session)], b"").await.status, 200);
}

/// Revokes the first certificate and reissues the second under a corrected name, first in a
/// language there is no template for (once a 500 whose log line held the name), then properly.
async fn revoke_and_reissue(addr: SocketAddr, bearer: &str, certs: &[Value], secret: &mut Vec<String>) {
    let api_json = |method: &'static str, path: String, body: Value| async move {
        let b = body.to_string();
        http(addr, method, &path, &[("Authorization", bearer), ("Content-Type", "application/json")], b.as_bytes())
            .await
    };
    let id0 = certs[0]["id"].as_str().unwrap();
    let res =
        api_json("POST", format!("/api/v1/certificates/{id0}/revoke"), json!({"reason": "issued in error"})).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let id1 = certs[1]["id"].as_str().unwrap();
    let corrected = "Zoë Corrected-Name";
    secret.push(corrected.into());
    let res =
        api_json("POST", format!("/api/v1/certificates/{id1}/reissue"), json!({"name": corrected, "language": "xx"}))
            .await;
    assert!(res.status == 422 || res.status == 400, "{} {}", res.status, res.text());
    let res = api_json("POST", format!("/api/v1/certificates/{id1}/reissue"), json!({"name": corrected})).await;
    assert_eq!(res.status, 201, "{}", res.text());
}

/// An event whose template is gone (set before this server knew better), imported and issued by
/// the API: the certificates cannot be rendered.
async fn unrenderable_event(addr: SocketAddr, db: &Path, bearer: &str, csv: &[u8]) {
    let auth = [("Authorization", bearer)];
    {
        let conn = harness::open_db(db);
        attest::store::events::create(
            &conn,
            &attest::store::events::NewEvent {
                template: Some("gone".into()),
                ..harness::new_event("broken", "Freedom of expression")
            },
            "test",
            chrono::Utc::now(),
        )
        .unwrap();
    }
    let (ct, body) = multipart("report.csv", csv);
    let res = http(addr, "POST", "/api/v1/events/broken/imports", &[auth[0], ("Content-Type", &ct)], &body).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let res = http(addr, "POST", "/api/v1/events/broken/certificates", &auth, b"").await;
    assert!(res.status >= 400, "{} {}", res.status, res.text());
}

/// The captured log works (it holds the error paths, so the test can fail) and holds none of
/// `secret`: certificate ids identify the certificates instead.
fn holds_no_secret(log: &str, secret: &[String], sso_signed_in: bool) {
    // The capture works and holds the error paths (so the test can fail).
    assert!(log.contains("DEBUG") || log.contains("INFO"), "{log}");
    assert!(log.contains("staff signed in"), "{log}");
    if sso_signed_in {
        assert!(log.contains("staff signed in through the OpenID provider"), "{log}");
        assert!(log.contains("sign-in through the OpenID provider refused"), "{log}");
    }
    for leaked in secret.iter().filter(|s| s.chars().count() >= 4) {
        assert!(!log.contains(leaked.as_str()), "the log holds {leaked:?}:\n{log}");
    }
    // The certificate ids are what identifies the certificates instead.
    assert!(log.contains("rendering certificate"), "{log}");
}

/// Every attendee's name and email, as the API lists them: personal data the log must not hold.
async fn names_and_emails(addr: SocketAddr, bearer: &str) -> Vec<String> {
    let auth = [("Authorization", bearer)];
    let mut secret = Vec::new();
    let people = http(addr, "GET", "/api/v1/events/echr/attendance", &auth, b"").await.json();
    let people = people.as_array().unwrap().clone();
    assert!(people.len() > 5);
    for p in &people {
        secret.push(p["name"].as_str().unwrap().to_owned());
        if let Some(e) = p["email"].as_str() {
            secret.push(e.to_owned());
        }
    }
    secret
}
