//! The harness: everything the tests need to stand attest up, made in one place.
//!
//! - [`app`]: test databases (`open_db`, `new_db`, `memory_db`: the only functions that make or
//!   open one, so that the suite can later be pointed at another engine), the `TestApp` builder
//!   (staff, session, API token, state, router), servers on a port, and the typed HTTP helpers;
//! - this module: [`Db`], a database with events, imports and an imported and issued webinar;
//!   fixtures, fixed times, the renderer and the PDF signing identity, PDF text and structure;
//! - [`tools`]: external programs, skipped or required (`ATTEST_REQUIRE_TOOLS`);
//! - [`logs`]: tests that read the whole log run alone in a child process;
//! - [`oidc`] and [`smtp`]: a real OpenID provider and a real SMTP server on loopback;
//! - [`process`]: `attest serve` as a separate process, for several instances on one database;
//! - [`cli`]: the command line as staff run it ([`Cli`]), a process a command.

pub mod app;
pub mod cli;
pub mod logs;
pub mod oidc;
pub mod process;
pub mod smtp;
pub mod tools;

use attest::attendance::{Decision, Role};
use attest::import::ImportOptions;
use attest::import::dates::DateOrder;
use attest::store::Conn;
use attest::store::events::{Event, NewEvent};
use attest::store::imports::{Outcome, Upload};
use attest::store::{self, StoreError};
use chrono::{DateTime, TimeZone, Utc};

pub use app::{
    Res, Session, TestApp, count, csrf_in, enc, form, get, memory_db, multipart, multipart_post, new_db, open_db, send,
    send_to, web_config,
};
pub use cli::Cli;
pub use tools::{python_with, tool};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names of the sample exports in `tests/fixtures/` that end in `ext` (".csv"), sorted.
pub fn fixture_names(ext: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

/// A generated Zoom webinar attendee report (CRLF lines): the title block, with `panelist` a
/// panelist table of one, then the attendee table of `n` rows whose cells after `Yes,` are
/// `row(i)` for i in 1..=n; with `bom`, a UTF-8 byte order mark first.
pub fn webinar_report(bom: bool, panelist: bool, n: usize, row: impl Fn(usize) -> String) -> String {
    let header = "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes)\r\n";
    let mut s = String::from(if bom { "\u{feff}" } else { "" });
    s.push_str(
        "Attendee Report,,,,,\r\n\
         Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),,\r\n\
         Seminar,812 3456 7890,\"Mar 14, 2025 9:58 AM\",104,,\r\n",
    );
    if panelist {
        s.push_str("Panelist Details,,,,,\r\n");
        s.push_str(header);
        s.push_str("Yes,Panel Ist,panel@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102\r\n");
    }
    s.push_str("Attendee Details,,,,,\r\n");
    s.push_str(header);
    for i in 1..=n {
        s.push_str(&format!("Yes,{}\r\n", row(i)));
    }
    s
}

/// A Teams attendance report (tabs, LF lines) whose summary section is the usual three lines,
/// `Meeting title`, `Start time` and `End time`, then `2. Participants` and `rest`: the
/// participants' header and rows, and any section after them. What a test of a Teams report is
/// about is in its participants; the summary above them is the same in each.
pub fn teams_report(title: &str, start: &str, end: &str, rest: &str) -> String {
    format!("1. Summary\nMeeting title\t{title}\nStart time\t{start}\nEnd time\t{end}\n\n2. Participants\n{rest}")
}

/// A plain grey PNG of `w` × `h` pixels (`shade`: 0 black to 255 white), for the design forms'
/// image checks: its size is what a test is about, not its picture.
pub fn grey_png(w: u32, h: u32, shade: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    let mut wr = enc.write_header().unwrap();
    wr.write_image_data(&vec![shade; (w * h) as usize]).unwrap();
    wr.finish().unwrap();
    out
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// An event as most tests want one: no window, UTC, English, the default rule (75 %), no
/// panelists, the default template. Tests change what they need with `..new_event(..)`.
pub fn new_event(slug: &str, title: &str) -> NewEvent {
    NewEvent::new(slug, title, chrono_tz::UTC)
}

/// The seminar every hand-written export of the tests is about: 14 March 2025, 10:00 to 11:40
/// UTC, as [`Db::event`] takes a window.
pub const SEMINAR: Option<(&str, &str)> = Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z"));

pub struct Db {
    pub conn: Conn,
    /// On PostgreSQL, the database [`Db::new`] made, dropped after `conn` closes.
    _database: app::DropDatabase,
}

impl Db {
    pub fn new() -> Self {
        let (conn, database) = memory_db();
        Db { conn, _database: database }
    }

    /// A new database with the event `slug` (its `window` as in [`Db::event`]) and `bytes`
    /// imported into it as `file` with the default options: where most import tests start. The
    /// database, the event and what the import answered.
    #[track_caller]
    pub fn with_import(
        slug: &str,
        window: Option<(&str, &str)>,
        file: &str,
        bytes: &[u8],
    ) -> (Self, Event, Vec<Outcome>) {
        Self::with_import_opts(slug, window, file, bytes, |_| {})
    }

    /// [`Db::with_import`] with the options `set` changes, as [`Db::import_opts`] takes them.
    #[track_caller]
    pub fn with_import_opts(
        slug: &str,
        window: Option<(&str, &str)>,
        file: &str,
        bytes: &[u8],
        set: impl FnOnce(&mut ImportOptions),
    ) -> (Self, Event, Vec<Outcome>) {
        let mut db = Db::new();
        let event = db.event(slug, window);
        let outcome = db.import_opts(&event, file, bytes, set).unwrap();
        (db, event, outcome)
    }

    /// [`Db::with_import`] of `text` as `file` into an event over [`SEMINAR`].
    #[track_caller]
    pub fn seminar(slug: &str, file: &str, text: &str) -> (Self, Event, Vec<Outcome>) {
        Self::seminar_with(slug, file, text, |_| {})
    }

    /// [`Db::seminar`] with the options `set` changes (an accepted inference, columns, a zone).
    #[track_caller]
    pub fn seminar_with(
        slug: &str,
        file: &str,
        text: &str,
        set: impl FnOnce(&mut ImportOptions),
    ) -> (Self, Event, Vec<Outcome>) {
        Self::with_import_opts(slug, SEMINAR, file, text.as_bytes(), set)
    }

    /// [`Db::with_import`] of the fixture `file`.
    #[track_caller]
    pub fn with_fixture(slug: &str, window: Option<(&str, &str)>, file: &str) -> (Self, Event, Vec<Outcome>) {
        Self::with_import(slug, window, file, &fixture(file))
    }

    /// The database file at `path` (created if new), beside a server on it or before one.
    pub fn at(path: &std::path::Path) -> Self {
        Db::on(open_db(path))
    }

    /// A `Db` on a connection the test made (its database is the test's to drop).
    pub fn on(conn: Conn) -> Self {
        Db { conn, _database: app::DropDatabase(None) }
    }

    /// The connection, for a server the test builds on it: its database is left on the server
    /// (the server outlives this `Db`).
    pub fn into_conn(self) -> Conn {
        let Db { conn, mut _database } = self;
        _database.0 = None;
        conn
    }

    /// An event with the default rule (75 %) and, optionally, a window in UTC.
    pub fn event(&self, slug: &str, window: Option<(&str, &str)>) -> Event {
        store::events::create(
            &self.conn,
            &NewEvent {
                starts_at: window.map(|w| utc(w.0)),
                ends_at: window.map(|w| utc(w.1)),
                ..new_event(slug, &format!("Event {slug}"))
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
        self.import_opts(event, file, bytes, |o| {
            o.date_order = order;
            o.meeting = meeting.map(Into::into);
        })
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
        self.import_files(event, file, bytes, &opts, false)
    }

    /// Imports bytes as [`ImportOptions::in_zone`] UTC reads them, with the rows that cannot
    /// be read kept as errors: what a member gets on asking to go on with a file that was
    /// refused.
    pub fn import_keeping_bad_rows(
        &mut self,
        event: &Event,
        file: &str,
        bytes: &[u8],
    ) -> Result<Vec<Outcome>, StoreError> {
        self.import_files(event, file, bytes, &ImportOptions::in_zone(chrono_tz::UTC), true)
    }

    /// The one call of the store's import the helpers above make, by the CLI's actor at [`now`].
    fn import_files(
        &mut self,
        event: &Event,
        file: &str,
        bytes: &[u8],
        opts: &ImportOptions,
        skip_bad_rows: bool,
    ) -> Result<Vec<Outcome>, StoreError> {
        let uploads = [Upload { file_name: file, bytes }];
        store::imports::import_files(&mut self.conn, event, &uploads, opts, skip_bad_rows, "cli", now())
    }

    /// The message of an import that must be refused (a mapping to confirm, a question): a
    /// panic, naming what was stored instead, if it lands.
    #[track_caller]
    pub fn refusal(&mut self, event: &Event, file: &str, bytes: &[u8], set: impl FnOnce(&mut ImportOptions)) -> String {
        match self.import_opts(event, file, bytes, set) {
            Err(e) => e.to_string(),
            Ok(o) => panic!("expected the import to be refused, got {o:?}"),
        }
    }

    /// Imports `bytes` read in `tz` with the column mapping attest inferred accepted, as staff
    /// confirm it after the refusal that shows it; the event's decisions after.
    #[track_caller]
    pub fn decisions_inferred(&mut self, event: &Event, file: &str, bytes: &[u8], tz: chrono_tz::Tz) -> Vec<Decision> {
        self.import_opts(event, file, bytes, |o| {
            o.tz = tz;
            o.accept_inferred = true;
        })
        .unwrap();
        self.decisions(event)
    }

    pub fn import(&mut self, event: &Event, file: &str) -> Vec<Outcome> {
        self.import_with(event, file, None, None).unwrap()
    }

    pub fn decisions(&self, event: &Event) -> Vec<Decision> {
        store::people::decisions(&self.conn, event).unwrap()
    }

    /// The multilingual webinar export imported into a new event `slug` (no window); the event,
    /// and the signing key made (or found) in `keys_dir`.
    pub fn webinar(&mut self, slug: &str, keys_dir: &std::path::Path) -> (Event, attest::trust::token::PrivateKey) {
        let event = self.event(slug, None);
        self.import(&event, "webinar_attendee_report_multilingual.synthetic.csv");
        let secret = attest::trust::token::active(&self.conn, keys_dir, now()).unwrap();
        (event, secret)
    }

    /// [`Db::webinar`], issued: an imported and issued event.
    pub fn issued_webinar(
        &mut self,
        slug: &str,
        keys_dir: &std::path::Path,
    ) -> (Event, attest::trust::token::PrivateKey) {
        let (event, secret) = self.webinar(slug, keys_dir);
        self.issue(&event, &secret);
        (event, secret)
    }

    /// Rows in every table that imports write to.
    pub fn counts(&self) -> (i64, i64, i64) {
        let c = |t: &str| self.conn.row_for_tests(&format!("SELECT count(*) FROM {t}"), (), |r| r.get(0)).unwrap();
        (c("uploads"), c("raw_rows"), c("connections"))
    }
}

/// Import options as `--columns SPEC --tz UTC` give them: a file read through the columns staff
/// named, for [`Db::import_opts`] and [`Db::refusal`].
pub fn columns_in_utc(spec: &str) -> impl FnOnce(&mut ImportOptions) {
    let columns = attest::import::mapping::parse_columns_arg(spec).unwrap();
    move |o| {
        o.tz = chrono_tz::UTC;
        o.columns = Some(columns);
    }
}

/// The person with this email (lower case) or, failing that, this exact name.
pub fn person<'a>(ds: &'a [Decision], who: &str) -> &'a Decision {
    ds.iter()
        .find(|d| d.email.as_deref() == Some(who) || d.name == who)
        .unwrap_or_else(|| panic!("no person {who} among {:?}", ds.iter().map(|d| &d.name).collect::<Vec<_>>()))
}

/// Asserts how long each person attended: `(email or name as for [`person`], seconds)`. A table
/// rather than one `assert_eq!` a person, so the expected minutes of a file read as one list;
/// a failure names the person, at the caller's line.
#[track_caller]
pub fn assert_attended(ds: &[Decision], expected: &[(&str, i64)]) {
    for &(who, seconds) in expected {
        assert_eq!(person(ds, who).attended_seconds, seconds, "seconds attended by {who}");
    }
}

/// Asserts each person's seconds and eligibility: `(email or name, seconds, eligible)`, as
/// [`assert_attended`] does for seconds alone.
#[track_caller]
pub fn assert_decided(ds: &[Decision], expected: &[(&str, i64, bool)]) {
    for &(who, seconds, eligible) in expected {
        let p = person(ds, who);
        assert_eq!((p.attended_seconds, p.eligible), (seconds, eligible), "seconds attended and eligibility of {who}");
    }
}

/// Asserts each person's role and eligibility: `(email or name, role, eligible)`, as
/// [`assert_decided`] does for seconds: hosts and panelists are the people a misread role
/// wrongly certifies, so most export tests check them.
#[track_caller]
pub fn assert_roles(ds: &[Decision], expected: &[(&str, Role, bool)]) {
    for &(who, role, eligible) in expected {
        let p = person(ds, who);
        assert_eq!((p.role, p.eligible), (role, eligible), "role and eligibility of {who}: {p:?}");
    }
}

/// Asserts what a role `word` attest does not understand did to the import `outcome`: its
/// warnings name the word, and its person `who` is a panelist left to staff (not eligible, one
/// review item), never an eligible attendee. The event's decisions, for the rest of the test.
#[track_caller]
pub fn assert_unknown_role(db: &Db, event: &Event, outcome: &[Outcome], word: &str, who: &str) -> Vec<Decision> {
    let warnings = summary(outcome).warnings.join("\n");
    assert!(warnings.contains(&format!("read as panelists and sent to review: \"{word}\"")), "{warnings}");
    let ds = db.decisions(event);
    let p = person(&ds, who);
    assert_eq!((p.role, p.eligible, p.review.len()), (Role::Panelist, false, 1), "{p:?}");
    ds
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

/// The text of an HTML page as a reader sees it, one line per run of text between tags (empty
/// lines dropped), for snapshots that should change when the words change, not the markup.
pub fn page_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Whether `text` holds `name`: as written, or, from a visual-order extraction, with a
/// right-to-left name reversed.
pub fn holds_name(text: &str, name: &str, logical: bool) -> bool {
    let rtl = name.chars().any(|c| ('\u{0590}'..='\u{08FF}').contains(&c));
    text.contains(name) || (!logical && rtl && text.contains(&name.chars().rev().collect::<String>()))
}

/// The renderer of the calling test: fonts and templates loaded once per test, not per
/// certificate.
///
/// One per test (per thread: libtest runs each test on a thread of its own), not one for the
/// whole process: a renderer keeps the design versions it has prepared by (design id, version),
/// numbers of one database, and every test's database has its own design 1. Shared, it drew one
/// test's design on another's certificates. Leaked: a few megabytes per test that renders, for a
/// `&'static` that `Issuer` can borrow anywhere in the test.
pub fn renderer() -> &'static attest::certificate::Renderer {
    thread_local! {
        static R: &'static attest::certificate::Renderer = Box::leak(Box::new({
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            attest::certificate::Renderer::load(&root.join("assets"), &root.join("fonts")).expect("assets load")
        }));
    }
    R.with(|r| *r)
}

/// A renderer whose templates name two logos and a signatory with a signature image
/// (`tests/fixtures/assets-signed/`, the templates as shipped before issue 21): the structure
/// tests read the pictures' alternative texts from it. The shipped templates name none.
pub fn signed_renderer() -> &'static attest::certificate::Renderer {
    thread_local! {
        static R: &'static attest::certificate::Renderer = Box::leak(Box::new({
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            attest::certificate::Renderer::load(&root.join("tests/fixtures/assets-signed"), &root.join("fonts"))
                .expect("assets load")
        }));
    }
    R.with(|r| *r)
}

/// The folder of the PDF signing identity every test signs with (made once for the process).
pub fn pdf_keys_dir() -> &'static std::path::Path {
    static D: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().unwrap().keep())
}

/// One PDF signing identity for all tests: a root and a leaf for "Council of Europe". Shared by
/// the whole process, unlike [`renderer`]: it holds nothing of any database.
pub fn pdf_signer() -> &'static attest::trust::pdf_signature::PdfSigner {
    static S: std::sync::OnceLock<attest::trust::pdf_signature::PdfSigner> = std::sync::OnceLock::new();
    S.get_or_init(|| attest::trust::pdf_signature::active(pdf_keys_dir(), "Council of Europe", now()).unwrap())
}

/// The content of a certificate of the ECHR seminar of 14 March 2025 (see
/// [`attest::certificate::CertificateContent::sample`]): fixed, so that renderings can be
/// compared and snapshot.
pub fn seminar_content(name: &str, language: &str, verify_url: String) -> attest::certificate::CertificateContent {
    attest::certificate::CertificateContent::sample(name, language, verify_url)
}

/// The organisation settings every test issues with.
/// The audit actions an event's whole life leaves (created, imported, corrected, issued, one
/// certificate revoked and one reissued): the console and the API must leave the same trail.
pub const LIFECYCLE_ACTIONS: [&str; 6] =
    ["event.create", "import", "attendance.override", "certificate.issue", "certificate.revoke", "certificate.reissue"];

/// An issuer with the shared renderer: a test names only the key, PDF signer, settings and
/// actor it issues with, so that a new field of `Issuer` is added here once.
pub fn issuer<'a>(
    secret: &'a attest::trust::token::PrivateKey,
    pdf: &'a attest::trust::pdf_signature::PdfSigner,
    settings: &'a attest::issuance::Settings,
    actor: &'a str,
) -> attest::issuance::Issuer<'a> {
    attest::issuance::Issuer { renderer: renderer(), secret, pdf, settings, actor }
}

/// The issuer the issuing tests sign as: the command line's defaults, a local address (nothing
/// visits it) and no time-stamp authority.
pub fn settings() -> attest::issuance::Settings {
    attest::issuance::Settings::default()
}

impl Db {
    /// Issues every eligible person of `event` with `secret`, the shared renderer and settings.
    pub fn issue(&mut self, event: &Event, secret: &attest::trust::token::PrivateKey) -> attest::issuance::IssueReport {
        let s = settings();
        let issuer =
            attest::issuance::Issuer { renderer: renderer(), secret, pdf: pdf_signer(), settings: &s, actor: "cli" };
        attest::issuance::issue_event(&mut self.conn, issuer, event, false, now(), &|_| {}).unwrap()
    }
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

/// [`series_fixture`] with Chen Wei also at its last session, under a second address
/// (`wei.chen@home.example`, 90 minutes): one person whom the series sees as two until staff
/// link the addresses.
pub fn series_fixture_with_a_second_address(db: &mut Db) -> attest::store::series::Series {
    let series = series_fixture(db);
    let latam = store::events::get(&db.conn, "s2020-latam-en").unwrap();
    let csv = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
               Chen Wei,wei.chen@home.example,2020-07-20 15:00:00,2020-07-20 16:30:00,90,No\n";
    db.import_bytes(&latam, "latam-late.csv", csv.as_bytes(), None, None).unwrap();
    series
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
                series: Some("Cybercrime and Criminal Justice in Cyberspace".into()),
                starts_at: Some(start),
                ends_at: Some(start + chrono::Duration::minutes(100)),
                ..new_event(slug, title)
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
                &"email:eve@example.org".parse().unwrap(),
                true,
                "joined by phone",
                "cli",
                now(),
            )
            .unwrap();
        }
    }
    attest::store::series::set_rule(&db.conn, &series, attest::attendance::series::SeriesRule::AtLeast(3), "cli", now())
        .unwrap()
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
    let (node, modules) = tools::node_with("pdfjs-dist", "read the PDF's structure tree with Mozilla's pdf.js")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let script = tools::verifier("pdf_structure.mjs");
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

/// Checks certificate `c` every way a third party can, on the database `conn` with the keys
/// `keys` and the PDF roots `roots`: its token and its PDF through attest's verifier (each status
/// as `want` accepts), the stored PDF against its recorded hash, the PDF signature up to
/// attest's root, and its credential. Backups, copies and restores must keep all of them.
pub fn verifies_every_way(
    conn: &attest::store::Conn,
    keys: &attest::trust::token::KeySet,
    roots: &[Vec<u8>],
    c: &attest::store::certificates::Certificate,
    want: impl Fn(&attest::verification::Status) -> bool,
) {
    use attest::verification::{self, Source};
    let by_token = verification::verify(keys, Some(conn), Source::Token(&c.token)).unwrap();
    assert!(want(&by_token.status), "{}: {:?}", c.id, by_token.status);
    let pdf = attest::store::certificates::pdf(conn, &c.id).unwrap().unwrap();
    assert_eq!(attest::store::imports::sha256_hex(&pdf), c.pdf_sha256);
    let by_pdf = verification::verify(keys, Some(conn), Source::Pdf(&pdf)).unwrap();
    assert!(want(&by_pdf.status), "{}: {:?}", c.id, by_pdf.status);
    let signature = attest::trust::pdf_signature::verify(&pdf, roots).unwrap();
    assert!(signature.valid && signature.chains_to_attest, "{}: {signature:?}", c.id);
    let credential = attest::store::certificates::credential(conn, &c.id).unwrap().unwrap();
    attest::trust::credential::verify(credential.as_bytes(), keys).unwrap();
}
