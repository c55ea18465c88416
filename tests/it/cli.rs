//! The command line as staff use it, through the real binary: the output contract of
//! `attest attendance --json`, the import report, overrides and people links.

use crate::harness;
use crate::harness::Cli;

use std::path::Path;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

#[test]
fn attendance_json_contract() {
    let cli = Cli::with_event_held(
        "echr",
        "Freedom of expression",
        ("2025-03-14T10:58", "2025-03-14T12:38"),
        &["--tz", "Europe/Paris"],
    );
    let report =
        cli.ok(&["import", "echr", &fixture("webinar_attendee_report_multilingual.synthetic.csv"), "--tz", "UTC"]);
    assert!(report.contains("imported as zoom-webinar-attendee-report"), "{report}");
    let json = cli.ok(&["attendance", "echr", "--json"]);
    let people: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(people.len(), 13);
    for p in &people {
        for field in ["name", "email", "role", "attended_seconds", "eligible", "reason", "sources"] {
            assert!(p.get(field).is_some(), "{field} missing in {p}");
        }
        assert!(["host", "panelist", "attendee"].contains(&p["role"].as_str().unwrap()));
        assert!(p["attended_seconds"].is_i64());
    }
    let olga = people.iter().find(|p| p["email"] == "olga.petrova@example.ua").unwrap();
    // Window 09:58-11:38 UTC given in Paris time (UTC+1 in March): 10:02:05-10:40:17 + 10:47:30-11:38:00 = 38:12 + 50:30.
    assert_eq!(olga["attended_seconds"], 5322);
    assert_eq!(olga["name"], "Ольга Петрова");
    assert_eq!(olga["eligible"], true);
    assert_eq!(
        olga["reason"],
        "attended 88 of 100 minutes (88 %); rule: at least 75 %; 3 min outside the session window not counted"
    );
    assert_eq!(
        olga["sources"],
        serde_json::json!([
            {"file": "webinar_attendee_report_multilingual.synthetic.csv", "line": 16},
            {"file": "webinar_attendee_report_multilingual.synthetic.csv", "line": 17}
        ])
    );
    // The whole contract, every person and field, from a fixed export.
    insta::assert_json_snapshot!("attendance_json", people);
    let hans = people.iter().find(|p| p["name"] == "Hans-Jürgen Müller").unwrap();
    assert_eq!((hans["attended_seconds"].as_i64(), hans["eligible"].as_bool()), (Some(0), Some(false)));
    // The readable table has a header and the same people.
    let table = cli.ok(&["attendance", "echr"]);
    assert!(
        table.contains("NAME") && table.contains("Ольга Петрова") && table.contains("13 people, 6 eligible"),
        "{table}"
    );
}

#[test]
fn reimport_says_nothing_changed_and_override_is_recorded() {
    let cli = Cli::with_event("dialin", "Data protection");
    cli.ok(&["import", "dialin", &fixture("meeting_participants_2025_dialin.synthetic.csv")]);
    let again = cli.ok(&["import", "dialin", &fixture("meeting_participants_2025_dialin.synthetic.csv")]);
    assert!(again.contains("already imported into dialin"), "{again}");
    let out = cli.ok(&[
        "override",
        "dialin",
        "sofia.esposito@example.it",
        "--eligible",
        "true",
        "--reason",
        "followed the recording, confirmed by the organiser",
    ]);
    assert!(out.contains("Sofia Esposito is now eligible"), "{out}");
    let people: Vec<serde_json::Value> = serde_json::from_str(&cli.ok(&["attendance", "dialin", "--json"])).unwrap();
    let sofia = people.iter().find(|p| p["email"] == "sofia.esposito@example.it").unwrap();
    assert_eq!(sofia["eligible"], true);
    assert!(sofia["reason"].as_str().unwrap().starts_with("staff override: eligible (\"followed the recording"));
    // A reason is required.
    cli.fails(&["override", "dialin", "sofia.esposito@example.it", "--eligible", "false", "--reason", " "]);
    // Taken back, the attendance decides again (an override could not be: set to the other
    // answer, it still froze the decision against every later import).
    let out = cli.ok(&["override", "dialin", "sofia.esposito@example.it", "--eligible", "auto", "--reason", "mistake"]);
    assert!(out.contains("decided by the attendance data again"), "{out}");
    let people: Vec<serde_json::Value> = serde_json::from_str(&cli.ok(&["attendance", "dialin", "--json"])).unwrap();
    let sofia = people.iter().find(|p| p["email"] == "sofia.esposito@example.it").unwrap();
    assert_eq!(sofia["overridden"], false, "{sofia}");
    assert!(!sofia["reason"].as_str().unwrap().contains("staff override"), "{sofia}");
    assert!(cli.ok(&["audit", "--limit", "5"]).contains("attendance.override.clear"));
}

#[test]
fn people_link_and_split_from_the_command_line() {
    let cli = Cli::with_event("dialin", "Data protection");
    cli.ok(&["import", "dialin", &fixture("meeting_participants_2025_dialin.synthetic.csv")]);
    // The dial-in number is Sofia on the phone: link them.
    cli.ok(&[
        "people",
        "link",
        "dialin",
        "+33 1 23 45 67 89",
        "sofia.esposito@example.it",
        "--reason",
        "she called in after her video dropped",
    ]);
    let people: Vec<serde_json::Value> = serde_json::from_str(&cli.ok(&["attendance", "dialin", "--json"])).unwrap();
    assert_eq!(people.len(), 6);
    let sofia = people.iter().find(|p| p["email"] == "sofia.esposito@example.it").unwrap();
    // 11:40:00-12:30:00 by phone covers 11:55:00-12:01:30 on video: 50 min.
    assert_eq!(sofia["attended_seconds"], 3000);
    // A link made by mistake is undone by splitting either of its keys (it could not be: links
    // won over splits, and the split was refused as changing nothing).
    cli.ok(&["people", "split", "dialin", "+33 1 23 45 67 89", "--reason", "not her after all"]);
    let people: Vec<serde_json::Value> = serde_json::from_str(&cli.ok(&["attendance", "dialin", "--json"])).unwrap();
    assert_eq!(people.len(), 7);
    let sofia = people.iter().find(|p| p["email"] == "sofia.esposito@example.it").unwrap();
    assert!(sofia["attended_seconds"].as_i64().unwrap() < 3000, "{sofia}");
    cli.ok(&["people", "link", "dialin", "+33 1 23 45 67 89", "sofia.esposito@example.it", "--reason", "it was her"]);
    let people: Vec<serde_json::Value> = serde_json::from_str(&cli.ok(&["attendance", "dialin", "--json"])).unwrap();
    assert_eq!(people.len(), 6, "a link after the split joins them again");
    let unknown =
        cli.fails(&["people", "link", "dialin", "nobody@example.org", "sofia.esposito@example.it", "--reason", "x"]);
    assert!(unknown.contains("no person under \"email:nobody@example.org\""), "{unknown}");
    // Łukasz's two rows (a reconnect, no email) are one name: a split of it changes nothing,
    // and is refused rather than said to have worked.
    let err = cli.fails(&["people", "split", "dialin", "Łukasz Zieliński", "--reason", "two people?"]);
    assert!(err.contains("is not joined to anyone: splitting it changes nothing"), "{err}");
    let review = cli.ok(&["audit", "--limit", "50"]);
    assert!(!review.contains("two people?"), "nothing recorded: {review}");
}

/// The issue's dry run, where staff look before issuing, names the people it would issue who
/// have open review items (a name Excel turned into "????"): only the real run said so, after
/// the certificates were made.
#[test]
fn the_issue_dry_run_names_the_people_with_open_review_items() {
    let cli = Cli::with_event_held("xl", "Excel", ("2025-03-14T10:00", "2025-03-14T11:40"), &[]);
    let csv = cli.dir.path().join("participants.csv");
    std::fs::write(
        &csv,
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
         Host Person (Host),host@coe.int,03/14/2025 10:00:00 AM,03/14/2025 11:40:00 AM,100,No\n\
         Olena ???????,o.petrova@example.ua,03/14/2025 10:00:00 AM,03/14/2025 11:40:00 AM,100,No\n\
         Amira Haddad,amira@example.jo,03/14/2025 10:00:00 AM,03/14/2025 11:40:00 AM,100,No\n",
    )
    .unwrap();
    cli.ok(&["import", "xl", csv.to_str().unwrap()]);
    let dry = cli.ok(&["issue", "xl", "--dry-run"]);
    assert!(dry.contains("2 to issue"), "{dry}");
    // Her surname lost (a name wholly of "?" names nobody and is not issued at all: names.rs).
    assert!(dry.contains("note: 1 of them have open review items") && dry.contains(": Olena ??????? (see"), "{dry}");
}

#[test]
fn import_errors_exit_non_zero_with_one_clear_line() {
    let cli = Cli::with_event("xl", "Excel");
    let err = cli.fails(&["import", "xl", &fixture("meeting_report_excel_resaved_own.csv")]);
    assert!(
        err.contains("meeting_report_excel_resaved_own.csv: cannot tell whether dates are month/day or day/month"),
        "{err}"
    );
    let ok = cli.ok(&["import", "xl", &fixture("meeting_report_excel_resaved_own.csv"), "--date-order", "mdy"]);
    assert!(ok.contains("dates mdy"), "{ok}");
}

#[test]
fn a_200_mb_file_is_refused_by_its_size_without_reading_it() {
    let cli = Cli::with_event("big", "Big");
    let path = cli.dir.path().join("huge.csv");
    // A sparse file: 200 MB long, no memory or disk used.
    std::fs::File::create(&path).unwrap().set_len(200 * 1024 * 1024).unwrap();
    let err = cli.fails(&["import", "big", path.to_str().unwrap()]);
    assert!(err.contains("huge.csv: 209715200 bytes is over the upload limit"), "{err}");
    let show = cli.ok(&["event", "show", "big"]);
    assert!(!show.contains("upload"), "{show}");
}

#[test]
fn event_times_are_given_in_the_event_zone_and_stored_in_utc() {
    let cli = Cli::with_event_held(
        "asia",
        "Seminar with Asia-Pacific countries",
        ("2020-06-24T09:00", "2020-06-24T10:45"),
        &["--tz", "Europe/Paris", "--min-minutes", "80"],
    );
    let v: serde_json::Value = serde_json::from_str(&cli.ok(&["event", "show", "asia", "--json"])).unwrap();
    assert_eq!(v["event"]["starts_at"], "2020-06-24T07:00:00Z");
    assert_eq!(v["event"]["rule"], serde_json::json!({"kind": "min_minutes", "value": 80}));
    assert!(cli.fails(&["event", "create", "asia", "--title", "again"]).contains("already exists"));
    cli.fails(&["event", "create", "Bad Slug", "--title", "x"]);
}

#[test]
fn issue_verify_revoke_through_the_command_line() {
    let cli = Cli::new();
    let dir = cli.dir.path().to_owned();
    let out = dir.join("certs");
    cli.ok(&["event", "create", "echr", "--title", "Freedom of expression", "--tz", "Europe/Paris"]);
    let bad = cli.run(&["event", "create", "x", "--title", "x", "--template", "no-such-template"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no template \"no-such-template\""));
    cli.ok(&["import", "echr", &fixture("webinar_attendee_report_multilingual.synthetic.csv")]);
    cli.ok(&["people", "language", "echr", "olga.petrova@example.ua", "fr"]);
    let dry = cli.ok(&["issue", "echr", "--out", out.to_str().unwrap(), "--dry-run"]);
    assert!(dry.contains("6 to issue") && !out.exists(), "{dry}");
    let issued =
        cli.ok(&["issue", "echr", "--out", out.to_str().unwrap(), "--zip", dir.join("all.zip").to_str().unwrap()]);
    assert!(issued.contains("issued 6 certificate(s)"), "{issued}");
    let again = cli.ok(&["issue", "echr", "--out", out.to_str().unwrap()]);
    assert!(again.contains("nothing new to issue (6 already issued"), "{again}");
    // After the issue, a language choice is for the next certificate: the one issued stays as
    // it is, and the message says so and how to replace it ("will be in es" misled).
    let said = cli.ok(&["people", "language", "echr", "olga.petrova@example.ua", "es"]);
    assert!(said.contains("next certificate will be in es") && said.contains("stays in fr"), "{said}");
    assert!(said.contains("--language es replaces it"), "{said}");
    // The key files (the token's Ed25519 key, the PDF root's and signer's keys) are private to
    // their owner; the PDF chain is public.
    let keys = std::fs::read_dir(dir.join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ed25519" || e == "key"))
        .collect::<Vec<_>>();
    assert_eq!(keys.len(), 3, "{keys:?}");
    #[cfg(unix)]
    for k in &keys {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(k).unwrap().permissions().mode() & 0o777, 0o600, "{}", k.display());
    }
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    let olga = manifest.lines().find(|l| l.contains("Ольга Петрова")).unwrap();
    let file = olga.split(',').nth(4).unwrap();
    let pdf = out.join(file);
    // Olga's certificate is in French, the others in English.
    let (text, _) = harness::pdf_text(&std::fs::read(&pdf).unwrap());
    assert!(text.contains("Certificat de participation"), "{text}");
    let code = olga.split(',').next().unwrap().to_owned();
    let ok = cli.run(&["verify", pdf.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("valid"));
    let said = String::from_utf8_lossy(&ok.stdout);
    assert!(said.contains("PDF signature: valid, the file is exactly as signed"), "{said}");
    assert!(said.contains("this installation's root") && said.contains("CN=Council of Europe"), "{said}");
    // One byte changed inside the signed range: the PDF signature says so, and the exit is 1.
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.len() / 4;
    bytes[at] ^= 1;
    std::fs::write(dir.join("changed.pdf"), &bytes).unwrap();
    let changed = cli.run(&["verify", dir.join("changed.pdf").to_str().unwrap()]);
    assert_eq!(changed.status.code(), Some(1));
    let said = String::from_utf8_lossy(&changed.stdout);
    assert!(said.contains("PDF signature: NOT VALID: the document was changed after it was signed"), "{said}");
    // The chain in use, leaf first and root last, and the PDF identity in the key listing.
    let chain = cli.ok(&["keys", "pdf-chain"]);
    assert_eq!(chain.matches("-----BEGIN CERTIFICATE-----").count(), 2, "{chain}");
    let listed = cli.ok(&["keys", "list"]);
    assert!(listed.contains("PDF signatures (PAdES)") && listed.contains("CN=Council of Europe"), "{listed}");
    // Offline with the published JWK set only.
    let jwks = cli.ok(&["keys", "jwks"]);
    std::fs::write(dir.join("jwks.json"), &jwks).unwrap();
    assert!(!jwks.contains("\"d\""), "no private key in the JWK set");
    let offline =
        cli.run(&["verify", pdf.to_str().unwrap(), "--jwks", dir.join("jwks.json").to_str().unwrap(), "--json"]);
    assert!(offline.status.success());
    let v: serde_json::Value = serde_json::from_slice(&offline.stdout).unwrap();
    assert_eq!((v["status"].as_str(), v["checked_against_records"].as_bool()), (Some("valid"), Some(false)));
    // Revoked: exit status 1 and the reason.
    cli.ok(&["revoke", &code, "--reason", "attendance not confirmed"]);
    let revoked = cli.run(&["verify", &code]);
    assert_eq!(revoked.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&revoked.stdout).contains("revoked on")
            && String::from_utf8_lossy(&revoked.stdout).contains("attendance not confirmed")
    );
    let forged = cli.run(&["verify", "eyJhbGciOiJub25lIn0.WyJ4Il0."]);
    assert_eq!(forged.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&forged.stdout).starts_with("not genuine"));
    let audit = cli.ok(&["audit"]);
    assert!(
        audit.contains("certificate.revoke")
            && audit.contains("people.language")
            && audit.contains("certificate.issue")
    );
}

/// A copy of the database in use restores its data, and only its owner can read it.
#[test]
fn backup_copies_a_database_in_use() {
    if !harness::app::sqlite_only("attest backup (VACUUM INTO)") {
        return;
    }
    let cli = Cli::with_event("bk", "Backup");
    cli.ok(&["import", "bk", &fixture("meeting_participants_fr_headers.synthetic.csv")]);
    let dest = cli.dir.path().join("copy.sqlite3");
    let out = cli.ok(&["backup", dest.to_str().unwrap()]);
    assert!(out.contains("database copied"), "{out}");
    // Emails and password hashes: the copy is its owner's alone, whatever the umask (a cron
    // job's made it readable by everyone).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    let copy = Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(["attendance", "bk", "--json"])
        .env("ATTEST_DB", &dest)
        .output()
        .unwrap();
    let people: Vec<serde_json::Value> = serde_json::from_slice(&copy.stdout).unwrap();
    assert_eq!(people.len(), 2);
    assert!(!cli.run(&["backup", dest.to_str().unwrap()]).status.success(), "never overwrites");
}

/// A backup into an existing folder says it is a folder and to name a file in it (probe 19,
/// finding 14: "backups exists: choose a new file").
#[test]
fn a_backup_into_a_folder_asks_for_a_file_inside_it() {
    if !harness::app::sqlite_only("attest backup (VACUUM INTO)") {
        return;
    }
    let cli = Cli::new();
    let folder = cli.dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    let err = cli.fails(&["backup", folder.to_str().unwrap()]);
    assert!(err.contains("backups is a folder: name a new file inside it, e.g. "), "{err}");
    assert!(err.contains("backups/attest-"), "{err}");
}

/// `staff add` and `staff reset` warn, as `issue` does, when no public URL is set: the link they
/// print then names http://127.0.0.1:8080, which nobody else can open (probe 19, finding 8).
#[test]
fn staff_links_under_the_default_public_url_are_warned_of() {
    let cli = Cli::new();
    let out = cli.run(&["staff", "add", "ana@coe.int"]);
    let (said, warned) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.contains("http://127.0.0.1:8080/staff/setup/"), "{said}");
    assert!(warned.contains("no --public-url") && warned.contains("only this machine can open"), "{warned}");
    let out = cli.run(&["staff", "reset", "ana@coe.int"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no --public-url"), "reset warns too");
    let out = cli.run(&["--public-url", "https://attest.example.org", "staff", "reset", "ana@coe.int"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `staff list` says what is true of each account (probe 19, finding 14: every account without a
/// password read "setup link sent", although attest sends nothing and an account the OpenID
/// provider created never had a link).
#[test]
fn staff_list_says_how_each_account_without_a_password_signs_in() {
    let cli = Cli::new();
    cli.ok(&["staff", "add", "pending@coe.int"]);
    cli.ok(&["staff", "add", "expired@coe.int"]);
    {
        let mut conn = harness::open_db(&cli.db);
        conn.execute_for_tests(
            "UPDATE setup_links SET expires_at = ?1 WHERE staff_id = (SELECT id FROM staff WHERE email = 'expired@coe.int')",
            [attest::store::ts(harness::utc("2000-01-01T00:00:00Z"))],
        )
        .unwrap();
        let who = attest::staff::SsoIdentity {
            subject: "entra:t:o".into(),
            email: Some("sso@coe.int".into()),
            role: attest::staff::Role::Viewer,
        };
        attest::staff::sso_sign_in(&mut conn, &who, true, harness::now()).unwrap();
    }
    let list = cli.ok(&["staff", "list"]);
    let line = |email: &str| list.lines().find(|l| l.contains(email)).unwrap_or_else(|| panic!("{list}")).to_owned();
    assert!(!list.contains("sent"), "{list}");
    assert!(line("pending@").contains("no password yet (setup link pending)"), "{list}");
    assert!(line("expired@").contains("no valid setup link: attest staff reset expired@coe.int"), "{list}");
    assert!(line("sso@").contains("signs in with the organisation's account"), "{list}");
}

#[test]
fn staff_accounts_get_a_one_time_link_and_tokens_are_shown_once() {
    let cli = Cli::new();
    let out = cli.ok(&["--public-url", "https://attest.example.org", "staff", "add", "Ana.Ruiz@coe.int"]);
    assert!(out.contains("added ana.ruiz@coe.int"), "{out}");
    let link = out.lines().find_map(|l| l.trim().strip_prefix("https://attest.example.org/staff/setup/")).unwrap();
    assert_eq!(link.len(), 43, "256 random bits, base64url");
    assert!(cli.fails(&["staff", "add", "ana.ruiz@coe.int"]).contains("already exists"));
    assert!(cli.ok(&["staff", "list"]).contains("no password yet (setup link pending)"));
    let token = cli.ok(&["staff", "token", "ana.ruiz@coe.int", "--label", "nightly"]);
    let token = token.trim();
    assert!(token.starts_with("attest_") && token.len() > 40, "{token}");
    assert!(cli.ok(&["staff", "list"]).contains("nightly"));
    // Neither the link nor the token is in the database.
    let conn = harness::open_db(&cli.db);
    let dump: String = conn
        .row_for_tests(
            "SELECT string_agg(token_sha256, ',') FROM (SELECT token_sha256 FROM api_tokens UNION ALL SELECT token_sha256 FROM setup_links) AS t",
            (),
            |r| r.get(0),
        )
        .unwrap();
    assert!(!dump.contains(link) && !dump.contains(token));
    let out = cli.ok(&["staff", "revoke-token", "ana.ruiz@coe.int", "--label", "nightly"]);
    assert!(out.contains("revoked 1 token"), "{out}");
    assert!(attest::staff::by_token(&conn, token, chrono::Utc::now()).unwrap().is_none());
    let missing = cli.run(&["staff", "token", "nobody@coe.int"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no staff account for nobody@coe.int"));
}

/// Issue 22 from the command line: `--dry-run` prints the inferred columns and stores nothing;
/// `--accept-inferred` imports through them; a wrong inference is corrected with `--columns`;
/// the next file with the same header row imports at once.
#[test]
fn unknown_headers_dry_run_accept_inferred_and_columns() {
    let cli = Cli::with_event_held("lt", "Seminar", ("2024-05-06T10:00", "2024-05-06T11:30"), &["--tz", "UTC"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ataskaita.csv");
    std::fs::write(
        &file,
        "Vardas,El. paštas,Prisijungė,Atsijungė\n\
         Ona Kazlauskienė,ona@seimas.example,2024-05-06 10:00:00,2024-05-06 11:30:00\n\
         Jonas Petraitis,jonas@seimas.example,2024-05-06 10:10:00,2024-05-06 10:40:15\n\
         Rūta Žukauskaitė,ruta@seimas.example,2024-05-06 09:55:00,2024-05-06 11:35:00\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = cli.run(&["import", "lt", f, "--dry-run"]);
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ataskaita.csv: its header row (line 1) is not one attest knows"), "{text}");
    assert!(text.contains("join = column 3 \"Prisijungė\""), "{text}");
    assert!(text.contains("--accept-inferred"), "{text}");
    assert!(text.contains("dry run: nothing was stored"), "{text}");
    // Without a confirmation, the import is refused with the same explanation, one clear error.
    let refused = cli.fails(&["import", "lt", f]);
    assert!(refused.contains("--columns name=N"), "{refused}");
    let dry = cli.ok(&["import", "lt", f, "--dry-run", "--accept-inferred"]);
    assert!(dry.contains("would import as mapped-columns"), "{dry}");
    assert!(dry.contains("3 connections"), "{dry}");
    let report = cli.ok(&["import", "lt", f, "--accept-inferred"]);
    assert!(report.contains("imported as mapped-columns"), "{report}");
    let json = cli.ok(&["attendance", "lt", "--json"]);
    let people: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let jonas = people.iter().find(|p| p["email"] == "jonas@seimas.example").unwrap();
    assert_eq!(jonas["attended_seconds"], 1815);
    // The same header row next time: no flag needed.
    cli.event_held("lt2", "Seminar 2", ("2024-05-13T10:00", "2024-05-13T11:30"), &["--tz", "UTC"]);
    let next = dir.path().join("ataskaita2.csv");
    std::fs::write(&next, "Vardas,El. paštas,Prisijungė,Atsijungė\nOna Kazlauskienė,ona@seimas.example,2024-05-13 10:00:00,2024-05-13 10:30:00\n").unwrap();
    let report = cli.ok(&["import", "lt2", next.to_str().unwrap()]);
    assert!(report.contains("remembered"), "{report}");
    // A mapping that names a header the file does not have: refused, naming the header row.
    let bad = cli.run(&["import", "lt2", f, "--columns", "name=Nome,join=3,leave=4"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no such header"), "{bad:?}");
}

/// Issue 19, item 1: `--db` takes a path, a `sqlite:` URL or a PostgreSQL URL; a PostgreSQL
/// server that cannot be reached is named without the URL's password, an engine attest does
/// not know is refused with one line that names it, and nothing is created (it used to make a
/// SQLite file under a folder named `postgres:`).
#[test]
fn db_accepts_sqlite_urls_and_refuses_another_engine_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run_in =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_attest")).args(args).current_dir(dir).output().unwrap();
    // Port 9 of the loopback: nothing listens there.
    for url in ["postgres://attest:s3cret@127.0.0.1:9/attest", "postgresql://attest:s3cret@127.0.0.1:9/attest"] {
        let out = run_in(&["--db", url, "migrate"]);
        assert!(!out.status.success(), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("opening PostgreSQL 127.0.0.1:9/attest"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
    }
    let mysql = run_in(&["--db", "mysql://u:s3cret@h/attest", "event", "list"]);
    let err = String::from_utf8_lossy(&mysql.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("names MySQL (mysql://…)") && err.contains("attest runs on SQLite"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    let names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.is_empty(), "nothing created: {names:?}");
    // The relative and the absolute sqlite: URL name files, and the keys go beside them.
    let abs = dir.join("abs.sqlite3");
    for url in ["sqlite:rel/attest.sqlite3".to_owned(), format!("sqlite://{}", abs.display())] {
        let out = run_in(&["--db", &url, "migrate"]);
        assert!(out.status.success(), "{url}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(dir.join("rel/attest.sqlite3").is_file() && abs.is_file());
    let env = Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(["event", "create", "u", "--title", "By URL"])
        .env("ATTEST_DB", format!("sqlite://{}", abs.display()))
        .output()
        .unwrap();
    assert!(env.status.success(), "{}", String::from_utf8_lossy(&env.stderr));
    assert_eq!(harness::count(&abs, "SELECT count(*) FROM events"), 1);
}

/// Issue 19, item 5: a backup taken while another connection keeps writing (SQLite: `attest
/// backup`, `VACUUM INTO`; PostgreSQL: `pg_dump`, the README's recipe) restores into a fresh
/// data folder or database, and there every certificate verifies by token, by PDF signature and
/// by credential, the revoked one as revoked; the command line on the restore says the same.
#[test]
fn a_backup_taken_under_a_writer_restores_and_every_certificate_verifies() {
    let cli = Cli::new();
    let revoked = issued_with_one_revoked(&cli, 150);
    let pg = harness::app::postgres().is_some();
    let dest = cli.dir.path().join(if pg { "backup.dump" } else { "backup.sqlite3" });
    let (writes, out) = under_a_writer(&cli.db, || {
        let mut c = if pg {
            let Some(pg_dump) = harness::tool("pg_dump", "back up PostgreSQL as the README says") else {
                unreachable!("PostgreSQL tests need the client tools")
            };
            let mut c = Command::new(pg_dump);
            c.args(["--format=custom", "--file", dest.to_str().unwrap(), cli.db.to_str().unwrap()]);
            c
        } else {
            let mut c = harness::process::attest(&cli.db);
            c.args(["backup", dest.to_str().unwrap()]);
            c
        };
        c.stdout(std::process::Stdio::piped()).spawn().unwrap()
    });
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(pg || String::from_utf8_lossy(&out.stdout).contains("integrity check: ok"));
    assert!(writes > 10, "the writer wrote during the backup ({writes} writes)");

    // Restore: a fresh data folder with the copy and the keys, opened by attest.
    let fresh = tempfile::tempdir().unwrap();
    let db = if pg {
        let url = harness::app::empty_postgres_database();
        let pg_restore = harness::tool("pg_restore", "restore PostgreSQL as the README says").unwrap();
        let out = Command::new(pg_restore)
            .args(["--no-owner", "--exit-on-error", "--dbname", url.to_str().unwrap(), dest.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        url
    } else {
        let db = fresh.path().join("attest.sqlite3");
        std::fs::copy(&dest, &db).unwrap();
        db
    };
    let keys_dir = fresh.path().join("keys");
    std::fs::create_dir(&keys_dir).unwrap();
    for f in std::fs::read_dir(harness::app::keys_for(&cli.db)).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), keys_dir.join(f.file_name())).unwrap();
    }
    every_certificate_verifies(&db, &keys_dir, &revoked, 150);
}

/// An event `bk` of `people` imported and issued through the command line, its first
/// certificate revoked; that certificate's id.
fn issued_with_one_revoked(cli: &Cli, people: usize) -> String {
    cli.ok(&["event", "create", "bk", "--title", "Backup"]);
    // Enough PDFs (some megabytes) that a stepwise copy needs many steps.
    let report = harness::webinar_report(false, false, people, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    let csv = cli.dir.path().join("report.csv");
    std::fs::write(&csv, report).unwrap();
    cli.ok(&["import", "bk", csv.to_str().unwrap()]);
    cli.ok(&["issue", "bk", "--out", cli.dir.path().join("out").to_str().unwrap()]);
    let revoked = harness::open_db(&cli.db)
        .row_for_tests("SELECT id FROM certificates ORDER BY id LIMIT 1", (), |r| r.get::<String>(0))
        .unwrap();
    cli.ok(&["revoke", &revoked, "--reason", "attendance not confirmed"]);
    revoked
}

/// Runs the backup `start` makes while another connection writes to `db` without pause; how
/// many writes happened meanwhile, and the backup's output (it must finish within 60 s).
fn under_a_writer(db: &Path, start: impl FnOnce() -> std::process::Child) -> (usize, Output) {
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (writes, backup) = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let conn = harness::open_db(db);
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                attest::store::audit(&conn, chrono::Utc::now(), "test", "test.write", "writer", "").unwrap();
                n += 1;
            }
            n
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        let mut child = start();
        let started = std::time::Instant::now();
        let finished = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > std::time::Duration::from_secs(60) {
                child.kill().ok();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (writer.join().unwrap(), finished.map(|_| child.wait_with_output().unwrap()))
    });
    (writes, backup.expect("the backup finished within 60 s under a writer"))
}

/// Every certificate of event `bk` in the database at `db` (keys in `keys_dir`) verifies by
/// token, PDF, PDF signature and credential, `revoked` as revoked; and the command line agrees.
fn every_certificate_verifies(db: &Path, keys_dir: &Path, revoked: &str, people: usize) {
    use attest::verification::Status;
    let conn = harness::open_db(db);
    let keys = attest::trust::token::key_set(&conn).unwrap();
    let roots = attest::trust::pdf_signature::own_roots(keys_dir);
    let event = attest::store::events::get(&conn, "bk").unwrap();
    let certs = attest::store::certificates::for_event(&conn, event.id).unwrap();
    assert_eq!(certs.len(), people);
    for c in &certs {
        let want = |s: &Status| match s {
            Status::Revoked { reason, .. } => c.id == revoked && reason == "attendance not confirmed",
            Status::Valid => c.id != revoked,
            _ => false,
        };
        harness::verifies_every_way(&conn, &keys, &roots, c, want);
    }
    // And the command line on the restored folder says the same.
    let verify = |code: &str| {
        Command::new(env!("CARGO_BIN_EXE_attest"))
            .args(["verify", code])
            .env("ATTEST_DB", db)
            .env("ATTEST_KEYS", keys_dir)
            .output()
            .unwrap()
    };
    let valid = certs.iter().find(|c| c.id != revoked).unwrap();
    assert!(verify(&valid.id).status.success());
    assert_eq!(verify(revoked).status.code(), Some(1));
}

/// Rows refused under `--skip-bad-rows` are listed by `people review`, with their file, line and
/// why: afterwards the people they named were in no list, and review said "nothing to review".
#[test]
fn people_review_lists_the_rows_refused_at_import() {
    let cli = Cli::with_event("bad", "Seminar");
    let file = cli.dir.path().join("participants.csv");
    std::fs::write(
        &file,
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n\
         Ana Ruiz,ana@example.es,03/14/2025 10:00:00 AM,03/14/2025 11:40:00 AM,100\n\
         Bo Berg,bo@example.se,03/14/2025 10:30:00 AM,02/30/2025 11:00:00 AM,30\n",
    )
    .unwrap();
    cli.ok(&["import", "bad", file.to_str().unwrap(), "--skip-bad-rows"]);
    let review = cli.ok(&["people", "review", "bad"]);
    assert!(review.contains("rows refused at import, not counted (1)"), "{review}");
    assert!(review.contains("participants.csv:3: ") && review.contains("02/30/2025"), "{review}");
    assert!(!review.contains("nothing to review"), "{review}");
}

/// The dry run shows what the import reads: a Teams report's rows with times (its participants'
/// list, without times, comes first in the file and was all the dry run showed, "→" and
/// nothing), and a presenter as the import reads it, an attendee (it said "panelist").
#[test]
fn a_dry_run_shows_the_rows_with_times_and_presenters_as_read() {
    let cli = Cli::with_event("teams", "Quarterly planning");
    let dry = cli.ok(&["import", "teams", &fixture("teams_meeting_everyone_presenter_own.csv"), "--dry-run"]);
    assert!(dry.contains("Ines Moreau ines.moreau@"), "{dry}");
    assert!(!dry.contains(" → (") && !dry.contains("no times"), "{dry}");
    assert!(dry.contains("(presenter, read as attendee)"), "{dry}");
    // Issuing's dry run writes nothing, and needs no folder to write to (it asked for --out).
    cli.ok(&["import", "teams", &fixture("teams_meeting_everyone_presenter_own.csv")]);
    let plan = cli.ok(&["issue", "teams", "--dry-run"]);
    assert!(plan.contains("(dry run: nothing issued)"), "{plan}");
    assert!(cli.fails(&["issue", "teams"]).contains("--out"));
}

/// A person overridden to not eligible after the issue kept a valid certificate, with nothing
/// said anywhere: `people review` lists it, with the command to revoke it, and stops listing it
/// once revoked.
#[test]
fn people_review_lists_valid_certificates_of_people_no_longer_eligible() {
    let cli = Cli::new();
    issued_with_one_revoked(&cli, 3);
    let (code, key) = harness::open_db(&cli.db)
        .row_for_tests("SELECT id, person_key FROM certificates WHERE status = 'valid' ORDER BY id LIMIT 1", (), |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?))
        })
        .unwrap();
    cli.ok(&["override", "bk", &key, "--eligible", "false", "--reason", "left early, said so"]);
    let review = cli.ok(&["people", "review", "bk"]);
    assert!(review.contains("valid certificates of people no longer eligible (1)"), "{review}");
    assert!(review.contains(&format!("[{key}]")), "{review}");
    cli.ok(&["revoke", &code, "--reason", "not due"]);
    assert!(cli.ok(&["people", "review", "bk"]).contains("bk: nothing to review"));
}

/// Someone made eligible by staff's override, for fewer minutes than the rule asks, received a
/// credential whose criteria ("at least 75 %") contradicted its minutes, with nothing saying
/// why. The narrative now says the organiser decided, in the issue and in a reissue; a person
/// who met the rule reads as before.
#[test]
fn an_overridden_persons_credential_says_the_organiser_decided() {
    let cli = Cli::with_event("ov", "Override");
    let report = harness::webinar_report(false, false, 2, |i| {
        let (name, leave, minutes) = [("Ana Lima", "11:40", 102), ("Bo Berg", "10:28", 30)][i - 1];
        format!("{name},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 {leave}:00\",{minutes}")
    });
    let csv = cli.dir.path().join("report.csv");
    std::fs::write(&csv, report).unwrap();
    cli.ok(&["import", "ov", csv.to_str().unwrap()]);
    cli.ok(&["override", "ov", "p2@example.org", "--eligible", "true", "--reason", "was in the room"]);
    cli.ok(&["issue", "ov", "--out", cli.dir.path().join("out").to_str().unwrap()]);
    let narrative = |code: &str| {
        let json = cli.dir.path().join(format!("{code}.json"));
        cli.ok(&["credential", code, "--out", json.to_str().unwrap()]);
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        doc["credentialSubject"]["narrative"].as_str().unwrap().to_owned()
    };
    let code_of = |email: &str| {
        harness::open_db(&cli.db)
            .row_for_tests("SELECT id FROM certificates WHERE email = ?1 AND status = 'valid'", [email], |r| {
                r.get::<String>(0)
            })
            .unwrap()
    };
    assert_eq!(narrative(&code_of("p1@example.org")), "Attended 102 minutes.");
    let decided = "Attended 30 minutes. Recognised as having attended by the organiser's decision, not by the rule \
                   in the criteria.";
    assert_eq!(narrative(&code_of("p2@example.org")), decided);
    cli.ok(&["reissue", &code_of("p2@example.org"), "--name", "Bo Berg-Lind"]);
    assert_eq!(narrative(&code_of("p2@example.org")), decided);
}

/// Staff name a person as the attendance list shows them: someone who gave an email holds no
/// name key, and `override EVENT "Name"` said "no person". Two people of one name are not
/// guessed between: the refusal names both keys.
#[test]
fn a_person_is_found_by_the_name_the_list_shows_and_two_of_one_name_are_not_guessed() {
    let cli = Cli::with_event("nm", "Names");
    let report = harness::webinar_report(false, false, 3, |i| {
        let (name, email) = [("Marie Dupont", "m1"), ("Marie Dupont", "m2"), ("Élodie Martin", "em")][i - 1];
        format!("{name},{email}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    let csv = cli.dir.path().join("report.csv");
    std::fs::write(&csv, report).unwrap();
    cli.ok(&["import", "nm", csv.to_str().unwrap()]);
    cli.ok(&["override", "nm", "élodie MARTIN", "--eligible", "false", "--reason", "asked not to be listed"]);
    let list = cli.ok(&["attendance", "nm", "--json"]);
    let people: serde_json::Value = serde_json::from_str(&list).unwrap();
    let elodie = people.as_array().unwrap().iter().find(|p| p["name"] == "Élodie Martin").unwrap();
    assert_eq!(
        (elodie["eligible"].clone(), elodie["overridden"].clone()),
        (serde_json::json!(false), serde_json::json!(true)),
        "{elodie}"
    );
    let err = cli.fails(&["override", "nm", "Marie Dupont", "--eligible", "false", "--reason", "r"]);
    assert!(err.contains("2 people are named \"Marie Dupont\""), "{err}");
    assert!(err.contains("email:m1@example.org") && err.contains("email:m2@example.org"), "{err}");
    // Staff say they are one person: the name no longer belongs to two, and nothing is left to
    // review (the sentence stayed on the linked person, twice, and the issue said so).
    let review = cli.ok(&["people", "review", "nm"]);
    assert_eq!(review.matches("belongs to 2 people").count(), 2, "{review}");
    cli.ok(&["people", "link", "nm", "m1@example.org", "m2@example.org", "--reason", "one person, two addresses"]);
    let review = cli.ok(&["people", "review", "nm"]);
    assert!(review.contains("nm: nothing to review"), "{review}");
}

/// Two `keys rotate` at once left two active keys (each retired the old one before either made
/// its own). Rotations now take the writer lock: however they interleave, one key is active.
#[test]
fn two_rotations_at_once_leave_one_active_key() {
    let cli = Cli::new();
    // The first key (`keys list` reads and makes none).
    cli.ok(&["keys", "rotate"]);
    for _ in 0..4 {
        let both: Vec<_> =
            (0..2).map(|_| harness::process::attest(&cli.db).args(["keys", "rotate"]).spawn().unwrap()).collect();
        for mut c in both {
            assert!(c.wait().unwrap().success());
        }
        let list = cli.ok(&["keys", "list"]);
        let active = list.lines().filter(|l| l.split_whitespace().nth(3) == Some("active")).count();
        assert_eq!(active, 1, "{list}");
    }
}

/// [`Cli::with_event`] with a webinar report of `people` who each attended the whole session
/// imported into it.
fn one_imported(slug: &str, title: &str, people: usize) -> Cli {
    let cli = Cli::with_event(slug, title);
    let report = harness::webinar_report(false, false, people, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    let csv = cli.dir.path().join("report.csv");
    std::fs::write(&csv, report).unwrap();
    cli.ok(&["import", slug, csv.to_str().unwrap()]);
    cli
}

/// A retired key's private file stayed in the keys folder for ever: any later copy of the
/// folder could sign certificates that verify as genuine. A rotation removes it; the public half
/// stays in the database, and what the key signed keeps verifying.
#[test]
fn a_rotation_removes_the_retired_keys_private_files() {
    let cli = one_imported("rk", "Retired keys", 1);
    let out = cli.dir.path().join("out");
    cli.ok(&["issue", "rk", "--out", out.to_str().unwrap()]);
    let pdf = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let keys = harness::app::keys_for(&cli.db);
    let files = || {
        let mut f: Vec<String> = std::fs::read_dir(&keys)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ed25519"))
            .collect();
        f.sort();
        f
    };
    assert_eq!(files().len(), 1);
    cli.ok(&["keys", "rotate"]);
    cli.ok(&["keys", "rotate"]);
    let list = cli.ok(&["keys", "list"]);
    let mut states: Vec<(&str, &str)> = list
        .lines()
        .filter(|l| l.contains("active") || l.contains("retired"))
        .map(|l| (if l.contains("active") { "active" } else { "retired" }, l.split_whitespace().last().unwrap()))
        .collect();
    states.sort();
    assert_eq!(states, [("active", "present"), ("retired", "absent"), ("retired", "absent")], "{list}");
    assert_eq!(files().len(), 1, "only the active key's private file: {:?}", files());
    let verified = cli.ok(&["verify", pdf.to_str().unwrap()]);
    assert!(verified.starts_with("valid\n") && verified.contains("PDF signature: valid"), "{verified}");
}

/// Certificates issued from the command line without a public URL went out with QR codes and
/// credentials naming http://127.0.0.1:8080, with nothing said (`serve` said so). `issue` warns;
/// with the URL set it does not.
#[test]
fn issuing_without_a_public_url_warns_that_only_this_machine_can_open_the_codes() {
    let cli = one_imported("pu", "Public URL", 2);
    let out = cli.dir.path().join("out");
    let run = cli.run(&["issue", "pu", "--dry-run"]);
    let warned = String::from_utf8_lossy(&run.stderr);
    assert!(warned.contains("no --public-url") && warned.contains("only this machine can open"), "{warned}");
    let run = cli.run(&["--public-url", "https://certs.example.org", "issue", "pu", "--out", out.to_str().unwrap()]);
    assert!(run.status.success());
    assert!(!String::from_utf8_lossy(&run.stderr).contains("public-url"));
}

/// Typing mistakes were answered "not genuine", which tells a verifier the certificate is
/// forged: a file name that names no file, and a printed code with a mistyped last character.
/// Now each is an error that says what was wrong; a real forgery is still "not genuine".
#[test]
fn verify_says_which_input_was_mistyped_instead_of_not_genuine() {
    let cli = Cli::new();
    cli.ok(&["keys", "list"]);
    let missing = cli.dir.path().join("certificate.pdf");
    let err = cli.fails(&["verify", missing.to_str().unwrap()]);
    assert!(err.contains("no such file") && !err.contains("not genuine"), "{err}");
    // A code whose last character breaks its padding bits (Z is 31: its two low bits are set).
    let err = cli.fails(&["verify", "57BTW-7J838-050RX-682TS-G0QR7Z"]);
    assert!(err.contains("a character was mistyped") && !err.contains("not genuine"), "{err}");
    let out = cli.run(&["verify", "57BTW-7J838-050RX-682TS-G0QR70"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("not genuine") && said.contains("typed as printed"), "{said}");
}

/// A certificate revoked by mistake (one mistyped code) could never be replaced: `reissue`
/// refused it and `issue` counted its holder as served. It is issued again now, and the revoked
/// one stays revoked. A reissue that corrects nothing is refused: it turned the holder's PDF
/// into a superseded copy of itself.
#[test]
fn a_revoked_certificate_can_be_issued_again_and_a_reissue_must_correct_something() {
    let cli = Cli::new();
    let revoked = issued_with_one_revoked(&cli, 2);
    let said = cli.ok(&["reissue", &revoked]);
    let new = said.split_whitespace().find(|w| w.len() == 30 && w.matches('-').count() == 4).unwrap();
    assert!(said.contains("stays revoked") && said.contains("its PDF is stored"), "{said}");
    let verdict = cli.run(&["verify", new]);
    assert!(String::from_utf8_lossy(&verdict.stdout).starts_with("valid"), "{said}");
    let verdict = cli.run(&["verify", &revoked]);
    assert!(String::from_utf8_lossy(&verdict.stdout).contains("revoked"), "the old one stays revoked");
    let err = cli.fails(&["reissue", new]);
    assert!(err.contains("nothing to correct"), "{err}");
    assert!(cli.ok(&["reissue", new, "--language", "fr"]).contains("superseded"));
}

/// Two messages that sent staff the wrong way: a backup into a folder that does not exist gave
/// SQLite's "unable to open database", which reads as if the live database were broken; and a
/// series rule of 0 said "add its events first" to a series that had them.
#[test]
fn a_backup_into_a_missing_folder_and_a_series_rule_of_zero_say_what_to_do() {
    let cli = Cli::new();
    if !harness::app::sqlite_only("attest backup") {
        return;
    }
    let into = cli.dir.path().join("no-such-folder").join("copy.sqlite3");
    let err = cli.fails(&["backup", into.to_str().unwrap()]);
    assert!(err.contains("does not exist (create it first)") && !err.contains("unable to open"), "{err}");
    cli.ok(&["event", "create", "s1", "--title", "One"]);
    cli.ok(&["series", "create", "ser", "--title", "Series"]);
    cli.ok(&["series", "add-event", "ser", "s1"]);
    let err = cli.fails(&["series", "set-rule", "ser", "--at-least", "0"]);
    assert!(err.contains("give 1 to 1") && !err.contains("add its events first"), "{err}");
}

/// Two imports of one file at the same moment: the one that lost printed SQLite's "UNIQUE
/// constraint failed: uploads.event_id, uploads.sha256". It now says that another import stored
/// the file first, and nothing was changed by it. (A race: each round starts both at once.)
#[test]
fn two_imports_of_one_file_at_once_leave_one_and_say_so() {
    let cli = Cli::new();
    let report = harness::webinar_report(false, false, 400, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    let csv = cli.dir.path().join("report.csv");
    std::fs::write(&csv, report).unwrap();
    for round in 0..6 {
        let slug = format!("race{round}");
        cli.ok(&["event", "create", &slug, "--title", "Race"]);
        let both: Vec<_> = (0..2)
            .map(|_| {
                harness::process::attest(&cli.db)
                    .args(["import", &slug, csv.to_str().unwrap()])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in both {
            let out = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("UNIQUE") && !err.contains("duplicate key"), "{err}");
            if !out.status.success() {
                assert!(err.contains("another import stored it first"), "{err}");
            }
        }
        let uploads = harness::count(
            &cli.db,
            &format!("SELECT count(*) FROM uploads WHERE event_id = (SELECT id FROM events WHERE slug = '{slug}')"),
        );
        assert_eq!(uploads, 1);
    }
}

/// Verifying a credential (JSON) printed "PDF signature: none (the file carries no PDF
/// signature)", as if a PDF had been given without one. The line is for PDFs only.
#[test]
fn verifying_a_credential_says_nothing_of_a_pdf_signature() {
    let cli = Cli::new();
    issued_with_one_revoked(&cli, 2);
    let code = harness::open_db(&cli.db)
        .row_for_tests("SELECT id FROM certificates WHERE status = 'valid' ORDER BY id LIMIT 1", (), |r| {
            r.get::<String>(0)
        })
        .unwrap();
    let json = cli.dir.path().join("credential.json");
    cli.ok(&["credential", &code, "--out", json.to_str().unwrap()]);
    let said = cli.ok(&["verify", json.to_str().unwrap()]);
    assert!(said.starts_with("valid") && !said.contains("PDF signature"), "{said}");
    let mut files = std::fs::read_dir(cli.dir.path().join("out")).unwrap().map(|e| e.unwrap().path());
    let pdf = files.find(|p| p.extension().is_some_and(|e| e == "pdf")).unwrap();
    assert!(cli.run(&["verify", pdf.to_str().unwrap()]).stdout.windows(13).any(|w| w == b"PDF signature"));
}

/// Log lines written to a file, journald or `docker logs` (not a terminal) carried colour escape
/// sequences in every line. They are plain text now.
#[test]
fn logs_to_a_file_or_journald_are_plain_text() {
    let cli = Cli::with_event("lg", "Logs");
    let report = harness::webinar_report(false, false, 1, |_| {
        "Ana Lima,ana@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102".to_owned()
    });
    let csv = cli.dir.path().join("report.csv");
    std::fs::write(&csv, report).unwrap();
    let out = harness::process::attest(&cli.db)
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .args(["import", "lg", csv.to_str().unwrap()])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && log.contains("import finished"), "{log}");
    assert!(!log.contains('\u{1b}'), "{log:?}");
}

/// The database engine's reason is said once (probe 19, finding 14: the store's error said it
/// and also gave it as its source, so the command line printed "file is not a database: file is
/// not a database: Error code 26" and "error connecting to server: error connecting to server").
#[test]
fn a_database_error_is_said_once() {
    let cli = Cli::new();
    let bad = cli.dir.path().join("not-a-database.sqlite3");
    std::fs::write(&bad, "this is a text file, not a database, and it is long enough to have a header".repeat(20))
        .unwrap();
    let err = cli.fails(&["--db", bad.to_str().unwrap(), "event", "list"]);
    assert_eq!(err.matches("not a database").count(), 1, "{err}");
    let keys = cli.dir.path().join("keys");
    let err = cli.fails(&[
        "--db",
        "postgres://attest:x@127.0.0.1:1/attest",
        "--keys",
        keys.to_str().unwrap(),
        "event",
        "list",
    ]);
    assert_eq!(err.matches("error connecting to server").count(), 1, "{err}");
    assert!(err.contains("refused"), "the reason is kept: {err}");
}

/// `serve --addr` takes a host name that resolves (probe 19, finding 14: `localhost:18608` was
/// refused as "invalid socket address syntax"), and says the form it expects when a port is
/// missing.
#[test]
fn serve_listens_on_a_host_name_and_says_the_form_of_an_address() {
    let cli = Cli::new();
    let keys = harness::app::keys_for(&cli.db);
    let server = harness::process::Serve::run(
        Path::new(env!("CARGO_BIN_EXE_attest")),
        cli.dir.path(),
        &["serve", "--addr", "localhost:0"],
        &[("ATTEST_DB", &cli.db), ("ATTEST_KEYS", &keys)],
    );
    assert!(server.addr.starts_with("127.0.0.1:") || server.addr.starts_with("[::1]:"), "{}", server.addr);
    assert_eq!(server.http("GET", "/healthz", &[], "").status, 200);
    drop(server);
    let err = cli.fails(&["serve", "--addr", "localhost"]);
    assert!(err.contains("expected HOST:PORT") && err.contains("localhost:8080"), "{err}");
}
