//! The public web side, in process (`tower::ServiceExt::oneshot`) and once over real HTTP:
//! status, headers and body of every public route; tampered, revoked and superseded tokens;
//! languages; escaping; the code-lookup rate limit; PDF upload; no personal data beyond the
//! certificate.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use attest::certificate::Renderer;
use attest::issuance::{self, Issuer, Settings};
use attest::store::{self, certificates::Certificate};
use attest::web::{self, AppState, Db, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Renderer::load(&root.join("assets"), &root.join("fonts")).unwrap()
    })
}

/// An app with the multilingual webinar issued, plus one attendee whose name is a script tag.
fn spawn_app(limit: u32) -> (axum::Router, Vec<Certificate>, tempfile::TempDir) {
    let (app, certs, _, dir) = spawn_app_with_pdfs(limit);
    (app, certs, dir)
}

fn spawn_app_with_pdfs(limit: u32) -> (axum::Router, Vec<Certificate>, Vec<Vec<u8>>, tempfile::TempDir) {
    let mut db = common::Db::new();
    let ev = db.event("echr", None);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let xss = "Name (Original Name),User Email,Join Time,Leave Time\n\"<script>alert(1)</script>\",x@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:42:00\"\n";
    db.import_bytes(&ev, "xss.csv", xss.as_bytes(), None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = attest::signing::active(&db.conn, dir.path(), common::now()).unwrap();
    let s = Settings {
        public_url: "http://127.0.0.1:8080".into(),
        issuer: "Council of Europe".into(),
        issuer_short: "CoE".into(),
    };
    issuance::issue_event(
        &mut db.conn,
        Issuer { renderer: renderer(), secret: &secret, settings: &s },
        &ev,
        false,
        common::now(),
        &|_| {},
    )
    .unwrap();
    let certs = store::certificates::for_event(&db.conn, ev.id).unwrap();
    let pdfs = certs.iter().map(|c| store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap()).collect();
    let state = AppState::new(
        Db::single(db.conn),
        WebConfig { public_url: s.public_url, issuer: s.issuer, code_lookups_per_minute: limit },
    )
    .unwrap();
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
    let res = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 10 * 1024 * 1024).await.unwrap();
    (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
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
        body.contains("Ольга Петрова") && body.contains("2025-03-14") && body.contains(&issuance::grouped(&olga.id))
    );
    assert!(body.contains(&olga.kid));
    assert!(!body.contains("olga.petrova@example.ua"), "no email on the public page");
    // Security headers on every response.
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert!(!body.contains("<script"), "no script on the page");
    assert!(!body.contains("style="), "no inline style");
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
    let mut db = common::Db::new();
    let ev = db.event("echr", None);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let dir = tempfile::tempdir().unwrap();
    let secret = attest::signing::active(&db.conn, dir.path(), common::now()).unwrap();
    let s = Settings {
        public_url: "http://127.0.0.1:8080".into(),
        issuer: "Council of Europe".into(),
        issuer_short: "CoE".into(),
    };
    let issuer = Issuer { renderer: renderer(), secret: &secret, settings: &s };
    issuance::issue_event(&mut db.conn, issuer, &ev, false, common::now(), &|_| {}).unwrap();
    let certs = store::certificates::for_event(&db.conn, ev.id).unwrap();
    let olga = cert(&certs, "olga.petrova@example.ua").clone();
    let ayse = cert(&certs, "ayse.yilmaz@example.com.tr").clone();
    store::certificates::revoke(&mut db.conn, &olga.id, "attendance could not be confirmed", "staff", common::now())
        .unwrap();
    let new =
        issuance::reissue(&mut db.conn, issuer, &ayse.id, Some("Ayşe Yılmaz Demir"), None, common::now()).unwrap();
    let app = web::app(
        AppState::new(
            Db::single(db.conn),
            WebConfig { public_url: s.public_url, issuer: s.issuer, code_lookups_per_minute: 10 },
        )
        .unwrap(),
    );
    let (_, _, body) = get(&app, &format!("/v/{}", olga.token), &[]).await;
    assert!(
        body.contains("Revoked certificate")
            && body.contains("attendance could not be confirmed")
            && body.contains("2026-01-01"),
        "{body}"
    );
    let (_, _, body) = get(&app, &format!("/v/{}?lang=es", ayse.token), &[]).await;
    assert!(body.contains("Certificado reemplazado"), "{body}");
    assert!(body.contains(&format!("href=\"/v/{}?lang=es\"", new.token)), "links to the current certificate: {body}");
}

#[tokio::test]
async fn language_comes_from_accept_language_or_the_switcher() {
    let (app, certs, _d) = spawn_app(10);
    let c = cert(&certs, "m.alaoui@example.ma");
    let (_, _, fr) = get(&app, &format!("/v/{}", c.token), &[("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")]).await;
    assert!(fr.contains("Certificat valide") && fr.contains("<html lang=\"fr\""), "{fr}");
    let (_, _, es) = get(&app, &format!("/v/{}?lang=es", c.token), &[("accept-language", "fr")]).await;
    assert!(es.contains("Certificado válido"));
    assert!(es.contains(&format!("href=\"/v/{}?lang=en\"", c.token)), "switcher links to the other languages");
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
    let boundary = "XBOUNDARYX";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"c.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post("/verify/pdf")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap()
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
    let db = dir.path().join("attest.sqlite3");
    store::open(&db).unwrap();
    let opts = web::ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        db,
        config: WebConfig { public_url: "http://127.0.0.1".into(), issuer: "CoE".into(), code_lookups_per_minute: 5 },
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(web::serve(opts, move |addr| {
        tx.send(addr).unwrap();
    }));
    let addr = rx.await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(out.to_lowercase().contains("x-frame-options: deny"));
    assert!(out.ends_with("{\"status\":\"ok\"}"));
    server.abort();
}
