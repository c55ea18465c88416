//! Shared test helpers: an in-memory database with an event, and fixture loading.
#![allow(dead_code)]

pub mod oidc;

use attest::attendance::Decision;
use attest::import::ImportOptions;
use attest::import::dates::DateOrder;
use attest::store::Conn;
use attest::store::events::{Event, NewEvent};
use attest::store::imports::{Outcome, Upload};
use attest::store::{self, StoreError};
use chrono::{DateTime, TimeZone, Utc};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub struct Db {
    pub conn: Conn,
}

impl Db {
    pub fn new() -> Self {
        Db { conn: store::open_in_memory().unwrap() }
    }

    /// An event with the default rule (75 %) and, optionally, a window in UTC.
    pub fn event(&self, slug: &str, window: Option<(&str, &str)>) -> Event {
        store::events::create(
            &self.conn,
            &NewEvent {
                slug: slug.into(),
                title: format!("Event {slug}"),
                series: None,
                starts_at: window.map(|w| utc(w.0)),
                ends_at: window.map(|w| utc(w.1)),
                timezone: chrono_tz::UTC,
                language: attest::language::Language::En,
                rule: attest::attendance::Rule::MinPercent(75),
                panelists_eligible: false,
                template: None,
            },
            "cli",
            now(),
        )
        .unwrap()
    }

    pub fn import_with(
        &mut self,
        event: &Event,
        file: &str,
        order: Option<DateOrder>,
        meeting: Option<&str>,
    ) -> Result<Vec<Outcome>, StoreError> {
        let bytes = fixture(file);
        self.import_bytes(event, file, &bytes, order, meeting)
    }

    pub fn import_bytes(
        &mut self,
        event: &Event,
        file: &str,
        bytes: &[u8],
        order: Option<DateOrder>,
        meeting: Option<&str>,
    ) -> Result<Vec<Outcome>, StoreError> {
        let opts = ImportOptions {
            tz: chrono_tz::UTC,
            date_order: order,
            meeting: meeting.map(Into::into),
            event_title: Some(event.title.clone()),
            event_window: event.window().map(|w| (w.start, w.end)),
            max_rows: None,
            columns: None,
            accept_inferred: false,
            known_mappings: Vec::new(),
            meeting_date: None,
        };
        store::imports::import_files(
            &mut self.conn,
            event,
            &[Upload { file_name: file, bytes }],
            &opts,
            false,
            "cli",
            now(),
        )
    }

    /// Imports bytes with the options `set` changes (columns, accepted inferences, zone).
    pub fn import_opts(
        &mut self,
        event: &Event,
        file: &str,
        bytes: &[u8],
        set: impl FnOnce(&mut ImportOptions),
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut opts = ImportOptions {
            event_title: Some(event.title.clone()),
            event_window: event.window().map(|w| (w.start, w.end)),
            ..ImportOptions::in_zone(chrono_tz::UTC)
        };
        set(&mut opts);
        store::imports::import_files(
            &mut self.conn,
            event,
            &[Upload { file_name: file, bytes }],
            &opts,
            false,
            "cli",
            now(),
        )
    }

    pub fn import(&mut self, event: &Event, file: &str) -> Vec<Outcome> {
        self.import_with(event, file, None, None).unwrap()
    }

    pub fn decisions(&self, event: &Event) -> Vec<Decision> {
        store::people::decisions(&self.conn, event).unwrap()
    }

    /// Rows in every table that imports write to.
    pub fn counts(&self) -> (i64, i64, i64) {
        let c = |t: &str| {
            self.conn.sqlite_for_tests().query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap()
        };
        (c("uploads"), c("raw_rows"), c("connections"))
    }
}

/// The person with this email (lower case) or, failing that, this exact name.
pub fn person<'a>(ds: &'a [Decision], who: &str) -> &'a Decision {
    ds.iter()
        .find(|d| d.email.as_deref() == Some(who) || d.name == who)
        .unwrap_or_else(|| panic!("no person {who} among {:?}", ds.iter().map(|d| &d.name).collect::<Vec<_>>()))
}

pub fn summary(o: &[Outcome]) -> &attest::store::imports::Summary {
    match &o[0] {
        Outcome::Imported(s) => s,
        other => panic!("not imported: {other:?}"),
    }
}

/// The text of a PDF as a person copying it gets it: poppler's `pdftotext` when it is installed
/// (`.ci/run` installs it), which applies bidi and so gives right-to-left names in logical order;
/// else lopdf's extraction, which reads glyphs in drawing (visual) order. The flag says which.
pub fn pdf_text(pdf: &[u8]) -> (String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        // Poppler reads the file without a complaint: it reports syntax errors on stderr
        // even when it manages to extract the text.
        let complaints = String::from_utf8_lossy(&out.stderr);
        assert!(complaints.trim().is_empty(), "pdftotext: {complaints}");
        let text: String = String::from_utf8(out.stdout)
            .unwrap()
            .chars()
            .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
            .collect();
        return (text, true);
    }
    eprintln!(
        "pdftotext not installed: text read with lopdf, in visual order (install poppler-utils for the logical-order check)"
    );
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    (doc.extract_text(&[1]).unwrap(), false)
}

/// Whether `text` holds `name`: as written, or, from a visual-order extraction, with a
/// right-to-left name reversed.
pub fn holds_name(text: &str, name: &str, logical: bool) -> bool {
    let rtl = name.chars().any(|c| ('\u{0590}'..='\u{08FF}').contains(&c));
    text.contains(name) || (!logical && rtl && text.contains(&name.chars().rev().collect::<String>()))
}

/// One renderer for all tests of a binary: loading fonts and templates once.
pub fn renderer() -> &'static attest::certificate::Renderer {
    static R: std::sync::OnceLock<attest::certificate::Renderer> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        attest::certificate::Renderer::load(&root.join("assets"), &root.join("fonts")).expect("assets load")
    })
}

/// The folder of the PDF signing identity every test of a binary signs with (made once).
pub fn pdf_keys_dir() -> &'static std::path::Path {
    static D: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().unwrap().keep())
}

/// One PDF signing identity for all tests of a binary: a root and a leaf for "Council of Europe".
pub fn pdf_signer() -> &'static attest::pdf_signature::PdfSigner {
    static S: std::sync::OnceLock<attest::pdf_signature::PdfSigner> = std::sync::OnceLock::new();
    S.get_or_init(|| attest::pdf_signature::active(pdf_keys_dir(), "Council of Europe", now()).unwrap())
}

/// The organisation settings every test issues with.
pub fn settings() -> attest::issuance::Settings {
    attest::issuance::Settings {
        public_url: "http://127.0.0.1:8080".into(),
        issuer: "Council of Europe".into(),
        issuer_short: "CoE".into(),
        tsa_url: None,
    }
}

impl Db {
    /// Issues every eligible person of `event` with `secret`, the shared renderer and settings.
    pub fn issue(&mut self, event: &Event, secret: &attest::signing::Secret) -> attest::issuance::IssueReport {
        let s = settings();
        let issuer =
            attest::issuance::Issuer { renderer: renderer(), secret, pdf: pdf_signer(), settings: &s, actor: "cli" };
        attest::issuance::issue_event(&mut self.conn, issuer, event, false, now(), &|_| {}).unwrap()
    }
}

/// The web configuration every in-process server of the tests runs with: the tests' settings,
/// `lookups` code lookups a minute per client, no trusted proxy, finished answers kept 2 s.
pub fn web_config(s: &attest::issuance::Settings, lookups: u32) -> attest::web::WebConfig {
    attest::web::WebConfig {
        public_url: s.public_url.clone(),
        issuer: s.issuer.clone(),
        code_lookups_per_minute: lookups,
        mail_from: "attest <no-reply@example.org>".into(),
        link_hours: 72,
        max_upload_bytes: attest::import::MAX_UPLOAD_BYTES,
        trusted_proxies: Vec::new(),
        verdict_ttl: std::time::Duration::from_secs(2),
        mail_per_minute: 0,
        max_import_rows: attest::web::DEFAULT_MAX_IMPORT_ROWS,
    }
}

/// A program the test needs beyond Rust (pyHanko, pdfsig, node, ...), looked up on `PATH`.
///
/// `None` means the test should say so and return: `cargo test` passes on a machine with only
/// the Rust toolchain. With `ATTEST_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs them) a
/// missing program fails the test instead, so CI can never skip silently.
pub fn tool(program: &str, why: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file()));
    if found.is_none() {
        assert!(
            std::env::var_os("ATTEST_REQUIRE_TOOLS").is_none(),
            "ATTEST_REQUIRE_TOOLS is set but `{program}` is not on PATH ({why})"
        );
        eprintln!("skipped: `{program}` is not on PATH; it is needed to {why} (.ci/run installs it)");
    }
    found
}

/// A `python3` on PATH that can import `module` (`.ci/run` puts its venv first on PATH), or
/// `None` after saying why; with `ATTEST_REQUIRE_TOOLS=1` a missing one fails instead.
pub fn python_with(module: &str, why: &str) -> Option<std::path::PathBuf> {
    let py = tool("python3", why)?;
    let ok = std::process::Command::new(&py)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("ATTEST_REQUIRE_TOOLS").is_none(),
            "ATTEST_REQUIRE_TOOLS is set but python3 cannot import {module} ({why})"
        );
        eprintln!("skipped: python3 cannot import {module}; it is needed to {why} (.ci/run installs it)");
        return None;
    }
    Some(py)
}

/// Rebuilds the QR module grid from the rectangles the PDF draws, and decodes it.
pub fn qr_from_pdf(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    for obj in doc.objects.values() {
        let lopdf::Object::Stream(s) = obj else { continue };
        let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let text = String::from_utf8_lossy(&content);
        if !text.starts_with("0 g\n") || !text.contains(" re") {
            continue;
        }
        let rects: Vec<[f32; 4]> = text
            .lines()
            .filter(|l| l.ends_with(" re"))
            .map(|l| {
                let n: Vec<f32> = l.split_whitespace().take(4).map(|v| v.parse().unwrap()).collect();
                [n[0], n[1], n[2], n[3]]
            })
            .collect();
        let size = rects.iter().map(|r| (r[0] + r[2]).max(r[1] + r[3])).fold(0.0f32, f32::max) as usize + 4;
        let scale = 6;
        let px = size * scale;
        let img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
            let (mx, my) = ((x / scale) as f32 + 0.5, (size - 1 - y / scale) as f32 + 0.5);
            let dark = rects.iter().any(|r| mx > r[0] && mx < r[0] + r[2] && my > r[1] && my < r[1] + r[3]);
            if dark { 0 } else { 255 }
        });
        let mut img = img;
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the drawing");
        return grids[0].decode().unwrap().1;
    }
    panic!("no QR drawing in the PDF");
}

/// The series fixture (issue 12): four sessions of the 2020 seminar series, 100 minutes each,
/// rule 75 % per session and "at least 3 of the 4" for the series. Ana attends all four; Ben
/// three (30 minutes of the third); Chen two; Dalia three, the third as a guest without email
/// (matched by name, in Arabic script); Eve two and 40 minutes of the third, which staff
/// override to eligible ("joined by phone"). Returns the series.
pub fn series_fixture(db: &mut Db) -> attest::store::series::Series {
    let sessions = [
        ("s2020-asia", "Seminar with Asia-Pacific countries", "2020-06-24 07:00:00"),
        ("s2020-africa-en", "Seminar with African countries", "2020-07-07 08:00:00"),
        ("s2020-africa-fr", "Séminaire avec les pays africains", "2020-07-09 08:00:00"),
        ("s2020-latam-en", "Seminar with Latin American and Caribbean countries", "2020-07-20 15:00:00"),
    ];
    // (name, email in every session, minutes per session; 0: absent; None email: guest there).
    type Who<'a> = (&'a str, [(Option<&'a str>, i64); 4]);
    let people: [Who; 5] = [
        (
            "Ana Ruiz",
            [
                (Some("ana@example.org"), 95),
                (Some("ana@example.org"), 90),
                (Some("ana@example.org"), 99),
                (Some("ana@example.org"), 100),
            ],
        ),
        (
            "Ben Okafor",
            [
                (Some("ben@example.org"), 90),
                (Some("ben@example.org"), 80),
                (Some("ben@example.org"), 30),
                (Some("ben@example.org"), 85),
            ],
        ),
        ("Chen Wei", [(Some("chen@example.org"), 90), (Some("chen@example.org"), 90), (None, 0), (None, 0)]),
        ("داليا المصري", [(Some("dalia@example.org"), 100), (Some("dalia@example.org"), 100), (None, 96), (None, 0)]),
        (
            "Eve Martin",
            [(Some("eve@example.org"), 88), (Some("eve@example.org"), 77), (Some("eve@example.org"), 40), (None, 0)],
        ),
    ];
    let series = attest::store::series::create(
        &db.conn,
        "cybercrime-2020",
        "Cybercrime and Criminal Justice in Cyberspace (2020)",
        attest::language::Language::En,
        "cli",
        now(),
    )
    .unwrap();
    for (i, (slug, title, start)) in sessions.iter().enumerate() {
        let start = chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%d %H:%M:%S").unwrap().and_utc();
        let event = store::events::create(
            &db.conn,
            &NewEvent {
                slug: (*slug).into(),
                title: (*title).into(),
                series: Some("Cybercrime and Criminal Justice in Cyberspace".into()),
                starts_at: Some(start),
                ends_at: Some(start + chrono::Duration::minutes(100)),
                timezone: chrono_tz::UTC,
                language: attest::language::Language::En,
                rule: attest::attendance::Rule::MinPercent(75),
                panelists_eligible: false,
                template: None,
            },
            "cli",
            now(),
        )
        .unwrap();
        let mut csv = String::from("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n");
        for (name, days) in &people {
            let (email, minutes) = days[i];
            if minutes == 0 {
                continue;
            }
            let end = start + chrono::Duration::minutes(minutes);
            let f = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
            csv.push_str(&format!("{name},{},{},{},{minutes},No\n", email.unwrap_or(""), f(start), f(end)));
        }
        db.import_bytes(&event, &format!("{slug}.csv"), csv.as_bytes(), None, None).unwrap();
        attest::store::series::add_event(&db.conn, &series, slug, "cli", now()).unwrap();
        if *slug == "s2020-africa-fr" {
            store::people::set_override(
                &db.conn,
                &event,
                "email:eve@example.org",
                true,
                "joined by phone",
                "cli",
                now(),
            )
            .unwrap();
        }
    }
    attest::store::series::set_rule(&db.conn, &series, attest::series::SeriesRule::AtLeast(3), "cli", now()).unwrap()
}

/// One element of a PDF's structure tree as a reader gives it: its role (`H1`, `P`, `Figure`),
/// its alternative text (or, in pdf.js, its `/ActualText`) and the text of its marked content.
#[derive(Debug, Clone, PartialEq)]
pub struct StructElement {
    pub role: String,
    pub alt: Option<String>,
    pub text: String,
}

/// What poppler's `pdfinfo` says of a PDF's tagging: whether it is tagged ("Tagged: yes") and
/// the structure elements of `pdfinfo -struct-text`, in tree order (no alternative texts: it
/// prints none). `None` without poppler-utils (skipped, saying so).
pub fn poppler_structure(pdf: &[u8]) -> Option<(bool, Vec<StructElement>)> {
    let pdfinfo = tool("pdfinfo", "read the PDF's structure tree with poppler")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let info = std::process::Command::new(&pdfinfo).arg(&path).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    let tagged = info.lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes"));
    let out = std::process::Command::new(&pdfinfo).arg("-struct-text").arg(&path).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).trim().is_empty(),
        "pdfinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // An element is a line with its role ("  P (block)"), its text the quoted line under it.
    let mut elements: Vec<StructElement> = Vec::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let t = line.trim();
        if let Some(text) = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            if let Some(e) = elements.last_mut() {
                e.text.push_str(text);
            }
        } else if !t.is_empty() {
            let role = t.split_whitespace().next().unwrap_or_default().to_owned();
            if role != "Document" {
                elements.push(StructElement { role, alt: None, text: String::new() });
            }
        }
    }
    Some((tagged, elements))
}

/// A PDF's structure as Mozilla's pdf.js gives it to Firefox's screen readers
/// (`tests/verifiers/pdf_structure.mjs`): whether it is marked, its language, and its structure
/// elements with their alternative texts. `None` without node and `pdfjs-dist` in
/// `ATTEST_NODE_MODULES` (skipped, saying so).
pub fn pdfjs_structure(pdf: &[u8]) -> Option<(bool, String, Vec<StructElement>)> {
    let node = tool("node", "read the PDF's structure tree with Mozilla's pdf.js")?;
    let modules = std::env::var_os("ATTEST_NODE_MODULES").map(std::path::PathBuf::from);
    let Some(modules) = modules.filter(|m| m.join("pdfjs-dist").is_dir()) else {
        assert!(
            std::env::var_os("ATTEST_REQUIRE_TOOLS").is_none(),
            "ATTEST_REQUIRE_TOOLS is set but ATTEST_NODE_MODULES holds no pdfjs-dist"
        );
        eprintln!("skipped: ATTEST_NODE_MODULES does not name node_modules with pdfjs-dist (.ci/package.json)");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verifiers/pdf_structure.mjs");
    let out =
        std::process::Command::new(node).env("ATTEST_NODE_MODULES", modules).arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "pdf.js: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let elements = v["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| StructElement {
            role: e["role"].as_str().unwrap().to_owned(),
            alt: e["alt"].as_str().map(str::to_owned),
            text: e["text"].as_str().unwrap().to_owned(),
        })
        .collect();
    Some((v["marked"] == true, v["lang"].as_str().unwrap_or_default().to_owned(), elements))
}
