//! Certificates end to end: bulk issue from imported attendance, the PDF read back with a PDF
//! parser (fonts embedded as subsets, the name in the text, the QR code drawn in the PDF decoded
//! to the verify URL), idempotency, crash recovery, revoke and reissue, the manifest, verify.

use crate::harness;

use std::path::PathBuf;

use crate::harness::{Db, renderer, settings};
use attest::issuance::{self, Issuer};
use attest::store;
use attest::trust::token::{self, PrivateKey};
use attest::verification::{self, Source, Status};

struct World {
    db: Db,
    event: store::events::Event,
    secret: PrivateKey,
    dir: tempfile::TempDir,
}

impl World {
    /// The multilingual webinar, imported, with a signing key in a temporary folder.
    fn new() -> Self {
        let mut db = Db::new();
        let dir = tempfile::tempdir().unwrap();
        let (event, secret) = db.webinar("echr", &dir.path().join("keys"));
        World { db, event, secret, dir }
    }

    fn issue(&mut self) -> issuance::IssueReport {
        self.db.issue(&self.event, &self.secret)
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn export(&self) -> issuance::ExportReport {
        issuance::export(&self.db.conn, &self.event, &self.out(), None, "http://127.0.0.1:8080").unwrap()
    }

    fn cert(&self, email: &str) -> store::certificates::Certificate {
        store::certificates::for_event(&self.db.conn, self.event.id)
            .unwrap()
            .into_iter()
            .find(|c| c.email.as_deref() == Some(email))
            .unwrap()
    }

    fn pdf(&self, c: &store::certificates::Certificate) -> Vec<u8> {
        store::certificates::pdf(&self.db.conn, &c.id).unwrap().unwrap()
    }

    fn keys(&self) -> token::KeySet {
        token::key_set(&self.db.conn).unwrap()
    }
}

/// The text of every content stream and every font of a PDF, read with lopdf.
fn fonts_of(pdf: &[u8]) -> Vec<(String, bool)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
            let name = String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap()).into_owned();
            out.push((name, d.has(b"FontFile2")));
        }
    }
    out
}

/// A PDF text string: UTF-16BE with a byte order mark, or PDFDocEncoding (ASCII here).
fn pdf_string(b: &[u8]) -> String {
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(u) => {
            String::from_utf16(&u.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()).unwrap()
        }
        None => String::from_utf8_lossy(b).into_owned(),
    }
}

#[test]
fn bulk_issue_signs_renders_and_stores_every_eligible_person_once() {
    let mut w = World::new();
    let report = w.issue();
    // 6 eligible attendees (host, panelists, low attendance and no-shows excluded).
    assert_eq!((report.issued.len(), report.already, report.not_eligible), (6, 0, 7));
    let x = w.export();
    assert_eq!(x.files_written, 6);
    // Idempotent: a second run issues nothing and writes nothing.
    let again = w.issue();
    assert_eq!((again.issued.len(), again.already), (0, 6));
    assert_eq!(w.export().files_written, 0);
    assert_eq!(store::certificates::for_event(&w.db.conn, w.event.id).unwrap().len(), 6);

    let olga = w.cert("olga.petrova@example.ua");
    assert_eq!((olga.name.as_str(), olga.minutes, olga.status.as_str()), ("Ольга Петрова", 92, "valid"));
    let pdf = w.pdf(&olga);
    assert_eq!(attest::store::imports::sha256_hex(&pdf), olga.pdf_sha256);
    let on_disk = std::fs::read(w.out().join(&olga.file_name)).unwrap();
    assert_eq!(on_disk, pdf);
    // The token names the person exactly as printed and checks against the key set.
    let (claims, kid) = w.keys().verify(&olga.token).unwrap();
    assert_eq!(
        (claims.name.as_str(), claims.minutes, claims.date.as_str(), kid.as_str()),
        ("Ольга Петрова", 92, "2025-03-14", w.secret.kid())
    );
}

#[test]
fn the_pdf_embeds_subset_fonts_and_gives_the_name_back() {
    let mut w = World::new();
    w.issue();
    for (email, name) in [
        ("m.alaoui@example.ma", "محمد العلوي"),
        ("nino.beridze@example.ge", "ნინო ბერიძე"),
        ("zaneta.wojcik@example.pl", "Żaneta Wójcik"),
    ] {
        let c = w.cert(email);
        let pdf = w.pdf(&c);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let fonts = fonts_of(&pdf);
        assert!(!fonts.is_empty());
        for (font, embedded) in &fonts {
            assert!(embedded, "{font} not embedded");
            let (tag, _) = font.split_once('+').unwrap_or_else(|| panic!("{font} is not a subset"));
            assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{font}");
        }
        // lopdf reads glyphs in drawing order: visual order, which for Arabic is reversed.
        let text = doc.extract_text(&[1]).unwrap_or_default();
        let visual: String = if name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
            name.chars().rev().collect()
        } else {
            name.to_owned()
        };
        assert!(text.contains(&visual), "{name} not in the text of the PDF: {text}");
        // Metadata: title with the name, author the issuer.
        let info = doc.trailer.get(b"Info").and_then(|i| doc.get_dictionary(i.as_reference().unwrap())).unwrap();
        assert_eq!(pdf_string(info.get(b"Author").unwrap().as_str().unwrap()), "Council of Europe");
        assert!(pdf_string(info.get(b"Title").unwrap().as_str().unwrap()).contains(name));
        assert!(info.has(b"Title") && info.has(b"Subject") && info.has(b"CreationDate"));
    }
}

/// A French certificate printed the issuer in English ("Délivré par Council of Europe") and named it so as
/// its author: the organisation is printed in the certificate's language, from the profile's
/// name in that language, else attest's own translation of its default issuer.
#[test]
fn the_issuer_is_printed_in_the_certificates_language() {
    let mut w = World::new();
    let now = chrono::Utc::now();
    let (fr, es) = ("a.papadopoulos@example.gr", "zaneta.wojcik@example.pl");
    for (email, language) in [(fr, attest::language::Language::Fr), (es, attest::language::Language::Es)] {
        let key = attest::attendance::PersonKey::email(email);
        store::people::set_language(&w.db.conn, &w.event, &key, language, "test", now).unwrap();
    }
    let profile = store::designs::Profile { issuer_es: Some("Consejo de Europa (CdE)".into()), ..Default::default() };
    store::designs::set_profile(&mut w.db.conn, &profile, "test", now).unwrap();
    w.issue();
    for (email, issuer, line) in [
        (fr, "Conseil de l’Europe", "Conseil de l’Europe, délivré le"),
        (es, "Consejo de Europa (CdE)", "Consejo de Europa (CdE), expedido el"),
        ("olga.petrova@example.ua", "Council of Europe", "Council of Europe, issued on"),
    ] {
        let pdf = w.pdf(&w.cert(email));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let info = doc.trailer.get(b"Info").and_then(|i| doc.get_dictionary(i.as_reference().unwrap())).unwrap();
        assert_eq!(pdf_string(info.get(b"Author").unwrap().as_str().unwrap()), issuer, "{email}");
        let (text, _) = harness::pdf_text(&pdf);
        assert!(text.split_whitespace().collect::<Vec<_>>().join(" ").contains(line), "{line} not in\n{text}");
    }
}

#[test]
fn every_script_comes_back_in_logical_order_from_pdftotext() {
    let mut w = World::new();
    w.issue();
    for c in store::certificates::for_event(&w.db.conn, w.event.id).unwrap() {
        let (text, logical) = harness::pdf_text(&w.pdf(&c));
        assert!(harness::holds_name(&text, &c.name, logical), "{} not in {text}", c.name);
        assert!(text.contains(&issuance::grouped(&c.id)));
    }
}

#[test]
fn the_qr_code_drawn_in_the_pdf_decodes_to_the_verify_url() {
    let mut w = World::new();
    w.issue();
    let c = w.cert("a.papadopoulos@example.gr");
    let url = harness::qr_from_pdf(&w.pdf(&c));
    assert_eq!(url, issuance::verify_url("http://127.0.0.1:8080", &c.token));
    let report = verification::verify(&w.keys(), Some(&w.db.conn), Source::Token(&url)).unwrap();
    assert_eq!(report.status, Status::Valid);
}

#[test]
fn a_sixty_byte_name_still_fits_a_version_13_qr_code() {
    let name = "Αλέξανδρος Παπαδόπουλος Ιωάννης"; // 60 bytes in UTF-8
    assert_eq!(name.len(), 60);
    let mut db = Db::new();
    let ev = db.event("long", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    let text = format!(
        "Name (Original Name),User Email,Join Time,Leave Time\n{name},x@example.gr,2025-03-14 09:00:00,2025-03-14 10:40:00\n"
    );
    db.import_bytes(&ev, "long.csv", text.as_bytes(), None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = token::active(&db.conn, dir.path(), harness::now()).unwrap();
    db.issue(&ev, &secret);
    let s = settings();
    let c = &store::certificates::for_event(&db.conn, ev.id).unwrap()[0];
    let url = issuance::verify_url(&s.public_url, &c.token);
    let qr = attest::certificate::qr::QrMatrix::encode(url.as_bytes()).unwrap();
    assert!(qr.version <= 13, "version {} for {} bytes", qr.version, url.len());
    assert_eq!(c.name, name);
}

#[test]
fn a_crash_after_storing_leaves_files_to_write_and_a_rerun_completes_them() {
    let mut w = World::new();
    w.issue();
    // The process died before writing any file: records and PDFs are in the database.
    let x = w.export();
    assert_eq!(x.files_written, 6);
    // One file lost or damaged on disk: the rerun rewrites exactly that one.
    let c = w.cert("ayse.yilmaz@example.com.tr");
    std::fs::write(w.out().join(&c.file_name), b"%PDF-damaged").unwrap();
    std::fs::remove_file(w.out().join(&w.cert("olga.petrova@example.ua").file_name)).unwrap();
    assert_eq!(w.export().files_written, 2);
    // No record exists without its PDF and hash (the schema refuses it).
    let bad = w.db.conn.execute_for_tests(
        "INSERT INTO certificates (id, event_id, person_key, name, language, minutes, issued_at, kid, token, file_name) VALUES ('X', ?1, 'k', 'n', 'en', 1, 't', ?2, 't', 'f')",
        (w.event.id, w.secret.kid()),
    );
    assert!(bad.is_err());
}

#[test]
fn issue_and_export_writes_every_file_once_and_a_rerun_only_what_is_missing() {
    let mut w = World::new();
    let s = settings();
    let zip = w.dir.path().join("all.zip");
    let out = w.out();
    let (report, x) = {
        let issuer =
            Issuer { renderer: renderer(), secret: &w.secret, pdf: harness::pdf_signer(), settings: &s, actor: "cli" };
        issuance::issue_and_export(&mut w.db.conn, issuer, &w.event, harness::now(), &|_| {}, &out, Some(&zip)).unwrap()
    };
    assert_eq!((report.issued.len(), x.files_written, x.files_present), (6, 6, 0));
    // Each file written while the next batch rendered is the stored PDF, byte for byte.
    let certs = store::certificates::for_event(&w.db.conn, w.event.id).unwrap();
    assert_eq!(certs.len(), 6);
    for c in &certs {
        assert_eq!(std::fs::read(w.out().join(&c.file_name)).unwrap(), w.pdf(c), "{}", c.file_name);
    }
    let manifest = std::fs::read_to_string(w.out().join("manifest.csv")).unwrap();
    assert_eq!(manifest.lines().count(), 7, "{manifest}");
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    assert_eq!(archive.len(), 7);
    // A file lost on disk: the rerun issues nothing and writes exactly that file back.
    std::fs::remove_file(w.out().join(&certs[0].file_name)).unwrap();
    let issuer =
        Issuer { renderer: renderer(), secret: &w.secret, pdf: harness::pdf_signer(), settings: &s, actor: "cli" };
    let (again, x) =
        issuance::issue_and_export(&mut w.db.conn, issuer, &w.event, harness::now(), &|_| {}, &out, None).unwrap();
    assert_eq!((again.issued.len(), x.files_written, x.files_present), (0, 1, 5));
}

#[test]
fn revoke_and_reissue_states_and_audit() {
    let mut w = World::new();
    w.issue();
    let ayse = w.cert("ayse.yilmaz@example.com.tr");
    // Reissue with a corrected name: the old certificate is superseded by the new one.
    let s = settings();
    let issuer =
        Issuer { renderer: renderer(), secret: &w.secret, pdf: harness::pdf_signer(), settings: &s, actor: "cli" };
    let new =
        issuance::reissue(&mut w.db.conn, issuer, &ayse.id, Some("Ayşe Yılmaz-Demir"), None, harness::now()).unwrap();
    assert_eq!(new.name, "Ayşe Yılmaz-Demir");
    let old_report = verification::verify(&w.keys(), Some(&w.db.conn), Source::Token(&ayse.token)).unwrap();
    assert_eq!(old_report.status, Status::Superseded { superseded_by: issuance::grouped(&new.id) });
    let new_report = verification::verify(&w.keys(), Some(&w.db.conn), Source::Token(&new.token)).unwrap();
    assert_eq!(new_report.status, Status::Valid);
    assert_eq!(new_report.certificate.unwrap().name, "Ayşe Yılmaz-Demir");
    // A superseded certificate cannot be reissued again.
    assert!(issuance::reissue(&mut w.db.conn, issuer, &ayse.id, Some("X"), None, harness::now()).is_err());
    // The person still has a certificate: bulk issue does not add a third.
    assert_eq!(w.issue().issued.len(), 0);

    // Revoke: verifiers see the date and reason.
    store::certificates::revoke(
        &mut w.db.conn,
        &new.id,
        "issued in error: attendance by a colleague",
        "staff",
        harness::now(),
    )
    .unwrap();
    let r = verification::verify(&w.keys(), Some(&w.db.conn), Source::Token(&new.token)).unwrap();
    assert_eq!(
        r.status,
        Status::Revoked {
            revoked_at: "2026-01-01".into(),
            reason: "issued in error: attendance by a colleague".into()
        }
    );
    assert!(store::certificates::revoke(&mut w.db.conn, &new.id, "again", "staff", harness::now()).is_err());
    let olga = w.cert("olga.petrova@example.ua").id;
    assert!(store::certificates::revoke(&mut w.db.conn, &olga, " ", "staff", harness::now()).is_err());
    // Every action is in the audit table.
    let actions: Vec<String> =
        store::certificates::audit_log(&w.db.conn, 100).unwrap().into_iter().map(|a| a.action).collect();
    for a in ["certificate.issue", "certificate.reissue", "certificate.revoke"] {
        assert!(actions.iter().any(|x| x == a), "{a} missing from {actions:?}");
    }
}

#[test]
fn verification_spots_altered_pdfs_unknown_certificates_and_codes() {
    let mut w = World::new();
    w.issue();
    let c = w.cert("nino.beridze@example.ge");
    let pdf = w.pdf(&c);
    let ok = verification::verify(&w.keys(), Some(&w.db.conn), Source::Pdf(&pdf)).unwrap();
    assert_eq!(ok.status, Status::Valid);
    assert!(ok.checked_against_records);
    // One byte of the PDF changed (not the token), even in compressed objects or the
    // cross-reference stream: the token is still found, and the hash no longer matches.
    for at in [pdf.len() - 30, pdf.len() - 200, pdf.len() - 600, pdf.len() / 2] {
        let mut altered = pdf.clone();
        altered[at] ^= 0x01;
        let r = verification::verify(&w.keys(), Some(&w.db.conn), Source::Pdf(&altered)).unwrap();
        assert!(matches!(&r.status, Status::NotGenuine { why } if why.contains("altered")), "byte {at}: {r:?}");
    }
    // The printed code, typed loosely.
    let typed = issuance::grouped(&c.id).to_lowercase();
    assert_eq!(verification::by_code(&w.keys(), &w.db.conn, &typed).unwrap().status, Status::Valid);
    assert!(matches!(
        verification::by_code(&w.keys(), &w.db.conn, "00000-00000-00000-00000-000000").unwrap().status,
        Status::NotGenuine { .. }
    ));
    // Offline: the signature alone, without the database.
    let offline = verification::verify(&w.keys(), None, Source::Pdf(&pdf)).unwrap();
    assert_eq!((offline.status, offline.checked_against_records), (Status::Valid, false));
    // Shown to a verifier: what the certificate prints, no email.
    let json = serde_json::to_string(&ok).unwrap();
    assert!(!json.contains("example.ge"), "{json}");
}

#[test]
fn the_manifest_defuses_spreadsheet_formulas() {
    let mut db = Db::new();
    let ev = db.event("csv", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    let text = "Name (Original Name),User Email,Join Time,Leave Time\n\
        \"=cmd|' /C calc'!A0\",evil@example.org,2025-03-14 09:00:00,2025-03-14 10:40:00\n\
        +SUM(1),plus@example.org,2025-03-14 09:00:00,2025-03-14 10:40:00\n";
    db.import_bytes(&ev, "x.csv", text.as_bytes(), None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = token::active(&db.conn, dir.path(), harness::now()).unwrap();
    db.issue(&ev, &secret);
    let s = settings();
    let zip = dir.path().join("all.zip");
    let x = issuance::export(&db.conn, &ev, &dir.path().join("out"), Some(&zip), &s.public_url).unwrap();
    let manifest = std::fs::read_to_string(&x.manifest).unwrap();
    let mut rows = csv::Reader::from_reader(manifest.as_bytes());
    let names: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert!(names.contains(&"'=cmd|' /C calc'!A0".to_owned()), "{manifest}");
    assert!(names.contains(&"'+SUM(1)".to_owned()));
    assert!(!manifest.lines().skip(1).any(|l| l.starts_with('=') || l.contains(",=")));
    // The ZIP holds both PDFs and the manifest.
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(archive.len(), 3, "{names:?}");
    assert!(names.contains(&"manifest.csv".to_owned()));
}

/// Certificates issued by an attest from before credentials (schema 7, before migration 0008)
/// all get a credential and a status position when a newer attest starts: built from the
/// record, signed, with the bits of the revoked and superseded ones set; a second run changes
/// nothing, and the next issue continues after them.
#[test]
fn certificates_from_before_credentials_get_one_each_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let keys_dir = dir.path().join("keys");
    let issued = harness::utc("2025-03-14T17:30:00Z");
    let ids: Vec<String> = (1u8..=4).map(|n| issuance::CertificateId([n; 16]).code()).collect();
    {
        let old = harness::app::open_db_at_version(&path, 7);
        let cols: i64 = old
            .row_for_tests(
                "SELECT count(*) FROM pragma_table_info('certificates') WHERE name = 'credential'",
                (),
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(cols, 0, "schema 7 has no credential column");
        let event = store::events::create(
            &old,
            &store::events::NewEvent {
                series: Some("HELP online seminars".into()),
                starts_at: Some(harness::utc("2025-03-14T09:00:00Z")),
                ends_at: Some(harness::utc("2025-03-14T10:40:00Z")),
                timezone: chrono_tz::Europe::Paris,
                ..harness::new_event("old-seminar", "Freedom of expression")
            },
            "cli",
            issued,
        )
        .unwrap();
        let secret = token::active(&old, &keys_dir, issued).unwrap();
        let statuses = ["valid", "revoked", "superseded", "valid"];
        // The superseding certificate (the 4th) is inserted first: superseded_by is a reference.
        for i in [3usize, 0, 1, 2] {
            let claims = token::Claims {
                id: ids[i].clone(),
                name: format!("Person {i}"),
                event: "Freedom of expression".into(),
                date: "2025-03-14".into(),
                minutes: 90 + i as u32,
                issuer: "CoE".into(),
                status: None,
            };
            old.execute_for_tests(
                "INSERT INTO certificates (id, event_id, person_key, name, email, language, minutes, issued_at, kid,
                 token, status, revoked_at, revoked_reason, superseded_by, pdf_sha256, pdf, file_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'en', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'x', x'25504446', 'c.pdf')",
                attest::store_params![
                    ids[i],
                    event.id,
                    // Keys as every version of attest has written them (`email:` or `name:`).
                    format!("email:p{i}@example.org"),
                    claims.name,
                    format!("p{i}@example.org"),
                    claims.minutes,
                    store::ts(issued),
                    secret.kid(),
                    secret.sign(&claims),
                    statuses[i],
                    (statuses[i] == "revoked").then(|| store::ts(issued)),
                    (statuses[i] == "revoked").then_some("test"),
                    (statuses[i] == "superseded").then(|| ids[3].clone()),
                ],
            )
            .unwrap();
        }
    }

    // A newer attest opens it: migration 0008 adds the columns, the backfill fills them.
    let mut conn = harness::open_db(&path);
    assert_eq!(store::certificates::credential(&conn, &ids[0]).unwrap(), None);
    let secret = token::active(&conn, &keys_dir, harness::now()).unwrap();
    let s = settings();
    assert_eq!(issuance::backfill_credentials(&mut conn, &secret, &s, harness::now()).unwrap(), 4);
    let keys = token::key_set(&conn).unwrap();
    let mut positions = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let cert = store::certificates::get(&conn, id).unwrap().unwrap();
        let doc = store::certificates::credential(&conn, id).unwrap().expect("a credential for every certificate");
        let v = attest::trust::credential::verify(doc.as_bytes(), &keys).unwrap();
        assert_eq!(v.facts.name, format!("Person {i}"));
        assert_eq!(v.facts.event_title, "Freedom of expression");
        assert!(v.facts.issued_at.starts_with("2025-03-14T17:30:00"), "{}", v.facts.issued_at);
        assert!(v.facts.email_hash.is_some());
        let pos = cert.status_position.unwrap();
        assert_eq!(pos, v.facts.status_list * attest::trust::status_list::STATUS_LIST_SIZE + v.facts.status_index);
        let (bits, _) = store::certificates::status_list(&conn, v.facts.status_list).unwrap().unwrap();
        let set = attest::trust::status_list::bit(&bits, v.facts.status_index);
        assert_eq!(set, cert.status != "valid", "certificate {i} ({}): bit {set}", cert.status);
        positions.push(pos);
    }
    positions.sort_unstable();
    positions.dedup();
    assert_eq!(positions.len(), 4, "distinct positions");
    // The public credential (what /credentials/{id} serves) now exists too.
    assert!(
        issuance::credential_of(&conn, &secret, &s, &ids[0], issuance::Audience::Public).unwrap().is_some(),
        "public credential"
    );

    // Idempotent: nothing left to do, nothing changed.
    let before = store::certificates::credential(&conn, &ids[0]).unwrap();
    assert_eq!(issuance::backfill_credentials(&mut conn, &secret, &s, harness::now()).unwrap(), 0);
    assert_eq!(store::certificates::credential(&conn, &ids[0]).unwrap(), before);
    // New certificates continue after the backfilled positions.
    assert_eq!(store::certificates::reserve_status_positions(&mut conn, 1).unwrap(), 4);
}

/// The page of a PDF as drawn: its content stream and the QR drawing it shows, decompressed.
fn page_drawing(pdf: &[u8], page: u32) -> (Vec<u8>, Vec<u8>) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let id = doc.get_pages()[&page];
    let content = doc.get_page_content(id);
    let (resources, _) = doc.get_page_resources(id).unwrap();
    let xobjects = resources.unwrap().get(b"XObject").unwrap().as_dict().unwrap();
    let qr = doc.get_object(xobjects.get(b"Qr").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
    (content, qr.decompressed_content().unwrap_or_else(|_| qr.content.clone()))
}

#[test]
fn the_print_file_holds_each_valid_certificate_page_as_issued_in_attendance_order() {
    let mut w = World::new();
    w.issue();
    let revoked = w.cert("olga.petrova@example.ua");
    store::certificates::revoke(&mut w.db.conn, &revoked.id, "issued in error", "staff", harness::now()).unwrap();

    let file = issuance::print_file(&w.db.conn, &w.event).unwrap();
    let valid: Vec<_> = store::certificates::for_event(&w.db.conn, w.event.id)
        .unwrap()
        .into_iter()
        .filter(|c| c.status == "valid")
        .collect();
    assert_eq!(file.pages, valid.len());

    // The expected order is the attendance list's: the decisions as staff see them.
    let decisions = w.db.decisions(&w.event);
    let expected: Vec<_> = decisions
        .iter()
        .filter_map(|d| valid.iter().find(|c| c.person_key == d.key || d.keys.contains(&c.person_key)))
        .collect();
    assert_eq!(expected.len(), valid.len());

    let doc = lopdf::Document::load_mem(&file.bytes).unwrap();
    assert_eq!(doc.get_pages().len(), valid.len());
    // Each page is the issued page: same drawing, same QR code (not a re-render).
    for (i, c) in expected.iter().enumerate() {
        let page = i as u32 + 1;
        assert_eq!(page_drawing(&file.bytes, page), page_drawing(&w.pdf(c), 1), "page {page} is not {}", c.id);
    }
    assert!(!expected.iter().any(|c| c.id == revoked.id), "a revoked certificate is not printed");
    // Nothing of the certificates' signatures or attachments is carried over.
    let catalog = doc.catalog().unwrap();
    for key in [&b"AcroForm"[..], b"AF", b"Names"] {
        assert!(catalog.get(key).is_err(), "{} in the catalog", String::from_utf8_lossy(key));
    }
    let is_sig = |o: &lopdf::Object| {
        let d = match o {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => return false,
        };
        [&b"Type"[..], b"FT"].iter().any(|k| d.get(k).and_then(lopdf::Object::as_name).is_ok_and(|n| n == b"Sig"))
            || d.get(b"Type").and_then(lopdf::Object::as_name).is_ok_and(|n| n == b"EmbeddedFile")
    };
    assert!(!doc.objects.values().any(is_sig), "a signature or an attachment in the print file");
    for (_, id) in doc.get_pages() {
        assert!(doc.get_dictionary(id).unwrap().get(b"Annots").is_err(), "a signature widget left on a page");
        assert!(doc.get_dictionary(id).unwrap().get(b"StructParents").is_err(), "a key into a structure tree left");
    }

    // poppler reads it page by page and finds each certificate's code on its page.
    if harness::tool("pdftotext", "read the print file page by page").is_some() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("print.pdf");
        std::fs::write(&path, &file.bytes).unwrap();
        for (i, c) in expected.iter().enumerate() {
            let page = (i + 1).to_string();
            let out = std::process::Command::new("pdftotext")
                .args(["-f", &page, "-l", &page])
                .arg(&path)
                .arg("-")
                .output()
                .unwrap();
            assert!(out.stderr.is_empty(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains(&issuance::grouped(&c.id)), "page {page} lacks {}", c.id);
        }
    }
    if harness::tool("qpdf", "check the print file's structure").is_some() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("print.pdf");
        std::fs::write(&path, &file.bytes).unwrap();
        let out = std::process::Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
        assert!(out.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn an_event_without_valid_certificates_has_nothing_to_print() {
    let w = World::new();
    let err = issuance::print_file(&w.db.conn, &w.event).unwrap_err();
    assert!(matches!(err, issuance::IssueError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("no valid certificates to print"), "{err}");
}

/// A name in a script no font of the certificate has (Tibetan) is not issued, and said, while the
/// others are: it would have printed as empty boxes, with no word (Korean, Thai and Devanagari
/// names did, before their fonts were shipped). An emoji in a display name is not printed.
#[test]
fn a_name_no_font_can_print_is_held_back_and_named() {
    let mut db = Db::new();
    let ev = db.event("scripts", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    let text = "Name (Original Name),User Email,Join Time,Leave Time\n\
        བཀྲ་ཤིས,tashi@example.bt,2025-03-14 09:00:00,2025-03-14 10:40:00\n\
        김민준,minjun@example.kr,2025-03-14 09:00:00,2025-03-14 10:40:00\n\
        Maria 🌻 Rossi,maria@example.it,2025-03-14 09:00:00,2025-03-14 10:40:00\n";
    db.import_bytes(&ev, "scripts.csv", text.as_bytes(), None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = token::active(&db.conn, dir.path(), harness::now()).unwrap();
    let report = db.issue(&ev, &secret);
    assert_eq!(report.unprintable, ["བཀྲ་ཤིས"]);
    let mut names: Vec<String> = report.issued.iter().map(|p| p.name.clone()).collect();
    names.sort();
    assert_eq!(names, ["Maria Rossi", "김민준"]);
    assert_eq!(store::certificates::for_event(&db.conn, ev.id).unwrap().len(), 2);
}

/// An attendee's own request is not issued while their record has open review items (a
/// tester's misread presenter, a device's name), nor when no font prints the name: held, and
/// said in the audit, where staff see it. It was issued unasked, before staff had looked.
#[test]
fn a_request_for_a_record_under_review_is_held_for_staff() {
    let mut db = Db::new();
    let ev = db.event("held", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    let text = "Name (Original Name),User Email,Join Time,Leave Time\n\
        iPhone de Paulo,paulo@example.pt,2025-03-14 09:00:00,2025-03-14 10:40:00\n\
        Ana Ruiz,ana@example.es,2025-03-14 09:00:00,2025-03-14 10:40:00\n";
    db.import_bytes(&ev, "p.csv", text.as_bytes(), None, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = token::active(&db.conn, dir.path(), harness::now()).unwrap();
    let s = settings();
    let issuer = harness::issuer(&secret, harness::pdf_signer(), &s, "self-service");
    let paulo = attest::attendance::PersonKey::email("paulo@example.pt");
    let held = issuance::issue_for(&mut db.conn, issuer, &ev, &paulo, harness::now()).unwrap();
    assert!(held.is_none(), "{held:?}");
    let audit = store::certificates::audit_log(&db.conn, 10).unwrap();
    assert!(
        audit.iter().any(|a| a.action == "certificate.request.held" && a.detail.contains("email:paulo@example.pt")),
        "{audit:?}"
    );
    let ana = attest::attendance::PersonKey::email("ana@example.es");
    assert!(issuance::issue_for(&mut db.conn, issuer, &ev, &ana, harness::now()).unwrap().is_some());
}
