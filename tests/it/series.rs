//! Series certificates (issue 12): the fixture series' decisions, exactly; issuing, a rerun that
//! issues nothing, the PDF (sessions listed, signed, the Arabic name in its text), verification
//! by token, code, PDF and credential, revocation and reissue; the page of a long series.

use crate::harness;

use crate::harness::{Db, renderer, settings};
use attest::attendance::series::SeriesRule;
use attest::issuance::{self, Issuer};
use attest::store;
use attest::trust::token;
use attest::verification::{self, Source, Status};

fn issuer<'a>(secret: &'a token::PrivateKey, s: &'a issuance::Settings) -> Issuer<'a> {
    Issuer { renderer: renderer(), secret, pdf: harness::pdf_signer(), settings: s, actor: "cli" }
}

#[test]
fn the_fixture_series_decides_exactly_who_attended_enough_and_says_why() {
    let mut db = Db::new();
    let series = harness::series_fixture(&mut db);
    let ds = issuance::series::decisions(&db.conn, &series).unwrap();
    let got: Vec<(&str, bool, &str)> = ds.iter().map(|d| (d.name.as_str(), d.eligible, d.reason.as_str())).collect();
    for g in &got {
        println!("{g:?}");
    }
    assert_eq!(
        got,
        vec![
            (
                "Ana Ruiz",
                true,
                "attended 4 of 4 sessions (s2020-asia, s2020-africa-en, s2020-africa-fr, s2020-latam-en); \
                 rule: at least 3 of the 4 sessions"
            ),
            (
                "Ben Okafor",
                true,
                "attended 3 of 4 sessions (s2020-asia, s2020-africa-en, s2020-latam-en); rule: at least 3 of the 4 \
                 sessions; s2020-africa-fr: not counted (attended 30 of 100 minutes (30 %); rule: at least 75 %)"
            ),
            (
                "Chen Wei",
                false,
                "attended 2 of 4 sessions (s2020-asia, s2020-africa-en); rule: at least 3 of the 4 sessions"
            ),
            (
                "Eve Martin",
                true,
                "attended 3 of 4 sessions (s2020-asia, s2020-africa-en, s2020-africa-fr); rule: at least 3 of the 4 \
                 sessions; s2020-africa-fr: counted by a staff override (\"joined by phone\")"
            ),
            (
                "داليا المصري",
                true,
                "attended 3 of 4 sessions (s2020-asia, s2020-africa-en, s2020-africa-fr); rule: at least 3 of the 4 \
                 sessions; s2020-africa-fr: matched by name (no email there)"
            ),
        ]
    );
    let dalia = ds.iter().find(|d| d.email.as_deref() == Some("dalia@example.org")).unwrap();
    assert_eq!(dalia.key.as_str(), "email:dalia@example.org");
    assert_eq!(dalia.attended.iter().map(|a| a.minutes).collect::<Vec<_>>(), vec![100, 100, 96]);

    // "All" asks for every session: only Ana.
    let all = store::series::set_rule(&db.conn, &series, SeriesRule::All, "cli", harness::now()).unwrap();
    let ds = issuance::series::decisions(&db.conn, &all).unwrap();
    let eligible: Vec<&str> = ds.iter().filter(|d| d.eligible).map(|d| d.name.as_str()).collect();
    assert_eq!(eligible, vec!["Ana Ruiz"]);
    // A rule asking for more sessions than the series has is refused.
    let err = store::series::set_rule(&db.conn, &series, SeriesRule::AtLeast(5), "cli", harness::now()).unwrap_err();
    assert!(err.to_string().contains("the series has 4 event(s)"), "{err}");
}

#[test]
fn series_certificates_list_the_sessions_are_signed_and_verify_like_any_other() {
    let mut db = Db::new();
    let series = harness::series_fixture(&mut db);
    let keys_dir = tempfile::tempdir().unwrap();
    let secret = token::active(&db.conn, keys_dir.path(), harness::now()).unwrap();
    let s = settings();
    // An event certificate issued before: the series lists its minutes and its ID.
    let asia = store::events::get(&db.conn, "s2020-asia").unwrap();
    db.issue(&asia, &secret);
    let report =
        issuance::series::issue_series(&mut db.conn, issuer(&secret, &s), &series, false, harness::now()).unwrap();
    assert_eq!(report.issued.len(), 4);
    assert_eq!(report.not_eligible, 1);
    let again =
        issuance::series::issue_series(&mut db.conn, issuer(&secret, &s), &series, false, harness::now()).unwrap();
    assert_eq!((again.issued.len(), again.already), (0, 4), "a rerun issues nothing");
    // The event's own certificates do not count series certificates, nor the reverse.
    assert_eq!(store::certificates::for_event(&db.conn, asia.id).unwrap().len(), 5);

    let certs = store::series::certificates(&db.conn, &series).unwrap();
    let dalia = certs.iter().find(|c| c.email.as_deref() == Some("dalia@example.org")).unwrap();
    assert_eq!(dalia.name, "داليا المصري");
    assert_eq!(dalia.minutes, 296);
    let sessions = store::series::sessions(&db.conn, &dalia.id).unwrap();
    let listed: Vec<(&str, &str)> = sessions.iter().map(|s| (s.date.as_str(), s.title.as_str())).collect();
    assert_eq!(
        listed,
        vec![
            ("2020-06-24", "Seminar with Asia-Pacific countries"),
            ("2020-07-07", "Seminar with African countries"),
            ("2020-07-09", "Séminaire avec les pays africains"),
        ]
    );
    assert!(sessions[0].event_certificate.is_some() && sessions[1].event_certificate.is_none());

    // The PDF: the name (logical order), the series, each session; signed (PAdES) and checked.
    let pdf = store::certificates::pdf(&db.conn, &dalia.id).unwrap().unwrap();
    let (text, logical) = harness::pdf_text(&pdf);
    println!("{text}");
    assert!(harness::holds_name(&text, "داليا المصري", logical), "{text}");
    for needle in [
        "attended the series of online seminars",
        "Cybercrime and Criminal Justice in Cyberspace (2020)",
        "3 of its 4 sessions:",
        "24 June 2020 · Seminar with Asia-Pacific countries",
        "9 July 2020 · Séminaire avec les pays africains",
        "Time attended: 296 minutes in all",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("series.pdf"), &pdf).unwrap();
    if let Ok(dir) = std::env::var("ATTEST_SERIES_PNG_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("series-dalia.pdf"), &pdf).unwrap();
    }

    let keys = token::key_set(&db.conn).unwrap();
    let roots = attest::trust::pdf_signature::own_roots(harness::pdf_keys_dir());
    let r = verification::verify_pdf(&keys, Some(&db.conn), &pdf, &roots).unwrap();
    assert_eq!(r.status, Status::Valid);
    assert!(r.pdf_signature.as_ref().is_some_and(|p| p.valid && p.chains_to_attest), "{:?}", r.pdf_signature);
    let shown = r.certificate.unwrap();
    assert_eq!(shown.event, "Cybercrime and Criminal Justice in Cyberspace (2020)");
    assert_eq!(shown.date, "2020-07-09", "the token's date is the last session's");
    assert_eq!(shown.sessions.len(), 3);
    assert_eq!(shown.sessions[2].title, "Séminaire avec les pays africains");
    // By token (the QR code's URL), by code, by credential.
    assert_eq!(harness::qr_from_pdf(&pdf), issuance::verify_url(&s.public_url, &dalia.token));
    let r = verification::verify(&keys, Some(&db.conn), Source::Token(&dalia.token)).unwrap();
    assert_eq!((r.status.clone(), r.certificate.unwrap().sessions.len()), (Status::Valid, 3));
    let r = verification::by_code(&keys, &db.conn, &issuance::grouped(&dalia.id)).unwrap();
    assert_eq!(r.status, Status::Valid);
    let cred = store::certificates::credential(&db.conn, &dalia.id).unwrap().unwrap();
    let r = verification::verify_credential(&keys, Some(&db.conn), cred.as_bytes()).unwrap();
    assert_eq!(r.status, Status::Valid, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&cred).unwrap();
    let ach = &v["credentialSubject"]["achievement"];
    assert_eq!(ach["id"], "http://127.0.0.1:8080/achievements/series/cybercrime-2020");
    assert_eq!(ach["name"], "Cybercrime and Criminal Justice in Cyberspace (2020)");
    assert!(
        ach["criteria"]["narrative"]
            .as_str()
            .unwrap()
            .starts_with("Attended at least 3 of the 4 sessions of the series")
    );
    assert!(
        v["credentialSubject"]["narrative"]
            .as_str()
            .unwrap()
            .contains("Séminaire avec les pays africains (2020-07-09)")
    );

    // Reissue with a corrected name keeps the sessions; the old one is superseded, its status bit set.
    let new =
        issuance::reissue(&mut db.conn, issuer(&secret, &s), &dalia.id, Some("Dalia Al-Masri"), None, harness::now())
            .unwrap();
    assert_eq!(new.minutes, 296);
    assert_eq!(store::series::sessions(&db.conn, &new.id).unwrap(), sessions);
    assert_eq!(store::series::of_certificate(&db.conn, &new.id).unwrap().unwrap().id, series.id);
    let r = verification::verify(&keys, Some(&db.conn), Source::Token(&dalia.token)).unwrap();
    assert!(matches!(r.status, Status::Superseded { .. }), "{r:?}");
    // Revoke the new one.
    store::certificates::revoke(&mut db.conn, &new.id, "issued in error", "cli", harness::now()).unwrap();
    let r = verification::verify(&keys, Some(&db.conn), Source::Token(&new.token)).unwrap();
    assert!(matches!(r.status, Status::Revoked { .. }), "{r:?}");
    // A revoked series certificate is not silently replaced by a rerun.
    let again =
        issuance::series::issue_series(&mut db.conn, issuer(&secret, &s), &series, false, harness::now()).unwrap();
    assert_eq!(again.issued.len(), 0);
}

#[test]
fn a_long_series_fits_the_page_without_overlap() {
    use attest::certificate::{CertificateContent, SeriesContent};
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let titles = [
        "Regional parliamentary webinar on the Budapest Convention: African Region",
        "Regional parliamentary webinar on the Budapest Convention: Caribbean Region",
        "Regional parliamentary webinar on the Budapest Convention: Asia/Pacific Region",
        "Regional parliamentary webinar on the Budapest Convention: Latin America",
    ];
    let sessions: Vec<_> = (0..14)
        .map(|i| (d("2021-07-13") + chrono::Duration::days(30 * i), titles[i as usize % 4].to_owned()))
        .collect();
    let content = CertificateContent {
        language: "en".into(),
        template: None,
        name: "Muhammad Abdullah Al-Hashimi bin Abdulrahman Al-Qurashi Al-Makki".into(),
        event_title: "Regional parliamentary webinars on the Budapest Convention (2021-2022)".into(),
        series: None,
        starts_local: chrono::NaiveDateTime::parse_from_str("2021-07-13 13:00", "%Y-%m-%d %H:%M").unwrap(),
        ends_local: chrono::NaiveDateTime::parse_from_str("2021-07-13 16:00", "%Y-%m-%d %H:%M").unwrap(),
        timezone: "UTC".into(),
        minutes_attended: 2400,
        certificate_code: "7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2".into(),
        verify_url: format!("http://127.0.0.1:8080/v/{}", "x".repeat(280)),
        issued_at: harness::now(),
        issuer: "Council of Europe".into(),
    };
    let series = SeriesContent { sessions, total_sessions: 16 };
    let (pdf, page) = renderer().render_series_with_layout(&content, &series).unwrap();
    let boxes = page.text_boxes();
    let listed: Vec<_> = boxes.iter().filter(|(t, _)| t.contains(" · ")).collect();
    assert_eq!(listed.len(), 14, "every session is printed");
    assert!(listed.iter().any(|(t, _)| t.ends_with('…')), "titles too long for a column are cut");
    let (w, h) = (attest::certificate::layout::PAGE_W, attest::certificate::layout::PAGE_H);
    // Nothing printed over the QR code (with its quiet zone).
    let qr = page.items.iter().find_map(|i| match i {
        attest::certificate::layout::Item::Qr { .. } => Some(i.bbox(page.qr.total_modules())),
        _ => None,
    });
    let qr = qr.expect("a QR code");
    for (t, a) in &boxes {
        let over = a.0 < qr.2 && qr.0 < a.2 && a.1 < qr.3 && qr.1 < a.3;
        assert!(!over, "{t:?} {a:?} is printed over the QR code {qr:?}");
    }
    for (i, (t, a)) in boxes.iter().enumerate() {
        assert!(a.0 >= 25.0 && a.2 <= w - 25.0 && a.1 >= 25.0 && a.3 <= h - 25.0, "{t:?} leaves the frame: {a:?}");
        for (u, b) in &boxes[i + 1..] {
            let overlap = a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5;
            assert!(!overlap, "{t:?} {a:?} overlaps {u:?} {b:?}");
        }
    }
    if let Ok(dir) = std::env::var("ATTEST_SERIES_PNG_DIR") {
        std::fs::write(std::path::Path::new(&dir).join("series-long.pdf"), &pdf).unwrap();
    }
    // Issue 21: a screen reader reads the sessions in order, each its own paragraph, between the
    // line above the list and the minutes, though the list is laid out in two columns.
    let printed: Vec<&str> = listed.iter().map(|(t, _)| t.as_str()).collect();
    let read = |texts: Vec<String>| {
        let at = texts.iter().position(|t| t.ends_with("sessions:")).expect("the line above the list");
        assert!(texts[at + 15].starts_with("Time attended"), "{texts:?}");
        assert_eq!(texts[at + 1..at + 15], printed[..], "{texts:?}");
    };
    if let Some((_, elements)) = harness::poppler_structure(&pdf) {
        read(elements.into_iter().map(|e| e.text).collect());
    }
    if let Some((_, _, elements)) = harness::pdfjs_structure(&pdf) {
        read(elements.into_iter().map(|e| e.text).collect());
    }
}

/// A database file in a new folder, holding `fixture`'s series, for tests that run `attest`.
fn on_disk(fixture: fn(&mut Db) -> store::series::Series) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db_path = harness::new_db(dir.path());
    fixture(&mut Db::on(harness::open_db(&db_path)));
    (dir, db_path)
}

/// `attest ARGS` on the database at `db`: whether it succeeded, and what it printed (stdout, then
/// stderr), printed for the test's log.
fn attest(db: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = harness::process::attest(db).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("$ attest {}\n{text}", args.join(" "));
    (out.status.success(), text)
}

/// `attest series ...` end to end in a process: the fixture's events in an on-disk database, a
/// series made, filled, ruled, decided (JSON) and issued into a folder; a rule over the number
/// of events is refused with one line.
#[test]
fn the_command_line_makes_decides_and_issues_a_series() {
    let (dir, db_path) = on_disk(harness::series_fixture);
    let run = |args: &[&str]| attest(&db_path, args);
    assert!(run(&["series", "create", "webinars-2021", "--title", "Parliamentary webinars 2021-22"]).0);
    for e in ["s2020-asia", "s2020-africa-en", "s2020-africa-fr"] {
        assert!(run(&["series", "add-event", "webinars-2021", e]).0);
    }
    let (ok, text) = run(&["series", "set-rule", "webinars-2021", "--at-least", "4"]);
    assert!(!ok && text.contains("the series has 3 event(s)"), "{text}");
    let (ok, text) = run(&["series", "set-rule", "webinars-2021", "--at-least", "2"]);
    assert!(ok && text.contains("at least 2 of the 3 sessions"), "{text}");
    assert!(run(&["series", "remove-event", "webinars-2021", "s2020-africa-fr"]).0);
    let (ok, json) = run(&["series", "decisions", "webinars-2021", "--json"]);
    assert!(ok);
    let start = json.find('[').unwrap();
    let ds: serde_json::Value = serde_json::from_str(&json[start..]).unwrap();
    let eligible: Vec<&str> =
        ds.as_array().unwrap().iter().filter(|d| d["eligible"] == true).map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(eligible, vec!["Ana Ruiz", "Ben Okafor", "Chen Wei", "Eve Martin", "داليا المصري"]);
    let out = dir.path().join("out");
    let (ok, text) = run(&["series", "issue", "webinars-2021", "--out", out.to_str().unwrap()]);
    assert!(ok && text.contains("issued 5 certificate(s)"), "{text}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 5);
    let (ok, text) = run(&["series", "issue", "webinars-2021"]);
    assert!(ok && text.contains("issued 0 certificate(s) (5 already issued"), "{text}");
}

/// Someone who came to two sessions from one address and to a third from another: two people
/// for the series, neither with enough sessions, until staff link the addresses (`series link`);
/// then one person, eligible, the link and its reason in the decision, the certificate for the
/// address they last came from. A mistyped address is refused, and the link can be taken back.
#[test]
fn two_addresses_linked_for_a_series_are_one_person() {
    let (_dir, db_path) = on_disk(harness::series_fixture_with_a_second_address);
    let run = |args: &[&str]| attest(&db_path, args);
    let chen = || {
        let (ok, json) = run(&["series", "decisions", "cybercrime-2020", "--json"]);
        assert!(ok, "{json}");
        let ds: serde_json::Value = serde_json::from_str(&json[json.find('[').unwrap()..]).unwrap();
        ds.as_array().unwrap().iter().filter(|d| d["name"] == "Chen Wei").cloned().collect::<Vec<_>>()
    };
    let apart = chen();
    assert_eq!(apart.len(), 2, "{apart:#?}");
    assert!(apart.iter().all(|d| d["eligible"] == false), "{apart:#?}");
    // Each asked about, naming the other's address.
    assert!(
        apart[0]["review"][0].as_str().unwrap().contains("under wei.chen@home.example: if that is this person, link")
    );
    assert!(apart[1]["review"][0].as_str().unwrap().contains("under chen@example.org: if that is this person, link"));

    let (ok, text) =
        run(&["series", "link", "cybercrime-2020", "chen@example.org", "chen@exmaple.org", "--reason", "same person"]);
    assert!(!ok && text.contains("has the address \"chen@exmaple.org\""), "{text}");
    let (ok, text) = run(&[
        "series",
        "link",
        "cybercrime-2020",
        "wei.chen@home.example",
        "chen@example.org",
        "--reason",
        "his home address, he wrote to us",
    ]);
    assert!(ok && text.contains("chen@example.org and wei.chen@home.example are one person"), "{text}");

    let one = chen();
    assert_eq!(one.len(), 1, "{one:#?}");
    assert_eq!(one[0]["eligible"], true, "{:#}", one[0]);
    assert_eq!(one[0]["review"], serde_json::json!([]));
    assert_eq!(one[0]["key"], "email:chen@example.org");
    assert_eq!(one[0]["email"], "wei.chen@home.example");
    let reason = one[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("attended 3 of 4 sessions (s2020-asia, s2020-africa-en, s2020-latam-en)")
            && reason.contains(
                "chen@example.org and wei.chen@home.example linked by staff: his home address, he wrote to us"
            ),
        "{reason}"
    );
    let (ok, text) = run(&["series", "issue", "cybercrime-2020", "--dry-run"]);
    assert!(ok && text.contains("would issue: Chen Wei <wei.chen@home.example> 270 min"), "{text}");

    assert!(run(&["series", "unlink", "cybercrime-2020", "chen@example.org", "wei.chen@home.example"]).0);
    assert_eq!(chen().len(), 2);
    let (ok, text) = run(&["series", "unlink", "cybercrime-2020", "chen@example.org", "wei.chen@home.example"]);
    assert!(!ok && text.contains("are not linked"), "{text}");

    // Issued under one address, then linked to an address that sorts first (the person's key
    // changes): what was issued is still theirs, no second certificate.
    let (ok, text) = run(&["series", "issue", "cybercrime-2020"]);
    assert!(ok && text.contains("issued 4 certificate(s)"), "{text}");
    {
        let mut db = Db::on(harness::open_db(&db_path));
        let latam = store::events::get(&db.conn, "s2020-latam-en").unwrap();
        let csv = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
\
                   Eve Martin,e.martin@home.example,2020-07-20 15:00:00,2020-07-20 16:30:00,90,No\n";
        db.import_bytes(&latam, "latam-eve.csv", csv.as_bytes(), None, None).unwrap();
    }
    let (ok, text) =
        run(&["series", "link", "cybercrime-2020", "eve@example.org", "e.martin@home.example", "--reason", "hers"]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["series", "issue", "cybercrime-2020"]);
    assert!(ok && text.contains("issued 0 certificate(s) (4 already issued"), "{text}");
}
