//! The public web side, in process (`tower::ServiceExt::oneshot`) and once over real HTTP:
//! status, headers and body of every public route; tampered, revoked and superseded tokens;
//! languages; escaping; the code-lookup rate limit; PDF upload; no personal data beyond the
//! certificate.

use crate::harness;

use std::path::Path;

use attest::issuance::{self, Issuer};
use attest::store::{self, certificates::Certificate};
use attest::web::{self, Mailer};
use harness::app::state_on;
use harness::web_config;

use crate::harness::{renderer, settings};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

/// An app with the multilingual webinar issued, plus one attendee whose name is a script tag.
fn spawn_app(limit: u32) -> (axum::Router, Vec<Certificate>, tempfile::TempDir) {
    let (app, certs, _, dir) = spawn_app_with_pdfs(limit);
    (app, certs, dir)
}

fn spawn_app_with_pdfs(limit: u32) -> (axum::Router, Vec<Certificate>, Vec<Vec<u8>>, tempfile::TempDir) {
    let mut db = harness::Db::new();
    let ev = db.event("echr", None);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let xss = "Name (Original Name),User Email,Join Time,Leave Time\n\"<script>alert(1)</script>\",x@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:42:00\"\n";
    db.import_bytes(&ev, "xss.csv", xss.as_bytes(), None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = attest::trust::token::active(&db.conn, dir.path(), harness::now()).unwrap();
    db.issue(&ev, &secret);
    let s = settings();
    let certs = store::certificates::for_event(&db.conn, ev.id).unwrap();
    let pdfs = certs.iter().map(|c| store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap()).collect();
    let state = state_on(db.into_conn(), web_config(&s, limit), None, Mailer::Outbox(dir.path().join("outbox")));
    (web::app(state), certs, pdfs, dir)
}

async fn get(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::builder().uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = harness::send_to(app, req).await;
    (res.status, res.headers, res.body)
}

fn cert<'a>(certs: &'a [Certificate], email: &str) -> &'a Certificate {
    certs.iter().find(|c| c.email.as_deref() == Some(email)).unwrap()
}

#[tokio::test]
async fn a_valid_certificate_shows_its_facts_and_nothing_more() {
    let (app, certs, _d) = spawn_app(10);
    let olga = cert(&certs, "olga.petrova@example.ua");
    let (status, headers, body) = get(&app, &format!("/v/{}", olga.token), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(body.contains("Valid certificate"), "{body}");
    assert!(
        body.contains("Ольга Петрова") && body.contains("14 March 2025") && body.contains(&issuance::grouped(&olga.id))
    );
    assert!(!body.contains("2025-03-14"), "no ISO date where a person reads: {body}");
    // The signing key and the links for verifiers are technical details, folded away.
    let details = &body[body.find("<details").expect("a disclosure")..];
    assert!(details.contains("Technical details") && details.contains(&olga.kid), "{details}");
    assert!(details.contains("href=\"/.well-known/jwks.json\"") && details.contains("href=\"/pdf-root.cer\""));
    assert!(!body[..body.find("<details").unwrap()].contains(&olga.kid), "the key only in the details");
    // No separator characters between links (one was left dangling on a phone).
    assert!(!body.contains(" · <a") && !body.contains("</a> · "), "{body}");
    assert!(!body.contains("olga.petrova@example.ua"), "no email on the public page");
    // Security headers on every response.
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert!(!body.contains("<script"), "no script on the page");
    assert!(!body.contains("style="), "no inline style");
    // What a reader sees, word for word; what changes with the keys stands in brackets.
    let text = harness::page_text(&body)
        .replace(&olga.token, "[token]")
        .replace(&issuance::grouped(&olga.id), "[code]")
        .replace(&olga.id, "[id]")
        .replace(&olga.kid, "[kid]");
    insta::assert_snapshot!("verify_page_valid", text);
}

#[tokio::test]
async fn the_same_url_answers_json() {
    let (app, certs, _d) = spawn_app(10);
    let c = cert(&certs, "nino.beridze@example.ge");
    let (status, headers, body) = get(&app, &format!("/v/{}", c.token), &[("accept", "application/json")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "valid");
    assert_eq!(v["certificate"]["name"], "ნინო ბერიძე");
    assert_eq!(v["certificate"]["minutes"], 96);
    assert!(!body.contains("@example"), "{body}");
}

#[tokio::test]
async fn tampered_tokens_are_not_genuine() {
    let (app, certs, _d) = spawn_app(10);
    let c = cert(&certs, "ayse.yilmaz@example.com.tr");
    let mut t = c.token.clone().into_bytes();
    let mid = t.len() / 2;
    t[mid] = if t[mid] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(t).unwrap();
    let (status, _, body) = get(&app, &format!("/v/{tampered}"), &[("accept", "application/json")]).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "not_genuine");
    assert!(v["certificate"].is_null());
    let (_, _, html) = get(&app, "/v/not-a-token", &[]).await;
    assert!(html.contains("Not genuine"));
}

#[tokio::test]
async fn revoked_and_superseded_certificates_say_so() {
    let mut db = harness::Db::new();
    let dir = tempfile::tempdir().unwrap();
    let (ev, secret) = db.webinar("echr", dir.path());
    let s = settings();
    db.issue(&ev, &secret);
    let issuer =
        Issuer { renderer: renderer(), secret: &secret, pdf: harness::pdf_signer(), settings: &s, actor: "cli" };
    let certs = store::certificates::for_event(&db.conn, ev.id).unwrap();
    let olga = cert(&certs, "olga.petrova@example.ua").clone();
    let ayse = cert(&certs, "ayse.yilmaz@example.com.tr").clone();
    store::certificates::revoke(&mut db.conn, &olga.id, "attendance could not be confirmed", "staff", harness::now())
        .unwrap();
    let first =
        issuance::reissue(&mut db.conn, issuer, &ayse.id, Some("Ayşe Yılmaz Demir"), None, harness::now()).unwrap();
    // Corrected twice: the page named the first correction (itself superseded) beside a link
    // to the second.
    let new = issuance::reissue(&mut db.conn, issuer, &first.id, Some("Ayşe Nur Yılmaz Demir"), None, harness::now())
        .unwrap();
    let app = web::app(state_on(db.into_conn(), web_config(&s, 10), None, Mailer::Outbox(dir.path().join("outbox"))));
    let (_, _, body) = get(&app, &format!("/v/{}", olga.token), &[]).await;
    assert!(
        body.contains("Revoked certificate")
            && body.contains("attendance could not be confirmed")
            && body.contains("Revoked on 1 January 2026."),
        "{body}"
    );
    let (_, _, body) = get(&app, &format!("/v/{}?lang=es", ayse.token), &[]).await;
    assert!(body.contains("Certificado reemplazado"), "{body}");
    assert!(body.contains(&format!("href=\"/v/{}?lang=es\"", new.token)), "links to the current certificate: {body}");
    let named = format!(">{}</a>", issuance::grouped(&new.id));
    assert!(body.contains(&named) && !body.contains(&issuance::grouped(&first.id)), "names the current one: {body}");
}

#[tokio::test]
async fn language_comes_from_accept_language_or_the_switcher() {
    let (app, certs, _d) = spawn_app(10);
    let c = cert(&certs, "m.alaoui@example.ma");
    let (_, _, fr) = get(&app, &format!("/v/{}", c.token), &[("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")]).await;
    assert!(fr.contains("Certificat valide") && fr.contains("<html lang=\"fr\""), "{fr}");
    // The English certificate's event title on the French page is marked English (round 20: a
    // screen reader read it with French sounds); on the English page it needs no mark.
    assert!(fr.contains("<dd lang=\"en\">"), "{fr}");
    let (_, _, en) = get(&app, &format!("/v/{}?lang=en", c.token), &[]).await;
    assert!(en.contains("Valid certificate") && !en.contains("<dd lang="), "{en}");
    assert!(en.contains("Council of Europe (CoE)"), "the issuer as the English certificate prints it: {en}");
    let (_, _, es) = get(&app, &format!("/v/{}?lang=es", c.token), &[("accept-language", "fr")]).await;
    assert!(es.contains("Certificado válido"));
    assert!(es.contains(&format!("href=\"/v/{}?lang=en\"", c.token)), "switcher links to the other languages");
}

/// A certificate's page names the issuer as that certificate prints it, whatever the page's
/// language: attest's French for its default issuer, the profile's Spanish where it has one
/// (round 20: "Council of Europe" beside a paper reading "Conseil de l’Europe").
#[tokio::test]
async fn the_verify_page_names_the_issuer_as_the_certificate_prints_it() {
    use attest::language::Language;
    let mut db = harness::Db::new();
    let ev = db.event("echr", None);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let now = harness::now();
    let eligible: Vec<_> = db.decisions(&ev).into_iter().filter(|d| d.eligible).collect();
    for (d, language) in eligible.iter().zip([Language::Fr, Language::Es]) {
        store::people::set_language(&db.conn, &ev, &d.key, language, "test", now).unwrap();
    }
    let profile = store::designs::Profile { issuer_es: Some("Consejo de Europa".into()), ..Default::default() };
    store::designs::set_profile(&mut db.conn, &profile, "test", now).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = attest::trust::token::active(&db.conn, dir.path(), now).unwrap();
    db.issue(&ev, &secret);
    let certs = store::certificates::for_event(&db.conn, ev.id).unwrap();
    let s = settings();
    let app = web::app(state_on(db.into_conn(), web_config(&s, 10), None, Mailer::Outbox(dir.path().join("o"))));
    for (language, printed) in [
        (Language::Fr, "Conseil de l’Europe (CoE)"),
        (Language::Es, "Consejo de Europa (CoE)"),
        (Language::En, "Council of Europe (CoE)"),
    ] {
        let c = certs.iter().find(|c| c.language == language).unwrap();
        let (_, _, page) = get(&app, &format!("/v/{}?lang=en", c.token), &[]).await;
        assert!(page.contains(printed), "{language:?}: {page}");
    }
}

#[tokio::test]
async fn names_are_escaped_on_every_page() {
    let (app, certs, _d) = spawn_app(10);
    let x = cert(&certs, "x@example.org");
    assert_eq!(x.name, "<script>alert(1)</script>");
    let (_, _, body) = get(&app, &format!("/v/{}", x.token), &[]).await;
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{body}");
    assert!(!body.contains("<script>"));
    let form = format!("code={}", issuance::grouped(&x.id));
    let req = Request::post("/verify/code")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (_, _, body) = send(&app, req).await;
    assert!(body.contains("&lt;script&gt;") && !body.contains("<script>"));
}

#[tokio::test]
async fn code_lookup_works_and_is_rate_limited() {
    let (app, certs, _d) = spawn_app(3);
    let c = cert(&certs, "zaneta.wojcik@example.pl");
    let code = issuance::grouped(&c.id).to_lowercase();
    let post = |code: String| {
        Request::post("/verify/code")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("code={code}")))
            .unwrap()
    };
    let (status, _, body) = send(&app, post(code.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Valid certificate") && body.contains("Żaneta Wójcik"));
    let (_, _, body) = send(&app, post("00000-00000-00000-00000-000000".into())).await;
    assert!(body.contains("Not genuine"));
    let (status, _, _) = send(&app, post(code.clone())).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = send(&app, post(code)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers[header::RETRY_AFTER], "60");
    assert!(body.contains("Too many attempts"));
}

#[tokio::test]
async fn uploading_the_pdf_checks_token_and_bytes() {
    let (app, certs, pdfs, _d) = spawn_app_with_pdfs(10);
    let i = certs.iter().position(|c| c.email.as_deref() == Some("a.papadopoulos@example.gr")).unwrap();
    let (status, _, body) = send(&app, multipart(&pdfs[i])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Valid certificate") && body.contains("exactly the PDF that was issued"), "{body}");
    // One byte changed in the page: the token is intact but the file is not the one issued.
    let mut altered = pdfs[i].clone();
    let at = altered.len() / 3;
    altered[at] ^= 0x20;
    let (_, _, body) = send(&app, multipart(&altered)).await;
    assert!(body.contains("Not genuine"), "{body}");
    // Not a certificate at all.
    let (_, _, body) = send(&app, multipart(b"%PDF-1.4 hello")).await;
    assert!(body.contains("carries no attest certificate token"), "{body}");
}

fn multipart(file: &[u8]) -> Request<Body> {
    harness::multipart_post("/verify/pdf", "", &[], &[("pdf", "c.pdf", "application/pdf", file)])
}

#[tokio::test]
async fn an_oversized_upload_is_refused_with_413() {
    let (app, _, _d) = spawn_app(10);
    let big = vec![b'x'; web::MAX_BODY_BYTES + 10];
    let (status, _, _) = send(&app, multipart(&big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn jwks_health_home_and_stylesheet() {
    let (app, certs, _d) = spawn_app(10);
    let (status, headers, body) = get(&app, "/.well-known/jwks.json", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["keys"][0]["kty"], "OKP");
    assert_eq!(v["keys"][0]["kid"], certs[0].kid);
    assert!(headers[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));
    assert!(!body.contains("\"d\""), "never a private key");
    let (status, _, body) = get(&app, "/healthz", &[]).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "{\"status\":\"ok\"}"));
    let (status, _, body) = get(&app, "/verify", &[("accept-language", "es")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Verificar un certificado de asistencia")
            && body.contains("name=\"code\"")
            && body.contains("enctype=\"multipart/form-data\"")
    );
    let (status, headers, css) = get(&app, "/static/site.css", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css") && css.contains(".banner"));
    let (status, _, _) = get(&app, "/no-such-page", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_real_server_answers_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let opts = harness::app::serve_options(&db, web_config(&settings(), 5), dir.path().join("outbox"));
    // The server ends with the test's runtime.
    let (addr, _server) = harness::app::serve(harness::app::listener().0, opts, None).await;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(out.to_lowercase().contains("x-frame-options: deny"));
    assert!(out.ends_with("{\"status\":\"ok\"}"));
}

/// An app that can issue on request, mailing to `mailer`; nothing issued beforehand.
/// [`request_app`] mailing into an outbox folder: the folder (kept alive while the test runs),
/// the outbox's path and the app.
fn app_with_outbox() -> (tempfile::TempDir, std::path::PathBuf, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let app = request_app(dir.path(), Mailer::Outbox(outbox.clone()));
    (dir, outbox, app)
}

fn request_app(dir: &Path, mailer: Mailer) -> axum::Router {
    let mut db = harness::Db::new();
    let ev = db.event("echr", None);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let s = settings();
    let issuing = harness::app::issuing(&dir.join("keys"), s.clone());
    web::app(state_on(db.into_conn(), web_config(&s, 10), Some(issuing), mailer))
}

fn ask(email: &str) -> Request<Body> {
    Request::post("/request")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("event=echr&email={email}")))
        .unwrap()
}

/// The thank-you page a request's answer (a 303) leads to.
async fn thank_you_page(app: &axum::Router, answer: &(StatusCode, axum::http::HeaderMap, String)) -> String {
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{}", answer.2);
    let to = answer.1[header::LOCATION].to_str().unwrap().to_owned();
    let (status, _, page) = get(app, &to, &[]).await;
    assert_eq!(status, StatusCode::OK);
    page
}

/// Waits (at most 10 s) for `n` files in the outbox.
async fn mails(outbox: &Path, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let files: Vec<_> =
            std::fs::read_dir(outbox).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
        if files.len() >= n {
            return files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail in {}", outbox.display());
}

fn link_in(mail: &str) -> String {
    let unfolded = mail.replace("=\r\n", "").replace("=\n", "");
    let at = unfolded.find("/download/").unwrap();
    unfolded[at..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn the_request_page_answers_the_same_for_attending_and_other_addresses() {
    let (_dir, outbox, app) = app_with_outbox();
    let (status, _, form) = get(&app, "/request", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"echr\"") && form.contains("type=\"email\""));
    assert!(form.contains("<h1>Ask for your certificate</h1>"), "{form}");
    let attended = send(&app, ask("Olga.Petrova%40example.ua")).await;
    let absent = send(&app, ask("nobody%40example.org")).await;
    let no_show = send(&app, ask("hj.mueller%40example.de")).await;
    assert_eq!((attended.0, &attended.2), (absent.0, &absent.2), "same status and body");
    assert_eq!((attended.0, &attended.2), (no_show.0, &no_show.2));
    assert_eq!(attended.1[header::LOCATION], absent.1[header::LOCATION], "same thank-you page");
    let thanks = thank_you_page(&app, &attended).await;
    assert!(thanks.contains("a message with a download link is on its way"), "{thanks}");
    // Only the attendee gets mail, with a one-time link to her certificate.
    let mail = &mails(&outbox, 1).await[0];
    assert!(mail.contains("To: olga.petrova@example.ua"), "{mail}");
    // The bulk delivery's mail, in the certificate's language, with a Message-ID of our domain.
    assert!(mail.replace("=\r\n", "").replace("=\n", "").contains("thank you for attending"), "{mail}");
    assert!(mail.contains("Message-ID: <") && mail.contains("@example.org>"), "{mail}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 1, "no mail for addresses that did not attend");
    let link = link_in(mail);
    // In the certificate's language, as bulk delivery's (round 20: it opened in the browser's).
    assert!(link.ends_with("?lang=en") || link.ends_with("?lang=3Den"), "{link}");
    let link = link.replace("=3D", "=");
    // The mail links the digital credential too (issue 11).
    assert!(mail.replace("=\r\n", "").replace("=\n", "").contains("/credentials/"), "{mail}");
    // The link opens a page with a download button; the button downloads, once.
    let (status, headers, page) = get(&app, &link, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(page.contains("<form method=\"post\"") && page.contains("Download the certificate"), "{page}");
    let (status, headers, _) = download(&app, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    let (status, _, body) = download(&app, &link).await;
    assert_eq!(status, StatusCode::GONE, "the link works once");
    assert!(body.contains("already been used or has expired"));
    let (status, _, body) = get(&app, &link, &[]).await;
    assert_eq!(status, StatusCode::GONE, "its page says so too");
    assert!(body.contains("already been used or has expired"));
    let (status, _, _) = get(&app, "/download/made-up", &[]).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(download(&app, "/download/made-up").await.0, StatusCode::GONE);
}

/// The download button: a form `POST` to the link.
async fn download(app: &axum::Router, link: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    send(app, Request::post(link).body(Body::empty()).unwrap()).await
}

/// Issue 23: mail scanners (Safe Links) open every link with `HEAD`, `GET` and `Range` requests
/// before the reader does; none of them may spend the one-time link.
#[tokio::test]
async fn link_scanners_do_not_spend_the_one_time_link() {
    let (_dir, outbox, app) = app_with_outbox();
    send(&app, ask("Olga.Petrova%40example.ua")).await;
    let link = link_in(&mails(&outbox, 1).await[0]);
    let head = send(&app, Request::head(&link).body(Body::empty()).unwrap()).await;
    assert_eq!(head.0, StatusCode::OK);
    for range in ["bytes=0-", "bytes=0-1023", "bytes=-500"] {
        let (status, headers, _) = get(&app, &link, &[("range", range)]).await;
        assert_eq!(status, StatusCode::OK, "{range}");
        assert!(
            headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"),
            "{range}: a page, not the PDF"
        );
    }
    get(&app, &link, &[]).await;
    let (status, headers, pdf) = download(&app, &link).await;
    assert_eq!(status, StatusCode::OK, "the attendee's click still downloads after the scanner's requests");
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.starts_with("%PDF"));
}

/// Issue 23: a newer link for the same certificate replaces the older ones, and the older one's
/// page says so.
#[tokio::test]
async fn a_newer_link_replaces_the_older_one() {
    let (_dir, outbox, app) = app_with_outbox();
    send(&app, ask("Olga.Petrova%40example.ua")).await;
    let first = link_in(&mails(&outbox, 1).await[0]);
    send(&app, ask("Olga.Petrova%40example.ua")).await;
    let both = mails(&outbox, 2).await;
    let second = both.iter().map(|m| link_in(m)).find(|l| *l != first).expect("a second link");
    let (status, _, body) = get(&app, &first, &[]).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("A newer link was sent"), "{body}");
    assert_eq!(download(&app, &first).await.0, StatusCode::GONE, "the older link downloads nothing");
    assert_eq!(download(&app, &second).await.0, StatusCode::OK);
}

/// Issue 23: three mails an hour per address, but a fourth request is answered (not refused
/// for an hour) and says truthfully that nothing more is sent; so asking three times in an
/// attendee's name cannot block the attendee, whose mailbox has the links already.
#[tokio::test]
async fn requests_send_at_most_three_mails_an_hour_per_address() {
    let (_dir, outbox, app) = app_with_outbox();
    for _ in 0..3 {
        assert_eq!(send(&app, ask("Olga.Petrova%40example.ua")).await.0, StatusCode::SEE_OTHER);
    }
    mails(&outbox, 3).await;
    let fourth = send(&app, ask("OLGA.PETROVA%40example.ua")).await;
    assert!(fourth.1.get(header::RETRY_AFTER).is_none());
    let body = thank_you_page(&app, &fourth).await;
    assert!(body.contains("no further message is sent now"), "{body}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 3, "no fourth mail");
    assert_eq!(send(&app, ask("not-an-email")).await.0, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Per client: a few requests a minute; then 429 for a minute, as the page and `Retry-After` say.
#[tokio::test]
async fn requests_are_rate_limited_per_client_for_a_minute() {
    let dir = tempfile::tempdir().unwrap();
    let app = request_app(dir.path(), Mailer::Outbox(dir.path().join("outbox")));
    let mut last = (StatusCode::OK, axum::http::HeaderMap::new(), String::new());
    for i in 0..11 {
        last = send(&app, ask(&format!("someone{i}%40example.org"))).await;
    }
    assert_eq!(last.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(last.1[header::RETRY_AFTER], "60");
    assert!(last.2.contains("wait a minute"));
}

#[tokio::test]
async fn the_link_is_delivered_over_real_smtp() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    // A minimal SMTP server on loopback that keeps the message it receives.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        w.write_all(b"220 test ESMTP\r\n").await.unwrap();
        let (mut data, mut in_data, mut tx) = (String::new(), false, Some(tx));
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    w.write_all(b"250 queued\r\n").await.unwrap();
                    if let Some(t) = tx.take() {
                        t.send(data.clone()).ok();
                    }
                } else {
                    data.push_str(&line);
                    data.push('\n');
                }
                continue;
            }
            let cmd = line.to_ascii_uppercase();
            let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                b"250 test\r\n"
            } else if cmd.starts_with("DATA") {
                in_data = true;
                b"354 go on\r\n"
            } else if cmd.starts_with("QUIT") {
                w.write_all(b"221 bye\r\n").await.ok();
                break;
            } else {
                b"250 ok\r\n"
            };
            w.write_all(reply).await.unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(Some(&format!("smtp://127.0.0.1:{port}")), dir.path().join("unused")).unwrap();
    let app = request_app(dir.path(), mailer);
    assert_eq!(send(&app, ask("nino.beridze%40example.ge")).await.0, StatusCode::SEE_OTHER);
    let message =
        tokio::time::timeout(std::time::Duration::from_secs(20), rx).await.expect("mail within 20 s").unwrap();
    assert!(message.contains("To: nino.beridze@example.ge"), "{message}");
    let link = link_in(&message);
    let (status, headers, _) = download(&app, &link).await;
    assert_eq!((status, headers[header::CONTENT_TYPE].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    assert!(!dir.path().join("unused").exists(), "nothing written to the outbox when SMTP is set");
}

/// Issue 21: the request's answer is a redirect to the thank-you page, so reloading that page
/// (or going back to it) sends the form no second time: one mail. Checked to fail before the
/// redirect (the `POST` answered 200 with the page itself, which a reload posted again).
#[tokio::test]
async fn reloading_the_thank_you_page_sends_no_second_mail() {
    let (_dir, outbox, app) = app_with_outbox();
    let answer = send(&app, ask("Olga.Petrova%40example.ua")).await;
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{}", answer.2);
    let to = answer.1[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/request?") && to.contains("sent="), "{to}");
    mails(&outbox, 1).await;
    // The browser shows the thank-you page, and the attendee reloads it twice.
    for _ in 0..3 {
        let (status, _, page) = get(&app, &to, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<h1>Request received</h1>") && page.contains("on its way"), "{page}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 1, "one mail, whatever the reloads");
    // In the reader's language.
    let (_, _, fr) = get(&app, &to.replace("lang=en", "lang=fr"), &[]).await;
    assert!(fr.contains("<h1>Demande reçue</h1>"), "{fr}");
}

/// Issue 21: the form lists each event with the day it was held, in the reader's language.
/// Checked to fail before (a select of titles only).
#[tokio::test]
async fn the_request_form_lists_events_with_their_dates() {
    let dir = tempfile::tempdir().unwrap();
    let app = request_app(dir.path(), Mailer::Outbox(dir.path().join("outbox")));
    let (_, _, en) = get(&app, "/request?lang=en", &[]).await;
    let (_, _, es) = get(&app, "/request?lang=es", &[]).await;
    assert!(en.contains("type=\"radio\"") && en.contains("value=\"echr\""), "{en}");
    assert!(en.contains("<span class=\"when\">14 March 2025</span>"), "{en}");
    assert!(es.contains("<span class=\"when\">14 de marzo de 2025</span>"), "{es}");
}

/// Round 20: a French event's title on the English form is marked French (a screen reader read
/// it with English sounds), and with several events none is chosen beforehand (an attendee who
/// went straight to the address asked for the newest one and was told the request was received).
#[tokio::test]
async fn the_request_form_marks_titles_in_another_language_and_chooses_no_event() {
    let mut db = harness::Db::new();
    let ev = db.event("echr", None);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let fr = store::events::NewEvent {
        starts_at: Some(harness::utc("2025-03-20T09:00:00Z")),
        ends_at: Some(harness::utc("2025-03-20T10:40:00Z")),
        language: attest::language::Language::Fr,
        ..harness::new_event("liberte", "La liberté d’expression en ligne")
    };
    store::events::create(&db.conn, &fr, "cli", harness::now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = settings();
    let issuing = harness::app::issuing(&dir.path().join("keys"), s.clone());
    let app =
        web::app(state_on(db.into_conn(), web_config(&s, 10), Some(issuing), Mailer::Outbox(dir.path().join("o"))));
    let (_, _, en) = get(&app, "/request?lang=en", &[]).await;
    assert!(en.contains("<span class=\"title\" lang=\"fr\">La liberté d’expression en ligne</span>"), "{en}");
    assert!(en.contains("<span class=\"title\">Event echr</span>"), "{en}");
    assert!(!en.contains("checked"), "{en}");
    let (_, _, fr) = get(&app, "/request?lang=fr", &[]).await;
    assert!(fr.contains("<span class=\"title\">La liberté d’expression en ligne</span>"), "{fr}");
}

/// Issue 21: an unknown URL answers a 404 page in the site's style and the reader's language
/// (it was an empty body). Checked to fail without the fallback route.
#[tokio::test]
async fn unknown_urls_answer_a_404_page_in_the_readers_language() {
    let (app, _, _d) = spawn_app(10);
    for (accept, heading) in
        [("en", "Page not found"), ("fr-FR,fr;q=0.9", "Page introuvable"), ("es", "Página no encontrada")]
    {
        let (status, headers, body) = get(&app, "/no/such/page", &[("accept-language", accept)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        assert!(body.contains(&format!("<h1>{heading}</h1>")), "{body}");
        assert!(body.contains("href=\"/static/site.css\"") && body.contains("href=\"/verify?lang="), "{body}");
    }
}

/// Issue 21: "not genuine" says what can cause it (a mistyped code, a changed file) and what to
/// do (check the code, contact the issuer, named), in whole sentences, in three languages.
/// Checked to fail before (one sentence and a reason without a full stop).
#[tokio::test]
async fn a_not_genuine_verdict_says_what_causes_it_and_what_to_do() {
    let (app, _, _d) = spawn_app(10);
    for (lang, cause, next) in [
        ("en", "a character of the code was mistyped", "contact its issuer, Council of Europe"),
        ("fr", "un caractère du code a été mal saisi", "contactez son émetteur, Conseil de l’Europe"),
        ("es", "se ha escrito mal un carácter del código", "con su emisor, Consejo de Europa"),
    ] {
        let (_, _, body) = get(&app, &format!("/v/not-a-token?lang={lang}"), &[]).await;
        assert!(body.contains(cause) && body.contains(next), "{lang}: {body}");
        assert!(body.contains(&format!("href=\"/verify?lang={lang}#code\"")), "{lang}: {body}");
        // Every paragraph of the verdict ends with a full stop.
        let banner = &body[body.find("<section class=\"banner").unwrap()..];
        let banner = &banner[..banner.find("</section>").unwrap()];
        for p in banner.split("<p>").skip(1) {
            let text = p.split("</p>").next().unwrap();
            assert!(text.ends_with('.'), "{lang}: {text:?}");
        }
    }
}

/// Issue 21: the verify page's dates read as on the PDF, in the reader's language. Checked to
/// fail before (ISO dates).
#[tokio::test]
async fn verify_pages_give_dates_in_the_readers_language() {
    let (app, certs, _d) = spawn_app(10);
    let c = cert(&certs, "olga.petrova@example.ua");
    let (_, _, fr) = get(&app, &format!("/v/{}?lang=fr", c.token), &[]).await;
    let (_, _, es) = get(&app, &format!("/v/{}?lang=es", c.token), &[]).await;
    assert!(fr.contains("<dd>14 mars 2025</dd>"), "{fr}");
    assert!(es.contains("<dd>14 de marzo de 2025</dd>"), "{es}");
}

/// Issue 21: beyond twenty events the form lists them in a select, newest first, each option
/// with its date first (so that similar titles cut on a phone stay apart).
#[tokio::test]
async fn many_events_are_listed_newest_first_with_their_dates() {
    let db = harness::Db::new();
    for day in 1..=21 {
        let (from, to) = (format!("2025-03-{day:02}T09:00:00Z"), format!("2025-03-{day:02}T10:00:00Z"));
        db.event(&format!("day-{day:02}"), Some((&from, &to)));
    }
    let dir = tempfile::tempdir().unwrap();
    let s = settings();
    let app = web::app(state_on(db.into_conn(), web_config(&s, 10), None, Mailer::Outbox(dir.path().join("outbox"))));
    let (_, _, page) = get(&app, "/request?lang=fr", &[]).await;
    assert!(page.contains("<select id=\"event\" name=\"event\" required>"), "{page}");
    let newest = page.find("<option value=\"day-21\">21 mars 2025 · Event day-21</option>").expect("dated options");
    let oldest = page.find("<option value=\"day-01\">1 mars 2025 · Event day-01</option>").expect("dated options");
    assert!(newest < oldest, "newest first");
}
