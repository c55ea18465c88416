//! Open Badges 3.0 credentials, judged by verifiers attest has no part in: Digital Bazaar's
//! `@digitalbazaar/vc` with the `eddsa-rdfc-2022` cryptosuite and the Bitstring Status List
//! library (Node), pyld's URDNA2015 with `cryptography`'s Ed25519 (Python), and 1EdTech's JSON
//! Schema. A running attest (real HTTP on loopback) serves the DID document and status lists;
//! contexts come from npm packages and nothing is fetched from the network.
//!
//! Node and Python come from `.ci/package.json` and `.ci/requirements.txt` (`.ci/run` installs
//! them and sets `ATTEST_NODE_MODULES` and `ATTEST_PYTHON`); without them these tests say so and
//! pass, unless `ATTEST_REQUIRE_TOOLS` is set.

use crate::harness;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use attest::issuance::{self, Audience, Issuer, Settings};
use attest::store::certificates::{self, Certificate};
use attest::trust::{credential, status_list};
use attest::web::{self, AppState, Mailer};
use serde_json::Value;

/// `node` and the npm packages, or `None` (skipped, saying so).
fn node() -> Option<(PathBuf, PathBuf)> {
    harness::tools::node_with("@digitalbazaar/vc", "verify credentials with Digital Bazaar's @digitalbazaar/vc")
}

/// A Python with pyld, cryptography and jsonschema, or `None` (skipped, saying so).
fn python() -> Option<PathBuf> {
    harness::python_with("pyld, cryptography, jsonschema", "check credential proofs with pyld and the JSON Schema")
}

struct Server {
    base: String,
    app: axum::Router,
    db_path: PathBuf,
    certs: Vec<Certificate>,
    conn: attest::store::Conn,
    dir: tempfile::TempDir,
    /// The server's state, to count its status-list signatures.
    state: AppState,
    _server: tokio::task::JoinHandle<()>,
}

/// Issues the multilingual webinar with the public URL of a real loopback server, revokes one
/// certificate and reissues another, then serves it all.
async fn serve() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings { public_url: base.clone(), ..harness::settings() };
    let dir = tempfile::tempdir().unwrap();
    let db_path = harness::new_db(dir.path());
    let mut conn = harness::open_db(&db_path);
    let ev = {
        let db = harness::Db::on(conn);
        let ev = db.event("echr", crate::harness::SEMINAR);
        let mut db = db;
        db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
        conn = db.into_conn();
        ev
    };
    let keys = harness::app::keys_for(&db_path);
    // A certificate signed by a key that is then rotated out: it keeps verifying.
    let old = attest::trust::token::active(&conn, &keys, harness::now()).unwrap();
    let issuer = Issuer {
        renderer: harness::renderer(),
        secret: &old,
        pdf: harness::pdf_signer(),
        settings: &settings,
        actor: "cli",
    };
    issuance::issue_event(&mut conn, issuer, &ev, false, harness::now(), &|_| {}).unwrap();
    let new = attest::trust::token::rotate(&conn, &keys, harness::now()).unwrap();
    let certs = certificates::for_event(&conn, ev.id).unwrap();
    certificates::revoke(&mut conn, &certs[1].id, "issued in error", "cli", harness::now()).unwrap();
    let issuer = Issuer {
        renderer: harness::renderer(),
        secret: &new,
        pdf: harness::pdf_signer(),
        settings: &settings,
        actor: "cli",
    };
    issuance::reissue(&mut conn, issuer, &certs[2].id, Some("Corrected Name"), None, harness::now()).unwrap();
    let certs = certificates::for_event(&conn, ev.id).unwrap();

    let config = harness::web_config(&settings, 100);
    let issuing = harness::app::issuing(&keys, settings);
    let state = harness::app::state(&db_path, 2, config, Some(issuing), Mailer::Outbox(dir.path().join("outbox")));
    let router = web::app(state.clone());
    let app = router.clone().into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server { base, app: router, db_path, certs, conn, dir, state, _server: server }
}

async fn http_get(url: &str) -> (u16, Vec<(String, String)>, String) {
    // A minimal HTTP/1.1 GET: the test's dev-dependencies have no HTTP client with TLS, and
    // none is needed on loopback.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut sock = tokio::net::TcpStream::connect(host).await.unwrap();
    sock.write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buf = Vec::new();
    sock.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned())))
        .collect::<Vec<_>>();
    let body = if headers.iter().any(|(k, v)| k == "transfer-encoding" && v == "chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, headers, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

fn write(dir: &Path, name: &str, doc: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, doc).unwrap();
    p
}

fn stored(s: &Server, c: &Certificate) -> String {
    certificates::credential(&s.conn, &c.id).unwrap().expect("issued with a credential")
}

/// Valid, revoked, superseded, retired-key, public; and must-fail: a changed name, a proof
/// labelled with another cryptosuite, a proof moved onto another credential.
/// Credential files: (name, JSON).
type Files = Vec<(String, String)>;

fn cases(s: &Server) -> (Files, Files) {
    let by_status = |st: &str| s.certs.iter().find(|c| c.status == st).unwrap();
    let valid = s.certs.iter().find(|c| c.status == "valid" && c.kid != by_status("revoked").kid).unwrap();
    let old_key = s.certs.iter().find(|c| c.status == "valid" && c.kid == by_status("revoked").kid).unwrap();
    let good = vec![
        ("valid.json".to_owned(), stored(s, valid)),
        ("retired-key.json".to_owned(), stored(s, old_key)),
        ("revoked.json".to_owned(), stored(s, by_status("revoked"))),
        ("superseded.json".to_owned(), stored(s, by_status("superseded"))),
    ];
    let mut tampered: Value = serde_json::from_str(&stored(s, valid)).unwrap();
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else".into();
    let mut other_suite: Value = serde_json::from_str(&stored(s, valid)).unwrap();
    other_suite["proof"]["cryptosuite"] = "eddsa-jcs-2022".into();
    let mut moved: Value = serde_json::from_str(&stored(s, old_key)).unwrap();
    moved["proof"] = serde_json::from_str::<Value>(&stored(s, by_status("revoked"))).unwrap()["proof"].clone();
    let bad = vec![
        ("subject-changed.json".to_owned(), tampered.to_string()),
        ("other-cryptosuite.json".to_owned(), other_suite.to_string()),
        ("proof-of-another.json".to_owned(), moved.to_string()),
    ];
    (good, bad)
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{text}");
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digital_bazaar_verifies_the_proofs_and_reads_the_status_bits() {
    let Some((node, modules)) = node() else { return };
    let s = serve().await;
    let (good, bad) = cases(&s);
    println!("sample credential: {}", good[0].1);
    let (_, _, public) = http_get(&format!("{}/credentials/{}", s.base, s.certs[0].id)).await;
    let mut all = good.clone();
    all.push(("public.json".to_owned(), public));
    all.extend(bad.clone());
    let files: Vec<PathBuf> = all.iter().map(|(n, d)| write(s.dir.path(), n, d)).collect();
    let (_, out) = run(Command::new(node)
        .env("ATTEST_NODE_MODULES", &modules)
        .arg(harness::tools::verifier("verify_credential.mjs"))
        .arg(&s.base)
        .args(&files));
    let results: Vec<Value> = out.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(results.len(), files.len(), "{out}");
    let verdict = |name: &str| {
        results.iter().find(|r| r["file"].as_str().unwrap().ends_with(&format!("/{name}"))).unwrap().clone()
    };
    for name in ["valid.json", "retired-key.json", "public.json"] {
        let r = verdict(name);
        assert_eq!(r["verified"], true, "{name}: {r}");
        assert_eq!(r["status"]["revoked"], false, "{name}: {r}");
    }
    for name in ["revoked.json", "superseded.json"] {
        let r = verdict(name);
        assert_eq!(r["verified"], true, "{name}: the proof is genuine: {r}");
        assert_eq!(r["status"]["revoked"], true, "{name}: the status list must say revoked: {r}");
    }
    for (name, _) in &bad {
        let r = verdict(name);
        assert_eq!(r["verified"], false, "{name} must fail: {r}");
    }
}

/// The Node and Python verifiers need the contexts as one JSON file: printed by contexts.mjs
/// from the npm packages.
fn contexts_file(dir: &Path) -> Option<PathBuf> {
    harness::tools::jsonld_contexts(dir)
}

/// The Python side of the independent check: pyld with `cryptography` against the contexts and
/// the server's DID document, and 1EdTech's JSON schema, each run on the files given.
struct PythonVerifiers {
    python: PathBuf,
    contexts: PathBuf,
    did: PathBuf,
}

impl PythonVerifiers {
    /// The verifiers for the server `s`, or `None` (after saying why) where the contexts cannot
    /// be had.
    async fn new(s: &Server, python: PathBuf) -> Option<Self> {
        let contexts = contexts_file(s.dir.path())?;
        let (_, _, did) = http_get(&format!("{}/.well-known/did.json", s.base)).await;
        Some(Self { python, contexts, did: write(s.dir.path(), "did.json", &did) })
    }

    /// Whether pyld verifies every one of `files`, and what it printed.
    fn pyld(&self, files: &[PathBuf]) -> (bool, String) {
        run(Command::new(&self.python)
            .arg(harness::tools::verifier("verify_credential.py"))
            .arg(&self.contexts)
            .arg(&self.did)
            .args(files))
    }

    /// Whether every one of `files` validates against 1EdTech's schema, and what was printed.
    fn schema(&self, files: &[PathBuf]) -> (bool, String) {
        let schema = harness::tools::verifier("ob_v3p0_achievementcredential_schema.json");
        run(Command::new(&self.python).arg(harness::tools::verifier("validate_schema.py")).arg(&schema).args(files))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyld_and_cryptography_verify_the_same_proofs_and_the_schema_accepts_them() {
    let Some(python) = python() else { return };
    let s = serve().await;
    let Some(py) = PythonVerifiers::new(&s, python).await else { return };
    let (good, bad) = cases(&s);
    let (_, _, public) = http_get(&format!("{}/credentials/{}", s.base, s.certs[0].id)).await;
    let mut good: Vec<PathBuf> = good.iter().map(|(n, d)| write(s.dir.path(), n, d)).collect();
    good.push(write(s.dir.path(), "public.json", &public));
    let (ok, out) = py.pyld(&good);
    assert!(ok, "every genuine credential verifies with pyld: {out}");
    for (name, doc) in &bad {
        let (ok, out) = py.pyld(&[write(s.dir.path(), name, doc)]);
        assert!(!ok && out.contains("invalid"), "{name} must fail in pyld: {out}");
    }
    let (ok, out) = py.schema(&good);
    assert!(ok, "every credential validates against 1EdTech's schema: {out}");
    // The schema check can fail: a credential without its issuer does not validate.
    let mut broken: Value = serde_json::from_str(&std::fs::read_to_string(&good[0]).unwrap()).unwrap();
    broken.as_object_mut().unwrap().remove("issuer");
    let (ok, _) = py.schema(&[write(s.dir.path(), "no-issuer.json", &broken.to_string())]);
    assert!(!ok, "a credential without an issuer must not validate");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuer_documents_status_lists_and_credentials_are_served() {
    let mut s = serve().await;
    let (status, headers, did) = http_get(&format!("{}/.well-known/did.json", s.base)).await;
    assert_eq!(status, 200);
    assert!(headers.iter().any(|(k, v)| k == "content-type" && v == "application/did+json"));
    let did: Value = serde_json::from_str(&did).unwrap();
    let port = s.base.rsplit(':').next().unwrap();
    assert_eq!(did["id"], format!("did:web:127.0.0.1%3A{port}"));
    assert_eq!(did["assertionMethod"].as_array().unwrap().len(), 2, "both keys, the retired one too: {did}");
    assert!(did["verificationMethod"][0]["publicKeyMultibase"].as_str().unwrap().starts_with("z6Mk"));
    // A rotation by another process (the command line) is in the document at once: it lagged
    // for up to a minute while new credentials were already signed with the new key.
    let rotated = {
        let conn = harness::open_db(&s.db_path);
        attest::trust::token::rotate(&conn, &harness::app::keys_for(&s.db_path), harness::now())
            .unwrap()
            .kid()
            .to_owned()
    };
    let (_, _, after) = http_get(&format!("{}/.well-known/did.json", s.base)).await;
    assert!(after.contains(&format!("#{rotated}")), "{after}");

    // The status list: cached for its ttl, the revoked and superseded bits set, the rest clear.
    let (status, headers, list) = http_get(&format!("{}/status/0", s.base)).await;
    assert_eq!(status, 200);
    let header = |h: &[(String, String)], k: &str| h.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(header(&headers, "content-type").as_deref(), Some("application/vc"));
    assert_eq!(header(&headers, "cache-control").as_deref(), Some("public, max-age=300"));
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["credentialSubject"]["ttl"], 300_000);
    let bits = status_list::decode_bits(list["credentialSubject"]["encodedList"].as_str().unwrap()).unwrap();
    assert_eq!(bits.len() * 8, status_list::STATUS_LIST_SIZE as usize);
    for c in &s.certs {
        let pos = c.status_position.unwrap();
        assert_eq!(status_list::bit(&bits, pos), c.status != "valid", "{} ({})", c.id, c.status);
    }

    // Asked again, unchanged: the same bytes, not signed again.
    let signed = s.state.status_lists_signed();
    let (_, _, again) = http_get(&format!("{}/status/0", s.base)).await;
    assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), list);
    assert_eq!(s.state.status_lists_signed(), signed, "an unchanged status list was signed again");

    // Revoking (here through another connection, as the CLI would) changes the served list at
    // once (same transaction as the revocation), signed once more.
    let victim = s.certs.iter().find(|c| c.status == "valid").unwrap().clone();
    certificates::revoke(&mut s.conn, &victim.id, "test", "cli", harness::now()).unwrap();
    let (_, _, list) = http_get(&format!("{}/status/0", s.base)).await;
    let list: Value = serde_json::from_str(&list).unwrap();
    let bits = status_list::decode_bits(list["credentialSubject"]["encodedList"].as_str().unwrap()).unwrap();
    assert!(status_list::bit(&bits, victim.status_position.unwrap()));
    assert_eq!(s.state.status_lists_signed(), signed + 1);

    assert_eq!(http_get(&format!("{}/status/7", s.base)).await.0, 404);
    assert_eq!(http_get(&format!("{}/status/x", s.base)).await.0, 404);

    // The public credential carries no email identity hash; the holder's does.
    let (status, headers, public) = http_get(&format!("{}/credentials/{}", s.base, victim.id)).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type").as_deref(), Some("application/vc"));
    assert!(!public.contains("emailAddress") && !public.contains(victim.email.as_deref().unwrap()), "{public}");
    let holder = stored(&s, &victim);
    assert!(holder.contains("emailAddress") && !holder.contains(victim.email.as_deref().unwrap()));
    assert_eq!(http_get(&format!("{}/credentials/NOTACODE", s.base)).await.0, 404);
    let _ = Audience::Holder;
}

/// Runs the command line in process (the shared target folder's `attest` binary may belong to
/// another build) and returns its exit code as text.
fn cli(db: &Path, base: &str, args: &[&str]) -> String {
    use clap::Parser;
    let keys = harness::app::keys_for(db);
    let mut all = vec!["attest", "--db", db.to_str().unwrap(), "--keys", keys.to_str().unwrap(), "--public-url", base];
    all.extend_from_slice(args);
    let cli = attest::cli::Cli::try_parse_from(all).unwrap();
    format!("{:?}", attest::cli::run(cli).unwrap())
}

const OK: &str = "ExitCode(unix_exit_status(0))";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_exports_verifies_and_publishes_credentials() {
    let s = serve().await;
    let valid = s.certs.iter().find(|c| c.status == "valid").unwrap();
    let revoked = s.certs.iter().find(|c| c.status == "revoked").unwrap();
    let dir = s.dir.path();
    let out = dir.join("mine.json");
    let code = attest::issuance::grouped(&valid.id);
    let (db, base) = (s.db_path.clone(), s.base.clone());
    let run = |args: Vec<String>| {
        let (db, base) = (db.clone(), base.clone());
        tokio::task::spawn_blocking(move || cli(&db, &base, &args.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    assert_eq!(
        run(vec!["credential".into(), code.clone(), "--out".into(), out.display().to_string()]).await.unwrap(),
        OK
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), stored(&s, valid), "the holder gets the stored credential");
    assert_eq!(run(vec!["verify".into(), out.display().to_string()]).await.unwrap(), OK);

    // Tampered, revoked, offline with the JWK set.
    let mut t: Value = serde_json::from_str(&stored(&s, valid)).unwrap();
    t["credentialSubject"]["narrative"] = "Attended 999 minutes.".into();
    let tampered = write(dir, "tampered.json", &t.to_string());
    assert_ne!(run(vec!["verify".into(), tampered.display().to_string()]).await.unwrap(), OK);
    let rev = write(dir, "revoked.json", &stored(&s, revoked));
    assert_ne!(run(vec!["verify".into(), rev.display().to_string()]).await.unwrap(), OK);

    // attest publish: the same bytes as the server.
    let published = dir.join("site");
    assert_eq!(run(vec!["publish".into(), published.display().to_string()]).await.unwrap(), OK);
    for path in ["/.well-known/did.json", "/.well-known/jwks.json", "/status/0"] {
        let (status, _, served) = http_get(&format!("{}{path}", s.base)).await;
        assert_eq!(status, 200, "{path}");
        let file = std::fs::read_to_string(published.join(&path[1..])).unwrap();
        assert_eq!(file, served, "{path}: published and served bytes differ");
    }
}

fn upload(file: &[u8], lang: &str) -> axum::http::Request<axum::body::Body> {
    harness::multipart_post(
        &format!("/verify/pdf?lang={lang}"),
        "",
        &[],
        &[("pdf", "c.json", "application/json", file)],
    )
}

async fn post(app: &axum::Router, req: axum::http::Request<axum::body::Body>) -> (u16, String) {
    use tower::ServiceExt;
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_page_checks_uploaded_credentials_in_three_languages() {
    let s = serve().await;
    let valid = s.certs.iter().find(|c| c.status == "valid").unwrap();
    let revoked = s.certs.iter().find(|c| c.status == "revoked").unwrap();
    let (status, page) = post(&s.app, upload(stored(&s, valid).as_bytes(), "en")).await;
    assert_eq!(status, 200);
    assert!(page.contains("eddsa-rdfc-2022") && page.contains(&valid.name), "{page}");

    let mut t: Value = serde_json::from_str(&stored(&s, valid)).unwrap();
    t["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else".into();
    for (lang, text) in [
        ("en", "was changed after it was signed"),
        ("fr", "a été modifiée après sa signature"),
        ("es", "se modificó después de firmarse"),
    ] {
        let (_, page) = post(&s.app, upload(t.to_string().as_bytes(), lang)).await;
        assert!(page.contains(text), "{lang}: {page}");
        assert!(!page.contains("Someone Else"), "a forged name is never shown");
    }
    for (lang, text) in [("en", "Revoked certificate"), ("fr", "Certificat révoqué"), ("es", "Certificado revocado")]
    {
        let (_, page) = post(&s.app, upload(stored(&s, revoked).as_bytes(), lang)).await;
        assert!(page.contains(text), "{lang}: {page}");
    }

    // Bad input: not JSON, an unknown context (never fetched), a proof from another credential.
    let (_, page) = post(&s.app, upload(b"{ not json", "en")).await;
    assert!(page.contains("not JSON"), "{page}");
    let mut unknown: Value = serde_json::from_str(&stored(&s, valid)).unwrap();
    unknown["@context"][1] = "https://evil.example/context.json".into();
    let (_, page) = post(&s.app, upload(unknown.to_string().as_bytes(), "en")).await;
    assert!(page.contains("never fetched") && page.contains("evil.example"), "{page}");
    let mut moved: Value = serde_json::from_str(&stored(&s, valid)).unwrap();
    moved["proof"] = serde_json::from_str::<Value>(&stored(&s, revoked)).unwrap()["proof"].clone();
    let (_, page) = post(&s.app, upload(moved.to_string().as_bytes(), "en")).await;
    assert!(page.contains("Not genuine") || page.contains("not genuine"), "{page}");

    // A 5 MB upload is refused by the stated body limit (2 MiB), before it is read.
    let mut big = b"{\"x\":\"".to_vec();
    big.resize(5_000_000, b'a');
    let (status, _) = post(&s.app, upload(&big, "en")).await;
    assert_eq!(status, 413);
    const { assert!(attest::web::MAX_BODY_BYTES < 5_000_000) };

    // The valid certificate's page links its credential and LinkedIn's form.
    let (_, _, page) = http_get(&format!("{}/v/{}", s.base, valid.token)).await;
    assert!(page.contains(&format!("href=\"/credentials/{}\"", valid.id)), "{page}");
    assert!(page.contains("Download the digital credential"));
    assert!(page.contains("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name="), "{page}");
}

#[test]
fn credentials_from_elsewhere_are_refused_without_a_network_fetch() {
    let keys = attest::trust::token::KeySet::default();
    let e = |b: &[u8]| credential::verify(b, &keys).unwrap_err().to_string();
    assert!(e(b"not json").starts_with("not JSON"));
    assert!(
        e(br#"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/x.jsonld"]}"#)
            .contains("https://example.org/x.jsonld")
    );
    assert!(e(br#"{"@context": "https://www.w3.org/2018/credentials/v1"}"#).contains("never fetched"));
    assert!(e(&vec![b' '; credential::MAX_CREDENTIAL_BYTES + 1]).contains("larger than"));
}

#[test]
fn the_pdf_carries_its_credential_as_an_associated_file() {
    let mut db = harness::Db::new();
    let ev = db.event("af", crate::harness::SEMINAR);
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let dir = tempfile::tempdir().unwrap();
    let secret = attest::trust::token::active(&db.conn, dir.path(), harness::now()).unwrap();
    db.issue(&ev, &secret);
    let c = &certificates::for_event(&db.conn, ev.id).unwrap()[0];
    let pdf = certificates::pdf(&db.conn, &c.id).unwrap().unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let af = catalog.get(b"AF").unwrap().as_array().unwrap();
    let spec = doc.get_dictionary(af[0].as_reference().unwrap()).unwrap();
    assert_eq!(spec.get(b"AFRelationship").unwrap().as_name().unwrap(), b"Alternative");
    let names = catalog.get(b"Names").unwrap().as_dict().unwrap();
    let embedded = names.get(b"EmbeddedFiles").unwrap().as_dict().unwrap().get(b"Names").unwrap().as_array().unwrap();
    assert_eq!(embedded[1].as_reference().unwrap(), af[0].as_reference().unwrap());
    let ef = spec.get(b"EF").unwrap().as_dict().unwrap();
    let stream = doc.get_object(ef.get(b"F").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
    assert_eq!(stream.dict.get(b"Subtype").unwrap().as_name().unwrap(), b"application/vc");
    let bytes = stream.decompressed_content().unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), stored_in(&db.conn, &c.id), "the PDF holds the stored credential");
    // The structure is sound for an independent reader.
    if let Some(qpdf) = harness::tool("qpdf", "check the structure of a PDF with an embedded file") {
        let f = dir.path().join("c.pdf");
        std::fs::write(&f, &pdf).unwrap();
        let (ok, out) = run(Command::new(qpdf).arg("--check").arg(&f));
        assert!(ok && out.contains("No syntax or stream encoding errors"), "{out}");
    }
    // And the PDF still verifies as before.
    let keys = attest::trust::token::key_set(&db.conn).unwrap();
    let r = attest::verification::verify(&keys, Some(&db.conn), attest::verification::Source::Pdf(&pdf)).unwrap();
    assert_eq!(r.status, attest::verification::Status::Valid);
}

fn stored_in(conn: &attest::store::Conn, id: &str) -> String {
    certificates::credential(conn, id).unwrap().unwrap()
}

/// A series certificate's credential (issue 12), issued into the served database: Digital
/// Bazaar's verifier (proof and status list), pyld with `cryptography` and 1EdTech's JSON Schema
/// accept it as they accept an event's; a changed session list fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_credential_verifies_with_the_independent_verifiers() {
    let s = serve().await;
    let series = {
        let mut db = harness::Db::at(&s.db_path);
        let series = harness::series_fixture(&mut db);
        let settings = Settings { public_url: s.base.clone(), ..harness::settings() };
        let secret =
            attest::trust::token::active(&db.conn, &harness::app::keys_for(&s.db_path), harness::now()).unwrap();
        let issuer = Issuer {
            renderer: harness::renderer(),
            secret: &secret,
            pdf: harness::pdf_signer(),
            settings: &settings,
            actor: "cli",
        };
        issuance::series::issue_series(&mut db.conn, issuer, &series, false, harness::now()).unwrap();
        attest::store::series::certificates(&db.conn, &series).unwrap()
    };
    let c = series.iter().find(|c| c.email.as_deref() == Some("dalia@example.org")).unwrap();
    let good = stored(&s, c);
    assert!(good.contains("/achievements/series/cybercrime-2020"), "{good}");
    let mut changed: Value = serde_json::from_str(&good).unwrap();
    changed["credentialSubject"]["narrative"] = "Attended 400 minutes in 4 of the series' 4 sessions.".into();
    let good_file = write(s.dir.path(), "series.json", &good);
    let bad_file = write(s.dir.path(), "series-changed.json", &changed.to_string());
    let mut checked = 0;
    if let Some((node, modules)) = node() {
        let (_, out) = run(Command::new(node)
            .env("ATTEST_NODE_MODULES", &modules)
            .arg(harness::tools::verifier("verify_credential.mjs"))
            .arg(&s.base)
            .arg(&good_file)
            .arg(&bad_file));
        let results: Vec<Value> = out.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
        assert_eq!(results.len(), 2, "{out}");
        assert_eq!(results[0]["verified"], true, "{out}");
        assert_eq!(results[0]["status"]["revoked"], false, "{out}");
        assert_eq!(results[1]["verified"], false, "{out}");
        checked += 1;
    }
    if let Some(python) = python() {
        let Some(py) = PythonVerifiers::new(&s, python).await else { return };
        let (ok, out) = py.pyld(std::slice::from_ref(&good_file));
        assert!(ok, "the series credential verifies with pyld: {out}");
        let (ok, out) = py.pyld(std::slice::from_ref(&bad_file));
        assert!(!ok && out.contains("invalid"), "a changed narrative must fail in pyld: {out}");
        let (ok, out) = py.schema(std::slice::from_ref(&good_file));
        assert!(ok, "the series credential validates against 1EdTech's schema: {out}");
        checked += 1;
    }
    println!("{checked} independent verifier families ran");
}
