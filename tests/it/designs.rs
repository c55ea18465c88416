//! Certificate designs (issue 12): the layout of the fullest design (four logos, three
//! signatories, a line, a 120-character name, the QR code) read back from the layout and the
//! PDF; certificates frozen with the design version they were issued with; and every new
//! console and API route: sign-in, CSRF, bad uploads refused with nothing stored, the preview.

use crate::harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::Db as TestDb;
use attest::certificate::design::{self, DesignSpec, SignatorySpec};
use attest::certificate::layout::{Item, PAGE_H, PAGE_W};
use attest::certificate::{CertificateContent, Renderer};
use attest::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use harness::{Session, TestApp, enc, form, get, send};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/design").join(name)).unwrap()
}

/// Where the pictures of this test go for people to look at.
fn shots() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

const LONG_NAME: &str = "Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinhausenberger de la Santísima Trinidad y Fernández-Ötztal Beaumont";

/// The fullest design: four logos, a line, three signatories with signatures.
fn full_spec(ids: &[String], sig: &str) -> DesignSpec {
    let t =
        |en: &str, fr: &str| BTreeMap::from([("en".to_string(), en.to_string()), ("fr".to_string(), fr.to_string())]);
    DesignSpec {
        logos: ids.to_vec(),
        line: t(
            "Co-organised with Parliamentarians for Global Action · Funded by the European Union",
            "Co-organisé avec l'Action mondiale des parlementaires · Financé par l'Union européenne",
        ),
        signatories: vec![
            SignatorySpec {
                name: "Alexander Seger".into(),
                title: t(
                    "Head of the Cybercrime Division, Council of Europe",
                    "Chef de la Division de la cybercriminalité",
                ),
                signature: Some(sig.into()),
            },
            SignatorySpec {
                name: "Dr. Maria Fernanda Castellanos".into(),
                title: t("Secretary-General, Parliamentarians for Global Action", "Secrétaire générale, AMP"),
                signature: Some(sig.into()),
            },
            SignatorySpec {
                name: "Jean-Baptiste Ndiaye".into(),
                title: t("Project Manager, GLACY+ (EU / Council of Europe)", "Chef de projet, GLACY+"),
                signature: Some(sig.into()),
            },
        ],
        ..DesignSpec::default()
    }
}

/// The sample certificate with this file's longer title and a 300-character link (a denser QR
/// code than most), so that layouts are tried at their fullest.
fn content(name: &str, template: Option<String>) -> CertificateContent {
    CertificateContent {
        template,
        event_title: "Regional parliamentary webinar on the Budapest Convention: African Region".into(),
        ..CertificateContent::sample(name, "en", format!("http://127.0.0.1:8080/v/{}", "e".repeat(300)))
    }
}

/// A renderer of this test's own, with the fullest design prepared as design 1, version 1.
fn full_renderer() -> Renderer {
    let r = Renderer::shipped().unwrap();
    let files = ["logo-wide.png", "logo-square.jpg", "logo-c.png", "logo-d.png", "signature.png"];
    let checked: Vec<_> = files.iter().map(|f| design::check_image(&fixture(f)).unwrap()).collect();
    let ids: Vec<String> = (0..5).map(|i| format!("img{i}")).collect();
    let spec = full_spec(&ids[..4], &ids[4]);
    r.prepare_design((1, 1), &spec, &|id| ids.iter().position(|i| i == id).map(|i| checked[i].png.clone())).unwrap();
    r
}

fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    // Half a point of tolerance: text boxes are approximations (-0.3 em to 1 em).
    a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5
}

#[test]
fn four_logos_three_signatories_a_120_character_name_and_the_qr_code_fit_one_page_without_overlap() {
    let r = full_renderer();
    let name: String = LONG_NAME.chars().take(120).collect();
    assert_eq!(name.chars().count(), 120);
    let (pdf, page) = r.render_with_layout(&content(&name, Some(design::template_name(1, 1)))).unwrap();
    let n = page.qr.total_modules();
    let boxes: Vec<(String, (f32, f32, f32, f32))> = page
        .items
        .iter()
        .filter(|i| !matches!(i, Item::Frame { .. }))
        .map(|i| {
            let what = match i {
                Item::Text { line, .. } => format!("text {:?}", line.text),
                Item::Image { asset, .. } => format!("image {asset}"),
                Item::Rule { .. } => "rule".into(),
                Item::Qr { .. } => "QR code".into(),
                Item::Frame { .. } => unreachable!(),
            };
            (what, i.bbox(n))
        })
        .collect();
    assert_eq!(boxes.iter().filter(|(w, _)| w.starts_with("image")).count(), 7, "4 logos and 3 signatures");
    for (what, b) in &boxes {
        assert!(
            b.0 >= 30.0 && b.2 <= PAGE_W - 30.0 && b.1 >= 25.0 && b.3 <= PAGE_H - 30.0,
            "{what} leaves the page: {b:?}"
        );
    }
    let same_paragraph = |a: &str, b: &str| {
        // Two lines of one wrapped name: their approximate boxes (1.3 em) exceed the 1.25 em
        // leading by design; lines of one paragraph never collide.
        a.starts_with("text")
            && b.starts_with("text")
            && name.contains(&a[6..a.len() - 1])
            && name.contains(&b[6..b.len() - 1])
    };
    for (i, (wa, a)) in boxes.iter().enumerate() {
        for (wb, b) in &boxes[i + 1..] {
            if same_paragraph(wa, wb) {
                continue;
            }
            assert!(!overlaps(*a, *b), "{wa} {a:?} overlaps {wb} {b:?}");
        }
    }
    // The PDF holds the same: one page, seven images placed, every text there.
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    let images = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(&b"Image"[..]))
                && !o.as_stream().unwrap().dict.has(b"Decode")
        })
        .count();
    assert!(images >= 7, "{images} image objects");
    let (text, _) = harness::pdf_text(&pdf);
    for want in ["Alexander Seger", "Jean-Baptiste Ndiaye", "Co-organised with Parliamentarians", "Secretary-General"] {
        assert!(text.contains(want), "{want} missing from\n{text}");
    }
    std::fs::write(shots().join("design-full.pdf"), &pdf).unwrap();
    let png = r.preview_png(&content(&name, Some(design::template_name(1, 1))), 110.0).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::write(shots().join("design-full-preview.png"), png).unwrap();
}

#[test]
fn the_default_look_is_unchanged_by_designs() {
    // The shipped template path takes no design and draws no logo, signatory or signature
    // (issue 21: nothing invented on a real certificate).
    let r = Renderer::shipped().unwrap();
    let (_, page) = r.render_with_layout(&content("Christian Ibasco", None)).unwrap();
    let images = page.items.iter().filter(|i| matches!(i, Item::Image { .. })).count();
    assert_eq!(images, 0, "no logo and no signature");
    let unknown = r.render(&content("X", Some(design::template_name(9, 9)))).unwrap_err();
    assert!(unknown.to_string().contains("design:9@9"), "{unknown}");
}

struct World {
    db: TestDb,
    event: attest::store::events::Event,
    secret: attest::trust::token::PrivateKey,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let mut db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let (event, secret) = db.webinar("budapest-africa", &dir.path().join("keys"));
    World { db, event, secret, _dir: dir }
}

#[test]
fn certificates_keep_the_design_version_they_were_issued_with_and_reissue_takes_the_current() {
    use attest::store::designs;
    let mut w = world();
    let now = harness::now();
    let logo = designs::put_asset(&w.db.conn, &design::check_image(&fixture("logo-wide.png")).unwrap(), now).unwrap();
    let mut spec = DesignSpec {
        logos: vec![logo.clone()],
        line: BTreeMap::from([("en".into(), "Funded by the European Union".into())]),
        signatories: vec![SignatorySpec { name: "Alexander Seger".into(), ..Default::default() }],
        ..Default::default()
    };
    let d = designs::create(&mut w.db.conn, "GLACY+", &spec, "test", now).unwrap();
    designs::set_event_design(&mut w.db.conn, w.event.id, Some(d.id), "test", now).unwrap();
    let report = w.db.issue(&w.event, &w.secret);
    assert!(!report.issued.is_empty());
    let certs = attest::store::certificates::for_event(&w.db.conn, w.event.id).unwrap();
    for c in &certs {
        assert_eq!(designs::of_certificate(&w.db.conn, &c.id).unwrap(), Some((d.id, 1)));
    }
    let pdf = attest::store::certificates::pdf(&w.db.conn, &certs[0].id).unwrap().unwrap();
    assert!(harness::pdf_text(&pdf).0.contains("Funded by the European Union"));

    // A new version: old certificates keep version 1 (and their PDF); a reissue takes version 2.
    spec.line.insert("en".into(), "Co-organised with EU Cyber Direct".into());
    let d2 = designs::save(&mut w.db.conn, d.id, "GLACY+", &spec, "test", now).unwrap();
    assert_eq!(d2.version, 2);
    let s = harness::settings();
    let issuer = harness::issuer(&w.secret, harness::pdf_signer(), &s, "test");
    let new = attest::issuance::reissue(
        &mut w.db.conn,
        issuer,
        &certs[0].id,
        None,
        Some(attest::language::Language::Fr),
        now,
    )
    .unwrap();
    assert_eq!(designs::of_certificate(&w.db.conn, &new.id).unwrap(), Some((d.id, 2)));
    assert_eq!(designs::of_certificate(&w.db.conn, &certs[1].id).unwrap(), Some((d.id, 1)));
    let old_pdf = attest::store::certificates::pdf(&w.db.conn, &certs[1].id).unwrap().unwrap();
    assert!(harness::pdf_text(&old_pdf).0.contains("Funded by the European Union"));
    // The old certificate still verifies.
    let keys = attest::trust::token::key_set(&w.db.conn).unwrap();
    let v = attest::verification::verify(&keys, Some(&w.db.conn), attest::verification::Source::Pdf(&old_pdf)).unwrap();
    assert_eq!(v.status.word(), "valid", "{v:?}");

    // The images and versions a certificate uses cannot be deleted.
    assert!(w.db.conn.execute_for_tests("DELETE FROM design_assets WHERE sha256 = ?1", [&logo]).is_err());
    assert!(
        w.db.conn
            .execute_for_tests("DELETE FROM design_versions WHERE design_id = ?1 AND version = 1", [d.id])
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// The console and the API, in process.

const EMAIL: &str = "staff@coe.int";
const PASSWORD: &str = "a long staff password";

/// The service with issuing, one admin with a password and their API token.
fn app() -> TestApp {
    TestApp::new().issuing().staff(EMAIL, Role::Admin, Some(PASSWORD)).token().build()
}

/// The service, its admin signed in, and the database opened beside it with the event `slug`.
async fn signed_in_with_event(slug: &str) -> (TestApp, Session, TestDb, attest::store::events::Event) {
    let app = app();
    let s = app.sign_in().await;
    let db = TestDb::at(&app.db);
    let event = db.event(slug, None);
    (app, s, db, event)
}

/// The design form as a browser sends it: text fields, then files.
fn design_form(
    uri: &str,
    s: &Session,
    csrf: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Request<Body> {
    let fields: Vec<(&str, &str)> = [("csrf", csrf)].into_iter().chain(fields.iter().copied()).collect();
    let files: Vec<harness::app::FilePart> =
        files.iter().map(|(field, file, bytes)| (*field, *file, "image/png", *bytes)).collect();
    harness::multipart_post(uri, &s.cookie, &fields, &files)
}

/// The design `id`'s form, sent by `s` with its own CSRF token.
fn save_design(id: i64, s: &Session, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Request<Body> {
    design_form(&format!("/staff/designs/{id}"), s, &s.csrf, fields, files)
}

async fn new_design(app: &TestApp, s: &Session, name: &str) -> i64 {
    let res = send(app, s.form("/staff/designs", &format!("name={}", enc(name)))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let loc = res.headers[header::LOCATION].to_str().unwrap().to_owned();
    loc.trim_end_matches("?done=design-created").rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn every_design_route_requires_sign_in_or_a_token() {
    let app = app();
    for uri in [
        "/staff/designs",
        "/staff/designs/1",
        "/staff/designs/1/preview.png",
        "/staff/designs/images/x.png",
        "/staff/events/x/design",
    ] {
        let res = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(res.headers[header::LOCATION].to_str().unwrap().starts_with("/staff/login"), "{uri}");
    }
    for uri in ["/staff/designs", "/staff/designs/1", "/staff/organisation", "/staff/events/x/design"] {
        let res = send(&app, form(uri, "", "csrf=x&name=y")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(res.headers[header::LOCATION].to_str().unwrap().starts_with("/staff/login"), "{uri}");
    }
    for (method, uri) in [
        ("GET", "/api/v1/designs"),
        ("POST", "/api/v1/designs"),
        ("GET", "/api/v1/designs/1"),
        ("PUT", "/api/v1/designs/1"),
        ("POST", "/api/v1/design-images"),
        ("GET", "/api/v1/designs/1/preview"),
        ("GET", "/api/v1/organisation"),
        ("PUT", "/api/v1/organisation"),
        ("PUT", "/api/v1/events/x/design"),
    ] {
        let res = send(&app, Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM designs"), 0);
}

#[tokio::test]
async fn forms_without_the_session_csrf_token_change_nothing() {
    let app = app();
    let s = app.sign_in_landing("/staff/designs").await;
    let res = send(&app, form("/staff/designs", &s.cookie, "csrf=forged&name=Evil")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let id = new_design(&app, &s, "GLACY+").await;
    let res = send(
        &app,
        design_form(&format!("/staff/designs/{id}"), &s, "forged", &[("name", "Evil"), ("sig_name_0", "X")], &[]),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res =
        send(&app, form("/staff/organisation", &s.cookie, "csrf=forged&issuer=Evil&issuer_short=E&default_design="))
            .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM designs WHERE name = 'Evil'"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM design_versions"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM organisation"), 0);
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_clear_message_and_nothing_is_stored() {
    let app = app();
    let s = app.sign_in_landing("/staff/designs").await;
    let id = new_design(&app, &s, "GLACY+").await;
    let jpeg = fixture("logo-square.jpg");
    let html: &[u8] = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    let svg: &[u8] =
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    let huge = harness::grey_png(8000, 5000, 255);
    // The console's words (the API's are the library's, naming what the file looks like).
    let cases: [(&str, &[u8], &str, &str); 4] = [
        ("logo.png", html, "not a PNG or JPEG image", "an HTML page, not a PNG or JPEG image"),
        ("big.png", &huge, "8000 × 5000 pixels", "8000 × 5000 pixels"),
        ("logo.svg", svg, "not a PNG or JPEG image", "an SVG drawing, not a PNG or JPEG image"),
        ("cut.jpg", &jpeg[..jpeg.len() / 2], "JPEG image cannot be read", "JPEG image cannot be read"),
    ];
    for (file, bytes, said, want) in cases {
        // A good logo in the same form: no new version; the good logo is kept for the form
        // that comes back (tests/it/forms.rs), the bad one never stored.
        let res = send(
            &app,
            save_design(
                id,
                &s,
                &[("name", "GLACY+"), ("sig_name_0", "Alexander Seger")],
                &[("logo_0", "good.png", &fixture("logo-wide.png")), ("logo_1", file, bytes)],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{file}: {}", res.body);
        assert!(res.body.contains("Logo 2") && res.body.contains(said), "{file}: {}", res.body);
        assert!(res.body.contains("Choose the file again"), "{file}");
        assert_eq!(app.count("SELECT COUNT(*) FROM design_assets"), 1, "{file}: only the good logo");
        assert_eq!(app.count("SELECT COUNT(*) FROM design_versions"), 1, "{file}");

        let res = send(
            &app,
            Request::post("/api/v1/design-images")
                .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(Body::from(bytes.to_vec()))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{file}");
        let err: serde_json::Value = serde_json::from_slice(&res.bytes).unwrap();
        assert!(err["error"].as_str().unwrap().contains(want), "{file}: {err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM design_assets"), 1, "{file}");
    }
}

#[tokio::test]
async fn staff_upload_logos_add_a_signatory_preview_and_choose_the_design_for_an_event() {
    let app = app();
    let s = app.sign_in_landing("/staff/designs").await;
    let id = new_design(&app, &s, "Budapest Convention webinars").await;
    let page = send(&app, get(&format!("/staff/designs/{id}"), &s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let res = send(
        &app,
        save_design(
            id,
            &s,
            &[
                ("name", "Budapest Convention webinars"),
                ("line_en", "Co-organised with Parliamentarians for Global Action"),
                ("sig_name_0", "Alexander Seger"),
                ("sig_title_0_en", "Head of the Cybercrime Division"),
                ("sig_name_1", "Maria Castellanos"),
                ("sig_title_1_en", "Parliamentarians for Global Action"),
                ("heading_en", "Certificate of participation"),
                ("accent", "#7a1f1f"),
            ],
            &[("logo_0", "coe.png", &fixture("logo-wide.png")), ("logo_1", "pga.jpg", &fixture("logo-square.jpg"))],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM design_assets"), 2);
    assert_eq!(app.count("SELECT MAX(version) FROM design_versions"), 2);
    let page = send(&app, get(&format!("/staff/designs/{id}"), &s.cookie)).await;
    assert!(page.body.contains("Maria Castellanos") && page.body.contains("/staff/designs/images/"));
    // The stored images are served as attest's PNG, not as uploaded.
    let at = page.body.find("/staff/designs/images/").unwrap();
    let img_uri = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let img = send(&app, get(img_uri, &s.cookie)).await;
    assert_eq!(img.headers[header::CONTENT_TYPE], "image/png");
    assert!(img.bytes.starts_with(b"\x89PNG"));
    for sample in ["long", "arabic"] {
        let p = send(&app, get(&format!("/staff/designs/{id}/preview.png?sample={sample}"), &s.cookie)).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        assert_eq!(p.headers[header::CONTENT_TYPE], "image/png");
        std::fs::write(shots().join(format!("design-preview-{sample}.png")), &p.bytes).unwrap();
    }
    // The API sees the same design and renders the same preview.
    let res = send(
        &app,
        Request::get(format!("/api/v1/designs/{id}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let d: serde_json::Value = serde_json::from_slice(&res.bytes).unwrap();
    assert_eq!(d["spec"]["signatories"].as_array().unwrap().len(), 2);
    assert_eq!(d["spec"]["logos"].as_array().unwrap().len(), 2);
    // An event chooses it.
    {
        let conn = harness::open_db(&app.db);
        attest::store::events::create(&conn, &harness::new_event("africa", "Africa"), "test", Utc::now()).unwrap();
    }
    let res = send(&app, s.form("/staff/events/africa/design", &format!("design={id}"))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.count("SELECT design_id FROM event_designs"), id);
}

/// The fullest design's page read back by pdf.js (Firefox's viewer) and poppler: four logos,
/// the line, then each signatory's signature, name and title in turn, left to right, before the
/// footer and the QR code; the logos' and signatures' alternative texts. Checked to fail on an
/// untagged certificate (no structure: no elements).
#[test]
fn the_fullest_design_reads_in_order_with_alternative_texts() {
    let r = full_renderer();
    let c = content("Amara Okafor", Some(design::template_name(1, 1)));
    let (pdf, _) = r.render_with_layout(&c).unwrap();
    let signatories = ["Alexander Seger", "Dr. Maria Fernanda Castellanos", "Jean-Baptiste Ndiaye"];
    if let Some((tagged, elements)) = harness::poppler_structure(&pdf) {
        assert!(tagged);
        let texts: Vec<&str> = elements.iter().map(|e| e.text.as_str()).collect();
        let at = |t: &str| texts.iter().position(|x| *x == t).unwrap_or_else(|| panic!("{t:?} not in {texts:?}"));
        let order = [
            at("Certificate of attendance"),
            at("Co-organised with Parliamentarians for Global Action · Funded by the European Union"),
            at("Amara Okafor"),
            at("Regional parliamentary webinar on the Budapest Convention: African Region"),
            at(signatories[0]),
            at(signatories[1]),
            at(signatories[2]),
            at(&c.certificate_code),
        ];
        assert!(order.is_sorted(), "{texts:?}");
    }
    let Some((_, _, elements)) = harness::pdfjs_structure(&pdf) else { return };
    let summary: Vec<String> = elements
        .iter()
        .filter(|e| e.role == "Figure" || signatories.contains(&e.text.as_str()) || e.role == "H1")
        .map(|e| format!("{} {}", e.role, e.alt.as_deref().unwrap_or(&e.text)))
        .collect();
    let qr = "Figure QR code linking to the verification page of this certificate".to_owned();
    let mut expected = vec![
        "Figure Logo of the organiser, Council of Europe".to_owned(),
        "Figure Logo of a partner organisation".to_owned(),
        "Figure Logo of a partner organisation".to_owned(),
        "Figure Logo of a partner organisation".to_owned(),
        "H1 Certificate of attendance".to_owned(),
    ];
    for s in signatories {
        expected.push(format!("Figure Signature of {s}"));
        expected.push(format!("P {s}"));
    }
    expected.push(qr);
    assert_eq!(summary, expected);
}

/// The event's page says which design its certificates are printed with (the built-in one until
/// one is chosen), and a certificate's page the design version it was printed with (issue 21).
#[tokio::test]
async fn the_event_and_certificate_pages_say_which_design_applies() {
    let (app, s, mut db, event) = signed_in_with_event("echr").await;
    db.import(&event, "webinar_attendee_report_multilingual.synthetic.csv");
    let page = send(&app, harness::get("/staff/events/echr", &s.cookie)).await;
    assert!(page.body.contains("<dd>The built-in design</dd>"), "{}", page.body);

    let id = new_design(&app, &s, "Budapest Convention webinars").await;
    let res = send(&app, s.form("/staff/events/echr/design", &format!("design={id}"))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = send(&app, harness::get("/staff/events/echr", &s.cookie)).await;
    let link = format!("<a href=\"/staff/designs/{id}\" translate=\"no\">Budapest Convention webinars</a>");
    assert!(page.body.contains(&link), "{}", page.body);

    let (status, issued) = app.json("POST", "/api/v1/events/echr/certificates", None).await;
    assert_eq!((status, issued["issued"].as_u64().unwrap_or(0) > 0), (StatusCode::OK, true), "{issued}");
    let certificate: String = db.conn.row_for_tests("SELECT id FROM certificates LIMIT 1", (), |r| r.get(0)).unwrap();
    let page = send(&app, harness::get(&format!("/staff/certificates/{certificate}"), &s.cookie)).await;
    let printed = "<span translate=\"no\">Budapest Convention webinars</span>, version 1";
    assert!(page.body.contains(printed), "{}", page.body);
}

/// Issue 21, item 2: an event with three issued certificates takes another design; the event page
/// offers to reissue them, the preview page shows a sample and says "3 certificates will be
/// reissued ... the old ones stay in their history as superseded", and one confirmed action
/// reissues the three in the background: three new certificates with the design's version, the
/// three old ones superseded (their verify page says so and points to the new one), and the
/// page says what was done. Checked to fail without the reissue (the route did not exist: 404,
/// and the old certificates stayed current).
#[tokio::test]
async fn reissuing_an_event_with_its_design_supersedes_its_certificates_in_one_confirmed_action() {
    let (app, s, mut db, event) = signed_in_with_event("three").await;
    let csv = harness::webinar_report(false, false, 3, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    db.import_bytes(&event, "three.csv", csv.as_bytes(), None, None).unwrap();
    let (status, issued) = app.json("POST", "/api/v1/events/three/certificates", None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let old: Vec<(String, String)> = db
        .conn
        .rows_for_tests("SELECT id, token FROM certificates WHERE status = 'valid' ORDER BY id", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(old.len(), 3);
    let page = send(&app, get("/staff/events/three", &s.cookie)).await;
    assert!(!page.body.contains("/redesign"), "nothing to reissue with the built-in design: {}", page.body);

    let id = new_design(&app, &s, "Budapest Convention webinars").await;
    let res = send(&app, s.form("/staff/events/three/design", &format!("design={id}"))).await;
    assert_eq!(res.location(), "/staff/events/three/redesign?done=design-assigned", "{}", res.body);
    let page = send(&app, get("/staff/events/three", &s.cookie)).await;
    assert!(page.body.contains("Reissue 3 certificates with this design"), "{}", page.body);
    let preview = send(&app, get("/staff/events/three/redesign", &s.cookie)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains(
            "3 certificates will be reissued with the design Budapest Convention webinars, version 1; \
             the old ones stay in their history as superseded."
        ),
        "{}",
        preview.body
    );
    assert!(preview.body.contains(&format!("/staff/designs/{id}/preview.png?sample=long")), "{}", preview.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates"), 3, "nothing changes before the confirmation");
    // The API says the same, without reissuing.
    let (status, plan) = app.json("POST", "/api/v1/events/three/redesign?dry_run=true", None).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(
        (plan["certificates"].as_array().unwrap().len(), &plan["design"]["version"]),
        (3, &serde_json::json!(1))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates"), 3);

    let res = send(&app, s.form("/staff/events/three/redesign", "")).await;
    assert_eq!(res.location(), "/staff/events/three/redesign", "{}", res.body);
    let mut done = String::new();
    for _ in 0..300 {
        let page = send(&app, get("/staff/events/three/redesign", &s.cookie)).await;
        if !page.body.contains("http-equiv=\"refresh\"") {
            done = page.body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        done.contains(
            "role=\"status\">Done: 3 certificates reissued with the design Budapest Convention webinars, version 1."
        ),
        "{done}"
    );
    assert!(
        done.contains(
            "already printed with the design Budapest Convention webinars, version 1: there is nothing to reissue."
        ),
        "{done}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE status = 'valid'"), 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE status = 'superseded'"), 3);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM certificates c JOIN certificate_designs d ON d.certificate_id = c.id
             WHERE c.status = 'valid' AND d.design_id = {id} AND d.version = 1"
        )),
        3
    );
    for (old_id, token) in &old {
        let new: String = db
            .conn
            .row_for_tests("SELECT superseded_by FROM certificates WHERE id = ?1", [old_id], |r| r.get(0))
            .unwrap();
        assert!(!new.is_empty(), "{old_id} superseded by a new one");
        let verify = send(&app, get(&format!("/v/{token}"), "")).await;
        assert!(verify.body.contains("Superseded") || verify.body.contains("superseded"), "{}", verify.body);
    }
    let page = send(&app, get("/staff/events/three", &s.cookie)).await;
    assert!(!page.body.contains("/redesign\""), "{}", page.body);
    let (status, after) = app.json("POST", "/api/v1/events/three/redesign", None).await;
    assert_eq!((status, after["certificates"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "{after}");
}

/// The API reads and replaces the issuer's names in French and Spanish with the rest of the
/// profile; a name over 200 characters is refused, naming its field.
#[tokio::test]
async fn the_api_sets_the_issuers_name_in_each_certificate_language() {
    let (app, _s, _db, _event) = signed_in_with_event("names").await;
    let profile = serde_json::json!({"issuer": null, "issuer_fr": "Conseil de l’Europe (CdE)", "issuer_short": null});
    let (status, saved) = app.json("PUT", "/api/v1/organisation", Some(profile)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, read) = app.json("GET", "/api/v1/organisation", None).await;
    assert_eq!((read["issuer_fr"].as_str(), read["issuer_es"].as_str()), (Some("Conseil de l’Europe (CdE)"), None));
    let long = serde_json::json!({"issuer_es": "x".repeat(201)});
    let (status, refused) = app.json("PUT", "/api/v1/organisation", Some(long)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("issuer_es"), "{refused}");
}
