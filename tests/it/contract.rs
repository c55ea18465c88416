//! The JSON API against its own OpenAPI document, checked by a tool that did not write either:
//! Schemathesis generates requests from the document (valid ones, and ones the document forbids)
//! and runs every check it has (`--checks all`: no 5xx, only documented statuses and content
//! types, bodies matching their schemas, valid data accepted, invalid data rejected, auth not
//! ignored, 405 with `Allow` for other methods, ...) against a real server on a loopback port.
//!
//! Bounded for CI: a fixed seed and `-n` examples per operation. `.ci/run` installs the pinned
//! version (`.ci/requirements.txt`); without it the test says so and passes, unless
//! `ATTEST_REQUIRE_TOOLS=1`.

use crate::harness;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Starts `attest serve`'s server (the same [`attest::web::serve`] the command calls) on a free
/// port over a fresh database, on a thread of its own; returns its address and an API token.
fn serve(dir: &Path) -> (std::net::SocketAddr, String) {
    let db = dir.join("attest.sqlite3");
    let token = {
        let conn = harness::open_db(&db);
        let now = chrono::Utc::now();
        attest::staff::add(&conn, "ops@coe.int", attest::staff::Role::Admin, "test", now).unwrap();
        attest::staff::create_token(&conn, "ops@coe.int", "schemathesis", None, "test", now)
            .unwrap()
            .expose()
            .to_owned()
    };
    let issuing = harness::app::issuing(&dir.join("keys"), harness::settings());
    let opts = harness::app::serve_options(&db, harness::web_config(&harness::settings(), 10), dir.join("outbox"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(attest::web::serve(
            std::net::TcpListener::bind("127.0.0.1:0").unwrap(),
            opts,
            Some(issuing),
            move |addr| tx.send(addr).unwrap(),
        ))
        .unwrap();
    });
    (rx.recv_timeout(Duration::from_secs(60)).expect("the server starts"), token)
}

#[test]
fn schemathesis_finds_nothing_wrong_with_the_api() {
    let Some(schemathesis) = harness::tool("schemathesis", "check the JSON API against its OpenAPI document") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (addr, token) = serve(dir.path());
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis.toml");
    let out = Command::new(schemathesis)
        .arg("--config-file")
        .arg(&config)
        .arg("--no-color")
        .args(["run", &format!("http://{addr}/api/v1/openapi.json")])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args(["--checks", "all", "-n", "50", "--seed", "1"])
        // Its example database and reports stay in the temporary folder, not in the repository.
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "Schemathesis found failures:\n{report}");
    // It did test every operation, with the token (none skipped, not all 401).
    let after = |label: &str| {
        let at = report.find(label).unwrap_or_else(|| panic!("no \"{label}\" in the report:\n{report}")) + label.len();
        report[at..].split_whitespace().next().unwrap_or_default().to_owned()
    };
    let total = after("Selected:").rsplit('/').next().unwrap_or_default().to_owned();
    assert_eq!(after("Tested:"), total, "{report}");
    assert!(total.parse::<u32>().is_ok_and(|n| n >= 18), "{report}");
}
