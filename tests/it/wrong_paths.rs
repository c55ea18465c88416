//! A mistyped path must fail, not set up a second installation (round 19, findings 3, 4 and 14).
//!
//! Found by an operator: `backup` with a typo in `--db` "copied" a new, empty database with
//! "integrity check: ok"; a command run after the live file was lost made it again, empty, under
//! the running service; `keys list` made a new signing key and PDF root in a new folder; `keys
//! rotate` with a mistyped `--keys` made the new active key where no instance looks, and signing
//! stopped everywhere. Also the words: `keys --help` named a subcommand that does not exist, and
//! `health` said "ready" for whatever it asked.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};

use crate::harness::{self, Cli};

/// `attest` on the database `db` (its keys beside it), run in `cwd`, nothing from the caller's
/// environment.
fn attest_in(cwd: &Path, db: &Path, args: &[&str]) -> Output {
    harness::process::attest(db).args(args).current_dir(cwd).output().unwrap()
}

/// Every file and folder under `dir`, as paths relative to it, sorted.
fn everything_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            found.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                todo.push(p);
            }
        }
    }
    found.sort();
    found
}

/// Every command but those that set an installation up refuses a SQLite path with no file,
/// says which path and what to do, and makes nothing: no file, no folder, no keys. `migrate`
/// makes the database, and then the same commands work.
#[test]
fn commands_on_a_sqlite_path_with_no_database_refuse_and_create_nothing() {
    if !harness::app::sqlite_only("SQLite files on a mistyped path") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let commands: [&[&str]; 10] = [
        &["backup", "copy.sqlite3"],
        &["event", "list"],
        &["event", "create", "e1", "--title", "Seminar"],
        &["keys", "list"],
        &["keys", "jwks"],
        &["keys", "rotate"],
        &["staff", "list"],
        &["staff", "add", "ana@example.org", "--role", "admin"],
        &["audit"],
        &["verify", "7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2"],
    ];
    // A typo in the file's name, and one in its folder's.
    for db in [dir.join("atest.sqlite3"), dir.join("stat/attest.sqlite3")] {
        for args in commands {
            let out = attest_in(dir, &db, args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} succeeded: {}", String::from_utf8_lossy(&out.stdout));
            let said =
                format!("no database at {}: check --db / ATTEST_DB, or create one with `attest migrate`", db.display());
            assert_eq!(err.trim(), format!("error: {said}"), "{args:?}");
            assert_eq!(everything_under(dir), Vec::<String>::new(), "{args:?} created something");
        }
    }
    // `migrate` sets one up; then the commands work on it.
    let db = dir.join("state/attest.sqlite3");
    let out = attest_in(dir, &db, &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = attest_in(dir, &db, &["event", "list"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The operator's drill: the live database file deleted (with its `-wal` and `-shm`) while the
/// installation is in use. A read command afterwards made it again, empty, and the service's
/// readiness probe then said "ready" on a database that held nothing.
#[test]
fn a_database_file_that_was_deleted_is_not_made_again_by_the_next_command() {
    if !harness::app::sqlite_only("a SQLite file deleted") {
        return;
    }
    let cli = Cli::with_event("kept", "Seminar");
    cli.ok(&["event", "list"]);
    for suffix in ["", "-wal", "-shm"] {
        let mut name = cli.db.clone().into_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
    let err = cli.fails(&["event", "list"]);
    assert!(err.contains(&format!("no database at {}", cli.db.display())), "{err}");
    assert!(!cli.db.exists(), "the database file was made again");
}

/// `keys list`, `keys jwks` and `keys pdf-chain` read: on an installation with no key yet they
/// say so and make none (a listing with a mistyped `--keys` made a signing key and a PDF root
/// in a new folder, which then looked like the installation's own).
#[test]
fn reading_the_keys_makes_no_key() {
    let cli = Cli::new();
    let keys = harness::app::keys_for(&cli.db);
    let listed = cli.ok(&["keys", "list"]);
    assert!(listed.contains("no signing key yet"), "{listed}");
    assert!(listed.contains("no signing identity in"), "{listed}");
    let jwks: serde_json::Value = serde_json::from_str(&cli.ok(&["keys", "jwks"])).unwrap();
    assert_eq!(jwks["keys"], serde_json::json!([]), "{jwks}");
    let err = cli.fails(&["keys", "pdf-chain"]);
    assert!(err.contains("no PDF signing identity in") && err.contains("attest serve"), "{err}");
    assert!(!keys.exists(), "a keys folder was made: {:?}", everything_under(&keys));
    assert_eq!(harness::count(&cli.db, "SELECT count(*) FROM signing_keys"), 0);
    // A mistyped folder beside a real key: listed as absent, nothing made there.
    cli.ok(&["keys", "rotate"]);
    let typo = cli.dir.path().join("keys-shraed");
    let listed = cli.ok(&["--keys", typo.to_str().unwrap(), "keys", "list"]);
    assert!(listed.contains("absent"), "{listed}");
    assert!(!typo.exists(), "a keys folder was made at the typo");
}

/// `keys rotate` with a folder that does not hold the active key's private file is refused
/// before anything changes, naming the key expected and the folder read; with the right folder
/// it rotates.
#[test]
fn keys_rotate_refuses_a_folder_without_the_active_key() {
    let cli = Cli::new();
    let first = cli.ok(&["keys", "rotate"]);
    let kid = first.split_whitespace().nth(3).unwrap().trim_end_matches(';').to_owned();
    let active = || harness::count(&cli.db, "SELECT count(*) FROM signing_keys WHERE retired_at IS NULL");
    let typo = cli.dir.path().join("keys-shraed");
    let err = cli.fails(&["--keys", typo.to_str().unwrap(), "keys", "rotate"]);
    assert!(err.contains(&kid) && err.contains(&typo.display().to_string()), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!typo.exists(), "the new key was written into the typo");
    assert_eq!(harness::count(&cli.db, "SELECT count(*) FROM signing_keys"), 1, "no key added");
    assert_eq!(active(), 1);
    let listed = cli.ok(&["keys", "list"]);
    assert!(listed.lines().any(|l| l.starts_with(&kid) && l.contains("active")), "{listed}");
    let again = cli.ok(&["keys", "rotate"]);
    assert!(again.starts_with("new signing key") && !again.contains(&kid), "{again}");
    assert_eq!(active(), 1);
}

/// `attest keys --help` names its subcommands, and only those (it named `publish`, which is
/// `attest publish`).
#[test]
fn keys_help_names_the_subcommands_there_are() {
    let out = Command::new(env!("CARGO_BIN_EXE_attest")).args(["keys", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let summary = help.lines().next().unwrap();
    let named: Vec<&str> =
        summary.split_once(':').unwrap().1.trim().trim_end_matches('.').split(", ").map(str::trim).collect();
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert_eq!(named, commands, "{help}");
}

/// A server that answers `200 OK` to each of `n` requests and returns the request lines.
fn answers_ok(n: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let seen = std::thread::spawn(move || {
        (0..n)
            .map(|_| {
                let (mut s, _) = listener.accept().unwrap();
                // The whole request before answering: it may come in several writes, and a
                // socket closed with bytes unread breaks the client's pipe.
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.ends_with(b"\r\n\r\n") {
                    let got = s.read(&mut buf).unwrap();
                    assert!(got > 0, "the request ended early");
                    request.extend_from_slice(&buf[..got]);
                }
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").unwrap();
                String::from_utf8_lossy(&request).lines().next().unwrap_or("").to_owned()
            })
            .collect()
    });
    (addr, seen)
}

/// `attest health` says what the answer it got means: "ready" only for `/readyz`; pointed at
/// the liveness probe it said "ready" too, as if the database had been checked.
#[test]
fn health_says_what_it_checked() {
    let (addr, seen) = answers_ok(3);
    let health = |path: &str| {
        let url = format!("http://{addr}{path}");
        let out = Command::new(env!("CARGO_BIN_EXE_attest")).args(["health", "--url", &url]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (url, String::from_utf8(out.stdout).unwrap())
    };
    let (url, said) = health("/readyz");
    assert!(said.starts_with(&format!("ready: {url} answered 200")) && said.contains("database"), "{said}");
    let (url, said) = health("/healthz");
    assert!(said.starts_with(&format!("alive: {url} answered 200")), "{said}");
    assert!(!said.contains("ready:") && said.contains("/readyz"), "{said}");
    let (url, said) = health("/");
    assert!(said.starts_with(&format!("ok: {url} answered 200")) && said.contains("not checked"), "{said}");
    assert_eq!(seen.join().unwrap(), ["GET /readyz HTTP/1.1", "GET /healthz HTTP/1.1", "GET / HTTP/1.1"]);
}

/// `attest verify --jwks` checks a certificate without the issuer's database (the README says
/// so): it opens none and makes none in the verifier's folder.
#[test]
fn offline_verification_needs_and_makes_no_database() {
    let tmp = tempfile::tempdir().unwrap();
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_attest"));
    for v in harness::process::UNSET {
        cmd.env_remove(v);
    }
    let out = cmd
        .arg("verify")
        .arg(vectors.join("credentials/valid.json"))
        .arg("--jwks")
        .arg(vectors.join("issuer/.well-known/jwks.json"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.starts_with("valid signature (checked offline"), "{said}");
    assert_eq!(everything_under(tmp.path()), Vec::<String>::new(), "created in the verifier's folder");
}
