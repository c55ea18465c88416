//! `attest db copy --from FILE --to URL` (issue 19, item 4, "Moving an installation"): a SQLite
//! installation with every kind of row copied into a new PostgreSQL database by the real
//! binary, then used there: every certificate still verifies with the same keys folder, and
//! `attest serve` on the copy is ready.
//!
//! Needs a PostgreSQL server (`ATTEST_TEST_POSTGRES_URL`); without one it says so and skips.
//! CI runs the suite twice, on SQLite and then with that variable set: it runs in the second.

use std::path::{Path, PathBuf};

use crate::harness::{self, Db};

/// The server to create the target database on, or `None` after saying why the test skips.
fn server() -> Option<String> {
    let url = harness::app::postgres();
    if url.is_none() {
        eprintln!("skipped: set ATTEST_TEST_POSTGRES_URL (a PostgreSQL server) to test `attest db copy`");
    }
    url
}

/// A SQLite installation in `dir` (`attest.sqlite3` and `keys/`) holding every kind of row: an
/// issued multilingual webinar printed with a design that has a logo, one of its certificates
/// revoked and the others mailed to an outbox, and a series with its certificates. The ID of
/// the revoked certificate.
fn installation(dir: &Path) -> (PathBuf, String) {
    use attest::certificate::design::{self, DesignSpec, SignatorySpec};
    use attest::store::designs;
    let file = dir.join("attest.sqlite3");
    let keys = dir.join("keys");
    // The PDF identity the harness issues with, in this installation's keys folder, so that
    // the commands below sign with it too and one folder verifies everything.
    harness::pdf_signer();
    std::fs::create_dir_all(&keys).unwrap();
    for f in std::fs::read_dir(harness::pdf_keys_dir()).unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_file() {
            std::fs::copy(f.path(), keys.join(f.file_name())).unwrap();
        }
    }
    let mut db = Db::at(&file);
    let now = harness::now();
    let (event, secret) = db.webinar("copy-webinar", &keys);
    let logo =
        designs::put_asset(&db.conn, &design::check_image(&harness::fixture("design/logo-wide.png")).unwrap(), now)
            .unwrap();
    let spec = DesignSpec {
        logos: vec![logo],
        signatories: vec![SignatorySpec { name: "Alexander Seger".into(), ..Default::default() }],
        ..Default::default()
    };
    let d = designs::create(&mut db.conn, "Copied design", &spec, "test", now).unwrap();
    designs::set_event_design(&mut db.conn, event.id, Some(d.id), "test", now).unwrap();
    assert!(!db.issue(&event, &secret).issued.is_empty());
    let series = harness::series_fixture(&mut db);
    let revoked = attest::store::certificates::for_event(&db.conn, event.id).unwrap()[0].id.clone();
    attest::store::certificates::revoke(&mut db.conn, &revoked, "attendance not confirmed", "cli", now).unwrap();
    drop(db);
    let outbox = dir.join("outbox");
    for args in [
        vec!["series", "issue", series.slug.as_str()],
        vec![
            "send",
            "copy-webinar",
            "--outbox",
            outbox.to_str().unwrap(),
            "--public-url",
            "https://attest.example.org",
        ],
    ] {
        let out = harness::process::attest(&file).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(std::fs::read_dir(&outbox).unwrap().count() > 0, "mail went to the outbox");
    // A certificate reissued twice: each superseded row points at a later one, which the
    // copy must write first.
    let successor = |id: &str| {
        harness::open_db(&file)
            .row_for_tests("SELECT superseded_by FROM certificates WHERE id = ?1", [id], |r| r.get::<String>(0))
            .unwrap()
    };
    let mut current = harness::open_db(&file)
        .row_for_tests("SELECT id FROM certificates WHERE status = 'valid' ORDER BY rowid LIMIT 1", (), |r| {
            r.get::<String>(0)
        })
        .unwrap();
    for name in ["Corrected Name", "Corrected Name Again"] {
        let out = harness::process::attest(&file).args(["reissue", &current, "--name", name]).output().unwrap();
        assert!(out.status.success(), "reissue: {}", String::from_utf8_lossy(&out.stderr));
        current = successor(&current);
    }
    (file, revoked)
}

/// Every table of the SQLite database and its number of rows.
fn sqlite_counts(file: &Path) -> Vec<(String, i64)> {
    let conn = harness::open_db(file);
    let tables = conn
        .rows_for_tests(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
            (),
            |r| r.get::<String>(0),
        )
        .unwrap();
    tables
        .into_iter()
        .map(|t| (t.clone(), conn.number_for_tests(&format!("SELECT count(*) FROM \"{t}\"")).unwrap()))
        .collect()
}

/// `attest db copy` of the SQLite file to `url`.
fn copy(file: &Path, url: &Path) -> std::process::Output {
    harness::process::attest(file).args(["db", "copy", "--from"]).arg(file).arg("--to").arg(url).output().unwrap()
}

#[test]
fn a_sqlite_installation_copied_to_postgresql_keeps_every_row_and_every_certificate_verifies() {
    use attest::verification::Status;
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (file, revoked) = installation(dir.path());
    let keys = dir.path().join("keys");
    let before = sqlite_counts(&file);
    let count = |t: &str| before.iter().find(|(n, _)| n == t).map(|(_, n)| *n).unwrap();
    let superseded =
        harness::open_db(&file).number_for_tests("SELECT count(*) FROM certificates WHERE status = 'superseded'");
    assert_eq!(superseded.unwrap(), 2, "a chain of two superseded certificates");
    for t in ["certificates", "deliveries", "design_assets", "series_certificate_sessions", "decision_sets", "uploads"]
    {
        assert!(count(t) > 0, "the installation has rows in {t}");
    }
    let url = harness::app::new_postgres_database_named(&server, "copy_");

    let out = copy(&file, &url);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{printed}{}", String::from_utf8_lossy(&out.stderr));
    let checked = format!(
        "{} PDFs, {} uploads, {} images checked (SHA-256)",
        count("certificates"),
        count("uploads"),
        count("design_assets")
    );
    assert!(printed.contains(&checked), "{checked} in:\n{printed}");
    assert!(printed.contains("--keys"), "the keys folder is named:\n{printed}");
    for (t, n) in &before {
        assert!(printed.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == [t.as_str(), &n.to_string()]));
    }
    let pg = attest::store::open(&url).unwrap();
    let pg_counts = |pg: &attest::store::Conn| -> Vec<(String, i64)> {
        before
            .iter()
            .map(|(t, _)| (t.clone(), pg.number_for_tests(&format!("SELECT count(*) FROM \"{t}\"")).unwrap()))
            .collect()
    };
    assert_eq!(pg_counts(&pg), before, "every table has as many rows on PostgreSQL");

    // A second copy into the same database is refused, names why, not the URL, and writes nothing.
    let again = copy(&file, &url);
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(said.contains("is not empty: copy into a new database"), "{said}");
    assert!(!said.contains("postgres://"), "{said}");
    assert_eq!(pg_counts(&pg), before);

    // Every certificate verifies on PostgreSQL with the same keys folder: token, PDF, signature
    // and credential; the revoked one still says so.
    let key_set = attest::trust::token::key_set(&pg).unwrap();
    let roots = attest::trust::pdf_signature::own_roots(&keys);
    let ids = pg.rows_for_tests("SELECT id FROM certificates ORDER BY id", (), |r| r.get::<String>(0)).unwrap();
    assert_eq!(ids.len() as i64, count("certificates"));
    for id in &ids {
        let c = attest::store::certificates::get(&pg, id).unwrap().unwrap();
        let want = |s: &Status| match s {
            Status::Revoked { reason, .. } => c.id == revoked && reason == "attendance not confirmed",
            Status::Valid => c.id != revoked && c.status == "valid",
            // The certificate that replaces it now, at the end of its corrections.
            Status::Superseded { superseded_by } => {
                let now = attest::store::certificates::current(&pg, &c.id).unwrap().unwrap();
                c.superseded_by.is_some() && now.id == superseded_by.replace('-', "")
            }
            _ => false,
        };
        harness::verifies_every_way(&pg, &key_set, &roots, &c, want);
    }

    // The service runs on the copy with the same keys folder.
    let bin = Path::new(env!("CARGO_BIN_EXE_attest"));
    let serve = harness::process::Serve::run(
        bin,
        dir.path(),
        &["serve", "--addr", "127.0.0.1:0"],
        &[("ATTEST_DB", &url), ("ATTEST_KEYS", &keys)],
    );
    let ready = serve.http("GET", "/readyz", &[], "");
    assert_eq!(ready.status, 200, "{}", ready.body);
}

#[test]
fn the_copy_opens_neither_db_nor_anything_but_a_sqlite_file_to_a_postgresql_url() {
    let dir = tempfile::tempdir().unwrap();
    let never = dir.path().join("never.sqlite3");
    let missing = dir.path().join("missing.sqlite3");
    let run = |from: &Path, to: &str| {
        let out = harness::process::attest(&never).args(["db", "copy", "--from"]).arg(from).args(["--to", to]).output();
        let out = out.unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = run(&missing, "postgres://attest:s3cret@127.0.0.1:1/none");
    assert!(e.contains("no SQLite database at"), "{e}");
    assert!(!missing.exists(), "a missing source is not created");
    let file = dir.path().join("source.sqlite3");
    drop(Db::at(&file));
    let e = run(&file, dir.path().join("other.sqlite3").to_str().unwrap());
    assert!(e.contains("is not a PostgreSQL URL"), "{e}");
    let e = run(&file, "postgres://attest:s3cret@127.0.0.1:1/none");
    assert!(!e.contains("s3cret"), "the URL's password is never printed: {e}");
    assert!(!never.exists(), "--db is not opened by `db copy`");
}
